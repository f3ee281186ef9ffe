/* SPDX-License-Identifier: MIT */
/*
 * test_coop_groups_ext.mu - cooperative groups under CUDA's header names:
 * scans (tiles within and wider than the warp), meta-group ranks of
 * sub-tiles, match_any on a tile, a thread_block seen as thread_group,
 * coalesced_threads() in a divergent branch (the warp-aggregated atomic
 * pattern) with reduce and scan over it, labeled_partition,
 * invoke_one_broadcast, memcpy_async + wait and grid_group ranks.
 * Expectations are computed on the host from thread ranks; coalesced
 * groups are per 32-lane sub-group at either warp size.
 */
#include "dev_test.h"

#include <cooperative_groups.h>
#include <cooperative_groups/memcpy_async.h>
#include <cooperative_groups/reduce.h>
#include <cooperative_groups/scan.h>

namespace cg = cooperative_groups;

#define NT 256
#define NR 12

__device__ static int sum_group(cg::thread_group g, int v)
{
	__shared__ int tmp[NT];

	tmp[g.thread_rank()] = v;
	g.sync();
	int s = 0;
	for (unsigned i = 0; i < g.size(); i++)
		s += tmp[i];
	g.sync();
	return s;
}

__global__ void k_groups(int *out, int *counter, const int *src)
{
	cg::thread_block cta = cg::this_thread_block();
	cg::thread_block_tile<32> t32 = cg::tiled_partition<32>(cta);
	auto t8 = cg::tiled_partition<8>(t32);
	cg::thread_block_tile<128, cg::thread_block> t128 = cg::tiled_partition<128>(cta);
	__shared__ int copy[NT];
	int r = (int)cta.thread_rank(), *o = out + r * NR;

	o[0] = cg::inclusive_scan(t8, r);
	o[1] = cg::exclusive_scan(t32, r + 1);
	o[2] = cg::exclusive_scan(t128, r, cg::plus<int>());
	o[3] = (int)(t8.meta_group_rank() * 100 + t8.meta_group_size());
	o[4] = (int)t8.match_any(r / 3);
	o[5] = sum_group(cta, 1);
	o[6] = cg::invoke_one_broadcast(t32, [&] { return r * 2 + 1; });
	cg::memcpy_async(cta, copy, src, sizeof(int) * NT);
	cg::wait(cta);
	o[7] = copy[NT - 1 - r];
	o[8] = (int)cg::this_grid().thread_rank() + (int)cg::this_grid().size() * 1000;
	o[9] = cg::reduce(t128, r, cg::greater<int>());
	if (r % 3 == 0) {
		cg::coalesced_group g = cg::coalesced_threads();
		int base = 0;

		if (g.thread_rank() == 0)
			base = atomicAdd(counter, (int)g.size());
		base = g.shfl(base, 0);
		o[10] = cg::reduce(g, r, cg::plus<int>()) * 1000 + cg::exclusive_scan(g, 1);
		o[11] = (int)cg::labeled_partition(g, r % 2).size() + base * 0;
	}
}

START_TEST(groups_match_host)
{
	int *d = (int *)dev_alloc(NT * NR * sizeof(int)), *cnt = (int *)dev_alloc(sizeof(int));
	int *src = (int *)dev_alloc(NT * sizeof(int)), h[NT * NR], s[NT], c = 0, r, k;

	for (r = 0; r < NT; r++)
		s[r] = r * 7 - 3;
	dev_put(src, s, sizeof(s));
	k_groups<<<1, NT>>>(d, cnt, src);
	DEV_SYNC();
	dev_get(h, d, sizeof(h));
	dev_get(&c, cnt, sizeof(c));
	ck_assert_int_eq(c, (NT + 2) / 3);
	for (r = 0; r < NT; r++) {
		int w[NR] = {0}, sub = r & ~31, red = 0, n = 0, before = 0, par = 0;

		for (k = r & ~7; k <= r; k++) w[0] += k;
		for (k = r & ~31; k < r; k++) w[1] += k + 1;
		for (k = r & ~127; k < r; k++) w[2] += k;
		w[3] = (r % 32) / 8 * 100 + 4;
		for (k = 0; k < 8; k++) w[4] |= ((r & ~7) + k) / 3 == r / 3 ? 1 << k : 0;
		w[5] = NT;
		w[6] = (r & ~31) * 2 + 1;
		w[7] = s[NT - 1 - r];
		w[8] = r + NT * 1000;
		w[9] = (r | 127);
		for (k = sub; k < sub + 32; k++)
			if (k % 3 == 0) {
				red += k;
				n++;
				before += k < r;
				par += k % 2 == r % 2;
			}
		if (r % 3 == 0) {
			w[10] = red * 1000 + before;
			w[11] = par;
		}
		for (k = 0; k < NR; k++)
			ck_assert_msg(h[r * NR + k] == w[k], "rank %d result %d: %d, want %d", r, k,
				      h[r * NR + k], w[k]);
	}
	MUSA_OK(musaFree(d));
	MUSA_OK(musaFree(cnt));
	MUSA_OK(musaFree(src));
}
END_TEST

DEV_TEST_MAIN("coop_groups_ext", groups_match_host)
