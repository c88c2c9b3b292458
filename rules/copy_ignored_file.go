package rules

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
)

// CopyIgnoredFile reports COPY/ADD sources that the build context's ignore file excludes.
var CopyIgnoredFile = register(&Rule{
	ID:            "copy-ignored-file",
	Summary:       "A COPY or ADD source is excluded from the build context by .dockerignore",
	Severity:      diag.Error,
	BuildKitCheck: "CopyIgnoredFile",
	Check:         checkCopyIgnoredFile,
})

func checkCopyIgnoredFile(ws *workspace.Workspace, report Report) {
	for _, df := range ws.Dockerfiles {
		if df.Ignore == nil || df.ContextUnknown {
			continue
		}
		bc := ws.BuildContext(df)
		if bc.Invalid || !bc.Known {
			continue
		}
		for _, cp := range df.Copies {
			if cp.From != "" {
				continue
			}
			for _, s := range cp.DistinctSources() {
				if !s.Resolved || s.Remote || s.Path == "" {
					continue
				}
				checkIgnoredSource(df, bc, cp, s, report)
			}
		}
	}
}

func checkIgnoredSource(df *workspace.Dockerfile, bc *workspace.BuildContext, cp *load.Copy, s *load.Source, report Report) {
	rel := workspace.Rel(s.Path)
	ignoreName := filepath.Base(bc.Ignore.Path)
	quoted := workspace.QuoteSource(s)
	if workspace.IsGlob(rel) {
		if bc.GlobMayBeHidden(rel) {
			return
		}
		matches := bc.Glob(rel)
		if len(matches) == 0 {
			return // copy-source-missing
		}
		var pats []*load.IgnorePattern
		for _, m := range matches {
			info := bc.Stat(m)
			if info.Sent || info.Hidden {
				return
			}
			pats = append(pats, info.Pattern)
		}
		p := firstPattern(pats)
		report(diag.Finding{
			Location: workspace.SourceLocation(df.Path, s),
			Message:  fmt.Sprintf("%s source %s matches only paths that %s excludes", cp.Command, quoted, ignoreName),
			Detail: fmt.Sprintf("%s excludes them%s, so BuildKit sends none of them and the build fails: the wildcard matches nothing in the build context",
				patternPhrase(p), listSome(matches)),
			Fix:     fmt.Sprintf("re-include them with %s, or narrow the pattern", fixPhrase(bc, p, matches, "!"+rel)),
			Related: ignoreRelated(df, bc, pats, "excludes "+rel),
		})
		return
	}
	info := bc.Stat(rel)
	if info.Hidden {
		return
	}
	if !info.Exists {
		// Not in the tree (a build step creates it): only the patterns decide.
		// An absolute source that is not there is copy-absolute-source's.
		if ex, p := bc.Exclusion(rel); ex && !strings.HasPrefix(s.Path, "/") {
			report(diag.Finding{
				Location: workspace.SourceLocation(df.Path, s),
				Message:  fmt.Sprintf("%s source %s is excluded from the build context by %s", cp.Command, quoted, ignoreName),
				Detail: fmt.Sprintf("%s matches it, so BuildKit never sends it and the build fails with \"/%s\": not found; the file is not in the tree (a build step must create it), and %s keeps it out even then",
					patternPhrase(p), rel, ignoreName),
				Fix:     fmt.Sprintf("re-include it with %s, or narrow the pattern", fixPhrase(bc, p, []string{rel}, "!"+rel)),
				Related: ignoreRelated(df, bc, []*load.IgnorePattern{p}, "excludes "+rel),
			})
		}
		return
	}
	what := rel
	if rel == "" {
		what = "."
	}
	switch {
	case !info.Sent && !info.IsDir:
		report(diag.Finding{
			Location: workspace.SourceLocation(df.Path, s),
			Message:  fmt.Sprintf("%s source %s is excluded from the build context by %s", cp.Command, quoted, ignoreName),
			Detail:   fmt.Sprintf("%s matches it, so BuildKit never sends it and the build fails with \"/%s\": not found", patternPhrase(info.Pattern), rel),
			Fix:      fmt.Sprintf("re-include it with %s, or narrow the pattern", fixPhrase(bc, info.Pattern, []string{rel}, "!"+rel)),
			Related:  ignoreRelated(df, bc, []*load.IgnorePattern{info.Pattern}, "excludes "+what),
		})
	case !info.Sent:
		report(diag.Finding{
			Location: workspace.SourceLocation(df.Path, s),
			Message:  fmt.Sprintf("%s source %s is a directory that %s excludes together with everything in it", cp.Command, quoted, ignoreName),
			Detail: fmt.Sprintf("%s matches it and its %s, so BuildKit never sends it and the build fails with \"/%s\": not found",
				patternPhrase(info.Pattern), workspace.Plural(int64(info.Files), "file", "files"), rel),
			Fix:     fmt.Sprintf("re-include it with %s, or narrow the pattern", fixPhrase(bc, info.Pattern, []string{rel}, "!"+rel, "!"+rel+"/**")),
			Related: ignoreRelated(df, bc, []*load.IgnorePattern{info.Pattern}, "excludes "+what),
		})
	case info.IsDir && info.Files > 0 && info.SentFiles == 0:
		pats := filePatterns(bc, rel)
		fix := fmt.Sprintf("\"!\" lines in %s", ignoreName)
		if rel != "" {
			fix = fixPhrase(bc, firstPattern(pats), []string{rel}, "!"+rel, "!"+rel+"/**")
		}
		report(diag.Finding{
			Severity: diag.Warning,
			Location: workspace.SourceLocation(df.Path, s),
			Message:  fmt.Sprintf("%s source %s copies no files: %s excludes all %s under it", cp.Command, quoted, ignoreName, workspace.Plural(int64(info.Files), "file", "files")),
			Detail:   fmt.Sprintf("%s matches them, so the build succeeds but the image lacks them", patternPhrase(firstPattern(pats))),
			Fix:      "re-include what the image needs with " + fix,
			Related:  ignoreRelated(df, bc, pats, "excludes files under "+what),
		})
	}
}

