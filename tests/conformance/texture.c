/* SPDX-License-Identifier: MIT */
/*
 * texture.c - conformance of arrays, texture objects, surface objects and
 * legacy texture references through the runtime: one test per address
 * mode, filter mode, read mode, format class, shape and resource type,
 * each checked against the host reference below (CUDA programming guide,
 * "Texture Fetching": linear filtering at x - 0.5 with 1.8 fixed-point
 * weights), and Negative_Parameters cases with CUDA's exact error codes.
 */
#include <math.h>
#include <stdlib.h>

#include "cts.h"

/* host reference */

enum { K_SINT, K_UINT, K_FLOAT, K_HALF };

struct ref_tex {
	const void *data;          /* elements row after row, slice after slice */
	int kind, bytes, channels;
	long w, h, d;              /* d: slices or layers (1 when absent) */
	int dims, layered;
	struct musaTextureDesc td;
	int linear;                /* tex1Dfetch of linear memory */
};

union ref4 {
	float f[4];
	int32_t i[4];
	uint32_t u[4];
};

static float half_to_float(uint16_t h)
{
	int e = (h >> 10) & 31, m = h & 1023;
	float v = e ? ldexpf((float)(m | 1024), e - 25) : ldexpf((float)m, -24);

	return (h & 0x8000) ? -v : v;
}

/* Values with at most 11 significant bits and a normal exponent. */
static uint16_t float_to_half(float f)
{
	int e;
	float m = frexpf(fabsf(f), &e);
	uint16_t s = f < 0 ? 0x8000 : 0;

	if (f == 0)
		return s;
	return s | (uint16_t)((e + 14) << 10) | (uint16_t)((int)(m * 2048.0f) & 1023);
}

static int ref_float_result(const struct ref_tex *t)
{
	return t->kind == K_FLOAT || t->kind == K_HALF ||
	       (t->td.readMode == musaReadModeNormalizedFloat && t->bytes < 4);
}

static void ref_load(const struct ref_tex *t, long x, long y, long z, union ref4 *o)
{
	const unsigned char *e = (const unsigned char *)t->data +
				 ((z * t->h + y) * t->w + x) * t->bytes * t->channels;
	int norm = t->td.readMode == musaReadModeNormalizedFloat && t->bytes < 4;

	memset(o, 0, sizeof(*o));
	for (int c = 0; c < t->channels; c++) {
		const unsigned char *p = e + c * t->bytes;

		if (t->kind == K_FLOAT) {
			memcpy(&o->f[c], p, 4);
		} else if (t->kind == K_HALF) {
			uint16_t h;

			memcpy(&h, p, 2);
			o->f[c] = half_to_float(h);
		} else if (t->kind == K_UINT) {
			uint32_t v = 0;

			memcpy(&v, p, (size_t)t->bytes);
			if (norm)
				o->f[c] = (float)v / (t->bytes == 1 ? 255.0f : 65535.0f);
			else
				o->u[c] = v;
		} else {
			int32_t v = t->bytes == 1 ? *(const int8_t *)p : 0;

			if (t->bytes == 2) {
				int16_t s;

				memcpy(&s, p, 2);
				v = s;
			} else if (t->bytes == 4) {
				memcpy(&v, p, 4);
			}
			if (norm) {
				float f = (float)v / (t->bytes == 1 ? 127.0f : 32767.0f);

				o->f[c] = f < -1.0f ? -1.0f : f;
			} else {
				o->i[c] = v;
			}
		}
	}
}

/* Index of texel i under the mode; -1 = border. */
static long ref_address(long i, long n, int mode, int normalized)
{
	if (!normalized && (mode == musaAddressModeWrap || mode == musaAddressModeMirror))
		mode = musaAddressModeClamp;
	switch (mode) {
	case musaAddressModeWrap:
		return ((i % n) + n) % n;
	case musaAddressModeMirror: {
		long p = ((i % (2 * n)) + 2 * n) % (2 * n);

		return p < n ? p : 2 * n - 1 - p;
	}
	case musaAddressModeBorder:
		return i < 0 || i >= n ? -1 : i;
	default:
		return i < 0 ? 0 : i >= n ? n - 1 : i;
	}
}

static void ref_texel(const struct ref_tex *t, int n, const long *at, long layer, union ref4 *o)
{
	long ext[3] = { t->w, t->h, t->layered ? 1 : t->d }, p[3] = { 0, 0, 0 };

	for (int k = 0; k < n; k++) {
		p[k] = ref_address(at[k], ext[k], t->td.addressMode[k], t->td.normalizedCoords);
		if (p[k] < 0) {
			for (int c = 0; c < 4; c++)
				o->f[c] = t->td.borderColor[c];
			return;
		}
	}
	ref_load(t, p[0], p[1], t->layered ? layer : p[2], o);
}

/* The fetch of shape `shape` at c = (x, y, z, layer). */
static void ref_sample(const struct ref_tex *t, int shape, const float4 *c, union ref4 *o)
{
	int n = shape == CTS_TEX_SHAPE_1DLAYERED ? 1 : shape == CTS_TEX_SHAPE_2DLAYERED ? 2 : shape;
	float x[3] = { c->x, c->y, c->z };
	long ext[3] = { t->w, t->h, t->d }, layer = (long)c->w;

	memset(o, 0, sizeof(*o));
	if (shape == CTS_TEX_SHAPE_FETCH) {
		long i = (long)c->x;

		if (i >= 0 && i < t->w)
			ref_load(t, i, 0, 0, o);
		return;
	}
	if (t->layered)
		layer = layer < 0 ? 0 : layer >= t->d ? t->d - 1 : layer;
	for (int k = 0; k < n; k++)
		if (t->td.normalizedCoords)
			x[k] *= (float)ext[k];
	if (t->td.filterMode == musaFilterModeLinear && ref_float_result(t)) {
		long i0[3];
		float a[3];

		for (int k = 0; k < n; k++) {
			float b = x[k] - 0.5f;

			i0[k] = (long)floorf(b);
			a[k] = (float)(int)((b - floorf(b)) * 256.0f + 0.5f) / 256.0f;
		}
		for (int corner = 0; corner < (1 << n); corner++) {
			long at[3];
			float wgt = 1.0f;
			union ref4 v;

			for (int k = 0; k < n; k++) {
				int hi = (corner >> k) & 1;

				at[k] = i0[k] + hi;
				wgt *= hi ? a[k] : 1.0f - a[k];
			}
			ref_texel(t, n, at, layer, &v);
			for (int ch = 0; ch < 4; ch++)
				o->f[ch] += wgt * v.f[ch];
		}
		return;
	}
	{
		long at[3];

		for (int k = 0; k < n; k++)
			at[k] = (long)floorf(x[k]);
		ref_texel(t, n, at, layer, o);
	}
}

/* running fetches */

static float4 mk4(float x, float y, float z, float w)
{
	float4 v;

	v.x = x;
	v.y = y;
	v.z = z;
	v.w = w;
	return v;
}

/* Fetches at n coordinates and compares with the reference: integer lanes
 * exactly, floats to 2^-20 relative (the order of the filter sums). */
