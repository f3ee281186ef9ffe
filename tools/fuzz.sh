#!/bin/sh
# SPDX-License-Identifier: MIT
#
# tools/fuzz.sh N - build the libFuzzer harnesses of tests/fuzz/ with clang
# and run each of them for N seconds (default 60); `make fuzz FUZZ_SECONDS=N`.
#
# The code under test (kmd-shim/*.c, lib/codeobj/*.c, and the logger they
# call, lib/log/musa_log.c) is compiled here from source with
# -fsanitize=fuzzer-no-link,address,undefined into build-fuzz/obj/, not
# taken from the shared libraries, so coverage feedback reaches inside the
# driver. Each fuzzer starts from a copy of its
# committed seed corpus (tests/fuzz/corpus/<name>) in build-fuzz/corpus/,
# so the repository's corpus is never written to. The fuzzers run at once.
#
# FUZZ_COVERAGE=1: afterwards, an llvm-cov report of the driver sources over
# the final corpora (separate build in build-fuzz/cov/).
#
# Exit status: non-zero when the build fails or any fuzzer reports a crash,
# leak, timeout, out-of-memory or sanitizer report; the reproducer is left
# in build-fuzz/artifacts/ and the log in build-fuzz/<name>.log.
#
# Environment: FUZZ_BUILD (default build-fuzz), CLANG (default clang-14 or
# clang), FUZZ_JOBS=1 to run the fuzzers one after the other, FUZZ_ARGS
# (extra libFuzzer flags), FUZZ_TARGETS (default "ioctl codeobj codeload").
set -eu

SECS=${1:-60}
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${FUZZ_BUILD:-$TOP/build-fuzz}
TARGETS=${FUZZ_TARGETS:-ioctl codeobj codeload}
FUZZ_ARGS=${FUZZ_ARGS:-}

if [ -z "${CLANG:-}" ]; then
	if command -v clang-14 >/dev/null 2>&1; then CLANG=clang-14; else CLANG=clang; fi
fi
command -v "$CLANG" >/dev/null 2>&1 || { echo "fuzz.sh: $CLANG not found" >&2; exit 1; }

DRM_CFLAGS=$(pkg-config --cflags libdrm 2>/dev/null || echo -I/usr/include/libdrm)
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-g -O1 -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
	-pthread -I$TOP/include -I$TOP/lib/log $DRM_CFLAGS"
LIBS="-lelf -lffi -ldl -lpthread"

mkdir -p "$OUT/obj" "$OUT/artifacts" "$OUT/corpus"
cd "$TOP"

