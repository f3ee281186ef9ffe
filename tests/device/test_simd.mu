/* SPDX-License-Identifier: MIT */
/*
 * test_simd.mu - the SIMD video intrinsics (every __v*2 / __v*4), the DPX
 * functions, __dp4a / __dp2a_lo / __dp2a_hi and __fns, computed in a kernel
 * and in host code (the host pass compiles them too), both checked against
 * references written lane by lane here with 64-bit arithmetic.
 */
#include "dev_test.h"

#include <stdint.h>

/* name, lane width, reference of one lane: x, y signed, ux, uy unsigned. */
#define SIMD2_OPS(X)                                                              \
	X(__vabsdiffs, lsat(labs_(x - y), 0, umax(w)))                           \
	X(__vabsdiffu, labs_(ux - uy))                                            \
	X(__vadd, ux + uy)                                                        \
	X(__vaddss, lsat(x + y, smin(w), smax(w)))                                \
	X(__vaddus, lsat(ux + uy, 0, umax(w)))                                    \
	X(__vsub, ux - uy)                                                        \
	X(__vsubss, lsat(x - y, smin(w), smax(w)))                                \
	X(__vsubus, lsat(ux - uy, 0, umax(w)))                                    \
	X(__vavgs, ((x + y) >= 0 ? (x + y + 1) / 2 : -((-(x + y) + 1) / 2)))      \
	X(__vavgu, (ux + uy + 1) / 2)                                             \
	X(__vhaddu, (ux + uy) / 2)                                                \
	X(__vmaxs, x > y ? x : y)                                                 \
	X(__vmaxu, ux > uy ? ux : uy)                                             \
	X(__vmins, x < y ? x : y)                                                 \
	X(__vminu, ux < uy ? ux : uy)                                             \
	X(__vcmpeq, ux == uy ? -1 : 0) X(__vseteq, ux == uy)                      \
	X(__vcmpne, ux != uy ? -1 : 0) X(__vsetne, ux != uy)                      \
	X(__vcmpges, x >= y ? -1 : 0) X(__vsetges, x >= y)                        \
	X(__vcmpgeu, ux >= uy ? -1 : 0) X(__vsetgeu, ux >= uy)                    \
	X(__vcmpgts, x > y ? -1 : 0) X(__vsetgts, x > y)                          \
	X(__vcmpgtu, ux > uy ? -1 : 0) X(__vsetgtu, ux > uy)                      \
	X(__vcmples, x <= y ? -1 : 0) X(__vsetles, x <= y)                        \
	X(__vcmpleu, ux <= uy ? -1 : 0) X(__vsetleu, ux <= uy)                    \
	X(__vcmplts, x < y ? -1 : 0) X(__vsetlts, x < y)                          \
	X(__vcmpltu, ux < uy ? -1 : 0) X(__vsetltu, ux < uy)
#define SIMD1_OPS(X)                                                              \
	X(__vabs, labs_(x))                                                       \
	X(__vabsss, lsat(labs_(x), smin(w), smax(w)))                             \
	X(__vneg, -x)                                                             \
	X(__vnegss, lsat(-x, smin(w), smax(w)))

