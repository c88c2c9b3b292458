package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/k8slint/k8slint/internal/diag"
	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/internal/ruletest"
	"github.com/k8slint/k8slint/internal/testfs"
	"github.com/k8slint/k8slint/rules"
)

func TestRedisProtectedMode(t *testing.T) {
	ruletest.Run(t, "testdata/redis-protected-mode", rules.RedisProtectedMode)
}

// An entrypoint script that is a symbolic link out of the project is never
// read: the image's config stays unjudged, as for a script the tree does
// not hold. The same script inside the tree is read, and its redis-server,
// without a password, is reported.
func TestRedisProtectedModeScriptLink(t *testing.T) {
	const script = "#!/bin/sh\nexec redis-server /etc/redis/redis.conf\n"
	files := map[string]string{
		".git/HEAD":  "ref: refs/heads/main\n",
		"Dockerfile": "FROM redis:7.2\nCOPY redis.conf /etc/redis/\nCOPY entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]\n",
		"redis.conf": "bind 0.0.0.0\nprotected-mode yes\n",
	}
	run := func(dir string) []diag.Finding {
		res, err := engine.Run(engine.Options{Paths: []string{dir}, Rules: []*rules.Rule{rules.RedisProtectedMode}, Jobs: 1})
		if err != nil {
			t.Fatal(err)
		}
		return res.Findings
	}
	inside := testfs.Tree(t, files)
	testfs.Write(t, inside, "entrypoint.sh", []byte(script))
	if got := run(inside); len(got) != 1 {
		t.Fatalf("script in the tree: %d findings, want 1: %+v", len(got), got)
	}
	outside := testfs.Tree(t, map[string]string{"entrypoint.sh": script})
	linked := testfs.Tree(t, files)
	if err := os.Symlink(filepath.Join(outside, "entrypoint.sh"), filepath.Join(linked, "entrypoint.sh")); err != nil {
		t.Skip(err)
	}
	if got := run(linked); len(got) != 0 {
		t.Errorf("script linked from outside the project: %d findings, want 0: %+v", len(got), got)
	}
}
