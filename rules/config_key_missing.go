package rules

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/refs"
	"github.com/k8slint/k8slint/internal/workspace"
)

// ConfigKeyMissing reports a ConfigMap or Secret key that the object of the unit does not have.
var ConfigKeyMissing = register(&Rule{
	ID:       "config-key-missing",
	Summary:  "A pod reads a ConfigMap or Secret key that the object defined in the unit does not have",
	Severity: diag.Error,
	Check:    checkConfigKeyMissing,
})

func checkConfigKeyMissing(ws *workspace.Workspace, report Report) {
	for _, u := range refs.Of(ws).Units {
		for _, p := range u.Pods {
			for i := range p.Refs {
				r := &p.Refs[i]
				if r.Key == "" || r.Optional || r.KeyNode == nil || (r.Kind != "ConfigMap" && r.Kind != "Secret") {
					continue
				}
				stores := u.Stores(r.Kind, p.Namespace, r.Name)
				if len(stores) == 0 || hasKey(stores, r.Key) {
					continue
				}
				report(keyMissingFinding(p, r, stores))
			}
		}
	}
}

// hasKey reports whether a key is (or may be) in one of the stores.
func hasKey(stores []*refs.Store, key string) bool {
	for _, s := range stores {
		if !s.KeysKnown {
			return true
		}
		if _, ok := s.Keys[key]; ok {
			return true
		}
	}
	return false
}

func keyMissingFinding(p *refs.Pod, r *refs.Ref, stores []*refs.Store) diag.Finding {
	o := p.T.Object
	s := stores[0]
	ns := p.Namespace
	if ns == "" {
		ns = s.Namespace
	}
	// List the keys of the objects of the pod's own namespace when there
	// are some (a pod of unknown namespace may meet several).
	var exact []*refs.Store
	for _, st := range stores {
		if nsName(st.Namespace) == nsName(p.Namespace) {
			exact = append(exact, st)
		}
	}
	if len(exact) > 0 {
		stores, s = exact, exact[0]
	}
	var keys []string
	seen := map[string]bool{}
	for _, st := range stores {
		for _, k := range st.SortedKeys() {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	what := fmt.Sprintf("%s %q", r.Kind, r.Name)
	f := diag.Finding{
		Location: workspace.NodeLocation(o.File, r.KeyNode),
		Message:  fmt.Sprintf("key %q is not in %s", r.Key, what),
	}
	if r.Use == "env" {
		f.Detail = fmt.Sprintf("the kubelet cannot build the container's environment and the pod stays in CreateContainerConfigError "+
			"(couldn't find key %s in %s %s/%s)", r.Key, r.Kind, nsName(ns), r.Name)
	} else {
		noun := "config"
		if r.Kind == "Secret" {
			noun = "secret"
		}
		f.Detail = fmt.Sprintf("the kubelet cannot mount the volume and the pod stays in ContainerCreating "+
			"(MountVolume.SetUp failed: %s references non-existent %s key: %s)", strings.ToLower(r.Kind), noun, r.Key)
	}
	f.Detail += " (" + r.Path + ")"
	switch near := refs.Closest(r.Key, keys); {
	case near != "":
		f.Fix = fmt.Sprintf("did you mean %q? The %s has %s", near, r.Kind, keyList(keys))
	case len(keys) > 0:
		f.Fix = fmt.Sprintf("use a key the %s has (%s), add the key to it, or mark the reference optional: true", r.Kind, keyList(keys))
	default:
		f.Fix = fmt.Sprintf("the %s has no keys: add %q to it, or mark the reference optional: true", r.Kind, r.Key)
	}
	at := s.KeysNode
	if at == nil {
		at = s.Node
	}
	if at != nil {
		loc := workspace.NodeLocation(s.File, at)
		loc.Message = fmt.Sprintf("the keys of %s", what)
		if s.By != "" {
			loc.Message = fmt.Sprintf("%s, made by %s", what, s.By)
		}
		f.Related = append(f.Related, loc)
	}
	return f
}

func keyList(keys []string) string {
	const max = 8
	if len(keys) > max {
		return strings.Join(keys[:max], ", ") + fmt.Sprintf(" and %d more", len(keys)-max)
	}
	return strings.Join(keys, ", ")
}
