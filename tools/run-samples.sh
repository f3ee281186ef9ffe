#!/bin/sh
# Runs every built sample; fails if any prints no PASSED or exits non-zero.
B=${1:-build}
fail=0
for s in "$B"/samples/*; do
	[ -x "$s" ] && [ -f "$s" ] || continue
	name=$(basename "$s")
	# MPI programs (haloExchangeMPI): OpenMPI keeps what MPI_Init allocates,
	# and its plug-ins are unloaded before LeakSanitizer could name them, so
	# a sanitizer build does not look for leaks in them
	case "$name" in
	*MPI) out=$(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$s" 2>&1); rc=$?;;
	*) out=$("$s" 2>&1); rc=$?;;
	esac
	echo "$out" | tail -n 3 | sed "s|^|[$name] |"
	if [ $rc -ne 0 ] || ! echo "$out" | grep -q PASSED; then
		echo "[$name] FAILED (exit $rc)"; fail=1
	fi
done
exit $fail