// filePatterns returns the distinct patterns that exclude the files under
// rel, the most frequent first.
func filePatterns(bc *workspace.BuildContext, rel string) []*load.IgnorePattern {
	count := map[*load.IgnorePattern]int{}
	var order []*load.IgnorePattern
	for _, r := range bc.FilesUnder(rel) {
		p := bc.Stat(r).Pattern
		if p == nil {
			continue
		}
		if count[p] == 0 {
			order = append(order, p)
		}
		count[p]++
	}
	sort.SliceStable(order, func(i, j int) bool { return count[order[i]] > count[order[j]] })
	return order
}

func firstPattern(ps []*load.IgnorePattern) *load.IgnorePattern {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

func patternPhrase(p *load.IgnorePattern) string {
	if p == nil {
		return "a pattern"
	}
	return fmt.Sprintf("pattern %q on line %d", p.Raw, p.Line)
}

// fixPhrase proposes the first candidate exception line that works, checked:
// inserted after the deciding pattern, else at the end of the file, it must
// make every path of paths sent with all its files.
func fixPhrase(bc *workspace.BuildContext, p *load.IgnorePattern, paths []string, candidates ...string) string {
	for _, line := range candidates {
		if s := fixAt(bc, p, paths, line); s != "" {
			return s
		}
	}
	return "a \"!\" exception line"
}

func fixAt(bc *workspace.BuildContext, p *load.IgnorePattern, paths []string, line string) string {
	works := func(after int) bool { return bc.FixWorks(after, line, paths) }
	if p != nil {
		if idx := bc.PatternIndex(p); idx >= 0 && works(idx) {
			return fmt.Sprintf("the line %q after line %d of %s", line, p.Line, filepath.Base(bc.Ignore.Path))
		}
	}
	if works(len(bc.Ignore.Patterns)) {
		return fmt.Sprintf("the line %q at the end of %s", line, filepath.Base(bc.Ignore.Path))
	}
	return ""
}

func ignoreRelated(df *workspace.Dockerfile, bc *workspace.BuildContext, pats []*load.IgnorePattern, msg string) []diag.Location {
	var out []diag.Location
	seen := map[*load.IgnorePattern]bool{}
	for _, p := range pats {
		if p == nil || seen[p] || len(out) == 3 {
			continue
		}
		seen[p] = true
		out = append(out, diag.Location{
			File: bc.Ignore.Path, Line: p.Line, Column: 1, EndLine: p.Line, EndColumn: 1 + len([]rune(p.Raw)),
			Message: fmt.Sprintf("pattern %q %s", p.Raw, msg),
		})
	}
	if df.ContextFrom != nil {
		l := *df.ContextFrom
		l.Message = "the build context, set by this compose file"
		out = append(out, l)
	}
	return out
}

func listSome(paths []string) string {
	const max = 3
	s := paths
	if len(s) > max {
		s = s[:max]
	}
	out := "; it matches " + strings.Join(s, ", ")
	if len(paths) > max {
		out += fmt.Sprintf(" and %d more", len(paths)-max)
	}
	return out
}
