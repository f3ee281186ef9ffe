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
#include <setjmp.h>
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
	s->c = s->pass = s->more = 0;
	s->log = NULL;
	memset(s->stamp, 0, s->n * sizeof(s->stamp[0]));
	devrt_wsite_cur = NULL;   /* a group that ended early left one behind */
}

/* A site whose call is replayed (musa_warp_site.h), with its log. */
DEVRT_API void __musa_wsite_replay(struct __musa_wsite *s,
				   unsigned long long (*log)[__MUSA_WSITE_MAX])
{
	s->log = log;
}

/* Before the deposit loop: a new execution of the call. */
DEVRT_API void __musa_wsite_put(struct __musa_wsite *s)
{
	s->epoch++;
	s->put = 1;
	s->pass = s->more = 0;
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

/* What a lane with no partner gets back. */
static uint64_t alone(unsigned op, unsigned mask, uint64_t val)
{
	return op == DEVRT_WOP_BALLOT ? (val ? (mask & 1u) : 0) :
	       op == DEVRT_WOP_ANY || op == DEVRT_WOP_ALL ? (uint64_t)(val != 0) :
	       op == DEVRT_WOP_MATCH_ANY || op == DEVRT_WOP_MATCH_ALL ? (mask & 1u) : val;
}

static uint64_t answer(const struct __musa_wsite *s, unsigned op, unsigned t)
{
	return op >= DEVRT_WOP_MATCH_ANY ? collective(s, op, t) : __musa_wsite_result(s, op, t);
}

/* Operation number s->c of a replayed call. */
static uint64_t replay_op(struct __musa_wsite *s, unsigned op, unsigned mask, uint64_t val,
			  int arg, int width)
{
	unsigned t = s->t, c = s->c++;

	if (c >= __MUSA_WLOG_MAX) {
		devrt_log("a call of a loop kernel made more than %d warp operations; block ended",
			  __MUSA_WLOG_MAX);
		if (devrt_loop_jmp)
			longjmp(*(jmp_buf *)devrt_loop_jmp, 1);
		return alone(op, mask, val);
	}
	if (c < s->pass)
		return s->log[c][t];
	if (s->put && c == s->pass) {
		__musa_wsite_deposit(s, t, mask, op == DEVRT_WOP_BALLOT || op == DEVRT_WOP_ANY ||
					     op == DEVRT_WOP_ALL ? (uint64_t)(val != 0) : val, arg, width);
		s->op[t] = (unsigned char)op;
		s->more = 1;
	}
	return alone(op, mask, val);
}

/* After a pass of a replayed site's deposit loop: the deposits become
 * log entry `pass`; 0 when no thread made a new operation. */
DEVRT_API int __musa_wsite_next(struct __musa_wsite *s)
{
	unsigned t;

	if (!s->more)
		return 0;
	for (t = 0; t < s->n; t++)
		if (__musa_wsite_present(s, t))
			s->log[s->pass][t] = answer(s, s->op[t], t);
	s->pass++;
	s->epoch++;
	s->more = 0;
	return 1;
}

uint64_t devrt_wsite_op(struct __musa_wsite *s, unsigned op, unsigned mask, uint64_t val,
			int arg, int width)
{
	unsigned t = s->t;

	if (t >= s->n)
		return 0;
	if (s->log)
		return replay_op(s, op, mask, val, arg, width);
	if (s->put) {
		__musa_wsite_deposit(s, t, mask, op == DEVRT_WOP_BALLOT || op == DEVRT_WOP_ANY ||
					     op == DEVRT_WOP_ALL ? (uint64_t)(val != 0) : val, arg, width);
		return 0;
	}
	/* a lane that made no deposit (it came to the call in the statement's
	 * loop only): it answers as a lane alone would */
	if (!__musa_wsite_present(s, t))
		return alone(op, mask, val);
	return answer(s, op, t);
}
