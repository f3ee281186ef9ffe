/* SPDX-License-Identifier: MIT */
/*
 * test_intrinsics.mu - the integer intrinsics, checked against bit-by-bit
 * reference implementations on the host, plus __ldg and clock64.
 */
#include "dev_test.h"

#define NV 24
#define NF 22

__global__ void k_int(const unsigned *a, const unsigned *b, unsigned long long *out)
{
	int i = threadIdx.x;
	unsigned x = a[i], y = b[i];
	unsigned long long X = ((unsigned long long)x << 32) | y, Y = ((unsigned long long)y << 32) ^ x;
	unsigned long long *o = out + i * NF;

	o[0] = __popc(x);
	o[1] = __popcll(X);
	o[2] = __clz((int)x);
	o[3] = __clzll((long long)X);
	o[4] = __ffs((int)x);
	o[5] = __ffsll((long long)X);
	o[6] = __brev(x);
	o[7] = __brevll(X);
	o[8] = (unsigned)__mul24((int)x, (int)y);
	o[9] = __umul24(x, y);
	o[10] = (unsigned)__mulhi((int)x, (int)y);
	o[11] = __umulhi(x, y);
	o[12] = (unsigned long long)__mul64hi((long long)X, (long long)Y);
	o[13] = __umul64hi(X, Y);
	o[14] = __byte_perm(x, y, y ^ (x >> 7));
	o[15] = __funnelshift_l(x, y, i * 3);
	o[16] = __funnelshift_r(x, y, i * 3);
	o[17] = __funnelshift_lc(x, y, i * 3);
	o[18] = __funnelshift_rc(x, y, i * 3);
	o[19] = (unsigned)__hadd((int)x, (int)y) ^ ((unsigned long long)(unsigned)__rhadd((int)x, (int)y) << 32);
	o[20] = __uhadd(x, y) ^ ((unsigned long long)__urhadd(x, y) << 32);
	o[21] = __sad((int)x, (int)y, 5u) ^ ((unsigned long long)__usad(x, y, 7u) << 32);
}

/* ---- references, written the slow way -------------------------------------- */
static unsigned ref_bit(unsigned long long v, int i) { return (unsigned)(v >> i) & 1u; }
static long long sx24(unsigned v) { v &= 0xffffffu; return v & 0x800000u ? (long long)v - 0x1000000 : v; }

static void ref(int i, unsigned x, unsigned y, unsigned long long *o)
{
	unsigned long long X = ((unsigned long long)x << 32) | y, Y = ((unsigned long long)y << 32) ^ x;
	unsigned s = y ^ (x >> 7), sh = (unsigned)i * 3, r = 0;
	unsigned long long R = 0, hl = ((unsigned long long)y << 32) | x;
	unsigned char bytes[8];
	int k, n = 0;
	__int128 sp = (__int128)(long long)X * (long long)Y;
	long long sd = (long long)(int)x + (long long)(int)y;

	for (k = 0; k < 32; k++) n += ref_bit(x, k);
	o[0] = n;
	for (n = 0, k = 0; k < 64; k++) n += ref_bit(X, k);
	o[1] = n;
	for (k = 31; k >= 0 && !ref_bit(x, k); k--) ;
	o[2] = 31 - k;
	for (k = 63; k >= 0 && !ref_bit(X, k); k--) ;
	o[3] = 63 - k;
	for (k = 0; k < 32 && !ref_bit(x, k); k++) ;
	o[4] = k == 32 ? 0 : k + 1;
	for (k = 0; k < 64 && !ref_bit(X, k); k++) ;
	o[5] = k == 64 ? 0 : k + 1;
	for (k = 0; k < 32; k++) r |= ref_bit(x, k) << (31 - k);
	o[6] = r;
	for (k = 0; k < 64; k++) R |= (unsigned long long)ref_bit(X, k) << (63 - k);
	o[7] = R;
	o[8] = (unsigned)(sx24(x) * sx24(y));
	o[9] = (unsigned)((unsigned long long)(x & 0xffffffu) * (y & 0xffffffu));
	o[10] = (unsigned)(((long long)(int)x * (int)y) >> 32);
	o[11] = (unsigned)(((unsigned long long)x * y) >> 32);
	o[12] = (unsigned long long)(long long)(sp >> 64);
	o[13] = (unsigned long long)(((unsigned __int128)X * Y) >> 64);
	for (k = 0; k < 8; k++) bytes[k] = (unsigned char)(hl >> (8 * k));
	for (r = 0, k = 0; k < 4; k++) r |= (unsigned)bytes[(s >> (4 * k)) & 7] << (8 * k);
	o[14] = r;
	o[15] = (unsigned)((hl << (sh % 32)) >> 32);
	o[16] = (unsigned)(hl >> (sh % 32));
	o[17] = (unsigned)(sh >= 32 ? x : (unsigned)((hl << sh) >> 32));
	o[18] = (unsigned)(sh >= 32 ? y : (unsigned)(hl >> sh));
	o[19] = (unsigned)(int)(sd >= 0 ? sd / 2 : -((-sd + 1) / 2)) ^
		((unsigned long long)(unsigned)(int)((sd + 1) >= 0 ? (sd + 1) / 2 : -((-(sd + 1) + 1) / 2)) << 32);
	o[20] = (unsigned)(((unsigned long long)x + y) / 2) ^
		((unsigned long long)(unsigned)(((unsigned long long)x + y + 1) / 2) << 32);
	o[21] = (unsigned)(5u + (unsigned)((long long)(int)x > (int)y ? (long long)(int)x - (int)y :
					    (long long)(int)y - (int)x)) ^
		((unsigned long long)(7u + (x > y ? x - y : y - x)) << 32);
}

