package apischema

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// KindProblem is an apiVersion or kind that no Kubernetes release serves
// in a built-in group (rule invalid-value).
type KindProblem struct {
	Object *workspace.Object
	// Field is "apiVersion" or "kind"; Node is its value.
	Field string
	Node  *yamlx.Node
	// Served lists what the group serves: its versions (for a bad
	// apiVersion) or the kinds of the apiVersion (for a bad kind).
	Served []string
	// Suggest is the likely meant value ("Deployment", "apps/v1"), or "".
	Suggest string
	// ServedBy is, for a kind that exists in another built-in group, the
	// apiVersion that serves it ("networking.k8s.io/v1").
	ServedBy string
}

// Groups whose kinds live outside k8s.io/api but are built in: their
// structure is not in the table, their kinds are.
var extraKinds = [][2]string{
	{"apiextensions.k8s.io/v1", "CustomResourceDefinition"},
	{"apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"},
	{"apiregistration.k8s.io/v1", "APIService"},
	{"apiregistration.k8s.io/v1beta1", "APIService"},
}

// Versions that Kubernetes releases served and that neither k8s.io/api nor
// the deprecated-API table holds (alpha versions, mostly): their kinds are
// not checked.
var historicalVersions = []string{
	"batch/v2alpha1", "settings.k8s.io/v1alpha1", "autoscaling/v2beta1", "autoscaling/v2beta2",
	"flowcontrol.apiserver.k8s.io/v1alpha1", "resource.k8s.io/v1alpha1", "resource.k8s.io/v1alpha2",
	"scheduling.k8s.io/v1alpha1", "networking.k8s.io/v1alpha1", "discovery.k8s.io/v1alpha1",
	"policy/v1alpha1", "coordination.k8s.io/v1alpha1", "storagemigration.k8s.io/v1alpha1",
	"admissionregistration.k8s.io/v1alpha1", "internal.apiserver.k8s.io/v1alpha1",
	"apps/v1alpha1", "extensions/v1alpha1", "rbac.authorization.k8s.io/v1alpha1",
}

// Kinds that past releases served in versions k8s.io/api still holds, and
// that the deprecated-API table leaves out.
var historicalKinds = [][2]string{
	{"extensions/v1beta1", "ThirdPartyResource"}, {"extensions/v1beta1", "PodSecurityPolicy"},
	{"extensions/v1beta1", "ReplicationControllerDummy"}, {"policy/v1beta1", "PodSecurityPolicy"},
	{"apps/v1beta1", "Scale"}, {"apps/v1beta2", "Scale"},
}

type kindIndex struct {
	groups   map[string][]string // group -> served versions ("apps/v1")
	kinds    map[string][]string // apiVersion -> object kinds (nil: unchecked)
	versions map[string]bool     // known apiVersions
	byKind   map[string][]string // kind -> apiVersions serving it, newest table order
	removed  map[[2]string]bool  // apiVersion/kind pairs that past releases served
}

var kindsIndex = sync.OnceValue(func() *kindIndex {
	ix := &kindIndex{groups: map[string][]string{}, kinds: map[string][]string{}, versions: map[string]bool{}, byKind: map[string][]string{}, removed: map[[2]string]bool{}}
	addVersion := func(av string) {
		if !ix.versions[av] {
			ix.versions[av] = true
			g := groupOf(av)
			ix.groups[g] = append(ix.groups[g], av)
		}
	}
	for i := range kindTable {
		k := &kindTable[i]
		addVersion(k.apiVersion)
		if k.typ == noType {
			// A kind a release served and k8s.io/api no longer holds (from
			// the deprecated-API table): known, never suggested.
			ix.removed[[2]string{k.apiVersion, k.kind}] = true
			continue
		}
		if k.object {
			ix.kinds[k.apiVersion] = append(ix.kinds[k.apiVersion], k.kind)
			ix.byKind[k.kind] = append(ix.byKind[k.kind], k.apiVersion)
		}
	}
	for _, e := range extraKinds {
		addVersion(e[0])
		ix.kinds[e[0]] = append(ix.kinds[e[0]], e[1])
		ix.byKind[e[1]] = append(ix.byKind[e[1]], e[0])
	}
	for _, av := range historicalVersions {
		addVersion(av)
	}
	for _, k := range historicalKinds {
		ix.removed[k] = true
	}
	for g := range ix.groups {
		sort.Strings(ix.groups[g])
	}
	return ix
})

