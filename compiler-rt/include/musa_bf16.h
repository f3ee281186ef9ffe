/* SPDX-License-Identifier: MIT */
/*
 * musa_bf16.h - bfloat16 (8-bit exponent, 7-bit fraction): __mt_bfloat16
 * and __mt_bfloat162 (mt_bfloat16, mt_bfloat162) with cuda_bf16.h's
 * functions under their CUDA names: conversions in every rounding mode,
 * arithmetic, comparisons and math, and in C++ the operators and the
 * bfloat16 overloads of __hadd, __hmul, __hfma, ... beside musa_fp16.h's.
 *
 * Conversions work on bit patterns, so host code and both passes give the
 * same bits. Arithmetic computes in float and rounds once to nearest even:
 * float has more than twice bfloat16's precision, so for + - * / and sqrt
 * the result is the correctly rounded bfloat16 one, as on a GPU; fma goes
 * through double. Conversions and the types work in C too; the arithmetic
 * shares names with half's, so it is C++ only (as CUDA's).
 */
#ifndef MUSA_BF16_H
#define MUSA_BF16_H

#include <math.h>
#include <stdint.h>

#include "musa_fp16.h"

#ifndef __MUSA_FN
#define __MUSA_FN static __inline__ __attribute__((always_inline, unused))
#endif

/* bits */
__MUSA_FN uint32_t __musa_f32_bits(float f)
{
	uint32_t x;

	__builtin_memcpy(&x, &f, 4);
	return x;
}
__MUSA_FN float __musa_f32_of(uint32_t x)
{
	float f;

	__builtin_memcpy(&f, &x, 4);
	return f;
}

/* float -> bfloat16 bits: mode 0 nearest even, 1 toward zero, 2 down, 3 up.
 * NaN becomes the GPU's canonical 0x7fff. */
__MUSA_FN unsigned short __musa_f2bf_bits(float f, int mode)
{
	uint32_t x = __musa_f32_bits(f), sign = x >> 31, low = x & 0xffffu;
	uint32_t t = x >> 16;

	if ((x & 0x7fffffffu) > 0x7f800000u)
		return 0x7fffu;
	switch (mode) {
	case 0:
		t += low > 0x8000u || (low == 0x8000u && (t & 1u));
		break;
	case 2:
		t += sign && low;
		break;
	case 3:
		t += !sign && low;
		break;
	default:
		break;
	}
	return (unsigned short)t;
}
__MUSA_FN float __musa_bf2f(unsigned short b) { return __musa_f32_of((uint32_t)b << 16); }

/* double -> float rounded to odd: with 16 spare bits, rounding that float
 * to bfloat16 is the single rounding of the double. */
__MUSA_FN float __musa_d2f_odd(double d)
{
	float f = (float)d;
	uint32_t x;

	if (d != d || (double)f == d)
		return f;
	x = __musa_f32_bits(f);
	if (fabs((double)f) > fabs(d))
		x--;                     /* one step toward zero */
	return __musa_f32_of(x | 1u);
}

/* the types */
typedef struct __mt_bfloat16_raw {
	unsigned short x;
} __mt_bfloat16_raw;
typedef struct __mt_bfloat162_raw {
	unsigned short x, y;
} __mt_bfloat162_raw;

#if defined(__cplusplus)
struct __attribute__((aligned(2))) __mt_bfloat16 {
	unsigned short __x;

