/* SPDX-License-Identifier: MIT */
/*
 * context.c - contexts: creation and teardown, the per-thread stack of
 * current contexts, primary contexts (refcounted per device), sticky faults.
 *
 * A context is counted (struct umd_object): every call resolving the
 * current or a named context takes a reference and drops it on return, and
 * the lookup of a stream, event, module or function holds its context too.
 * Destroying a context (muCtxDestroy, the last muDevicePrimaryCtxRelease,
 * muDevicePrimaryCtxReset) removes its handle, so no new call finds it,
 * drops the creation's reference and waits until the calls still holding
 * one returned; then it tears the context down, on the destroying thread
 * (as CUDA's destroy, it returns with the context's resources gone).
 *
 * Each context opens its own device fd, so every kmd object it makes (BOs,
 * queues, syncobjs, code) dies with the fd, and a fault marks only that fd
 * guilty. muDevicePrimaryCtxReset tears the primary context down and opens a
 * fresh fd under the same handle, which clears the fault.
 * Also the context's flags, API version and cache / shared-memory
 * preferences (back to the defaults on reset).
 * May call: transport.c, stream.c, event.c, hostfn.c, module.c, memory.c,
 * bo.c, ring.c, profiler.c (a context's recording starts and ends with it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "musa_log.h"
#include "umd.h"

#define UMD_CTX_STACK 64

static __thread MUcontext umd_ctx_stack[UMD_CTX_STACK];
static __thread int umd_ctx_depth;

/* Wakes the threads waiting for a context's last reference to go. */
static pthread_mutex_t umd_ctx_drain_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t umd_ctx_drain_cond = PTHREAD_COND_INITIALIZER;

/* The last put of a context (its handle is gone): the destroyer may go on.
 * Touches nothing of the context after the lock is dropped. */
static void umd_ctx_drained(struct umd_object *o)
{
	MUcontext ctx = umd_container_of(o, struct MUctx_st, obj);

	pthread_mutex_lock(&umd_ctx_drain_lock);
	ctx->drained = true;
	pthread_cond_broadcast(&umd_ctx_drain_cond);
	pthread_mutex_unlock(&umd_ctx_drain_lock);
}

/* Drops the reference the context's creation took (its handle already
 * removed) and waits until no call holds one. */
static void umd_ctx_drain(MUcontext ctx)
{
	umd_object_put(&ctx->obj);
	pthread_mutex_lock(&umd_ctx_drain_lock);
	while (!ctx->drained)
		pthread_cond_wait(&umd_ctx_drain_cond, &umd_ctx_drain_lock);
	pthread_mutex_unlock(&umd_ctx_drain_lock);
}

void umd_ctx_get(MUcontext ctx)
{
	umd_object_get(&ctx->obj);
}

void umd_ctx_put(MUcontext ctx)
{
	umd_object_put(&ctx->obj);
}

MUresult umd_ctx_leave(MUcontext ctx, MUresult r)
{
	umd_ctx_put(ctx);
	return r;
}

MUcontext umd_ctx_lookup(MUcontext h)
{
	return umd_handle_get(h, UMD_H_CTX);
}

static MUresult umd_ctx_flags_check(unsigned int flags)
{
	unsigned int sched = flags & MU_CTX_SCHED_MASK;

	CHECK(flags & ~(unsigned int)MU_CTX_FLAGS_MASK, MUSA_ERROR_INVALID_VALUE);
	CHECK(sched != MU_CTX_SCHED_AUTO && sched != MU_CTX_SCHED_SPIN &&
	      sched != MU_CTX_SCHED_YIELD && sched != MU_CTX_SCHED_BLOCKING_SYNC,
	      MUSA_ERROR_INVALID_VALUE);
	return MUSA_SUCCESS;
}

/* Opens the fd and makes what every context has: the legacy stream and the
 * kernarg ring. */
