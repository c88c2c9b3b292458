package refs

import (
	"path"
	"sort"
	"strings"

	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// Store is a ConfigMap, Secret, PersistentVolumeClaim or ServiceAccount that
// the unit defines, or creates by other means.
type Store struct {
	Kind, Name, Namespace string
	// Object is the defining object: the ConfigMap itself, or what creates
	// it (a Certificate, a SealedSecret, an ExternalSecret); nil for a
	// kustomize generator.
	Object *workspace.Object
	// File and Node are where the name is written (metadata.name, spec.secretName, a generator's name).
	File string
	Node *yamlx.Node
	// KeysKnown is set when Keys are all the keys the object will have.
	KeysKnown bool
	// Keys are the data keys with their key nodes (data, binaryData, stringData).
	Keys map[string]*yamlx.Node
	// KeysNode is the mapping that holds most keys (data, or stringData), for locations.
	KeysNode *yamlx.Node
	// By says what creates it when that is not the object itself
	// ("cert-manager Certificate web-tls", "configMapGenerator in kustomization.yaml").
	By string
}

// SortedKeys returns the store's keys in order.
func (s *Store) SortedKeys() []string {
	out := make([]string, 0, len(s.Keys))
	for k := range s.Keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (u *Unit) addStore(s *Store) {
	m := u.stores[s.Kind]
	if m == nil {
		m = map[string][]*Store{}
		u.stores[s.Kind] = m
	}
	m[s.Name] = append(m[s.Name], s)
	d := u.defined[s.Kind]
	if d == nil {
		d = map[string]int{}
		u.defined[s.Kind] = d
	}
	d[s.Namespace]++
}

// Stores returns what the unit defines or creates of kind under that name
// in a namespace that may be ns.
func (u *Unit) Stores(kind, ns, name string) []*Store {
	var out []*Store
	for _, s := range u.stores[kind][name] {
		if SameNamespace(s.Namespace, ns) {
			out = append(out, s)
		}
	}
	return out
}

// StoresNamed returns what the unit defines or creates of kind under that
// name, in any namespace.
func (u *Unit) StoresNamed(kind, name string) []*Store { return u.stores[kind][name] }

// StoreNames returns the names of what the unit defines of kind in a
// namespace that may be ns, sorted.
func (u *Unit) StoreNames(kind, ns string) []string {
	var out []string
	for name, ss := range u.stores[kind] {
		for _, s := range ss {
			if SameNamespace(s.Namespace, ns) {
				out = append(out, name)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// StoreNamesInDir returns the names of what the unit defines of kind in
// namespace ns itself, in files of directory dir (objects and kustomize
// generators; not what a controller creates), sorted.
func (u *Unit) StoreNamesInDir(kind, ns, dir string) []string {
	var out []string
	for name, ss := range u.stores[kind] {
		for _, s := range ss {
			if s.Namespace == ns && dirOf(s.File) == dir && (s.By == "" || s.Object == nil) {
				out = append(out, name)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// DefinedExactly returns how many objects of kind the unit defines or
// creates in namespace ns itself (not counting those of unknown namespace).
func (u *Unit) DefinedExactly(kind, ns string) int { return u.defined[kind][ns] }

// Dir is the directory of a file path.
func Dir(file string) string { return dirOf(file) }

// DefinedIn returns how many objects of kind the unit defines or creates in
// a namespace that may be ns.
func (u *Unit) DefinedIn(kind, ns string) int {
	d := u.defined[kind]
	if ns == "" {
		n := 0
		for _, c := range d {
			n += c
		}
		return n
	}
	return d[ns] + d[""]
}

// ClaimOfStatefulSet returns the StatefulSet whose volumeClaimTemplates
// create a claim of that name (<template>-<statefulset>-<ordinal>), or nil.
func (u *Unit) ClaimOfStatefulSet(name, ns string) *workspace.Object {
	for _, c := range u.claimPrefixes {
		if SameNamespace(c.ns, ns) && strings.HasPrefix(name, c.prefix) && isDigits(name[len(c.prefix):]) {
			return c.sts
		}
	}
	return nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// addDefined records the ConfigMaps, Secrets, claims and ServiceAccounts the object is.
func (u *Unit) addDefined(o *workspace.Object, ns string) {
	if o.APIVersion != "v1" || o.Name == "" {
		return
	}
	switch o.Kind {
	case "ConfigMap", "Secret":
	case "PersistentVolumeClaim", "ServiceAccount":
		u.addStore(&Store{Kind: o.Kind, Name: o.Name, Namespace: ns, Object: o, File: o.File, Node: o.Root.Path("metadata", "name")})
		return
	default:
		return
	}
	s := &Store{Kind: o.Kind, Name: o.Name, Namespace: ns, Object: o, File: o.File, Node: o.Root.Path("metadata", "name"),
		KeysKnown: true, Keys: map[string]*yamlx.Node{}}
	fields := []string{"data", "binaryData"}
	if o.Kind == "Secret" {
		fields = []string{"data", "stringData"}
		// The token controller fills in token, ca.crt and namespace.
		if o.Root.Get("type").Str() == "kubernetes.io/service-account-token" {
			s.KeysKnown = false
		}
	}
	for _, f := range fields {
		n := o.Root.Get(f)
		if n == nil {
			continue
		}
		if n.Kind() != yamlx.Mapping {
			if !n.IsNull() {
				s.KeysKnown = false
			}
			continue
		}
		if s.KeysNode == nil {
			s.KeysNode = n
		}
		n.Pairs(func(k, _ *yamlx.Node) { s.Keys[k.Value()] = k })
	}
	u.addStore(s)
}

// addProduced records the Secrets and claims that an object makes its
// controller create: cert-manager Certificates, SealedSecrets,
// ExternalSecrets, Vault secrets, Ingresses with a cert-manager issuer
// annotation, and the volumeClaimTemplates of StatefulSets.
func (u *Unit) addProduced(o *workspace.Object, ns string) {
	switch o.Kind {
	case "StatefulSet", "Certificate", "SealedSecret", "ExternalSecret", "ClusterExternalSecret", "OnePasswordItem", "Ingress":
	default:
		if !strings.HasPrefix(o.Kind, "Vault") {
			return
		}
	}
	spec := o.Root.Get("spec")
	secret := func(nameNode *yamlx.Node, ns, by string) *Store {
		if nameNode.Str() == "" {
			return nil
		}
		s := &Store{Kind: "Secret", Name: nameNode.Str(), Namespace: ns, Object: o, File: o.File, Node: nameNode, By: by}
		u.addStore(s)
		return s
	}
	meta := o.Root.Path("metadata", "name")
	g := o.Group()
	switch {
	case o.Kind == "StatefulSet" && g == "apps":
		for _, t := range spec.Get("volumeClaimTemplates").Items() {
			if n := t.Path("metadata", "name").Str(); n != "" && o.Name != "" {
				u.claimPrefixes = append(u.claimPrefixes, claimPrefix{prefix: n + "-" + o.Name + "-", ns: ns, sts: o})
			}
		}
	case o.Kind == "Certificate" && (g == "cert-manager.io" || g == "certmanager.k8s.io"):
		secret(spec.Get("secretName"), ns, "cert-manager "+o.Label())
	case o.Kind == "SealedSecret" && g == "bitnami.com":
		tm := spec.Path("template", "metadata")
		name := tm.Get("name")
		if name.Str() == "" {
			name = meta
		}
		tns := ns
		if n := tm.Get("namespace").Str(); n != "" {
			tns = n
		}
		if s := secret(name, tns, o.Label()); s != nil {
			s.KeysKnown, s.Keys = true, map[string]*yamlx.Node{}
			for _, f := range []*yamlx.Node{spec.Get("encryptedData"), spec.Path("template", "data")} {
				if f != nil && f.Kind() != yamlx.Mapping && !f.IsNull() {
					s.KeysKnown = false
				}
				f.Pairs(func(k, _ *yamlx.Node) { s.Keys[k.Value()] = k })
			}
		}
	case o.Kind == "ExternalSecret" && g == "external-secrets.io":
		name := spec.Path("target", "name")
		if name.Str() == "" {
			name = meta
		}
		secret(name, ns, o.Label())
	case o.Kind == "ExternalSecret" && g == "kubernetes-client.io":
		secret(meta, ns, o.Label())
	case o.Kind == "ClusterExternalSecret" && g == "external-secrets.io":
		name := spec.Path("externalSecretSpec", "target", "name")
		if name.Str() == "" {
			name = spec.Get("externalSecretName")
		}
		if name.Str() == "" {
			name = meta
		}
		secret(name, "", o.Label()) // in every namespace it selects
	case g == "secrets.hashicorp.com" && strings.HasPrefix(o.Kind, "Vault") && strings.HasSuffix(o.Kind, "Secret"):
		secret(spec.Path("destination", "name"), ns, o.Label())
	case o.Kind == "OnePasswordItem" && g == "onepassword.com":
		secret(meta, ns, o.Label())
	case o.Kind == "Ingress" && (g == "networking.k8s.io" || g == "extensions"):
		ann := o.Root.Path("metadata", "annotations")
		if ann.Get("cert-manager.io/issuer") == nil && ann.Get("cert-manager.io/cluster-issuer") == nil &&
			ann.Get("kubernetes.io/tls-acme") == nil && ann.Get("certmanager.k8s.io/cluster-issuer") == nil {
			return
		}
		for _, t := range spec.Get("tls").Items() {
			secret(t.Get("secretName"), ns, "cert-manager for "+o.Label())
		}
	}
}

// addGenerated records the ConfigMaps and Secrets of a kustomization's
// configMapGenerator and secretGenerator. kustomize appends a hash to
// their names and rewrites the references that name them, so a reference
// by the generator's name resolves.
func (u *Unit) addGenerated(k *workspace.Kustomization) {
	kns := k.Root.Get("namespace").Str()
	for _, f := range []struct{ field, kind string }{{"configMapGenerator", "ConfigMap"}, {"secretGenerator", "Secret"}} {
		for _, g := range k.Root.Get(f.field).Items() {
			name := g.Get("name")
			if name.Str() == "" {
				continue
			}
			ns := kns
			if ns == "" {
				ns = g.Get("namespace").Str()
			}
			s := &Store{Kind: f.kind, Name: name.Str(), Namespace: ns, File: k.Path, Node: name,
				By: f.field + " in " + path.Base(k.Path), Keys: map[string]*yamlx.Node{}, KeysKnown: true}
			switch g.Get("behavior").Str() {
			case "merge", "replace":
				s.KeysKnown = false // it changes a ConfigMap of a base
			}
			if g.Get("envs") != nil || g.Get("env") != nil {
				s.KeysKnown = false // the keys are in a file
			}
			for _, l := range g.Get("literals").Items() {
				key, _, _ := strings.Cut(l.Str(), "=")
				s.Keys[strings.TrimSpace(key)] = l
			}
			for _, fl := range g.Get("files").Items() {
				key, _, ok := strings.Cut(fl.Str(), "=")
				if !ok {
					key = path.Base(fl.Str())
				}
				s.Keys[strings.TrimSpace(key)] = fl
			}
			u.addStore(s)
		}
	}
}

// Closest returns the candidate nearest to s by edit distance, when it is
// near enough to be a likely typo (at most a third of the name, at least 2).
func Closest(s string, candidates []string) string {
	best, bestD := "", max(2, len(s)/3)+1
	for _, c := range candidates {
		if d := distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
