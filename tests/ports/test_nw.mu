/* SPDX-License-Identifier: MIT */
/*
 * test_nw.mu - the job of Rodinia's nw: Needleman-Wunsch global alignment
 * scores. The (n+1)^2 score matrix is filled in 16x16 blocks along
 * anti-diagonals of blocks: one kernel for the upper-left triangle of the
 * block matrix, one for the lower-right. Inside a block, 16 threads sweep
 * the cells' anti-diagonals in static shared memory with a barrier per
 * diagonal. The gap penalty is a __device__ global set with
 * musaMemcpyToSymbol, and the cell rule is a __device__ function.
 * Integer scores, so the device matrix must equal the host's exactly.
 */
#include "port_test.h"

#define BS 16

__device__ int d_penalty;

__device__ int maximum3(int a, int b, int c)
{
	int k = a <= b ? b : a;

	return k <= c ? c : k;
}

/* Fills block (bx, by) of the score matrix (cols = row length in cells,
 * including the border column). temp holds the block plus its north and
 * west borders, ref its similarity scores. */
__device__ void nw_block(int *ref_g, int *items, int cols, int bx, int by,
			 int (*temp)[BS + 1], int (*ref)[BS])
{
	int tx = threadIdx.x;
	int corner = cols * BS * by + BS * bx;          /* north-west of the block */
	int index = corner + tx + cols + 1;
	int penalty = d_penalty;

	if (tx == 0)
		temp[0][0] = items[corner];
	for (int ty = 0; ty < BS; ty++)
		ref[ty][tx] = ref_g[index + cols * ty];
	temp[tx + 1][0] = items[corner + cols * (tx + 1)];   /* west border */
	temp[0][tx + 1] = items[corner + tx + 1];            /* north border */
	__syncthreads();

	/* upper-left half of the block's anti-diagonals, growing */
	for (int m = 0; m < BS; m++) {
		if (tx <= m) {
			int x = tx + 1, y = m - tx + 1;

			temp[y][x] = maximum3(temp[y - 1][x - 1] + ref[y - 1][x - 1],
					      temp[y][x - 1] - penalty, temp[y - 1][x] - penalty);
		}
		__syncthreads();
	}
	/* lower-right half, shrinking */
	for (int m = BS - 2; m >= 0; m--) {
		if (tx <= m) {
			int x = tx + BS - m, y = BS - tx;

			temp[y][x] = maximum3(temp[y - 1][x - 1] + ref[y - 1][x - 1],
					      temp[y][x - 1] - penalty, temp[y - 1][x] - penalty);
		}
		__syncthreads();
	}
	for (int ty = 0; ty < BS; ty++)
		items[index + cols * ty] = temp[ty + 1][tx + 1];
}

/* Diagonal i (1-based) of the upper-left triangle: i blocks. */
__global__ void needle_1(int *ref_g, int *items, int cols, int i)
{
	__shared__ int temp[BS + 1][BS + 1];
	__shared__ int ref[BS][BS];

	nw_block(ref_g, items, cols, blockIdx.x, i - 1 - blockIdx.x, temp, ref);
}

/* Diagonal i (counting down) of the lower-right triangle of bw blocks per side. */
__global__ void needle_2(int *ref_g, int *items, int cols, int i, int bw)
{
	__shared__ int temp[BS + 1][BS + 1];
	__shared__ int ref[BS][BS];

	nw_block(ref_g, items, cols, blockIdx.x + bw - i, bw - blockIdx.x - 1, temp, ref);
}

static void run_nw(int n, int penalty)
{
	int cols = n + 1, bw = n / BS;
	size_t cells = (size_t)cols * cols, bytes = cells * sizeof(int);
	int *items = (int *)calloc(cells, sizeof(int)), *ref = (int *)calloc(cells, sizeof(int));
	int *want = (int *)calloc(cells, sizeof(int)), *got = (int *)malloc(bytes);
	int *ditems = (int *)dev_alloc(bytes), *dref = (int *)dev_alloc(bytes);
	unsigned seed = 99u + (unsigned)n;
	int i, j;

	/* similarity scores of two random sequences (a BLOSUM-like range) */
	for (i = 1; i < cols; i++)
		for (j = 1; j < cols; j++)
			ref[i * cols + j] = (int)(port_rand(&seed) % 15) - 4;
	for (i = 0; i < cols; i++) {
		items[i * cols] = -i * penalty;
		items[i] = -i * penalty;
	}
	memcpy(want, items, bytes);
	for (i = 1; i < cols; i++)
		for (j = 1; j < cols; j++) {
			int d = want[(i - 1) * cols + j - 1] + ref[i * cols + j];
			int w = want[i * cols + j - 1] - penalty, no = want[(i - 1) * cols + j] - penalty;
			int k = d > w ? d : w;

			want[i * cols + j] = k > no ? k : no;
		}

	MUSA_OK(musaMemcpyToSymbol(d_penalty, &penalty, sizeof(int)));
	dev_put(ditems, items, bytes);
	dev_put(dref, ref, bytes);
	for (i = 1; i <= bw; i++)
		needle_1<<<i, BS>>>(dref, ditems, cols, i);
	for (i = bw - 1; i >= 1; i--)
		needle_2<<<i, BS>>>(dref, ditems, cols, i, bw);
	DEV_SYNC();
	dev_get(got, ditems, bytes);
	for (i = 0; i < cols; i++)
		for (j = 0; j < cols; j++)
			ck_assert_msg(got[i * cols + j] == want[i * cols + j],
				      "n=%d: score[%d][%d] = %d, want %d", n, i, j,
				      got[i * cols + j], want[i * cols + j]);
	MUSA_OK(musaFree(ditems));
	MUSA_OK(musaFree(dref));
	free(items);
	free(ref);
	free(want);
	free(got);
}

START_TEST(align_128_penalty_10)
{
	run_nw(128, 10);
}
END_TEST

START_TEST(align_256_penalty_3)
{
	run_nw(256, 3);
}
END_TEST

START_TEST(one_block)
{
	run_nw(16, 1);
}
END_TEST

DEV_TEST_MAIN("ports-nw", align_128_penalty_10, align_256_penalty_3, one_block)