static void check_samples(const struct ref_tex *t, musaTextureObject_t obj, int shape,
			  const float4 *coords, int n)
{
	int as_int = !ref_float_result(t);
	float4 *dc, *dout, *out = malloc((size_t)n * sizeof(float4));

	ck_assert_ptr_ne(out, NULL);
	CTS_RT_OK(musaMalloc((void **)&dc, (size_t)n * sizeof(float4)));
	CTS_RT_OK(musaMalloc((void **)&dout, (size_t)n * sizeof(float4)));
	CTS_RT_OK(musaMemcpy(dc, coords, (size_t)n * sizeof(float4), musaMemcpyHostToDevice));
	CTS_RT_OK(cts_launch_tex_sample(obj, shape, as_int, dc, dout, n));
	CTS_RT_OK(musaMemcpy(out, dout, (size_t)n * sizeof(float4), musaMemcpyDeviceToHost));
	for (int i = 0; i < n; i++) {
		union ref4 want, got;

		ref_sample(t, shape, &coords[i], &want);
		memcpy(&got, &out[i], sizeof(got));
		for (int c = 0; c < 4; c++) {
			if (as_int)
				ck_assert_msg(got.u[c] == want.u[c],
					      "sample %d (%g, %g, %g, %g) channel %d: %u, expected %u", i,
					      coords[i].x, coords[i].y, coords[i].z, coords[i].w, c,
					      got.u[c], want.u[c]);
			else
				ck_assert_msg(fabsf(got.f[c] - want.f[c]) <=
						      fmaxf(1.0f, fabsf(want.f[c])) * 1e-6f,
					      "sample %d (%g, %g, %g, %g) channel %d: %.9g, expected %.9g",
					      i, coords[i].x, coords[i].y, coords[i].z, coords[i].w, c,
					      got.f[c], want.f[c]);
		}
	}
	CTS_RT_OK(musaFree(dc));
	CTS_RT_OK(musaFree(dout));
	free(out);
}

/* Deterministic coordinates over [-1.5, 2.5) of each extent (normalized:
 * of 1), with texel centres and edges among them. */
static float4 *make_coords(const struct ref_tex *t, int shape, int n)
{
	float4 *c = malloc((size_t)n * sizeof(float4));
	unsigned int s = 12345u;
	float ext[3] = { (float)t->w, (float)t->h, (float)t->d };

	ck_assert_ptr_ne(c, NULL);
	for (int i = 0; i < n; i++) {
		float v[4];

		for (int k = 0; k < 4; k++) {
			float scale = t->td.normalizedCoords ? 1.0f : ext[k < 3 ? k : 2];

			s = s * 1103515245u + 12345u;
			if (i % 4 == 0)  /* a texel centre */
				v[k] = ((float)((s >> 8) % (unsigned int)(ext[k < 3 ? k : 2])) + 0.5f) *
				       (t->td.normalizedCoords ? 1.0f / ext[k < 3 ? k : 2] : 1.0f);
			else if (i % 4 == 1)  /* an edge */
				v[k] = (float)((s >> 8) % 5u) * 0.5f * scale - 0.5f * scale;
			else
				v[k] = ((float)((s >> 8) & 0xffff) / 65536.0f * 4.0f - 1.5f) * scale;
		}
		v[3] = (float)((int)((s >> 4) % (unsigned int)(t->d + 2)) - 1);  /* layer, some out */
		if (shape == CTS_TEX_SHAPE_FETCH)
			v[0] = (float)((int)((s >> 8) % (unsigned int)(t->w + 8)) - 4);
		c[i] = mk4(v[0], v[1], v[2], v[3]);
	}
	return c;
}

/* Fills n elements of `bytes` * channels with a pattern of the kind. */
static void *make_data(int kind, int bytes, int channels, long n)
{
	unsigned char *p = malloc((size_t)(n * bytes * channels));

	ck_assert_ptr_ne(p, NULL);
	for (long i = 0; i < n * channels; i++) {
		unsigned char *e = p + i * bytes;

		if (kind == K_FLOAT) {
			float f = (float)((i * 37) % 101) * 0.25f - 7.0f;

			memcpy(e, &f, 4);
		} else if (kind == K_HALF) {
			uint16_t h = float_to_half((float)((i * 37) % 101) * 0.125f - 3.0f);

			memcpy(e, &h, 2);
		} else {
			uint32_t v = (uint32_t)(i * 2654435761u) >> 7;

			memcpy(e, &v, (size_t)bytes);
		}
	}
	return p;
}

/* An array of the given shape (h, d 0 when absent) filled with data, and a
 * texture object over it with t->td. */
static musaArray_t make_array_texture(struct ref_tex *t, struct musaChannelFormatDesc cd,
				      unsigned int flags, musaTextureObject_t *obj)
{
	struct musaResourceDesc rd;
	struct musaMemcpy3DParms p;
	musaArray_t a = NULL;
	size_t elem = (size_t)t->bytes * (size_t)t->channels;
	long h = t->dims >= 2 ? t->h : 0, d = (t->dims == 3 || t->layered) ? t->d : 0;

	CTS_RT_OK(musaMalloc3DArray(&a, &cd, make_musaExtent((size_t)t->w, (size_t)h, (size_t)d),
				    flags));
	memset(&p, 0, sizeof(p));
	p.srcPtr = make_musaPitchedPtr((void *)t->data, (size_t)t->w * elem, (size_t)t->w,
				       (size_t)t->h);
	p.dstArray = a;
	p.extent = make_musaExtent((size_t)t->w, (size_t)t->h, (size_t)t->d);
	p.kind = musaMemcpyHostToDevice;
	CTS_RT_OK(musaMemcpy3D(&p));
	memset(&rd, 0, sizeof(rd));
	rd.resType = musaResourceTypeArray;
	rd.res.array.array = a;
	CTS_RT_OK(musaCreateTextureObject(obj, &rd, &t->td, NULL));
	return a;
}

/* One array-texture case: kind/bytes/channels, extent, shape, modes. */
static void run_array_case(int kind, int bytes, int channels, long w, long h, long d, int shape,
			   int address, int filter, int read, int normalized)
{
	static const enum musaChannelFormatKind fk[] = { musaChannelFormatKindSigned,
							  musaChannelFormatKindUnsigned,
							  musaChannelFormatKindFloat,
							  musaChannelFormatKindFloat };
	struct ref_tex t;
	struct musaChannelFormatDesc cd;
	musaTextureObject_t obj;
	musaArray_t a;
	float4 *coords;
	int n = 512;

	memset(&t, 0, sizeof(t));
	t.kind = kind;
	t.bytes = bytes;
	t.channels = channels;
	t.w = w;
	t.h = h;
	t.d = d;
	t.layered = shape == CTS_TEX_SHAPE_1DLAYERED || shape == CTS_TEX_SHAPE_2DLAYERED;
	t.dims = shape == CTS_TEX_SHAPE_1DLAYERED ? 1 : shape == CTS_TEX_SHAPE_2DLAYERED ? 2 : shape;
	for (int k = 0; k < 3; k++)
		t.td.addressMode[k] = (enum musaTextureAddressMode)address;
	t.td.filterMode = (enum musaTextureFilterMode)filter;
	t.td.readMode = (enum musaTextureReadMode)read;
	t.td.normalizedCoords = normalized;
	if (address == musaAddressModeBorder)
		for (int k = 0; k < 4; k++)
			t.td.borderColor[k] = ref_float_result(&t) ? 0.25f * (float)(k + 1) : 0.0f;
	t.data = make_data(kind, bytes, channels, w * h * d);
	cd = musaCreateChannelDesc(bytes * 8, channels > 1 ? bytes * 8 : 0,
				   channels > 2 ? bytes * 8 : 0, channels > 2 ? bytes * 8 : 0,
				   fk[kind]);
	a = make_array_texture(&t, cd, t.layered ? musaArrayLayered : 0, &obj);
	coords = make_coords(&t, shape, n);
	check_samples(&t, obj, shape, coords, n);
	CTS_RT_OK(musaDestroyTextureObject(obj));
	CTS_RT_OK(musaFreeArray(a));
	free(coords);
	free((void *)t.data);
}

/* address modes (2-D float4, normalized coordinates where they matter) */

CTS_TEST(texture, address_wrap)
{
	run_array_case(K_FLOAT, 4, 4, 13, 7, 1, CTS_TEX_SHAPE_2D, musaAddressModeWrap,
		       musaFilterModePoint, musaReadModeElementType, 1);
	run_array_case(K_FLOAT, 4, 1, 13, 7, 1, CTS_TEX_SHAPE_2D, musaAddressModeWrap,
		       musaFilterModeLinear, musaReadModeElementType, 1);
}

