package rules

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// InsufficientCapacity reports workloads whose pods do not fit the nodes.
var InsufficientCapacity = &Rule{
	ID:       "insufficient-capacity",
	Summary:  "The pods the manifests ask for do not fit the nodes; some stay Pending",
	Severity: diag.Error,
	Doc: `The pods that the manifests create request more CPU, memory, pods or extended resources than the
nodes can allocate, so the scheduler leaves some of them ` + "`Pending`" + `:

    0/1 nodes are available: 1 Insufficient cpu.

This is the seed article's pitfall: a single 1-CPU minikube node and 7 pods that each request
` + "`cpu: \"0.2\"`" + ` — five run, two never start.

**Nodes** come from ` + "`Node`" + ` objects in the linted tree (a saved ` + "`kubectl get nodes -o yaml`" + `, a ` + "`kind: List`" + `, works),
using ` + "`status.allocatable`" + ` (else ` + "`status.capacity`" + `), their labels, taints and ` + "`spec.unschedulable`" + `; or from
` + "`--node-capacity cpu=2,memory=4Gi[,pods=110][,count=3]`" + ` (repeatable, one flag per node shape; it replaces
the Node objects of the tree; ` + "`pods`" + ` defaults to 110, the kubelet's default; a resource the flag does not
name is not limited; such nodes have no known labels, so every ` + "`nodeSelector`" + ` matches them). With neither, the
rule is silent.

**Pods**: ` + "`replicas`" + ` of Deployments, ReplicaSets, StatefulSets and ReplicationControllers (default 1), one pod
per eligible node for DaemonSets, bare Pods, a Job's ` + "`parallelism`" + ` (at most its ` + "`completions`" + `). CronJobs, suspended Jobs
(` + "`suspend: true`" + `, as Kueue uses them) and pods with ` + "`schedulingGates`" + ` are not counted: their pods come and go,
or wait for a controller that only releases them when there is room. An object defined twice with the same kind, namespace and name (overlays)
counts once. A pod requests, per resource, the larger of the sum over its containers and sidecars (init
containers with ` + "`restartPolicy: Always`" + `) and the largest ordinary init container (plus the sidecars started
before it), plus the pod overhead (` + "`spec.overhead`" + `, or the ` + "`overhead.podFixed`" + ` of its RuntimeClass in the tree);
a container with a limit and no request requests its limit, as Kubernetes defaults it; pod-level
` + "`spec.resources`" + ` replace the containers' sum for cpu and memory.

**Placement** is deterministic first-fit decreasing: pods bound to a node (DaemonSets, ` + "`spec.nodeName`" + `)
first, then the others from the largest dominant share down, each on the first node in order that
matches its ` + "`nodeSelector`" + `, tolerates the node's NoSchedule/NoExecute taints and has room for every
resource (cpu, memory, ephemeral-storage, pods, hugepages and extended resources such as
` + "`nvidia.com/gpu`" + `). Pods of the same shape are interleaved across workloads, one replica of each in turn.
The finding is reported once per workload with pods left over, at its request, with the nodes as related
locations. A pod larger than every node is reported even when it is alone.

What the rule does not see: pods already running in the cluster (kube-system add-ons take CPU too, so the
real room is smaller), LimitRange defaults, ResourceQuota, node affinity, pod (anti-)affinity, topology
spread, priorities and preemption, and autoscalers. Workloads whose pods match no node at all (a
` + "`nodeSelector`" + ` or taint that the listed nodes do not satisfy) are left alone: the node list may be partial.

## Bad

` + "```yaml" + `
# cluster/nodes.yaml: one node with status.allocatable.cpu: "1"
kind: Deployment
spec:
  replicas: 7
  template:
    spec:
      containers:
      - resources:
          requests: {cpu: "0.2"}
` + "```" + `

## Good

` + "```yaml" + `
      containers:
      - resources:
          requests: {cpu: 100m}
` + "```" + `

## Fix

Add nodes (or bigger ones), or lower ` + "`resources.requests`" + ` (a request is what the scheduler reserves, not
what the container uses; the limit can stay higher).`,
	Check: checkInsufficientCapacity,
}

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
			return nodeLocation(o.File, n)
		}
	}
	for _, n := range []*yamlx.Node{o.Root.Path("spec", "replicas"), o.Root.Path("spec", "parallelism"), o.Root.Path("metadata", "name")} {
		if n != nil {
			return nodeLocation(o.File, n)
		}
	}
	return nodeLocation(o.File, o.Root)
}

func capacityMessage(c *cluster, w *capWorkload) string {
	f := w.failure
	var b strings.Builder
	what := workloadLabel(w.obj)
	switch {
	case w.daemon:
		fmt.Fprintf(&b, "%d of the %s of %s cannot run and stay Pending", w.left(), plural(w.count, "pod (one per node)", "pods (one per node)"), what)
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
		nodesText, formatPick(f.alloc, f.insufficient), plural(f.usedPods, "pod", "pods"), formatPick(f.used, f.insufficient))
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
				more = append(more, plural(askedPods-lim/1000, "pod", "pods"))
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
			formatRes(asked), plural(askedPods, "pod", "pods"), formatRes(pick(c.total, sortedKeys(asked))), onNodes)
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
				taken = fmt.Sprintf("taken by the %s placed before this one: %s", plural(f.nodePods[i], "pod", "pods"), formatRes(f.nodeUsed[i]))
			}
			msg = fmt.Sprintf("node %s: allocatable %s, pods %s; %s", n.name, formatRes(all), pods, taken)
		}
		if l, ok := nodeRelated(n, msg); ok {
			out = append(out, l)
		}
	}
	return out
}
