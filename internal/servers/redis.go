package servers

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/cmdline"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
)

// Directive is one Redis directive, from a config file or the command line.
type Directive struct {
	Name string // lower-case
	Args []cmdline.Word
	Loc  diag.Location  // the directive's name (the --option word on a command line)
	Conf *load.ConfFile // nil on a command line
	// Script is the image's entrypoint script whose command line gives the
	// directive (its Loc is then in the script); nil otherwise.
	Script *cmdline.Script
	// At is where a finding about a directive of a container's entrypoint
	// script goes (the container's image:); zero otherwise.
	At diag.Location
}

// RedisSetup is what one Redis server reads: a config (file or ConfigMap
// value) judged alone, or a container's command line with the config file it
// loads.
type RedisSetup struct {
	// Directives are the directives Redis reads, in order: the config
	// file's, then the command line's.
	Directives []Directive
	Server     *Server // nil for a config judged alone
	Conf       *load.ConfFile
	// ConfWord is the command line's config file argument; UnknownConf is
	// set when the tree does not hold that file.
	ConfWord    *cmdline.Word
	UnknownConf bool
	// PodLocal: the server may serve only its own pod; nothing is reported
	// for it.
	PodLocal bool
	// Image is set for a config that a Dockerfile of the tree copies into
	// its image: ImageProg is then the server its ENTRYPOINT/CMD starts with
	// that config, or Script the entrypoint script (from the tree) that
	// starts it, whose options the model does not read.
	Image     *cmdline.Image
	ImageProg string
	Script    *cmdline.Word
	// ImageScript is the entrypoint script (read from the tree) whose
	// redis-server loads the image's config; nil when the image's own
	// ENTRYPOINT/CMD does.
	ImageScript *cmdline.Script
}

// Source describes where directive d comes from, for messages.
func (s *RedisSetup) Source(d *Directive) string {
	if d.Conf == nil {
		if s.Server == nil {
			if d.Script != nil {
				return fmt.Sprintf("on the command line of %s in %s, the entrypoint script of the image that %s builds",
					s.ImageProg, filepath.Base(d.Script.Path), filepath.Base(s.Image.Dockerfile.Path))
			}
			return fmt.Sprintf("on the command line of the image that %s builds", s.Image.Dockerfile.Path)
		}
		if b := s.Server.Built; b != nil {
			return fmt.Sprintf("on the command line of %s in %s, the entrypoint script of the image that %s runs (%s)",
				s.Server.Prog, filepath.Base(b.Script.Path), s.Server.Where(), s.Server.Text())
		}
		return fmt.Sprintf("on the command line of %s (%s)", s.Server.Where(), s.Server.Text())
	}
	if d.Conf.Origin != nil {
		return "in " + d.Conf.Origin.String()
	}
	if s.Server != nil && s.Server.Built != nil {
		return fmt.Sprintf("in this file, which redis-server loads from %s, the entrypoint script of the image that %s runs",
			filepath.Base(s.Server.Built.Script.Path), s.Server.Where())
	}
	if s.Server == nil && s.ImageScript != nil {
		return fmt.Sprintf("in this file, which redis-server loads from %s, the entrypoint script of the image that %s builds",
			filepath.Base(s.ImageScript.Path), filepath.Base(s.Image.Dockerfile.Path))
	}
	return "in this file"
}

