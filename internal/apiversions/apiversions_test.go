package apiversions

import (
	"os"
	"testing"

	"github.com/k8slint/k8slint/internal/apiversions/gentable"
)

// The generated table is what data/deprecated-apis.yaml says (the generator
// also checks the data: versions in order, a replacement with its
// availability, one condition per change): run go generate ./internal/apiversions.
func TestTableUpToDate(t *testing.T) {
	data, err := os.ReadFile("data/deprecated-apis.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want, err := gentable.Generate(data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("zz_generated_table.go")
	if err != nil || string(got) != string(want) {
		t.Errorf("zz_generated_table.go is stale: run go generate ./internal/apiversions")
	}
}

func TestTable(t *testing.T) {
	if n := len(All()); n < 60 {
		t.Errorf("only %d apiVersion/kind pairs", n)
	}
	for k, a := range All() {
		if a.Replacement != "" && Lookup(a.Replacement, k.Kind) != nil {
			t.Errorf("%s %s: replacement %s is itself deprecated", k.APIVersion, k.Kind, a.Replacement)
		}
	}
	if a := Lookup("extensions/v1beta1", "Deployment"); a == nil || a.Removed.String() != "1.16" || a.Replacement != "apps/v1" {
		t.Errorf("extensions/v1beta1 Deployment: %+v", a)
	}
}

func TestGenerateRejectsBadData(t *testing.T) {
	for name, data := range map[string]string{
		"unknown key":    "apis:\n- apiVersion: a/v1\n  kinds: [X]\n  deprecated: \"1.2\"\n  replacment: b/v1\n",
		"order":          "apis:\n- apiVersion: a/v1\n  kinds: [X]\n  deprecated: \"1.9\"\n  removed: \"1.8\"\n  instead: x\n",
		"no replacement": "apis:\n- apiVersion: a/v1\n  kinds: [X]\n  deprecated: \"1.2\"\n",
		"bad version":    "apis:\n- apiVersion: a/v1\n  kinds: [X]\n  deprecated: \"one\"\n  instead: x\n",
		"listed twice":   "apis:\n- {apiVersion: a/v1, kinds: [X], deprecated: \"1.2\", instead: x}\n- {apiVersion: a/v1, kinds: [X], deprecated: \"1.2\", instead: x}\n",
		"two conditions": "apis:\n- {apiVersion: a/v1, kinds: [X], deprecated: \"1.2\", instead: x, changes: [{text: t, missing: a, present: b}]}\n",
		"not even YAML":  "apis: [\n",
	} {
		if _, err := gentable.Generate([]byte(data)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
