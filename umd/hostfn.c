/* SPDX-License-Identifier: MIT */
/*
 * hostfn.c - host functions in stream order (muLaunchHostFunc,
 * muStreamAddCallback, umd_stream_host_fn).
 *
 * A stream that gets a host function gets a worker thread of its own
 * (started on first use, kept in the stream) and two timeline syncobjs:
 * "ready" and "gate". Queuing call k submits [SIGNAL ready k, WAIT gate k]
 * on the stream: the queue signals "ready" once the work before the call is
 * done, the worker waits for that point, runs the call and signals "gate" k
 * from the host, and the queue's WAIT holds back the work queued after the
 * call until then. A host function blocking therefore blocks only its own
 * stream.
 *
 * Lifetime: a destroyed stream's worker finishes the calls already queued
 * and then exits by itself (it is "orphaned"); the context lists every
 * worker until then. In context teardown every worker of the context is
 * stopped and joined before the fd closes; the worker never takes
 * ctx->lock, so teardown may join it while holding it.
 * A forked child has no workers, and every driver call fails there before
 * reaching this file.
 * May call: stream.c (submit), context.c (fault check), transport.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "musa_log.h"
#include "stream_private.h"

#define UMD_HOSTFN_SLICE_NS 20000000ll

struct umd_hostfn_job {
	struct umd_hostfn_job *next;
	struct umd_hostfn_call c;
	uint64_t point;
};

struct umd_hostfn_worker {
	struct umd_list link;         /* ctx->hostfn_workers; ctx->hostfn_lock */
	struct umd_hostfn_worker *next_claimed;  /* teardown's list */
	MUcontext ctx;
	int claimed;                  /* teardown joins it; ctx->hostfn_lock */
	pthread_mutex_t lock;         /* the fields below */
	pthread_cond_t cond;
	struct umd_hostfn_job *head, *tail;
	int orphan;
	_Atomic int stop;
	pthread_t thread;
	uint32_t ready;
	uint32_t gate;
	uint64_t seq;                 /* last point handed out; ctx->lock */
};

