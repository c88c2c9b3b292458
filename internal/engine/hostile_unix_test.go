//go:build unix

package engine

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }

// unreadableCases are a file and a directory without read permission. Root
// reads them anyway, so when the tests run as root they drop the effective
// user id to nobody (65534) for the run and take it back afterwards (the
// saved user id stays root). Where that is not possible they are skipped.
func unreadableCases() []hostileCase {
	return []hostileCase{
		{
			name: "unreadable file and directory",
			setup: func(t *testing.T, dir string) {
				write(t, dir, "secret.yaml", []byte(sentinel))
				write(t, dir, "locked/inner.yaml", []byte(sentinel))
				if err := os.Chmod(filepath.Join(dir, "secret.yaml"), 0); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(filepath.Join(dir, "locked"), 0); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = os.Chmod(filepath.Join(dir, "locked"), 0o755) })
				if os.Geteuid() != 0 {
					return
				}
				// nobody must reach dir itself: open up the temporary directories above it.
				for d := dir; d != os.TempDir() && d != filepath.Dir(d); d = filepath.Dir(d) {
					if err := os.Chmod(d, 0o755); err != nil {
						t.Fatal(err)
					}
				}
				if err := syscall.Setresuid(-1, 65534, -1); err != nil {
					t.Skipf("running as root and cannot drop the effective user id (%v): chmod 000 does not stop root", err)
				}
				t.Cleanup(func() {
					if err := syscall.Setresuid(-1, 0, -1); err != nil {
						panic("cannot restore the effective user id: " + err.Error())
					}
				})
			},
			want: []expect{
				{"secret.yaml", 1, 1, "parse-error", "cannot read file"},
				{"locked", 0, 0, "", "permission denied"},
			},
		},
	}
}
