/* SPDX-License-Identifier: MIT */
/*
 * cu.c - the compute units of a software device: one worker thread per CU,
 * started by the first SUBMIT that holds a dispatch. Workers take
 * work-groups from the active dispatches in arrival order, so dispatches
 * from several queues share the CUs. Each worker owns the dynamic shared
 * memory buffer it hands to the work-groups it runs.
 *
 * Every entry call runs under a sigsetjmp escape point (fault.c): a fault
 * of kernel code, or the watchdog (MUSA_WATCHDOG_MS, read when the pool
 * starts), lands back here, the group counts as finished with the fault,
 * and the groups of that dispatch not yet started are skipped. A forked
 * child forgets the pools: their threads did not survive the fork.
 * A dispatch of a kernel called through libffi gets its entry and call
 * state from ffi.c before its groups are handed out. A recorded dispatch
 * (trace.c) gets a record of each worker's run of its groups, on the
 * lowest compute-unit number free at the run's start.
 *
 * Every thread that runs groups has a stack of KMD_CU_STACK_SIZE, which
 * leaves an entry MUSA_WG_STACK_SIZE below the frames of its caller;
 * SUBMIT refuses a dispatch whose kernel declares a larger need for its
 * work-group entry (kmd_cu_stack_check) instead of letting it overflow.
 * Calls fault.c, ffi.c, trace.c and kmd_log().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kmd.h"

/* While a timed-out group has not escaped, the watchdog signal is sent
 * again this often (the first one may land between two groups). */
#define KMD_WATCHDOG_RETRY_NS 10000000ll

/*
 * What a compute unit's stack keeps for itself below a work-group entry:
 * the frames of the command processor (which runs groups too) and of this
 * file down to the entry call, libffi's call of an FFI kernel, the fault
 * escape and the dynamic loader's lazy paths. Signal handlers run on their
 * own stack (fault.c).
 */
#define KMD_CU_STACK_RESERVE (1u << 20)

_Static_assert(KMD_CU_STACK_SIZE >= (uint64_t)MUSA_WG_STACK_SIZE + KMD_CU_STACK_RESERVE,
	       "a compute unit gives every entry the stack the work-group ABI promises");

int kmd_cu_stack_check(const struct kmd_kernel *k)
{
	if (k->scratch_size > MUSA_WG_STACK_SIZE) {
		kmd_log("kernel needs %u bytes of stack; a compute unit gives %u",
			k->scratch_size, MUSA_WG_STACK_SIZE);
		return -E2BIG;
	}
	return 0;
}

struct kmd_cu_worker;

struct kmd_cu_pool {
	pthread_mutex_t lock;
	struct kmd_wq work;            /* moved when a dispatch arrives */
	struct kmd_dispatch *head, *tail;
	uint32_t nthreads;
	uint32_t slots;                 /* threads that may run groups at once */
	uint32_t running;               /* threads running groups: <= slots */
	bool serial;                    /* MUSA_DEBUG_SERIAL: one group at a time */
	struct kmd_cu_worker **workers;
	/* the compute-unit numbers held by workers running recorded
	 * dispatches (trace.c), a bit each; under the pool lock */
	uint64_t *cu_ids;
	uint32_t cu_id_words;
	unsigned long watchdog_ms;     /* 0: off */
	struct kmd_device *dev;
	struct kmd_cu_pool *next;      /* every started pool, for fork */
};

struct kmd_cu_worker {
	struct kmd_cu_pool *pool;
	pthread_t thread;
	struct kmd_dispatch *cur;      /* dispatch whose groups it runs, under pool lock */
	void *shared;
	size_t shared_size;
	struct kmd_fault_cu fault;
	bool contained;                /* fault handling is set up */
	uint32_t cu_id;                /* its number while it runs a recorded dispatch */
};

/* A dispatch is over once every group ended and no worker still holds it. */
static bool dispatch_over(const struct kmd_dispatch *d)
{
	return d->finished == d->groups && d->busy == 0;
}

