// A program of several files: main.cu includes a renamed header, a .cu
// file and a .cuh header; sub/util.cpp finds helper_cuda.h through -I.
#include <cstdio>
#include <musa_runtime.h>
#include "helper_musa.h"
#include "foo_musa.muh"
#include "kernel.mu"

int main()
{
	float *d;
	checkCudaErrors(musaMalloc(&d, 256 * sizeof(float)));
	scale<<<1, 256>>>(d, 2.0f);
	checkCudaErrors(musaGetLastError());
	checkCudaErrors(musaFree(d));
	printf("done\n");
	return 0;
}
