//go:build !linux

package cli

// hugeHeap is a no-op where there is no madvise(MADV_HUGEPAGE) (see
// hugeheap_linux.go).
func hugeHeap(int64, string) bool { return false }
