package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The bash script completes flag values, rule IDs and subcommands when
// bash runs it for real.
func TestCompletionBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed: the completion script is not run")
	}
	out, errs, code := run(t, "", "completion", "bash")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	script := filepath.Join(t.TempDir(), "k8slint.bash")
	if err := os.WriteFile(script, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ words, want string }{
		{"k8slint --fail-on n", "never"},
		{"k8slint --disable env-value", "env-value-not-string"},
		{"k8slint explain copy-ig", "copy-ignored-file"},
		{"k8slint vers", "version"},
		{"k8slint --enab", "--enable"},
	} {
		words := strings.Fields(tc.words)
		prog := "source " + script + "; COMP_WORDS=(" + tc.words + "); COMP_CWORD=" +
			string(rune('0'+len(words)-1)) + "; _k8slint; printf '%s\\n' \"${COMPREPLY[@]}\""
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", prog)
		cmd.Dir = t.TempDir()
		got, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.words, err, got)
		}
		if strings.TrimSpace(string(got)) != tc.want {
			t.Errorf("%s: completions %q, want %q", tc.words, strings.TrimSpace(string(got)), tc.want)
		}
	}
}

func TestCompletionShells(t *testing.T) {
	for shell, want := range map[string]string{"zsh": "#compdef k8slint", "fish": "complete -c k8slint -l fail-on -x -a \"error warning info never\""} {
		out, errs, code := run(t, "", "completion", shell)
		if code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, %s\n%s", shell, code, errs, out)
		}
	}
	if _, errs, code := run(t, "", "completion", "tcsh"); code != ExitUsage || !strings.Contains(errs, `unknown shell "tcsh"`) {
		t.Errorf("completion tcsh: exit %d, %s", code, errs)
	}
}
