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

// virt maps an index of the ignore file's patterns to the virtual list.
func (v *virtualIgnore) virt(i int) int {
	if i < v.ins {
		return i
	}
	return i + 1
}

func (v *virtualIgnore) pat(i int) (*patternmatcher.PatternMatcher, bool) {
	switch {
	case i < v.ins:
		return v.c.raw[i], v.c.exc[i]
	case i == v.ins:
		return v.extra, v.extraExc
	}
	return v.c.raw[i-1], v.c.exc[i-1]
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
	file := filepath.FromSlash(rel)
	// The patterns that can match: those that matched a parent, the literal
	// ones equal to the path, the wildcard ones and the inserted line. A
	// literal pattern not among them does not match, so skipping it changes
	// nothing (MatchesUsingParentResults records only matches).
	const (
		fromParent = 1 << iota
		literal
		evaluate
	)
	cands := map[int]int{v.ins: evaluate}
	if parent != nil {
		for _, i := range parent.matched {
			cands[i] |= fromParent
		}
	}
	for _, i := range v.c.litIdx[file] {
		cands[v.virt(i)] |= literal
	}
	for _, i := range v.c.nonLit {
		cands[v.virt(i)] |= evaluate
	}
	order := make([]int, 0, len(cands))
	for i := range cands {
		order = append(order, i)
	}
	sort.Ints(order)
	matched := false
	for _, i := range order {
		p, exc := v.pat(i)
		how := cands[i]
		match := how&fromParent != 0
		if !match {
			if exc != matched {
				continue
			}
			match = how&literal != 0 || how&evaluate != 0 && rawMatch(p, file)
		}
		if match {
			if isDir {
				s.matched = append(s.matched, i)
			}
			matched = !exc
		}
	}
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
