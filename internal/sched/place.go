package sched

import (
	"sort"
	"strings"
)

// fits returns how many pods of shape s still fit on n (at most want).
func (n *Node) fits(s *Shape, want int64) int64 {
	if len(s.ghosts) > 0 && n.zeroMissing {
		return 0 // a resource no Node object lists: none has any
	}
	k := want
	if n.podLimit != noLimit {
		free := (n.podLimit - n.pods*1000) / 1000
		k = min(k, max(free, 0))
	}
	for _, ra := range s.req {
		if k <= 0 {
			return 0
		}
		lim := n.limit[ra.r]
		if lim == noLimit {
			continue
		}
		free := lim - n.used[ra.r]
		if free < 0 {
			return 0
		}
		k = min(k, free/ra.v)
	}
	return max(k, 0)
}

func (m *Model) add(n *Node, s *Shape, k int64) {
	if k <= 0 {
		return
	}
	m.version++
	for _, ra := range s.req {
		n.used[ra.r] = addSat(n.used[ra.r], mulSat(ra.v, k))
	}
	n.pods = addSat(n.pods, k)
}

// full reports whether n has no room for any pod.
func (n *Node) full() bool {
	return n.podLimit != noLimit && (n.podLimit-n.pods*1000)/1000 < 1
}

// place puts every pod on a node: first the pods bound to a node
// (DaemonSets, one per eligible node; pods with spec.nodeName), then the
// others in decreasing dominant share, first fit over the nodes in order.
// Pods of the same shape are interleaved across their workloads (one
// replica of each in turn), as a scheduler fed by several controllers at
// once would see them.
func (m *Model) place() {
	ws := append([]*Workload(nil), m.Workloads...)
	sort.SliceStable(ws, func(i, j int) bool {
		if ws[i].share != ws[j].share {
			return ws[i].share > ws[j].share
		}
		return ws[i].order < ws[j].order
	})
	for _, w := range ws {
		w.Schedulable = m.schedulable(w.con)
	}
	// Bound pods first.
	for _, w := range ws {
		switch {
		case w.Daemon:
			w.Count = 0
			for _, i := range m.eligible(w.con).nodes {
				// DaemonSet pods tolerate the unschedulable taint and are bound
				// to their node; a node they cannot run on gets no pod.
				n := m.Nodes[i]
				w.Count++
				if n.fits(w.Shape, 1) == 1 {
					m.add(n, w.Shape, 1)
					w.Placed++
				} else {
					m.recordFailure(w, n)
				}
			}
		case w.Shape.nodeName != "":
			if n := m.byName[w.Shape.nodeName]; n != nil {
				k := n.fits(w.Shape, w.Count)
				m.add(n, w.Shape, k)
				w.Placed = k
				if k < w.Count {
					m.recordFailure(w, n)
				}
			}
			if w.Failure == nil && w.Placed < w.Count {
				w.Count = w.Placed // bound to a node that is not in the tree: unknown
			}
		}
	}
	// Then the rest, grouped by identical shape.
	var groups [][]*Workload
	index := map[string]int{}
	for _, w := range ws {
		if w.Daemon || w.Shape.nodeName != "" {
			continue
		}
		i, ok := index[w.sig]
		if !ok {
			i = len(groups)
			index[w.sig] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], w)
	}
	for _, g := range groups {
		var want int64
		for _, w := range g {
			want = addSat(want, w.Count)
		}
		s, c := g[0].Shape, g[0].con
		var placed int64
		if m.mayFit(s) {
			set := m.eligible(c)
			elig := set.open
			kept := elig[:0]
			for j, i := range elig {
				if placed == want {
					kept = append(kept, elig[j:]...)
					break
				}
				n := m.Nodes[i]
				if n.full() {
					continue // full for good: dropped from the list
				}
				kept = append(kept, i)
				k := n.fits(s, want-placed)
				m.add(n, s, k)
				placed += k
			}
			set.open = kept
		}
		distribute(g, placed)
		var shared *Failure
		for _, w := range g {
			if w.Placed < w.Count {
				if shared == nil {
					shared = m.recordFailure(w, nil)
				}
				w.Failure = shared
			}
		}
	}
	m.AllFit = true
	for _, w := range m.Workloads {
		if w.Left() > 0 {
			m.AllFit = false
		}
	}
}

// mayFit reports whether some node allocates enough of every resource for
// one pod of s when empty (if none does, placement need not look).
func (m *Model) mayFit(s *Shape) bool {
	if len(s.ghosts) > 0 && m.Nodes[0].zeroMissing {
		return false
	}
	for _, ra := range s.req {
		if m.top[ra.r] < ra.v {
			return false
		}
	}
	return true
}

