package workspace

import (
	"path/filepath"
	"sort"
	"sync"

	"github.com/k8slint/k8slint/internal/discovery"
	"github.com/k8slint/k8slint/internal/load"
)

// scripts holds the shell scripts read on demand (entrypoint scripts that a
// Dockerfile copies from its context), each read and parsed once.
type scripts struct {
	mu    sync.Mutex
	byAbs map[string]*scriptOnce
	notes []string
}

type scriptOnce struct {
	once sync.Once
	s    *load.Script
}

var scriptStore = NewResult(func(*Workspace) *scripts { return &scripts{byAbs: map[string]*scriptOnce{}} })

// Script returns the shell script at abs (absolute), read and parsed once
// per workspace. It is read only when the walk listed it (a regular file
// of a walked directory; a symbolic link whose real path lies outside the
// project root never is), it still resolves inside its walked directory,
// and it is at most load.MaxScriptSize bytes; otherwise, or when it does
// not parse, the result has no File and Err says why (ScriptNotes).
func (ws *Workspace) Script(abs string) *load.Script {
	st := scriptStore.Of(ws)
	st.mu.Lock()
	o := st.byAbs[abs]
	if o == nil {
		o = &scriptOnce{}
		st.byAbs[abs] = o
	}
	st.mu.Unlock()
	o.once.Do(func() {
		o.s = ws.readScript(abs)
		if o.s.Err != nil {
			st.mu.Lock()
			st.notes = append(st.notes, abs+": script not read: "+o.s.Err.Error())
			st.mu.Unlock()
		}
	})
	return o.s
}

type scriptError string

func (e scriptError) Error() string { return string(e) }

func (ws *Workspace) readScript(abs string) *load.Script {
	i := sort.SearchStrings(ws.files, abs)
	if i == len(ws.files) || ws.files[i] != abs {
		return &load.Script{Path: abs, Err: scriptError("not a file of the linted tree (outside it, skipped, or a link that leaves the project root)")}
	}
	root := ""
	for _, r := range ws.roots {
		if discovery.Within(r, abs) && len(r) > len(root) {
			root = r
		}
	}
	if root == "" || !discovery.Inside(root, abs) {
		return &load.Script{Path: abs, Err: scriptError("its real path lies outside the walked directory")}
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return &load.Script{Path: abs, Err: err}
	}
	return load.ReadScript(root, rel)
}

// ScriptNotes says which scripts could not be read or parsed, and why
// (shown with -v once the rules have run), sorted.
func (ws *Workspace) ScriptNotes() []string {
	st := scriptStore.Of(ws)
	st.mu.Lock()
	defer st.mu.Unlock()
	out := append([]string(nil), st.notes...)
	sort.Strings(out)
	return out
}
