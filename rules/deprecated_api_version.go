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
		head, detail, fix := deprecatedAPIMessage(o, a, target, removed)
		f := diag.Finding{
			Location: workspace.NodeLocation(o.File, o.Root.Get("apiVersion")),
			Message:  head, Detail: detail, Fix: fix,
		}
		if !removed {
			f.Severity = diag.Warning
		}
		report(f)
	}
}

// deprecatedAPIMessage is the headline, the detail (why, and the notes on
// the replacement) and the fix.
func deprecatedAPIMessage(o *workspace.Object, a *apiversions.API, target settings.KubeVersion, removed bool) (head, detail, fix string) {
	what := fmt.Sprintf("%s %s", o.APIVersion, o.Kind)
	if removed {
		head = fmt.Sprintf("%s was removed in Kubernetes %s", clip(what, 80), a.Removed)
		detail = fmt.Sprintf("it was deprecated since %s, and the target is %s (--kube-version): kubectl apply fails with `no matches for kind %q in version %q`",
			a.Deprecated, target, o.Kind, o.APIVersion)
	} else {
		head = fmt.Sprintf("%s is deprecated since Kubernetes %s", clip(what, 80), a.Deprecated)
		if a.HasRemoved {
			detail = fmt.Sprintf("it is removed in %s (target %s, --kube-version): ", a.Removed, target)
		} else {
			detail = fmt.Sprintf("target %s (--kube-version): ", target)
		}
		detail += "the API server warns on every request and a later upgrade breaks the manifest"
	}
	if a.Replacement == "" {
		return head, detail, a.Instead
	}
	var b strings.Builder
	fmt.Fprintf(&b, "use apiVersion: %s", a.Replacement)
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
		detail += "; note that " + strings.Join(also, "; ")
	}
	return head, detail, b.String()
}
