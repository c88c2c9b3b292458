package servers

import (
	"strings"

	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// markReach decides, for each server's pod, whether it shares the pod with
// containers that are not servers (sidecars that may be its only clients)
// and whether the tree shows clients in other pods: a Service selecting the
// pod, a StatefulSet's governing Service (serviceName, even when that
// Service is defined elsewhere), or another workload whose env, command or
// args name the pod's host.
func markReach(ws *workspace.Workspace, servers []*Server) {
	isServer := map[*yamlx.Node]bool{}
	for _, s := range servers {
		isServer[s.Container.Node] = true
	}
	byTemplate := map[*workspace.PodTemplate]string{}
	for _, s := range servers {
		t := s.Container.Template
		for _, c := range t.Containers() {
			if c.Node == s.Container.Node || c.Field == "ephemeralContainers" || isServer[c.Node] {
				continue
			}
			if c.Field == "containers" || c.Node.Get("restartPolicy").Str() == "Always" {
				if OfficialImage(c.Node.Get("image").Str()) == "" {
					s.sidecars = true
				}
			}
		}
		r, ok := byTemplate[t]
		if !ok {
			r = reachOf(ws, t)
			byTemplate[t] = r
		}
		s.reach = r
	}
}

func reachOf(ws *workspace.Workspace, t *workspace.PodTemplate) string {
	o := t.Object
	labels := t.Meta.Get("labels")
	// Services and clients count only within the pod's deployment unit:
	// objects applied together (see workspace.Unit).
	services, templates := ws.OfKind("Service"), ws.Templates
	if u := ws.UnitOf(o); u != nil {
		services, templates = u.OfKind("Service"), u.Templates
	}
	for _, svc := range services {
		if svc.Namespace != o.Namespace {
			continue
		}
		sel := svc.Root.Path("spec", "selector")
		if sel == nil || sel.Kind() != yamlx.Mapping || sel.Len() == 0 {
			continue
		}
		match := true
		sel.Pairs(func(k, v *yamlx.Node) {
			if l := labels.Get(k.Value()); l == nil || l.Value() != v.Value() {
				match = false
			}
		})
		if match {
			return "Service " + svc.Name + " selects its pods"
		}
	}
	var hosts []string
	if o.Name != "" {
		hosts = append(hosts, o.Name)
	}
	if o.Kind == "StatefulSet" {
		if sn := o.Root.Path("spec", "serviceName").Str(); sn != "" {
			return "StatefulSet " + o.Name + " has serviceName " + sn + ", a Service for its pods' DNS names"
		}
	}
	for _, other := range templates {
		if other == t || other.Object.Namespace != o.Namespace {
			continue
		}
		for _, c := range other.Containers() {
			for _, v := range containerStrings(c) {
				for _, h := range hosts {
					if namesHost(v.val, v.env, h, o.Kind == "StatefulSet") {
						return other.Object.Kind + " " + other.Object.Name + " names its host (" + shorten(v.val) + ")"
					}
				}
			}
		}
	}
	return ""
}

type envString struct {
	val string
	env string // the env variable's name, "" for command and args
}

func containerStrings(c workspace.Container) []envString {
	var out []envString
	for _, e := range c.Node.Get("env").Items() {
		if v := e.Get("value"); v != nil && v.Kind() == yamlx.Scalar {
			out = append(out, envString{v.Value(), e.Get("name").Str()})
		}
	}
	for _, f := range []string{"command", "args"} {
		for _, n := range c.Node.Get(f).Items() {
			if n.Kind() == yamlx.Scalar {
				out = append(out, envString{val: n.Value()})
			}
		}
	}
	return out
}

func shorten(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// namesHost reports whether a value names host as a network address:
// `scheme://[user@]host[:port]`, `host:port`, or the whole value of an
// environment variable whose name says it is a host or an address. A
// StatefulSet's pods are also `host-N`.
func namesHost(v, env, host string, ordinals bool) bool {
	hostish := strings.Contains(strings.ToUpper(env), "HOST") || strings.Contains(strings.ToUpper(env), "ADDR") ||
		strings.Contains(strings.ToUpper(env), "SERVER")
	for _, tok := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '"' || r == '\'' || r == '=' }) {
		rest, scheme := tok, false
		if i := strings.Index(rest, "://"); i >= 0 {
			rest, scheme = rest[i+3:], true
		}
		if i := strings.LastIndexByte(rest, '@'); i >= 0 {
			rest = rest[i+1:]
		}
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			rest = rest[:i]
		}
		name, port, hasPort := strings.Cut(rest, ":")
		if !scheme && (!hasPort || port == "" || strings.Trim(port, "0123456789") != "") && (!hostish || tok != v) {
			continue
		}
		label, _, _ := strings.Cut(name, ".")
		if label == host {
			return true
		}
		if ordinals && strings.HasPrefix(label, host+"-") && label[len(host)+1:] != "" && strings.Trim(label[len(host)+1:], "0123456789") == "" {
			return true
		}
	}
	return false
}
