package rules

// The cluster model shared by insufficient-capacity and
// rollout-exceeds-capacity: the nodes (Node objects in the tree, or
// --node-capacity), the pods the manifests create, and a deterministic
// first-fit-decreasing placement of those pods on those nodes.

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// maxMilli caps quantities so that sums cannot overflow.
const maxMilli = math.MaxInt64 / 1024

// defaultMaxPods is the kubelet's default --max-pods.
const defaultMaxPods = 110

// ParseQuantityMilli parses a Kubernetes quantity ("500m", "1.5", "4Gi")
// and returns it in thousandths (capped at an overflow-safe maximum).
func ParseQuantityMilli(s string) (int64, error) {
	q, err := resource.ParseQuantity(strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	if q.Sign() < 0 {
		return 0, fmt.Errorf("quantity %q is negative", s)
	}
	if q.CmpInt64(maxMilli/1000) > 0 {
		return maxMilli, nil
	}
	return q.MilliValue(), nil
}

// ParseNodeCapacity reads a --node-capacity value:
// "cpu=2,memory=4Gi[,pods=110][,count=3][,nvidia.com/gpu=1]".
func ParseNodeCapacity(s string) (workspace.NodeSpec, error) {
	spec := workspace.NodeSpec{Resources: map[string]string{}, Count: 1, Source: "--node-capacity " + s}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return spec, fmt.Errorf("%q: want NAME=QUANTITY (cpu=2,memory=4Gi,pods=110,count=3)", part)
		}
		if _, dup := spec.Resources[k]; dup || (k == "count" && spec.Count != 1) {
			return spec, fmt.Errorf("%q is given twice", k)
		}
		if k == "count" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 100000 {
				return spec, fmt.Errorf("count=%s: want a whole number of nodes from 1 to 100000", v)
			}
			spec.Count = n
			continue
		}
		if _, err := ParseQuantityMilli(v); err != nil {
			return spec, fmt.Errorf("%s=%s: not a Kubernetes quantity", k, v)
		}
		spec.Resources[k] = v
	}
	if len(spec.Resources) == 0 {
		return spec, fmt.Errorf("%q gives no resource (want cpu=2,memory=4Gi...)", s)
	}
	return spec, nil
}

// resList maps a resource name to an amount in thousandths.
type resList map[string]int64

// Source positions of a pod's requests, for reporting.
type reqSource map[string]*yamlx.Node

type taint struct{ key, value, effect string }

type toleration struct{ key, operator, value, effect string }

func (t toleration) tolerates(tn taint) bool {
	if t.effect != "" && t.effect != tn.effect {
		return false
	}
	if t.operator == "Exists" {
		return t.key == "" || t.key == tn.key
	}
	return t.key == tn.key && t.value == tn.value
}

type clusterNode struct {
	name string
	obj  *workspace.Object // nil for --node-capacity nodes
	// alloc holds the known allocatable amounts; a resource that is absent
	// is unlimited unless zeroMissing says the node has none of it.
	alloc         resList
	zeroMissing   bool // Node objects: extended resources they do not list are 0
	labels        map[string]string
	labelsKnown   bool
	taints        []taint
	unschedulable bool

	used resList
	pods int64
}

func (n *clusterNode) limit(r string) (int64, bool) {
	if v, ok := n.alloc[r]; ok {
		return v, true
	}
	if r == "pods" {
		return 0, false
	}
	if n.zeroMissing && isExtendedResource(r) {
		return 0, true
	}
	return 0, false
}

// isExtendedResource reports resources that a node has only when it lists
// them (nvidia.com/gpu, hugepages-2Mi).
func isExtendedResource(r string) bool {
	return strings.Contains(r, "/") || strings.HasPrefix(r, "hugepages-")
}

// scheduledResource reports the request names the scheduler's fit check counts.
func scheduledResource(r string) bool {
	switch r {
	case "cpu", "memory", "ephemeral-storage":
		return true
	}
	return isExtendedResource(r) && !strings.HasPrefix(r, "requests.")
}

