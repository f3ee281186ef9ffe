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
 * MU_STREAM_PER_THREAD names the calling thread's per-thread default
 * stream, a blocking stream like any other used by one host thread: the
 * first use on a thread makes it, and once the thread exited the next
 * thread that needs one takes it over, so their number stays at the number
 * of threads alive at once; the context destroys them with its other
 * streams.
 *
 * A stream is counted (struct umd_object): every call that names it holds
 * a reference from umd_stream_get to umd_stream_put, so a destroy in
 * another thread cannot free it underneath. Destroying a stream returns at
 * once; a queue still running work goes on the context's zombie list with
 * its timeline and is destroyed once its last point passed (context.c), so
 * its WAITs are honoured. Host functions: hostfn.c.
 * May call: transport.c, errno.c, context.c (fault checks, zombies),
 * event.c, hostfn.c, capture.c, ring.c, handle.c, event_ipc.c, profiler.c.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "musa_log.h"
#include "stream_private.h"

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

/* A host thread that used MU_STREAM_PER_THREAD. The streams it uses point
 * at it; its exit marks it, which frees those streams for other threads. */
struct umd_thread {
	_Atomic unsigned int refs;   /* the thread while it runs, and its streams */
	_Atomic bool exited;
};

static _Atomic unsigned long long umd_stream_next_id = 1;
static __thread struct umd_thread *umd_thread_current;
static pthread_key_t umd_thread_key;
static pthread_once_t umd_thread_once = PTHREAD_ONCE_INIT;

static void umd_thread_put(struct umd_thread *t)
{
	if (t && atomic_fetch_sub(&t->refs, 1) == 1)
		free(t);
}

static void umd_thread_exit(void *v)
{
	struct umd_thread *t = v;

	atomic_store(&t->exited, true);
	umd_thread_put(t);
}

static void umd_thread_key_init(void)
{
	if (pthread_key_create(&umd_thread_key, umd_thread_exit))
		umd_log("per-thread stream key: not available");
}

/* The calling thread's record, made on first use; NULL when out of memory. */
static struct umd_thread *umd_thread_self(void)
{
	struct umd_thread *t = umd_thread_current;

	if (t)
		return t;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	atomic_init(&t->refs, 1);
	pthread_once(&umd_thread_once, umd_thread_key_init);
	pthread_setspecific(umd_thread_key, t);
	umd_thread_current = t;
	return t;
}

