/* SPDX-License-Identifier: MIT */
/*
 * musa_device_functions.h - what kernel code may call, for both passes of
 * mcc: atomics, fences, integer and float intrinsics, the CUDA extras to
 * <math.h>, and clock64. Works from C++ (overloads) and from C (_Generic
 * macros). Barriers and warp operations are declared by the pass headers,
 * because their meaning differs: real in the device pass, single-thread in
 * the host pass. Include through musa_device_pass.h / musa_host_pass.h.
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

#if defined(__cplusplus)
#define __MUSA_ATOMIC_MANGLE(name, sfx) name
#else
#define __MUSA_ATOMIC_MANGLE(name, sfx) __musa_##name##_##sfx
#endif

/* ---- atomics: relaxed, as on a GPU; fences order them ------------------- */
#define __MUSA_ATOMIC_RMW(name, builtin, T, sfx)                              \
	__MUSA_FN T __MUSA_ATOMIC_MANGLE(name, sfx)(T *p, T v)                \
	{ return builtin(p, v, __ATOMIC_RELAXED); }

#define __MUSA_ATOMIC_CAS_LOOP(name, T, sfx, expr)                            \
	__MUSA_FN T __MUSA_ATOMIC_MANGLE(name, sfx)(T *p, T v)                \
	{                                                                     \
		T old = __atomic_load_n(p, __ATOMIC_RELAXED), nv;             \
		do { nv = (expr); } while (!__atomic_compare_exchange_n(      \
			p, &old, nv, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED)); \
		return old;                                                   \
	}

#define __MUSA_ATOMIC_FLOAT(name, T, U, sfx, op)                              \
	__MUSA_FN T __MUSA_ATOMIC_MANGLE(name, sfx)(T *p, T v)                \
	{                                                                     \
		U *q = (U *)(void *)p;                                        \
		U old = __atomic_load_n(q, __ATOMIC_RELAXED), nu;             \
		T of, nf;                                                     \
		do {                                                          \
			__builtin_memcpy(&of, &old, sizeof(of));              \
			nf = op;                                              \
			__builtin_memcpy(&nu, &nf, sizeof(nu));               \
		} while (!__atomic_compare_exchange_n(q, &old, nu, 1,         \
			__ATOMIC_RELAXED, __ATOMIC_RELAXED));                 \
		__builtin_memcpy(&of, &old, sizeof(of));                      \
		return of;                                                    \
	}

#define __MUSA_ATOMIC_INTS(name, builtin)                                     \
	__MUSA_ATOMIC_RMW(name, builtin, int, i)                              \
	__MUSA_ATOMIC_RMW(name, builtin, unsigned int, u)                     \
	__MUSA_ATOMIC_RMW(name, builtin, unsigned long long, ull)

__MUSA_ATOMIC_INTS(atomicAdd, __atomic_fetch_add)
__MUSA_ATOMIC_INTS(atomicExch, __atomic_exchange_n)
__MUSA_ATOMIC_INTS(atomicAnd, __atomic_fetch_and)
__MUSA_ATOMIC_INTS(atomicOr, __atomic_fetch_or)
__MUSA_ATOMIC_INTS(atomicXor, __atomic_fetch_xor)
__MUSA_ATOMIC_RMW(atomicSub, __atomic_fetch_sub, int, i)
__MUSA_ATOMIC_RMW(atomicSub, __atomic_fetch_sub, unsigned int, u)
__MUSA_ATOMIC_FLOAT(atomicAdd, float, uint32_t, f, of + v)
__MUSA_ATOMIC_FLOAT(atomicAdd, double, uint64_t, d, of + v)
__MUSA_ATOMIC_FLOAT(atomicExch, float, uint32_t, f, v)
__MUSA_ATOMIC_CAS_LOOP(atomicMin, int, i, old < v ? old : v)
__MUSA_ATOMIC_CAS_LOOP(atomicMin, unsigned int, u, old < v ? old : v)
__MUSA_ATOMIC_CAS_LOOP(atomicMin, long long, ll, old < v ? old : v)
__MUSA_ATOMIC_CAS_LOOP(atomicMin, unsigned long long, ull, old < v ? old : v)
__MUSA_ATOMIC_CAS_LOOP(atomicMax, int, i, old > v ? old : v)
__MUSA_ATOMIC_CAS_LOOP(atomicMax, unsigned int, u, old > v ? old : v)
__MUSA_ATOMIC_CAS_LOOP(atomicMax, long long, ll, old > v ? old : v)
__MUSA_ATOMIC_CAS_LOOP(atomicMax, unsigned long long, ull, old > v ? old : v)
/* CUDA's wrapping counters: inc wraps to 0 past v, dec to v below 1. */
__MUSA_ATOMIC_CAS_LOOP(atomicInc, unsigned int, u, old >= v ? 0u : old + 1u)
__MUSA_ATOMIC_CAS_LOOP(atomicDec, unsigned int, u, (old == 0u || old > v) ? v : old - 1u)

