package engine

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/k8slint/k8slint/internal/cache"
	"github.com/k8slint/k8slint/internal/discovery"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// Pruning: a run that names files (a pre-commit hook names the staged
// ones) after one of them was edited misses the findings cache, since a
// named file's findings may depend on any other file. But most of a large
// project cannot touch them: the objects of one namespace see those of
// another only by name (a "defined in namespace x" hint). So the run reads
// again only the files whose scope (cache.Scope, kept with each file's
// stamp by an earlier run) may matter to the named files, and leaves the
// others unread, with findings identical to those of the full run for the
// named files (TestNamedFileMatchesFullRun, TestPrunedRunMatchesFullRun).
//
// A file is read when any of these holds, else left:
//   - it is a named file, or not a manifest (Dockerfiles, .dockerignore,
//     server configs, .env: images and mounts join them to any namespace);
//   - its stamp changed or it is new (its scope is unknown);
//   - it is not Isolated: cluster-scoped objects (a Namespace, a CRD, a
//     RuntimeClass), kinds k8slint does not know, a namespace,
//     namespaces or namespaceSelector field in a spec (RoleBinding
//     subjects, pod affinity terms, NetworkPolicy peers), or a parse error;
//   - it is in the directory of a named file (the models look for near
//     misses there: "did you mean", the nearest pod template);
//   - it shares a namespace with a named file;
//   - one of its objects' names is a name a named file refers to, or it
//     refers to one of the named files' objects' names (the value of a key
//     name or ...Name, or a DNS-label word in one): the cross-namespace
//     hints, "a ConfigMap x exists in namespace y"; then the directory and
//     namespaces of that file are wanted too, since its findings that point
//     at the named file need its own neighbours.
//
// Nothing is left unread, and the run is as without pruning, when the
// named files are not all isolated manifests, when the project may have
// Helm charts or kustomizations, when some file is Global (Node objects:
// every workload then competes for the same nodes; a Kustomization or
// another client-side kind, as skaffold's), when any manifest has an
// object without a namespace (kubectl may apply it to any namespace, so
// its relations reach into all: a Service of it selects the pods of every
// namespace), when --node-capacity or the configuration declares nodes,
// or when more than a quarter of the manifests have an unknown scope (a
// first run: reading them ahead would only reorder the work). YAML that is
// no manifest (a compose file, CI configuration) is always read. -v says
// why every file was read.

// prunable reports the namespaced built-in kinds whose objects relate to
// other files only within their namespace, or by name: the kinds of
// k8s.io/api that a project writes (not Node, Namespace, PersistentVolume,
// the classes, CRDs, webhooks, ClusterRoles: cluster-scoped).
var prunable = map[string]bool{
	"Pod": true, "PodTemplate": true, "ReplicationController": true, "Service": true, "ConfigMap": true,
	"Secret": true, "ServiceAccount": true, "PersistentVolumeClaim": true, "Endpoints": true,
	"LimitRange": true, "ResourceQuota": true, "Event": true,
	"Deployment": true, "StatefulSet": true, "DaemonSet": true, "ReplicaSet": true, "ControllerRevision": true,
	"Job": true, "CronJob": true, "HorizontalPodAutoscaler": true, "PodDisruptionBudget": true,
	"Ingress": true, "NetworkPolicy": true, "Role": true, "RoleBinding": true, "EndpointSlice": true,
	"Lease": true, "CSIStorageCapacity": true,
}

// builtinGroup reports an API group of k8s.io/api (the core group, a
// one-word group as apps or batch, or one under k8s.io).
func builtinGroup(apiVersion string) bool {
	g, _, ok := strings.Cut(apiVersion, "/")
	if !ok {
		return apiVersion == "v1"
	}
	return !strings.Contains(g, ".") || strings.HasSuffix(g, ".k8s.io")
}

// maxScopeNodes bounds the nodes scopeOf visits in one file (aliases can
// share subtrees); a larger file is not Isolated.
const maxScopeNodes = 1 << 20

