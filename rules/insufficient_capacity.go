package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/sched"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// InsufficientCapacity reports workloads whose pods do not fit the nodes.
var InsufficientCapacity = register(&Rule{
	ID:       "insufficient-capacity",
	Summary:  "The pods the manifests ask for do not fit the nodes; some stay Pending",
	Severity: diag.Error,
	Check:    checkInsufficientCapacity,
})

func checkInsufficientCapacity(ws *workspace.Workspace, report Report) {
	for _, c := range sched.Units(ws) {
		checkInsufficientCapacityUnit(c, report)
	}
}

func checkInsufficientCapacityUnit(c *sched.Model, report Report) {
	done := map[*sched.Failure]said{}
	for _, w := range c.Workloads {
		if w.Left() <= 0 || w.Failure == nil {
			continue
		}
		f := w.Failure
		var resources []string
		for _, r := range f.Insufficient {
			if r != "pods" {
				resources = append(resources, r)
			}
		}
		if len(f.Insufficient) == 0 {
			continue // no eligible node at all: not a capacity problem (the node list may be partial)
		}
		// Workloads that fail together share a failure and a shape: what is
		// said about the nodes is built once for all of them.
		d, ok := done[f]
		if !ok {
			detail, fix := capacityDetail(c, w)
			d = said{detail, fix, capacityRelated(w)}
			done[f] = d
		}
		report(diag.Finding{
			Location: capacityLocation(w, resources),
			Message:  capacityHead(w),
			Detail:   d.detail,
			Fix:      d.fix,
			Related:  slices.Clone(d.related),
		})
	}
}

type said struct {
	detail  string
	fix     string
	related []diag.Location
}

// capacityLocation points at the request (or limit) of the first short
// resource, else at spec.replicas, else at the object's name.
func capacityLocation(w *sched.Workload, short []string) diag.Location {
	o := w.Obj
	for _, r := range short {
		if n := w.Shape.Src[r]; n != nil {
			return workspace.NodeLocation(o.File, n)
		}
	}
	for _, n := range []*yamlx.Node{o.Root.Path("spec", "replicas"), o.Root.Path("spec", "parallelism"), o.Root.Path("metadata", "name")} {
		if n != nil {
			return workspace.NodeLocation(o.File, n)
		}
	}
	return workspace.NodeLocation(o.File, o.Root)
}

// capacityHead says which workload's pods stay Pending.
func capacityHead(w *sched.Workload) string {
	var b strings.Builder
	what := clip(w.Obj.Label(), 70)
	switch {
	case w.Daemon:
		fmt.Fprintf(&b, "%d of the %s of %s cannot run and stay Pending", w.Left(), workspace.Plural(w.Count, "pod (one per node)", "pods (one per node)"), what)
	case w.Count == 1:
		fmt.Fprintf(&b, "the pod of %s cannot be scheduled and stays Pending", what)
	default:
		fmt.Fprintf(&b, "%d of the %d pods of %s cannot be scheduled and stay Pending", w.Left(), w.Count, what)
	}
	return b.String()
}

