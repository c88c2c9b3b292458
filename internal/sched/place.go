package sched

import (
	"sort"
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
