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
// unsets it), it follows Line, and the tag and the end flag share a field
// without disturbing each other.
func TestNodeEndAndTag(t *testing.T) {
	n := &Node{Kind: Scalar, Line: 3, Column: 5}
	n.SetValue("abc")
	n.SetEnd(3, 8)
	n.SetTag("!!str")
	if n.EndLine() != 3 || n.EndColumn() != 8 || n.Tag() != "!!str" || n.Value() != "abc" {
		t.Errorf("end %d:%d, tag %q, value %q", n.EndLine(), n.EndColumn(), n.Tag(), n.Value())
	}
	n.Line = 10 // positions moved (a rendered or embedded document)
	if n.EndLine() != 10 {
		t.Errorf("EndLine %d does not follow Line", n.EndLine())
	}
	n.SetEnd(11, 2) // not its own line
	if n.EndLine() != 0 || n.EndColumn() != 0 || n.Tag() != "!!str" {
		t.Errorf("an end on another line is kept: %d:%d, tag %q", n.EndLine(), n.EndColumn(), n.Tag())
	}
	n.SetEnd(10, 4)
	n.SetTag("!!int")
	if n.EndColumn() != 4 || n.Tag() != "!!int" {
		t.Errorf("SetTag changed the end: %d, %q", n.EndColumn(), n.Tag())
	}
}