static MUresult umd_ctx_setup(MUcontext ctx)
{
	MUresult r;
	int ret;

	ret = umd_tr_open(ctx->dev->kmd_index, &ctx->tr);
	if (ret)
		return ret == -ENODEV ? MUSA_ERROR_INVALID_DEVICE : umd_errno(ret);
	ctx->closing = 0;
	umd_object_init(&ctx->obj, umd_ctx_drained, NULL);
	ctx->drained = false;
	atomic_store(&ctx->sticky, MUSA_SUCCESS);
	umd_list_init(&ctx->streams);
	umd_list_init(&ctx->events);
	umd_list_init(&ctx->modules);
	umd_list_init(&ctx->chunks);
	umd_list_init(&ctx->timestamp_pages);
	umd_list_init(&ctx->zombies);
	umd_list_init(&ctx->hostfn_workers);
	ctx->cache_config = MU_FUNC_CACHE_PREFER_NONE;
	ctx->shared_mem_config = MU_SHARED_MEM_CONFIG_DEFAULT_BANK_SIZE;
	for (unsigned int i = 0; i < UMD_KERNARG_SLOTS; i++)
		ctx->kslots[i].syncobj = 0, ctx->kslots[i].point = 0;
	ctx->knext = 0;
	ctx->kpassed.syncobj = 0;
	ctx->kpassed.point = 0;
	ctx->cus_up = false;
	umd_rings_init(ctx);
	r = umd_stream_create(ctx, MU_STREAM_DEFAULT, 0, 1, &ctx->legacy);
	if (r)
		goto err_rings;
	ret = umd_bo_create(ctx, (uint64_t)UMD_KERNARG_SLOT * UMD_KERNARG_SLOTS, 1, &ctx->kernarg);
	if (ret) {
		r = umd_errno(ret);
		goto err_stream;
	}
	umd_prof_ctx_open(ctx);
	return MUSA_SUCCESS;

err_stream:
	umd_stream_release(ctx, ctx->legacy);
	ctx->legacy = NULL;
err_rings:
	umd_rings_fini(ctx);
	umd_tr_close(&ctx->tr);
	return r;
}

/* Releases everything of the context and closes its fd. Work still queued
 * is waited for unless the context faulted (a faulted context runs none). */
static void umd_ctx_teardown(MUcontext ctx)
{
	struct umd_list *l;

	if (!atomic_load(&ctx->sticky))
		umd_ctx_sync(ctx);
	umd_prof_ctx_close(ctx);
	pthread_mutex_lock(&ctx->lock);
	/* Closing the fd frees every kmd object; skip the one-by-one ioctls. */
	ctx->closing = 1;
	while (!umd_list_empty(&ctx->modules)) {
		l = ctx->modules.next;
		umd_module_release(ctx, umd_container_of(l, struct MUmod_st, link));
	}
	while (!umd_list_empty(&ctx->events)) {
		l = ctx->events.next;
		umd_event_release(ctx, umd_container_of(l, struct MUevent_st, link));
	}
	while (!umd_list_empty(&ctx->streams)) {
		l = ctx->streams.next;
		umd_stream_release(ctx, umd_container_of(l, struct MUstream_st, link));
	}
	if (ctx->legacy)
		umd_stream_release(ctx, ctx->legacy);
	ctx->legacy = NULL;
	umd_hostfn_ctx_gone(ctx);
	while (!umd_list_empty(&ctx->zombies)) {
		l = ctx->zombies.next;
		umd_list_del(l);
		free(umd_container_of(l, struct umd_zombie, link));
	}
	while (!umd_list_empty(&ctx->timestamp_pages)) {
		struct umd_timestamp_page *pg;

		l = ctx->timestamp_pages.next;
		pg = umd_container_of(l, struct umd_timestamp_page, link);
		umd_list_del(l);
		umd_bo_destroy(ctx, &pg->bo);
		free(pg);
	}
	umd_devrt_release(ctx);
	umd_bo_destroy(ctx, &ctx->kernarg);
	umd_rings_fini(ctx);
	pthread_mutex_unlock(&ctx->lock);
	umd_mem_release_ctx(ctx);
	umd_tr_close(&ctx->tr);
}

