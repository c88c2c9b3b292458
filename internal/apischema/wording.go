package apischema

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/workspace"
)

// The API server's wording that the structure rules (unknown-field,
// wrong-field-type, missing-required-field) share.

// DecodePrefix is what the API server says before a decoding error:
// `Deployment in version "v1" cannot be handled as a Deployment`.
func DecodePrefix(o *workspace.Object) string {
	return fmt.Sprintf("%s in version %q cannot be handled as a %s", o.Kind, o.Version(), o.Kind)
}

// InvalidPrefix is what the API server says before validation errors:
// `The Deployment "web" is invalid`.
func InvalidPrefix(o *workspace.Object) string {
	name := o.Name
	if name == "" {
		name = o.Root.Path("metadata", "generateName").Str()
	}
	return fmt.Sprintf("The %s %q is invalid", o.Kind, name)
}

// ItemNames is " (containers[0] is "web")", or "".
func (p Problem) ItemNames() string {
	if len(p.Items) == 0 {
		return ""
	}
	return " (" + strings.Join(p.Items, ", ") + ")"
}

// ExplainPath is the `kubectl explain` argument for the struct at a field
// path: "deployment.spec.template.spec.containers".
func ExplainPath(o *workspace.Object, path string) string {
	path = strings.TrimPrefix(path, o.Path)
	path = strings.TrimPrefix(path, ".")
	var b strings.Builder
	b.WriteString(strings.ToLower(o.Kind))
	depth := 0
	for _, seg := range strings.FieldsFunc(path, func(r rune) bool { return r == '.' }) {
		if i := strings.IndexByte(seg, '['); i >= 0 {
			seg = seg[:i]
		}
		if seg != "" {
			b.WriteByte('.')
			b.WriteString(seg)
			depth++
		}
	}
	return b.String()
}
