package workspace

import (
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/moby/patternmatcher"

	"github.com/k8slint/k8slint/internal/load"
)

// BuildContext is a Dockerfile's build context as BuildKit sends it: the
// files of the walked tree under Dir, minus what the effective ignore file
// excludes. The exclusion is evaluated the way BuildKit's context transfer
// (tonistiigi/fsutil's filtered walk) applies .dockerignore: each path is
// matched with patternmatcher's MatchesUsingParentResults, carrying the
// parent directory's per-pattern results down the tree; an excluded
// directory is not walked into unless some "!" exception could re-include
// something inside it (any exception with a wildcard, or a literal exception
// below that directory); an excluded directory is still sent when something
// inside it is.
//
// A BuildContext is safe for concurrent use.
type BuildContext struct {
	// Dir is the context directory (absolute).
	Dir string
	// Ignore is the effective ignore file, or nil.
	Ignore *load.IgnoreFile
	// Invalid is set when the ignore file does not compile: BuildKit then
	// refuses the build, and nothing can be said about exclusion.
	Invalid bool
	// Known is set when the walk saw the context directory: it lies inside a
	// walked directory (not only named files, as a pre-commit hook passes them).
	Known bool

	ws  *Workspace
	pm  *patternmatcher.PatternMatcher // nil when nothing is excluded
	raw []*patternmatcher.PatternMatcher
	exc []bool // pattern i is a "!" exception
	// litIdx indexes the literal patterns (no wildcard: patternmatcher
	// matches them by equality) by their cleaned text; nonLit lists the
	// others. Both in pattern order.
	litIdx map[string][]int
	// prefIdx indexes the patterns "<literal>/**" by their literal directory.
	prefIdx map[string][]int
	nonLit  []int
	// onlyPrefixExceptions: every exception is a literal path (maybe with a
	// trailing /* or /**), so BuildKit skips excluded directories that no
	// exception lies under.
	onlyPrefixExceptions bool
	exceptionDirs        []string // literal exceptions, without trailing glob, plus "/"

	mu   sync.Mutex
	memo map[string]*pathState

	idxOnce, foldOnce, sysOnce, treeOnce, patIdxOnce sync.Once
	patIdx                                           map[*load.IgnorePattern]int
	idx                                              *ctxIndex
	ctree                                            *ctxTree
	stats                                            statCache
	systems                                          map[BuildSystem]bool
}

type pathState struct {
	excluded bool // the ignore file excludes the path itself
	skipped  bool // BuildKit does not walk into it (or an ancestor)
	decider  int  // index of the pattern that decided the exclusion, -1 if unknown
	info     patternmatcher.MatchInfo
	sparse   []int // with sparseMatch: the patterns that matched (for the children)
}

// BuildContext returns the build context of a Dockerfile (cached per
// context directory and ignore file).
func (ws *Workspace) BuildContext(df *Dockerfile) *BuildContext {
	return ws.buildContext(df.Context, df.Ignore)
}

func (ws *Workspace) buildContext(dir string, ig *load.IgnoreFile) *BuildContext {
	key := dir + "\x00"
	if ig != nil {
		key += ig.Path
	}
	ws.buildCtxMu.Lock()
	defer ws.buildCtxMu.Unlock()
	if c, ok := ws.buildCtx[key]; ok {
		return c
	}
	c := newBuildContext(ws, dir, ig)
	if ws.buildCtx == nil {
		ws.buildCtx = map[string]*BuildContext{}
	}
	ws.buildCtx[key] = c
	return c
}

