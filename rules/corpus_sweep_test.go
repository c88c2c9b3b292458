package rules_test

import (
	"os"
	"testing"

	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/rules"
)

// TestCorpusSweep runs this branch's rules over the shared corpus and checks
// the finding counts that were read by hand (see the commit messages).
func TestCorpusSweep(t *testing.T) {
	const corpus = "../../shared/corpus"
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("../shared/corpus is absent: corpus sweep skipped")
	}
	if testing.Short() {
		t.Skip("corpus sweep skipped in -short mode")
	}
	want := map[string]int{
		rules.DeprecatedAPIVersion.ID:   92,
		rules.CeleryRunsAsRoot.ID:       0,
		rules.InsufficientCapacity.ID:   0, // the corpus has no Node objects
		rules.RolloutExceedsCapacity.ID: 0,
	}
	res, err := engine.Run(engine.Options{Paths: []string{corpus},
		Rules: []*rules.Rule{rules.DeprecatedAPIVersion, rules.CeleryRunsAsRoot, rules.InsufficientCapacity, rules.RolloutExceedsCapacity}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range res.Findings {
		got[f.Rule]++
	}
	for id, n := range want {
		if got[id] != n {
			t.Errorf("%s: %d findings on the corpus, want %d (read the new ones before changing this)", id, got[id], n)
		}
	}
}
