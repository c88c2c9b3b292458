//go:build unix && !linux

package engine

import "syscall"

// openRead is syscall.Open (see open_linux.go).
func openRead(path string, flags int) (int, error) { return syscall.Open(path, flags, 0) }
