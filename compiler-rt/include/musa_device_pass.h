/* SPDX-License-Identifier: MIT */
/*
 * musa_device_pass.h - force-included by mcc into the device pass of a .mu
 * (or musa-c) file, compiled into a device code object for one arch.
 *
 * Thread and block indices are thread-local variables of the compute-unit
 * thread, set by the work-group runner of libmusa_device.a; static
 * __shared__ variables are thread-local too, so all threads of a group (the
 * fibers of one compute-unit thread) see one copy. warpSize and
 * __MUSA_ARCH__ are constants of the image being compiled.
 */
#ifndef MUSA_DEVICE_PASS_H
#define MUSA_DEVICE_PASS_H

#define __MUSACC__ 1

#if !defined(__MUSA_ARCH__)
#define __MUSA_ARCH__ 800
#endif

#include <stddef.h>
#include <stdint.h>

#include "musa_device_printf.h"
#include "musa_codeobj.h"
#include "musa_warp_site.h"
#include "musa_device_functions.h"
#include "musa_texture_functions.h"

#define __global__
#define __device__
#define __host__
#define __shared__ static __thread
/* A __shared__ variable of a function, as mcc binds it (gen_device.c):
 * its thread-local address taken once per call and hidden from the
 * compiler, which would otherwise recompute it at every access (a call
 * in a dynamically loaded code object) and not vectorize the loop. */
#define __musa_shared_bind(x) \
	(*({ __typeof__(&(x)) __musa_shared_p = &(x); \
	     __asm__("" : "+r"(__musa_shared_p)); __musa_shared_p; }))

#define __MUSA_DEVRT_HIDDEN __attribute__((visibility("hidden")))

#if defined(__cplusplus)
extern "C" {
#endif

enum { warpSize = (__MUSA_ARCH__ >= 300 ? 32 : 128) };

extern __thread uint3 threadIdx __MUSA_DEVRT_HIDDEN;
extern __thread uint3 blockIdx __MUSA_DEVRT_HIDDEN;
extern __thread dim3 blockDim __MUSA_DEVRT_HIDDEN;
extern __thread dim3 gridDim __MUSA_DEVRT_HIDDEN;
/* The group's dynamic shared memory (extern __shared__ arrays). */
extern __thread void *__musa_dyn_shared __MUSA_DEVRT_HIDDEN;

int __musa_run_wg(const struct musa_wg *wg, void (*thread_fn)(const void *kernarg),
		  unsigned flags) __MUSA_DEVRT_HIDDEN;
/* Loop mode: loop_fn runs every thread of the group (mcc's generated loop). */
int __musa_run_wg_loop(const struct musa_wg *wg,
		       void (*loop_fn)(const void *kernarg, unsigned int count))
	__MUSA_DEVRT_HIDDEN;

#if !defined(__MUSA_PARSE__)   /* mcc's parse: clang's CUDA builtin */
void __syncthreads(void) __MUSA_DEVRT_HIDDEN;
#endif
int __syncthreads_count(int pred) __MUSA_DEVRT_HIDDEN;
int __syncthreads_and(int pred) __MUSA_DEVRT_HIDDEN;
int __syncthreads_or(int pred) __MUSA_DEVRT_HIDDEN;
unsigned __activemask(void) __MUSA_DEVRT_HIDDEN;
uint64_t __musa_warp_op(unsigned op, unsigned mask, uint64_t val, int arg, int width)
	__MUSA_DEVRT_HIDDEN;
/* Warp calls of kernels run as loops (mcc's fission, musa_warp_site.h). */
void __musa_wsite_init(struct __musa_wsite *s, unsigned warp_size) __MUSA_DEVRT_HIDDEN;
void __musa_wsite_put(struct __musa_wsite *s) __MUSA_DEVRT_HIDDEN;
void __musa_wsite_replay(struct __musa_wsite *s,
			 unsigned long long (*log)[__MUSA_WSITE_MAX]) __MUSA_DEVRT_HIDDEN;
int __musa_wsite_next(struct __musa_wsite *s) __MUSA_DEVRT_HIDDEN;
void __musa_wsite_get(struct __musa_wsite *s) __MUSA_DEVRT_HIDDEN;
void __musa_wsite_end(void) __MUSA_DEVRT_HIDDEN;
/* The x86-64 ISA level of this CPU (4, 3, else 1), for mcc's loop clones. */
int __musa_cpu_level(void) __MUSA_DEVRT_HIDDEN;
/* Lets the group's other threads run (yields the fiber) or sleeps. */
void __nanosleep(unsigned int ns) __MUSA_DEVRT_HIDDEN;

#if defined(__cplusplus)
}
#endif

