/* SPDX-License-Identifier: MIT */
/*
 * texture.c - texture and surface objects through the runtime:
 * musaCreateTextureObject, musaDestroyTextureObject,
 * musaGetTextureObject{Resource,Texture,ResourceView}Desc and the surface
 * forms. The runtime's descriptions become the driver's (a channel
 * descriptor -> format and channel count, readMode / normalizedCoords /
 * sRGB -> MU_TRSF_* flags) and back; the driver owns the objects.
 * Calls array.c (channel conversions) and the driver's muTexObject*,
 * muSurfObject*.
 */
#include <string.h>

#include "rt.h"

/* Members that both APIs name and type alike, copied from `in` to `out`. */
#define RT_COPY_MEMBER(member) out->member = in->member;
#define RT_LINEAR_MEMBERS(X) X(res.linear.sizeInBytes)
#define RT_PITCH2D_MEMBERS(X) X(res.pitch2D.width) X(res.pitch2D.height) X(res.pitch2D.pitchInBytes)
#define RT_TEXTURE_MEMBERS(X) \
	X(maxAnisotropy) X(mipmapLevelBias) X(minMipmapLevelClamp) X(maxMipmapLevelClamp)
#define RT_VIEW_MEMBERS(X) \
	X(width) X(height) X(depth) X(firstMipmapLevel) X(lastMipmapLevel) X(firstLayer) X(lastLayer)
/* The texture flags that are one member each in musaTextureDesc. */
#define RT_TEXTURE_FLAGS(X) \
	X(normalizedCoords, MU_TRSF_NORMALIZED_COORDINATES) \
	X(sRGB, MU_TRSF_SRGB) \
	X(disableTrilinearOptimization, MU_TRSF_DISABLE_TRILINEAR_OPTIMIZATION) \
	X(seamlessCubemap, MU_TRSF_SEAMLESS_CUBEMAP)

musaError_t rt_res_to_driver(const struct musaResourceDesc *in, MUSA_RESOURCE_DESC *out)
{
	musaError_t e = musaSuccess;

	memset(out, 0, sizeof(*out));
	out->resType = (MUresourcetype)in->resType;
	out->flags = in->flags;
	switch (in->resType) {
	case musaResourceTypeArray:
		out->res.array.hArray = (MUarray)(void *)in->res.array.array;
		break;
	case musaResourceTypeMipmappedArray:
		out->res.mipmap.hMipmappedArray = (MUmipmappedArray)(void *)in->res.mipmap.mipmap;
		break;
	case musaResourceTypeLinear:
		out->res.linear.devPtr = (MUdeviceptr)(uintptr_t)in->res.linear.devPtr;
		RT_LINEAR_MEMBERS(RT_COPY_MEMBER)
		e = rt_channel_to_format(&in->res.linear.desc, &out->res.linear.format,
		                         &out->res.linear.numChannels);
		break;
	case musaResourceTypePitch2D:
		out->res.pitch2D.devPtr = (MUdeviceptr)(uintptr_t)in->res.pitch2D.devPtr;
		RT_PITCH2D_MEMBERS(RT_COPY_MEMBER)
		e = rt_channel_to_format(&in->res.pitch2D.desc, &out->res.pitch2D.format,
		                         &out->res.pitch2D.numChannels);
		break;
	default:
		e = musaErrorInvalidValue;
	}
	return e;
}

static void rt_res_from_driver(const MUSA_RESOURCE_DESC *in, struct musaResourceDesc *out)
{
	memset(out, 0, sizeof(*out));
	out->resType = (enum musaResourceType)in->resType;
	out->flags = in->flags;
	switch (in->resType) {
	case MU_RESOURCE_TYPE_ARRAY:
		out->res.array.array = (musaArray_t)(void *)in->res.array.hArray;
		break;
	case MU_RESOURCE_TYPE_MIPMAPPED_ARRAY:
		out->res.mipmap.mipmap = (musaMipmappedArray_t)(void *)in->res.mipmap.hMipmappedArray;
		break;
	case MU_RESOURCE_TYPE_LINEAR:
		out->res.linear.devPtr = (void *)(uintptr_t)in->res.linear.devPtr;
		RT_LINEAR_MEMBERS(RT_COPY_MEMBER)
		rt_format_to_channel(in->res.linear.format, in->res.linear.numChannels,
		                     &out->res.linear.desc);
		break;
	case MU_RESOURCE_TYPE_PITCH2D:
		out->res.pitch2D.devPtr = (void *)(uintptr_t)in->res.pitch2D.devPtr;
		RT_PITCH2D_MEMBERS(RT_COPY_MEMBER)
		rt_format_to_channel(in->res.pitch2D.format, in->res.pitch2D.numChannels,
		                     &out->res.pitch2D.desc);
		break;
	}
}

