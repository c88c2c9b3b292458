package workspace

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

func TestResultOncePerWorkspace(t *testing.T) {
	var calls atomic.Int32
	r := NewResult(func(ws *Workspace) *int { calls.Add(1); n := len(ws.Objects); return &n })
	other := NewResult(func(*Workspace) string { return "other" })
	a, b := NewBuilder(Settings{}, nil).Build(), NewBuilder(Settings{}, nil).Build()
	var wg sync.WaitGroup
	got := make([]*int, 16)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = r.Of(a)
		}()
	}
	wg.Wait()
	for _, p := range got {
		if p != got[0] {
			t.Fatal("concurrent callers got different values")
		}
	}
	if calls.Load() != 1 {
		t.Errorf("computed %d times for one workspace", calls.Load())
	}
	if r.Of(b) == got[0] || calls.Load() != 2 {
		t.Error("a second workspace shares the first one's result")
	}
	if other.Of(a) != "other" {
		t.Error("two results of one workspace are mixed up")
	}
}

// TestResultWaitHooks: a caller that finds the result being computed by
// another goroutine releases before waiting and acquires after; the one
// that computes, and callers once it is done, do neither.
func TestResultWaitHooks(t *testing.T) {
	ws := NewBuilder(Settings{}, nil).Build()
	var released, acquired atomic.Int32
	ws.SetWaitHooks(func() { released.Add(1) }, func() { acquired.Add(1) })
	started, finish := make(chan struct{}), make(chan struct{})
	r := NewResult(func(*Workspace) int { close(started); <-finish; return 42 })
	first := make(chan int)
	go func() { first <- r.Of(ws) }()
	<-started
	waiter := make(chan int)
	go func() { waiter <- r.Of(ws) }()
	for released.Load() == 0 {
		runtime.Gosched() // the waiter has released before it blocks
	}
	if acquired.Load() != 0 {
		t.Fatal("acquired before the result was done")
	}
	close(finish)
	if a, b := <-first, <-waiter; a != 42 || b != 42 {
		t.Fatalf("got %d and %d, want 42", a, b)
	}
	if r.Of(ws) != 42 || released.Load() != 1 || acquired.Load() != 1 {
		t.Fatalf("released %d, acquired %d times, want 1 and 1", released.Load(), acquired.Load())
	}
}

// TestResultPanics: a compute that panics panics in every caller, as with
// sync.OnceValue, and is not run again.
func TestResultPanics(t *testing.T) {
	ws := NewBuilder(Settings{}, nil).Build()
	var calls atomic.Int32
	r := NewResult(func(*Workspace) int { calls.Add(1); panic("broken model") })
	for range 2 {
		func() {
			defer func() {
				if p := recover(); p != "broken model" {
					t.Fatalf("recovered %v, want the compute's panic", p)
				}
			}()
			r.Of(ws)
		}()
	}
	if calls.Load() != 1 {
		t.Fatalf("computed %d times", calls.Load())
	}
}
