package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fatih/color"

	"github.com/k8slint/k8slint/internal/diag"
)

// TextOptions set how Text writes.
type TextOptions struct {
	Color bool
	// Compact writes one line per finding (`file:line:col: severity:
	// headline: detail; fix [rule]`), for scripts and editors' problem
	// matchers.
	Compact bool
	// Width is the width the detail and the fix are wrapped to (80 when 0).
	Width int
}

// Text writes each finding as `file:line:col: severity: headline [rule]`,
// the source line with a marker under the reported columns (when
// in.ReadFile knows the file), the detail and the fix indented and wrapped
// to 80 columns, the related locations as notes, and a summary line.
func Text(w io.Writer, in *Input, useColor bool) error {
	return TextWith(w, in, TextOptions{Color: useColor})
}

// TextWith is Text with options.
func TextWith(w io.Writer, in *Input, o TextOptions) error {
	bw := bufio.NewWriter(w)
	paint := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if o.Color {
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
	// their control characters are escaped (diag.Clean, printable), so that
	// none can move the cursor, clear the screen, forge a hyperlink or a line.
	blue := paint(color.FgBlue, color.Bold)
	width := o.Width
	if width <= 0 {
		width = 80
	}
	width = max(width, 40)
	src := newSources(in.ReadFile)
	for i := range in.Findings {
		f := &in.Findings[i]
		head := f.Message
		if o.Compact {
			head = f.Text()
		}
		_, _ = fmt.Fprintf(bw, "%s: %s: %s %s\n",
			bold.Sprintf("%s:%d:%d", diag.Clean(RelPath(in.Base, f.File)), f.Line, f.Column),
			sev[f.Severity].Sprint(Word(f.Severity, TextFormat)), printable(head), faint.Sprintf("[%s]", diag.Clean(f.Rule)))
		if o.Compact {
			continue
		}
		if line, ok := src.line(f.File, f.Line); ok && f.Line > 0 {
			num := fmt.Sprint(f.Line)
			gutter := "  " + strings.Repeat(" ", len(num)) + " | "
			text, marker := snippet(line, f.Location, width-len(gutter))
			_, _ = fmt.Fprintf(bw, "%s%s\n", blue.Sprint("  "+num+" | "), text)
			_, _ = fmt.Fprintf(bw, "%s%s\n", blue.Sprint(gutter), sev[f.Severity].Sprint(marker))
		}
		if f.Detail != "" {
			writeWrapped(bw, "    ", "    ", printable(f.Detail), width)
		}
		if f.Fix != "" {
			writeWrapped(bw, "    "+bold.Sprint("fix:")+" ", "         ", printable(f.Fix), width)
		}
		for _, r := range f.Related {
			note := diag.Clean(locString(in.Base, r)) + ": note: " + printable(r.Message)
			writeWrapped(bw, "    ", "      ", note, width)
		}
	}
	// Write errors surface through Flush.
	_, _ = fmt.Fprintln(bw, Summary(in))
	return bw.Flush()
}

// writeWrapped writes text word-wrapped to width: the first line after
// first, the others after rest (both count as their visible length).
func writeWrapped(w io.Writer, first, rest, text string, width int) {
	prefix := first
	col := visibleLen(first)
	start := true
	for _, word := range strings.Fields(text) {
		n := utf8.RuneCountInString(word)
		if !start && col+1+n > width {
			_, _ = io.WriteString(w, "\n")
			prefix, col, start = rest, visibleLen(rest), true
		}
		if start {
			_, _ = io.WriteString(w, prefix)
			start = false
		} else {
			_, _ = io.WriteString(w, " ")
			col++
		}
		_, _ = io.WriteString(w, word)
		col += n
	}
	if !start {
		_, _ = io.WriteString(w, "\n")
	}
}

// visibleLen is the length of s without its ANSI colour sequences.
func visibleLen(s string) int {
	n, esc := 0, false
	for _, r := range s {
		switch {
		case esc:
			esc = r != 'm'
		case r == '\x1b':
			esc = true
		default:
			n++
		}
	}
	return n
}

// snippet is the source line as printed (tabs expanded, control and
// bidirectional characters escaped, a long line cut around the reported
// columns) and the marker line under the reported columns.
func snippet(line string, l diag.Location, width int) (text, marker string) {
	// cells[i] is how rune i of the line prints.
	var cells []string
	for len(line) > 0 {
		r, size := utf8.DecodeRuneInString(line)
		switch {
		case r == '\t':
			cells = append(cells, "    ")
		case r == utf8.RuneError && size == 1:
			cells = append(cells, fmt.Sprintf(`\x%02x`, line[0]))
		case unsafeRune(r):
			cells = append(cells, fmt.Sprintf(`\u%04x`, r))
		default:
			cells = append(cells, string(r))
		}
		line = line[size:]
	}
	from := min(max(l.Column, 1), len(cells)+1) - 1 // first marked rune (0-based)
	to := from + 1
	switch {
	case l.EndLine > l.Line:
		to = max(len(cells), to)
	case l.EndColumn > l.Column && (l.EndLine == 0 || l.EndLine == l.Line):
		to = min(l.EndColumn-1, len(cells))
	}
	to = max(to, from+1)
	// Cut a long line to width, keeping the start of the marked span.
	lo, hi := 0, len(cells)
	cellsLen := func(a, b int) int {
		n := 0
		for _, c := range cells[a:b] {
			n += utf8.RuneCountInString(c)
		}
		return n
	}
	if cellsLen(0, len(cells)) > width {
		// Cut the end only when the marked span fits, else the start too.
		for lo < from && cellsLen(0, min(to, len(cells)))+1 > width && cellsLen(lo, from) > width/3 {
			lo++
		}
		for hi > lo && cellsLen(lo, hi)+2 > width {
			hi--
		}
	}
	var t, m strings.Builder
	if lo > 0 {
		t.WriteString("…")
		m.WriteString(" ")
	}
	for i := lo; i < hi; i++ {
		t.WriteString(cells[i])
		c := " "
		if i >= from && i < to {
			c = "^"
		}
		m.WriteString(strings.Repeat(c, utf8.RuneCountInString(cells[i])))
	}
	if hi < len(cells) {
		t.WriteString("…")
	}
	if from >= hi {
		m.WriteString("^") // the span starts at the end of the line (or past the cut)
	}
	return t.String(), strings.TrimRight(m.String(), " ")
}

// unsafeRune reports whether r would move the cursor, change the terminal
// or reorder text when printed: control and bidirectional formatting characters.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029'
}

// printable escapes the characters of s that unsafeRune rejects, so that a
// message quoting a hostile file cannot drive the terminal.
func printable(s string) string { return diag.Clean(s) }

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
