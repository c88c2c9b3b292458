package rules

import (
	"fmt"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/servers"
	"github.com/k8slint/k8slint/internal/workspace"
)

// MongoDBBindLocalhost reports mongod/mongos that listen only on loopback.
var MongoDBBindLocalhost = register(&Rule{
	ID:       "mongodb-bind-localhost",
	Summary:  "mongod binds only loopback addresses, so no other pod can connect to it",
	Severity: diag.Error,
	Check:    checkMongoDBBindLocalhost,
})

func checkMongoDBBindLocalhost(ws *workspace.Workspace, report Report) {
	seen := map[diag.Location]bool{}
	emit := func(b servers.MongoBind, where string, related []diag.Location, call *servers.Server) {
		loc := b.IP.Loc
		if call != nil {
			var rel []diag.Location
			loc, rel = call.Place(loc)
			related = append(rel, related...)
		}
		if seen[loc] {
			return
		}
		seen[loc] = true
		setting, fix, auth := "`bindIp: "+b.IP.Val+"`", "`bindIpAll: true`", "security.authorization: enabled"
		switch {
		case b.Cmd:
			setting, fix, auth = "`--bind_ip "+b.IP.Val+"`", "`--bind_ip_all`", "--auth"
		case b.Legacy:
			setting, fix, auth = "`bind_ip = "+b.IP.Val+"`", "`bind_ip_all = true`", "auth = true"
		}
		report(diag.Finding{
			Location: loc,
			Related:  related,
			Message:  "MongoDB listens only on loopback: " + clip(setting, 80),
			Detail:   fmt.Sprintf("%s %s lists no address another pod can reach, so clients of a Service get \"connection refused\"", setting, where),
			Fix: fmt.Sprintf("bind the pod's address (status.podIP through the downward API, or a hostname that resolves to it; a Service's ClusterIP cannot be bound) or set %s with authentication on (%s)",
				fix, auth),
		})
	}
	setups := servers.MongoSetups(ws)
	// Configs judged alone first, then command lines.
	for _, s := range setups {
		if s.Server == nil {
			if b := s.ConfBind; b.LoopbackOnly() {
				where := "in this file"
				if s.Conf.Origin != nil {
					where = "in " + s.Conf.Origin.String()
				}
				emit(b, where, nil, nil)
			}
		}
	}
	for _, s := range setups {
		if s.Server == nil || s.PodLocal {
			continue
		}
		call := s.Server
		b, fromConf := s.Effective()
		switch {
		case !fromConf && b.LoopbackOnly():
			where := fmt.Sprintf("on the command line of %s (%s)", call.Where(), call.Text())
			if call.Built != nil {
				where = fmt.Sprintf("on the command line of mongod in the entrypoint script of the image that %s runs (%s)", call.Where(), call.Text())
			}
			emit(b, where, nil, call)
		case fromConf && b.LoopbackOnly():
			rel := s.ConfigWord.Loc
			rel.Message = fmt.Sprintf("loaded by %s in %s, which does not override the bind address", call.Prog, call.Where())
			emit(b, "in "+s.Conf.Origin.String(), []diag.Location{rel}, nil)
		case s.DefaultsToLoopback() && (call.Reach() != "" || s.Replicated):
			reportDefaultBind(s, report)
		}
	}
}

// reportDefaultBind reports a mongod that the container's own command
// starts without setting the bind address.
func reportDefaultBind(s *servers.MongoSetup, report Report) {
	call := s.Server
	why := call.Reach()
	if why == "" {
		why = "it is a replica-set or cluster member, whose peers are other pods"
	}
	var rel []diag.Location
	if s.Conf != nil {
		loc := s.ConfigWord.Loc
		loc.Message = "this config sets neither net.bindIp nor net.bindIpAll"
		rel = append(rel, loc)
	}
	loc, placed := call.Place(call.ProgWord.Loc)
	f := diag.Finding{
		Location: loc,
		Related:  append(placed, rel...),
		Message:  "mongod started by the container's command listens only on 127.0.0.1: nothing sets its bind address",
		Detail: fmt.Sprintf("from 3.6 mongod binds only to localhost unless --bind_ip, --bind_ip_all or net.bindIp/net.bindIpAll in its config says otherwise; "+
			"the official image's entrypoint adds --bind_ip_all when it starts mongod itself, but the `command:` of %s replaces that entrypoint, so `%s` listens on loopback and every client in another pod gets \"connection refused\" (other pods reach this one: %s)",
			call.Where(), call.Text(), why),
		Fix: "add `--bind_ip_all` with authentication on (--auth or a keyFile), or `--bind_ip` with the pod's address; or give the options as `args:` so that the image's entrypoint runs",
	}
	if call.Built != nil {
		f.Message = "mongod started by the image's entrypoint script listens only on 127.0.0.1: nothing sets its bind address"
		f.Detail = fmt.Sprintf("from 3.6 mongod binds only to localhost unless --bind_ip, --bind_ip_all or net.bindIp/net.bindIpAll in its config says otherwise; "+
			"%s runs an image built in this tree whose entrypoint script starts `%s` with none of them, so it listens on loopback and every client in another pod gets \"connection refused\" (other pods reach this one: %s)",
			call.Where(), call.Text(), why)
		f.Fix = "add `--bind_ip_all` with authentication on (--auth or a keyFile), or `--bind_ip` with the pod's address, to mongod's command line in the script (or to the container's args when the script passes \"$@\" on)"
	}
	report(f)
}
