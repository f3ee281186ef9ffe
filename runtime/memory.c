/* SPDX-License-Identifier: MIT */
/*
 * memory.c - device memory through the runtime: allocation, copies in every
 * musaMemcpyKind (the direction is checked against what the driver says the
 * pointers are), and memset. Ranges are checked against the allocation
 * before the driver sees them; pinned and managed memory may stand on
 * either side of a copy, and device pointers of any device are accepted
 * (unified addressing). Calls the driver's memory functions,
 * device.c and stream.c. Every copy, host-to-host included, goes through
 * the driver, which turns a bad host pointer into an error, not a crash.
 */

#include <stdlib.h>
#include <string.h>

#include "rt.h"

musaError_t rt_mem_alloc(void **devPtr, size_t *pitch, size_t width, size_t height)
{
	MUdeviceptr d = 0;
	size_t p = 0;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return e;
	if (width && height) {
		r = pitch ? muMemAllocPitch(&d, &p, width, height, 4) : muMemAlloc(&d, width);
		if (r != MUSA_SUCCESS)
			return rt_dev_result(dev, r);
	}
	*devPtr = (void *)(uintptr_t)d;
	if (pitch)
		*pitch = p;
	return musaSuccess;
}

MUSART_API musaError_t musaMalloc(void **devPtr, size_t size)
{
	CHECK(!devPtr, rt_ret(musaErrorInvalidValue));
	return rt_ret(rt_mem_alloc(devPtr, NULL, size, 1));
}

MUSART_API musaError_t musaFree(void *devPtr)
{
	MUresult r;
	int dev;
	/* musaFree(NULL) is the idiom that sets up the context, so enter first. */
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess || !devPtr)
		return rt_ret(e);
	r = muMemFree((MUdeviceptr)(uintptr_t)devPtr);
	if (r == MUSA_SUCCESS || rt_err_is_fault(r))
		return rt_ret(rt_dev_result(dev, r));
	/* Whatever the driver's reason, a pointer it will not free is not one
	 * musaMalloc returned. */
	return rt_ret(musaErrorInvalidValue);
}

MUSART_API musaError_t musaMemGetInfo(size_t *free, size_t *total)
{
	size_t f, t;
	MUresult r;
	int dev;
	musaError_t e;

	CHECK(!free || !total, rt_ret(musaErrorInvalidValue));
	e = rt_cur_enter(&dev);
	if (e != musaSuccess)
		return rt_ret(e);
	r = muMemGetInfo(&f, &t);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_dev_result(dev, r));
	*free = f;
	*total = t;
	return rt_ret(musaSuccess);
}

/* What the driver knows of a pointer. */
enum rt_ptr_kind {
	RT_PTR_HOST = 0,     /* not known to the driver: pageable host memory */
	RT_PTR_PINNED,       /* page-locked host memory: host and device side */
	RT_PTR_DEVICE,
	RT_PTR_MANAGED,      /* host and device side */
};

static enum rt_ptr_kind rt_ptr_kind(const void *p)
{
	MUdeviceptr d = (MUdeviceptr)(uintptr_t)p;
	unsigned int type = 0;
	int managed = 0;

	if (!p || muPointerGetAttribute(&type, MU_POINTER_ATTRIBUTE_MEMORY_TYPE, d) != MUSA_SUCCESS)
		return RT_PTR_HOST;
	if (type == MU_MEMORYTYPE_HOST)
		return RT_PTR_PINNED;
	if (muPointerGetAttribute(&managed, MU_POINTER_ATTRIBUTE_IS_MANAGED, d) == MUSA_SUCCESS &&
	    managed)
		return RT_PTR_MANAGED;
	return RT_PTR_DEVICE;
}

static int rt_ptr_is_device(const void *p)
{
	return rt_ptr_kind(p) != RT_PTR_HOST;
}

/* [p, p + count) must lie inside one allocation the driver knows (of any
 * device: addresses are unified). */
/* Whether MUSA_MEMCHECK=1 (the driver reads and checks it too). */
static int rt_memcheck_on(void)
{
	static int on = -1;

	if (on < 0) {
		const char *v = getenv("MUSA_MEMCHECK");

		on = v && !strcmp(v, "1");
	}
	return on;
}

