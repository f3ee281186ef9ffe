/* SPDX-License-Identifier: MIT */
/*
 * test_atomic_intrinsics.mu - the job of cuda-samples'
 * simpleAtomicIntrinsics: every thread of a grid applies the eleven integer
 * atomics to one word each of a global array, and the host checks each
 * final word against what that operation must leave after all threads ran
 * (in any order). The old values returned by atomicCAS are kept too, so the
 * CAS chain can be checked link by link.
 */
#include <limits.h>

#include "port_test.h"

enum { NBLOCKS = 64, NTHREADS = 256, NWORDS = 11 };

__global__ void atomic_kernel(int *g, int *cas_old)
{
	unsigned tid = blockDim.x * blockIdx.x + threadIdx.x;

	atomicAdd(&g[0], 10);
	atomicExch(&g[1], (int)tid);
	atomicMax(&g[2], (int)tid);
	atomicMin(&g[3], (int)tid);
	atomicInc((unsigned *)&g[4], 17u);
	atomicDec((unsigned *)&g[5], 137u);
	cas_old[tid] = atomicCAS(&g[6], (int)tid - 1, (int)tid);
	atomicAnd(&g[7], 2 * (int)tid + 7);
	atomicOr(&g[8], 1 << (tid % 32));
	atomicXor(&g[9], (int)tid);
	atomicSub(&g[10], 10);
}

START_TEST(eleven_atomics)
{
	const int n = NBLOCKS * NTHREADS;
	int g[NWORDS] = {0, 0, INT_MIN, INT_MAX, 0, 0, 0, 0xff, 0, 0, 0};
	int *cas_old = (int *)malloc(n * sizeof(int));
	int *dg = (int *)dev_alloc(sizeof(g)), *dcas = (int *)dev_alloc(n * sizeof(int));
	int want_and = 0xff, want_or = 0, want_xor = 0, i, v;

	dev_put(dg, g, sizeof(g));
	atomic_kernel<<<NBLOCKS, NTHREADS>>>(dg, dcas);
	DEV_SYNC();
	dev_get(g, dg, sizeof(g));
	dev_get(cas_old, dcas, n * sizeof(int));
	for (i = 0; i < n; i++) {
		want_and &= 2 * i + 7;
		want_or |= 1 << (i % 32);
		want_xor ^= i;
	}
	ck_assert_int_eq(g[0], 10 * n);
	ck_assert(g[1] >= 0 && g[1] < n);              /* the last exchange wins */
	ck_assert_int_eq(g[2], n - 1);
	ck_assert_int_eq(g[3], 0);
	/* inc wraps to 0 after 17: n increments from 0 leave n mod 18 */
	ck_assert_uint_eq((unsigned)g[4], (unsigned)(n % 18));
	/* dec wraps from 0 to 137: n decrements from 0 leave (-n) mod 138 */
	ck_assert_uint_eq((unsigned)g[5], (unsigned)((138 - n % 138) % 138));
	/* CAS: the final value is a thread whose compare saw its predecessor,
	 * and so on down the chain to 0, which nobody replaced before thread 1 */
	ck_assert(g[6] >= 0 && g[6] < n);
	for (v = g[6]; v > 0; v--)
		ck_assert_int_eq(cas_old[v], v - 1);
	ck_assert_int_eq(g[7], want_and);
	ck_assert_int_eq(g[8], want_or);
	ck_assert_int_eq(g[9], want_xor);
	ck_assert_int_eq(g[10], -10 * n);
	MUSA_OK(musaFree(dg));
	MUSA_OK(musaFree(dcas));
	free(cas_old);
}
END_TEST

DEV_TEST_MAIN("ports-simpleAtomicIntrinsics", eleven_atomics)