static void umd_ctx_destroy_locks(MUcontext ctx)
{
	pthread_mutex_destroy(&ctx->hostfn_lock);
	pthread_mutex_destroy(&ctx->lock);
}

static MUresult umd_ctx_new(struct umd_dev *dev, MUdevice ordinal, unsigned int flags,
			    int primary, MUcontext *out)
{
	MUcontext ctx = calloc(1, sizeof(*ctx));
	MUresult r;

	if (!ctx)
		return MUSA_ERROR_OUT_OF_MEMORY;
	ctx->dev = dev;
	ctx->ordinal = ordinal;
	ctx->flags = flags;
	ctx->primary = primary;
	ctx->tr.fd = -1;
	pthread_mutex_init(&ctx->lock, NULL);
	pthread_mutex_init(&ctx->hostfn_lock, NULL);
	r = umd_ctx_setup(ctx);
	if (r)
		goto err_free;
	if (umd_handle_add(ctx, UMD_H_CTX)) {
		r = MUSA_ERROR_OUT_OF_MEMORY;
		goto err_teardown;
	}
	*out = ctx;
	return MUSA_SUCCESS;

err_teardown:
	umd_ctx_teardown(ctx);
err_free:
	umd_ctx_destroy_locks(ctx);
	free(ctx);
	return r;
}

/* Forgets ctx in this thread's stack; other threads find it dead through
 * the handle registry. */
static void umd_ctx_unstack(MUcontext ctx)
{
	int j = 0;

	for (int i = 0; i < umd_ctx_depth; i++)
		if (umd_ctx_stack[i] != ctx)
			umd_ctx_stack[j++] = umd_ctx_stack[i];
	umd_ctx_depth = j;
}

/* Frees a context whose handle the caller removed: waits for the calls
 * still using it, then tears it down. */
static void umd_ctx_free(MUcontext ctx)
{
	umd_ctx_unstack(ctx);
	umd_ctx_drain(ctx);
	umd_ctx_teardown(ctx);
	umd_ctx_destroy_locks(ctx);
	free(ctx);
}

MUresult umd_ctx_current(MUcontext *out)
{
	MUresult r = umd_check_init();
	MUcontext ctx;

	if (r)
		return r;
	ctx = umd_ctx_depth ? umd_ctx_stack[umd_ctx_depth - 1] : NULL;
	ctx = ctx ? umd_ctx_lookup(ctx) : NULL;
	CHECK(!ctx, MUSA_ERROR_INVALID_CONTEXT);
	*out = ctx;
	return MUSA_SUCCESS;
}

MUresult umd_ctx_enter(MUcontext *out)
{
	MUresult r = umd_ctx_current(out);

	if (r)
		return r;
	r = (MUresult)atomic_load(&(*out)->sticky);
	if (r)
		umd_ctx_put(*out);
	return r;
}

MUresult umd_ctx_ready(void)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	if (!r)
		umd_ctx_put(ctx);
	return r;
}

/* The name of the kernel with handle h in ctx, into buf; 0 or -1. */
static int umd_ctx_kernel_name(MUcontext ctx, uint32_t h, char *buf, size_t n)
{
	int found = -1;

	pthread_mutex_lock(&ctx->lock);
	for (struct umd_list *l = ctx->modules.next; l != &ctx->modules && found; l = l->next) {
		struct MUmod_st *m = umd_container_of(l, struct MUmod_st, link);

		for (uint32_t i = 0; i < m->co.nkernels; i++)
			if (m->funcs[i].handle == h) {
				snprintf(buf, n, "%s", m->co.kernels[i].name);
				found = 0;
				break;
			}
	}
	pthread_mutex_unlock(&ctx->lock);
	return found;
}

/*
 * One line on stderr for a context's fault (unless MUSA_LOG is off): what
 * happened, in which kernel, block and thread, and at which source line,
 * as far as the device could tell (docs/debugging.md, "Fault reports").
 */
