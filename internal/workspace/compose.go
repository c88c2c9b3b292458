package workspace

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/template"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// composeContext is the build context a compose service gives a Dockerfile.
type composeContext struct {
	dir string
	loc diag.Location // the build.context (or build) value
	// args are the service's build.args after interpolation (nil value:
	// given, but its value is unknown).
	args map[string]*string
}

// composeResult is what the compose files say about Dockerfiles: their
// contexts, and the Dockerfiles whose context cannot be known (a variable
// without a value), each with the reason.
type composeResult struct {
	contexts map[string]composeContext
	unknown  []unknownContext
}

// unknownContext matches the Dockerfiles a service may build when its
// build section uses a variable without a value.
type unknownContext struct {
	match  *regexp.Regexp // against the Dockerfile's absolute slash path
	reason string
	loc    diag.Location
}

// interpolate substitutes compose variables in s as docker compose does
// (compose-spec's template package: ${VAR}, ${VAR:-default}, ${VAR-default},
// ${VAR:?err}, $$) with the variables of the .env file beside the compose
// file. ok is false when a variable without a default has no value, or a
// required one is missing: the result is then not what compose uses.
func interpolate(s string, vars map[string]string) (string, []string, bool) {
	if !strings.Contains(s, "$") {
		return s, nil, true
	}
	var missing []string
	mapping := func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
	out, err := template.SubstituteWithOptions(s, mapping, template.WithoutLogging,
		template.WithReplacementFunction(func(sub string, m template.Mapping, cfg *template.Config) (string, error) {
			v, applied, err := template.DefaultReplacementAppliedFunc(sub, m, cfg)
			if err == nil && !applied {
				missing = append(missing, strings.Trim(sub, "${}"))
			}
			return v, err
		}))
	if err != nil {
		var req *template.MissingRequiredError
		if errors.As(err, &req) {
			missing = append(missing, req.Variable)
		} else {
			missing = append(missing, err.Error())
		}
		return s, missing, false
	}
	return out, missing, len(missing) == 0
}

// varPattern turns a compose value with variables into a regexp that any
// value of the variables may match (a variable stands for any string).
func varPattern(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range template.DefaultPattern.FindAllStringIndex(s, -1) {
		b.WriteString(regexp.QuoteMeta(s[last:m[0]]))
		if s[m[0]:m[1]] == "$$" {
			b.WriteString(`\$`)
		} else {
			b.WriteString(".*")
		}
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(s[last:]))
	return b.String()
}

// composeContexts reads the services' build sections of compose files:
// `build: DIR`, or `build: {context: DIR, dockerfile: FILE}` (the context is
// relative to the compose file, the Dockerfile relative to the context),
// after interpolating them with the .env file beside the compose file (the
// compose `env_file` only sets the containers' environment, never
// interpolation). It returns the context of every Dockerfile path a
// service builds. Remote contexts (URLs, git) and inline Dockerfiles are
// skipped. When services disagree about one Dockerfile, the Dockerfile's own
// directory wins if one of them names it, else the first in file order.
func composeContexts(composes []*Compose, dotenvs map[string]*load.DotEnv) composeResult {
	all := map[string][]composeContext{}
	var unknown []unknownContext
	sorted := append([]*Compose(nil), composes...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	for _, c := range sorted {
		base := filepath.Dir(c.Path)
		var vars map[string]string
		if de := dotenvs[filepath.Join(base, ".env")]; de != nil && de.Err == nil {
			vars = de.Vars
		}
		c.Root.Get("services").Pairs(func(_, svc *yamlx.Node) {
			build := svc.Get("build")
			if build == nil {
				return
			}
			var ctxNode *yamlx.Node
			ctx, dockerfile := ".", "Dockerfile"
			switch build.Kind() {
			case yamlx.Scalar:
				ctxNode, ctx = build, build.Value()
			case yamlx.Mapping:
				if build.Get("dockerfile_inline") != nil {
					return
				}
				if n := build.Get("context"); n != nil {
					if n.Kind() != yamlx.Scalar {
						return
					}
					ctxNode, ctx = n, n.Value()
				}
				if n := build.Get("dockerfile"); n != nil {
					if n.Kind() != yamlx.Scalar {
						return
					}
					dockerfile = n.Value()
				}
				if ctxNode == nil {
					ctxNode = build
				}
			default:
				return
			}
			loc := diag.Location{File: c.Path, Line: int(ctxNode.Line), Column: int(ctxNode.Column)}
			if ctxNode.EndLine() > 0 {
				loc.EndLine, loc.EndColumn = int(ctxNode.EndLine()), int(ctxNode.EndColumn())
			}
			ictx, m1, ok1 := interpolate(ctx, vars)
			idf, m2, ok2 := interpolate(dockerfile, vars)
			if !ok1 || !ok2 {
				// Which Dockerfile, or which context, is unknown: every
				// Dockerfile the values may name gets an unknown context.
				pc, pd := varPattern(ctx), varPattern(dockerfile)
				if ok1 {
					pc = regexp.QuoteMeta(ictx)
				}
				if ok2 {
					pd = regexp.QuoteMeta(idf)
				}
				re, err := regexp.Compile("^(?:" + dfPattern(base, pc, pd) + ")$")
				if err == nil {
					unknown = append(unknown, unknownContext{match: re, loc: loc,
						reason: fmt.Sprintf("%s:%d: the build context is unknown: %s has no value in %s (compose interpolates build.context and build.dockerfile from the .env file beside it)",
							c.Path, loc.Line, strings.Join(append(m1, m2...), ", "), filepath.Join(base, ".env"))})
				}
				return
			}
			ctx, dockerfile = ictx, idf
			if ctx == "" || dockerfile == "" || isRemoteContext(ctx) {
				return
			}
			dir := ctx
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(base, filepath.FromSlash(ctx))
			}
			df := dockerfile
			if !filepath.IsAbs(df) {
				df = filepath.Join(dir, filepath.FromSlash(dockerfile))
			}
			all[filepath.Clean(df)] = append(all[filepath.Clean(df)], composeContext{dir: filepath.Clean(dir), loc: loc, args: buildArgs(build, vars)})
		})
	}
	out := make(map[string]composeContext, len(all))
	for df, cs := range all {
		pick := cs[0]
		for _, c := range cs {
			if c.dir == filepath.Dir(df) {
				pick = c
				break
			}
		}
		out[df] = pick
	}
	return composeResult{contexts: out, unknown: unknown}
}

