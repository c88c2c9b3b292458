package engine

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// loadInOrder yields every index once, in order, whatever order the
// workers finish in, and holds at most its window (and one file per
// worker, and the one being yielded) of loaded files that wait.
func TestLoadInOrder(t *testing.T) {
	for _, tc := range []struct{ n, jobs int }{{0, 2}, {1, 2}, {5, 1}, {3, 8}, {loadWindow - 1, 2}, {3*loadWindow + 7, 2}, {2000, 4}} {
		var loadedN, yieldedN, most atomic.Int64
		load := func(i int) loaded {
			if i%7 == 0 {
				runtime.Gosched() // finish out of order
			}
			if d := loadedN.Add(1) - yieldedN.Load(); d > most.Load() {
				most.Store(d)
			}
			return loaded{skip: string(rune('a' + i%26))}
		}
		want := 0
		for i, l := range loadInOrder(tc.n, tc.jobs, load) {
			if i != want || l.skip != string(rune('a'+i%26)) {
				t.Fatalf("n=%d jobs=%d: yielded %d (%q), want %d", tc.n, tc.jobs, i, l.skip, want)
			}
			if i == 0 {
				time.Sleep(20 * time.Millisecond) // the workers run ahead
			}
			want++
			yieldedN.Add(1)
		}
		if want != tc.n {
			t.Errorf("n=%d jobs=%d: %d yielded", tc.n, tc.jobs, want)
		}
		if m := most.Load(); m > int64(loadWindow+tc.jobs+1) {
			t.Errorf("n=%d jobs=%d: %d loaded files waited at once, more than the window %d and %d workers", tc.n, tc.jobs, m, loadWindow, tc.jobs)
		}
	}
	// A consumer that stops early: the rest is loaded and dropped.
	var calls atomic.Int64
	for i := range loadInOrder(600, 2, func(int) loaded { calls.Add(1); return loaded{} }) {
		if i == 10 {
			break
		}
	}
	if c := calls.Load(); c < 11 {
		t.Errorf("stopped at 10: %d loads", c)
	}
}
