/* SPDX-License-Identifier: MIT */
/*
 * device.c - devices as the runtime sees them: the per-thread current
 * device, one retained primary context per device made current on demand,
 * sticky fault errors per device, device properties and attributes,
 * synchronization (musaDeviceSynchronize is generated in forward.c) and
 * reset. Calls the driver API (device, primary context
 * and context functions) and the registries of handles.c / register.c.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"

struct rt_device {
	MUcontext ctx;          /* retained primary context; NULL until first use */
	unsigned int gen;       /* bumped when the context is reset */
	int sticky;             /* musaError_t of a device fault, 0 if none */
	int limits_valid;
	struct rt_limits limits;
};

static pthread_mutex_t rt_dev_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rt_device *rt_devs;
static __thread int rt_cur_dev;

int rt_current_device(void)
{
	return rt_cur_dev;
}

static pthread_once_t rt_devs_once = PTHREAD_ONCE_INIT;

static void rt_devs_alloc(void)
{
	rt_devs = calloc((size_t)rt_device_count(), sizeof(*rt_devs));
}

musaError_t rt_dev_valid(int dev)
{
	musaError_t e = rt_init();

	if (e != musaSuccess)
		return e;
	return dev < 0 || dev >= rt_device_count() ? musaErrorInvalidDevice : musaSuccess;
}

/* rt_dev_valid(); the table of devices exists from then on. */
static musaError_t rt_dev_check(int dev)
{
	musaError_t e = rt_dev_valid(dev);

	if (e != musaSuccess)
		return e;
	pthread_once(&rt_devs_once, rt_devs_alloc);
	return rt_devs ? musaSuccess : musaErrorMemoryAllocation;
}

musaError_t rt_dev_retain(int dev, MUcontext *out)
{
	MUcontext ctx = NULL;
	MUdevice h;
	MUresult r;
	musaError_t e = rt_dev_check(dev);

	if (e != musaSuccess)
		return e;
	pthread_mutex_lock(&rt_dev_lock);
	ctx = rt_devs[dev].ctx;
	if (!ctx) {
		r = muDeviceGet(&h, dev);
		if (r == MUSA_SUCCESS)
			r = muDevicePrimaryCtxRetain(&ctx, h);
		if (r != MUSA_SUCCESS) {
			pthread_mutex_unlock(&rt_dev_lock);
			rt_log("device %d: primary context retain failed (%d)", dev, (int)r);
			return rt_err(r);
		}
		rt_devs[dev].ctx = ctx;
	}
	pthread_mutex_unlock(&rt_dev_lock);
	*out = ctx;
	return musaSuccess;
}

static musaError_t rt_dev_bind(int dev)
{
	MUcontext ctx = NULL, cur = NULL;
	MUresult r;
	musaError_t e = rt_dev_retain(dev, &ctx);

	if (e != musaSuccess)
		return e;
	r = muCtxGetCurrent(&cur);
	if (r == MUSA_SUCCESS && cur == ctx)
		return musaSuccess;
	return rt_err(muCtxSetCurrent(ctx));
}

musaError_t rt_dev_sticky(int dev)
{
	if (!rt_initialized() || dev < 0 || dev >= rt_device_count())
		return musaSuccess;
	pthread_once(&rt_devs_once, rt_devs_alloc);
	if (!rt_devs)
		return musaSuccess;
	return (musaError_t)__atomic_load_n(&rt_devs[dev].sticky, __ATOMIC_ACQUIRE);
}

musaError_t rt_dev_enter(int dev)
{
	musaError_t e = rt_dev_check(dev);

	if (e != musaSuccess)
		return e;
	e = rt_dev_sticky(dev);
	if (e != musaSuccess)
		return e;
	return rt_dev_bind(dev);
}

musaError_t rt_cur_enter(int *dev)
{
	*dev = rt_cur_dev;
	return rt_dev_enter(*dev);
}

