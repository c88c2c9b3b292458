// Package discovery finds the input files under the paths given on the
// command line and tells what kind of input each one is.
package discovery

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Kind is the kind of an input file.
type Kind uint8

const (
	Manifest Kind = iota + 1
	Dockerfile
	DockerIgnore
	MongoConf
	RedisConf
	// DotEnv is a .env file: docker compose interpolates the compose file
	// beside it with its variables.
	DotEnv
)

func (k Kind) String() string {
	return [...]string{"?", "manifest", "Dockerfile", ".dockerignore", "mongod.conf", "redis.conf", ".env"}[k]
}

// Classify tells the kind of a file from its base name.
func Classify(name string) (Kind, bool) {
	lower := strings.ToLower(name)
	switch {
	case name == ".env":
		return DotEnv, true
	case strings.HasSuffix(lower, ".dockerignore"):
		return DockerIgnore, true
	case name == "Dockerfile" || name == "Containerfile" || strings.HasPrefix(name, "Dockerfile.") ||
		strings.HasSuffix(lower, ".dockerfile") || strings.HasPrefix(name, "Containerfile."):
		return Dockerfile, true
	case (strings.HasPrefix(name, "Dockerfile-") || strings.HasPrefix(name, "Dockerfile_")) && !notDockerfileExt[strings.ToLower(filepath.Ext(name))]:
		return Dockerfile, true
	case strings.HasPrefix(lower, "mongo") && strings.HasSuffix(lower, ".conf"): // mongod.conf, mongodb.conf, mongos.conf, mongoc.conf
		return MongoConf, true
	case (strings.HasPrefix(lower, "redis") || strings.HasPrefix(lower, "sentinel")) && strings.HasSuffix(lower, ".conf"): // redis*.conf, sentinel*.conf
		return RedisConf, true
	case strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".json"):
		return Manifest, true
	}
	return 0, false
}

// notDockerfileExt are extensions that make a Dockerfile-* name something
// else: a template, documentation, a script, a manifest.
var notDockerfileExt = map[string]bool{
	".template": true, ".tmpl": true, ".tpl": true, ".j2": true, ".erb": true, ".md": true, ".txt": true,
	".sh": true, ".go": true, ".py": true, ".yaml": true, ".yml": true, ".json": true, ".orig": true, ".bak": true,
}

// File is one input file.
type File struct {
	Path string // absolute, cleaned
	Kind Kind
}

// Options control a walk.
type Options struct {
	Paths    []string
	Excludes []string // doublestar globs, matched against slash paths relative to each walked root and against base names
	// Root is the project root: no file whose real path lies outside it is
	// listed (a link out of it is reported in Skipped). Empty: each path's
	// own Root.
	Root string
}

// Result is what a walk found.
type Result struct {
	Files []File
	// All lists every regular file seen under the walked directories
	// (absolute, sorted): build contexts are looked up in it.
	All []string
	// Skipped lists paths that could not be walked, with the reason.
	Skipped []Skip
	// Named lists the files and directories named on the command line (absolute).
	Named []string
	// Roots lists the directories that were walked (absolute): what lies
	// under them, outside Unwalked, is known.
	Roots []string
	// Unwalked lists the directories inside the walked tree whose contents
	// were not seen (SkipsDir, --exclude, symlinked directories): absolute, sorted.
	Unwalked []string
	// Dirs lists every directory whose entries the walk read (the walked
	// roots and the directories below them that were entered): a file added
	// to or removed from the tree changes one of them (internal/cache).
	Dirs []string
	// Links lists the symbolic links met in the walked directories.
	Links []string
}

// Skip is a path the walk could not use.
type Skip struct {
	Path   string
	Reason string
}

// NotRecognised is the reason a walk gives for a named file whose name is
// not one of an input k8slint lints.
const NotRecognised = "not a recognised input file"

// UsageError is a bad path given by the user.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// skipDirs are never walked.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true}

// SkipsDir reports whether the walk never enters directories of this name
// (.git, node_modules, vendor): what lies in them is unknown.
func SkipsDir(name string) bool { return skipDirs[name] }

