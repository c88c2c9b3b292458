package apischema

import (
	"runtime"
	"sync"
	"weak"

	"github.com/k8slint/k8slint/internal/workspace"
)

// results holds one *Result per workspace, computed once on first use and
// shared by the three rules that read it (they run in parallel). The key is
// weak and the entry goes with its workspace.
var results sync.Map // weak.Pointer[workspace.Workspace] -> *entry

type entry struct {
	once sync.Once
	res  *Result
}

// Of returns the structure problems of the workspace's built-in objects.
func Of(ws *workspace.Workspace) *Result {
	k := weak.Make(ws)
	v, loaded := results.LoadOrStore(k, &entry{})
	if !loaded {
		runtime.AddCleanup(ws, func(k weak.Pointer[workspace.Workspace]) { results.Delete(k) }, k)
	}
	e := v.(*entry)
	e.once.Do(func() { e.res = compute(ws) })
	return e.res
}
