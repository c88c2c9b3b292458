// Package oracle decides what the Kubernetes API server does with a manifest
// by running the API server's own create path (k8s.io/kubernetes at the
// release that matches k8slint's k8s.io/apimachinery), offline: it is the
// ground truth the manifest rules of k8slint are held against.
//
// The path, for each YAML document, is the one `kubectl apply -f` (or
// `kubectl create -f`) and the API server take:
//
//  1. kubectl reads the document with sigs.k8s.io/yaml (YAML 1.1: `yes` is a
//     boolean, `1.0` the number 1, a key written twice keeps its last value)
//     and sends JSON; a namespaced object without a namespace gets "default".
//  2. The API server decodes it with its strict JSON serializer
//     (fieldValidation=Strict, kubectl's default --validate=strict): unknown
//     and duplicate fields and values of the wrong type are errors, and the
//     request stops there.
//  3. It applies the scheme's defaults (pkg/apis/<group>/install) and converts
//     the object to the internal type.
//  4. The registry's create path (k8s.io/apiserver's generic Store.Create
//     with a dry-run storage): metadata system fields, generateName, the
//     kind's BeginCreate hook (a Service's ClusterIP and node-port
//     allocation), then rest.BeforeCreate: the strategy's PrepareForCreate,
//     Validate, the common ObjectMeta validation and declarative validation.
//
// The cluster is a standard one: default feature gates, privileged
// containers allowed (kubeadm, GKE, EKS and AKS all start the API server with
// --allow-privileged=true), a Service CIDR of 10.96.0.0/12 and the default
// node-port range 30000-32767. Admission plugins, quotas and existing
// objects are not consulted: they need a cluster.
package oracle

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/go-logr/logr"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	"k8s.io/kubernetes/pkg/capabilities"
	"sigs.k8s.io/yaml"
)

func init() {
	// A standard cluster's API server runs with --allow-privileged=true.
	capabilities.Setup(true, 0)
	// The registry logs its allocations; the oracle's answer is its verdicts.
	klog.SetLogger(logr.Discard())
}

// Error types of the decode stage; the validation stage uses the
// field.ErrorType names (FieldValueRequired, FieldValueInvalid, ...).
const (
	TypeUnknownField   = "UnknownField"   // strict decoding error: unknown field
	TypeDuplicateField = "DuplicateField" // strict decoding error: duplicate field
	TypeWrongType      = "WrongType"      // json: cannot unmarshal X into Go struct field ...
	TypeYAML           = "YAMLError"      // kubectl cannot convert the YAML to JSON
	TypeDecode         = "DecodeError"    // any other decoding error
	TypeNoKindMatch    = "NoKindMatch"    // no matches for kind "X" in version "G/V"
	TypeMissingKind    = "MissingKind"    // Object 'Kind' is missing / apiVersion not set
	TypeBadQuantity    = "BadQuantity"    // quantities must match the regular expression ...
	TypeBadBase64      = "BadBase64"      // illegal base64 data at input byte N ([]byte fields: Secret data, binaryData)
)

