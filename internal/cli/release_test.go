package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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

// The binary is built the same way everywhere it is built for use: `make
// build`, the release archives, the image, the GitHub Action, the install
// lines and bench/ (whose figures must be of that binary). The Makefile's
// BUILD_TAGS is the reference. Built so, it links neither Go's plugin
// package (which makes the linker export every symbol and keep every
// exported method) nor cgo's dynamic loading, whatever cgo setting the
// tags are listed with: a new dependency that brings either back fails here.
func TestReleaseBuild(t *testing.T) {
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("../..", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	m := regexp.MustCompile(`(?m)^BUILD_TAGS\s*:=\s*(\S+)\s*$`).FindStringSubmatch(read("Makefile"))
	if m == nil {
		t.Fatal("Makefile: no BUILD_TAGS := line")
	}
	tags := m[1]
	if !regexp.MustCompile(`(?m)^BUILD_ENV\s*:=\s*CGO_ENABLED=0\s*$`).MatchString(read("Makefile")) ||
		!strings.Contains(read("Makefile"), "$(BUILD_ENV) $(GO) build -tags $(BUILD_TAGS)") {
		t.Error("Makefile: build does not use BUILD_ENV (CGO_ENABLED=0) and BUILD_TAGS")
	}
	for name, want := range map[string][]string{
		".goreleaser.yaml": {"- CGO_ENABLED=0", "tags:\n      - " + tags},
		"Dockerfile":       {"CGO_ENABLED=0 go build -trimpath -tags " + tags + " "},
		"action.yml":       {"CGO_ENABLED=0 go install -tags " + tags + " "},
		"README.md":        {"CGO_ENABLED=0 go install -tags " + tags + " ./cmd/k8slint"},
		"docs/ci.md":       {"CGO_ENABLED=0 go install -tags " + tags + " github.com/k8slint/k8slint/cmd/k8slint@latest"},
		"bench/compare.sh": {"CGO_ENABLED=0 go build -tags " + tags + " "},
		"bench/cache.sh":   {"CGO_ENABLED=0 go build -tags " + tags + " "},
	} {
		text := read(name)
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s does not build as the Makefile does: no %q", name, w)
			}
		}
	}
	if testing.Short() {
		return
	}
	for _, cgo := range []string{"0", "1"} {
		cmd := exec.Command("go", "list", "-deps", "-tags", tags, "./cmd/k8slint")
		cmd.Dir = "../.."
		cmd.Env = append(os.Environ(), "CGO_ENABLED="+cgo)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps (CGO_ENABLED=%s): %v", cgo, err)
		}
		for _, pkg := range strings.Fields(string(out)) {
			if pkg == "plugin" || cgo == "0" && pkg == "runtime/cgo" {
				t.Errorf("CGO_ENABLED=%s -tags %s: k8slint links %s", cgo, tags, pkg)
			}
		}
	}
}
