package engine

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/k8slint/k8slint/internal/gencorpus"
)

// The benchmarks run the whole pipeline (discover, load, workspace, all
// rules, sort) over the generated corpus and over ../shared/corpus. The
// generated trees are cached under os.TempDir() (see gencorpus.Cached).
// `make bench` runs them with -benchmem; docs/performance.md has the figures.

func benchGenerated(b *testing.B, files, dirs int) {
	root, err := gencorpus.Cached(files, dirs)
	if err != nil {
		b.Fatal(err)
	}
	benchRun(b, Options{Paths: []string{root}}, files)
}

// benchRun times whole runs as the k8slint process makes them: with no
// collection below 512 MiB of heap (internal/cli/gc.go); the heap is
// collected between runs, outside the timer. cpu-ns/op is the process CPU
// time of the runs alone.
func benchRun(b *testing.B, opts Options, wantFiles int) {
	b.Helper()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(512 << 20))
	b.ReportAllocs()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		b.StartTimer()
		c0 := cpuTime()
		res, err := Run(opts)
		cpu += cpuTime() - c0
		if err != nil {
			b.Fatal(err)
		}
		if wantFiles > 0 && res.Files != wantFiles {
			b.Fatalf("%d files linted, want %d", res.Files, wantFiles)
		}
	}
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkGenerated10kFiles100Dirs(b *testing.B) { benchGenerated(b, 10000, 100) }
func BenchmarkGenerated20kFiles200Dirs(b *testing.B) { benchGenerated(b, 20000, 200) }
func BenchmarkGenerated10kFiles1Dir(b *testing.B)    { benchGenerated(b, 10000, 1) }

// corpusDir returns ../shared/corpus, or skips.
func corpusDir(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(dir, "SOURCES.tsv")); err != nil {
		tb.Skip("../shared/corpus is absent; skipping")
	}
	return dir
}

// corpusFiles lists the corpus files of the given SOURCES.tsv types (skipping when the corpus is absent).
func corpusFiles(tb testing.TB, types ...string) []string {
	tb.Helper()
	corpusDir(tb)
	return corpusList(types...)
}

// corpusList lists the corpus files of the given SOURCES.tsv types (nil when the corpus is absent).
func corpusList(types ...string) []string {
	dir := filepath.Join("..", "..", "..", "shared", "corpus")
	f, err := os.Open(filepath.Join(dir, "SOURCES.tsv"))
	if err != nil {
		return nil
	}
	defer func() { _ = f.Close() }()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 {
			continue
		}
		for _, t := range types {
			if cols[4] == t {
				out = append(out, filepath.Join(dir, cols[0]))
			}
		}
	}
	return out
}

// BenchmarkCorpus lints the whole of ../shared/corpus (placeholders included, as a user would).
func BenchmarkCorpus(b *testing.B) {
	benchRun(b, Options{Paths: []string{corpusDir(b)}}, 0)
}

// BenchmarkCorpusDockerfiles lints every real Dockerfile of the corpus with
// its build context (the walked tree) and its ignore files.
func BenchmarkCorpusDockerfiles(b *testing.B) {
	dfs := corpusFiles(b, "dockerfile", "dockerignore")
	benchRun(b, Options{Paths: append([]string{corpusDir(b)}, dfs...), Excludes: []string{"**/*.{yaml,yml,json,conf}"}}, 0)
}

// BenchmarkGenerated10kNamedFile names one manifest of the 10k-file tree
// (its project root), as a pre-commit hook does: the project is loaded, the
// findings of the named file are kept.
func BenchmarkGenerated10kNamedFile(b *testing.B) {
	root, err := gencorpus.Cached(10000, 100)
	if err != nil {
		b.Fatal(err)
	}
	f := filepath.Join(root, "team-000", "app-00000.yaml")
	benchRun(b, Options{Paths: []string{f}, Root: root}, 1)
}

// BenchmarkGenerated10kJobs1 is BenchmarkGenerated10kFiles100Dirs with
// -j 1 and one processor: the ratio of the two is the parallel speed-up.
func BenchmarkGenerated10kJobs1(b *testing.B) {
	root, err := gencorpus.Cached(10000, 100)
	if err != nil {
		b.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	benchRun(b, Options{Paths: []string{root}, Jobs: 1}, 10000)
}