	__mt_bfloat16() = default;
	__mt_bfloat16(const __mt_bfloat16_raw &r) : __x(r.x) {}
	__mt_bfloat16(float f) : __x(__musa_f2bf_bits(f, 0)) {}
	__mt_bfloat16(double d) : __x(__musa_f2bf_bits(__musa_d2f_odd(d), 0)) {}
	__mt_bfloat16(__half h) : __x(__musa_f2bf_bits(__half2float(h), 0)) {}
	__mt_bfloat16(int i) : __x(__musa_f2bf_bits(__musa_d2f_odd((double)i), 0)) {}
	__mt_bfloat16(unsigned int i) : __x(__musa_f2bf_bits(__musa_d2f_odd((double)i), 0)) {}
	__mt_bfloat16(long long i) : __x(__musa_f2bf_bits(__musa_d2f_odd((double)i), 0)) {}
	__mt_bfloat16(unsigned long long i) : __x(__musa_f2bf_bits(__musa_d2f_odd((double)i), 0)) {}
	__mt_bfloat16(short i) : __x(__musa_f2bf_bits((float)i, 0)) {}
	__mt_bfloat16(unsigned short i) : __x(__musa_f2bf_bits((float)i, 0)) {}
	operator float() const { return __musa_bf2f(__x); }
	operator __mt_bfloat16_raw() const { __mt_bfloat16_raw r; r.x = __x; return r; }
	__mt_bfloat16 &operator=(float f) { __x = __musa_f2bf_bits(f, 0); return *this; }
	__mt_bfloat16 &operator=(double d) { return *this = __mt_bfloat16(d); }
};
struct __attribute__((aligned(4))) __mt_bfloat162 {
	__mt_bfloat16 x, y;

	__mt_bfloat162() = default;
	__mt_bfloat162(__mt_bfloat16 a, __mt_bfloat16 b) : x(a), y(b) {}
	__mt_bfloat162(const __mt_bfloat162_raw &r) { x.__x = r.x; y.__x = r.y; }
	operator __mt_bfloat162_raw() const { __mt_bfloat162_raw r; r.x = x.__x; r.y = y.__x; return r; }
};
#else
typedef struct __attribute__((aligned(2))) __mt_bfloat16 {
	unsigned short __x;
} __mt_bfloat16;
typedef struct __attribute__((aligned(4))) __mt_bfloat162 {
	__mt_bfloat16 x, y;
} __mt_bfloat162;
#endif
typedef __mt_bfloat16 mt_bfloat16;
typedef __mt_bfloat162 mt_bfloat162;

__MUSA_FN __mt_bfloat16 __musa_bf_of(unsigned short b)
{
	__mt_bfloat16 h;

	h.__x = b;
	return h;
}
#define __MUSA_BF(x) __musa_bf2f((x).__x)

/* conversions */
__MUSA_FN float __bfloat162float(__mt_bfloat16 a) { return __MUSA_BF(a); }
__MUSA_FN __mt_bfloat16 __float2bfloat16(float f) { return __musa_bf_of(__musa_f2bf_bits(f, 0)); }
__MUSA_FN __mt_bfloat16 __float2bfloat16_rn(float f) { return __musa_bf_of(__musa_f2bf_bits(f, 0)); }
__MUSA_FN __mt_bfloat16 __float2bfloat16_rz(float f) { return __musa_bf_of(__musa_f2bf_bits(f, 1)); }
__MUSA_FN __mt_bfloat16 __float2bfloat16_rd(float f) { return __musa_bf_of(__musa_f2bf_bits(f, 2)); }
__MUSA_FN __mt_bfloat16 __float2bfloat16_ru(float f) { return __musa_bf_of(__musa_f2bf_bits(f, 3)); }
__MUSA_FN __mt_bfloat16 __double2bfloat16(double d)
{
	return __musa_bf_of(__musa_f2bf_bits(__musa_d2f_odd(d), 0));
}
/* Integers -> bfloat16 in the four modes: exact in double, then rounded
 * once (the float on the way is rounded to odd, so no double rounding). */
#define __MUSA_I2BF(name, T)                                                          \
	__MUSA_FN __mt_bfloat16 name##_rn(T i) { return __musa_bf_of(__musa_f2bf_bits(__musa_d2f_odd((double)i), 0)); } \
	__MUSA_FN __mt_bfloat16 name##_rz(T i) { return __musa_bf_of(__musa_f2bf_bits(__musa_d2f_odd((double)i), 1)); } \
	__MUSA_FN __mt_bfloat16 name##_rd(T i) { return __musa_bf_of(__musa_f2bf_bits(__musa_d2f_odd((double)i), 2)); } \
	__MUSA_FN __mt_bfloat16 name##_ru(T i) { return __musa_bf_of(__musa_f2bf_bits(__musa_d2f_odd((double)i), 3)); }
