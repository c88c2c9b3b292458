package workspace

import (
	"runtime"
	"sync"
)

// Focus: when k8slint is given files (a pre-commit hook names the staged
// ones), the engine still loads the whole project, since cross-file
// findings need the neighbours, but it keeps only the findings whose file or
// a related location is a named file. The per-object models (the API schema
// walk, the API-validation checks), whose problems of an object depend on
// that object alone and sit in its own file, then need not look at the
// objects of the other files: they ask Focused.

// SetFocus restricts the per-object models to the objects of the files for
// which focus returns true; nil (the default) means every file.
func (b *Builder) SetFocus(focus func(path string) bool) { b.ws.focus = focus }

// Focused reports whether the per-object models look at the objects of
// the file path: true unless the engine set a focus that excludes it.
func (ws *Workspace) Focused(path string) bool { return ws.focus == nil || ws.focus(path) }

// PerObject runs check over the objects of the focused files, in parallel
// chunks of at least 256 objects on up to GOMAXPROCS goroutines, and joins
// what the chunks return in object order. It is the shape of the
// per-object models: check reads the objects it is given and nothing that
// another chunk writes, so each chunk may keep its own scratch state.
func PerObject[T any](ws *Workspace, check func(objs []*Object) []T) []T {
	objs := ws.Objects // every file is focused, the common case: no copy
	if ws.focus != nil {
		objs = nil
		for _, o := range ws.Objects {
			if ws.focus(o.File) {
				objs = append(objs, o)
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, len(objs)/256))
	parts := make([][]T, workers)
	var wg sync.WaitGroup
	for p := range workers {
		lo, hi := p*len(objs)/workers, (p+1)*len(objs)/workers
		wg.Go(func() { parts[p] = check(objs[lo:hi]) })
	}
	wg.Wait()
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]T, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
