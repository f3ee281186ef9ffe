/* SPDX-License-Identifier: MIT */
/*
 * mem_pool.c - the runtime's stream-ordered allocation (musaMallocAsync,
 * musaFreeAsync, memory pools), peer access and peer copies
 * (musaDeviceCanAccessPeer, musaDevice{En,Dis}ablePeerAccess,
 * musaMemcpyPeer(Async)) and IPC memory handles, on the driver's
 * muMemAllocAsync/muMemPool*, muCtx*PeerAccess/muMemcpyPeer and muIpc*.
 * The peer device's primary context is entered to name it, then the
 * current device's context is made current again. The pool calls that only
 * forward to the driver (musaMemPoolDestroy, musaMemPool{Set,Get}Attribute,
 * musaMemPoolTrimTo) are generated in forward.c.
 * Calls device.c, init.c, stream.c and the driver.
 */
#include <string.h>

#include "rt.h"

#define D(p) ((MUdeviceptr)(uintptr_t)(p))

/* Stream-ordered allocation */

static musaError_t rt_alloc_async(void **devPtr, size_t size, musaMemPool_t pool,
                                  musaStream_t stream, int from_pool)
{
	MUdeviceptr d;
	MUstream s;
	MUresult r;
	int dev;
	musaError_t e;

	CHECK(!devPtr, musaErrorInvalidValue);
	e = rt_cur_enter(&dev);
	if (e != musaSuccess)
		return e;
	e = rt_stream_resolve(stream, dev, &s);
	if (e != musaSuccess)
		return e;
	CHECK(!size || (from_pool && !pool), musaErrorInvalidValue);
	r = from_pool ? muMemAllocFromPoolAsync(&d, size, pool, s) : muMemAllocAsync(&d, size, s);
	if (r == MUSA_SUCCESS)
		*devPtr = (void *)(uintptr_t)d;
	return rt_dev_result(dev, r);
}

MUSART_API musaError_t musaMallocAsync(void **devPtr, size_t size, musaStream_t hStream)
{
	return rt_ret(rt_alloc_async(devPtr, size, NULL, hStream, 0));
}

MUSART_API musaError_t musaMallocFromPoolAsync(void **ptr, size_t size, musaMemPool_t memPool,
                                               musaStream_t stream)
{
	return rt_ret(rt_alloc_async(ptr, size, memPool, stream, 1));
}

MUSART_API musaError_t musaFreeAsync(void *devPtr, musaStream_t hStream)
{
	MUstream s;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	e = rt_stream_resolve(hStream, dev, &s);
	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!devPtr, rt_ret(musaErrorInvalidValue));
	return rt_ret(rt_dev_result(dev, muMemFreeAsync(D(devPtr), s)));
}

/* The default pool (is_default) or the current pool of a device. */
static musaError_t rt_device_pool(musaMemPool_t *memPool, int device, int is_default)
{
	musaError_t e = rt_dev_valid(device);

	if (e != musaSuccess)
		return e;
	CHECK(!memPool, musaErrorInvalidValue);
	return rt_err(is_default ? muDeviceGetDefaultMemPool(memPool, device)
	                         : muDeviceGetMemPool(memPool, device));
}

MUSART_API musaError_t musaDeviceGetDefaultMemPool(musaMemPool_t *memPool, int device)
{
	return rt_ret(rt_device_pool(memPool, device, 1));
}

MUSART_API musaError_t musaDeviceGetMemPool(musaMemPool_t *memPool, int device)
{
	return rt_ret(rt_device_pool(memPool, device, 0));
}

MUSART_API musaError_t musaDeviceSetMemPool(int device, musaMemPool_t memPool)
{
	musaError_t e = rt_dev_valid(device);

	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_err(muDeviceSetMemPool(device, memPool)));
}

MUSART_API musaError_t musaMemPoolCreate(musaMemPool_t *memPool,
                                         const struct musaMemPoolProps *poolProps)
{
	MUmemPoolProps p;
	musaError_t e = rt_init();

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!memPool || !poolProps, rt_ret(musaErrorInvalidValue));
	/* The two structs have the same members, as CUDA's do. */
	p.allocType = (MUmemAllocationType)poolProps->allocType;
	p.handleTypes = (MUmemAllocationHandleType)poolProps->handleTypes;
	p.location.type = (MUmemLocationType)poolProps->location.type;
	p.location.id = poolProps->location.id;
	p.win32SecurityAttributes = poolProps->win32SecurityAttributes;
	p.maxSize = poolProps->maxSize;
	p.usage = poolProps->usage;
	memcpy(p.reserved, poolProps->reserved, sizeof(p.reserved));
	return rt_ret(rt_err(muMemPoolCreate(memPool, &p)));
}

/* Peer access */

