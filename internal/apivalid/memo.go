package apivalid

import "k8s.io/apimachinery/pkg/util/validation"

// memo remembers the verdicts of apimachinery's regexp-based validators for
// one run: label keys, values and names repeat across objects. One run is
// one goroutine, so no lock.
type memo struct {
	m map[memoKey][]string
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
	m.m[k] = msgs
	return msgs
}
