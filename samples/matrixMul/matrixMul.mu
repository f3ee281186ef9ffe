/* SPDX-License-Identifier: MIT */
/*
 * matrixMul - C = A * B with square tiles in static __shared__ memory and
 * __syncthreads between the load and compute phases; non-square sizes,
 * verified against a host product, timed with events (GFLOP/s).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <musa_runtime.h>

#define TILE 16

/* A is hA x wA, B is wA x wB, C is hA x wB; all multiples of TILE. */
__global__ void matrixMul(float *C, const float *A, const float *B, int wA, int wB)
{
	__shared__ float As[TILE][TILE];
	__shared__ float Bs[TILE][TILE];
	int bx = blockIdx.x, by = blockIdx.y, tx = threadIdx.x, ty = threadIdx.y;
	int aBegin = wA * TILE * by, aEnd = aBegin + wA - 1, aStep = TILE;
	int bBegin = TILE * bx, bStep = TILE * wB;
	float Csub = 0.0f;

	for (int a = aBegin, b = bBegin; a <= aEnd; a += aStep, b += bStep) {
		As[ty][tx] = A[a + wA * ty + tx];
		Bs[ty][tx] = B[b + wB * ty + tx];
		__syncthreads();
		for (int k = 0; k < TILE; ++k)
			Csub += As[ty][k] * Bs[k][tx];
		__syncthreads();
	}
	C[wB * TILE * by + TILE * bx + wB * ty + tx] = Csub;
}

static void fill(float *m, int n)
{
	for (int i = 0; i < n; i++)
		m[i] = (float)((i * 7 + 3) % 17) / 17.0f - 0.5f;
}

#define TRY(call) do {                                                          \
	musaError_t err_ = (call);                                              \
	if (err_ != musaSuccess) {                                              \
		fprintf(stderr, "%s failed: %s\n", #call, musaGetErrorString(err_)); \
		goto out;                                                       \
	}                                                                       \
} while (0)

int main(void)
{
	const int hA = 12 * TILE, wA = 20 * TILE, wB = 8 * TILE;
	const int iterations = 3;
	size_t sA = sizeof(float) * hA * wA, sB = sizeof(float) * wA * wB, sC = sizeof(float) * hA * wB;
	float *h_A = (float *)malloc(sA), *h_B = (float *)malloc(sB);
	float *h_C = (float *)malloc(sC), *ref = (float *)malloc(sC);
	float *d_A = NULL, *d_B = NULL, *d_C = NULL, ms = 0.0f;
	musaEvent_t start = NULL, stop = NULL;
	int ok = 0, bad = 0;

	printf("[Matrix Multiply Using MUSA] - Starting...\n");
	printf("MatrixA(%d,%d), MatrixB(%d,%d)\n", wA, hA, wB, wA);
	if (!h_A || !h_B || !h_C || !ref)
		goto out;
	fill(h_A, hA * wA);
	fill(h_B, wA * wB);
	TRY(musaMalloc((void **)&d_A, sA));
	TRY(musaMalloc((void **)&d_B, sB));
	TRY(musaMalloc((void **)&d_C, sC));
	TRY(musaMemcpy(d_A, h_A, sA, musaMemcpyHostToDevice));
	TRY(musaMemcpy(d_B, h_B, sB, musaMemcpyHostToDevice));
	TRY(musaEventCreate(&start));
	TRY(musaEventCreate(&stop));
	{
		dim3 threads(TILE, TILE);
		dim3 grid(wB / threads.x, hA / threads.y);

		matrixMul<<<grid, threads>>>(d_C, d_A, d_B, wA, wB);  /* warm-up */
		TRY(musaGetLastError());
		TRY(musaDeviceSynchronize());
		TRY(musaEventRecord(start, NULL));
		for (int i = 0; i < iterations; i++)
			matrixMul<<<grid, threads>>>(d_C, d_A, d_B, wA, wB);
		TRY(musaGetLastError());
		TRY(musaEventRecord(stop, NULL));
		TRY(musaEventSynchronize(stop));
		TRY(musaEventElapsedTime(&ms, start, stop));
	}
	{
		double msPer = ms / iterations, flops = 2.0 * hA * wA * wB;

		printf("Performance= %.2f GFlop/s, Time= %.3f msec, Size= %.0f Ops, "
		       "WorkgroupSize= %d threads/block\n",
		       msPer > 0 ? flops * 1e-9 / (msPer / 1000.0) : 0.0, msPer, flops, TILE * TILE);
	}
	TRY(musaMemcpy(h_C, d_C, sC, musaMemcpyDeviceToHost));
	for (int i = 0; i < hA; i++)
		for (int j = 0; j < wB; j++) {
			double s = 0;

			for (int k = 0; k < wA; k++)
				s += (double)h_A[i * wA + k] * h_B[k * wB + j];
			ref[i * wB + j] = (float)s;
		}
	for (int i = 0; i < hA * wB; i++)
		if (fabsf(h_C[i] - ref[i]) > 1e-4f * wA) {
			if (bad++ < 5)
				fprintf(stderr, "Error! Matrix[%05d]=%.8f, ref=%.8f\n", i, h_C[i], ref[i]);
		}
	ok = bad == 0;
out:
	if (start)
		musaEventDestroy(start);
	if (stop)
		musaEventDestroy(stop);
	musaFree(d_A);
	musaFree(d_B);
	musaFree(d_C);
	free(h_A);
	free(h_B);
	free(h_C);
	free(ref);
	printf("%s\n", ok ? "Result = PASSED" : "Result = FAILED");
	return ok ? 0 : 1;
}
