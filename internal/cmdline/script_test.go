package cmdline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/discovery"
	"github.com/k8slint/k8slint/internal/load"
	"github.com/k8slint/k8slint/internal/testfs"
	"github.com/k8slint/k8slint/internal/workspace"
)

// treeWorkspace walks dir as the engine does and loads its Dockerfiles.
func treeWorkspace(t *testing.T, dir string) *workspace.Workspace {
	t.Helper()
	disc, err := discovery.Walk(discovery.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	b := workspace.NewBuilder(workspace.Settings{}, disc.All)
	b.SetRoots(disc.Roots)
	for _, f := range disc.Files {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		switch f.Kind {
		case discovery.Dockerfile:
			b.AddDockerfile(load.LoadDockerfile(f.Path, data))
		case discovery.DockerIgnore:
			b.AddIgnore(load.LoadIgnore(f.Path, data))
		case discovery.Manifest:
			b.AddManifest(load.LoadManifest(f.Path, data))
		}
	}
	return b.Build()
}

func TestImageScripts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // render(im.Run())
		err   string // a substring of the script's Err
	}{
		{name: "on PATH, $@ is the CMD", files: map[string]string{
			"Dockerfile":           "FROM redis\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"--appendonly\", \"yes\"]\n",
			"docker-entrypoint.sh": "#!/bin/sh\nset -e\nexec redis-server --requirepass \"$REDIS_PASSWORD\" \"$@\"\n",
		}, want: "set -e | redis-server --requirepass $REDIS_PASSWORD* --appendonly yes"},
		{name: "docker-entrypoint.sh is stripped as a wrapper, then read", files: map[string]string{
			"Dockerfile":           "FROM redis\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"redis-server\", \"/etc/r.conf\"]\n",
			"docker-entrypoint.sh": "#!/bin/sh\nexec \"$@\" --bind 0.0.0.0\n",
		}, want: "redis-server /etc/r.conf --bind 0.0.0.0"},
		{name: "sh FILE", files: map[string]string{
			"Dockerfile":    "FROM redis\nCOPY entrypoint.sh /\nCMD [\"sh\", \"-e\", \"/entrypoint.sh\"]\n",
			"entrypoint.sh": "redis-server --protected-mode no\n",
		}, want: "redis-server --protected-mode no"},
		{name: "relative to WORKDIR, COPY . .", files: map[string]string{
			"Dockerfile":     "FROM redis\nWORKDIR /srv\nWORKDIR app\nCOPY . .\nCMD exec ./bin/start.sh\n",
			"bin/start.sh":   "if [ -n \"$X\" ]; then\n  exec redis-server --bind 127.0.0.1\nfi\nmongod --bind_ip_all\n",
			"README.unknown": "",
		}, want: "[ -n $X* ] | redis-server --bind 127.0.0.1 | mongod --bind_ip_all"},
		{name: "a relative path without WORKDIR is not known", files: map[string]string{
			"Dockerfile": "FROM redis\nCOPY start.sh ./\nCMD [\"./start.sh\"]\n",
			"start.sh":   "redis-server\n",
		}, want: "./start.sh"},
		{name: "not copied from the context", files: map[string]string{
			"Dockerfile": "FROM redis\nCMD [\"/entrypoint.sh\"]\n",
		}, want: "/entrypoint.sh"},
		{name: "copied from another stage", files: map[string]string{
			"Dockerfile":    "FROM alpine AS b\nCOPY entrypoint.sh /\nFROM redis\nCOPY --from=b /entrypoint.sh /\nCMD [\"/entrypoint.sh\"]\n",
			"entrypoint.sh": "redis-server\n",
		}, want: "/entrypoint.sh"},
		{name: "excluded by .dockerignore", files: map[string]string{
			"Dockerfile":    "FROM redis\nCOPY entrypoint.sh /\nCMD [\"/entrypoint.sh\"]\n",
			".dockerignore": "*.sh\n",
			"entrypoint.sh": "redis-server\n",
		}, want: "/entrypoint.sh"},
		{name: "does not parse", files: map[string]string{
			"Dockerfile":    "FROM redis\nCOPY entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]\n",
			"entrypoint.sh": "if then fi (\n",
		}, want: "/entrypoint.sh", err: "does not parse"},
		{name: "the ENTRYPOINT is not a script", files: map[string]string{
			"Dockerfile": "FROM redis\nCOPY redis.conf /etc/\nENTRYPOINT [\"redis-server\", \"/etc/redis.conf\"]\n",
			"redis.conf": "bind 0.0.0.0\n",
		}, want: "redis-server /etc/redis.conf"},
		{name: "a later copy wins", files: map[string]string{
			"Dockerfile": "FROM redis\nCOPY a.sh /run.sh\nCOPY b.sh /run.sh\nCMD [\"/run.sh\"]\n",
			"a.sh":       "redis-server --port 1\n",
			"b.sh":       "redis-server --port 2\n",
		}, want: "redis-server --port 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := testfs.Tree(t, tc.files)
			m := Of(treeWorkspace(t, dir))
			if len(m.Images) != 1 {
				t.Fatalf("%d images", len(m.Images))
			}
			im := m.Images[0]
			if got := render(im.Run()); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			var errs []string
			for _, s := range im.Scripts {
				if s.Err != nil {
					errs = append(errs, s.Err.Error())
				}
			}
			if got := strings.Join(errs, "; "); tc.err == "" && got != "" || !strings.Contains(got, tc.err) {
				t.Errorf("errors %q, want %q", got, tc.err)
			}
		})
	}
}

