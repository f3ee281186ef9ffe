/* SPDX-License-Identifier: MIT */
/*
 * str_ext.c - side state of streams: stream ids, the per-thread default
 * streams (MU_STREAM_PER_THREAD) and the queues of destroyed streams that
 * still run work.
 *
 * A per-thread default stream is an ordinary blocking stream of the context
 * (so it synchronizes with the legacy stream like any other), owned by one
 * host thread: the first use on a thread creates it. When the thread exits
 * the stream is released for reuse by the next thread that needs one, so
 * their number stays at the number of threads alive at once; the context
 * destroys them with its other streams.
 *
 * muStreamDestroy returns at once: a queue whose work is still pending is
 * kept (destroying it would cut its WAITs short) and destroyed once its
 * last point passed, or with the context's fd.
 * May call: stream.c, transport.c, handle.c.
 */
#include <stdlib.h>

#include "str_priv.h"

struct umd_sx {
	struct umd_sx *next;
	const struct MUstream_st *s;
	MUcontext ctx;
	unsigned long long id;
	uint64_t pt_owner;   /* thread token of its owner; 0 when free */
	int pt;              /* a per-thread default stream */
};

struct umd_defq {
	struct umd_defq *next;
	MUcontext ctx;
	uint32_t queue;
	uint32_t syncobj;
	uint64_t point;
};

static pthread_mutex_t umd_sx_lock = PTHREAD_MUTEX_INITIALIZER;
static struct umd_sx *umd_sx_list;
static struct umd_defq *umd_defq_list;
static _Atomic unsigned long long umd_sx_next_id = 1;
static _Atomic uint64_t umd_pt_next_token = 1;
static __thread uint64_t umd_pt_token;
static pthread_key_t umd_pt_key;
static pthread_once_t umd_pt_once = PTHREAD_ONCE_INIT;

/* umd_sx_lock held. */
static struct umd_sx *umd_sx_find(const struct MUstream_st *s)
{
	for (struct umd_sx *x = umd_sx_list; x; x = x->next)
		if (x->s == s)
			return x;
	return NULL;
}

/* umd_sx_lock held. */
static struct umd_sx *umd_sx_get(const struct MUstream_st *s)
{
	struct umd_sx *x = umd_sx_find(s);

	if (x)
		return x;
	x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	x->s = s;
	x->ctx = s->ctx;
	x->id = atomic_fetch_add(&umd_sx_next_id, 1);
	x->next = umd_sx_list;
	umd_sx_list = x;
	return x;
}

unsigned long long umd_sx_id(const struct MUstream_st *s)
{
	unsigned long long id = 0;
	struct umd_sx *x;

	pthread_mutex_lock(&umd_sx_lock);
	x = umd_sx_get(s);
	if (x)
		id = x->id;
	pthread_mutex_unlock(&umd_sx_lock);
	return id;
}

void umd_sx_forget(const struct MUstream_st *s)
{
	pthread_mutex_lock(&umd_sx_lock);
	for (struct umd_sx **pp = &umd_sx_list; *pp; pp = &(*pp)->next) {
		struct umd_sx *x = *pp;

		if (x->s == s) {
			*pp = x->next;
			free(x);
			break;
		}
	}
	pthread_mutex_unlock(&umd_sx_lock);
}

int umd_sx_is_per_thread(const struct MUstream_st *s)
{
	struct umd_sx *x;
	int pt;

	pthread_mutex_lock(&umd_sx_lock);
	x = umd_sx_find(s);
	pt = x && x->pt;
	pthread_mutex_unlock(&umd_sx_lock);
	return pt;
}

/* Thread exit: its per-thread streams become free for other threads. */
static void umd_pt_exit(void *v)
{
	uint64_t token = (uint64_t)(uintptr_t)v;

	pthread_mutex_lock(&umd_sx_lock);
	for (struct umd_sx *x = umd_sx_list; x; x = x->next)
		if (x->pt && x->pt_owner == token)
			x->pt_owner = 0;
	pthread_mutex_unlock(&umd_sx_lock);
}

static void umd_pt_key_init(void)
{
	if (pthread_key_create(&umd_pt_key, umd_pt_exit))
		umd_log("per-thread stream key: not available");
}

