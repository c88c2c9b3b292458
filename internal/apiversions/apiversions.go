// Package apiversions is the table of deprecated and removed Kubernetes API
// versions that the deprecated-api-version rule reads, and the conditions on
// a manifest that its notes depend on. The table is Go data generated from
// data/deprecated-apis.yaml (go generate ./internal/apiversions), so nothing
// is parsed at run time.
package apiversions

//go:generate go run gen.go

import (
	"sort"
	"strings"

	"github.com/k8slint/k8slint/internal/settings"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// DefaultKubeVersion is the target Kubernetes version when --kube-version is
// not given: the newest release that k8s.io/api knows (v0.37.x is Kubernetes
// 1.37; a test checks it against go.mod).
const DefaultKubeVersion = "1.37"

// Change is what else changes with the replacement version; it may carry a
// condition on the manifest (Missing, Present or Empty, a field path from
// the object's root where [*] means every list item).
type Change struct {
	Text                    string
	Missing, Present, Empty string
	Required                bool
	From                    []string
}

// API is one deprecated apiVersion and what to use instead.
type API struct {
	APIVersion  string
	Kinds       []string
	Replacement string
	Instead     string
	Changes     []Change

	Deprecated, Removed, Available settings.KubeVersion
	// HasRemoved and HasAvailable are set when Removed and Available are known.
	HasRemoved, HasAvailable bool
}

// Key is an apiVersion and a kind.
type Key struct{ APIVersion, Kind string }

var byKey = func() map[Key]*API {
	m := make(map[Key]*API, len(table)*2)
	for _, a := range table {
		for _, k := range a.Kinds {
			m[Key{a.APIVersion, k}] = a
		}
	}
	return m
}()

// Lookup returns the entry of an apiVersion and kind, or nil.
func Lookup(apiVersion, kind string) *API { return byKey[Key{apiVersion, kind}] }

// All returns every entry, by apiVersion/kind.
func All() map[Key]*API { return byKey }

// Applies evaluates a change's condition on the object.
func (c Change) Applies(o *workspace.Object) bool {
	if len(c.From) > 0 && !contains(c.From, o.APIVersion) {
		return false
	}
	switch {
	case c.Missing != "":
		return fieldMissing(o.Root, splitFieldPath(c.Missing))
	case c.Present != "":
		return fieldPresent(o.Root, splitFieldPath(c.Present))
	case c.Empty != "":
		n := o.Root.Path(splitFieldPath(c.Empty)...)
		return n != nil && n.Kind() == yamlx.Mapping && n.Len() == 0
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// splitFieldPath splits "spec.rules[*].http" into "spec", "rules", "[*]", "http".
func splitFieldPath(p string) []string {
	var out []string
	for _, part := range strings.Split(p, ".") {
		if name, ok := strings.CutSuffix(part, "[*]"); ok {
			out = append(out, name, "[*]")
		} else {
			out = append(out, part)
		}
	}
	return out
}

// fieldPresent reports whether the path is set (not null) somewhere; [*]
// steps into every item of a sequence.
func fieldPresent(n *yamlx.Node, path []string) bool {
	if n.IsNull() {
		return false
	}
	if len(path) == 0 {
		return true
	}
	if path[0] == "[*]" {
		for _, it := range n.Items() {
			if fieldPresent(it, path[1:]) {
				return true
			}
		}
		return false
	}
	return fieldPresent(n.Get(path[0]), path[1:])
}

// fieldMissing reports whether the path is unset; below a [*] step, it is
// missing when some item lacks it. A parent that is itself absent does not
// count below a [*] (there is no item to lack it).
func fieldMissing(n *yamlx.Node, path []string) bool {
	if len(path) == 0 {
		return n.IsNull()
	}
	if n.IsNull() {
		return !contains(path, "[*]")
	}
	if path[0] == "[*]" {
		for _, it := range n.Items() {
			if fieldMissing(it, path[1:]) {
				return true
			}
		}
		return false
	}
	return fieldMissing(n.Get(path[0]), path[1:])
}

// SelectorHint suggests a selector built from the pod template's labels.
func SelectorHint(o *workspace.Object) string {
	labels := o.Root.Path("spec", "template", "metadata", "labels")
	if labels == nil || labels.Kind() != yamlx.Mapping || labels.Len() == 0 {
		return ""
	}
	var kv []string
	labels.Pairs(func(k, v *yamlx.Node) {
		if v.Kind() == yamlx.Scalar {
			kv = append(kv, k.Value()+": "+v.Value())
		}
	})
	if len(kv) == 0 {
		return ""
	}
	sort.Strings(kv)
	return "selector: {matchLabels: {" + strings.Join(kv, ", ") + "}}"
}
