package yamlx

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// The fast path: most manifests are written in a small, regular part of
// YAML (block mappings and sequences, one-line plain and quoted scalars,
// one-line flow collections, comments). parseFast reads a document chunk
// written only in that part directly into the compact tree, with values
// sliced from the source (no copy) and nodes allocated in slabs. It gives up
// (ok == false) on anything else: anchors, aliases, tags, block scalars,
// multi-line scalars or flow collections, merge keys, tabs, CR, directives,
// unusual characters, and every error; the chunk then goes through
// go.yaml.in/yaml/v3 (parseChunk), which is the reference. The two paths
// give identical trees on what the fast path accepts: TestFastMatchesSlow
// checks this over the corpus and FuzzFastMatchesSlow over arbitrary input.

// fastMaxDepth bounds the recursion of the fast path; deeper documents go
// through the slow path, which reports them.
const fastMaxDepth = 100

type fline struct {
	start, end int // byte offsets of the line's text in src (end excludes "\n")
	indent     int // leading spaces
	line       int32
	ascii      bool
}

type fastParser struct {
	src   string
	lines []fline // content lines (no blank or comment-only lines)
	li    int     // current line
	depth int

	// col's cache: byte offset colOff of line colLine is rune column colCol.
	colLine, colOff int
	colCol          int32

	slab  []Node // nodes are placed here, each collection's children together
	stack []Node // children of the collections being built
	dups  []Duplicate

	// The arena that slab is carved from (see reserve): it stays with the
	// parser between calls, so that the documents of many files share one
	// allocation, each taking only the nodes it used (an arena stays
	// allocated while any of its documents is referenced: at most 256 KiB
	// for a document kept alone).
	nodeArena []Node
	inArena   bool // slab was carved from the arena
	reserved  int  // its capacity then
	spilled   bool // slab outgrew it (and was replaced)
}

type bailout struct{}

// parseFast parses one chunk of a stream (see splitDocuments); src is the
// chunk, firstLine its first line in the file.
func parseFast(src string, firstLine int) (docs []Document, ok bool) {
	return appendFast(nil, src, firstLine)
}

// appendFast is parseFast appending to dst (dst unchanged when not ok).
func appendFast(dst []Document, src string, firstLine int) (docs []Document, ok bool) {
	p := scratch.Get().(*fastParser)
	defer p.release()
	p.src = src
	if n := strings.Count(src, "\n") + 1; cap(p.lines) < n {
		p.lines = make([]fline, 0, n)
	}
	marker := false // the chunk starts with a "---" line
	line := int32(firstLine)
	nodes := 0
	for off := 0; off < len(src); line++ {
		end := strings.IndexByte(src[off:], '\n')
		next := len(src)
		if end < 0 {
			end = len(src)
		} else {
			end += off
			next = end + 1
		}
		l := src[off:end]
		indent := 0
		for indent < len(l) && l[indent] == ' ' {
			indent++
		}
		if indent == len(l) || l[indent] == '#' {
			if !validLine(l) {
				return dst, false
			}
			off = next
			continue // blank or comment
		}
		if off == 0 && strings.HasPrefix(l, "---") && (len(l) == 3 || l[3] == ' ') {
			if t := strings.TrimLeft(l[3:], " "); t != "" && t[0] != '#' || !validLine(l) {
				return dst, false // content on the marker line
			}
			marker = true
			off = next
			continue
		}
		if indent == 0 && (l[0] == '%' || strings.HasPrefix(l, "...") || strings.HasPrefix(l, "---")) {
			return dst, false
		}
		// One pass checks the characters and counts the nodes the line can
		// hold: every node is the value of a key (": ", with its key), an
		// entry of a sequence ("- ") or of a flow sequence ('[', ','), or the root.
		ascii := true
		for i := indent; i < len(l); i++ {
			switch c := l[i]; {
			case c == ':':
				if i+1 == len(l) || l[i+1] == ' ' {
					nodes += 2
				}
			case c == '-':
				if (i+1 == len(l) || l[i+1] == ' ') && (i == 0 || l[i-1] == ' ') {
					nodes++
				}
			case c == '[' || c == ',':
				nodes++
			case c < 0x20 || c == 0x7f:
				return dst, false // tabs, CR, control characters
			case c >= 0x80:
				if ascii && !validText(l[i:]) {
					return dst, false
				}
				ascii = false
			}
		}
		p.lines = append(p.lines, fline{start: off, end: end, indent: indent, line: line, ascii: ascii})
		off = next
	}
	if len(p.lines) == 0 {
		if !marker {
			return dst, true // nothing but blank and comment lines
		}
		if !strings.HasSuffix(src, "\n") {
			return dst, false
		}
		// An empty document is a null scalar at the end of the chunk.
		end := int32(firstLine + strings.Count(src, "\n"))
		return append(dst, Document{Line: firstLine, Root: &Node{bits: nodeBits(Scalar, Plain) | hasEnd, Line: end, Column: 1}}), true
	}
	p.reserve(nodes + 1)
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			docs, ok = dst, false
			p.unreserve()
		}
	}()
	first := p.lines[0]
	var top Node
	text := p.text(0)
	switch {
	case isSeqEntry(text, first.indent):
		top = p.sequence(first.indent)
	case p.keyEnd(text, first.indent) > 0:
		top = p.mapping(first.indent, first.indent)
	default:
		p.bail()
	}
	p.stack = append(p.stack, top)
	root := &p.children(len(p.stack) - 1)[0]
	if p.li != len(p.lines) {
		p.bail() // a line less indented than the root, or other trailing text
	}
	p.commit()
	d := Document{Line: int(first.line), Root: root, Duplicates: p.dups}
	if marker {
		d.Line = firstLine
	}
	return append(dst, d), true
}