// capacityDetail says why, from the failure that w shares with the
// workloads of its shape, and the fix.
func capacityDetail(c *sched.Model, w *sched.Workload) (detail, fix string) {
	f := w.Failure
	var b strings.Builder
	fmt.Fprintf(&b, "%s: each pod requests %s", f.SchedulerMessage(), sched.FormatRes(w.Shape.Req))

	var tooBig []string
	for _, r := range f.Insufficient {
		if r != "pods" && w.Shape.Req[r] > f.Largest[r] {
			tooBig = append(tooBig, r)
		}
	}
	if len(tooBig) > 0 {
		fmt.Fprintf(&b, ", more %s than the largest node allocates (%s), so no node can ever run it",
			strings.Join(tooBig, " and "), sched.FormatRes(f.Largest.Pick(tooBig)))
		return b.String(), fmt.Sprintf("use bigger nodes or lower the request (%s)", requestFieldHint(tooBig))
	}
	nodesText := fmt.Sprintf("the %d nodes it may use allocate", f.Eligible)
	if f.Eligible == 1 {
		n := f.FirstEligible
		nodesText = "the node " + n.Name
		if n.Obj == nil {
			nodesText = "the node of " + n.Name
		}
		if f.Total > 1 {
			nodesText += " (the only one it may use)"
		}
		nodesText += " allocates"
	}
	fmt.Fprintf(&b, "; %s %s, of which the %s placed first already take %s",
		nodesText, formatPick(f.Alloc, f.Insufficient), workspace.Plural(f.UsedPods, "pod", "pods"), formatPick(f.Used, f.Insufficient))
	if f.Eligible > 1 {
		// The pod needs its room on one node: say how much the best node has.
		fmt.Fprintf(&b, " (the most free on any one node: %s)", formatPick(f.MostFree, f.Insufficient))
	}

	// What all workloads ask for, against all nodes.
	asked, askedPods := f.Asked, f.AskedPods
	var more []string
	for _, r := range f.Insufficient {
		if r == "pods" {
			if lim, ok := c.Total["pods"]; ok && askedPods*1000 > lim {
				more = append(more, workspace.Plural(askedPods-lim/1000, "pod", "pods"))
			}
			continue
		}
		if lim, ok := c.Total[r]; ok && asked[r] > lim {
			more = append(more, r+" "+sched.FormatQty(r, asked[r]-lim))
		}
	}
	onNodes := "on the node"
	if len(c.Nodes) > 1 {
		onNodes = fmt.Sprintf("on all %d nodes", len(c.Nodes))
	}
	if len(asked) > 0 {
		fmt.Fprintf(&b, "; all workloads together ask for %s (%s) against %s allocatable %s",
			sched.FormatRes(asked), workspace.Plural(askedPods, "pod", "pods"), sched.FormatRes(c.Total.Pick(sched.SortedKeys(asked))), onNodes)
	}
	fix = "lower the requests (" + requestFieldHint(f.Insufficient) + ")"
	if len(f.Insufficient) == 1 && f.Insufficient[0] == "pods" {
		fix = "run fewer pods (replicas), or raise the kubelet's --max-pods"
	}
	if len(more) > 0 {
		return b.String(), fmt.Sprintf("add nodes or bigger ones (short by at least %s), or %s", strings.Join(more, ", "), fix)
	}
	b.WriteString(": the total would fit, but not pod by pod on the nodes this pod may use")
	return b.String(), "add nodes or bigger ones, or " + fix
}

// formatPick writes the given resources of r ("pods" as a count).
func formatPick(r sched.Amounts, keys []string) string {
	return sched.FormatRes(r.Pick(keys))
}

func requestFieldHint(rs []string) string {
	var fields []string
	for _, r := range rs {
		if r == "pods" {
			continue
		}
		fields = append(fields, "resources.requests."+r)
	}
	return strings.Join(fields, ", ")
}

func capacityRelated(w *sched.Workload) []diag.Location {
	var out []diag.Location
	for _, st := range w.Failure.Nodes {
		n := st.Node
		if n.Obj == nil {
			continue
		}
		var msg string
		if !st.Eligible {
			msg = fmt.Sprintf("node %s: not eligible for this pod", n.Name)
		} else {
			all := sched.Amounts{}
			for r, v := range n.Alloc {
				if r == "cpu" || r == "memory" || w.Shape.Req[r] > 0 {
					all[r] = v
				}
			}
			pods := "?"
			if lim, ok := n.Limit("pods"); ok {
				pods = sched.FormatQty("pods", lim)
			}
			taken := "no pod was placed on it before this one"
			if st.Pods > 0 {
				taken = fmt.Sprintf("taken by the %s placed before this one: %s", workspace.Plural(st.Pods, "pod", "pods"), sched.FormatRes(st.Used))
			}
			msg = fmt.Sprintf("node %s: allocatable %s, pods %s; %s", n.Name, sched.FormatRes(all), pods, taken)
		}
		at := n.Obj.Root.Path("metadata", "name")
		if at == nil {
			at = n.Obj.Root
		}
		l := workspace.NodeLocation(n.Obj.File, at)
		l.Message = msg
		out = append(out, l)
	}
	return out
}
