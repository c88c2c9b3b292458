package apischema

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// ProblemKind says which rule a Problem is for.
type ProblemKind uint8

const (
	UnknownField ProblemKind = iota + 1
	WrongType
	MissingField
)

// Problem is one structure problem of an object.
type Problem struct {
	Kind   ProblemKind
	Object *workspace.Object
	// Node is the unknown key, the value of the wrong type, or (for a
	// missing field) the key or list item that should hold the field.
	Node *yamlx.Node
	// Value is the value of the wrong type (WrongType).
	Value *yamlx.Node
	// Path is the field path in the object (a List item's path is its own,
	// as kubectl sends items one by one), as the API server writes it:
	// "spec.template.spec.containers[0].imagePullPolicyy" (for a missing
	// field, the path of the missing field).
	Path string
	// Short is the tail of Path from the nearest list item
	// ("containers[0].imagePullPolicyy").
	Short string
	// Decoder is the path encoding/json prints: the struct's name and the
	// field path without indices ("ContainerPort.spec.template.spec.containers.ports.containerPort").
	Decoder string
	// Struct is the type that has (or lacks) the field.
	Struct Type
	Field  string
	// Key is the mapping key the offending value is written under ("" for a list item).
	Key string
	// Type is the field's type (WrongType).
	Type Type
	// Got is the JSON type written: "string", "number", "number 1.5", "bool", "object", "array".
	Got string
	// Suggest is the nearest field name of Struct (UnknownField), or the
	// misspelt key found for a missing kind or apiVersion (`knd:`).
	Suggest string
	// Belongs is where a field of that name exists one level up or down
	// (UnknownField): "spec.template.spec.containers[0]".
	Belongs string
	// Items names the list items on the path: "containers[0] is web".
	Items []string
	// OneOf lists the fields of which one must be set (MissingField).
	OneOf []string
	// Reason is the API server's own explanation, when it has one ("must specify a handler type").
	Reason string
	// Fix replaces the generated fix when set (MissingField).
	Fix string
	// APIErrors are the API server's errors for a missing field when they
	// are not `Path: Required value` (a Pod without spec:
	// spec.containers; a Deployment without selector: the selector and the
	// template's labels), as kubectl prints them after "is invalid: ".
	APIErrors []string
	// Then is what the API server reports once strict field validation no
	// longer stops at an unknown field (UnknownField): the errors of the
	// required field the unknown one stands for.
	Then []string
}

// Result holds the structure problems of a workspace, in object order.
type Result struct {
	Problems []Problem
	// Kinds are the apiVersion/kind problems (see CheckKinds).
	Kinds []KindProblem
	// byKind holds Problems by kind, built once: each rule reads its own.
	byKind [MissingField + 1][]Problem
}

// DecoderError is the API server's decoding error for a WrongType
// problem, as sigs.k8s.io/json words it: `json: cannot unmarshal string
// into Go struct field ContainerPort.spec.containers.ports.containerPort of
// type int32`.
func (p *Problem) DecoderError() string {
	if p.Type.Kind() == KQuantity {
		return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
	}
	return "json: cannot unmarshal " + p.Got + " into Go struct field " + p.Decoder + " of type " + p.GoType()
}

// GoType is the Go type the decoder names for the field: an int-or-string
// that is neither is decoded as an int32, times and durations as strings.
func (p *Problem) GoType() string {
	switch p.Type.Kind() {
	case KIntOrString:
		return "int32"
	case KTime, KDuration:
		return "string"
	}
	return p.Type.Name()
}

// Of returns the problems of one kind, in object order.
func (r *Result) Of(k ProblemKind) []Problem {
	if int(k) >= len(r.byKind) {
		return nil
	}
	return r.byKind[k]
}

type frame struct {
	fi    *fieldInfo  // a struct field's entry
	key   *yamlx.Node // the key of a struct field or map value (its Value is the field's name)
	node  *yamlx.Node
	idx   int32 // a list item's index (-1 otherwise)
	typ   Type
	field bool // the frame is a struct field's value
}

// name is a struct field's name.
func (f *frame) name() string { return f.key.Value() }

// label is the frame's path segment: "spec", "[0]", "[app]".
func (f *frame) label() string {
	switch {
	case f.field:
		return f.key.Value()
	case f.idx >= 0:
		return "[" + strconv.Itoa(int(f.idx)) + "]"
	case f.key != nil:
		return "[" + f.key.Value() + "]"
	}
	return ""
}

