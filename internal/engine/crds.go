package engine

import (
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// loadCRDs reads the CustomResourceDefinition manifests that .k8slint.yaml's
// crds: names (files, or directories walked for .yaml, .yml and .json
// files; links are not followed): schemas for the tree's custom
// resources, never linted. What cannot be read is a verbose note.
func loadCRDs(paths []string, maxSize int64, info func(string)) []workspace.CRDDoc {
	var out []workspace.CRDDoc
	read := func(path string) {
		data, _, err := readFile(path, maxSize)
		if err != nil || data == nil {
			info(path + ": crds: not read")
			return
		}
		for _, d := range yamlx.ParseStream(data) {
			if d.Root != nil && d.Root.Get("kind").Str() == "CustomResourceDefinition" {
				out = append(out, workspace.CRDDoc{File: path, Root: d.Root})
			}
		}
	}
	for _, p := range paths {
		_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			switch {
			case d.IsDir() || d.Type()&fs.ModeSymlink != 0 && path != p:
				return nil
			case path == p:
				read(path)
			case strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml") || strings.HasSuffix(path, ".json"):
				read(path)
			}
			return nil
		})
	}
	return out
}
