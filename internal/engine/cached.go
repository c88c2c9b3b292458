package engine

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/k8slint/k8slint/internal/cache"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/discovery"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// The persistent cache (internal/cache) serves a run whose findings are all
// known from an earlier run on the same project in the same state: the
// full run of the project root, or files named in it (pre-commit). It is
// exact by construction: an entry holds the findings of an earlier run and
// the stat of every directory walked and every file read; any change
// anywhere in the project is a miss (a full load, as without the cache),
// since a named file's findings may depend on any other file. What the
// fingerprint cannot see disables it: standard input, CRDs from outside
// the tree, symbolic links, Helm charts and kustomizations (their
// rendering reads files on its own).

// missForTest makes every lookup a miss that keeps the entry's scopes, as
// after an edit of the named file (tests of pruning).
var missForTest bool

// cacheRun is the cache's part of one run; nil when the run cannot use it.
type cacheRun struct {
	store *cache.Store
	key   string
	start time.Time
	only  *named // nil: the full run of the root
	prev  *cache.Entry
	// facts is the entry found under the key, valid or not: the scopes of
	// its unchanged files let a named-file run leave them unread (prune.go).
	facts *cache.Entry
	// holds reports whether facts.Files[i] is unchanged (prefetch).
	holds func(i int) bool
	// pruneOff says why a named-file run with scopes read every file.
	pruneOff string

	mu     sync.Mutex
	probes []cache.Stamp
	off    bool // something the fingerprint cannot see was read
}

// newCacheRun returns the cache's part of a run of opts, or nil when the
// run cannot be served from or written to the cache.
func newCacheRun(opts Options, only *named, paths []string, useStdin bool) *cacheRun {
	if opts.Cache == nil || opts.Root == "" || useStdin || len(opts.CRDFiles) > 0 || len(opts.Settings.CRDs) > 0 {
		return nil
	}
	if only != nil {
		if len(only.dirs) > 0 || len(only.roots) != 1 || only.roots[0] != opts.Root {
			return nil
		}
	} else if len(paths) != 1 {
		return nil
	} else if abs, err := filepath.Abs(paths[0]); err != nil || abs != opts.Root {
		return nil
	}
	key, ok := cacheKey(opts)
	if !ok {
		return nil
	}
	return &cacheRun{store: opts.Cache, key: key, start: time.Now(), only: only}
}

// cacheKey hashes everything of opts that can change findings (not Jobs,
// Info, Skip, KeepSources: those change how, not what).
func cacheKey(opts Options) (string, bool) {
	var ids []string
	if opts.Rules != nil {
		ids = []string{}
		for _, r := range opts.Rules {
			ids = append(ids, r.ID)
		}
	}
	data, err := json.Marshal(struct {
		Root         string
		Excludes     []string
		MaxFileSize  int64
		Rules        []string
		Severity     map[string]diag.Severity
		KubeVersion  string
		Nodes        any
		Units        []string
		UnitBase     string
		Contexts     map[string]string
		BaseExcludes []string
		ExcludeBase  string
		Exclusions   []Exclusion
		ContextGlobs []ContextGlob
		Charts       map[string]ChartConfig
	}{opts.Root, opts.Excludes, opts.MaxFileSize, ids, opts.Severity, opts.Settings.KubeVersion, opts.Settings.Nodes,
		opts.Settings.Units, opts.Settings.UnitBase, opts.Contexts, opts.BaseExcludes, opts.ExcludeBase,
		opts.Exclusions, opts.ContextGlobs, opts.Charts})
	if err != nil {
		return "", false
	}
	return cache.Key(data), true
}

// lookup returns the result of the run from the cache, or nil. On a miss
// of a named-file run with an entry, it starts stating the entry's files,
// for pruning, while the project is walked.
func (c *cacheRun) lookup(opts Options, jobs int, info func(string)) *Result {
	res := c.find(opts, jobs, info)
	if res == nil && c.facts != nil && c.only != nil && opts.Settings.Nodes == nil {
		if why := unprunable(c.facts); why != "" {
			c.pruneOff = why // no stat of every file for nothing
		} else {
			c.prefetch(jobs)
		}
	}
	return res
}

