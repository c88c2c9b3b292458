package sched

import (
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

// aggregate accumulates one resource over the eligible nodes.
type aggregate struct {
	alloc, used, largest, mostFree int64
	limited                        bool // some eligible node limits it
	short                          int  // eligible nodes without room for it
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
}

// recordFailure notes why the next pod of w finds no node, over all nodes
// or, for a DaemonSet pod, over its node.
func (m *Model) recordFailure(w *Workload, daemonNode *Node) *Failure {
	if w.Failure != nil {
		return w.Failure
	}
	s, c := w.Shape, w.con
	nodes := m.Nodes
	if daemonNode != nil {
		nodes = []*Node{daemonNode}
	}
	f := &Failure{Total: len(nodes)}
	perClass := make([]int, len(m.classes)) // refusing nodes per class
	nameMismatch := 0
	res := make([]aggregate, len(s.req))
	var pods aggregate
	for _, n := range nodes {
		why := c.why(n)
		if len(f.Nodes) < MaxRelated {
			used := Amounts{}
			for i, v := range n.used {
				if v != 0 {
					used[m.universe[i]] = v
				}
			}
			f.Nodes = append(f.Nodes, NodeState{Node: n, Eligible: why == "", Used: used, Pods: n.pods})
		}
		if why != "" {
			if why == reasonNodeName && c.nodeName != "" && n.Obj != nil && c.nodeName != n.Name {
				nameMismatch++
			} else {
				perClass[n.class]++
			}
			continue
		}
		if f.FirstEligible == nil {
			f.FirstEligible = n
		}
		f.Eligible++
		f.UsedPods = addSat(f.UsedPods, n.pods)
		for j, ra := range s.req {
			lim := n.limit[ra.r]
			res[j].add(lim, n.used[ra.r], lim != noLimit)
			if lim != noLimit && (lim-n.used[ra.r] < 0 || (lim-n.used[ra.r])/ra.v < 1) {
				res[j].short++
			}
		}
		pods.add(n.podLimit, mulSat(n.pods, 1000), n.podLimit != noLimit)
		if n.full() {
			pods.short++
		}
	}
	f.Reasons = map[string]int{}
	if nameMismatch > 0 {
		f.Reasons[reasonNodeName] += nameMismatch
	}
	for cl, k := range perClass {
		if k > 0 {
			f.Reasons[c.reason[cl]] += k
		}
	}
	f.Alloc, f.Used, f.Largest, f.MostFree = Amounts{}, Amounts{}, Amounts{}, Amounts{}
	if f.Eligible > 0 {
		for j, ra := range s.req {
			r := m.universe[ra.r]
			res[j].into(f, r)
			if res[j].short > 0 {
				f.Reasons["Insufficient "+r] += res[j].short
				f.Insufficient = append(f.Insufficient, r)
			}
		}
		pods.into(f, "pods")
		if pods.short > 0 {
			f.Reasons["Too many pods"] += pods.short
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