static uint64_t umd_pt_self(void)
{
	if (!umd_pt_token) {
		umd_pt_token = atomic_fetch_add(&umd_pt_next_token, 1);
		pthread_once(&umd_pt_once, umd_pt_key_init);
		pthread_setspecific(umd_pt_key, (void *)(uintptr_t)umd_pt_token);
	}
	return umd_pt_token;
}

MUresult umd_sx_per_thread(MUcontext ctx, struct MUstream_st **out)
{
	uint64_t me = umd_pt_self();
	struct MUstream_st *s;
	struct umd_sx *x, *spare = NULL;
	MUresult r;

	pthread_mutex_lock(&umd_sx_lock);
	for (x = umd_sx_list; x; x = x->next) {
		if (x->ctx != ctx || !x->pt)
			continue;
		if (x->pt_owner == me)
			break;
		if (!x->pt_owner && !spare)
			spare = x;
	}
	if (!x && spare) {
		spare->pt_owner = me;
		x = spare;
	}
	if (x) {
		*out = (struct MUstream_st *)x->s;
		pthread_mutex_unlock(&umd_sx_lock);
		return MUSA_SUCCESS;
	}
	pthread_mutex_unlock(&umd_sx_lock);

	r = umd_stream_create(ctx, MU_STREAM_DEFAULT, 0, 0, &s);
	if (r)
		return r;
	pthread_mutex_lock(&ctx->lock);
	pthread_mutex_lock(&umd_sx_lock);
	x = umd_sx_get(s);
	if (x) {
		x->pt = 1;
		x->pt_owner = me;
		umd_list_add(&ctx->streams, &s->link);
	}
	pthread_mutex_unlock(&umd_sx_lock);
	if (!x)
		umd_stream_release(ctx, s);
	pthread_mutex_unlock(&ctx->lock);
	if (!x)
		return MUSA_ERROR_OUT_OF_MEMORY;
	*out = s;
	return MUSA_SUCCESS;
}

void umd_sx_defer_queue(MUcontext ctx, uint32_t queue, uint32_t syncobj, uint64_t point)
{
	struct umd_defq *q = malloc(sizeof(*q));

	if (!q) {
		/* Out of memory: destroy it now (its pending WAITs are cut short). */
		umd_queue_destroy(ctx, queue);
		return;
	}
	q->ctx = ctx;
	q->queue = queue;
	q->syncobj = syncobj;
	q->point = point;
	pthread_mutex_lock(&umd_sx_lock);
	q->next = umd_defq_list;
	umd_defq_list = q;
	pthread_mutex_unlock(&umd_sx_lock);
}

void umd_sx_reap(MUcontext ctx)
{
	struct umd_defq *done = NULL, **pp;

	pthread_mutex_lock(&ctx->lock);
	pthread_mutex_lock(&umd_sx_lock);
	for (pp = &umd_defq_list; *pp;) {
		struct umd_defq *q = *pp;

		/* An error means the timeline is gone: its zombie was retired
		 * once its points passed. */
		if (q->ctx == ctx && umd_point_passed(ctx, q->syncobj, q->point) != 0) {
			*pp = q->next;
			q->next = done;
			done = q;
		} else {
			pp = &q->next;
		}
	}
	pthread_mutex_unlock(&umd_sx_lock);
	pthread_mutex_unlock(&ctx->lock);
	while (done) {
		struct umd_defq *q = done;

		done = q->next;
		umd_queue_destroy(ctx, q->queue);
		free(q);
	}
}

void umd_sx_ctx_gone(MUcontext ctx)
{
	pthread_mutex_lock(&umd_sx_lock);
	for (struct umd_defq **pp = &umd_defq_list; *pp;) {
		struct umd_defq *q = *pp;

		if (q->ctx == ctx) {
			*pp = q->next;
			free(q);
		} else {
			pp = &q->next;
		}
	}
	for (struct umd_sx **pp = &umd_sx_list; *pp;) {
		struct umd_sx *x = *pp;

		if (x->ctx == ctx) {
			*pp = x->next;
			free(x);
		} else {
			pp = &x->next;
		}
	}
	pthread_mutex_unlock(&umd_sx_lock);
}