/* Drops an exhausted dispatch from the head of the active list. Pool lock held. */
static void pool_unlink_head(struct kmd_cu_pool *pool, struct kmd_dispatch *d)
{
	if (pool->head != d)
		return;
	pool->head = d->link;
	if (!pool->head)
		pool->tail = NULL;
}

/* Pool lock held. The first fault wins; a group the watchdog stopped
 * tells where it was after the watchdog named the kind. */
static void dispatch_set_result(struct kmd_dispatch *d, int kind,
				const struct kmd_fault_info *info)
{
	int cur = __atomic_load_n(&d->result, __ATOMIC_RELAXED);

	if (cur == 0) {
		if (info)
			d->fault = *info;
		__atomic_store_n(&d->result, kind, __ATOMIC_RELAXED);
	} else if (cur == kind && info && !d->fault.flags) {
		d->fault = *info;
	}
}

static uint32_t wg_result_fault(int result)
{
	if (result == MUSA_WG_OK)
		return DRM_MUSA_FAULT_NONE;
	if (result == MUSA_WG_ASSERT)
		return DRM_MUSA_FAULT_ASSERT;
	if (result == MUSA_WG_OUT_OF_RESOURCES || result < 0)
		return DRM_MUSA_FAULT_OUT_OF_RESOURCES;
	return DRM_MUSA_FAULT_LAUNCH_FAILED;
}

/*
 * Asks the code object where the group stood (MUSA_WG_WHERE_SYM) after its
 * entry call ended in a fault or an assert: on this thread, whose
 * thread-locals still hold the group's state, under an escape of its own
 * in case the kernel wrecked that state too. Without the object's answer
 * a single group's index is still known.
 */
static void fault_where(struct kmd_fault_cu *t, const struct kmd_dispatch *d,
			const struct musa_wg *wg, struct kmd_fault_info *info)
{
	struct musa_wg_where w;

	memset(&w, 0, sizeof(w));
	if (d->where && !sigsetjmp(t->escape, 0)) {
		atomic_signal_fence(memory_order_seq_cst);
		t->armed = 1;
		atomic_signal_fence(memory_order_seq_cst);
		d->where(wg, &w);
		atomic_signal_fence(memory_order_seq_cst);
		t->armed = 0;
	} else if (d->where) {
		kmd_fault_cu_landed(t);
		memset(&w, 0, sizeof(w));
	}
	if (!(w.flags & MUSA_WG_WHERE_BLOCK) && wg->count <= 1) {
		w.flags |= MUSA_WG_WHERE_BLOCK;
		memcpy(w.block, wg->block_idx, sizeof(w.block));
	}
	if (w.flags & MUSA_WG_WHERE_BLOCK) {
		info->flags |= DRM_MUSA_FAULT_HAS_BLOCK;
		memcpy(info->block, w.block, sizeof(info->block));
	}
	if (w.flags & MUSA_WG_WHERE_THREAD) {
		info->flags |= DRM_MUSA_FAULT_HAS_THREAD;
		memcpy(info->thread, w.thread, sizeof(info->thread));
	}
	if ((w.flags & MUSA_WG_WHERE_PC) && !(info->flags & DRM_MUSA_FAULT_HAS_PC)) {
		info->flags |= DRM_MUSA_FAULT_HAS_PC;
		info->pc = w.pc;
	}
}

/* The escape point. Nothing here changes after sigsetjmp, so nothing can
 * be clobbered by the jump back. */
static uint32_t run_entry(struct kmd_fault_cu *t, struct kmd_dispatch *d,
			  const struct musa_wg *wg, struct kmd_fault_info *info)
{
	uint32_t kind;

	t->d = d;
	if (sigsetjmp(t->escape, 0)) {
		kmd_fault_cu_landed(t);
		info->address = t->address;
		info->pc = t->pc;
		if (t->pc)
			info->flags |= DRM_MUSA_FAULT_HAS_PC;
		fault_where(t, d, wg, info);
		return t->kind;
	}
	atomic_signal_fence(memory_order_seq_cst);
	t->armed = 1;
	atomic_signal_fence(memory_order_seq_cst);
	kind = wg_result_fault(d->entry(wg));
	atomic_signal_fence(memory_order_seq_cst);
	t->armed = 0;
	if (kind == DRM_MUSA_FAULT_ASSERT)
		fault_where(t, d, wg, info);
	return kind;
}

