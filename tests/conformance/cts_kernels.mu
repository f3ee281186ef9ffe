/* SPDX-License-Identifier: MIT */
/*
 * cts_kernels.mu - the few kernels the conformance suite launches, and C
 * entry points for the test files (which are plain C). Built by mcc into
 * musa-cts, and by mcc --device-only into the module of the driver-API
 * tests; nvcc builds it for a CUDA run (docs/conformance.md).
 */
#ifdef CTS_CUDA
#include "cts_cuda_map.h"
#else
#include <musa_runtime.h>
#endif

/* Elements of the symbol tests' variables (as CTS_SYMBOL_N of cts.h). */
#define CTS_SYMBOL_N 16

/* Under nvcc the kernels and variables get C linkage, so that the driver-API
 * tests find them in the module by their source names, as in mcc's. */
#ifdef CTS_CUDA
extern "C" {
#endif

__global__ void cts_fill(int *p, int v, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n)
		p[i] = v;
}

__global__ void cts_add(int *p, int v, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n)
		p[i] += v;
}

__global__ void cts_wait_flag(volatile int *flag, int *out)
{
	long long start = clock64();

	/* Bounded: about 10 s at the software device's 1 GHz clock. */
	while (*flag == 0 && clock64() - start < 10000000000ll)
		;
	*out = *flag != 0;
}

/* Variables of the symbol tests (symbol.c): the driver-API tests find them in
 * the module as "cts_symbol_var" and "cts_symbol_const". */
__device__ int cts_symbol_var[CTS_SYMBOL_N];
__constant__ int cts_symbol_const[CTS_SYMBOL_N];

/* out[i] = cts_symbol_var[i] + cts_symbol_const[i] for i < n. */
__global__ void cts_symbol_read(int *out, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n && i < CTS_SYMBOL_N)
		out[i] = cts_symbol_var[i] + cts_symbol_const[i];
}

#ifdef CTS_CUDA
}
#endif

#ifndef CTS_KERNELS_DEVICE_ONLY
extern "C" {
const void *cts_kernel_fill(void) { return (const void *)cts_fill; }
const void *cts_kernel_add(void) { return (const void *)cts_add; }
const void *cts_kernel_wait_flag(void) { return (const void *)cts_wait_flag; }
const void *cts_symbol_dev(void) { return (const void *)&cts_symbol_var; }
const void *cts_symbol_const_dev(void) { return (const void *)&cts_symbol_const; }

static unsigned int cts_blocks(int n)
{
	return n > 0 ? (unsigned int)((n + 255) / 256) : 1u;
}

musaError_t cts_launch_fill(int *p, int v, int n, musaStream_t s)
{
	cts_fill<<<cts_blocks(n), 256, 0, s>>>(p, v, n);
	return musaGetLastError();
}

musaError_t cts_launch_add(int *p, int v, int n, musaStream_t s)
{
	cts_add<<<cts_blocks(n), 256, 0, s>>>(p, v, n);
	return musaGetLastError();
}

musaError_t cts_launch_wait_flag(volatile int *flag, int *out, musaStream_t s)
{
	cts_wait_flag<<<1, 1, 0, s>>>(flag, out);
	return musaGetLastError();
}

musaError_t cts_launch_symbol_read(int *out, int n, musaStream_t s)
{
	cts_symbol_read<<<1, CTS_SYMBOL_N, 0, s>>>(out, n);
	return musaGetLastError();
}
}
#endif

/* Texture and surface kernels of texture.c / texture_drv.c. A sample at
 * coords[i] = (x, y, z, layer) of a texture of the given shape
 * (CTS_TEX_SHAPE_* of cts.h); as_int: the fetch as int4, its bits stored. */