// Error is one reason the API server rejects a document.
type Error struct {
	Type    string `json:"type"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	// Line is the file line of the node Field names (or of its deepest
	// ancestor in the document); 0 when there is no field.
	Line int `json:"line,omitempty"`
	// InDocument says the document holds the field itself (Line is its
	// key's line); otherwise Line is that of its deepest ancestor.
	InDocument bool `json:"inDocument,omitempty"`
}

func (e Error) String() string {
	s := e.Type
	if e.Field != "" {
		s += " " + e.Field
	}
	if e.Line > 0 {
		s += " @"
		if !e.InDocument {
			s += "~" // the line of the nearest ancestor the document has
		}
		s += strconv.Itoa(e.Line)
	}
	return s + ": " + e.Message
}

// Verdict is the oracle's decision on one YAML document.
type Verdict struct {
	File       string `json:"file"`
	Doc        int    `json:"doc"`  // index among the file's documents, from 0 (empty documents count)
	Line       int    `json:"line"` // first line of the document, from 1
	EndLine    int    `json:"endLine"`
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Name       string `json:"name,omitempty"`
	// Judged is false when the oracle cannot decide (a kind of a group it
	// does not hold, such as a custom resource); Skip says why.
	Judged   bool    `json:"judged"`
	Skip     string  `json:"skip,omitempty"`
	Accepted bool    `json:"accepted"`
	Errors   []Error `json:"errors,omitempty"`
	// Then holds, for a document the strict decoder rejects for unknown or
	// duplicate fields, what the validation of the rest would report next
	// (the API server's answer with fieldValidation=Warn).
	Then []Error `json:"then,omitempty"`
}

// Document is one YAML document of a stream, with its line range.
type Document struct {
	Index   int
	Line    int // first line, from 1
	EndLine int
	Data    []byte
}

// SplitDocuments splits a stream the way kubectl's YAML reader
// (k8s.io/apimachinery/pkg/util/yaml.YAMLReader) does: at lines that start
// with "---" followed by nothing but spaces or a comment.
func SplitDocuments(data []byte) []Document {
	var docs []Document
	cur := Document{Line: 1}
	var buf bytes.Buffer
	line := 0
	rest := data
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		var l []byte
		if i < 0 {
			l, rest = rest, nil
		} else {
			l, rest = rest[:i+1], rest[i+1:]
		}
		line++
		if bytes.HasPrefix(l, []byte("---")) {
			t := strings.TrimSpace(string(l[3:]))
			if t == "" || t[0] == '#' {
				cur.Data = append([]byte(nil), buf.Bytes()...)
				cur.EndLine = line - 1
				docs = append(docs, cur)
				cur = Document{Index: len(docs), Line: line + 1}
				buf.Reset()
				continue
			}
		}
		buf.Write(l)
	}
	cur.Data = append([]byte(nil), buf.Bytes()...)
	cur.EndLine = line
	docs = append(docs, cur)
	return docs
}

// CheckStream judges every document of a YAML stream.
func CheckStream(file string, data []byte) []Verdict {
	var out []Verdict
	for _, d := range SplitDocuments(data) {
		v, ok := CheckDocument(d.Data)
		if !ok {
			continue // empty: kubectl skips it
		}
		v.File, v.Doc, v.Line, v.EndLine = file, d.Index, d.Line, d.EndLine
		locate(d.Data, d.Line, v.Errors)
		locate(d.Data, d.Line, v.Then)
		SortErrors(v.Errors) // the API server's order follows map iteration in places
		SortErrors(v.Then)
		out = append(out, v)
	}
	return out
}

// CheckDocument judges one YAML document. ok is false for an empty document
// (only comments or null), which kubectl skips.
func CheckDocument(doc []byte) (v Verdict, ok bool) {
	if len(bytes.TrimSpace(doc)) == 0 {
		return v, false
	}
	js, err := yaml.YAMLToJSON(doc)
	if err != nil {
		v.Judged = true
		v.Errors = []Error{{Type: TypeYAML, Message: "error converting YAML to JSON: " + err.Error()}}
		return v, true
	}
	js = bytes.TrimSpace(js)
	if len(js) == 0 || bytes.Equal(js, []byte("null")) {
		return v, false
	}
	var head struct {
		APIVersion any `json:"apiVersion"`
		Kind       any `json:"kind"`
		Metadata   any `json:"metadata"`
	}
	if err := yaml.Unmarshal(js, &head); err != nil {
		// Not a mapping: kubectl's unstructured decoding fails.
		v.Judged = true
		v.Errors = []Error{{Type: TypeDecode, Message: err.Error()}}
		return v, true
	}
	apiVersion, _ := head.APIVersion.(string)
	kind, _ := head.Kind.(string)
	v.APIVersion, v.Kind = apiVersion, kind
	if md, ok := head.Metadata.(map[string]any); ok {
		v.Name, _ = md["name"].(string)
	}
	if apiVersion == "" || kind == "" {
		// kubectl: error validating data: [apiVersion not set, kind not set]
		// (or, past validation, Object 'Kind' is missing).
		v.Judged = true
		var missing []string
		if apiVersion == "" {
			missing = append(missing, "apiVersion not set")
		}
		if kind == "" {
			missing = append(missing, "kind not set")
		}
		v.Errors = []Error{{Type: TypeMissingKind, Message: strings.Join(missing, ", ")}}
		return v, true
	}
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		v.Judged = true
		v.Errors = []Error{{Type: TypeNoKindMatch, Field: "apiVersion", Message: err.Error()}}
		return v, true
	}
	gvk := gv.WithKind(kind)
	k, known := kinds[gvk.GroupKind()]
	switch {
	case !builtinGroups[gv.Group]:
		v.Skip = fmt.Sprintf("group %q is not a built-in group the oracle holds (a custom resource?)", gv.Group)
		return v, true
	case !served(gvk):
		v.Judged = true
		v.Errors = []Error{{Type: TypeNoKindMatch, Message: fmt.Sprintf("no matches for kind %q in version %q", kind, apiVersion)}}
		return v, true
	case !known:
		v.Skip = fmt.Sprintf("kind %s is served but the oracle holds no registry strategy for it", gvk.GroupKind())
		return v, true
	}
	v.Judged = true
	body, err := lastApplied(js)
	if err != nil {
		v.Errors = []Error{{Type: TypeDecode, Message: err.Error()}}
		return v, true
	}
	v.Errors, v.Then = k.create(gvk, body)
	v.Accepted = len(v.Errors) == 0
	return v, true
}

// LastAppliedAnnotation is the annotation where `kubectl apply` keeps the
// configuration it applied.
const LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// lastApplied returns the body `kubectl apply` sends to create the object:
// the document (as kubectl decodes it, into an unstructured map) with the
// last-applied-configuration annotation holding the document's own JSON
// (kubectl's GetModifiedConfiguration). The annotation counts toward the
// 256 KiB limit on annotations: a large ConfigMap fails there.
func lastApplied(js []byte) ([]byte, error) {
	obj, err := decodeMap(js)
	if err != nil {
		return nil, err
	}
	md, ok := obj["metadata"].(map[string]any)
	if obj["metadata"] == nil {
		md, ok = map[string]any{}, true
	}
	anns, isMap := md["annotations"].(map[string]any)
	if !ok || (md["annotations"] != nil && !isMap) {
		return js, nil // not an object's metadata: the decoder says what is wrong
	}
	delete(anns, LastAppliedAnnotation)
	original, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	if anns == nil {
		anns = map[string]any{}
	}
	anns[LastAppliedAnnotation] = string(original) + "\n"
	md["annotations"] = anns
	obj["metadata"] = md
	return json.Marshal(obj)
}

// decodeMap decodes a JSON object keeping numbers as written.
func decodeMap(js []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// served reports whether a standard cluster serves gvk: the scheme knows it
// and its version is a GA one (the API server enables no beta or alpha
// version of these groups by default; the beta versions still in the scheme,
// such as batch/v1beta1 and extensions/v1beta1, were removed from serving).
func served(gvk schema.GroupVersionKind) bool {
	if !legacyscheme.Scheme.Recognizes(gvk) {
		return false
	}
	return !strings.Contains(gvk.Version, "alpha") && !strings.Contains(gvk.Version, "beta")
}

// create runs steps 2-4 of the package comment for one document.
func (k *kindInfo) create(gvk schema.GroupVersionKind, js []byte) (errs, then []Error) {
	internal := schema.GroupVersion{Group: gvk.Group, Version: runtime.APIVersionInternal}
	decoder := legacyscheme.Codecs.DecoderToVersion(strictJSON, internal)
	obj, _, err := decoder.Decode(js, nil, nil)
	var strictErrs []Error
	if err != nil {
		se, isStrict := runtime.AsStrictDecodingError(err)
		if !isStrict || obj == nil {
			return decodeErrors(err), nil
		}
		for _, e := range se.Errors() {
			strictErrs = append(strictErrs, strictError(e))
		}
	}
	accessor, err := meta.Accessor(obj)
	if err != nil {
		return []Error{{Type: TypeDecode, Message: err.Error()}}, nil
	}
	ns := ""
	if k.namespaced {
		ns = accessor.GetNamespace()
		if ns == "" {
			ns = metav1.NamespaceDefault // kubectl's default namespace
			accessor.SetNamespace(ns)
		}
	}
	if accessor.GetName() == "" && accessor.GetGenerateName() != "" {
		// The generic Store generates the name (names.SimpleNameGenerator:
		// the prefix cut to 58 characters, then 5 random characters); a fixed
		// suffix keeps the verdicts reproducible.
		base := accessor.GetGenerateName()
		if len(base) > 58 {
			base = base[:58]
		}
		accessor.SetName(base + "b2c4d")
	}
	ctx := genericapirequest.WithNamespace(genericapirequest.NewContext(), ns)
	ctx = genericapirequest.WithRequestInfo(ctx, &genericapirequest.RequestInfo{
		IsResourceRequest: true,
		Verb:              "create",
		APIGroup:          gvk.Group,
		APIVersion:        gvk.Version,
		Namespace:         ns,
		Resource:          k.resource,
		Name:              accessor.GetName(),
	})
	verrs := k.store(ctx, obj)
	if len(strictErrs) > 0 {
		return strictErrs, verrs
	}
	return verrs, nil
}

// store runs the registry's create path in dry-run mode and returns the
// field errors of its answer.
func (k *kindInfo) store(ctx context.Context, obj runtime.Object) []Error {
	creater := k.creater
	if k.newCreater != nil {
		creater = k.newCreater()
	}
	// Not a dry run: a dry run skips part of the allocation (a Service's
	// requested nodePort is not checked against the range).
	_, err := creater.Create(ctx, obj, nil, &metav1.CreateOptions{})
	if err == nil {
		return nil
	}
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		st := status.Status()
		if st.Details != nil && len(st.Details.Causes) > 0 {
			var out []Error
			for _, c := range st.Details.Causes {
				out = append(out, Error{Type: string(c.Type), Field: c.Field, Message: uuidRe.ReplaceAllString(c.Message, fixedUID)})
			}
			return out
		}
		return []Error{{Type: string(st.Reason), Message: uuidRe.ReplaceAllString(st.Message, fixedUID)}}
	}
	return []Error{{Type: "Error", Message: err.Error()}}
}

// The generic Store gives each object a random UID, which some messages
// quote (a Job's generated selector): a fixed one keeps verdicts reproducible.
var uuidRe = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

const fixedUID = "00000000-0000-0000-0000-000000000000"

var (
	unknownFieldRe   = regexp.MustCompile(`^unknown field "(.*)"$`)
	duplicateFieldRe = regexp.MustCompile(`^duplicate field "(.*)"$`)
)

func strictError(e error) Error {
	msg := e.Error()
	if m := unknownFieldRe.FindStringSubmatch(msg); m != nil {
		return Error{Type: TypeUnknownField, Field: m[1], Message: msg}
	}
	if m := duplicateFieldRe.FindStringSubmatch(msg); m != nil {
		return Error{Type: TypeDuplicateField, Field: m[1], Message: msg}
	}
	return Error{Type: TypeDecode, Message: msg}
}

func decodeErrors(err error) []Error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "cannot unmarshal"):
		return []Error{{Type: TypeWrongType, Field: typeErrorField(msg), Message: msg}}
	case strings.Contains(msg, "quantities must match"):
		return []Error{{Type: TypeBadQuantity, Message: msg}}
	case strings.Contains(msg, "illegal base64 data"):
		return []Error{{Type: TypeBadBase64, Message: msg}}
	}
	return []Error{{Type: TypeDecode, Message: msg}}
}

// typeErrorField extracts the dotted field path from a JSON type error:
// "Go struct field ContainerPort.spec.containers.ports.containerPort of type
// int32" names the Go type, then the JSON path without list indexes.
func typeErrorField(msg string) string {
	const marker = "Go struct field "
	i := strings.Index(msg, marker)
	if i < 0 {
		return ""
	}
	s := msg[i+len(marker):]
	if j := strings.Index(s, " of type "); j >= 0 {
		s = s[:j]
	}
	if j := strings.IndexByte(s, '.'); j >= 0 {
		s = s[j+1:] // drop the Go type name
	}
	// Embedded structs appear under their Go name (spec.volumes.VolumeSource.fc.lun);
	// JSON names of the API types start with a lowercase letter.
	parts := strings.Split(s, ".")
	kept := parts[:0]
	for _, p := range parts {
		if p != "" && !unicode.IsUpper(rune(p[0])) {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ".")
}

// SortErrors orders errors by line, field, type and message, for stable output.
func SortErrors(es []Error) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Field != b.Field {
			return a.Field < b.Field
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Message < b.Message
	})
}
