/* SPDX-License-Identifier: MIT */
/*
 * test_atomics.mu - every atomic function on global and shared memory, in
 * the three scopes, hammered by many blocks at once (blocks run on several
 * compute-unit threads concurrently), and __threadfence in the last-block
 * reduction pattern.
 */
#include "dev_test.h"

#define BLOCKS 64
#define THREADS 128
#define N (BLOCKS * THREADS)

struct counters {
	int add_i, sub_i, min_i, max_i, and_i, or_i, xor_i;
	unsigned add_u, sub_u, min_u, max_u, inc_u, dec_u, cas_u, and_u, or_u, xor_u;
	unsigned long long add_ull, min_ull, max_ull, cas_ull, and_ull, or_ull, xor_ull;
	long long min_ll, max_ll;
	float add_f;
	double add_d;
	unsigned short cas_us;
	unsigned short pad;
	int cas_i;
};

__global__ void k_global(struct counters *c)
{
	int t = blockIdx.x * blockDim.x + threadIdx.x;
	unsigned old;
	int oi;
	unsigned long long oull;
	unsigned short ous;

	atomicAdd(&c->add_i, 3);
	atomicSub_block(&c->sub_i, 2);
	atomicMin(&c->min_i, 1000 - t);
	atomicMax_system(&c->max_i, t - 5000);
	atomicAnd(&c->and_i, ~(1 << (t % 31)));
	atomicOr_block(&c->or_i, 1 << (t % 31));
	atomicXor(&c->xor_i, t);
	atomicAdd_system(&c->add_u, 2u);
	atomicSub(&c->sub_u, 1u);
	atomicMin_block(&c->min_u, (unsigned)(t + 17));
	atomicMax(&c->max_u, (unsigned)t * 3u);
	atomicInc(&c->inc_u, 9u);
	atomicDec_system(&c->dec_u, 9u);
	atomicAnd_system(&c->and_u, ~(1u << (t % 32)));
	atomicOr(&c->or_u, 1u << (t % 32));
	atomicXor_block(&c->xor_u, (unsigned)t * 2654435761u);
	atomicAdd(&c->add_ull, (1ull << 33) + 1ull);
	atomicMin(&c->min_ull, 0xffffffff00000000ull - (unsigned long long)t);
	atomicMax_block(&c->max_ull, (unsigned long long)t << 32);
	atomicAnd_block(&c->and_ull, ~(1ull << (t % 64)));
	atomicOr_system(&c->or_ull, 1ull << (t % 64));
	atomicXor(&c->xor_ull, (unsigned long long)t << 20);
	atomicMin_system(&c->min_ll, -(long long)t * 1000000000ll);
	atomicMax(&c->max_ll, (long long)t * 1000000000ll);
	atomicAdd(&c->add_f, 1.0f);
	atomicAdd_block(&c->add_d, 0.5);
	/* counters built from compare-and-swap loops */
	old = atomicAdd(&c->cas_u, 0u);
	for (;;) {
		unsigned seen = atomicCAS(&c->cas_u, old, old + 1u);

		if (seen == old)
			break;
		old = seen;
	}
	oi = atomicAdd(&c->cas_i, 0);
	for (;;) {
		int seen = atomicCAS_system(&c->cas_i, oi, oi + 1);

		if (seen == oi)
			break;
		oi = seen;
	}
	oull = atomicAdd(&c->cas_ull, 0ull);
	for (;;) {
		unsigned long long seen = atomicCAS(&c->cas_ull, oull, oull + 7ull);

		if (seen == oull)
			break;
		oull = seen;
	}
	ous = atomicCAS(&c->cas_us, (unsigned short)0xffff, (unsigned short)0xffff);
	for (;;) {
		unsigned short seen = atomicCAS(&c->cas_us, ous, (unsigned short)(ous + 1u));

		if (seen == ous)
			break;
		ous = seen;
	}
}

