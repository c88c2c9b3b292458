package cmdline

import (
	"sort"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"

	"github.com/k8slint/k8slint/internal/diag"
)

// Pos maps a position inside a script's text (1-based line and rune column)
// to its file; exact is false when every position maps to the script's start.
type Pos struct {
	File  string
	Map   func(line, col int) (int, int)
	Exact bool
}

// simple is one simple command of a script: its assignments and words.
type simple struct {
	assigns []Word
	words   []Word
	// words[i] as the parser saw it, for nested scripts.
	raw []*syntax.Word
}

// parseScript returns the simple commands of a shell script in the order they
// appear: those of `if`/`while`/`for`/`case` bodies, `{ …; }`, `( … )`,
// `&&`/`||` lists, pipelines, `time` and function bodies. Heredoc bodies,
// redirections and command substitutions are not commands of the script. A
// script that does not parse as bash gives none.
func parseScript(text string, at Pos) ([]simple, bool) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
	if err != nil {
		return nil, false
	}
	return scanFile(f, text, at), true
}

// scanFile returns the simple commands of a parsed script (see parseScript).
func scanFile(f *syntax.File, text string, at Pos) []simple {
	s := &scanner{text: text, at: at}
	s.stmts(f.Stmts)
	return s.out
}

type scanner struct {
	text string
	at   Pos
	out  []simple
	// The rune column of byte offset off: columns are counted from there
	// when the next position lies after it on the same line, so that long
	// lines stay linear.
	cacheLine, cacheOff, cacheCol int
	lineStarts                    []int
}

func (s *scanner) stmts(list []*syntax.Stmt) {
	for _, st := range list {
		s.stmt(st)
	}
}

func (s *scanner) stmt(st *syntax.Stmt) {
	if st == nil {
		return
	}
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		var sc simple
		for _, a := range c.Assigns {
			if a.Name == nil || a.Array != nil || a.Index != nil {
				continue
			}
			w := Word{Val: a.Name.Value + "=", Loc: s.loc(a.Pos(), a.End())}
			if a.Value != nil {
				v := s.word(a.Value)
				w.Val += v.Val
				w.Dynamic = v.Dynamic
			}
			sc.assigns = append(sc.assigns, w)
		}
		for _, a := range c.Args {
			sc.words = append(sc.words, s.word(a))
			sc.raw = append(sc.raw, a)
		}
		if len(sc.words) > 0 || len(sc.assigns) > 0 {
			s.out = append(s.out, sc)
		}
	case *syntax.BinaryCmd:
		s.stmt(c.X)
		s.stmt(c.Y)
	case *syntax.Block:
		s.stmts(c.Stmts)
	case *syntax.Subshell:
		s.stmts(c.Stmts)
	case *syntax.IfClause:
		for ic := c; ic != nil; ic = ic.Else {
			s.stmts(ic.Cond)
			s.stmts(ic.Then)
		}
	case *syntax.WhileClause:
		s.stmts(c.Cond)
		s.stmts(c.Do)
	case *syntax.ForClause:
		s.stmts(c.Do)
	case *syntax.CaseClause:
		for _, it := range c.Items {
			s.stmts(it.Stmts)
		}
	case *syntax.TimeClause:
		s.stmt(c.Stmt)
	case *syntax.CoprocClause:
		s.stmt(c.Stmt)
	case *syntax.FuncDecl:
		s.stmt(c.Body)
	}
}

// word converts a parsed word: its value with quotes removed and escapes
// resolved; an expansion ($VAR, $(…), `…`, $((…)), globs of extended
// patterns) is kept as written and marks the word dynamic.
func (s *scanner) word(w *syntax.Word) Word {
	var b strings.Builder
	dyn := false
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescape(p.Value, false))
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if l, ok := q.(*syntax.Lit); ok {
					b.WriteString(unescape(l.Value, true))
				} else {
					dyn = true
					b.WriteString(s.src(q.Pos(), q.End()))
				}
			}
		default:
			dyn = true
			b.WriteString(s.src(p.Pos(), p.End()))
		}
	}
	return Word{Val: b.String(), Loc: s.loc(w.Pos(), w.End()), Dynamic: dyn}
}

func (s *scanner) src(from, to syntax.Pos) string {
	i, j := int(from.Offset()), int(to.Offset())
	if i < 0 || j > len(s.text) || i > j {
		return ""
	}
	return s.text[i:j]
}

// loc maps a span of the script to its file.
func (s *scanner) loc(from, to syntax.Pos) diag.Location {
	l, c := s.runeCol(from)
	fl, fc := s.at.Map(l, c)
	loc := diag.Location{File: s.at.File, Line: fl, Column: fc}
	if el, ec := s.runeCol(to); s.at.Exact && el == l {
		_, fec := s.at.Map(el, ec)
		loc.EndLine, loc.EndColumn = fl, fec
	}
	return loc
}

// runeCol returns the 1-based line and rune column of p, from its byte
// offset (the parser counts columns in bytes, and reports 0 past its limits).
func (s *scanner) runeCol(p syntax.Pos) (int, int) {
	off := min(int(p.Offset()), len(s.text))
	if s.lineStarts == nil {
		s.lineStarts = []int{0}
		for i := 0; i < len(s.text); i++ {
			if s.text[i] == '\n' {
				s.lineStarts = append(s.lineStarts, i+1)
			}
		}
	}
	line := sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off })
	if line != s.cacheLine || off < s.cacheOff {
		s.cacheLine, s.cacheOff, s.cacheCol = line, s.lineStarts[line-1], 1
	}
	s.cacheCol += utf8.RuneCountInString(s.text[s.cacheOff:off])
	s.cacheOff = off
	return line, s.cacheCol
}

// unescape resolves backslashes as the shell does: outside quotes a
// backslash quotes the next character (and a backslash-newline vanishes);
// inside double quotes only before $ ` " \ and newline.
func unescape(v string, dq bool) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			n := v[i+1]
			if n == '\n' {
				i++
				continue
			}
			if !dq || strings.IndexByte("$`\"\\", n) >= 0 {
				b.WriteByte(n)
				i++
				continue
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}
