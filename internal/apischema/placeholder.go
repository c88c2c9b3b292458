package apischema

import (
	"regexp"
	"strings"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// Placeholders of files written for envsubst, sed or a template engine
// before they are applied: `$VAR`, `${VAR}`, `{{ var }}`, `<your-project>`,
// `__NAME__`, and an all-caps WORD_WORD. Such a value is not judged: it is
// replaced before the API server sees it.
var (
	dollarRe   = regexp.MustCompile(`\$\{?[A-Za-z_][A-Za-z0-9_]*`)
	angleRe    = regexp.MustCompile(`<[A-Za-z][A-Za-z0-9 _.-]*>`)
	dunderRe   = regexp.MustCompile(`__[A-Za-z0-9]+(_[A-Za-z0-9]+)*__`)
	allCapsRe  = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$`)
	templateRe = regexp.MustCompile(`\{\{.*\}\}`)
	// Where a number or a boolean goes, a single all-caps word is one too.
	allCapsWordRe = regexp.MustCompile(`^[A-Z][A-Z0-9_]+$`)
)

// IsPlaceholder reports whether a scalar's text is (or holds) a template placeholder.
func IsPlaceholder(s string) bool {
	if s == "" {
		return false
	}
	if strings.IndexByte(s, '$') >= 0 && dollarRe.MatchString(s) {
		return true
	}
	if strings.Contains(s, "{{") && templateRe.MatchString(s) {
		return true
	}
	if strings.IndexByte(s, '<') >= 0 && angleRe.MatchString(s) {
		return true
	}
	if strings.Contains(s, "__") && dunderRe.MatchString(s) {
		return true
	}
	return allCapsRe.MatchString(s)
}

// isPlaceholderNode also recognizes an unquoted `{{ var }}`, which YAML
// reads as a mapping whose only key is a mapping.
func isPlaceholderNode(n *yamlx.Node) bool {
	switch n.Kind {
	case yamlx.Scalar:
		return IsPlaceholder(n.Value)
	case yamlx.Mapping:
		return len(n.Content) == 2 && n.Content[0].Kind == yamlx.Mapping
	}
	return false
}