// dfPattern is the regexp of a Dockerfile path from the compose file's
// directory, a context pattern and a Dockerfile pattern (both relative
// unless absolute).
func dfPattern(base, ctx, df string) string {
	if strings.HasPrefix(df, "/") {
		return df
	}
	b := regexp.QuoteMeta(filepath.ToSlash(base)) + "/"
	if strings.HasPrefix(ctx, "/") {
		b = ""
	}
	// "./x" and "x" name the same path; a pattern keeps the text as written,
	// so clean what is literal at the start.
	ctx = strings.TrimPrefix(strings.TrimPrefix(ctx, `\.`), "/")
	df = strings.TrimPrefix(strings.TrimPrefix(df, `\.`), "/")
	if ctx == "" {
		return b + df
	}
	return b + ctx + "/" + df
}

// isRemoteContext reports a context that is not a local directory: a URL or a git remote.
func isRemoteContext(ctx string) bool {
	return strings.Contains(ctx, "://") || strings.HasPrefix(ctx, "git@") || strings.HasPrefix(ctx, "github.com/")
}

// buildArgs reads build.args, a mapping or a list of NAME=value, each value
// interpolated like the context. A name without a value takes it from
// compose's environment: the .env file, else the shell of whoever runs
// compose (unknown here); a value with a variable that has no value is not
// what compose uses: both are given, value unknown.
func buildArgs(build *yamlx.Node, vars map[string]string) map[string]*string {
	n := build.Get("args")
	if n == nil || build.Kind() != yamlx.Mapping {
		return nil
	}
	out := map[string]*string{}
	add := func(name string, val *string) {
		if v, ok := vars[name]; ok && val == nil {
			val = &v // a name alone takes its value from compose's environment, .env included
		} else if val != nil {
			if v, _, ok := interpolate(*val, vars); ok {
				val = &v
			} else {
				val = nil
			}
		}
		out[name] = val
	}
	switch n.Kind() {
	case yamlx.Mapping:
		n.Pairs(func(k, v *yamlx.Node) {
			if v == nil || v.IsNull() {
				add(k.Value(), nil)
			} else if v.Kind() == yamlx.Scalar {
				val := v.Value()
				add(k.Value(), &val)
			}
		})
	case yamlx.Sequence:
		for _, it := range n.Items() {
			if it.Kind() != yamlx.Scalar {
				continue
			}
			if name, val, ok := strings.Cut(it.Value(), "="); ok {
				add(name, &val)
			} else {
				add(it.Value(), nil)
			}
		}
	}
	return out
}
