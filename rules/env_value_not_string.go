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
var EnvValueNotString = &Rule{
	ID:       "env-value-not-string",
	Summary:  "An env value is a YAML number or boolean, which the API server rejects",
	Severity: diag.Error,
	Doc: `` + "`env[].value`" + ` must be a string. kubectl reads YAML with sigs.k8s.io/yaml, a YAML 1.1 resolver,
converts it to JSON and sends that: an unquoted ` + "`True`" + `, ` + "`yes`" + `, ` + "`on`" + `, ` + "`8004`" + `, ` + "`0x1F`" + `, ` + "`1_000`" + `
or ` + "`1e3`" + ` becomes a JSON boolean or number, and the API server rejects the whole manifest:

    json: cannot unmarshal bool into Go struct field EnvVar.spec.template.spec.containers.env.value of type string

` + "`.inf`" + `, ` + "`-.inf`" + ` and ` + "`.nan`" + ` make kubectl itself fail before sending. Dates, ` + "`12:30`" + `, ` + "`null`" + `, quoted values,
block scalars and ` + "`!!str`" + `-tagged values are strings and are fine. The rule decides exactly as kubectl
does, for containers, init containers and ephemeral containers of every pod template (Pod,
Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate),
in YAML and JSON manifests.

This is the seed article's pitfall: ` + "`C_FORCE_ROOT: True`" + ` for a Celery worker.

## Bad

` + "```yaml" + `
env:
- name: C_FORCE_ROOT
  value: True
- name: PORT
  value: 8004
` + "```" + `

## Good

` + "```yaml" + `
env:
- name: C_FORCE_ROOT
  value: "True"
- name: PORT
  value: "8004"
` + "```" + `

## Fix

Quote the value exactly as written (` + "`\"0x1F\"`" + `, not ` + "`\"31\"`" + `): the container sees the quoted text.`,
	Check: checkEnvValueNotString,
}

func checkEnvValueNotString(ws *workspace.Workspace, report Report) {
	ws.EachContainer(func(c workspace.Container) {
		for i, e := range c.Node.Get("env").Items() {
			v := e.Get("value")
			if v == nil || v.Kind != yamlx.Scalar {
				continue
			}
			t := yamlx.Resolve(v)
			if t == yamlx.TypeString || t == yamlx.TypeNull {
				continue
			}
			o := c.Template.Object
			name := e.Get("name").Str()
			path := fmt.Sprintf("%s.env[%d].value", c.Path(), i)
			report(diag.Finding{
				Location: nodeLocation(o.File, v),
				Message:  envMessage(o.File, name, v, t, path),
			})
		}
	})
}

func envMessage(file, name string, v *yamlx.Node, t yamlx.Type, path string) string {
	written := v.Value
	if v.Tag() != "" {
		written = v.Tag() + " " + quoteLike(v)
	}
	fix := quoteValue(v.Value)
	if strings.HasSuffix(strings.ToLower(file), ".json") {
		fix = `"value": ` + strconv.Quote(v.Value)
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
	return fmt.Sprintf("%s %s is not a string: %s; quote it: %s (%s)", label, written, why, fix, path)
}

func jsonKind(t yamlx.Type) string {
	if t == yamlx.TypeBool {
		return "bool"
	}
	return "number"
}

func quoteLike(v *yamlx.Node) string {
	switch v.Style {
	case yamlx.DoubleQuoted:
		return strconv.Quote(v.Value)
	case yamlx.SingleQuoted:
		return "'" + strings.ReplaceAll(v.Value, "'", "''") + "'"
	}
	return v.Value
}

// quoteValue writes a YAML string literal for s: double quotes unless s
// needs escaping, then single quotes.
func quoteValue(s string) string {
	if strings.ContainsAny(s, "\"\\") {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return `"` + s + `"`
}

// nodeLocation is the location of a YAML node in file.
func nodeLocation(file string, n *yamlx.Node) diag.Location {
	return diag.Location{File: file, Line: int(n.Line), Column: int(n.Column), EndLine: int(n.EndLine), EndColumn: int(n.EndColumn)}
}
