// Package engine runs the pipeline: discover → load → workspace → rules →
// filter → sorted findings. It prints nothing; the CLI reports its result.
package engine

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/k8slint/k8slint/internal/cache"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/discovery"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/report"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
	"github.com/k8slint/k8slint/rules"
)

// DefaultMaxFileSize is the size above which a file is reported and not read.
const DefaultMaxFileSize = 10 << 20

// Options configure a run.
type Options struct {
	Paths     []string
	Stdin     io.Reader // read as one manifest stream when Paths contains "-"
	StdinName string
	Excludes  []string
	// Jobs bounds parallel work (0 means GOMAXPROCS).
	Jobs int
	// MaxFileSize in bytes (0 means DefaultMaxFileSize).
	MaxFileSize int64
	// Rules to run (nil means all).
	Rules []*rules.Rule
	// Severity overrides a rule's severity.
	Severity map[string]diag.Severity
	Settings workspace.Settings
	// CRDFiles are files or directories of CustomResourceDefinitions from
	// outside the tree (.k8slint.yaml's crds:), loaded into Settings.CRDs.
	CRDFiles []string
	// Contexts maps a Dockerfile (absolute path) to its build context directory.
	Contexts map[string]string
	// Info receives verbose notes (skipped files); may be nil.
	Info func(msg string)
	// Root is the project root. When it is set and Paths name a file (as
	// pre-commit names staged files), the engine loads the whole project
	// from Root and keeps the findings whose file, or one of whose related
	// locations, is a named file; a named directory names every file under it.
	Root string
	// BaseExcludes are globs relative to ExcludeBase (the configuration
	// file's directory): matching files are not linted.
	BaseExcludes []string
	ExcludeBase  string
	// Exclusions are more sets of globs, each relative to its own base
	// (--exclude as the user writes it from the working directory).
	Exclusions []Exclusion
	// ContextGlobs give the build context of the Dockerfiles that a glob
	// matches (build-contexts keys with wildcards); Contexts wins.
	ContextGlobs []ContextGlob
	// Skip receives each file that is not linted, and why (-v); nil means
	// Info with the absolute path.
	Skip func(path, reason string)
	// KeepSources keeps the bytes of every loaded file for Result.Source
	// (SARIF regions and fingerprints), so that nothing is read twice.
	KeepSources bool
	// Charts configures Helm charts by directory (absolute): values,
	// release, namespace, disabled (see render.go).
	Charts map[string]ChartConfig
	// Cache, when set, serves a run of the whole project (Root) or of
	// files named in it from the findings of an earlier run when nothing
	// in the project changed since, and keeps this run's (see cached.go).
	Cache *cache.Store
	// Rendering, when set, is called once before the run renders a Helm
	// chart or a kustomization. Their engines allocate mostly garbage
	// (over ../shared/corpus, 510 MB allocated for some 30 MB kept),
	// where loading plain files keeps nearly all it allocates: the CLI
	// defers its first collection for the latter and turns the collector
	// back to normal here.
	Rendering func()
}

// Result is a run's outcome.
type Result struct {
	Findings []diag.Finding
	// Files is the number of input files checked: with named files (Root
	// set and Paths naming a file), those of them that were loaded.
	Files int
	// Loaded is the number of input files loaded, the named files' project
	// included.
	Loaded int
	// Unreadable is the number of recognised inputs that could not be read.
	Unreadable int
	// Suppressed is the number of findings that an ignore suppressed.
	Suppressed int
	Workspace  *workspace.Workspace
	// Sources holds the bytes loaded for each file (KeepSources).
	Sources map[string][]byte
}

// Source returns the bytes loaded for path (with KeepSources): reporters
// use it instead of reading the file again.
func (r *Result) Source(path string) ([]byte, error) {
	if data, ok := r.Sources[path]; ok {
		return data, nil
	}
	return nil, fs.ErrNotExist
}