START_TEST(integer_intrinsics_match_reference)
{
	static const unsigned a[NV] = {0, 1, 2, 0x80000000u, 0xffffffffu, 0x7fffffffu, 0x12345678u,
				       0xdeadbeefu, 0x00ff00ffu, 0x800000u, 0xffffffu, 0x1000000u,
				       3, 0xfffffffeu, 0x55555555u, 0xaaaaaaaau, 100, 0x80000001u,
				       0x0f0f0f0fu, 0x7ffffe, 0xc0000000u, 17, 0x40000000u, 0x3};
	static const unsigned b[NV] = {0, 0xffffffffu, 0x80000000u, 0x80000000u, 0xffffffffu, 1,
				       0x9abcdef0u, 0xcafef00du, 0x3210u, 0x800000u, 0xff800000u, 7,
				       0x7fffffffu, 2, 0xaaaaaaaau, 0x55555555u, 0xffffff9cu, 0x80000001u,
				       0xf0f0f0f0u, 0x800001u, 0xc0000000u, 0xfffffff0u, 0x3fffffffu, 0};
	unsigned *da = (unsigned *)dev_alloc(sizeof(a)), *db = (unsigned *)dev_alloc(sizeof(b));
	unsigned long long got[NV * NF], want[NF];
	unsigned long long *d = (unsigned long long *)dev_alloc(sizeof(got));
	int i, k;

	dev_put(da, a, sizeof(a));
	dev_put(db, b, sizeof(b));
	k_int<<<1, NV>>>(da, db, d);
	DEV_SYNC();
	dev_get(got, d, sizeof(got));
	for (i = 0; i < NV; i++) {
		ref(i, a[i], b[i], want);
		for (k = 0; k < NF; k++)
			ck_assert_msg(got[i * NF + k] == want[k], "case %d fn %d: %#llx, want %#llx", i,
				      k, got[i * NF + k], want[k]);
	}
	MUSA_OK(musaFree(da));
	MUSA_OK(musaFree(db));
	MUSA_OK(musaFree(d));
}
END_TEST

/* __ldg reads like a load; clock64 and clock only move forward. */
__global__ void k_ldg_clock(const float *in, const double2 *in2, float *out, long long *t)
{
	int i = threadIdx.x;
	long long t0 = clock64();
	clock_t c0 = clock();
	double2 v = __ldg(&in2[i]);
	volatile float acc = 0;
	int k;

	for (k = 0; k < 1000; k++)
		acc = acc + __ldg(&in[i]);
	out[i] = acc + (float)(v.x + v.y);
	t[i * 2] = clock64() - t0;
	t[i * 2 + 1] = (long long)(clock() - c0);
}

START_TEST(ldg_and_clock)
{
	float h[32], o[32];
	double2 h2[32];
	long long t[64];
	float *din = (float *)dev_alloc(sizeof(h)), *dout = (float *)dev_alloc(sizeof(o));
	double2 *din2 = (double2 *)dev_alloc(sizeof(h2));
	long long *dt = (long long *)dev_alloc(sizeof(t));
	int i;

	for (i = 0; i < 32; i++) {
		h[i] = (float)i;
		h2[i] = make_double2(i, 0.5);
	}
	dev_put(din, h, sizeof(h));
	dev_put(din2, h2, sizeof(h2));
	k_ldg_clock<<<1, 32>>>(din, din2, dout, dt);
	DEV_SYNC();
	dev_get(o, dout, sizeof(o));
	dev_get(t, dt, sizeof(t));
	for (i = 0; i < 32; i++) {
		ck_assert(o[i] == 1000.0f * i + i + 0.5f);
		ck_assert(t[i * 2] > 0);
		ck_assert(t[i * 2 + 1] >= 0);
	}
	MUSA_OK(musaFree(din));
	MUSA_OK(musaFree(dout));
	MUSA_OK(musaFree(din2));
	MUSA_OK(musaFree(dt));
}
END_TEST

DEV_TEST_MAIN("device_intrinsics", integer_intrinsics_match_reference, ldg_and_clock)
