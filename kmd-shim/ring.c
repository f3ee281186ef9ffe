/* SPDX-License-Identifier: MIT */
/*
 * ring.c - user-mode rings. A queue created with DRM_MUSA_QUEUE_RING also
 * takes submissions from a ring in one of the caller's BOs (the layout and
 * rules are in include/uapi/musa_drm.h): the caller writes slots and moves
 * wptr, and the queue's command processor takes them without a system
 * call on the caller's side. Taking a submission runs the same checks as
 * SUBMIT (queue.c) on a private copy of its slots, so the caller cannot
 * change a packet between its check and its run.
 *
 * The submissions taken at once become one job, so a burst of launches
 * costs a few allocations per batch; each submission keeps its own fence,
 * signalled right after its last packet (a later submission of the batch
 * may wait for something that needs an earlier one's point first). A
 * batch is taken as SUBMIT is run: first everything that can fail (the
 * job, the fences, a reserved attach in each signal syncobj), then the
 * attaches and the push, which cannot.
 *
 * A bad submission cannot be refused (the caller is not in a system call):
 * its packets do not run, the context is marked guilty and the ring's
 * `error` word tells the caller which errno SUBMIT would have returned. A
 * wptr that runs more than the ring's size ahead stops the ring.
 *
 * Everything here runs with the file's lock held, except the two small
 * readers kmd_ring_pending and kmd_ring_watch. Calls queue.c (checks),
 * cp.c (queueing jobs), syncobj.c, vm.c, fault.c, alloc.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kmd.h"

struct kmd_ring {
	struct kmd_queue *queue;
	struct kmd_file *file;
	struct kmd_ring *next;                /* the file's rings (file lock and
					       * fault_lock both, to change) */
	struct kmd_vma *vma;                  /* keeps the ring's BO mapped */
	struct drm_musa_ring_header *hdr;
	const struct drm_musa_ring_slot *slots;
	uint32_t nslots;                      /* a power of two */
	uint64_t taken;                       /* slots taken (file lock) */
	_Atomic uint64_t seen;                /* wptr when last taken, for lock-free
					       * readers (a submission not complete
					       * then waits for wptr to move again) */
	atomic_bool dead;                     /* wptr ran off: nothing more is taken */
	int error;                            /* first error, as in hdr->error */
	struct drm_musa_ring_slot *copy;      /* the slots being taken */
	uint32_t copy_cap;
};

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

int kmd_ring_create(struct kmd_file *f, struct kmd_queue *q,
		    const struct drm_musa_queue_create *a)
{
	uint64_t bytes = sizeof(struct drm_musa_ring_header) +
			 (uint64_t)a->ring_slots * sizeof(struct drm_musa_ring_slot);
	struct kmd_ring *r;
	struct kmd_vma *v;

	if (!a->ring || a->ring % DRM_MUSA_RING_ALIGN || !is_pow2(a->ring_slots) ||
	    a->ring_slots < DRM_MUSA_RING_MIN_SLOTS || a->ring_slots > DRM_MUSA_RING_MAX_SLOTS)
		return -EINVAL;
	/* The device's own memory only: a userptr range or a module's data
	 * could go away or change protection under the CP. */
	v = kmd_vma_find(f, a->ring, bytes);
	if (!v)
		return -EFAULT;
	if (v->userptr || v->module || (v->bo->flags & KMD_BO_READ_ONLY)) {
		kmd_vma_put(v);
		return -EFAULT;
	}
	r = calloc(1, sizeof(*r));
	if (r) {
		r->copy_cap = a->ring_slots < DRM_MUSA_MAX_PACKETS ? a->ring_slots :
			      DRM_MUSA_MAX_PACKETS;
		r->copy = malloc(r->copy_cap * sizeof(*r->copy));
	}
	if (!r || !r->copy) {
		free(r);
		kmd_vma_put(v);
		return -ENOMEM;
	}
	r->vma = v;
	r->hdr = (struct drm_musa_ring_header *)(uintptr_t)a->ring;
	r->slots = (const struct drm_musa_ring_slot *)(r->hdr + 1);
	r->nslots = a->ring_slots;
	atomic_init(&r->seen, 0);
	atomic_init(&r->dead, false);
	/* The device's words start from zero; wptr is the caller's. */
	__atomic_store_n(&r->hdr->rptr, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&r->hdr->done_point, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&r->hdr->error, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&r->hdr->watch, 0, __ATOMIC_SEQ_CST);
	r->file = f;
	r->queue = q;
	pthread_mutex_lock(&f->fault_lock);
	__atomic_store_n(&r->hdr->fault, f->fault_kind, __ATOMIC_RELEASE);
	r->next = f->rings;
	f->rings = r;
	pthread_mutex_unlock(&f->fault_lock);
	q->ring = r;
	return 0;
}