# Rebuild an object when its source or any header is newer.
HDRS=$(ls include/*.h include/uapi/*.h kmd-shim/*.h 2>/dev/null)
newer() {
	[ ! -e "$1" ] && return 0
	for f in $2 $HDRS; do
		[ "$f" -nt "$1" ] && return 0
	done
	return 1
}

OBJS=""
for src in kmd-shim/*.c lib/codeobj/*.c lib/log/musa_log.c; do
	obj="$OUT/obj/$(echo "$src" | tr / _).o"
	if newer "$obj" "$src"; then
		echo "  CC      $src"
		# shellcheck disable=SC2086
		$CLANG $CFLAGS $SAN -fsanitize=fuzzer-no-link -I"$(dirname "$src")" -c "$src" -o "$obj"
	fi
	OBJS="$OBJS $obj"
done
# Objects of sources that are gone must not be linked.
for obj in "$OUT"/obj/*.o; do
	case " $OBJS " in *" $obj "*) ;; *) rm -f "$obj" ;; esac
done

# The trusted code object of fuzz_ioctl: plain device code, no sanitizer.
KERNELS="$OUT/fuzz_kernels.so"
if newer "$KERNELS" tests/fuzz/kernels.kern.c; then
	echo "  CC      $KERNELS"
	$CLANG -O2 -std=gnu11 -Wall -Wextra -fPIC -shared -nostartfiles -fvisibility=hidden \
		-Iinclude -Icompiler-rt/include -o "$KERNELS" tests/fuzz/kernels.kern.c
fi

for t in $TARGETS; do
	bin="$OUT/fuzz_$t"
	echo "  LD      $bin"
	# shellcheck disable=SC2086
	$CLANG $CFLAGS $SAN -fsanitize=fuzzer -DFUZZ_KERNELS_SO="\"$KERNELS\"" \
		-o "$bin" "tests/fuzz/fuzz_$t.c" $OBJS $LIBS
done

[ "$SECS" -gt 0 ] 2>/dev/null || { echo "fuzz.sh: built only (N=$SECS)"; exit 0; }

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:handle_abort=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

run_one() {
	t=$1
	corpus="$OUT/corpus/$t"
	rm -rf "$corpus"
	mkdir -p "$corpus"
	cp tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
	dict=""
	[ -f tests/fuzz/"$t".dict ] && dict="-dict=tests/fuzz/$t.dict"
	# shellcheck disable=SC2086
	"$OUT/fuzz_$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=4096 \
		-print_final_stats=1 -artifact_prefix="$OUT/artifacts/$t-" $dict $FUZZ_ARGS \
		"$corpus" >"$OUT/$t.log" 2>&1
}

summary() {
	t=$1
	rc=$2
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/$t.log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$OUT/$t.log" | tail -n 1)
	echo "fuzz_$t: exit $rc, ${runs:-?} executions, ${cov:-no coverage line}, log $OUT/$t.log"
	if [ "$rc" -ne 0 ] || grep -Eq 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|invariant broken|SUMMARY: ' "$OUT/$t.log"; then
		echo "fuzz_$t: FAILED; the report:" >&2
		grep -E -A 30 'ERROR:|runtime error:|invariant broken' "$OUT/$t.log" | head -n 60 >&2
		return 1
	fi
	return 0
}

status=0
if [ "${FUZZ_JOBS:-2}" -gt 1 ]; then
	pids=""
	for t in $TARGETS; do
		( rc=0; run_one "$t" || rc=$?; echo "$rc" >"$OUT/$t.rc" ) &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086
	wait $pids
	for t in $TARGETS; do
		summary "$t" "$(cat "$OUT/$t.rc")" || status=1
	done
else
	for t in $TARGETS; do
		rc=0
		run_one "$t" || rc=$?
		summary "$t" "$rc" || status=1
	done
fi
# Source coverage of the final corpora, from a separate build with
# clang's profile instrumentation (no sanitizers): the driver files only.
if [ "${FUZZ_COVERAGE:-0}" = 1 ]; then
	v=${CLANG#clang}
	PROFDATA=llvm-profdata$v
	COV=llvm-cov$v
	mkdir -p "$OUT/cov"
	for t in $TARGETS; do
		# shellcheck disable=SC2086
		$CLANG $CFLAGS -O0 -fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping \
			-DFUZZ_KERNELS_SO="\"$KERNELS\"" -o "$OUT/cov/fuzz_$t" "tests/fuzz/fuzz_$t.c" \
			kmd-shim/*.c lib/codeobj/*.c lib/log/musa_log.c $LIBS
		LLVM_PROFILE_FILE="$OUT/cov/$t.profraw" "$OUT/cov/fuzz_$t" -runs=0 \
			"$OUT/corpus/$t" >"$OUT/cov/$t.log" 2>&1 || status=1
		$PROFDATA merge -o "$OUT/cov/$t.profdata" "$OUT/cov/$t.profraw"
		echo "coverage of fuzz_$t over $OUT/corpus/$t:"
		$COV report "$OUT/cov/fuzz_$t" -instr-profile="$OUT/cov/$t.profdata" \
			kmd-shim/*.c lib/codeobj/*.c
	done
fi
exit $status
