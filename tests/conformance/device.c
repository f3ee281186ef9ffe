/* SPDX-License-Identifier: MIT */
/*
 * device.c - conformance of the runtime's device management: counting and
 * selecting devices, properties and attributes, device flags, limits, PCI
 * bus ids, cache preferences, peer attributes, reset, several devices on
 * several host threads, and the MUSA-only environment variables
 * (MUSA_VISIBLE_DEVICES, MUSA_LOG).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cts.h"

/* Asks for two software devices unless the environment chose already. */
static void want_two_devices(void)
{
#ifndef CTS_CUDA
	setenv("MUSA_SWDEV", "count=2", 0);
#endif
}

CTS_TEST(device, get_device_count)
{
	int n = -1;

	CTS_RT_OK(musaGetDeviceCount(&n));
	ck_assert_int_ge(n, 1);
	CTS_RT(musaGetDeviceCount(NULL), musaErrorInvalidValue);
}

CTS_TEST(device, set_and_get_device)
{
	int n, d = -1;

	CTS_RT_OK(musaGetDeviceCount(&n));
	CTS_RT_OK(musaGetDevice(&d));
	ck_assert_int_eq(d, 0);
	CTS_RT_OK(musaSetDevice(n - 1));
	CTS_RT_OK(musaGetDevice(&d));
	ck_assert_int_eq(d, n - 1);
	CTS_RT(musaSetDevice(-1), musaErrorInvalidDevice);
	CTS_RT(musaSetDevice(n), musaErrorInvalidDevice);
	CTS_RT_OK(musaGetDevice(&d));
	ck_assert_int_eq(d, n - 1);
	CTS_RT(musaGetDevice(NULL), musaErrorInvalidValue);
}

CTS_TEST(device, properties_are_sane)
{
	struct musaDeviceProp p;
	int n;

	CTS_RT_OK(musaGetDeviceCount(&n));
	memset(&p, 0xff, sizeof(p));
	CTS_RT_OK(musaGetDeviceProperties(&p, 0));
	ck_assert(p.name[0] != '\0');
	ck_assert_ptr_ne(memchr(p.name, '\0', sizeof(p.name)), NULL);
	ck_assert_uint_gt(p.totalGlobalMem, 0);
	ck_assert_uint_gt(p.sharedMemPerBlock, 0);
	ck_assert_uint_ge(p.sharedMemPerBlockOptin, p.sharedMemPerBlock);
	ck_assert_uint_ge(p.sharedMemPerMultiprocessor, p.sharedMemPerBlock);
	ck_assert_int_gt(p.regsPerBlock, 0);
	ck_assert_int_gt(p.warpSize, 0);
	ck_assert_uint_gt(p.memPitch, 0);
	ck_assert_int_ge(p.maxThreadsPerBlock, 64);
	ck_assert_int_ge(p.maxThreadsDim[0], 64);
	ck_assert_int_ge(p.maxGridSize[0], 65535);
#if CTS_LEGACY_API
	ck_assert_int_gt(p.clockRate, 0);
#endif
	ck_assert_uint_gt(p.totalConstMem, 0);
	ck_assert_int_ge(p.major, 1);
	ck_assert_int_gt(p.multiProcessorCount, 0);
	ck_assert_int_ge(p.maxThreadsPerMultiProcessor, p.maxThreadsPerBlock);
	ck_assert_int_gt(p.maxBlocksPerMultiProcessor, 0);
	ck_assert_int_ge(p.asyncEngineCount, 0);
	ck_assert_int_eq(p.unifiedAddressing, 1);
#if CTS_LEGACY_API
	ck_assert_int_ge(p.computeMode, 0);
#endif
	ck_assert_int_ge(p.pciBusID, 0);
	ck_assert_int_ge(p.pciDomainID, 0);
#if CTS_LEGACY_API
	ck_assert_int_gt(p.memoryClockRate, 0);
#endif
	ck_assert_int_gt(p.memoryBusWidth, 0);
#if CTS_LEGACY_API
	ck_assert(p.deviceOverlap == 0 || p.deviceOverlap == 1);
#endif
	ck_assert(p.canMapHostMemory == 0 || p.canMapHostMemory == 1);
	/* The UUID is not all zero. */
	{
		int nz = 0;

		for (int i = 0; i < 16; i++)
			nz |= p.uuid.bytes[i];
		ck_assert_int_ne(nz, 0);
	}
	CTS_RT(musaGetDeviceProperties(NULL, 0), musaErrorInvalidValue);
	CTS_RT(musaGetDeviceProperties(&p, n), musaErrorInvalidDevice);
	CTS_RT(musaGetDeviceProperties(&p, -1), musaErrorInvalidDevice);
}

