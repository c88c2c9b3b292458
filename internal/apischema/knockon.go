package apischema

import (
	"encoding/json"
	"strings"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// Knock-on errors: the API server often reports one cause twice (a
// Deployment without selector: spec.selector is Required, and the template's
// labels do not match the absent selector), or reports what an absent
// struct lacks rather than the struct (a Pod without spec:
// spec.containers: Required value). k8slint reports the cause once; the
// finding's detail quotes what the API server says (Problem.APIErrors), and
// an unknown field that stands for a required one says what the API server
// reports once strict field validation no longer stops it (Problem.Then).

// selectorKinds are the apps/v1 kinds whose validation requires a selector
// that matches the template's labels.
var selectorKinds = map[string]bool{"Deployment": true, "ReplicaSet": true, "StatefulSet": true}

// absentErrors is what the API server's validation reports for the
// required field `field` of struct t when it is absent, at the field path
// path: for a struct the validation descends into, the requirements of its
// zero value (recursively); otherwise `path: Required value[: reason]`.
func (w *walker) absentErrors(t Type, field, reason, path string, depth int) []string {
	ft, ok := t.Field(field)
	if ok && ft.Kind() == KStruct && depth < 6 {
		if rs := w.reqs[ft]; rs != nil {
			var out []string
			for _, r := range rs {
				if r.when != nil && !r.when(nil) {
					continue
				}
				if r.oneOf != nil {
					out = append(out, requiredText(path, r.reason))
					continue
				}
				out = append(out, w.absentErrors(ft, r.field, r.reason, path+"."+r.field, depth+1)...)
			}
			out = append(out, w.kindAbsent(ft, path, nil)...)
			return out
		}
	}
	if body, ok := absentBody[t.ID()+"."+field]; ok {
		return []string{path + ": " + body}
	}
	return []string{requiredText(path, reason)}
}

// absentBody is the API server's error for an absent field that it does
// not call Required: it validates the zero value.
var absentBody = map[string]string{
	"core/v1.TopologySpreadConstraint.maxSkew":           "Invalid value: 0: must be greater than zero",
	"core/v1.TopologySpreadConstraint.whenUnsatisfiable": `Unsupported value: "": supported values: "DoNotSchedule", "ScheduleAnyway"`,
}

// kindAbsent adds the kind's own knock-ons for struct t at path (n is the
// struct's mapping, nil when absent): a Job's pod spec without
// restartPolicy, an apps/v1 spec without selector.
func (w *walker) kindAbsent(t Type, path string, n *yamlx.Node) []string {
	switch t.ID() {
	case "core/v1.PodSpec":
		if k := w.obj.Kind; (k == "Job" || k == "CronJob") && n == nil {
			return []string{requiredText(path+".restartPolicy", `valid values: "OnFailure", "Never"`)}
		}
	case "apps/v1.DeploymentSpec", "apps/v1.ReplicaSetSpec", "apps/v1.StatefulSetSpec":
		if n == nil && selectorKinds[w.obj.Kind] {
			return []string{labelsMismatch(path, nil)}
		}
	}
	return nil
}

// labelsMismatch is the error of a template's labels that the selector
// does not select.
func labelsMismatch(specPath string, labels *yamlx.Node) string {
	value := "null"
	if labels != nil && labels.Kind() == yamlx.Mapping {
		m := map[string]string{}
		labels.Pairs(func(k, v *yamlx.Node) { m[k.Value()] = v.Value() })
		if b, err := json.Marshal(m); err == nil {
			value = string(b)
		}
	}
	return specPath + ".template.metadata.labels: Invalid value: " + value + ": `selector` does not match template `labels`"
}

func requiredText(path, reason string) string {
	if reason != "" {
		return path + ": Required value: " + reason
	}
	return path + ": Required value"
}

// thenOfMisspelt records on the unknown-field problem of key k (reported
// while walking the struct, before its requirements) what the API server
// reports for the required field it stands for.
func (w *walker) thenOfMisspelt(k *yamlx.Node, errs []string) {
	ps := *w.out
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].Kind == UnknownField && ps[i].Node == k {
			ps[i].Then = append(ps[i].Then, errs...)
			return
		}
	}
}

// emptySelectorThen: unknown keys of a workload's spec.selector (labels
// written directly under selector) are dropped without strict validation,
// and the selector left is empty.
func (w *walker) emptySelectorThen(p *Problem, t Type) {
	if t.ID() != "meta/v1.LabelSelector" || p.Path != "spec.selector."+p.Field {
		return
	}
	kind := strings.ToLower(w.obj.Kind)
	switch w.obj.Kind {
	case "ReplicaSet":
		kind = "deployment" // apps validation says deployment for both
	case "Deployment", "StatefulSet", "DaemonSet":
	default:
		return
	}
	sel := w.obj.Root.Path("spec", "selector")
	if set(sel.Get("matchLabels")) || set(sel.Get("matchExpressions")) {
		return
	}
	// Once per selector: on its first unknown key.
	if sel == nil || sel.Kind() != yamlx.Mapping || sel.Len() == 0 || sel.At(0).Value() != p.Field {
		return
	}
	p.Then = append(p.Then, "spec.selector: Invalid value: {}: empty selector is invalid for "+kind)
}
