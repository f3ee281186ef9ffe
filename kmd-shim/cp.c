/* SPDX-License-Identifier: MIT */
/*
 * cp.c - the command processor: a small pool of threads per device that
 * runs the jobs of every ready queue, each queue's in order, and the
 * packet-type table that both validates a packet at SUBMIT time and runs
 * it on the CP.
 *
 * A queue is data (its jobs and the packet the CP stopped at). Submitting
 * to an idle queue puts it on the pool's ready list and wakes one CP
 * thread; a CP thread runs one job of a queue, then puts the queue back at
 * the tail of the ready list if more jobs wait, so ready queues take turns.
 * A WAIT packet whose point has not come parks the queue on the syncobj
 * (syncobj.c) instead of holding the thread; the fence change that brings
 * the point puts it back on the ready list, and the CP resumes at that
 * packet. The pool has a fixed size from the CU count, so threads do not
 * grow with queues.
 *
 * Work of a faulted context is skipped (dispatch, copy, fill, timestamp),
 * but WAIT/SIGNAL packets and completion fences still run so that nobody
 * waits forever on a guilty context. A dispatch tells the compute units
 * where its code object and the device window lie, so the fault handler
 * can tell a kernel's fault from the host's. While the file records
 * (trace.c), each packet runs through kmd_trace_packet. Calls cu.c, dma.c,
 * vm.c, syncobj.c, fault.c, trace.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kmd.h"

/* NOP */

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

/* KERNEL_DISPATCH */

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
	int ret;

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
	ret = kmd_cu_stack_check(k);
	if (ret)
		return ret;
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
	/* The fault handler's kinds tell device-window addresses apart. */
	d.window_lo = (uintptr_t)dev->window;
	d.window_hi = (uintptr_t)dev->window + dev->window_size;
	d.trace = q->trace_seq ? q : NULL;
	d.where = r->module ? r->module->where : NULL;
	ret = kmd_cu_run(dev, &d);
	if (ret || d.result) {
		/* the fault report names the kernel by its handle */
		struct kmd_fault_info info = d.fault;

		info.kernel = pd->kernel;
		info.flags |= DRM_MUSA_FAULT_HAS_KERNEL;
		kmd_fault_record_info(q->file, ret ? DRM_MUSA_FAULT_OUT_OF_RESOURCES :
				      (uint32_t)d.result, &info);
	}
}

/* COPY / FILL */

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

/* The whole copy or fill, on the CP thread. */
static void dma_whole(const void *p)
{
	kmd_dma_run_part(p, 0, 1);
}

/* One part of a split copy or fill, run by a compute unit as a group. */
static int dma_part_entry(const struct musa_wg *wg)
{
	kmd_dma_run_part(wg->launch->kernarg, wg->block_idx[0], wg->launch->grid[0]);
	return MUSA_WG_OK;
}

/*
 * A host page the copy engine meets unmapped or read-only (registered
 * memory the process changed after it registered it) is a fault of the
 * context, as a kernel's access would be. A large copy or fill runs as
 * parts on the compute units, a dispatch whose groups are the parts; a
 * fault in a part skips the parts not yet started.
 */
static void dma_run(struct kmd_queue *q, const struct drm_musa_packet *p)
{
	uint64_t address = 0, parts = kmd_dma_parts(p, q->file->dev->info.compute_units);
	struct kmd_dispatch d;

	if (parts > 1) {
		memset(&d, 0, sizeof(d));
		d.entry = dma_part_entry;
		d.launch.grid[0] = (uint32_t)parts;
		d.launch.grid[1] = d.launch.grid[2] = 1;
		d.launch.block[0] = d.launch.block[1] = d.launch.block[2] = 1;
		d.launch.warp_size = q->file->dev->info.warp_size;
		d.launch.kernarg = p;
		d.groups = parts;
		d.window_lo = (uintptr_t)q->file->dev->window;
		d.window_hi = d.window_lo + q->file->dev->window_size;
		d.trace = q->trace_seq ? q : NULL;
		if (kmd_cu_run(q->file->dev, &d) == 0) {
			if (d.result)
				kmd_fault_record_info(q->file, (uint32_t)d.result, &d.fault);
			return;
		}
		/* no compute unit could start: the CP copies alone */
	}
	if (kmd_fault_guard(dma_whole, p, &address))
		kmd_fault_record(q->file, DRM_MUSA_FAULT_ILLEGAL_ADDRESS, address);
}

static void copy_run(struct kmd_queue *q, const struct drm_musa_packet *p, struct kmd_pkt_res *r)
{
	if (!r->vma[0] || kmd_fault_active(q->file))
		return;
	dma_run(q, p);
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
	dma_run(q, p);
}

/* WAIT / SIGNAL */