CTS_TEST(texture, address_clamp)
{
	run_array_case(K_FLOAT, 4, 4, 13, 7, 1, CTS_TEX_SHAPE_2D, musaAddressModeClamp,
		       musaFilterModePoint, musaReadModeElementType, 0);
	run_array_case(K_FLOAT, 4, 2, 13, 7, 1, CTS_TEX_SHAPE_2D, musaAddressModeClamp,
		       musaFilterModeLinear, musaReadModeElementType, 1);
}

CTS_TEST(texture, address_mirror)
{
	run_array_case(K_FLOAT, 4, 4, 13, 7, 1, CTS_TEX_SHAPE_2D, musaAddressModeMirror,
		       musaFilterModePoint, musaReadModeElementType, 1);
	run_array_case(K_FLOAT, 4, 1, 13, 7, 1, CTS_TEX_SHAPE_2D, musaAddressModeMirror,
		       musaFilterModeLinear, musaReadModeElementType, 1);
}

CTS_TEST(texture, address_border)
{
	run_array_case(K_FLOAT, 4, 4, 13, 7, 1, CTS_TEX_SHAPE_2D, musaAddressModeBorder,
		       musaFilterModePoint, musaReadModeElementType, 0);
	run_array_case(K_FLOAT, 4, 1, 13, 7, 1, CTS_TEX_SHAPE_2D, musaAddressModeBorder,
		       musaFilterModeLinear, musaReadModeElementType, 1);
}

/* Wrap and mirror apply to normalized coordinates only; otherwise clamp. */
CTS_TEST(texture, address_wrap_unnormalized_clamps)
{
	run_array_case(K_FLOAT, 4, 1, 9, 5, 1, CTS_TEX_SHAPE_2D, musaAddressModeWrap,
		       musaFilterModePoint, musaReadModeElementType, 0);
	run_array_case(K_FLOAT, 4, 1, 9, 5, 1, CTS_TEX_SHAPE_2D, musaAddressModeMirror,
		       musaFilterModeLinear, musaReadModeElementType, 0);
}

/* filter modes */

CTS_TEST(texture, filter_point)
{
	run_array_case(K_FLOAT, 4, 1, 31, 1, 1, CTS_TEX_SHAPE_1D, musaAddressModeClamp,
		       musaFilterModePoint, musaReadModeElementType, 0);
	run_array_case(K_UINT, 2, 4, 11, 6, 1, CTS_TEX_SHAPE_2D, musaAddressModeClamp,
		       musaFilterModePoint, musaReadModeElementType, 0);
}

/* Linear filtering with 1/256 weights: the reference quantizes as the
 * hardware does, so a result with exact weights would fail. */
CTS_TEST(texture, filter_linear)
{
	run_array_case(K_FLOAT, 4, 1, 31, 1, 1, CTS_TEX_SHAPE_1D, musaAddressModeClamp,
		       musaFilterModeLinear, musaReadModeElementType, 0);
	run_array_case(K_FLOAT, 4, 4, 17, 9, 1, CTS_TEX_SHAPE_2D, musaAddressModeClamp,
		       musaFilterModeLinear, musaReadModeElementType, 0);
}

CTS_TEST(texture, filter_linear_weight_precision)
{
	/* Texels 0 and 256 at x = 0.5 + 1/1024: the weight 1/1024 rounds to 0. */
	float data[2] = { 0.0f, 256.0f }, got = -1;
	struct musaChannelFormatDesc cd = musaCreateChannelDesc(32, 0, 0, 0,
								musaChannelFormatKindFloat);
	struct musaResourceDesc rd;
	struct musaTextureDesc td;
	musaTextureObject_t obj;
	musaArray_t a;
	float4 c = mk4(0.5f + 1.0f / 1024.0f, 0, 0, 0), *dc, *dout, out;

	CTS_RT_OK(musaMallocArray(&a, &cd, 2, 0, 0));
	CTS_RT_OK(musaMemcpy2DToArray(a, 0, 0, data, sizeof(data), sizeof(data), 1,
				      musaMemcpyHostToDevice));
	memset(&rd, 0, sizeof(rd));
	rd.resType = musaResourceTypeArray;
	rd.res.array.array = a;
	memset(&td, 0, sizeof(td));
	td.filterMode = musaFilterModeLinear;
	CTS_RT_OK(musaCreateTextureObject(&obj, &rd, &td, NULL));
	CTS_RT_OK(musaMalloc((void **)&dc, sizeof(c)));
	CTS_RT_OK(musaMalloc((void **)&dout, sizeof(c)));
	CTS_RT_OK(musaMemcpy(dc, &c, sizeof(c), musaMemcpyHostToDevice));
	CTS_RT_OK(cts_launch_tex_sample(obj, CTS_TEX_SHAPE_1D, 0, dc, dout, 1));
	CTS_RT_OK(musaMemcpy(&out, dout, sizeof(out), musaMemcpyDeviceToHost));
	got = out.x;
	ck_assert_msg(got == 0.0f, "weight 1/1024 gave %g, expected 0 (1/256 steps)", got);
	c.x = 0.5f + 3.0f / 512.0f;  /* 1.5/256: rounds to 2/256 */
	CTS_RT_OK(musaMemcpy(dc, &c, sizeof(c), musaMemcpyHostToDevice));
	CTS_RT_OK(cts_launch_tex_sample(obj, CTS_TEX_SHAPE_1D, 0, dc, dout, 1));
	CTS_RT_OK(musaMemcpy(&out, dout, sizeof(out), musaMemcpyDeviceToHost));
	ck_assert_msg(out.x == 2.0f, "weight 1.5/256 gave %g, expected 2", out.x);
	CTS_RT_OK(musaDestroyTextureObject(obj));
	CTS_RT_OK(musaFreeArray(a));
	musaFree(dc);
	musaFree(dout);
}

/* read modes and formats */

CTS_TEST(texture, read_element_type_integers)
{
	run_array_case(K_UINT, 1, 4, 10, 5, 1, CTS_TEX_SHAPE_2D, musaAddressModeClamp,
		       musaFilterModePoint, musaReadModeElementType, 0);
	run_array_case(K_SINT, 2, 2, 10, 5, 1, CTS_TEX_SHAPE_2D, musaAddressModeBorder,
		       musaFilterModePoint, musaReadModeElementType, 0);
	run_array_case(K_SINT, 4, 1, 10, 5, 1, CTS_TEX_SHAPE_2D, musaAddressModeClamp,
		       musaFilterModePoint, musaReadModeElementType, 0);
}

CTS_TEST(texture, read_normalized_float)
{
	run_array_case(K_UINT, 1, 4, 10, 5, 1, CTS_TEX_SHAPE_2D, musaAddressModeClamp,
		       musaFilterModePoint, musaReadModeNormalizedFloat, 0);
	run_array_case(K_SINT, 1, 1, 10, 5, 1, CTS_TEX_SHAPE_2D, musaAddressModeClamp,
		       musaFilterModeLinear, musaReadModeNormalizedFloat, 0);
	run_array_case(K_UINT, 2, 2, 10, 5, 1, CTS_TEX_SHAPE_2D, musaAddressModeWrap,
		       musaFilterModeLinear, musaReadModeNormalizedFloat, 1);
	run_array_case(K_SINT, 2, 4, 10, 5, 1, CTS_TEX_SHAPE_2D, musaAddressModeClamp,
		       musaFilterModePoint, musaReadModeNormalizedFloat, 0);
}

/* 32-bit integers are never promoted, whatever the read mode. */
CTS_TEST(texture, read_normalized_32bit_not_promoted)
{
	run_array_case(K_UINT, 4, 1, 10, 5, 1, CTS_TEX_SHAPE_2D, musaAddressModeClamp,
		       musaFilterModePoint, musaReadModeNormalizedFloat, 0);
}

