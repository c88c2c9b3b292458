package rules_test

import (
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/internal/ruletest"
	"github.com/k8slint/k8slint/internal/settings"
	"github.com/k8slint/k8slint/internal/testfs"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/rules"
)

func TestInsufficientCapacity(t *testing.T) {
	ruletest.Run(t, "testdata/insufficient-capacity", rules.InsufficientCapacity)
}

func TestRolloutExceedsCapacity(t *testing.T) {
	ruletest.Run(t, "testdata/rollout-exceeds-capacity", rules.RolloutExceedsCapacity)
}

// lint writes files into a temporary directory and runs one rule over it.
func lint(t *testing.T, rule *rules.Rule, settings workspace.Settings, files map[string]string) []diag.Finding {
	t.Helper()
	dir := testfs.Tree(t, files)
	res, err := engine.Run(engine.Options{Paths: []string{dir}, Rules: []*rules.Rule{rule}, Jobs: 1, Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	return res.Findings
}

const oneCPUNode = `apiVersion: v1
kind: Node
metadata:
  name: n1
  labels: {pool: a}
status:
  allocatable: {cpu: "1", memory: 2Gi, pods: "110"}
`

// deployment renders a Deployment with the given replicas and pod spec (indented 6 spaces).
func deployment(name, replicas, podSpec string) string {
	return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  replicas: " + replicas +
		"\n  selector:\n    matchLabels: {app: " + name + "}\n  template:\n    metadata:\n      labels: {app: " + name + "}\n    spec:\n" + podSpec
}

func TestInsufficientCapacityCases(t *testing.T) {
	container := func(res string) string {
		return "      containers:\n      - name: c\n        image: i\n        resources: " + res + "\n"
	}
	for _, tc := range []struct {
		name     string
		files    map[string]string
		settings workspace.Settings
		want     []string // substrings of the single finding; nil = no finding
	}{
		{"no nodes: silent", map[string]string{"d.yaml": deployment("d", "10", container("{requests: {cpu: '4'}}"))}, workspace.Settings{}, nil},
		{"fits exactly", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "4", container("{requests: {cpu: 250m}}"))}, workspace.Settings{}, nil},
		{"one over", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "5", container("{requests: {cpu: 250m}}"))}, workspace.Settings{},
			[]string{"1 of the 5 pods of Deployment d cannot be scheduled", "0/1 nodes are available: 1 Insufficient cpu", "short by at least cpu 250m"}},
		{"limit without request requests the limit", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "3", container("{limits: {cpu: 500m}}"))}, workspace.Settings{},
			[]string{"1 of the 3 pods"}},
		{"request wins over limit", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "3", container("{requests: {cpu: 100m}, limits: {cpu: '2'}}"))}, workspace.Settings{}, nil},
		{"memory", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "3", container("{requests: {memory: 1Gi}}"))}, workspace.Settings{},
			[]string{"Insufficient memory"}},
		{"pods limit", map[string]string{"n.yaml": strings.Replace(oneCPUNode, `pods: "110"`, `pods: "2"`, 1), "d.yaml": deployment("d", "3", container("{}"))}, workspace.Settings{},
			[]string{"1 Too many pods", "short by at least 1 pod"}},
		{"sidecar adds, ordinary init container is a maximum", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "2",
			"      initContainers:\n      - {name: init, image: i, resources: {requests: {cpu: 900m}}}\n      - {name: side, image: i, restartPolicy: Always, resources: {requests: {cpu: 200m}}}\n"+
				container("{requests: {cpu: 200m}}"))}, workspace.Settings{},
			// per pod: max(200+200, 900) = 900m: only one fits.
			[]string{"each pod requests cpu 900m"}},
		{"init container smaller than the sum", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "2",
			"      initContainers:\n      - {name: init, image: i, resources: {requests: {cpu: 100m}}}\n"+container("{requests: {cpu: 500m}}"))}, workspace.Settings{}, nil},
		{"init container after a sidecar adds it", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "2",
			"      initContainers:\n      - {name: side, image: i, restartPolicy: Always, resources: {requests: {cpu: 100m}}}\n      - {name: init, image: i, resources: {requests: {cpu: 500m}}}\n"+
				container("{requests: {cpu: 100m}}"))}, workspace.Settings{},
			// max(100+100, 100+500) = 600m
			[]string{"each pod requests cpu 600m"}},
		{"overhead from the RuntimeClass", map[string]string{"n.yaml": oneCPUNode,
			"rc.yaml": "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: kata}\nhandler: kata\noverhead:\n  podFixed: {cpu: 250m}\n",
			"d.yaml":  deployment("d", "2", "      runtimeClassName: kata\n"+container("{requests: {cpu: 300m}}"))}, workspace.Settings{},
			[]string{"each pod requests cpu 550m"}},
		{"DaemonSet one per node", map[string]string{"n.yaml": oneCPUNode + "---\n" + strings.Replace(oneCPUNode, "n1", "n2", 1),
			"ds.yaml": "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n" + container("{requests: {cpu: 600m}}"),
			"d.yaml":  deployment("d", "2", container("{requests: {cpu: 500m}}"))}, workspace.Settings{},
			// DaemonSet pods go first (600m on each node); the Deployment's 500m pods find 400m.
			[]string{"2 of the 2 pods of Deployment d"}},
		{"Job parallelism capped by completions", map[string]string{"n.yaml": oneCPUNode,
			"j.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  parallelism: 5\n  completions: 2\n  template:\n    spec:\n      restartPolicy: Never\n" + container("{requests: {cpu: 500m}}")}, workspace.Settings{}, nil},
		{"suspended Job: not counted", map[string]string{"n.yaml": oneCPUNode,
			"j.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: j-}\nspec:\n  suspend: true\n  parallelism: 3\n  template:\n    spec:\n      restartPolicy: Never\n" + container("{requests: {cpu: 500m}}")}, workspace.Settings{}, nil},
		{"generateName objects are not merged", map[string]string{"n.yaml": oneCPUNode,
			"a.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: j-}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n" + container("{requests: {cpu: 600m}}"),
			"b.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: j-}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n" + container("{requests: {cpu: 600m}}")}, workspace.Settings{},
			[]string{"the pod of Job j-* cannot be scheduled"}},
		{"Job parallelism", map[string]string{"n.yaml": oneCPUNode,
			"j.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  parallelism: 3\n  template:\n    spec:\n      restartPolicy: Never\n" + container("{requests: {cpu: 500m}}")}, workspace.Settings{},
			[]string{"1 of the 3 pods of Job j"}},
		{"nodeSelector matches the node", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "3", "      nodeSelector: {pool: a}\n"+container("{requests: {cpu: 500m}}"))}, workspace.Settings{},
			[]string{"1 of the 3 pods"}},
		{"nodeSelector matches no node: silent", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "3", "      nodeSelector: {pool: b}\n"+container("{requests: {cpu: 500m}}"))}, workspace.Settings{}, nil},
		{"extended resource the node lacks", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "1", container("{limits: {nvidia.com/gpu: 1}}"))}, workspace.Settings{},
			[]string{"Insufficient nvidia.com/gpu", "more nvidia.com/gpu than the largest node allocates (nvidia.com/gpu 0)"}},
		{"the same object twice counts once", map[string]string{"n.yaml": oneCPUNode,
			"base/d.yaml": deployment("d", "2", container("{requests: {cpu: 500m}}")), "prod/d.yaml": deployment("d", "2", container("{requests: {cpu: 500m}}"))}, workspace.Settings{}, nil},
		{"templated replicas: unknown, skipped", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "'${REPLICAS}'", container("{requests: {cpu: '2'}}"))}, workspace.Settings{}, nil},
		{"flag nodes replace the tree", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "5", container("{requests: {cpu: 500m, memory: 1Gi}}"))},
			workspace.Settings{Nodes: []settings.NodeSpec{mustNodeCapacity(t, "cpu=1,memory=4Gi,count=2")}},
			[]string{"1 of the 5 pods", "0/2 nodes are available: 2 Insufficient cpu"}},
		{"flag nodes: fits", map[string]string{"d.yaml": deployment("d", "4", container("{requests: {cpu: 500m, memory: 1Gi}}"))},
			workspace.Settings{Nodes: []settings.NodeSpec{mustNodeCapacity(t, "cpu=1,memory=4Gi,count=2")}}, nil},
		{"round robin across equal pods", map[string]string{"n.yaml": oneCPUNode,
			"a.yaml": deployment("a", "3", container("{requests: {cpu: 200m}}")), "b.yaml": deployment("b", "3", container("{requests: {cpu: 200m}}"))}, workspace.Settings{},
			// 5 fit: a gets 3? no: one of each in turn, a 3 and b 2.
			[]string{"1 of the 3 pods of Deployment b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := lint(t, rules.InsufficientCapacity, tc.settings, tc.files)
			wantN := 0
			if tc.want != nil {
				wantN = 1
			}
			if len(got) != wantN {
				for _, f := range got {
					t.Logf("%s:%d: %s", f.File, f.Line, f.Text())
				}
				t.Fatalf("%d findings, want %d", len(got), wantN)
			}
			for _, w := range tc.want {
				if !strings.Contains(got[0].Text(), w) {
					t.Errorf("%q\ndoes not contain %q", got[0].Text(), w)
				}
			}
		})
	}
}