// podShape is what the scheduler sees of one pod.
type podShape struct {
	req          resList
	src          reqSource
	nodeSelector map[string]string
	tolerations  []toleration
	nodeName     string
}

// capWorkload is one object that creates pods.
type capWorkload struct {
	obj    *workspace.Object
	tmpl   *workspace.PodTemplate
	order  int
	daemon bool
	count  int64 // pods wanted (DaemonSets: eligible nodes, filled in by place)
	shape  podShape

	placed int64
	// schedulable is set when at least one node passes the pod's selector,
	// taint and cordon checks.
	schedulable bool
	// failure holds, per node index, why the first pod that did not fit was
	// refused, with the node state at that moment.
	failure *failure
}

func (w *capWorkload) left() int64 { return w.count - w.placed }

// failure describes the moment a workload's first pod found no room; the
// workloads of one shape that fail together share it.
type failure struct {
	reasons map[string]int // scheduler-style reason -> node count
	// insufficient lists the resources that some node lacked.
	insufficient  []string
	total         int // nodes considered
	eligible      int // nodes that pass selector, taint and cordon checks
	firstEligible *clusterNode
	// Over the eligible nodes: allocatable, use, pods placed, the largest
	// allocatable and the most free on one node, per resource ("pods" in thousandths).
	alloc, used, largest, mostFree resList
	usedPods                       int64
	// The first maxRelated nodes, with their state, for related locations.
	nodes        []*clusterNode
	nodeEligible []bool
	nodeUsed     []resList
	nodePods     []int64
}

// cluster is the placement result.
type cluster struct {
	nodes     []*clusterNode
	workloads []*capWorkload
	source    string // "--node-capacity ..." or ""
	// allFit is set when every pod of every workload was placed.
	allFit bool
	total  resList // allocatable over all nodes (known amounts)
	asked  map[string]askedTotal
}

// buildCluster models the cluster once per workspace.
func buildCluster(ws *workspace.Workspace) *cluster {
	return ws.Memo("rules.cluster", func() any { return newCluster(ws) }).(*cluster)
}

func newCluster(ws *workspace.Workspace) *cluster {
	c := &cluster{}
	if len(ws.Settings.Nodes) > 0 {
		for _, spec := range ws.Settings.Nodes {
			alloc := resList{}
			for k, v := range spec.Resources {
				if m, err := ParseQuantityMilli(v); err == nil {
					alloc[k] = m
				}
			}
			if _, ok := alloc["pods"]; !ok {
				alloc["pods"] = defaultMaxPods * 1000
			}
			count := max(spec.Count, 1)
			for i := 0; i < count; i++ {
				name := spec.Source
				if count > 1 {
					name = fmt.Sprintf("%s (node %d of %d)", spec.Source, i+1, count)
				}
				c.nodes = append(c.nodes, &clusterNode{name: name, alloc: alloc, used: resList{}})
			}
		}
		c.source = ws.Settings.Nodes[0].Source
	} else {
		seen := map[string]bool{}
		for _, o := range ws.OfKind("Node") {
			if o.Group() != "" || seen[o.Name] {
				continue
			}
			seen[o.Name] = true
			c.nodes = append(c.nodes, nodeFromObject(o))
		}
	}
	if len(c.nodes) == 0 {
		return c
	}
	c.total = resList{}
	for _, n := range c.nodes {
		for r, v := range n.alloc {
			c.total[r] = min(c.total[r]+v, maxMilli)
		}
	}
	c.workloads = collectWorkloads(ws)
	c.place()
	return c
}

