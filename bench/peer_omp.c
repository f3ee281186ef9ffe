/* SPDX-License-Identifier: MIT */
/*
 * peer_omp.c - the OpenMP peer of an empty kernel's launch + sync: an empty
 * `parallel` region of as many threads as the device has compute units,
 * which forks the team, runs nothing and joins it, the least a runtime
 * that hands work to other threads and waits for them can do. Built by
 * the same compiler as the MUSA side's host code, with -fopenmp.
 */
#include <omp.h>
#include <time.h>

#include "bench.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec * 1e-3;
}

double bench_omp_forkjoin_us(int nthreads, int iters)
{
	volatile int sink = 0;
	double t0 = now_us();

	for (int i = 0; i < iters; i++) {
#pragma omp parallel num_threads(nthreads)
		{
			if (omp_get_thread_num() < 0)
				sink = 1;   /* never: the region stays empty */
		}
	}
	(void)sink;
	return (now_us() - t0) / iters;
}

double bench_omp_gauss_ms(float *a, float *b, float *m, int n, int nthreads)
{
	double t0 = now_us();

	for (int t = 0; t < n - 1; t++) {
#pragma omp parallel for num_threads(nthreads)
		for (int i = 0; i < n - 1 - t; i++) {
			int r = i + t + 1;

			m[r * n + t] = a[r * n + t] / a[t * n + t];
		}
#pragma omp parallel for num_threads(nthreads)
		for (int x = 0; x < n - 1 - t; x++) {
			int r = x + t + 1;
			float f = m[r * n + t];

			for (int c = t; c < n; c++)
				a[r * n + c] -= f * a[t * n + c];
			b[r] -= f * b[t];
		}
	}
	return (now_us() - t0) * 1e-3;
}
