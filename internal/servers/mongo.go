package servers

import (
	"strconv"
	"strings"

	"github.com/k8slint/k8slint/internal/cmdline"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// MongoBind is what a config or a command line says about binding.
type MongoBind struct {
	IP     *cmdline.Word // bindIp / bind_ip / --bind_ip value
	All    *cmdline.Word // bindIpAll / bind_ip_all / --bind_ip_all when set
	AllOn  bool
	Legacy bool // key = value form
	Cmd    bool // command line
}

// Set reports whether the bind address is set at all.
func (b MongoBind) Set() bool { return b.IP != nil || b.All != nil }

// LoopbackOnly reports whether the binding lists only loopback addresses.
func (b MongoBind) LoopbackOnly() bool {
	if b.IP == nil || b.AllOn || b.IP.Dynamic {
		return false
	}
	v := strings.TrimSpace(b.IP.Val)
	if v == "*" {
		return false
	}
	var addrs []string
	for _, a := range strings.Split(v, ",") {
		if a = strings.TrimSpace(a); a != "" {
			addrs = append(addrs, a)
		}
	}
	return OnlyLoopback(addrs)
}

func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "false", "0", "no", "off":
		return false
	}
	return true
}

// MongoSetup is what one mongod or mongos reads: a config judged alone, or
// a container's command line with the config file it loads.
type MongoSetup struct {
	Server *Server // nil for a config judged alone
	Conf   *load.ConfFile
	// ConfigWord is the --config (-f) argument; UnknownConf is set when the
	// tree does not hold that file or its name is an expansion.
	ConfigWord  *cmdline.Word
	UnknownConf bool
	CmdBind     MongoBind // the command line's options
	ConfBind    MongoBind // the config file's net.bindIp and net.bindIpAll
	// Replicated: --replSet, --configsvr, --shardsvr or a replication
	// section; the other members are other pods.
	Replicated bool
	PodLocal   bool
}

// MongoSetups returns every mongod/mongos command line of the tree (with the
// config it loads) and every MongoDB config that no command line loads.
func MongoSetups(ws *workspace.Workspace) []*MongoSetup { return models.Of(ws).mongo }

func findMongoSetups(ws *workspace.Workspace, servers []*Server) []*MongoSetup {
	var out []*MongoSetup
	loaded := map[*load.ConfFile]bool{}
	for _, call := range servers {
		if call.Prog != "mongod" && call.Prog != "mongos" {
			continue
		}
		s := &MongoSetup{Server: call}
		var repl bool
		s.CmdBind, s.ConfigWord, repl = mongoArgs(call.Args)
		if s.ConfigWord != nil {
			if c, _ := ws.MountedConf(call.Container, s.ConfigWord.Val); c != nil && c.Kind == load.MongoConf && !s.ConfigWord.Dynamic {
				s.Conf = c
				loaded[c] = true
				s.ConfBind = mongoConfBind(c)
				repl = repl || mongoConfReplicated(c)
			} else {
				s.UnknownConf = true
			}
		}
		s.Replicated = repl
		s.PodLocal = call.podLocal(repl)
		out = append(out, s)
	}
	for _, cf := range ws.Confs {
		if cf.Kind != load.MongoConf || loaded[cf] || !load.IsMongoConfig(cf) {
			continue
		}
		if cf.Origin != nil && ws.Mounted(cf.Origin) {
			continue // mounted, but loaded by nothing the model can follow
		}
		out = append(out, &MongoSetup{Conf: cf, ConfBind: mongoConfBind(cf)})
	}
	return out
}

// Effective returns the binding that decides: the command line's options
// override the config file's.
func (s *MongoSetup) Effective() (b MongoBind, fromConf bool) {
	if s.Server != nil && s.CmdBind.Set() {
		return s.CmdBind, false
	}
	return s.ConfBind, s.Conf != nil
}

// DefaultsToLoopback reports a mongod that the container's own command
// starts (so the official image's entrypoint, which adds --bind_ip_all, does
// not run) with nothing that sets the bind address: no --bind_ip or
// --bind_ip_all, a config file of the tree that sets neither, no argument
// whose value is unknown. mongod 3.6 and later then listen on 127.0.0.1.
func (s *MongoSetup) DefaultsToLoopback() bool {
	if s.Server == nil || s.Server.Prog != "mongod" || !s.Server.OwnCommand || s.CmdBind.Set() || s.ConfBind.Set() || s.UnknownConf {
		return false
	}
	for _, a := range s.Server.Args {
		if a.Dynamic || strings.Contains(a.Val, "$(") || notServing[a.Val] {
			return false
		}
	}
	image := s.Server.Container.Node.Get("image").Str()
	if b := s.Server.Built; b != nil {
		// The tree builds the image: its version is its base image's.
		st := b.Image.Dockerfile.Stages
		image = st[len(st)-1].BaseName
	}
	return !before36(image)
}

