package rules

// Shared by mongodb-bind-localhost, redis-bind-localhost and
// redis-protected-mode: containers that start mongod/mongos or redis-server,
// read from their command and args (directly, through wrappers such as exec
// or tini, or inside `sh -c` scripts), and the words of those command lines
// with their positions.

import (
	"net/netip"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// word is one argument of a command line or a config directive.
type word struct {
	val string
	loc diag.Location
	// dynamic is set when the value contains a shell expansion ($VAR, $(...),
	// `...`) whose value is unknown.
	dynamic bool
}

// serverCall is a container command line that starts a database server.
type serverCall struct {
	c    workspace.Container
	prog string // mongod, mongos, redis-server or redis-sentinel
	args []word
	// implicit: the program is not written; the official image's entrypoint
	// prepends it to args that start with an option.
	implicit bool
}

// text renders the command line for messages, shortened.
func (s *serverCall) text() string {
	var b strings.Builder
	b.WriteString(s.prog)
	for _, a := range s.args {
		if b.Len() > 80 {
			b.WriteString(" ...")
			break
		}
		b.WriteString(" ")
		b.WriteString(a.val)
	}
	if s.implicit {
		b.WriteString(", " + s.prog + " added by the image's entrypoint")
	}
	return b.String()
}

func (s *serverCall) where() string {
	o := s.c.Template.Object
	return o.Kind + " " + o.Name + ", container " + s.c.Name
}

var serverProgs = map[string]bool{"mongod": true, "mongos": true, "redis-server": true, "redis-sentinel": true}

// wrappers run the command that follows them (after their own options).
var wrappers = map[string]int{
	"exec": 0, "env": 0, "tini": 0, "dumb-init": 0, "docker-entrypoint.sh": 0, "nice": 0, "nohup": 0,
	"gosu": 1, "su-exec": 1, "chroot": 1, "numactl": 0, "catatonit": 0,
}

var shells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true, "ksh": true}

// serverCalls finds every container command line that starts one of progs.
func serverCalls(ws *workspace.Workspace, progs ...string) []*serverCall {
	want := map[string]bool{}
	for _, p := range progs {
		want[p] = true
	}
	var out []*serverCall
	ws.EachContainer(func(c workspace.Container) {
		if c.Field == "ephemeralContainers" || c.Field == "initContainers" && c.Node.Get("restartPolicy").Str() != "Always" {
			// An init container runs to completion: a server it starts
			// (to set up users or data) is meant for itself alone.
			return
		}
		file := c.Template.Object.File
		command, args := c.Node.Get("command"), c.Node.Get("args")
		var words []word
		for _, n := range append(command.Items(), args.Items()...) {
			if n.Kind != yamlx.Scalar {
				return
			}
			words = append(words, word{val: n.Value, loc: workspace.NodeLocation(file, n), dynamic: false})
		}
		// args alone go to the image's entrypoint: the official mongo and
		// redis images prepend their server to arguments that start with an
		// option (redis also to a first argument ending in .conf).
		if len(command.Items()) == 0 && len(words) > 0 {
			first := words[0].val
			switch officialImage(c.Node.Get("image").Str()) {
			case "mongo":
				if strings.HasPrefix(first, "-") && want["mongod"] {
					out = append(out, &serverCall{c: c, prog: "mongod", args: words, implicit: true})
					return
				}
			case "redis":
				if (strings.HasPrefix(first, "-") || strings.HasSuffix(first, ".conf")) && want["redis-server"] {
					out = append(out, &serverCall{c: c, prog: "redis-server", args: words, implicit: true})
					return
				}
			}
		}
		var calls []*serverCall
		for _, cmd := range commandsOf(words, argNodes(command, args)) {
			if i, prog := findProg(cmd); i >= 0 && want[prog] {
				calls = append(calls, &serverCall{c: c, prog: prog, args: cmd[i+1:]})
			}
		}
		// A script that starts a server in the background to prepare it
		// (mongod --fork, redis-server --daemonize yes) and then starts it
		// again: only the last one serves clients.
		for i, call := range calls {
			if i+1 < len(calls) && daemonizes(call) && startedAgain(call, calls[i+1:]) {
				continue
			}
			out = append(out, call)
		}
	})
	return out
}

