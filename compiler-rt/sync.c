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

/* Contributes `val` to a warp operation and returns its result. */
DEVRT_API uint64_t __musa_warp_op(unsigned op, unsigned mask, uint64_t val, int arg, int width)
{
	struct devrt_group *g = devrt_cur_group;
	struct devrt_fiber *f;

	if (!g) {
		loop_mode_barrier("a warp operation");
		/* A lone thread: every lane it can see is itself. */
		switch (op) {
		case DEVRT_WOP_BALLOT:
			return val ? (mask & 1u) : 0;
		case DEVRT_WOP_ANY:
		case DEVRT_WOP_ALL:
			return val != 0;
		default:
			return val;
		}
	}
	f = &g->fibers[g->cur];
	f->op = op;
	f->mask = mask;
	f->val = val;
	f->arg = arg;
	f->width = width;
	devrt_fiber_wait(g, DEVRT_WARP);
	return g->fibers[g->cur].result;
}

/* Lanes of the caller's warp that have not returned yet. */
DEVRT_API unsigned __activemask(void)
{
	struct devrt_group *g = devrt_cur_group;
	unsigned base, i, m = 0;

	if (!g)
		return 1u;
	base = g->cur - g->cur % g->warp_size;
	for (i = base; i < g->n && i < base + g->warp_size && i - base < 32; i++)
		if (g->fibers[i].state != DEVRT_DONE)
			m |= 1u << (i - base);
	return m;
}

/* A failed device assert ends the work-group with MUSA_WG_ASSERT; the
 * message goes to stderr, as a GPU's assert prints it. Code objects bind
 * their assert() calls here, not to libc's, because this definition is
 * linked into them statically. */
DEVRT_API __attribute__((noreturn)) void __assert_fail(const char *expr, const char *file,
							unsigned int line, const char *func)
{
	struct devrt_group *g = devrt_cur_group;

	fprintf(stderr, "%s:%u: %s: block: [%u,%u,%u], thread: [%u,%u,%u] Assertion `%s` failed.\n",
		file ? file : "?", line, func ? func : "?", blockIdx.x, blockIdx.y, blockIdx.z,
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
