package crdschema

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	oaerrors "k8s.io/kube-openapi/pkg/validation/errors"
	"k8s.io/kube-openapi/pkg/validation/strfmt"
	"k8s.io/kube-openapi/pkg/validation/validate"

	"github.com/k8slint/k8slint/internal/apischema"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// Kind says which rule a Problem is for.
type Kind uint8

const (
	UnknownField Kind = iota + 1
	WrongType
	MissingField
	InvalidValue
)

// Problem is one finding of the schema on a custom resource.
type Problem struct {
	Kind   Kind
	Object *workspace.Object
	// Node is the offending key or value (the holder of a missing field).
	Node *yamlx.Node
	// Path is the field path as the API server writes it ("spec.replicas").
	Path string
	// Msg is the validator's own error text (empty for unknown fields).
	Msg string
	// CRDFile is the file of the CRD that defines the schema.
	CRDFile string
	// CRD is the CRD document.
	CRD *yamlx.Node
	// Suggest is the nearest field name the schema declares there (UnknownField).
	Suggest string
}

// Result holds the problems of a workspace's custom resources.
type Result struct{ Problems []Problem }

var results = workspace.NewResult(compute)

// Of returns the custom-resource problems of the workspace.
func Of(ws *workspace.Workspace) *Result { return results.Of(ws) }

// Problems returns the problems of one kind.
func (r *Result) Of(k Kind) []Problem {
	var out []Problem
	for _, p := range r.Problems {
		if p.Kind == k {
			out = append(out, p)
		}
	}
	return out
}

// entry is a field's key and value in the YAML.
type entry struct{ key, val *yamlx.Node }

func compute(ws *workspace.Workspace) *Result {
	res := &Result{}
	var crds map[gvk]*version
	for _, o := range ws.Objects {
		g := o.Group()
		if g == "" || !strings.Contains(g, ".") || o.Kind == "" {
			continue
		}
		if crds == nil {
			crds = index(ws)
			if len(crds) == 0 {
				return res
			}
		}
		v, ok := crds[gvk{g, o.Version(), o.Kind}]
		if !ok || v.ambiguous {
			continue // a kind whose CRD is not here (or not one): unjudged
		}
		res.Problems = append(res.Problems, check(ws, o, v)...)
	}
	return res
}

