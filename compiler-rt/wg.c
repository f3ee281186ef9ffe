/* SPDX-License-Identifier: MIT */
/*
 * wg.c - running one work-group: __musa_run_wg, the entry every
 * mcc-generated kernel entry calls.
 *
 * A kernel without barriers or warp operations runs its threads as a plain
 * loop: mcc generates that loop with the body inlined (__musa_run_wg_loop);
 * kernels it could not inline come here with a thread function (run_loop).
 * Otherwise each thread is a fiber on a pooled stack (fiber_stack.c),
 * scheduled round-robin on the compute-unit thread: a pass resumes every
 * runnable fiber once; a fiber runs until it returns, waits at a barrier or
 * waits at a warp operation. Between passes the scheduler releases a warp
 * whose live lanes all wait at a warp operation (computing the results),
 * and the barrier once every live fiber waits there (returned threads count
 * as arrived). All state is thread-local, so any number of compute-unit
 * threads may run groups at once. May call libc and the logger (lib/log) only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "devrt.h"
#include "musa_log.h"
#include "musa_warp_site.h"

/*
 * The 64-byte alignment raises the alignment of the code object's whole TLS
 * block. glibc gives a dlopen'ed module's block to each thread from malloc;
 * aligned above 16 bytes it is never 16 bytes into a page. AddressSanitizer's
 * tracking of dynamic TLS (gcc 12's runtime) takes a block that starts 16
 * bytes into a page for one with glibc 2.19's size-and-start header in front
 * of it and reads both from the allocator's chunk header instead: LeakSanitizer
 * then scans a wild range at exit and dies. The alignment costs nothing else.
 */
__thread uint3 threadIdx DEVRT_HIDDEN __attribute__((aligned(64)));
__thread uint3 blockIdx DEVRT_HIDDEN;
__thread void *devrt_entry_pc DEVRT_HIDDEN;
__thread dim3 blockDim DEVRT_HIDDEN;
__thread dim3 gridDim DEVRT_HIDDEN;
__thread void *__musa_dyn_shared DEVRT_HIDDEN;

__thread struct devrt_group *devrt_cur_group DEVRT_HIDDEN;
__thread struct devrt_assert_at devrt_assert_at DEVRT_HIDDEN;
__thread uint64_t devrt_sync_epoch DEVRT_HIDDEN;
__thread uint32_t devrt_warp_epoch[DEVRT_RACE_WARPS] DEVRT_HIDDEN;
__thread uint32_t devrt_cur_warp_size DEVRT_HIDDEN;
__thread uint32_t devrt_cur_dyn_shared_size DEVRT_HIDDEN;
/* The group (and its launch) this thread began last, so that an entry that
 * never called group_begin (a hand-written one) is not told another
 * group's indices. */
static __thread const struct musa_wg *devrt_began_wg;
static __thread const struct musa_wg_launch *devrt_began_launch;
__thread void *devrt_loop_jmp DEVRT_HIDDEN;

/* Sanitizer fiber hooks: present only when the process runs a sanitizer. */
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size)
	__attribute__((weak));
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
				     size_t *size_old) __attribute__((weak));
void *__tsan_get_current_fiber(void) __attribute__((weak));
void *__tsan_create_fiber(unsigned flags) __attribute__((weak));
void __tsan_destroy_fiber(void *fiber) __attribute__((weak));
void __tsan_switch_to_fiber(void *fiber, unsigned flags) __attribute__((weak));

int __musa_run_wg(const struct musa_wg *wg, void (*thread_fn)(const void *kernarg),
		  unsigned flags) __attribute__((visibility("hidden")));
int __musa_run_wg_loop(const struct musa_wg *wg,
		       void (*loop_fn)(const void *kernarg, unsigned int count))
	__attribute__((visibility("hidden")));

/* Debug lines under the device category of the stack's logger
 * (MUSA_LOG=debug or debug:device), MUSA_LOG read once per code object. */
void devrt_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	musa_log_va(MUSA_LOG_DEVICE, MUSA_LOG_DEBUG, fmt, ap);
	va_end(ap);
}

/* Switching, with the sanitizers told about every stack change. */

