/* SPDX-License-Identifier: MIT */
/*
 * cp.c - the command processor: one thread per queue running its jobs in
 * order, and the packet-type table that both validates a packet at SUBMIT
 * time and runs it on the CP.
 *
 * Work of a faulted context is skipped (dispatch, copy, fill, timestamp),
 * but WAIT/SIGNAL packets and completion fences still run so that nobody
 * waits forever on a guilty context. A dispatch tells the compute units
 * where its code object and the device window lie, so the fault handler
 * can tell a kernel's fault from the host's. Calls cu.c, dma.c, vm.c,
 * syncobj.c, fault.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <time.h>

#include "kmd.h"

/* ---- NOP ------------------------------------------------------------------ */

static int nop_validate(struct kmd_file *f, const struct drm_musa_packet *p,
			struct kmd_pkt_res *r)
{
	(void)f; (void)p; (void)r;
	return 0;
}

static void nop_run(struct kmd_queue *q, const struct drm_musa_packet *p, struct kmd_pkt_res *r)
{
	(void)q; (void)p; (void)r;
}

/* ---- KERNEL_DISPATCH -------------------------------------------------------- */

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static int dispatch_validate(struct kmd_file *f, const struct drm_musa_packet *p,
			     struct kmd_pkt_res *r)
{
	const struct drm_musa_pkt_dispatch *d = &p->dispatch;
	const struct drm_musa_device_info *info = &f->dev->info;
	const struct kmd_kernel *k;
	uint64_t threads = 1;

	if (d->pad)
		return -EINVAL;
	k = kmd_handle_get(&f->kernels, d->kernel);
	if (!k)
		return -ENOENT;
	for (int i = 0; i < 3; i++) {
		if (d->grid[i] == 0 || d->grid[i] > info->max_grid_dim[i] ||
		    d->block[i] == 0 || d->block[i] > info->max_block_dim[i])
			return -EINVAL;
		threads *= d->block[i];
	}
	if (threads > info->max_threads_per_block || (k->max_threads && threads > k->max_threads))
		return -EINVAL;
	if ((uint64_t)d->shared_bytes + k->static_shared > info->shared_mem_per_block)
		return -EINVAL;
	if (d->kernarg_size < k->kernarg_size)
		return -EINVAL;
	if (d->kernarg_size) {
		if (!is_pow2(k->kernarg_align) || d->kernarg % k->kernarg_align)
			return -EINVAL;
		r->vma[0] = kmd_vma_find(f, d->kernarg, d->kernarg_size);
		if (!r->vma[0])
			return -EFAULT;
	}
	r->entry = k->entry;
	r->ffi = k->ffi;
	r->flags = k->flags;
	r->static_shared = k->static_shared;
	r->module = k->module;
	kmd_module_get(k->module);
	return 0;
}

static void dispatch_run(struct kmd_queue *q, const struct drm_musa_packet *p,
			 struct kmd_pkt_res *r)
{
	const struct drm_musa_pkt_dispatch *pd = &p->dispatch;
	struct kmd_device *dev = q->file->dev;
	struct kmd_dispatch d;
	int ret;

	if (kmd_fault_active(q->file))
		return;
	memset(&d, 0, sizeof(d));
	d.entry = r->entry;
	d.ffi = r->ffi;
	d.range = !r->ffi && (r->flags & MUSA_META_F_RANGE);
	memcpy(d.launch.grid, pd->grid, sizeof(d.launch.grid));
	memcpy(d.launch.block, pd->block, sizeof(d.launch.block));
	d.launch.dyn_shared_size = pd->shared_bytes;
	d.launch.warp_size = dev->info.warp_size;
	/* Without a checked range the kernel gets no pointer at all. */
	d.launch.kernarg = pd->kernarg_size ? (const void *)(uintptr_t)pd->kernarg : NULL;
	d.groups = (uint64_t)pd->grid[0] * pd->grid[1] * pd->grid[2];
	/* What the fault handler needs to tell a kernel's fault from the host's. */
	if (kmd_fault_code_range((const void *)(uintptr_t)r->entry, &d.code_lo, &d.code_hi))
		d.code_lo = d.code_hi = 0;
	d.window_lo = (uintptr_t)dev->window;
	d.window_hi = (uintptr_t)dev->window + dev->window_size;
	ret = kmd_cu_run(dev, &d);
	if (ret)
		kmd_fault_record(q->file, DRM_MUSA_FAULT_OUT_OF_RESOURCES, 0);
	else if (d.result)
		kmd_fault_record(q->file, (uint32_t)d.result, d.fault_address);
}

/* ---- COPY / FILL ------------------------------------------------------------------ */

static int copy_validate(struct kmd_file *f, const struct drm_musa_packet *p,
			 struct kmd_pkt_res *r)
{
	const struct drm_musa_pkt_copy *c = &p->copy;
	uint64_t sbytes, dbytes;

	if (c->width == 0 || c->height == 0)
		return 0;  /* an empty copy touches nothing */
	if (kmd_dma_copy_extent(c->src, c->width, c->height, c->src_pitch, &sbytes) ||
	    kmd_dma_copy_extent(c->dst, c->width, c->height, c->dst_pitch, &dbytes))
		return -EINVAL;
	if (sbytes > SIZE_MAX || dbytes > SIZE_MAX)
		return -EINVAL;
	r->vma[0] = kmd_vma_find(f, c->src, sbytes);
	if (!r->vma[0])
		return -EFAULT;
	r->vma[1] = kmd_vma_find(f, c->dst, dbytes);
	if (!r->vma[1])
		return -EFAULT;
	if (r->vma[1]->bo->flags & KMD_BO_READ_ONLY)
		return -EFAULT;
	return 0;
}

