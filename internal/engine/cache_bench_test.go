package engine

import (
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/cache"
	"github.com/k8slint/k8slint/internal/gencorpus"
)

// BenchmarkGenerated10kNamedFileCached is BenchmarkGenerated10kNamedFile
// served from the findings cache (issue 14 point 2): the entry is written
// once outside the timer; each run loads it and stats every directory and
// file of the project.
func BenchmarkGenerated10kNamedFileCached(b *testing.B) {
	root, err := gencorpus.Cached(10000, 100)
	if err != nil {
		b.Fatal(err)
	}
	f := filepath.Join(root, "team-000", "app-00000.yaml")
	opts := Options{Paths: []string{f}, Root: root, Cache: cache.Open(b.TempDir())}
	hit := false
	opts.Info = func(msg string) { hit = hit || len(msg) > 9 && msg[:9] == "findings " }
	if _, err := Run(opts); err != nil {
		b.Fatal(err)
	}
	benchRun(b, opts, 1)
	if !hit {
		b.Fatal("the runs were not served from the cache")
	}
}

// BenchmarkGenerated10kNamedFileCacheMiss is the cold run with the cache
// on: loaded as without it, and the entry written (each run into an empty
// cache directory). Its ratio to BenchmarkGenerated10kNamedFile is what
// the cache costs a run it cannot serve.
func BenchmarkGenerated10kNamedFileCacheMiss(b *testing.B) {
	root, err := gencorpus.Cached(10000, 100)
	if err != nil {
		b.Fatal(err)
	}
	f := filepath.Join(root, "team-000", "app-00000.yaml")
	opts := Options{Paths: []string{f}, Root: root, Cache: cache.Open(b.TempDir())}
	benchRunEach(b, func() Options {
		_, _ = cache.Clean(opts.Cache.Dir)
		return opts
	})
}

// benchRunEach is benchRun with options made afresh (outside the timer) for
// each run.
func benchRunEach(b *testing.B, next func() Options) {
	b.Helper()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(512 << 20))
	var cpu int64
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		opts := next()
		b.StartTimer()
		c0 := cpuTime()
		if _, err := Run(opts); err != nil {
			b.Fatal(err)
		}
		cpu += int64(cpuTime() - c0)
	}
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkGenerated10kNamedFilePruned is the named-file run after an edit
// of that file (issue 14 point 2): the entry of a full run is there, the
// lookup misses, and the run reads only the files whose scope may matter
// to the named file (prune.go): the 1,000 files of its namespace.
func BenchmarkGenerated10kNamedFilePruned(b *testing.B) {
	root, err := gencorpus.Cached(10000, 100)
	if err != nil {
		b.Fatal(err)
	}
	store := cache.Open(b.TempDir())
	if _, err := Run(Options{Paths: []string{root}, Root: root, Cache: store}); err != nil {
		b.Fatal(err)
	}
	f := filepath.Join(root, "team-000", "app-00000.yaml")
	opts := Options{Paths: []string{f}, Root: root, Cache: store}
	left := ""
	opts.Info = func(msg string) {
		if strings.Contains(msg, "files not read") {
			left = msg
		}
	}
	missForTest = true
	defer func() { missForTest = false }()
	benchRun(b, opts, 1)
	if !strings.HasPrefix(left, "9000 of 10000 files not read") {
		b.Fatalf("pruning: %q", left)
	}
}
