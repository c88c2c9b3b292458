package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/k8slint/k8slint/internal/testfs"
)

// badPodNamed is badPod with another name (env value 1 at line 10, column 24).
func badPodNamed(name string) string {
	return strings.Replace(badPod, "name: p\n", "name: "+name+"\n", 1)
}

// runBounded is run with a deadline: a hang fails the test instead of the suite.
func runBounded(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	type result struct {
		out, errs string
		code      int
	}
	done := make(chan result, 1)
	go func() {
		o, e, c := run(t, stdin, args...)
		done <- result{o, e, c}
	}()
	select {
	case r := <-done:
		return r.out, r.errs, r.code
	case <-time.After(20 * time.Second):
		t.Fatalf("k8slint %s: no result after 20 s", strings.Join(args, " "))
		return "", "", 0
	}
}

// The root of a named file is found from the file, not from the working
// directory: a configuration planted above the repository is never applied,
// the repository's own is, and other repositories beside it are not read.
func TestRootFromTheNamedFile(t *testing.T) {
	outer := testfs.Tree(t, map[string]string{
		".k8slint.yaml":         "rules: {enable: [unused-ignore]}\n", // planted above the repository
		"repo/.git/HEAD":        "ref: refs/heads/main\n",
		"repo/deploy/pod.yaml":  badPod,
		"other/.git/HEAD":       "ref: refs/heads/main\n",
		"other/deploy/pod.yaml": badPodNamed("other"),
		"loose/sub/pod.yaml":    badPodNamed("loose"),
	})
	pod := filepath.Join(outer, "repo/deploy/pod.yaml")
	for _, cwd := range []string{"/", outer, filepath.Join(outer, "other")} {
		t.Chdir(cwd)
		out, errs, code := runBounded(t, "", "--color", "never", "-v", pod)
		if code != ExitFindings || !strings.Contains(out, "pod.yaml:10:24: error:") || strings.Contains(out, "other") {
			t.Errorf("from %s: exit %d\n%s%s", cwd, code, out, errs)
		}
		if strings.Contains(errs, "configuration:") {
			t.Errorf("from %s: a configuration above the repository was applied:\n%s", cwd, errs)
		}
	}
	// The repository's own configuration applies from anywhere.
	testfs.Write(t, outer, "repo/.k8slint.yaml", []byte("rules: {disable: [env-value-not-string]}\n"))
	t.Chdir("/")
	if out, errs, code := runBounded(t, "", "--color", "never", pod); code != ExitOK {
		t.Errorf("the repository's configuration was not applied: exit %d\n%s%s", code, out, errs)
	}
	// Without .git, the nearest .k8slint.yaml marks the root.
	t.Chdir(outer)
	out, errs, code := runBounded(t, "", "--color", "never", "-v", "loose/sub")
	if code != ExitOK || !strings.Contains(errs, "configuration: .k8slint.yaml") {
		t.Errorf("loose/sub: exit %d\n%s%s", code, out, errs)
	}
	// Without either, a directory is its own root.
	loose := testfs.Tree(t, map[string]string{"sub/pod.yaml": badPod})
	t.Chdir(loose)
	if out, errs, code := runBounded(t, "", "--color", "never", "--format", "github", "sub"); code != ExitFindings || !strings.Contains(out, "file=pod.yaml,") {
		t.Errorf("sub without a root: exit %d\n%s%s", code, out, errs)
	}
}

// Files of different projects on one command line each get their own root
// and configuration.
func TestRootsPerNamedFile(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{
		"a/.git/HEAD":     "x\n",
		"a/pod.yaml":      badPodNamed("a"),
		"b/.git/HEAD":     "x\n",
		"b/.k8slint.yaml": "rules: {disable: [env-value-not-string]}\n",
		"b/pod.yaml":      badPodNamed("b"),
		"c/.git/HEAD":     "x\n",
		"c/pod.yaml":      badPodNamed("c"),
	})
	t.Chdir(dir)
	out, errs, code := run(t, "", "--color", "never", "a/pod.yaml", "b/pod.yaml", "c")
	if code != ExitFindings || !strings.Contains(out, "a/pod.yaml:10:24:") || strings.Contains(out, "b/pod.yaml") || !strings.Contains(out, "c/pod.yaml:10:24:") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