func nodeFromObject(o *workspace.Object) *clusterNode {
	n := &clusterNode{name: o.Name, obj: o, alloc: resList{}, used: resList{}, zeroMissing: true, labelsKnown: true}
	status := o.Root.Get("status")
	for _, field := range []string{"capacity", "allocatable"} { // allocatable wins
		status.Get(field).Pairs(func(k, v *yamlx.Node) {
			if v.Kind != yamlx.Scalar {
				return
			}
			if m, err := ParseQuantityMilli(v.Value); err == nil {
				n.alloc[k.Value] = m
			}
		})
	}
	n.labels = map[string]string{}
	o.Root.Path("metadata", "labels").Pairs(func(k, v *yamlx.Node) { n.labels[k.Value] = v.Value })
	spec := o.Root.Get("spec")
	if b, ok := spec.Get("unschedulable").Bool(); ok && b {
		n.unschedulable = true
	}
	for _, t := range spec.Get("taints").Items() {
		e := t.Get("effect").Str()
		if e == "NoSchedule" || e == "NoExecute" {
			n.taints = append(n.taints, taint{key: t.Get("key").Str(), value: t.Get("value").Str(), effect: e})
		}
	}
	return n
}

// replicaKinds create spec.replicas pods (default 1).
var replicaKinds = map[string]bool{
	"Deployment": true, "ReplicaSet": true, "StatefulSet": true, "ReplicationController": true, "DeploymentConfig": true,
}

func collectWorkloads(ws *workspace.Workspace) []*capWorkload {
	var out []*capWorkload
	type key struct{ kind, ns, name string }
	seen := map[key]bool{}
	for _, t := range ws.Templates {
		o := t.Object
		var count int64
		daemon := false
		spec := o.Root.Get("spec")
		switch {
		case o.Kind == "Pod":
			count = 1
		case o.Kind == "DaemonSet":
			daemon = true
		case o.Kind == "Job":
			if b, ok := spec.Get("suspend").Bool(); ok && b {
				continue // a queue (Kueue) starts it when there is room
			}
			count = 1
			if p := spec.Get("parallelism"); p != nil {
				v, ok := p.Int()
				if !ok {
					continue
				}
				count = v
			}
			if c := spec.Get("completions"); c != nil {
				if v, ok := c.Int(); ok && v < count {
					count = v
				}
			}
		case replicaKinds[o.Kind]:
			count = 1
			if r := spec.Get("replicas"); r != nil && !r.IsNull() {
				v, ok := r.Int()
				if !ok {
					continue // templated or invalid: unknown
				}
				count = v
			}
		default:
			continue // PodTemplate, CronJob: no pods at rest
		}
		if count < 0 || (!daemon && count == 0) {
			continue
		}
		if o.Name != "" { // generateName objects are distinct each time
			k := key{o.Kind, o.Namespace, o.Name}
			if seen[k] {
				continue // the same object in two places (overlays): counted once
			}
			seen[k] = true
		}
		if len(t.Spec.Get("schedulingGates").Items()) > 0 {
			continue // held back until a controller removes the gates
		}
		shape, ok := podShapeOf(ws, t)
		if !ok {
			continue
		}
		out = append(out, &capWorkload{obj: o, tmpl: t, order: len(out), daemon: daemon, count: count, shape: shape})
	}
	return out
}