static uint32_t run_group(struct kmd_cu_worker *w, struct kmd_dispatch *d, uint64_t g,
			  uint32_t count, struct kmd_fault_info *info)
{
	struct musa_wg wg;
	uint64_t gx = d->launch.grid[0], gy = d->launch.grid[1];

	memset(&wg, 0, sizeof(wg));
	if (d->launch.dyn_shared_size > w->shared_size) {
		void *n = realloc(w->shared, d->launch.dyn_shared_size);

		if (!n)
			return DRM_MUSA_FAULT_OUT_OF_RESOURCES;
		w->shared = n;
		w->shared_size = d->launch.dyn_shared_size;
	}
	wg.launch = &d->launch;
	wg.block_idx[0] = (uint32_t)(g % gx);
	wg.block_idx[1] = (uint32_t)((g / gx) % gy);
	wg.block_idx[2] = (uint32_t)(g / (gx * gy));
	wg.count = count;
	wg.dyn_shared = w->shared;
	if (!w->contained)
		return wg_result_fault(d->entry(&wg));
	return run_entry(&w->fault, d, &wg, info);
}

/*
 * How many groups a worker takes at once: one for small grids, so that
 * long groups spread over all compute units, and up to CU_BATCH_MAX for
 * large grids, where each take (an atomic add on a line every worker
 * writes) would otherwise cost about as much as a small group's work. At
 * least 32 takes per worker remain, which keeps the tail balanced.
 */
#define CU_BATCH_MAX 16u

static uint64_t cu_batch(const struct kmd_cu_pool *pool, const struct kmd_dispatch *d)
{
	if (pool->serial)
		return 1;
	uint64_t b = d->groups / ((uint64_t)(pool->nthreads ? pool->nthreads : 1) * 32u);

	return b < 1 ? 1 : b > CU_BATCH_MAX ? CU_BATCH_MAX : b;
}

/*
 * Splits d's groups into contiguous shares, one per compute unit the grid
 * has batches for. A thread takes from the share of the core it runs on
 * first and from the others once that is empty, so a run of launches over
 * the same data (an elimination's row updates, a solver's sweeps) keeps
 * each range on the core whose cache holds it, while no core idles when
 * another still has groups.
 */
static void cu_share_out(const struct kmd_cu_pool *pool, struct kmd_dispatch *d)
{
	uint64_t batch = cu_batch(pool, d), n = (d->groups + batch - 1) / batch;

	if (n > pool->slots)
		n = pool->slots;
	if (n > KMD_CU_SHARES)
		n = KMD_CU_SHARES;
	d->nshares = n ? (uint32_t)n : 1;
	for (uint32_t k = 0; k < d->nshares; k++) {
		atomic_init(&d->share[k].next, d->groups * k / d->nshares);
		d->share[k].end = d->groups * (k + 1) / d->nshares;
	}
}

/* Whether some share of d still has groups to hand out. */
static bool dispatch_has_groups(const struct kmd_dispatch *d)
{
	for (uint32_t k = 0; k < d->nshares; k++)
		if (atomic_load_explicit(&d->share[k].next, memory_order_relaxed) < d->share[k].end)
			return true;
	return false;
}

/* Takes up to `batch` groups [*g, *end), from share *from onwards; false
 * when every share is empty. *from follows the share it took from. */
static bool cu_take(struct kmd_dispatch *d, uint64_t batch, uint32_t *from, uint64_t *g,
		    uint64_t *end)
{
	for (uint32_t i = 0; i < d->nshares; i++) {
		uint32_t k = (*from + i) % d->nshares;
		struct kmd_cu_share *s = &d->share[k];
		uint64_t x;

		if (atomic_load_explicit(&s->next, memory_order_relaxed) >= s->end)
			continue;
		x = atomic_fetch_add(&s->next, batch);
		if (x >= s->end)
			continue;
		*g = x;
		*end = s->end - x < batch ? s->end : x + batch;
		*from = k;
		return true;
	}
	return false;
}

