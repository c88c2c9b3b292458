package cmdline

import (
	"errors"
	"path"
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/workspace"
)

// Script is a shell script of a build context that an image runs: its
// ENTRYPOINT or CMD starts a file that the final stage COPY/ADDs from the
// context (`COPY docker-entrypoint.sh /usr/local/bin/` and `ENTRYPOINT
// ["docker-entrypoint.sh"]`, `CMD ["sh", "/entrypoint.sh"]`, `CMD
// ["./run.sh"]` after WORKDIR).
type Script struct {
	// Word is the word of the image's command line that names the script.
	Word Word
	// Path is the script in the tree (absolute); Dest its path in the image.
	Path, Dest string
	// Commands are the script's simple commands, as for a `sh -c` script
	// (every branch and function body, wrappers stripped), positioned in the
	// script. A "$@" word stands for the script's arguments: it is replaced
	// by Args, positioned where the image's command line writes them.
	// Every command has From set to this script.
	Commands []*Command
	// Args are the arguments the image's command line gives the script
	// (the CMD after an exec-form ENTRYPOINT).
	Args []Word
	// ArgsUnknown: the script's arguments cannot be told (it is started
	// through wrappers after it); "$@" is then left as written.
	ArgsUnknown bool
	// Err says why the script was not read or not parsed: Commands is nil.
	Err error
	cmd int // the index of the image's command that runs it
	// The script's simple commands and what the image's command gives
	// them, to run it again with other arguments (WithArgs).
	simples []simple
	in      *Command
}

// WithArgs returns the script's commands with "$@" standing for args.
func (sc *Script) WithArgs(args []Word) []*Command {
	if sc.Err != nil {
		return nil
	}
	var out []*Command
	for _, s := range sc.simples {
		for _, c := range expandSimple(withArgs(s, args), sc.in, 1) {
			c.From = sc
			out = append(out, c)
		}
	}
	return out
}

// Run returns the commands the image runs: its Commands, each one that runs
// a script of the tree replaced by the script's commands when it was read.
func (im *Image) Run() []*Command {
	if len(im.Scripts) == 0 {
		return im.Commands
	}
	by := map[int]*Script{}
	for _, s := range im.Scripts {
		if s.Err == nil {
			by[s.cmd] = s
		}
	}
	var out []*Command
	for i, c := range im.Commands {
		if s := by[i]; s != nil {
			out = append(out, s.Commands...)
			continue
		}
		out = append(out, c)
	}
	return out
}

// defaultPath is the PATH of an image that sets none (the Docker engine's
// default for Linux containers).
var defaultPath = []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}

// scripts returns the scripts of the build context that the image's
// commands run, at most one per command.
func scripts(ws *workspace.Workspace, im *Image) []*Script {
	df := im.Dockerfile
	if df.ContextUnknown || len(df.Stages) == 0 {
		return nil
	}
	var out []*Script
	workdir := df.Stages[len(df.Stages)-1].Workdir
	for i, cmd := range im.Commands {
		sc := scriptOf(ws, im, cmd, workdir)
		if sc == nil {
			continue
		}
		sc.cmd = i
		read(ws, sc, cmd)
		out = append(out, sc)
	}
	return out
}

// scriptOf returns the script of the context that a command runs: a
// wrapper stripped before it (`ENTRYPOINT ["docker-entrypoint.sh"]` and a
// CMD), its program, or the file a shell runs (`sh -e /entrypoint.sh`);
// nil when none is a file the final stage copies from the context.
func scriptOf(ws *workspace.Workspace, im *Image, cmd *Command, workdir string) *Script {
	find := func(w Word, viaShell bool) (string, string) {
		if w.Dynamic {
			return "", ""
		}
		return copiedFrom(ws, im.Dockerfile, imagePaths(w.Val, workdir, viaShell))
	}
	for _, v := range cmd.Via {
		if IsShell(v.Val) {
			continue
		}
		if abs, dest := find(v, false); abs != "" {
			sc := &Script{Word: v, Path: abs, Dest: dest, ArgsUnknown: true}
			if !cmd.Script {
				// Its arguments are the image's words after it.
				for j, w := range im.Words {
					if w.Loc == v.Loc && w.Val == v.Val {
						sc.Args, sc.ArgsUnknown = im.Words[j+1:], false
						break
					}
				}
			}
			return sc
		}
	}
	if len(cmd.Argv) == 0 || cmd.Argv[0].Dynamic {
		return nil
	}
	if !IsShell(cmd.Argv[0].Val) {
		if abs, dest := find(cmd.Argv[0], false); abs != "" {
			return &Script{Word: cmd.Argv[0], Path: abs, Dest: dest, Args: cmd.Argv[1:]}
		}
		return nil
	}
	rest := cmd.Argv[1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i].Val
		switch {
		case a == "-o" || a == "+o":
			i++
		case a == "--" || !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "+") || len(a) == 1:
			if a == "--" {
				i++
			}
			if i >= len(rest) {
				return nil
			}
			if abs, dest := find(rest[i], true); abs != "" {
				return &Script{Word: rest[i], Path: abs, Dest: dest, Args: rest[i+1:]}
			}
			return nil
		case strings.ContainsAny(a[1:], "cs"):
			return nil // -c SCRIPT, -s: standard input
		}
	}
	return nil
}