// Walk finds the input files under opts.Paths.
func Walk(opts Options) (*Result, error) {
	for _, g := range opts.Excludes {
		if !doublestar.ValidatePattern(g) {
			return nil, &UsageError{Msg: fmt.Sprintf("invalid --exclude pattern %q", g)}
		}
	}
	res := &Result{}
	for _, p := range opts.Paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, &UsageError{Msg: fmt.Sprintf("%s: %v", p, err)}
		}
		st, err := os.Stat(abs)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, &UsageError{Msg: fmt.Sprintf("%s: no such file or directory", p)}
			}
			return nil, &UsageError{Msg: fmt.Sprintf("%s: %v", p, err)}
		}
		res.Named = append(res.Named, abs)
		root := opts.Root
		if root == "" {
			root = Root(abs)
		}
		c := newConfine(root)
		if !st.IsDir() {
			if !c.allows(abs) {
				res.Skipped = append(res.Skipped, Skip{Path: abs, Reason: LinkOutside})
				continue
			}
			k, ok := Classify(filepath.Base(abs))
			if !ok && st.Mode().IsRegular() {
				// Named on the command line: its content says what it is
				// (read only once the link check allows it).
				k, ok = Sniff(abs)
			}
			if ok {
				res.Files = append(res.Files, File{Path: abs, Kind: k})
			} else {
				res.Skipped = append(res.Skipped, Skip{Path: abs, Reason: NotRecognised})
			}
			res.All = append(res.All, abs)
			continue
		}
		res.Roots = append(res.Roots, abs)
		walkDir(abs, opts.Excludes, c, res)
	}
	// A file under two named paths is listed once (its kind is that of
	// its name either way); without a map of every path seen, which was
	// most of the walk's garbage.
	sort.Slice(res.Files, func(i, j int) bool { return res.Files[i].Path < res.Files[j].Path })
	res.Files = slices.CompactFunc(res.Files, func(a, b File) bool { return a.Path == b.Path })
	sort.Strings(res.All)
	res.All = slices.Compact(res.All)
	sort.Strings(res.Unwalked)
	res.Unwalked = slices.Compact(res.Unwalked)
	return res, nil
}

func walkDir(root string, excludes []string, c confine, res *Result) {
	// The walk's long lists grow in blocks, copied once into res: a
	// slice doubling as it grew left its outgrown copies behind.
	var all blocks[string]
	var files blocks[File]
	defer func() {
		res.All = all.appendTo(res.All)
		res.Files = files.appendTo(res.Files)
	}()
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			res.Skipped = append(res.Skipped, Skip{Path: path, Reason: err.Error()})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (skipDirs[name] || excluded(root, path, name, excludes)) {
				res.Unwalked = append(res.Unwalked, path)
				if !skipDirs[name] {
					res.Skipped = append(res.Skipped, Skip{Path: path, Reason: "directory excluded by --exclude"})
				}
				return fs.SkipDir
			}
			res.Dirs = append(res.Dirs, path)
			return nil
		}
		if excluded(root, path, name, excludes) {
			res.Skipped = append(res.Skipped, Skip{Path: path, Reason: "excluded by --exclude"})
			return nil
		}
		typ := d.Type()
		if typ&fs.ModeSymlink != 0 {
			res.Links = append(res.Links, path)
			if !c.allows(path) {
				if st, err := os.Stat(path); err == nil {
					res.Skipped = append(res.Skipped, Skip{Path: path, Reason: LinkOutside})
					if !st.IsDir() {
						// Its name is in the build context (BuildKit sends
						// the link); its content is never read.
						res.All = append(res.All, path)
					}
					return nil
				}
			}
			st, err := os.Stat(path)
			if err != nil {
				res.Skipped = append(res.Skipped, Skip{Path: path, Reason: "broken symlink: " + err.Error()})
				return nil
			}
			if st.IsDir() {
				// Symlinked directories are not followed (no loops, no escapes from the tree).
				res.Unwalked = append(res.Unwalked, path)
				res.Skipped = append(res.Skipped, Skip{Path: path, Reason: "symbolic link to a directory: not followed"})
				return nil
			}
			typ = st.Mode().Type()
		}
		if !typ.IsRegular() {
			return nil
		}
		all.add(path)
		if k, ok := Classify(name); ok {
			files.add(File{Path: path, Kind: k})
		}
		return nil
	})
}

// blocks is a list built in blocks of 512 items.
type blocks[T any] struct {
	full [][]T
	cur  []T
	n    int
}

func (b *blocks[T]) add(v T) {
	if len(b.cur) == cap(b.cur) {
		if b.cur != nil {
			b.full = append(b.full, b.cur)
		}
		b.cur = make([]T, 0, 512)
	}
	b.cur = append(b.cur, v)
	b.n++
}

// appendTo appends the list to s, growing s once.
func (b *blocks[T]) appendTo(s []T) []T {
	s = slices.Grow(s, b.n)
	for _, f := range b.full {
		s = append(s, f...)
	}
	return append(s, b.cur...)
}

// excluded reports whether an --exclude glob matches path (under root) by
// its slash-separated path relative to root, or by its name.
func excluded(root, path, name string, excludes []string) bool {
	if len(excludes) == 0 {
		return false // the common case: no relative path to compute
	}
	rel, _ := filepath.Rel(root, path)
	rel = filepath.ToSlash(rel)
	for _, g := range excludes {
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
		if !strings.Contains(g, "/") {
			if ok, _ := doublestar.Match(g, name); ok {
				return true
			}
		}
	}
	return false
}
