// Package rules holds k8slint's rules. A rule is a plain value: an ID, a
// one-line summary, its documentation, a default severity and a Check
// function that reads the workspace and reports findings. Rules never parse,
// print or exit. Each rule lives in its own file, beside its test.
package rules

import (
	"sort"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
)

// Report receives a rule's findings. The engine fills in the rule ID, and
// the default severity when a finding leaves it zero.
type Report func(diag.Finding)

// Rule is one check.
type Rule struct {
	// ID is the stable kebab-case identifier.
	ID string
	// Summary is one line: what the rule finds.
	Summary string
	// Doc is the rule's documentation in Markdown: why it matters, a bad
	// and a good example, how to fix it. docs/rules/<id>.md is generated from it.
	Doc string
	// Severity is the default severity.
	Severity diag.Severity
	// Check runs the rule over the workspace. It is nil for the rules that
	// the engine itself reports (parse-error, unused-ignore, ignore-without-reason).
	Check func(ws *workspace.Workspace, report Report)
}

// All returns every rule, sorted by ID.
func All() []*Rule {
	all := []*Rule{
		ParseError,
		DuplicateKey,
		EnvValueNotString,
		CopyAbsoluteSource,
		CopyIgnoredFile,
		CopySourceMissing,
		MongoDBBindLocalhost,
		RedisBindLocalhost,
		RedisProtectedMode,
		InsufficientCapacity,
		RolloutExceedsCapacity,
		CeleryRunsAsRoot,
		DeprecatedAPIVersion,
		UnusedIgnore,
		IgnoreWithoutReason,
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}

// ByID returns the rule with the given ID, or nil.
func ByID(id string) *Rule {
	for _, r := range All() {
		if r.ID == id {
			return r
		}
	}
	return nil
}
