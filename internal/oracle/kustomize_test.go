package oracle

import (
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"
)

// kustomizePatches returns the files under root that a kustomization lists
// as patches (patches, patchesStrategicMerge, patchesJson6902): partial
// objects that are merged into a base, never applied alone, so the oracle
// does not judge them (issue 9: they are checked after rendering).
func kustomizePatches(root string) map[string]bool {
	out := map[string]bool{}
	_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		switch d.Name() {
		case "kustomization.yaml", "kustomization.yml", "Kustomization":
		default:
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		var k struct {
			Patches               []any    `json:"patches"`
			PatchesStrategicMerge []string `json:"patchesStrategicMerge"`
			PatchesJSON6902       []struct {
				Path string `json:"path"`
			} `json:"patchesJson6902"`
		}
		if yaml.Unmarshal(data, &k) != nil {
			return nil
		}
		dir := filepath.Dir(path)
		add := func(p string) {
			// an inline patch (a YAML document, not a path) names no file
			if p != "" && !strings.Contains(p, "\n") {
				out[filepath.Clean(filepath.Join(dir, p))] = true
			}
		}
		for _, p := range k.Patches {
			switch p := p.(type) {
			case string:
				add(p)
			case map[string]any:
				s, _ := p["path"].(string)
				add(s)
			}
		}
		for _, p := range k.PatchesStrategicMerge {
			add(p)
		}
		for _, p := range k.PatchesJSON6902 {
			add(p.Path)
		}
		return nil
	})
	return out
}
