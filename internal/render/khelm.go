package render

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/kio"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
	"sigs.k8s.io/kustomize/kyaml/yaml/merge2"
	k8syaml "sigs.k8s.io/yaml"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// Helm charts of a kustomization (helmCharts:) are rendered as kustomize's
// HelmChartInflationGenerator has helm render them, but with k8slint's own
// Helm path (RenderChart), never with a helm binary: the chart must be in
// the tree (chartHome, default charts/, then the chart's name); one that
// would have to be pulled from its repo is a note and the root is not built.
// Each template's output becomes a resource file of the in-memory
// kustomization, at the template's own path, so that the kustomization's
// patches and transformers apply to it as kustomize applies them to the
// generator's output, and every position maps back to the template line.

// HelmEntry is one helmCharts: entry of a kustomization.
type HelmEntry struct {
	types.HelmChart
	// Home is the chart home (helmGlobals.chartHome, default charts/) as
	// kustomize resolves it: absolute, with <name>-<version> appended when
	// both repo and version are given.
	Home string
	// Dir is the chart's directory (Home/name).
	Dir string
	// Line and Column are those of the entry's name (or of the entry).
	Line, Column int
	// inline is the valuesInline mapping of the entry, for positions.
	inline *yamlx.Node
}

// helmEntries reads the helmCharts (and the deprecated
// helmChartInflationGenerator) of a kustomization file with kustomize's own
// types, as kustomize reads them.
func (k *Kustomization) helmEntries(data []byte, root *yamlx.Node) {
	var kz types.Kustomization
	if err := kz.Unmarshal(data); err != nil {
		return // kustomize build reports it
	}
	kz.FixKustomization() // helmChartInflationGenerator into helmCharts, after them
	var items []*yamlx.Node
	for _, list := range []string{"helmCharts", "helmChartInflationGenerator"} {
		for _, it := range root.Get(list).Items() {
			items = append(items, it)
		}
	}
	home := types.HelmDefaultHome
	if kz.HelmGlobals != nil && kz.HelmGlobals.ChartHome != "" {
		home = kz.HelmGlobals.ChartHome
	}
	for i, c := range kz.HelmCharts {
		e := HelmEntry{HelmChart: c, Line: k.HelmCharts, Column: 1}
		if i < len(items) {
			n := items[i]
			e.Line, e.Column = int(n.Line), int(n.Column)
			nn := n.Get("name")
			if nn == nil {
				nn = n.Get("chartName")
			}
			if nn != nil {
				e.Line, e.Column = int(nn.Line), int(nn.Column)
			}
			e.inline = n.Get("valuesInline")
			if e.inline == nil {
				e.inline = n.Get("valuesLocal")
			}
		}
		e.Home = home
		if !filepath.IsAbs(home) {
			e.Home = filepath.Join(k.Dir, filepath.FromSlash(home))
		}
		if c.Version != "" && c.Repo != "" {
			e.Home = filepath.Join(e.Home, c.Name+"-"+c.Version)
		}
		e.Dir = filepath.Join(e.Home, c.Name)
		k.Helm = append(k.Helm, e)
	}
}

// helmNotes checks the entries before anything is rendered: a chart that is
// not in the tree is a note (it would be pulled) or an error (it cannot be).
func (k *Kustomization) helmNotes(r *reader) (notes, problems []Problem) {
	for _, e := range k.Helm {
		at := func(msg, detail, fix string) Problem {
			return Problem{File: k.File, Line: e.Line, Column: e.Column, Msg: msg, Detail: detail, Fix: fix}
		}
		switch {
		case e.Name == "":
			problems = append(problems, at("kustomize build fails: chart name cannot be empty", "", "give the chart's name (name:)"))
		case r.isDir(e.Dir):
			if e.ValuesMerge != "" && !slices.Contains([]string{"merge", "override", "replace"}, e.ValuesMerge) {
				problems = append(problems, at(fmt.Sprintf("kustomize build fails: valuesMerge must be one of [merge override replace], not %q", e.ValuesMerge), "", "write merge, override (the default) or replace"))
			}
			for _, f := range append([]string{e.ValuesFile}, e.AdditionalValuesFiles...) {
				if f != "" && isRemote(f) {
					notes = append(notes, at(fmt.Sprintf("remote values file %q of helm chart %q: this kustomization is not rendered", f, e.Name),
						"k8slint never fetches anything, so what this root builds is not linted", "put the values file into the repository"))
				}
			}
		case e.Repo != "":
			notes = append(notes, at(fmt.Sprintf("helm chart %q is not in the tree (%s): this kustomization is not rendered", e.Name, rel(k.Dir, e.Dir)),
				fmt.Sprintf("kustomize build --enable-helm would pull it from %s; k8slint never fetches anything, so what this root builds is not linted", e.Repo),
				fmt.Sprintf("vendor the chart (%s), or exclude this root", pullCommand(e, rel(k.Dir, e.Home)))))
		default:
			problems = append(problems, at(fmt.Sprintf("helm chart %q is not in the tree (%s) and names no repo", e.Name, rel(k.Dir, e.Dir)),
				"kustomize build --enable-helm fails (no repo specified for pull, no chart found), so nothing of this root is linted",
				fmt.Sprintf("put the chart under %s, set helmGlobals.chartHome to where it is, or give its repo:", rel(k.Dir, e.Home))))
		}
	}
	return notes, problems
}

