package engine

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/discovery"
	"github.com/k8slint/k8slint/internal/workspace"
)

// named is the set of paths named on the command line when some of them are
// files (as pre-commit names the staged files). The engine then loads the
// whole project, since findings need their neighbours (the .dockerignore of a
// Dockerfile, the Nodes and the other workloads), and keeps the findings
// whose file, or one of whose related locations, is a named file; a named
// directory names every file under it.
type named struct {
	files map[string]bool
	dirs  []string // with a trailing separator
	roots []string // what to walk
}

// namedPaths returns the named set when paths name at least one regular
// file, and nil otherwise (only directories: they are walked as they are). A
// path that does not exist also returns nil, so that the walk reports it.
// stdin, when set, is the absolute --stdin-filename: a named file that
// need not exist.
func namedPaths(root string, paths []string, stdin string) *named {
	n := &named{files: map[string]bool{}}
	anyFile := false
	roots := map[string]bool{}
	if stdin != "" {
		anyFile = true
		n.files[stdin] = true
		r := root
		if !within(root, stdin) {
			r = discovery.Root(stdin)
		}
		roots[r] = true
		n.roots = append(n.roots, r)
	}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil
		}
		st, err := os.Stat(abs)
		if err != nil {
			return nil
		}
		if st.IsDir() {
			n.dirs = append(n.dirs, strings.TrimSuffix(abs, string(filepath.Separator))+string(filepath.Separator))
		} else {
			anyFile = true
			n.files[abs] = true
		}
		r := root
		if !within(root, abs) {
			// Outside the project: its own project, or its directory.
			r = discovery.Root(abs)
		}
		if !roots[r] {
			roots[r] = true
			n.roots = append(n.roots, r)
		}
	}
	if !anyFile {
		return nil
	}
	return n
}

func within(dir, path string) bool { return discovery.Within(dir, path) }

func (n *named) has(path string) bool {
	if n.files[path] {
		return true
	}
	for _, d := range n.dirs {
		if strings.HasPrefix(path, d) {
			return true
		}
	}
	return false
}

// fileSet is the set of named files (nil for a nil set).
func (n *named) fileSet() map[string]bool {
	if n == nil {
		return nil
	}
	return n.files
}

// filter keeps the findings whose file or a related location is named.
func (n *named) filter(fs []diag.Finding) []diag.Finding {
	out := fs[:0]
	for _, f := range fs {
		keep := n.has(f.File)
		for _, r := range f.Related {
			keep = keep || n.has(r.File)
		}
		if keep {
			out = append(out, f)
		}
	}
	return out
}

// focus restricts the per-object models (schema walk, API validation) to
// the objects of the named files: their findings are about one object and
// sit in its file, so those of the other files would only be filtered out.
// The cross-file models still see the whole project. No-op without named
// files.
func (n *named) focus(b *workspace.Builder) {
	if n != nil {
		b.SetFocus(n.has)
	}
}
