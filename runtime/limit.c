/* SPDX-License-Identifier: MIT */
/*
 * limit.c - musaDeviceSetLimit / musaDeviceGetLimit: the device printf FIFO
 * and malloc heap sizes of the current device's primary context, kept by
 * the driver (muCtxSetLimit / muCtxGetLimit; the enum values are shared),
 * and the per-thread stack size, kept here per device: kernels run on fiber
 * or compute-unit stacks of at least RT_STACK_MAX bytes, so any value up to
 * that is honoured as it is. A device reset restores the default.
 * Calls device.c and the driver.
 */
#include "rt.h"

#define RT_STACK_DEFAULT 1024u             /* CUDA's default */
#define RT_STACK_MAX     (256u * 1024u)    /* the fiber stacks' default size */
#define RT_STACK_DEVS    64

static struct {
	size_t value;        /* 0: default */
	unsigned int gen;    /* context generation the value belongs to */
} rt_stack[RT_STACK_DEVS];
static pthread_mutex_t rt_stack_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t rt_stack_get(int dev)
{
	unsigned int gen = rt_dev_generation(dev);
	size_t v = RT_STACK_DEFAULT;

	if (dev >= RT_STACK_DEVS)
		return v;
	pthread_mutex_lock(&rt_stack_lock);
	if (rt_stack[dev].value && rt_stack[dev].gen == gen)
		v = rt_stack[dev].value;
	pthread_mutex_unlock(&rt_stack_lock);
	return v;
}

static musaError_t rt_stack_set(int dev, size_t value)
{
	if (value > RT_STACK_MAX)
		return musaErrorInvalidValue;
	if (dev >= RT_STACK_DEVS)
		return musaSuccess;
	pthread_mutex_lock(&rt_stack_lock);
	rt_stack[dev].value = value ? value : RT_STACK_DEFAULT;
	rt_stack[dev].gen = rt_dev_generation(dev);
	pthread_mutex_unlock(&rt_stack_lock);
	return musaSuccess;
}

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
	if (limit == musaLimitStackSize)
		return rt_ret(rt_stack_set(dev, value));
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
	if (!pValue)
		return rt_ret(musaErrorInvalidValue);
	if (limit == musaLimitStackSize) {
		*pValue = rt_stack_get(dev);
		return rt_ret(musaSuccess);
	}
	return rt_ret(rt_dev_result(dev, muCtxGetLimit(pValue, (MUlimit)limit)));
}