func (p *fastParser) bail() { panic(bailout{}) }

// arenaNodes is the size of a node arena (256 KiB): the documents of many
// small files are carved from one, so that a file's tree costs the nodes it
// has, not an upper bound of them rounded up to an allocation size class.
// A document whose bound is above a quarter of it gets a slab of its own.
// An arena's tail that the next document's bound does not fit in is
// wasted: with 2,048-node arenas that was 5 % of a 10k run's nodes
// (1.9 MB), with 8,192 it is 1.3 %.
const arenaNodes = 8192

// reserve makes slab a slice of capacity n (an upper bound of the
// document's nodes), carved from the arena when n is small.
func (p *fastParser) reserve(n int) {
	p.spilled = false
	if n > arenaNodes/4 {
		p.slab, p.inArena = make([]Node, 0, n), false
		return
	}
	// A parser's first arena holds just its first document, and each next
	// one twice the last, up to arenaNodes: a parser that the pool drops
	// (at a collection, or often under the race detector) wastes little.
	if cap(p.nodeArena)-len(p.nodeArena) < n {
		p.nodeArena = make([]Node, 0, max(n, min(2*cap(p.nodeArena), arenaNodes)))
	}
	a := len(p.nodeArena)
	p.slab, p.inArena, p.reserved = p.nodeArena[a:a:a+n], true, n
}

// used returns how much of the arena the document took: what slab holds,
// or all that was reserved when it spilled over.
func (p *fastParser) used() int {
	if p.spilled {
		return p.reserved
	}
	return len(p.slab)
}

// commit moves the arena past the nodes of a parsed document, which are
// now its own.
func (p *fastParser) commit() {
	if !p.inArena {
		return
	}
	p.nodeArena = p.nodeArena[:len(p.nodeArena)+p.used()]
	p.inArena = false
}

// unreserve clears what a document that the fast path gave up on wrote
// into the arena, which the next document then reuses.
func (p *fastParser) unreserve() {
	if !p.inArena {
		return
	}
	a := len(p.nodeArena)
	clear(p.nodeArena[a : a+p.used()])
	p.inArena = false
}

// scratch keeps the parsers' temporary slices (lines, stack) between calls.
var scratch = sync.Pool{New: func() any { return &fastParser{colLine: -1} }}

