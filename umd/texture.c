/* SPDX-License-Identifier: MIT */
/*
 * texture.c - texture and surface objects: muTexObjectCreate/Destroy/
 * GetResourceDesc/GetTextureDesc/GetResourceViewDesc and muSurfObject*.
 *
 * An object is a 128-byte descriptor (musa_texdesc.h) in a descriptor pool
 * of its context: a device BO the driver maps for the CPU, as a GPU driver
 * keeps its descriptor heaps. The handle is the descriptor's device
 * address, which kernels (running in this process) read directly; the
 * registry below maps handles back to their objects, so a destroyed or
 * made-up handle gets an error instead of being followed.
 * May call: bo.c, array.c, device.c (attributes), context.c.
 */
#include <stdlib.h>
#include <string.h>

#include "musa_log.h"
#include "musa_texdesc.h"
#include "tex.h"

#define UMD_TEX_POOL_SIZE  (64u << 10)
#define UMD_TEX_POOL_SLOTS (UMD_TEX_POOL_SIZE / MUSA_TEXDESC_SIZE)

struct umd_texobj {
	int surface;
	MUSA_RESOURCE_DESC res;
	MUSA_TEXTURE_DESC tex;
	MUSA_RESOURCE_VIEW_DESC view;
	int has_view;
};

struct umd_tex_pool {
	struct umd_list link;
	MUcontext ctx;
	struct umd_bo bo;
	unsigned int used;
	struct umd_texobj *objs[UMD_TEX_POOL_SLOTS];
};

static pthread_mutex_t umd_tex_lock = PTHREAD_MUTEX_INITIALIZER;
static struct umd_list umd_tex_pools = { &umd_tex_pools, &umd_tex_pools };

/* The channel type of each array format. */
static const struct {
	MUarray_format format;
	enum musa_texdesc_kind kind;
} umd_tex_kinds[] = {
	{ MU_AD_FORMAT_UNSIGNED_INT8, MUSA_TEXDESC_UINT },
	{ MU_AD_FORMAT_UNSIGNED_INT16, MUSA_TEXDESC_UINT },
	{ MU_AD_FORMAT_UNSIGNED_INT32, MUSA_TEXDESC_UINT },
	{ MU_AD_FORMAT_SIGNED_INT8, MUSA_TEXDESC_SINT },
	{ MU_AD_FORMAT_SIGNED_INT16, MUSA_TEXDESC_SINT },
	{ MU_AD_FORMAT_SIGNED_INT32, MUSA_TEXDESC_SINT },
	{ MU_AD_FORMAT_HALF, MUSA_TEXDESC_HALF },
	{ MU_AD_FORMAT_FLOAT, MUSA_TEXDESC_FLOAT },
};

