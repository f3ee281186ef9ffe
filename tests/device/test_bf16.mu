/* SPDX-License-Identifier: MIT */
/*
 * test_bf16.mu - musa_bf16.h and musa_fp8.h: float -> bfloat16 in the four
 * rounding modes, double -> bfloat16 (one rounding), bfloat16 arithmetic,
 * and float -> FP8 (E4M3, E5M2, saturating or not) and back, computed in a
 * kernel and in host code and checked bit for bit against references
 * written here: nearest of the two (bfloat16) or of all 256 (FP8)
 * candidates, ties to the even code.
 */
#include "dev_test.h"

#include <math.h>
#include <stdint.h>

#include <musa_bf16.h>
#include <musa_fp8.h>

#define NX 2048
#define NO 14

__host__ __device__ static void convert(float x, float y, unsigned *o)
{
	__mt_bfloat16 a = __float2bfloat16(x), b = __float2bfloat16(y);

	o[0] = __float2bfloat16_rn(x).__x;
	o[1] = __float2bfloat16_rz(x).__x;
	o[2] = __float2bfloat16_rd(x).__x;
	o[3] = __float2bfloat16_ru(x).__x;
	o[4] = __double2bfloat16((double)x + (double)y * 0x1p-40).__x;
	o[5] = __hadd(a, b).__x;
	o[6] = __hmul(a, b).__x;
	o[7] = __hfma(a, b, a).__x;
	o[8] = __mt_cvt_float_to_fp8(x, __MT_SATFINITE, __MT_E4M3);
	o[9] = __mt_cvt_float_to_fp8(x, __MT_NOSAT, __MT_E4M3);
	o[10] = __mt_cvt_float_to_fp8(x, __MT_SATFINITE, __MT_E5M2);
	o[11] = __mt_cvt_float_to_fp8(x, __MT_NOSAT, __MT_E5M2);
	o[12] = __mt_cvt_fp8_to_halfraw((__mt_fp8_storage_t)__float_as_uint(x), __MT_E4M3).x;
	o[13] = __mt_cvt_fp8x2_to_halfraw2((__mt_fp8x2_storage_t)__float_as_uint(y), __MT_E5M2).y;
}

__global__ void k_convert(const float *x, const float *y, unsigned *out)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	convert(x[i], y[i], out + i * NO);
}

