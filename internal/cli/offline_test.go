package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// offlineInputs are linted with no network and an empty PATH: the rendering
// testdata and, when present, the corpus.
func offlineInputs(t *testing.T) []string {
	in := []string{"testdata/article-chart", "testdata/article-kustomize", "rules/testdata/render-error", "internal/render/testdata"}
	if _, err := os.Stat("../shared/corpus/SOURCES.tsv"); err == nil {
		in = append(in, "../shared/corpus")
	} else if _, err := os.Stat("../../shared/corpus/SOURCES.tsv"); err == nil {
		in = append(in, "../../shared/corpus")
	}
	return in
}

// What a failed exec or dial says (Go's os/exec and net errors, git's, helm's).
var execOrDial = regexp.MustCompile(`(?i)executable file not found|exec: "|fork/exec|dial tcp|dial udp|lookup [^ ]+ on|no such host|network is unreachable|connection refused|i/o timeout|x509:|git clone|helm: not found`)

// TestOfflineRendering lints the charts and kustomizations with an empty
// PATH inside a new network namespace (unshare -n: no interface but a down
// loopback), and checks that no finding and no message mentions a failed
// exec or dial: rendering never runs a process nor opens a connection.
func TestOfflineRendering(t *testing.T) {
	if os.Getenv("K8SLINT_OFFLINE_CHILD") == "1" {
		code := Run(Env{Args: strings.Fields(os.Getenv("K8SLINT_OFFLINE_ARGS")), Stdin: strings.NewReader(""), Stdout: os.Stdout, Stderr: os.Stderr})
		os.Exit(code)
	}
	if testing.Short() {
		t.Skip("short")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare is not available: the offline run needs a network namespace (util-linux unshare -n)")
	}
	if err := exec.Command(unshare, "-n", "true").Run(); err != nil {
		t.Skipf("unshare -n is not permitted here (%v): skipping the offline run", err)
	}
	t.Chdir("../..")
	self, err := filepath.Abs(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--format", "json", "-v"}, offlineInputs(t)...)
	cmd := exec.Command(unshare, "-n", self, "-test.run=^TestOfflineRendering$")
	cmd.Env = []string{"PATH=", "HOME=" + t.TempDir(), "K8SLINT_OFFLINE_CHILD=1", "K8SLINT_OFFLINE_ARGS=" + strings.Join(args, " ")}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.Output()
	stderr := errb.Bytes()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ee.ExitCode() != ExitFindings && ee.ExitCode() != ExitOK {
			t.Fatalf("exit code %d: %s", ee.ExitCode(), stderr)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"rule": "render-error"`) || !strings.Contains(string(out), "templates/web.yaml") {
		t.Errorf("the offline run did not render the charts:\n%.2000s", out)
	}
	// the findings of rendering and reading (other rules' messages may say
	// "connection refused" about what a cluster will do), and every message
	var rep struct {
		Findings []struct{ Rule, File, Message string }
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Rule != "render-error" && f.Rule != "parse-error" {
			continue
		}
		if m := execOrDial.FindString(f.Message); m != "" {
			t.Errorf("%s: %s finding mentions a failed exec or dial (%q): %s", f.File, f.Rule, m, f.Message)
		}
	}
	if m := execOrDial.Find(stderr); m != nil {
		t.Errorf("standard error mentions a failed exec or dial (%q):\n%.3000s", m, stderr)
	}
}
