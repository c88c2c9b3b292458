package yamlx

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strings"
	"testing"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	sigsyaml "sigs.k8s.io/yaml"
)

// kubectlRead is the oracle: it reads a stream as kubectl does (documents
// split by k8s.io/apimachinery's YAMLReader, each converted by
// sigs.k8s.io/yaml.YAMLToJSON) and returns the sorted top-level keys of
// every mapping document, or an error.
func kubectlRead(data []byte) ([][]string, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var out [][]string
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		j, err := sigsyaml.YAMLToJSON(doc)
		if err != nil {
			return nil, err
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(j, &m) == nil && m != nil {
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			out = append(out, keys)
		}
	}
}

func ourRead(data []byte) ([][]string, error) {
	var out [][]string
	for _, d := range ParseStream(Normalize(data)) {
		if d.Err != nil {
			return nil, d.Err
		}
		if d.Root == nil || d.Root.Kind() != Mapping {
			continue
		}
		var keys []string
		d.Root.Pairs(func(k, _ *Node) { keys = append(keys, k.Value()) })
		sort.Strings(keys)
		out = append(out, keys)
	}
	return out, nil
}

// TestParseMatchesKubectl holds what ParseStream reads (which documents,
// which keys, whether it fails) against what kubectl reads, for the
// constructs where a YAML library and kubectl's reader may differ:
// byte order marks, document separators and merge keys.
func TestParseMatchesKubectl(t *testing.T) {
	const bom = "\uFEFF"
	streams := []string{
		// byte order marks: stripped at the start of every document, nowhere else
		bom + "apiVersion: v1\nkind: A\n---\n" + bom + "apiVersion: v1\nkind: B\n",
		"a: 1\n---\n" + bom + "b: 2\n",
		"a: 1\n---\n" + bom + "b: 2\n---\n" + bom + "c: 3\nd: 4\n",
		"a: 1\n---\n# comment\n" + bom + "b: 2\n",
		"a: 1\n" + bom + "b: 2\n",
		"a:\n  " + bom + "b: 2\n",
		"a: " + bom + "b\n",
		// separators
		"--- |\n  apiVersion: v1\n", "--- >\n  a\n", "a: 1\n--- |\n  x\n", "--- {a: 1}\n", "--- # comment\na: 1\n",
		"---\t\na: 1\n", "----\na: 1\n", "---foo\na: 1\n", "a: 1\n---\n---\nb: 2\n", "a: |\n  x\n---\nb: 2\n",
		"--- foo\n", "a: 1\n--- !!map\nb: 2\n",
		// merge keys
		"x: &x foo\n<<: *x\n", "x: &x foo\ny:\n  <<: *x\n", "<<: foo\n", "<<: [1]\n", "<<:\n", "<<: []\n",
		"x: &x [a]\n<<: *x\n", "x: &x\n  a: 1\n<<: [*x, foo]\n", "x: &x\n  a: 1\n<<: *x\n", "x: &x\n  a: 1\n<<: [*x, {b: 2}]\n",
		"<<: {a: 1}\nb: 2\n", "\"<<\": foo\n", "'<<': foo\n", "x: &x {a: 1}\ny: &y [*x]\n<<: *y\n",
		// plain documents
		"apiVersion: v1\nkind: Pod\n", "- a\n- b\n", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}",
	}
	for _, s := range streams {
		want, werr := kubectlRead([]byte(s))
		got, gerr := ourRead([]byte(s))
		switch {
		case (werr != nil) != (gerr != nil):
			t.Errorf("%q: kubectl error %v, ours %v", s, werr, gerr)
		case werr != nil:
			if msg := werr.Error(); !strings.Contains(gerr.Error(), kubectlWords(msg)) {
				t.Errorf("%q: kubectl says %q, we say %q", s, msg, gerr)
			}
		default:
			if a, b := strings.Join(flat(got), "|"), strings.Join(flat(want), "|"); a != b {
				t.Errorf("%q: we read %s, kubectl reads %s", s, a, b)
			}
		}
	}
}

// kubectlWords is the part of kubectl's error that a parse-error must repeat.
func kubectlWords(msg string) string {
	for _, w := range []string{"invalid Yaml document separator", "map merge requires map or sequence of maps as the value"} {
		if strings.Contains(msg, w) {
			return w
		}
	}
	return ""
}

func flat(docs [][]string) []string {
	var out []string
	for _, d := range docs {
		out = append(out, "{"+strings.Join(d, ",")+"}")
	}
	return out
}

// TestJSONSlashes: "\/" is an escape of '/' in JSON, which kubectl reads
// with encoding/json when a stream starts with '{'; YAML rejects it.
func TestJSONSlashes(t *testing.T) {
	docs := ParseStream([]byte(`{"apiVersion":"v1","kind":"ConfigMap","data":{"u":"http:\/\/x\\\/y","k":"v","k":"w"}}`))
	if len(docs) != 1 || docs[0].Err != nil {
		t.Fatalf("%+v", docs)
	}
	u := docs[0].Root.Get("data").Get("u")
	if u.Value() != `http://x\/y` || u.Column != 51 || u.EndColumn() != 68 {
		t.Errorf("u = %q at %d-%d", u.Value(), u.Column, u.EndColumn())
	}
	if len(docs[0].Duplicates) != 1 {
		t.Errorf("duplicates: %+v", docs[0].Duplicates)
	}
	if d := ParseStream([]byte("a: \"\\/\"\n")); d[0].Err == nil {
		t.Errorf(`YAML "\/" accepted: kubectl (sigs.k8s.io/yaml) rejects it`)
	}
}
