package rules

import "github.com/k8slint/k8slint/internal/diag"

// RenderError is reported by the engine for a Helm chart or a kustomization
// that does not render; it has no Check of its own.
var RenderError = register(&Rule{
	ID:       "render-error",
	Summary:  "A Helm chart or kustomization does not render",
	Severity: diag.Error,
})
