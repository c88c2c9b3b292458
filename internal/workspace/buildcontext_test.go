package workspace

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/moby/patternmatcher"

	"github.com/k8slint/k8slint/internal/load"
)

const root = "/ctx"

// testContext builds a workspace with the given context-relative files, a
// Dockerfile at the root and a .dockerignore with the given lines.
func testContext(t *testing.T, ignore []string, files []string, unwalked ...string) *BuildContext {
	t.Helper()
	var abs []string
	for _, f := range append([]string{"Dockerfile", ".dockerignore"}, files...) {
		abs = append(abs, filepath.Join(root, f))
	}
	sort.Strings(abs)
	b := NewBuilder(Settings{}, abs)
	var uw []string
	for _, u := range unwalked {
		uw = append(uw, filepath.Join(root, u))
	}
	b.SetUnwalked(uw)
	b.AddDockerfile(load.LoadDockerfile(filepath.Join(root, "Dockerfile"), []byte("FROM scratch\n")))
	if ignore != nil {
		ig := load.LoadIgnore(filepath.Join(root, ".dockerignore"), []byte(strings.Join(ignore, "\n")+"\n"))
		if len(ig.Problems) > 0 {
			t.Fatalf("ignore file: %v", ig.Problems)
		}
		b.AddIgnore(ig)
	}
	ws := b.Build()
	return ws.BuildContext(ws.Dockerfiles[0])
}

