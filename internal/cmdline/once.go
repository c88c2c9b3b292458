package cmdline

import (
	"runtime"
	"sync"
	"weak"

	"github.com/k8slint/k8slint/internal/workspace"
)

// PerWorkspace computes a value once per workspace, for models that rules
// running in parallel share. Entries go when their workspace is collected.
type PerWorkspace[T any] struct {
	build func(*workspace.Workspace) T
	mu    sync.Mutex
	m     map[weak.Pointer[workspace.Workspace]]func() T
}

// NewPerWorkspace returns a PerWorkspace that computes build(ws) once per ws.
func NewPerWorkspace[T any](build func(*workspace.Workspace) T) *PerWorkspace[T] {
	return &PerWorkspace[T]{build: build, m: map[weak.Pointer[workspace.Workspace]]func() T{}}
}

// Get returns build(ws), computing it on the first call for ws. Safe for
// concurrent use; the value must not be modified by its readers.
func (p *PerWorkspace[T]) Get(ws *workspace.Workspace) T {
	k := weak.Make(ws)
	p.mu.Lock()
	get, ok := p.m[k]
	if !ok {
		// The stored function holds ws weakly: the caller keeps it alive.
		get = sync.OnceValue(func() T { return p.build(k.Value()) })
		p.m[k] = get
		runtime.AddCleanup(ws, func(k weak.Pointer[workspace.Workspace]) {
			p.mu.Lock()
			delete(p.m, k)
			p.mu.Unlock()
		}, k)
	}
	p.mu.Unlock()
	return get()
}
