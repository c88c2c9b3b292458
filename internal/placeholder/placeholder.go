// Package placeholder is k8slint's one definition of a template
// placeholder: a value that a tool (envsubst, sed, Helm, a human) replaces
// before the file is applied, which the manifest rules do not judge
// (apivalid, apischema, crdschema and the oracle's corpus test read it).
package placeholder

import "strings"

// Is reports whether a value where a name, a number or a
// quantity goes is a template placeholder that a tool (envsubst, sed, Helm,
// a human) replaces before the file is applied: it holds `$VAR`, `${VAR}`,
// `$(VAR)`, `{{ var }}`, `<your-project>`, `__NAME__` or an all-caps
// `WORD_WORD` (letters, digits and underscores with an underscore inside,
// as in `FILESTORE_CAPACITY`).
func Is(s string) bool {
	return maybe(s) && (Templated(s) || hasCapsWord(s))
}

// marks are the bytes without which a value is no placeholder: each form
// above has one of them (an all-caps word has capitals).
var marks = func() (t [256]bool) {
	for _, c := range []byte("{}$<_ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		t[c] = true
	}
	return t
}()

// maybe is the one pass that rules out most values (names, labels,
// images: lower case, digits, dots and dashes) before Is looks closer.
func maybe(s string) bool {
	for i := 0; i < len(s); i++ {
		if marks[s[i]] {
			return true
		}
	}
	return false
}

// IsNumber is Is for a value where a number, a boolean or a quantity goes,
// which one all-caps word (`PORT`, `MEMORY`) stands for too.
func IsNumber(s string) bool { return Is(s) || IsCapsWord(s) }

// Templated reports whether a value holds a substitution that a tool
// expands (`$VAR`, `${VAR}`, `$(VAR)`, `{{ var }}`, `<your-project>`,
// `__NAME__`). Enum fields are judged unless a value is templated: there an
// all-caps `NODE_PORT` is simply wrong.
func Templated(s string) bool {
	if strings.Contains(s, "{{") || strings.Contains(s, "}}") {
		return true
	}
	if i := strings.IndexByte(s, '$'); i >= 0 && i+1 < len(s) {
		if c := s[i+1]; c == '{' || c == '(' || c == '_' || isUpper(c) || isLower(c) {
			return true
		}
	}
	if i := strings.IndexByte(s, '<'); i >= 0 && strings.IndexByte(s[i:], '>') > 1 {
		return true
	}
	if i := strings.Index(s, "__"); i >= 0 && strings.Contains(s[i+2:], "__") {
		return true
	}
	return false
}

// IsCapsWord reports whether s is one all-caps word of at least two
// letters, starting with a letter.
func IsCapsWord(s string) bool {
	if s == "" || !isUpper(s[0]) {
		return false
	}
	letters := 0
	for i := 0; i < len(s); i++ {
		if !isCapsChar(s[i]) {
			return false
		}
		if isUpper(s[i]) {
			letters++
		}
	}
	return letters >= 2
}

// hasCapsWord reports whether s holds a run of [A-Z0-9_] with an underscore
// between two of its other characters and at least two letters.
func hasCapsWord(s string) bool {
	for i := 0; i < len(s); {
		if !isCapsChar(s[i]) {
			i++
			continue
		}
		j := i
		letters, inner := 0, false
		for j < len(s) && isCapsChar(s[j]) {
			if isUpper(s[j]) {
				letters++
			}
			if s[j] == '_' && j > i && j+1 < len(s) && isCapsChar(s[j+1]) && s[j+1] != '_' {
				inner = true
			}
			j++
		}
		if inner && letters >= 2 {
			return true
		}
		i = j
	}
	return false
}

func isCapsChar(c byte) bool { return isUpper(c) || c >= '0' && c <= '9' || c == '_' }
func isUpper(c byte) bool    { return c >= 'A' && c <= 'Z' }
func isLower(c byte) bool    { return c >= 'a' && c <= 'z' }
