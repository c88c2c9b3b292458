// Package cmdline models what a container or an image runs: the words of
// its command line with their positions in the manifest or Dockerfile, and
// the simple commands that line starts once wrappers (exec, env, tini,
// dumb-init, gosu, su-exec, nice, time, poetry run, ...) are stripped and
// shell scripts (`sh -c`, `bash -lc`, shell-form ENTRYPOINT and CMD) are
// parsed with mvdan.cc/sh. It is computed once per workspace (Of) and never
// modified.
package cmdline

import (
	"path"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// Word is one argument of a command line, with its location.
type Word struct {
	Val string
	Loc diag.Location
	// Dynamic is set when the value holds a shell expansion ($VAR, $(…),
	// `…`) whose value is unknown; Val then shows it as written.
	Dynamic bool
}

// Command is one simple command that a command line starts.
type Command struct {
	// Argv is the program and its arguments, after wrappers.
	Argv []Word
	// Env are the NAME=value assignments given to it (`A=b cmd`, `env A=b cmd`).
	Env []Word
	// Via are the wrappers and shells it is started through, outermost first.
	Via []Word
	// AsUser is set when a wrapper (gosu, su-exec, ...) switches the user.
	AsUser bool
	// Script is set for a command of a shell script.
	Script bool
	// From is the script of the tree (an image's entrypoint script) whose
	// command it is; nil otherwise.
	From *Script
}

// Prog returns the base name of the program, "" when it is unknown (an
// expansion) or absent.
func (c *Command) Prog() string {
	if len(c.Argv) == 0 || c.Argv[0].Dynamic {
		return ""
	}
	return path.Base(c.Argv[0].Val)
}

// Line is the command line of one container: its command followed by its
// args.
type Line struct {
	Container workspace.Container
	// Words are command then args, as written.
	Words []Word
	// ArgsOnly is set when the container gives args but no command: the
	// image's ENTRYPOINT receives them.
	ArgsOnly bool
	// NonScalar is set when an item of command or args is not a scalar
	// (the line is not known).
	NonScalar bool
	// Commands are the simple commands the line starts, in order.
	Commands []*Command
}

// Image is what a Dockerfile's final stage runs.
type Image struct {
	Dockerfile *workspace.Dockerfile
	// Words are the effective ENTRYPOINT then CMD (a shell form as
	// /bin/sh -c SCRIPT).
	Words    []Word
	Commands []*Command
	// Scripts are the scripts of the build context that Commands run
	// (see Run).
	Scripts []*Script
	// entryWords is how many of Words the ENTRYPOINT gives (the rest are
	// the CMD, which a container's args replace); entryShell is set for a
	// shell-form ENTRYPOINT, which ignores CMD and args.
	entryWords int
	entryShell bool
}

// Model is the command lines of a workspace.
type Model struct {
	// Lines holds one entry per container of every pod template (init and
	// ephemeral containers included) that sets command or args.
	Lines  []*Line
	Images []*Image
	// Built are the containers that run the entrypoint script of an image
	// the tree builds (see Built).
	Built  []*Built
	byNode map[*yamlx.Node]*Line
}

// Of returns the workspace's command lines, computed once.
func Of(ws *workspace.Workspace) *Model { return models.Of(ws) }

var models = workspace.NewResult(build)

// Container returns the line of a container, nil when it sets neither
// command nor args.
func (m *Model) Container(c workspace.Container) *Line { return m.byNode[c.Node] }

func build(ws *workspace.Workspace) *Model {
	m := &Model{byNode: map[*yamlx.Node]*Line{}}
	ws.EachContainer(func(c workspace.Container) {
		if l := containerLine(c); l != nil {
			m.Lines = append(m.Lines, l)
			m.byNode[c.Node] = l
		}
	})
	for _, df := range ws.Dockerfiles {
		if im := image(df); im != nil {
			im.Scripts = scripts(ws, im)
			m.Images = append(m.Images, im)
		}
	}
	m.Built = built(ws, m)
	return m
}

func containerLine(c workspace.Container) *Line {
	command, args := c.Node.Get("command"), c.Node.Get("args")
	if command == nil && args == nil {
		return nil
	}
	file := c.Template.Object.File
	l := &Line{Container: c, ArgsOnly: command.NumItems() == 0}
	var nodes []*yamlx.Node
	for _, list := range []*yamlx.Node{command, args} {
		for _, n := range list.Items() {
			if n.Kind() != yamlx.Scalar {
				l.NonScalar = true
				continue
			}
			l.Words = append(l.Words, Word{Val: n.Value(), Loc: workspace.NodeLocation(file, n)})
			nodes = append(nodes, n)
		}
	}
	if l.NonScalar {
		return l
	}
	l.Commands = Commands(l.Words, func(i int) Pos {
		m, exact := workspace.TextPos(nodes[i])
		return Pos{File: file, Map: m, Exact: exact}
	})
	return l
}

// maxDepth bounds shells started by shells.
const maxDepth = 4

// Commands returns the simple commands that an argument vector starts.
// scriptPos gives the positions inside words[i] when it is a shell script.
func Commands(words []Word, scriptPos func(i int) Pos) []*Command {
	var out []*Command
	expand(words, scriptPos, &Command{}, 0, &out)
	return out
}

// expand adds the commands that words start to out; outer holds what the
// enclosing shells give them (wrappers, environment, user switch).
func expand(words []Word, scriptPos func(int) Pos, outer *Command, depth int, out *[]*Command) {
	offset := len(words)
	s := strip(words)
	offset -= len(s.argv)
	cmd := &Command{Argv: s.argv, Env: append(append([]Word(nil), outer.Env...), s.env...),
		Via: append(append([]Word(nil), outer.Via...), s.via...), AsUser: outer.AsUser || s.user, Script: outer.Script}
	if len(s.argv) > 0 && !s.argv[0].Dynamic && IsShell(s.argv[0].Val) && depth < maxDepth {
		if i := shellScript(s.argv[1:]); i >= 0 {
			script := s.argv[1+i]
			if script.Dynamic {
				return
			}
			pos := scriptPos(offset + 1 + i)
			sub, ok := parseScript(script.Val, pos)
			if !ok {
				return
			}
			in := &Command{Env: cmd.Env, Via: append(cmd.Via, s.argv[0]), AsUser: cmd.AsUser, Script: true}
			for _, sc := range sub {
				inner := expandSimple(sc, in, depth+1)
				*out = append(*out, inner...)
			}
			return
		}
	}
	if len(s.argv) > 0 || len(s.env) > 0 {
		*out = append(*out, cmd)
	}
}

// expandSimple expands a simple command of a script: its assignments apply
// to it, and a nested script's positions follow the word when it is a
// single-quoted string on one line.
func expandSimple(sc simple, outer *Command, depth int) []*Command {
	if len(sc.words) == 0 {
		return nil // NAME=value alone sets a shell variable
	}
	var out []*Command
	pos := func(i int) Pos {
		w := sc.words[i]
		at := Pos{File: w.Loc.File, Map: func(int, int) (int, int) { return w.Loc.Line, w.Loc.Column }}
		if i < len(sc.raw) && sc.raw[i] != nil && len(sc.raw[i].Parts) == 1 && w.Loc.EndLine == w.Loc.Line && w.Loc.EndColumn > 0 {
			if isSingleQuoted(sc.raw[i]) && w.Loc.EndColumn-w.Loc.Column == runeLen(w.Val)+2 {
				line, col := w.Loc.Line, w.Loc.Column
				at = Pos{File: w.Loc.File, Map: func(_, c int) (int, int) { return line, col + c }, Exact: true}
			}
		}
		return at
	}
	o := *outer
	o.Env = append(append([]Word(nil), outer.Env...), sc.assigns...)
	expand(sc.words, pos, &o, depth, &out)
	return out
}

func isSingleQuoted(w *syntax.Word) bool {
	q, ok := w.Parts[0].(*syntax.SglQuoted)
	return ok && !q.Dollar
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }
