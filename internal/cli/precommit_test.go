package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPreCommitHook runs the hook of .pre-commit-hooks.yaml for real, with
// `pre-commit try-repo`, as pre-commit runs it: pre-commit builds k8slint
// from this repository (language: golang, `go install ./...`) and passes the
// staged files of a project. Each staged file must get exactly its findings:
// those in the file, and those elsewhere with a related location in it, as a
// full run of the project reports them.
//
// It needs pre-commit (Debian: apt-get install pre-commit), git and go. The
// module cache is shared with pre-commit's build (GOMODCACHE), so it works
// offline once `go mod download` has run.
func TestPreCommitHook(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the pre-commit run")
	}
	for _, tool := range []string{"pre-commit", "git", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install -y pre-commit git): skipping the real pre-commit run", tool)
		}
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("git", "-C", repo, "rev-parse", "--show-toplevel").Output(); err != nil || filepath.Clean(strings.TrimSpace(string(out))) != repo {
		t.Skipf("%s is not the root of a git checkout (%v): pre-commit try-repo needs one", repo, err)
	}
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()   // pre-commit's cache: the hook is built once for all cases
	kcache := t.TempDir() // k8slint's findings cache, not the user's
	project := t.TempDir()
	writeFiles(t, project, map[string]string{
		"Dockerfile":         "FROM python:3.12\nWORKDIR /srv\nCOPY requirements.txt .\nCOPY /code/app.py /srv/\n",
		"requirements.txt":   "flask\n",
		"code/app.py":        "print()\n",
		".dockerignore":      "*\n!code\n",
		"deploy/web.yaml":    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: web:1\n        env:\n        - name: PORT\n          value: 8004\n",
		"deploy/worker.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: worker\nspec:\n  containers:\n  - name: w\n    image: w:1\n    env:\n    - {name: C_FORCE_ROOT, value: True}\n",
		"README.md":          "a project\n",
	})
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=k8slint test", "-c", "user.email=test@k8slint.invalid", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = project
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-q", "-m", "project")

	// What a full run reports, per file (paths relative to the project root).
	t.Chdir(project)
	out, errs, _ := run(t, "", "--format", "json", ".")
	var full struct {
		Findings []struct {
			Rule, File   string
			Line, Column int
			Related      []struct{ File string }
		}
	}
	if err := json.Unmarshal([]byte(out), &full); err != nil {
		t.Fatalf("full run: %v\n%s", err, errs)
	}
	expect := func(file string) []string {
		var want []string
		for _, f := range full.Findings {
			touches := f.File == file
			for _, r := range f.Related {
				touches = touches || r.File == file
			}
			if touches {
				want = append(want, f.File+":"+strconv.Itoa(f.Line)+":"+strconv.Itoa(f.Column)+" "+f.Rule)
			}
		}
		sort.Strings(want)
		return want
	}
	lineRe := regexp.MustCompile(`(?m)^(\S+):(\d+):(\d+): (?:error|warning|info): .* \[([a-z0-9-]+)\]$`)

	// Each try-repo builds the hook afresh (~10 s), so two staged files: the
	// Dockerfile, whose COPY is judged against the files of its build context,
	// and the .dockerignore, which reports the COPY instructions it breaks.
	// Named-file filtering itself is tested in-process (TestNamedFilesUseTheProject).
	cases := 0
	for _, file := range []string{"Dockerfile", ".dockerignore"} {
		// Change and stage one file, as a commit would.
		f, err := os.OpenFile(filepath.Join(project, file), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString("# changed\n"); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		git("add", file)

		cmd := exec.Command("pre-commit", "try-repo", repo, "k8slint", "--color", "never")
		cmd.Dir = project
		cmd.Env = append(os.Environ(), "PRE_COMMIT_HOME="+home, "GOMODCACHE="+strings.TrimSpace(string(modcache)), "K8SLINT_CACHE_DIR="+kcache)
		var stdout bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stdout
		start := time.Now()
		runErr := cmd.Run()
		t.Logf("pre-commit try-repo with %s staged: %v", file, time.Since(start))
		log := stdout.String()
		if strings.Contains(log, "An unexpected error has occurred") || strings.Contains(log, "An error has occurred") {
			t.Fatalf("pre-commit failed to run the hook:\n%s", log)
		}
		var got []string
		for _, m := range lineRe.FindAllStringSubmatch(log, -1) {
			got = append(got, m[1]+":"+m[2]+":"+m[3]+" "+m[4])
		}
		sort.Strings(got)
		want := expect(file)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("staged %s: pre-commit reported\n  %s\nwant\n  %s\nlog:\n%s", file, strings.Join(got, "\n  "), strings.Join(want, "\n  "), log)
		}
		switch {
		case len(want) > 0 && (runErr == nil || !strings.Contains(log, "k8slint....")):
			t.Errorf("staged %s: pre-commit passed with findings:\n%s", file, log)
		case len(want) == 0 && runErr != nil:
			t.Errorf("staged %s: pre-commit failed without findings: %v\n%s", file, runErr, log)
		}
		if len(want) > 0 {
			cases++
		}
		git("commit", "-q", "-m", "change "+file)
	}
	if cases < 1 {
		t.Errorf("only %d staged files had findings: the test proves too little", cases)
	}
	// The hook's runs went through the findings cache (each try-repo builds
	// a new binary, so none could be served from another's entry).
	if entries, _ := filepath.Glob(filepath.Join(kcache, "*.entry")); len(entries) == 0 {
		t.Errorf("the hook wrote no cache entry in %s", kcache)
	}
}
