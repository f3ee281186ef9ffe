/* SPDX-License-Identifier: MIT */
/*
 * test_reduction_flow.mu - the host flow of cuda-samples' reduction, with
 * kernels templated on the element type and the block size:
 *   - the launches sit in a host function template, in a switch over the
 *     block size, with the template's own type as an argument
 *     (`tree_then_warp<T, 64><<<...>>>`); mcc finds the instances by
 *     compiling;
 *   - passes run on the device until one value is left, so the last ones
 *     run blocks of 1 to 16 threads through a warp shuffle loop over 32
 *     lanes: lanes past the block read 0;
 *   - a final warp shuffles over the ballot mask of its first few lanes:
 *     lanes outside the mask read 0;
 *   - multi-warp tiles of cooperative groups (block_tile_memory,
 *     tiled_partition<N> for N beyond the warp, cg::reduce over them);
 *   - the guard macros ported helpers (helper_cuda.h) look for.
 * Small integer inputs: every sum is exact in int, float and double.
 */
#include <musa_cooperative_groups.h>

#include "port_test.h"

#if !defined(__MUSA_RUNTIME_H__) || !defined(__DRIVER_TYPES_H__)
#error "the guard macros of musa_runtime.h that ported helpers test are missing"
#endif

namespace cg = cooperative_groups;

/* The block's dynamic shared memory as T[]: one extern array per type. */
template <class T> struct dyn_smem;
template <> struct dyn_smem<int> {
	__device__ static int *get()
	{
		extern __shared__ int dyn_int[];
		return dyn_int;
	}
};
template <> struct dyn_smem<double> {
	__device__ static double *get()
	{
		extern __shared__ double dyn_double[];
		return dyn_double;
	}
};

/* A shared-memory tree down to 64 values, then the first 32 threads add
 * the rest by shuffles over 32 lanes, whatever the block size. */
template <class T, unsigned B>
__global__ void tree_then_warp(const T *in, T *out, unsigned n)
{
	T *s = dyn_smem<T>::get();
	unsigned tid = threadIdx.x, i = blockIdx.x * (B * 2) + tid;
	T sum = i < n ? in[i] : (T)0;

	if (i + B < n)
		sum += in[i + B];
	s[tid] = sum;
	__syncthreads();
	for (unsigned k = B / 2; k > 32; k >>= 1) {
		if (tid < k)
			s[tid] = sum = sum + s[tid + k];
		__syncthreads();
	}
	if (tid < 32) {
		if (B >= 64)
			sum += s[tid + 32];
		for (int off = 16; off > 0; off /= 2)
			sum += __shfl_down_sync(0xffffffffu, sum, off);
	}
	if (tid == 0)
		out[blockIdx.x] = sum;
}

/* Grid-stride sums, a shuffle sum per warp, then the first few threads
 * (one per warp) add the warp sums under the ballot of their own lanes. */
template <class T, unsigned B>
__global__ void warp_sums_then_ballot(const T *in, T *out, unsigned n)
{
	T *s = dyn_smem<T>::get();
	unsigned tid = threadIdx.x, nwarps = B / warpSize ? B / warpSize : 1;
	unsigned lanes = B < 32 ? B : 32;
	unsigned mask = lanes == 32 ? 0xffffffffu : (1u << lanes) - 1u, ballot;
	T sum = 0;

	for (unsigned i = blockIdx.x * B + tid; i < n; i += B * gridDim.x)
		sum += in[i];
	for (int off = warpSize / 2; off > 0; off /= 2)
		sum += __shfl_down_sync(mask, sum, off);
	if (tid % warpSize == 0)
		s[tid / warpSize] = sum;
	__syncthreads();
	ballot = __ballot_sync(mask, tid < nwarps);
	if (tid < nwarps) {
		sum = s[tid];
		for (int off = warpSize / 2; off > 0; off /= 2)
			sum += __shfl_down_sync(ballot, sum, off);
	}
	if (tid == 0)
		out[blockIdx.x] = sum;
}