static void umd_ctx_report_fault(MUcontext ctx, const struct drm_musa_ctx_query *q, MUresult r)
{
	char kname[256] = "", where[PATH_MAX + 256] = "", line[2 * PATH_MAX + 1024];
	const char *what = NULL;
	struct umd_sym_cache syms = { .n = 0 };
	size_t o = 0;
	int has_line = 0;

	if (!umd_log_faults())
		return;
	muGetErrorString(r, &what);
	if ((q->fault_flags & DRM_MUSA_FAULT_HAS_KERNEL) &&
	    umd_ctx_kernel_name(ctx, q->fault_kernel, kname, sizeof(kname)))
		snprintf(kname, sizeof(kname), "#%u", q->fault_kernel);
	if (q->fault_flags & DRM_MUSA_FAULT_HAS_PC) {
		has_line = umd_sym_where(&syms, q->fault_pc, where, sizeof(where));
		umd_sym_cache_free(&syms);
	}
#define UMD_PUT(...)                                                                   \
	do {                                                                           \
		if (o < sizeof(line))                                                  \
			o += (size_t)snprintf(line + o, sizeof(line) - o, __VA_ARGS__); \
	} while (0)
	if (kname[0])
		UMD_PUT("kernel %s faulted: ", kname);
	else
		UMD_PUT("device fault: ");
	UMD_PUT("%s", what ? what : "unknown error");
	if (q->fault_address && (q->fault_kind == DRM_MUSA_FAULT_ILLEGAL_ADDRESS ||
				 q->fault_kind == DRM_MUSA_FAULT_MISALIGNED ||
				 q->fault_kind == DRM_MUSA_FAULT_STACK_OVERFLOW))
		UMD_PUT(" (address 0x%llx)", (unsigned long long)q->fault_address);
	if (q->fault_flags & DRM_MUSA_FAULT_HAS_BLOCK)
		UMD_PUT(", block (%u,%u,%u)", q->fault_block[0], q->fault_block[1],
			q->fault_block[2]);
	if (q->fault_flags & DRM_MUSA_FAULT_HAS_THREAD)
		UMD_PUT(", thread (%u,%u,%u)", q->fault_thread[0], q->fault_thread[1],
			q->fault_thread[2]);
	else if (q->fault_flags & DRM_MUSA_FAULT_HAS_KERNEL)
		UMD_PUT(", thread not known (the kernel ran as loops; MUSA_MEMCHECK=1 runs "
			"it as threads)");
	if (q->fault_flags & DRM_MUSA_FAULT_HAS_PC)
		UMD_PUT(", at %s%s", where, has_line ? "" : " (mcc -g adds the source line)");
#undef UMD_PUT
	umd_report("%s", line);
}

MUresult umd_ctx_check_fault(MUcontext ctx)
{
	struct drm_musa_ctx_query q = { 0 };
	MUresult r = (MUresult)atomic_load(&ctx->sticky);

	if (r)
		return r;
	/* The rings are told of a fault before the faulting job ends. */
	if (umd_ring_fault_free(ctx))
		return MUSA_SUCCESS;
	if (umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_CTX_QUERY, &q))
		return MUSA_SUCCESS;
	if (q.status != DRM_MUSA_CTX_STATUS_GUILTY)
		return MUSA_SUCCESS;
	r = umd_fault_result(q.fault_kind);
	umd_log("context %p faulted: kind %u at 0x%llx", (void *)ctx, q.fault_kind,
		(unsigned long long)q.fault_address);
	{
		int none = 0;

		/* the first thread to see the fault reports it */
		if (atomic_compare_exchange_strong(&ctx->sticky, &none, (int)r))
			umd_ctx_report_fault(ctx, &q, r);
	}
	return (MUresult)atomic_load(&ctx->sticky);
}

struct umd_wait_entry {
	uint32_t syncobj;
	uint64_t point;
	struct umd_zombie *rec;  /* the timeline record held, or NULL (legacy) */
};