// isItem reports whether the frame is a list item.
func (f *frame) isItem() bool { return !f.field && f.idx >= 0 }

type walker struct {
	obj     *workspace.Object
	stack   []frame
	reqs    [][]req // requirementsOf()
	out     *[]Problem
	missing bool
}

func compute(ws *workspace.Workspace) *Result {
	res := &Result{}
	// The objects of the focused files are walked in parallel chunks,
	// each with its own walker; the problems come back in object order.
	res.Problems = workspace.PerObject(ws, func(objs []*workspace.Object) []Problem {
		var out []Problem
		w := &walker{out: &out, stack: make([]frame, 0, 16), reqs: requirementsOf()}
		for _, o := range objs {
			t, ok := Lookup(o.APIVersion, o.Kind)
			if !ok {
				continue
			}
			w.obj, w.missing = o, !ws.IsKustomizePatch(o.File)
			w.stack = append(w.stack[:0], frame{idx: -1, node: o.Root, typ: t})
			w.value(o.Root, t)
			if w.missing {
				w.rootRequired(o, t)
			}
		}
		return out
	})
	res.Problems = append(res.Problems, missingTypeMeta(ws)...)
	for _, p := range res.Problems {
		res.byKind[p.Kind] = append(res.byKind[p.Kind], p)
	}
	res.Kinds = checkKinds(ws)
	return res
}

func (w *walker) push(f frame) { w.stack = append(w.stack, f) }
func (w *walker) pop()         { w.stack = w.stack[:len(w.stack)-1] }

// value checks n against t. The frame of n is on top of the stack.
func (w *walker) value(n *yamlx.Node, t Type) {
	if n == nil {
		return
	}
	ti := t.info()
	var st yamlx.Type
	if n.Kind() == yamlx.Scalar {
		if ti.kind == KQuantity || ti.kind == KAny {
			return // every scalar decodes (a quantity that does not parse is invalid-value's)
		}
		if st = scalarType(n); st == yamlx.TypeNull {
			return // null decodes into anything
		}
	}
	switch ti.kind {
	case KAny:
		return
	case KStruct:
		if n.Kind() != yamlx.Mapping {
			w.wrong(n, t)
			return
		}
		for k, v := range n.Entries() {
			if k.Kind() != yamlx.Scalar {
				continue
			}
			fi := t.field(k.Value())
			if fi == nil {
				if !IsPlaceholder(k.Value()) {
					w.unknown(k, t)
				}
				continue
			}
			ft := Type(fi.typ)
			w.push(frame{fi: fi, field: true, idx: -1, key: k, node: v, typ: ft})
			w.value(v, ft)
			w.pop()
		}
		if w.missing {
			w.required(n, t)
		}
	case KMap:
		if n.Kind() != yamlx.Mapping {
			w.wrong(n, t)
			return
		}
		et := Type(ti.elem)
		for k, v := range n.Entries() {
			w.push(frame{idx: -1, key: k, node: v, typ: et})
			w.value(v, et)
			w.pop()
		}
	case KList:
		if n.Kind() != yamlx.Sequence {
			w.wrong(n, t)
			return
		}
		et := Type(ti.elem)
		for i, it := range n.Children() {
			w.push(frame{idx: int32(i), node: it, typ: et})
			w.value(it, et)
			w.pop()
		}
	default:
		if got := w.scalarMismatch(n, st, ti); got != "" {
			w.wrongGot(n, t, got)
		}
	}
}

// scalarType is yamlx.Resolve with a fast path for the common plain
// strings: a word that starts with a letter none of YAML 1.1's booleans
// and nulls start with, or a path.
func scalarType(n *yamlx.Node) yamlx.Type {
	if n.Style() == yamlx.Plain && n.Value() != "" {
		switch c := n.Value()[0]; {
		case c == 'y' || c == 'Y' || c == 'n' || c == 'N' || c == 't' || c == 'T' || c == 'f' || c == 'F' || c == 'o' || c == 'O':
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/':
			if n.Tag() == "" {
				return yamlx.TypeString
			}
		}
	}
	return yamlx.Resolve(n)
}

// jsonType is the JSON type kubectl sends for a node (st: a scalar's type).
func jsonType(n *yamlx.Node, st yamlx.Type) string {
	switch n.Kind() {
	case yamlx.Mapping:
		return "object"
	case yamlx.Sequence:
		return "array"
	}
	switch st {
	case yamlx.TypeBool:
		return "bool"
	case yamlx.TypeInt, yamlx.TypeFloat:
		return "number"
	case yamlx.TypeString:
		return "string"
	}
	return "" // null, non-finite, invalid tags: other rules and kubectl itself
}

