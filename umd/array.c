/* SPDX-License-Identifier: MIT */
/*
 * array.c - MUSA arrays: muArrayCreate, muArray3DCreate, muArrayDestroy,
 * muArray(3D)GetDescriptor and the 1-D copies to and from arrays
 * (muMemcpyHtoA, AtoH, DtoA, AtoD, AtoA and the async forms).
 *
 * An array is a driver object over one ordinary device allocation of its
 * context (umd_mem_alloc_kind), laid out as tex.h says, so copies go through
 * the copy engine like any other and no ioctl of its own is needed. The
 * shape limits are the device's MAXIMUM_TEXTURE* / SURFACE* attributes.
 * May call: memory.c, mem_2d.c (muMemcpy2D*), device.c (attributes),
 * context.c, handle.c.
 */
#include <stdlib.h>
#include <string.h>

#include "musa_log.h"
#include "tex.h"

static pthread_mutex_t umd_array_lock = PTHREAD_MUTEX_INITIALIZER;
static struct MUarray_st **umd_arrays;   /* live arrays, for context teardown */
static size_t umd_narrays, umd_arrays_cap;

/* Bytes per channel of each supported format. */
static const struct {
	MUarray_format format;
	unsigned int bytes;
} umd_formats[] = {
	{ MU_AD_FORMAT_UNSIGNED_INT8, 1 }, { MU_AD_FORMAT_UNSIGNED_INT16, 2 },
	{ MU_AD_FORMAT_UNSIGNED_INT32, 4 }, { MU_AD_FORMAT_SIGNED_INT8, 1 },
	{ MU_AD_FORMAT_SIGNED_INT16, 2 }, { MU_AD_FORMAT_SIGNED_INT32, 4 },
	{ MU_AD_FORMAT_HALF, 2 }, { MU_AD_FORMAT_FLOAT, 4 },
};

unsigned int umd_array_format_bytes(MUarray_format f)
{
	for (size_t i = 0; i < sizeof(umd_formats) / sizeof(umd_formats[0]); i++)
		if (umd_formats[i].format == f)
			return umd_formats[i].bytes;
	return 0;
}

/* Shapes an array may have, with the device attributes that bound each
 * extent (0: the extent must be 0). Surfaces have limits of their own. */
enum umd_shape { UMD_SHAPE_1D, UMD_SHAPE_2D, UMD_SHAPE_3D, UMD_SHAPE_1D_LAYERED,
		 UMD_SHAPE_2D_LAYERED, UMD_SHAPE_COUNT };

static const MUdevice_attribute umd_shape_limits[UMD_SHAPE_COUNT][2][3] = {
	[UMD_SHAPE_1D] = {
		{ MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_WIDTH },
		{ MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_WIDTH } },
	[UMD_SHAPE_2D] = {
		{ MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_WIDTH,
		  MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_HEIGHT },
		{ MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_WIDTH,
		  MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_HEIGHT } },
	[UMD_SHAPE_3D] = {
		{ MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_WIDTH,
		  MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_HEIGHT,
		  MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_DEPTH },
		{ MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_WIDTH,
		  MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_HEIGHT,
		  MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_DEPTH } },
	[UMD_SHAPE_1D_LAYERED] = {
		{ MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_LAYERED_WIDTH, 0,
		  MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_LAYERED_LAYERS },
		{ MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_LAYERED_WIDTH, 0,
		  MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_LAYERED_LAYERS } },
	[UMD_SHAPE_2D_LAYERED] = {
		{ MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_WIDTH,
		  MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_HEIGHT,
		  MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_LAYERS },
		{ MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_WIDTH,
		  MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_HEIGHT,
		  MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_LAYERS } },
};

#define UMD_ARRAY_FLAGS (MUSA_ARRAY3D_LAYERED | MUSA_ARRAY3D_SURFACE_LDST | \
			 MUSA_ARRAY3D_CUBEMAP | MUSA_ARRAY3D_TEXTURE_GATHER)