musaError_t rt_dev_result(int dev, MUresult r)
{
	musaError_t e = rt_err(r);
	int none = 0;

	if (rt_err_is_fault(r) && rt_devs && dev >= 0 && dev < rt_device_count()) {
		/* The first fault wins: later ones are consequences of it. */
		__atomic_compare_exchange_n(&rt_devs[dev].sticky, &none, (int)e, 0,
		                            __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
		rt_log("device %d: fault %s is sticky until musaDeviceReset", dev,
		       musaGetErrorName(e));
	}
	return e;
}

unsigned int rt_dev_generation(int dev)
{
	unsigned int g;

	pthread_mutex_lock(&rt_dev_lock);
	g = rt_devs[dev].gen;
	pthread_mutex_unlock(&rt_dev_lock);
	return g;
}

static const MUdevice_attribute rt_limit_attrs[] = {
	MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK,
	MU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X,
	MU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y,
	MU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z,
	MU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X,
	MU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y,
	MU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z,
	MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK,
	MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
	MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
};

musaError_t rt_dev_limits(int dev, struct rt_limits *out)
{
	int v[sizeof(rt_limit_attrs) / sizeof(rt_limit_attrs[0])];
	musaError_t e = rt_dev_check(dev);

	if (e != musaSuccess)
		return e;
	pthread_mutex_lock(&rt_dev_lock);
	if (rt_devs[dev].limits_valid) {
		*out = rt_devs[dev].limits;
		pthread_mutex_unlock(&rt_dev_lock);
		return musaSuccess;
	}
	pthread_mutex_unlock(&rt_dev_lock);

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		MUresult r = muDeviceGetAttribute(&v[i], rt_limit_attrs[i], dev);
		if (r != MUSA_SUCCESS)
			return rt_err(r);
	}
	out->max_threads_per_block = v[0];
	out->max_block[0] = v[1];
	out->max_block[1] = v[2];
	out->max_block[2] = v[3];
	out->max_grid[0] = v[4];
	out->max_grid[1] = v[5];
	out->max_grid[2] = v[6];
	out->max_shared_per_block = v[7];
	out->arch = v[8] * 10 + v[9];

	pthread_mutex_lock(&rt_dev_lock);
	rt_devs[dev].limits = *out;
	rt_devs[dev].limits_valid = 1;
	pthread_mutex_unlock(&rt_dev_lock);
	return musaSuccess;
}

/* Device management API */

MUSART_API musaError_t musaGetDeviceCount(int *count)
{
	musaError_t e;

	CHECK(!count, rt_ret(musaErrorInvalidValue));
	e = rt_init();
	*count = e == musaSuccess ? rt_device_count() : 0;
	return rt_ret(e);
}

MUSART_API musaError_t musaSetDevice(int device)
{
	musaError_t e = rt_dev_check(device);

	if (e != musaSuccess)
		return rt_ret(e);
	rt_cur_dev = device;
	/* As CUDA 12 does, the primary context is set up here, so a device that
	 * cannot be used says so at once. */
	return rt_ret(rt_dev_bind(device));
}

MUSART_API musaError_t musaGetDevice(int *device)
{
	musaError_t e;

	CHECK(!device, rt_ret(musaErrorInvalidValue));
	e = rt_init();
	if (e != musaSuccess)
		return rt_ret(e);
	*device = rt_cur_dev;
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaDeviceGetAttribute(int *value, enum musaDeviceAttr attr, int device)
{
	musaError_t e;
	int v;
	MUresult r;

	CHECK(!value, rt_ret(musaErrorInvalidValue));
	e = rt_dev_check(device);
	if (e != musaSuccess)
		return rt_ret(e);
	/* musaDeviceAttr and MUdevice_attribute share their values. */
	r = muDeviceGetAttribute(&v, (MUdevice_attribute)attr, device);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_err(r));
	*value = v;
	return rt_ret(musaSuccess);
}

#define PROP_INT(field, attr)  { attr, offsetof(struct musaDeviceProp, field), 0 }
#define PROP_SIZE(field, attr) { attr, offsetof(struct musaDeviceProp, field), 1 }
/* An int array member whose elements are the attributes prefix_a, prefix_b
 * (and prefix_c). */