// scopeOf computes the scope of a loaded manifest file. It runs for every
// manifest that a run with the cache loads, so it allocates little: the
// words go to a scratch list of the loading goroutine.
func scopeOf(mf *load.ManifestFile) *cache.Scope {
	sc := scratchPool.Get().(*scopeScratch)
	defer scratchPool.Put(sc)
	s := sc.scope()
	s.Isolated = len(mf.Problems) == 0
	switch {
	case workspace.IsKustomizationFile(mf.Path):
		s.Global, s.Isolated = true, false
		return s
	case mf.NotManifest:
		s.Isolated = false // no objects, but a compose file names images and builds
		return s
	}
	sc.names, sc.tokens, sc.ns, sc.visited = sc.names[:0], sc.tokens[:0], sc.ns[:0], 0
	for _, d := range mf.Docs {
		if d.Root == nil {
			continue
		}
		if d.Root.Kind() != yamlx.Mapping {
			sc.walk(s, d.Root, nil, "")
			continue
		}
		sc.object(s, d.Root)
		if s.Global {
			return s
		}
	}
	s.Namespaces = sc.carveStrings(sc.ns)
	packed := sc.carveBytes(4 * (len(sc.names) + len(sc.tokens)))
	s.Names = cache.PackHashes(packed[:0:4*len(sc.names)], sc.names)
	s.Tokens = cache.PackHashes(packed[4*len(sc.names):4*len(sc.names)], sc.tokens)
	return s
}

// scopeScratch is the working memory of scopeOf on one goroutine, and the
// slabs its results are carved from (a run with the cache computes a scope
// for every manifest: three allocations each were 30,000 on 10,000 files).
type scopeScratch struct {
	names, tokens []uint32
	ns            []string
	visited       int

	scopes []cache.Scope
	strs   []string
	bytes  []byte
}

const scopeSlab = 256

func (sc *scopeScratch) scope() *cache.Scope {
	if len(sc.scopes) == 0 {
		sc.scopes = make([]cache.Scope, scopeSlab)
	}
	s := &sc.scopes[0]
	sc.scopes = sc.scopes[1:]
	return s
}

// carveStrings returns a copy of ss from the slab (nil for none).
func (sc *scopeScratch) carveStrings(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	if cap(sc.strs)-len(sc.strs) < len(ss) {
		sc.strs = make([]string, 0, max(scopeSlab, len(ss)))
	}
	n := len(sc.strs)
	sc.strs = append(sc.strs, ss...)
	return sc.strs[n:len(sc.strs):len(sc.strs)]
}

// carveBytes returns n bytes of length 0 and capacity n from the slab.
func (sc *scopeScratch) carveBytes(n int) []byte {
	if cap(sc.bytes)-len(sc.bytes) < n {
		sc.bytes = make([]byte, 0, max(64<<10, n))
	}
	b := sc.bytes[len(sc.bytes) : len(sc.bytes)+n : len(sc.bytes)+n]
	sc.bytes = sc.bytes[:len(sc.bytes)+n]
	return b[:n]
}

var scratchPool = sync.Pool{New: func() any { return &scopeScratch{} }}

func (sc *scopeScratch) object(s *cache.Scope, root *yamlx.Node) {
	apiVersion, kind := root.Get("apiVersion").Str(), root.Get("kind").Str()
	switch {
	case apiVersion == "" || kind == "":
		sc.walk(s, root, nil, "") // no object, but its names count
		return
	case workspace.IsClientSide(apiVersion, kind) || kind == "Node":
		s.Global, s.Isolated = true, false
		return
	case strings.HasSuffix(kind, "List") && root.Get("items") != nil:
		for k, v := range root.Entries() {
			if k.Value() != "items" {
				sc.walk(s, v, nil, k.Value())
			}
		}
		for _, it := range root.Get("items").Items() {
			if it.Kind() == yamlx.Mapping {
				sc.object(s, it)
			} else {
				sc.walk(s, it, nil, "items")
			}
		}
		return
	}
	namespaced := prunable[kind] && builtinGroup(apiVersion)
	if !namespaced {
		s.Isolated = false
	}
	meta := root.Get("metadata")
	sc.names = append(sc.names, cache.Hash32(meta.Get("name").Str()))
	metaNS := meta.Get("namespace")
	// The namespaces of the kinds known to be namespaced: a Namespace or a
	// ClusterRole has none, and a custom kind's objects are read anyway.
	if ns := metaNS.Str(); namespaced && !slices.Contains(sc.ns, ns) {
		sc.ns = append(sc.ns, ns)
	}
	sc.walk(s, root, metaNS, "")
}

