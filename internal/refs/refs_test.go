package refs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
)

func newWS(t testing.TB, files map[string]string) *workspace.Workspace {
	t.Helper()
	b := workspace.NewBuilder(workspace.Settings{}, nil)
	for p, src := range files {
		b.AddManifest(load.LoadManifest(p, []byte(src)))
	}
	return b.Build()
}

func TestModel(t *testing.T) {
	ws := newWS(t, map[string]string{
		"/r/app.yaml": `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web, tier: fe}}
    spec:
      containers:
      - name: a
        image: a
      - name: b
        image: b
        ports: [{name: http, containerPort: 80}]
        envFrom: [{configMapRef: {name: cfg}}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: other}
spec:
  selector: {app: web}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {a: "1"}
binaryData: {b: eA==}
---
apiVersion: v1
kind: Secret
metadata: {name: s, namespace: shop}
stringData: {p: x}
`,
		"/r/kustomization.yaml": "namespace: shop\nsecretGenerator:\n- name: gen\n  literals: [k=v]\n",
	})
	m := Of(ws)
	if m != Of(ws) {
		t.Fatal("Of computes the model twice")
	}
	if len(m.Units) != 1 {
		t.Fatalf("units = %d", len(m.Units))
	}
	u := m.Units[0]
	// The kustomization's namespace applies to every object of its directory.
	for _, s := range u.Services {
		if s.Namespace != "shop" {
			t.Errorf("Service %s namespace = %q, want shop (kustomization)", s.Name, s.Namespace)
		}
		if got := len(u.Selected(s)); got != 1 {
			t.Errorf("Service %s selects %d pods, want 1", s.Name, got)
		}
	}
	p := u.Pods[0]
	if len(p.Ports) != 1 || p.Ports[0].Name != "http" || p.Ports[0].Container != "b" {
		t.Errorf("ports = %+v", p.Ports)
	}
	if len(p.Refs) != 1 || p.Refs[0].Kind != "ConfigMap" || p.Refs[0].Use != "envFrom" {
		t.Errorf("refs = %+v", p.Refs)
	}
	cm := u.Stores("ConfigMap", "shop", "cfg")
	if len(cm) != 1 || len(cm[0].Keys) != 2 || !cm[0].KeysKnown {
		t.Errorf("ConfigMap cfg = %+v", cm)
	}
	if g := u.Stores("Secret", "shop", "gen"); len(g) != 1 || g[0].Keys["k"] == nil {
		t.Errorf("generated Secret = %+v", g)
	}
	if s := u.Stores("Secret", "other", "s"); len(s) != 0 {
		t.Errorf("Secret s found in namespace other")
	}
}

func TestClosest(t *testing.T) {
	for _, tc := range []struct {
		s, want string
		cands   []string
	}{
		{"LOG_LEVL", "LOG_LEVEL", []string{"LOG_LEVEL", "PORT"}},
		{"htp", "http", []string{"http", "metrics"}},
		{"db-secret", "", []string{"tls-certs"}},
		{"x", "", nil},
	} {
		if got := Closest(tc.s, tc.cands); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

// tree writes n Deployments and n Services, each Service selecting its
// Deployment by two labels, one of them shared by all (the index must not
// scan every template for it).
func tree(n int) map[string]string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-%d}
spec:
  template:
    metadata: {labels: {part-of: shop, app: app-%d}}
    spec:
      containers: [{name: c, image: i, ports: [{name: http, containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: app-%d}
spec:
  selector: {part-of: shop, app: app-%d}
  ports: [{port: 80, targetPort: http}]
`, i, i, i, i)
	}
	return map[string]string{"/r/all.yaml": b.String()}
}

func TestSelectsAll(t *testing.T) {
	u := Of(newWS(t, tree(50))).Units[0]
	for _, s := range u.Services {
		if got := u.Selected(s); len(got) != 1 || got[0].T.Object.Name != s.Name {
			t.Fatalf("Service %s selects %d pods", s.Name, len(got))
		}
	}
}

// BenchmarkRefs builds the model and resolves every Service's selector, at
// two sizes a factor 4 apart: the time per op should grow about 4 times.
func BenchmarkRefs(b *testing.B) {
	for _, n := range []int{2500, 10000} {
		ws := newWS(b, tree(n))
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) {
			for b.Loop() {
				u := build(ws).Units[0] // not Of: its cache would answer every loop after the first
				for _, s := range u.Services {
					if len(u.Selected(s)) != 1 {
						b.Fatal("no match")
					}
				}
			}
		})
	}
}

// Rules call Of in parallel: one model, computed once.
func TestOfConcurrent(t *testing.T) {
	ws := newWS(t, tree(20))
	got := make(chan *Model, 8)
	for range 8 {
		go func() { got <- Of(ws) }()
	}
	first := <-got
	for range 7 {
		if m := <-got; m != first {
			t.Fatal("two models for one workspace")
		}
	}
}