static void switch_to_fiber(struct devrt_group *g, struct devrt_fiber *f)
{
	void *fake = NULL;

	if (__sanitizer_start_switch_fiber)
		__sanitizer_start_switch_fiber(&fake, f->stack_lo, f->stack_size);
	if (__tsan_switch_to_fiber && f->tsan_fiber)
		__tsan_switch_to_fiber(f->tsan_fiber, 0);
	devrt_ctx_switch(&g->sched_sp, f->sp);
	if (__sanitizer_finish_switch_fiber)
		__sanitizer_finish_switch_fiber(fake, NULL, NULL);
}

static void switch_to_sched(struct devrt_group *g, struct devrt_fiber *f, int exiting)
{
	if (__sanitizer_start_switch_fiber)
		__sanitizer_start_switch_fiber(exiting ? NULL : &f->asan_fake,
					       g->sched_stack_lo, g->sched_stack_size);
	if (__tsan_switch_to_fiber && g->sched_tsan)
		__tsan_switch_to_fiber(g->sched_tsan, 0);
	devrt_ctx_switch(&f->sp, g->sched_sp);
	if (__sanitizer_finish_switch_fiber)
		__sanitizer_finish_switch_fiber(f->asan_fake, NULL, NULL);
}

/* The first runnable fiber after index `from` (-1u: from the start), or n. */
static unsigned next_runnable(const struct devrt_group *g, unsigned from)
{
	unsigned i;

	for (i = from + 1; i < g->n; i++)
		if (g->fibers[i].state == DEVRT_RUN)
			return i;
	return g->n;
}

/*
 * The running fiber f stops: it hands the compute-unit thread straight to
 * the next runnable fiber of this pass, or back to the scheduler at the end
 * of the pass (or when the group aborts). One switch per stop instead of
 * two through the scheduler; the order of a pass stays the index order.
 */
static void pass_on(struct devrt_group *g, struct devrt_fiber *f, int exiting)
{
	unsigned nx = g->aborted ? g->n : next_runnable(g, g->cur);
	struct devrt_fiber *t;

	if (nx >= g->n) {
		switch_to_sched(g, f, exiting);
		return;
	}
	t = &g->fibers[nx];
	g->cur = nx;
	threadIdx = t->tid;
	if (__sanitizer_start_switch_fiber)
		__sanitizer_start_switch_fiber(exiting ? NULL : &f->asan_fake, t->stack_lo,
					       t->stack_size);
	if (__tsan_switch_to_fiber && t->tsan_fiber)
		__tsan_switch_to_fiber(t->tsan_fiber, 0);
	devrt_ctx_switch(&f->sp, t->sp);
	if (__sanitizer_finish_switch_fiber)
		__sanitizer_finish_switch_fiber(f->asan_fake, NULL, NULL);
}

static void fiber_main(void *arg)
{
	struct devrt_group *g = arg;
	struct devrt_fiber *f;

	/* Only the very first fiber is entered from the scheduler for sure:
	 * that switch tells ASan where the scheduler's stack is. */
	if (__sanitizer_finish_switch_fiber)
		__sanitizer_finish_switch_fiber(NULL, g->sched_stack_size ? NULL : &g->sched_stack_lo,
						g->sched_stack_size ? NULL : &g->sched_stack_size);
	g->thread_fn(g->kernarg);
	f = &g->fibers[g->cur];
	f->state = DEVRT_DONE;
	g->live--;
	pass_on(g, f, 1);
	__builtin_unreachable();
}

void devrt_fiber_wait(struct devrt_group *g, unsigned state)
{
	struct devrt_fiber *f = &g->fibers[g->cur];

	f->state = state;
	g->nwarp += state == DEVRT_WARP;
	pass_on(g, f, 0);
	/* Resumed by the scheduler or the fiber before it in the pass, which
	 * set g->cur and threadIdx for this fiber. */
}

/* Releasing waiters. */

static uint64_t warp_shfl(const struct devrt_group *g, unsigned base, unsigned end,
			  unsigned lane, const struct devrt_fiber *f)
{
	long src;

	if (!__musa_shfl_src(f->op, lane, f->arg, f->width, g->warp_size, &src))
		return f->val;
	/*
	 * A source lane with no value for this shuffle reads zero: one past
	 * the block's last thread, or one that does not take part (outside
	 * the mask, returned). CUDA leaves the result undefined; reductions
	 * count on zero, as the CUDA reduction sample does in its last pass
	 * over a block smaller than a warp and in its shuffle over a ballot
	 * mask of the first few lanes.
	 */
	if (src < 0 || base + (unsigned long)src >= end ||
	    g->fibers[base + src].state != DEVRT_WARP)
		return 0;
	return g->fibers[base + src].val;
}

