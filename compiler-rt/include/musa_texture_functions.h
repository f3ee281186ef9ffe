/* SPDX-License-Identifier: MIT */
/*
 * musa_texture_functions.h - texture fetches and surface loads and stores
 * for kernels, in both passes of mcc: tex1Dfetch, tex1D, tex2D, tex3D,
 * tex1DLayered, tex2DLayered, tex2Dgather, the Lod / Grad forms (level 0:
 * there are no mipmaps), the out-parameter forms, the legacy texture
 * reference forms, and surf{1D,2D,3D,1DLayered,2DLayered}{read,write}.
 *
 * A texture or surface object is the address of a struct musa_texdesc the
 * driver wrote (musa_texdesc.h); kernels run in the host process, so a
 * fetch reads it and the texels directly. Sampling follows the CUDA
 * programming guide's "Texture Fetching": unnormalized or normalized
 * coordinates (x * width), wrap and mirror on texel indices (normalized
 * coordinates only; clamp otherwise), clamp, border; point sampling at
 * floor(x); linear filtering at x - 0.5 with the weights quantized to 1/256
 * (9-bit fixed point with 8 fractional bits), as the hardware does; reads
 * of 8/16-bit integers as normalized floats. A handle that names no live
 * descriptor reads as zeros. The core is C, the API C++ templates.
 */
#ifndef MUSA_TEXTURE_FUNCTIONS_H
#define MUSA_TEXTURE_FUNCTIONS_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "musa_runtime_api.h"
#include "musa_texdesc.h"

#define __MUSA_TEX_FN static __inline__ __attribute__((always_inline, unused))

/* A fetch result: four 32-bit lanes, float or integer by the format. */
union __musa_tex4 {
	float f[4];
	int32_t i[4];
	uint32_t u[4];
};

__MUSA_TEX_FN float __musa_tex_half(uint16_t h)
{
	uint32_t s = (uint32_t)(h & 0x8000u) << 16, e = (h >> 10) & 0x1fu, m = h & 0x3ffu, b;
	float f;

	if (e == 0x1fu) {
		b = s | 0x7f800000u | (m << 13);
	} else if (e) {
		b = s | ((e + 112u) << 23) | (m << 13);
	} else {  /* zero or subnormal: m * 2^-24 */
		f = (float)m * 5.9604644775390625e-8f;
		return s ? -f : f;
	}
	memcpy(&f, &b, sizeof(f));
	return f;
}

__MUSA_TEX_FN float __musa_tex_srgb(float v)
{
	return v <= 0.04045f ? v / 12.92f : powf((v + 0.055f) / 1.055f, 2.4f);
}

/* Whether fetches of d give floats. */
__MUSA_TEX_FN int __musa_tex_float(const struct musa_texdesc *d)
{
	return d->read_normalized || d->kind == MUSA_TEXDESC_FLOAT || d->kind == MUSA_TEXDESC_HALF;
}

/* The element at (x, y, z) (z: slice or layer), converted as read. */
__MUSA_TEX_FN void __musa_tex_load(const struct musa_texdesc *d, int64_t x, int64_t y, int64_t z,
				   union __musa_tex4 *t)
{
	const unsigned char *p = (const unsigned char *)(uintptr_t)(d->base + (uint64_t)z * d->slice +
								     (uint64_t)y * d->pitch +
								     (uint64_t)x * d->elem_bytes);