// podShapeOf computes a pod's requests as the scheduler does
// (k8s.io/component-helpers resource.PodRequests): the sum over containers
// and sidecars (init containers with restartPolicy Always), or the largest
// ordinary init container plus the sidecars started before it if larger,
// plus the pod overhead. A container with a limit and no request requests
// its limit. ok is false when a quantity does not parse (the API server
// rejects the object, so it creates no pod).
func podShapeOf(ws *workspace.Workspace, t *workspace.PodTemplate) (podShape, bool) {
	s := podShape{req: resList{}, src: reqSource{}}
	spec := t.Spec
	ok := true
	containerReq := func(c *yamlx.Node) resList {
		out := resList{}
		res := c.Get("resources")
		// A limit without a request is the request (Kubernetes defaulting);
		// a request, read second, wins.
		for _, field := range []string{"limits", "requests"} {
			res.Get(field).Pairs(func(k, v *yamlx.Node) {
				if !scheduledResource(k.Value) {
					return
				}
				m, err := ParseQuantityMilli(v.Value)
				if err != nil || v.Kind != yamlx.Scalar {
					ok = false
					return
				}
				out[k.Value] = m
			})
		}
		return out
	}
	// Track the node of the largest contribution per resource.
	best := map[string]int64{}
	note := func(c *yamlx.Node, r resList) {
		for k, v := range r {
			if v <= best[k] && s.src[k] != nil {
				continue
			}
			best[k] = v
			res := c.Get("resources")
			if n := res.Get("requests").Get(k); n != nil {
				s.src[k] = n
			} else if n := res.Get("limits").Get(k); n != nil {
				s.src[k] = n
			}
		}
	}
	for _, c := range spec.Get("containers").Items() {
		r := containerReq(c)
		note(c, r)
		addRes(s.req, r)
	}
	sidecars := resList{}
	initMax := resList{}
	for _, c := range spec.Get("initContainers").Items() {
		r := containerReq(c)
		note(c, r)
		if c.Get("restartPolicy").Str() == "Always" {
			addRes(s.req, r)
			addRes(sidecars, r)
			maxRes(initMax, sidecars)
			continue
		}
		tmp := resList{}
		addRes(tmp, r)
		addRes(tmp, sidecars)
		maxRes(initMax, tmp)
	}
	maxRes(s.req, initMax)
	// Pod-level resources (spec.resources) replace the containers' sum for cpu and memory.
	if pr := spec.Get("resources"); pr != nil {
		for _, field := range []string{"limits", "requests"} {
			pr.Get(field).Pairs(func(k, v *yamlx.Node) {
				if k.Value != "cpu" && k.Value != "memory" {
					return
				}
				m, err := ParseQuantityMilli(v.Value)
				if err != nil {
					ok = false
					return
				}
				s.req[k.Value] = m
				s.src[k.Value] = v
			})
		}
	}
	overhead := spec.Get("overhead")
	if overhead == nil {
		if rc := spec.Get("runtimeClassName").Str(); rc != "" {
			if o := ws.Lookup("RuntimeClass", "", rc); o != nil {
				overhead = o.Root.Path("overhead", "podFixed")
			}
		}
	}
	overhead.Pairs(func(k, v *yamlx.Node) {
		if m, err := ParseQuantityMilli(v.Value); err == nil && scheduledResource(k.Value) {
			s.req[k.Value] = min(s.req[k.Value]+m, maxMilli)
		}
	})
	for k, v := range s.req {
		if v == 0 {
			delete(s.req, k)
		}
	}
	spec.Get("nodeSelector").Pairs(func(k, v *yamlx.Node) {
		if s.nodeSelector == nil {
			s.nodeSelector = map[string]string{}
		}
		s.nodeSelector[k.Value] = v.Value
	})
	for _, tl := range spec.Get("tolerations").Items() {
		s.tolerations = append(s.tolerations, toleration{
			key: tl.Get("key").Str(), operator: tl.Get("operator").Str(), value: tl.Get("value").Str(), effect: tl.Get("effect").Str(),
		})
	}
	s.nodeName = spec.Get("nodeName").Str()
	return s, ok
}

func addRes(dst, src resList) {
	for k, v := range src {
		dst[k] = min(dst[k]+v, maxMilli)
	}
}

func maxRes(dst, src resList) {
	for k, v := range src {
		if v > dst[k] {
			dst[k] = v
		}
	}
}

// eligibility explains why a node refuses a pod before resources are
// considered ("" when it does not).
func eligibility(n *clusterNode, s *podShape, daemon bool) string {
	if s.nodeName != "" && n.obj != nil && s.nodeName != n.name {
		return "node(s) didn't match the requested node name"
	}
	if n.labelsKnown {
		for k, v := range s.nodeSelector {
			if lv, ok := n.labels[k]; !ok || lv != v {
				return "node(s) didn't match Pod's node affinity/selector"
			}
		}
	}
	if n.unschedulable && !daemon && s.nodeName == "" {
		return "node(s) were unschedulable"
	}
	for _, tn := range n.taints {
		tolerated := false
		for _, tl := range s.tolerations {
			if tl.tolerates(tn) {
				tolerated = true
				break
			}
		}
		if !tolerated {
			if tn.value != "" {
				return fmt.Sprintf("node(s) had untolerated taint {%s: %s}", tn.key, tn.value)
			}
			return fmt.Sprintf("node(s) had untolerated taint {%s: }", tn.key)
		}
	}
	return ""
}

