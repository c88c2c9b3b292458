package engine

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/k8slint/k8slint/internal/settings"
	"github.com/k8slint/k8slint/internal/testfs"
	"github.com/k8slint/k8slint/internal/workspace"
)

// clusterTree writes nodes Node objects (nodes.yaml) and deployments
// Deployments (deploy.yaml) into dir. mode:
//   - "fits": a mix of shapes, a third with a node selector, that mostly fit;
//   - "nowhere": every pod asks for more cpu than any node has;
//   - "tainted": every node has a taint that no pod tolerates;
//   - "distinct": every Deployment has a shape of its own, and none fits;
//   - "pinned": every Deployment's node selector names one node by its
//     hostname, and asks for more than that node has left;
//   - "extended": every Deployment asks for an extended resource of its
//     own, which no node has;
//   - "distinct-taints": every node has a taint of its own, every
//     Deployment tolerates one of them and asks for more cpu than any node
//     has (one refusal reason per node).
func clusterTree(t testing.TB, dir string, nodes, deployments int, mode string) {
	t.Helper()
	var b strings.Builder
	for i := range nodes {
		taint := ""
		switch mode {
		case "tainted":
			taint = "spec:\n  taints:\n  - {key: dedicated, value: infra, effect: NoSchedule}\n"
		case "distinct-taints":
			taint = fmt.Sprintf("spec:\n  taints:\n  - {key: team-%d, effect: NoSchedule}\n", i)
		}
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: node-%d\n  labels: {kubernetes.io/hostname: node-%d, pool: p%d}\n%sstatus:\n  allocatable: {cpu: '4', memory: 16Gi, pods: '110'}\n", i, i, i%4, taint)
	}
	testfs.Write(t, dir, "nodes.yaml", []byte(b.String()))
	b.Reset()
	for i := range deployments {
		var cpu, sel string
		switch mode {
		case "nowhere":
			cpu = "8"
		case "tainted":
			cpu = "1"
		case "distinct":
			cpu = fmt.Sprintf("%dm", 4001+i)
		case "extended":
			cpu = fmt.Sprintf("1', example.com/r-%d: '1", i)
		case "distinct-taints":
			cpu = "8"
			sel = fmt.Sprintf("      tolerations: [{key: team-%d, operator: Exists}]\n", i%nodes)
		case "pinned":
			cpu = "3"
			sel = fmt.Sprintf("      nodeSelector: {kubernetes.io/hostname: node-%d}\n", i%nodes)
		default:
			cpu = []string{"100m", "250m", "500m", "1", "2", "3"}[i%6]
			if i%3 == 0 {
				sel = fmt.Sprintf("      nodeSelector: {pool: p%d}\n", i%4)
			}
		}
		fmt.Fprintf(&b, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d-%d\nspec:\n  replicas: %d\n  selector:\n    matchLabels: {app: d-%d}\n  template:\n    metadata:\n      labels: {app: d-%d}\n    spec:\n%s      containers:\n      - name: c\n        image: nginx:1.27\n        resources: {requests: {cpu: '%s', memory: 256Mi}}\n", i, 1+i%3, i, i, sel, cpu)
	}
	testfs.Write(t, dir, "deploy.yaml", []byte(b.String()))
}

// The line and column of d-<i>'s cpu request in deploy.yaml (17 lines per
// Deployment, without a node selector).
func cpuRequestLine(i int) int { return 17*i + 17 }

// capacityHostileCases are the scheduling model's hostile inputs: many
// Nodes and Deployments that fit nowhere or are refused by every node
// (quadratic before: a reason string per workload and node), and counts and
// quantities at the edges of int64.
func capacityHostileCases() []hostileCase {
	return []hostileCase{
		{
			name:     "10,000 Nodes and 10,000 Deployments that fit nowhere",
			setup:    func(t *testing.T, dir string) { clusterTree(t, dir, 10000, 10000, "nowhere") },
			want:     []expect{{"deploy.yaml", cpuRequestLine(0), 37, "insufficient-capacity", "0/10000 nodes are available: 10000 Insufficient cpu"}},
			maxAlloc: 256 << 20,
		},
		{
			name:     "10,000 Nodes and 10,000 Deployments of distinct shapes that fit nowhere",
			setup:    func(t *testing.T, dir string) { clusterTree(t, dir, 10000, 10000, "distinct") },
			want:     []expect{{"deploy.yaml", cpuRequestLine(9999), 37, "insufficient-capacity", "each pod requests cpu 14, memory 256Mi"}},
			maxAlloc: 384 << 20,
		},
		{
			// No node accepts any pod: not a capacity problem, and no finding.
			name:     "10,000 tainted Nodes and 10,000 Deployments",
			setup:    func(t *testing.T, dir string) { clusterTree(t, dir, 10000, 10000, "tainted") },
			maxAlloc: 256 << 20,
		},
		{
			name:     "10,000 Nodes and 10,000 Deployments each asking for an extended resource of its own",
			setup:    func(t *testing.T, dir string) { clusterTree(t, dir, 10000, 10000, "extended") },
			want:     []expect{{"deploy.yaml", cpuRequestLine(9999), 0, "insufficient-capacity", "10000 Insufficient example.com/r-9999"}},
			maxAlloc: 384 << 20,
		},
		{
			// One refusal reason per node (quadratic before: every failing
			// workload copied and printed the reasons of all nodes).
			name:     "10,000 Nodes with a taint each and 10,000 Deployments tolerating one each",
			setup:    func(t *testing.T, dir string) { clusterTree(t, dir, 10000, 10000, "distinct-taints") },
			want:     []expect{{"deploy.yaml", cpuRequestLine(0) + 1, 37, "insufficient-capacity", "0/10000 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {team-1000: }"}, {"deploy.yaml", 18*9999 + 18, 37, "insufficient-capacity", "and 9991 node(s) with 9991 other reason(s)"}},
			maxAlloc: 384 << 20,
		},
		{
			// 5,000 nodes, each chosen by the selectors of two Deployments
			// that do not both fit: one node selector per workload.
			name:     "10,000 Deployments pinned to 5,000 Nodes by hostname",
			setup:    func(t *testing.T, dir string) { clusterTree(t, dir, 5000, 10000, "pinned") },
			want:     []expect{{"deploy.yaml", 18*9999 + 18, 37, "insufficient-capacity", "0/5000 nodes are available: 1 Insufficient cpu, 4999 node(s) didn't match Pod's node affinity/selector"}},
			maxAlloc: 256 << 20,
		},
		{
			name: "replicas and quantities at the edges of int64",
			setup: func(t *testing.T, dir string) {
				testfs.Write(t, dir, "nodes.yaml", []byte("apiVersion: v1\nkind: Node\nmetadata: {name: n}\nstatus:\n  allocatable: {cpu: '4', memory: 9999999999999999999Ei, pods: '9223372036854775807'}\n"))
				dep := func(name, replicas, res string) string {
					return "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name + "}\nspec:\n  replicas: " + replicas +
						"\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n    spec:\n      containers:\n      - {name: c, image: i, resources: {requests: " + res + "}}\n"
				}
				testfs.Write(t, dir, "deploy.yaml", []byte(
					dep("int64", "9223372036854775807", "{cpu: 1}")+ // refused by the API server (int32): no pods
						dep("int32", "2147483647", "{cpu: 1m}")+
						dep("again", "2147483647", "{cpu: 1m}")+
						dep("huge", "3", "{cpu: 1m, memory: 9999999999999999999Ei}")))
			},
			want: []expect{
				{"deploy.yaml", 24, 0, "insufficient-capacity", "of the 2147483647 pods of Deployment int32 cannot be scheduled"},
			},
		},
	}
}

