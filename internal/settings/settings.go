// Package settings parses the user inputs that some rules need, the same way
// for the command-line flags (internal/cli) and for .k8slint.yaml
// (internal/config): the target Kubernetes version, node shapes and
// resource quantities. Quantities go through apimachinery's
// resource.ParseQuantity, names through its validation, never a regexp.
//
// It imports no workspace: the workspace holds the parsed values.
package settings

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/api/validate/content"
)

// MaxMilli caps amounts (in thousandths) so that sums and products of them
// with a pod count cannot overflow an int64: larger quantities are read as
// MaxMilli, which the reports show as "(too large)".
const MaxMilli = math.MaxInt64 / 1024

// MaxNodeCount is the largest count of identical nodes one shape may give.
const MaxNodeCount = 100000

// NodeSpec describes Count identical nodes.
type NodeSpec struct {
	// Resources maps a resource name (cpu, memory, pods, ephemeral-storage,
	// hugepages-<size>, an extended resource like nvidia.com/gpu) to its
	// amount in thousandths, capped at MaxMilli.
	Resources map[string]int64
	Count     int
	// Source is where the spec was given ("--node-capacity cpu=2,memory=4Gi",
	// ".k8slint.yaml:8").
	Source string
}

// NewNodeSpec starts an empty spec of one node given at source.
func NewNodeSpec(source string) NodeSpec {
	return NodeSpec{Resources: map[string]int64{}, Count: 1, Source: source}
}

// ParseQuantity parses a Kubernetes quantity ("500m", "1.5", "4Gi") and
// returns it in thousandths, capped at MaxMilli. Negative quantities are
// refused.
func ParseQuantity(s string) (int64, error) {
	q, err := resource.ParseQuantity(strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	if q.Sign() < 0 {
		return 0, fmt.Errorf("quantity %q is negative", s)
	}
	if q.CmpInt64(MaxMilli/1000) > 0 {
		return MaxMilli, nil
	}
	return q.MilliValue(), nil
}

// ErrUnknownResource is wrapped by the errors of CheckResourceName.
var ErrUnknownResource = errors.New("not a node resource")

// ResourceNames are the resources a node shape names without a domain.
var ResourceNames = []string{"cpu", "memory", "pods", "ephemeral-storage"}

// CheckResourceName accepts the names a node can allocate: cpu, memory,
// pods, ephemeral-storage, hugepages-<size> (a quantity), or a
// domain-qualified extended resource (nvidia.com/gpu; the domain may not be
// kubernetes.io, which holds only native resources). Anything else ("mem",
// "gpu") is an error wrapping ErrUnknownResource.
func CheckResourceName(name string) error {
	switch name {
	case "cpu", "memory", "pods", "ephemeral-storage":
		return nil
	}
	if size, ok := strings.CutPrefix(name, "hugepages-"); ok {
		if _, err := resource.ParseQuantity(size); err == nil {
			return nil
		}
		return fmt.Errorf("%q: %w (hugepages-<size> wants a size like hugepages-2Mi)", name, ErrUnknownResource)
	}
	if domain, _, ok := strings.Cut(name, "/"); ok {
		if domain == "kubernetes.io" || strings.HasSuffix(domain, ".kubernetes.io") {
			return fmt.Errorf("%q: %w (the kubernetes.io domain holds no extended resources)", name, ErrUnknownResource)
		}
		if errs := content.IsLabelKey(name); len(errs) > 0 {
			return fmt.Errorf("%q: %w: %s", name, ErrUnknownResource, strings.Join(errs, "; "))
		}
		return nil
	}
	return fmt.Errorf("%q: %w (want cpu, memory, pods, ephemeral-storage, hugepages-<size>, count, or an extended resource with a domain, like nvidia.com/gpu)", name, ErrUnknownResource)
}

// CheckCount checks a node count.
func CheckCount(n int64) error {
	if n < 1 || n > MaxNodeCount {
		return fmt.Errorf("count=%d: want a whole number of nodes from 1 to %d", n, MaxNodeCount)
	}
	return nil
}

// SetResource adds one resource of a node shape, checking the name, the
// quantity and that it is not given twice.
func (s *NodeSpec) SetResource(name, value string) error {
	if err := CheckResourceName(name); err != nil {
		return err
	}
	if _, dup := s.Resources[name]; dup {
		return fmt.Errorf("%q is given twice", name)
	}
	m, err := ParseQuantity(value)
	if err != nil {
		return fmt.Errorf("%s=%s: not a Kubernetes quantity", name, value)
	}
	s.Resources[name] = m
	return nil
}

// errNoResource is the error of a spec that gives no resource.
var errNoResource = errors.New("gives no resource (want cpu=2,memory=4Gi...)")

// ParseNodeCapacity reads a --node-capacity value:
// "cpu=2,memory=4Gi[,pods=110][,count=3][,nvidia.com/gpu=1]".
func ParseNodeCapacity(s string) (NodeSpec, error) {
	spec := NewNodeSpec("--node-capacity " + s)
	countSet := false
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return spec, fmt.Errorf("%q: want NAME=QUANTITY (cpu=2,memory=4Gi,pods=110,count=3)", part)
		}
		if k == "count" {
			if countSet {
				return spec, fmt.Errorf("%q is given twice", k)
			}
			countSet = true
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return spec, fmt.Errorf("count=%s: want a whole number of nodes from 1 to %d", v, MaxNodeCount)
			}
			if err := CheckCount(n); err != nil {
				return spec, err
			}
			spec.Count = int(n)
			continue
		}
		if err := spec.SetResource(k, v); err != nil {
			return spec, err
		}
	}
	if len(spec.Resources) == 0 {
		return spec, fmt.Errorf("%q %w", s, errNoResource)
	}
	return spec, nil
}

// KubeVersion is a Kubernetes minor release (1.16).
type KubeVersion struct{ Major, Minor int }

func (v KubeVersion) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// Less reports whether v is older than w.
func (v KubeVersion) Less(w KubeVersion) bool {
	return v.Major < w.Major || v.Major == w.Major && v.Minor < w.Minor
}

// ParseKubeVersion reads "1.16", "v1.16" or "1.16.3" (the patch is ignored).
func ParseKubeVersion(s string) (KubeVersion, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "v")
	parts := strings.Split(t, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return KubeVersion{}, fmt.Errorf("invalid Kubernetes version %q (want MAJOR.MINOR, like 1.33)", s)
	}
	var nums [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p == "" || p[0] == '+' || p[0] == '-' || len(p) > 6 {
			return KubeVersion{}, fmt.Errorf("invalid Kubernetes version %q (want MAJOR.MINOR, like 1.33)", s)
		}
		nums[i] = n
	}
	if nums[0] != 1 {
		return KubeVersion{}, fmt.Errorf("invalid Kubernetes version %q (only 1.x releases exist)", s)
	}
	return KubeVersion{nums[0], nums[1]}, nil
}
