package engine

import (
	"strings"
	"syscall"
	"unsafe"
)

// atFDCWD is Linux's AT_FDCWD: openat resolves a relative path from the
// working directory, as open does.
const atFDCWD = -0x64

// openRead opens path read-only with flags, as syscall.Open does, but
// writes the C string of a path of the usual length into a buffer on the
// stack: syscall.Open allocates one for every file (650 kB of garbage a
// 10k run, which is RSS while the collector waits).
func openRead(path string, flags int) (int, error) {
	var buf [512]byte
	if len(path) >= len(buf) || strings.IndexByte(path, 0) >= 0 {
		return syscall.Open(path, flags, 0)
	}
	copy(buf[:], path) // the rest of buf is zero: the string ends with a NUL
	cwd := atFDCWD
	fd, _, errno := syscall.Syscall6(syscall.SYS_OPENAT, uintptr(cwd), uintptr(unsafe.Pointer(&buf[0])), uintptr(flags), 0, 0, 0)
	if errno != 0 {
		return -1, errno
	}
	return int(fd), nil
}
