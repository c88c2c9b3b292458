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
	// Reasons maps a scheduler-style reason to the count of nodes that gave
	// it: the MaxReasons that most nodes give before resources, and those of
	// resources. MoreReasons other reasons are given by MoreNodes nodes.
	Reasons                map[string]int
	MoreReasons, MoreNodes int
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
	if f.MoreReasons > 0 {
		parts = append(parts, "and "+strconv.Itoa(f.MoreNodes)+" node(s) with "+strconv.Itoa(f.MoreReasons)+" other reason(s)")
	}
	return "0/" + strconv.Itoa(f.Total) + " nodes are available: " + strings.Join(parts, ", ")
}

// aggregates sum up a set of eligible nodes at one moment of placement
// (one version of the node state): what every failure of a pod that may
// use those nodes reports at that moment, whatever its shape. They are
// built once per node set and version, so that many shapes that fail at
// the same moment (pods that fit nowhere) cost one pass over the nodes,
// not one each.
type aggregates struct {
	version  uint64
	eligible int
	first    *Node
	usedPods int64
	res      []aggregate // per resource of the universe
	pods     aggregate
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

// aggregate sums up the given nodes as they are now.
func (m *Model) aggregate(nodes []int32) *aggregates {
	agg := &aggregates{version: m.version, res: make([]aggregate, len(m.universe))}
	for _, i := range nodes {
		n := m.Nodes[i]
		if agg.first == nil {
			agg.first = n
		}
		agg.eligible++
		agg.usedPods = addSat(agg.usedPods, n.pods)
		for r, lim := range n.limit {
			agg.res[r].add(lim, n.used[r], lim != noLimit)
		}
		agg.pods.add(n.podLimit, mulSat(n.pods, 1000), n.podLimit != noLimit)
		if n.full() {
			agg.pods.full++
		}
	}
	return agg
}

// snapshot returns the first MaxRelated of nodes as they are now.
func (m *Model) snapshot(c *constraint, nodes []*Node) []NodeState {
	var out []NodeState
	for _, n := range nodes[:min(len(nodes), MaxRelated)] {
		used := Amounts{}
		for i, v := range n.used {
			if v != 0 {
				used[m.universe[i]] = v
			}
		}
		out = append(out, NodeState{Node: n, Eligible: c.why(m, n) == "", Used: used, Pods: n.pods})
	}
	return out
}

// recordFailure notes why the next pod of w finds no node, over all nodes
// or, for a DaemonSet pod, over its node.
func (m *Model) recordFailure(w *Workload, daemonNode *Node) *Failure {
	if w.Failure != nil {
		return w.Failure
	}
	s, c := w.Shape, w.con
	var agg *aggregates
	f := &Failure{Alloc: Amounts{}, Used: Amounts{}, Largest: Amounts{}, MostFree: Amounts{}}
	if daemonNode != nil {
		f.Total, f.Nodes, f.Reasons = 1, m.snapshot(c, []*Node{daemonNode}), map[string]int{}
		var nodes []int32
		if why := c.why(m, daemonNode); why != "" {
			f.Reasons[why] = 1
		} else {
			nodes = []int32{daemonNode.index}
		}
		agg = m.aggregate(nodes)
	} else {
		if c.refused == nil {
			r := m.refusals(c)
			c.refused = &r
		}
		f.Total, f.Nodes, f.Reasons = len(m.Nodes), m.snapshot(c, m.Nodes), maps.Clone(c.refused.top)
		f.MoreReasons, f.MoreNodes = c.refused.moreReasons, c.refused.more
		set := m.eligible(c)
		if set.agg == nil || set.agg.version != m.version {
			set.agg = m.aggregate(set.nodes)
		}
		agg = set.agg
	}
	agg.queries++
	f.Eligible, f.FirstEligible, f.UsedPods = agg.eligible, agg.first, agg.usedPods
	if agg.eligible > 0 {
		for _, ra := range s.req {
			r := m.universe[ra.r]
			a := &agg.res[ra.r]
			a.into(f, r)
			if k := a.short(ra.v, agg.queries > 1); k > 0 {
				f.Reasons["Insufficient "+r] += k
				f.Insufficient = append(f.Insufficient, r)
			}
		}
		// The resources that no node lists: Node objects have none of them
		// (every eligible node is short), the nodes of a shape do not limit them.
		for _, g := range s.ghosts {
			f.Used[g.name] = 0
			if m.Nodes[0].zeroMissing {
				f.Alloc[g.name], f.Largest[g.name], f.MostFree[g.name] = 0, 0, 0
				f.Reasons["Insufficient "+g.name] += agg.eligible
				f.Insufficient = append(f.Insufficient, g.name)
			}
		}
		sort.SliceStable(f.Insufficient, func(i, j int) bool { return ResourceLess(f.Insufficient[i], f.Insufficient[j]) })
		agg.pods.into(f, "pods")
		if agg.pods.full > 0 {
			f.Reasons["Too many pods"] += agg.pods.full
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
