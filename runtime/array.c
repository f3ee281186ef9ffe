/* SPDX-License-Identifier: MIT */
/*
 * array.c - MUSA arrays through the runtime: musaCreateChannelDesc,
 * musaMallocArray, musaMalloc3DArray, musaFreeArray, musaArrayGetInfo,
 * musaGetChannelDesc, the copies to, from and between arrays
 * (musaMemcpy2DToArray ..., the deprecated musaMemcpyToArray ...) and the
 * array sides of musaMemcpy3D(Async). A musaArray_t is the driver's MUarray;
 * every copy is a driver muMemcpy3D(Async), whose array sides know the
 * layout, so the runtime never assumes one. Also the channel-descriptor
 * conversions texture.c and texref.c share.
 * Calls the driver's muArray*, muMemcpy3D(Async), muMemcpyAtoA.
 */
#include <string.h>

#include "rt.h"

/* Bytes per channel of a driver format; 0 for one the runtime never makes. */
static const struct {
	MUarray_format format;
	int bits;
	enum musaChannelFormatKind kind;
} rt_formats[] = {
	{ MU_AD_FORMAT_UNSIGNED_INT8, 8, musaChannelFormatKindUnsigned },
	{ MU_AD_FORMAT_UNSIGNED_INT16, 16, musaChannelFormatKindUnsigned },
	{ MU_AD_FORMAT_UNSIGNED_INT32, 32, musaChannelFormatKindUnsigned },
	{ MU_AD_FORMAT_SIGNED_INT8, 8, musaChannelFormatKindSigned },
	{ MU_AD_FORMAT_SIGNED_INT16, 16, musaChannelFormatKindSigned },
	{ MU_AD_FORMAT_SIGNED_INT32, 32, musaChannelFormatKindSigned },
	{ MU_AD_FORMAT_HALF, 16, musaChannelFormatKindFloat },
	{ MU_AD_FORMAT_FLOAT, 32, musaChannelFormatKindFloat },
};
#define RT_NFORMATS (sizeof(rt_formats) / sizeof(rt_formats[0]))

musaError_t rt_channel_to_format(const struct musaChannelFormatDesc *d, MUarray_format *format,
                                 unsigned int *channels)
{
	int bits[4] = { d->x, d->y, d->z, d->w };
	unsigned int n = 0;

	/* Channels are x, then y, z, w: no gap, all of one size. */
	while (n < 4 && bits[n])
		n++;
	for (unsigned int i = n; i < 4; i++)
		if (bits[i])
			return musaErrorInvalidChannelDescriptor;
	if (n != 1 && n != 2 && n != 4)
		return musaErrorInvalidChannelDescriptor;
	for (unsigned int i = 1; i < n; i++)
		if (bits[i] != bits[0])
			return musaErrorInvalidChannelDescriptor;
	for (size_t i = 0; i < RT_NFORMATS; i++) {
		if (rt_formats[i].bits == bits[0] && rt_formats[i].kind == d->f) {
			*format = rt_formats[i].format;
			*channels = n;
			return musaSuccess;
		}
	}
	return musaErrorInvalidChannelDescriptor;
}

void rt_format_to_channel(MUarray_format format, unsigned int channels,
                          struct musaChannelFormatDesc *d)
{
	int bits = 0;

	memset(d, 0, sizeof(*d));
	d->f = musaChannelFormatKindNone;
	for (size_t i = 0; i < RT_NFORMATS; i++) {
		if (rt_formats[i].format == format) {
			bits = rt_formats[i].bits;
			d->f = rt_formats[i].kind;
		}
	}
	d->x = channels >= 1 ? bits : 0;
	d->y = channels >= 2 ? bits : 0;
	d->z = channels >= 3 ? bits : 0;
	d->w = channels >= 4 ? bits : 0;
}

/* Bytes of one element of an array; 0 when the handle is not an array. */
static size_t rt_array_elem(musaArray_const_t array, MUSA_ARRAY3D_DESCRIPTOR *out)
{
	MUSA_ARRAY3D_DESCRIPTOR d;
	struct musaChannelFormatDesc c;

	if (!array || muArray3DGetDescriptor(&d, (MUarray)(void *)array) != MUSA_SUCCESS)
		return 0;
	if (out)
		*out = d;
	rt_format_to_channel(d.Format, d.NumChannels, &c);
	return (size_t)(c.x / 8) * d.NumChannels;
}

