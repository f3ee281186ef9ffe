/* SPDX-License-Identifier: MIT */
/*
 * mem_2d.c - pitched memory and 2-D operations: muMemAllocPitch,
 * muMemcpy2D(Async, Unaligned) with MUSA_MEMCPY2D, muMemsetD2D8/16/32
 * (Async). A 2-D copy is one COPY packet with both pitches; a 2-D fill is
 * one FILL packet per row (one packet when the rows are contiguous). Also
 * the managed-memory hints muMemPrefetchAsync and muMemAdvise. An array
 * side (MU_MEMORYTYPE_ARRAY) is its device memory with the array's pitch
 * (tex.h); muMemcpy3D(Async) runs one 2-D copy per slice.
 * May call: copy.c, memory.c, stream.c, device.c, array.c.
 */
#include <stdint.h>
#include <string.h>

#include "musa_log.h"
#include "tex.h"

/* Pitch alignment of muMemAllocPitch: the device's texture alignment. */
#define UMD_PITCH_ALIGN 512u

static MUresult umd_alloc_pitch_on(MUcontext ctx, MUdeviceptr *dptr, size_t *pPitch,
				   size_t WidthInBytes, size_t Height,
				   unsigned int ElementSizeBytes)
{
	MUresult r;
	size_t pitch;

	CHECK(!dptr || !pPitch || !WidthInBytes || !Height ||
	      (ElementSizeBytes != 4 && ElementSizeBytes != 8 && ElementSizeBytes != 16),
	      MUSA_ERROR_INVALID_VALUE);
	if (WidthInBytes > SIZE_MAX - UMD_PITCH_ALIGN)
		return MUSA_ERROR_OUT_OF_MEMORY;
	pitch = (WidthInBytes + UMD_PITCH_ALIGN - 1) & ~(size_t)(UMD_PITCH_ALIGN - 1);
	if (Height > SIZE_MAX / pitch)
		return MUSA_ERROR_OUT_OF_MEMORY;
	r = umd_mem_alloc_kind(ctx, pitch * Height, UMD_MEM_DEVICE, 0, NULL, dptr);
	if (!r)
		*pPitch = pitch;
	return r;
}

UMD_API MUresult muMemAllocPitch(MUdeviceptr *dptr, size_t *pPitch, size_t WidthInBytes,
				 size_t Height, unsigned int ElementSizeBytes)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_alloc_pitch_on(ctx, dptr, pPitch, WidthInBytes, Height,
				     ElementSizeBytes));
}

/* Bytes a 2-D region spans from its first byte; 0 on overflow. */
static size_t umd_extent(size_t pitch, size_t width, size_t height)
{
	if (height - 1 > (SIZE_MAX - width) / (pitch ? pitch : 1))
		return 0;
	return (height - 1) * pitch + width;
}

/* One side of a 2-D copy: its first byte and where it lives. */
static MUresult umd_2d_side(MUmemorytype type, const void *host, MUdeviceptr dev,
			    MUarray array, size_t x, size_t y, size_t pitch,
			    uint64_t *addr, enum umd_side *side)
{
	uint64_t base;

	switch ((int)type) {
	case MU_MEMORYTYPE_HOST:
		base = (uint64_t)(uintptr_t)host;
		*side = UMD_SIDE_HOST;
		break;
	case MU_MEMORYTYPE_DEVICE:
		base = dev;
		*side = UMD_SIDE_DEVICE;
		break;
	case MU_MEMORYTYPE_UNIFIED:
		base = dev;
		*side = UMD_SIDE_ANY;
		break;
	default:  /* arrays are resolved to device memory by umd_2d_array */
		(void)array;
		return MUSA_ERROR_INVALID_VALUE;
	}
	CHECK(!base || (y && pitch > (UINT64_MAX - x) / y), MUSA_ERROR_INVALID_VALUE);
	*addr = base + y * pitch + x;
	return *addr < base ? MUSA_ERROR_INVALID_VALUE : MUSA_SUCCESS;
}

