// Package apivalid decides offline which values of built-in Kubernetes
// objects the API server's validation rejects (enums, names, labels,
// quantities, selectors, ports, volume mounts, CronJob schedules, Secret
// data...). Every verdict uses the API server's own libraries
// (k8s.io/apimachinery validation, resource.ParseQuantity, robfig/cron as
// the CronJob code does) and its own wording (field.Error); the checks
// follow k8s.io/kubernetes pkg/apis/*/validation at the release matching
// k8s.io/apimachinery in go.mod. It reads the yamlx tree, so every problem
// has the node of the offending value.
package apivalid

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// Problem is one value that the API server rejects.
type Problem struct {
	Object *workspace.Object
	// Node is the offending value (or key, for a bad key).
	Node *yamlx.Node
	// Err is the API server's error, its field path relative to the object.
	Err *field.Error
	// Decode is set instead of a validation error when the API server's
	// decoder refuses the value before validation (a quantity that does not
	// parse, data that is not base64): the decoder's message.
	Decode string
	// Headline replaces the generated headline when set.
	Headline string
	// Short is the field path of the headline (relative to the pod spec for
	// pod fields).
	Short string
	// Items names the list items of the path (`containers[0]` is "web").
	Items []string
	// Fix says what to write.
	Fix string
	// Related are other locations involved (the selector of a template).
	Related []diag.Location
}

// Problems returns every problem of the workspace (one rule reads them, once).
func Problems(ws *workspace.Workspace) []Problem { return check(ws) }

// Findings returns the problems as findings of the rule invalid-value.
func Findings(ws *workspace.Workspace) []diag.Finding {
	ps := Problems(ws)
	out := make([]diag.Finding, 0, len(ps))
	for i := range ps {
		out = append(out, ps[i].Finding())
	}
	return out
}

func check(ws *workspace.Workspace) []Problem {
	// The checks of an object read that object alone, so the objects of
	// the focused files are checked in parallel chunks, each with its own
	// memo, their problems joined in object order.
	return workspace.PerObject(ws, func(objs []*workspace.Object) []Problem { return checkObjects(ws, objs) })
}

func checkObjects(ws *workspace.Workspace, objs []*workspace.Object) []Problem {
	var out []Problem
	m := &memo{}
	c := &checker{} // one for the chunk, reset for each object
	for _, o := range objs {
		k := kindOf(o)
		if k == nil || ws.IsKustomizePatch(o.File) || o.Root.Kind() != yamlx.Mapping {
			continue
		}
		*c = checker{ws: ws, o: o, kind: k, out: &out, memo: m}
		c.meta()
		if _, ok := nonnegative[o.Kind]; ok {
			c.nonnegativeFields()
		}
		if k.check != nil {
			k.check(c)
		}
		if k.pod != nil {
			c.podTemplate()
		}
	}
	return out
}

// checker holds the object being checked.
type checker struct {
	ws   *workspace.Workspace
	o    *workspace.Object
	kind *kindInfo
	out  *[]Problem
	seen map[*yamlx.Node]bool // nodes with a problem
	memo *memo
}

// add records a problem at node n.
func (c *checker) add(p Problem) {
	if p.Node == nil {
		return
	}
	if c.seen[p.Node] {
		return // one problem per value: the API server's first
	}
	if c.seen == nil {
		c.seen = map[*yamlx.Node]bool{}
	}
	c.seen[p.Node] = true
	p.Object = c.o
	*c.out = append(*c.out, p)
}

// invalid records err at n with a fix.
func (c *checker) invalid(n *yamlx.Node, err *field.Error, fix string) {
	c.add(Problem{Node: n, Err: err, Fix: fix})
}

// Finding turns the problem into a finding.
func (p *Problem) Finding() diag.Finding {
	o := p.Object
	var detail string
	path := ""
	if p.Err != nil {
		path = p.Err.Field
		name := " " + strconv.Quote(o.Name)
		if o.Name == "" {
			name = ""
		}
		detail = fmt.Sprintf("kubectl apply fails: The %s%s is invalid: %s", o.Kind, name, p.Err.Error())
	} else {
		detail = fmt.Sprintf("kubectl apply fails before validation: %s in version %q cannot be handled as a %s: %s", o.Kind, o.Version(), o.Kind, p.Decode)
	}
	if len(p.Items) > 0 {
		detail += " (" + strings.Join(p.Items, ", ") + ")"
	}
	if o.Path != "" {
		detail += "; the object is " + o.Path + " of its List"
	}
	short := p.Short
	if short == "" {
		short = path
	}
	return diag.Finding{
		Location: workspace.NodeLocation(o.File, p.Node),
		Message:  headline(short, p),
		Detail:   detail,
		Fix:      p.Fix,
		Related:  p.Related,
	}
}

const maxHeadline = 120

// headline is the API server's wording, shortened: `containers[0].imagePullPolicy: Unsupported value "always"`.
func headline(short string, p *Problem) string {
	var s string
	switch {
	case p.Headline != "":
		s = p.Headline
	case p.Err == nil:
		s = short // "...requests[memory]: \"1GB\" is not a quantity"
	default:
		e := p.Err
		switch e.Type {
		case field.ErrorTypeNotSupported, field.ErrorTypeDuplicate, field.ErrorTypeNotFound:
			s = fmt.Sprintf("%s: %s %s", short, e.Type, value(e.BadValue))
		case field.ErrorTypeInvalid:
			s = fmt.Sprintf("%s: %s %s: %s", short, e.Type, value(e.BadValue), e.Detail)
			if e.Detail == "" || len(s) > maxHeadline {
				s = fmt.Sprintf("%s: %s %s", short, e.Type, value(e.BadValue))
			}
		default:
			s = short + ": " + e.ErrorBody()
		}
	}
	if len(s) > maxHeadline {
		s = s[:maxHeadline-1] + "…"
	}
	return s
}

// value is a bad value as the API server prints it (field.Error's
// ErrorBody), long strings shortened.
func value(v any) string {
	switch t := v.(type) {
	case string:
		if len(t) > 40 {
			t = t[:37] + "..."
		}
		return fmt.Sprintf("%q", t)
	case int64, int32, float64, float32, bool:
		return fmt.Sprint(t)
	}
	if b, err := json.Marshal(v); err == nil {
		return string(b)
	}
	return fmt.Sprint(v)
}

// str returns a scalar's value when kubectl sends it as a JSON string
// (false for numbers, booleans, nulls and collections: those are another
// rule's business).
func str(n *yamlx.Node) (string, bool) {
	if n == nil || n.Kind() != yamlx.Scalar || yamlx.Resolve(n) != yamlx.TypeString {
		return "", false
	}
	return n.Value(), true
}

// itemName is `containers[0] is "web"` for a list item with a name.
func itemName(path string, item *yamlx.Node) []string {
	if name := item.Get("name").Str(); name != "" {
		return []string{fmt.Sprintf("%s is %q", path, name)}
	}
	return nil
}

// loc is the location of n in the object's file, for Related.
func (c *checker) loc(n *yamlx.Node, msg string) diag.Location {
	if n == nil {
		return diag.Location{}
	}
	l := workspace.NodeLocation(c.o.File, n)
	l.Message = msg
	return l
}
