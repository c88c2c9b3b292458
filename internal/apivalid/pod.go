package apivalid

import (
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// pod is a pod spec being checked.
type pod struct {
	spec  *yamlx.Node
	path  *field.Path // of the pod spec, from the object
	short string      // path.String(): dropped from headlines
	// volumes are the names a volumeMount may use.
	volumes map[string]bool
}

// Paths that many objects start from, built once: a Path is never
// modified (Child and Index make new ones), and building these for each
// object was 2 MB of garbage a 10k run.
var (
	specPath         = field.NewPath("spec")
	specStrategyPath = specPath.Child("strategy")
)

// fieldPath builds a field path from keys.
func fieldPath(keys ...string) *field.Path {
	p := field.NewPath(keys[0])
	for _, k := range keys[1:] {
		p = p.Child(k)
	}
	return p
}

// podTemplate checks the pod template of a workload, or a Pod's spec.
func (c *checker) podTemplate() {
	pk := c.kind.pod
	root := c.o.Root
	if len(pk.template) > 0 {
		meta := root.Path(pk.template...).Get("metadata")
		// ValidatePodTemplateSpec names them template.labels.
		c.labels(meta.Get("labels"), func() *field.Path { return pk.tmplPath.Child("labels") }, "")
		c.annotations(meta.Get("annotations"), func() *field.Path { return pk.tmplPath.Child("annotations") }, "")
	}
	spec := root.Path(pk.spec...)
	if spec == nil || spec.Kind() != yamlx.Mapping {
		return
	}
	p := &pod{spec: spec, path: pk.specPath, short: pk.short}
	c.restartPolicy(p)
	c.enumKey(spec, "dnsPolicy", p.path, p.short, []string{"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"})
	c.labels(spec.Get("nodeSelector"), func() *field.Path { return p.path.Child("nodeSelector") }, p.short)
	if n := spec.Get("serviceAccountName"); n != nil {
		if name, ok := str(n); ok && name != "" && !IsPlaceholder(name) {
			for _, msg := range c.memo.check(fnDNSSubdomain, name) {
				c.add(Problem{Node: n, Err: field.Invalid(p.path.Child("serviceAccountName"), name, msg), Short: p.short + ".serviceAccountName",
					Fix: "name a ServiceAccount: " + subdomain})
			}
		}
	}
	c.volumes(p)
	c.containers(p)
	c.podSpec(p)
}

// restartPolicy checks the pod's restartPolicy, then what the kind accepts.
func (c *checker) restartPolicy(p *pod) {
	n := p.spec.Get("restartPolicy")
	v, ok := str(n)
	if !ok || v == "" {
		return // defaulted to Always; a Job without one is missing-required-field
	}
	fp := p.path.Child("restartPolicy")
	all := []string{"Always", "OnFailure", "Never"}
	if !has(all, v) {
		c.enum(n, fp, p.short, all)
		return
	}
	allowed := c.kind.pod.restart
	if allowed == nil || has(allowed, v) {
		return
	}
	var err *field.Error
	if c.o.Kind == "Job" || c.o.Kind == "CronJob" {
		// batch validation: Always (or empty) is "Required" with the valid values.
		err = field.Required(fp, fmt.Sprintf("valid values: %q, %q", "OnFailure", "Never"))
	} else {
		err = field.NotSupported(fp, v, allowed)
	}
	fix := fmt.Sprintf("a %s's pods must restart: write restartPolicy: Always, or remove the line (Always is the default)", c.o.Kind)
	if c.o.Kind == "Job" || c.o.Kind == "CronJob" {
		fix = fmt.Sprintf("a %s's pods run to completion: write restartPolicy: OnFailure (retry in the same pod) or Never (a new pod per retry)", c.o.Kind)
	}
	c.add(Problem{Node: n, Err: err, Headline: fmt.Sprintf("restartPolicy %q is not supported in a %s (supported: %s)", v, c.o.Kind, quoteAll(allowed)), Fix: fix})
}

// enumKey is enum for the field key of mapping m (path parent.key), the
// path built only for a value to report.
func (c *checker) enumKey(m *yamlx.Node, key string, parent *field.Path, short string, values []string) {
	n := m.Get(key)
	if v, ok := str(n); !ok || v == "" || has(values, v) {
		return
	}
	c.enum(n, parent.Child(key), short, values)
}

// enum checks a string field against the supported values (empty and
// absent are defaulted, numbers are wrong-field-type).
func (c *checker) enum(n *yamlx.Node, fp *field.Path, short string, values []string) {
	v, ok := str(n)
	if !ok || v == "" || has(values, v) || IsTemplated(v) {
		return
	}
	c.add(Problem{Node: n, Err: field.NotSupported(fp, v, values), Short: shorten(short, fp.String()), Fix: enumFix(v, values)})
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func quoteAll(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// volumes checks volume names (RFC 1123 labels, unique) and records them.
func (c *checker) volumes(p *pod) {
	count := p.spec.Get("volumes").NumItems()
	if c.o.Kind == "StatefulSet" {
		count += c.o.Root.Path("spec", "volumeClaimTemplates").NumItems()
	}
	p.volumes = nil // read as empty: a pod without volumes allocates no map
	if count > 0 {
		p.volumes = make(map[string]bool, count)
	}
	for i, v := range p.spec.Get("volumes").Items() {
		n := v.Get("name")
		name, ok := str(n)
		if !ok || name == "" {
			if n != nil && !ok {
				p.volumes[n.Value()] = true
			}
			continue
		}
		if IsPlaceholder(name) {
			p.volumes[name] = true
			continue
		}
		msgs := c.memo.check(fnDNSLabel, name)
		if len(msgs) == 0 && !p.volumes[name] {
			p.volumes[name] = true
			continue
		}
		ip := p.path.Child("volumes").Index(i).Child("name")
		for _, msg := range msgs {
			c.add(Problem{Node: n, Err: field.Invalid(ip, name, msg), Short: shorten(p.short, ip.String()), Fix: "name the volume " + label})
		}
		if p.volumes[name] {
			c.add(Problem{Node: n, Err: field.Duplicate(ip, name), Short: shorten(p.short, ip.String()), Fix: "give each volume its own name"})
		}
		p.volumes[name] = true
	}
	if c.o.Kind == "StatefulSet" {
		for _, t := range c.o.Root.Path("spec", "volumeClaimTemplates").Items() {
			p.volumes[t.Path("metadata", "name").Str()] = true
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