/* Tiles of G threads, G beyond the warp: cg::reduce over each, then one
 * thread adds the tiles' sums. */
template <class T, unsigned B, unsigned G>
__global__ void wide_tiles(const T *in, T *out, unsigned n)
{
	T *s = dyn_smem<T>::get();
	__shared__ cg::block_tile_memory<B> scratch;
	cg::thread_block cta = cg::this_thread_block(scratch);
	cg::thread_block_tile<G> tile = cg::tiled_partition<G>(cta);
	T sum = 0;

	for (unsigned i = blockIdx.x * B + threadIdx.x; i < n; i += B * gridDim.x)
		sum += in[i];
	sum = cg::reduce(tile, sum, cg::plus<T>());
	if (tile.thread_rank() == 0)
		s[tile.meta_group_rank()] = sum;
	cg::sync(cta);
	if (cta.thread_rank() == 0) {
		T total = 0;

		for (unsigned k = 0; k < tile.meta_group_size(); k++)
			total += s[k];
		out[blockIdx.x] = total;
	}
}

/* One pass, as the sample's reduce<T>(): the block size picks the
 * instance. */
template <class T>
static void reduce_pass(int which, unsigned n, unsigned threads, unsigned blocks, const T *in, T *out)
{
	size_t sh = (threads < 64 ? 64 : threads) * sizeof(T);

	if (which == 0) {
		switch (threads) {
		case 256: tree_then_warp<T, 256><<<blocks, threads, sh>>>(in, out, n); break;
		case 128: tree_then_warp<T, 128><<<blocks, threads, sh>>>(in, out, n); break;
		case 64: tree_then_warp<T, 64><<<blocks, threads, sh>>>(in, out, n); break;
		case 32: tree_then_warp<T, 32><<<blocks, threads, sh>>>(in, out, n); break;
		case 16: tree_then_warp<T, 16><<<blocks, threads, sh>>>(in, out, n); break;
		case 8: tree_then_warp<T, 8><<<blocks, threads, sh>>>(in, out, n); break;
		case 4: tree_then_warp<T, 4><<<blocks, threads, sh>>>(in, out, n); break;
		case 2: tree_then_warp<T, 2><<<blocks, threads, sh>>>(in, out, n); break;
		case 1: tree_then_warp<T, 1><<<blocks, threads, sh>>>(in, out, n); break;
		default: ck_abort_msg("no tree_then_warp for %u threads", threads);
		}
	} else if (which == 1) {
		switch (threads) {
		case 256: warp_sums_then_ballot<T, 256><<<blocks, threads, sh>>>(in, out, n); break;
		case 128: warp_sums_then_ballot<T, 128><<<blocks, threads, sh>>>(in, out, n); break;
		case 64: warp_sums_then_ballot<T, 64><<<blocks, threads, sh>>>(in, out, n); break;
		case 32: warp_sums_then_ballot<T, 32><<<blocks, threads, sh>>>(in, out, n); break;
		case 16: warp_sums_then_ballot<T, 16><<<blocks, threads, sh>>>(in, out, n); break;
		case 8: warp_sums_then_ballot<T, 8><<<blocks, threads, sh>>>(in, out, n); break;
		case 4: warp_sums_then_ballot<T, 4><<<blocks, threads, sh>>>(in, out, n); break;
		case 2: warp_sums_then_ballot<T, 2><<<blocks, threads, sh>>>(in, out, n); break;
		case 1: warp_sums_then_ballot<T, 1><<<blocks, threads, sh>>>(in, out, n); break;
		default: ck_abort_msg("no warp_sums_then_ballot for %u threads", threads);
		}
	} else {
		switch (threads) {
		case 1024: wide_tiles<T, 1024, 512><<<blocks, threads, sh>>>(in, out, n); break;
		case 512: wide_tiles<T, 512, 256><<<blocks, threads, sh>>>(in, out, n); break;
		case 256: wide_tiles<T, 256, 128><<<blocks, threads, sh>>>(in, out, n); break;
		default: ck_abort_msg("no wide_tiles for %u threads", threads);
		}
	}
	MUSA_OK(musaGetLastError());
}

