// A program of several files: main.cu includes a renamed header, a .cu
// file and a .cuh header; sub/util.cpp finds helper_cuda.h through -I.
#include <cstdio>
#include <cuda_runtime.h>
#include "helper_cuda.h"
#include "foo_cuda.cuh"
#include "kernel.cu"

int main()
{
	float *d;
	checkCudaErrors(cudaMalloc(&d, 256 * sizeof(float)));
	scale<<<1, 256>>>(d, 2.0f);
	checkCudaErrors(cudaGetLastError());
	checkCudaErrors(cudaFree(d));
	printf("done\n");
	return 0;
}
