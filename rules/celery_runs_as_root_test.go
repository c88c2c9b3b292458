package rules_test

import (
	"testing"

	"github.com/k8slint/k8slint/internal/ruletest"
	"github.com/k8slint/k8slint/internal/workspace"
	"github.com/k8slint/k8slint/rules"
)

func TestCeleryRunsAsRoot(t *testing.T) {
	ruletest.Run(t, "testdata/celery-runs-as-root", rules.CeleryRunsAsRoot)
}

func TestCeleryCommandLines(t *testing.T) {
	pod := func(container string) map[string]string {
		return map[string]string{"p.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: i\n" + container}
	}
	for _, tc := range []struct {
		container string
		want      bool
	}{
		{`    command: ["celery", "worker"]` + "\n", true},
		{`    command: ["/usr/local/bin/celery", "--app", "proj.celery:app", "worker", "-l", "INFO"]` + "\n", true},
		{`    command: ["celeryd", "-l", "info"]` + "\n", true},
		{`    command: ["python", "-u", "-m", "celery", "-A", "app", "worker"]` + "\n", true},
		{`    command: ["python", "-m", "flask", "run"]` + "\n", false},
		{`    command: ["bash", "-o", "pipefail", "-c", "sleep 5 && exec celery -A app worker"]` + "\n", true},
		{`    command: ["sh", "-c"]` + "\n" + `    args: ["cd /app; celery -A app worker 2>&1 | tee /log"]` + "\n", true},
		{`    command: ["sh", "-c", "echo 'celery -A app worker'"]` + "\n", false},
		{`    command: ["sh", "-c", "# celery -A app worker\nexec gunicorn app"]` + "\n", false},
		{`    command: ["env", "PYTHONPATH=/app", "celery", "-A", "app", "worker"]` + "\n", true},
		{`    command: ["env", "C_FORCE_ROOT=1", "celery", "-A", "app", "worker"]` + "\n", false},
		{`    command: ["dumb-init", "--", "uv", "run", "celery", "-A", "app", "worker"]` + "\n", true},
		{`    command: ["su-exec", "app", "celery", "-A", "app", "worker"]` + "\n", false},
		{`    command: ["celery", "-A", "app", "inspect", "ping"]` + "\n", false},
		{`    command: ["celery", "-A", "app", "worker", "--uid", "1000"]` + "\n", false},
		{`    args: ["worker", "-A", "app"]` + "\n", false},
		{`    command: ["sh", "-c", "if [ -f /app/ok ]; then exec celery -A app worker; fi"]` + "\n", true},
		{`    command: ["bash", "-lc", "time celery -A app worker"]` + "\n", true},
		{`    command: ["sh", "-c", "{ cd /app; } && nice -n 5 poetry run celery -A app worker || exit 1"]` + "\n", true},
		{`    command: ["sh", "-c", "sh -c 'pipenv run celery -A app worker'"]` + "\n", true},
		{`    command: ["sh", "-c", "C_FORCE_ROOT=1 celery -A app worker"]` + "\n", false},
		{`    command: ["sh", "-c", "exec gosu app celery -A app worker"]` + "\n", false},
		{`    command: ["sh", "-c", "cat <<EOF\ncelery -A app worker\nEOF"]` + "\n", false},
		{`    command: ["celery", "-A", "app", "worker"]` + "\n" + `    securityContext: {runAsUser: 1001}` + "\n", false},
		{`    command: ["celery", "-A", "app", "worker"]` + "\n" + `    securityContext: {runAsNonRoot: false}` + "\n", true},
	} {
		got := lint(t, rules.CeleryRunsAsRoot, workspace.Settings{}, pod(tc.container))
		if (len(got) > 0) != tc.want {
			t.Errorf("%s: %d findings, want finding=%v", tc.container, len(got), tc.want)
		}
	}
}

func TestCeleryPodSecurityContext(t *testing.T) {
	base := "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n%s  containers:\n  - name: c\n    image: i\n    command: [celery, -A, app, worker]\n%s"
	for _, tc := range []struct {
		pod, container string
		want           bool
	}{
		{"  securityContext: {runAsUser: 1000}\n", "", false},
		{"  securityContext: {runAsUser: 1000}\n", "    securityContext: {runAsUser: 0}\n", true}, // the container wins
		{"  securityContext: {runAsUser: 0}\n", "    securityContext: {runAsNonRoot: true}\n", false},
		{"  securityContext: {runAsNonRoot: true}\n", "    securityContext: {runAsNonRoot: false}\n", true},
	} {
		got := lint(t, rules.CeleryRunsAsRoot, workspace.Settings{}, map[string]string{"p.yaml": sprintf(base, tc.pod, tc.container)})
		if (len(got) > 0) != tc.want {
			t.Errorf("pod %q container %q: %d findings, want finding=%v", tc.pod, tc.container, len(got), tc.want)
		}
	}
}
