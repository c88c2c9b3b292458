// Package yamlx is k8slint's compact, position-carrying YAML tree. Documents
// are parsed with go.yaml.in/yaml/v3 and converted to this smaller form
// (aliases resolved, merge keys applied, duplicate keys recorded), so the
// parser's own tree can be dropped as soon as a file is loaded.
package yamlx

import (
	"iter"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// Kind is the kind of a node.
type Kind uint8

const (
	Scalar Kind = iota + 1
	Mapping
	Sequence
)

// Style records how a scalar was written.
type Style uint8

const (
	Plain Style = iota
	SingleQuoted
	DoubleQuoted
	Literal
	Folded
	Flow // a flow mapping or sequence
)

// Node is a YAML node with its position in the file (1-based line and
// column; EndLine and EndColumn are set for scalars that sit on one line).
//
// A node is 24 bytes: a scalar's value and a collection's children share
// one pointer and length (see Value and Len), the children of a collection
// are one array of nodes, not of pointers to them, and the kind, the
// style, the explicit tag and the end or indent share one word (bits). A
// tree of a 10,000-file project is then a third of the memory it was with a
// string, a slice, four positions and a pointer per child
// (docs/performance.md).
type Node struct {
	Line, Column int32
	// p and n are a scalar's value (its bytes and length), or a mapping's or
	// sequence's children (the first of n consecutive nodes: a sequence's
	// items, or a mapping's keys and values alternating, key0, value0,
	// key1, value1, ...). ParseStream reads no stream of 2 GiB or more, so
	// that n fits.
	n int32
	// bits holds, from the lowest: the kind (2 bits), the style (3), the
	// end flag (1), the index of the interned explicit tag (10; 0 is "no
	// tag"), and aux (16): the end's distance from Column when the end
	// flag is set, else a literal block scalar's indent (see Indent).
	bits uint32
	p    unsafe.Pointer
}

const (
	kindBits  = 0x3
	styleBits = 0x7 << 2
	hasEnd    = 1 << 5
	tagShift  = 6
	tagBits   = 0x3ff << tagShift
	auxShift  = 16
	maxAux    = 0xffff
)

// nodeBits are the bits of a node of kind k and style s.
func nodeBits(k Kind, s Style) uint32 { return uint32(k)&kindBits | uint32(s)<<2&styleBits }

// Kind is the node's kind (0 for a node not set yet).
func (n *Node) Kind() Kind { return Kind(n.bits & kindBits) }

// SetKind sets the node's kind.
func (n *Node) SetKind(k Kind) { n.bits = n.bits&^kindBits | uint32(k)&kindBits }

// Style is how a scalar was written (Flow for a flow collection).
func (n *Node) Style() Style { return Style(n.bits & styleBits >> 2) }

// SetStyle sets how the node was written.
func (n *Node) SetStyle(s Style) { n.bits = n.bits&^styleBits | uint32(s)<<2&styleBits }

func (n *Node) aux() int32 { return int32(n.bits >> auxShift) }

func (n *Node) setAux(v int32) { n.bits = n.bits&0xffff | uint32(v)<<auxShift }

// Indent is, for a literal block scalar (`|`), the number of columns of
// indentation stripped from its content lines: content line i (0-based)
// of Value is file line Line+1+i, starting at column Indent+1. Zero when
// unknown (an indent of more than 65,535 columns among them) and for every
// other node.
func (n *Node) Indent() int32 {
	if n.Style() != Literal || n.bits&hasEnd != 0 {
		return 0
	}
	return n.aux()
}

// SetIndent sets the indent of a literal block scalar (see Indent); a
// scalar whose end is set keeps it.
func (n *Node) SetIndent(indent int32) {
	if n.bits&hasEnd != 0 {
		return
	}
	if indent < 0 || indent > maxAux {
		indent = 0 // unknown
	}
	n.setAux(indent)
}

// EndLine is the line of the end of a scalar that sits on one line: its
// Line; 0 when unknown (and for collections).
func (n *Node) EndLine() int32 {
	if n.bits&hasEnd == 0 {
		return 0
	}
	return n.Line
}

// EndColumn is the column just after the last character of a scalar that
// sits on one line; 0 when unknown (and for collections).
func (n *Node) EndColumn() int32 {
	if n.bits&hasEnd == 0 {
		return 0
	}
	return n.Column + n.aux()
}

// SetEnd sets the end of a scalar that sits on one line: line is its Line
// and column the column after its last character (set Line and Column
// first). Any other line, 0 included, unsets the end: a node's end is on
// its own line; so does an end before Column or more than 65,535 columns
// after it (a longer scalar on one line has no end).
func (n *Node) SetEnd(line, column int32) {
	w := column - n.Column
	if line == 0 || line != n.Line || w < 0 || w > maxAux {
		if n.bits&hasEnd != 0 {
			n.bits &^= hasEnd
			n.setAux(0)
		}
		return
	}
	n.bits |= hasEnd
	n.setAux(w)
}

func (n *Node) collection() bool { return n.bits&kindBits >= uint32(Mapping) } // Mapping or Sequence

// Value is a scalar's value as YAML reads it (quotes and escapes
// resolved); "" for a collection.
func (n *Node) Value() string {
	if n.collection() {
		return ""
	}
	return unsafe.String((*byte)(n.p), int(n.n))
}

// SetValue sets a scalar's value (a node whose Kind is Scalar, or not set
// yet).
func (n *Node) SetValue(v string) {
	if n.collection() {
		panic("yamlx: SetValue on a collection")
	}
	n.p, n.n = unsafe.Pointer(unsafe.StringData(v)), int32(len(v))
}

// kids returns a collection's children (nil for anything else).
func (n *Node) kids() []Node {
	if n == nil || !n.collection() {
		return nil
	}
	return unsafe.Slice((*Node)(n.p), int(n.n))
}

// setKids makes kids the children of a collection (whose Kind is set).
func (n *Node) setKids(kids []Node) {
	if !n.collection() {
		panic("yamlx: children of a scalar")
	}
	n.p, n.n = unsafe.Pointer(unsafe.SliceData(kids)), int32(len(kids))
}

// Len is the number of a collection's children: a sequence's items, or a
// mapping's keys and values (twice its pairs); 0 for a scalar or nil.
func (n *Node) Len() int {
	if n == nil || !n.collection() {
		return 0
	}
	return int(n.n)
}

// At returns child i of a collection (0 <= i < Len): item i of a sequence,
// or of a mapping key i/2 (i even) or its value (i odd).
func (n *Node) At(i int) *Node { return &n.kids()[i] }

// Children iterates over a collection's children with their indexes (see
// At); nothing for a scalar or nil.
func (n *Node) Children() iter.Seq2[int, *Node] { return each(n.kids()) }

// each iterates over nodes. Children and Items are this one closure, small
// enough to be inlined with the loop that ranges over it, so that ranging
// allocates nothing.
func each(ks []Node) iter.Seq2[int, *Node] {
	return func(yield func(int, *Node) bool) {
		for i := range ks {
			if !yield(i, &ks[i]) {
				return
			}
		}
	}
}

// Tag is the explicit tag as written ("!!str", "!!int", ...), empty when none.
func (n *Node) Tag() string {
	if n == nil || n.bits&tagBits == 0 {
		return ""
	}
	tags.RLock()
	defer tags.RUnlock()
	return tags.names[n.bits&tagBits>>tagShift]
}

// hasTag reports an explicit tag.
func (n *Node) hasTag() bool { return n.bits&tagBits != 0 }

// SetTag records an explicit tag (tags are interned: a node stays 24 bytes).
func (n *Node) SetTag(tag string) { n.bits = n.bits&^tagBits | uint32(internTag(tag))<<tagShift }

// maxTags bounds the table of distinct tags (10 bits of a node); further
// custom tags share one entry (they all read as strings to kubectl).
const maxTags = 1 << 10

var tags = struct {
	sync.RWMutex
	names []string
	index map[string]uint16
}{names: []string{""}, index: map[string]uint16{"": 0}}

func internTag(tag string) uint16 {
	tags.RLock()
	i, ok := tags.index[tag]
	tags.RUnlock()
	if ok {
		return i
	}
	tags.Lock()
	defer tags.Unlock()
	if i, ok := tags.index[tag]; ok {
		return i
	}
	if len(tags.names) >= maxTags {
		tag = "!<custom>"
		if i, ok := tags.index[tag]; ok {
			return i
		}
	}
	i = uint16(len(tags.names))
	tags.names = append(tags.names, tag)
	tags.index[tag] = i
	return i
}

// Get returns the value of key in a mapping, or nil.
func (n *Node) Get(key string) *Node {
	if k := n.KeyNode(key); k != nil {
		// The value is the node after its key, in the same array.
		return (*Node)(unsafe.Add(unsafe.Pointer(k), unsafe.Sizeof(Node{})))
	}
	return nil
}

// KeyNode returns the key node of key in a mapping, or nil.
func (n *Node) KeyNode(key string) *Node {
	if n == nil || n.Kind() != Mapping {
		return nil
	}
	// The keys are every other child, read in place: this is the hottest
	// loop of a run.
	ks := unsafe.Slice((*Node)(n.p), int(n.n))
	for i := 0; i+1 < len(ks); i += 2 {
		if k := &ks[i]; k.Kind() == Scalar && int(k.n) == len(key) && unsafe.String((*byte)(k.p), len(key)) == key {
			return k
		}
	}
	return nil
}

// Entries iterates over a mapping's keys and values (nothing for anything
// else); like Children, one closure that ranging inlines.
func (n *Node) Entries() iter.Seq2[*Node, *Node] {
	var ks []Node
	if n != nil && n.Kind() == Mapping {
		ks = n.kids()
	}
	return func(yield func(k, v *Node) bool) {
		for i := 0; i+1 < len(ks); i += 2 {
			if !yield(&ks[i], &ks[i+1]) {
				return
			}
		}
	}
}

// Delete removes key and its value from a mapping (the mapping gets new
// children; nodes already taken from it stay as they were).
func (n *Node) Delete(key string) {
	if n == nil || n.Kind() != Mapping {
		return
	}
	ks := n.kids()
	for i := 0; i+1 < len(ks); i += 2 {
		if ks[i].Value() == key {
			rest := make([]Node, 0, len(ks)-2)
			n.setKids(append(append(rest, ks[:i]...), ks[i+2:]...))
			return
		}
	}
}

// Path follows keys through nested mappings.
func (n *Node) Path(keys ...string) *Node {
	for _, k := range keys {
		n = n.Get(k)
		if n == nil {
			return nil
		}
	}
	return n
}

// Items iterates over a sequence's items with their indexes (nothing for
// anything else).
func (n *Node) Items() iter.Seq2[int, *Node] {
	var ks []Node
	if n != nil && n.bits&kindBits == uint32(Sequence) {
		ks = unsafe.Slice((*Node)(n.p), int(n.n)) // kids, within the inlining budget
	}
	return each(ks)
}

// NumItems is the number of a sequence's items (0 for anything else).
func (n *Node) NumItems() int {
	if n == nil || n.Kind() != Sequence {
		return 0
	}
	return n.Len()
}

// Item returns a sequence's item i (0 <= i < NumItems).
func (n *Node) Item(i int) *Node {
	if n.Kind() != Sequence {
		panic("yamlx: Item of a node that is not a sequence")
	}
	return n.At(i)
}

// Pairs calls f for every key/value of a mapping.
func (n *Node) Pairs(f func(k, v *Node)) {
	if n == nil || n.Kind() != Mapping {
		return
	}
	ks := n.kids()
	for i := 0; i+1 < len(ks); i += 2 {
		f(&ks[i], &ks[i+1])
	}
}

// IsNull reports whether the node is absent or a null scalar.
func (n *Node) IsNull() bool {
	return n == nil || (n.Kind() == Scalar && Resolve(n) == TypeNull)
}

// Str returns a scalar's value ("" for nil or non-scalars).
func (n *Node) Str() string {
	if n == nil || n.Kind() != Scalar {
		return ""
	}
	return n.Value()
}

// Strings returns the scalar items of a sequence.
func (n *Node) Strings() []string {
	out := make([]string, 0, n.NumItems())
	for _, it := range n.Items() {
		if it.Kind() == Scalar {
			out = append(out, it.Value())
		}
	}
	return out
}

// Bool returns the boolean a scalar means to kubectl (YAML 1.1 booleans), and whether it is one.
func (n *Node) Bool() (value, ok bool) {
	if n == nil || n.Kind() != Scalar {
		return false, false
	}
	if Resolve(n) != TypeBool {
		return false, false
	}
	switch strings.ToLower(n.Value()) {
	case "true", "yes", "y", "on":
		return true, true
	}
	return false, true
}

// Int returns the integer value of a scalar (as kubectl reads it), and whether it is one.
func (n *Node) Int() (int64, bool) {
	if n == nil || n.Kind() != Scalar {
		return 0, false
	}
	if n.Style() != Plain && n.Tag() != "!!int" {
		// A quoted "3" is a string to the API server.
		return 0, false
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(n.Value(), "_", ""), 0, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}
