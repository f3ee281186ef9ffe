/* SPDX-License-Identifier: MIT */
/*
 * event.c - events. An event owns a timeline syncobj; recording submits a
 * SIGNAL of its next point on the stream (preceded by a TIMESTAMP packet
 * into the event's 8-byte slot of a per-context timestamp BO unless created
 * with MU_EVENT_DISABLE_TIMING). Owning the syncobj keeps an event usable
 * after its stream is destroyed and makes re-recording a new point.
 * Interprocess events keep their state in a shared page instead (event_ipc.c).
 *
 * An event is counted (struct umd_object): a call that names it holds a
 * reference from its lookup to its end, so a destroy in another thread
 * cannot free it underneath; the last put frees it.
 * May call: stream.c, bo.c, context.c, transport.c, handle.c, capture.c,
 * event_ipc.c, profiler.c.
 */
#include <stdlib.h>

#include "musa_log.h"
#include "stream_private.h"

#define UMD_EVENT_FLAGS (MU_EVENT_BLOCKING_SYNC | MU_EVENT_DISABLE_TIMING | MU_EVENT_INTERPROCESS)

static int umd_timestamp_page_full(const struct umd_timestamp_page *pg)
{
	for (unsigned int w = 0; w < UMD_TIMESTAMP_SLOTS / 64; w++)
		if (pg->used[w] != ~0ull)
			return 0;
	return 1;
}

/*
 * Finds a free timestamp slot, adding a page when all are taken; ctx->lock
 * held. Pages with a free slot are kept at the front of
 * ctx->timestamp_pages and full ones behind them, so only the first page is
 * ever looked at: O(1) however many events live.
 */
static int umd_timestamp_alloc(MUcontext ctx, struct umd_timestamp_page **page,
			       unsigned int *slot)
{
	struct umd_timestamp_page *pg = NULL;
	int ret;

	if (!umd_list_empty(&ctx->timestamp_pages)) {
		pg = umd_container_of(ctx->timestamp_pages.next, struct umd_timestamp_page, link);
		if (umd_timestamp_page_full(pg))
			pg = NULL;
	}
	if (!pg) {
		pg = calloc(1, sizeof(*pg));
		if (!pg)
			return -1;
		ret = umd_bo_create(ctx, UMD_TIMESTAMP_SLOTS * sizeof(uint64_t), 1, &pg->bo);
		if (ret) {
			free(pg);
			return ret;
		}
		umd_list_add(ctx->timestamp_pages.next, &pg->link);   /* at the front */
	}
	for (unsigned int w = 0; w < UMD_TIMESTAMP_SLOTS / 64; w++) {
		if (pg->used[w] != ~0ull) {
			unsigned int b = (unsigned int)__builtin_ctzll(~pg->used[w]);

			pg->used[w] |= 1ull << b;
			*page = pg;
			*slot = w * 64 + b;
			break;
		}
	}
	if (umd_timestamp_page_full(pg)) {
		/* full pages go behind every page that has room */
		umd_list_del(&pg->link);
		umd_list_add(&ctx->timestamp_pages, &pg->link);
	}
	return 0;
}

/* Gives a slot back; its page moves to the front, as it has room now. */
static void umd_timestamp_free(MUcontext ctx, struct umd_timestamp_page *pg, unsigned int slot)
{
	pg->used[slot / 64] &= ~(1ull << (slot % 64));
	umd_list_del(&pg->link);
	umd_list_add(ctx->timestamp_pages.next, &pg->link);
}

/* The last put of an event (umd_object_put): its timeline record may go. */
static void umd_event_free(struct umd_object *o)
{
	struct MUevent_st *e = umd_container_of(o, struct MUevent_st, obj);

	if (e->zombie) {
		pthread_mutex_lock(&e->ctx->lock);
		e->zombie->refs--;
		pthread_mutex_unlock(&e->ctx->lock);
	}
	umd_event_ipc_page_put(e->ipc);
	free(e);
}

void umd_event_put(struct MUevent_st *e)
{
	umd_handle_put(&e->obj);
}