/* The last put of a stream (umd_object_put): its timeline record may go. */
static void umd_stream_free(struct umd_object *o)
{
	struct MUstream_st *s = umd_container_of(o, struct MUstream_st, obj);

	if (s->tl && s->destroyed) {
		pthread_mutex_lock(&s->ctx->lock);
		s->tl->refs--;
		pthread_mutex_unlock(&s->ctx->lock);
	}
	umd_thread_put(s->owner);
	free(s);
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
	umd_object_init(&s->obj, umd_stream_free, ctx);
	s->ctx = ctx;
	s->id = atomic_fetch_add(&umd_stream_next_id, 1);
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
 * queues may still wait on its points; a queue still running work goes
 * with the timeline, as destroying it would cut its WAITs short. `known`:
 * the references the caller accounts for (its handle is gone, so no new
 * ones come); more are calls of other threads still using the stream.
 * ctx->lock held. Returns the queue handle to destroy now (0: none). */
static uint32_t umd_stream_unlink(MUcontext ctx, struct MUstream_st *s, unsigned int known)
{
	bool held = atomic_load(&s->obj.refs) > known;
	struct umd_zombie *z;

	umd_list_del(&s->link);
	s->destroyed = true;
	umd_hostfn_stream_gone(ctx, s);
	umd_capture_forget_stream(s);   /* graphs: it leaves its capture */
	z = s->tl;
	if (ctx->closing) {
		/* Teardown: the fd takes the queue and the timeline. */
		s->tl = NULL;
		free(z);
		return 0;
	}
	/* A stream that never ran anything and that no sync holds goes at
	 * once (a wait for its point 0 reads no syncobj); otherwise its
	 * timeline waits on the zombie list, held by the stream itself until
	 * its last put while other calls still use it. */
	if (!s->last && !z->refs) {
		s->tl = NULL;
		umd_syncobj_destroy(ctx, s->syncobj);
		free(z);
		return s->queue;
	}
	z->syncobj = s->syncobj;
	z->point = s->last;
	if (held)
		z->refs++;
	else
		s->tl = NULL;
	z->queue = umd_point_passed(ctx, s->syncobj, s->last) == 1 ? 0 : s->queue;
	umd_list_add(&ctx->zombies, &z->link);
	return z->queue ? 0 : s->queue;
}

void umd_stream_release(MUcontext ctx, struct MUstream_st *s)
{
	umd_handle_del(s);
	umd_queue_destroy(ctx, umd_stream_unlink(ctx, s, 1));
	umd_object_put(&s->obj);
}

void umd_stream_put(struct MUstream_st *s)
{
	if (s->legacy)
		umd_ctx_put(s->ctx);
	else
		umd_handle_put(&s->obj);
}

/* The calling thread's per-thread default stream of ctx, with a reference:
 * the one it used before, else one whose thread exited, else a new one
 * (so their number stays at the number of threads alive at once). */
static MUresult umd_stream_per_thread(MUcontext ctx, struct MUstream_st **out)
{
	struct umd_thread *me = umd_thread_self();
	struct MUstream_st *s = NULL, *spare = NULL;
	MUresult r;

	if (!me)
		return MUSA_ERROR_OUT_OF_MEMORY;
	pthread_mutex_lock(&ctx->lock);
	for (struct umd_list *l = ctx->streams.next; l != &ctx->streams && !s; l = l->next) {
		struct MUstream_st *t = umd_container_of(l, struct MUstream_st, link);

		if (!t->per_thread)
			continue;
		if (t->owner == me)
			s = t;
		else if (!spare && (!t->owner || atomic_load(&t->owner->exited)))
			spare = t;
	}
	if (!s && spare) {
		umd_thread_put(spare->owner);
		atomic_fetch_add(&me->refs, 1);
		spare->owner = me;
		s = spare;
	}
	if (s) {
		umd_object_get(&s->obj);
		pthread_mutex_unlock(&ctx->lock);
		*out = s;
		return MUSA_SUCCESS;
	}
	pthread_mutex_unlock(&ctx->lock);

	r = umd_stream_create(ctx, MU_STREAM_DEFAULT, 0, 0, &s);
	if (r)
		return r;
	s->per_thread = true;
	atomic_fetch_add(&me->refs, 1);
	s->owner = me;
	umd_object_get(&s->obj);
	pthread_mutex_lock(&ctx->lock);
	umd_list_add(&ctx->streams, &s->link);
	pthread_mutex_unlock(&ctx->lock);
	*out = s;
	return MUSA_SUCCESS;
}

MUresult umd_stream_get(MUcontext ctx, MUstream h, unsigned int flags,
			struct MUstream_st **out)
{
	bool sticky = !(flags & UMD_STREAM_IGNORE_STICKY);
	struct MUstream_st *s;
	MUresult r;

	if (!h || h == MU_STREAM_LEGACY || h == MU_STREAM_PER_THREAD) {
		/* The stream's reference holds one to its context, as a
		 * lookup's does: the entry's, or one more of the caller's. */
		if (!ctx) {
			r = sticky ? umd_ctx_enter(&ctx) : umd_ctx_current(&ctx);
			if (r)
				return r;
		} else {
			r = sticky ? (MUresult)atomic_load(&ctx->sticky) : MUSA_SUCCESS;
			if (r)
				return r;
			umd_ctx_get(ctx);
		}
		if (h == MU_STREAM_PER_THREAD) {
			r = umd_stream_per_thread(ctx, out);
			if (r)
				umd_ctx_put(ctx);
			return r;
		}
		/* The legacy stream lives as long as its context: the
		 * context's reference is the stream's. */
		*out = ctx->legacy;
		return MUSA_SUCCESS;
	}
	r = umd_check_init();
	if (r)
		return r;
	s = umd_handle_get(h, UMD_H_STREAM);
	CHECK(!s, MUSA_ERROR_INVALID_HANDLE);
	if (ctx && s->ctx != ctx)
		r = MUSA_ERROR_INVALID_HANDLE;
	else if (sticky)
		r = (MUresult)atomic_load(&s->ctx->sticky);
	if (r) {
		umd_stream_put(s);
		return r;
	}
	*out = s;
	return MUSA_SUCCESS;
}

/* Adds a WAIT for (syncobj, point) unless the point already passed. */
static void umd_add_wait(MUcontext ctx, struct drm_musa_packet *p, unsigned int *n,
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

	/* Destroyed by another thread while this call held it. */
	if (s->destroyed)
		return MUSA_ERROR_INVALID_HANDLE;
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
				umd_add_wait(ctx, all, &m, t->syncobj, t->last, &t->done);
		}
		for (l = ctx->zombies.next; l != &ctx->zombies; l = l->next) {
			struct umd_zombie *z = umd_container_of(l, struct umd_zombie, link);

			umd_add_wait(ctx, all, &m, z->syncobj, z->point, NULL);
		}
	} else if (!(s->flags & MU_STREAM_NON_BLOCKING)) {
		umd_add_wait(ctx, all, &m, ctx->legacy->syncobj, ctx->legacy->last,
			     &ctx->legacy->done);
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

static MUresult umd_stream_create_on(MUcontext ctx, MUstream *phStream, unsigned int flags,
				     int priority)
{
	struct MUstream_st *s;
	MUresult r;

	CHECK(!phStream || (flags & ~(unsigned int)MU_STREAM_NON_BLOCKING),
	      MUSA_ERROR_INVALID_VALUE);
	r = umd_stream_create(ctx, flags, priority, 0, &s);
	if (r)
		return r;
	pthread_mutex_lock(&ctx->lock);
	umd_ctx_reap_zombies(ctx);
	if (umd_handle_add(s, UMD_H_STREAM)) {
		umd_stream_release(ctx, s);
		pthread_mutex_unlock(&ctx->lock);
		return MUSA_ERROR_OUT_OF_MEMORY;
	}
	umd_list_add(&ctx->streams, &s->link);
	pthread_mutex_unlock(&ctx->lock);
	*phStream = s;
	return MUSA_SUCCESS;
}

UMD_API MUresult muStreamCreateWithPriority(MUstream *phStream, unsigned int flags, int priority)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_stream_create_on(ctx, phStream, flags, priority));
}

