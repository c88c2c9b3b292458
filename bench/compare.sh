#!/usr/bin/env bash
# bench/compare.sh: time k8slint beside kubeconform, kube-linter and kube-score
# on the synthetic corpus (internal/gencorpus), in one run, pair by pair, and
# print the median of the per-pair ratios. Then time k8slint alone on the
# targets of docs/performance.md.
#
#   bench/compare.sh                 # from the repository root or anywhere
#   PAIRS=11 N=20000 bench/compare.sh
#   KUBE_LINTER_SRC=/tmp/kube-linter KUBECONFORM_DEFINITIONS=/tmp/_definitions.json bench/compare.sh
#
# The two inputs of the last line, from clones of stackrox/kube-linter and
# yannh/kubeconform (neither is kept in this repository):
#   git -C KUBE_LINTER_CLONE worktree add --detach /tmp/kube-linter v0.8.3
#   git -C KUBECONFORM_CLONE show \
#     HEAD:fixtures/cache/6dc6142c64b944d783a3e783526114da8e747a14a11d8b32dd1f12e2d89a8330 >/tmp/_definitions.json
#
# Each comparison runs its two commands alternately, A B A B ..., PAIRS times
# (after one warm-up run of each), so that the load of a shared machine falls
# on both alike; for each pair it takes the ratio B/A of the wall time and of
# the CPU time (user + system of the process and its children), and prints
# the median of those ratios (not a ratio of medians), beside each command's
# median wall and CPU time and its median peak RSS. On a loaded machine the CPU
# ratio is the steadier figure.
#
# Environment:
#   N, D              corpus size: files, directories (10000, 100)
#   SUBSET            files for kube-score, which is quadratic (1000)
#   PAIRS             pairs per comparison (7); RUNS is read as a synonym
#   TOOLS_DIR         where the tools are installed or built
#                     (~/.cache/k8slint-bench/bin), searched before PATH
#   NO_INSTALL=1      use only tools already in TOOLS_DIR or on PATH
#   KUBE_LINTER_SRC   a source checkout of stackrox/kube-linter: built there
#                     with `go build ./cmd/kube-linter` (its module is not
#                     served by every Go proxy, so `go install` may fail); a
#                     git checkout's `git describe` becomes its version string
#   KUBECONFORM_SCHEMAS      a local schema directory in kubeconform's layout
#                     (master-standalone/deployment-apps-v1.json, ...):
#                     kubeconform is then also timed validating against it
#   KUBECONFORM_DEFINITIONS  a Kubernetes _definitions.json (as the fixture in
#                     yannh/kubeconform): bench/k8s-schemas.py builds such a
#                     directory from it, offline, when KUBECONFORM_SCHEMAS is unset
#
# A tool that is absent or fails to install is reported and skipped. Each
# tool's version is asked of the binary that runs (`kubeconform -v`,
# `kube-linter version`, `kube-score version`); where the binary only says
# "development" (a `go install` build), the module version recorded in it
# (`go version -m`) is printed beside. Nothing here uses the network:
# kubeconform reads schemas from a local directory only (parse only: an empty
# one, skipping the two kinds), and runs under `unshare -n` where it can.
set -uo pipefail

# Versions installed when a tool is missing (what is printed comes from the binary).
KUBECONFORM_MODULE=github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0
KUBE_SCORE_MODULE=github.com/zegl/kube-score/cmd/kube-score@v1.20.0
KUBE_LINTER_MODULE=golang.stackrox.io/kube-linter/cmd/kube-linter@v0.8.3

N=${N:-10000}
D=${D:-100}
SUBSET=${SUBSET:-1000}
PAIRS=${PAIRS:-${RUNS:-7}}
TOOLS_DIR=${TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/k8slint-bench/bin}

cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD
WORK=$(mktemp -d "${TMPDIR:-/tmp}/k8slint-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# k8slint runs with --no-cache: a run served from the findings cache (internal/cache)
# would time a lookup, not linting.
export PATH="$TOOLS_DIR:$PATH"

say() { printf '%s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------
install_tool() { # name module@version
	command -v "$1" >/dev/null 2>&1 && return 0
	[ "${NO_INSTALL:-}" = 1 ] && return 1
	say "installing $2 into $TOOLS_DIR ..."
	mkdir -p "$TOOLS_DIR"
	(cd "$WORK" && GOBIN="$TOOLS_DIR" GOFLAGS= go install "$2") >"$WORK/install-$1.log" 2>&1 ||
		{ say "  could not install $1; it is skipped:"; tail -3 "$WORK/install-$1.log" >&2; return 1; }
}

# build_kube_linter SRC: go build ./cmd/kube-linter in SRC into TOOLS_DIR,
# again only when a source file is newer than the binary.
build_kube_linter() {
	local src=$1 bin=$TOOLS_DIR/kube-linter-src ver
	[ -d "$src/cmd/kube-linter" ] && [ -f "$src/go.mod" ] || { say "KUBE_LINTER_SRC=$src: no go.mod and cmd/kube-linter there"; return 1; }
	if [ -x "$bin" ] && [ -z "$(find "$src" \( -name '*.go' -o -name go.mod -o -name go.sum \) -newer "$bin" -print -quit)" ]; then
		KUBE_LINTER=$bin; return 0
	fi
	ver=$(git -C "$src" describe --tags --always 2>/dev/null || true)
	say "building kube-linter from $src${ver:+ ($ver)} ..."
	mkdir -p "$TOOLS_DIR"
	(cd "$src" && GOFLAGS= go build -o "$bin" \
		${ver:+-ldflags "-X golang.stackrox.io/kube-linter/internal/version.version=$ver"} \
		./cmd/kube-linter) >"$WORK/build-kube-linter.log" 2>&1 ||
		{ say "  could not build kube-linter; it is skipped:"; tail -3 "$WORK/build-kube-linter.log" >&2; return 1; }
	KUBE_LINTER=$bin
}

# version_of NAME BIN ARGS...: what the binary says or, when it says only
# "development", the module version the Go toolchain recorded in it; the
# details go to the versions block of the report ($VERSIONS).
VERSIONS=
version_of() {
	local name=$1 bin=$2 said mod v how
	shift 2
	said=$("$bin" "$@" 2>&1 | head -1)
	said=${said#"$name version: "}; said=${said%%,*}
	case $said in
	v[0-9]* | [0-9]*) v=$said; how="\`$name $*\`" ;;
	*)
		mod=$(go version -m "$bin" 2>/dev/null | awk '$1 == "mod" { print $3; exit }')
		v=${mod:-?}; how="\`go version -m\` (\`$name $*\` says \"$said\")" ;;
	esac
	VERSIONS+="  $name $v: $bin, version from $how"$'\n'
	echo "$v"
}

have_kubeconform=0; have_kubescore=0; KUBE_LINTER=
install_tool kubeconform "$KUBECONFORM_MODULE" && have_kubeconform=1
install_tool kube-score "$KUBE_SCORE_MODULE" && have_kubescore=1
if [ -n "${KUBE_LINTER_SRC:-}" ]; then
	build_kube_linter "$KUBE_LINTER_SRC"
elif command -v kube-linter >/dev/null 2>&1 || install_tool kube-linter "$KUBE_LINTER_MODULE"; then
	KUBE_LINTER=$(command -v kube-linter)
else
	say "  (kube-linter: give a source checkout of stackrox/kube-linter as KUBE_LINTER_SRC)"
fi

# Network isolation for the tools that could reach out (kubeconform).
OFFLINE=()
if unshare -n true 2>/dev/null; then OFFLINE=(unshare -n); fi

# --- inputs ------------------------------------------------------------------
say "building k8slint and generating the corpora ..."
CGO_ENABLED=0 go build -tags kustomize_disable_go_plugin_support -o "$WORK/k8slint" ./cmd/k8slint || exit 2 # as `make build`
gen() { go run ./internal/gencorpus/cmd/gencorpus -n "$1" -d "$2" "$3" || exit 2; }
gen "$N" "$D" "$WORK/c-$N"
gen "$((2 * N))" "$((2 * D))" "$WORK/c-$((2 * N))"
gen "$N" 1 "$WORK/c-$N-flat"
gen "$SUBSET" 10 "$WORK/c-$SUBSET"
mkdir -p "$WORK/one" "$WORK/empty-schemas"
cp "$WORK/c-$SUBSET/team-000/app-00000.yaml" "$WORK/one/app.yaml"
SIZE=$(du -sh --apparent-size "$WORK/c-$N" 2>/dev/null | cut -f1)

SCHEMAS=${KUBECONFORM_SCHEMAS:-}
if [ -z "$SCHEMAS" ] && [ -n "${KUBECONFORM_DEFINITIONS:-}" ]; then
	say "building kubeconform schemas from $KUBECONFORM_DEFINITIONS ..."
	python3 "$ROOT/bench/k8s-schemas.py" "$KUBECONFORM_DEFINITIONS" "$WORK/k8s-schemas" && SCHEMAS=$WORK/k8s-schemas
fi
if [ -n "$SCHEMAS" ] && [ ! -f "$SCHEMAS/master-standalone/deployment-apps-v1.json" ]; then
	say "$SCHEMAS has no master-standalone/deployment-apps-v1.json: kubeconform with schemas is skipped"
	SCHEMAS=
fi

# --- measuring ---------------------------------------------------------------
# warm CMD...: one run for the file cache; a command that writes nothing on
# stdout but something on stderr is reported (it probably failed).
warm() {
	"$@" >"$WORK/out" 2>"$WORK/err"
	if [ ! -s "$WORK/out" ] && [ -s "$WORK/err" ]; then
		say "  note: $1 wrote nothing on stdout; stderr: $(head -c 300 "$WORK/err")"
	fi
}
. "$ROOT/bench/lib.sh"

K=$WORK/k8slint
KC_VER=; KL_VER=; KS_VER=
# (not in $(...): version_of appends to VERSIONS)
[ $have_kubeconform = 1 ] && { version_of kubeconform "$(command -v kubeconform)" -v >"$WORK/v"; KC_VER=$(cat "$WORK/v"); }
[ -n "$KUBE_LINTER" ] && { version_of kube-linter "$KUBE_LINTER" version >"$WORK/v"; KL_VER=$(cat "$WORK/v"); }
[ $have_kubescore = 1 ] && { version_of kube-score "$(command -v kube-score)" version >"$WORK/v"; KS_VER=$(cat "$WORK/v"); }
echo "k8slint $(git -C "$ROOT" describe --always --dirty 2>/dev/null) ($("$K" --version 2>&1 | head -1)) on $(uname -sm), $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "corpus: $N files in $D directories ($SIZE), each one Deployment and one Service"
echo "$PAIRS pairs per comparison, run alternately (A B A B ...); ratios are medians of the per-pair ratios B/A"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
[ ${#OFFLINE[@]} -gt 0 ] && echo "kubeconform runs under: ${OFFLINE[*]}"
[ -n "$SCHEMAS" ] && echo "kubeconform schemas: $SCHEMAS"
printf 'versions:\n%s' "$VERSIONS"
echo
printf '%-62s %10s %10s %9s %8s %8s\n' "command" "wall" "CPU" "peak RSS" "wall x" "CPU x"

if [ $have_kubeconform = 1 ]; then
	pair "k8slint ($N files)" "kubeconform $KC_VER, parse only" -- \
		"$K" --no-cache "$WORK/c-$N" -- \
		"${OFFLINE[@]}" kubeconform -summary -skip Deployment,Service -ignore-missing-schemas \
		-schema-location "$WORK/empty-schemas/{{.ResourceKind}}.json" "$WORK/c-$N"
	if [ -n "$SCHEMAS" ]; then
		"${OFFLINE[@]}" kubeconform -summary -schema-location "$SCHEMAS" "$WORK/c-$N" 2>&1 | tail -1 | sed 's/^/  kubeconform with schemas, once: /'
		pair "k8slint ($N files)" "kubeconform $KC_VER, with local schemas" -- \
			"$K" --no-cache "$WORK/c-$N" -- \
			"${OFFLINE[@]}" kubeconform -summary -schema-location "$SCHEMAS" "$WORK/c-$N"
	else
		echo "kubeconform with schemas: no KUBECONFORM_SCHEMAS or KUBECONFORM_DEFINITIONS (skipped)"
	fi
else
	echo "kubeconform: absent (skipped)"
fi
if [ -n "$KUBE_LINTER" ]; then
	pair "k8slint ($N files)" "kube-linter $KL_VER" -- \
		"$K" --no-cache "$WORK/c-$N" -- \
		"$KUBE_LINTER" lint "$WORK/c-$N"
else
	echo "kube-linter: absent (skipped)"
fi
if [ $have_kubescore = 1 ]; then
	mapfile -t subset_files < <(find "$WORK/c-$SUBSET" -name '*.yaml' | sort)
	pair "k8slint ($SUBSET files)" "kube-score $KS_VER ($SUBSET files)" -- \
		"$K" --no-cache "$WORK/c-$SUBSET" -- \
		kube-score score --output-format ci "${subset_files[@]}"
else
	echo "kube-score: absent (skipped)"
fi

echo
echo "k8slint targets (docs/performance.md); ratios: to the $N-file run, pair by pair"
pair "$N files in $D dirs" "$((2 * N)) files in $((2 * D)) dirs" -- "$K" --no-cache "$WORK/c-$N" -- "$K" --no-cache "$WORK/c-$((2 * N))"
pair "$N files in $D dirs" "$N files in one dir" -- "$K" --no-cache "$WORK/c-$N" -- "$K" --no-cache "$WORK/c-$N-flat"
alone "one small manifest" "$K" --no-cache "$WORK/one/app.yaml"
CORPUS=${CORPUS:-$ROOT/../shared/corpus}
[ -d "$CORPUS" ] || CORPUS=$ROOT/../../shared/corpus # a worktree under /work/wt/
if [ -d "$CORPUS" ]; then
	alone "../shared/corpus Dockerfiles, contexts, ignore files" "$K" --no-cache --exclude '**/*.{yaml,yml,json,conf}' "$CORPUS"
	alone "../shared/corpus, everything" "$K" --no-cache "$CORPUS"
else
	echo "../shared/corpus: absent (skipped)"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
