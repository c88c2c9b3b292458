//go:build unix

package cli

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/k8slint/k8slint/internal/testfs"
)

// A FIFO never hangs k8slint: not as the configuration, not as the file an
// editor's buffer names, not when SARIF reports that file.
func TestFIFOsDoNotHang(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{".git/HEAD": "x\n", "deploy/web.yaml": badPod})
	for _, name := range []string{"cfg/.k8slint.yaml", "deploy/pod.yaml"} {
		testfs.Write(t, dir, filepath.Dir(name)+"/.keep", nil)
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Skip("mkfifo:", err)
		}
	}
	t.Chdir(dir)
	if _, errs, code := runBounded(t, "", "--config", "cfg/.k8slint.yaml", "."); code != ExitUsage || !strings.Contains(errs, "not a regular file") {
		t.Errorf("FIFO --config: exit %d %s", code, errs)
	}
	if _, errs, code := runBounded(t, "", "cfg"); code != ExitUsage || !strings.Contains(errs, "not a regular file") {
		t.Errorf("FIFO .k8slint.yaml: exit %d %s", code, errs)
	}
	for _, format := range []string{"sarif", "text", "json", "github"} {
		out, errs, code := runBounded(t, badPod, "--format", format, "--stdin-filename", "deploy/pod.yaml", "-")
		if code != ExitFindings || !strings.Contains(out, "pod.yaml") || strings.Contains(out, "web.yaml") {
			t.Errorf("%s: FIFO named by --stdin-filename: exit %d\n%s%s", format, code, out, errs)
		}
		if format == "sarif" && !strings.Contains(out, `"startLine": 10`) {
			t.Errorf("sarif: no region from the loaded bytes:\n%s", out)
		}
	}
}
