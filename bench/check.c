/* SPDX-License-Identifier: MIT */
/*
 * check.c - the host references every benchmark result is checked against,
 * whoever computed it (MUSA, the C loop, POCL). A wrong result fails the
 * bench: a fast wrong answer is not a figure.
 */
#include <math.h>
#include <stdio.h>

#include "bench.h"

int bench_check_vadd(const char *who, const float *c, int n)
{
	for (int i = 0; i < n; i++) {
		float want = bench_vadd_a(i) + bench_vadd_b(i);

		if (c[i] != want) {
			fprintf(stderr, "%s vectorAdd: c[%d] = %g, want %g\n", who, i, c[i], want);
			return -1;
		}
	}
	return 0;
}

/* A sparse grid of elements against a double-precision dot product: the
 * full reference would cost more than the benchmark. */
int bench_check_mm(const char *who, const float *A, const float *B, const float *C, int n)
{
	for (int r = 0; r < n; r += 37) {
		for (int col = 0; col < n; col += 29) {
			double ref = 0;

			for (int k = 0; k < n; k++)
				ref += (double)A[r * n + k] * B[k * n + col];
			if (fabs(ref - C[r * n + col]) > 1e-4 * fabs(ref) + 1e-4) {
				fprintf(stderr, "%s matrixMul: C[%d][%d] = %g, want %g\n", who, r, col,
					C[r * n + col], ref);
				return -1;
			}
		}
	}
	return 0;
}

/* Every partial exactly: the inputs are small integers, so each group's
 * sum is exact in float whatever order the tree adds in. */
int bench_check_red(const char *who, const float *partial, int groups)
{
	const int per = 2 * BENCH_RED_BLOCK;

	for (int g = 0; g < groups; g++) {
		double want = 0;

		for (int i = g * per; i < (g + 1) * per; i++)
			want += bench_red_in(i);
		if (partial[g] != (float)want) {
			fprintf(stderr, "%s reduction: partial[%d] = %g, want %g\n", who, g,
				partial[g], want);
			return -1;
		}
	}
	return 0;
}
