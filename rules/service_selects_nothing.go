package rules

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/refs"
	"github.com/k8slint/k8slint/internal/workspace"
)

// ServiceSelectsNothing reports Services whose selector matches no pod template of their unit.
var ServiceSelectsNothing = register(&Rule{
	ID:       "service-selects-nothing",
	Summary:  "A Service's selector matches the labels of no pod template in its namespace: it has no endpoints",
	Severity: diag.Warning,
	Check:    checkServiceSelectsNothing,
})

func checkServiceSelectsNothing(ws *workspace.Workspace, report Report) {
	m := refs.Of(ws)
	for _, u := range m.Units {
		for _, s := range u.Services {
			if s.Type == "ExternalName" || len(s.Selector) == 0 || u.SelectsAny(s) || m.Broken(s.O.File) {
				continue
			}
			// Precision: the Service's own directory must hold the pod
			// template it was written for: one with a label of the
			// selector, or one with a label key of it that is the only
			// pod template of the Service's file or has the Service's
			// name. Otherwise the pods come from elsewhere: an operator,
			// a chart, another repository (see the rule's page).
			near := u.Nearest(s)
			if near == nil || near.Matched == 0 && (!near.SameFile || near.FileTemplates != 1 && near.Pod.T.Object.Name != s.Name) {
				continue
			}
			report(selectsNothingFinding(s, near))
		}
	}
}

func selectsNothingFinding(s *refs.Service, near *refs.Near) diag.Finding {
	sel := "the labels " + refs.FormatSelector(s.Selector)
	if len(sel) > 60 {
		sel = "the selector's labels"
	}
	where := "in its namespace"
	if s.Namespace != "" {
		where = fmt.Sprintf("in namespace %q", s.Namespace)
	}
	head := fmt.Sprintf("Service %q selects no pods: no pod template %s has %s", s.Name, where, sel)
	if len([]rune(head)) > 120 {
		head = fmt.Sprintf("Service %q selects no pods: no pod template %s has the selector's labels", clip(s.Name, 40), where)
		head = clip(head, 120)
	}
	f := diag.Finding{
		Location: workspace.NodeLocation(s.O.File, s.SelectorNode),
		Message:  head,
		Detail: fmt.Sprintf("the endpoints controller finds no pod with every label of spec.selector, so the Service has no endpoints "+
			"and connections to it are refused or time out (kubectl get endpoints %s shows <none>)", s.Name),
	}
	p := near.Pod
	lbl := p.LabelsNode
	relMsg := fmt.Sprintf("the labels of %s, the nearest pod template", p.Name())
	switch {
	case near.OtherNamespace:
		f.Detail += fmt.Sprintf("; %s has these labels but runs in namespace %q, and a Service selects only pods of its own namespace",
			p.Name(), nsName(p.Namespace))
		f.Fix = fmt.Sprintf("put the Service in namespace %q, or the workload in %q", nsName(p.Namespace), nsName(s.Namespace))
	default:
		f.Detail += fmt.Sprintf("; the nearest is %s, which has %d of the %d labels: %s differs",
			p.Name(), near.Matched, len(s.Selector), strings.Join(near.Differ, ", "))
		f.Fix = "make the selector a subset of the pod template's labels, or give the pods the missing labels"
	}
	if lbl != nil {
		loc := workspace.NodeLocation(p.T.Object.File, lbl)
		loc.Message = relMsg
		f.Related = append(f.Related, loc)
	}
	return f
}

// nsName is the namespace as kubectl says it ("default" when not set).
func nsName(ns string) string {
	if ns == "" {
		return "default"
	}
	return ns
}
