#!/usr/bin/env bash
# bench/compare.sh: time k8slint beside kubeconform, kube-linter and kube-score
# on the synthetic corpus (internal/gencorpus), in one run, and print ratios.
# Then time k8slint alone on the targets of docs/performance.md.
#
#   bench/compare.sh                 # from the repository root or anywhere
#   RUNS=10 N=20000 bench/compare.sh
#
# Environment: N, D (corpus size: files, directories; 10000, 100), SUBSET
# (files for kube-score, which is quadratic; 1000), RUNS (runs per
# measurement, the median is printed; 5), TOOLS_DIR (where the anchors are
# installed; ~/.cache/k8slint-bench/bin), NO_INSTALL=1 (use only tools already
# on PATH or in TOOLS_DIR). A tool that is absent or fails to install is
# reported and skipped. Nothing here fetches Kubernetes schemas: kubeconform
# runs with a local, empty schema location and skips the two kinds, so it
# only reads and parses the files.
set -uo pipefail

KUBECONFORM_VERSION=v0.7.0
KUBE_SCORE_VERSION=v1.20.0

N=${N:-10000}
D=${D:-100}
SUBSET=${SUBSET:-1000}
RUNS=${RUNS:-5}
TOOLS_DIR=${TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/k8slint-bench/bin}

cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD
WORK=$(mktemp -d "${TMPDIR:-/tmp}/k8slint-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export PATH="$TOOLS_DIR:$PATH"

say() { printf '%s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------
install_tool() { # name module@version
	command -v "$1" >/dev/null 2>&1 && return 0
	[ "${NO_INSTALL:-}" = 1 ] && return 1
	say "installing $2 into $TOOLS_DIR ..."
	mkdir -p "$TOOLS_DIR"
	(cd "$WORK" && GOBIN="$TOOLS_DIR" GOFLAGS= go install "$2") >"$WORK/install-$1.log" 2>&1 ||
		{ say "  could not install $1 (see below); it is skipped"; tail -3 "$WORK/install-$1.log" >&2; return 1; }
}

have_kubeconform=0; have_kubescore=0; have_kubelinter=0
install_tool kubeconform "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" && have_kubeconform=1
install_tool kube-score "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION" && have_kubescore=1
# kube-linter's module (golang.stackrox.io/kube-linter) is not served by every
# Go proxy: it is used when it is on PATH.
command -v kube-linter >/dev/null 2>&1 && have_kubelinter=1

# --- inputs ------------------------------------------------------------------
say "building k8slint and generating the corpora ..."
go build -o "$WORK/k8slint" ./cmd/k8slint || exit 2
gen() { go run ./internal/gencorpus/cmd/gencorpus -n "$1" -d "$2" "$3" || exit 2; }
gen "$N" "$D" "$WORK/c-$N"
gen "$((2 * N))" "$((2 * D))" "$WORK/c-$((2 * N))"
gen "$N" 1 "$WORK/c-$N-flat"
gen "$SUBSET" 10 "$WORK/c-$SUBSET"
mkdir -p "$WORK/one" "$WORK/schemas"
cp "$WORK/c-$SUBSET/team-000/app-00000.yaml" "$WORK/one/app.yaml"
SIZE=$(du -sh --apparent-size "$WORK/c-$N" 2>/dev/null | cut -f1)

# --- measuring ---------------------------------------------------------------
TIME_BIN=$(command -v /usr/bin/time || true)
now() { # microseconds, from bash's EPOCHREALTIME (bash 5) or date
	if [ -n "${EPOCHREALTIME:-}" ]; then echo "${EPOCHREALTIME/[.,]/}"; else echo $(($(date +%s%N) / 1000)); fi
}
# measure CMD...: runs CMD $RUNS times and sets WALL (median seconds); then
# runs it once more under GNU time for RSS (peak KB, "?" without it).
# Exit codes are ignored (linters exit non-zero when they find something),
# but a command that fails without writing anything is reported.
measure() {
	local walls=() i s e
	"$@" >"$WORK/out" 2>"$WORK/err" # warm-up (file cache)
	if [ ! -s "$WORK/out" ] && [ -s "$WORK/err" ]; then
		say "  note: $1 wrote nothing on stdout; stderr: $(head -c 300 "$WORK/err")"
	fi
	for ((i = 0; i < RUNS; i++)); do
		s=$(now); "$@" >/dev/null 2>&1; e=$(now)
		walls+=("$(awk -v d=$((e - s)) 'BEGIN { printf "%.4f", d / 1e6 }')")
	done
	WALL=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(((RUNS + 1) / 2))p")
	RSS="?"
	if [ -n "$TIME_BIN" ]; then
		"$TIME_BIN" -f '%M' -o "$WORK/t" "$@" >/dev/null 2>&1
		RSS=$(tail -1 "$WORK/t")
	fi
}

row() { # label wall rss base
	local ratio="-"
	[ -n "${4:-}" ] && ratio=$(awk -v a="$2" -v b="$4" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')
	local mb="?"
	[ "$3" != "?" ] && mb=$(awk -v k="$3" 'BEGIN { printf "%.0f", k / 1024 }')
	printf '%-58s %9.4f s %7s MB %9s\n' "$1" "$2" "$mb" "$ratio"
}

echo "k8slint $(git -C "$ROOT" describe --always --dirty 2>/dev/null) on $(uname -sm), $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ); median of $RUNS runs"
echo "corpus: $N files in $D directories ($SIZE), each one Deployment and one Service"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo
printf '%-58s %11s %10s %9s\n' "command" "wall" "peak RSS" "ratio"

measure "$WORK/k8slint" "$WORK/c-$N"; K_WALL=$WALL
row "k8slint ($N files)" "$WALL" "$RSS"
if [ $have_kubeconform = 1 ]; then
	measure kubeconform -summary -skip Deployment,Service -ignore-missing-schemas \
		-schema-location "$WORK/schemas/{{.ResourceKind}}.json" "$WORK/c-$N"
	row "kubeconform $KUBECONFORM_VERSION, parse only ($N files)" "$WALL" "$RSS" "$K_WALL"
else
	echo "kubeconform: absent (skipped)"
fi
if [ $have_kubelinter = 1 ]; then
	measure kube-linter lint "$WORK/c-$N"
	row "kube-linter $(kube-linter version 2>/dev/null) ($N files)" "$WALL" "$RSS" "$K_WALL"
else
	echo "kube-linter: not on PATH (skipped)"
fi
measure "$WORK/k8slint" "$WORK/c-$SUBSET"; KS_WALL=$WALL
row "k8slint ($SUBSET files)" "$WALL" "$RSS"
if [ $have_kubescore = 1 ]; then
	mapfile -t subset_files < <(find "$WORK/c-$SUBSET" -name '*.yaml' | sort)
	measure kube-score score --output-format ci "${subset_files[@]}"
	row "kube-score $KUBE_SCORE_VERSION ($SUBSET files)" "$WALL" "$RSS" "$KS_WALL"
else
	echo "kube-score: absent (skipped)"
fi

echo
echo "k8slint targets (docs/performance.md); ratio: to the $N-file run"
measure "$WORK/k8slint" "$WORK/c-$((2 * N))"
row "$((2 * N)) files in $((2 * D)) dirs" "$WALL" "$RSS" "$K_WALL"
measure "$WORK/k8slint" "$WORK/c-$N-flat"
row "$N files in one dir" "$WALL" "$RSS" "$K_WALL"
measure "$WORK/k8slint" "$WORK/one/app.yaml"
row "one small manifest" "$WALL" "$RSS"
CORPUS="$ROOT/../shared/corpus"
if [ -d "$CORPUS" ]; then
	measure "$WORK/k8slint" --exclude '**/*.{yaml,yml,json,conf}' "$CORPUS"
	row "../shared/corpus Dockerfiles, contexts, ignore files" "$WALL" "$RSS"
	measure "$WORK/k8slint" "$CORPUS"
	row "../shared/corpus, everything" "$WALL" "$RSS"
else
	echo "../shared/corpus: absent (skipped)"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