func groupOf(apiVersion string) string {
	if i := strings.LastIndexByte(apiVersion, '/'); i >= 0 {
		return apiVersion[:i]
	}
	return ""
}

// IsBuiltinGroup reports whether a group is served by every Kubernetes API
// server (the core group is "").
func IsBuiltinGroup(group string) bool {
	_, ok := kindsIndex().groups[group]
	return ok
}

// CheckKinds returns the objects whose apiVersion or kind no Kubernetes
// release serves in a built-in group: `apps/v1beta3`, `apps/v1` kind
// `Deploymnet`. Custom resources (other groups) are never reported; nor
// are removed versions (deprecated-api-version reports them).
func CheckKinds(ws *workspace.Workspace) []KindProblem { return Of(ws).Kinds }

func checkKinds(ws *workspace.Workspace) []KindProblem {
	ix := kindsIndex()
	var out []KindProblem
	for _, o := range ws.Objects {
		if !ws.Focused(o.File) {
			continue
		}
		g := groupOf(o.APIVersion)
		versions, builtin := ix.groups[g]
		if !builtin {
			continue
		}
		if !ix.versions[o.APIVersion] {
			if strings.Contains(o.Version(), "alpha") {
				continue // alpha versions come and go; not every one is listed
			}
			// The core group: only when the kind is a built-in one (a
			// `v2` of some tool is not Kubernetes').
			if g == "" && len(ix.byKind[o.Kind]) == 0 {
				continue
			}
			p := KindProblem{Object: o, Field: "apiVersion", Node: o.Root.Get("apiVersion"), Served: versions}
			var same []string
			for _, av := range ix.byKind[o.Kind] {
				if groupOf(av) == g {
					same = append(same, av)
				}
			}
			if len(same) > 0 {
				p.Suggest = preferredVersion(same)
			}
			out = append(out, p)
			continue
		}
		kinds, checked := ix.kinds[o.APIVersion]
		// Alpha versions gain and lose kinds from release to release: their
		// kinds are not judged.
		if !checked || contains(kinds, o.Kind) || ix.removed[[2]string{o.APIVersion, o.Kind}] || strings.Contains(o.Version(), "alpha") {
			continue
		}
		p := KindProblem{Object: o, Field: "kind", Node: o.Root.Get("kind"), Served: kinds}
		p.Suggest = Nearest(o.Kind, kinds)
		if p.Suggest == "" {
			if avs := ix.byKind[o.Kind]; len(avs) > 0 {
				p.ServedBy = preferredVersion(avs)
			}
		}
		// The core group holds no custom resources: an unknown kind is
		// refused ("no matches for kind"), except the kinds legacy
		// OpenShift served in v1 itself.
		if g == "" && p.Suggest == "" && p.ServedBy == "" && openShiftLegacy[o.Kind] {
			continue
		}
		out = append(out, p)
	}
	return out
}

// openShiftLegacy are the kinds OpenShift 3 served in the core group's v1
// (its legacy /oapi/v1 API, which `oc` still maps): written as
// `apiVersion: v1`, they are not Kubernetes' mistake to report.
var openShiftLegacy = map[string]bool{
	"AppliedClusterResourceQuota": true, "BrokerTemplateInstance": true, "Build": true, "BuildConfig": true,
	"ClusterNetwork": true, "ClusterPolicy": true, "ClusterPolicyBinding": true, "ClusterResourceQuota": true,
	"DeploymentConfig": true, "EgressNetworkPolicy": true, "Group": true, "HostSubnet": true, "Identity": true,
	"Image": true, "ImageSignature": true, "ImageStream": true, "ImageStreamImage": true, "ImageStreamImport": true,
	"ImageStreamMapping": true, "ImageStreamTag": true, "NetNamespace": true, "OAuthAccessToken": true,
	"OAuthAuthorizeToken": true, "OAuthClient": true, "OAuthClientAuthorization": true, "Policy": true,
	"PolicyBinding": true, "Project": true, "ProjectRequest": true, "RoleBindingRestriction": true, "Route": true,
	"SecurityContextConstraints": true, "Template": true, "TemplateInstance": true, "User": true, "UserIdentityMapping": true,
}

