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
				case !bc.Known || df.ContextUnknown:
					// The context was not linted (a Dockerfile named alone): existence is unknown.
					sev = diag.Warning
					outcome = "not the machine's " + diag.Excerpt(s.Path) + " (the build context was not linted, so whether it exists is unknown)"
				}
				report(diag.Finding{
					Severity: sev,
					Location: workspace.SourceLocation(df.Path, s),
					Message:  fmt.Sprintf("%s source %q is an absolute path", cp.Command, s.Raw),
					Detail:   fmt.Sprintf("sources resolve inside the build context: it means <context>/%s, %s", diag.Excerpt(rel), outcome),
					Fix:      fmt.Sprintf("write it relative to the context (%s)", suggestRelative(bc, rel, exists)),
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
	ci, rest, isCI := ciWorkspace(rel)
	if isCI && inContext(bc, rest) {
		return fmt.Sprintf("%q, the path after the %s workspace prefix, which exists in the context", rest, ci)
	}
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		tail := strings.Join(parts[i:], "/")
		if inContext(bc, tail) {
			return fmt.Sprintf("%q, which exists in the context", tail)
		}
	}
	if isCI {
		return fmt.Sprintf("%q, the path after the %s workspace prefix, relative to the context", rest, ci)
	}
	if rel == "" {
		return `"."`
	}
	if exists {
		return fmt.Sprintf("%q", rel)
	}
	return fmt.Sprintf("put the file inside the context, e.g. at %q", rel)
}

// ciWorkspaces are the checkout directories of CI systems, as path
// segments ("*" is one segment of any name: the repository, job or project).
var ciWorkspaces = []struct {
	name string
	segs []string
}{
	{"GitHub Actions", []string{"home", "runner", "work", "*", "*"}},
	{"GitHub Actions", []string{"github", "workspace"}},
	{"GitHub Actions", []string{"__w", "*", "*"}},
	{"GitLab CI", []string{"builds", "*", "*"}},
	{"Jenkins", []string{"var", "lib", "jenkins", "workspace", "*"}},
	{"Jenkins", []string{"var", "jenkins_home", "workspace", "*"}},
	{"Cloud Build", []string{"workspace"}},
	{"CircleCI", []string{"home", "circleci", "project"}},
}

// ciWorkspace recognises a source under a CI system's checkout directory
// and returns the system and the path that remains.
func ciWorkspace(rel string) (name, rest string, ok bool) {
	parts := strings.Split(rel, "/")
	for _, w := range ciWorkspaces {
		if len(parts) <= len(w.segs) {
			continue
		}
		match := true
		for i, s := range w.segs {
			if s != "*" && parts[i] != s {
				match = false
				break
			}
		}
		if match {
			return w.name, strings.Join(parts[len(w.segs):], "/"), true
		}
	}
	return "", "", false
}
