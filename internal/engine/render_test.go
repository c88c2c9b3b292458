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
