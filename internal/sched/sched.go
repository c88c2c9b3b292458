// Package sched models where the pods of a deployment unit would run: the
// nodes (Node objects of the unit, or the shapes given with
// --node-capacity or .k8slint.yaml), the pods its workloads create, and a
// deterministic first-fit-decreasing placement of those pods on those
// nodes, with, for each workload that does not fit, why (as the
// scheduler's FailedScheduling event says it), and for each Deployment
// whether a rolling update finds room for a surge pod.
//
// The insufficient-capacity and rollout-exceeds-capacity rules read it.
// A model is built once (Of memoises it per workspace) and is not modified
// after New returns. Its cost is linear in the nodes and workloads: pods of
// one shape are placed together over the nodes that accept them (full
// nodes dropped as found), eligibility is decided per taint class and from
// an index of node labels, and the pods that fail at one moment share one
// summary of the nodes; reasons are built once per distinct reason and
// counted. (Each shape that places pods still walks its nodes in order:
// first fit.)
package sched

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/k8slint/k8slint/internal/settings"
	"github.com/k8slint/k8slint/internal/workspace"
)

// Unit is the input of one model: the objects of one deployment unit, their
// pod templates, and the node shapes given by the user (which replace the
// unit's Node objects when there are any).
type Unit struct {
	Objects   []*workspace.Object
	Templates []*workspace.PodTemplate
	Nodes     []settings.NodeSpec
}

// Model is the placement of a unit's pods on its nodes.
type Model struct {
	Nodes     []*Node
	Workloads []*Workload
	// Source is the first user-given node shape ("--node-capacity ...",
	// ".k8slint.yaml:8"), or "" when the nodes are Node objects.
	Source string
	// AllFit is set when every pod of every workload was placed.
	AllFit bool
	// Total is what all nodes allocate together (the amounts they list).
	Total Amounts

	universe []string // resources the pods request and a node may limit, in ResourceLess order
	resIndex map[string]int
	cons     map[string]*constraint
	byName   map[string]*Node // Node objects by name
	asked    map[string]asked // by Failure.Insufficient
	version  uint64           // counts the changes of node state during placement

	taintClasses []*Node // the first node of each taint class
	taintSizes   []int   // nodes per taint class
	byTaint      [][]int32
	// defaultVerdict is, per strictness (see constraint.strict) and taint
	// class, why the class refuses a pod without tolerations.
	defaultVerdict [2][]string
	taintIndex     map[string][]int // taint key -> the classes with a taint of that key
	taintTexts     map[taint]string
	labelsKnown    bool // the nodes are Node objects, whose labels are known
	labelIndex     map[labelPair][]int32
	allNodes       *selection
	selections     map[string]*selection // by selector signature
	sets           map[string]*nodeSet
	top            []int64 // per resource, the most one node allocates (maxMilli: unlimited)
}

type asked struct {
	res  Amounts
	pods int64
}

var models = workspace.NewResult(func(ws *workspace.Workspace) []*Model {
	units := ws.Units()
	if len(units) <= 1 {
		return []*Model{New(Unit{Objects: ws.Objects, Templates: ws.Templates, Nodes: ws.Settings.Nodes})}
	}
	// The nodes are the cluster's, whichever unit's files hold them: each
	// deployment unit is placed on all of them, apart from the others.
	var nodes []*workspace.Object
	for _, o := range ws.Objects {
		if o.Kind == "Node" && o.Group() == "" {
			nodes = append(nodes, o)
		}
	}
	out := make([]*Model, 0, len(units))
	for _, u := range units {
		objs := make([]*workspace.Object, 0, len(u.Objects)+len(nodes))
		for _, o := range u.Objects {
			if o.Kind != "Node" || o.Group() != "" {
				objs = append(objs, o)
			}
		}
		objs = append(objs, nodes...)
		out = append(out, New(Unit{Objects: objs, Templates: u.Templates, Nodes: ws.Settings.Nodes}))
	}
	return out
})

// Of returns the model of the workspace's first deployment unit (the whole
// tree when no units: are configured), built once.
func Of(ws *workspace.Workspace) *Model { return models.Of(ws)[0] }

// Units returns one model per deployment unit (workspace.Units), built
// once: the capacity rules compare only the workloads applied together.
func Units(ws *workspace.Workspace) []*Model { return models.Of(ws) }