/* An array side as device memory: the array's base and pitch; the region
 * (x bytes from the row start, rows y .. y + height) must lie inside its
 * height * depth rows, x a multiple of the element size. */
static MUresult umd_2d_array(MUmemorytype *type, MUarray array, MUdeviceptr *dev, size_t *pitch,
			     size_t x, size_t y, size_t width, size_t height)
{
	struct MUarray_st *a;

	if (*type != MU_MEMORYTYPE_ARRAY)
		return MUSA_SUCCESS;
	CHECK(!array, MUSA_ERROR_INVALID_VALUE);
	a = umd_array_get(array);
	CHECK(!a, MUSA_ERROR_INVALID_HANDLE);
	CHECK(x % a->elem || x > a->pitch || width > a->pitch - x ||
	      y > a->height * a->depth || height > a->height * a->depth - y,
	      MUSA_ERROR_INVALID_VALUE);
	*type = MU_MEMORYTYPE_DEVICE;
	*dev = a->base;
	*pitch = a->pitch;
	return MUSA_SUCCESS;
}

static MUresult umd_copy2d_on(MUcontext ctx, struct MUstream_st *st, const MUSA_MEMCPY2D *cp,
			      int sync)
{
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_COPY };
	struct umd_range rg[2] = { 0 };
	enum umd_side sside, dside;
	uint64_t src, dst;
	size_t sext, dext;
	MUSA_MEMCPY2D cc;
	const MUSA_MEMCPY2D *c = &cc;
	MUresult r;

	CHECK(!cp, MUSA_ERROR_INVALID_VALUE);
	if (!cp->WidthInBytes || !cp->Height)
		return MUSA_SUCCESS;
	cc = *cp;
	r = umd_2d_array(&cc.srcMemoryType, cc.srcArray, &cc.srcDevice, &cc.srcPitch,
			 cc.srcXInBytes, cc.srcY, cc.WidthInBytes, cc.Height);
	if (!r)
		r = umd_2d_array(&cc.dstMemoryType, cc.dstArray, &cc.dstDevice, &cc.dstPitch,
				 cc.dstXInBytes, cc.dstY, cc.WidthInBytes, cc.Height);
	if (r)
		return r;
	CHECK((c->Height > 1 && (c->srcPitch < c->WidthInBytes || c->dstPitch < c->WidthInBytes)),
	      MUSA_ERROR_INVALID_VALUE);
	r = umd_2d_side(c->srcMemoryType, c->srcHost, c->srcDevice, c->srcArray, c->srcXInBytes,
			c->srcY, c->srcPitch, &src, &sside);
	if (!r)
		r = umd_2d_side(c->dstMemoryType, c->dstHost, c->dstDevice, c->dstArray,
				c->dstXInBytes, c->dstY, c->dstPitch, &dst, &dside);
	if (r)
		return r;
	sext = umd_extent(c->srcPitch, c->WidthInBytes, c->Height);
	dext = umd_extent(c->dstPitch, c->WidthInBytes, c->Height);
	CHECK(!sext || !dext || src + sext < src || dst + dext < dst, MUSA_ERROR_INVALID_VALUE);
	if (!sync) {
		/* graphs: a capturing stream records the copy as a graph node */
		MUSA_MEMCPY3D c3 = {
			.srcXInBytes = c->srcXInBytes, .srcY = c->srcY,
			.srcMemoryType = c->srcMemoryType, .srcHost = c->srcHost,
			.srcDevice = c->srcDevice, .srcPitch = c->srcPitch,
			.dstXInBytes = c->dstXInBytes, .dstY = c->dstY,
			.dstMemoryType = c->dstMemoryType, .dstHost = c->dstHost,
			.dstDevice = c->dstDevice, .dstPitch = c->dstPitch,
			.WidthInBytes = c->WidthInBytes, .Height = c->Height, .Depth = 1,
		};

		if (umd_capture_memcpy3d(st, &c3, &r))
			return r;
	}
	r = umd_range_get(ctx, src, sext, sside, 1, &rg[0]);
	if (r)
		return r;
	r = umd_range_get(ctx, dst, dext, dside, 0, &rg[1]);
	if (r) {
		umd_range_put(ctx, &rg[0]);
		return r;
	}
	p.copy.src = rg[0].addr;
	p.copy.dst = rg[1].addr;
	p.copy.width = c->WidthInBytes;
	p.copy.height = c->Height;
	p.copy.src_pitch = c->Height > 1 ? c->srcPitch : c->WidthInBytes;
	p.copy.dst_pitch = c->Height > 1 ? c->dstPitch : c->WidthInBytes;
	return umd_op_finish(ctx, st, &p, 1, sync, rg, 2);
}