CTS_TEST(device, properties_match_attributes)
{
	static const struct {
		enum musaDeviceAttr attr;
		size_t off;
		int is_size;
	} map[] = {
		{ musaDevAttrMaxThreadsPerBlock, offsetof(struct musaDeviceProp, maxThreadsPerBlock), 0 },
		{ musaDevAttrMaxBlockDimX, offsetof(struct musaDeviceProp, maxThreadsDim), 0 },
		{ musaDevAttrMaxGridDimY, offsetof(struct musaDeviceProp, maxGridSize[1]), 0 },
		{ musaDevAttrMaxSharedMemoryPerBlock, offsetof(struct musaDeviceProp, sharedMemPerBlock), 1 },
		{ musaDevAttrTotalConstantMemory, offsetof(struct musaDeviceProp, totalConstMem), 1 },
		{ musaDevAttrWarpSize, offsetof(struct musaDeviceProp, warpSize), 0 },
		{ musaDevAttrMaxRegistersPerBlock, offsetof(struct musaDeviceProp, regsPerBlock), 0 },
#if CTS_LEGACY_API
		{ musaDevAttrClockRate, offsetof(struct musaDeviceProp, clockRate), 0 },
#endif
		{ musaDevAttrMultiProcessorCount, offsetof(struct musaDeviceProp, multiProcessorCount), 0 },
		{ musaDevAttrComputeCapabilityMajor, offsetof(struct musaDeviceProp, major), 0 },
		{ musaDevAttrComputeCapabilityMinor, offsetof(struct musaDeviceProp, minor), 0 },
		{ musaDevAttrPciBusId, offsetof(struct musaDeviceProp, pciBusID), 0 },
		{ musaDevAttrPciDomainId, offsetof(struct musaDeviceProp, pciDomainID), 0 },
		{ musaDevAttrMaxThreadsPerMultiProcessor,
		  offsetof(struct musaDeviceProp, maxThreadsPerMultiProcessor), 0 },
		{ musaDevAttrMaxSharedMemoryPerMultiprocessor,
		  offsetof(struct musaDeviceProp, sharedMemPerMultiprocessor), 1 },
		{ musaDevAttrMaxSharedMemoryPerBlockOptin,
		  offsetof(struct musaDeviceProp, sharedMemPerBlockOptin), 1 },
		{ musaDevAttrMaxBlocksPerMultiprocessor,
		  offsetof(struct musaDeviceProp, maxBlocksPerMultiProcessor), 0 },
		{ musaDevAttrCooperativeLaunch, offsetof(struct musaDeviceProp, cooperativeLaunch), 0 },
		{ musaDevAttrManagedMemory, offsetof(struct musaDeviceProp, managedMemory), 0 },
		{ musaDevAttrSurfaceAlignment, offsetof(struct musaDeviceProp, surfaceAlignment), 1 },
		{ musaDevAttrTexturePitchAlignment,
		  offsetof(struct musaDeviceProp, texturePitchAlignment), 1 },
		{ musaDevAttrMaxTexture1DWidth, offsetof(struct musaDeviceProp, maxTexture1D), 0 },
		{ musaDevAttrMaxSurface2DHeight, offsetof(struct musaDeviceProp, maxSurface2D[1]), 0 },
		{ musaDevAttrHostRegisterSupported,
		  offsetof(struct musaDeviceProp, hostRegisterSupported), 0 },
		{ musaDevAttrMemoryPoolsSupported,
		  offsetof(struct musaDeviceProp, memoryPoolsSupported), 0 },
	};
	struct musaDeviceProp p;

	CTS_RT_OK(musaGetDeviceProperties(&p, 0));
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		int v = -1;
		long long want;

		CTS_RT_OK(musaDeviceGetAttribute(&v, map[i].attr, 0));
		if (map[i].is_size) {
			size_t s;

			memcpy(&s, (char *)&p + map[i].off, sizeof(s));
			want = (long long)s;
		} else {
			int x;

			memcpy(&x, (char *)&p + map[i].off, sizeof(x));
			want = x;
		}
		ck_assert_msg(v == want, "attribute %d: %d, property %lld", (int)map[i].attr, v, want);
	}
}

