/* SPDX-License-Identifier: MIT */
/*
 * queue.c - hardware queues of an fd: QUEUE_CREATE / QUEUE_DESTROY and
 * SUBMIT. A submission is validated as a whole (every packet, through the
 * command processor's packet table, and its wait and signal syncobjs)
 * before any of it is queued; the job then holds every object its packets
 * name until the CP has run it. Waits run as WAIT packets in front of the
 * packets; signals share the job's completion fence.
 *
 * SUBMIT runs in two phases, as ivpu_job.c does: prepare does everything
 * that can fail (copy-in, lookups with references, the checks, starting
 * the CUs, reserving an attach in every signal syncobj), then commit
 * attaches the reserved points and queues the job, which cannot fail. A
 * failed SUBMIT has attached, signalled and queued nothing.
 *
 * A KERNEL_DISPATCH needs the device's compute units: SUBMIT starts them
 * if they are not running, and fails with ENOBUFS, queueing nothing, when
 * no CU thread can start, so running out of threads is an error of that
 * launch and not a fault of the context.
 *
 * Calls cp.c (packet table, CP pool), cu.c (starting the CUs), ring.c
 * (taking a ring's submissions), syncobj.c (completion fence, reserved
 * attaches) and alloc.c (the submission's allocations).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kmd.h"

void kmd_pkt_res_release(struct kmd_pkt_res *r)
{
	if (r->fence) {
		/* a SIGNAL that did not run */
		kmd_syncobj_unreserve(r->so);
		kmd_fence_put(r->fence);
	}
	kmd_vma_put(r->vma[0]);
	kmd_vma_put(r->vma[1]);
	kmd_syncobj_put(r->so);
	kmd_module_put(r->module);
	memset(r, 0, sizeof(*r));
}

void kmd_job_free(struct kmd_job *job)
{
	for (uint32_t i = 0; job->res && i < job->count; i++)
		kmd_pkt_res_release(&job->res[i]);
	for (uint32_t i = 0; i < job->nmarks; i++)
		kmd_fence_put(job->marks[i].fence);
	free(job->marks);
	kmd_fence_put(job->done);
	free(job->res);
	free(job->pkts);
	free(job);
}

/* O(1): a queue is a small record; the device's CP pool runs it. */
int kmd_ioctl_queue_create(struct kmd_file *f, void *data)
{
	struct drm_musa_queue_create *a = data;
	struct kmd_cp_pool *cp;
	struct kmd_queue *q;
	int ret;

	if ((a->flags & ~DRM_MUSA_QUEUE_RING) || a->pad || a->pad2 || a->priority > 2)
		return -EINVAL;
	if (!(a->flags & DRM_MUSA_QUEUE_RING) && (a->ring || a->ring_slots))
		return -EINVAL;
	ret = kmd_cp_pool_get(f->dev, &cp);
	if (ret)
		return ret;
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->file = f;
	q->cp = cp;
	q->state = KMD_QUEUE_IDLE;
	atomic_init(&q->dying, false);
	q->wait.stop = &q->dying;
	q->wait.wake = kmd_cp_queue_wake;
	pthread_mutex_lock(&f->lock);
	ret = (a->flags & DRM_MUSA_QUEUE_RING) ? kmd_ring_create(f, q, a) : 0;
	if (!ret)
		ret = kmd_handle_alloc(&f->queues, q, &a->handle);
	q->handle = a->handle;
	pthread_mutex_unlock(&f->lock);
	if (ret) {
		if (q->ring)
			kmd_ring_destroy(q->ring);
		free(q);
	}
	return ret;
}

/*
 * Runs what is queued, then frees the queue. WAIT packets stop blocking
 * once the queue is dying, so a wait nobody will signal cannot hang the
 * destroy.
 */