/*
 * Runs groups of `d` until none is left to hand out, taking them a batch
 * at a time with one atomic add and no lock, so small groups do not queue
 * on the pool lock. Once the dispatch failed or timed out, the groups left
 * are only counted. Returns how many groups it ended.
 */
static uint64_t cu_drain(struct kmd_cu_worker *w, struct kmd_dispatch *d,
			 uint32_t *kind, struct kmd_fault_info *info)
{
	uint64_t g, end, n = 0, batch = cu_batch(w->pool, d);
	int cpu = sched_getcpu();
	uint32_t from = cpu >= 0 ? (uint32_t)cpu % d->nshares : 0;

	while (cu_take(d, batch, &from, &g, &end)) {
		if (d->range) {
			/* one entry call runs the whole batch */
			n += end - g;
			if (!*kind && !__atomic_load_n(&d->result, __ATOMIC_RELAXED) &&
			    !atomic_load(&d->timed_out))
				*kind = run_group(w, d, g, (uint32_t)(end - g), info);
			continue;
		}
		for (; g < end; g++) {
			n++;
			if (*kind || __atomic_load_n(&d->result, __ATOMIC_RELAXED) ||
			    atomic_load(&d->timed_out))
				continue;
			*kind = run_group(w, d, g, 0, info);
		}
	}
	return n;
}

/*
 * A compute unit's number for the trace: the lowest one no worker running
 * a recorded dispatch holds. No more threads than slots run groups at
 * once (workers and command processors acting as guests), and a thread
 * takes its number while a slot is free, so one always is. Pool lock held.
 */
static uint32_t cu_id_take(struct kmd_cu_pool *pool)
{
	for (uint32_t i = 0; i < pool->cu_id_words; i++) {
		if (pool->cu_ids[i] != ~0ull) {
			uint32_t b = (uint32_t)__builtin_ctzll(~pool->cu_ids[i]);

			pool->cu_ids[i] |= 1ull << b;
			return i * 64 + b;
		}
	}
	return 0;
}

static void cu_id_put(struct kmd_cu_pool *pool, uint32_t id)
{
	if (id / 64 < pool->cu_id_words)
		pool->cu_ids[id / 64] &= ~(1ull << (id % 64));
}

/* Takes the head dispatch for w while a compute-unit slot is free; NULL
 * when there is nothing to run or every slot is taken. Pool lock held. */
static struct kmd_dispatch *pool_take(struct kmd_cu_pool *pool, struct kmd_cu_worker *w)
{
	while (pool->head && pool->running < pool->slots) {
		struct kmd_dispatch *d = pool->head;

		if (!dispatch_has_groups(d)) {
			pool_unlink_head(pool, d);
			continue;
		}
		d->busy++;
		pool->running++;
		w->cur = d;
		if (d->trace)
			w->cu_id = cu_id_take(pool);
		return d;
	}
	return NULL;
}

/* Whether the head dispatch still has groups to hand out. Pool lock held. */
static bool pool_has_groups(const struct kmd_cu_pool *pool)
{
	return pool->head && dispatch_has_groups(pool->head);
}

/* Runs groups of d (taken by pool_take) until none is left to hand out.
 * Pool lock not held on entry, held on return. */
static void pool_drain_unlocked(struct kmd_cu_pool *pool, struct kmd_cu_worker *w,
				struct kmd_dispatch *d)
{
	uint64_t n, start = d->trace ? kmd_clock_ns() : 0;
	struct kmd_fault_info info = { 0 };
	uint32_t kind = DRM_MUSA_FAULT_NONE;

