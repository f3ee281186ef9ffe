/* SPDX-License-Identifier: MIT */
/*
 * copy.c - memory copies and fills: muMemcpy* and muMemsetD8/16/32 (sync
 * and async), as COPY and FILL packets on a stream.
 *
 * Device ranges must lie inside one allocation (the allocation table
 * says). Memory of this context and pinned memory (its userptr BO in each
 * context that uses it) is used in place; memory of another context (a
 * peer device) and any other range, host memory, is reached through a
 * transient userptr BO over its pages (read-only for a source). A host
 * range the kmd will not wrap is MUSA_ERROR_INVALID_VALUE. Copies touching
 * pageable host memory or a peer's memory complete before the call returns, as
 * CUDA's do, and their userptr BOs are released right after; device-only
 * async work returns at once. The synchronous forms run on the legacy stream
 * and wait for it. A copy or fill recorded for the timeline is named by
 * its driver call.
 * May call: memory.c, bo.c, stream.c, context.c, profiler.c.
 */
#include <errno.h>
#include <stdint.h>

#include "musa_log.h"
#include "umd.h"

/* Resolves one side of a copy or fill. Memory of this context (device,
 * managed, pinned, a module variable) is used as is; pinned memory of
 * another context gets a userptr BO of its own in this one (kept with the
 * memory); device memory of another context (a peer device) and host
 * memory get a transient userptr BO over their pages. */
MUresult umd_range_get(MUcontext ctx, uint64_t p, size_t n, enum umd_side side,
		       int read_only, struct umd_range *out)
{
	struct umd_mem_info mi;
	int ret;

	out->bo.handle = 0;
	if (!umd_mem_lookup(p, n, &mi)) {
		/* Pinned memory is device memory too: its device pointer is p. */
		if (mi.ctx == ctx || (mi.kind == UMD_MEM_HOST && !umd_mem_host_bo(p, n, ctx))) {
			out->addr = p;
			return MUSA_SUCCESS;
		}
		side = UMD_SIDE_ANY;  /* another context's memory: reach it by its pages */
	} else if (side != UMD_SIDE_HOST && umd_module_var_range(ctx, p, n)) {
		out->addr = p;  /* a module variable: the kmd maps its data range */
		return MUSA_SUCCESS;
	}
	/* a device range that leaves its allocation */
	umd_memcheck_bad_range(side == UMD_SIDE_DEVICE ? "device range of a copy" :
			       "range of a copy", p, n);
	CHECK(side == UMD_SIDE_DEVICE, MUSA_ERROR_INVALID_VALUE);
	ret = umd_bo_userptr(ctx, (const void *)(uintptr_t)p, n, read_only, &out->bo, &out->addr);
	if (ret) {
		umd_log("host range 0x%llx+%zu not usable: errno %d", (unsigned long long)p, n, -ret);
		return ret == -ENOMEM ? MUSA_ERROR_OUT_OF_MEMORY : MUSA_ERROR_INVALID_VALUE;
	}
	return MUSA_SUCCESS;
}

void umd_range_put(MUcontext ctx, struct umd_range *r)
{
	if (r->bo.handle)
		umd_bo_destroy(ctx, &r->bo);
}

MUresult umd_op_begin(MUstream h, MUcontext *ctx, struct MUstream_st **st)
{
	MUresult r = umd_ctx_enter(ctx);

	if (r)
		return r;
	r = umd_stream_get(*ctx, h, 0, st);
	/* The stream's reference holds the context from here on. */
	umd_ctx_put(*ctx);
	return r;
}

MUresult umd_op_finish(MUcontext ctx, struct MUstream_st *st, struct drm_musa_packet *p,
		       unsigned int n, int sync, struct umd_range *rg, unsigned int nr)
{
	uint64_t point;
	MUresult r;
	int wait = sync;

	for (unsigned int i = 0; i < nr; i++)
		wait |= rg[i].bo.handle != 0;
	/* graphs: work no capture hook took is refused on a capturing stream */
	r = umd_capture_sync(st);
	if (!r)
		r = umd_stream_submit(st, p, n, &point);
	if (!r && wait)
		r = umd_wait_point(ctx, st->syncobj, point);
	if (!r && sync)
		r = umd_ctx_check_fault(ctx);
	for (unsigned int i = 0; i < nr; i++)
		umd_range_put(ctx, &rg[i]);
	return r;
}

