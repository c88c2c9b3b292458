package workspace

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// The helpers that every rule uses to say where and what: a node's or a
// COPY source's location, a workload's label, quoting and plurals.

// NodeLocation is the location of a YAML node in file.
func NodeLocation(file string, n *yamlx.Node) diag.Location {
	return diag.Location{File: file, Line: int(n.Line), Column: int(n.Column), EndLine: int(n.EndLine()), EndColumn: int(n.EndColumn())}
}

// SourceLocation is the location of a COPY/ADD source in a Dockerfile.
func SourceLocation(file string, s *load.Source) diag.Location {
	l := diag.Location{File: file, Line: s.Line, Column: s.Column}
	if s.EndColumn > 0 {
		l.EndLine, l.EndColumn = s.Line, s.EndColumn
	}
	return l
}

// QuoteSource is a COPY source as written, with its expansion when
// variables changed it: "${APP}/x" ("app/x").
func QuoteSource(s *load.Source) string {
	if s.Path != s.Raw {
		return fmt.Sprintf("%q (%q)", s.Raw, s.Path)
	}
	return fmt.Sprintf("%q", s.Raw)
}

// IsGlob reports whether a COPY source is a wildcard pattern.
func IsGlob(p string) bool { return strings.ContainsAny(p, "*?[") }

// Label is "Deployment sms-web" (with the namespace when set, and
// "prefix-*" for a generateName).
func (o *Object) Label() string {
	name := o.Name
	if name == "" {
		if g := o.Root.Path("metadata", "generateName").Str(); g != "" {
			name = g + "*"
		} else {
			name = "(unnamed)"
		}
	}
	if o.Namespace != "" {
		return fmt.Sprintf("%s %s/%s", o.Kind, o.Namespace, name)
	}
	return fmt.Sprintf("%s %s", o.Kind, name)
}

// Plural is "1 pod" or "3 pods".
func Plural(n int64, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
