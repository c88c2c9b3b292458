package yamlx

import (
	"strings"
	"testing"
	"unsafe"
)

func TestLiteralIndent(t *testing.T) {
	cases := []struct {
		name string
		doc  string
		line int32 // header line of the scalar
		want int32
	}{
		{"two spaces under key", "data:\n  redis.conf: |\n    bind 127.0.0.1\n    port 6379\n", 2, 4},
		{"leading blank lines", "k: |\n\n\n      x y\n", 1, 6},
		{"keep chomping", "a:\n  b: |+\n   x\n\n", 2, 3},
		{"explicit indicator, first line more indented", "k: |2\n     x\n  y\n", 1, 2},
		{"root literal", "|\n  hello\n", 1, 2}, // "--- |" is a kubectl error (TestParseMatchesKubectl)
		{"crlf", "k: |\r\n  one\r\n  two\r\n", 1, 2},
		{"empty literal", "k: |\nz: 1\n", 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			docs := ParseStream([]byte(c.doc))
			if len(docs) != 1 || docs[0].Err != nil {
				t.Fatalf("parse: %+v", docs)
			}
			var lit *Node
			var walk func(n *Node)
			walk = func(n *Node) {
				if n == nil {
					return
				}
				if n.Kind() == Scalar && n.Style() == Literal {
					lit = n
				}
				for _, ch := range n.Children() {
					walk(ch)
				}
			}
			walk(docs[0].Root)
			if lit == nil {
				t.Fatal("no literal scalar")
			}
			if lit.Line != c.line || lit.Indent() != c.want {
				t.Errorf("line %d indent %d, want line %d indent %d (value %q)", lit.Line, lit.Indent(), c.line, c.want, lit.Value())
			}
			// The content must really sit at that indentation.
			if c.want > 0 {
				lines := strings.Split(strings.ReplaceAll(c.doc, "\r", ""), "\n")
				for i, vl := range strings.Split(lit.Value(), "\n") {
					if vl == "" {
						continue
					}
					src := lines[int(lit.Line)+i]
					if src[c.want:] != vl {
						t.Errorf("content line %d: source %q, value %q", i, src, vl)
					}
				}
			}
		})
	}
}

func TestNodeSize(t *testing.T) {
	// The kind, style, tag and end or indent share one word; a scalar's
	// value and a collection's children share p and n.
	if s := unsafe.Sizeof(Node{}); s != 24 {
		t.Errorf("Node is %d bytes", s)
	}
}
