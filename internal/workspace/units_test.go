package workspace

import (
	"slices"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/load"
)

func TestUnits(t *testing.T) {
	cm := func(name string) string { return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\n" }
	files := map[string]string{
		"/r/base/a.yaml":                   cm("a"),
		"/r/main.yaml":                     cm("main"),
		"/r/extras/pg/pg.yaml":             cm("pg"),
		"/r/extras/pg/deep/more.yaml":      cm("more"),
		"/r/extras/sql/sql.yaml":           cm("sql"),
		"/r/extras/sql/kustomization.yaml": "resources: [sql.yaml]\n",
		"/r/extras/empty/x.txt":            "",
	}
	for _, tc := range []struct {
		name  string
		units []string
		want  string // unit: names of its objects
	}{
		{"no units: one unit", nil, ".: a main more pg sql"},
		{"extras/*", []string{"extras/*"}, ".: a main | extras/pg: more pg | extras/sql: sql"},
		{"deeper unit of its own", []string{"extras/*", "extras/*/deep"}, ".: a main | extras/pg: pg | extras/pg/deep: more | extras/sql: sql"},
		{"doublestar", []string{"extras/**"}, ".: a main | extras/pg: pg | extras/pg/deep: more | extras/sql: sql"},
		{"no match", []string{"nothing/*"}, ".: a main more pg sql"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBuilder(Settings{Units: tc.units, UnitBase: "/r"}, nil)
			for _, p := range []string{"/r/base/a.yaml", "/r/main.yaml", "/r/extras/pg/pg.yaml", "/r/extras/pg/deep/more.yaml", "/r/extras/sql/sql.yaml", "/r/extras/sql/kustomization.yaml"} {
				b.AddManifest(load.LoadManifest(p, []byte(files[p])))
			}
			ws := b.Build()
			var got []string
			for _, u := range ws.Units() {
				var names []string
				for _, o := range u.Objects {
					names = append(names, o.Name)
					if ws.UnitOf(o) != u {
						t.Errorf("UnitOf(%s) = %v, want %s", o.Name, ws.UnitOf(o), u.Name)
					}
					if u.Lookup("ConfigMap", "", o.Name) != o {
						t.Errorf("unit %s: Lookup(%s) failed", u.Name, o.Name)
					}
				}
				slices.Sort(names)
				got = append(got, u.Name+": "+strings.Join(names, " "))
			}
			if g := strings.Join(got, " | "); g != tc.want {
				t.Errorf("units = %s\nwant    %s", g, tc.want)
			}
			if len(ws.Kustomizations) != 1 {
				t.Errorf("kustomizations = %d, want 1", len(ws.Kustomizations))
			}
		})
	}
}
