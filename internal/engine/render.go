package engine

import (
	"fmt"
	"github.com/k8slint/k8slint/internal/report"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/discovery"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/render"
	"github.com/k8slint/k8slint/rules"
)

// ChartConfig is the configuration of one chart (the charts: section of
// .k8slint.yaml), by the chart's directory.
type ChartConfig struct {
	render.ChartOptions
	// Disabled charts are not rendered (and their templates not linted).
	Disabled bool
}

// renderer renders the charts of a run in parallel with the loading of the
// plain files.
type renderer struct {
	charts  []string // chart directories (absolute, sorted)
	results []*render.ChartResult
	took    []time.Duration
	done    chan struct{}             // charts and kustomizations done
	kdone   chan struct{}             // kustomizations done
	outputs map[string]*render.Output // by output path

	roots    []string // kustomization roots (absolute, sorted)
	kresults []*render.KustomizeResult
	ktook    []time.Duration
	kfiles   map[string]string          // file -> the root that includes it
	koutputs map[string]*render.KOutput // by output path

	// kcharts are the charts that kustomizations' helmCharts name (chart
	// directory -> the kustomization): rendered through their roots, and
	// on their own only when no root that names them builds (fallback).
	kcharts  map[string]string
	fallback []string
	fresults []*render.ChartResult
	ftook    []time.Duration
}

