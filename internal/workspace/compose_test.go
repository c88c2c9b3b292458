package workspace

import (
	"sort"
	"strings"
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

// TestComposeInterpolation: build.context and build.dockerfile are
// interpolated as docker compose does, from the .env file beside the
// compose file (never from env_file); a variable without a value leaves the
// context unknown for every Dockerfile the value may name.
func TestComposeInterpolation(t *testing.T) {
	const df = "/r/src/accounting/Dockerfile"
	tests := []struct {
		name, compose, dotenv string
		want                  string // the Dockerfile's context; "?" unknown
	}{
		{"from .env", "services:\n  a:\n    build:\n      context: ./\n      dockerfile: ${ACCOUNTING_DOCKERFILE}\n", "ACCOUNTING_DOCKERFILE=src/accounting/Dockerfile\n", "/r"},
		{"braced default", "services:\n  a:\n    build:\n      context: ${CTX:-.}\n      dockerfile: src/accounting/Dockerfile\n", "", "/r"},
		{"unbraced name", "services:\n  a:\n    build:\n      context: $CTX\n      dockerfile: accounting/Dockerfile\n", "CTX=src\n", "/r/src"},
		{"default when unset", "services:\n  a:\n    build:\n      context: ${CTX-src}\n      dockerfile: accounting/Dockerfile\n", "", "/r/src"},
		{"set but empty with - keeps empty", "services:\n  a:\n    build:\n      context: src${SUB-/x}\n      dockerfile: accounting/Dockerfile\n", "SUB=\n", "/r/src"},
		{"quoted .env value", "services:\n  a:\n    build:\n      context: .\n      dockerfile: \"${DF}\"\n", "DF=\"src/accounting/Dockerfile\" # comment\n", "/r"},
		{"$$ is a dollar", "services:\n  a:\n    build:\n      context: .\n      dockerfile: src/accounting/Dockerfile\n      args:\n        X: $$HOME\n", "", "/r"},
		{"missing variable", "services:\n  a:\n    build:\n      context: ./\n      dockerfile: ${ACCOUNTING_DOCKERFILE}\n", "", "?"},
		{"required variable", "services:\n  a:\n    build:\n      context: ${CTX:?set CTX}\n      dockerfile: accounting/Dockerfile\n", "", "?"},
		{"env_file is not for interpolation", "services:\n  a:\n    env_file: vars.env\n    build:\n      context: .\n      dockerfile: ${DF}\n", "", "?"},
		{"missing variable naming another Dockerfile", "services:\n  a:\n    build:\n      context: ./\n      dockerfile: docker/${DF}\n", "", "/r/src/accounting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := []string{"/r/compose.yaml", df}
			if tt.dotenv != "" {
				files = append(files, "/r/.env")
			}
			sort.Strings(files)
			b := NewBuilder(Settings{}, files)
			b.AddManifest(load.LoadManifest("/r/compose.yaml", []byte(tt.compose)))
			if tt.dotenv != "" {
				b.AddDotEnv(load.LoadDotEnv("/r/.env", []byte(tt.dotenv)))
			}
			b.AddDockerfile(load.LoadDockerfile(df, []byte("FROM scratch\n")))
			ws := b.Build()
			d := ws.Dockerfiles[0]
			got := d.Context
			if d.ContextUnknown {
				got = "?"
				if len(ws.Notes) == 0 {
					t.Error("no note says why the context is unknown")
				}
			}
			if got != tt.want {
				t.Errorf("context = %q, want %q (notes %q)", got, tt.want, ws.Notes)
			}
		})
	}
}

// TestComposeBuildArgs: build.args replace the ARG values the Dockerfile's
// sources use, after interpolation from the .env beside the compose file.
func TestComposeBuildArgs(t *testing.T) {
	const df = "/r/app/Dockerfile"
	dockerfile := "FROM python:3.13\nARG APP=default\nARG EXTRA\nCOPY $APP/main.py /app/\nCOPY ${EXTRA:-none}/x /app/\n"
	tests := []struct {
		name, compose, dotenv string
		want                  []string // the sources' paths; "?" unresolved
	}{
		{"no args", "services:\n  a:\n    build: app\n", "", []string{"default/main.py", "?"}},
		{"mapping", "services:\n  a:\n    build:\n      context: app\n      args:\n        APP: web\n        EXTRA: more\n", "", []string{"web/main.py", "more/x"}},
		{"list, interpolated", "services:\n  a:\n    build:\n      context: app\n      args:\n        - APP=${NAME}\n", "NAME=api\n", []string{"api/main.py", "?"}},
		{"name alone from .env", "services:\n  a:\n    build:\n      context: app\n      args: [APP]\n", "APP=fromenv\n", []string{"fromenv/main.py", "?"}},
		{"name alone from the shell", "services:\n  a:\n    build:\n      context: app\n      args: [APP]\n", "", []string{"?", "?"}},
		{"undeclared arg", "services:\n  a:\n    build:\n      context: app\n      args: {OTHER: x}\n", "", []string{"default/main.py", "?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := []string{"/r/compose.yaml", df, "/r/.env"}
			sort.Strings(files)
			b := NewBuilder(Settings{}, files)
			b.AddManifest(load.LoadManifest("/r/compose.yaml", []byte(tt.compose)))
			b.AddDotEnv(load.LoadDotEnv("/r/.env", []byte(tt.dotenv)))
			b.AddDockerfile(load.LoadDockerfile(df, []byte(dockerfile)))
			ws := b.Build()
			var got []string
			for _, cp := range ws.Dockerfiles[0].Copies {
				s := cp.Sources[0]
				if s.Resolved {
					got = append(got, s.Path)
				} else {
					got = append(got, "?")
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("sources %q, want %q", got, tt.want)
			}
		})
	}
}
