/* SPDX-License-Identifier: MIT */
/*
 * musa_math.h - the CUDA math API for kernel code: what <math.h> lacks
 * (rsqrtf, sinpif, erfinvf, normcdff, norm3df, ...), the fast and the
 * explicitly rounded intrinsics (__expf, __fdividef, __fadd_rz, ...), the
 * conversion intrinsics (__float2int_rn, __int_as_float, ...) and, in C++,
 * min/max and float overloads of the CUDA-only double functions.
 *
 * The software device computes in IEEE float and double, so the fast
 * intrinsics are the accurate functions (CUDA only bounds their error) and
 * everything here gives the same result in the host and device passes.
 * Functions glibc declares itself under _GNU_SOURCE (exp10f, sincosf, ...)
 * are defined here only when it did not. Included by
 * musa_device_functions.h.
 */
#ifndef MUSA_MATH_H
#define MUSA_MATH_H

#include <fenv.h>
#include <math.h>
#include <stdint.h>

#ifndef __MUSA_FN
#define __MUSA_FN static __inline__ __attribute__((always_inline, unused))
#endif
/* Larger helpers: inlining them everywhere would only grow the code. */
#define __MUSA_MATH_FN static __inline__ __attribute__((unused))

#define __MUSA_PI 3.14159265358979323846
#define __MUSA_SQRT2 1.41421356237309504880
#define __MUSA_2_SQRTPI 1.12837916709551257390

/* bit casts */
#define __MUSA_BITCAST(name, From, To)                                        \
	__MUSA_FN To name(From x) { To r; __builtin_memcpy(&r, &x, sizeof(r)); return r; }
__MUSA_BITCAST(__int_as_float, int, float)
__MUSA_BITCAST(__float_as_int, float, int)
__MUSA_BITCAST(__uint_as_float, unsigned int, float)
__MUSA_BITCAST(__float_as_uint, float, unsigned int)
__MUSA_BITCAST(__longlong_as_double, long long, double)
__MUSA_BITCAST(__double_as_longlong, double, long long)
#undef __MUSA_BITCAST
__MUSA_FN int __double2hiint(double d) { return (int)(__double_as_longlong(d) >> 32); }
__MUSA_FN int __double2loint(double d) { return (int)__double_as_longlong(d); }
__MUSA_FN double __hiloint2double(int hi, int lo)
{
	return __longlong_as_double((long long)(((uint64_t)(uint32_t)hi << 32) | (uint32_t)lo));
}

/* explicitly rounded arithmetic */
/* _rn is the CPU's default mode. The directed modes switch the FPU rounding
 * mode around one operation; the operands and result pass through volatile
 * objects so the compiler cannot move the arithmetic past fesetround. */
#define __MUSA_ROUNDED2(name, T, mode, op)                                    \
	__MUSA_FN T name(T a, T b)                                            \
	{                                                                     \
		volatile T va = a, vb = b, vr;                                \
		int old = fegetround();                                       \
		fesetround(mode);                                             \
		vr = va op vb;                                                \
		fesetround(old);                                              \
		return vr;                                                    \
	}
#define __MUSA_ROUNDED1(name, T, mode, fn)                                    \
	__MUSA_FN T name(T a)                                                 \
	{                                                                     \
		volatile T va = a, vr;                                        \
		int old = fegetround();                                       \
		fesetround(mode);                                             \
		vr = fn(va);                                                  \
		fesetround(old);                                              \
		return vr;                                                    \
	}
#define __MUSA_ROUNDED3(name, T, mode, fn)                                    \
	__MUSA_FN T name(T a, T b, T c)                                       \
	{                                                                     \
		volatile T va = a, vb = b, vc = c, vr;                        \
		int old = fegetround();                                       \
		fesetround(mode);                                             \
		vr = fn(va, vb, vc);                                          \
		fesetround(old);                                              \
		return vr;                                                    \
	}
