package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadScript(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	write := func(d, name, text string) {
		if err := os.WriteFile(filepath.Join(d, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(dir, "ok.sh", "#!/bin/sh\nexec redis-server --requirepass x\n")
	write(dir, "env.sh", "#!/usr/bin/env bash\nset -e\n")
	write(dir, "bad.sh", "if then\n")
	write(dir, "py", "#!/usr/bin/env python3\nprint('x')\n")
	write(dir, "big.sh", strings.Repeat("#", MaxScriptSize+1))
	write(outside, "secret.sh", "redis-server --requirepass hunter2\n")
	if err := os.Symlink(filepath.Join(outside, "secret.sh"), filepath.Join(dir, "link.sh")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, wantErr := range map[string]string{
		"ok.sh": "", "env.sh": "", "bad.sh": "does not parse", "py": "runs python3",
		"big.sh": "limit", "link.sh": "escapes", "d": "not a regular file", "../x.sh": "escapes", "none.sh": "no such file",
	} {
		s := ReadScript(dir, name)
		switch {
		case wantErr == "" && (s.Err != nil || s.File == nil):
			t.Errorf("%s: %v", name, s.Err)
		case wantErr != "" && (s.Err == nil || !strings.Contains(s.Err.Error(), wantErr) || s.File != nil):
			t.Errorf("%s: err %v, want %q", name, s.Err, wantErr)
		}
		if strings.Contains(s.Text, "hunter2") {
			t.Errorf("%s: read a file outside the root", name)
		}
	}
}
