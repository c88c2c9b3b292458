//go:build generate

// Command gen writes zz_generated_table.go: the structure of every kind
// that k8s.io/api serves (fields by JSON name, their JSON types, element
// types of lists and maps), read by reflection from the k8s.io/api types
// registered in a runtime.Scheme. It runs with `go generate
// ./internal/apischema` and is not linked into k8slint: linking k8s.io/api
// itself would add 8 MB of binary and 7 MB of start-up RSS for types that
// are only ever walked.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"reflect"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/k8slint/k8slint/internal/apischema/kubeapi"
)

// Kinds of the table; they mirror the constants in types.go.
const (
	kString = iota + 1
	kBool
	kInt
	kFloat
	kStruct
	kList
	kMap
	kBytes
	kIntOrString
	kQuantity
	kTime
	kDuration
	kAny
)

type typeInfo struct {
	name, id      string
	kind          int
	elem          int
	first, nField int
	bits          int
	unsigned      bool
}

type fieldInfo struct {
	name string
	typ  int
	via  string // the embedded structs the field is promoted through ("ProbeHandler.")
}

var (
	types  []typeInfo
	fields []fieldInfo
	index  = map[reflect.Type]int{}
)

func typeID(t reflect.Type) string {
	p := t.PkgPath()
	p = strings.TrimPrefix(p, "k8s.io/api/")
	p = strings.TrimPrefix(p, "k8s.io/apimachinery/pkg/apis/")
	p = strings.TrimPrefix(p, "k8s.io/apimachinery/pkg/")
	return p + "." + t.Name()
}

func add(t reflect.Type) int {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if i, ok := index[t]; ok {
		return i
	}
	i := len(types)
	index[t] = i
	types = append(types, typeInfo{name: t.String(), elem: -1})
	ti := typeInfo{name: t.String(), elem: -1}
	switch typeID(t) {
	case "util/intstr.IntOrString":
		ti.kind = kIntOrString
	case "api/resource.Quantity":
		ti.kind = kQuantity
	case "meta/v1.Time", "meta/v1.MicroTime":
		ti.kind = kTime
	case "meta/v1.Duration":
		ti.kind = kDuration
	case "runtime.RawExtension", "meta/v1.FieldsV1", "runtime.Unknown":
		ti.kind = kAny
	case "meta/v1.GroupVersion":
		ti.kind = kString
	}
	if ti.kind == 0 {
		switch t.Kind() {
		case reflect.String:
			ti.kind = kString
		case reflect.Bool:
			ti.kind = kBool
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			ti.kind, ti.bits = kInt, t.Bits()
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			ti.kind, ti.bits, ti.unsigned = kInt, t.Bits(), true
		case reflect.Float32, reflect.Float64:
			ti.kind = kFloat
		case reflect.Interface:
			ti.kind = kAny
		case reflect.Slice, reflect.Array:
			if t.Elem().Kind() == reflect.Uint8 {
				ti.kind = kBytes
			} else {
				ti.kind = kList
				ti.elem = add(t.Elem())
			}
		case reflect.Map:
			if t.Key().Kind() != reflect.String {
				panic("map key " + t.String())
			}
			ti.kind = kMap
			ti.elem = add(t.Elem())
		case reflect.Struct:
			ti.kind = kStruct
			ti.id = typeID(t)
			var fs []fieldInfo
			collect(t, "", &fs)
			sort.Slice(fs, func(a, b int) bool { return fs[a].name < fs[b].name })
			ti.first, ti.nField = len(fields), len(fs)
			fields = append(fields, fs...)
		default:
			panic("unhandled " + t.String())
		}
	}
	types[i] = ti
	return i
}

// collect lists a struct's JSON fields as encoding/json sees them:
// embedded structs without a JSON name (`json:",inline"`) are flattened.
func collect(t reflect.Type, via string, fs *[]fieldInfo) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			// encoding/json (sigs.k8s.io/json) names the embedded
			// struct in its error paths: ProbeHandler.httpGet.
			collect(ft, via+f.Name+".", fs)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		// A field list is filled in after the recursive add, so take the
		// index before appending.
		ti := add(f.Type)
		*fs = append(*fs, fieldInfo{name: name, typ: ti, via: via})
	}
}