static void queue_destroy(struct kmd_queue *q)
{
	if (q->ring) {
		/* what the ring holds is queued work too */
		pthread_mutex_lock(&q->file->lock);
		kmd_ring_take(q);
		pthread_mutex_unlock(&q->file->lock);
	}
	kmd_cp_queue_drain(q);
	if (q->ring)
		kmd_ring_destroy(q->ring);
	free(q);
}

int kmd_ioctl_queue_destroy(struct kmd_file *f, void *data)
{
	struct drm_musa_queue_destroy *a = data;
	struct kmd_queue *q;

	if (a->pad)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	q = kmd_handle_remove(&f->queues, a->handle);
	pthread_mutex_unlock(&f->lock);
	if (!q)
		return -ENOENT;
	queue_destroy(q);
	return 0;
}

void kmd_queue_release_all(struct kmd_file *f)
{
	struct kmd_queue *q;

	while ((q = kmd_handle_pop(&f->queues)))
		queue_destroy(q);
}

static bool tail_zero(const struct drm_musa_packet *p, size_t body)
{
	const unsigned char *b = (const unsigned char *)p->raw;

	for (size_t i = body; i < sizeof(p->raw); i++)
		if (b[i])
			return false;
	return true;
}

static const size_t kmd_pkt_body_size[DRM_MUSA_PKT_COUNT] = {
	[DRM_MUSA_PKT_NOP] = 0,
	[DRM_MUSA_PKT_KERNEL_DISPATCH] = sizeof(struct drm_musa_pkt_dispatch),
	[DRM_MUSA_PKT_COPY] = sizeof(struct drm_musa_pkt_copy),
	[DRM_MUSA_PKT_FILL] = sizeof(struct drm_musa_pkt_fill),
	[DRM_MUSA_PKT_WAIT] = sizeof(struct drm_musa_pkt_sync),
	[DRM_MUSA_PKT_SIGNAL] = sizeof(struct drm_musa_pkt_sync),
	[DRM_MUSA_PKT_TIMESTAMP] = sizeof(struct drm_musa_pkt_timestamp),
};

