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

// withPrefix returns the sorted paths that start with prefix.
func withPrefix(sorted []string, prefix string) []string {
	i := sort.SearchStrings(sorted, prefix)
	j := i
	for j < len(sorted) && strings.HasPrefix(sorted[j], prefix) {
		j++
	}
	return sorted[i:j]
}

// literalPrefix is the part of a glob before its first special character.
func literalPrefix(pattern string) string {
	if i := strings.IndexAny(pattern, `*?[\`); i >= 0 {
		return pattern[:i]
	}
	return pattern
}

// Glob returns the context-relative paths (files, and directories holding
// files) that a wildcard source matches in the walked tree, in order, the
// way BuildKit resolves them: the pattern is matched against whole paths
// below its literal leading directories, and a matched directory is not
// searched further. Only the files under the pattern's literal prefix are
// looked at.
func (c *BuildContext) Glob(pattern string) []string {
	pattern = Rel(pattern)
	var out []string
	depth := strings.Count(pattern, "/") + 1
	last := ""
	for _, r := range withPrefix(c.index().rels, literalPrefix(pattern)) {
		p := r
		if n := nthSlash(r, depth); n >= 0 {
			p = r[:n]
		} else if strings.Count(r, "/")+1 < depth {
			continue
		}
		// Files are sorted, so the paths of one prefix are adjacent.
		if p == last {
			continue
		}
		last = p
		if ok, _ := path.Match(pattern, p); ok {
			out = append(out, p)
		}
	}
	return out
}

// nthSlash returns the index of the n-th "/" of s, or -1.
func nthSlash(s string, n int) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			if n--; n == 0 {
				return i
			}
		}
	}
	return -1
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
	matched           []bool // per pattern: it matched the path or a parent (as MatchInfo)
}

func (v *virtualIgnore) n() int { return len(v.c.raw) + 1 }

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
	n := v.n()
	if isDir {
		s.matched = make([]bool, n)
	}
	matched := false
	for i := range n {
		p, exc := v.pat(i)
		match := parent != nil && parent.matched[i]
		if !match {
			if exc != matched {
				continue
			}
			match = rawMatch(p, file)
		}
		if isDir {
			s.matched[i] = match
		}
		if match {
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
