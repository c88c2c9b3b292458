package render

import (
	"bytes"
	"strconv"
	"strings"
)

// Positions through Helm's template engine: before rendering, every template
// line that ends outside an action gets a marker comment (#k8slint@F:L, F the
// file's index, L the line where that line's output began: the first line of
// an action that spans lines) appended; the engine copies text through, so each
// rendered line carries the markers of the template lines whose text it
// holds. The markers are cut out of the rendered text before it is parsed
// (so block scalars, quoted strings and flow collections read exactly as
// Helm renders them), and kept as a map from rendered line to source line.
//
// No marker is added where it would change what Helm renders:
//   - inside an action ({{ ... }} spanning lines, comments, strings);
//   - after an action ending in -}} (the marker would stop the trim);
//   - in the whitespace before an action starting with {{- (there the marker
//     goes right after the line's text, which the trim stops at anyway);
//   - inside {{ define }} and {{ block }} (their text is consumed by include,
//     trunc, sha256sum, eq..., not only copied out);
//   - in partials (_*.tpl), which only define templates.

const markerPrefix = "#k8slint@"

// annotate returns src with markers for file index fi.
func annotate(src string, fi int) string {
	var b bytes.Buffer
	b.Grow(len(src) + len(src)/4)
	inAction := false
	var quote byte // inside an action: the open string's quote, or 0
	depth := 0     // nesting of define/block
	line := 1
	segStart := 1              // the line where the text of the current output line began
	var action strings.Builder // text of the current action (to see define/end)
	trimRight := false         // the last action closed with -}}, and only spaces followed
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\n' || c == '\r' && i+1 < len(src) && src[i+1] == '\n' && quote == 0 {
			marked := !inAction && depth == 0 && !trimRight
			if marked && trimsLeft(src[i+1:]) {
				// an action {{- follows after whitespace only: it trims
				// that whitespace up to the last text, so the marker goes
				// right after the text (and on a blank line, nowhere)
				marked = markAfterText(&b, fi, segStart)
			} else if marked {
				writeMarker(&b, fi, segStart)
			}
			if c == '\r' {
				b.WriteByte('\r')
				i++
			}
			b.WriteByte('\n')
			line++
			if marked || depth > 0 && !inAction {
				segStart = line
			}
			if !inAction {
				trimRight = false
			}
			continue
		}
		b.WriteByte(c)
		switch {
		case inAction:
			if quote != 0 {
				if c == '\\' && quote != '`' && i+1 < len(src) {
					i++
					b.WriteByte(src[i])
					if src[i] == '\n' {
						line++
					}
				} else if c == quote {
					quote = 0
				}
				action.WriteByte(c)
				continue
			}
			switch {
			case c == '"' || c == '`' || c == '\'':
				quote = c
				action.WriteByte(c)
			case c == '}' && i+1 < len(src) && src[i+1] == '}':
				b.WriteByte('}')
				i++
				inAction = false
				a := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(action.String()), "-"))
				trimRight = strings.HasSuffix(a, "-") && (len(a) < 2 || a[len(a)-2] == ' ' || a[len(a)-2] == '\t' || a[len(a)-2] == '\n')
				a = strings.TrimSpace(strings.TrimSuffix(a, "-"))
				word := a
				if j := strings.IndexAny(word, " \t\r\n("); j >= 0 {
					word = word[:j]
				}
				switch word {
				case "define", "block":
					depth++
				case "if", "range", "with":
					if depth > 0 {
						depth++
					}
				case "end":
					if depth > 0 {
						depth--
					}
				}
			default:
				action.WriteByte(c)
			}
		case c == '{' && i+1 < len(src) && src[i+1] == '{':
			b.WriteByte('{')
			i++
			rest := src[i+1:]
			trimmed := strings.TrimLeft(strings.TrimPrefix(rest, "-"), " \t\r\n")
			if strings.HasPrefix(trimmed, "/*") {
				// a comment: copied as it is, up to */ [-]}}
				end := strings.Index(trimmed, "*/")
				if end < 0 {
					b.WriteString(rest)
					return b.String()
				}
				after := trimmed[end+2:]
				close := strings.Index(after, "}}")
				if close < 0 {
					b.WriteString(rest)
					return b.String()
				}
				n := len(rest) - len(trimmed) + end + 2 + close + 2
				body := rest[:n]
				b.WriteString(body)
				line += strings.Count(body, "\n")
				trimRight = strings.HasSuffix(strings.TrimSpace(after[:close]), "-")
				i += n
				continue
			}
			inAction = true
			action.Reset()
			trimRight = false
		default:
			if c != ' ' && c != '\t' && c != '\r' {
				trimRight = false
			}
		}
	}
	if len(src) > 0 && src[len(src)-1] != '\n' && !inAction && depth == 0 && !trimRight {
		// the last line, without a newline: marked at the end of the file
		writeMarker(&b, fi, segStart)
	}
	return b.String()
}

