package rules

import "github.com/k8slint/k8slint/internal/diag"

// IgnoreWithoutReason is reported by the engine for a k8slint:ignore comment
// that gives no reason; it has no Check.
var IgnoreWithoutReason = register(&Rule{
	ID:       "ignore-without-reason",
	Summary:  "A k8slint:ignore comment gives no reason after --",
	Severity: diag.Warning,
	NoInline: true,
})
