package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/diag"
)

func textInput() *Input {
	src := map[string]string{
		"/p/deploy/web.yaml": "a: 1\n\tkey: x\x1b[31m\n    value: 8004\r\n",
	}
	return &Input{
		Files: 4, Base: "/p",
		ReadFile: func(p string) ([]byte, error) { return []byte(src[p]), nil },
		Findings: []diag.Finding{
			{Rule: "env-value-not-string", Severity: diag.Error, Location: diag.Location{File: "/p/deploy/web.yaml", Line: 3, Column: 12, EndLine: 3, EndColumn: 16},
				Message: `env "PORT" value 8004 is not a string`,
				Detail:  "kubectl reads it as a YAML 1.1 integer and sends a JSON integer, so the API server rejects the manifest (cannot unmarshal number into EnvVar.value of type string)",
				Fix:     `quote it: value: "8004"`,
				Related: []diag.Location{{File: "/p/Dockerfile", Line: 2, Column: 1, Message: "the other side"}}},
			{Rule: "x", Severity: diag.Warning, Location: diag.Location{File: "/p/deploy/web.yaml", Line: 2, Column: 2, EndLine: 2, EndColumn: 5},
				Message: "tab and escape"},
			{Rule: "y", Severity: diag.Info, Location: diag.Location{File: "/p/gone.yaml", Line: 9, Column: 1}, Message: "no source"},
		},
	}
}

func TestTextFull(t *testing.T) {
	var buf bytes.Buffer
	if err := TextWith(&buf, textInput(), TextOptions{Width: 60}); err != nil {
		t.Fatal(err)
	}
	want := `deploy/web.yaml:3:12: error: env "PORT" value 8004 is not a string [env-value-not-string]
  3 |     value: 8004
    |            ^^^^
    kubectl reads it as a YAML 1.1 integer and sends a JSON
    integer, so the API server rejects the manifest (cannot
    unmarshal number into EnvVar.value of type string)
    fix: quote it: value: "8004"
    Dockerfile:2:1: note: the other side
deploy/web.yaml:2:2: warning: tab and escape [x]
  2 |     key: x\u001b[31m
    |     ^^^
gone.yaml:9:1: info: no source [y]
k8slint: 3 problems (1 error, 1 warning, 1 info) in 2 of 4 files
`
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestTextCompact(t *testing.T) {
	var buf bytes.Buffer
	if err := TextWith(&buf, textInput(), TextOptions{Compact: true}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("want one line per finding and a summary, got:\n%s", buf.String())
	}
	if want := `deploy/web.yaml:3:12: error: env "PORT" value 8004 is not a string: kubectl reads it as a YAML 1.1 integer and sends a JSON integer, so the API server rejects the manifest (cannot unmarshal number into EnvVar.value of type string); quote it: value: "8004" [env-value-not-string]`; lines[0] != want {
		t.Errorf("got  %s\nwant %s", lines[0], want)
	}
}

func TestSnippetLongLine(t *testing.T) {
	line := strings.Repeat("x", 500) + "TARGET" + strings.Repeat("y", 500)
	text, marker := snippet(line, diag.Location{Line: 1, Column: 501, EndLine: 1, EndColumn: 507}, 70)
	if n := len([]rune(text)); n > 70 {
		t.Errorf("line of %d characters, want at most 70: %s", n, text)
	}
	at := strings.Index(marker, "^")
	if got := string([]rune(text)[at : at+6]); got != "TARGET" || strings.Count(marker, "^") != 6 {
		t.Errorf("marker does not sit under TARGET:\n%s\n%s", text, marker)
	}
	// A span past the end of the line marks the end.
	if _, m := snippet("ab", diag.Location{Line: 1, Column: 9}, 70); m != "  ^" {
		t.Errorf("marker %q, want %q", m, "  ^")
	}
}

func TestSummary(t *testing.T) {
	for _, tc := range []struct {
		in   Input
		want string
	}{
		{Input{Files: 180}, "k8slint: no problems found in 180 files"},
		{Input{Files: 1}, "k8slint: no problems found in 1 file"},
		{Input{Files: 180, Findings: []diag.Finding{{Severity: diag.Error, Location: diag.Location{File: "a"}}, {Severity: diag.Error, Location: diag.Location{File: "a"}}, {Severity: diag.Warning, Location: diag.Location{File: "b"}}}},
			"k8slint: 3 problems (2 errors, 1 warning) in 2 of 180 files"},
		{Input{Files: 1, Findings: []diag.Finding{{Severity: diag.Warning, Location: diag.Location{File: "a"}}, {Severity: diag.Warning, Location: diag.Location{File: "b"}}}},
			"k8slint: 2 problems (2 warnings) in 2 files"},
	} {
		if got := Summary(&tc.in); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}
