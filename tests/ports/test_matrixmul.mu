/* SPDX-License-Identifier: MIT */
/*
 * test_matrixmul.mu - the job of cuda-samples' matrixMul: C = A * B with a
 * kernel templated on its square tile size, staging one tile of A and one of
 * B in static shared memory per step with barriers around the inner
 * product, instantiated and launched for tiles of 16 and 32.
 * The inputs are small integers, so every sum is exact in float and the
 * device result must equal the host reference bit for bit.
 */
#include "port_test.h"

template <int BLOCK_SIZE>
__global__ void MatrixMulCUDA(float *C, const float *A, const float *B, int wA, int wB)
{
	__shared__ float As[BLOCK_SIZE][BLOCK_SIZE];
	__shared__ float Bs[BLOCK_SIZE][BLOCK_SIZE];
	int tx = threadIdx.x, ty = threadIdx.y;
	/* This block's tile row of A and tile column of B. */
	int a_first = wA * BLOCK_SIZE * blockIdx.y, a_end = a_first + wA;
	int b = BLOCK_SIZE * blockIdx.x;
	float acc = 0.0f;

	for (int a = a_first; a < a_end; a += BLOCK_SIZE, b += BLOCK_SIZE * wB) {
		As[ty][tx] = A[a + wA * ty + tx];
		Bs[ty][tx] = B[b + wB * ty + tx];
		__syncthreads();        /* both tiles loaded */
#pragma unroll
		for (int k = 0; k < BLOCK_SIZE; ++k)
			acc += As[ty][k] * Bs[k][tx];
		__syncthreads();        /* nobody still reads the tiles */
	}
	C[(blockIdx.y * BLOCK_SIZE + ty) * wB + BLOCK_SIZE * blockIdx.x + tx] = acc;
}

/* Runs C(hA x wB) = A(hA x wA) * B(wA x wB) with tile bs on the device and
 * compares with the host product. */
static void run_matmul(int bs, int hA, int wA, int wB)
{
	size_t na = (size_t)hA * wA, nb = (size_t)wA * wB, nc = (size_t)hA * wB;
	float *a = (float *)malloc(na * sizeof(float)), *b = (float *)malloc(nb * sizeof(float));
	float *c = (float *)malloc(nc * sizeof(float));
	float *da = (float *)dev_alloc(na * sizeof(float)), *db = (float *)dev_alloc(nb * sizeof(float));
	float *dc = (float *)dev_alloc(nc * sizeof(float));
	unsigned seed = 12345u + (unsigned)bs;
	dim3 threads(bs, bs), grid(wB / bs, hA / bs);
	musaStream_t stream;
	size_t i;

	for (i = 0; i < na; i++)
		a[i] = (float)((int)(port_rand(&seed) % 9) - 4);
	for (i = 0; i < nb; i++)
		b[i] = (float)((int)(port_rand(&seed) % 7) - 3);
	dev_put(da, a, na * sizeof(float));
	dev_put(db, b, nb * sizeof(float));
	/* on a stream of its own, as the sample launches */
	MUSA_OK(musaStreamCreateWithFlags(&stream, musaStreamNonBlocking));
	if (bs == 16)
		MatrixMulCUDA<16><<<grid, threads, 0, stream>>>(dc, da, db, wA, wB);
	else
		MatrixMulCUDA<32><<<grid, threads, 0, stream>>>(dc, da, db, wA, wB);
	MUSA_OK(musaGetLastError());
	MUSA_OK(musaStreamSynchronize(stream));
	MUSA_OK(musaStreamDestroy(stream));
	dev_get(c, dc, nc * sizeof(float));
	for (int r = 0; r < hA; r++)
		for (int col = 0; col < wB; col++) {
			float want = 0.0f;

			for (int k = 0; k < wA; k++)
				want += a[r * wA + k] * b[k * wB + col];
			ck_assert_msg(c[r * wB + col] == want, "tile %d: C[%d][%d] = %g, want %g",
				      bs, r, col, (double)c[r * wB + col], (double)want);
		}
	MUSA_OK(musaFree(da));
	MUSA_OK(musaFree(db));
	MUSA_OK(musaFree(dc));
	free(a);
	free(b);
	free(c);
}

START_TEST(tile16)
{
	/* non-square shapes, so rows and columns cannot be swapped */
	run_matmul(16, 5 * 16, 6 * 16, 4 * 16);
}
END_TEST

START_TEST(tile32)
{
	run_matmul(32, 3 * 32, 4 * 32, 2 * 32);
}
END_TEST

DEV_TEST_MAIN("ports-matrixMul", tile16, tile32)
