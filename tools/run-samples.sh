#!/bin/sh
# Runs every built sample; fails if any prints no PASSED or exits non-zero.
B=${1:-build}
fail=0
for s in "$B"/samples/*; do
	[ -x "$s" ] && [ -f "$s" ] || continue
	name=$(basename "$s")
	out=$("$s" 2>&1); rc=$?
	echo "$out" | tail -n 3 | sed "s|^|[$name] |"
	if [ $rc -ne 0 ] || ! echo "$out" | grep -q PASSED; then
		echo "[$name] FAILED (exit $rc)"; fail=1
	fi
done
exit $fail
