package refs

import (
	"fmt"
	"sort"
	"strings"

	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// Service is a v1 Service.
type Service struct {
	O         *workspace.Object
	Name      string
	Namespace string
	// Selector is spec.selector; nil when absent or empty (the Service then
	// has no endpoints controller: manual Endpoints or EndpointSlices).
	Selector     map[string]string
	SelectorNode *yamlx.Node
	// Type is spec.type ("ClusterIP" when not written).
	Type     string
	Headless bool
	Ports    []ServicePort
	// PortsNode is spec.ports, or nil.
	PortsNode *yamlx.Node
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

func newService(o *workspace.Object, ns string) *Service {
	spec := o.Root.Get("spec")
	s := &Service{O: o, Name: o.Name, Namespace: ns, Type: spec.Get("type").Str(), PortsNode: spec.Get("ports")}
	if s.Type == "" {
		s.Type = "ClusterIP"
	}
	s.Headless = spec.Get("clusterIP").Str() == "None"
	if sel := spec.Get("selector"); sel != nil && sel.Kind == yamlx.Mapping && len(sel.Content) > 0 {
		s.SelectorNode = sel
		s.Selector = make(map[string]string, len(sel.Content)/2)
		sel.Pairs(func(k, v *yamlx.Node) {
			if v.Kind == yamlx.Scalar {
				s.Selector[k.Value] = v.Value
			}
		})
	}
	for _, it := range s.PortsNode.Items() {
		if it.Kind != yamlx.Mapping {
			continue
		}
		n, _ := it.Get("port").Int()
		proto := it.Get("protocol").Str()
		if proto == "" {
			proto = "TCP"
		}
		s.Ports = append(s.Ports, ServicePort{Name: it.Get("name").Str(), Port: n, Protocol: proto, TargetPort: it.Get("targetPort"), Node: it})
	}
	return s
}

// ServicesNamed returns the unit's Services of that name whose namespace may be ns.
func (u *Unit) ServicesNamed(name, ns string) []*Service {
	var out []*Service
	for _, s := range u.services[name] {
		if SameNamespace(s.Namespace, ns) {
			out = append(out, s)
		}
	}
	return out
}

// Selected returns the pod templates whose labels the Service's selector
// matches, in its namespace. It reads the label index: the cost is the
// length of the shortest posting list among the selector's labels.
func (u *Unit) Selected(s *Service) []*Pod {
	if len(s.Selector) == 0 {
		return nil
	}
	var best []int32
	first := true
	for k, v := range s.Selector {
		l := u.byLabel[label{k, v}]
		if first || len(l) < len(best) {
			best, first = l, false
		}
		if len(l) == 0 {
			return nil
		}
	}
	var out []*Pod
	for _, i := range best {
		p := u.Pods[i]
		if SameNamespace(p.Namespace, s.Namespace) && matches(s.Selector, p.Labels) {
			out = append(out, p)
		}
	}
	return out
}

func matches(sel, labels map[string]string) bool {
	for k, v := range sel {
		if lv, ok := labels[k]; !ok || lv != v {
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
}

// nearScan bounds the pod templates of one directory that Nearest looks at.
const nearScan = 4096

// Nearest returns the pod template of the Service's directory with the most
// of the selector's labels (key and value), then those of the Service's
// namespace, then those of its file, then those with the most of its label
// keys, or nil when none has any of its label keys.
func (u *Unit) Nearest(s *Service) *Near {
	keys := make([]string, 0, len(s.Selector))
	for k := range s.Selector {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var best *Pod
	bestScore := 0
	for n, i := range u.byDir[dirOf(s.O.File)] {
		if n >= nearScan {
			break
		}
		p := u.Pods[i]
		sc := 0
		for _, k := range keys {
			if v, ok := p.Labels[k]; ok {
				sc++
				if v == s.Selector[k] {
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
	n := &Near{Pod: best, SameFile: best.T.Object.File == s.O.File}
	for _, k := range keys {
		want := s.Selector[k]
		got, ok := best.Labels[k]
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
func FormatSelector(sel map[string]string) string {
	keys := make([]string, 0, len(sel))
	for k := range sel {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = k + "=" + sel[k]
	}
	return strings.Join(keys, ",")
}
