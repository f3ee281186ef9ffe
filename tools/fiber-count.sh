#!/bin/sh
# fiber-count.sh: for each .mu given (default: tests/ports and the
# samples), the kernel entries of its device object and the kernels that
# `mcc -v` says run as fibers, with the reason; then the totals.
#
#   tools/fiber-count.sh [-B BUILD] [FILE.mu...]
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$TOP/build
while getopts B: o; do
	case $o in
	B) B=$(cd "$OPTARG" && pwd) ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- "$TOP"/tests/ports/*.mu "$TOP"/samples/*/*.mu
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
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
