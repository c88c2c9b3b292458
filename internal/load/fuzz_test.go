package load

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// Fuzz targets for every loader. `go test` runs their seeds (testdata/ and a
// sample of ../shared/corpus, plus the crashers kept under testdata/fuzz);
// `go test -fuzz FuzzX ./internal/load/` fuzzes one of them, seeded with the
// whole corpus. Each target checks that loading never panics and that every
// position it reports lies inside the input.

// fuzzing reports whether this process runs with -test.fuzz.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// seedFiles returns files of the repository's testdata matching match, and
// corpus files of the given SOURCES.tsv type (a sample unless fuzzing).
func seedFiles(tb testing.TB, corpusType string, match func(name string) bool) [][]byte {
	var out [][]byte
	for _, root := range []string{"../../testdata", "../../rules/testdata"} {
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && match(d.Name()) {
				if b, err := os.ReadFile(p); err == nil {
					out = append(out, b)
				}
			}
			return nil
		})
	}
	dir := filepath.Join("..", "..", "..", "shared", "corpus")
	f, err := os.Open(filepath.Join(dir, "SOURCES.tsv"))
	if err != nil {
		tb.Log("../shared/corpus is absent: seeding from testdata only")
		return out
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 || cols[4] != corpusType {
			continue
		}
		n++
		if !fuzzing() && n%25 != 1 && corpusType != "dockerignore" && corpusType != "mongod" {
			continue // plain `go test`: a sample keeps the seed run fast
		}
		if b, err := os.ReadFile(filepath.Join(dir, cols[0])); err == nil && len(b) <= 256<<10 {
			out = append(out, b)
		}
	}
	return out
}

// countLines counts lines as yaml.v3 does for YAML (breaks at LF, CRLF, CR,
// NEL, LS, PS); for other inputs it counts LF.
func countLines(data []byte) int { return bytes.Count(data, []byte("\n")) + 1 }

func countYAMLLines(data []byte) int {
	s := strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u0085", "\n", "\u2028", "\n", "\u2029", "\n").Replace(string(data))
	return strings.Count(s, "\n") + 1
}

// checkProblems checks that problems point inside the input.
func checkProblems(t *testing.T, ps []Problem, lines int) {
	t.Helper()
	for _, p := range ps {
		if p.Line < 1 || p.Line > lines+1 || p.Column < 1 || p.Msg == "" {
			t.Fatalf("problem outside the input (%d lines): %+v", lines, p)
		}
	}
}

// checkTree checks the positions of every node of a YAML tree (shared
// subtrees of aliases are visited once).
func checkTree(t *testing.T, n *yamlx.Node, lines int, seen map[*yamlx.Node]bool) {
	t.Helper()
	if n == nil || seen[n] {
		return
	}
	seen[n] = true
	if n.Line < 1 || int(n.Line) > lines || n.Column < 1 {
		t.Fatalf("node %q at %d:%d outside the input (%d lines)", n.Value(), n.Line, n.Column, lines)
	}
	if n.EndLine() != 0 && (n.EndLine() < n.Line || n.EndLine() == n.Line && n.EndColumn() < n.Column) {
		t.Fatalf("node %q ends (%d:%d) before it starts (%d:%d)", n.Value(), n.EndLine(), n.EndColumn(), n.Line, n.Column)
	}
	if n.Kind() == yamlx.Mapping && n.Len()%2 != 0 {
		t.Fatalf("mapping at %d:%d has an odd number of children", n.Line, n.Column)
	}
	for _, c := range n.Children() {
		if c == nil {
			t.Fatalf("nil child of node at %d:%d", n.Line, n.Column)
		}
		checkTree(t, c, lines, seen)
	}
}

func FuzzLoadManifest(f *testing.F) {
	for _, b := range seedFiles(f, "k8s", func(n string) bool {
		return strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml") || strings.HasSuffix(n, ".json")
	}) {
		f.Add(b)
	}
	// The classes of issue 15: JSON escapes, a BOM after ---, kubectl's
	// separators and merge keys, nesting past yamlx.MaxDepth.
	for _, s := range []string{
		`{"apiVersion":"v1","kind":"ConfigMap","data":{"u":"http:\/\/x","k":"\\/"}}`,
		"a: 1\n---\n\uFEFFapiVersion: v1\nkind: Pod\n", "--- |\n  apiVersion: v1\n", "a: 1\n----\nb: 2\n",
		"x: &s foo\ndata:\n  <<: *s\n", "x: &m {a: 1}\n<<: [*m, {b: 2}]\n",
		"k: " + strings.Repeat("[", 2100) + strings.Repeat("]", 2100) + "\n", `{"apiVersion":"v1","kind":"Pod","x":` + strings.Repeat("[", 2100),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		data = yamlx.Normalize(data)
		mf := LoadManifest("m.yaml", data)
		lines := countYAMLLines(data)
		checkProblems(t, mf.Problems, lines)
		seen := map[*yamlx.Node]bool{}
		for _, d := range mf.Docs {
			if d.Err == nil {
				checkTree(t, d.Root, lines, seen)
			}
			for _, dup := range d.Duplicates {
				if dup.Key == nil || dup.First == nil || dup.Key.Value() != dup.First.Value() {
					t.Fatalf("bad duplicate record %+v", dup)
				}
			}
		}
	})
}

