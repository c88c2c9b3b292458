package rules

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/discovery"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
)

// CopySourceMissing reports local COPY/ADD sources that do not exist in the build context.
var CopySourceMissing = register(&Rule{
	ID:       "copy-source-missing",
	Summary:  "A COPY or ADD source does not exist in the build context",
	Severity: diag.Warning,
	Check:    checkCopySourceMissing,
})

func checkCopySourceMissing(ws *workspace.Workspace, report Report) {
	for _, df := range ws.Dockerfiles {
		bc := ws.BuildContext(df)
		if !bc.Known || df.ContextUnknown {
			continue // only the Dockerfile was named (a pre-commit hook), or compose's context is unknown
		}
		for _, cp := range df.Copies {
			if cp.From != "" {
				continue
			}
			for _, s := range cp.DistinctSources() {
				if !s.Resolved || s.Remote || s.Path == "" || strings.HasPrefix(s.Path, "/") {
					continue
				}
				checkMissingSource(ws, df, bc, cp, s, report)
			}
		}
	}
}

func checkMissingSource(ws *workspace.Workspace, df *workspace.Dockerfile, bc *workspace.BuildContext, cp *load.Copy, s *load.Source, report Report) {
	rel := workspace.Rel(s.Path)
	if rel == "" {
		return
	}
	for _, seg := range strings.Split(rel, "/") {
		if discovery.SkipsDir(seg) {
			return
		}
	}
	if workspace.IsGlob(rel) {
		if len(bc.Glob(rel)) > 0 || bc.GlobMayBeHidden(rel) {
			return
		}
	} else if info := bc.Stat(rel); info.Exists || info.Hidden {
		return
	} else if ex, _ := bc.Exclusion(rel); ex && !bc.Invalid {
		return // copy-ignored-file reports it: even once built, it is not sent
	}
	if existsFromAncestor(ws, df, rel) || looksLikeBuildOutput(ws, df, cp, rel) {
		return
	}
	ctxName := "the Dockerfile's directory"
	if df.ContextFrom == nil && df.Context != filepath.Dir(df.Path) {
		// Set by build-contexts in .k8slint.yaml: name it from the Dockerfile.
		r, err := filepath.Rel(filepath.Dir(df.Path), df.Context)
		if err != nil {
			r = df.Context
		}
		ctxName = fmt.Sprintf("%q from the Dockerfile, set by build-contexts in .k8slint.yaml", filepath.ToSlash(r))
	}
	if df.ContextFrom != nil {
		r, err := filepath.Rel(filepath.Dir(df.ContextFrom.File), df.Context)
		if err != nil {
			r = df.Context
		}
		ctxName = fmt.Sprintf("%q, the context %s builds it with", filepath.ToSlash(r), filepath.Base(df.ContextFrom.File))
	}
	hint := ""
	if alt := bc.CaseVariant(rel); alt != "" {
		hint = fmt.Sprintf("; %q exists: paths are case-sensitive", alt)
	}
	var related []diag.Location
	if df.ContextFrom != nil {
		l := *df.ContextFrom
		l.Message = "the build context, set by this compose file"
		related = append(related, l)
	}
	what := "does not exist"
	if workspace.IsGlob(rel) {
		what = "matches nothing"
	}
	report(diag.Finding{
		Location: workspace.SourceLocation(df.Path, s),
		Message:  fmt.Sprintf("%s source %s %s in the build context", cp.Command, workspace.QuoteSource(s), what),
		Detail:   fmt.Sprintf("the context is %s, so the build fails with \"/%s\": not found%s", ctxName, rel, hint),
		Fix:      "correct the path relative to the context, or commit the file",
		Related:  related,
	})
}