func daemonizes(call *serverCall) bool {
	for i, a := range call.args {
		switch {
		case a.val == "--fork":
			return true
		case strings.EqualFold(a.val, "--daemonize") && i+1 < len(call.args) && strings.EqualFold(call.args[i+1].val, "yes"),
			strings.EqualFold(a.val, "--daemonize yes"):
			return true
		}
	}
	return false
}

func startedAgain(call *serverCall, later []*serverCall) bool {
	for _, l := range later {
		if l.prog == call.prog {
			return true
		}
	}
	return false
}

// servesOnlyItsPod reports a server whose pod has other containers and that
// no Service of the tree selects: its clients may well be those containers
// (a loopback-bound sidecar cache is a sound design), so a loopback bind
// proves nothing.
func servesOnlyItsPod(ws *workspace.Workspace, call *serverCall) bool {
	t := call.c.Template
	others := 0
	for _, c := range t.Containers() {
		if c.Node == call.c.Node || c.Field == "ephemeralContainers" {
			continue
		}
		if c.Field == "containers" || c.Node.Get("restartPolicy").Str() == "Always" {
			others++
		}
	}
	if others == 0 {
		return false
	}
	labels := t.Meta.Get("labels")
	for _, svc := range ws.OfKind("Service") {
		if svc.Namespace != t.Object.Namespace {
			continue
		}
		sel := svc.Root.Path("spec", "selector")
		if sel == nil || sel.Kind != yamlx.Mapping || len(sel.Content) == 0 {
			continue
		}
		match := true
		sel.Pairs(func(k, v *yamlx.Node) {
			if l := labels.Get(k.Value); l == nil || l.Value != v.Value {
				match = false
			}
		})
		if match {
			return false
		}
	}
	return true
}

func argNodes(command, args *yamlx.Node) []*yamlx.Node {
	return append(append([]*yamlx.Node(nil), command.Items()...), args.Items()...)
}

// commandsOf returns the simple commands of a command line: the line
// itself, or the commands of the script when it runs `sh -c script`.
func commandsOf(words []word, nodes []*yamlx.Node) [][]word {
	i := skipWrappers(words, 0)
	if i < len(words) && shells[path.Base(words[i].val)] {
		for j := i + 1; j < len(words); j++ {
			w := words[j].val
			if !strings.HasPrefix(w, "-") {
				return nil // sh script.sh
			}
			if !strings.HasPrefix(w, "--") && strings.Contains(w, "c") {
				if j+1 < len(words) {
					return shellCommands(words[j+1].loc.File, nodes[j+1])
				}
				return nil
			}
		}
		return nil
	}
	return [][]word{words}
}

func isWrapper(w string) bool {
	_, ok := wrappers[path.Base(w)]
	return ok
}

