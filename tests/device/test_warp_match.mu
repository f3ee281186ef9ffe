/* SPDX-License-Identifier: MIT */
/*
 * test_warp_match.mu - __match_any_sync / __match_all_sync for every value
 * type, __reduce_*_sync with full and partial masks, and __nanosleep
 * letting a spinning thread's group run. Masks have 32 bits: bit i names
 * lane i of the caller's 32-lane sub-group at either warp size (32, or 128
 * on mp_21), so every expectation is computed per sub-group of 32 block
 * ranks. Blocks of 200 threads end in a partial sub-group.
 */
#include "dev_test.h"

#define NT 200
#define NR 16

__global__ void k_match_reduce(unsigned *out)
{
	unsigned t = threadIdx.x, half = (t % 32u) < 16u ? 0x0000ffffu : 0xffff0000u;
	unsigned *o = out + t * NR;
	int p = -1, q = -1;

	o[0] = __match_any_sync(0xffffffffu, (int)(t % 5u));
	o[1] = __match_any_sync(0xffffffffu, (float)(t % 3u) * 0.5f);
	o[2] = __match_any_sync(0xffffffffu, (unsigned long long)(t % 7u) << 40);
	o[3] = __match_any_sync(half, (double)(t / 8u));
	o[4] = __match_all_sync(0xffffffffu, 42ll, &p);
	o[5] = (unsigned)p;
	o[6] = __match_all_sync(0xffffffffu, (unsigned)(t == 3u), &q);
	o[7] = (unsigned)q;
	o[8] = __reduce_add_sync(0xffffffffu, t * 1000003u);
	o[9] = (unsigned)__reduce_add_sync(half, -(int)t);
	o[10] = __reduce_min_sync(0xffffffffu, t ^ 0x15u);
	o[11] = (unsigned)__reduce_min_sync(half, (int)t - 100);
	o[12] = __reduce_max_sync(0xffffffffu, t * 7u % 31u);
	o[13] = (unsigned)__reduce_max_sync(half, 50 - (int)t);
	o[14] = __reduce_and_sync(0xffffffffu, ~(1u << (t % 32u))) ^ __reduce_or_sync(half, 1u << (t % 29u));
	o[15] = __reduce_xor_sync(0xffffffffu, t * 0x9e3779b9u);
}

/* The block ranks of t's sub-group that are in mask and in the block. */
static unsigned members(unsigned t, unsigned mask)
{
	unsigned base = t & ~31u, k, m = 0;

	for (k = 0; k < 32; k++)
		if ((mask >> k) & 1u && base + k < NT)
			m |= 1u << k;
	return m;
}

START_TEST(match_and_reduce_per_sub_group)
{
	unsigned *d = (unsigned *)dev_alloc(NT * NR * sizeof(unsigned)), h[NT * NR];
	unsigned t, k;

	k_match_reduce<<<1, NT>>>(d);
	DEV_SYNC();
	dev_get(h, d, sizeof(h));
	for (t = 0; t < NT; t++) {
		unsigned base = t & ~31u, half = (t % 32u) < 16u ? 0x0000ffffu : 0xffff0000u;
		unsigned all = members(t, ~0u), hm = members(t, half), w[NR] = {0};
		int first = 1, first_h = 1;

		for (k = 0; k < 32; k++) {
			unsigned u = base + k, bit = 1u << k;

			if (!(all & bit))
				continue;
			w[0] |= u % 5u == t % 5u ? bit : 0;
			w[1] |= u % 3u == t % 3u ? bit : 0;
			w[2] |= u % 7u == t % 7u ? bit : 0;
			w[8] += u * 1000003u;
			w[10] = first || (u ^ 0x15u) < w[10] ? u ^ 0x15u : w[10];
			w[12] = first || u * 7u % 31u > w[12] ? u * 7u % 31u : w[12];
			w[14] = (first ? ~0u : w[14]) & ~(1u << (u % 32u));
			w[15] ^= u * 0x9e3779b9u;
			first = 0;
			if (!(hm & bit))
				continue;
			w[3] |= u / 8u == t / 8u ? bit : 0;
			w[9] += (unsigned)-(int)u;
			w[11] = first_h || (int)u - 100 < (int)w[11] ? (unsigned)((int)u - 100) : w[11];
			w[13] = first_h || 50 - (int)u > (int)w[13] ? (unsigned)(50 - (int)u) : w[13];
			w[7] |= 1u << (u % 29u);   /* the OR, folded into [14] below */
			first_h = 0;
		}
		w[14] ^= w[7];
		w[4] = 0xffffffffu;
		w[5] = 1;
		/* only t == 3 differs, and only in sub-group 0 */
		w[6] = base == 0 ? 0u : 0xffffffffu;
		w[7] = base != 0;
		for (k = 0; k < NR; k++)
			ck_assert_msg(h[t * NR + k] == w[k], "thread %u result %u: %#x, want %#x", t, k,
				      h[t * NR + k], w[k]);
	}
	MUSA_OK(musaFree(d));
}
END_TEST

/* Thread 0 waits for a flag thread NT-1 sets: on a GPU its warp would be
 * scheduled meanwhile; here __nanosleep must let the other fibers run. */
__global__ void k_spin(int *out)
{
	__shared__ volatile int flag;
	int spins = 0;

	if (threadIdx.x == 0)
		flag = 0;
	__syncwarp();
	if (threadIdx.x == 0) {
		while (!flag) {
			__nanosleep(100);
			spins++;
		}
		out[0] = spins > 0;
	} else if (threadIdx.x == blockDim.x - 1) {
		flag = 1;
	}
}

START_TEST(nanosleep_lets_the_group_run)
{
	int *d = (int *)dev_alloc(sizeof(int)), h = 0;

	k_spin<<<1, NT>>>(d);
	DEV_SYNC();
	dev_get(&h, d, sizeof(h));
	ck_assert_int_eq(h, 1);
	MUSA_OK(musaFree(d));
}
END_TEST

DEV_TEST_MAIN("warp_match", match_and_reduce_per_sub_group, nanosleep_lets_the_group_run)
