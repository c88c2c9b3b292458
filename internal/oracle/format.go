package oracle

import (
	"fmt"
	"strings"
)

// Format writes a verdict as the text of the golden files: a header line
// (file#doc, line, apiVersion, kind, name, verdict), then one indented line
// per error, and the errors that would follow ("then:") for a document the
// strict decoder stops.
func Format(v Verdict) string {
	var b strings.Builder
	name := v.Name
	if name == "" {
		name = "-"
	}
	what := strings.TrimSpace(v.APIVersion + " " + v.Kind)
	if what == "" {
		what = "-"
	}
	fmt.Fprintf(&b, "%s#%d (line %d) %s %s: ", v.File, v.Doc, v.Line, what, name)
	switch {
	case !v.Judged:
		b.WriteString("not judged: " + v.Skip + "\n")
	case v.Accepted:
		b.WriteString("accepted\n")
	default:
		b.WriteString("rejected\n")
	}
	for _, e := range v.Errors {
		b.WriteString("    " + oneLine(e.String()) + "\n")
	}
	if len(v.Then) > 0 {
		b.WriteString("  then:\n")
		for _, e := range v.Then {
			b.WriteString("    " + oneLine(e.String()) + "\n")
		}
	}
	return b.String()
}

func oneLine(s string) string {
	return strings.ReplaceAll(s, "\n", `\n`)
}