func newBuildContext(ws *Workspace, dir string, ig *load.IgnoreFile) *BuildContext {
	c := &BuildContext{Dir: dir, Ignore: ig, ws: ws, memo: map[string]*pathState{}, onlyPrefixExceptions: true}
	c.Known = ws.Walked(dir)
	if ig == nil {
		return c
	}
	if ig.Matcher == nil || len(ig.Matcher.Patterns()) != len(ig.Patterns) {
		c.Invalid = true
		return c
	}
	c.pm = ig.Matcher
	for _, p := range ig.Matcher.Patterns() {
		one, err := patternmatcher.New([]string{p.String()})
		if err != nil || len(one.Patterns()) != 1 {
			c.Invalid = true
			return c
		}
		if d, ok := strings.CutSuffix(p.String(), "/**"); ok && d != "" && !strings.ContainsAny(d, `*?[]\`) {
			if c.prefIdx == nil {
				c.prefIdx = map[string][]int{}
			}
			c.prefIdx[d] = append(c.prefIdx[d], len(c.raw))
		} else if strings.ContainsAny(p.String(), `*?[]\`) {
			c.nonLit = append(c.nonLit, len(c.raw))
		} else {
			if c.litIdx == nil {
				c.litIdx = map[string][]int{}
			}
			c.litIdx[p.String()] = append(c.litIdx[p.String()], len(c.raw))
		}
		c.raw = append(c.raw, one)
		c.exc = append(c.exc, p.Exclusion())
		if p.Exclusion() {
			lit := strings.TrimSuffix(strings.TrimSuffix(p.String(), "/**"), "/*")
			if strings.ContainsAny(lit, `*[]?^\`) {
				c.onlyPrefixExceptions = false
			}
			c.exceptionDirs = append(c.exceptionDirs, lit+"/")
		}
	}
	return c
}

// Rel returns the context-relative, slash-separated, cleaned form of a
// COPY/ADD source: "" for the context root. Sources cannot leave the
// context: "../x" and "/x" both mean <context>/x.
func Rel(source string) string {
	return strings.TrimPrefix(path.Clean("/"+filepath.ToSlash(source)), "/")
}

// PathInfo describes a context-relative path.
type PathInfo struct {
	// Exists: the walked tree holds the path, as a file or as a directory holding files.
	Exists bool
	IsDir  bool
	// Sent: BuildKit sends the path to the builder (for a directory: the
	// directory itself is not excluded, or something inside it is sent).
	Sent bool
	// Files and SentFiles count the files at or under the path.
	Files, SentFiles int
	// Pattern is the ignore-file pattern that excludes the path (for a
	// directory not sent, the pattern that excludes the directory), or nil.
	Pattern *load.IgnorePattern
	// Hidden: files the walk did not see may lie at or under the path (it
	// is in, or holds, a directory that was not walked and that BuildKit
	// would send), so "does not exist" and "nothing is sent" are not known.
	Hidden bool
}

// Stat describes rel (as returned by Rel; "" is the context root). Results
// are cached: Dockerfiles that share a context ask once per path.
func (c *BuildContext) Stat(rel string) PathInfo {
	c.stats.mu.Lock()
	info, ok := c.stats.m[rel]
	c.stats.mu.Unlock()
	if ok {
		return info
	}
	info = c.stat(rel)
	c.stats.mu.Lock()
	if c.stats.m == nil {
		c.stats.m = map[string]PathInfo{}
	}
	c.stats.m[rel] = info
	c.stats.mu.Unlock()
	return info
}

func (c *BuildContext) stat(rel string) PathInfo {
	var info PathInfo
	abs := c.abs(rel)
	files := c.ws.Files(abs)
	i := sort.SearchStrings(c.ws.files, abs)
	isFile := rel != "" && i < len(c.ws.files) && c.ws.files[i] == abs
	info.IsDir = len(files) > 0 || rel == ""
	info.Exists = isFile || info.IsDir
	info.Hidden = c.hidden(abs)
	c.mu.Lock()
	defer c.mu.Unlock()
	if isFile {
		info.Files = 1
		st := c.state(rel, false)
		if !st.excluded && !st.skipped {
			info.SentFiles = 1
			info.Sent = true
		} else {
			info.Pattern = c.pattern(st.decider)
		}
		return info
	}
	if !info.IsDir {
		return info
	}
	info.Files = len(files)
	var st *pathState
	if rel != "" {
		st = c.state(rel, true)
	}
	info.Sent = st == nil || (!st.excluded && !st.skipped)
	for _, f := range files {
		r := c.rel(f)
		fs := c.state(r, false)
		if !fs.excluded && !fs.skipped {
			info.SentFiles++
			info.Sent = true
			continue
		}
		if info.Sent || st.skipped {
			continue
		}
		// A directory between rel and the file that is not excluded is sent.
		for d := path.Dir(r); d != rel && d != "."; d = path.Dir(d) {
			if ds := c.state(d, true); !ds.excluded && !ds.skipped {
				info.Sent = true
				break
			}
		}
	}
	if !info.Sent {
		info.Pattern = c.pattern(st.decider)
	}
	return info
}

// GlobMayBeHidden reports whether a wildcard source could match something in
// a directory that was not walked.
func (c *BuildContext) GlobMayBeHidden(pattern string) bool {
	pattern = Rel(pattern)
	pp := strings.Split(pattern, "/")
	for _, u := range c.ws.unwalkedUnder(c.Dir) {
		up := strings.Split(c.rel(u), "/")
		n := min(len(up), len(pp))
		ok := true
		for i := 0; i < n && ok; i++ {
			ok, _ = path.Match(pp[i], up[i])
		}
		if ok {
			return true
		}
	}
	return false
}

// Unwalked returns the directories under dir whose contents were not walked
// (node_modules, vendor, .git, --exclude'd and symlinked directories).
func (ws *Workspace) unwalkedUnder(dir string) []string { return under(ws.unwalked, dir) }

// Walked reports whether the walk saw the directory dir: it is, or lies
// inside, a walked directory, and not inside one that was not walked.
func (ws *Workspace) Walked(dir string) bool {
	for _, r := range ws.roots {
		if dir == r || strings.HasPrefix(dir, strings.TrimSuffix(r, string(filepath.Separator))+string(filepath.Separator)) {
			return !ws.InUnwalked(dir)
		}
	}
	return false
}

// InUnwalked reports whether path is, or lies inside, a directory whose
// contents were not walked: what lies there is unknown.
func (ws *Workspace) InUnwalked(p string) bool {
	if len(ws.unwalked) == 0 {
		return false
	}
	for d := p; ; d = filepath.Dir(d) {
		i := sort.SearchStrings(ws.unwalked, d)
		if i < len(ws.unwalked) && ws.unwalked[i] == d {
			return true
		}
		if filepath.Dir(d) == d {
			return false
		}
	}
}

// hidden: abs lies in an unwalked directory, or holds one that BuildKit
// would walk into (not excluded, or excluded with exceptions that may
// re-include what is inside).
func (c *BuildContext) hidden(abs string) bool {
	if c.ws.InUnwalked(abs) {
		return true
	}
	for _, u := range c.ws.unwalkedUnder(abs) {
		c.mu.Lock()
		st := c.state(c.rel(u), true)
		c.mu.Unlock()
		if !st.excluded || !st.skipped {
			return true
		}
	}
	return false
}

func (c *BuildContext) abs(rel string) string {
	if rel == "" {
		return c.Dir
	}
	return filepath.Join(c.Dir, filepath.FromSlash(rel))
}

func (c *BuildContext) rel(abs string) string {
	r, _ := filepath.Rel(c.Dir, abs)
	return filepath.ToSlash(r)
}

// PatternIndex returns the index of p among the ignore file's patterns, or -1.
func (c *BuildContext) PatternIndex(p *load.IgnorePattern) int {
	if c.Ignore == nil || p == nil {
		return -1
	}
	c.patIdxOnce.Do(func() {
		c.patIdx = make(map[*load.IgnorePattern]int, len(c.Ignore.Patterns))
		for i := range c.Ignore.Patterns {
			c.patIdx[&c.Ignore.Patterns[i]] = i
		}
	})
	if i, ok := c.patIdx[p]; ok {
		return i
	}
	return -1
}

func (c *BuildContext) pattern(i int) *load.IgnorePattern {
	if c.Ignore == nil || i < 0 || i >= len(c.Ignore.Patterns) {
		return nil
	}
	return &c.Ignore.Patterns[i]
}

// state evaluates rel (not the root) and its ancestors; c.mu must be held.
func (c *BuildContext) state(rel string, isDir bool) *pathState {
	if s, ok := c.memo[rel]; ok {
		return s
	}
	s := &pathState{decider: -1}
	if c.pm == nil {
		c.memo[rel] = s
		return s
	}
	var parent *pathState
	if d := path.Dir(rel); d != "." {
		parent = c.state(d, true)
	}
	if parent != nil && parent.skipped {
		s.excluded, s.skipped, s.decider = true, true, parent.decider
		c.memo[rel] = s
		return s
	}
	var m bool
	if len(c.raw) >= sparseMin && len(c.nonLit)*4 <= len(c.raw) {
		// Many patterns: only those that can match are looked at.
		var pm []int
		if parent != nil {
			pm = parent.sparse
		}
		m, s.sparse = c.sparseMatch(filepath.FromSlash(rel), pm, -1, nil, false, isDir)
	} else {
		var pinfo patternmatcher.MatchInfo
		if parent != nil {
			pinfo = parent.info
		}
		var info patternmatcher.MatchInfo
		var err error
		m, info, err = c.pm.MatchesUsingParentResults(filepath.FromSlash(rel), pinfo)
		if err != nil {
			// Bad patterns are reported by parse-error; treat the path as sent.
			c.memo[rel] = s
			return s
		}
		s.info = info
	}
	s.excluded = m
	if m {
		s.decider = c.decide(rel)
	}
	if m && isDir && c.onlyPrefixExceptions {
		s.skipped = true
		if c.pm.Exclusions() {
			for _, e := range c.exceptionDirs {
				if strings.HasPrefix(e, rel+"/") {
					s.skipped = false
					break
				}
			}
		}
	}
	c.memo[rel] = s
	return s
}

// decide returns the pattern that excludes rel: the last non-exception
// pattern that matches it or one of its parent directories (the last
// matching pattern wins), or -1.
func (c *BuildContext) decide(rel string) int {
	best := -1
	// Literal patterns match by equality, "dir/**" the paths below dir: look them up.
	for d := rel; d != "."; d = path.Dir(d) {
		for _, i := range c.litIdx[filepath.FromSlash(d)] {
			if !c.exc[i] && i > best {
				best = i
			}
		}
		if d != rel {
			for _, i := range c.prefIdx[filepath.FromSlash(d)] {
				if !c.exc[i] && i > best {
					best = i
				}
			}
		}
	}
	// The others, from the last, down to the best literal one.
	for k := len(c.nonLit) - 1; k >= 0 && c.nonLit[k] > best; k-- {
		i := c.nonLit[k]
		if c.exc[i] {
			continue
		}
		for d := rel; d != "."; d = path.Dir(d) {
			if rawMatch(c.raw[i], filepath.FromSlash(d)) {
				return i
			}
		}
	}
	return best
}

// rawMatch matches one pattern against a path, without parent directories.
func rawMatch(one *patternmatcher.PatternMatcher, p string) bool {
	//nolint:staticcheck // MatchesUsingParentResult(p, false) on a one-pattern matcher is the pattern's own match.
	ok, _ := one.MatchesUsingParentResult(p, false)
	return ok
}

// WithPattern returns a copy of the context's ignore evaluation with one
// more pattern line inserted after pattern index after (-1: at the start;
// len: at the end), for checking that a proposed fix works. It returns nil
// when the patterns do not compile.
func (c *BuildContext) WithPattern(after int, line string) *BuildContext {
	if c.Ignore == nil || c.Invalid {
		return nil
	}
	var pats []string
	var ips []load.IgnorePattern
	add := func(p load.IgnorePattern) {
		t := p.Text
		if p.Exclusion {
			t = "!" + t
		}
		pats = append(pats, t)
		ips = append(ips, p)
	}
	extra := load.IgnorePattern{Text: strings.TrimPrefix(line, "!"), Raw: line, Exclusion: strings.HasPrefix(line, "!")}
	if after < 0 {
		add(extra)
	}
	for i, p := range c.Ignore.Patterns {
		add(p)
		if i == after {
			add(extra)
		}
	}
	if after >= len(c.Ignore.Patterns) {
		add(extra)
	}
	m, err := patternmatcher.New(pats)
	if err != nil {
		return nil
	}
	ig := &load.IgnoreFile{Path: c.Ignore.Path, Patterns: ips, Matcher: m}
	nc := newBuildContext(c.ws, c.Dir, ig)
	if nc.Invalid {
		return nil
	}
	return nc
}

// Exclusion reports whether the ignore file keeps rel (a file, existing or
// not: only the patterns decide) out of the context, and the pattern that
// excludes it (nil when unknown).
func (c *BuildContext) Exclusion(rel string) (bool, *load.IgnorePattern) {
	if c.pm == nil || rel == "" {
		return false, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.state(rel, false)
	if !st.excluded && !st.skipped {
		return false, nil
	}
	return true, c.pattern(st.decider)
}

// FilesUnder returns the context-relative paths of the files the walked
// tree holds at or under rel ("" is the root).
func (c *BuildContext) FilesUnder(rel string) []string {
	abs := c.abs(rel)
	var out []string
	i := sort.SearchStrings(c.ws.files, abs)
	if rel != "" && i < len(c.ws.files) && c.ws.files[i] == abs {
		out = append(out, rel)
	}
	for _, f := range c.ws.Files(abs) {
		out = append(out, c.rel(f))
	}
	return out
}

// BuildContextAt returns dir as a build context without an ignore file
// (to ask what exists relative to a directory).
func (ws *Workspace) BuildContextAt(dir string) *BuildContext { return ws.buildContext(dir, nil) }

// ContextCopy is a COPY or ADD of a Dockerfile's final stage whose
// destination in the image is known (load.Copy.ImageDest), with its
// literal sources from the build context.
type ContextCopy struct {
	*load.Copy
	To      string
	IntoDir bool
	// Rels are the context-relative paths (Rel) of its sources that are
	// no URL, no glob and no variable without a value, in order.
	Rels []string
}

// FinalContextCopies lists, in instruction order, the final stage's
// copies with a known destination and at least one literal source from
// the build context: what the image's command can find of the tree.
func (df *Dockerfile) FinalContextCopies() []ContextCopy {
	final := len(df.Stages) - 1
	var out []ContextCopy
	for _, cp := range df.Copies {
		to, intoDir, ok := cp.ImageDest()
		if cp.Stage != final || !ok {
			continue
		}
		cc := ContextCopy{Copy: cp, To: to, IntoDir: intoDir}
		for _, s := range cp.Sources {
			if s.Resolved && !s.Remote && !IsGlob(s.Path) {
				cc.Rels = append(cc.Rels, Rel(s.Path))
			}
		}
		if len(cc.Rels) > 0 {
			out = append(out, cc)
		}
	}
	return out
}
