// Package refs is the references model: what the objects of a deployment
// unit say about each other. Per unit it indexes the pod templates by label,
// the Services with their selectors and ports, the ConfigMaps, Secrets,
// PersistentVolumeClaims and ServiceAccounts that the unit defines or creates
// by other means (a cert-manager Certificate, a SealedSecret, a kustomize
// generator...), and the references of every pod template to them. It is
// computed once per workspace (Of) and read by the cross-file rules.
package refs

import (
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// Model is the references model of a workspace.
type Model struct {
	Units []*Unit
	// broken are the directories with a manifest document that does not parse.
	broken map[string]bool
}

// Broken reports whether the directory of file holds a manifest document
// that does not parse: what it defines is unknown, so nothing is reported
// missing there.
func (m *Model) Broken(file string) bool { return m.broken[dirOf(file)] }

// Unit is the references model of one deployment unit.
type Unit struct {
	*workspace.Unit
	// Pods are the unit's pod templates, in load order.
	Pods []*Pod
	// Services are the unit's v1 Services, in load order.
	Services []*Service
	// Ingresses are the unit's networking.k8s.io/v1 Ingresses.
	Ingresses []*Ingress

	byLabel  map[Label]posting // the pods with a label: a list through postings
	postings []postingEntry
	byDir    map[string][]int32 // directory -> pods
	stores   map[string]map[string][]*Store
	defined  map[string]map[string]int // kind -> namespace -> objects the unit defines
	nsObj    map[string][]*workspace.Object
	services map[string]int32 // name -> the last Service of that name (see Service.sameName)
	podsByNS map[string]int
	// claimPrefixes are "<template>-<statefulset>-" of volumeClaimTemplates.
	claimPrefixes []claimPrefix
}

// Ingress is a networking.k8s.io/v1 Ingress with its namespace.
type Ingress struct {
	O         *workspace.Object
	Namespace string
}

// arena holds the small slices of a unit's Services and Pods in a few
// large ones (each item's slice is capped, so appending to the arena never
// changes it).
type arena struct {
	labels []Label
	sports []ServicePort
	ports  []Port
}

type posting struct{ first, n int32 }

type postingEntry struct{ pod, next int32 }

type claimPrefix struct {
	prefix, ns string
	sts        *workspace.Object
}

var models = workspace.NewResult(build)

// Of returns the references model of ws, computed on first use and shared
// by every rule (safe for concurrent use).
func Of(ws *workspace.Workspace) *Model { return models.Of(ws) }

func build(ws *workspace.Workspace) *Model {
	m := &Model{broken: map[string]bool{}}
	for _, mf := range ws.Manifests {
		for _, d := range mf.Docs {
			if d.Err != nil {
				m.broken[dirOf(mf.Path)] = true
			}
		}
	}
	for _, wu := range ws.Units() {
		m.Units = append(m.Units, buildUnit(wu))
	}
	return m
}

func buildUnit(wu *workspace.Unit) *Unit {
	u := &Unit{
		Unit:     wu,
		byLabel:  make(map[Label]posting, 2*len(wu.Templates)),
		postings: make([]postingEntry, 0, 2*len(wu.Templates)),
		byDir:    map[string][]int32{},
		stores:   map[string]map[string][]*Store{},
		defined:  map[string]map[string]int{},
		nsObj:    map[string][]*workspace.Object{},
		services: map[string]int32{},
		podsByNS: map[string]int{},
	}
	nsOf := namespacer(wu)
	nsvc := 0
	for _, o := range wu.Objects {
		if o.Kind == "Service" && o.APIVersion == "v1" {
			nsvc++
		}
	}
	services := make([]Service, 0, nsvc)
	u.Services = make([]*Service, 0, nsvc)
	ar := &arena{labels: make([]Label, 0, 2*nsvc), sports: make([]ServicePort, 0, nsvc), ports: make([]Port, 0, len(wu.Templates))}
	for _, o := range wu.Objects {
		ns := nsOf(o)
		if o.Kind == "Namespace" && o.APIVersion == "v1" {
			u.nsObj[o.Name] = append(u.nsObj[o.Name], o)
		}
		u.addDefined(o, ns)
		u.addProduced(o, ns)
		switch {
		case o.Kind == "Service" && o.APIVersion == "v1":
			services = append(services, Service{})
			s := &services[len(services)-1]
			initService(s, o, ns, ar)
			s.sameName = -1
			if prev, ok := u.services[s.Name]; ok {
				s.sameName = prev
			}
			u.services[s.Name] = int32(len(u.Services))
			u.Services = append(u.Services, s)
		case o.Kind == "Ingress" && o.APIVersion == "networking.k8s.io/v1":
			u.Ingresses = append(u.Ingresses, &Ingress{O: o, Namespace: ns})
		}
	}
	for _, k := range wu.Kustomizations {
		u.addGenerated(k)
	}
	pods := make([]Pod, len(wu.Templates))
	u.Pods = make([]*Pod, len(wu.Templates))
	for i, t := range wu.Templates {
		p := &pods[i]
		initPod(p, t, nsOf(t.Object), ar)
		u.Pods[i] = p
		u.podsByNS[p.Namespace]++
		p.Labels.Pairs(func(k, v *yamlx.Node) {
			if v.Kind() != yamlx.Scalar {
				return
			}
			l := Label{k.Value(), v.Value()}
			h, ok := u.byLabel[l]
			if !ok {
				h.first = -1
			}
			u.postings = append(u.postings, postingEntry{pod: int32(i), next: h.first})
			h.first, h.n = int32(len(u.postings)-1), h.n+1
			u.byLabel[l] = h
		})
		d := dirOf(t.Object.File)
		u.byDir[d] = append(u.byDir[d], int32(i))
	}
	return u
}

// namespacer returns the namespace each object is applied to: the
// `namespace:` of a kustomization file in the object's directory (kustomize
// sets it on every resource), else metadata.namespace as written ("default"
// stays "default"), else "" for unknown: kubectl applies the object to the
// namespace of its context or of -n, which may be any.
func namespacer(wu *workspace.Unit) func(*workspace.Object) string {
	kns := map[string]string{}
	for _, k := range wu.Kustomizations {
		if ns := k.Root.Get("namespace").Str(); ns != "" {
			kns[dirOf(k.Path)] = ns
		}
	}
	return func(o *workspace.Object) string {
		if len(kns) > 0 {
			if ns, ok := kns[dirOf(o.File)]; ok {
				return ns
			}
		}
		if o.Namespace != "" {
			return o.Namespace
		}
		return o.Root.Path("metadata", "namespace").Str() // "default", or ""
	}
}

func dirOf(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' || p[i] == '\\' {
			return p[:i]
		}
	}
	return ""
}

// SameNamespace reports whether objects applied to namespaces a and b may
// meet: equal, or either unknown ("").
func SameNamespace(a, b string) bool { return a == "" || b == "" || a == b }

// OwningNamespace returns the unit's Namespace object of that name in the
// directory of file or in a directory above it, or nil.
func (u *Unit) OwningNamespace(name, file string) *workspace.Object {
	for _, o := range u.nsObj[name] {
		if Below(file, dirOf(o.File)) {
			return o
		}
	}
	return nil
}

// Below reports whether file lies in dir or below it.
func Below(file, dir string) bool {
	return len(file) > len(dir) && file[:len(dir)] == dir && (file[len(dir)] == '/' || file[len(dir)] == '\\')
}