UMD_API MUresult muStreamCreate(MUstream *phStream, unsigned int Flags)
{
	return muStreamCreateWithPriority(phStream, Flags, 0);
}

/* Returns at once: work still queued runs to its end (umd_stream_unlink). */
UMD_API MUresult muStreamDestroy(MUstream hStream)
{
	struct MUstream_st *s;
	uint32_t queue = 0;
	MUcontext ctx;
	MUresult r = umd_check_init();
	int removed;

	if (r)
		return r;
	s = umd_handle_get(hStream, UMD_H_STREAM);
	CHECK(!s, MUSA_ERROR_INVALID_HANDLE);
	ctx = s->ctx;
	pthread_mutex_lock(&ctx->lock);
	/* Of two racing destroys of the handle only one removes it. */
	removed = umd_handle_del(s);
	if (removed) {
		queue = umd_stream_unlink(ctx, s, 2);
		umd_ctx_reap_zombies(ctx);
	}
	pthread_mutex_unlock(&ctx->lock);
	umd_queue_destroy(ctx, queue);
	/* The reference its creation took, before the lookup's (whose context
	 * reference keeps the context alive for a release that takes its
	 * lock): the memory goes now, or with the put of a call still using
	 * it. */
	if (removed)
		umd_object_put(&s->obj);
	umd_stream_put(s);
	return removed ? MUSA_SUCCESS : MUSA_ERROR_INVALID_HANDLE;
}

