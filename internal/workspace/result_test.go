package workspace

import (
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
