// Error checking, as the CUDA samples' helper_cuda.h does it.
#ifndef HELPER_CUDA_H
#define HELPER_CUDA_H
#include <cstdio>
#include <cstdlib>
#include <musa_runtime.h>

#define checkCudaErrors(val) check_cuda((val), #val, __FILE__, __LINE__)

static inline void check_cuda(musaError_t result, const char *what, const char *file, int line)
{
	if (result != musaSuccess) {
		fprintf(stderr, "CUDA error at %s:%d \"%s\": %s\n", file, line, what,
			musaGetErrorString(result));
		exit(EXIT_FAILURE);
	}
}
#endif
