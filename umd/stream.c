/* SPDX-License-Identifier: MIT */
/*
 * stream.c - streams: one kmd queue and one timeline syncobj each. Every
 * submission signals the next point of the stream's timeline, so "all work
 * of the stream done" is "the timeline reached its last point".
 *
 * Legacy default-stream semantics are WAIT packets put in front of a
 * submission: work on the legacy stream waits for every blocking stream's
 * last point, work on a blocking stream waits for the legacy stream's last
 * point; MU_STREAM_NON_BLOCKING streams take part in neither. Points already
 * known to have passed are skipped.
 *
 * MU_STREAM_PER_THREAD names the calling thread's per-thread default stream
 * (str_ext.c), a blocking stream like any other. Destroying a stream
 * returns at once; a queue still running work is destroyed later
 * (str_ext.c), so its WAITs are honoured. Host functions: hostfn.c.
 * May call: transport.c, errno.c, context.c (fault checks), event.c,
 * hostfn.c, str_ext.c, str_ipc.c, profiler.c.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "str_priv.h"

/* How long one kmd wait may block before the context is checked for a
 * fault (a faulted context runs no more work, so its points may never come). */
#define UMD_WAIT_SLICE_NS 20000000ll

int umd_syncobj_create(MUcontext ctx, uint32_t *handle)
{
	struct drm_syncobj_create c = { 0 };
	int ret = umd_tr_ioctl(&ctx->tr, DRM_IOCTL_SYNCOBJ_CREATE, &c);

	if (!ret)
		*handle = c.handle;
	return ret;
}

