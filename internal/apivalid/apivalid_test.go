package apivalid_test

import (
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/apivalid"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
)

func problems(t *testing.T, manifest string) []apivalid.Problem {
	t.Helper()
	b := workspace.NewBuilder(workspace.Settings{}, []string{"/x/a.yaml"})
	b.AddManifest(load.LoadManifest("/x/a.yaml", []byte(manifest)))
	return apivalid.Problems(b.Build())
}

// The 256 KiB limit is on keys and values together, for the object's and
// the pod template's annotations.
func TestAnnotationSize(t *testing.T) {
	big := strings.Repeat("x", 128<<10)
	doc := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    a: " + big + "\n    b: " + big + "\n"
	ps := problems(t, doc)
	if len(ps) != 1 || !strings.Contains(ps[0].Err.Error(), "metadata.annotations: Too long: may not be more than 262144 bytes") || ps[0].Node.Line != 6 {
		t.Fatalf("want one Too long problem at the annotations, got %+v", ps)
	}
	small := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    a: " + big + "\n"
	if ps := problems(t, small); len(ps) != 0 {
		t.Fatalf("128 KiB is under the limit, got %+v", ps)
	}
}

// A Finding carries the kubectl wording, the list item's name and the fix.
func TestFinding(t *testing.T) {
	ps := problems(t, `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: web
    image: nginx
    imagePullPolicy: always
`)
	if len(ps) != 1 {
		t.Fatalf("got %+v", ps)
	}
	f := ps[0].Finding()
	want := `kubectl apply fails: The Pod "p" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: "always": supported values: "Always", "IfNotPresent", "Never" (containers[0] is "web")`
	if f.Message != `containers[0].imagePullPolicy: Unsupported value "always"` || f.Detail != want || f.Line != 9 || f.Column != 22 {
		t.Fatalf("got %q / %q at %d:%d", f.Message, f.Detail, f.Line, f.Column)
	}
}

// A selector of matchLabels alone is decided without building its maps
// (matchedLabels) when the template has its labels; every other selector
// takes the general path. Both must report what the API server does: the
// selector's bad labels, and a template that the selector misses.
func TestSelectorPaths(t *testing.T) {
	deploy := func(selector, labels string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n" + selector +
			"  template:\n    metadata:\n      labels:\n" + labels + "    spec:\n      containers:\n      - name: c\n        image: nginx\n"
	}
	for _, tc := range []struct {
		name, selector, labels string
		want                   []string // each problem's error, in order
	}{
		{"matched", "    matchLabels:\n      app: web\n", "        app: web\n        tier: front\n", nil},
		{"matched, null value", "    matchLabels:\n      app:\n", "        app: \"\"\n", nil},
		{"bad value, matched", "    matchLabels:\n      app: web_\n", "        app: web_\n",
			[]string{`spec.selector.matchLabels: Invalid value: "web_": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
				`spec.template.labels: Invalid value: "web_": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`}},
		{"bad key, matched", "    matchLabels:\n      -app: web\n", "        -app: web\n", []string{"spec.selector.matchLabels: Invalid value: \"-app\"", "spec.template.labels: Invalid value: \"-app\""}},
		{"missed", "    matchLabels:\n      app: web\n", "        app: api\n", []string{"spec.template.metadata.labels: Invalid value: {\"app\":\"api\"}: `selector` does not match template `labels`"}},
		{"a placeholder", "    matchLabels:\n      app: ${APP}\n", "        app: web\n", nil},
		{"with expressions", "    matchLabels:\n      app: web\n    matchExpressions:\n    - {key: tier, operator: In, values: [front]}\n", "        app: web\n", []string{"spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"}},
		{"number value", "    matchLabels:\n      app: 1\n", "        app: \"1\"\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range problems(t, deploy(tc.selector, tc.labels)) {
				if p.Err != nil {
					got = append(got, p.Err.Error())
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems %q, want %q", got, tc.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("problem %d: %q, want it to start %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}
