package sched

import (
	"math"

	"github.com/k8slint/k8slint/internal/settings"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// Shape is what the scheduler sees of one pod.
type Shape struct {
	// Req is the pod's request per resource (only those it asks for).
	Req Amounts
	// Src is, per resource, the request (or limit) that contributes most,
	// for reporting.
	Src          map[string]*yamlx.Node
	nodeSelector map[string]string
	tolerations  []toleration
	nodeName     string

	// req is Req over the model's resource universe, in ResourceLess
	// order, built once; ghosts are the requested resources that no node
	// lists (uniform over the nodes: none has any, or none limits them).
	req    []resAmount
	ghosts []ghost
}

type ghost struct {
	name string
	v    int64
}

type resAmount struct {
	r int   // index in the universe
	v int64 // amount (> 0)
}

// Workload is one object that creates pods.
type Workload struct {
	Obj      *workspace.Object
	Template *workspace.PodTemplate
	Daemon   bool
	// Count is the pods wanted (DaemonSets: the eligible nodes).
	Count int64
	// Placed is the pods that found a node.
	Placed int64
	Shape  *Shape
	// Schedulable is set when at least one node passes the pod's selector,
	// taint and cordon checks.
	Schedulable bool
	// Failure describes why the first pod that did not fit was refused,
	// with the node state at that moment (nil when all were placed).
	Failure *Failure
	// Surge says whether one more pod would find room after placement
	// (set for Deployments when every pod of every workload was placed).
	Surge *Surge

	order int
	share float64
	con   *constraint
	sig   string // shape signature: placement groups workloads by it
}

// Left is the pods that found no node.
func (w *Workload) Left() int64 { return w.Count - w.Placed }

// replicaKinds create spec.replicas pods (default 1).
var replicaKinds = map[string]bool{
	"Deployment": true, "ReplicaSet": true, "StatefulSet": true, "ReplicationController": true, "DeploymentConfig": true,
}

// podCount reads an int32 count field: the API server refuses larger
// values, so the object creates no pod (ok false).
func podCount(n *yamlx.Node) (int64, bool) {
	v, ok := n.Int()
	if !ok || v > math.MaxInt32 {
		return 0, false
	}
	return v, true
}

func collectWorkloads(templates []*workspace.PodTemplate, lookup func(kind, name string) *workspace.Object) []*Workload {
	var out []*Workload
	type key struct{ kind, ns, name string }
	seen := map[key]bool{}
	for _, t := range templates {
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
				v, ok := podCount(p)
				if !ok {
					continue
				}
				count = v
			}
			if c := spec.Get("completions"); c != nil {
				if v, ok := podCount(c); ok && v < count {
					count = v
				}
			}
		case replicaKinds[o.Kind]:
			count = 1
			if r := spec.Get("replicas"); r != nil && !r.IsNull() {
				v, ok := podCount(r)
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
		if t.Spec.Get("schedulingGates").NumItems() > 0 {
			continue // held back until a controller removes the gates
		}
		shape, ok := shapeOf(t, lookup)
		if !ok {
			continue
		}
		out = append(out, &Workload{Obj: o, Template: t, order: len(out), Daemon: daemon, Count: count, Shape: shape})
	}
	return out
}

// shapeOf computes a pod's requests as the scheduler does
// (k8s.io/component-helpers resource.PodRequests): the sum over containers
// and sidecars (init containers with restartPolicy Always), or the largest
// ordinary init container plus the sidecars started before it if larger,
// plus the pod overhead. A container with a limit and no request requests
// its limit. ok is false when a quantity does not parse (the API server
// rejects the object, so it creates no pod).
func shapeOf(t *workspace.PodTemplate, lookup func(kind, name string) *workspace.Object) (*Shape, bool) {
	s := &Shape{Req: Amounts{}, Src: map[string]*yamlx.Node{}}
	spec := t.Spec
	ok := true
	containerReq := func(c *yamlx.Node) Amounts {
		out := Amounts{}
		res := c.Get("resources")
		// A limit without a request is the request (Kubernetes defaulting);
		// a request, read second, wins.
		for _, field := range []string{"limits", "requests"} {
			res.Get(field).Pairs(func(k, v *yamlx.Node) {
				if !scheduledResource(k.Value()) {
					return
				}
				m, err := settings.ParseQuantity(v.Value())
				if err != nil || v.Kind() != yamlx.Scalar {
					ok = false
					return
				}
				out[k.Value()] = m
			})
		}
		return out
	}
	// Track the node of the largest contribution per resource.
	best := map[string]int64{}
	note := func(c *yamlx.Node, r Amounts) {
		for k, v := range r {
			if v <= best[k] && s.Src[k] != nil {
				continue
			}
			best[k] = v
			res := c.Get("resources")
			if n := res.Get("requests").Get(k); n != nil {
				s.Src[k] = n
			} else if n := res.Get("limits").Get(k); n != nil {
				s.Src[k] = n
			}
		}
	}
	for _, c := range spec.Get("containers").Items() {
		r := containerReq(c)
		note(c, r)
		addRes(s.Req, r)
	}
	sidecars := Amounts{}
	initMax := Amounts{}
	for _, c := range spec.Get("initContainers").Items() {
		r := containerReq(c)
		note(c, r)
		if c.Get("restartPolicy").Str() == "Always" {
			addRes(s.Req, r)
			addRes(sidecars, r)
			maxRes(initMax, sidecars)
			continue
		}
		tmp := Amounts{}
		addRes(tmp, r)
		addRes(tmp, sidecars)
		maxRes(initMax, tmp)
	}
	maxRes(s.Req, initMax)
	// Pod-level resources (spec.resources) replace the containers' sum for cpu and memory.
	if pr := spec.Get("resources"); pr != nil {
		for _, field := range []string{"limits", "requests"} {
			pr.Get(field).Pairs(func(k, v *yamlx.Node) {
				if k.Value() != "cpu" && k.Value() != "memory" {
					return
				}
				m, err := settings.ParseQuantity(v.Value())
				if err != nil {
					ok = false
					return
				}
				s.Req[k.Value()] = m
				s.Src[k.Value()] = v
			})
		}
	}
	overhead := spec.Get("overhead")
	if overhead == nil {
		if rc := spec.Get("runtimeClassName").Str(); rc != "" {
			if o := lookup("RuntimeClass", rc); o != nil {
				overhead = o.Root.Path("overhead", "podFixed")
			}
		}
	}
	overhead.Pairs(func(k, v *yamlx.Node) {
		if m, err := settings.ParseQuantity(v.Value()); err == nil && scheduledResource(k.Value()) {
			s.Req[k.Value()] = addSat(s.Req[k.Value()], m)
		}
	})
	for k, v := range s.Req {
		if v == 0 {
			delete(s.Req, k)
		}
	}
	spec.Get("nodeSelector").Pairs(func(k, v *yamlx.Node) {
		if s.nodeSelector == nil {
			s.nodeSelector = map[string]string{}
		}
		s.nodeSelector[k.Value()] = v.Value()
	})
	for _, tl := range spec.Get("tolerations").Items() {
		s.tolerations = append(s.tolerations, toleration{
			key: tl.Get("key").Str(), operator: tl.Get("operator").Str(), value: tl.Get("value").Str(), effect: tl.Get("effect").Str(),
		})
	}
	s.nodeName = spec.Get("nodeName").Str()
	return s, ok
}

func addRes(dst, src Amounts) {
	for k, v := range src {
		dst[k] = addSat(dst[k], v)
	}
}

func maxRes(dst, src Amounts) {
	for k, v := range src {
		if v > dst[k] {
			dst[k] = v
		}
	}
}
