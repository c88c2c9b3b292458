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
