/* SPDX-License-Identifier: MIT */
/*
 * limit.c - musaDeviceSetLimit / musaDeviceGetLimit: the per-thread stack
 * size, the device printf FIFO and the malloc heap sizes of the current
 * device's primary context, kept by the driver (muCtxSetLimit /
 * muCtxGetLimit; the enum values are shared). A device reset restores the
 * defaults. Calls device.c and the driver.
 */
#include "rt.h"

static int rt_limit_known(enum musaLimit limit)
{
	return limit == musaLimitStackSize || limit == musaLimitPrintfFifoSize ||
	       limit == musaLimitMallocHeapSize;
}

MUSART_API musaError_t musaDeviceSetLimit(enum musaLimit limit, size_t value)
{
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	if (!rt_limit_known(limit))
		return rt_ret(musaErrorUnsupportedLimit);
	return rt_ret(rt_dev_result(dev, muCtxSetLimit((MUlimit)limit, value)));
}

MUSART_API musaError_t musaDeviceGetLimit(size_t *pValue, enum musaLimit limit)
{
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	if (!rt_limit_known(limit))
		return rt_ret(musaErrorUnsupportedLimit);
	CHECK(!pValue, rt_ret(musaErrorInvalidValue));
	return rt_ret(rt_dev_result(dev, muCtxGetLimit(pValue, (MUlimit)limit)));
}
