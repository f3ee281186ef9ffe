/* SPDX-License-Identifier: MIT */
/*
 * globals.kern.mu - device code built by `mcc --device-only` for the
 * driver-level variable tests (test_global.c): a __device__ array, a
 * __constant__ scalar, and kernels that read and write them. No printf and
 * no malloc: the module must carry no device-runtime variables.
 */
__device__ int table[32];
__constant__ float gain = 1.5f;

namespace dev {
__device__ unsigned long long total;
}

__global__ void scale_table(void)
{
	int i = threadIdx.x;

	table[i] = (int)((float)table[i] * gain);
	atomicAdd(&dev::total, (unsigned long long)table[i]);
}
