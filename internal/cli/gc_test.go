package cli

import (
	"math"
	"runtime"
	"testing"
)

func TestGCStart(t *testing.T) {
	s := gcStart()
	if s < 32<<20 || s > gcStartHeap {
		t.Fatalf("gcStart() = %d, want between 32 MiB and %d", s, gcStartHeap)
	}
	t.Logf("first collection at %d MiB", s>>20)
}

func TestMemoryLimit(t *testing.T) {
	l := memoryLimit()
	if c, m := memory(); c > 0 || m > 0 {
		if l <= gcStart() || l == math.MaxInt64 {
			t.Fatalf("memoryLimit() = %d with container %d, machine %d", l, c, m)
		}
	}
	t.Logf("soft memory limit %d MiB", l>>20)
}

// TestHugeHeap: the block is marked where madvise exists, skipped when
// small or with GODEBUG=disablethp=1, and freed: the heap does not keep it.
func TestHugeHeap(t *testing.T) {
	if hugeHeap(1<<20, "") || hugeHeap(64<<20, "x=1,disablethp=1") {
		t.Fatal("a small block or disablethp=1 was marked")
	}
	ok := hugeHeap(64<<20, "")
	if runtime.GOOS == "linux" && !ok {
		t.Log("madvise(MADV_HUGEPAGE) refused (a kernel without THP)")
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc > 48<<20 {
		t.Fatalf("the block stayed allocated: HeapAlloc %d", ms.HeapAlloc)
	}
}