static MUresult umd_copy2d(const MUSA_MEMCPY2D *cp, MUstream h, int sync)
{
	struct MUstream_st *st;
	MUcontext ctx;
	MUresult r = umd_op_begin(h, &ctx, &st);

	if (r)
		return r;
	r = umd_copy2d_on(ctx, st, cp, sync);
	umd_stream_put(st);
	return r;
}

UMD_API MUresult muMemcpy2D(const MUSA_MEMCPY2D *pCopy)
{
	return umd_copy2d(pCopy, NULL, 1);
}

UMD_API MUresult muMemcpy2DUnaligned(const MUSA_MEMCPY2D *pCopy)
{
	return umd_copy2d(pCopy, NULL, 1);
}

UMD_API MUresult muMemcpy2DAsync(const MUSA_MEMCPY2D *pCopy, MUstream hStream)
{
	return umd_copy2d(pCopy, hStream, 0);
}

/* One side of a 3-D copy at slice z, as a 2-D copy side: linear memory
 * moves by whole slices (pitch * height), an array by height rows. */
static MUresult umd_3d_side(MUmemorytype type, const void *host, MUdeviceptr dev, MUarray array,
			    size_t pitch, size_t height, size_t z, size_t y, size_t rows,
			    const void **host_z, MUdeviceptr *dev_z, size_t *y_z)
{
	struct MUarray_st *a;
	uint64_t step;

	*host_z = host;
	*dev_z = dev;
	*y_z = y;
	if (type == MU_MEMORYTYPE_ARRAY) {
		CHECK(!array, MUSA_ERROR_INVALID_VALUE);
		a = umd_array_get(array);
		CHECK(!a, MUSA_ERROR_INVALID_HANDLE);
		CHECK(z >= a->depth || y > a->height || rows > a->height - y,
		      MUSA_ERROR_INVALID_VALUE);
		*y_z = z * a->height + y;
		return MUSA_SUCCESS;
	}
	if (!z)
		return MUSA_SUCCESS;
	CHECK(!height || (pitch && height > UINT64_MAX / pitch) ||
	      (pitch * height != 0 && z > UINT64_MAX / (pitch * height)), MUSA_ERROR_INVALID_VALUE);
	step = (uint64_t)z * pitch * height;
	if (type == MU_MEMORYTYPE_HOST)
		*host_z = (const char *)host + step;
	else
		*dev_z = dev + step;
	return MUSA_SUCCESS;
}

