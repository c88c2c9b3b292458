package oracle

import (
	"context"
	"fmt"
	"io"
	"net"
	"reflect"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilnet "k8s.io/apimachinery/pkg/util/net"
	"k8s.io/apiserver/pkg/registry/generic"
	genericregistry "k8s.io/apiserver/pkg/registry/generic/registry"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/apiserver/pkg/storage"
	"k8s.io/apiserver/pkg/storage/storagebackend"
	"k8s.io/apiserver/pkg/storage/storagebackend/factory"
	"k8s.io/client-go/tools/cache"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	api "k8s.io/kubernetes/pkg/apis/core"

	// The scheme: every group's types, defaults and conversions.
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/autoscaling/install"
	_ "k8s.io/kubernetes/pkg/apis/batch/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	_ "k8s.io/kubernetes/pkg/apis/extensions/install"
	_ "k8s.io/kubernetes/pkg/apis/networking/install"
	_ "k8s.io/kubernetes/pkg/apis/policy/install"
	_ "k8s.io/kubernetes/pkg/apis/rbac/install"
	_ "k8s.io/kubernetes/pkg/apis/scheduling/install"
	_ "k8s.io/kubernetes/pkg/apis/storage/install"

	"k8s.io/kubernetes/pkg/registry/apps/daemonset"
	"k8s.io/kubernetes/pkg/registry/apps/deployment"
	"k8s.io/kubernetes/pkg/registry/apps/replicaset"
	"k8s.io/kubernetes/pkg/registry/apps/statefulset"
	"k8s.io/kubernetes/pkg/registry/autoscaling/horizontalpodautoscaler"
	"k8s.io/kubernetes/pkg/registry/batch/cronjob"
	"k8s.io/kubernetes/pkg/registry/batch/job"
	"k8s.io/kubernetes/pkg/registry/core/configmap"
	"k8s.io/kubernetes/pkg/registry/core/limitrange"
	"k8s.io/kubernetes/pkg/registry/core/namespace"
	"k8s.io/kubernetes/pkg/registry/core/persistentvolume"
	"k8s.io/kubernetes/pkg/registry/core/persistentvolumeclaim"
	"k8s.io/kubernetes/pkg/registry/core/pod"
	"k8s.io/kubernetes/pkg/registry/core/podtemplate"
	"k8s.io/kubernetes/pkg/registry/core/replicationcontroller"
	"k8s.io/kubernetes/pkg/registry/core/resourcequota"
	"k8s.io/kubernetes/pkg/registry/core/secret"
	"k8s.io/kubernetes/pkg/registry/core/service/ipallocator"
	"k8s.io/kubernetes/pkg/registry/core/service/portallocator"
	servicestorage "k8s.io/kubernetes/pkg/registry/core/service/storage"
	"k8s.io/kubernetes/pkg/registry/core/serviceaccount"
	"k8s.io/kubernetes/pkg/registry/networking/ingress"
	"k8s.io/kubernetes/pkg/registry/networking/ingressclass"
	"k8s.io/kubernetes/pkg/registry/networking/networkpolicy"
	"k8s.io/kubernetes/pkg/registry/policy/poddisruptionbudget"
	"k8s.io/kubernetes/pkg/registry/rbac/clusterrole"
	"k8s.io/kubernetes/pkg/registry/rbac/clusterrolebinding"
	"k8s.io/kubernetes/pkg/registry/rbac/role"
	"k8s.io/kubernetes/pkg/registry/rbac/rolebinding"
	"k8s.io/kubernetes/pkg/registry/scheduling/priorityclass"
	"k8s.io/kubernetes/pkg/registry/storage/storageclass"
)

// A standard cluster's Service settings (kube-apiserver defaults:
// --service-cluster-ip-range as kubeadm sets it, --service-node-port-range).
const (
	serviceCIDR   = "10.96.0.0/12"
	nodePortRange = "30000-32767"
)

type kindInfo struct {
	resource   string
	namespaced bool
	creater    rest.Creater
	newCreater func() rest.Creater // when each document needs its own (Services)
}