CTS_TEST(device, every_attribute_answers)
{
	static const int known[] = {
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
		23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42,
		43, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
		64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83,
		84, 85, 86, 87, 88, 89, 90, 91, 95, 96, 97, 98, 99, 100, 101, 106, 108, 109,
		111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 125, 126,
	};
	int v, n;

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		v = -12345;
		CTS_RT_OK(musaDeviceGetAttribute(&v, (enum musaDeviceAttr)known[i], 0));
		ck_assert_msg(v != -12345, "attribute %d not written", known[i]);
	}
	CTS_RT_OK(musaGetDeviceCount(&n));
	CTS_RT(musaDeviceGetAttribute(NULL, musaDevAttrWarpSize, 0), musaErrorInvalidValue);
	CTS_RT(musaDeviceGetAttribute(&v, (enum musaDeviceAttr)0, 0), musaErrorInvalidValue);
	CTS_RT(musaDeviceGetAttribute(&v, (enum musaDeviceAttr)100000, 0), musaErrorInvalidValue);
	CTS_RT(musaDeviceGetAttribute(&v, musaDevAttrWarpSize, n), musaErrorInvalidDevice);
	CTS_RT(musaDeviceGetAttribute(&v, musaDevAttrWarpSize, -1), musaErrorInvalidDevice);
}

CTS_TEST(device, device_flags)
{
	unsigned int f = 0;

	CTS_RT_OK(musaGetDeviceFlags(&f));
	ck_assert_uint_ne(f & musaDeviceMapHost, 0);
	CTS_RT_OK(musaSetDeviceFlags(musaDeviceScheduleYield));
	CTS_RT_OK(musaGetDeviceFlags(&f));
	ck_assert_uint_eq(f & musaDeviceScheduleMask, musaDeviceScheduleYield);
	ck_assert_uint_ne(f & musaDeviceMapHost, 0);
	CTS_RT_OK(musaSetDeviceFlags(musaDeviceScheduleBlockingSync | musaDeviceMapHost));
	CTS_RT_OK(musaGetDeviceFlags(&f));
	ck_assert_uint_eq(f & musaDeviceScheduleMask, musaDeviceScheduleBlockingSync);
	/* Work still runs with the new flags. */
	CTS_RT_OK(musaDeviceSynchronize());
	CTS_RT(musaSetDeviceFlags(3), musaErrorInvalidValue);
	CTS_RT(musaSetDeviceFlags(0x40), musaErrorInvalidValue);
	CTS_RT_OK(musaGetDeviceFlags(&f));
	ck_assert_uint_eq(f & musaDeviceScheduleMask, musaDeviceScheduleBlockingSync);
	CTS_RT(musaGetDeviceFlags(NULL), musaErrorInvalidValue);
}

CTS_TEST(device, choose_device)
{
	struct musaDeviceProp want, p;
	int d = -1, n;

	CTS_RT_OK(musaGetDeviceCount(&n));
	CTS_RT_OK(musaGetDeviceProperties(&p, 0));
	memset(&want, 0, sizeof(want));
	want.major = p.major;
	want.minor = p.minor;
	CTS_RT_OK(musaChooseDevice(&d, &want));
	ck_assert_int_ge(d, 0);
	ck_assert_int_lt(d, n);
	CTS_RT(musaChooseDevice(NULL, &want), musaErrorInvalidValue);
	CTS_RT(musaChooseDevice(&d, NULL), musaErrorInvalidValue);
}