#define __MUSA_ATOMIC_CAS(T, sfx)                                             \
	__MUSA_FN T __MUSA_ATOMIC_MANGLE(atomicCAS, sfx)(T *p, T cmp, T v)    \
	{                                                                     \
		__atomic_compare_exchange_n(p, &cmp, v, 0, __ATOMIC_RELAXED,  \
					    __ATOMIC_RELAXED);                \
		return cmp;                                                   \
	}
__MUSA_ATOMIC_CAS(int, i)
__MUSA_ATOMIC_CAS(unsigned int, u)
__MUSA_ATOMIC_CAS(unsigned long long, ull)
__MUSA_ATOMIC_CAS(unsigned short, us)

#if !defined(__cplusplus)
#define __MUSA_GEN_INT(name, p) _Generic((p), int *: __musa_##name##_i,       \
	unsigned int *: __musa_##name##_u, unsigned long long *: __musa_##name##_ull)
#define atomicAdd(p, v) _Generic((p), int *: __musa_atomicAdd_i,               \
	unsigned int *: __musa_atomicAdd_u, unsigned long long *: __musa_atomicAdd_ull, \
	float *: __musa_atomicAdd_f, double *: __musa_atomicAdd_d)(p, v)
#define atomicExch(p, v) _Generic((p), int *: __musa_atomicExch_i,             \
	unsigned int *: __musa_atomicExch_u, unsigned long long *: __musa_atomicExch_ull, \
	float *: __musa_atomicExch_f)(p, v)
#define atomicSub(p, v) _Generic((p), int *: __musa_atomicSub_i,               \
	unsigned int *: __musa_atomicSub_u)(p, v)
#define atomicAnd(p, v) __MUSA_GEN_INT(atomicAnd, p)(p, v)
#define atomicOr(p, v)  __MUSA_GEN_INT(atomicOr, p)(p, v)
#define atomicXor(p, v) __MUSA_GEN_INT(atomicXor, p)(p, v)
#define atomicMin(p, v) _Generic((p), int *: __musa_atomicMin_i,               \
	unsigned int *: __musa_atomicMin_u, long long *: __musa_atomicMin_ll,  \
	unsigned long long *: __musa_atomicMin_ull)(p, v)
#define atomicMax(p, v) _Generic((p), int *: __musa_atomicMax_i,               \
	unsigned int *: __musa_atomicMax_u, long long *: __musa_atomicMax_ll,  \
	unsigned long long *: __musa_atomicMax_ull)(p, v)
#define atomicInc(p, v) __musa_atomicInc_u(p, v)
#define atomicDec(p, v) __musa_atomicDec_u(p, v)
#define atomicCAS(p, c, v) _Generic((p), int *: __musa_atomicCAS_i,            \
	unsigned int *: __musa_atomicCAS_u, unsigned long long *: __musa_atomicCAS_ull, \
	unsigned short *: __musa_atomicCAS_us)(p, c, v)
#endif

