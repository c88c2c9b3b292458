package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/report"
	"github.com/k8slint/k8slint/internal/testfs"
)

func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	return testfs.Tree(t, files)
}

// lines renders findings as "file:line:col rule" for comparison.
func lines(res *Result, base string) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, fmt.Sprintf("%s:%d:%d %s", report.RelPath(base, f.File), f.Line, f.Column, f.Rule))
	}
	return out
}

const podWithBadEnv = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    env:\n    - {name: X, value: 1}\n"

// TestBadInputAndSkips: every case is a clear finding or a silent skip,
// never a panic, and the run goes on with the other files and documents.
func TestBadInputAndSkips(t *testing.T) {
	dir := writeTree(t, map[string]string{
		// A broken document between two good ones: the error is at the file's line, the third document is still checked.
		"multi.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n data: x\n---\n" + podWithBadEnv,
		// Not manifests: skipped without noise, even when they do not parse.
		"kustomization.yaml":     "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [multi.yaml]\n",
		"skaffold.yaml":          "apiVersion: skaffold/v4beta6\nkind: Config\n",
		"compose.yaml":           "services:\n  web:\n    environment:\n      PORT: 8004\n",
		"ci.yml":                 "on: [push]\njobs: {build: {runs-on: ubuntu-latest\n",
		"values.yaml":            "replicas: {{ .Values.n }}\n",
		"kubeconfig.yaml":        "apiVersion: v1\nkind: Config\nclusters: []\n",
		"chart/Chart.yaml":       "apiVersion: v2\nname: c\nversion: 1.0.0\n",
		"chart/templates/d.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
		"empty.yaml":             "",
		"blank.yaml":             "\n\n  \n",
		"comments.yaml":          "# only a comment\n",
		"nokind.yaml":            "apiVersion: v1\nmetadata: {name: x}\n",
		"crd.yaml":               "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3}\n",
		"binary.yaml":            "\x00\x01\x02\xff\xfe binary",
		"x.yaml/inside.yaml":     podWithBadEnv,
		"invalid-utf8.yaml":      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \xff\xfe}\n",
		"crlf-bom.yaml":          "\xEF\xBB\xBF" + strings.ReplaceAll(podWithBadEnv, "\n", "\r\n"),
		"list.yaml":              "apiVersion: v1\nkind: List\nitems:\n- " + strings.ReplaceAll(strings.TrimSuffix(podWithBadEnv, "\n"), "\n", "\n  ") + "\n",
		"Dockerfile":             "FROM alpine:3.20\nWRONG instruction\n",
		// Files that do not parse are reported unless their name or content says they are no manifest.
		"min.json":                `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"`,
		"broken.yaml":             "metadata:\n  name: [x\n",
		"package.json":            `{"name": "x",`,
		"sub/.dockerignore":       "*\n!app\n",
		"node_modules/x/bad.yaml": podWithBadEnv,
	})
	res, err := Run(Options{Paths: []string{dir}, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	got := lines(res, dir)
	want := []string{
		"Dockerfile:2:1 parse-error",
		"broken.yaml:2:9 parse-error",
		"chart/templates/d.yaml:1:1 missing-required-field", // the chart renders: a Deployment without spec
		"crlf-bom.yaml:10:24 env-value-not-string",
		"invalid-utf8.yaml:3:18 parse-error",
		// kustomize build fails on the broken multi.yaml; its files are then linted as plain files
		"kustomization.yaml:3:13 render-error",
		"list.yaml:13:26 env-value-not-string",
		"min.json:1:50 parse-error",
		"multi.yaml:9:2 parse-error",
		"multi.yaml:20:24 env-value-not-string",
		"x.yaml/inside.yaml:10:24 env-value-not-string",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	objs := map[string]bool{}
	for _, o := range res.Workspace.Objects {
		objs[o.Kind+"/"+o.Name] = true
	}
	for _, k := range []string{"ConfigMap/a", "Pod/p", "Widget/w"} {
		if !objs[k] {
			t.Errorf("object %s not in the workspace", k)
		}
	}
	for _, k := range []string{"Kustomization/", "Config/", "Deployment/{{ .Release.Name }}"} {
		if objs[k] {
			t.Errorf("client-side or template document %s loaded as an object", k)
		}
	}
	if len(res.Workspace.Composes) != 1 {
		t.Errorf("compose files = %d, want 1", len(res.Workspace.Composes))
	}
}

func TestExcludeAndDeterminism(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"a/pod.yaml":      podWithBadEnv,
		"b/pod.yaml":      podWithBadEnv,
		"b/skip/pod.yaml": podWithBadEnv,
	})
	res, err := Run(Options{Paths: []string{dir}, Excludes: []string{"b/skip/**", "nothing"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := lines(res, dir); len(got) != 2 || !strings.HasPrefix(got[0], "a/") || !strings.HasPrefix(got[1], "b/pod") {
		t.Errorf("findings = %v", got)
	}
	one, _ := Run(Options{Paths: []string{dir}, Jobs: 1})
	eight, _ := Run(Options{Paths: []string{dir}, Jobs: 8})
	if strings.Join(lines(one, dir), "\n") != strings.Join(lines(eight, dir), "\n") {
		t.Errorf("-j 1 and -j 8 differ")
	}
}

func TestMaxFileSize(t *testing.T) {
	dir := writeTree(t, map[string]string{"big.yaml": podWithBadEnv + strings.Repeat("# padding\n", 200)})
	res, err := Run(Options{Paths: []string{dir}, MaxFileSize: 1024})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Rule != "parse-error" || !strings.Contains(res.Findings[0].Text(), "--max-file-size") {
		t.Errorf("findings = %+v", res.Findings)
	}
}
