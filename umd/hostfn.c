/* SPDX-License-Identifier: MIT */
/*
 * hostfn.c - host functions in stream order (muLaunchHostFunc,
 * muStreamAddCallback, umd_stream_host_fn).
 *
 * A stream that gets a host function gets a worker thread of its own
 * (started on first use) and two timeline syncobjs: "ready" and "gate".
 * Queuing call k submits [SIGNAL ready k, WAIT gate k] on the stream: the
 * queue signals "ready" once the work before the call is done, the worker
 * waits for that point, runs the call and signals "gate" k from the host,
 * and the queue's WAIT holds back the work queued after the call until then.
 * A host function blocking therefore blocks only its own stream.
 *
 * Lifetime: a destroyed stream's worker finishes the calls already queued
 * and then exits by itself (it is "orphaned"). In context teardown every
 * worker of the context is stopped and joined before the fd closes; the
 * worker never takes ctx->lock, so teardown may join it while holding it.
 * A forked child has no workers, and every driver call fails there before
 * reaching this file.
 * May call: stream.c (submit), context.c (fault check), transport.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "str_priv.h"

#define UMD_HF_SLICE_NS 20000000ll

struct umd_hf_job {
	struct umd_hf_job *next;
	struct umd_hf_call c;
	uint64_t point;
};

struct umd_hf {
	struct umd_hf *next;          /* global list, umd_hf_glock */
	MUcontext ctx;
	const struct MUstream_st *s;  /* NULL once orphaned */
	int claimed;                  /* teardown joins it; umd_hf_glock */
	pthread_mutex_t lock;         /* the fields below */
	pthread_cond_t cond;
	struct umd_hf_job *head, *tail;
	int orphan;
	_Atomic int stop;
	pthread_t thread;
	uint32_t ready;
	uint32_t gate;
	uint64_t seq;                 /* last point handed out; ctx->lock */
};

static pthread_mutex_t umd_hf_glock = PTHREAD_MUTEX_INITIALIZER;
static struct umd_hf *umd_hf_list;