/* The 32-bit folds of __reduce_*_sync, indexed from DEVRT_WOP_REDUCE_ADD. */
static uint32_t fold_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t fold_min_u(uint32_t a, uint32_t b) { return a < b ? a : b; }
static uint32_t fold_min_s(uint32_t a, uint32_t b) { return (int32_t)a < (int32_t)b ? a : b; }
static uint32_t fold_max_u(uint32_t a, uint32_t b) { return a > b ? a : b; }
static uint32_t fold_max_s(uint32_t a, uint32_t b) { return (int32_t)a > (int32_t)b ? a : b; }
static uint32_t fold_and(uint32_t a, uint32_t b) { return a & b; }
static uint32_t fold_or(uint32_t a, uint32_t b) { return a | b; }
static uint32_t fold_xor(uint32_t a, uint32_t b) { return a ^ b; }

uint32_t (*const devrt_reduce_ops[])(uint32_t, uint32_t) = {
	[DEVRT_WOP_REDUCE_ADD - DEVRT_WOP_REDUCE_ADD] = fold_add,
	[DEVRT_WOP_REDUCE_MIN_U - DEVRT_WOP_REDUCE_ADD] = fold_min_u,
	[DEVRT_WOP_REDUCE_MIN_S - DEVRT_WOP_REDUCE_ADD] = fold_min_s,
	[DEVRT_WOP_REDUCE_MAX_U - DEVRT_WOP_REDUCE_ADD] = fold_max_u,
	[DEVRT_WOP_REDUCE_MAX_S - DEVRT_WOP_REDUCE_ADD] = fold_max_s,
	[DEVRT_WOP_REDUCE_AND - DEVRT_WOP_REDUCE_ADD] = fold_and,
	[DEVRT_WOP_REDUCE_OR - DEVRT_WOP_REDUCE_ADD] = fold_or,
	[DEVRT_WOP_REDUCE_XOR - DEVRT_WOP_REDUCE_ADD] = fold_xor,
};

/*
 * Match and reduce: over the lanes of the caller's 32-lane sub-group whose
 * bit is in its mask and that wait at a warp operation (lanes that
 * returned drop out), bit i naming lane i of the sub-group as the votes do
 * (sync.c). At warp size 32 the sub-group is the warp.
 */
static uint64_t warp_collective(const struct devrt_group *g, unsigned base, unsigned end,
				unsigned lane, const struct devrt_fiber *f)
{
	unsigned sub = base + (lane & ~31u), k;
	uint32_t same = 0, present = 0, acc = 0;
	int first = 1;

	for (k = 0; k < 32 && sub + k < end; k++) {
		const struct devrt_fiber *o = &g->fibers[sub + k];

		if (!(f->mask & (1u << k)) || o->state != DEVRT_WARP)
			continue;
		present |= 1u << k;
		if (o->val == f->val)
			same |= 1u << k;
		if (f->op >= DEVRT_WOP_REDUCE_ADD) {
			acc = first ? (uint32_t)o->val :
			      devrt_reduce_ops[f->op - DEVRT_WOP_REDUCE_ADD](acc, (uint32_t)o->val);
			first = 0;
		}
	}
	if (f->op == DEVRT_WOP_MATCH_ANY)
		return same;
	if (f->op == DEVRT_WOP_MATCH_ALL)
		return same == present ? f->mask : 0;
	return acc;
}

/*
 * Whether every lane that the waiting lane `lane` names in its member mask
 * (bit k: lane k of its 32-lane sub-group, as for the votes) has arrived at
 * a warp operation or returned.
 */
static int members_arrived(const struct devrt_group *g, unsigned base, unsigned end,
			   unsigned lane)
{
	unsigned sub = base + (lane & ~31u), k;
	unsigned mask = g->fibers[base + lane].mask;

	for (k = 0; k < 32 && sub + k < end; k++)
		if ((mask & (1u << k)) && g->fibers[sub + k].state != DEVRT_WARP &&
		    g->fibers[sub + k].state != DEVRT_DONE)
			return 0;
	return 1;
}

/* The lanes a release lets go: a bit per lane, for warps of up to 256. */
#define WARP_GO_WORDS 4

static int warp_go(const uint64_t *go, unsigned lane)
{
	return lane < WARP_GO_WORDS * 64 && (go[lane / 64] >> (lane % 64) & 1);
}

