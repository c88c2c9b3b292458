package yamlx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	goccyparser "github.com/goccy/go-yaml/parser"
	goccytoken "github.com/goccy/go-yaml/token"
	"github.com/k8slint/k8slint/internal/diag"
	yaml "go.yaml.in/yaml/v3"
)

// Document is one YAML document of a stream.
type Document struct {
	Root *Node
	// Line is the file line where the document starts.
	Line int
	// Err is set when the document does not parse; Root is nil then.
	Err *SyntaxError
	// Duplicates lists mapping keys that appear twice in one mapping.
	Duplicates []Duplicate
}

// SyntaxError is a parse error with its position in the file.
type SyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Duplicate is a repeated key in a mapping.
type Duplicate struct {
	Key   *Node
	First *Node // the key's first occurrence
}

// Normalize strips a UTF-8 byte order mark and converts UTF-16 (with a BOM) to UTF-8.
func Normalize(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return utf16ToUTF8(data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return utf16ToUTF8(data[2:], true)
	}
	return data
}

func utf16ToUTF8(b []byte, bigEndian bool) []byte {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return []byte(string(utf16.Decode(u)))
}

// ParseStream parses every document of a (normalized) YAML stream. A document
// that does not parse yields a Document with Err set, and parsing goes on with
// the next document: streams are split at `---` lines before parsing.
//
// Chunks in the common subset of YAML are read by the fast path (parseFast,
// whose scalars share one copy of data); the others by yaml.v3.
func ParseStream(data []byte) []Document { return parseStream(data, false) }

// ParseStreamOwned is ParseStream for a buffer that the caller hands over:
// the tree's strings point into data instead of into a copy of it, so data
// must never be modified afterwards. (It saves a copy of every file.)
func ParseStreamOwned(data []byte) []Document { return parseStream(data, true) }

func parseStream(data []byte, owned bool) []Document {
	if len(data) > math.MaxInt32 {
		// A node's value and children fit in 31 bits (see Node); the
		// loader's --max-file-size stops such files long before this.
		return []Document{{Line: 1, Err: &SyntaxError{Line: 1, Column: 1, Msg: "the stream is 2 GiB or larger; k8slint does not read it"}}}
	}
	var src string
	var room [4]chunk // most streams have a document or two: no garbage
	chunks := splitDocuments(room[:0], data)
	docs := make([]Document, 0, len(chunks))
	for _, ch := range chunks {
		if l, sep, bad := badSeparator(ch.data); bad {
			// kubectl's splitter rejects the whole stream here.
			docs = append(docs, Document{Line: ch.line, Err: &SyntaxError{Line: ch.line + l, Column: 1,
				Msg: "invalid Yaml document separator: " + diag.Excerpt(sep) + " (kubectl splits documents at lines that start with \"---\" and allows only a comment after it; it cannot read this file)"}})
			continue
		}
		if b := bomAfterMarker(ch.data); b > 0 {
			// A byte order mark that starts a document (files saved with
			// one and concatenated): kubectl's decoder drops it, as it does
			// at the start of a stream, so the document is read without it.
			fixed := append(append([]byte(nil), ch.data[:b]...), ch.data[b+3:]...)
			if d, ok := parseFast(string(fixed), ch.line); ok && !slowOnly {
				docs = append(docs, d...)
			} else {
				docs = append(docs, parseChunk(fixed, ch.line)...)
			}
			continue
		}
		if !slowOnly {
			if src == "" {
				if owned {
					src = unsafe.String(unsafe.SliceData(data), len(data))
				} else {
					src = string(data)
				}
			}
			var ok bool
			if docs, ok = appendFast(docs, src[ch.start:ch.start+len(ch.data)], ch.line); ok {
				continue
			}
		}
		if isJSON(data) && bytes.Contains(ch.data, []byte(`\/`)) {
			if d, ok := parseJSONSlashes(ch); ok {
				docs = append(docs, d...)
				continue
			}
		}
		docs = append(docs, parseChunk(ch.data, ch.line)...)
	}
	return docs
}