__MUSA_I2BF(__int2bfloat16, int)
__MUSA_I2BF(__uint2bfloat16, unsigned int)
__MUSA_I2BF(__short2bfloat16, short)
__MUSA_I2BF(__ushort2bfloat16, unsigned short)
#undef __MUSA_I2BF
/* 64-bit integers may not be exact in double: round them to odd first. */
__MUSA_FN double __musa_ll2d_odd(long long i)
{
	double d = (double)i;
	long double e = (long double)d - (long double)i;   /* exact: 64-bit or wider */
	unsigned long long b;

	if (e == 0)
		return d;
	__builtin_memcpy(&b, &d, 8);
	if ((e > 0) == (i > 0))
		b--;                     /* |d| > |i|: one step toward zero */
	b |= 1u;
	__builtin_memcpy(&d, &b, 8);
	return d;
}
#define __MUSA_LL2BF(name, T, TOD)                                                    \
	__MUSA_FN __mt_bfloat16 name##_rn(T i) { return __musa_bf_of(__musa_f2bf_bits(__musa_d2f_odd(TOD(i)), 0)); } \
	__MUSA_FN __mt_bfloat16 name##_rz(T i) { return __musa_bf_of(__musa_f2bf_bits(__musa_d2f_odd(TOD(i)), 1)); } \
	__MUSA_FN __mt_bfloat16 name##_rd(T i) { return __musa_bf_of(__musa_f2bf_bits(__musa_d2f_odd(TOD(i)), 2)); } \
	__MUSA_FN __mt_bfloat16 name##_ru(T i) { return __musa_bf_of(__musa_f2bf_bits(__musa_d2f_odd(TOD(i)), 3)); }
#define __MUSA_ULL2D(i) ((i) >> 11 << 11 == (i) ? (double)(i) : 2.0 * __musa_ll2d_odd((long long)((i) >> 1 | ((i) & 1u))))
__MUSA_LL2BF(__ll2bfloat16, long long, __musa_ll2d_odd)
__MUSA_LL2BF(__ull2bfloat16, unsigned long long, __MUSA_ULL2D)
#undef __MUSA_ULL2D
#undef __MUSA_LL2BF

/* bfloat16 -> integers: rounded as named, saturated, NaN gives 0. */
#define __MUSA_BF2I(name, T, LO, HI)                                                  \
	__MUSA_FN T __musa_bf_to_##name(__mt_bfloat16 a, double (*rnd)(double))      \
	{                                                                             \
		double f = rnd((double)__MUSA_BF(a));                                 \
		return f != f ? (T)0 : f <= (double)(LO) ? (T)(LO) : f >= (double)(HI) ? (T)(HI) : (T)f; \
	}                                                                             \
	__MUSA_FN T __bfloat162##name##_rn(__mt_bfloat16 a) { return __musa_bf_to_##name(a, rint); } \
	__MUSA_FN T __bfloat162##name##_rz(__mt_bfloat16 a) { return __musa_bf_to_##name(a, trunc); } \
	__MUSA_FN T __bfloat162##name##_rd(__mt_bfloat16 a) { return __musa_bf_to_##name(a, floor); } \
	__MUSA_FN T __bfloat162##name##_ru(__mt_bfloat16 a) { return __musa_bf_to_##name(a, ceil); }
