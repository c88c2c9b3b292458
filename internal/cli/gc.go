package cli

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// gcStartHeap is the most a k8slint process allocates before its first
// garbage collection (less on small machines: see gcStart).
const gcStartHeap = 512 << 20

// gcSentinel is an object whose finalizer tells that a collection has run.
type gcSentinel struct{ _ *int }

// tuneGC defers the first garbage collection until the heap reaches
// gcStart(), then collects as usual (GOGC=100). k8slint keeps nearly all it
// allocates until the rules have run (the loaded trees), so the collections
// of a run's first few hundred megabytes find little garbage, yet cost a
// quarter of the CPU and make the cost grow faster than the input (each one
// marks the whole growing heap): 10,000 and 20,000-file runs need no
// collection this way (see docs/performance.md). The garbage of the slow
// YAML path is still collected once the heap reaches the threshold. GOGC or
// GOMEMLIMIT in the environment turn this off.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(gcStart())
	s := &gcSentinel{}
	runtime.SetFinalizer(s, func(*gcSentinel) {
		// The first collection has run: back to the defaults.
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	})
}

// gcStart is gcStartHeap, but at most a quarter of the memory of the
// container (cgroup v2 memory.max or v1 limit_in_bytes) and an eighth of the
// machine's (MemTotal), where these can be read.
func gcStart() int64 {
	start := int64(gcStartHeap)
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := os.ReadFile(f); err == nil {
			if n, err := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64); err == nil && n > 0 {
				start = min(start, n/4)
			}
		}
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				if kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64); err == nil && kb > 0 {
					start = min(start, kb<<10/8)
				}
				break
			}
		}
		_ = f.Close()
	}
	return max(start, 32<<20)
}
