/* SPDX-License-Identifier: MIT */
/*
 * test_math.mu - the CUDA math API on the device: the CUDA-only functions
 * against identities and known values, the explicitly rounded intrinsics
 * against the neighbouring representable values, and the conversions'
 * rounding and saturation.
 */
#include <float.h>
#include <limits.h>

#include "dev_test.h"

#define NX 16
#define NR 24

__global__ void k_float_fns(const float *x, float *o)
{
	int i = threadIdx.x;
	float v = x[i], s, c, sp, cp;
	float *r = o + i * NR;

	sincosf(v, &s, &c);
	sincospif(v, &sp, &cp);
	r[0] = rsqrtf(fabsf(v) + 1.0f);
	r[1] = rcbrtf(fabsf(v) + 1.0f);
	r[2] = s;
	r[3] = c;
	r[4] = sp;
	r[5] = cp;
	r[6] = sinpif(v);
	r[7] = cospif(v);
	r[8] = exp10f(v * 0.1f);
	r[9] = __expf(v * 0.1f);
	r[10] = __logf(fabsf(v) + 1.0f);
	r[11] = __powf(2.0f, v * 0.25f);
	r[12] = __fdividef(v, 3.0f);
	r[13] = __saturatef(v * 0.1f);
	r[14] = erfinvf(erff(v * 0.1f));
	r[15] = normcdfinvf(normcdff(v * 0.1f));
	r[16] = norm3df(v, 2.0f * v, 2.0f * v);
	r[17] = rnorm3df(v + 1.0f, 0.0f, 0.0f);
	r[18] = fmaf(v, v, -1.0f);
	r[19] = fminf(v, 1.0f) + fmaxf(v, -1.0f);
	r[20] = lgammaf(fabsf(v) + 1.0f);
	r[21] = rhypotf(3.0f * v, 4.0f * v);
	r[22] = erfcxf(fabsf(v));
	r[23] = cbrtf(v);
}

static int close_f(float a, double want, double rel)
{
	return fabs((double)a - want) <= rel * fabs(want) + 1e-6;
}

START_TEST(float_math)
{
	static const float x[NX] = {0.0f, 1.0f, -1.0f, 0.5f, -0.5f, 2.0f, 2.5f, -3.0f, 7.25f,
				    10.0f, -13.5f, 0.125f, 100.0f, 3.75f, -0.25f, 6.0f};
	float got[NX * NR];
	float *dx = (float *)dev_alloc(sizeof(x)), *d = (float *)dev_alloc(sizeof(got));
	int i;

	dev_put(dx, x, sizeof(x));
	k_float_fns<<<1, NX>>>(dx, d);
	DEV_SYNC();
	dev_get(got, d, sizeof(got));
	for (i = 0; i < NX; i++) {
		double v = x[i], pi = 3.14159265358979323846;
		float *r = got + i * NR;

		ck_assert(close_f(r[0], 1.0 / sqrt(fabs(v) + 1.0), 1e-6));
		ck_assert(close_f(r[1], 1.0 / cbrt(fabs(v) + 1.0), 1e-6));
		ck_assert(close_f(r[2], sin(v), 1e-6) && close_f(r[3], cos(v), 1e-6));
		ck_assert(close_f(r[4], sin(pi * v), 1e-5) && close_f(r[5], cos(pi * v), 1e-5));
		/* exact at integers and half-integers */
		if (v == floor(v)) {
			ck_assert(r[4] == 0.0f && r[6] == 0.0f);
			ck_assert(r[5] == (fmod(fabs(v), 2.0) == 0.0 ? 1.0f : -1.0f));
		}
		if (v - floor(v) == 0.5)
			ck_assert(r[5] == 0.0f && fabsf(r[4]) == 1.0f);
		ck_assert(r[6] == r[4] && r[7] == r[5]);
		ck_assert(close_f(r[8], pow(10.0, (float)(v * 0.1f)), 1e-6));
		ck_assert(close_f(r[9], exp((float)(v * 0.1f)), 1e-6));
		ck_assert(close_f(r[10], log(fabs(v) + 1.0), 1e-6));
		ck_assert(close_f(r[11], pow(2.0, v * 0.25), 1e-6));
		ck_assert(close_f(r[12], v / 3.0, 1e-6));
		ck_assert(r[13] == (v * 0.1f >= 1.0f ? 1.0f : v < 0.0 ? 0.0f : (float)v * 0.1f));
		/* round trips while erff / normcdff are not yet 1 in float */
		if (fabs(v) < 30.0) {
			ck_assert_msg(close_f(r[14], (float)(v * 0.1f), 1e-5), "erfinvf %d: %g", i, r[14]);
			ck_assert_msg(close_f(r[15], (float)(v * 0.1f), 1e-4), "normcdfinvf %d: %g", i,
				      r[15]);
		}
		ck_assert(close_f(r[16], 3.0 * fabs(v), 1e-6));
		ck_assert(close_f(r[17], 1.0 / fabs(v + 1.0), 1e-6) || v == -1.0);
		ck_assert(r[18] == fmaf((float)v, (float)v, -1.0f));
		ck_assert(r[19] == (float)(fmin(v, 1.0) + fmax(v, -1.0)));
		ck_assert(close_f(r[20], lgamma(fabs(v) + 1.0), 1e-5));
		ck_assert(v == 0.0 || close_f(r[21], 1.0 / (5.0 * fabs(v)), 1e-6));
		ck_assert_msg(close_f(r[22], exp(v * v) * erfc(fabs(v)), 1e-5) || fabs(v) > 5.0,
			      "erfcxf %d: %g", i, r[22]);
		ck_assert(close_f(r[23], cbrt(v), 1e-6));
	}
	MUSA_OK(musaFree(dx));
	MUSA_OK(musaFree(d));
}
END_TEST