// fits returns how many pods of shape s still fit on n (at most want), and
// the resources that stop the next one.
func (n *clusterNode) fits(s *podShape, want int64) (int64, []string) {
	k := want
	var short []string
	limitBy := func(r string, free, per int64) {
		if per <= 0 {
			return
		}
		can := free / per
		if free < 0 {
			can = 0
		}
		if can < k {
			k = can
		}
		if can < want {
			short = append(short, r)
		}
	}
	if lim, ok := n.limit("pods"); ok {
		limitBy("pods", (lim-n.pods*1000)/1000, 1)
	}
	for _, r := range sortedKeys(s.req) {
		if lim, ok := n.limit(r); ok {
			limitBy(r, lim-n.used[r], s.req[r])
		}
	}
	return max(k, 0), short
}

func (n *clusterNode) add(s *podShape, k int64) {
	if k <= 0 {
		return
	}
	for r, v := range s.req {
		n.used[r] = min(n.used[r]+v*k, maxMilli)
	}
	n.pods += k
}

func sortedKeys(m resList) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return resourceLess(keys[i], keys[j]) })
	return keys
}

// resourceLess orders cpu, memory, ephemeral-storage, then the rest by name.
func resourceLess(a, b string) bool {
	rank := func(r string) int {
		switch r {
		case "cpu":
			return 0
		case "memory":
			return 1
		case "ephemeral-storage":
			return 2
		case "pods":
			return 4
		}
		return 3
	}
	if rank(a) != rank(b) {
		return rank(a) < rank(b)
	}
	return a < b
}

// share is a pod's dominant share of the cluster: the largest fraction of
// any resource's total that one pod asks for. Pods are placed in decreasing
// order of it.
func (c *cluster) share(s *podShape) float64 {
	var best float64
	for r, v := range s.req {
		if t := c.total[r]; t > 0 {
			best = max(best, float64(v)/float64(t))
		} else if _, known := c.total[r]; known {
			best = max(best, math.Inf(1))
		}
	}
	return best
}

// maxRelated bounds the nodes a finding lists as related locations.
const maxRelated = 10

func (c *cluster) recordFailure(w *capWorkload, daemonNode *clusterNode) *failure {
	if w.failure != nil {
		return w.failure
	}
	f := &failure{reasons: map[string]int{}, alloc: resList{}, used: resList{}, largest: resList{}, mostFree: resList{}}
	seen := map[string]bool{}
	nodes := c.nodes
	if daemonNode != nil {
		nodes = []*clusterNode{daemonNode}
	}
	f.total = len(nodes)
	for _, n := range nodes {
		why := eligibility(n, &w.shape, w.daemon)
		if len(f.nodes) < maxRelated {
			used := resList{}
			for r, v := range n.used {
				if v != 0 {
					used[r] = v
				}
			}
			f.nodes = append(f.nodes, n)
			f.nodeUsed = append(f.nodeUsed, used)
			f.nodePods = append(f.nodePods, n.pods)
			f.nodeEligible = append(f.nodeEligible, why == "")
		}
		if why != "" {
			f.reasons[why]++
			continue
		}
		if f.firstEligible == nil {
			f.firstEligible = n
		}
		f.eligible++
		f.usedPods += n.pods
		for r := range w.shape.req {
			f.add(n, r, n.used[r])
		}
		f.add(n, "pods", n.pods*1000)
		_, short := n.fits(&w.shape, 1)
		for _, r := range short {
			if r == "pods" {
				f.reasons["Too many pods"]++
			} else {
				f.reasons["Insufficient "+r]++
			}
			if !seen[r] {
				seen[r] = true
				f.insufficient = append(f.insufficient, r)
			}
		}
	}
	sort.Slice(f.insufficient, func(i, j int) bool { return resourceLess(f.insufficient[i], f.insufficient[j]) })
	w.failure = f
	return f
}

