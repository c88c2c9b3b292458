package rules_test

import (
	"testing"

	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/internal/ruletest"
	"github.com/k8slint/k8slint/internal/testfs"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/rules"
)

func TestConfigKeyMissing(t *testing.T) {
	ruletest.Run(t, "testdata/config-key-missing", rules.ConfigKeyMissing)
}

// Objects of different deployment units do not see each other: the variant
// in extras/ has its own ConfigMap, without the key its pod reads.
func TestConfigKeyMissingUnits(t *testing.T) {
	cm := func(key string) string {
		return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {" + key + ": x}\n"
	}
	dir := testfs.Tree(t, map[string]string{
		"main/cfg.yaml":     cm("B"),
		"extras/a/cfg.yaml": cm("A"),
		"extras/a/pod.yaml": `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: i
    env:
    - name: B
      valueFrom:
        configMapKeyRef: {name: cfg, key: B}
`,
	})
	for _, tc := range []struct {
		units []string
		want  int
	}{{nil, 0}, {[]string{"extras/*"}, 1}} {
		res, err := engine.Run(engine.Options{Paths: []string{dir}, Rules: []*rules.Rule{rules.ConfigKeyMissing},
			Settings: workspace.Settings{Units: tc.units, UnitBase: dir}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) != tc.want {
			t.Errorf("units %v: %d findings, want %d: %+v", tc.units, len(res.Findings), tc.want, res.Findings)
		}
	}
}
