package refs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// Service is a v1 Service.
type Service struct {
	O         *workspace.Object
	Name      string
	Namespace string
	// Selector is spec.selector, sorted by key; nil when absent or empty
	// (the Service then has no endpoints controller: manual Endpoints or
	// EndpointSlices).
	Selector     []Label
	SelectorNode *yamlx.Node
	// Type is spec.type ("ClusterIP" when not written).
	Type     string
	Headless bool
	Ports    []ServicePort
	// PortsNode is spec.ports, or nil.
	PortsNode *yamlx.Node

	sameName int32 // the next Service of the same name in Unit.Services, or -1
}

// ServicePort is one item of spec.ports.
type ServicePort struct {
	Name     string
	Port     int64
	Protocol string // TCP when not written
	// TargetPort is the targetPort node, or nil (it then equals Port).
	TargetPort *yamlx.Node
	Node       *yamlx.Node
}

// Label is a label key and value.
type Label struct{ Key, Value string }

func initService(s *Service, o *workspace.Object, ns string, ar *arena) {
	spec := o.Root.Get("spec")
	*s = Service{O: o, Name: o.Name, Namespace: ns, Type: spec.Get("type").Str(), PortsNode: spec.Get("ports")}
	if s.Type == "" {
		s.Type = "ClusterIP"
	}
	s.Headless = spec.Get("clusterIP").Str() == "None"
	if sel := spec.Get("selector"); sel != nil && sel.Kind() == yamlx.Mapping && sel.Len() > 0 {
		s.SelectorNode = sel
		start := len(ar.labels)
		sel.Pairs(func(k, v *yamlx.Node) {
			if v.Kind() == yamlx.Scalar {
				ar.labels = append(ar.labels, Label{k.Value(), v.Value()})
			}
		})
		s.Selector = ar.labels[start:len(ar.labels):len(ar.labels)]
		if len(s.Selector) > 1 {
			slices.SortFunc(s.Selector, func(a, b Label) int { return strings.Compare(a.Key, b.Key) })
		}
	}
	start := len(ar.sports)
	for _, it := range s.PortsNode.Items() {
		if it.Kind() != yamlx.Mapping {
			continue
		}
		n, _ := it.Get("port").Int()
		proto := it.Get("protocol").Str()
		if proto == "" {
			proto = "TCP"
		}
		ar.sports = append(ar.sports, ServicePort{Name: it.Get("name").Str(), Port: n, Protocol: proto, TargetPort: it.Get("targetPort"), Node: it})
	}
	if len(ar.sports) > start {
		s.Ports = ar.sports[start:len(ar.sports):len(ar.sports)]
	}
}

// ServicesNamed returns the unit's Services of that name whose namespace may be ns.
func (u *Unit) ServicesNamed(name, ns string) []*Service {
	var out []*Service
	i, ok := u.services[name]
	for ok && i >= 0 {
		s := u.Services[i]
		if SameNamespace(s.Namespace, ns) {
			out = append(out, s)
		}
		i = s.sameName
	}
	slices.Reverse(out) // in load order
	return out
}

// Selected returns the pod templates whose labels the Service's selector
// matches, in its namespace. It reads the label index: the cost is the
// length of the shortest posting list among the selector's labels.
func (u *Unit) Selected(s *Service) []*Pod {
	if len(s.Selector) == 0 {
		return nil
	}
	best := posting{first: -1}
	for i, l := range s.Selector {
		h, ok := u.byLabel[l]
		if !ok {
			return nil
		}
		if i == 0 || h.n < best.n {
			best = h
		}
	}
	var out []*Pod
	for e := best.first; e >= 0; e = u.postings[e].next {
		p := u.Pods[u.postings[e].pod]
		if SameNamespace(p.Namespace, s.Namespace) && p.matches(s.Selector) {
			out = append(out, p)
		}
	}
	slices.Reverse(out) // the lists run from the last pod template to the first
	return out
}

// SelectsAny reports whether the Service's selector matches a pod template
// (Selected without building the list).
func (u *Unit) SelectsAny(s *Service) bool {
	if len(s.Selector) == 0 {
		return false
	}
	best := posting{first: -1}
	for i, l := range s.Selector {
		h, ok := u.byLabel[l]
		if !ok {
			return false
		}
		if i == 0 || h.n < best.n {
			best = h
		}
	}
	for e := best.first; e >= 0; e = u.postings[e].next {
		p := u.Pods[u.postings[e].pod]
		if SameNamespace(p.Namespace, s.Namespace) && p.matches(s.Selector) {
			return true
		}
	}
	return false
}

func (p *Pod) matches(sel []Label) bool {
	for _, l := range sel {
		if v, ok := p.Label(l.Key); !ok || v != l.Value {
			return false
		}
	}
	return true
}

// Near is the pod template nearest to a selector that matches none.
type Near struct {
	Pod *Pod
	// Matched is the number of the selector's labels the pod has.
	Matched int
	// Differ describes each selector label the pod lacks or has with
	// another value: `app: web (the pod has app: web-v2)`.
	Differ []string
	// OtherNamespace is set when the pod matches every label but runs in
	// another namespace.
	OtherNamespace bool
	// SameFile is set when the pod template is in the Service's file.
	SameFile bool
	// FileTemplates is the number of pod templates in the Service's file.
	FileTemplates int
}

// nearScan bounds the pod templates of one directory that Nearest looks at.
const nearScan = 4096

// Nearest returns the pod template of the Service's directory with the most
// of the selector's labels (key and value), then those of the Service's
// namespace, then those of its file, then those with the most of its label
// keys, or nil when none has any of its label keys.
func (u *Unit) Nearest(s *Service) *Near {
	var best *Pod
	bestScore, inFile := 0, 0
	for n, i := range u.byDir[dirOf(s.O.File)] {
		if n >= nearScan {
			break
		}
		p := u.Pods[i]
		if p.T.Object.File == s.O.File {
			inFile++
		}
		sc := 0
		for _, l := range s.Selector {
			if v, ok := p.Label(l.Key); ok {
				sc++
				if v == l.Value {
					sc += 1 << 12
				}
			}
		}
		if sc == 0 {
			continue
		}
		if p.T.Object.File == s.O.File {
			sc += 1 << 8
		}
		if SameNamespace(p.Namespace, s.Namespace) {
			sc += 1 << 10
		}
		if sc > bestScore {
			best, bestScore = p, sc
		}
	}
	if best == nil {
		return nil
	}
	n := &Near{Pod: best, SameFile: best.T.Object.File == s.O.File, FileTemplates: inFile}
	for _, l := range s.Selector {
		k, want := l.Key, l.Value
		got, ok := best.Label(k)
		switch {
		case ok && got == want:
			n.Matched++
		case ok:
			n.Differ = append(n.Differ, fmt.Sprintf("%s: %s (the pod has %s: %s)", k, want, k, got))
		default:
			n.Differ = append(n.Differ, fmt.Sprintf("%s: %s (the pod has no %s)", k, want, k))
		}
	}
	n.OtherNamespace = len(n.Differ) == 0 && !SameNamespace(best.Namespace, s.Namespace)
	return n
}

// PodsIn returns the number of pod templates whose namespace may be ns.
func (u *Unit) PodsIn(ns string) int {
	if ns == "" {
		return len(u.Pods)
	}
	return u.podsByNS[ns] + u.podsByNS[""]
}

// FormatSelector is "app=web,tier=frontend" in key order.
func FormatSelector(sel []Label) string {
	out := make([]string, len(sel))
	for i, l := range sel {
		out[i] = l.Key + "=" + l.Value
	}
	return strings.Join(out, ",")
}
