package workspace

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestScript(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"ok.sh": "exec redis-server\n", "bad.sh": "if then\n", "unlisted.sh": "x\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ok, bad := filepath.Join(dir, "ok.sh"), filepath.Join(dir, "bad.sh")
	b := NewBuilder(Settings{}, []string{bad, ok}) // unlisted.sh: the walk did not list it
	b.SetRoots([]string{dir})
	ws := b.Build()
	var wg sync.WaitGroup
	got := make([]any, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = ws.Script(ok)
			ws.Script(bad)
		}()
	}
	wg.Wait()
	for _, g := range got {
		if g != got[0] {
			t.Fatal("a script was read more than once")
		}
	}
	if s := ws.Script(ok); s.File == nil || s.Err != nil {
		t.Errorf("ok.sh: %v", s.Err)
	}
	if s := ws.Script(filepath.Join(dir, "unlisted.sh")); s.File != nil || s.Err == nil {
		t.Errorf("read a file the walk did not list")
	}
	notes := ws.ScriptNotes()
	if len(notes) != 2 || !strings.Contains(notes[0], "bad.sh: script not read: does not parse") || !strings.Contains(notes[1], "unlisted.sh: script not read: not a file of the linted tree") {
		t.Errorf("notes %q", notes)
	}
}
