#!/bin/sh
# Runs every test program of a build directory, then the samples.
B=${1:-build}
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-120}
fail=0; n=0
for t in $(find "$B"/tests -type f -name 'test_*' -perm -u+x | sort); do
	n=$((n+1))
	echo "== $t"
	if ! "$t"; then echo "FAILED: $t"; fail=$((fail+1)); fi
done
echo "== samples"
sh "$(dirname "$0")/run-samples.sh" "$B" || fail=$((fail+1))
if [ $fail -ne 0 ]; then echo "$fail of $n test programs (or the samples) failed"; exit 1; fi
echo "All $n test programs and the samples passed."
