package discovery

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/testfs"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind Kind
		ok   bool
	}{
		{"deploy.yaml", Manifest, true},
		{"deploy.YML", Manifest, true},
		{"pod.json", Manifest, true},
		{"Dockerfile", Dockerfile, true},
		{"Dockerfile.prod", Dockerfile, true},
		{"api.Dockerfile", Dockerfile, true},
		{"api.dockerfile", Dockerfile, true},
		{"Containerfile", Dockerfile, true},
		{".dockerignore", DockerIgnore, true},
		{"Dockerfile.dockerignore", DockerIgnore, true}, // an ignore file, never a Dockerfile
		{"api.Dockerfile.dockerignore", DockerIgnore, true},
		{"mongod.conf", MongoConf, true},
		{"mongod-replica.conf", MongoConf, true},
		{"mongodb.conf", MongoConf, true},
		{"mongos.conf", MongoConf, true}, // the router has the same net.bindIp
		{"redis.conf", RedisConf, true},
		{"redis-6379.conf", RedisConf, true},
		{"sentinel.conf", RedisConf, true},
		{"nginx.conf", 0, false},
		{"README.md", 0, false},
		{"Dockerfile-old", Dockerfile, true},
		{"Dockerfile-for-app-service", Dockerfile, true},
		{"Dockerfile_prod", Dockerfile, true},
		{"Dockerfile-alpine.template", 0, false},
		{"Dockerfile_notes.md", 0, false},
		{"Dockerfile-x.yaml", Manifest, true},
		{"dockerfile", 0, false},
	} {
		k, ok := Classify(tc.name)
		if k != tc.kind || ok != tc.ok {
			t.Errorf("Classify(%q) = %v, %v; want %v, %v", tc.name, k, ok, tc.kind, tc.ok)
		}
	}
}

func TestWalk(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{
		"deploy/app.yaml", "deploy/skip/x.yaml", "Dockerfile", ".dockerignore", "src/main.py",
		".git/config.yaml", "node_modules/a/b.yaml", "vendor/v.yaml", "x.yaml/inner.yaml", "conf/redis.conf",
	} {
		testfs.Write(t, dir, f, []byte("x"))
	}
	// A symlink loop and a broken link are skipped, not fatal.
	_ = os.Symlink(filepath.Join(dir, "loop.yaml"), filepath.Join(dir, "loop.yaml"))
	_ = os.Symlink(filepath.Join(dir, "deploy"), filepath.Join(dir, "linked-dir"))

	res, err := Walk(Options{Paths: []string{dir}, Excludes: []string{"deploy/skip/**"}})
	if err != nil {
		t.Fatal(err)
	}
	got := relFiles(dir, res.Files)
	want := []string{".dockerignore=.dockerignore", "Dockerfile=Dockerfile", "conf/redis.conf=redis.conf", "deploy/app.yaml=manifest", "x.yaml/inner.yaml=manifest"}
	if len(got) != len(want) {
		t.Fatalf("files = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("files[%d] = %s, want %s", i, got[i], want[i])
		}
	}
	if !contains(res.All, filepath.Join(dir, "src/main.py")) {
		t.Errorf("All lacks src/main.py (build contexts need every file)")
	}
	if len(res.Skipped) == 0 {
		t.Errorf("the symlink loop was not reported as skipped")
	}

	// Paths that overlap (a directory, one under it, a file in both, the
	// file again) list each file once.
	over, err := Walk(Options{Paths: []string{dir, filepath.Join(dir, "deploy"), filepath.Join(dir, "deploy/app.yaml"), filepath.Join(dir, "deploy/app.yaml"), filepath.Join(dir, "Dockerfile")}})
	if err != nil {
		t.Fatal(err)
	}
	paths := relFiles(dir, over.Files)
	if want := []string{".dockerignore=.dockerignore", "Dockerfile=Dockerfile", "conf/redis.conf=redis.conf", "deploy/app.yaml=manifest", "deploy/skip/x.yaml=manifest", "x.yaml/inner.yaml=manifest"}; !slices.Equal(paths, want) {
		t.Errorf("overlapping paths: files = %v, want %v", paths, want)
	}

	if _, err := Walk(Options{Paths: []string{filepath.Join(dir, "missing")}}); err == nil {
		t.Errorf("a missing path is not a usage error")
	} else if ue := (*UsageError)(nil); !errors.As(err, &ue) {
		t.Errorf("missing path: %T, want *UsageError", err)
	}
	if _, err := Walk(Options{Paths: []string{dir}, Excludes: []string{"[bad"}}); err == nil {
		t.Errorf("an invalid --exclude glob is not a usage error")
	}
}

// relFiles lists files as "path relative to dir=kind".
func relFiles(dir string, files []File) []string {
	var out []string
	for _, f := range files {
		r, _ := filepath.Rel(dir, f.Path)
		out = append(out, filepath.ToSlash(r)+"="+f.Kind.String())
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		data string
		kind Kind
		ok   bool
	}{
		{"FROM alpine:3.20\nCOPY a b\n", Dockerfile, true},
		{"\n# a comment\n\narg V=1\nFROM x\n", Dockerfile, true},
		{"# syntax=docker/dockerfile:1\nRUN x\n", Dockerfile, true},
		{"# escape=`\nFROM x\n", Dockerfile, true},
		{"\xEF\xBB\xBFFROM x\n", Dockerfile, true},
		{"RUN echo hi\n", 0, false},
		{"# just notes\n# syntax=x\nRUN y\n", 0, false},
		{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n", Manifest, true},
		{"# comment\nkind: Pod\napiVersion: v1\n", Manifest, true},
		{`{"apiVersion": "v1", "kind": "Pod"}`, Manifest, true},
		{"  apiVersion: v1\n  kind: Pod\n", 0, false},
		{"name: x\nkind: y\n", 0, false},
		{"from the README: nothing\n", 0, false},
		{"FROM --platform=$BUILDPLATFORM golang AS build\n", Dockerfile, true},
		{"Arg: none\n", 0, false},
	} {
		k, ok := SniffBytes([]byte(tc.data))
		if k != tc.kind || ok != tc.ok {
			t.Errorf("SniffBytes(%q) = %v, %v; want %v, %v", tc.data, k, ok, tc.kind, tc.ok)
		}
	}
}

// A walk's lists are built in blocks of 512 (blocks): every file of a tree
// of more than two blocks is listed once, in order.
func TestWalkManyFiles(t *testing.T) {
	dir := t.TempDir()
	const n = 1300
	for i := range n {
		testfs.Write(t, dir, fmt.Sprintf("d%d/f%04d.yaml", i%3, i), []byte("x"))
		if i%2 == 0 {
			testfs.Write(t, dir, fmt.Sprintf("d%d/f%04d.txt", i%3, i), []byte("x"))
		}
	}
	res, err := Walk(Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != n || len(res.All) != n+n/2 {
		t.Fatalf("%d files, %d in All; want %d and %d", len(res.Files), len(res.All), n, n+n/2)
	}
	if !slices.IsSortedFunc(res.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) }) || !slices.IsSorted(res.All) {
		t.Errorf("the lists are not sorted")
	}
	if res.Files[0].Path != filepath.Join(dir, "d0/f0000.yaml") || res.Files[n-1].Path != filepath.Join(dir, "d2/f1298.yaml") {
		t.Errorf("first %s, last %s", res.Files[0].Path, res.Files[n-1].Path)
	}
}
