/* SPDX-License-Identifier: MIT */
/*
 * copy.c - memory copies and fills: muMemcpy* and muMemsetD8/16/32 (sync
 * and async), as COPY and FILL packets on a stream.
 *
 * Device ranges must lie inside one allocation of the context (the
 * allocation table says); any other range is host memory, which the copy
 * engine reaches through a transient userptr BO over its pages (read-only
 * for a source). A host range the kmd will not wrap is MUSA_ERROR_INVALID_VALUE.
 * Copies touching pageable host memory complete before the call returns, as
 * CUDA's do, and their userptr BOs are released right after; device-only
 * async work returns at once. The synchronous forms run on the legacy stream
 * and wait for it.
 * May call: memory.c, bo.c, stream.c, context.c.
 */
#include <errno.h>
#include <stdint.h>

#include "umd.h"

enum umd_side {
	UMD_SIDE_ANY,     /* unified: device if in the allocation table */
	UMD_SIDE_DEVICE,
	UMD_SIDE_HOST,
};

struct umd_range {
	uint64_t addr;     /* device address to put in the packet */
	struct umd_bo bo;  /* transient userptr BO, handle 0 if none */
};

/* Resolves one side of a copy; a host range gets a userptr BO. */
static MUresult umd_range_get(MUcontext ctx, uint64_t p, size_t n, enum umd_side side,
			      int read_only, struct umd_range *out)
{
	struct umd_alloc_info ai;
	int ret;

	out->bo.handle = 0;
	if (side != UMD_SIDE_HOST && !umd_alloc_find(p, n, &ai)) {
		if (ai.ctx != ctx)
			return MUSA_ERROR_INVALID_VALUE;
		out->addr = p;
		return MUSA_SUCCESS;
	}
	if (side != UMD_SIDE_HOST && umd_module_var_range(ctx, p, n)) {
		out->addr = p;  /* a module variable: the kmd maps its data range */
		return MUSA_SUCCESS;
	}
	if (side == UMD_SIDE_DEVICE)
		return MUSA_ERROR_INVALID_VALUE;
	ret = umd_bo_userptr(ctx, (const void *)(uintptr_t)p, n, read_only, &out->bo, &out->addr);
	if (ret) {
		umd_log("host range 0x%llx+%zu not usable: errno %d", (unsigned long long)p, n, -ret);
		return ret == -ENOMEM ? MUSA_ERROR_OUT_OF_MEMORY : MUSA_ERROR_INVALID_VALUE;
	}
	return MUSA_SUCCESS;
}

/* Enters the current context and resolves the stream an operation runs on. */
static MUresult umd_op_begin(MUstream h, MUcontext *ctx, struct MUstream_st **st)
{
	MUresult r = umd_ctx_enter(ctx);

	return r ? r : umd_stream_resolve(*ctx, h, st);
}

static MUresult umd_copy(MUstream h, int sync, uint64_t dst, enum umd_side dside,
			 uint64_t src, enum umd_side sside, size_t n)
{
	struct umd_range d = { 0 }, s = { 0 };
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_COPY };
	struct MUstream_st *st;
	MUcontext ctx;
	uint64_t point;
	MUresult r;

	r = umd_op_begin(h, &ctx, &st);
	if (r)
		return r;
	if (!n)
		return MUSA_SUCCESS;
	if (!dst || !src || dst + n < dst || src + n < src)
		return MUSA_ERROR_INVALID_VALUE;
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
	return r;
}

#define U(p) ((uint64_t)(uintptr_t)(p))

UMD_API MUresult muMemcpy(MUdeviceptr dst, MUdeviceptr src, size_t ByteCount)
{
	return umd_copy(NULL, 1, dst, UMD_SIDE_ANY, src, UMD_SIDE_ANY, ByteCount);
}

UMD_API MUresult muMemcpyAsync(MUdeviceptr dst, MUdeviceptr src, size_t ByteCount, MUstream hStream)
{
	return umd_copy(hStream, 0, dst, UMD_SIDE_ANY, src, UMD_SIDE_ANY, ByteCount);
}

