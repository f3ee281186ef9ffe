/* SPDX-License-Identifier: MIT */
/*
 * memory_drv.c - conformance of the driver's memory API: muMemHostAlloc and
 * friends, muMemHostRegister, muMemAllocManaged and its hints, pointer
 * attributes, muMemAllocPitch / muMemcpy2D / muMemsetD2D*, peer access
 * and peer copies, and muMemAllocAsync / memory pools.
 */
#include <stdlib.h>
#include <unistd.h>

#include "cts.h"

#define N 1024

CTS_TEST(memory_drv, host_alloc_roundtrip)
{
	unsigned int *h = NULL, flags = 0;
	MUdeviceptr d, dp = 0;

	cts_drv_init();
	CTS_DRV_OK(muMemHostAlloc((void **)&h, N * 4, MU_MEMHOSTALLOC_DEVICEMAP |
				  MU_MEMHOSTALLOC_PORTABLE));
	CTS_DRV_OK(muMemHostGetFlags(&flags, h));
	ck_assert_uint_eq(flags & (MU_MEMHOSTALLOC_DEVICEMAP | MU_MEMHOSTALLOC_PORTABLE),
			  MU_MEMHOSTALLOC_DEVICEMAP | MU_MEMHOSTALLOC_PORTABLE);
	CTS_DRV_OK(muMemHostGetDevicePointer(&dp, h, 0));
	ck_assert(dp != 0);
	CTS_DRV_OK(muMemAlloc(&d, N * 4));
	CTS_DRV_OK(muMemsetD32(d, 0xabcdef01u, N));
	CTS_DRV_OK(muMemcpyDtoH(h, d, N * 4));
	ck_assert_uint_eq(h[0], 0xabcdef01u);
	ck_assert_uint_eq(h[N - 1], 0xabcdef01u);
	/* The device pointer is usable by copies and fills. */
	CTS_DRV_OK(muMemsetD32(dp, 7, N));
	ck_assert_uint_eq(h[N / 2], 7);
	CTS_DRV_OK(muMemcpyDtoD(d, dp, N * 4));
	CTS_DRV_OK(muMemFree(d));
	CTS_DRV_OK(muMemFreeHost(h));
}

