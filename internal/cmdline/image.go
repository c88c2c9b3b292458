package cmdline

import (
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
)

// effective returns the ENTRYPOINT and CMD that stage i of a Dockerfile
// runs: its own last ones, else those of the earlier stage it is built FROM.
// An ENTRYPOINT set in a stage drops the CMD it inherits, as the builder
// does.
func effective(df *load.Dockerfile, i int, depth int) (entry, cmd *load.Exec) {
	if i < 0 || i >= len(df.Stages) || depth > len(df.Stages) {
		return nil, nil
	}
	for _, e := range df.Execs {
		if e.Stage != i {
			continue
		}
		if e.Command == "ENTRYPOINT" {
			entry, cmd = e, nil
		} else {
			cmd = e
		}
	}
	if entry != nil {
		return entry, cmd
	}
	base := strings.ToLower(df.Stages[i].BaseName)
	for j := i - 1; j >= 0; j-- {
		if df.Stages[j].Name != "" && df.Stages[j].Name == base {
			pe, pc := effective(df, j, depth+1)
			if cmd == nil {
				cmd = pc
			}
			return pe, cmd
		}
	}
	return nil, cmd
}

// image returns what the final stage of a Dockerfile runs, nil when it sets
// neither ENTRYPOINT nor CMD (it runs its base image's).
func image(df *workspace.Dockerfile) *Image {
	entry, cmd := effective(df.Dockerfile, len(df.Stages)-1, 0)
	if entry == nil && cmd == nil {
		return nil
	}
	im := &Image{Dockerfile: df}
	var pos []Pos
	add := func(e *load.Exec) {
		if e.Shell {
			// The shell form runs under /bin/sh -c.
			at := diag.Location{File: df.Path, Line: e.Line, Column: 1}
			if len(e.Pos) > 0 && e.Pos[0].Line > 0 {
				at.Column = e.Pos[0].Column
			}
			im.Words = append(im.Words, Word{Val: "/bin/sh", Loc: at}, Word{Val: "-c", Loc: at})
			fixed := Pos{File: df.Path, Map: func(int, int) (int, int) { return at.Line, at.Column }}
			pos = append(pos, fixed, fixed)
		}
		for i, v := range e.CmdLine {
			w := Word{Val: v, Loc: diag.Location{File: df.Path, Line: e.Line, Column: 1}}
			p := Pos{File: df.Path}
			if i < len(e.Pos) && e.Pos[i].Line > 0 {
				ep := e.Pos[i]
				w.Loc.Line, w.Loc.Column = ep.Line, ep.Column
				if ep.Exact && !strings.Contains(v, "\n") {
					w.Loc.EndLine, w.Loc.EndColumn = ep.Line, ep.Column+runeLen(v)
					p.Exact = true
				}
			}
			line, col, exact := w.Loc.Line, w.Loc.Column, p.Exact
			p.Map = func(l, c int) (int, int) {
				if exact && l == 1 {
					return line, col + c - 1
				}
				return line, col
			}
			if !exact {
				p.Exact = false
			}
			im.Words = append(im.Words, w)
			pos = append(pos, p)
		}
	}
	if entry != nil {
		add(entry)
		im.entryWords = len(im.Words)
		im.entryShell = entry.Shell
	}
	if cmd != nil && (entry == nil || !entry.Shell) {
		add(cmd)
	}
	im.Commands = Commands(im.Words, func(i int) Pos { return pos[i] })
	return im
}
