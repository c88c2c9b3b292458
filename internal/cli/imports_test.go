package cli

import (
	"errors"
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// forbiddenImports may not appear among the imports of k8slint's own
// non-test packages: k8slint never executes or fetches anything. (Helm's and
// kustomize's packages, which render charts and kustomizations, do link
// os/exec and net/http; TestOfflineRendering runs the rendering with an
// empty PATH and no network and checks that nothing tries either.)
var forbiddenImports = []string{"os/exec", "net", "net/http"}

func forbidden(imp string) bool {
	for _, bad := range forbiddenImports {
		if imp == bad {
			return true
		}
	}
	return strings.HasPrefix(imp, "net/http/")
}

// TestNoExecOrNetwork parses the imports of every non-test Go file of the
// module (go/build reads them with go/parser; nothing is executed).
func TestNoExecOrNetwork(t *testing.T) {
	root := filepath.Join("..", "..")
	checked, nested := 0, 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		if path != root && isModuleRoot(path) {
			// A nested module (internal/oracle, used only by tests) is
			// not part of k8slint's packages or binary.
			nested++
			return filepath.SkipDir
		}
		ctx := build.Default
		ctx.UseAllFiles = true // every GOOS/GOARCH variant and build tag
		pkg, err := ctx.ImportDir(path, build.ImportComment)
		if err != nil {
			var noGo *build.NoGoError
			if errors.As(err, &noGo) {
				return nil
			}
			var multi *build.MultiplePackageError
			if !errors.As(err, &multi) {
				return err
			}
		}
		checked++
		for _, imp := range pkg.Imports { // non-test imports only
			if forbidden(imp) {
				t.Errorf("package %s imports %s (%v)", path, imp, pkg.ImportPos[imp])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("only %d packages checked; the walk is broken", checked)
	}
	t.Logf("%d packages checked, %d nested modules skipped", checked, nested)
}

// isModuleRoot reports whether dir holds a go.mod of its own.
func isModuleRoot(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "go.mod"))
	return err == nil
}
