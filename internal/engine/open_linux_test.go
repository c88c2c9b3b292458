package engine

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// openRead opens what syscall.Open opens, and fails as it fails, for short
// paths (its stack buffer), long ones (syscall.Open) and relative ones.
func TestOpenRead(t *testing.T) {
	dir := t.TempDir()
	long := filepath.Join(dir, strings.Repeat("d", 200), strings.Repeat("e", 200), strings.Repeat("f", 200))
	for _, p := range []string{filepath.Join(dir, "a.yaml"), filepath.Join(long, "b.yaml")} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(filepath.Base(p)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	for _, tc := range []struct {
		path, want string
		err        error
	}{
		{filepath.Join(dir, "a.yaml"), "a.yaml", nil},
		{"a.yaml", "a.yaml", nil},
		{filepath.Join(long, "b.yaml"), "b.yaml", nil}, // over 512 bytes
		{filepath.Join(dir, "missing.yaml"), "", syscall.ENOENT},
		{"a.yaml\x00b", "", syscall.EINVAL},
		{dir, "", nil}, // a directory opens read-only
	} {
		fd, err := openRead(tc.path, syscall.O_RDONLY|syscall.O_CLOEXEC)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%.40q: error %v, want %v", tc.path, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%.40q: %v", tc.path, err)
			continue
		}
		buf := make([]byte, 64)
		n, _ := syscall.Read(fd, buf)
		_ = syscall.Close(fd)
		if string(buf[:max(n, 0)]) != tc.want {
			t.Errorf("%.40q: read %q, want %q", tc.path, buf[:max(n, 0)], tc.want)
		}
	}
}