MUSART_API struct musaChannelFormatDesc musaCreateChannelDesc(int x, int y, int z, int w,
                                                              enum musaChannelFormatKind f)
{
	struct musaChannelFormatDesc d;

	d.x = x;
	d.y = y;
	d.z = z;
	d.w = w;
	d.f = f;
	return d;
}

static musaError_t rt_malloc_array(musaArray_t *array, const struct musaChannelFormatDesc *desc,
                                   size_t w, size_t h, size_t d, unsigned int flags)
{
	MUSA_ARRAY3D_DESCRIPTOR ad;
	MUarray a;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return e;
	CHECK(!array || !desc, musaErrorInvalidValue);
	memset(&ad, 0, sizeof(ad));
	e = rt_channel_to_format(desc, &ad.Format, &ad.NumChannels);
	if (e != musaSuccess)
		return e;
	ad.Width = w;
	ad.Height = h;
	ad.Depth = d;
	ad.Flags = flags;  /* musaArray* flags are the driver's MUSA_ARRAY3D_* */
	r = muArray3DCreate(&a, &ad);
	if (r == MUSA_ERROR_OUT_OF_MEMORY)
		return musaErrorMemoryAllocation;
	if (r != MUSA_SUCCESS)
		return rt_dev_result(dev, r);
	*array = (musaArray_t)(void *)a;
	return musaSuccess;
}

MUSART_API musaError_t musaMallocArray(musaArray_t *array, const struct musaChannelFormatDesc *desc,
                                       size_t width, size_t height, unsigned int flags)
{
	return rt_ret(rt_malloc_array(array, desc, width, height, 0, flags));
}

MUSART_API musaError_t musaMalloc3DArray(musaArray_t *array,
                                         const struct musaChannelFormatDesc *desc,
                                         struct musaExtent extent, unsigned int flags)
{
	return rt_ret(rt_malloc_array(array, desc, extent.width, extent.height, extent.depth, flags));
}

MUSART_API musaError_t musaFreeArray(musaArray_t array)
{
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	if (!array)
		return rt_ret(musaSuccess);
	return rt_ret(rt_dev_result(dev, muArrayDestroy((MUarray)(void *)array)));
}

/* The one array query: what the driver describes, each output optional
 * but the channel description when musaGetChannelDesc asks for it. */
static musaError_t rt_array_info(musaArray_const_t array, int need_desc,
                                 struct musaChannelFormatDesc *desc, struct musaExtent *extent,
                                 unsigned int *flags)
{
	MUSA_ARRAY3D_DESCRIPTOR d;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return e;
	CHECK(need_desc && !desc, musaErrorInvalidValue);
	if (!rt_array_elem(array, &d))
		return musaErrorInvalidResourceHandle;
	if (desc)
		rt_format_to_channel(d.Format, d.NumChannels, desc);
	if (extent)
		*extent = make_musaExtent(d.Width, d.Height, d.Depth);
	if (flags)
		*flags = d.Flags;
	return musaSuccess;
}

MUSART_API musaError_t musaArrayGetInfo(struct musaChannelFormatDesc *desc,
                                        struct musaExtent *extent, unsigned int *flags,
                                        musaArray_t array)
{
	return rt_ret(rt_array_info(array, 0, desc, extent, flags));
}

MUSART_API musaError_t musaGetChannelDesc(struct musaChannelFormatDesc *desc,
                                          musaArray_const_t array)
{
	return rt_ret(rt_array_info(array, 1, desc, NULL, NULL));
}

/* Copies */

/* The memory type of a pointer side of a copy with an array: the kind says
 * whether it is host or device memory (musaMemcpyDefault: where it is). */