// pullCommand is the helm pull that kustomize would run for e, as the
// command a user runs once to vendor the chart.
func pullCommand(e HelmEntry, home string) string {
	ref := e.Name + " --repo " + e.Repo
	if strings.HasPrefix(e.Repo, "oci://") {
		ref = strings.TrimSuffix(e.Repo, "/") + "/" + e.Name
	}
	cmd := "helm pull " + ref
	if e.Version != "" {
		cmd += " --version " + e.Version
	}
	return cmd + " --untar --untardir " + home
}

func rel(dir, p string) string {
	if r, err := filepath.Rel(dir, p); err == nil {
		return filepath.ToSlash(r)
	}
	return p
}

// KustomizeOptions are the inputs of a kustomization build.
type KustomizeOptions struct {
	// KubeVersion is the default .Capabilities.KubeVersion of its Helm
	// charts (an entry's kubeVersion wins).
	KubeVersion string
}

// inflate renders the helmCharts of k and writes each template's output
// into fs as a resource file; it returns the resource paths (relative to
// k.Dir, in order) that replace the entries.
func (b *kbuild) inflate(k *Kustomization, fs filesys.FileSystem) ([]string, bool) {
	var resources []string
	ok := true
	for _, e := range k.Helm {
		cr, good := b.renderEntry(k, e)
		if !good {
			ok = false
			continue
		}
		b.res.Charts = append(b.res.Charts, cr.Dir)
		for _, o := range cr.Outputs {
			path, text, good := b.resourceFile(o, e, fs)
			if !good {
				b.res.FailedCharts = append(b.res.FailedCharts, e.Dir)
				ok = false
				continue
			}
			if text == nil {
				continue
			}
			_ = fs.MkdirAll(filepath.Dir(path))
			_ = fs.WriteFile(path, text)
			resources = append(resources, rel(k.Dir, path))
		}
	}
	return resources, ok
}

// renderEntry renders one entry with its values as kustomize passes them
// to helm template: the values file (the chart's values.yaml by default)
// merged with valuesInline as valuesMerge says, then the additional values
// files, over the chart's values.yaml.
func (b *kbuild) renderEntry(k *Kustomization, e HelmEntry) (*ChartResult, bool) {
	fail := func(msg string) (*ChartResult, bool) {
		b.res.Problems = append(b.res.Problems, Problem{File: k.File, Line: e.Line, Column: e.Column,
			Msg:    "kustomize build fails: " + relPaths(msg, k.Dir, b.project),
			Detail: "kustomize build --enable-helm fails the same way, so nothing of this root is linted"})
		return nil, false
	}
	vfile := e.ValuesFile
	if vfile == "" {
		vfile = filepath.Join(e.Dir, "values.yaml")
	} else if !filepath.IsAbs(vfile) {
		vfile = filepath.Join(k.Dir, filepath.FromSlash(vfile))
	}
	data, err := b.r.read(vfile)
	if err != nil {
		return fail(fmt.Sprintf("helm chart %q: values file: %v", e.Name, err))
	}
	b.res.Files = append(b.res.Files, vfile)
	var index []valuesFile
	inline := func() {
		if e.inline != nil {
			index = append(index, valuesFile{path: k.File, root: e.inline})
		}
	}
	fileRoot := parseValues(data)
	file := func() {
		if fileRoot != nil {
			index = append(index, valuesFile{path: vfile, root: fileRoot})
		}
	}
	mode := e.ValuesMerge
	if mode == "" {
		mode = "override"
	}
	if len(e.ValuesInline) > 0 {
		if mode == "merge" || mode == "override" {
			merged, err := mergeInline(data, e.ValuesInline, mode)
			if err != nil {
				return fail(fmt.Sprintf("helm chart %q: %v", e.Name, err))
			}
			data = merged
			if mode == "override" {
				inline()
				file()
			} else {
				file()
				inline()
			}
		} else {
			data, err = k8syaml.Marshal(e.ValuesInline)
			if err != nil {
				return fail(fmt.Sprintf("helm chart %q: %v", e.Name, err))
			}
			inline()
		}
	} else {
		file()
	}
	vals, err := loader.LoadValues(strings.NewReader(string(data)))
	if err != nil {
		return fail(fmt.Sprintf("helm chart %q: values do not parse: %v", e.Name, oneLine(err.Error())))
	}
	for _, f := range e.AdditionalValuesFiles {
		p := f
		if !filepath.IsAbs(p) {
			p = filepath.Join(k.Dir, filepath.FromSlash(f))
		}
		add, err := b.r.read(p)
		if err != nil {
			return fail(fmt.Sprintf("could not load additionalValuesFile: %v", err))
		}
		b.res.Files = append(b.res.Files, p)
		m, err := loader.LoadValues(strings.NewReader(string(add)))
		if err != nil {
			return fail(fmt.Sprintf("helm chart %q: values file %s does not parse: %v", e.Name, f, oneLine(err.Error())))
		}
		vals = loader.MergeMaps(vals, m)
		if root := parseValues(add); root != nil {
			index = append([]valuesFile{{path: p, root: root}}, index...)
		}
	}
	kube := e.KubeVersion
	if kube == "" {
		kube = b.opts.KubeVersion
	}
	// the entry's namespace, else the kustomization's, else the one
	// inherited from the kustomization that uses it (as kustomize passes it)
	ns := e.Namespace
	if ns == "" {
		ns = k.Namespace
	}
	if ns == "" {
		ns = k.helmNamespace
	}
	cr := RenderChart(e.Dir, ChartOptions{Release: e.ReleaseName, Namespace: ns, KubeVersion: strings.TrimPrefix(kube, "v"),
		APIVersions: e.ApiVersions, IncludeCRDs: e.IncludeCRDs, Project: b.project, user: vals, userIndex: index})
	b.res.Notes = append(b.res.Notes, cr.Notes...)
	for _, p := range cr.Problems {
		p.Detail = "helm template fails the same way, so kustomize build --enable-helm fails and nothing of this root is linted"
		b.res.Problems = append(b.res.Problems, p)
	}
	if len(cr.Notes) > 0 || len(cr.Problems) > 0 {
		b.res.FailedCharts = append(b.res.FailedCharts, e.Dir)
		return nil, false
	}
	return cr, true
}

