package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/testfs"
)

func TestCharts(t *testing.T) {
	dir := t.TempDir()
	testfs.Write(t, dir, "deploy/web/Chart.yaml", []byte("apiVersion: v2\nname: web\nversion: 0.1.0\n"))
	testfs.Write(t, dir, "deploy/web/values-prod.yaml", []byte("port: 1\n"))
	testfs.Write(t, dir, "env/extra.yaml", []byte("port: 2\n"))
	src := `charts:
  deploy/web:
    values: [values-prod.yaml, env/extra.yaml]
    set: ["image.tag=1.2.3"]
    release: web
    namespace: prod
    enabled: false
`
	cfg, err := Parse(filepath.Join(dir, ".k8slint.yaml"), ".k8slint.yaml", []byte(src), known)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Chart{filepath.Join(dir, "deploy/web"): {
		ValuesFiles: []string{filepath.Join(dir, "deploy/web/values-prod.yaml"), filepath.Join(dir, "env/extra.yaml")},
		Set:         []string{"image.tag=1.2.3"}, Release: "web", Namespace: "prod", Disabled: true}}
	if !reflect.DeepEqual(cfg.Charts, want) {
		t.Errorf("got  %+v\nwant %+v", cfg.Charts, want)
	}

	for _, tc := range []struct{ src, want string }{
		{"charts:\n  nope: {}\n", `.k8slint.yaml:2: charts: "nope" is not a chart directory (no Chart.yaml; paths are relative to .k8slint.yaml)`},
		{"charts: [a]\n", `.k8slint.yaml:1: charts must be a mapping of chart directory to its settings, not a list`},
		{"charts:\n  deploy/web: {valuse: []}\n", `.k8slint.yaml:2: unknown key "valuse" (did you mean "values"?)`},
		{"charts:\n  deploy/web:\n    values: [missing.yaml]\n", `.k8slint.yaml:3: charts.deploy/web.values: file "missing.yaml" does not exist (paths are relative to .k8slint.yaml or to the chart)`},
		{"charts:\n  deploy/web:\n    set: [image.tag]\n", `.k8slint.yaml:3: charts.deploy/web.set: "image.tag" is not key=value (as helm --set takes it: image.tag=1.2.3)`},
		{"charts:\n  deploy/web:\n    release: Web_1\n", `.k8slint.yaml:3: charts.deploy/web.release: "Web_1" is not a valid name (lower case letters, digits and '-', at most 53 characters for a release)`},
		{"charts:\n  deploy/web:\n    enabled: maybe\n", `.k8slint.yaml:3: charts.deploy/web.enabled must be true or false, not "maybe"`},
		{"charts:\n  deploy/web:\n    set: image.tag=1\n", `.k8slint.yaml:3: charts.deploy/web.set must be a list, not "image.tag=1"`},
	} {
		_, err := Parse(filepath.Join(dir, ".k8slint.yaml"), ".k8slint.yaml", []byte(tc.src), known)
		if err == nil {
			t.Errorf("%q: no error, want %s", tc.src, tc.want)
			continue
		}
		if got := strings.SplitN(err.Error(), "\n", 2)[0]; got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}
