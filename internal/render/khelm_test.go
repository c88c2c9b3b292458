package render

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"sigs.k8s.io/kustomize/kyaml/kio"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
	k8syaml "sigs.k8s.io/yaml"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// The helmCharts cases of kustomize's own tests (api/krusty and
// plugin/builtin/helmchartinflationgenerator, whose charts are copied in
// testdata/kustomize-helm with kustomize's licence), with the output
// kustomize build --enable-helm gives there: k8slint's Helm path must give
// the same objects (values files, valuesInline with each valuesMerge,
// apiVersions, skipTests, the namespace passed to helm and inherited from
// an overlay, the namespace transformer leaving helm's objects alone).
var kustomizeHelmCases = []struct {
	name  string
	files map[string]string // relative to the temporary project
	root  string            // the kustomization root built
	want  string
}{
	{name: "MultipleValuesFiles", root: ".", files: map[string]string{"kustomization.yaml": `
helmCharts:
  - name: test-chart
    releaseName: test-chart
    additionalValuesFiles:
    - charts/valuesFiles/file1.yaml
    - charts/valuesFiles/file2.yaml
`}, want: `apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    chart: test-1.0.0
  name: my-deploy
  namespace: file-2
spec:
  replicas: 1
  selector:
    matchLabels:
      app: test
  template:
    spec:
      containers:
      - image: test-image-file1:file1
        imagePullPolicy: Never
---
apiVersion: apps/v1
kind: Pod
metadata:
  annotations:
    helm.sh/hook: test
  name: test-chart
`},
	{name: "ApiVersions", root: ".", files: map[string]string{"kustomization.yaml": `
helmCharts:
  - name: test-chart
    releaseName: test-chart
    apiVersions:
    - foo/v1
`}, want: `apiVersion: foo/v1
kind: Deployment
metadata:
  labels:
    chart: test-1.0.0
  name: my-deploy
  namespace: default
spec:
  replicas: 1
  selector:
    matchLabels:
      app: test
  template:
    spec:
      containers:
      - image: test-image:v1.0.0
        imagePullPolicy: Always
---
apiVersion: foo/v1
kind: Pod
metadata:
  annotations:
    helm.sh/hook: test
  name: test-chart
`},
	{name: "SkipTests", root: ".", files: map[string]string{"kustomization.yaml": `
helmCharts:
  - name: test-chart
    releaseName: test-chart
    skipTests: true
`}, want: `apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    chart: test-1.0.0
  name: my-deploy
  namespace: default
spec:
  replicas: 1
  selector:
    matchLabels:
      app: test
  template:
    spec:
      containers:
      - image: test-image:v1.0.0
        imagePullPolicy: Always
`},
	{name: "NamespacePropagation", root: ".", files: map[string]string{
		"charts/service/Chart.yaml": serviceChart, "charts/service/values.yaml": "", "charts/service/templates/service.yaml": serviceTemplate,
		"values.yaml": "",
		"kustomization.yaml": `
helmGlobals:
  chartHome: ./charts
namespace: the-actual-namespace
helmCharts:
  - name: service
    releaseName: service
    valuesFile: values.yaml
`}, want: `apiVersion: v1
kind: Service
metadata:
  annotations:
    this-service-is-deployed-in-namespace: the-actual-namespace
  name: the-bug
  namespace: the-actual-namespace
`},
	{name: "NamespacePropagationViaResources", root: "overlay", files: map[string]string{
		"base/charts/service/Chart.yaml": serviceChart, "base/charts/service/values.yaml": "", "base/charts/service/templates/service.yaml": serviceTemplate,
		"base/kustomization.yaml": `
helmGlobals:
  chartHome: ./charts
helmCharts:
  - name: service
    releaseName: service
`,
		"overlay/kustomization.yaml": `
namespace: production
resources:
  - ../base
`}, want: `apiVersion: v1
kind: Service
metadata:
  annotations:
    this-service-is-deployed-in-namespace: production
  name: the-bug
  namespace: production
`},
	{name: "DifferentNamespaces", root: ".", files: map[string]string{
		"charts/service/Chart.yaml": serviceChart, "charts/service/values.yaml": "", "charts/service/templates/service.yaml": serviceTemplate,
		"kustomization.yaml": `
helmGlobals:
  chartHome: ./charts
namespace: transformer-ns
helmCharts:
  - name: service
    releaseName: service
    namespace: helm-ns
`}, want: `apiVersion: v1
kind: Service
metadata:
  annotations:
    this-service-is-deployed-in-namespace: helm-ns
  name: the-bug
  namespace: helm-ns
`},
	{name: "Issue4905", root: ".", files: map[string]string{"kustomization.yaml": `
helmGlobals:
  chartHome: ./charts
helmCharts:
  - name: issue4905
    releaseName: issue4905
    valuesInline:
      config:
        item1: 1
        item2: 2
`}, want: `apiVersion: v1
data:
  config.yaml: |-
    item1: 1
    item2: 2
kind: ConfigMap
metadata:
  name: issue4905
`},
	{name: "ValuesOverride", root: ".", files: map[string]string{"kustomization.yaml": `
helmCharts:
  - name: values-merge
    releaseName: values-merge
    valuesMerge: override
    valuesInline:
      a: 4
      c: 3
      list:
      - c
      map:
        a: 7
        c: 6
`}, want: `apiVersion: test.kustomize.io/v1
kind: ValuesMergeTest
metadata:
  name: values-merge
obj:
  a: 4
  b: 2
  c: 3
  list:
  - c
  map:
    a: 7
    b: 5
    c: 6
`},
	{name: "ValuesReplace", root: ".", files: map[string]string{
		"replacedValues.yaml": `
  a: 7
  b: 7
  c: 7
  list:
  - g
  map:
    a: 7
    b: 7
    c: 7
  `,
		"kustomization.yaml": `
helmCharts:
  - name: values-merge
    releaseName: values-merge
    valuesMerge: replace
    valuesFile: replacedValues.yaml
    valuesInline:
      a: 1
      b: 2
      list:
      - c
      map:
        a: 4
        b: 5
`}, want: `apiVersion: test.kustomize.io/v1
kind: ValuesMergeTest
metadata:
  name: values-merge
obj:
  a: 1
  b: 2
  c: null
  list:
  - c
  map:
    a: 4
    b: 5
    c: null
`},
	{name: "ValuesMerge", root: ".", files: map[string]string{"kustomization.yaml": `
helmCharts:
  - name: values-merge
    releaseName: values-merge
    valuesMerge: merge
    valuesInline:
      a: 4
      c: 3
      list:
      - c
      map:
        a: 7
        c: 6
`}, want: `apiVersion: test.kustomize.io/v1
kind: ValuesMergeTest
metadata:
  name: values-merge
obj:
  a: 1
  b: 2
  c: 3
  list:
  - a
  - b
  map:
    a: 4
    b: 5
    c: 6
`},
	{name: "IncludeCRDs", root: ".", files: map[string]string{
		"charts/service/Chart.yaml": serviceChart, "charts/service/values.yaml": "", "charts/service/templates/service.yaml": serviceTemplate,
		"charts/service/crds/crd.yaml": crd,
		"kustomization.yaml": `
helmCharts:
  - name: service
    includeCRDs: true
    kubeVersion: "1.30"
`}, want: crd + `---
apiVersion: v1
kind: Service
metadata:
  annotations:
    this-service-is-deployed-in-namespace: default
  name: the-bug
  namespace: default
`},
	{name: "NoCRDs", root: ".", files: map[string]string{
		"charts/service/Chart.yaml": serviceChart, "charts/service/values.yaml": "", "charts/service/templates/service.yaml": serviceTemplate,
		"charts/service/crds/crd.yaml": crd,
		"kustomization.yaml": `
helmCharts:
  - name: service
`}, want: `apiVersion: v1
kind: Service
metadata:
  annotations:
    this-service-is-deployed-in-namespace: default
  name: the-bug
  namespace: default
`},
}

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names:
    kind: Widget
    plural: widgets
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
`

const serviceChart = `
apiVersion: v2
name: service
type: application
version: 1.0.0
`

const serviceTemplate = `
apiVersion: v1
kind: Service
metadata:
  name: the-bug
  namespace: {{ .Release.Namespace }}
  annotations:
    this-service-is-deployed-in-namespace: {{ .Release.Namespace }}
