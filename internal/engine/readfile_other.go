//go:build !unix

package engine

import (
	"io"
	"os"

	"github.com/k8slint/k8slint/internal/cache"
)

// readFile reads a file unless it is larger than maxSize (then data is nil
// and size tells how large it is).
func readFile(path string, maxSize int64) (data []byte, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if st.Size() > maxSize {
		return nil, st.Size(), nil
	}
	data, err = io.ReadAll(io.LimitReader(f, maxSize+1))
	if err == nil && int64(len(data)) > maxSize {
		return nil, int64(len(data)), nil
	}
	return data, int64(len(data)), err
}

// readFileStamped is readFile; the caller stamps the path after the read.
func readFileStamped(path string, maxSize int64, _ *cache.Stamp) ([]byte, int64, error) {
	return readFile(path, maxSize)
}