	for (uint32_t c = 0; c < 4; c++) {
		const unsigned char *q = p + c * d->chan_bytes;
		uint16_t h;

		t->u[c] = 0;
		if (c >= d->channels)
			continue;
		switch (d->kind * 8 + d->chan_bytes) {
		case MUSA_TEXDESC_UINT * 8 + 1:
			t->u[c] = q[0];
			if (d->read_normalized) {
				t->f[c] = (float)q[0] / 255.0f;
				if (d->srgb && c < 3)
					t->f[c] = __musa_tex_srgb(t->f[c]);
			}
			break;
		case MUSA_TEXDESC_UINT * 8 + 2:
			memcpy(&h, q, 2);
			t->u[c] = h;
			if (d->read_normalized)
				t->f[c] = (float)h / 65535.0f;
			break;
		case MUSA_TEXDESC_SINT * 8 + 1:
			t->i[c] = (int8_t)q[0];
			if (d->read_normalized)
				t->f[c] = fmaxf((float)(int8_t)q[0] / 127.0f, -1.0f);
			break;
		case MUSA_TEXDESC_SINT * 8 + 2: {
			int16_t s;

			memcpy(&s, q, 2);
			t->i[c] = s;
			if (d->read_normalized)
				t->f[c] = fmaxf((float)s / 32767.0f, -1.0f);
			break;
		}
		case MUSA_TEXDESC_HALF * 8 + 2:
			memcpy(&h, q, 2);
			t->f[c] = __musa_tex_half(h);
			break;
		default:  /* 32-bit integers and floats: the bits as they are */
			memcpy(&t->u[c], q, 4);
			break;
		}
	}
}

/* The border colour as a fetch of d gives it. */
__MUSA_TEX_FN void __musa_tex_border(const struct musa_texdesc *d, union __musa_tex4 *t)
{
	for (int c = 0; c < 4; c++) {
		if (__musa_tex_float(d))
			t->f[c] = d->border[c];
		else if (d->kind == MUSA_TEXDESC_SINT)
			t->i[c] = (int32_t)d->border[c];
		else
			t->u[c] = (uint32_t)d->border[c];
	}
}

/* Texel index i of a dimension of n texels under address mode m; -1 for
 * the border. Wrap repeats, mirror reflects with period 2n. */
__MUSA_TEX_FN int64_t __musa_tex_address(int64_t i, int64_t n, uint32_t m)
{
	if (i >= 0 && i < n)
		return i;
	switch (m) {
	case musaAddressModeWrap:
		i %= n;
		return i < 0 ? i + n : i;
	case musaAddressModeMirror:
		i %= 2 * n;
		if (i < 0)
			i += 2 * n;
		return i < n ? i : 2 * n - 1 - i;
	case musaAddressModeBorder:
		return -1;
	default:
		return i < 0 ? 0 : n - 1;
	}
}

/* floor(v) as an index, saturated far outside any texture; NaN -> 0. */
__MUSA_TEX_FN int64_t __musa_tex_index(float v)
{
	if (!(v == v))
		return 0;
	if (v < -1099511627776.0f)
		return -1099511627776ll;
	if (v > 1099511627776.0f)
		return 1099511627776ll;
	return (int64_t)floorf(v);
}

/* The texel at indices idx[0 .. n-1] of layer `layer` after addressing. */
__MUSA_TEX_FN void __musa_tex_texel(const struct musa_texdesc *d, int n, const int64_t *idx,
				    const uint32_t *mode, int64_t layer, union __musa_tex4 *t)
{
	const int64_t ext[3] = { (int64_t)d->width, (int64_t)d->height,
				 d->layered ? 1 : (int64_t)d->depth };
	int64_t p[3] = { 0, 0, 0 };

	for (int k = 0; k < n; k++) {
		p[k] = __musa_tex_address(idx[k], ext[k], mode[k]);
		if (p[k] < 0) {
			__musa_tex_border(d, t);
			return;
		}
	}
	__musa_tex_load(d, p[0], p[1], d->layered ? layer : p[2], t);
}