void kmd_ring_destroy(struct kmd_ring *r)
{
	struct kmd_file *f = r->file;

	pthread_mutex_lock(&f->lock);
	pthread_mutex_lock(&f->fault_lock);
	for (struct kmd_ring **pp = &f->rings; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	}
	pthread_mutex_unlock(&f->fault_lock);
	pthread_mutex_unlock(&f->lock);
	kmd_vma_put(r->vma);
	free(r->copy);
	free(r);
}

bool kmd_ring_pending(const struct kmd_ring *r)
{
	return !atomic_load(&r->dead) &&
	       __atomic_load_n(&r->hdr->wptr, __ATOMIC_SEQ_CST) != atomic_load(&r->seen);
}

void kmd_ring_watch(struct kmd_ring *r, bool on)
{
	__atomic_store_n(&r->hdr->watch, on ? 1u : 0u, __ATOMIC_SEQ_CST);
}

void kmd_ring_fault_all(struct kmd_file *f, uint32_t kind)
{
	for (struct kmd_ring *r = f->rings; r; r = r->next)
		__atomic_store_n(&r->hdr->fault, kind, __ATOMIC_RELEASE);
}

void kmd_ring_done(struct kmd_ring *r, uint64_t point)
{
	__atomic_store_n(&r->hdr->done_point, point, __ATOMIC_RELEASE);
}

/* The first error of the ring; the context becomes guilty. */
static void ring_error(struct kmd_queue *q, int err)
{
	struct kmd_ring *r = q->ring;
	uint32_t kind = err == -ENOMEM || err == -ENOBUFS ? DRM_MUSA_FAULT_OUT_OF_RESOURCES :
			DRM_MUSA_FAULT_INVALID_PACKET;

	kmd_log("fd %d: ring submission refused (errno %d)", q->file->fd, -err);
	if (!r->error) {
		r->error = err;
		__atomic_store_n(&r->hdr->error, err, __ATOMIC_RELEASE);
	}
	kmd_fault_record(q->file, kind, 0);
}

/* Copies n slots from the ring's position `taken` (wrapping). */
static void copy_slots(struct kmd_ring *r, uint32_t n)
{
	uint32_t at = (uint32_t)(r->taken & (r->nslots - 1));
	uint32_t first = r->nslots - at < n ? r->nslots - at : n;

	memcpy(r->copy, r->slots + at, first * sizeof(*r->copy));
	memcpy(r->copy + first, r->slots, (n - first) * sizeof(*r->copy));
}

/* The slot rules: flags, and signal fields only on a LAST slot. */
static int slot_check(const struct drm_musa_ring_slot *s)
{
	if (s->flags & ~DRM_MUSA_RING_SLOT_LAST)
		return -EINVAL;
	if (!(s->flags & DRM_MUSA_RING_SLOT_LAST) && (s->signal_syncobj || s->signal_point))
		return -EINVAL;
	if (!s->signal_syncobj && s->signal_point)
		return -EINVAL;
	return 0;
}

/* How many of the n copied slots hold whole submissions, and how many
 * submissions that is; 0 when not even the first one is complete. */
static uint32_t batch_extent(const struct kmd_ring *r, uint32_t n, uint32_t *subs)
{
	uint32_t end = 0;

	*subs = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (r->copy[i].flags & DRM_MUSA_RING_SLOT_LAST) {
			end = i + 1;
			(*subs)++;
		}
	}
	return end;
}

/* Checks one submission [first, first + count) of the job; a bad one
 * becomes NOPs holding nothing. */
static void check_submission(struct kmd_queue *q, struct kmd_job *job, uint32_t first,
			     uint32_t count)
{
	int ret = 0;

	for (uint32_t i = first; i < first + count && !ret; i++)
		ret = slot_check(&q->ring->copy[i]);
	if (!ret)
		ret = kmd_job_validate(q->file, job, first, count);
	if (!ret)
		ret = kmd_job_start_cus(q->file->dev, job, first, count);
	if (!ret)
		return;
	for (uint32_t i = first; i < first + count; i++) {
		kmd_pkt_res_release(&job->res[i]);
		memset(&job->pkts[i], 0, sizeof(job->pkts[i]));   /* NOP */
	}
	ring_error(q, ret);
}

/* A job for `end` slots holding `subs` submissions, or NULL. */
static struct kmd_job *batch_job_new(uint32_t end, uint32_t subs)
{
	struct kmd_job *job = kmd_calloc(1, sizeof(*job));

	if (!job)
		return NULL;
	job->count = end;
	job->pkts = kmd_malloc(end * sizeof(*job->pkts));
	job->res = kmd_calloc(end, sizeof(*job->res));
	job->marks = kmd_calloc(subs, sizeof(*job->marks));
	if (!job->pkts || !job->res || !job->marks) {
		kmd_job_free(job);
		return NULL;
	}
	return job;
}