// scalarMismatch returns the JSON type written when it does not decode
// into a field of kind ti ("" when it does).
func (w *walker) scalarMismatch(n *yamlx.Node, st yamlx.Type, ti *typeInfo) string {
	if st == yamlx.TypeString && (ti.kind == KString || ti.kind == KIntOrString || ti.kind == KQuantity) {
		return ""
	}
	got := jsonType(n, st)
	if got == "" {
		return ""
	}
	if m := mismatch(n, ti, got); m != "" && !isPlaceholderNode(n) {
		if ti.kind == KString && got != "object" && got != "array" && w.envValue() {
			return "" // env-value-not-string reports it
		}
		return m
	}
	return ""
}

func mismatch(n *yamlx.Node, ti *typeInfo, got string) string {
	switch ti.kind {
	case KString, KBytes, KTime, KDuration:
		if got == "string" {
			return ""
		}
	case KBool:
		if got == "bool" || got == "string" && isCapsWord(n.Value()) {
			return ""
		}
	case KInt, KFloat:
		if got == "string" && isCapsWord(n.Value()) {
			return "" // `containerPort: PORT`: no number is written as a word
		}
		if got != "number" {
			return got
		}
		return numberFits(n, ti)
	case KIntOrString:
		switch got {
		case "string":
			return ""
		case "number":
			return numberFits(n, &typeInfo{kind: KInt, bits: 32})
		}
	case KQuantity:
		if got != "object" && got != "array" {
			return "" // a scalar that does not parse is invalid-value's
		}
	}
	return got
}

// numberFits checks a number against an integer or float field: "" when
// it decodes, else "number 1.5" as encoding/json writes it.
func numberFits(n *yamlx.Node, ti *typeInfo) string {
	if ti.kind == KFloat {
		return ""
	}
	if i, ok := n.Int(); ok {
		if intFits(float64(i), ti) {
			return ""
		}
		return "number " + strconv.FormatInt(i, 10)
	}
	v := n.Value()
	if strings.IndexByte(v, '_') >= 0 {
		v = strings.ReplaceAll(v, "_", "")
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return "" // an integer beyond 64 bits and such: let kubectl say
	}
	// kubectl sends an integral float as an integer (3.0 is 3).
	if f == math.Trunc(f) && intFits(f, ti) {
		return ""
	}
	return "number " + strconv.FormatFloat(f, 'g', -1, 64)
}

func intFits(f float64, ti *typeInfo) bool {
	bits := uint(ti.bits)
	if bits == 0 || bits > 64 {
		bits = 64
	}
	if ti.unsigned {
		return f >= 0 && f <= math.Ldexp(1, int(bits))-1
	}
	lim := math.Ldexp(1, int(bits)-1)
	return f >= -lim && f <= lim-1
}

// envValue reports whether the node on top of the stack is an EnvVar's value.
func (w *walker) envValue() bool {
	n := len(w.stack)
	return n >= 2 && w.stack[n-1].field && w.stack[n-1].name() == "value" && w.stack[n-2].typ.ID() == "core/v1.EnvVar"
}

func (w *walker) wrong(n *yamlx.Node, t Type) {
	var st yamlx.Type
	if n.Kind() == yamlx.Scalar {
		st = scalarType(n)
	}
	if got := jsonType(n, st); got != "" && !isPlaceholderNode(n) {
		w.wrongGot(n, t, got)
	}
}

func (w *walker) wrongGot(n *yamlx.Node, t Type, got string) {
	p := w.problem(WrongType, n)
	if k := w.stack[len(w.stack)-1].key; n.Kind() != yamlx.Scalar && k != nil {
		p.Node = k // a mapping or list starts on the line after its key
	}
	p.Type, p.Got = t, got
	*w.out = append(*w.out, p)
}

// problem describes the node on top of the stack.
func (w *walker) problem(kind ProblemKind, n *yamlx.Node) Problem {
	p := Problem{Kind: kind, Object: w.obj, Node: n, Value: n}
	p.Path, p.Short = w.paths("")
	p.Decoder = w.decoderPath("")
	p.Struct = w.structAt(len(w.stack) - 1)
	p.Items = w.items()
	if k := w.stack[len(w.stack)-1].key; k != nil {
		p.Key = k.Value()
	}
	for i := len(w.stack) - 1; i > 0; i-- {
		if w.stack[i].field {
			p.Field = w.stack[i].name()
			break
		}
	}
	return p
}