/* Warp operations: __MUSA_WOP_* (musa_warp_site.h). */
__MUSA_FN unsigned __ballot_sync(unsigned mask, int pred)
{
	return (unsigned)__musa_warp_op(__MUSA_WOP_BALLOT, mask, pred != 0, 0, 0);
}
__MUSA_FN int __any_sync(unsigned mask, int pred)
{
	return (int)__musa_warp_op(__MUSA_WOP_ANY, mask, pred != 0, 0, 0);
}
__MUSA_FN int __all_sync(unsigned mask, int pred)
{
	return (int)__musa_warp_op(__MUSA_WOP_ALL, mask, pred != 0, 0, 0);
}
__MUSA_FN void __musa_syncwarp(unsigned mask)
{
	__musa_warp_op(__MUSA_WOP_SYNC, mask, 0, 0, 0);
}

/* Shuffles move 64-bit payloads; one helper per value type. */
#define __MUSA_SHFL_TYPE(T, sfx)                                                   \
	__MUSA_FN T __musa_shfl_##sfx(unsigned op, unsigned mask, T v, int a, int w) \
	{                                                                          \
		uint64_t bits = 0;                                                 \
		T r;                                                               \
		__builtin_memcpy(&bits, &v, sizeof(v));                            \
		bits = __musa_warp_op(op, mask, bits, a, w);                       \
		__builtin_memcpy(&r, &bits, sizeof(r));                            \
		return r;                                                          \
	}
__MUSA_SHFL_TYPE(int, i)
__MUSA_SHFL_TYPE(unsigned int, u)
__MUSA_SHFL_TYPE(long long, ll)
__MUSA_SHFL_TYPE(unsigned long long, ull)
__MUSA_SHFL_TYPE(long, l)
__MUSA_SHFL_TYPE(unsigned long, ul)
__MUSA_SHFL_TYPE(float, f)
__MUSA_SHFL_TYPE(double, d)

#if defined(__cplusplus)
__MUSA_FN void __syncwarp(unsigned mask = 0xffffffffu) { __musa_syncwarp(mask); }
#define __MUSA_SHFL_CXX(T, sfx)                                                      \
	__MUSA_FN T __shfl_sync(unsigned m, T v, int l, int w = warpSize)            \
	{ return __musa_shfl_##sfx(__MUSA_WOP_SHFL_IDX, m, v, l, w); }               \
	__MUSA_FN T __shfl_up_sync(unsigned m, T v, unsigned d, int w = warpSize)    \
	{ return __musa_shfl_##sfx(__MUSA_WOP_SHFL_UP, m, v, (int)d, w); }           \
	__MUSA_FN T __shfl_down_sync(unsigned m, T v, unsigned d, int w = warpSize)  \
	{ return __musa_shfl_##sfx(__MUSA_WOP_SHFL_DOWN, m, v, (int)d, w); }         \
	__MUSA_FN T __shfl_xor_sync(unsigned m, T v, int x, int w = warpSize)        \
	{ return __musa_shfl_##sfx(__MUSA_WOP_SHFL_XOR, m, v, x, w); }
__MUSA_SHFL_CXX(int, i)
__MUSA_SHFL_CXX(unsigned int, u)
__MUSA_SHFL_CXX(long long, ll)
__MUSA_SHFL_CXX(unsigned long long, ull)
__MUSA_SHFL_CXX(long, l)
__MUSA_SHFL_CXX(unsigned long, ul)
__MUSA_SHFL_CXX(float, f)
__MUSA_SHFL_CXX(double, d)
#else
#define __musa_arg1(a, ...) a
#define __musa_arg2(a, b, ...) b
#define __musa_shfl_c(op, m, v, a, w) _Generic((v), unsigned int: __musa_shfl_u,      \
	long long: __musa_shfl_ll, unsigned long long: __musa_shfl_ull,               \
	long: __musa_shfl_l, unsigned long: __musa_shfl_ul, float: __musa_shfl_f,     \
	double: __musa_shfl_d, default: __musa_shfl_i)(op, m, v, a, w)
#define __syncwarp(...) __musa_syncwarp(__musa_arg2(0, ##__VA_ARGS__, 0xffffffffu))
#define __shfl_sync(m, v, ...) __musa_shfl_c(__MUSA_WOP_SHFL_IDX, m, v,              \
	__musa_arg1(__VA_ARGS__, 0), __musa_arg2(__VA_ARGS__, warpSize, 0))
#define __shfl_up_sync(m, v, ...) __musa_shfl_c(__MUSA_WOP_SHFL_UP, m, v,            \
	(int)__musa_arg1(__VA_ARGS__, 0), __musa_arg2(__VA_ARGS__, warpSize, 0))
#define __shfl_down_sync(m, v, ...) __musa_shfl_c(__MUSA_WOP_SHFL_DOWN, m, v,        \
	(int)__musa_arg1(__VA_ARGS__, 0), __musa_arg2(__VA_ARGS__, warpSize, 0))
