/* SPDX-License-Identifier: MIT */
/*
 * mem_2d.c - pitched memory through the runtime: musaMallocPitch,
 * musaMemcpy2D(Async), musaMemset2D(Async) and the 3-D forms on linear
 * memory (musaMalloc3D, musaMemset3D(Async), musaMemcpy3D(Async)), which run
 * one 2-D operation per slice. The pitch is the width rounded up to the
 * texture pitch alignment (512 bytes), which muMemAllocPitch applies.
 * Copies with an array side are array.c's.
 * Calls memory.c (rt_mem_alloc, rt_mem_sides), array.c, device.c, stream.c
 * and the driver's muMemcpy2D(Async), muMemsetD2D8(Async).
 */
#include "rt.h"

MUSART_API musaError_t musaMallocPitch(void **devPtr, size_t *pitch, size_t width, size_t height)
{
	CHECK(!devPtr || !pitch, rt_ret(musaErrorInvalidValue));
	return rt_ret(rt_mem_alloc(devPtr, pitch, width, height));
}

static musaError_t rt_copy2d(void *dst, size_t dpitch, const void *src, size_t spitch,
                             size_t width, size_t height, enum musaMemcpyKind kind,
                             musaStream_t stream, int async)
{
	MUSA_MEMCPY2D c = { 0 };
	MUstream s = NULL;
	MUresult r;
	int dev;
	musaError_t e;

	if ((unsigned int)kind > (unsigned int)musaMemcpyDefault)
		return musaErrorInvalidMemcpyDirection;
	e = rt_cur_enter_stream(stream, async, &dev, &s);
	if (e != musaSuccess)
		return e;
	if (!width || !height)
		return musaSuccess;
	if (dpitch < width || spitch < width)
		return musaErrorInvalidPitchValue;
	CHECK(!dst || !src, musaErrorInvalidValue);
	e = rt_mem_sides(dst, src, &kind, &c.dstMemoryType, &c.srcMemoryType);
	if (e != musaSuccess)
		return e;
	c.srcHost = src;
	c.srcDevice = (MUdeviceptr)(uintptr_t)src;
	c.srcPitch = spitch;
	c.dstHost = dst;
	c.dstDevice = (MUdeviceptr)(uintptr_t)dst;
	c.dstPitch = dpitch;
	c.WidthInBytes = width;
	c.Height = height;
	r = async ? muMemcpy2DAsync(&c, s) : muMemcpy2D(&c);
	return rt_dev_result(dev, r);
}

MUSART_API musaError_t musaMemcpy2D(void *dst, size_t dpitch, const void *src, size_t spitch,
                                    size_t width, size_t height, enum musaMemcpyKind kind)
{
	return rt_ret(rt_copy2d(dst, dpitch, src, spitch, width, height, kind, NULL, 0));
}

MUSART_API musaError_t musaMemcpy2DAsync(void *dst, size_t dpitch, const void *src, size_t spitch,
                                         size_t width, size_t height, enum musaMemcpyKind kind,
                                         musaStream_t stream)
{
	return rt_ret(rt_copy2d(dst, dpitch, src, spitch, width, height, kind, stream, 1));
}

static musaError_t rt_set2d(void *devPtr, size_t pitch, int value, size_t width, size_t height,
                            musaStream_t stream, int async)
{
	MUdeviceptr p = (MUdeviceptr)(uintptr_t)devPtr;
	MUstream s;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter_stream(stream, async, &dev, &s);

	if (e != musaSuccess)
		return e;
	if (!width || !height)
		return musaSuccess;
	if (height > 1 && pitch < width)
		return musaErrorInvalidPitchValue;
	CHECK(!rt_mem_is_device(devPtr), musaErrorInvalidValue);
	r = async ? muMemsetD2D8Async(p, pitch, (unsigned char)value, width, height, s)
	          : muMemsetD2D8(p, pitch, (unsigned char)value, width, height);
	return rt_dev_result(dev, r);
}

MUSART_API musaError_t musaMemset2D(void *devPtr, size_t pitch, int value, size_t width,
                                    size_t height)
{
	return rt_ret(rt_set2d(devPtr, pitch, value, width, height, NULL, 0));
}

MUSART_API musaError_t musaMemset2DAsync(void *devPtr, size_t pitch, int value, size_t width,
                                         size_t height, musaStream_t stream)
{
	return rt_ret(rt_set2d(devPtr, pitch, value, width, height, stream, 1));
}