/* Every function, applied to (a, b, c); the list fixes the output order. */
#define CALLS(a, b, c)                                                            \
	SIMD2_OPS(CALL2) SIMD1_OPS(CALL1)                                         \
	__vsads2(a, b), __vsads4(a, b), __vsadu2(a, b), __vsadu4(a, b),           \
	__vimax3_s16x2(a, b, c), __vimax3_s16x2_relu(a, b, c), __vimax3_u16x2(a, b, c), \
	__vimin3_s16x2(a, b, c), __vimin3_s16x2_relu(a, b, c), __vimin3_u16x2(a, b, c), \
	__vimax_s16x2_relu(a, b), __vimin_s16x2_relu(a, b),                       \
	__viaddmax_s16x2(a, b, c), __viaddmax_s16x2_relu(a, b, c), __viaddmax_u16x2(a, b, c), \
	__viaddmin_s16x2(a, b, c), __viaddmin_s16x2_relu(a, b, c), __viaddmin_u16x2(a, b, c), \
	(unsigned)__vimax3_s32((int)a, (int)b, (int)c), (unsigned)__vimax3_s32_relu((int)a, (int)b, (int)c), \
	__vimax3_u32(a, b, c), (unsigned)__vimin3_s32((int)a, (int)b, (int)c),    \
	(unsigned)__vimin3_s32_relu((int)a, (int)b, (int)c), __vimin3_u32(a, b, c), \
	(unsigned)__vimax_s32_relu((int)a, (int)b), (unsigned)__vimin_s32_relu((int)a, (int)b), \
	(unsigned)__viaddmax_s32((int)a, (int)b, (int)c), (unsigned)__viaddmax_s32_relu((int)a, (int)b, (int)c), \
	__viaddmax_u32(a, b, c), (unsigned)__viaddmin_s32((int)a, (int)b, (int)c), \
	(unsigned)__viaddmin_s32_relu((int)a, (int)b, (int)c), __viaddmin_u32(a, b, c), \
	(unsigned)__dp4a((int)a, (int)b, (int)c), __dp4a(a, b, c),                \
	(unsigned)__dp2a_lo((int)a, (int)b, (int)c), __dp2a_lo(a, b, c),          \
	(unsigned)__dp2a_hi((int)a, (int)b, (int)c), __dp2a_hi(a, b, c),          \
	(unsigned)__dp4a(make_char4((char)a, (char)(a >> 8), (char)(a >> 16), (char)(a >> 24)), \
			 make_char4((char)b, (char)(b >> 8), (char)(b >> 16), (char)(b >> 24)), (int)c), \
	__fns(a, c & 31u, (int)(b % 9u) - 4), __fns(a, c & 31u, 0), __fns(a, 0, 33), \
	vib(a, b)
#define CALL2(name, expr) name##2(a, b), name##4(a, b),
#define CALL1(name, expr) name##2(a), name##4(a),

/* The __vib* functions return a value and flags: folded into one word. */
__host__ __device__ static unsigned vib(unsigned a, unsigned b)
{
	bool p, q, r, s;
	unsigned v = __vibmax_s16x2(a, b, &p, &q) ^ __vibmin_u16x2(a, b, &r, &s) * 3u;

	v ^= (unsigned)__vibmax_s32((int)a, (int)b, &p) * 5u + p;
	v ^= __vibmin_u32(a, b, &q) * 7u + q * 2u + r * 4u + s * 8u;
	bool t, u;
	v ^= __vibmin_s16x2(a, b, &t, &u) * 11u + t * 16u + u * 32u;
	v ^= (unsigned)__vibmin_s32((int)a, (int)b, &t) * 13u + t * 64u;
	v ^= __vibmax_u16x2(a, b, &t, &u) * 17u + t * 128u + u * 256u;
	v ^= __vibmax_u32(a, b, &t) * 19u + t * 512u;
	return v;
}

__host__ __device__ static void all_calls(unsigned a, unsigned b, unsigned c, unsigned *o)
{
	const unsigned r[] = { CALLS(a, b, c) };
	unsigned i;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		o[i] = r[i];
}

static int nout_count(void)
{
	unsigned a = 0, b = 0, c = 0;
	const unsigned r[] = { CALLS(a, b, c) };

	return (int)(sizeof(r) / sizeof(r[0]));
}

__global__ void k_simd(const unsigned *a, const unsigned *b, const unsigned *c, unsigned *out, int nout)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	all_calls(a[i], b[i], c[i], out + i * nout);
}

/* ---- references ------------------------------------------------------------------ */
static long long labs_(long long v) { return v < 0 ? -v : v; }
static long long lsat(long long v, long long lo, long long hi) { return v < lo ? lo : v > hi ? hi : v; }
static long long smin(int w) { return -(1ll << (w - 1)); }
static long long smax(int w) { return (1ll << (w - 1)) - 1; }
static long long umax(int w) { return (1ll << w) - 1; }
static long long lane_u(unsigned v, int k, int w) { return (v >> k) & ((1u << w) - 1u); }
static long long lane_s(unsigned v, int k, int w) { long long u = lane_u(v, k, w); return u >= (1ll << (w - 1)) ? u - (1ll << w) : u; }

