package workspace

import (
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// IsKustomizePatch reports whether file is listed by a kustomization of the
// tree under patches, patchesStrategicMerge or patchesJson6902: a partial
// object that only means something once kustomize has applied it.
func (ws *Workspace) IsKustomizePatch(file string) bool {
	ws.patchesOnce.Do(func() {
		ws.patches = map[string]bool{}
		for _, k := range ws.Kustomizations {
			dir := filepath.Dir(k.Path)
			add := func(p string) {
				if p == "" || strings.ContainsAny(p, "\n") {
					return // an inline patch
				}
				if !filepath.IsAbs(p) {
					p = filepath.Join(dir, filepath.FromSlash(p))
				}
				ws.patches[filepath.Clean(p)] = true
			}
			for _, key := range []string{"patches", "patchesStrategicMerge", "patchesJson6902"} {
				for _, it := range k.Root.Get(key).Items() {
					if it.Kind() == yamlx.Scalar {
						add(it.Value())
					} else {
						add(it.Get("path").Str())
					}
				}
			}
		}
	})
	return ws.patches[filepath.Clean(file)]
}