CTS_TEST(device, limits)
{
	size_t v = 0;

	CTS_RT_OK(musaDeviceGetLimit(&v, musaLimitStackSize));
	ck_assert_uint_gt(v, 0);
	CTS_RT_OK(musaDeviceSetLimit(musaLimitStackSize, 4096));
	CTS_RT_OK(musaDeviceGetLimit(&v, musaLimitStackSize));
	ck_assert_uint_eq(v, 4096);
#if CTS_LEGACY_API
	CTS_RT_OK(musaThreadSetLimit(musaLimitStackSize, 2048));
	CTS_RT_OK(musaThreadGetLimit(&v, musaLimitStackSize));
	ck_assert_uint_eq(v, 2048);
#endif
	CTS_RT_OK(musaDeviceGetLimit(&v, musaLimitPrintfFifoSize));
	ck_assert_uint_gt(v, 0);
	CTS_RT_OK(musaDeviceGetLimit(&v, musaLimitMallocHeapSize));
	ck_assert_uint_gt(v, 0);
	CTS_RT(musaDeviceGetLimit(NULL, musaLimitStackSize), musaErrorInvalidValue);
	CTS_RT(musaDeviceGetLimit(&v, (enum musaLimit)0x7f), musaErrorUnsupportedLimit);
	CTS_RT(musaDeviceSetLimit((enum musaLimit)0x7f, 1), musaErrorUnsupportedLimit);
#ifndef CTS_CUDA
	CTS_RT(musaDeviceSetLimit(musaLimitStackSize, 1u << 30), musaErrorInvalidValue);
	CTS_RT(musaDeviceGetLimit(&v, musaLimitDevRuntimeSyncDepth), musaErrorUnsupportedLimit);
	CTS_RT(musaDeviceSetLimit(musaLimitPersistingL2CacheSize, 0), musaErrorUnsupportedLimit);
	/* A reset brings back the default. */
	CTS_RT_OK(musaDeviceReset());
	CTS_RT_OK(musaDeviceGetLimit(&v, musaLimitStackSize));
	ck_assert_uint_eq(v, 1024);
#endif
}

CTS_TEST(device, pci_bus_id_round_trip)
{
	char id[64], id2[64];
	int n, d;

	want_two_devices();
	CTS_RT_OK(musaGetDeviceCount(&n));
	for (int i = 0; i < n; i++) {
		unsigned int dom, bus, slot, fn;
		struct musaDeviceProp p;

		CTS_RT_OK(musaDeviceGetPCIBusId(id, sizeof(id), i));
		ck_assert_int_eq(sscanf(id, "%x:%x:%x.%x", &dom, &bus, &slot, &fn), 4);
		CTS_RT_OK(musaGetDeviceProperties(&p, i));
		ck_assert_uint_eq(bus, (unsigned int)p.pciBusID);
		ck_assert_uint_eq(dom, (unsigned int)p.pciDomainID);
		d = -1;
		CTS_RT_OK(musaDeviceGetByPCIBusId(&d, id));
		ck_assert_int_eq(d, i);
		/* The short form without the domain names the same device. */
		snprintf(id2, sizeof(id2), "%02x:%02x.%x", bus, slot, fn);
		if (dom == 0) {
			d = -1;
			CTS_RT_OK(musaDeviceGetByPCIBusId(&d, id2));
			ck_assert_int_eq(d, i);
		}
		for (int j = 0; j < i; j++) {
			CTS_RT_OK(musaDeviceGetPCIBusId(id2, sizeof(id2), j));
			ck_assert_str_ne(id, id2);
		}
	}
	CTS_RT(musaDeviceGetPCIBusId(NULL, 64, 0), musaErrorInvalidValue);
	CTS_RT(musaDeviceGetPCIBusId(id, sizeof(id), n), musaErrorInvalidDevice);
	CTS_RT(musaDeviceGetByPCIBusId(NULL, id), musaErrorInvalidValue);
	CTS_RT(musaDeviceGetByPCIBusId(&d, NULL), musaErrorInvalidValue);
	CTS_RT(musaDeviceGetByPCIBusId(&d, "not a bus id"), musaErrorInvalidValue);
	CTS_RT(musaDeviceGetByPCIBusId(&d, "ffff:ff:1f.7"), musaErrorInvalidDevice);
}