func TestBuildContextStat(t *testing.T) {
	type check struct {
		path      string
		sent      bool
		line      int // line of the deciding pattern (0: none)
		files     int // -1: don't check
		sentFiles int
	}
	tests := []struct {
		name   string
		ignore []string
		files  []string
		checks []check
	}{
		{
			name:   "star then exception for a directory",
			ignore: []string{"*", "!src"},
			files:  []string{"README.md", "src/a.go", "src/sub/b.go", "docs/x.md"},
			checks: []check{
				{"README.md", false, 1, 1, 0},
				{"src/a.go", true, 0, 1, 1},
				{"src/sub/b.go", true, 0, 1, 1},
				{"src", true, 0, 2, 2},
				{"docs", false, 1, 1, 0},
				{"docs/x.md", false, 1, 1, 0},
				{"", true, 0, 6, 2},
			},
		},
		{
			name:   "the article: star, wildcard exception, directory exception",
			ignore: []string{"# IDE", "*", "!Dockerfile", "!code/sms/*.py", "!code/sms/tasks"},
			files:  []string{"code/sms/requirements.txt", "code/sms/wsgi.py", "code/sms/tasks/__init__.py", "code/other/x.py", "deploy/web.yaml"},
			checks: []check{
				{"code/sms/requirements.txt", false, 2, 1, 0},
				{"code/sms/wsgi.py", true, 0, 1, 1},
				{"code/sms/tasks/__init__.py", true, 0, 1, 1},
				{"code/sms/tasks", true, 0, 1, 1},
				{"code/sms", true, 0, 3, 2},
				{"code", true, 0, 4, 2},
				{"code/other", false, 2, 1, 0},
				{"Dockerfile", true, 0, 1, 1},
				{".dockerignore", false, 2, 1, 0},
			},
		},
		{
			name:   "last matching pattern wins",
			ignore: []string{"*", "!*.txt", "secret.txt"},
			files:  []string{"a.txt", "secret.txt", "b.md"},
			checks: []check{
				{"a.txt", true, 0, 1, 1},
				{"secret.txt", false, 3, 1, 0},
				{"b.md", false, 1, 1, 0},
			},
		},
		{
			name:   "an excluded directory is skipped unless an exception lies under it",
			ignore: []string{"docs", "build", "!docs/keep/*"},
			files:  []string{"docs/keep/a.md", "docs/other.md", "build/keep/a.md"},
			checks: []check{
				{"docs/keep/a.md", true, 0, 1, 1},
				{"docs/other.md", false, 1, 1, 0},
				{"docs", true, 0, 2, 1}, // sent: something inside it is
				{"build/keep/a.md", false, 2, 1, 0},
				{"build", false, 2, 1, 0},
			},
		},
		{
			name:   "a file pattern leaves its directory in the context",
			ignore: []string{"**/*.pyc", "**/__pycache__"},
			files:  []string{"cache/a.pyc", "cache/b.pyc", "app/__pycache__/m.cpython-312.pyc", "app/m.py"},
			checks: []check{
				{"cache", true, 0, 2, 0}, // sent, but empty: copies nothing
				{"cache/a.pyc", false, 1, 1, 0},
				{"app/__pycache__", false, 2, 1, 0},
				{"app/__pycache__/m.cpython-312.pyc", false, 2, 1, 0},
				{"app", true, 0, 2, 1},
			},
		},
		{
			name:   "leading slash and trailing slash are normalized",
			ignore: []string{"/secrets/", "!/secrets/public.pem"},
			files:  []string{"secrets/key.pem", "secrets/public.pem"},
			checks: []check{
				{"secrets/key.pem", false, 1, 1, 0},
				{"secrets/public.pem", true, 0, 1, 1},
			},
		},
		{
			name: "parent results are carried down (BuildKit's MatchesUsingParentResults)",
			// "a" is excluded by line 1; a/b is re-included by line 2; line 3 is
			// not re-evaluated for a/b's children: BuildKit sends a/b/c.
			ignore: []string{"a", "!a/b", "a"},
			files:  []string{"a/b/c", "a/x"},
			checks: []check{
				{"a/b/c", true, 0, 1, 1},
				{"a/x", false, 3, 1, 0},
			},
		},
		{
			name:   "no patterns",
			ignore: []string{"# nothing"},
			files:  []string{"a"},
			checks: []check{{"a", true, 0, 1, 1}},
		},
		{
			name:   "missing path",
			ignore: []string{"*"},
			files:  []string{"a"},
			checks: []check{{"b", false, 0, 0, 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bc := testContext(t, tt.ignore, tt.files)
			for _, c := range tt.checks {
				info := bc.Stat(c.path)
				line := 0
				if info.Pattern != nil {
					line = info.Pattern.Line
				}
				if info.Sent != c.sent || line != c.line || (c.files >= 0 && (info.Files != c.files || info.SentFiles != c.sentFiles)) {
					t.Errorf("Stat(%q) = sent %v, line %d, files %d/%d; want sent %v, line %d, files %d/%d",
						c.path, info.Sent, line, info.SentFiles, info.Files, c.sent, c.line, c.sentFiles, c.files)
				}
			}
		})
	}
}

// TestBuildContextAgreesWithPatternmatcher checks, for files at the top of
// the context and for files whose directories are never skipped, that Stat
// says exactly what patternmatcher says.
func TestBuildContextAgreesWithPatternmatcher(t *testing.T) {
	sets := [][]string{
		{"*", "!src"},
		{"*", "!*/*.go", "vendor"},
		{"**/*.md", "!README.md"},
		{"*.txt", "!keep*.txt", "keep-not.txt"},
		{"a/**", "!a/b/**", "a/b/c"},
		{"[a-c]*", "!b?"},
	}
	files := []string{"README.md", "a.txt", "keep1.txt", "keep-not.txt", "b1", "bc", "src/x.go", "src/y.md", "a/b/c", "a/b/d", "a/e", "vendor/m.go", "docs/README.md"}
	for _, pats := range sets {
		bc := testContext(t, pats, files)
		pm, err := patternmatcher.New(pats)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			// Walk the parents as BuildKit does, carrying parent results.
			var info patternmatcher.MatchInfo
			excluded := false
			parts := strings.Split(f, "/")
			for i := range parts {
				p := strings.Join(parts[:i+1], "/")
				var m bool
				m, info, err = pm.MatchesUsingParentResults(p, info)
				if err != nil {
					t.Fatal(err)
				}
				excluded = m
			}
			// A skipped parent hides the file even if it would be re-included;
			// Stat models that, so only compare when no parent is excluded
			// without exceptions under it. Exceptions with wildcards disable skipping.
			got := bc.Stat(f)
			if got.Sent == excluded && !anyParentSkipped(bc, f) {
				t.Errorf("patterns %q: %s: Stat sent=%v, patternmatcher excluded=%v", pats, f, got.Sent, excluded)
			}
			if !got.Sent && got.Pattern == nil {
				t.Errorf("patterns %q: %s: excluded without a deciding pattern", pats, f)
			}
		}
	}
}

func anyParentSkipped(bc *BuildContext, f string) bool {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	for d := filepath.Dir(f); d != "."; d = filepath.Dir(d) {
		if bc.state(d, true).skipped {
			return true
		}
	}
	return false
}

