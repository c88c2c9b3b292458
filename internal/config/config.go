// Package config reads .k8slint.yaml. Every key is checked: an unknown key or
// a value of the wrong type is an error that names the file and line, never
// a setting that silently does nothing.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/bmatcuk/doublestar/v4"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/settings"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// Config is a loaded .k8slint.yaml.
type Config struct {
	// Path is the file; Dir its directory, which relative paths in it are relative to.
	Path, Dir string
	// Enable, when not empty, lists the only rules that run; Disable lists
	// rules that do not run.
	Enable, Disable []string
	// Severity overrides rules' severities.
	Severity map[string]diag.Severity
	// FailOn is the lowest severity that fails the run (0: not set).
	FailOn diag.Severity
	// Exclude are doublestar globs relative to Dir.
	Exclude []string
	// Nodes are node shapes, as --node-capacity gives them.
	Nodes []settings.NodeSpec
	// KubeVersion is "1.33" (empty: not set).
	KubeVersion string
	// Units are directory globs (doublestar, relative to Dir): each matching
	// directory is a deployment unit of its own.
	Units []string
	// BuildContexts maps a Dockerfile (absolute) to its build context directory (absolute).
	BuildContexts map[string]string
	// BuildContextGlobs are the build-contexts keys with wildcards
	// (`src/*/Dockerfile: .`), in file order: each Dockerfile that Glob
	// (doublestar, relative to Dir) matches builds with Dir as its context
	// (absolute).
	BuildContextGlobs []ContextGlob
	// Charts configures Helm charts by directory (absolute).
	Charts map[string]Chart
	// CRDs are files or directories (absolute, inside Dir) of
	// CustomResourceDefinition manifests installed from elsewhere: schemas
	// for the tree's custom resources, not linted themselves.
	CRDs []string
}

// ContextGlob is a build-contexts key with wildcards and its context.
type ContextGlob struct{ Glob, Dir string }

// Error is a problem in a configuration file, at a line.
type Error struct {
	File string // as shown to the user
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Errors are all the problems of a file.
type Errors []*Error

func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Load reads the configuration file at path (absolute). display is the name
// errors use (the path relative to the working directory); known tells
// whether a rule ID exists.
func Load(path, display string, known func(id string) bool) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Errors{{File: display, Msg: err.Error()}}
	}
	return Parse(path, display, data, known)
}

// Parse reads configuration text; see Load.
func Parse(path, display string, data []byte, known func(id string) bool) (*Config, error) {
	p := &parser{file: display, known: known, cfg: &Config{Path: path, Dir: filepath.Dir(path)}}
	docs := yamlx.ParseStream(yamlx.Normalize(data))
	var root *yamlx.Node
	for _, d := range docs {
		if d.Err != nil {
			p.errf(d.Err.Line, "%s", d.Err.Msg)
			continue
		}
		for _, dup := range d.Duplicates {
			p.errf(int(dup.Key.Line), "key %q is already set at line %d", dup.Key.Value(), dup.First.Line)
		}
		if d.Root == nil || d.Root.IsNull() {
			continue
		}
		if root != nil {
			p.errf(d.Line, "more than one YAML document; the configuration is one mapping")
			continue
		}
		root = d.Root
	}
	if root != nil {
		p.top(root)
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return p.cfg, nil
}

type parser struct {
	file  string
	known func(string) bool
	cfg   *Config
	errs  Errors
}

func (p *parser) errf(line int, format string, a ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, a...)})
}

// Keys are the top-level keys of .k8slint.yaml.
var Keys = []string{"rules", "fail-on", "exclude", "nodes", "kube-version", "build-contexts", "units", "charts", "crds"}

var ruleKeys = []string{"enable", "disable", "severity"}

