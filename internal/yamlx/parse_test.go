package yamlx

import (
	"strings"
	"testing"
	"unicode/utf16"
)

func TestParseStreamPositionsAndRecovery(t *testing.T) {
	src := strings.Join([]string{
		"apiVersion: v1", // 1
		"kind: ConfigMap",
		"data:",
		"  a: \"quoted\"  # comment",
		"  b: 'it''s'",
		"---", // 6
		"kind: [broken",
		"---", // 8
		"apiVersion: v1",
		"kind: Pod",
		"metadata: {name: p}",
		"",
	}, "\n")
	docs := ParseStream([]byte(src))
	if len(docs) != 3 {
		t.Fatalf("got %d documents, want 3", len(docs))
	}
	a := docs[0].Root.Path("data", "a")
	if a.Line != 4 || a.Column != 6 || a.EndLine() != 4 || a.EndColumn() != 14 || a.Style() != DoubleQuoted {
		t.Errorf("data.a at %d:%d-%d:%d style %d", a.Line, a.Column, a.EndLine(), a.EndColumn(), a.Style())
	}
	b := docs[0].Root.Path("data", "b")
	if b.Value() != "it's" || b.EndColumn() != 13 {
		t.Errorf("data.b = %q end %d", b.Value(), b.EndColumn())
	}
	if docs[1].Err == nil || docs[1].Err.Line < 7 || docs[1].Root != nil {
		t.Errorf("second document: err %+v, want a syntax error at file line >= 7", docs[1].Err)
	}
	if docs[2].Root.Path("metadata", "name").Str() != "p" || docs[2].Line != 8 {
		t.Errorf("third document not recovered: %+v", docs[2])
	}
	if n := docs[2].Root.Get("kind"); n.Line != 10 || n.Column != 7 {
		t.Errorf("kind at %d:%d, want 10:7", n.Line, n.Column)
	}
}

func TestNormalize(t *testing.T) {
	want := "kind: Pod\r\nmetadata:\r\n  name: é\r\n"
	u := utf16.Encode([]rune(want))
	le := []byte{0xFF, 0xFE}
	for _, c := range u {
		le = append(le, byte(c), byte(c>>8))
	}
	for name, in := range map[string][]byte{
		"utf-8 bom":  append([]byte{0xEF, 0xBB, 0xBF}, want...),
		"utf-16le":   le,
		"plain crlf": []byte(want),
	} {
		docs := ParseStream(Normalize(in))
		if len(docs) != 1 || docs[0].Root == nil {
			t.Fatalf("%s: %+v", name, docs)
		}
		n := docs[0].Root.Path("metadata", "name")
		if n.Str() != "é" || n.Line != 3 || n.Column != 9 {
			t.Errorf("%s: name = %q at %d:%d", name, n.Str(), n.Line, n.Column)
		}
	}
}

func TestAliasesMergeAndDuplicates(t *testing.T) {
	src := `base: &b
  image: app:1
  env: &e
  - {name: A, value: "1"}
c1:
  <<: *b
  name: one
c2:
  <<: [*b]
  image: app:2
list: [*e, *e]
dup:
  x: 1
  x: 2
`
	docs := ParseStream([]byte(src))
	r := docs[0].Root
	if r.Path("c1", "image").Str() != "app:1" || r.Path("c1", "name").Str() != "one" {
		t.Errorf("merge into c1 failed")
	}
	if r.Path("c2", "image").Str() != "app:2" {
		t.Errorf("explicit key must win over a merged one")
	}
	// An alias is a copy of the anchored node that shares its children:
	// the subtree is not copied.
	if a, b := r.Path("c1", "env"), r.Path("base", "env"); a.Line != b.Line || a.Len() != 1 || a.At(0) != b.At(0) {
		t.Errorf("aliases must share the anchored node's children, not copy them")
	}
	if len(docs[0].Duplicates) != 1 || docs[0].Duplicates[0].Key.Line != 14 || docs[0].Duplicates[0].First.Line != 13 {
		t.Errorf("duplicates = %+v", docs[0].Duplicates)
	}
	if v := r.Path("dup", "x"); v.Value() != "1" {
		t.Errorf("the first of duplicate keys is kept for navigation, got %q", v.Value())
	}
}

func TestTemplatePlaceholderKey(t *testing.T) {
	docs := ParseStream([]byte("apiVersion: v1\nkind: Secret\nstringData:\n  token: {{TOKEN}}\n"))
	if docs[0].Err == nil || docs[0].Err.Line != 4 {
		t.Fatalf("want an error at line 4 for a mapping used as a key, got %+v", docs[0].Err)
	}
}

func TestAliasBombIsRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 30; i++ {
		b.WriteString("a" + itoa(i) + ": &a" + itoa(i) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	// Aliases share the anchored node (no copy), but a document that aliases
	// would expand to more than MaxAliasExpansion nodes is refused, since
	// rules walk trees and kubectl rejects it too.
	docs := ParseStream([]byte(b.String()))
	if docs[0].Err == nil || !strings.Contains(docs[0].Err.Msg, "alias") {
		t.Fatalf("alias bomb: want an error, got %+v", docs[0].Err)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
