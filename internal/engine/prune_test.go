package engine

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/k8slint/k8slint/internal/cache"
)

// TestAppendTokens: a value is one word, and a value with other
// characters is also each of its DNS-label words, with cache.Hash32.
func TestAppendTokens(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"app-0", []string{"app-0"}},
		{"db.prod.svc:5432", []string{"db", "prod", "svc", "5432", "db.prod.svc:5432"}},
		{"/healthz", []string{"healthz", "/healthz"}},
		{"a..b", []string{"a", "b", "a..b"}},
		{"", nil},
		{":", []string{":"}},
	} {
		var want []uint32
		for _, w := range tc.want {
			want = append(want, cache.Hash32(w))
		}
		if got := appendTokens(nil, tc.in); !slices.Equal(got, want) {
			t.Errorf("appendTokens(%q) = %v, want %v (%q)", tc.in, got, want, tc.want)
		}
	}
}

// generatedNamespaces writes 60 generated manifest files in 6 directories
// over 10 namespaces, with the mistakes of generatedWithMistakes but no
// Node (pruning stays on), and files that relate namespaces and
// directories: a reference whose object exists only in another namespace
// (the hint names it, in both directions), a RoleBinding naming a
// namespace, a Namespace.
func generatedNamespaces(t *testing.T) string {
	dir := generatedWithMistakes(t)
	if err := os.Remove(filepath.Join(dir, "nodes.yaml")); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"a/ns.yaml":    "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-a\n",
		"a/local.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local\n  namespace: ns-a\ndata:\n  k: v\n",
		"a/app.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ns-a
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27.3
        envFrom:
        - configMapRef: {name: shared}
        - configMapRef: {name: local}
`,
		"b/shared.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: ns-b\ndata:\n  k: v\n",
		"b/other.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n  namespace: ns-b\ndata:\n  k: v\n",
		"c/rb.yaml": `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read
  namespace: ns-c
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: ServiceAccount, name: app-3, namespace: ns-3}
`,
		"d/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: lost\n  namespace: ns-d\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n",
		// Pod affinity across namespaces: not isolated, so always read.
		"e/affine.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: affine
  namespace: ns-e
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchLabels: {app: app-5}}
        namespaces: [ns-5]
        topologyKey: kubernetes.io/hostname
  containers:
  - {name: w, image: nginx:1.27.3}
`,
		// YAML that is no manifest: read, and pruning stays on.
		"ci/pipeline.yaml": "stages: [build, deploy]\nbuild:\n  script: make\n",
		// Same namespace, other directories, related by a label no name has.
		"g/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: by-role\n  namespace: ns-2\nspec:\n  selector: {role: special}\n  ports:\n  - port: 80\n    targetPort: metrics\n",
		"h/dep.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker-z
  namespace: ns-2
spec:
  selector:
    matchLabels: {role: special}
  template:
    metadata:
      labels: {role: special}
    spec:
      containers:
      - name: w
        image: nginx:1.27.3
        ports:
        - {name: http, containerPort: 8080}
`,
		// Same directory, other namespaces: the nearest pod template.
		"k/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: ksvc\n  namespace: ns-k\nspec:\n  selector: {tier: k-typo}\n  ports:\n  - port: 80\n",
		"k/dep.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kdep
  namespace: ns-k2
spec:
  selector:
    matchLabels: {tier: k-typo}
  template:
    metadata:
      labels: {tier: k-typo}
    spec:
      containers:
      - name: w
        image: nginx:1.27.3
`,
	}
	writeFiles(t, dir, files)
	return dir
}

// generatedWildcard is generatedNamespaces plus a Service without a
// namespace: it selects the pods of every namespace, so the pods it
// selects in another directory and namespace decide whether it selects
// nothing, and with it whether its finding points at the named file's
// pod template beside it. Pruning must be off.
func generatedWildcard(t *testing.T) string {
	dir := generatedNamespaces(t)
	files := map[string]string{
		"q/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: anywhere\nspec:\n  selector: {app: far, tier: web}\n  ports:\n  - port: 80\n",
		"q/near.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: near
  namespace: ns-q
spec:
  selector:
    matchLabels: {app: qx}
  template:
    metadata:
      labels: {app: qx, tier: web}
    spec:
      containers:
      - {name: w, image: nginx:1.27.3}
`,
		"r/far.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: far-away
  namespace: ns-r
spec:
  selector:
    matchLabels: {app: far}
  template:
    metadata:
      labels: {app: far, tier: web}
    spec:
      containers:
      - {name: w, image: nginx:1.27.3}
`,
	}
	writeFiles(t, dir, files)
	return filepath.Dir(dir) // a tree of its own: the parent of generated/
}