static int64_t umd_hf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Waits for the "ready" point in slices, giving up when stopped. */
static int umd_hf_wait_ready(struct umd_hf *hf, uint64_t point)
{
	uint32_t h = hf->ready;
	struct drm_syncobj_timeline_wait w = {
		.handles = (uint64_t)(uintptr_t)&h,
		.points = (uint64_t)(uintptr_t)&point,
		.count_handles = 1,
		.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
	};
	int ret;

	for (;;) {
		if (atomic_load(&hf->stop))
			return -ECANCELED;
		w.timeout_nsec = umd_hf_now() + UMD_HF_SLICE_NS;
		ret = umd_tr_ioctl(&hf->ctx->tr, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
		if (ret != -ETIME && ret != -ETIMEDOUT)
			return ret;
	}
}

static void umd_hf_open_gate(struct umd_hf *hf, uint64_t point)
{
	uint32_t h = hf->gate;
	struct drm_syncobj_timeline_array a = {
		.handles = (uint64_t)(uintptr_t)&h,
		.points = (uint64_t)(uintptr_t)&point,
		.count_handles = 1,
	};

	if (umd_tr_ioctl(&hf->ctx->tr, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a))
		umd_log("host function gate %u point %llu: signal failed", h,
			(unsigned long long)point);
}

static void umd_hf_free(struct umd_hf *hf)
{
	while (hf->head) {
		struct umd_hf_job *j = hf->head;

		hf->head = j->next;
		free(j);
	}
	pthread_cond_destroy(&hf->cond);
	pthread_mutex_destroy(&hf->lock);
	free(hf);
}

static void umd_hf_syncobj_close(struct umd_hf *hf, uint32_t handle)
{
	struct drm_syncobj_destroy d = { .handle = handle };

	umd_tr_ioctl(&hf->ctx->tr, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
}

static void *umd_hf_main(void *arg)
{
	struct umd_hf *hf = arg;
	int claimed;

	pthread_mutex_lock(&hf->lock);
	for (;;) {
		struct umd_hf_job *j;
		int ret;

		while (!hf->head && !hf->orphan && !atomic_load(&hf->stop))
			pthread_cond_wait(&hf->cond, &hf->lock);
		if (atomic_load(&hf->stop) || !hf->head)
			break;
		j = hf->head;
		hf->head = j->next;
		if (!hf->head)
			hf->tail = NULL;
		pthread_mutex_unlock(&hf->lock);

		ret = umd_hf_wait_ready(hf, j->point);
		if (ret != -ECANCELED) {
			MUresult st = umd_ctx_check_fault(hf->ctx);

			if (ret && !st)
				st = umd_errno(ret);
			if (j->c.cb)
				j->c.cb(j->c.handle, st, j->c.data);
			else
				j->c.fn(j->c.data);
		}
		if (!atomic_load(&hf->stop))
			umd_hf_open_gate(hf, j->point);
		free(j);
		pthread_mutex_lock(&hf->lock);
	}
	pthread_mutex_unlock(&hf->lock);
	if (atomic_load(&hf->stop))
		return NULL;   /* teardown joins and frees */

	/* Orphaned and drained: every gate point is signalled, so the queue's
	 * WAITs (which hold their own reference) no longer need the handles. */
	umd_hf_syncobj_close(hf, hf->ready);
	umd_hf_syncobj_close(hf, hf->gate);
	pthread_mutex_lock(&umd_hf_glock);
	claimed = hf->claimed;
	if (!claimed) {
		for (struct umd_hf **pp = &umd_hf_list; *pp; pp = &(*pp)->next) {
			if (*pp == hf) {
				*pp = hf->next;
				break;
			}
		}
	}
	pthread_mutex_unlock(&umd_hf_glock);
	if (!claimed) {
		pthread_detach(pthread_self());
		umd_hf_free(hf);
	}
	return NULL;
}

/* The live worker of s, or a new one (thread started); ctx->lock held. */
static struct umd_hf *umd_hf_get(MUcontext ctx, struct MUstream_st *s)
{
	struct umd_hf *hf;
	int ret;

	pthread_mutex_lock(&umd_hf_glock);
	for (hf = umd_hf_list; hf; hf = hf->next)
		if (hf->s == s && hf->ctx == ctx)
			break;
	pthread_mutex_unlock(&umd_hf_glock);
	if (hf)
		return hf;

	hf = calloc(1, sizeof(*hf));
	if (!hf)
		return NULL;
	hf->ctx = ctx;
	hf->s = s;
	pthread_mutex_init(&hf->lock, NULL);
	pthread_cond_init(&hf->cond, NULL);
	if (umd_syncobj_create(ctx, &hf->ready))
		goto err_free;
	if (umd_syncobj_create(ctx, &hf->gate))
		goto err_ready;
	/* Default stack: host functions are user code. */
	ret = pthread_create(&hf->thread, NULL, umd_hf_main, hf);
	if (ret)
		goto err_gate;
	pthread_mutex_lock(&umd_hf_glock);
	hf->next = umd_hf_list;
	umd_hf_list = hf;
	pthread_mutex_unlock(&umd_hf_glock);
	return hf;

err_gate:
	umd_syncobj_destroy(ctx, hf->gate);
err_ready:
	umd_syncobj_destroy(ctx, hf->ready);
err_free:
	pthread_cond_destroy(&hf->cond);
	pthread_mutex_destroy(&hf->lock);
	free(hf);
	return NULL;
}

MUresult umd_hf_queue_locked(struct MUstream_st *s, const struct umd_hf_call *c)
{
	struct drm_musa_packet p[2] = { { 0 } };
	struct umd_hf_job *j;
	struct umd_hf *hf;
	MUresult r;

	j = calloc(1, sizeof(*j));
	if (!j)
		return MUSA_ERROR_OUT_OF_MEMORY;
	hf = umd_hf_get(s->ctx, s);
	if (!hf) {
		free(j);
		return MUSA_ERROR_OUT_OF_MEMORY;
	}
	j->c = *c;
	j->point = hf->seq + 1;
	p[0].type = DRM_MUSA_PKT_SIGNAL;
	p[0].sync.syncobj = hf->ready;
	p[0].sync.point = j->point;
	p[1].type = DRM_MUSA_PKT_WAIT;
	p[1].sync.syncobj = hf->gate;
	p[1].sync.point = j->point;
	r = umd_stream_submit_locked(s, p, 2, NULL);
	if (r) {
		free(j);
		return r;
	}
	hf->seq = j->point;
	pthread_mutex_lock(&hf->lock);
	if (hf->tail)
		hf->tail->next = j;
	else
		hf->head = j;
	hf->tail = j;
	pthread_cond_signal(&hf->cond);
	pthread_mutex_unlock(&hf->lock);
	return MUSA_SUCCESS;
}

MUresult umd_stream_host_fn(struct MUstream_st *s, void (*fn)(void *), void *data)
{
	struct umd_hf_call c = { .fn = fn, .data = data };
	MUresult r;

	if (!s || !fn)
		return MUSA_ERROR_INVALID_VALUE;
	pthread_mutex_lock(&s->ctx->lock);
	r = umd_hf_queue_locked(s, &c);
	pthread_mutex_unlock(&s->ctx->lock);
	return r;
}

void umd_hf_stream_gone(MUcontext ctx, struct MUstream_st *s)
{
	struct umd_hf *hf;

	if (ctx->closing)
		return;   /* umd_hf_ctx_gone stops them all */
	pthread_mutex_lock(&umd_hf_glock);
	for (hf = umd_hf_list; hf; hf = hf->next) {
		if (hf->s == s && hf->ctx == ctx) {
			hf->s = NULL;
			pthread_mutex_lock(&hf->lock);
			hf->orphan = 1;
			pthread_cond_signal(&hf->cond);
			pthread_mutex_unlock(&hf->lock);
			break;
		}
	}
	pthread_mutex_unlock(&umd_hf_glock);
}

void umd_hf_ctx_gone(MUcontext ctx)
{
	struct umd_hf *mine = NULL, *hf, **pp;

	pthread_mutex_lock(&umd_hf_glock);
	for (pp = &umd_hf_list; *pp;) {
		hf = *pp;
		if (hf->ctx != ctx) {
			pp = &hf->next;
			continue;
		}
		*pp = hf->next;
		hf->claimed = 1;
		hf->next = mine;
		mine = hf;
	}
	pthread_mutex_unlock(&umd_hf_glock);
	while (mine) {
		hf = mine;
		mine = hf->next;
		pthread_mutex_lock(&hf->lock);
		atomic_store(&hf->stop, 1);
		pthread_cond_signal(&hf->cond);
		pthread_mutex_unlock(&hf->lock);
		/* A host function tearing down its own context cannot wait for
		 * itself: its worker is left to end (and leak) on its own. */
		if (pthread_equal(hf->thread, pthread_self())) {
			pthread_detach(hf->thread);
			continue;
		}
		pthread_join(hf->thread, NULL);
		umd_hf_free(hf);
	}
}
