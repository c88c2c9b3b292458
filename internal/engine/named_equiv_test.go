package engine

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/cache"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/gencorpus"
)

// TestNamedFileMatchesFullRun checks the named-file mode against the full
// run: for every file F of a tree, `k8slint F` (Paths F, Root the tree)
// gives exactly the findings of the full run whose file or a related
// location is F. It guards every shortcut that a named run takes (see
// named.focus), and the findings cache on the way. Trees: testdata/article, every rule's testdata directory,
// and a generated tree with mistakes of every kind of model.
func TestNamedFileMatchesFullRun(t *testing.T) {
	store := cache.Open(t.TempDir())
	for _, root := range equivRoots(t, generatedWithMistakes(t)) {
		t.Run(filepath.Base(root), func(t *testing.T) {
			full, err := Run(Options{Paths: []string{root}, Root: root, Jobs: 2})
			if err != nil {
				t.Fatal(err)
			}
			files := regularFiles(root)
			for _, f := range files {
				want := touching(full.Findings, f)
				// Without the cache, then through it twice: written, then
				// read (TestCachedRunMatchesFullRun edits the trees).
				for pass, store := range []*cache.Store{nil, store, store} {
					res, err := Run(Options{Paths: []string{f}, Root: root, Jobs: 2, Cache: store})
					if err != nil {
						t.Fatal(err)
					}
					got := findingStrings(res.Findings)
					if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
						rel, _ := filepath.Rel(root, f)
						t.Errorf("k8slint %s (pass %d, cache %v):\ngot:\n%s\nwant (the full run's):\n%s", rel, pass, store != nil, g, w)
					}
				}
			}
		})
	}
}

func touches(f diag.Finding, path string) bool {
	if f.File == path {
		return true
	}
	for _, r := range f.Related {
		if r.File == path {
			return true
		}
	}
	return false
}

func findingString(f diag.Finding) string { return fmt.Sprintf("%+v", f) }

// equivRoots are the trees of the named-run equivalence tests, absolute:
// testdata/article, every rule's testdata directory, then extra.
func equivRoots(t *testing.T, extra ...string) []string {
	roots := []string{filepath.Join("..", "..", "testdata", "article")}
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "rules", "testdata", "*"))
	var out []string
	for _, r := range append(append(roots, dirs...), extra...) {
		abs, err := filepath.Abs(r)
		if err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(abs); err == nil && st.IsDir() {
			out = append(out, abs)
		}
	}
	return out
}

// touching is the findings of fs that touch path, as findingString.
func touching(fs []diag.Finding, path string) []string {
	var out []string
	for _, f := range fs {
		if touches(f, path) {
			out = append(out, findingString(f))
		}
	}
	return out
}

// findingStrings is fs as findingString.
func findingStrings(fs []diag.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, findingString(f))
	}
	return out
}

// regularFiles lists the regular files under root, in walk order.
func regularFiles(root string) []string {
	var files []string
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	return files
}

// writeFiles writes the files of a map of slash paths under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// generatedWithMistakes writes 48 generated manifest files in 4
// directories, with mistakes for the per-object and the cross-file
// models in some of them, and Node objects.
func generatedWithMistakes(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "generated")
	if err := gencorpus.Write(dir, 48, 4); err != nil {
		t.Fatal(err)
	}
	edits := []struct{ old, new string }{
		{"periodSeconds: 20", "periodSecnds: 20"},                                                          // unknown field
		{"replicas: ", "replicas: x"},                                                                      // wrong type
		{"limits: {memory: ", "limits: {memory: 1KB, cpu: "},                                               // invalid quantity
		{"- {name: LOG_LEVEL, value: info}", "- {name: LOG_LEVEL, value: 1}"},                              // env value not a string
		{"selector: {app: ", "selector: {app: nothing-"},                                                   // a Service selecting nothing
		{"targetPort: ", "targetPort: 1"},                                                                  // an unresolved port
		{"tcpSocket: {port: ", "tcpSocket: {port: 9"},                                                      // an undeclared probe port
		{"apiVersion: apps/v1", "apiVersion: extensions/v1beta1"},                                          // deprecated
		{"        env:\n", "        envFrom:\n        - configMapRef: {name: missing-cm}\n        env:\n"}, // a missing reference
		{"requests: {cpu: ", "requests: {cpu: 64"},                                                         // more than a node holds
	}
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if n%3 == 0 {
			e := edits[(n/3)%len(edits)]
			data, _ := os.ReadFile(p)
			if err := os.WriteFile(p, bytes.Replace(data, []byte(e.old), []byte(e.new), 1), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		n++
		return nil
	})
	nodes := "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\nstatus:\n  allocatable: {cpu: \"4\", memory: 8Gi, pods: \"110\"}\n"
	if err := os.WriteFile(filepath.Join(dir, "nodes.yaml"), []byte(nodes), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
