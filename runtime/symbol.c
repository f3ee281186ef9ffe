/* SPDX-License-Identifier: MIT */
/*
 * symbol.c - the symbol API: musaMemcpyToSymbol / FromSymbol (+Async),
 * musaGetSymbolAddress, musaGetSymbolSize.
 *
 * A symbol is the host shadow of a registered __device__ / __constant__ /
 * __managed__ variable; register.c resolves it to the variable's device
 * address in the current device's module (muModuleGetGlobal). Variables
 * live in the module's data, which the driver treats as device memory for
 * copies; a managed variable's storage is its host shadow, reached with the
 * driver's unified copies. Calls register.c, device.c, stream.c and
 * memory.c (rt_mem_copy_driver, which calls the driver's copy functions).
 */
#include <stdint.h>

#include "rt.h"

static int rt_is_device_ptr(const void *p)
{
	unsigned int type = 0;

	return muPointerGetAttribute(&type, MU_POINTER_ATTRIBUTE_MEMORY_TYPE,
	                             (MUdeviceptr)(uintptr_t)p) == MUSA_SUCCESS &&
	       type == MU_MEMORYTYPE_DEVICE;
}

static musaError_t rt_symbol_copy(const void *symbol, void *other, size_t count, size_t offset,
                                  enum musaMemcpyKind kind, musaStream_t stream, int async,
                                  int to_symbol)
{
	/* The variable is device memory: the kind names where `other` is. */
	enum musaMemcpyKind from_host = to_symbol ? musaMemcpyHostToDevice : musaMemcpyDeviceToHost;
	struct rt_symbol sym;
	int dev, other_dev;
	void *var;
	MUstream s;
	MUresult r;
	musaError_t e;

	if (kind != from_host && kind != musaMemcpyDeviceToDevice && kind != musaMemcpyDefault)
		return musaErrorInvalidMemcpyDirection;
	e = rt_cur_enter_stream(stream, async, &dev, &s);
	if (e != musaSuccess)
		return e;
	if (!symbol)
		return musaErrorInvalidSymbol;
	e = rt_symbol_get(symbol, dev, &sym);
	if (e != musaSuccess)
		return e;
	CHECK(offset > sym.size || count > sym.size - offset, musaErrorInvalidValue);
	if (count == 0)
		return musaSuccess;
	CHECK(!other, musaErrorInvalidValue);
	other_dev = rt_is_device_ptr(other);
	CHECK(kind != musaMemcpyDefault && other_dev != (kind == musaMemcpyDeviceToDevice),
	      musaErrorInvalidValue);
	var = (void *)(uintptr_t)(sym.addr + offset);
	if (sym.managed)  /* host storage on one side: the unified copy */
		kind = musaMemcpyHostToHost;
	else if (other_dev)
		kind = musaMemcpyDeviceToDevice;
	else
		kind = from_host;
	r = to_symbol ? rt_mem_copy_driver(var, other, count, kind, s, async)
	              : rt_mem_copy_driver(other, var, count, kind, s, async);
	return rt_dev_result(dev, r);
}

MUSART_API musaError_t musaMemcpyToSymbol(const void *symbol, const void *src, size_t count,
                                          size_t offset, enum musaMemcpyKind kind)
{
	return rt_ret(rt_symbol_copy(symbol, (void *)(uintptr_t)src, count, offset, kind,
	                             NULL, 0, 1));
}

MUSART_API musaError_t musaMemcpyFromSymbol(void *dst, const void *symbol, size_t count,
                                            size_t offset, enum musaMemcpyKind kind)
{
	return rt_ret(rt_symbol_copy(symbol, dst, count, offset, kind, NULL, 0, 0));
}

MUSART_API musaError_t musaMemcpyToSymbolAsync(const void *symbol, const void *src,
                                               size_t count, size_t offset,
                                               enum musaMemcpyKind kind, musaStream_t stream)
{
	return rt_ret(rt_symbol_copy(symbol, (void *)(uintptr_t)src, count, offset, kind,
	                             stream, 1, 1));
}

MUSART_API musaError_t musaMemcpyFromSymbolAsync(void *dst, const void *symbol, size_t count,
                                                 size_t offset, enum musaMemcpyKind kind,
                                                 musaStream_t stream)
{
	return rt_ret(rt_symbol_copy(symbol, dst, count, offset, kind, stream, 1, 0));
}

/* The device address of a variable (devPtr), or else its size. */
static musaError_t rt_symbol_query(const void *symbol, void **devPtr, size_t *size)
{
	struct rt_symbol sym;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return e;
	CHECK(!devPtr && !size, musaErrorInvalidValue);
	e = rt_symbol_get(symbol, dev, &sym);
	if (e == musaSuccess && devPtr)
		*devPtr = (void *)(uintptr_t)sym.addr;
	else if (e == musaSuccess)
		*size = sym.size;
	return e;
}

MUSART_API musaError_t musaGetSymbolAddress(void **devPtr, const void *symbol)
{
	return rt_ret(rt_symbol_query(symbol, devPtr, NULL));
}

MUSART_API musaError_t musaGetSymbolSize(size_t *size, const void *symbol)
{
	return rt_ret(rt_symbol_query(symbol, NULL, size));
}