CTS_TEST(texture, format_half)
{
	run_array_case(K_HALF, 2, 1, 12, 6, 1, CTS_TEX_SHAPE_2D, musaAddressModeClamp,
		       musaFilterModeLinear, musaReadModeElementType, 0);
	run_array_case(K_HALF, 2, 4, 12, 6, 1, CTS_TEX_SHAPE_2D, musaAddressModeMirror,
		       musaFilterModePoint, musaReadModeElementType, 1);
}

/* shapes */

CTS_TEST(texture, shape_3d)
{
	run_array_case(K_FLOAT, 4, 1, 6, 5, 4, CTS_TEX_SHAPE_3D, musaAddressModeClamp,
		       musaFilterModeLinear, musaReadModeElementType, 0);
	run_array_case(K_FLOAT, 4, 2, 6, 5, 4, CTS_TEX_SHAPE_3D, musaAddressModeWrap,
		       musaFilterModePoint, musaReadModeElementType, 1);
}

CTS_TEST(texture, shape_layered)
{
	run_array_case(K_FLOAT, 4, 1, 9, 1, 3, CTS_TEX_SHAPE_1DLAYERED, musaAddressModeClamp,
		       musaFilterModeLinear, musaReadModeElementType, 0);
	run_array_case(K_FLOAT, 4, 4, 7, 5, 3, CTS_TEX_SHAPE_2DLAYERED, musaAddressModeBorder,
		       musaFilterModeLinear, musaReadModeElementType, 0);
}

/* linear and pitch-2D resources */

CTS_TEST(texture, resource_linear_fetch)
{
	struct ref_tex t;
	struct musaResourceDesc rd;
	musaTextureObject_t obj;
	float4 *coords;
	void *dev;

	memset(&t, 0, sizeof(t));
	t.kind = K_UINT;
	t.bytes = 1;
	t.channels = 4;
	t.w = 100;
	t.h = t.d = 1;
	t.dims = 1;
	t.linear = 1;
	t.td.readMode = musaReadModeNormalizedFloat;
	t.data = make_data(K_UINT, 1, 4, t.w);
	CTS_RT_OK(musaMalloc(&dev, 400));
	CTS_RT_OK(musaMemcpy(dev, t.data, 400, musaMemcpyHostToDevice));
	memset(&rd, 0, sizeof(rd));
	rd.resType = musaResourceTypeLinear;
	rd.res.linear.devPtr = dev;
	rd.res.linear.desc = musaCreateChannelDesc(8, 8, 8, 8, musaChannelFormatKindUnsigned);
	rd.res.linear.sizeInBytes = 400;
	CTS_RT_OK(musaCreateTextureObject(&obj, &rd, &t.td, NULL));
	coords = make_coords(&t, CTS_TEX_SHAPE_FETCH, 256);
	check_samples(&t, obj, CTS_TEX_SHAPE_FETCH, coords, 256);
	CTS_RT_OK(musaDestroyTextureObject(obj));
	/* Element type: integers as they are. */
	t.td.readMode = musaReadModeElementType;
	CTS_RT_OK(musaCreateTextureObject(&obj, &rd, &t.td, NULL));
	check_samples(&t, obj, CTS_TEX_SHAPE_FETCH, coords, 256);
	CTS_RT_OK(musaDestroyTextureObject(obj));
	CTS_RT_OK(musaFree(dev));
	free(coords);
	free((void *)t.data);
}

CTS_TEST(texture, resource_pitch2d)
{
	struct ref_tex t;
	struct musaResourceDesc rd;
	musaTextureObject_t obj;
	float4 *coords;
	size_t pitch;
	void *dev;

	memset(&t, 0, sizeof(t));
	t.kind = K_FLOAT;
	t.bytes = 4;
	t.channels = 1;
	t.w = 37;
	t.h = 11;
	t.d = 1;
	t.dims = 2;
	t.td.filterMode = musaFilterModeLinear;
	t.td.addressMode[0] = t.td.addressMode[1] = musaAddressModeWrap;
	t.td.normalizedCoords = 1;
	t.data = make_data(K_FLOAT, 4, 1, t.w * t.h);
	CTS_RT_OK(musaMallocPitch(&dev, &pitch, (size_t)t.w * 4, (size_t)t.h));
	CTS_RT_OK(musaMemcpy2D(dev, pitch, t.data, (size_t)t.w * 4, (size_t)t.w * 4, (size_t)t.h,
			       musaMemcpyHostToDevice));
	memset(&rd, 0, sizeof(rd));
	rd.resType = musaResourceTypePitch2D;
	rd.res.pitch2D.devPtr = dev;
	rd.res.pitch2D.desc = musaCreateChannelDesc(32, 0, 0, 0, musaChannelFormatKindFloat);
	rd.res.pitch2D.width = (size_t)t.w;
	rd.res.pitch2D.height = (size_t)t.h;
	rd.res.pitch2D.pitchInBytes = pitch;
	CTS_RT_OK(musaCreateTextureObject(&obj, &rd, &t.td, NULL));
	coords = make_coords(&t, CTS_TEX_SHAPE_2D, 512);
	check_samples(&t, obj, CTS_TEX_SHAPE_2D, coords, 512);
	CTS_RT_OK(musaDestroyTextureObject(obj));
	CTS_RT_OK(musaFree(dev));
	free(coords);
	free((void *)t.data);
}

/* descriptors read back */

CTS_TEST(texture, get_descriptors)
{
	struct musaChannelFormatDesc cd = musaCreateChannelDesc(16, 16, 0, 0,
								musaChannelFormatKindSigned), got;
	struct musaResourceDesc rd, rd2;
	struct musaTextureDesc td, td2;
	struct musaExtent ext;
	musaTextureObject_t obj;
	unsigned int flags = 99;
	musaArray_t a;

	CTS_RT_OK(musaMallocArray(&a, &cd, 16, 8, musaArraySurfaceLoadStore));
	CTS_RT_OK(musaArrayGetInfo(&got, &ext, &flags, a));
	ck_assert_int_eq(got.x, 16);
	ck_assert_int_eq(got.y, 16);
	ck_assert_int_eq(got.z, 0);
	ck_assert_int_eq(got.f, musaChannelFormatKindSigned);
	ck_assert_uint_eq(ext.width, 16);
	ck_assert_uint_eq(ext.height, 8);
	ck_assert_uint_eq(ext.depth, 0);
	ck_assert_uint_eq(flags, musaArraySurfaceLoadStore);
	memset(&got, 0, sizeof(got));
	CTS_RT_OK(musaGetChannelDesc(&got, a));
	ck_assert_int_eq(got.y, 16);
	memset(&rd, 0, sizeof(rd));
	rd.resType = musaResourceTypeArray;
	rd.res.array.array = a;
	memset(&td, 0, sizeof(td));
	td.addressMode[0] = musaAddressModeBorder;
	td.addressMode[1] = musaAddressModeWrap;
	td.filterMode = musaFilterModeLinear;
	td.readMode = musaReadModeNormalizedFloat;
	td.normalizedCoords = 1;
	td.borderColor[2] = 0.5f;
	CTS_RT_OK(musaCreateTextureObject(&obj, &rd, &td, NULL));
	CTS_RT_OK(musaGetTextureObjectResourceDesc(&rd2, obj));
	ck_assert_int_eq(rd2.resType, musaResourceTypeArray);
	ck_assert_ptr_eq(rd2.res.array.array, a);
	CTS_RT_OK(musaGetTextureObjectTextureDesc(&td2, obj));
	ck_assert_int_eq(td2.addressMode[0], musaAddressModeBorder);
	ck_assert_int_eq(td2.addressMode[1], musaAddressModeWrap);
	ck_assert_int_eq(td2.filterMode, musaFilterModeLinear);
	ck_assert_int_eq(td2.readMode, musaReadModeNormalizedFloat);
	ck_assert_int_eq(td2.normalizedCoords, 1);
	ck_assert(td2.borderColor[2] == 0.5f);
	CTS_RT_OK(musaDestroyTextureObject(obj));
	CTS_RT_OK(musaFreeArray(a));
}