// prefetch stats, in the background, the files of the entry whose scopes
// pruning may use; holds tells whether the stamp of c.facts.Files[i] holds.
func (c *cacheRun) prefetch(jobs int) {
	files := c.facts.Files
	ok := make([]bool, len(files))
	done := make(chan struct{})
	c.holds = func(i int) bool { <-done; return ok[i] }
	go func() {
		defer close(done)
		parallel(len(files), jobs, func(i int) { // on every core: once the walk is done, one of them would idle
			s := &files[i]
			ok[i] = s.Scope != nil && s.Hash == nil && s.Holds()
		})
	}()
}

func (c *cacheRun) find(opts Options, jobs int, info func(string)) *Result {
	e := c.store.Load(c.key)
	if e == nil {
		return nil
	}
	c.prev, c.facts = e, e
	if missForTest {
		return nil
	}
	if !e.All {
		if c.only == nil {
			return nil
		}
		for f := range c.only.files {
			if _, ok := slices.BinarySearch(e.Known, f); !ok {
				return nil
			}
		}
	}
	// The named files first: after an edit of one (the usual pre-commit
	// case) the miss is known without stating the whole project.
	for f := range c.only.fileSet() {
		if s := e.File(f); s != nil && !s.Holds() {
			c.prev = nil
			return nil
		}
	}
	if !e.Valid(jobs) {
		c.prev = nil
		return nil
	}
	c.store.Touch(c.key)
	info("findings from the cache (" + c.store.Dir + "; --no-cache bypasses it)")
	res := &Result{Loaded: e.Loaded, Unreadable: e.Unreadable}
	findings := slices.Clone(e.Findings)
	if c.only != nil {
		findings = c.only.filter(findings)
	}
	res.Findings = findings
	counts := func(s *cache.Stamp) {
		res.Files += count(s.Counted)
		res.Unreadable += count(s.Unreadable)
	}
	if c.only == nil {
		for i := range e.Files {
			counts(&e.Files[i])
		}
	} else {
		for f := range c.only.files {
			if s := e.File(f); s != nil {
				counts(s)
			}
		}
	}
	for _, f := range e.Suppressed {
		if c.only == nil || c.only.touches(f) {
			res.Suppressed++
		}
	}
	if opts.KeepSources {
		res.Sources = sourcesOf(findings, e, opts)
	}
	return res
}

// sourcesOf reads again the files the findings are in or point at, as the
// run that found them loaded them (reporters show their lines).
func sourcesOf(fs []diag.Finding, e *cache.Entry, opts Options) map[string][]byte {
	maxSize := opts.MaxFileSize
	if maxSize <= 0 {
		maxSize = DefaultMaxFileSize
	}
	out := map[string][]byte{}
	add := func(path string) {
		in := e.File(path)
		if _, done := out[path]; done || in == nil {
			return
		}
		data, _, err := readFile(path, maxSize)
		if err != nil || data == nil {
			return
		}
		switch discovery.Kind(in.Kind) {
		case discovery.Manifest, discovery.MongoConf:
			data = yamlx.Normalize(data)
		}
		out[path] = data
	}
	for _, f := range fs {
		add(f.File)
		for _, r := range f.Related {
			add(r.File)
		}
	}
	return out
}

// probe records a path looked up outside the walk (a Chart.yaml above a
// templates/ directory).
func (c *cacheRun) probe(path string) {
	if c == nil {
		return
	}
	s, ok := cache.Stat(path)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !ok {
		s = cache.Stamp{Path: path, Missing: true}
	} else if s.Racy(c.start) {
		c.off = true
	}
	c.probes = append(c.probes, s)
}

// disable records that the run read something the fingerprint cannot see.
func (c *cacheRun) disable() {
	if c != nil {
		c.mu.Lock()
		c.off = true
		c.mu.Unlock()
	}
}

// stampRead fills l.stamp for a file the loader read (data, or nil when it
// was too large or unreadable): a racy file is fingerprinted by its content.
func (c *cacheRun) stampRead(path string, l *loaded, data []byte, stamped bool) {
	if c == nil {
		return
	}
	if !stamped {
		s, ok := cache.Stat(path)
		if !ok {
			c.disable()
			return
		}
		l.stamp = s
	}
	if l.stamp.Racy(c.start) {
		if data == nil {
			c.disable()
			return
		}
		l.stamp.Hash = cache.Hash(data)
	}
}