// notServing are options with which mongod does its job and exits.
var notServing = map[string]bool{"--help": true, "-h": true, "--version": true, "--shutdown": true, "--sysinfo": true, "--repair": true}

// before36 reports an official mongo image whose tag is a version before
// 3.6 (which bound every address by default).
func before36(image string) bool {
	if OfficialImage(image) != "mongo" {
		return false
	}
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	i := strings.LastIndexByte(image, ':')
	if i < 0 {
		return false
	}
	parts := strings.SplitN(image[i+1:], ".", 3)
	major, err := strconv.Atoi(parts[0])
	if err != nil {
		return false
	}
	minor := 0
	if len(parts) > 1 {
		if m, err := strconv.Atoi(strings.TrimRightFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' })); err == nil {
			minor = m
		}
	}
	return major < 3 || major == 3 && minor < 6
}

// mongoConfBind reads net.bindIp and net.bindIpAll of a config.
func mongoConfBind(cf *load.ConfFile) MongoBind {
	var b MongoBind
	if cf.YAML != nil {
		net := cf.YAML.Get("net")
		ip, all := net.Get("bindIp"), net.Get("bindIpAll")
		if ip == nil {
			ip = cf.YAML.Get("net.bindIp")
		}
		if all == nil {
			all = cf.YAML.Get("net.bindIpAll")
		}
		if ip != nil && ip.Kind() == yamlx.Scalar && !ip.IsNull() {
			b.IP = &cmdline.Word{Val: ip.Value(), Loc: workspace.NodeLocation(cf.Path, ip)}
		}
		if all != nil && all.Kind() == yamlx.Scalar {
			b.All = &cmdline.Word{Val: all.Value(), Loc: workspace.NodeLocation(cf.Path, all)}
			v, ok := all.Bool()
			b.AllOn = v || !ok && truthy(all.Value())
		}
		return b
	}
	b.Legacy = true
	for _, d := range cf.Directives {
		ws := confWords(cf, d)
		if len(ws) != 1 {
			continue
		}
		switch d.Name {
		case "bind_ip":
			b.IP = &ws[0]
		case "bind_ip_all":
			b.All, b.AllOn = &ws[0], truthy(ws[0].Val)
		}
	}
	return b
}

func mongoConfReplicated(cf *load.ConfFile) bool {
	if cf.YAML != nil {
		return cf.YAML.Path("replication", "replSetName") != nil || cf.YAML.Get("replication.replSetName") != nil ||
			cf.YAML.Path("sharding", "clusterRole") != nil
	}
	for _, d := range cf.Directives {
		if d.Name == "replSet" || d.Name == "configsvr" || d.Name == "shardsvr" {
			return true
		}
	}
	return false
}

// mongoArgs reads --bind_ip, --bind_ip_all, --config and the replication
// options of a command line.
func mongoArgs(args []cmdline.Word) (b MongoBind, config *cmdline.Word, replicated bool) {
	b.Cmd = true
	value := func(i int, name string) (*cmdline.Word, int) {
		w := args[i]
		if strings.HasPrefix(w.Val, name+"=") {
			v := SubWord(w, len(name)+1)
			return &v, i
		}
		if i+1 < len(args) {
			return &args[i+1], i + 1
		}
		return nil, i
	}
	for i := 0; i < len(args); i++ {
		v := args[i].Val
		switch {
		case v == "--bind_ip_all" || strings.HasPrefix(v, "--bind_ip_all="):
			b.All, b.AllOn = &args[i], !strings.Contains(v, "=") || truthy(v[strings.IndexByte(v, '=')+1:])
		case v == "--bind_ip" || strings.HasPrefix(v, "--bind_ip="):
			b.IP, i = value(i, "--bind_ip")
		case v == "--config" || strings.HasPrefix(v, "--config=") || v == "-f":
			name := "--config"
			if v == "-f" {
				name = "-f"
			}
			config, i = value(i, name)
		case v == "--replSet" || strings.HasPrefix(v, "--replSet=") || v == "--configsvr" || v == "--shardsvr":
			replicated = true
		}
	}
	return b, config, replicated
}