// add accounts one eligible node's allocatable and use of resource r.
func (f *failure) add(n *clusterNode, r string, used int64) {
	f.used[r] = min(f.used[r]+used, maxMilli)
	lim, ok := n.limit(r)
	if !ok {
		return
	}
	f.alloc[r] = min(f.alloc[r]+lim, maxMilli)
	f.largest[r] = max(f.largest[r], lim)
	free := max(lim-used, 0)
	if cur, set := f.mostFree[r]; !set || free > cur {
		f.mostFree[r] = free
	}
}

// askedTotals sums, over the workloads that some node accepts, the
// requests for the given resources and the pods that ask for any of them
// (all pods when "pods" is among them). Cached per resource set.
func (c *cluster) askedTotals(rs []string) (resList, int64) {
	key := strings.Join(rs, ",")
	if a, ok := c.asked[key]; ok {
		return a.res, a.pods
	}
	asked := resList{}
	var pods int64
	for _, x := range c.workloads {
		if x.count <= 0 || !x.schedulable {
			continue
		}
		counted := false
		for _, r := range rs {
			if r == "pods" {
				counted = true
				continue
			}
			if v := x.shape.req[r]; v > 0 {
				asked[r] = min(asked[r]+v*min(x.count, maxMilli/v), maxMilli)
				counted = true
			}
		}
		if counted {
			pods = min(pods+x.count, maxMilli)
		}
	}
	if c.asked == nil {
		c.asked = map[string]askedTotal{}
	}
	c.asked[key] = askedTotal{asked, pods}
	return asked, pods
}

type askedTotal struct {
	res  resList
	pods int64
}

// place puts every pod on a node: first the pods bound to a node
// (DaemonSets, one per eligible node; pods with spec.nodeName), then the
// others in decreasing dominant share, first fit over the nodes in order.
// Pods of the same shape are interleaved across their workloads (one
// replica of each in turn), as a scheduler fed by several controllers at
// once would see them.
func (c *cluster) place() {
	ws := append([]*capWorkload(nil), c.workloads...)
	sort.SliceStable(ws, func(i, j int) bool {
		si, sj := c.share(&ws[i].shape), c.share(&ws[j].shape)
		if si != sj {
			return si > sj
		}
		return ws[i].order < ws[j].order
	})
	for _, w := range ws {
		for _, n := range c.nodes {
			if eligibility(n, &w.shape, w.daemon) == "" {
				w.schedulable = true
				break
			}
		}
	}
	// Bound pods first.
	for _, w := range ws {
		switch {
		case w.daemon:
			w.count = 0
			for _, n := range c.nodes {
				// DaemonSet pods tolerate the unschedulable taint and are bound
				// to their node; a node they cannot run on gets no pod.
				if eligibility(n, &w.shape, true) != "" {
					continue
				}
				w.count++
				if k, _ := n.fits(&w.shape, 1); k == 1 {
					n.add(&w.shape, 1)
					w.placed++
				} else {
					c.recordFailure(w, n)
				}
			}
		case w.shape.nodeName != "":
			for _, n := range c.nodes {
				if n.obj != nil && n.name == w.shape.nodeName {
					k, _ := n.fits(&w.shape, w.count)
					n.add(&w.shape, k)
					w.placed = k
					if k < w.count {
						c.recordFailure(w, n)
					}
				}
			}
			if w.failure == nil && w.placed < w.count {
				w.count = w.placed // bound to a node that is not in the tree: unknown
			}
		}
	}
	// Then the rest, grouped by identical shape.
	var groups [][]*capWorkload
	index := map[string]int{}
	for _, w := range ws {
		if w.daemon || w.shape.nodeName != "" {
			continue
		}
		sig := shapeSignature(&w.shape)
		i, ok := index[sig]
		if !ok {
			i = len(groups)
			index[sig] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], w)
	}
	for _, g := range groups {
		var want int64
		for _, w := range g {
			want = min(want+w.count, maxMilli)
		}
		s := &g[0].shape
		var placed int64
		for _, n := range c.nodes {
			if placed == want {
				break
			}
			if eligibility(n, s, false) != "" {
				continue
			}
			k, _ := n.fits(s, want-placed)
			n.add(s, k)
			placed += k
		}
		distribute(g, placed)
		var shared *failure
		for _, w := range g {
			if w.placed < w.count {
				if shared == nil {
					shared = c.recordFailure(w, nil)
				}
				w.failure = shared
			}
		}
	}
	c.allFit = true
	for _, w := range c.workloads {
		if w.left() > 0 {
			c.allFit = false
		}
	}
}

