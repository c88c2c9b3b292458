package apivalid

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// The pod-spec checks of k8s.io/kubernetes pkg/apis/core/validation that
// read more than one container: ephemeral containers on create, the fields
// an init container may only have as a sidecar, Windows hostProcess
// consistency, procMount and hostUsers, topology spread constraints.

// isNotPositive is the API server's isNotPositiveErrorMsg.
const isNotPositive = "must be greater than zero"

// forbiddenEphemeral are the fields of EphemeralContainerCommon that
// allowedEphemeralContainerFields does not allow (validateFieldAllowList:
// "cannot be set for an Ephemeral Container"), by their JSON names.
var forbiddenEphemeral = []string{"ports", "resources", "resizePolicy", "restartPolicy", "restartPolicyRules", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle"}

// sidecarOnly are the fields validateInitContainers forbids for an init
// container without restartPolicy: Always.
var sidecarOnly = []string{"lifecycle", "livenessProbe", "readinessProbe", "startupProbe"}

// podSpec runs the pod-level checks after the containers.
func (c *checker) podSpec(p *pod) {
	c.ephemeral(p)
	c.initSidecarFields(p)
	c.hostProcess(p)
	c.procMount(p)
	c.topologySpread(p)
}

// ephemeral: ephemeral containers are added through the ephemeralcontainers
// subresource of a running pod, never on create (ValidatePodCreate), nor in
// a template (ValidatePodTemplateSpec); the fields they may not have.
func (c *checker) ephemeral(p *pod) {
	key := p.spec.KeyNode("ephemeralContainers")
	items := p.spec.Get("ephemeralContainers")
	if key == nil || items.NumItems() == 0 {
		return
	}
	fp := p.path.Child("ephemeralContainers")
	msg := "cannot be set on create"
	fix := "remove ephemeralContainers: they are added to a running pod with kubectl debug (the ephemeralcontainers subresource)"
	if c.o.Kind != "Pod" {
		msg = "ephemeral containers not allowed in pod template"
	}
	c.add(Problem{Node: key, Err: field.Forbidden(fp, msg), Short: shorten(p.short, fp.String()), Fix: fix})
	for i, it := range items.Items() {
		k := p.ctrAt(it, "ephemeralContainers", i)
		for _, f := range forbiddenEphemeral {
			if v := it.Get(f); !set(v) {
				continue
			}
			ep := k.path().Child(f)
			c.add(Problem{Node: it.KeyNode(f), Err: field.Forbidden(ep, "cannot be set for an Ephemeral Container"), Short: shorten(p.short, ep.String()), Items: k.items(),
				Fix: "remove " + f + ": an ephemeral container is a debugging aid without ports, resources, probes or lifecycle hooks"})
		}
		for j, m := range it.Get("volumeMounts").Items() {
			for _, f := range []string{"subPath", "subPathExpr"} {
				if v, ok := str(m.Get(f)); ok && v != "" {
					ep := k.path().Child("volumeMounts").Index(j).Child(f)
					c.add(Problem{Node: m.KeyNode(f), Err: field.Forbidden(ep, "cannot be set for an Ephemeral Container"), Short: shorten(p.short, ep.String()), Items: k.items(),
						Fix: "mount the whole volume: ephemeral containers take no " + f})
				}
			}
		}
	}
}

// set reports whether a field holds a value (not null, "", [] or {}).
func set(n *yamlx.Node) bool {
	switch {
	case n == nil || n.IsNull():
		return false
	case n.Kind() == yamlx.Scalar:
		return n.Value() != ""
	}
	return n.Len() > 0
}

// initSidecarFields: lifecycle hooks and probes belong to init containers
// that keep running (restartPolicy: Always, a sidecar); a plain init
// container runs to completion and may not have them.
func (c *checker) initSidecarFields(p *pod) {
	for i, it := range p.spec.Get("initContainers").Items() {
		if it.Kind() != yamlx.Mapping {
			continue
		}
		if v, _ := str(it.Get("restartPolicy")); v == string(corev1.ContainerRestartPolicyAlways) {
			continue
		}
		for _, f := range sidecarOnly {
			if v := it.Get(f); v == nil || v.IsNull() {
				continue
			}
			k := p.ctrAt(it, "initContainers", i)
			fp := k.path().Child(f)
			c.add(Problem{Node: it.KeyNode(f), Err: field.Forbidden(fp, "may not be set for init containers without restartPolicy=Always"), Short: shorten(p.short, fp.String()), Items: k.items(),
				Fix: fmt.Sprintf("remove %s, or make the init container a sidecar that keeps running: restartPolicy: Always", f)})
		}
	}
}

var containerLists = [...]string{"initContainers", "containers", "ephemeralContainers"}

// eachContainer visits the containers of every list, as
// podshelper.VisitContainersWithPath does. The container's description
// (its field path) is built only when a problem asks for it.
func eachContainer(p *pod, f func(it *yamlx.Node, list string, i int)) {
	for _, list := range containerLists {
		for i, it := range p.spec.Get(list).Items() {
			if it.Kind() == yamlx.Mapping {
				f(it, list, i)
			}
		}
	}
}

// ctrAt describes container i of list.
func (p *pod) ctrAt(it *yamlx.Node, list string, i int) *ctr {
	return &ctr{node: it, parent: p.path, list: list, index: i}
}

// hostProcess is validateWindowsHostProcessPod: hostProcess containers
// cannot be mixed with others, and need hostNetwork.
func (c *checker) hostProcess(p *pod) {
	podNode := p.spec.Path("securityContext", "windowsOptions", "hostProcess")
	podHP, podSet := podNode.Bool()
	count, hp := 0, 0
	var first, other *yamlx.Node // a hostProcess container's value, a container that is not one
	var otherList string
	otherIndex := -1
	eachContainer(p, func(it *yamlx.Node, list string, i int) {
		count++
		n := it.Path("securityContext", "windowsOptions", "hostProcess")
		v, ok := n.Bool()
		if podSet && ok && v != podHP {
			k := p.ctrAt(it, list, i)
			fp := k.path().Child("securityContext", "windowsOptions", "hostProcess")
			c.add(Problem{Node: n, Err: field.Invalid(fp, v, fmt.Sprintf("pod hostProcess value must be identical if both are specified, was %v", podHP)),
				Short: shorten(p.short, fp.String()), Items: k.items(), Fix: "write the same hostProcess as the pod's securityContext, or remove one of them",
				Related: []diag.Location{c.loc(podNode, "the pod's hostProcess")}})
		}
		if (ok && v) || (!ok && podSet && podHP) {
			hp++
			if first == nil {
				first = n
			}
		} else if other == nil {
			otherList, otherIndex = list, i
			if other = n; other == nil {
				other = it.Get("name")
			}
			if other == nil {
				other = it
			}
		}
	})
	if hp == 0 {
		return
	}
	if first == nil {
		first = podNode
	}
	related := []diag.Location{c.loc(first, "a hostProcess container")}
	at := c.specKey(p)
	if hp != count {
		otherPath := shorten(p.short, p.path.Child(otherList).Index(otherIndex).String())
		// The API server names the whole spec; the finding points at the
		// first container that is not a hostProcess one.
		c.add(Problem{Node: other, Err: field.Invalid(p.path, "", "If pod contains any hostProcess containers then all containers must be HostProcess containers"),
			Headline: fmt.Sprintf("%s: Invalid value: all containers must be HostProcess containers when one is, and %s is not", p.short, otherPath),
			Fix:      "set securityContext.windowsOptions.hostProcess: true on the pod (every container inherits it), or on none", Related: related})
	}
	if v, _ := p.spec.Get("hostNetwork").Bool(); !v {
		n := p.spec.Get("hostNetwork")
		if n == nil {
			n = at
		}
		c.add(Problem{Node: n, Err: field.Invalid(p.path.Child("hostNetwork"), false, "hostNetwork must be true if pod contains any hostProcess containers"),
			Fix: "set hostNetwork: true: a hostProcess container runs in the node's network", Related: related})
	}
}

// specKey is the key of the pod spec, where a problem of the whole spec is
// reported.
func (c *checker) specKey(p *pod) *yamlx.Node {
	parent := c.o.Root
	if t := c.kind.pod.template; len(t) > 0 {
		parent = c.o.Root.Path(t...)
	}
	if k := parent.KeyNode("spec"); k != nil {
		return k
	}
	return p.spec
}

// procMount is the procMount part of validateSecurityContext: Default or
// Unmasked, and Unmasked only in a user namespace (hostUsers: false).
func (c *checker) procMount(p *pod) {
	hostUsers := true
	if v, ok := p.spec.Get("hostUsers").Bool(); ok {
		hostUsers = v
	}
	eachContainer(p, func(it *yamlx.Node, list string, i int) {
		n := it.Path("securityContext", "procMount")
		v, ok := str(n)
		if !ok || IsTemplated(v) || v == string(corev1.DefaultProcMount) || v == string(corev1.UnmaskedProcMount) && !hostUsers {
			return
		}
		k := p.ctrAt(it, list, i)
		fp := k.path().Child("securityContext", "procMount")
		if values := []string{string(corev1.DefaultProcMount), string(corev1.UnmaskedProcMount)}; !has(values, v) {
			c.add(Problem{Node: n, Err: field.NotSupported(fp, v, values), Short: shorten(p.short, fp.String()), Items: k.items(), Fix: enumFix(v, values)})
			return
		}
		if hostUsers && v == string(corev1.UnmaskedProcMount) {
			c.add(Problem{Node: n, Err: field.Invalid(fp, v, "`hostUsers` must be false to use `Unmasked`"), Short: shorten(p.short, fp.String()), Items: k.items(),
				Fix: "set hostUsers: false in the pod spec (a user namespace), or remove procMount: Unmasked"})
		}
	})
}

// topologySpread is validateTopologySpreadConstraints (maxSkew, minDomains,
// whenUnsatisfiable, node inclusion policies, repeated constraints, the
// label selector); a missing maxSkew, topologyKey or whenUnsatisfiable is
// missing-required-field's.
func (c *checker) topologySpread(p *pod) {
	items := p.spec.Get("topologySpreadConstraints")
	actions := []string{string(corev1.DoNotSchedule), string(corev1.ScheduleAnyway)}
	policies := []string{string(corev1.NodeInclusionPolicyHonor), string(corev1.NodeInclusionPolicyIgnore)}
	for i, it := range items.Items() {
		if it.Kind() != yamlx.Mapping {
			continue
		}
		fp := p.path.Child("topologySpreadConstraints").Index(i)
		c.positive(it.Get("maxSkew"), fp.Child("maxSkew"), p.short, "spread the pods with a maxSkew of 1 or more")
		action, _ := str(it.Get("whenUnsatisfiable"))
		c.enum(it.Get("whenUnsatisfiable"), fp.Child("whenUnsatisfiable"), p.short, actions)
		if n := it.Get("minDomains"); n != nil && !n.IsNull() {
			c.positive(n, fp.Child("minDomains"), p.short, "write a minDomains of 1 or more")
			// An absent whenUnsatisfiable is not DoNotSchedule either (and is
			// missing-required-field's finding).
			if v, ok := n.Int(); ok && v > 0 && action != string(corev1.DoNotSchedule) && (action == "" || has(actions, action)) {
				c.add(Problem{Node: n, Err: field.Invalid(fp.Child("minDomains"), int32OrInt(v), fmt.Sprintf("can only use minDomains if whenUnsatisfiable=%s, not %s", corev1.DoNotSchedule, action)),
					Short: shorten(p.short, fp.Child("minDomains").String()), Fix: "remove minDomains, or set whenUnsatisfiable: DoNotSchedule"})
			}
		}
		c.enumKey(it, "nodeAffinityPolicy", fp, p.short, policies)
		c.enumKey(it, "nodeTaintsPolicy", fp, p.short, policies)
		key, kok := str(it.Get("topologyKey"))
		for j := i + 1; j < items.NumItems(); j++ {
			later := items.Item(j)
			lk, lok := str(later.Get("topologyKey"))
			la, _ := str(later.Get("whenUnsatisfiable"))
			if kok && lok && key == lk && action == la && key != "" {
				dp := fp.Child("{topologyKey, whenUnsatisfiable}")
				c.add(Problem{Node: it.Get("topologyKey"), Err: field.Duplicate(dp, fmt.Sprintf("{%v, %v}", key, action)),
					Headline: fmt.Sprintf("%s: Duplicate value: topologyKey %q with %s", shorten(p.short, fp.String()), key, action),
					Fix:      "merge the two constraints: one constraint per topologyKey and whenUnsatisfiable", Related: []diag.Location{c.loc(later.Get("topologyKey"), "the other constraint")}})
				break
			}
		}
		if sel := it.Get("labelSelector"); sel != nil {
			c.labelSelector(sel, fp.Child("labelSelector"))
		}
	}
}

// positive is ValidatePositiveField for an integer that is written.
func (c *checker) positive(n *yamlx.Node, fp *field.Path, short, fix string) {
	if v, ok := n.Int(); ok && v <= 0 {
		c.add(Problem{Node: n, Err: field.Invalid(fp, int32OrInt(v), isNotPositive), Short: shorten(short, fp.String()), Fix: fix})
	}
}
