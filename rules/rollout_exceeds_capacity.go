package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/sched"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// RolloutExceedsCapacity reports Deployments that fit at rest but whose
// RollingUpdate cannot start a single surge pod and may not remove an old one.
var RolloutExceedsCapacity = register(&Rule{
	ID:       "rollout-exceeds-capacity",
	Summary:  "A Deployment fits at rest, but its rolling update has no room for a surge pod and may not remove an old one",
	Severity: diag.Warning,
	Check:    checkRolloutExceedsCapacity,
})

func checkRolloutExceedsCapacity(ws *workspace.Workspace, report Report) {
	for _, c := range sched.Units(ws) {
		checkRolloutExceedsCapacityUnit(c, report)
	}
}

func checkRolloutExceedsCapacityUnit(c *sched.Model, report Report) {
	if len(c.Nodes) == 0 || !c.AllFit {
		return
	}
	for _, w := range c.Workloads {
		o := w.Obj
		if o.Kind != "Deployment" || w.Count < 1 || w.Surge == nil {
			continue
		}
		spec := o.Root.Get("spec")
		strategy := spec.Get("strategy")
		if t := strategy.Get("type").Str(); t != "" && t != "RollingUpdate" {
			continue
		}
		if p, ok := spec.Get("paused").Bool(); ok && p {
			continue
		}
		def := "25%"
		if o.APIVersion == "extensions/v1beta1" {
			def = "1"
		}
		ru := strategy.Get("rollingUpdate")
		surgeNode, unavNode := ru.Get("maxSurge"), ru.Get("maxUnavailable")
		surge, okS := resolveIntOrPercent(surgeNode, def, w.Count, true)
		unav, okU := resolveIntOrPercent(unavNode, def, w.Count, false)
		if !okS || !okU || unav != 0 || surge < 1 {
			continue
		}
		if w.Surge.Room { // one surge pod goes somewhere
			continue
		}
		var at *yamlx.Node
		for _, n := range []*yamlx.Node{unavNode, strategy.Get("type"), spec.KeyNode("strategy"), spec.Get("replicas"), o.Root.Path("metadata", "name"), o.Root} {
			if n != nil {
				at = n
				break
			}
		}
		report(diag.Finding{
			Location: workspace.NodeLocation(o.File, at),
			Message:  clip(w.Obj.Label(), 70) + " fits at rest, but its RollingUpdate cannot progress",
			Detail:   rolloutDetail(w, surgeNode, unavNode, def, surge),
			Fix:      fmt.Sprintf("set strategy.rollingUpdate.maxUnavailable: 1 (pods are then replaced one at a time), or leave room on a node for one more pod (%s)", sched.FormatRes(w.Shape.Req)),
		})
	}
}

func rolloutDetail(w *sched.Workload, surgeNode, unavNode *yamlx.Node, def string, surge int64) string {
	written := func(n *yamlx.Node) string {
		if n == nil {
			return def + " (default)"
		}
		return n.Value()
	}
	surgeText := fmt.Sprintf("maxSurge %s gives %s", written(surgeNode), workspace.Plural(surge, "surge pod", "surge pods"))
	unavText := fmt.Sprintf("maxUnavailable %s resolves to 0 for %s", written(unavNode), workspace.Plural(w.Count, "replica", "replicas"))
	if _, isInt := unavNode.Int(); isInt {
		unavText = "maxUnavailable is 0"
	}
	return fmt.Sprintf("%s that no node has room for (each requests %s; the most any node has free is %s), and %s, so no old pod is removed to make room; the new pod stays Pending and the rollout stalls until progressDeadlineSeconds",
		surgeText, sched.FormatRes(w.Shape.Req), sched.FormatRes(w.Surge.MostFree), unavText)
}

// resolveIntOrPercent resolves maxSurge (round up) or maxUnavailable (round
// down) against the replica count, as the Deployment controller does.
func resolveIntOrPercent(n *yamlx.Node, def string, replicas int64, roundUp bool) (int64, bool) {
	text := def
	if n != nil {
		if n.Kind() != yamlx.Scalar {
			return 0, false
		}
		if v, ok := n.Int(); ok {
			return v, v >= 0
		}
		text = n.Value()
		if !strings.HasSuffix(text, "%") {
			return 0, false // a string that is not a percentage: the API server rejects it
		}
	}
	if p, ok := strings.CutSuffix(text, "%"); ok {
		pct, err := strconv.ParseInt(p, 10, 64)
		if err != nil || pct < 0 {
			return 0, false
		}
		pct = min(pct, 1<<30) // replicas < 2^31: the product cannot overflow
		v := pct * replicas
		if roundUp {
			return (v + 99) / 100, true
		}
		return v / 100, true
	}
	v, err := strconv.ParseInt(text, 10, 64)
	return v, err == nil
}
