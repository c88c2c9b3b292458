package apivalid

import (
	"fmt"
	"net/netip"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// ingress checks an Ingress as ValidateIngressSpec does: the class name,
// the rules' hosts, the paths (type, absolute, no dot segments) and the
// backends' ports.
func (c *checker) ingress() {
	spec := c.o.Root.Get("spec")
	sp := specPath
	if n := spec.Get("ingressClassName"); n != nil {
		if v, ok := str(n); ok && !IsPlaceholder(v) {
			for _, msg := range c.memo.check(fnDNSSubdomain, v) {
				c.invalid(n, field.Invalid(sp.Child("ingressClassName"), v, msg), "name an IngressClass: "+subdomain)
			}
		}
	}
	c.ingressBackend(spec.Get("defaultBackend"), sp.Child("defaultBackend"))
	for i, r := range spec.Get("rules").Items() {
		rp := sp.Child("rules").Index(i)
		if n := r.Get("host"); n != nil {
			c.ingressHost(n, rp.Child("host"))
		}
		for j, p := range r.Path("http", "paths").Items() {
			pp := rp.Child("http", "paths").Index(j)
			c.enumKey(p, "pathType", pp, "", []string{"Exact", "ImplementationSpecific", "Prefix"})
			c.ingressPath(p, pp)
			c.ingressBackend(p.Get("backend"), pp.Child("backend"))
		}
	}
}

// ingressHost is validateIngressRules' check of a host: a DNS name (a
// wildcard only as the first label), not an IP address.
func (c *checker) ingressHost(n *yamlx.Node, p *field.Path) {
	h, ok := str(n)
	if !ok || h == "" || IsPlaceholder(h) {
		return
	}
	fix := "write a lowercase DNS name such as shop.example.com (or *.example.com)"
	if _, err := netip.ParseAddr(h); err == nil {
		c.invalid(n, field.Invalid(p, h, "must be a DNS name, not an IP address"), "write a DNS name, or leave host out to match every host")
		return
	}
	msgs := validation.IsDNS1123Subdomain(h)
	if strings.Contains(h, "*") {
		msgs = validation.IsWildcardDNS1123Subdomain(h)
	}
	for _, msg := range msgs {
		c.invalid(n, field.Invalid(p, h, msg), fix)
	}
}

// Taken from k8s.io/kubernetes pkg/apis/networking/validation.
var (
	invalidPathSequences = []string{"//", "/./", "/../", "%2f", "%2F"}
	invalidPathSuffixes  = []string{"/..", "/."}
)

// ingressPath is validateHTTPIngressPath's check of a path for its type.
func (c *checker) ingressPath(item *yamlx.Node, pp *field.Path) {
	t, ok := str(item.Get("pathType"))
	if !ok {
		return
	}
	n := item.Get("path")
	path, ok := str(n)
	if !ok || IsPlaceholder(path) {
		return
	}
	fp := pp.Child("path")
	switch t {
	case "Exact", "Prefix":
		if !strings.HasPrefix(path, "/") {
			c.invalid(n, field.Invalid(fp, path, "must be an absolute path"), fmt.Sprintf("start the path with a slash: %q", "/"+path))
			return
		}
		for _, s := range invalidPathSequences {
			if strings.Contains(path, s) {
				c.invalid(n, field.Invalid(fp, path, fmt.Sprintf("must not contain '%s'", s)), "write the path without empty, '.' or '..' segments and without an encoded slash")
				return
			}
		}
		for _, s := range invalidPathSuffixes {
			if strings.HasSuffix(path, s) {
				c.invalid(n, field.Invalid(fp, path, fmt.Sprintf("cannot end with '%s'", s)), "write the path without a trailing '.' or '..' segment")
				return
			}
		}
	case "ImplementationSpecific":
		if path != "" && !strings.HasPrefix(path, "/") {
			c.invalid(n, field.Invalid(fp, path, "must be an absolute path"), fmt.Sprintf("start the path with a slash: %q", "/"+path))
		}
	}
}

// ingressBackend is validateIngressBackend's check of a Service port: a
// name or a number, not both.
func (c *checker) ingressBackend(b *yamlx.Node, bp *field.Path) {
	port := b.Path("service", "port")
	name, num := port.Get("name"), port.Get("number")
	if name == nil || num == nil {
		return
	}
	s, ok := str(name)
	v, isInt := num.Int()
	if !ok || s == "" || !isInt || v == 0 {
		return
	}
	c.add(Problem{Node: b.Path("service").KeyNode("port"), Err: field.Invalid(bp, "", "cannot set both port name & port number"),
		Headline: fmt.Sprintf("%s.service.port: cannot set both port name & port number", bp),
		Fix:      "keep either port.name or port.number", Related: []diag.Location{c.loc(name, "port.name"), c.loc(num, "port.number")}})
}

// networkPolicy checks policyTypes, the ports (protocol, endPort) and the
// peers' ipBlocks (ValidateNetworkPolicySpec).
func (c *checker) networkPolicy() {
	spec := c.o.Root.Get("spec")
	sp := specPath
	for i, t := range spec.Get("policyTypes").Items() {
		c.enum(t, sp.Child("policyTypes").Index(i), "", []string{"Ingress", "Egress"})
	}
	for _, dir := range []struct{ list, peers string }{{"ingress", "from"}, {"egress", "to"}} {
		for i, r := range spec.Get(dir.list).Items() {
			rp := sp.Child(dir.list).Index(i)
			for j, p := range r.Get("ports").Items() {
				pp := rp.Child("ports").Index(j)
				c.enumKey(p, "protocol", pp, "", []string{"TCP", "UDP", "SCTP"})
				c.endPort(p, pp)
			}
			for j, peer := range r.Get(dir.peers).Items() {
				if b := peer.Get("ipBlock"); b != nil {
					c.ipBlock(b, rp.Child(dir.peers).Index(j).Child("ipBlock"))
				}
			}
		}
	}
	if sel := spec.Get("podSelector"); sel != nil {
		c.labelSelector(sel, sp.Child("podSelector"))
	}
}

// endPort is ValidateNetworkPolicyPort's check of a numeric range.
func (c *checker) endPort(p *yamlx.Node, pp *field.Path) {
	port, ok := p.Get("port").Int()
	if !ok {
		return
	}
	n := p.Get("endPort")
	end, ok := n.Int()
	if ok && end < port {
		c.add(Problem{Node: n, Err: field.Invalid(pp.Child("endPort"), end, "must be greater than or equal to `port`"),
			Fix: fmt.Sprintf("write the last port of the range, %d or more", port), Related: []diag.Location{c.loc(p.Get("port"), "port")}})
	}
}

// ipBlock is ValidateIPBlock: cidr and except are CIDRs (strict, as the
// StrictIPCIDRValidation gate, on by default, has it), each except a strict
// subset of cidr.
func (c *checker) ipBlock(b *yamlx.Node, bp *field.Path) {
	n := b.Get("cidr")
	cidr, ok := str(n)
	if !ok || cidr == "" || IsPlaceholder(cidr) {
		return
	}
	const fix = "write an address range such as 10.0.0.0/16 (no bits set beyond the prefix length)"
	if errs := validation.IsValidCIDRForLegacyField(bp.Child("cidr"), cidr, true, nil); len(errs) > 0 {
		c.invalid(n, errs[0], fix)
		return
	}
	outer, err := netip.ParsePrefix(cidr)
	if err != nil {
		return
	}
	for i, e := range b.Get("except").Items() {
		s, ok := str(e)
		if !ok || IsPlaceholder(s) {
			continue
		}
		ep := bp.Child("except").Index(i)
		if errs := validation.IsValidCIDRForLegacyField(ep, s, true, nil); len(errs) > 0 {
			c.invalid(e, errs[0], fix)
			continue
		}
		inner, err := netip.ParsePrefix(s)
		if err != nil {
			continue
		}
		if !outer.Contains(inner.Addr()) || outer.Bits() >= inner.Bits() {
			c.add(Problem{Node: e, Err: field.Invalid(ep, s, "must be a strict subset of `cidr`"),
				Fix: fmt.Sprintf("write a smaller range inside %s, or remove it", cidr), Related: []diag.Location{c.loc(n, "cidr")}})
		}
	}
}