// imagePaths returns the paths in the image that a script word may name:
// an absolute path; a relative one with a slash (or a shell's file operand)
// from the working directory; a bare name through the default PATH.
func imagePaths(word, workdir string, viaShell bool) []string {
	switch {
	case word == "" || strings.ContainsAny(word, "*?[\\"):
		return nil
	case path.IsAbs(word):
		return []string{path.Clean(word)}
	case strings.Contains(word, "/") || viaShell:
		if workdir == "" {
			return nil
		}
		return []string{path.Join(workdir, word)}
	}
	var out []string
	for _, d := range defaultPath {
		out = append(out, path.Join(d, word))
	}
	return out
}

// archiveExts are the source names that ADD unpacks instead of copying.
var archiveExts = []string{".tar", ".tgz", ".tbz2", ".txz", ".gz", ".bz2", ".xz", ".zst", ".lz4"}

// copiedFrom returns the file of the tree that the final stage copies from
// its context to one of dests (the first one, in PATH order, that a copy
// writes; the last copy to a path wins), "" when none does.
func copiedFrom(ws *workspace.Workspace, df *workspace.Dockerfile, dests []string) (abs, dest string) {
	if len(dests) == 0 {
		return "", ""
	}
	bc := ws.BuildContext(df)
	copies := df.FinalContextCopies()
	for _, want := range dests {
		for i := len(copies) - 1; i >= 0; i-- {
			cp := copies[i]
			to, intoDir := cp.To, cp.IntoDir
			for _, rel := range cp.Rels {
				info := bc.Stat(rel)
				if !info.Exists {
					continue
				}
				var fileRel string
				switch {
				case info.IsDir:
					// The directory's contents go to the destination.
					r, ok := strings.CutPrefix(want, strings.TrimSuffix(to, "/")+"/")
					if to == "/" {
						r, ok = strings.TrimPrefix(want, "/"), true
					}
					if !ok || cp.Parents {
						continue
					}
					fileRel = path.Join(rel, r)
				case intoDir && path.Join(to, path.Base(rel)) == want, !intoDir && to == want:
					if cp.Command == "ADD" && hasArchiveExt(rel) {
						continue
					}
					fileRel = rel
				default:
					continue
				}
				if fi := bc.Stat(fileRel); !fi.Exists || fi.IsDir || !fi.Sent {
					continue
				}
				return filepath.Join(df.Context, filepath.FromSlash(fileRel)), want
			}
		}
	}
	return "", ""
}

func hasArchiveExt(p string) bool {
	for _, e := range archiveExts {
		if strings.HasSuffix(strings.ToLower(p), e) {
			return true
		}
	}
	return false
}

// errNoScript says that the script was read but starts nothing.
var errNoScript = errors.New("starts no command")

// read reads and scans the script; its commands get what the image's
// command gives the script (environment, wrappers, user switch).
func read(ws *workspace.Workspace, sc *Script, cmd *Command) {
	ls := ws.Script(sc.Path)
	if ls.File == nil {
		sc.Err = ls.Err
		if sc.Err == nil {
			sc.Err = errNoScript
		}
		return
	}
	at := Pos{File: sc.Path, Map: func(l, c int) (int, int) { return l, c }, Exact: true}
	sc.in = &Command{Env: cmd.Env, Via: append(append([]Word(nil), cmd.Via...), sc.Word), AsUser: cmd.AsUser, Script: true}
	sc.simples = scanFile(ls.File, ls.Text, at)
	if sc.ArgsUnknown {
		for _, s := range sc.simples {
			for _, c := range expandSimple(s, sc.in, 1) {
				c.From = sc
				sc.Commands = append(sc.Commands, c)
			}
		}
		return
	}
	sc.Commands = sc.WithArgs(sc.Args)
}

// withArgs replaces each "$@" word of a simple command with args.
func withArgs(s simple, args []Word) simple {
	has := false
	for _, w := range s.words {
		has = has || isAllArgs(w)
	}
	if !has {
		return s
	}
	out := simple{assigns: s.assigns}
	for i, w := range s.words {
		if !isAllArgs(w) {
			out.words = append(out.words, w)
			if i < len(s.raw) {
				out.raw = append(out.raw, s.raw[i])
			}
			continue
		}
		for range args {
			out.raw = append(out.raw, nil)
		}
		out.words = append(out.words, args...)
	}
	if len(out.raw) != len(out.words) {
		out.raw = nil
	}
	return out
}

// isAllArgs reports a word that is "$@" (or $@, "${@}"): the script's
// arguments, one word each.
func isAllArgs(w Word) bool {
	if !w.Dynamic {
		return false
	}
	v := w.Val
	return v == "$@" || v == "${@}"
}