/* ---- references ------------------------------------------------------------------ */
static float bf2f(unsigned b) { uint32_t u = b << 16; float f; memcpy(&f, &u, 4); return f; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

/* The nearest bfloat16 to the exact value v (mode 0), or the one toward
 * zero, down, up: from the two around the truncation. */
static unsigned ref_bf(double v, int mode)
{
	float f = (float)v;
	unsigned t, c[3];
	double best = 0;
	int k, pick = -1;

	if (v != v)
		return 0x7fff;
	if (v == 0 || isinf(v))   /* kept in every mode */
		return signbit(v) ? (isinf(v) ? 0xff80 : 0x8000) : (isinf(v) ? 0x7f80 : 0);
	/* past the largest finite (0x7f7f): infinity when the mode rounds
	 * that way, from half a step beyond it when to nearest */
	{
		double mx = bf2f(0x7f7f), lim = mx + ldexp(1.0, 127 - 8);
		unsigned inf = signbit(v) ? 0xff80 : 0x7f80;

		if ((mode == 0 && fabs(v) >= lim) || (mode == 3 && v > mx) || (mode == 2 && v < -mx))
			return inf;
	}
	/* a float near v, then bfloat16 candidates around it */
	t = fbits(f) >> 16;
	c[0] = t - 1; c[1] = t; c[2] = t + 1;
	for (k = 0; k < 3; k++) {
		double cv = (double)bf2f(c[k]), d = fabs(cv - v);
		int ok;

		if (cv != cv)
			continue;
		ok = mode == 0 || (mode == 1 && fabs(cv) <= fabs(v)) || (mode == 2 && cv <= v) ||
		     (mode == 3 && cv >= v);
		if (!ok)
			continue;
		if (pick < 0 || d < best || (d == best && mode == 0 && !(c[k] & 1))) {
			pick = k;
			best = d;
		}
	}
	return c[pick] & 0xffff;
}

/* FP8 values by their codes, decoded the slow way. */
static double fp8_value(unsigned code, int e5m2)
{
	int mb = e5m2 ? 2 : 3, bias = e5m2 ? 15 : 7;
	unsigned mag = code & 0x7f, e = mag >> mb, m = mag & ((1u << mb) - 1);
	double v;

	if (e5m2 ? e == 31 : mag == 0x7f)
		v = e5m2 && m == 0 ? INFINITY : NAN;
	else if (e == 0)
		v = m * pow(2.0, 1 - bias - mb);
	else
		v = (1.0 + m / (double)(1 << mb)) * pow(2.0, (int)e - bias);
	return code & 0x80 ? -v : v;
}

static unsigned ref_fp8(double v, int sat, int e5m2)
{
	double maxv = e5m2 ? 57344.0 : 448.0, best = INFINITY;
	unsigned code, pick = 0;

	if (v != v)
		return 0x7f;
	for (code = 0; code < 256; code++) {
		double c = fp8_value(code, e5m2), d = fabs(c - v);

		if (c != c || isinf(c) || (c == 0 && (code & 0x80) != (signbit(v) ? 0x80u : 0)))
			continue;
		if (d < best || (d == best && !(code & 1))) {
			best = d;
			pick = code;
		}
	}
	/* beyond the largest finite by at least half a step: overflow */
	if (fabs(v) > maxv) {
		double step = e5m2 ? 8192 : 32;

		if (isinf(v) || fabs(v) > maxv + step / 2 || (e5m2 && fabs(v) == maxv + step / 2))
			return (signbit(v) ? 0x80 : 0) | (sat ? (e5m2 ? 0x7b : 0x7e) : (e5m2 ? 0x7c : 0x7f));
	}
	return pick;
}

static unsigned half_bits(double v)
{
	/* every FP8 value is a half: encode exactly */
	int e;
	unsigned s = signbit(v) ? 0x8000 : 0;
	double a = fabs(v);

	if (v != v)
		return 0x7fff;
	if (isinf(v))
		return s | 0x7c00;
	if (a == 0)
		return s;
	frexp(a, &e);
	if (e - 1 < -14)
		return s | (unsigned)(a * 16777216.0);     /* subnormal: units of 2^-24 */
	return s | (unsigned)((e - 1 + 15) << 10) | (unsigned)((a / ldexp(1.0, e - 1) - 1.0) * 1024);
}

static void ref(float x, float y, unsigned *o)
{
	double a = bf2f(ref_bf(x, 0)), b = bf2f(ref_bf(y, 0));

	o[0] = ref_bf(x, 0);
	o[1] = ref_bf(x, 1);
	o[2] = ref_bf(x, 2);
	o[3] = ref_bf(x, 3);
	o[4] = ref_bf((double)x + (double)y * 0x1p-40, 0);
	o[5] = ref_bf(a + b, 0);
	o[6] = ref_bf(a * b, 0);
	o[7] = ref_bf(fma(a, b, a), 0);
	o[8] = ref_fp8(x, 1, 0);
	o[9] = ref_fp8(x, 0, 0);
	o[10] = ref_fp8(x, 1, 1);
	o[11] = ref_fp8(x, 0, 1);
	o[12] = half_bits(fp8_value(fbits(x) & 0xff, 0));
	o[13] = half_bits(fp8_value((fbits(y) >> 8) & 0xff, 1));
}

static void inputs(float *x, float *y)
{
	static const float edge[] = { 0.0f, -0.0f, 1.0f, -1.0f, 1.00390625f, 1.01171875f, 448.0f,
				      464.0f, 465.0f, 480.0f, 57344.0f, 61440.0f, 61439.0f, 1e30f,
				      -1e30f, 3.0e38f, INFINITY, -INFINITY, NAN, 1e-40f, 0.001953125f,
				      0.0009765625f, 0.00146484375f, 1.5258789e-05f, 3.3f, -0.7f };
	uint64_t r = 0x2545f4914f6cdd1dull;
	int i, n = (int)(sizeof(edge) / sizeof(edge[0]));

	for (i = 0; i < NX; i++) {
		uint32_t u;

		r ^= r << 13; r ^= r >> 7; r ^= r << 17;
		if (i < n * n) {
			x[i] = edge[i % n];
			y[i] = edge[i / n];
			continue;
		}
		/* random floats of moderate exponent, random low bits */
		u = (uint32_t)r & 0x83ffffffu;
		u |= (uint32_t)(110 + (r >> 40) % 40) << 23;
		memcpy(&x[i], &u, 4);
		u = (uint32_t)(r >> 32);
		u = (u & 0x807fffffu) | (uint32_t)(120 + (r >> 50) % 16) << 23;
		memcpy(&y[i], &u, 4);
	}
}

START_TEST(bf16_and_fp8_conversions_match_reference)
{
	static float x[NX], y[NX];
	static unsigned got[NX * NO];
	unsigned want[NO], host[NO];
	float *dx = (float *)dev_alloc(sizeof(x)), *dy = (float *)dev_alloc(sizeof(y));
	unsigned *d = (unsigned *)dev_alloc(sizeof(got));
	int i, k;

	inputs(x, y);
	dev_put(dx, x, sizeof(x));
	dev_put(dy, y, sizeof(y));
	k_convert<<<NX / 128, 128>>>(dx, dy, d);
	DEV_SYNC();
	dev_get(got, d, sizeof(got));
	for (i = 0; i < NX; i++) {
		ref(x[i], y[i], want);
		convert(x[i], y[i], host);
		for (k = 0; k < NO; k++) {
			ck_assert_msg(got[i * NO + k] == want[k], "device %d (%a, %a) result %d: %#x, want %#x",
				      i, x[i], y[i], k, got[i * NO + k], want[k]);
			ck_assert_msg(host[k] == want[k], "host %d (%a, %a) result %d: %#x, want %#x", i,
				      x[i], y[i], k, host[k], want[k]);
		}
	}
	MUSA_OK(musaFree(dx));
	MUSA_OK(musaFree(dy));
	MUSA_OK(musaFree(d));
}
END_TEST

/* The C++ surface: operators, the classes, the typedefs. */
__global__ void k_ops(float *out)
{
	mt_bfloat16 a = 1.5f, b = -2.25f;
	mt_bfloat162 v = __floats2bfloat162_rn(1.0f, 3.0f), w = v * v + v;
	__mt_fp8_e4m3 f(3.3f);
	__mt_fp8x2_e5m2 g(make_float2(0.5f, -96.0f));

	a += b;
	out[0] = (float)a;
	out[1] = __low2float(w) + __high2float(w) * 100.0f;
	out[2] = (float)f;
	out[3] = ((float2)g).y;
	out[4] = (a < b) + 2 * (a != b) + 4 * __hisnan(__float2bfloat16(NAN));
	out[5] = __bfloat162float(hsqrt(__float2bfloat16(2.25f)));
}

START_TEST(bf16_operators_and_fp8_classes)
{
	float *d = (float *)dev_alloc(6 * sizeof(float)), h[6];

	k_ops<<<1, 1>>>(d);
	DEV_SYNC();
	dev_get(h, d, sizeof(h));
	ck_assert(h[0] == -0.75f);
	ck_assert(h[1] == 2.0f + 12.0f * 100.0f);
	ck_assert(h[2] == 3.25f);
	ck_assert(h[3] == -96.0f);
	ck_assert(h[4] == 2.0f + 4.0f);
	ck_assert(h[5] == 1.5f);
	MUSA_OK(musaFree(d));
}
END_TEST

DEV_TEST_MAIN("bf16_fp8", bf16_and_fp8_conversions_match_reference, bf16_operators_and_fp8_classes)
