package rules

import (
	"fmt"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/refs"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// ReferenceMissing reports a ConfigMap, Secret, claim or ServiceAccount that a pod references and its unit does not define.
var ReferenceMissing = register(&Rule{
	ID:       "reference-missing",
	Summary:  "A pod references a ConfigMap, Secret, PersistentVolumeClaim or ServiceAccount that its unit does not define",
	Severity: diag.Warning,
	Check:    checkReferenceMissing,
})

func checkReferenceMissing(ws *workspace.Workspace, report Report) {
	m := refs.Of(ws)
	for _, u := range m.Units {
		for _, p := range u.Pods {
			if m.Broken(p.T.Object.File) {
				continue // a document beside it does not parse: it may define the object
			}
			seen := map[*yamlx.Node]bool{}
			for i := range p.Refs {
				r := &p.Refs[i]
				if seen[r.NameNode] {
					continue
				}
				seen[r.NameNode] = true
				if f, ok := referenceMissing(u, p, r); ok {
					report(f)
				}
			}
		}
	}
}

func referenceMissing(u *refs.Unit, p *refs.Pod, r *refs.Ref) (diag.Finding, bool) {
	if r.Optional || (r.Kind == "ServiceAccount" && r.Name == "default") {
		return diag.Finding{}, false
	}
	if len(u.Stores(r.Kind, p.Namespace, r.Name)) > 0 {
		return diag.Finding{}, false
	}
	if r.Kind == "PersistentVolumeClaim" && u.ClaimOfStatefulSet(r.Name, p.Namespace) != nil {
		return diag.Finding{}, false
	}
	// Precision: report only in a namespace that the unit owns (it defines
	// the Namespace, in the pod's directory or above it) and where the
	// pod's own directory defines other objects of the kind in that
	// namespace (see the rule's page).
	if p.Namespace == "" {
		return diag.Finding{}, false
	}
	nsObj := u.OwningNamespace(p.Namespace, p.T.Object.File)
	if nsObj == nil {
		return diag.Finding{}, false
	}
	if len(u.StoreNamesInDir(r.Kind, p.Namespace, refs.Dir(p.T.Object.File))) == 0 {
		return diag.Finding{}, false
	}
	names := u.StoreNames(r.Kind, p.Namespace)
	o := p.T.Object
	f := diag.Finding{
		Location: workspace.NodeLocation(o.File, r.NameNode),
		Message:  fmt.Sprintf("%s %q is not defined in namespace %q of this unit", r.Kind, r.Name, p.Namespace),
		Detail:   fmt.Sprintf("%s (%s)", missingEffect(r, p), r.Path),
	}
	if other := u.StoresNamed(r.Kind, r.Name); len(other) > 0 && other[0].Node != nil {
		f.Detail += fmt.Sprintf("; a %s %q exists in namespace %q, but a pod reads only those of its own namespace", r.Kind, r.Name, nsName(other[0].Namespace))
		f.Fix = fmt.Sprintf("define %s %q in namespace %q too, or run the workload in %q", r.Kind, r.Name, p.Namespace, nsName(other[0].Namespace))
		loc := workspace.NodeLocation(other[0].File, other[0].Node)
		loc.Message = fmt.Sprintf("%s %s/%s", r.Kind, nsName(other[0].Namespace), r.Name)
		f.Related = append(f.Related, loc)
	} else if near := refs.Closest(r.Name, names); near != "" {
		f.Fix = fmt.Sprintf("did you mean %q? Name an existing %s, or define %q", near, r.Kind, r.Name)
		if s := u.Stores(r.Kind, p.Namespace, near); len(s) > 0 && s[0].Node != nil {
			loc := workspace.NodeLocation(s[0].File, s[0].Node)
			loc.Message = fmt.Sprintf("%s %q", r.Kind, near)
			f.Related = append(f.Related, loc)
		}
	} else {
		f.Fix = fmt.Sprintf("define %s %q beside the other %ss of the unit, or mark the reference optional: true where the API allows it", r.Kind, r.Name, r.Kind)
		if r.Kind == "ServiceAccount" || r.Kind == "PersistentVolumeClaim" {
			f.Fix = fmt.Sprintf("define %s %q beside the other %ss of the unit", r.Kind, r.Name, r.Kind)
		}
	}
	if n := nsObj.Root.Path("metadata", "name"); n != nil {
		loc := workspace.NodeLocation(nsObj.File, n)
		loc.Message = fmt.Sprintf("namespace %q, which this unit defines with its %ss", p.Namespace, r.Kind)
		f.Related = append(f.Related, loc)
	}
	return f, true
}

func missingEffect(r *refs.Ref, p *refs.Pod) string {
	ns := nsName(p.Namespace)
	switch r.Kind {
	case "ServiceAccount":
		return fmt.Sprintf("the API server refuses to create the pods (error looking up service account %s/%s: serviceaccount %q not found)", ns, r.Name, r.Name)
	case "PersistentVolumeClaim":
		return fmt.Sprintf("the scheduler leaves the pod Pending (persistentvolumeclaim %q not found)", r.Name)
	}
	lower := map[string]string{"ConfigMap": "configmap", "Secret": "secret"}[r.Kind]
	if r.Use == "volume" {
		return fmt.Sprintf("the kubelet cannot mount the volume and the pod stays in ContainerCreating (MountVolume.SetUp failed: %s %q not found)", lower, r.Name)
	}
	return fmt.Sprintf("the kubelet cannot build the container's environment and the pod stays in CreateContainerConfigError (%s %q not found)", lower, r.Name)
}
