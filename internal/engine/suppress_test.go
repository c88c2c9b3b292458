package engine

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
	"github.com/k8slint/k8slint/rules"
)

// flagRule reports every .dockerignore pattern, conf directive and COPY
// source whose text contains "flag", as rule id; the relatedTo function may
// add a related location.
func flagRule(id string) *rules.Rule {
	return &rules.Rule{ID: id, Severity: diag.Error, Check: func(ws *workspace.Workspace, report rules.Report) {
		for _, f := range ws.Ignores {
			for _, p := range f.Patterns {
				if strings.Contains(p.Raw, "flag") {
					report(diag.Finding{Location: diag.Location{File: f.Path, Line: p.Line, Column: 1}, Message: p.Raw})
				}
			}
		}
		for _, c := range ws.Confs {
			for _, d := range c.Directives {
				if strings.Contains(d.Name, "flag") {
					report(diag.Finding{Location: diag.Location{File: c.Path, Line: d.Line, Column: d.Col}, Message: d.Name})
				}
			}
			if c.YAML != nil {
				c.YAML.Pairs(func(k, v *yamlx.Node) {
					if strings.Contains(k.Value(), "flag") {
						report(diag.Finding{Location: diag.Location{File: c.Path, Line: int(k.Line), Column: int(k.Column)}, Message: k.Value()})
					}
				})
			}
		}
		for _, df := range ws.Dockerfiles {
			for _, cp := range df.Copies {
				for _, s := range cp.Sources {
					if strings.Contains(s.Raw, "flag") {
						f := diag.Finding{Location: diag.Location{File: df.Path, Line: s.Line, Column: s.Column}, Message: s.Raw}
						if df.Ignore != nil {
							// Reported at the .dockerignore line, with the COPY as related location.
							f.Related = []diag.Location{f.Location}
							f.Location = diag.Location{File: df.Ignore.Path, Line: 1, Column: 1}
						}
						report(f)
					}
				}
			}
		}
	}}
}

func ruleLines(res *Result, dir string) []string {
	var out []string
	for _, f := range res.Findings {
		rel, _ := filepath.Rel(dir, f.File)
		out = append(out, fmt.Sprintf("%s:%d: %s", rel, f.Line, f.Rule))
	}
	sort.Strings(out)
	return out
}

func TestSuppressEveryFileKind(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"a/.dockerignore":    "# k8slint:ignore test-flag -- generated\nflag-one\nflag-two\n  # k8slint:ignore test-flag -- indented: a pattern, not a comment\nflag-three\n",
		"a/Dockerfile":       "FROM x\n",
		"redis.conf":         "# k8slint:ignore test-flag -- r\nflag-a yes\n  # k8slint:ignore test-flag -- r\nflag-b yes\nflag-c yes # k8slint:ignore test-flag -- not a comment in redis.conf\n",
		"mongod.conf":        "flag1: x  # k8slint:ignore test-flag -- yaml mongod.conf allows a trailing comment\nflag2: y\n",
		"legacy/mongod.conf": "# k8slint:ignore test-flag -- r\nflagx = 1\nflagy = 2\n",
	})
	res, err := Run(Options{Paths: []string{dir}, Rules: []*rules.Rule{flagRule("test-flag"), rules.UnusedIgnore}})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(ruleLines(res, dir), "\n")
	want := strings.Join([]string{
		"a/.dockerignore:3: test-flag",
		"a/.dockerignore:4: test-flag", // "  # k8slint:ignore ..." is a pattern in .dockerignore
		"a/.dockerignore:5: test-flag",
		"legacy/mongod.conf:3: test-flag",
		"mongod.conf:2: test-flag",
		"redis.conf:5: test-flag",
	}, "\n")
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if res.Suppressed != 5 {
		t.Errorf("suppressed %d, want 5", res.Suppressed)
	}
}

func TestBuildKitCheckSkip(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"skip/Dockerfile":       "# check=skip=CopyIgnoredFile\nFROM x\nCOPY flag /\n",
		"all/Dockerfile":        "# syntax=docker/dockerfile:1\n# check=skip=all\nFROM x\nCOPY flag /\n",
		"other/Dockerfile":      "# check=skip=JSONArgsRecommended\nFROM x\nCOPY flag /\n",
		"none/Dockerfile":       "FROM x\nCOPY flag /\n",
		"related/Dockerfile":    "# check=skip=CopyIgnoredFile\nFROM x\nCOPY flag /\n",
		"related/.dockerignore": "*\n",
	})
	// copy-ignored-file is the rule BuildKit also has; another ID is not skipped.
	for _, id := range []string{"copy-ignored-file", "some-other-rule"} {
		res, err := Run(Options{Paths: []string{dir}, Rules: []*rules.Rule{flagRule(id)}})
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(ruleLines(res, dir), "\n")
		want := "none/Dockerfile:2: " + id + "\nother/Dockerfile:3: " + id
		if id != "copy-ignored-file" {
			want = "all/Dockerfile:4: " + id + "\n" + want + "\nrelated/.dockerignore:1: " + id + "\nskip/Dockerfile:3: " + id
		}
		if got != want {
			t.Errorf("%s: got:\n%s\nwant:\n%s", id, got, want)
		}
	}
}

// TestAnnotationPrefilter: the suppression pass skips the files whose text
// cannot hold k8slint.io/ignore (load.ManifestFile.NoIgnoreAnnotation), so
// the annotation written with an escape, the one way to write the key
// without its text, still suppresses; and a file without it keeps its
// finding.
func TestAnnotationPrefilter(t *testing.T) {
	pod := func(annotations string) string {
		return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n" + annotations +
			"spec:\n  containers:\n  - name: c\n    image: i\n    env:\n    - name: DEBUG\n      value: true\n"
	}
	dir := writeTree(t, map[string]string{
		"plain.yaml":   pod(""),
		"escaped.yaml": pod("  annotations:\n    \"k8slint.io\\u002Fignore\": env-value-not-string -- read through the escape\n"),
		"literal.yaml": pod("  annotations:\n    k8slint.io/ignore: env-value-not-string -- as written\n"),
	})
	res, err := Run(Options{Paths: []string{dir}, Rules: []*rules.Rule{rules.EnvValueNotString}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(ruleLines(res, dir), "\n"), "plain.yaml:11: env-value-not-string"; got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if res.Suppressed != 2 {
		t.Errorf("suppressed %d, want 2", res.Suppressed)
	}
	for name, want := range map[string]bool{"plain.yaml": true, "escaped.yaml": false, "literal.yaml": false} {
		for _, mf := range res.Workspace.Manifests {
			if filepath.Base(mf.Path) == name && mf.NoIgnoreAnnotation != want {
				t.Errorf("%s: NoIgnoreAnnotation = %v, want %v", name, mf.NoIgnoreAnnotation, want)
			}
		}
	}
}
