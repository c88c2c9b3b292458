#!/usr/bin/env bash
# bench/cache.sh: the findings cache on the pre-commit path (issue 14 point
# 2), whole process, pair by pair (A B A B ..., as bench/compare.sh): one
# manifest named in a generated repository of N files with .git.
#
#   bench/cache.sh
#   PAIRS=11 BASE_BIN=/tmp/k8slint-main bench/cache.sh
#
# Pairs (the ratio is B/A, the median of the per-pair ratios, wall and CPU):
#   1. named file without the cache (--no-cache) / served from the cache;
#   2. the cold run: without the cache / with it, into an empty cache
#      directory (the entry is written), both through `bash -c 'rm -rf ...;
#      exec ...'` so that they pay the same;
#   3. after an edit of the named file: without the cache / with the scopes
#      of an earlier full run in it (pruned: prune.go);
#   4. with BASE_BIN (a k8slint built without the cache, e.g. from main):
#      BASE_BIN / this binary's cold run with the cache.
#
# Environment: N, D (10000, 100), PAIRS (7), BASE_BIN.
set -uo pipefail
N=${N:-10000}
D=${D:-100}
PAIRS=${PAIRS:-7}
cd "$(dirname "$0")/.." || exit 2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/k8slint-cache-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
CGO_ENABLED=0 go build -tags kustomize_disable_go_plugin_support -o "$WORK/k8slint" ./cmd/k8slint || exit 2 # as `make build`
go run ./internal/gencorpus/cmd/gencorpus -n "$N" -d "$D" "$WORK/repo" || exit 2
git -C "$WORK/repo" init -q
sleep 1 # the tree is no longer racy
K=$WORK/k8slint
F=$WORK/repo/team-000/app-00000.yaml
export K8SLINT_CACHE_DIR=$WORK/cache

ROW_WIDTH=58
. bench/lib.sh # run1, pair, row, ...; the warm-up run discards its output

echo "k8slint $("$K" --version) on $N files in $D dirs with .git; $PAIRS pairs; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-58s %10s %10s %9s %8s %8s\n' command wall CPU RSS "wall B/A" "CPU B/A"
"$K" "$F" >/dev/null 2>&1 # fills the cache
pair "named file, --no-cache" "named file, from the cache" -- "$K" --no-cache "$F" -- "$K" "$F"
pair "cold: --no-cache" "cold: the cache written" \
	-- bash -c "rm -rf '$WORK/none'; exec '$K' --no-cache '$F'" \
	-- bash -c "rm -rf '$K8SLINT_CACHE_DIR'; exec '$K' '$F'"
# After an edit of the named file (the pre-commit case): the lookup misses
# and the run reads only the files whose scope may matter (prune.go): the
# 1,000 files of the named file's namespace. The entry of a full run is
# written first; each run of either side appends a comment to the file.
"$K" "$WORK/repo" >/dev/null 2>&1
pair "after an edit: --no-cache" "after an edit: the cache's scopes (pruned)" \
	-- bash -c "echo '# edit' >>'$F'; exec '$K' --no-cache '$F'" \
	-- bash -c "echo '# edit' >>'$F'; exec '$K' '$F'"
if [ -n "${BASE_BIN:-}" ]; then
	pair "cold: $BASE_BIN" "cold: this binary, the cache written" \
		-- bash -c "rm -rf '$WORK/none'; exec '$BASE_BIN' '$F'" \
		-- bash -c "rm -rf '$K8SLINT_CACHE_DIR'; exec '$K' '$F'"
fi
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