static unsigned next_pow2(unsigned x)
{
	unsigned p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

/* The sample's benchmarkReduce: passes on the device until one value is
 * left, each over the previous pass's block sums. The sample runs the later
 * passes in place (in == out); that races between blocks (block j may
 * store out[j] before block 0 has read in[j]) wherever the blocks of a
 * pass do not all start at once, as on a device with fewer compute units
 * than blocks. Here the passes alternate between two buffers instead. */
template <class T>
static T reduce_all(int which, const T *h, unsigned n, unsigned max_threads, unsigned max_blocks)
{
	T *d = (T *)dev_alloc(n * sizeof(T)), *dout = (T *)dev_alloc(n * sizeof(T)), r = 0;
	T *src = d, *dst = dout;
	unsigned s = n;

	dev_put(d, h, n * sizeof(T));
	while (s > 1) {
		unsigned threads, blocks;

		if (which == 0) {   /* two loads per thread, no grid stride */
			threads = s < max_threads * 2 ? next_pow2((s + 1) / 2) : max_threads;
			blocks = (s + threads * 2 - 1) / (threads * 2);
		} else {
			threads = which == 2 ? max_threads : s < max_threads ? next_pow2(s) : max_threads;
			blocks = (s + threads - 1) / threads;
			blocks = blocks < max_blocks ? blocks : max_blocks;
		}
		reduce_pass<T>(which, s, threads, blocks, src, dst);
		s = blocks;
		src = dst;
		dst = dst == dout ? d : dout;
	}
	DEV_SYNC();
	dev_get(&r, src, sizeof(T));
	MUSA_OK(musaFree(d));
	MUSA_OK(musaFree(dout));
	return r;
}

template <class T>
static void check_type(const char *name)
{
	static const unsigned sizes[] = {(1u << 16) + 77, 1000, 33, 3, 2};
	static const unsigned max_threads[] = {256, 64, 16};

	for (unsigned z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		unsigned n = sizes[z], seed = 77u + n;
		T *h = (T *)malloc(n * sizeof(T)), want = 0;

		for (unsigned i = 0; i < n; i++) {
			h[i] = (T)((int)(port_rand(&seed) % 201) - 100);
			want += h[i];
		}
		for (int which = 0; which < 2; which++)
			for (unsigned m = 0; m < 3; m++) {
				T got = reduce_all<T>(which, h, n, max_threads[m], 64);

				ck_assert_msg(got == want, "%s kernel %d n %u max threads %u: %g, want %g", name,
					      which, n, max_threads[m], (double)got, (double)want);
			}
		for (unsigned t = 256; t <= 1024; t *= 2) {
			T got = reduce_all<T>(2, h, n, t, 16);

			ck_assert_msg(got == want, "%s wide tiles n %u threads %u: %g, want %g", name, n, t,
				      (double)got, (double)want);
		}
		free(h);
	}
}

START_TEST(int_to_one_value)
{
	check_type<int>("int");
}
END_TEST

START_TEST(double_to_one_value)
{
	check_type<double>("double");
}
END_TEST

/* Ported helpers compare the compute mode with these names. */
START_TEST(compute_mode_names)
{
	int mode = -1;

	MUSA_OK(musaDeviceGetAttribute(&mode, musaDevAttrComputeMode, 0));
	ck_assert_int_eq(mode, musaComputeModeDefault);
	ck_assert_int_ne(mode, musaComputeModeProhibited);
	ck_assert_int_eq(musaComputeModeExclusiveProcess, 3);
}
END_TEST

DEV_TEST_MAIN("ports-reduction-flow", int_to_one_value, double_to_one_value, compute_mode_names)
