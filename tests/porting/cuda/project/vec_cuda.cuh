// Shared between the two translation units of the program.
#ifndef VEC_CUDA_CUH
#define VEC_CUDA_CUH
#include <cuda_runtime.h>

__host__ __device__ inline float weight(int i) { return (float)(i % 3); }
cudaError_t vec_weighted_sum(const float *d_x, int n, float *result);
#endif
