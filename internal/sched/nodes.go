package sched

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

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
	class         int // index of its eligibility class

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
			if v.Kind != yamlx.Scalar {
				return
			}
			if m, err := settings.ParseQuantity(v.Value); err == nil {
				n.Alloc[k.Value] = m
			}
		})
	}
	n.labels = map[string]string{}
	o.Root.Path("metadata", "labels").Pairs(func(k, v *yamlx.Node) { n.labels[k.Value] = v.Value })
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

// nodeClass is what eligibility reads of a node (apart from its name):
// nodes of one class accept and refuse the same pods.
type nodeClass struct {
	rep *Node // the first node of the class
}

// classify groups the nodes into eligibility classes: labels count only
// for the keys some nodeSelector names.
func classify(nodes []*Node, selectorKeys []string) []nodeClass {
	var classes []nodeClass
	index := map[string]int{}
	var b strings.Builder
	for _, n := range nodes {
		b.Reset()
		fmt.Fprintf(&b, "%t|%t|%t|", n.Obj != nil, n.labelsKnown, n.unschedulable)
		for _, k := range selectorKeys {
			if v, ok := n.labels[k]; ok {
				b.WriteString(strconv.Quote(k) + "=" + strconv.Quote(v) + ";")
			}
		}
		b.WriteByte('|')
		for _, t := range n.taints {
			b.WriteString(strconv.Quote(t.key) + strconv.Quote(t.value) + t.effect + ";")
		}
		key := b.String()
		i, ok := index[key]
		if !ok {
			i = len(classes)
			index[key] = i
			classes = append(classes, nodeClass{rep: n})
		}
		n.class = i
	}
	return classes
}

const reasonNodeName = "node(s) didn't match the requested node name"

// constraint is what a pod asks of a node apart from room: its node
// selector, tolerations, requested node name, and whether a DaemonSet
// controller binds it (which tolerates cordoned nodes).
type constraint struct {
	nodeSelector map[string]string
	tolerations  []toleration
	nodeName     string
	daemon       bool
	// reason holds, per node class, why the class refuses the pod ("" when
	// it does not), each string built once.
	reason []string
	// eligible lists the indexes of the nodes that accept the pod (built
	// when placement needs it); full nodes are dropped from it as found.
	eligible      []int32
	eligibleBuilt bool
	sum           *summary // the last summary of the nodes for its pods
}

// classReason explains why a node of a class refuses a pod before
// resources are considered ("" when it does not).
func (c *constraint) classReason(n *Node) string {
	if n.labelsKnown {
		for k, v := range c.nodeSelector {
			if lv, ok := n.labels[k]; !ok || lv != v {
				return "node(s) didn't match Pod's node affinity/selector"
			}
		}
	}
	if n.unschedulable && !c.daemon && c.nodeName == "" {
		return "node(s) were unschedulable"
	}
	for _, tn := range n.taints {
		tolerated := false
		for _, tl := range c.tolerations {
			if tl.tolerates(tn) {
				tolerated = true
				break
			}
		}
		if !tolerated {
			if tn.value != "" {
				return fmt.Sprintf("node(s) had untolerated taint {%s: %s}", tn.key, tn.value)
			}
			return fmt.Sprintf("node(s) had untolerated taint {%s: }", tn.key)
		}
	}
	return ""
}

// why explains why n refuses a pod of c before resources ("" when it does not).
func (c *constraint) why(n *Node) string {
	if c.nodeName != "" && n.Obj != nil && c.nodeName != n.Name {
		return reasonNodeName
	}
	return c.reason[n.class]
}

func constraintKey(s *Shape, daemon bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%t|%q|", daemon, s.nodeName)
	writeSelector(&b, s.nodeSelector)
	writeTolerations(&b, s.tolerations)
	return b.String()
}

func writeSelector(b *strings.Builder, sel map[string]string) {
	keys := make([]string, 0, len(sel))
	for k := range sel {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString(strconv.Quote(k) + "=" + strconv.Quote(sel[k]) + ";")
	}
	b.WriteByte('|')
}

func writeTolerations(b *strings.Builder, ts []toleration) {
	for _, t := range ts {
		b.WriteString(strconv.Quote(t.key) + "/" + strconv.Quote(t.operator) + "/" + strconv.Quote(t.value) + "/" + strconv.Quote(t.effect) + ";")
	}
	b.WriteByte('|')
}
