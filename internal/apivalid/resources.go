package apivalid

import (
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// quantity decodes a quantity as the API server does: a JSON string through
// resource.ParseQuantity, a JSON number from the number kubectl sends. ok
// is false for nulls, booleans, collections and placeholders; a non-empty
// bad is the decoder's error.
func quantity(n *yamlx.Node) (q resource.Quantity, ok bool, bad string) {
	if n == nil || n.Kind() != yamlx.Scalar {
		return q, false, ""
	}
	s := n.Value()
	switch yamlx.Resolve(n) {
	case yamlx.TypeString:
		if isNumberPlaceholder(s) {
			return q, false, ""
		}
	case yamlx.TypeInt:
		v, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 0, 64)
		if err != nil {
			return q, false, ""
		}
		s = strconv.FormatInt(v, 10)
	case yamlx.TypeFloat:
		v, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
		if err != nil {
			return q, false, ""
		}
		s = strconv.FormatFloat(v, 'g', -1, 64)
	default:
		return q, false, ""
	}
	q, err := resource.ParseQuantity(s)
	if err != nil {
		return q, false, err.Error()
	}
	return q, true, ""
}

// quantityFix says how to write a quantity that does not parse.
func quantityFix(s string) string {
	lower := strings.ToLower(strings.TrimSpace(s))
	for _, u := range []struct{ bad, good string }{{"kb", "k"}, {"mb", "M"}, {"gb", "G"}, {"tb", "T"}, {"kib", "Ki"}, {"mib", "Mi"}, {"gib", "Gi"}, {"tib", "Ti"}} {
		if num, ok := strings.CutSuffix(lower, u.bad); ok && num != "" {
			bin := strings.TrimSuffix(u.good, "i")
			if !strings.HasSuffix(u.good, "i") {
				bin = u.good + "i"
				if u.good == "k" {
					bin = "Ki"
				}
			}
			n := strings.TrimSpace(num)
			if strings.HasSuffix(u.good, "i") {
				return fmt.Sprintf("write %s%s: binary suffixes are Ki, Mi, Gi, Ti, without a B", n, u.good)
			}
			return fmt.Sprintf("write %s%s (powers of 1024) or %s%s (powers of 1000): quantities take no B", n, bin, n, u.good)
		}
	}
	return "write a number with an optional suffix: m for thousandths (cpu: 500m), k, M, G, T or Ki, Mi, Gi, Ti (memory: 512Mi)"
}

// resources checks a container's limits and requests
// (validateResourceRequirements): names, quantities that do not parse,
// negative or fractional-where-integer values, requests above limits.
func (c *checker) resources(r *yamlx.Node, short string, ct *ctr) {
	rp := func() *field.Path { return ct.path().Child("resources") }
	add := func(n *yamlx.Node, p Problem) {
		p.Node, p.Items = n, ct.items()
		if p.Err != nil {
			p.Short = shorten(short, p.Err.Field)
		}
		c.add(p)
	}
	// The quantities that parsed, by list (0 limits, 1 requests): a
	// container names a few resources, so slices searched in order (maps
	// of Quantity values were a fifth of a 10k run's allocations).
	// Backed by an array on the stack: a container's few resources
	// allocated nothing more (their slices were 3 MB of garbage a 10k run).
	var room [2][4]namedQuantity
	parsed := [2][]namedQuantity{room[0][:0], room[1][:0]}
	for ki, kind := range []string{"limits", "requests"} {
		r.Get(kind).Pairs(func(k, v *yamlx.Node) {
			name := k.Value()
			fp := func() *field.Path { return rp().Child(kind).Key(name) }
			if msg := containerResourceName(name); msg != "" && !IsPlaceholder(name) {
				add(k, Problem{Err: field.Invalid(fp(), name, msg), Fix: "name cpu, memory, ephemeral-storage, hugepages-<size> or an extended resource such as nvidia.com/gpu"})
				return
			}
			q, ok, bad := c.memo.quantity(v)
			if bad != "" {
				add(v, Problem{Decode: bad, Short: shorten(short, fp().String()) + fmt.Sprintf(": %q is not a quantity", v.Value()),
					Fix: quantityFix(v.Value())})
				return
			}
			if !ok {
				return
			}
			if q.Sign() < 0 {
				add(v, Problem{Err: field.Invalid(fp(), q.String(), isNegative), Fix: "a resource quantity is 0 or more"})
				return
			}
			if isExtendedResourceName(name) && q.MilliValue()%1000 != 0 {
				add(v, Problem{Err: field.Invalid(fp(), q, "must be an integer"), Fix: "extended resources are counted in whole units"})
				return
			}
			parsed[ki] = append(parsed[ki], namedQuantity{name, q})
		})
	}
	reqPath := func() *field.Path { return rp().Child("requests") }
	r.Get("requests").Pairs(func(k, v *yamlx.Node) {
		name := k.Value()
		req, ok := lookupQuantity(parsed[1], name)
		if !ok {
			return
		}
		lim, hasLim := lookupQuantity(parsed[0], name)
		over := isOvercommitAllowed(name)
		switch {
		case hasLim && !over && req.Cmp(lim) != 0:
			add(v, Problem{Err: field.Invalid(reqPath(), req.String(), fmt.Sprintf("must be equal to %s limit of %s", name, lim.String())),
				Fix: fmt.Sprintf("%s cannot be overcommitted: make requests and limits equal (or set only limits)", name)})
		case hasLim && req.Cmp(lim) > 0:
			add(v, Problem{Err: field.Invalid(reqPath(), req.String(), fmt.Sprintf("must be less than or equal to %s limit of %s", name, lim.String())),
				Fix:     fmt.Sprintf("lower the %s request to %s or less, or raise the limit", name, lim.String()),
				Related: []diag.Location{c.loc(r.Get("limits").Get(name), "the "+name+" limit")}})
		case !hasLim && !over && r.Get("limits").Get(name) == nil:
			add(k, Problem{Err: field.Required(rp().Child("limits"), "Limit must be set for non overcommitable resources"),
				Fix: fmt.Sprintf("set limits.%s to the same value (%s cannot be overcommitted)", name, name)})
		}
	})
}

