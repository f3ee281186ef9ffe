/* SPDX-License-Identifier: MIT */
/*
 * occupancy.c - kernels as objects of the runtime: their attributes
 * (musaFuncGetAttributes / musaFuncSetAttribute), cache and bank
 * preferences and the occupancy calculator. Each call resolves the host
 * stub to the driver function of the current device (loading its module on
 * first use) and asks the driver. Calls device.c, register.c and the
 * driver's function and occupancy functions.
 */
#include <string.h>

#include "rt.h"

/* The current device's driver function behind a host stub. */
static musaError_t rt_func_enter(const void *func, int *dev, MUfunction *f)
{
	musaError_t e = rt_cur_enter(dev);

	if (e != musaSuccess)
		return e;
	if (!func)
		return musaErrorInvalidDeviceFunction;
	return rt_function_get(func, *dev, f);
}

static const struct {
	MUfunction_attribute attr;
	size_t offset;
	int is_size;
} rt_fattr_table[] = {
	{ MU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, offsetof(struct musaFuncAttributes, sharedSizeBytes), 1 },
	{ MU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES, offsetof(struct musaFuncAttributes, constSizeBytes), 1 },
	{ MU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES, offsetof(struct musaFuncAttributes, localSizeBytes), 1 },
	{ MU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, offsetof(struct musaFuncAttributes, maxThreadsPerBlock), 0 },
	{ MU_FUNC_ATTRIBUTE_NUM_REGS, offsetof(struct musaFuncAttributes, numRegs), 0 },
	{ MU_FUNC_ATTRIBUTE_PTX_VERSION, offsetof(struct musaFuncAttributes, ptxVersion), 0 },
	{ MU_FUNC_ATTRIBUTE_BINARY_VERSION, offsetof(struct musaFuncAttributes, binaryVersion), 0 },
	{ MU_FUNC_ATTRIBUTE_CACHE_MODE_CA, offsetof(struct musaFuncAttributes, cacheModeCA), 0 },
	{ MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
	  offsetof(struct musaFuncAttributes, maxDynamicSharedSizeBytes), 0 },
	{ MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT,
	  offsetof(struct musaFuncAttributes, preferredShmemCarveout), 0 },
	{ MU_FUNC_ATTRIBUTE_CLUSTER_SIZE_MUST_BE_SET,
	  offsetof(struct musaFuncAttributes, clusterDimMustBeSet), 0 },
	{ MU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_WIDTH,
	  offsetof(struct musaFuncAttributes, requiredClusterWidth), 0 },
	{ MU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_HEIGHT,
	  offsetof(struct musaFuncAttributes, requiredClusterHeight), 0 },
	{ MU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_DEPTH,
	  offsetof(struct musaFuncAttributes, requiredClusterDepth), 0 },
	{ MU_FUNC_ATTRIBUTE_CLUSTER_SCHEDULING_POLICY_PREFERENCE,
	  offsetof(struct musaFuncAttributes, clusterSchedulingPolicyPreference), 0 },
	{ MU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED,
	  offsetof(struct musaFuncAttributes, nonPortableClusterSizeAllowed), 0 },
};

MUSART_API musaError_t musaFuncGetAttributes(struct musaFuncAttributes *attr, const void *func)
{
	struct musaFuncAttributes a;
	MUfunction f;
	int dev;
	musaError_t e;

	CHECK(!attr, rt_ret(musaErrorInvalidValue));
	e = rt_func_enter(func, &dev, &f);
	if (e != musaSuccess)
		return rt_ret(e);
	memset(&a, 0, sizeof(a));
	for (size_t i = 0; i < sizeof(rt_fattr_table) / sizeof(rt_fattr_table[0]); i++) {
		char *field = (char *)&a + rt_fattr_table[i].offset;
		int v = 0;
		MUresult r = muFuncGetAttribute(&v, rt_fattr_table[i].attr, f);

		if (r != MUSA_SUCCESS)
			return rt_ret(rt_dev_result(dev, r));
		if (rt_fattr_table[i].is_size) {
			size_t sz = v < 0 ? 0 : (size_t)v;
			memcpy(field, &sz, sizeof(sz));
		} else {
			memcpy(field, &v, sizeof(v));
		}
	}
	*attr = a;
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaFuncSetAttribute(const void *func, enum musaFuncAttribute attr, int value)
{
	MUfunction f;
	int dev;
	musaError_t e = rt_func_enter(func, &dev, &f);

	if (e != musaSuccess)
		return rt_ret(e);
	/* musaFuncAttribute and MUfunction_attribute share their values. */
	CHECK(attr != musaFuncAttributeMaxDynamicSharedMemorySize &&
	      attr != musaFuncAttributePreferredSharedMemoryCarveout,
	      rt_ret(musaErrorInvalidValue));
	return rt_ret(rt_dev_result(dev, muFuncSetAttribute(f, (MUfunction_attribute)attr, value)));
}

MUSART_API musaError_t musaFuncSetCacheConfig(const void *func, enum musaFuncCache cacheConfig)
{
	MUfunction f;
	int dev;
	musaError_t e = rt_func_enter(func, &dev, &f);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK((unsigned int)cacheConfig > musaFuncCachePreferEqual, rt_ret(musaErrorInvalidValue));
	return rt_ret(rt_dev_result(dev, muFuncSetCacheConfig(f, (MUfunc_cache)cacheConfig)));
}

MUSART_API musaError_t musaFuncSetSharedMemConfig(const void *func, enum musaSharedMemConfig config)
{
	MUfunction f;
	int dev;
	musaError_t e = rt_func_enter(func, &dev, &f);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK((unsigned int)config > musaSharedMemBankSizeEightByte, rt_ret(musaErrorInvalidValue));
	return rt_ret(rt_dev_result(dev, muFuncSetSharedMemConfig(f, (MUsharedconfig)config)));
}

MUSART_API musaError_t musaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(int *numBlocks,
                                                                              const void *func,
                                                                              int blockSize,
                                                                              size_t dynamicSMemSize,
                                                                              unsigned int flags)
{
	MUfunction f;
	int dev;
	musaError_t e;

	CHECK(!numBlocks || (flags & ~(unsigned int)musaOccupancyDisableCachingOverride),
	      rt_ret(musaErrorInvalidValue));
	e = rt_func_enter(func, &dev, &f);
	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(
		numBlocks, f, blockSize, dynamicSMemSize, flags)));
}

MUSART_API musaError_t musaOccupancyMaxActiveBlocksPerMultiprocessor(int *numBlocks, const void *func,
                                                                     int blockSize,
                                                                     size_t dynamicSMemSize)
{
	return musaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(numBlocks, func, blockSize,
	                                                              dynamicSMemSize,
	                                                              musaOccupancyDefault);
}

MUSART_API musaError_t musaOccupancyAvailableDynamicSMemPerBlock(size_t *dynamicSmemSize,
                                                                 const void *func, int numBlocks,
                                                                 int blockSize)
{
	MUfunction f;
	int dev;
	musaError_t e;

	CHECK(!dynamicSmemSize, rt_ret(musaErrorInvalidValue));
	e = rt_func_enter(func, &dev, &f);
	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muOccupancyAvailableDynamicSMemPerBlock(
		dynamicSmemSize, f, numBlocks, blockSize)));
}