// existsFromAncestor: the source exists relative to an ancestor of the
// context or of the Dockerfile's directory, so the Dockerfile is probably
// built with that ancestor as its context.
func existsFromAncestor(ws *workspace.Workspace, df *workspace.Dockerfile, rel string) bool {
	starts := []string{df.Context}
	if d := filepath.Dir(df.Path); d != df.Context {
		starts = append(starts, d)
	}
	dfDir := filepath.Dir(df.Path)
	for i, start := range starts {
		dir := start
		if i == 0 {
			dir = filepath.Dir(start)
		}
		// Only ancestors inside the linted tree: above it nothing is known.
		for ws.Walked(dir) {
			bc := ws.BuildContextAt(dir)
			if workspace.IsGlob(rel) {
				for _, m := range bc.Glob(rel) {
					if !holdsDockerfile(filepath.Join(dir, filepath.FromSlash(m)), dfDir) {
						return true
					}
				}
			} else if info := bc.Stat(rel); (info.Exists || info.Hidden) && !holdsDockerfile(filepath.Join(dir, filepath.FromSlash(rel)), dfDir) {
				return true
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return false
}

// holdsDockerfile: p is the Dockerfile's directory or one of its ancestors
// (a source that names it is a coincidence, not another context: the binary
// "kube-score" beside cmd/kube-score/Dockerfile).
func holdsDockerfile(p, dfDir string) bool {
	return p == dfDir || strings.HasPrefix(dfDir, p+string(filepath.Separator))
}

// outputDirs are the directories each build system writes into (and that
// repositories do not commit).
var outputDirs = map[workspace.BuildSystem][]string{
	workspace.Maven:      {"target"},
	workspace.Gradle:     {"build"},
	workspace.NPM:        {"dist", "build", "out", ".next", ".nuxt", ".output"},
	workspace.Go:         {"bin", "dist", "_output", "out"},
	workspace.Cargo:      {"target"},
	workspace.Make:       {"bin", "build", "dist", "out", "_output", "output", "release", "releases", "artifacts"},
	workspace.GoReleaser: {"dist"},
	workspace.DotNet:     {"bin", "obj", "publish", "out"},
	workspace.CMake:      {"build", "bin"},
	workspace.Mix:        {"_build", "rel"},
}

// genericOutputDirs are used when the context shows no build system (the
// build runs elsewhere, in CI, from a parent directory).
var genericOutputDirs = []string{
	"target", "build", "dist", "out", "bin", "release", "releases", "publish", "artifacts", "artifact",
	".next", ".nuxt", ".output", "_build", "obj", "output", "_output",
}

// buildOutputExts are file extensions of build artefacts.
var buildOutputExts = map[string]bool{
	".jar": true, ".war": true, ".ear": true, ".whl": true, ".egg": true, ".so": true, ".dll": true, ".exe": true,
	".deb": true, ".rpm": true, ".apk": true, ".a": true, ".o": true, ".class": true, ".nupkg": true, ".gem": true,
	".wasm": true, ".bin": true,
}

// scriptExts are scripts that repositories commit: one that the image runs
// is not a build output, wherever it lies.
var scriptExts = map[string]bool{".sh": true, ".bash": true, ".py": true, ".rb": true, ".pl": true, ".ps1": true}

// committedNames are extension-less files that repositories commit and
// builds do not create.
var committedNames = map[string]bool{
	"LICENSE": true, "LICENCE": true, "COPYING": true, "NOTICE": true, "README": true, "AUTHORS": true, "VERSION": true,
	"Dockerfile": true, "Makefile": true, "Gemfile": true, "Pipfile": true, "Procfile": true, "Rakefile": true,
	"Containerfile": true, "CODEOWNERS": true, "Brewfile": true, "Justfile": true,
}

// isOutputDir: seg is a directory that the context's build systems write
// into (any usual output directory when the context shows none).
func isOutputDir(bc *workspace.BuildContext, seg string) bool {
	seg = strings.ToLower(seg)
	systems := bc.BuildSystems()
	if len(systems) == 0 {
		return slices.Contains(genericOutputDirs, seg)
	}
	for s := range systems {
		if slices.Contains(outputDirs[s], seg) {
			return true
		}
	}
	return false
}

// looksLikeBuildOutput: the missing source is probably created by a build
// step before `docker build` (see the rule's page).
func looksLikeBuildOutput(ws *workspace.Workspace, df *workspace.Dockerfile, cp *load.Copy, rel string) bool {
	bc := ws.BuildContext(df)
	segs := strings.Split(rel, "/")
	base := segs[len(segs)-1]
	ext := strings.ToLower(path.Ext(base))
	if scriptExts[ext] && runsCopied(df, cp, base) {
		return false // a script the image runs is committed, not built
	}
	for _, seg := range segs[:len(segs)-1] {
		if isOutputDir(bc, seg) {
			return true
		}
	}
	if len(segs) == 1 && isOutputDir(bc, base) && ext == "" {
		return true // the output directory itself
	}
	if buildOutputExts[ext] || strings.HasSuffix(strings.ToLower(base), ".tar.gz") && strings.Contains(base, "dist") {
		return true
	}
	if ext != "" || workspace.IsGlob(base) || committedNames[base] {
		return false
	}
	// An extension-less file: a compiled binary when the image runs it, when
	// it lands in a bin directory, or when the context builds a binary of that name.
	if runsCopied(df, cp, base) || strings.Contains(cp.Dest, "/bin") {
		return true
	}
	if info := bc.Stat("cmd/" + base); info.Exists {
		return true
	}
	return len(bc.BuildSystems()) > 0
}

// runsCopied reports whether an ENTRYPOINT or CMD of the copy's stage (or a
// later one) names the copied file, by its base name or destination.
func runsCopied(df *workspace.Dockerfile, cp *load.Copy, base string) bool {
	dest := cp.Dest
	for _, r := range df.Execs {
		if r.Stage < cp.Stage {
			continue
		}
		for _, w := range r.Words {
			w = strings.Trim(w, `"'`)
			if w == base || path.Base(w) == base || w == dest || strings.HasSuffix(w, "/"+base) {
				return true
			}
		}
	}
	return false
}