// trimsLeft reports whether rest, past spaces and line ends, starts with an
// action that trims the whitespace before it ({{- followed by a space).
func trimsLeft(rest string) bool {
	rest = strings.TrimLeft(rest, " \t\r\n")
	return len(rest) > 3 && strings.HasPrefix(rest, "{{-") && (rest[3] == ' ' || rest[3] == '\t' || rest[3] == '\r' || rest[3] == '\n')
}

// markAfterText puts the marker of the current line right after its last
// text (before its trailing spaces); a line of spaces gets none.
func markAfterText(b *bytes.Buffer, fi, line int) bool {
	buf := b.Bytes()
	start := bytes.LastIndexByte(buf, '\n') + 1
	end := len(buf)
	for end > start && (buf[end-1] == ' ' || buf[end-1] == '\t' || buf[end-1] == '\r') {
		end--
	}
	if end == start {
		return false
	}
	tail := append([]byte(nil), buf[end:]...)
	b.Truncate(end)
	writeMarker(b, fi, line)
	b.Write(tail)
	return true
}

func writeMarker(b *bytes.Buffer, fi, line int) {
	b.WriteString(markerPrefix)
	b.WriteString(strconv.Itoa(fi))
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(line))
}

// mark is one marker found in rendered text.
type mark struct {
	col  int // 0-based byte offset in the stripped line where the marker stood
	file int
	line int
}

// stripped is rendered text without its markers, with the markers of each line.
type stripped struct {
	text  string
	marks [][]mark // by 0-based rendered line
}

// strip cuts the markers out of rendered text.
func strip(s string) stripped {
	var out stripped
	var b strings.Builder
	b.Grow(len(s))
	var cur []mark
	lineStart := 0
	for i := 0; i < len(s); {
		if s[i] == '\n' {
			b.WriteByte('\n')
			out.marks = append(out.marks, cur)
			cur = nil
			i++
			lineStart = b.Len()
			continue
		}
		if s[i] == '#' && strings.HasPrefix(s[i:], markerPrefix) {
			j := i + len(markerPrefix)
			f, n1 := digits(s[j:])
			if n1 > 0 && j+n1 < len(s) && s[j+n1] == ':' {
				l, n2 := digits(s[j+n1+1:])
				if n2 > 0 {
					cur = append(cur, mark{col: b.Len() - lineStart, file: f, line: l})
					i = j + n1 + 1 + n2
					continue
				}
			}
		}
		b.WriteByte(s[i])
		i++
	}
	out.marks = append(out.marks, cur)
	out.text = b.String()
	return out
}

func digits(s string) (int, int) {
	n, v := 0, 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' && n < 9 {
		v = v*10 + int(s[n]-'0')
		n++
	}
	return v, n
}

// source is where a rendered position came from: the first marker at or
// after the column on its line; else the next marker below (the action that
// wrote a multi-line block, as include | nindent or toYaml do, marks its
// last line); else the last marker above.
func (s *stripped) source(line, col int) (file, srcLine int, ok bool) {
	li := line - 1
	if li < 0 || li >= len(s.marks) {
		return 0, 0, false
	}
	for _, m := range s.marks[li] {
		if m.col >= col-1 {
			return m.file, m.line, true
		}
	}
	for j := li + 1; j < len(s.marks); j++ {
		if len(s.marks[j]) > 0 {
			m := s.marks[j][0]
			return m.file, m.line, true
		}
	}
	for j := li; j >= 0; j-- {
		if n := len(s.marks[j]); n > 0 {
			m := s.marks[j][n-1]
			return m.file, m.line, true
		}
	}
	return 0, 0, false
}
