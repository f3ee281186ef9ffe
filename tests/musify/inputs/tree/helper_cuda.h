// Error checking, as the CUDA samples' helper_cuda.h does it.
#ifndef HELPER_CUDA_H
#define HELPER_CUDA_H
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

#define checkCudaErrors(val) check_cuda((val), #val, __FILE__, __LINE__)

static inline void check_cuda(cudaError_t result, const char *what, const char *file, int line)
{
	if (result != cudaSuccess) {
		fprintf(stderr, "CUDA error at %s:%d \"%s\": %s\n", file, line, what,
			cudaGetErrorString(result));
		exit(EXIT_FAILURE);
	}
}
#endif
