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

	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"

	admissionv1 "k8s.io/api/admission/v1"
	admissionv1beta1 "k8s.io/api/admission/v1beta1"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	admissionregistrationv1alpha1 "k8s.io/api/admissionregistration/v1alpha1"
	admissionregistrationv1beta1 "k8s.io/api/admissionregistration/v1beta1"
	apidiscoveryv2 "k8s.io/api/apidiscovery/v2"
	apidiscoveryv2beta1 "k8s.io/api/apidiscovery/v2beta1"
	apiserverinternalv1alpha1 "k8s.io/api/apiserverinternal/v1alpha1"
	appsv1 "k8s.io/api/apps/v1"
	appsv1beta1 "k8s.io/api/apps/v1beta1"
	appsv1beta2 "k8s.io/api/apps/v1beta2"
	authenticationv1 "k8s.io/api/authentication/v1"
	authenticationv1alpha1 "k8s.io/api/authentication/v1alpha1"
	authenticationv1beta1 "k8s.io/api/authentication/v1beta1"
	authorizationv1 "k8s.io/api/authorization/v1"
	authorizationv1beta1 "k8s.io/api/authorization/v1beta1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	batchv1beta1 "k8s.io/api/batch/v1beta1"
	certificatesv1 "k8s.io/api/certificates/v1"
	certificatesv1alpha1 "k8s.io/api/certificates/v1alpha1"
	certificatesv1beta1 "k8s.io/api/certificates/v1beta1"
	coordinationv1 "k8s.io/api/coordination/v1"
	coordinationv1alpha2 "k8s.io/api/coordination/v1alpha2"
	coordinationv1beta1 "k8s.io/api/coordination/v1beta1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	discoveryv1beta1 "k8s.io/api/discovery/v1beta1"
	eventsv1 "k8s.io/api/events/v1"
	eventsv1beta1 "k8s.io/api/events/v1beta1"
	extensionsv1beta1 "k8s.io/api/extensions/v1beta1"
	flowcontrolv1 "k8s.io/api/flowcontrol/v1"
	flowcontrolv1beta1 "k8s.io/api/flowcontrol/v1beta1"
	flowcontrolv1beta2 "k8s.io/api/flowcontrol/v1beta2"
	flowcontrolv1beta3 "k8s.io/api/flowcontrol/v1beta3"
	imagepolicyv1alpha1 "k8s.io/api/imagepolicy/v1alpha1"
	lifecyclev1alpha1 "k8s.io/api/lifecycle/v1alpha1"
	networkingv1 "k8s.io/api/networking/v1"
	networkingv1beta1 "k8s.io/api/networking/v1beta1"
	nodev1 "k8s.io/api/node/v1"
	nodev1alpha1 "k8s.io/api/node/v1alpha1"
	nodev1beta1 "k8s.io/api/node/v1beta1"
	policyv1 "k8s.io/api/policy/v1"
	policyv1beta1 "k8s.io/api/policy/v1beta1"
	rbacv1 "k8s.io/api/rbac/v1"
	rbacv1alpha1 "k8s.io/api/rbac/v1alpha1"
	rbacv1beta1 "k8s.io/api/rbac/v1beta1"
	resourcev1 "k8s.io/api/resource/v1"
	resourcev1alpha3 "k8s.io/api/resource/v1alpha3"
	resourcev1beta1 "k8s.io/api/resource/v1beta1"
	resourcev1beta2 "k8s.io/api/resource/v1beta2"
	schedulingv1 "k8s.io/api/scheduling/v1"
	schedulingv1alpha3 "k8s.io/api/scheduling/v1alpha3"
	schedulingv1beta1 "k8s.io/api/scheduling/v1beta1"
	storagev1 "k8s.io/api/storage/v1"
	storagev1alpha1 "k8s.io/api/storage/v1alpha1"
	storagev1beta1 "k8s.io/api/storage/v1beta1"
	storagemigrationv1 "k8s.io/api/storagemigration/v1"
	storagemigrationv1beta1 "k8s.io/api/storagemigration/v1beta1"
)

var oracleSchemes = []func(*runtime.Scheme) error{
	admissionv1.AddToScheme,
	admissionv1beta1.AddToScheme,
	admissionregistrationv1.AddToScheme,
	admissionregistrationv1alpha1.AddToScheme,
	admissionregistrationv1beta1.AddToScheme,
	apidiscoveryv2.AddToScheme,
	apidiscoveryv2beta1.AddToScheme,
	apiserverinternalv1alpha1.AddToScheme,
	appsv1.AddToScheme,
	appsv1beta1.AddToScheme,
	appsv1beta2.AddToScheme,
	authenticationv1.AddToScheme,
	authenticationv1alpha1.AddToScheme,
	authenticationv1beta1.AddToScheme,
	authorizationv1.AddToScheme,
	authorizationv1beta1.AddToScheme,
	autoscalingv1.AddToScheme,
	autoscalingv2.AddToScheme,
	batchv1.AddToScheme,
	batchv1beta1.AddToScheme,
	certificatesv1.AddToScheme,
	certificatesv1alpha1.AddToScheme,
	certificatesv1beta1.AddToScheme,
	coordinationv1.AddToScheme,
	coordinationv1alpha2.AddToScheme,
	coordinationv1beta1.AddToScheme,
	corev1.AddToScheme,
	discoveryv1.AddToScheme,
	discoveryv1beta1.AddToScheme,
	eventsv1.AddToScheme,
	eventsv1beta1.AddToScheme,
	extensionsv1beta1.AddToScheme,
	flowcontrolv1.AddToScheme,
	flowcontrolv1beta1.AddToScheme,
	flowcontrolv1beta2.AddToScheme,
	flowcontrolv1beta3.AddToScheme,
	imagepolicyv1alpha1.AddToScheme,
	lifecyclev1alpha1.AddToScheme,
	networkingv1.AddToScheme,
	networkingv1beta1.AddToScheme,
	nodev1.AddToScheme,
	nodev1alpha1.AddToScheme,
	nodev1beta1.AddToScheme,
	policyv1.AddToScheme,
	policyv1beta1.AddToScheme,
	rbacv1.AddToScheme,
	rbacv1alpha1.AddToScheme,
	rbacv1beta1.AddToScheme,
	resourcev1.AddToScheme,
	resourcev1alpha3.AddToScheme,
	resourcev1beta1.AddToScheme,
	resourcev1beta2.AddToScheme,
	schedulingv1.AddToScheme,
	schedulingv1alpha3.AddToScheme,
	schedulingv1beta1.AddToScheme,
	storagev1.AddToScheme,
	storagev1alpha1.AddToScheme,
	storagev1beta1.AddToScheme,
	storagemigrationv1.AddToScheme,
	storagemigrationv1beta1.AddToScheme,
}

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
	for _, f := range oracleSchemes {
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
