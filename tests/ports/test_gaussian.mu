/* SPDX-License-Identifier: MIT */
/*
 * test_gaussian.mu - the job of Rodinia's gaussian: solving A x = b by
 * Gaussian elimination, the forward elimination on the device one pivot
 * column t at a time: Fan1 computes the multipliers of column t, Fan2
 * subtracts the pivot row from every row below it (a 2-D grid) and updates
 * b; back substitution runs on the host. The matrix is generated as
 * Rodinia's -s N option does (a symmetric Toeplitz matrix with
 * exponentially decaying diagonals, so no pivoting is needed). The device
 * elimination must equal the host's step for step, and the solution must
 * satisfy A x = b.
 */
#include <math.h>

#include "port_test.h"

/* m[i][t] = a[i][t] / a[t][t] for the rows below the pivot. */
__global__ void Fan1(float *m, const float *a, int size, int t)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i >= size - 1 - t)
		return;
	m[size * (i + t + 1) + t] = a[size * (i + t + 1) + t] / a[size * t + t];
}

/* Row x + 1 + t -= m * row t, for the columns from t on; column 0 of the
 * grid also updates b. */
__global__ void Fan2(const float *m, float *a, float *b, int size, int t)
{
	int x = blockIdx.x * blockDim.x + threadIdx.x;
	int y = blockIdx.y * blockDim.y + threadIdx.y;

	if (x >= size - 1 - t || y >= size - t)
		return;
	a[size * (x + 1 + t) + (y + t)] -= m[size * (x + 1 + t) + t] * a[size * t + (y + t)];
	if (y == 0)
		b[x + 1 + t] -= m[size * (x + 1 + t) + t] * b[t];
}

static void create_matrix(float *a, int size)
{
	const float lambda = -0.01f;
	float *coe = (float *)malloc((2 * size - 1) * sizeof(float));

	for (int i = 0; i < size; i++) {
		float v = 10.0f * expf(lambda * (float)i);

		coe[size - 1 + i] = v;
		coe[size - 1 - i] = v;
	}
	for (int i = 0; i < size; i++)
		for (int j = 0; j < size; j++)
			a[i * size + j] = coe[size - 1 - i + j];
	free(coe);
}

static void back_sub(const float *a, const float *b, float *x, int size)
{
	for (int i = size - 1; i >= 0; i--) {
		float s = b[i];

		for (int j = i + 1; j < size; j++)
			s -= a[i * size + j] * x[j];
		x[i] = s / a[i * size + i];
	}
}

static void run_gaussian(int size, int block_1d, int block_2d)
{
	size_t nn = (size_t)size * size;
	float *a = (float *)malloc(nn * sizeof(float)), *a0 = (float *)malloc(nn * sizeof(float));
	float *m = (float *)calloc(nn, sizeof(float)), *b = (float *)malloc(size * sizeof(float));
	float *b0 = (float *)malloc(size * sizeof(float)), *x = (float *)malloc(size * sizeof(float));
	float *ga = (float *)malloc(nn * sizeof(float)), *gb = (float *)malloc(size * sizeof(float));
	float *da = (float *)dev_alloc(nn * sizeof(float)), *dm = (float *)dev_alloc(nn * sizeof(float));
	float *db = (float *)dev_alloc(size * sizeof(float));
	int blocks_1d = (size + block_1d - 1) / block_1d;
	int blocks_2d = (size + block_2d - 1) / block_2d;
	dim3 grid2(blocks_2d, blocks_2d), threads2(block_2d, block_2d);

	create_matrix(a0, size);
	for (int i = 0; i < size; i++)
		b0[i] = 1.0f;
	dev_put(da, a0, nn * sizeof(float));
	dev_put(db, b0, size * sizeof(float));
	for (int t = 0; t < size - 1; t++) {
		Fan1<<<blocks_1d, block_1d>>>(dm, da, size, t);
		Fan2<<<grid2, threads2>>>(dm, da, db, size, t);
		MUSA_OK(musaGetLastError());
	}
	DEV_SYNC();
	dev_get(ga, da, nn * sizeof(float));
	dev_get(gb, db, size * sizeof(float));

	/* the same elimination on the host, in the same order per element */
	memcpy(a, a0, nn * sizeof(float));
	memcpy(b, b0, size * sizeof(float));
	for (int t = 0; t < size - 1; t++) {
		for (int i = t + 1; i < size; i++)
			m[i * size + t] = a[i * size + t] / a[t * size + t];
		for (int i = t + 1; i < size; i++) {
			for (int j = t; j < size; j++)
				a[i * size + j] -= m[i * size + t] * a[t * size + j];
			b[i] -= m[i * size + t] * b[t];
		}
	}
	for (size_t i = 0; i < nn; i++)
		ck_assert_msg(fabsf(ga[i] - a[i]) <= 1e-4f * (1.0f + fabsf(a[i])),
			      "N=%d: a[%zu] = %g, want %g", size, i, (double)ga[i], (double)a[i]);
	for (int i = 0; i < size; i++)
		ck_assert_msg(fabsf(gb[i] - b[i]) <= 1e-4f * (1.0f + fabsf(b[i])),
			      "N=%d: b[%d] = %g, want %g", size, i, (double)gb[i], (double)b[i]);
	/* the elimination left an upper-triangular matrix */
	for (int i = 1; i < size; i++)
		for (int j = 0; j < i; j++)
			ck_assert(fabsf(ga[i * size + j]) <= 1e-3f);

	/* back substitution on the device's result solves the original system */
	back_sub(ga, gb, x, size);
	for (int i = 0; i < size; i++) {
		double r = 0.0;

		for (int j = 0; j < size; j++)
			r += (double)a0[i * size + j] * x[j];
		ck_assert_msg(fabs(r - b0[i]) <= 1e-3, "N=%d: row %d of A x = %g, want %g", size, i,
			      r, (double)b0[i]);
	}
	MUSA_OK(musaFree(da));
	MUSA_OK(musaFree(dm));
	MUSA_OK(musaFree(db));
	free(a);
	free(a0);
	free(m);
	free(b);
	free(b0);
	free(x);
	free(ga);
	free(gb);
}

START_TEST(size_4)
{
	run_gaussian(4, 512, 4);
}
END_TEST

START_TEST(size_100)
{
	run_gaussian(100, 512, 4);
}
END_TEST

START_TEST(size_257_blocks_16)
{
	run_gaussian(257, 64, 16);
}
END_TEST

DEV_TEST_MAIN("ports-gaussian", size_4, size_100, size_257_blocks_16)