static MUresult umd_copy_on(const char *api, MUcontext ctx, struct MUstream_st *st, int sync,
			    uint64_t dst, enum umd_side dside, uint64_t src, enum umd_side sside,
			    size_t n)
{
	struct umd_range d = { 0 }, s = { 0 };
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_COPY };
	uint64_t point, t0 = umd_prof_begin();
	MUresult r;

	if (!n)
		return MUSA_SUCCESS;
	CHECK(!dst || !src || dst + n < dst || src + n < src, MUSA_ERROR_INVALID_VALUE);
	/* graphs: a capturing stream records the copy as a graph node */
	if (umd_capture_copy(st, dst, dside, src, sside, n, &r))
		return r;
	r = umd_range_get(ctx, src, n, sside, 1, &s);
	if (r)
		return r;
	r = umd_range_get(ctx, dst, n, dside, 0, &d);
	if (r)
		goto out;
	p.copy.src = s.addr;
	p.copy.dst = d.addr;
	p.copy.width = n;
	p.copy.height = 1;
	p.copy.src_pitch = n;
	p.copy.dst_pitch = n;
	r = umd_stream_submit(st, &p, 1, &point);
	if (r)
		goto out;
	if (sync || s.bo.handle || d.bo.handle)
		r = umd_wait_point(ctx, st->syncobj, point);
	if (!r && sync)
		r = umd_ctx_check_fault(ctx);
out:
	if (s.bo.handle)
		umd_bo_destroy(ctx, &s.bo);
	if (d.bo.handle)
		umd_bo_destroy(ctx, &d.bo);
	if (t0)
		umd_prof_api(api, st, t0);
	return r;
}

static MUresult umd_copy(const char *api, MUstream h, int sync, uint64_t dst,
			 enum umd_side dside, uint64_t src, enum umd_side sside, size_t n)
{
	struct MUstream_st *st;
	MUcontext ctx;
	MUresult r = umd_op_begin(h, &ctx, &st);

	if (r)
		return r;
	r = umd_copy_on(api, ctx, st, sync, dst, dside, src, sside, n);
	umd_stream_put(st);
	return r;
}

#define U(p) ((uint64_t)(uintptr_t)(p))

UMD_API MUresult muMemcpy(MUdeviceptr dst, MUdeviceptr src, size_t ByteCount)
{
	return umd_copy(__func__, NULL, 1, dst, UMD_SIDE_ANY, src, UMD_SIDE_ANY, ByteCount);
}

UMD_API MUresult muMemcpyAsync(MUdeviceptr dst, MUdeviceptr src, size_t ByteCount, MUstream hStream)
{
	return umd_copy(__func__, hStream, 0, dst, UMD_SIDE_ANY, src, UMD_SIDE_ANY, ByteCount);
}

UMD_API MUresult muMemcpyHtoD(MUdeviceptr dstDevice, const void *srcHost, size_t ByteCount)
{
	return umd_copy(__func__, NULL, 1,
			dstDevice, UMD_SIDE_DEVICE, U(srcHost), UMD_SIDE_ANY, ByteCount);
}

UMD_API MUresult muMemcpyHtoDAsync(MUdeviceptr dstDevice, const void *srcHost, size_t ByteCount,
				   MUstream hStream)
{
	return umd_copy(__func__, hStream, 0,
			dstDevice, UMD_SIDE_DEVICE, U(srcHost), UMD_SIDE_ANY, ByteCount);
}

UMD_API MUresult muMemcpyDtoH(void *dstHost, MUdeviceptr srcDevice, size_t ByteCount)
{
	return umd_copy(__func__, NULL, 1,
			U(dstHost), UMD_SIDE_ANY, srcDevice, UMD_SIDE_DEVICE, ByteCount);
}