// walk adds the words of the values under n that name objects (those of a
// key name or ...Name: configMapRef.name, secretName, claimName,
// serviceAccountName: how the API refers to an object by name), and
// clears Isolated at a key namespace (other than metaNS's), namespaces or
// namespaceSelector.
func (sc *scopeScratch) walk(s *cache.Scope, n, metaNS *yamlx.Node, key string) {
	if sc.visited++; sc.visited > maxScopeNodes {
		s.Isolated = false
		return
	}
	switch n.Kind() {
	case yamlx.Scalar:
		if key == "name" || strings.HasSuffix(key, "Name") {
			sc.tokens = appendTokens(sc.tokens, n.Value())
		}
	case yamlx.Mapping:
		for kn, v := range n.Entries() {
			k := kn.Value()
			if v != metaNS && (k == "namespace" || k == "namespaces" || k == "namespaceSelector") {
				s.Isolated = false // it names, or selects, other namespaces
			}
			sc.walk(s, v, metaNS, k)
		}
	default:
		for _, c := range n.Children() {
			sc.walk(s, c, metaNS, key)
		}
	}
}

// appendTokens appends the hash of a scalar value and, when it has other
// characters, of each run of DNS-label characters in it (a host name
// "db.prod.svc:5432" names the Service db of namespace prod), in one pass.
func appendTokens(hs []uint32, v string) []uint32 {
	const offset, prime = 2166136261, 16777619 // cache.Hash32's
	if v == "" || len(v) > 4096 {
		return hs
	}
	whole, word := uint32(offset), uint32(offset)
	inWord, split := false, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		whole = (whole ^ uint32(c)) * prime
		if wordByte[c] {
			word, inWord = (word^uint32(c))*prime, true
			continue
		}
		split = true
		if inWord {
			hs = append(hs, word)
		}
		word, inWord = offset, false
	}
	if split && inWord {
		hs = append(hs, word)
	}
	return append(hs, whole)
}

// wordByte is set for the bytes of a word of appendTokens.
var wordByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
	}
	return t
}()

// pruned is what pruning decided for the files of a run.
type pruned struct {
	files []discovery.File // the files to read, in the walk's order
	pre   map[int]loaded   // files read ahead (the named files, those of unknown scope), by index in files
	left  []cache.Stamp    // the stamps of the files left unread (their scope known and unchanged)
	count int              // how many of those a full run counts as loaded
}