/* Also forgets the kernarg slots that still name the retired timelines. */
void umd_ctx_reap_zombies(MUcontext ctx)
{
	struct umd_list *l = ctx->zombies.next;

	while (l != &ctx->zombies) {
		struct umd_zombie *z = umd_container_of(l, struct umd_zombie, link);

		l = l->next;
		if (z->refs || umd_point_passed(ctx, z->syncobj, z->point) != 1)
			continue;
		for (unsigned int i = 0; i < UMD_KERNARG_SLOTS; i++)
			if (ctx->kslots[i].syncobj == z->syncobj)
				ctx->kslots[i].syncobj = 0, ctx->kslots[i].point = 0;
		if (ctx->kpassed.syncobj == z->syncobj)
			ctx->kpassed.syncobj = 0, ctx->kpassed.point = 0;
		umd_syncobj_destroy(ctx, z->syncobj);
		umd_queue_destroy(ctx, z->queue);
		umd_list_del(&z->link);
		free(z);
	}
}

/*
 * Waits for every stream of ctx and every destroyed one whose work may not
 * have passed. The wait list is taken under ctx->lock and waited on without
 * it; each entry holds its timeline record (refs), so a stream destroyed by
 * another thread meanwhile keeps its syncobj, and its handle number, until
 * this wait is done.
 */
MUresult umd_ctx_sync(MUcontext ctx)
{
	struct umd_wait_entry *w;
	struct umd_list *l;
	size_t n = 0, cap = 1;
	MUresult r = MUSA_SUCCESS;

	pthread_mutex_lock(&ctx->lock);
	/* Timelines that passed and that no other sync holds go now, so that
	 * syncs overlapping without end do not keep a growing list alive. */
	umd_ctx_reap_zombies(ctx);
	for (l = ctx->streams.next; l != &ctx->streams; l = l->next)
		cap++;
	for (l = ctx->zombies.next; l != &ctx->zombies; l = l->next)
		cap++;
	w = malloc(cap * sizeof(*w));
	if (!w) {
		pthread_mutex_unlock(&ctx->lock);
		return MUSA_ERROR_OUT_OF_MEMORY;
	}
	if (ctx->legacy)
		w[n++] = (struct umd_wait_entry){ ctx->legacy->syncobj, ctx->legacy->last, NULL };
	for (l = ctx->streams.next; l != &ctx->streams; l = l->next) {
		struct MUstream_st *s = umd_container_of(l, struct MUstream_st, link);

		w[n++] = (struct umd_wait_entry){ s->syncobj, s->last, s->tl };
	}
	for (l = ctx->zombies.next; l != &ctx->zombies; l = l->next) {
		struct umd_zombie *z = umd_container_of(l, struct umd_zombie, link);

		/* The reap above left the unheld ones unpassed: only a held
		 * one may be done already and need no wait. */
		if (z->refs && umd_point_passed(ctx, z->syncobj, z->point) == 1)
			continue;
		w[n++] = (struct umd_wait_entry){ z->syncobj, z->point, z };
	}
	for (size_t i = 0; i < n; i++)
		if (w[i].rec)
			w[i].rec->refs++;
	pthread_mutex_unlock(&ctx->lock);

	for (size_t i = 0; i < n && !r; i++)
		r = umd_wait_point(ctx, w[i].syncobj, w[i].point);
	pthread_mutex_lock(&ctx->lock);
	for (size_t i = 0; i < n; i++)
		if (w[i].rec)
			w[i].rec->refs--;
	pthread_mutex_unlock(&ctx->lock);
	free(w);
	if (r)
		return r;
	r = umd_ctx_check_fault(ctx);
	if (r)
		return r;
	pthread_mutex_lock(&ctx->lock);
	umd_ctx_reap_zombies(ctx);
	pthread_mutex_unlock(&ctx->lock);
	return MUSA_SUCCESS;
}

