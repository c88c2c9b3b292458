package cli

import (
	"runtime"
	"strings"
	"syscall"
	"unsafe"
)

// hugeHeap asks the kernel to back the next size bytes of the Go heap with
// transparent huge pages, where THP is "madvise" (the default of many
// distributions): a run keeps nearly all it allocates (tuneGC), so its
// heap grows by fresh pages, and the 10,000-file run took 38,600 page
// faults of 4 KiB, a quarter of its CPU. It allocates one large block
// (the runtime maps it; fresh memory is not written), marks it
// MADV_HUGEPAGE, and frees it with a collection before tuneGC turns the
// collector off: the page allocator then carves the next spans from that
// block, and the kernel faults it in 2 MiB at a time, as it is touched
// (3,400 faults; memory that is never touched is never resident). It does
// nothing where THP is "never" or "always", and nothing with
// GODEBUG=disablethp=1, which asks the runtime not to use huge pages.
func hugeHeap(size int64, godebug string) bool {
	if size < 4<<20 || strings.Contains(godebug, "disablethp=1") {
		return false
	}
	b := make([]byte, size)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	const huge = 2 << 20
	beg := (p + huge - 1) &^ (huge - 1)
	end := (p + uintptr(size)) &^ (huge - 1)
	ok := false
	if beg < end {
		_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, beg, end-beg, 14 /* MADV_HUGEPAGE */)
		ok = errno == 0
	}
	runtime.KeepAlive(b)
	b = nil //nolint:ineffassign,wastedassign // the block must be garbage before the collection
	runtime.GC()
	return ok
}
