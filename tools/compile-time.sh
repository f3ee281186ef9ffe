#!/bin/sh
# compile-time.sh: compile time of `mcc -O2 -c` on each sample against
# `nvcc -O2 -c` (compile only) on the same source converted back to CUDA
# by `musify --reverse`, alternating, best of N runs each. Needs nvcc on
# PATH; prints a table with the ratio mcc/nvcc.
#
#   tools/compile-time.sh [-n RUNS] [-B BUILD]
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$TOP/build
N=5
while getopts n:B: o; do
	case $o in
	n) N=$OPTARG ;;
	B) B=$(cd "$OPTARG" && pwd) ;;
	*) exit 2 ;;
	esac
done
command -v nvcc >/dev/null || { echo "compile-time.sh: nvcc not on PATH" >&2; exit 2; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
now() { date +%s.%N; }
best() { # command...: the shortest wall time of N runs, seconds
	b=
	i=0
	while [ $i -lt $N ]; do
		t0=$(now)
		"$@" >/dev/null 2>&1 || { echo fail; return; }
		t1=$(now)
		b=$(echo "$t0 $t1 ${b:-1e9}" | awk '{ d = $2 - $1; print (d < $3 ? d : $3) }')
		i=$((i + 1))
	done
	echo "$b"
}
printf '| sample | mcc -O2 -c (s) | nvcc -O2 -c (s) | mcc / nvcc |\n|---|---|---|---|\n'
for d in "$TOP"/samples/*/; do
	s=$(basename "$d")
	for f in "$d"*.mu; do
		[ -f "$f" ] || continue
		c=$W/$s/$(basename "${f%.mu}").cu
		mkdir -p "$W/$s"
		"$B/bin/musify" --reverse "$f" > "$c" || continue
		tm=$(best "$B/bin/mcc" -O2 -c "$f" -o "$W/$s/m.o")
		tn=$(best nvcc -O2 -c "$c" -o "$W/$s/n.o")
		printf '| %s | %s | %s | %s |\n' "$(basename "$f")" "$tm" "$tn" \
			"$(echo "$tm $tn" | awk '{ printf "%.2f", $1 / $2 }')"
	done
done