static musaError_t rt_ptr_side(const void *p, int p_is_src, enum musaMemcpyKind kind,
                               MUmemorytype *type)
{
	static const signed char side[][2] = {  /* [kind][p_is_src]: 1 device, 0 host */
		[musaMemcpyHostToHost] = { -1, -1 },
		[musaMemcpyHostToDevice] = { -1, 0 },
		[musaMemcpyDeviceToHost] = { 0, -1 },
		[musaMemcpyDeviceToDevice] = { 1, 1 },
	};
	int dev = rt_mem_is_device(p);

	if ((unsigned int)kind > (unsigned int)musaMemcpyDefault)
		return musaErrorInvalidMemcpyDirection;
	CHECK(!p, musaErrorInvalidValue);
	if (kind == musaMemcpyDefault) {
		*type = dev ? MU_MEMORYTYPE_DEVICE : MU_MEMORYTYPE_HOST;
		return musaSuccess;
	}
	/* The array side is device memory: the kind must say so. */
	if (side[kind][p_is_src] < 0)
		return musaErrorInvalidMemcpyDirection;
	CHECK(side[kind][p_is_src] && !dev, musaErrorInvalidValue);
	/* Host memory the device can reach (managed, pinned) is fine as host. */
	*type = side[kind][p_is_src] ? MU_MEMORYTYPE_DEVICE :
	        dev ? MU_MEMORYTYPE_UNIFIED : MU_MEMORYTYPE_HOST;
	return musaSuccess;
}

/* One side of a copy: an array at an element position, or a pointer with
 * a pitch and a height (for 3-D). */
struct rt_side {
	musaArray_const_t array;
	const void *ptr;
	size_t pitch, height;
	size_t x, y, z;     /* x in bytes */
};

static musaError_t rt_fill_side(const struct rt_side *s, int is_src, enum musaMemcpyKind kind,
                                MUSA_MEMCPY3D *c)
{
	MUmemorytype type = MU_MEMORYTYPE_ARRAY;
	musaError_t e = musaSuccess;

	if (!s->array)
		e = rt_ptr_side(s->ptr, is_src, kind, &type);
	else if ((unsigned int)kind > (unsigned int)musaMemcpyDefault)
		e = musaErrorInvalidMemcpyDirection;
	if (e != musaSuccess)
		return e;
	if (is_src) {
		c->srcMemoryType = type;
		c->srcArray = (MUarray)(void *)s->array;
		c->srcHost = s->ptr;
		c->srcDevice = (MUdeviceptr)(uintptr_t)s->ptr;
		c->srcPitch = s->pitch;
		c->srcHeight = s->height;
		c->srcXInBytes = s->x;
		c->srcY = s->y;
		c->srcZ = s->z;
	} else {
		c->dstMemoryType = type;
		c->dstArray = (MUarray)(void *)s->array;
		c->dstHost = (void *)s->ptr;
		c->dstDevice = (MUdeviceptr)(uintptr_t)s->ptr;
		c->dstPitch = s->pitch;
		c->dstHeight = s->height;
		c->dstXInBytes = s->x;
		c->dstY = s->y;
		c->dstZ = s->z;
	}
	return musaSuccess;
}

static musaError_t rt_copy(const struct rt_side *dst, const struct rt_side *src, size_t width,
                           size_t height, size_t depth, enum musaMemcpyKind kind,
                           musaStream_t stream, int async)
{
	MUSA_MEMCPY3D c;
	MUstream s;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter_stream(stream, async, &dev, &s);

	if (e != musaSuccess)
		return e;
	if ((dst->array && !rt_array_elem(dst->array, NULL)) ||
	    (src->array && !rt_array_elem(src->array, NULL)))
		return musaErrorInvalidResourceHandle;
	memset(&c, 0, sizeof(c));
	e = rt_fill_side(src, 1, kind, &c);
	if (e == musaSuccess)
		e = rt_fill_side(dst, 0, kind, &c);
	if (e != musaSuccess)
		return e;
	if (!width || !height || !depth)
		return musaSuccess;
	if ((!src->array && height > 1 && src->pitch < width) ||
	    (!dst->array && height > 1 && dst->pitch < width))
		return musaErrorInvalidPitchValue;
	c.WidthInBytes = width;
	c.Height = height;
	c.Depth = depth;
	r = async ? muMemcpy3DAsync(&c, s) : muMemcpy3D(&c);
	return rt_dev_result(dev, r);
}

MUSART_API musaError_t musaMemcpy2DToArray(musaArray_t dst, size_t wOffset, size_t hOffset,
                                           const void *src, size_t spitch, size_t width,
                                           size_t height, enum musaMemcpyKind kind)
{
	struct rt_side d = { dst, NULL, 0, 0, wOffset, hOffset, 0 };
	struct rt_side s = { NULL, src, spitch, height, 0, 0, 0 };

	if (!dst)
		return rt_ret(musaErrorInvalidResourceHandle);
	return rt_ret(rt_copy(&d, &s, width, height, 1, kind, NULL, 0));
}