// prune decides which of files a named-file run reads (see above); load
// reads files[i]. It returns nil when it leaves none (the run is then as
// without pruning, apart from the files it read ahead, which it returns).
func (c *cacheRun) prune(files []discovery.File, all []string, opts Options, jobs int, load func(discovery.File) loaded) *pruned {
	if c == nil || c.facts == nil || c.only == nil || len(c.only.dirs) > 0 || c.pruneOff != "" {
		return nil
	}
	switch {
	case opts.Settings.Nodes != nil:
		return c.readAll("node capacities are configured: every workload competes for the same nodes")
	case hasChartFile(all):
		return c.readAll("the project has a Helm chart")
	}
	for _, p := range all {
		if workspace.IsKustomizationFile(p) {
			return c.readAll("the project has a kustomization, which sets namespaces")
		}
	}
	// The scope of each manifest whose stamp still holds.
	scopes := make([]*cache.Stamp, len(files))
	named := make([]bool, len(files))
	var candidates []int
	for i, f := range files {
		if c.only.has(f.Path) {
			if f.Kind != discovery.Manifest {
				return c.readAll("a named file is not a manifest")
			}
			named[i] = true
		} else if f.Kind == discovery.Manifest {
			candidates = append(candidates, i)
		}
	}
	if len(candidates) == 0 {
		return nil
	}
	if c.holds == nil {
		c.prefetch(jobs)
	}
	unknown := 0
	for _, i := range candidates {
		k, found := slices.BinarySearchFunc(c.facts.Files, files[i].Path, func(s cache.Stamp, p string) int { return strings.Compare(s.Path, p) })
		if !found || !c.holds(k) {
			unknown++
			continue
		}
		scopes[i] = &c.facts.Files[k]
	}
	if 4*unknown > len(candidates) {
		return c.readAll(fmt.Sprintf("the scopes of %d of %d manifests are not in the cache yet", unknown, len(candidates)))
	}
	// Read ahead the named files and those of unknown scope.
	var ahead []int
	for i := range files {
		if named[i] || files[i].Kind == discovery.Manifest && scopes[i] == nil {
			ahead = append(ahead, i)
		}
	}
	pre := make(map[int]loaded, len(ahead))
	var mu sync.Mutex
	parallel(len(ahead), jobs, func(k int) {
		l := load(files[ahead[k]])
		mu.Lock()
		pre[ahead[k]] = l
		mu.Unlock()
	})
	p := &pruned{files: files, pre: pre}
	scopeOfLoaded := func(i int) *cache.Scope {
		if s := pre[i].stamp.Scope; s != nil {
			return s
		}
		return &cache.Scope{} // not read as a manifest (unreadable, a chart template): no objects, read anyway
	}
	// What the named files are: their directories, namespaces, names and
	// words. The files read ahead (named, or changed since the entry) may
	// turn pruning off as those of the entry would have (unprunable, in
	// the lookup, checked the others).
	var want struct {
		dirs, ns map[string]bool
		names    []uint32
		tokens   map[uint32]bool
	}
	want.dirs, want.ns, want.tokens = map[string]bool{}, map[string]bool{}, map[uint32]bool{}
	for _, i := range ahead {
		s := scopeOfLoaded(i)
		if why := blocks(files[i].Path, s); why != "" {
			return p.unpruned(c, why)
		}
		if !named[i] {
			continue
		}
		if !s.Isolated {
			return p.unpruned(c, "the named file "+files[i].Path+" has cluster-scoped or custom objects, or names another namespace")
		}
		want.dirs[filepath.Dir(files[i].Path)] = true
		for _, n := range s.Namespaces {
			want.ns[n] = true
		}
		cache.EachHash(s.Names, func(h uint32) bool { want.names = append(want.names, h); return true })
		cache.EachHash(s.Tokens, func(h uint32) bool { want.tokens[h] = true; return true })
	}
	// near: a file of a named file's directory or namespace, or one that
	// is not isolated. byName: a file whose objects a named file names or
	// that names a named file's objects; its findings can point at the
	// named file, and they need its own neighbours, so its directory and
	// namespaces are wanted too (until nothing more is).
	near := func(path string, s *cache.Scope) bool {
		if !s.Isolated || want.dirs[filepath.Dir(path)] {
			return true
		}
		for _, n := range s.Namespaces {
			if want.ns[n] {
				return true
			}
		}
		return false
	}
	byName := func(s *cache.Scope) bool {
		hit := false
		cache.EachHash(s.Names, func(h uint32) bool { hit = want.tokens[h]; return !hit })
		for _, h := range want.names {
			hit = hit || cache.HasHash(s.Tokens, h)
		}
		return hit
	}
	read := make([]bool, len(files))
	for more := true; more; {
		more = false
		for i, f := range files {
			s := scopes[i]
			if read[i] || s == nil {
				continue
			}
			switch {
			case near(f.Path, s.Scope):
				read[i] = true
			case byName(s.Scope):
				read[i], more = true, true
				want.dirs[filepath.Dir(f.Path)] = true
				for _, n := range s.Scope.Namespaces {
					want.ns[n] = true // never "": those files turn pruning off (above)
				}
			}
		}
	}
	var kept []discovery.File
	keptPre := map[int]loaded{}
	for i, f := range files {
		if s := scopes[i]; s != nil && !read[i] {
			p.left = append(p.left, *s)
			p.count += count(s.Counted)
			continue
		}
		if l, ok := pre[i]; ok {
			keptPre[len(kept)] = l
		}
		kept = append(kept, f)
	}
	p.files, p.pre = kept, keptPre
	if len(p.left) == 0 {
		c.pruneOff = "each file is in a named file's directory or namespace, or related to it, or not isolated"
	}
	return p
}

// unprunable says why no named-file run can prune with the scopes of e,
// or "": a file of it blocked pruning when e was written. (A file changed
// since is read ahead, and its new scope decides; one that became
// prunable waits for the next entry.)
func unprunable(e *cache.Entry) string {
	for i := range e.Files {
		if s := e.Files[i].Scope; s != nil {
			if why := blocks(e.Files[i].Path, s); why != "" {
				return why
			}
		}
	}
	return ""
}

// blocks says why a file of scope s, wherever it is, turns pruning off, or
// "": it is Global, or has an object without a namespace, which is in
// every namespace (a Service of it selects the pods of all, so its
// findings, which may point at a named file beside it, depend on files of
// any namespace).
func blocks(path string, s *cache.Scope) string {
	switch {
	case s.Global:
		return path + " can change any file (Node objects, or a client-side kind)"
	case slices.Contains(s.Namespaces, ""):
		return path + " has an object without a namespace (kubectl may apply it to any)"
	}
	return ""
}

// unpruned is p with every file read, for the reason why: the files read
// ahead stay read.
func (p *pruned) unpruned(c *cacheRun, why string) *pruned {
	p.left, p.count = nil, 0
	c.pruneOff = why
	return p
}

// readAll records why a named-file run reads the whole project, and
// returns nil.
func (c *cacheRun) readAll(why string) *pruned {
	c.pruneOff = why
	return nil
}
