package rules

import (
	"github.com/k8slint/k8slint/internal/apivalid"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
)

// InvalidValue reports values of built-in objects that the API server's
// validation (or its decoder) rejects.
var InvalidValue = register(&Rule{
	ID:       "invalid-value",
	Summary:  "A value the API server's validation rejects: an enum, a name, a label, a quantity, a selector, a port, a volume mount, a schedule",
	Severity: diag.Error,
	Check:    checkInvalidValue,
})

func checkInvalidValue(ws *workspace.Workspace, report Report) {
	for _, f := range apivalid.Findings(ws) {
		report(f)
	}
	// The kind/apiVersion did-you-mean check (internal/apischema) reports
	// under this rule too: add its findings here.
}
