package rules_test

import (
	"fmt"
	"github.com/k8slint/k8slint/internal/settings"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/ruletest"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/rules"
)

var sprintf = fmt.Sprintf

func TestDeprecatedAPIVersion(t *testing.T) {
	ruletest.Run(t, "testdata/deprecated-api-version", rules.DeprecatedAPIVersion)
}

// TestDefaultKubeVersion checks that the default target is the Kubernetes
// release matching the k8s.io/apimachinery version in go.mod (v0.37 = 1.37).
func TestDefaultKubeVersion(t *testing.T) {
	data, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`k8s\.io/apimachinery v0\.(\d+)\.`).FindSubmatch(data)
	if m == nil {
		t.Fatal("k8s.io/apimachinery not in go.mod")
	}
	if want := "1." + string(m[1]); rules.DefaultKubeVersion != want {
		t.Errorf("DefaultKubeVersion = %s, but go.mod has k8s.io/apimachinery v0.%s (Kubernetes %s)", rules.DefaultKubeVersion, m[1], want)
	}
}

func TestDeprecatedAPIVersionTargets(t *testing.T) {
	deploy := "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
	ingress := "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend: {serviceName: s, servicePort: 80}\n"
	for _, tc := range []struct {
		name, manifest, version string
		severity                string // "" = no finding
		contains, excludes      []string
	}{
		{"before deprecation", deploy, "1.7", "", nil, nil},
		{"deprecated", deploy, "1.15", "warning", []string{"deprecated since Kubernetes 1.8: it is removed in 1.16", "apps/v1 (available since 1.9)"}, []string{"spec.selector is required"}},
		{"removed", deploy, "v1.16.3", "error", []string{"removed in Kubernetes 1.16", `no matches for kind "Deployment" in version "extensions/v1beta1"`}, []string{"spec.selector is required"}},
		{"replacement not yet available", deploy, "1.8", "warning", []string{"(available from 1.9)"}, nil},
		{"ingress renames", ingress, "1.22", "error", []string{"networking.k8s.io/v1", "serviceName is renamed service.name", "servicePort is renamed"}, []string{"pathType is required"}},
		{"default target", deploy, "", "error", []string{"the target is " + rules.DefaultKubeVersion}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := lint(t, rules.DeprecatedAPIVersion, workspace.Settings{KubeVersion: strings.TrimPrefix(tc.version, "v")}, map[string]string{"m.yaml": tc.manifest})
			if tc.severity == "" {
				if len(got) != 0 {
					t.Fatalf("unexpected %v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d findings, want 1", len(got))
			}
			if got[0].Severity.String() != tc.severity {
				t.Errorf("severity %s, want %s", got[0].Severity, tc.severity)
			}
			for _, c := range tc.contains {
				if !strings.Contains(got[0].Text(), c) {
					t.Errorf("%q\ndoes not contain %q", got[0].Text(), c)
				}
			}
			for _, c := range tc.excludes {
				if strings.Contains(got[0].Text(), c) {
					t.Errorf("%q\ncontains %q", got[0].Text(), c)
				}
			}
		})
	}
}

func TestParseKubeVersion(t *testing.T) {
	for in, want := range map[string]string{"1.16": "1.16", "v1.33": "1.33", "1.29.4": "1.29", " 1.2 ": "1.2"} {
		v, err := settings.ParseKubeVersion(in)
		if err != nil || v.String() != want {
			t.Errorf("%q: %v %v, want %s", in, v, err, want)
		}
	}
	for _, in := range []string{"", "1", "2.0", "1.x", "1.16.3.4", "latest", "1.-1"} {
		if _, err := settings.ParseKubeVersion(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}
