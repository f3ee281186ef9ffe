/* SPDX-License-Identifier: MIT */
/*
 * musa_int_intrinsics.h - CUDA's integer intrinsics (__popc, __clz, __brev,
 * __byte_perm, __funnelshift_*, __mulhi, __hadd, __sad, ...) with the GPU's
 * results for every input, including the edge cases where the C operator
 * would be undefined (shifts by 32, clz of 0). Plain C, used from C and
 * C++. Included by musa_device_functions.h.
 */
#ifndef MUSA_INT_INTRINSICS_H
#define MUSA_INT_INTRINSICS_H

#include <stdint.h>

#ifndef __MUSA_FN
#define __MUSA_FN static __inline__ __attribute__((always_inline, unused))
#endif

/* bit counting */
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
__MUSA_FN unsigned long long __brevll(unsigned long long x)
{
	return ((unsigned long long)__brev((unsigned int)x) << 32) | __brev((unsigned int)(x >> 32));
}

/* The bit position of the offset-th set bit of mask counted from bit base
 * (upward for offset > 0, downward for offset < 0, base itself counting as
 * the first), or 0xffffffff; offset 0 asks whether bit base is set. */
__MUSA_FN unsigned int __fns(unsigned int mask, unsigned int base, int offset)
{
	int pos = (int)(base & 31u), step = offset > 0 ? 1 : -1;
	unsigned int left = offset > 0 ? (unsigned int)offset : 0u - (unsigned int)offset;

	if (offset == 0)
		return (mask >> pos) & 1u ? (unsigned int)pos : 0xffffffffu;
	for (; pos >= 0 && pos < 32; pos += step)
		if (((mask >> pos) & 1u) && --left == 0)
			return (unsigned int)pos;
	return 0xffffffffu;
}

/* byte and funnel permutes */
/* Byte n of the result is byte (s >> 4n) & 7 of the 8-byte value y:x. */
__MUSA_FN unsigned int __byte_perm(unsigned int x, unsigned int y, unsigned int s)
{
	uint64_t v = ((uint64_t)y << 32) | x;
	unsigned int r = 0, n;

	for (n = 0; n < 4; n++)
		r |= (unsigned int)((v >> (8 * ((s >> (4 * n)) & 7u))) & 0xffu) << (8 * n);
	return r;
}
/* hi:lo shifted by shift mod 32 (wrap) or min(shift, 32) (clamp); the left
 * forms return the high word, the right forms the low word. */
__MUSA_FN unsigned int __musa_funnel_l(unsigned int lo, unsigned int hi, unsigned int sh)
{
	return (unsigned int)(((((uint64_t)hi << 32) | lo) << sh) >> 32);
}
__MUSA_FN unsigned int __musa_funnel_r(unsigned int lo, unsigned int hi, unsigned int sh)
{
	return (unsigned int)((((uint64_t)hi << 32) | lo) >> sh);
}
__MUSA_FN unsigned int __funnelshift_l(unsigned int lo, unsigned int hi, unsigned int shift)
{
	return __musa_funnel_l(lo, hi, shift & 31u);
}
__MUSA_FN unsigned int __funnelshift_lc(unsigned int lo, unsigned int hi, unsigned int shift)
{
	return __musa_funnel_l(lo, hi, shift < 32u ? shift : 32u);
}
__MUSA_FN unsigned int __funnelshift_r(unsigned int lo, unsigned int hi, unsigned int shift)
{
	return __musa_funnel_r(lo, hi, shift & 31u);
}
__MUSA_FN unsigned int __funnelshift_rc(unsigned int lo, unsigned int hi, unsigned int shift)
{
	return __musa_funnel_r(lo, hi, shift < 32u ? shift : 32u);
}

/* multiplication */
/* 24-bit products: the operands' low 24 bits (sign-extended for __mul24),
 * the low 32 bits of the product. */
__MUSA_FN int __mul24(int a, int b)
{
	int32_t sa = (int32_t)((uint32_t)a << 8) >> 8, sb = (int32_t)((uint32_t)b << 8) >> 8;

	return (int)(uint32_t)((int64_t)sa * sb);
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
__MUSA_FN long long __mul64hi(long long a, long long b)
{
	return (long long)(((__int128)a * b) >> 64);
}
__MUSA_FN unsigned long long __umul64hi(unsigned long long a, unsigned long long b)
{
	return (unsigned long long)(((unsigned __int128)a * b) >> 64);
}

/* averages and absolute differences */
/* Computed in 64 bits, so the sum cannot overflow; >> of a negative value
 * floors, as the GPU's does. */
__MUSA_FN int __hadd(int a, int b) { return (int)(((int64_t)a + b) >> 1); }
__MUSA_FN int __rhadd(int a, int b) { return (int)(((int64_t)a + b + 1) >> 1); }
__MUSA_FN unsigned int __uhadd(unsigned int a, unsigned int b)
{
	return (unsigned int)(((uint64_t)a + b) >> 1);
}
__MUSA_FN unsigned int __urhadd(unsigned int a, unsigned int b)
{
	return (unsigned int)(((uint64_t)a + b + 1) >> 1);
}
__MUSA_FN unsigned int __sad(int a, int b, unsigned int c)
{
	return c + (unsigned int)(a > b ? (int64_t)a - b : (int64_t)b - a);
}
__MUSA_FN unsigned int __usad(unsigned int a, unsigned int b, unsigned int c)
{
	return c + (a > b ? a - b : b - a);
}

#endif /* MUSA_INT_INTRINSICS_H */
