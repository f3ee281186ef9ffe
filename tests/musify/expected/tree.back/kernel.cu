#include "foo_cuda.cuh"

__global__ void scale(float *x, float a)
{
	x[threadIdx.x] = a * twice(x[threadIdx.x]);
}
