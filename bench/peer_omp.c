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
