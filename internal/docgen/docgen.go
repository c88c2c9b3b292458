// Package docgen renders docs/rules from the rule values: one page per rule
// (its summary, severity, Doc, and how to suppress it) and an index. It is
// used by `go generate` (gen.go) and by the test that fails when the
// committed pages are stale; the k8slint binary does not import it.
package docgen

//go:generate go run gen.go ../../docs/rules

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/internal/report"
	"github.com/k8slint/k8slint/rules"
)

// Header marks generated pages.
const Header = "<!-- Generated from the rule values by `make docs` (go generate ./internal/docgen); DO NOT EDIT. -->\n\n"

// Pages returns the contents of docs/rules: <id>.md for every rule, and README.md.
func Pages() map[string]string {
	infos := engine.RuleInfos(rules.All())
	pages := make(map[string]string, len(infos)+1)
	var idx strings.Builder
	idx.WriteString(Header)
	idx.WriteString("# k8slint rules\n\n")
	idx.WriteString("Every rule k8slint can report, with its default severity. `k8slint rules` prints this list and\n" +
		"`k8slint explain RULE` prints a rule's page.\n\n")
	idx.WriteString("| rule | severity | finds |\n|---|---|---|\n")
	for _, r := range infos {
		pages[r.ID+".md"] = Header + report.RuleMarkdown(r)
		fmt.Fprintf(&idx, "| [`%s`](%s.md) | %s | %s |\n", r.ID, r.ID, r.Severity, escapeCell(r.Summary))
	}
	idx.WriteString(`
## Severity, configuration and suppression

A finding's severity is its rule's default unless ` + "`.k8slint.yaml`" + ` changes it (` + "`rules: {severity: {rule-id: info}}`" + `);
` + "`--fail-on`" + ` (default ` + "`warning`" + `) decides which severities make k8slint exit 1. Rules are turned off with
` + "`rules: {disable: [rule-id]}`" + `.

One finding is suppressed by a comment with a reason on the line above it (YAML, Dockerfiles,
` + "`.dockerignore`" + `, conf files), or at the end of its line in YAML:

` + "```yaml" + `
# k8slint:ignore env-value-not-string -- the app parses PORT itself
value: 8004
` + "```" + `

A Kubernetes object is exempted with the annotation ` + "`k8slint.io/ignore: rule-id,rule-id`" + ` on the object or
on its pod template. An ignore that matches nothing is reported as ` + "[`unused-ignore`](unused-ignore.md)" + `, and a
comment without a reason as ` + "[`ignore-without-reason`](ignore-without-reason.md)" + `.
`)
	pages["README.md"] = idx.String()
	return pages
}

func escapeCell(s string) string {
	return strings.ReplaceAll(strings.TrimSuffix(strings.TrimSpace(s), "."), "|", `\|`)
}
