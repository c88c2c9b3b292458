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
					Location: diag.Location{File: mf.Path, Line: int(k.Line), Column: int(k.Column), EndLine: int(k.EndLine), EndColumn: int(k.EndColumn)},
					Message:  fmt.Sprintf("key %q is already defined at line %d of this mapping", clip(k.Value, 60), dup.First.Line),
					Detail:   "kubectl rejects the object (duplicate field) and lenient parsers keep only the last value",
					Fix:      "merge the two entries",
					Related:  []diag.Location{{File: mf.Path, Line: int(dup.First.Line), Column: int(dup.First.Column), Message: fmt.Sprintf("first %q", k.Value)}},
				})
			}
		}
	}
}