UMD_API MUresult muStreamSynchronize(MUstream hStream)
{
	struct MUstream_st *s;
	uint64_t last, t0 = umd_prof_begin();
	MUresult r = umd_stream_get(NULL, hStream, 0, &s);

	if (r)
		return r;
	/* graphs: a capturing stream cannot be waited for */
	r = umd_capture_sync(s);
	if (r)
		goto out;
	pthread_mutex_lock(&s->ctx->lock);
	last = s->last;
	pthread_mutex_unlock(&s->ctx->lock);
	r = umd_wait_point(s->ctx, s->syncobj, last);
	if (t0)
		umd_prof_sync("muStreamSynchronize", s, t0);
	if (!r)
		r = umd_ctx_check_fault(s->ctx);
out:
	umd_stream_put(s);
	return r;
}

static MUresult umd_stream_query_on(struct MUstream_st *s)
{
	uint64_t last;
	MUresult r;
	int ret;

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
	struct MUstream_st *s;
	MUresult r = umd_stream_get(NULL, hStream, 0, &s);

	if (r)
		return r;
	r = umd_stream_query_on(s);
	umd_stream_put(s);
	return r;
}

/* What the muStreamGet* queries read; they ignore a sticky error. */
enum umd_stream_field {
	UMD_STREAM_FLAGS,
	UMD_STREAM_PRIORITY,
	UMD_STREAM_CTX,
	UMD_STREAM_DEVICE,
	UMD_STREAM_ID,
};

static MUresult umd_stream_read(MUstream hStream, enum umd_stream_field what, void *out)
{
	struct MUstream_st *s;
	MUresult r = umd_stream_get(NULL, hStream, UMD_STREAM_IGNORE_STICKY, &s);

	if (r)
		return r;
	if (!out) {
		umd_stream_put(s);
		return MUSA_ERROR_INVALID_VALUE;
	}
	switch (what) {
	case UMD_STREAM_FLAGS:
		*(unsigned int *)out = s->flags;
		break;
	case UMD_STREAM_PRIORITY:
		*(int *)out = s->priority;
		break;
	case UMD_STREAM_CTX:
		*(MUcontext *)out = s->ctx;
		break;
	case UMD_STREAM_DEVICE:
		*(MUdevice *)out = s->ctx->ordinal;
		break;
	case UMD_STREAM_ID:
		*(unsigned long long *)out = s->id;
		break;
	}
	umd_stream_put(s);
	return MUSA_SUCCESS;
}

UMD_API MUresult muStreamGetFlags(MUstream hStream, unsigned int *flags)
{
	return umd_stream_read(hStream, UMD_STREAM_FLAGS, flags);
}

UMD_API MUresult muStreamGetPriority(MUstream hStream, int *priority)
{
	return umd_stream_read(hStream, UMD_STREAM_PRIORITY, priority);
}

UMD_API MUresult muStreamGetCtx(MUstream hStream, MUcontext *pctx)
{
	return umd_stream_read(hStream, UMD_STREAM_CTX, pctx);
}

UMD_API MUresult muStreamGetDevice(MUstream hStream, MUdevice *device)
{
	return umd_stream_read(hStream, UMD_STREAM_DEVICE, device);
}

UMD_API MUresult muStreamGetId(MUstream hStream, unsigned long long *streamId)
{
	return umd_stream_read(hStream, UMD_STREAM_ID, streamId);
}

UMD_API MUresult muCtxGetStreamPriorityRange(int *leastPriority, int *greatestPriority)
{
	MUcontext ctx;
	MUresult r = umd_ctx_current(&ctx);

	if (r)
		return r;
	umd_ctx_put(ctx);  /* only its presence is checked */
	/* NULL pointers are skipped, as CUDA does. */
	if (leastPriority)
		*leastPriority = 0;
	if (greatestPriority)
		*greatestPriority = -2;
	return MUSA_SUCCESS;
}

static MUresult umd_host_func_on(struct MUstream_st *s, MUhostFn fn, void *userData)
{
	struct umd_hostfn_call c = { .fn = fn, .data = userData };
	MUresult r;

	CHECK(!fn, MUSA_ERROR_INVALID_VALUE);
	/* graphs: a capturing stream records a host node */
	if (umd_capture_host_fn(s, fn, userData, &r))
		return r;
	pthread_mutex_lock(&s->ctx->lock);
	r = umd_hostfn_queue_locked(s, &c);
	pthread_mutex_unlock(&s->ctx->lock);
	return r;
}