static MUresult umd_copy3d(const MUSA_MEMCPY3D *p, MUstream h, int async)
{
	MUSA_MEMCPY2D c;
	MUresult r = umd_ctx_ready();

	if (r)
		return r;
	CHECK(!p || p->srcLOD || p->dstLOD || p->reserved0 || p->reserved1,
	      MUSA_ERROR_INVALID_VALUE);
	if (!p->WidthInBytes || !p->Height || !p->Depth)
		return MUSA_SUCCESS;
	for (size_t z = 0; z < p->Depth; z++) {
		const void *sh, *dh;
		MUdeviceptr sd, dd;
		size_t sy, dy;

		r = umd_3d_side(p->srcMemoryType, p->srcHost, p->srcDevice, p->srcArray,
				p->srcPitch, p->srcHeight, p->srcZ + z, p->srcY, p->Height,
				&sh, &sd, &sy);
		if (!r)
			r = umd_3d_side(p->dstMemoryType, p->dstHost, p->dstDevice, p->dstArray,
					p->dstPitch, p->dstHeight, p->dstZ + z, p->dstY, p->Height,
					&dh, &dd, &dy);
		if (r)
			return r;
		memset(&c, 0, sizeof(c));
		c.srcXInBytes = p->srcXInBytes;
		c.srcY = sy;
		c.srcMemoryType = p->srcMemoryType;
		c.srcHost = sh;
		c.srcDevice = sd;
		c.srcArray = p->srcArray;
		c.srcPitch = p->srcPitch;
		c.dstXInBytes = p->dstXInBytes;
		c.dstY = dy;
		c.dstMemoryType = p->dstMemoryType;
		c.dstHost = (void *)dh;
		c.dstDevice = dd;
		c.dstArray = p->dstArray;
		c.dstPitch = p->dstPitch;
		c.WidthInBytes = p->WidthInBytes;
		c.Height = p->Height;
		r = umd_copy2d(&c, h, !async);
		if (r)
			return r;
	}
	return MUSA_SUCCESS;
}

UMD_API MUresult muMemcpy3D(const MUSA_MEMCPY3D *pCopy)
{
	return umd_copy3d(pCopy, NULL, 0);
}

UMD_API MUresult muMemcpy3DAsync(const MUSA_MEMCPY3D *pCopy, MUstream hStream)
{
	return umd_copy3d(pCopy, hStream, 1);
}

#define UMD_FILL_BATCH 256u

static MUresult umd_fill2d_on(MUcontext ctx, struct MUstream_st *st, int sync, MUdeviceptr dst,
			      size_t pitch, uint32_t value, unsigned int elem, size_t width,
			      size_t height)
{
	struct drm_musa_packet p[UMD_FILL_BATCH];
	struct umd_mem_info mi;
	struct umd_range rg;
	size_t row, ext, rows_done = 0;
	MUresult r;

	if (!width || !height)
		return MUSA_SUCCESS;
	CHECK(width > SIZE_MAX / elem, MUSA_ERROR_INVALID_VALUE);
	row = width * elem;
	CHECK(dst % elem || (height > 1 && (pitch < row || pitch % elem)),
	      MUSA_ERROR_INVALID_VALUE);
	ext = umd_extent(pitch, row, height);
	CHECK(!ext || umd_mem_lookup(dst, ext, &mi), MUSA_ERROR_INVALID_VALUE);
	if (!sync) {
		/* graphs: a capturing stream records the fill as a graph node */
		MUSA_MEMSET_NODE_PARAMS mp = {
			.dst = dst, .pitch = height > 1 ? pitch : row, .value = value,
			.elementSize = elem, .width = width, .height = height,
		};

		if (umd_capture_memset(st, &mp, &r))
			return r;
	}
	if (height == 1 || pitch == row) {
		row = ext;
		height = 1;
	}
	while (rows_done < height) {
		unsigned int n = 0;

		r = umd_range_get(ctx, dst + rows_done * pitch, umd_extent(pitch, row,
				  height - rows_done < UMD_FILL_BATCH ? height - rows_done :
				  UMD_FILL_BATCH), UMD_SIDE_DEVICE, 0, &rg);
		if (r)
			return r;
		for (; n < UMD_FILL_BATCH && rows_done < height; n++, rows_done++) {
			p[n] = (struct drm_musa_packet){ .type = DRM_MUSA_PKT_FILL };
			p[n].fill.dst = rg.addr + (uint64_t)n * pitch;
			p[n].fill.count = row / elem;
			p[n].fill.value = value;
			p[n].fill.elem_size = elem;
		}
		r = umd_op_finish(ctx, st, p, n, sync && rows_done == height, &rg, 1);
		if (r)
			return r;
	}
	return MUSA_SUCCESS;
}

static MUresult umd_fill2d(MUstream h, int sync, MUdeviceptr dst, size_t pitch, uint32_t value,
			   unsigned int elem, size_t width, size_t height)
{
	struct MUstream_st *st;
	MUcontext ctx;
	MUresult r = umd_op_begin(h, &ctx, &st);

	if (r)
		return r;
	r = umd_fill2d_on(ctx, st, sync, dst, pitch, value, elem, width, height);
	umd_stream_put(st);
	return r;
}

