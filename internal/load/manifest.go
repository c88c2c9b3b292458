// Package load parses input files into position-carrying models: Kubernetes
// manifests (YAML/JSON), Dockerfiles, .dockerignore files and MongoDB/Redis
// configs. Loaders never judge content; they only read it and report what
// cannot be read.
package load

import (
	"bytes"
	"regexp"

	"github.com/k8slint/k8slint/internal/yamlx"
)

// Problem is a file that could not be read or parsed, at a file position.
type Problem struct {
	Line, Column int
	Msg          string
}

// ManifestFile is a YAML or JSON file with Kubernetes objects.
type ManifestFile struct {
	Path string
	Docs []yamlx.Document
	// NotManifest is set when no document has apiVersion and kind (compose
	// files, CI configs, Helm values...): such a file is skipped silently.
	NotManifest bool
	// Problems are syntax errors of documents that look like manifests.
	Problems []Problem
	// Suppressions are the file's k8slint:ignore comments.
	Suppressions []Suppression
}

var manifestKeysRe = regexp.MustCompile(`(?m)^\s*"?apiVersion"?\s*:`)
var kindKeyRe = regexp.MustCompile(`(?m)^\s*"?kind"?\s*:`)

// LooksLikeManifest is a textual test used for files that do not parse: a
// broken file is reported only when it has apiVersion and kind keys.
func LooksLikeManifest(data []byte) bool {
	return manifestKeysRe.Match(data) && kindKeyRe.Match(data)
}

// LoadManifest parses a YAML/JSON stream. data must already be normalized (see yamlx.Normalize).
func LoadManifest(path string, data []byte) *ManifestFile { return loadManifest(path, data, false) }

// LoadManifestOwned is LoadManifest for a buffer that the caller hands over
// and never modifies again: the tree's strings point into it (no copy).
func LoadManifestOwned(path string, data []byte) *ManifestFile { return loadManifest(path, data, true) }

func loadManifest(path string, data []byte, owned bool) *ManifestFile {
	mf := &ManifestFile{Path: path, Suppressions: ScanSuppressions(data, YAMLComments)}
	if len(bytes.TrimSpace(data)) == 0 {
		mf.NotManifest = true
		return mf
	}
	if owned {
		mf.Docs = yamlx.ParseStreamOwned(data)
	} else {
		mf.Docs = yamlx.ParseStream(data)
	}
	hasObject := false
	for _, d := range mf.Docs {
		if d.Root != nil && d.Root.Get("apiVersion") != nil && d.Root.Get("kind") != nil {
			hasObject = true
		}
	}
	if !hasObject && !LooksLikeManifest(data) {
		mf.NotManifest = true
		return mf
	}
	for _, d := range mf.Docs {
		if d.Err != nil {
			mf.Problems = append(mf.Problems, Problem{Line: d.Err.Line, Column: d.Err.Column, Msg: d.Err.Msg})
		}
	}
	return mf
}
