// Package render renders Helm charts and kustomizations offline, with Helm's
// and kustomize's own Go libraries, and maps every position of the rendered
// YAML back to the template or patch line that wrote it. It never runs a
// process, never opens a connection and never reads a file outside the
// chart directory or the project.
package render

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/engine"
	"helm.sh/helm/v4/pkg/strvals"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// Defaults of `helm template`.
const (
	DefaultRelease   = "release-name"
	DefaultNamespace = "default"
)

// ChartOptions are the inputs of one chart's rendering.
type ChartOptions struct {
	// Release and Namespace default to helm template's ("release-name", "default").
	Release, Namespace string
	// KubeVersion is .Capabilities.KubeVersion ("1.33" or "v1.33.0"); empty is Helm's default.
	KubeVersion string
	// ValuesFiles are extra values files (absolute), applied after values.yaml in order.
	ValuesFiles []string
	// Set are --set style assignments ("a.b=1"), applied last.
	Set []string
	// Project is the project root (absolute): a chart holding a link whose
	// real path lies outside it is not rendered, since Helm's loader follows
	// links and the target's content could reach a message.
	Project string
	// APIVersions are added to .Capabilities.APIVersions (--api-versions).
	APIVersions []string
	// IncludeCRDs renders the charts' crds/ files too (--include-crds).
	IncludeCRDs bool

	// user are values given in memory (a kustomization's helmCharts entry:
	// its values file and valuesInline as kustomize merges them), applied
	// before ValuesFiles; userIndex says where they are written, highest
	// precedence first.
	user      map[string]any
	userIndex []valuesFile
}

// Problem is a chart that does not render, at the file and line that says why.
type Problem struct {
	File         string
	Line, Column int
	Msg          string
	Detail, Fix  string
	Related      []Location
}

// Location is a related file position.
type Location struct {
	File         string
	Line, Column int
	Msg          string
}

// Output is one rendered file: YAML text and the map from its lines to the
// source lines.
type Output struct {
	// Path is the source file the text came from (a template, or for a chart
	// archive <archive>/<path inside it>).
	Path string
	// Text is the rendered YAML, markers removed.
	Text []byte
	// Source is the source file's text (for suppression comments and columns).
	Source []byte

	marks   stripped
	srcLine []string // the source file's lines
	fileIdx int
	values  *valuesIndex
	// Unit names the deployment unit (the chart or kustomization root directory).
	Unit string
}

// ChartResult is what rendering one chart gave.
type ChartResult struct {
	Dir      string
	Outputs  []*Output
	Problems []Problem
	// Notes are informational findings (a remote base skipped...).
	Notes []Problem
}

var helmErrRe = regexp.MustCompile(`([\w.@+\-/]+\.(?:ya?ml|tpl|txt|json)):(\d+)(?::(\d+))?`)

