/* SPDX-License-Identifier: MIT */
/*
 * musa_simd_intrinsics.h - CUDA's SIMD-within-a-word intrinsics: the video
 * family on two halfwords (suffix 2) or four bytes (suffix 4) of an
 * unsigned int (__vadd2, __vcmpgtu4, __vsads2, ...), the DPX family of
 * CUDA 12 (__vimax3_s32, __viaddmax_s16x2_relu, __vibmin_u32, ...), and
 * the dot products __dp4a / __dp2a_lo / __dp2a_hi. Plain C, for host and
 * device code of both passes.
 *
 * Each operation is written once, as an expression of one lane: ua/ub/uc
 * are the lanes' unsigned values, sa/sb/sc the signed ones, w the lane
 * width in bits; one macro makes the function that applies it to every
 * lane. Included by musa_device_functions.h.
 */
#ifndef MUSA_SIMD_INTRINSICS_H
#define MUSA_SIMD_INTRINSICS_H

#include <stdint.h>

#ifndef __MUSA_FN
#define __MUSA_FN static __inline__ __attribute__((always_inline, unused))
#endif

/* Lane k of width w of x, unsigned and sign-extended. */
__MUSA_FN unsigned int __musa_lane_u(unsigned int x, unsigned int k, unsigned int w)
{
	return (x >> k) & ((1u << w) - 1u);
}
__MUSA_FN int __musa_lane_s(unsigned int x, unsigned int k, unsigned int w)
{
	unsigned int u = __musa_lane_u(x, k, w);

	return (int)u - (int)((u >> (w - 1u)) << w);
}
/* Saturation of a lane's exact result to the signed / unsigned range. */
__MUSA_FN int __musa_sat_s(int v, unsigned int w)
{
	int hi = (1 << (w - 1u)) - 1, lo = -(1 << (w - 1u));

	return v > hi ? hi : v < lo ? lo : v;
}
__MUSA_FN int __musa_sat_u(int v, unsigned int w)
{
	int hi = (1 << w) - 1;

	return v > hi ? hi : v < 0 ? 0 : v;
}
__MUSA_FN int __musa_imax(int a, int b) { return a > b ? a : b; }
__MUSA_FN int __musa_imin(int a, int b) { return a < b ? a : b; }
__MUSA_FN int __musa_iabs(int a) { return a < 0 ? -a : a; }
/* Signed rounded average: halves round away from zero. */
__MUSA_FN int __musa_avg_s(int a, int b)
{
	int s = a + b;

	return (s + (s >= 0)) >> 1;
}

/* name(a, b [, c]): EXPR on every lane of width W; the low W bits of the
 * lane's result are kept. */
#define __MUSA_LANES(W, EXPR)                                                       \
	unsigned int r = 0, k;                                                      \
	const unsigned int w = (W);                                                 \
	for (k = 0; k < 32u; k += w) {                                              \
		unsigned int ua = __musa_lane_u(a, k, w), ub = __musa_lane_u(b, k, w); \
		unsigned int uc = __musa_lane_u(c, k, w);                           \
		int sa = __musa_lane_s(a, k, w), sb = __musa_lane_s(b, k, w);       \
		int sc = __musa_lane_s(c, k, w);                                    \
		(void)ua; (void)ub; (void)uc; (void)sa; (void)sb; (void)sc;         \
		r |= ((unsigned int)(EXPR) & ((1u << w) - 1u)) << k;                 \
	}                                                                           \
	return r;
#define __MUSA_VOP1(name, W, EXPR)                                                  \
	__MUSA_FN unsigned int name(unsigned int a)                                 \
	{ const unsigned int b = 0, c = 0; __MUSA_LANES(W, EXPR) }
#define __MUSA_VOP2(name, W, EXPR)                                                  \
	__MUSA_FN unsigned int name(unsigned int a, unsigned int b)                 \
	{ const unsigned int c = 0; __MUSA_LANES(W, EXPR) }
#define __MUSA_VOP3(name, W, EXPR)                                                  \
	__MUSA_FN unsigned int name(unsigned int a, unsigned int b, unsigned int c) \
	{ __MUSA_LANES(W, EXPR) }
