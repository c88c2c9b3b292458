package workspace

import "sync"

// Result is a value derived from a workspace, computed once per workspace
// on first use and shared by every rule that asks for it (rules run in
// parallel). A model package declares one as a package-level variable:
//
//	var model = workspace.NewResult(func(ws *workspace.Workspace) *Model { return New(...) })
//	func Of(ws *workspace.Workspace) *Model { return model.Of(ws) }
//
// The variable itself is the key: no string keys, and callers get a T, not
// an any to assert. The value must not be modified after it is returned.
type Result[T any] struct {
	key     *resultKey
	compute func(*Workspace) T
}

type resultKey struct{ _ byte } // not zero-sized: every key has its own address

// NewResult declares a result computed by compute.
func NewResult[T any](compute func(*Workspace) T) *Result[T] {
	return &Result[T]{key: &resultKey{}, compute: compute}
}

// Of returns the result for ws, computing it on the first call. Safe for
// concurrent use; concurrent first calls wait for one computation.
func (r *Result[T]) Of(ws *Workspace) T {
	if f, ok := ws.results.Load(r.key); ok {
		return f.(func() T)()
	}
	f, _ := ws.results.LoadOrStore(r.key, sync.OnceValue(func() T { return r.compute(ws) }))
	return f.(func() T)()
}
