package rules

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/refs"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// ServicePortUnresolved reports a Service targetPort name that no selected pod declares.
var ServicePortUnresolved = register(&Rule{
	ID:       "service-port-unresolved",
	Summary:  "A Service's targetPort is a port name that no container of the selected pods declares",
	Severity: diag.Error,
	Check:    checkServicePortUnresolved,
})

func checkServicePortUnresolved(ws *workspace.Workspace, report Report) {
	for _, u := range refs.Of(ws).Units {
		for _, s := range u.Services {
			if s.Type == "ExternalName" || len(s.Selector) == 0 {
				continue
			}
			var pods []*refs.Pod
			for _, sp := range s.Ports {
				name, ok := portName(sp.TargetPort)
				if !ok {
					continue
				}
				if pods == nil {
					if pods = u.Selected(s); len(pods) == 0 {
						break // service-selects-nothing's case
					}
				}
				if f, bad := unresolvedPort(s, sp, name, pods); bad {
					report(f)
				}
			}
		}
	}
}

// portName returns the name an IntOrString port node gives, when it is a
// valid port name (a number, or a string that is not a valid name, is not
// a name: the API server rejects the latter).
func portName(n *yamlx.Node) (string, bool) {
	if n == nil || n.Kind() != yamlx.Scalar || n.IsNull() {
		return "", false
	}
	if _, isInt := n.Int(); isInt {
		return "", false
	}
	if len(validation.IsValidPortName(n.Value())) > 0 {
		return "", false
	}
	return n.Value(), true
}

func unresolvedPort(s *refs.Service, sp refs.ServicePort, name string, pods []*refs.Pod) (diag.Finding, bool) {
	var names []string
	var otherProto *refs.Port
	var otherPod *refs.Pod
	seen := map[string]bool{}
	for _, p := range pods {
		for i := range p.Ports {
			pt := &p.Ports[i]
			if pt.Name == name {
				if pt.Protocol == sp.Protocol {
					return diag.Finding{}, false
				}
				otherProto, otherPod = pt, p
			}
			if pt.Name != "" && !seen[pt.Name] {
				seen[pt.Name] = true
				names = append(names, pt.Name)
			}
		}
	}
	p := pods[0]
	f := diag.Finding{
		Location: workspace.NodeLocation(s.O.File, sp.TargetPort),
		Message:  fmt.Sprintf("Service %q targetPort %q is not a port name of the pods it selects (%s)", s.Name, name, p.Name()),
		Detail: fmt.Sprintf("the endpoints controller resolves a named targetPort in each selected pod's container ports; "+
			"with no %s port named %q, the pods are left out of the Service's endpoints and connections to port %d get no backend", sp.Protocol, name, sp.Port),
	}
	if otherProto != nil {
		f.Detail += fmt.Sprintf("; %s declares %q with protocol %s, not %s", otherPod.Name(), name, otherProto.Protocol, sp.Protocol)
		f.Fix = fmt.Sprintf("give the Service port protocol: %s, or the container port protocol: %s", otherProto.Protocol, sp.Protocol)
		loc := workspace.NodeLocation(otherPod.T.Object.File, otherProto.Node)
		loc.Message = fmt.Sprintf("port %q of container %q", name, otherProto.Container)
		f.Related = append(f.Related, loc)
		return f, true
	}
	switch near := refs.Closest(name, names); {
	case near != "":
		f.Fix = fmt.Sprintf("did you mean %q? Use a name the containers declare (%s), or the port number", near, strings.Join(names, ", "))
	case len(names) > 0:
		f.Fix = fmt.Sprintf("use a name the containers declare (%s), or the port number", strings.Join(names, ", "))
	default:
		f.Fix = fmt.Sprintf("name the container port (ports: [{name: %s, containerPort: ...}]), or give targetPort as a number", name)
	}
	for _, p := range pods {
		if len(p.Ports) > 0 {
			loc := workspace.NodeLocation(p.T.Object.File, p.Ports[0].Node)
			loc.Message = fmt.Sprintf("the ports of %s", p.Name())
			f.Related = append(f.Related, loc)
			break
		}
	}
	if len(f.Related) == 0 && p.LabelsNode != nil {
		loc := workspace.NodeLocation(p.T.Object.File, p.LabelsNode)
		loc.Message = fmt.Sprintf("%s, selected by the Service, declares no ports", p.Name())
		f.Related = append(f.Related, loc)
	}
	return f, true
}
