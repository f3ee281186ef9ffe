/* SPDX-License-Identifier: MIT */
/*
 * texture_drv.c - conformance of the driver's arrays, texture and surface
 * objects: muArrayCreate / muArray3DCreate / descriptors / destroy, the 1-D
 * and 3-D copies with arrays, muTexObject* and muSurfObject*, with exact
 * error codes. Objects made here are sampled by the runtime-launched
 * kernels of cts_kernels.mu in the same (primary) context.
 */
#include "cts.h"

static MUarray make_array(size_t w, size_t h, size_t d, MUarray_format f, unsigned int ch,
			  unsigned int flags)
{
	MUSA_ARRAY3D_DESCRIPTOR ad;
	MUarray a = NULL;

	memset(&ad, 0, sizeof(ad));
	ad.Width = w;
	ad.Height = h;
	ad.Depth = d;
	ad.Format = f;
	ad.NumChannels = ch;
	ad.Flags = flags;
	CTS_DRV_OK(muArray3DCreate(&a, &ad));
	return a;
}

CTS_TEST(texture_drv, array_create_describe_destroy)
{
	MUSA_ARRAY_DESCRIPTOR d1, got1;
	MUSA_ARRAY3D_DESCRIPTOR got3;
	MUarray a, b;

	cts_drv_init();
	memset(&d1, 0, sizeof(d1));
	d1.Width = 40;
	d1.Height = 3;
	d1.Format = MU_AD_FORMAT_HALF;
	d1.NumChannels = 2;
	CTS_DRV_OK(muArrayCreate(&a, &d1));
	CTS_DRV_OK(muArrayGetDescriptor(&got1, a));
	ck_assert_uint_eq(got1.Width, 40);
	ck_assert_uint_eq(got1.Height, 3);
	ck_assert_int_eq(got1.Format, MU_AD_FORMAT_HALF);
	ck_assert_uint_eq(got1.NumChannels, 2);
	CTS_DRV_OK(muArray3DGetDescriptor(&got3, a));
	ck_assert_uint_eq(got3.Depth, 0);
	ck_assert_uint_eq(got3.Flags, 0);
	b = make_array(8, 8, 5, MU_AD_FORMAT_SIGNED_INT16, 4,
		       MUSA_ARRAY3D_LAYERED | MUSA_ARRAY3D_SURFACE_LDST);
	CTS_DRV_OK(muArray3DGetDescriptor(&got3, b));
	ck_assert_uint_eq(got3.Depth, 5);
	ck_assert_uint_eq(got3.Flags, MUSA_ARRAY3D_LAYERED | MUSA_ARRAY3D_SURFACE_LDST);
	CTS_DRV(muArrayGetDescriptor(NULL, a), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muArrayDestroy(a));
	CTS_DRV(muArrayDestroy(a), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV(muArray3DGetDescriptor(&got3, a), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV_OK(muArrayDestroy(b));
}

CTS_TEST(texture_drv, array_create_Negative_Parameters)
{
	MUSA_ARRAY3D_DESCRIPTOR ad;
	MUarray a = (MUarray)(uintptr_t)0x99;

	cts_drv_init();
	memset(&ad, 0, sizeof(ad));
	ad.Width = 16;
	ad.Format = MU_AD_FORMAT_FLOAT;
	ad.NumChannels = 1;
	CTS_DRV(muArray3DCreate(NULL, &ad), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muArray3DCreate(&a, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muArrayCreate(&a, NULL), MUSA_ERROR_INVALID_VALUE);
	ad.NumChannels = 3;
	CTS_DRV(muArray3DCreate(&a, &ad), MUSA_ERROR_INVALID_VALUE);
	ad.NumChannels = 1;
	ad.Format = (MUarray_format)0x7;
	CTS_DRV(muArray3DCreate(&a, &ad), MUSA_ERROR_INVALID_VALUE);
	ad.Format = MU_AD_FORMAT_FLOAT;
	ad.Width = 0;
	CTS_DRV(muArray3DCreate(&a, &ad), MUSA_ERROR_INVALID_VALUE);
	ad.Width = 16;
	ad.Flags = MUSA_ARRAY3D_LAYERED;  /* layered with no layers */
	CTS_DRV(muArray3DCreate(&a, &ad), MUSA_ERROR_INVALID_VALUE);
	ad.Flags = 0x10000;
	CTS_DRV(muArray3DCreate(&a, &ad), MUSA_ERROR_INVALID_VALUE);
	ad.Flags = 0;
	ad.Width = (size_t)1 << 40;
	CTS_DRV(muArray3DCreate(&a, &ad), MUSA_ERROR_INVALID_VALUE);
	ck_assert_ptr_eq(a, (MUarray)(uintptr_t)0x99);
}

CTS_TEST(texture_drv, memcpy_1d_and_3d_with_arrays)
{
	unsigned char src[256], dst[256];
	MUSA_MEMCPY3D c;
	MUdeviceptr d;
	MUarray a, b;

	cts_drv_init();
	for (int i = 0; i < 256; i++)
		src[i] = (unsigned char)(i * 3 + 1);
	a = make_array(16, 4, 0, MU_AD_FORMAT_UNSIGNED_INT8, 4, 0);  /* 64-byte rows */
	b = make_array(16, 4, 0, MU_AD_FORMAT_UNSIGNED_INT8, 4, 0);
	CTS_DRV_OK(muMemAlloc(&d, 256));
	CTS_DRV_OK(muMemcpyHtoA(a, 0, src, 256));
	CTS_DRV_OK(muMemcpyAtoA(b, 32, a, 0, 200));
	CTS_DRV_OK(muMemcpyAtoD(d, b, 32, 200));
	CTS_DRV_OK(muMemcpyDtoA(a, 8, d, 100));
	memset(dst, 0, sizeof(dst));
	CTS_DRV_OK(muMemcpyAtoH(dst, a, 0, 256));
	ck_assert_int_eq(memcmp(dst, src, 8), 0);
	ck_assert_int_eq(memcmp(dst + 8, src, 100), 0);
	ck_assert_int_eq(memcmp(dst + 108, src + 108, 148), 0);
	CTS_DRV(muMemcpyHtoA(a, 200, src, 100), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemcpyAtoH(dst, NULL, 0, 4), MUSA_ERROR_INVALID_VALUE);

	/* 3-D: rows 1..2, bytes 8..39 of the array to host with a pitch of 40. */
	memset(&c, 0, sizeof(c));
	memset(dst, 0, sizeof(dst));
	c.srcMemoryType = MU_MEMORYTYPE_ARRAY;
	c.srcArray = b;
	c.srcXInBytes = 8;
	c.srcY = 1;
	c.dstMemoryType = MU_MEMORYTYPE_HOST;
	c.dstHost = dst;
	c.dstPitch = 40;
	c.dstHeight = 2;
	c.WidthInBytes = 32;
	c.Height = 2;
	c.Depth = 1;
	CTS_DRV_OK(muMemcpy3D(&c));
	for (int y = 0; y < 2; y++)
		for (int x = 0; x < 32; x++) {
			int off = (y + 1) * 64 + 8 + x;  /* byte of b; b = src shifted by 32 */
			unsigned char want = off >= 32 && off < 232 ? src[off - 32] : 0;

			ck_assert_uint_eq(dst[y * 40 + x], want);
		}
	c.srcXInBytes = 3;  /* not a multiple of the element size */
	CTS_DRV(muMemcpy3D(&c), MUSA_ERROR_INVALID_VALUE);
	c.srcXInBytes = 40;  /* past the row */
	CTS_DRV(muMemcpy3D(&c), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muArrayDestroy(a));
	CTS_DRV_OK(muArrayDestroy(b));
	CTS_DRV_OK(muMemFree(d));
}

/* The stream-ordered forms: host -> array and array -> host on a stream,
 * a 3-D copy array -> array behind them, one synchronize at the end. */
CTS_TEST(texture_drv, memcpy_async_with_arrays)
{
	unsigned char src[256], dst[256];
	MUSA_MEMCPY3D c;
	MUstream s;
	MUarray a, b;

	cts_drv_init();
	for (int i = 0; i < 256; i++)
		src[i] = (unsigned char)(255 - i);
	a = make_array(16, 4, 0, MU_AD_FORMAT_UNSIGNED_INT8, 4, 0);
	b = make_array(16, 4, 0, MU_AD_FORMAT_UNSIGNED_INT8, 4, 0);
	CTS_DRV_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	CTS_DRV_OK(muMemcpyHtoAAsync(a, 0, src, 256, s));
	memset(&c, 0, sizeof(c));
	c.srcMemoryType = MU_MEMORYTYPE_ARRAY;
	c.srcArray = a;
	c.dstMemoryType = MU_MEMORYTYPE_ARRAY;
	c.dstArray = b;
	c.WidthInBytes = 64;
	c.Height = 4;
	c.Depth = 1;
	CTS_DRV_OK(muMemcpy3DAsync(&c, s));
	memset(dst, 0, sizeof(dst));
	CTS_DRV_OK(muMemcpyAtoHAsync(dst, b, 0, 256, s));
	CTS_DRV_OK(muStreamSynchronize(s));
	ck_assert_int_eq(memcmp(dst, src, 256), 0);
	CTS_DRV(muMemcpyHtoAAsync(a, 250, src, 8, s), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemcpyAtoHAsync(dst, NULL, 0, 4, s), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muMemcpy3DAsync(NULL, s), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muStreamDestroy(s));
	CTS_DRV_OK(muArrayDestroy(a));
	CTS_DRV_OK(muArrayDestroy(b));
}

CTS_TEST(texture_drv, tex_object_sample_and_describe)
{
	static const unsigned char texels[4] = { 0, 51, 102, 255 };
	MUSA_RESOURCE_DESC rd, rd2;
	MUSA_TEXTURE_DESC td, td2;
	MUSA_RESOURCE_VIEW_DESC vd;
	MUtexObject t;
	MUarray a;
	float4 coords[3], out[3];
	float4 *dc, *dout;

	cts_drv_init();
	a = make_array(4, 0, 0, MU_AD_FORMAT_UNSIGNED_INT8, 1, 0);
	CTS_DRV_OK(muMemcpyHtoA(a, 0, texels, 4));
	memset(&rd, 0, sizeof(rd));
	rd.resType = MU_RESOURCE_TYPE_ARRAY;
	rd.res.array.hArray = a;
	memset(&td, 0, sizeof(td));
	/* The driver's default read mode promotes 8-bit integers to [0, 1]. */
	td.filterMode = MU_TR_FILTER_MODE_LINEAR;
	td.addressMode[0] = MU_TR_ADDRESS_MODE_CLAMP;
	CTS_DRV_OK(muTexObjectCreate(&t, &rd, &td, NULL));
	coords[0].x = 0.5f;   /* texel 0 */
	coords[1].x = 2.0f;   /* halfway between texels 1 and 2 */
	coords[2].x = 9.0f;   /* clamped to texel 3 */
	CTS_RT_OK(musaMalloc((void **)&dc, sizeof(coords)));
	CTS_RT_OK(musaMalloc((void **)&dout, sizeof(out)));
	CTS_RT_OK(musaMemcpy(dc, coords, sizeof(coords), musaMemcpyHostToDevice));
	CTS_RT_OK(cts_launch_tex_sample(t, CTS_TEX_SHAPE_1D, 0, dc, dout, 3));
	CTS_RT_OK(musaMemcpy(out, dout, sizeof(out), musaMemcpyDeviceToHost));
	ck_assert(out[0].x == 0.0f);
	ck_assert_msg(out[1].x == 0.5f * (51.0f / 255.0f) + 0.5f * (102.0f / 255.0f), "%g",
		      out[1].x);
	ck_assert(out[2].x == 1.0f);
	CTS_DRV_OK(muTexObjectGetResourceDesc(&rd2, t));
	ck_assert_ptr_eq(rd2.res.array.hArray, a);
	CTS_DRV_OK(muTexObjectGetTextureDesc(&td2, t));
	ck_assert_int_eq(td2.filterMode, MU_TR_FILTER_MODE_LINEAR);
	CTS_DRV(muTexObjectGetResourceViewDesc(&vd, t), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muTexObjectDestroy(t));
	CTS_DRV(muTexObjectDestroy(t), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muTexObjectGetTextureDesc(&td2, t), MUSA_ERROR_INVALID_VALUE);

	/* Integers read as integers cannot be filtered. */
	td.flags = MU_TRSF_READ_AS_INTEGER;
	CTS_DRV(muTexObjectCreate(&t, &rd, &td, NULL), MUSA_ERROR_INVALID_VALUE);
	td.flags = 0x80000;
	CTS_DRV(muTexObjectCreate(&t, &rd, &td, NULL), MUSA_ERROR_INVALID_VALUE);
	/* A view with another format of the same size: read as signed. */
	td.flags = MU_TRSF_READ_AS_INTEGER;
	td.filterMode = MU_TR_FILTER_MODE_POINT;
	memset(&vd, 0, sizeof(vd));
	vd.format = MU_RES_VIEW_FORMAT_SINT_1X8;
	vd.width = 4;
	CTS_DRV_OK(muTexObjectCreate(&t, &rd, &td, &vd));
	CTS_RT_OK(cts_launch_tex_sample(t, CTS_TEX_SHAPE_1D, 1, dc, dout, 3));
	CTS_RT_OK(musaMemcpy(out, dout, sizeof(out), musaMemcpyDeviceToHost));
	{
		int32_t v;

		memcpy(&v, &out[2].x, 4);
		ck_assert_int_eq(v, -1);  /* 255 as a signed byte */
	}
	CTS_DRV_OK(muTexObjectDestroy(t));
	vd.format = MU_RES_VIEW_FORMAT_FLOAT_1X32;  /* another element size */
	CTS_DRV(muTexObjectCreate(&t, &rd, &td, &vd), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muArrayDestroy(a));
	rd.res.array.hArray = a;  /* destroyed */
	CTS_DRV(muTexObjectCreate(&t, &rd, &td, NULL), MUSA_ERROR_INVALID_HANDLE);
	musaFree(dc);
	musaFree(dout);
}

CTS_TEST(texture_drv, surf_object_Negative_Parameters)
{
	MUSA_RESOURCE_DESC rd;
	MUsurfObject s = 3;
	MUarray plain, ldst;

	cts_drv_init();
	plain = make_array(8, 8, 0, MU_AD_FORMAT_FLOAT, 1, 0);
	ldst = make_array(8, 8, 0, MU_AD_FORMAT_FLOAT, 1, MUSA_ARRAY3D_SURFACE_LDST);
	memset(&rd, 0, sizeof(rd));
	rd.resType = MU_RESOURCE_TYPE_ARRAY;
	rd.res.array.hArray = plain;
	CTS_DRV(muSurfObjectCreate(&s, &rd), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muSurfObjectCreate(NULL, &rd), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muSurfObjectCreate(&s, NULL), MUSA_ERROR_INVALID_VALUE);
	ck_assert_uint_eq(s, 3);
	rd.res.array.hArray = ldst;
	CTS_DRV_OK(muSurfObjectCreate(&s, &rd));
	CTS_DRV_OK(muSurfObjectGetResourceDesc(&rd, s));
	ck_assert_ptr_eq(rd.res.array.hArray, ldst);
	/* A surface handle is not a texture handle. */
	CTS_DRV(muTexObjectDestroy(s), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muSurfObjectDestroy(s));
	CTS_DRV(muSurfObjectDestroy(s), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muArrayDestroy(plain));
	CTS_DRV_OK(muArrayDestroy(ldst));
}