CTS_TEST(device, cache_and_shared_mem_config)
{
	enum musaFuncCache c = musaFuncCachePreferEqual;
	enum musaSharedMemConfig s;

	CTS_RT_OK(musaDeviceGetCacheConfig(&c));
	CTS_RT_OK(musaDeviceSetCacheConfig(musaFuncCachePreferShared));
	CTS_RT_OK(musaDeviceGetCacheConfig(&c));
#ifndef CTS_CUDA
	ck_assert_int_eq(c, musaFuncCachePreferShared);
#endif
#if CTS_LEGACY_API
	CTS_RT_OK(musaThreadSetCacheConfig(musaFuncCachePreferL1));
	CTS_RT_OK(musaThreadGetCacheConfig(&c));
#ifndef CTS_CUDA
	ck_assert_int_eq(c, musaFuncCachePreferL1);
#endif
#endif
	CTS_RT(musaDeviceSetCacheConfig((enum musaFuncCache)9), musaErrorInvalidValue);
	CTS_RT(musaDeviceGetCacheConfig(NULL), musaErrorInvalidValue);
	CTS_RT_OK(musaDeviceGetSharedMemConfig(&s));
	CTS_RT_OK(musaDeviceSetSharedMemConfig(musaSharedMemBankSizeEightByte));
	CTS_RT_OK(musaDeviceGetSharedMemConfig(&s));
#ifndef CTS_CUDA
	ck_assert_int_eq(s, musaSharedMemBankSizeEightByte);
#endif
	CTS_RT(musaDeviceSetSharedMemConfig((enum musaSharedMemConfig)3), musaErrorInvalidValue);
	CTS_RT(musaDeviceGetSharedMemConfig(NULL), musaErrorInvalidValue);
}

CTS_TEST(device, synchronize_reset_and_thread_exit)
{
	int *p = NULL;

	CTS_RT_OK(musaMalloc((void **)&p, 4096));
	CTS_RT_OK(cts_launch_fill(p, 3, 1024, 0));
	CTS_RT_OK(musaDeviceSynchronize());
#if CTS_LEGACY_API
	CTS_RT_OK(musaThreadSynchronize());
#endif
	CTS_RT_OK(musaDeviceReset());
	/* The device works again after a reset, and after musaThreadExit. */
	CTS_RT_OK(musaMalloc((void **)&p, 4096));
	CTS_RT_OK(cts_launch_fill(p, 4, 1024, 0));
	CTS_RT_OK(musaDeviceSynchronize());
#if CTS_LEGACY_API
	CTS_RT_OK(musaThreadExit());
#endif
	CTS_RT_OK(musaMalloc((void **)&p, 4096));
	CTS_RT_OK(musaFree(p));
}

CTS_TEST(device, profiler_start_stop)
{
	CTS_RT_OK(musaProfilerStart());
	CTS_RT_OK(musaProfilerStop());
}

CTS_TEST(device, p2p_attributes)
{
	int v = -1, n;

	want_two_devices();
	CTS_REQUIRE_DEVICES(2);
	CTS_RT_OK(musaGetDeviceCount(&n));
	CTS_RT_OK(musaDeviceGetP2PAttribute(&v, musaDevP2PAttrAccessSupported, 0, 1));
	ck_assert(v == 0 || v == 1);
	CTS_RT_OK(musaDeviceGetP2PAttribute(&v, musaDevP2PAttrPerformanceRank, 1, 0));
	ck_assert_int_ge(v, 0);
	CTS_RT_OK(musaDeviceGetP2PAttribute(&v, musaDevP2PAttrNativeAtomicSupported, 0, 1));
	CTS_RT(musaDeviceGetP2PAttribute(NULL, musaDevP2PAttrAccessSupported, 0, 1),
	       musaErrorInvalidValue);
	CTS_RT(musaDeviceGetP2PAttribute(&v, (enum musaDeviceP2PAttr)77, 0, 1),
	       musaErrorInvalidValue);
	CTS_RT(musaDeviceGetP2PAttribute(&v, musaDevP2PAttrAccessSupported, 0, 0),
	       musaErrorInvalidDevice);
	CTS_RT(musaDeviceGetP2PAttribute(&v, musaDevP2PAttrAccessSupported, 0, n),
	       musaErrorInvalidDevice);
}

