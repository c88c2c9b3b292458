package rules

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/apischema"
	"github.com/k8slint/k8slint/internal/crdschema"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
)

// UnknownField reports fields that the object's type does not have.
var UnknownField = register(&Rule{
	ID:       "unknown-field",
	Summary:  "A field the Kubernetes type does not have, which strict field validation rejects",
	Severity: diag.Error,
	Check:    checkUnknownField,
})

func checkUnknownField(ws *workspace.Workspace, report Report) {
	// Custom resources, against their CustomResourceDefinition's schema.
	for _, f := range crdschema.Findings(ws, crdschema.UnknownField) {
		report(f)
	}
	for _, p := range apischema.Of(ws).Of(apischema.UnknownField) {
		o := p.Object
		parent := strings.TrimSuffix(strings.TrimSuffix(p.Path, p.Field), ".")
		f := diag.Finding{
			Location: workspace.NodeLocation(o.File, p.Node),
			Message:  fmt.Sprintf("%s: unknown field", p.Short),
			Detail: fmt.Sprintf("%s has no field %q, so kubectl apply fails (strict field validation is its default): %s: strict decoding error: unknown field %q%s",
				p.Struct.Name(), p.Field, apischema.DecodePrefix(o), p.Path, p.ItemNames()),
		}
		if len(p.Then) > 0 {
			// What the same mistake costs past strict field validation,
			// as kubectl prints one error or several.
			then := p.Then[0]
			if len(p.Then) > 1 {
				then = "[" + strings.Join(p.Then, ", ") + "]"
			}
			f.Detail += fmt.Sprintf("; without strict field validation (kubectl apply --validate=false) the field is dropped and the API server reports instead: %s: %s",
				apischema.InvalidPrefix(o), then)
		}
		switch {
		case p.Suggest != "" && p.Belongs != "":
			f.Fix = fmt.Sprintf("did you mean %q? A field %q exists in %s", p.Suggest, p.Field, p.Belongs)
		case p.Suggest != "":
			f.Fix = fmt.Sprintf("did you mean %q?", p.Suggest)
		case p.Belongs != "":
			f.Fix = fmt.Sprintf("%q belongs in %s: move it there", p.Field, p.Belongs)
		default:
			f.Fix = fmt.Sprintf("remove it; `kubectl explain %s` lists the fields", apischema.ExplainPath(o, parent))
		}
		report(f)
	}
}
