package apischema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/gencorpus"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
)

// BenchmarkWalk10k is the structure walk alone over the objects of the
// generated 10k-file tree (loading is outside the timer).
func BenchmarkWalk10k(b *testing.B) {
	root, err := gencorpus.Cached(10000, 100)
	if err != nil {
		b.Fatal(err)
	}
	var paths []string
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			paths = append(paths, p)
		}
		return nil
	})
	bld := workspace.NewBuilder(workspace.Settings{}, paths)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		bld.AddManifest(load.LoadManifest(p, data))
	}
	ws := bld.Build()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res := compute(ws)
		if len(res.Problems) != 0 {
			b.Fatalf("%d problems on the generated tree", len(res.Problems))
		}
	}
	b.ReportMetric(float64(len(ws.Objects)), "objects")
}
