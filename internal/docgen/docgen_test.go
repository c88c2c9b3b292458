package docgen

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/rules"
)

// TestDocsUpToDate fails when docs/rules differs from what the rule values
// generate: run `make docs` (go generate ./internal/docgen) and commit.
func TestDocsUpToDate(t *testing.T) {
	dir := "../../docs/rules"
	pages := Pages()
	var problems []string
	for name, want := range pages {
		got, err := os.ReadFile(filepath.Join(dir, name))
		switch {
		case err != nil:
			problems = append(problems, name+" is missing")
		case string(got) != want:
			problems = append(problems, name+" is stale")
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, f := range files {
		if _, ok := pages[filepath.Base(f)]; !ok {
			problems = append(problems, filepath.Base(f)+" documents no rule")
		}
	}
	if readme, err := os.ReadFile("../../README.md"); err != nil {
		problems = append(problems, err.Error())
	} else if want, err := README(string(readme)); err != nil {
		problems = append(problems, err.Error())
	} else if want != string(readme) {
		problems = append(problems, "README.md's rule table is stale")
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		t.Errorf("docs/rules or README.md is out of date (run `make docs` and commit):\n  %s", strings.Join(problems, "\n  "))
	}
}

// Every rule that can report has a page with the parts a reader needs.
func TestPages(t *testing.T) {
	pages := Pages()
	for _, r := range rules.All() {
		p, ok := pages[r.ID+".md"]
		if !ok {
			t.Errorf("%s: no page", r.ID)
			continue
		}
		for _, part := range []string{"# " + r.ID + "\n", "Default severity: **" + r.Severity.String() + "**", "## Suppress"} {
			if !strings.Contains(p, part) {
				t.Errorf("%s: page lacks %q", r.ID, part)
			}
		}
		if !strings.Contains(pages["README.md"], "]("+r.ID+".md)") {
			t.Errorf("%s: not in the index", r.ID)
		}
	}
}
