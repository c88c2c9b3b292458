package apivalid

import (
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// memo remembers the verdicts of apimachinery's regexp-based validators for
// one run: label keys, values and names repeat across objects. Each
// goroutine of a run has its own, so no lock.
type memo struct {
	m map[memoKey][]string
	q map[quantityKey]quantityResult
}

type memoKey struct {
	fn    uint8
	value string
}

const (
	fnQualified uint8 = iota
	fnLabelValue
	fnDNSLabel
	fnDNSSubdomain
	fnPortName
)

var validators = [...]func(string) []string{
	fnQualified:    validation.IsQualifiedName,
	fnLabelValue:   validation.IsValidLabelValue,
	fnDNSLabel:     validation.IsDNS1123Label,
	fnDNSSubdomain: validation.IsDNS1123Subdomain,
	fnPortName:     validation.IsValidPortName,
}

func (m *memo) check(fn uint8, s string) []string {
	k := memoKey{fn, s}
	if msgs, ok := m.m[k]; ok {
		return msgs
	}
	msgs := validators[fn](s)
	if m.m == nil {
		m.m = map[memoKey][]string{}
	}
	if len(m.m) < memoSize {
		m.m[k] = msgs
	}
	return msgs
}

// memoSize bounds a memo's verdicts: the values that repeat (label keys,
// app names) come early, and names unique to an object (most of a large
// repository's distinct values) filled a map that was 2 MB of garbage a
// 10k run.
const memoSize = 512

type quantityKey struct {
	value string
	typ   yamlx.Type // how the scalar resolves: the same text decodes differently as a number
}

type quantityResult struct {
	q   resource.Quantity
	ok  bool
	bad string
}

// quantity is quantity(n), parsed once per distinct scalar (resources
// repeat the same few values across a repository); each caller gets its
// own deep copy of the Quantity.
func (m *memo) quantity(n *yamlx.Node) (resource.Quantity, bool, string) {
	if n == nil || n.Kind() != yamlx.Scalar {
		return resource.Quantity{}, false, ""
	}
	k := quantityKey{n.Value(), yamlx.Resolve(n)}
	r, hit := m.q[k]
	if !hit {
		r.q, r.ok, r.bad = quantity(n)
		if m.q == nil {
			m.q = map[quantityKey]quantityResult{}
		}
		m.q[k] = r
	}
	return r.q.DeepCopy(), r.ok, r.bad
}
