#!/bin/sh
# SPDX-License-Identifier: MIT
#
# cts-cuda.sh - builds the conformance suite (tests/conformance) against
# CUDA instead of MUSA: `make cts-cuda` runs it (docs/conformance.md).
#
#   tools/cts-cuda.sh [BUILD_DIR]          (default: build)
#
# Generates BUILD_DIR/cts-cuda/include/cts_cuda_map.h (tools/gen-cuda-map.sh),
# reports where our prototypes and constants differ from CUDA's
# (tools/cuda-api-check.sh), compiles every tests/conformance/*.c as C with
# -DCTS_CUDA against CUDA's headers and cts_kernels.mu with nvcc, and, when the toolkit has
# libcudart_static.a and the libcuda stub, links BUILD_DIR/bin/musa-cts-cuda
# and builds BUILD_DIR/cts-cuda/cts_kernels.fatbin, the module of the
# driver-API tests (its path is built into musa-cts-cuda; MUSA_CTS_MODULE
# overrides it). Without CUDA's headers it skips with a message (exit 0);
# without nvcc it compiles only the C files. Environment: CUDA_HOME (default
# /usr/local/cuda), CC, CXX, NVCC, CTS_CUDA_ARCH (nvcc -arch for the module
# and the program; default: nvcc's own).
set -u
export LC_ALL=C

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$TOP/build}
CUDA_HOME=${CUDA_HOME:-/usr/local/cuda}
CC=${CC:-cc}
CXX=${CXX:-c++}
CUINC=$CUDA_HOME/include
OUT=$B/cts-cuda

if [ ! -f "$CUINC/cuda.h" ] || [ ! -f "$CUINC/cuda_runtime.h" ]; then
	echo "cts-cuda: skipped: no CUDA headers in $CUINC (set CUDA_HOME)"
	exit 0
fi
NVCC=${NVCC:-}
if [ -z "$NVCC" ]; then
	if [ -x "$CUDA_HOME/bin/nvcc" ]; then
		NVCC=$CUDA_HOME/bin/nvcc
	else
		NVCC=$(command -v nvcc 2>/dev/null || true)
	fi
fi
ARCH=${CTS_CUDA_ARCH:+-arch=$CTS_CUDA_ARCH}

mkdir -p "$OUT/include" "$OUT/obj" "$B/bin" || exit 1
CC="$CC" CUDA_HOME="$CUDA_HOME" sh "$TOP/tools/gen-cuda-map.sh" "$OUT/include" || exit 1
# Our prototypes and values against CUDA's (informational; see the script).
CC="$CC" CUDA_HOME="$CUDA_HOME" sh "$TOP/tools/cuda-api-check.sh" "$OUT/include" "$OUT" || exit 1

CHECK_CFLAGS=$(pkg-config --cflags check 2>/dev/null || true)
CHECK_LIBS=$(pkg-config --libs check 2>/dev/null || echo "-lcheck -lsubunit -lm -lrt -lpthread")
MODULE=$OUT/cts_kernels.fatbin
# As the MUSA build of the suite warns, plus: a name the map does not know
# (MUSA-only, or gone from this CUDA) is an error, not an implicit declaration.
CFLAGS="-std=gnu11 -O1 -g -Wall -Wextra -Wno-unused-parameter \
	-Wno-missing-field-initializers -Wno-deprecated-declarations \
	-Werror=implicit-function-declaration \
	-Werror=implicit-int -DCTS_CUDA -I$OUT/include -I$CUINC -I$TOP/tests/conformance \
	$CHECK_CFLAGS"

fail=0
objs=""
for src in "$TOP"/tests/conformance/*.c; do
	name=$(basename "$src" .c)
	obj=$OUT/obj/$name.o
	echo "  CC (CUDA) tests/conformance/$name.c"
	if "$CC" $CFLAGS -DCTS_MODULE_PATH="\"$MODULE\"" -c "$src" -o "$obj"; then
		objs="$objs $obj"
	else
		echo "cts-cuda: FAILED: tests/conformance/$name.c" >&2
		fail=$((fail + 1))
	fi
done

if [ -z "$NVCC" ]; then
	echo "cts-cuda: nvcc not found: cts_kernels.mu not compiled, nothing linked"
else
	echo "  NVCC (CUDA) tests/conformance/cts_kernels.mu"
	if ! "$NVCC" $ARCH -x cu -DCTS_CUDA -I"$OUT/include" -Xcompiler -Wall \
		-c "$TOP/tests/conformance/cts_kernels.mu" -o "$OUT/obj/cts_kernels.o"; then
		echo "cts-cuda: FAILED: tests/conformance/cts_kernels.mu" >&2
		fail=$((fail + 1))
	fi
	echo "  NVCC (CUDA) $MODULE"
	if ! "$NVCC" $ARCH -x cu -fatbin -DCTS_CUDA -DCTS_KERNELS_DEVICE_ONLY \
		-I"$OUT/include" "$TOP/tests/conformance/cts_kernels.mu" -o "$MODULE"; then
		echo "cts-cuda: FAILED: the module (cts_kernels.mu, --fatbin)" >&2
		fail=$((fail + 1))
	fi
fi

if [ $fail -ne 0 ]; then
	echo "cts-cuda: $fail file(s) do not compile against CUDA ($CUDA_HOME)" >&2
	exit 1
fi

LIB=""
for d in "$CUDA_HOME/lib64" "$CUDA_HOME/lib" "$CUDA_HOME/targets/x86_64-linux/lib"; do
	if [ -f "$d/libcudart_static.a" ] && [ -e "$d/stubs/libcuda.so" ]; then
		LIB=$d
		break
	fi
done
if [ -z "$NVCC" ] || [ -z "$LIB" ]; then
	echo "cts-cuda: compiled; not linked (needs nvcc, libcudart_static.a and stubs/libcuda.so)"
	exit 0
fi
echo "  LD (CUDA) $B/bin/musa-cts-cuda"
# The stub libcuda.so only satisfies the link: at run time the loader finds
# the driver's libcuda.so.1.
if ! "$CXX" -o "$B/bin/musa-cts-cuda" $objs "$OUT/obj/cts_kernels.o" \
	-L"$LIB" -lcudart_static -L"$LIB/stubs" -lcuda $CHECK_LIBS -ldl -lrt -lpthread; then
	echo "cts-cuda: FAILED: linking musa-cts-cuda" >&2
	exit 1
fi
echo "cts-cuda: $B/bin/musa-cts-cuda built (run it on a machine with an NVIDIA GPU)"