// TestHostileCapacity runs the scheduling model's hostile inputs beside the
// sentinel, with bounded allocations and CPU time, and checks that no
// message carries a negative or wrapped count.
func TestHostileCapacity(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	for _, tc := range capacityHostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "zz-sentinel.yaml", []byte(sentinel))
			tc.setup(t, dir)
			c0 := cpuTime()
			runHostile(t, dir, tc)
			// Quadratic, these took 65-111 s; linear, well under 2 s on
			// two cores. The bound leaves room for a loaded machine and the
			// race detector.
			if d := cpuTime() - c0; d > 20*time.Second {
				t.Errorf("the run took %v of CPU time", d)
			}
		})
	}
}

// TestCapacityCountsBounded checks the messages of extreme counts.
func TestCapacityCountsBounded(t *testing.T) {
	dir := t.TempDir()
	capacityHostileCases()[len(capacityHostileCases())-1].setup(t, dir)
	spec, err := settings.ParseNodeCapacity("cpu=9999999999999999999Ei,memory=1Gi,pods=9999999999999999999Ei,count=100000")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []workspace.Settings{{}, {Nodes: []settings.NodeSpec{spec}}} {
		res, err := Run(Options{Paths: []string{dir}, Settings: s})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range res.Findings {
			if !strings.Contains(f.Rule, "capacity") {
				continue
			}
			n++
			t.Logf("%s:%d: %s", f.File, f.Line, f.Text())
			if strings.Contains(f.Text(), "-9") || strings.Contains(f.Text(), "(-") || strings.Contains(f.Text(), "9223372036854775807") {
				t.Errorf("a count overflowed: %s", f.Text())
			}
		}
		if n == 0 {
			t.Errorf("no capacity finding with %+v", s)
		}
	}
}

