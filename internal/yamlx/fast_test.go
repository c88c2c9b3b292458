package yamlx

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/gencorpus"
)

// slowStream parses with yaml.v3 only.
func slowStream(data []byte) []Document {
	var docs []Document
	for _, ch := range splitDocuments(nil, data) {
		docs = append(docs, parseChunk(ch.data, ch.line)...)
	}
	return docs
}

// fastStream parses with the fast path only; ok is false when any chunk needs the slow path.
func fastStream(data []byte) (docs []Document, ok bool) {
	src := string(data)
	for _, ch := range splitDocuments(nil, data) {
		d, ok := parseFast(src[ch.start:ch.start+len(ch.data)], ch.line)
		if !ok {
			return nil, false
		}
		docs = append(docs, d...)
	}
	return docs, true
}

// diffTrees describes the first difference between two trees ("" when equal).
func diffTrees(a, b *Node, path string) string {
	if a == nil || b == nil {
		if a != b {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
		return ""
	}
	if a.Kind() != b.Kind() || a.Style() != b.Style() || a.Tag() != b.Tag() || a.Value() != b.Value() ||
		a.Line != b.Line || a.Column != b.Column || a.EndLine() != b.EndLine() || a.EndColumn() != b.EndColumn() ||
		a.Len() != b.Len() {
		return fmt.Sprintf("%s:\n fast %+v %q (%d children)\n slow %+v %q (%d children)", path,
			*a, a.Value(), a.Len(), *b, b.Value(), b.Len())
	}
	for i := range a.Len() {
		if d := diffTrees(a.At(i), b.At(i), fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

func diffStreams(fast, slow []Document) string {
	if len(fast) != len(slow) {
		return fmt.Sprintf("%d documents vs %d", len(fast), len(slow))
	}
	for i := range fast {
		f, s := fast[i], slow[i]
		if f.Line != s.Line || (f.Err == nil) != (s.Err == nil) || len(f.Duplicates) != len(s.Duplicates) {
			return fmt.Sprintf("doc %d: line %d vs %d, err %v vs %v, %d vs %d duplicates", i, f.Line, s.Line, f.Err, s.Err, len(f.Duplicates), len(s.Duplicates))
		}
		if d := diffTrees(f.Root, s.Root, fmt.Sprintf("doc %d", i)); d != "" {
			return d
		}
		for j := range f.Duplicates {
			if d := diffTrees(f.Duplicates[j].Key, s.Duplicates[j].Key, "dup key"); d != "" {
				return d
			}
			if d := diffTrees(f.Duplicates[j].First, s.Duplicates[j].First, "dup first"); d != "" {
				return d
			}
		}
	}
	return ""
}

// checkSame fails when the fast path accepts data and disagrees with yaml.v3.
func checkSame(t *testing.T, name string, data []byte) (fast bool) {
	t.Helper()
	f, ok := fastStream(data)
	if !ok {
		return false
	}
	if d := diffStreams(f, slowStream(data)); d != "" {
		t.Errorf("%s: fast and slow paths differ: %s\ninput:\n%s", name, d, data)
	}
	return true
}

func TestFastMatchesSlow(t *testing.T) {
	cases := []struct {
		in   string
		fast bool // the fast path is expected to take it
	}{
		{"a: 1\nb: two\n", true},
		{"# c\n\na: \nb:\n  c: 1\nd:\n- \n-\n- x\ne:\n", true},
		{"---\n# x\nk: v\n", true},
		{"--- # c\nk: [a, {b: c}, d]   # x\n", true},
		{"a: 1\n---\n", true},
		{"a: 1\n--- # x\n\n---\nb: 2\n", true},
		{"a:    # c\nb: x # y\n", true},
		{"- a: 1\n  b:\n- x\n", true},
		{"a: [ ]\nb: { }\nc: ''\nd: \"\"\n", true},
		{"a: 'it''s'\nb: \"q\\\"x\\n\"\n", true},
		{"a:\n- b: 1\n  c:\n  - d\n- e\nf: g\n", true},
		{"a: b\na: c\nd: {x: 1, x: 2}\n", true},
		{"k: é\nü: 'ß'\nv: [ö, \"ä\"]\n", true},
		{"  a: 1\n  b: 2\n", true},
		{"url: http://x:80/y#z\nk: a#b\n", true},
		{"\"quoted key\": 1\n'single': 2\n\"spaced\" : 3\n", true},
		{"-   a: 1\n    b: 2\n", true},
		{"- - x\n", false},
		{"a: &x 1\nb: *x\n", false},
		{"a: |\n  text\n", false},
		{"a: multi\n  line\n", false},
		{"a: !!str 1\n", false},
		{"<<: {a: 1}\n", false},
		{"a:\tb\n", false},
		{"a: 1\r\nb: 2\r\n", false},
		{"a: {x: 1,\n  y: 2}\n", false},
		{"scalar\n", false},
		{"a: b: c\n", false},
		{"a: 1\n b: 2\n", false},
		{"a:\n  b: 1\n c: 2\n", false},
		{"key: \"\\u00e9\"\n", false},
		{"%YAML 1.1\n---\na: 1\n", false},
		{"a: {b}\n", false},
		{"a: [b,]\n", false},
		{"a: [x: 1]\n", false},
		{"a: {u: http://x}\n", false},
		{"a: \"x\"y\n", false},
		{"---#\n", false},        // not a document marker: a plain scalar
		{"--- #c\na: 1\n", true}, // a marker and a comment
	}
	for _, tc := range cases {
		got := checkSame(t, fmt.Sprintf("%q", tc.in), []byte(tc.in))
		if got != tc.fast {
			t.Errorf("%q: fast path taken = %v, want %v", tc.in, got, tc.fast)
		}
	}
	for i := range 50 {
		if !checkSame(t, "generated", gencorpus.Manifest(i)) {
			t.Errorf("generated manifest %d is not read by the fast path", i)
		}
	}
}

// TestFastMatchesSlowCorpus compares the two paths on every real manifest
// of ../shared/corpus and reports how many documents take the fast path.
func TestFastMatchesSlowCorpus(t *testing.T) {
	files := corpusManifests(t)
	fastFiles := 0
	for i, data := range files {
		data = Normalize(data)
		if checkSame(t, fmt.Sprintf("corpus file %d", i), data) {
			fastFiles++
		}
		// Chunk by chunk, too: files mixing both paths.
		src := string(data)
		for _, ch := range splitDocuments(nil, data) {
			if f, ok := parseFast(src[ch.start:ch.start+len(ch.data)], ch.line); ok {
				if d := diffStreams(f, parseChunk(ch.data, ch.line)); d != "" {
					t.Errorf("corpus file %d, chunk at line %d: %s\n%s", i, ch.line, d, strings.TrimSpace(string(ch.data)))
				}
			}
		}
	}
	t.Logf("%d of %d corpus manifests read wholly by the fast path", fastFiles, len(files))
}

// FuzzFastMatchesSlow: wherever the fast path accepts an input, its tree
// must be the one yaml.v3 gives (the differential check of the fast path).
func FuzzFastMatchesSlow(f *testing.F) {
	for _, s := range []string{
		"a: 1\nb: two\n", "- a: 1\n  b:\n- x\n", "a:\n- b: 1\n  c:\n  - d\n- e\nf: g\n",
		"--- # c\nk: [a, {b: c}, d]   # x\n", "a: 'it''s'\nb: \"q\\\"x\\n\"\n", "k: é\nü: 'ß'\nv: [ö, \"ä\"]\n",
		"a: b\na: c\nd: {x: 1, x: 2}\n", "a: 1\n--- # x\n\n---\nb: 2\n",
	} {
		f.Add([]byte(s))
	}
	f.Add(gencorpus.Manifest(3))
	files, _ := readCorpusManifests()
	for i, data := range files {
		if i%10 == 0 || fuzzing() {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkSame(t, "input", data)
	})
}

// fuzzing reports whether this process runs with -test.fuzz.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// BenchmarkParseGenerated parses one generated file (a Deployment and a Service).
func BenchmarkParseGenerated(b *testing.B) {
	data := gencorpus.Manifest(7)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		_ = ParseStream(data)
	}
}

// TestEmptyLastDocument: a stream ending in "---" without a newline has an
// empty last document whose null root lies inside the file.
func TestEmptyLastDocument(t *testing.T) {
	docs := ParseStream([]byte("a: 1\n---"))
	if len(docs) != 2 || docs[1].Root == nil {
		t.Fatalf("got %d documents: %+v", len(docs), docs)
	}
	if r := docs[1].Root; r.Line != 2 || r.Column != 4 || r.Kind() != Scalar || r.Value() != "" {
		t.Errorf("null root at %d:%d (kind %d, %q), want 2:4", r.Line, r.Column, r.Kind(), r.Value())
	}
}

// TestUnusualLineBreaks: lines are counted as yaml.v3 counts them (a lone
// CR, NEL, LS and PS break lines too), in every document of a stream.
func TestUnusualLineBreaks(t *testing.T) {
	for _, br := range []string{"\r", "\u0085", "\u2028", "\u2029", "\r\n"} {
		// kubectl's document splitter breaks lines at "\n" only (a "---"
		// line followed by a lone CR and more is not a separator to it: see
		// badSeparator), so the separator line ends with "\n".
		data := []byte("a: 1\n---\n" + strings.ReplaceAll("b: x\nc: 2\nb: yy\n", "\n", br))
		docs := ParseStream(data)
		if len(docs) != 2 || docs[1].Root == nil || len(docs[1].Duplicates) != 1 {
			t.Fatalf("%q: %d documents: %+v", br, len(docs), docs)
		}
		k := docs[1].Duplicates[0].Key
		if k.Line != 5 || k.Column != 1 || k.EndLine() != 5 || k.EndColumn() != 2 {
			t.Errorf("%q: duplicate key at %d:%d-%d:%d, want 5:1-5:2", br, k.Line, k.Column, k.EndLine(), k.EndColumn())
		}
		v := docs[1].Root.Get("c")
		if v == nil || v.Line != 4 || v.Column != 4 || v.EndColumn() != 5 {
			t.Errorf("%q: value of c: %+v, want 4:4-4:5", br, v)
		}
	}
}

// TestArenaAfterBailout: a document that the fast path gives up on late
// (after writing many nodes into the shared arena) leaves nothing behind
// for the documents parsed after it, on the same parser, to inherit; and
// documents parsed one after another never share or overlap nodes.
func TestArenaAfterBailout(t *testing.T) {
	var late strings.Builder
	for i := range 40 { // within a quarter of an arena: carved from it
		fmt.Fprintf(&late, "k%d: {a: [x, y], b: v%d}\n", i, i)
	}
	late.WriteString("anchor: &a 1\n") // the fast path gives up here, after the nodes above
	if _, ok := fastStream([]byte(late.String())); ok {
		t.Fatal("the fast path accepted an anchor")
	}
	good := []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {x: y}}\ndata:\n  k: v\n  list:\n  - a\n  - {b: c}\n")
	var kept [][]Document
	for range 20 {
		for _, data := range [][]byte{[]byte(late.String()), good} {
			docs := ParseStream(data)
			if d := diffStreams(docs, slowStream(data)); d != "" {
				t.Fatalf("after a bailout: %s", d)
			}
			kept = append(kept, docs)
		}
	}
	// The trees parsed earlier are intact.
	for i, docs := range kept {
		data := good
		if i%2 == 0 {
			data = []byte(late.String())
		}
		if d := diffStreams(docs, slowStream(data)); d != "" {
			t.Fatalf("tree %d changed later: %s", i, d)
		}
	}
}
