package render

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/engine"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// plainRender renders dir as Helm does, with no markers.
func plainRender(t *testing.T, dir string) map[string]string {
	t.Helper()
	ch, err := loader.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	vals := map[string]any{}
	if err := chartutil.ProcessDependencies(ch, vals); err != nil {
		t.Fatal(err)
	}
	caps := common.DefaultCapabilities.Copy()
	rv, err := util.ToRenderValues(ch, vals, common.ReleaseOptions{Name: DefaultRelease, Namespace: DefaultNamespace, Revision: 1, IsInstall: true}, caps)
	if err != nil {
		t.Fatal(err)
	}
	var e engine.Engine
	out, err := e.RenderWithContext(context.Background(), ch, rv)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// testCharts are the charts whose rendering is checked: the article chart,
// the tricky-template chart, the chart `helm create` writes, and
// kustomize's test charts.
func testCharts(t *testing.T) []string {
	created := t.TempDir()
	p, err := chartutil.Create("web", created)
	if err != nil {
		t.Fatal(err)
	}
	return []string{"../../testdata/article-chart", "testdata/tricky", p,
		// kustomize's test charts: templates that end without a newline
		"testdata/kustomize-helm/test-chart", "testdata/kustomize-helm/values-merge", "testdata/kustomize-helm/issue4905"}
}

// The markers never change what Helm renders.
func TestMarkersKeepOutput(t *testing.T) {
	for _, dir := range testCharts(t) {
		want := plainRender(t, dir)
		res := RenderChart(mustAbs(t, dir), ChartOptions{})
		if len(res.Problems) > 0 {
			t.Fatalf("%s: %v", dir, res.Problems)
		}
		got := map[string]string{}
		for _, o := range res.Outputs {
			got[filepath.Base(o.Path)] = string(o.Text)
		}
		for name, text := range want {
			if strings.HasSuffix(name, "NOTES.txt") || strings.TrimSpace(text) == "" {
				continue
			}
			if g := got[filepath.Base(name)]; g != text {
				t.Errorf("%s: %s renders differently with markers:\n--- got\n%s\n--- want\n%s", dir, name, g, text)
			}
		}
	}
}

// Every scalar lands on a source line that writes it: the line holds the
// value as it is, or a template action.
func TestPositionsOnSourceLines(t *testing.T) {
	for _, dir := range testCharts(t) {
		res := RenderChart(mustAbs(t, dir), ChartOptions{})
		for _, o := range res.Outputs {
			docs := yamlx.ParseStream(o.Text)
			o.Remap(docs)
			lines := o.SourceLines()
			var walk func(n *yamlx.Node)
			walk = func(n *yamlx.Node) {
				if n == nil {
					return
				}
				if n.Kind() == yamlx.Scalar && n.Value() != "" && !strings.Contains(n.Value(), "\n") {
					if n.Line < 1 || int(n.Line) > len(lines) {
						t.Errorf("%s: %q at line %d, outside the file", o.Path, n.Value(), n.Line)
						return
					}
					src := lines[n.Line-1]
					if !strings.Contains(src, n.Value()) && !strings.Contains(src, "{{") && !strings.Contains(src, ": |") { // a block scalar: at its header
						t.Errorf("%s:%d: %q is not written on %q", o.Path, n.Line, n.Value(), src)
					}
				}
				for _, c := range n.Children() {
					walk(c)
				}
			}
			for _, d := range docs {
				walk(d.Root)
			}
		}
	}
}

func mustAbs(t *testing.T, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }

// A subchart's value is found under its key in the parent's values first.
func TestSubchartValues(t *testing.T) {
	dir := mustAbs(t, "testdata/tricky")
	res := RenderChart(dir, ChartOptions{})
	found := map[string]bool{}
	for _, o := range res.Outputs {
		rel, _ := filepath.Rel(dir, o.Path)
		found[filepath.ToSlash(rel)] = true
		if strings.HasSuffix(o.Path, "svc.yaml") {
			locs := o.ValuesAt(7)
			if len(locs) != 1 || filepath.Base(locs[0].File) != "values.yaml" || filepath.Dir(locs[0].File) != dir || locs[0].Line != 10 {
				t.Errorf("db port: got %+v, want the parent's values.yaml line 10", locs)
			}
		}
	}
	for _, want := range []string{"charts/db/templates/svc.yaml", "charts/cache-0.1.0.tgz/cache/templates/cm.yaml", "templates/deploy.yaml", "templates/crlf.yaml"} {
		if !found[want] {
			t.Errorf("no output for %s (got %v)", want, found)
		}
	}
}