/* A fetch at n coordinates (x, y, z) of layer `layer` (layered textures). */
__MUSA_TEX_FN union __musa_tex4 __musa_tex_sample(unsigned long long obj, int n, float x, float y,
						  float z, int layer)
{
	const struct musa_texdesc *d = (const struct musa_texdesc *)(uintptr_t)obj;
	const int64_t ext[3] = { d ? (int64_t)d->width : 0, d ? (int64_t)d->height : 0,
				 d ? (int64_t)d->depth : 0 };
	float c[3] = { x, y, z };
	uint32_t mode[3];
	int64_t idx[3], l = 0;
	union __musa_tex4 r, t;

	memset(&r, 0, sizeof(r));
	if (!d || d->magic != MUSA_TEXDESC_MAGIC_TEX)
		return r;
	if (d->layered)
		l = layer < 0 ? 0 : (uint64_t)layer >= d->depth ? (int64_t)d->depth - 1 : layer;
	for (int k = 0; k < n; k++) {
		mode[k] = d->address[k];
		if (!d->coords_normalized && (mode[k] == musaAddressModeWrap ||
					      mode[k] == musaAddressModeMirror))
			mode[k] = musaAddressModeClamp;
		if (d->coords_normalized)
			c[k] *= (float)ext[k];
	}
	if (d->filter == musaFilterModeLinear && __musa_tex_float(d)) {
		float w[3];

		for (int k = 0; k < n; k++) {
			float b = c[k] - 0.5f, f = floorf(b);

			w[k] = roundf((b - f) * 256.0f) / 256.0f;  /* 1.8 fixed point */
			idx[k] = __musa_tex_index(f);
		}
		for (int corner = 0; corner < (1 << n); corner++) {
			int64_t at[3];
			float wt = 1.0f;

			for (int k = 0; k < n; k++) {
				int hi = (corner >> k) & 1;

				at[k] = idx[k] + hi;
				wt *= hi ? w[k] : 1.0f - w[k];
			}
			__musa_tex_texel(d, n, at, mode, l, &t);
			for (int ch = 0; ch < 4; ch++)
				r.f[ch] += wt * t.f[ch];
		}
		return r;
	}
	for (int k = 0; k < n; k++)
		idx[k] = __musa_tex_index(c[k]);
	__musa_tex_texel(d, n, idx, mode, l, &r);
	return r;
}

/* tex1Dfetch: an integer index, no filtering, no address modes; outside
 * the texture reads as zeros. */
__MUSA_TEX_FN union __musa_tex4 __musa_tex_fetch(unsigned long long obj, int x)
{
	const struct musa_texdesc *d = (const struct musa_texdesc *)(uintptr_t)obj;
	union __musa_tex4 r;

	memset(&r, 0, sizeof(r));
	if (!d || d->magic != MUSA_TEXDESC_MAGIC_TEX || x < 0 || (uint64_t)x >= d->width)
		return r;
	__musa_tex_load(d, x, 0, 0, &r);
	return r;
}

/* tex2Dgather: channel comp of the four texels bilinear filtering at (x, y)
 * would use, as (i, j+1), (i+1, j+1), (i+1, j), (i, j). */
__MUSA_TEX_FN union __musa_tex4 __musa_tex_gather(unsigned long long obj, float x, float y, int comp)
{
	const struct musa_texdesc *d = (const struct musa_texdesc *)(uintptr_t)obj;
	static const int corner[4][2] = { { 0, 1 }, { 1, 1 }, { 1, 0 }, { 0, 0 } };
	union __musa_tex4 r, t;
	uint32_t mode[2];
	float c[2] = { x, y };
	int64_t idx[2];

	memset(&r, 0, sizeof(r));
	if (!d || d->magic != MUSA_TEXDESC_MAGIC_TEX || comp < 0 || comp > 3)
		return r;
	for (int k = 0; k < 2; k++) {
		mode[k] = d->address[k];
		if (!d->coords_normalized && (mode[k] == musaAddressModeWrap ||
					      mode[k] == musaAddressModeMirror))
			mode[k] = musaAddressModeClamp;
		if (d->coords_normalized)
			c[k] *= (float)(k ? d->height : d->width);
		idx[k] = __musa_tex_index(floorf(c[k] - 0.5f));
	}
	for (int i = 0; i < 4; i++) {
		int64_t at[2] = { idx[0] + corner[i][0], idx[1] + corner[i][1] };

		__musa_tex_texel(d, 2, at, mode, 0, &t);
		r.u[i] = t.u[comp];
	}
	return r;
}

/* surfaces */

