/* SPDX-License-Identifier: MIT */
/*
 * musa_fp16.h - IEEE binary16: __half and __half2 with CUDA's conversion
 * and arithmetic functions (cuda_fp16.h's names), and in C++ the operators.
 *
 * Conversions are done in software on the bit patterns, so host code, the
 * host pass and the device pass give the same bits whatever the compiler
 * knows about _Float16. Arithmetic converts to float, computes and rounds
 * back to nearest even: for + - * / and sqrt float carries more than twice
 * half's precision, so the double rounding never changes the result and it
 * is the correctly rounded half one, as on a GPU. Self-contained: usable
 * from plain host code as well as from kernels, in C and C++.
 */
#ifndef MUSA_FP16_H
#define MUSA_FP16_H

#include <math.h>
#include <stdint.h>

#ifndef __MUSA_FN
#define __MUSA_FN static __inline__ __attribute__((always_inline, unused))
#endif

/* the bit-level conversions */
/* v >> s rounded to nearest, ties to even (0 < s < 32). */
__MUSA_FN uint32_t __musa_shr_rne(uint32_t v, unsigned s)
{
	uint32_t r = v >> s, rem = v & ((1u << s) - 1u), half = 1u << (s - 1u);

	return r + (rem > half || (rem == half && (r & 1u)));
}

__MUSA_FN unsigned short __musa_float2half_bits(float f)
{
	uint32_t x, sign, e;

	__builtin_memcpy(&x, &f, 4);
	sign = (x >> 16) & 0x8000u;
	x &= 0x7fffffffu;
	if (x > 0x7f800000u)
		return 0x7fffu;                       /* NaN: the GPU's canonical one */
	if (x >= 0x477ff000u)                         /* >= 65520: rounds to infinity */
		return (unsigned short)(sign | 0x7c00u);
	if (x >= 0x38800000u)                         /* normal: rebias, round 13 bits */
		return (unsigned short)(sign | __musa_shr_rne(x - 0x38000000u, 13));
	e = x >> 23;                                  /* subnormal or zero: units of 2^-24 */
	if (126u - e > 24u)
		return (unsigned short)sign;
	return (unsigned short)(sign | __musa_shr_rne((x & 0x7fffffu) | 0x800000u, 126u - e));
}

__MUSA_FN float __musa_half_bits2float(unsigned short h)
{
	uint32_t sign = (uint32_t)(h & 0x8000u) << 16, e = (h >> 10) & 0x1fu, m = h & 0x3ffu, x;
	float f;

	if (e == 0x1fu) {
		x = sign | 0x7f800000u | (m << 13);
	} else if (e) {
		x = sign | ((e + 112u) << 23) | (m << 13);
	} else {
		f = (float)m * 5.9604644775390625e-08f; /* m * 2^-24, exact */
		return sign ? -f : f;
	}
	__builtin_memcpy(&f, &x, 4);
	return f;
}

/* the types */
/* The bits alone (cuda_fp16.h's __half_raw), as the FP8 conversions take them. */
typedef struct __half_raw {
	unsigned short x;
} __half_raw;
typedef struct __half2_raw {
	unsigned short x, y;
} __half2_raw;

#if defined(__cplusplus)
struct __attribute__((aligned(2))) __half {
	unsigned short __x;

	__half() = default;
	__half(const __half_raw &r) : __x(r.x) {}
	operator __half_raw() const { __half_raw r; r.x = __x; return r; }
	__half(float f) : __x(__musa_float2half_bits(f)) {}
	__half(double d) : __x(__musa_float2half_bits((float)d)) {}
	__half(int i) : __x(__musa_float2half_bits((float)i)) {}
	__half(unsigned int i) : __x(__musa_float2half_bits((float)i)) {}
	operator float() const { return __musa_half_bits2float(__x); }
	__half &operator=(float f) { __x = __musa_float2half_bits(f); return *this; }
};
struct __attribute__((aligned(4))) __half2 {
	__half x, y;

	__half2() = default;
	__half2(__half a, __half b) : x(a), y(b) {}
};
#else
typedef struct __attribute__((aligned(2))) __half {
	unsigned short __x;
} __half;
typedef struct __attribute__((aligned(4))) __half2 {
	__half x, y;
} __half2;
#endif
typedef __half half;
typedef __half2 half2;

__MUSA_FN __half __musa_half_of_bits(unsigned short b)
{
	__half h;

	h.__x = b;
	return h;
}