UMD_API MUresult muMemcpyDtoHAsync(void *dstHost, MUdeviceptr srcDevice, size_t ByteCount,
				   MUstream hStream)
{
	return umd_copy(__func__, hStream, 0,
			U(dstHost), UMD_SIDE_ANY, srcDevice, UMD_SIDE_DEVICE, ByteCount);
}

UMD_API MUresult muMemcpyDtoD(MUdeviceptr dstDevice, MUdeviceptr srcDevice, size_t ByteCount)
{
	return umd_copy(__func__, NULL, 1,
			dstDevice, UMD_SIDE_DEVICE, srcDevice, UMD_SIDE_DEVICE, ByteCount);
}

UMD_API MUresult muMemcpyDtoDAsync(MUdeviceptr dstDevice, MUdeviceptr srcDevice, size_t ByteCount,
				   MUstream hStream)
{
	return umd_copy(__func__, hStream, 0,
			dstDevice, UMD_SIDE_DEVICE, srcDevice, UMD_SIDE_DEVICE, ByteCount);
}

static MUresult umd_fill_on(const char *api, MUcontext ctx, struct MUstream_st *st, int sync,
			    MUdeviceptr dst, uint32_t value, unsigned int elem, size_t count)
{
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_FILL };
	struct umd_mem_info mi;
	struct umd_range d;
	uint64_t t0 = umd_prof_begin();
	MUresult r;

	if (!count)
		return MUSA_SUCCESS;
	CHECK(dst % elem || count > SIZE_MAX / elem, MUSA_ERROR_INVALID_VALUE);
	/* Device, managed or pinned memory of any context, or a module variable. */
	if (umd_mem_lookup(dst, count * elem, &mi) && !umd_module_var_range(ctx, dst, count * elem)) {
		umd_memcheck_bad_range("range of a memset", dst, count * elem);
		return MUSA_ERROR_INVALID_VALUE;
	}
	/* graphs: a capturing stream records the fill as a graph node */
	if (umd_capture_fill(st, dst, value, elem, count, &r))
		return r;
	r = umd_range_get(ctx, dst, count * elem, UMD_SIDE_ANY, 0, &d);
	if (r)
		return r;
	p.fill.dst = d.addr;
	p.fill.count = count;
	p.fill.value = value;
	p.fill.elem_size = elem;
	r = umd_op_finish(ctx, st, &p, 1, sync, &d, 1);
	if (t0)
		umd_prof_api(api, st, t0);
	return r;
}

static MUresult umd_fill(const char *api, MUstream h, int sync, MUdeviceptr dst,
			 uint32_t value, unsigned int elem, size_t count)
{
	struct MUstream_st *st;
	MUcontext ctx;
	MUresult r = umd_op_begin(h, &ctx, &st);

	if (r)
		return r;
	r = umd_fill_on(api, ctx, st, sync, dst, value, elem, count);
	umd_stream_put(st);
	return r;
}

UMD_API MUresult muMemsetD8(MUdeviceptr dstDevice, unsigned char uc, size_t N)
{
	return umd_fill(__func__, NULL, 1, dstDevice, uc, 1, N);
}

UMD_API MUresult muMemsetD16(MUdeviceptr dstDevice, unsigned short us, size_t N)
{
	return umd_fill(__func__, NULL, 1, dstDevice, us, 2, N);
}

UMD_API MUresult muMemsetD32(MUdeviceptr dstDevice, unsigned int ui, size_t N)
{
	return umd_fill(__func__, NULL, 1, dstDevice, ui, 4, N);
}

UMD_API MUresult muMemsetD8Async(MUdeviceptr dstDevice, unsigned char uc, size_t N, MUstream hStream)
{
	return umd_fill(__func__, hStream, 0, dstDevice, uc, 1, N);
}

UMD_API MUresult muMemsetD16Async(MUdeviceptr dstDevice, unsigned short us, size_t N,
				  MUstream hStream)
{
	return umd_fill(__func__, hStream, 0, dstDevice, us, 2, N);
}

UMD_API MUresult muMemsetD32Async(MUdeviceptr dstDevice, unsigned int ui, size_t N,
				  MUstream hStream)
{
	return umd_fill(__func__, hStream, 0, dstDevice, ui, 4, N);
}
