/* SPDX-License-Identifier: MIT */
/*
 * test_fp16.mu - __half and __half2 (musa_fp16.h): every one of the 65536
 * half values converts to float and back unchanged on the device; float to
 * half rounds to nearest even (checked against the two neighbouring halves
 * on the host, in double); the operators round like the float result does;
 * host and device conversions give the same bits.
 */
#include <math.h>

#include <musa_fp16.h>

#include "dev_test.h"

/* The value of half bits h, computed the slow way from the format. */
static double ref_half(unsigned h)
{
	int e = (h >> 10) & 31, m = h & 1023;
	double v = e == 0 ? ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) : ldexp(1024 + m, e - 25);

	return h & 0x8000 ? -v : v;
}

__global__ void k_roundtrip(float *f, unsigned short *back)
{
	unsigned h = blockIdx.x * blockDim.x + threadIdx.x;

	f[h] = __half2float(__ushort_as_half((unsigned short)h));
	back[h] = __half_as_ushort(__float2half(f[h]));
}

START_TEST(all_halves_round_trip)
{
	enum { N = 65536 };
	float *f = (float *)malloc(N * sizeof(float));
	unsigned short *b = (unsigned short *)malloc(N * 2);
	float *df = (float *)dev_alloc(N * sizeof(float));
	unsigned short *db = (unsigned short *)dev_alloc(N * 2);
	unsigned h;

	k_roundtrip<<<N / 256, 256>>>(df, db);
	DEV_SYNC();
	dev_get(f, df, N * sizeof(float));
	dev_get(b, db, N * 2);
	for (h = 0; h < N; h++) {
		double want = ref_half(h);

		if (isnan(want)) {
			ck_assert(isnan(f[h]));
			ck_assert_uint_eq(b[h], 0x7fff);
			continue;
		}
		ck_assert_msg((double)f[h] == want && signbit(f[h]) == signbit(want), "half %#x", h);
		ck_assert_msg(b[h] == h, "half %#x came back as %#x", h, b[h]);
	}
	free(f);
	free(b);
	MUSA_OK(musaFree(df));
	MUSA_OK(musaFree(db));
}
END_TEST

#define NF 4096
__global__ void k_from_float(const float *in, unsigned short *out)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	out[i] = __half_as_ushort(__float2half_rn(in[i]));
}

START_TEST(float_to_half_rounds_to_nearest_even)
{
	float *in = (float *)malloc(NF * sizeof(float));
	unsigned short *out = (unsigned short *)malloc(NF * 2);
	float *din = (float *)dev_alloc(NF * sizeof(float));
	unsigned short *dout = (unsigned short *)dev_alloc(NF * 2);
	unsigned seed = 12345;
	int i;

	for (i = 0; i < NF; i++) {
		seed = seed * 1103515245u + 12345u;
		if (i < 64) /* ties: halfway between neighbouring halves, incl. subnormals */
			in[i] = (float)((ref_half(i * 7 + 1) + ref_half(i * 7 + 2)) / 2.0) * (i & 1 ? 1 : 1024);
		else
			in[i] = ldexpf((float)(seed >> 8) / 16777216.0f, (int)(seed % 44) - 28) *
				(seed & 1 ? -1.0f : 1.0f);
	}
	in[64] = 65504.0f;
	in[65] = 65519.99f;
	in[66] = 65520.0f;
	in[67] = 1e-9f;
	in[68] = -0.0f;
	in[69] = ldexpf(1.0f, -25);   /* a tie between 0 and the least subnormal */
	in[70] = ldexpf(1.5f, -25);
	dev_put(din, in, NF * sizeof(float));
	k_from_float<<<NF / 128, 128>>>(din, dout);
	DEV_SYNC();
	dev_get(out, dout, NF * 2);
	for (i = 0; i < NF; i++) {
		double x = in[i], v = ref_half(out[i]);
		unsigned up = out[i] + 1u, dn = out[i] - 1u;

		/* same sign and no farther from x than either neighbour */
		ck_assert_msg(signbit(v) == signbit(x), "%g -> %#x", x, out[i]);
		if (isinf(v)) {
			ck_assert_msg(fabs(x) >= 65520.0, "%g -> inf", x);
			continue;
		}
		if ((out[i] & 0x7fff) != 0x7bff)
			ck_assert_msg(fabs(v - x) <= fabs(ref_half(up) - x), "%g -> %#x", x, out[i]);
		else
			ck_assert_msg(fabs(x) < 65520.0, "%g -> %#x", x, out[i]);
		if (out[i] & 0x7fff)
			ck_assert_msg(fabs(v - x) <= fabs(ref_half(dn) - x), "%g -> %#x", x, out[i]);
		if ((out[i] & 0x7fff) && fabs(v - x) == fabs(ref_half(dn) - x))
			ck_assert_msg(!(out[i] & 1), "tie %g -> odd %#x", x, out[i]);
		if ((out[i] & 0x7fff) != 0x7bff && fabs(v - x) == fabs(ref_half(up) - x))
			ck_assert_msg(!(out[i] & 1), "tie %g -> odd %#x", x, out[i]);
		/* the host's conversion is the same code, and must agree */
		ck_assert_uint_eq(__half_as_ushort(__float2half(in[i])), out[i]);
	}
	ck_assert_uint_eq(out[64], 0x7bff);
	ck_assert_uint_eq(out[65], 0x7bff);
	ck_assert_uint_eq(out[66], 0x7c00);
	ck_assert_uint_eq(out[68], 0x8000);
	ck_assert_uint_eq(out[69], 0);
	ck_assert_uint_eq(out[70], 1);
	free(in);
	free(out);
	MUSA_OK(musaFree(din));
	MUSA_OK(musaFree(dout));
}
END_TEST

