package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/testfs"
)

// sentinel is a manifest with one known finding: every hostile case runs
// beside it, and the finding must still be reported (the run goes on).
const sentinel = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    env:\n    - name: X\n      value: 1\n"

type expect struct {
	file string // path relative to the case directory
	line int
	col  int    // 0: any
	rule string // a finding of this rule; "" means a skip note (verbose output)
	text string // substring of the message or note
}

type hostileCase struct {
	name  string
	setup func(t *testing.T, dir string)
	opts  func(o *Options)
	want  []expect
	// maxAlloc bounds the bytes allocated by the whole run (an upper bound
	// of its peak heap); 0 means 64 MiB.
	maxAlloc uint64
	// maxTime bounds the run's wall time (times 10 under the race
	// detector); 0 means only the 2-minute hang guard.
	maxTime time.Duration
	// forbid lists texts that no finding, note or file name may contain.
	forbid []string
	// forbidFinding lists texts that no finding may contain (-v may name them).
	forbidFinding []string
}

func write(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	testfs.Write(t, dir, name, data)
}

func manifest(body string) string {
	return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n" + body
}

func hostileCases() []hostileCase {
	return []hostileCase{
		{
			name: "alias bomb",
			setup: func(t *testing.T, dir string) {
				var b strings.Builder
				b.WriteString(manifest("data:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"))
				prev := "a"
				for _, c := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
					fmt.Fprintf(&b, "  %s: &%s [%s]\n", c, c, strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ","))
					prev = c
				}
				write(t, dir, "bomb.yaml", []byte(b.String()))
			},
			want: []expect{{"bomb.yaml", 12, 10, "parse-error", "billion laughs"}},
		},
		{
			name: "1000-level nesting",
			setup: func(t *testing.T, dir string) {
				var b strings.Builder
				b.WriteString(manifest("data:\n"))
				for i := 1; i <= 1000; i++ {
					fmt.Fprintf(&b, "%sk:\n", strings.Repeat("  ", i))
				}
				// A duplicate key at the deepest level proves the document was read whole.
				fmt.Fprintf(&b, "%sx: 1\n%sx: 2\n", strings.Repeat("  ", 1001), strings.Repeat("  ", 1001))
				write(t, dir, "deep.yaml", []byte(b.String()))
			},
			want: []expect{{"deep.yaml", 1007, 2003, "duplicate-key", `key "x"`}},
		},
		{
			name: "1000-level flow nesting",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "flow.yaml", []byte(manifest("data:\n  k: "+strings.Repeat("[", 1000)+strings.Repeat("]", 1000)+"\n  k: x\n")))
			},
			want: []expect{{"flow.yaml", 7, 3, "duplicate-key", `key "k"`}},
		},
		{
			name: "a 1 MB line of 200,000 non-ASCII flow items",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "wide.yaml", []byte(manifest("data:\n  k: ["+strings.Repeat("é, ", 200000)+"é]\n  k: x\n")))
			},
			want:     []expect{{"wide.yaml", 7, 3, "duplicate-key", `key "k"`}},
			maxAlloc: 128 << 20,
		},
		{
			name: "50 MB file above --max-file-size",
			setup: func(t *testing.T, dir string) {
				f, err := os.Create(filepath.Join(dir, "huge.yaml"))
				if err != nil {
					t.Fatal(err)
				}
				if err := f.Truncate(50 << 20); err != nil { // sparse: nothing is written
					t.Fatal(err)
				}
				if err := f.Close(); err != nil {
					t.Fatal(err)
				}
			},
			want:     []expect{{"huge.yaml", 1, 1, "parse-error", "52428800 bytes, larger than the 10485760-byte limit (--max-file-size); not read"}},
			maxAlloc: 4 << 20,
		},
		{
			name: "file above a lowered --max-file-size",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "big.yaml", []byte(manifest("data:\n  k: "+strings.Repeat("x", 2000)+"\n")))
			},
			opts: func(o *Options) { o.MaxFileSize = 1000 },
			want: []expect{{"big.yaml", 1, 1, "parse-error", "larger than the 1000-byte limit"}},
		},
		{
			name: "100,000-document stream",
			setup: func(t *testing.T, dir string) {
				var b strings.Builder
				for i := range 100000 {
					fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\n", i)
				}
				b.WriteString("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: last\n  name: again\n")
				write(t, dir, "stream.yaml", []byte(b.String()))
			},
			want:     []expect{{"stream.yaml", 500006, 3, "duplicate-key", `key "name"`}},
			maxAlloc: 256 << 20,
		},
		{
			name: "duplicate keys",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "dup.yaml", []byte(manifest("data:\n  a: x\n  b: y\n  a: z\n")))
			},
			want: []expect{{"dup.yaml", 8, 3, "duplicate-key", `key "a" is already defined at line 6`}},
		},
		{
			name: "tabs in indentation",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "tabs.yaml", []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n"))
			},
			want: []expect{{"tabs.yaml", 4, 0, "parse-error", "cannot start any token"}},
		},
		{
			name: "truncated documents",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "trunc.yaml", []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: [a, b\n"))
			},
			want: []expect{
				{"trunc.yaml", 4, 0, "parse-error", "end of stream"},
				{"trunc.yaml", 8, 0, "parse-error", "did not find expected ',' or ']'"},
			},
		},
		{
			name: "invalid UTF-8",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "utf8.yaml", []byte(manifest("data:\n  k: \"\xff\xfe\"\n")))
			},
			want: []expect{{"utf8.yaml", 6, 7, "parse-error", "UTF-8"}},
		},
		{
			name: "UTF-16 with BOM",
			setup: func(t *testing.T, dir string) {
				var u []byte
				u = append(u, 0xFF, 0xFE)
				for _, r := range sentinel {
					u = append(u, byte(r), 0)
				}
				write(t, dir, "utf16.yaml", u)
			},
			want: []expect{{"utf16.yaml", 11, 14, "env-value-not-string", `"X"`}},
		},
		{
			name: "NUL bytes",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "nul.yaml", []byte(manifest("data:\n  k: a\x00b\n")))
			},
			want: []expect{{"nul.yaml", 6, 7, "parse-error", "control characters"}},
		},
		{
			name: "CRLF",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "crlf.yaml", []byte(strings.ReplaceAll(sentinel, "\n", "\r\n")))
			},
			want: []expect{{"crlf.yaml", 11, 14, "env-value-not-string", `"X"`}},
		},
		{
			name: "Dockerfile with an unterminated heredoc",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "heredoc/Dockerfile", []byte("FROM alpine:3.20\nRUN <<EOF\necho hi\n"))
			},
			want: []expect{{"heredoc/Dockerfile", 2, 1, "parse-error", "unterminated heredoc"}},
		},
		{
			name: "Dockerfile with a 10,000-line continuation",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "cont/Dockerfile", []byte("FROM alpine:3.20\nRUN echo a \\\n"+strings.Repeat(" && echo b \\\n", 10000)+" && true\nCOPY /abs/file /app/\n"))
			},
			want: []expect{{"cont/Dockerfile", 10004, 6, "copy-absolute-source", ""}},
		},
		{
			name: ".dockerignore with invalid patterns",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "ign/.dockerignore", []byte("*.md\n# c\nsrc/[\n"))
				write(t, dir, "ign/Dockerfile", []byte("FROM alpine:3.20\nCOPY . /app\n"))
			},
			want: []expect{{"ign/.dockerignore", 3, 1, "parse-error", "invalid pattern"}},
		},
		{
			name: "conf with a 1 MB line, long Dockerfile lines",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "redis.conf", []byte("maxmemory 100mb\nrequirepass "+strings.Repeat("p", 1<<20)+"\n"))
				write(t, dir, "mongod.conf", []byte("net:\n  bindIp: "+strings.Repeat("a", 1<<20)+"\n"))
				write(t, dir, "legacy/mongod.conf", []byte("dbpath = "+strings.Repeat("d", 1<<20)+"\n"))
				write(t, dir, "many/redis.conf", []byte("save"+strings.Repeat(" 1", 1<<19)+"\n"))
				write(t, dir, "many/Dockerfile", []byte("FROM alpine:3.20\nCOPY"+strings.Repeat(" é", 20000)+" /abs /app/\n"))
				write(t, dir, "long/Dockerfile", []byte("FROM alpine:3.20\nRUN echo "+strings.Repeat("x", 1<<17)+"\n"))
			},
			want: []expect{
				{"long/Dockerfile", 2, 1, "parse-error", "line greater than max allowed size"},
				{"many/Dockerfile", 2, 40006, "copy-absolute-source", `"/abs"`},
			},
		},
		{
			name: "long values in object names, keys, labels and paths are quoted as excerpts",
			setup: func(t *testing.T, dir string) {
				long := "tok" + strings.Repeat("S3CR3T", 50)
				write(t, dir, "names.yaml", []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "+long+"\n  labels:\n    app: "+long+"\n    "+long+": x\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      "+long+": 1\n      containers:\n      - name: "+long+"\n        image: busybox:1.36\n        imagePullPolicy: "+long+"\n"))
				write(t, dir, "ctx/Dockerfile", []byte("FROM alpine:3.20\nCOPY /"+long+" /app/\nCOPY "+long+" /app/\n"))
			},
			want: []expect{
				{"names.yaml", 4, 9, "invalid-value", "metadata.name"},
				{"names.yaml", 17, 7, "unknown-field", "unknown field"},
				{"ctx/Dockerfile", 2, 6, "copy-absolute-source", "tokS3CR3T"},
			},
			// Quoted values are cut at diag.ExcerptLen (80) runes, unquoted
			// words (an unknown key in a field path) at diag.WordLen (160).
			forbidFinding: []string{"tok" + strings.Repeat("S3CR3T", 28)},
		},
		{
			name: "symlink loops",
			setup: func(t *testing.T, dir string) {
				for _, l := range [][2]string{{"loop.yaml", "loop.yaml"}, {"a.yaml", "b.yaml"}, {"b.yaml", "a.yaml"}, {"sub/up", ".."}, {"sub/self", "."}} {
					if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(l[0])), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.Symlink(l[1], filepath.Join(dir, l[0])); err != nil {
						t.Fatal(err)
					}
				}
			},
			want: []expect{
				{"loop.yaml", 0, 0, "", "too many levels of symbolic links"},
				{"a.yaml", 0, 0, "", "too many levels of symbolic links"},
				{"sub/up", 0, 0, "", "not followed"},
				{"sub/self", 0, 0, "", "not followed"},
			},
		},
		{
			// Links whose real path lies outside the linted tree (a token
			// file, /etc/passwd) are never read; links inside it are.
			name: "symlinks out of the tree",
			setup: func(t *testing.T, dir string) {
				outside := t.TempDir()
				write(t, outside, "token", []byte("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI\n"))
				write(t, dir, "real/pod.yaml", []byte(sentinel))
				for _, l := range [][2]string{
					{"Dockerfile", filepath.Join(outside, "token")}, {"redis.conf", filepath.Join(outside, "token")},
					{"passwd.yaml", "/etc/passwd"}, {"in.yaml", "real/pod.yaml"},
				} {
					if err := os.Symlink(l[1], filepath.Join(dir, l[0])); err != nil {
						t.Fatal(err)
					}
				}
			},
			want: []expect{
				{"Dockerfile", 0, 0, "", "outside the project root: not read"},
				{"redis.conf", 0, 0, "", "outside the project root: not read"},
				{"passwd.yaml", 0, 0, "", "outside the project root: not read"},
				{"in.yaml", 11, 0, "env-value-not-string", ""},
			},
		},
		{
			// Walked, it is not a regular file and is passed over; named on
			// the command line, opening it must not block.
			name: "a FIFO named like a manifest",
			setup: func(t *testing.T, dir string) {
				if err := mkfifo(filepath.Join(dir, "fifo.yaml")); err != nil {
					t.Skip("no FIFOs here:", err)
				}
			},
			opts: func(o *Options) { o.Paths = append(o.Paths, filepath.Join(o.Paths[0], "fifo.yaml")) },
			want: []expect{{"fifo.yaml", 1, 1, "parse-error", "not a regular file"}},
		},
		{
			name:  "ARG doubling bomb",
			setup: func(t *testing.T, dir string) { argBomb(t, dir) },
			want: []expect{
				{"bomb/Dockerfile", 0, 0, "", "not judged: its expansion exceeds"},
				{"bomb/Dockerfile", 44, 6, "copy-absolute-source", `"/abs"`},
			},
		},
		{
			name:     "12,000 chained stages each adding one ENV",
			setup:    func(t *testing.T, dir string) { chainedStages(t, dir, 12000) },
			want:     []expect{{"stages/Dockerfile", 24001, 0, "copy-source-missing", `"v/missing.txt"`}},
			maxAlloc: 256 << 20,
		},
		{
			name:     "Dockerfiles sharing one context (200 Dockerfiles, 8k files, 401 patterns)",
			setup:    func(t *testing.T, dir string) { sharedContext(t, dir, 4) },
			want:     []expect{{"ctx/Dockerfile.s7", 4, 0, "copy-source-missing", "missing7.txt"}},
			maxAlloc: 512 << 20,
		},
		{
			name:     "one COPY with 10,000 distinct missing sources",
			setup:    func(t *testing.T, dir string) { manyMissing(t, dir, 10000) },
			want:     []expect{{"missing/Dockerfile", 10002, 0, "copy-source-missing", "Missing/m9999.txt"}},
			maxAlloc: 512 << 20,
		},
		{
			name:     "one COPY with 10,000 wildcard sources",
			setup:    func(t *testing.T, dir string) { manyGlobs(t, dir, 10000) },
			want:     []expect{{"globs/Dockerfile", 10002, 0, "copy-source-missing", "src/f-9999-*.txt"}},
			maxAlloc: 512 << 20,
		},
		{
			name:     ".dockerignore of 10,000 patterns with 1,000 ignored COPY sources",
			setup:    func(t *testing.T, dir string) { manyIgnored(t, dir, 10000, 1000) },
			want:     []expect{{"ignored/Dockerfile", 1002, 0, "copy-ignored-file", `"f999"`}},
			maxAlloc: 512 << 20,
		},
	}
}