func mustNodeCapacity(t *testing.T, s string) settings.NodeSpec {
	t.Helper()
	n, err := settings.ParseNodeCapacity(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRolloutCases(t *testing.T) {
	container := "      containers:\n      - {name: c, image: i, resources: {requests: {cpu: 500m}}}\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  int
	}{
		{"room left: no finding", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "1", container)}, 0},
		{"full, 1 replica, defaults", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "2", container)}, 1},
		{"4 replicas: maxUnavailable 25% is 1", map[string]string{"n.yaml": strings.Replace(oneCPUNode, `cpu: "1"`, `cpu: "2"`, 1), "d.yaml": deployment("d", "4", container)}, 0},
		{"does not fit at rest: insufficient-capacity's case", map[string]string{"n.yaml": oneCPUNode, "d.yaml": deployment("d", "3", container)}, 0},
		{"no nodes", map[string]string{"d.yaml": deployment("d", "2", container)}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := lint(t, rules.RolloutExceedsCapacity, workspace.Settings{}, tc.files)
			if len(got) != tc.want {
				t.Errorf("%d findings, want %d: %v", len(got), tc.want, got)
			}
		})
	}
}

// Deployment units are placed apart: two variants under extras/ that are
// never applied together do not add up with the main manifests, while the
// main manifests alone still fill the node.
func TestCapacityPerUnit(t *testing.T) {
	pod := "      containers:\n      - name: c\n        image: nginx:1.27\n        resources: {requests: {cpu: 600m}}\n"
	files := map[string]string{
		"cluster/nodes.yaml":         oneCPUNode,
		"main/web.yaml":              deployment("web", "1", pod),
		"extras/postgres/db.yaml":    deployment("db-a", "1", pod),
		"extras/cloudsql/proxy.yaml": deployment("db-b", "1", pod),
	}
	dir := testfs.Tree(t, files)
	run := func(units []string) []diag.Finding {
		res, err := engine.Run(engine.Options{Paths: []string{dir}, Rules: []*rules.Rule{rules.InsufficientCapacity}, Jobs: 1,
			Settings: workspace.Settings{Units: units, UnitBase: dir}})
		if err != nil {
			t.Fatal(err)
		}
		return res.Findings
	}
	if got := run(nil); len(got) != 2 {
		t.Errorf("one unit: %d findings, want 2 (three 600m pods on a 1-CPU node): %v", len(got), got)
	}
	if got := run([]string{"extras/*"}); len(got) != 0 {
		t.Errorf("units extras/*: %d findings, want none (each unit has one 600m pod): %v", len(got), got)
	}
	files["main/api.yaml"] = deployment("api", "1", pod)
	dir = testfs.Tree(t, files)
	if got := run([]string{"extras/*"}); len(got) != 1 || !strings.Contains(got[0].File, "main") {
		t.Errorf("units extras/* with two main pods: %v, want one finding in main/", got)
	}
}