	kmd_busy_enter();
	n = cu_drain(w, d, &kind, &info);
	kmd_busy_leave();
	if (d->trace)
		kmd_trace_cu_run(d, w->cu_id, start, n);
	pthread_mutex_lock(&pool->lock);
	if (d->trace)
		cu_id_put(pool, w->cu_id);
	w->cur = NULL;
	pool->running--;
	/* A failed group skips the rest of its dispatch. */
	if (kind)
		dispatch_set_result(d, (int)kind, &info);
	pool_unlink_head(pool, d);
	d->finished += n;
	d->busy--;
	if (dispatch_over(d))
		kmd_wq_wake(&d->done, 1);   /* its one waiter: the CP */
	/* the slot this frees may be what an idle worker waits for */
	if (pool_has_groups(pool))
		kmd_wq_wake(&pool->work, 1);
}

/* pool_drain_unlocked() with the pool lock held on entry. */
static void pool_drain(struct kmd_cu_pool *pool, struct kmd_cu_worker *w, struct kmd_dispatch *d)
{
	pthread_mutex_unlock(&pool->lock);
	pool_drain_unlocked(pool, w, d);
}

static void cu_worker_contain(struct kmd_cu_worker *w)
{
	int err = kmd_fault_cu_init(&w->fault);

	w->contained = err == 0;
	if (err)
		kmd_log("compute unit: faults of kernels are not contained: errno %d", -err);
}

static void *cu_worker(void *arg)
{
	struct kmd_cu_worker *w = arg;
	struct kmd_cu_pool *pool = w->pool;

	cu_worker_contain(w);
	pthread_mutex_lock(&pool->lock);
	for (;;) {
		struct kmd_dispatch *d;

		while (!(d = pool_take(pool, w))) {
			uint32_t ticket = kmd_wq_ticket(&pool->work);

			pthread_mutex_unlock(&pool->lock);
			kmd_wq_wait(&pool->work, ticket, KMD_WAIT_ADAPTIVE, -1);
			pthread_mutex_lock(&pool->lock);
		}
		pool_drain(pool, w, d);
	}
	return NULL;
}

/*
 * The calling command-processor thread as a compute unit of `pool`: it
 * runs groups of the dispatches it hands out, as an OpenMP master thread
 * takes part in its parallel region, so a small grid needs no hand-off to
 * another thread. Made on first use; the thread keeps it for its life.
 */
static __thread struct kmd_cu_worker *cu_guest_self;

static struct kmd_cu_worker *cu_guest(struct kmd_cu_pool *pool)
{
	struct kmd_cu_worker *w = cu_guest_self;

	if (!w) {
		w = calloc(1, sizeof(*w));
		if (!w)
			return NULL;
		w->pool = pool;
		w->thread = pthread_self();
		cu_worker_contain(w);
		cu_guest_self = w;
	}
	return w->pool == pool ? w : NULL;
}

static void cu_pool_start(struct kmd_device *dev, struct kmd_cu_pool *pool)
{
	uint32_t n = dev->info.compute_units;

	pool->workers = calloc(n ? n : 1, sizeof(*pool->workers));
	if (!pool->workers)
		return;
	pool->cu_id_words = (n + 63) / 64;
	pool->cu_ids = calloc(pool->cu_id_words ? pool->cu_id_words : 1, sizeof(*pool->cu_ids));
	if (!pool->cu_ids)
		pool->cu_id_words = 0;   /* every run is recorded on compute unit 0 */
	for (uint32_t i = 0; i < n; i++) {
		struct kmd_cu_worker *w = calloc(1, sizeof(*w));
		pthread_attr_t attr;
		int err;

		if (!w)
			break;
		w->pool = pool;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		/* a size that does not depend on the process's stack limit:
		 * kmd_cu_stack_check() measures kernels against it */
		pthread_attr_setstacksize(&attr, KMD_CU_STACK_SIZE);
		/* The pool lock keeps a worker from reading the array early. */
		pthread_mutex_lock(&pool->lock);
		err = pthread_create(&w->thread, &attr, cu_worker, w);
		if (!err)
			pool->workers[pool->nthreads++] = w;
		pthread_mutex_unlock(&pool->lock);
		pthread_attr_destroy(&attr);
		if (err) {
			free(w);
			break;
		}
	}
}

