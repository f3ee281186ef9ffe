/* SPDX-License-Identifier: MIT */
/*
 * ring.c - the user-mode rings of a context's queues (DRM_MUSA_QUEUE_RING,
 * include/uapi/musa_drm.h). One BO per context holds UMD_RINGS rings; a
 * stream whose queue got one submits by writing slots and moving wptr,
 * with no ioctl while a command processor watches the ring, and learns
 * that its work passed, or that the context faulted, by reading the ring's
 * header. Streams beyond UMD_RINGS, and submissions a ring does not take
 * (copies and fills, whose range errors SUBMIT reports at once), use
 * SUBMIT; the kmd keeps a queue's ring and SUBMIT jobs in the order they
 * were written.
 *
 * Ring writes happen under ctx->lock (every submission does); the area
 * table is lock-free (an area is claimed with a compare-and-swap).
 * May call: transport.c, bo.c.
 */
#include <errno.h>
#include <string.h>

#include "umd.h"

#define UMD_RING_BYTES \
	(sizeof(struct drm_musa_ring_header) + UMD_RING_SLOTS * sizeof(struct drm_musa_ring_slot))
#define UMD_RING_CLAIMED UINT32_MAX  /* an area being set up */

_Static_assert(UMD_RING_BYTES % DRM_MUSA_RING_ALIGN == 0, "ring areas stay aligned");

/* Through the device address, as the kmd sees it: one mapping of the
 * ring, so both sides' atomics name the same words (race checkers pair a
 * release and an acquire by address). */
static struct drm_musa_ring_header *umd_ring_area(MUcontext ctx, unsigned int i)
{
	return (struct drm_musa_ring_header *)(uintptr_t)(ctx->rings.va + (uint64_t)i * UMD_RING_BYTES);
}

void umd_rings_init(MUcontext ctx)
{
	for (unsigned int i = 0; i < UMD_RINGS; i++) {
		atomic_init(&ctx->ring_queue[i], 0);
		atomic_init(&ctx->ring_syncobj[i], 0);
	}
	/* Without the BO every stream submits with SUBMIT. */
	if (umd_bo_create(ctx, (uint64_t)UMD_RINGS * UMD_RING_BYTES, 0, &ctx->rings))
		memset(&ctx->rings, 0, sizeof(ctx->rings));
}

void umd_rings_fini(MUcontext ctx)
{
	if (ctx->rings.handle)
		umd_bo_destroy(ctx, &ctx->rings);
	memset(&ctx->rings, 0, sizeof(ctx->rings));
}

/*
 * Zeroes a ring's header for its new queue. The words go one by one,
 * atomically: a thread that looked the area up for the stream that had it
 * before may still read them (its points have all passed by then, so any
 * value it reads answers it correctly or sends it to the kmd). The slots
 * need no clearing: the kmd reads none beyond wptr.
 */
static void umd_ring_clear(struct drm_musa_ring_header *h)
{
	__atomic_store_n(&h->wptr, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&h->rptr, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&h->done_point, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&h->watch, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&h->error, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&h->fault, 0, __ATOMIC_RELAXED);
	memset(h->pad0, 0, sizeof(h->pad0));
	h->pad1 = 0;
	memset(h->pad2, 0, sizeof(h->pad2));
}

int umd_ring_queue_create(MUcontext ctx, struct drm_musa_queue_create *qc,
			  struct MUstream_st *s)
{
	unsigned int i;
	int ret;

	s->ring = NULL;
	s->ring_wptr = 0;
	for (i = 0; ctx->rings.va && i < UMD_RINGS; i++) {
		uint32_t free_area = 0;

		if (atomic_compare_exchange_strong(&ctx->ring_queue[i], &free_area, UMD_RING_CLAIMED))
			break;
	}
	if (!ctx->rings.va || i == UMD_RINGS)
		return umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_QUEUE_CREATE, qc);
	umd_ring_clear(umd_ring_area(ctx, i));
	qc->flags = DRM_MUSA_QUEUE_RING;
	qc->ring = ctx->rings.va + (uint64_t)i * UMD_RING_BYTES;
	qc->ring_slots = UMD_RING_SLOTS;
	ret = umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_QUEUE_CREATE, qc);
	if (ret) {
		/* a kmd without rings (before 1.3) still gives a plain queue */
		atomic_store(&ctx->ring_queue[i], 0);
		qc->flags = 0;
		qc->ring = 0;
		qc->ring_slots = 0;
		return umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_QUEUE_CREATE, qc);
	}
	atomic_store(&ctx->ring_queue[i], qc->handle);
	s->ring = umd_ring_area(ctx, i);
	return 0;
}

void umd_ring_bind_syncobj(MUcontext ctx, const struct MUstream_st *s)
{
	for (unsigned int i = 0; s->ring && i < UMD_RINGS; i++)
		if (umd_ring_area(ctx, i) == s->ring)
			atomic_store(&ctx->ring_syncobj[i], s->syncobj);
}