__global__ void cts_tex_sample(musaTextureObject_t t, int shape, int as_int, const float4 *coords,
			       float4 *out, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	float4 c, r;

	if (i >= n)
		return;
	c = coords[i];
	if (as_int) {
		int4 v;

		switch (shape) {
		case 1: v = tex1D<int4>(t, c.x); break;
		case 2: v = tex2D<int4>(t, c.x, c.y); break;
		case 3: v = tex3D<int4>(t, c.x, c.y, c.z); break;
		case 11: v = tex1DLayered<int4>(t, c.x, (int)c.w); break;
		case 12: v = tex2DLayered<int4>(t, c.x, c.y, (int)c.w); break;
		default: v = tex1Dfetch<int4>(t, (int)c.x); break;
		}
		memcpy(&r, &v, sizeof(r));
	} else {
		switch (shape) {
		case 1: r = tex1D<float4>(t, c.x); break;
		case 2: r = tex2D<float4>(t, c.x, c.y); break;
		case 3: r = tex3D<float4>(t, c.x, c.y, c.z); break;
		case 11: r = tex1DLayered<float4>(t, c.x, (int)c.w); break;
		case 12: r = tex2DLayered<float4>(t, c.x, c.y, (int)c.w); break;
		default: r = tex1Dfetch<float4>(t, (int)c.x); break;
		}
	}
	out[i] = r;
}

/* Surface of floats: each (x, y, layer) of w x h x d reads, adds 1, writes
 * back; out[i] gets surf2Dread at byte x_off[i] of row y_off[i] under mode. */
__global__ void cts_surf_inc(musaSurfaceObject_t s, int w, int h, int layers)
{
	int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y;

	if (x >= w || y >= h)
		return;
	for (int l = 0; l < layers; l++) {
		if (layers > 1) {
			float v = surf2DLayeredread<float>(s, x * 4, y, l);

			surf2DLayeredwrite(v + 1.0f, s, x * 4, y, l);
		} else {
			float v;

			surf2Dread(&v, s, x * 4, y);
			surf2Dwrite(v + 1.0f, s, x * 4, y);
		}
	}
}

__global__ void cts_surf_bounds(musaSurfaceObject_t s, const int2 *at, float *out, int n, int mode)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n)
		out[i] = surf2Dread<float>(s, at[i].x, at[i].y, (enum musaSurfaceBoundaryMode)mode);
}

#ifndef CTS_CUDA
/* A legacy texture reference (CUDA 12 removed them); explicitly __device__
 * until mcc makes file-scope texture<> variables device variables. */
__device__ texture<float, musaTextureType1D, musaReadModeElementType> cts_tex_ref;
__device__ texture<unsigned char, musaTextureType2D, musaReadModeNormalizedFloat> cts_tex_ref2d;

__global__ void cts_tex_ref_read(float *out, int n, int w)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n)
		out[i] = w ? tex2D(cts_tex_ref2d, (float)(i % w) + 0.5f, (float)(i / w) + 0.5f)
			   : tex1Dfetch(cts_tex_ref, i);
}
#endif

#ifndef CTS_KERNELS_DEVICE_ONLY
extern "C" {
musaError_t cts_launch_tex_sample(musaTextureObject_t t, int shape, int as_int,
				  const void *coords, void *out, int n)
{
	cts_tex_sample<<<cts_blocks(n), 256>>>(t, shape, as_int, (const float4 *)coords,
					       (float4 *)out, n);
	return musaGetLastError();
}

musaError_t cts_launch_surf_inc(musaSurfaceObject_t s, int w, int h, int layers)
{
	cts_surf_inc<<<dim3(cts_blocks(w), h), 256>>>(s, w, h, layers);
	return musaGetLastError();
}

musaError_t cts_launch_surf_bounds(musaSurfaceObject_t s, const void *at, float *out, int n,
				   int mode)
{
	cts_surf_bounds<<<cts_blocks(n), 256>>>(s, (const int2 *)at, out, n, mode);
	return musaGetLastError();
}

#ifndef CTS_CUDA
const void *cts_tex_ref_symbol(int two_d)
{
	return two_d ? (const void *)&cts_tex_ref2d : (const void *)&cts_tex_ref;
}

musaError_t cts_launch_tex_ref_read(float *out, int n, int w)
{
	cts_tex_ref_read<<<cts_blocks(n), 256>>>(out, n, w);
	return musaGetLastError();
}
#endif
}
#endif
