// Package workspace holds everything that was loaded (files, Kubernetes
// objects, pod templates, Dockerfiles with their build contexts and ignore
// files, server configs) and indexes it, so that rules read and never parse.
package workspace

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/settings"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// Settings are user inputs that some rules need.
type Settings struct {
	// KubeVersion is the target Kubernetes version ("1.33"); empty means the newest known.
	KubeVersion string
	// Nodes are node shapes given with --node-capacity or the config file.
	Nodes []settings.NodeSpec
	// Units are directory globs (doublestar, relative to UnitBase): each
	// matching directory is a deployment unit of its own (see Unit).
	Units    []string
	UnitBase string
	// CRDs are CustomResourceDefinition documents from outside the linted
	// tree (.k8slint.yaml's crds:): schemas for custom resources, not linted.
	CRDs []CRDDoc
}

// CRDDoc is one YAML document of a crds: file.
type CRDDoc struct {
	File string
	Root *yamlx.Node
}

// Workspace is the cross-referenced set of loaded inputs.
type Workspace struct {
	Settings    Settings
	Manifests   []*load.ManifestFile
	Objects     []*Object
	Templates   []*PodTemplate
	Dockerfiles []*Dockerfile
	Ignores     []*load.IgnoreFile
	// Confs are the mongod and Redis configs: files, then the configs
	// carried in ConfigMap data (those have an Origin; see EmbeddedConf).
	Confs []*load.ConfFile
	// Composes are YAML files with a top-level services map (docker compose).
	Composes []*Compose
	// Kustomizations are the kustomization files of the tree (see units.go).
	Kustomizations []*Kustomization
	// Notes say what could not be judged and why (shown with -v).
	Notes []string

	dotenvs  map[string]*load.DotEnv // .env files by path
	files    []string                // every regular file seen, absolute and sorted
	byKey    map[objKey]*Object
	byKind   map[string][]*Object
	ignores  map[string]*load.IgnoreFile
	contexts map[string]string // Dockerfile path -> build context dir
	unwalked []string          // directories whose contents were not walked (absolute, sorted)
	roots    []string          // walked directories (absolute)
	units    []*Unit
	unitOf   map[*Object]*Unit
	rendered map[*Object]renderedUnit // objects of a rendered chart or kustomization root

	buildCtxMu sync.Mutex
	buildCtx   map[string]*BuildContext // by context dir and ignore file
	embedded   map[embedKey]*load.ConfFile
	mounted    map[embedKey]bool // ConfigMaps and Secrets (key "") that a pod mounts

	patchesOnce sync.Once
	patches     map[string]bool // files that a kustomization lists as patches

	results   sync.Map // *resultKey -> *cell[T] of its Result[T]
	waitHooks waitHooks

	focus func(path string) bool // see Focused (focus.go)
}

// Compose is a docker compose file.
type Compose struct {
	Path string
	Root *yamlx.Node
}

type objKey struct{ kind, ns, name string }

// Object is one Kubernetes object of a manifest.
type Object struct {
	File       string
	Doc        int // index of the document in the file
	Root       *yamlx.Node
	APIVersion string
	Kind       string
	Name       string
	Namespace  string // "" when unset or "default"
	// Path is the object's path inside its document: "" or "items[2]" for List items.
	Path string
}

// Group returns the API group of the object ("" for the core group).
func (o *Object) Group() string {
	if i := strings.LastIndexByte(o.APIVersion, '/'); i >= 0 {
		return o.APIVersion[:i]
	}
	return ""
}

// Version returns the API version without group.
func (o *Object) Version() string {
	if i := strings.LastIndexByte(o.APIVersion, '/'); i >= 0 {
		return o.APIVersion[i+1:]
	}
	return o.APIVersion
}

// FieldPath joins the object's path with a field path.
func (o *Object) FieldPath(p string) string {
	if o.Path == "" {
		return p
	}
	return o.Path + "." + p
}

// Dockerfile is a Dockerfile with its build context and effective ignore file.
type Dockerfile struct {
	*load.Dockerfile
	// Context is the build context directory (absolute).
	Context string
	// Ignore is the effective ignore file (<name>.dockerignore beside the
	// Dockerfile, else .dockerignore at the context root), or nil.
	Ignore *load.IgnoreFile
	// ContextFrom is the compose file's build.context (or build) that sets
	// Context, when that is not the Dockerfile's directory; nil otherwise.
	ContextFrom *diag.Location
	// ContextUnknown: a compose file builds this Dockerfile with a context
	// (or Dockerfile) that uses a variable without a value; what the
	// context holds is not known.
	ContextUnknown bool
}

// Builder collects loaded files; Build indexes them.
type Builder struct {
	ws   *Workspace
	objs []Object // objects are carved from here (see addObject)
}