func benchCluster(b *testing.B, nodes, deployments int, mode string) {
	dir := b.TempDir()
	clusterTree(b, dir, nodes, deployments, mode)
	benchRun(b, Options{Paths: []string{dir}}, 2)
}

// Deployments and Nodes at two sizes a factor 4 apart: linear, the time per
// op grows 4×, not 16× (make bench).
func BenchmarkCapacityDistinctTaints1k(b *testing.B)          { benchCluster(b, 1000, 1000, "distinct-taints") }
func BenchmarkCapacityDistinctTaints4k(b *testing.B)          { benchCluster(b, 4000, 4000, "distinct-taints") }
func BenchmarkCapacityFits1kDeployments250Nodes(b *testing.B) { benchCluster(b, 250, 1000, "fits") }
func BenchmarkCapacityFits4kDeployments1kNodes(b *testing.B)  { benchCluster(b, 1000, 4000, "fits") }
func BenchmarkCapacityNowhere2500(b *testing.B)               { benchCluster(b, 2500, 2500, "nowhere") }
func BenchmarkCapacityNowhere10k(b *testing.B)                { benchCluster(b, 10000, 10000, "nowhere") }
func BenchmarkCapacityTainted2500(b *testing.B)               { benchCluster(b, 2500, 2500, "tainted") }
func BenchmarkCapacityTainted10k(b *testing.B)                { benchCluster(b, 10000, 10000, "tainted") }
func BenchmarkCapacityDistinct2500(b *testing.B)              { benchCluster(b, 2500, 2500, "distinct") }
func BenchmarkCapacityDistinct10k(b *testing.B)               { benchCluster(b, 10000, 10000, "distinct") }
func BenchmarkCapacityPinned2500(b *testing.B)                { benchCluster(b, 1250, 2500, "pinned") }
func BenchmarkCapacityPinned10k(b *testing.B)                 { benchCluster(b, 5000, 10000, "pinned") }
func BenchmarkCapacityExtended2500(b *testing.B)              { benchCluster(b, 2500, 2500, "extended") }
func BenchmarkCapacityExtended10k(b *testing.B)               { benchCluster(b, 10000, 10000, "extended") }