#define RT_FLAG_TO_DRIVER(member, flag) | (in->member ? flag : 0)
#define RT_FLAG_FROM_DRIVER(member, flag) out->member = (in->flags & flag) != 0;

musaError_t rt_tex_to_driver(const struct musaTextureDesc *in, MUSA_TEXTURE_DESC *out)
{
	memset(out, 0, sizeof(*out));
	CHECK((unsigned int)in->readMode > musaReadModeNormalizedFloat, musaErrorInvalidValue);
	for (int i = 0; i < 3; i++)
		out->addressMode[i] = (MUaddress_mode)in->addressMode[i];
	out->filterMode = (MUfilter_mode)in->filterMode;
	out->flags = (in->readMode == musaReadModeElementType ? MU_TRSF_READ_AS_INTEGER : 0)
	             RT_TEXTURE_FLAGS(RT_FLAG_TO_DRIVER);
	out->mipmapFilterMode = (MUfilter_mode)in->mipmapFilterMode;
	RT_TEXTURE_MEMBERS(RT_COPY_MEMBER)
	memcpy(out->borderColor, in->borderColor, sizeof(out->borderColor));
	return musaSuccess;
}

static void rt_tex_from_driver(const MUSA_TEXTURE_DESC *in, struct musaTextureDesc *out)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < 3; i++)
		out->addressMode[i] = (enum musaTextureAddressMode)in->addressMode[i];
	out->filterMode = (enum musaTextureFilterMode)in->filterMode;
	out->readMode = (in->flags & MU_TRSF_READ_AS_INTEGER) ? musaReadModeElementType
	                                                      : musaReadModeNormalizedFloat;
	RT_TEXTURE_FLAGS(RT_FLAG_FROM_DRIVER)
	out->mipmapFilterMode = (enum musaTextureFilterMode)in->mipmapFilterMode;
	RT_TEXTURE_MEMBERS(RT_COPY_MEMBER)
	memcpy(out->borderColor, in->borderColor, sizeof(out->borderColor));
}

/* The view formats of both APIs have the same values. */
static void rt_view_to_driver(const struct musaResourceViewDesc *in, MUSA_RESOURCE_VIEW_DESC *out)
{
	memset(out, 0, sizeof(*out));
	out->format = (MUresourceViewFormat)in->format;
	RT_VIEW_MEMBERS(RT_COPY_MEMBER)
	memcpy(out->reserved, in->reserved, sizeof(out->reserved));
}

static void rt_view_from_driver(const MUSA_RESOURCE_VIEW_DESC *in, struct musaResourceViewDesc *out)
{
	memset(out, 0, sizeof(*out));
	out->format = (enum musaResourceViewFormat)in->format;
	RT_VIEW_MEMBERS(RT_COPY_MEMBER)
}

/* The prologue of every call here: the current device entered, and the
 * one pointer the call cannot do without given. */
static musaError_t rt_tex_enter(int *dev, const void *needed)
{
	musaError_t e = rt_cur_enter(dev);

	if (e == musaSuccess && !needed)
		e = musaErrorInvalidValue;
	return e;
}

/* Texture and surface handles are both the driver's 64-bit object handle,
 * so one destroy and one description query serve both. */
static musaError_t rt_object_destroy(MUresult (*destroy)(MUtexObject), MUtexObject obj)
{
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return e;
	return rt_dev_result(dev, destroy(obj));
}

/* The description of an object that a query reads. */
enum rt_object_desc {
	RT_TEXTURE_RESOURCE,
	RT_TEXTURE_SAMPLING,  /* musaTextureDesc */
	RT_TEXTURE_VIEW,
	RT_SURFACE_RESOURCE,
};

