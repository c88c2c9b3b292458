package report

import (
	"bufio"
	"fmt"
	"io"

	"github.com/fatih/color"

	"github.com/k8slint/k8slint/internal/diag"
)

// Text writes `file:line:col: severity: message [rule]` lines, related
// locations indented below their finding, and a summary line.
func Text(w io.Writer, in *Input, useColor bool) error {
	bw := bufio.NewWriter(w)
	paint := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if useColor {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	bold := paint(color.Bold)
	sev := map[diag.Severity]*color.Color{
		diag.Error:   paint(color.FgRed, color.Bold),
		diag.Warning: paint(color.FgYellow, color.Bold),
		diag.Info:    paint(color.FgCyan),
	}
	faint := paint(color.Faint)
	// File names, object names and quoted content come from the input:
	// their control characters are escaped (diag.Clean), so that none can
	// move the cursor, clear the screen, forge a hyperlink or a line.
	for _, f := range in.Findings {
		_, _ = fmt.Fprintf(bw, "%s: %s: %s %s\n",
			bold.Sprintf("%s:%d:%d", diag.Clean(RelPath(in.Base, f.File)), f.Line, f.Column),
			sev[f.Severity].Sprint(Word(f.Severity, TextFormat)), diag.Clean(f.Text()), faint.Sprintf("[%s]", diag.Clean(f.Rule)))
		for _, r := range f.Related {
			_, _ = fmt.Fprintf(bw, "    %s: note: %s\n", diag.Clean(locString(in.Base, r)), diag.Clean(r.Message))
		}
	}
	// Write errors surface through Flush.
	_, _ = fmt.Fprintln(bw, Summary(in))
	return bw.Flush()
}

func locString(base string, l diag.Location) string {
	s := RelPath(base, l.File)
	if l.Line > 0 {
		s += fmt.Sprintf(":%d", l.Line)
		if l.Column > 0 {
			s += fmt.Sprintf(":%d", l.Column)
		}
	}
	return s
}
