package workspace

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// A deployment unit is a set of objects that are applied together. Rules
// that compare objects with each other (a Service and the pods it selects, a
// pod and the ConfigMap it reads, the pods that share the nodes) compare
// only objects of the same unit.
//
// Today a unit is formed from the directories of the linted tree: each
// directory that matches a `units:` glob of .k8slint.yaml (relative to the
// file's directory) is a unit of its own, with everything below it (a
// deeper matching directory is a unit of its own again); every other object
// (and the objects read from standard input) belongs to the unit of the
// whole tree, named ".". Rendered Helm charts and kustomization roots will
// become units too: a Unit carries a Source that says how it was formed.

// Unit is one deployment unit.
type Unit struct {
	// Name is "." for the tree, else the unit's directory relative to the
	// configuration file's directory ("extras/cloudsql", slash-separated).
	Name string
	// Source says how the unit was formed, for -v and messages:
	// "the linted tree" or "directory matched by units: extras/*".
	Source string
	// Dir is the unit's directory (absolute), "" for the tree unit.
	Dir string
	// Objects and Templates are the unit's objects and pod templates, in load order.
	Objects   []*Object
	Templates []*PodTemplate
	// Kustomizations are the kustomization files inside the unit.
	Kustomizations []*Kustomization

	byKey  map[objKey]*Object
	byKind map[string][]*Object
}

// Lookup finds an object of the unit by kind, namespace and name.
func (u *Unit) Lookup(kind, namespace, name string) *Object {
	return u.byKey[objKey{kind, normNS(namespace), name}]
}

// OfKind returns the unit's objects of a kind, in load order.
func (u *Unit) OfKind(kind string) []*Object { return u.byKind[kind] }

// String is "unit extras/cloudsql (directory matched by units: extras/*): 5 objects, 2 pod templates".
func (u *Unit) String() string {
	return fmt.Sprintf("unit %s (%s): %s, %s", u.Name, u.Source,
		Plural(int64(len(u.Objects)), "object", "objects"), Plural(int64(len(u.Templates)), "pod template", "pod templates"))
}

// Kustomization is a kustomization.yaml (or kustomization.yml, Kustomization)
// file of the tree, as written (not rendered).
type Kustomization struct {
	Path string
	Root *yamlx.Node
}

// IsKustomizationFile reports whether a file name is one kustomize reads.
func IsKustomizationFile(path string) bool {
	switch filepath.Base(path) {
	case "kustomization.yaml", "kustomization.yml", "Kustomization":
		return true
	}
	return false
}

// addKustomization keeps a kustomization file's first mapping document.
func (b *Builder) addKustomization(mf *load.ManifestFile) {
	if !IsKustomizationFile(mf.Path) {
		return
	}
	for _, d := range mf.Docs {
		if d.Root != nil && d.Root.Kind() == yamlx.Mapping {
			b.ws.Kustomizations = append(b.ws.Kustomizations, &Kustomization{Path: mf.Path, Root: d.Root})
			return
		}
	}
}

// Units returns the deployment units, the tree's unit first, then by name.
// Units without objects are left out.
func (ws *Workspace) Units() []*Unit { return ws.units }

// UnitOf returns the unit of an object of the workspace (nil for an object
// that is not in the workspace).
func (ws *Workspace) UnitOf(o *Object) *Unit {
	if ws.unitOf == nil { // one unit: the tree's
		if len(ws.units) == 1 {
			return ws.units[0]
		}
		return nil
	}
	return ws.unitOf[o]
}

func newUnit(name, source, dir string) *Unit {
	return &Unit{Name: name, Source: source, Dir: dir, byKey: map[objKey]*Object{}, byKind: map[string][]*Object{}}
}

// formUnits splits the objects into units (see Unit).
func (ws *Workspace) formUnits() {
	tree := newUnit(".", "the linted tree", "")
	base := ws.Settings.UnitBase
	if (len(ws.Settings.Units) == 0 || base == "") && len(ws.rendered) == 0 {
		// One unit: it shares the workspace's own lists and indexes.
		tree.Objects, tree.Templates, tree.Kustomizations = ws.Objects, ws.Templates, ws.Kustomizations
		tree.byKey, tree.byKind = ws.byKey, ws.byKind
		ws.units = nil
		if len(tree.Objects) > 0 {
			ws.units = []*Unit{tree}
		}
		return
	}
	byDir := map[string]*Unit{} // directory -> its unit (tree when none matches)
	named := map[string]*Unit{}
	var unitOfDir func(dir string) *Unit
	unitOfDir = func(dir string) *Unit {
		if u, ok := byDir[dir]; ok {
			return u
		}
		u := tree
		if rel, err := filepath.Rel(base, dir); err == nil && rel != "." && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel) {
			rel = filepath.ToSlash(rel)
			glob := ""
			for _, g := range ws.Settings.Units {
				if ok, _ := doublestar.Match(strings.TrimSuffix(g, "/"), rel); ok {
					glob = g
					break
				}
			}
			if glob != "" {
				if u = named[rel]; u == nil {
					u = newUnit(rel, "directory matched by units: "+glob, dir)
					named[rel] = u
				}
			} else if parent := filepath.Dir(dir); parent != dir {
				u = unitOfDir(parent)
			}
		}
		byDir[dir] = u
		return u
	}
	if len(ws.Settings.Units) == 0 || base == "" {
		unitOfDir = func(string) *Unit { return tree }
	}
	pick := func(file string) *Unit {
		if !filepath.IsAbs(file) {
			return tree
		}
		return unitOfDir(filepath.Dir(file))
	}
	renderedUnits := map[string]*Unit{}
	ws.unitOf = make(map[*Object]*Unit, len(ws.Objects))
	for _, o := range ws.Objects {
		var u *Unit
		if r, ok := ws.rendered[o]; ok {
			if u = renderedUnits[r.dir]; u == nil {
				name := r.dir
				for _, b := range append([]string{base}, ws.roots...) {
					if rel, err := filepath.Rel(b, r.dir); b != "" && err == nil && !strings.HasPrefix(rel, "..") {
						name = filepath.ToSlash(rel)
						break
					}
				}
				u = newUnit(name, r.source, r.dir)
				renderedUnits[r.dir] = u
				named["\x00"+r.dir] = u
			}
		} else {
			u = pick(o.File)
		}
		ws.unitOf[o] = u
		u.Objects = append(u.Objects, o)
		u.byKind[o.Kind] = append(u.byKind[o.Kind], o)
		k := objKey{o.Kind, o.Namespace, o.Name}
		if _, dup := u.byKey[k]; !dup {
			u.byKey[k] = o
		}
	}
	for _, t := range ws.Templates {
		u := ws.unitOf[t.Object]
		u.Templates = append(u.Templates, t)
	}
	for _, k := range ws.Kustomizations {
		u := pick(k.Path)
		u.Kustomizations = append(u.Kustomizations, k)
	}
	ws.units = nil
	if len(tree.Objects) > 0 {
		ws.units = append(ws.units, tree)
	}
	var rest []*Unit
	for _, u := range named {
		if len(u.Objects) > 0 {
			rest = append(rest, u)
		}
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].Name < rest[j].Name })
	ws.units = append(ws.units, rest...)
}
