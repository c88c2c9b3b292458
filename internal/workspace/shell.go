package workspace

import "strings"

// ScriptWord is one word of a shell script, with its position in the
// script's text (1-based lines and columns; EndCol is exclusive).
type ScriptWord struct {
	Value                      string
	Line, Col, EndLine, EndCol int
	// Dynamic is set when the word holds an expansion whose value is unknown.
	Dynamic bool
}

// SplitScript splits a shell script (a `sh -c` argument) into simple
// commands at ; & | && || ( ) and newlines, honouring quotes, escapes,
// comments and redirections, with the position of every word in the script
// text. It is a reading aid for rules, not a shell: words that hold an
// expansion ($VAR, $(...), `...`) are marked Dynamic.
func SplitScript(text string) [][]ScriptWord {
	var cmds [][]ScriptWord
	var cur []ScriptWord
	var b strings.Builder
	inWord, dynamic, skipNext := false, false, false
	line, col := 1, 1
	wLine, wCol := 1, 1
	end := func() {
		if inWord {
			if skipNext {
				skipNext = false
			} else {
				cur = append(cur, ScriptWord{Value: b.String(), Line: wLine, Col: wCol, EndLine: line, EndCol: col, Dynamic: dynamic})
			}
		}
		b.Reset()
		inWord, dynamic = false, false
	}
	flush := func() {
		end()
		if len(cur) > 0 {
			cmds = append(cmds, cur)
		}
		cur = nil
	}
	start := func() {
		if !inWord {
			inWord, wLine, wCol = true, line, col
		}
	}
	rs := []rune(text)
	advance := func(k int) {
		for ; k > 0; k-- {
			if rs[0] == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
			rs = rs[1:]
		}
	}
	for len(rs) > 0 {
		r := rs[0]
		switch {
		case r == '\\' && len(rs) > 1 && rs[1] == '\n':
			end()
			advance(2)
		case r == '\\' && len(rs) > 1:
			start()
			b.WriteRune(rs[1])
			advance(2)
		case r == ' ' || r == '\t' || r == '\r':
			end()
			advance(1)
		case r == '\n' || r == ';' || r == '&' || r == '|' || r == '(' || r == ')':
			flush()
			advance(1)
		case r == '#' && !inWord:
			for len(rs) > 0 && rs[0] != '\n' {
				advance(1)
			}
		case r == '>' || r == '<':
			if inWord && strings.Trim(b.String(), "0123456789") == "" {
				b.Reset()
				inWord = false
			}
			end()
			dup := false
			for len(rs) > 0 && (rs[0] == '>' || rs[0] == '<' || rs[0] == '&') {
				dup = rs[0] == '&'
				advance(1)
			}
			fd := false
			for dup && len(rs) > 0 && (rs[0] >= '0' && rs[0] <= '9' || rs[0] == '-') {
				advance(1) // 2>&1, <&-: no file word follows
				fd = true
			}
			skipNext = !fd
		case r == '\'':
			start()
			advance(1)
			for len(rs) > 0 && rs[0] != '\'' {
				b.WriteRune(rs[0])
				advance(1)
			}
			if len(rs) > 0 {
				advance(1)
			}
		case r == '"':
			start()
			advance(1)
			for len(rs) > 0 && rs[0] != '"' {
				if rs[0] == '\\' && len(rs) > 1 && strings.ContainsRune("\"\\$`\n", rs[1]) {
					advance(1)
				} else if rs[0] == '$' || rs[0] == '`' {
					dynamic = true
				}
				b.WriteRune(rs[0])
				advance(1)
			}
			if len(rs) > 0 {
				advance(1)
			}
		case r == '$' || r == '`':
			start()
			dynamic = true
			b.WriteRune(r)
			advance(1)
			if r == '$' && len(rs) > 0 && (rs[0] == '(' || rs[0] == '{') {
				open, close := rs[0], map[rune]rune{'(': ')', '{': '}'}[rs[0]]
				depth := 0
				for len(rs) > 0 {
					c := rs[0]
					b.WriteRune(c)
					advance(1)
					if c == open {
						depth++
					} else if c == close {
						depth--
						if depth == 0 {
							break
						}
					}
				}
			} else if r == '`' {
				for len(rs) > 0 && rs[0] != '`' {
					b.WriteRune(rs[0])
					advance(1)
				}
				if len(rs) > 0 {
					b.WriteRune('`')
					advance(1)
				}
			}
		default:
			start()
			b.WriteRune(r)
			advance(1)
		}
	}
	flush()
	return cmds
}
