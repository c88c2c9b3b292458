package rules_test

import (
	"testing"

	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/internal/ruletest"
	"github.com/k8slint/k8slint/rules"
)

func TestCopySourceMissing(t *testing.T) {
	ruletest.Run(t, "testdata/copy-source-missing", rules.CopySourceMissing)
}

// TestCopyRulesNamedFilesOnly: when only the Dockerfile (and its ignore
// file) are named, as a pre-commit hook passes changed files, the build
// context was not walked, so neither rule can say what is missing or empty.
func TestCopyRulesNamedFilesOnly(t *testing.T) {
	for _, paths := range [][]string{
		{"testdata/copy-source-missing/basic/Dockerfile"},
		{"testdata/copy-ignored-file/everything/Dockerfile", "testdata/copy-ignored-file/everything/.dockerignore"},
	} {
		res, err := engine.Run(engine.Options{Paths: paths, Rules: []*rules.Rule{rules.CopyIgnoredFile, rules.CopySourceMissing}})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Findings {
			t.Errorf("%v: unexpected finding %s:%d: %s", paths, f.File, f.Line, f.Text())
		}
	}
	// The same files, with their directory walked, have findings.
	res, err := engine.Run(engine.Options{Paths: []string{"testdata/copy-source-missing/basic"}, Rules: []*rules.Rule{rules.CopySourceMissing}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 {
		t.Error("walking the directory should give findings")
	}
}
