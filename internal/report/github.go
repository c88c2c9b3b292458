package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
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
		props := []string{"file=" + ghProperty(diag.Clean(RelPath(root, f.File)))}
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
		props = append(props, "title="+ghProperty(diag.Clean("k8slint "+f.Rule+": "+oneLine(f.Message))))
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
		// The message's control characters but line feeds are escaped
		// (cleanLines); ghData encodes the line feeds (%0A, a line break in
		// the annotation): no text from the input can end the command and
		// forge another (`::error ...`) or write escape sequences into the log.
		msg = cleanLines(msg)
		for _, r := range f.Related {
			msg += "\n  " + diag.Clean(locString(root, r))
			if r.Message != "" {
				msg += ": " + cleanLines(r.Message)
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

// cleanLines is diag.Clean for each line of s, the line feeds kept.
func cleanLines(s string) string {
	if !strings.Contains(s, "\n") {
		return diag.Clean(s)
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = diag.Clean(l)
	}
	return strings.Join(lines, "\n")
}

// oneLine joins the lines of s with spaces (a title is one line).
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