static int sync_validate(struct kmd_file *f, const struct drm_musa_packet *p,
			 struct kmd_pkt_res *r)
{
	if (p->sync.pad)
		return -EINVAL;
	r->so = kmd_syncobj_lookup(f, p->sync.syncobj);
	return r->so ? 0 : -ENOENT;
}

/* Never called: the CP parks the queue on a WAIT itself (cp_run_job). */
static void wait_run(struct kmd_queue *q, const struct drm_musa_packet *p, struct kmd_pkt_res *r)
{
	(void)q; (void)p; (void)r;
}

/* A SIGNAL takes its signalled fence and room for the attach when it is
 * checked, so running it cannot fail. */
static int signal_validate(struct kmd_file *f, const struct drm_musa_packet *p,
			   struct kmd_pkt_res *r)
{
	int ret = sync_validate(f, p, r);

	if (ret)
		return ret;
	r->fence = kmd_fence_new(true);
	if (!r->fence)
		return -ENOMEM;
	if (kmd_syncobj_reserve(r->so)) {
		kmd_fence_put(r->fence);
		r->fence = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void signal_run(struct kmd_queue *q, const struct drm_musa_packet *p,
		       struct kmd_pkt_res *r)
{
	(void)q;
	kmd_syncobj_attach_reserved(r->so, p->sync.point, r->fence);
	kmd_fence_put(r->fence);
	r->fence = NULL;
}

/* TIMESTAMP */

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
	(void)r;
	if (kmd_fault_active(q->file))
		return;
	/* atomic: an event recorded on two queues at once is written by both */
	__atomic_store_n((uint64_t *)(uintptr_t)p->timestamp.dst, kmd_clock_ns(), __ATOMIC_RELAXED);
}

const struct kmd_cp_packet_ops kmd_cp_packet_ops[DRM_MUSA_PKT_COUNT] = {
	[DRM_MUSA_PKT_NOP] = { nop_validate, nop_run },
	[DRM_MUSA_PKT_KERNEL_DISPATCH] = { dispatch_validate, dispatch_run },
	[DRM_MUSA_PKT_COPY] = { copy_validate, copy_run },
	[DRM_MUSA_PKT_FILL] = { fill_validate, fill_run },
	[DRM_MUSA_PKT_WAIT] = { sync_validate, wait_run },
	[DRM_MUSA_PKT_SIGNAL] = { signal_validate, signal_run },
	[DRM_MUSA_PKT_TIMESTAMP] = { timestamp_validate, timestamp_run },
};

/* the CP pool */

/* CP threads per device: from the CU count, within these bounds. A thread
 * is held by a running dispatch, copy or fill, never by a WAIT. */
#define KMD_CP_THREADS_MIN 2u
#define KMD_CP_THREADS_MAX 8u

struct kmd_cp_pool {
	pthread_mutex_t lock;
	struct kmd_wq work;        /* moved when a queue becomes ready */
	pthread_cond_t idle;       /* a dying queue became idle */
	struct kmd_queue *ready_head, *ready_tail;
	uint32_t nthreads, want;
	struct kmd_cp_pool *next;  /* every started pool, for fork */
	struct kmd_device *dev;
};

/* Puts q on the ready list; wake: signal a command processor (not when
 * the caller is one that takes the list's head next). Pool lock held. */
static void cp_ready(struct kmd_cp_pool *cp, struct kmd_queue *q, bool wake)
{
	if (q->ring)
		kmd_ring_watch(q->ring, true);  /* the CP looks at it before idling */
	q->state = KMD_QUEUE_READY;
	q->ready_next = NULL;
	if (cp->ready_tail)
		cp->ready_tail->ready_next = q;
	else
		cp->ready_head = q;
	cp->ready_tail = q;
	if (wake)
		kmd_wq_wake(&cp->work, 1);
}

/* The syncobj a parked queue waits on reached its point (or the queue is
 * dying): it is ready again. Under kmd_sync_lock. */
void kmd_cp_queue_wake(struct kmd_sync_waiter *w)
{
	struct kmd_queue *q = (struct kmd_queue *)((char *)w - offsetof(struct kmd_queue, wait));

	pthread_mutex_lock(&q->cp->lock);
	cp_ready(q->cp, q, true);
	pthread_mutex_unlock(&q->cp->lock);
}

/* Completes the ring submissions of job that end at or before packet
 * q->pc: each one's point, in the ring and on its syncobj. */
static void cp_job_marks(struct kmd_queue *q, struct kmd_job *job)
{
	while (job->next_mark < job->nmarks && job->marks[job->next_mark].end <= q->pc + 1) {
		const struct kmd_job_mark *m = &job->marks[job->next_mark++];

		if (m->point && q->ring)
			kmd_ring_done(q->ring, m->point);
		if (m->fence)
			kmd_fence_signal(m->fence);
	}
}

/*
 * Runs q->cur from q->pc. Returns false when the queue parked on a WAIT:
 * the queue then belongs to the wake-up, and the caller must not touch it.
 */
static bool cp_run_job(struct kmd_queue *q)
{
	struct kmd_job *job = q->cur;

	for (; q->pc < job->count; q->pc++) {
		const struct drm_musa_packet *p = &job->pkts[q->pc];
		struct kmd_pkt_res *r = &job->res[q->pc];
		bool traced = atomic_load_explicit(&q->file->trace.on, memory_order_relaxed);

		if (p->type != DRM_MUSA_PKT_WAIT) {
			if (!traced)
				kmd_cp_packet_ops[p->type].run(q, p, r);
			else
				kmd_trace_packet(q, p, r);
		} else {
			if (traced && !q->trace_wait_start)
				q->trace_wait_start = kmd_clock_ns();
			if (kmd_syncobj_park(r->so, p->sync.point, &q->wait))
				return false;   /* resumes at this WAIT */
			if (q->trace_wait_start)
				kmd_trace_wait_done(q, p);
		}
		cp_job_marks(q, job);
	}
	if (job->done_point && q->ring)
		kmd_ring_done(q->ring, job->done_point);
	if (job->done)
		kmd_fence_signal(job->done);
	kmd_job_free(job);
	q->cur = NULL;
	return true;
}

/* Takes what q's ring holds (the file's lock; not the pool's). */
static void cp_take_ring(struct kmd_queue *q)
{
	pthread_mutex_lock(&q->file->lock);
	kmd_ring_take(q);
	pthread_mutex_unlock(&q->file->lock);
}

/*
 * q has nothing to run: it goes idle. A ring queue first stops being
 * watched, then looks at its ring once more: the caller stores wptr and
 * then reads `watch`, the CP stores `watch` and then reads wptr, so one
 * of the two sees the other and no submission waits for a doorbell that
 * nobody rings. Pool lock held.
 */
static void cp_idle(struct kmd_cp_pool *cp, struct kmd_queue *q)
{
	q->state = KMD_QUEUE_IDLE;
	if (q->ring) {
		kmd_ring_watch(q->ring, false);
		if (kmd_ring_pending(q->ring) && !atomic_load(&q->dying)) {
			/* this thread takes it next, unless others are ahead */
			cp_ready(cp, q, cp->ready_head != NULL);
			return;
		}
	}
	if (atomic_load(&q->dying))
		pthread_cond_broadcast(&cp->idle);
}

struct cp_linger {
	struct kmd_queue *q;
	unsigned int pushes;
};

static bool cp_linger_poll(void *arg)
{
	const struct cp_linger *l = arg;

	return atomic_load(&l->q->dying) || atomic_load(&l->q->pushes) != l->pushes ||
	       kmd_ring_pending(l->q->ring);
}

/*
 * After a job of q: q runs on while it has jobs; a ring queue with none
 * left keeps its CP for a while (spinning while a core is free, never
 * sleeping), so the next submission written to the ring needs no
 * doorbell. Another queue becoming ready ends that at once. Pool lock
 * held.
 */
static void cp_after_job(struct kmd_cp_pool *cp, struct kmd_queue *q)
{
	if (!q->head && q->ring && !cp->ready_head && !atomic_load(&q->dying)) {
		struct cp_linger l = { q, atomic_load(&q->pushes) };
		uint32_t ticket = kmd_wq_ticket(&cp->work);

		pthread_mutex_unlock(&cp->lock);
		kmd_wq_linger(&cp->work, ticket, cp_linger_poll, &l);
		pthread_mutex_lock(&cp->lock);
	}
	if (q->head || (q->ring && kmd_ring_pending(q->ring) && !atomic_load(&q->dying))) {
		/* Behind the other ready queues. This thread loops and takes
		 * the head; when that is another queue (whose wake this thread
		 * may have absorbed while it lingered), another thread is
		 * woken for q, or q would wait for this one. */
		cp_ready(cp, q, cp->ready_head != NULL);
		return;
	}
	cp_idle(cp, q);
}

static void *cp_thread(void *arg)
{
	struct kmd_cp_pool *cp = arg;

	pthread_mutex_lock(&cp->lock);
	for (;;) {
		struct kmd_queue *q;

		while (!cp->ready_head) {
			uint32_t ticket = kmd_wq_ticket(&cp->work);

			pthread_mutex_unlock(&cp->lock);
			kmd_wq_wait(&cp->work, ticket, KMD_WAIT_ADAPTIVE, -1);
			pthread_mutex_lock(&cp->lock);
		}
		q = cp->ready_head;
		cp->ready_head = q->ready_next;
		if (!cp->ready_head)
			cp->ready_tail = NULL;
		q->state = KMD_QUEUE_RUNNING;
		if (!q->cur && !q->head && q->ring) {
			pthread_mutex_unlock(&cp->lock);
			cp_take_ring(q);
			pthread_mutex_lock(&cp->lock);
		}
		if (!q->cur && !q->head) {
			cp_idle(cp, q);   /* a doorbell with nothing new */
			continue;
		}
		if (!q->cur) {
			q->cur = q->head;
			q->head = q->cur->next;
			if (!q->head)
				q->tail = NULL;
			q->pc = 0;
		}
		pthread_mutex_unlock(&cp->lock);

		kmd_busy_enter();
		if (!cp_run_job(q)) {
			kmd_busy_leave();
			pthread_mutex_lock(&cp->lock);
			continue;  /* parked */
		}
		kmd_busy_leave();

		pthread_mutex_lock(&cp->lock);
		cp_after_job(cp, q);
	}
	return NULL;
}

static uint32_t cp_threads_wanted(const struct kmd_device *dev)
{
	uint32_t n = dev->info.compute_units;

	return n < KMD_CP_THREADS_MIN ? KMD_CP_THREADS_MIN :
	       n > KMD_CP_THREADS_MAX ? KMD_CP_THREADS_MAX : n;
}

/* Starts CP threads up to cp->want; cp_init_lock held. */
static void cp_pool_fill(struct kmd_cp_pool *cp)
{
	while (cp->nthreads < cp->want) {
		pthread_attr_t attr;
		pthread_t t;
		int err;

		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_attr_setstacksize(&attr, KMD_CU_STACK_SIZE);  /* it runs groups */
		err = pthread_create(&t, &attr, cp_thread, cp);
		pthread_attr_destroy(&attr);
		if (err)
			break;
		cp->nthreads++;
	}
}

static pthread_mutex_t cp_init_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kmd_cp_pool *cp_pools;
static pthread_once_t cp_fork_once = PTHREAD_ONCE_INIT;

/* As for the CU pools: the child keeps none of the CP threads, so the next
 * QUEUE_CREATE of a device starts a new pool. */
static void cp_atfork_child(void)
{
	for (struct kmd_cp_pool *p = cp_pools; p; p = p->next)
		p->dev->cp = NULL;
	cp_pools = NULL;
	pthread_mutex_init(&cp_init_lock, NULL);
}

static void cp_fork_hook(void)
{
	pthread_atfork(NULL, NULL, cp_atfork_child);
}

int kmd_cp_pool_get(struct kmd_device *dev, struct kmd_cp_pool **out)
{
	struct kmd_cp_pool *cp;
	int ret = 0;

	pthread_once(&cp_fork_once, cp_fork_hook);
	pthread_mutex_lock(&cp_init_lock);
	cp = dev->cp;
	if (!cp) {
		cp = calloc(1, sizeof(*cp));
		if (!cp) {
			ret = -ENOMEM;
			goto out;
		}
		pthread_mutex_init(&cp->lock, NULL);
		kmd_wq_init(&cp->work);
		pthread_cond_init(&cp->idle, NULL);
		cp->dev = dev;
		cp->want = cp_threads_wanted(dev);
	}
	/* A pool that could not start all its threads tries again. */
	cp_pool_fill(cp);
	if (cp->nthreads == 0) {
		if (!dev->cp) {
			pthread_cond_destroy(&cp->idle);
			pthread_mutex_destroy(&cp->lock);
			free(cp);
		}
		kmd_log("device %u: no command processor could start", dev->index);
		ret = -ENOMEM;
		goto out;
	}
	if (!dev->cp) {
		cp->next = cp_pools;
		cp_pools = cp;
		dev->cp = cp;
	}
	*out = cp;
out:
	pthread_mutex_unlock(&cp_init_lock);
	return ret;
}

void kmd_cp_queue_push(struct kmd_queue *q, struct kmd_job *job)
{
	struct kmd_cp_pool *cp = q->cp;

	job->next = NULL;
	pthread_mutex_lock(&cp->lock);
	atomic_fetch_add(&q->pushes, 1);
	if (q->tail)
		q->tail->next = job;
	else
		q->head = job;
	q->tail = job;
	if (q->state == KMD_QUEUE_IDLE)
		cp_ready(cp, q, true);
	pthread_mutex_unlock(&cp->lock);
}

void kmd_cp_queue_drain(struct kmd_queue *q)
{
	struct kmd_cp_pool *cp = q->cp;

	atomic_store(&q->dying, true);
	kmd_sync_kick();   /* a parked WAIT stops blocking */
	pthread_mutex_lock(&cp->lock);
	while (q->state != KMD_QUEUE_IDLE)
		pthread_cond_wait(&cp->idle, &cp->lock);
	pthread_mutex_unlock(&cp->lock);
}
