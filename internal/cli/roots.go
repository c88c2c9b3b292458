package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/k8slint/k8slint/internal/config"
	"github.com/k8slint/k8slint/internal/discovery"
	"github.com/k8slint/k8slint/internal/engine"
	"github.com/k8slint/k8slint/rules"
)

// maxConfigSize bounds the configuration file that is read.
const maxConfigSize = 1 << 20

// group is the paths of one command line that share a project root and a
// configuration: one engine run (one load; it never walks above the root).
type group struct {
	root    string
	cfgPath string // "" when there is none
	paths   []string
}

// groupPaths splits paths by project root (discovery.Root of each) and by
// the configuration nearest to each between it and its root (or explicit,
// for all). "-" (standard input) goes with its --stdin-filename, else with
// the working directory.
func groupPaths(paths []string, cwd, stdinName, explicit string) []*group {
	var groups []*group
	byKey := map[[2]string]*group{}
	for _, p := range paths {
		var abs string
		switch {
		case p == "-" && stdinName != "":
			abs, _ = filepath.Abs(stdinName)
		case p == "-":
			abs = cwd
		default:
			var err error
			if abs, err = filepath.Abs(p); err != nil {
				abs = filepath.Join(cwd, p)
			}
		}
		root := discovery.Root(abs)
		cfg := explicit
		if cfg == "" {
			dir := abs
			if st, err := os.Stat(abs); err != nil || !st.IsDir() {
				dir = filepath.Dir(abs)
			}
			cfg = discovery.ConfigFor(dir, root)
		}
		k := [2]string{root, cfg}
		g := byKey[k]
		if g == nil {
			g = &group{root: root, cfgPath: cfg}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.paths = append(g.paths, p)
	}
	return groups
}

// readConfig reads the configuration at path for a project root. It reads
// only a regular file of at most maxConfigSize bytes, and, when it was
// found (not named with --config), only one whose real path lies inside the
// root: a link to a token file never reaches an error message.
func readConfig(path, root, cwd string, explicit bool) (*config.Config, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	display := displayPath(cwd, abs)
	st, err := os.Stat(abs)
	if err != nil || st.IsDir() {
		if explicit {
			return nil, fmt.Errorf("k8slint: --config %s: no such file", path)
		}
		return nil, fmt.Errorf("k8slint: %s: %s", display, "cannot be read (a broken link?)")
	}
	if !explicit && !discovery.Inside(root, abs) {
		return nil, fmt.Errorf("k8slint: %s is a symbolic link to a file outside the project root %s; not read", display, root)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("k8slint: %s is not a regular file; not read", display)
	}
	data, size, err := engine.ReadRegular(abs, maxConfigSize)
	if err != nil {
		return nil, fmt.Errorf("k8slint: %s: cannot be read: %w", display, err)
	}
	if data == nil && size > maxConfigSize {
		return nil, fmt.Errorf("k8slint: %s is %d bytes, larger than the %d-byte limit of a configuration; not read", display, size, maxConfigSize)
	}
	return config.Parse(abs, display, data, func(id string) bool { return rules.ByID(id) != nil })
}