START_TEST(global_atomics_all_types_and_scopes)
{
	struct counters h, *d = (struct counters *)dev_alloc(sizeof(h));
	unsigned xu = 0, i;
	int xi = 0;
	unsigned long long xull = 0;

	memset(&h, 0, sizeof(h));
	h.min_i = 1 << 30;
	h.max_i = -(1 << 30);
	h.and_i = -1;
	h.sub_u = N + 5;
	h.min_u = ~0u;
	h.and_u = ~0u;
	h.min_ull = ~0ull;
	h.and_ull = ~0ull;
	h.dec_u = 0;
	dev_put(d, &h, sizeof(h));
	k_global<<<BLOCKS, THREADS>>>(d);
	DEV_SYNC();
	dev_get(&h, d, sizeof(h));
	for (i = 0; i < N; i++) {
		xi ^= (int)i;
		xu ^= i * 2654435761u;
		xull ^= (unsigned long long)i << 20;
	}
	ck_assert_int_eq(h.add_i, 3 * N);
	ck_assert_int_eq(h.sub_i, -2 * N);
	ck_assert_int_eq(h.min_i, 1000 - (N - 1));
	ck_assert_int_eq(h.max_i, N - 1 - 5000);
	ck_assert_int_eq(h.and_i, (int)0x80000000u);
	ck_assert_int_eq(h.or_i, 0x7fffffff);
	ck_assert_int_eq(h.xor_i, xi);
	ck_assert_uint_eq(h.add_u, 2u * N);
	ck_assert_uint_eq(h.sub_u, 5u);
	ck_assert_uint_eq(h.min_u, 17u);
	ck_assert_uint_eq(h.max_u, 3u * (N - 1));
	/* inc wraps to 0 after 9; dec goes 0 -> 9 -> 8 ... */
	ck_assert_uint_eq(h.inc_u, N % 10);
	ck_assert_uint_eq(h.dec_u, (10 - N % 10) % 10);
	ck_assert_uint_eq(h.and_u, 0u);
	ck_assert_uint_eq(h.or_u, ~0u);
	ck_assert_uint_eq(h.xor_u, xu);
	ck_assert(h.add_ull == (unsigned long long)N * ((1ull << 33) + 1ull));
	ck_assert(h.min_ull == 0xffffffff00000000ull - (N - 1));
	ck_assert(h.max_ull == (unsigned long long)(N - 1) << 32);
	ck_assert(h.and_ull == 0ull && h.or_ull == ~0ull && h.xor_ull == xull);
	ck_assert(h.min_ll == -(long long)(N - 1) * 1000000000ll);
	ck_assert(h.max_ll == (long long)(N - 1) * 1000000000ll);
	ck_assert(h.add_f == (float)N);
	ck_assert(h.add_d == 0.5 * N);
	ck_assert_uint_eq(h.cas_u, N);
	ck_assert_int_eq(h.cas_i, N);
	ck_assert(h.cas_ull == 7ull * N);
	ck_assert_uint_eq(h.cas_us, N % 65536);
	MUSA_OK(musaFree(d));
}
END_TEST

/* Exchange hands every value on exactly once: the old values returned plus
 * the final one are the initial value and all the thread ids. */
__global__ void k_exch(int *slot, int *olds, float *fslot, float *folds, unsigned long long *uslot,
		       unsigned long long *uolds)
{
	int t = blockIdx.x * blockDim.x + threadIdx.x;

	olds[t] = atomicExch(slot, t);
	folds[t] = atomicExch_block(fslot, (float)t);
	uolds[t] = atomicExch_system(uslot, (unsigned long long)t << 32);
}

START_TEST(exchange_passes_each_value_once)
{
	int *ds = (int *)dev_alloc(sizeof(int)), *dol = (int *)dev_alloc(N * sizeof(int));
	float *dfs = (float *)dev_alloc(sizeof(float)), *dfo = (float *)dev_alloc(N * sizeof(float));
	unsigned long long *dus = (unsigned long long *)dev_alloc(8);
	unsigned long long *duo = (unsigned long long *)dev_alloc(N * 8);
	int *olds = (int *)malloc(N * sizeof(int)), last, i;
	float *folds = (float *)malloc(N * sizeof(float)), flast;
	unsigned long long *uolds = (unsigned long long *)malloc(N * 8), ulast;
	char *seen = (char *)calloc(N + 1, 3);
	int init = -1;
	float finit = -1.0f;

	dev_put(ds, &init, sizeof(init));
	dev_put(dfs, &finit, sizeof(finit));
	k_exch<<<BLOCKS, THREADS>>>(ds, dol, dfs, dfo, dus, duo);
	DEV_SYNC();
	dev_get(olds, dol, N * sizeof(int));
	dev_get(&last, ds, sizeof(last));
	dev_get(folds, dfo, N * sizeof(float));
	dev_get(&flast, dfs, sizeof(flast));
	dev_get(uolds, duo, N * 8);
	dev_get(&ulast, dus, 8);
	for (i = 0; i < N; i++) {
		seen[olds[i] + 1]++;
		seen[(N + 1) + (int)folds[i] + 1]++;
		seen[2 * (N + 1) + (uolds[i] ? (int)(uolds[i] >> 32) + 1 : 0)]++;
	}
	seen[last + 1]++;
	seen[(N + 1) + (int)flast + 1]++;
	seen[2 * (N + 1) + (int)(ulast >> 32) + 1]++;
	/* the unsigned slot started at 0, the same value thread 0 writes */
	seen[2 * (N + 1)]--;
	seen[2 * (N + 1) + 1]++;
	for (i = 0; i < 3 * (N + 1); i++)
		ck_assert_msg(seen[i] == 1, "value slot %d seen %d times", i, seen[i]);
	free(olds);
	free(folds);
	free(uolds);
	free(seen);
	MUSA_OK(musaFree(ds));
	MUSA_OK(musaFree(dol));
	MUSA_OK(musaFree(dfs));
	MUSA_OK(musaFree(dfo));
	MUSA_OK(musaFree(dus));
	MUSA_OK(musaFree(duo));
}
END_TEST

