package engine

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/k8slint/k8slint/internal/discovery"
)

// Exclusion is a set of globs relative to Base (see excludedFrom); Why
// names where they come from in -v notes ("--exclude", ".k8slint.yaml").
type Exclusion struct {
	Base  string
	Globs []string
	Why   string
}

// ContextGlob gives the build context Dir (absolute) to the Dockerfiles
// whose slash path relative to Base matches Glob.
type ContextGlob struct {
	Base, Glob, Dir string
}

// cleanGlobs drops a leading "./" (`--exclude ./deploy/old.yaml`).
func cleanGlobs(globs []string) []string {
	out := make([]string, 0, len(globs))
	for _, g := range globs {
		for strings.HasPrefix(g, "./") {
			g = strings.TrimLeft(g[2:], "/")
		}
		if g != "" {
			out = append(out, g)
		}
	}
	return out
}

// exclusionsFor lists the globs that drop walked files: the configuration's
// (relative to its directory), the caller's, and --exclude relative to each
// named directory (in a project walk the walk itself starts at the root).
func exclusionsFor(opts Options, only *named) []Exclusion {
	var out []Exclusion
	if len(opts.BaseExcludes) > 0 && opts.ExcludeBase != "" {
		out = append(out, Exclusion{Base: opts.ExcludeBase, Globs: opts.BaseExcludes, Why: "exclude in " + discovery.ConfigName})
	}
	for _, e := range opts.Exclusions {
		e.Globs = cleanGlobs(e.Globs)
		out = append(out, e)
	}
	if only != nil && len(opts.Excludes) > 0 {
		for _, d := range only.dirs {
			out = append(out, Exclusion{Base: strings.TrimSuffix(d, string(filepath.Separator)), Globs: cleanGlobs(opts.Excludes), Why: "--exclude"})
		}
	}
	return out
}

// excludeAll drops the files that an exclusion matches, telling skip.
func excludeAll(files []discovery.File, exclusions []Exclusion, skip func(path, reason string)) []discovery.File {
	if len(exclusions) == 0 {
		return files
	}
	out := files[:0]
	for _, f := range files {
		why := ""
		for _, e := range exclusions {
			if excludedFrom(e.Base, f.Path, e.Globs) {
				why = e.Why
				break
			}
		}
		if why != "" {
			skip(f.Path, "excluded by "+why)
			continue
		}
		out = append(out, f)
	}
	return out
}

// withFile adds path (the --stdin-filename) to files unless the walk found
// it, as the kind its name tells (a manifest when the name tells none).
func withFile(files []discovery.File, path string) []discovery.File {
	for _, f := range files {
		if f.Path == path {
			return files
		}
	}
	k, ok := discovery.Classify(filepath.Base(path))
	if !ok {
		k = discovery.Manifest
	}
	files = append(files, discovery.File{Path: path, Kind: k})
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files
}

// contextsFor returns the build context of each Dockerfile that the
// options set: Contexts by path, else the first ContextGlob that matches.
func contextsFor(files []discovery.File, opts Options) map[string]string {
	out := make(map[string]string, len(opts.Contexts))
	for df, dir := range opts.Contexts {
		out[df] = dir
	}
	if len(opts.ContextGlobs) == 0 {
		return out
	}
	for _, f := range files {
		if f.Kind != discovery.Dockerfile {
			continue
		}
		if _, ok := out[f.Path]; ok {
			continue
		}
		for _, g := range opts.ContextGlobs {
			rel, err := filepath.Rel(g.Base, f.Path)
			if err != nil || !discovery.Within(g.Base, f.Path) {
				continue
			}
			if ok, _ := doublestar.Match(g.Glob, filepath.ToSlash(rel)); ok {
				out[f.Path] = g.Dir
				break
			}
		}
	}
	return out
}
