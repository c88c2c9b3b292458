package sched

import (
	"strconv"

	"github.com/k8slint/k8slint/internal/settings"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// defaultMaxPods is the kubelet's default --max-pods.
const defaultMaxPods = 110

// noLimit marks a resource a node does not limit (it lists no amount).
const noLimit = -1

type taint struct{ key, value, effect string }

type toleration struct{ key, operator, value, effect string }

func (t toleration) tolerates(tn taint) bool {
	if t.effect != "" && t.effect != tn.effect {
		return false
	}
	if t.operator == "Exists" {
		return t.key == "" || t.key == tn.key
	}
	return t.key == tn.key && t.value == tn.value
}

// Node is one node of the model: a Node object of the unit, or one of the
// Count nodes of a --node-capacity (or .k8slint.yaml) shape.
type Node struct {
	Name string
	Obj  *workspace.Object // nil for the nodes of a shape
	// Alloc holds the amounts the node lists (allocatable, else capacity);
	// a resource that is absent is unlimited unless the node is a Node
	// object and the resource an extended one (then it has none of it).
	Alloc         Amounts
	zeroMissing   bool // Node objects: extended resources they do not list are 0
	labels        map[string]string
	labelsKnown   bool
	taints        []taint
	unschedulable bool
	index         int32 // in Model.Nodes
	tclass        int   // index of its taint class

	// Placement state, per resource index of the model's universe.
	limit    []int64 // noLimit when unlimited
	podLimit int64   // pods in thousandths, noLimit when unknown
	used     []int64
	pods     int64
}

// Limit returns the amount of r the node allocates, and whether it limits r.
func (n *Node) Limit(r string) (int64, bool) {
	if v, ok := n.Alloc[r]; ok {
		return v, true
	}
	if r == "pods" {
		return 0, false
	}
	if n.zeroMissing && IsExtendedResource(r) {
		return 0, true
	}
	return 0, false
}

func nodesFromSpecs(specs []settings.NodeSpec) []*Node {
	var out []*Node
	for _, spec := range specs {
		alloc := Amounts{}
		for k, v := range spec.Resources {
			alloc[k] = min(max(v, 0), maxMilli)
		}
		if _, ok := alloc["pods"]; !ok {
			alloc["pods"] = defaultMaxPods * 1000
		}
		count := min(max(spec.Count, 1), settings.MaxNodeCount)
		for i := 0; i < count; i++ {
			name := spec.Source
			if count > 1 {
				name = spec.Source + " (node " + strconv.Itoa(i+1) + " of " + strconv.Itoa(count) + ")"
			}
			out = append(out, &Node{Name: name, Alloc: alloc})
		}
	}
	return out
}

func nodeFromObject(o *workspace.Object) *Node {
	n := &Node{Name: o.Name, Obj: o, Alloc: Amounts{}, zeroMissing: true, labelsKnown: true}
	status := o.Root.Get("status")
	for _, field := range []string{"capacity", "allocatable"} { // allocatable wins
		status.Get(field).Pairs(func(k, v *yamlx.Node) {
			if v.Kind() != yamlx.Scalar {
				return
			}
			if m, err := settings.ParseQuantity(v.Value()); err == nil {
				n.Alloc[k.Value()] = m
			}
		})
	}
	n.labels = map[string]string{}
	o.Root.Path("metadata", "labels").Pairs(func(k, v *yamlx.Node) { n.labels[k.Value()] = v.Value() })
	spec := o.Root.Get("spec")
	if b, ok := spec.Get("unschedulable").Bool(); ok && b {
		n.unschedulable = true
	}
	for _, t := range spec.Get("taints").Items() {
		e := t.Get("effect").Str()
		if e == "NoSchedule" || e == "NoExecute" {
			n.taints = append(n.taints, taint{key: t.Get("key").Str(), value: t.Get("value").Str(), effect: e})
		}
	}
	return n
}
