// Package report writes findings in the output formats. Reporters know
// nothing of rules beyond the metadata they are handed as values.
package report

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
)

// RuleInfo is what a reporter may know of a rule.
type RuleInfo struct {
	ID      string
	Summary string
	Doc     string
	// DocURL is the published page of the rule.
	DocURL   string
	Severity diag.Severity
	// Disabled is set for a rule that this run does not run.
	Disabled bool
	// NoInline is set for the rules whose findings cannot be suppressed by
	// a comment or an annotation (the findings about suppressions themselves).
	NoInline bool
	// BuildKitCheck is the name of BuildKit's own check for the same
	// problem, which `# check=skip=<name>` in a Dockerfile also skips.
	BuildKitCheck string
}

// Input is everything a reporter writes.
type Input struct {
	Findings []diag.Finding
	// Files is the number of input files checked.
	Files int
	Rules []RuleInfo
	// Base is the directory that paths are made relative to (text, JSON).
	Base string
	// Root is the project root: SARIF and GitHub paths are relative to it.
	// Empty means Base.
	Root string
	// Version is k8slint's version (SARIF driver.version).
	Version string
	// ReadFile returns the bytes that were loaded for a file (for SARIF
	// fingerprints and snippets): reporters never read a file again. nil
	// means no file text is known.
	ReadFile func(path string) ([]byte, error)
}

func (in *Input) root() string {
	if in.Root != "" {
		return in.Root
	}
	return in.Base
}

// Counts are the number of findings per severity.
type Counts struct {
	Errors, Warnings, Infos int
}

// Count counts findings by severity.
func Count(fs []diag.Finding) Counts {
	var c Counts
	for _, f := range fs {
		switch f.Severity {
		case diag.Error:
			c.Errors++
		case diag.Warning:
			c.Warnings++
		default:
			c.Infos++
		}
	}
	return c
}

// RelPath makes p relative to base (slash-separated) when p is below base;
// other paths are returned slash-separated as they are.
func RelPath(base, p string) string {
	if base != "" && filepath.IsAbs(p) {
		if r, err := filepath.Rel(base, p); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(r)
		}
	}
	return filepath.ToSlash(p)
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Summary is the one-line summary of a run: `k8slint: 12 problems (9
// errors, 3 warnings) in 4 of 180 files`, naming only the severities found,
// or `k8slint: no problems found in 180 files`.
func Summary(in *Input) string {
	if len(in.Findings) == 0 {
		return fmt.Sprintf("k8slint: no problems found in %s", plural(in.Files, "file"))
	}
	c := Count(in.Findings)
	var parts []string
	if c.Errors > 0 {
		parts = append(parts, plural(c.Errors, "error"))
	}
	if c.Warnings > 0 {
		parts = append(parts, plural(c.Warnings, "warning"))
	}
	if c.Infos > 0 {
		parts = append(parts, fmt.Sprintf("%d info", c.Infos))
	}
	files := map[string]bool{}
	for _, f := range in.Findings {
		files[f.File] = true
	}
	where := fmt.Sprintf("%d of %s", len(files), plural(in.Files, "file"))
	if len(files) > in.Files {
		// Findings in files of the project that were not named.
		where = plural(len(files), "file")
	}
	return fmt.Sprintf("k8slint: %s (%s) in %s", plural(len(in.Findings), "problem"), strings.Join(parts, ", "), where)
}

// Format names an output format whose severity words differ.
type Format int

const (
	TextFormat   Format = iota // text and JSON: error, warning, info
	SARIFFormat                // SARIF levels: error, warning, note
	GitHubFormat               // workflow commands: error, warning, notice
)

// severityWords is the one severity → word mapping of every reporter.
var severityWords = map[diag.Severity][3]string{
	diag.Error:   {"error", "error", "error"},
	diag.Warning: {"warning", "warning", "warning"},
	diag.Info:    {"info", "note", "notice"},
}

// Word is the word format f uses for severity s.
func Word(s diag.Severity, f Format) string {
	if w, ok := severityWords[s]; ok {
		return w[f]
	}
	return [3]string{"unknown", "none", "notice"}[f]
}
