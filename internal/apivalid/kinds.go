package apivalid

import (
	"strings"

	"k8s.io/apimachinery/pkg/api/validate/content"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slint/k8slint/internal/workspace"
)

// nameFunc is the API server's check of metadata.name (prefix is false).
type nameFunc func(name string, prefix bool) []string

// kindInfo is what the API server's validation of a built-in kind needs.
type kindInfo struct {
	// versions are the apiVersions that serve the kind.
	versions []string
	name     nameFunc
	// nameHint says what the name must be, for the fix.
	nameHint string
	// cluster is set for cluster-scoped kinds (kubectl drops their namespace).
	cluster bool
	// pod is set for kinds with a pod template.
	pod *podKind
	// check runs the kind's own checks.
	check func(*checker)
}

// podKind says where a kind's pod template is and which restartPolicy it takes.
type podKind struct {
	// template is the path of the template (metadata + spec); nil for a Pod.
	template []string
	// restart are the restartPolicy values the kind accepts (nil: any).
	restart []string
	// The field paths of the template, of the pod spec (and as a string),
	// built once (field paths are immutable).
	tmplPath, specPath *field.Path
	spec               []string
	short              string
}

func init() {
	for _, k := range kinds {
		if pk := k.pod; pk != nil {
			pk.spec = append(append([]string(nil), pk.template...), "spec")
			pk.specPath = fieldPath(pk.spec...)
			pk.short = pk.specPath.String()
			if len(pk.template) > 0 {
				pk.tmplPath = fieldPath(pk.template...)
			}
		}
	}
}

const (
	subdomain = "a lowercase RFC 1123 subdomain: at most 253 characters of a-z, 0-9, '-' and '.', starting and ending with a letter or digit"
	label     = "a lowercase RFC 1123 label: at most 63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit"
	segment   = "a name without '/' or '%' that is not '.' or '..'"
)

var (
	always  = []string{"Always"}
	jobOnly = []string{"OnFailure", "Never"}
)

// pathSegmentName is the generic registry's check (rest.BeforeCreate) for
// kinds whose validation adds none.
func pathSegmentName(name string, prefix bool) []string { return content.IsPathSegmentName(name) }

// kinds is taken from k8s.io/kubernetes pkg/apis/*/validation (v1.37): the
// name function each kind's ValidateObjectMeta uses. Service names are
// RFC 1123 labels since 1.37 (RelaxedServiceNameValidation is GA).
var kinds = map[string]*kindInfo{
	"Pod":                     {versions: []string{"v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain, pod: &podKind{}},
	"PodTemplate":             {versions: []string{"v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain, pod: &podKind{template: []string{"template"}}},
	"ReplicationController":   {versions: []string{"v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain, pod: &podKind{template: []string{"spec", "template"}, restart: always}, check: (*checker).replicationController},
	"Service":                 {versions: []string{"v1"}, name: apimachineryvalidation.NameIsDNSLabel, nameHint: label, check: (*checker).service},
	"Namespace":               {cluster: true, versions: []string{"v1"}, name: apimachineryvalidation.NameIsDNSLabel, nameHint: label},
	"ConfigMap":               {versions: []string{"v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain, check: (*checker).configMap},
	"Secret":                  {versions: []string{"v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain, check: (*checker).secret},
	"ServiceAccount":          {versions: []string{"v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain},
	"PersistentVolumeClaim":   {versions: []string{"v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain, check: (*checker).pvc},
	"PersistentVolume":        {cluster: true, versions: []string{"v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain},
	"Endpoints":               {versions: []string{"v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain},
	"LimitRange":              {versions: []string{"v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain},
	"ResourceQuota":           {versions: []string{"v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain},
	"Deployment":              {versions: []string{"apps/v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain, pod: &podKind{template: []string{"spec", "template"}, restart: always}, check: (*checker).deployment},
	"ReplicaSet":              {versions: []string{"apps/v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain, pod: &podKind{template: []string{"spec", "template"}, restart: always}, check: (*checker).replicaSet},
	"DaemonSet":               {versions: []string{"apps/v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain, pod: &podKind{template: []string{"spec", "template"}, restart: always}, check: (*checker).daemonSet},
	"StatefulSet":             {versions: []string{"apps/v1"}, name: apimachineryvalidation.NameIsDNSLabel, nameHint: label, pod: &podKind{template: []string{"spec", "template"}, restart: always}, check: (*checker).statefulSet},
	"Job":                     {versions: []string{"batch/v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain, pod: &podKind{template: []string{"spec", "template"}, restart: jobOnly}, check: (*checker).job},
	"CronJob":                 {versions: []string{"batch/v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain, pod: &podKind{template: []string{"spec", "jobTemplate", "spec", "template"}, restart: jobOnly}, check: (*checker).cronJob},
	"Ingress":                 {versions: []string{"networking.k8s.io/v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain, check: (*checker).ingress},
	"IngressClass":            {cluster: true, versions: []string{"networking.k8s.io/v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain},
	"NetworkPolicy":           {versions: []string{"networking.k8s.io/v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain, check: (*checker).networkPolicy},
	"PodDisruptionBudget":     {versions: []string{"policy/v1"}, name: pathSegmentName, nameHint: segment, check: (*checker).pdb},
	"HorizontalPodAutoscaler": {versions: []string{"autoscaling/v1", "autoscaling/v2"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain, check: (*checker).hpa},
	"Role":                    {versions: []string{"rbac.authorization.k8s.io/v1"}, name: pathSegmentName, nameHint: segment, check: (*checker).role},
	"RoleBinding":             {versions: []string{"rbac.authorization.k8s.io/v1"}, name: pathSegmentName, nameHint: segment, check: (*checker).roleBinding},
	"ClusterRole":             {cluster: true, versions: []string{"rbac.authorization.k8s.io/v1"}, name: pathSegmentName, nameHint: segment},
	"ClusterRoleBinding":      {cluster: true, versions: []string{"rbac.authorization.k8s.io/v1"}, name: pathSegmentName, nameHint: segment, check: (*checker).clusterRoleBinding},
	"StorageClass":            {cluster: true, versions: []string{"storage.k8s.io/v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain},
	"PriorityClass":           {cluster: true, versions: []string{"scheduling.k8s.io/v1"}, name: apimachineryvalidation.NameIsDNSSubdomain, nameHint: subdomain},
}

// kindOf returns what is known of a built-in object's kind, or nil for
// kinds of other groups (custom resources) and versions no release serves.
func kindOf(o *workspace.Object) *kindInfo {
	k := kinds[o.Kind]
	if k == nil {
		return nil
	}
	for _, v := range k.versions {
		if v == strings.TrimSpace(o.APIVersion) {
			return k
		}
	}
	return nil
}