/* Resource-view formats: channel type, bytes and count. */
static const struct {
	MUresourceViewFormat view;
	enum musa_texdesc_kind kind;
	unsigned int bytes, channels;
} umd_tex_views[] = {
	{ MU_RES_VIEW_FORMAT_UINT_1X8, MUSA_TEXDESC_UINT, 1, 1 },
	{ MU_RES_VIEW_FORMAT_UINT_2X8, MUSA_TEXDESC_UINT, 1, 2 },
	{ MU_RES_VIEW_FORMAT_UINT_4X8, MUSA_TEXDESC_UINT, 1, 4 },
	{ MU_RES_VIEW_FORMAT_SINT_1X8, MUSA_TEXDESC_SINT, 1, 1 },
	{ MU_RES_VIEW_FORMAT_SINT_2X8, MUSA_TEXDESC_SINT, 1, 2 },
	{ MU_RES_VIEW_FORMAT_SINT_4X8, MUSA_TEXDESC_SINT, 1, 4 },
	{ MU_RES_VIEW_FORMAT_UINT_1X16, MUSA_TEXDESC_UINT, 2, 1 },
	{ MU_RES_VIEW_FORMAT_UINT_2X16, MUSA_TEXDESC_UINT, 2, 2 },
	{ MU_RES_VIEW_FORMAT_UINT_4X16, MUSA_TEXDESC_UINT, 2, 4 },
	{ MU_RES_VIEW_FORMAT_SINT_1X16, MUSA_TEXDESC_SINT, 2, 1 },
	{ MU_RES_VIEW_FORMAT_SINT_2X16, MUSA_TEXDESC_SINT, 2, 2 },
	{ MU_RES_VIEW_FORMAT_SINT_4X16, MUSA_TEXDESC_SINT, 2, 4 },
	{ MU_RES_VIEW_FORMAT_UINT_1X32, MUSA_TEXDESC_UINT, 4, 1 },
	{ MU_RES_VIEW_FORMAT_UINT_2X32, MUSA_TEXDESC_UINT, 4, 2 },
	{ MU_RES_VIEW_FORMAT_UINT_4X32, MUSA_TEXDESC_UINT, 4, 4 },
	{ MU_RES_VIEW_FORMAT_SINT_1X32, MUSA_TEXDESC_SINT, 4, 1 },
	{ MU_RES_VIEW_FORMAT_SINT_2X32, MUSA_TEXDESC_SINT, 4, 2 },
	{ MU_RES_VIEW_FORMAT_SINT_4X32, MUSA_TEXDESC_SINT, 4, 4 },
	{ MU_RES_VIEW_FORMAT_FLOAT_1X16, MUSA_TEXDESC_HALF, 2, 1 },
	{ MU_RES_VIEW_FORMAT_FLOAT_2X16, MUSA_TEXDESC_HALF, 2, 2 },
	{ MU_RES_VIEW_FORMAT_FLOAT_4X16, MUSA_TEXDESC_HALF, 2, 4 },
	{ MU_RES_VIEW_FORMAT_FLOAT_1X32, MUSA_TEXDESC_FLOAT, 4, 1 },
	{ MU_RES_VIEW_FORMAT_FLOAT_2X32, MUSA_TEXDESC_FLOAT, 4, 2 },
	{ MU_RES_VIEW_FORMAT_FLOAT_4X32, MUSA_TEXDESC_FLOAT, 4, 4 },
};

#define UMD_TRSF_FLAGS (MU_TRSF_READ_AS_INTEGER | MU_TRSF_NORMALIZED_COORDINATES | MU_TRSF_SRGB | \
			MU_TRSF_DISABLE_TRILINEAR_OPTIMIZATION | MU_TRSF_SEAMLESS_CUBEMAP)

static int umd_attr(MUcontext ctx, MUdevice_attribute a)
{
	int v = 0;

	if (muDeviceGetAttribute(&v, a, ctx->ordinal))
		return 0;
	return v;
}

/* Sets the element format of d; 0, or -1 for a format or channel count
 * that no array may have. */
static int umd_tex_format(struct musa_texdesc *d, MUarray_format f, unsigned int channels)
{
	unsigned int bytes = umd_array_format_bytes(f);

	if (!bytes || (channels != 1 && channels != 2 && channels != 4))
		return -1;
	for (size_t i = 0; i < sizeof(umd_tex_kinds) / sizeof(umd_tex_kinds[0]); i++)
		if (umd_tex_kinds[i].format == f)
			d->kind = umd_tex_kinds[i].kind;
	d->chan_bytes = bytes;
	d->channels = channels;
	d->elem_bytes = bytes * channels;
	return 0;
}

/* The resource part of a descriptor. */
static MUresult umd_tex_resource(MUcontext ctx, const MUSA_RESOURCE_DESC *res, int surface,
				 struct musa_texdesc *d)
{
	unsigned int align = (unsigned int)umd_attr(ctx, MU_DEVICE_ATTRIBUTE_TEXTURE_ALIGNMENT);
	unsigned int palign = (unsigned int)umd_attr(ctx, MU_DEVICE_ATTRIBUTE_TEXTURE_PITCH_ALIGNMENT);
	struct MUarray_st *a;