/* copies with arrays */

CTS_TEST(texture, memcpy_array_2d_3d_and_linear)
{
	struct musaChannelFormatDesc cd = musaCreateChannelDesc(32, 0, 0, 0,
								musaChannelFormatKindUnsigned);
	uint32_t src[6 * 5 * 3], dst[6 * 5 * 3];
	struct musaMemcpy3DParms p;
	musaArray_t a, b;

	for (unsigned int i = 0; i < 90; i++)
		src[i] = i * 7 + 1;
	CTS_RT_OK(musaMalloc3DArray(&a, &cd, make_musaExtent(6, 5, 3), 0));
	memset(&p, 0, sizeof(p));
	p.srcPtr = make_musaPitchedPtr(src, 24, 6, 5);
	p.dstArray = a;
	p.extent = make_musaExtent(6, 5, 3);
	p.kind = musaMemcpyHostToDevice;
	CTS_RT_OK(musaMemcpy3D(&p));
	/* A sub-box back: elements (1..4, 2..4, 1..2). */
	memset(dst, 0, sizeof(dst));
	memset(&p, 0, sizeof(p));
	p.srcArray = a;
	p.srcPos = make_musaPos(1, 2, 1);
	p.dstPtr = make_musaPitchedPtr(dst, 16, 4, 3);
	p.extent = make_musaExtent(4, 3, 2);
	p.kind = musaMemcpyDeviceToHost;
	CTS_RT_OK(musaMemcpy3D(&p));
	for (int z = 0; z < 2; z++)
		for (int y = 0; y < 3; y++)
			for (int x = 0; x < 4; x++)
				ck_assert_uint_eq(dst[(z * 3 + y) * 4 + x],
						  src[((z + 1) * 5 + y + 2) * 6 + x + 1]);
	CTS_RT_OK(musaFreeArray(a));

	/* 2-D: to, between, from arrays; the deprecated 1-D form across rows. */
	CTS_RT_OK(musaMallocArray(&a, &cd, 6, 5, 0));
	CTS_RT_OK(musaMallocArray(&b, &cd, 6, 5, 0));
	CTS_RT_OK(musaMemcpy2DToArray(a, 0, 0, src, 24, 24, 5, musaMemcpyHostToDevice));
	CTS_RT_OK(musaMemcpy2DArrayToArray(b, 4, 1, a, 0, 0, 8, 3, musaMemcpyDeviceToDevice));
	memset(dst, 0, sizeof(dst));
	CTS_RT_OK(musaMemcpy2DFromArray(dst, 8, b, 4, 1, 8, 3, musaMemcpyDeviceToHost));
	for (int y = 0; y < 3; y++)
		for (int x = 0; x < 2; x++)
			ck_assert_uint_eq(dst[y * 2 + x], src[y * 6 + x]);
	/* The deprecated 1-D forms (still in CUDA 13): byte ranges across rows. */
	memset(dst, 0, sizeof(dst));
	CTS_RT_OK(musaMemcpyFromArray(dst, a, 8, 1, 40, musaMemcpyDeviceToHost));
	for (int i = 0; i < 10; i++)
		ck_assert_uint_eq(dst[i], src[8 + i]);
	CTS_RT_OK(musaMemcpyToArray(b, 0, 0, src, 120, musaMemcpyHostToDevice));
	CTS_RT_OK(musaMemcpy2DFromArray(dst, 24, b, 0, 0, 24, 5, musaMemcpyDeviceToHost));
	ck_assert_int_eq(memcmp(dst, src, 120), 0);
	CTS_RT_OK(musaMemcpyArrayToArray(b, 4, 0, a, 12, 2, 40, musaMemcpyDeviceToDevice));
	CTS_RT_OK(musaMemcpy2DFromArray(dst, 24, b, 0, 0, 24, 5, musaMemcpyDeviceToHost));
	for (int i = 0; i < 10; i++)
		ck_assert_uint_eq(dst[1 + i], src[12 + 3 + i]);
	CTS_RT_OK(musaFreeArray(a));
	CTS_RT_OK(musaFreeArray(b));
}

/* surfaces */

CTS_TEST(texture, surface_read_write)
{
	struct musaChannelFormatDesc cd = musaCreateChannelDesc(32, 0, 0, 0,
								musaChannelFormatKindFloat);
	struct musaResourceDesc rd;
	musaSurfaceObject_t s;
	float h[20 * 6 * 3], out[20 * 6 * 3];
	musaArray_t a;

	for (int i = 0; i < 360; i++)
		h[i] = (float)i * 0.5f;
	for (int layered = 0; layered < 2; layered++) {
		int layers = layered ? 3 : 1;
		struct musaMemcpy3DParms p;

		CTS_RT_OK(musaMalloc3DArray(&a, &cd, make_musaExtent(20, 6, layered ? 3 : 0),
					    musaArraySurfaceLoadStore |
						    (layered ? musaArrayLayered : 0)));
		memset(&p, 0, sizeof(p));
		p.srcPtr = make_musaPitchedPtr(h, 80, 20, 6);
		p.dstArray = a;
		p.extent = make_musaExtent(20, 6, (size_t)layers);
		p.kind = musaMemcpyHostToDevice;
		CTS_RT_OK(musaMemcpy3D(&p));
		memset(&rd, 0, sizeof(rd));
		rd.resType = musaResourceTypeArray;
		rd.res.array.array = a;
		CTS_RT_OK(musaCreateSurfaceObject(&s, &rd));
		CTS_RT_OK(cts_launch_surf_inc(s, 20, 6, layers));
		CTS_RT_OK(musaDeviceSynchronize());
		memset(&p, 0, sizeof(p));
		p.srcArray = a;
		p.dstPtr = make_musaPitchedPtr(out, 80, 20, 6);
		p.extent = make_musaExtent(20, 6, (size_t)layers);
		p.kind = musaMemcpyDeviceToHost;
		CTS_RT_OK(musaMemcpy3D(&p));
		for (int i = 0; i < 120 * layers; i++)
			ck_assert_msg(out[i] == h[i] + 1.0f, "element %d: %g, expected %g", i,
				      out[i], h[i] + 1.0f);
		CTS_RT_OK(musaDestroySurfaceObject(s));
		CTS_RT_OK(musaFreeArray(a));
	}
}

CTS_TEST(texture, surface_boundary_zero_clamp)
{
	struct musaChannelFormatDesc cd = musaCreateChannelDesc(32, 0, 0, 0,
								musaChannelFormatKindFloat);
	struct musaResourceDesc rd;
	musaSurfaceObject_t s;
	float h[8 * 4], out[6];
	int2 at[6];
	void *dat;
	float *dout;
	musaArray_t a;
	static const int xy[6][2] = { { -4, 0 }, { 32, 1 }, { 4, 4 }, { 28, 3 }, { 4, -1 },
				      { 100, 100 } };

	for (int i = 0; i < 32; i++)
		h[i] = (float)i + 1.0f;
	for (int i = 0; i < 6; i++) {
		at[i].x = xy[i][0];
		at[i].y = xy[i][1];
	}
	CTS_RT_OK(musaMallocArray(&a, &cd, 8, 4, musaArraySurfaceLoadStore));
	CTS_RT_OK(musaMemcpy2DToArray(a, 0, 0, h, 32, 32, 4, musaMemcpyHostToDevice));
	memset(&rd, 0, sizeof(rd));
	rd.resType = musaResourceTypeArray;
	rd.res.array.array = a;
	CTS_RT_OK(musaCreateSurfaceObject(&s, &rd));
	CTS_RT_OK(musaMalloc(&dat, sizeof(at)));
	CTS_RT_OK(musaMalloc((void **)&dout, sizeof(out)));
	CTS_RT_OK(musaMemcpy(dat, at, sizeof(at), musaMemcpyHostToDevice));
	CTS_RT_OK(cts_launch_surf_bounds(s, dat, dout, 6, musaBoundaryModeZero));
	CTS_RT_OK(musaMemcpy(out, dout, sizeof(out), musaMemcpyDeviceToHost));
	for (int i = 0; i < 6; i++)
		ck_assert_msg(out[i] == (i == 3 ? h[3 * 8 + 7] : 0.0f), "zero mode %d: %g", i,
			      out[i]);
	CTS_RT_OK(cts_launch_surf_bounds(s, dat, dout, 6, musaBoundaryModeClamp));
	CTS_RT_OK(musaMemcpy(out, dout, sizeof(out), musaMemcpyDeviceToHost));
	{
		const float want[6] = { h[0], h[8 + 7], h[3 * 8 + 1], h[3 * 8 + 7], h[1],
					h[3 * 8 + 7] };

		for (int i = 0; i < 6; i++)
			ck_assert_msg(out[i] == want[i], "clamp mode %d: %g, expected %g", i,
				      out[i], want[i]);
	}
	CTS_RT_OK(musaDestroySurfaceObject(s));
	CTS_RT_OK(musaFreeArray(a));
	musaFree(dat);
	musaFree(dout);
}