#define PROP_INT2(field, prefix, a, b)                           \
	PROP_INT(field[0], MU_DEVICE_ATTRIBUTE_##prefix##_##a), \
	PROP_INT(field[1], MU_DEVICE_ATTRIBUTE_##prefix##_##b)
#define PROP_INT3(field, prefix, a, b, c) \
	PROP_INT2(field, prefix, a, b), PROP_INT(field[2], MU_DEVICE_ATTRIBUTE_##prefix##_##c)

static const struct {
	MUdevice_attribute attr;
	size_t offset;
	int is_size;
} rt_prop_table[] = {
	PROP_SIZE(sharedMemPerBlock, MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK),
	PROP_INT(regsPerBlock, MU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK),
	PROP_INT(warpSize, MU_DEVICE_ATTRIBUTE_WARP_SIZE),
	PROP_SIZE(memPitch, MU_DEVICE_ATTRIBUTE_MAX_PITCH),
	PROP_INT(maxThreadsPerBlock, MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK),
	PROP_INT3(maxThreadsDim, MAX_BLOCK_DIM, X, Y, Z),
	PROP_INT3(maxGridSize, MAX_GRID_DIM, X, Y, Z),
	PROP_INT(clockRate, MU_DEVICE_ATTRIBUTE_CLOCK_RATE),
	PROP_SIZE(totalConstMem, MU_DEVICE_ATTRIBUTE_TOTAL_CONSTANT_MEMORY),
	PROP_INT(major, MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
	PROP_INT(minor, MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
	PROP_SIZE(textureAlignment, MU_DEVICE_ATTRIBUTE_TEXTURE_ALIGNMENT),
	PROP_INT(deviceOverlap, MU_DEVICE_ATTRIBUTE_GPU_OVERLAP),
	PROP_INT(multiProcessorCount, MU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
	PROP_INT(kernelExecTimeoutEnabled, MU_DEVICE_ATTRIBUTE_KERNEL_EXEC_TIMEOUT),
	PROP_INT(integrated, MU_DEVICE_ATTRIBUTE_INTEGRATED),
	PROP_INT(canMapHostMemory, MU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY),
	PROP_INT(computeMode, MU_DEVICE_ATTRIBUTE_COMPUTE_MODE),
	PROP_INT(concurrentKernels, MU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS),
	PROP_INT(ECCEnabled, MU_DEVICE_ATTRIBUTE_ECC_ENABLED),
	PROP_INT(pciBusID, MU_DEVICE_ATTRIBUTE_PCI_BUS_ID),
	PROP_INT(pciDeviceID, MU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID),
	PROP_INT(pciDomainID, MU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID),
	PROP_INT(tccDriver, MU_DEVICE_ATTRIBUTE_TCC_DRIVER),
	PROP_INT(asyncEngineCount, MU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT),
	PROP_INT(unifiedAddressing, MU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING),
	PROP_INT(memoryClockRate, MU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE),
	PROP_INT(memoryBusWidth, MU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH),
	PROP_INT(l2CacheSize, MU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE),
	PROP_INT(maxThreadsPerMultiProcessor, MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR),
	PROP_INT(streamPrioritiesSupported, MU_DEVICE_ATTRIBUTE_STREAM_PRIORITIES_SUPPORTED),
	PROP_INT(globalL1CacheSupported, MU_DEVICE_ATTRIBUTE_GLOBAL_L1_CACHE_SUPPORTED),
	PROP_INT(localL1CacheSupported, MU_DEVICE_ATTRIBUTE_LOCAL_L1_CACHE_SUPPORTED),
	PROP_SIZE(sharedMemPerMultiprocessor, MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR),
	PROP_INT(regsPerMultiprocessor, MU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_MULTIPROCESSOR),
	PROP_INT(managedMemory, MU_DEVICE_ATTRIBUTE_MANAGED_MEMORY),
	PROP_INT(isMultiGpuBoard, MU_DEVICE_ATTRIBUTE_MULTI_GPU_BOARD),
	PROP_INT(multiGpuBoardGroupID, MU_DEVICE_ATTRIBUTE_MULTI_GPU_BOARD_GROUP_ID),
	PROP_INT(hostNativeAtomicSupported, MU_DEVICE_ATTRIBUTE_HOST_NATIVE_ATOMIC_SUPPORTED),
	PROP_INT(pageableMemoryAccess, MU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS),
	PROP_INT(concurrentManagedAccess, MU_DEVICE_ATTRIBUTE_CONCURRENT_MANAGED_ACCESS),
	PROP_INT(computePreemptionSupported, MU_DEVICE_ATTRIBUTE_COMPUTE_PREEMPTION_SUPPORTED),
	PROP_INT(canUseHostPointerForRegisteredMem, MU_DEVICE_ATTRIBUTE_CAN_USE_HOST_POINTER_FOR_REGISTERED_MEM),
	PROP_INT(cooperativeLaunch, MU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH),
	PROP_SIZE(sharedMemPerBlockOptin, MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN),
	PROP_INT(maxBlocksPerMultiProcessor, MU_DEVICE_ATTRIBUTE_MAX_BLOCKS_PER_MULTIPROCESSOR),
	PROP_SIZE(texturePitchAlignment, MU_DEVICE_ATTRIBUTE_TEXTURE_PITCH_ALIGNMENT),
	PROP_SIZE(surfaceAlignment, MU_DEVICE_ATTRIBUTE_SURFACE_ALIGNMENT),
	PROP_INT(maxTexture1D, MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_WIDTH),
	PROP_INT(maxTexture1DMipmap, MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_MIPMAPPED_WIDTH),
	PROP_INT(maxTexture1DLinear, MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_LINEAR_WIDTH),
	PROP_INT2(maxTexture2D, MAXIMUM_TEXTURE2D, WIDTH, HEIGHT),
	PROP_INT2(maxTexture2DMipmap, MAXIMUM_TEXTURE2D_MIPMAPPED, WIDTH, HEIGHT),
	PROP_INT3(maxTexture2DLinear, MAXIMUM_TEXTURE2D_LINEAR, WIDTH, HEIGHT, PITCH),
	PROP_INT2(maxTexture2DGather, MAXIMUM_TEXTURE2D_GATHER, WIDTH, HEIGHT),
	PROP_INT3(maxTexture3D, MAXIMUM_TEXTURE3D, WIDTH, HEIGHT, DEPTH),
	PROP_INT(maxTexture3DAlt[0], MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_WIDTH_ALTERNATE),
	PROP_INT(maxTexture3DAlt[1], MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_HEIGHT_ALTERNATE),
	PROP_INT(maxTexture3DAlt[2], MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_DEPTH_ALTERNATE),
	PROP_INT(maxTextureCubemap, MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURECUBEMAP_WIDTH),
	PROP_INT2(maxTexture1DLayered, MAXIMUM_TEXTURE1D_LAYERED, WIDTH, LAYERS),
	PROP_INT3(maxTexture2DLayered, MAXIMUM_TEXTURE2D_LAYERED, WIDTH, HEIGHT, LAYERS),
	PROP_INT2(maxTextureCubemapLayered, MAXIMUM_TEXTURECUBEMAP_LAYERED, WIDTH, LAYERS),
	PROP_INT(maxSurface1D, MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_WIDTH),
	PROP_INT2(maxSurface2D, MAXIMUM_SURFACE2D, WIDTH, HEIGHT),
	PROP_INT3(maxSurface3D, MAXIMUM_SURFACE3D, WIDTH, HEIGHT, DEPTH),
	PROP_INT2(maxSurface1DLayered, MAXIMUM_SURFACE1D_LAYERED, WIDTH, LAYERS),
	PROP_INT3(maxSurface2DLayered, MAXIMUM_SURFACE2D_LAYERED, WIDTH, HEIGHT, LAYERS),
	PROP_INT(maxSurfaceCubemap, MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACECUBEMAP_WIDTH),
	PROP_INT2(maxSurfaceCubemapLayered, MAXIMUM_SURFACECUBEMAP_LAYERED, WIDTH, LAYERS),
	PROP_INT(persistingL2CacheMaxSize, MU_DEVICE_ATTRIBUTE_MAX_PERSISTING_L2_CACHE_SIZE),
	PROP_INT(singleToDoublePrecisionPerfRatio, MU_DEVICE_ATTRIBUTE_SINGLE_TO_DOUBLE_PRECISION_PERF_RATIO),
	PROP_INT(cooperativeMultiDeviceLaunch, MU_DEVICE_ATTRIBUTE_COOPERATIVE_MULTI_DEVICE_LAUNCH),
	PROP_INT(pageableMemoryAccessUsesHostPageTables, MU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS_USES_HOST_PAGE_TABLES),
	PROP_INT(directManagedMemAccessFromHost, MU_DEVICE_ATTRIBUTE_DIRECT_MANAGED_MEM_ACCESS_FROM_HOST),
	PROP_INT(accessPolicyMaxWindowSize, MU_DEVICE_ATTRIBUTE_MAX_ACCESS_POLICY_WINDOW_SIZE),
	PROP_SIZE(reservedSharedMemPerBlock, MU_DEVICE_ATTRIBUTE_RESERVED_SHARED_MEMORY_PER_BLOCK),
	PROP_INT(hostRegisterSupported, MU_DEVICE_ATTRIBUTE_HOST_REGISTER_SUPPORTED),
	PROP_INT(sparseMusaArraySupported, MU_DEVICE_ATTRIBUTE_SPARSE_MUSA_ARRAY_SUPPORTED),
	PROP_INT(hostRegisterReadOnlySupported, MU_DEVICE_ATTRIBUTE_READ_ONLY_HOST_REGISTER_SUPPORTED),
	PROP_INT(timelineSemaphoreInteropSupported, MU_DEVICE_ATTRIBUTE_TIMELINE_SEMAPHORE_INTEROP_SUPPORTED),
	PROP_INT(memoryPoolsSupported, MU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED),
	PROP_INT(gpuDirectRDMASupported, MU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_SUPPORTED),
	PROP_INT(gpuDirectRDMAFlushWritesOptions, MU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_FLUSH_WRITES_OPTIONS),
	PROP_INT(gpuDirectRDMAWritesOrdering, MU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_WRITES_ORDERING),
	PROP_INT(memoryPoolSupportedHandleTypes, MU_DEVICE_ATTRIBUTE_MEMPOOL_SUPPORTED_HANDLE_TYPES),
	PROP_INT(deferredMappingMusaArraySupported, MU_DEVICE_ATTRIBUTE_DEFERRED_MAPPING_MUSA_ARRAY_SUPPORTED),
	PROP_INT(ipcEventSupported, MU_DEVICE_ATTRIBUTE_IPC_EVENT_SUPPORTED),
	PROP_INT(clusterLaunch, MU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH),
	PROP_INT(unifiedFunctionPointers, MU_DEVICE_ATTRIBUTE_UNIFIED_FUNCTION_POINTERS),
};

MUSART_API musaError_t musaGetDeviceProperties(struct musaDeviceProp *prop, int device)
{
	struct musaDeviceProp p;
	musaError_t e;
	MUresult r;
	size_t total = 0;

	CHECK(!prop, rt_ret(musaErrorInvalidValue));
	e = rt_dev_check(device);
	if (e != musaSuccess)
		return rt_ret(e);

	memset(&p, 0, sizeof(p));
	r = muDeviceGetName(p.name, (int)sizeof(p.name), device);
	if (r == MUSA_SUCCESS)
		r = muDeviceTotalMem(&total, device);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_err(r));
	p.totalGlobalMem = total;

	for (size_t i = 0; i < sizeof(rt_prop_table) / sizeof(rt_prop_table[0]); i++) {
		char *field = (char *)&p + rt_prop_table[i].offset;
		int v = 0;

		r = muDeviceGetAttribute(&v, rt_prop_table[i].attr, device);
		/* An attribute this driver does not know stays 0 (absent feature). */
		if (r == MUSA_ERROR_INVALID_VALUE)
			v = 0;
		else if (r != MUSA_SUCCESS)
			return rt_ret(rt_err(r));
		if (rt_prop_table[i].is_size) {
			size_t s = v < 0 ? 0 : (size_t)v;
			memcpy(field, &s, sizeof(s));
		} else {
			memcpy(field, &v, sizeof(v));
		}
	}
	/* Identity; a LUID exists only on Windows (left zero). */
	r = muDeviceGetUuid((MUuuid *)&p.uuid, device);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_err(r));
	*prop = p;
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaThreadSynchronize(void)
{
	return musaDeviceSynchronize();
}

MUSART_API musaError_t musaDeviceReset(void)
{
	int dev = rt_cur_dev;
	MUcontext ctx;
	MUresult r = MUSA_SUCCESS;
	musaError_t e = rt_dev_check(dev);

	if (e != musaSuccess)
		return rt_ret(e);
	pthread_mutex_lock(&rt_dev_lock);
	ctx = rt_devs[dev].ctx;
	if (ctx) {
		r = muDevicePrimaryCtxReset(dev);
		if (r != MUSA_SUCCESS) {
			pthread_mutex_unlock(&rt_dev_lock);
			return rt_ret(rt_err(r));
		}
		/* Give up our reference: the next use retains a fresh context, so
		 * it works whether the driver keeps the old handle alive or not. */
		muDevicePrimaryCtxRelease(dev);
		rt_devs[dev].ctx = NULL;
	}
	rt_devs[dev].gen++;
	__atomic_store_n(&rt_devs[dev].sticky, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&rt_dev_lock);

	rt_handles_drop_device(&rt_streams, dev);
	rt_handles_drop_device(&rt_events, dev);
	rt_register_forget_device(dev);
	rt_log("device %d reset", dev);
	return rt_ret(musaSuccess);
}