// mapping checks that n is a mapping (or null) and calls f for each key
// known in keys; unknown keys are errors.
func (p *parser) mapping(n *yamlx.Node, what string, keys []string, f func(key string, k, v *yamlx.Node)) {
	if n.IsNull() {
		return
	}
	if n.Kind() != yamlx.Mapping {
		p.errf(int(n.Line), "%s must be a mapping, not %s", what, describe(n))
		return
	}
	n.Pairs(func(k, v *yamlx.Node) {
		if k.Kind() != yamlx.Scalar || !slices.Contains(keys, k.Value()) {
			msg := fmt.Sprintf("unknown key %q", k.Value())
			if s := suggest(k.Value(), keys); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += fmt.Sprintf(" (%s keys: %s)", what, strings.Join(keys, ", "))
			}
			p.errs = append(p.errs, &Error{File: p.file, Line: int(k.Line), Msg: msg})
			return
		}
		f(k.Value(), k, v)
	})
}

func (p *parser) top(root *yamlx.Node) {
	p.mapping(root, "the configuration", Keys, func(key string, k, v *yamlx.Node) {
		if v.IsNull() {
			return // an empty value leaves the default
		}
		switch key {
		case "rules":
			p.rules(v)
		case "fail-on":
			if s, ok := p.str(v, "fail-on"); ok {
				sev, err := diag.ParseThreshold(s)
				if err != nil {
					p.errf(int(v.Line), "fail-on: %v", err)
				}
				p.cfg.FailOn = sev
			}
		case "exclude":
			for _, it := range p.list(v, "exclude") {
				if g, ok := p.str(it, "exclude item"); ok {
					if !doublestar.ValidatePattern(g) {
						p.errf(int(it.Line), "exclude: invalid glob %q", g)
						continue
					}
					p.cfg.Exclude = append(p.cfg.Exclude, g)
				}
			}
		case "nodes":
			for _, it := range p.list(v, "nodes") {
				p.node(it)
			}
		case "kube-version":
			if s, ok := p.str(v, "kube-version"); ok && s != "" {
				kv, err := settings.ParseKubeVersion(s)
				if err != nil {
					p.errf(int(v.Line), "kube-version: %q is not a Kubernetes version (want 1.MINOR, like \"1.33\")", s)
					break
				}
				p.cfg.KubeVersion = kv.String()
			}
		case "build-contexts":
			p.buildContexts(v)
		case "crds":
			for _, it := range p.list(v, "crds") {
				if rel, ok := p.str(it, "crds item"); ok {
					p.crd(it, rel)
				}
			}
		case "units":
			for _, it := range p.list(v, "units") {
				if g, ok := p.str(it, "units item"); ok {
					g = strings.TrimSuffix(strings.TrimPrefix(g, "./"), "/")
					switch {
					case g == "" || g == ".":
						p.errf(int(it.Line), "units: %q names the whole tree, which is a unit already; give directories below it, like \"extras/*\"", it.Value())
					case strings.HasPrefix(g, "/") || strings.HasPrefix(g, "../") || g == "..":
						p.errf(int(it.Line), "units: %q is not below this file's directory (globs are relative to %s)", it.Value(), p.file)
					case !doublestar.ValidatePattern(g):
						p.errf(int(it.Line), "units: invalid glob %q", it.Value())
					default:
						p.cfg.Units = append(p.cfg.Units, g)
					}
				}
			}
		case "charts":
			p.charts(v)
		}
	})
}

func (p *parser) rules(n *yamlx.Node) {
	p.mapping(n, "rules", ruleKeys, func(key string, k, v *yamlx.Node) {
		switch key {
		case "enable", "disable":
			for _, it := range p.list(v, "rules."+key) {
				if id, ok := p.ruleID(it, "rules."+key); ok {
					if key == "enable" {
						p.cfg.Enable = append(p.cfg.Enable, id)
					} else {
						p.cfg.Disable = append(p.cfg.Disable, id)
					}
				}
			}
		case "severity":
			if v.IsNull() {
				return
			}
			if v.Kind() != yamlx.Mapping {
				p.errf(int(v.Line), "rules.severity must be a mapping of rule ID to error, warning or info, not %s", describe(v))
				return
			}
			v.Pairs(func(rk, rv *yamlx.Node) {
				id, ok := p.ruleID(rk, "rules.severity")
				if !ok {
					return
				}
				s, ok := p.str(rv, "rules.severity."+id)
				if !ok {
					return
				}
				sev, err := diag.ParseSeverity(s)
				if err != nil {
					p.errf(int(rv.Line), "rules.severity.%s: %v", id, err)
					return
				}
				if p.cfg.Severity == nil {
					p.cfg.Severity = map[string]diag.Severity{}
				}
				p.cfg.Severity[id] = sev
			})
		}
	})
}

