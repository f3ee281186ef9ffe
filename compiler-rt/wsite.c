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

_Static_assert(__MUSA_WOP_SHFL_XOR == DEVRT_WOP_SHFL_XOR && __MUSA_WOP_MATCH_ANY == DEVRT_WOP_MATCH_ANY &&
	       __MUSA_WOP_REDUCE == DEVRT_WOP_REDUCE_ADD, "one numbering of warp operations");

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

/* Match and reduce: over the deposits of the caller's 32-lane sub-group
 * whose bit is in its mask, as wg.c's warp_collective. */
static uint64_t collective(const struct __musa_wsite *s, unsigned op, unsigned t)
{
	unsigned base = t - t % s->warp_size, sub = base + ((t - base) & ~31u), mask = s->mask[t], k;
	uint32_t yes, same, p, acc = 0;
	int first = 1;

	switch (op) {
	case DEVRT_WOP_MATCH_ANY:
	case DEVRT_WOP_MATCH_ALL:
		p = __musa_wsite_sub(s, sub, s->val[t], &yes, &same) & mask;
		same &= mask;
		if (op == DEVRT_WOP_MATCH_ANY)
			return same;
		return same == p ? mask : 0;
	default:
		if (op < DEVRT_WOP_REDUCE_ADD || op >= DEVRT_WOP_COUNT)
			return 0;
		for (k = 0; k < 32 && sub + k < s->n; k++) {
			if (!(mask & (1u << k)) || !__musa_wsite_present(s, sub + k))
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
		__musa_wsite_deposit(s, t, mask, op == DEVRT_WOP_BALLOT || op == DEVRT_WOP_ANY ||
					     op == DEVRT_WOP_ALL ? (uint64_t)(val != 0) : val, arg, width);
		return 0;
	}
	/* a lane that made no deposit (it came to the call in the statement's
	 * loop only): it answers as a lane alone would */
	if (!__musa_wsite_present(s, t))
		return op == DEVRT_WOP_BALLOT ? (val ? (mask & 1u) : 0) :
		       op == DEVRT_WOP_ANY || op == DEVRT_WOP_ALL ? (uint64_t)(val != 0) : val;
	if (op >= DEVRT_WOP_MATCH_ANY)
		return collective(s, op, t);
	return __musa_wsite_result(s, op, t);
}