// mergeInline merges valuesInline with the values file as kustomize does
// (merge2.Merge, the inline values over the file's for override, under
// them for merge), and marshals the result as the values file helm reads.
func mergeInline(file []byte, inline map[string]any, mode string) ([]byte, error) {
	ch, err := kyaml.Parse(string(file))
	if err != nil {
		return nil, fmt.Errorf("could not parse values file into rnode: %w", err)
	}
	in, err := kyaml.FromMap(inline)
	if err != nil {
		return nil, fmt.Errorf("could not parse values inline into rnode: %w", err)
	}
	var out *kyaml.RNode
	if mode == "override" {
		out, err = merge2.Merge(in, ch.Copy(), kyaml.MergeOptions{})
	} else {
		out, err = merge2.Merge(ch, in.Copy(), kyaml.MergeOptions{})
	}
	if err != nil {
		return nil, fmt.Errorf("could not merge values: %w", err)
	}
	m, err := out.Map()
	if err != nil {
		return nil, fmt.Errorf("could not parse merged values into map: %w", err)
	}
	return k8syaml.Marshal(m)
}

func parseValues(data []byte) *yamlx.Node {
	for _, d := range yamlx.ParseStream(yamlx.Normalize(data)) {
		if d.Root != nil {
			return d.Root
		}
	}
	return nil
}

// resourceFile turns one rendered template into the text of a resource
// file: its objects as kustomize reads helm's output, each marked as
// generated by helm (kustomize's namespace transformer leaves those
// alone), hooks and tests dropped as skipHooks and skipTests say. It
// records the template's positions for the mapping back. A template that
// renders invalid YAML is a problem (helm's output would not parse).
func (b *kbuild) resourceFile(o *Output, e HelmEntry, fs filesys.FileSystem) (string, []byte, bool) {
	docs := yamlx.ParseStream(o.Text)
	o.Remap(docs)
	for _, d := range docs {
		if d.Err != nil {
			b.res.Problems = append(b.res.Problems, Problem{File: o.Path, Line: d.Err.Line, Column: d.Err.Column,
				Msg: "the template renders invalid YAML: " + d.Err.Msg})
			return "", nil, false
		}
	}
	nodes, err := kio.FromBytes(o.Text)
	if err != nil {
		b.res.Problems = append(b.res.Problems, Problem{File: o.Path, Line: 1, Column: 1, Msg: "the template's output does not read as resources: " + oneLine(err.Error())})
		return "", nil, false
	}
	var keep []*kyaml.RNode
	for _, n := range nodes {
		if n.IsNilOrEmpty() {
			continue
		}
		hook := n.GetAnnotations()["helm.sh/hook"]
		if hook != "" && e.SkipHooks || e.SkipTests && isTestHook(hook) {
			continue
		}
		if err := n.PipeE(kyaml.SetAnnotation(konfig.HelmGeneratedAnnotation, "true")); err != nil {
			continue
		}
		keep = append(keep, n)
	}
	if len(keep) == 0 {
		return "", nil, true
	}
	text, err := kio.StringAll(keep)
	if err != nil {
		return "", nil, true
	}
	path := o.Path
	for fs.Exists(path) {
		path += ".rendered.yaml"
	}
	b.helm[path] = o
	b.docs[path] = docs
	return path, []byte(text), true
}

func isTestHook(hook string) bool {
	for _, h := range strings.Split(hook, ",") {
		if h = strings.TrimSpace(h); h == "test" || h == "test-success" {
			return true
		}
	}
	return false
}
