/* SPDX-License-Identifier: MIT */
/*
 * peer_omp.c - the OpenMP peer of an empty kernel's launch + sync: an empty
 * `parallel` region of as many threads as the device has compute units,
 * which forks the team, runs nothing and joins it, the least a runtime
 * that hands work to other threads and waits for them can do. Built by
 * the same compiler as the MUSA side's host code, with -fopenmp. Also the
 * peers of the Gaussian elimination (the same two loops per row) and of
 * copies and fills (memcpy / memset of one slice per thread).
 */
#include <omp.h>
#include <string.h>
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

/* Slice [lo, hi) of thread t of n over `bytes`, starting on cache lines. */
static void omp_slice(size_t bytes, int t, int n, size_t *lo, size_t *hi)
{
	size_t lines = (bytes + 63) / 64, q = lines / (size_t)n, r = lines % (size_t)n;
	size_t ut = (size_t)t;

	*lo = (ut * q + (ut < r ? ut : r)) * 64;
	*hi = *lo + (q + (ut < r)) * 64;
	if (*lo > bytes)
		*lo = bytes;
	if (*hi > bytes)
		*hi = bytes;
}

double bench_omp_copy_ms(void *dst, const void *src, size_t bytes, int nthreads)
{
	double t0 = now_us();

#pragma omp parallel num_threads(nthreads)
	{
		size_t lo, hi;

		omp_slice(bytes, omp_get_thread_num(), omp_get_num_threads(), &lo, &hi);
		if (src)
			memcpy((char *)dst + lo, (const char *)src + lo, hi - lo);
		else
			memset((char *)dst + lo, 0x5a, hi - lo);
	}
	return (now_us() - t0) * 1e-3;
}
