package sched

import (
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// MaxRelated bounds the nodes a failure keeps with their state, for
// related locations.
const MaxRelated = 10

// Failure describes the moment a workload's first pod found no room; the
// workloads of one shape that fail together share it.
type Failure struct {
	// Reasons maps a scheduler-style reason to the count of nodes that gave it.
	Reasons map[string]int
	// Insufficient lists the resources that some node lacked, in
	// ResourceLess order ("pods" for a node at its pod limit).
	Insufficient []string
	Total        int // nodes considered
	Eligible     int // nodes that pass selector, taint and cordon checks
	// FirstEligible is the first of those nodes (nil when none).
	FirstEligible *Node
	// Over the eligible nodes, per requested resource and "pods":
	// allocatable, use, the largest allocatable and the most free on one
	// node ("pods" in thousandths).
	Alloc, Used, Largest, MostFree Amounts
	// UsedPods is the pods placed on the eligible nodes.
	UsedPods int64
	// Nodes are the first MaxRelated nodes considered, with their state.
	Nodes []NodeState
	// Asked is what all schedulable workloads request of the Insufficient
	// resources, and AskedPods the pods that ask for any of them (all pods
	// when "pods" is among them).
	Asked     Amounts
	AskedPods int64
}

// NodeState is a node as a failing pod found it.
type NodeState struct {
	Node     *Node
	Eligible bool
	Used     Amounts // the amounts in use that are not 0
	Pods     int64
}

// SchedulerMessage renders the reasons like the scheduler's FailedScheduling event.
func (f *Failure) SchedulerMessage() string {
	parts := make([]string, 0, len(f.Reasons))
	for why, n := range f.Reasons {
		parts = append(parts, strconv.Itoa(n)+" "+why)
	}
	sort.Strings(parts)
	return "0/" + strconv.Itoa(f.Total) + " nodes are available: " + strings.Join(parts, ", ")
}

// summary is the state of the nodes a constraint's pods may use, at one
// moment of placement (one version of the node state): what every failure
// of a pod of that constraint at that moment reports, whatever its shape.
// It is built once per constraint and version, so that many shapes that
// fail at the same moment (pods that fit nowhere) cost one pass over the
// nodes, not one each.
type summary struct {
	version  uint64
	total    int
	refusals map[string]int // reason -> nodes, before resources
	eligible int
	first    *Node
	usedPods int64
	res      []aggregate // per resource of the universe
	pods     aggregate
	nodes    []NodeState
	queries  int
}

// aggregate accumulates one resource over the eligible nodes.
type aggregate struct {
	alloc, used, largest, mostFree int64
	limited                        bool    // some eligible node limits it
	free                           []int64 // free amount on each eligible node that limits it
	sorted                         bool
	full                           int // pods only: eligible nodes at their pod limit
}

func (a *aggregate) add(lim, used int64, limited bool) {
	a.used = addSat(a.used, used)
	if !limited {
		return
	}
	a.alloc = addSat(a.alloc, lim)
	a.largest = max(a.largest, lim)
	free := max(lim-used, 0)
	if !a.limited || free > a.mostFree {
		a.mostFree = free
	}
	a.limited = true
	a.free = append(a.free, lim-used)
}

// short counts the eligible nodes that have less than v free.
func (a *aggregate) short(v int64, many bool) int {
	if many && !a.sorted {
		slices.Sort(a.free)
		a.sorted = true
	}
	if a.sorted {
		i, _ := slices.BinarySearch(a.free, v)
		return i
	}
	n := 0
	for _, f := range a.free {
		if f < v {
			n++
		}
	}
	return n
}

// summarise passes over nodes (all of them, or a DaemonSet pod's node) for pods of c.
func (m *Model) summarise(c *constraint, nodes []*Node) *summary {
	sum := &summary{version: m.version, total: len(nodes), refusals: map[string]int{}, res: make([]aggregate, len(m.universe))}
	perClass := make([]int, len(m.classes)) // refusing nodes per class
	nameMismatch := 0
	for _, n := range nodes {
		why := c.why(n)
		if len(sum.nodes) < MaxRelated {
			used := Amounts{}
			for i, v := range n.used {
				if v != 0 {
					used[m.universe[i]] = v
				}
			}
			sum.nodes = append(sum.nodes, NodeState{Node: n, Eligible: why == "", Used: used, Pods: n.pods})
		}
		if why != "" {
			if why == reasonNodeName {
				nameMismatch++
			} else {
				perClass[n.class]++
			}
			continue
		}
		if sum.first == nil {
			sum.first = n
		}
		sum.eligible++
		sum.usedPods = addSat(sum.usedPods, n.pods)
		for r, lim := range n.limit {
			sum.res[r].add(lim, n.used[r], lim != noLimit)
		}
		sum.pods.add(n.podLimit, mulSat(n.pods, 1000), n.podLimit != noLimit)
		if n.full() {
			sum.pods.full++
		}
	}
	if nameMismatch > 0 {
		sum.refusals[reasonNodeName] += nameMismatch
	}
	for cl, k := range perClass {
		if k > 0 {
			sum.refusals[c.reason[cl]] += k
		}
	}
	return sum
}

// recordFailure notes why the next pod of w finds no node, over all nodes
// or, for a DaemonSet pod, over its node.
func (m *Model) recordFailure(w *Workload, daemonNode *Node) *Failure {
	if w.Failure != nil {
		return w.Failure
	}
	s, c := w.Shape, w.con
	var sum *summary
	if daemonNode != nil {
		sum = m.summarise(c, []*Node{daemonNode})
	} else {
		if c.sum == nil || c.sum.version != m.version {
			c.sum = m.summarise(c, m.Nodes)
		}
		sum = c.sum
	}
	sum.queries++
	f := &Failure{
		Total: sum.total, Eligible: sum.eligible, FirstEligible: sum.first, UsedPods: sum.usedPods, Nodes: sum.nodes,
		Reasons: maps.Clone(sum.refusals), Alloc: Amounts{}, Used: Amounts{}, Largest: Amounts{}, MostFree: Amounts{},
	}
	if sum.eligible > 0 {
		for _, ra := range s.req {
			r := m.universe[ra.r]
			a := &sum.res[ra.r]
			a.into(f, r)
			if k := a.short(ra.v, sum.queries > 1); k > 0 {
				f.Reasons["Insufficient "+r] += k
				f.Insufficient = append(f.Insufficient, r)
			}
		}
		sum.pods.into(f, "pods")
		if sum.pods.full > 0 {
			f.Reasons["Too many pods"] += sum.pods.full
			f.Insufficient = append(f.Insufficient, "pods")
		}
	}
	w.Failure = f
	return f
}

func (a *aggregate) into(f *Failure, r string) {
	f.Used[r] = a.used
	if a.limited {
		f.Alloc[r], f.Largest[r], f.MostFree[r] = a.alloc, a.largest, a.mostFree
	}
}