MUSART_API musaError_t musaDeviceCanAccessPeer(int *canAccessPeer, int device, int peerDevice)
{
	musaError_t e = rt_init();

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!canAccessPeer, rt_ret(musaErrorInvalidValue));
	return rt_ret(rt_err(muDeviceCanAccessPeer(canAccessPeer, device, peerDevice)));
}

/* The primary context of `peer`, leaving the current device's current. */
static musaError_t rt_peer_ctx(int peer, int *dev, MUcontext *out)
{
	musaError_t e = rt_dev_valid(peer);

	if (e != musaSuccess)
		return e;
	e = rt_dev_enter(peer);
	if (e == musaSuccess && muCtxGetCurrent(out) != MUSA_SUCCESS)
		e = musaErrorInvalidDevice;
	if (e != musaSuccess)
		return e;
	return rt_cur_enter(dev);
}

/* Enables (enable) or disables the current device's access to `peer`. */
static musaError_t rt_peer_access(int peer, int enable, unsigned int flags)
{
	MUcontext peer_ctx;
	int dev;
	musaError_t e = rt_peer_ctx(peer, &dev, &peer_ctx);

	if (e != musaSuccess)
		return e;
	if (peer == dev)
		return musaErrorInvalidDevice;
	CHECK(flags, musaErrorInvalidValue);
	return rt_dev_result(dev, enable ? muCtxEnablePeerAccess(peer_ctx, 0)
	                                 : muCtxDisablePeerAccess(peer_ctx));
}

MUSART_API musaError_t musaDeviceEnablePeerAccess(int peerDevice, unsigned int flags)
{
	return rt_ret(rt_peer_access(peerDevice, 1, flags));
}

MUSART_API musaError_t musaDeviceDisablePeerAccess(int peerDevice)
{
	return rt_ret(rt_peer_access(peerDevice, 0, 0));
}

static musaError_t rt_copy_peer(void *dst, int dstDevice, const void *src, int srcDevice,
                                size_t count, musaStream_t stream, int async)
{
	MUcontext dctx, sctx;
	MUstream s = NULL;
	MUresult r;
	int dev;
	musaError_t e = rt_peer_ctx(dstDevice, &dev, &dctx);

	if (e != musaSuccess)
		return e;
	e = rt_peer_ctx(srcDevice, &dev, &sctx);
	if (e != musaSuccess)
		return e;
	if (async && (e = rt_stream_resolve(stream, dev, &s)) != musaSuccess)
		return e;
	if (!count)
		return musaSuccess;
	CHECK(!dst || !src, musaErrorInvalidValue);
	r = async ? muMemcpyPeerAsync(D(dst), dctx, D(src), sctx, count, s)
	          : muMemcpyPeer(D(dst), dctx, D(src), sctx, count);
	return rt_dev_result(dev, r);
}

MUSART_API musaError_t musaMemcpyPeer(void *dst, int dstDevice, const void *src, int srcDevice,
                                      size_t count)
{
	return rt_ret(rt_copy_peer(dst, dstDevice, src, srcDevice, count, NULL, 0));
}

MUSART_API musaError_t musaMemcpyPeerAsync(void *dst, int dstDevice, const void *src,
                                           int srcDevice, size_t count, musaStream_t stream)
{
	return rt_ret(rt_copy_peer(dst, dstDevice, src, srcDevice, count, stream, 1));
}

/* IPC */

_Static_assert(sizeof(musaIpcMemHandle_t) == sizeof(MUipcMemHandle), "IPC handle sizes");

MUSART_API musaError_t musaIpcGetMemHandle(musaIpcMemHandle_t *handle, void *devPtr)
{
	MUipcMemHandle h;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!handle || !devPtr, rt_ret(musaErrorInvalidValue));
	r = muIpcGetMemHandle(&h, D(devPtr));
	if (r == MUSA_SUCCESS)
		memcpy(handle->reserved, h.reserved, sizeof(h.reserved));
	return rt_ret(rt_dev_result(dev, r));
}

MUSART_API musaError_t musaIpcOpenMemHandle(void **devPtr, musaIpcMemHandle_t handle,
                                            unsigned int flags)
{
	MUipcMemHandle h;
	MUdeviceptr d;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!devPtr, rt_ret(musaErrorInvalidValue));
	memcpy(h.reserved, handle.reserved, sizeof(h.reserved));
	r = muIpcOpenMemHandle(&d, h, flags);
	if (r == MUSA_SUCCESS)
		*devPtr = (void *)(uintptr_t)d;
	return rt_ret(rt_dev_result(dev, r));
}

MUSART_API musaError_t musaIpcCloseMemHandle(void *devPtr)
{
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!devPtr, rt_ret(musaErrorInvalidValue));
	return rt_ret(rt_dev_result(dev, muIpcCloseMemHandle(D(devPtr))));
}