// skipWrappers skips environment assignments and wrappers (with their
// options and arguments) from index i.
func skipWrappers(cmd []word, i int) int {
	for i < len(cmd) {
		w := cmd[i].val
		switch {
		case isAssignment(w):
			i++
		case isWrapper(w):
			i += 1 + wrappers[path.Base(w)]
			for i < len(cmd) && (strings.HasPrefix(cmd[i].val, "-") || isAssignment(cmd[i].val)) {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// findProg finds the server program of a simple command, after
// environment assignments and wrappers; -1 when there is none.
func findProg(cmd []word) (int, string) {
	i := skipWrappers(cmd, 0)
	if i < len(cmd) && !cmd[i].dynamic {
		if base := path.Base(cmd[i].val); serverProgs[base] {
			return i, base
		}
	}
	return -1, ""
}

func isAssignment(w string) bool {
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

// officialImage returns "mongo" or "redis" for the Docker official images
// (with any tag or digest, from Docker Hub or its mirrors), else "".
func officialImage(image string) string {
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndexByte(image, ':'); i >= 0 && !strings.Contains(image[i:], "/") {
		image = image[:i]
	}
	parts := strings.Split(image, "/")
	if len(parts) > 1 && (strings.ContainsAny(parts[0], ".:") || parts[0] == "localhost") {
		switch parts[0] {
		case "docker.io", "index.docker.io", "registry-1.docker.io", "mirror.gcr.io":
			parts = parts[1:]
		case "public.ecr.aws":
			if len(parts) == 4 && parts[1] == "docker" && parts[2] == "library" {
				parts = parts[3:]
			} else {
				return ""
			}
		default:
			return ""
		}
	}
	if len(parts) == 2 && parts[0] == "library" {
		parts = parts[1:]
	}
	if len(parts) == 1 && (parts[0] == "mongo" || parts[0] == "redis") {
		return parts[0]
	}
	return ""
}

// shellCommands splits a `sh -c` script into simple commands, with the
// position of every word in the manifest.
func shellCommands(file string, n *yamlx.Node) [][]word {
	pos, exact := workspace.TextPos(n)
	var cmds [][]word
	for _, sc := range workspace.SplitScript(n.Value) {
		cmd := make([]word, 0, len(sc))
		for _, w := range sc {
			l, c := pos(w.Line, w.Col)
			loc := diag.Location{File: file, Line: l, Column: c}
			if exact && w.EndLine == w.Line {
				_, ec := pos(w.Line, w.EndCol)
				loc.EndLine, loc.EndColumn = l, ec
			}
			cmd = append(cmd, word{val: w.Value, loc: loc, dynamic: w.Dynamic})
		}
		cmds = append(cmds, cmd)
	}
	return cmds
}

// confWords converts a config directive's arguments to words.
func confWords(cf *load.ConfFile, d load.Directive) []word {
	out := make([]word, len(d.Args))
	for i, a := range d.Args {
		loc := diag.Location{File: cf.Path, Line: d.Line, Column: a.Column}
		if a.EndCol > a.Column {
			loc.EndLine, loc.EndColumn = d.Line, a.EndCol
		}
		out[i] = word{val: a.Value, loc: loc}
	}
	return out
}

// subWord is the part of w from byte offset off (an ASCII prefix), with
// its columns when w's location shows the word as written (plain, or in
// quotes without escapes); else w's location.
func subWord(w word, off int) word {
	v := word{val: w.val[off:], loc: w.loc, dynamic: w.dynamic}
	if w.loc.EndLine != w.loc.Line || w.loc.EndColumn == 0 {
		return v
	}
	switch w.loc.EndColumn - w.loc.Column - utf8.RuneCountInString(w.val) {
	case 0:
		v.loc.Column += off
	case 2:
		v.loc.Column += off + 1
		v.loc.EndColumn--
	}
	return v
}

// span is the location from the first word to the last (one line).
func span(ws []word) diag.Location {
	loc := ws[0].loc
	last := ws[len(ws)-1].loc
	if last.Line == loc.Line && last.EndColumn > 0 && loc.EndColumn > 0 {
		loc.EndColumn = last.EndColumn
	}
	return loc
}

// hostClass tells what a bind address is.
type hostClass uint8

const (
	hostOther    hostClass = iota // reachable from other pods, or unknown
	hostLoopback                  // 127.0.0.0/8, ::1, localhost
	hostSocket                    // a unix socket path: local only
)

func classifyHost(h string) hostClass {
	h = strings.TrimSpace(h)
	if strings.HasPrefix(h, "/") {
		return hostSocket
	}
	switch strings.TrimSuffix(strings.ToLower(h), ".") {
	case "localhost", "ip6-localhost", "ip6-loopback", "localhost.localdomain", "localhost6":
		return hostLoopback
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if i := strings.IndexByte(h, '%'); i >= 0 {
		h = h[:i]
	}
	if a, err := netip.ParseAddr(h); err == nil && a.IsLoopback() {
		return hostLoopback
	}
	return hostOther
}

// onlyLoopback reports whether every address is loopback (or a unix socket
// path) and at least one is loopback.
func onlyLoopback(addrs []string) bool {
	loop := false
	for _, a := range addrs {
		switch classifyHost(a) {
		case hostOther:
			return false
		case hostLoopback:
			loop = true
		}
	}
	return loop
}
