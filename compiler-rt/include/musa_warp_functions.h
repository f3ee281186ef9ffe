/* SPDX-License-Identifier: MIT */
/*
 * musa_warp_functions.h - CUDA's __match_any_sync / __match_all_sync (every
 * value type CUDA has) and __reduce_*_sync, on three primitives the pass
 * header that includes this one defines: __musa_match_any_bits,
 * __musa_match_all_bits and __musa_reduce_bits. The device pass makes them
 * warp operations of the scheduler (compiler-rt/wg.c); the host pass, a
 * single thread that is lane 0. Values are compared as bit patterns, so a
 * float NaN matches the same NaN and -0.0 does not match 0.0. Masks have
 * 32 bits as in CUDA: on a 128-lane warp they name the lanes of the
 * caller's 32-lane sub-group, as the votes do.
 */
#ifndef MUSA_WARP_FUNCTIONS_H
#define MUSA_WARP_FUNCTIONS_H

#include <stdint.h>

/* Offsets from the scheduler's first reduce operation. */
enum __musa_reduce_op {
	__MUSA_REDUCE_ADD = 0,
	__MUSA_REDUCE_MIN_U,
	__MUSA_REDUCE_MIN_S,
	__MUSA_REDUCE_MAX_U,
	__MUSA_REDUCE_MAX_S,
	__MUSA_REDUCE_AND,
	__MUSA_REDUCE_OR,
	__MUSA_REDUCE_XOR,
};

/* A value's bits, zero-extended to 64. */
#define __MUSA_BITS_OF(T, sfx)                                                      \
	__MUSA_FN uint64_t __musa_bits_##sfx(T v)                                   \
	{                                                                           \
		uint64_t b = 0;                                                     \
		__builtin_memcpy(&b, &v, sizeof(v));                                \
		return b;                                                           \
	}
__MUSA_BITS_OF(int, i)
__MUSA_BITS_OF(unsigned int, u)
__MUSA_BITS_OF(long, l)
__MUSA_BITS_OF(unsigned long, ul)
__MUSA_BITS_OF(long long, ll)
__MUSA_BITS_OF(unsigned long long, ull)
__MUSA_BITS_OF(float, f)
__MUSA_BITS_OF(double, d)
#undef __MUSA_BITS_OF

__MUSA_FN unsigned __musa_match_all_pred(unsigned mask, uint64_t bits, int *pred)
{
	unsigned r = __musa_match_all_bits(mask, bits);

	*pred = r != 0;
	return r;
}

#if defined(__cplusplus)
#define __MUSA_MATCH_CXX(T, sfx)                                                    \
	__MUSA_FN unsigned int __match_any_sync(unsigned int mask, T value)         \
	{ return __musa_match_any_bits(mask, __musa_bits_##sfx(value)); }           \
	__MUSA_FN unsigned int __match_all_sync(unsigned int mask, T value, int *pred) \
	{ return __musa_match_all_pred(mask, __musa_bits_##sfx(value), pred); }
__MUSA_MATCH_CXX(int, i)
__MUSA_MATCH_CXX(unsigned int, u)
__MUSA_MATCH_CXX(long, l)
__MUSA_MATCH_CXX(unsigned long, ul)
__MUSA_MATCH_CXX(long long, ll)
__MUSA_MATCH_CXX(unsigned long long, ull)
__MUSA_MATCH_CXX(float, f)
__MUSA_MATCH_CXX(double, d)
#undef __MUSA_MATCH_CXX

__MUSA_FN unsigned int __reduce_add_sync(unsigned int mask, unsigned int value)
{ return __musa_reduce_bits(__MUSA_REDUCE_ADD, mask, value); }
__MUSA_FN int __reduce_add_sync(unsigned int mask, int value)
{ return (int)__musa_reduce_bits(__MUSA_REDUCE_ADD, mask, (unsigned int)value); }
__MUSA_FN unsigned int __reduce_min_sync(unsigned int mask, unsigned int value)
{ return __musa_reduce_bits(__MUSA_REDUCE_MIN_U, mask, value); }
__MUSA_FN int __reduce_min_sync(unsigned int mask, int value)
{ return (int)__musa_reduce_bits(__MUSA_REDUCE_MIN_S, mask, (unsigned int)value); }
__MUSA_FN unsigned int __reduce_max_sync(unsigned int mask, unsigned int value)
{ return __musa_reduce_bits(__MUSA_REDUCE_MAX_U, mask, value); }
__MUSA_FN int __reduce_max_sync(unsigned int mask, int value)
{ return (int)__musa_reduce_bits(__MUSA_REDUCE_MAX_S, mask, (unsigned int)value); }
#else
#define __musa_bits_c(v) _Generic((v), unsigned int: __musa_bits_u, long: __musa_bits_l,  \
	unsigned long: __musa_bits_ul, long long: __musa_bits_ll,                       \
	unsigned long long: __musa_bits_ull, float: __musa_bits_f, double: __musa_bits_d, \
	default: __musa_bits_i)(v)
#define __match_any_sync(mask, v) __musa_match_any_bits((mask), __musa_bits_c(v))
#define __match_all_sync(mask, v, pred) __musa_match_all_pred((mask), __musa_bits_c(v), (pred))
/* The signed forms take and return int, as CUDA's int overloads do. */
#define __musa_reduce_c(uop, sop, mask, v) _Generic((v),                             \
	int: (int)__musa_reduce_bits(sop, (mask), (unsigned int)(v)),                  \
	default: __musa_reduce_bits(uop, (mask), (unsigned int)(v)))
#define __reduce_add_sync(mask, v) __musa_reduce_c(__MUSA_REDUCE_ADD, __MUSA_REDUCE_ADD, mask, v)
#define __reduce_min_sync(mask, v) __musa_reduce_c(__MUSA_REDUCE_MIN_U, __MUSA_REDUCE_MIN_S, mask, v)
#define __reduce_max_sync(mask, v) __musa_reduce_c(__MUSA_REDUCE_MAX_U, __MUSA_REDUCE_MAX_S, mask, v)
#endif
__MUSA_FN unsigned int __reduce_and_sync(unsigned int mask, unsigned int value)
{ return __musa_reduce_bits(__MUSA_REDUCE_AND, mask, value); }
__MUSA_FN unsigned int __reduce_or_sync(unsigned int mask, unsigned int value)
{ return __musa_reduce_bits(__MUSA_REDUCE_OR, mask, value); }
__MUSA_FN unsigned int __reduce_xor_sync(unsigned int mask, unsigned int value)
{ return __musa_reduce_bits(__MUSA_REDUCE_XOR, mask, value); }

#endif /* MUSA_WARP_FUNCTIONS_H */
