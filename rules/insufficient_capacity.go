package rules

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
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
	c := buildCluster(ws)
	for _, w := range c.workloads {
		if w.left() <= 0 || w.failure == nil {
			continue
		}
		f := w.failure
		var resources []string
		for _, r := range f.insufficient {
			if r != "pods" {
				resources = append(resources, r)
			}
		}
		if len(f.insufficient) == 0 {
			continue // no eligible node at all: not a capacity problem (the node list may be partial)
		}
		report(diag.Finding{
			Location: capacityLocation(w, resources),
			Message:  capacityMessage(c, w),
			Related:  capacityRelated(w),
		})
	}
}

// capacityLocation points at the request (or limit) of the first short
// resource, else at spec.replicas, else at the object's name.
func capacityLocation(w *capWorkload, short []string) diag.Location {
	o := w.obj
	for _, r := range short {
		if n := w.shape.src[r]; n != nil {
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

func capacityMessage(c *cluster, w *capWorkload) string {
	f := w.failure
	var b strings.Builder
	what := w.obj.Label()
	switch {
	case w.daemon:
		fmt.Fprintf(&b, "%d of the %s of %s cannot run and stay Pending", w.left(), workspace.Plural(w.count, "pod (one per node)", "pods (one per node)"), what)
	case w.count == 1:
		fmt.Fprintf(&b, "the pod of %s cannot be scheduled and stays Pending", what)
	default:
		fmt.Fprintf(&b, "%d of the %d pods of %s cannot be scheduled and stay Pending", w.left(), w.count, what)
	}
	fmt.Fprintf(&b, " (%s): each pod requests %s", f.schedulerMessage(), formatRes(w.shape.req))

	var tooBig []string
	for _, r := range f.insufficient {
		if r != "pods" && w.shape.req[r] > f.largest[r] {
			tooBig = append(tooBig, r)
		}
	}
	if len(tooBig) > 0 {
		fmt.Fprintf(&b, ", more %s than the largest node allocates (%s), so no node can ever run it. Use bigger nodes or lower the request (%s)",
			strings.Join(tooBig, " and "), formatRes(pick(f.largest, tooBig)), requestFieldHint(tooBig))
		return b.String()
	}
	nodesText := fmt.Sprintf("the %d nodes it may use allocate", f.eligible)
	if f.eligible == 1 {
		n := f.firstEligible
		nodesText = "the node " + n.name
		if n.obj == nil {
			nodesText = "the node of " + n.name
		}
		if f.total > 1 {
			nodesText += " (the only one it may use)"
		}
		nodesText += " allocates"
	}
	fmt.Fprintf(&b, "; %s %s, of which the %s placed first already take %s",
		nodesText, formatPick(f.alloc, f.insufficient), workspace.Plural(f.usedPods, "pod", "pods"), formatPick(f.used, f.insufficient))
	if f.eligible > 1 {
		// The pod needs its room on one node: say how much the best node has.
		fmt.Fprintf(&b, " (the most free on any one node: %s)", formatPick(f.mostFree, f.insufficient))
	}

	// What all workloads ask for, against all nodes.
	asked, askedPods := c.askedTotals(f.insufficient)
	var more []string
	for _, r := range f.insufficient {
		if r == "pods" {
			if lim, ok := c.total["pods"]; ok && askedPods*1000 > lim {
				more = append(more, workspace.Plural(askedPods-lim/1000, "pod", "pods"))
			}
			continue
		}
		if lim, ok := c.total[r]; ok && asked[r] > lim {
			more = append(more, r+" "+formatQty(r, asked[r]-lim))
		}
	}
	onNodes := "on the node"
	if len(c.nodes) > 1 {
		onNodes = fmt.Sprintf("on all %d nodes", len(c.nodes))
	}
	if len(asked) > 0 {
		fmt.Fprintf(&b, "; all workloads together ask for %s (%s) against %s allocatable %s",
			formatRes(asked), workspace.Plural(askedPods, "pod", "pods"), formatRes(pick(c.total, sortedKeys(asked))), onNodes)
	}
	fix := "lower the requests (" + requestFieldHint(f.insufficient) + ")"
	if len(f.insufficient) == 1 && f.insufficient[0] == "pods" {
		fix = "run fewer pods (replicas), or raise the kubelet's --max-pods"
	}
	if len(more) > 0 {
		fmt.Fprintf(&b, ". Add nodes or bigger ones (short by at least %s), or %s", strings.Join(more, ", "), fix)
	} else {
		fmt.Fprintf(&b, ": the total would fit, but not pod by pod on the nodes this pod may use. Add nodes or bigger ones, or %s", fix)
	}
	return b.String()
}

// formatPick writes the given resources of r ("pods" as a count).
func formatPick(r resList, keys []string) string {
	return formatRes(pick(r, keys))
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

func pick(r resList, keys []string) resList {
	out := resList{}
	for _, k := range keys {
		out[k] = r[k]
	}
	return out
}

func capacityRelated(w *capWorkload) []diag.Location {
	f := w.failure
	var out []diag.Location
	for i, n := range f.nodes {
		var msg string
		if !f.nodeEligible[i] {
			msg = fmt.Sprintf("node %s: not eligible for this pod", n.name)
		} else {
			all := resList{}
			for r, v := range n.alloc {
				if r == "cpu" || r == "memory" || w.shape.req[r] > 0 {
					all[r] = v
				}
			}
			pods := "?"
			if lim, ok := n.limit("pods"); ok {
				pods = formatQty("pods", lim)
			}
			taken := "no pod was placed on it before this one"
			if f.nodePods[i] > 0 {
				taken = fmt.Sprintf("taken by the %s placed before this one: %s", workspace.Plural(f.nodePods[i], "pod", "pods"), formatRes(f.nodeUsed[i]))
			}
			msg = fmt.Sprintf("node %s: allocatable %s, pods %s; %s", n.name, formatRes(all), pods, taken)
		}
		if l, ok := nodeRelated(n, msg); ok {
			out = append(out, l)
		}
	}
	return out
}