/* conversions */
__MUSA_FN __half __float2half(float f) { return __musa_half_of_bits(__musa_float2half_bits(f)); }
__MUSA_FN __half __float2half_rn(float f) { return __float2half(f); }
__MUSA_FN __half __double2half(double d) { return __float2half((float)d); }
__MUSA_FN float __half2float(__half h) { return __musa_half_bits2float(h.__x); }
__MUSA_FN __half __int2half_rn(int i) { return __float2half((float)i); }
__MUSA_FN __half __uint2half_rn(unsigned int i) { return __float2half((float)i); }
__MUSA_FN __half __short2half_rn(short i) { return __float2half((float)i); }
__MUSA_FN __half __ushort2half_rn(unsigned short i) { return __float2half((float)i); }
/* Half to integer: rounded, saturated, NaN gives 0 (as the GPU's cvt). */
__MUSA_FN int __half2int_rn(__half h)
{
	float f = rintf(__half2float(h));

	return f != f ? 0 : f >= 2147483648.0f ? 2147483647 : f <= -2147483648.0f ? (-2147483647 - 1) : (int)f;
}
__MUSA_FN int __half2int_rz(__half h)
{
	float f = truncf(__half2float(h));

	return f != f ? 0 : f >= 2147483648.0f ? 2147483647 : f <= -2147483648.0f ? (-2147483647 - 1) : (int)f;
}
__MUSA_FN short __half_as_short(__half h) { return (short)h.__x; }
__MUSA_FN unsigned short __half_as_ushort(__half h) { return h.__x; }
__MUSA_FN __half __short_as_half(short s) { return __musa_half_of_bits((unsigned short)s); }
__MUSA_FN __half __ushort_as_half(unsigned short s) { return __musa_half_of_bits(s); }

__MUSA_FN __half2 __halves2half2(__half a, __half b) { __half2 r; r.x = a; r.y = b; return r; }
__MUSA_FN __half2 __half2half2(__half a) { return __halves2half2(a, a); }
__MUSA_FN __half2 __floats2half2_rn(float a, float b)
{
	return __halves2half2(__float2half(a), __float2half(b));
}
__MUSA_FN __half2 __float2half2_rn(float a) { return __floats2half2_rn(a, a); }
__MUSA_FN float __low2float(__half2 h) { return __half2float(h.x); }
__MUSA_FN float __high2float(__half2 h) { return __half2float(h.y); }
__MUSA_FN __half __low2half(__half2 h) { return h.x; }
__MUSA_FN __half __high2half(__half2 h) { return h.y; }
__MUSA_FN __half2 __lows2half2(__half2 a, __half2 b) { return __halves2half2(a.x, b.x); }
__MUSA_FN __half2 __highs2half2(__half2 a, __half2 b) { return __halves2half2(a.y, b.y); }
__MUSA_FN __half2 __low2half2(__half2 a) { return __halves2half2(a.x, a.x); }
__MUSA_FN __half2 __high2half2(__half2 a) { return __halves2half2(a.y, a.y); }
__MUSA_FN __half2 __lowhigh2highlow(__half2 a) { return __halves2half2(a.y, a.x); }

/* arithmetic and comparisons */
#define __MUSA_H(x) __half2float(x)
#define __MUSA_HOP(name, expr)                                                \
	__MUSA_FN __half name(__half a, __half b) { return __float2half(expr); }
#define __MUSA_HOP2(name, one)                                                \
	__MUSA_FN __half2 name(__half2 a, __half2 b)                          \
	{ return __halves2half2(one(a.x, b.x), one(a.y, b.y)); }
/* __hadd is also an integer intrinsic: the half one goes by another name
 * in C, reached through the _Generic __hadd below. */
__MUSA_HOP(__musa_hadd_half, __MUSA_H(a) + __MUSA_H(b))
__MUSA_HOP(__hsub, __MUSA_H(a) - __MUSA_H(b))
__MUSA_HOP(__hmul, __MUSA_H(a) * __MUSA_H(b))
__MUSA_HOP(__hdiv, __MUSA_H(a) / __MUSA_H(b))
__MUSA_HOP(__hmax, fmaxf(__MUSA_H(a), __MUSA_H(b)))
__MUSA_HOP(__hmin, fminf(__MUSA_H(a), __MUSA_H(b)))
__MUSA_HOP2(__hadd2, __musa_hadd_half)
__MUSA_HOP2(__hsub2, __hsub)
__MUSA_HOP2(__hmul2, __hmul)
__MUSA_HOP2(__h2div, __hdiv)
__MUSA_HOP2(__hmax2, __hmax)
__MUSA_HOP2(__hmin2, __hmin)
/* a*b+c rounded once to double (the product of two halves is exact there),
 * then to half. */
