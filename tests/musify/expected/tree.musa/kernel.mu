#include "foo_musa.muh"

__global__ void scale(float *x, float a)
{
	x[threadIdx.x] = a * twice(x[threadIdx.x]);
}
