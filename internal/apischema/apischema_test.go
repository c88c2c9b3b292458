package apischema

import (
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
)

// build makes a workspace of YAML files given as path -> content.
func build(t *testing.T, files map[string]string) *workspace.Workspace {
	t.Helper()
	var paths []string
	for p := range files {
		paths = append(paths, p)
	}
	b := workspace.NewBuilder(workspace.Settings{}, paths)
	for _, p := range paths {
		b.AddManifest(load.LoadManifest(p, []byte(files[p])))
	}
	return b.Build()
}

func TestTable(t *testing.T) {
	d, ok := Lookup("apps/v1", "Deployment")
	if !ok {
		t.Fatal("apps/v1 Deployment not in the table")
	}
	spec, ok := d.Field("spec")
	if !ok || spec.ID() != "apps/v1.DeploymentSpec" {
		t.Fatalf("Deployment.spec = %v %q", ok, spec.ID())
	}
	if _, ok := d.Field("apiVersion"); !ok {
		t.Error("TypeMeta is not inlined: no apiVersion field")
	}
	tmpl, _ := spec.Field("template")
	ps, _ := tmpl.Field("spec")
	cs, _ := ps.Field("containers")
	if cs.Kind() != KList || cs.Elem().ID() != "core/v1.Container" || cs.Name() != "[]v1.Container" {
		t.Errorf("containers: kind %d elem %q name %q", cs.Kind(), cs.Elem().ID(), cs.Name())
	}
	c := cs.Elem()
	for field, want := range map[string]Kind{"image": KString, "ports": KList, "resources": KStruct, "env": KList, "stdin": KBool} {
		ft, ok := c.Field(field)
		if !ok || ft.Kind() != want {
			t.Errorf("Container.%s: %v kind %d, want %d", field, ok, ft.Kind(), want)
		}
	}
	res, _ := c.Field("resources")
	lim, _ := res.Field("limits")
	if lim.Kind() != KMap || lim.Elem().Kind() != KQuantity {
		t.Errorf("limits: %d of %d", lim.Kind(), lim.Elem().Kind())
	}
	port, _ := Lookup("v1", "Service")
	sp, _ := port.Field("spec")
	ports, _ := sp.Field("ports")
	tp, _ := ports.Elem().Field("targetPort")
	if tp.Kind() != KIntOrString {
		t.Errorf("targetPort kind %d", tp.Kind())
	}
	meta, _ := d.Field("metadata")
	ts, _ := meta.Field("creationTimestamp")
	if ts.Kind() != KTime {
		t.Errorf("creationTimestamp kind %d", ts.Kind())
	}
	if _, ok := Lookup("extensions/v1beta1", "Deployment"); !ok {
		t.Error("extensions/v1beta1 Deployment: k8s.io/api still holds it")
	}
	if _, ok := Lookup("example.com/v1", "Widget"); ok {
		t.Error("a custom resource has a type")
	}
}

func TestCheckKinds(t *testing.T) {
	ws := build(t, map[string]string{"/m.yaml": `
apiVersion: apps/v1
kind: Deploymnet
metadata: {name: a}
---
apiVersion: apps/v1beta3
kind: Deployment
metadata: {name: b}
---
apiVersion: apps/v1
kind: Ingress
metadata: {name: c}
---
apiVersion: extensions/v1beta1
kind: Deployment
metadata: {name: removed-but-known}
---
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata: {name: removed}
---
apiVersion: example.com/v1
kind: Deploymnet
metadata: {name: custom}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: crd}
---
apiVersion: v1
kind: Service
metadata: {name: ok}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crds.example.com}
---
apiVersion: v2
kind: Chart
metadata: {name: not-kubernetes}
---
apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata: {name: removed-kind}
---
apiVersion: admissionregistration.k8s.io/v1alpha1
kind: InitializerConfiguration
metadata: {name: alpha}
---
apiVersion: v1
kind: DeploymentConfig
metadata: {name: legacy-openshift}
---
apiVersion: v1
kind: Sevice
metadata: {name: typo}
`})
	got := CheckKinds(ws)
	want := []struct{ name, field, suggest, servedBy string }{
		{"a", "kind", "Deployment", ""},
		{"b", "apiVersion", "apps/v1", ""},
		{"c", "kind", "", "networking.k8s.io/v1"},
		{"typo", "kind", "Service", ""},
	}
	if len(got) != len(want) {
		for _, p := range got {
			t.Logf("%s %s %s: %q %q", p.Object.Name, p.Field, p.Node.Value(), p.Suggest, p.ServedBy)
		}
		t.Fatalf("got %d problems, want %d", len(got), len(want))
	}
	for i, w := range want {
		p := got[i]
		if p.Object.Name != w.name || p.Field != w.field || p.Suggest != w.suggest || p.ServedBy != w.servedBy {
			t.Errorf("%d: got %s %s suggest %q servedBy %q, want %+v", i, p.Object.Name, p.Field, p.Suggest, p.ServedBy, w)
		}
		if p.Node == nil || p.Node.Line == 0 {
			t.Errorf("%d: no location", i)
		}
		if len(p.Served) == 0 {
			t.Errorf("%d: no served list", i)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	for s, want := range map[string]bool{
		"$VAR": true, "${VAR}": true, "${APP_NAME:-web}": true, "gcr.io/$PROJECT/app": true, "{{ .Values.x }}": true,
		"<your-project>": true, "__NAME__": true, "FILESTORE_CAPACITY": true, "K8S_SA_NAME": true,
		"web": false, "8080": false, "Always": false, "$": false, "a<b": false, "PORT": false, "a_b": false,
	} {
		if got := IsPlaceholder(s); got != want {
			t.Errorf("IsPlaceholder(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestNearest(t *testing.T) {
	fields := []string{"image", "imagePullPolicy", "name", "resources", "command"}
	for in, want := range map[string]string{
		"imagePullPolicyy": "imagePullPolicy", "ImagePullPolicy": "imagePullPolicy", "resource": "resources",
		"comand": "command", "nmae": "name", "zzz": "", "volumes": "",
	} {
		if got := Nearest(in, fields); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShared(t *testing.T) {
	ws := build(t, map[string]string{"/m.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: i, imagePullPolicyy: x}\n"})
	a, b := Of(ws), Of(ws)
	if a != b {
		t.Error("Of computes twice for one workspace")
	}
	if n := len(a.Of(UnknownField)); n != 1 {
		t.Errorf("%d unknown fields, want 1", n)
	}
}

func TestKindFinding(t *testing.T) {
	ws := build(t, map[string]string{"/m.yaml": "apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: a}\n---\napiVersion: apps/v1beta3\nkind: Deployment\nmetadata: {name: b}\n"})
	ps := CheckKinds(ws)
	if len(ps) != 2 {
		t.Fatalf("%d problems", len(ps))
	}
	f := ps[0].Finding()
	if f.Line != 2 || f.Column != 7 || !strings.Contains(f.Message, `kind "Deploymnet" is not served by apps/v1`) || !strings.Contains(f.Fix, "kind: Deployment") {
		t.Errorf("kind finding: %d:%d %q %q", f.Line, f.Column, f.Message, f.Fix)
	}
	f = ps[1].Finding()
	if f.Line != 5 || f.Column != 13 || !strings.Contains(f.Message, `apiVersion "apps/v1beta3" is not served`) || !strings.Contains(f.Fix, "apiVersion: apps/v1") {
		t.Errorf("apiVersion finding: %d:%d %q %q", f.Line, f.Column, f.Message, f.Fix)
	}
}
