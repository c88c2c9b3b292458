package crdschema

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
)

// Findings are the findings of one kind, ready to report.
func Findings(ws *workspace.Workspace, k Kind) []diag.Finding {
	var out []diag.Finding
	for _, p := range Of(ws).Of(k) {
		out = append(out, p.Finding())
	}
	return out
}

// Finding words a problem.
func (p *Problem) Finding() diag.Finding {
	o := p.Object
	what := fmt.Sprintf("the %s %q", o.Kind, o.Name)
	src := "its CustomResourceDefinition"
	if name := p.CRD.Get("metadata").Get("name").Str(); name != "" {
		src = fmt.Sprintf("CustomResourceDefinition %s", name)
	}
	f := diag.Finding{Location: workspace.NodeLocation(o.File, p.Node)}
	if p.CRDFile != "" {
		l := workspace.NodeLocation(p.CRDFile, p.CRD)
		l.Message = src + " gives the schema"
		f.Related = []diag.Location{l}
	}
	msg := strings.TrimPrefix(p.Msg, ".")
	switch p.Kind {
	case UnknownField:
		field := p.Path[strings.LastIndexAny(p.Path, ".]")+1:]
		f.Message = fmt.Sprintf("%s: unknown field", p.Path)
		f.Detail = fmt.Sprintf("the schema of %s (version %s) declares no field %q here, so kubectl apply fails (strict field validation is its default): %s: .%s: field not declared in schema; without strict validation the API server silently drops it",
			src, o.Version(), field, invalid(o, what), p.Path)
		f.Fix = fmt.Sprintf("remove %s, or fix its spelling; `kubectl explain %s` lists the fields once the CRD is installed", field, explain(o, parentPath(p.Path)))
		if p.Suggest != "" {
			f.Fix = fmt.Sprintf("did you mean %q?", p.Suggest)
		}
	case WrongType:
		f.Message = headline(msg)
		f.Detail = fmt.Sprintf("kubectl reads YAML as YAML 1.1 and sends JSON; the API server checks it against the schema of %s and rejects the object: %s: %s: Invalid value: %s", src, invalid(o, what), p.Path, msg)
		f.Fix = "write a value of the type the schema gives (quote a string, unquote a number or a boolean)"
	case MissingField:
		f.Message = fmt.Sprintf("%s: Required value", p.Path)
		f.Detail = fmt.Sprintf("the schema of %s requires it, so the API server rejects the object: %s: %s: Required value", src, invalid(o, what), p.Path)
		field := p.Path[strings.LastIndexByte(p.Path, '.')+1:]
		f.Fix = fmt.Sprintf("add %s:", field)
		if i := strings.LastIndexByte(p.Path, '.'); i > 0 {
			f.Fix += " under " + p.Path[:i]
		}
	case InvalidValue:
		f.Message = headline(msg)
		f.Detail = fmt.Sprintf("the schema of %s does not allow it, so the API server rejects the object: %s: %s: Invalid value: %s", src, invalid(o, what), p.Path, msg)
		f.Fix = "write a value that the schema allows (`kubectl explain " + explain(o, p.Path) + "` describes it)"
	}
	return f
}

func invalid(o *workspace.Object, _ string) string {
	return fmt.Sprintf("The %s %q is invalid", o.Kind, o.Name)
}

func explain(o *workspace.Object, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(o.Kind))
	if path == "" {
		return b.String()
	}
	for _, seg := range strings.Split(path, ".") {
		if i := strings.IndexByte(seg, '['); i >= 0 {
			seg = seg[:i]
		}
		b.WriteString("." + seg)
	}
	return b.String()
}

func headline(s string) string {
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}

// parentPath is the path of the object that holds the last field of path.
func parentPath(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}
