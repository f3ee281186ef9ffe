/* SPDX-License-Identifier: MIT */
/*
 * musa_atomic.h - CUDA's atomic functions and memory fences for kernel code
 * (and __host__ __device__ code in the host pass), in C++ as overloads and
 * in C as _Generic macros.
 *
 * Work-groups of one kernel run at once on several compute-unit threads, so
 * every atomic is a real CPU atomic (the __atomic builtins), on global and
 * shared memory alike. They are relaxed, as on a GPU: ordering is what the
 * __threadfence* functions are for. The _block and _system scopes are the
 * same operations, since the CPU's coherence already spans the whole
 * system. Included by musa_device_functions.h.
 */
#ifndef MUSA_ATOMIC_H
#define MUSA_ATOMIC_H

#ifndef __MUSA_FN
#define __MUSA_FN static __inline__ __attribute__((always_inline, unused))
#endif

/* The memory checker's build (mcc's recipe, MUSA_RACECHECK): the accesses
 * of an atomic are no hazard for the race checker, which is told so around
 * them; the memory checks still apply. */
#if defined(__MUSA_MEMCHECK__)
#if defined(__cplusplus)
extern "C"
#endif
void __musa_memcheck_atomic(int on) __attribute__((visibility("hidden")));
struct __musa_atomic_scope { int on; };
static __inline__ __attribute__((always_inline, unused)) void
__musa_atomic_scope_end(struct __musa_atomic_scope *s)
{
	(void)s;
	__musa_memcheck_atomic(0);
}
#define __MUSA_ATOMIC_SCOPE                                                    \
	struct __musa_atomic_scope __musa_as                                   \
		__attribute__((cleanup(__musa_atomic_scope_end), unused)) =    \
		{ (__musa_memcheck_atomic(1), 1) };
#else
#define __MUSA_ATOMIC_SCOPE
#endif

/* the operations, one function per (operation, type) */
#define __MUSA_ATOMIC_RMW(name, builtin, T, sfx)                              \
	__MUSA_FN T __musa_##name##_##sfx(T *p, T v)                          \
	{ __MUSA_ATOMIC_SCOPE return builtin(p, v, __ATOMIC_RELAXED); }

/* Operations the CPU has no instruction for: a compare-and-swap loop over
 * `expr`, which computes the new value from `old` and `v`. */
#define __MUSA_ATOMIC_CAS_LOOP(name, T, sfx, expr)                            \
	__MUSA_FN T __musa_##name##_##sfx(T *p, T v)                          \
	{                                                                     \
		__MUSA_ATOMIC_SCOPE                                           \
		T old = __atomic_load_n(p, __ATOMIC_RELAXED), nv;             \
		do { nv = (expr); } while (!__atomic_compare_exchange_n(      \
			p, &old, nv, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED)); \
		return old;                                                   \
	}

/* Floating point: the loop runs on the bit pattern (U), so that a NaN
 * never makes the comparison fail for ever. */