static void copy_body(const void *c)
{
	kmd_dma_copy(c);
}

static void fill_body(const void *fl)
{
	kmd_dma_fill(fl);
}

/* A host page the copy engine meets unmapped or read-only (registered
 * memory the process changed after it registered it) is a fault of the
 * context, as a kernel's access would be. */
static void dma_run(struct kmd_queue *q, void (*body)(const void *), const void *pkt)
{
	uint64_t address = 0;

	if (kmd_fault_guard(body, pkt, &address))
		kmd_fault_record(q->file, DRM_MUSA_FAULT_ILLEGAL_ADDRESS, address);
}

static void copy_run(struct kmd_queue *q, const struct drm_musa_packet *p, struct kmd_pkt_res *r)
{
	if (!r->vma[0] || kmd_fault_active(q->file))
		return;
	dma_run(q, copy_body, &p->copy);
}

static int fill_validate(struct kmd_file *f, const struct drm_musa_packet *p,
			 struct kmd_pkt_res *r)
{
	const struct drm_musa_pkt_fill *fl = &p->fill;

	if (fl->elem_size != 1 && fl->elem_size != 2 && fl->elem_size != 4)
		return -EINVAL;
	if (fl->dst % fl->elem_size || fl->count > UINT64_MAX / fl->elem_size)
		return -EINVAL;
	if (fl->count == 0)
		return 0;
	r->vma[0] = kmd_vma_find(f, fl->dst, fl->count * fl->elem_size);
	if (!r->vma[0])
		return -EFAULT;
	if (r->vma[0]->bo->flags & KMD_BO_READ_ONLY)
		return -EFAULT;
	return 0;
}

static void fill_run(struct kmd_queue *q, const struct drm_musa_packet *p, struct kmd_pkt_res *r)
{
	if (!r->vma[0] || kmd_fault_active(q->file))
		return;
	dma_run(q, fill_body, &p->fill);
}

/* ---- WAIT / SIGNAL ------------------------------------------------------------------ */

static int sync_validate(struct kmd_file *f, const struct drm_musa_packet *p,
			 struct kmd_pkt_res *r)
{
	if (p->sync.pad)
		return -EINVAL;
	r->so = kmd_syncobj_lookup(f, p->sync.syncobj);
	return r->so ? 0 : -ENOENT;
}

static void wait_run(struct kmd_queue *q, const struct drm_musa_packet *p, struct kmd_pkt_res *r)
{
	kmd_syncobj_wait_point(r->so, p->sync.point, &q->dying);
}

static void signal_run(struct kmd_queue *q, const struct drm_musa_packet *p,
		       struct kmd_pkt_res *r)
{
	struct kmd_fence *fence = kmd_fence_new(true);

	if (!fence) {
		kmd_fault_record(q->file, DRM_MUSA_FAULT_OUT_OF_RESOURCES, 0);
		return;
	}
	if (kmd_syncobj_attach(r->so, p->sync.point, fence))
		kmd_fault_record(q->file, DRM_MUSA_FAULT_OUT_OF_RESOURCES, 0);
	kmd_fence_put(fence);
}

/* ---- TIMESTAMP ---------------------------------------------------------------------- */

static int timestamp_validate(struct kmd_file *f, const struct drm_musa_packet *p,
			      struct kmd_pkt_res *r)
{
	if (p->timestamp.dst % sizeof(uint64_t))
		return -EINVAL;
	r->vma[0] = kmd_vma_find(f, p->timestamp.dst, sizeof(uint64_t));
	if (!r->vma[0])
		return -EFAULT;
	if (r->vma[0]->bo->flags & KMD_BO_READ_ONLY)
		return -EFAULT;
	return 0;
}

static void timestamp_run(struct kmd_queue *q, const struct drm_musa_packet *p,
			  struct kmd_pkt_res *r)
{
	struct timespec ts;

	(void)r;
	if (kmd_fault_active(q->file))
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	*(volatile uint64_t *)(uintptr_t)p->timestamp.dst =
		(uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

const struct kmd_cp_packet_ops kmd_cp_packet_ops[DRM_MUSA_PKT_COUNT] = {
	[DRM_MUSA_PKT_NOP] = { nop_validate, nop_run },
	[DRM_MUSA_PKT_KERNEL_DISPATCH] = { dispatch_validate, dispatch_run },
	[DRM_MUSA_PKT_COPY] = { copy_validate, copy_run },
	[DRM_MUSA_PKT_FILL] = { fill_validate, fill_run },
	[DRM_MUSA_PKT_WAIT] = { sync_validate, wait_run },
	[DRM_MUSA_PKT_SIGNAL] = { sync_validate, signal_run },
	[DRM_MUSA_PKT_TIMESTAMP] = { timestamp_validate, timestamp_run },
};

/* ---- the CP thread ------------------------------------------------------------------ */

void *kmd_cp_thread(void *arg)
{
	struct kmd_queue *q = arg;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		struct kmd_job *job;

		while (!q->head && !q->stop)
			pthread_cond_wait(&q->cond, &q->lock);
		if (!q->head)
			break;
		job = q->head;
		q->head = job->next;
		if (!q->head)
			q->tail = NULL;
		q->running_job = true;
		pthread_mutex_unlock(&q->lock);

		for (uint32_t i = 0; i < job->count; i++)
			kmd_cp_packet_ops[job->pkts[i].type].run(q, &job->pkts[i], &job->res[i]);
		if (job->done)
			kmd_fence_signal(job->done);
		kmd_job_free(job);

		pthread_mutex_lock(&q->lock);
		q->running_job = false;
		pthread_cond_broadcast(&q->cond);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}
