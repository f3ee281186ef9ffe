/* SPDX-License-Identifier: MIT */
/*
 * musa_device_functions.h - what kernel code may call, for both passes of
 * mcc: the qualifier macros, atomics and fences (musa_atomic.h), integer
 * intrinsics (musa_int_intrinsics.h), the CUDA math API (musa_math.h),
 * __ldg, the legacy warp operations and clock64. Works from C++ (overloads)
 * and from C (_Generic macros). Barriers and warp operations are declared by
 * the pass headers, because their meaning differs: real in the device pass,
 * single-thread in the host pass. Include through musa_device_pass.h /
 * musa_host_pass.h. clock() is libc's: it only ever increases, which is all
 * kernels measure with it.
 */
#ifndef MUSA_DEVICE_FUNCTIONS_H
#define MUSA_DEVICE_FUNCTIONS_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "musa_runtime.h"

#define __forceinline__ __inline__ __attribute__((always_inline))
#define __noinline__    __attribute__((noinline))
#define __align__(n)    __attribute__((aligned(n)))
#define __restrict__    __restrict
#define __launch_bounds__(...)
#define __managed__
#define __constant__

#define __MUSA_FN static __inline__ __attribute__((always_inline, unused))

#include "musa_atomic.h"
#include "musa_int_intrinsics.h"
#include "musa_math.h"

/* Read-only data cache loads: a plain load, as every load is cached. */
#if defined(__cplusplus)
template <class T> static __inline__ T __ldg(const T *p) { return *p; }
#else
#define __ldg(p) (*(p))
#endif

/* The legacy warp operations (before CUDA 9): the whole warp takes part.
 * Macros onto the _sync forms the pass headers define. */
#define __shfl(v, ...)      __shfl_sync(0xffffffffu, v, __VA_ARGS__)
#define __shfl_up(v, ...)   __shfl_up_sync(0xffffffffu, v, __VA_ARGS__)
#define __shfl_down(v, ...) __shfl_down_sync(0xffffffffu, v, __VA_ARGS__)
#define __shfl_xor(v, ...)  __shfl_xor_sync(0xffffffffu, v, __VA_ARGS__)
#define __ballot(p)         __ballot_sync(0xffffffffu, (p))
#define __any(p)            __any_sync(0xffffffffu, (p))
#define __all(p)            __all_sync(0xffffffffu, (p))

/* A monotonic cycle-like counter (nanoseconds on the software device). */
__MUSA_FN long long clock64(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

#endif /* MUSA_DEVICE_FUNCTIONS_H */
