package apivalid

import (
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ingress checks the path types of an Ingress's rules.
func (c *checker) ingress() {
	sp := field.NewPath("spec")
	for i, r := range c.o.Root.Path("spec", "rules").Items() {
		for j, p := range r.Path("http", "paths").Items() {
			pp := sp.Child("rules").Index(i).Child("http", "paths").Index(j)
			c.enumKey(p, "pathType", pp, "", []string{"Exact", "ImplementationSpecific", "Prefix"})
		}
	}
}

// networkPolicy checks policyTypes and the protocols of its ports.
func (c *checker) networkPolicy() {
	spec := c.o.Root.Get("spec")
	sp := field.NewPath("spec")
	for i, t := range spec.Get("policyTypes").Items() {
		c.enum(t, sp.Child("policyTypes").Index(i), "", []string{"Ingress", "Egress"})
	}
	for _, dir := range []struct{ list, peers string }{{"ingress", "ports"}, {"egress", "ports"}} {
		for i, r := range spec.Get(dir.list).Items() {
			for j, p := range r.Get(dir.peers).Items() {
				pp := sp.Child(dir.list).Index(i).Child("ports").Index(j)
				c.enumKey(p, "protocol", pp, "", []string{"TCP", "UDP", "SCTP"})
			}
		}
	}
	if sel := spec.Get("podSelector"); sel != nil {
		c.labelSelector(sel, sp.Child("podSelector"))
	}
}
