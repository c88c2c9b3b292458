package workspace

import (
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/moby/patternmatcher"
)

// ctxIndex is built once per build context, on first use: the
// context-relative paths of its files, sorted (a glob's candidates are the
// files under its literal prefix, found by binary search), and a case-folded
// lookup of every file and directory.
type ctxIndex struct {
	rels []string          // context-relative file paths, sorted
	fold map[string]string // lower-cased path (file or directory) -> the first path with it
}

func (c *BuildContext) index() *ctxIndex {
	c.idxOnce.Do(func() {
		files := c.ws.Files(c.Dir)
		idx := &ctxIndex{rels: make([]string, len(files))}
		for i, f := range files {
			idx.rels[i] = c.rel(f)
		}
		c.idx = idx
	})
	return c.idx
}

// foldIndex builds the case-folded lookup (only when a source is missing).
func (c *BuildContext) foldIndex() map[string]string {
	c.foldOnce.Do(func() {
		idx := c.index()
		fold := make(map[string]string, len(idx.rels))
		for _, r := range idx.rels {
			for p := r; p != "."; p = path.Dir(p) {
				k := strings.ToLower(p)
				if _, ok := fold[k]; ok {
					break // its ancestors are in too
				}
				fold[k] = p
			}
		}
		idx.fold = fold
	})
	return c.idx.fold
}

// CaseVariant returns a path of the context (file or directory) that equals
// rel but for letter case, or "".
func (c *BuildContext) CaseVariant(rel string) string {
	if rel == "" || IsGlob(rel) {
		return ""
	}
	if p, ok := c.foldIndex()[strings.ToLower(rel)]; ok && p != rel {
		return p
	}
	return ""
}

