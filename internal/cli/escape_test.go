package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostileNamesInCLIOutput: a file and a directory named with escape
// sequences and line breaks reach neither the text report, nor -v info
// lines, nor usage errors raw (issue 15 §6).
func TestHostileNamesInCLIOutput(t *testing.T) {
	dir := t.TempDir()
	evil := "x\x1b[2J\x1b]8;;https:e\x07\r\n::error ::forged"
	sub := filepath.Join(dir, "d"+evil)
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	doc := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"n\\e[31m\\r\\n::error ::x\"\ndata:\n  a: 1\n  a: 2\n"
	if err := os.WriteFile(filepath.Join(sub, "f"+evil+".yaml"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "empty"+evil+".yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-v", "--color", "never", dir},
		{"-v", "--color", "always", dir},
		{"--format", "github", dir},
		{filepath.Join(dir, "missing"+evil)},
	} {
		stdout, stderr, _ := run(t, "", args...)
		for name, out := range map[string]string{"stdout": stdout, "stderr": stderr} {
			if strings.Contains(out, "\x1b[2J") || strings.Contains(out, "\x1b]") || strings.Contains(out, "\r") || strings.Contains(out, "\n::error ::forged") {
				t.Errorf("%v: %s holds raw control characters from a name:\n%q", args, name, out)
			}
		}
		if args[0] == "-v" && !strings.Contains(stdout, `x\x1b[2J`) {
			t.Errorf("%v: the finding in the escaped file name is missing:\n%q", args, stdout)
		}
	}
}
