// musa-bench: rough figures for the software device.
//   launch  - empty-kernel launch + stream synchronize latency (us)
//   vadd    - vectorAdd bandwidth, 3 arrays of N floats per launch (GB/s)
//   sgemm   - tiled matrixMul with shared memory and barriers (GFLOP/s)
// Each figure is the best of several repetitions, timed with events and
// cross-checked against a result computed on the host.
#include <musa_runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>

#define CHECK(x) do { musaError_t e_ = (x); if (e_ != musaSuccess) { \
	fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, musaGetErrorString(e_)); exit(1); } } while (0)

__global__ void empty_kernel(void) {}

__global__ void vadd(const float *a, const float *b, float *c, int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i < n)
		c[i] = a[i] + b[i];
}

#define TILE 16
__global__ void sgemm_tiled(const float *A, const float *B, float *C, int n)
{
	__shared__ float As[TILE][TILE];
	__shared__ float Bs[TILE][TILE];
	int tx = threadIdx.x, ty = threadIdx.y;
	int row = blockIdx.y * TILE + ty, col = blockIdx.x * TILE + tx;
	float acc = 0.0f;
	for (int t = 0; t < n / TILE; t++) {
		As[ty][tx] = A[row * n + t * TILE + tx];
		Bs[ty][tx] = B[(t * TILE + ty) * n + col];
		__syncthreads();
		for (int k = 0; k < TILE; k++)
			acc += As[ty][k] * Bs[k][tx];
		__syncthreads();
	}
	C[row * n + col] = acc;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void bench_launch(void)
{
	const int iters = 2000;
	empty_kernel<<<1, 1>>>();
	CHECK(musaDeviceSynchronize());
	double best = 1e30;
	for (int rep = 0; rep < 3; rep++) {
		double t0 = now_s();
		for (int i = 0; i < iters; i++) {
			empty_kernel<<<1, 1>>>();
			CHECK(musaStreamSynchronize(0));
		}
		double us = (now_s() - t0) / iters * 1e6;
		if (us < best)
			best = us;
	}
	printf("launch: empty kernel launch+sync   %10.2f us\n", best);
}

static void bench_vadd(void)
{
	const int n = 1 << 24;
	size_t bytes = (size_t)n * sizeof(float);
	float *h = (float *)malloc(bytes);
	for (int i = 0; i < n; i++)
		h[i] = (float)(i % 1000);
	float *a, *b, *c;
	CHECK(musaMalloc(&a, bytes));
	CHECK(musaMalloc(&b, bytes));
	CHECK(musaMalloc(&c, bytes));
	CHECK(musaMemcpy(a, h, bytes, musaMemcpyHostToDevice));
	CHECK(musaMemcpy(b, h, bytes, musaMemcpyHostToDevice));
	musaEvent_t e0, e1;
	CHECK(musaEventCreate(&e0));
	CHECK(musaEventCreate(&e1));
	float best = 1e30f;
	for (int rep = 0; rep < 5; rep++) {
		CHECK(musaEventRecord(e0, 0));
		vadd<<<(n + 255) / 256, 256>>>(a, b, c, n);
		CHECK(musaEventRecord(e1, 0));
		CHECK(musaEventSynchronize(e1));
		float ms;
		CHECK(musaEventElapsedTime(&ms, e0, e1));
		if (ms < best)
			best = ms;
	}
	CHECK(musaMemcpy(h, c, bytes, musaMemcpyDeviceToHost));
	for (int i = 0; i < n; i += 4099)
		if (h[i] != 2.0f * (float)(i % 1000)) {
			fprintf(stderr, "vadd: wrong result at %d\n", i);
			exit(1);
		}
	printf("vadd:   %d floats                %10.2f GB/s (%.3f ms)\n", n,
	       3.0 * bytes / (best * 1e-3) / 1e9, best);
	musaFree(a); musaFree(b); musaFree(c);
	musaEventDestroy(e0); musaEventDestroy(e1);
	free(h);
}

static void bench_sgemm(void)
{
	const int n = 512;
	size_t bytes = (size_t)n * n * sizeof(float);
	float *hA = (float *)malloc(bytes), *hB = (float *)malloc(bytes), *hC = (float *)malloc(bytes);
	for (int i = 0; i < n * n; i++) {
		hA[i] = (float)((i * 7) % 13) / 13.0f;
		hB[i] = (float)((i * 5) % 11) / 11.0f;
	}
	float *A, *B, *C;
	CHECK(musaMalloc(&A, bytes));
	CHECK(musaMalloc(&B, bytes));
	CHECK(musaMalloc(&C, bytes));
	CHECK(musaMemcpy(A, hA, bytes, musaMemcpyHostToDevice));
	CHECK(musaMemcpy(B, hB, bytes, musaMemcpyHostToDevice));
	musaEvent_t e0, e1;
	CHECK(musaEventCreate(&e0));
	CHECK(musaEventCreate(&e1));
	dim3 block(TILE, TILE), grid(n / TILE, n / TILE);
	float best = 1e30f;
	for (int rep = 0; rep < 3; rep++) {
		CHECK(musaEventRecord(e0, 0));
		sgemm_tiled<<<grid, block>>>(A, B, C, n);
		CHECK(musaEventRecord(e1, 0));
		CHECK(musaEventSynchronize(e1));
		float ms;
		CHECK(musaEventElapsedTime(&ms, e0, e1));
		if (ms < best)
			best = ms;
	}
	CHECK(musaMemcpy(hC, C, bytes, musaMemcpyDeviceToHost));
	for (int r = 0; r < n; r += 97) {
		for (int col = 0; col < n; col += 89) {
			double ref = 0;
			for (int k = 0; k < n; k++)
				ref += (double)hA[r * n + k] * hB[k * n + col];
			if (fabs(ref - hC[r * n + col]) > 1e-3 * fabs(ref) + 1e-3) {
				fprintf(stderr, "sgemm: wrong result at %d,%d\n", r, col);
				exit(1);
			}
		}
	}
	printf("sgemm:  %dx%d tiled (16x16)       %10.2f GFLOP/s (%.3f ms)\n", n, n,
	       2.0 * n * n * n / (best * 1e-3) / 1e9, best);
	musaFree(A); musaFree(B); musaFree(C);
	musaEventDestroy(e0); musaEventDestroy(e1);
	free(hA); free(hB); free(hC);
}

int main(void)
{
	musaDeviceProp p;
	CHECK(musaGetDeviceProperties(&p, 0));
	printf("device: %s, %d compute units, warp %d\n", p.name, p.multiProcessorCount, p.warpSize);
	bench_launch();
	bench_vadd();
	bench_sgemm();
	return 0;
}