// isJSON reports whether kubectl reads the stream as JSON: its first
// non-blank byte is '{' (k8s.io/apimachinery/pkg/util/yaml's JSON sniffing).
func isJSON(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// parseJSONSlashes reads a chunk of a JSON stream that has "\/" escapes,
// which JSON allows (encoding/json, kubectl's decoder for JSON streams,
// reads them as '/') and YAML does not: each "\/" is read as "\_" (the
// same width, so positions hold), and the U+00A0 it gives is turned back
// into '/'. ok is false when the chunk has U+00A0 or "\_" of its own.
func parseJSONSlashes(ch chunk) ([]Document, bool) {
	if bytes.Contains(ch.data, []byte("\u00a0")) || bytes.Contains(ch.data, []byte(`\_`)) {
		return nil, false
	}
	fixed := bytes.Clone(ch.data)
	for i := 0; i+1 < len(fixed); i++ {
		if fixed[i] == '\\' {
			if fixed[i+1] == '/' {
				fixed[i+1] = '_'
			}
			i++
		}
	}
	docs := parseChunk(fixed, ch.line)
	seen := map[*Node]bool{}
	var walk func(n *Node)
	walk = func(n *Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		if n.Kind() == Scalar && strings.Contains(n.Value(), "\u00a0") {
			n.SetValue(strings.ReplaceAll(n.Value(), "\u00a0", "/"))
		}
		for _, c := range n.Children() {
			walk(c)
		}
	}
	for _, d := range docs {
		walk(d.Root)
		for _, dup := range d.Duplicates {
			walk(dup.Key)
			walk(dup.First)
		}
	}
	return docs, true
}

// slowOnly disables the fast path (tests compare the two).
var slowOnly = false

type chunk struct {
	data  []byte
	start int // offset of data in the stream
	line  int // file line of the chunk's first line
}

// splitDocuments appends to out the chunks of a stream, cut at lines that
// start a new document (`---`).
// A `---` inside a block scalar must be indented, so a `---` at column 1
// always starts a document.
func splitDocuments(out []chunk, data []byte) []chunk {
	start, startLine, line := 0, 1, 1
	unusual := unusualBreaks(data)
	for i := 0; i < len(data); {
		end := lineEnd(data, i, unusual)
		l := data[i:end]
		if i > start && bytes.HasPrefix(l, []byte("---")) && (len(l) == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\n' || l[3] == '\r') {
			out = append(out, chunk{data[start:i], start, startLine})
			start, startLine = i, line
		}
		line++
		i = end
	}
	out = append(out, chunk{data[start:], start, startLine})
	return out
}

// badSeparator finds a line of the chunk that kubectl's document splitter
// (k8s.io/apimachinery/pkg/util/yaml.YAMLReader) takes for a separator, as
// it takes every line that starts with "---", with something other than
// blanks or a comment after it (`--- |`, `--- {}`, `----`): kubectl fails on
// the file with "invalid Yaml document separator: <rest>". It returns the
// line's 0-based index in the chunk and the rest.
func badSeparator(data []byte) (line int, rest string, bad bool) {
	for off := 0; off < len(data); {
		if bytes.HasPrefix(data[off:], []byte("---")) {
			end := bytes.IndexByte(data[off:], '\n')
			if end < 0 {
				end = len(data) - off
			}
			if t := strings.TrimSpace(string(data[off+3 : off+end])); t != "" && t[0] != '#' {
				return bytes.Count(data[:off], []byte("\n")), t, true
			}
		}
		i := bytes.Index(data[off:], []byte("\n---"))
		if i < 0 {
			break
		}
		off += i + 1
	}
	return 0, "", false
}

// bomAfterMarker returns the offset of a UTF-8 byte order mark that follows
// the chunk's `---` line, or 0.
func bomAfterMarker(data []byte) int {
	if !bytes.HasPrefix(data, []byte("---")) {
		return 0
	}
	i := bytes.IndexByte(data, '\n') + 1
	if i > 0 && bytes.HasPrefix(data[i:], []byte{0xEF, 0xBB, 0xBF}) {
		return i
	}
	return 0
}

var lineRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): `) })

// parserErrors are yaml.v3's parser (not scanner) errors: their line is the
// 0-based line of the construct being parsed.
var parserErrors = map[string]bool{
	"did not find expected <stream-start>": true, "did not find expected <document start>": true,
	"did not find expected node content": true, "did not find expected '-' indicator": true,
	"did not find expected key": true, "did not find expected ',' or ']'": true,
	"did not find expected ',' or '}'": true, "found duplicate %YAML directive": true,
	"found incompatible YAML document": true, "found duplicate %TAG directive": true,
	"found undefined tag handle": true,
}

func parseChunk(data []byte, firstLine int) []Document {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	lines := lineStarts(data)
	var docs []Document
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			msg := err.Error()
			line := 0
			if m := lineRe().FindStringSubmatch(msg); m != nil {
				line, _ = strconv.Atoi(m[1])
				msg = msg[len(m[0]):]
			} else if len(msg) > 6 && msg[:6] == "yaml: " {
				msg = msg[6:]
			}
			fileLine, col := firstLine, 1
			deep := deepFlow(data)
			if l, c, ok := badChar(data); ok {
				// Reader errors (invalid UTF-8, control characters) come without a position.
				fileLine, col = firstLine+l-1, c
			} else if deep >= 0 && strings.Contains(msg, "exceeded max depth") {
				// yaml.v3 stops at 10,000 levels; the converter at MaxDepth.
				l, c := position(data, deep)
				fileLine, col = firstLine+l-1, c
				msg = fmt.Sprintf("nesting deeper than %d levels", MaxDepth)
			} else if deep >= 0 {
				// Too deep for the position parser (see errorPosition): yaml.v3's line.
				if parserErrors[msg] {
					fileLine = firstLine + line
				} else if line > 0 {
					fileLine = firstLine + line - 1
				}
			} else if l, c, ok := errorPosition(data); ok {
				fileLine, col = firstLine+l-1, c
			} else if parserErrors[msg] {
				// yaml.v3 gives parser errors a 0-based line (and none for line 0).
				fileLine = firstLine + line
			} else if line > 0 {
				fileLine = firstLine + line - 1
			}
			docs = append(docs, Document{Line: firstLine, Err: &SyntaxError{Line: fileLine, Column: col, Msg: msg}})
			break
		}
		c := converter{data: data, lines: lines, off: int32(firstLine - 1), memo: map[*yaml.Node]*Node{}, sizes: map[*Node]int64{}}
		root := &n
		if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
			root = root.Content[0]
		}
		d := Document{Line: firstLine + max(n.Line-1, 0)}
		d.Root = c.convert(root, 0)
		d.Duplicates = c.dups
		if c.err != nil {
			d.Root, d.Err = nil, c.err
		}
		docs = append(docs, d)
	}
	return docs
}

func lineStarts(data []byte) []int {
	starts := []int{0}
	unusual := unusualBreaks(data)
	for i := 0; i < len(data); {
		i = lineEnd(data, i, unusual)
		if i < len(data) || i > 0 && isBreakEnd(data, i) {
			starts = append(starts, i)
		}
	}
	return starts
}

// isBreakEnd reports whether data[:i] ends with a line break.
func isBreakEnd(data []byte, i int) bool {
	b := data[i-1]
	return b == '\n' || b == '\r' || b == 0x85 && i >= 2 && data[i-2] == 0xC2 ||
		(b == 0xA8 || b == 0xA9) && i >= 3 && data[i-3] == 0xE2 && data[i-2] == 0x80
}

// unusualBreaks reports whether data has line breaks other than "\n" and
// "\r\n": yaml.v3 (YAML 1.1) also breaks lines at a lone CR, NEL (U+0085),
// LS (U+2028) and PS (U+2029), and lines are counted as it counts them.
func unusualBreaks(data []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\r')
		if j < 0 {
			break
		}
		i += j + 1
		if i == len(data) || data[i] != '\n' {
			return true
		}
	}
	return bytes.Contains(data, []byte("\u0085")) || bytes.Contains(data, []byte("\u2028")) || bytes.Contains(data, []byte("\u2029"))
}

// lineEnd returns the offset after the line that starts at i, its line break
// included (len(data) for the last line without one).
func lineEnd(data []byte, i int, unusual bool) int {
	if !unusual {
		if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
			return i + j + 1
		}
		return len(data)
	}
	for ; i < len(data); i++ {
		switch data[i] {
		case '\n':
			return i + 1
		case '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				return i + 2
			}
			return i + 1
		case 0xC2:
			if i+1 < len(data) && data[i+1] == 0x85 {
				return i + 2
			}
		case 0xE2:
			if i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xA8 || data[i+2] == 0xA9) {
				return i + 3
			}
		}
	}
	return len(data)
}

// badChar finds the first character yaml.v3's reader rejects (invalid
// UTF-8, control characters) and returns its 1-based line and column.
func badChar(data []byte) (line, col int, ok bool) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, sz := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && sz <= 1,
			r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f,
			r >= 0x80 && r < 0xA0 && r != 0x85, r >= 0xD800 && r < 0xE000, r == 0xFFFE, r == 0xFFFF:
			return line, col, true
		case r == '\n':
			line, col = line+1, 1
		default:
			col++
		}
		i += sz
	}
	return 0, 0, false
}

// MaxDepth bounds nesting; deeper documents are reported as errors.
const MaxDepth = 2000

// MaxAliasExpansion bounds the number of nodes a document may reach through
// aliases (counting each alias as a copy of what it names). A "billion
// laughs" document is tiny as a graph but expands exponentially; a rule that
// walks it as a tree would never finish, and kubectl rejects it ("excessive
// aliasing"). Such a document is reported as an error.
const MaxAliasExpansion = 1_000_000

type converter struct {
	data  []byte
	lines []int
	off   int32
	memo  map[*yaml.Node]*Node
	dups  []Duplicate
	err   *SyntaxError
	// sizes memoizes the expanded size of subtrees reached through aliases.
	sizes   map[*Node]int64
	aliased int64 // nodes added through aliases so far
	// setEnd's cache: byte offset colOff of line colLine-1 (0: none) is rune column colCol.
	colLine, colOff int
	colCol          int32
}

// expandedSize is the number of nodes of n's subtree counted as a tree
// (shared subtrees once per reference), saturating above MaxAliasExpansion.
func (c *converter) expandedSize(n *Node) int64 {
	if n == nil {
		return 0
	}
	if s, ok := c.sizes[n]; ok {
		return s
	}
	c.sizes[n] = MaxAliasExpansion + 1 // a cycle counts as too large
	s := int64(1)
	for _, ch := range n.Children() {
		s += c.expandedSize(ch)
		if s > MaxAliasExpansion {
			s = MaxAliasExpansion + 1
			break
		}
	}
	c.sizes[n] = s
	return s
}

func (c *converter) convert(y *yaml.Node, depth int) *Node {
	if y == nil {
		return nil
	}
	if n, ok := c.memo[y]; ok {
		return n
	}
	if depth > MaxDepth {
		if c.err == nil {
			c.err = &SyntaxError{Line: y.Line + int(c.off), Column: y.Column, Msg: fmt.Sprintf("nesting deeper than %d levels", MaxDepth)}
		}
		return nil
	}
	if y.Kind == yaml.AliasNode {
		n := c.convert(y.Alias, depth+1)
		c.memo[y] = n
		if n != nil && n.Kind() != Scalar && c.err == nil {
			c.aliased += c.expandedSize(n)
			if c.aliased > MaxAliasExpansion {
				c.err = &SyntaxError{Line: y.Line + int(c.off), Column: y.Column,
					Msg: fmt.Sprintf("aliases expand this document to more than %d nodes (a \"billion laughs\" alias bomb?); kubectl rejects it (excessive aliasing) and it is not checked", MaxAliasExpansion)}
			}
		}
		return n
	}
	n := &Node{Line: int32(y.Line) + c.off, Column: int32(y.Column)}
	c.memo[y] = n
	if y.Style&yaml.TaggedStyle != 0 {
		n.SetTag(y.Tag)
	}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return nil
		}
		return c.convert(y.Content[0], depth+1)
	case yaml.ScalarNode:
		n.SetKind(Scalar)
		n.SetValue(y.Value)
		switch {
		case y.Style&yaml.DoubleQuotedStyle != 0:
			n.SetStyle(DoubleQuoted)
		case y.Style&yaml.SingleQuotedStyle != 0:
			n.SetStyle(SingleQuoted)
		case y.Style&yaml.LiteralStyle != 0:
			n.SetStyle(Literal)
			n.SetIndent(c.blockIndent(n))
		case y.Style&yaml.FoldedStyle != 0:
			n.SetStyle(Folded)
		}
		if int(n.Line-c.off) > len(c.lines) {
			// An empty scalar at the end of a stream without a final newline
			// (the null root of an empty last document, the null value of a
			// last `?` key): yaml.v3 puts it on the line after the last; it
			// is moved to the end of the last line.
			last := c.data[c.lines[len(c.lines)-1]:]
			n.Line = int32(len(c.lines)) + c.off
			n.Column = int32(utf8.RuneCount(last)) + 1
			n.SetEnd(n.Line, n.Column)
			return n
		}
		c.setEnd(n)
	case yaml.SequenceNode:
		n.SetKind(Sequence)
		if y.Style&yaml.FlowStyle != 0 {
			n.SetStyle(Flow)
		}
		kids := make([]Node, 0, len(y.Content))
		for _, it := range y.Content {
			if ci := c.convert(it, depth+1); ci != nil {
				kids = append(kids, *ci)
			}
		}
		n.setKids(kids)
	case yaml.MappingNode:
		n.SetKind(Mapping)
		if y.Style&yaml.FlowStyle != 0 {
			n.SetStyle(Flow)
		}
		c.mapping(n, y, depth)
	}
	return n
}

func (c *converter) mapping(n *Node, y *yaml.Node, depth int) {
	kids := make([]Node, 0, len(y.Content))
	seen := make(map[string]*Node, len(y.Content)/2)
	var merges []*Node
	for i := 0; i+1 < len(y.Content); i += 2 {
		k, v := c.convert(y.Content[i], depth+1), c.convert(y.Content[i+1], depth+1)
		if k == nil {
			continue
		}
		if v == nil {
			// An empty value is a null scalar at the key's position.
			v = &Node{bits: nodeBits(Scalar, Plain), Line: k.Line, Column: k.Column}
		}
		if k.Kind() != Scalar && c.err == nil {
			// yaml.v2, and so kubectl, cannot use a mapping or sequence as a key;
			// this is mostly an unreplaced {{VAR}} template placeholder.
			c.err = &SyntaxError{Line: int(k.Line), Column: int(k.Column), Msg: "invalid map key: a mapping or sequence used as a key (an unreplaced {{...}} template placeholder?); kubectl cannot read this document"}
		}
		if k.Kind() == Scalar && k.Value() == "<<" && k.Style() == Plain && (!k.hasTag() || k.Tag() == "!!merge") {
			if !mergeable(y.Content[i+1]) {
				if c.err == nil {
					c.err = &SyntaxError{Line: int(k.Line), Column: int(k.Column),
						Msg: "map merge requires map or sequence of maps as the value (kubectl's error: a `<<` merge key takes a mapping, an alias of one, or a list of these; kubectl cannot read this document)"}
				}
				continue
			}
			merges = append(merges, v)
			continue
		}
		if k.Kind() == Scalar {
			if first, dup := seen[k.Value()]; dup {
				c.dups = append(c.dups, Duplicate{Key: k, First: first})
				continue
			}
			seen[k.Value()] = k
		}
		kids = append(kids, *k, *v)
	}
	// Merge keys: explicit keys win, then earlier merged maps win over later ones.
	for _, m := range merges {
		srcs := []Node{*m}
		if m.Kind() == Sequence {
			srcs = m.kids()
		}
		for _, s := range srcs {
			if s.Kind() != Mapping {
				continue
			}
			for k, v := range s.Entries() {
				if _, ok := seen[k.Value()]; ok {
					continue
				}
				seen[k.Value()] = k
				kids = append(kids, *k, *v)
			}
		}
	}
	n.setKids(kids)
}

// mergeable reports whether yaml.v2 (so kubectl) accepts v as the value of
// a `<<` merge key: a mapping, an alias of a mapping, or a sequence of these.
func mergeable(v *yaml.Node) bool {
	isMap := func(n *yaml.Node) bool {
		return n.Kind == yaml.MappingNode || n.Kind == yaml.AliasNode && n.Alias != nil && n.Alias.Kind == yaml.MappingNode
	}
	if v.Kind == yaml.SequenceNode {
		for _, it := range v.Content {
			if !isMap(it) {
				return false
			}
		}
		return true
	}
	return isMap(v)
}

// setEnd fills the end position of a scalar that sits on one line.
func (c *converter) setEnd(n *Node) {
	li := int(n.Line - c.off - 1)
	if li < 0 || li >= len(c.lines) || n.Column < 1 {
		return
	}
	start := c.lines[li]
	end := len(c.data)
	if li+1 < len(c.lines) {
		end = c.lines[li+1]
	}
	line := c.data[start:end]
	// Byte offset of the node's column (columns count runes), counted on
	// from the previous scalar of the same line: scalars come in order, and
	// counting from the line's start would be quadratic on a long line
	// (minified JSON).
	b, col := 0, int32(1)
	if c.colLine == li+1 && c.colCol <= n.Column {
		b, col = c.colOff, c.colCol
	}
	for ; col < n.Column && b < len(line); col++ {
		_, sz := utf8.DecodeRune(line[b:])
		b += sz
	}
	c.colLine, c.colOff, c.colCol = li+1, b, col
	rest := line[b:]
	var width int
	switch n.Style() {
	case Plain:
		if bytes.ContainsAny([]byte(n.Value()), "\n") {
			return
		}
		if n.hasTag() {
			// Skip the tag and the space after it.
			if i := bytes.IndexAny(rest, " \t"); i >= 0 {
				rest = rest[i+1:]
				width += utf8.RuneCount(line[b : b+i+1])
			}
		}
		if !bytes.HasPrefix(rest, []byte(n.Value())) {
			return
		}
		width += utf8.RuneCountInString(n.Value())
	case SingleQuoted, DoubleQuoted:
		q := byte('\'')
		if n.Style() == DoubleQuoted {
			q = '"'
		}
		if n.hasTag() {
			i := bytes.IndexByte(rest, q)
			if i < 0 {
				return
			}
			width += utf8.RuneCount(rest[:i])
			rest = rest[i:]
		}
		if len(rest) == 0 || rest[0] != q {
			return
		}
		i := 1
		for ; i < len(rest); i++ {
			if rest[i] == '\\' && q == '"' {
				i++
				continue
			}
			if rest[i] == q {
				if q == '\'' && i+1 < len(rest) && rest[i+1] == '\'' {
					i++
					continue
				}
				break
			}
		}
		if i >= len(rest) {
			return // spans lines
		}
		width += utf8.RuneCount(rest[:i+1])
	default:
		return
	}
	n.SetEnd(n.Line, n.Column+int32(width))
}

// deepFlow returns the offset of the first flow collection opened deeper
// than MaxDepth levels, or -1. It counts every bracket, including those in
// quoted scalars and comments, so it errs towards "too deep".
func deepFlow(data []byte) int {
	depth := 0
	for i, b := range data {
		switch b {
		case '[', '{':
			if depth++; depth > MaxDepth {
				return i
			}
		case ']', '}':
			depth = max(depth-1, 0)
		}
	}
	return -1
}

// position returns the 1-based line and (rune) column of byte offset off.
func position(data []byte, off int) (line, col int) {
	ls := bytes.LastIndexByte(data[:off], '\n') + 1
	return bytes.Count(data[:ls], []byte("\n")) + 1, utf8.RuneCount(data[ls:off]) + 1
}

// errorPosition locates a syntax error more exactly than yaml.v3 does:
// yaml.v3 reports the line where the enclosing construct starts, while
// goccy/go-yaml reports the token where parsing failed (as PyYAML and
// kubectl users expect). It runs only for documents that failed to parse,
// and never on flow collections nested deeper than MaxDepth (deepFlow): the
// memory goccy needs grows with the square of the depth (8 MB at 2,000
// levels, over 2 GB at 60,000).
func errorPosition(data []byte) (line, col int, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	// goccy counts a comment's CR LF as two line breaks: give it LF only
	// (the lines and columns stay those of data).
	_, err := goccyparser.ParseBytes(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), 0)
	var te interface{ GetToken() *goccytoken.Token }
	if err == nil || !errors.As(err, &te) {
		return 0, 0, false
	}
	tok := te.GetToken()
	if tok == nil || tok.Position == nil || tok.Position.Line < 1 || tok.Position.Line > bytes.Count(data, []byte("\n"))+1 {
		return 0, 0, false
	}
	return tok.Position.Line, max(tok.Position.Column, 1), true
}

// blockIndent finds the indentation of a literal block scalar's content: a
// content line is its source line without the indentation, so the first
// non-empty content line tells it. The header (`|`) is on n.Line; content
// starts on the next line.
func (c *converter) blockIndent(n *Node) int32 {
	first := int(n.Line - c.off) // 0-based index of the line after the header
	for i, vl := range strings.Split(n.Value(), "\n") {
		if vl == "" {
			continue
		}
		li := first + i
		if li < 0 || li >= len(c.lines) {
			return 0
		}
		end := len(c.data)
		if li+1 < len(c.lines) {
			end = c.lines[li+1]
		}
		src := strings.TrimRight(string(c.data[c.lines[li]:end]), "\r\n")
		if !strings.HasSuffix(src, vl) {
			return 0
		}
		indent := src[:len(src)-len(vl)]
		if strings.Trim(indent, " ") != "" {
			return 0
		}
		return int32(len(indent))
	}
	return 0
}
