package render

import (
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// KOutput is a kustomization root's build output, with the way back from
// each of its nodes to the file and line that wrote it: the patch that set
// the field, else the resource file the object came from (its origin
// annotation, which k8slint asks krusty for in memory and removes again).
type KOutput struct {
	// Path names the output ("<root>/(kustomize build)"); findings on it are
	// moved to the source files by Locate.
	Path string
	Text []byte

	root        string
	patches     []string
	jsonPatches []JSONPatch
	keepOrigin  bool
	table       map[int32][]kpos
	// files are the objects of each source file, parsed once (for the
	// output of a Helm chart's template, at the template's positions)
	files map[string][]yamlx.Document
	// read returns a source file's bytes as the build read them
	read func(string) ([]byte, error)
	// helm are the template outputs of the kustomization's Helm charts, by
	// the in-memory resource file that holds each
	helm map[string]*Output
	// docs are the build's objects by their first line, with the source
	// file each came from (to tell two releases of one chart apart)
	docs []docSource
	// Sources are the files the positions point into.
	Sources []string
}

type kpos struct {
	col   int32
	loc   Location
	end   int
	shift int32 // inside a block scalar: source column minus rendered column
}

const originKey = "config.kubernetes.io/origin"

// Map records where every node of docs (parsed from o.Text) was written,
// and removes the origin annotations k8slint added.
func (o *KOutput) Map(docs []yamlx.Document) {
	o.table = map[int32][]kpos{}
	if o.files == nil {
		o.files = map[string][]yamlx.Document{}
	}
	used := map[string]bool{}
	for _, d := range docs {
		obj := d.Root
		if obj == nil || obj.Kind() != yamlx.Mapping {
			continue
		}
		ann := obj.Path("metadata", "annotations")
		origin := ""
		if a := ann.Get(originKey); a != nil {
			for _, od := range yamlx.ParseStream([]byte(a.Value())) {
				origin = od.Root.Get("path").Str()
				if origin == "" {
					origin = od.Root.Get("configuredIn").Str()
				}
			}
		}
		kind := obj.Get("kind").Str()
		name := obj.Path("metadata", "name").Str()
		var srcs []srcObj
		if origin != "" {
			f := filepath.Join(o.root, filepath.FromSlash(origin))
			o.docs = append(o.docs, docSource{line: obj.Line, file: f})
			if so := o.find(f, kind, name, true); so.node != nil {
				srcs = append(srcs, so)
				name = so.node.Path("metadata", "name").Str() // the name before prefixes and suffixes
			} else {
				srcs = append(srcs, srcObj{file: o.display(f)})
			}
		}
		for _, p := range o.patches {
			if so := o.find(p, kind, name, false); so.node != nil {
				srcs = append(srcs, so)
			}
		}
		for _, s := range srcs {
			used[s.file] = true
		}
		var fallback Location
		if len(srcs) > 0 {
			fallback = Location{File: srcs[0].file, Line: 1, Column: 1}
			if srcs[0].node != nil {
				fallback.Line, fallback.Column = int(srcs[0].node.Line), int(srcs[0].node.Column)
			}
		}
		nodes := make([]*yamlx.Node, len(srcs))
		for i, s := range srcs {
			nodes[i] = s.node
		}
		o.walk(obj, nodes, srcs, fallback, 0)
		o.jsonOps(obj, kind, name, used)
		if !o.keepOrigin {
			ann.Delete(originKey)
			if md := obj.Get("metadata"); ann != nil && ann.Len() == 0 {
				md.Delete("annotations")
			}
		}
	}
	for f := range used {
		o.Sources = append(o.Sources, f)
	}
	sort.Strings(o.Sources)
}

type docSource struct {
	line int32
	file string
}

type srcObj struct {
	file string
	node *yamlx.Node
}

// find returns the object of kind and name in file (a resource file: the
// only object of that kind when names differ).
func (o *KOutput) find(file, kind, name string, loose bool) srcObj {
	docs := o.docsOf(file)
	file = o.display(file)
	var same []*yamlx.Node
	for _, d := range docs {
		if d.Root.Get("kind").Str() != kind {
			continue
		}
		n := d.Root.Path("metadata", "name").Str()
		if n == name {
			return srcObj{file: file, node: d.Root}
		}
		if loose && n != "" && strings.Contains(name, n) {
			same = append(same, d.Root)
		}
	}
	if len(same) == 1 {
		return srcObj{file: file, node: same[0]}
	}
	return srcObj{file: file}
}

// walk records rendered node n at the last source that has it (patches
// are applied after the resource, in order).
func (o *KOutput) walk(n *yamlx.Node, src []*yamlx.Node, srcs []srcObj, fallback Location, depth int) {
	if n == nil || depth > 200 {
		return
	}
	loc := fallback
	for i := len(src) - 1; i >= 0; i-- {
		if s := src[i]; s != nil {
			loc = Location{File: srcs[i].file, Line: int(s.Line), Column: int(s.Column)}
			end := 0
			if s.EndLine() == s.Line {
				end = int(s.EndColumn())
			}
			o.table[n.Line] = append(o.table[n.Line], kpos{col: n.Column, loc: loc, end: end})
			if n.Kind() == yamlx.Scalar && n.Indent() > 0 && s.Indent() > 0 && s.Value() == n.Value() {
				// a literal block: content line i is source line s.Line+1+i
				for j := 1; j <= strings.Count(n.Value(), "\n"); j++ {
					o.table[n.Line+int32(j)] = append(o.table[n.Line+int32(j)], kpos{col: n.Indent() + 1,
						loc: Location{File: srcs[i].file, Line: int(s.Line) + j, Column: int(s.Indent()) + 1}, shift: s.Indent() - n.Indent()})
				}
			}
			break
		}
	}
	if loc == fallback {
		o.table[n.Line] = append(o.table[n.Line], kpos{col: n.Column, loc: fallback})
	}
	switch n.Kind() {
	case yamlx.Mapping:
		for k, v := range n.Entries() {
			ks := make([]*yamlx.Node, len(src))
			vs := make([]*yamlx.Node, len(src))
			for j, s := range src {
				ks[j], vs[j] = s.KeyNode(k.Value()), s.Get(k.Value())
			}
			o.walk(k, ks, srcs, loc, depth+1)
			o.walk(v, vs, srcs, loc, depth+1)
		}
	case yamlx.Sequence:
		for i, it := range n.Children() {
			is := make([]*yamlx.Node, len(src))
			for j, s := range src {
				is[j] = matchItem(s, it, i)
			}
			o.walk(it, is, srcs, loc, depth+1)
		}
	}
}

// matchItem finds the item of sequence s that stands for rendered item it
// (index i): by name (the merge key of containers, env, volumes, ports...),
// else by position.
func matchItem(s, it *yamlx.Node, i int) *yamlx.Node {
	if s == nil || s.Kind() != yamlx.Sequence {
		return nil
	}
	for _, key := range []string{"name", "mountPath", "containerPort", "port"} {
		if v := it.Get(key); v != nil {
			for _, c := range s.Children() {
				if c.Get(key).Str() == v.Value() {
					return c
				}
			}
			return nil
		}
	}
	if i < s.Len() {
		return s.At(i)
	}
	return nil
}

// Locate returns the source position of a rendered line and column.
func (o *KOutput) Locate(line, col int) (Location, int, bool) {
	ps := o.table[int32(line)]
	if len(ps) == 0 {
		// the nearest line above that has one
		for l := line - 1; l > 0 && l > line-1000; l-- {
			if ps := o.table[int32(l)]; len(ps) > 0 {
				return ps[0].loc, 0, true
			}
		}
		return Location{}, 0, false
	}
	best := ps[0]
	for _, p := range ps {
		if int(p.col) <= col && p.col >= best.col {
			best = p
		}
	}
	if best.shift != 0 || best.loc.Column == int(best.col) && best.end == 0 && int(best.col) < col {
		// a column inside a block scalar's content line
		l := best.loc
		l.Column = col + int(best.shift)
		return l, 0, true
	}
	return best.loc, best.end, true
}

// docsOf returns the objects of a source file, parsed once from the bytes
// the build read.
func (o *KOutput) docsOf(file string) []yamlx.Document {
	docs, ok := o.files[file]
	if !ok {
		if o.read != nil {
			if data, err := o.read(file); err == nil {
				docs = yamlx.ParseStream(yamlx.Normalize(data))
			}
		}
		o.files[file] = docs
	}
	return docs
}

// display is the file a position in source file f points into: the
// template, for a Helm chart's output.
func (o *KOutput) display(f string) string {
	if h := o.helm[f]; h != nil {
		return h.Path
	}
	return f
}

// SourceText returns the text of a file that positions point into (one of
// Sources), as the build read it: suppression comments are read from it.
func (o *KOutput) SourceText(path string) []byte {
	for _, h := range o.helm {
		if h.Path == path {
			return h.Source
		}
	}
	if o.read == nil {
		return nil
	}
	data, _ := o.read(path)
	return data
}

// ChartAt returns the output of the Helm chart template that wrote the
// object at line of the build, or nil: where the values it reads are set
// (for the release of that object, when a chart is inflated twice).
func (o *KOutput) ChartAt(line int) *Output {
	i := sort.Search(len(o.docs), func(i int) bool { return int(o.docs[i].line) > line })
	if i == 0 {
		return nil
	}
	return o.helm[o.docs[i-1].file]
}

// jsonOps records the values that JSON 6902 patches aimed at this object
// set: each op's value is where its path's node was written.
func (o *KOutput) jsonOps(obj *yamlx.Node, kind, name string, used map[string]bool) {
	for _, jp := range o.jsonPatches {
		if jp.Kind != kind || jp.Name != "" && jp.Name != name {
			continue
		}
		for _, d := range o.docsOf(jp.File) {
			for _, op := range d.Root.Items() {
				v, path := op.Get("value"), op.Get("path").Str()
				if v == nil || path == "" {
					continue
				}
				n := resolvePointer(obj, path)
				if n == nil {
					continue
				}
				used[jp.File] = true
				o.walk(n, []*yamlx.Node{v}, []srcObj{{file: jp.File}}, Location{File: jp.File, Line: int(v.Line), Column: int(v.Column)}, 0)
			}
		}
	}
}

// resolvePointer follows a JSON pointer (/spec/containers/0/env/-) in n.
func resolvePointer(n *yamlx.Node, ptr string) *yamlx.Node {
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch {
		case n == nil:
			return nil
		case n.Kind() == yamlx.Mapping:
			n = n.Get(tok)
		case n.Kind() == yamlx.Sequence:
			if tok == "-" {
				if n.Len() == 0 {
					return nil
				}
				n = n.At(n.Len() - 1)
				continue
			}
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= n.Len() {
				return nil
			}
			n = n.At(i)
		default:
			return nil
		}
	}
	return n
}
