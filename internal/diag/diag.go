// Package diag holds the values that flow out of the pipeline: severities,
// source locations and findings. It imports nothing of k8slint's, so that
// loaders, rules, the engine and reporters can all share it.
package diag

import (
	"fmt"
	"strings"
)

// Severity orders findings: Info < Warning < Error.
type Severity int

const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "unknown"
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "info", "note":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Never is the --fail-on threshold above every severity: a report-only run.
const Never = Error + 1

// ParseThreshold reads a --fail-on value: a severity, or "never".
func ParseThreshold(s string) (Severity, error) {
	if strings.EqualFold(strings.TrimSpace(s), "never") {
		return Never, nil
	}
	sev, err := ParseSeverity(s)
	if err != nil {
		return 0, fmt.Errorf("unknown value %q (want error, warning, info or never)", s)
	}
	return sev, nil
}

// MarshalText makes severities print as words in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Location is a span in a file. Lines and columns are 1-based; a zero
// EndLine/EndColumn means "not known". Columns count characters (runes).
type Location struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine,omitempty"`
	EndColumn int    `json:"endColumn,omitempty"`
	// Message explains why this location matters (used for related locations).
	Message string `json:"message,omitempty"`
}

// Finding is one problem reported by a rule.
type Finding struct {
	Rule     string
	Severity Severity
	Location
	// Message is the headline: what is wrong, one clause (at most about
	// 120 characters for new rules).
	Message string
	// Detail says why it breaks: what the cluster or the build will do.
	Detail string
	// Fix says what to write instead.
	Fix     string
	Related []Location
}

// Text is the whole message on one line: the headline, then the detail and
// the fix, for reporters that print one line per finding.
func (f *Finding) Text() string {
	s := f.Message
	if f.Detail != "" {
		s += ": " + f.Detail
	}
	if f.Fix != "" {
		s += "; " + f.Fix
	}
	return s
}

// Less orders findings by file, line, column, rule, then message, so that output is deterministic.
func Less(a, b *Finding) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Column != b.Column {
		return a.Column < b.Column
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	return a.Message < b.Message
}