// release returns p to the pool, keeping only its temporary slices (and not
// those of a huge document).
func (p *fastParser) release() {
	if cap(p.lines) > 1<<16 || cap(p.stack) > 1<<16 {
		return
	}
	clear(p.stack) // what a document that bailed out left (children and dupCheck clear what they pop)
	*p = fastParser{lines: p.lines[:0], stack: p.stack[:0], colLine: -1, nodeArena: p.nodeArena}
	scratch.Put(p)
}

// validLine checks the characters of a comment or blank line.
func validLine(l string) bool {
	for i := 0; i < len(l); i++ {
		if c := l[i]; c < 0x20 || c == 0x7f {
			return false
		} else if c >= 0x80 {
			return validText(l[i:])
		}
	}
	return true
}

// validText checks the rest of a line that has non-ASCII bytes: valid UTF-8,
// and only characters that yaml.v3 reads as ordinary printable text.
func validText(s string) bool {
	for i := 0; i < len(s); {
		r, sz := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && sz <= 1:
			return false
		case r < 0x20 || r == 0x7f:
			return false
		case r >= 0x80 && r < 0xA0, r == 0x2028, r == 0x2029, r == 0xFEFF, r >= 0xD800 && r < 0xE000, r == 0xFFFE, r == 0xFFFF:
			return false
		}
		i += sz
	}
	return true
}

func (p *fastParser) text(li int) string {
	l := p.lines[li]
	return p.src[l.start:l.end]
}

// col returns the 1-based column (in runes) of byte offset off of line li.
// On non-ASCII lines it counts from the last position asked for when it can
// (offsets mostly grow along a line), so that a long line stays linear.
func (p *fastParser) col(li, off int) int32 {
	l := p.lines[li]
	if l.ascii {
		return int32(off + 1)
	}
	if li != p.colLine || off < p.colOff {
		p.colLine, p.colOff, p.colCol = li, 0, 1
	}
	p.colCol += int32(utf8.RuneCountInString(p.src[l.start+p.colOff : l.start+off]))
	p.colOff = off
	return p.colCol
}

func (p *fastParser) width(li int, s string) int32 {
	if p.lines[li].ascii {
		return int32(len(s))
	}
	return int32(utf8.RuneCountInString(s))
}

func (p *fastParser) scalar(li, off int, value string, style Style, raw string) Node {
	n := Node{bits: nodeBits(Scalar, style), Line: p.lines[li].line, Column: p.col(li, off)}
	n.SetValue(value)
	n.SetEnd(n.Line, n.Column+p.width(li, raw))
	return n
}

// children moves the nodes pushed since mark into consecutive nodes of the
// slab, and clears them from the stack (which the pool keeps).
func (p *fastParser) children(mark int) []Node {
	n := len(p.stack) - mark
	if len(p.slab)+n > cap(p.slab) {
		p.spilled = p.spilled || p.inArena
		p.slab = make([]Node, 0, max(n, 256))
	}
	a := len(p.slab)
	p.slab = append(p.slab, p.stack[mark:]...)
	clear(p.stack[mark:])
	p.stack = p.stack[:mark]
	return p.slab[a : a+n : a+n]
}

func isSeqEntry(text string, i int) bool {
	return i < len(text) && text[i] == '-' && (i+1 == len(text) || text[i+1] == ' ')
}

func skipSpaces(text string, i int) int {
	for i < len(text) && text[i] == ' ' {
		i++
	}
	return i
}

// restIsEmpty reports whether text[i:] is blank or a comment.
func restIsEmpty(text string, i int) bool {
	j := skipSpaces(text, i)
	return j == len(text) || text[j] == '#' && (j > 0 && text[j-1] == ' ' || j == 0)
}

// keyEnd returns the offset of the ':' that ends a block mapping key
// starting at offset i of text, or -1 when the text there is not a key.
func (p *fastParser) keyEnd(text string, i int) int {
	if i >= len(text) {
		return -1
	}
	switch text[i] {
	case '"', '\'':
		_, _, end, ok := quoted(text, i)
		if !ok {
			return -1
		}
		j := skipSpaces(text, end)
		if j < len(text) && text[j] == ':' && (j+1 == len(text) || text[j+1] == ' ') {
			return j
		}
		return -1
	}
	if !plainStart(text, i) {
		return -1
	}
	for j := i; j < len(text); j++ {
		switch text[j] {
		case ':':
			if j+1 == len(text) || text[j+1] == ' ' {
				return j
			}
		case '#':
			if text[j-1] == ' ' {
				return -1
			}
		}
	}
	return -1
}

