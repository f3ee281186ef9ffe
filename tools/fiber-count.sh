#!/bin/sh
# fiber-count.sh: for each .mu given (default: tests/ports and the
# samples), the kernel entries of its device object and the kernels that
# `mcc -v` says run as fibers, with the reason; then the totals.
#
#   tools/fiber-count.sh [-B BUILD] [FILE.mu...]
#   tools/fiber-count.sh [-B BUILD] -u UPSTREAM_DIR...
#
# With -u, the sources are the porting targets of shared/PORTING_TARGETS.md:
# tools/port-check.sh converts and builds the upstream checkouts given
# (cuda-samples, Rodinia) with tools/port-check/mcc-fibers standing in for
# mcc, which counts each source it compiles (the programs are not run).
# Entries count template instances one by one; a kernel that runs as
# fibers is named once, whatever its instances.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$TOP/build
UP=0
while getopts B:u o; do
	case $o in
	B) B=$(cd "$OPTARG" && pwd) ;;
	u) UP=1 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
if [ $UP = 1 ]; then
	[ $# -gt 0 ] || { echo "fiber-count: -u needs the upstream checkouts" >&2; exit 2; }
	# a build directory whose mcc is the counting stand-in
	mkdir -p "$W/B/bin"
	ln -s "$B/include" "$W/B/include"
	ln -s "$B/lib" "$W/B/lib"
	ln -s "$B/bin/musify" "$W/B/bin/musify"
	cp "$TOP/tools/port-check/mcc-fibers" "$W/B/bin/mcc"
	: > "$W/count.txt"
	MCC_FIBERS_REAL=$B/bin/mcc MCC_FIBERS_LOG=$W/count.txt PORT_CHECK_TIMEOUT=600 \
		sh "$TOP/tools/port-check.sh" -B "$W/B" -w "$W/port" "$@" > "$W/port.log" 2>&1
	cat "$W/count.txt"
	awk '/: [0-9]+ kernel entries, [0-9]+ as fibers$/ { t += $(NF - 5); f += $(NF - 2) }
	     END { printf "total: %d kernel entries, %d as fibers, %.1f%% as loops\n", t, f,
		   t ? 100 * (t - f) / t : 0 }' "$W/count.txt"
	exit 0
fi
[ $# -gt 0 ] || set -- "$TOP"/tests/ports/*.mu "$TOP"/samples/*/*.mu
tot=0
fib=0
for f in "$@"; do
	if ! "$B/bin/mcc" -v -O2 --device-only -I"$(dirname "$f")" -I"$TOP/tests/common" \
		-DTEST_BUILD_DIR='"."' "$f" -o "$W/o.mubin" > "$W/log" 2>&1; then
		echo "$f: does not build"
		continue
	fi
	n=$(readelf --dyn-syms -W "$W/o.mubin" | grep -c '__musa_entry_')
	b=$(grep -c 'runs as fibers' "$W/log")
	grep 'runs as fibers' "$W/log" | sed 's/^mcc: /    /'
	echo "$f: $n kernel entries, $b as fibers"
	tot=$((tot + n))
	fib=$((fib + b))
done
echo "total: $tot kernel entries, $fib as fibers, $(awk "BEGIN { printf \"%.1f\", $tot ? 100 * ($tot - $fib) / $tot : 0 }")% as loops"