static musaError_t rt_check_device_range(const void *p, size_t count)
{
	MUdeviceptr base, ptr = (MUdeviceptr)(uintptr_t)p;
	size_t size;

	CHECK(muPointerGetAttribute(&base, MU_POINTER_ATTRIBUTE_RANGE_START_ADDR, ptr) != MUSA_SUCCESS ||
	      muPointerGetAttribute(&size, MU_POINTER_ATTRIBUTE_RANGE_SIZE, ptr) != MUSA_SUCCESS,
	      musaErrorInvalidValue);
	CHECK(ptr < base || ptr - base > size || count > size - (size_t)(ptr - base),
	      musaErrorInvalidValue);
	return musaSuccess;
}

struct rt_copy {
	void *dst;
	const void *src;
	size_t count;
	MUstream stream;
	int async;
	int dev;
};

/* Host to host goes through the driver's unified copy, which takes two
 * host ranges too: it checks them and runs the copy in stream order, so a
 * bad host pointer is an error. */
MUresult rt_mem_copy_driver(void *dst, const void *src, size_t count, enum musaMemcpyKind kind,
                            MUstream stream, int async)
{
	MUdeviceptr d = (MUdeviceptr)(uintptr_t)dst;
	MUdeviceptr s = (MUdeviceptr)(uintptr_t)src;

	switch (kind) {
	case musaMemcpyHostToDevice:
		return async ? muMemcpyHtoDAsync(d, src, count, stream) : muMemcpyHtoD(d, src, count);
	case musaMemcpyDeviceToHost:
		return async ? muMemcpyDtoHAsync(dst, s, count, stream) : muMemcpyDtoH(dst, s, count);
	case musaMemcpyDeviceToDevice:
		return async ? muMemcpyDtoDAsync(d, s, count, stream) : muMemcpyDtoD(d, s, count);
	default:
		return async ? muMemcpyAsync(d, s, count, stream) : muMemcpy(d, s, count);
	}
}

static musaError_t rt_copy_run(const struct rt_copy *c, enum musaMemcpyKind kind)
{
	return rt_dev_result(c->dev, rt_mem_copy_driver(c->dst, c->src, c->count, kind, c->stream,
	                                                c->async));
}

/* Per kind: where each side must live. */
static const struct {
	int dst_device;
	int src_device;
} rt_copy_kinds[] = {
	[musaMemcpyHostToHost]     = { 0, 0 },
	[musaMemcpyHostToDevice]   = { 1, 0 },
	[musaMemcpyDeviceToHost]   = { 0, 1 },
	[musaMemcpyDeviceToDevice] = { 1, 1 },
};

/* musaMemcpyDefault, indexed by [dst is device][src is device]. */
static const enum musaMemcpyKind rt_copy_infer[2][2] = {
	{ musaMemcpyHostToHost, musaMemcpyDeviceToHost },
	{ musaMemcpyHostToDevice, musaMemcpyDeviceToDevice },
};

/* Resolves musaMemcpyDefault from what the two sides are and checks each
 * side against the kind. Pinned and managed memory may stand on either
 * side of a copy. */
static musaError_t rt_copy_sides(enum rt_ptr_kind dk, enum rt_ptr_kind sk,
                                 enum musaMemcpyKind *kind)
{
	int dst_dev = dk == RT_PTR_DEVICE || dk == RT_PTR_MANAGED;
	int src_dev = sk == RT_PTR_DEVICE || sk == RT_PTR_MANAGED;

	if (*kind == musaMemcpyDefault)
		*kind = rt_copy_infer[dst_dev][src_dev];
	if (dk == RT_PTR_PINNED || dk == RT_PTR_MANAGED)
		dst_dev = rt_copy_kinds[*kind].dst_device;
	if (sk == RT_PTR_PINNED || sk == RT_PTR_MANAGED)
		src_dev = rt_copy_kinds[*kind].src_device;
	CHECK(dst_dev != rt_copy_kinds[*kind].dst_device || src_dev != rt_copy_kinds[*kind].src_device,
	      musaErrorInvalidValue);
	return musaSuccess;
}

static musaError_t rt_memcpy(void *dst, const void *src, size_t count,
                             enum musaMemcpyKind kind, musaStream_t stream, int async)
{
	struct rt_copy c = { .dst = dst, .src = src, .count = count, .async = async };
	enum rt_ptr_kind dk, sk;
	musaError_t e;