	CHECK(res->flags, MUSA_ERROR_INVALID_VALUE);
	CHECK(surface && res->resType != MU_RESOURCE_TYPE_ARRAY, MUSA_ERROR_INVALID_VALUE);
	switch ((int)res->resType) {
	case MU_RESOURCE_TYPE_ARRAY:
		CHECK(!res->res.array.hArray, MUSA_ERROR_INVALID_VALUE);
		a = umd_array_get(res->res.array.hArray);
		CHECK(!a, MUSA_ERROR_INVALID_HANDLE);
		CHECK(surface && !(a->desc.Flags & MUSA_ARRAY3D_SURFACE_LDST),
		      MUSA_ERROR_INVALID_VALUE);
		umd_tex_format(d, a->desc.Format, a->desc.NumChannels);
		d->layered = (a->desc.Flags & MUSA_ARRAY3D_LAYERED) != 0;
		d->dims = a->desc.Depth && !d->layered ? 3 : a->desc.Height ? 2 : 1;
		d->base = a->base;
		d->width = a->width;
		d->height = a->height;
		d->depth = a->depth;
		d->pitch = a->pitch;
		d->slice = a->slice;
		return MUSA_SUCCESS;
	case MU_RESOURCE_TYPE_LINEAR:
		CHECK(!res->res.linear.devPtr || (align && res->res.linear.devPtr % align) ||
		      umd_tex_format(d, res->res.linear.format, res->res.linear.numChannels) ||
		      res->res.linear.sizeInBytes < d->elem_bytes ||
		      res->res.linear.sizeInBytes / d->elem_bytes >
			      (size_t)umd_attr(ctx, MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_LINEAR_WIDTH),
		      MUSA_ERROR_INVALID_VALUE);
		d->linear = 1;
		d->dims = 1;
		d->base = res->res.linear.devPtr;
		d->width = res->res.linear.sizeInBytes / d->elem_bytes;
		d->height = d->depth = 1;
		d->pitch = d->slice = d->width * d->elem_bytes;
		return MUSA_SUCCESS;
	case MU_RESOURCE_TYPE_PITCH2D:
		CHECK(!res->res.pitch2D.devPtr || (align && res->res.pitch2D.devPtr % align) ||
		      umd_tex_format(d, res->res.pitch2D.format, res->res.pitch2D.numChannels) ||
		      !res->res.pitch2D.width || !res->res.pitch2D.height ||
		      (palign && res->res.pitch2D.pitchInBytes % palign) ||
		      res->res.pitch2D.width > (size_t)umd_attr(ctx, MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_WIDTH) ||
		      res->res.pitch2D.height > (size_t)umd_attr(ctx, MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_HEIGHT) ||
		      res->res.pitch2D.pitchInBytes > (size_t)umd_attr(ctx, MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_PITCH) ||
		      res->res.pitch2D.pitchInBytes < res->res.pitch2D.width * d->elem_bytes,
		      MUSA_ERROR_INVALID_VALUE);
		d->dims = 2;
		d->base = res->res.pitch2D.devPtr;
		d->width = res->res.pitch2D.width;
		d->height = res->res.pitch2D.height;
		d->depth = 1;
		d->pitch = res->res.pitch2D.pitchInBytes;
		d->slice = d->pitch * d->height;
		return MUSA_SUCCESS;
	default:  /* no mipmapped arrays are ever made */
		return MUSA_ERROR_INVALID_VALUE;
	}
}

