/* SPDX-License-Identifier: MIT */
/*
 * dev_mgmt.c - the rest of the runtime's device management: device flags,
 * choosing a device, PCI bus ids, cache and shared-memory preferences,
 * peer attributes, valid-device lists, explicit initialization, the
 * profiler switches and legacy thread-named entry points. Calls device.c,
 * init.c and the driver (primary context, context preference, device
 * identity and profiler functions).
 */
#include <stdlib.h>
#include <string.h>

#include "rt.h"

musaError_t rt_dev_flags_check(unsigned int flags)
{
	unsigned int sched = flags & musaDeviceScheduleMask;

	CHECK(flags & ~(unsigned int)(musaDeviceScheduleMask | musaDeviceMapHost |
				      musaDeviceLmemResizeToMax | musaDeviceSyncMemops),
	      musaErrorInvalidValue);
	CHECK(sched != musaDeviceScheduleAuto && sched != musaDeviceScheduleSpin &&
	      sched != musaDeviceScheduleYield && sched != musaDeviceScheduleBlockingSync,
	      musaErrorInvalidValue);
	return musaSuccess;
}

static musaError_t rt_set_flags(int dev, unsigned int flags)
{
	musaError_t e = rt_dev_flags_check(flags);

	if (e != musaSuccess)
		return e;
	e = rt_dev_valid(dev);
	if (e != musaSuccess)
		return e;
	/* The driver keeps the context flags; SyncMemops is always in effect. */
	return rt_err(muDevicePrimaryCtxSetFlags(dev, flags & MU_CTX_FLAGS_MASK));
}

MUSART_API musaError_t musaSetDeviceFlags(unsigned int flags)
{
	return rt_ret(rt_set_flags(rt_current_device(), flags));
}