UMD_API MUresult muLaunchHostFunc(MUstream hStream, MUhostFn fn, void *userData)
{
	struct MUstream_st *s;
	MUresult r = umd_stream_get(NULL, hStream, 0, &s);

	if (r)
		return r;
	r = umd_host_func_on(s, fn, userData);
	umd_stream_put(s);
	return r;
}

static MUresult umd_add_callback_on(struct MUstream_st *s, MUstream hStream,
				    MUstreamCallback callback, void *userData, unsigned int flags)
{
	struct umd_hostfn_call c = { .cb = callback, .handle = hStream, .data = userData };
	MUresult r;

	CHECK(!callback || flags != 0, MUSA_ERROR_INVALID_VALUE);
	/* graphs: callbacks cannot be captured (CUDA: use host functions) */
	r = umd_capture_sync(s);
	if (r)
		return r;
	pthread_mutex_lock(&s->ctx->lock);
	r = umd_hostfn_queue_locked(s, &c);
	pthread_mutex_unlock(&s->ctx->lock);
	return r;
}

UMD_API MUresult muStreamAddCallback(MUstream hStream, MUstreamCallback callback,
				     void *userData, unsigned int flags)
{
	struct MUstream_st *s;
	MUresult r = umd_stream_get(NULL, hStream, 0, &s);

	if (r)
		return r;
	r = umd_add_callback_on(s, hStream, callback, userData, flags);
	umd_stream_put(s);
	return r;
}

UMD_API MUresult muStreamAttachMemAsync(MUstream hStream, MUdeviceptr dptr, size_t length,
					unsigned int flags)
{
	struct MUstream_st *s;
	MUresult r = umd_stream_get(NULL, hStream, 0, &s);

	if (r)
		return r;
	umd_stream_put(s);
	CHECK(flags != MU_MEM_ATTACH_GLOBAL && flags != MU_MEM_ATTACH_HOST &&
	      flags != MU_MEM_ATTACH_SINGLE,
	      MUSA_ERROR_INVALID_VALUE);
	CHECK(!dptr, MUSA_ERROR_INVALID_VALUE);
	/* Every allocation is visible to every stream of the context here, so
	 * attaching changes nothing; the call only checks its arguments. */
	(void)length;
	return MUSA_SUCCESS;
}

static MUresult umd_stream_wait_event_on(struct MUstream_st *s, struct MUevent_st *e)
{
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_WAIT };
	uint64_t point, t0 = umd_prof_begin();
	MUresult r;

	/* graphs: fork / join of captures through events */
	if (umd_capture_wait_event(s, e, &r))
		return r;
	if (e->ipc)
		return umd_event_ipc_stream_wait(s, e->ipc);
	pthread_mutex_lock(&e->ctx->lock);
	point = e->point;
	pthread_mutex_unlock(&e->ctx->lock);
	if (!point)
		return MUSA_SUCCESS;
	/* Syncobj handles are private to an fd: across contexts wait here. */
	if (e->ctx != s->ctx)
		return umd_wait_point(e->ctx, e->syncobj, point);
	p.sync.syncobj = e->syncobj;
	p.sync.point = point;
	r = umd_stream_submit(s, &p, 1, NULL);
	if (t0)
		umd_prof_event("muStreamWaitEvent", s, e->syncobj, point, t0);
	return r;
}

UMD_API MUresult muStreamWaitEvent(MUstream hStream, MUevent hEvent, unsigned int Flags)
{
	struct MUstream_st *s;
	struct MUevent_st *e;
	MUresult r = umd_stream_get(NULL, hStream, 0, &s);

	if (r)
		return r;
	e = umd_handle_get(hEvent, UMD_H_EVENT);
	if (!e)
		r = MUSA_ERROR_INVALID_HANDLE;
	else if (Flags)
		r = MUSA_ERROR_INVALID_VALUE;
	else
		r = umd_stream_wait_event_on(s, e);
	if (e)
		umd_event_put(e);
	umd_stream_put(s);
	return r;
}