// Paths that exist and hold nothing to lint exit 0 with a note; paths that
// do not exist, or files that cannot be read, exit 2.
func TestNothingToLint(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{
		".git/HEAD":                "x\n",
		".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
		"deploy/pod.yaml":          badPod,
	})
	t.Chdir(dir)
	for _, args := range [][]string{{".github"}, {".github/workflows/ci.yml"}} {
		out, errs, code := run(t, "", args...)
		if code != ExitOK || !strings.HasPrefix(errs, "k8slint: nothing to lint") || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errs)
		}
	}
	if _, errs, code := run(t, "", "nope.yaml"); code != ExitUsage || !strings.Contains(errs, "no such file") {
		t.Errorf("missing path: exit %d %s", code, errs)
	}
	out, errs, code := run(t, "", "--max-file-size", "10", ".")
	if code != ExitUsage || !strings.Contains(out, "larger than the 10-byte limit") {
		t.Errorf("--max-file-size 10: exit %d\n%s%s", code, out, errs)
	}
}

// Standard input is linted together with the paths, as the kind its
// --stdin-filename names, in the project of that name.
func TestStdinWithPaths(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{
		".git/HEAD":         "x\n",
		"deploy/old.yaml":   badPodNamed("old"),
		"app/Dockerfile":    "FROM alpine:3.20\nCOPY go.mod /src/\n", // on disk: clean
		"app/go.mod":        "module x\n",
		"app/.dockerignore": "secret.txt\n",
		"app/secret.txt":    "x\n",
	})
	t.Chdir(dir)
	out, errs, code := run(t, badPodNamed("web"), "--color", "never", "-", "deploy/old.yaml")
	if code != ExitFindings || !strings.Contains(out, "<stdin>:10:24:") || !strings.Contains(out, "deploy/old.yaml:10:24:") {
		t.Errorf("stdin and a path: exit %d\n%s%s", code, out, errs)
	}
	// An editor's unsaved buffer of app/Dockerfile: app/'s context and
	// ignore file apply, and the buffer replaces the file on disk.
	buf := "FROM alpine:3.20\nCOPY secret.txt /src/\n"
	out, errs, code = run(t, buf, "--color", "never", "--stdin-filename", "app/Dockerfile", "-")
	if code != ExitFindings || !strings.Contains(out, "app/Dockerfile:2:6:") || !strings.Contains(out, "[copy-ignored-file]") || strings.Contains(out, "go.mod") {
		t.Errorf("Dockerfile buffer: exit %d\n%s%s", code, out, errs)
	}
	// A buffer of a file that does not exist yet, with paths beside it.
	out, errs, code = run(t, badPodNamed("new"), "--color", "never", "--stdin-filename", "deploy/new.yaml", "-", "deploy/old.yaml")
	if code != ExitFindings || !strings.Contains(out, "deploy/new.yaml:10:24:") || !strings.Contains(out, "deploy/old.yaml:10:24:") {
		t.Errorf("new file buffer: exit %d\n%s%s", code, out, errs)
	}
}