/* Gives back what the event holds of its context: its timeline (kept on
 * the zombie list while a SIGNAL is pending or a call of another thread
 * still uses the event) and timestamp slot. `known`: the references the
 * caller accounts for (its handle is gone, so no new ones come). ctx->lock
 * held. */
static void umd_event_unlink(MUcontext ctx, struct MUevent_st *e, unsigned int known)
{
	bool held = atomic_load(&e->obj.refs) > known;
	int pending = 0;

	umd_list_del(&e->link);
	umd_capture_forget_event(e);   /* graphs: drop its capture record */
	umd_event_ipc_revoke(e);
	if (!ctx->closing) {
		struct umd_zombie *z;

		pending = umd_point_passed(ctx, e->syncobj, e->point) != 1;
		/* A SIGNAL still queued, and a call still holding the event,
		 * must find its syncobj alive: the record keeps it until the
		 * point passed and the event's last put. */
		z = pending || held ? malloc(sizeof(*z)) : NULL;
		if (z) {
			z->syncobj = e->syncobj;
			z->point = e->point;
			z->refs = held;
			z->queue = 0;
			umd_list_add(&ctx->zombies, &z->link);
			e->zombie = held ? z : NULL;
		} else {
			umd_syncobj_destroy(ctx, e->syncobj);
		}
	}
	/* A pending TIMESTAMP would still write the slot: keep it taken. */
	if (e->ts && !pending)
		umd_timestamp_free(ctx, e->ts, e->ts_slot);
}

void umd_event_release(MUcontext ctx, struct MUevent_st *e)
{
	umd_handle_del(e);
	umd_event_unlink(ctx, e, 1);
	umd_object_put(&e->obj);
}

static MUresult umd_event_create_on(MUcontext ctx, MUevent *phEvent, unsigned int Flags)
{
	struct MUevent_st *e;
	int ret;

	CHECK(!phEvent || (Flags & ~(unsigned int)UMD_EVENT_FLAGS), MUSA_ERROR_INVALID_VALUE);
	CHECK((Flags & MU_EVENT_INTERPROCESS) && !(Flags & MU_EVENT_DISABLE_TIMING),
	      MUSA_ERROR_INVALID_VALUE);
	e = calloc(1, sizeof(*e));
	if (!e)
		return MUSA_ERROR_OUT_OF_MEMORY;
	umd_object_init(&e->obj, umd_event_free, ctx);
	e->ctx = ctx;
	e->flags = Flags;
	umd_list_init(&e->link);
	ret = umd_syncobj_create(ctx, &e->syncobj);
	if (ret) {
		free(e);
		return umd_errno(ret);
	}
	if ((Flags & MU_EVENT_INTERPROCESS) && umd_event_ipc_create(e)) {
		umd_syncobj_destroy(ctx, e->syncobj);
		free(e);
		return MUSA_ERROR_OUT_OF_MEMORY;
	}
	pthread_mutex_lock(&ctx->lock);
	if (!(Flags & MU_EVENT_DISABLE_TIMING)) {
		ret = umd_timestamp_alloc(ctx, &e->ts, &e->ts_slot);
		if (ret)
			goto err_unlock;
	}
	if (umd_handle_add(e, UMD_H_EVENT)) {
		ret = -1;
		goto err_unlock;
	}
	umd_list_add(&ctx->events, &e->link);
	pthread_mutex_unlock(&ctx->lock);
	*phEvent = e;
	return MUSA_SUCCESS;

err_unlock:
	umd_event_release(ctx, e);
	pthread_mutex_unlock(&ctx->lock);
	return ret < -1 ? umd_errno(ret) : MUSA_ERROR_OUT_OF_MEMORY;
}

UMD_API MUresult muEventCreate(MUevent *phEvent, unsigned int Flags)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_event_create_on(ctx, phEvent, Flags));
}