/* A histogram in shared memory, merged into global memory: shared-memory
 * atomics among a block's threads, global ones among blocks. */
#define BINS 16
__global__ void k_hist(const unsigned char *in, unsigned *hist, unsigned *maxv)
{
	__shared__ unsigned bins[BINS];
	__shared__ unsigned smax;
	int t = blockIdx.x * blockDim.x + threadIdx.x;

	if (threadIdx.x < BINS)
		bins[threadIdx.x] = 0;
	if (threadIdx.x == 0)
		smax = 0;
	__syncthreads();
	atomicAdd_block(&bins[in[t] % BINS], 1u);
	atomicMax_block(&smax, in[t]);
	__syncthreads();
	if (threadIdx.x < BINS)
		atomicAdd(&hist[threadIdx.x], bins[threadIdx.x]);
	if (threadIdx.x == 0)
		atomicMax(maxv, smax);
}

START_TEST(shared_memory_histogram)
{
	unsigned char *h = (unsigned char *)malloc(N), *din = (unsigned char *)dev_alloc(N);
	unsigned *dh = (unsigned *)dev_alloc(BINS * sizeof(unsigned)), *dm = (unsigned *)dev_alloc(4);
	unsigned hist[BINS], want[BINS] = {0}, mx, wmax = 0;
	int i;

	for (i = 0; i < N; i++) {
		h[i] = (unsigned char)((i * 37 + (i >> 3)) % 251);
		want[h[i] % BINS]++;
		wmax = h[i] > wmax ? h[i] : wmax;
	}
	dev_put(din, h, N);
	k_hist<<<BLOCKS, THREADS>>>(din, dh, dm);
	DEV_SYNC();
	dev_get(hist, dh, sizeof(hist));
	dev_get(&mx, dm, 4);
	for (i = 0; i < BINS; i++)
		ck_assert_uint_eq(hist[i], want[i]);
	ck_assert_uint_eq(mx, wmax);
	free(h);
	MUSA_OK(musaFree(din));
	MUSA_OK(musaFree(dh));
	MUSA_OK(musaFree(dm));
}
END_TEST

/* CUDA's threadFenceReduction: each block publishes a partial sum, fences,
 * and takes a ticket; the block with the last ticket sums the partials. */
__global__ void k_fence_sum(const int *in, volatile int *partial, unsigned *ticket, int *total)
{
	__shared__ int sum;
	__shared__ int last;
	int t = blockIdx.x * blockDim.x + threadIdx.x;

	if (threadIdx.x == 0)
		sum = 0;
	__syncthreads();
	atomicAdd(&sum, in[t]);
	__syncthreads();
	if (threadIdx.x == 0) {
		partial[blockIdx.x] = sum;
		__threadfence();
		last = atomicInc(ticket, gridDim.x) == gridDim.x - 1;
	}
	__syncthreads();
	if (last && threadIdx.x == 0) {
		int s = 0;
		unsigned b;

		__threadfence_block();
		for (b = 0; b < gridDim.x; b++)
			s += partial[b];
		*total = s;
		__threadfence_system();
	}
}

START_TEST(threadfence_last_block_reduction)
{
	int *h = (int *)malloc(N * sizeof(int)), want = 0, got, i;
	int *din = (int *)dev_alloc(N * sizeof(int)), *dp = (int *)dev_alloc(BLOCKS * sizeof(int));
	int *dt = (int *)dev_alloc(sizeof(int));
	unsigned *dk = (unsigned *)dev_alloc(sizeof(unsigned)), ticket;

	for (i = 0; i < N; i++) {
		h[i] = i % 1000 - 300;
		want += h[i];
	}
	dev_put(din, h, N * sizeof(int));
	k_fence_sum<<<BLOCKS, THREADS>>>(din, dp, dk, dt);
	DEV_SYNC();
	dev_get(&got, dt, sizeof(got));
	dev_get(&ticket, dk, sizeof(ticket));
	ck_assert_int_eq(got, want);
	ck_assert_uint_eq(ticket, BLOCKS); /* wraps only past gridDim.x */
	free(h);
	MUSA_OK(musaFree(din));
	MUSA_OK(musaFree(dp));
	MUSA_OK(musaFree(dt));
	MUSA_OK(musaFree(dk));
}
END_TEST

DEV_TEST_MAIN("device_atomics", global_atomics_all_types_and_scopes,
	      exchange_passes_each_value_once, shared_memory_histogram,
	      threadfence_last_block_reduction)
