package discovery

import (
	"os"
	"path/filepath"
)

// ConfigName is the name of k8slint's configuration file.
const ConfigName = ".k8slint.yaml"

// ProjectRoot returns the nearest directory at or above dir (absolute) that
// holds .git (a directory, or the file of a worktree or submodule) or
// .k8slint.yaml; when there is none, dir itself.
func ProjectRoot(dir string) string {
	if r, ok := FindRoot(dir); ok {
		return r
	}
	return dir
}

// FindRoot returns the nearest directory at or above dir that holds .git or
// .k8slint.yaml, and whether there is one.
func FindRoot(dir string) (string, bool) {
	for d := filepath.Clean(dir); ; {
		for _, marker := range []string{".git", ConfigName} {
			if _, err := os.Lstat(filepath.Join(d, marker)); err == nil {
				return d, true
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", false
		}
		d = parent
	}
}

// FindConfig returns the nearest .k8slint.yaml at or above dir, or "".
func FindConfig(dir string) string {
	for d := filepath.Clean(dir); ; {
		p := filepath.Join(d, ConfigName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}
