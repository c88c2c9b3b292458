package apischema

import (
	"github.com/k8slint/k8slint/internal/placeholder"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// IsPlaceholder reports whether a scalar's text is (or holds) a template
// placeholder: placeholder.Is, k8slint's one definition.
func IsPlaceholder(s string) bool { return placeholder.Is(s) }

// isCapsWord: where a number or a boolean goes, a single all-caps word is
// a placeholder too.
func isCapsWord(s string) bool { return placeholder.IsCapsWord(s) }

// isPlaceholderNode also recognizes an unquoted `{{ var }}`, which YAML
// reads as a mapping whose only key is a mapping.
func isPlaceholderNode(n *yamlx.Node) bool {
	switch n.Kind() {
	case yamlx.Scalar:
		return IsPlaceholder(n.Value())
	case yamlx.Mapping:
		return n.Len() == 2 && n.At(0).Kind() == yamlx.Mapping
	}
	return false
}
