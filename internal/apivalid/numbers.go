package apivalid

import (
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// nonnegative are the integer fields of a kind's spec that its validation
// passes to ValidateNonnegativeField (k8s.io/kubernetes pkg/apis/apps and
// batch validation, v1.37).
var nonnegative = map[string][]string{
	"Deployment":            {"replicas", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"},
	"ReplicaSet":            {"replicas", "minReadySeconds"},
	"ReplicationController": {"replicas", "minReadySeconds"},
	"StatefulSet":           {"replicas", "minReadySeconds"},
	"DaemonSet":             {"minReadySeconds", "revisionHistoryLimit"},
	"Job":                   {"parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes"},
	"CronJob":               {"startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"},
}

// nonnegativeFields checks the kind's counts and durations: a negative one
// is "must be greater than or equal to 0".
func (c *checker) nonnegativeFields() {
	spec := c.o.Root.Get("spec")
	sp := specPath
	c.nonnegativeKeys(spec, sp, nonnegative[c.o.Kind])
	if c.o.Kind == "CronJob" {
		c.nonnegativeKeys(spec.Path("jobTemplate", "spec"), sp.Child("jobTemplate", "spec"), nonnegative["Job"])
	}
	if c.o.Kind == "Deployment" {
		c.progressDeadline(spec, sp)
	}
}

func (c *checker) nonnegativeKeys(spec *yamlx.Node, sp *field.Path, keys []string) {
	for _, k := range keys {
		n := spec.Get(k)
		v, ok := n.Int()
		if !ok || v >= 0 {
			continue
		}
		for _, e := range apimachineryvalidation.ValidateNonnegativeField(v, sp.Child(k)) {
			c.invalid(n, e, "write 0 or more")
		}
	}
}

// progressDeadline is ValidateDeploymentSpec's "must be greater than
// minReadySeconds" (the defaults, 600 and 0, stand for an absent field).
func (c *checker) progressDeadline(spec *yamlx.Node, sp *field.Path) {
	n := spec.Get("progressDeadlineSeconds")
	pds, ok := n.Int()
	if !ok || pds < 0 {
		return
	}
	mrs := int64(0)
	if m := spec.Get("minReadySeconds"); m != nil {
		if mrs, ok = m.Int(); !ok || mrs < 0 {
			return
		}
	}
	if pds <= mrs {
		var rel []diag.Location
		if k := spec.KeyNode("minReadySeconds"); k != nil {
			rel = append(rel, c.loc(k, "minReadySeconds"))
		}
		c.add(Problem{Node: n, Err: field.Invalid(sp.Child("progressDeadlineSeconds"), pds, "must be greater than minReadySeconds"),
			Fix: "raise progressDeadlineSeconds (default 600) above minReadySeconds", Related: rel})
	}
}
