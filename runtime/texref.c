/* SPDX-License-Identifier: MIT */
/*
 * texref.c - legacy texture references (CUDA 11's cudaBindTexture family),
 * built on texture objects. A `texture<>` variable is a registered
 * __device__ variable holding a struct textureReference; binding makes a
 * texture object from the reference's attributes, stores it in the host
 * shadow and copies the shadow to the device copy, which the fetches of
 * musa_texture_functions.h read. Unbinding destroys the object.
 * Calls register.c (rt_symbol_get), texture.c, array.c and the driver's
 * muTexObject*, muMemcpyHtoD, muMemGetAddressRange.
 */
#include <string.h>

#include "rt.h"

/* Publishes t (the host shadow) to its device copy. */
static musaError_t rt_texref_publish(int dev, const struct textureReference *t)
{
	struct rt_symbol sym;
	musaError_t e = rt_symbol_get(t, dev, &sym);

	if (e == musaErrorInvalidSymbol || (e == musaSuccess && sym.size < sizeof(*t)))
		return musaErrorInvalidTexture;
	if (e != musaSuccess)
		return e;
	return rt_dev_result(dev, muMemcpyHtoD(sym.addr, t, sizeof(*t)));
}

/* Replaces the object bound to texref by one over res (NULL: none). */
static musaError_t rt_texref_bind(const struct textureReference *texref,
                                  const struct musaResourceDesc *res)
{
	/* The shadow is the user's writable variable; the API passes it const. */
	struct textureReference *t = (struct textureReference *)(uintptr_t)texref;
	musaTextureObject_t old, obj = 0;
	struct musaTextureDesc td;
	MUSA_RESOURCE_DESC dres;
	MUSA_TEXTURE_DESC dtex;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return e;
	if (!t)
		return musaErrorInvalidTexture;
	if (res) {
		memset(&td, 0, sizeof(td));
		for (int i = 0; i < 3; i++)
			td.addressMode[i] = t->addressMode[i];
		td.filterMode = t->filterMode;
		td.readMode = (enum musaTextureReadMode)t->__musaReadMode;
		td.sRGB = t->sRGB;
		td.normalizedCoords = t->normalized;
		td.maxAnisotropy = t->maxAnisotropy;
		e = rt_res_to_driver(res, &dres);
		if (e == musaSuccess)
			e = rt_tex_to_driver(&td, &dtex);
		if (e != musaSuccess)
			return e;
		e = rt_dev_result(dev, muTexObjectCreate(&obj, &dres, &dtex, NULL));
		if (e != musaSuccess)
			return e;
	}
	old = t->__musaObject;
	t->__musaObject = obj;
	e = rt_texref_publish(dev, t);
	if (e != musaSuccess) {
		t->__musaObject = old;
		if (obj)
			muTexObjectDestroy(obj);
		return e;
	}
	if (old) {
		/* Kernels queued before may still fetch through the old object. */
		e = rt_dev_result(dev, muCtxSynchronize());
		muTexObjectDestroy(old);
	}
	return e;
}

MUSART_API musaError_t musaBindTexture(size_t *offset, const struct textureReference *texref,
                                       const void *devPtr, const struct musaChannelFormatDesc *desc,
                                       size_t size)
{
	struct musaResourceDesc res;
	MUdeviceptr base = 0;
	size_t len = 0;

	if (!texref)
		return rt_ret(musaErrorInvalidTexture);
	CHECK(!devPtr || !desc, rt_ret(musaErrorInvalidValue));
	/* The default size (UINT_MAX) means "the rest of the allocation". */
	if (muMemGetAddressRange(&base, &len, (MUdeviceptr)(uintptr_t)devPtr) == MUSA_SUCCESS &&
	    size > base + len - (MUdeviceptr)(uintptr_t)devPtr)
		size = base + len - (MUdeviceptr)(uintptr_t)devPtr;
	memset(&res, 0, sizeof(res));
	res.resType = musaResourceTypeLinear;
	res.res.linear.devPtr = (void *)(uintptr_t)devPtr;
	res.res.linear.desc = *desc;
	res.res.linear.sizeInBytes = size;
	if (offset)
		*offset = 0;
	((struct textureReference *)(uintptr_t)texref)->channelDesc = *desc;
	return rt_ret(rt_texref_bind(texref, &res));
}

MUSART_API musaError_t musaBindTexture2D(size_t *offset, const struct textureReference *texref,
                                         const void *devPtr,
                                         const struct musaChannelFormatDesc *desc, size_t width,
                                         size_t height, size_t pitch)
{
	struct musaResourceDesc res;

	if (!texref)
		return rt_ret(musaErrorInvalidTexture);
	CHECK(!devPtr || !desc, rt_ret(musaErrorInvalidValue));
	memset(&res, 0, sizeof(res));
	res.resType = musaResourceTypePitch2D;
	res.res.pitch2D.devPtr = (void *)(uintptr_t)devPtr;
	res.res.pitch2D.desc = *desc;
	res.res.pitch2D.width = width;
	res.res.pitch2D.height = height;
	res.res.pitch2D.pitchInBytes = pitch;
	if (offset)
		*offset = 0;
	((struct textureReference *)(uintptr_t)texref)->channelDesc = *desc;
	return rt_ret(rt_texref_bind(texref, &res));
}

MUSART_API musaError_t musaBindTextureToArray(const struct textureReference *texref,
                                              musaArray_const_t array,
                                              const struct musaChannelFormatDesc *desc)
{
	struct musaResourceDesc res;

	if (!texref)
		return rt_ret(musaErrorInvalidTexture);
	CHECK(!array, rt_ret(musaErrorInvalidValue));
	memset(&res, 0, sizeof(res));
	res.resType = musaResourceTypeArray;
	res.res.array.array = (musaArray_t)(uintptr_t)array;
	if (desc)
		((struct textureReference *)(uintptr_t)texref)->channelDesc = *desc;
	return rt_ret(rt_texref_bind(texref, &res));
}

MUSART_API musaError_t musaUnbindTexture(const struct textureReference *texref)
{
	if (!texref)
		return rt_ret(musaErrorInvalidTexture);
	if (!texref->__musaObject) {
		int dev;

		return rt_ret(rt_cur_enter(&dev));
	}
	return rt_ret(rt_texref_bind(texref, NULL));
}

MUSART_API musaError_t musaGetTextureAlignmentOffset(size_t *offset,
                                                     const struct textureReference *texref)
{
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!offset, rt_ret(musaErrorInvalidValue));
	if (!texref)
		return rt_ret(musaErrorInvalidTexture);
	if (!texref->__musaObject)
		return rt_ret(musaErrorInvalidTextureBinding);
	*offset = 0;
	return rt_ret(musaSuccess);
}
