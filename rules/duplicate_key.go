package rules

import (
	"fmt"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
)

// DuplicateKey reports a mapping key written twice in a manifest.
var DuplicateKey = register(&Rule{
	ID:       "duplicate-key",
	Summary:  "A mapping key appears twice in a manifest",
	Severity: diag.Error,
	Check:    checkDuplicateKey,
})

func checkDuplicateKey(ws *workspace.Workspace, report Report) {
	for _, mf := range ws.Manifests {
		for _, d := range mf.Docs {
			for _, dup := range d.Duplicates {
				k := dup.Key
				report(diag.Finding{
					Location: diag.Location{File: mf.Path, Line: int(k.Line), Column: int(k.Column), EndLine: int(k.EndLine()), EndColumn: int(k.EndColumn())},
					Message:  fmt.Sprintf("key %q is already defined at line %d of this mapping", clip(k.Value(), 60), dup.First.Line),
					Detail:   "kubectl reads the file with a YAML reader that keeps only the last value, without a word, so the API server never sees the first one (kubernetes#89303); kustomize and other strict YAML readers reject the file (mapping key already defined)",
					Fix:      "merge the two entries into one, keeping the value you mean",
					Related:  []diag.Location{{File: mf.Path, Line: int(dup.First.Line), Column: int(dup.First.Column), Message: fmt.Sprintf("first %q", k.Value())}},
				})
			}
		}
	}
}