// Related gives the config file argument that loads a ConfigMap's config
// or an image's config, and the entrypoint script's line that gives a
// directive or loads the config.
func (s *RedisSetup) Related(d *Directive) []diag.Location {
	if d.Script != nil {
		loc := ArgsSpan(d)
		prog := s.ImageProg
		if s.Server != nil {
			prog = s.Server.Prog
		}
		loc.Message = fmt.Sprintf("`--%s` is given here, on the command line of %s in the image's entrypoint script", d.Name, prog)
		if s.Server != nil && s.Server.Built != nil {
			return []diag.Location{loc, s.Server.BuiltAt()}
		}
		return []diag.Location{loc}
	}
	if s.Server == nil && s.Image != nil && d.Conf != nil && s.ConfWord != nil {
		loc := s.ConfWord.Loc
		if sc := s.ImageScript; sc != nil {
			where := "the image's command line, passed to its entrypoint script"
			if loc.File == sc.Path {
				where = "the image's entrypoint script"
			}
			loc.Message = fmt.Sprintf("loaded by %s in %s", s.ImageProg, where)
			run := sc.Word.Loc
			run.Message = "the image runs the entrypoint script " + filepath.Base(sc.Path)
			return []diag.Location{loc, run}
		}
		loc.Message = fmt.Sprintf("loaded by %s in the image's command line", s.ImageProg)
		return []diag.Location{loc}
	}
	if s.Server == nil || d.Conf == nil || s.ConfWord == nil {
		return nil
	}
	loc := s.ConfWord.Loc
	loc.Message = fmt.Sprintf("loaded by %s in %s", s.Server.Prog, s.Server.Where())
	if b := s.Server.Built; b != nil {
		loc.Message = fmt.Sprintf("loaded by %s in the entrypoint script of the image that %s runs", s.Server.Prog, s.Server.Where())
		return []diag.Location{loc, s.Server.BuiltAt()}
	}
	return []diag.Location{loc}
}

// redisDirectivesRead are the directives the model reads; the others are
// not converted (a config may hold very long lines of them).
var redisDirectivesRead = map[string]bool{
	"bind": true, "protected-mode": true, "include": true, "aclfile": true,
	"user": true, "requirepass": true, "port": true, "tls-port": true,
	"replicaof": true, "slaveof": true, "cluster-enabled": true, "sentinel": true,
}

func redisConfDirectives(cf *load.ConfFile) []Directive {
	var out []Directive
	for _, d := range cf.Directives {
		if !redisDirectivesRead[d.Name] {
			continue
		}
		loc := diag.Location{File: cf.Path, Line: d.Line, Column: d.Col}
		out = append(out, Directive{Name: d.Name, Args: confWords(cf, d), Loc: loc, Conf: cf})
	}
	return out
}

// RedisSetups returns every Redis configuration of the tree: each
// redis-server/redis-sentinel command line (with the config file it loads
// when the tree holds it), and each Redis config that no command line loads.
func RedisSetups(ws *workspace.Workspace) []*RedisSetup { return models.Of(ws).redis }

func findRedisSetups(ws *workspace.Workspace, servers []*Server) []*RedisSetup {
	var out []*RedisSetup
	loaded := map[*load.ConfFile]bool{}
	for _, call := range servers {
		if call.Prog != "redis-server" && call.Prog != "redis-sentinel" {
			continue
		}
		s := &RedisSetup{Server: call}
		confWord, args := redisArgs(call.Args)
		s.ConfWord = confWord
		if call.Built != nil {
			for j := range args {
				if args[j].Loc.File == call.Built.Script.Path {
					args[j].Script = call.Built.Script
					args[j].At, _ = call.Place(args[j].Loc)
				}
			}
		}
		if confWord != nil {
			cf, _ := ws.MountedConf(call.Container, confWord.Val)
			if cf == nil && call.Built != nil && !confWord.Dynamic {
				cf = imageConf(ws, call.Built.Image, confWord.Val)
			}
			if cf != nil && cf.Kind == load.RedisConf && load.IsRedisConfig(cf.Directives) && !confWord.Dynamic {
				s.Conf = cf
				loaded[cf] = true
				s.Directives = redisConfDirectives(cf)
			} else {
				s.UnknownConf = true
			}
		}
		s.Directives = append(s.Directives, args...)
		s.PodLocal = call.podLocal(s.replicated())
		out = append(out, s)
	}
	out = append(out, redisImageSetups(ws, loaded)...)
	for _, cf := range ws.Confs {
		if cf.Kind != load.RedisConf || loaded[cf] || !load.IsRedisConfig(cf.Directives) {
			continue
		}
		if cf.Origin != nil && ws.Mounted(cf.Origin) {
			// A pod mounts it, but no command line that the model can
			// follow loads it (a script may copy and edit it first, or the
			// image's entrypoint ignores it): the tree does not say.
			continue
		}
		out = append(out, &RedisSetup{Directives: redisConfDirectives(cf), Conf: cf})
	}
	return out
}