/* legacy texture references (removed from CUDA 12) */
#ifndef CTS_CUDA
CTS_TEST(texture, legacy_reference_bind_fetch)
{
	const struct textureReference *ref = cts_tex_ref_symbol(0);
	const struct textureReference *ref2 = cts_tex_ref_symbol(1);
	struct musaChannelFormatDesc cd = musaCreateChannelDesc(32, 0, 0, 0,
								musaChannelFormatKindFloat);
	struct musaChannelFormatDesc c8 = musaCreateChannelDesc(8, 0, 0, 0,
								musaChannelFormatKindUnsigned);
	float h[64], out[64];
	unsigned char img[8 * 4];
	size_t off = 99;
	float *d, *dout;
	musaArray_t a;

	for (int i = 0; i < 64; i++)
		h[i] = (float)i * 1.5f;
	for (int i = 0; i < 32; i++)
		img[i] = (unsigned char)(i * 8);
	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	CTS_RT_OK(musaMalloc((void **)&dout, sizeof(out)));
	CTS_RT_OK(musaMemcpy(d, h, sizeof(h), musaMemcpyHostToDevice));
	CTS_RT(musaGetTextureAlignmentOffset(&off, ref), musaErrorInvalidTextureBinding);
	musaGetLastError();  /* the launch helpers report the last error */
	CTS_RT_OK(musaBindTexture(&off, ref, d, &cd, 48 * sizeof(float)));
	ck_assert_uint_eq(off, 0);
	CTS_RT_OK(cts_launch_tex_ref_read(dout, 64, 0));
	CTS_RT_OK(musaMemcpy(out, dout, sizeof(out), musaMemcpyDeviceToHost));
	for (int i = 0; i < 64; i++)
		ck_assert_msg(out[i] == (i < 48 ? h[i] : 0.0f), "texel %d: %g", i, out[i]);
	CTS_RT_OK(musaUnbindTexture(ref));
	CTS_RT_OK(musaUnbindTexture(ref));

	/* 2-D reference in normalized-float mode over an array. */
	CTS_RT_OK(musaMallocArray(&a, &c8, 8, 4, 0));
	CTS_RT_OK(musaMemcpy2DToArray(a, 0, 0, img, 8, 8, 4, musaMemcpyHostToDevice));
	CTS_RT_OK(musaBindTextureToArray(ref2, a, &c8));
	CTS_RT_OK(cts_launch_tex_ref_read(dout, 32, 8));
	CTS_RT_OK(musaMemcpy(out, dout, 32 * sizeof(float), musaMemcpyDeviceToHost));
	for (int i = 0; i < 32; i++)
		ck_assert_msg(out[i] == (float)img[i] / 255.0f, "pixel %d: %g", i, out[i]);
	CTS_RT_OK(musaUnbindTexture(ref2));
	CTS_RT_OK(musaFreeArray(a));
	musaFree(d);
	musaFree(dout);
}

CTS_TEST(texture, legacy_reference_Negative_Parameters)
{
	struct textureReference not_registered;
	struct musaChannelFormatDesc cd = musaCreateChannelDesc(32, 0, 0, 0,
								musaChannelFormatKindFloat);
	void *d;

	memset(&not_registered, 0, sizeof(not_registered));
	CTS_RT_OK(musaMalloc(&d, 64));
	CTS_RT(musaBindTexture(NULL, NULL, d, &cd, 64), musaErrorInvalidTexture);
	CTS_RT(musaBindTexture(NULL, cts_tex_ref_symbol(0), NULL, &cd, 64), musaErrorInvalidValue);
	CTS_RT(musaBindTexture(NULL, &not_registered, d, &cd, 64), musaErrorInvalidTexture);
	ck_assert(not_registered.__musaObject == 0);
	CTS_RT(musaUnbindTexture(NULL), musaErrorInvalidTexture);
	musaFree(d);
}
#endif

/* bad inputs: exact errors, nothing changed */

CTS_TEST(texture, malloc_array_Negative_Parameters)
{
	struct musaChannelFormatDesc f4 = musaCreateChannelDesc(32, 32, 32, 32,
								musaChannelFormatKindFloat);
	struct musaChannelFormatDesc bad;
	musaArray_t a = (musaArray_t)(uintptr_t)0x1234;

	CTS_RT(musaMallocArray(NULL, &f4, 16, 0, 0), musaErrorInvalidValue);
	CTS_RT(musaMallocArray(&a, NULL, 16, 0, 0), musaErrorInvalidValue);
	CTS_RT(musaMallocArray(&a, &f4, 0, 0, 0), musaErrorInvalidValue);
	CTS_RT(musaMallocArray(&a, &f4, 0, 32, 0), musaErrorInvalidValue);
	CTS_RT(musaMallocArray(&a, &f4, (size_t)-1, (size_t)-1, 0), musaErrorInvalidValue);
	/* Flags that do not fit a 1-D array, a 2-D one. */
	CTS_RT(musaMallocArray(&a, &f4, 16, 0, musaArrayTextureGather), musaErrorInvalidValue);
	CTS_RT(musaMallocArray(&a, &f4, 16, 0, musaArrayLayered), musaErrorInvalidValue);
	CTS_RT(musaMallocArray(&a, &f4, 16, 16, musaArrayCubemap), musaErrorInvalidValue);
	/* Channel descriptors no array may have. */
	bad = musaCreateChannelDesc(8, 16, 0, 0, musaChannelFormatKindUnsigned);
	CTS_RT(musaMallocArray(&a, &bad, 16, 16, 0), musaErrorInvalidChannelDescriptor);
	bad = musaCreateChannelDesc(8, 0, 0, 0, musaChannelFormatKindFloat);
	CTS_RT(musaMallocArray(&a, &bad, 16, 16, 0), musaErrorInvalidChannelDescriptor);
	bad = musaCreateChannelDesc(10, 10, 10, 10, musaChannelFormatKindSigned);
	CTS_RT(musaMallocArray(&a, &bad, 16, 16, 0), musaErrorInvalidChannelDescriptor);
	bad = musaCreateChannelDesc(16, 16, 16, 0, musaChannelFormatKindSigned);
	CTS_RT(musaMallocArray(&a, &bad, 16, 16, 0), musaErrorInvalidChannelDescriptor);
	bad = musaCreateChannelDesc(0, 32, 0, 0, musaChannelFormatKindSigned);
	CTS_RT(musaMallocArray(&a, &bad, 16, 16, 0), musaErrorInvalidChannelDescriptor);
	ck_assert_ptr_eq(a, (musaArray_t)(uintptr_t)0x1234);
	CTS_RT_OK(musaFreeArray(NULL));
	/* 3-D: a layered array needs layers. */
	CTS_RT(musaMalloc3DArray(&a, &f4, make_musaExtent(16, 16, 0), musaArrayLayered),
	       musaErrorInvalidValue);
	CTS_RT(musaMalloc3DArray(&a, &f4, make_musaExtent(16, 0, 4), 0), musaErrorInvalidValue);
}