// plainStart reports whether a plain scalar may start at text[i] (the
// fast path accepts fewer starts than YAML).
func plainStart(text string, i int) bool {
	switch text[i] {
	case '-':
		return i+1 < len(text) && text[i+1] != ' '
	case '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	}
	return true
}

// quoted reads a one-line quoted scalar starting at text[i]; end is the
// offset after the closing quote.
func quoted(text string, i int) (value, raw string, end int, ok bool) {
	q := text[i]
	if q == '\'' {
		var b strings.Builder
		esc := false
		for j := i + 1; j < len(text); j++ {
			if text[j] != '\'' {
				continue
			}
			if j+1 < len(text) && text[j+1] == '\'' {
				esc = true
				j++
				continue
			}
			v := text[i+1 : j]
			if esc {
				b.Grow(len(v))
				b.WriteString(strings.ReplaceAll(v, "''", "'"))
				v = b.String()
			}
			return v, text[i : j+1], j + 1, true
		}
		return "", "", 0, false
	}
	esc := false
	for j := i + 1; j < len(text); j++ {
		switch text[j] {
		case '\\':
			esc = true
			j++
		case '"':
			v := text[i+1 : j]
			if esc {
				var ok bool
				if v, ok = unescape(v); !ok {
					return "", "", 0, false
				}
			}
			return v, text[i : j+1], j + 1, true
		}
	}
	return "", "", 0, false
}

// unescape decodes the escapes of a double-quoted scalar that the fast path
// accepts; others (\x, \u, line folding...) send the chunk to the slow path.
func unescape(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(s) {
			return "", false
		}
		switch s[i] {
		case '\\', '"':
			// Not '/': yaml.v3 and yaml.v2 (so kubectl, in a YAML stream)
			// reject "\/"; in a JSON stream it is read by the slow path
			// (see jsonSlashes).
			b.WriteByte(s[i])
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		case ' ':
			b.WriteByte(' ')
		default:
			return "", false
		}
	}
	return b.String(), true
}

// next moves to the next content line and returns its indentation, or -1 at the end.
func (p *fastParser) next() int {
	p.li++
	if p.li >= len(p.lines) {
		return -1
	}
	return p.lines[p.li].indent
}

func (p *fastParser) enter() {
	p.depth++
	if p.depth > fastMaxDepth {
		p.bail()
	}
}

// mapping reads a block mapping whose first key starts at byte offset off of
// the current line; its keys sit at column col (0-based). When the mapping
// ends, the current line is the first line after it.
func (p *fastParser) mapping(col, off int) Node {
	p.enter()
	defer func() { p.depth-- }()
	li := p.li
	n := Node{bits: nodeBits(Mapping, Plain), Line: p.lines[li].line, Column: p.col(li, off)}
	mark := len(p.stack)
	var seen map[string]int
	for {
		text := p.text(p.li)
		kend := p.keyEnd(text, off)
		if kend < 0 {
			p.bail()
		}
		p.stack = append(p.stack, p.key(text, off, kend), Node{})
		vi := len(p.stack) - 1
		v := p.value(col, text, kend) // pushes and pops above vi
		p.stack[vi] = v
		p.dupCheck(mark, vi-1, &seen)
		if p.li >= len(p.lines) {
			break
		}
		ind := p.lines[p.li].indent
		if ind < col {
			break
		}
		if ind > col {
			p.bail()
		}
		off = col
	}
	n.setKids(p.children(mark))
	return n
}