/* Where sizeof-n bytes at byte x of row y, slice or layer z go; NULL when
 * the access is dropped (zero mode). Trap mode faults the kernel with an
 * access to an unmapped page, as an out-of-bounds access does. */
__MUSA_TEX_FN unsigned char *__musa_surf_at(unsigned long long obj, int dims, int64_t x, int64_t y,
					    int64_t z, size_t n, int mode)
{
	const struct musa_texdesc *d = (const struct musa_texdesc *)(uintptr_t)obj;
	int64_t row, ext[3];
	int64_t p[3] = { x, y, z };

	if (!d || d->magic != MUSA_TEXDESC_MAGIC_SURF)
		return (unsigned char *)(uintptr_t)*(volatile uintptr_t *)(uintptr_t)8;
	row = (int64_t)(d->width * d->elem_bytes);
	ext[0] = row - (int64_t)n + 1;
	ext[1] = (int64_t)d->height;
	ext[2] = (int64_t)d->depth;
	for (int k = 0; k < dims; k++) {
		if (p[k] >= 0 && p[k] < ext[k])
			continue;
		if (mode == musaBoundaryModeZero)
			return NULL;
		if (mode == musaBoundaryModeClamp) {
			p[k] = p[k] < 0 ? 0 : ext[k] - 1;
			if (k == 0)
				p[0] -= p[0] % (int64_t)d->elem_bytes;
			continue;
		}
		return (unsigned char *)(uintptr_t)*(volatile uintptr_t *)(uintptr_t)8;
	}
	return (unsigned char *)(uintptr_t)(d->base + (uint64_t)p[2] * d->slice +
					     (uint64_t)p[1] * d->pitch + (uint64_t)p[0]);
}

#if defined(__cplusplus)
/* texture objects: the C++ API */

/* The value of type T a fetch result gives: lanes converted to T's
 * components (integer lanes for integer types, float lanes for floats). */
template <class T> struct __musa_tex_ret;
#define __MUSA_TEX_RET1(T, L)                                                         \
	template <> struct __musa_tex_ret<T> {                                        \
		static __inline__ T make(const union __musa_tex4 &r) { return (T)r.L[0]; } \
	};
#define __MUSA_TEX_RETV(V, L, S)                                                          \
	template <> struct __musa_tex_ret<V##1> {                                         \
		static __inline__ V##1 make(const union __musa_tex4 &r)                   \
		{ return make_##V##1((S)r.L[0]); }                                        \
	};                                                                                \
	template <> struct __musa_tex_ret<V##2> {                                         \
		static __inline__ V##2 make(const union __musa_tex4 &r)                   \
		{ return make_##V##2((S)r.L[0], (S)r.L[1]); }                             \
	};                                                                                \
	template <> struct __musa_tex_ret<V##4> {                                         \
		static __inline__ V##4 make(const union __musa_tex4 &r)                   \
		{ return make_##V##4((S)r.L[0], (S)r.L[1], (S)r.L[2], (S)r.L[3]); }       \
	};
__MUSA_TEX_RET1(char, i)
__MUSA_TEX_RET1(signed char, i)
__MUSA_TEX_RET1(unsigned char, u)
__MUSA_TEX_RET1(short, i)
__MUSA_TEX_RET1(unsigned short, u)
__MUSA_TEX_RET1(int, i)
__MUSA_TEX_RET1(unsigned int, u)
__MUSA_TEX_RET1(float, f)
__MUSA_TEX_RETV(char, i, signed char)
__MUSA_TEX_RETV(uchar, u, unsigned char)
__MUSA_TEX_RETV(short, i, short)
__MUSA_TEX_RETV(ushort, u, unsigned short)
__MUSA_TEX_RETV(int, i, int)
__MUSA_TEX_RETV(uint, u, unsigned int)
__MUSA_TEX_RETV(float, f, float)
#undef __MUSA_TEX_RET1
#undef __MUSA_TEX_RETV

