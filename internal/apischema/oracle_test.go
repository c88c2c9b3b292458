package apischema

// The structure rules held against the API server's own decoder: every
// object of the rule testdata and of ../shared/corpus (when present) is
// converted to JSON as kubectl does (sigs.k8s.io/yaml) and decoded
// strictly into its k8s.io/api type with sigs.k8s.io/json, as the API
// server's strict field validation does. Every unknown field k8slint
// reports must be one the decoder reports, and every object where k8slint
// reports a value of the wrong type must fail to decode. (k8s.io/api is
// linked into this test binary only.)

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/k8slint/k8slint/internal/apischema/kubeapi"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
)

type objKey struct{ file, apiVersion, kind, ns, name string }

type verdict struct {
	unknown []string // unknown field paths
	typeErr error
}

var unknownRe = regexp.MustCompile(`unknown field "([^"]*)"`)

// oracle decodes every object of the YAML files as the API server does.
func oracle(t *testing.T, s *runtime.Scheme, files []string) map[objKey]*verdict {
	out := map[objKey]*verdict{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
		for {
			doc, err := r.Read()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					t.Logf("%s: %v", f, err)
				}
				break
			}
			js, err := yaml.YAMLToJSON(doc)
			if err != nil {
				break // kubectl fails on the whole file; parse-error's
			}
			var m map[string]any
			if kjson.UnmarshalCaseSensitivePreserveInts(js, &m) != nil || m == nil {
				continue
			}
			objs := []map[string]any{m}
			if items, ok := m["items"].([]any); ok && strings.HasSuffix(str(m["kind"]), "List") {
				objs = nil
				for _, it := range items {
					if im, ok := it.(map[string]any); ok {
						objs = append(objs, im)
					}
				}
			}
			for _, o := range objs {
				gvk := schema.FromAPIVersionAndKind(str(o["apiVersion"]), str(o["kind"]))
				typed, err := s.New(gvk)
				if err != nil {
					continue
				}
				raw, _ := yaml.Marshal(o) // back to JSON below: the item alone
				ojs, _ := yaml.YAMLToJSON(raw)
				strict, err := kjson.UnmarshalStrict(ojs, typed, kjson.DisallowUnknownFields)
				v := &verdict{typeErr: err}
				for _, e := range strict {
					if m := unknownRe.FindStringSubmatch(e.Error()); m != nil {
						v.unknown = append(v.unknown, m[1])
					}
				}
				meta, _ := o["metadata"].(map[string]any)
				ns := str(meta["namespace"])
				if ns == "default" {
					ns = ""
				}
				out[objKey{f, gvk.GroupVersion().String(), gvk.Kind, ns, str(meta["name"])}] = v
			}
		}
	}
	return out
}

func str(v any) string { s, _ := v.(string); return s }

func yamlFiles(t *testing.T, roots ...string) []string {
	var out []string
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && (d.Name() == ".git" || d.Name() == "templates") {
				return filepath.SkipDir
			}
			if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				out = append(out, p)
			}
			return nil
		})
	}
	sort.Strings(out)
	return out
}

func TestOracleStructure(t *testing.T) {
	roots := []string{"../../rules/testdata/unknown-field", "../../rules/testdata/wrong-field-type", "../../rules/testdata/missing-required-field", "../../rules/testdata/env-value-not-string"}
	corpus := "../../../../shared/corpus"
	if _, err := os.Stat(corpus); err == nil && !testing.Short() {
		roots = append(roots, corpus)
	}
	files := yamlFiles(t, roots...)
	s := runtime.NewScheme()
	for _, f := range kubeapi.AddToScheme {
		if err := f(s); err != nil {
			t.Fatal(err)
		}
	}
	want := oracle(t, s, files)

	b := workspace.NewBuilder(workspace.Settings{}, files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		b.AddManifest(load.LoadManifest(f, data))
	}
	ws := b.Build()
	got := map[objKey][]Problem{}
	for _, p := range Of(ws).Problems {
		o := p.Object
		if p.Kind == MissingField {
			continue
		}
		k := objKey{o.File, o.APIVersion, o.Kind, o.Namespace, o.Name}
		got[k] = append(got[k], p)
	}
	var objects, unknownAgree, typeAgree, missedUnknown, missedType int
	for k, v := range want {
		if _, ok := Lookup(k.apiVersion, k.kind); !ok {
			continue
		}
		objects++
		mine := map[string]bool{}
		wrong := false
		var messages []string
		for _, p := range got[k] {
			switch p.Kind {
			case UnknownField:
				mine[p.Path] = true
			case WrongType:
				wrong = true
				messages = append(messages, p.DecoderError())
			}
		}
		if wrong {
			switch {
			case v.typeErr == nil:
				t.Errorf("%s %s/%s: k8slint reports a wrong type, the decoder accepts the object", k.file, k.kind, k.name)
			case !slices.Contains(messages, v.typeErr.Error()):
				// The decoder stops at its first error, in JSON key order.
				t.Errorf("%s %s/%s: the decoder says\n\t%s\nk8slint says\n\t%s", k.file, k.kind, k.name, v.typeErr, strings.Join(messages, "\n\t"))
			default:
				typeAgree++
			}
		} else if v.typeErr != nil {
			missedType++
			t.Logf("not reported (placeholder, env value or other): %s %s/%s: %v", k.file, k.kind, k.name, v.typeErr)
		}
		if v.typeErr != nil {
			continue // the decoder stops early: its unknown fields are partial
		}
		theirs := map[string]bool{}
		for _, u := range v.unknown {
			theirs[u] = true
			if !mine[u] {
				missedUnknown++
				t.Logf("unknown field not reported: %s %s/%s: %s", k.file, k.kind, k.name, u)
			}
		}
		for u := range mine {
			if !theirs[u] {
				t.Errorf("%s %s/%s: k8slint reports unknown field %s, the decoder does not", k.file, k.kind, k.name, u)
			} else {
				unknownAgree++
			}
		}
	}
	t.Logf("%d objects of built-in kinds in %d files: %d unknown fields agreed, %d not reported; %d objects with wrong types agreed, %d decoder type errors not reported",
		objects, len(files), unknownAgree, missedUnknown, typeAgree, missedType)
}
