package rules

import "github.com/k8slint/k8slint/internal/diag"

// UnusedIgnore is reported by the engine for a k8slint:ignore comment or a
// k8slint.io/ignore annotation that suppresses nothing; it has no Check.
var UnusedIgnore = register(&Rule{
	ID:       "unused-ignore",
	Summary:  "A k8slint:ignore comment or k8slint.io/ignore annotation suppresses nothing",
	Severity: diag.Info,
	NoInline: true,
})
