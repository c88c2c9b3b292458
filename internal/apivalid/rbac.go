package apivalid

import (
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/yamlx"
)

const rbacGroup = "rbac.authorization.k8s.io"

// role checks a Role's rules (ValidatePolicyRule with isNamespaced):
// non-resource URLs belong in ClusterRoles.
func (c *checker) role() {
	for i, r := range c.o.Root.Get("rules").Items() {
		n := r.Get("nonResourceURLs")
		if n.NumItems() == 0 {
			continue
		}
		var urls []string
		for _, u := range n.Items() {
			urls = append(urls, u.Value())
		}
		c.invalid(r.KeyNode("nonResourceURLs"), field.Invalid(field.NewPath("rules").Index(i).Child("nonResourceURLs"), urls, "namespaced rules cannot apply to non-resource URLs"),
			"grant non-resource URLs (/healthz, /metrics) in a ClusterRole bound with a ClusterRoleBinding")
	}
}

// roleBinding and clusterRoleBinding check roleRef and the subjects' kinds
// and API groups (ValidateRoleBinding, ValidateClusterRoleBinding,
// ValidateRoleBindingSubject; empty subject API groups are defaulted).
func (c *checker) roleBinding()        { c.binding([]string{"Role", "ClusterRole"}) }
func (c *checker) clusterRoleBinding() { c.binding([]string{"ClusterRole"}) }

func (c *checker) binding(kinds []string) {
	ref := c.o.Root.Get("roleRef")
	rp := field.NewPath("roleRef")
	if n := ref.Get("apiGroup"); n != nil {
		if v, ok := str(n); ok && v != rbacGroup && !IsTemplated(v) {
			c.add(Problem{Node: n, Err: field.NotSupported(rp.Child("apiGroup"), v, []string{rbacGroup}), Fix: "write apiGroup: " + rbacGroup})
		}
	}
	c.enumKey(ref, "kind", rp, "", kinds)
	sp := field.NewPath("subjects")
	for i, s := range c.o.Root.Get("subjects").Items() {
		ip := sp.Index(i)
		c.enumKey(s, "kind", ip, "", []string{"ServiceAccount", "User", "Group"})
		kind, _ := str(s.Get("kind"))
		g := s.Get("apiGroup")
		v, ok := str(g)
		if !ok || v == "" || IsTemplated(v) {
			continue
		}
		c.subjectGroup(g, v, kind, ip)
	}
}

func (c *checker) subjectGroup(g *yamlx.Node, v, kind string, ip *field.Path) {
	switch kind {
	case "ServiceAccount":
		c.add(Problem{Node: g, Err: field.NotSupported(ip.Child("apiGroup"), v, []string{""}), Fix: "remove apiGroup: a ServiceAccount subject is in the core group"})
	case "User", "Group":
		if v != rbacGroup {
			c.add(Problem{Node: g, Err: field.NotSupported(ip.Child("apiGroup"), v, []string{rbacGroup}), Fix: "write apiGroup: " + rbacGroup})
		}
	}
}
