package apivalid

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	netutils "k8s.io/utils/net"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// clusterIPs checks a Service's clusterIP and clusterIPs as the API server
// does on create: the registry copies clusterIP into an empty clusterIPs
// (the Service REST storage's normalizeClusterIPs), then validateService
// (headless LoadBalancer and NodePort Services, ExternalName) and
// ValidateServiceClusterIPsRelatedFields (the two fields in sync, each a
// valid IP with IsValidIPForLegacyField and StrictIPCIDRValidation, on by
// default since 1.36; "None" alone; at most one IP per family) decide.
// Whether an IP lies in the cluster's Service CIDR only the cluster knows.
func (c *checker) clusterIPs(spec *yamlx.Node, sp *field.Path, typ string) {
	one := spec.Get("clusterIP")
	single, ok := str(one)
	if one != nil && !one.IsNull() && !ok {
		return // a number: wrong-field-type's
	}
	listNode := spec.Get("clusterIPs")
	var ips []string
	nodes := listNode
	for _, n := range nodes.Items() {
		s, ok := str(n)
		if !ok {
			return
		}
		ips = append(ips, s)
	}
	if IsTemplated(single) || IsPlaceholder(single) {
		return
	}
	for _, s := range ips {
		if IsTemplated(s) || IsPlaceholder(s) {
			return
		}
	}
	// The node each clusterIPs item is reported at: clusterIP's value when
	// the registry copied it.
	at := func(i int) *yamlx.Node {
		if i < nodes.NumItems() {
			return nodes.Item(i)
		}
		return one
	}
	// The headline of an error of a copied clusterIP names clusterIP.
	short := func(i int, fp *field.Path) (string, []string) {
		if i >= nodes.NumItems() {
			return "spec.clusterIP", []string{"the API server copies clusterIP into clusterIPs"}
		}
		return fp.String(), nil
	}
	// Errors of the whole list are reported at its key.
	whole := spec.KeyNode("clusterIPs")
	if nodes.NumItems() == 0 {
		whole = one
	}
	if single != "" && len(ips) == 0 {
		ips = []string{single}
	}
	if len(ips) == 0 {
		return
	}
	cp := sp.Child("clusterIPs")
	headless := ips[0] == corev1.ClusterIPNone
	switch typ {
	case string(corev1.ServiceTypeLoadBalancer), string(corev1.ServiceTypeNodePort):
		if headless {
			sh, items := short(0, cp.Index(0))
			c.add(Problem{Node: at(0), Short: sh, Items: items, Err: field.Invalid(cp.Index(0), ips[0], fmt.Sprintf("may not be set to 'None' for %s services", typ)),
				Fix: fmt.Sprintf("remove clusterIP: None (a %s Service has a cluster IP), or make the Service headless with type: ClusterIP", typ)})
		}
	case string(corev1.ServiceTypeExternalName):
		sh, items := short(0, cp)
		c.add(Problem{Node: whole, Short: sh, Items: items, Err: field.Forbidden(cp, "may not be set for ExternalName services"),
			Fix: "remove clusterIP and clusterIPs: an ExternalName Service is a DNS CNAME and has no cluster IP"})
		return
	}
	if single != "" && nodes.NumItems() > 0 && ips[0] != single {
		c.add(Problem{Node: whole, Err: field.Invalid(cp, ips, "first value must match `clusterIP`"), Fix: "write clusterIP as the first item of clusterIPs, or remove one of the two fields",
			Related: []diag.Location{c.loc(one, "clusterIP")}})
	}
	if single == "" && nodes.NumItems() > 0 {
		c.add(Problem{Node: whole, Err: field.Invalid(cp, ips, "must be empty when `clusterIP` is not specified"), Fix: fmt.Sprintf("add clusterIP: %s (the first item of clusterIPs), or remove clusterIPs", ips[0])})
	}
	invalid := false
	for i, ip := range ips {
		if i == 0 && ip == corev1.ClusterIPNone {
			if len(ips) > 1 {
				invalid = true
				c.add(Problem{Node: whole, Err: field.Invalid(cp, ips, "'None' must be the first and only value"), Fix: "write clusterIPs: [None] alone for a headless Service, or IP addresses"})
			}
			continue
		}
		for _, err := range validation.IsValidIPForLegacyField(cp.Index(i), ip, true, nil) {
			invalid = true
			sh, items := short(i, cp.Index(i))
			c.add(Problem{Node: at(i), Short: sh, Items: items, Err: err, Fix: "write an IPv4 or IPv6 address inside the cluster's Service CIDR, None for a headless Service, or remove it to let the cluster pick one"})
		}
	}
	if len(ips) > 2 {
		c.add(Problem{Node: whole, Err: field.Invalid(cp, ips, "may only hold up to 2 values"), Fix: "write one IPv4 and at most one IPv6 address"})
	}
	if invalid {
		return
	}
	if len(ips) > 1 {
		if dual, err := netutils.IsDualStackIPStrings(ips); err == nil && !dual {
			c.add(Problem{Node: whole, Err: field.Invalid(cp, ips, "may specify no more than one IP for each IP family"), Fix: "write one IPv4 and one IPv6 address"})
		}
	}
	// The IPs match their families, when both are written.
	families := spec.Get("ipFamilies")
	if headless {
		return
	}
	for i, ip := range ips {
		if i >= families.NumItems() {
			break
		}
		fam, ok := str(families.Item(i))
		if !ok {
			continue
		}
		want := ""
		switch {
		case fam == string(corev1.IPv4Protocol) && netutils.IsIPv6String(ip):
			want = "IPv4"
		case fam == string(corev1.IPv6Protocol) && !netutils.IsIPv6String(ip):
			want = "IPv6"
		default:
			continue
		}
		sh, items := short(i, cp.Index(i))
		c.add(Problem{Node: at(i), Short: sh, Items: items, Err: field.Invalid(cp.Index(i), ip, fmt.Sprintf("expected an %s value as indicated by `ipFamilies[%v]`", want, i)),
			Fix: "write the addresses in the order of ipFamilies, or remove ipFamilies", Related: []diag.Location{c.loc(families.Item(i), "ipFamilies")}})
	}
}