/* Queues the event's TIMESTAMP and SIGNAL (or its interprocess record) on s. */
static MUresult umd_event_record_on(struct MUevent_st *hEvent, struct MUstream_st *s)
{
	struct drm_musa_packet p[2] = { { 0 } };
	MUcontext ctx = hEvent->ctx;
	unsigned int n = 0;
	uint64_t point = 0, t0 = umd_prof_begin();
	MUresult r;

	/* graphs: recording in a capturing stream adds no device work */
	if (umd_capture_event_record(hEvent, s, &r))
		return r;
	pthread_mutex_lock(&ctx->lock);
	if (!umd_handle_valid(hEvent, UMD_H_EVENT)) {
		/* destroyed by another thread meanwhile */
		pthread_mutex_unlock(&ctx->lock);
		return MUSA_ERROR_INVALID_HANDLE;
	}
	if (hEvent->flags & MU_EVENT_INTERPROCESS) {
		r = umd_event_ipc_record_locked(hEvent, s);
		pthread_mutex_unlock(&ctx->lock);
		return r;
	}
	if (hEvent->ts) {
		p[n].type = DRM_MUSA_PKT_TIMESTAMP;
		p[n].timestamp.dst = hEvent->ts->bo.va + hEvent->ts_slot * sizeof(uint64_t);
		n++;
	}
	p[n].type = DRM_MUSA_PKT_SIGNAL;
	p[n].sync.syncobj = hEvent->syncobj;
	p[n].sync.point = hEvent->point + 1;
	n++;
	r = umd_stream_submit_locked(s, p, n, NULL);
	if (!r)
		point = ++hEvent->point;
	pthread_mutex_unlock(&ctx->lock);
	if (t0 && point)
		umd_prof_event("muEventRecord", s, hEvent->syncobj, point, t0);
	return r;
}

static MUresult umd_event_record(MUevent hEvent, MUstream hStream)
{
	struct MUstream_st *s;
	struct MUevent_st *e;
	MUresult r = umd_check_init();

	if (r)
		return r;
	e = umd_handle_get(hEvent, UMD_H_EVENT);
	CHECK(!e, MUSA_ERROR_INVALID_HANDLE);
	r = (MUresult)atomic_load(&e->ctx->sticky);
	if (!r)
		r = umd_stream_get(NULL, hStream, UMD_STREAM_IGNORE_STICKY, &s);
	if (r)
		goto out;
	/* The stream (the NULL one: of the current context) must be of the
	 * event's context. */
	r = s->ctx == e->ctx ? umd_event_record_on(e, s) : MUSA_ERROR_INVALID_HANDLE;
	umd_stream_put(s);
out:
	umd_event_put(e);
	return r;
}

UMD_API MUresult muEventRecord(MUevent hEvent, MUstream hStream)
{
	return umd_event_record(hEvent, hStream);
}

UMD_API MUresult muEventRecordWithFlags(MUevent hEvent, MUstream hStream, unsigned int flags)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(flags & ~(unsigned int)MU_EVENT_RECORD_EXTERNAL, MUSA_ERROR_INVALID_VALUE);
	return umd_event_record(hEvent, hStream);
}

/* The event h and the point it waits for, or an error. On success the
 * caller holds a reference to the event (umd_event_put when done with it),
 * so another thread destroying it meanwhile cannot free it under the
 * caller. */
static MUresult umd_event_point(MUevent h, struct MUevent_st **out, uint64_t *point)
{
	struct MUevent_st *e;
	MUresult r = umd_check_init();

	if (r)
		return r;
	e = umd_handle_get(h, UMD_H_EVENT);
	CHECK(!e, MUSA_ERROR_INVALID_HANDLE);
	r = (MUresult)atomic_load(&e->ctx->sticky);
	/* graphs: an event last recorded in a capture has nothing to wait for */
	if (!r)
		r = umd_capture_event_check(e);
	if (r) {
		umd_event_put(e);
		return r;
	}
	*out = e;
	pthread_mutex_lock(&e->ctx->lock);
	*point = e->point;
	pthread_mutex_unlock(&e->ctx->lock);
	return MUSA_SUCCESS;
}

static MUresult umd_event_query_on(struct MUevent_st *hEvent, uint64_t point)
{
	MUresult r;
	int ret;

	if (hEvent->ipc)
		return umd_event_ipc_query(hEvent->ipc);
	ret = umd_point_passed(hEvent->ctx, hEvent->syncobj, point);
	r = umd_ctx_check_fault(hEvent->ctx);
	if (r)
		return r;
	if (ret < 0)
		return umd_errno(ret);
	return ret ? MUSA_SUCCESS : MUSA_ERROR_NOT_READY;
}

