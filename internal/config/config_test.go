package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/settings"
)

var known = func(id string) bool { return id == "env-value-not-string" || id == "unused-ignore" }

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"misspelt top-level key", "rules: {}\nexclude: []\nfail-onn: error\n", `.k8slint.yaml:3: unknown key "fail-onn" (did you mean "fail-on"?)`},
		{"unknown key", "colour: always\n", `.k8slint.yaml:1: unknown key "colour" (the configuration keys: rules, fail-on, exclude, nodes, kube-version, build-contexts, units, charts, crds)`},
		{"misspelt rules key", "rules:\n  disabled: [unused-ignore]\n", `.k8slint.yaml:2: unknown key "disabled" (did you mean "disable"?)`},
		{"unknown rule", "rules:\n  disable:\n  - unused-ignore\n  - no-such-rule\n", `.k8slint.yaml:4: rules.disable: unknown rule "no-such-rule" (k8slint rules lists them)`},
		{"list expected", "exclude: charts/**\n", `.k8slint.yaml:1: exclude must be a list, not "charts/**"`},
		{"mapping expected", "rules: [a]\n", `.k8slint.yaml:1: rules must be a mapping, not a list`},
		{"bad severity", "rules:\n  severity:\n    unused-ignore: fatal\n", `.k8slint.yaml:3: rules.severity.unused-ignore: unknown severity "fatal" (want error, warning or info)`},
		{"bad fail-on", "fail-on: [error]\n", `.k8slint.yaml:1: fail-on must be a string, not a list`},
		{"bad glob", "exclude: ['a/[b']\n", `.k8slint.yaml:1: exclude: invalid glob "a/[b"`},
		{"bad kube-version", "kube-version: 2.0\n", `.k8slint.yaml:1: kube-version: "2.0" is not a Kubernetes version (want 1.MINOR, like "1.33")`},
		{"bad quantity", "nodes:\n- cpu: two\n", `.k8slint.yaml:2: nodes.cpu: "two" is not a Kubernetes quantity (like 2, 500m, 4Gi)`},
		{"bad node key", "nodes:\n- cpus: 2\n", `.k8slint.yaml:2: nodes: unknown key "cpus" (did you mean "cpu"?)`},
		{"bad count", "nodes:\n- cpu: 2\n  count: 0\n", `.k8slint.yaml:3: nodes: count must be a positive integer, not "0"`},
		{"count beyond the flag's bound", "nodes:\n- cpu: 2\n  count: 1000000000000\n", `.k8slint.yaml:3: nodes: count=1000000000000: want a whole number of nodes from 1 to 100000`},
		{"node key that is no resource", "nodes:\n- cpu: 2\n  mem: 1Gi\n", `.k8slint.yaml:3: nodes: unknown key "mem" (want cpu, memory, pods, ephemeral-storage, hugepages-<size>, an extended resource like nvidia.com/gpu, or count)`},
		{"negative quantity", "nodes:\n- cpu: -2\n", `.k8slint.yaml:2: nodes.cpu: "-2" is not a Kubernetes quantity (like 2, 500m, 4Gi)`},
		{"kube-version with a patch and v", "kube-version: v2.0.1\n", `.k8slint.yaml:1: kube-version: "v2.0.1" is not a Kubernetes version (want 1.MINOR, like "1.33")`},
		{"duplicate key", "fail-on: error\nfail-on: info\n", `.k8slint.yaml:2: key "fail-on" is already set at line 1`},
		{"syntax error", "rules:\n  enable: [a\n", `.k8slint.yaml:2: did not find expected ',' or ']'`},
		{"not a mapping", "- a\n", `.k8slint.yaml:1: the configuration must be a mapping, not a list`},
		{"misspelt units", "unit: [extras/*]\n", `.k8slint.yaml:1: unknown key "unit" (did you mean "units"?)`},
		{"units not a list", "units: extras/*\n", `.k8slint.yaml:1: units must be a list, not "extras/*"`},
		{"units bad glob", "units: ['extras/[a']\n", `.k8slint.yaml:1: units: invalid glob "extras/[a"`},
		{"units whole tree", "units: [.]\n", `.k8slint.yaml:1: units: "." names the whole tree, which is a unit already; give directories below it, like "extras/*"`},
		{"units outside", "units: [../other]\n", `.k8slint.yaml:1: units: "../other" is not below this file's directory (globs are relative to .k8slint.yaml)`},
		{"misspelt crds", "crd: [crds/]\n", `.k8slint.yaml:1: unknown key "crd" (did you mean "crds"?)`},
		{"crds not a list", "crds: crds/\n", `.k8slint.yaml:1: crds must be a list, not "crds/"`},
		{"crds item not a string", "crds:\n- {a: b}\n", `.k8slint.yaml:2: crds item must be a string, not a mapping`},
		{"crds missing", "crds: [nope.yaml]\n", `.k8slint.yaml:1: crds: "nope.yaml" does not exist (paths are relative to .k8slint.yaml)`},
		{"crds outside", "crds: [../cert-manager.crds.yaml]\n", `.k8slint.yaml:1: crds: "../cert-manager.crds.yaml" is not below this file's directory (paths are relative to .k8slint.yaml)`},
		{"crds absolute", "crds: [/etc/crds.yaml]\n", `.k8slint.yaml:1: crds: "/etc/crds.yaml" is not below this file's directory (paths are relative to .k8slint.yaml)`},
		{"missing Dockerfile", "build-contexts:\n  nope/Dockerfile: .\n", `.k8slint.yaml:2: build-contexts: Dockerfile "nope/Dockerfile" does not exist (paths are relative to .k8slint.yaml)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("/nonexistent/.k8slint.yaml", ".k8slint.yaml", []byte(tc.src), known)
			if err == nil {
				t.Fatalf("no error, want %s", tc.want)
			}
			if got := strings.SplitN(err.Error(), "\n", 2)[0]; got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "docker/web"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "docker/web/Dockerfile"), []byte("FROM x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := `fail-on: error
exclude: ["charts/**", "*.gen.yaml"]
rules:
  enable: [env-value-not-string]
  disable: [unused-ignore]
  severity: {env-value-not-string: warning}
nodes:
- {cpu: 2, memory: 4Gi, pods: 110, count: 3}
- {cpu: 500m, nvidia.com/gpu: 1}
kube-version: 1.30
build-contexts:
  docker/web/Dockerfile: .
units: ["extras/*", ./variants/**/]
crds: [docker/web/Dockerfile, ./docker]
`
	cfg, err := Parse(filepath.Join(dir, ".k8slint.yaml"), ".k8slint.yaml", []byte(src), known)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Path: filepath.Join(dir, ".k8slint.yaml"), Dir: dir,
		Enable: []string{"env-value-not-string"}, Disable: []string{"unused-ignore"},
		Severity: map[string]diag.Severity{"env-value-not-string": diag.Warning},
		FailOn:   diag.Error, Exclude: []string{"charts/**", "*.gen.yaml"},
		Nodes: []settings.NodeSpec{
			{Resources: map[string]int64{"cpu": 2000, "memory": 4 << 30 * 1000, "pods": 110000}, Count: 3, Source: ".k8slint.yaml:8"},
			{Resources: map[string]int64{"cpu": 500, "nvidia.com/gpu": 1000}, Count: 1, Source: ".k8slint.yaml:9"},
		},
		// 1.30 is a YAML float; its text is kept, not 1.3.
		KubeVersion:   "1.30",
		BuildContexts: map[string]string{filepath.Join(dir, "docker/web/Dockerfile"): dir},
		Units:         []string{"extras/*", "variants/**"},
		CRDs:          []string{filepath.Join(dir, "docker/web/Dockerfile"), filepath.Join(dir, "docker")},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("got  %+v\nwant %+v", cfg, want)
	}
}

// The file `k8slint config init` writes loads without error and changes nothing.
func TestDefaultIsEmpty(t *testing.T) {
	cfg, err := Parse("/p/.k8slint.yaml", ".k8slint.yaml", []byte(Default), known)
	if err != nil {
		t.Fatal(err)
	}
	if want := (&Config{Path: "/p/.k8slint.yaml", Dir: "/p", FailOn: diag.Warning}); !reflect.DeepEqual(cfg, want) {
		t.Errorf("default config = %+v", cfg)
	}
	for _, k := range Keys {
		if !strings.Contains(Default, "\n"+k+":") {
			t.Errorf("the default file does not show key %q", k)
		}
	}
}

func TestEmptyFile(t *testing.T) {
	for _, src := range []string{"", "# only comments\n", "---\n"} {
		if _, err := Parse("/p/.k8slint.yaml", ".k8slint.yaml", []byte(src), known); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}
