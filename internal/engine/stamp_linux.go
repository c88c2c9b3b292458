package engine

import (
	"syscall"

	"github.com/k8slint/k8slint/internal/cache"
)

func stampFromSys(path string, st *syscall.Stat_t, stamp *cache.Stamp) {
	*stamp = cache.FromSys(path, st)
}