type loaded struct {
	manifest   *load.ManifestFile
	dockerfile *load.Dockerfile
	ignore     *load.IgnoreFile
	conf       *load.ConfFile
	dotenv     *load.DotEnv
	problems   []load.Problem
	unreadable bool
	skip       string // verbose note when the file is skipped
	data       []byte // the bytes loaded (KeepSources)
	stamp      cache.Stamp
}

// Run runs the whole pipeline.
func Run(opts Options) (*Result, error) {
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	maxSize := opts.MaxFileSize
	if maxSize <= 0 {
		maxSize = DefaultMaxFileSize
	}
	info := opts.Info
	if info == nil {
		info = func(string) {}
	}

	var paths []string
	useStdin := false
	for _, p := range opts.Paths {
		if p == "-" {
			useStdin = true
		} else {
			paths = append(paths, p)
		}
	}
	skip := opts.Skip
	if skip == nil {
		skip = func(path, reason string) { info(fmt.Sprintf("%s: skipped: %s", path, reason)) }
	}
	stdinPath := ""
	if useStdin && opts.StdinName != "" {
		if abs, err := filepath.Abs(opts.StdinName); err == nil {
			stdinPath = abs
		}
	}
	disc := &discovery.Result{}
	var only *named
	if opts.Root != "" {
		if only = namedPaths(opts.Root, paths, stdinPath); only != nil {
			paths = only.roots
		}
	}
	// With named files, the counts and the -v notes are of the named files:
	// the rest of the project is context.
	counted := func(path string) bool { return only == nil || only.has(path) }
	if report := skip; only != nil {
		skip = func(path, reason string) {
			if counted(path) {
				report(path, reason)
			}
		}
	}
	exclusions := exclusionsFor(opts, only)
	cc := newCacheRun(opts, only, paths, useStdin)
	if cc != nil {
		if res := cc.lookup(opts, jobs, info); res != nil {
			return res, nil
		}
	}
	if len(paths) > 0 {
		var err error
		disc, err = discovery.Walk(discovery.Options{Paths: paths, Excludes: cleanGlobs(opts.Excludes)}) // each path confined to its own root
		if err != nil {
			return nil, err
		}
	}
	res := &Result{}
	walked := map[string]bool{}
	for _, p := range append(append([]string(nil), disc.Named...), disc.Roots...) {
		walked[p] = true
	}
	for _, s := range disc.Skipped {
		skip(s.Path, s.Reason)
		if walked[s.Path] && s.Reason != discovery.LinkOutside && s.Reason != discovery.NotRecognised {
			res.Unreadable++ // a named path that cannot be read
		}
	}

	var dirStamps func() ([]cache.Stamp, bool)
	if cc != nil {
		dirStamps = stampDirs(cc, disc.Dirs)
	}
	files := excludeAll(disc.Files, exclusions, skip)
	rend := startRender(disc.All, disc.Roots, opts, jobs, info)
	files = rend.filter(files, info)
	var stdinData []byte
	stdinLoaded := false
	if stdinPath != "" {
		files = withFile(files, stdinPath)
	}
	settings := opts.Settings
	settings.CRDs = append(settings.CRDs[:len(settings.CRDs):len(settings.CRDs)], loadCRDs(opts.CRDFiles, maxSize, info)...)
	b := workspace.NewBuilder(settings, disc.All)
	for df, ctx := range contextsFor(files, opts) {
		b.SetContext(df, ctx)
	}
	b.SetUnwalked(disc.Unwalked)
	only.focus(b)
	b.SetRoots(disc.Roots)
	if opts.KeepSources {
		res.Sources = map[string][]byte{}
	}
	var findings []diag.Finding
	addProblems := func(path string, ps []load.Problem) {
		for _, p := range ps {
			head, detail := splitProblem(p.Msg)
			findings = append(findings, diag.Finding{
				Rule: rules.ParseError.ID, Severity: rules.ParseError.Severity,
				Location: diag.Location{File: path, Line: max(p.Line, 1), Column: max(p.Column, 1)},
				Message:  head, Detail: detail,
			})
		}
	}
	comments := map[string][]load.Suppression{}
	addComments := func(path string, ss []load.Suppression) {
		if len(ss) > 0 {
			comments[path] = append(comments[path], ss...)
		}
	}
	if stdinPath != "" && opts.Stdin != nil {
		// The buffer replaces the file of its name (an editor's unsaved
		// buffer), which is never opened: it may be anything, even a FIFO.
		data, err := io.ReadAll(io.LimitReader(opts.Stdin, maxSize+1))
		switch {
		case err != nil:
			addProblems(stdinPath, []load.Problem{{Line: 1, Column: 1, Msg: "cannot read standard input: " + err.Error()}})
			res.Unreadable++
		case int64(len(data)) > maxSize:
			addProblems(stdinPath, []load.Problem{{Line: 1, Column: 1, Msg: fmt.Sprintf("input is larger than the %d-byte limit (--max-file-size); not read", maxSize)}})
			res.Unreadable++
		default:
			stdinData, stdinLoaded = data, true
		}
	}
	// Files are loaded in parallel and added to the workspace in order as
	// they arrive, so that this serial part overlaps the loading.
	read := func(f discovery.File) loaded {
		if f.Path == stdinPath {
			if !stdinLoaded {
				return loaded{}
			}
			return loadData(f, stdinData, disc.All, opts.KeepSources, nil)
		}
		return loadFile(f, maxSize, disc.All, opts.KeepSources, cc)
	}
	var ahead map[int]loaded
	var left []cache.Stamp
	if p := cc.prune(files, disc.All, opts, jobs, read); p != nil {
		files, ahead, left = p.files, p.pre, p.left
		res.Loaded += p.count
		if len(left) > 0 {
			info(fmt.Sprintf("%d of %d files not read: their objects cannot change the named files' findings (scopes from the cache)", len(left), len(left)+len(files)))
		}
	}
	if cc != nil && cc.pruneOff != "" {
		info("every file read: " + cc.pruneOff)
	}
	loadOne := func(i int) loaded {
		if l, ok := ahead[i]; ok {
			return l
		}
		return read(files[i])
	}
	var stamps []cache.Stamp
	if cc != nil {
		stamps = make([]cache.Stamp, 0, len(files))
	}
	for i, l := range loadInOrder(len(files), jobs, loadOne) {
		f := files[i]
		if cc != nil {
			s := l.stamp
			if s.Path == "" {
				cc.disable() // an input without a fingerprint
			}
			s.Kind, s.Unreadable = uint8(f.Kind), l.unreadable
			s.Counted = l.dockerfile != nil || l.ignore != nil || l.conf != nil || l.manifest != nil && !l.manifest.NotManifest
			stamps = append(stamps, s)
		}
		if l.skip != "" {
			skip(f.Path, l.skip)
		}
		if l.unreadable && counted(f.Path) {
			res.Unreadable++
		}
		if l.data != nil {
			res.Sources[f.Path] = l.data
		}
		addProblems(f.Path, l.problems)
		switch {
		case l.manifest != nil:
			addProblems(f.Path, l.manifest.Problems)
			addComments(f.Path, l.manifest.Suppressions)
			b.AddManifest(l.manifest)
			if !l.manifest.NotManifest {
				res.Files += count(counted(f.Path))
				res.Loaded++
			} else if len(l.manifest.Problems) == 0 {
				skip(f.Path, "YAML that is not a Kubernetes manifest (no document has apiVersion and kind)")
			}
		case l.dockerfile != nil:
			addProblems(f.Path, l.dockerfile.Problems)
			addComments(f.Path, l.dockerfile.Suppressions)
			b.AddDockerfile(l.dockerfile)
			res.Files += count(counted(f.Path))
			res.Loaded++
		case l.ignore != nil:
			addProblems(f.Path, l.ignore.Problems)
			addComments(f.Path, l.ignore.Suppressions)
			b.AddIgnore(l.ignore)
			res.Files += count(counted(f.Path))
			res.Loaded++
		case l.dotenv != nil:
			b.AddDotEnv(l.dotenv) // read for compose interpolation only: not a linted file
		case l.conf != nil:
			addProblems(f.Path, l.conf.Problems)
			addComments(f.Path, l.conf.Suppressions)
			b.AddConf(l.conf)
			res.Files += count(counted(f.Path))
			res.Loaded++
		}
	}
	rendered := rend.add(b.AddRendered, func(f diag.Finding) { findings = append(findings, f) }, addComments, info)
	res.Loaded += rendered
	if only == nil {
		res.Files += rendered // a named-file run counts the named files only
	}
	if useStdin && opts.Stdin != nil && stdinPath == "" {
		name := "<stdin>"
		if only != nil {
			only.files[name] = true // linted with named files: its findings are kept
		}
		data, err := io.ReadAll(io.LimitReader(opts.Stdin, maxSize+1))
		switch {
		case err != nil:
			addProblems(name, []load.Problem{{Line: 1, Column: 1, Msg: "cannot read standard input: " + err.Error()}})
			res.Unreadable++
		case int64(len(data)) > maxSize:
			addProblems(name, []load.Problem{{Line: 1, Column: 1, Msg: fmt.Sprintf("input is larger than the %d-byte limit (--max-file-size); not read", maxSize)}})
		default:
			data = yamlx.Normalize(data)
			if opts.KeepSources {
				res.Sources[name] = data
			}
			mf := load.LoadManifest(name, data)
			addProblems(name, mf.Problems)
			addComments(name, mf.Suppressions)
			b.AddManifest(mf)
			res.Files++
			res.Loaded++
		}
	}
	ws := b.Build()
	res.Workspace = ws
	for _, u := range ws.Units() {
		info(u.String())
	}
	for _, n := range ws.Notes {
		info(n)
	}

	pending := suppressorBeside(jobs, func() *suppressor { return newSuppressor(ws, comments, ranRules(opts.Rules)) })
	findings = append(findings, runRules(ws, opts.Rules, jobs)...)
	for _, n := range ws.ScriptNotes() { // scripts are read by the models, as the rules ask
		info(n)
	}
	rend.annotate(findings)
	findings = applySeverity(findings, opts)
	sup := pending()
	findings = sup.apply(findings)
	findings = append(findings, applySeverity(sup.findings(), opts)...)
	res.Suppressed = len(sup.dropped)
	if only != nil {
		// The suppressed findings of the named files.
		res.Suppressed = len(filterFindings(sup.dropped, only.touches))
	}
	for i := range findings {
		findings[i].Bound() // no message quotes more than an excerpt of a file
	}
	sort.SliceStable(findings, func(i, j int) bool { return diag.Less(&findings[i], &findings[j]) })
	if cc != nil {
		stamps = append(stamps, left...)
		sort.Slice(stamps, func(i, j int) bool { return stamps[i].Path < stamps[j].Path })
		cc.save(disc, rend, stamps, findings, sup.dropped, res, dirStamps, info)
	}
	if only != nil {
		findings = only.filter(findings)
	}
	res.Findings = findings
	return res, nil
}