/* Arithmetic on __half and __half2 in C++ operators and CUDA functions. */
__global__ void k_arith(const __half *a, const __half *b, __half *o, __half2 *o2, float *of)
{
	int i = threadIdx.x;
	__half x = a[i], y = b[i], z;
	__half2 p = __halves2half2(x, y), q = __floats2half2_rn(2.0f, -0.5f);

	z = x * y + x;
	z -= __float2half(1.0f);
	o[i * 6 + 0] = z;
	o[i * 6 + 1] = x / y;
	o[i * 6 + 2] = __hfma(x, y, __hneg(x));
	o[i * 6 + 3] = hsqrt(__habs(x));
	o[i * 6 + 4] = __hmax(x, y);
	o[i * 6 + 5] = (x < y) ? x : __hadd(x, y);
	o2[i] = p * q + p;
	of[i * 2] = __low2float(o2[i]);
	of[i * 2 + 1] = __high2float(o2[i]);
}

static unsigned short h_of(double v) { return __half_as_ushort(__float2half((float)v)); }

START_TEST(half_arithmetic)
{
	enum { N = 64 };
	__half ha[N], hb[N], ho[N * 6];
	__half2 ho2[N];
	float hf[N * 2];
	__half *da = (__half *)dev_alloc(sizeof(ha)), *db = (__half *)dev_alloc(sizeof(hb));
	__half *dout = (__half *)dev_alloc(sizeof(ho));
	__half2 *do2 = (__half2 *)dev_alloc(sizeof(ho2));
	float *dof = (float *)dev_alloc(sizeof(hf));
	int i;

	static_assert(sizeof(__half) == 2 && sizeof(__half2) == 4 && alignof(__half2) == 4, "layout");
	for (i = 0; i < N; i++) {
		ha[i] = __float2half(0.37f * i - 7.0f);
		hb[i] = __float2half(1.0f + 0.11f * (i % 13));
	}
	dev_put(da, ha, sizeof(ha));
	dev_put(db, hb, sizeof(hb));
	k_arith<<<1, N>>>(da, db, dout, do2, dof);
	DEV_SYNC();
	dev_get(ho, dout, sizeof(ho));
	dev_get(ho2, do2, sizeof(ho2));
	dev_get(hf, dof, sizeof(hf));
	for (i = 0; i < N; i++) {
		double x = __half2float(ha[i]), y = __half2float(hb[i]);
		double xy = __half2float(__float2half((float)(x * y)));
		double s = __half2float(__float2half((float)(xy + x)));

		/* each operator rounds to half once */
		ck_assert_uint_eq(__half_as_ushort(ho[i * 6 + 0]), h_of(s - 1.0));
		ck_assert_uint_eq(__half_as_ushort(ho[i * 6 + 1]), h_of(x / y));
		ck_assert_uint_eq(__half_as_ushort(ho[i * 6 + 2]), h_of(x * y - x));
		ck_assert_uint_eq(__half_as_ushort(ho[i * 6 + 3]), h_of(sqrt(fabs(x))));
		ck_assert_uint_eq(__half_as_ushort(ho[i * 6 + 4]), h_of(x > y ? x : y));
		ck_assert_uint_eq(__half_as_ushort(ho[i * 6 + 5]), h_of(x < y ? x : x + y));
		ck_assert(hf[i * 2] == (float)__half2float(__float2half((float)
			(__half2float(__float2half((float)(x * 2.0))) + x))));
		ck_assert(hf[i * 2 + 1] == (float)__half2float(__float2half((float)
			(__half2float(__float2half((float)(y * -0.5))) + y))));
	}
	MUSA_OK(musaFree(da));
	MUSA_OK(musaFree(db));
	MUSA_OK(musaFree(dout));
	MUSA_OK(musaFree(do2));
	MUSA_OK(musaFree(dof));
}
END_TEST

DEV_TEST_MAIN("device_fp16", all_halves_round_trip, float_to_half_rounds_to_nearest_even,
	      half_arithmetic)
