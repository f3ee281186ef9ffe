/* SPDX-License-Identifier: MIT */
/*
 * sync.c - block barriers and warp operations as seen by kernel code.
 *
 * Each call records what the running fiber contributes and suspends it; the
 * scheduler in wg.c computes the result once every participant arrived. In
 * loop mode (a kernel mcc saw no barrier in) there are no fibers to wait
 * for: a one-thread group needs none, anything larger cannot be honoured
 * and ends the group with an error rather than a wrong answer. May call
 * libc and wg.c only.
 */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "devrt.h"

#define DEVRT_API __attribute__((visibility("hidden")))

/* A barrier reached without fibers: fine for one thread, fatal otherwise. */
static void loop_mode_barrier(const char *what)
{
	if ((uint64_t)blockDim.x * blockDim.y * blockDim.z <= 1)
		return;
	devrt_log("%s in a kernel compiled without barrier support; block ended", what);
	if (devrt_loop_jmp)
		longjmp(*(jmp_buf *)devrt_loop_jmp, 1);
}

static uint64_t bar_wait(unsigned op, int pred)
{
	struct devrt_group *g = devrt_cur_group;
	struct devrt_fiber *f;

	if (!g) {
		loop_mode_barrier("__syncthreads");
		return op == DEVRT_BOP_NONE ? 0 : (uint64_t)(pred != 0);
	}
	f = &g->fibers[g->cur];
	f->op = op;
	f->val = pred != 0;
	devrt_fiber_wait(g, DEVRT_BAR);
	return g->fibers[g->cur].result;
}

DEVRT_API void __syncthreads(void)
{
	bar_wait(DEVRT_BOP_NONE, 0);
}

DEVRT_API int __syncthreads_count(int pred)
{
	return (int)bar_wait(DEVRT_BOP_COUNT, pred);
}

DEVRT_API int __syncthreads_and(int pred)
{
	return (int)bar_wait(DEVRT_BOP_AND, pred);
}

DEVRT_API int __syncthreads_or(int pred)
{
	return (int)bar_wait(DEVRT_BOP_OR, pred);
}

/*
 * Votes (ballot, any, all) at any warp size. CUDA's masks have 32 bits; on
 * a 128-lane warp (mp_21/mp_22) bit i of a mask names lane i of every
 * 32-lane sub-group, so the full mask means the whole warp:
 *   __any_sync / __all_sync: over the warp's lanes that take part and whose
 *     bit is in the mask;
 *   __ballot_sync / __activemask: bit i is lane i of the caller's own
 *     32-lane sub-group (lanes 32..63 see their sub-group, and so on).
 * At warp size 32 this is exactly CUDA's meaning.
 *
 * The scheduler (wg.c) releases a warp once every live lane waits at a
 * warp operation. The first lane of the warp to run again computes every
 * voter's result from the values the others left in their fibers (none of
 * them has run since), and marks them resolved.
 */
#define VOTE_PENDING  0x766f7465 /* f->arg of a voter not yet resolved */
#define VOTE_RESOLVED 0x646f6e65 /* f->arg once its result is computed */
#define VOTE_MAX_SUBS 32         /* sub-groups in the widest warp (1024) */

static int is_vote(unsigned op)
{
	return op == DEVRT_WOP_BALLOT || op == DEVRT_WOP_ANY || op == DEVRT_WOP_ALL;
}

static void votes_resolve(struct devrt_group *g)
{
	unsigned ws = g->warp_size, base = g->cur - g->cur % ws;
	unsigned end = base + ws < g->n ? base + ws : g->n, i, k;
	uint32_t present[VOTE_MAX_SUBS] = {0}, yes[VOTE_MAX_SUBS] = {0};

	for (i = base; i < end && (i - base) / 32 < VOTE_MAX_SUBS; i++) {
		const struct devrt_fiber *f = &g->fibers[i];

		if (f->state == DEVRT_DONE || f->arg != VOTE_PENDING || !is_vote(f->op))
			continue;
		present[(i - base) / 32] |= 1u << ((i - base) % 32);
		if (f->val)
			yes[(i - base) / 32] |= 1u << ((i - base) % 32);
	}
	for (i = base; i < end && (i - base) / 32 < VOTE_MAX_SUBS; i++) {
		struct devrt_fiber *f = &g->fibers[i];
		int any = 0, all = 1;

		if (f->state == DEVRT_DONE || f->arg != VOTE_PENDING || !is_vote(f->op))
			continue;
		for (k = 0; k * 32 < end - base; k++) {
			any |= (yes[k] & f->mask) != 0;
			all &= (present[k] & f->mask & ~yes[k]) == 0;
		}
		f->result = f->op == DEVRT_WOP_BALLOT ? (yes[(i - base) / 32] & f->mask) :
			    f->op == DEVRT_WOP_ANY ? (uint64_t)any : (uint64_t)all;
		f->arg = VOTE_RESOLVED;
	}
}