/* The video family: one expression, a halfword and a byte function. */
#define __MUSA_VIDEO1(base, EXPR) __MUSA_VOP1(base##2, 16, EXPR) __MUSA_VOP1(base##4, 8, EXPR)
#define __MUSA_VIDEO2(base, EXPR) __MUSA_VOP2(base##2, 16, EXPR) __MUSA_VOP2(base##4, 8, EXPR)

__MUSA_VIDEO1(__vabs, __musa_iabs(sa))
__MUSA_VIDEO1(__vabsss, __musa_sat_s(__musa_iabs(sa), w))
__MUSA_VIDEO1(__vneg, -sa)
__MUSA_VIDEO1(__vnegss, __musa_sat_s(-sa, w))
__MUSA_VIDEO2(__vabsdiffs, __musa_iabs(sa - sb))
__MUSA_VIDEO2(__vabsdiffu, __musa_iabs((int)ua - (int)ub))
__MUSA_VIDEO2(__vadd, ua + ub)
__MUSA_VIDEO2(__vaddss, __musa_sat_s(sa + sb, w))
__MUSA_VIDEO2(__vaddus, __musa_sat_u((int)(ua + ub), w))
__MUSA_VIDEO2(__vsub, ua - ub)
__MUSA_VIDEO2(__vsubss, __musa_sat_s(sa - sb, w))
__MUSA_VIDEO2(__vsubus, __musa_sat_u((int)ua - (int)ub, w))
__MUSA_VIDEO2(__vavgs, __musa_avg_s(sa, sb))
__MUSA_VIDEO2(__vavgu, (ua + ub + 1u) >> 1)
__MUSA_VIDEO2(__vhaddu, (ua + ub) >> 1)
__MUSA_VIDEO2(__vmaxs, __musa_imax(sa, sb))
__MUSA_VIDEO2(__vmaxu, ua > ub ? ua : ub)
__MUSA_VIDEO2(__vmins, __musa_imin(sa, sb))
__MUSA_VIDEO2(__vminu, ua < ub ? ua : ub)
/* Comparisons: __vcmp* set every bit of a true lane, __vset* its bit 0. */
#define __MUSA_VIDEO_CMP(sfx, COND)                                                 \
	__MUSA_VIDEO2(__vcmp##sfx, (COND) ? ~0u : 0u)                               \
	__MUSA_VIDEO2(__vset##sfx, (COND) ? 1u : 0u)
__MUSA_VIDEO_CMP(eq, ua == ub)
__MUSA_VIDEO_CMP(ne, ua != ub)
__MUSA_VIDEO_CMP(ges, sa >= sb)
__MUSA_VIDEO_CMP(geu, ua >= ub)
__MUSA_VIDEO_CMP(gts, sa > sb)
__MUSA_VIDEO_CMP(gtu, ua > ub)
__MUSA_VIDEO_CMP(les, sa <= sb)
__MUSA_VIDEO_CMP(leu, ua <= ub)
__MUSA_VIDEO_CMP(lts, sa < sb)
__MUSA_VIDEO_CMP(ltu, ua < ub)
#undef __MUSA_VIDEO_CMP

/* Sums of absolute differences: one number, not lanes. */
#define __MUSA_VSAD(name, W, DIFF)                                                  \
	__MUSA_FN unsigned int name(unsigned int a, unsigned int b)                 \
	{                                                                           \
		unsigned int s = 0, k;                                              \
		for (k = 0; k < 32u; k += (W)) {                                    \
			int sa = __musa_lane_s(a, k, (W)), sb = __musa_lane_s(b, k, (W)); \
			int ua = (int)__musa_lane_u(a, k, (W)), ub = (int)__musa_lane_u(b, k, (W)); \
			(void)sa; (void)sb; (void)ua; (void)ub;                     \
			s += (unsigned int)(DIFF);                                  \
		}                                                                   \
		return s;                                                           \
	}
__MUSA_VSAD(__vsads2, 16, __musa_iabs(sa - sb))
__MUSA_VSAD(__vsads4, 8, __musa_iabs(sa - sb))
__MUSA_VSAD(__vsadu2, 16, __musa_iabs(ua - ub))
__MUSA_VSAD(__vsadu4, 8, __musa_iabs(ua - ub))
#undef __MUSA_VSAD

/* DPX (CUDA 12): three-way min/max, add then min/max, ReLU */
__MUSA_VOP3(__vimax3_s16x2, 16, __musa_imax(__musa_imax(sa, sb), sc))
__MUSA_VOP3(__vimax3_s16x2_relu, 16, __musa_imax(__musa_imax(__musa_imax(sa, sb), sc), 0))
__MUSA_VOP3(__vimax3_u16x2, 16, __musa_imax(__musa_imax((int)ua, (int)ub), (int)uc))
__MUSA_VOP3(__vimin3_s16x2, 16, __musa_imin(__musa_imin(sa, sb), sc))
__MUSA_VOP3(__vimin3_s16x2_relu, 16, __musa_imax(__musa_imin(__musa_imin(sa, sb), sc), 0))
__MUSA_VOP3(__vimin3_u16x2, 16, __musa_imin(__musa_imin((int)ua, (int)ub), (int)uc))
__MUSA_VOP2(__vimax_s16x2_relu, 16, __musa_imax(__musa_imax(sa, sb), 0))
__MUSA_VOP2(__vimin_s16x2_relu, 16, __musa_imax(__musa_imin(sa, sb), 0))
/* The sums wrap to the lane before the comparison, as the hardware adds. */
__MUSA_VOP3(__viaddmax_s16x2, 16, __musa_imax(__musa_lane_s(ua + ub, 0, w), sc))
__MUSA_VOP3(__viaddmax_s16x2_relu, 16, __musa_imax(__musa_imax(__musa_lane_s(ua + ub, 0, w), sc), 0))
__MUSA_VOP3(__viaddmax_u16x2, 16, __musa_imax((int)((ua + ub) & 0xffffu), (int)uc))
__MUSA_VOP3(__viaddmin_s16x2, 16, __musa_imin(__musa_lane_s(ua + ub, 0, w), sc))
__MUSA_VOP3(__viaddmin_s16x2_relu, 16, __musa_imax(__musa_imin(__musa_lane_s(ua + ub, 0, w), sc), 0))
__MUSA_VOP3(__viaddmin_u16x2, 16, __musa_imin((int)((ua + ub) & 0xffffu), (int)uc))

__MUSA_FN int __musa_max_s32(int a, int b) { return a > b ? a : b; }
__MUSA_FN int __musa_min_s32(int a, int b) { return a < b ? a : b; }
__MUSA_FN unsigned int __musa_max_u32(unsigned int a, unsigned int b) { return a > b ? a : b; }
__MUSA_FN unsigned int __musa_min_u32(unsigned int a, unsigned int b) { return a < b ? a : b; }
__MUSA_FN int __musa_add_s32(int a, int b) { return (int)((unsigned int)a + (unsigned int)b); }

__MUSA_FN int __vimax3_s32(int a, int b, int c) { return __musa_max_s32(__musa_max_s32(a, b), c); }
__MUSA_FN int __vimax3_s32_relu(int a, int b, int c) { return __musa_max_s32(__vimax3_s32(a, b, c), 0); }
__MUSA_FN unsigned int __vimax3_u32(unsigned int a, unsigned int b, unsigned int c)
{ return __musa_max_u32(__musa_max_u32(a, b), c); }
__MUSA_FN int __vimin3_s32(int a, int b, int c) { return __musa_min_s32(__musa_min_s32(a, b), c); }
__MUSA_FN int __vimin3_s32_relu(int a, int b, int c) { return __musa_max_s32(__vimin3_s32(a, b, c), 0); }
__MUSA_FN unsigned int __vimin3_u32(unsigned int a, unsigned int b, unsigned int c)
{ return __musa_min_u32(__musa_min_u32(a, b), c); }
__MUSA_FN int __vimax_s32_relu(int a, int b) { return __musa_max_s32(__musa_max_s32(a, b), 0); }
__MUSA_FN int __vimin_s32_relu(int a, int b) { return __musa_max_s32(__musa_min_s32(a, b), 0); }
__MUSA_FN int __viaddmax_s32(int a, int b, int c) { return __musa_max_s32(__musa_add_s32(a, b), c); }
__MUSA_FN int __viaddmax_s32_relu(int a, int b, int c) { return __musa_max_s32(__viaddmax_s32(a, b, c), 0); }
__MUSA_FN unsigned int __viaddmax_u32(unsigned int a, unsigned int b, unsigned int c)
{ return __musa_max_u32(a + b, c); }
__MUSA_FN int __viaddmin_s32(int a, int b, int c) { return __musa_min_s32(__musa_add_s32(a, b), c); }
__MUSA_FN int __viaddmin_s32_relu(int a, int b, int c) { return __musa_max_s32(__viaddmin_s32(a, b, c), 0); }
__MUSA_FN unsigned int __viaddmin_u32(unsigned int a, unsigned int b, unsigned int c)
{ return __musa_min_u32(a + b, c); }

/* max/min that also say whether a won (a >= b for max, a <= b for min). */
#if defined(__cplusplus)
#define __MUSA_BOOL bool
#else
#define __MUSA_BOOL _Bool
#endif
__MUSA_FN int __vibmax_s32(int a, int b, __MUSA_BOOL *pred) { *pred = a >= b; return a >= b ? a : b; }
__MUSA_FN int __vibmin_s32(int a, int b, __MUSA_BOOL *pred) { *pred = a <= b; return a <= b ? a : b; }
__MUSA_FN unsigned int __vibmax_u32(unsigned int a, unsigned int b, __MUSA_BOOL *pred)
{ *pred = a >= b; return a >= b ? a : b; }
__MUSA_FN unsigned int __vibmin_u32(unsigned int a, unsigned int b, __MUSA_BOOL *pred)
{ *pred = a <= b; return a <= b ? a : b; }
#define __MUSA_VIB16(name, LANE, CMP)                                               \
	__MUSA_FN unsigned int name(unsigned int a, unsigned int b, __MUSA_BOOL *pred_hi, \
				    __MUSA_BOOL *pred_lo)                           \
	{                                                                           \
		int lo_a = LANE(a, 0, 16), lo_b = LANE(b, 0, 16);                   \
		int hi_a = LANE(a, 16, 16), hi_b = LANE(b, 16, 16);                 \
		*pred_lo = lo_a CMP lo_b;                                           \
		*pred_hi = hi_a CMP hi_b;                                           \
		return ((unsigned int)(*pred_lo ? lo_a : lo_b) & 0xffffu) |         \
		       ((unsigned int)(*pred_hi ? hi_a : hi_b) << 16);              \
	}
#define __MUSA_LANE_U_INT(x, k, w) ((int)__musa_lane_u(x, k, w))
__MUSA_VIB16(__vibmax_s16x2, __musa_lane_s, >=)
__MUSA_VIB16(__vibmin_s16x2, __musa_lane_s, <=)
__MUSA_VIB16(__vibmax_u16x2, __MUSA_LANE_U_INT, >=)
__MUSA_VIB16(__vibmin_u16x2, __MUSA_LANE_U_INT, <=)
#undef __MUSA_LANE_U_INT
#undef __MUSA_VIB16
#undef __MUSA_BOOL

/* dot products */
/* Four byte products (signed or unsigned) plus c, in 32-bit arithmetic. */
__MUSA_FN int __musa_dp4a_s(int a, int b, int c)
{
	unsigned int s = (unsigned int)c, k;

	for (k = 0; k < 32u; k += 8u)
		s += (unsigned int)(__musa_lane_s((unsigned int)a, k, 8) *
				    __musa_lane_s((unsigned int)b, k, 8));
	return (int)s;
}
__MUSA_FN unsigned int __musa_dp4a_u(unsigned int a, unsigned int b, unsigned int c)
{
	unsigned int k;

	for (k = 0; k < 32u; k += 8u)
		c += __musa_lane_u(a, k, 8) * __musa_lane_u(b, k, 8);
	return c;
}
/* Two halfword products of a with bytes 0-1 (lo) or 2-3 (hi) of b, plus c. */
__MUSA_FN int __musa_dp2a_s(int a, int b, int c, unsigned int bk)
{
	unsigned int s = (unsigned int)c;

	s += (unsigned int)(__musa_lane_s((unsigned int)a, 0, 16) *
			    __musa_lane_s((unsigned int)b, bk, 8));
	s += (unsigned int)(__musa_lane_s((unsigned int)a, 16, 16) *
			    __musa_lane_s((unsigned int)b, bk + 8u, 8));
	return (int)s;
}
__MUSA_FN unsigned int __musa_dp2a_u(unsigned int a, unsigned int b, unsigned int c,
				     unsigned int bk)
{
	return c + __musa_lane_u(a, 0, 16) * __musa_lane_u(b, bk, 8) +
	       __musa_lane_u(a, 16, 16) * __musa_lane_u(b, bk + 8u, 8);
}

#if defined(__cplusplus)
__MUSA_FN int __dp4a(int a, int b, int c) { return __musa_dp4a_s(a, b, c); }
__MUSA_FN unsigned int __dp4a(unsigned int a, unsigned int b, unsigned int c)
{ return __musa_dp4a_u(a, b, c); }
__MUSA_FN int __dp2a_lo(int a, int b, int c) { return __musa_dp2a_s(a, b, c, 0); }
__MUSA_FN unsigned int __dp2a_lo(unsigned int a, unsigned int b, unsigned int c)
{ return __musa_dp2a_u(a, b, c, 0); }
__MUSA_FN int __dp2a_hi(int a, int b, int c) { return __musa_dp2a_s(a, b, c, 16); }
__MUSA_FN unsigned int __dp2a_hi(unsigned int a, unsigned int b, unsigned int c)
{ return __musa_dp2a_u(a, b, c, 16); }
/* The vector forms: the same lanes, packed from their members. */
__MUSA_FN int __musa_pack(char4 v)
{
	return (int)((unsigned char)v.x | (unsigned char)v.y << 8 | (unsigned char)v.z << 16 |
		     (unsigned int)(unsigned char)v.w << 24);
}
__MUSA_FN unsigned int __musa_pack(uchar4 v)
{
	return v.x | v.y << 8 | v.z << 16 | (unsigned int)v.w << 24;
}
__MUSA_FN int __musa_pack(short2 v) { return (int)((unsigned short)v.x | (unsigned int)(unsigned short)v.y << 16); }
__MUSA_FN unsigned int __musa_pack(ushort2 v) { return v.x | (unsigned int)v.y << 16; }
__MUSA_FN int __dp4a(char4 a, char4 b, int c) { return __dp4a(__musa_pack(a), __musa_pack(b), c); }
__MUSA_FN unsigned int __dp4a(uchar4 a, uchar4 b, unsigned int c)
{ return __dp4a(__musa_pack(a), __musa_pack(b), c); }
__MUSA_FN int __dp2a_lo(short2 a, char4 b, int c) { return __dp2a_lo(__musa_pack(a), __musa_pack(b), c); }
__MUSA_FN unsigned int __dp2a_lo(ushort2 a, uchar4 b, unsigned int c)
{ return __dp2a_lo(__musa_pack(a), __musa_pack(b), c); }
__MUSA_FN int __dp2a_hi(short2 a, char4 b, int c) { return __dp2a_hi(__musa_pack(a), __musa_pack(b), c); }
__MUSA_FN unsigned int __dp2a_hi(ushort2 a, uchar4 b, unsigned int c)
{ return __dp2a_hi(__musa_pack(a), __musa_pack(b), c); }
#else
/* C: the first operand's type picks the signed or unsigned form. */
#define __dp4a(a, b, c) _Generic((a), unsigned int: __musa_dp4a_u((a), (b), (c)),        \
	default: __musa_dp4a_s((int)(a), (int)(b), (int)(c)))
#define __dp2a_lo(a, b, c) _Generic((a), unsigned int: __musa_dp2a_u((a), (b), (c), 0),  \
	default: __musa_dp2a_s((int)(a), (int)(b), (int)(c), 0))
#define __dp2a_hi(a, b, c) _Generic((a), unsigned int: __musa_dp2a_u((a), (b), (c), 16), \
	default: __musa_dp2a_s((int)(a), (int)(b), (int)(c), 16))
#endif

#undef __MUSA_VIDEO1
#undef __MUSA_VIDEO2
#undef __MUSA_VOP1
#undef __MUSA_VOP2
#undef __MUSA_VOP3
#undef __MUSA_LANES

#endif /* MUSA_SIMD_INTRINSICS_H */