/*
 * Releases the warps whose live lanes all wait at a warp operation. In a
 * warp where some lanes wait elsewhere (at a barrier), the waiting lanes
 * whose member masks leave those lanes out go on: a shuffle over the
 * first eight lanes inside `if (lane < 8)`, with the other lanes at the
 * __syncthreads() after it, is how CUDA code scans per-warp sums.
 */
static int release_warps(struct devrt_group *g)
{
	unsigned base, i, released = 0;

	for (base = 0; base < g->n; base += g->warp_size) {
		unsigned end = base + g->warp_size < g->n ? base + g->warp_size : g->n;
		uint64_t ballot = 0, present = 0, go[WARP_GO_WORDS] = { 0 };
		int waiting = 0, blocked = 0, any = 0;

		for (i = base; i < end; i++) {
			if (g->fibers[i].state == DEVRT_WARP)
				waiting = 1;
			else if (g->fibers[i].state != DEVRT_DONE)
				blocked = 1;
		}
		if (!waiting)
			continue;
		for (i = base; i < end; i++)
			if (g->fibers[i].state == DEVRT_WARP && i - base < WARP_GO_WORDS * 64 &&
			    (!blocked || members_arrived(g, base, end, i - base))) {
				go[(i - base) / 64] |= 1ull << ((i - base) % 64);
				any = 1;
			}
		if (!any)
			continue;
		for (i = base; i < end; i++) {
			unsigned lane = i - base;

			if (g->fibers[i].state != DEVRT_WARP || lane >= 64)
				continue;
			present |= 1ull << lane;
			if (g->fibers[i].val)
				ballot |= 1ull << lane;
		}
		for (i = base; i < end; i++) {
			struct devrt_fiber *f = &g->fibers[i];
			uint64_t want;

			if (f->state != DEVRT_WARP || !warp_go(go, i - base))
				continue;
			want = present & (uint64_t)f->mask;
			switch (f->op) {
			case DEVRT_WOP_SYNC:
				f->result = 0;
				break;
			case DEVRT_WOP_BALLOT:
				f->result = ballot & f->mask;
				break;
			case DEVRT_WOP_ANY:
				f->result = (ballot & want) != 0;
				break;
			case DEVRT_WOP_ALL:
				f->result = (ballot & want) == want;
				break;
			case DEVRT_WOP_SHFL_IDX:
			case DEVRT_WOP_SHFL_UP:
			case DEVRT_WOP_SHFL_DOWN:
			case DEVRT_WOP_SHFL_XOR:
				f->result = warp_shfl(g, base, end, i - base, f);
				break;
			default:
				f->result = f->op < DEVRT_WOP_COUNT ?
					    warp_collective(g, base, end, i - base, f) : 0;
				break;
			}
		}
		for (i = base; i < end; i++)
			if (g->fibers[i].state == DEVRT_WARP && warp_go(go, i - base)) {
				g->fibers[i].state = DEVRT_RUN;
				g->nwarp--;
			}
		devrt_warp_epoch[(base / g->warp_size) % DEVRT_RACE_WARPS]++;
		released++;
	}
	return released != 0;
}

/* Releases the barrier when every live fiber waits at it. With `force`,
 * releases every waiter whatever it waits for: the threads diverged at
 * barriers, which CUDA leaves undefined; carrying on beats hanging. */
static void release_barrier(struct devrt_group *g, int force)
{
	unsigned i;
	int count = 0, all = 1, any = 0;

	for (i = 0; i < g->n; i++) {
		const struct devrt_fiber *f = &g->fibers[i];

		if (f->state == DEVRT_DONE)
			continue;
		if (f->state != DEVRT_BAR && !force)
			return;
		if (f->state == DEVRT_BAR) {
			count += f->val != 0;
			all &= f->val != 0;
			any |= f->val != 0;
		}
	}
	if (force)
		devrt_log("threads of block (%u,%u,%u) diverged at a barrier",
			  blockIdx.x, blockIdx.y, blockIdx.z);
	for (i = 0; i < g->n; i++) {
		struct devrt_fiber *f = &g->fibers[i];

		if (f->state == DEVRT_DONE)
			continue;
		if (f->state == DEVRT_BAR)
			f->result = f->op == DEVRT_BOP_COUNT ? (uint64_t)count :
				    f->op == DEVRT_BOP_AND ? (uint64_t)all :
				    f->op == DEVRT_BOP_OR ? (uint64_t)any : 0;
		else if (f->state == DEVRT_WARP)
			f->result = f->val;
		f->state = DEVRT_RUN;
	}
	g->nwarp = 0;
	devrt_sync_epoch++;
}