/*
 * MUSA_DEBUG_SERIAL=1: a debugging aid. One group runs at a time, in
 * order (group 0, 1, ... of each dispatch), on one thread at a time (the
 * dispatch's command processor when it is free to, as it is without the
 * watchdog), so a breakpoint in a kernel stops where the grid's order says
 * and stepping stays in that thread. The UMD makes each launch wait for
 * its kernel too (launch.c).
 */
static bool cu_serial(void)
{
	const char *v = getenv("MUSA_DEBUG_SERIAL");

	if (!v || !*v || strcmp(v, "0") == 0)
		return false;
	if (strcmp(v, "1") != 0)
		kmd_warn("MUSA_DEBUG_SERIAL: ignoring '%s' (0 or 1)", v);
	return strcmp(v, "1") == 0;
}

/* MUSA_WATCHDOG_MS: a dispatch running longer is ended; unset or 0: off. */
static unsigned long cu_watchdog_ms(void)
{
	const char *v = getenv("MUSA_WATCHDOG_MS");
	unsigned long ms;
	char *end;

	if (!v || !*v)
		return 0;
	errno = 0;
	ms = strtoul(v, &end, 10);
	if (errno || *end || ms > 24ul * 3600 * 1000) {
		kmd_warn("MUSA_WATCHDOG_MS: ignoring '%s' (milliseconds, 0 to %lu)", v,
			 24ul * 3600 * 1000);
		return 0;
	}
	return ms;
}

static pthread_mutex_t cu_init_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kmd_cu_pool *cu_pools;
static pthread_once_t cu_fork_once = PTHREAD_ONCE_INIT;

/* The child has the pools' memory but none of their threads: let the next
 * dispatch start new ones. The old pools are left as they are, as their
 * locks may have been held at the fork. */
static void cu_atfork_child(void)
{
	for (struct kmd_cu_pool *p = cu_pools; p; p = p->next)
		p->dev->cu = NULL;
	cu_pools = NULL;
	pthread_mutex_init(&cu_init_lock, NULL);
}

static void cu_fork_hook(void)
{
	pthread_atfork(NULL, NULL, cu_atfork_child);
}

static struct kmd_cu_pool *cu_pool_get(struct kmd_device *dev)
{
	struct kmd_cu_pool *pool;

	pthread_once(&cu_fork_once, cu_fork_hook);
	pthread_mutex_lock(&cu_init_lock);
	pool = dev->cu;
	if (!pool) {
		pool = calloc(1, sizeof(*pool));
		if (pool) {
			pthread_mutex_init(&pool->lock, NULL);
			kmd_wq_init(&pool->work);
			pool->dev = dev;
			pool->watchdog_ms = cu_watchdog_ms();
			if (pool->watchdog_ms && !kmd_fault_watchdog_signal()) {
				kmd_log("device %u: watchdog unavailable", dev->index);
				pool->watchdog_ms = 0;
			}
			pool->serial = cu_serial();
			pool->slots = pool->serial ? 1 : dev->info.compute_units;
			cu_pool_start(dev, pool);
			pthread_mutex_lock(&pool->lock);
			if (pool->slots > pool->nthreads)
				pool->slots = pool->nthreads;   /* not every CU started */
			pthread_mutex_unlock(&pool->lock);
			if (pool->nthreads == 0) {
				kmd_log("device %u: no compute unit could start", dev->index);
				pthread_mutex_destroy(&pool->lock);
				free(pool->workers);
				free(pool->cu_ids);
				free(pool);
				pool = NULL;
			} else {
				pool->next = cu_pools;
				cu_pools = pool;
			}
			dev->cu = pool;
		}
	}
	pthread_mutex_unlock(&cu_init_lock);
	return pool;
}