// Glob returns the context-relative paths (files, and directories holding
// files) that a wildcard source matches in the walked tree, in order, the
// way BuildKit resolves them: the pattern is matched segment by segment
// against the paths of its depth below its literal leading directories, and
// a matched directory is not searched further. Literal segments are looked
// up, wildcard segments match the children of the directories matched so far.
func (c *BuildContext) Glob(pattern string) []string {
	pattern = Rel(pattern)
	t := c.tree()
	cur := []string{""}
	for _, seg := range strings.Split(pattern, "/") {
		var next []string
		literal := !strings.ContainsAny(seg, `*?[\`)
		for _, d := range cur {
			if literal {
				p := seg
				if d != "" {
					p = d + "/" + seg
				}
				if t.nodes[p] {
					next = append(next, p)
				}
				continue
			}
			// Only the children that start with the segment's literal prefix.
			pre := seg[:strings.IndexAny(seg, `*?[\`)]
			chs := t.children[d]
			for _, ch := range chs[sort.SearchStrings(chs, pre):] {
				if !strings.HasPrefix(ch, pre) {
					break
				}
				if ok, _ := path.Match(seg, ch); ok {
					if d == "" {
						next = append(next, ch)
					} else {
						next = append(next, d+"/"+ch)
					}
				}
			}
		}
		if cur = next; len(cur) == 0 {
			return nil
		}
	}
	// In the order of the walked files: a directory sorts as its first file.
	key := func(p string) string {
		if len(t.children[p]) > 0 {
			return p + "/"
		}
		return p
	}
	sort.SliceStable(cur, func(i, j int) bool { return key(cur[i]) < key(cur[j]) })
	return cur
}

// ctxTree is the context's files as a tree: every path (file or
// directory) and the sorted child names of each directory ("" is the root).
type ctxTree struct {
	nodes    map[string]bool
	children map[string][]string
}

func (c *BuildContext) tree() *ctxTree {
	c.treeOnce.Do(func() {
		t := &ctxTree{nodes: map[string]bool{}, children: map[string][]string{}}
		for _, r := range c.index().rels {
			for p := r; p != "." && !t.nodes[p]; p = path.Dir(p) {
				t.nodes[p] = true
				d := path.Dir(p)
				if d == "." {
					d = ""
				}
				t.children[d] = append(t.children[d], path.Base(p))
			}
		}
		for _, ch := range t.children {
			sort.Strings(ch)
		}
		c.ctree = t
	})
	return c.ctree
}

// FixWorks reports whether inserting line (an ignore-file line, usually a
// "!" exception) after pattern index after (-1: at the start; len: at the
// end) would make every path of paths sent with all its files. A path that
// the walked tree does not hold is judged as a file of that name. It
// evaluates the patterns that are already compiled, the way
// patternmatcher's MatchesUsingParentResults and BuildKit's walk do, without
// compiling the ignore file again.
func (c *BuildContext) FixWorks(after int, line string, paths []string) bool {
	if c.Ignore == nil || c.Invalid || c.pm == nil {
		return false
	}
	extra, err := patternmatcher.New([]string{line})
	if err != nil || len(extra.Patterns()) != 1 {
		return false
	}
	ep := extra.Patterns()[0]
	one, err := patternmatcher.New([]string{ep.String()})
	if err != nil || len(one.Patterns()) != 1 {
		return false
	}
	ins := min(max(after+1, 0), len(c.raw))
	v := &virtualIgnore{c: c, ins: ins, extra: one, extraExc: ep.Exclusion(), memo: map[string]*vstate{}}
	v.onlyPrefix = c.onlyPrefixExceptions
	v.dirs = c.exceptionDirs
	if ep.Exclusion() {
		lit := strings.TrimSuffix(strings.TrimSuffix(ep.String(), "/**"), "/*")
		if strings.ContainsAny(lit, `*[]?^\`) {
			v.onlyPrefix = false
		}
		v.dirs = append(slices.Clip(c.exceptionDirs), lit+"/")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range paths {
		files := c.FilesUnder(r)
		if len(files) == 0 {
			files = []string{r}
		}
		for _, f := range files {
			if f == "" {
				continue
			}
			if s := v.state(f, false); s.excluded || s.skipped {
				return false
			}
		}
	}
	return true
}

// virtualIgnore evaluates the ignore file with one more pattern at index ins.
type virtualIgnore struct {
	c          *BuildContext
	ins        int
	extra      *patternmatcher.PatternMatcher
	extraExc   bool
	dirs       []string // literal exception directories, the extra one included
	onlyPrefix bool
	memo       map[string]*vstate
}

type vstate struct {
	excluded, skipped bool
	// matched lists, in order, the (virtual) indices of the patterns that
	// matched the path or a parent: MatchInfo's parentMatched, kept sparse.
	matched []int
}

// sparseMin is the number of patterns from which Stat evaluates paths with
// sparseMatch instead of patternmatcher's loop over every pattern.
var sparseMin = 256

// sparseMatch evaluates file as patternmatcher's MatchesUsingParentResults
// does, given the patterns that matched its parent directory (sorted
// indices), with one extra pattern inserted at index ins when ins >= 0
// (indices from ins on shift by one). It looks only at the patterns that can
// match: those that matched the parent, the literal ones equal to the path
// (found by text), the wildcard ones and the inserted one. A literal pattern
// not among them does not match, so leaving it out changes nothing: the
// loop records matches only. It returns the result and, when keep is set,
// the sorted indices of the patterns that matched (for the children).
func (c *BuildContext) sparseMatch(file string, parent []int, ins int, extra *patternmatcher.PatternMatcher, extraExc, keep bool) (bool, []int) {
	const (
		fromParent = 1 << iota
		literal
		evaluate
	)
	virt := func(i int) int {
		if ins >= 0 && i >= ins {
			return i + 1
		}
		return i
	}
	type cand struct{ i, how int }
	cands := make([]cand, 0, len(parent)+len(c.nonLit)+2)
	for _, i := range parent {
		cands = append(cands, cand{i, fromParent})
	}
	for _, i := range c.litIdx[file] {
		cands = append(cands, cand{virt(i), literal})
	}
	// "dir/**" matches the paths below dir.
	for d := filepath.Dir(file); d != "."; d = filepath.Dir(d) {
		for _, i := range c.prefIdx[d] {
			cands = append(cands, cand{virt(i), literal})
		}
	}
	for _, i := range c.nonLit {
		cands = append(cands, cand{virt(i), evaluate})
	}
	if ins >= 0 {
		cands = append(cands, cand{ins, evaluate})
	}
	sort.Slice(cands, func(a, b int) bool { return cands[a].i < cands[b].i })
	var set []int
	matched := false
	for k := 0; k < len(cands); {
		i, how := cands[k].i, 0
		for ; k < len(cands) && cands[k].i == i; k++ {
			how |= cands[k].how
		}
		var p *patternmatcher.PatternMatcher
		var exc bool
		switch {
		case ins >= 0 && i == ins:
			p, exc = extra, extraExc
		case ins >= 0 && i > ins:
			p, exc = c.raw[i-1], c.exc[i-1]
		default:
			p, exc = c.raw[i], c.exc[i]
		}
		match := how&fromParent != 0
		if !match {
			if exc != matched {
				continue
			}
			match = how&literal != 0 || how&evaluate != 0 && rawMatch(p, file)
		}
		if match {
			if keep {
				set = append(set, i)
			}
			matched = !exc
		}
	}
	return matched, set
}

func (v *virtualIgnore) state(rel string, isDir bool) *vstate {
	if s, ok := v.memo[rel]; ok {
		return s
	}
	var parent *vstate
	if d := path.Dir(rel); d != "." {
		parent = v.state(d, true)
	}
	s := &vstate{}
	if parent != nil && parent.skipped {
		s.excluded, s.skipped = true, true
		v.memo[rel] = s
		return s
	}
	var pm []int
	if parent != nil {
		pm = parent.matched
	}
	matched, set := v.c.sparseMatch(filepath.FromSlash(rel), pm, v.ins, v.extra, v.extraExc, isDir)
	s.matched = set
	s.excluded = matched
	if matched && isDir && v.onlyPrefix {
		s.skipped = true
		if v.c.pm.Exclusions() || v.extraExc {
			for _, e := range v.dirs {
				if strings.HasPrefix(e, rel+"/") {
					s.skipped = false
					break
				}
			}
		}
	}
	if isDir {
		v.memo[rel] = s
	}
	return s
}

// statCache memoises Stat per context-relative path.
type statCache struct {
	mu sync.Mutex
	m  map[string]PathInfo
}

// BuildSystem names a build tool whose project files lie at the root of a
// build context.
type BuildSystem string

const (
	Maven      BuildSystem = "maven"
	Gradle     BuildSystem = "gradle"
	NPM        BuildSystem = "npm"
	Go         BuildSystem = "go"
	Cargo      BuildSystem = "cargo"
	Make       BuildSystem = "make"
	GoReleaser BuildSystem = "goreleaser"
	DotNet     BuildSystem = "dotnet"
	CMake      BuildSystem = "cmake"
	Mix        BuildSystem = "mix"
)

// buildSystemFiles are the project files that mark each build system.
var buildSystemFiles = map[string]BuildSystem{
	"pom.xml": Maven, "mvnw": Maven,
	"build.gradle": Gradle, "build.gradle.kts": Gradle, "settings.gradle": Gradle, "settings.gradle.kts": Gradle, "gradlew": Gradle,
	"package.json": NPM,
	"go.mod":       Go,
	"Cargo.toml":   Cargo,
	"Makefile":     Make, "makefile": Make, "GNUmakefile": Make,
	".goreleaser.yml": GoReleaser, ".goreleaser.yaml": GoReleaser, "goreleaser.yml": GoReleaser, "goreleaser.yaml": GoReleaser,
	"CMakeLists.txt": CMake,
	"mix.exs":        Mix,
}

// BuildSystems returns the build systems whose project files lie at the
// context root (.NET: a *.csproj, *.fsproj, *.vbproj or *.sln there),
// computed once per context.
func (c *BuildContext) BuildSystems() map[BuildSystem]bool {
	c.sysOnce.Do(func() {
		c.systems = map[BuildSystem]bool{}
		for _, r := range c.index().rels {
			if strings.Contains(r, "/") {
				continue
			}
			if s, ok := buildSystemFiles[r]; ok {
				c.systems[s] = true
			}
			switch path.Ext(r) {
			case ".csproj", ".fsproj", ".vbproj", ".sln":
				c.systems[DotNet] = true
			}
		}
	})
	return c.systems
}