UMD_API MUresult muMemcpyHtoD(MUdeviceptr dstDevice, const void *srcHost, size_t ByteCount)
{
	return umd_copy(NULL, 1, dstDevice, UMD_SIDE_DEVICE, U(srcHost), UMD_SIDE_ANY, ByteCount);
}

UMD_API MUresult muMemcpyHtoDAsync(MUdeviceptr dstDevice, const void *srcHost, size_t ByteCount,
				   MUstream hStream)
{
	return umd_copy(hStream, 0, dstDevice, UMD_SIDE_DEVICE, U(srcHost), UMD_SIDE_ANY, ByteCount);
}

UMD_API MUresult muMemcpyDtoH(void *dstHost, MUdeviceptr srcDevice, size_t ByteCount)
{
	return umd_copy(NULL, 1, U(dstHost), UMD_SIDE_ANY, srcDevice, UMD_SIDE_DEVICE, ByteCount);
}

UMD_API MUresult muMemcpyDtoHAsync(void *dstHost, MUdeviceptr srcDevice, size_t ByteCount,
				   MUstream hStream)
{
	return umd_copy(hStream, 0, U(dstHost), UMD_SIDE_ANY, srcDevice, UMD_SIDE_DEVICE, ByteCount);
}

UMD_API MUresult muMemcpyDtoD(MUdeviceptr dstDevice, MUdeviceptr srcDevice, size_t ByteCount)
{
	return umd_copy(NULL, 1, dstDevice, UMD_SIDE_DEVICE, srcDevice, UMD_SIDE_DEVICE, ByteCount);
}

UMD_API MUresult muMemcpyDtoDAsync(MUdeviceptr dstDevice, MUdeviceptr srcDevice, size_t ByteCount,
				   MUstream hStream)
{
	return umd_copy(hStream, 0, dstDevice, UMD_SIDE_DEVICE, srcDevice, UMD_SIDE_DEVICE, ByteCount);
}

static MUresult umd_fill(MUstream h, int sync, MUdeviceptr dst, uint32_t value,
			 unsigned int elem, size_t count)
{
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_FILL };
	struct umd_alloc_info ai;
	struct MUstream_st *st;
	MUcontext ctx;
	uint64_t point;
	MUresult r;

	r = umd_op_begin(h, &ctx, &st);
	if (r)
		return r;
	if (!count)
		return MUSA_SUCCESS;
	if (dst % elem || count > SIZE_MAX / elem)
		return MUSA_ERROR_INVALID_VALUE;
	if ((umd_alloc_find(dst, count * elem, &ai) || ai.ctx != ctx) &&
	    !umd_module_var_range(ctx, dst, count * elem))
		return MUSA_ERROR_INVALID_VALUE;
	p.fill.dst = dst;
	p.fill.count = count;
	p.fill.value = value;
	p.fill.elem_size = elem;
	r = umd_stream_submit(st, &p, 1, &point);
	if (r || !sync)
		return r;
	r = umd_wait_point(ctx, st->syncobj, point);
	return r ? r : umd_ctx_check_fault(ctx);
}

UMD_API MUresult muMemsetD8(MUdeviceptr dstDevice, unsigned char uc, size_t N)
{
	return umd_fill(NULL, 1, dstDevice, uc, 1, N);
}

UMD_API MUresult muMemsetD16(MUdeviceptr dstDevice, unsigned short us, size_t N)
{
	return umd_fill(NULL, 1, dstDevice, us, 2, N);
}

UMD_API MUresult muMemsetD32(MUdeviceptr dstDevice, unsigned int ui, size_t N)
{
	return umd_fill(NULL, 1, dstDevice, ui, 4, N);
}

UMD_API MUresult muMemsetD8Async(MUdeviceptr dstDevice, unsigned char uc, size_t N, MUstream hStream)
{
	return umd_fill(hStream, 0, dstDevice, uc, 1, N);
}

UMD_API MUresult muMemsetD16Async(MUdeviceptr dstDevice, unsigned short us, size_t N,
				  MUstream hStream)
{
	return umd_fill(hStream, 0, dstDevice, us, 2, N);
}

UMD_API MUresult muMemsetD32Async(MUdeviceptr dstDevice, unsigned int ui, size_t N,
				  MUstream hStream)
{
	return umd_fill(hStream, 0, dstDevice, ui, 4, N);
}