MUSART_API musaError_t musaMemcpy2DToArrayAsync(musaArray_t dst, size_t wOffset, size_t hOffset,
                                                const void *src, size_t spitch, size_t width,
                                                size_t height, enum musaMemcpyKind kind,
                                                musaStream_t stream)
{
	struct rt_side d = { dst, NULL, 0, 0, wOffset, hOffset, 0 };
	struct rt_side s = { NULL, src, spitch, height, 0, 0, 0 };

	if (!dst)
		return rt_ret(musaErrorInvalidResourceHandle);
	return rt_ret(rt_copy(&d, &s, width, height, 1, kind, stream, 1));
}

MUSART_API musaError_t musaMemcpy2DFromArray(void *dst, size_t dpitch, musaArray_const_t src,
                                             size_t wOffset, size_t hOffset, size_t width,
                                             size_t height, enum musaMemcpyKind kind)
{
	struct rt_side d = { NULL, dst, dpitch, height, 0, 0, 0 };
	struct rt_side s = { src, NULL, 0, 0, wOffset, hOffset, 0 };

	if (!src)
		return rt_ret(musaErrorInvalidResourceHandle);
	return rt_ret(rt_copy(&d, &s, width, height, 1, kind, NULL, 0));
}

MUSART_API musaError_t musaMemcpy2DFromArrayAsync(void *dst, size_t dpitch, musaArray_const_t src,
                                                  size_t wOffset, size_t hOffset, size_t width,
                                                  size_t height, enum musaMemcpyKind kind,
                                                  musaStream_t stream)
{
	struct rt_side d = { NULL, dst, dpitch, height, 0, 0, 0 };
	struct rt_side s = { src, NULL, 0, 0, wOffset, hOffset, 0 };

	if (!src)
		return rt_ret(musaErrorInvalidResourceHandle);
	return rt_ret(rt_copy(&d, &s, width, height, 1, kind, stream, 1));
}

MUSART_API musaError_t musaMemcpy2DArrayToArray(musaArray_t dst, size_t wOffsetDst,
                                                size_t hOffsetDst, musaArray_const_t src,
                                                size_t wOffsetSrc, size_t hOffsetSrc,
                                                size_t width, size_t height,
                                                enum musaMemcpyKind kind)
{
	struct rt_side d = { dst, NULL, 0, 0, wOffsetDst, hOffsetDst, 0 };
	struct rt_side s = { src, NULL, 0, 0, wOffsetSrc, hOffsetSrc, 0 };

	if (!dst || !src)
		return rt_ret(musaErrorInvalidResourceHandle);
	if (kind != musaMemcpyDeviceToDevice && kind != musaMemcpyDefault)
		return rt_ret(musaErrorInvalidMemcpyDirection);
	return rt_ret(rt_copy(&d, &s, width, height, 1, kind, NULL, 0));
}

/* The deprecated 1-D forms: count bytes from (wOffset, hOffset) on, the
 * array taken as rows of width * element size bytes. Runs as up to three
 * 2-D copies: the rest of the first row, whole rows, the start of the last. */
static musaError_t rt_copy_linear(musaArray_const_t array, size_t wOffset, size_t hOffset,
                                  const void *p, size_t count, int to_array,
                                  enum musaMemcpyKind kind, musaStream_t stream, int async)
{
	MUSA_ARRAY3D_DESCRIPTOR ad;
	size_t elem = rt_array_elem(array, &ad), row, done = 0;
	musaError_t e;

	if (!elem)
		return musaErrorInvalidResourceHandle;
	row = ad.Width * elem;
	while (done < count) {
		size_t x = (wOffset + done) % row, y = hOffset + (wOffset + done) / row;
		size_t w = row - x, h = 1;
		struct rt_side a = { array, NULL, 0, 0, x, y, 0 };
		struct rt_side q = { NULL, (const char *)p + done, row, 1, 0, 0, 0 };

		if (x == 0 && count - done >= row) {
			h = (count - done) / row;
			w = row;
		} else if (w > count - done) {
			w = count - done;
		}
		q.pitch = w == row ? row : w;
		q.height = h;
		e = to_array ? rt_copy(&a, &q, w, h, 1, kind, stream, async)
		             : rt_copy(&q, &a, w, h, 1, kind, stream, async);
		if (e != musaSuccess)
			return e;
		done += w * h;
	}
	if (!count) {
		int dev;

		return rt_cur_enter(&dev);
	}
	return musaSuccess;
}

