package rules

// Shared by redis-bind-localhost and redis-protected-mode: the Redis
// configurations a tree sets up, each as the list of directives Redis reads
// in order (config file, then command-line options).

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
)

// redisDirective is one directive, from a config file or the command line.
type redisDirective struct {
	name string // lower-case
	args []word
	loc  diag.Location // the directive's name (the --option word on a command line)
	cf   *load.ConfFile
}

// redisSetup is what one Redis server reads: a config (file or ConfigMap
// value) judged alone, or a container's command line with the config file it
// loads.
type redisSetup struct {
	ds   []redisDirective
	call *serverCall // nil for a config judged alone
	conf *load.ConfFile
	// confWord is the command line's config file argument; unknownConf is
	// set when the tree does not hold that file.
	confWord    *word
	unknownConf bool
	// podLocal: the server may serve only its own pod (see servesOnlyItsPod);
	// nothing is reported for it.
	podLocal bool
}

// source describes where the deciding directive d comes from, for messages.
func (s *redisSetup) source(d *redisDirective) string {
	if d.cf == nil {
		return fmt.Sprintf("on the command line of %s (%s)", s.call.where(), s.call.text())
	}
	if d.cf.Origin != nil {
		return "in " + d.cf.Origin.String()
	}
	return "in this file"
}

// related gives the config file argument that loads a ConfigMap's config.
func (s *redisSetup) related(d *redisDirective) []diag.Location {
	if s.call == nil || d.cf == nil || s.confWord == nil {
		return nil
	}
	loc := s.confWord.loc
	loc.Message = fmt.Sprintf("loaded by %s in %s", s.call.prog, s.call.where())
	return []diag.Location{loc}
}

// redisDirectivesRead are the directives the Redis rules look at; the
// others are not converted (a config may hold very long lines of them).
var redisDirectivesRead = map[string]bool{
	"bind": true, "protected-mode": true, "include": true, "aclfile": true,
	"user": true, "requirepass": true, "port": true, "tls-port": true,
}

func redisConfDirectives(cf *load.ConfFile) []redisDirective {
	var out []redisDirective
	for _, d := range cf.Directives {
		if !redisDirectivesRead[d.Name] {
			continue
		}
		loc := diag.Location{File: cf.Path, Line: d.Line, Column: d.Col}
		out = append(out, redisDirective{name: d.Name, args: confWords(cf, d), loc: loc, cf: cf})
	}
	return out
}

// redisArgs reads a redis-server command line as redis-server's main does:
// a first argument that is not an option is the config file; every `--name`
// starts a directive that the following non-option words are arguments of,
// appended after the config file's lines.
func redisArgs(args []word) (conf *word, ds []redisDirective) {
	j := 0
	if len(args) > 0 && !strings.HasPrefix(args[0].val, "-") {
		conf, j = &args[0], 1
	}
	handled := true
	var cur *redisDirective
	for ; j < len(args); j++ {
		w := args[j]
		if w.val == "-" && (j == 0 || j == len(args)-1) {
			continue // config from stdin
		}
		if handled && strings.HasPrefix(w.val, "--") {
			fields := strings.Fields(w.val[2:])
			if len(fields) == 0 {
				cur = nil
				continue
			}
			ds = append(ds, redisDirective{name: strings.ToLower(fields[0]), loc: w.loc})
			cur = &ds[len(ds)-1]
			if len(fields) > 1 {
				for _, f := range fields[1:] {
					cur.args = append(cur.args, word{val: f, loc: w.loc, dynamic: w.dynamic})
				}
				handled = true
				continue
			}
			handled = false
			next := j+1 < len(args) && strings.HasPrefix(args[j+1].val, "--")
			if (cur.name == "save" || cur.name == "sentinel") && (next || j == len(args)-1) {
				handled = true // `--save` alone means save ""
			}
			continue
		}
		if cur != nil {
			cur.args = append(cur.args, w)
		}
		handled = true
	}
	return conf, ds
}

// redisSetups returns every Redis configuration of the tree: each
// redis-server/redis-sentinel command line (with the config file it loads
// when the tree holds it), and each Redis config that no command line loads.
// Both Redis rules read them; they are computed once per workspace and
// never modified.
func redisSetups(ws *workspace.Workspace) []*redisSetup {
	return ws.Memo("rules.redisSetups", func() any { return findRedisSetups(ws) }).([]*redisSetup)
}

