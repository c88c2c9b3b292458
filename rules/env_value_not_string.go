package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// EnvValueNotString reports env values that kubectl does not send as strings.
var EnvValueNotString = register(&Rule{
	ID:       "env-value-not-string",
	Summary:  "An env value is a YAML number or boolean, which the API server rejects",
	Severity: diag.Error,
	Check:    checkEnvValueNotString,
})

func checkEnvValueNotString(ws *workspace.Workspace, report Report) {
	ws.EachContainer(func(c workspace.Container) {
		for i, e := range c.Node.Get("env").Items() {
			v := e.Get("value")
			if v == nil || v.Kind() != yamlx.Scalar {
				continue
			}
			t := yamlx.Resolve(v)
			if t == yamlx.TypeString || t == yamlx.TypeNull {
				continue
			}
			o := c.Template.Object
			name := e.Get("name").Str()
			path := fmt.Sprintf("%s.env[%d].value", c.Path(), i)
			head, detail, fix := envMessage(o.File, name, v, t, path)
			report(diag.Finding{
				Location: workspace.NodeLocation(o.File, v),
				Message:  head,
				Detail:   detail,
				Fix:      fix,
			})
		}
	})
}

// envMessage is the headline, the detail and the fix of a finding.
func envMessage(file, name string, v *yamlx.Node, t yamlx.Type, path string) (head, detail, fix string) {
	written := v.Value()
	if v.Tag() != "" {
		written = v.Tag() + " " + quoteLike(v)
	}
	fix = quoteValue(v.Value())
	if strings.HasSuffix(strings.ToLower(file), ".json") {
		fix = `"value": ` + strconv.Quote(v.Value())
	} else {
		fix = "value: " + fix
	}
	var why string
	switch t {
	case yamlx.TypeNonFinite:
		why = "kubectl reads it as a non-finite number and fails before sending (json: unsupported value)"
	case yamlx.TypeInvalid:
		why = fmt.Sprintf("its tag %s does not fit the value, so kubectl fails to decode the manifest", v.Tag())
	default:
		why = fmt.Sprintf("kubectl reads it as a YAML 1.1 %s and sends a JSON %s, so the API server rejects the manifest (cannot unmarshal %s into EnvVar.value of type string)", t, t, jsonKind(t))
	}
	label := "env value"
	if name != "" {
		label = fmt.Sprintf("env %q value", name)
	}
	return fmt.Sprintf("%s %s is not a string", label, clip(written, 60)),
		fmt.Sprintf("%s (%s)", why, path), "quote it: " + fix
}

func jsonKind(t yamlx.Type) string {
	if t == yamlx.TypeBool {
		return "bool"
	}
	return "number"
}

func quoteLike(v *yamlx.Node) string {
	switch v.Style() {
	case yamlx.DoubleQuoted:
		return strconv.Quote(v.Value())
	case yamlx.SingleQuoted:
		return "'" + strings.ReplaceAll(v.Value(), "'", "''") + "'"
	}
	return v.Value()
}

// quoteValue writes a YAML string literal for s: double quotes unless s
// needs escaping, then single quotes.
func quoteValue(s string) string {
	if strings.ContainsAny(s, "\"\\") {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return `"` + s + `"`
}
