/* SPDX-License-Identifier: MIT */
/*
 * test_warp.mu - block barriers with reductions and the warp operations,
 * at the device's warp size: every expectation is computed on the host
 * from the lane numbers, following CUDA's rules (and, on a 128-lane warp,
 * the 32-bit mask convention of compiler-rt/sync.c: bit i of a mask names
 * lane i of every 32-lane sub-group; ballot and activemask report the
 * caller's sub-group). Blocks of 200 threads end in a partial warp at
 * either warp size.
 */
#include "dev_test.h"

#define NT 200

__global__ void k_syncthreads_ops(int *out, int mod)
{
	int t = threadIdx.x;
	int c = __syncthreads_count(t % mod == 0);

	out += blockIdx.x * blockDim.x * 5;  /* each block its own results */
	int a = __syncthreads_and(t < 1000);
	int a0 = __syncthreads_and(t != 7);
	int o = __syncthreads_or(t == 133);
	int o0 = __syncthreads_or(0);

	out[t * 5 + 0] = c;
	out[t * 5 + 1] = a;
	out[t * 5 + 2] = a0;
	out[t * 5 + 3] = o;
	out[t * 5 + 4] = o0;
}

START_TEST(syncthreads_count_and_or)
{
	int *d = (int *)dev_alloc(3 * NT * 5 * sizeof(int)), h[3 * NT * 5], t;

	k_syncthreads_ops<<<3, NT>>>(d, 3);
	DEV_SYNC();
	dev_get(h, d, sizeof(h));
	for (t = 0; t < 3 * NT; t++) {
		ck_assert_int_eq(h[t * 5 + 0], (NT + 2) / 3);  /* per block */
		ck_assert_int_ne(h[t * 5 + 1], 0);
		ck_assert_int_eq(h[t * 5 + 2], 0);
		ck_assert_int_ne(h[t * 5 + 3], 0);
		ck_assert_int_eq(h[t * 5 + 4], 0);
	}
	MUSA_OK(musaFree(d));
}
END_TEST

/* Shuffles of int, float and double, with and without width. */
__global__ void k_shfl(int *oi, float *of, double *od, int *ws, int width)
{
	int t = threadIdx.x, lane = t % warpSize;

	ws[t] = warpSize;
	oi[t * 4 + 0] = __shfl_sync(0xffffffffu, t * 10, 3, width);
	oi[t * 4 + 1] = __shfl_up_sync(0xffffffffu, t * 10, 2, width);
	oi[t * 4 + 2] = __shfl_down_sync(0xffffffffu, t * 10, 5, width);
	oi[t * 4 + 3] = __shfl_xor_sync(0xffffffffu, t * 10, 6, width);
	of[t] = __shfl_down_sync(0xffffffffu, 0.5f * lane, 1);
	od[t] = __shfl_sync(0xffffffffu, 0.25 * t, lane + 1);
}

/* CUDA's source lane of each shuffle, or -1 for "keeps its own value"; a
 * source lane past the block's last thread reads 0. */
static int src_lane(int op, int lane, int arg, int width, int warp)
{
	int seg = lane & ~(width - 1), s;

	(void)warp;
	switch (op) {
	case 0: return seg + (arg & (width - 1));
	case 1: s = lane - arg; return s < seg ? -1 : s;
	case 2: s = lane + arg; return s >= seg + width ? -1 : s;
	default: s = lane ^ arg; return s >= seg + width ? -1 : s;
	}
}

static void check_shfl(int width_arg)
{
	int w = dev_warp_size(), width = width_arg ? width_arg : w, t, op;
	int *di = (int *)dev_alloc(NT * 4 * sizeof(int)), *dws = (int *)dev_alloc(NT * sizeof(int));
	float *df = (float *)dev_alloc(NT * sizeof(float));
	double *dd = (double *)dev_alloc(NT * sizeof(double));
	int hi[NT * 4], hws[NT];
	float hf[NT];
	double hd[NT];

	k_shfl<<<2, NT>>>(di, df, dd, dws, width);
	DEV_SYNC();
	dev_get(hi, di, sizeof(hi));
	dev_get(hf, df, sizeof(hf));
	dev_get(hd, dd, sizeof(hd));
	dev_get(hws, dws, sizeof(hws));
	for (t = 0; t < NT; t++) {
		int base = t - t % w, lane = t % w, nlanes = NT - base < w ? NT - base : w;
		static const int args[4] = {3, 2, 5, 6};

		ck_assert_int_eq(hws[t], w);
		for (op = 0; op < 4; op++) {
			int s = src_lane(op, lane, args[op], width, w);
			int want = s < 0 ? t * 10 : s >= nlanes ? 0 : (base + s) * 10;

			ck_assert_msg(hi[t * 4 + op] == want, "op %d thread %d width %d: %d, want %d",
				      op, t, width, hi[t * 4 + op], want);
		}
		ck_assert(hf[t] == (lane + 1 >= w ? 0.5f * lane : lane + 1 < nlanes ? 0.5f * (lane + 1) : 0.0f));
		ck_assert(hd[t] == ((lane + 1) % w < nlanes ? 0.25 * (base + (lane + 1) % w) : 0.0));
	}
	MUSA_OK(musaFree(di));
	MUSA_OK(musaFree(df));
	MUSA_OK(musaFree(dd));
	MUSA_OK(musaFree(dws));
}

