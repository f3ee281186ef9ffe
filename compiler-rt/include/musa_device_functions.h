/* SPDX-License-Identifier: MIT */
/*
 * musa_device_functions.h - what kernel code may call, for both passes of
 * mcc: the qualifier macros, atomics and fences (musa_atomic.h), integer
 * intrinsics (musa_int_intrinsics.h), the CUDA math API (musa_math.h),
 * __ldg, the legacy warp operations, clock64 and __trap. Works from C++ (overloads)
 * and from C (_Generic macros). Barriers and warp operations are declared by
 * the pass headers, because their meaning differs: real in the device pass,
 * single-thread in the host pass. Include through musa_device_pass.h /
 * musa_host_pass.h. clock() is libc's: it only ever increases, which is all
 * kernels measure with it.
 */
#ifndef MUSA_DEVICE_FUNCTIONS_H
#define MUSA_DEVICE_FUNCTIONS_H

/* What nvcc's implicit cuda_runtime.h makes visible in a .cu (through
 * crt/common_functions.h, crt/math_functions.h, host_defines.h and
 * driver_types.h), so ported code that calls memcpy, strncpy, malloc,
 * clock, toupper, INT_MAX or std::sqrt without including their headers
 * compiles here too. <stdio.h> and <assert.h> are only in nvcc's device
 * pass; kernels use printf and assert without including them, so both
 * passes have them. */
#include <assert.h>
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__cplusplus)
#include <cmath>
#include <cstdlib>
#include <new>
#include <utility>
#endif

#include "musa_runtime.h"

#define __forceinline__ __inline__ __attribute__((always_inline))
/*
 * __noinline__ is an attribute keyword of CUDA's front end, not a macro,
 * and libstdc++ spells its own attribute __attribute__((__noinline__)). A
 * macro for the keyword turns that into __attribute__((__attribute__((
 * __noinline__)))), which GCC and Clang read as an unknown attribute named
 * __attribute__ whose argument is the expression (__noinline__): ignored
 * (in a system header, silently) once that expression names something. So
 * the name is first declared as a constant, then made a macro whose
 * expansion names itself (not expanded again): in user code it is GCC's
 * noinline attribute, inside libstdc++ a harmless one.
 */
#if !(defined(__clang__) && defined(__CUDA__))   /* a keyword of clang's CUDA mode */
enum { __noinline__ };
#define __noinline__    __attribute__((__noinline__))
#endif
#define __align__(n)    __attribute__((aligned(n)))
#define __restrict__    __restrict
#define __launch_bounds__(...)
#define __managed__
#define __constant__

#define __MUSA_FN static __inline__ __attribute__((always_inline, unused))

#include "musa_atomic.h"
#include "musa_int_intrinsics.h"
#include "musa_simd_intrinsics.h"
#include "musa_math.h"

/*
 * Loads and stores with cache hints (__ldg, __ldcg, __ldca, __ldcs,
 * __ldlu, __ldcv; __stwb, __stcg, __stcs, __stwt), for every type CUDA has
 * them for and any other: the host's caches are coherent, so each is a
 * plain access. __ldcv ("fetch again") and __stwt ("write through") also
 * keep the compiler from reusing or delaying the access.
 */
#if defined(__cplusplus)
template <class T> struct __musa_same { typedef T type; };
template <class T> static __inline__ T __ldg(const T *p) { return *p; }
template <class T> static __inline__ T __ldcg(const T *p) { return *p; }
template <class T> static __inline__ T __ldca(const T *p) { return *p; }
template <class T> static __inline__ T __ldcs(const T *p) { return *p; }
template <class T> static __inline__ T __ldlu(const T *p) { return *p; }
template <class T> static __inline__ T __ldcv(const T *p)
{
	__asm__ __volatile__("" ::: "memory");
	return *p;
}
template <class T> static __inline__ void __stwb(T *p, typename __musa_same<T>::type v) { *p = v; }
template <class T> static __inline__ void __stcg(T *p, typename __musa_same<T>::type v) { *p = v; }
template <class T> static __inline__ void __stcs(T *p, typename __musa_same<T>::type v) { *p = v; }
template <class T> static __inline__ void __stwt(T *p, typename __musa_same<T>::type v)
{
	*p = v;
	__asm__ __volatile__("" ::: "memory");
}
#else
#define __ldg(p)  (*(p))
#define __ldcg(p) (*(p))
#define __ldca(p) (*(p))
#define __ldcs(p) (*(p))
#define __ldlu(p) (*(p))
#define __ldcv(p) (__extension__({ __asm__ __volatile__("" ::: "memory"); *(p); }))
#define __stwb(p, v) ((void)(*(p) = (v)))
#define __stcg(p, v) ((void)(*(p) = (v)))
#define __stcs(p, v) ((void)(*(p) = (v)))
#define __stwt(p, v) (__extension__({ *(p) = (v); __asm__ __volatile__("" ::: "memory"); }))
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

/* Ends the kernel with an illegal instruction (the error the host sees is
 * musaErrorIllegalInstruction). A macro, so that the line a fault report
 * and a debugger name is the caller's. */
#define __trap() __builtin_trap()

#endif /* MUSA_DEVICE_FUNCTIONS_H */