CTS_TEST(memory_drv, host_alloc_errors)
{
	void *p = NULL;
	MUdeviceptr dp;
	unsigned int f;
	int x;

	cts_drv_init();
	CTS_DRV(muMemHostAlloc(&p, 64, 0x40), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemHostAlloc(NULL, 64, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemAllocHost(NULL, 64), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemFreeHost(&x), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muMemAllocHost(&p, 100));
	CTS_DRV(muMemHostGetDevicePointer(&dp, p, 1), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemHostGetDevicePointer(NULL, p, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemHostGetDevicePointer(&dp, &x, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemHostGetFlags(&f, &x), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemHostGetFlags(NULL, p), MUSA_ERROR_INVALID_VALUE);
	/* Pinned memory is not muMemFree's, nor unregistered. */
	CTS_DRV(muMemFree((MUdeviceptr)(uintptr_t)p), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muMemFreeHost(p));
}

CTS_TEST(memory_drv, host_register)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *h = aligned_alloc(page, 3 * page);
	MUdeviceptr d, dp;

	cts_drv_init();
	CTS_DRV(muMemHostRegister(h, page, 0x10), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemHostRegister(NULL, page, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemHostRegister(h, 0, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muMemHostRegister(h, 2 * page, MU_MEMHOSTREGISTER_DEVICEMAP));
	CTS_DRV(muMemHostRegister(h + page, 2 * page, 0), MUSA_ERROR_HOST_MEMORY_ALREADY_REGISTERED);
	CTS_DRV_OK(muMemHostGetDevicePointer(&dp, h + 10, 0));
	ck_assert(dp == (MUdeviceptr)(uintptr_t)(h + 10));
	CTS_DRV_OK(muMemAlloc(&d, page));
	CTS_DRV_OK(muMemsetD8(d, 0x3c, page));
	CTS_DRV_OK(muMemcpyDtoHAsync(h, d, page, NULL));
	CTS_DRV_OK(muCtxSynchronize());
	ck_assert_uint_eq((unsigned char)h[page - 1], 0x3c);
	CTS_DRV(muMemHostUnregister(h + page), MUSA_ERROR_HOST_MEMORY_NOT_REGISTERED);
	CTS_DRV_OK(muMemHostUnregister(h));
	CTS_DRV(muMemHostUnregister(h), MUSA_ERROR_HOST_MEMORY_NOT_REGISTERED);
	CTS_DRV_OK(muMemFree(d));
	free(h);
}

CTS_TEST(memory_drv, alloc_managed)
{
	MUdeviceptr m;
	unsigned int type = 0;
	int managed = 0;
	void *host = NULL;

	cts_drv_init();
	CTS_DRV_OK(muMemAllocManaged(&m, 4096, MU_MEM_ATTACH_GLOBAL));
	((int *)(uintptr_t)m)[10] = 1234;
	CTS_DRV_OK(muMemsetD32(m, 5, 8));
	ck_assert_int_eq(((int *)(uintptr_t)m)[7], 5);
	ck_assert_int_eq(((int *)(uintptr_t)m)[10], 1234);
	CTS_DRV_OK(muPointerGetAttribute(&managed, MU_POINTER_ATTRIBUTE_IS_MANAGED, m));
	ck_assert_int_eq(managed, 1);
	CTS_DRV_OK(muPointerGetAttribute(&type, MU_POINTER_ATTRIBUTE_MEMORY_TYPE, m));
	ck_assert_uint_eq(type, MU_MEMORYTYPE_DEVICE);
	CTS_DRV_OK(muPointerGetAttribute(&host, MU_POINTER_ATTRIBUTE_HOST_POINTER, m));
	ck_assert_ptr_eq(host, (void *)(uintptr_t)m);
	/* CUDA 13 changed the hints' signatures; these follow CUDA 12's. */
#if !defined(CTS_CUDA) || CUDA_VERSION < 13000
	CTS_DRV_OK(muMemPrefetchAsync(m, 4096, 0, NULL));
	CTS_DRV_OK(muMemPrefetchAsync(m, 4096, MU_DEVICE_CPU, NULL));
	CTS_DRV_OK(muMemAdvise(m, 4096, MU_MEM_ADVISE_SET_READ_MOSTLY, 0));
	CTS_DRV(muMemAdvise(m, 4096, (MUmem_advise)42, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemPrefetchAsync(m, 4097, 0, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemPrefetchAsync(m, 4096, 42, NULL), MUSA_ERROR_INVALID_DEVICE);
#endif
	CTS_DRV_OK(muMemFree(m));
	CTS_DRV(muMemAllocManaged(&m, 64, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemAllocManaged(&m, 64, MU_MEM_ATTACH_SINGLE), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemAllocManaged(&m, 0, MU_MEM_ATTACH_GLOBAL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemAllocManaged(NULL, 64, MU_MEM_ATTACH_GLOBAL), MUSA_ERROR_INVALID_VALUE);
}

CTS_TEST(memory_drv, pointer_attributes)
{
	MUpointer_attribute attrs[] = {
		MU_POINTER_ATTRIBUTE_MEMORY_TYPE, MU_POINTER_ATTRIBUTE_DEVICE_ORDINAL,
		MU_POINTER_ATTRIBUTE_IS_MANAGED, MU_POINTER_ATTRIBUTE_MAPPED,
	};
	unsigned int type = 9;
	int ord = 9, managed = 9, mapped = 9, x;
	void *data[] = { &type, &ord, &managed, &mapped };
	MUdeviceptr d;
	void *h;

	cts_drv_init();
	CTS_DRV_OK(muMemAlloc(&d, 64));
	CTS_DRV_OK(muPointerGetAttributes(4, attrs, data, d));
	ck_assert_uint_eq(type, MU_MEMORYTYPE_DEVICE);
	ck_assert_int_eq(ord, 0);
	ck_assert_int_eq(managed, 0);
	ck_assert_int_eq(mapped, 1);
	CTS_DRV_OK(muMemAllocHost(&h, 64));
	CTS_DRV_OK(muPointerGetAttributes(4, attrs, data, (MUdeviceptr)(uintptr_t)h));
	ck_assert_uint_eq(type, MU_MEMORYTYPE_HOST);
	CTS_DRV_OK(muPointerGetAttributes(4, attrs, data, (MUdeviceptr)(uintptr_t)&x));
	ck_assert_uint_eq(type, 0);
	CTS_DRV(muPointerGetAttributes(0, attrs, data, d), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muPointerGetAttributes(4, NULL, data, d), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muPointerGetAttribute(&type, MU_POINTER_ATTRIBUTE_MEMORY_TYPE,
				      (MUdeviceptr)(uintptr_t)&x), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muMemFreeHost(h));
	CTS_DRV_OK(muMemFree(d));
}

CTS_TEST(memory_drv, alloc_pitch_copy2d_memset2d)
{
	enum { W = 24, H = 9 };   /* W in 32-bit elements */
	unsigned int h[H][W], back[H][W];
	MUSA_MEMCPY2D c;
	MUdeviceptr d;
	size_t pitch = 0;

	cts_drv_init();
	CTS_DRV_OK(muMemAllocPitch(&d, &pitch, W * 4, H, 4));
	ck_assert_uint_ge(pitch, W * 4);
	CTS_DRV_OK(muMemsetD2D32(d, pitch, 0x01020304u, W, H));
	memset(&c, 0, sizeof(c));
	c.srcMemoryType = MU_MEMORYTYPE_DEVICE;
	c.srcDevice = d;
	c.srcPitch = pitch;
	c.dstMemoryType = MU_MEMORYTYPE_HOST;
	c.dstHost = back;
	c.dstPitch = W * 4;
	c.WidthInBytes = W * 4;
	c.Height = H;
	CTS_DRV_OK(muMemcpy2D(&c));
	ck_assert_uint_eq(back[H - 1][W - 1], 0x01020304u);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			h[y][x] = (unsigned int)(y * 100 + x);
	memset(&c, 0, sizeof(c));
	c.srcMemoryType = MU_MEMORYTYPE_HOST;
	c.srcHost = h;
	c.srcPitch = W * 4;
	c.dstMemoryType = MU_MEMORYTYPE_DEVICE;
	c.dstDevice = d;
	c.dstPitch = pitch;
	c.WidthInBytes = W * 4;
	c.Height = H;
	CTS_DRV_OK(muMemcpy2DAsync(&c, NULL));
	CTS_DRV_OK(muCtxSynchronize());
	/* Copy a sub-rectangle back with offsets. */
	memset(back, 0, sizeof(back));
	memset(&c, 0, sizeof(c));
	c.srcMemoryType = MU_MEMORYTYPE_DEVICE;
	c.srcDevice = d;
	c.srcXInBytes = 4;
	c.srcY = 2;
	c.srcPitch = pitch;
	c.dstMemoryType = MU_MEMORYTYPE_HOST;
	c.dstHost = back;
	c.dstPitch = W * 4;
	c.WidthInBytes = 8;
	c.Height = 3;
	CTS_DRV_OK(muMemcpy2D(&c));
	ck_assert_uint_eq(back[0][0], 201);
	ck_assert_uint_eq(back[2][1], 402);
	memset(back, 0, sizeof(back));
	CTS_DRV_OK(muMemcpy2DUnaligned(&c));
	ck_assert_uint_eq(back[2][1], 402);
	CTS_DRV(muMemcpy2DUnaligned(NULL), MUSA_ERROR_INVALID_VALUE);
	/* 16-bit fill, stream-ordered, of one row */
	CTS_DRV_OK(muMemsetD16Async(d, 0xabcd, W * 2, NULL));
	CTS_DRV_OK(muCtxSynchronize());
	{
		unsigned short row[W * 2];

		CTS_DRV_OK(muMemcpyDtoH(row, d, sizeof(row)));
		ck_assert_uint_eq(row[0], 0xabcd);
		ck_assert_uint_eq(row[W * 2 - 1], 0xabcd);
	}
	CTS_DRV(muMemsetD16Async(d + 1, 0, 4, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muMemsetD2D8(d, pitch, 0, W * 4, H));
	CTS_DRV_OK(muMemsetD2D16Async(d, pitch, 0xffff, W * 2, H, NULL));
	CTS_DRV_OK(muMemsetD2D8Async(d, pitch, 1, W, H, NULL));
	CTS_DRV_OK(muMemsetD2D32Async(d, pitch, 2, 1, H, NULL));
	CTS_DRV_OK(muMemsetD2D16(d + 4, pitch, 3, 1, H));
	CTS_DRV_OK(muCtxSynchronize());
	CTS_DRV_OK(muMemFree(d));
}

CTS_TEST(memory_drv, pitch_2d_errors)
{
	unsigned char h[64];
	MUSA_MEMCPY2D c;
	MUdeviceptr d;
	size_t pitch;

	cts_drv_init();
	CTS_DRV(muMemAllocPitch(&d, &pitch, 64, 4, 2), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemAllocPitch(&d, &pitch, 0, 4, 4), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemAllocPitch(NULL, &pitch, 64, 4, 4), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemAllocPitch(&d, NULL, 64, 4, 4), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muMemAllocPitch(&d, &pitch, 64, 4, 16));
	memset(&c, 0, sizeof(c));
	c.srcMemoryType = MU_MEMORYTYPE_HOST;
	c.srcHost = h;
	c.srcPitch = 8;
	c.dstMemoryType = MU_MEMORYTYPE_DEVICE;
	c.dstDevice = d;
	c.dstPitch = pitch;
	c.WidthInBytes = 16;  /* wider than srcPitch */
	c.Height = 4;
	CTS_DRV(muMemcpy2D(&c), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemcpy2D(NULL), MUSA_ERROR_INVALID_VALUE);
	c.srcPitch = 16;
	c.dstMemoryType = MU_MEMORYTYPE_ARRAY;
	CTS_DRV(muMemcpy2D(&c), MUSA_ERROR_INVALID_VALUE);
	c.dstMemoryType = (MUmemorytype)17;
	CTS_DRV(muMemcpy2D(&c), MUSA_ERROR_INVALID_VALUE);
	c.dstMemoryType = MU_MEMORYTYPE_DEVICE;
#ifndef CTS_CUDA /* MUSA checks these ranges and kinds */
	c.Height = 5;  /* past the allocation */
	CTS_DRV(muMemcpy2D(&c), MUSA_ERROR_INVALID_VALUE);
#endif
	CTS_DRV(muMemsetD2D8(d, 10, 0, 64, 4), MUSA_ERROR_INVALID_VALUE);
#ifndef CTS_CUDA /* MUSA checks these ranges and kinds */
	CTS_DRV(muMemsetD2D8(d, pitch, 0, 64, 5), MUSA_ERROR_INVALID_VALUE);
#endif
	CTS_DRV(muMemsetD2D32(d + 1, pitch, 0, 4, 4), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemsetD2D8((MUdeviceptr)(uintptr_t)h, 16, 0, 16, 4), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muMemFree(d));
}

CTS_TEST(memory_drv, peer_single_device_errors)
{
	MUcontext ctx = cts_drv_init();
	int can = -1;

	CTS_DRV_OK(muDeviceCanAccessPeer(&can, 0, 0));
	ck_assert_int_eq(can, 0);
	CTS_DRV(muDeviceCanAccessPeer(&can, 0, 50), MUSA_ERROR_INVALID_DEVICE);
	CTS_DRV(muDeviceCanAccessPeer(NULL, 0, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muCtxEnablePeerAccess(ctx, 0), MUSA_ERROR_INVALID_DEVICE);
	CTS_DRV(muCtxEnablePeerAccess(NULL, 0), MUSA_ERROR_INVALID_CONTEXT);
	CTS_DRV(muCtxDisablePeerAccess(NULL), MUSA_ERROR_INVALID_CONTEXT);
}

CTS_TEST(memory_drv, peer_access_and_copy)
{
	MUcontext c0, c1;
	MUdevice d1;
	MUdeviceptr p0, p1;
	unsigned int h[N];
	int can = 0;

	CTS_REQUIRE_DEVICES(2);
	c0 = cts_drv_init();
	CTS_DRV_OK(muDeviceGet(&d1, 1));
	CTS_DRV_OK(muDevicePrimaryCtxRetain(&c1, d1));
	CTS_DRV_OK(muDeviceCanAccessPeer(&can, 0, 1));
	ck_assert_int_eq(can, 1);
	CTS_DRV_OK(muCtxSetCurrent(c1));
	CTS_DRV_OK(muMemAlloc(&p1, sizeof(h)));
	CTS_DRV_OK(muMemsetD32(p1, 0x600d, N));
	CTS_DRV_OK(muCtxSetCurrent(c0));
	CTS_DRV_OK(muMemAlloc(&p0, sizeof(h)));
	CTS_DRV(muCtxDisablePeerAccess(c1), MUSA_ERROR_PEER_ACCESS_NOT_ENABLED);
	CTS_DRV(muCtxEnablePeerAccess(c1, 2), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muCtxEnablePeerAccess(c1, 0));
	CTS_DRV(muCtxEnablePeerAccess(c1, 0), MUSA_ERROR_PEER_ACCESS_ALREADY_ENABLED);
	CTS_DRV_OK(muMemcpyPeer(p0, c0, p1, c1, sizeof(h)));
	CTS_DRV_OK(muMemcpyDtoH(h, p0, sizeof(h)));
	ck_assert_uint_eq(h[N - 1], 0x600d);
	CTS_DRV_OK(muMemsetD32(p0, 0xbeef, N));
	CTS_DRV_OK(muMemcpyPeerAsync(p1, c1, p0, c0, sizeof(h), NULL));
	CTS_DRV_OK(muCtxSynchronize());
	/* Unified addressing: the other device's pointer in a plain copy. */
	CTS_DRV_OK(muMemcpyDtoH(h, p1, sizeof(h)));
	ck_assert_uint_eq(h[0], 0xbeef);
#ifndef CTS_CUDA /* MUSA checks these ranges and kinds */
	CTS_DRV(muMemcpyPeer(p0, c1, p1, c1, sizeof(h)), MUSA_ERROR_INVALID_VALUE);
#endif
	CTS_DRV(muMemcpyPeer(p0, NULL, p1, c1, sizeof(h)), MUSA_ERROR_INVALID_CONTEXT);
	CTS_DRV_OK(muCtxDisablePeerAccess(c1));
	CTS_DRV_OK(muMemFree(p0));
	CTS_DRV_OK(muCtxSetCurrent(c1));
	CTS_DRV_OK(muMemFree(p1));
	CTS_DRV_OK(muDevicePrimaryCtxRelease(d1));
}

CTS_TEST(memory_drv, alloc_async_and_pools)
{
	MUmemoryPool def, cur, pool;
	MUmemPoolProps props;
	MUdeviceptr d;
	MUstream s;
	uint64_t v;

	cts_drv_init();
	CTS_DRV_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	CTS_DRV_OK(muDeviceGetDefaultMemPool(&def, 0));
	CTS_DRV_OK(muDeviceGetMemPool(&cur, 0));
	ck_assert_ptr_eq(def, cur);
	CTS_DRV_OK(muMemAllocAsync(&d, 1000, s));
	CTS_DRV_OK(muMemsetD8Async(d, 1, 1000, s));
	CTS_DRV_OK(muMemFreeAsync(d, s));
#ifndef CTS_CUDA /* MUSA checks these ranges and kinds */
	CTS_DRV(muMemFreeAsync(d, s), MUSA_ERROR_INVALID_VALUE);
#endif
	CTS_DRV_OK(muStreamSynchronize(s));

	memset(&props, 0, sizeof(props));
	props.allocType = MU_MEM_ALLOCATION_TYPE_PINNED;
	props.location.type = MU_MEM_LOCATION_TYPE_DEVICE;
	props.location.id = 0;
	CTS_DRV_OK(muMemPoolCreate(&pool, &props));
	CTS_DRV_OK(muMemAllocFromPoolAsync(&d, 5000, pool, s));
	CTS_DRV_OK(muMemPoolGetAttribute(pool, MU_MEMPOOL_ATTR_USED_MEM_CURRENT, &v));
	ck_assert_uint_ge(v, 5000);
	CTS_DRV_OK(muMemFreeAsync(d, s));
	CTS_DRV_OK(muStreamSynchronize(s));
	v = 1 << 20;
	CTS_DRV_OK(muMemPoolSetAttribute(pool, MU_MEMPOOL_ATTR_RELEASE_THRESHOLD, &v));
	CTS_DRV_OK(muMemPoolTrimTo(pool, 0));
	CTS_DRV_OK(muMemPoolGetAttribute(pool, MU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT, &v));
	ck_assert_uint_eq(v, 0);
	CTS_DRV_OK(muDeviceSetMemPool(0, pool));
	CTS_DRV_OK(muDeviceGetMemPool(&cur, 0));
	ck_assert_ptr_eq(cur, pool);
	CTS_DRV_OK(muMemPoolDestroy(pool));
	CTS_DRV(muMemPoolDestroy(pool), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemPoolDestroy(def), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemAllocAsync(NULL, 8, s), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemAllocAsync(&d, 0, s), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemFreeAsync(0, s), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDeviceGetDefaultMemPool(&def, 77), MUSA_ERROR_INVALID_DEVICE);
	props.allocType = MU_MEM_ALLOCATION_TYPE_INVALID;
	CTS_DRV(muMemPoolCreate(&pool, &props), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemPoolSetAttribute(def, MU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT, &v),
		MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muStreamDestroy(s));
}