MUSART_API musaError_t musaGetDeviceFlags(unsigned int *flags)
{
	unsigned int f = 0;
	int active = 0, dev = rt_current_device();
	musaError_t e;

	CHECK(!flags, rt_ret(musaErrorInvalidValue));
	e = rt_dev_valid(dev);
	if (e != musaSuccess)
		return rt_ret(e);
	e = rt_err(muDevicePrimaryCtxGetState(dev, &f, &active));
	if (e != musaSuccess)
		return rt_ret(e);
	/* Host memory is always mapped into the device's reach. */
	*flags = f | musaDeviceMapHost;
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaChooseDevice(int *device, const struct musaDeviceProp *prop)
{
	long long best_score = -1;
	int best = 0;
	musaError_t e;

	CHECK(!device || !prop, rt_ret(musaErrorInvalidValue));
	e = rt_init();
	if (e != musaSuccess)
		return rt_ret(e);
	for (int i = 0; i < rt_device_count(); i++) {
		struct musaDeviceProp p;
		long long score = 0;

		if (musaGetDeviceProperties(&p, i) != musaSuccess)
			continue;
		/* Matching compute capability weighs most, then the closest
		 * capability at or above the request, then size. */
		if (p.major == prop->major && p.minor == prop->minor)
			score += 1ll << 40;
		else if (p.major * 10 + p.minor >= prop->major * 10 + prop->minor)
			score += 1ll << 39;
		if (prop->name[0] && strncmp(p.name, prop->name, sizeof(p.name)) == 0)
			score += 1ll << 38;
		if (prop->multiProcessorCount && p.multiProcessorCount >= prop->multiProcessorCount)
			score += 1ll << 37;
		if (prop->totalGlobalMem && p.totalGlobalMem >= prop->totalGlobalMem)
			score += 1ll << 36;
		score += p.multiProcessorCount;
		if (score > best_score) {
			best_score = score;
			best = i;
		}
	}
	*device = best;
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaThreadSetLimit(enum musaLimit limit, size_t value)
{
	return musaDeviceSetLimit(limit, value);
}

MUSART_API musaError_t musaThreadGetLimit(size_t *pValue, enum musaLimit limit)
{
	return musaDeviceGetLimit(pValue, limit);
}

MUSART_API musaError_t musaDeviceGetPCIBusId(char *pciBusId, int len, int device)
{
	musaError_t e;

	CHECK(!pciBusId || len <= 0, rt_ret(musaErrorInvalidValue));
	e = rt_dev_valid(device);
	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_err(muDeviceGetPCIBusId(pciBusId, len, device)));
}

MUSART_API musaError_t musaDeviceGetByPCIBusId(int *device, const char *pciBusId)
{
	MUdevice d = 0;
	musaError_t e;

	CHECK(!device || !pciBusId, rt_ret(musaErrorInvalidValue));
	e = rt_init();
	if (e != musaSuccess)
		return rt_ret(e);
	e = rt_err(muDeviceGetByPCIBusId(&d, pciBusId));
	if (e == musaSuccess)
		*device = (int)d;
	return rt_ret(e);
}

/* Runs a driver call on the current device's primary context. */
#define RT_ON_CURRENT(call)                                       \
	do {                                                      \
		int dev_;                                         \
		musaError_t e_ = rt_cur_enter(&dev_);             \
		if (e_ != musaSuccess)                            \
			return rt_ret(e_);                        \
		return rt_ret(rt_dev_result(dev_, (call)));       \
	} while (0)

MUSART_API musaError_t musaDeviceSetCacheConfig(enum musaFuncCache cacheConfig)
{
	CHECK((unsigned int)cacheConfig > musaFuncCachePreferEqual, rt_ret(musaErrorInvalidValue));
	RT_ON_CURRENT(muCtxSetCacheConfig((MUfunc_cache)cacheConfig));
}

/* Reads a preference of the current device's context: the cache split into
 * *cache, or else the shared-memory bank size into *shared. */
static musaError_t rt_ctx_config_get(enum musaFuncCache *cache, enum musaSharedMemConfig *shared)
{
	MUfunc_cache c = MU_FUNC_CACHE_PREFER_NONE;
	MUsharedconfig s = MU_SHARED_MEM_CONFIG_DEFAULT_BANK_SIZE;
	int dev;
	musaError_t e;

	CHECK(!cache && !shared, musaErrorInvalidValue);
	e = rt_cur_enter(&dev);
	if (e != musaSuccess)
		return e;
	e = rt_dev_result(dev, cache ? muCtxGetCacheConfig(&c) : muCtxGetSharedMemConfig(&s));
	if (e == musaSuccess && cache)
		*cache = (enum musaFuncCache)c;
	else if (e == musaSuccess)
		*shared = (enum musaSharedMemConfig)s;
	return e;
}

MUSART_API musaError_t musaDeviceGetCacheConfig(enum musaFuncCache *pCacheConfig)
{
	return rt_ret(rt_ctx_config_get(pCacheConfig, NULL));
}

MUSART_API musaError_t musaDeviceSetSharedMemConfig(enum musaSharedMemConfig config)
{
	CHECK((unsigned int)config > musaSharedMemBankSizeEightByte, rt_ret(musaErrorInvalidValue));
	RT_ON_CURRENT(muCtxSetSharedMemConfig((MUsharedconfig)config));
}

MUSART_API musaError_t musaDeviceGetSharedMemConfig(enum musaSharedMemConfig *pConfig)
{
	return rt_ret(rt_ctx_config_get(NULL, pConfig));
}

MUSART_API musaError_t musaThreadSetCacheConfig(enum musaFuncCache cacheConfig)
{
	return musaDeviceSetCacheConfig(cacheConfig);
}

MUSART_API musaError_t musaThreadGetCacheConfig(enum musaFuncCache *pCacheConfig)
{
	return musaDeviceGetCacheConfig(pCacheConfig);
}

MUSART_API musaError_t musaThreadExit(void)
{
	return musaDeviceReset();
}

/* The driver's profiler control in the current device's primary context
 * (which this makes current, as the other calls do). */
static musaError_t rt_profiler(MUresult (*fn)(void))
{
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return e;
	return rt_err(fn());
}

MUSART_API musaError_t musaProfilerStart(void)
{
	return rt_ret(rt_profiler(muProfilerStart));
}

MUSART_API musaError_t musaProfilerStop(void)
{
	return rt_ret(rt_profiler(muProfilerStop));
}

MUSART_API musaError_t musaDeviceGetP2PAttribute(int *value, enum musaDeviceP2PAttr attr,
                                                 int srcDevice, int dstDevice)
{
	musaError_t e;

	CHECK(!value, rt_ret(musaErrorInvalidValue));
	e = rt_dev_valid(srcDevice);
	if (e == musaSuccess)
		e = rt_dev_valid(dstDevice);
	if (e != musaSuccess)
		return rt_ret(e);
	if (srcDevice == dstDevice)
		return rt_ret(musaErrorInvalidDevice);
	switch (attr) {
	case musaDevP2PAttrPerformanceRank:
		*value = 0;
		break;
	case musaDevP2PAttrAccessSupported:
	case musaDevP2PAttrNativeAtomicSupported:
		/* Every device's memory is host memory of this process. */
		*value = 1;
		break;
	case musaDevP2PAttrMusaArrayAccessSupported:
		*value = 0;   /* no arrays */
		break;
	default:
		return rt_ret(musaErrorInvalidValue);
	}
	return rt_ret(musaSuccess);
}

static pthread_mutex_t rt_valid_lock = PTHREAD_MUTEX_INITIALIZER;
static int *rt_valid_devs;
static int rt_nvalid;

MUSART_API musaError_t musaSetValidDevices(int *device_arr, int len)
{
	int *copy = NULL;
	musaError_t e;

	CHECK(len < 0 || (!device_arr && len > 0), rt_ret(musaErrorInvalidValue));
	e = rt_init();
	if (e != musaSuccess)
		return rt_ret(e);
	for (int i = 0; i < len; i++)
		if (device_arr[i] < 0 || device_arr[i] >= rt_device_count())
			return rt_ret(musaErrorInvalidDevice);
	if (len) {
		copy = malloc((size_t)len * sizeof(*copy));
		if (!copy)
			return rt_ret(musaErrorMemoryAllocation);
		memcpy(copy, device_arr, (size_t)len * sizeof(*copy));
	}
	pthread_mutex_lock(&rt_valid_lock);
	free(rt_valid_devs);
	rt_valid_devs = copy;
	rt_nvalid = len;
	pthread_mutex_unlock(&rt_valid_lock);
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaInitDevice(int device, unsigned int deviceFlags, unsigned int flags)
{
	MUcontext ctx;
	musaError_t e;

	CHECK(flags & ~(unsigned int)musaInitDeviceFlagsAreValid, rt_ret(musaErrorInvalidValue));
	e = rt_dev_valid(device);
	if (e != musaSuccess)
		return rt_ret(e);
	if (flags & musaInitDeviceFlagsAreValid) {
		e = rt_set_flags(device, deviceFlags);
		if (e != musaSuccess)
			return rt_ret(e);
	}
	return rt_ret(rt_dev_retain(device, &ctx));
}

MUSART_API musaError_t musaDeviceFlushGPUDirectRDMAWrites(enum musaFlushGPUDirectRDMAWritesTarget target,
                                                          enum musaFlushGPUDirectRDMAWritesScope scope)
{
	int dev;
	musaError_t e;

	CHECK(target != musaFlushGPUDirectRDMAWritesTargetCurrentDevice ||
	      (scope != musaFlushGPUDirectRDMAWritesToOwner &&
		 scope != musaFlushGPUDirectRDMAWritesToAllDevices), rt_ret(musaErrorInvalidValue));
	/* Device writes land in host memory in program order: nothing to do. */
	e = rt_cur_enter(&dev);
	return rt_ret(e);
}
