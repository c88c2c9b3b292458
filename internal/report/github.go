package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// GitHub writes GitHub Actions workflow commands, one per finding
// (`::error file=...,line=...,col=...,endLine=...,endColumn=...,title=...::message`),
// so that a workflow step annotates the pull request without uploading
// anything. The title is the rule and the headline; the message is the
// detail, the fix, the related locations and the rule's page (the headline
// when there is no detail and no fix). Paths are relative to the project
// root (in.Root), which is the repository root in a checkout. A plain
// summary line ends the output.
func GitHub(w io.Writer, in *Input) error {
	bw := bufio.NewWriter(w)
	root := in.root()
	urls := make(map[string]string, len(in.Rules))
	for _, r := range in.Rules {
		urls[r.ID] = r.DocURL
	}
	for _, f := range in.Findings {
		props := []string{"file=" + ghProperty(RelPath(root, f.File))}
		if f.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", f.Line))
			endLine := f.Line
			if f.EndLine > 0 {
				endLine = f.EndLine
			}
			if f.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", f.Column))
			}
			props = append(props, fmt.Sprintf("endLine=%d", endLine))
			if f.EndColumn > 0 {
				props = append(props, fmt.Sprintf("endColumn=%d", f.EndColumn))
			}
		}
		props = append(props, "title="+ghProperty("k8slint "+f.Rule+": "+oneLine(f.Message)))
		var parts []string
		if f.Detail != "" {
			parts = append(parts, f.Detail)
		}
		if f.Fix != "" {
			parts = append(parts, "Fix: "+f.Fix)
		}
		msg := strings.Join(parts, "\n")
		if msg == "" {
			msg = f.Message
		}
		for _, r := range f.Related {
			msg += "\n  " + locString(root, r)
			if r.Message != "" {
				msg += ": " + r.Message
			}
		}
		if u := urls[f.Rule]; u != "" {
			msg += "\n[" + f.Rule + "] " + u
		}
		fmt.Fprintf(bw, "::%s %s::%s\n", Word(f.Severity, GitHubFormat), strings.Join(props, ","), ghData(msg))
	}
	fmt.Fprintln(bw, Summary(in))
	return bw.Flush()
}

// ghData escapes a workflow command's message (toolkit escapeData).
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value (toolkit escapeProperty).
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// oneLine joins the lines of s with spaces (a title is one line).
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