`

func TestKustomizeHelmCharts(t *testing.T) {
	for _, c := range kustomizeHelmCases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, "testdata/kustomize-helm", filepath.Join(dir, "charts"))
			for name, text := range c.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res := BuildKustomization(filepath.Join(dir, c.root), dir, KustomizeOptions{})
			if len(res.Problems) > 0 || len(res.Notes) > 0 || res.Output == nil {
				t.Fatalf("problems %+v, notes %+v", res.Problems, res.Notes)
			}
			if got, want := normalize(t, res.Output.Text, true), normalize(t, []byte(c.want), false); got != want {
				t.Errorf("kustomize build gives:\n%s\nk8slint builds:\n%s", want, got)
			}
		})
	}
}

// normalize prints objects in kyaml's form, without the origin annotations
// k8slint asks for.
func normalize(t *testing.T, text []byte, origin bool) string {
	t.Helper()
	nodes, err := kio.FromBytes(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if origin {
			if err := n.PipeE(kyaml.ClearAnnotation(originKey)); err != nil {
				t.Fatal(err)
			}
			if md := n.Field("metadata"); md != nil {
				if a := md.Value.Field("annotations"); a != nil && len(a.Value.Content()) == 0 {
					_ = md.Value.PipeE(kyaml.Clear("annotations"))
				}
			}
		}
	}
	var docs []string
	for _, n := range nodes {
		// keys sorted, as kustomize build prints them
		j, err := n.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		y, err := k8syaml.JSONToYAML(j)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(y))
	}
	return strings.TrimSpace(strings.Join(docs, "---\n"))
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A chart that is not in the tree is never fetched: with a repo it is a
// note (kustomize would pull it), without one an error (kustomize fails);
// a template that fails is an error at its line, and the root is not built.
func TestKustomizeHelmProblems(t *testing.T) {
	for _, c := range []struct {
		name, kustomization string
		notes, problems     []string // "file:line: message part"
	}{
		{name: "remote", kustomization: "helmCharts:\n  - name: redis\n    repo: https://charts.example.com\n    version: 1.2.3\n",
			notes: []string{`kustomization.yaml:2: helm chart "redis" is not in the tree (charts/redis-1.2.3/redis)`}},
		{name: "oci", kustomization: "helmCharts:\n  - repo: oci://registry.example.com/charts\n    name: redis\n",
			notes: []string{`kustomization.yaml:3: helm chart "redis" is not in the tree (charts/redis)`}},
		{name: "missing", kustomization: "resources: []\nhelmCharts:\n  - name: nowhere\n",
			problems: []string{`kustomization.yaml:3: helm chart "nowhere" is not in the tree (charts/nowhere) and names no repo`}},
		{name: "merge", kustomization: "helmCharts:\n  - name: values-merge\n    valuesMerge: add\n",
			problems: []string{`kustomization.yaml:2: kustomize build fails: valuesMerge must be one of [merge override replace], not "add"`}},
		{name: "template", kustomization: "helmCharts:\n  - name: failing\n",
			problems: []string{`charts/failing/templates/cm.yaml:4: execution error at (failing/templates/cm.yaml:4:11): the value is required`}},
		{name: "no values.yaml", kustomization: "helmCharts:\n  - name: failing\n    valuesFile: none.yaml\n",
			problems: []string{`kustomization.yaml:2: kustomize build fails: helm chart "failing": values file: `}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, "testdata/kustomize-helm", filepath.Join(dir, "charts"))
			write(t, filepath.Join(dir, "charts/failing/Chart.yaml"), "apiVersion: v2\nname: failing\nversion: 1.0.0\n")
			write(t, filepath.Join(dir, "charts/failing/values.yaml"), "")
			write(t, filepath.Join(dir, "charts/failing/templates/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ required \"the value is required\" .Values.name }}\n")
			write(t, filepath.Join(dir, "kustomization.yaml"), c.kustomization)
			res := BuildKustomization(dir, dir, KustomizeOptions{})
			if res.Output != nil {
				t.Errorf("built, want the root skipped")
			}
			check := func(kind string, got []Problem, want []string) {
				if len(got) != len(want) {
					t.Errorf("%s: got %+v, want %q", kind, got, want)
					return
				}
				for i, p := range got {
					rel, _ := filepath.Rel(dir, p.File)
					if s := fmt.Sprintf("%s:%d: %s", filepath.ToSlash(rel), p.Line, p.Msg); !strings.Contains(s, want[i]) {
						t.Errorf("%s: got %q, want %q", kind, s, want[i])
					}
				}
			}
			check("notes", res.Notes, c.notes)
			check("problems", res.Problems, c.problems)
		})
	}
}

func write(t *testing.T, p, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Every scalar of a kustomization's build lands on a line that writes it:
// the chart template's line (the value as it is, or a template action), or
// the patch's or valuesInline's line with the value.
func TestKustomizeHelmPositions(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, "testdata/kustomize-helm", filepath.Join(dir, "charts"))
	if _, err := chartutil.Create("created", filepath.Join(dir, "charts")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "kustomization.yaml"), `namespace: x