	if ((unsigned int)kind > (unsigned int)musaMemcpyDefault)
		return musaErrorInvalidMemcpyDirection;
	e = rt_cur_enter_stream(stream, async, &c.dev, &c.stream);
	if (e != musaSuccess)
		return e;
	if (count == 0)
		return musaSuccess;
	CHECK(!dst || !src, musaErrorInvalidValue);

	dk = rt_ptr_kind(dst);
	sk = rt_ptr_kind(src);
	e = rt_copy_sides(dk, sk, &kind);
	if (e != musaSuccess)
		return e;
	if ((dk != RT_PTR_HOST && (e = rt_check_device_range(dst, count)) != musaSuccess) ||
	    (sk != RT_PTR_HOST && (e = rt_check_device_range(src, count)) != musaSuccess)) {
		/* Under the memory checker the driver sees the bad range, reports
		 * it and refuses it as well: device sides are looked up before
		 * anything is queued. */
		if (rt_memcheck_on() && dk != RT_PTR_MANAGED && sk != RT_PTR_MANAGED &&
		    dk != RT_PTR_PINNED && sk != RT_PTR_PINNED)
			(void)rt_copy_run(&c, kind);
		return e;
	}
	if (dk == RT_PTR_PINNED || sk == RT_PTR_PINNED || dk == RT_PTR_MANAGED ||
	    sk == RT_PTR_MANAGED)  /* the unified copy takes any side */
		return rt_copy_run(&c, musaMemcpyHostToHost);
	return rt_copy_run(&c, kind);
}

MUSART_API musaError_t musaMemcpy(void *dst, const void *src, size_t count,
                                  enum musaMemcpyKind kind)
{
	return rt_ret(rt_memcpy(dst, src, count, kind, NULL, 0));
}

MUSART_API musaError_t musaMemcpyAsync(void *dst, const void *src, size_t count,
                                       enum musaMemcpyKind kind, musaStream_t stream)
{
	return rt_ret(rt_memcpy(dst, src, count, kind, stream, 1));
}

static musaError_t rt_memset(void *devPtr, int value, size_t count, musaStream_t stream,
                             int async)
{
	MUdeviceptr p = (MUdeviceptr)(uintptr_t)devPtr;
	MUstream s;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter_stream(stream, async, &dev, &s);

	if (e != musaSuccess)
		return e;
	if (count == 0)
		return musaSuccess;
	CHECK(!rt_ptr_is_device(devPtr), musaErrorInvalidValue);
	e = rt_check_device_range(devPtr, count);
	if (e != musaSuccess)
		return e;
	r = async ? muMemsetD8Async(p, (unsigned char)value, count, s)
	          : muMemsetD8(p, (unsigned char)value, count);
	return rt_dev_result(dev, r);
}

MUSART_API musaError_t musaMemset(void *devPtr, int value, size_t count)
{
	return rt_ret(rt_memset(devPtr, value, count, NULL, 0));
}

MUSART_API musaError_t musaMemsetAsync(void *devPtr, int value, size_t count,
                                       musaStream_t stream)
{
	return rt_ret(rt_memset(devPtr, value, count, stream, 1));
}

/* Shared with mem_2d.c */

musaError_t rt_mem_sides(const void *dst, const void *src, enum musaMemcpyKind *kind,
                         MUmemorytype *dtype, MUmemorytype *stype)
{
	enum rt_ptr_kind dk = rt_ptr_kind(dst), sk = rt_ptr_kind(src);
	static const MUmemorytype types[] = {
		[RT_PTR_HOST] = MU_MEMORYTYPE_HOST,
		[RT_PTR_PINNED] = MU_MEMORYTYPE_UNIFIED,
		[RT_PTR_DEVICE] = MU_MEMORYTYPE_DEVICE,
		[RT_PTR_MANAGED] = MU_MEMORYTYPE_UNIFIED,
	};

	musaError_t e;

	if ((unsigned int)*kind > (unsigned int)musaMemcpyDefault)
		return musaErrorInvalidMemcpyDirection;
	e = rt_copy_sides(dk, sk, kind);
	if (e != musaSuccess)
		return e;
	*dtype = types[dk];
	*stype = types[sk];
	return musaSuccess;
}

int rt_mem_is_device(const void *p)
{
	enum rt_ptr_kind k = rt_ptr_kind(p);

	return k == RT_PTR_DEVICE || k == RT_PTR_MANAGED;
}
