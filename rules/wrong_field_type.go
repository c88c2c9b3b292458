package rules

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/apischema"
	"github.com/k8slint/k8slint/internal/crdschema"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// WrongFieldType reports values of the wrong JSON type for their field.
var WrongFieldType = register(&Rule{
	ID:       "wrong-field-type",
	Summary:  "A value of the wrong JSON type for its field (a string for a number, a mapping for a list...)",
	Severity: diag.Error,
	Check:    checkWrongFieldType,
})

func checkWrongFieldType(ws *workspace.Workspace, report Report) {
	// Custom resources, against their CustomResourceDefinition's schema.
	for _, f := range crdschema.Findings(ws, crdschema.WrongType) {
		report(f)
	}
	for _, p := range apischema.Of(ws).Of(apischema.WrongType) {
		o := p.Object
		want := p.Type.Name()
		if k := p.Type.Kind(); k == apischema.KTime || k == apischema.KDuration {
			want = "string"
		}
		if p.Type.Kind() == apischema.KIntOrString || p.Type.Kind() == apischema.KQuantity {
			want = "an integer or a string"
		}
		written := ""
		if p.Value.Kind() == yamlx.Scalar {
			got, _, _ := strings.Cut(p.Got, " ")
			written = fmt.Sprintf(" (%s is a %s)", writtenAs(p.Value), got)
		}
		report(diag.Finding{
			Location: workspace.NodeLocation(o.File, p.Node),
			Message:  fmt.Sprintf("%s: cannot unmarshal %s into %s", p.Short, p.Got, want),
			Detail: fmt.Sprintf("kubectl reads YAML as YAML 1.1 and sends JSON%s; the API server rejects the object: %s: %s%s",
				written, apischema.DecodePrefix(o), p.DecoderError(), p.ItemNames()),
			Fix: typeFix(p),
		})
	}
}

func writtenAs(n *yamlx.Node) string {
	if n.Style() == yamlx.DoubleQuoted || n.Style() == yamlx.SingleQuoted {
		return quoteLike(n)
	}
	if t := n.Tag(); t != "" {
		return t + " " + n.Value()
	}
	return n.Value()
}

func typeFix(p apischema.Problem) string {
	key := p.Key
	n := p.Value
	lead := key + ": "
	if key == "" {
		key, lead = "the item", ""
	}
	switch p.Type.Kind() {
	case apischema.KString, apischema.KBytes, apischema.KTime, apischema.KDuration:
		if n.Kind() == yamlx.Scalar {
			return fmt.Sprintf("quote it: %s%s", lead, quoteValue(n.Value()))
		}
		return fmt.Sprintf("write a string for %s", key)
	case apischema.KQuantity:
		return fmt.Sprintf("write a quantity for %s, such as 500m or 1Gi", key)
	case apischema.KInt, apischema.KFloat, apischema.KIntOrString:
		if n.Kind() == yamlx.Scalar && p.Got == "string" && isNumber(n.Value()) {
			return fmt.Sprintf("write the number without quotes: %s%s", lead, n.Value())
		}
		if strings.HasPrefix(p.Got, "number ") {
			return fmt.Sprintf("write a whole number in the range of %s", p.Type.Name())
		}
		return fmt.Sprintf("write a number for %s", key)
	case apischema.KBool:
		if n.Kind() == yamlx.Scalar && (strings.EqualFold(n.Value(), "true") || strings.EqualFold(n.Value(), "false")) {
			return fmt.Sprintf("write the boolean without quotes: %s%s", lead, strings.ToLower(n.Value()))
		}
		return fmt.Sprintf("write true or false for %s", key)
	case apischema.KList:
		return fmt.Sprintf("write %s as a list (items start with `- `)", key)
	case apischema.KStruct, apischema.KMap:
		if n.Kind() == yamlx.Sequence {
			return fmt.Sprintf("write %s as a mapping, not a list: drop the `- `", key)
		}
		return fmt.Sprintf("write %s as a mapping (`key: value` lines under it)", key)
	}
	return fmt.Sprintf("write a %s for %s", p.Type.Name(), key)
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if (c < '0' || c > '9') && (c != '-' || i != 0) {
			return false
		}
	}
	return true
}