__global__ void k_double_fns(double *o)
{
	double s, c;

	o[0] = rsqrt(4.0);
	o[1] = rcbrt(27.0);
	o[2] = sinpi(1e15 + 0.5);
	o[3] = cospi(-7.0);
	sincospi(0.25, &s, &c);
	o[4] = s - c;
	o[5] = erfinv(erf(0.3));
	o[6] = erfcinv(erfc(5.0));
	o[7] = erfcx(30.0) * 30.0 * 1.7724538509055160273;
	o[8] = normcdf(0.0);
	o[9] = normcdfinv(0.975);
	o[10] = norm3d(1e300, 1e300, 1e300);
	o[11] = norm4d(1.0, 2.0, 2.0, 4.0);
	o[12] = rnorm4d(1.0, 2.0, 2.0, 4.0);
	{
		const double v[4] = {3.0, 4.0, 12.0, 84.0};

		o[13] = norm(4, v);
		o[14] = rnorm(2, v);
	}
	o[15] = cyl_bessel_i0(1.0);
	o[16] = cyl_bessel_i1(2.0);
	o[17] = rhypot(3.0, 4.0);
	o[18] = exp10(2.0);
	o[19] = erfcinv(2.0);
}

START_TEST(double_math_known_values)
{
	double got[20];
	double *d = (double *)dev_alloc(sizeof(got));

	k_double_fns<<<1, 1>>>(d);
	DEV_SYNC();
	dev_get(got, d, sizeof(got));
	ck_assert(got[0] == 0.5);
	ck_assert(fabs(got[1] - 1.0 / 3.0) < 1e-15);
	ck_assert(got[2] == 1.0);
	ck_assert(got[3] == -1.0);
	ck_assert(fabs(got[4]) < 1e-15);
	ck_assert(fabs(got[5] - 0.3) < 1e-15);
	ck_assert(fabs(got[6] - 5.0) < 1e-12);
	ck_assert_msg(fabs(got[7] - (1.0 - 1.0 / 1800.0 + 3.0 / (4.0 * 810000.0))) < 1e-8, "%.17g", got[7]);
	ck_assert(got[8] == 0.5);
	ck_assert(fabs(got[9] - 1.959963984540054) < 1e-12);
	ck_assert(fabs(got[10] / (1e300 * sqrt(3.0)) - 1.0) < 1e-15);
	ck_assert(got[11] == 5.0 && fabs(got[12] - 0.2) < 1e-16);
	ck_assert(got[13] == 85.0 && fabs(got[14] - 0.2) < 1e-16);
	ck_assert(fabs(got[15] - 1.2660658777520082) < 1e-15);
	ck_assert(fabs(got[16] - 1.5906368546373291) < 1e-15);
	ck_assert(got[17] == 0.2);
	ck_assert(fabs(got[18] - 100.0) < 1e-13);
	ck_assert(isinf(got[19]) && got[19] < 0);
	MUSA_OK(musaFree(d));
}
END_TEST

