/* SPDX-License-Identifier: MIT */
/*
 * musa_fp8.h - the 8-bit floating-point formats of cuda_fp8.h under MUSA
 * names: E4M3 (bias 7, no infinity, 0x7f is NaN, largest 448) and E5M2
 * (bias 15, IEEE-like with infinities, largest 57344). The conversion
 * functions __mt_cvt_* (CUDA's __nv_cvt_*) with __MT_NOSAT / __MT_SATFINITE,
 * storage types for one, two and four values, and in C++ the classes
 * __mt_fp8_e4m3 / __mt_fp8_e5m2 and their x2 / x4 forms.
 *
 * Every conversion to FP8 is one rounding to nearest even from the exact
 * input (a double holds any float, half or bfloat16 exactly). With
 * __MT_SATFINITE a result beyond the largest finite value, infinities
 * included, becomes that value with the input's sign; with __MT_NOSAT it
 * becomes infinity (E5M2) or NaN (E4M3). NaN stays NaN (0x7f, E5M2 0x7f
 * too). Conversions from FP8 are exact. Plain C and C++, host and device.
 */
#ifndef MUSA_FP8_H
#define MUSA_FP8_H

#include <math.h>
#include <stdint.h>

#include "musa_bf16.h"
#include "musa_fp16.h"

#ifndef __MUSA_FN
#define __MUSA_FN static __inline__ __attribute__((always_inline, unused))
#endif

typedef unsigned char __mt_fp8_storage_t;
typedef unsigned short int __mt_fp8x2_storage_t;
typedef unsigned int __mt_fp8x4_storage_t;

typedef enum __mt_saturation_t {
	__MT_NOSAT,
	__MT_SATFINITE,
} __mt_saturation_t;

typedef enum __mt_fp8_interpretation_t {
	__MT_E4M3,
	__MT_E5M2,
} __mt_fp8_interpretation_t;

/* the two formats */
/* Fraction bits, exponent bias, largest finite value and its bits. */
struct __musa_fp8_format {
	int mbits, bias;
	double max;
	unsigned char max_bits, overflow_bits;   /* NOSAT overflow: NaN or infinity */
};
__MUSA_FN struct __musa_fp8_format __musa_fp8_fmt(__mt_fp8_interpretation_t t)
{
	static const struct __musa_fp8_format fmt[2] = {
		{ 3, 7, 448.0, 0x7e, 0x7f },      /* E4M3 */
		{ 2, 15, 57344.0, 0x7b, 0x7c },   /* E5M2 */
	};

	return fmt[t == __MT_E5M2];
}

/* x rounded to nearest even at the format's precision; bits of |x|. */
__MUSA_FN __mt_fp8_storage_t __mt_cvt_double_to_fp8(double x, __mt_saturation_t sat,
						    __mt_fp8_interpretation_t t)
{
	struct __musa_fp8_format f = __musa_fp8_fmt(t);
	unsigned char sign = signbit(x) ? 0x80 : 0;
	double a = fabs(x), q, r;
	int e;

	if (x != x)
		return 0x7f;
	if (a > f.max) {
		/* beyond the largest: does it round down to it? (half a step) */
		double step = ldexp(1.0, (int)floor(log2(f.max)) - f.mbits);

		if (isinf(a) || a > f.max + step / 2 ||
		    (a == f.max + step / 2 && (f.max_bits & 1)))
			return sign | (sat == __MT_SATFINITE ? f.max_bits : f.overflow_bits);
		return sign | f.max_bits;
	}
	if (a == 0)
		return sign;
	frexp(a, &e);                    /* a = m * 2^e, 0.5 <= m < 1 */
	e -= 1;                          /* a = 1.xxx * 2^e */
	if (e < 1 - f.bias)
		e = 1 - f.bias;          /* subnormal: fixed scale */
	q = ldexp(a, f.mbits - e);       /* units of the last fraction bit, exact */
	r = floor(q);
	if (q - r > 0.5 || (q - r == 0.5 && fmod(r, 2.0) != 0))
		r += 1;
	/* r = 2^mbits * (1 + frac), or less for subnormals; a carry to
	 * 2^(mbits+1) moves to the next binade, which the sum encodes. */
	return sign | (unsigned char)((unsigned)(e + f.bias - 1) * (1u << f.mbits) + (unsigned)r);
}

