package engine

import (
	"path/filepath"
	"testing"
)

const crdForTest = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.shop.example.net}
spec:
  group: shop.example.net
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
`

const widget = `apiVersion: shop.example.net/v1
kind: Widget
metadata: {name: w}
spec:
  size: "3"
  colour: red
`

// CRDs named by crds: are schema sources: the custom resources are
// checked, the CRD files are not linted, and without them the kind is
// unjudged.
func TestCRDFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"app/widget.yaml":         widget,
		"vendor/crds/widget.yaml": crdForTest,
		"vendor/crds/notes.txt":   "not yaml",
	})
	app := filepath.Join(dir, "app")
	for _, tc := range []struct {
		name  string
		files []string
		want  map[string]int
	}{
		{"without crds:", nil, map[string]int{}},
		{"a directory", []string{filepath.Join(dir, "vendor/crds")}, map[string]int{"wrong-field-type": 1, "unknown-field": 1}},
		{"a file", []string{filepath.Join(dir, "vendor/crds/widget.yaml")}, map[string]int{"wrong-field-type": 1, "unknown-field": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Run(Options{Paths: []string{app}, CRDFiles: tc.files, Jobs: 1})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, f := range res.Findings {
				if filepath.Dir(f.File) != app {
					t.Errorf("finding outside the linted tree: %s:%d %s", f.File, f.Line, f.Message)
				}
				got[f.Rule]++
			}
			for r, n := range tc.want {
				if got[r] != n {
					t.Errorf("%s: %d findings, want %d (all: %v)", r, got[r], n, got)
				}
			}
			if len(tc.want) == 0 && len(got) > 0 {
				t.Errorf("want no findings, got %v", got)
			}
		})
	}
}
