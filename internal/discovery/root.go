package discovery

import (
	"os"
	"path/filepath"
	"strings"
)

// ConfigName is the name of k8slint's configuration file.
const ConfigName = ".k8slint.yaml"

// Root returns the project root of path (absolute, cleaned; a file or a
// directory): the nearest directory at or above it (a file's own directory
// first) that holds .git (a directory, or the file of a worktree or
// submodule); without one, the nearest that holds .k8slint.yaml; without
// either, the directory itself (a file's own directory). It is the one
// definition of the root: the engine walks no higher, the configuration is
// searched no higher, and SARIF and GitHub paths are relative to it.
func Root(path string) string {
	dir := filepath.Clean(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		// A file, or a name that does not exist (the --stdin-filename of
		// an unsaved buffer): its directory.
		dir = filepath.Dir(dir)
	}
	if r, ok := nearest(dir, ".git"); ok {
		return r
	}
	if r, ok := nearest(dir, ConfigName); ok {
		return r
	}
	return dir
}

// ProjectRoot is Root for a directory.
func ProjectRoot(dir string) string { return Root(dir) }

// FindRoot returns the nearest directory at or above dir that holds .git,
// else the nearest that holds .k8slint.yaml, and whether there is one.
func FindRoot(dir string) (string, bool) {
	if r, ok := nearest(dir, ".git"); ok {
		return r, true
	}
	return nearest(dir, ConfigName)
}

func nearest(dir, marker string) (string, bool) {
	for d := filepath.Clean(dir); ; {
		if _, err := os.Lstat(filepath.Join(d, marker)); err == nil {
			return d, true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", false
		}
		d = parent
	}
}

// ConfigFor returns the .k8slint.yaml nearest to dir between it and root
// (both absolute; dir at or under root), or "". It never looks above root:
// a configuration planted in a parent directory of the repository is never
// applied. The file is returned whatever its type: the caller checks that it
// is a regular file inside the root before reading it.
func ConfigFor(dir, root string) string {
	root = filepath.Clean(root)
	d := filepath.Clean(dir)
	if !Within(root, d) {
		d = root
	}
	for {
		p := filepath.Join(d, ConfigName)
		if st, err := os.Lstat(p); err == nil && !st.IsDir() {
			return p
		}
		if d == root {
			return ""
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// FindConfig returns the nearest .k8slint.yaml between dir and its project
// root (Root), or "".
func FindConfig(dir string) string { return ConfigFor(dir, Root(dir)) }

// Within reports whether path is dir or lies under it (both clean and absolute).
func Within(dir, path string) bool {
	if dir == "" {
		return false
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