__MUSA_FN double __musa_fp8_to_double(__mt_fp8_storage_t b, __mt_fp8_interpretation_t t)
{
	struct __musa_fp8_format f = __musa_fp8_fmt(t);
	unsigned mag = b & 0x7fu, e = mag >> f.mbits, m = mag & ((1u << f.mbits) - 1u);
	double v;

	if (t == __MT_E4M3 ? mag == 0x7f : e == 0x1f)
		v = (t == __MT_E5M2 && m == 0) ? INFINITY : NAN;
	else
		v = e ? ldexp(1.0 + ldexp((double)m, -f.mbits), (int)e - f.bias) :
			ldexp((double)m, 1 - f.bias - f.mbits);
	return b & 0x80u ? -v : v;
}

/* Two FP8 values in one x2 word: the first (.x) in the low byte. */
__MUSA_FN __mt_fp8x2_storage_t __musa_fp8x2_pack(__mt_fp8_storage_t lo, __mt_fp8_storage_t hi)
{
	return (__mt_fp8x2_storage_t)(lo | (unsigned)hi << 8);
}

/* CUDA's conversion functions */
__MUSA_FN __mt_fp8_storage_t __mt_cvt_float_to_fp8(float x, __mt_saturation_t s, __mt_fp8_interpretation_t t)
{
	return __mt_cvt_double_to_fp8((double)x, s, t);
}
__MUSA_FN __mt_fp8x2_storage_t __mt_cvt_double2_to_fp8x2(double2 x, __mt_saturation_t s,
							__mt_fp8_interpretation_t t)
{
	return __musa_fp8x2_pack(__mt_cvt_double_to_fp8(x.x, s, t), __mt_cvt_double_to_fp8(x.y, s, t));
}
__MUSA_FN __mt_fp8x2_storage_t __mt_cvt_float2_to_fp8x2(float2 x, __mt_saturation_t s,
						       __mt_fp8_interpretation_t t)
{
	return __musa_fp8x2_pack(__mt_cvt_float_to_fp8(x.x, s, t), __mt_cvt_float_to_fp8(x.y, s, t));
}
__MUSA_FN __mt_fp8_storage_t __mt_cvt_halfraw_to_fp8(__half_raw x, __mt_saturation_t s,
						    __mt_fp8_interpretation_t t)
{
	return __mt_cvt_double_to_fp8((double)__musa_half_bits2float(x.x), s, t);
}
__MUSA_FN __mt_fp8x2_storage_t __mt_cvt_halfraw2_to_fp8x2(__half2_raw x, __mt_saturation_t s,
							 __mt_fp8_interpretation_t t)
{
	__half_raw lo = { x.x }, hi = { x.y };

	return __musa_fp8x2_pack(__mt_cvt_halfraw_to_fp8(lo, s, t), __mt_cvt_halfraw_to_fp8(hi, s, t));
}
__MUSA_FN __mt_fp8_storage_t __mt_cvt_bfloat16raw_to_fp8(__mt_bfloat16_raw x, __mt_saturation_t s,
							__mt_fp8_interpretation_t t)
{
	return __mt_cvt_double_to_fp8((double)__musa_bf2f(x.x), s, t);
}
__MUSA_FN __mt_fp8x2_storage_t __mt_cvt_bfloat16raw2_to_fp8x2(__mt_bfloat162_raw x, __mt_saturation_t s,
							     __mt_fp8_interpretation_t t)
{
	__mt_bfloat16_raw lo = { x.x }, hi = { x.y };

	return __musa_fp8x2_pack(__mt_cvt_bfloat16raw_to_fp8(lo, s, t),
				 __mt_cvt_bfloat16raw_to_fp8(hi, s, t));
}
/* FP8 -> half is exact: every FP8 value is a half (E4M3's NaN becomes
 * half's canonical NaN). */
__MUSA_FN __half_raw __mt_cvt_fp8_to_halfraw(__mt_fp8_storage_t x, __mt_fp8_interpretation_t t)
{
	__half_raw r;

	r.x = __musa_float2half_bits((float)__musa_fp8_to_double(x, t));
	return r;
}
__MUSA_FN __half2_raw __mt_cvt_fp8x2_to_halfraw2(__mt_fp8x2_storage_t x, __mt_fp8_interpretation_t t)
{
	__half2_raw r;

	r.x = __mt_cvt_fp8_to_halfraw((__mt_fp8_storage_t)x, t).x;
	r.y = __mt_cvt_fp8_to_halfraw((__mt_fp8_storage_t)(x >> 8), t).x;
	return r;
}

