/* SPDX-License-Identifier: MIT */
/*
 * queue.c - hardware queues of an fd: QUEUE_CREATE / QUEUE_DESTROY and
 * SUBMIT. A submission is validated as a whole (every packet, through the
 * command processor's packet table) before any of it is queued; the job
 * then holds every object its packets name until the CP has run it.
 *
 * Calls cp.c (packet table, CP thread) and syncobj.c (completion fence).
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
	kmd_fence_put(job->done);
	free(job->res);
	free(job->pkts);
	free(job);
}

int kmd_ioctl_queue_create(struct kmd_file *f, void *data)
{
	struct drm_musa_queue_create *a = data;
	struct kmd_queue *q;
	int ret;

	if (a->flags || a->pad || a->priority > 2)
		return -EINVAL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->file = f;
	atomic_init(&q->dying, false);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cond, NULL);
	ret = -pthread_create(&q->thread, NULL, kmd_cp_thread, q);
	if (ret)
		goto err_free;
	pthread_mutex_lock(&f->lock);
	ret = kmd_handle_alloc(&f->queues, q, &a->handle);
	pthread_mutex_unlock(&f->lock);
	if (ret)
		goto err_stop;
	return 0;

err_stop:
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
err_free:
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->lock);
	free(q);
	return ret == -EAGAIN ? -ENOMEM : ret;
}

/*
 * Runs what is queued and stops the CP. WAIT packets stop blocking once the
 * queue is dying, so a wait nobody will signal cannot hang the destroy.
 */
static void queue_destroy(struct kmd_queue *q)
{
	atomic_store(&q->dying, true);
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->lock);
	kmd_sync_kick();
	pthread_join(q->thread, NULL);
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->lock);
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

/* f->lock held. On error every reference taken so far is dropped. */
static int validate_packets(struct kmd_file *f, struct kmd_job *job)
{
	for (uint32_t i = 0; i < job->count; i++) {
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

int kmd_ioctl_submit(struct kmd_file *f, void *data)
{
	struct drm_musa_submit *a = data;
	struct kmd_syncobj *so = NULL;
	struct kmd_queue *q;
	struct kmd_job *job;
	int ret;

	if (a->flags || a->pad || a->packet_size != sizeof(struct drm_musa_packet) ||
	    a->packet_count == 0 || a->packet_count > DRM_MUSA_MAX_PACKETS)
		return -EINVAL;
	if (!a->signal_syncobj && a->signal_point)
		return -EINVAL;

	job = calloc(1, sizeof(*job));
	if (!job)
		return -ENOMEM;
	job->count = a->packet_count;
	job->pkts = calloc(job->count, sizeof(*job->pkts));
	job->res = calloc(job->count, sizeof(*job->res));
	if (!job->pkts || !job->res) {
		ret = -ENOMEM;
		goto err_job;
	}
	ret = kmd_copy_from_user(job->pkts, a->packets, (size_t)job->count * sizeof(*job->pkts));
	if (ret)
		goto err_job;
	if (a->signal_syncobj) {
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
	if (a->signal_syncobj) {
		so = kmd_syncobj_lookup(f, a->signal_syncobj);
		if (!so) {
			ret = -ENOENT;
			goto err_unlock;
		}
	}
	ret = validate_packets(f, job);
	if (ret)
		goto err_unlock;
	if (so) {
		/* Attached now, so a wait issued after SUBMIT sees the point. */
		ret = kmd_syncobj_attach(so, a->signal_point, job->done);
		if (ret)
			goto err_unlock;
	}
	pthread_mutex_lock(&q->lock);
	if (q->tail)
		q->tail->next = job;
	else
		q->head = job;
	q->tail = job;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->lock);
	pthread_mutex_unlock(&f->lock);
	kmd_syncobj_put(so);
	return 0;

err_unlock:
	pthread_mutex_unlock(&f->lock);
	kmd_syncobj_put(so);
err_job:
	kmd_job_free(job);
	return ret;
}
