package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/k8slint/k8slint/internal/config"
	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/internal/settings"
	"github.com/k8slint/k8slint/internal/workspace"
)

const badPod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x:1\n    env:\n    - {name: A, value: 1}\n"

func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		".git/HEAD":         "x\n",
		"deploy/pod.yaml":   badPod,
		"charts/x/pod.yaml": badPod,
		"deploy/gen.yaml":   badPod,
		"deploy/Dockerfile": "FROM x\nCOPY /abs.txt /\n",
	})
	conf := func(s string) {
		t.Helper()
		writeFiles(t, dir, map[string]string{".k8slint.yaml": s})
	}
	t.Chdir(filepath.Join(dir, "deploy")) // the file is found in a parent

	conf("rules: {}\nexclude: []\nfail-onn: error\n")
	out, errs, code := run(t, "", ".")
	if code != ExitUsage || errs != "../.k8slint.yaml:3: unknown key \"fail-onn\" (did you mean \"fail-on\"?)\n" || out != "" {
		t.Errorf("misspelt key: exit %d, stdout %q, stderr %q", code, out, errs)
	}

	conf("exclude: [\"charts/**\", \"gen.yaml\"]\n")
	out, _, code = run(t, "", "--color", "never", "--format", "github", "..")
	if code != ExitFindings || strings.Contains(out, "charts/") || strings.Contains(out, "gen.yaml") || !strings.Contains(out, "file=deploy/pod.yaml") {
		t.Errorf("exclude: exit %d\n%s", code, out)
	}

	// Severity: env-value-not-string lowered to info does not fail with
	// fail-on warning; --fail-on on the command line wins over the file.
	conf("rules:\n  severity: {env-value-not-string: info, copy-absolute-source: info}\n")
	out, _, code = run(t, "", "--color", "never", ".")
	if code != ExitOK || !strings.Contains(out, "pod.yaml:10:24: info:") {
		t.Errorf("severity: exit %d\n%s", code, out)
	}
	conf("fail-on: info\nrules:\n  severity: {env-value-not-string: info, copy-absolute-source: info}\n")
	if _, _, code = run(t, "", "."); code != ExitFindings {
		t.Errorf("fail-on info from the file: exit %d", code)
	}
	if _, _, code = run(t, "", "--fail-on", "warning", "."); code != ExitOK {
		t.Errorf("--fail-on warning over the file's info: exit %d", code)
	}

	conf("rules:\n  disable: [env-value-not-string]\n")
	out, _, _ = run(t, "", "--color", "never", ".")
	if strings.Contains(out, "env-value-not-string") || !strings.Contains(out, "copy-absolute-source") {
		t.Errorf("disable:\n%s", out)
	}
	conf("rules:\n  enable: [env-value-not-string]\n")
	out, _, _ = run(t, "", "--color", "never", "--format", "sarif", ".")
	if !strings.Contains(out, "env-value-not-string") || strings.Contains(out, `"ruleId": "copy-absolute-source"`) || !strings.Contains(out, `"enabled": false`) {
		t.Errorf("enable: only env-value-not-string runs; the others are disabled in the driver")
	}

	// build-contexts: the context of deploy/Dockerfile is the project root,
	// where abs.txt exists, so the absolute COPY source is only a warning.
	writeFiles(t, dir, map[string]string{"abs.txt": "x\n"})
	conf("")
	out, _, _ = run(t, "", "--color", "never", "Dockerfile")
	if !strings.Contains(out, "Dockerfile:2:6: error:") {
		t.Errorf("without build-contexts:\n%s", out)
	}
	conf("build-contexts:\n  deploy/Dockerfile: .\n")
	out, _, _ = run(t, "", "--color", "never", "Dockerfile")
	if !strings.Contains(out, "Dockerfile:2:6: warning:") {
		t.Errorf("with build-contexts:\n%s", out)
	}

	// --config names another file; a missing one is a usage error.
	writeFiles(t, dir, map[string]string{"other.yaml": "rules:\n  disable: [env-value-not-string, copy-absolute-source]\n"})
	out, _, code = run(t, "", "--config", "../other.yaml", "--color", "never", ".")
	if code != ExitOK || !strings.Contains(out, "no problems found") {
		t.Errorf("--config: exit %d\n%s", code, out)
	}
	if _, errs, code = run(t, "", "--config", "nope.yaml", "."); code != ExitUsage || !strings.Contains(errs, "nope.yaml: no such file") {
		t.Errorf("--config missing: exit %d, %s", code, errs)
	}
}

// nodes and kube-version feed workspace.Settings; flags (set before) win.
func TestApplyConfigSettings(t *testing.T) {
	cfg := &config.Config{
		Nodes:       []settings.NodeSpec{{Resources: map[string]int64{"cpu": 2000}, Count: 1, Source: ".k8slint.yaml:2"}},
		KubeVersion: "1.30",
	}
	var o engine.Options
	applyConfig(cfg, &o)
	if !reflect.DeepEqual(o.Settings.Nodes, cfg.Nodes) || o.Settings.KubeVersion != "1.30" {
		t.Errorf("settings from the file: %+v", o.Settings)
	}
	flags := workspace.Settings{Nodes: []settings.NodeSpec{{Resources: map[string]int64{"cpu": 8000}, Count: 2, Source: "--node-capacity cpu=8,count=2"}}, KubeVersion: "1.33"}
	o = engine.Options{Settings: flags}
	applyConfig(cfg, &o)
	if !reflect.DeepEqual(o.Settings, flags) {
		t.Errorf("flags did not win: %+v", o.Settings)
	}
}