/* The two ways to run a group. */

static int run_loop(const struct musa_wg *wg, void (*thread_fn)(const void *))
{
	const struct musa_wg_launch *l = wg->launch;
	jmp_buf jb;
	unsigned x, y, z;

	if (setjmp(jb)) {
		devrt_loop_jmp = NULL;
		return MUSA_WG_ASSERT;
	}
	devrt_loop_jmp = &jb;
	for (z = 0; z < l->block[2]; z++)
		for (y = 0; y < l->block[1]; y++)
			for (x = 0; x < l->block[0]; x++) {
				threadIdx.x = x;
				threadIdx.y = y;
				threadIdx.z = z;
				thread_fn(l->kernarg);
			}
	devrt_loop_jmp = NULL;
	return MUSA_WG_OK;
}

static void fibers_release_tsan(struct devrt_group *g)
{
	unsigned i;

	if (!__tsan_destroy_fiber)
		return;
	for (i = 0; i < g->n; i++)
		if (g->fibers[i].tsan_fiber) {
			__tsan_destroy_fiber(g->fibers[i].tsan_fiber);
			g->fibers[i].tsan_fiber = NULL;
		}
}

static int run_fibers(const struct musa_wg *wg, void (*thread_fn)(const void *))
{
	const struct musa_wg_launch *l = wg->launch;
	struct devrt_group g;
	unsigned i, n = l->block[0] * l->block[1] * l->block[2];
	int ret = MUSA_WG_OK;

	memset(&g, 0, sizeof(g));
	g.fibers = devrt_fibers_get(n);
	if (!g.fibers) {
		devrt_log("no memory for %u fiber stacks", n);
		return MUSA_WG_OUT_OF_RESOURCES;
	}
	g.n = n;
	g.live = n;
	g.warp_size = l->warp_size ? l->warp_size : 32;
	g.thread_fn = thread_fn;
	g.kernarg = l->kernarg;
	if (__tsan_get_current_fiber)
		g.sched_tsan = __tsan_get_current_fiber();
	for (i = 0; i < n; i++) {
		struct devrt_fiber *f = &g.fibers[i];

		f->tid.x = i % l->block[0];
		f->tid.y = (i / l->block[0]) % l->block[1];
		f->tid.z = i / (l->block[0] * l->block[1]);
		f->state = DEVRT_RUN;
		f->asan_fake = NULL;
		f->tsan_fiber = __tsan_create_fiber ? __tsan_create_fiber(0) : NULL;
		f->sp = devrt_ctx_make(f->stack_lo, f->stack_size, fiber_main, &g);
		if (!f->sp) {
			fibers_release_tsan(&g);
			return MUSA_WG_OUT_OF_RESOURCES;
		}
	}
	devrt_cur_group = &g;
	while (g.live) {
		int ran = 0;

		/* one pass: the runnable fibers, each handing on to the next */
		i = next_runnable(&g, -1u);
		if (i < n) {
			g.cur = i;
			threadIdx = g.fibers[i].tid;
			switch_to_fiber(&g, &g.fibers[i]);
			ran = 1;
			if (g.aborted) {
				ret = MUSA_WG_ASSERT;
				goto out;
			}
		}
		if (!g.live)
			break;
		/* most passes end at a barrier: no warp to look at */
		if (g.nwarp && release_warps(&g))
			continue;
		release_barrier(&g, !ran);
	}
out:
	devrt_cur_group = NULL;
	fibers_release_tsan(&g);
	return ret;
}