MUSART_API musaError_t musaMemcpyToArray(musaArray_t dst, size_t wOffset, size_t hOffset,
                                         const void *src, size_t count, enum musaMemcpyKind kind)
{
	return rt_ret(rt_copy_linear(dst, wOffset, hOffset, src, count, 1, kind, NULL, 0));
}

MUSART_API musaError_t musaMemcpyToArrayAsync(musaArray_t dst, size_t wOffset, size_t hOffset,
                                              const void *src, size_t count,
                                              enum musaMemcpyKind kind, musaStream_t stream)
{
	return rt_ret(rt_copy_linear(dst, wOffset, hOffset, src, count, 1, kind, stream, 1));
}

MUSART_API musaError_t musaMemcpyFromArray(void *dst, musaArray_const_t src, size_t wOffset,
                                           size_t hOffset, size_t count, enum musaMemcpyKind kind)
{
	return rt_ret(rt_copy_linear(src, wOffset, hOffset, dst, count, 0, kind, NULL, 0));
}

MUSART_API musaError_t musaMemcpyFromArrayAsync(void *dst, musaArray_const_t src, size_t wOffset,
                                                size_t hOffset, size_t count,
                                                enum musaMemcpyKind kind, musaStream_t stream)
{
	return rt_ret(rt_copy_linear(src, wOffset, hOffset, dst, count, 0, kind, stream, 1));
}

MUSART_API musaError_t musaMemcpyArrayToArray(musaArray_t dst, size_t wOffsetDst,
                                              size_t hOffsetDst, musaArray_const_t src,
                                              size_t wOffsetSrc, size_t hOffsetSrc, size_t count,
                                              enum musaMemcpyKind kind)
{
	MUSA_ARRAY3D_DESCRIPTOR sd, dd;
	size_t se = rt_array_elem(src, &sd), de = rt_array_elem(dst, &dd);
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return rt_ret(e);
	if (!se || !de)
		return rt_ret(musaErrorInvalidResourceHandle);
	if (kind != musaMemcpyDeviceToDevice && kind != musaMemcpyDefault)
		return rt_ret(musaErrorInvalidMemcpyDirection);
	return rt_ret(rt_dev_result(dev, muMemcpyAtoA((MUarray)(void *)dst,
	                                              hOffsetDst * dd.Width * de + wOffsetDst,
	                                              (MUarray)(void *)src,
	                                              hOffsetSrc * sd.Width * se + wOffsetSrc,
	                                              count)));
}

/* musaMemcpy3D(Async) with an array side: positions and the extent count
 * elements of the array (bytes of a pointer side). */
musaError_t rt_array_copy3d(const struct musaMemcpy3DParms *p, musaStream_t stream, int async)
{
	size_t elem = 1;
	struct rt_side d = { p->dstArray, p->dstPtr.ptr, p->dstPtr.pitch, p->dstPtr.ysize,
	                     p->dstPos.x, p->dstPos.y, p->dstPos.z };
	struct rt_side s = { p->srcArray, p->srcPtr.ptr, p->srcPtr.pitch, p->srcPtr.ysize,
	                     p->srcPos.x, p->srcPos.y, p->srcPos.z };

	CHECK((p->srcArray && p->srcPtr.ptr) || (p->dstArray && p->dstPtr.ptr),
	      musaErrorInvalidValue);
	if (p->srcArray)
		elem = rt_array_elem(p->srcArray, NULL);
	if (p->dstArray) {
		size_t de = rt_array_elem(p->dstArray, NULL);

		CHECK(p->srcArray && de != elem, musaErrorInvalidValue);
		elem = de;
	}
	if (!elem)
		return musaErrorInvalidResourceHandle;
	if (p->srcArray)
		s.x *= elem;
	if (p->dstArray)
		d.x *= elem;
	return rt_copy(&d, &s, p->extent.width * elem, p->extent.height, p->extent.depth, p->kind,
	               stream, async);
}