// preferredVersion picks a GA version when there is one.
func preferredVersion(avs []string) string {
	best := avs[len(avs)-1]
	for _, av := range avs {
		v := av[strings.LastIndexByte(av, '/')+1:]
		if !strings.Contains(v, "alpha") && !strings.Contains(v, "beta") {
			best = av
		}
	}
	return best
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// missingTypeMeta finds the documents of manifest files that have an
// apiVersion and no kind, or the reverse (rule missing-required-field).
func missingTypeMeta(ws *workspace.Workspace) []Problem {
	var out []Problem
	for _, mf := range ws.Manifests {
		if !ws.Focused(mf.Path) || ws.IsKustomizePatch(mf.Path) || workspace.IsKustomizationFile(mf.Path) {
			continue
		}
		for i, d := range mf.Docs {
			r := d.Root
			if r == nil || r.Kind() != yamlx.Mapping {
				continue
			}
			var av, kind *yamlx.Node
			for j := 0; j+1 < r.Len(); j += 2 {
				switch r.At(j).Value() {
				case "apiVersion":
					av = r.At(j + 1)
				case "kind":
					kind = r.At(j + 1)
				}
			}
			if set(av) == set(kind) {
				continue
			}
			if workspace.IsClientSide(av.Str(), kind.Str()) {
				continue
			}
			field, at := "kind", r.KeyNode("apiVersion")
			if !set(av) {
				field, at = "apiVersion", r.KeyNode("kind")
			}
			if k := r.KeyNode(field); k != nil {
				at = k // written empty: `kind: ""`
			}
			p := Problem{Kind: MissingField, Node: at, Path: field, Short: field, Field: field,
				Object: &workspace.Object{File: mf.Path, Doc: i, Root: r, APIVersion: av.Str(), Kind: kind.Str()}}
			r.Pairs(func(k, _ *yamlx.Node) {
				if p.Suggest == "" && k.Value() != "apiVersion" && k.Value() != "kind" && Nearest(k.Value(), []string{field}) != "" {
					p.Suggest, p.Node = k.Value(), k
				}
			})
			p.Reason = field + " not set"
			out = append(out, p)
		}
	}
	return out
}

// Finding words a KindProblem as the API server does, for the
// invalid-value rule: the headline, the detail with kubectl's message and
// the fix.
func (p KindProblem) Finding() diag.Finding {
	o := p.Object
	f := diag.Finding{Location: workspace.NodeLocation(o.File, p.Node)}
	if p.Field == "apiVersion" {
		f.Message = fmt.Sprintf("apiVersion %q is not served: group %s has no version %s", o.APIVersion, groupName(groupOf(o.APIVersion)), o.Version())
		f.Detail = fmt.Sprintf("no Kubernetes release serves it, so kubectl apply fails: resource mapping not found for name: %q namespace: %q from %q: no matches for kind %q in version %q; the group serves %s",
			o.Name, o.Namespace, filepath.Base(o.File), o.Kind, o.APIVersion, strings.Join(p.Served, ", "))
		if p.Suggest != "" {
			f.Fix = fmt.Sprintf("did you mean apiVersion: %s? (it serves %s)", p.Suggest, o.Kind)
		} else {
			f.Fix = "use one of the served versions"
		}
		return f
	}
	f.Message = fmt.Sprintf("kind %q is not served by %s", o.Kind, o.APIVersion)
	f.Detail = fmt.Sprintf("kubectl apply fails: resource mapping not found for name: %q namespace: %q from %q: no matches for kind %q in version %q",
		o.Name, o.Namespace, filepath.Base(o.File), o.Kind, o.APIVersion)
	switch {
	case p.Suggest != "":
		f.Fix = fmt.Sprintf("did you mean kind: %s?", p.Suggest)
	case p.ServedBy != "":
		f.Fix = fmt.Sprintf("%s is served by %s: write apiVersion: %s", o.Kind, p.ServedBy, p.ServedBy)
	default:
		f.Fix = fmt.Sprintf("%s serves %s", o.APIVersion, strings.Join(p.Served, ", "))
	}
	return f
}

func groupName(g string) string {
	if g == "" {
		return "core"
	}
	return g
}
