package workspace

// Focus: when k8slint is given files (a pre-commit hook names the staged
// ones), the engine still loads the whole project, since cross-file
// findings need the neighbours, but it keeps only the findings whose file or
// a related location is a named file. The per-object models (the API schema
// walk, the API-validation checks), whose problems of an object depend on
// that object alone and sit in its own file, then need not look at the
// objects of the other files: they ask Focused.

// SetFocus restricts the per-object models to the objects of the files for
// which focus returns true; nil (the default) means every file.
func (b *Builder) SetFocus(focus func(path string) bool) { b.ws.focus = focus }

// Focused reports whether the per-object models look at the objects of
// the file path: true unless the engine set a focus that excludes it.
func (ws *Workspace) Focused(path string) bool { return ws.focus == nil || ws.focus(path) }