func TestBuildContextHidden(t *testing.T) {
	files := []string{"app.js", "package.json"}
	for _, tt := range []struct {
		ignore []string
		path   string
		hidden bool
	}{
		{[]string{"*.md"}, "", true},                            // node_modules is sent, unseen
		{[]string{"node_modules"}, "", false},                   // excluded and skipped
		{[]string{"*", "!app.js"}, "", false},                   // excluded, no exception under it
		{[]string{"*", "!node_modules/x"}, "", true},            // an exception reaches inside
		{[]string{"*", "!**/*.js"}, "", true},                   // a wildcard exception: walked
		{[]string{"*.md"}, "node_modules/react/index.js", true}, // inside an unwalked directory
		{[]string{"*.md"}, "app.js", false},
	} {
		bc := testContext(t, tt.ignore, files, "node_modules")
		if got := bc.Stat(tt.path).Hidden; got != tt.hidden {
			t.Errorf("ignore %q: Stat(%q).Hidden = %v, want %v", tt.ignore, tt.path, got, tt.hidden)
		}
	}
}

func TestBuildContextGlob(t *testing.T) {
	bc := testContext(t, nil, []string{"a.txt", "b.txt", "c.md", "src/x.go", "src/y/z.go", "srv/k.go"})
	for _, tt := range []struct {
		pattern string
		want    string
	}{
		{"*.txt", "a.txt b.txt"},
		{"/*.txt", "a.txt b.txt"},
		{"./*.md", "c.md"},
		{"sr?", "src srv"}, // directories match whole
		{"src/*.go", "src/x.go"},
		{"*/*.go", "src/x.go srv/k.go"},
		{"*.rs", ""},
	} {
		if got := strings.Join(bc.Glob(tt.pattern), " "); got != tt.want {
			t.Errorf("Glob(%q) = %q, want %q", tt.pattern, got, tt.want)
		}
	}
	bc = testContext(t, nil, []string{"a.txt"}, "node_modules", "pkg/vendor")
	for _, tt := range []struct {
		pattern string
		want    bool
	}{
		{"node_modules/*/package.json", true},
		{"*/package.json", true},
		{"pkg/*/x.go", true},
		{"pkg/src/*.go", false},
		{"*.txt", false},
	} {
		if got := bc.GlobMayBeHidden(tt.pattern); got != tt.want {
			t.Errorf("GlobMayBeHidden(%q) = %v, want %v", tt.pattern, got, tt.want)
		}
	}
}