int kmd_job_validate(struct kmd_file *f, struct kmd_job *job, uint32_t first, uint32_t count)
{
	for (uint32_t i = first; i < first + count; i++) {
		const struct drm_musa_packet *p = &job->pkts[i];
		int ret;

		if (p->type >= DRM_MUSA_PKT_COUNT || p->flags ||
		    !tail_zero(p, kmd_pkt_body_size[p->type]))
			return -EINVAL;
		ret = kmd_cp_packet_ops[p->type].validate(f, p, &job->res[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* Reads a submission's sync array and checks its flags. */
static int copy_syncs(uint64_t uptr, uint32_t count, uint32_t allowed_flags,
		      struct drm_musa_sync **out)
{
	struct drm_musa_sync *syncs;
	int ret;

	*out = NULL;
	if (count == 0)
		return 0;
	syncs = kmd_calloc(count, sizeof(*syncs));
	if (!syncs)
		return -ENOMEM;
	ret = kmd_copy_from_user(syncs, uptr, (size_t)count * sizeof(*syncs));
	for (uint32_t i = 0; !ret && i < count; i++)
		if (syncs[i].flags & ~allowed_flags)
			ret = -EINVAL;
	if (ret) {
		free(syncs);
		return ret;
	}
	*out = syncs;
	return 0;
}

/* A job with a dispatch needs the CUs running; -ENOBUFS when they cannot
 * start (no thread), retried by the next such SUBMIT. */
int kmd_job_start_cus(struct kmd_device *dev, const struct kmd_job *job, uint32_t first,
		      uint32_t count)
{
	for (uint32_t i = first; i < first + count; i++)
		if (job->pkts[i].type == DRM_MUSA_PKT_KERNEL_DISPATCH)
			return kmd_cu_start(dev);
	return 0;
}

/* One signal point of a submission: its syncobj (+ref, one attach
 * reserved once `reserved`). */
struct submit_signal {
	struct kmd_syncobj *so;
	uint64_t point;
	bool reserved;
};

/*
 * A SUBMIT between its two phases. Prepare does everything that can fail
 * and takes what the commit needs (references, a reserved attach in
 * every signal syncobj, the job with its fence); commit attaches and
 * queues, and cannot fail. Until the commit, nothing anyone else can see
 * has changed.
 */
struct submit {
	const struct drm_musa_submit *args;
	struct drm_musa_sync *in, *out;
	struct submit_signal *signals;
	uint32_t nsignals;
	struct kmd_job *job;      /* NULL once queued */
	struct kmd_queue *queue;  /* f->lock held */
};

static int submit_check_args(const struct drm_musa_submit *a)
{
	if (a->flags || a->pad || a->packet_size != sizeof(struct drm_musa_packet) ||
	    a->packet_count == 0 || a->packet_count > DRM_MUSA_MAX_PACKETS ||
	    a->num_in_syncs > DRM_MUSA_MAX_SYNCS || a->num_out_syncs > DRM_MUSA_MAX_SYNCS)
		return -EINVAL;
	if (!a->signal_syncobj && a->signal_point)
		return -EINVAL;
	return 0;
}

/*
 * Waits become WAIT packets in front of the user's packets, so the CP
 * treats them like any other.
 */
static void build_waits(struct kmd_job *job, const struct drm_musa_sync *in, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct drm_musa_packet *p = &job->pkts[i];

		p->type = DRM_MUSA_PKT_WAIT;
		p->sync.syncobj = in[i].handle;
		p->sync.point = in[i].point;
	}
}

/* Copies in the syncs and packets and makes the job: no lock held. */
static int submit_copy_in(struct submit *s)
{
	const struct drm_musa_submit *a = s->args;
	uint32_t nin = a->num_in_syncs;
	struct kmd_job *job;
	int ret;

	ret = copy_syncs(a->in_syncs, nin, DRM_MUSA_SYNC_WAIT_FOR_SUBMIT, &s->in);
	if (!ret)
		ret = copy_syncs(a->out_syncs, a->num_out_syncs, 0, &s->out);
	if (ret)
		return ret;
	s->nsignals = a->num_out_syncs + (a->signal_syncobj ? 1 : 0);
	if (s->nsignals) {
		s->signals = kmd_calloc(s->nsignals, sizeof(*s->signals));
		if (!s->signals)
			return -ENOMEM;
	}
	job = s->job = kmd_calloc(1, sizeof(*job));
	if (!job)
		return -ENOMEM;
	job->count = nin + a->packet_count;
	job->pkts = kmd_calloc(job->count, sizeof(*job->pkts));
	job->res = kmd_calloc(job->count, sizeof(*job->res));
	if (!job->pkts || !job->res)
		return -ENOMEM;
	build_waits(job, s->in, nin);
	ret = kmd_copy_from_user(job->pkts + nin, a->packets,
				 (size_t)a->packet_count * sizeof(*job->pkts));
	if (ret)
		return ret;
	if (s->nsignals && !(job->done = kmd_fence_new(false)))
		return -ENOMEM;
	return 0;
}

/*
 * A wait without WAIT_FOR_SUBMIT must name a point that has a fence now,
 * as drm_syncobj_find_fence() demands.
 */
static int check_waits_submitted(const struct submit *s)
{
	for (uint32_t i = 0; i < s->args->num_in_syncs; i++)
		if (!(s->in[i].flags & DRM_MUSA_SYNC_WAIT_FOR_SUBMIT) &&
		    !kmd_syncobj_has_fence(s->job->res[i].so, s->in[i].point))
			return -EINVAL;
	return 0;
}

/* f->lock held. Looks up every signal syncobj (+ref) before any is touched. */
static int lookup_signals(struct kmd_file *f, struct submit *s)
{
	const struct drm_musa_submit *a = s->args;
	uint32_t n = 0;

	if (a->signal_syncobj) {
		s->signals[n].point = a->signal_point;
		s->signals[n++].so = kmd_syncobj_lookup(f, a->signal_syncobj);
	}
	for (uint32_t i = 0; i < a->num_out_syncs; i++) {
		s->signals[n].point = s->out[i].point;
		s->signals[n++].so = kmd_syncobj_lookup(f, s->out[i].handle);
	}
	for (uint32_t i = 0; i < n; i++)
		if (!s->signals[i].so)
			return -ENOENT;
	return 0;
}

/* Room for the commit's attach in every signal syncobj. */
static int reserve_signals(struct submit *s)
{
	for (uint32_t i = 0; i < s->nsignals; i++) {
		int ret = kmd_syncobj_reserve(s->signals[i].so);

		if (ret)
			return ret;
		s->signals[i].reserved = true;
	}
	return 0;
}

/* The prepare phase, f->lock held: every check and reservation. */
static int submit_prepare(struct kmd_file *f, struct submit *s)
{
	int ret;

	s->queue = kmd_handle_get(&f->queues, s->args->queue);
	if (!s->queue)
		return -ENOENT;
	ret = lookup_signals(f, s);
	if (!ret)
		ret = kmd_job_validate(f, s->job, 0, s->job->count);
	if (!ret)
		ret = check_waits_submitted(s);
	if (!ret)
		ret = reserve_signals(s);
	/* Last of the checks: a valid submission is the one that needs CUs
	 * (once they run, this is a pointer test under cu.c's lock). */
	if (!ret)
		ret = kmd_job_start_cus(f->dev, s->job, 0, s->job->count);
	return ret;
}

/* The commit phase, f->lock held: steps that cannot fail. */
static void submit_commit(struct submit *s)
{
	struct kmd_queue *q = s->queue;

	/* Behind what the queue's ring holds (its points attached first), so
	 * the queue keeps the order its caller wrote in. */
	if (q->ring) {
		kmd_ring_take(q);
		if (s->args->signal_syncobj)
			s->job->done_point = s->args->signal_point;
	}
	/* Attached now, so a wait issued after SUBMIT sees the points. */
	for (uint32_t i = 0; i < s->nsignals; i++) {
		kmd_syncobj_attach_reserved(s->signals[i].so, s->signals[i].point, s->job->done);
		s->signals[i].reserved = false;
	}
	kmd_cp_queue_push(q, s->job);
	s->job = NULL;
}

/* Drops what a submission still holds: all of it when it failed. */
static void submit_release(struct submit *s)
{
	for (uint32_t i = 0; s->signals && i < s->nsignals; i++) {
		if (s->signals[i].reserved)
			kmd_syncobj_unreserve(s->signals[i].so);
		kmd_syncobj_put(s->signals[i].so);
	}
	free(s->signals);
	if (s->job)
		kmd_job_free(s->job);
	free(s->in);
	free(s->out);
}

int kmd_ioctl_submit(struct kmd_file *f, void *data)
{
	struct submit s = { .args = data };
	int ret;

	ret = submit_check_args(s.args);
	if (ret)
		return ret;
	ret = submit_copy_in(&s);
	if (!ret) {
		pthread_mutex_lock(&f->lock);
		ret = submit_prepare(f, &s);
		if (!ret)
			submit_commit(&s);
		pthread_mutex_unlock(&f->lock);
	}
	submit_release(&s);
	return ret;
}

/*
 * The doorbell of a ring queue: what the ring holds is taken now, and the
 * queue runs it. Costs the caller one ioctl, which is why the ring says
 * when a command processor watches it and none is needed.
 */
int kmd_ioctl_queue_doorbell(struct kmd_file *f, void *data)
{
	struct drm_musa_queue_doorbell *a = data;
	struct kmd_queue *q;
	int ret = 0;

	if (a->pad)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	q = kmd_handle_get(&f->queues, a->queue);
	if (!q)
		ret = -ENOENT;
	else if (!q->ring)
		ret = -EINVAL;
	else
		kmd_ring_take(q);
	pthread_mutex_unlock(&f->lock);
	return ret;
}