__MUSA_BF2I(int, int, INT32_MIN, INT32_MAX)
__MUSA_BF2I(uint, unsigned int, 0, UINT32_MAX)
__MUSA_BF2I(short, short, INT16_MIN, INT16_MAX)
__MUSA_BF2I(ushort, unsigned short, 0, UINT16_MAX)
__MUSA_BF2I(ll, long long, INT64_MIN, INT64_MAX)
__MUSA_BF2I(ull, unsigned long long, 0, UINT64_MAX)
#undef __MUSA_BF2I
__MUSA_FN signed char __bfloat162char_rz(__mt_bfloat16 a)
{
	double f = trunc((double)__MUSA_BF(a));

	return f != f ? 0 : f <= -128.0 ? -128 : f >= 127.0 ? 127 : (signed char)f;
}
__MUSA_FN unsigned char __bfloat162uchar_rz(__mt_bfloat16 a)
{
	double f = trunc((double)__MUSA_BF(a));

	return f != f ? 0 : f <= 0.0 ? 0 : f >= 255.0 ? 255 : (unsigned char)f;
}
__MUSA_FN short __bfloat16_as_short(__mt_bfloat16 a) { return (short)a.__x; }
__MUSA_FN unsigned short __bfloat16_as_ushort(__mt_bfloat16 a) { return a.__x; }
__MUSA_FN __mt_bfloat16 __short_as_bfloat16(short s) { return __musa_bf_of((unsigned short)s); }
__MUSA_FN __mt_bfloat16 __ushort_as_bfloat16(unsigned short s) { return __musa_bf_of(s); }

__MUSA_FN __mt_bfloat162 __halves2bfloat162(__mt_bfloat16 a, __mt_bfloat16 b)
{
	__mt_bfloat162 r;

	r.x = a;
	r.y = b;
	return r;
}
__MUSA_FN __mt_bfloat162 make_bfloat162(__mt_bfloat16 a, __mt_bfloat16 b) { return __halves2bfloat162(a, b); }
__MUSA_FN __mt_bfloat162 __bfloat162bfloat162(__mt_bfloat16 a) { return __halves2bfloat162(a, a); }
__MUSA_FN __mt_bfloat162 __floats2bfloat162_rn(float a, float b)
{
	return __halves2bfloat162(__float2bfloat16(a), __float2bfloat16(b));
}
__MUSA_FN __mt_bfloat162 __float2bfloat162_rn(float a) { return __floats2bfloat162_rn(a, a); }
__MUSA_FN __mt_bfloat162 __float22bfloat162_rn(float2 a) { return __floats2bfloat162_rn(a.x, a.y); }
__MUSA_FN float2 __bfloat1622float2(__mt_bfloat162 a)
{
	float2 r;

	r.x = __MUSA_BF(a.x);
	r.y = __MUSA_BF(a.y);
	return r;
}
__MUSA_FN __mt_bfloat16 __low2bfloat16(__mt_bfloat162 a) { return a.x; }
__MUSA_FN __mt_bfloat16 __high2bfloat16(__mt_bfloat162 a) { return a.y; }
__MUSA_FN __mt_bfloat162 __low2bfloat162(__mt_bfloat162 a) { return __halves2bfloat162(a.x, a.x); }
__MUSA_FN __mt_bfloat162 __high2bfloat162(__mt_bfloat162 a) { return __halves2bfloat162(a.y, a.y); }
__MUSA_FN __mt_bfloat162 __lows2bfloat162(__mt_bfloat162 a, __mt_bfloat162 b) { return __halves2bfloat162(a.x, b.x); }
__MUSA_FN __mt_bfloat162 __highs2bfloat162(__mt_bfloat162 a, __mt_bfloat162 b) { return __halves2bfloat162(a.y, b.y); }

#if defined(__cplusplus)
/* arithmetic, comparisons and math: overloads beside half's */
__MUSA_FN float __low2float(__mt_bfloat162 a) { return __MUSA_BF(a.x); }
__MUSA_FN float __high2float(__mt_bfloat162 a) { return __MUSA_BF(a.y); }
__MUSA_FN __mt_bfloat162 __lowhigh2highlow(__mt_bfloat162 a) { return __halves2bfloat162(a.y, a.x); }

