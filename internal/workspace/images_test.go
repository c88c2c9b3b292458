package workspace

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/k8slint/k8slint/internal/load"
)

func TestImageName(t *testing.T) {
	for in, want := range map[string]string{
		"redis": "redis", "redis:7": "redis", "docker.io/library/redis:7@sha256:ab": "redis",
		"example.com:5000/team/app:1.2": "example.com:5000/team/app", "Example.com/App": "example.com/app",
		"app:${TAG}": "", "": "",
	} {
		if got := ImageName(in); got != want {
			t.Errorf("ImageName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestImageBuildOf(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"skaffold.yaml": "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n  - image: example.com/a\n    context: a\n  - image: example.com/jib\n    context: a\n    jib: {}\n" +
			"profiles:\n- name: p\n  build:\n    artifacts:\n    - image: example.com/k\n      context: k\n      kaniko: {dockerfile: Dockerfile.k}\n",
		"compose.yaml":   "services:\n  b: {image: \"example.com/b:${TAG:-1}\", build: ./b}\n  c: {image: example.com/c, build: {context: b, dockerfile: ../a/Dockerfile}}\n  d: {image: example.com/d, build: ./a}\n  d2: {image: example.com/d, build: ./b}\n  e: {image: \"example.com/${NAME}\", build: ./a}\n  f: {build: ./a}\n  g: {image: \"redis:7\", build: ./b}\n",
		"a/Dockerfile":   "FROM x\n",
		"b/Dockerfile":   "FROM x\n",
		"k/Dockerfile.k": "FROM x\n",
	}
	b := NewBuilder(Settings{}, nil)
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(name) {
		case ".yaml":
			b.AddManifest(load.LoadManifest(p, []byte(text)))
		default:
			b.AddDockerfile(load.LoadDockerfile(p, []byte(text)))
		}
	}
	ws := b.Build()
	for image, want := range map[string]string{
		"example.com/a:latest": "a/Dockerfile", "example.com/k": "k/Dockerfile.k", "example.com/b:2": "b/Dockerfile",
		"example.com/c":   "a/Dockerfile",
		"example.com/jib": "", // not built with a Dockerfile
		"example.com/d":   "", // two Dockerfiles build it: not linked
		"example.com/x":   "", "": "",
		"redis:7": "", // a bare name with build: tags a local image only
	} {
		got := ""
		if ib := ws.ImageBuildOf(image); ib != nil {
			got, _ = filepath.Rel(dir, ib.Dockerfile.Path)
		}
		if got != want {
			t.Errorf("%q: built from %q, want %q", image, got, want)
		}
	}
}