/* The sampling part; linear memory ignores modes and filtering (tex1Dfetch). */
static MUresult umd_tex_sampling(const MUSA_TEXTURE_DESC *t, struct musa_texdesc *d)
{
	int float_result;

	for (int i = 0; i < 3; i++)
		CHECK((unsigned int)t->addressMode[i] > MU_TR_ADDRESS_MODE_BORDER,
		      MUSA_ERROR_INVALID_VALUE);
	CHECK((unsigned int)t->filterMode > MU_TR_FILTER_MODE_LINEAR ||
	      (unsigned int)t->mipmapFilterMode > MU_TR_FILTER_MODE_LINEAR ||
	      (t->flags & ~(unsigned int)UMD_TRSF_FLAGS), MUSA_ERROR_INVALID_VALUE);
	d->read_normalized = !(t->flags & MU_TRSF_READ_AS_INTEGER) && d->chan_bytes < 4 &&
			     (d->kind == MUSA_TEXDESC_SINT || d->kind == MUSA_TEXDESC_UINT);
	float_result = d->read_normalized || d->kind == MUSA_TEXDESC_FLOAT ||
		       d->kind == MUSA_TEXDESC_HALF;
	if (d->linear)
		return MUSA_SUCCESS;
	/* Filtering interpolates: integers read as integers cannot be. */
	CHECK(t->filterMode == MU_TR_FILTER_MODE_LINEAR && !float_result, MUSA_ERROR_INVALID_VALUE);
	for (int i = 0; i < 3; i++)
		d->address[i] = (uint32_t)t->addressMode[i];
	d->filter = (uint32_t)t->filterMode;
	d->coords_normalized = (t->flags & MU_TRSF_NORMALIZED_COORDINATES) != 0;
	d->srgb = (t->flags & MU_TRSF_SRGB) && d->read_normalized && d->kind == MUSA_TEXDESC_UINT &&
		  d->chan_bytes == 1;
	memcpy(d->border, t->borderColor, sizeof(d->border));
	return MUSA_SUCCESS;
}

/* A view of an array: another format of the same element size, the whole
 * extent of the first mip level, a range of layers. */
static MUresult umd_tex_view(const MUSA_RESOURCE_DESC *res, const MUSA_RESOURCE_VIEW_DESC *v,
			     struct musa_texdesc *d)
{
	size_t i, n = sizeof(umd_tex_views) / sizeof(umd_tex_views[0]);

	CHECK(res->resType != MU_RESOURCE_TYPE_ARRAY || v->firstMipmapLevel || v->lastMipmapLevel,
	      MUSA_ERROR_INVALID_VALUE);
	for (i = 0; i < 16; i++)
		CHECK(v->reserved[i], MUSA_ERROR_INVALID_VALUE);
	CHECK(v->width != d->width || (d->dims > 1 && v->height != d->height) ||
	      (d->dims == 3 && v->depth != d->depth), MUSA_ERROR_INVALID_VALUE);
	CHECK(v->firstLayer > v->lastLayer || (!d->layered && v->lastLayer) ||
	      (d->layered && v->lastLayer >= d->depth), MUSA_ERROR_INVALID_VALUE);
	if (v->format != MU_RES_VIEW_FORMAT_NONE) {
		for (i = 0; i < n && umd_tex_views[i].view != v->format; i++)
			;
		CHECK(i == n || umd_tex_views[i].bytes * umd_tex_views[i].channels != d->elem_bytes,
		      MUSA_ERROR_INVALID_VALUE);
		d->kind = umd_tex_views[i].kind;
		d->chan_bytes = umd_tex_views[i].bytes;
		d->channels = umd_tex_views[i].channels;
	}
	if (d->layered) {
		d->base += (uint64_t)v->firstLayer * d->slice;
		d->depth = v->lastLayer - v->firstLayer + 1;
	}
	return MUSA_SUCCESS;
}

/* Takes a free slot of a pool of ctx (making a pool when all are full) for
 * obj and writes its descriptor; *handle its device address. Lock held. */
static MUresult umd_tex_slot_alloc(MUcontext ctx, struct umd_texobj *obj,
				   const struct musa_texdesc *d, MUtexObject *handle)
{
	struct umd_tex_pool *pool = NULL;
	struct umd_list *l;
	unsigned int i;

	for (l = umd_tex_pools.next; l != &umd_tex_pools; l = l->next) {
		struct umd_tex_pool *p = umd_container_of(l, struct umd_tex_pool, link);

		if (p->ctx == ctx && p->used < UMD_TEX_POOL_SLOTS) {
			pool = p;
			break;
		}
	}
	if (!pool) {
		pool = calloc(1, sizeof(*pool));
		if (!pool)
			return MUSA_ERROR_OUT_OF_MEMORY;
		if (umd_bo_create(ctx, UMD_TEX_POOL_SIZE, 1, &pool->bo)) {
			free(pool);
			return MUSA_ERROR_OUT_OF_MEMORY;
		}
		pool->ctx = ctx;
		umd_list_add(&umd_tex_pools, &pool->link);
	}
	for (i = 0; pool->objs[i]; i++)
		;
	memcpy((char *)pool->bo.cpu + (size_t)i * MUSA_TEXDESC_SIZE, d, sizeof(*d));
	pool->objs[i] = obj;
	pool->used++;
	*handle = pool->bo.va + (uint64_t)i * MUSA_TEXDESC_SIZE;
	return MUSA_SUCCESS;
}