func FuzzLoadDockerfile(f *testing.F) {
	dfs := seedFiles(f, "dockerfile", func(n string) bool { return strings.Contains(n, "Dockerfile") })
	igs := seedFiles(f, "dockerignore", func(n string) bool { return strings.HasSuffix(n, ".dockerignore") })
	if len(igs) == 0 {
		igs = [][]byte{nil}
	}
	for i, b := range dfs {
		f.Add(b, igs[i%len(igs)])
	}
	f.Fuzz(func(t *testing.T, dockerfile, ignore []byte) {
		df := LoadDockerfile("Dockerfile", dockerfile)
		lines := countLines(dockerfile)
		checkProblems(t, df.Problems, lines)
		ig := LoadIgnore(".dockerignore", ignore)
		checkProblems(t, ig.Problems, countLines(ignore))
		for _, cp := range df.Copies {
			if cp.Line < 1 || cp.Line > lines || cp.EndLine < cp.Line {
				t.Fatalf("%s at lines %d-%d outside the input (%d lines)", cp.Command, cp.Line, cp.EndLine, lines)
			}
			for _, s := range cp.Sources {
				if s.Line < cp.Line || s.Line > max(cp.EndLine, cp.Line) || s.Column < 1 || s.EndColumn != 0 && s.EndColumn <= s.Column {
					t.Fatalf("source %q at %d:%d-%d outside its instruction (lines %d-%d)", s.Raw, s.Line, s.Column, s.EndColumn, cp.Line, cp.EndLine)
				}
				// What the build-context rules do with a source.
				if ig.Matcher != nil && s.Resolved && utf8.ValidString(s.Path) {
					_, _ = ig.Matcher.MatchesOrParentMatches(strings.TrimPrefix(filepath.Clean("/"+s.Path), "/"))
				}
			}
		}
	})
}

func FuzzLoadIgnore(f *testing.F) {
	for _, b := range seedFiles(f, "dockerignore", func(n string) bool { return strings.HasSuffix(n, ".dockerignore") }) {
		f.Add(b, "app/main.go")
	}
	f.Add([]byte("[\n!**/x\n"), "x")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		ig := LoadIgnore(".dockerignore", data)
		lines := countLines(data)
		checkProblems(t, ig.Problems, lines)
		for _, p := range ig.Patterns {
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("pattern %q at line %d outside the input (%d lines)", p.Raw, p.Line, lines)
			}
		}
		if (ig.Matcher == nil) == (len(ig.Problems) == 0) {
			t.Fatalf("matcher %v with problems %v", ig.Matcher != nil, ig.Problems)
		}
		if ig.Matcher != nil {
			if _, err := ig.Matcher.MatchesOrParentMatches(path); err != nil {
				t.Fatalf("compiled matcher fails on %q: %v", path, err)
			}
		}
	})
}

func checkDirectives(t *testing.T, ds []Directive, lines int) {
	t.Helper()
	for _, d := range ds {
		if d.Line < 1 || d.Line > lines || d.Col < 1 {
			t.Fatalf("directive %q at %d:%d outside the input (%d lines)", d.Name, d.Line, d.Col, lines)
		}
		for _, a := range d.Args {
			if a.Column < 1 || a.EndCol < a.Column {
				t.Fatalf("argument %q of %q at columns %d-%d", a.Value, d.Name, a.Column, a.EndCol)
			}
		}
	}
}

func FuzzLoadMongoConf(f *testing.F) {
	for _, b := range seedFiles(f, "mongod", func(n string) bool { return strings.HasPrefix(n, "mongod") }) {
		f.Add(b)
	}
	f.Add([]byte("dbpath = /data/db # x\nport=27017\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		data = yamlx.Normalize(data)
		cf := LoadMongoConf("mongod.conf", data)
		checkProblems(t, cf.Problems, countYAMLLines(data))
		checkDirectives(t, cf.Directives, countLines(data))
		checkTree(t, cf.YAML, countYAMLLines(data), map[*yamlx.Node]bool{})
	})
}

func FuzzLoadRedisConf(f *testing.F) {
	for _, b := range seedFiles(f, "redis", func(n string) bool { return strings.HasPrefix(n, "redis") }) {
		f.Add(b)
	}
	f.Add([]byte("maxmemory 2gb\nrename-command \"CONFIG\" ''\nsave \"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cf := LoadRedisConf("redis.conf", data)
		lines := countLines(data)
		checkProblems(t, cf.Problems, lines)
		checkDirectives(t, cf.Directives, lines)
	})
}

// TestDockerfileMessagesDeterministic: BuildKit picks "did you mean"
// suggestions in map order; k8slint's messages must not change between runs.
func TestDockerfileMessagesDeterministic(t *testing.T) {
	for _, src := range []string{"FROM alpine\nA x\n", "FROM alpine\nCOPY --chmo=1 a b\n", "FROM alpine\nRUN --mout=type=cache true\n"} {
		first := ""
		for i := range 50 {
			df := LoadDockerfile("Dockerfile", []byte(src))
			if len(df.Problems) == 0 {
				t.Fatalf("%q: no problem reported", src)
			}
			msg := df.Problems[0].Msg
			if i == 0 {
				first = msg
			} else if msg != first {
				t.Fatalf("%q: message changed between runs: %q, then %q", src, first, msg)
			}
		}
		t.Logf("%q: %s", src, first)
	}
}