// distribute hands placed pods to the workloads of a group one replica at
// a time, in workload order (round robin).
func distribute(g []*Workload, placed int64) {
	counts := make([]int64, len(g))
	for i, w := range g {
		counts[i] = w.Count
	}
	sorted := append([]int64(nil), counts...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	// Find the level L such that sum(min(count, L)) <= placed < sum(min(count, L+1)).
	var level, rest int64
	remaining := placed
	active := int64(len(g))
	prev := int64(0)
	for _, c := range sorted {
		step := c - prev
		if step > 0 {
			if active*step > remaining || active*step < 0 {
				level = prev + remaining/active
				rest = remaining % active
				remaining = -1
				break
			}
			remaining -= active * step
			prev = c
		}
		active--
	}
	if remaining >= 0 {
		level, rest = prev, 0
	}
	for i, w := range g {
		w.Placed = min(counts[i], level)
		if rest > 0 && counts[i] > level {
			w.Placed++
			rest--
		}
	}
}

// Surge is the room one more pod of a Deployment finds after placement.
type Surge struct {
	// Room is set when some node that accepts the pod has room for it.
	Room bool
	// MostFree is, per requested resource, the most free on one such node.
	MostFree Amounts
}

// finish computes, after placement, what the rules read: the totals the
// failures compare with, and the surge room of Deployments.
func (m *Model) finish() {
	var d *demand
	for _, w := range m.Workloads {
		if f := w.Failure; f != nil && f.Asked == nil {
			key := strings.Join(f.Insufficient, ",")
			a, ok := m.asked[key]
			if !ok {
				if d == nil {
					d = m.demand()
				}
				a = m.askedTotals(d, f.Insufficient)
				if m.asked == nil {
					m.asked = map[string]asked{}
				}
				m.asked[key] = a
			}
			f.Asked, f.AskedPods = a.res, a.pods
		}
	}
	if !m.AllFit {
		return
	}
	type surgeKey struct {
		con *constraint
		sig string
	}
	surges := map[surgeKey]*Surge{}
	for _, w := range m.Workloads {
		if w.Obj.Kind != "Deployment" || w.Count < 1 {
			continue
		}
		c := w.con // a Deployment's pods are not a DaemonSet's
		key := surgeKey{c, w.sig}
		if s, ok := surges[key]; ok {
			w.Surge = s
			continue
		}
		s := &Surge{MostFree: Amounts{}}
		for r := range w.Shape.Req {
			s.MostFree[r] = 0
		}
		for _, i := range m.eligible(c).nodes {
			n := m.Nodes[i]
			if !s.Room && n.fits(w.Shape, 1) == 1 {
				s.Room = true
			}
			for _, ra := range w.Shape.req {
				if lim := n.limit[ra.r]; lim != noLimit {
					r := m.universe[ra.r]
					if d := lim - n.used[ra.r]; d > s.MostFree[r] {
						s.MostFree[r] = d
					}
				}
			}
		}
		surges[key] = s
		w.Surge = s
	}
}

// demand is what the workloads that some node accepts ask for, per resource.
type demand struct {
	res     Amounts                // per resource: the requests of all their pods
	pods    map[string]int64       // per resource: the pods that request it
	by      map[string][]*Workload // per resource: the workloads that request it
	allPods int64
}

func (m *Model) demand() *demand {
	d := &demand{res: Amounts{}, pods: map[string]int64{}, by: map[string][]*Workload{}}
	for _, x := range m.Workloads {
		if x.Count <= 0 || !x.Schedulable {
			continue
		}
		d.allPods = addSat(d.allPods, x.Count)
		for r, v := range x.Shape.Req {
			if v > 0 {
				d.res[r] = addSat(d.res[r], mulSat(v, x.Count))
				d.pods[r] = addSat(d.pods[r], x.Count)
				d.by[r] = append(d.by[r], x)
			}
		}
	}
	return d
}

// askedTotals sums, over the workloads that some node accepts, the
// requests for the given resources and the pods that ask for any of them
// (all pods when "pods" is among them). The pods of the resource most
// workloads request are counted from its total, the others workload by
// workload, so a set of resources costs the workloads of all but one.
func (m *Model) askedTotals(d *demand, rs []string) asked {
	res := Amounts{}
	anyPods := false
	big := ""
	for _, r := range rs {
		if r == "pods" {
			anyPods = true
			continue
		}
		if _, ok := d.res[r]; ok {
			res[r] = d.res[r]
			if big == "" || len(d.by[r]) > len(d.by[big]) {
				big = r
			}
		}
	}
	if anyPods {
		return asked{res, d.allPods}
	}
	pods := d.pods[big]
	seen := map[*Workload]bool{}
	for _, r := range rs {
		if r == big || r == "pods" {
			continue
		}
		for _, x := range d.by[r] {
			if x.Shape.Req[big] > 0 || seen[x] {
				continue
			}
			seen[x] = true
			pods = addSat(pods, x.Count)
		}
	}
	return asked{res, pods}
}
