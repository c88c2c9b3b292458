package cli

import (
	"fmt"

	"github.com/k8slint/k8slint/internal/cache"
	"github.com/k8slint/k8slint/internal/diag"
)

// cacheDir is the cache directory of a run: $K8SLINT_CACHE_DIR, else
// k8slint in the user cache directory ("" when neither is known).
func cacheDir(env Env) string { return cache.DefaultDir(env.Getenv) }

// cmdCache runs `k8slint cache clean` and `k8slint cache dir`.
func cmdCache(env Env, args []string) int {
	usage := subcommands["cache"].usage
	if len(args) != 1 || (args[0] != "clean" && args[0] != "dir") {
		fmt.Fprintf(env.Stderr, "Usage: %s\n", usage)
		if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return ExitOK
		}
		if len(args) > 0 {
			fmt.Fprintf(env.Stderr, "k8slint cache: unknown arguments %q\n", args)
		}
		return ExitUsage
	}
	dir := cacheDir(env)
	if dir == "" {
		fmt.Fprintln(env.Stderr, "k8slint cache: no cache directory: set K8SLINT_CACHE_DIR or HOME")
		return ExitUsage
	}
	if args[0] == "dir" {
		fmt.Fprintln(env.Stdout, dir)
		return ExitOK
	}
	n, err := cache.Clean(dir)
	if err != nil {
		fmt.Fprintln(env.Stderr, diag.Clean(fmt.Sprintf("k8slint cache clean: %v", err)))
		return ExitUsage
	}
	fmt.Fprintf(env.Stdout, "k8slint: removed %d cache entries from %s\n", n, diag.Clean(dir))
	return ExitOK
}
