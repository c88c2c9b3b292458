package discovery

import "path/filepath"

// confine tells whether a path may be read: its real path (after every
// link is resolved) lies inside the project root. A symbolic link to a token
// file outside the repository is never read, so its content cannot reach a
// message, an annotation or a SARIF log.
type confine struct{ real string }

func newConfine(root string) confine {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		real = root
	}
	return confine{real: filepath.Clean(real)}
}

// allows reports whether path resolves inside the root.
func (c confine) allows(path string) bool {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	return Within(c.real, real)
}

// LinkOutside is the reason a walk gives for a link it does not follow.
const LinkOutside = "symbolic link to a path outside the project root: not read"

// Inside reports whether path (absolute) resolves, after every link, to a
// path inside root (absolute). Other packages use it before reading a file
// that the walk did not list (the configuration).
func Inside(root, path string) bool { return newConfine(root).allows(path) }
