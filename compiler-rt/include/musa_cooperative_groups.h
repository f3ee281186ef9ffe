/* SPDX-License-Identifier: MIT */
/*
 * musa_cooperative_groups.h - the basics of CUDA's cooperative groups for
 * C++ kernels (cooperative_groups.h plus cooperative_groups/reduce.h):
 * thread_block, this_thread_block(), tiled_partition<N>() and the dynamic
 * tiled_partition(), the tile collectives (shfl*, ballot, any, all, sync)
 * and cooperative_groups::reduce with plus / less / greater / bit_*.
 *
 * Everything maps onto the block barrier and the warp operations, so a
 * kernel using these runs its threads as fibers. A tile holds N threads of
 * consecutive thread_rank, N a power of two. Up to the warp (32 on mp_31,
 * up to 128 on mp_21/mp_22) a tile has every collective; ballot() returns
 * the tile's lanes from bit 0, and on a tile wider than 32 lanes the
 * caller's 32-lane part (CUDA's masks have 32 bits). A multi-warp tile
 * (N up to 1024, with block_tile_memory as in CUDA) has its ranks, sync()
 * and reduce(); as with CUDA's, every tile of the block takes part in them
 * together (they use the block barrier).
 */
#ifndef MUSA_COOPERATIVE_GROUPS_H
#define MUSA_COOPERATIVE_GROUPS_H

#if !defined(__cplusplus)
#error "musa_cooperative_groups.h is C++ only"
#endif

#if defined(__MUSA_ARCH__)
#define __MUSA_CG_WARP ((unsigned)warpSize)
#else
#define __MUSA_CG_WARP 32u /* host pass: only declarations matter */
#endif
#define __MUSA_CG_FN __attribute__((always_inline, unused)) inline

