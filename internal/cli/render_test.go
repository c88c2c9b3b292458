package cli

import (
	"testing"

	"github.com/k8slint/k8slint/internal/ruletest"
)

// TestArticleChart lints the article's project rebuilt as a Helm chart:
// every finding is at the template line that writes the value, with the
// values.yaml line that sets it.
func TestArticleChart(t *testing.T) {
	t.Chdir("../..")
	out, errs, code := run(t, "", "--color", "never", "testdata/article-chart")
	if code != ExitFindings {
		t.Errorf("exit code %d, want %d; stderr: %s", code, ExitFindings, errs)
	}
	ruletest.Golden(t, "testdata/article-chart/k8slint.golden", []byte(out))
}

// A directory that holds only a chart is read (exit 0 or 1, never 2).
func TestChartOnlyDirectory(t *testing.T) {
	t.Chdir("../..")
	_, errs, code := run(t, "", "rules/testdata/render-error/fine")
	if code != ExitOK {
		t.Errorf("exit code %d, want %d; stderr: %s", code, ExitOK, errs)
	}
}

// TestArticleKustomize lints the article's project as a kustomize base and
// two overlays: each finding at the base line or the patch line that wrote
// the value; a base value that an overlay's patch fixes is not reported for
// that overlay.
func TestArticleKustomize(t *testing.T) {
	t.Chdir("../..")
	out, errs, code := run(t, "", "--color", "never", "testdata/article-kustomize")
	if code != ExitFindings {
		t.Errorf("exit code %d, want %d; stderr: %s", code, ExitFindings, errs)
	}
	ruletest.Golden(t, "testdata/article-kustomize/k8slint.golden", []byte(out))
}