template <class T> static __inline__ T tex1Dfetch(musaTextureObject_t o, int x)
{ return __musa_tex_ret<T>::make(__musa_tex_fetch(o, x)); }
template <class T> static __inline__ T tex1D(musaTextureObject_t o, float x)
{ return __musa_tex_ret<T>::make(__musa_tex_sample(o, 1, x, 0, 0, -1)); }
template <class T> static __inline__ T tex2D(musaTextureObject_t o, float x, float y)
{ return __musa_tex_ret<T>::make(__musa_tex_sample(o, 2, x, y, 0, -1)); }
template <class T> static __inline__ T tex2D(musaTextureObject_t o, float x, float y, bool *isResident)
{ *isResident = true; return tex2D<T>(o, x, y); }
template <class T> static __inline__ T tex3D(musaTextureObject_t o, float x, float y, float z)
{ return __musa_tex_ret<T>::make(__musa_tex_sample(o, 3, x, y, z, -1)); }
template <class T> static __inline__ T tex3D(musaTextureObject_t o, float x, float y, float z, bool *isResident)
{ *isResident = true; return tex3D<T>(o, x, y, z); }
template <class T> static __inline__ T tex1DLayered(musaTextureObject_t o, float x, int layer)
{ return __musa_tex_ret<T>::make(__musa_tex_sample(o, 1, x, 0, 0, layer)); }
template <class T> static __inline__ T tex2DLayered(musaTextureObject_t o, float x, float y, int layer)
{ return __musa_tex_ret<T>::make(__musa_tex_sample(o, 2, x, y, 0, layer)); }
template <class T> static __inline__ T tex2DLayered(musaTextureObject_t o, float x, float y, int layer, bool *isResident)
{ *isResident = true; return tex2DLayered<T>(o, x, y, layer); }
template <class T> static __inline__ T tex2Dgather(musaTextureObject_t o, float x, float y, int comp = 0)
{ return __musa_tex_ret<T>::make(__musa_tex_gather(o, x, y, comp)); }
/* No mipmaps: every level is level 0, gradients select nothing. */
template <class T> static __inline__ T tex1DLod(musaTextureObject_t o, float x, float)
{ return tex1D<T>(o, x); }
template <class T> static __inline__ T tex2DLod(musaTextureObject_t o, float x, float y, float)
{ return tex2D<T>(o, x, y); }
template <class T> static __inline__ T tex3DLod(musaTextureObject_t o, float x, float y, float z, float)
{ return tex3D<T>(o, x, y, z); }
template <class T> static __inline__ T tex1DLayeredLod(musaTextureObject_t o, float x, int layer, float)
{ return tex1DLayered<T>(o, x, layer); }
template <class T> static __inline__ T tex2DLayeredLod(musaTextureObject_t o, float x, float y, int layer, float)
{ return tex2DLayered<T>(o, x, y, layer); }
template <class T> static __inline__ T tex1DGrad(musaTextureObject_t o, float x, float, float)
{ return tex1D<T>(o, x); }
template <class T> static __inline__ T tex2DGrad(musaTextureObject_t o, float x, float y, float2, float2)
{ return tex2D<T>(o, x, y); }
template <class T> static __inline__ T tex3DGrad(musaTextureObject_t o, float x, float y, float z, float4, float4)
{ return tex3D<T>(o, x, y, z); }

/* The out-parameter forms. */
template <class T> static __inline__ void tex1Dfetch(T *r, musaTextureObject_t o, int x)
{ *r = tex1Dfetch<T>(o, x); }
template <class T> static __inline__ void tex1D(T *r, musaTextureObject_t o, float x)
{ *r = tex1D<T>(o, x); }
template <class T> static __inline__ void tex2D(T *r, musaTextureObject_t o, float x, float y)
{ *r = tex2D<T>(o, x, y); }
template <class T> static __inline__ void tex3D(T *r, musaTextureObject_t o, float x, float y, float z)
{ *r = tex3D<T>(o, x, y, z); }
template <class T> static __inline__ void tex1DLayered(T *r, musaTextureObject_t o, float x, int layer)
{ *r = tex1DLayered<T>(o, x, layer); }
template <class T> static __inline__ void tex2DLayered(T *r, musaTextureObject_t o, float x, float y, int layer)
{ *r = tex2DLayered<T>(o, x, y, layer); }
template <class T> static __inline__ void tex2Dgather(T *r, musaTextureObject_t o, float x, float y, int comp = 0)
{ *r = tex2Dgather<T>(o, x, y, comp); }

