package rules

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// MongoDBBindLocalhost reports mongod/mongos that listen only on loopback.
var MongoDBBindLocalhost = register(&Rule{
	ID:       "mongodb-bind-localhost",
	Summary:  "mongod binds only loopback addresses, so no other pod can connect to it",
	Severity: diag.Error,
	Check:    checkMongoDBBindLocalhost,
})

// mongoBind is what a config or a command line says about binding.
type mongoBind struct {
	ip     *word // bindIp / bind_ip / --bind_ip value
	all    *word // bindIpAll / bind_ip_all / --bind_ip_all when set
	allOn  bool
	legacy bool // key = value form
	cmd    bool // command line
}

func (b mongoBind) set() bool { return b.ip != nil || b.all != nil }

// loopbackOnly reports whether the binding lists only loopback addresses.
func (b mongoBind) loopbackOnly() bool {
	if b.ip == nil || b.allOn || b.ip.dynamic {
		return false
	}
	v := strings.TrimSpace(b.ip.val)
	if v == "*" {
		return false
	}
	var addrs []string
	for _, a := range strings.Split(v, ",") {
		if a = strings.TrimSpace(a); a != "" {
			addrs = append(addrs, a)
		}
	}
	return onlyLoopback(addrs)
}

func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "false", "0", "no", "off":
		return false
	}
	return true
}

// mongoConfBind reads net.bindIp and net.bindIpAll of a config.
func mongoConfBind(cf *load.ConfFile) mongoBind {
	var b mongoBind
	if cf.YAML != nil {
		net := cf.YAML.Get("net")
		ip, all := net.Get("bindIp"), net.Get("bindIpAll")
		if ip == nil {
			ip = cf.YAML.Get("net.bindIp")
		}
		if all == nil {
			all = cf.YAML.Get("net.bindIpAll")
		}
		if ip != nil && ip.Kind == yamlx.Scalar && !ip.IsNull() {
			b.ip = &word{val: ip.Value, loc: workspace.NodeLocation(cf.Path, ip)}
		}
		if all != nil && all.Kind == yamlx.Scalar {
			b.all = &word{val: all.Value, loc: workspace.NodeLocation(cf.Path, all)}
			v, ok := all.Bool()
			b.allOn = v || !ok && truthy(all.Value)
		}
		return b
	}
	b.legacy = true
	for _, d := range cf.Directives {
		ws := confWords(cf, d)
		if len(ws) != 1 {
			continue
		}
		switch d.Name {
		case "bind_ip":
			b.ip = &ws[0]
		case "bind_ip_all":
			b.all, b.allOn = &ws[0], truthy(ws[0].val)
		}
	}
	return b
}

// mongoArgs reads --bind_ip, --bind_ip_all and --config of a command line.
func mongoArgs(args []word) (b mongoBind, config *word) {
	b.cmd = true
	value := func(i int, name string) (*word, int) {
		w := args[i]
		if strings.HasPrefix(w.val, name+"=") {
			v := subWord(w, len(name)+1)
			return &v, i
		}
		if i+1 < len(args) {
			return &args[i+1], i + 1
		}
		return nil, i
	}
	for i := 0; i < len(args); i++ {
		v := args[i].val
		switch {
		case v == "--bind_ip_all" || strings.HasPrefix(v, "--bind_ip_all="):
			b.all, b.allOn = &args[i], !strings.Contains(v, "=") || truthy(v[strings.IndexByte(v, '=')+1:])
		case v == "--bind_ip" || strings.HasPrefix(v, "--bind_ip="):
			b.ip, i = value(i, "--bind_ip")
		case v == "--config" || strings.HasPrefix(v, "--config=") || v == "-f":
			name := "--config"
			if v == "-f" {
				name = "-f"
			}
			config, i = value(i, name)
		}
	}
	return b, config
}

func checkMongoDBBindLocalhost(ws *workspace.Workspace, report Report) {
	seen := map[diag.Location]bool{}
	emit := func(b mongoBind, where string, related []diag.Location) {
		loc := b.ip.loc
		if seen[loc] {
			return
		}
		seen[loc] = true
		setting, fix, auth := "`bindIp: "+b.ip.val+"`", "`bindIpAll: true`", "security.authorization: enabled"
		switch {
		case b.cmd:
			setting, fix, auth = "`--bind_ip "+b.ip.val+"`", "`--bind_ip_all`", "--auth"
		case b.legacy:
			setting, fix, auth = "`bind_ip = "+b.ip.val+"`", "`bind_ip_all = true`", "auth = true"
		}
		report(diag.Finding{
			Location: loc,
			Related:  related,
			Message: fmt.Sprintf("MongoDB listens only on loopback: %s %s lists no address another pod can reach, so clients of a Service get \"connection refused\"; bind the pod's address (status.podIP through the downward API, or a hostname that resolves to it; a Service's ClusterIP cannot be bound) or set %s with authentication on (%s)",
				setting, where, fix, auth),
		})
	}
	loaded := map[*load.ConfFile]bool{}
	type pending struct {
		b       mongoBind
		where   string
		related []diag.Location
	}
	var fromCalls []pending
	for _, call := range serverCalls(ws, "mongod", "mongos") {
		b, config := mongoArgs(call.args)
		var cf *load.ConfFile
		if config != nil && !config.dynamic {
			if c, _ := ws.MountedConf(call.c, config.val); c != nil && c.Kind == load.MongoConf {
				cf = c
				loaded[cf] = true
			}
		}
		if servesOnlyItsPod(ws, call) {
			continue
		}
		where := fmt.Sprintf("on the command line of %s (%s)", call.where(), call.text())
		switch {
		case b.set():
			// Command-line options override the config file.
			if b.loopbackOnly() {
				fromCalls = append(fromCalls, pending{b: b, where: where})
			}
		case cf != nil:
			if fb := mongoConfBind(cf); fb.loopbackOnly() {
				rel := config.loc
				rel.Message = fmt.Sprintf("loaded by %s in %s, which does not override the bind address", call.prog, call.where())
				fromCalls = append(fromCalls, pending{b: fb, where: "in " + cf.Origin.String(), related: []diag.Location{rel}})
			}
		}
	}
	for _, cf := range ws.Confs {
		if cf.Kind != load.MongoConf || loaded[cf] || !load.IsMongoConfig(cf) {
			continue
		}
		if cf.Origin != nil && ws.Mounted(cf.Origin) {
			continue // mounted, but loaded by nothing the rule can follow
		}
		if b := mongoConfBind(cf); b.loopbackOnly() {
			where := "in this file"
			if cf.Origin != nil {
				where = "in " + cf.Origin.String()
			}
			emit(b, where, nil)
		}
	}
	for _, p := range fromCalls {
		emit(p.b, p.where, p.related)
	}
}
