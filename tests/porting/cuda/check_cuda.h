// Error checking as CUDA programs write it; musify renames this file's
// CUDA names along with the programs that include it.
#ifndef CHECK_CUDA_H
#define CHECK_CUDA_H
#include <cstdio>
#include <cuda_runtime.h>

static inline int fail(const char *what, int line)
{
	printf("FAILED: %s (line %d)\n", what, line);
	return 1;
}

#define CHECK(call)                                                            \
	do {                                                                   \
		cudaError_t err_ = (call);                                     \
		if (err_ != cudaSuccess) {                                     \
			printf("FAILED: %s: %s (%s) at line %d\n", #call,       \
			       cudaGetErrorName(err_), cudaGetErrorString(err_), \
			       __LINE__);                                      \
			return 1;                                              \
		}                                                              \
	} while (0)
#endif
