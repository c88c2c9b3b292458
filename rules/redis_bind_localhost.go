package rules

import (
	"fmt"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
)

// RedisBindLocalhost reports Redis servers that listen only on loopback.
var RedisBindLocalhost = register(&Rule{
	ID:       "redis-bind-localhost",
	Summary:  "Redis binds only loopback addresses, so no other pod can connect to it",
	Severity: diag.Error,
	Check:    checkRedisBindLocalhost,
})

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
