package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A kustomization never reads a file whose real path lies outside the
// project: a resource linked out of it is missing from the build (and its
// content reaches no message), a link that stays inside works as its
// target, and a kustomization file linked out of the project is no
// kustomization at all.
func TestKustomizeLinksConfined(t *testing.T) {
	outside := t.TempDir()
	write(t, filepath.Join(outside, "secret.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: TOKEN-abc123\n")
	write(t, filepath.Join(outside, "kustomization.yaml"), "resources:\n  - TOKEN-abc123.yaml\n")
	project := t.TempDir()
	write(t, filepath.Join(project, "app/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inside\n")
	if err := os.Symlink(filepath.Join(project, "app/cm.yaml"), filepath.Join(project, "app/linked.yaml")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(project, "app/secret.yaml")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(project, "app/kustomization.yaml"), "resources:\n  - linked.yaml\n")
	res := BuildKustomization(filepath.Join(project, "app"), project, KustomizeOptions{})
	if res.Output == nil || !strings.Contains(string(res.Output.Text), "name: inside") {
		t.Fatalf("a link inside the project: got %+v", res)
	}

	write(t, filepath.Join(project, "app/kustomization.yaml"), "resources:\n  - secret.yaml\n")
	res = BuildKustomization(filepath.Join(project, "app"), project, KustomizeOptions{})
	if res.Output != nil || len(res.Problems) != 1 {
		t.Fatalf("a link out of the project was built: %+v", res)
	}
	if msg := res.Problems[0].Msg + res.Problems[0].Detail; strings.Contains(msg, "TOKEN") {
		t.Errorf("the linked file's content reached a message: %s", msg)
	}

	if err := os.Symlink(filepath.Join(outside, "kustomization.yaml"), filepath.Join(project, "other-kustomization")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(project, "other"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(project, "other-kustomization"), filepath.Join(project, "other/kustomization.yaml")); err != nil {
		t.Fatal(err)
	}
	res = BuildKustomization(filepath.Join(project, "other"), project, KustomizeOptions{})
	if res.Output != nil || len(res.Problems)+len(res.Notes)+len(res.Files) != 0 {
		t.Errorf("a kustomization file linked out of the project was read: %+v", res)
	}
	if u := UsesOf(filepath.Join(project, "other"), project); len(u.Dirs)+len(u.Charts) != 0 {
		t.Errorf("UsesOf read a kustomization linked out of the project: %+v", u)
	}
}
