package cli

import (
	"math"
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
