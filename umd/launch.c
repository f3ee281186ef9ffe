/* SPDX-License-Identifier: MIT */
/*
 * launch.c - muLaunchKernel: checks the launch against the device limits and
 * the kernel's metadata, packs the parameters into a kernarg slot and submits
 * a KERNEL_DISPATCH packet on the stream. The packer (umd_kernarg_pack) is
 * the one graph kernel nodes use too.
 *
 * Kernargs live in a per-context ring of 4 KiB slots inside one BO (the
 * dispatch packet must name an address inside a BO, never host memory). A
 * slot is reused only after the stream point of the launch that used it has
 * passed; when the ring is full the launch waits for the oldest one.
 * Dynamic shared memory is also bounded by the function's
 * MAX_DYNAMIC_SHARED_SIZE_BYTES attribute (module.c). With
 * MUSA_LAUNCH_BLOCKING=1 a launch waits for its kernel.
 * May call: stream.c, context.c, module.c state, smi.c (launches are
 * counted for musa-smi), profiler.c (a launch's time when recording).
 */
#include <stdlib.h>
#include <string.h>

#include "musa_log.h"
#include "umd.h"

/* MUSA_LAUNCH_BLOCKING=1: every launch waits for its kernel and returns
 * its error, as CUDA_LAUNCH_BLOCKING does; MUSA_DEBUG_SERIAL=1 (one group
 * at a time, kmd-shim/cu.c) implies it. Read once. */
static int umd_launch_blocking;
static pthread_once_t umd_launch_blocking_once = PTHREAD_ONCE_INIT;

