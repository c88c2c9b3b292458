package cache

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/k8slint/k8slint/internal/diag"
)

func entry(t *testing.T, dir string) *Entry {
	t.Helper()
	p := filepath.Join(dir, "a.yaml")
	if err := os.WriteFile(p, []byte("kind: A\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, ok := Stat(p)
	s.Kind, s.Counted = 1, true
	d, ok2 := Stat(dir)
	if !ok || !ok2 {
		t.Fatal("stat")
	}
	return &Entry{Dirs: []Stamp{d}, Files: []Stamp{s}, All: true,
		Findings: []diag.Finding{{Rule: "r", Location: diag.Location{File: p, Line: 1, Column: 1}, Message: "m",
			Related: []diag.Location{{File: p}}}},
		Loaded: 1}
}

func p(dir string) string { return filepath.Join(dir, "a.yaml") }

func TestSaveLoad(t *testing.T) {
	tree, store := t.TempDir(), Open(filepath.Join(t.TempDir(), "c"))
	e := entry(t, tree)
	if store.Load("k") != nil {
		t.Fatal("an entry before any was saved")
	}
	if err := store.Save("k", e); err != nil {
		t.Fatal(err)
	}
	got := store.Load("k")
	if got == nil || len(got.Findings) != 1 || got.Findings[0].Related[0].File != e.Findings[0].File || !got.All || got.File(e.Files[0].Path) == nil || got.File(e.Files[0].Path).Kind != 1 || got.File(p(tree)+"x") != nil {
		t.Fatalf("loaded %+v", got)
	}
	if !got.Valid(2) {
		t.Error("an unchanged tree is not valid")
	}
	// A file added changes the directory.
	time.Sleep(20 * time.Millisecond)
	if err := os.WriteFile(filepath.Join(tree, "b.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got.Valid(2) {
		t.Error("valid after a file was added")
	}
}

// TestCorrupt: a truncated, garbled or foreign entry is a miss.
func TestCorrupt(t *testing.T) {
	tree, store := t.TempDir(), Open(t.TempDir())
	if err := store.Save("k", entry(t, tree)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(store.path("k"))
	if err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"header":    data[:len(format)],
		"truncated": data[:len(data)/2],
		"one byte":  data[:len(data)-1],
		"foreign":   append([]byte("k8slint-cache-0\n"), data[len(format):]...),
		"one bit": func() []byte {
			b := append([]byte(nil), data...)
			b[len(b)-3] ^= 1
			return b
		}(),
		"garbled": func() []byte {
			b := append([]byte(nil), data...)
			for i := len(format); i < len(b); i += 7 {
				b[i] ^= 0x5a
			}
			return b
		}(),
	} {
		if err := os.WriteFile(store.path("k"), bad, 0o600); err != nil {
			t.Fatal(err)
		}
		if e := store.Load("k"); e != nil {
			t.Errorf("%s: loaded %+v", name, e)
		}
	}
}

// TestHashedFile: a racy file is checked by its content.
func TestHashedFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a")
	if err := os.WriteFile(p, []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, _ := Stat(p)
	if !s.Racy(time.Now()) {
		t.Error("a file written now is not racy")
	}
	if s.Racy(time.Now().Add(10 * time.Second)) {
		t.Error("a file written 10 s before the run is racy")
	}
	s.Hash = Hash([]byte("one"))
	s.Mtime, s.Ctime = 1, 1 // the stat of a hashed file is not compared
	if !s.holds() {
		t.Error("the same content does not hold")
	}
	s.Hash = Hash([]byte("two"))
	if s.holds() {
		t.Error("another content of the same size holds")
	}
	missing := Stamp{Path: filepath.Join(dir, "none"), Missing: true}
	if !missing.holds() {
		t.Error("a missing probe that is still missing does not hold")
	}
}

// TestConcurrent: runs that save and load one key at once never see a
// partial entry (go test -race).
func TestConcurrent(t *testing.T) {
	tree, store := t.TempDir(), Open(t.TempDir())
	e := entry(t, tree)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if i%2 == 0 {
					if err := store.Save("k", e); err != nil {
						t.Error(err)
					}
				} else if got := store.Load("k"); got != nil && len(got.Findings) != 1 {
					t.Error("a partial entry")
				}
			}
		}()
	}
	wg.Wait()
	entries, _ := os.ReadDir(store.Dir)
	if len(entries) != 1 {
		t.Errorf("%d files left in the cache, want 1 (no temporary file)", len(entries))
	}
}

// TestClean removes the entries only.
func TestClean(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	store := Open(dir)
	if err := store.Save("k", entry(t, t.TempDir())); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(other, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := Clean(dir)
	if err != nil || n != 1 {
		t.Errorf("Clean: %d, %v", n, err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Error("Clean removed a file the cache did not write")
	}
	_ = os.Remove(other)
	if n, err := Clean(dir); err != nil || n != 0 {
		t.Errorf("Clean of an empty cache: %d, %v", n, err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("the empty cache directory is left")
	}
	if n, err := Clean(dir); err != nil || n != 0 {
		t.Errorf("Clean of no cache: %d, %v", n, err)
	}
}

func TestDefaultDir(t *testing.T) {
	env := map[string]string{"HOME": "/home/u"}
	get := func(k string) string { return env[k] }
	if d := DefaultDir(get); d == "" {
		t.Error("no directory with HOME set")
	}
	env["K8SLINT_CACHE_DIR"] = "/tmp/x"
	if d := DefaultDir(get); d != "/tmp/x" {
		t.Errorf("K8SLINT_CACHE_DIR: %q", d)
	}
	if d := DefaultDir(func(string) string { return "" }); d != "" {
		t.Errorf("no environment: %q, want no cache", d)
	}
}