UMD_API MUresult muCtxCreate(MUcontext *pctx, unsigned int flags, MUdevice dev)
{
	struct umd_dev *d;
	MUcontext ctx;
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!pctx, MUSA_ERROR_INVALID_VALUE);
	r = umd_ctx_flags_check(flags);
	if (r)
		return r;
	r = umd_dev_get(dev, &d);
	if (r)
		return r;
	if (umd_ctx_depth >= UMD_CTX_STACK)
		return MUSA_ERROR_OUT_OF_MEMORY;
	r = umd_ctx_new(d, dev, flags, 0, &ctx);
	if (r)
		return r;
	umd_ctx_stack[umd_ctx_depth++] = ctx;
	*pctx = ctx;
	return MUSA_SUCCESS;
}

UMD_API MUresult muCtxDestroy(MUcontext ctx)
{
	MUresult r = umd_check_init();
	MUcontext c;
	int removed = 0;

	if (r)
		return r;
	c = ctx ? umd_ctx_lookup(ctx) : NULL;
	CHECK(!c, MUSA_ERROR_INVALID_CONTEXT);
	/* Of two racing destroys only one removes the handle. */
	if (!c->primary)
		removed = umd_handle_del(c);
	umd_ctx_put(c);
	CHECK(!removed, MUSA_ERROR_INVALID_CONTEXT);
	umd_ctx_free(c);
	return MUSA_SUCCESS;
}

UMD_API MUresult muCtxSetCurrent(MUcontext ctx)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	if (!ctx) {
		if (umd_ctx_depth)
			umd_ctx_depth--;
		return MUSA_SUCCESS;
	}
	CHECK(!umd_handle_valid(ctx, UMD_H_CTX), MUSA_ERROR_INVALID_CONTEXT);
	if (!umd_ctx_depth)
		umd_ctx_depth = 1;
	umd_ctx_stack[umd_ctx_depth - 1] = ctx;
	return MUSA_SUCCESS;
}

UMD_API MUresult muCtxGetCurrent(MUcontext *pctx)
{
	MUresult r = umd_check_init();
	MUcontext ctx;

	if (r)
		return r;
	CHECK(!pctx, MUSA_ERROR_INVALID_VALUE);
	ctx = umd_ctx_depth ? umd_ctx_stack[umd_ctx_depth - 1] : NULL;
	*pctx = ctx && umd_handle_valid(ctx, UMD_H_CTX) ? ctx : NULL;
	return MUSA_SUCCESS;
}

UMD_API MUresult muCtxPushCurrent(MUcontext ctx)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!ctx || !umd_handle_valid(ctx, UMD_H_CTX), MUSA_ERROR_INVALID_CONTEXT);
	if (umd_ctx_depth >= UMD_CTX_STACK)
		return MUSA_ERROR_OUT_OF_MEMORY;
	umd_ctx_stack[umd_ctx_depth++] = ctx;
	return MUSA_SUCCESS;
}

UMD_API MUresult muCtxPopCurrent(MUcontext *pctx)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!umd_ctx_depth, MUSA_ERROR_INVALID_CONTEXT);
	umd_ctx_depth--;
	if (pctx)
		*pctx = umd_ctx_stack[umd_ctx_depth];
	return MUSA_SUCCESS;
}

UMD_API MUresult muCtxGetDevice(MUdevice *device)
{
	MUcontext ctx;
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!device, MUSA_ERROR_INVALID_VALUE);
	r = umd_ctx_current(&ctx);
	if (r)
		return r;
	*device = ctx->ordinal;
	umd_ctx_put(ctx);
	return MUSA_SUCCESS;
}

UMD_API MUresult muCtxGetFlags(unsigned int *flags)
{
	MUcontext ctx;
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!flags, MUSA_ERROR_INVALID_VALUE);
	r = umd_ctx_current(&ctx);
	if (r)
		return r;
	*flags = ctx->flags;
	umd_ctx_put(ctx);
	return MUSA_SUCCESS;
}