// builtinGroups are the API groups of the kinds below, plus extensions (only
// removed versions): a document of another group is a custom resource.
var builtinGroups = map[string]bool{
	"": true, "apps": true, "batch": true, "autoscaling": true, "policy": true,
	"networking.k8s.io": true, "rbac.authorization.k8s.io": true,
	"scheduling.k8s.io": true, "storage.k8s.io": true, "extensions": true,
}

// createStrategy is what a generic Store needs of a registry strategy.
type createStrategy interface {
	rest.RESTCreateStrategy
	rest.RESTUpdateStrategy
	rest.RESTDeleteStrategy
}

// kinds maps each judged kind to the registry that creates it.
var kinds = map[schema.GroupKind]*kindInfo{}

func init() {
	add := func(group, kind, resource string, s createStrategy) {
		gk := schema.GroupKind{Group: group, Kind: kind}
		kinds[gk] = &kindInfo{resource: resource, namespaced: s.NamespaceScoped(), creater: newStore(gk, resource, s)}
	}
	add("", "Pod", "pods", pod.Strategy)
	add("", "ConfigMap", "configmaps", configmap.Strategy)
	add("", "Secret", "secrets", secret.Strategy)
	add("", "ServiceAccount", "serviceaccounts", serviceaccount.Strategy)
	add("", "PersistentVolumeClaim", "persistentvolumeclaims", persistentvolumeclaim.Strategy)
	add("", "PersistentVolume", "persistentvolumes", persistentvolume.Strategy)
	add("", "Namespace", "namespaces", namespace.Strategy)
	add("", "LimitRange", "limitranges", limitrange.Strategy)
	add("", "ResourceQuota", "resourcequotas", resourcequota.Strategy)
	add("", "PodTemplate", "podtemplates", podtemplate.Strategy)
	add("", "ReplicationController", "replicationcontrollers", replicationcontroller.Strategy)
	add("apps", "Deployment", "deployments", deployment.Strategy)
	add("apps", "StatefulSet", "statefulsets", statefulset.Strategy)
	add("apps", "DaemonSet", "daemonsets", daemonset.Strategy)
	add("apps", "ReplicaSet", "replicasets", replicaset.Strategy)
	add("batch", "Job", "jobs", job.Strategy)
	add("batch", "CronJob", "cronjobs", cronjob.Strategy)
	add("autoscaling", "HorizontalPodAutoscaler", "horizontalpodautoscalers", horizontalpodautoscaler.Strategy)
	add("policy", "PodDisruptionBudget", "poddisruptionbudgets", poddisruptionbudget.Strategy)
	add("networking.k8s.io", "Ingress", "ingresses", ingress.Strategy)
	add("networking.k8s.io", "IngressClass", "ingressclasses", ingressclass.Strategy)
	add("networking.k8s.io", "NetworkPolicy", "networkpolicies", networkpolicy.Strategy)
	add("rbac.authorization.k8s.io", "Role", "roles", role.Strategy)
	add("rbac.authorization.k8s.io", "ClusterRole", "clusterroles", clusterrole.Strategy)
	add("rbac.authorization.k8s.io", "RoleBinding", "rolebindings", rolebinding.Strategy)
	add("rbac.authorization.k8s.io", "ClusterRoleBinding", "clusterrolebindings", clusterrolebinding.Strategy)
	add("scheduling.k8s.io", "PriorityClass", "priorityclasses", priorityclass.Strategy)
	add("storage.k8s.io", "StorageClass", "storageclasses", storageclass.Strategy)

	// Services: the real REST storage, whose BeginCreate hook allocates the
	// ClusterIP(s) and node ports (and checks requested ones against the
	// ranges) before the strategy validates. Each document gets fresh
	// allocators, as if it were alone in the cluster.
	kinds[schema.GroupKind{Kind: "Service"}] = &kindInfo{resource: "services", namespaced: true, newCreater: newServiceREST}
}

