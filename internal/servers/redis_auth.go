package servers

import (
	"fmt"
	"strings"
)

// ProtectedNoPassword returns the effective `protected-mode yes` directive
// when the default user has no password, and says why it has none; nil when
// protected mode is off, a password is set (requirepass or a `user default`
// line, in the config file or on the command line as --requirepass), the
// tree does not say (an include, an aclfile, a config file it does not
// hold, a password from an expansion, an image's entrypoint script) or the
// server is pod-local.
func (s *RedisSetup) ProtectedNoPassword() (*Directive, string) {
	ds := s.Directives
	i := s.Last("protected-mode")
	if i < 0 || len(ds[i].Args) != 1 || !strings.EqualFold(ds[i].Args[0].Val, "yes") || s.UnknownConf || s.PodLocal || s.Script != nil {
		return nil, ""
	}
	for _, d := range ds {
		switch {
		case d.Name == "include":
			return nil, ""
		case d.Name == "aclfile" && len(d.Args) == 1 && d.Args[0].Val != "":
			return nil, ""
		}
		for _, a := range d.Args {
			if a.Dynamic && (d.Name == "user" || d.Name == "requirepass") {
				return nil, ""
			}
		}
	}
	// `user default ...` lines are applied after the config is read, each
	// from a reset user; they replace what requirepass did.
	if u := s.lastDefaultUser(); u != nil {
		nopass := false
		for _, a := range u.Args[1:] {
			r := strings.ToLower(a.Val)
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
		return &ds[i], fmt.Sprintf("the default user is `nopass` (line %d)", u.Loc.Line)
	}
	if r := s.Last("requirepass"); r >= 0 {
		if len(ds[r].Args) >= 1 && ds[r].Args[0].Val != "" {
			return nil, ""
		}
		return &ds[i], "`requirepass` is empty, so the default user has no password"
	}
	return &ds[i], "the default user has no password (no requirepass, no `user default` line with one)"
}

func (s *RedisSetup) lastDefaultUser() *Directive {
	for i := len(s.Directives) - 1; i >= 0; i-- {
		if d := &s.Directives[i]; d.Name == "user" && len(d.Args) >= 1 && d.Args[0].Val == "default" {
			return d
		}
	}
	return nil
}
