package render

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// maxSourceSize is the largest file a kustomization build reads.
const maxSourceSize = 10 << 20

var errOutside = errors.New("symbolic link to a path outside the project root: not read")

// reader reads the files of one kustomization build, each once, confined to
// the project: a file whose real path (every link resolved) lies outside
// the project root is never opened, as the walk never reads one. The bytes
// read are kept, so that the build, the mapping of positions and the
// suppression comments all see the same text. One reader belongs to one
// build (one goroutine).
type reader struct {
	project, real string
	files         map[string][]byte
	errs          map[string]error
}

func newReader(project string) *reader {
	real, err := filepath.EvalSymlinks(project)
	if err != nil {
		real = project
	}
	return &reader{project: filepath.Clean(project), real: filepath.Clean(real), files: map[string][]byte{}, errs: map[string]error{}}
}

// allows reports whether path lies in the project, links resolved.
func (r *reader) allows(path string) bool {
	if !within(r.project, path) {
		return false
	}
	real, err := filepath.EvalSymlinks(path)
	return err == nil && within(r.real, real)
}

func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// read returns the bytes of the regular file path, read once.
func (r *reader) read(path string) ([]byte, error) {
	path = filepath.Clean(path)
	if data, ok := r.files[path]; ok {
		return data, nil
	}
	if err, ok := r.errs[path]; ok {
		return nil, err
	}
	data, err := r.open(path)
	if err != nil {
		r.errs[path] = err
		return nil, err
	}
	r.files[path] = data
	return data, nil
}

func (r *reader) open(path string) ([]byte, error) {
	if !r.allows(path) {
		if _, err := os.Lstat(path); err != nil {
			return nil, err
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: errOutside}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: path, Err: errors.New("not a regular file")}
	}
	if st.Size() > maxSourceSize {
		return nil, &fs.PathError{Op: "read", Path: path, Err: errors.New("larger than 10 MiB")}
	}
	return io.ReadAll(io.LimitReader(f, maxSourceSize+1))
}

// isDir reports whether path is a directory inside the project, links
// resolved.
func (r *reader) isDir(path string) bool {
	if !r.allows(path) {
		return false
	}
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// exists reports whether path names something inside the project.
func (r *reader) exists(path string) bool {
	if r.isDir(path) {
		return true
	}
	_, err := r.read(path)
	return err == nil
}
