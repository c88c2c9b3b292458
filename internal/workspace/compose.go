package workspace

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// composeContext is the build context a compose service gives a Dockerfile.
type composeContext struct {
	dir string
	loc diag.Location // the build.context (or build) value
}

// composeContexts reads the services' build sections of compose files:
// `build: DIR`, or `build: {context: DIR, dockerfile: FILE}` (the context is
// relative to the compose file, the Dockerfile relative to the context). It
// returns the context of every Dockerfile path a service builds. Contexts
// with variables, remote contexts (URLs, git) and inline Dockerfiles are
// skipped: their value is not known. When services disagree about one
// Dockerfile, the Dockerfile's own directory wins if one of them names it,
// else the first in file order.
func composeContexts(composes []*Compose) map[string]composeContext {
	all := map[string][]composeContext{}
	sorted := append([]*Compose(nil), composes...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	for _, c := range sorted {
		base := filepath.Dir(c.Path)
		c.Root.Get("services").Pairs(func(_, svc *yamlx.Node) {
			build := svc.Get("build")
			if build == nil {
				return
			}
			var ctxNode *yamlx.Node
			ctx, dockerfile := ".", "Dockerfile"
			switch build.Kind {
			case yamlx.Scalar:
				ctxNode, ctx = build, build.Value
			case yamlx.Mapping:
				if build.Get("dockerfile_inline") != nil {
					return
				}
				if n := build.Get("context"); n != nil {
					if n.Kind != yamlx.Scalar {
						return
					}
					ctxNode, ctx = n, n.Value
				}
				if n := build.Get("dockerfile"); n != nil {
					if n.Kind != yamlx.Scalar {
						return
					}
					dockerfile = n.Value
				}
				if ctxNode == nil {
					ctxNode = build
				}
			default:
				return
			}
			if ctx == "" || dockerfile == "" || strings.Contains(ctx+dockerfile, "$") || isRemoteContext(ctx) {
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
			loc := diag.Location{File: c.Path, Line: int(ctxNode.Line), Column: int(ctxNode.Column)}
			if ctxNode.EndLine > 0 {
				loc.EndLine, loc.EndColumn = int(ctxNode.EndLine), int(ctxNode.EndColumn)
			}
			all[filepath.Clean(df)] = append(all[filepath.Clean(df)], composeContext{dir: filepath.Clean(dir), loc: loc})
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
	return out
}

// isRemoteContext reports a context that is not a local directory: a URL or a git remote.
func isRemoteContext(ctx string) bool {
	return strings.Contains(ctx, "://") || strings.HasPrefix(ctx, "git@") || strings.HasPrefix(ctx, "github.com/")
}