/* Checks a descriptor against the shapes and the device's limits. */
static MUresult umd_array_check(MUcontext ctx, const MUSA_ARRAY3D_DESCRIPTOR *d)
{
	size_t ext[3] = { d->Width, d->Height, d->Depth };
	int layered = (d->Flags & MUSA_ARRAY3D_LAYERED) != 0;
	int surface = (d->Flags & MUSA_ARRAY3D_SURFACE_LDST) != 0;
	enum umd_shape shape;

	CHECK(!umd_array_format_bytes(d->Format) ||
	      (d->NumChannels != 1 && d->NumChannels != 2 && d->NumChannels != 4),
	      MUSA_ERROR_INVALID_VALUE);
	CHECK(!d->Width || (d->Flags & ~(unsigned int)UMD_ARRAY_FLAGS), MUSA_ERROR_INVALID_VALUE);
	if (d->Flags & MUSA_ARRAY3D_CUBEMAP) {
		/* Six square faces (a multiple of six layers): a valid shape, but
		 * there is no cubemap sampling (docs/design.md). */
		CHECK(d->Width != d->Height || (layered ? d->Depth % 6 || !d->Depth : d->Depth != 6),
		      MUSA_ERROR_INVALID_VALUE);
		return MUSA_ERROR_NOT_SUPPORTED;
	}
	if (layered)
		shape = d->Height ? UMD_SHAPE_2D_LAYERED : UMD_SHAPE_1D_LAYERED;
	else if (d->Depth)
		shape = UMD_SHAPE_3D;
	else
		shape = d->Height ? UMD_SHAPE_2D : UMD_SHAPE_1D;
	CHECK((shape == UMD_SHAPE_3D && !d->Height) || (layered && !d->Depth),
	      MUSA_ERROR_INVALID_VALUE);
	CHECK((d->Flags & MUSA_ARRAY3D_TEXTURE_GATHER) && shape != UMD_SHAPE_2D,
	      MUSA_ERROR_INVALID_VALUE);
	for (int i = 0; i < 3; i++) {
		MUdevice_attribute a = umd_shape_limits[shape][surface][i];
		int lim = 0;

		if (!a)
			continue;
		CHECK(muDeviceGetAttribute(&lim, a, ctx->ordinal) || ext[i] > (size_t)lim,
		      MUSA_ERROR_INVALID_VALUE);
	}
	return MUSA_SUCCESS;
}

static int umd_array_track(struct MUarray_st *a)
{
	int ret = -1;

	pthread_mutex_lock(&umd_array_lock);
	if (umd_narrays == umd_arrays_cap) {
		size_t cap = umd_arrays_cap ? 2 * umd_arrays_cap : 64;
		struct MUarray_st **n = realloc(umd_arrays, cap * sizeof(*n));

		if (!n)
			goto out;
		umd_arrays = n;
		umd_arrays_cap = cap;
	}
	umd_arrays[umd_narrays++] = a;
	ret = 0;
out:
	pthread_mutex_unlock(&umd_array_lock);
	return ret;
}

/* Removes a from the list; 1 when it was there. */
static int umd_array_untrack(struct MUarray_st *a)
{
	int found = 0;

	pthread_mutex_lock(&umd_array_lock);
	for (size_t i = 0; i < umd_narrays; i++) {
		if (umd_arrays[i] == a) {
			umd_arrays[i] = umd_arrays[--umd_narrays];
			found = 1;
			break;
		}
	}
	pthread_mutex_unlock(&umd_array_lock);
	return found;
}

struct MUarray_st *umd_array_get(MUarray a)
{
	return umd_handle_valid(a, UMD_H_ARRAY) ? a : NULL;
}

void umd_array_forget_ctx(MUcontext ctx)
{
	size_t j = 0;

	pthread_mutex_lock(&umd_array_lock);
	for (size_t i = 0; i < umd_narrays; i++) {
		struct MUarray_st *a = umd_arrays[i];

		if (a->ctx != ctx) {
			umd_arrays[j++] = a;
			continue;
		}
		umd_handle_del(a);   /* the memory goes with the context's */
		free(a);
	}
	umd_narrays = j;
	pthread_mutex_unlock(&umd_array_lock);
}

static MUresult umd_array_create_on(MUcontext ctx, MUarray *pHandle,
				    const MUSA_ARRAY3D_DESCRIPTOR *pAllocateArray)
{
	struct MUarray_st *a;
	MUresult r;

	CHECK(!pHandle || !pAllocateArray, MUSA_ERROR_INVALID_VALUE);
	r = umd_array_check(ctx, pAllocateArray);
	if (r)
		return r;
	a = calloc(1, sizeof(*a));
	if (!a)
		return MUSA_ERROR_OUT_OF_MEMORY;
	a->ctx = ctx;
	a->desc = *pAllocateArray;
	a->chan_bytes = umd_array_format_bytes(a->desc.Format);
	a->elem = a->chan_bytes * a->desc.NumChannels;
	a->width = a->desc.Width;
	a->height = a->desc.Height ? a->desc.Height : 1;
	a->depth = a->desc.Depth ? a->desc.Depth : 1;
	a->pitch = a->width * a->elem;
	a->slice = a->pitch * a->height;
	a->bytes = a->slice * a->depth;
	r = umd_mem_alloc_kind(ctx, a->bytes, UMD_MEM_DEVICE, 0, NULL, &a->base);
	if (r)
		goto err_free;
	if (umd_array_track(a)) {
		r = MUSA_ERROR_OUT_OF_MEMORY;
		goto err_mem;
	}
	if (umd_handle_add(a, UMD_H_ARRAY)) {
		r = MUSA_ERROR_OUT_OF_MEMORY;
		goto err_untrack;
	}
	*pHandle = a;
	return MUSA_SUCCESS;

err_untrack:
	umd_array_untrack(a);
err_mem:
	umd_mem_remove(a->base, UMD_MEM_DEVICE);
err_free:
	free(a);
	return r;
}