#define __MUSA_ATOMIC_FLOAT(name, T, U, sfx, op)                              \
	__MUSA_FN T __musa_##name##_##sfx(T *p, T v)                          \
	{                                                                     \
		__MUSA_ATOMIC_SCOPE                                           \
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

#define __MUSA_ATOMIC_CAS(T, sfx)                                             \
	__MUSA_FN T __musa_atomicCAS_##sfx(T *p, T cmp, T v)                  \
	{                                                                     \
		__MUSA_ATOMIC_SCOPE                                           \
		__atomic_compare_exchange_n(p, &cmp, v, 0, __ATOMIC_RELAXED,  \
					    __ATOMIC_RELAXED);                \
		return cmp;                                                   \
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
__MUSA_ATOMIC_FLOAT(atomicAdd, float, unsigned int, f, of + v)
__MUSA_ATOMIC_FLOAT(atomicAdd, double, unsigned long long, d, of + v)
__MUSA_ATOMIC_FLOAT(atomicExch, float, unsigned int, f, v)
__MUSA_ATOMIC_CAS_LOOP(atomicMin, int, i, old < v ? old : v)
__MUSA_ATOMIC_CAS_LOOP(atomicMin, unsigned int, u, old < v ? old : v)
__MUSA_ATOMIC_CAS_LOOP(atomicMin, long long, ll, old < v ? old : v)
__MUSA_ATOMIC_CAS_LOOP(atomicMin, unsigned long long, ull, old < v ? old : v)
__MUSA_ATOMIC_CAS_LOOP(atomicMax, int, i, old > v ? old : v)
__MUSA_ATOMIC_CAS_LOOP(atomicMax, unsigned int, u, old > v ? old : v)
__MUSA_ATOMIC_CAS_LOOP(atomicMax, long long, ll, old > v ? old : v)
__MUSA_ATOMIC_CAS_LOOP(atomicMax, unsigned long long, ull, old > v ? old : v)
/* CUDA's wrapping counters: inc wraps to 0 past v, dec to v below 1 (and
 * from any value above v). */
__MUSA_ATOMIC_CAS_LOOP(atomicInc, unsigned int, u, old >= v ? 0u : old + 1u)
__MUSA_ATOMIC_CAS_LOOP(atomicDec, unsigned int, u, (old == 0u || old > v) ? v : old - 1u)
__MUSA_ATOMIC_CAS(int, i)
__MUSA_ATOMIC_CAS(unsigned int, u)
__MUSA_ATOMIC_CAS(unsigned long long, ull)
__MUSA_ATOMIC_CAS(unsigned short, us)

#undef __MUSA_ATOMIC_RMW
#undef __MUSA_ATOMIC_CAS_LOOP
#undef __MUSA_ATOMIC_FLOAT
#undef __MUSA_ATOMIC_CAS
#undef __MUSA_ATOMIC_INTS

/* the CUDA names, in the three scopes */
#if defined(__cplusplus)
#define __MUSA_ATOMIC_NAME2(name, T, sfx)                                      \
	__MUSA_FN T name(T *p, T v) { return __musa_##name##_##sfx(p, v); }    \
	__MUSA_FN T name##_block(T *p, T v) { return __musa_##name##_##sfx(p, v); } \
	__MUSA_FN T name##_system(T *p, T v) { return __musa_##name##_##sfx(p, v); }
#define __MUSA_ATOMIC_NAME3(T, sfx)                                            \
	__MUSA_FN T atomicCAS(T *p, T c, T v) { return __musa_atomicCAS_##sfx(p, c, v); } \
	__MUSA_FN T atomicCAS_block(T *p, T c, T v) { return __musa_atomicCAS_##sfx(p, c, v); } \
	__MUSA_FN T atomicCAS_system(T *p, T c, T v) { return __musa_atomicCAS_##sfx(p, c, v); }
#define __MUSA_ATOMIC_NAME_INTS(name)                                          \
	__MUSA_ATOMIC_NAME2(name, int, i)                                      \
	__MUSA_ATOMIC_NAME2(name, unsigned int, u)                             \
	__MUSA_ATOMIC_NAME2(name, unsigned long long, ull)
#define __MUSA_ATOMIC_NAME_MINMAX(name)                                        \
	__MUSA_ATOMIC_NAME_INTS(name)                                          \
	__MUSA_ATOMIC_NAME2(name, long long, ll)

__MUSA_ATOMIC_NAME_INTS(atomicAdd)
__MUSA_ATOMIC_NAME2(atomicAdd, float, f)
__MUSA_ATOMIC_NAME2(atomicAdd, double, d)
__MUSA_ATOMIC_NAME2(atomicSub, int, i)
__MUSA_ATOMIC_NAME2(atomicSub, unsigned int, u)
__MUSA_ATOMIC_NAME_INTS(atomicExch)
__MUSA_ATOMIC_NAME2(atomicExch, float, f)
__MUSA_ATOMIC_NAME_MINMAX(atomicMin)
__MUSA_ATOMIC_NAME_MINMAX(atomicMax)
__MUSA_ATOMIC_NAME2(atomicInc, unsigned int, u)
__MUSA_ATOMIC_NAME2(atomicDec, unsigned int, u)
__MUSA_ATOMIC_NAME_INTS(atomicAnd)
__MUSA_ATOMIC_NAME_INTS(atomicOr)
__MUSA_ATOMIC_NAME_INTS(atomicXor)
__MUSA_ATOMIC_NAME3(int, i)
__MUSA_ATOMIC_NAME3(unsigned int, u)
__MUSA_ATOMIC_NAME3(unsigned long long, ull)
__MUSA_ATOMIC_NAME3(unsigned short, us)

#undef __MUSA_ATOMIC_NAME2
#undef __MUSA_ATOMIC_NAME3
#undef __MUSA_ATOMIC_NAME_INTS
#undef __MUSA_ATOMIC_NAME_MINMAX
#else
/* C: one _Generic selection per operation, shared by the three scopes. */
#define __musa_atomic_ints(name, p) _Generic((p), int *: __musa_##name##_i,    \
	unsigned int *: __musa_##name##_u, unsigned long long *: __musa_##name##_ull)
#define __musa_atomic_add(p) _Generic((p), int *: __musa_atomicAdd_i,          \
	unsigned int *: __musa_atomicAdd_u, unsigned long long *: __musa_atomicAdd_ull, \
	float *: __musa_atomicAdd_f, double *: __musa_atomicAdd_d)
#define __musa_atomic_exch(p) _Generic((p), int *: __musa_atomicExch_i,        \
	unsigned int *: __musa_atomicExch_u, unsigned long long *: __musa_atomicExch_ull, \
	float *: __musa_atomicExch_f)
#define __musa_atomic_sub(p) _Generic((p), int *: __musa_atomicSub_i,          \
	unsigned int *: __musa_atomicSub_u)
#define __musa_atomic_minmax(name, p) _Generic((p), int *: __musa_##name##_i,  \
	unsigned int *: __musa_##name##_u, long long *: __musa_##name##_ll,    \
	unsigned long long *: __musa_##name##_ull)
#define __musa_atomic_cas(p) _Generic((p), int *: __musa_atomicCAS_i,          \
	unsigned int *: __musa_atomicCAS_u, unsigned long long *: __musa_atomicCAS_ull, \
	unsigned short *: __musa_atomicCAS_us)

#define atomicAdd(p, v)          __musa_atomic_add(p)(p, v)
#define atomicAdd_block(p, v)    __musa_atomic_add(p)(p, v)
#define atomicAdd_system(p, v)   __musa_atomic_add(p)(p, v)
#define atomicSub(p, v)          __musa_atomic_sub(p)(p, v)
#define atomicSub_block(p, v)    __musa_atomic_sub(p)(p, v)
#define atomicSub_system(p, v)   __musa_atomic_sub(p)(p, v)
#define atomicExch(p, v)         __musa_atomic_exch(p)(p, v)
#define atomicExch_block(p, v)   __musa_atomic_exch(p)(p, v)
#define atomicExch_system(p, v)  __musa_atomic_exch(p)(p, v)
#define atomicMin(p, v)          __musa_atomic_minmax(atomicMin, p)(p, v)
#define atomicMin_block(p, v)    __musa_atomic_minmax(atomicMin, p)(p, v)
#define atomicMin_system(p, v)   __musa_atomic_minmax(atomicMin, p)(p, v)
#define atomicMax(p, v)          __musa_atomic_minmax(atomicMax, p)(p, v)
#define atomicMax_block(p, v)    __musa_atomic_minmax(atomicMax, p)(p, v)
#define atomicMax_system(p, v)   __musa_atomic_minmax(atomicMax, p)(p, v)
#define atomicInc(p, v)          __musa_atomicInc_u(p, v)
#define atomicInc_block(p, v)    __musa_atomicInc_u(p, v)
#define atomicInc_system(p, v)   __musa_atomicInc_u(p, v)
#define atomicDec(p, v)          __musa_atomicDec_u(p, v)
#define atomicDec_block(p, v)    __musa_atomicDec_u(p, v)
#define atomicDec_system(p, v)   __musa_atomicDec_u(p, v)
#define atomicAnd(p, v)          __musa_atomic_ints(atomicAnd, p)(p, v)
#define atomicAnd_block(p, v)    __musa_atomic_ints(atomicAnd, p)(p, v)
#define atomicAnd_system(p, v)   __musa_atomic_ints(atomicAnd, p)(p, v)
#define atomicOr(p, v)           __musa_atomic_ints(atomicOr, p)(p, v)
#define atomicOr_block(p, v)     __musa_atomic_ints(atomicOr, p)(p, v)
#define atomicOr_system(p, v)    __musa_atomic_ints(atomicOr, p)(p, v)
#define atomicXor(p, v)          __musa_atomic_ints(atomicXor, p)(p, v)
#define atomicXor_block(p, v)    __musa_atomic_ints(atomicXor, p)(p, v)
#define atomicXor_system(p, v)   __musa_atomic_ints(atomicXor, p)(p, v)
#define atomicCAS(p, c, v)       __musa_atomic_cas(p)(p, c, v)
#define atomicCAS_block(p, c, v) __musa_atomic_cas(p)(p, c, v)
#define atomicCAS_system(p, c, v) __musa_atomic_cas(p)(p, c, v)
#endif

/* fences */
/* A block's threads share one CPU thread, but other blocks run on other
 * CPUs: every scope gets a full fence, which is what the weakest CUDA
 * guarantee needed for a cross-block handshake (threadfence reduction). */
__MUSA_FN void __threadfence(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
__MUSA_FN void __threadfence_block(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
__MUSA_FN void __threadfence_system(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

#endif /* MUSA_ATOMIC_H */
