package rules

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
)

// CopyAbsoluteSource reports COPY/ADD sources written as absolute paths.
var CopyAbsoluteSource = register(&Rule{
	ID:       "copy-absolute-source",
	Summary:  "A COPY or ADD source is an absolute path; sources resolve inside the build context",
	Severity: diag.Error,
	Check:    checkCopyAbsoluteSource,
})

func checkCopyAbsoluteSource(ws *workspace.Workspace, report Report) {
	for _, df := range ws.Dockerfiles {
		var bc *workspace.BuildContext // the Dockerfile's context, looked up once
		for _, cp := range df.Copies {
			if cp.From != "" {
				continue
			}
			for _, s := range cp.DistinctSources() {
				if !s.Resolved || s.Remote || !strings.HasPrefix(s.Path, "/") {
					continue
				}
				if bc == nil {
					bc = ws.BuildContext(df)
				}
				rel := strings.TrimPrefix(path.Clean(s.Path), "/")
				exists := rel == "" || inContext(bc, rel)
				sev := diag.Error
				outcome := "which does not exist there, so the build fails with \"no such file or directory\""
				switch {
				case exists:
					sev = diag.Warning
					outcome = "which exists, so the build works, but the absolute path misleads every reader"
				case !bc.Known:
					// The context was not linted (a Dockerfile named alone): existence is unknown.
					sev = diag.Warning
					outcome = "not the machine's " + s.Path + " (the build context was not linted, so whether it exists is unknown)"
				}
				report(diag.Finding{
					Severity: sev,
					Location: workspace.SourceLocation(df.Path, s),
					Message: fmt.Sprintf("%s source %q is an absolute path, but sources resolve inside the build context: it means <context>/%s, %s; write it relative to the context (%s)",
						cp.Command, s.Raw, rel, outcome, suggestRelative(bc, rel, exists)),
				})
			}
		}
	}
}

// inContext reports whether rel (a path or a wildcard) names a file or a
// non-empty directory of the build context, as BuildContext resolves it.
func inContext(bc *workspace.BuildContext, rel string) bool {
	if workspace.IsGlob(rel) {
		return len(bc.Glob(rel)) > 0
	}
	return bc.Stat(rel).Exists
}

// suggestRelative proposes the context-relative path that the absolute
// source most likely meant: the longest tail of it that exists in the context.
func suggestRelative(bc *workspace.BuildContext, rel string, exists bool) string {
	ctxSlash := strings.TrimPrefix(filepath.ToSlash(bc.Dir), "/")
	if strings.HasPrefix(rel, ctxSlash+"/") {
		return fmt.Sprintf("%q", strings.TrimPrefix(rel, ctxSlash+"/"))
	}
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		tail := strings.Join(parts[i:], "/")
		if inContext(bc, tail) {
			return fmt.Sprintf("%q, which exists in the context", tail)
		}
	}
	if rel == "" {
		return `"."`
	}
	if exists {
		return fmt.Sprintf("%q", rel)
	}
	return fmt.Sprintf("put the file inside the context, e.g. at %q", rel)
}
