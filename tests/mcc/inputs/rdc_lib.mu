/* -rdc: a device function and a __device__ variable used from rdc_main.mu. */
#include "check.h"

__device__ int rdc_scale = 3;

__device__ int rdc_apply(int x)
{
	return x * rdc_scale + 1;
}

/* a kernel of this file, launched from the other one */
__global__ void rdc_fill(int *v, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i < n)
		v[i] = rdc_apply(i);
}
