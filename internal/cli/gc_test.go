package cli

import (
	"math"
	"runtime/debug"
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

// TestCollectNormally: after tuneGC has deferred the collector,
// collectNormally (called before rendering) sets it back to the default
// percentage, once: a later call (the first collection's finalizer)
// changes nothing.
func TestCollectNormally(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer func(f func()) { collectNormally = f }(collectNormally)
	tuneGC(func(string) string { return "" })
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Fatalf("tuneGC left the collector at %d %%", p)
	}
	collectNormally()
	if p := debug.SetGCPercent(42); p != 100 {
		t.Fatalf("collectNormally set the collector to %d %%, want 100", p)
	}
	collectNormally()
	if p := debug.SetGCPercent(100); p != 42 {
		t.Fatalf("a second collectNormally changed the collector to %d %%", p)
	}

	// With GOGC set, tuneGC leaves the collector alone, and so does collectNormally.
	collectNormally = func() {}
	debug.SetGCPercent(55)
	tuneGC(func(k string) string {
		if k == "GOGC" {
			return "55"
		}
		return ""
	})
	collectNormally()
	if p := debug.SetGCPercent(100); p != 55 {
		t.Fatalf("with GOGC set the collector is at %d %%, want 55", p)
	}
}