void umd_syncobj_destroy(MUcontext ctx, uint32_t handle)
{
	struct drm_syncobj_destroy d = { .handle = handle };

	umd_ring_unbind_syncobj(ctx, handle);
	if (!ctx->closing && handle)
		umd_tr_ioctl(&ctx->tr, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
}

int umd_point_value(MUcontext ctx, uint32_t syncobj, uint64_t *value)
{
	struct drm_syncobj_timeline_array q = {
		.handles = (uint64_t)(uintptr_t)&syncobj,
		.points = (uint64_t)(uintptr_t)value,
		.count_handles = 1,
	};
	const struct drm_musa_ring_header *h = umd_ring_of(ctx, syncobj);

	/* A stream's timeline moves only with its queue: the ring says where. */
	if (h) {
		*value = __atomic_load_n(&h->done_point, __ATOMIC_ACQUIRE);
		return 0;
	}
	*value = 0;
	return umd_tr_ioctl(&ctx->tr, DRM_IOCTL_SYNCOBJ_QUERY, &q);
}

int umd_point_passed(MUcontext ctx, uint32_t syncobj, uint64_t point)
{
	uint64_t value;
	int ret;

	if (!point)
		return 1;
	ret = umd_point_value(ctx, syncobj, &value);
	if (ret)
		return ret;
	return value >= point;
}

static int64_t umd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* One slice of a polling wait (MU_CTX_SCHED_SPIN / _YIELD): queries the
 * point until it passed or the slice ended; 1 passed, 0 not yet, -errno. */
static int umd_poll_slice(MUcontext ctx, uint32_t syncobj, uint64_t point, bool yield)
{
	int64_t end = umd_now_ns() + UMD_WAIT_SLICE_NS;
	int ret;

	do {
		ret = umd_point_passed(ctx, syncobj, point);
		if (ret)
			return ret;
		if (yield)
			sched_yield();
	} while (umd_now_ns() < end);
	return 0;
}

/* How long a wait on a ring's timeline polls its done_point before it
 * waits in the kmd (not with BLOCKING_SYNC): about what a short kernel
 * takes from its launch to its end. */
#define UMD_RING_SPIN_NS 20000ll

static inline void umd_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

/* True once h shows point passed, polling for UMD_RING_SPIN_NS at most;
 * false early when the context faulted (the caller's checks report it). */
static bool umd_ring_poll(const struct drm_musa_ring_header *h, uint64_t point)
{
	int64_t end = umd_now_ns() + UMD_RING_SPIN_NS;

	for (uint32_t i = 1; !umd_ring_done(h, point); i++) {
		umd_cpu_relax();
		if (i & 63)
			continue;
		if (__atomic_load_n(&h->fault, __ATOMIC_ACQUIRE) || umd_now_ns() >= end)
			return false;
	}
	return true;
}

/*
 * Waits as the context's scheduling flags say (CUDA's meanings): SPIN
 * polls the point, YIELD polls and yields the core between polls,
 * BLOCKING_SYNC (or a blocking event: `blocking`) sleeps in the kmd until
 * the point is signalled, AUTO asks the kmd to spin while a core is free
 * and sleep otherwise (DRM_MUSA_SYNCOBJ_WAIT_FLAGS_SPIN).
 */
MUresult umd_wait_point_as(MUcontext ctx, uint32_t syncobj, uint64_t point, bool blocking)
{
	unsigned int sched = blocking ? MU_CTX_SCHED_BLOCKING_SYNC : ctx->flags & MU_CTX_SCHED_MASK;
	struct drm_syncobj_timeline_wait w = {
		.handles = (uint64_t)(uintptr_t)&syncobj,
		.points = (uint64_t)(uintptr_t)&point,
		.count_handles = 1,
		.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
			 (sched == MU_CTX_SCHED_AUTO ? DRM_MUSA_SYNCOBJ_WAIT_FLAGS_SPIN : 0),
	};
	const struct drm_musa_ring_header *h = umd_ring_of(ctx, syncobj);
	MUresult r;
	int ret;

	if (!point)
		return MUSA_SUCCESS;
	/* A stream's own timeline: its ring tells, without an ioctl. */
	if (h && (umd_ring_done(h, point) ||
		  (sched != MU_CTX_SCHED_BLOCKING_SYNC && umd_ring_poll(h, point)))) {
		umd_printf_drain(ctx);
		return MUSA_SUCCESS;
	}
	for (;;) {
		if (sched == MU_CTX_SCHED_SPIN || sched == MU_CTX_SCHED_YIELD) {
			ret = umd_poll_slice(ctx, syncobj, point, sched == MU_CTX_SCHED_YIELD);
			ret = ret == 1 ? 0 : ret == 0 ? -ETIME : ret;
		} else {
			w.timeout_nsec = umd_now_ns() + UMD_WAIT_SLICE_NS;
			ret = umd_tr_ioctl(&ctx->tr, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
			/* spin in the first slice only: a long wait sleeps */
			w.flags &= ~(uint32_t)DRM_MUSA_SYNCOBJ_WAIT_FLAGS_SPIN;
		}
		if (!ret) {
			umd_printf_drain(ctx);  /* device printf shows at sync points */
			return MUSA_SUCCESS;
		}
		if (ret != -ETIME && ret != -ETIMEDOUT)
			return umd_errno(ret);
		r = umd_ctx_check_fault(ctx);
		if (r)
			return r;
	}
}

MUresult umd_wait_point(MUcontext ctx, uint32_t syncobj, uint64_t point)
{
	return umd_wait_point_as(ctx, syncobj, point, false);
}

MUresult umd_stream_create(MUcontext ctx, unsigned int flags, int priority, int legacy,
			   struct MUstream_st **out)
{
	struct drm_musa_queue_create qc = { 0 };
	struct MUstream_st *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return MUSA_ERROR_OUT_OF_MEMORY;
	/* CUDA priorities: 0 is normal, more negative is higher; clamp. */
	qc.priority = priority >= 0 ? 0 : priority == -1 ? 1 : 2;
	ret = umd_ring_queue_create(ctx, &qc, s);
	if (ret)
		goto err_free;
	s->queue = qc.handle;
	ret = umd_syncobj_create(ctx, &s->syncobj);
	if (ret)
		goto err_queue;
	umd_ring_bind_syncobj(ctx, s);
	s->tl = calloc(1, sizeof(*s->tl));
	if (!s->tl) {
		umd_syncobj_destroy(ctx, s->syncobj);
		ret = -ENOMEM;
		goto err_queue;
	}
	umd_list_init(&s->tl->link);
	s->ctx = ctx;
	s->flags = flags;
	s->priority = priority >= 0 ? 0 : priority < -2 ? -2 : priority;
	s->legacy = legacy;
	umd_list_init(&s->link);
	*out = s;
	return MUSA_SUCCESS;

err_queue:
	umd_queue_destroy(ctx, qc.handle);
err_free:
	free(s);
	return umd_errno(ret);
}

/* Unlinks a stream and hands its timeline to the zombie list while other
 * queues may still wait on its points; ctx->lock held. Returns the queue
 * handle still to be destroyed (0 when the fd is closing). */
static uint32_t umd_stream_unlink(MUcontext ctx, struct MUstream_st *s)
{
	struct umd_zombie *z;

	umd_list_del(&s->link);
	umd_sx_forget(s);
	umd_hf_stream_gone(ctx, s);
	umd_capture_forget_stream(s);   /* graphs: it leaves its capture */
	z = s->tl;
	s->tl = NULL;
	if (ctx->closing) {
		if (s->legacy) {
			/* Teardown: the legacy stream goes last. */
			umd_hf_ctx_gone(ctx);
			umd_sx_ctx_gone(ctx);
		}
		free(z);
		return 0;
	}
	/* A stream that never ran anything and that no sync holds goes at
	 * once; otherwise its timeline waits on the zombie list. */
	if (!s->last && !z->refs) {
		umd_syncobj_destroy(ctx, s->syncobj);
		free(z);
		return s->queue;
	}
	z->syncobj = s->syncobj;
	z->point = s->last;
	umd_list_add(&ctx->zombies, &z->link);
	return s->queue;
}

void umd_stream_release(MUcontext ctx, struct MUstream_st *s)
{
	umd_queue_destroy(ctx, umd_stream_unlink(ctx, s));
	/* A user stream may still be held by a sync of another thread. */
	if (s->legacy)
		free(s);
	else
		umd_handle_retire(s);
}

MUresult umd_stream_resolve(MUcontext ctx, MUstream h, struct MUstream_st **out)
{
	if (!h || h == MU_STREAM_LEGACY) {
		*out = ctx->legacy;
		return MUSA_SUCCESS;
	}
	if (h == MU_STREAM_PER_THREAD)
		return umd_sx_per_thread(ctx, out);
	if (!umd_handle_valid(h, UMD_H_STREAM) || h->ctx != ctx)
		return MUSA_ERROR_INVALID_HANDLE;
	*out = h;
	return MUSA_SUCCESS;
}

/* Adds a WAIT for (syncobj, point) unless the point already passed. */
static void umd_dep(MUcontext ctx, struct drm_musa_packet *p, unsigned int *n,
		    uint32_t syncobj, uint64_t point, uint64_t *done)
{
	if (!point || (done && *done >= point))
		return;
	if (umd_point_passed(ctx, syncobj, point) == 1) {
		if (done)
			*done = point;
		return;
	}
	p[*n] = (struct drm_musa_packet){ .type = DRM_MUSA_PKT_WAIT };
	p[*n].sync.syncobj = syncobj;
	p[*n].sync.point = point;
	(*n)++;
}

static int umd_submit_raw(MUcontext ctx, uint32_t queue, struct drm_musa_packet *p,
			  unsigned int n, uint32_t syncobj, uint64_t point)
{
	struct drm_musa_submit sub = {
		.queue = queue,
		.packets = (uint64_t)(uintptr_t)p,
		.packet_count = n,
		.packet_size = sizeof(*p),
		.signal_syncobj = syncobj,
		.signal_point = point,
	};

	return umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_SUBMIT, &sub);
}

/* Packets of a submission built on the stack; more go on the heap. */
#define UMD_SUBMIT_STACK 8u

MUresult umd_stream_submit_locked(struct MUstream_st *s, struct drm_musa_packet *pkts,
				  unsigned int n, uint64_t *point)
{
	MUcontext ctx = s->ctx;
	struct drm_musa_packet stack[UMD_SUBMIT_STACK], *all;
	struct umd_list *l;
	unsigned int cap = n + 1, m = 0, off = 0;
	MUresult r;
	int ret = 0;

	if (s->legacy) {
		for (l = ctx->streams.next; l != &ctx->streams; l = l->next)
			cap++;
		for (l = ctx->zombies.next; l != &ctx->zombies; l = l->next)
			cap++;
	}
	/* the common case (a launch, a copy, a few streams) needs no heap */
	all = cap <= UMD_SUBMIT_STACK ? stack : malloc(cap * sizeof(*all));
	if (!all)
		return MUSA_ERROR_OUT_OF_MEMORY;
	if (s->legacy) {
		for (l = ctx->streams.next; l != &ctx->streams; l = l->next) {
			struct MUstream_st *t = umd_container_of(l, struct MUstream_st, link);

			if (!(t->flags & MU_STREAM_NON_BLOCKING))
				umd_dep(ctx, all, &m, t->syncobj, t->last, &t->done);
		}
		for (l = ctx->zombies.next; l != &ctx->zombies; l = l->next) {
			struct umd_zombie *z = umd_container_of(l, struct umd_zombie, link);

			umd_dep(ctx, all, &m, z->syncobj, z->point, NULL);
		}
	} else if (!(s->flags & MU_STREAM_NON_BLOCKING)) {
		umd_dep(ctx, all, &m, ctx->legacy->syncobj, ctx->legacy->last, &ctx->legacy->done);
	}
	for (unsigned int i = 0; i < n; i++)
		all[m++] = pkts[i];
	/* More packets than one submit takes: the queue runs them in order, so
	 * only the last part signals. */
	while (m - off > DRM_MUSA_MAX_PACKETS && !ret) {
		ret = umd_submit_raw(ctx, s->queue, all + off, DRM_MUSA_MAX_PACKETS, 0, 0);
		off += DRM_MUSA_MAX_PACKETS;
	}
	if (!ret && off == 0)
		ret = umd_ring_submit(s, all, m, s->syncobj, s->last + 1);
	else if (!ret)
		ret = 1;
	if (ret == 1) {
		ret = umd_submit_raw(ctx, s->queue, all + off, m - off, s->syncobj, s->last + 1);
		if (!ret)
			umd_ring_submitted(ctx, all, m);
	}
	if (all != stack)
		free(all);
	if (ret) {
		umd_log("submit of %u packets failed: errno %d", m, -ret);
		r = umd_ctx_check_fault(ctx);
		return r ? r : umd_errno(ret);
	}
	s->last++;
	if (point)
		*point = s->last;
	return MUSA_SUCCESS;
}

MUresult umd_stream_submit(struct MUstream_st *s, struct drm_musa_packet *pkts,
			   unsigned int n, uint64_t *point)
{
	MUresult r;

	pthread_mutex_lock(&s->ctx->lock);
	r = umd_stream_submit_locked(s, pkts, n, point);
	pthread_mutex_unlock(&s->ctx->lock);
	return r;
}

/* ---- API --------------------------------------------------------------------- */

UMD_API MUresult muStreamCreateWithPriority(MUstream *phStream, unsigned int flags, int priority)
{
	struct MUstream_st *s;
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	if (r)
		return r;
	if (!phStream || (flags & ~(unsigned int)MU_STREAM_NON_BLOCKING))
		return MUSA_ERROR_INVALID_VALUE;
	umd_sx_reap(ctx);
	r = umd_stream_create(ctx, flags, priority, 0, &s);
	if (r)
		return r;
	if (umd_handle_add(s, UMD_H_STREAM)) {
		pthread_mutex_lock(&ctx->lock);
		umd_stream_release(ctx, s);
		pthread_mutex_unlock(&ctx->lock);
		return MUSA_ERROR_OUT_OF_MEMORY;
	}
	pthread_mutex_lock(&ctx->lock);
	umd_list_add(&ctx->streams, &s->link);
	pthread_mutex_unlock(&ctx->lock);
	*phStream = s;
	return MUSA_SUCCESS;
}

UMD_API MUresult muStreamCreate(MUstream *phStream, unsigned int Flags)
{
	return muStreamCreateWithPriority(phStream, Flags, 0);
}

UMD_API MUresult muStreamDestroy(MUstream hStream)
{
	uint32_t queue, syncobj;
	uint64_t last;
	MUcontext ctx;
	MUresult r = umd_check_init();
	int idle;

	if (r)
		return r;
	if (!umd_handle_get(hStream, UMD_H_STREAM))
		return MUSA_ERROR_INVALID_HANDLE;
	ctx = hStream->ctx;
	pthread_mutex_lock(&ctx->lock);
	/* A racing destroy of the same handle: only one unlinks it. */
	if (!umd_handle_valid(hStream, UMD_H_STREAM)) {
		pthread_mutex_unlock(&ctx->lock);
		umd_handle_put(hStream);
		return MUSA_ERROR_INVALID_HANDLE;
	}
	/* From here lookups fail; the memory goes with the last reference
	 * (ours, or that of a sync still following the handle). */
	umd_handle_retire(hStream);
	syncobj = hStream->syncobj;
	last = hStream->last;
	queue = umd_stream_unlink(ctx, hStream);
	idle = umd_point_passed(ctx, syncobj, last) == 1;
	/* Destroying a busy queue would cut its WAITs short: keep it until its
	 * work is done, and return at once. */
	if (queue && !idle) {
		umd_sx_defer_queue(ctx, queue, syncobj, last);
		queue = 0;
	}
	pthread_mutex_unlock(&ctx->lock);
	umd_queue_destroy(ctx, queue);
	umd_handle_put(hStream);
	umd_sx_reap(ctx);
	return MUSA_SUCCESS;
}

/* The stream a call names and the context it works in: NULL and
 * MU_STREAM_LEGACY mean the current context's legacy stream. */
MUresult umd_stream_lookup(MUstream h, struct MUstream_st **out)
{
	MUcontext ctx;
	MUresult r;

	if (!h || h == MU_STREAM_LEGACY || h == MU_STREAM_PER_THREAD) {
		r = umd_ctx_enter(&ctx);
		if (r)
			return r;
		return umd_stream_resolve(ctx, h, out);
	}
	r = umd_check_init();
	if (r)
		return r;
	if (!umd_handle_valid(h, UMD_H_STREAM))
		return MUSA_ERROR_INVALID_HANDLE;
	*out = h;
	return (MUresult)atomic_load(&h->ctx->sticky);
}

/* A call that follows a user stream outside the context lock (a sync
 * waiting on its timeline) holds it for its whole length, so a destroy in
 * another thread cannot free it underneath: 0 and a reference taken (none
 * for NULL, MU_STREAM_LEGACY, MU_STREAM_PER_THREAD), or an error. */
static MUresult umd_stream_hold(MUstream h)
{
	MUresult r = umd_check_init();

	if (r || !h || h == MU_STREAM_LEGACY || h == MU_STREAM_PER_THREAD)
		return r;
	return umd_handle_get(h, UMD_H_STREAM) ? MUSA_SUCCESS : MUSA_ERROR_INVALID_HANDLE;
}

static void umd_stream_unhold(MUstream h)
{
	if (h && h != MU_STREAM_LEGACY && h != MU_STREAM_PER_THREAD)
		umd_handle_put(h);
}

static MUresult umd_stream_sync_held(MUstream hStream)
{
	struct MUstream_st *s;
	uint64_t last, t0 = umd_prof_begin();
	MUresult r = umd_stream_lookup(hStream, &s);

	if (r)
		return r;
	/* graphs: a capturing stream cannot be waited for */
	r = umd_capture_sync(s);
	if (r)
		return r;
	pthread_mutex_lock(&s->ctx->lock);
	last = s->last;
	pthread_mutex_unlock(&s->ctx->lock);
	r = umd_wait_point(s->ctx, s->syncobj, last);
	if (t0)
		umd_prof_sync("muStreamSynchronize", s, t0);
	if (r)
		return r;
	return umd_ctx_check_fault(s->ctx);
}

UMD_API MUresult muStreamSynchronize(MUstream hStream)
{
	MUresult r = umd_stream_hold(hStream);

	if (r)
		return r;
	r = umd_stream_sync_held(hStream);
	umd_stream_unhold(hStream);
	return r;
}

static MUresult umd_stream_query_held(MUstream hStream)
{
	struct MUstream_st *s;
	uint64_t last;
	MUresult r = umd_stream_lookup(hStream, &s);
	int ret;

	if (r)
		return r;
	/* graphs: a capturing stream cannot be queried */
	r = umd_capture_sync(s);
	if (r)
		return r;
	pthread_mutex_lock(&s->ctx->lock);
	last = s->last;
	pthread_mutex_unlock(&s->ctx->lock);
	ret = umd_point_passed(s->ctx, s->syncobj, last);
	r = umd_ctx_check_fault(s->ctx);
	if (r)
		return r;
	if (ret < 0)
		return umd_errno(ret);
	return ret ? MUSA_SUCCESS : MUSA_ERROR_NOT_READY;
}

UMD_API MUresult muStreamQuery(MUstream hStream)
{
	MUresult r = umd_stream_hold(hStream);

	if (r)
		return r;
	r = umd_stream_query_held(hStream);
	umd_stream_unhold(hStream);
	return r;
}

MUresult umd_stream_peek(MUstream hStream, struct MUstream_st **out)
{
	MUresult r;

	if (!hStream || hStream == MU_STREAM_LEGACY || hStream == MU_STREAM_PER_THREAD) {
		MUcontext ctx;

		r = umd_ctx_current(&ctx);
		if (r)
			return r;
		return umd_stream_resolve(ctx, hStream, out);
	}
	r = umd_check_init();
	if (r)
		return r;
	if (!umd_handle_valid(hStream, UMD_H_STREAM))
		return MUSA_ERROR_INVALID_HANDLE;
	*out = hStream;
	return MUSA_SUCCESS;
}

UMD_API MUresult muStreamGetFlags(MUstream hStream, unsigned int *flags)
{
	struct MUstream_st *s;
	MUresult r = umd_stream_peek(hStream, &s);

	if (r)
		return r;
	if (!flags)
		return MUSA_ERROR_INVALID_VALUE;
	*flags = s->flags;
	return MUSA_SUCCESS;
}

UMD_API MUresult muStreamGetPriority(MUstream hStream, int *priority)
{
	struct MUstream_st *s;
	MUresult r = umd_stream_peek(hStream, &s);

	if (r)
		return r;
	if (!priority)
		return MUSA_ERROR_INVALID_VALUE;
	*priority = s->priority;
	return MUSA_SUCCESS;
}

UMD_API MUresult muStreamGetCtx(MUstream hStream, MUcontext *pctx)
{
	struct MUstream_st *s;
	MUresult r = umd_stream_peek(hStream, &s);

	if (r)
		return r;
	if (!pctx)
		return MUSA_ERROR_INVALID_VALUE;
	*pctx = s->ctx;
	return MUSA_SUCCESS;
}

UMD_API MUresult muStreamGetDevice(MUstream hStream, MUdevice *device)
{
	struct MUstream_st *s;
	MUresult r = umd_stream_peek(hStream, &s);

	if (r)
		return r;
	if (!device)
		return MUSA_ERROR_INVALID_VALUE;
	*device = s->ctx->ordinal;
	return MUSA_SUCCESS;
}

UMD_API MUresult muStreamGetId(MUstream hStream, unsigned long long *streamId)
{
	struct MUstream_st *s;
	MUresult r = umd_stream_peek(hStream, &s);

	if (r)
		return r;
	if (!streamId)
		return MUSA_ERROR_INVALID_VALUE;
	*streamId = umd_sx_id(s);
	return *streamId ? MUSA_SUCCESS : MUSA_ERROR_OUT_OF_MEMORY;
}

UMD_API MUresult muCtxGetStreamPriorityRange(int *leastPriority, int *greatestPriority)
{
	MUcontext ctx;
	MUresult r = umd_ctx_current(&ctx);

	if (r)
		return r;
	/* NULL pointers are skipped, as CUDA does. */
	if (leastPriority)
		*leastPriority = 0;
	if (greatestPriority)
		*greatestPriority = -2;
	return MUSA_SUCCESS;
}

static MUresult umd_host_func_held(MUstream hStream, MUhostFn fn, void *userData)
{
	struct umd_hf_call c = { .fn = fn, .data = userData };
	struct MUstream_st *s;
	MUresult r = umd_stream_lookup(hStream, &s);

	if (r)
		return r;
	if (!fn)
		return MUSA_ERROR_INVALID_VALUE;
	/* graphs: a capturing stream records a host node */
	if (umd_capture_host_fn(s, fn, userData, &r))
		return r;
	pthread_mutex_lock(&s->ctx->lock);
	r = umd_hf_queue_locked(s, &c);
	pthread_mutex_unlock(&s->ctx->lock);
	return r;
}

UMD_API MUresult muLaunchHostFunc(MUstream hStream, MUhostFn fn, void *userData)
{
	MUresult r = umd_stream_hold(hStream);

	if (r)
		return r;
	r = umd_host_func_held(hStream, fn, userData);
	umd_stream_unhold(hStream);
	return r;
}

static MUresult umd_add_callback_held(MUstream hStream, MUstreamCallback callback,
				     void *userData, unsigned int flags)
{
	struct umd_hf_call c = { .cb = callback, .handle = hStream, .data = userData };
	struct MUstream_st *s;
	MUresult r = umd_stream_lookup(hStream, &s);

	if (r)
		return r;
	if (!callback || flags != 0)
		return MUSA_ERROR_INVALID_VALUE;
	/* graphs: callbacks cannot be captured (CUDA: use host functions) */
	r = umd_capture_sync(s);
	if (r)
		return r;
	pthread_mutex_lock(&s->ctx->lock);
	r = umd_hf_queue_locked(s, &c);
	pthread_mutex_unlock(&s->ctx->lock);
	return r;
}

UMD_API MUresult muStreamAddCallback(MUstream hStream, MUstreamCallback callback,
				     void *userData, unsigned int flags)
{
	MUresult r = umd_stream_hold(hStream);

	if (r)
		return r;
	r = umd_add_callback_held(hStream, callback, userData, flags);
	umd_stream_unhold(hStream);
	return r;
}

UMD_API MUresult muStreamAttachMemAsync(MUstream hStream, MUdeviceptr dptr, size_t length,
					unsigned int flags)
{
	struct MUstream_st *s;
	MUresult r = umd_stream_lookup(hStream, &s);

	if (r)
		return r;
	if (flags != MU_MEM_ATTACH_GLOBAL && flags != MU_MEM_ATTACH_HOST &&
	    flags != MU_MEM_ATTACH_SINGLE)
		return MUSA_ERROR_INVALID_VALUE;
	if (!dptr)
		return MUSA_ERROR_INVALID_VALUE;
	/* Every allocation is visible to every stream of the context here, so
	 * attaching changes nothing; the call only checks its arguments. */
	(void)length;
	return MUSA_SUCCESS;
}

static MUresult umd_stream_wait_event_held(struct MUstream_st *s, MUevent hEvent)
{
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_WAIT };
	uint64_t point, t0 = umd_prof_begin();
	MUresult r;

	/* graphs: fork / join of captures through events */
	if (umd_capture_wait_event(s, hEvent, &r))
		return r;
	if (umd_ipc_of(hEvent))
		return umd_ipc_stream_wait(s, umd_ipc_of(hEvent));
	pthread_mutex_lock(&hEvent->ctx->lock);
	point = hEvent->point;
	pthread_mutex_unlock(&hEvent->ctx->lock);
	if (!point)
		return MUSA_SUCCESS;
	/* Syncobj handles are private to an fd: across contexts wait here. */
	if (hEvent->ctx != s->ctx)
		return umd_wait_point(hEvent->ctx, hEvent->syncobj, point);
	p.sync.syncobj = hEvent->syncobj;
	p.sync.point = point;
	r = umd_stream_submit(s, &p, 1, NULL);
	if (t0)
		umd_prof_event("muStreamWaitEvent", s, hEvent->syncobj, point, t0);
	return r;
}

static MUresult umd_stream_wait_held(MUstream hStream, MUevent hEvent, unsigned int Flags)
{
	struct MUstream_st *s;
	MUresult r = umd_stream_lookup(hStream, &s);

	if (r)
		return r;
	if (!umd_handle_get(hEvent, UMD_H_EVENT))
		return MUSA_ERROR_INVALID_HANDLE;
	r = Flags ? MUSA_ERROR_INVALID_VALUE : umd_stream_wait_event_held(s, hEvent);
	umd_handle_put(hEvent);
	return r;
}

UMD_API MUresult muStreamWaitEvent(MUstream hStream, MUevent hEvent, unsigned int Flags)
{
	MUresult r = umd_stream_hold(hStream);

	if (r)
		return r;
	r = umd_stream_wait_held(hStream, hEvent, Flags);
	umd_stream_unhold(hStream);
	return r;
}