// replicated reports replication or cluster mode: a replicaof (slaveof)
// line, `cluster-enabled yes`, or a sentinel, whose peers are other pods.
func (s *RedisSetup) replicated() bool {
	if s.Server != nil && s.Server.Prog == "redis-sentinel" || s.Last("sentinel") >= 0 {
		return true
	}
	if s.Last("replicaof") >= 0 || s.Last("slaveof") >= 0 {
		return true
	}
	i := s.Last("cluster-enabled")
	return i >= 0 && len(s.Directives[i].Args) == 1 && strings.EqualFold(s.Directives[i].Args[0].Val, "yes")
}

// Last returns the index of the last directive named name, or -1.
func (s *RedisSetup) Last(name string) int {
	for i := len(s.Directives) - 1; i >= 0; i-- {
		if s.Directives[i].Name == name {
			return i
		}
	}
	return -1
}

// Count returns how many directives are named name.
func (s *RedisSetup) Count(name string) int {
	n := 0
	for _, d := range s.Directives {
		if d.Name == name {
			n++
		}
	}
	return n
}

// BindAddrs are the addresses of a bind directive: its arguments, or its one
// argument split at spaces (`bind "127.0.0.1 ::1"`, `--bind "a b"`).
func BindAddrs(d *Directive) []string {
	var out []string
	for _, a := range d.Args {
		out = append(out, a.Val)
	}
	if len(out) == 1 && strings.TrimSpace(out[0]) != "" {
		out = strings.Fields(out[0])
	}
	return out
}

// listensOnTCP reports whether the directives leave a TCP port open
// (`port 0` without a tls-port closes TCP).
func (s *RedisSetup) listensOnTCP() bool {
	ds := s.Directives
	port := s.Last("port")
	if port < 0 || len(ds[port].Args) != 1 || strings.TrimSpace(ds[port].Args[0].Val) != "0" {
		return true
	}
	tls := s.Last("tls-port")
	return tls >= 0 && len(ds[tls].Args) == 1 && strings.TrimSpace(ds[tls].Args[0].Val) != "0"
}

// includeAfter reports an include directive after index i: the included
// file may override what comes before it.
func (s *RedisSetup) includeAfter(i int) bool {
	for j := i + 1; j < len(s.Directives); j++ {
		if s.Directives[j].Name == "include" {
			return true
		}
	}
	return false
}

// LoopbackBind returns the effective bind directive when it lists only
// loopback addresses (a `-` prefix marks an optional address), TCP is on
// and the server is not pod-local; nil otherwise. With a config file the
// tree does not hold, a bind on the command line still decides: it comes
// after the file's lines.
func (s *RedisSetup) LoopbackBind() *Directive {
	i := s.Last("bind")
	if i < 0 || s.includeAfter(i) || !s.listensOnTCP() || s.PodLocal {
		return nil
	}
	d := &s.Directives[i]
	for _, w := range d.Args {
		if w.Dynamic {
			return nil
		}
	}
	var addrs []string
	for _, a := range BindAddrs(d) {
		addrs = append(addrs, strings.TrimPrefix(a, "-"))
	}
	if !OnlyLoopback(addrs) {
		return nil
	}
	return d
}

// ArgsText renders a directive's arguments for messages.
func ArgsText(d *Directive) string {
	var parts []string
	for _, a := range d.Args {
		v := a.Val
		if v == "" || strings.ContainsAny(v, " \t") {
			v = fmt.Sprintf("%q", v)
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, " ")
}

// ArgsLocation is where a finding about a directive goes: the span of its
// arguments (the name when it has none); for a directive of an image's
// entrypoint script, the word of the Dockerfile that runs the script (a file
// k8slint lints, where a finding can be suppressed), the script's line
// being related (Related).
func ArgsLocation(d *Directive) diag.Location {
	if d.At.File != "" {
		return d.At
	}
	if d.Script != nil {
		return d.Script.Word.Loc
	}
	return ArgsSpan(d)
}

// ArgsSpan is the span of a directive's arguments (the name when it has none).
func ArgsSpan(d *Directive) diag.Location {
	if len(d.Args) == 0 {
		return d.Loc
	}
	return Span(d.Args)
}
