package cli

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// .goreleaser.yaml is valid for goreleaser v2 (goreleaser check). The test
// runs where goreleaser is installed (go install
// github.com/goreleaser/goreleaser/v2@v2.17.0) and skips elsewhere.
func TestGoreleaserCheck(t *testing.T) {
	bin, err := exec.LookPath("goreleaser")
	if err != nil {
		if gp, e := exec.Command("go", "env", "GOPATH").Output(); e == nil {
			if p := filepath.Join(strings.TrimSpace(string(gp)), "bin", "goreleaser"); exec.Command(p, "--version").Run() == nil {
				bin = p
			}
		}
	}
	if bin == "" {
		t.Skip("goreleaser is not installed: .goreleaser.yaml is not checked")
	}
	cmd := exec.Command(bin, "check")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("goreleaser check: %v\n%s", err, out)
	}
}
