package apivalid

import (
	"fmt"
	"strings"

	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/yamlx"
)

var metadataPath = field.NewPath("metadata")

// meta checks metadata: the name by kind, the namespace, labels and annotations.
func (c *checker) meta() {
	meta := c.o.Root.Get("metadata")
	if meta == nil || meta.Kind() != yamlx.Mapping {
		return
	}
	mp := metadataPath
	if n := meta.Get("name"); n != nil {
		if name, ok := str(n); ok && name != "" && !IsPlaceholder(name) {
			for _, msg := range c.kind.name(name, false) {
				c.invalid(n, field.Invalid(mp.Child("name"), name, msg), fmt.Sprintf("make the name %s, such as %q", c.kind.nameHint, suggestName(name)))
			}
			if c.o.Kind == "CronJob" && len(name) > 52 {
				c.invalid(n, field.Invalid(mp.Child("name"), name, "must be no more than 52 characters"),
					"shorten the name to 52 characters at most: the CronJob controller appends an 11-character suffix to name each Job, and Job names end up in a 63-character label")
			}
		}
	}
	if n := meta.Get("namespace"); n != nil && !c.kind.cluster {
		if ns, ok := str(n); ok && ns != "" && !IsPlaceholder(ns) {
			for _, msg := range apimachineryvalidation.ValidateNamespaceName(ns, false) {
				c.invalid(n, field.Invalid(mp.Child("namespace"), ns, msg), fmt.Sprintf("make the namespace %s, such as %q", label, suggestName(ns)))
			}
		}
	}
	c.labels(meta.Get("labels"), func() *field.Path { return mp.Child("labels") }, "")
	c.annotations(meta.Get("annotations"), func() *field.Path { return mp.Child("annotations") }, "")
}

// labels checks a map of labels (metadata labels, a selector's matchLabels,
// a nodeSelector) as the API server's ValidateLabels does (IsQualifiedName
// for keys, IsValidLabelValue for values), one entry at a time so each
// problem points at its key or value. path builds the map's field path,
// only for a problem. It reports whether every entry is valid.
func (c *checker) labels(m *yamlx.Node, path func() *field.Path, short string) (valid bool) {
	valid = true
	m.Pairs(func(k, v *yamlx.Node) {
		if IsPlaceholder(k.Value()) {
			return
		}
		if len(c.memo.check(fnQualified, k.Value())) > 0 {
			valid = false
			for _, e := range metav1validation.ValidateLabelName(k.Value(), path()) {
				c.add(Problem{Node: k, Err: e, Short: shorten(short, e.Field) + " key", Fix: labelKeyFix})
			}
		}
		val, ok := str(v)
		if !ok || IsPlaceholder(val) {
			return // null is "", a number or boolean is wrong-field-type
		}
		for _, msg := range c.memo.check(fnLabelValue, val) {
			valid = false
			p := path()
			c.add(Problem{Node: v, Err: field.Invalid(p, val, msg), Short: shorten(short, p.Key(k.Value()).String()), Fix: labelValueFix})
		}
	})
	return valid
}

const (
	labelKeyFix   = "a label key is an optional DNS subdomain prefix and '/', then a name of at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
	labelValueFix = "a label value is empty or at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
)

// annotations checks annotation keys (ValidateAnnotations: IsQualifiedName,
// case-insensitive) and their total size.
func (c *checker) annotations(m *yamlx.Node, path func() *field.Path, short string) {
	size := 0
	m.Pairs(func(k, v *yamlx.Node) {
		size += len(k.Value()) + len(v.Value())
		if IsPlaceholder(k.Value()) || len(c.memo.check(fnQualified, strings.ToLower(k.Value()))) == 0 {
			return
		}
		for _, e := range apimachineryvalidation.ValidateAnnotations(map[string]string{k.Value(): ""}, path()) {
			c.add(Problem{Node: k, Err: e, Short: shorten(short, e.Field) + " key",
				Fix: "an annotation key is an optional DNS subdomain prefix and '/', then a name of at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit"})
		}
	})
	if size <= apimachineryvalidation.TotalAnnotationSizeLimitB {
		return
	}
	all := map[string]string{}
	m.Pairs(func(k, v *yamlx.Node) { all[k.Value()] = v.Value() })
	if err := apimachineryvalidation.ValidateAnnotationsSize(all); err != nil {
		p := path()
		c.add(Problem{Node: m, Err: field.TooLong(p, "", apimachineryvalidation.TotalAnnotationSizeLimitB),
			Short: shorten(short, p.String()), Fix: "keep the annotations under 256 KiB in total (" + err.Error() + "); large data belongs in a ConfigMap"})
	}
}

// shorten drops prefix from a field path ("spec.template.spec.containers[0].name" -> "containers[0].name").
func shorten(prefix, path string) string {
	if prefix == "" {
		return path
	}
	if s, ok := strings.CutPrefix(path, prefix+"."); ok {
		return s
	}
	return path
}

// suggestName lowercases a name and replaces what a DNS label cannot hold with '-'.
func suggestName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > 63 {
		out = strings.TrimRight(out[:63], "-")
	}
	if out == "" {
		return "my-name"
	}
	return out
}
