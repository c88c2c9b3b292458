package cmdline

import (
	"path"
	"strings"
)

// wrapper is a program that runs the command given after its own options
// and operands.
type wrapper struct {
	operands int // words before the command (gosu USER, chroot DIR)
	// valueOpts take the next word as their value (tini -p SIGTERM).
	valueOpts []string
	sub       string // a required subcommand (poetry run)
	assigns   bool   // NAME=value words before the command (env)
	// User is set for the wrappers that run the command as another user.
	user bool
}

// wrappers is the one list of wrappers that k8slint strips.
var wrappers = map[string]wrapper{
	"exec":                 {valueOpts: []string{"-a"}},
	"env":                  {valueOpts: []string{"-u", "--unset", "-C", "--chdir"}, assigns: true},
	"tini":                 {valueOpts: []string{"-p", "-e"}},
	"dumb-init":            {valueOpts: []string{"-r", "--rewrite"}},
	"catatonit":            {},
	"docker-entrypoint.sh": {},
	"nice":                 {valueOpts: []string{"-n", "--adjustment"}},
	"nohup":                {},
	"time":                 {valueOpts: []string{"-f", "--format", "-o", "--output"}},
	"numactl":              {},
	"gosu":                 {operands: 1, user: true},
	"su-exec":              {operands: 1, user: true},
	"s6-setuidgid":         {operands: 1, user: true},
	"setuidgid":            {operands: 1, user: true},
	"chroot":               {operands: 1},
	"poetry":               {sub: "run"},
	"pipenv":               {sub: "run"},
	"uv":                   {sub: "run"},
}

// Shells are the programs whose -c option runs a script.
var shells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true, "ksh": true}

// IsShell reports whether prog (a path or a name) is a POSIX-like shell.
func IsShell(prog string) bool { return shells[path.Base(prog)] }

// stripped is the result of stripping wrappers from a word list.
type stripped struct {
	argv []Word
	env  []Word
	via  []Word
	user bool
}

// strip removes environment assignments and wrappers (with their options,
// operands and subcommand) from the front of words.
func strip(words []Word) stripped {
	var r stripped
	i := 0
	for i < len(words) {
		w := words[i]
		if w.Dynamic {
			break
		}
		if IsAssignment(w.Val) {
			r.env = append(r.env, w)
			i++
			continue
		}
		wr, ok := wrappers[path.Base(w.Val)]
		if !ok || wr.sub != "" && (i+1 >= len(words) || words[i+1].Val != wr.sub) {
			break
		}
		r.via = append(r.via, w)
		r.user = r.user || wr.user
		i++
		if wr.sub != "" {
			i++
			continue
		}
		// Options, then operands, then (for env) assignments.
		for i < len(words) && strings.HasPrefix(words[i].Val, "-") && words[i].Val != "-" {
			o := words[i].Val
			i++
			if o == "--" {
				break
			}
			for _, v := range wr.valueOpts {
				if o == v {
					i++
				}
			}
		}
		i += wr.operands
		for wr.assigns && i < len(words) && IsAssignment(words[i].Val) {
			r.env = append(r.env, words[i])
			i++
		}
	}
	if i < len(words) {
		r.argv = words[i:]
	}
	return r
}

// shellScript returns the index of the script of a shell's argument list
// (`sh -ec SCRIPT`, `bash -lc SCRIPT`, `bash -o pipefail -c SCRIPT`), or -1
// when the shell runs a script file or reads standard input.
func shellScript(args []Word) int {
	c := false
	for i := 0; i < len(args); i++ {
		a := args[i].Val
		switch {
		case a == "-o" || a == "+o":
			i++
		case a == "--":
			if c && i+1 < len(args) {
				return i + 1
			}
			return -1
		case strings.HasPrefix(a, "--"):
		case len(a) > 1 && (a[0] == '-' || a[0] == '+'):
			if a[0] == '-' && strings.Contains(a, "c") {
				c = true
			}
		default:
			if c {
				return i
			}
			return -1
		}
	}
	return -1
}

// IsAssignment reports whether w is a NAME=value word.
func IsAssignment(w string) bool {
	k, _, ok := strings.Cut(w, "=")
	if !ok || k == "" {
		return false
	}
	for i, r := range k {
		letter := r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
		digit := i > 0 && r >= '0' && r <= '9'
		if !letter && !digit {
			return false
		}
	}
	return true
}
