package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/refs"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// IngressBackendMissing reports Ingress backends naming a Service or port that the unit does not define.
var IngressBackendMissing = register(&Rule{
	ID:       "ingress-backend-missing",
	Summary:  "An Ingress backend names a Service that its unit does not define, or a port the Service does not expose",
	Severity: diag.Warning,
	Check:    checkIngressBackendMissing,
})

func checkIngressBackendMissing(ws *workspace.Workspace, report Report) {
	m := refs.Of(ws)
	for _, u := range m.Units {
		for _, in := range u.Ingresses {
			ing, ns := in.O, in.Namespace
			if m.Broken(ing.File) {
				continue
			}
			spec := ing.Root.Get("spec")
			check := func(b *yamlx.Node, path string) {
				if f, ok := backendMissing(u, ing, ns, b.Get("service"), path+".service"); ok {
					report(f)
				}
			}
			if b := spec.Get("defaultBackend"); b != nil {
				check(b, "spec.defaultBackend")
			}
			for i, r := range spec.Get("rules").Items() {
				for j, p := range r.Path("http", "paths").Items() {
					check(p.Get("backend"), fmt.Sprintf("spec.rules[%d].http.paths[%d].backend", i, j))
				}
			}
		}
	}
}

func backendMissing(u *refs.Unit, ing *workspace.Object, ns string, svc *yamlx.Node, path string) (diag.Finding, bool) {
	nameNode := svc.Get("name")
	name := nameNode.Str()
	if name == "" {
		return diag.Finding{}, false
	}
	services := u.ServicesNamed(name, ns)
	if len(services) == 0 {
		// Precision: only where the Ingress's own directory defines
		// Services of exactly its namespace (see the rule's page).
		var names []string
		dir, here := refs.Dir(ing.File), false
		for _, s := range u.Services {
			if refs.Dir(s.O.File) != dir || !refs.SameNamespace(s.Namespace, ns) {
				continue
			}
			names = append(names, s.Name)
			here = here || nsName(s.Namespace) == nsName(ns)
		}
		if !here {
			return diag.Finding{}, false
		}
		f := diag.Finding{
			Location: workspace.NodeLocation(ing.File, nameNode),
			Message:  fmt.Sprintf("Ingress %q backend Service %q is not defined in this unit", ing.Name, name),
			Detail:   fmt.Sprintf("the ingress controller finds no Service %q in namespace %q and answers the requests of this path with 503 Service Unavailable (%s.name)", name, nsName(ns), path),
			Fix:      fmt.Sprintf("name one of the unit's Services (%s), or define Service %q", keyList(names), name),
		}
		if near := refs.Closest(name, names); near != "" {
			f.Fix = fmt.Sprintf("did you mean %q? Name an existing Service, or define Service %q", near, name)
			s := u.ServicesNamed(near, ns)[0]
			loc := workspace.NodeLocation(s.O.File, s.O.Root.Path("metadata", "name"))
			loc.Message = fmt.Sprintf("Service %q", near)
			f.Related = append(f.Related, loc)
		}
		return f, true
	}
	port := svc.Get("port")
	num, name2 := port.Get("number"), port.Get("name")
	var ports []string
	for _, s := range services {
		if s.Type == "ExternalName" {
			return diag.Finding{}, false // the controller sends to the external name's port as given
		}
		for _, sp := range s.Ports {
			if n, ok := num.Int(); ok && num != nil && sp.Port == n {
				return diag.Finding{}, false
			}
			if name2.Str() != "" && sp.Name == name2.Str() {
				return diag.Finding{}, false
			}
			if name2 != nil && sp.Name != "" {
				ports = append(ports, strconv.Quote(sp.Name))
			} else if name2 == nil {
				ports = append(ports, strconv.FormatInt(sp.Port, 10))
			}
		}
	}
	at, what := num, "number"
	if name2 != nil {
		at, what = name2, "name"
	}
	if at == nil || at.Kind() != yamlx.Scalar || (what == "number" && !isInt(at)) {
		return diag.Finding{}, false
	}
	s := services[0]
	f := diag.Finding{
		Location: workspace.NodeLocation(ing.File, at),
		Message:  fmt.Sprintf("Ingress %q backend port %s %s is not a port of Service %q", ing.Name, what, at.Value(), name),
		Detail:   fmt.Sprintf("the ingress controller finds no such port on the Service and answers the requests of this path with 503 Service Unavailable (%s.port.%s)", path, what),
	}
	if len(ports) > 0 {
		f.Fix = fmt.Sprintf("use a port the Service exposes (%s: %s)", what, strings.Join(ports, ", "))
	} else {
		f.Fix = "name the Service port (ports: [{name: ..., port: ...}]) or use port.number"
	}
	if s.PortsNode != nil {
		loc := workspace.NodeLocation(s.O.File, s.PortsNode)
		loc.Message = fmt.Sprintf("the ports of Service %q", name)
		if len(s.Ports) > 0 {
			loc = workspace.NodeLocation(s.O.File, s.Ports[0].Node)
			loc.Message = fmt.Sprintf("the ports of Service %q", name)
		}
		f.Related = append(f.Related, loc)
	}
	return f, true
}

func isInt(n *yamlx.Node) bool { _, ok := n.Int(); return ok }