CTS_TEST(device, set_valid_devices)
{
	int list[2] = { 0, 0 }, bad[1] = { -1 };
	int n;

	CTS_RT_OK(musaGetDeviceCount(&n));
	list[1] = n - 1;
	CTS_RT_OK(musaSetValidDevices(list, 2));
	CTS_RT(musaSetValidDevices(bad, 1), musaErrorInvalidDevice);
	bad[0] = n;
	CTS_RT(musaSetValidDevices(bad, 1), musaErrorInvalidDevice);
	CTS_RT(musaSetValidDevices(NULL, 1), musaErrorInvalidValue);
}

CTS_TEST(device, init_device)
{
	int n, d = -1;
	unsigned int f = 0;

	CTS_RT_OK(musaGetDeviceCount(&n));
	CTS_RT_OK(musaInitDevice(0, 0, 0));
	CTS_RT_OK(musaInitDevice(0, musaDeviceScheduleSpin, musaInitDeviceFlagsAreValid));
	CTS_RT_OK(musaGetDeviceFlags(&f));
	ck_assert_uint_eq(f & musaDeviceScheduleMask, musaDeviceScheduleSpin);
	/* The current device does not change. */
	CTS_RT_OK(musaInitDevice(n - 1, 0, 0));
	CTS_RT_OK(musaGetDevice(&d));
	ck_assert_int_eq(d, 0);
	CTS_RT(musaInitDevice(0, 0, 2), musaErrorInvalidValue);
	CTS_RT(musaInitDevice(0, 3, musaInitDeviceFlagsAreValid), musaErrorInvalidValue);
	CTS_RT(musaInitDevice(n, 0, 0), musaErrorInvalidDevice);
}

CTS_TEST(device, flush_rdma_writes)
{
#ifndef CTS_CUDA
	CTS_RT_OK(musaDeviceFlushGPUDirectRDMAWrites(musaFlushGPUDirectRDMAWritesTargetCurrentDevice,
	                                             musaFlushGPUDirectRDMAWritesToOwner));
	CTS_RT_OK(musaDeviceFlushGPUDirectRDMAWrites(musaFlushGPUDirectRDMAWritesTargetCurrentDevice,
	                                             musaFlushGPUDirectRDMAWritesToAllDevices));
#endif
	CTS_RT(musaDeviceFlushGPUDirectRDMAWrites(musaFlushGPUDirectRDMAWritesTargetCurrentDevice,
	                                          (enum musaFlushGPUDirectRDMAWritesScope)1),
	       musaErrorInvalidValue);
}

/* several devices, one per host thread */

struct dev_thread {
	int dev;
	int seen;
	int ok;
	musaError_t err;
};

static void *dev_thread_main(void *arg)
{
	struct dev_thread *t = arg;
	int *p = NULL, h[512];

	t->err = musaSetDevice(t->dev);
	if (t->err != musaSuccess)
		return NULL;
	for (int round = 0; round < 20; round++) {
		t->err = musaGetDevice(&t->seen);
		if (t->err != musaSuccess || t->seen != t->dev)
			return NULL;
		if ((t->err = musaMalloc((void **)&p, sizeof(h))) != musaSuccess ||
		    (t->err = cts_launch_fill(p, 100 * t->dev + round, 512, 0)) != musaSuccess ||
		    (t->err = musaMemcpy(h, p, sizeof(h), musaMemcpyDeviceToHost)) != musaSuccess ||
		    (t->err = musaFree(p)) != musaSuccess)
			return NULL;
		for (int i = 0; i < 512; i++)
			if (h[i] != 100 * t->dev + round)
				return NULL;
	}
	t->ok = 1;
	return NULL;
}

CTS_TEST(device, two_threads_two_devices)
{
	struct dev_thread t[2] = { { .dev = 0 }, { .dev = 1 } };
	pthread_t th[2];
	int d = -1;

	want_two_devices();
	CTS_REQUIRE_DEVICES(2);
	CTS_RT_OK(musaSetDevice(0));
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, dev_thread_main, &t[i]), 0);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < 2; i++) {
		CTS_RT_OK(t[i].err);
		ck_assert_int_eq(t[i].seen, t[i].dev);
		ck_assert_int_eq(t[i].ok, 1);
	}
	/* The other thread's choice did not move this one. */
	CTS_RT_OK(musaGetDevice(&d));
	ck_assert_int_eq(d, 0);
}