// findRoots lists the kustomization roots among the walked files: each
// directory with a kustomization that no other kustomization uses as a
// base, resource or component.
func findRoots(all []string, project func(string) string) ([]string, map[string]string) {
	var dirs []string
	for _, f := range all {
		for _, n := range render.KustomizationNames {
			if filepath.Base(f) == n {
				dirs = append(dirs, filepath.Dir(f))
				break
			}
		}
	}
	used := map[string]bool{}
	charts := map[string]string{}
	for _, d := range dirs {
		u := render.UsesOf(d, project(d))
		for _, x := range u.Dirs {
			used[x] = true
		}
		if u.Component {
			used[d] = true
		}
		for _, c := range u.Charts {
			if _, ok := charts[c]; !ok {
				charts[c] = d
			}
		}
	}
	var out []string
	for _, d := range dirs {
		if !used[d] && (len(out) == 0 || out[len(out)-1] != d) {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out, charts
}

// findCharts lists the chart directories among the walked files: each
// directory with a Chart.yaml that is not a subchart (under another chart's
// charts/ directory, which the parent renders).
func findCharts(all []string) []string {
	var dirs []string
	for _, f := range all {
		if filepath.Base(f) == "Chart.yaml" {
			// an empty Chart.yaml (a placeholder) is no chart: its
			// templates are skipped as before
			if st, err := os.Stat(f); err == nil && st.Size() > 0 {
				dirs = append(dirs, filepath.Dir(f))
			}
		}
	}
	sort.Strings(dirs)
	var out []string
	for _, d := range dirs {
		sub := false
		for _, p := range out {
			if under(d, filepath.Join(p, "charts")) || under(d, filepath.Join(p, "templates")) {
				sub = true
				break
			}
		}
		if !sub {
			out = append(out, d)
		}
	}
	return out
}

func under(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+string(filepath.Separator))
}

// chartOf returns the chart whose templates/ or charts/ holds path: such a
// file is linted through the rendered chart, not as a plain file.
func (r *renderer) chartOf(path string) (string, bool) {
	if r == nil {
		return "", false
	}
	for d := range r.kcharts {
		if under(path, d) {
			return d, true
		}
	}
	i := sort.SearchStrings(r.charts, path)
	// a chart directory sorts before the files under it
	for j := i - 1; j >= 0; j-- {
		d := r.charts[j]
		if under(path, filepath.Join(d, "templates")) || under(path, filepath.Join(d, "charts")) {
			return d, true
		}
		if !strings.HasPrefix(path, d) {
			break
		}
	}
	return "", false
}

// kustomizeProject is the project of a kustomization directory: files
// outside it are never read. It is the project root (.git or
// .k8slint.yaml), else the linted path, never the working directory.
func kustomizeProject(dir string, opts Options, walked []string) string {
	cands := []string{opts.Root}
	if r, ok := discovery.FindRoot(dir); ok {
		cands = append(cands, r)
	}
	cands = append(cands, walked...)
	for _, c := range cands {
		if c != "" && under(dir, c) {
			return c
		}
	}
	return dir
}

func startRender(all, walked []string, opts Options, jobs int, info func(string)) *renderer {
	roots, kcharts := findRoots(all, func(d string) string { return kustomizeProject(d, opts, walked) })
	var charts []string
	for _, d := range findCharts(all) {
		if c, ok := opts.Charts[d]; ok && c.Disabled {
			info(fmt.Sprintf("%s: chart not rendered: disabled in the configuration", display(d)))
			continue
		}
		if _, ok := kcharts[d]; ok {
			continue // rendered through the kustomization that names it
		}
		charts = append(charts, d)
	}
	if len(charts)+len(roots) > 0 && opts.Rendering != nil {
		opts.Rendering()
	}
	r := &renderer{charts: charts, done: make(chan struct{}), results: make([]*render.ChartResult, len(charts)), took: make([]time.Duration, len(charts)),
		roots: roots, kresults: make([]*render.KustomizeResult, len(roots)), ktook: make([]time.Duration, len(roots)), kcharts: kcharts}
	kube := opts.Settings.KubeVersion
	if kube == "" {
		kube = rules.DefaultKubeVersion
	}
	renderChart := func(dir string) *render.ChartResult {
		co := opts.Charts[dir].ChartOptions
		if co.KubeVersion == "" {
			co.KubeVersion = kube
		}
		co.Project = opts.Root
		if co.Project == "" {
			co.Project = discovery.Root(dir)
		}
		return render.RenderChart(dir, co)
	}
	r.kdone = make(chan struct{})
	go func() {
		defer close(r.kdone)
		parallel(len(roots), jobs, func(i int) {
			t0 := time.Now()
			r.kresults[i] = render.BuildKustomization(roots[i], kustomizeProject(roots[i], opts, walked), render.KustomizeOptions{KubeVersion: kube})
			r.ktook[i] = time.Since(t0)
		})
	}()
	go func() {
		defer close(r.done)
		parallel(len(charts), jobs, func(i int) {
			t0 := time.Now()
			r.results[i] = renderChart(charts[i])
			r.took[i] = time.Since(t0)
		})
		<-r.kdone
		// A chart whose kustomizations all fail to build (or are skipped)
		// is linted on its own, as their other files are.
		r.fallback = r.unbuiltCharts(opts)
		r.fresults = make([]*render.ChartResult, len(r.fallback))
		r.ftook = make([]time.Duration, len(r.fallback))
		parallel(len(r.fallback), jobs, func(i int) {
			t0 := time.Now()
			r.fresults[i] = renderChart(r.fallback[i])
			r.ftook[i] = time.Since(t0)
		})
	}()
	return r
}

// unbuiltCharts are the charts that kustomizations name but that no root
// rendered or found failing, as they exist (after the kustomizations are
// built): a root skipped for a remote base, or that kustomize rejects.
func (r *renderer) unbuiltCharts(opts Options) []string {
	built := map[string]bool{} // or reported as failing
	for _, kr := range r.kresults {
		if kr.Output != nil {
			for _, c := range kr.Charts {
				built[c] = true
			}
		}
		for _, c := range kr.FailedCharts {
			built[c] = true
		}
	}
	var out []string
	for d := range r.kcharts {
		if c, ok := opts.Charts[d]; built[d] || ok && c.Disabled {
			continue
		}
		if st, err := os.Stat(filepath.Join(d, "Chart.yaml")); err == nil && st.Size() > 0 {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out
}

// add waits for the charts and adds their rendered files to the run.
func (r *renderer) add(add func(mf *load.ManifestFile, dir, source string), problem func(f diag.Finding), comment func(string, []load.Suppression), info func(string)) int {
	<-r.done
	r.outputs = map[string]*render.Output{}
	r.koutputs = map[string]*render.KOutput{}
	files := 0
	for i, kr := range r.kresults {
		info(fmt.Sprintf("%s: kustomization built in %s (unit %s), from %d files", display(r.roots[i]), r.ktook[i].Round(time.Microsecond), display(r.roots[i]), len(kr.Files)))
		for _, p := range kr.Problems {
			problem(renderFinding(p, diag.Error))
		}
		for _, p := range kr.Notes {
			problem(renderFinding(p, diag.Info))
		}
		for _, c := range kr.Charts {
			info(fmt.Sprintf("  Helm chart %s rendered through it", display(c)))
		}
		if o := kr.Output; o != nil {
			mf := load.LoadManifestOwned(o.Path, o.Text)
			o.Map(mf.Docs)
			mf.Problems = nil
			mf.Suppressions = nil
			for _, src := range o.Sources {
				// the bytes the build read (never read again)
				if data := o.SourceText(src); data != nil {
					comment(src, load.ScanSuppressions(data, load.YAMLComments))
				}
			}
			r.koutputs[o.Path] = o
			add(mf, r.roots[i], "kustomization root")
			files++
		}
	}
	charts := append(append([]string(nil), r.charts...), r.fallback...)
	results := append(append([]*render.ChartResult(nil), r.results...), r.fresults...)
	took := append(append([]time.Duration(nil), r.took...), r.ftook...)
	for i, cr := range results {
		info(fmt.Sprintf("%s: chart rendered in %s: %d files", display(charts[i]), took[i].Round(time.Microsecond), len(cr.Outputs)))
		for _, p := range cr.Problems {
			problem(renderFinding(p, diag.Error))
		}
		for _, p := range cr.Notes {
			problem(renderFinding(p, diag.Info))
		}
		for _, o := range cr.Outputs {
			info(fmt.Sprintf("  %s (unit %s)", display(o.Path), display(o.Unit)))
			mf := load.LoadManifestOwned(o.Path, o.Text)
			o.Remap(mf.Docs)
			mf.Problems = nil
			for _, d := range mf.Docs {
				if d.Err != nil {
					problem(renderFinding(render.Problem{File: o.Path, Line: d.Err.Line, Column: d.Err.Column,
						Msg: "the template renders invalid YAML: " + d.Err.Msg}, diag.Error))
				}
			}
			mf.Suppressions = load.ScanSuppressions(o.Source, load.YAMLComments)
			r.outputs[o.Path] = o
			add(mf, charts[i], "rendered Helm chart")
			if !mf.NotManifest {
				files++
			}
		}
	}
	return files
}

func renderFinding(p render.Problem, sev diag.Severity) diag.Finding {
	head, detail := splitProblem(p.Msg)
	if p.Detail != "" {
		detail = strings.TrimPrefix(detail+"; "+p.Detail, "; ")
	}
	f := diag.Finding{Rule: rules.RenderError.ID, Severity: sev,
		Location: diag.Location{File: p.File, Line: max(p.Line, 1), Column: max(p.Column, 1)}, Message: head,
		Detail: detail, Fix: p.Fix}
	for _, l := range p.Related {
		f.Related = append(f.Related, diag.Location{File: l.File, Line: l.Line, Column: l.Column, Message: l.Msg})
	}
	return f
}

var plainActionRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\{-?\s*([^{}|]*?)\s*-?\}\}`) })

// annotate adds to findings in rendered files where the values they read
// are set, and the fix in the template's terms.
func (r *renderer) annotate(fs []diag.Finding) {
	if r == nil {
		return
	}
	for i := range fs {
		f := &fs[i]
		ko := r.koutputs[f.File]
		var chart *render.Output // the chart template of a kustomization that wrote it
		if ko != nil {
			chart = ko.ChartAt(f.Line)
			moveTo(ko, &f.Location)
		}
		for j := range f.Related {
			if o := r.koutputs[f.Related[j].File]; o != nil {
				moveTo(o, &f.Related[j])
			}
		}
		o := r.outputs[f.File]
		if o == nil && chart != nil && chart.Path == f.File {
			// a Helm chart of a kustomization: the finding was moved to
			// its template
			o = chart
		}
		if o == nil {
			continue
		}
		for _, l := range o.ValuesAt(f.Line) {
			f.Related = append(f.Related, diag.Location{File: l.File, Line: l.Line, Column: l.Column, Message: l.Msg})
		}
		if f.Rule == rules.EnvValueNotString.ID {
			lines := o.SourceLines()
			if f.Line <= len(lines) {
				if m := plainActionRe().FindStringSubmatch(lines[f.Line-1]); m != nil && !strings.Contains(m[1], "quote") {
					fix := fmt.Sprintf("in the template, quote what it writes: value: {{ %s | quote }}", m[1])
					if f.Fix != "" {
						f.Fix += "; " + fix
					} else {
						f.Fix = fix
					}
				}
			}
		}
	}
}

// filter drops the files that a rendered chart holds (its templates and
// subcharts): they are linted through the chart.
func (r *renderer) filter(files []discovery.File, info func(string)) []discovery.File {
	if len(r.charts) == 0 && len(r.roots) == 0 {
		return files
	}
	// The files of the roots that built are linted through them; those of
	// a root that did not build (an error, a remote base) as plain files.
	<-r.kdone
	r.kfiles = map[string]string{}
	for _, kr := range r.kresults {
		if kr.Output == nil {
			continue
		}
		for _, f := range kr.Files {
			r.kfiles[f] = kr.Root
		}
	}
	out := files[:0:0]
	for _, f := range files {
		if root, ok := r.kfiles[f.Path]; ok {
			info(fmt.Sprintf("%s: skipped: linted through the kustomization %s", display(f.Path), display(root)))
			continue
		}
		if d, ok := r.chartOf(f.Path); ok {
			if k, ok := r.kcharts[d]; ok {
				info(fmt.Sprintf("%s: skipped: linted as part of the Helm chart %s, which the kustomization %s inflates", display(f.Path), display(d), display(k)))
				continue
			}
			info(fmt.Sprintf("%s: skipped: linted as part of the rendered chart %s", display(f.Path), display(d)))
			continue
		}
		out = append(out, f)
	}
	return out
}

// moveTo moves a location in a kustomize build output to the file and
// line that wrote it.
func moveTo(o *render.KOutput, l *diag.Location) {
	loc, end, ok := o.Locate(l.Line, l.Column)
	if !ok {
		return
	}
	l.File, l.Line, l.Column = loc.File, loc.Line, loc.Column
	l.EndLine, l.EndColumn = 0, 0
	if end > 0 {
		l.EndLine, l.EndColumn = loc.Line, end
	}
}

// display shows a path of a -v line relative to the working directory when
// it is below it, as findings are shown (report.RelPath).
func display(p string) string {
	wd, _ := os.Getwd()
	return report.RelPath(wd, p)
}
