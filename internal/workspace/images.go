package workspace

import (
	"path/filepath"
	"strings"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/yamlx"
)

// ImageBuild says that the tree builds an image from one of its
// Dockerfiles: a skaffold artifact (`build.artifacts[].image` with its
// context and docker.dockerfile; skaffold puts the image it builds in
// every manifest reference of that name) or a docker compose service with
// both `image:` and `build:` (compose tags the image it builds with that
// name) when the name has a registry or namespace: in a pod, a bare
// `image: redis` is Docker Hub's image, not the local build.
type ImageBuild struct {
	Dockerfile *Dockerfile
	// At is the `image:` value of the skaffold artifact or compose service.
	At diag.Location
}

// imageBuilds maps a normalised image name to what builds it; a name that
// two different Dockerfiles build maps to nil.
var imageBuilds = NewResult(func(ws *Workspace) map[string]*ImageBuild {
	byPath := map[string]*Dockerfile{}
	for _, df := range ws.Dockerfiles {
		byPath[df.Path] = df
	}
	out := map[string]*ImageBuild{}
	add := func(image, dockerfile string, at diag.Location) {
		df := byPath[filepath.Clean(dockerfile)]
		name := ImageName(image)
		if df == nil || name == "" {
			return
		}
		if prev, ok := out[name]; ok {
			if prev == nil || prev.Dockerfile != df {
				out[name] = nil // ambiguous: not linked
			}
			return
		}
		out[name] = &ImageBuild{Dockerfile: df, At: at}
	}
	for _, mf := range ws.Manifests {
		for _, d := range mf.Docs {
			r := d.Root
			if r == nil || r.Kind() != yamlx.Mapping || !strings.HasPrefix(r.Get("apiVersion").Str(), "skaffold/") || r.Get("kind").Str() != "Config" {
				continue
			}
			base := filepath.Dir(mf.Path)
			skaffoldArtifacts(r.Path("build", "artifacts"), base, mf.Path, add)
			for _, p := range r.Get("profiles").Items() {
				skaffoldArtifacts(p.Path("build", "artifacts"), base, mf.Path, add)
			}
		}
	}
	for _, c := range ws.Composes {
		base := filepath.Dir(c.Path)
		var vars map[string]string
		if de := ws.dotenvs[filepath.Join(base, ".env")]; de != nil && de.Err == nil {
			vars = de.Vars
		}
		c.Root.Get("services").Pairs(func(_, svc *yamlx.Node) {
			img, build := svc.Get("image"), svc.Get("build")
			if img == nil || img.Kind() != yamlx.Scalar || build == nil {
				return
			}
			ctx, dockerfile := ".", "Dockerfile"
			switch build.Kind() {
			case yamlx.Scalar:
				ctx = build.Value()
			case yamlx.Mapping:
				if build.Get("dockerfile_inline") != nil {
					return
				}
				if n := build.Get("context"); n != nil {
					ctx = n.Str()
				}
				if n := build.Get("dockerfile"); n != nil {
					dockerfile = n.Str()
				}
			default:
				return
			}
			image, _, ok1 := interpolate(img.Value(), vars)
			ctx, _, ok2 := interpolate(ctx, vars)
			dockerfile, _, ok3 := interpolate(dockerfile, vars)
			if !ok1 || !ok2 || !ok3 || ctx == "" || dockerfile == "" || isRemoteContext(ctx) {
				return
			}
			if !strings.Contains(ImageName(image), "/") {
				// `image: redis` with build: tags a local image; a pod
				// that runs redis pulls Docker Hub's, not this one.
				return
			}
			add(image, joinRel(joinRel(base, ctx), dockerfile), NodeLocation(c.Path, img))
		})
	}
	return out
})

func skaffoldArtifacts(arts *yamlx.Node, base, file string, add func(image, dockerfile string, at diag.Location)) {
	for _, a := range arts.Items() {
		img := a.Get("image")
		if img == nil || img.Kind() != yamlx.Scalar {
			continue
		}
		ctx, dockerfile := ".", "Dockerfile"
		if n := a.Get("context"); n != nil {
			ctx = n.Str()
		}
		builder := a.Get("docker")
		if builder == nil {
			builder = a.Get("kaniko")
		}
		if builder == nil {
			for _, other := range []string{"jib", "bazel", "ko", "buildpacks", "custom"} {
				if a.Get(other) != nil {
					builder = nil
					ctx = ""
					break
				}
			}
		}
		if n := builder.Get("dockerfile"); n != nil {
			dockerfile = n.Str()
		}
		if ctx == "" || dockerfile == "" || strings.Contains(ctx+dockerfile, "{{") {
			continue
		}
		add(img.Value(), joinRel(joinRel(base, ctx), dockerfile), NodeLocation(file, img))
	}
}

func joinRel(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, filepath.FromSlash(p))
}

// ImageName normalises an image reference for matching what builds it:
// without tag or digest, without docker.io/ and library/. "" for a
// reference that holds an expansion.
func ImageName(ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.ContainsAny(ref, "${}") {
		return ""
	}
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndexByte(ref, ':'); i >= 0 && !strings.Contains(ref[i:], "/") {
		ref = ref[:i]
	}
	ref = strings.TrimPrefix(ref, "docker.io/")
	ref = strings.TrimPrefix(ref, "index.docker.io/")
	ref = strings.TrimPrefix(ref, "library/")
	return strings.ToLower(ref)
}

// ImageBuildOf returns what in the tree builds the image a container runs
// (its `image:` value), nil when nothing does or two Dockerfiles build
// that name.
func (ws *Workspace) ImageBuildOf(image string) *ImageBuild {
	name := ImageName(image)
	if name == "" {
		return nil
	}
	return imageBuilds.Of(ws)[name]
}