/* Directed rounding brackets the exact result by one ulp. */
__global__ void k_rounded(float *f, double *d)
{
	float third = 1.0f / 3.0f;

	f[0] = __fadd_rd(1.0f, 1e-10f);
	f[1] = __fadd_ru(1.0f, 1e-10f);
	f[2] = __fadd_rz(-1.0f, -1e-10f);
	f[3] = __fmul_rd(third, 3.0f);
	f[4] = __fmul_ru(third, 3.0f);
	f[5] = __fdiv_rd(1.0f, 3.0f);
	f[6] = __fdiv_ru(1.0f, 3.0f);
	f[7] = __fsqrt_rd(2.0f);
	f[8] = __fsqrt_ru(2.0f);
	f[9] = __frcp_rz(3.0f);
	f[10] = __fmaf_rd(third, third, 1e-3f);
	f[11] = __fmaf_ru(third, third, 1e-3f);
	f[12] = __fadd_rn(1.0f, 1e-10f);
	f[13] = __fsub_ru(1.0f, 1e-10f);
	d[0] = __dadd_rd(1.0, 1e-20);
	d[1] = __dadd_ru(1.0, 1e-20);
	d[2] = __ddiv_rz(-1.0, 3.0);
	d[3] = __ddiv_rd(-1.0, 3.0);
	d[4] = __dsqrt_ru(2.0);
	d[5] = __fma_rn(0.1, 10.0, -1.0);
	d[6] = __drcp_ru(3.0);
	d[7] = __dmul_rz(1.0 / 3.0, 3.0);
}

START_TEST(directed_rounding)
{
	float f[14];
	double d[8];
	float *df = (float *)dev_alloc(sizeof(f));
	double *dd = (double *)dev_alloc(sizeof(d));

	k_rounded<<<1, 1>>>(df, dd);
	DEV_SYNC();
	dev_get(f, df, sizeof(f));
	dev_get(d, dd, sizeof(d));
	ck_assert(f[0] == 1.0f && f[1] == nextafterf(1.0f, 2.0f));
	ck_assert(f[2] == -1.0f);
	ck_assert(f[3] < f[4] && nextafterf(f[3], 2.0f) == f[4]);
	ck_assert(f[5] < f[6] && nextafterf(f[5], 1.0f) == f[6] && f[5] <= 1.0 / 3.0 && f[6] >= 1.0 / 3.0);
	ck_assert(nextafterf(f[7], 2.0f) == f[8] && (double)f[7] * f[7] < 2.0 && (double)f[8] * f[8] > 2.0);
	ck_assert(f[9] == f[5]);
	ck_assert(nextafterf(f[10], 1.0f) == f[11]);
	ck_assert((double)f[10] < (double)(1.0f / 3.0f) * (1.0f / 3.0f) + (double)1e-3f);
	ck_assert((double)f[11] > (double)(1.0f / 3.0f) * (1.0f / 3.0f) + (double)1e-3f);
	ck_assert(f[12] == 1.0f && f[13] == 1.0f);
	ck_assert(d[0] == 1.0 && d[1] == nextafter(1.0, 2.0));
	ck_assert(d[3] == nextafter(d[2], -1.0) && d[2] > -1.0 / 3.0 - 1e-16);
	ck_assert(d[4] * d[4] > 2.0 && nextafter(d[4], 0.0) * nextafter(d[4], 0.0) < 2.0);
	ck_assert(d[5] == fma(0.1, 10.0, -1.0) && d[5] != 0.0);
	ck_assert(d[6] == nextafter(1.0 / 3.0, 1.0)); /* 1/3 rounds down to nearest */
	ck_assert(d[7] < 1.0);
	MUSA_OK(musaFree(df));
	MUSA_OK(musaFree(dd));
}
END_TEST

