package engine

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/gencorpus"
	"github.com/k8slint/k8slint/internal/testfs"
)

func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// FuzzRun runs the whole pipeline over a small generated tree holding the
// fuzzed manifest, Dockerfile, .dockerignore and configs beside generated
// manifests: no panic, every finding inside the tree with a position, the
// findings sorted, and the same findings with one job and with four.
func FuzzRun(f *testing.F) {
	read := func(p string) []byte {
		b, _ := os.ReadFile(p)
		return b
	}
	f.Add([]byte(sentinel), read("../../testdata/article/Dockerfile"), read("../../testdata/article/.dockerignore"),
		read("../../testdata/article/conf/redis.conf"), read("../../testdata/article/conf/mongod.conf"))
	f.Add(read("../../testdata/article/deploy/web.yaml"), []byte("FROM alpine\nCOPY /abs app/ ./\n"), []byte("app/x\n!app/x/y\n"),
		[]byte("save \"\"\n"), []byte("dbpath = /data\n"))
	if dfs := corpusList("dockerfile"); len(dfs) > 0 {
		ks := corpusList("k8s")
		for i := 0; i < len(dfs) && i < len(ks); i += 40 {
			if fuzzing() || i%200 == 0 {
				f.Add(read(ks[i]), read(dfs[i]), []byte("*.md\n"), []byte("maxmemory 1gb\n"), []byte("net:\n  port: 27017\n"))
			}
		}
	}
	f.Fuzz(func(t *testing.T, manifest, dockerfile, ignore, redis, mongo []byte) {
		dir := t.TempDir()
		files := map[string][]byte{
			"deploy/app.yaml": manifest, "deploy/gen-1.yaml": gencorpus.Manifest(1), "gen-2.yaml": gencorpus.Manifest(2),
			"Dockerfile": dockerfile, ".dockerignore": ignore, "conf/redis.conf": redis, "conf/mongod.conf": mongo,
			"app/main.py": nil, "app/requirements.txt": nil,
		}
		for name, data := range files {
			testfs.Write(t, dir, name, data)
		}
		var results [2][]diag.Finding
		for i, jobs := range []int{1, 4} {
			res, err := Run(Options{Paths: []string{dir}, Jobs: jobs, Info: func(string) {}})
			if err != nil {
				t.Fatal(err)
			}
			for j, fd := range res.Findings {
				if !strings.HasPrefix(fd.File, dir+string(filepath.Separator)) || fd.Line < 1 || fd.Column < 1 || fd.Rule == "" || fd.Message == "" {
					t.Fatalf("bad finding %+v", fd)
				}
				if fd.EndLine != 0 && (fd.EndLine < fd.Line || fd.EndLine == fd.Line && fd.EndColumn < fd.Column) {
					t.Fatalf("finding ends before it starts: %+v", fd)
				}
				if j > 0 && diag.Less(&res.Findings[j], &res.Findings[j-1]) {
					t.Fatalf("findings not sorted at %d", j)
				}
			}
			results[i] = res.Findings
		}
		if !reflect.DeepEqual(results[0], results[1]) {
			t.Fatalf("-j 1 and -j 4 differ:\n%v\n%v", results[0], results[1])
		}
	})
}