// New builds the model of a unit.
func New(u Unit) *Model {
	m := &Model{byName: map[string]*Node{}, cons: map[string]*constraint{}, selections: map[string]*selection{}, sets: map[string]*nodeSet{}}
	if len(u.Nodes) > 0 {
		m.Nodes = nodesFromSpecs(u.Nodes)
		m.Source = u.Nodes[0].Source
	} else {
		seen := map[string]bool{}
		for _, o := range u.Objects {
			if o.Kind != "Node" || o.Group() != "" || seen[o.Name] {
				continue
			}
			seen[o.Name] = true
			n := nodeFromObject(o)
			m.Nodes = append(m.Nodes, n)
			m.byName[n.Name] = n
		}
	}
	if len(m.Nodes) == 0 {
		return m
	}
	m.Total = Amounts{}
	for _, n := range m.Nodes {
		for r, v := range n.Alloc {
			m.Total[r] = addSat(m.Total[r], v)
		}
	}
	type objKey struct{ kind, name string }
	first := map[objKey]*workspace.Object{}
	for _, o := range u.Objects {
		if o.Kind == "RuntimeClass" && o.Namespace == "" {
			if _, ok := first[objKey{o.Kind, o.Name}]; !ok {
				first[objKey{o.Kind, o.Name}] = o
			}
		}
	}
	lookup := func(kind, name string) *workspace.Object { return first[objKey{kind, name}] }
	m.Workloads = collectWorkloads(u.Templates, lookup)
	m.index()
	m.place()
	m.finish()
	return m
}

// index builds the resource universe, the per-index amounts of shapes and
// nodes, the node classes and each workload's constraint.
func (m *Model) index() {
	// Only the resources that pods request and some node lists (or that
	// every node has unless it says otherwise: cpu, memory,
	// ephemeral-storage) get a slot on each node; what a node lists beside
	// them is read from Node.Alloc when reported, and a requested resource
	// that no node lists is the same on every node (a ghost).
	listed := map[string]bool{}
	for _, n := range m.Nodes {
		for r := range n.Alloc {
			listed[r] = true
		}
	}
	set := map[string]bool{}
	selectorKeys := map[string]bool{}
	for _, w := range m.Workloads {
		for r := range w.Shape.Req {
			if listed[r] || !IsExtendedResource(r) {
				set[r] = true
			}
		}
		for k := range w.Shape.nodeSelector {
			selectorKeys[k] = true
		}
	}
	for r := range set {
		m.universe = append(m.universe, r)
	}
	sort.Slice(m.universe, func(i, j int) bool { return ResourceLess(m.universe[i], m.universe[j]) })
	m.resIndex = make(map[string]int, len(m.universe))
	for i, r := range m.universe {
		m.resIndex[r] = i
	}
	for _, n := range m.Nodes {
		n.limit = make([]int64, len(m.universe))
		n.used = make([]int64, len(m.universe))
		for i, r := range m.universe {
			if v, ok := n.Limit(r); ok {
				n.limit[i] = v
			} else {
				n.limit[i] = noLimit
			}
		}
		n.podLimit = noLimit
		if v, ok := n.Limit("pods"); ok {
			n.podLimit = v
		}
	}
	m.top = make([]int64, len(m.universe))
	for _, n := range m.Nodes {
		for r, lim := range n.limit {
			if lim == noLimit {
				lim = maxMilli
			}
			m.top[r] = max(m.top[r], lim)
		}
	}
	m.indexNodes(selectorKeys)
	for _, w := range m.Workloads {
		s := w.Shape
		for r, v := range s.Req {
			if i, ok := m.resIndex[r]; ok {
				s.req = append(s.req, resAmount{i, v})
			} else {
				s.ghosts = append(s.ghosts, ghost{r, v})
			}
		}
		sort.Slice(s.req, func(i, j int) bool { return s.req[i].r < s.req[j].r })
		w.con = m.constraintOf(s, w.Daemon)
		w.share = m.share(s)
		w.sig = signature(s)
	}
}

// share is a pod's dominant share of the cluster: the largest fraction of
// any resource's total that one pod asks for. Pods are placed in decreasing
// order of it.
func (m *Model) share(s *Shape) float64 {
	var best float64
	for r, v := range s.Req {
		if t := m.Total[r]; t > 0 {
			best = max(best, float64(v)/float64(t))
		} else if _, known := m.Total[r]; known {
			best = max(best, math.Inf(1))
		}
	}
	return best
}

// signature identifies the shapes placed together: same requests, selector
// and tolerations.
func signature(s *Shape) string {
	var b strings.Builder
	for _, r := range SortedKeys(s.Req) {
		b.WriteString(strconv.Quote(r) + "=" + strconv.FormatInt(s.Req[r], 10) + ";")
	}
	b.WriteByte('|')
	writeSelector(&b, s.nodeSelector)
	writeTolerations(&b, s.tolerations)
	return b.String()
}