func TestRel(t *testing.T) {
	for in, want := range map[string]string{
		".": "", "./": "", "/": "", "a/": "a", "./a/b": "a/b", "/a/../b": "b", "../x": "x", "a//b": "a/b",
	} {
		if got := Rel(in); got != want {
			t.Errorf("Rel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWithPattern(t *testing.T) {
	bc := testContext(t, []string{"*", "!*.py", "*.txt"}, []string{"req.txt", "a.py"})
	if bc.Stat("req.txt").Sent {
		t.Fatal("req.txt should be excluded")
	}
	// After line 1 the exception is overridden by "*.txt" on line 3; at the end it works.
	if nc := bc.WithPattern(0, "!req.txt"); nc == nil || nc.Stat("req.txt").Sent {
		t.Error("inserted after line 1, !req.txt should not be enough")
	}
	if nc := bc.WithPattern(2, "!req.txt"); nc == nil || !nc.Stat("req.txt").Sent {
		t.Error("appended, !req.txt should re-include req.txt")
	}
	if got := bc.Stat("req.txt").Pattern; got == nil || got.Line != 3 {
		t.Errorf("deciding pattern = %v, want line 3", got)
	}
}

func TestDockerfileSpecificIgnore(t *testing.T) {
	files := []string{"/p/Dockerfile", "/p/Dockerfile.prod", "/p/Dockerfile.prod.dockerignore", "/p/.dockerignore", "/p/a.md"}
	sort.Strings(files)
	b := NewBuilder(Settings{}, files)
	b.AddDockerfile(load.LoadDockerfile("/p/Dockerfile", []byte("FROM scratch\n")))
	b.AddDockerfile(load.LoadDockerfile("/p/Dockerfile.prod", []byte("FROM scratch\n")))
	b.AddIgnore(load.LoadIgnore("/p/.dockerignore", []byte("*.md\n")))
	b.AddIgnore(load.LoadIgnore("/p/Dockerfile.prod.dockerignore", []byte("secret\n")))
	ws := b.Build()
	for _, df := range ws.Dockerfiles {
		sent := ws.BuildContext(df).Stat("a.md").Sent
		if want := df.Path == "/p/Dockerfile.prod"; sent != want {
			t.Errorf("%s: a.md sent = %v, want %v (the specific ignore file replaces .dockerignore)", df.Path, sent, want)
		}
	}
}

func TestWalked(t *testing.T) {
	b := NewBuilder(Settings{}, []string{"/r/a/Dockerfile"})
	b.SetRoots([]string{"/r/a"})
	b.SetUnwalked([]string{"/r/a/node_modules"})
	ws := b.Build()
	for dir, want := range map[string]bool{
		"/r/a": true, "/r/a/sub": true, "/r": false, "/r/ab": false, "/r/a/node_modules": false, "/r/a/node_modules/x": false, "/other": false,
	} {
		if got := ws.Walked(dir); got != want {
			t.Errorf("Walked(%q) = %v, want %v", dir, got, want)
		}
	}
}

// TestFixWorksAgreesWithWithPattern: FixWorks, which evaluates the
// compiled patterns with one more line, says what a context built from the
// recompiled ignore file (WithPattern) says, for every insertion point.
func TestFixWorksAgreesWithWithPattern(t *testing.T) {
	sets := [][]string{
		{"*", "!src"},
		{"*", "!*.py", "*.txt"},
		{"build", "!build/keep"},
		{"**/*.md", "!README.md", "docs"},
		{"*.txt", "!keep*.txt", "keep-not.txt"},
		{"a/**", "!a/b/**", "a/b/c"},
		{"src/*.md", "src"},
	}
	files := []string{"README.md", "a.txt", "keep1.txt", "keep-not.txt", "req.txt", "x.py", "src/x.go", "src/y.md", "a/b/c", "a/b/d", "a/e", "build/keep", "build/linux/app", "docs/README.md"}
	paths := []string{"README.md", "a.txt", "keep-not.txt", "req.txt", "src", "src/y.md", "a", "a/b", "a/b/c", "build", "build/linux/app", "build/missing", "docs"}
	for _, pats := range sets {
		bc := testContext(t, pats, files)
		for _, p := range paths {
			for _, line := range []string{"!" + p, "!" + p + "/**"} {
				for after := -1; after <= len(pats); after++ {
					want := false
					if nc := bc.WithPattern(after, line); nc != nil {
						want = true
						check := nc.FilesUnder(p)
						if len(check) == 0 {
							check = []string{p}
						}
						for _, f := range check {
							// A file not in the tree is judged by the patterns alone.
							if ex, _ := nc.Exclusion(f); ex {
								want = false
							}
						}
					}
					if got := bc.FixWorks(after, line, []string{p}); got != want {
						t.Errorf("%v: FixWorks(%d, %q, %q) = %v, want %v", pats, after, line, p, got, want)
					}
				}
			}
		}
	}
}

// TestSparseMatchAgreesWithPatternmatcher runs the Stat tests again with
// every ignore file evaluated by sparseMatch (used from sparseMin patterns
// on), and compares the two evaluations on random pattern sets.
func TestSparseMatchAgreesWithPatternmatcher(t *testing.T) {
	defer func(n int) { sparseMin = n }(sparseMin)
	sparseMin = 0
	t.Run("stat", TestBuildContextStat)
	t.Run("patternmatcher", TestBuildContextAgreesWithPatternmatcher)
	t.Run("fix", TestFixWorksAgreesWithWithPattern)

	words := []string{"a", "b", "a/b", "a/b/c", "*", "a/*", "*/b", "**/c", "a/**", "b*", "?", "[ab]", "a/b/**", "**", "c"}
	files := []string{"a/b/c", "a/b/d", "a/c", "b/c", "bb", "c", "a/x/c", "d/e/f"}
	rnd := uint32(1)
	next := func(n int) int { rnd = rnd*1664525 + 1013904223; return int(rnd>>8) % n }
	for range 300 {
		var pats []string
		for range 1 + next(6) {
			w := words[next(len(words))]
			if next(3) == 0 {
				w = "!" + w
			}
			pats = append(pats, w)
		}
		pats[0] = strings.TrimPrefix(pats[0], "!")
		sparseMin = 1 << 30
		lib := testContext(t, pats, files)
		sparseMin = 0
		sp := testContext(t, pats, files)
		for _, f := range append(files, "a", "a/b", "d", "missing/x") {
			if a, b := lib.Stat(f), sp.Stat(f); a.Sent != b.Sent || a.SentFiles != b.SentFiles || (a.Pattern == nil) != (b.Pattern == nil) || a.Pattern != nil && a.Pattern.Line != b.Pattern.Line {
				t.Errorf("%q %s: patternmatcher %+v, sparse %+v", pats, f, a, b)
			}
			if a, _ := lib.Exclusion(f); a != func() bool { b, _ := sp.Exclusion(f); return b }() {
				t.Errorf("%q %s: Exclusion differs", pats, f)
			}
		}
	}
}
