package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/ruletest"
	"github.com/k8slint/k8slint/internal/testfs"
)

func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(Env{Args: args, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return out.String(), errb.String(), code
}

// TestArticle lints the seed article's project (what `make run` does) and
// compares the whole text output with testdata/article/k8slint.golden.
func TestArticle(t *testing.T) {
	t.Chdir("../..")
	out, errs, code := run(t, "", "--color", "never", "testdata/article")
	if code != ExitFindings {
		t.Errorf("exit code %d, want %d; stderr: %s", code, ExitFindings, errs)
	}
	ruletest.Golden(t, "testdata/article/k8slint.golden", []byte(out))
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		testfs.Write(t, dir, name, []byte(content))
		return filepath.Join(dir, name)
	}
	clean := write("clean/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n")
	bad := write("bad/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    env:\n    - name: X\n      value: 1\n")
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string // substring of stdout
		err  string // substring of stderr
	}{
		{"clean", []string{clean}, ExitOK, "k8slint: no problems found in 1 file", ""},
		{"error finding", []string{bad}, ExitFindings, "error: env \"X\" value 1 is not a string", ""},
		{"fail-on error still fails on an error", []string{"--fail-on", "error", bad}, ExitFindings, "", ""},
		{"flags after paths", []string{bad, "--format", "json"}, ExitFindings, `"rule": "env-value-not-string"`, ""},
		{"missing path", []string{filepath.Join(dir, "nope")}, ExitUsage, "", "nope: no such file or directory"},
		{"bad flag", []string{"--no-such-flag"}, ExitUsage, "", "k8slint: unknown flag --no-such-flag; see k8slint --help\n"},
		{"bad flag prints one line", []string{"--no-such-flag"}, ExitUsage, "", ""},
		{"flag without its value", []string{"--format"}, ExitUsage, "", "k8slint: flag needs an argument: --format; see k8slint --help"},
		{"-j 0", []string{"-j", "0", clean}, ExitUsage, "", "-j: 0 is not a number of parallel jobs"},
		{"max-file-size overflow", []string{"--max-file-size", "17179869184G", clean}, ExitUsage, "", `--max-file-size: size "17179869184G" is too large`},
		{"fail-on never", []string{"--fail-on", "never", bad}, ExitOK, "error: env \"X\" value 1 is not a string", ""},
		{"enable one rule", []string{"--enable", "copy-absolute-source", bad}, ExitOK, "no problems found", ""},
		{"enable a comma list", []string{"--enable", "copy-absolute-source,env-value-not-string", bad}, ExitFindings, "env-value-not-string", ""},
		{"disable", []string{"--disable", "env-value-not-string", "--disable", "duplicate-key", bad}, ExitOK, "no problems found", ""},
		{"unknown rule", []string{"--disable", "env-value-not-strin", bad}, ExitUsage, "", `--disable: unknown rule "env-value-not-strin" (did you mean "env-value-not-string"?)`},
		{"version", []string{"--version"}, ExitOK, "k8slint dev (go", ""},
		{"version command", []string{"version"}, ExitOK, "k8slint dev (go", ""},
		{"bad format", []string{"--format", "xml", clean}, ExitUsage, "", "unknown format"},
		{"bad fail-on", []string{"--fail-on", "fatal", clean}, ExitUsage, "", `--fail-on: unknown value "fatal" (want error, warning, info or never)`},
		{"nothing to lint", []string{write("empty/README.md", "# hi\n")}, ExitOK, "", "k8slint: nothing to lint"},
		{"help", []string{"--help"}, ExitOK, "", "Exit codes:"},
		{"bad kube-version", []string{"--kube-version", "latest", clean}, ExitUsage, "", "--kube-version: invalid Kubernetes version"},
		{"bad node-capacity", []string{"--node-capacity", "cpu=lots", clean}, ExitUsage, "", "--node-capacity: cpu=lots: not a Kubernetes quantity"},
		{"node-capacity key that is no resource", []string{"--node-capacity", "cpu=2,mem=1Gi", clean}, ExitUsage, "", `--node-capacity: "mem": not a node resource`},
		{"node-capacity count too large", []string{"--node-capacity", "cpu=2,count=1000000000000", clean}, ExitUsage, "", "from 1 to 100000"},
		{"node-capacity and kube-version", []string{"--node-capacity", "cpu=100m,count=2", "--kube-version", "v1.15", bad}, ExitFindings, "error: env \"X\" value 1", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := run(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errs)
			}
			if !strings.Contains(out, tc.out) {
				t.Errorf("stdout %q does not contain %q", out, tc.out)
			}
			if !strings.Contains(errs, tc.err) {
				t.Errorf("stderr %q does not contain %q", errs, tc.err)
			}
			if strings.HasSuffix(tc.name, "one line") && strings.Count(errs, "\n") != 1 {
				t.Errorf("stderr is %d lines, want 1: %q", strings.Count(errs, "\n"), errs)
			}
		})
	}
}