func loadFile(f discovery.File, maxSize int64, all []string, keep bool, cc *cacheRun) loaded {
	var stamp *cache.Stamp
	var l loaded
	if cc != nil {
		stamp = &l.stamp
	}
	data, size, err := readFileStamped(f.Path, maxSize, stamp)
	switch {
	case err != nil:
		l = loaded{unreadable: true, problems: []load.Problem{{Line: 1, Column: 1, Msg: "cannot read file: " + err.Error()}}}
	case data == nil && size > maxSize:
		l = loaded{stamp: l.stamp, unreadable: true, problems: []load.Problem{{Line: 1, Column: 1, Msg: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit (--max-file-size); not read", size, maxSize)}}}
	default:
		stamped := l.stamp
		l = loadData(f, data, all, keep, cc)
		l.stamp = stamped
	}
	if cc != nil && f.Kind == discovery.Manifest {
		if l.manifest != nil {
			l.stamp.Scope = scopeOf(l.manifest)
		} else if !l.unreadable && l.skip == "empty file" {
			l.stamp.Scope = &cache.Scope{Isolated: true} // no objects
		}
	}
	if cc != nil {
		cc.stampRead(f.Path, &l, data, l.stamp.Path != "")
	}
	return l
}

// loadData loads the bytes of a file of f.Kind; with keep, they are kept
// in the result (never modified: the loaders only read them).
func loadData(f discovery.File, data []byte, all []string, keep bool, cc *cacheRun) loaded {
	if len(bytes.TrimSpace(data)) == 0 {
		return loaded{skip: "empty file"}
	}
	var l loaded
	switch f.Kind {
	case discovery.Manifest:
		if isHelmTemplate(f.Path, data, all, cc.probe) {
			return loaded{skip: "Helm chart template"}
		}
		data = yamlx.Normalize(data)
		l.manifest = load.LoadManifestOwned(f.Path, data) // data is not modified again
	case discovery.Dockerfile:
		l.dockerfile = load.LoadDockerfile(f.Path, data)
	case discovery.DockerIgnore:
		l.ignore = load.LoadIgnore(f.Path, data)
	case discovery.MongoConf:
		data = yamlx.Normalize(data)
		l.conf = load.LoadMongoConf(f.Path, data)
	case discovery.RedisConf:
		l.conf = load.LoadRedisConf(f.Path, data)
	case discovery.DotEnv:
		l.dotenv = load.LoadDotEnv(f.Path, data)
	}
	if keep {
		l.data = data
	}
	return l
}

// isHelmTemplate reports a file with `{{` under a Helm chart's templates/ directory.
func isHelmTemplate(path string, data []byte, all []string, probe func(string)) bool {
	if !bytes.Contains(data, []byte("{{")) {
		return false
	}
	sep := string(filepath.Separator)
	for dir := filepath.Dir(path); dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if filepath.Base(dir) == "templates" {
			chart := filepath.Join(filepath.Dir(dir), "Chart.yaml")
			i := sort.SearchStrings(all, chart)
			if i < len(all) && all[i] == chart {
				return true
			}
			probe(chart) // outside the walk: the cache stamps it
			if _, err := os.Stat(chart); err == nil {
				return true
			}
		}
		if strings.Count(dir, sep) <= 1 {
			break
		}
	}
	return false
}

func runRules(ws *workspace.Workspace, rs []*rules.Rule, jobs int) []diag.Finding {
	if rs == nil {
		rs = rules.All()
	}
	var active []*rules.Rule
	for _, r := range rs {
		if r.Check != nil {
			active = append(active, r)
		}
	}
	per := make([][]diag.Finding, len(active))
	check := func(i int) {
		r := active[i]
		r.Check(ws, func(f diag.Finding) {
			f.Rule = r.ID
			if f.Severity == 0 {
				f.Severity = r.Severity
			}
			per[i] = append(per[i], f)
		})
	}
	if jobs <= 1 || len(active) <= 1 {
		for i := range active {
			check(i)
		}
	} else {
		// Each rule runs on a goroutine of its own holding one of jobs
		// tokens. Many rules read one shared model (workspace.Result): while
		// the first computes it, the others that need it wait, and a waiting
		// rule hands its token to a rule that can run (SetWaitHooks), so no
		// processor idles behind a model that one goroutine builds.
		tokens := newSemaphore(jobs)
		ws.SetWaitHooks(tokens.release, tokens.acquire)
		defer ws.SetWaitHooks(nil, nil)
		var wg sync.WaitGroup
		for i := range active {
			wg.Go(func() {
				tokens.acquire()
				defer tokens.release()
				check(i)
			})
		}
		wg.Wait()
	}
	var out []diag.Finding
	for _, fs := range per {
		out = append(out, fs...)
	}
	return out
}

// ranRules is the set of rules that a run runs (or, for the rules the
// engine reports, that it may report).
func ranRules(rs []*rules.Rule) map[string]bool {
	if rs == nil {
		rs = rules.All()
	}
	ran := make(map[string]bool, len(rs))
	for _, r := range rs {
		ran[r.ID] = true
	}
	return ran
}

// applySeverity drops findings of disabled rules (parse-error can be
// disabled too) and applies severity overrides.
func applySeverity(fs []diag.Finding, opts Options) []diag.Finding {
	enabled := map[string]bool{}
	if opts.Rules != nil {
		for _, r := range opts.Rules {
			enabled[r.ID] = true
		}
	}
	out := fs[:0]
	for _, f := range fs {
		if opts.Rules != nil && !enabled[f.Rule] {
			continue
		}
		if s, ok := opts.Severity[f.Rule]; ok {
			f.Severity = s
		}
		out = append(out, f)
	}
	return out
}

// loadInOrder runs load(0..n-1) on at most jobs goroutines and yields the
// results in index order as soon as each one and all before it are done.
func loadInOrder(n, jobs int, load func(i int) loaded) iter.Seq2[int, loaded] {
	return func(yield func(int, loaded) bool) {
		if jobs <= 1 || n <= 1 {
			for i := 0; i < n; i++ {
				if !yield(i, load(i)) {
					return
				}
			}
			return
		}
		// The results wait in a ring of loadWindow slots: a worker that
		// is that far ahead of the next result to yield waits for it (a
		// slot per file was 2.2 MB of garbage a 10k run).
		w := min(n, loadWindow)
		out := make([]loaded, w)
		ready := make([]bool, w)
		var mu sync.Mutex
		cond := sync.NewCond(&mu)
		k := 0 // the next index to yield
		// Workers take the next index from a counter: a channel fed by a
		// goroutine of its own made every file wait for that goroutine to be
		// scheduled, which with as many workers as processors left a
		// processor idle at each hand-off.
		var next atomic.Int64
		for range min(jobs, n) {
			go func() {
				for {
					i := int(next.Add(1) - 1)
					if i >= n {
						return
					}
					l := load(i)
					mu.Lock()
					for i >= k+w {
						cond.Wait()
					}
					out[i%w], ready[i%w] = l, true
					mu.Unlock()
					cond.Broadcast()
				}
			}()
		}
		stopped := false
		for k < n {
			mu.Lock()
			for !ready[k%w] {
				cond.Wait()
			}
			l := out[k%w]
			out[k%w], ready[k%w] = loaded{}, false
			i := k
			k++
			mu.Unlock()
			cond.Broadcast()
			if !stopped && !yield(i, l) {
				stopped = true // keep receiving: the workers finish and exit
			}
		}
	}
}

// loadWindow is how many loaded files may wait to be yielded.
const loadWindow = 256

// semaphore counts free tokens. release never blocks (a goroutine that
// holds none may release and acquire around a wait: it only lends a token
// for that time), acquire waits for a free one.
type semaphore struct {
	mu   sync.Mutex
	cond sync.Cond
	free int
}

func newSemaphore(n int) *semaphore {
	s := &semaphore{free: n}
	s.cond.L = &s.mu
	return s
}

func (s *semaphore) acquire() {
	s.mu.Lock()
	for s.free <= 0 {
		s.cond.Wait()
	}
	s.free--
	s.mu.Unlock()
}

func (s *semaphore) release() {
	s.mu.Lock()
	s.free++
	s.mu.Unlock()
	s.cond.Signal()
}

// parallel runs f(0..n-1) on at most jobs goroutines.
func parallel(n, jobs int, f func(i int)) {
	if jobs <= 1 || n <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	var next atomic.Int64 // the next index to run (see loadInOrder)
	for w := 0; w < min(jobs, n); w++ {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}

// RuleInfos is the rule metadata that reporters, `k8slint rules`, `explain`
// and the generated docs get: the one place it is built.
func RuleInfos(rs []*rules.Rule) []report.RuleInfo {
	out := make([]report.RuleInfo, 0, len(rs))
	for _, r := range rs {
		out = append(out, report.RuleInfo{ID: r.ID, Summary: r.Summary, Doc: r.Doc, DocURL: r.DocURL,
			Severity: r.Severity, NoInline: r.NoInline, BuildKitCheck: r.BuildKitCheck})
	}
	return out
}

func count(b bool) int {
	if b {
		return 1
	}
	return 0
}
