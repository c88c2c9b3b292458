package engine

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/render"
	"github.com/k8slint/k8slint/internal/testfs"
)

func TestChartConfig(t *testing.T) {
	chart, err := filepath.Abs("../../testdata/article-chart")
	if err != nil {
		t.Fatal(err)
	}
	count := func(res *Result, rule, file string) int {
		n := 0
		for _, f := range res.Findings {
			if f.Rule == rule && strings.HasSuffix(f.File, file) {
				n++
			}
		}
		return n
	}
	res, err := Run(Options{Paths: []string{chart}})
	if err != nil {
		t.Fatal(err)
	}
	if count(res, "env-value-not-string", "templates/web.yaml") != 1 {
		t.Fatalf("the article chart: no env finding in web.yaml: %v", res.Findings)
	}

	// An extra values file that quotes the port, and a --set for the other.
	dir := t.TempDir()
	testfs.Write(t, dir, "prod.yaml", []byte("port: \"8004\"\n"))
	res, err = Run(Options{Paths: []string{chart}, Charts: map[string]ChartConfig{chart: {ChartOptions: render.ChartOptions{
		ValuesFiles: []string{filepath.Join(dir, "prod.yaml")}, Set: []string{"forceRoot=yes"}, Release: "sms", Namespace: "prod"}}}})
	if err != nil {
		t.Fatal(err)
	}
	// port: "8004" is a string in values, but {{ .Values.port }} writes it
	// unquoted all the same; yes is a YAML 1.1 boolean.
	if n := count(res, "env-value-not-string", ""); n != 2 {
		t.Errorf("with prod.yaml and forceRoot=yes: %d env findings, want 2: %v", n, res.Findings)
	}
	for _, f := range res.Findings {
		switch {
		case f.Rule != "env-value-not-string":
		case strings.HasSuffix(f.File, "web.yaml"):
			if len(f.Related) != 1 || !strings.HasSuffix(f.Related[0].File, "prod.yaml") {
				t.Errorf("port: related %v, want prod.yaml", f.Related)
			}
		case len(f.Related) != 0:
			t.Errorf("forceRoot comes from set, not from a file: related %v", f.Related)
		}
	}
	for _, o := range res.Workspace.Objects {
		if o.Kind == "Deployment" && !strings.HasPrefix(o.Name, "sms-") {
			t.Errorf("release name not applied: %s", o.Name)
		}
	}

	res, err = Run(Options{Paths: []string{chart}, Charts: map[string]ChartConfig{chart: {Disabled: true}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Errorf("a disabled chart has findings: %v", res.Findings)
	}
}

// A chart that a kustomization inflates is linted through it, once, at the
// template line; when the kustomization is not built (a remote base), the
// chart is linted on its own with its own values, as the root's other files
// are linted one by one.
func TestKustomizationHelmChart(t *testing.T) {
	dir := t.TempDir()
	testfs.Write(t, dir, ".git/HEAD", []byte("ref: refs/heads/main\n"))
	chart := "app/charts/web/"
	testfs.Write(t, dir, chart+"Chart.yaml", []byte("apiVersion: v2\nname: web\nversion: 0.1.0\n"))
	testfs.Write(t, dir, chart+"values.yaml", []byte("port: \"8004\"\n"))
	testfs.Write(t, dir, chart+"templates/cm.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: web:1\n      env:\n        - name: PORT\n          value: {{ .Values.port }}\n"))
	kust := "helmCharts:\n  - name: web\n    valuesInline:\n      port: 8005\n"
	testfs.Write(t, dir, "app/kustomization.yaml", []byte(kust))
	envs := func() []string {
		res, err := Run(Options{Paths: []string{dir}})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range res.Findings {
			rel, _ := filepath.Rel(dir, f.File)
			s := f.Rule + " " + filepath.ToSlash(rel)
			for _, r := range f.Related {
				rr, _ := filepath.Rel(dir, r.File)
				s += " <- " + filepath.ToSlash(rr)
			}
			out = append(out, s)
		}
		return out
	}
	if got, want := strings.Join(envs(), "; "), "env-value-not-string app/charts/web/templates/cm.yaml <- app/kustomization.yaml"; got != want {
		t.Errorf("through the kustomization: got %q, want %q", got, want)
	}
	testfs.Write(t, dir, "app/kustomization.yaml", []byte(kust+"resources:\n  - https://example.com/base.yaml\n"))
	if got, want := strings.Join(envs(), "; "), "env-value-not-string app/charts/web/templates/cm.yaml <- app/charts/web/values.yaml; render-error app/kustomization.yaml"; got != want {
		t.Errorf("the kustomization not built: got %q, want %q", got, want)
	}
}

// TestRenderingHook: Options.Rendering is called once before a chart or a
// kustomization is rendered (the CLI's collector goes back to normal
// there), and not for a project of plain files.
func TestRenderingHook(t *testing.T) {
	for _, c := range []struct {
		dir  string
		want int
	}{
		{"../../testdata/article-chart", 1},
		{"../../testdata/article-kustomize", 1},
		{"../../testdata/article", 0},
	} {
		dir, err := filepath.Abs(c.dir)
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		if _, err := Run(Options{Paths: []string{dir}, Rendering: func() { calls++ }}); err != nil {
			t.Fatal(err)
		}
		if calls != c.want {
			t.Errorf("%s: Rendering called %d times, want %d", c.dir, calls, c.want)
		}
	}
}
