package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/k8slint/k8slint/internal/diag"
)

// hostileText is what a crafted file, directory or object name may hold:
// ANSI (clear screen, color), OSC 8 (a forged hyperlink), CR, and a newline
// followed by a forged workflow command.
const hostileText = "a\x1b[2J\x1b[31mred\x1b]8;;https://evil.example\x07link\x1b]8;;\x07\rover\n::error file=x::forged\u202eevil\xff"

func hostileInput() *Input {
	return &Input{
		Base: "/src", Root: "/src", Files: 1,
		Findings: []diag.Finding{{
			Rule: "parse-error", Severity: diag.Error,
			Location: diag.Location{File: "/src/dir" + hostileText + "/f" + hostileText + ".yaml", Line: 1, Column: 1},
			Message:  "object " + hostileText, Detail: "detail " + hostileText, Fix: "fix " + hostileText,
			Related: []diag.Location{{File: "/src/" + hostileText, Line: 2, Column: 3, Message: "note " + hostileText}},
		}},
		ReadFile: func(string) ([]byte, error) { return []byte("x\n"), nil },
	}
}

// TestHostileNamesEscaped: no control character from names or messages
// reaches text or GitHub output (only the line breaks the reporter writes),
// and JSON and SARIF stay valid.
func TestHostileNamesEscaped(t *testing.T) {
	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		if err := Text(&b, hostileInput(), color); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if color {
			// The reporter's own color sequences are the only ESCs: drop them.
			for _, seq := range []string{"\x1b[1m", "\x1b[0m", "\x1b[31;1m", "\x1b[2m", "\x1b[22m", "\x1b[31m", "\x1b[1;31m"} {
				out = strings.ReplaceAll(out, seq, "")
			}
			out = strings.ReplaceAll(out, "\x1b[", "<csi>") // checked below: none may remain from the input
			if strings.Contains(out, "<csi>2J") || strings.Contains(out, "\x1b]") {
				t.Errorf("text (color): input escape sequence passed through:\n%q", out)
			}
			continue
		}
		checkClean(t, "text", out, -1) // the layout wraps: the line count depends on the width
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "::") {
				t.Errorf("text: a forged line: %q", l)
			}
		}
	}
	var b bytes.Buffer
	if err := GitHub(&b, hostileInput()); err != nil {
		t.Fatal(err)
	}
	checkClean(t, "github", b.String(), 2) // command, summary
	if strings.Contains(b.String(), "\n::error file=x") {
		t.Errorf("github: forged command line:\n%s", b.String())
	}
	for name, f := range map[string]func(*bytes.Buffer, *Input) error{
		"json":  func(w *bytes.Buffer, in *Input) error { return JSON(w, in) },
		"sarif": func(w *bytes.Buffer, in *Input) error { return SARIF(w, in) },
	} {
		var b bytes.Buffer
		if err := f(&b, hostileInput()); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(b.Bytes()) {
			t.Errorf("%s: invalid JSON", name)
		}
		if bytes.ContainsAny(b.Bytes(), "\x1b\r") {
			t.Errorf("%s: raw control characters", name)
		}
	}
}

func checkClean(t *testing.T, name, out string, lines int) {
	t.Helper()
	if n := strings.Count(out, "\n"); lines >= 0 && n != lines {
		t.Errorf("%s: %d lines, want %d:\n%s", name, n, lines, out)
	}
	// Invalid UTF-8 is escaped; a validly encoded U+FFFD (a file may be
	// named so) is a printable character like any other.
	if !utf8.ValidString(out) {
		t.Errorf("%s: invalid UTF-8 in output:\n%q", name, out)
	}
	for _, r := range strings.ReplaceAll(out, "\n", "") {
		if r < 0x20 || r >= 0x7f && r < 0xa0 || r == 0x202e {
			t.Errorf("%s: control character %U in output:\n%q", name, r, out)
			return
		}
	}
}

// FuzzHostileNames: whatever a file name, rule ID or message holds, text
// and GitHub output have exactly their own line breaks and no control
// character, and JSON output stays valid.
func FuzzHostileNames(f *testing.F) {
	f.Add("/src/a.yaml", "msg", "note")
	f.Add("/src/"+hostileText, hostileText, hostileText)
	f.Fuzz(func(t *testing.T, file, msg, note string) {
		in := &Input{Base: "/src", Root: "/src", Files: 1, Findings: []diag.Finding{{
			Rule: "parse-error", Severity: diag.Error, Message: msg,
			Location: diag.Location{File: file, Line: 1, Column: 1},
			Related:  []diag.Location{{File: file, Line: 1, Message: note}},
		}}}
		var b bytes.Buffer
		if err := Text(&b, in, false); err != nil {
			t.Fatal(err)
		}
		checkClean(t, "text", b.String(), -1) // wrapped to the width
		b.Reset()
		if err := TextWith(&b, in, TextOptions{Compact: true}); err != nil {
			t.Fatal(err)
		}
		checkClean(t, "text --compact", b.String(), 2) // the finding, the summary
		b.Reset()
		if err := GitHub(&b, in); err != nil {
			t.Fatal(err)
		}
		checkClean(t, "github", b.String(), 2)
		b.Reset()
		if err := JSON(&b, in); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(b.Bytes()) {
			t.Fatalf("invalid JSON for %q %q", file, msg)
		}
	})
}