/* ---- fences ------------------------------------------------------------- */
__MUSA_FN void __threadfence(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
__MUSA_FN void __threadfence_block(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
__MUSA_FN void __threadfence_system(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

/* ---- integer intrinsics --------------------------------------------------- */
__MUSA_FN int __popc(unsigned int x) { return __builtin_popcount(x); }
__MUSA_FN int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
__MUSA_FN int __clz(int x) { return x ? __builtin_clz((unsigned int)x) : 32; }
__MUSA_FN int __clzll(long long x) { return x ? __builtin_clzll((unsigned long long)x) : 64; }
__MUSA_FN int __ffs(int x) { return __builtin_ffs(x); }
__MUSA_FN int __ffsll(long long x) { return __builtin_ffsll(x); }
__MUSA_FN unsigned int __brev(unsigned int x)
{
	x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
	x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
	x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
	return __builtin_bswap32(x);
}
__MUSA_FN int __mul24(int a, int b)
{
	return (int)((int64_t)((int32_t)((uint32_t)a << 8) >> 8) * ((int32_t)((uint32_t)b << 8) >> 8));
}
__MUSA_FN unsigned int __umul24(unsigned int a, unsigned int b)
{
	return (a & 0xffffffu) * (b & 0xffffffu);
}
__MUSA_FN int __mulhi(int a, int b) { return (int)(((int64_t)a * b) >> 32); }
__MUSA_FN unsigned int __umulhi(unsigned int a, unsigned int b)
{
	return (unsigned int)(((uint64_t)a * b) >> 32);
}
__MUSA_FN unsigned int __sad(int a, int b, unsigned int c)
{
	return c + (unsigned int)(a > b ? (int64_t)a - b : (int64_t)b - a);
}

/* ---- float intrinsics and the CUDA additions to <math.h> ------------------- */
__MUSA_FN float __int_as_float(int x) { float f; __builtin_memcpy(&f, &x, 4); return f; }
__MUSA_FN int __float_as_int(float f) { int x; __builtin_memcpy(&x, &f, 4); return x; }
__MUSA_FN float __uint_as_float(unsigned int x) { float f; __builtin_memcpy(&f, &x, 4); return f; }
__MUSA_FN unsigned int __float_as_uint(float f) { unsigned int x; __builtin_memcpy(&x, &f, 4); return x; }
__MUSA_FN double __longlong_as_double(long long x) { double d; __builtin_memcpy(&d, &x, 8); return d; }
__MUSA_FN long long __double_as_longlong(double d) { long long x; __builtin_memcpy(&x, &d, 8); return x; }
__MUSA_FN float rsqrtf(float x) { return 1.0f / sqrtf(x); }
__MUSA_FN double rsqrt(double x) { return 1.0 / sqrt(x); }
__MUSA_FN float __fdividef(float a, float b) { return a / b; }
/* glibc declares these names itself (as aliases of the libm functions),
 * so they are macros rather than functions here. */
#define __expf(x)    expf(x)
#define __exp10f(x)  powf(10.0f, (x))
#define __logf(x)    logf(x)
#define __log2f(x)   log2f(x)
#define __log10f(x)  log10f(x)
#define __sinf(x)    sinf(x)
#define __cosf(x)    cosf(x)
#define __tanf(x)    tanf(x)
#define __powf(a, b) powf((a), (b))
__MUSA_FN float __fadd_rn(float a, float b) { return a + b; }
__MUSA_FN float __fmul_rn(float a, float b) { return a * b; }
__MUSA_FN float __fmaf_rn(float a, float b, float c) { return fmaf(a, b, c); }
__MUSA_FN float __frcp_rn(float x) { return 1.0f / x; }
__MUSA_FN float __fsqrt_rn(float x) { return sqrtf(x); }
__MUSA_FN float __saturatef(float x) { return x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : x); }

#if defined(__cplusplus)
__MUSA_FN int min(int a, int b) { return a < b ? a : b; }
__MUSA_FN unsigned int min(unsigned int a, unsigned int b) { return a < b ? a : b; }
__MUSA_FN long long min(long long a, long long b) { return a < b ? a : b; }
__MUSA_FN unsigned long long min(unsigned long long a, unsigned long long b) { return a < b ? a : b; }
__MUSA_FN float min(float a, float b) { return fminf(a, b); }
__MUSA_FN double min(double a, double b) { return fmin(a, b); }
__MUSA_FN int max(int a, int b) { return a > b ? a : b; }
__MUSA_FN unsigned int max(unsigned int a, unsigned int b) { return a > b ? a : b; }
__MUSA_FN long long max(long long a, long long b) { return a > b ? a : b; }
__MUSA_FN unsigned long long max(unsigned long long a, unsigned long long b) { return a > b ? a : b; }
__MUSA_FN float max(float a, float b) { return fmaxf(a, b); }
__MUSA_FN double max(double a, double b) { return fmax(a, b); }
#endif

/* A monotonic cycle-like counter (nanoseconds on the software device). */
__MUSA_FN long long clock64(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

#endif /* MUSA_DEVICE_FUNCTIONS_H */
