//go:build linux

package cache

import "syscall"

func statPath(path string) (Stamp, bool) {
	var st syscall.Stat_t
	for {
		err := syscall.Stat(path, &st)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return Stamp{Path: path}, false
		}
		break
	}
	return FromSys(path, &st), true
}

// FromSys stamps a path from the stat the caller already made (the engine's
// fstat of each file it reads).
func FromSys(path string, st *syscall.Stat_t) Stamp {
	return Stamp{
		Path:  path,
		Size:  st.Size,
		Mtime: int64(st.Mtim.Sec)*1e9 + int64(st.Mtim.Nsec), //nolint:unconvert // int32 on 32-bit Linux
		Ctime: int64(st.Ctim.Sec)*1e9 + int64(st.Ctim.Nsec), //nolint:unconvert // int32 on 32-bit Linux
		Ino:   st.Ino,
		Dev:   uint64(st.Dev),  //nolint:unconvert // uint32 on some Linux architectures (mips)
		Mode:  uint32(st.Mode), //nolint:unconvert // uint16 on some Linux architectures
	}
}
