package rules

import (
	"fmt"
	"strings"

	"github.com/k8slint/k8slint/internal/apiversions"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/settings"
	"github.com/k8slint/k8slint/internal/workspace"
)

// DefaultKubeVersion is the target Kubernetes version when --kube-version is
// not given: the newest release that k8s.io/api knows.
const DefaultKubeVersion = apiversions.DefaultKubeVersion

// DeprecatedAPIVersion reports apiVersion/kind pairs that the target
// Kubernetes version no longer serves, or serves with a deprecation warning.
var DeprecatedAPIVersion = register(&Rule{
	ID:       "deprecated-api-version",
	Summary:  "An apiVersion is removed (error) or deprecated (warning) in the target Kubernetes version",
	Severity: diag.Error,
	Check:    checkDeprecatedAPIVersion,
})

func checkDeprecatedAPIVersion(ws *workspace.Workspace, report Report) {
	vs := ws.Settings.KubeVersion
	if vs == "" {
		vs = DefaultKubeVersion
	}
	target, err := settings.ParseKubeVersion(vs)
	if err != nil {
		return // the CLI validates the flag
	}
	for _, o := range ws.Objects {
		a := apiversions.Lookup(o.APIVersion, o.Kind)
		if a == nil || target.Less(a.Deprecated) {
			continue
		}
		removed := a.HasRemoved && !target.Less(a.Removed)
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

func deprecatedAPIMessage(o *workspace.Object, a *apiversions.API, target settings.KubeVersion, removed bool) string {
	var b strings.Builder
	what := fmt.Sprintf("%s %s", o.APIVersion, o.Kind)
	if removed {
		fmt.Fprintf(&b, "%s was removed in Kubernetes %s (deprecated since %s) and the target is %s (--kube-version): kubectl apply fails with `no matches for kind %q in version %q`",
			what, a.Removed, a.Deprecated, target, o.Kind, o.APIVersion)
	} else {
		fmt.Fprintf(&b, "%s is deprecated since Kubernetes %s", what, a.Deprecated)
		if a.HasRemoved {
			fmt.Fprintf(&b, " and is removed in %s", a.Removed)
		}
		fmt.Fprintf(&b, " (target %s, --kube-version): the API server warns on every request and a later upgrade breaks the manifest", target)
	}
	if a.Replacement == "" {
		fmt.Fprintf(&b, "; %s", a.Instead)
		return b.String()
	}
	fmt.Fprintf(&b, "; use apiVersion: %s", a.Replacement)
	if a.HasAvailable {
		if target.Less(a.Available) {
			fmt.Fprintf(&b, " (available from %s)", a.Available)
		} else {
			fmt.Fprintf(&b, " (available since %s)", a.Available)
		}
	}
	var must, also []string
	for _, c := range a.Changes {
		if !c.Applies(o) {
			continue
		}
		text := c.Text
		if c.Missing == "spec.selector" {
			if hint := apiversions.SelectorHint(o); hint != "" {
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
