/* SPDX-License-Identifier: MIT */
/*
 * mem_host.c - page-locked host memory (musaMallocHost, musaHostAlloc,
 * musaFreeHost, musaHostRegister/Unregister, musaHostGetDevicePointer,
 * musaHostGetFlags), managed memory (musaMallocManaged, musaMemPrefetchAsync,
 * musaMemAdvise) and musaPointerGetAttributes, on the driver's muMemHost*,
 * muMemAllocManaged and muPointerGetAttributes. musaHostRegister,
 * musaHostGetFlags and musaMemAdvise only forward to the driver: forward.c
 * generates them.
 * Calls device.c, stream.c and the driver's memory functions.
 */
#include "rt.h"

/* Enters the current device; driver errors are translated for it. */
#define RT_ENTER(dev)                                   \
	do {                                            \
		musaError_t e_ = rt_cur_enter(&(dev));  \
		if (e_ != musaSuccess)                  \
			return rt_ret(e_);              \
	} while (0)

#define RT_DRV(dev, call) rt_ret(rt_dev_result((dev), (call)))

MUSART_API musaError_t musaHostAlloc(void **pHost, size_t size, unsigned int flags)
{
	int dev;

	CHECK(!pHost, rt_ret(musaErrorInvalidValue));
	RT_ENTER(dev);
	CHECK(flags & ~(unsigned int)(musaHostAllocPortable | musaHostAllocMapped |
				      musaHostAllocWriteCombined), rt_ret(musaErrorInvalidValue));
	if (!size) {
		*pHost = NULL;
		return rt_ret(musaSuccess);
	}
	return RT_DRV(dev, muMemHostAlloc(pHost, size, flags));
}

MUSART_API musaError_t musaMallocHost(void **ptr, size_t size)
{
	return musaHostAlloc(ptr, size, musaHostAllocDefault);
}

MUSART_API musaError_t musaFreeHost(void *ptr)
{
	int dev;

	RT_ENTER(dev);
	if (!ptr)
		return rt_ret(musaSuccess);
	return RT_DRV(dev, muMemFreeHost(ptr));
}

MUSART_API musaError_t musaHostUnregister(void *ptr)
{
	int dev;

	RT_ENTER(dev);
	CHECK(!ptr, rt_ret(musaErrorInvalidValue));
	return RT_DRV(dev, muMemHostUnregister(ptr));
}

MUSART_API musaError_t musaHostGetDevicePointer(void **pDevice, void *pHost, unsigned int flags)
{
	MUdeviceptr d;
	MUresult r;
	int dev;

	RT_ENTER(dev);
	CHECK(!pDevice, rt_ret(musaErrorInvalidValue));
	r = muMemHostGetDevicePointer(&d, pHost, flags);
	if (r == MUSA_SUCCESS)
		*pDevice = (void *)(uintptr_t)d;
	return RT_DRV(dev, r);
}

MUSART_API musaError_t musaMallocManaged(void **devPtr, size_t size, unsigned int flags)
{
	MUdeviceptr d;
	MUresult r;
	int dev;

	CHECK(!devPtr, rt_ret(musaErrorInvalidValue));
	RT_ENTER(dev);
	CHECK(!size || (flags != musaMemAttachGlobal && flags != musaMemAttachHost),
	      rt_ret(musaErrorInvalidValue));
	r = muMemAllocManaged(&d, size, flags);
	if (r == MUSA_SUCCESS)
		*devPtr = (void *)(uintptr_t)d;
	return RT_DRV(dev, r);
}

MUSART_API musaError_t musaMemPrefetchAsync(const void *devPtr, size_t count, int dstDevice,
                                            musaStream_t stream)
{
	MUstream s;
	musaError_t e;
	int dev;

	RT_ENTER(dev);
	e = rt_stream_resolve(stream, dev, &s);
	if (e != musaSuccess)
		return rt_ret(e);
	return RT_DRV(dev, muMemPrefetchAsync((MUdeviceptr)(uintptr_t)devPtr, count,
	                                      (MUdevice)dstDevice, s));
}

MUSART_API musaError_t musaPointerGetAttributes(struct musaPointerAttributes *attributes,
                                                const void *ptr)
{
	MUpointer_attribute want[] = {
		MU_POINTER_ATTRIBUTE_MEMORY_TYPE, MU_POINTER_ATTRIBUTE_IS_MANAGED,
		MU_POINTER_ATTRIBUTE_DEVICE_ORDINAL, MU_POINTER_ATTRIBUTE_DEVICE_POINTER,
	};
	unsigned int type = 0;
	int managed = 0, ordinal = -2;
	MUdeviceptr dptr = 0;
	void *data[] = { &type, &managed, &ordinal, &dptr };
	MUresult r;
	int dev;

	CHECK(!attributes, rt_ret(musaErrorInvalidValue));
	RT_ENTER(dev);
	r = muPointerGetAttributes(4, want, data, (MUdeviceptr)(uintptr_t)ptr);
	if (r != MUSA_SUCCESS)
		return RT_DRV(dev, r);
	attributes->device = ordinal;
	if (managed) {
		attributes->type = musaMemoryTypeManaged;
		attributes->devicePointer = attributes->hostPointer = (void *)ptr;
	} else if (type == MU_MEMORYTYPE_HOST) {
		attributes->type = musaMemoryTypeHost;
		attributes->devicePointer = attributes->hostPointer = (void *)ptr;
	} else if (type == MU_MEMORYTYPE_DEVICE) {
		attributes->type = musaMemoryTypeDevice;
		attributes->devicePointer = (void *)ptr;
		attributes->hostPointer = NULL;
	} else {
		attributes->type = musaMemoryTypeUnregistered;
		attributes->device = -2;
		attributes->devicePointer = NULL;
		attributes->hostPointer = NULL;
	}
	return rt_ret(musaSuccess);
}