// paths renders the field path of the stack (plus an extra field): the
// whole path, and its tail from the last list field ("containers[0].image").
func (w *walker) paths(extra string) (full, short string) {
	var b strings.Builder
	cut := -1
	fs := w.stack[1:]
	for i, f := range fs {
		if f.field {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			if i+1 < len(fs) && fs[i+1].isItem() {
				cut = b.Len()
			}
		}
		b.WriteString(f.label())
	}
	if extra != "" {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(extra)
	}
	full = b.String()
	if cut >= 0 {
		return full, full[cut:]
	}
	return full, full
}

// decoderPath is encoding/json's "Struct.field.path" for the top of the
// stack (or for its missing field extra): the innermost struct that holds
// the last field, and the fields without list indices and map keys.
func (w *walker) decoderPath(extra string) string {
	var parts []string
	last := -1
	for i, f := range w.stack {
		if i > 0 && f.field {
			if f.fi != nil && f.fi.via != "" {
				parts = append(parts, f.fi.via+f.name())
			} else {
				parts = append(parts, f.name())
			}
			last = i
		}
	}
	st := w.stack[0].typ
	switch {
	case extra != "":
		if fi := w.structAt(len(w.stack) - 1).field(extra); fi != nil && fi.via != "" {
			extra = fi.via + extra
		}
		parts = append(parts, extra)
		st = w.structAt(len(w.stack) - 1)
	case last > 0:
		st = w.structAt(last - 1)
	}
	return shortName(st.Name()) + "." + strings.Join(parts, ".")
}

// structAt is the nearest struct type at or above stack index i.
func (w *walker) structAt(i int) Type {
	for ; i >= 0; i-- {
		if w.stack[i].typ.Kind() == KStruct {
			return w.stack[i].typ
		}
	}
	return w.stack[0].typ
}

func shortName(goName string) string {
	if i := strings.LastIndexByte(goName, '.'); i >= 0 {
		return goName[i+1:]
	}
	return goName
}

// items names the list items on the stack that have a name: "containers[0] is web".
func (w *walker) items() []string {
	var out []string
	for i := 1; i < len(w.stack); i++ {
		f := w.stack[i]
		if !f.isItem() {
			continue
		}
		if name := f.node.Get("name").Str(); name != "" && w.stack[i-1].field {
			out = append(out, w.stack[i-1].name()+f.label()+" is "+strconv.Quote(name))
		}
	}
	return out
}

func (w *walker) unknown(k *yamlx.Node, t Type) {
	w.push(frame{field: true, idx: -1, key: k, node: k})
	p := w.problem(UnknownField, k)
	w.pop()
	p.Struct, p.Field = t, k.Value()
	p.Suggest = Nearest(k.Value(), t.Fields())
	p.Belongs = w.belongs(k.Value(), t)
	w.emptySelectorThen(&p, t)
	*w.out = append(*w.out, p)
}

// belongs finds the field one level up (the enclosing struct) or down (a
// struct field of t, or the items of a list field) that has the name.
func (w *walker) belongs(name string, t Type) string {
	// One level up: the nearest enclosing struct other than t's own frame.
	for i := len(w.stack) - 2; i >= 0; i-- {
		ft := w.stack[i].typ
		if ft.Kind() != KStruct {
			continue
		}
		if _, ok := ft.Field(name); ok {
			save := w.stack
			w.stack = w.stack[:i+1]
			full, _ := w.paths("")
			w.stack = save
			if full == "" {
				return "the top level of the object"
			}
			return full
		}
		break
	}
	// One level down.
	var found []string
	for _, f := range t.Fields() {
		ft, _ := t.Field(f)
		suffix := ""
		if ft.Kind() == KList {
			ft, suffix = ft.Elem(), "[]"
		}
		if ft.Kind() != KStruct || f == "status" {
			continue
		}
		if _, ok := ft.Field(name); ok {
			found = append(found, f+suffix)
		}
	}
	if len(found) == 0 || len(found) > 3 {
		return ""
	}
	full, _ := w.paths("")
	prefix := full
	if prefix != "" {
		prefix += "."
	}
	for i := range found {
		found[i] = prefix + found[i]
	}
	slices.Sort(found)
	return strings.Join(found, " or ")
}
