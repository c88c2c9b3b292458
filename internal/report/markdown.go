package report

import (
	"fmt"
	"strings"
)

// InformationURI is k8slint's home page (SARIF driver.informationUri).
const InformationURI = "https://github.com/k8slint/k8slint"

// RuleMarkdown renders a rule's documentation page: its summary and default
// severity, its Doc (why it matters, bad and good examples, how to fix) and
// how to suppress it. docs/rules/<id>.md, `k8slint explain` and the SARIF
// help text are all this page.
func RuleMarkdown(r RuleInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.ID)
	fmt.Fprintf(&b, "%s.\n\n", strings.TrimSuffix(strings.TrimSpace(r.Summary), "."))
	fmt.Fprintf(&b, "Default severity: **%s**.\n\n", r.Severity)
	if doc := strings.TrimSpace(r.Doc); doc != "" {
		b.WriteString(doc)
		b.WriteString("\n\n")
	}
	b.WriteString(suppressSection(r))
	return b.String()
}

func suppressSection(r RuleInfo) string {
	var b strings.Builder
	b.WriteString("## Suppress\n\n")
	if r.NoInline {
		fmt.Fprintf(&b, "This finding is about suppressions themselves, so it cannot be suppressed by a comment or an\n"+
			"annotation. Turn it off, or change its severity, in `.k8slint.yaml`:\n\n"+
			"```yaml\nrules:\n  disable: [%s]\n  # or: severity: {%s: info}\n```\n", r.ID, r.ID)
		return b.String()
	}
	fmt.Fprintf(&b, "For one finding, write a comment with the reason on the line above it (in a YAML file, also\n"+
		"at the end of its line):\n\n"+
		"```yaml\n# k8slint:ignore %s -- why this is fine here\n```\n\n", r.ID)
	fmt.Fprintf(&b, "When the finding is in a Kubernetes object, annotate the object or its pod template:\n\n"+
		"```yaml\nmetadata:\n  annotations:\n    k8slint.io/ignore: %s\n```\n\n", r.ID)
	if r.BuildKitCheck != "" {
		fmt.Fprintf(&b, "BuildKit has the same check (`%s`); its directive at the top of the Dockerfile skips this rule too:\n\n"+
			"```dockerfile\n# check=skip=%s\n```\n\n", r.BuildKitCheck, r.BuildKitCheck)
	}
	fmt.Fprintf(&b, "Everywhere, in `.k8slint.yaml`:\n\n"+
		"```yaml\nrules:\n  disable: [%s]\n```\n", r.ID)
	return b.String()
}

// FirstParagraph returns the first paragraph of a Markdown text, on one line.
func FirstParagraph(md string) string {
	md = strings.TrimSpace(md)
	if i := strings.Index(md, "\n\n"); i >= 0 {
		md = md[:i]
	}
	return strings.Join(strings.Fields(md), " ")
}
