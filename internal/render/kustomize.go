package render

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	k8syaml "sigs.k8s.io/yaml"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// KustomizationNames are the file names kustomize reads, in its order.
var KustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// Kustomization is one kustomization file, read for the files it names.
type Kustomization struct {
	Dir, File string
	// Dirs are the directories it uses (resources, bases, components).
	Dirs []string
	// Files are the files it names (resources, patches, generators...).
	Files []string
	// Patches are its strategic-merge patch files.
	Patches []string
	// JSONPatches are its patch files with a target (JSON 6902 patches, or
	// strategic-merge ones aimed by target).
	JSONPatches []JSONPatch
	// Remote lists remote bases or resources, with their lines.
	Remote []Problem
	// HelmCharts is the line of the helmCharts: key (0: none).
	HelmCharts int
	// Helm are its helmCharts: entries.
	Helm []HelmEntry
	// Namespace is its namespace: (which its Helm charts, and those of the
	// kustomizations it uses, are rendered in when they name none).
	Namespace string
	// helmNamespace is the namespace inherited from the kustomization that
	// uses this one, as kustomize passes it to helm.
	helmNamespace string
	data          []byte
	// BuildMetadata is set when the file asks for build metadata itself.
	BuildMetadata bool
	// Component is set for kind: Component (never built on its own).
	Component bool
	// Generated are generator inputs (files, envs) that do not exist: often
	// written by a build step, so the root is skipped, not reported.
	Generated []Problem
}

// kustomization reads the kustomization file in dir, or returns nil.
func (r *reader) kustomization(dir string) *Kustomization {
	for _, n := range KustomizationNames {
		p := filepath.Join(dir, n)
		data, err := r.read(p)
		if err != nil {
			continue
		}
		k := &Kustomization{Dir: dir, File: p, data: data}
		for _, d := range yamlx.ParseStream(yamlx.Normalize(data)) {
			if d.Root == nil {
				continue
			}
			k.read(d.Root, r)
			if k.HelmCharts > 0 || d.Root.Get("helmChartInflationGenerator") != nil {
				k.helmEntries(data, d.Root)
			}
		}
		return k
	}
	return nil
}

func isRemote(s string) bool {
	return strings.Contains(s, "://") || strings.HasPrefix(s, "github.com/") || strings.HasPrefix(s, "git@") ||
		strings.HasPrefix(s, "gitlab.com/") || strings.HasPrefix(s, "bitbucket.org/") || strings.Contains(s, "?ref=") ||
		strings.Contains(s, "?version=")
}

func (k *Kustomization) read(root *yamlx.Node, r *reader) {
	k.BuildMetadata = root.Get("buildMetadata") != nil
	k.Component = root.Get("kind").Str() == "Component"
	k.Namespace = root.Get("namespace").Str()
	if h := root.KeyNode("helmCharts"); h != nil {
		k.HelmCharts = int(h.Line)
	}
	entry := func(n *yamlx.Node, patch bool) {
		s := strings.TrimSpace(n.Str())
		if s == "" {
			return
		}
		if isRemote(s) {
			k.Remote = append(k.Remote, Problem{File: k.File, Line: int(n.Line), Column: int(n.Column),
				Msg:    fmt.Sprintf("remote base or resource %q: this kustomization is not rendered", s),
				Detail: "k8slint never fetches anything, so what this root builds is not linted",
				Fix:    "vendor the remote base into the repository, or exclude this root"})
			return
		}
		p := filepath.Join(k.Dir, filepath.FromSlash(s))
		if r.isDir(p) {
			k.Dirs = append(k.Dirs, p)
			return
		}
		k.Files = append(k.Files, p)
		if patch {
			k.Patches = append(k.Patches, p)
		}
	}
	for _, key := range []string{"resources", "bases", "components", "crds"} {
		for _, it := range root.Get(key).Items() {
			entry(it, false)
		}
	}
	for _, it := range root.Get("patchesStrategicMerge").Items() {
		if it.Kind() == yamlx.Scalar && !strings.Contains(it.Value(), "\n") {
			entry(it, true)
		}
	}
	for _, key := range []string{"patches", "patchesJson6902"} {
		for _, it := range root.Get(key).Items() {
			p := it.Get("path")
			if p == nil {
				continue
			}
			entry(p, key == "patches")
			if t := it.Get("target"); t != nil && t.Get("kind") != nil {
				k.JSONPatches = append(k.JSONPatches, JSONPatch{File: filepath.Join(k.Dir, filepath.FromSlash(p.Str())),
					Kind: t.Get("kind").Str(), Name: t.Get("name").Str()})
			}
		}
	}
	for _, gen := range []string{"configMapGenerator", "secretGenerator"} {
		for _, g := range root.Get(gen).Items() {
			for _, key := range []string{"files", "envs"} {
				for _, f := range g.Get(key).Items() {
					k.generated(f, r)
				}
			}
			if e := g.Get("env"); e != nil {
				k.generated(e, r)
			}
		}
	}
}