CTS_TEST(texture, create_texture_object_Negative_Parameters)
{
	struct musaChannelFormatDesc cd = musaCreateChannelDesc(32, 0, 0, 0,
								musaChannelFormatKindFloat);
	struct musaResourceDesc rd;
	struct musaTextureDesc td;
	musaTextureObject_t obj = 77;
	musaArray_t a;
	int align = 0, palign = 0;
	char *dev;

	CTS_RT_OK(musaDeviceGetAttribute(&align, musaDevAttrTextureAlignment, 0));
	CTS_RT_OK(musaDeviceGetAttribute(&palign, musaDevAttrTexturePitchAlignment, 0));
	ck_assert_int_gt(align, 1);
	ck_assert_int_gt(palign, 1);
	CTS_RT_OK(musaMallocArray(&a, &cd, 16, 16, 0));
	CTS_RT_OK(musaMalloc((void **)&dev, 1 << 16));
	memset(&rd, 0, sizeof(rd));
	rd.resType = musaResourceTypeArray;
	rd.res.array.array = a;
	memset(&td, 0, sizeof(td));
	CTS_RT(musaCreateTextureObject(NULL, &rd, &td, NULL), musaErrorInvalidValue);
	CTS_RT(musaCreateTextureObject(&obj, NULL, &td, NULL), musaErrorInvalidValue);
	/* Bad modes. */
	td.addressMode[1] = (enum musaTextureAddressMode)7;
	CTS_RT(musaCreateTextureObject(&obj, &rd, &td, NULL), musaErrorInvalidValue);
	memset(&td, 0, sizeof(td));
	td.filterMode = (enum musaTextureFilterMode)2;
	CTS_RT(musaCreateTextureObject(&obj, &rd, &td, NULL), musaErrorInvalidValue);
	memset(&td, 0, sizeof(td));
	td.readMode = (enum musaTextureReadMode)2;
	CTS_RT(musaCreateTextureObject(&obj, &rd, &td, NULL), musaErrorInvalidValue);
	memset(&td, 0, sizeof(td));
	rd.flags = 1;
	CTS_RT(musaCreateTextureObject(&obj, &rd, &td, NULL), musaErrorInvalidValue);
	rd.flags = 0;
	rd.res.array.array = NULL;
	CTS_RT(musaCreateTextureObject(&obj, &rd, &td, NULL), musaErrorInvalidValue);
	/* Linear memory: NULL, misaligned, zero size. */
	memset(&rd, 0, sizeof(rd));
	rd.resType = musaResourceTypeLinear;
	rd.res.linear.desc = cd;
	rd.res.linear.sizeInBytes = 256;
	CTS_RT(musaCreateTextureObject(&obj, &rd, &td, NULL), musaErrorInvalidValue);
	rd.res.linear.devPtr = dev + align / 2;
	CTS_RT(musaCreateTextureObject(&obj, &rd, &td, NULL), musaErrorInvalidValue);
	rd.res.linear.devPtr = dev;
	rd.res.linear.sizeInBytes = 0;
	CTS_RT(musaCreateTextureObject(&obj, &rd, &td, NULL), musaErrorInvalidValue);
	/* Pitch 2-D: a pitch not a multiple of texturePitchAlignment, or below the row. */
	memset(&rd, 0, sizeof(rd));
	rd.resType = musaResourceTypePitch2D;
	rd.res.pitch2D.devPtr = dev;
	rd.res.pitch2D.desc = cd;
	rd.res.pitch2D.width = 16;
	rd.res.pitch2D.height = 16;
	rd.res.pitch2D.pitchInBytes = 64 + (size_t)palign / 2;
	CTS_RT(musaCreateTextureObject(&obj, &rd, &td, NULL), musaErrorInvalidValue);
	rd.res.pitch2D.pitchInBytes = 32;
	CTS_RT(musaCreateTextureObject(&obj, &rd, &td, NULL), musaErrorInvalidValue);
	rd.res.pitch2D.pitchInBytes = 512;
	rd.res.pitch2D.devPtr = dev + align / 2;
	CTS_RT(musaCreateTextureObject(&obj, &rd, &td, NULL), musaErrorInvalidValue);
	ck_assert_uint_eq(obj, 77);
	/* Destroyed objects and made-up handles. */
	memset(&rd, 0, sizeof(rd));
	rd.resType = musaResourceTypeArray;
	rd.res.array.array = a;
	CTS_RT_OK(musaCreateTextureObject(&obj, &rd, NULL, NULL));
	CTS_RT_OK(musaDestroyTextureObject(obj));
	CTS_RT(musaGetTextureObjectResourceDesc(&rd, obj), musaErrorInvalidValue);
	CTS_RT(musaGetTextureObjectTextureDesc(&td, obj), musaErrorInvalidValue);
	CTS_RT_OK(musaDestroyTextureObject(0));
	CTS_RT_OK(musaFreeArray(a));
	CTS_RT_OK(musaFree(dev));
}

#ifndef CTS_CUDA
/* MUSA: what the hardware cannot do is refused, not run wrongly. */
CTS_TEST(texture, create_texture_object_Negative_linear_filter_integers)
{
	struct musaChannelFormatDesc cd = musaCreateChannelDesc(32, 0, 0, 0,
								musaChannelFormatKindSigned);
	struct musaResourceDesc rd;
	struct musaTextureDesc td;
	musaTextureObject_t obj = 5;
	musaArray_t a;

	CTS_RT_OK(musaMallocArray(&a, &cd, 16, 16, 0));
	memset(&rd, 0, sizeof(rd));
	rd.resType = musaResourceTypeArray;
	rd.res.array.array = a;
	memset(&td, 0, sizeof(td));
	td.filterMode = musaFilterModeLinear;
	td.readMode = musaReadModeElementType;
	CTS_RT(musaCreateTextureObject(&obj, &rd, &td, NULL), musaErrorInvalidValue);
	ck_assert_uint_eq(obj, 5);
	CTS_RT_OK(musaFreeArray(a));
	CTS_RT(musaFreeArray(a), musaErrorInvalidResourceHandle);
	CTS_RT(musaDestroyTextureObject(0x12345678), musaErrorInvalidValue);
}
#endif

CTS_TEST(texture, create_surface_object_Negative_Parameters)
{
	struct musaChannelFormatDesc cd = musaCreateChannelDesc(32, 0, 0, 0,
								musaChannelFormatKindFloat);
	struct musaResourceDesc rd;
	musaSurfaceObject_t s = 9;
	musaArray_t a;
	void *dev;

	CTS_RT_OK(musaMallocArray(&a, &cd, 16, 16, 0));  /* no musaArraySurfaceLoadStore */
	CTS_RT_OK(musaMalloc(&dev, 4096));
	memset(&rd, 0, sizeof(rd));
	rd.resType = musaResourceTypeArray;
	rd.res.array.array = a;
	CTS_RT(musaCreateSurfaceObject(NULL, &rd), musaErrorInvalidValue);
	CTS_RT(musaCreateSurfaceObject(&s, NULL), musaErrorInvalidValue);
	CTS_RT(musaCreateSurfaceObject(&s, &rd), musaErrorInvalidValue);
	memset(&rd, 0, sizeof(rd));
	rd.resType = musaResourceTypeLinear;
	rd.res.linear.devPtr = dev;
	rd.res.linear.desc = cd;
	rd.res.linear.sizeInBytes = 4096;
	CTS_RT(musaCreateSurfaceObject(&s, &rd), musaErrorInvalidValue);
	ck_assert_uint_eq(s, 9);
	CTS_RT_OK(musaDestroySurfaceObject(0));
	CTS_RT_OK(musaFreeArray(a));
	CTS_RT_OK(musaFree(dev));
}

