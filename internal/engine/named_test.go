package engine

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/rules"
)

// crossRule reports every COPY source at the Dockerfile, with the
// effective .dockerignore as related location (as copy-ignored-file does).
var crossRule = &rules.Rule{ID: "cross", Severity: diag.Error, Check: func(ws *workspace.Workspace, report rules.Report) {
	for _, df := range ws.Dockerfiles {
		for _, cp := range df.Copies {
			for _, s := range cp.Sources {
				f := diag.Finding{Location: diag.Location{File: df.Path, Line: s.Line, Column: s.Column}, Message: s.Raw}
				if df.Ignore != nil {
					f.Related = []diag.Location{{File: df.Ignore.Path, Line: 1, Column: 1}}
				}
				report(f)
			}
		}
	}
}}

func TestNamedFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"app/Dockerfile":    "FROM x\nCOPY a /\n",
		"app/.dockerignore": "*\n",
		"api/Dockerfile":    "FROM x\nCOPY b /\n",
		"api/notes.txt":     "x\n",
		"README.md":         "x\n",
	})
	for _, tc := range []struct {
		name  string
		paths []string
		want  string
	}{
		{"a staged .dockerignore reports the COPY it affects", []string{"app/.dockerignore"}, "app/Dockerfile:2: cross"},
		{"a staged Dockerfile", []string{"api/Dockerfile"}, "api/Dockerfile:2: cross"},
		{"a file no finding touches", []string{"api/notes.txt"}, ""},
		{"a named directory names its files", []string{"README.md", "api"}, "api/Dockerfile:2: cross"},
		{"only directories: walked as they are", []string{"api"}, "api/Dockerfile:2: cross"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var paths []string
			for _, p := range tc.paths {
				paths = append(paths, filepath.Join(dir, p))
			}
			res, err := Run(Options{Paths: paths, Root: dir, Rules: []*rules.Rule{crossRule}})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(ruleLines(res, dir), "\n"); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if res.Loaded != 3 && len(tc.paths) == 1 && tc.paths[0] != "api" {
				t.Errorf("loaded %d files, want the whole project (3)", res.Loaded)
			}
		})
	}
	// Without a root (library use, rule tests), named files are linted alone.
	res, err := Run(Options{Paths: []string{filepath.Join(dir, "app/.dockerignore")}, Rules: []*rules.Rule{crossRule}})
	if err != nil || len(res.Findings) != 0 || res.Files != 1 {
		t.Errorf("without Root: %d findings, %d files, %v", len(res.Findings), res.Files, err)
	}
}
