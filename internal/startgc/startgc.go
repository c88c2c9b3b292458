// Package startgc turns the garbage collector off while the packages of
// the k8slint binary initialise, and back on when Restore is called (from
// package cli's init, which runs after every package it imports).
//
// The linked libraries allocate about 5 MB in their init functions (the
// JSON-schema meta-schemas of Helm's values validation, client-go's scheme,
// kube-openapi's formats), nearly all of it kept. Under the default
// collector settings (a first target of 4 MB) that starts two collections
// before main runs, which mark that growing heap while the initialisers
// wait on assists: a third of the package-init time of a one-file run
// (docs/performance.md). With the collector off until Restore, init does
// the same work and keeps at most those few megabytes uncollected; the
// CLI then sets its own policy (internal/cli/gc.go).
//
// The package imports only runtime/debug and syscall, so that Go's
// initialisation order (packages in import-path order as soon as their
// imports are initialised) runs it before the large initialisers, whose
// paths sort after it or which wait on packages that do. GOGC or
// GOMEMLIMIT in the environment leave the collector alone.
package startgc

import (
	"runtime/debug"
	"syscall"
)

// saved is the collector percentage to restore; off is false when init left it alone.
var (
	saved int
	off   bool
)

func init() {
	// As tuneGC (internal/cli/gc.go): an empty value counts as unset.
	if v, _ := syscall.Getenv("GOGC"); v != "" {
		return
	}
	if v, _ := syscall.Getenv("GOMEMLIMIT"); v != "" {
		return
	}
	saved, off = debug.SetGCPercent(-1), true
}

// Restore puts the collector back as init found it (once; later calls do
// nothing).
func Restore() {
	if off {
		off = false
		debug.SetGCPercent(saved)
	}
}
