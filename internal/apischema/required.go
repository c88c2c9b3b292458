package apischema

import (
	"fmt"
	"strings"
	"sync"

	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// What the API server's validation requires (k8s.io/kubernetes
// pkg/apis/*/validation, after defaulting): each entry is a field that
// must be set, or a set of fields of which one must be. Only requirements
// that no defaulting fills are listed.
type req struct {
	field  string
	oneOf  []string // at least one of these (field is then a label for the set)
	reason string   // the validation's own message, if any
	when   func(n *yamlx.Node) bool
}

var (
	podHandlers       = []string{"exec", "httpGet", "tcpSocket", "grpc"}
	lifecycleHandlers = []string{"exec", "httpGet", "tcpSocket", "sleep"}
)

func noNonResourceURLs(n *yamlx.Node) bool { return n.Get("nonResourceURLs").NumItems() == 0 }

var requirements = map[string][]req{
	"core/v1.Pod":                  {{field: "spec"}},
	"core/v1.PodTemplateSpec":      {{field: "spec"}},
	"core/v1.PodSpec":              {{field: "containers"}},
	"core/v1.Container":            {{field: "name"}, {field: "image"}},
	"core/v1.EphemeralContainer":   {{field: "name"}, {field: "image"}},
	"core/v1.ContainerPort":        {{field: "containerPort"}},
	"core/v1.EnvVar":               {{field: "name"}},
	"core/v1.SecretKeySelector":    {{field: "key"}},
	"core/v1.ConfigMapKeySelector": {{field: "key"}},
	"core/v1.ObjectFieldSelector":  {{field: "fieldPath"}},
	"core/v1.VolumeMount":          {{field: "name"}, {field: "mountPath"}},
	// A volume without a source is defaulted to emptyDir.
	"core/v1.Volume":                            {{field: "name"}},
	"core/v1.ConfigMapVolumeSource":             {{field: "name"}},
	"core/v1.SecretVolumeSource":                {{field: "secretName"}},
	"core/v1.PersistentVolumeClaimVolumeSource": {{field: "claimName"}},
	"core/v1.HostPathVolumeSource":              {{field: "path"}},
	"core/v1.KeyToPath":                         {{field: "key"}, {field: "path"}},
	"core/v1.Probe":                             {{field: "handler", oneOf: podHandlers, reason: "must specify a handler type"}},
	"core/v1.LifecycleHandler":                  {{field: "handler", oneOf: lifecycleHandlers, reason: "must specify a handler type"}},
	"core/v1.ExecAction":                        {{field: "command"}},
	"core/v1.HTTPGetAction":                     {{field: "port"}},
	"core/v1.TCPSocketAction":                   {{field: "port"}},
	"core/v1.Service":                           {{field: "spec", when: serviceNeedsPorts}},
	"core/v1.ServiceSpec":                       {{field: "ports", when: serviceSpecNeedsPorts}, {field: "externalName", when: isExternalName}},
	"core/v1.ServicePort":                       {{field: "port"}},
	"core/v1.PersistentVolumeClaim":             {{field: "spec"}},
	"core/v1.PersistentVolumeClaimSpec":         {{field: "accessModes", reason: "at least 1 access mode is required"}, {field: "resources"}},
	"core/v1.NodeSelectorRequirement":           {{field: "key"}, {field: "operator"}},
	"core/v1.PodAffinityTerm":                   {{field: "topologyKey", reason: "can not be empty"}},
	"core/v1.TopologySpreadConstraint":          {{field: "maxSkew"}, {field: "topologyKey", reason: "can not be empty"}, {field: "whenUnsatisfiable"}},
	"core/v1.ReplicationController":             {{field: "spec"}},
	"core/v1.ReplicationControllerSpec":         {{field: "template"}},
	"meta/v1.LabelSelectorRequirement":          {{field: "key"}, {field: "operator"}},
	"apps/v1.Deployment":                        {{field: "spec"}},
	"apps/v1.StatefulSet":                       {{field: "spec"}},
	"apps/v1.DaemonSet":                         {{field: "spec"}},
	"apps/v1.ReplicaSet":                        {{field: "spec"}},
	"apps/v1.DeploymentSpec":                    {{field: "selector"}, {field: "template"}},
	"apps/v1.StatefulSetSpec":                   {{field: "selector"}, {field: "template"}},
	// A DaemonSet's selector is not required: without one the API server
	// says the template's labels do not match (invalid-value's finding).
	"apps/v1.DaemonSetSpec":                      {{field: "template"}},
	"apps/v1.ReplicaSetSpec":                     {{field: "selector"}, {field: "template"}},
	"batch/v1.Job":                               {{field: "spec"}},
	"batch/v1.JobSpec":                           {{field: "template"}},
	"batch/v1.CronJob":                           {{field: "spec"}},
	"batch/v1.CronJobSpec":                       {{field: "schedule"}, {field: "jobTemplate"}},
	"batch/v1.JobTemplateSpec":                   {{field: "spec"}},
	"networking/v1.HTTPIngressRuleValue":         {{field: "paths"}},
	"networking/v1.HTTPIngressPath":              {{field: "pathType", reason: "pathType must be specified"}, {field: "backend"}},
	"networking/v1.IngressBackend":               {{field: "service", oneOf: []string{"service", "resource"}, reason: "resource or service backend is required"}},
	"networking/v1.IngressServiceBackend":        {{field: "name"}, {field: "port", reason: "port name or number is required"}},
	"networking/v1.ServiceBackendPort":           {{field: "port", oneOf: []string{"name", "number"}, reason: "port name or number is required"}},
	"autoscaling/v1.HorizontalPodAutoscaler":     {{field: "spec"}},
	"autoscaling/v1.HorizontalPodAutoscalerSpec": {{field: "scaleTargetRef"}, {field: "maxReplicas"}},
	"autoscaling/v1.CrossVersionObjectReference": {{field: "kind"}, {field: "name"}},
	"autoscaling/v2.HorizontalPodAutoscaler":     {{field: "spec"}},
	"autoscaling/v2.HorizontalPodAutoscalerSpec": {{field: "scaleTargetRef"}, {field: "maxReplicas"}},
	"autoscaling/v2.CrossVersionObjectReference": {{field: "kind"}, {field: "name"}},
	"rbac/v1.PolicyRule": {
		{field: "verbs", reason: "verbs must contain at least one value"},
		{field: "apiGroups", when: noNonResourceURLs, reason: "resource rules must supply at least one api group"},
		{field: "resources", when: noNonResourceURLs, reason: "resource rules must supply at least one resource"},
	},
	"rbac/v1.RoleBinding":        {{field: "roleRef"}},
	"rbac/v1.ClusterRoleBinding": {{field: "roleRef"}},
	"rbac/v1.RoleRef":            {{field: "kind"}, {field: "name"}},
	"rbac/v1.Subject":            {{field: "kind"}, {field: "name"}},
}

// requirementsOf indexes requirements by type, once.
var requirementsOf = sync.OnceValue(func() [][]req {
	out := make([][]req, len(typeTable))
	for i := range typeTable {
		if rs, ok := requirements[typeTable[i].id]; ok && typeTable[i].id != "" {
			out[i] = rs
		}
	}
	return out
})

func isExternalName(n *yamlx.Node) bool { return n.Get("type").Str() == "ExternalName" }

// A Service needs ports unless it is headless or of type ExternalName.
func serviceSpecNeedsPorts(n *yamlx.Node) bool {
	return !isExternalName(n) && n.Get("clusterIP").Str() != "None"
}

func serviceNeedsPorts(*yamlx.Node) bool { return true }

// set reports whether a field is written with a value: a null, an empty
// string or an empty list is not one.
func set(v *yamlx.Node) bool {
	switch {
	case v == nil:
		return false
	case v.Kind() == yamlx.Scalar:
		return v.Value() != "" && scalarType(v) != yamlx.TypeNull
	case v.Kind() == yamlx.Sequence:
		return v.Len() > 0
	}
	return true
}

// required checks the requirements of struct t on its mapping n (the top of the stack).
func (w *walker) required(n *yamlx.Node, t Type) {
	if t == w.secretType() {
		w.secretRequired(n)
	}
	rs := w.reqs[t]
	if rs == nil {
		return
	}
	for _, r := range rs {
		if r.when != nil && !r.when(n) {
			continue
		}
		if r.oneOf != nil {
			ok := false
			for _, f := range r.oneOf {
				ok = ok || set(n.Get(f))
			}
			if !ok {
				w.missingField(n, t, r.field, r.reason, r.oneOf)
			}
			continue
		}
		if !set(n.Get(r.field)) {
			w.missingField(n, t, r.field, r.reason, nil)
		}
	}
	switch t.ID() {
	case "core/v1.ServiceSpec": // (both have an entry in requirements)
		w.servicePortNames(n)
	case "core/v1.PodSpec":
		// validateRestartPolicy of a Job's template (batch validation): the
		// default Always is refused, so the field is required.
		if k := w.obj.Kind; (k == "Job" || k == "CronJob") && !set(n.Get("restartPolicy")) {
			w.missingField(n, t, "restartPolicy", `valid values: "OnFailure", "Never"`, nil)
			w.fix("restartPolicy", fmt.Sprintf("add restartPolicy: OnFailure (retry in the same pod) or Never (a new pod per retry) under %s: a %s's pods run to completion", w.holder(), k))
		}
	case "batch/v1.JobSpec":
		// validateJobSpec: a manual selector must be written.
		if v, _ := n.Get("manualSelector").Bool(); v && !set(n.Get("selector")) && w.obj.Kind == "Job" {
			w.missingField(n, t, "selector", "", nil)
			if ps := *w.out; len(ps) > 0 && ps[len(ps)-1].Field == "selector" {
				ps[len(ps)-1].APIErrors = []string{requiredText(ps[len(ps)-1].Path, ""), labelsMismatch("spec", n.Path("template", "metadata", "labels"))}
			}
			w.fix("selector", "add a selector that matches the template's labels, or remove manualSelector: true to let the Job controller generate one")
		}
	case "core/v1.ReplicationControllerSpec":
		// ValidateReplicationControllerSpec, after the selector is defaulted
		// to the template's labels: one of them is needed.
		if !set(n.Get("selector")) && !set(n.Path("template", "metadata", "labels")) && set(n.Get("template")) {
			w.missingField(n, t, "selector", "", nil)
			w.fix("selector", "give the pod template labels (spec.template.metadata.labels), which become the selector, or add spec.selector")
		}
	case "rbac/v1.Subject":
		// ValidateRoleBindingSubject: a ClusterRoleBinding names the
		// namespace of a ServiceAccount (a RoleBinding's defaults to its own).
		if w.obj.Kind == "ClusterRoleBinding" && n.Get("kind").Str() == "ServiceAccount" && !set(n.Get("namespace")) {
			w.missingField(n, t, "namespace", "", nil)
		}
	case "core/v1.PersistentVolumeClaimSpec":
		if res := n.Get("resources"); set(res) && res.Kind() == yamlx.Mapping && !set(res.Path("requests", "storage")) {
			w.push(frame{field: true, idx: -1, key: n.KeyNode("resources"), node: res, typ: t})
			if rq := res.Get("requests"); rq != nil && rq.Kind() == yamlx.Mapping {
				w.push(frame{field: true, idx: -1, key: res.KeyNode("requests"), node: rq, typ: t})
				p := w.missingProblem(rq, "", "")
				w.pop()
				p.Path, p.Short = w.paths("requests[storage]")
				p.Field = "storage"
				*w.out = append(*w.out, p)
			} else {
				w.missingField(res, t, "requests", "", nil)
			}
			w.pop()
		}
	}
}

// fix sets the fix of the last problem when it is the missing field's
// (missingField adds none when a misspelt key stands for the field).
func (w *walker) fix(field, fix string) {
	if ps := *w.out; len(ps) > 0 && ps[len(ps)-1].Kind == MissingField && ps[len(ps)-1].Field == field && ps[len(ps)-1].Fix == "" {
		ps[len(ps)-1].Fix = fix
	}
}

// holder is the path of the struct on top of the stack.
func (w *walker) holder() string {
	full, _ := w.paths("")
	return full
}

// servicePortNames: a Service with more than one port names each of them.
func (w *walker) servicePortNames(n *yamlx.Node) {
	ports := n.Get("ports")
	if ports.NumItems() < 2 {
		return
	}
	pt, _ := Type(0).lookupID("core/v1.ServicePort")
	w.push(frame{field: true, idx: -1, key: n.KeyNode("ports"), node: n.Get("ports")})
	for i, p := range ports.Items() {
		if p.Kind() != yamlx.Mapping || set(p.Get("name")) {
			continue
		}
		w.push(frame{idx: int32(i), node: p, typ: pt})
		w.missingField(p, pt, "name", "", nil)
		w.pop()
	}
	w.pop()
}

func (w *walker) missingProblem(n *yamlx.Node, field, reason string) Problem {
	top := w.stack[len(w.stack)-1]
	at := n
	if top.key != nil && top.key != n {
		at = top.key
	}
	p := Problem{Kind: MissingField, Object: w.obj, Node: at, Field: field, Reason: reason}
	p.Path, p.Short = w.paths(field)
	p.Decoder = w.decoderPath(field)
	p.Struct = w.structAt(len(w.stack) - 1)
	p.Items = w.items()
	return p
}

func (w *walker) missingField(n *yamlx.Node, t Type, field, reason string, oneOf []string) {
	p := w.missingProblem(n, field, reason)
	p.Struct = t
	if oneOf != nil {
		p.Path, p.Short = w.paths("")
		p.Field = ""
		p.Reason = reason
		p.Suggest = ""
		p.OneOf = oneOf
	} else if k := misspeltKey(n, field, t); k != nil {
		// `imgae:` for image: unknown-field reports it, with the name to
		// write; the API server's strict decoding fails on it first.
		w.thenOfMisspelt(k, w.absentErrors(t, field, reason, p.Path, 0))
		return
	}
	if errs := w.absentErrors(t, field, reason, p.Path, 0); len(errs) != 1 || errs[0] != requiredText(p.Path, reason) {
		p.APIErrors = errs
	}
	if field == "selector" && selectorKinds[w.obj.Kind] && strings.HasSuffix(t.ID(), "Spec") && strings.HasPrefix(t.ID(), "apps/v1.") {
		spec := strings.TrimSuffix(p.Path, ".selector")
		p.APIErrors = []string{requiredText(p.Path, ""), labelsMismatch(spec, n.Path("template", "metadata", "labels"))}
	}
	*w.out = append(*w.out, p)
}

// misspeltKey finds a key of n that is unknown to t and near field.
func misspeltKey(n *yamlx.Node, field string, t Type) *yamlx.Node {
	var out *yamlx.Node
	n.Pairs(func(k, _ *yamlx.Node) {
		if _, ok := t.Field(k.Value()); ok || out != nil {
			return
		}
		if Nearest(k.Value(), []string{field}) != "" {
			out = k
		}
	})
	return out
}

// rootRequired: metadata.name, unless metadata.generateName.
func (w *walker) rootRequired(o *workspace.Object, t Type) {
	meta := o.Root.Get("metadata")
	if set(meta.Get("name")) || set(meta.Get("generateName")) {
		return
	}
	if _, ok := t.Field("metadata"); !ok {
		return
	}
	mt, _ := t.Field("metadata")
	w.stack = w.stack[:1]
	if meta != nil && meta.Kind() == yamlx.Mapping {
		w.push(frame{field: true, idx: -1, key: o.Root.KeyNode("metadata"), node: meta, typ: mt})
		w.missingField(meta, mt, "name", "name or generateName is required", nil)
		w.pop()
		return
	}
	at := o.Root.KeyNode("kind")
	if at == nil {
		at = o.Root
	}
	p := w.missingProblem(at, "metadata.name", "name or generateName is required")
	p.Node, p.Field = at, "name"
	*w.out = append(*w.out, p)
}

// lookupID finds a struct type by its ID.
func (Type) lookupID(id string) (Type, bool) {
	for i := range typeTable {
		if typeTable[i].id == id {
			return Type(i), true
		}
	}
	return 0, false
}
