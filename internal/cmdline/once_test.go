package cmdline

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/k8slint/k8slint/internal/workspace"
)

func TestPerWorkspace(t *testing.T) {
	var calls atomic.Int32
	p := NewPerWorkspace(func(ws *workspace.Workspace) *int {
		calls.Add(1)
		n := len(ws.Objects)
		return &n
	})
	a, b := workspace.NewBuilder(workspace.Settings{}, nil).Build(), workspace.NewBuilder(workspace.Settings{}, nil).Build()
	var wg sync.WaitGroup
	got := make([]*int, 16)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ws := a
			if i%2 == 1 {
				ws = b
			}
			got[i] = p.Get(ws)
		}()
	}
	wg.Wait()
	if calls.Load() != 2 {
		t.Errorf("built %d times, want once per workspace", calls.Load())
	}
	if got[0] != got[2] || got[0] == got[1] {
		t.Error("values are not per workspace")
	}
}