// Two overlays of one base are two deployment units: each is placed on the
// nodes apart from the other, so they never add up.
func TestCapacityOverlaysApart(t *testing.T) {
	pod := "      containers:\n      - name: c\n        image: nginx:1.27\n        resources: {requests: {cpu: 600m}}\n"
	files := map[string]string{
		"cluster/nodes.yaml":                  oneCPUNode,
		"base/web.yaml":                       deployment("web", "1", pod),
		"base/kustomization.yaml":             "resources: [web.yaml]\n",
		"overlays/staging/kustomization.yaml": "resources: [../../base]\nnamePrefix: staging-\n",
		"overlays/prod/kustomization.yaml":    "resources: [../../base]\nnamePrefix: prod-\n",
	}
	if got := lint(t, rules.InsufficientCapacity, workspace.Settings{}, files); len(got) != 0 {
		t.Errorf("two overlays of a 600m pod on a 1-CPU node: %d findings, want none (each overlay is its own unit): %v", len(got), got)
	}
	files["overlays/prod/kustomization.yaml"] = "resources: [../../base]\nnamePrefix: prod-\nreplicas: [{name: web, count: 2}]\n"
	if got := lint(t, rules.InsufficientCapacity, workspace.Settings{}, files); len(got) != 1 {
		t.Errorf("prod with 2 replicas of 600m on a 1-CPU node: %d findings, want 1: %v", len(got), got)
	}
}