func (p *parser) ruleID(n *yamlx.Node, what string) (string, bool) {
	id, ok := p.str(n, what)
	if !ok {
		return "", false
	}
	if p.known != nil && !p.known(id) {
		p.errf(int(n.Line), "%s: unknown rule %q (k8slint rules lists them)", what, id)
		return "", false
	}
	return id, true
}

func (p *parser) node(n *yamlx.Node) {
	if n.Kind() != yamlx.Mapping {
		p.errf(int(n.Line), "nodes: each item must be a mapping like {cpu: \"2\", memory: 4Gi, count: 3}, not %s", describe(n))
		return
	}
	spec := settings.NewNodeSpec(fmt.Sprintf("%s:%d", p.file, n.Line))
	n.Pairs(func(k, v *yamlx.Node) {
		name := k.Value()
		if name == "count" {
			c, ok := v.Int()
			if !ok || c < 1 {
				p.errf(int(v.Line), "nodes: count must be a positive integer, not %s", describe(v))
				return
			}
			if err := settings.CheckCount(c); err != nil {
				p.errf(int(v.Line), "nodes: %v", err)
				return
			}
			spec.Count = int(c)
			return
		}
		if err := settings.CheckResourceName(name); err != nil {
			msg := fmt.Sprintf("nodes: unknown key %q (want cpu, memory, pods, ephemeral-storage, hugepages-<size>, an extended resource like nvidia.com/gpu, or count)", name)
			if s := suggest(name, append(settings.ResourceNames[:len(settings.ResourceNames):len(settings.ResourceNames)], "count")); s != "" {
				msg = fmt.Sprintf("nodes: unknown key %q (did you mean %q?)", name, s)
			}
			p.errs = append(p.errs, &Error{File: p.file, Line: int(k.Line), Msg: msg})
			return
		}
		q, ok := p.str(v, "nodes."+name)
		if !ok {
			return
		}
		if _, err := settings.ParseQuantity(q); err != nil {
			p.errf(int(v.Line), "nodes.%s: %q is not a Kubernetes quantity (like 2, 500m, 4Gi)", name, q)
			return
		}
		if err := spec.SetResource(name, q); err != nil {
			p.errf(int(v.Line), "nodes.%s: %v", name, err)
		}
	})
	if len(spec.Resources) == 0 {
		p.errf(int(n.Line), "nodes: an item gives no resource (cpu, memory, ...)")
		return
	}
	p.cfg.Nodes = append(p.cfg.Nodes, spec)
}