#if defined(__cplusplus)
/* the classes: construction saturates to finite, as CUDA's does */
#define __MUSA_FP8_CLASSES(fmt, T)                                                      \
	struct __attribute__((aligned(1))) __mt_fp8_##fmt {                            \
		__mt_fp8_storage_t __x;                                                \
		__mt_fp8_##fmt() = default;                                            \
		explicit __mt_fp8_##fmt(double v) : __x(__mt_cvt_double_to_fp8(v, __MT_SATFINITE, T)) {} \
		explicit __mt_fp8_##fmt(float v) : __x(__mt_cvt_float_to_fp8(v, __MT_SATFINITE, T)) {} \
		explicit __mt_fp8_##fmt(__half v) : __x(__mt_cvt_float_to_fp8(__half2float(v), __MT_SATFINITE, T)) {} \
		explicit __mt_fp8_##fmt(__mt_bfloat16 v) : __x(__mt_cvt_float_to_fp8(__bfloat162float(v), __MT_SATFINITE, T)) {} \
		explicit __mt_fp8_##fmt(int v) : __x(__mt_cvt_double_to_fp8((double)v, __MT_SATFINITE, T)) {} \
		explicit __mt_fp8_##fmt(unsigned int v) : __x(__mt_cvt_double_to_fp8((double)v, __MT_SATFINITE, T)) {} \
		explicit __mt_fp8_##fmt(long long v) : __x(__mt_cvt_double_to_fp8((double)v, __MT_SATFINITE, T)) {} \
		explicit operator float() const { return (float)__musa_fp8_to_double(__x, T); } \
		explicit operator double() const { return __musa_fp8_to_double(__x, T); } \
		explicit operator __half() const { return __half((float)__musa_fp8_to_double(__x, T)); } \
		explicit operator __mt_bfloat16() const { return __mt_bfloat16((float)__musa_fp8_to_double(__x, T)); } \
		explicit operator int() const                                          \
		{ double d = __musa_fp8_to_double(__x, T); return d != d ? 0 : (int)d; } \
		explicit operator bool() const { return (__x & 0x7fu) != 0; }          \
	};                                                                             \
	struct __attribute__((aligned(2))) __mt_fp8x2_##fmt {                          \
		__mt_fp8x2_storage_t __x;                                              \
		__mt_fp8x2_##fmt() = default;                                          \
		explicit __mt_fp8x2_##fmt(float2 v) : __x(__mt_cvt_float2_to_fp8x2(v, __MT_SATFINITE, T)) {} \
		explicit __mt_fp8x2_##fmt(double2 v) : __x(__mt_cvt_double2_to_fp8x2(v, __MT_SATFINITE, T)) {} \
		explicit operator float2() const                                       \
		{ return make_float2((float)__musa_fp8_to_double((__mt_fp8_storage_t)__x, T), \
				     (float)__musa_fp8_to_double((__mt_fp8_storage_t)(__x >> 8), T)); } \
		explicit operator __half2_raw() const { return __mt_cvt_fp8x2_to_halfraw2(__x, T); } \
	};                                                                             \
	struct __attribute__((aligned(4))) __mt_fp8x4_##fmt {                          \
		__mt_fp8x4_storage_t __x;                                              \
		__mt_fp8x4_##fmt() = default;                                          \
		explicit __mt_fp8x4_##fmt(float4 v)                                    \
			: __x(__mt_cvt_float2_to_fp8x2(make_float2(v.x, v.y), __MT_SATFINITE, T) | \
			      (unsigned)__mt_cvt_float2_to_fp8x2(make_float2(v.z, v.w), __MT_SATFINITE, T) << 16) {} \
		explicit operator float4() const                                       \
		{ return make_float4((float)__musa_fp8_to_double((__mt_fp8_storage_t)__x, T), \
				     (float)__musa_fp8_to_double((__mt_fp8_storage_t)(__x >> 8), T), \
				     (float)__musa_fp8_to_double((__mt_fp8_storage_t)(__x >> 16), T), \
				     (float)__musa_fp8_to_double((__mt_fp8_storage_t)(__x >> 24), T)); } \
	};
__MUSA_FP8_CLASSES(e4m3, __MT_E4M3)
__MUSA_FP8_CLASSES(e5m2, __MT_E5M2)
#undef __MUSA_FP8_CLASSES
#endif

#endif /* MUSA_FP8_H */