void umd_queue_destroy(MUcontext ctx, uint32_t queue)
{
	struct drm_musa_queue_destroy qd = { .handle = queue };
	unsigned int i;

	if (!queue)
		return;
	/* The area stops naming the queue before QUEUE_DESTROY: once that
	 * returns, another thread's new queue may get the same number, and
	 * its destroy must not find this area. */
	for (i = 0; i < UMD_RINGS; i++) {
		uint32_t have = queue;

		if (atomic_compare_exchange_strong(&ctx->ring_queue[i], &have, UMD_RING_CLAIMED))
			break;
	}
	umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_QUEUE_DESTROY, &qd);
	/* The queue is gone: its area may serve another stream. */
	if (i < UMD_RINGS) {
		atomic_store(&ctx->ring_syncobj[i], 0);
		atomic_store(&ctx->ring_queue[i], 0);
	}
}

void umd_ring_unbind_syncobj(MUcontext ctx, uint32_t syncobj)
{
	for (unsigned int i = 0; syncobj && i < UMD_RINGS; i++) {
		uint32_t have = syncobj;

		atomic_compare_exchange_strong(&ctx->ring_syncobj[i], &have, 0);
	}
}

const struct drm_musa_ring_header *umd_ring_of(MUcontext ctx, uint32_t syncobj)
{
	if (!syncobj || !ctx->rings.va)
		return NULL;
	for (unsigned int i = 0; i < UMD_RINGS; i++)
		if (atomic_load_explicit(&ctx->ring_syncobj[i], memory_order_acquire) == syncobj)
			return umd_ring_area(ctx, i);
	return NULL;
}

bool umd_ring_done(const struct drm_musa_ring_header *h, uint64_t point)
{
	return h && __atomic_load_n(&h->done_point, __ATOMIC_ACQUIRE) >= point;
}

bool umd_ring_fault_free(MUcontext ctx)
{
	const struct MUstream_st *legacy = ctx->legacy;

	return legacy && legacy->ring && !__atomic_load_n(&legacy->ring->fault, __ATOMIC_ACQUIRE);
}

static int umd_doorbell(MUcontext ctx, uint32_t queue)
{
	struct drm_musa_queue_doorbell d = { .queue = queue };

	return umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_QUEUE_DOORBELL, &d);
}

/*
 * Packets whose checks the umd has made itself: a launch, a wait, an
 * event's signal and timestamp. A launch goes to the ring once a SUBMIT
 * has started the device's compute units, so that failing to start them
 * stays an error of the launch that needed them (ENOBUFS).
 */
static bool umd_ring_takes(MUcontext ctx, const struct drm_musa_packet *p, unsigned int n)
{
	if (n > UMD_RING_SLOTS / 2)
		return false;
	for (unsigned int i = 0; i < n; i++)
		if (p[i].type == DRM_MUSA_PKT_COPY || p[i].type == DRM_MUSA_PKT_FILL ||
		    (p[i].type == DRM_MUSA_PKT_KERNEL_DISPATCH && !ctx->cus_up))
			return false;
	return true;
}

void umd_ring_submitted(MUcontext ctx, const struct drm_musa_packet *p, unsigned int n)
{
	for (unsigned int i = 0; i < n && !ctx->cus_up; i++)
		if (p[i].type == DRM_MUSA_PKT_KERNEL_DISPATCH)
			ctx->cus_up = true;
}

int umd_ring_submit(struct MUstream_st *s, const struct drm_musa_packet *p, unsigned int n,
		    uint32_t syncobj, uint64_t point)
{
	struct drm_musa_ring_header *h = s->ring;
	struct drm_musa_ring_slot *slots;
	uint64_t w = s->ring_wptr;
	int ret;

	if (!h || !umd_ring_takes(s->ctx, p, n))
		return 1;
	if (w + n - __atomic_load_n(&h->rptr, __ATOMIC_ACQUIRE) > UMD_RING_SLOTS) {
		/* full: the doorbell makes the kmd take what it holds */
		ret = umd_doorbell(s->ctx, s->queue);
		if (ret)
			return ret;
		if (w + n - __atomic_load_n(&h->rptr, __ATOMIC_ACQUIRE) > UMD_RING_SLOTS)
			return 1;
	}
	slots = (struct drm_musa_ring_slot *)(h + 1);
	for (unsigned int i = 0; i < n; i++) {
		struct drm_musa_ring_slot *sl = &slots[(w + i) & (UMD_RING_SLOTS - 1)];
		bool last = i + 1 == n;

		sl->packet = p[i];
		sl->flags = last ? DRM_MUSA_RING_SLOT_LAST : 0;
		sl->signal_syncobj = last ? syncobj : 0;
		sl->signal_point = last ? point : 0;
	}
	s->ring_wptr = w + n;
	/* wptr, then watch: the CP stores watch, then reads wptr (cp.c). */
	__atomic_store_n(&h->wptr, s->ring_wptr, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&h->watch, __ATOMIC_SEQ_CST))
		return 0;
	/* The slots are written and will run: a doorbell that fails (it
	 * cannot for a queue of ours) leaves them to the next one, or to the
	 * next SUBMIT, which takes the ring first. */
	ret = umd_doorbell(s->ctx, s->queue);
	if (ret)
		umd_log("doorbell of queue %u failed: errno %d", s->queue, -ret);
	return 0;
}