// TestPrunedRunMatchesFullRun checks pruning (prune.go) against the full
// run: with the scopes of an earlier run in the cache and a lookup that
// misses (as after an edit of the named file), `k8slint F` for every file
// F of a tree gives exactly the findings of the full run that touch F,
// whatever files it leaves unread. Trees: the article, every rule's
// testdata directory, and generatedNamespaces, where most runs must leave
// files unread (else the test would prove nothing).
func TestPrunedRunMatchesFullRun(t *testing.T) {
	nsTree := generatedNamespaces(t)
	wildTree := generatedWildcard(t)
	time.Sleep(60 * time.Millisecond) // the new files are no longer racy
	missForTest = true
	defer func() { missForTest = false }()
	for _, root := range equivRoots(t, nsTree, wildTree) {
		t.Run(filepath.Base(root), func(t *testing.T) {
			full, err := Run(Options{Paths: []string{root}, Root: root, Jobs: 2})
			if err != nil {
				t.Fatal(err)
			}
			store := cache.Open(t.TempDir())
			// The entry of a full run gives every file's scope.
			if _, err := Run(Options{Paths: []string{root}, Root: root, Jobs: 2, Cache: store}); err != nil {
				t.Fatal(err)
			}
			files := regularFiles(root)
			prunedRuns := 0
			for _, f := range files {
				want := touching(full.Findings, f)
				left := false
				res, err := Run(Options{Paths: []string{f}, Root: root, Jobs: 2, Cache: store,
					Info: func(msg string) { left = left || strings.Contains(msg, "files not read") }})
				if err != nil {
					t.Fatal(err)
				}
				if left {
					prunedRuns++
				}
				got := findingStrings(res.Findings)
				if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
					rel, _ := filepath.Rel(root, f)
					t.Errorf("k8slint %s (pruned: %v):\ngot:\n%s\nwant (the full run's):\n%s", rel, left, g, w)
				}
			}
			if root == nsTree && prunedRuns < len(files)/2 {
				t.Errorf("only %d of %d named runs left files unread", prunedRuns, len(files))
			}
			if root == wildTree && prunedRuns > 0 {
				t.Errorf("%d named runs left files unread beside an object without a namespace", prunedRuns)
			}
			t.Logf("%d of %d named runs left files unread", prunedRuns, len(files))
		})
	}
}

// TestPruneNewFileWithoutNamespace: a file added after the entry was
// written has no scope in it; read ahead, its object without a namespace
// turns pruning off for that run, and the findings are the full run's.
func TestPruneNewFileWithoutNamespace(t *testing.T) {
	root := generatedNamespaces(t)
	store := cache.Open(t.TempDir())
	time.Sleep(60 * time.Millisecond)
	if _, err := Run(Options{Paths: []string{root}, Root: root, Jobs: 2, Cache: store}); err != nil {
		t.Fatal(err)
	}
	// Beside the named file's pod template (team-001/app-00001.yaml, app-1
	// in ns-1), a Service of no namespace that selects pods of app-1 but
	// with a label they lack: its nearest pod template is the named file's.
	writeFiles(t, root, map[string]string{
		"team-001/any.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: any\nspec:\n  selector: {app: app-1, role: x}\n  ports:\n  - port: 80\n",
	})
	time.Sleep(60 * time.Millisecond)
	full, err := Run(Options{Paths: []string{root}, Root: root, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	missForTest = true
	defer func() { missForTest = false }()
	named := filepath.Join(root, "team-001", "app-00001.yaml")
	var notes []string
	res, err := Run(Options{Paths: []string{named}, Root: root, Jobs: 2, Cache: store, Info: func(m string) { notes = append(notes, m) }})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(notes, "\n")
	if !strings.Contains(all, "every file read: ") || !strings.Contains(all, "any.yaml has an object without a namespace") {
		t.Errorf("the run did not say why it read every file:\n%s", all)
	}
	got := findingStrings(res.Findings)
	if g, w := strings.Join(got, "\n"), strings.Join(touching(full.Findings, named), "\n"); g != w {
		t.Errorf("got:\n%s\nwant (the full run's):\n%s", g, w)
	}
}