CTS_TEST(device, memory_is_per_device)
{
	size_t free0, total0, free1, total1;
	void *p = NULL;

	want_two_devices();
	CTS_REQUIRE_DEVICES(2);
	CTS_RT_OK(musaSetDevice(1));
	CTS_RT_OK(musaMemGetInfo(&free1, &total1));
	CTS_RT_OK(musaSetDevice(0));
	CTS_RT_OK(musaMemGetInfo(&free0, &total0));
	CTS_RT_OK(musaMalloc(&p, 64 << 20));
	CTS_RT_OK(musaSetDevice(1));
	{
		size_t f, t;

		CTS_RT_OK(musaMemGetInfo(&f, &t));
		/* 64 MiB on device 0 does not show on device 1. */
		ck_assert_uint_ge(f + (32u << 20), free1);
	}
	CTS_RT_OK(musaSetDevice(0));
	CTS_RT_OK(musaFree(p));
}

/* MUSA-only: environment */
#ifndef CTS_CUDA
CTS_TEST(device, visible_devices_select_and_order)
{
	char id[32];
	int n = 0;

	setenv("MUSA_SWDEV", "count=3", 1);
	setenv("MUSA_VISIBLE_DEVICES", "2,0", 1);
	CTS_RT_OK(musaGetDeviceCount(&n));
	ck_assert_int_eq(n, 2);
	CTS_RT_OK(musaDeviceGetPCIBusId(id, sizeof(id), 0));
	ck_assert_str_eq(id, "0000:02:00.0");
	CTS_RT_OK(musaDeviceGetPCIBusId(id, sizeof(id), 1));
	ck_assert_str_eq(id, "0000:00:00.0");
}

CTS_TEST(device, visible_devices_stop_at_invalid_entry)
{
	int n = 0;

	setenv("MUSA_SWDEV", "count=2", 1);
	setenv("MUSA_VISIBLE_DEVICES", "1,5,0", 1);
	CTS_RT_OK(musaGetDeviceCount(&n));
	ck_assert_int_eq(n, 1);
}

CTS_TEST(device, visible_devices_empty_means_none)
{
	int n = 5;

	setenv("MUSA_VISIBLE_DEVICES", "", 1);
	CTS_RT(musaGetDeviceCount(&n), musaErrorNoDevice);
	ck_assert_int_eq(n, 0);
	CTS_RT(musaSetDevice(0), musaErrorNoDevice);
	CTS_DRV(muInit(0), MUSA_ERROR_NO_DEVICE);
}

/* Runs fn with stderr going to a file; returns what it wrote. */
static char *capture_stderr(void (*fn)(void))
{
	static char buf[65536];
	FILE *f = tmpfile();
	int saved = dup(2);
	size_t n;

	ck_assert_ptr_ne(f, NULL);
	fflush(stderr);
	dup2(fileno(f), 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void log_some_calls(void)
{
	int n;

	musaGetDeviceCount(&n);
	musaSetDevice(9999);
	musaDeviceSynchronize();
}

CTS_TEST(device, log_debug_traces_calls)
{
	char *out;

	setenv("MUSA_LOG", "debug", 1);
	out = capture_stderr(log_some_calls);
	ck_assert_msg(strstr(out, "musaGetDeviceCount") != NULL, "no trace in: %s", out);
	ck_assert_msg(strstr(out, "musaSetDevice") && strstr(out, "musaErrorInvalidDevice"),
		      "no failing call in: %s", out);
	ck_assert_msg(strstr(out, "musaDeviceSynchronize") != NULL, "no trace in: %s", out);
}

CTS_TEST(device, log_off_is_silent)
{
	char *out;

	unsetenv("MUSA_LOG");
	out = capture_stderr(log_some_calls);
	ck_assert_msg(strstr(out, "musaSetDevice") == NULL, "unexpected output: %s", out);
}
#endif
