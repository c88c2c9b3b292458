// Package apischema is the structure of every kind that k8s.io/api serves
// (generated into a table by gen.go: see `go generate`), walked together
// with k8slint's YAML tree so that every unknown field, value of the wrong
// JSON type and missing required field is found at its line and column. It
// also says which apiVersion/kind pairs the built-in groups serve.
package apischema

import "sync"

//go:generate go run -tags generate gen.go

// Kind is the JSON shape a Go type decodes from.
type Kind uint8

const (
	KString Kind = iota + 1
	KBool
	KInt
	KFloat
	KStruct
	KList
	KMap
	KBytes // []byte: a base64 string
	KIntOrString
	KQuantity
	KTime     // metav1.Time, metav1.MicroTime: an RFC 3339 string
	KDuration // metav1.Duration: a Go duration string
	KAny      // runtime.RawExtension, metav1.FieldsV1: any JSON
)

type typeInfo struct {
	name     string // as encoding/json names it: "v1.Container", "int32", "[]string"
	id       string // package-qualified struct name: "core/v1.Container" ("" for non-structs)
	kind     Kind
	elem     uint16 // element type of a list or map
	first    uint16 // fields: fieldTable[first : first+nField], sorted by name
	nField   uint16
	bits     uint8
	unsigned bool
}

type fieldInfo struct {
	name string // JSON name
	typ  uint16
	via  string // the embedded structs it is promoted through, as decoder errors name them ("ProbeHandler.")
}

type kindInfo struct {
	apiVersion, kind string
	typ              uint16 // 0xffff: a removed version k8s.io/api no longer holds
	object           bool   // has metadata (not a List, options or event type)
}

const noType = 0xffff

// Type is a Go type of k8s.io/api.
type Type uint16

func (t Type) info() *typeInfo { return &typeTable[t] }

// Name is the type as encoding/json names it in errors ("v1.Container", "int32").
func (t Type) Name() string { return typeTable[t].name }

// ID is the package-qualified struct name ("core/v1.Container"), "" for non-structs.
func (t Type) ID() string { return typeTable[t].id }

// Kind is the JSON shape the type decodes from.
func (t Type) Kind() Kind { return typeTable[t].kind }

// Elem is the element type of a list or map.
func (t Type) Elem() Type { return Type(typeTable[t].elem) }

// Field returns the type of a struct's field by its JSON name (case-sensitive, as the API server's decoder matches).
func (t Type) Field(name string) (Type, bool) {
	if f := t.field(name); f != nil {
		return Type(f.typ), true
	}
	return 0, false
}

func (t Type) field(name string) *fieldInfo {
	ti := &typeTable[t]
	fs := fieldTable[ti.first : ti.first+ti.nField]
	lo, hi := 0, len(fs)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case fs[m].name == name:
			return &fs[m]
		case fs[m].name < name:
			lo = m + 1
		default:
			hi = m
		}
	}
	return nil
}

// Fields returns the JSON names of a struct's fields, sorted.
func (t Type) Fields() []string {
	ti := &typeTable[t]
	out := make([]string, 0, ti.nField)
	for _, f := range fieldTable[ti.first : ti.first+ti.nField] {
		out = append(out, f.name)
	}
	return out
}

// Lookup returns the root type of an apiVersion/kind that k8s.io/api
// serves.
func Lookup(apiVersion, kind string) (Type, bool) {
	k := findKind(apiVersion, kind)
	if k == nil || k.typ == noType {
		return 0, false
	}
	return Type(k.typ), true
}

var kindMap = sync.OnceValue(func() map[[2]string]*kindInfo {
	m := make(map[[2]string]*kindInfo, len(kindTable))
	for i := range kindTable {
		m[[2]string{kindTable[i].apiVersion, kindTable[i].kind}] = &kindTable[i]
	}
	return m
})

func findKind(apiVersion, kind string) *kindInfo {
	return kindMap()[[2]string{apiVersion, kind}]
}