UMD_API MUresult muArray3DCreate(MUarray *pHandle, const MUSA_ARRAY3D_DESCRIPTOR *pAllocateArray)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return UMD_RET(r ? r : umd_ctx_leave(ctx, umd_array_create_on(ctx, pHandle,
					     pAllocateArray)));
}

UMD_API MUresult muArrayCreate(MUarray *pHandle, const MUSA_ARRAY_DESCRIPTOR *pAllocateArray)
{
	MUSA_ARRAY3D_DESCRIPTOR d;

	if (!pAllocateArray) {
		MUresult r = umd_ctx_ready();

		return UMD_RET(r ? r : MUSA_ERROR_INVALID_VALUE);
	}
	memset(&d, 0, sizeof(d));
	d.Width = pAllocateArray->Width;
	d.Height = pAllocateArray->Height;
	d.Format = pAllocateArray->Format;
	d.NumChannels = pAllocateArray->NumChannels;
	return muArray3DCreate(pHandle, &d);
}

UMD_API MUresult muArrayDestroy(MUarray hArray)
{
	struct MUarray_st *a;
	MUresult r = umd_check_init();

	if (r)
		return UMD_RET(r);
	a = umd_array_get(hArray);
	if (!a)
		return UMD_RET(MUSA_ERROR_INVALID_HANDLE);
	/* Queued work may still read the array: let it finish, as cuArrayDestroy. */
	r = umd_ctx_sync(a->ctx);
	if (r)
		return UMD_RET(r);
	if (!umd_array_untrack(a))
		return UMD_RET(MUSA_ERROR_INVALID_HANDLE);  /* lost a race with another destroy */
	umd_handle_del(a);
	umd_mem_remove(a->base, UMD_MEM_DEVICE);
	free(a);
	return UMD_RET(MUSA_SUCCESS);
}

/* The checks of both descriptor queries: the driver is up, there is
 * somewhere to write, and the handle is a live array (in *a). */
static MUresult umd_array_query(MUarray h, const void *out, struct MUarray_st **a)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!out, MUSA_ERROR_INVALID_VALUE);
	*a = umd_array_get(h);
	return *a ? MUSA_SUCCESS : MUSA_ERROR_INVALID_HANDLE;
}

UMD_API MUresult muArray3DGetDescriptor(MUSA_ARRAY3D_DESCRIPTOR *pArrayDescriptor, MUarray hArray)
{
	struct MUarray_st *a;
	MUresult r = umd_array_query(hArray, pArrayDescriptor, &a);

	if (r)
		return UMD_RET(r);
	*pArrayDescriptor = a->desc;
	return UMD_RET(MUSA_SUCCESS);
}

UMD_API MUresult muArrayGetDescriptor(MUSA_ARRAY_DESCRIPTOR *pArrayDescriptor, MUarray hArray)
{
	struct MUarray_st *a;
	MUresult r = umd_array_query(hArray, pArrayDescriptor, &a);

	if (r)
		return UMD_RET(r);
	if (a->desc.Depth)
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);  /* 3-D or layered: use the 3-D query */
	pArrayDescriptor->Width = a->desc.Width;
	pArrayDescriptor->Height = a->desc.Height;
	pArrayDescriptor->Format = a->desc.Format;
	pArrayDescriptor->NumChannels = a->desc.NumChannels;
	return UMD_RET(MUSA_SUCCESS);
}

/* 1-D copies: a byte range of the array taken row after row. */

/* One side of a 1-D copy as a 2-D copy side of one row. */
struct umd_lin_side {
	MUmemorytype type;
	const void *host;
	MUdeviceptr dev;
	MUarray array;
	size_t offset;
};