func findRedisSetups(ws *workspace.Workspace) []*redisSetup {
	var out []*redisSetup
	loaded := map[*load.ConfFile]bool{}
	for _, call := range serverCalls(ws, "redis-server", "redis-sentinel") {
		s := &redisSetup{call: call, podLocal: servesOnlyItsPod(ws, call)}
		confWord, args := redisArgs(call.args)
		s.confWord = confWord
		if confWord != nil {
			cf, _ := ws.MountedConf(call.c, confWord.val)
			if cf != nil && cf.Kind == load.RedisConf && load.IsRedisConfig(cf.Directives) && !confWord.dynamic {
				s.conf = cf
				loaded[cf] = true
				s.ds = redisConfDirectives(cf)
			} else {
				s.unknownConf = true
			}
		}
		s.ds = append(s.ds, args...)
		out = append(out, s)
	}
	for _, cf := range ws.Confs {
		if cf.Kind != load.RedisConf || loaded[cf] || !load.IsRedisConfig(cf.Directives) {
			continue
		}
		if cf.Origin != nil && ws.Mounted(cf.Origin) {
			// A pod mounts it, but no command line that the rule can
			// follow loads it (a script may copy and edit it first, or the
			// image's entrypoint ignores it): the tree does not say.
			continue
		}
		out = append(out, &redisSetup{ds: redisConfDirectives(cf), conf: cf})
	}
	return out
}

// last returns the index of the last directive named name, or -1.
func lastDirective(ds []redisDirective, name string) int {
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].name == name {
			return i
		}
	}
	return -1
}

// bindAddrs are the addresses of a bind directive: its arguments, or its one
// argument split at spaces (`bind "127.0.0.1 ::1"`, `--bind "a b"`).
func bindAddrs(d *redisDirective) []string {
	var out []string
	for _, a := range d.args {
		out = append(out, a.val)
	}
	if len(out) == 1 && strings.TrimSpace(out[0]) != "" {
		out = strings.Fields(out[0])
	}
	return out
}

// listensOnTCP reports whether the directives leave a TCP port open
// (`port 0` without a tls-port closes TCP).
func listensOnTCP(ds []redisDirective) bool {
	port := lastDirective(ds, "port")
	if port < 0 || len(ds[port].args) != 1 || strings.TrimSpace(ds[port].args[0].val) != "0" {
		return true
	}
	tls := lastDirective(ds, "tls-port")
	return tls >= 0 && len(ds[tls].args) == 1 && strings.TrimSpace(ds[tls].args[0].val) != "0"
}

// includeAfter reports an include directive after index i: the included
// file may override what comes before it.
func includeAfter(ds []redisDirective, i int) bool {
	for j := i + 1; j < len(ds); j++ {
		if ds[j].name == "include" {
			return true
		}
	}
	return false
}

// loopbackBind returns the effective bind directive when it lists only
// loopback addresses (a `-` prefix marks an optional address) and TCP is on;
// nil otherwise.
func loopbackBind(s *redisSetup) *redisDirective {
	ds := s.ds
	i := lastDirective(ds, "bind")
	if i < 0 || includeAfter(ds, i) || !listensOnTCP(ds) {
		return nil
	}
	// With a config file the tree does not hold, a bind on the command line
	// still decides: it comes after the file's lines.
	d := &ds[i]
	if s.podLocal {
		return nil
	}
	for _, w := range d.args {
		if w.dynamic {
			return nil
		}
	}
	var addrs []string
	for _, a := range bindAddrs(d) {
		addrs = append(addrs, strings.TrimPrefix(a, "-"))
	}
	if !onlyLoopback(addrs) {
		return nil
	}
	return d
}

func argsText(d *redisDirective) string {
	var parts []string
	for _, a := range d.args {
		v := a.val
		if v == "" || strings.ContainsAny(v, " \t") {
			v = fmt.Sprintf("%q", v)
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, " ")
}

// argsLocation is the span of a directive's arguments (the name when it has none).
func argsLocation(d *redisDirective) diag.Location {
	if len(d.args) == 0 {
		return d.loc
	}
	return span(d.args)
}
