package engine

import (
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// excludedFrom reports whether a glob relative to base excludes path: the
// glob matches the file's path relative to base or the path of one of its
// directories; a glob without "/" matches any file or directory name. The
// files stay in the walk's list of all files (build contexts still hold them).
func excludedFrom(base, path string, globs []string) bool {
	rel, err := filepath.Rel(base, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, g := range globs {
		for p := rel; p != "." && p != ""; p = pathDir(p) {
			if ok, _ := doublestar.Match(g, p); ok {
				return true
			}
			if !strings.Contains(g, "/") {
				if ok, _ := doublestar.Match(g, p[strings.LastIndexByte(p, '/')+1:]); ok {
					return true
				}
			}
		}
	}
	return false
}

func pathDir(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[:i]
}
