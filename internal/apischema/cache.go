package apischema

import "github.com/k8slint/k8slint/internal/workspace"

// results holds one *Result per workspace, computed once on first use and
// shared by the rules that read it (they run in parallel).
var results = workspace.NewResult(compute)

// Of returns the structure problems of the workspace's built-in objects.
func Of(ws *workspace.Workspace) *Result { return results.Of(ws) }