static MUresult umd_copy_1d(const struct umd_lin_side *dst, const struct umd_lin_side *src,
			    size_t n, MUstream h, int async)
{
	MUSA_MEMCPY2D c;
	const struct umd_lin_side *sides[2] = { src, dst };

	memset(&c, 0, sizeof(c));
	/* Rows are not padded, so the byte range is contiguous in the array. */
	for (int i = 0; i < 2; i++) {
		const struct umd_lin_side *s = sides[i];
		struct MUarray_st *a = NULL;

		if (s->type == MU_MEMORYTYPE_ARRAY) {
			CHECK(!s->array, MUSA_ERROR_INVALID_VALUE);
			a = umd_array_get(s->array);
			CHECK(!a, MUSA_ERROR_INVALID_HANDLE);
			CHECK(s->offset > a->bytes || n > a->bytes - s->offset,
			      MUSA_ERROR_INVALID_VALUE);
		}
		if (i == 0) {
			c.srcMemoryType = a ? MU_MEMORYTYPE_DEVICE : s->type;
			c.srcHost = s->host;
			c.srcDevice = a ? a->base + s->offset : s->dev;
		} else {
			c.dstMemoryType = a ? MU_MEMORYTYPE_DEVICE : s->type;
			c.dstHost = (void *)s->host;
			c.dstDevice = a ? a->base + s->offset : s->dev;
		}
	}
	c.WidthInBytes = n;
	c.Height = 1;
	c.srcPitch = c.dstPitch = n;
	return async ? muMemcpy2DAsync(&c, h) : muMemcpy2D(&c);
}

#define UMD_ARRAY_SIDE(a, off) { MU_MEMORYTYPE_ARRAY, NULL, 0, (a), (off) }
#define UMD_HOST_SIDE(p)       { MU_MEMORYTYPE_HOST, (p), 0, NULL, 0 }
#define UMD_DEV_SIDE(p)        { MU_MEMORYTYPE_DEVICE, NULL, (p), NULL, 0 }

UMD_API MUresult muMemcpyHtoA(MUarray dstArray, size_t dstOffset, const void *srcHost,
			      size_t ByteCount)
{
	struct umd_lin_side d = UMD_ARRAY_SIDE(dstArray, dstOffset), s = UMD_HOST_SIDE(srcHost);

	return UMD_RET(umd_copy_1d(&d, &s, ByteCount, NULL, 0));
}

UMD_API MUresult muMemcpyAtoH(void *dstHost, MUarray srcArray, size_t srcOffset, size_t ByteCount)
{
	struct umd_lin_side d = UMD_HOST_SIDE(dstHost), s = UMD_ARRAY_SIDE(srcArray, srcOffset);

	return UMD_RET(umd_copy_1d(&d, &s, ByteCount, NULL, 0));
}

UMD_API MUresult muMemcpyDtoA(MUarray dstArray, size_t dstOffset, MUdeviceptr srcDevice,
			      size_t ByteCount)
{
	struct umd_lin_side d = UMD_ARRAY_SIDE(dstArray, dstOffset), s = UMD_DEV_SIDE(srcDevice);

	return UMD_RET(umd_copy_1d(&d, &s, ByteCount, NULL, 0));
}

UMD_API MUresult muMemcpyAtoD(MUdeviceptr dstDevice, MUarray srcArray, size_t srcOffset,
			      size_t ByteCount)
{
	struct umd_lin_side d = UMD_DEV_SIDE(dstDevice), s = UMD_ARRAY_SIDE(srcArray, srcOffset);

	return UMD_RET(umd_copy_1d(&d, &s, ByteCount, NULL, 0));
}

UMD_API MUresult muMemcpyAtoA(MUarray dstArray, size_t dstOffset, MUarray srcArray,
			      size_t srcOffset, size_t ByteCount)
{
	struct umd_lin_side d = UMD_ARRAY_SIDE(dstArray, dstOffset);
	struct umd_lin_side s = UMD_ARRAY_SIDE(srcArray, srcOffset);

	return UMD_RET(umd_copy_1d(&d, &s, ByteCount, NULL, 0));
}

UMD_API MUresult muMemcpyHtoAAsync(MUarray dstArray, size_t dstOffset, const void *srcHost,
				   size_t ByteCount, MUstream hStream)
{
	struct umd_lin_side d = UMD_ARRAY_SIDE(dstArray, dstOffset), s = UMD_HOST_SIDE(srcHost);

	return UMD_RET(umd_copy_1d(&d, &s, ByteCount, hStream, 1));
}

UMD_API MUresult muMemcpyAtoHAsync(void *dstHost, MUarray srcArray, size_t srcOffset,
				   size_t ByteCount, MUstream hStream)
{
	struct umd_lin_side d = UMD_HOST_SIDE(dstHost), s = UMD_ARRAY_SIDE(srcArray, srcOffset);

	return UMD_RET(umd_copy_1d(&d, &s, ByteCount, hStream, 1));
}