static musaError_t rt_object_describe(enum rt_object_desc what, MUtexObject obj, void *out)
{
	union {
		MUSA_RESOURCE_DESC res;
		MUSA_TEXTURE_DESC tex;
		MUSA_RESOURCE_VIEW_DESC view;
	} d;
	MUresult r;
	int dev;
	musaError_t e = rt_tex_enter(&dev, out);

	if (e != musaSuccess)
		return e;
	switch (what) {
	case RT_TEXTURE_RESOURCE:
		r = muTexObjectGetResourceDesc(&d.res, obj);
		break;
	case RT_TEXTURE_SAMPLING:
		r = muTexObjectGetTextureDesc(&d.tex, obj);
		break;
	case RT_TEXTURE_VIEW:
		r = muTexObjectGetResourceViewDesc(&d.view, obj);
		break;
	default:
		r = muSurfObjectGetResourceDesc(&d.res, obj);
		break;
	}
	e = rt_dev_result(dev, r);
	if (e != musaSuccess)
		return e;
	if (what == RT_TEXTURE_SAMPLING)
		rt_tex_from_driver(&d.tex, out);
	else if (what == RT_TEXTURE_VIEW)
		rt_view_from_driver(&d.view, out);
	else
		rt_res_from_driver(&d.res, out);
	return musaSuccess;
}

MUSART_API musaError_t musaCreateTextureObject(musaTextureObject_t *pTexObject,
                                               const struct musaResourceDesc *pResDesc,
                                               const struct musaTextureDesc *pTexDesc,
                                               const struct musaResourceViewDesc *pResViewDesc)
{
	MUSA_RESOURCE_DESC res;
	MUSA_TEXTURE_DESC tex;
	MUSA_RESOURCE_VIEW_DESC view;
	MUtexObject obj;
	int dev;
	musaError_t e = rt_tex_enter(&dev, pTexObject);

	if (e == musaSuccess && !pResDesc)
		e = musaErrorInvalidValue;
	if (e == musaSuccess)
		e = rt_res_to_driver(pResDesc, &res);
	if (e == musaSuccess && pTexDesc)
		e = rt_tex_to_driver(pTexDesc, &tex);
	if (e != musaSuccess)
		return rt_ret(e);
	if (pResViewDesc)
		rt_view_to_driver(pResViewDesc, &view);
	e = rt_dev_result(dev, muTexObjectCreate(&obj, &res, pTexDesc ? &tex : NULL,
	                                         pResViewDesc ? &view : NULL));
	if (e == musaSuccess)
		*pTexObject = obj;
	return rt_ret(e);
}

MUSART_API musaError_t musaDestroyTextureObject(musaTextureObject_t texObject)
{
	return rt_ret(rt_object_destroy(muTexObjectDestroy, texObject));
}

MUSART_API musaError_t musaGetTextureObjectResourceDesc(struct musaResourceDesc *pResDesc,
                                                        musaTextureObject_t texObject)
{
	return rt_ret(rt_object_describe(RT_TEXTURE_RESOURCE, texObject, pResDesc));
}

MUSART_API musaError_t musaGetTextureObjectTextureDesc(struct musaTextureDesc *pTexDesc,
                                                       musaTextureObject_t texObject)
{
	return rt_ret(rt_object_describe(RT_TEXTURE_SAMPLING, texObject, pTexDesc));
}

MUSART_API musaError_t musaGetTextureObjectResourceViewDesc(struct musaResourceViewDesc *pResViewDesc,
                                                            musaTextureObject_t texObject)
{
	return rt_ret(rt_object_describe(RT_TEXTURE_VIEW, texObject, pResViewDesc));
}

MUSART_API musaError_t musaCreateSurfaceObject(musaSurfaceObject_t *pSurfObject,
                                               const struct musaResourceDesc *pResDesc)
{
	MUSA_RESOURCE_DESC res;
	MUsurfObject obj;
	int dev;
	musaError_t e = rt_tex_enter(&dev, pSurfObject);

	/* A surface is over an array and nothing else. */
	if (e == musaSuccess && (!pResDesc || pResDesc->resType != musaResourceTypeArray))
		e = musaErrorInvalidValue;
	if (e == musaSuccess)
		e = rt_res_to_driver(pResDesc, &res);
	if (e == musaSuccess)
		e = rt_dev_result(dev, muSurfObjectCreate(&obj, &res));
	if (e == musaSuccess)
		*pSurfObject = obj;
	return rt_ret(e);
}

MUSART_API musaError_t musaDestroySurfaceObject(musaSurfaceObject_t surfObject)
{
	return rt_ret(rt_object_destroy(muSurfObjectDestroy, surfObject));
}

MUSART_API musaError_t musaGetSurfaceObjectResourceDesc(struct musaResourceDesc *pResDesc,
                                                        musaSurfaceObject_t surfObject)
{
	return rt_ret(rt_object_describe(RT_SURFACE_RESOURCE, surfObject, pResDesc));
}
