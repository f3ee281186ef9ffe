/* SPDX-License-Identifier: MIT */
/*
 * vectorAdd - C = A + B over 50000 elements: device memory, copies, a
 * launch, and the last-error check after it. Prints PASSED or FAILED.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <musa_runtime.h>

__global__ void vectorAdd(const float *A, const float *B, float *C, int numElements)
{
	int i = blockDim.x * blockIdx.x + threadIdx.x;

	if (i < numElements)
		C[i] = A[i] + B[i] + 0.0f;
}

#define TRY(call) do {                                                          \
	musaError_t err_ = (call);                                              \
	if (err_ != musaSuccess) {                                              \
		fprintf(stderr, "%s failed: %s\n", #call, musaGetErrorString(err_)); \
		goto fail;                                                      \
	}                                                                       \
} while (0)

int main(void)
{
	const int numElements = 50000;
	size_t size = numElements * sizeof(float);
	float *h_A = (float *)malloc(size), *h_B = (float *)malloc(size), *h_C = (float *)malloc(size);
	float *d_A = NULL, *d_B = NULL, *d_C = NULL;
	int threadsPerBlock = 256, blocksPerGrid, i, ok = 0;

	printf("[Vector addition of %d elements]\n", numElements);
	if (!h_A || !h_B || !h_C) {
		fprintf(stderr, "out of host memory\n");
		goto fail;
	}
	srand(2024);
	for (i = 0; i < numElements; i++) {
		h_A[i] = rand() / (float)RAND_MAX;
		h_B[i] = rand() / (float)RAND_MAX;
	}
	TRY(musaMalloc((void **)&d_A, size));
	TRY(musaMalloc((void **)&d_B, size));
	TRY(musaMalloc((void **)&d_C, size));
	TRY(musaMemcpy(d_A, h_A, size, musaMemcpyHostToDevice));
	TRY(musaMemcpy(d_B, h_B, size, musaMemcpyHostToDevice));

	blocksPerGrid = (numElements + threadsPerBlock - 1) / threadsPerBlock;
	printf("MUSA kernel launch with %d blocks of %d threads\n", blocksPerGrid, threadsPerBlock);
	vectorAdd<<<blocksPerGrid, threadsPerBlock>>>(d_A, d_B, d_C, numElements);
	TRY(musaGetLastError());
	TRY(musaMemcpy(h_C, d_C, size, musaMemcpyDeviceToHost));

	for (i = 0; i < numElements; i++) {
		if (fabsf(h_A[i] + h_B[i] - h_C[i]) > 1e-5f) {
			fprintf(stderr, "Result verification failed at element %d\n", i);
			goto fail;
		}
	}
	printf("Test PASSED\n");
	ok = 1;
fail:
	musaFree(d_A);
	musaFree(d_B);
	musaFree(d_C);
	free(h_A);
	free(h_B);
	free(h_C);
	if (!ok)
		printf("Test FAILED\n");
	return ok ? 0 : 1;
}
