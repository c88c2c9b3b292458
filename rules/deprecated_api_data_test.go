package rules

import "testing"

// TestDeprecatedAPITable checks the data file: it parses, versions are in
// order, and no replacement is itself a removed version.
func TestDeprecatedAPITable(t *testing.T) {
	table, err := deprecatedAPIs()
	if err != nil {
		t.Fatal(err)
	}
	if len(table) < 60 {
		t.Errorf("only %d apiVersion/kind pairs", len(table))
	}
	for k, a := range table {
		if a.Removed != "" && !a.deprecated.Less(a.removed) {
			t.Errorf("%s %s: deprecated %s is not before removed %s", k.apiVersion, k.kind, a.deprecated, a.removed)
		}
		if a.Replacement == "" {
			continue
		}
		if a.Available == "" {
			t.Errorf("%s %s: replacement without availability", k.apiVersion, k.kind)
		}
		if r := table[apiKey{a.Replacement, k.kind}]; r != nil {
			t.Errorf("%s %s: replacement %s is itself deprecated", k.apiVersion, k.kind, a.Replacement)
		}
		for _, c := range a.Changes {
			n := 0
			for _, p := range []string{c.Missing, c.Present, c.Empty} {
				if p != "" {
					n++
				}
			}
			if n > 1 || c.Text == "" {
				t.Errorf("%s %s: change %q needs a text and at most one condition", k.apiVersion, k.kind, c.Text)
			}
		}
	}
	if a := table[apiKey{"extensions/v1beta1", "Deployment"}]; a == nil || a.Removed != "1.16" || a.Replacement != "apps/v1" {
		t.Errorf("extensions/v1beta1 Deployment: %+v", a)
	}
}
