package sched_test

import (
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/sched"
	"github.com/k8slint/k8slint/internal/settings"
	"github.com/k8slint/k8slint/internal/workspace"
)

const node = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus:\n  allocatable: {cpu: '1', memory: 2Gi, pods: '110'}\n"

func deployment(name, replicas, cpu string) string {
	return "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name + "}\nspec:\n  replicas: " + replicas +
		"\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n    spec:\n      containers:\n      - {name: c, image: i, resources: {requests: {cpu: " + cpu + "}}}\n"
}

func build(t *testing.T, s workspace.Settings, text string) *workspace.Workspace {
	t.Helper()
	b := workspace.NewBuilder(s, nil)
	b.AddManifest(load.LoadManifest("/p/m.yaml", []byte(text)))
	return b.Build()
}

// One model per unit: the constructor takes the objects of one unit, and
// two units of one workspace do not see each other's pods.
func TestNewPerUnit(t *testing.T) {
	ws := build(t, workspace.Settings{}, node+deployment("a", "3", "300m")+deployment("b", "3", "300m"))
	whole := sched.Of(ws)
	if whole != sched.Of(ws) {
		t.Fatal("Of built the model twice")
	}
	if whole.AllFit || len(whole.Workloads) != 2 {
		t.Fatalf("whole workspace: AllFit %v, %d workloads", whole.AllFit, len(whole.Workloads))
	}
	for _, tmpl := range ws.Templates {
		unit := sched.New(sched.Unit{Objects: []*workspace.Object{ws.Objects[0], tmpl.Object}, Templates: []*workspace.PodTemplate{tmpl}})
		if !unit.AllFit || unit.Workloads[0].Placed != 3 {
			t.Errorf("unit of %s: AllFit %v, placed %d", tmpl.Object.Name, unit.AllFit, unit.Workloads[0].Placed)
		}
	}
	// The whole model (3 of the 6 pods placed, one replica of each in turn) is not changed by building others.
	if w := whole.Workloads[1]; w.Left() != 2 || w.Failure == nil || !strings.Contains(w.Failure.SchedulerMessage(), "1 Insufficient cpu") {
		t.Errorf("whole workspace changed: %+v", w)
	}
}

// Node shapes replace the unit's Node objects; counts never wrap.
func TestNodeShapes(t *testing.T) {
	spec, err := settings.ParseNodeCapacity("cpu=2,count=3")
	if err != nil {
		t.Fatal(err)
	}
	ws := build(t, workspace.Settings{Nodes: []settings.NodeSpec{spec}}, node+deployment("a", "2147483647", "1"))
	m := sched.Of(ws)
	if len(m.Nodes) != 3 || m.Source != "--node-capacity cpu=2,count=3" {
		t.Fatalf("%d nodes from %q", len(m.Nodes), m.Source)
	}
	w := m.Workloads[0]
	if w.Placed != 6 || w.Left() != 2147483641 || w.Failure.Asked["cpu"] != 2147483647000 {
		t.Errorf("placed %d, left %d, asked %v", w.Placed, w.Left(), w.Failure.Asked)
	}
}
