package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/k8slint/k8slint/internal/testfs"
)

// TestCacheFlags: a named file is served from the cache on the second run
// (-v says so), --no-cache neither reads nor writes it, `k8slint cache
// clean` empties it and `k8slint cache dir` prints it.
func TestCacheFlags(t *testing.T) {
	project := t.TempDir()
	testfs.Write(t, project, ".git/HEAD", []byte("ref: refs/heads/main\n"))
	testfs.Write(t, project, "pod.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    env:\n    - {name: X, value: 1}\n"))
	time.Sleep(60 * time.Millisecond) // no longer racy
	dir := filepath.Join(t.TempDir(), "cache")
	env := map[string]string{"K8SLINT_CACHE_DIR": dir}
	lint := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := Run(Env{Args: args, Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
		return out.String(), errb.String(), code
	}
	pod := filepath.Join(project, "pod.yaml")
	first, _, code := lint("-v", "--color", "never", pod)
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s", code, first)
	}
	out, errs, code := lint("-v", "--color", "never", pod)
	if code != ExitFindings || out != first || !strings.Contains(errs, "findings from the cache") {
		t.Errorf("second run: exit %d, stderr %q\n%s\nwant\n%s", code, errs, out, first)
	}
	if _, errs, _ := lint("-v", "--no-cache", pod); strings.Contains(errs, "findings from the cache") {
		t.Error("--no-cache read the cache")
	}
	if out, _, code := lint("cache", "dir"); code != ExitOK || strings.TrimSpace(out) != dir {
		t.Errorf("cache dir: exit %d, %q", code, out)
	}
	if out, errs, code := lint("cache", "clean"); code != ExitOK || !strings.Contains(out, "removed 1 cache entries") {
		t.Errorf("cache clean: exit %d, %q %q", code, out, errs)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("the cache directory is left after cache clean")
	}
	if _, _, code := lint("--no-cache", pod); code != ExitFindings {
		t.Errorf("exit %d", code)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("--no-cache wrote the cache")
	}
	if _, _, code := lint("cache", "wipe"); code != ExitUsage {
		t.Errorf("cache wipe: exit %d, want a usage error", code)
	}
}
