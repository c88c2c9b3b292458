package apivalid

import (
	"fmt"
	"strconv"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// The default --service-node-port-range of kube-apiserver. A cluster may
// set another; the API server's allocator rejects a nodePort outside it.
const nodePortMin, nodePortMax = 30000, 32767

// service checks a Service as validateService does, and the default
// node-port range of the allocator that runs on create.
func (c *checker) service() {
	spec := c.o.Root.Get("spec")
	sp := specPath
	types := []string{"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}
	c.enumKey(spec, "type", sp, "", types)
	typ, _ := str(spec.Get("type"))
	if typ == "" {
		typ = "ClusterIP"
	}
	c.enumKey(spec, "sessionAffinity", sp, "", []string{"ClientIP", "None"})
	c.enumKey(spec, "internalTrafficPolicy", sp, "", []string{"Cluster", "Local"})
	if typ == "NodePort" || typ == "LoadBalancer" {
		c.enumKey(spec, "externalTrafficPolicy", sp, "", []string{"Cluster", "Local"})
	}
	c.externalTrafficPolicy(spec, sp, typ)
	c.clusterIPs(spec, sp, typ)
	c.enumKey(spec, "ipFamilyPolicy", sp, "", []string{"PreferDualStack", "RequireDualStack", "SingleStack"})
	c.labels(spec.Get("selector"), func() *field.Path { return sp.Child("selector") }, "")
	names := map[string]bool{}
	ports := map[string]bool{}
	nodePorts := map[string]bool{}
	for i, it := range spec.Get("ports").Items() {
		pp := sp.Child("ports").Index(i)
		items := itemName(fmt.Sprintf("ports[%d]", i), it)
		add := func(n *yamlx.Node, err *field.Error, fix string) {
			c.add(Problem{Node: n, Err: err, Items: items, Fix: fix})
		}
		if n := it.Get("name"); n != nil {
			if name, ok := str(n); ok && name != "" && !IsPlaceholder(name) {
				for _, msg := range c.memo.check(fnDNSLabel, name) {
					add(n, field.Invalid(pp.Child("name"), name, msg), "name the port "+label)
				}
				if names[name] {
					add(n, field.Duplicate(pp.Child("name"), name), "give each port of the Service its own name")
				}
				names[name] = true
			}
		}
		c.enumKey(it, "protocol", pp, "", []string{"SCTP", "TCP", "UDP"})
		proto, _ := str(it.Get("protocol"))
		if proto == "" {
			proto = "TCP"
		}
		if n := it.Get("port"); n != nil {
			if v, ok := n.Int(); ok {
				for _, msg := range validation.IsValidPortNum(int(v)) {
					add(n, field.Invalid(pp.Child("port"), int32OrInt(v), msg), "a port number is between 1 and 65535")
				}
				key := fmt.Sprintf("%s/%d", proto, v)
				if ports[key] {
					c.add(Problem{Node: n, Err: field.Duplicate(pp, servicePort{Protocol: proto, Port: v}), Items: items,
						Headline: fmt.Sprintf("%s: Duplicate value: port %d/%s", pp, v, proto),
						Fix:      fmt.Sprintf("remove the second %d/%s port, or give it another port number", v, proto)})
				}
				ports[key] = true
			}
		}
		c.targetPort(it.Get("targetPort"), func() *field.Path { return pp.Child("targetPort") }, "", func() []string { return items })
		n := it.Get("nodePort")
		v, ok := n.Int()
		if !ok || v == 0 {
			continue
		}
		if typ == "ClusterIP" {
			add(n, field.Forbidden(pp.Child("nodePort"), "may not be used when `type` is 'ClusterIP'"), "remove nodePort, or set type: NodePort (or LoadBalancer)")
			continue
		}
		if msgs := validation.IsValidPortNum(int(v)); len(msgs) > 0 {
			add(n, field.Invalid(pp.Child("nodePort"), int32OrInt(v), msgs[0]), "a port number is between 1 and 65535")
			continue
		}
		key := fmt.Sprintf("%s/%d", proto, v)
		if nodePorts[key] {
			add(n, field.Duplicate(pp.Child("nodePort"), int32OrInt(v)), "give each port its own nodePort")
		}
		nodePorts[key] = true
		if typ != "ExternalName" && (v < nodePortMin || v > nodePortMax) {
			add(n, field.Invalid(pp.Child("nodePort"), int32OrInt(v), fmt.Sprintf("provided port is not in the valid range. The range of valid ports is %d-%d", nodePortMin, nodePortMax)),
				fmt.Sprintf("pick a nodePort between %d and %d (the default --service-node-port-range), or remove it to let the cluster pick one; a cluster with another range can set this rule's severity or suppress it", nodePortMin, nodePortMax))
		}
	}
}

// targetPort checks a port number or name (ValidatePortNumOrName): a
// Service's targetPort, a probe's port. The path and the names of list
// items are built only for a problem.
func (c *checker) targetPort(n *yamlx.Node, p func() *field.Path, short string, items func() []string) {
	if n == nil || n.Kind() != yamlx.Scalar {
		return
	}
	if s, ok := str(n); ok {
		if s == "" || isNumberPlaceholder(s) || len(c.memo.check(fnPortName, s)) == 0 {
			return
		}
		fix := portNameFix(s) + ", or a port number"
		if _, err := strconv.Atoi(s); err == nil {
			fix = fmt.Sprintf("write the number without quotes (port: %s): a quoted number is read as a port name", s)
		}
		fp := p()
		for _, msg := range c.memo.check(fnPortName, s) {
			c.add(Problem{Node: n, Err: field.Invalid(fp, s, msg), Short: shorten(short, fp.String()), Items: items(), Fix: fix})
		}
		return
	}
	v, ok := n.Int()
	if !ok || v == 0 {
		return // 0 is defaulted to the port
	}
	if msgs := validation.IsValidPortNum(int(v)); len(msgs) > 0 {
		fp := p()
		c.add(Problem{Node: n, Err: field.Invalid(fp, int32OrInt(v), msgs[0]), Short: shorten(short, fp.String()), Items: items(), Fix: "a port number is between 1 and 65535"})
	}
}

// servicePort is how the API server prints a duplicate port (the internal
// type with only the protocol and port set).
type servicePort struct {
	Name        string
	Protocol    string
	AppProtocol *string
	Port        int64
	TargetPort  int
	NodePort    int
}

// externalTrafficPolicy is validateServiceExternalTrafficPolicy: a
// ClusterIP Service without externalIPs is not externally accessible
// (apiservice.ExternallyAccessible) and takes no externalTrafficPolicy.
func (c *checker) externalTrafficPolicy(spec *yamlx.Node, sp *field.Path, typ string) {
	n := spec.Get("externalTrafficPolicy")
	v, ok := str(n)
	if !ok || v == "" || IsTemplated(v) || typ != "ClusterIP" || spec.Get("externalIPs").NumItems() > 0 {
		return
	}
	if t := spec.Get("type"); t != nil && t.Kind() == yamlx.Scalar && IsTemplated(t.Value()) {
		return
	}
	c.add(Problem{Node: n, Err: field.Invalid(sp.Child("externalTrafficPolicy"), v, "may only be set for externally-accessible services"),
		Fix: "remove externalTrafficPolicy, or make the Service type: NodePort or LoadBalancer"})
}