/* Contributes `val` to a warp operation and returns its result. */
DEVRT_API uint64_t __musa_warp_op(unsigned op, unsigned mask, uint64_t val, int arg, int width)
{
	struct devrt_group *g = devrt_cur_group;
	struct devrt_fiber *f;

	if (!g) {
		if (devrt_wsite_cur)
			return devrt_wsite_op(devrt_wsite_cur, op, mask, val, arg, width);
		loop_mode_barrier("a warp operation");
		/* A lone thread: every lane it can see is itself. */
		switch (op) {
		case DEVRT_WOP_BALLOT:
			return val ? (mask & 1u) : 0;
		case DEVRT_WOP_ANY:
		case DEVRT_WOP_ALL:
			return val != 0;
		case DEVRT_WOP_MATCH_ANY:
		case DEVRT_WOP_MATCH_ALL:
			return mask & 1u;
		default:
			return val;
		}
	}
	f = &g->fibers[g->cur];
	f->op = op;
	f->mask = mask;
	f->val = val;
	f->arg = is_vote(op) ? VOTE_PENDING : arg;
	f->width = width;
	devrt_fiber_wait(g, DEVRT_WARP);
	f = &g->fibers[g->cur];
	if (is_vote(op)) {
		if (f->arg == VOTE_PENDING)
			votes_resolve(g);
		f->arg = 0;
	}
	return f->result;
}

/* Lanes of the caller's 32-lane sub-group executing this call with it. A
 * GPU's warp runs in lockstep, so lanes that have not diverged all arrive
 * together; fibers do not, so this is a ballot of 1: it waits for the
 * warp's other live lanes, and those that exited meanwhile drop out. */
DEVRT_API unsigned __activemask(void)
{
	return (unsigned)__musa_warp_op(DEVRT_WOP_BALLOT, 0xffffffffu, 1, 0, 0);
}

/* __nanosleep: a fiber waiting for its group's other threads (a spin on a
 * flag another thread sets) must let them run, so it yields to the next
 * fiber; a thread without fibers really sleeps, up to CUDA's 1 ms. */
DEVRT_API void __nanosleep(unsigned int ns)
{
	struct devrt_group *g = devrt_cur_group;
	struct timespec ts = { 0, ns < 1000000u ? (long)ns : 1000000l };

	if (g) {
		devrt_fiber_wait(g, DEVRT_RUN);
		return;
	}
	nanosleep(&ts, NULL);
}

/* Copies at most n bytes of s to *o (space permitting). */
static void assert_put(char **o, char *end, const char *s, size_t n)
{
	while (n-- && *s && *o + 1 < end)
		*(*o)++ = *s++;
	**o = '\0';
}

/* The function name an assert reports. mcc inlines a loop-mode kernel k as
 * __musa_body_<n>_k(uint3, uint3, dim3, dim3, params...): print it as the
 * source declares it, k(params...), without the index parameters (and
 * their "uint3 = uint3" entries in a template's [with ...] list). */
static const char *assert_func_name(const char *func, char *buf, size_t size)
{
	static const char idx[] = "uint3, uint3, dim3, dim3";
	const char *p = strstr(func, "__musa_body_"), *q;
	char *o = buf, *end = buf + size;

	if (!p)
		return func;
	assert_put(&o, end, func, (size_t)(p - func));
	for (p += sizeof("__musa_body_") - 1; *p >= '0' && *p <= '9'; p++)
		;
	if (*p == '_')
		p++;
	q = strchr(p, '(');
	if (!q) {
		/* C: __func__ is the bare name */
		assert_put(&o, end, p, size);
		return buf;
	}
	assert_put(&o, end, p, (size_t)(q + 1 - p));
	p = q + 1;
	if (!strncmp(p, idx, sizeof(idx) - 1)) {
		p += sizeof(idx) - 1;
		if (!strncmp(p, ", ", 2))
			p += 2;
	}
	while (*p) {
		if (!strncmp(p, "; uint3 = uint3", 15)) {
			p += 15;
			continue;
		}
		assert_put(&o, end, p++, 1);
	}
	return buf;
}

/* A failed device assert ends the work-group with MUSA_WG_ASSERT; the
 * message goes to stderr, as a GPU's assert prints it. Code objects bind
 * their assert() calls here, not to libc's, because this definition is
 * linked into them statically. */
DEVRT_API __attribute__((noreturn)) void __assert_fail(const char *expr, const char *file,
							unsigned int line, const char *func)
{
	struct devrt_group *g = devrt_cur_group;
	char name[512];

	/* for the fault report: a fiber group ends before it is asked */
	devrt_assert_at.thread = threadIdx;
	devrt_assert_at.block = blockIdx;
	devrt_assert_at.pc = (char *)__builtin_return_address(0) - 1;
	devrt_assert_at.set = 1;
	fprintf(stderr, "%s:%u: %s: block: [%u,%u,%u], thread: [%u,%u,%u] Assertion `%s` failed.\n",
		file ? file : "?", line, func ? assert_func_name(func, name, sizeof(name)) : "?",
		blockIdx.x, blockIdx.y, blockIdx.z,
		threadIdx.x, threadIdx.y, threadIdx.z, expr ? expr : "?");
	if (g) {
		g->aborted = 1;
		devrt_fiber_wait(g, DEVRT_DONE);
	} else if (devrt_loop_jmp) {
		longjmp(*(jmp_buf *)devrt_loop_jmp, 1);
	}
	/* Not inside a work-group (a code object's constructor): nowhere to
	 * return to, so raise the fault the device reports as illegal. */
	__builtin_trap();
}
