package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/testfs"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	testfs.WriteFiles(t, dir, files)
}

// Files named explicitly (as pre-commit passes staged files) are linted with
// the whole project around them; only their findings are reported.
func TestNamedFilesUseTheProject(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		".git/HEAD":       "ref: refs/heads/main\n",
		"Dockerfile":      "FROM python:3.12\nCOPY /code/app.py /srv/\n",
		"code/app.py":     "print()\n",
		"deploy/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x:1\n    env:\n    - {name: A, value: 1}\n",
	})
	t.Chdir(dir)
	// The COPY source exists in the context (code/app.py): only the project
	// walk knows it, and then the finding is a warning, not an error.
	out, errs, code := run(t, "", "--color", "never", "Dockerfile")
	if code != ExitFindings || !strings.Contains(out, "Dockerfile:2:6: warning:") || strings.Contains(out, "pod.yaml") {
		t.Errorf("Dockerfile alone: exit %d\n%s%s", code, out, errs)
	}
	// From a subdirectory: text paths stay relative to the working directory,
	// GitHub paths are relative to the project root.
	t.Chdir(filepath.Join(dir, "deploy"))
	out, _, _ = run(t, "", "--color", "never", "pod.yaml")
	if !strings.HasPrefix(out, "pod.yaml:10:") || strings.Contains(out, "Dockerfile") {
		t.Errorf("text from deploy/:\n%s", out)
	}
	out, _, _ = run(t, "", "--format", "github", "pod.yaml")
	if !strings.HasPrefix(out, "::error file=deploy/pod.yaml,line=10,col=24,") {
		t.Errorf("github from deploy/:\n%s", out)
	}
	// A directory alone is walked as it is.
	out, _, _ = run(t, "", "--color", "never", ".")
	if !strings.Contains(out, "pod.yaml:10:") || strings.Contains(out, "Dockerfile") {
		t.Errorf("directory from deploy/:\n%s", out)
	}
}