func TestConfigInit(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	_, errs, code := run(t, "", "config", "init")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(".k8slint.yaml")
	if err != nil || string(data) != config.Default {
		t.Fatalf("written file: %v", err)
	}
	if _, errs, code = run(t, "", "config", "init"); code != ExitUsage || !strings.Contains(errs, "already exists") {
		t.Errorf("second init: exit %d, %s", code, errs)
	}
	if _, _, code = run(t, "", "config", "init", "--force"); code != ExitOK {
		t.Errorf("--force: exit %d", code)
	}
	// The written default is a valid configuration that changes nothing.
	writeFiles(t, dir, map[string]string{"pod.yaml": badPod})
	out, errs, code := run(t, "", "--color", "never", ".")
	if code != ExitFindings || !strings.Contains(out, "env-value-not-string") {
		t.Errorf("lint with the default file: exit %d\n%s%s", code, out, errs)
	}
	out, _, _ = run(t, "", "config", "init", "-")
	if out != config.Default {
		t.Errorf("config init - did not print the default")
	}
}

func TestSubcommands(t *testing.T) {
	out, _, code := run(t, "", "rules")
	if code != ExitOK || !strings.Contains(out, "unused-ignore") || !strings.Contains(out, "parse-error") || !strings.Contains(out, "RULE") {
		t.Errorf("rules: exit %d\n%s", code, out)
	}
	out, _, code = run(t, "", "rules", "--format", "json")
	if code != ExitOK || !strings.Contains(out, `"id": "env-value-not-string"`) {
		t.Errorf("rules --format json: exit %d\n%s", code, out)
	}
	out, _, code = run(t, "", "explain", "env-value-not-string")
	if code != ExitOK || !strings.HasPrefix(out, "# env-value-not-string\n") || !strings.Contains(out, "## Suppress") {
		t.Errorf("explain: exit %d\n%s", code, out)
	}
	_, errs, code := run(t, "", "explain", "env-value")
	if code != ExitUsage || !strings.Contains(errs, `did you mean "env-value-not-string"?`) {
		t.Errorf("explain unknown: exit %d, %s", code, errs)
	}
	// A directory named like a subcommand is linted when written as a path.
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"rules/pod.yaml": badPod})
	t.Chdir(dir)
	out, errs, code = run(t, "", "--color", "never", "./rules")
	if code != ExitFindings || !strings.HasPrefix(out, "rules/pod.yaml:10:24: error:") {
		t.Errorf("./rules: exit %d\n%s%s", code, out, errs)
	}
	out, errs, _ = run(t, "", "rules")
	if !strings.Contains(out, "SEVERITY") || !strings.Contains(errs, "write ./rules") {
		t.Errorf("rules beside a rules directory: %s %s", out, errs)
	}
}

// `k8slint rules` shows each rule's severity and whether it runs under the
// configuration in use.
func TestRulesUnderConfig(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{".k8slint.yaml": "rules:\n  disable: [duplicate-key]\n  severity:\n    copy-source-missing: error\n"})
	t.Chdir(dir)
	out, errs, code := run(t, "", "rules")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Configuration: .k8slint.yaml", "ENABLED"} {
		if !strings.Contains(out, want) {
			t.Errorf("rules output lacks %q:\n%s", want, out)
		}
	}
	lines := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			lines[f[0]] = strings.Join(strings.Fields(l), " ")
		}
	}
	for id, want := range map[string]string{
		"duplicate-key":        "duplicate-key error no ",
		"copy-source-missing":  "copy-source-missing error (default warning) yes ",
		"env-value-not-string": "env-value-not-string error yes ",
	} {
		if !strings.HasPrefix(lines[id], want) {
			t.Errorf("%s: got %q, want prefix %q", id, lines[id], want)
		}
	}
	out, _, _ = run(t, "", "rules", "--format", "json")
	if !strings.Contains(out, `"id": "duplicate-key",
    "severity": "error",
    "defaultSeverity": "error",
    "enabled": false`) {
		t.Errorf("rules --format json under the config:\n%s", out)
	}
}

// units: forms deployment units, and -v names them.
func TestConfigUnits(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		".git/HEAD":          "x\n",
		".k8slint.yaml":      "units: [\"extras/*\"]\n",
		"main/pod.yaml":      strings.Replace(badPod, "value: 1", "value: \"1\"", 1),
		"extras/pg/pod.yaml": strings.Replace(badPod, "value: 1", "value: \"1\"", 1),
		"extras/none/README": "not a manifest\n",
	})
	t.Chdir(dir)
	_, errs, code := run(t, "", "-v", ".")
	if code != ExitOK {
		t.Errorf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"k8slint: info: unit . (the linted tree): 1 object, 1 pod template\n",
		"k8slint: info: unit extras/pg (directory matched by units: extras/*): 1 object, 1 pod template\n",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("-v does not say %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "extras/none") {
		t.Errorf("a unit without objects is listed:\n%s", errs)
	}
}

// Flags may follow the file, as in the rest of the CLI.
func TestConfigInitFlagsAfterFile(t *testing.T) {
	t.Chdir(t.TempDir())
	if _, errs, code := run(t, "", "config", "init", "x.yaml"); code != ExitOK {
		t.Fatalf("config init x.yaml: exit %d %s", code, errs)
	}
	if _, errs, code := run(t, "", "config", "init", "x.yaml"); code != ExitUsage || !strings.Contains(errs, "already exists") {
		t.Errorf("config init x.yaml again: exit %d %s", code, errs)
	}
	for _, args := range [][]string{{"config", "init", "x.yaml", "--force"}, {"config", "init", "--force", "x.yaml"}} {
		if _, errs, code := run(t, "", args...); code != ExitOK {
			t.Errorf("%v: exit %d %s", args, code, errs)
		}
	}
}
