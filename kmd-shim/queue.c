/* SPDX-License-Identifier: MIT */
/*
 * queue.c - hardware queues of an fd: QUEUE_CREATE / QUEUE_DESTROY and
 * SUBMIT. A submission is validated as a whole (every packet, through the
 * command processor's packet table, and its wait and signal syncobjs)
 * before any of it is queued; the job then holds every object its packets
 * name until the CP has run it. Waits run as WAIT packets in front of the
 * packets; signals share the job's completion fence.
 *
 * A KERNEL_DISPATCH needs the device's compute units: SUBMIT starts them
 * if they are not running, and fails with ENOBUFS, queueing nothing, when
 * no CU thread can start, so running out of threads is an error of that
 * launch and not a fault of the context.
 *
 * Calls cp.c (packet table, CP pool), cu.c (starting the CUs) and
 * syncobj.c (completion fence).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kmd.h"

void kmd_pkt_res_release(struct kmd_pkt_res *r)
{
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
	syncs = calloc(count, sizeof(*syncs));
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

/*
 * Waits become WAIT packets in front of the user's packets, so the CP
 * treats them like any other; a wait without WAIT_FOR_SUBMIT must name a
 * point that has a fence now, as drm_syncobj_find_fence() demands.
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

static int check_waits_submitted(struct kmd_job *job, const struct drm_musa_sync *in, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!(in[i].flags & DRM_MUSA_SYNC_WAIT_FOR_SUBMIT) &&
		    !kmd_syncobj_has_fence(job->res[i].so, in[i].point))
			return -EINVAL;
	return 0;
}

/* f->lock held. Looks up every signal syncobj (+ref) before any is touched. */
static int lookup_signals(struct kmd_file *f, const struct drm_musa_submit *a,
			  const struct drm_musa_sync *out, struct kmd_syncobj **sos)
{
	uint32_t n = 0;

	if (a->signal_syncobj && !(sos[n++] = kmd_syncobj_lookup(f, a->signal_syncobj)))
		return -ENOENT;
	for (uint32_t i = 0; i < a->num_out_syncs; i++)
		if (!(sos[n++] = kmd_syncobj_lookup(f, out[i].handle)))
			return -ENOENT;
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

int kmd_ioctl_submit(struct kmd_file *f, void *data)
{
	struct drm_musa_submit *a = data;
	struct drm_musa_sync *in = NULL, *out = NULL;
	struct kmd_syncobj **sos = NULL;
	uint32_t nsignals, nin;
	struct kmd_queue *q;
	struct kmd_job *job;
	int ret;

	if (a->flags || a->pad || a->packet_size != sizeof(struct drm_musa_packet) ||
	    a->packet_count == 0 || a->packet_count > DRM_MUSA_MAX_PACKETS ||
	    a->num_in_syncs > DRM_MUSA_MAX_SYNCS || a->num_out_syncs > DRM_MUSA_MAX_SYNCS)
		return -EINVAL;
	if (!a->signal_syncobj && a->signal_point)
		return -EINVAL;
	nin = a->num_in_syncs;
	nsignals = a->num_out_syncs + (a->signal_syncobj ? 1 : 0);

	ret = copy_syncs(a->in_syncs, nin, DRM_MUSA_SYNC_WAIT_FOR_SUBMIT, &in);
	if (ret)
		return ret;
	ret = copy_syncs(a->out_syncs, a->num_out_syncs, 0, &out);
	if (ret)
		goto err_syncs;
	job = calloc(1, sizeof(*job));
	if (!job) {
		ret = -ENOMEM;
		goto err_syncs;
	}
	job->count = nin + a->packet_count;
	job->pkts = calloc(job->count, sizeof(*job->pkts));
	job->res = calloc(job->count, sizeof(*job->res));
	sos = calloc(nsignals ? nsignals : 1, sizeof(*sos));
	if (!job->pkts || !job->res || !sos) {
		ret = -ENOMEM;
		goto err_job;
	}
	build_waits(job, in, nin);
	ret = kmd_copy_from_user(job->pkts + nin, a->packets,
				 (size_t)a->packet_count * sizeof(*job->pkts));
	if (ret)
		goto err_job;
	if (nsignals) {
		job->done = kmd_fence_new(false);
		if (!job->done) {
			ret = -ENOMEM;
			goto err_job;
		}
	}

	pthread_mutex_lock(&f->lock);
	q = kmd_handle_get(&f->queues, a->queue);
	if (!q) {
		ret = -ENOENT;
		goto err_unlock;
	}
	ret = lookup_signals(f, a, out, sos);
	if (ret)
		goto err_unlock;
	ret = kmd_job_validate(f, job, 0, job->count);
	if (!ret)
		ret = check_waits_submitted(job, in, nin);
	/* Last of the checks: a valid submission is the one that needs CUs
	 * (once they run, this is a pointer test under cu.c's lock). */
	if (!ret)
		ret = kmd_job_start_cus(f->dev, job, 0, job->count);
	if (ret)
		goto err_unlock;
	/* Behind what the queue's ring holds (its points attached first), so
	 * the queue keeps the order its caller wrote in. */
	if (q->ring) {
		kmd_ring_take(q);
		if (a->signal_syncobj)
			job->done_point = a->signal_point;
	}
	/* Attached now, so a wait issued after SUBMIT sees the points. */
	for (uint32_t i = 0; i < nsignals && !ret; i++) {
		uint64_t point = (a->signal_syncobj && i == 0) ? a->signal_point :
				 out[i - (a->signal_syncobj ? 1 : 0)].point;

		ret = kmd_syncobj_attach(sos[i], point, job->done);
	}
	if (ret)
		goto err_unlock;
	kmd_cp_queue_push(q, job);
	pthread_mutex_unlock(&f->lock);
	ret = 0;
	goto out_put;

err_unlock:
	pthread_mutex_unlock(&f->lock);
err_job:
	/* A fence already attached must not stay pending forever. */
	if (job->done)
		kmd_fence_signal(job->done);
	kmd_job_free(job);
out_put:
	for (uint32_t i = 0; sos && i < nsignals; i++)
		kmd_syncobj_put(sos[i]);
	free(sos);
err_syncs:
	free(in);
	free(out);
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