/*
 * The prepare phase of a batch: each submission's mark gets its end, its
 * syncobj (+ref, in sos; NULL when the slot names none or an unknown one)
 * and, when it signals, its fence and a reserved attach. 0 or -ENOMEM;
 * on error what was reserved stays recorded in sos and the marks for
 * batch_release.
 */
static int batch_prepare(struct kmd_queue *q, struct kmd_job *job, struct kmd_syncobj **sos)
{
	struct kmd_ring *r = q->ring;

	for (uint32_t i = 0; i < job->count; i++) {
		const struct drm_musa_ring_slot *slot = &r->copy[i];
		struct kmd_job_mark *m;
		uint32_t n;

		job->pkts[i] = slot->packet;
		if (!(slot->flags & DRM_MUSA_RING_SLOT_LAST))
			continue;
		n = job->nmarks++;
		m = &job->marks[n];
		m->end = i + 1;
		if (!slot->signal_syncobj ||
		    !(sos[n] = kmd_syncobj_lookup(q->file, slot->signal_syncobj)))
			continue;
		m->fence = kmd_fence_new(false);
		if (!m->fence)
			return -ENOMEM;
		if (kmd_syncobj_reserve(sos[n])) {
			kmd_fence_put(m->fence);
			m->fence = NULL;
			return -ENOMEM;
		}
		m->point = slot->signal_point;
	}
	return 0;
}

/* Drops the batch's syncobj references, and the reservations that its
 * marks still hold when it was not committed. */
static void batch_release(struct kmd_job *job, struct kmd_syncobj **sos, bool committed)
{
	for (uint32_t n = 0; n < job->nmarks; n++) {
		if (!committed && job->marks[n].fence)
			kmd_syncobj_unreserve(sos[n]);
		kmd_syncobj_put(sos[n]);
	}
}

/*
 * Takes the whole submissions among the n slots at `taken` as one job:
 * how many slots that used (0: none complete yet). Prepare, then commit:
 * a batch the device has no memory for is dropped whole (nothing of it
 * attached or queued, the ring's error ENOMEM); otherwise each
 * submission is checked, every point is attached, as SUBMIT attaches
 * its signals, and the job is queued. Every submission has its own
 * fence: a later one of the same batch may wait on something that needs
 * an earlier one's point first.
 */
static uint32_t take_batch(struct kmd_queue *q, uint32_t n)
{
	struct kmd_ring *r = q->ring;
	struct kmd_syncobj **sos = NULL;
	uint32_t end, subs, first = 0;
	struct kmd_job *job;

	copy_slots(r, n);
	end = batch_extent(r, n, &subs);
	if (!end) {
		/* a submission longer than the ring or than SUBMIT allows */
		if (n == r->copy_cap) {
			ring_error(q, -EINVAL);
			atomic_store(&r->dead, true);
		}
		return 0;
	}
	job = batch_job_new(end, subs);
	if (job)
		sos = kmd_calloc(subs, sizeof(*sos));
	if (!job || !sos || batch_prepare(q, job, sos)) {
		if (job) {
			if (sos)
				batch_release(job, sos, false);
			kmd_job_free(job);
		}
		free(sos);
		ring_error(q, -ENOMEM);   /* its points never come: the fault says why */
		return end;
	}
	for (uint32_t k = 0; k < job->nmarks; k++) {
		const struct drm_musa_ring_slot *last = &r->copy[job->marks[k].end - 1];

		/* A bad submission still signals its point (its syncobj
		 * permitting), so nobody waits for it forever. */
		check_submission(q, job, first, job->marks[k].end - first);
		if (last->signal_syncobj && !sos[k])
			ring_error(q, -ENOENT);
		first = job->marks[k].end;
	}
	for (uint32_t k = 0; k < job->nmarks; k++)
		if (job->marks[k].fence)
			kmd_syncobj_attach_reserved(sos[k], job->marks[k].point,
						    job->marks[k].fence);
	batch_release(job, sos, true);
	free(sos);
	kmd_cp_queue_push(q, job);
	return end;
}

void kmd_ring_take(struct kmd_queue *q)
{
	struct kmd_ring *r = q->ring;
	uint64_t w;

	if (atomic_load(&r->dead))
		return;
	w = __atomic_load_n(&r->hdr->wptr, __ATOMIC_ACQUIRE);
	if (w - r->taken > r->nslots) {
		ring_error(q, -EINVAL);
		atomic_store(&r->dead, true);
		return;
	}
	while (r->taken != w) {
		uint64_t avail = w - r->taken;
		uint32_t used = take_batch(q, avail < r->copy_cap ? (uint32_t)avail : r->copy_cap);

		if (!used)
			break;
		r->taken += used;
		__atomic_store_n(&r->hdr->rptr, r->taken, __ATOMIC_RELEASE);
	}
	atomic_store(&r->seen, w);
}

void kmd_rings_take_all(struct kmd_file *f)
{
	for (struct kmd_ring *r = f->rings; r; r = r->next)
		if (kmd_ring_pending(r))
			kmd_ring_take(r->queue);
}