UMD_API MUresult muEventQuery(MUevent hEvent)
{
	struct MUevent_st *e;
	uint64_t point;
	MUresult r = umd_event_point(hEvent, &e, &point);

	if (r)
		return r;
	r = umd_event_query_on(e, point);
	umd_event_put(e);
	return r;
}

static MUresult umd_event_sync_on(struct MUevent_st *hEvent, uint64_t point)
{
	MUresult r;

	if (hEvent->ipc) {
		r = umd_event_ipc_sync(hEvent->ctx, hEvent->ipc);
		return r ? r : umd_ctx_check_fault(hEvent->ctx);
	}
	r = umd_wait_point_as(hEvent->ctx, hEvent->syncobj, point,
			      hEvent->flags & MU_EVENT_BLOCKING_SYNC);
	if (r)
		return r;
	return umd_ctx_check_fault(hEvent->ctx);
}

UMD_API MUresult muEventSynchronize(MUevent hEvent)
{
	struct MUevent_st *e;
	uint64_t point;
	MUresult r = umd_event_point(hEvent, &e, &point);

	if (r)
		return r;
	r = umd_event_sync_on(e, point);
	umd_event_put(e);
	return r;
}

static MUresult umd_event_elapsed_on(float *pMilliseconds, struct MUevent_st *hStart,
				     uint64_t p0, struct MUevent_st *hEnd, uint64_t p1)
{
	volatile const uint64_t *t0, *t1;
	int d0, d1;

	CHECK(!hStart->ts || !hEnd->ts || !p0 || !p1 || hStart->ctx != hEnd->ctx,
	      MUSA_ERROR_INVALID_HANDLE);
	d0 = umd_point_passed(hStart->ctx, hStart->syncobj, p0);
	d1 = umd_point_passed(hEnd->ctx, hEnd->syncobj, p1);
	if (d0 < 0 || d1 < 0)
		return umd_errno(d0 < 0 ? d0 : d1);
	if (!d0 || !d1)
		return MUSA_ERROR_NOT_READY;
	t0 = (volatile const uint64_t *)hStart->ts->bo.cpu + hStart->ts_slot;
	t1 = (volatile const uint64_t *)hEnd->ts->bo.cpu + hEnd->ts_slot;
	*pMilliseconds = (float)((double)((int64_t)(*t1 - *t0)) / 1e6);
	return MUSA_SUCCESS;
}

UMD_API MUresult muEventElapsedTime(float *pMilliseconds, MUevent hStart, MUevent hEnd)
{
	struct MUevent_st *start, *end;
	uint64_t p0, p1;
	MUresult r;

	r = umd_check_init();
	if (r)
		return r;
	CHECK(!pMilliseconds, MUSA_ERROR_INVALID_VALUE);
	r = umd_event_point(hStart, &start, &p0);
	if (r)
		return r;
	r = umd_event_point(hEnd, &end, &p1);
	if (r) {
		umd_event_put(start);
		return r;
	}
	r = umd_event_elapsed_on(pMilliseconds, start, p0, end, p1);
	umd_event_put(end);
	umd_event_put(start);
	return r;
}

UMD_API MUresult muEventDestroy(MUevent hEvent)
{
	struct MUevent_st *e;
	MUcontext ctx;
	MUresult r = umd_check_init();
	int removed;

	if (r)
		return r;
	e = umd_handle_get(hEvent, UMD_H_EVENT);
	CHECK(!e, MUSA_ERROR_INVALID_HANDLE);
	ctx = e->ctx;
	pthread_mutex_lock(&ctx->lock);
	/* Of two racing destroys of the handle only one removes it. */
	removed = umd_handle_del(e);
	if (removed)
		umd_event_unlink(ctx, e, 2);
	pthread_mutex_unlock(&ctx->lock);
	/* The reference its creation took, before the lookup's (whose context
	 * reference keeps the context alive for a release that takes its
	 * lock): the memory goes now, or with the put of a call still using
	 * it. */
	if (removed)
		umd_object_put(&e->obj);
	umd_event_put(e);
	return removed ? MUSA_SUCCESS : MUSA_ERROR_INVALID_HANDLE;
}
