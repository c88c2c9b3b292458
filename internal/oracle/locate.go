package oracle

import (
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// locate sets each error's Line: the line (in the file) of the node its
// field path names, or of the deepest ancestor the document has (for a
// missing field, the mapping or list item that should hold it). The path
// forms are field.Path's (spec.containers[0].ports[1].name, data[my key])
// and the JSON decoder's (spec.containers.ports.containerPort, without list
// indexes: the first item that has the path is taken).
func locate(doc []byte, firstLine int, errs []Error) {
	if len(errs) == 0 {
		return
	}
	var root yaml.Node
	if yaml.Unmarshal(doc, &root) != nil || len(root.Content) == 0 {
		return
	}
	for i := range errs {
		if errs[i].Field == "" {
			continue
		}
		steps := parsePath(errs[i].Field)
		line, depth := resolve(root.Content[0], steps)
		if depth < len(steps) {
			// A field the API server derives from one the user wrote.
			for from, to := range derived {
				if strings.HasPrefix(errs[i].Field, from) {
					alt := parsePath(to + strings.TrimPrefix(errs[i].Field, from))
					if l, d := resolve(root.Content[0], alt); d == len(alt) {
						line, depth, steps = l, d, alt
					}
				}
			}
		}
		if line > 0 {
			errs[i].Line = line + firstLine - 1
			errs[i].InDocument = depth == len(steps)
		}
	}
}

// derived maps field paths the registry fills from others (a Service's
// clusterIPs from clusterIP, a Secret's data from stringData) to the field
// the document holds.
var derived = map[string]string{
	"spec.clusterIPs[0]": "spec.clusterIP",
	"data[":              "stringData[",
}

type step struct {
	key   string
	index int // -1: none
	isKey bool
}

// parsePath splits a field path into steps: a name, then any [index] or
// [map key] subscripts.
func parsePath(p string) []step {
	var steps []step
	for p != "" {
		// a name up to '.', '[' or the end
		i := strings.IndexAny(p, ".[")
		if i < 0 {
			i = len(p)
		}
		if i > 0 {
			steps = append(steps, step{key: p[:i], index: -1, isKey: true})
		}
		p = p[i:]
		for strings.HasPrefix(p, "[") {
			j := strings.IndexByte(p, ']')
			if j < 0 {
				return steps
			}
			sub := p[1:j]
			if n, err := strconv.Atoi(sub); err == nil {
				steps = append(steps, step{index: n})
			} else {
				steps = append(steps, step{key: sub, index: -1, isKey: true})
			}
			p = p[j+1:]
		}
		p = strings.TrimPrefix(p, ".")
	}
	return steps
}

// resolve walks steps from n and returns the line of the deepest node
// reached and how many steps it took.
func resolve(n *yaml.Node, steps []step) (line, depth int) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	line = n.Line
	if len(steps) == 0 {
		return line, 0
	}
	s := steps[0]
	switch {
	case s.isKey && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == s.key {
				if len(steps) == 1 {
					return n.Content[i].Line, 1
				}
				l, d := resolve(n.Content[i+1], steps[1:])
				return l, d + 1
			}
		}
	case !s.isKey && n.Kind == yaml.SequenceNode:
		if s.index < len(n.Content) {
			l, d := resolve(n.Content[s.index], steps[1:])
			return l, d + 1
		}
	case s.isKey && n.Kind == yaml.SequenceNode:
		// a JSON decoder path has no index: take the item that goes deepest
		best, bestDepth := line, -1
		for _, item := range n.Content {
			l, d := resolve(item, steps)
			if d > bestDepth {
				best, bestDepth = l, d
			}
		}
		if bestDepth >= 0 {
			return best, bestDepth
		}
	}
	return line, 0
}