namespace cooperative_groups {

namespace __musa_cg {
__MUSA_CG_FN unsigned block_rank()
{
	return (threadIdx.z * blockDim.y + threadIdx.y) * blockDim.x + threadIdx.x;
}
__MUSA_CG_FN unsigned block_size() { return blockDim.x * blockDim.y * blockDim.z; }

/* The 32 lanes of the caller's sub-group holding the tile of `n` threads
 * that starts at block rank `first`, as ballot bits. */
__MUSA_CG_FN unsigned tile_bits(unsigned first, unsigned n)
{
	unsigned lo = first % 32u;

	return n >= 32u ? 0xffffffffu : ((1u << n) - 1u) << lo;
}

/* Collectives of a tile of `n` lanes (a power of two up to the warp). */
template <class T> __MUSA_CG_FN T shfl(T v, int src, unsigned n)
{
	return __shfl_sync(0xffffffffu, v, src, (int)n);
}
__MUSA_CG_FN unsigned ballot(int pred, unsigned n)
{
	unsigned first = block_rank() & ~(n - 1u), all = __ballot_sync(0xffffffffu, pred);

	return n >= 32u ? all : (all & tile_bits(first, n)) >> (first % 32u);
}
/* Over a tile wider than 32 lanes the ballot cannot say it all: OR (AND)
 * across the tile by a butterfly of shuffles instead. */
__MUSA_CG_FN int any(int pred, unsigned n)
{
	int v = pred != 0;
	unsigned o;

	if (n <= 32u)
		return ballot(pred, n) != 0;
	for (o = 1; o < n; o <<= 1)
		v |= __shfl_xor_sync(0xffffffffu, v, (int)o, (int)n);
	return v;
}
__MUSA_CG_FN int all(int pred, unsigned n)
{
	return !any(!pred, n);
}

/* reduce() over a tile wider than the warp: each warp combines its lanes
 * by shuffles, its first lane leaves the result in shared memory, and after
 * a block barrier every thread combines the warps of its own tile. */
template <class T, class Op> __MUSA_CG_FN T reduce_wide(T v, unsigned n, Op op)
{
	__shared__ T part[1024 / 32];
	unsigned w = __MUSA_CG_WARP, rank = block_rank(), first = rank / n * (n / w), i, o;
	T r;

	for (o = w / 2u; o > 0u; o >>= 1)
		v = op(v, __shfl_xor_sync(0xffffffffu, v, (int)o, (int)w));
	if (rank % w == 0u)
		part[rank / w] = v;
	__syncthreads();
	r = part[first];
	for (i = 1; i < n / w; i++)
		r = op(r, part[first + i]);
	__syncthreads();   /* part[] is free again */
	return r;
}
} /* namespace __musa_cg */

/* Scratch for multi-warp tiles in CUDA; here the tiles need none of their
 * own, so it only has to exist. */
template <unsigned int MaxBlockSize = 1024> struct block_tile_memory {
	char unused;
};

/* Every thread of the block. */
class thread_block {
public:
	__MUSA_CG_FN void sync() const { __syncthreads(); }
	__MUSA_CG_FN unsigned thread_rank() const { return __musa_cg::block_rank(); }
	__MUSA_CG_FN unsigned size() const { return __musa_cg::block_size(); }
	__MUSA_CG_FN unsigned num_threads() const { return size(); }
	__MUSA_CG_FN dim3 group_index() const { return dim3(blockIdx.x, blockIdx.y, blockIdx.z); }
	__MUSA_CG_FN dim3 thread_index() const { return dim3(threadIdx.x, threadIdx.y, threadIdx.z); }
	__MUSA_CG_FN dim3 group_dim() const { return blockDim; }
	__MUSA_CG_FN dim3 dim_threads() const { return blockDim; }
	__MUSA_CG_FN static void barrier_sync() { __syncthreads(); }
};

__MUSA_CG_FN thread_block this_thread_block() { return thread_block(); }
template <unsigned int MaxBlockSize>
__MUSA_CG_FN thread_block this_thread_block(block_tile_memory<MaxBlockSize> &)
{
	return thread_block();
}

/* A tile whose size is known only at run time (tiled_partition(g, n)). */
class thread_group {
	unsigned n_;

public:
	__MUSA_CG_FN explicit thread_group(unsigned n) : n_(n) {}
	__MUSA_CG_FN unsigned size() const { return n_; }
	__MUSA_CG_FN unsigned num_threads() const { return n_; }
	__MUSA_CG_FN unsigned thread_rank() const { return __musa_cg::block_rank() % n_; }
	__MUSA_CG_FN unsigned meta_group_rank() const { return __musa_cg::block_rank() / n_; }
	__MUSA_CG_FN unsigned meta_group_size() const
	{
		return (__musa_cg::block_size() + n_ - 1u) / n_;
	}
	/* A tile of the whole block is the block; smaller ones lie in a warp. */
	__MUSA_CG_FN void sync() const
	{
		if (n_ > __MUSA_CG_WARP)
			__syncthreads();
		else
			__syncwarp();
	}
	template <class T> __MUSA_CG_FN T shfl(T v, int src) const
	{
		return __musa_cg::shfl(v, src, n_);
	}
	template <class T> __MUSA_CG_FN T shfl_down(T v, unsigned d) const
	{
		return __shfl_down_sync(0xffffffffu, v, d, (int)n_);
	}
	template <class T> __MUSA_CG_FN T shfl_up(T v, unsigned d) const
	{
		return __shfl_up_sync(0xffffffffu, v, d, (int)n_);
	}
	template <class T> __MUSA_CG_FN T shfl_xor(T v, int m) const
	{
		return __shfl_xor_sync(0xffffffffu, v, m, (int)n_);
	}
	__MUSA_CG_FN unsigned ballot(int p) const { return __musa_cg::ballot(p, n_); }
	__MUSA_CG_FN int any(int p) const { return __musa_cg::any(p, n_); }
	__MUSA_CG_FN int all(int p) const { return __musa_cg::all(p, n_); }
};

/* N consecutive threads; static size, as tiled_partition<N> makes. */
template <unsigned N> class thread_block_tile : public thread_group {
	static_assert(N && !(N & (N - 1)) && N <= 1024, "a tile is a power of two up to the block");

public:
	__MUSA_CG_FN thread_block_tile() : thread_group(N) {}
	__MUSA_CG_FN static constexpr unsigned size() { return N; }
	__MUSA_CG_FN static constexpr unsigned num_threads() { return N; }
	__MUSA_CG_FN unsigned thread_rank() const { return __musa_cg::block_rank() & (N - 1u); }
	__MUSA_CG_FN unsigned meta_group_rank() const { return __musa_cg::block_rank() / N; }
	__MUSA_CG_FN void sync() const
	{
		if (N > __MUSA_CG_WARP)
			__syncthreads();
		else
			__syncwarp();
	}
};

template <unsigned N> __MUSA_CG_FN thread_block_tile<N> tiled_partition(const thread_block &)
{
	return thread_block_tile<N>();
}
template <unsigned N, unsigned M>
__MUSA_CG_FN thread_block_tile<N> tiled_partition(const thread_block_tile<M> &)
{
	static_assert(N <= M, "a sub-tile is no larger than its tile");
	return thread_block_tile<N>();
}
__MUSA_CG_FN thread_group tiled_partition(const thread_block &, unsigned n)
{
	return thread_group(n);
}
__MUSA_CG_FN thread_group tiled_partition(const thread_group &, unsigned n)
{
	return thread_group(n);
}

__MUSA_CG_FN void sync(const thread_block &g) { g.sync(); }
__MUSA_CG_FN void sync(const thread_group &g) { g.sync(); }
template <unsigned N> __MUSA_CG_FN void sync(const thread_block_tile<N> &g) { g.sync(); }

/* ---- reduce (cooperative_groups/reduce.h) ------------------------------------ */
template <class T> struct plus {
	__MUSA_CG_FN T operator()(T a, T b) const { return a + b; }
};
template <class T> struct less {
	__MUSA_CG_FN T operator()(T a, T b) const { return b < a ? b : a; }
};
template <class T> struct greater {
	__MUSA_CG_FN T operator()(T a, T b) const { return a < b ? b : a; }
};
template <class T> struct bit_and {
	__MUSA_CG_FN T operator()(T a, T b) const { return a & b; }
};
template <class T> struct bit_or {
	__MUSA_CG_FN T operator()(T a, T b) const { return a | b; }
};
template <class T> struct bit_xor {
	__MUSA_CG_FN T operator()(T a, T b) const { return a ^ b; }
};

/* Butterfly over the tile: every lane ends with the whole tile's value. */
template <class Group, class T, class Op> __MUSA_CG_FN T reduce(const Group &g, T v, Op op)
{
	unsigned o;

	if (g.size() > __MUSA_CG_WARP)
		return __musa_cg::reduce_wide(v, g.size(), op);
	for (o = g.size() / 2u; o > 0u; o >>= 1)
		v = op(v, g.shfl_xor(v, (int)o));
	return v;
}

/* Inclusive prefix over the tile's ranks (cooperative_groups/scan.h). */
template <class Group, class T, class Op> __MUSA_CG_FN T inclusive_scan(const Group &g, T v, Op op)
{
	unsigned o;

	for (o = 1u; o < g.size(); o <<= 1) {
		T u = g.shfl_up(v, o);

		if (g.thread_rank() >= o)
			v = op(v, u);
	}
	return v;
}
template <class Group, class T> __MUSA_CG_FN T inclusive_scan(const Group &g, T v)
{
	return inclusive_scan(g, v, plus<T>());
}

} /* namespace cooperative_groups */

#undef __MUSA_CG_FN
#endif /* MUSA_COOPERATIVE_GROUPS_H */
