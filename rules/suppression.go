package rules

import "github.com/k8slint/k8slint/internal/diag"

// UnusedIgnore is reported by the engine for a k8slint:ignore comment or a
// k8slint.io/ignore annotation that suppresses nothing; it has no Check.
var UnusedIgnore = &Rule{
	ID:       "unused-ignore",
	Summary:  "A k8slint:ignore comment or k8slint.io/ignore annotation suppresses nothing",
	Severity: diag.Info,
	Doc: `An ignore that matches no finding: the rule it names finds nothing on the line it applies to (the
problem was fixed, the line moved, or the comment sits one line too high), the rule ID is misspelt or
unknown, or the comment names no rule at all. A stale ignore is dead text, and worse, it silently hides the
next real finding of that rule on that line. Like staticcheck, k8slint reports it.

A ` + "`# k8slint:ignore`" + ` comment on a line of its own applies to the next line that is not a comment (for a
Dockerfile instruction continued with ` + "`\\`" + `, to all of its lines); at the end of a YAML line it applies to
that line. An annotation applies to its object. An ignore for a rule that is disabled in this run is not
reported: whether it matches cannot be known.

## Bad

` + "```yaml" + `
# k8slint:ignore env-value-not-string -- the app parses it
- name: PORT
  value: 8004
` + "```" + `

The finding is on the ` + "`value:`" + ` line, not on the ` + "`- name:`" + ` line below the comment.

## Good

` + "```yaml" + `
- name: PORT
  # k8slint:ignore env-value-not-string -- the app parses it
  value: 8004
` + "```" + `

## Fix

Move the comment to the line above the finding (or to the end of its line in YAML), correct the rule ID
(` + "`k8slint rules`" + ` lists them), or delete the comment when the problem is gone.`,
}

// IgnoreWithoutReason is reported by the engine for a k8slint:ignore comment
// that gives no reason; it has no Check.
var IgnoreWithoutReason = &Rule{
	ID:       "ignore-without-reason",
	Summary:  "A k8slint:ignore comment gives no reason after --",
	Severity: diag.Warning,
	Doc: `A suppression comment must say why the finding does not apply: ` + "`# k8slint:ignore rule-id -- reason`" + `.
Without a reason a reviewer cannot tell a deliberate, checked exception from a silenced bug, and nobody
can later decide whether the exception still holds.

The comment still suppresses the finding it names; this warning takes its place, so with the default
` + "`fail-on: warning`" + ` a suppression without a reason still fails the run. To make reasons optional, lower
the rule to ` + "`info`" + ` or disable it in ` + "`.k8slint.yaml`" + `. ` + "`k8slint.io/ignore`" + ` annotations need no reason (JSON
manifests cannot hold comments, and the annotation is visible in the cluster).

## Bad

` + "```dockerfile" + `
# k8slint:ignore copy-absolute-source
COPY /opt/app/config.yaml /etc/app/
` + "```" + `

## Good

` + "```dockerfile" + `
# k8slint:ignore copy-absolute-source -- the build context is / in our CI image build
COPY /opt/app/config.yaml /etc/app/
` + "```" + `

## Fix

Add ` + "` -- `" + ` and the reason after the rule IDs.`,
}
