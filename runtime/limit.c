/* SPDX-License-Identifier: MIT */
/*
 * limit.c - musaDeviceSetLimit / musaDeviceGetLimit: the device printf FIFO
 * and malloc heap sizes of the current device's primary context, kept by
 * the driver (muCtxSetLimit / muCtxGetLimit; the enum values are shared).
 * Calls device.c and the driver.
 */
#include "rt.h"

MUSART_API musaError_t musaDeviceSetLimit(enum musaLimit limit, size_t value)
{
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muCtxSetLimit((MUlimit)limit, value)));
}

MUSART_API musaError_t musaDeviceGetLimit(size_t *pValue, enum musaLimit limit)
{
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muCtxGetLimit(pValue, (MUlimit)limit)));
}