#define __shfl_xor_sync(m, v, ...) __musa_shfl_c(__MUSA_WOP_SHFL_XOR, m, v,          \
	__musa_arg1(__VA_ARGS__, 0), __musa_arg2(__VA_ARGS__, warpSize, 0))
#endif

#if defined(__cplusplus)
/*
 * Fission (mcc): the shuffles and votes of a warp call's site, seen from
 * one thread. mcc declares one under the callee's name in the thread
 * loops of the call's statement (and of its deposit loop), so the call
 * there finds it: in deposit mode it stores the lane's operands, in
 * result mode it answers from the deposits, inline (musa_warp_site.h).
 */
__MUSA_FN unsigned long long __musa_wlane_go(struct __musa_wsite *s, unsigned t, unsigned put,
					     unsigned op, unsigned m, unsigned long long v, int a,
					     int w)
{
	if (put) {
		__musa_wsite_deposit(s, t, m, v, a, w);
		return v;
	}
	if (!__musa_wsite_present(s, t))   /* a lane alone */
		return op == __MUSA_WOP_BALLOT ? (v ? (m & 1u) : 0u) : v;
	return __musa_wsite_result(s, op, t);
}
template <unsigned __musa_op> struct __musa_wshfl {
	struct __musa_wsite *__s;
	unsigned __t, __put;
	__musa_wshfl(struct __musa_wsite *s, unsigned t, unsigned put) : __s(s), __t(t), __put(put) {}
	/* the value type is the one the real call's overload takes */
	template <class __musa_T>
	__inline__ __attribute__((always_inline)) auto operator()(unsigned m, __musa_T v, int a,
								  int w = warpSize) const
		-> decltype(::__shfl_sync(m, v, 0, w))
	{
		typedef decltype(::__shfl_sync(m, v, 0, w)) __musa_R;
		__musa_R r = v;
		unsigned long long bits = 0;

		static_assert(sizeof(r) <= sizeof(bits), "a shuffle moves up to 64 bits");
		__builtin_memcpy(&bits, &r, sizeof(r));
		bits = __musa_wlane_go(__s, __t, __put, __musa_op, m, bits, a, w);
		__builtin_memcpy(&r, &bits, sizeof(r));
		return r;
	}
};
template <unsigned __musa_op> struct __musa_wvote_type { typedef int type; };
template <> struct __musa_wvote_type<__MUSA_WOP_BALLOT> { typedef unsigned type; };
template <unsigned __musa_op> struct __musa_wvote {
	struct __musa_wsite *__s;
	unsigned __t, __put;
	__musa_wvote(struct __musa_wsite *s, unsigned t, unsigned put) : __s(s), __t(t), __put(put) {}
	__inline__ __attribute__((always_inline)) typename __musa_wvote_type<__musa_op>::type
	operator()(unsigned m, int pred) const
	{
		return (typename __musa_wvote_type<__musa_op>::type)__musa_wlane_go(
			__s, __t, __put, __musa_op, m, pred != 0, 0, 0);
	}
};
#endif

/* The primitives of musa_warp_functions.h's match and reduce. */
__MUSA_FN unsigned __musa_match_any_bits(unsigned mask, uint64_t bits)
{
	return (unsigned)__musa_warp_op(__MUSA_WOP_MATCH_ANY, mask, bits, 0, 0);
}
__MUSA_FN unsigned __musa_match_all_bits(unsigned mask, uint64_t bits)
{
	return (unsigned)__musa_warp_op(__MUSA_WOP_MATCH_ALL, mask, bits, 0, 0);
}
__MUSA_FN unsigned __musa_reduce_bits(unsigned op, unsigned mask, unsigned v)
{
	return (unsigned)__musa_warp_op(__MUSA_WOP_REDUCE + op, mask, v, 0, 0);
}
#include "musa_warp_functions.h"

#if defined(__cplusplus)
/* Fission (mcc): the element type of the per-thread array that carries a
 * variable between barrier-separated loops, without top-level const. */
template <class __musa_T> struct __musa_uc { typedef __musa_T type; };
template <class __musa_T> struct __musa_uc<const __musa_T> { typedef __musa_T type; };
template <class __musa_T> struct __musa_uc<volatile __musa_T> { typedef volatile __musa_T type; };
template <class __musa_T> struct __musa_uc<const volatile __musa_T> { typedef volatile __musa_T type; };
/* Inlined calls (mcc): a parameter whose declarator wraps its name
 * (`int (*temp)[17]`) is declared as `__musa_type<int (*)[17]> name`. */
template <class __musa_T> using __musa_type = __musa_T;
#endif

#endif /* MUSA_DEVICE_PASS_H */