typedef long long (*lane_fn)(long long x, long long y, long long ux, long long uy, int w);
static unsigned apply(lane_fn f, unsigned a, unsigned b, int w)
{
	unsigned r = 0;
	int k;

	for (k = 0; k < 32; k += w)
		r |= (unsigned)((unsigned long long)f(lane_s(a, k, w), lane_s(b, k, w), lane_u(a, k, w),
						     lane_u(b, k, w), w) & ((1ull << w) - 1)) << k;
	return r;
}
#define REF_FN(name, expr)                                                            \
	static long long ref##name(long long x, long long y, long long ux, long long uy, int w) \
	{ (void)x; (void)y; (void)ux; (void)uy; (void)w; return (long long)(expr); }
SIMD2_OPS(REF_FN)
SIMD1_OPS(REF_FN)
#define REF2(name, expr) apply(ref##name, a, b, 16), apply(ref##name, a, b, 8),
#define REF1(name, expr) apply(ref##name, a, 0, 16), apply(ref##name, a, 0, 8),

static unsigned sad(unsigned a, unsigned b, int w, int sgn)
{
	long long s = 0;
	int k;

	for (k = 0; k < 32; k += w)
		s += sgn ? labs_(lane_s(a, k, w) - lane_s(b, k, w)) : labs_(lane_u(a, k, w) - lane_u(b, k, w));
	return (unsigned)s;
}
/* lanes of 16 bits, op(x, y, z) with signed (sgn) or unsigned lanes */
static unsigned lanes16(unsigned a, unsigned b, unsigned c, int sgn, long long (*op)(long long, long long, long long))
{
	unsigned r = 0;
	int k;

	for (k = 0; k < 32; k += 16) {
		long long x = sgn ? lane_s(a, k, 16) : lane_u(a, k, 16);
		long long y = sgn ? lane_s(b, k, 16) : lane_u(b, k, 16);
		long long z = sgn ? lane_s(c, k, 16) : lane_u(c, k, 16);

		r |= (unsigned)(op(x, y, z) & 0xffff) << k;
	}
	return r;
}
static long long mx(long long a, long long b) { return a > b ? a : b; }
static long long mn(long long a, long long b) { return a < b ? a : b; }
static long long max3(long long a, long long b, long long c) { return mx(mx(a, b), c); }
static long long min3(long long a, long long b, long long c) { return mn(mn(a, b), c); }
static long long max3r(long long a, long long b, long long c) { return mx(max3(a, b, c), 0); }
static long long min3r(long long a, long long b, long long c) { return mx(min3(a, b, c), 0); }
static long long max2r(long long a, long long b, long long) { return mx(mx(a, b), 0); }
static long long min2r(long long a, long long b, long long) { return mx(mn(a, b), 0); }
/* a + b wraps to the lane (16 bits signed or unsigned) before min / max */
static long long wrap16s(long long v) { v &= 0xffff; return v >= 0x8000 ? v - 0x10000 : v; }
static long long amax_s(long long a, long long b, long long c) { return mx(wrap16s(a + b), c); }
static long long amax_sr(long long a, long long b, long long c) { return mx(amax_s(a, b, c), 0); }
static long long amax_u(long long a, long long b, long long c) { return mx((a + b) & 0xffff, c); }
static long long amin_s(long long a, long long b, long long c) { return mn(wrap16s(a + b), c); }
static long long amin_sr(long long a, long long b, long long c) { return mx(amin_s(a, b, c), 0); }
static long long amin_u(long long a, long long b, long long c) { return mn((a + b) & 0xffff, c); }
static long long wrap32s(long long v) { return (long long)(int32_t)(uint32_t)v; }