func TestImageScriptPositions(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{
		"Dockerfile":    "FROM redis\nCOPY entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"--port\", \"7000\"]\n",
		"entrypoint.sh": "#!/bin/sh\n  exec redis-server --requirepass \"$P\" \"$@\"\n",
	})
	im := Of(treeWorkspace(t, dir)).Images[0]
	run := im.Run()
	if len(run) != 1 || run[0].From == nil {
		t.Fatalf("run %q", render(run))
	}
	argv := run[0].Argv
	script := filepath.Join(dir, "entrypoint.sh")
	if l := argv[1].Loc; l.File != script || l.Line != 2 || l.Column != 21 || l.EndColumn != 34 {
		t.Errorf("--requirepass at %+v", l)
	}
	if l := argv[3].Loc; !strings.HasSuffix(l.File, "Dockerfile") || l.Line != 4 || l.Column != 7 {
		t.Errorf("--port (from $@) at %+v", l)
	}
	if s := run[0].From; s.Word.Val != "/entrypoint.sh" || s.Word.Loc.Line != 3 || s.Dest != "/entrypoint.sh" || s.Path != script {
		t.Errorf("script %+v", s)
	}
}

// A script that is a symbolic link out of the tree is never read.
func TestImageScriptLinkOutside(t *testing.T) {
	outside := testfs.Tree(t, map[string]string{"secret.sh": "redis-server --requirepass hunter2\n"})
	dir := testfs.Tree(t, map[string]string{
		"Dockerfile": "FROM redis\nCOPY entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]\n",
	})
	if err := os.Symlink(filepath.Join(outside, "secret.sh"), filepath.Join(dir, "entrypoint.sh")); err != nil {
		t.Skip(err)
	}
	ws := treeWorkspace(t, dir)
	im := Of(ws).Images[0]
	if got := render(im.Run()); got != "/entrypoint.sh" {
		t.Errorf("got %q", got)
	}
	// Asked directly, the workspace refuses it too.
	if s := ws.Script(filepath.Join(dir, "entrypoint.sh")); s.File != nil || s.Err == nil {
		t.Errorf("read a link out of the tree: %+v", s)
	}
}

func TestBuilt(t *testing.T) {
	pod := func(name, extra string) string {
		return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + name + "}\nspec:\n  containers:\n  - name: c\n    image: example.com/" + name + "\n" + extra
	}
	skaffold := "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n"
	files := map[string]string{"entry/run.sh": "exec redis-server --port 1 \"$@\"\n"}
	var pods string
	for name, tc := range map[string]struct{ dockerfile, extra string }{
		"noargs":  {"FROM redis\nCOPY run.sh /\nENTRYPOINT [\"/run.sh\", \"--a\"]\nCMD [\"--cmd\"]\n", ""},
		"args":    {"FROM redis\nCOPY run.sh /\nENTRYPOINT [\"/run.sh\", \"--a\"]\nCMD [\"--cmd\"]\n", "    args: [\"--x\", \"$(Y)\"]\n"},
		"command": {"FROM redis\nCOPY run.sh /\nENTRYPOINT [\"/run.sh\"]\n", "    command: [\"redis-server\"]\n"},
		"incmd":   {"FROM redis\nCOPY run.sh /\nCMD [\"/run.sh\"]\n", "    args: [\"--x\"]\n"},
		"shell":   {"FROM redis\nCOPY run.sh /\nENTRYPOINT /run.sh --s\n", "    args: [\"--x\"]\n"},
	} {
		files[name+"/Dockerfile"] = tc.dockerfile
		files[name+"/run.sh"] = files["entry/run.sh"]
		skaffold += "  - image: example.com/" + name + "\n    context: " + name + "\n"
		pods += pod(name, tc.extra)
	}
	delete(files, "entry/run.sh")
	files["skaffold.yaml"] = skaffold
	files["pods.yaml"] = pods
	m := Of(treeWorkspace(t, testfs.Tree(t, files)))
	got := map[string]string{}
	for _, b := range m.Built {
		got[b.Container.Template.Object.Name] = render(b.Commands)
	}
	want := map[string]string{
		"noargs": "redis-server --port 1 --a --cmd",
		"args":   "redis-server --port 1 --a --x $(Y)",
		"shell":  "redis-server --port 1 --s",
		// command: replaces the entrypoint; args replace a CMD that runs the script.
	}
	if len(got) != len(want) {
		t.Errorf("built %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
}