#define __MUSA_ROUNDED_MODES(pfx, T, sqrtfn, fmafn, fmaname)                  \
	__MUSA_FN T pfx##add_rn(T a, T b) { return a + b; }                   \
	__MUSA_FN T pfx##sub_rn(T a, T b) { return a - b; }                   \
	__MUSA_FN T pfx##mul_rn(T a, T b) { return a * b; }                   \
	__MUSA_FN T pfx##div_rn(T a, T b) { return a / b; }                   \
	__MUSA_FN T pfx##rcp_rn(T a) { return (T)1 / a; }                     \
	__MUSA_FN T pfx##sqrt_rn(T a) { return sqrtfn(a); }                   \
	__MUSA_FN T fmaname##_rn(T a, T b, T c) { return fmafn(a, b, c); }    \
	__MUSA_ROUNDED_MODE(pfx, T, rz, FE_TOWARDZERO, sqrtfn, fmafn, fmaname) \
	__MUSA_ROUNDED_MODE(pfx, T, ru, FE_UPWARD, sqrtfn, fmafn, fmaname)    \
	__MUSA_ROUNDED_MODE(pfx, T, rd, FE_DOWNWARD, sqrtfn, fmafn, fmaname)
#define __MUSA_ROUNDED_MODE(pfx, T, m, mode, sqrtfn, fmafn, fmaname)          \
	__MUSA_ROUNDED2(pfx##add_##m, T, mode, +)                             \
	__MUSA_ROUNDED2(pfx##sub_##m, T, mode, -)                             \
	__MUSA_ROUNDED2(pfx##mul_##m, T, mode, *)                             \
	__MUSA_ROUNDED2(pfx##div_##m, T, mode, /)                             \
	__MUSA_FN T pfx##rcp_##m(T a) { return pfx##div_##m((T)1, a); }       \
	__MUSA_ROUNDED1(pfx##sqrt_##m, T, mode, sqrtfn)                       \
	__MUSA_ROUNDED3(fmaname##_##m, T, mode, fmafn)
/* CUDA spells the fused ones __fmaf_r? (float) and __fma_r? (double). */
__MUSA_ROUNDED_MODES(__f, float, sqrtf, fmaf, __fmaf)
__MUSA_ROUNDED_MODES(__d, double, sqrt, fma, __fma)
#undef __MUSA_ROUNDED_MODES
#undef __MUSA_ROUNDED_MODE
#undef __MUSA_ROUNDED1
#undef __MUSA_ROUNDED2
#undef __MUSA_ROUNDED3

/* conversions */
/* Float to integer saturates to the type's range and turns NaN into 0, as
 * the GPU's cvt instruction does (a C cast would be undefined). */
#define __MUSA_F2I(name, F, I, lo, hi, rnd)                                   \
	__MUSA_FN I name(F x)                                                 \
	{                                                                     \
		F r = rnd(x);                                                 \
		if (r != r)                                                   \
			return 0;                                             \
		if (r <= (F)(lo))                                             \
			return (lo);                                          \
		if (r >= (F)(hi))                                             \
			return (hi);                                          \
		return (I)r;                                                  \
	}
#define __MUSA_F2I_MODES(from, F, to, I, lo, hi, s)                           \
	__MUSA_F2I(__##from##2##to##_rn, F, I, lo, hi, rint##s)               \
	__MUSA_F2I(__##from##2##to##_rz, F, I, lo, hi, trunc##s)              \
	__MUSA_F2I(__##from##2##to##_ru, F, I, lo, hi, ceil##s)               \
	__MUSA_F2I(__##from##2##to##_rd, F, I, lo, hi, floor##s)
__MUSA_F2I_MODES(float, float, int, int, INT32_MIN, INT32_MAX, f)
__MUSA_F2I_MODES(float, float, uint, unsigned int, 0u, UINT32_MAX, f)
__MUSA_F2I_MODES(float, float, ll, long long, INT64_MIN, INT64_MAX, f)
__MUSA_F2I_MODES(float, float, ull, unsigned long long, 0ull, UINT64_MAX, f)
__MUSA_F2I_MODES(double, double, int, int, INT32_MIN, INT32_MAX, )
__MUSA_F2I_MODES(double, double, uint, unsigned int, 0u, UINT32_MAX, )
__MUSA_F2I_MODES(double, double, ll, long long, INT64_MIN, INT64_MAX, )
__MUSA_F2I_MODES(double, double, ull, unsigned long long, 0ull, UINT64_MAX, )
#undef __MUSA_F2I_MODES
#undef __MUSA_F2I
__MUSA_FN float __float2int_as_float(float x) { return rintf(x); }

/* Integer (or double) to a narrower float type, in each rounding mode. */
#define __MUSA_CVT(name, From, To, mode)                                      \
	__MUSA_FN To name(From x)                                             \
	{                                                                     \
		volatile From vx = x;                                         \
		volatile To vr;                                               \
		int old = fegetround();                                       \
		fesetround(mode);                                             \
		vr = (To)vx;                                                  \
		fesetround(old);                                              \
		return vr;                                                    \
	}
#define __MUSA_CVT_MODES(from, From, to, To)                                  \
	__MUSA_FN To __##from##2##to##_rn(From x) { return (To)x; }           \
	__MUSA_CVT(__##from##2##to##_rz, From, To, FE_TOWARDZERO)             \
	__MUSA_CVT(__##from##2##to##_ru, From, To, FE_UPWARD)                 \
	__MUSA_CVT(__##from##2##to##_rd, From, To, FE_DOWNWARD)
__MUSA_CVT_MODES(int, int, float, float)
__MUSA_CVT_MODES(uint, unsigned int, float, float)
__MUSA_CVT_MODES(ll, long long, float, float)
__MUSA_CVT_MODES(ull, unsigned long long, float, float)
__MUSA_CVT_MODES(ll, long long, double, double)
__MUSA_CVT_MODES(ull, unsigned long long, double, double)
__MUSA_CVT_MODES(double, double, float, float)
#undef __MUSA_CVT_MODES
#undef __MUSA_CVT
/* Exact conversions: one mode is all CUDA has. */
__MUSA_FN double __int2double_rn(int x) { return (double)x; }
__MUSA_FN double __uint2double_rn(unsigned int x) { return (double)x; }

/* fast intrinsics */
/* glibc declares __expf, __logf, ... itself (its libm's internal aliases),
 * so these are macros onto the accurate functions. */
#define __expf(x)            expf(x)
#define __exp10f(x)          exp10f(x)
#define __logf(x)            logf(x)
#define __log2f(x)           log2f(x)
#define __log10f(x)          log10f(x)
#define __sinf(x)            sinf(x)
#define __cosf(x)            cosf(x)
#define __tanf(x)            tanf(x)
#define __sincosf(x, s, c)   sincosf((x), (s), (c))
#define __powf(a, b)         powf((a), (b))
__MUSA_FN float __fdividef(float a, float b) { return a / b; }
__MUSA_FN float fdividef(float a, float b) { return a / b; }
__MUSA_FN double fdivide(double a, double b) { return a / b; }
/* Clamps to [0, 1]; NaN gives 0, as on the GPU. */
__MUSA_FN float __saturatef(float x) { return x >= 1.0f ? 1.0f : (x > 0.0f ? x : 0.0f); }

/* GNU extensions, defined only where glibc did not declare them */
#if !defined(__USE_GNU)
__MUSA_FN float exp10f(float x) { return (float)pow(10.0, (double)x); }
__MUSA_FN double exp10(double x) { return pow(10.0, x); }
__MUSA_FN void sincosf(float x, float *s, float *c) { *s = sinf(x); *c = cosf(x); }
__MUSA_FN void sincos(double x, double *s, double *c) { *s = sin(x); *c = cos(x); }
#endif

/* the CUDA-only functions, in double; float versions round from them */
__MUSA_FN double rsqrt(double x) { return 1.0 / sqrt(x); }
__MUSA_FN float rsqrtf(float x) { return (float)(1.0 / sqrt((double)x)); }
__MUSA_FN double rcbrt(double x) { return 1.0 / cbrt(x); }
__MUSA_FN float rcbrtf(float x) { return (float)(1.0 / cbrt((double)x)); }
__MUSA_FN double rhypot(double a, double b) { return 1.0 / hypot(a, b); }
__MUSA_FN float rhypotf(float a, float b) { return (float)(1.0 / hypot(a, b)); }
__MUSA_FN double norm3d(double a, double b, double c) { return hypot(hypot(a, b), c); }
__MUSA_FN float norm3df(float a, float b, float c)
{
	return (float)sqrt((double)a * a + (double)b * b + (double)c * c);
}
__MUSA_FN double rnorm3d(double a, double b, double c) { return 1.0 / norm3d(a, b, c); }
__MUSA_FN float rnorm3df(float a, float b, float c)
{
	return (float)(1.0 / sqrt((double)a * a + (double)b * b + (double)c * c));
}
__MUSA_FN double norm4d(double a, double b, double c, double d)
{
	return hypot(hypot(a, b), hypot(c, d));
}
__MUSA_FN float norm4df(float a, float b, float c, float d)
{
	return (float)sqrt((double)a * a + (double)b * b + (double)c * c + (double)d * d);
}
__MUSA_FN double rnorm4d(double a, double b, double c, double d) { return 1.0 / norm4d(a, b, c, d); }
__MUSA_FN float rnorm4df(float a, float b, float c, float d)
{
	return (float)(1.0 / sqrt((double)a * a + (double)b * b + (double)c * c + (double)d * d));
}

/* Euclidean norm of dim elements, scaled by the largest so that no square
 * overflows or underflows. */
__MUSA_MATH_FN double norm(int dim, const double *p)
{
	double m = 0.0, s = 0.0;
	int i;

	for (i = 0; i < dim; i++)
		m = fmax(m, fabs(p[i]));
	if (m == 0.0 || isinf(m))
		return m;
	for (i = 0; i < dim; i++)
		s += (p[i] / m) * (p[i] / m);
	return m * sqrt(s);
}
__MUSA_MATH_FN float normf(int dim, const float *p)
{
	double s = 0.0;
	int i;

	for (i = 0; i < dim; i++)
		s += (double)p[i] * p[i];
	return (float)sqrt(s);
}
__MUSA_FN double rnorm(int dim, const double *p) { return 1.0 / norm(dim, p); }
__MUSA_FN float rnormf(int dim, const float *p) { return 1.0f / normf(dim, p); }

/* sin(pi x) and cos(pi x), exact at integers and half-integers: x is
 * reduced exactly to r in [-1/4, 1/4] plus q quarter turns before pi is
 * applied. Row q: the sign and which of sin(pi r) / cos(pi r) each is. */
__MUSA_MATH_FN void sincospi(double x, double *s, double *c)
{
	static const signed char sin_sign[4] = {1, 1, -1, -1}, sin_is_cos[4] = {0, 1, 0, 1};
	static const signed char cos_sign[4] = {1, -1, -1, 1}, cos_is_cos[4] = {1, 0, 1, 0};
	double y, n, r, sr, cr;
	int q;

	if (isinf(x) || isnan(x)) {
		*s = *c = x - x;
		return;
	}
	y = fmod(x, 2.0);
	n = rint(2.0 * y);
	r = y - 0.5 * n;
	q = (int)n & 3;
	sr = sin(__MUSA_PI * r);
	cr = cos(__MUSA_PI * r);
	*s = sin_sign[q] * (sin_is_cos[q] ? cr : sr);
	*c = cos_sign[q] * (cos_is_cos[q] ? cr : sr);
	/* IEEE 754's sinPi/cosPi: zeros carry x's sign, resp. are +0. */
	if (*s == 0.0)
		*s = copysign(0.0, x);
	if (*c == 0.0)
		*c = 0.0;
}
__MUSA_FN double sinpi(double x) { double s, c; sincospi(x, &s, &c); return s; }
__MUSA_FN double cospi(double x) { double s, c; sincospi(x, &s, &c); return c; }
__MUSA_FN void sincospif(float x, float *s, float *c)
{
	double sd, cd;

	sincospi(x, &sd, &cd);
	*s = (float)sd;
	*c = (float)cd;
}
__MUSA_FN float sinpif(float x) { return (float)sinpi(x); }
__MUSA_FN float cospif(float x) { return (float)cospi(x); }

/* The inverse error functions: a first guess from Giles' single precision
 * approximation, then Newton steps on erf (or erfc in the tails, where
 * 1 - y is exact and erf has no precision left). */
__MUSA_MATH_FN double __musa_erfinv_guess(double x, double w)
{
	double p;

	if (w < 5.0) {
		w -= 2.5;
		p = 2.81022636e-08;
		p = 3.43273939e-07 + p * w;
		p = -3.5233877e-06 + p * w;
		p = -4.39150654e-06 + p * w;
		p = 0.00021858087 + p * w;
		p = -0.00125372503 + p * w;
		p = -0.00417768164 + p * w;
		p = 0.246640727 + p * w;
		p = 1.50140941 + p * w;
	} else {
		w = sqrt(w) - 3.0;
		p = -0.000200214257;
		p = 0.000100950558 + p * w;
		p = 0.00134934322 + p * w;
		p = -0.00367342844 + p * w;
		p = 0.00573950773 + p * w;
		p = -0.0076224613 + p * w;
		p = 0.00943887047 + p * w;
		p = 1.00167406 + p * w;
		p = 2.83297682 + p * w;
	}
	return p * x;
}

/* erfcinv(y) for y in (0, 2): Newton on erfc(x) = y. */
__MUSA_MATH_FN double erfcinv(double y)
{
	double x;
	int i;

	if (!(y >= 0.0 && y <= 2.0))
		return NAN;
	if (y == 0.0)
		return INFINITY;
	if (y == 2.0)
		return -INFINITY;
	x = __musa_erfinv_guess(1.0 - y, -log(y * (2.0 - y)));
	for (i = 0; i < 4; i++) {
		double d = exp(-x * x) * __MUSA_2_SQRTPI;

		if (d == 0.0)
			break;
		x += (erfc(x) - y) / d;
	}
	return x;
}

__MUSA_MATH_FN double erfinv(double y)
{
	double x;
	int i;

	if (!(y >= -1.0 && y <= 1.0))
		return NAN;
	if (fabs(y) > 0.5)
		return y > 0 ? erfcinv(1.0 - y) : -erfcinv(1.0 + y);
	x = __musa_erfinv_guess(y, -log1p(-y * y));
	for (i = 0; i < 3; i++)
		x -= (erf(x) - y) / (exp(-x * x) * __MUSA_2_SQRTPI);
	return x;
}
__MUSA_FN float erfinvf(float y) { return (float)erfinv(y); }
__MUSA_FN float erfcinvf(float y) { return (float)erfcinv(y); }

/* exp(x^2) erfc(x): for large x an asymptotic series, below that the
 * product with x^2 split into two doubles so its rounding is not lost. */
__MUSA_MATH_FN double erfcx(double x)
{
	if (x < 26.0) {
		double hi = x * x, lo = fma(x, x, -hi);

		return exp(hi) * (1.0 + lo) * erfc(x);
	} else {
		double t = 1.0 / (2.0 * x * x), term = 1.0, sum = 1.0;
		int k;

		for (k = 1; k < 10; k++) {
			term *= -(2.0 * k - 1.0) * t;
			sum += term;
		}
		return sum / (x * 1.77245385090551602730);
	}
}
__MUSA_FN float erfcxf(float x) { return (float)erfcx(x); }

__MUSA_FN double normcdf(double x) { return 0.5 * erfc(-x / __MUSA_SQRT2); }
__MUSA_FN float normcdff(float x) { return (float)normcdf(x); }
__MUSA_FN double normcdfinv(double p) { return -__MUSA_SQRT2 * erfcinv(2.0 * p); }
__MUSA_FN float normcdfinvf(float p) { return (float)normcdfinv(p); }

/* Modified Bessel functions of the first kind, orders 0 and 1: the power
 * series, whose terms are all positive, so it loses no precision. */
__MUSA_MATH_FN double __musa_bessel_i(double x, int order)
{
	double q = 0.25 * x * x, term = order ? 0.5 * fabs(x) : 1.0, sum = term;
	int k;

	if (isinf(x) || isnan(x))
		return fabs(x);
	for (k = 1; k < 2000 && term > sum * 1e-17; k++) {
		term *= q / ((double)k * (k + order));
		sum += term;
	}
	return order && x < 0 ? -sum : sum;
}
__MUSA_FN double cyl_bessel_i0(double x) { return __musa_bessel_i(x, 0); }
__MUSA_FN double cyl_bessel_i1(double x) { return __musa_bessel_i(x, 1); }
__MUSA_FN float cyl_bessel_i0f(float x) { return (float)__musa_bessel_i(x, 0); }
__MUSA_FN float cyl_bessel_i1f(float x) { return (float)__musa_bessel_i(x, 1); }

/* C++: CUDA's overloads */
#if defined(__cplusplus)
__MUSA_FN float rsqrt(float x) { return rsqrtf(x); }
__MUSA_FN float rcbrt(float x) { return rcbrtf(x); }
__MUSA_FN float sinpi(float x) { return sinpif(x); }
__MUSA_FN float cospi(float x) { return cospif(x); }
__MUSA_FN void sincospi(float x, float *s, float *c) { sincospif(x, s, c); }
__MUSA_FN float erfinv(float x) { return erfinvf(x); }
__MUSA_FN float erfcinv(float x) { return erfcinvf(x); }
__MUSA_FN float erfcx(float x) { return erfcxf(x); }
__MUSA_FN float normcdf(float x) { return normcdff(x); }
__MUSA_FN float normcdfinv(float x) { return normcdfinvf(x); }
__MUSA_FN float rhypot(float a, float b) { return rhypotf(a, b); }
__MUSA_FN float norm3d(float a, float b, float c) { return norm3df(a, b, c); }
__MUSA_FN float rnorm3d(float a, float b, float c) { return rnorm3df(a, b, c); }
__MUSA_FN float norm4d(float a, float b, float c, float d) { return norm4df(a, b, c, d); }
__MUSA_FN float rnorm4d(float a, float b, float c, float d) { return rnorm4df(a, b, c, d); }
__MUSA_FN float saturate(float x) { return __saturatef(x); }

/* min and max for every pair of integer types CUDA lists, and floats. With
 * mixed signedness the comparison is done unsigned, as C++ would. */
#define __MUSA_MINMAX(A, B, R)                                                \
	__MUSA_FN R min(A a, B b) { return (R)a < (R)b ? (R)a : (R)b; }       \
	__MUSA_FN R max(A a, B b) { return (R)a > (R)b ? (R)a : (R)b; }
__MUSA_MINMAX(int, int, int)
__MUSA_MINMAX(unsigned int, unsigned int, unsigned int)
__MUSA_MINMAX(int, unsigned int, unsigned int)
__MUSA_MINMAX(unsigned int, int, unsigned int)
__MUSA_MINMAX(long, long, long)
__MUSA_MINMAX(unsigned long, unsigned long, unsigned long)
__MUSA_MINMAX(long, unsigned long, unsigned long)
__MUSA_MINMAX(unsigned long, long, unsigned long)
__MUSA_MINMAX(long long, long long, long long)
__MUSA_MINMAX(unsigned long long, unsigned long long, unsigned long long)
__MUSA_MINMAX(long long, unsigned long long, unsigned long long)
__MUSA_MINMAX(unsigned long long, long long, unsigned long long)
#undef __MUSA_MINMAX
__MUSA_FN float min(float a, float b) { return fminf(a, b); }
__MUSA_FN double min(double a, double b) { return fmin(a, b); }
__MUSA_FN double min(float a, double b) { return fmin(a, b); }
__MUSA_FN double min(double a, float b) { return fmin(a, b); }
__MUSA_FN float max(float a, float b) { return fmaxf(a, b); }
__MUSA_FN double max(double a, double b) { return fmax(a, b); }
__MUSA_FN double max(float a, double b) { return fmax(a, b); }
__MUSA_FN double max(double a, float b) { return fmax(a, b); }
#endif

#undef __MUSA_MATH_FN
#endif /* MUSA_MATH_H */