// -v lists every skipped file and why, with paths relative like findings.
func TestVerboseSkips(t *testing.T) {
	outside := testfs.Tree(t, map[string]string{"token.yaml": "eyJhbGciOiJIUzI1NiJ9.secret\n"})
	dir := testfs.Tree(t, map[string]string{
		".git/HEAD":                      "x\n",
		".github/workflows/ci.yml":       "on: push\n",
		"chart/Chart.yaml":               "apiVersion: v2\nname: c\nversion: 0.1.0\n",
		"chart/templates/deploy.yaml":    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
		"deploy/pod.yaml":                badPod,
		"deploy/old.yaml":                badPodNamed("old"),
		"deploy/empty.yaml":              "\n",
		"deploy/nested/notes.txt":        "x\n",
		"deploy/nested/kustomize-x.yaml": "foo: bar\n",
	})
	if err := os.Symlink(filepath.Join(outside, "token.yaml"), filepath.Join(dir, "deploy/leak.yaml")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	t.Chdir(dir)
	out, errs, _ := run(t, "", "--color", "never", "-v", "--exclude", "old.yaml", ".")
	for _, want := range []string{
		"k8slint: info: .github/workflows/ci.yml: skipped: YAML that is not a Kubernetes manifest",
		"k8slint: info: chart/templates/deploy.yaml: skipped: linted as part of the rendered chart chart",
		"k8slint: info: deploy/leak.yaml: skipped: symbolic link to a path outside the project root: not read",
		"k8slint: info: deploy/empty.yaml: skipped: empty file",
		"k8slint: info: deploy/nested/kustomize-x.yaml: skipped: YAML that is not a Kubernetes manifest",
		"k8slint: info: deploy/old.yaml: skipped: excluded by --exclude",
	} {
		if !strings.Contains(errs, want+"\n") && !strings.Contains(errs, want+" ") && !strings.Contains(errs, want+"(") {
			t.Errorf("-v lacks %q:\n%s", want, errs)
		}
	}
	if strings.Contains(out+errs, "eyJ") || strings.Contains(out+errs, outside) {
		t.Errorf("output names the link's target or its content:\n%s%s", out, errs)
	}
}

// --exclude matches paths as written from the working directory, with or
// without "./", as well as relative to each linted path.
func TestExcludeFromWorkingDirectory(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{
		".git/HEAD":       "x\n",
		"deploy/old.yaml": badPodNamed("old"),
		"deploy/web.yaml": badPodNamed("web"),
	})
	t.Chdir(dir)
	for _, args := range [][]string{
		{"--exclude", "deploy/old.yaml", "."},
		{"--exclude", "./deploy/old.yaml", "."},
		{"--exclude", "./deploy/old.yaml", "deploy"},
		{"--exclude", "old.yaml", "deploy"},
		{"--exclude", "deploy/old.yaml", "deploy/old.yaml", "deploy/web.yaml"},
		{"--exclude", "./deploy/*.yaml", "--exclude", "nothing", "deploy/web.yaml", "deploy/old.yaml"},
	} {
		out, errs, _ := run(t, "", append([]string{"--color", "never"}, args...)...)
		if strings.Contains(out, "old.yaml") {
			t.Errorf("%v: old.yaml not excluded\n%s%s", args, out, errs)
		}
		if !strings.Contains(strings.Join(args, " "), "*") && !strings.Contains(out, "deploy/web.yaml:10:24:") {
			t.Errorf("%v: web.yaml not linted\n%s%s", args, out, errs)
		}
	}
}

// build-contexts keys may be globs, and copy-source-missing names the
// context that was used.
func TestBuildContextGlobs(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{
		".git/HEAD":          "x\n",
		".k8slint.yaml":      "build-contexts:\n  src/*/Dockerfile: .\n",
		"go.mod":             "module x\n",
		"src/api/Dockerfile": "FROM golang:1.23\nCOPY go.mod /src/\nCOPY src/api/main.go /src/\nCOPY nothere.txt /src/\n",
		"src/api/main.go":    "package main\n",
	})
	t.Chdir(dir)
	out, errs, code := run(t, "", "--color", "never", "--compact", ".")
	if code != ExitFindings || strings.Count(out, "[copy-source-missing]") != 1 || !strings.Contains(out, "src/api/Dockerfile:4:6:") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, `"../.." from the Dockerfile, set by build-contexts in .k8slint.yaml`) {
		t.Errorf("the message does not name the context used:\n%s", out)
	}
	testfs.Write(t, dir, ".k8slint.yaml", []byte("build-contexts:\n  \"src/[/Dockerfile\": .\n"))
	if _, errs, code := run(t, "", "."); code != ExitUsage || !strings.Contains(errs, "not a valid glob") {
		t.Errorf("bad glob: exit %d %s", code, errs)
	}
}

