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
	"sync"

	"github.com/k8slint/k8slint/internal/startgc"
)

// The collector is off while the packages initialise (see startgc); every
// package that cli imports is initialised before this runs.
func init() { startgc.Restore() }

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
// YAML path is still collected once the heap reaches the threshold.
//
// Rendering is the exception: Helm's and kustomize's engines allocate
// mostly garbage, so the collector goes back to normal before the first
// chart or kustomization is rendered (collectNormally).
//
// After the first collection, a soft memory limit (memoryLimit: three
// quarters of the container's or machine's memory) stays set, so that the
// collector works harder as the heap nears what the machine has, instead
// of the process dying of "out of memory" while garbage remains: hostile
// input is bounded elsewhere (depth, aliases, sizes), this is the net.
// GOGC or GOMEMLIMIT in the environment turn all this off.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(gcStart())
	var once sync.Once
	normal := func() {
		once.Do(func() {
			// Back to the defaults, under the soft limit.
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(memoryLimit())
		})
	}
	s := &gcSentinel{}
	runtime.SetFinalizer(s, func(*gcSentinel) { normal() }) // the first collection has run
	collectNormally = normal
}

// collectNormally turns the collector back to the defaults that tuneGC
// deferred (a no-op when tuneGC left it alone): before Helm charts or
// kustomizations are rendered, whose engines allocate mostly garbage
// (engine.Options.Rendering). Over ../shared/corpus, which has 116 of
// them, the deferred collector let the process reach 510 MB; collecting
// as usual from there keeps it near 110 MB, for no more CPU (2.03 s
// before, 1.94 s after: the collections cost what fresh pages did).
var collectNormally = func() {}

// gcStart is gcStartHeap, but at most a quarter of the memory of the
// container and an eighth of the machine's (see memory), where these can be
// read.
func gcStart() int64 {
	start := int64(gcStartHeap)
	if c, m := memory(); c > 0 || m > 0 {
		if c > 0 {
			start = min(start, c/4)
		}
		if m > 0 {
			start = min(start, m/8)
		}
	}
	return max(start, 32<<20)
}

// memoryLimit is the soft memory limit of a run after its first
// collection: three quarters of the container's memory, or of the
// machine's, whichever is less; no limit (math.MaxInt64) when neither can
// be read.
func memoryLimit() int64 {
	c, m := memory()
	limit := int64(math.MaxInt64)
	for _, v := range []int64{c, m} {
		if v > 0 {
			limit = min(limit, v/4*3)
		}
	}
	return limit
}

// memory returns the container's memory limit (cgroup v2 memory.max or v1
// limit_in_bytes) and the machine's memory (MemTotal), 0 for each that
// cannot be read.
func memory() (container, machine int64) {
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := os.ReadFile(f); err == nil {
			// "max" (no limit) does not parse; v1 writes a huge number for none.
			if n, err := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64); err == nil && n > 0 && n < 1<<60 {
				container = n
				break
			}
		}
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				if kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64); err == nil && kb > 0 {
					machine = kb << 10
				}
				break
			}
		}
		_ = f.Close()
	}
	return container, machine
}