func check(ws *workspace.Workspace, o *workspace.Object, v *version) []Problem {
	idx := map[string]entry{"": {val: o.Root}}
	bad := false
	obj := toJSONIndexed(o.Root, idx, "", &bad)
	if bad {
		return nil // a value kubectl itself cannot send
	}
	var out []Problem
	mk := func(k Kind, path string, n *yamlx.Node, msg string) {
		out = append(out, Problem{Kind: k, Object: o, Node: n, Path: path, Msg: msg, CRDFile: v.file, CRD: v.crd})
	}
	// Validation first, on the object as written (the API server validates
	// after pruning; with strict field validation the unknown fields fail
	// the request either way).
	r := validate.NewSchemaValidator(v.openapi, nil, "", strfmt.Default).Validate(obj)
	for _, e := range flatten(r.Errors) {
		var ve *oaerrors.Validation
		if !errors.As(e, &ve) {
			continue
		}
		path := ve.Name
		var kind Kind
		switch ve.Code() {
		case oaerrors.InvalidTypeCode:
			kind = WrongType
		case oaerrors.RequiredFailCode:
			kind = MissingField
		case oaerrors.TooLongFailCode, oaerrors.TooShortFailCode, oaerrors.PatternFailCode, oaerrors.EnumFailCode,
			oaerrors.MultipleOfFailCode, oaerrors.MaxFailCode, oaerrors.MinFailCode, oaerrors.UniqueFailCode,
			oaerrors.MaxItemsFailCode, oaerrors.MinItemsFailCode, oaerrors.TooFewPropertiesCode, oaerrors.TooManyPropertiesCode:
			kind = InvalidValue
		default:
			continue
		}
		if kind == MissingField && ws.IsKustomizePatch(o.File) {
			continue
		}
		n := locate(idx, path, kind)
		if n == nil || placeholder(idx[path].val) {
			continue
		}
		mk(kind, path, n, e.Error())
	}
	// Unknown fields, by the API server's pruning algorithm.
	pruned := pruning.PruneWithOptions(deepCopy(obj), v.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	for _, path := range pruned {
		e, ok := idx[path]
		if !ok || e.key == nil || apischema.IsPlaceholder(e.key.Value()) {
			continue
		}
		mk(UnknownField, path, e.key, "")
		if parent := at(v.structural, path); parent != nil {
			names := make([]string, 0, len(parent.Properties))
			for k := range parent.Properties {
				names = append(names, k)
			}
			slices.Sort(names)
			out[len(out)-1].Suggest = apischema.Nearest(e.key.Value(), names)
		}
	}
	slices.SortStableFunc(out, func(a, b Problem) int {
		if a.Node.Line != b.Node.Line {
			return int(a.Node.Line - b.Node.Line)
		}
		return int(a.Node.Column - b.Node.Column)
	})
	return out
}

func flatten(es []error) []error {
	var out []error
	for _, e := range es {
		var c *oaerrors.CompositeError
		if errors.As(e, &c) && c.Code() != oaerrors.CompositeErrorCode {
			out = append(out, flatten(c.Errors)...)
			continue
		}
		if c != nil {
			continue // anyOf/oneOf/allOf: which branch was meant is a guess
		}
		out = append(out, e)
	}
	return out
}

// locate finds the node a problem is reported at: a scalar value, the key
// of a mapping or list of the wrong type, the key holding a missing field.
func locate(idx map[string]entry, path string, k Kind) *yamlx.Node {
	if k == MissingField {
		parent := ""
		if i := strings.LastIndexByte(path, '.'); i >= 0 {
			parent = path[:i]
		}
		e, ok := idx[parent]
		if !ok {
			return nil
		}
		if e.key != nil {
			return e.key
		}
		return e.val
	}
	e, ok := idx[path]
	if !ok {
		return nil
	}
	if e.val.Kind() == yamlx.Scalar || e.key == nil {
		return e.val
	}
	return e.key // a mapping or list starts on the line after its key
}

func placeholder(n *yamlx.Node) bool {
	return n != nil && n.Kind() == yamlx.Scalar && apischema.IsPlaceholder(n.Value())
}

// toJSON converts a YAML node to the JSON value kubectl sends (YAML 1.1).
func toJSON(n *yamlx.Node, idx map[string]entry, path string) any {
	bad := false
	return toJSONIndexed(n, idx, path, &bad)
}

func toJSONIndexed(n *yamlx.Node, idx map[string]entry, path string, bad *bool) any {
	if n == nil {
		return nil
	}
	switch n.Kind() {
	case yamlx.Mapping:
		m := make(map[string]any, n.Len()/2)
		for k, v := range n.Entries() {
			if k.Kind() != yamlx.Scalar {
				*bad = true
				continue
			}
			p := k.Value()
			if path != "" {
				p = path + "." + k.Value()
			}
			if idx != nil {
				idx[p] = entry{key: k, val: v}
			}
			m[k.Value()] = toJSONIndexed(v, idx, p, bad)
		}
		return m
	case yamlx.Sequence:
		l := make([]any, n.Len())
		for i, it := range n.Children() {
			p := path + "[" + strconv.Itoa(i) + "]"
			if idx != nil {
				idx[p] = entry{val: it}
			}
			l[i] = toJSONIndexed(it, idx, p, bad)
		}
		return l
	case yamlx.Scalar:
		switch yamlx.Resolve(n) {
		case yamlx.TypeNull:
			return nil
		case yamlx.TypeBool:
			switch strings.ToLower(n.Value()) {
			case "y", "yes", "true", "on":
				return true
			}
			return false
		case yamlx.TypeInt:
			if i, ok := n.Int(); ok {
				return i
			}
			*bad = true
			return nil
		case yamlx.TypeFloat:
			f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value(), "_", ""), 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				*bad = true
				return nil
			}
			if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
				return int64(f) // JSON 3.0 decodes as the integer 3
			}
			return f
		case yamlx.TypeString:
			return n.Value()
		}
	}
	*bad = true
	return nil
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// at is the schema of the object that holds the field at path.
func at(s *structuralschema.Structural, path string) *structuralschema.Structural {
	segs := strings.Split(path, ".")
	for _, seg := range segs[:len(segs)-1] {
		name, rest, _ := strings.Cut(seg, "[")
		if s == nil {
			return nil
		}
		p, ok := s.Properties[name]
		if !ok {
			return nil
		}
		s = &p
		for ; rest != ""; _, rest, _ = strings.Cut(rest, "[") {
			if s.Items == nil {
				return nil
			}
			s = s.Items
		}
	}
	return s
}
