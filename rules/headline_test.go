package rules_test

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/k8slint/k8slint/internal/engine"
)

// TestHeadlines: every finding over the rules' testdata and the article's
// project has a headline (Message) of one line and at most 120 characters;
// the why and the fix are in Detail and Fix.
func TestHeadlines(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, filepath.Join("..", "testdata", "article"))
	n := 0
	for _, dir := range dirs {
		res, err := engine.Run(engine.Options{Paths: []string{dir}, Jobs: 2})
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, f := range res.Findings {
			n++
			switch l := utf8.RuneCountInString(f.Message); {
			case l == 0:
				t.Errorf("%s:%d: %s: no headline", f.File, f.Line, f.Rule)
			case l > 120 || strings.ContainsAny(f.Message, "\n\r"):
				t.Errorf("%s:%d: %s: headline of %d characters (at most 120, one line): %s", f.File, f.Line, f.Rule, l, f.Message)
			}
		}
	}
	t.Logf("%d findings", n)
	if n < 100 {
		t.Errorf("only %d findings checked", n)
	}
}
