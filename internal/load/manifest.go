// Package load parses input files into position-carrying models: Kubernetes
// manifests (YAML/JSON), Dockerfiles, .dockerignore files and MongoDB/Redis
// configs. Loaders never judge content; they only read it and report what
// cannot be read.
package load

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

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
	// files, CI configs, Helm values...) and the file parses, or does not
	// but is no Kubernetes file by its name or content (NotKubernetesName,
	// binary): such a file is skipped silently.
	NotManifest bool
	// Problems are syntax errors of documents that look like manifests.
	Problems []Problem
	// Suppressions are the file's k8slint:ignore comments.
	Suppressions []Suppression
	// NoIgnoreAnnotation is set when no object of the file can carry the
	// k8slint.io/ignore annotation: its text has neither that name nor a
	// backslash (an escape in a double-quoted scalar is the only other way
	// to write the key; aliases and merges copy text of the same file).
	NoIgnoreAnnotation bool
}

// IgnoreAnnotation is the annotation that suppresses findings on an
// object or pod template.
const IgnoreAnnotation = "k8slint.io/ignore"

// manifestKeysRe and kindKeyRe are compiled on first use (a file that does
// not parse), not at start-up.
var manifestKeysRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^\s*"?apiVersion"?\s*:`) })
var kindKeyRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^\s*"?kind"?\s*:`) })

// LooksLikeManifest is a textual test: apiVersion and kind keys at the
// start of lines. A broken file that passes it is always reported, even
// under a name NotKubernetesName knows.
func LooksLikeManifest(data []byte) bool {
	return manifestKeysRe().Match(data) && kindKeyRe().Match(data)
}

// LoadManifest parses a YAML/JSON stream. data must already be normalized (see yamlx.Normalize).
func LoadManifest(path string, data []byte) *ManifestFile { return loadManifest(path, data, false) }

// LoadManifestOwned is LoadManifest for a buffer that the caller hands over
// and never modifies again: the tree's strings point into it (no copy).
func LoadManifestOwned(path string, data []byte) *ManifestFile { return loadManifest(path, data, true) }

func loadManifest(path string, data []byte, owned bool) *ManifestFile {
	mf := &ManifestFile{Path: path, Suppressions: ScanSuppressions(data, YAMLComments),
		NoIgnoreAnnotation: !bytes.Contains(data, []byte(IgnoreAnnotation)) && bytes.IndexByte(data, '\\') < 0}
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
	// A file that does not parse is reported unless it is clearly no
	// Kubernetes file: by its name (NotKubernetesName), or binary (NUL
	// bytes: an encrypted git-crypt or sops file, an image).
	if !hasObject && !LooksLikeManifest(data) && (!failed(mf.Docs) || NotKubernetesName(path) || bytes.IndexByte(data, 0) >= 0) {
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

func failed(docs []yamlx.Document) bool {
	for _, d := range docs {
		if d.Err != nil {
			return true
		}
	}
	return false
}

// notKubernetesNames are base names (lower case) of YAML and JSON files that
// other tools own: a file so named that does not parse is not reported.
var notKubernetesNames = map[string]bool{
	"package.json": true, "package-lock.json": true, "composer.json": true, "composer.lock": true,
	"tsconfig.json": true, "jsconfig.json": true, "bower.json": true, "manifest.json": true,
	"renovate.json": true, ".renovaterc.json": true, "lerna.json": true, "nx.json": true,
	"angular.json": true, "project.json": true, "app.json": true, "vercel.json": true, "netlify.json": true,
	"devcontainer.json": true, ".devcontainer.json": true, "launch.json": true, "settings.json": true,
	"tasks.json": true, "extensions.json": true, "pyrightconfig.json": true, "deno.json": true,
	"biome.json": true, "turbo.json": true, "firebase.json": true, "appsettings.json": true,
	"pnpm-lock.yaml": true, "pnpm-workspace.yaml": true, ".yarnrc.yml": true,
	"docker-compose.yml": true, "docker-compose.yaml": true, "compose.yml": true, "compose.yaml": true,
	".gitlab-ci.yml": true, ".travis.yml": true, "appveyor.yml": true, ".appveyor.yml": true,
	"azure-pipelines.yml": true, "bitbucket-pipelines.yml": true, "cloudbuild.yaml": true, "cloudbuild.yml": true,
	".drone.yml": true, ".pre-commit-config.yaml": true, ".pre-commit-hooks.yaml": true,
	".golangci.yml": true, ".golangci.yaml": true, ".goreleaser.yml": true, ".goreleaser.yaml": true,
	"codecov.yml": true, ".codecov.yml": true, "mkdocs.yml": true, "_config.yml": true,
	".yamllint": true, ".yamllint.yml": true, ".yamllint.yaml": true, "dependabot.yml": true,
	".readthedocs.yml": true, ".readthedocs.yaml": true, "environment.yml": true, "environment.yaml": true,
	"openapi.yaml": true, "openapi.yml": true, "openapi.json": true, "swagger.yaml": true, "swagger.yml": true, "swagger.json": true,
	"pubspec.yaml": true, "serverless.yml": true, "serverless.yaml": true, "app.yaml": true, "snapcraft.yaml": true,
	".markdownlint.json": true, ".markdownlint.yaml": true, "citation.cff": true,
}

// NotKubernetesName reports whether a YAML or JSON file is, by its name or
// directory, clearly not a Kubernetes manifest: package and editor files,
// CI and compose files, Ansible roles and playbooks. A file that does not
// parse is reported (parse-error) unless NotKubernetesName says so.
func NotKubernetesName(path string) bool {
	base := strings.ToLower(filepath.Base(path))
	if notKubernetesNames[base] {
		return true
	}
	switch {
	case strings.HasPrefix(base, "tsconfig.") || strings.HasPrefix(base, ".eslintrc") || strings.HasPrefix(base, ".prettierrc") ||
		strings.HasPrefix(base, ".babelrc") || strings.HasPrefix(base, ".stylelintrc") || strings.HasPrefix(base, "docker-compose") ||
		strings.HasPrefix(base, "compose.") || strings.HasSuffix(base, ".schema.json") || strings.HasSuffix(base, ".tmlanguage.json"),
		// Helm values and chart metadata (values files hold templates' inputs, often templated themselves)
		strings.HasPrefix(base, "values") || base == "chart.yaml" || base == "chart.lock",
		// CI configurations
		base == "ci.yml" || base == "ci.yaml" || base == ".ci.yml" || base == "build.yml" || base == "build.yaml":
		return true
	}
	slash := "/" + filepath.ToSlash(strings.ToLower(filepath.Dir(path))) + "/"
	for _, d := range []string{"/.github/", "/.circleci/", "/.vscode/", "/.idea/", "/.devcontainer/", "/node_modules/",
		"/tasks/", "/handlers/", "/playbooks/", "/group_vars/", "/host_vars/", "/vars/", "/defaults/", "/meta/", "/molecule/"} {
		if strings.Contains(slash, d) {
			return true
		}
	}
	return false
}
