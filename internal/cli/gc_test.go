package cli

import "testing"

func TestGCStart(t *testing.T) {
	s := gcStart()
	if s < 32<<20 || s > gcStartHeap {
		t.Fatalf("gcStart() = %d, want between 32 MiB and %d", s, gcStartHeap)
	}
	t.Logf("first collection at %d MiB", s>>20)
}
