/* SPDX-License-Identifier: MIT */
/*
 * limit.c - musaDeviceSetLimit / musaDeviceGetLimit: the per-thread stack
 * size, the device printf FIFO and the malloc heap sizes of the current
 * device's primary context, kept by the driver (muCtxSetLimit /
 * muCtxGetLimit; the enum values are shared). A device reset restores the
 * defaults. Calls device.c and the driver.
 */
#include "rt.h"

/* Sets the limit to *value (set) or reads it into *value. */
static musaError_t rt_limit_access(enum musaLimit limit, int set, size_t *value)
{
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return e;
	if (limit != musaLimitStackSize && limit != musaLimitPrintfFifoSize &&
	    limit != musaLimitMallocHeapSize)
		return musaErrorUnsupportedLimit;
	CHECK(!value, musaErrorInvalidValue);
	return rt_dev_result(dev, set ? muCtxSetLimit((MUlimit)limit, *value)
	                              : muCtxGetLimit(value, (MUlimit)limit));
}

MUSART_API musaError_t musaDeviceSetLimit(enum musaLimit limit, size_t value)
{
	return rt_ret(rt_limit_access(limit, 1, &value));
}

MUSART_API musaError_t musaDeviceGetLimit(size_t *pValue, enum musaLimit limit)
{
	return rt_ret(rt_limit_access(limit, 0, pValue));
}
