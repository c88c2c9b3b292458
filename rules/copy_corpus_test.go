package rules_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/rules"
)

// TestCopyRulesOnCorpus runs the COPY source rules over the real-world
// corpus (../shared/corpus from the repository root). Its projects build;
// the only source missing from a committed tree is the flexvolume example's
// driver, which its Dockerfile says to supply ("TODO Change to your desired
// driver"). The build outputs the corpus README lists (binaries CI builds
// before docker build) must not be reported.
func TestCopyRulesOnCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(dir, "SOURCES.tsv")); err != nil {
		t.Skip("../shared/corpus is absent; skipping the corpus sweep")
	}
	res, err := engine.Run(engine.Options{Paths: []string{dir}, Rules: []*rules.Rule{rules.CopyIgnoredFile, rules.CopySourceMissing}})
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(dir)
	var got []string
	for _, f := range res.Findings {
		rel, _ := filepath.Rel(abs, f.File)
		got = append(got, f.Rule+" "+filepath.ToSlash(rel))
	}
	sort.Strings(got)
	want := []string{"copy-source-missing kubernetes__examples/_archived/volumes/flexvolume/deploy/Dockerfile"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("corpus findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