/* Sets the group's thread-local state; returns 0 when there is a group to run. */
static int group_begin(const struct musa_wg *wg)
{
	const struct musa_wg_launch *l = wg->launch;

	if (!l->block[0] || !l->block[1] || !l->block[2])
		return -1;
	blockIdx.x = wg->block_idx[0];
	blockIdx.y = wg->block_idx[1];
	blockIdx.z = wg->block_idx[2];
	blockDim.x = l->block[0];
	blockDim.y = l->block[1];
	blockDim.z = l->block[2];
	gridDim.x = l->grid[0];
	gridDim.y = l->grid[1];
	gridDim.z = l->grid[2];
	__musa_dyn_shared = wg->dyn_shared;
	/* A fault the compute unit escaped from (kmd fault.c) abandons the last
	 * group mid-run: its fibers and jump buffer are gone. Nothing of it is
	 * reused but the pooled stacks, whose fibers run_fibers makes afresh
	 * (docs/design.md, "Faults": what else an abandoned group leaves). */
	devrt_cur_group = NULL;
	devrt_loop_jmp = NULL;
	devrt_assert_at.set = 0;
	devrt_began_wg = wg;
	devrt_began_launch = wg->launch;
	devrt_sync_epoch = (devrt_sync_epoch | 0xffffffffull) + 1;
	devrt_cur_warp_size = l->warp_size ? l->warp_size : 32;
	devrt_cur_dyn_shared_size = l->dyn_shared_size;
	/* Every way of running threads but mcc's loops without calls stores
	 * each thread's index here before it runs; such a loop leaves this
	 * mark, which tells devrt_wg_where the index is not known. */
	threadIdx.x = threadIdx.y = threadIdx.z = ~0u;
	return 0;
}

/* MUSA_WG_WHERE_SYM (musa_codeobj.h), called by the compute unit on this
 * thread after an entry call ended in a fault or an assert. */
__attribute__((visibility("default"), used)) void __musa_wg_where(const struct musa_wg *wg,
								   struct musa_wg_where *out);

void __musa_wg_where(const struct musa_wg *wg, struct musa_wg_where *out)
{
	const struct devrt_assert_at *a = &devrt_assert_at;
	uint3 t = a->set ? a->thread : threadIdx, b = a->set ? a->block : blockIdx;

	memset(out, 0, sizeof(*out));
	if (!wg || wg != devrt_began_wg || wg->launch != devrt_began_launch)
		return;
	if (a->set) {
		out->flags |= MUSA_WG_WHERE_PC;
		out->pc = (uint64_t)(uintptr_t)a->pc;
	}
	/* The thread index is stored, and with it the block index of a run
	 * of groups; without it the block is known for a single group only
	 * (a loop keeps a run's later block indices to itself too). */
	if (t.x != ~0u) {
		out->flags |= MUSA_WG_WHERE_THREAD | MUSA_WG_WHERE_BLOCK;
		out->thread[0] = t.x;
		out->thread[1] = t.y;
		out->thread[2] = t.z;
	} else if (wg && wg->count <= 1) {
		out->flags |= MUSA_WG_WHERE_BLOCK;
	}
	if (out->flags & MUSA_WG_WHERE_BLOCK) {
		out->block[0] = b.x;
		out->block[1] = b.y;
		out->block[2] = b.z;
	}
}

int __musa_run_wg(const struct musa_wg *wg, void (*thread_fn)(const void *kernarg),
		  unsigned flags)
{
	int ret;

	if (!wg || !wg->launch || !thread_fn)
		return MUSA_WG_OUT_OF_RESOURCES;
	devrt_entry_pc = __builtin_return_address(0);
	if (group_begin(wg) != 0)
		return MUSA_WG_OK;
	if (flags & MUSA_META_F_ALL)
		ret = run_fibers(wg, thread_fn);
	else
		ret = run_loop(wg, thread_fn);
	return ret;
}

/* Loop mode generated by mcc: loop_fn holds the three loops over the
 * group's threads with the kernel body inlined; with MUSA_META_F_RANGE it
 * walks a run of wg->count groups itself (blockIdx is the first). An
 * assert leaves it through the jump buffer, as in run_loop. */
int __musa_run_wg_loop(const struct musa_wg *wg,
		       void (*loop_fn)(const void *kernarg, unsigned int count))
{
	jmp_buf jb;

	if (!wg || !wg->launch || !loop_fn)
		return MUSA_WG_OUT_OF_RESOURCES;
	devrt_entry_pc = __builtin_return_address(0);
	if (group_begin(wg) != 0)
		return MUSA_WG_OK;
	if (setjmp(jb)) {
		devrt_loop_jmp = NULL;
		return MUSA_WG_ASSERT;
	}
	devrt_loop_jmp = &jb;
	loop_fn(wg->launch->kernarg, wg->count > 1 ? wg->count : 1u);
	devrt_loop_jmp = NULL;
	return MUSA_WG_OK;
}
