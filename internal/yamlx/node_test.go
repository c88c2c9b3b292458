package yamlx

import (
	"strings"
	"testing"
)

// TestNodeAccessors: the accessors over the packed node (a value or
// children in one pointer, the end as a column and a flag) on both kinds
// and at the edges: the last key, nil, a scalar asked for children, a
// collection asked for a value.
func TestNodeAccessors(t *testing.T) {
	docs := ParseStream([]byte("a: 1\nb: [x, y]\nc: {d: e}\nlast: z\n"))
	if len(docs) != 1 || docs[0].Root == nil {
		t.Fatalf("%+v", docs)
	}
	r := docs[0].Root
	if r.Value() != "" || r.Len() != 8 || r.NumItems() != 0 {
		t.Errorf("mapping: Value %q, Len %d, NumItems %d", r.Value(), r.Len(), r.NumItems())
	}
	if v := r.Get("last"); v.Str() != "z" || v.Line != 4 || v.EndLine() != 4 || v.EndColumn() != 8 {
		t.Errorf("last key's value: %q at %d:%d-%d:%d", v.Str(), v.Line, v.Column, v.EndLine(), v.EndColumn())
	}
	if k := r.KeyNode("last"); k == nil || k.Value() != "last" || r.Get("last") != r.At(7) {
		t.Errorf("KeyNode/Get of the last key: %v", k)
	}
	if r.Get("nope") != nil || r.Get("") != nil || r.Get("las") != nil {
		t.Error("Get found a key that is not there")
	}
	seq := r.Get("b")
	if seq.Len() != 2 || seq.NumItems() != 2 || seq.Item(1).Value() != "y" || seq.Get("x") != nil {
		t.Errorf("sequence: %d items", seq.NumItems())
	}
	var got []string
	for i, it := range seq.Items() {
		got = append(got, it.Value()+":"+string(rune('0'+i)))
	}
	for k, v := range r.Entries() {
		got = append(got, k.Value()+"="+v.Str())
	}
	for range r.Items() { // a mapping has no items
		got = append(got, "item of a mapping")
	}
	for range seq.Entries() { // a sequence has no entries
		got = append(got, "entry of a sequence")
	}
	var nilNode *Node
	for range nilNode.Children() {
		got = append(got, "child of nil")
	}
	if s := strings.Join(got, " "); s != "x:0 y:1 a=1 b= c= last=z" {
		t.Errorf("iteration: %s", s)
	}
	if nilNode.Len() != 0 || nilNode.NumItems() != 0 || nilNode.Get("a") != nil || nilNode.Str() != "" {
		t.Error("nil node")
	}
	if sc := r.Get("a"); sc.Len() != 0 || sc.Get("a") != nil {
		t.Error("a scalar has no children")
	}

	// Delete keeps the other pairs in order and leaves taken nodes as they were.
	c := r.Get("c")
	d := c.Get("d")
	r.Delete("a")
	r.Delete("c")
	r.Delete("absent")
	var keys []string
	for k := range r.Entries() {
		keys = append(keys, k.Value())
	}
	if strings.Join(keys, ",") != "b,last" || d.Str() != "e" {
		t.Errorf("after Delete: %v, taken value %q", keys, d.Str())
	}
}

// TestNodeEndAndTag: the end is on the node's own line (another line
// unsets it), it follows Line, and the kind, style, tag, end flag and end
// or indent share one word without disturbing each other.
func TestNodeEndAndTag(t *testing.T) {
	n := &Node{bits: nodeBits(Scalar, DoubleQuoted), Line: 3, Column: 5}
	n.SetValue("abc")
	n.SetEnd(3, 8)
	n.SetTag("!!str")
	if n.EndLine() != 3 || n.EndColumn() != 8 || n.Tag() != "!!str" || n.Value() != "abc" || n.Kind() != Scalar || n.Style() != DoubleQuoted {
		t.Errorf("end %d:%d, tag %q, value %q, kind %d, style %d", n.EndLine(), n.EndColumn(), n.Tag(), n.Value(), n.Kind(), n.Style())
	}
	n.Line = 10 // positions moved (a rendered or embedded document)
	if n.EndLine() != 10 {
		t.Errorf("EndLine %d does not follow Line", n.EndLine())
	}
	n.SetEnd(11, 2) // not its own line
	if n.EndLine() != 0 || n.EndColumn() != 0 || n.Tag() != "!!str" {
		t.Errorf("an end on another line is kept: %d:%d, tag %q", n.EndLine(), n.EndColumn(), n.Tag())
	}
	n.SetEnd(10, 9)
	n.SetTag("!!int")
	n.SetStyle(SingleQuoted)
	if n.EndColumn() != 9 || n.Tag() != "!!int" || n.Style() != SingleQuoted || n.Kind() != Scalar {
		t.Errorf("SetTag or SetStyle changed the end or kind: %d, %q, %d", n.EndColumn(), n.Tag(), n.Kind())
	}
	// The end is its distance from Column, in 16 bits: one before Column
	// or more than 65,535 columns after it is unknown.
	for _, c := range []int32{4, 5 + 65536} {
		n.SetEnd(10, c)
		if n.EndLine() != 0 || n.EndColumn() != 0 {
			t.Errorf("end column %d (Column 5): kept as %d:%d", c, n.EndLine(), n.EndColumn())
		}
	}
	n.SetEnd(10, 5+65535)
	if n.EndColumn() != 5+65535 {
		t.Errorf("end column %d: %d", 5+65535, n.EndColumn())
	}
	// A literal block's indent shares the end's bits: it is read only when
	// no end is set, and an end that is unset clears it.
	lit := &Node{bits: nodeBits(Scalar, Literal), Line: 2, Column: 7}
	lit.SetTag("!!str")
	lit.SetIndent(4)
	if lit.Indent() != 4 || lit.EndColumn() != 0 || lit.Tag() != "!!str" || lit.Style() != Literal {
		t.Errorf("indent %d, end %d, tag %q", lit.Indent(), lit.EndColumn(), lit.Tag())
	}
	lit.SetEnd(5, 1) // another line: the indent stays
	if lit.Indent() != 4 {
		t.Errorf("an end on another line cleared the indent: %d", lit.Indent())
	}
	lit.SetIndent(70000)
	if lit.Indent() != 0 {
		t.Errorf("an indent of 70000 columns: %d, want 0 (unknown)", lit.Indent())
	}
	plain := &Node{bits: nodeBits(Scalar, Plain)}
	plain.SetIndent(3)
	if plain.Indent() != 0 {
		t.Errorf("a plain scalar has indent %d", plain.Indent())
	}
	m := &Node{}
	m.SetKind(Mapping)
	m.SetStyle(Flow)
	if m.Kind() != Mapping || m.Style() != Flow || !m.collection() {
		t.Errorf("kind %d, style %d", m.Kind(), m.Style())
	}
}
