/* SPDX-License-Identifier: MIT */
/*
 * musa_warp_site.h - a warp operation of a kernel that mcc runs as loops
 * (fission, docs/design.md "Warp operations as regions"). Each warp call
 * of such a kernel has one of these on the group's stack. The thread loop
 * before the call's statement runs the call once per thread in deposit
 * mode: the lane's value, mask, lane argument and width go into the site,
 * stamped with the site's epoch. The statement's own loop then runs the
 * call again in result mode, and the device runtime answers it from the
 * deposits as the fiber scheduler would from waiting fibers: a lane with
 * no deposit of this epoch (past the block, predicated off, returned)
 * takes no part.
 */
#ifndef MUSA_WARP_SITE_H
#define MUSA_WARP_SITE_H

#define __MUSA_WSITE_MAX 1024   /* threads in a group */
#define __MUSA_WLOG_MAX  32     /* warp operations in one call of a replayed site */

/*
 * A call that makes several warp operations in a row (a tile's shuffle of
 * a wide type, cg::reduce over a tile) is replayed: pass p of the deposit
 * loop answers each thread's operations before the p-th from its log,
 * deposits the p-th, and answers the later ones as a lane alone would;
 * between passes the deposits become every lane's log entry p. The
 * passes end when no thread reaches a new operation, and the statement's
 * loop then answers every operation from the log.
 */
struct __musa_wsite {
	unsigned t;             /* the calling thread's linear index */
	unsigned epoch;         /* this execution of the call; stamps equal to it are deposits */
	unsigned put;           /* 1: deposit mode, 0: result mode */
	unsigned warp_size;     /* the image's warpSize */
	unsigned n;             /* threads in the group */
	unsigned c;             /* replayed: the calling thread's operations so far in this call */
	unsigned pass;          /* replayed: operations answered from the log */
	unsigned more;          /* replayed: a thread deposited in this pass */
	unsigned long long (*log)[__MUSA_WSITE_MAX];   /* replayed: results by operation; NULL: one operation */
	unsigned char op[__MUSA_WSITE_MAX];            /* replayed: each deposit's operation */
	unsigned stamp[__MUSA_WSITE_MAX];
	unsigned mask[__MUSA_WSITE_MAX];
	int arg[__MUSA_WSITE_MAX];
	int width[__MUSA_WSITE_MAX];
	unsigned long long val[__MUSA_WSITE_MAX];
};

/* Warp operations (the device runtime's enum devrt_warp_op). */
#define __MUSA_WOP_SYNC      0
#define __MUSA_WOP_BALLOT    1
#define __MUSA_WOP_ANY       2
#define __MUSA_WOP_ALL       3
#define __MUSA_WOP_SHFL_IDX  4
#define __MUSA_WOP_SHFL_UP   5
#define __MUSA_WOP_SHFL_DOWN 6
#define __MUSA_WOP_SHFL_XOR  7
#define __MUSA_WOP_MATCH_ANY 8
#define __MUSA_WOP_MATCH_ALL 9
#define __MUSA_WOP_REDUCE    10 /* + enum __musa_reduce_op */

/*
 * The lane a shuffle by `lane` reads, in *src (which may lie outside the
 * warp: below 0 or past its end); 0 when the lane keeps its own value
 * (up, down or xor past its width segment). The fiber scheduler (wg.c)
 * and the sites share it.
 */
static inline int __musa_shfl_src(unsigned op, unsigned lane, int arg, int width,
				  unsigned warp_size, long *src)
{
	unsigned w = (width > 0 && (unsigned)width <= warp_size && !(width & (width - 1))) ?
		     (unsigned)width : warp_size;
	unsigned seg = lane & ~(w - 1);

	switch (op) {
	case __MUSA_WOP_SHFL_IDX:
		*src = (long)(seg + ((unsigned)arg & (w - 1)));
		return 1;
	case __MUSA_WOP_SHFL_UP:
		*src = (long)lane - arg;
		return *src >= (long)seg;
	case __MUSA_WOP_SHFL_DOWN:
		*src = (long)lane + arg;
		return *src < (long)(seg + w);
	default: /* __MUSA_WOP_SHFL_XOR */
		*src = (long)(lane ^ (unsigned)arg);
		return *src < (long)(seg + w);
	}
}

static inline int __musa_wsite_present(const struct __musa_wsite *s, unsigned i)
{
	return i < s->n && s->stamp[i] == s->epoch;
}

/* A deposit of thread t: the lane's operands under the current epoch. */
static inline void __musa_wsite_deposit(struct __musa_wsite *s, unsigned t, unsigned mask,
					unsigned long long val, int arg, int width)
{
	if (t >= s->n)
		return;
	s->stamp[t] = s->epoch;
	s->mask[t] = mask;
	s->arg[t] = arg;
	s->width[t] = width;
	s->val[t] = val;
}

/* Lanes of the 32-lane sub-group from `sub` that deposited, and of those
 * the ones whose value is nonzero (yes) or equals `v` (same). */
static inline unsigned __musa_wsite_sub(const struct __musa_wsite *s, unsigned sub,
					unsigned long long v, unsigned *yes, unsigned *same)
{
	unsigned p = 0, k;

	*yes = *same = 0;
	for (k = 0; k < 32 && sub + k < s->n; k++) {
		if (!__musa_wsite_present(s, sub + k))
			continue;
		p |= 1u << k;
		if (s->val[sub + k])
			*yes |= 1u << k;
		if (s->val[sub + k] == v)
			*same |= 1u << k;
	}
	return p;
}

/*
 * The result of thread t's shuffle or vote from the deposits, as the
 * fiber scheduler computes it from waiting fibers: a shuffle from a lane
 * with no deposit reads 0; a ballot covers the caller's 32-lane
 * sub-group, any and all every sub-group of the warp (sync.c).
 */
static inline unsigned long long __musa_wsite_result(const struct __musa_wsite *s, unsigned op,
						      unsigned t)
{
	unsigned ws = s->warp_size, base = t - t % ws, lane = t - base, k, yes, same, p;
	unsigned mask = s->mask[t];
	int any = 0, all = 1;
	long src;

	switch (op) {
	case __MUSA_WOP_SHFL_IDX:
	case __MUSA_WOP_SHFL_UP:
	case __MUSA_WOP_SHFL_DOWN:
	case __MUSA_WOP_SHFL_XOR:
		if (!__musa_shfl_src(op, lane, s->arg[t], s->width[t], ws, &src))
			return s->val[t];
		if (src < 0 || src >= (long)ws || !__musa_wsite_present(s, base + (unsigned)src))
			return 0;
		return s->val[base + (unsigned)src];
	case __MUSA_WOP_BALLOT:
		__musa_wsite_sub(s, base + (lane & ~31u), 0, &yes, &same);
		return yes & mask;
	case __MUSA_WOP_ANY:
	case __MUSA_WOP_ALL:
		for (k = base; k < base + ws && k < s->n; k += 32) {
			p = __musa_wsite_sub(s, k, 0, &yes, &same);
			any |= (yes & mask) != 0;
			all &= (p & mask & ~yes) == 0;
		}
		return op == __MUSA_WOP_ANY ? (unsigned long long)any : (unsigned long long)all;
	default:
		return 0;
	}
}

#endif /* MUSA_WARP_SITE_H */
