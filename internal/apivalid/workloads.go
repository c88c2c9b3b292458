package apivalid

import (
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/yamlx"
)

var templatePath = []string{"spec", "template"}

func (c *checker) deployment() {
	c.selectorMatches([]string{"spec", "selector"}, templatePath)
	st := c.o.Root.Path("spec", "strategy")
	sp := specStrategyPath
	c.strategyType(st, sp, []string{"Recreate", "RollingUpdate"}, false)
	ru := st.Get("rollingUpdate")
	if ru == nil || ru.IsNull() {
		return
	}
	if t, _ := str(st.Get("type")); t == "Recreate" {
		c.add(Problem{Node: st.KeyNode("rollingUpdate"), Err: field.Forbidden(sp.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"),
			Fix: "remove rollingUpdate, or set type: RollingUpdate"})
		return
	}
	rp := sp.Child("rollingUpdate")
	surge, surgeZero := c.intOrPercent(ru.Get("maxSurge"), rp.Child("maxSurge"), false)
	unavail, unavailZero := c.intOrPercent(ru.Get("maxUnavailable"), rp.Child("maxUnavailable"), true)
	if surge != nil && unavail != nil && surgeZero && unavailZero {
		c.add(Problem{Node: unavail, Err: field.Invalid(rp.Child("maxUnavailable"), unavail.Value(), "may not be 0 when `maxSurge` is 0"),
			Fix: "let the rollout make progress: set maxSurge or maxUnavailable above 0 (such as maxSurge: 1)", Related: []diag.Location{c.loc(surge, "maxSurge")}})
	}
}

// intOrPercent checks a rolling update's maxSurge or maxUnavailable
// (ValidatePositiveIntOrPercent, and IsNotMoreThan100Percent when max100
// is set: a Deployment's maxUnavailable, a PodDisruptionBudget's values).
// It returns the node when it holds a value, and whether that value is 0.
func (c *checker) intOrPercent(n *yamlx.Node, p *field.Path, max100 bool) (*yamlx.Node, bool) {
	if n == nil || n.IsNull() {
		return nil, false
	}
	if v, ok := n.Int(); ok {
		if v < 0 {
			c.add(Problem{Node: n, Err: field.Invalid(p, v, "must be greater than or equal to 0"), Fix: "write a number of pods (0 or more) or a percentage such as 25%"})
		}
		return n, v == 0
	}
	s, ok := str(n)
	if !ok || IsPlaceholder(s) {
		return nil, false
	}
	if msgs := validation.IsValidPercent(s); len(msgs) > 0 {
		fix := "write a number of pods or a percentage such as \"25%\""
		if _, err := strconv.Atoi(s); err == nil {
			fix = fmt.Sprintf("write %s without quotes for a number of pods, or \"%s%%\" for a percentage", s, s)
		}
		c.add(Problem{Node: n, Err: field.Invalid(p, s, msgs[0]), Fix: fix})
		return nil, false
	}
	pct, _ := strconv.Atoi(strings.TrimSuffix(s, "%"))
	if max100 && pct > 100 {
		c.add(Problem{Node: n, Err: field.Invalid(p, s, "must not be greater than 100%"), Fix: "write a percentage of at most 100%"})
	}
	return n, pct == 0
}

func (c *checker) replicaSet() {
	c.selectorMatches([]string{"spec", "selector"}, templatePath)
}

func (c *checker) daemonSet() {
	c.selectorMatches([]string{"spec", "selector"}, templatePath)
	c.daemonSetWithoutSelector()
	c.strategyType(c.o.Root.Path("spec", "updateStrategy"), field.NewPath("spec", "updateStrategy"), []string{"RollingUpdate", "OnDelete"}, false)
}

func (c *checker) statefulSet() {
	spec := c.o.Root.Get("spec")
	c.selectorMatches([]string{"spec", "selector"}, templatePath)
	// validateStatefulSetSpec: an unknown updateStrategy type is "Invalid"
	// with the allowed values (Recreate is behind an alpha feature gate).
	c.strategyType(spec.Get("updateStrategy"), field.NewPath("spec", "updateStrategy"), []string{"RollingUpdate", "OnDelete"}, true)
	if n := spec.Get("podManagementPolicy"); n != nil {
		if v, ok := str(n); ok && v != "" && v != "OrderedReady" && v != "Parallel" && !IsTemplated(v) {
			c.add(Problem{Node: n, Err: field.Invalid(field.NewPath("spec", "podManagementPolicy"), v, "must be 'OrderedReady' or 'Parallel'"),
				Fix: enumFix(v, []string{"OrderedReady", "Parallel"})})
		}
	}
	if n := spec.Get("serviceName"); n != nil {
		if name, ok := str(n); ok && name != "" && !IsPlaceholder(name) {
			for _, msg := range c.memo.check(fnDNSLabel, name) {
				c.invalid(n, field.Invalid(field.NewPath("spec", "serviceName"), name, msg), "name the governing Service: "+label)
			}
		}
	}
	for i, t := range spec.Get("volumeClaimTemplates").Items() {
		c.pvcSpec(t.Get("spec"), field.NewPath("spec", "volumeClaimTemplates").Index(i).Child("spec"))
	}
}

func (c *checker) replicationController() {
	spec := c.o.Root.Get("spec")
	valid := c.labels(spec.Get("selector"), func() *field.Path { return field.NewPath("spec", "selector") }, "")
	sel, ok := stringMap(spec.Get("selector"))
	if !ok || !valid || len(sel) == 0 {
		return // an empty selector is defaulted to the template's labels
	}
	// ValidatePodTemplateSpecForRC: labels.Set(selector).AsSelector().
	c.templateMatches(spec.Get("selector"), metav1Selector(sel), templatePath, true)
}

// enumFix is the fix for a value outside values.
func enumFix(v string, values []string) string {
	for _, s := range values {
		if strings.EqualFold(s, v) || strings.EqualFold(strings.NewReplacer("-", "", "_", "", " ", "").Replace(v), s) {
			return fmt.Sprintf("write %q: the values are case-sensitive", s)
		}
	}
	return "write one of " + quoteAll(values)
}

// strategy is how the API server prints a strategy it refuses (the internal
// type, marshalled: {"Type":"Rolling","RollingUpdate":null}).
type strategy struct {
	Type          string
	RollingUpdate any
}

// strategyType checks a Deployment's strategy or a DaemonSet's or
// StatefulSet's updateStrategy type. The API server names the whole
// strategy; the finding points at its type.
func (c *checker) strategyType(st *yamlx.Node, sp *field.Path, values []string, invalid bool) {
	n := st.Get("type")
	v, ok := str(n)
	if !ok || v == "" || has(values, v) || IsTemplated(v) {
		return
	}
	bad := strategy{Type: v}
	if ru := st.Get("rollingUpdate"); ru != nil && !ru.IsNull() {
		bad.RollingUpdate = "..."
	}
	err := field.NotSupported(sp, bad, values)
	if invalid {
		err = field.Invalid(sp, bad, fmt.Sprintf("must be '%s' or '%s'", values[0], values[1]))
	}
	c.add(Problem{Node: n, Err: err, Headline: fmt.Sprintf("%s.type: Unsupported value %q", sp, v), Fix: enumFix(v, values)})
}

// daemonSetWithoutSelector: ValidateDaemonSetSpec does not require the
// selector, but an absent one selects nothing, so the API server says the
// template's labels do not match it. The finding points at spec, where the
// selector goes.
func (c *checker) daemonSetWithoutSelector() {
	spec := c.o.Root.Get("spec")
	tmpl := spec.Get("template")
	if spec == nil || spec.Kind() != yamlx.Mapping || tmpl == nil || tmpl.Kind() != yamlx.Mapping {
		return
	}
	if sel := spec.Get("selector"); sel != nil && !sel.IsNull() {
		return
	}
	ln := tmpl.Path("metadata", "labels")
	tl, ok := stringMap(ln)
	if !ok {
		return
	}
	var bad any = tl
	if ln == nil || ln.IsNull() {
		bad = nil
	}
	lp := field.NewPath("spec", "template", "metadata", "labels")
	fix := "add a selector that matches the template's labels: selector: {matchLabels: {...}}"
	if len(tl) > 0 {
		fix = "add spec.selector.matchLabels with the template's labels (" + showLabels(tl) + ")"
	}
	c.add(Problem{Node: c.o.Root.KeyNode("spec"), Err: field.Invalid(lp, bad, "`selector` does not match template `labels`"),
		Headline: "spec.selector is missing, so the template's labels do not match it: `selector` does not match template `labels`",
		Fix:      fix, Related: []diag.Location{c.loc(tmpl.Get("metadata").KeyNode("labels"), "the template's labels")}})
}
