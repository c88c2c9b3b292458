# bench/lib.sh: the measuring functions of bench/compare.sh and
# bench/cache.sh (sourced by both). The caller sets WORK (a scratch
# directory) and PAIRS, and may set ROW_WIDTH (the label column, 62) and
# define warm CMD... (the warm-up run; by default its output is discarded).

TIME_BIN=$(command -v /usr/bin/time || true)
TIMEFORMAT='%3R %3U %3S'

# run1 OUT CMD...: runs CMD once (stdout and stderr discarded: linters exit
# non-zero when they find something) and appends "wall cpu rss" to OUT (s, s, KB).
run1() {
	local out=$1 t rss="?"
	shift
	if [ -n "$TIME_BIN" ]; then
		t=$({ time "$TIME_BIN" -f '%M' -o "$WORK/rss" "$@" >/dev/null 2>&1; } 2>&1)
		rss=$(tail -1 "$WORK/rss")
	else
		t=$({ time "$@" >/dev/null 2>&1; } 2>&1)
	fi
	set -- $t
	echo "$1 $(awk -v u="$2" -v s="$3" 'BEGIN { printf "%.3f", u + s }') $rss" >>"$out"
}

# warm CMD...: one run for the file cache (a caller may define its own).
if ! declare -F warm >/dev/null; then
	warm() { "$@" >/dev/null 2>&1; }
fi

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "?"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$2" '{ print $c }' "$1"; }
mb() { awk -v k="$1" 'BEGIN { if (k == "?") print "?"; else printf "%.0f", k / 1024 }'; }

row() { # label wall cpu rss-KB wall-ratio cpu-ratio
	printf "%-${ROW_WIDTH:-62}s %8s s %8s s %6s MB %8s %8s\n" "$1" "$2" "$3" "$(mb "$4")" "${5:--}" "${6:--}"
}

# pair LABEL_A LABEL_B -- CMD_A... -- CMD_B...: warm-up, then PAIRS times A
# then B; prints a row for each and, on B's row, the medians of the per-pair
# ratios B/A of wall and CPU time.
pair() {
	local la=$1 lb=$2 a=() b=() i
	shift 2; shift # --
	while [ $# -gt 0 ] && [ "$1" != -- ]; do a+=("$1"); shift; done
	shift; b=("$@")
	: >"$WORK/a"; : >"$WORK/b"
	warm "${a[@]}"; warm "${b[@]}"
	for ((i = 0; i < PAIRS; i++)); do
		run1 "$WORK/a" "${a[@]}"
		run1 "$WORK/b" "${b[@]}"
	done
	paste -d' ' "$WORK/a" "$WORK/b" >"$WORK/ab"
	local rw rc
	rw=$(awk '$1 > 0 { print $4 / $1 }' "$WORK/ab" | median)
	rc=$(awk '$2 > 0 { print $5 / $2 }' "$WORK/ab" | median)
	row "$la" "$(col "$WORK/a" 1 | median)" "$(col "$WORK/a" 2 | median)" "$(col "$WORK/a" 3 | median)"
	row "$lb" "$(col "$WORK/b" 1 | median)" "$(col "$WORK/b" 2 | median)" "$(col "$WORK/b" 3 | median)" \
		"$(printf '%.2fx' "$rw")" "$(printf '%.2fx' "$rc")"
}

# alone LABEL CMD...: PAIRS runs of one command, medians.
alone() {
	local l=$1 i
	shift
	: >"$WORK/a"
	warm "$@"
	for ((i = 0; i < PAIRS; i++)); do run1 "$WORK/a" "$@"; done
	row "$l" "$(col "$WORK/a" 1 | median)" "$(col "$WORK/a" 2 | median)" "$(col "$WORK/a" 3 | median)"
}
