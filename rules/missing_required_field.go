package rules

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/apischema"
	"github.com/k8slint/k8slint/internal/crdschema"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
)

// MissingRequiredField reports fields that the API server's validation requires.
var MissingRequiredField = register(&Rule{
	ID:       "missing-required-field",
	Summary:  "A field the API server requires is missing (a container's image, a Deployment's selector, kind...)",
	Severity: diag.Error,
	Check:    checkMissingRequiredField,
})

func checkMissingRequiredField(ws *workspace.Workspace, report Report) {
	// Custom resources, against their CustomResourceDefinition's schema.
	for _, f := range crdschema.Findings(ws, crdschema.MissingField) {
		report(f)
	}
	for _, p := range apischema.Of(ws).Of(apischema.MissingField) {
		o := p.Object
		f := diag.Finding{Location: workspace.NodeLocation(o.File, p.Node)}
		if p.Object.Kind == "" || p.Object.APIVersion == "" { // a document without kind or apiVersion
			f.Message = fmt.Sprintf("%s: Required value", p.Field)
			f.Detail = fmt.Sprintf("kubectl cannot tell what the document is and fails: error validating data: %s not set", p.Field)
			f.Fix = fmt.Sprintf("add %s:", p.Field)
			if p.Suggest != "" {
				f.Fix = fmt.Sprintf("did you mean %s? Write %s: instead of %s:", p.Field, p.Field, p.Suggest)
			}
			report(f)
			continue
		}
		reason := ""
		if p.Reason != "" {
			reason = ": " + p.Reason
		}
		f.Message = fmt.Sprintf("%s: Required value%s", p.Short, reason)
		f.Detail = fmt.Sprintf("the API server rejects the object: %s: %s: Required value%s%s", apischema.InvalidPrefix(o), p.Path, reason, p.ItemNames())
		switch len(p.APIErrors) {
		case 0:
		case 1: // an absent struct: the API server names what it lacks
			f.Detail = fmt.Sprintf("the API server rejects the object: %s: %s%s", apischema.InvalidPrefix(o), p.APIErrors[0], p.ItemNames())
		default: // one cause, several errors, as kubectl prints them
			f.Detail = fmt.Sprintf("the API server rejects the object: %s: [%s]%s", apischema.InvalidPrefix(o), strings.Join(p.APIErrors, ", "), p.ItemNames())
		}
		holder := strings.TrimSuffix(strings.TrimSuffix(p.Short, p.Field), ".")
		switch {
		case len(p.OneOf) > 0:
			f.Fix = fmt.Sprintf("set one of %s under %s", strings.Join(p.OneOf[:min(len(p.OneOf), 6)], ", "), p.Short)
			if len(p.OneOf) > 6 {
				f.Fix += ", ..."
			}
		case holder == "":
			f.Fix = fmt.Sprintf("add %s:", p.Field)
		default:
			f.Fix = fmt.Sprintf("add %s: under %s", p.Field, holder)
		}
		if p.Fix != "" {
			f.Fix = p.Fix
		}
		report(f)
	}
}
