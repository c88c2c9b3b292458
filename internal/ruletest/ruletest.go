// Package ruletest runs a rule over a testdata directory and checks its
// findings against expectations written in the files themselves, in the
// spirit of golang.org/x/tools/go/analysis/analysistest:
//
//	value: True  # want: env-value-not-string
//
// A `# want:` comment at the end of a YAML line expects findings on that
// line; a `# want:` comment on a line of its own (YAML, Dockerfiles,
// .dockerignore and conf files) expects them on the next line. Several IDs
// may be listed, separated by spaces or commas; `id@warning` also checks the
// severity. Run also compares the full text output with `expected.golden` in
// the directory (rewrite it with `go test -update`). Files that cannot hold
// comments (JSON) list their expectations in `want.txt` in the directory, one
// `file:line: rule-id[@severity]` per line.
package ruletest

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/discovery"
	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/internal/report"
	"github.com/k8slint/k8slint/rules"
)

// Update rewrites golden files instead of comparing them.
var Update = flag.Bool("update", false, "rewrite golden files")

var wantRe = regexp.MustCompile(`#\s*want:\s*(.*)$`)

// Want is one expected finding.
type Want struct {
	File     string // relative to the test directory, slash-separated
	Line     int
	Rule     string
	Severity string // optional
	// Pattern is an optional regular expression that the finding's whole
	// text (headline, detail and fix) must match: `# want: rule-id "quote it"`.
	Pattern string
}

func (w Want) String() string {
	s := fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Rule)
	if w.Severity != "" {
		s += "@" + w.Severity
	}
	return s
}

// Wants collects the `# want:` expectations of every input file under dir.
func Wants(t testing.TB, dir string) []Want {
	t.Helper()
	var out []Want
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		kind, ok := discovery.Classify(d.Name())
		if !ok {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<24)
		line := 0
		for sc.Scan() {
			line++
			text := sc.Text()
			m := wantRe.FindStringSubmatchIndex(text)
			if m == nil {
				continue
			}
			target := line + 1
			if kind == discovery.Manifest && strings.TrimSpace(text[:m[0]]) != "" {
				target = line
			}
			ws, err := parseWants(text[m[2]:m[3]])
			if err != nil {
				t.Fatalf("%s:%d: %v", rel, line, err)
			}
			for _, w := range ws {
				w.File, w.Line = rel, target
				out = append(out, w)
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "want.txt")); err == nil {
		for i, l := range strings.Split(string(data), "\n") {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			var w Want
			var rule string
			loc, r, ok := strings.Cut(l, ": ")
			file, line, ok2 := strings.Cut(loc, ":")
			if _, err := fmt.Sscan(line, &w.Line); !ok || !ok2 || err != nil {
				t.Fatalf("want.txt:%d: want `file:line: rule-id`, got %q", i+1, l)
			}
			rule = strings.TrimSpace(r)
			w.File = file
			w.Rule, w.Severity, _ = strings.Cut(rule, "@")
			out = append(out, w)
		}
	}
	return out
}

// parseWants reads the list after `want:`: rule IDs (optionally
// `id@severity`) separated by spaces or commas, each optionally followed by
// a Go-quoted regular expression for its message.
func parseWants(s string) ([]Want, error) {
	var out []Want
	for {
		s = strings.TrimLeft(s, " \t,")
		if s == "" {
			return out, nil
		}
		if s[0] == '"' || s[0] == '`' {
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				return nil, fmt.Errorf("bad message pattern %s: %w", s, err)
			}
			if len(out) == 0 || out[len(out)-1].Pattern != "" {
				return nil, fmt.Errorf("message pattern %s follows no rule ID", q)
			}
			p, _ := strconv.Unquote(q)
			if _, err := regexp.Compile(p); err != nil {
				return nil, fmt.Errorf("message pattern %s: %w", q, err)
			}
			out[len(out)-1].Pattern = p
			s = s[len(q):]
			continue
		}
		end := strings.IndexAny(s, " \t,")
		if end < 0 {
			end = len(s)
		}
		id, sev, _ := strings.Cut(s[:end], "@")
		out = append(out, Want{Rule: id, Severity: sev})
		s = s[end:]
	}
}

// Run runs rule over dir and checks the findings against the directory's
// `# want:` comments and its expected.golden file.
func Run(t *testing.T, dir string, rule *rules.Rule, opts ...func(*engine.Options)) []diag.Finding {
	t.Helper()
	o := engine.Options{Paths: []string{dir}, Rules: []*rules.Rule{rule}, Jobs: 2, KeepSources: true}
	for _, f := range opts {
		f(&o)
	}
	res, err := engine.Run(o)
	if err != nil {
		t.Fatalf("engine.Run(%s): %v", dir, err)
	}
	abs, _ := filepath.Abs(dir)
	wants := Wants(t, dir)
	if len(wants) == 0 {
		t.Fatalf("%s has no `# want:` comments: a rule test needs positive cases", dir)
	}
	got := map[string]int{}
	for _, f := range res.Findings {
		w := Want{File: report.RelPath(abs, f.File), Line: f.Line, Rule: f.Rule}
		got[w.String()]++
	}
	for _, w := range wants {
		sev, pattern := w.Severity, w.Pattern
		w.Severity, w.Pattern = "", ""
		key := w.String()
		if got[key] == 0 {
			t.Errorf("%s: missing finding", key)
			continue
		}
		got[key]--
		if sev != "" {
			found := false
			for _, f := range res.Findings {
				if report.RelPath(abs, f.File) == w.File && f.Line == w.Line && f.Rule == w.Rule && f.Severity.String() == sev {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: want severity %s", key, sev)
			}
		}
		if pattern != "" {
			re := regexp.MustCompile(pattern)
			var texts []string
			matched := false
			for _, f := range res.Findings {
				if report.RelPath(abs, f.File) == w.File && f.Line == w.Line && f.Rule == w.Rule {
					texts = append(texts, f.Text())
					matched = matched || re.MatchString(f.Text())
				}
			}
			if !matched {
				t.Errorf("%s: no finding's message matches %q; got:\n  %s", key, pattern, strings.Join(texts, "\n  "))
			}
		}
	}
	var extra []string
	for k, n := range got {
		for ; n > 0; n-- {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		t.Errorf("%s: unexpected finding", k)
	}
	Golden(t, filepath.Join(dir, "expected.golden"), TextOutput(res, abs))
	return res.Findings
}

// TextOutput renders findings as the text reporter does (source lines
// included when res kept them), with paths relative to base, without colour,
// 80 columns wide.
func TextOutput(res *engine.Result, base string) []byte {
	var buf bytes.Buffer
	_ = report.Text(&buf, &report.Input{Findings: res.Findings, Files: res.Files, Base: base, ReadFile: res.Source}, false)
	return buf.Bytes()
}

// Golden compares got with the file at path, or rewrites it with -update.
func Golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test -update` to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (run `go test -update` to accept):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}
