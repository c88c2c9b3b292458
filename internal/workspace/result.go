package workspace

import "sync/atomic"

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

// cell is one result of one workspace: the first caller computes it, the
// others wait for done.
type cell[T any] struct {
	started atomic.Bool
	done    chan struct{} // closed when v (or the panic) is set
	v       T
	panic   any // what compute panicked with, re-panicked in every caller (as sync.OnceValue does)
}

func (c *cell[T]) value() T {
	if c.panic != nil {
		panic(c.panic)
	}
	return c.v
}

// Of returns the result for ws, computing it on the first call. Safe for
// concurrent use; concurrent first calls wait for one computation, and
// while they wait they hand their share of the run's parallelism to other
// work (see SetWaitHooks).
func (r *Result[T]) Of(ws *Workspace) T {
	e, ok := ws.results.Load(r.key)
	if !ok {
		e, _ = ws.results.LoadOrStore(r.key, &cell[T]{done: make(chan struct{})})
	}
	c := e.(*cell[T])
	select {
	case <-c.done:
		return c.value()
	default:
	}
	if c.started.CompareAndSwap(false, true) {
		defer func() {
			if p := recover(); p != nil {
				c.panic = p
				close(c.done)
				panic(p) // on top of compute's frames: the trace shows where
			}
		}()
		c.v = r.compute(ws)
		close(c.done)
		return c.v
	}
	if ws.waitHooks.release != nil {
		ws.waitHooks.release()
		<-c.done
		ws.waitHooks.acquire()
	} else {
		<-c.done
	}
	return c.value()
}

// waitHooks are what SetWaitHooks set.
type waitHooks struct{ release, acquire func() }

// SetWaitHooks sets what a caller of Result.Of does while it waits for a
// result that another goroutine is computing: release before waiting and
// acquire after. The engine runs each rule holding one of -j tokens and
// releases it here, so that a rule that waits for a shared model (the
// references of every unit, say) lets another rule run meanwhile instead
// of leaving a processor idle. Set it before the rules run; nil functions
// (the default) just wait.
func (ws *Workspace) SetWaitHooks(release, acquire func()) {
	ws.waitHooks = waitHooks{release, acquire}
}
