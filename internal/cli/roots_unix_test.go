//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/internal/report"
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
		// (web.yaml may appear in the rule pages that SARIF carries: look at the findings' files)
		if code != ExitFindings || !strings.Contains(out, "pod.yaml") || strings.Contains(out, "deploy/web.yaml") {
			t.Errorf("%s: FIFO named by --stdin-filename: exit %d\n%s%s", format, code, out, errs)
		}
		if format == "sarif" && !strings.Contains(out, `"startLine": 10`) {
			t.Errorf("sarif: no region from the loaded bytes:\n%s", out)
		}
	}
}

// A file that became a FIFO after it was loaded does not hang the SARIF
// reporter: it reports from the bytes loaded, and opens nothing.
func TestSARIFAfterFileBecameFIFO(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{".git/HEAD": "x\n", "pod.yaml": badPod})
	pod := filepath.Join(dir, "pod.yaml")
	res, err := engine.Run(engine.Options{Paths: []string{dir}, Root: dir, KeepSources: true})
	if err != nil || len(res.Findings) == 0 {
		t.Fatalf("%v, %d findings", err, len(res.Findings))
	}
	if err := os.Remove(pod); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(pod, 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	done := make(chan string, 1)
	go func() {
		var b strings.Builder
		_ = report.SARIF(&b, &report.Input{Findings: res.Findings, Base: dir, Root: dir, ReadFile: res.Source})
		done <- b.String()
	}()
	select {
	case out := <-done:
		if !strings.Contains(out, `"startLine": 10`) {
			t.Errorf("no region:\n%s", out)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the SARIF reporter hangs on a FIFO")
	}
}