CTS_TEST(texture, memcpy_array_Negative_Parameters)
{
	struct musaChannelFormatDesc cd = musaCreateChannelDesc(32, 0, 0, 0,
								musaChannelFormatKindFloat);
	float h[64];
	musaArray_t a;

	memset(h, 0, sizeof(h));
	CTS_RT_OK(musaMallocArray(&a, &cd, 8, 4, 0));
	/* Outside the array: past the row, past the rows. */
	CTS_RT(musaMemcpy2DToArray(a, 4, 0, h, 32, 32, 1, musaMemcpyHostToDevice),
	       musaErrorInvalidValue);
	CTS_RT(musaMemcpy2DToArray(a, 0, 2, h, 32, 32, 3, musaMemcpyHostToDevice),
	       musaErrorInvalidValue);
	/* Source pitch below the width. */
	CTS_RT(musaMemcpy2DToArray(a, 0, 0, h, 16, 32, 2, musaMemcpyHostToDevice),
	       musaErrorInvalidPitchValue);
	CTS_RT(musaMemcpy2DToArray(a, 0, 0, h, 32, 32, 2, (enum musaMemcpyKind)9),
	       musaErrorInvalidMemcpyDirection);
	CTS_RT(musaMemcpy2DFromArray(h, 32, a, 0, 3, 32, 2, musaMemcpyDeviceToHost),
	       musaErrorInvalidValue);
	CTS_RT_OK(musaFreeArray(a));
}

CTS_TEST(texture, memcpy_array_async_view_and_bind2d)
{
	struct musaChannelFormatDesc cd = musaCreateChannelDesc(32, 0, 0, 0,
								musaChannelFormatKindFloat);
	struct musaResourceDesc rd, got;
	struct musaResourceViewDesc vd, vgot;
	musaTextureObject_t t;
	musaSurfaceObject_t s;
	musaStream_t st;
	float src[48], dst[48];
	musaArray_t a;

	for (int i = 0; i < 48; i++)
		src[i] = (float)i - 3.0f;
	CTS_RT_OK(musaStreamCreate(&st));
	CTS_RT_OK(musaMalloc3DArray(&a, &cd, make_musaExtent(8, 2, 3),
				    musaArrayLayered | musaArraySurfaceLoadStore));
	{
		struct musaMemcpy3DParms p;
		float want[48];

		memset(&p, 0, sizeof(p));
		p.srcPtr = make_musaPitchedPtr(src, 32, 8, 2);
		p.dstArray = a;
		p.extent = make_musaExtent(8, 2, 3);
		p.kind = musaMemcpyHostToDevice;
		CTS_RT_OK(musaMemcpy3DAsync(&p, st));
		/* 2-D and 1-D copies reach the first layer only. */
		CTS_RT_OK(musaMemcpy2DToArrayAsync(a, 0, 1, src, 32, 32, 1, musaMemcpyHostToDevice,
						   st));
		CTS_RT_OK(musaMemcpyToArrayAsync(a, 8, 0, src, 8, musaMemcpyHostToDevice, st));
		CTS_RT(musaMemcpy2DToArrayAsync(a, 0, 0, src, 32, 32, 3, musaMemcpyHostToDevice, st),
		       musaErrorInvalidValue);
		musaGetLastError();  /* the launch helpers report the last error */
		memset(dst, 0, sizeof(dst));
		CTS_RT_OK(musaMemcpy2DFromArrayAsync(dst, 32, a, 0, 0, 32, 2,
						     musaMemcpyDeviceToHost, st));
		CTS_RT_OK(musaStreamSynchronize(st));
		memcpy(want, src, sizeof(want));
		memcpy(want + 8, src, 32);
		want[2] = src[0];
		want[3] = src[1];
		for (int i = 0; i < 16; i++)
			ck_assert_msg(dst[i] == want[i], "element %d: %g, expected %g", i, dst[i],
				      want[i]);
		CTS_RT_OK(musaMemcpyFromArrayAsync(dst, a, 4, 1, 12, musaMemcpyDeviceToHost, st));
		CTS_RT_OK(musaStreamSynchronize(st));
		ck_assert(dst[0] == src[1] && dst[2] == src[3]);
	}

	/* A view of layers 1..2 reads layer 0 of the view from layer 1. */
	memset(&rd, 0, sizeof(rd));
	rd.resType = musaResourceTypeArray;
	rd.res.array.array = a;
	memset(&vd, 0, sizeof(vd));
	vd.format = musaResViewFormatFloat1;
	vd.width = 8;
	vd.height = 2;
	vd.firstLayer = 1;
	vd.lastLayer = 2;
	CTS_RT_OK(musaCreateTextureObject(&t, &rd, NULL, &vd));
	CTS_RT_OK(musaGetTextureObjectResourceViewDesc(&vgot, t));
	ck_assert_uint_eq(vgot.firstLayer, 1);
	ck_assert_uint_eq(vgot.lastLayer, 2);
	{
		float4 c = mk4(2.5f, 1.5f, 0, 0), *dc, *dout, out;

		CTS_RT_OK(musaMalloc((void **)&dc, sizeof(c)));
		CTS_RT_OK(musaMalloc((void **)&dout, sizeof(c)));
		CTS_RT_OK(musaMemcpy(dc, &c, sizeof(c), musaMemcpyHostToDevice));
		CTS_RT_OK(cts_launch_tex_sample(t, CTS_TEX_SHAPE_2DLAYERED, 0, dc, dout, 1));
		CTS_RT_OK(musaMemcpy(&out, dout, sizeof(out), musaMemcpyDeviceToHost));
		ck_assert_msg(out.x == src[16 + 8 + 2], "view texel %g, expected %g", out.x,
			      src[26]);
		musaFree(dc);
		musaFree(dout);
	}
	CTS_RT_OK(musaDestroyTextureObject(t));
	vd.lastLayer = 3;  /* past the layers */
	CTS_RT(musaCreateTextureObject(&t, &rd, NULL, &vd), musaErrorInvalidValue);
	CTS_RT_OK(musaCreateSurfaceObject(&s, &rd));
	CTS_RT_OK(musaGetSurfaceObjectResourceDesc(&got, s));
	ck_assert_int_eq(got.resType, musaResourceTypeArray);
	ck_assert_ptr_eq(got.res.array.array, a);
	CTS_RT_OK(musaDestroySurfaceObject(s));
	CTS_RT_OK(musaFreeArray(a));
	CTS_RT_OK(musaStreamDestroy(st));
}

#ifndef CTS_CUDA
CTS_TEST(texture, legacy_reference_bind2d)
{
	const struct textureReference *ref2 = cts_tex_ref_symbol(1);
	struct musaChannelFormatDesc c8 = musaCreateChannelDesc(8, 0, 0, 0,
								musaChannelFormatKindUnsigned);
	unsigned char img[16 * 4];
	float out[64], *dout;
	size_t pitch, off = 7;
	void *d;

	for (int i = 0; i < 64; i++)
		img[i] = (unsigned char)(255 - i);
	CTS_RT_OK(musaMallocPitch(&d, &pitch, 16, 4));
	CTS_RT_OK(musaMemcpy2D(d, pitch, img, 16, 16, 4, musaMemcpyHostToDevice));
	CTS_RT_OK(musaMalloc((void **)&dout, sizeof(out)));
	CTS_RT_OK(musaBindTexture2D(&off, ref2, d, &c8, 16, 4, pitch));
	ck_assert_uint_eq(off, 0);
	CTS_RT_OK(cts_launch_tex_ref_read(dout, 64, 16));
	CTS_RT_OK(musaMemcpy(out, dout, sizeof(out), musaMemcpyDeviceToHost));
	for (int i = 0; i < 64; i++)
		ck_assert_msg(out[i] == (float)img[i] / 255.0f, "pixel %d: %g", i, out[i]);
	CTS_RT_OK(musaUnbindTexture(ref2));
	musaFree(d);
	musaFree(dout);
}
#endif