UMD_API MUresult muMemsetD2D8(MUdeviceptr dstDevice, size_t dstPitch, unsigned char uc,
			      size_t Width, size_t Height)
{
	return umd_fill2d(NULL, 1, dstDevice, dstPitch, uc, 1, Width, Height);
}

UMD_API MUresult muMemsetD2D16(MUdeviceptr dstDevice, size_t dstPitch, unsigned short us,
			       size_t Width, size_t Height)
{
	return umd_fill2d(NULL, 1, dstDevice, dstPitch, us, 2, Width, Height);
}

UMD_API MUresult muMemsetD2D32(MUdeviceptr dstDevice, size_t dstPitch, unsigned int ui,
			       size_t Width, size_t Height)
{
	return umd_fill2d(NULL, 1, dstDevice, dstPitch, ui, 4, Width, Height);
}

UMD_API MUresult muMemsetD2D8Async(MUdeviceptr dstDevice, size_t dstPitch, unsigned char uc,
				   size_t Width, size_t Height, MUstream hStream)
{
	return umd_fill2d(hStream, 0, dstDevice, dstPitch, uc, 1, Width, Height);
}

UMD_API MUresult muMemsetD2D16Async(MUdeviceptr dstDevice, size_t dstPitch, unsigned short us,
				    size_t Width, size_t Height, MUstream hStream)
{
	return umd_fill2d(hStream, 0, dstDevice, dstPitch, us, 2, Width, Height);
}

UMD_API MUresult muMemsetD2D32Async(MUdeviceptr dstDevice, size_t dstPitch, unsigned int ui,
				    size_t Width, size_t Height, MUstream hStream)
{
	return umd_fill2d(hStream, 0, dstDevice, dstPitch, ui, 4, Width, Height);
}

/* Managed-memory hints. */

/* The range must lie in one managed allocation. */
static MUresult umd_managed_range(MUdeviceptr p, size_t count)
{
	struct umd_mem_info mi;

	CHECK(!p || !count || umd_mem_lookup(p, count, &mi) || mi.kind != UMD_MEM_MANAGED,
	      MUSA_ERROR_INVALID_VALUE);
	return MUSA_SUCCESS;
}

UMD_API MUresult muMemPrefetchAsync(MUdeviceptr devPtr, size_t count, MUdevice dstDevice,
				    MUstream hStream)
{
	struct umd_dev *d;
	struct MUstream_st *st;
	MUcontext ctx;
	MUresult r = umd_op_begin(hStream, &ctx, &st);

	if (r)
		return r;
	umd_stream_put(st);
	r = umd_managed_range(devPtr, count);
	if (r)
		return r;
	if (dstDevice != MU_DEVICE_CPU && umd_dev_get(dstDevice, &d))
		return MUSA_ERROR_INVALID_DEVICE;
	return MUSA_SUCCESS;  /* one copy of the pages serves every device */
}

UMD_API MUresult muMemAdvise(MUdeviceptr devPtr, size_t count, MUmem_advise advice,
			     MUdevice device)
{
	struct umd_dev *d;
	MUresult r = umd_ctx_ready();

	if (r)
		return r;
	CHECK((int)advice < MU_MEM_ADVISE_SET_READ_MOSTLY ||
	      (int)advice > MU_MEM_ADVISE_UNSET_ACCESSED_BY, MUSA_ERROR_INVALID_VALUE);
	r = umd_managed_range(devPtr, count);
	if (r)
		return r;
	/* The read-mostly advice ignores the device; the others need one. */
	if (advice != MU_MEM_ADVISE_SET_READ_MOSTLY && advice != MU_MEM_ADVISE_UNSET_READ_MOSTLY &&
	    device != MU_DEVICE_CPU && umd_dev_get(device, &d))
		return MUSA_ERROR_INVALID_DEVICE;
	return MUSA_SUCCESS;
}
