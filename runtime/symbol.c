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
 * driver's unified copies. Calls register.c, memory.c's rules (kinds) and
 * the driver's copy functions.
 */
#include <stdint.h>

#include "rt.h"

struct rt_sym_copy {
	MUdeviceptr var;      /* address inside the variable */
	void *other;          /* the user's side */
	size_t count;
	int to_symbol;
	int managed;
	MUstream stream;
	int async;
};

static int rt_is_device_ptr(const void *p)
{
	unsigned int type = 0;

	return muPointerGetAttribute(&type, MU_POINTER_ATTRIBUTE_MEMORY_TYPE,
	                             (MUdeviceptr)(uintptr_t)p) == MUSA_SUCCESS &&
	       type == MU_MEMORYTYPE_DEVICE;
}

static MUresult rt_sym_copy_run(const struct rt_sym_copy *c, int other_is_device)
{
	MUdeviceptr o = (MUdeviceptr)(uintptr_t)c->other;
	MUdeviceptr dst = c->to_symbol ? c->var : o, src = c->to_symbol ? o : c->var;

	if (c->managed)  /* host storage on one side: the unified copy */
		return c->async ? muMemcpyAsync(dst, src, c->count, c->stream)
		                : muMemcpy(dst, src, c->count);
	if (other_is_device)
		return c->async ? muMemcpyDtoDAsync(dst, src, c->count, c->stream)
		                : muMemcpyDtoD(dst, src, c->count);
	if (c->to_symbol)
		return c->async ? muMemcpyHtoDAsync(dst, c->other, c->count, c->stream)
		                : muMemcpyHtoD(dst, c->other, c->count);
	return c->async ? muMemcpyDtoHAsync(c->other, src, c->count, c->stream)
	                : muMemcpyDtoH(c->other, src, c->count);
}

static musaError_t rt_symbol_copy(const void *symbol, void *other, size_t count, size_t offset,
                                  enum musaMemcpyKind kind, musaStream_t stream, int async,
                                  int to_symbol)
{
	struct rt_sym_copy c = { .other = other, .count = count, .to_symbol = to_symbol,
	                         .async = async };
	/* The variable is device memory: the kind names where `other` is. */
	enum musaMemcpyKind from_host = to_symbol ? musaMemcpyHostToDevice : musaMemcpyDeviceToHost;
	struct rt_symbol sym;
	int dev, other_dev;
	musaError_t e;

	if (kind != from_host && kind != musaMemcpyDeviceToDevice && kind != musaMemcpyDefault)
		return musaErrorInvalidMemcpyDirection;
	e = rt_cur_enter(&dev);
	if (e != musaSuccess)
		return e;
	if (async) {
		e = rt_stream_resolve(stream, dev, &c.stream);
		if (e != musaSuccess)
			return e;
	}
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
	c.var = sym.addr + offset;
	c.managed = sym.managed;
	return rt_dev_result(dev, rt_sym_copy_run(&c, other_dev));
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

MUSART_API musaError_t musaGetSymbolAddress(void **devPtr, const void *symbol)
{
	struct rt_symbol sym;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!devPtr, rt_ret(musaErrorInvalidValue));
	e = rt_symbol_get(symbol, dev, &sym);
	if (e == musaSuccess)
		*devPtr = (void *)(uintptr_t)sym.addr;
	return rt_ret(e);
}

MUSART_API musaError_t musaGetSymbolSize(size_t *size, const void *symbol)
{
	struct rt_symbol sym;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!size, rt_ret(musaErrorInvalidValue));
	e = rt_symbol_get(symbol, dev, &sym);
	if (e == musaSuccess)
		*size = sym.size;
	return rt_ret(e);
}