__global__ void k_convert(const float *x, int *oi, unsigned *ou, long long *oll, float *of)
{
	int i = threadIdx.x;
	float v = x[i];

	oi[i * 4 + 0] = __float2int_rn(v);
	oi[i * 4 + 1] = __float2int_rz(v);
	oi[i * 4 + 2] = __float2int_ru(v);
	oi[i * 4 + 3] = __float2int_rd(v);
	ou[i] = __float2uint_rn(v);
	oll[i] = __double2ll_rz((double)v * 1e9);
	of[i * 4 + 0] = __int2float_rz(16777217 + i);
	of[i * 4 + 1] = __int2float_ru(16777217 + i);
	of[i * 4 + 2] = __ull2float_rd(0xffffffffffffffffull);
	of[i * 4 + 3] = __int_as_float(__float_as_int(v) ^ (int)0x80000000);
}

START_TEST(conversions_round_and_saturate)
{
	static const float x[8] = {2.5f, 3.5f, -2.5f, -2.7f, 1e10f, -1e10f, NAN, 2.1f};
	static const int want_i[8][4] = {
		{2, 2, 3, 2}, {4, 3, 4, 3}, {-2, -2, -2, -3}, {-3, -2, -2, -3},
		{INT_MAX, INT_MAX, INT_MAX, INT_MAX}, {INT_MIN, INT_MIN, INT_MIN, INT_MIN},
		{0, 0, 0, 0}, {2, 2, 3, 2}};
	static const unsigned want_u[8] = {2, 4, 0, 0, UINT_MAX, 0, 0, 2};
	int gi[32], i, k;
	unsigned gu[8];
	long long gll[8];
	float gf[32];
	float *dx = (float *)dev_alloc(sizeof(x)), *df = (float *)dev_alloc(sizeof(gf));
	int *di = (int *)dev_alloc(sizeof(gi));
	unsigned *du = (unsigned *)dev_alloc(sizeof(gu));
	long long *dll = (long long *)dev_alloc(sizeof(gll));

	dev_put(dx, x, sizeof(x));
	k_convert<<<1, 8>>>(dx, di, du, dll, df);
	DEV_SYNC();
	dev_get(gi, di, sizeof(gi));
	dev_get(gu, du, sizeof(gu));
	dev_get(gll, dll, sizeof(gll));
	dev_get(gf, df, sizeof(gf));
	for (i = 0; i < 8; i++) {
		for (k = 0; k < 4; k++)
			ck_assert_msg(gi[i * 4 + k] == want_i[i][k], "x=%g mode %d: %d", x[i], k,
				      gi[i * 4 + k]);
		ck_assert_uint_eq(gu[i], want_u[i]);
	}
	ck_assert(gll[0] == 2500000000ll && gll[4] == LLONG_MAX && gll[5] == LLONG_MIN && gll[6] == 0);
	ck_assert(gf[0] == 16777216.0f && gf[1] == 16777218.0f);
	ck_assert(gf[2] == nextafterf(18446744073709551616.0f, 0.0f));
	ck_assert(gf[3] == -2.5f);
	MUSA_OK(musaFree(dx));
	MUSA_OK(musaFree(df));
	MUSA_OK(musaFree(di));
	MUSA_OK(musaFree(du));
	MUSA_OK(musaFree(dll));
}
END_TEST

/* min and max overloads, mixed signedness included. */
__global__ void k_minmax(long long *o)
{
	int a = -5;
	unsigned b = 3u;

	o[0] = min(a, 7);
	o[1] = max(a, 7);
	o[2] = (long long)min(a, b); /* compared as unsigned, as C++ does */
	o[3] = max(2ull, 9ull);
	o[4] = (long long)(min(1.5f, -2.5f) * 10.0f);
	o[5] = (long long)(max(1.5, 2.5) * 10.0);
	o[6] = min(-3ll, 4ll);
}

START_TEST(min_max_overloads)
{
	long long g[7];
	long long *d = (long long *)dev_alloc(sizeof(g));

	k_minmax<<<1, 1>>>(d);
	DEV_SYNC();
	dev_get(g, d, sizeof(g));
	ck_assert(g[0] == -5 && g[1] == 7 && g[2] == 3 && g[3] == 9);
	ck_assert(g[4] == -25 && g[5] == 25 && g[6] == -3);
	MUSA_OK(musaFree(d));
}
END_TEST

DEV_TEST_MAIN("device_math", float_math, double_math_known_values, directed_rounding,
	      conversions_round_and_saturate, min_max_overloads)