UMD_API MUresult muCtxSynchronize(void)
{
	MUcontext ctx;
	uint64_t t0 = umd_prof_begin();
	MUresult r = umd_ctx_enter(&ctx);

	if (r)
		return r;
	r = umd_capture_unsafe_call();  /* graphs: not during a global capture */
	if (!r) {
		r = umd_ctx_sync(ctx);
		if (t0)
			umd_prof_sync("muCtxSynchronize", ctx->legacy, t0);
	}
	umd_ctx_put(ctx);
	return r;
}

/* Primary contexts. */

UMD_API MUresult muDevicePrimaryCtxRetain(MUcontext *pctx, MUdevice dev)
{
	struct umd_dev *d;
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!pctx, MUSA_ERROR_INVALID_VALUE);
	r = umd_dev_get(dev, &d);
	if (r)
		return r;
	pthread_mutex_lock(&d->lock);
	if (!d->primary)
		r = umd_ctx_new(d, dev, d->primary_flags, 1, &d->primary);
	if (!r) {
		d->primary_refs++;
		*pctx = d->primary;
	}
	pthread_mutex_unlock(&d->lock);
	return r;
}

UMD_API MUresult muDevicePrimaryCtxRelease(MUdevice dev)
{
	struct umd_dev *d;
	MUcontext dead = NULL;
	MUresult r = umd_dev_get(dev, &d);

	if (r)
		return r;
	pthread_mutex_lock(&d->lock);
	if (!d->primary_refs) {
		r = MUSA_ERROR_INVALID_CONTEXT;
	} else if (--d->primary_refs == 0) {
		dead = d->primary;
		d->primary = NULL;
	}
	if (dead) {
		umd_handle_del(dead);
		umd_ctx_free(dead);
	}
	pthread_mutex_unlock(&d->lock);
	return r;
}

UMD_API MUresult muDevicePrimaryCtxReset(MUdevice dev)
{
	struct umd_dev *d;
	MUcontext ctx;
	MUresult r = umd_dev_get(dev, &d);

	if (r)
		return r;
	pthread_mutex_lock(&d->lock);
	ctx = d->primary;
	if (ctx) {
		/* No call finds it while it is reset, and none still uses it. */
		umd_handle_del(ctx);
		umd_ctx_drain(ctx);
		umd_ctx_teardown(ctx);
		r = umd_ctx_setup(ctx);
		if (!r && umd_handle_add(ctx, UMD_H_CTX)) {
			umd_ctx_teardown(ctx);
			r = MUSA_ERROR_OUT_OF_MEMORY;
		}
		if (r) {
			/* No fd to run on: the handle dies and the next retain
			 * starts over. */
			umd_ctx_unstack(ctx);
			d->primary = NULL;
			d->primary_refs = 0;
			umd_ctx_destroy_locks(ctx);
			free(ctx);
		}
	}
	pthread_mutex_unlock(&d->lock);
	return r;
}

UMD_API MUresult muDevicePrimaryCtxGetState(MUdevice dev, unsigned int *flags, int *active)
{
	struct umd_dev *d;
	MUresult r = umd_dev_get(dev, &d);

	if (r)
		return r;
	CHECK(!flags || !active, MUSA_ERROR_INVALID_VALUE);
	pthread_mutex_lock(&d->lock);
	*flags = d->primary_flags;
	*active = d->primary_refs > 0;
	pthread_mutex_unlock(&d->lock);
	return MUSA_SUCCESS;
}

UMD_API MUresult muDevicePrimaryCtxSetFlags(MUdevice dev, unsigned int flags)
{
	struct umd_dev *d;
	MUresult r = umd_dev_get(dev, &d);

	if (r)
		return r;
	r = umd_ctx_flags_check(flags);
	if (r)
		return r;
	pthread_mutex_lock(&d->lock);
	d->primary_flags = flags;
	if (d->primary)
		d->primary->flags = flags;
	pthread_mutex_unlock(&d->lock);
	return MUSA_SUCCESS;
}

/* Context preferences. */