func (p *parser) buildContexts(n *yamlx.Node) {
	if n.IsNull() {
		return
	}
	if n.Kind() != yamlx.Mapping {
		p.errf(int(n.Line), "build-contexts must be a mapping of Dockerfile path to context directory, not %s", describe(n))
		return
	}
	n.Pairs(func(k, v *yamlx.Node) {
		df, ok1 := p.str(k, "build-contexts key")
		dir, ok2 := p.str(v, "build-contexts."+k.Value())
		if !ok1 || !ok2 {
			return
		}
		dfAbs, dirAbs := p.abs(df), p.abs(dir)
		if glob := filepath.ToSlash(strings.TrimPrefix(df, "./")); strings.ContainsAny(glob, "*?[{") {
			if !doublestar.ValidatePattern(glob) || filepath.IsAbs(df) {
				p.errf(int(k.Line), "build-contexts: %q is not a valid glob relative to %s", df, p.file)
				return
			}
			if st, err := os.Stat(dirAbs); err != nil || !st.IsDir() {
				p.errf(int(v.Line), "build-contexts: context directory %q does not exist (paths are relative to %s)", dir, p.file)
				return
			}
			p.cfg.BuildContextGlobs = append(p.cfg.BuildContextGlobs, ContextGlob{Glob: glob, Dir: dirAbs})
			return
		}
		if st, err := os.Stat(dfAbs); err != nil || st.IsDir() {
			p.errf(int(k.Line), "build-contexts: Dockerfile %q does not exist (paths are relative to %s)", df, p.file)
			return
		}
		if st, err := os.Stat(dirAbs); err != nil || !st.IsDir() {
			p.errf(int(v.Line), "build-contexts: context directory %q does not exist (paths are relative to %s)", dir, p.file)
			return
		}
		if p.cfg.BuildContexts == nil {
			p.cfg.BuildContexts = map[string]string{}
		}
		p.cfg.BuildContexts[dfAbs] = dirAbs
	})
}

// crd checks one crds: item: a file or directory below the file's directory.
func (p *parser) crd(n *yamlx.Node, rel string) {
	clean := filepath.ToSlash(filepath.Clean(filepath.FromSlash(rel)))
	if rel == "" || filepath.IsAbs(rel) || clean == ".." || strings.HasPrefix(clean, "../") {
		p.errf(int(n.Line), "crds: %q is not below this file's directory (paths are relative to %s)", n.Value(), p.file)
		return
	}
	abs := p.abs(rel)
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		p.errf(int(n.Line), "crds: %q does not exist (paths are relative to %s)", n.Value(), p.file)
		return
	}
	if dir, err := filepath.EvalSymlinks(p.cfg.Dir); err == nil && real != dir && !strings.HasPrefix(real, dir+string(filepath.Separator)) {
		p.errf(int(n.Line), "crds: %q leads out of this file's directory through a link", n.Value())
		return
	}
	p.cfg.CRDs = append(p.cfg.CRDs, abs)
}

func (p *parser) abs(rel string) string {
	if filepath.IsAbs(rel) {
		return filepath.Clean(rel)
	}
	return filepath.Join(p.cfg.Dir, filepath.FromSlash(rel))
}

// str returns a scalar's text (numbers and booleans as written).
func (p *parser) str(n *yamlx.Node, what string) (string, bool) {
	if n == nil {
		return "", false
	}
	if n.Kind() != yamlx.Scalar || n.IsNull() {
		p.errf(int(n.Line), "%s must be a string, not %s", what, describe(n))
		return "", false
	}
	return strings.TrimSpace(n.Value()), true
}

// list returns a sequence's items; null is an empty list.
func (p *parser) list(n *yamlx.Node, what string) []*yamlx.Node {
	if n.IsNull() {
		return nil
	}
	if n.Kind() != yamlx.Sequence {
		p.errf(int(n.Line), "%s must be a list, not %s", what, describe(n))
		return nil
	}
	items := make([]*yamlx.Node, 0, n.NumItems())
	for _, it := range n.Items() {
		items = append(items, it)
	}
	return items
}

func describe(n *yamlx.Node) string {
	switch {
	case n == nil || n.IsNull():
		return "empty"
	case n.Kind() == yamlx.Mapping:
		return "a mapping"
	case n.Kind() == yamlx.Sequence:
		return "a list"
	}
	return diag.Quote(n.Value()) // an excerpt: the file may be anything
}

// suggest returns the candidate closest to s when it is a likely typo.
func suggest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := Distance(strings.ToLower(s), c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Distance is the Levenshtein distance between two strings (in runes),
// computed by the library under BuildKit's util/suggest (the Dockerfile
// loader's did-you-mean), so that every suggestion counts edits one way.
func Distance(a, b string) int { return levenshtein.Distance(a, b, nil) }