// RenderChart renders the chart in dir (absolute) as `helm template` does,
// offline: no lookup against a cluster (it returns empty), no dependency
// download. A template that fails is reported and the chart rendered again
// without it, so that the other templates are still linted.
func RenderChart(dir string, opts ChartOptions) *ChartResult {
	res := &ChartResult{Dir: dir}
	if link := linkOutside(dir, opts.Project); link != "" {
		res.Notes = append(res.Notes, Problem{File: link, Line: 1, Column: 1,
			Msg: "the chart holds a symbolic link to a path outside the project root, so it is not rendered (Helm's loader would read the link's target)"})
		return res
	}
	ch, err := loader.Load(dir)
	if err != nil {
		res.Problems = append(res.Problems, Problem{File: filepath.Join(dir, "Chart.yaml"), Line: 1, Column: 1, Msg: "chart does not load: " + err.Error()})
		return res
	}
	if !checkDependencies(dir, ch, res) {
		return res
	}
	vi, vals, verrs := chartValues(dir, ch, opts)
	if verrs != nil {
		res.Problems = append(res.Problems, Problem{File: verrs.file, Line: max(verrs.line, 1), Column: 1, Msg: verrs.msg})
		return res
	}
	if err := chartutil.ProcessDependencies(ch, vals); err != nil {
		res.Problems = append(res.Problems, Problem{File: filepath.Join(dir, "Chart.yaml"), Line: 1, Column: 1, Msg: "dependencies: " + err.Error()})
		return res
	}
	caps := common.DefaultCapabilities.Copy()
	caps.APIVersions = append(caps.APIVersions, opts.APIVersions...)
	if opts.KubeVersion != "" {
		kv := opts.KubeVersion
		if strings.Count(kv, ".") == 1 {
			kv += ".0"
		}
		if v, err := common.ParseKubeVersion(kv); err == nil {
			caps.KubeVersion = *v
		}
	}
	if ch.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(ch.Metadata.KubeVersion, caps.KubeVersion.String()) {
		line, col := yamlKeyLine(filepath.Join(dir, "Chart.yaml"), "kubeVersion")
		res.Problems = append(res.Problems, Problem{File: filepath.Join(dir, "Chart.yaml"), Line: line, Column: col,
			Msg: fmt.Sprintf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", ch.Metadata.KubeVersion, caps.KubeVersion.Version)})
		return res
	}
	rel := common.ReleaseOptions{Name: or(opts.Release, DefaultRelease), Namespace: or(opts.Namespace, DefaultNamespace), Revision: 1, IsInstall: true}
	rv, verr := util.ToRenderValues(ch, vals, rel, caps)
	if verr != nil {
		res.Problems = append(res.Problems, schemaProblem(dir, vi, verr))
		return res
	}

	// Annotate every template, remembering where each came from.
	srcs := newSources(dir)
	var files []*tplFile
	annotateChart(ch, srcs, vi, &files)

	var rendered map[string]string
	for attempt := 0; ; attempt++ {
		var e engine.Engine
		rendered, err = e.RenderWithContext(context.Background(), ch, rv)
		if err == nil {
			break
		}
		p, name := renderProblem(err, files, dir)
		res.Problems = append(res.Problems, p)
		if attempt >= 20 || name == "" || !dropTemplate(ch, name) {
			return res
		}
	}
	if opts.IncludeCRDs {
		res.Outputs = append(res.Outputs, crdOutputs(ch, srcs, len(files))...)
	}
	names := make([]string, 0, len(rendered))
	for k := range rendered {
		names = append(names, k)
	}
	sort.Strings(names)
	byName := map[string]*tplFile{}
	for _, f := range files {
		byName[f.name] = f
	}
	for _, name := range names {
		text := rendered[name]
		f := byName[name]
		if f == nil || strings.HasSuffix(name, "NOTES.txt") || strings.TrimSpace(stripMarkers(text)) == "" {
			continue
		}
		s := strip(text)
		res.Outputs = append(res.Outputs, &Output{Path: f.path, Text: []byte(s.text), Source: f.src, marks: s,
			srcLine: strings.Split(string(f.src), "\n"), fileIdx: f.idx, values: f.values, Unit: dir})
	}
	return res
}

// crdOutputs are the files of the crds/ directories of ch and its
// subcharts, as helm template --include-crds prints them (first, as they
// are: they are not templates).
func crdOutputs(ch *chart.Chart, srcs *sources, idx int) []*Output {
	var out []*Output
	for _, f := range ch.Files {
		if f == nil || !strings.HasPrefix(f.Name, "crds/") || !isYAMLName(f.Name) || strings.HasSuffix(strings.ToLower(f.Name), ".tpl") {
			continue
		}
		text := string(f.Data)
		lines := strings.Split(text, "\n")
		s := stripped{text: text, marks: make([][]mark, len(lines))}
		for i, l := range lines {
			s.marks[i] = []mark{{col: len(l), file: idx, line: i + 1}}
		}
		out = append(out, &Output{Path: srcs.path(ch, f.Name), Text: f.Data, Source: f.Data, marks: s, srcLine: lines, fileIdx: idx, Unit: srcs.root})
		idx++
	}
	for _, d := range ch.Dependencies() {
		out = append(out, crdOutputs(d, srcs, idx+len(out))...)
	}
	return out
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// tplFile is one template of a chart or subchart.
type tplFile struct {
	name   string // the engine's name: web/charts/db/templates/x.yaml
	path   string // the file on disk (or inside an archive)
	src    []byte
	idx    int
	values *valuesIndex
}

// annotateChart adds position markers to the templates of ch and its subcharts.
func annotateChart(ch *chart.Chart, srcs *sources, vi *valuesIndex, files *[]*tplFile) {
	for _, t := range ch.Templates {
		if t == nil {
			continue
		}
		name := path.Join(ch.ChartFullPath(), t.Name)
		f := &tplFile{name: name, path: srcs.path(ch, t.Name), src: t.Data, idx: len(*files), values: vi}
		*files = append(*files, f)
		if strings.HasPrefix(path.Base(t.Name), "_") || !isYAMLName(t.Name) {
			continue
		}
		t.Data = []byte(annotate(string(t.Data), f.idx))
	}
	for _, d := range ch.Dependencies() {
		dir := srcs.dir(d)
		if _, err := os.Stat(dir); err != nil {
			dir = "" // inside an archive
		}
		annotateChart(d, srcs, vi.sub(d.Name(), dir), files)
	}
}

func isYAMLName(n string) bool {
	l := strings.ToLower(n)
	return strings.HasSuffix(l, ".yaml") || strings.HasSuffix(l, ".yml") || strings.HasSuffix(l, ".tpl") || strings.HasSuffix(l, ".json")
}

func stripMarkers(s string) string { return strip(s).text }

// dropTemplate removes the template the engine names (chart-qualified) so
// that the chart renders without it.
func dropTemplate(ch *chart.Chart, name string) bool {
	for i, t := range ch.Templates {
		if t != nil && path.Join(ch.ChartFullPath(), t.Name) == name {
			ch.Templates = append(ch.Templates[:i:i], ch.Templates[i+1:]...)
			return true
		}
	}
	for _, d := range ch.Dependencies() {
		if dropTemplate(d, name) {
			return true
		}
	}
	return false
}

// renderProblem places a rendering error at the template position Helm's
// message names (template: web/templates/deployment.yaml:31:20: ...).
func renderProblem(err error, files []*tplFile, dir string) (Problem, string) {
	msg := oneLine(stripMarkers(err.Error()))
	p := Problem{File: filepath.Join(dir, "Chart.yaml"), Line: 1, Column: 1, Msg: msg,
		Detail: "helm template and helm install fail the same way; the chart's other templates are linted without this one"}
	for _, m := range helmErrRe.FindAllStringSubmatch(msg, -1) {
		for _, f := range files {
			if f.name == m[1] {
				p.File = f.path
				p.Line, _ = strconv.Atoi(m[2])
				if m[3] != "" {
					p.Column, _ = strconv.Atoi(m[3])
				}
				p.Line, p.Column = max(p.Line, 1), max(p.Column, 1)
				return p, f.name
			}
		}
	}
	return p, ""
}

// checkDependencies reports the Chart.yaml dependencies that charts/ lacks
// (helm template fails on them; k8slint never downloads one).
func checkDependencies(dir string, ch *chart.Chart, res *ChartResult) bool {
	ok := true
	for _, req := range ch.Metadata.Dependencies {
		found := false
		for _, d := range ch.Dependencies() {
			if d.Name() == req.Name {
				found = true
			}
		}
		if found {
			continue
		}
		ok = false
		file := filepath.Join(dir, "Chart.yaml")
		line, col := dependencyLine(file, req.Name)
		where := "a repository"
		if req.Repository != "" {
			where = req.Repository
		}
		res.Problems = append(res.Problems, Problem{File: file, Line: line, Column: col,
			Msg:    fmt.Sprintf("dependency %q is in Chart.yaml but missing from charts/", req.Name),
			Detail: fmt.Sprintf("helm template and helm install fail (found in Chart.yaml, but missing in charts/ directory: %s), and k8slint never downloads a chart, so none of this chart's templates is linted", req.Name),
			Fix:    fmt.Sprintf("run helm dependency build (it fetches it from %s) and commit charts/, or disable the chart in the charts: section of .k8slint.yaml", where)})
	}
	return ok
}

func dependencyLine(file, name string) (int, int) {
	data, err := os.ReadFile(file)
	if err != nil {
		return 1, 1
	}
	for _, d := range yamlx.ParseStream(yamlx.Normalize(data)) {
		for _, dep := range d.Root.Get("dependencies").Items() {
			if n := dep.Get("name"); n != nil && n.Value() == name {
				return int(n.Line), int(n.Column)
			}
		}
	}
	return 1, 1
}

func yamlKeyLine(file, key string) (int, int) {
	data, err := os.ReadFile(file)
	if err != nil {
		return 1, 1
	}
	for _, d := range yamlx.ParseStream(yamlx.Normalize(data)) {
		if n := d.Root.Get(key); n != nil {
			return int(n.Line), int(n.Column)
		}
	}
	return 1, 1
}

// sources finds the file of each template: a chart directory's own, a
// subchart directory's under charts/, or a path inside a .tgz under charts/.
type sources struct {
	root string
	dirs map[*chart.Chart]string
}

func newSources(root string) *sources {
	return &sources{root: root, dirs: map[*chart.Chart]string{}}
}

func (s *sources) dir(ch *chart.Chart) string {
	if d, ok := s.dirs[ch]; ok {
		return d
	}
	if ch.IsRoot() {
		s.dirs[ch] = s.root
		return s.root
	}
	parent := s.dir(ch.Parent())
	d := filepath.Join(parent, "charts", ch.Name())
	if st, err := os.Stat(filepath.Join(d, "Chart.yaml")); err != nil || st.IsDir() {
		d = ""
		entries, _ := os.ReadDir(filepath.Join(parent, "charts"))
		for _, e := range entries {
			p := filepath.Join(parent, "charts", e.Name())
			if e.IsDir() && chartName(p) == ch.Name() {
				d = p
				break
			}
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".tgz") && strings.HasPrefix(e.Name(), ch.Name()+"-") {
				d = filepath.Join(p, ch.Name()) // inside the archive
				break
			}
		}
		if d == "" {
			d = filepath.Join(parent, "charts", ch.Name())
		}
	}
	s.dirs[ch] = d
	return d
}

func (s *sources) path(ch *chart.Chart, name string) string {
	return filepath.Join(s.dir(ch), filepath.FromSlash(name))
}

func chartName(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return ""
	}
	for _, d := range yamlx.ParseStream(yamlx.Normalize(data)) {
		return d.Root.Get("name").Str()
	}
	return ""
}

// parseSet applies --set style values.
func parseSet(set []string, into map[string]any) error {
	for _, s := range set {
		if err := strvals.ParseInto(s, into); err != nil {
			return err
		}
	}
	return nil
}

var schemaPathRe = regexp.MustCompile(`at '(/[^']*)'`)

// schemaProblem places a values.schema.json failure at the values key it
// names (at '/replicas'), with the schema as a related location.
func schemaProblem(dir string, vi *valuesIndex, err error) Problem {
	schema := filepath.Join(dir, "values.schema.json")
	p := Problem{File: schema, Line: 1, Column: 1, Msg: "values do not match the chart's values.schema.json",
		Detail: "helm template and helm install refuse them: " + oneLine(err.Error()),
		Fix:    "change the value, or the schema if the value is meant to be allowed"}
	if m := schemaPathRe.FindStringSubmatch(err.Error()); m != nil {
		keys := strings.Split(strings.TrimPrefix(m[1], "/"), "/")
		if l, ok := vi.lookup(keys); ok {
			p.File, p.Line, p.Column = l.File, l.Line, l.Column
			p.Msg = fmt.Sprintf("value %s does not match the chart's values.schema.json", strings.Join(keys, "."))
			p.Related = []Location{{File: schema, Line: 1, Column: 1, Msg: "the schema the value breaks"}}
		}
	}
	return p
}

// linkOutside returns the first symbolic link under dir whose real path
// lies outside project (or cannot be resolved), or "". The walk itself
// follows no link.
func linkOutside(dir, project string) string {
	if project == "" {
		project = dir
	}
	realProject, err := filepath.EvalSymlinks(project)
	if err != nil {
		realProject = project
	}
	found := ""
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || found != "" {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			real, err := filepath.EvalSymlinks(p)
			if rel, rerr := filepath.Rel(realProject, real); err != nil || rerr != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				found = p
				return filepath.SkipAll
			}
		}
		return nil
	})
	return found
}
