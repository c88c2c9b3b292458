// Package crdschema checks custom resources against the
// CustomResourceDefinitions of the tree (and those that .k8slint.yaml's
// crds: names) with the API server's own machinery: the CRD's
// openAPIV3Schema becomes a structural schema
// (k8s.io/apiextensions-apiserver/pkg/apiserver/schema), unknown fields are
// found by its pruning algorithm, and the values are checked by
// k8s.io/kube-openapi's validator, the one the API server runs on a custom
// resource. (apiextensions-apiserver's pkg/apiserver/validation wrapper is
// not used: it drags in the API server's feature gates, CEL, metrics and
// etcd client, 13 MB of binary; the few lines it adds are below.)
package crdschema

import (
	"bytes"
	"encoding/json"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/kube-openapi/pkg/validation/spec"

	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// gvk is a custom resource's group, version and kind.
type gvk struct{ group, version, kind string }

// version is one served version of a CRD.
type version struct {
	crd        *yamlx.Node // the CRD document
	file       string      // its file ("" for none)
	structural *structuralschema.Structural
	openapi    *spec.Schema
	raw        []byte // the schema as JSON, to tell apart two CRDs of one kind
	ambiguous  bool   // two CRDs define the kind with different schemas
}

// IsCRD reports whether an object is an apiextensions.k8s.io/v1 CustomResourceDefinition.
func IsCRD(apiVersion, kind string) bool {
	return apiVersion == "apiextensions.k8s.io/v1" && kind == "CustomResourceDefinition"
}

// index reads the CRDs: the tree's objects, then the extra documents.
func index(ws *workspace.Workspace) map[gvk]*version {
	out := map[gvk]*version{}
	for _, o := range ws.Objects {
		if IsCRD(o.APIVersion, o.Kind) {
			add(out, o.Root, o.File)
		}
	}
	for _, d := range ws.Settings.CRDs {
		if d.Root != nil && IsCRD(d.Root.Get("apiVersion").Str(), d.Root.Get("kind").Str()) {
			add(out, d.Root, d.File)
		}
	}
	return out
}

func add(out map[gvk]*version, crd *yamlx.Node, file string) {
	sp := crd.Get("spec")
	group, kind := sp.Get("group").Str(), sp.Get("names").Get("kind").Str()
	if group == "" || kind == "" {
		return
	}
	for _, v := range sp.Get("versions").Items() {
		name := v.Get("name").Str()
		if name == "" || !isTrue(v.Get("served")) {
			continue
		}
		s := v.Get("schema").Get("openAPIV3Schema")
		if s == nil || s.Kind() != yamlx.Mapping {
			continue
		}
		k := gvk{group, name, kind}
		raw, err := json.Marshal(toJSON(s, nil, ""))
		if err != nil {
			continue
		}
		if prev, ok := out[k]; ok {
			if !bytes.Equal(prev.raw, raw) {
				prev.ambiguous = true
			}
			continue
		}
		ver := &version{crd: crd, file: file, raw: raw}
		if st, oa, ok := convert(raw); ok {
			ver.structural, ver.openapi = st, oa
		} else {
			ver.ambiguous = true // not a structural schema: the API server refuses the CRD
		}
		out[k] = ver
	}
}

func isTrue(n *yamlx.Node) bool {
	return n != nil && n.Kind() == yamlx.Scalar && yamlx.Resolve(n) == yamlx.TypeBool && (n.Value() == "true" || n.Value() == "True" || n.Value() == "TRUE")
}

// convert turns a v1 openAPIV3Schema into the structural schema and the
// kube-openapi schema the API server validates with.
func convert(raw []byte) (*structuralschema.Structural, *spec.Schema, bool) {
	var v1 apiextv1.JSONSchemaProps
	if err := json.Unmarshal(raw, &v1); err != nil {
		return nil, nil, false
	}
	var in apiextensions.JSONSchemaProps
	if err := apiextv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(&v1, &in, nil); err != nil {
		return nil, nil, false
	}
	st, err := structuralschema.NewStructural(&in)
	if err != nil {
		return nil, nil, false
	}
	if errs := structuralschema.ValidateStructural(nil, st); len(errs) > 0 {
		return nil, nil, false
	}
	oa := st.ToKubeOpenAPI()
	postProcess(oa)
	return st, oa, true
}

// postProcess does what the API server's ConvertJSONSchemaProps does
// beyond ToKubeOpenAPI: an int-or-string is of type integer or string.
// Formats are dropped: which ones the server checks depends on its version.
func postProcess(s *spec.Schema) {
	if s == nil {
		return
	}
	if v, ok := s.Extensions.GetBool("x-kubernetes-int-or-string"); ok && v {
		s.Type = spec.StringOrArray{"integer", "string"}
	}
	s.Format = ""
	for k, p := range s.Properties {
		postProcess(&p)
		s.Properties[k] = p
	}
	if s.Items != nil {
		postProcess(s.Items.Schema)
		for i := range s.Items.Schemas {
			postProcess(&s.Items.Schemas[i])
		}
	}
	if s.AdditionalProperties != nil {
		postProcess(s.AdditionalProperties.Schema)
	}
	for _, l := range [][]spec.Schema{s.AllOf, s.AnyOf, s.OneOf} {
		for i := range l {
			postProcess(&l[i])
		}
	}
	postProcess(s.Not)
}
