package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Build-context shapes that were quadratic (issue 14 point 1, issue 15 §4):
// each is generated at a size n; the hostile table runs the larger size, the
// benchmarks two sizes a factor 4 apart.

func writeN(t testing.TB, dir, name string, data string) {
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sharedContext: Dockerfiles that share one context of files and ignore
// patterns, all scaled together (k = 1: 50 Dockerfiles, 2k files, 101 patterns).
func sharedContext(t testing.TB, dir string, k int) {
	var ig strings.Builder
	ig.WriteString("*.log\n")
	for i := range 100 * k {
		fmt.Fprintf(&ig, "tmp%d/**\n", i)
	}
	writeN(t, dir, "ctx/.dockerignore", ig.String())
	for i := range 2000 * k {
		writeN(t, dir, fmt.Sprintf("ctx/src/d%d/f%d.go", i%(20*k), i), "")
	}
	for i := range 50 * k {
		writeN(t, dir, fmt.Sprintf("ctx/Dockerfile.s%d", i), fmt.Sprintf("FROM golang:1.26\nCOPY src/d%d/ /app/\nCOPY src/d*/f%d.go /app/\nCOPY missing%d.txt /app/\nCOPY . /src/\n", i%(20*k), i, i))
	}
}

// manyMissing: one COPY with n distinct sources that do not exist, in a
// context of n/2 files.
func manyMissing(t testing.TB, dir string, n int) {
	var b strings.Builder
	b.WriteString("FROM alpine:3.20\nCOPY \\\n")
	for i := range n {
		fmt.Fprintf(&b, "  Missing/m%d.txt \\\n", i)
	}
	b.WriteString("  /app/\n")
	writeN(t, dir, "missing/Dockerfile", b.String())
	// A context of n/2 files, each asked for a case variant of every source.
	for i := range n / 2 {
		writeN(t, dir, fmt.Sprintf("missing/present/p%d.txt", i), "")
	}
}

// manyGlobs: one COPY with n wildcard sources over n/4 files.
func manyGlobs(t testing.TB, dir string, n int) {
	var b strings.Builder
	b.WriteString("FROM alpine:3.20\nCOPY \\\n")
	for i := range n {
		fmt.Fprintf(&b, "  src/f-%d-*.txt \\\n", i)
	}
	b.WriteString("  /app/\n")
	writeN(t, dir, "globs/Dockerfile", b.String())
	for i := range n / 4 {
		writeN(t, dir, fmt.Sprintf("globs/src/f-%d-a.txt", i), "")
	}
}

// manyIgnored: an ignore file of p patterns and one COPY of n sources it
// excludes (issue 15: 10,000 patterns, 1,000 sources).
func manyIgnored(t testing.TB, dir string, p, n int) {
	var ig strings.Builder
	for i := range p {
		fmt.Fprintf(&ig, "f%d\n", i)
	}
	writeN(t, dir, "ignored/.dockerignore", ig.String())
	var b strings.Builder
	b.WriteString("FROM alpine:3.20\nCOPY \\\n")
	for i := range n {
		fmt.Fprintf(&b, "  f%d \\\n", i)
		writeN(t, dir, fmt.Sprintf("ignored/f%d", i), "")
	}
	b.WriteString("  /app/\n")
	writeN(t, dir, "ignored/Dockerfile", b.String())
}

// argBomb: ARG A1=${A0}${A0} ... A40, then a COPY that uses A40.
func argBomb(t testing.TB, dir string) {
	var b strings.Builder
	b.WriteString("FROM alpine:3.20\nARG A0=xxxxxxxxxxxxxxxx\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "ARG A%d=${A%d}${A%d}\n", i, i-1, i-1)
	}
	b.WriteString("COPY ${A40} /app/\nCOPY /abs /app/\n")
	writeN(t, dir, "bomb/Dockerfile", b.String())
}

// chainedStages: n stages, each built on the previous one, adding one ENV.
func chainedStages(t testing.TB, dir string, n int) {
	var b strings.Builder
	b.WriteString("FROM alpine:3.20 AS s0\nENV V0=v\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "FROM s%d AS s%d\nENV V%d=${V%d}\n", i-1, i, i, i-1)
	}
	b.WriteString("COPY ${V" + fmt.Sprint(n-1) + "}/missing.txt /app/\n")
	writeN(t, dir, "stages/Dockerfile", b.String())
}

func benchShape(b *testing.B, setup func(tb testing.TB, dir string)) {
	dir := b.TempDir()
	setup(b, dir)
	benchRun(b, Options{Paths: []string{dir}}, 0)
}

func BenchmarkContextShared1x(b *testing.B) {
	benchShape(b, func(tb testing.TB, d string) { sharedContext(tb, d, 1) })
}
func BenchmarkContextShared4x(b *testing.B) {
	benchShape(b, func(tb testing.TB, d string) { sharedContext(tb, d, 4) })
}
func BenchmarkCopyMissing2500(b *testing.B) {
	benchShape(b, func(tb testing.TB, d string) { manyMissing(tb, d, 2500) })
}
func BenchmarkCopyMissing10k(b *testing.B) {
	benchShape(b, func(tb testing.TB, d string) { manyMissing(tb, d, 10000) })
}
func BenchmarkCopyGlobs2500(b *testing.B) {
	benchShape(b, func(tb testing.TB, d string) { manyGlobs(tb, d, 2500) })
}
func BenchmarkCopyGlobs10k(b *testing.B) {
	benchShape(b, func(tb testing.TB, d string) { manyGlobs(tb, d, 10000) })
}
func BenchmarkCopyIgnored2500x250(b *testing.B) {
	benchShape(b, func(tb testing.TB, d string) { manyIgnored(tb, d, 2500, 250) })
}
func BenchmarkCopyIgnored10kx1k(b *testing.B) {
	benchShape(b, func(tb testing.TB, d string) { manyIgnored(tb, d, 10000, 1000) })
}
func BenchmarkChainedStages3k(b *testing.B) {
	benchShape(b, func(tb testing.TB, d string) { chainedStages(tb, d, 3000) })
}
func BenchmarkChainedStages12k(b *testing.B) {
	benchShape(b, func(tb testing.TB, d string) { chainedStages(tb, d, 12000) })
}
