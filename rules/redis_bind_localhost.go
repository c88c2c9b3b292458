package rules

import (
	"fmt"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/servers"
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
	for _, s := range servers.RedisSetups(ws) {
		d := s.LoopbackBind()
		if d == nil {
			continue
		}
		loc := servers.ArgsLocation(d)
		if seen[loc] {
			continue
		}
		seen[loc] = true
		lastOf := ""
		if n := s.Count("bind"); n > 1 {
			lastOf = fmt.Sprintf(" (the last of %d bind lines, and the last one wins)", n)
		}
		f := diag.Finding{
			Location: loc,
			Related:  s.Related(d),
			Message:  "Redis listens only on loopback: " + clip("`bind "+servers.ArgsText(d)+"`", 80),
			Detail: fmt.Sprintf("the effective `bind %s` %s%s lists no address another pod can reach, so clients of a Service get \"connection refused\"",
				servers.ArgsText(d), s.Source(d), lastOf),
			Fix: "bind the pod's address (status.podIP through the downward API; a Service's ClusterIP cannot be bound) or `bind 0.0.0.0` with authentication on (requirepass or an ACL password for the default user)",
		}
		if pm, why := s.ProtectedNoPassword(); pm != nil {
			// redis-protected-mode stays silent for this server: say it here.
			f.Detail += fmt.Sprintf("; binding another address is not enough: `protected-mode yes` %s, and %s, so Redis 7.0 and later still refuse every client that is not on loopback (\"-DENIED Redis is running in protected mode\") until the default user has a password or protected-mode is off",
				s.Source(pm), why)
		}
		report(f)
	}
}
