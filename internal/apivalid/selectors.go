package apivalid

import (
	"fmt"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// stringMap reads a mapping of strings; ok is false when a key or value is
// not a plain string (a number, a placeholder...) and no verdict can be made.
func stringMap(n *yamlx.Node) (m map[string]string, ok bool) {
	size := 0
	if n != nil && n.Kind() == yamlx.Mapping {
		size = n.Len() / 2
	}
	m = make(map[string]string, size)
	ok = n == nil || n.IsNull() || n.Kind() == yamlx.Mapping
	n.Pairs(func(k, v *yamlx.Node) {
		s, isStr := labelValue(v)
		if !isStr || IsPlaceholder(k.Value()) || IsPlaceholder(s) {
			ok = false
		}
		m[k.Value()] = s
	})
	return m, ok
}

// labelValue reads the value of a label as the API does: a string, or
// null for "".
func labelValue(v *yamlx.Node) (string, bool) {
	if v.IsNull() {
		return "", true
	}
	return str(v)
}

// hasLabels reports whether the labels mapping n has every label of want,
// with its value (read as stringMap reads them): what the selector of
// want's matchLabels matches.
func hasLabels(n *yamlx.Node, want map[string]string) bool {
	for k, w := range want {
		v := n.Get(k)
		if v == nil {
			return false
		}
		if s, isStr := labelValue(v); !isStr || s != w {
			return false
		}
	}
	return true
}

// labelSelector reads a metav1.LabelSelector, checking its labels and
// requirements as ValidateLabelSelector does. ok is false when it cannot
// be read (or holds placeholders).
func (c *checker) labelSelector(n *yamlx.Node, p *field.Path) (sel *metav1.LabelSelector, ok bool) {
	if n == nil || n.Kind() != yamlx.Mapping {
		return nil, false
	}
	valid := c.labels(n.Get("matchLabels"), func() *field.Path { return p.Child("matchLabels") }, "")
	ml, ok := stringMap(n.Get("matchLabels"))
	ok = ok && valid
	sel = &metav1.LabelSelector{MatchLabels: ml}
	for i, e := range n.Get("matchExpressions").Items() {
		ep := p.Child("matchExpressions").Index(i)
		key, kok := str(e.Get("key"))
		op, ook := str(e.Get("operator"))
		if !kok || !ook || IsPlaceholder(key) {
			ok = false
			continue
		}
		req := metav1.LabelSelectorRequirement{Key: key, Operator: metav1.LabelSelectorOperator(op)}
		for _, v := range e.Get("values").Items() {
			s, sok := str(v)
			if !sok || IsPlaceholder(s) {
				ok = false
			}
			req.Values = append(req.Values, s)
		}
		for _, err := range metav1validation.ValidateLabelSelectorRequirement(req, metav1validation.LabelSelectorValidationOptions{}, ep) {
			at := e
			switch {
			case strings.HasSuffix(err.Field, ".operator"):
				at = e.Get("operator")
			case strings.HasSuffix(err.Field, ".values"):
				at = e.KeyNode("values")
				if at == nil {
					at = e.KeyNode("operator")
				}
			case strings.HasSuffix(err.Field, ".key"):
				at = e.Get("key")
			}
			c.add(Problem{Node: at, Err: err, Fix: "operator is In or NotIn with a list of values, or Exists or DoesNotExist without values"})
			ok = false
		}
		sel.MatchExpressions = append(sel.MatchExpressions, req)
	}
	return sel, ok
}

// selectorMatches checks that a workload's selector selects its pod
// template's labels (the apps/v1 kinds, Jobs with manualSelector).
func (c *checker) selectorMatches(selPath []string, tmplPath []string) {
	root := c.o.Root
	sn := root.Path(selPath...)
	if c.matchedLabels(sn, selPath, tmplPath) {
		return
	}
	sel, ok := c.labelSelector(sn, fieldPath(selPath...))
	if !ok {
		return
	}
	if len(sel.MatchLabels)+len(sel.MatchExpressions) == 0 {
		if onlySelectorKeys(sn) && c.o.Kind != "Job" {
			kind := strings.ToLower(c.o.Kind)
			// apps/v1 validation: "empty selector is invalid for deployment"
			// (ReplicaSet validation says "deployment" too).
			if kind == "replicaset" {
				kind = "deployment"
			}
			c.add(Problem{Node: sn, Err: field.Invalid(fieldPath(selPath...), map[string]any{}, "empty selector is invalid for "+kind),
				Fix: "select the pod template's labels: selector: {matchLabels: {app: ...}} with the template's labels"})
		}
		return
	}
	c.templateMatches(sn, sel, tmplPath, false)
}

// matchedLabels decides the common selector without the maps that
// labelSelector and stringMap build (3 MB of garbage a 10k run): one of
// matchLabels alone, whose every label the template has with its value. It
// checks those labels as labelSelector does, and reports false, having
// checked nothing, for any other selector (placeholders, values that are
// not strings, a label the template lacks or has with another value).
func (c *checker) matchedLabels(sn *yamlx.Node, selPath, tmplPath []string) bool {
	if sn == nil || sn.Kind() != yamlx.Mapping || sn.Len() != 2 {
		return false
	}
	ml := sn.Get("matchLabels")
	if ml == nil || ml.Kind() != yamlx.Mapping || ml.Len() == 0 {
		return false
	}
	tl := c.o.Root.Path(tmplPath...).Path("metadata", "labels")
	for k, v := range ml.Entries() {
		s, isStr := labelValue(v)
		if !isStr || IsPlaceholder(k.Value()) || IsPlaceholder(s) {
			return false
		}
		t := tl.Get(k.Value())
		if t == nil {
			return false
		}
		if ts, isStr := labelValue(t); !isStr || ts != s {
			return false
		}
	}
	c.labels(ml, func() *field.Path { return fieldPath(selPath...).Child("matchLabels") }, "")
	return true
}

func (c *checker) templateMatches(sn *yamlx.Node, sel *metav1.LabelSelector, tmplPath []string, emptyOK bool) {
	if len(sel.MatchExpressions) == 0 && hasLabels(c.o.Root.Path(tmplPath...).Path("metadata", "labels"), sel.MatchLabels) {
		// The common case, decided without building the selector and the
		// labels' map: every matchLabels entry is a template label.
		return
	}
	var selector labels.Selector
	if len(sel.MatchExpressions) == 0 {
		// What LabelSelectorAsSelector builds for valid matchLabels (they
		// were checked), without validating them again.
		selector = labels.SelectorFromValidatedSet(sel.MatchLabels)
	} else {
		var err error
		if selector, err = metav1.LabelSelectorAsSelector(sel); err != nil {
			return
		}
	}
	if emptyOK && selector.Empty() {
		return
	}
	tmpl := c.o.Root.Path(tmplPath...)
	ln := tmpl.Path("metadata", "labels")
	tl, ok := stringMap(ln)
	if !ok || tmpl == nil {
		return
	}
	if selector.Matches(labels.Set(tl)) {
		return
	}
	at := tmpl.Get("metadata").KeyNode("labels")
	if at == nil {
		at = tmpl.KeyNode("metadata")
		if at == nil {
			at = c.o.Root.Path(tmplPath[:len(tmplPath)-1]...).KeyNode(tmplPath[len(tmplPath)-1])
		}
	}
	lp := fieldPath(tmplPath...).Child("metadata", "labels")
	var bad any = tl
	if ln == nil {
		bad = nil // printed as null
	}
	c.add(Problem{Node: at, Err: field.Invalid(lp, bad, "`selector` does not match template `labels`"),
		Headline: fmt.Sprintf("%s: selector %s does not match template labels %s", strings.TrimPrefix(lp.String(), "spec."), selector.String(), showLabels(tl)),
		Fix:      "give the pod template every label of the selector (matchLabels are copied as they are), or change the selector",
		Related:  []diag.Location{c.loc(sn, "the selector")}})
}

func showLabels(m map[string]string) string {
	if len(m) == 0 {
		return "(none)"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = k + "=" + m[k]
	}
	return strings.Join(keys, ",")
}

// metav1Selector is a map selector (a ReplicationController's, a Service's)
// as a LabelSelector.
func metav1Selector(m map[string]string) *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchLabels: m}
}

// onlySelectorKeys reports whether a selector mapping holds nothing but
// matchLabels and matchExpressions: other keys (labels written directly
// under selector) are unknown fields, unknown-field's finding.
func onlySelectorKeys(n *yamlx.Node) bool {
	only := true
	n.Pairs(func(k, _ *yamlx.Node) {
		if k.Value() != "matchLabels" && k.Value() != "matchExpressions" {
			only = false
		}
	})
	return only
}
