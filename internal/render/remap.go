package render

import (
	"strings"
	"unicode/utf8"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// Remap moves every node of docs (parsed from o.Text) to the source line
// and column that wrote it, and the documents' syntax errors too.
func (o *Output) Remap(docs []yamlx.Document) {
	lines := strings.Split(string(o.Text), "\n")
	seen := map[*yamlx.Node]bool{}
	for i := range docs {
		d := &docs[i]
		o.remapNode(d.Root, lines, seen, 0)
		if d.Err != nil {
			l, c, _, _ := o.Position(d.Err.Line, d.Err.Column, "", lines)
			d.Err.Line, d.Err.Column = l, c
		}
		if d.Line > 0 {
			d.Line, _, _, _ = o.Position(d.Line, 1, "", lines)
		}
		for _, dp := range d.Duplicates {
			o.remapNode(dp.Key, lines, seen, 0)
			o.remapNode(dp.First, lines, seen, 0)
		}
	}
}

func (o *Output) remapNode(n *yamlx.Node, lines []string, seen map[*yamlx.Node]bool, depth int) {
	if n == nil || depth > 10000 || seen[n] {
		return
	}
	seen[n] = true
	if n.Line > 0 {
		val := ""
		if n.Kind() == yamlx.Scalar {
			val = n.Value()
		}
		l, c, el, ec := o.Position(int(n.Line), int(n.Column), val, lines)
		if n.Indent() > 0 && n.Kind() == yamlx.Scalar && !o.literalBlock(int(n.Line), l, n) {
			n.SetIndent(0) // content lines are not at Line+1+i in the source
		}
		n.Line, n.Column = int32(l), int32(c)
		n.SetEnd(int32(el), int32(ec))
	}
	for _, c := range n.Children() {
		o.remapNode(c, lines, seen, depth+1)
	}
}

// Position maps a rendered line and column (1-based, the column in runes)
// to the source line, column and end (0 when not known). value is the
// scalar written there, used to find it on the source line.
func (o *Output) Position(line, col int, value string, lines []string) (int, int, int, int) {
	f, sl, ok := o.marks.source(line, byteCol(lines, line, col))
	if !ok || f != o.fileIdx || sl < 1 || sl > len(o.srcLine) {
		// no marker of this file: the nearest marked line above
		sl = o.nearestAbove(line)
		if sl < 1 {
			return 1, 1, 0, 0
		}
		return sl, firstText(o.srcLine[sl-1]), 0, 0
	}
	src := strings.TrimRight(o.srcLine[sl-1], "\r")
	rendered := ""
	if line-1 < len(lines) {
		rendered = lines[line-1]
	}
	bc := byteCol(lines, line, col)
	prefix := rendered[:min(bc-1, len(rendered))]
	if strings.HasPrefix(src, prefix) {
		rest := src[len(prefix):]
		c := utf8.RuneCountInString(prefix) + 1
		if strings.HasPrefix(rest, "{{") {
			if end := strings.Index(rest, "}}"); end >= 0 {
				return sl, c, sl, c + utf8.RuneCountInString(rest[:end+2])
			}
		}
		if value != "" && strings.HasPrefix(rest, value) {
			return sl, c, sl, c + utf8.RuneCountInString(value)
		}
		if value != "" && len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
			if end := strings.IndexByte(rest[1:], rest[0]); end >= 0 {
				return sl, c, sl, c + utf8.RuneCountInString(rest[:end+2])
			}
		}
		return sl, c, 0, 0
	}
	if i := strings.Index(src, "{{"); i >= 0 {
		c := utf8.RuneCountInString(src[:i]) + 1
		if end := strings.Index(src[i:], "}}"); end >= 0 {
			return sl, c, sl, c + utf8.RuneCountInString(src[i:i+end+2])
		}
		return sl, c, 0, 0
	}
	if value != "" {
		if i := strings.Index(src, value); i >= 0 {
			c := utf8.RuneCountInString(src[:i]) + 1
			return sl, c, sl, c + utf8.RuneCountInString(value)
		}
	}
	return sl, firstText(src), 0, 0
}

// nearestAbove is the source line of the last marker of this file at or
// above rendered line line.
func (o *Output) nearestAbove(line int) int {
	for j := min(line-1, len(o.marks.marks)-1); j >= 0; j-- {
		for k := len(o.marks.marks[j]) - 1; k >= 0; k-- {
			if m := o.marks.marks[j][k]; m.file == o.fileIdx {
				return m.line
			}
		}
	}
	for j := max(line, 0); j < len(o.marks.marks); j++ {
		for _, m := range o.marks.marks[j] {
			if m.file == o.fileIdx {
				return m.line
			}
		}
	}
	return 0
}

func firstText(s string) int {
	return utf8.RuneCountInString(s[:len(s)-len(strings.TrimLeft(s, " \t"))]) + 1
}

// byteCol converts a 1-based rune column of line to a 1-based byte column.
func byteCol(lines []string, line, col int) int {
	if line < 1 || line > len(lines) {
		return col
	}
	s := lines[line-1]
	b := 0
	for i := 1; i < col && b < len(s); i++ {
		_, n := utf8.DecodeRuneInString(s[b:])
		b += n
	}
	return b + 1 + max(0, col-1-utf8.RuneCountInString(s))
}

// SourceLines is the source file's text split in lines.
func (o *Output) SourceLines() []string { return o.srcLine }

// literalBlock reports whether the content lines of a block scalar at
// rendered line line are the source lines after src, with the same
// indentation (the block was written literally in the template).
func (o *Output) literalBlock(line, src int, n *yamlx.Node) bool {
	k := strings.Count(strings.TrimRight(n.Value(), "\n"), "\n") + 1
	for i := 1; i <= k; i++ {
		li := line - 1 + i
		if li >= len(o.marks.marks) || len(o.marks.marks[li]) == 0 {
			return false
		}
		m := o.marks.marks[li][0]
		if m.file != o.fileIdx || m.line != src+i || src+i > len(o.srcLine) {
			return false
		}
		if pre := o.srcLine[src+i-1]; len(pre) < int(n.Indent()) || strings.TrimLeft(pre[:n.Indent()], " ") != "" {
			return false
		}
	}
	return true
}
