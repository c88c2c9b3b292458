// Package servers models the MongoDB and Redis servers of a tree: which
// containers start mongod, mongos, redis-server or redis-sentinel (read
// from the command-line model), which config file each loads (a file of the
// tree, a ConfigMap or Secret mounted into the pod, or the image default),
// the command-line options that override it, the effective value of the
// settings the server rules read with their locations, and whether other
// pods reach the server. It is computed once per workspace and never
// modified.
package servers

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/cmdline"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// Server is a container command line that starts a database server.
type Server struct {
	Container workspace.Container
	Prog      string // mongod, mongos, redis-server or redis-sentinel
	// ProgWord is the program's word; zero when Implicit.
	ProgWord cmdline.Word
	Args     []cmdline.Word
	// Implicit: the program is not written; the official image's entrypoint
	// prepends it to args that start with an option.
	Implicit bool
	// OwnCommand is set when the container's own command starts the server,
	// so that the image's entrypoint (which adds --bind_ip_all for mongod in
	// the official image) does not run.
	OwnCommand bool
	// reach is why other pods reach the server's pod ("" when the tree
	// does not say).
	reach string
	// sidecars is set when the pod has other containers that are not
	// servers: they may be its only clients.
	sidecars bool
	// Built is set when the server is started by the entrypoint script of
	// an image the tree builds, which the container runs (no `command:`):
	// the script's options count as the container's command line.
	Built *cmdline.Built
}

// Place returns where a finding about a word of the server's command line
// goes, and the related locations: a word of an image's entrypoint script
// is reported at the container's `image:` (a manifest line, where it can
// be suppressed), the script's line related.
func (s *Server) Place(loc diag.Location) (diag.Location, []diag.Location) {
	if s.Built == nil || loc.File != s.Built.Script.Path {
		return loc, nil
	}
	at := s.ImageLoc()
	loc.Message = "given here, in " + filepath.Base(s.Built.Script.Path) + ", the entrypoint script of the container's image"
	return at, []diag.Location{loc, s.BuiltAt()}
}

// BuiltAt is where the tree says that it builds the container's image (a
// skaffold artifact or a compose service), for related locations.
func (s *Server) BuiltAt() diag.Location {
	at := s.Built.Build.At
	at.Message = "the container's image is built from " + filepath.Base(s.Built.Image.Dockerfile.Path) + " in " + filepath.Base(filepath.Dir(s.Built.Image.Dockerfile.Path)) + "/ here"
	return at
}

// ImageLoc is the location of the container's `image:` value.
func (s *Server) ImageLoc() diag.Location {
	return workspace.NodeLocation(s.Container.Template.Object.File, s.Container.Node.Get("image"))
}

// Text renders the command line for messages, shortened.
func (s *Server) Text() string {
	var b strings.Builder
	b.WriteString(s.Prog)
	for _, a := range s.Args {
		if b.Len() > 80 {
			b.WriteString(" ...")
			break
		}
		b.WriteString(" ")
		b.WriteString(a.Val)
	}
	if s.Implicit {
		b.WriteString(", " + s.Prog + " added by the image's entrypoint")
	}
	return b.String()
}

// Where names the server's container.
func (s *Server) Where() string {
	o := s.Container.Template.Object
	return o.Kind + " " + o.Name + ", container " + s.Container.Name
}

// Reach says why other pods connect to the server's pod, "" when the tree
// does not say.
func (s *Server) Reach() string { return s.reach }

// podLocal reports a server that may serve only its own pod: it shares the
// pod with containers that are not servers, and nothing in the tree (a
// Service, a StatefulSet's serviceName, another workload naming its host)
// shows clients elsewhere. replicated is set when the server's own setup
// (--replSet, replicaof, cluster mode) shows peers in other pods.
func (s *Server) podLocal(replicated bool) bool {
	return s.sidecars && s.reach == "" && !replicated
}

var serverProgs = map[string]bool{"mongod": true, "mongos": true, "redis-server": true, "redis-sentinel": true}

// model is what Of computes.
type model struct {
	servers []*Server
	redis   []*RedisSetup
	mongo   []*MongoSetup
}

var models = workspace.NewResult(build)