__MUSA_FN __half __hfma(__half a, __half b, __half c)
{
	return __float2half((float)fma((double)__MUSA_H(a), (double)__MUSA_H(b), (double)__MUSA_H(c)));
}
__MUSA_FN __half2 __hfma2(__half2 a, __half2 b, __half2 c)
{
	return __halves2half2(__hfma(a.x, b.x, c.x), __hfma(a.y, b.y, c.y));
}
__MUSA_FN __half __hneg(__half a) { return __musa_half_of_bits((unsigned short)(a.__x ^ 0x8000u)); }
__MUSA_FN __half __habs(__half a) { return __musa_half_of_bits((unsigned short)(a.__x & 0x7fffu)); }
__MUSA_FN __half2 __hneg2(__half2 a) { return __halves2half2(__hneg(a.x), __hneg(a.y)); }
__MUSA_FN __half2 __habs2(__half2 a) { return __halves2half2(__habs(a.x), __habs(a.y)); }
__MUSA_FN int __hisnan(__half a) { return (a.__x & 0x7fffu) > 0x7c00u; }
__MUSA_FN int __hisinf(__half a) { return (a.__x & 0x7fffu) == 0x7c00u ? (a.__x & 0x8000u ? -1 : 1) : 0; }
/* Ordered comparisons: false when either is NaN, as float's are. */
__MUSA_FN int __heq(__half a, __half b) { return __MUSA_H(a) == __MUSA_H(b); }
__MUSA_FN int __hne(__half a, __half b) { return __MUSA_H(a) < __MUSA_H(b) || __MUSA_H(a) > __MUSA_H(b); }
__MUSA_FN int __hlt(__half a, __half b) { return __MUSA_H(a) < __MUSA_H(b); }
__MUSA_FN int __hgt(__half a, __half b) { return __MUSA_H(a) > __MUSA_H(b); }
__MUSA_FN int __hle(__half a, __half b) { return __MUSA_H(a) <= __MUSA_H(b); }
__MUSA_FN int __hge(__half a, __half b) { return __MUSA_H(a) >= __MUSA_H(b); }

/* Half-precision math: the float function, rounded once. */
#define __MUSA_HFN(name, fn)                                                  \
	__MUSA_FN __half name(__half a) { return __float2half(fn(__MUSA_H(a))); }
__MUSA_HFN(hsqrt, sqrtf)
__MUSA_HFN(hexp, expf)
__MUSA_HFN(hexp2, exp2f)
__MUSA_HFN(hlog, logf)
__MUSA_HFN(hlog2, log2f)
__MUSA_HFN(hlog10, log10f)
__MUSA_HFN(hsin, sinf)
__MUSA_HFN(hcos, cosf)
__MUSA_HFN(hfloor, floorf)
__MUSA_HFN(hceil, ceilf)
__MUSA_HFN(htrunc, truncf)
__MUSA_HFN(hrint, rintf)
__MUSA_FN __half hrsqrt(__half a) { return __float2half((float)(1.0 / sqrt(__MUSA_H(a)))); }
__MUSA_FN __half hrcp(__half a) { return __float2half(1.0f / __MUSA_H(a)); }
#undef __MUSA_HFN
#undef __MUSA_HOP
#undef __MUSA_HOP2

#if defined(__cplusplus)
__MUSA_FN __half __hadd(__half a, __half b) { return __musa_hadd_half(a, b); }
__MUSA_FN __half operator+(__half a, __half b) { return __musa_hadd_half(a, b); }
__MUSA_FN __half operator-(__half a, __half b) { return __hsub(a, b); }
__MUSA_FN __half operator*(__half a, __half b) { return __hmul(a, b); }
__MUSA_FN __half operator/(__half a, __half b) { return __hdiv(a, b); }
__MUSA_FN __half operator-(__half a) { return __hneg(a); }
__MUSA_FN __half operator+(__half a) { return a; }
__MUSA_FN __half &operator+=(__half &a, __half b) { return a = a + b; }
__MUSA_FN __half &operator-=(__half &a, __half b) { return a = a - b; }
__MUSA_FN __half &operator*=(__half &a, __half b) { return a = a * b; }
__MUSA_FN __half &operator/=(__half &a, __half b) { return a = a / b; }
__MUSA_FN bool operator==(__half a, __half b) { return __heq(a, b); }
__MUSA_FN bool operator!=(__half a, __half b) { return !__heq(a, b); }
__MUSA_FN bool operator<(__half a, __half b) { return __hlt(a, b); }
__MUSA_FN bool operator>(__half a, __half b) { return __hgt(a, b); }
__MUSA_FN bool operator<=(__half a, __half b) { return __hle(a, b); }
__MUSA_FN bool operator>=(__half a, __half b) { return __hge(a, b); }
__MUSA_FN __half2 operator+(__half2 a, __half2 b) { return __hadd2(a, b); }
__MUSA_FN __half2 operator-(__half2 a, __half2 b) { return __hsub2(a, b); }
__MUSA_FN __half2 operator*(__half2 a, __half2 b) { return __hmul2(a, b); }
__MUSA_FN __half2 operator/(__half2 a, __half2 b) { return __h2div(a, b); }
__MUSA_FN __half2 &operator+=(__half2 &a, __half2 b) { return a = a + b; }
__MUSA_FN __half2 &operator*=(__half2 &a, __half2 b) { return a = a * b; }
#else
#if defined(MUSA_INT_INTRINSICS_H)
#define __hadd(a, b) _Generic((a), __half: __musa_hadd_half, default: __hadd)(a, b)
#else
#define __hadd(a, b) __musa_hadd_half(a, b)
#endif
#endif
#undef __MUSA_H

#endif /* MUSA_FP16_H */
