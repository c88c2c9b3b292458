package apivalid

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// hpa checks a HorizontalPodAutoscaler as validateHorizontalPodAutoscalerSpec
// does: minReplicas at least 0 (HPAScaleToZero is on by default since 1.37),
// maxReplicas set, at least 1 and at least minReplicas (defaulted to 1),
// and the metric source types of autoscaling/v2.
func (c *checker) hpa() {
	spec := c.o.Root.Get("spec")
	sp := specPath
	minN := spec.Get("minReplicas")
	minR, minOK := minN.Int()
	if minOK && minR < 0 {
		c.invalid(minN, field.Invalid(sp.Child("minReplicas"), minR, "must be greater than or equal to 0"), "write 1 or more (0 scales to zero on Object or External metrics)")
	}
	if minN == nil || minN.IsNull() {
		minR, minOK = 1, true // the default
	}
	maxN := spec.Get("maxReplicas")
	maxR, ok := maxN.Int()
	switch {
	case !ok:
	case maxR == 0:
		c.invalid(maxN, field.Required(sp.Child("maxReplicas"), "must be set and greater than 0"), "write the largest number of replicas, 1 or more")
	case maxR < 0:
		c.invalid(maxN, field.Invalid(sp.Child("maxReplicas"), maxR, "must be greater than or equal to 1"), "write the largest number of replicas, 1 or more")
	case minOK && minR >= 0 && maxR < minR:
		var rel []diag.Location
		if k := spec.KeyNode("minReplicas"); k != nil {
			rel = append(rel, c.loc(k, "minReplicas"))
		}
		c.add(Problem{Node: maxN, Err: field.Invalid(sp.Child("maxReplicas"), maxR, "must be greater than or equal to `minReplicas`"),
			Fix: fmt.Sprintf("raise maxReplicas to %d or more, or lower minReplicas", minR), Related: rel})
	}
	if c.o.APIVersion != "autoscaling/v2" {
		return
	}
	for i, m := range spec.Get("metrics").Items() {
		if t, ok := str(m.Get("type")); ok && t != "" {
			c.enumKey(m, "type", sp.Child("metrics").Index(i), "", []string{"ContainerResource", "External", "Object", "Pods", "Resource"})
		}
	}
}

// pdbSpec is how the API server prints a PodDisruptionBudget spec it refuses.
type pdbSpec struct {
	MinAvailable   any
	MaxUnavailable any
}

// pdb checks a PodDisruptionBudget as ValidatePodDisruptionBudgetSpec does.
func (c *checker) pdb() {
	spec := c.o.Root.Get("spec")
	sp := specPath
	minN, maxN := spec.Get("minAvailable"), spec.Get("maxUnavailable")
	if minN != nil && !minN.IsNull() && maxN != nil && !maxN.IsNull() {
		c.add(Problem{Node: spec.KeyNode("maxUnavailable"), Err: field.Invalid(sp, pdbSpec{intOrString(minN), intOrString(maxN)}, "minAvailable and maxUnavailable cannot be both set"),
			Headline: "spec: minAvailable and maxUnavailable cannot be both set",
			Fix:      "keep one of minAvailable and maxUnavailable", Related: []diag.Location{c.loc(spec.KeyNode("minAvailable"), "minAvailable")}})
	}
	c.intOrPercent(minN, sp.Child("minAvailable"), true)
	c.intOrPercent(maxN, sp.Child("maxUnavailable"), true)
	if sel := spec.Get("selector"); sel != nil {
		c.labelSelector(sel, sp.Child("selector"))
	}
	c.enumKey(spec, "unhealthyPodEvictionPolicy", sp, "", []string{"AlwaysAllow", "IfHealthyBudget"})
}

// intOrString is an int-or-string scalar as the API server prints it.
func intOrString(n *yamlx.Node) any {
	if v, ok := n.Int(); ok {
		return v
	}
	return n.Value()
}
