package rules

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/refs"
	"github.com/k8slint/k8slint/internal/workspace"
)

// ProbePortUndeclared reports probes on a port name the container does not declare.
var ProbePortUndeclared = register(&Rule{
	ID:       "probe-port-undeclared",
	Summary:  "A liveness, readiness or startup probe names a port that its container does not declare",
	Severity: diag.Error,
	Check:    checkProbePortUndeclared,
})

var probeFields = []string{"livenessProbe", "readinessProbe", "startupProbe"}

func checkProbePortUndeclared(ws *workspace.Workspace, report Report) {
	ws.EachContainer(func(c workspace.Container) {
		var ports []refs.Port
		loaded := false
		for _, pf := range probeFields {
			probe := c.Node.Get(pf)
			for _, h := range []string{"httpGet", "tcpSocket"} {
				pn := probe.Path(h, "port")
				name, ok := portName(pn)
				if !ok {
					continue
				}
				if !loaded {
					ports, loaded = refs.ContainerPorts(c), true
				}
				var names []string
				found := false
				for _, p := range ports {
					found = found || p.Name == name
					if p.Name != "" {
						names = append(names, p.Name)
					}
				}
				if found {
					continue
				}
				report(probeFinding(c, pf, h, name, names, ports))
			}
		}
	})
}

var probeEffect = map[string]string{
	"livenessProbe":  "the probe fails on every try and the kubelet restarts the container again and again (CrashLoopBackOff)",
	"readinessProbe": "the probe fails on every try, so the pod never becomes Ready and gets no Service traffic (a rollout waits for it forever)",
	"startupProbe":   "the probe fails on every try and the kubelet kills the container when failureThreshold is reached, again and again",
}

func probeFinding(c workspace.Container, field, handler, name string, names []string, ports []refs.Port) diag.Finding {
	o := c.Template.Object
	pn := c.Node.Get(field).Path(handler, "port")
	f := diag.Finding{
		Location: workspace.NodeLocation(o.File, pn),
		Message:  fmt.Sprintf("%s port %q is not a port of container %q", field, name, c.Name),
		Detail: fmt.Sprintf("the kubelet resolves a named probe port in the container's own ports and finds none (probe errored: "+
			"strconv.Atoi: parsing %q: invalid syntax): %s (%s.%s.%s.port)", name, probeEffect[field], c.Path(), field, handler),
	}
	switch near := refs.Closest(name, names); {
	case near != "":
		f.Fix = fmt.Sprintf("did you mean %q? Name a port the container declares (%s), or give the port number", near, strings.Join(names, ", "))
	case len(names) > 0:
		f.Fix = fmt.Sprintf("name a port the container declares (%s), or give the port number", strings.Join(names, ", "))
	default:
		f.Fix = fmt.Sprintf("declare it in the container (ports: [{name: %s, containerPort: ...}]), or give the port number", name)
	}
	if len(ports) > 0 {
		loc := workspace.NodeLocation(o.File, ports[0].Node)
		loc.Message = fmt.Sprintf("the ports of container %q", c.Name)
		f.Related = append(f.Related, loc)
	} else if n := c.Node.Get("name"); n != nil {
		loc := workspace.NodeLocation(o.File, n)
		loc.Message = fmt.Sprintf("container %q declares no ports", c.Name)
		f.Related = append(f.Related, loc)
	}
	return f
}