static int64_t umd_hostfn_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Waits for the "ready" point in slices, giving up when stopped. */
static int umd_hostfn_wait_ready(struct umd_hostfn_worker *worker, uint64_t point)
{
	uint32_t h = worker->ready;
	struct drm_syncobj_timeline_wait w = {
		.handles = (uint64_t)(uintptr_t)&h,
		.points = (uint64_t)(uintptr_t)&point,
		.count_handles = 1,
		.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
	};
	int ret;

	for (;;) {
		if (atomic_load(&worker->stop))
			return -ECANCELED;
		w.timeout_nsec = umd_hostfn_now() + UMD_HOSTFN_SLICE_NS;
		ret = umd_tr_ioctl(&worker->ctx->tr, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
		if (ret != -ETIME && ret != -ETIMEDOUT)
			return ret;
	}
}

static void umd_hostfn_open_gate(struct umd_hostfn_worker *worker, uint64_t point)
{
	uint32_t h = worker->gate;
	struct drm_syncobj_timeline_array a = {
		.handles = (uint64_t)(uintptr_t)&h,
		.points = (uint64_t)(uintptr_t)&point,
		.count_handles = 1,
	};

	if (umd_tr_ioctl(&worker->ctx->tr, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a))
		umd_log("host function gate %u point %llu: signal failed", h,
			(unsigned long long)point);
}

static void umd_hostfn_worker_free(struct umd_hostfn_worker *worker)
{
	while (worker->head) {
		struct umd_hostfn_job *j = worker->head;

		worker->head = j->next;
		free(j);
	}
	pthread_cond_destroy(&worker->cond);
	pthread_mutex_destroy(&worker->lock);
	free(worker);
}

static void umd_hostfn_syncobj_close(struct umd_hostfn_worker *worker, uint32_t handle)
{
	struct drm_syncobj_destroy d = { .handle = handle };

	umd_tr_ioctl(&worker->ctx->tr, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
}

static void *umd_hostfn_main(void *arg)
{
	struct umd_hostfn_worker *worker = arg;
	int claimed;

	pthread_mutex_lock(&worker->lock);
	for (;;) {
		struct umd_hostfn_job *j;
		int ret;

		while (!worker->head && !worker->orphan && !atomic_load(&worker->stop))
			pthread_cond_wait(&worker->cond, &worker->lock);
		if (atomic_load(&worker->stop) || !worker->head)
			break;
		j = worker->head;
		worker->head = j->next;
		if (!worker->head)
			worker->tail = NULL;
		pthread_mutex_unlock(&worker->lock);

		ret = umd_hostfn_wait_ready(worker, j->point);
		if (ret != -ECANCELED) {
			MUresult st = umd_ctx_check_fault(worker->ctx);

			if (ret && !st)
				st = umd_errno(ret);
			if (j->c.cb)
				j->c.cb(j->c.handle, st, j->c.data);
			else
				j->c.fn(j->c.data);
		}
		if (!atomic_load(&worker->stop))
			umd_hostfn_open_gate(worker, j->point);
		free(j);
		pthread_mutex_lock(&worker->lock);
	}
	pthread_mutex_unlock(&worker->lock);
	if (atomic_load(&worker->stop))
		return NULL;   /* teardown joins and frees */

	/* Orphaned and drained: every gate point is signalled, so the queue's
	 * WAITs (which hold their own reference) no longer need the handles. */
	umd_hostfn_syncobj_close(worker, worker->ready);
	umd_hostfn_syncobj_close(worker, worker->gate);
	/* Listed and unclaimed: the context is alive (its teardown claims
	 * every listed worker, then joins it). */
	pthread_mutex_lock(&worker->ctx->hostfn_lock);
	claimed = worker->claimed;
	if (!claimed)
		umd_list_del(&worker->link);
	pthread_mutex_unlock(&worker->ctx->hostfn_lock);
	if (!claimed) {
		pthread_detach(pthread_self());
		umd_hostfn_worker_free(worker);
	}
	return NULL;
}

/* The worker of s, made (thread started) on first use; ctx->lock held. */
static struct umd_hostfn_worker *umd_hostfn_worker_get(MUcontext ctx, struct MUstream_st *s)
{
	struct umd_hostfn_worker *worker = s->hostfn;
	int ret;

	if (worker)
		return worker;
	worker = calloc(1, sizeof(*worker));
	if (!worker)
		return NULL;
	worker->ctx = ctx;
	pthread_mutex_init(&worker->lock, NULL);
	pthread_cond_init(&worker->cond, NULL);
	if (umd_syncobj_create(ctx, &worker->ready))
		goto err_free;
	if (umd_syncobj_create(ctx, &worker->gate))
		goto err_ready;
	/* Default stack: host functions are user code. */
	/* Listed before it runs: an orphaned worker unlists itself. */
	pthread_mutex_lock(&ctx->hostfn_lock);
	umd_list_add(&ctx->hostfn_workers, &worker->link);
	pthread_mutex_unlock(&ctx->hostfn_lock);
	ret = pthread_create(&worker->thread, NULL, umd_hostfn_main, worker);
	if (ret) {
		pthread_mutex_lock(&ctx->hostfn_lock);
		umd_list_del(&worker->link);
		pthread_mutex_unlock(&ctx->hostfn_lock);
		goto err_gate;
	}
	s->hostfn = worker;
	return worker;

err_gate:
	umd_syncobj_destroy(ctx, worker->gate);
err_ready:
	umd_syncobj_destroy(ctx, worker->ready);
err_free:
	pthread_cond_destroy(&worker->cond);
	pthread_mutex_destroy(&worker->lock);
	free(worker);
	return NULL;
}

MUresult umd_hostfn_queue_locked(struct MUstream_st *s, const struct umd_hostfn_call *c)
{
	struct drm_musa_packet p[2] = { { 0 } };
	struct umd_hostfn_job *j;
	struct umd_hostfn_worker *worker;
	MUresult r;

	/* Destroyed by another thread while the caller held it: no worker. */
	if (s->destroyed)
		return MUSA_ERROR_INVALID_HANDLE;
	j = calloc(1, sizeof(*j));
	if (!j)
		return MUSA_ERROR_OUT_OF_MEMORY;
	worker = umd_hostfn_worker_get(s->ctx, s);
	if (!worker) {
		free(j);
		return MUSA_ERROR_OUT_OF_MEMORY;
	}
	j->c = *c;
	j->point = worker->seq + 1;
	p[0].type = DRM_MUSA_PKT_SIGNAL;
	p[0].sync.syncobj = worker->ready;
	p[0].sync.point = j->point;
	p[1].type = DRM_MUSA_PKT_WAIT;
	p[1].sync.syncobj = worker->gate;
	p[1].sync.point = j->point;
	r = umd_stream_submit_locked(s, p, 2, NULL);
	if (r) {
		free(j);
		return r;
	}
	worker->seq = j->point;
	pthread_mutex_lock(&worker->lock);
	if (worker->tail)
		worker->tail->next = j;
	else
		worker->head = j;
	worker->tail = j;
	pthread_cond_signal(&worker->cond);
	pthread_mutex_unlock(&worker->lock);
	return MUSA_SUCCESS;
}

MUresult umd_stream_host_fn(struct MUstream_st *s, void (*fn)(void *), void *data)
{
	struct umd_hostfn_call c = { .fn = fn, .data = data };
	MUresult r;

	CHECK(!s || !fn, MUSA_ERROR_INVALID_VALUE);
	pthread_mutex_lock(&s->ctx->lock);
	r = umd_hostfn_queue_locked(s, &c);
	pthread_mutex_unlock(&s->ctx->lock);
	return r;
}

void umd_hostfn_stream_gone(MUcontext ctx, struct MUstream_st *s)
{
	struct umd_hostfn_worker *worker = s->hostfn;

	s->hostfn = NULL;
	if (!worker || ctx->closing)
		return;   /* closing: umd_hostfn_ctx_gone stops them all */
	pthread_mutex_lock(&worker->lock);
	worker->orphan = 1;
	pthread_cond_signal(&worker->cond);
	pthread_mutex_unlock(&worker->lock);
}

void umd_hostfn_ctx_gone(MUcontext ctx)
{
	struct umd_hostfn_worker *mine = NULL, *worker;

	pthread_mutex_lock(&ctx->hostfn_lock);
	while (!umd_list_empty(&ctx->hostfn_workers)) {
		worker = umd_container_of(ctx->hostfn_workers.next, struct umd_hostfn_worker, link);
		umd_list_del(&worker->link);
		worker->claimed = 1;
		worker->next_claimed = mine;
		mine = worker;
	}
	pthread_mutex_unlock(&ctx->hostfn_lock);
	while (mine) {
		worker = mine;
		mine = worker->next_claimed;
		pthread_mutex_lock(&worker->lock);
		atomic_store(&worker->stop, 1);
		pthread_cond_signal(&worker->cond);
		pthread_mutex_unlock(&worker->lock);
		/* A host function tearing down its own context cannot wait for
		 * itself: its worker is left to end (and leak) on its own. */
		if (pthread_equal(worker->thread, pthread_self())) {
			pthread_detach(worker->thread);
			continue;
		}
		pthread_join(worker->thread, NULL);
		umd_hostfn_worker_free(worker);
	}
}