// No file whose real path lies outside the project root is read: its
// content never reaches the output. Links inside the root still work.
func TestLinksOutOfTheRoot(t *testing.T) {
	const token = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"
	outside := testfs.Tree(t, map[string]string{"secret.env": token + "\n", "pod.yaml": badPodNamed("outside")})
	dir := testfs.Tree(t, map[string]string{
		".git/HEAD":     "x\n",
		"real/pod.yaml": badPodNamed("inside"),
	})
	links := map[string]string{
		"app/Dockerfile":  filepath.Join(outside, "secret.env"),
		"redis.conf":      filepath.Join(outside, "secret.env"),
		"mongod.conf":     filepath.Join(outside, "secret.env"),
		"deploy/x.yaml":   filepath.Join(outside, "pod.yaml"),
		"deploy/in.yaml":  filepath.Join(dir, "real/pod.yaml"),
		"deploy/rel.yaml": "../real/pod.yaml",
	}
	for name, target := range links {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skip("no symbolic links:", err)
		}
	}
	t.Chdir(dir)
	for _, format := range []string{"text", "json", "sarif", "github"} {
		for _, args := range [][]string{{"."}, {"app/Dockerfile", "redis.conf", "mongod.conf", "deploy/x.yaml", "deploy/in.yaml"}} {
			out, errs, _ := run(t, "", append([]string{"--format", format, "--color", "never", "-v"}, args...)...)
			if strings.Contains(out+errs, "wJalr") || strings.Contains(out+errs, "AWS_SECRET") || strings.Contains(out+errs, outside) || strings.Contains(out, `"outside"`) {
				t.Errorf("%s %v: content from outside the root:\n%s%s", format, args, out, errs)
			}
			if !strings.Contains(out, "in.yaml") {
				t.Errorf("%s %v: a link inside the root was not linted:\n%s", format, args, out)
			}
			if format == "text" && (!strings.Contains(errs, "app/Dockerfile: skipped: symbolic link to a path outside the project root") || strings.Count(errs, "redis.conf: skipped") != 1) {
				t.Errorf("%v: -v does not name the links:\n%s", args, errs)
			}
		}
	}
	// A configuration that is a link out of the root is not read.
	if err := os.Symlink(filepath.Join(outside, "secret.env"), filepath.Join(dir, ".k8slint.yaml")); err != nil {
		t.Fatal(err)
	}
	out, errs, code := run(t, "", ".")
	if code != ExitUsage || strings.Contains(out+errs, "wJalr") || !strings.Contains(errs, ".k8slint.yaml is a symbolic link to a file outside the project root") {
		t.Errorf("linked configuration: exit %d\n%s%s", code, out, errs)
	}
	// config init --force does not write through it.
	if _, errs, code := run(t, "", "config", "init", "--force"); code != ExitUsage || !strings.Contains(errs, "symbolic link") {
		t.Errorf("config init --force on a link: exit %d %s", code, errs)
	}
	if data, _ := os.ReadFile(filepath.Join(outside, "secret.env")); string(data) != token+"\n" {
		t.Errorf("config init --force wrote through the link: %q", data)
	}
	// ... and it replaces a regular file.
	if err := os.Remove(filepath.Join(dir, ".k8slint.yaml")); err != nil {
		t.Fatal(err)
	}
	testfs.Write(t, dir, ".k8slint.yaml", []byte("fail-on: error\n"))
	if _, errs, code := run(t, "", "config", "init", "--force"); code != ExitOK {
		t.Errorf("config init --force: exit %d %s", code, errs)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, ".k8slint.yaml")); !strings.Contains(string(data), "build-contexts") {
		t.Errorf("config init --force did not write: %q", data)
	}
}

// The configuration is read only when it is a regular file of bounded size.
func TestConfigFileKinds(t *testing.T) {
	dir := testfs.Tree(t, map[string]string{".git/HEAD": "x\n", "pod.yaml": badPod})
	t.Chdir(dir)
	testfs.Write(t, dir, "big.yaml", []byte("# "+strings.Repeat("x", 2<<20)+"\n"))
	if _, errs, code := run(t, "", "--config", "big.yaml", "."); code != ExitUsage || !strings.Contains(errs, "larger than the 1048576-byte limit") {
		t.Errorf("big configuration: exit %d %s", code, errs)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, errs, code := runBounded(t, "", "--config", "/dev/zero", "."); code != ExitUsage || !strings.Contains(errs, "not a regular file") {
			t.Errorf("--config /dev/zero: exit %d %s", code, errs)
		}
	}
}
