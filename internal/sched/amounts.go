package sched

import (
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/k8slint/k8slint/internal/settings"
)

// maxMilli caps amounts so that sums cannot overflow.
const maxMilli = settings.MaxMilli

// Amounts maps a resource name to an amount in thousandths ("pods" counts
// pods in thousandths too).
type Amounts map[string]int64

// Pick returns the given resources of a (0 for those it lacks).
func (a Amounts) Pick(keys []string) Amounts {
	out := Amounts{}
	for _, k := range keys {
		out[k] = a[k]
	}
	return out
}

// addSat adds without overflowing: the sum is capped at maxMilli.
func addSat(a, b int64) int64 {
	if b > maxMilli-a {
		return maxMilli
	}
	return a + b
}

// mulSat multiplies non-negative numbers, capped at maxMilli.
func mulSat(a, b int64) int64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	if a > maxMilli/b {
		return maxMilli
	}
	return a * b
}

// IsExtendedResource reports resources that a node has only when it lists
// them (nvidia.com/gpu, hugepages-2Mi).
func IsExtendedResource(r string) bool {
	return strings.Contains(r, "/") || strings.HasPrefix(r, "hugepages-")
}

// scheduledResource reports the request names the scheduler's fit check counts.
func scheduledResource(r string) bool {
	switch r {
	case "cpu", "memory", "ephemeral-storage":
		return true
	}
	return IsExtendedResource(r) && !strings.HasPrefix(r, "requests.")
}

// SortedKeys returns a's resources in ResourceLess order.
func SortedKeys(a Amounts) []string {
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return ResourceLess(keys[i], keys[j]) })
	return keys
}

func resourceRank(r string) int {
	switch r {
	case "cpu":
		return 0
	case "memory":
		return 1
	case "ephemeral-storage":
		return 2
	case "pods":
		return 4
	}
	return 3
}

// ResourceLess orders cpu, memory, ephemeral-storage, then the rest by name, pods last.
func ResourceLess(a, b string) bool {
	if ra, rb := resourceRank(a), resourceRank(b); ra != rb {
		return ra < rb
	}
	return a < b
}

// FormatQty writes an amount in thousandths the way kubectl would.
func FormatQty(r string, milli int64) string {
	if milli >= maxMilli {
		return "(too large)"
	}
	if r == "cpu" {
		if milli%1000 == 0 {
			return strconv.FormatInt(milli/1000, 10)
		}
		return strconv.FormatInt(milli, 10) + "m"
	}
	if r == "pods" || IsExtendedResource(r) && !strings.HasPrefix(r, "hugepages-") {
		if milli%1000 == 0 {
			return strconv.FormatInt(milli/1000, 10)
		}
		return resource.NewMilliQuantity(milli, resource.DecimalSI).String()
	}
	if milli%1000 != 0 {
		return resource.NewMilliQuantity(milli, resource.DecimalSI).String()
	}
	v := milli / 1000
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"Ti", 1 << 40}, {"Gi", 1 << 30}, {"Mi", 1 << 20}, {"Ki", 1 << 10}} {
		if v >= u.size && v%u.size == 0 {
			return strconv.FormatInt(v/u.size, 10) + u.suffix
		}
	}
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"G", 1e9}, {"M", 1e6}, {"k", 1e3}} {
		if v >= u.size && v%u.size == 0 {
			return strconv.FormatInt(v/u.size, 10) + u.suffix
		}
	}
	return strconv.FormatInt(v, 10)
}

// FormatRes writes "cpu 200m, memory 200Mi" ("no resources" when empty).
func FormatRes(a Amounts) string {
	var parts []string
	for _, k := range SortedKeys(a) {
		parts = append(parts, k+" "+FormatQty(k, a[k]))
	}
	if len(parts) == 0 {
		return "no resources"
	}
	return strings.Join(parts, ", ")
}