func (k *Kustomization) generated(n *yamlx.Node, r *reader) {
	s := n.Str()
	if _, after, ok := strings.Cut(s, "="); ok {
		s = after
	}
	p := filepath.Join(k.Dir, filepath.FromSlash(s))
	if !r.exists(p) {
		k.Generated = append(k.Generated, Problem{File: k.File, Line: int(n.Line), Column: int(n.Column),
			Msg:    fmt.Sprintf("generator input %q does not exist: this kustomization is not rendered", s),
			Detail: "kustomize build fails without it; such files are often written by a build step, so k8slint lints this root's files one by one instead"})
		return
	}
	k.Files = append(k.Files, p)
}

// JSONPatch is a patch file aimed at objects by a target.
type JSONPatch struct {
	File, Kind, Name string
}

// KustomizeResult is what building one root gave.
type KustomizeResult struct {
	Root     string
	Output   *KOutput
	Problems []Problem
	Notes    []Problem
	// Files are the files the root and its bases read (absolute): they are
	// linted through the root.
	Files []string
	// Charts are the directories of the Helm charts that its helmCharts
	// entries rendered (linted through the root).
	Charts []string
	// FailedCharts are those that did not render (their problems are
	// reported with the root's).
	FailedCharts []string
}

// kbuild is one kustomization root's build.
type kbuild struct {
	r       *reader
	project string
	opts    KustomizeOptions
	res     *KustomizeResult
	helm    map[string]*Output          // in-memory resource file -> the template output it holds
	docs    map[string][]yamlx.Document // in-memory resource file -> its objects, at template positions
}

// closure returns the kustomizations that root uses, root first, each with
// the namespace it inherits for its Helm charts.
func (r *reader) closure(root string) []*Kustomization {
	var out []*Kustomization
	seen := map[string]bool{}
	var walk func(dir, ns string)
	walk = func(dir, ns string) {
		if seen[dir] || len(out) > 1000 {
			return
		}
		seen[dir] = true
		k := r.kustomization(dir)
		if k == nil {
			return
		}
		k.helmNamespace = ns
		out = append(out, k)
		if k.Namespace != "" {
			ns = k.Namespace
		}
		for _, d := range k.Dirs {
			walk(d, ns)
		}
	}
	walk(root, "")
	return out
}

// Uses is what a kustomization directory uses.
type Uses struct {
	// Dirs are the directories it uses as bases, resources or components
	// (so they are not roots themselves).
	Dirs []string
	// Component is set for a component (never a root either).
	Component bool
	// Charts are the local chart directories its helmCharts name (rendered
	// through it, not on their own).
	Charts []string
}

// UsesOf reads the kustomization in dir (inside project).
func UsesOf(dir, project string) Uses {
	k := newReader(project).kustomization(dir)
	if k == nil {
		return Uses{}
	}
	u := Uses{Dirs: k.Dirs, Component: k.Component}
	for _, e := range k.Helm {
		if e.Name != "" {
			u.Charts = append(u.Charts, e.Dir)
		}
	}
	return u
}

// BuildKustomization builds the kustomization root (absolute) as
// `kustomize build --enable-helm` does, on an in-memory copy of the files it
// uses, all inside project (absolute), read once through a reader confined
// to it. Remote bases are reported and the root skipped; Helm charts are
// rendered with RenderChart.
func BuildKustomization(root, project string, opts KustomizeOptions) *KustomizeResult {
	res := &KustomizeResult{Root: root}
	b := &kbuild{r: newReader(project), project: project, opts: opts, res: res,
		helm: map[string]*Output{}, docs: map[string][]yamlx.Document{}}
	ks := b.r.closure(root)
	if len(ks) == 0 {
		return res
	}
	for _, k := range ks {
		res.Notes = append(res.Notes, k.Remote...)
		res.Notes = append(res.Notes, k.Generated...)
		notes, problems := k.helmNotes(b.r)
		res.Notes = append(res.Notes, notes...)
		res.Problems = append(res.Problems, problems...)
		res.Files = append(res.Files, k.File)
		res.Files = append(res.Files, k.Files...)
	}
	if len(res.Notes) > 0 || len(res.Problems) > 0 {
		return res
	}
	fs := filesys.MakeFsInMemory()
	var patches []string
	var jsonPatches []JSONPatch
	for _, k := range ks {
		patches = append(patches, k.Patches...)
		jsonPatches = append(jsonPatches, k.JSONPatches...)
		dirs := map[string]bool{k.Dir: true}
		for _, f := range k.Files {
			dirs[filepath.Dir(f)] = true
		}
		for d := range dirs {
			if !under(d, project) {
				continue
			}
			entries, _ := os.ReadDir(d)
			for _, e := range entries {
				p := filepath.Join(d, e.Name())
				if e.IsDir() || isKustomization(ks, p) {
					continue
				}
				data, err := b.r.read(p)
				if err != nil {
					continue
				}
				_ = fs.MkdirAll(d)
				_ = fs.WriteFile(p, data)
			}
		}
	}
	for i, k := range ks {
		var charts []string
		if len(k.Helm) > 0 {
			var ok bool
			if charts, ok = b.inflate(k, fs); !ok {
				return res
			}
		}
		_ = fs.MkdirAll(k.Dir)
		_ = fs.WriteFile(k.File, fixed(k.data, i == 0 && !k.BuildMetadata, charts))
	}
	kopts := krusty.MakeDefaultOptions()
	// as kustomize build orders its output: by the kustomization's
	// sortOptions, else the legacy order (Namespaces first...); so the
	// Helm charts' objects, which kustomize's generator adds after the
	// configMapGenerator's and secretGenerator's, print in the same order
	kopts.Reorder = krusty.ReorderOptionUnspecified
	// Files outside the root are allowed (kustomize build --load-restrictor
	// LoadRestrictionsNone): the in-memory tree holds only project files.
	kopts.LoadRestrictions = types.LoadRestrictionsNone
	m, err := krusty.MakeKustomizer(kopts).Run(fs, root)
	if err != nil {
		line, col := entryLine(ks, err.Error())
		res.Problems = append(res.Problems, Problem{File: ks[0].File, Line: line, Column: col,
			Msg:    "kustomize build fails: " + relPaths(oneLine(err.Error()), root, project),
			Detail: "kubectl apply -k and kustomize build fail the same way, so nothing of this root is linted"})
		return res
	}
	out, err := m.AsYaml()
	if err != nil {
		res.Problems = append(res.Problems, Problem{File: ks[0].File, Line: 1, Column: 1, Msg: "kustomize build output: " + oneLine(err.Error())})
		return res
	}
	sort.Strings(patches)
	res.Output = &KOutput{Path: filepath.Join(root, "(kustomize build)"), Text: out, root: root, patches: patches, jsonPatches: jsonPatches,
		keepOrigin: ks[0].BuildMetadata, read: b.r.read, files: b.docs, helm: b.helm}
	return res
}