helmCharts:
  - name: test-chart
    releaseName: a
  - name: issue4905
    releaseName: b
    valuesInline:
      config: {item1: 1}
  - name: values-merge
  - name: created
    releaseName: c
    valuesInline:
      replicaCount: 3
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: c-created
      spec:
        template:
          spec:
            containers:
              - name: created
                env:
                  - name: A
                    value: "1"
`)
	article := mustAbs(t, "../../testdata/article-kustomize/helm")
	for _, root := range []string{dir, article} {
		res := BuildKustomization(root, filepath.Dir(root), KustomizeOptions{})
		if res.Output == nil {
			t.Fatalf("%s: %+v %+v", root, res.Problems, res.Notes)
		}
		o := res.Output
		docs := yamlx.ParseStream(o.Text)
		o.Map(docs)
		lines := map[string][]string{}
		var walk func(n *yamlx.Node)
		walk = func(n *yamlx.Node) {
			if n == nil {
				return
			}
			if n.Kind() == yamlx.Scalar && n.Value() != "" && !strings.Contains(n.Value(), "\n") {
				loc, _, ok := o.Locate(int(n.Line), int(n.Column))
				if !ok {
					t.Errorf("%q at build line %d: no source", n.Value(), n.Line)
					return
				}
				ls, seen := lines[loc.File]
				if !seen {
					ls = strings.Split(string(o.SourceText(loc.File)), "\n")
					lines[loc.File] = ls
				}
				if loc.Line < 1 || loc.Line > len(ls) {
					t.Errorf("%q at %s:%d, outside the file", n.Value(), loc.File, loc.Line)
					return
				}
				if src := ls[loc.Line-1]; !strings.Contains(src, n.Value()) && !strings.Contains(src, "{{") && !strings.Contains(src, ": |") {
					t.Errorf("%s:%d: %q is not written on %q", loc.File, loc.Line, n.Value(), src)
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

// Two releases of one chart: each object's values are looked up in its own
// release's values (valuesInline of one, the chart's values.yaml of the
// other), though both point at the same template line.
func TestKustomizeHelmTwoReleases(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, "../../testdata/article-kustomize/helm/charts", filepath.Join(dir, "charts"))
	write(t, filepath.Join(dir, "kustomization.yaml"), `helmCharts:
  - name: sms-web
    releaseName: a
    valuesInline:
      port: "8005"
  - name: sms-web
    releaseName: b
`)
	res := BuildKustomization(dir, dir, KustomizeOptions{})
	if res.Output == nil {
		t.Fatalf("%+v", res.Problems)
	}
	o := res.Output
	docs := yamlx.ParseStream(o.Text)
	o.Map(docs)
	got := map[string]string{}
	for _, d := range docs {
		if d.Root.Get("kind").Str() != "Deployment" {
			continue
		}
		v := d.Root.Path("spec", "template", "spec", "containers").Item(0).Get("env").Item(0).Get("value")
		loc, _, _ := o.Locate(int(v.Line), int(v.Column))
		chart := o.ChartAt(int(v.Line))
		if chart == nil || chart.Path != loc.File {
			t.Fatalf("%s: chart %v, location %+v", d.Root.Path("metadata", "name").Str(), chart, loc)
		}
		for _, l := range chart.ValuesAt(loc.Line) {
			rel, _ := filepath.Rel(dir, l.File)
			got[d.Root.Path("metadata", "name").Str()] = fmt.Sprintf("%s:%d", filepath.ToSlash(rel), l.Line)
		}
	}
	want := map[string]string{"a-web": "kustomization.yaml:5", "b-web": "charts/sms-web/values.yaml:3"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("values of each release: got %v, want %v", got, want)
	}
}
