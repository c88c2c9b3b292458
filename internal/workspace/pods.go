package workspace

import (
	"slices"
	"strconv"
	"strings"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// PodTemplate is the pod spec of a workload.
type PodTemplate struct {
	Object *Object
	// Path is the field path of the pod spec in the object ("spec.template.spec").
	Path string
	Spec *yamlx.Node
	// Meta is the pod's metadata (the template's, or the Pod's own).
	Meta *yamlx.Node
	// containers are read once, when the template is found (see
	// eachContainer): a dozen rules and models walk them.
	containers []Container
}

// workloadTemplates maps a workload kind to the path of its pod template
// (the mapping with metadata and spec); "" means the object is the pod.
var workloadTemplates = map[string][]string{
	"Pod":                   nil,
	"PodTemplate":           {"template"},
	"ReplicationController": {"spec", "template"},
	"ReplicaSet":            {"spec", "template"},
	"Deployment":            {"spec", "template"},
	"StatefulSet":           {"spec", "template"},
	"DaemonSet":             {"spec", "template"},
	"Job":                   {"spec", "template"},
	"CronJob":               {"spec", "jobTemplate", "spec", "template"},
	"DeploymentConfig":      {"spec", "template"},
}

// templateSpecPaths maps a workload kind to the field path of its pod spec
// ("spec.template.spec"), computed once.
var templateSpecPaths = func() map[string]string {
	m := make(map[string]string, len(workloadTemplates))
	for kind, path := range workloadTemplates {
		m[kind] = strings.Join(append(append([]string(nil), path...), "spec"), ".")
	}
	return m
}()

// workloadGroups lists the API groups where each workload kind is built in.
var workloadGroups = map[string][]string{
	"Pod": {""}, "PodTemplate": {""}, "ReplicationController": {""},
	"ReplicaSet": {"apps", "extensions"}, "Deployment": {"apps", "extensions"},
	"StatefulSet": {"apps"}, "DaemonSet": {"apps", "extensions"},
	"Job": {"batch"}, "CronJob": {"batch"}, "DeploymentConfig": {"apps.openshift.io", ""},
}

// IsWorkload reports whether the object is a built-in kind with a pod template.
func IsWorkload(o *Object) bool {
	gs, ok := workloadGroups[o.Kind]
	if !ok {
		return false
	}
	g := o.Group()
	for _, want := range gs {
		if g == want {
			return true
		}
	}
	return false
}

func podTemplateOf(o *Object) *PodTemplate {
	if !IsWorkload(o) {
		return nil
	}
	path := workloadTemplates[o.Kind]
	tmpl := o.Root.Path(path...)
	if tmpl == nil || tmpl.Kind() != yamlx.Mapping {
		return nil
	}
	spec := tmpl.Get("spec")
	if spec == nil || spec.Kind() != yamlx.Mapping {
		return nil
	}
	t := &PodTemplate{
		Object: o,
		Path:   o.FieldPath(templateSpecPaths[o.Kind]),
		Spec:   spec,
		Meta:   tmpl.Get("metadata"),
	}
	n := 0
	for _, field := range ContainerFields {
		n += spec.Get(field).NumItems()
	}
	t.containers = make([]Container, 0, n)
	for _, field := range ContainerFields {
		for i, c := range spec.Get(field).Items() {
			if c.Kind() == yamlx.Mapping {
				t.containers = append(t.containers, Container{Template: t, Node: c, Field: field, Index: i, Name: c.Get("name").Str()})
			}
		}
	}
	return t
}

// Container is one container of a pod template.
type Container struct {
	Template *PodTemplate
	Node     *yamlx.Node
	// Field is "containers", "initContainers" or "ephemeralContainers".
	Field string
	Index int
	Name  string
}

// Path is the container's field path in its object ("spec.template.spec.containers[1]").
func (c Container) Path() string {
	return c.Template.Path + "." + c.Field + "[" + strconv.Itoa(c.Index) + "]"
}

// ContainerFields are the pod spec fields that hold containers.
var ContainerFields = []string{"initContainers", "containers", "ephemeralContainers"}

// Containers returns every container of a pod template, init containers
// first (a copy: the caller may keep or change it).
func (t *PodTemplate) Containers() []Container { return slices.Clone(t.containers) }

func (t *PodTemplate) eachContainer(f func(Container)) {
	for _, c := range t.containers {
		f(c)
	}
}

// EachContainer calls f for every container of every pod template (it
// allocates nothing: every rule that reads containers calls it).
func (ws *Workspace) EachContainer(f func(Container)) {
	for _, t := range ws.Templates {
		t.eachContainer(f)
	}
}
