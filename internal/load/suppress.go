package load

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// IgnoreDirective is the comment word that starts a suppression.
const IgnoreDirective = "k8slint:ignore"

// Suppression is a `# k8slint:ignore rule-id[,rule-id] -- reason` comment.
// A comment on a line of its own applies to the next line that is not a
// comment (for a Dockerfile instruction continued over several lines, to all
// of its lines); at the end of a YAML line it applies to that line.
type Suppression struct {
	Rules  []SuppressedRule
	Reason string // empty when the comment gives none
	// Line, Column and EndColumn span the comment, from '#' to the end of the line.
	Line, Column, EndColumn int
	// From and To are the lines whose findings it suppresses.
	From, To int
	// Trailing is set for a comment at the end of a line.
	Trailing bool
}

// SuppressedRule is one rule ID of a suppression, with its columns.
type SuppressedRule struct {
	ID                string
	Column, EndColumn int
}

// CommentStyle tells which lines of a file are comments.
type CommentStyle uint8

const (
	// YAMLComments: a '#' at the start of a line or after a blank, outside a
	// double-quoted string; comments may end a line.
	YAMLComments CommentStyle = iota + 1
	// LineComments: lines whose first non-blank character is '#'
	// (Dockerfiles, redis.conf, legacy mongod.conf).
	LineComments
	// Column1Comments: lines that start with '#' (.dockerignore, where
	// "  #x" is a pattern).
	Column1Comments
)

// ScanSuppressions finds the k8slint:ignore comments of a file.
func ScanSuppressions(data []byte, style CommentStyle) []Suppression {
	if !bytes.Contains(data, []byte(IgnoreDirective)) {
		return nil // the common case: no copy of the file
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	isComment := func(l string) bool {
		if style == Column1Comments {
			return strings.HasPrefix(l, "#")
		}
		return strings.HasPrefix(strings.TrimLeft(l, " \t"), "#")
	}
	var out []Suppression
	for i, l := range lines {
		if !strings.Contains(l, IgnoreDirective) {
			continue
		}
		var hash int // byte offset of the comment's '#'
		trailing := false
		switch {
		case isComment(l):
			hash = strings.IndexByte(l, '#')
		case style == YAMLComments:
			hash = trailingComment(l)
			if hash < 0 {
				continue
			}
			trailing = true
		default:
			continue
		}
		s, ok := parseSuppression(l, hash)
		if !ok {
			continue
		}
		s.Line = i + 1
		s.Trailing = trailing
		if trailing {
			s.From, s.To = s.Line, s.Line
		} else {
			j := i + 1
			for j < len(lines) && isComment(lines[j]) {
				j++
			}
			s.From, s.To = j+1, j+1
		}
		out = append(out, s)
	}
	return out
}

// trailingComment returns the byte offset of a comment that ends a YAML
// line, or -1: a '#' after a blank, outside a double-quoted string.
func trailingComment(l string) int {
	inDouble := false
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '\\':
			if inDouble {
				i++
			}
		case '"':
			inDouble = !inDouble
		case '#':
			if !inDouble && i > 0 && (l[i-1] == ' ' || l[i-1] == '\t') {
				return i
			}
		}
	}
	return -1
}

// parseSuppression reads the directive in l whose '#' is at byte offset hash.
func parseSuppression(l string, hash int) (Suppression, bool) {
	// col counts on from the previous offset asked for: offsets come in
	// order, and counting from the line's start for each rule ID would be
	// quadratic on a long comment.
	lastOff, lastCol := 0, 1
	col := func(off int) int {
		if off < lastOff {
			lastOff, lastCol = 0, 1
		}
		lastCol += utf8.RuneCountInString(l[lastOff:off])
		lastOff = off
		return lastCol
	}
	rest := l[hash+1:]
	off := hash + 1 + len(rest) - len(strings.TrimLeft(rest, " \t"))
	if !strings.HasPrefix(l[off:], IgnoreDirective) {
		return Suppression{}, false
	}
	off += len(IgnoreDirective)
	if off < len(l) && l[off] != ' ' && l[off] != '\t' {
		return Suppression{}, false // k8slint:ignored, k8slint:ignore-foo
	}
	s := Suppression{Column: col(hash)}
	ids := l[off:]
	if k := strings.Index(ids, "--"); k >= 0 {
		s.Reason = strings.TrimSpace(ids[k+2:])
		ids = ids[:k]
	}
	for i := 0; i < len(ids); {
		for i < len(ids) && (ids[i] == ' ' || ids[i] == '\t' || ids[i] == ',') {
			i++
		}
		j := i
		for j < len(ids) && ids[j] != ' ' && ids[j] != '\t' && ids[j] != ',' {
			j++
		}
		if j > i {
			s.Rules = append(s.Rules, SuppressedRule{ID: ids[i:j], Column: col(off + i), EndColumn: col(off + j)})
		}
		i = j
	}
	s.EndColumn = col(len(l))
	return s, true
}