static unsigned dp(unsigned a, unsigned b, unsigned c, int sgn, int kind)
{
	long long s = sgn ? (long long)(int)c : (long long)c;
	int k;

	if (kind == 4)
		for (k = 0; k < 32; k += 8)
			s += sgn ? lane_s(a, k, 8) * lane_s(b, k, 8) : lane_u(a, k, 8) * lane_u(b, k, 8);
	else
		for (k = 0; k < 2; k++) {
			int bk = (kind == 2 ? 16 : 0) + 8 * k;

			s += sgn ? lane_s(a, 16 * k, 16) * lane_s(b, bk, 8) :
				   lane_u(a, 16 * k, 16) * lane_u(b, bk, 8);
		}
	return (unsigned)s;
}

/* __fns by counting bits one at a time, as PTX describes fns. */
static unsigned fns(unsigned mask, unsigned base, int offset)
{
	int pos = (int)base, n = offset < 0 ? -offset : offset;

	if (offset == 0)
		return (mask >> base) & 1 ? base : 0xffffffffu;
	for (; pos >= 0 && pos < 32; pos += offset > 0 ? 1 : -1)
		if ((mask >> pos) & 1 && --n == 0)
			return (unsigned)pos;
	return 0xffffffffu;
}

static unsigned ref_vib(unsigned a, unsigned b)
{
	long long x[2] = { lane_s(a, 0, 16), lane_s(a, 16, 16) }, y[2] = { lane_s(b, 0, 16), lane_s(b, 16, 16) };
	long long ux[2] = { lane_u(a, 0, 16), lane_u(a, 16, 16) }, uy[2] = { lane_u(b, 0, 16), lane_u(b, 16, 16) };
	unsigned m1 = (unsigned)(mx(x[0], y[0]) & 0xffff) | (unsigned)(mx(x[1], y[1]) & 0xffff) << 16;
	unsigned m2 = (unsigned)mn(ux[0], uy[0]) | (unsigned)mn(ux[1], uy[1]) << 16;
	unsigned r = (ux[1] <= uy[1]), s = (ux[0] <= uy[0]);
	unsigned v = m1 ^ m2 * 3u, p = (int)a >= (int)b, q = a <= b, t, u;

	v ^= (unsigned)((int)a >= (int)b ? (int)a : (int)b) * 5u + p;
	v ^= (a <= b ? a : b) * 7u + q * 2u + r * 4u + s * 8u;
	t = x[1] <= y[1]; u = x[0] <= y[0];
	v ^= ((unsigned)(mn(x[0], y[0]) & 0xffff) | (unsigned)(mn(x[1], y[1]) & 0xffff) << 16) * 11u + t * 16u + u * 32u;
	t = (int)a <= (int)b;
	v ^= (unsigned)((int)a <= (int)b ? (int)a : (int)b) * 13u + t * 64u;
	t = ux[1] >= uy[1]; u = ux[0] >= uy[0];
	v ^= ((unsigned)mx(ux[0], uy[0]) | (unsigned)mx(ux[1], uy[1]) << 16) * 17u + t * 128u + u * 256u;
	t = a >= b;
	v ^= (a >= b ? a : b) * 19u + t * 512u;
	return v;
}