// distribute hands placed pods to the workloads of a group one replica at
// a time, in workload order (round robin).
func distribute(g []*capWorkload, placed int64) {
	counts := make([]int64, len(g))
	for i, w := range g {
		counts[i] = w.count
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
		w.placed = min(counts[i], level)
		if rest > 0 && counts[i] > level {
			w.placed++
			rest--
		}
	}
}

func shapeSignature(s *podShape) string {
	var b strings.Builder
	for _, r := range sortedKeys(s.req) {
		fmt.Fprintf(&b, "%s=%d;", r, s.req[r])
	}
	b.WriteString("|")
	keys := make([]string, 0, len(s.nodeSelector))
	for k := range s.nodeSelector {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s;", k, s.nodeSelector[k])
	}
	b.WriteString("|")
	for _, t := range s.tolerations {
		fmt.Fprintf(&b, "%s/%s/%s/%s;", t.key, t.operator, t.value, t.effect)
	}
	return b.String()
}

// formatQty writes an amount in thousandths the way kubectl would.
func formatQty(r string, milli int64) string {
	if milli >= maxMilli {
		return "(too large)"
	}
	if r == "cpu" {
		if milli%1000 == 0 {
			return strconv.FormatInt(milli/1000, 10)
		}
		return strconv.FormatInt(milli, 10) + "m"
	}
	if r == "pods" || isExtendedResource(r) && !strings.HasPrefix(r, "hugepages-") {
		if milli%1000 == 0 {
			return strconv.FormatInt(milli/1000, 10)
		}
		return resource.NewMilliQuantity(milli, resource.DecimalSI).String()
	}
	if milli%1000 != 0 {
		return resource.NewMilliQuantity(milli, resource.DecimalSI).String()
	}
	v := milli / 1000
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"Ti", 1 << 40}, {"Gi", 1 << 30}, {"Mi", 1 << 20}, {"Ki", 1 << 10}} {
		if v >= u.size && v%u.size == 0 {
			return strconv.FormatInt(v/u.size, 10) + u.suffix
		}
	}
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"G", 1e9}, {"M", 1e6}, {"k", 1e3}} {
		if v >= u.size && v%u.size == 0 {
			return strconv.FormatInt(v/u.size, 10) + u.suffix
		}
	}
	return strconv.FormatInt(v, 10)
}

// formatRes writes "cpu 200m, memory 200Mi".
func formatRes(r resList) string {
	var parts []string
	for _, k := range sortedKeys(r) {
		parts = append(parts, k+" "+formatQty(k, r[k]))
	}
	if len(parts) == 0 {
		return "no resources"
	}
	return strings.Join(parts, ", ")
}

// schedulerMessage renders reasons like the scheduler's FailedScheduling event.
func (f *failure) schedulerMessage() string {
	var parts []string
	for why, n := range f.reasons {
		parts = append(parts, fmt.Sprintf("%d %s", n, why))
	}
	sort.Strings(parts)
	return fmt.Sprintf("0/%d nodes are available: %s", f.total, strings.Join(parts, ", "))
}

func nodeRelated(n *clusterNode, msg string) (diag.Location, bool) {
	if n.obj == nil {
		return diag.Location{}, false
	}
	at := n.obj.Root.Path("metadata", "name")
	if at == nil {
		at = n.obj.Root
	}
	l := workspace.NodeLocation(n.obj.File, at)
	l.Message = msg
	return l, true
}