// NewBuilder starts a workspace. files is every regular file seen (absolute).
func NewBuilder(settings Settings, files []string) *Builder {
	// Sized for one or two objects a file, up to 32,768 (files counts
	// every file seen, manifests or not).
	hint := min(2*len(files), 1<<15)
	ws := &Workspace{
		Settings: settings,
		files:    files,
		byKey:    make(map[objKey]*Object, hint),
		Objects:  make([]*Object, 0, hint),
		ignores:  map[string]*load.IgnoreFile{},
		contexts: map[string]string{},
	}
	if !sort.StringsAreSorted(files) {
		sort.Strings(files)
	}
	return &Builder{ws: ws}
}

// SetContext sets the build context directory of a Dockerfile.
func (b *Builder) SetContext(dockerfile, dir string) { b.ws.contexts[dockerfile] = dir }

// SetUnwalked records the directories inside the tree whose contents were
// not walked (skipped, excluded or symlinked directories).
func (b *Builder) SetUnwalked(dirs []string) {
	b.ws.unwalked = append([]string(nil), dirs...)
	sort.Strings(b.ws.unwalked)
}

// SetRoots records the directories that were walked.
func (b *Builder) SetRoots(dirs []string) { b.ws.roots = append([]string(nil), dirs...) }

// AddManifest adds a manifest file and its objects.
// AddRendered adds a manifest rendered from a Helm chart or a kustomization
// root: its objects form the deployment unit of that chart or root (dir,
// absolute), apart from the plain files and from every other rendering, so
// that two overlays of one base never add up.
func (b *Builder) AddRendered(mf *load.ManifestFile, dir, source string) {
	start := len(b.ws.Objects)
	b.AddManifest(mf)
	if b.ws.rendered == nil {
		b.ws.rendered = map[*Object]renderedUnit{}
	}
	for _, o := range b.ws.Objects[start:] {
		b.ws.rendered[o] = renderedUnit{dir: dir, source: source}
	}
}

type renderedUnit struct{ dir, source string }

func (b *Builder) AddManifest(mf *load.ManifestFile) {
	ws := b.ws
	b.addKustomization(mf)
	if mf.NotManifest {
		for _, d := range mf.Docs {
			if d.Root != nil && d.Root.Kind() == yamlx.Mapping && d.Root.Get("services") != nil && d.Root.Get("services").Kind() == yamlx.Mapping {
				ws.Composes = append(ws.Composes, &Compose{Path: mf.Path, Root: d.Root})
				break
			}
		}
		return
	}
	ws.Manifests = append(ws.Manifests, mf)
	for i, d := range mf.Docs {
		if d.Root == nil || d.Root.Kind() != yamlx.Mapping {
			continue
		}
		b.addObject(mf.Path, i, d.Root, "")
	}
}

func (b *Builder) addObject(file string, doc int, root *yamlx.Node, path string) {
	apiVersion, kind := root.Get("apiVersion").Str(), root.Get("kind").Str()
	if apiVersion == "" || kind == "" || IsClientSide(apiVersion, kind) {
		return
	}
	if strings.HasSuffix(kind, "List") && root.Get("items") != nil {
		for i, it := range root.Get("items").Items() {
			if it.Kind() == yamlx.Mapping {
				b.addObject(file, doc, it, joinPath(path, "items["+strconv.Itoa(i)+"]"))
			}
		}
		return
	}
	meta := root.Get("metadata")
	if len(b.objs) == cap(b.objs) {
		// Objects are allocated 256 at a time: 10,000 files make 20,000 of
		// them, all kept to the end of the run.
		b.objs = make([]Object, 0, 256)
	}
	b.objs = append(b.objs, Object{
		File: file, Doc: doc, Root: root, APIVersion: apiVersion, Kind: kind,
		Name: meta.Get("name").Str(), Namespace: normNS(meta.Get("namespace").Str()), Path: path,
	})
	o := &b.objs[len(b.objs)-1]
	ws := b.ws
	ws.Objects = append(ws.Objects, o)
	k := objKey{kind, o.Namespace, o.Name}
	if _, dup := ws.byKey[k]; !dup {
		ws.byKey[k] = o
	}
	if t := podTemplateOf(o); t != nil {
		ws.Templates = append(ws.Templates, t)
	}
}