// save writes the entry of this run: files are the loaded files with their
// stamps, findings all the run's findings (before the named filter),
// suppressed the findings suppressions dropped.
func (c *cacheRun) save(disc *discovery.Result, rend *renderer, stamps []cache.Stamp,
	findings, suppressed []diag.Finding, res *Result, dirs func() ([]cache.Stamp, bool), info func(string)) {
	if c == nil {
		return
	}
	c.mu.Lock()
	off := c.off
	c.mu.Unlock()
	why := ""
	switch {
	case off:
		why = "a file changed during the run, or one outside the walk was read"
	case len(disc.Links) > 0:
		why = "the project has symbolic links"
	case len(rend.roots) > 0 || len(rend.charts) > 0 || hasChartFile(disc.All):
		why = "the project has Helm charts or kustomizations (their rendering reads files of its own)"
	}
	ds, ok := dirs()
	if why == "" && !ok {
		why = "a directory changed during the run"
	}
	if why != "" {
		info("cache not written: " + why)
		return
	}
	e := &cache.Entry{Dirs: ds, Files: stamps, Probes: c.probes, Loaded: res.Loaded}
	sort.Slice(e.Probes, func(i, j int) bool { return e.Probes[i].Path < e.Probes[j].Path })
	// The unreadable walked roots (the rest of res.Unreadable is per file).
	e.Unreadable = res.Unreadable
	for i := range stamps {
		if stamps[i].Unreadable && (c.only == nil || c.only.has(stamps[i].Path)) {
			e.Unreadable--
		}
	}
	if c.only == nil {
		e.All = true
		e.Findings = findings
		e.Suppressed = suppressed
	} else {
		known := map[string]bool{}
		for f := range c.only.files {
			known[f] = true
		}
		var keep func(f diag.Finding) bool
		if p := c.prev; p != nil && !p.All && sameStamps(p, e) {
			// The same project as the entry's: add the named files to it.
			for _, f := range p.Known {
				known[f] = true
			}
			keep = func(f diag.Finding) bool { return !c.only.touches(f) }
			e.Findings = filterFindings(p.Findings, keep)
			e.Suppressed = filterFindings(p.Suppressed, keep)
		}
		e.Findings = append(e.Findings, filterFindings(findings, c.only.touches)...)
		e.Suppressed = append(e.Suppressed, filterFindings(suppressed, c.only.touches)...)
		sort.SliceStable(e.Findings, func(i, j int) bool { return diag.Less(&e.Findings[i], &e.Findings[j]) })
		for f := range known {
			e.Known = append(e.Known, f)
		}
		sort.Strings(e.Known)
	}
	if err := c.store.Save(c.key, e); err != nil {
		info("cache not written: " + err.Error())
	}
}

func filterFindings(fs []diag.Finding, keep func(diag.Finding) bool) []diag.Finding {
	var out []diag.Finding
	for _, f := range fs {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// sameStamps reports whether two entries fingerprint the same state.
func sameStamps(a, b *cache.Entry) bool {
	eq := func(x, y []cache.Stamp) bool {
		return slices.EqualFunc(x, y, func(s, t cache.Stamp) bool {
			return s.Path == t.Path && s.Size == t.Size && s.Mtime == t.Mtime && s.Ctime == t.Ctime && s.Ino == t.Ino &&
				s.Dev == t.Dev && s.Mode == t.Mode && s.Missing == t.Missing && string(s.Hash) == string(t.Hash)
		})
	}
	return eq(a.Dirs, b.Dirs) && eq(a.Files, b.Files) && eq(a.Probes, b.Probes) && a.Loaded == b.Loaded
}

func hasChartFile(all []string) bool {
	for _, f := range all {
		if filepath.Base(f) == "Chart.yaml" {
			return true
		}
	}
	return false
}

// stampDirs stamps the walked directories on a goroutine of its own (after
// the walk: a racy one makes the run write no entry).
func stampDirs(c *cacheRun, dirs []string) func() ([]cache.Stamp, bool) {
	if c == nil {
		return nil
	}
	var out []cache.Stamp
	ok := true
	done := make(chan struct{})
	go func() {
		defer close(done)
		out = make([]cache.Stamp, 0, len(dirs))
		for _, d := range dirs {
			s, good := cache.Stat(d)
			if !good || s.Racy(c.start) {
				ok = false
				return
			}
			out = append(out, s)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	}()
	return func() ([]cache.Stamp, bool) {
		<-done
		return out, ok
	}
}

// touches reports whether f is in a named file or has a related location in one.
func (n *named) touches(f diag.Finding) bool {
	if n.has(f.File) {
		return true
	}
	for _, r := range f.Related {
		if n.has(r.File) {
			return true
		}
	}
	return false
}
