/* SPDX-License-Identifier: MIT */
/*
 * peer_cloop.c - the hand-written C loop vectorAdd is measured against: what
 * a programmer would write for the same job on the same cores without a GPU
 * model. nthreads persistent pthreads (one per compute unit, started once,
 * as the device's CU workers are) take blocks of `block` elements from a
 * shared counter, as many at a time as the CUs take work-groups (one take
 * per 32 of a thread's share, 1 to 16 blocks), and run a plain loop over
 * them. A run is timed from releasing the threads to the last one
 * done, so thread start-up is outside the figure just as the CU pool's is;
 * runs are started one at a time so the bench can interleave them with the
 * MUSA runs (shared, noisy machines shift both sides alike).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

struct bench_cloop {
	pthread_mutex_t setup;         /* held until the barriers are sized */
	pthread_barrier_t start, done;
	atomic_long next;
	int quit;
	const float *a, *b;
	float *c;
	long n, block, blocks;
	long batch;                    /* blocks per take, as the CUs batch */
	pthread_t *th;
	int started;
};

static void vadd_block(const float *a, const float *b, float *c, long lo, long hi)
{
	for (long i = lo; i < hi; i++)
		c[i] = a[i] + b[i];
}

static void *cloop_worker(void *arg)
{
	struct bench_cloop *l = arg;

	pthread_mutex_lock(&l->setup);
	pthread_mutex_unlock(&l->setup);
	for (;;) {
		pthread_barrier_wait(&l->start);
		if (l->quit)
			return NULL;
		for (;;) {
			long g = atomic_fetch_add_explicit(&l->next, l->batch, memory_order_relaxed);
			long lo = g * l->block, hi = lo + l->batch * l->block;

			if (g >= l->blocks)
				break;
			vadd_block(l->a, l->b, l->c, lo, hi < l->n ? hi : l->n);
		}
		pthread_barrier_wait(&l->done);
	}
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

struct bench_cloop *bench_cloop_open(const float *a, const float *b, float *c, int n,
				     int block, int nthreads)
{
	struct bench_cloop *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->th = calloc((size_t)nthreads, sizeof(*l->th));
	if (!l->th) {
		free(l);
		return NULL;
	}
	l->a = a;
	l->b = b;
	l->c = c;
	l->n = n;
	l->block = block;
	l->blocks = (n + block - 1) / block;
	l->batch = l->blocks / ((long)nthreads * 32);
	l->batch = l->batch < 1 ? 1 : l->batch > 16 ? 16 : l->batch;
	/* The barriers count the threads that did start, so a failed
	 * pthread_create still lets the others be released and joined. */
	pthread_mutex_init(&l->setup, NULL);
	pthread_mutex_lock(&l->setup);
	for (; l->started < nthreads; l->started++)
		if (pthread_create(&l->th[l->started], NULL, cloop_worker, l) != 0)
			break;
	pthread_barrier_init(&l->start, NULL, (unsigned)l->started + 1);
	pthread_barrier_init(&l->done, NULL, (unsigned)l->started + 1);
	pthread_mutex_unlock(&l->setup);
	if (l->started != nthreads) {
		fprintf(stderr, "C loop: cannot start thread %d\n", l->started);
		bench_cloop_close(l);
		return NULL;
	}
	return l;
}

double bench_cloop_run(struct bench_cloop *l)
{
	double t0 = now_ms();

	atomic_store(&l->next, 0);
	pthread_barrier_wait(&l->start);
	pthread_barrier_wait(&l->done);
	return now_ms() - t0;
}

void bench_cloop_close(struct bench_cloop *l)
{
	l->quit = 1;
	pthread_barrier_wait(&l->start);
	for (int i = 0; i < l->started; i++)
		pthread_join(l->th[i], NULL);
	pthread_barrier_destroy(&l->start);
	pthread_barrier_destroy(&l->done);
	pthread_mutex_destroy(&l->setup);
	free(l->th);
	free(l);
}