typedef __mt_bfloat16 __musa_bf;
typedef __mt_bfloat162 __musa_bf2;
__MUSA_FN __musa_bf __musa_bf_rn(float f) { return __float2bfloat16(f); }
/* Saturation to [0, 1], NaN to 0 (the _sat forms). */
__MUSA_FN float __musa_sat01(float f) { return f > 0.0f ? (f < 1.0f ? f : 1.0f) : 0.0f; }
__MUSA_FN float __musa_relu(float f) { return f != f ? f : f < 0.0f ? 0.0f : f; }
/* fmax/fmin that return NaN when either is NaN (the _nan forms). */
__MUSA_FN float __musa_fmax_nan(float a, float b) { return a != a || b != b ? NAN : fmaxf(a, b); }
__MUSA_FN float __musa_fmin_nan(float a, float b) { return a != a || b != b ? NAN : fminf(a, b); }

/* name(a, b) for bfloat16 and name2(a, b) lane-wise, from an expression of
 * the float values fa, fb. */
#define __MUSA_BF_BIN(name, name2, EXPR)                                               \
	__MUSA_FN __musa_bf name(__musa_bf a, __musa_bf b)                             \
	{ float fa = __MUSA_BF(a), fb = __MUSA_BF(b); return __musa_bf_rn(EXPR); }     \
	__MUSA_FN __musa_bf2 name2(__musa_bf2 a, __musa_bf2 b)                         \
	{ return __halves2bfloat162(name(a.x, b.x), name(a.y, b.y)); }
__MUSA_BF_BIN(__hadd, __hadd2, fa + fb)
__MUSA_BF_BIN(__hadd_rn, __hadd2_rn, fa + fb)
__MUSA_BF_BIN(__hadd_sat, __hadd2_sat, __musa_sat01(fa + fb))
__MUSA_BF_BIN(__hsub, __hsub2, fa - fb)
__MUSA_BF_BIN(__hsub_rn, __hsub2_rn, fa - fb)
__MUSA_BF_BIN(__hsub_sat, __hsub2_sat, __musa_sat01(fa - fb))
__MUSA_BF_BIN(__hmul, __hmul2, fa * fb)
__MUSA_BF_BIN(__hmul_rn, __hmul2_rn, fa * fb)
__MUSA_BF_BIN(__hmul_sat, __hmul2_sat, __musa_sat01(fa * fb))
__MUSA_BF_BIN(__hdiv, __h2div, fa / fb)
__MUSA_BF_BIN(__hmax, __hmax2, fmaxf(fa, fb))
__MUSA_BF_BIN(__hmin, __hmin2, fminf(fa, fb))
__MUSA_BF_BIN(__hmax_nan, __hmax2_nan, __musa_fmax_nan(fa, fb))
__MUSA_BF_BIN(__hmin_nan, __hmin2_nan, __musa_fmin_nan(fa, fb))
#undef __MUSA_BF_BIN

/* a*b+c: the product is exact in double, one rounding to double, then to
 * bfloat16 through a float rounded to odd. */
__MUSA_FN float __musa_bf_fma(__musa_bf a, __musa_bf b, __musa_bf c)
{
	return __musa_d2f_odd(fma((double)__MUSA_BF(a), (double)__MUSA_BF(b), (double)__MUSA_BF(c)));
}
__MUSA_FN __musa_bf __hfma(__musa_bf a, __musa_bf b, __musa_bf c) { return __musa_bf_rn(__musa_bf_fma(a, b, c)); }
__MUSA_FN __musa_bf __hfma_sat(__musa_bf a, __musa_bf b, __musa_bf c)
{
	return __musa_bf_rn(__musa_sat01(__MUSA_BF(__hfma(a, b, c))));
}
__MUSA_FN __musa_bf __hfma_relu(__musa_bf a, __musa_bf b, __musa_bf c)
{
	return __musa_bf_rn(__musa_relu(__MUSA_BF(__hfma(a, b, c))));
}
#define __MUSA_BF_TERN2(name, one)                                                     \
	__MUSA_FN __musa_bf2 name(__musa_bf2 a, __musa_bf2 b, __musa_bf2 c)            \
	{ return __halves2bfloat162(one(a.x, b.x, c.x), one(a.y, b.y, c.y)); }
