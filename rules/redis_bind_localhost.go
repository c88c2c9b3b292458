package rules

import (
	"fmt"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
)

// RedisBindLocalhost reports Redis servers that listen only on loopback.
var RedisBindLocalhost = &Rule{
	ID:       "redis-bind-localhost",
	Summary:  "Redis binds only loopback addresses, so no other pod can connect to it",
	Severity: diag.Error,
	Doc: `Redis accepts TCP connections only on the addresses of its effective ` + "`bind`" + ` directive (the last one
wins; command-line options come after the config file). ` + "`bind 127.0.0.1`" + ` — the line every redis.conf since
3.2 ships with, ` + "`bind 127.0.0.1 -::1`" + ` since 6.2 — is right on a laptop and wrong in a pod: the pod's own
address is not bound, so every other pod, and every client coming through a Service, gets "connection
refused" while ` + "`redis-cli ping`" + ` inside the container answers PONG.

The rule reads redis.conf and sentinel.conf files, Redis configs carried in a ConfigMap's data (reported at
the line inside the manifest), and ` + "`redis-server`" + `/` + "`redis-sentinel`" + ` command lines in containers (` + "`command`" + `, or
` + "`args`" + ` alone, which the official image's entrypoint hands to redis-server; ` + "`sh -c`" + ` scripts too). A container
that loads a ConfigMap's config (through its volume mount) and passes its own ` + "`--bind`" + ` overrides the file.
A ConfigMap's config that a pod mounts but that no command line the rule can follow loads (a script may copy
and edit it, a custom image's entrypoint may ignore it) is not judged; one that no pod mounts is judged alone.
Nor is a server that may serve only its own pod: one in an init container, a daemon a script starts for setup
before starting the server again, or a container whose pod has other containers and that no Service of the tree
selects (a loopback-bound sidecar cache is sound).
Addresses count as loopback when they are in 127.0.0.0/8, ` + "`::1`" + ` or ` + "`localhost`" + `; a ` + "`-`" + ` prefix (optional
address) does not change that. ` + "`bind \"\"`" + `, ` + "`port 0`" + ` (no TCP at all) and a later ` + "`include`" + ` leave the rule silent.

## Bad

` + "```" + `
bind 127.0.0.1 -::1
` + "```" + `

## Good

` + "```" + `
bind 0.0.0.0
requirepass "${REDIS_PASSWORD}"   # or an ACL: user default on >secret ~* &* +@all
` + "```" + `

## Fix

Bind the address the Service sends traffic to — the pod's IP (` + "`--bind $(POD_IP)`" + ` with ` + "`POD_IP`" + ` from
` + "`status.podIP`" + ` through the downward API); a Service's ClusterIP is virtual and cannot be bound — or bind every
interface (` + "`bind 0.0.0.0`" + `, ` + "`bind * -::*`" + ` for IPv6 too) with authentication on. See also redis-protected-mode.`,
	Check: checkRedisBindLocalhost,
}

func checkRedisBindLocalhost(ws *workspace.Workspace, report Report) {
	seen := map[diag.Location]bool{}
	for _, s := range redisSetups(ws) {
		d := loopbackBind(s)
		if d == nil {
			continue
		}
		loc := argsLocation(d)
		if seen[loc] {
			continue
		}
		seen[loc] = true
		lastOf := ""
		if n := countDirectives(s.ds, "bind"); n > 1 {
			lastOf = fmt.Sprintf(" (the last of %d bind lines, and the last one wins)", n)
		}
		report(diag.Finding{
			Location: loc,
			Related:  s.related(d),
			Message: fmt.Sprintf("Redis listens only on loopback: the effective `bind %s` %s%s lists no address another pod can reach, so clients of a Service get \"connection refused\"; bind the pod's address (status.podIP through the downward API; a Service's ClusterIP cannot be bound) or `bind 0.0.0.0` with authentication on (requirepass or an ACL password for the default user)",
				argsText(d), s.source(d), lastOf),
		})
	}
}

func countDirectives(ds []redisDirective, name string) int {
	n := 0
	for _, d := range ds {
		if d.name == name {
			n++
		}
	}
	return n
}