START_TEST(shfl_full_width) { check_shfl(0); }
END_TEST
START_TEST(shfl_width_8) { check_shfl(8); }
END_TEST
START_TEST(shfl_width_16) { check_shfl(16); }
END_TEST

/* The classic warp sum: shfl_down over the warp, lane 0 holds the total. */
__global__ void k_warp_sum(const int *in, int *out)
{
	int v = in[blockIdx.x * blockDim.x + threadIdx.x];
	int o;

	for (o = warpSize / 2; o > 0; o /= 2)
		v += __shfl_down_sync(0xffffffffu, v, o);
	if (threadIdx.x % warpSize == 0)
		out[(blockIdx.x * blockDim.x + threadIdx.x) / warpSize] = v;
}

START_TEST(shfl_down_warp_reduction)
{
	int w = dev_warp_size(), n = 4 * 256, i, nw = n / w;
	int *h = (int *)malloc(n * sizeof(int)), *hs = (int *)calloc(nw, sizeof(int));
	int *din = (int *)dev_alloc(n * sizeof(int)), *dout = (int *)dev_alloc(nw * sizeof(int));

	for (i = 0; i < n; i++)
		h[i] = (i * 7919) % 1000 - 500;
	dev_put(din, h, n * sizeof(int));
	k_warp_sum<<<4, 256>>>(din, dout);
	DEV_SYNC();
	dev_get(hs, dout, nw * sizeof(int));
	for (i = 0; i < nw; i++) {
		int want = 0, j;

		for (j = 0; j < w; j++)
			want += h[i * w + j];
		ck_assert_int_eq(hs[i], want);
	}
	free(h);
	free(hs);
	MUSA_OK(musaFree(din));
	MUSA_OK(musaFree(dout));
}
END_TEST

__global__ void k_votes(unsigned *out, int legacy)
{
	int t = threadIdx.x, lane = t % warpSize;
	int p = (lane % 3 == 0);

	if (legacy) {
		out[t * 6 + 0] = __ballot(p);
		out[t * 6 + 1] = __any(lane == warpSize - 1);
		out[t * 6 + 2] = __all(lane < 1000);
		out[t * 6 + 3] = __all(p);
		out[t * 6 + 4] = __any(0);
		out[t * 6 + 5] = __shfl(t, 1);
		return;
	}
	out[t * 6 + 0] = __ballot_sync(0xffffffffu, p);
	out[t * 6 + 1] = __any_sync(0xffffffffu, lane == warpSize - 1);
	out[t * 6 + 2] = __all_sync(0xffffffffu, lane < 1000);
	out[t * 6 + 3] = __all_sync(0xffffffffu, p);
	out[t * 6 + 4] = __any_sync(0xffffffffu, 0);
	__syncwarp();
	out[t * 6 + 5] = __activemask();
}

static void check_votes(int legacy)
{
	int w = dev_warp_size(), t;
	unsigned *d = (unsigned *)dev_alloc(NT * 6 * sizeof(unsigned)), h[NT * 6];

	k_votes<<<1, NT>>>(d, legacy);
	DEV_SYNC();
	dev_get(h, d, sizeof(h));
	for (t = 0; t < NT; t++) {
		int base = t - t % w, nlanes = NT - base < w ? NT - base : w;
		int sub = t - t % 32, nsub = NT - sub < 32 ? NT - sub : 32, i;
		unsigned ballot = 0, live = 0;

		for (i = 0; i < nsub; i++) {
			live |= 1u << i;
			if (((sub + i) % w) % 3 == 0)
				ballot |= 1u << i;
		}
		ck_assert_msg(h[t * 6 + 0] == ballot, "thread %d ballot %#x want %#x", t,
			      h[t * 6 + 0], ballot);
		ck_assert_uint_eq(h[t * 6 + 1], nlanes == w);
		ck_assert_uint_eq(h[t * 6 + 2], 1);
		ck_assert_uint_eq(h[t * 6 + 3], 0);
		ck_assert_uint_eq(h[t * 6 + 4], 0);
		if (legacy)
			ck_assert_uint_eq(h[t * 6 + 5], (unsigned)(base + (1 < nlanes ? 1 : 0)));
		else
			ck_assert_msg(h[t * 6 + 5] == live, "thread %d activemask %#x want %#x", t,
				      h[t * 6 + 5], live);
	}
	MUSA_OK(musaFree(d));
}