func build(ws *workspace.Workspace) *model {
	m := &model{servers: findServers(ws)}
	markReach(ws, m.servers)
	m.redis = findRedisSetups(ws, m.servers)
	m.mongo = findMongoSetups(ws, m.servers)
	return m
}

// Servers returns every server started by a container of the tree.
func Servers(ws *workspace.Workspace) []*Server { return models.Of(ws).servers }

func findServers(ws *workspace.Workspace) []*Server {
	var out []*Server
	m := cmdline.Of(ws)
	built := map[*yamlx.Node]bool{}
	for _, b := range m.Built {
		built[b.Container.Node] = true
		if c := b.Container; c.Field == "ephemeralContainers" || c.Field == "initContainers" && c.Node.Get("restartPolicy").Str() != "Always" {
			continue
		}
		var calls []*Server
		for _, cmd := range b.Commands {
			if prog := cmd.Prog(); serverProgs[prog] {
				own := true
				for _, v := range cmd.Via {
					if v.Loc.File == b.Script.Path && path.Base(v.Val) == "docker-entrypoint.sh" {
						own = false // the script hands on to the official entrypoint
					}
				}
				calls = append(calls, &Server{Container: b.Container, Prog: prog, ProgWord: cmd.Argv[0], Args: cmd.Argv[1:], OwnCommand: own, Built: b})
			}
		}
		out = append(out, serving(calls)...)
	}
	for _, l := range m.Lines {
		c := l.Container
		if built[c.Node] {
			continue // its args go to the image's entrypoint script, read above
		}
		if l.NonScalar || len(l.Words) == 0 || c.Field == "ephemeralContainers" || c.Field == "initContainers" && c.Node.Get("restartPolicy").Str() != "Always" {
			// An init container runs to completion: a server it starts
			// (to set up users or data) is meant for itself alone.
			continue
		}
		// args alone go to the image's entrypoint: the official mongo and
		// redis images prepend their server to arguments that start with an
		// option (redis also to a first argument ending in .conf).
		if l.ArgsOnly {
			first := l.Words[0].Val
			switch OfficialImage(c.Node.Get("image").Str()) {
			case "mongo":
				if strings.HasPrefix(first, "-") {
					out = append(out, &Server{Container: c, Prog: "mongod", Args: l.Words, Implicit: true})
					continue
				}
			case "redis":
				if strings.HasPrefix(first, "-") || strings.HasSuffix(first, ".conf") {
					out = append(out, &Server{Container: c, Prog: "redis-server", Args: l.Words, Implicit: true})
					continue
				}
			}
		}
		var calls []*Server
		for _, cmd := range l.Commands {
			if prog := cmd.Prog(); serverProgs[prog] {
				own := !l.ArgsOnly
				for _, v := range cmd.Via {
					if path.Base(v.Val) == "docker-entrypoint.sh" {
						own = false
					}
				}
				calls = append(calls, &Server{Container: c, Prog: prog, ProgWord: cmd.Argv[0], Args: cmd.Argv[1:], OwnCommand: own})
			}
		}
		out = append(out, serving(calls)...)
	}
	return out
}

// serving drops, from the servers a command line starts, those that a
// script starts in the background to prepare them (mongod --fork,
// redis-server --daemonize yes) and then starts again: only the last one
// serves clients.
func serving(calls []*Server) []*Server {
	var out []*Server
	for i, call := range calls {
		if i+1 < len(calls) && daemonizes(call) && startedAgain(call, calls[i+1:]) {
			continue
		}
		out = append(out, call)
	}
	return out
}

func daemonizes(call *Server) bool {
	for i, a := range call.Args {
		switch {
		case a.Val == "--fork":
			return true
		case strings.EqualFold(a.Val, "--daemonize") && i+1 < len(call.Args) && strings.EqualFold(call.Args[i+1].Val, "yes"),
			strings.EqualFold(a.Val, "--daemonize yes"):
			return true
		}
	}
	return false
}

func startedAgain(call *Server, later []*Server) bool {
	for _, l := range later {
		if l.Prog == call.Prog {
			return true
		}
	}
	return false
}

// OfficialImage returns "mongo" or "redis" for the Docker official images
// (with any tag or digest, from Docker Hub or its mirrors), else "".
func OfficialImage(image string) string {
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