__MUSA_BF_TERN2(__hfma2, __hfma)
__MUSA_BF_TERN2(__hfma2_sat, __hfma_sat)
__MUSA_BF_TERN2(__hfma2_relu, __hfma_relu)
#undef __MUSA_BF_TERN2
/* Complex multiply-add: (a.x + i a.y)(b.x + i b.y) + (c.x + i c.y). */
__MUSA_FN __musa_bf2 __hcmadd(__musa_bf2 a, __musa_bf2 b, __musa_bf2 c)
{
	__musa_bf re = __hfma(a.x, b.x, c.x), im = __hfma(a.x, b.y, c.y);

	return __halves2bfloat162(__hfma(__musa_bf_of((unsigned short)(a.y.__x ^ 0x8000u)), b.y, re),
				  __hfma(a.y, b.x, im));
}
__MUSA_FN __musa_bf __hneg(__musa_bf a) { return __musa_bf_of((unsigned short)(a.__x ^ 0x8000u)); }
__MUSA_FN __musa_bf __habs(__musa_bf a) { return __musa_bf_of((unsigned short)(a.__x & 0x7fffu)); }
__MUSA_FN __musa_bf2 __hneg2(__musa_bf2 a) { return __halves2bfloat162(__hneg(a.x), __hneg(a.y)); }
__MUSA_FN __musa_bf2 __habs2(__musa_bf2 a) { return __halves2bfloat162(__habs(a.x), __habs(a.y)); }
__MUSA_FN bool __hisnan(__musa_bf a) { return (a.__x & 0x7fffu) > 0x7f80u; }
__MUSA_FN int __hisinf(__musa_bf a) { return (a.__x & 0x7fffu) == 0x7f80u ? (a.__x & 0x8000u ? -1 : 1) : 0; }
__MUSA_FN __musa_bf2 __hisnan2(__musa_bf2 a)
{
	return __halves2bfloat162(__musa_bf_of(__hisnan(a.x) ? 0x3f80u : 0), __musa_bf_of(__hisnan(a.y) ? 0x3f80u : 0));
}

/* Comparisons: the ordered forms are false with a NaN, the u (unordered)
 * forms true; name2 gives 1.0/0.0 per lane, name2_mask all ones/zero, hb
 * both lanes. */
