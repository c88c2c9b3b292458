package rules

import (
	"github.com/k8slint/k8slint/internal/apischema"
	"github.com/k8slint/k8slint/internal/apivalid"
	"github.com/k8slint/k8slint/internal/crdschema"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
)

// InvalidValue reports values of built-in objects that the API server's
// validation (or its decoder) rejects.
var InvalidValue = register(&Rule{
	ID:       "invalid-value",
	Summary:  "A value the API server's validation rejects: an enum, a name, a label, a quantity, a selector, a port, a volume mount, a schedule, a kind or apiVersion no release serves",
	Severity: diag.Error,
	Check:    checkInvalidValue,
})

func checkInvalidValue(ws *workspace.Workspace, report Report) {
	// Custom resources, against their CustomResourceDefinition's schema.
	for _, f := range crdschema.Findings(ws, crdschema.InvalidValue) {
		report(f)
	}
	for _, f := range apivalid.Findings(ws) {
		report(f)
	}
	// A kind or apiVersion that no Kubernetes release serves in a built-in
	// group, with did-you-mean.
	for _, p := range apischema.CheckKinds(ws) {
		report(p.Finding())
	}
}
