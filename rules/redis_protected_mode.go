package rules

import (
	"fmt"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/servers"
	"github.com/k8slint/k8slint/internal/workspace"
)

// RedisProtectedMode reports `protected-mode yes` with no password for the default user.
var RedisProtectedMode = register(&Rule{
	ID:       "redis-protected-mode",
	Summary:  "Redis has protected-mode yes and no password for the default user, so it refuses clients from other pods",
	Severity: diag.Warning,
	Check:    checkRedisProtectedMode,
})

func checkRedisProtectedMode(ws *workspace.Workspace, report Report) {
	seen := map[diag.Location]bool{}
	for _, s := range servers.RedisSetups(ws) {
		pm, why := s.ProtectedNoPassword()
		if pm == nil || s.LoopbackBind() != nil {
			// A loopback bind is reported by redis-bind-localhost, whose
			// finding says what protected mode adds.
			continue
		}
		loc := servers.ArgsLocation(pm)
		if seen[loc] {
			continue
		}
		seen[loc] = true
		bindNote := "this config sets no bind line, so every version from 3.2 refuses remote clients"
		if b := s.Last("bind"); b >= 0 {
			bindNote = fmt.Sprintf("this config has `bind %s`, so 3.2 to 6.2 accept remote clients but 7.0 and later refuse them", servers.ArgsText(&s.Directives[b]))
		}
		report(diag.Finding{
			Location: loc,
			Related:  s.Related(pm),
			Message:  "Redis 7.0 and later refuse remote clients: `protected-mode yes` and the default user has no password",
			Detail: fmt.Sprintf("`protected-mode yes` %s, and %s: Redis 7.0 and later refuse every client that is not on loopback or a unix socket, whatever bind says (\"-DENIED Redis is running in protected mode\"); Redis 3.2 to 6.2 did so only when no bind line was set — %s",
				s.Source(pm), why, bindNote),
			Fix: "give the default user a password (requirepass, or `user default on >secret ~* &* +@all`), or set `protected-mode no` on a network you trust",
		})
	}
}