/* Interrupts every worker still running a group of `d`. Pool lock held. */
static void cu_watchdog_kick(struct kmd_cu_pool *pool, struct kmd_dispatch *d)
{
	int sig = kmd_fault_watchdog_signal();

	for (uint32_t i = 0; i < pool->nthreads; i++)
		if (pool->workers[i]->cur == d)
			pthread_kill(pool->workers[i]->thread, sig);
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/*
 * Waits for the dispatch; with the watchdog on, ends it past its
 * deadline. Pool lock held.
 */
static void cu_wait_done(struct kmd_cu_pool *pool, struct kmd_dispatch *d)
{
	int64_t at = pool->watchdog_ms ? mono_ns() + (int64_t)pool->watchdog_ms * 1000000ll : -1;
	bool fired = false;

	while (!dispatch_over(d)) {
		uint32_t ticket = kmd_wq_ticket(&d->done);
		int ret;

		pthread_mutex_unlock(&pool->lock);
		ret = kmd_wq_wait(&d->done, ticket, KMD_WAIT_ADAPTIVE, at);
		pthread_mutex_lock(&pool->lock);
		if (ret != -ETIME || dispatch_over(d))
			continue;
		if (!fired) {
			fired = true;
			atomic_store(&d->timed_out, true);
			dispatch_set_result(d, DRM_MUSA_FAULT_TIMEOUT, NULL);
			kmd_log("device %u: watchdog ended a dispatch after %lu ms",
				pool->dev->index, pool->watchdog_ms);
		}
		cu_watchdog_kick(pool, d);
		at = mono_ns() + KMD_WATCHDOG_RETRY_NS;
	}
}

int kmd_cu_start(struct kmd_device *dev)
{
	return cu_pool_get(dev) ? 0 : -ENOBUFS;
}

int kmd_cu_run(struct kmd_device *dev, struct kmd_dispatch *d)
{
	struct kmd_cu_pool *pool = cu_pool_get(dev);
	struct kmd_cu_worker *guest;
	void *ffi_state = NULL;

	if (!pool)
		return -ENOMEM;
	d->result = 0;
	memset(&d->fault, 0, sizeof(d->fault));
	if (d->groups == 0)
		return 0;
	/* A kernel called through libffi gets its entry and call state now. */
	if (d->ffi && !(ffi_state = kmd_ffi_dispatch_begin(d)))
		return -ENOMEM;
	cu_share_out(pool, d);
	atomic_init(&d->timed_out, false);
	d->finished = 0;
	d->busy = 0;
	d->link = NULL;
	kmd_wq_init(&d->done);

	/* The caller (a CP thread, counted busy while it runs packets) gives
	 * up its core while the compute units run the dispatch; it counts
	 * again while it runs groups itself. */
	kmd_busy_leave();
	pthread_mutex_lock(&pool->lock);
	if (pool->tail)
		pool->tail->link = d;
	else
		pool->head = d;
	pool->tail = d;
	/* Without the watchdog (which needs the caller free to watch) the
	 * caller takes a compute-unit slot when one is free and runs groups
	 * too; the workers woken are as many as the grid has batches for
	 * beyond that, so a small grid does not wake every compute unit. */
	guest = !pool->watchdog_ms && pool->running < pool->slots ? cu_guest(pool) : NULL;
	{
		uint64_t b = cu_batch(pool, d), want = (d->groups + b - 1) / b;
		uint64_t idle = pool->slots - pool->running;
		struct kmd_dispatch *x = NULL;

		/* as many workers as free slots, less the one the caller takes */
		if (guest) {
			want--;
			idle--;
			x = pool_take(pool, guest);
		}
		if (want > idle)
			want = idle;
		/* woken after the unlock, so that they do not queue on it */
		pthread_mutex_unlock(&pool->lock);
		if (want)
			kmd_wq_wake(&pool->work, want > INT_MAX ? INT_MAX : (int)want);
		if (x)
			pool_drain_unlocked(pool, guest, x);
		else
			pthread_mutex_lock(&pool->lock);
		/* in the pool's order: an earlier dispatch's groups first */
		while (guest && dispatch_has_groups(d) && (x = pool_take(pool, guest)))
			pool_drain(pool, guest, x);
	}
	cu_wait_done(pool, d);
	pthread_mutex_unlock(&pool->lock);
	kmd_busy_enter();
	kmd_ffi_dispatch_end(ffi_state);
	return 0;
}