type kindEntry struct {
	apiVersion, kind string
	typ              int
	object           bool
}

func main() {
	s := runtime.NewScheme()
	for _, f := range kubeapi.AddToScheme {
		if err := f(s); err != nil {
			panic(err)
		}
	}
	var gvks []schema.GroupVersionKind
	for gvk := range s.AllKnownTypes() {
		if gvk.Version == runtime.APIVersionInternal {
			continue
		}
		gvks = append(gvks, gvk)
	}
	sort.Slice(gvks, func(i, j int) bool {
		a, b := gvks[i], gvks[j]
		if a.GroupVersion().String() != b.GroupVersion().String() {
			return a.GroupVersion().String() < b.GroupVersion().String()
		}
		return a.Kind < b.Kind
	})
	var kinds []kindEntry
	seen := map[string]bool{}
	for _, gvk := range gvks {
		t := s.AllKnownTypes()[gvk]
		f, ok := t.FieldByName("ObjectMeta")
		object := ok && f.Anonymous
		e := kindEntry{apiVersion: gvk.GroupVersion().String(), kind: gvk.Kind, typ: add(t), object: object}
		kinds = append(kinds, e)
		seen[e.apiVersion+" "+e.kind] = true
	}
	// Versions that Kubernetes releases served and k8s.io/api no longer
	// holds: their kinds are known, their structure is not.
	removed := readRemoved()
	for _, e := range removed {
		if !seen[e.apiVersion+" "+e.kind] {
			kinds = append(kinds, e)
		}
	}
	sort.SliceStable(kinds, func(i, j int) bool {
		if kinds[i].apiVersion != kinds[j].apiVersion {
			return kinds[i].apiVersion < kinds[j].apiVersion
		}
		return kinds[i].kind < kinds[j].kind
	})
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by gen.go from k8s.io/api; DO NOT EDIT.\n\npackage apischema\n\n")
	fmt.Fprintf(&b, "var typeTable = [...]typeInfo{\n")
	for _, t := range types {
		elem := t.elem
		if elem < 0 {
			elem = 0xffff
		}
		fmt.Fprintf(&b, "\t{%q, %q, %d, %d, %d, %d, %d, %v},\n", t.name, t.id, t.kind, elem, t.first, t.nField, t.bits, t.unsigned)
	}
	fmt.Fprintf(&b, "}\n\nvar fieldTable = [...]fieldInfo{\n")
	for _, f := range fields {
		fmt.Fprintf(&b, "\t{%q, %d, %q},\n", f.name, f.typ, f.via)
	}
	fmt.Fprintf(&b, "}\n\nvar kindTable = [...]kindInfo{\n")
	for _, k := range kinds {
		fmt.Fprintf(&b, "\t{%q, %q, %d, %v},\n", k.apiVersion, k.kind, k.typ, k.object)
	}
	fmt.Fprintf(&b, "}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		panic(err)
	}
	if len(types) >= 0xffff || len(fields) >= 0xffff {
		panic("table too large for uint16 indexes")
	}
	if err := os.WriteFile("zz_generated_table.go", src, 0o644); err != nil {
		panic(err)
	}
	fmt.Printf("%d kinds, %d types, %d fields\n", len(kinds), len(types), len(fields))
}

func readRemoved() []kindEntry {
	data, err := os.ReadFile("../apiversions/data/deprecated-apis.yaml")
	if err != nil {
		panic(err)
	}
	var doc struct {
		APIs []struct {
			APIVersion string   `yaml:"apiVersion"`
			Kinds      []string `yaml:"kinds"`
		} `yaml:"apis"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		panic(err)
	}
	var out []kindEntry
	for _, a := range doc.APIs {
		for _, k := range a.Kinds {
			out = append(out, kindEntry{apiVersion: a.APIVersion, kind: k, typ: 0xffff, object: true})
		}
	}
	return out
}