UMD_API MUresult muCtxSetFlags(unsigned int flags)
{
	struct umd_dev *primary_of;
	MUcontext ctx;
	MUresult r = umd_ctx_current(&ctx);

	if (r)
		return UMD_RET(r);
	r = umd_ctx_flags_check(flags);
	if (r) {
		umd_ctx_put(ctx);
		return UMD_RET(r);
	}
	ctx->flags = flags;
	primary_of = ctx->primary ? ctx->dev : NULL;
	/* The device's lock is not taken while holding a context. */
	umd_ctx_put(ctx);
	if (primary_of) {
		pthread_mutex_lock(&primary_of->lock);
		primary_of->primary_flags = flags;
		pthread_mutex_unlock(&primary_of->lock);
	}
	return UMD_RET(MUSA_SUCCESS);
}

UMD_API MUresult muCtxGetApiVersion(MUcontext ctx, unsigned int *version)
{
	MUresult r = umd_check_init();

	if (r)
		return UMD_RET(r);
	if (!version)
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);
	/* A check that follows nothing: a named context is only looked up. */
	if (!ctx) {
		r = umd_ctx_current(&ctx);
		if (r)
			return UMD_RET(r);
		umd_ctx_put(ctx);
	} else if (!umd_handle_valid(ctx, UMD_H_CTX)) {
		return UMD_RET(MUSA_ERROR_INVALID_CONTEXT);
	}
	*version = 3020;
	return UMD_RET(MUSA_SUCCESS);
}

UMD_API MUresult muCtxSetCacheConfig(MUfunc_cache config)
{
	MUcontext ctx;
	MUresult r = umd_ctx_current(&ctx);

	if (r)
		return UMD_RET(r);
	if ((unsigned int)config > MU_FUNC_CACHE_PREFER_EQUAL) {
		umd_ctx_put(ctx);
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);
	}
	pthread_mutex_lock(&ctx->lock);
	ctx->cache_config = (int)config;
	pthread_mutex_unlock(&ctx->lock);
	umd_ctx_put(ctx);
	return UMD_RET(MUSA_SUCCESS);
}

UMD_API MUresult muCtxGetCacheConfig(MUfunc_cache *pconfig)
{
	MUcontext ctx;
	MUresult r = umd_ctx_current(&ctx);

	if (r)
		return UMD_RET(r);
	if (pconfig) {
		pthread_mutex_lock(&ctx->lock);
		*pconfig = (MUfunc_cache)ctx->cache_config;
		pthread_mutex_unlock(&ctx->lock);
	}
	umd_ctx_put(ctx);
	return UMD_RET(pconfig ? MUSA_SUCCESS : MUSA_ERROR_INVALID_VALUE);
}

UMD_API MUresult muCtxSetSharedMemConfig(MUsharedconfig config)
{
	MUcontext ctx;
	MUresult r = umd_ctx_current(&ctx);

	if (r)
		return UMD_RET(r);
	if ((unsigned int)config > MU_SHARED_MEM_CONFIG_EIGHT_BYTE_BANK_SIZE) {
		umd_ctx_put(ctx);
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);
	}
	pthread_mutex_lock(&ctx->lock);
	ctx->shared_mem_config = (int)config;
	pthread_mutex_unlock(&ctx->lock);
	umd_ctx_put(ctx);
	return UMD_RET(MUSA_SUCCESS);
}

UMD_API MUresult muCtxGetSharedMemConfig(MUsharedconfig *pConfig)
{
	MUcontext ctx;
	MUresult r = umd_ctx_current(&ctx);

	if (r)
		return UMD_RET(r);
	if (pConfig) {
		pthread_mutex_lock(&ctx->lock);
		*pConfig = (MUsharedconfig)ctx->shared_mem_config;
		pthread_mutex_unlock(&ctx->lock);
	}
	umd_ctx_put(ctx);
	return UMD_RET(pConfig ? MUSA_SUCCESS : MUSA_ERROR_INVALID_VALUE);
}

UMD_API MUresult muCtxResetPersistingL2Cache(void)
{
	/* No line is ever persisting: nothing to reset. */
	return UMD_RET(umd_ctx_ready());
}
