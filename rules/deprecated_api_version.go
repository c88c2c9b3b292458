package rules

import (
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// DefaultKubeVersion is the target Kubernetes version when --kube-version is
// not given: the newest release that k8s.io/api knows (v0.37.x is Kubernetes
// 1.37; TestDefaultKubeVersion checks it against go.mod).
const DefaultKubeVersion = "1.37"

// DeprecatedAPIVersion reports apiVersion/kind pairs that the target
// Kubernetes version no longer serves, or serves with a deprecation warning.
var DeprecatedAPIVersion = register(&Rule{
	ID:       "deprecated-api-version",
	Summary:  "An apiVersion is removed (error) or deprecated (warning) in the target Kubernetes version",
	Severity: diag.Error,
	Check:    checkDeprecatedAPIVersion,
})

//go:embed data/deprecated-apis.yaml
var deprecatedAPIsYAML []byte

type apiChange struct {
	Text     string   `yaml:"text"`
	Missing  string   `yaml:"missing"`
	Present  string   `yaml:"present"`
	Empty    string   `yaml:"empty"`
	Required bool     `yaml:"required"`
	From     []string `yaml:"from"`
}

type deprecatedAPI struct {
	APIVersion  string      `yaml:"apiVersion"`
	Kinds       []string    `yaml:"kinds"`
	Deprecated  string      `yaml:"deprecated"`
	Removed     string      `yaml:"removed"`
	Replacement string      `yaml:"replacement"`
	Available   string      `yaml:"available"`
	Instead     string      `yaml:"instead"`
	Changes     []apiChange `yaml:"changes"`

	deprecated, removed, available KubeVersion
}

type apiKey struct{ apiVersion, kind string }

// deprecatedAPIs parses the embedded table once, on first use (start-up stays cheap).
var deprecatedAPIs = sync.OnceValues(func() (map[apiKey]*deprecatedAPI, error) {
	return parseDeprecatedAPIs(deprecatedAPIsYAML)
})

func parseDeprecatedAPIs(data []byte) (map[apiKey]*deprecatedAPI, error) {
	var doc struct {
		APIs []*deprecatedAPI `yaml:"apis"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("deprecated-apis.yaml: %w", err)
	}
	out := map[apiKey]*deprecatedAPI{}
	for i, a := range doc.APIs {
		var err error
		if a.deprecated, err = ParseKubeVersion(a.Deprecated); err != nil {
			return nil, fmt.Errorf("deprecated-apis.yaml entry %d (%s): deprecated: %w", i, a.APIVersion, err)
		}
		if a.Removed != "" {
			if a.removed, err = ParseKubeVersion(a.Removed); err != nil {
				return nil, fmt.Errorf("deprecated-apis.yaml entry %d (%s): removed: %w", i, a.APIVersion, err)
			}
		}
		if a.Available != "" {
			if a.available, err = ParseKubeVersion(a.Available); err != nil {
				return nil, fmt.Errorf("deprecated-apis.yaml entry %d (%s): available: %w", i, a.APIVersion, err)
			}
		}
		if a.Replacement == "" && a.Instead == "" {
			return nil, fmt.Errorf("deprecated-apis.yaml entry %d (%s): no replacement and no instead", i, a.APIVersion)
		}
		for _, k := range a.Kinds {
			key := apiKey{a.APIVersion, k}
			if _, dup := out[key]; dup {
				return nil, fmt.Errorf("deprecated-apis.yaml: %s %s listed twice", a.APIVersion, k)
			}
			out[key] = a
		}
	}
	return out, nil
}

// KubeVersion is a Kubernetes minor release (1.16).
type KubeVersion struct{ Major, Minor int }

func (v KubeVersion) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// Less reports whether v is older than w.
func (v KubeVersion) Less(w KubeVersion) bool {
	return v.Major < w.Major || v.Major == w.Major && v.Minor < w.Minor
}

// ParseKubeVersion reads "1.16", "v1.16" or "1.16.3" (the patch is ignored).
func ParseKubeVersion(s string) (KubeVersion, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "v")
	parts := strings.Split(t, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return KubeVersion{}, fmt.Errorf("invalid Kubernetes version %q (want MAJOR.MINOR, like 1.33)", s)
	}
	var nums [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p == "" || p[0] == '+' {
			return KubeVersion{}, fmt.Errorf("invalid Kubernetes version %q (want MAJOR.MINOR, like 1.33)", s)
		}
		nums[i] = n
	}
	if nums[0] != 1 {
		return KubeVersion{}, fmt.Errorf("invalid Kubernetes version %q (only 1.x releases exist)", s)
	}
	return KubeVersion{nums[0], nums[1]}, nil
}

func checkDeprecatedAPIVersion(ws *workspace.Workspace, report Report) {
	table, err := deprecatedAPIs()
	if err != nil {
		panic(err) // the embedded table is checked by tests
	}
	vs := ws.Settings.KubeVersion
	if vs == "" {
		vs = DefaultKubeVersion
	}
	target, err := ParseKubeVersion(vs)
	if err != nil {
		return // the CLI validates the flag
	}
	for _, o := range ws.Objects {
		a := table[apiKey{o.APIVersion, o.Kind}]
		if a == nil || target.Less(a.deprecated) {
			continue
		}
		removed := a.Removed != "" && !target.Less(a.removed)
		f := diag.Finding{
			Location: workspace.NodeLocation(o.File, o.Root.Get("apiVersion")),
			Message:  deprecatedAPIMessage(o, a, target, removed),
		}
		if !removed {
			f.Severity = diag.Warning
		}
		report(f)
	}
}

func deprecatedAPIMessage(o *workspace.Object, a *deprecatedAPI, target KubeVersion, removed bool) string {
	var b strings.Builder
	what := fmt.Sprintf("%s %s", o.APIVersion, o.Kind)
	if removed {
		fmt.Fprintf(&b, "%s was removed in Kubernetes %s (deprecated since %s) and the target is %s (--kube-version): kubectl apply fails with `no matches for kind %q in version %q`",
			what, a.removed, a.deprecated, target, o.Kind, o.APIVersion)
	} else {
		fmt.Fprintf(&b, "%s is deprecated since Kubernetes %s", what, a.deprecated)
		if a.Removed != "" {
			fmt.Fprintf(&b, " and is removed in %s", a.removed)
		}
		fmt.Fprintf(&b, " (target %s, --kube-version): the API server warns on every request and a later upgrade breaks the manifest", target)
	}
	if a.Replacement == "" {
		fmt.Fprintf(&b, "; %s", a.Instead)
		return b.String()
	}
	fmt.Fprintf(&b, "; use apiVersion: %s", a.Replacement)
	if a.Available != "" {
		if target.Less(a.available) {
			fmt.Fprintf(&b, " (available from %s)", a.available)
		} else {
			fmt.Fprintf(&b, " (available since %s)", a.available)
		}
	}
	var must, also []string
	for _, c := range a.Changes {
		if !changeApplies(o, c) {
			continue
		}
		text := c.Text
		if c.Missing == "spec.selector" {
			if hint := selectorHint(o); hint != "" {
				text += " (" + hint + ")"
			}
		}
		if c.Required {
			must = append(must, text)
		} else {
			also = append(also, text)
		}
	}
	if len(must) > 0 {
		fmt.Fprintf(&b, ", and change what it requires: %s", strings.Join(must, "; "))
	}
	if len(also) > 0 {
		fmt.Fprintf(&b, "; note that %s", strings.Join(also, "; "))
	}
	return b.String()
}

// changeApplies evaluates a change's condition on the object.
func changeApplies(o *workspace.Object, c apiChange) bool {
	if len(c.From) > 0 {
		found := false
		for _, f := range c.From {
			found = found || f == o.APIVersion
		}
		if !found {
			return false
		}
	}
	switch {
	case c.Missing != "":
		return fieldMissing(o.Root, splitFieldPath(c.Missing))
	case c.Present != "":
		return fieldPresent(o.Root, splitFieldPath(c.Present))
	case c.Empty != "":
		n := o.Root.Path(splitFieldPath(c.Empty)...)
		return n != nil && n.Kind == yamlx.Mapping && len(n.Content) == 0
	}
	return true
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
		return !containsStar(path)
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

func containsStar(path []string) bool {
	for _, p := range path {
		if p == "[*]" {
			return true
		}
	}
	return false
}

// selectorHint suggests a selector built from the pod template's labels.
func selectorHint(o *workspace.Object) string {
	labels := o.Root.Path("spec", "template", "metadata", "labels")
	if labels == nil || labels.Kind != yamlx.Mapping || len(labels.Content) == 0 {
		return ""
	}
	var kv []string
	labels.Pairs(func(k, v *yamlx.Node) {
		if v.Kind == yamlx.Scalar {
			kv = append(kv, k.Value+": "+v.Value)
		}
	})
	if len(kv) == 0 {
		return ""
	}
	sort.Strings(kv)
	return "selector: {matchLabels: {" + strings.Join(kv, ", ") + "}}"
}