// TestHostileInput runs every hostile case beside the sentinel manifest and
// checks the expected findings and skip notes, that the sentinel's finding
// is still reported, that nothing panics or hangs, and the bytes allocated.
func TestHostileInput(t *testing.T) {
	for _, tc := range append(append(hostileCases(), unreadableCases()...), parseHostileCases()...) {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "zz-sentinel.yaml", []byte(sentinel))
			tc.setup(t, dir)
			runHostile(t, dir, tc)
		})
	}
}

// TestHostileAllTogether runs all the cases in one tree.
func TestHostileAllTogether(t *testing.T) {
	dir := t.TempDir()
	var all hostileCase
	all.maxAlloc = 1 << 30
	for _, tc := range append(hostileCases(), parseHostileCases()...) {
		sub := filepath.Join(dir, strings.NewReplacer(" ", "_", ",", "").Replace(tc.name))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		if tc.opts != nil {
			continue // needs its own options
		}
		tc.setup(t, sub)
		for _, w := range tc.want {
			w.file = filepath.Join(filepath.Base(sub), w.file)
			all.want = append(all.want, w)
		}
	}
	write(t, dir, "zz-sentinel.yaml", []byte(sentinel))
	runHostile(t, dir, all)
}

func runHostile(t *testing.T, dir string, tc hostileCase) {
	t.Helper()
	opts := Options{Paths: []string{dir}}
	var notes []string
	opts.Info = func(msg string) { notes = append(notes, msg) }
	if tc.opts != nil {
		tc.opts(&opts)
	}
	type outcome struct {
		res   *Result
		err   error
		alloc uint64
		took  time.Duration
		panic any
	}
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		defer func() {
			o.panic = recover()
			done <- o
		}()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		start := time.Now()
		o.res, o.err = Run(opts)
		o.took = time.Since(start)
		runtime.ReadMemStats(&m1)
		o.alloc = m1.TotalAlloc - m0.TotalAlloc
	}()
	var o outcome
	select {
	case o = <-done:
	case <-time.After(2 * time.Minute): // a guard against hangs, not a speed test
		t.Fatal("the run did not finish within 2 minutes")
	}
	if o.panic != nil {
		t.Fatalf("panic: %v", o.panic)
	}
	if o.err != nil {
		t.Fatalf("run failed: %v", o.err)
	}
	limit := tc.maxAlloc
	if limit == 0 {
		limit = 64 << 20
	}
	if raceEnabled {
		limit *= 8 // the race detector's instrumentation allocates too
	}
	t.Logf("allocated %.1f MiB in %v", float64(o.alloc)/(1<<20), o.took)
	if tc.maxTime > 0 {
		bound := tc.maxTime
		if raceEnabled {
			bound *= 10
		}
		if o.took > bound {
			t.Errorf("the run took %v, more than %v", o.took, bound)
		}
	}
	for _, s := range append(append([]string(nil), tc.forbid...), tc.forbidFinding...) {
		for _, f := range o.res.Findings {
			if strings.Contains(f.File, s) || strings.Contains(f.Text(), s) {
				t.Errorf("a finding holds %q: %s:%d %s", s, f.File, f.Line, trim(f.Text()))
			}
		}
		for _, n := range notes {
			if strings.Contains(n, s) && !slices.Contains(tc.forbidFinding, s) {
				t.Errorf("a note holds %q: %s", s, trim(n))
			}
		}
	}
	if o.alloc > limit {
		t.Errorf("the run allocated %d MiB, more than %d MiB", o.alloc>>20, limit>>20)
	}
	has := func(w expect) bool {
		path := filepath.Join(dir, w.file)
		if w.rule == "" {
			for _, n := range notes {
				if strings.HasPrefix(n, path+": ") && strings.Contains(n, w.text) {
					return true
				}
			}
			return false
		}
		for _, f := range o.res.Findings {
			if f.File == path && f.Rule == w.rule && f.Line == w.line && (w.col == 0 || f.Column == w.col) && strings.Contains(f.Text(), w.text) {
				return true
			}
		}
		return false
	}
	want := append(append([]expect(nil), tc.want...), expect{"zz-sentinel.yaml", 11, 14, "env-value-not-string", `"X"`})
	for _, w := range want {
		if !has(w) {
			t.Errorf("missing %+v", w)
		}
	}
	if t.Failed() {
		for _, f := range o.res.Findings {
			t.Logf("finding %s:%d:%d %s %s", f.File, f.Line, f.Column, f.Rule, trim(f.Text()))
		}
		for _, n := range notes {
			t.Logf("note %s", trim(n))
		}
	}
	// No content of a file outside the tree reaches a finding or a note.
	for _, f := range o.res.Findings {
		if strings.Contains(f.Text(), "wJalr") || strings.Contains(f.Text(), "root:x:") {
			t.Errorf("a finding quotes a file outside the tree: %s", trim(f.Text()))
		}
	}
	for _, n := range notes {
		if strings.Contains(n, "wJalr") || strings.Contains(n, "root:x:") {
			t.Errorf("a note quotes a file outside the tree: %s", trim(n))
		}
	}
	// Every finding has a file and a position.
	for _, f := range o.res.Findings {
		if f.File == "" || f.Line < 1 || f.Column < 1 || f.Severity < diag.Info {
			t.Errorf("finding without a position: %+v", f)
		}
	}
}

func trim(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}
