package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/k8slint/k8slint/internal/cache"
	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/rules"
)

// TestCachedRunMatchesFullRun extends TestNamedFileMatchesFullRun to the
// cache: through a series of edits (the named file, another file that
// affects it — a Service's selector, a ConfigMap, a Node, a .dockerignore —,
// a file deleted, a file added, the configuration changed), every file
// named with the cache on gives exactly the findings of an uncached full
// run that touch it, the first time (written to the cache) and the second
// (read from it: the test counts the hits, so that it proves something).
func TestCachedRunMatchesFullRun(t *testing.T) {
	root := generatedWithMistakes(t)
	if err := os.CopyFS(filepath.Join(root, "article"), os.DirFS(filepath.Join("..", "..", "testdata", "article"))); err != nil {
		t.Fatal(err)
	}
	store := cache.Open(t.TempDir())
	hits := 0
	info := func(msg string) {
		if strings.HasPrefix(msg, "findings from the cache") {
			hits++
		}
	}
	write := func(rel, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, rel), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit := func(rel, old, new string) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), old) {
			t.Fatalf("%s has no %q", rel, old)
		}
		write(rel, strings.Replace(string(data), old, new, 1))
	}
	check := func(step string, mod func(*Options)) {
		t.Helper()
		// Directories changed within the last 50 ms are racy: no entry
		// would be written (TestCacheRacy covers that).
		time.Sleep(60 * time.Millisecond)
		base := Options{Paths: []string{root}, Root: root, Jobs: 2}
		if mod != nil {
			mod(&base)
		}
		full, err := Run(base)
		if err != nil {
			t.Fatal(err)
		}
		files := regularFiles(root)
		hits = 0
		for pass := range 2 {
			for _, f := range files {
				want := touching(full.Findings, f)
				opts := base
				opts.Paths, opts.Cache, opts.Info = []string{f}, store, info
				res, err := Run(opts)
				if err != nil {
					t.Fatal(err)
				}
				got := findingStrings(res.Findings)
				if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
					rel, _ := filepath.Rel(root, f)
					t.Errorf("%s: pass %d: k8slint %s:\ngot:\n%s\nwant (the full run's):\n%s", step, pass, rel, g, w)
				}
			}
		}
		if hits < len(files) {
			t.Errorf("%s: %d cache hits in the second pass over %d files, want all", step, hits, len(files))
		}
		// The full run through the cache, written then read.
		hits = 0
		for pass := range 2 {
			if pass == 1 {
				hits = 0
			}
			opts := base
			opts.Cache, opts.Info = store, info
			res, err := Run(opts)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := joined(res.Findings), joined(full.Findings); g != w {
				t.Errorf("%s: pass %d: the full run through the cache:\ngot:\n%s\nwant:\n%s", step, pass, g, w)
			}
			if res.Files != full.Files || res.Unreadable != full.Unreadable || res.Suppressed != full.Suppressed {
				t.Errorf("%s: pass %d: files %d, unreadable %d, suppressed %d; want %d, %d, %d", step, pass,
					res.Files, res.Unreadable, res.Suppressed, full.Files, full.Unreadable, full.Suppressed)
			}
		}
		if hits != 1 {
			t.Errorf("%s: the second full run through the cache was not a hit (%d hits)", step, hits)
		}
	}

	check("initial", nil)
	edit("team-000/app-00000.yaml", "value: info", "value: 2")
	check("the named file edited", nil)
	write("other/svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  selector: {app: app-1}\n  ports:\n  - port: 80\n    targetPort: http-missing\n")
	check("a Service added in another file", nil)
	edit("other/svc.yaml", "app: app-1", "app: app-5")
	check("its selector changed", nil)
	write("other/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: missing-cm\ndata:\n  KEY: v\n")
	check("the missing ConfigMap added", nil)
	edit("nodes.yaml", `cpu: "4"`, `cpu: "128"`)
	check("a Node edited", nil)
	edit("article/.dockerignore", "\n", "\ncode\n")
	check("a .dockerignore edited", nil)
	if err := os.Remove(filepath.Join(root, "other", "cm.yaml")); err != nil {
		t.Fatal(err)
	}
	check("the ConfigMap deleted", nil)
	if err := os.RemoveAll(filepath.Join(root, "other")); err != nil {
		t.Fatal(err)
	}
	check("a directory deleted", nil)
	check("the configuration changed: severities", func(o *Options) {
		o.Severity = map[string]diag.Severity{}
		for _, r := range rules.All() {
			o.Severity[r.ID] = diag.Info
		}
	})
	check("the configuration changed: one rule", func(o *Options) { o.Rules = []*rules.Rule{rules.EnvValueNotString} })
	check("the configuration back", nil)
}

func joined(fs []diag.Finding) string {
	var s []string
	for _, f := range fs {
		s = append(s, findingString(f))
	}
	return strings.Join(s, "\n")
}

// TestCacheRacy: a file rewritten with the same size within the clock
// tick of the run that cached it keeps its stat; its content tells.
func TestCacheRacy(t *testing.T) {
	dir := writeTree(t, map[string]string{".git/HEAD": "x\n", "pod.yaml": podWithBadEnv})
	store := cache.Open(t.TempDir())
	pod := filepath.Join(dir, "pod.yaml")
	hits := 0
	run := func() string {
		res, err := Run(Options{Paths: []string{pod}, Root: dir, Cache: store, Info: func(msg string) {
			if strings.HasPrefix(msg, "findings from the cache") {
				hits++
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		return joined(res.Findings)
	}
	rewrite := func(content string) {
		if err := os.WriteFile(pod, []byte(content), 0o644); err != nil { // in place: the directory is unchanged
			t.Fatal(err)
		}
	}
	time.Sleep(60 * time.Millisecond) // the directories are no longer racy
	rewrite(podWithBadEnv)            // the file is
	bad := run()
	if bad == "" {
		t.Fatal("no finding in the bad pod")
	}
	if run(); hits != 1 {
		t.Fatalf("the racy file was not cached by its content (%d hits)", hits)
	}
	good := strings.Replace(podWithBadEnv, "value: 1}", `value: "1"}`, 1)
	if len(good) != len(podWithBadEnv)+2 {
		t.Fatal(len(good), len(podWithBadEnv))
	}
	good = strings.Replace(good, "busybox:1.36", "busybox:1", 1) // the same size again
	for range 3 {
		rewrite(good)
		if got := run(); got != "" {
			t.Errorf("after a same-size rewrite: %s", got)
		}
		rewrite(podWithBadEnv)
		if got := run(); got != bad {
			t.Errorf("after writing it back: %q, want %q", got, bad)
		}
	}
}
