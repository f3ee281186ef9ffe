/* SPDX-License-Identifier: MIT */
/*
 * test_coop_groups.mu - cooperative groups (musa_cooperative_groups.h): the
 * block, static and dynamic tiles with their collectives, and cg::reduce,
 * in the style of the reduction sample's cooperative-groups kernel. Tile
 * sizes go up to the warp size, whatever it is.
 */
#include <musa_cooperative_groups.h>

#include "dev_test.h"

namespace cg = cooperative_groups;

/* mcc picks fiber execution from the barrier words it sees in a kernel and
 * does not know the cooperative-groups calls yet (asked of tools/mcc in
 * issue 4); until it does, each kernel here names a barrier too. */
#define CG_FIBERS() __syncthreads()

/* Block sum: tiles of 16 reduce, their leaders meet in shared memory. */
__global__ void k_block_sum(const int *in, int *out, unsigned *info)
{
	__shared__ int part[64];
	cg::thread_block block = cg::this_thread_block();
	cg::thread_block_tile<16> tile = cg::tiled_partition<16>(block);
	int v = in[blockIdx.x * block.size() + block.thread_rank()];
	int s = cg::reduce(tile, v, cg::plus<int>());
	unsigned r = block.thread_rank();

	CG_FIBERS();

	if (tile.thread_rank() == 0)
		part[tile.meta_group_rank()] = s;
	block.sync();
	if (r == 0) {
		int t = 0;
		unsigned i;

		for (i = 0; i < block.size() / tile.size(); i++)
			t += part[i];
		out[blockIdx.x] = t;
	}
	info[(blockIdx.x * block.size() + r) * 4 + 0] = tile.thread_rank();
	info[(blockIdx.x * block.size() + r) * 4 + 1] = tile.meta_group_rank();
	info[(blockIdx.x * block.size() + r) * 4 + 2] = block.group_index().x;
	info[(blockIdx.x * block.size() + r) * 4 + 3] =
		block.thread_index().x + 100 * block.thread_index().y;
}

START_TEST(block_reduce_with_tiles)
{
	enum { B = 3, T = 256 };
	int h[B * T], out[B], i;
	unsigned *info = (unsigned *)malloc(B * T * 4 * sizeof(unsigned));
	int *din = (int *)dev_alloc(sizeof(h)), *dout = (int *)dev_alloc(sizeof(out));
	unsigned *dinfo = (unsigned *)dev_alloc(B * T * 4 * sizeof(unsigned));

	for (i = 0; i < B * T; i++)
		h[i] = (i * 31) % 97 - 40;
	dev_put(din, h, sizeof(h));
	k_block_sum<<<B, dim3(64, 4)>>>(din, dout, dinfo);
	DEV_SYNC();
	dev_get(out, dout, sizeof(out));
	dev_get(info, dinfo, B * T * 4 * sizeof(unsigned));
	for (i = 0; i < B; i++) {
		int want = 0, j;

		for (j = 0; j < T; j++)
			want += h[i * T + j];
		ck_assert_int_eq(out[i], want);
	}
	for (i = 0; i < B * T; i++) {
		unsigned r = i % T;

		ck_assert_uint_eq(info[i * 4 + 0], r % 16);
		ck_assert_uint_eq(info[i * 4 + 1], r / 16);
		ck_assert_uint_eq(info[i * 4 + 2], (unsigned)(i / T));
		ck_assert_uint_eq(info[i * 4 + 3], r % 64 + 100 * (r / 64));
	}
	free(info);
	MUSA_OK(musaFree(din));
	MUSA_OK(musaFree(dout));
	MUSA_OK(musaFree(dinfo));
}
END_TEST

/* Collectives of tiles of 4, 32 and the whole warp; min and max reduces. */
template <unsigned N> __device__ void tile_ops(const cg::thread_block &b, int *o)
{
	cg::thread_block_tile<N> t = cg::tiled_partition<N>(b);
	int r = (int)t.thread_rank(), x = (int)b.thread_rank();

	o[0] = t.shfl(x, 1);
	o[1] = t.shfl_down(x, 1);
	o[2] = t.shfl_up(x, 2);
	o[3] = t.shfl_xor(x, 1);
	o[4] = (int)t.ballot(r % 2 == 0);
	o[5] = t.any(r == (int)N - 1);
	o[6] = t.all(r < (int)N);
	o[7] = t.all(r != 0);
	o[8] = cg::reduce(t, x * 3 % 17, cg::less<int>());
	o[9] = cg::reduce(t, x * 3 % 17, cg::greater<int>());
	t.sync();
	o[10] = (int)t.size();
	o[11] = (int)t.meta_group_rank();
}

__global__ void k_tiles(int *o4, int *o32, int *ow)
{
	cg::thread_block b = cg::this_thread_block();
	unsigned i = b.thread_rank() * 12;

	CG_FIBERS();

	tile_ops<4>(b, o4 + i);
	tile_ops<32>(b, o32 + i);
	if (warpSize == 128)
		tile_ops<128>(b, ow + i);
	else
		tile_ops<32>(b, ow + i);
}