/* The pool and slot of a live handle of the given kind. Lock held. */
static struct umd_tex_pool *umd_tex_find(MUtexObject h, int surface, unsigned int *slot)
{
	for (struct umd_list *l = umd_tex_pools.next; l != &umd_tex_pools; l = l->next) {
		struct umd_tex_pool *p = umd_container_of(l, struct umd_tex_pool, link);
		uint64_t off = h - p->bo.va;

		if (h < p->bo.va || off >= UMD_TEX_POOL_SIZE)
			continue;
		if (off % MUSA_TEXDESC_SIZE)
			return NULL;
		*slot = (unsigned int)(off / MUSA_TEXDESC_SIZE);
		if (!p->objs[*slot] || p->objs[*slot]->surface != surface)
			return NULL;
		return p;
	}
	return NULL;
}

static MUresult umd_tex_create_on(MUcontext ctx, MUtexObject *out, const MUSA_RESOURCE_DESC *res,
				  const MUSA_TEXTURE_DESC *tex,
				  const MUSA_RESOURCE_VIEW_DESC *view, int surface)
{
	struct musa_texdesc d;
	MUSA_TEXTURE_DESC zero_tex;
	struct umd_texobj *obj;
	MUresult r;

	CHECK(!out || !res, MUSA_ERROR_INVALID_VALUE);
	if (!tex) {  /* as CUDA: no description is the all-zero one */
		memset(&zero_tex, 0, sizeof(zero_tex));
		tex = &zero_tex;
	}
	memset(&d, 0, sizeof(d));
	d.magic = surface ? MUSA_TEXDESC_MAGIC_SURF : MUSA_TEXDESC_MAGIC_TEX;
	r = umd_tex_resource(ctx, res, surface, &d);
	if (!r && view)
		r = umd_tex_view(res, view, &d);
	if (!r && !surface)
		r = umd_tex_sampling(tex, &d);
	if (r)
		return r;
	obj = calloc(1, sizeof(*obj));
	if (!obj)
		return MUSA_ERROR_OUT_OF_MEMORY;
	obj->surface = surface;
	obj->res = *res;
	if (!surface)
		obj->tex = *tex;
	if (view) {
		obj->view = *view;
		obj->has_view = 1;
	}
	pthread_mutex_lock(&umd_tex_lock);
	r = umd_tex_slot_alloc(ctx, obj, &d, out);
	pthread_mutex_unlock(&umd_tex_lock);
	if (r)
		free(obj);
	return r;
}

static MUresult umd_tex_create(MUtexObject *out, const MUSA_RESOURCE_DESC *res,
			       const MUSA_TEXTURE_DESC *tex, const MUSA_RESOURCE_VIEW_DESC *view,
			       int surface)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_tex_create_on(ctx, out, res, tex, view, surface));
}

static MUresult umd_tex_destroy(MUtexObject h, int surface)
{
	struct umd_tex_pool *p;
	struct umd_texobj *obj = NULL;
	unsigned int slot;
	MUresult r = umd_check_init();

	if (r)
		return r;
	if (!h)
		return MUSA_SUCCESS;
	pthread_mutex_lock(&umd_tex_lock);
	p = umd_tex_find(h, surface, &slot);
	if (p) {
		obj = p->objs[slot];
		p->objs[slot] = NULL;
		p->used--;
		/* A kernel still holding the handle reads no descriptor, not garbage. */
		memset((char *)p->bo.cpu + (size_t)slot * MUSA_TEXDESC_SIZE, 0, MUSA_TEXDESC_SIZE);
	}
	pthread_mutex_unlock(&umd_tex_lock);
	free(obj);
	return obj ? MUSA_SUCCESS : MUSA_ERROR_INVALID_VALUE;
}

