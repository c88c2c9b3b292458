package refs

import (
	"strconv"

	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// Pod is a pod template with what the references rules read of it.
type Pod struct {
	T *workspace.PodTemplate
	// Namespace is where the pods run ("" unknown; see SameNamespace).
	Namespace string
	// Labels is the pod's labels mapping (the template's metadata.labels), or nil.
	Labels *yamlx.Node
	// LabelsNode is the labels mapping, or else the metadata, or nil: for locations.
	LabelsNode *yamlx.Node
	// Ports are the ports that Services can target: those of the containers
	// and of sidecar init containers (restartPolicy: Always).
	Ports []Port
	// Refs are the pod's references to ConfigMaps, Secrets,
	// PersistentVolumeClaims and its ServiceAccount.
	Refs []Ref
}

// Port is a declared container port.
type Port struct {
	Name      string
	Number    int64
	Protocol  string // TCP when not written
	Container string
	Node      *yamlx.Node // the port's item
}

// Ref is a reference from a pod template to an object by name.
type Ref struct {
	Kind string // ConfigMap, Secret, PersistentVolumeClaim, ServiceAccount
	Name string
	// NameNode is the node of the name (nil for the implied default ServiceAccount).
	NameNode *yamlx.Node
	// Key is the key read (configMapKeyRef.key, items[].key), "" for the whole object.
	Key     string
	KeyNode *yamlx.Node
	// Optional is optional: true on the reference.
	Optional bool
	// Path is the field path of the reference in the object
	// ("spec.template.spec.containers[0].env[2].valueFrom.configMapKeyRef").
	Path string
	// Use says how it is used: "env", "envFrom", "volume", "serviceAccountName".
	Use string
}

func initPod(p *Pod, t *workspace.PodTemplate, ns string, ar *arena) {
	*p = Pod{T: t, Namespace: ns, LabelsNode: t.Meta}
	if l := t.Meta.Get("labels"); l != nil {
		p.LabelsNode = l
		if l.Kind() == yamlx.Mapping {
			p.Labels = l
		}
	}
	start := len(ar.ports)
	eachContainer(t, func(c workspace.Container) {
		sidecar := c.Field == "initContainers" && c.Node.Get("restartPolicy").Str() == "Always"
		if c.Field == "containers" || sidecar {
			ar.ports = appendPorts(ar.ports, c)
		}
	})
	if len(ar.ports) > start {
		p.Ports = ar.ports[start:len(ar.ports):len(ar.ports)]
	}
	p.collectRefs()
}

// Label returns the value of a label of the pod, and whether it has it.
func (p *Pod) Label(key string) (string, bool) {
	v := p.Labels.Get(key)
	if v == nil || v.Kind() != yamlx.Scalar {
		return "", false
	}
	return v.Value(), true
}

// eachContainer calls f for every container of t (without allocating).
func eachContainer(t *workspace.PodTemplate, f func(workspace.Container)) {
	for _, field := range workspace.ContainerFields {
		for i, c := range t.Spec.Get(field).Items() {
			if c.Kind() == yamlx.Mapping {
				f(workspace.Container{Template: t, Node: c, Field: field, Index: i, Name: c.Get("name").Str()})
			}
		}
	}
}

// ContainerPorts are the ports a container declares.
func ContainerPorts(c workspace.Container) []Port { return appendPorts(nil, c) }

func appendPorts(out []Port, c workspace.Container) []Port {
	for _, it := range c.Node.Get("ports").Items() {
		if it.Kind() != yamlx.Mapping {
			continue
		}
		n, _ := it.Get("containerPort").Int()
		proto := it.Get("protocol").Str()
		if proto == "" {
			proto = "TCP"
		}
		out = append(out, Port{Name: it.Get("name").Str(), Number: n, Protocol: proto, Container: c.Name, Node: it})
	}
	return out
}

// Name is the workload's label: "Deployment web".
func (p *Pod) Name() string { return p.T.Object.Label() }

func (p *Pod) collectRefs() {
	spec, base := p.T.Spec, p.T.Path
	add := func(r Ref) {
		if r.NameNode != nil && r.NameNode.Kind() == yamlx.Scalar && r.Name != "" {
			p.Refs = append(p.Refs, r)
		}
	}
	optional := func(n *yamlx.Node) bool { b, _ := n.Get("optional").Bool(); return b }
	if n := spec.Get("serviceAccountName"); n != nil {
		add(Ref{Kind: "ServiceAccount", Name: n.Str(), NameNode: n, Path: base + ".serviceAccountName", Use: "serviceAccountName"})
	} else if n := spec.Get("serviceAccount"); n != nil {
		add(Ref{Kind: "ServiceAccount", Name: n.Str(), NameNode: n, Path: base + ".serviceAccount", Use: "serviceAccountName"})
	}
	items := func(r Ref, src *yamlx.Node, path string) {
		add(r)
		for i, it := range src.Get("items").Items() {
			if k := it.Get("key"); k != nil && k.Kind() == yamlx.Scalar {
				kr := r
				kr.Key, kr.KeyNode, kr.Path = k.Value(), k, path+".items["+strconv.Itoa(i)+"].key"
				add(kr)
			}
		}
	}
	for i, v := range spec.Get("volumes").Items() {
		vp := base + ".volumes[" + strconv.Itoa(i) + "]"
		if cm := v.Get("configMap"); cm != nil {
			n := cm.Get("name")
			items(Ref{Kind: "ConfigMap", Name: n.Str(), NameNode: n, Optional: optional(cm), Path: vp + ".configMap", Use: "volume"}, cm, vp+".configMap")
		}
		if s := v.Get("secret"); s != nil {
			n := s.Get("secretName")
			items(Ref{Kind: "Secret", Name: n.Str(), NameNode: n, Optional: optional(s), Path: vp + ".secret", Use: "volume"}, s, vp+".secret")
		}
		if c := v.Get("persistentVolumeClaim"); c != nil {
			n := c.Get("claimName")
			add(Ref{Kind: "PersistentVolumeClaim", Name: n.Str(), NameNode: n, Path: vp + ".persistentVolumeClaim.claimName", Use: "volume"})
		}
		for j, src := range v.Path("projected", "sources").Items() {
			sp := vp + ".projected.sources[" + strconv.Itoa(j) + "]"
			for _, kind := range []string{"configMap", "secret"} {
				if s := src.Get(kind); s != nil {
					n := s.Get("name")
					k := "ConfigMap"
					if kind == "secret" {
						k = "Secret"
					}
					items(Ref{Kind: k, Name: n.Str(), NameNode: n, Optional: optional(s), Path: sp + "." + kind, Use: "volume"}, s, sp+"."+kind)
				}
			}
		}
	}
	eachContainer(p.T, func(c workspace.Container) {
		cp := c.Path
		for i, e := range c.Node.Get("env").Items() {
			vf := e.Get("valueFrom")
			for _, f := range []struct{ field, kind string }{{"configMapKeyRef", "ConfigMap"}, {"secretKeyRef", "Secret"}} {
				if r := vf.Get(f.field); r != nil {
					n, k := r.Get("name"), r.Get("key")
					ep := cp() + ".env[" + strconv.Itoa(i) + "].valueFrom." + f.field
					add(Ref{Kind: f.kind, Name: n.Str(), NameNode: n, Key: k.Str(), KeyNode: k, Optional: optional(r), Path: ep, Use: "env"})
				}
			}
		}
		for i, e := range c.Node.Get("envFrom").Items() {
			for _, f := range []struct{ field, kind string }{{"configMapRef", "ConfigMap"}, {"secretRef", "Secret"}} {
				if r := e.Get(f.field); r != nil {
					n := r.Get("name")
					add(Ref{Kind: f.kind, Name: n.Str(), NameNode: n, Optional: optional(r), Path: cp() + ".envFrom[" + strconv.Itoa(i) + "]." + f.field, Use: "envFrom"})
				}
			}
		}
	})
}
