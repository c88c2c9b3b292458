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

// Node is a YAML node with its position in the file (1-based line and column;
// EndLine/EndColumn are set for single-line scalars).
type Node struct {
	Kind  Kind
	Style Style
	// tag indexes the interned explicit tag (see Tag); 0 is "no tag".
	tag uint16
	// Indent is, for a literal block scalar (`|`), the number of columns of
	// indentation stripped from its content lines: content line i (0-based)
	// of Value is file line Line+1+i, starting at column Indent+1. Zero when
	// unknown (and for every other node).
	Indent int32
	value  string // a scalar's value: see Value
	Line, Column,
	EndLine, EndColumn int32
	// kids holds a sequence's items, or a mapping's keys and values
	// alternating (key0, value0, key1, value1, ...): see Len, At, Children.
	kids []*Node
}

// Value is a scalar's value as YAML reads it (quotes and escapes
// resolved); "" for a collection.
func (n *Node) Value() string { return n.value }

// SetValue sets a scalar's value.
func (n *Node) SetValue(v string) { n.value = v }

// Len is the number of a collection's children: a sequence's items, or a
// mapping's keys and values (twice its pairs); 0 for a scalar or nil.
func (n *Node) Len() int {
	if n == nil {
		return 0
	}
	return len(n.kids)
}

// At returns child i of a collection (0 <= i < Len): item i of a sequence,
// or of a mapping key i/2 (i even) or its value (i odd).
func (n *Node) At(i int) *Node { return n.kids[i] }

// Children iterates over a collection's children with their indexes (see
// At); nothing for a scalar or nil.
func (n *Node) Children() iter.Seq2[int, *Node] {
	return func(yield func(int, *Node) bool) {
		if n == nil {
			return
		}
		for i, c := range n.kids {
			if !yield(i, c) {
				return
			}
		}
	}
}

// SetChildren makes kids a collection's children (see At).
func (n *Node) SetChildren(kids []*Node) { n.kids = kids }

// Tag is the explicit tag as written ("!!str", "!!int", ...), empty when none.
func (n *Node) Tag() string {
	if n == nil || n.tag == 0 {
		return ""
	}
	tags.RLock()
	defer tags.RUnlock()
	return tags.names[n.tag]
}

// SetTag records an explicit tag (tags are interned: a node stays 64 bytes).
func (n *Node) SetTag(tag string) { n.tag = internTag(tag) }

// maxTags bounds the table of distinct tags; further custom tags share one
// entry (they all read as strings to kubectl).
const maxTags = 4096

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
	if n == nil || n.Kind != Mapping {
		return nil
	}
	for i := 0; i+1 < len(n.kids); i += 2 {
		if n.kids[i].value == key {
			return n.kids[i+1]
		}
	}
	return nil
}

// KeyNode returns the key node of key in a mapping, or nil.
func (n *Node) KeyNode(key string) *Node {
	if n == nil || n.Kind != Mapping {
		return nil
	}
	for i := 0; i+1 < len(n.kids); i += 2 {
		if n.kids[i].value == key {
			return n.kids[i]
		}
	}
	return nil
}

// Delete removes key and its value from a mapping (the mapping gets new
// children; nodes already taken from it stay as they were).
func (n *Node) Delete(key string) {
	if n == nil || n.Kind != Mapping {
		return
	}
	for i := 0; i+1 < len(n.kids); i += 2 {
		if n.kids[i].value == key {
			n.kids = append(n.kids[:i:i], n.kids[i+2:]...)
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
	if n == nil || n.Kind != Sequence {
		return func(func(int, *Node) bool) {}
	}
	return n.Children()
}

// NumItems is the number of a sequence's items (0 for anything else).
func (n *Node) NumItems() int {
	if n == nil || n.Kind != Sequence {
		return 0
	}
	return n.Len()
}

// Item returns a sequence's item i (0 <= i < NumItems).
func (n *Node) Item(i int) *Node {
	if n.Kind != Sequence {
		panic("yamlx: Item of a node that is not a sequence")
	}
	return n.At(i)
}

// Pairs calls f for every key/value of a mapping.
func (n *Node) Pairs(f func(k, v *Node)) {
	if n == nil || n.Kind != Mapping {
		return
	}
	for i := 0; i+1 < len(n.kids); i += 2 {
		f(n.kids[i], n.kids[i+1])
	}
}

// IsNull reports whether the node is absent or a null scalar.
func (n *Node) IsNull() bool {
	return n == nil || (n.Kind == Scalar && Resolve(n) == TypeNull)
}

// Str returns a scalar's value ("" for nil or non-scalars).
func (n *Node) Str() string {
	if n == nil || n.Kind != Scalar {
		return ""
	}
	return n.value
}

// Strings returns the scalar items of a sequence.
func (n *Node) Strings() []string {
	out := make([]string, 0, n.NumItems())
	for _, it := range n.Items() {
		if it.Kind == Scalar {
			out = append(out, it.value)
		}
	}
	return out
}

// Bool returns the boolean a scalar means to kubectl (YAML 1.1 booleans), and whether it is one.
func (n *Node) Bool() (value, ok bool) {
	if n == nil || n.Kind != Scalar {
		return false, false
	}
	if Resolve(n) != TypeBool {
		return false, false
	}
	switch strings.ToLower(n.value) {
	case "true", "yes", "y", "on":
		return true, true
	}
	return false, true
}

// Int returns the integer value of a scalar (as kubectl reads it), and whether it is one.
func (n *Node) Int() (int64, bool) {
	if n == nil || n.Kind != Scalar {
		return 0, false
	}
	if n.Style != Plain && n.Tag() != "!!int" {
		// A quoted "3" is a string to the API server.
		return 0, false
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(n.value, "_", ""), 0, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}
