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