static void ref(unsigned a, unsigned b, unsigned c, unsigned *o)
{
	long long sa = (int)a, sb = (int)b, sc = (int)c;
	const unsigned r[] = {
		SIMD2_OPS(REF2) SIMD1_OPS(REF1)
		sad(a, b, 16, 1), sad(a, b, 8, 1), sad(a, b, 16, 0), sad(a, b, 8, 0),
		lanes16(a, b, c, 1, max3), lanes16(a, b, c, 1, max3r), lanes16(a, b, c, 0, max3),
		lanes16(a, b, c, 1, min3), lanes16(a, b, c, 1, min3r), lanes16(a, b, c, 0, min3),
		lanes16(a, b, 0, 1, max2r), lanes16(a, b, 0, 1, min2r),
		lanes16(a, b, c, 1, amax_s), lanes16(a, b, c, 1, amax_sr), lanes16(a, b, c, 0, amax_u),
		lanes16(a, b, c, 1, amin_s), lanes16(a, b, c, 1, amin_sr), lanes16(a, b, c, 0, amin_u),
		(unsigned)max3(sa, sb, sc), (unsigned)max3r(sa, sb, sc), (unsigned)max3(a, b, c),
		(unsigned)min3(sa, sb, sc), (unsigned)min3r(sa, sb, sc), (unsigned)min3(a, b, c),
		(unsigned)mx(mx(sa, sb), 0), (unsigned)mx(mn(sa, sb), 0),
		(unsigned)mx(wrap32s(sa + sb), sc), (unsigned)mx(mx(wrap32s(sa + sb), sc), 0),
		(unsigned)mx((a + b) & 0xffffffffu, c), (unsigned)mn(wrap32s(sa + sb), sc),
		(unsigned)mx(mn(wrap32s(sa + sb), sc), 0), (unsigned)mn((a + b) & 0xffffffffu, c),
		dp(a, b, c, 1, 4), dp(a, b, c, 0, 4), dp(a, b, c, 1, 0), dp(a, b, c, 0, 0),
		dp(a, b, c, 1, 2), dp(a, b, c, 0, 2), dp(a, b, c, 1, 4),
		fns(a, c & 31u, (int)(b % 9u) - 4), fns(a, c & 31u, 0), fns(a, 0, 33),
		ref_vib(a, b),
	};
	unsigned i;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		o[i] = r[i];
}

/* Edge lanes (0, 1, 0x7f.., 0x80.., 0xff..) in every combination, then
 * pseudo-random words. */
#define NCASE 512
static void inputs(unsigned *a, unsigned *b, unsigned *c)
{
	static const unsigned edge[] = { 0, 1, 0x7f7f7fffu, 0x80808000u, 0xffffffffu, 0x7fff8000u,
					 0x807f01feu, 0x00ff7f80u };
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int i;

	for (i = 0; i < NCASE; i++) {
		if (i < 64) {
			a[i] = edge[i % 8];
			b[i] = edge[i / 8];
			c[i] = edge[(i + 3) % 8];
			continue;
		}
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		a[i] = (unsigned)x;
		b[i] = (unsigned)(x >> 32);
		c[i] = (unsigned)(x >> 16) ^ (unsigned)i;
	}
}

START_TEST(simd_intrinsics_match_reference)
{
	static unsigned a[NCASE], b[NCASE], c[NCASE];
	int nout = nout_count(), i, k;
	unsigned *got = (unsigned *)malloc(sizeof(unsigned) * NCASE * nout), *want = (unsigned *)malloc(sizeof(unsigned) * nout);
	unsigned *host = (unsigned *)malloc(sizeof(unsigned) * nout);
	unsigned *da = (unsigned *)dev_alloc(sizeof(a)), *db = (unsigned *)dev_alloc(sizeof(b));
	unsigned *dc = (unsigned *)dev_alloc(sizeof(c)), *d = (unsigned *)dev_alloc(sizeof(unsigned) * NCASE * nout);

	inputs(a, b, c);
	dev_put(da, a, sizeof(a));
	dev_put(db, b, sizeof(b));
	dev_put(dc, c, sizeof(c));
	k_simd<<<NCASE / 64, 64>>>(da, db, dc, d, nout);
	DEV_SYNC();
	dev_get(got, d, sizeof(unsigned) * NCASE * nout);
	for (i = 0; i < NCASE; i++) {
		ref(a[i], b[i], c[i], want);
		all_calls(a[i], b[i], c[i], host);
		for (k = 0; k < nout; k++) {
			ck_assert_msg(got[i * nout + k] == want[k], "device case %d (%#x %#x %#x) fn %d: %#x, want %#x",
				      i, a[i], b[i], c[i], k, got[i * nout + k], want[k]);
			ck_assert_msg(host[k] == want[k], "host case %d fn %d: %#x, want %#x", i, k,
				      host[k], want[k]);
		}
	}
	free(got);
	free(want);
	free(host);
	MUSA_OK(musaFree(da));
	MUSA_OK(musaFree(db));
	MUSA_OK(musaFree(dc));
	MUSA_OK(musaFree(d));
}
END_TEST

DEV_TEST_MAIN("simd", simd_intrinsics_match_reference)