func newServiceREST() rest.Creater {
	_, cidr, err := net.ParseCIDR(serviceCIDR)
	must(err)
	ips, err := ipallocator.NewInMemory(cidr)
	must(err)
	pr, err := utilnet.ParsePortRange(nodePortRange)
	must(err)
	ports, err := portallocator.NewInMemory(*pr)
	must(err)
	svc, _, _, err := servicestorage.NewREST(restOptions{}, api.IPv4Protocol,
		map[api.IPFamily]ipallocator.Interface{api.IPv4Protocol: ips}, ports, nil, nil, nil)
	must(err)
	return svc
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// newStore is the generic registry Store every built-in kind but Service
// uses (pkg/registry/<group>/<kind>/storage), on a dry-run-only storage.
func newStore(gk schema.GroupKind, resource string, s createStrategy) *genericregistry.Store {
	internal := gk.WithVersion(runtime.APIVersionInternal)
	gr := schema.GroupResource{Group: gk.Group, Resource: resource}
	st := &genericregistry.Store{
		NewFunc:                   func() runtime.Object { return mustNew(internal) },
		NewListFunc:               func() runtime.Object { return mustNew(internal.GroupVersion().WithKind(gk.Kind + "List")) },
		DefaultQualifiedResource:  gr,
		SingularQualifiedResource: schema.GroupResource{Group: gk.Group, Resource: resource + "-singular"},
		CreateStrategy:            s,
		UpdateStrategy:            s,
		DeleteStrategy:            s,
		TableConvertor:            rest.NewDefaultTableConvertor(gr),
	}
	must(st.CompleteWithOptions(&generic.StoreOptions{RESTOptions: restOptions{}}))
	return st
}

func mustNew(gvk schema.GroupVersionKind) runtime.Object {
	obj, err := legacyscheme.Scheme.New(gvk)
	must(err)
	return obj
}

// restOptions gives every store the dry-run storage below.
type restOptions struct{}

func (restOptions) GetRESTOptions(gr schema.GroupResource, _ runtime.Object) (generic.RESTOptions, error) {
	return generic.RESTOptions{
		StorageConfig:  &storagebackend.ConfigForResource{Config: storagebackend.Config{Codec: nopCodec{}}, GroupResource: gr},
		Decorator:      decorator,
		ResourcePrefix: gr.Group + "/" + gr.Resource,
	}, nil
}

func decorator(*storagebackend.ConfigForResource, string, func(runtime.Object) (string, error),
	func() runtime.Object, func() runtime.Object, storage.AttrFunc, storage.IndexerFuncs, *cache.Indexers,
) (storage.Interface, factory.DestroyFunc, error) {
	return emptyStorage{}, func() {}, nil
}

// emptyStorage holds no object: a create finds no existing one and keeps
// nothing (it answers with the object it was given). Any other call panics
// (nil embedded interface): the oracle makes none.
type emptyStorage struct{ storage.Interface }

func (emptyStorage) Create(_ context.Context, _ string, obj, out runtime.Object, _ uint64) error {
	reflect.ValueOf(out).Elem().Set(reflect.ValueOf(obj.DeepCopyObject()).Elem())
	return nil
}

func (emptyStorage) Versioner() storage.Versioner { return storage.APIObjectVersioner{} }

func (emptyStorage) Get(_ context.Context, key string, _ storage.GetOptions, _ runtime.Object) error {
	return storage.NewKeyNotFoundError(key, 0)
}

// nopCodec is the storage codec; the oracle's storage never encodes.
type nopCodec struct{}

func (nopCodec) Encode(runtime.Object, io.Writer) error { return nil }
func (nopCodec) Identifier() runtime.Identifier         { return "oracle-nop" }
func (nopCodec) Decode(_ []byte, _ *schema.GroupVersionKind, into runtime.Object) (runtime.Object, *schema.GroupVersionKind, error) {
	if into == nil {
		return nil, nil, fmt.Errorf("nop codec: nothing to decode into")
	}
	return into, nil, nil
}

// strictJSON is the API server's strict JSON serializer (the one it decodes
// a request body with under fieldValidation=Strict).
var strictJSON = func() runtime.Decoder {
	info, ok := runtime.SerializerInfoForMediaType(legacyscheme.Codecs.SupportedMediaTypes(), runtime.ContentTypeJSON)
	if !ok || info.StrictSerializer == nil {
		panic("no strict JSON serializer")
	}
	return info.StrictSerializer
}()
