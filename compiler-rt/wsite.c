/* SPDX-License-Identifier: MIT */
/*
 * wsite.c - warp operations of kernels that mcc runs as loops between
 * barriers (musa_warp_site.h). A warp call there is made twice per thread:
 * first in a thread loop of its own that deposits each lane's operands,
 * then in the loop of its statement, where each lane's result is computed
 * from the deposits exactly as the fiber scheduler (wg.c, sync.c) computes
 * it from the fibers waiting at the call. Lanes without a deposit of the
 * current epoch take no part: shuffles from them read 0, votes, matches
 * and reductions leave them out.
 */
#include <string.h>

#include "devrt.h"
#include "musa_warp_site.h"

#define DEVRT_API __attribute__((visibility("hidden")))

__thread struct __musa_wsite *devrt_wsite_cur DEVRT_HIDDEN;

/* Called once per group, before the kernel's first region. */
DEVRT_API void __musa_wsite_init(struct __musa_wsite *s, unsigned warp_size)
{
	uint64_t n = (uint64_t)blockDim.x * blockDim.y * blockDim.z;

	s->n = n < __MUSA_WSITE_MAX ? (unsigned)n : __MUSA_WSITE_MAX;
	s->warp_size = warp_size ? warp_size : 32;
	s->epoch = 0;
	s->put = 0;
	s->t = 0;
	memset(s->stamp, 0, s->n * sizeof(s->stamp[0]));
	devrt_wsite_cur = NULL;   /* a group that ended early left one behind */
}

/* Before the deposit loop: a new execution of the call. */
DEVRT_API void __musa_wsite_put(struct __musa_wsite *s)
{
	s->epoch++;
	s->put = 1;
	devrt_wsite_cur = s;
}

/* After the deposit loop: the statement's loop asks for results. */
DEVRT_API void __musa_wsite_get(struct __musa_wsite *s)
{
	s->put = 0;
	devrt_wsite_cur = s;
}

/* After the statement's loop. */
DEVRT_API void __musa_wsite_end(void)
{
	devrt_wsite_cur = NULL;
}

static int present(const struct __musa_wsite *s, unsigned i)
{
	return i < s->n && s->stamp[i] == s->epoch;
}

/* Lanes of the 32-lane sub-group from `sub` that deposited, and of those
 * the ones whose value is nonzero (yes) or equals `v` (same). */
static uint32_t sub_lanes(const struct __musa_wsite *s, unsigned sub, uint64_t v,
			  uint32_t *yes, uint32_t *same)
{
	uint32_t p = 0;
	unsigned k;

	*yes = *same = 0;
	for (k = 0; k < 32 && sub + k < s->n; k++) {
		if (!present(s, sub + k))
			continue;
		p |= 1u << k;
		if (s->val[sub + k])
			*yes |= 1u << k;
		if (s->val[sub + k] == v)
			*same |= 1u << k;
	}
	return p;
}

static uint64_t result(const struct __musa_wsite *s, unsigned op, unsigned t)
{
	unsigned ws = s->warp_size, base = t - t % ws, lane = t - base, k;
	unsigned sub = base + (lane & ~31u), mask = s->mask[t];
	uint32_t yes, same, p, acc = 0;
	uint64_t own = s->val[t];
	long src;
	int any = 0, all = 1, first = 1;

	switch (op) {
	case DEVRT_WOP_SYNC:
		return 0;
	case DEVRT_WOP_SHFL_IDX:
	case DEVRT_WOP_SHFL_UP:
	case DEVRT_WOP_SHFL_DOWN:
	case DEVRT_WOP_SHFL_XOR:
		if (!devrt_shfl_src(op, lane, s->arg[t], s->width[t], ws, &src))
			return own;
		/* as wg.c: a source lane that takes no part reads zero */
		if (src < 0 || src >= (long)ws || !present(s, base + (unsigned)src))
			return 0;
		return s->val[base + (unsigned)src];
	case DEVRT_WOP_BALLOT:
		sub_lanes(s, sub, 0, &yes, &same);
		return yes & mask;
	case DEVRT_WOP_ANY:
	case DEVRT_WOP_ALL:
		/* over every 32-lane sub-group of the warp, as sync.c's votes */
		for (k = base; k < base + ws && k < s->n; k += 32) {
			p = sub_lanes(s, k, 0, &yes, &same);
			any |= (yes & mask) != 0;
			all &= (p & mask & ~yes) == 0;
		}
		return op == DEVRT_WOP_ANY ? (uint64_t)any : (uint64_t)all;
	case DEVRT_WOP_MATCH_ANY:
	case DEVRT_WOP_MATCH_ALL:
		p = sub_lanes(s, sub, own, &yes, &same) & mask;
		same &= mask;
		if (op == DEVRT_WOP_MATCH_ANY)
			return same;
		return same == p ? mask : 0;
	default:
		if (op < DEVRT_WOP_REDUCE_ADD || op >= DEVRT_WOP_COUNT)
			return 0;
		for (k = 0; k < 32 && sub + k < s->n; k++) {
			if (!(mask & (1u << k)) || !present(s, sub + k))
				continue;
			acc = first ? (uint32_t)s->val[sub + k] :
			      devrt_reduce_ops[op - DEVRT_WOP_REDUCE_ADD](acc, (uint32_t)s->val[sub + k]);
			first = 0;
		}
		return acc;
	}
}

uint64_t devrt_wsite_op(struct __musa_wsite *s, unsigned op, unsigned mask, uint64_t val,
			int arg, int width)
{
	unsigned t = s->t;

	if (t >= s->n)
		return 0;
	if (s->put) {
		s->stamp[t] = s->epoch;
		s->mask[t] = mask;
		s->arg[t] = arg;
		s->width[t] = width;
		s->val[t] = op == DEVRT_WOP_BALLOT || op == DEVRT_WOP_ANY || op == DEVRT_WOP_ALL ?
			    (uint64_t)(val != 0) : val;
		return 0;
	}
	/* a lane that made no deposit (it came to the call in the statement's
	 * loop only): it answers as a lane alone would */
	if (!present(s, t))
		return op == DEVRT_WOP_BALLOT ? (val ? (mask & 1u) : 0) :
		       op == DEVRT_WOP_ANY || op == DEVRT_WOP_ALL ? (uint64_t)(val != 0) : val;
	return result(s, op, t);
}