/* legacy texture references */
/* What a reference of element type T gives in normalized-float read mode. */
template <class T> struct __musa_tex_float_of { typedef float type; };
#define __MUSA_TEX_FLOAT_OF(V)                                                        \
	template <> struct __musa_tex_float_of<V##1> { typedef float1 type; };         \
	template <> struct __musa_tex_float_of<V##2> { typedef float2 type; };         \
	template <> struct __musa_tex_float_of<V##4> { typedef float4 type; };
__MUSA_TEX_FLOAT_OF(char)
__MUSA_TEX_FLOAT_OF(uchar)
__MUSA_TEX_FLOAT_OF(short)
__MUSA_TEX_FLOAT_OF(ushort)
__MUSA_TEX_FLOAT_OF(int)
__MUSA_TEX_FLOAT_OF(uint)
__MUSA_TEX_FLOAT_OF(float)
#undef __MUSA_TEX_FLOAT_OF

template <class T, enum musaTextureReadMode M> struct __musa_texref_ret { typedef T type; };
template <class T> struct __musa_texref_ret<T, musaReadModeNormalizedFloat> {
	typedef typename __musa_tex_float_of<T>::type type;
};

template <class T, int D, enum musaTextureReadMode M> struct texture;

template <class T, enum musaTextureReadMode M>
static __inline__ typename __musa_texref_ret<T, M>::type tex1Dfetch(const texture<T, musaTextureType1D, M> &t, int x)
{ return tex1Dfetch<typename __musa_texref_ret<T, M>::type>(t.__musaObject, x); }
template <class T, enum musaTextureReadMode M>
static __inline__ typename __musa_texref_ret<T, M>::type tex1D(const texture<T, musaTextureType1D, M> &t, float x)
{ return tex1D<typename __musa_texref_ret<T, M>::type>(t.__musaObject, x); }
template <class T, enum musaTextureReadMode M>
static __inline__ typename __musa_texref_ret<T, M>::type tex2D(const texture<T, musaTextureType2D, M> &t, float x, float y)
{ return tex2D<typename __musa_texref_ret<T, M>::type>(t.__musaObject, x, y); }
template <class T, enum musaTextureReadMode M>
static __inline__ typename __musa_texref_ret<T, M>::type tex3D(const texture<T, musaTextureType3D, M> &t, float x, float y, float z)
{ return tex3D<typename __musa_texref_ret<T, M>::type>(t.__musaObject, x, y, z); }
template <class T, enum musaTextureReadMode M>
static __inline__ typename __musa_texref_ret<T, M>::type tex1DLayered(const texture<T, musaTextureType1DLayered, M> &t, float x, int layer)
{ return tex1DLayered<typename __musa_texref_ret<T, M>::type>(t.__musaObject, x, layer); }
template <class T, enum musaTextureReadMode M>
static __inline__ typename __musa_texref_ret<T, M>::type tex2DLayered(const texture<T, musaTextureType2DLayered, M> &t, float x, float y, int layer)
{ return tex2DLayered<typename __musa_texref_ret<T, M>::type>(t.__musaObject, x, y, layer); }

/* surface objects */
template <class T> static __inline__ void __musa_surf_read(T *r, musaSurfaceObject_t s, int dims, int x, int y, int z, int mode)
{
	const unsigned char *p = __musa_surf_at(s, dims, x, y, z, sizeof(T), mode);

	if (p)
		memcpy((void *)r, p, sizeof(T));
	else
		memset((void *)r, 0, sizeof(T));
}
template <class T> static __inline__ void __musa_surf_write(const T &v, musaSurfaceObject_t s, int dims, int x, int y, int z, int mode)
{
	unsigned char *p = __musa_surf_at(s, dims, x, y, z, sizeof(T), mode);

	if (p)
		memcpy(p, (const void *)&v, sizeof(T));
}

