// Package rules holds k8slint's rules. A rule is a plain value: an ID, a
// one-line summary, a default severity, its documentation (rules/docs/<id>.md,
// embedded) and a Check function that reads the workspace and the models and
// reports findings. Rules never parse, print or exit. Each rule lives in its
// own file, beside its test; `register` is the only way to make one, so a
// rule cannot be left out of All.
package rules

import (
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
)

// Report receives a rule's findings. The engine fills in the rule ID, and
// the default severity when a finding leaves it zero.
type Report func(diag.Finding)

// DocsBaseURL is where the rule pages (docs/rules/<id>.md) are published.
const DocsBaseURL = "https://github.com/k8slint/k8slint/blob/main/docs/rules/"

// Rule is one check.
type Rule struct {
	// ID is the stable kebab-case identifier.
	ID string
	// Summary is one line: what the rule finds.
	Summary string
	// Doc is the rule's documentation in Markdown, read from rules/docs/<id>.md:
	// why it matters, a bad and a good example, how to fix it.
	Doc string
	// DocURL is the published page of the rule.
	DocURL string
	// Severity is the default severity.
	Severity diag.Severity
	// NoInline is set for the rules whose findings cannot be suppressed by a
	// comment or an annotation (the findings about suppressions themselves).
	NoInline bool
	// BuildKitCheck is the name of BuildKit's own check for the same problem:
	// BuildKit's `# check=skip=<name>` (or `skip=all`) directive in a
	// Dockerfile skips this rule for that Dockerfile too.
	BuildKitCheck string
	// Check runs the rule over the workspace. It is nil for the rules that
	// the engine itself reports (parse-error, unused-ignore, ignore-without-reason).
	Check func(ws *workspace.Workspace, report Report)
}

//go:embed docs/*.md
var docFS embed.FS

var (
	registryMu sync.Mutex
	registry   []*Rule
	byID       = map[string]*Rule{}
)

// register adds r to All and fills in its Doc and DocURL. Every rule is
// made with it; a rule without rules/docs/<id>.md panics at start-up
// (and TestRegistry fails).
func register(r *Rule) *Rule {
	doc, err := docFS.ReadFile("docs/" + r.ID + ".md")
	if err != nil {
		panic(fmt.Sprintf("rule %s has no documentation: add rules/docs/%s.md", r.ID, r.ID))
	}
	r.Doc = strings.TrimSpace(string(doc))
	if r.DocURL == "" {
		r.DocURL = DocsBaseURL + r.ID + ".md"
	}
	registryMu.Lock()
	if byID[r.ID] != nil {
		registryMu.Unlock()
		panic("two rules have the ID " + r.ID)
	}
	registry = append(registry, r)
	byID[r.ID] = r
	registryMu.Unlock()
	return r
}

// All returns every rule, sorted by ID.
func All() []*Rule {
	registryMu.Lock()
	all := append([]*Rule(nil), registry...)
	registryMu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}

// ByID returns the rule with the given ID, or nil.
func ByID(id string) *Rule {
	registryMu.Lock()
	defer registryMu.Unlock()
	return byID[id]
}

// clip shortens s to at most n characters (runes) for a headline, with an
// ellipsis; the detail or the fix carries the whole text.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