type namedQuantity struct {
	name string
	q    resource.Quantity
}

// lookupQuantity returns the last quantity parsed for the name (with a
// duplicate key, the last one: what a map of them kept).
func lookupQuantity(qs []namedQuantity, name string) (resource.Quantity, bool) {
	for i := len(qs) - 1; i >= 0; i-- {
		if qs[i].name == name {
			return qs[i].q, true
		}
	}
	return resource.Quantity{}, false
}

// isNegative is apimachinery's IsNegativeErrorMsg.
const isNegative = apivalidation.IsNegativeErrorMsg

// The helpers below are k8s.io/kubernetes pkg/apis/core/helper's, which
// k8slint cannot import (k8s.io/kubernetes is not a library).

func isNativeResource(name string) bool {
	return !strings.Contains(name, "/") || strings.Contains(name, "kubernetes.io/")
}

func isHugePages(name string) bool { return strings.HasPrefix(name, "hugepages-") }

func isOvercommitAllowed(name string) bool { return isNativeResource(name) && !isHugePages(name) }

func isExtendedResourceName(name string) bool {
	if isNativeResource(name) || strings.HasPrefix(name, "requests.") {
		return false
	}
	return len(validation.IsQualifiedName("requests."+name)) == 0
}

// containerResourceName is ValidateContainerResourceName's first message, or "".
func containerResourceName(name string) string {
	switch name {
	case "cpu", "memory", "ephemeral-storage":
		return ""
	}
	if msgs := validation.IsQualifiedName(name); len(msgs) > 0 {
		return msgs[0]
	}
	if !strings.Contains(name, "/") {
		switch {
		case name == "cpu" || name == "memory" || name == "ephemeral-storage" || isHugePages(name):
			return ""
		case standardResources[name]:
			return "must be a standard resource for containers"
		}
		return "must be a standard resource type or fully qualified"
	}
	if !isNativeResource(name) && !isExtendedResourceName(name) {
		return "doesn't follow extended resource name standard"
	}
	return ""
}

// standardResources are the unprefixed names IsStandardResourceName accepts.
var standardResources = map[string]bool{
	"cpu": true, "memory": true, "ephemeral-storage": true, "requests.cpu": true, "requests.memory": true,
	"requests.ephemeral-storage": true, "limits.cpu": true, "limits.memory": true, "limits.ephemeral-storage": true,
	"pods": true, "resourcequotas": true, "services": true, "replicationcontrollers": true, "secrets": true,
	"configmaps": true, "persistentvolumeclaims": true, "storage": true, "requests.storage": true,
	"services.nodeports": true, "services.loadbalancers": true,
}