// key builds the key node of text[off:kend].
func (p *fastParser) key(text string, off, kend int) Node {
	if text[off] == '"' || text[off] == '\'' {
		v, raw, _, _ := quoted(text, off)
		style := DoubleQuoted
		if text[off] == '\'' {
			style = SingleQuoted
		}
		return p.scalar(p.li, off, v, style, raw)
	}
	k := strings.TrimRight(text[off:kend], " ")
	if k == "<<" || len(k) > 1000 {
		p.bail() // merge key; over-long implicit key
	}
	return p.scalar(p.li, off, k, Plain, k)
}

// dupCheck records the key at stack[ki] when an earlier key of the same
// mapping (from stack[mark]) has the same value; the pair is then dropped,
// as the slow path does. Small mappings are scanned; *seen indexes the keys
// of large ones (by their place on the stack). The duplicate's nodes are
// copies: the key is not in the tree, and its first occurrence is about to
// move to its mapping's children.
func (p *fastParser) dupCheck(mark, ki int, seen *map[string]int) {
	k := &p.stack[ki]
	first := -1
	switch {
	case *seen != nil:
		if i, ok := (*seen)[k.Value()]; ok {
			first = i
		}
	case ki-mark > 32:
		*seen = make(map[string]int, ki-mark)
		for i := mark; i < ki; i += 2 {
			(*seen)[p.stack[i].Value()] = i
		}
		if i, ok := (*seen)[k.Value()]; ok {
			first = i
		}
	default:
		for i := mark; i < ki; i += 2 {
			if p.stack[i].Value() == k.Value() {
				first = i
				break
			}
		}
	}
	if first >= 0 {
		key, at := *k, p.stack[first]
		p.dups = append(p.dups, Duplicate{Key: &key, First: &at})
		clear(p.stack[ki:])
		p.stack = p.stack[:ki]
		return
	}
	if *seen != nil {
		(*seen)[k.Value()] = ki
	}
}

// value reads the value after the indicator (':' of a key, '-' of an entry)
// at offset ind of the current line, in a collection at column col. It
// leaves the current line at the first line after the value.
func (p *fastParser) value(col int, text string, ind int) Node {
	li := p.li
	i := skipSpaces(text, ind+1)
	if restIsEmpty(text, i) {
		// The value is on the next lines, or it is null.
		nind := p.next()
		switch {
		case nind > col:
			t := p.text(p.li)
			switch {
			case isSeqEntry(t, nind):
				return p.sequence(nind)
			case p.keyEnd(t, nind) > 0:
				return p.mapping(nind, nind)
			}
			p.bail() // a scalar on its own line
		case nind == col && text[ind] == ':' && isSeqEntry(p.text(p.li), nind):
			return p.sequence(nind) // a sequence not indented under its key
		}
		n := Node{bits: nodeBits(Scalar, Plain), Line: p.lines[li].line, Column: p.col(li, ind+1)}
		n.SetEnd(n.Line, n.Column)
		return n
	}
	if text[ind] == '-' {
		if isSeqEntry(text, i) {
			p.bail() // "- - x"
		}
		if p.keyEnd(text, i) > 0 {
			// "- key: value": a mapping that starts on the entry's line
			// (only spaces and the dash precede it, so bytes are columns).
			return p.mapping(i, i)
		}
	}
	var n Node
	switch c := text[i]; c {
	case '{', '[':
		var end int
		n, end = p.flow(text, i)
		if !restIsEmpty(text, end) {
			p.bail()
		}
	case '"', '\'':
		v, raw, end, ok := quoted(text, i)
		if !ok || !restIsEmpty(text, end) {
			p.bail()
		}
		style := DoubleQuoted
		if c == '\'' {
			style = SingleQuoted
		}
		n = p.scalar(li, i, v, style, raw)
	default:
		if !plainStart(text, i) {
			p.bail()
		}
		j := i
		for ; j < len(text); j++ {
			if text[j] == ':' && (j+1 == len(text) || text[j+1] == ' ') {
				p.bail() // a mapping value on a value's line
			}
			if text[j] == '#' && text[j-1] == ' ' {
				break
			}
		}
		v := strings.TrimRight(text[i:j], " ")
		n = p.scalar(li, i, v, Plain, v)
	}
	if nind := p.next(); nind > col {
		p.bail() // a multi-line scalar, or an error
	}
	return n
}

