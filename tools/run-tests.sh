#!/bin/sh
# Runs every test program of a build directory, then the samples.
B=${1:-build}
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-120}
fail=0; n=0
# TEST_EXCLUDE: an extended regex of test paths to leave out. check-tsan
# leaves out tests/ports/test_reduction: 30 kernel and type combinations,
# most of them on fibers, take about 4 minutes under ThreadSanitizer;
# test_reduction_flow runs the same sample's host flow and kernels there.
# (The fault tests run under it, less the two cases ThreadSanitizer cannot
# follow: see UNDER_TSAN in tests/kmd/test_fault.c.)
for t in $(find "$B"/tests -type f -name 'test_*' -perm -u+x | sort); do
	if [ -n "${TEST_EXCLUDE:-}" ] && echo "$t" | grep -Eq "$TEST_EXCLUDE"; then
		echo "== $t (left out: TEST_EXCLUDE)"; continue
	fi
	n=$((n+1))
	echo "== $t"
	if ! "$t"; then echo "FAILED: $t"; fail=$((fail+1)); fi
done
# The kernel-language suites run again on a device with 128-lane warps
# (mp_21); their programs carry images for sm_80 and mp_21.
for t in $(find "$B"/tests/device "$B"/tests/ports -type f -name 'test_*' -perm -u+x 2>/dev/null | sort); do
	if [ -n "${TEST_EXCLUDE:-}" ] && echo "$t" | grep -Eq "$TEST_EXCLUDE"; then continue; fi
	n=$((n+1))
	echo "== $t (warp size 128)"
	if ! MUSA_SWDEV=arch=mp_21 "$t"; then echo "FAILED: $t at warp size 128"; fail=$((fail+1)); fi
done
# The conformance suite (musa-cts): once on one device, once on two (the
# peer and multi-device cases). 0 passed, 77 all skipped, 98 a test failed.
if [ -x "$B/bin/musa-cts" ]; then
	for swdev in "" "count=2"; do
		n=$((n+1))
		echo "== $B/bin/musa-cts ${swdev:+(MUSA_SWDEV=$swdev)}"
		MUSA_SWDEV=${swdev:-$MUSA_SWDEV} "$B/bin/musa-cts"; rc=$?
		if [ $rc -ne 0 ] && [ $rc -ne 77 ]; then
			echo "FAILED: musa-cts ${swdev:+(MUSA_SWDEV=$swdev)} (exit $rc)"; fail=$((fail+1))
		fi
	done
fi
# CUDA's C++ runtime conveniences under MUSA names (skipped without CUDA's
# headers in /usr/local/cuda/include).
n=$((n+1))
echo "== tests/porting/cuda-overloads.sh"
sh "$(dirname "$0")/../tests/porting/cuda-overloads.sh" "$B" || { echo "FAILED: cuda-overloads"; fail=$((fail+1)); }
echo "== samples"
sh "$(dirname "$0")/run-samples.sh" "$B" || fail=$((fail+1))
if [ $fail -ne 0 ]; then echo "$fail of $n test programs (or the samples) failed"; exit 1; fi
echo "All $n test programs and the samples passed."