func normNS(ns string) string {
	if ns == "default" {
		return ""
	}
	return ns
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// clientSide lists apiVersion groups (or exact apiVersion/kind pairs) of
// documents that configure client-side tools and never reach a cluster.
var clientSideGroups = []string{
	"kustomize.config.k8s.io", "skaffold", "kind.x-k8s.io", "kubeadm.k8s.io", "kubelet.config.k8s.io",
	"kubeproxy.config.k8s.io", "k3d.io", "config.kubernetes.io", "kpt.dev", "fn.kpt.dev",
	"apiserver.config.k8s.io", "audit.k8s.io", "clientauthentication.k8s.io", "test.gatekeeper.sh",
	"kubescheduler.config.k8s.io", "ctlptl.dev", "cli.kubeconform", "kuttl.dev", "chainsaw.kyverno.io",
}

// IsClientSide reports whether a document belongs to a client-side tool
// (kustomize, skaffold, kubeconfig...) rather than the cluster.
func IsClientSide(apiVersion, kind string) bool {
	if apiVersion == "v1" && kind == "Config" { // kubeconfig
		return true
	}
	g := apiVersion
	if i := strings.LastIndexByte(g, '/'); i >= 0 {
		g = g[:i]
	} else {
		g = ""
	}
	for _, c := range clientSideGroups {
		if g == c || hasDotSuffix(g, c) || g == "" && len(apiVersion) > len(c) && apiVersion[len(c)] == '/' && strings.HasPrefix(apiVersion, c) {
			return true
		}
	}
	return strings.HasPrefix(apiVersion, "skaffold/")
}

// hasDotSuffix reports whether s ends with "."+suffix (without building that string).
func hasDotSuffix(s, suffix string) bool {
	return len(s) > len(suffix) && s[len(s)-len(suffix)-1] == '.' && strings.HasSuffix(s, suffix)
}

// AddDockerfile adds a Dockerfile.
func (b *Builder) AddDockerfile(df *load.Dockerfile) {
	b.ws.Dockerfiles = append(b.ws.Dockerfiles, &Dockerfile{Dockerfile: df})
}

// AddIgnore adds an ignore file.
func (b *Builder) AddIgnore(f *load.IgnoreFile) {
	b.ws.Ignores = append(b.ws.Ignores, f)
	b.ws.ignores[f.Path] = f
}

// AddDotEnv adds a .env file (compose interpolation reads it).
func (b *Builder) AddDotEnv(f *load.DotEnv) {
	if b.ws.dotenvs == nil {
		b.ws.dotenvs = map[string]*load.DotEnv{}
	}
	b.ws.dotenvs[f.Path] = f
}

// AddConf adds a server config file.
func (b *Builder) AddConf(c *load.ConfFile) { b.ws.Confs = append(b.ws.Confs, c) }

// Build links Dockerfiles to their contexts and ignore files and returns the workspace.
func (b *Builder) Build() *Workspace {
	ws := b.ws
	ws.indexKinds()
	composed := composeContexts(ws.Composes, ws.dotenvs)
	for _, df := range ws.Dockerfiles {
		df.Context = filepath.Dir(df.Path)
		if c, ok := ws.contexts[df.Path]; ok {
			df.Context = c
		} else if cc, ok := composed.contexts[df.Path]; ok {
			df.Dockerfile = df.WithBuildArgs(cc.args)
			if cc.dir != df.Context {
				df.Context = cc.dir
				loc := cc.loc
				df.ContextFrom = &loc
			}
		} else {
			for _, u := range composed.unknown {
				if u.match.MatchString(filepath.ToSlash(df.Path)) {
					df.ContextUnknown = true
					ws.Notes = append(ws.Notes, df.Path+": COPY sources not checked: "+u.reason)
					break
				}
			}
		}
		for _, n := range df.Notes {
			ws.Notes = append(ws.Notes, fmt.Sprintf("%s: line %d: %s", df.Path, n.Line, n.Msg))
		}
		if f, ok := ws.ignores[df.Path+".dockerignore"]; ok {
			df.Ignore = f
		} else if f, ok := ws.ignores[filepath.Join(df.Context, ".dockerignore")]; ok {
			df.Ignore = f
		}
	}
	ws.addEmbeddedConfs()
	ws.formUnits()
	return ws
}

// Lookup finds an object by kind, namespace and name.
func (ws *Workspace) Lookup(kind, namespace, name string) *Object {
	return ws.byKey[objKey{kind, normNS(namespace), name}]
}

// OfKind returns the objects of a kind, in load order.
func (ws *Workspace) OfKind(kind string) []*Object { return ws.byKind[kind] }

// indexKinds lists the objects by kind, in load order, each list sized
// exactly: appending them as objects were added left a kind's outgrown
// lists behind (600 kB of garbage a 10k run).
func (ws *Workspace) indexKinds() {
	count := map[string]int{}
	for _, o := range ws.Objects {
		count[o.Kind]++
	}
	ws.byKind = make(map[string][]*Object, len(count))
	for k, n := range count {
		ws.byKind[k] = make([]*Object, 0, n)
	}
	for _, o := range ws.Objects {
		ws.byKind[o.Kind] = append(ws.byKind[o.Kind], o)
	}
}

// Files returns every regular file seen under dir (absolute paths, sorted).
func (ws *Workspace) Files(dir string) []string { return under(ws.files, dir) }

// under returns the paths of a sorted list that lie below dir (without
// allocating: it runs once per COPY source and per ancestor).
func under(sorted []string, dir string) []string {
	dir = strings.TrimSuffix(dir, string(filepath.Separator))
	below := func(s string) bool {
		return len(s) > len(dir) && s[len(dir)] == filepath.Separator && s[:len(dir)] == dir
	}
	// The first entry >= dir + separator.
	i := sort.Search(len(sorted), func(k int) bool {
		s := sorted[k]
		if len(s) > len(dir) && s[:len(dir)] == dir {
			return s[len(dir)] >= filepath.Separator
		}
		return s > dir
	})
	j := i
	for j < len(sorted) && below(sorted[j]) {
		j++
	}
	return sorted[i:j]
}