// sequence reads a block sequence whose entries start at column col of the
// current line.
func (p *fastParser) sequence(col int) Node {
	p.enter()
	defer func() { p.depth-- }()
	li := p.li
	n := Node{bits: nodeBits(Sequence, Plain), Line: p.lines[li].line, Column: p.col(li, col)}
	mark := len(p.stack)
	for {
		text := p.text(p.li)
		if !isSeqEntry(text, col) {
			p.bail()
		}
		v := p.value(col, text, col)
		p.stack = append(p.stack, v)
		if p.li >= len(p.lines) {
			break
		}
		ind := p.lines[p.li].indent
		if ind < col || ind == col && !isSeqEntry(p.text(p.li), col) {
			break // the end of the sequence (the parent checks what follows)
		}
		if ind > col {
			p.bail()
		}
	}
	n.setKids(p.children(mark))
	return n
}

// flow reads a one-line flow mapping or sequence starting at text[i] and
// returns it with the offset after its closing bracket.
func (p *fastParser) flow(text string, i int) (Node, int) {
	p.enter()
	defer func() { p.depth-- }()
	li := p.li
	n := Node{bits: nodeBits(0, Flow), Line: p.lines[li].line, Column: p.col(li, i)}
	isMap := text[i] == '{'
	closer := byte(']')
	n.SetKind(Sequence)
	if isMap {
		n.SetKind(Mapping)
		closer = '}'
	}
	mark := len(p.stack)
	var seen map[string]int
	j := skipSpaces(text, i+1)
	if j < len(text) && text[j] == closer {
		n.setKids(p.children(mark))
		return n, j + 1
	}
	for {
		var item Node
		item, j = p.flowScalarOrCollection(text, j)
		if isMap {
			j = skipSpaces(text, j)
			if j+1 >= len(text) || text[j] != ':' || text[j+1] != ' ' {
				p.bail()
			}
			p.stack = append(p.stack, item, Node{})
			vi := len(p.stack) - 1
			var v Node
			v, j = p.flowScalarOrCollection(text, skipSpaces(text, j+1))
			p.stack[vi] = v
			p.dupCheck(mark, vi-1, &seen)
		} else {
			p.stack = append(p.stack, item)
		}
		j = skipSpaces(text, j)
		if j >= len(text) {
			p.bail()
		}
		if text[j] == closer {
			j++
			break
		}
		if text[j] != ',' {
			p.bail()
		}
		j = skipSpaces(text, j+1)
		if j >= len(text) || text[j] == closer || text[j] == ',' {
			p.bail() // a trailing or empty entry
		}
	}
	n.setKids(p.children(mark))
	return n, j
}

// flowScalarOrCollection reads one entry of a flow collection.
func (p *fastParser) flowScalarOrCollection(text string, i int) (Node, int) {
	if i >= len(text) {
		p.bail()
	}
	switch c := text[i]; c {
	case '{', '[':
		return p.flow(text, i)
	case '"', '\'':
		v, raw, end, ok := quoted(text, i)
		if !ok {
			p.bail()
		}
		style := DoubleQuoted
		if c == '\'' {
			style = SingleQuoted
		}
		return p.scalar(p.li, i, v, style, raw), end
	}
	if !plainStart(text, i) {
		p.bail()
	}
	j := i
	for ; j < len(text); j++ {
		c := text[j]
		if c == ',' || c == '[' || c == ']' || c == '{' || c == '}' {
			break
		}
		if c == '?' {
			p.bail() // libyaml ends a plain scalar at '?' in flow context: {c?d: e} is an error
		}
		if c == ':' || c == '#' && text[j-1] == ' ' {
			break
		}
	}
	if j < len(text) && (text[j] == ':' && (j+1 == len(text) || text[j+1] != ' ') || text[j] == '#' || text[j] == '[' || text[j] == '{') {
		p.bail()
	}
	v := strings.TrimRight(text[i:j], " ")
	if v == "" {
		p.bail()
	}
	return p.scalar(p.li, i, v, Plain, v), j
}