static void check_tile(const int *o, int n, int nt)
{
	int x, k;

	for (x = 0; x < nt; x++) {
		const int *v = o + x * 12;
		int r = x % n, base = x - r, mn = 1000, mx = -1;
		unsigned ballot = 0;

		for (k = 0; k < n; k++) {
			mn = (base + k) * 3 % 17 < mn ? (base + k) * 3 % 17 : mn;
			mx = (base + k) * 3 % 17 > mx ? (base + k) * 3 % 17 : mx;
			if (k % 2 == 0 && k < 32)
				ballot |= 1u << k;
		}
		ck_assert_int_eq(v[0], base + 1);
		ck_assert_int_eq(v[1], r + 1 < n ? x + 1 : x);
		ck_assert_int_eq(v[2], r >= 2 ? x - 2 : x);
		ck_assert_int_eq(v[3], x ^ 1);
		ck_assert_msg(n > 32 || (unsigned)v[4] == ballot, "tile %d ballot %#x", n, v[4]);
		ck_assert_int_eq(v[5], 1);
		ck_assert_int_eq(v[6], 1);
		ck_assert_int_eq(v[7], 0);
		ck_assert_int_eq(v[8], mn);
		ck_assert_int_eq(v[9], mx);
		ck_assert_int_eq(v[10], n);
		ck_assert_int_eq(v[11], x / n);
	}
}

START_TEST(tile_collectives)
{
	enum { T = 256 };
	int w = dev_warp_size();
	int *h = (int *)malloc(T * 12 * sizeof(int));
	int *d4 = (int *)dev_alloc(T * 12 * sizeof(int)), *d32 = (int *)dev_alloc(T * 12 * sizeof(int));
	int *dw = (int *)dev_alloc(T * 12 * sizeof(int));

	k_tiles<<<1, T>>>(d4, d32, dw);
	DEV_SYNC();
	dev_get(h, d4, T * 12 * sizeof(int));
	check_tile(h, 4, T);
	dev_get(h, d32, T * 12 * sizeof(int));
	check_tile(h, 32, T);
	dev_get(h, dw, T * 12 * sizeof(int));
	check_tile(h, w, T);
	free(h);
	MUSA_OK(musaFree(d4));
	MUSA_OK(musaFree(d32));
	MUSA_OK(musaFree(dw));
}
END_TEST

/* tiled_partition(block, n) with n known at run time; inclusive_scan. */
__global__ void k_dynamic(int *o, unsigned n)
{
	cg::thread_block b = cg::this_thread_block();
	cg::thread_group g = cg::tiled_partition(b, n);
	cg::thread_block_tile<8> t8 = cg::tiled_partition<8>(b);
	int x = (int)b.thread_rank();

	CG_FIBERS();
	o[x * 4 + 0] = (int)g.thread_rank();
	o[x * 4 + 1] = (int)g.size();
	o[x * 4 + 2] = cg::reduce(g, x, cg::plus<int>());
	cg::sync(g);
	o[x * 4 + 3] = cg::inclusive_scan(t8, 1);
}

START_TEST(dynamic_tiles_and_scan)
{
	enum { T = 96 };
	int h[T * 4], x;
	int *d = (int *)dev_alloc(sizeof(h));

	k_dynamic<<<1, T>>>(d, 16);
	DEV_SYNC();
	dev_get(h, d, sizeof(h));
	for (x = 0; x < T; x++) {
		int base = x - x % 16;

		ck_assert_int_eq(h[x * 4 + 0], x % 16);
		ck_assert_int_eq(h[x * 4 + 1], 16);
		ck_assert_int_eq(h[x * 4 + 2], 16 * base + 120);
		ck_assert_int_eq(h[x * 4 + 3], x % 8 + 1);
	}
	MUSA_OK(musaFree(d));
}
END_TEST

/* Tiles shuffle any trivially copyable value, not only scalars: a uint4
 * (as cuda-samples shfl_scan does) and a 12-byte struct, through static
 * and dynamic tiles. */
struct triple { int a, b, c; };

__global__ void k_shfl_values(uint4 *o4, struct triple *ot)
{
	cg::thread_block b = cg::this_thread_block();
	cg::thread_block_tile<16> t16 = cg::tiled_partition<16>(b);
	cg::thread_group g = cg::tiled_partition(b, 8);
	unsigned x = b.thread_rank();
	uint4 v = make_uint4(x, 10 * x, 100 * x, 1000 * x);
	struct triple t = { (int)x, -(int)x, 7 };

	CG_FIBERS();
	o4[x] = t16.shfl_xor(v, 1);
	ot[x] = g.shfl(t, 3);
}

START_TEST(tile_shuffles_of_vectors_and_structs)
{
	enum { T = 64 };
	uint4 h4[T];
	struct triple ht[T];
	uint4 *d4 = (uint4 *)dev_alloc(sizeof(h4));
	struct triple *dt = (struct triple *)dev_alloc(sizeof(ht));

	k_shfl_values<<<1, T>>>(d4, dt);
	DEV_SYNC();
	dev_get(h4, d4, sizeof(h4));
	dev_get(ht, dt, sizeof(ht));
	for (unsigned x = 0; x < T; x++) {
		unsigned p = x ^ 1u, src = x - x % 8 + 3;

		ck_assert_uint_eq(h4[x].x, p);
		ck_assert_uint_eq(h4[x].y, 10 * p);
		ck_assert_uint_eq(h4[x].z, 100 * p);
		ck_assert_uint_eq(h4[x].w, 1000 * p);
		ck_assert_int_eq(ht[x].a, (int)src);
		ck_assert_int_eq(ht[x].b, -(int)src);
		ck_assert_int_eq(ht[x].c, 7);
	}
	MUSA_OK(musaFree(d4));
	MUSA_OK(musaFree(dt));
}
END_TEST

DEV_TEST_MAIN("device_coop_groups", block_reduce_with_tiles, tile_collectives,
	      dynamic_tiles_and_scan, tile_shuffles_of_vectors_and_structs)