/* 3-D on linear memory */

MUSART_API musaError_t musaMalloc3D(struct musaPitchedPtr *pitchedDevPtr, struct musaExtent extent)
{
	size_t pitch = 0;
	void *p = NULL;
	musaError_t e;

	CHECK(!pitchedDevPtr, rt_ret(musaErrorInvalidValue));
	if (extent.height && extent.depth > SIZE_MAX / extent.height)
		return rt_ret(musaErrorMemoryAllocation);
	e = musaMallocPitch(&p, &pitch, extent.width, extent.height * extent.depth);
	if (e != musaSuccess)
		return e;
	*pitchedDevPtr = make_musaPitchedPtr(p, pitch, extent.width, extent.height);
	return rt_ret(musaSuccess);
}

static musaError_t rt_set3d(struct musaPitchedPtr pp, int value, struct musaExtent ext,
                            musaStream_t stream, int async)
{
	size_t slice;
	musaError_t e;

	if (!ext.width || !ext.height || !ext.depth) {
		int dev;

		return rt_cur_enter(&dev);
	}
	CHECK(ext.width > pp.pitch || (ext.depth > 1 && ext.height > pp.ysize),
	      musaErrorInvalidValue);
	CHECK(pp.ysize && pp.pitch > SIZE_MAX / pp.ysize, musaErrorInvalidValue);
	slice = pp.pitch * pp.ysize;
	for (size_t z = 0; z < ext.depth; z++) {
		e = rt_set2d((char *)pp.ptr + z * slice, pp.pitch, value, ext.width, ext.height,
		             stream, async);
		if (e != musaSuccess)
			return e;
	}
	return musaSuccess;
}

MUSART_API musaError_t musaMemset3D(struct musaPitchedPtr pitchedDevPtr, int value,
                                    struct musaExtent extent)
{
	return rt_ret(rt_set3d(pitchedDevPtr, value, extent, NULL, 0));
}

MUSART_API musaError_t musaMemset3DAsync(struct musaPitchedPtr pitchedDevPtr, int value,
                                         struct musaExtent extent, musaStream_t stream)
{
	return rt_ret(rt_set3d(pitchedDevPtr, value, extent, stream, 1));
}

/* Address of (x, y, z) in a pitched region. */
static char *rt_at(const struct musaPitchedPtr *p, const struct musaPos *pos, size_t z)
{
	return (char *)p->ptr + (pos->z + z) * p->pitch * p->ysize + pos->y * p->pitch + pos->x;
}

static musaError_t rt_copy3d(const struct musaMemcpy3DParms *p, musaStream_t stream, int async)
{
	const struct musaExtent *ext;
	musaError_t e;

	CHECK(!p, musaErrorInvalidValue);
	ext = &p->extent;
	if (p->srcArray || p->dstArray)
		return rt_array_copy3d(p, stream, async);  /* array.c */
	CHECK(!p->srcPtr.ptr || !p->dstPtr.ptr, musaErrorInvalidValue);
	if ((unsigned int)p->kind > (unsigned int)musaMemcpyDefault)
		return musaErrorInvalidMemcpyDirection;
	CHECK(ext->depth > 1 && (!p->srcPtr.ysize || !p->dstPtr.ysize ||
				   p->srcPos.y + ext->height > p->srcPtr.ysize ||
				   p->dstPos.y + ext->height > p->dstPtr.ysize),
	      musaErrorInvalidValue);
	if (!ext->depth || !ext->height || !ext->width) {
		int dev;

		return rt_cur_enter(&dev);
	}
	for (size_t z = 0; z < ext->depth; z++) {
		e = rt_copy2d(rt_at(&p->dstPtr, &p->dstPos, z), p->dstPtr.pitch,
		              rt_at(&p->srcPtr, &p->srcPos, z), p->srcPtr.pitch,
		              ext->width, ext->height, p->kind, stream, async);
		if (e != musaSuccess)
			return e;
	}
	return musaSuccess;
}

MUSART_API musaError_t musaMemcpy3D(const struct musaMemcpy3DParms *p)
{
	return rt_ret(rt_copy3d(p, NULL, 0));
}

MUSART_API musaError_t musaMemcpy3DAsync(const struct musaMemcpy3DParms *p, musaStream_t stream)
{
	return rt_ret(rt_copy3d(p, stream, 1));
}
