package cmdline

import (
	"testing"

	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/workspace"
)

func TestImage(t *testing.T) {
	for _, tc := range []struct {
		dockerfile string
		want       string
	}{
		{"FROM redis\nCMD [\"redis-server\", \"/c.conf\"]\n", "redis-server /c.conf"},
		{"FROM redis\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"redis-server\", \"--port\", \"1\"]\n", "redis-server --port 1"},
		{"FROM x\nCMD if [ -f /c ]; then exec redis-server /c; fi\n", "[ -f /c ] | redis-server /c"},
		// A shell-form ENTRYPOINT ignores CMD.
		{"FROM x\nCMD [\"mongod\"]\nENTRYPOINT exec redis-server\n", "redis-server"},
		// An exec-form ENTRYPOINT gets a shell-form CMD as /bin/sh -c.
		{"FROM x\nENTRYPOINT [\"gosu\", \"app\"]\nCMD celery -A app worker\n", "(user) celery -A app worker"},
		// Inherited from an earlier stage; ENTRYPOINT in the stage drops the inherited CMD.
		{"FROM x AS base\nCMD [\"mongod\"]\nFROM base\nRUN true\n", "mongod"},
		{"FROM x AS base\nCMD [\"mongod\"]\nFROM base\nENTRYPOINT [\"redis-server\"]\n", "redis-server"},
		{"FROM x AS base\nCMD [\"mongod\"]\nFROM other\n", ""},
		// sh -c with a shell-form CMD: the script is the word /bin/sh.
		{"FROM x\nENTRYPOINT [\"sh\", \"-c\"]\nCMD redis-server\n", "/bin/sh"},
		{"FROM x\nENTRYPOINT [\"bash\", \"-c\"]\nCMD [\"/run.sh\"]\n", "/run.sh"},
	} {
		df := &workspace.Dockerfile{Dockerfile: load.LoadDockerfile("Dockerfile", []byte(tc.dockerfile))}
		got := ""
		if im := image(df); im != nil {
			got = render(im.Commands)
		}
		if got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.dockerfile, got, tc.want)
		}
	}
	// Positions: exec-form words and shell-form scripts map to the Dockerfile.
	df := &workspace.Dockerfile{Dockerfile: load.LoadDockerfile("Dockerfile", []byte("FROM redis\nCMD [\"redis-server\", \"--bind\", \"127.0.0.1\"]\nENTRYPOINT  tini -- exec redis-server --bind 127.0.0.1\n"))}
	im := image(df)
	w := im.Commands[0].Argv[2]
	if w.Loc.Line != 3 || w.Loc.Column != 46 || w.Loc.EndColumn != 55 {
		t.Errorf("shell form: %+v", w.Loc)
	}
	df = &workspace.Dockerfile{Dockerfile: load.LoadDockerfile("Dockerfile", []byte("FROM redis\nCMD [\"redis-server\", \"--bind\", \"127.0.0.1\"]\n"))}
	w = image(df).Commands[0].Argv[2]
	if w.Loc.Line != 2 || w.Loc.Column != 33 || w.Loc.EndColumn != 42 {
		t.Errorf("exec form: %+v", w.Loc)
	}
}
