package workspace

import (
	"sort"
	"testing"

	"github.com/k8slint/k8slint/internal/load"
)

func TestComposeContexts(t *testing.T) {
	tests := []struct {
		name    string
		compose string
		df      string // Dockerfile path
		want    string // its context
		wantAt  int    // line of the related location (0: none)
	}{
		{"context and dockerfile", "services:\n  web:\n    build:\n      context: ./app\n      dockerfile: ../docker/Dockerfile\n", "/r/docker/Dockerfile", "/r/app", 4},
		{"dockerfile only: context is the compose directory", "services:\n  web:\n    build:\n      dockerfile: docker/Dockerfile\n", "/r/docker/Dockerfile", "/r", 4},
		{"string form", "services:\n  web:\n    build: docker\n", "/r/docker/Dockerfile", "/r/docker", 0},
		{"named Dockerfile", "services:\n  web:\n    build: {context: ., dockerfile: docker/web.Dockerfile}\n", "/r/docker/web.Dockerfile", "/r", 3},
		{"variable: unknown", "services:\n  web:\n    build:\n      context: ${CTX}\n      dockerfile: docker/Dockerfile\n", "/r/docker/Dockerfile", "/r/docker", 0},
		{"remote context", "services:\n  web:\n    build:\n      context: https://github.com/x/y.git\n      dockerfile: docker/Dockerfile\n", "/r/docker/Dockerfile", "/r/docker", 0},
		{"inline Dockerfile", "services:\n  web:\n    build:\n      context: .\n      dockerfile_inline: FROM scratch\n", "/r/docker/Dockerfile", "/r/docker", 0},
		{"another Dockerfile", "services:\n  web:\n    build: {context: ., dockerfile: other/Dockerfile}\n", "/r/docker/Dockerfile", "/r/docker", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := []string{"/r/compose.yaml", tt.df}
			sort.Strings(files)
			b := NewBuilder(Settings{}, files)
			b.AddManifest(load.LoadManifest("/r/compose.yaml", []byte(tt.compose)))
			b.AddDockerfile(load.LoadDockerfile(tt.df, []byte("FROM scratch\n")))
			ws := b.Build()
			if len(ws.Composes) != 1 {
				t.Fatalf("compose file not recognised")
			}
			df := ws.Dockerfiles[0]
			if df.Context != tt.want {
				t.Errorf("Context = %q, want %q", df.Context, tt.want)
			}
			at := 0
			if df.ContextFrom != nil {
				at = df.ContextFrom.Line
			}
			if at != tt.wantAt {
				t.Errorf("ContextFrom line = %d, want %d", at, tt.wantAt)
			}
		})
	}
}

func TestComposeContextLinksIgnoreFile(t *testing.T) {
	files := []string{"/r/compose.yaml", "/r/.dockerignore", "/r/docker/Dockerfile", "/r/docker/.dockerignore", "/r/secret"}
	sort.Strings(files)
	b := NewBuilder(Settings{}, files)
	b.AddManifest(load.LoadManifest("/r/compose.yaml", []byte("services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n")))
	b.AddDockerfile(load.LoadDockerfile("/r/docker/Dockerfile", []byte("FROM scratch\n")))
	b.AddIgnore(load.LoadIgnore("/r/.dockerignore", []byte("secret\n")))
	b.AddIgnore(load.LoadIgnore("/r/docker/.dockerignore", []byte("*\n")))
	ws := b.Build()
	df := ws.Dockerfiles[0]
	if df.Ignore == nil || df.Ignore.Path != "/r/.dockerignore" {
		t.Fatalf("Ignore = %v, want the context root's .dockerignore", df.Ignore)
	}
	if ws.BuildContext(df).Stat("secret").Sent {
		t.Error("secret should be excluded by the context root's .dockerignore")
	}
}