#define __MUSA_SURF_MODE enum musaSurfaceBoundaryMode mode = musaBoundaryModeTrap
template <class T> static __inline__ void surf1Dread(T *r, musaSurfaceObject_t s, int x, __MUSA_SURF_MODE)
{ __musa_surf_read(r, s, 1, x, 0, 0, mode); }
template <class T> static __inline__ T surf1Dread(musaSurfaceObject_t s, int x, __MUSA_SURF_MODE)
{ T r; __musa_surf_read(&r, s, 1, x, 0, 0, mode); return r; }
template <class T> static __inline__ void surf2Dread(T *r, musaSurfaceObject_t s, int x, int y, __MUSA_SURF_MODE)
{ __musa_surf_read(r, s, 2, x, y, 0, mode); }
template <class T> static __inline__ T surf2Dread(musaSurfaceObject_t s, int x, int y, __MUSA_SURF_MODE)
{ T r; __musa_surf_read(&r, s, 2, x, y, 0, mode); return r; }
template <class T> static __inline__ void surf3Dread(T *r, musaSurfaceObject_t s, int x, int y, int z, __MUSA_SURF_MODE)
{ __musa_surf_read(r, s, 3, x, y, z, mode); }
template <class T> static __inline__ T surf3Dread(musaSurfaceObject_t s, int x, int y, int z, __MUSA_SURF_MODE)
{ T r; __musa_surf_read(&r, s, 3, x, y, z, mode); return r; }
/* Layered: the layer is the last coordinate. */
template <class T> static __inline__ void surf1DLayeredread(T *r, musaSurfaceObject_t s, int x, int layer, __MUSA_SURF_MODE)
{ __musa_surf_read(r, s, 3, x, 0, layer, mode); }
template <class T> static __inline__ T surf1DLayeredread(musaSurfaceObject_t s, int x, int layer, __MUSA_SURF_MODE)
{ T r; __musa_surf_read(&r, s, 3, x, 0, layer, mode); return r; }
template <class T> static __inline__ void surf2DLayeredread(T *r, musaSurfaceObject_t s, int x, int y, int layer, __MUSA_SURF_MODE)
{ __musa_surf_read(r, s, 3, x, y, layer, mode); }
template <class T> static __inline__ T surf2DLayeredread(musaSurfaceObject_t s, int x, int y, int layer, __MUSA_SURF_MODE)
{ T r; __musa_surf_read(&r, s, 3, x, y, layer, mode); return r; }
template <class T> static __inline__ void surf1Dwrite(T v, musaSurfaceObject_t s, int x, __MUSA_SURF_MODE)
{ __musa_surf_write(v, s, 1, x, 0, 0, mode); }
template <class T> static __inline__ void surf2Dwrite(T v, musaSurfaceObject_t s, int x, int y, __MUSA_SURF_MODE)
{ __musa_surf_write(v, s, 2, x, y, 0, mode); }
template <class T> static __inline__ void surf3Dwrite(T v, musaSurfaceObject_t s, int x, int y, int z, __MUSA_SURF_MODE)
{ __musa_surf_write(v, s, 3, x, y, z, mode); }
template <class T> static __inline__ void surf1DLayeredwrite(T v, musaSurfaceObject_t s, int x, int layer, __MUSA_SURF_MODE)
{ __musa_surf_write(v, s, 3, x, 0, layer, mode); }
template <class T> static __inline__ void surf2DLayeredwrite(T v, musaSurfaceObject_t s, int x, int y, int layer, __MUSA_SURF_MODE)
{ __musa_surf_write(v, s, 3, x, y, layer, mode); }
#undef __MUSA_SURF_MODE
#endif /* __cplusplus */

#endif /* MUSA_TEXTURE_FUNCTIONS_H */
