package workspace

import (
	"path/filepath"

	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// The same code as the refs branch's units.go (Kustomization,
// IsKustomizationFile, addKustomization): the API-structure rules need the
// kustomization files to leave kustomize patches alone. At merge, keep one.

// Kustomization is a kustomization.yaml (or kustomization.yml, Kustomization)
// file of the tree, as written (not rendered).
type Kustomization struct {
	Path string
	Root *yamlx.Node
}

// IsKustomizationFile reports whether a file name is one kustomize reads.
func IsKustomizationFile(path string) bool {
	switch filepath.Base(path) {
	case "kustomization.yaml", "kustomization.yml", "Kustomization":
		return true
	}
	return false
}

// addKustomization keeps a kustomization file's first mapping document.
func (b *Builder) addKustomization(mf *load.ManifestFile) {
	if !IsKustomizationFile(mf.Path) {
		return
	}
	for _, d := range mf.Docs {
		if d.Root != nil && d.Root.Kind == yamlx.Mapping {
			b.ws.Kustomizations = append(b.ws.Kustomizations, &Kustomization{Path: mf.Path, Root: d.Root})
			return
		}
	}
}