// isKustomization reports whether p is the kustomization file of one of ks
// (written into the build rewritten, with fixed).
func isKustomization(ks []*Kustomization, p string) bool {
	for _, k := range ks {
		if k.File == p {
			return true
		}
	}
	return false
}

func under(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+string(filepath.Separator))
}

// fixed rewrites a kustomization in memory as kustomize edit fix does
// (bases into resources, patchesStrategicMerge into patches...), so that
// krusty prints no deprecation warning on standard error, and for the root
// adds buildMetadata: [originAnnotations]. The user's file is not touched.
//
//nolint:staticcheck // moving the deprecated fields to their successors is the point
func fixed(data []byte, origin bool, charts []string) []byte {
	var k types.Kustomization
	if err := k8syaml.Unmarshal(data, &k); err != nil {
		return data
	}
	k.FixKustomization()
	if len(k.HelmCharts) > 0 {
		// rendered by k8slint: their output is a resource of the
		// kustomization, after its own resources, as kustomize's generator
		// output comes after them
		k.HelmCharts, k.HelmGlobals = nil, nil
		k.Resources = append(k.Resources, charts...)
	}
	k.Patches = append(k.Patches, k.PatchesJson6902...)
	k.PatchesJson6902 = nil
	for _, p := range k.PatchesStrategicMerge {
		if ps := string(p); strings.Contains(ps, "\n") || strings.Contains(ps, ":") && !strings.HasSuffix(ps, ".yaml") && !strings.HasSuffix(ps, ".yml") {
			k.Patches = append(k.Patches, types.Patch{Patch: ps})
		} else {
			k.Patches = append(k.Patches, types.Patch{Path: ps})
		}
	}
	k.PatchesStrategicMerge = nil
	if len(k.CommonLabels) > 0 {
		k.Labels = append(k.Labels, types.Label{Pairs: k.CommonLabels, IncludeSelectors: true})
		k.CommonLabels = nil
	}
	if origin {
		k.BuildMetadata = append(k.BuildMetadata, types.OriginAnnotations)
	}
	out, err := k8syaml.Marshal(&k)
	if err != nil {
		return data
	}
	return out
}

// entryLine is the line of the root's entry (a resource, a patch...) that
// kustomize's error names ('missing.yaml'), else line 1.
func entryLine(ks []*Kustomization, msg string) (int, int) {
	for _, d := range yamlx.ParseStream(yamlx.Normalize(ks[0].data)) {
		for _, key := range []string{"resources", "bases", "components", "patchesStrategicMerge", "patches", "crds"} {
			for _, it := range d.Root.Get(key).Items() {
				v := it
				if p := it.Get("path"); p != nil {
					v = p
				}
				if s := v.Str(); s != "" && strings.Contains(msg, "'"+s+"'") {
					return int(v.Line), int(v.Column)
				}
			}
		}
	}
	return 1, 1
}

// relPaths writes the absolute paths of a kustomize message relative to the
// root (or the project), as the user sees them.
func relPaths(msg, root, project string) string {
	msg = strings.ReplaceAll(msg, root+string(filepath.Separator), "")
	msg = strings.ReplaceAll(msg, "'"+root+"'", "'.'")
	return strings.ReplaceAll(msg, project+string(filepath.Separator), "")
}