static void umd_launch_blocking_init(void)
{
	const char *v = getenv("MUSA_LAUNCH_BLOCKING");
	const char *serial = getenv("MUSA_DEBUG_SERIAL");

	umd_launch_blocking = (v && strcmp(v, "1") == 0) || (serial && strcmp(serial, "1") == 0);
	if (v && *v && strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
		umd_warn("MUSA_LAUNCH_BLOCKING: ignoring '%s' (0 or 1)", v);
}

static MUresult umd_launch_check_dims(const struct drm_musa_device_info *info,
				      const struct musa_meta_kernel *k,
				      const unsigned int grid[3], const unsigned int block[3],
				      unsigned int shared)
{
	uint64_t threads = 1;

	for (int i = 0; i < 3; i++) {
		CHECK(!grid[i] || grid[i] > info->max_grid_dim[i], MUSA_ERROR_INVALID_VALUE);
		CHECK(!block[i] || block[i] > info->max_block_dim[i], MUSA_ERROR_INVALID_VALUE);
		threads *= block[i];
	}
	CHECK(threads > info->max_threads_per_block, MUSA_ERROR_INVALID_VALUE);
	CHECK((uint64_t)shared + k->static_shared > info->shared_mem_per_block,
	      MUSA_ERROR_INVALID_VALUE);
	/* __launch_bounds__ is a promise the code was built on. */
	if (k->max_threads && threads > k->max_threads)
		return MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES;
	return MUSA_SUCCESS;
}

/* The extra form: MU_LAUNCH_PARAM_BUFFER_POINTER and _SIZE up to
 * MU_LAUNCH_PARAM_END (NULL; a key given twice: the last one counts); the
 * buffer holds the whole block. */
static MUresult umd_kernarg_pack_extra(const struct musa_meta_kernel *m, void **extra,
				       unsigned char *buf)
{
	const void *ptr = NULL;
	const size_t *size = NULL;

	for (size_t i = 0; extra[i] != MU_LAUNCH_PARAM_END; i += 2) {
		CHECK(extra[i] != MU_LAUNCH_PARAM_BUFFER_POINTER &&
		      extra[i] != MU_LAUNCH_PARAM_BUFFER_SIZE, MUSA_ERROR_INVALID_VALUE);
		if (extra[i] == MU_LAUNCH_PARAM_BUFFER_POINTER)
			ptr = extra[i + 1];
		else
			size = extra[i + 1];
	}
	CHECK(!ptr || !size, MUSA_ERROR_INVALID_VALUE);
	CHECK(*size < m->kernarg_size, MUSA_ERROR_INVALID_VALUE);
	memcpy(buf, ptr, m->kernarg_size);
	return MUSA_SUCCESS;
}

MUresult umd_kernarg_pack(const struct musa_codeobj_kernel *k, void **params, void **extra,
			  unsigned char *buf)
{
	const struct musa_meta_kernel *m = k->meta;

	/* CUDA's "too many arguments": the launch's resources, not a bad value. */
	CHECK(m->kernarg_size > UMD_KERNARG_SLOT, MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES);
	CHECK(params && extra, MUSA_ERROR_INVALID_VALUE);
	if (extra)
		return umd_kernarg_pack_extra(m, extra, buf);
	if (!m->nparams)
		return MUSA_SUCCESS;
	CHECK(!params, MUSA_ERROR_INVALID_VALUE);
	for (uint32_t i = 0; i < m->nparams; i++) {
		CHECK(!params[i], MUSA_ERROR_INVALID_VALUE);
		/* the code-object loader checked this; a block built otherwise is a bad image */
		CHECK((uint64_t)k->params[i].offset + k->params[i].size > m->kernarg_size,
		      MUSA_ERROR_INVALID_IMAGE);
		memcpy(buf + k->params[i].offset, params[i], k->params[i].size);
	}
	return MUSA_SUCCESS;
}

/*
 * The point to wait for when slot i (last used at `point` of `syncobj`)
 * is still busy: the last of the next UMD_KERNARG_WAIT_AHEAD slots used
 * by the same timeline, so that one wait frees a run of slots and a burst
 * longer than the slots blocks the host once per run, not once per launch.
 */
static uint64_t umd_kernarg_wait_point(MUcontext ctx, unsigned int i, uint32_t syncobj,
				       uint64_t point)
{
	for (unsigned int k = 1; k < UMD_KERNARG_WAIT_AHEAD; k++) {
		const struct umd_kernarg_slot *n = &ctx->kslots[(i + k) % UMD_KERNARG_SLOTS];

		if (n->syncobj != syncobj || n->point < point)
			break;
		point = n->point;
	}
	return point;
}

/* Takes the next kernarg slot, waiting for its last user if needed.
 * ctx->lock held on entry and on return. */
static MUresult umd_kernarg_slot(MUcontext ctx, unsigned int *out)
{
	for (;;) {
		unsigned int i = ctx->knext;
		struct umd_kernarg_slot *s = &ctx->kslots[i];
		uint32_t syncobj = s->syncobj;
		uint64_t point = s->point, value, until;
		MUresult r;

		/* A burst on one stream asks the kmd once per batch of finished
		 * launches, not once per slot. */
		if (syncobj && (ctx->kpassed.syncobj != syncobj || ctx->kpassed.point < point) &&
		    umd_point_value(ctx, syncobj, &value) == 0) {
			ctx->kpassed.syncobj = syncobj;
			ctx->kpassed.point = value;
		}
		if (!syncobj || (ctx->kpassed.syncobj == syncobj && ctx->kpassed.point >= point)) {
			ctx->knext = (i + 1) % UMD_KERNARG_SLOTS;
			*out = i;
			return MUSA_SUCCESS;
		}
		until = umd_kernarg_wait_point(ctx, i, syncobj, point);
		pthread_mutex_unlock(&ctx->lock);
		r = umd_wait_point(ctx, syncobj, until);
		pthread_mutex_lock(&ctx->lock);
		/* Another thread may have taken the slot meanwhile, or retired a
		 * destroyed stream's timeline: look again. */
		if (ctx->kslots[i].syncobj != syncobj || ctx->kslots[i].point != point)
			continue;
		if (r)
			return r;
		ctx->kslots[i].syncobj = 0;
		if (ctx->kpassed.syncobj != syncobj || ctx->kpassed.point < until) {
			ctx->kpassed.syncobj = syncobj;
			ctx->kpassed.point = until;
		}
	}
}

/* Packs the arguments and queues the dispatch of f on s. */
static MUresult umd_launch_on(MUfunction f, struct MUstream_st *s, const unsigned int grid[3],
			      const unsigned int block[3], unsigned int sharedMemBytes,
			      void **kernelParams, void **extra)
{
	unsigned char args[UMD_KERNARG_SLOT];
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_KERNEL_DISPATCH };
	const struct musa_meta_kernel *k = f->k->meta;
	MUcontext ctx = s->ctx;
	unsigned int slot;
	uint64_t point = 0, t0 = umd_prof_begin();
	MUresult r;

	r = umd_launch_check_dims(&ctx->dev->info, k, grid, block, sharedMemBytes);
	if (r)
		return r;
	/* refused here too: a ring slot the kmd refuses faults the context */
	if (f->k->scratch_size > MUSA_WG_STACK_SIZE)
		return MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES;
	if (sharedMemBytes) {
		struct umd_func_attrs fa;

		umd_func_attrs_get(f, &fa);
		CHECK(sharedMemBytes > (unsigned int)fa.max_dynamic_shared,
		      MUSA_ERROR_INVALID_VALUE);
	}
	memset(args, 0, sizeof(args));
	r = umd_kernarg_pack(f->k, kernelParams, extra, args);
	if (r)
		return r;
	/* graphs: a capturing stream records the launch as a graph node */
	if (umd_capture_kernel(s, f, grid, block, sharedMemBytes, args, &r))
		return r;

	p.dispatch.kernel = f->handle;
	p.dispatch.shared_bytes = sharedMemBytes;
	memcpy(p.dispatch.grid, grid, sizeof(p.dispatch.grid));
	memcpy(p.dispatch.block, block, sizeof(p.dispatch.block));
	p.dispatch.kernarg_size = k->kernarg_size;

	pthread_mutex_lock(&ctx->lock);
	r = umd_kernarg_slot(ctx, &slot);
	if (r)
		goto out;
	memcpy((unsigned char *)ctx->kernarg.cpu + (size_t)slot * UMD_KERNARG_SLOT, args,
	       k->kernarg_size);
	p.dispatch.kernarg = ctx->kernarg.va + (uint64_t)slot * UMD_KERNARG_SLOT;
	r = umd_stream_submit_locked(s, &p, 1, &point);
	if (!r) {
		ctx->kslots[slot].syncobj = s->syncobj;
		ctx->kslots[slot].point = point;
		umd_smi_launch(ctx->ordinal);
	}
out:
	pthread_mutex_unlock(&ctx->lock);
	if (!r) {
		pthread_once(&umd_launch_blocking_once, umd_launch_blocking_init);
		if (umd_launch_blocking) {
			r = umd_wait_point(ctx, s->syncobj, point);
			if (!r)
				r = umd_ctx_check_fault(ctx);
		}
		if (t0)
			umd_prof_launch(f, s, t0);
	}
	return r;
}

/* A launch of f in ctx (of the caller's reference) on stream h. */
static MUresult umd_launch_in(MUcontext ctx, MUfunction f, MUstream h, const unsigned int grid[3],
			      const unsigned int block[3], unsigned int shmem, void **params,
			      void **extra)
{
	struct MUstream_st *s;
	MUresult r;

	/* A function of another context is as unknown as a made-up one. */
	CHECK(!umd_handle_get_in(f, UMD_H_FUNC, ctx), MUSA_ERROR_INVALID_HANDLE);
	r = umd_stream_get(ctx, h, 0, &s);
	if (!r) {
		r = umd_launch_on(f, s, grid, block, shmem, params, extra);
		umd_stream_put(s);
	}
	umd_object_put(&f->mod->obj);
	return r;
}

UMD_API MUresult muLaunchKernel(MUfunction f,
				unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ,
				unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ,
				unsigned int sharedMemBytes, MUstream hStream,
				void **kernelParams, void **extra)
{
	const unsigned int grid[3] = { gridDimX, gridDimY, gridDimZ };
	const unsigned int block[3] = { blockDimX, blockDimY, blockDimZ };
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_launch_in(ctx, f, hStream, grid, block, sharedMemBytes,
				     kernelParams, extra));
}