func TestStdin(t *testing.T) {
	manifest := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x\n    env:\n    - {name: A, value: yes}\n"
	out, errs, code := run(t, manifest, "--stdin-filename", "pod.yaml", "--format", "json", "-")
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	var doc struct {
		Findings []map[string]any `json:"findings"`
		Summary  map[string]int   `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 || doc.Findings[0]["file"] != "pod.yaml" || doc.Findings[0]["line"] != float64(10) || doc.Findings[0]["column"] != float64(24) {
		t.Errorf("findings = %v", doc.Findings)
	}
	for _, k := range []string{"rule", "severity", "file", "line", "column", "endLine", "endColumn", "message", "related"} {
		if _, ok := doc.Findings[0][k]; !ok {
			t.Errorf("finding lacks key %q", k)
		}
	}
	if doc.Summary["errors"] != 1 || doc.Summary["files"] != 1 {
		t.Errorf("summary = %v", doc.Summary)
	}
}

func TestColor(t *testing.T) {
	t.Chdir("../..")
	out, _, _ := run(t, "", "--color", "always", "testdata/article/deploy/web.yaml")
	if !strings.Contains(out, "\x1b[") {
		t.Errorf("--color always printed no escape codes")
	}
	out, _, _ = run(t, "", "testdata/article/deploy/web.yaml")
	if strings.Contains(out, "\x1b[") {
		t.Errorf("--color auto on a non-terminal printed escape codes")
	}
	var o bytes.Buffer
	Run(Env{Args: []string{"testdata/article/deploy/web.yaml"}, Stdout: &o, Stderr: &o, IsTerminal: true,
		Getenv: func(k string) string {
			if k == "NO_COLOR" {
				return "1"
			}
			return ""
		}})
	if strings.Contains(o.String(), "\x1b[") {
		t.Errorf("NO_COLOR was not honoured")
	}
}

// k8slint's own image (Dockerfile, .dockerignore) lints clean.
func TestOwnDockerfileClean(t *testing.T) {
	t.Chdir("../..")
	out, errs, code := run(t, "", "--color", "never", "Dockerfile", ".dockerignore")
	if code != ExitOK || !strings.Contains(out, "no problems found") {
		t.Errorf("k8slint Dockerfile .dockerignore: exit %d\n%s%s", code, out, errs)
	}
}

// TestTextLayout: the text output shows the source line and a marker, the
// detail and the fix wrapped to $COLUMNS; --compact keeps one line per finding.
func TestTextLayout(t *testing.T) {
	dir := t.TempDir()
	testfs.Write(t, dir, "pod.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    env:\n    - name: X\n      value: 1\n"))
	path := filepath.Join(dir, "pod.yaml")
	lint := func(env map[string]string, args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := Run(Env{Args: args, Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
		return out.String(), errb.String(), code
	}
	out, _, code := lint(map[string]string{"COLUMNS": "50"}, "--color", "never", path)
	if code != ExitFindings {
		t.Fatalf("exit code %d", code)
	}
	for _, want := range []string{
		"pod.yaml:11:14: error: env \"X\" value 1 is not a string [env-value-not-string]\n",
		"  11 |       value: 1\n     |              ^\n",
		"    fix: quote it: value: \"1\"\n",
		"k8slint: 1 problem (1 error) in 1 of 1 file\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if len(l) > 50 && !strings.HasSuffix(l, "]") && !strings.HasPrefix(l, "k8slint:") {
			t.Errorf("line of %d characters, want at most 50 ($COLUMNS): %q", len(l), l)
		}
	}
	out, _, _ = lint(nil, "--compact", path)
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || !strings.Contains(lines[0], "is not a string: kubectl reads it") || !strings.HasSuffix(lines[0], "; quote it: value: \"1\" [env-value-not-string]") {
		t.Errorf("--compact: want one line per finding and the summary, got:\n%s", out)
	}
	if _, errs, code := lint(nil, "--compact", "--format", "json", path); code != ExitUsage || !strings.Contains(errs, "--compact: only for --format text") {
		t.Errorf("--compact --format json: exit %d, stderr %q", code, errs)
	}
}
