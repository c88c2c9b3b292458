package sched

import "strings"

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