START_TEST(votes_sync) { check_votes(0); }
END_TEST
START_TEST(votes_legacy) { check_votes(1); }
END_TEST

/* A mask naming only some lanes: any/all look at those lanes only. */
__global__ void k_partial_mask(int *out)
{
	int lane = threadIdx.x % warpSize;

	/* even lanes of every sub-group; odd lanes vote 1, even ones 0 */
	out[threadIdx.x * 2 + 0] = __any_sync(0x55555555u, lane & 1);
	out[threadIdx.x * 2 + 1] = __all_sync(0xaaaaaaaau, lane & 1);
}

START_TEST(vote_mask_selects_lanes)
{
	int *d = (int *)dev_alloc(64 * 2 * sizeof(int)), h[64 * 2], t;

	k_partial_mask<<<1, 64>>>(d);
	DEV_SYNC();
	dev_get(h, d, sizeof(h));
	for (t = 0; t < 64; t++) {
		ck_assert_int_eq(h[t * 2 + 0], 0);
		ck_assert_int_eq(h[t * 2 + 1], 1);
	}
	MUSA_OK(musaFree(d));
}
END_TEST

/* A lane that returned early is not waited for and does not vote. */
__global__ void k_early_exit(unsigned *out)
{
	int t = threadIdx.x;

	if (t % 2)
		return;
	out[t] = __ballot_sync(__activemask(), 1);
}

START_TEST(exited_lanes_leave_the_warp)
{
	unsigned *d = (unsigned *)dev_alloc(64 * sizeof(unsigned)), h[64];
	int t;

	k_early_exit<<<1, 64>>>(d);
	DEV_SYNC();
	dev_get(h, d, sizeof(h));
	for (t = 0; t < 64; t += 2)
		ck_assert_uint_eq(h[t], 0x55555555u);
	MUSA_OK(musaFree(d));
}
END_TEST

/*
 * The per-warp sums of a block scanned by the first few lanes of warp 0,
 * with a mask naming only them, while every other thread of the block
 * already waits at the __syncthreads() after the branch (cuda-samples
 * shfl_scan's pattern); a ballot over the same lanes alongside.
 */
__global__ void k_masked_scan_of_warp_sums(int *out, unsigned *votes)
{
	__shared__ int sums[32];
	int lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize;
	int nwarps = blockDim.x / warpSize, i;
	int value = 1;

	for (i = 1; i < warpSize; i *= 2) {
		int n = __shfl_up_sync(0xffffffffu, value, i);

		if (lane >= i)
			value += n;
	}
	if (lane == warpSize - 1)
		sums[warp] = value;
	__syncthreads();
	if (warp == 0 && lane < nwarps) {
		unsigned mask = (1u << nwarps) - 1;
		int s = sums[lane];

		for (i = 1; i <= nwarps; i *= 2) {
			int n = __shfl_up_sync(mask, s, i, nwarps);

			if (lane >= i)
				s += n;
		}
		votes[lane] = __ballot_sync(mask, lane % 2 == 0);
		sums[lane] = s;
	}
	__syncthreads();
	out[blockIdx.x * blockDim.x + threadIdx.x] = value + (warp > 0 ? sums[warp - 1] : 0);
}

START_TEST(masked_shuffle_beside_a_barrier)
{
	int ws = dev_warp_size(), nt = ws * 8 <= 1024 ? ws * 8 : ws * 4;
	int nw = nt / ws, n = 2 * nt, *h = (int *)malloc(n * sizeof(int)), t;
	int *d = (int *)dev_alloc(n * sizeof(int));
	unsigned *dv = (unsigned *)dev_alloc(32 * sizeof(unsigned)), hv[32];

	k_masked_scan_of_warp_sums<<<2, nt>>>(d, dv);
	DEV_SYNC();
	dev_get(h, d, n * sizeof(int));
	dev_get(hv, dv, nw * sizeof(unsigned));
	for (t = 0; t < n; t++)
		ck_assert_int_eq(h[t], t % nt + 1);
	for (t = 0; t < nw; t++)
		ck_assert_uint_eq(hv[t], 0x55555555u & ((1u << nw) - 1));
	free(h);
	MUSA_OK(musaFree(d));
	MUSA_OK(musaFree(dv));
}
END_TEST

DEV_TEST_MAIN("device_warp", syncthreads_count_and_or, shfl_full_width, shfl_width_8,
	      shfl_width_16, shfl_down_warp_reduction, votes_sync, votes_legacy,
	      vote_mask_selects_lanes, exited_lanes_leave_the_warp,
	      masked_shuffle_beside_a_barrier)
