package rules

import "github.com/k8slint/k8slint/internal/diag"

// ParseError is reported by the engine for input files that cannot be read
// or parsed; it has no Check of its own.
var ParseError = register(&Rule{
	ID:       "parse-error",
	Summary:  "An input file cannot be read or parsed",
	Severity: diag.Error,
})
