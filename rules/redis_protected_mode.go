package rules

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
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
	for _, s := range redisSetups(ws) {
		pm, why := protectedNoPassword(s)
		if pm == nil {
			continue
		}
		loc := argsLocation(pm)
		if seen[loc] {
			continue
		}
		seen[loc] = true
		bindNote := "this config sets no bind line, so every version from 3.2 refuses remote clients"
		if b := lastDirective(s.ds, "bind"); b >= 0 {
			bindNote = fmt.Sprintf("this config has `bind %s`, so 3.2 to 6.2 accept remote clients but 7.0 and later refuse them", argsText(&s.ds[b]))
		}
		report(diag.Finding{
			Location: loc,
			Related:  s.related(pm),
			Message: fmt.Sprintf("`protected-mode yes` %s, and %s: Redis 7.0 and later refuse every client that is not on loopback or a unix socket, whatever bind says (\"-DENIED Redis is running in protected mode\"); Redis 3.2 to 6.2 did so only when no bind line was set — %s; give the default user a password (requirepass, or `user default on >secret ~* &* +@all`), or set `protected-mode no` on a network you trust",
				s.source(pm), why, bindNote),
		})
	}
}

// protectedNoPassword returns the deciding `protected-mode yes` directive
// when the default user has no password, and says why it has none.
func protectedNoPassword(s *redisSetup) (*redisDirective, string) {
	ds := s.ds
	i := lastDirective(ds, "protected-mode")
	if i < 0 || len(ds[i].args) != 1 || !strings.EqualFold(ds[i].args[0].val, "yes") || s.unknownConf || s.podLocal {
		return nil, ""
	}
	for _, d := range ds {
		switch {
		case d.name == "include":
			return nil, ""
		case d.name == "aclfile" && len(d.args) == 1 && d.args[0].val != "":
			return nil, ""
		}
		for _, a := range d.args {
			if a.dynamic && (d.name == "user" || d.name == "requirepass") {
				return nil, ""
			}
		}
	}
	// `user default ...` lines are applied after the config is read, each
	// from a reset user; they replace what requirepass did.
	if u := lastDefaultUser(ds); u != nil {
		nopass := false
		for _, a := range u.args[1:] {
			r := strings.ToLower(a.val)
			switch {
			case r == "nopass":
				nopass = true
			case r == "resetpass" || r == "reset" || strings.HasPrefix(r, ">") || strings.HasPrefix(r, "#"):
				nopass = false
			}
		}
		if !nopass {
			return nil, ""
		}
		return &ds[i], fmt.Sprintf("the default user is `nopass` (line %d)", u.loc.Line)
	}
	if r := lastDirective(ds, "requirepass"); r >= 0 {
		if len(ds[r].args) >= 1 && ds[r].args[0].val != "" {
			return nil, ""
		}
		return &ds[i], "`requirepass` is empty, so the default user has no password"
	}
	return &ds[i], "the default user has no password (no requirepass, no `user default` line with one)"
}

func lastDefaultUser(ds []redisDirective) *redisDirective {
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].name == "user" && len(ds[i].args) >= 1 && ds[i].args[0].val == "default" {
			return &ds[i]
		}
	}
	return nil
}