#define __MUSA_BF_CMP(op, uop, EXPR)                                                   \
	__MUSA_FN bool __h##op(__musa_bf a, __musa_bf b)                               \
	{ float fa = __MUSA_BF(a), fb = __MUSA_BF(b); return EXPR; }                   \
	__MUSA_FN bool __h##uop(__musa_bf a, __musa_bf b)                              \
	{ float fa = __MUSA_BF(a), fb = __MUSA_BF(b); return fa != fa || fb != fb || (EXPR); } \
	__MUSA_FN __musa_bf2 __h##op##2(__musa_bf2 a, __musa_bf2 b)                    \
	{ return __halves2bfloat162(__musa_bf_of(__h##op(a.x, b.x) ? 0x3f80u : 0),      \
				    __musa_bf_of(__h##op(a.y, b.y) ? 0x3f80u : 0)); }      \
	__MUSA_FN __musa_bf2 __h##uop##2(__musa_bf2 a, __musa_bf2 b)                   \
	{ return __halves2bfloat162(__musa_bf_of(__h##uop(a.x, b.x) ? 0x3f80u : 0),     \
				    __musa_bf_of(__h##uop(a.y, b.y) ? 0x3f80u : 0)); }     \
	__MUSA_FN unsigned __h##op##2_mask(__musa_bf2 a, __musa_bf2 b)                 \
	{ return (__h##op(a.x, b.x) ? 0xffffu : 0) | (__h##op(a.y, b.y) ? 0xffff0000u : 0); } \
	__MUSA_FN unsigned __h##uop##2_mask(__musa_bf2 a, __musa_bf2 b)                \
	{ return (__h##uop(a.x, b.x) ? 0xffffu : 0) | (__h##uop(a.y, b.y) ? 0xffff0000u : 0); } \
	__MUSA_FN bool __hb##op##2(__musa_bf2 a, __musa_bf2 b)                         \
	{ return __h##op(a.x, b.x) && __h##op(a.y, b.y); }                             \
	__MUSA_FN bool __hb##uop##2(__musa_bf2 a, __musa_bf2 b)                        \
	{ return __h##uop(a.x, b.x) && __h##uop(a.y, b.y); }
__MUSA_BF_CMP(eq, equ, fa == fb)
__MUSA_BF_CMP(ne, neu, fa < fb || fa > fb)
__MUSA_BF_CMP(lt, ltu, fa < fb)
__MUSA_BF_CMP(gt, gtu, fa > fb)
__MUSA_BF_CMP(le, leu, fa <= fb)
__MUSA_BF_CMP(ge, geu, fa >= fb)
#undef __MUSA_BF_CMP

/* Math: the float function, rounded once; h2 forms lane-wise. */
__MUSA_FN __musa_bf hsqrt(__musa_bf a) { return __musa_bf_rn(sqrtf(__MUSA_BF(a))); }
__MUSA_FN __musa_bf hrsqrt(__musa_bf a) { return __musa_bf_rn((float)(1.0 / sqrt((double)__MUSA_BF(a)))); }
__MUSA_FN __musa_bf hrcp(__musa_bf a) { return __musa_bf_rn(1.0f / __MUSA_BF(a)); }
__MUSA_FN __musa_bf hexp(__musa_bf a) { return __musa_bf_rn(expf(__MUSA_BF(a))); }
__MUSA_FN __musa_bf hexp2(__musa_bf a) { return __musa_bf_rn(exp2f(__MUSA_BF(a))); }
__MUSA_FN __musa_bf hexp10(__musa_bf a) { return __musa_bf_rn((float)pow(10.0, (double)__MUSA_BF(a))); }
__MUSA_FN __musa_bf hlog(__musa_bf a) { return __musa_bf_rn(logf(__MUSA_BF(a))); }
__MUSA_FN __musa_bf hlog2(__musa_bf a) { return __musa_bf_rn(log2f(__MUSA_BF(a))); }
__MUSA_FN __musa_bf hlog10(__musa_bf a) { return __musa_bf_rn(log10f(__MUSA_BF(a))); }
__MUSA_FN __musa_bf hsin(__musa_bf a) { return __musa_bf_rn(sinf(__MUSA_BF(a))); }
__MUSA_FN __musa_bf hcos(__musa_bf a) { return __musa_bf_rn(cosf(__MUSA_BF(a))); }
__MUSA_FN __musa_bf htanh(__musa_bf a) { return __musa_bf_rn(tanhf(__MUSA_BF(a))); }
__MUSA_FN __musa_bf htanh_approx(__musa_bf a) { return htanh(a); }
__MUSA_FN __musa_bf hfloor(__musa_bf a) { return __musa_bf_rn(floorf(__MUSA_BF(a))); }
__MUSA_FN __musa_bf hceil(__musa_bf a) { return __musa_bf_rn(ceilf(__MUSA_BF(a))); }
__MUSA_FN __musa_bf htrunc(__musa_bf a) { return __musa_bf_rn(truncf(__MUSA_BF(a))); }
__MUSA_FN __musa_bf hrint(__musa_bf a) { return __musa_bf_rn(rintf(__MUSA_BF(a))); }
#define __MUSA_BF_MATH2(name)                                                          \
	__MUSA_FN __musa_bf2 h2##name(__musa_bf2 a) { return __halves2bfloat162(h##name(a.x), h##name(a.y)); }
__MUSA_BF_MATH2(sqrt) __MUSA_BF_MATH2(rsqrt) __MUSA_BF_MATH2(rcp) __MUSA_BF_MATH2(exp)
__MUSA_BF_MATH2(exp2) __MUSA_BF_MATH2(exp10) __MUSA_BF_MATH2(log) __MUSA_BF_MATH2(log2)
__MUSA_BF_MATH2(log10) __MUSA_BF_MATH2(sin) __MUSA_BF_MATH2(cos) __MUSA_BF_MATH2(tanh)
__MUSA_BF_MATH2(tanh_approx) __MUSA_BF_MATH2(floor) __MUSA_BF_MATH2(ceil) __MUSA_BF_MATH2(trunc)
__MUSA_BF_MATH2(rint)
#undef __MUSA_BF_MATH2

__MUSA_FN __musa_bf operator+(__musa_bf a, __musa_bf b) { return __hadd(a, b); }
__MUSA_FN __musa_bf operator-(__musa_bf a, __musa_bf b) { return __hsub(a, b); }
__MUSA_FN __musa_bf operator*(__musa_bf a, __musa_bf b) { return __hmul(a, b); }
__MUSA_FN __musa_bf operator/(__musa_bf a, __musa_bf b) { return __hdiv(a, b); }
__MUSA_FN __musa_bf operator-(__musa_bf a) { return __hneg(a); }
__MUSA_FN __musa_bf operator+(__musa_bf a) { return a; }
__MUSA_FN __musa_bf &operator+=(__musa_bf &a, __musa_bf b) { return a = a + b; }
__MUSA_FN __musa_bf &operator-=(__musa_bf &a, __musa_bf b) { return a = a - b; }
__MUSA_FN __musa_bf &operator*=(__musa_bf &a, __musa_bf b) { return a = a * b; }
__MUSA_FN __musa_bf &operator/=(__musa_bf &a, __musa_bf b) { return a = a / b; }
__MUSA_FN bool operator==(__musa_bf a, __musa_bf b) { return __heq(a, b); }
__MUSA_FN bool operator!=(__musa_bf a, __musa_bf b) { return __hneu(a, b); }
__MUSA_FN bool operator<(__musa_bf a, __musa_bf b) { return __hlt(a, b); }
__MUSA_FN bool operator>(__musa_bf a, __musa_bf b) { return __hgt(a, b); }
__MUSA_FN bool operator<=(__musa_bf a, __musa_bf b) { return __hle(a, b); }
__MUSA_FN bool operator>=(__musa_bf a, __musa_bf b) { return __hge(a, b); }
__MUSA_FN __musa_bf2 operator+(__musa_bf2 a, __musa_bf2 b) { return __hadd2(a, b); }
__MUSA_FN __musa_bf2 operator-(__musa_bf2 a, __musa_bf2 b) { return __hsub2(a, b); }
__MUSA_FN __musa_bf2 operator*(__musa_bf2 a, __musa_bf2 b) { return __hmul2(a, b); }
__MUSA_FN __musa_bf2 operator/(__musa_bf2 a, __musa_bf2 b) { return __h2div(a, b); }
__MUSA_FN __musa_bf2 operator-(__musa_bf2 a) { return __hneg2(a); }
__MUSA_FN __musa_bf2 &operator+=(__musa_bf2 &a, __musa_bf2 b) { return a = a + b; }
__MUSA_FN __musa_bf2 &operator-=(__musa_bf2 &a, __musa_bf2 b) { return a = a - b; }
__MUSA_FN __musa_bf2 &operator*=(__musa_bf2 &a, __musa_bf2 b) { return a = a * b; }
__MUSA_FN __musa_bf2 &operator/=(__musa_bf2 &a, __musa_bf2 b) { return a = a / b; }
__MUSA_FN bool operator==(__musa_bf2 a, __musa_bf2 b) { return __hbeq2(a, b); }
__MUSA_FN bool operator!=(__musa_bf2 a, __musa_bf2 b) { return __hbneu2(a, b); }
#endif /* __cplusplus */
#undef __MUSA_BF

#endif /* MUSA_BF16_H */