/* Copies what `what` selects out of a live object. */
enum umd_tex_part { UMD_TEX_RES, UMD_TEX_TEX, UMD_TEX_VIEW };

static MUresult umd_tex_get(MUtexObject h, int surface, enum umd_tex_part what, void *out)
{
	struct umd_tex_pool *p;
	unsigned int slot;
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!out, MUSA_ERROR_INVALID_VALUE);
	pthread_mutex_lock(&umd_tex_lock);
	p = umd_tex_find(h, surface, &slot);
	if (p) {
		const struct umd_texobj *o = p->objs[slot];

		if (what == UMD_TEX_RES)
			memcpy(out, &o->res, sizeof(o->res));
		else if (what == UMD_TEX_TEX)
			memcpy(out, &o->tex, sizeof(o->tex));
		else if (o->has_view)
			memcpy(out, &o->view, sizeof(o->view));
		else
			r = MUSA_ERROR_INVALID_VALUE;
	}
	pthread_mutex_unlock(&umd_tex_lock);
	return p ? r : MUSA_ERROR_INVALID_VALUE;
}

void umd_tex_forget_ctx(MUcontext ctx)
{
	struct umd_list *l, *next;

	pthread_mutex_lock(&umd_tex_lock);
	for (l = umd_tex_pools.next; l != &umd_tex_pools; l = next) {
		struct umd_tex_pool *p = umd_container_of(l, struct umd_tex_pool, link);

		next = l->next;
		if (p->ctx != ctx)
			continue;
		umd_list_del(l);
		for (unsigned int i = 0; i < UMD_TEX_POOL_SLOTS; i++)
			free(p->objs[i]);
		umd_bo_destroy(ctx, &p->bo);  /* the closing fd drops the BO */
		free(p);
	}
	pthread_mutex_unlock(&umd_tex_lock);
}

UMD_API MUresult muTexObjectCreate(MUtexObject *pTexObject, const MUSA_RESOURCE_DESC *pResDesc,
				   const MUSA_TEXTURE_DESC *pTexDesc,
				   const MUSA_RESOURCE_VIEW_DESC *pResViewDesc)
{
	return UMD_RET(umd_tex_create(pTexObject, pResDesc, pTexDesc, pResViewDesc, 0));
}

UMD_API MUresult muTexObjectDestroy(MUtexObject texObject)
{
	return UMD_RET(umd_tex_destroy(texObject, 0));
}

UMD_API MUresult muTexObjectGetResourceDesc(MUSA_RESOURCE_DESC *pResDesc, MUtexObject texObject)
{
	return UMD_RET(umd_tex_get(texObject, 0, UMD_TEX_RES, pResDesc));
}

UMD_API MUresult muTexObjectGetTextureDesc(MUSA_TEXTURE_DESC *pTexDesc, MUtexObject texObject)
{
	return UMD_RET(umd_tex_get(texObject, 0, UMD_TEX_TEX, pTexDesc));
}

UMD_API MUresult muTexObjectGetResourceViewDesc(MUSA_RESOURCE_VIEW_DESC *pResViewDesc,
						MUtexObject texObject)
{
	return UMD_RET(umd_tex_get(texObject, 0, UMD_TEX_VIEW, pResViewDesc));
}

UMD_API MUresult muSurfObjectCreate(MUsurfObject *pSurfObject, const MUSA_RESOURCE_DESC *pResDesc)
{
	return UMD_RET(umd_tex_create(pSurfObject, pResDesc, NULL, NULL, 1));
}

UMD_API MUresult muSurfObjectDestroy(MUsurfObject surfObject)
{
	return UMD_RET(umd_tex_destroy(surfObject, 1));
}

UMD_API MUresult muSurfObjectGetResourceDesc(MUSA_RESOURCE_DESC *pResDesc, MUsurfObject surfObject)
{
	return UMD_RET(umd_tex_get(surfObject, 1, UMD_TEX_RES, pResDesc));
}
