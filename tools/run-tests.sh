#!/bin/sh
# Runs every test program of a build directory, then the samples.
#
# TEST_JOBS programs run at once (default: the CPUs online); each one's
# output is kept and printed whole, in the order of the list, once all have
# run, and a line says when each one ends. The programs that run longest
# (tests/mcc's two, tests/porting: they compile) start first, so that the
# others fill the remaining CPU beside them. With more than one job, programs other
# than tests/tools/test_smi run with MUSA_SMI=0, so that musa-smi's own test
# sees only the processes it started. TEST_JOBS=1 runs them one by one.
B=${1:-build}
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-120}
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
case $jobs in ''|*[!0-9]*|0) echo "TEST_JOBS: a whole number of 1 or more, not '$jobs'"; exit 2;; esac
fail=0; n=0
work=$(mktemp -d "${TMPDIR:-/tmp}/musa-tests.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
: > "$work/jobs"

# TEST_EXCLUDE: an extended regex of test paths to leave out. check-tsan
# leaves out tests/ports/test_reduction: 30 kernel and type combinations,
# most of them on fibers, take about 4 minutes under ThreadSanitizer;
# test_reduction_flow runs the same sample's host flow and kernels there.
# (The fault tests run under it, less the two cases ThreadSanitizer cannot
# follow: see UNDER_TSAN in tests/kmd/test_fault.c.)
excluded() {
	[ -n "${TEST_EXCLUDE:-}" ] && echo "$1" | grep -Eq "$TEST_EXCLUDE"
}
long='/tests/(mcc/test_mcc|mcc/test_mcc_programs|porting/test_porting)$'
programs() {
	find "$B"/tests -type f -name 'test_*' -perm -u+x | sort > "$work/all"
	grep -E "$long" "$work/all"
	grep -vE "$long" "$work/all"
}

# The job list: number, program, and the MUSA_SWDEV it runs under (none:
# the caller's). The kernel-language suites run again on a device with
# 128-lane warps (mp_21); their programs carry images for sm_80 and mp_21.
for t in $(programs); do
	if excluded "$t"; then echo "== $t (left out: TEST_EXCLUDE)"; continue; fi
	n=$((n+1)); printf '%s %s\n' "$n" "$t" >> "$work/jobs"
done
for t in $(find "$B"/tests/device "$B"/tests/ports -type f -name 'test_*' -perm -u+x 2>/dev/null | sort); do
	if excluded "$t"; then continue; fi
	n=$((n+1)); printf '%s %s arch=mp_21\n' "$n" "$t" >> "$work/jobs"
done

# One job: its output to N.log, its exit status to N.rc.
cat > "$work/job.sh" <<'EOF'
n=$1 t=$2 swdev=${3:-}
if [ "$JOBS" -gt 1 ] && [ "${t##*/}" != test_smi ]; then export MUSA_SMI=0; fi
start=$(date +%s)
if [ -n "$swdev" ]; then
	MUSA_SWDEV=$swdev "$t" > "$WORK/$n.log" 2>&1
else
	"$t" > "$WORK/$n.log" 2>&1
fi
rc=$?
echo $rc > "$WORK/$n.rc"
echo "   $( [ $rc -eq 0 ] && echo ended || echo FAILED ) in $(( $(date +%s) - start ))s: $t${swdev:+ (MUSA_SWDEV=$swdev)}"
EOF
[ -s "$work/jobs" ] && WORK=$work JOBS=$jobs xargs -P "$jobs" -L 1 sh "$work/job.sh" < "$work/jobs"

while read -r i t swdev; do
	echo "== $t${swdev:+ (warp size 128)}"
	cat "$work/$i.log" 2>/dev/null
	if [ "$(cat "$work/$i.rc" 2>/dev/null)" != 0 ]; then
		echo "FAILED: $t${swdev:+ at warp size 128}"; fail=$((fail+1))
	fi
done < "$work/jobs"

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
