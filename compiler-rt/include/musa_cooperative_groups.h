/* SPDX-License-Identifier: MIT */
/*
 * musa_cooperative_groups.h - CUDA's cooperative groups for C++ kernels,
 * what cooperative_groups.h and cooperative_groups/{reduce,scan,
 * memcpy_async}.h declare (those headers include this one):
 *  - groups: thread_block (this_thread_block), thread_block_tile<N[, Parent]>
 *    (tiled_partition<N>), the dynamic tiled_partition(g, n), coalesced_group
 *    (coalesced_threads, labeled_partition, binary_partition), grid_group
 *    (this_grid) and thread_group, which holds any of the first three;
 *  - collectives: sync, the tile's shfl*, ballot, any, all, match_any,
 *    match_all, reduce and inclusive_scan / exclusive_scan with plus, less,
 *    greater, bit_and, bit_or, bit_xor, memcpy_async + wait / wait_prior,
 *    invoke_one / invoke_one_broadcast.
 *
 * Everything maps onto the block barrier and the warp operations, so a
 * kernel using these runs its threads as fibers. A tile holds N threads of
 * consecutive thread_rank, N a power of two. Up to the warp a tile has every
 * collective; ballot() and match_*() return the tile's lanes from bit 0.
 * CUDA's masks have 32 bits: on a 128-lane warp (mp_21/mp_22) a coalesced
 * group is the active lanes of the caller's 32-lane sub-group. A multi-warp
 * tile (N up to 1024, block_tile_memory as in CUDA) has its ranks, sync(),
 * reduce() and the scans; as with CUDA's, every tile of the block takes part
 * in them together (they use the block barrier). grid_group has its ranks
 * and sizes but no sync(): the software device does not keep a launch's
 * blocks resident together, so a grid barrier could not be passed, and a
 * kernel calling it does not compile.
 */
#ifndef MUSA_COOPERATIVE_GROUPS_H
#define MUSA_COOPERATIVE_GROUPS_H

#if !defined(__cplusplus)
#error "musa_cooperative_groups.h is C++ only"
#endif

#include <stddef.h>
#include <stdint.h>

#if defined(__MUSA_ARCH__)
#define __MUSA_CG_WARP ((unsigned)warpSize)
#else
#define __MUSA_CG_WARP 32u /* host pass: a single thread, lane 0 */
#endif
#define __MUSA_CG_FN __attribute__((always_inline, unused)) inline

namespace cooperative_groups {

namespace __musa_cg {
__MUSA_CG_FN unsigned block_rank()
{
	return (threadIdx.z * blockDim.y + threadIdx.y) * blockDim.x + threadIdx.x;
}
__MUSA_CG_FN unsigned block_size() { return blockDim.x * blockDim.y * blockDim.z; }
/* The caller's lane in its 32-lane sub-group, and where that sub-group
 * starts in the warp (shuffle lanes count from the warp's first). */
__MUSA_CG_FN unsigned lane32() { return block_rank() % 32u; }
__MUSA_CG_FN unsigned sub_base() { return block_rank() % __MUSA_CG_WARP & ~31u; }

/* The 32-lane sub-group bits of the tile of `n` threads that starts at
 * block rank `first`. */
__MUSA_CG_FN unsigned tile_bits(unsigned first, unsigned n)
{
	return n >= 32u ? 0xffffffffu : ((1u << n) - 1u) << (first % 32u);
}
__MUSA_CG_FN unsigned tile_first(unsigned n) { return block_rank() & ~(n - 1u); }
/* Sub-group bits -> the tile's lanes from bit 0. */
__MUSA_CG_FN unsigned tile_from_bits(unsigned bits, unsigned n)
{
	unsigned first = tile_first(n);

	return n >= 32u ? bits : (bits & tile_bits(first, n)) >> (first % 32u);
}
/* Sub-group bits -> bits by rank among the lanes of `mask`. */
__MUSA_CG_FN unsigned compact(unsigned bits, unsigned mask)
{
	unsigned r = 0, k, i = 0;

	for (k = 0; k < 32u; k++)
		if (mask & (1u << k))
			r |= ((bits >> k) & 1u) << i++;
	return r;
}

/* A group's shuffles move any trivially copyable value (CUDA's tiles
 * shuffle vector types and structs): in 8-byte pieces, each piece through
 * the same shuffle, all lanes calling in the same order. */
template <class T, class Move> __MUSA_CG_FN T shfl_pieces(const T &v, Move move)
{
	unsigned long long piece[(sizeof(T) + 7) / 8] = {};
	T r;

	__builtin_memcpy(piece, &v, sizeof(T));
	for (unsigned i = 0; i < (sizeof(T) + 7) / 8; i++)
		piece[i] = move(piece[i]);
	__builtin_memcpy(&r, piece, sizeof(T));
	return r;
}

__MUSA_CG_FN unsigned ballot(int pred, unsigned n)
{
	return tile_from_bits(__ballot_sync(0xffffffffu, pred), n);
}
/* Over a tile wider than 32 lanes the ballot cannot say it all: OR across
 * the tile by a butterfly of shuffles instead. */
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
__MUSA_CG_FN int all(int pred, unsigned n) { return !any(!pred, n); }

/* Tiles wider than the warp combine per-warp results in shared memory;
 * part[] has a slot per warp of the largest block. */
template <class T> struct wide_scratch {
	T part[1024 / 32];
};

/* reduce() over a tile wider than the warp: each warp combines its lanes
 * by shuffles, its first lane leaves the result in shared memory, and after
 * a block barrier every thread combines the warps of its own tile. */
template <class T, class Op> __MUSA_CG_FN T reduce_wide(T v, unsigned n, Op op)
{
	__shared__ wide_scratch<T> s;
	unsigned w = __MUSA_CG_WARP, rank = block_rank(), first = rank / n * (n / w), i, o;
	T r;

	for (o = w / 2u; o > 0u; o >>= 1)
		v = op(v, __shfl_xor_sync(0xffffffffu, v, (int)o, (int)w));
	if (rank % w == 0u)
		s.part[rank / w] = v;
	__syncthreads();
	r = s.part[first];
	for (i = 1; i < n / w; i++)
		r = op(r, s.part[first + i]);
	__syncthreads();   /* part[] is free again */
	return r;
}

/* Scans of a power-of-two tile of `n` lanes (n up to the warp): inclusive
 * by doubling shuffles up; exclusive shifts it up by one, rank 0 gets T{}. */
template <class T, class Op> __MUSA_CG_FN T scan_tile(T v, unsigned n, Op op, bool excl)
{
	unsigned o, r = block_rank() & (n - 1u);

	for (o = 1u; o < n; o <<= 1) {
		T u = __shfl_up_sync(0xffffffffu, v, o, (int)n);

		if (r >= o)
			v = op(u, v);
	}
	if (excl) {
		T u = __shfl_up_sync(0xffffffffu, v, 1u, (int)n);

		return r ? u : T{};
	}
	return v;
}
/* A tile wider than the warp: each warp scans itself, its last lane leaves
 * the warp's total in shared memory, and each thread puts the totals of the
 * earlier warps of its tile in front. */
template <class T, class Op> __MUSA_CG_FN T scan_wide(T v, unsigned n, Op op, bool excl)
{
	__shared__ wide_scratch<T> s;
	unsigned w = __MUSA_CG_WARP, rank = block_rank(), warp = rank / w;
	unsigned first = rank / n * (n / w), i;
	T incl = scan_tile(v, w, op, false), ex = __shfl_up_sync(0xffffffffu, incl, 1u, (int)w);
	T pre{}, r;

	if (rank % w == w - 1u)
		s.part[warp] = incl;
	__syncthreads();
	for (i = first; i < warp; i++)
		pre = i == first ? s.part[i] : op(pre, s.part[i]);
	__syncthreads();
	if (!excl)
		r = warp > first ? op(pre, incl) : incl;
	else if (rank % w == 0u)
		r = pre;
	else
		r = warp > first ? op(pre, ex) : ex;
	return r;
}
} /* namespace __musa_cg */

/* Scratch for multi-warp tiles in CUDA; here the tiles keep theirs in
 * static shared memory, so it only has to exist. */
template <unsigned int MaxBlockSize = 1024> struct block_tile_memory {
	char unused;
};

/* Any group but the grid: a block, a tile (static or dynamic) or a
 * coalesced group, with the members every group has. */
class thread_group {
protected:
	enum kind_t { BLOCK, TILE, COALESCED };
	unsigned kind_, n_, parent_n_, mask_;

	__MUSA_CG_FN thread_group(unsigned kind, unsigned n, unsigned parent_n, unsigned mask)
		: kind_(kind), n_(n), parent_n_(parent_n), mask_(mask) {}

public:
	/* A tile of n threads of the block. */
	__MUSA_CG_FN explicit thread_group(unsigned n)
		: kind_(TILE), n_(n), parent_n_(__musa_cg::block_size()), mask_(0) {}
	/* A tile of n threads of a parent of parent_n threads. */
	__MUSA_CG_FN thread_group(unsigned n, unsigned parent_n)
		: kind_(TILE), n_(n), parent_n_(parent_n), mask_(0) {}
	__MUSA_CG_FN unsigned size() const
	{
		return kind_ == COALESCED ? (unsigned)__builtin_popcount(mask_) : n_;
	}
	__MUSA_CG_FN unsigned num_threads() const { return size(); }
	__MUSA_CG_FN unsigned thread_rank() const
	{
		unsigned r = __musa_cg::block_rank();

		if (kind_ == COALESCED)
			return (unsigned)__builtin_popcount(mask_ & ((1u << __musa_cg::lane32()) - 1u));
		return kind_ == BLOCK ? r : r % n_;
	}
	__MUSA_CG_FN bool is_valid() const { return n_ != 0; }
	/* A tile of the whole block is the block; smaller ones lie in a warp. */
	__MUSA_CG_FN void sync() const
	{
		if (kind_ == COALESCED)
			__syncwarp(mask_);
		else if (kind_ == BLOCK || n_ > __MUSA_CG_WARP)
			__syncthreads();
		else
			__syncwarp();
	}
	/* The rank of the tile among its parent's tiles, and their number. */
	__MUSA_CG_FN unsigned meta_group_rank() const
	{
		return kind_ == TILE ? __musa_cg::block_rank() % parent_n_ / n_ : 0u;
	}
	__MUSA_CG_FN unsigned meta_group_size() const
	{
		return kind_ == TILE ? (parent_n_ + n_ - 1u) / n_ : 1u;
	}
	/* Tile collectives of a dynamic tile (up to the warp). */
	template <class T> __MUSA_CG_FN T shfl(T v, int src) const
	{
		return __musa_cg::shfl_pieces(v, [&](unsigned long long p) {
			return __shfl_sync(0xffffffffu, p, src, (int)n_);
		});
	}
	template <class T> __MUSA_CG_FN T shfl_down(T v, unsigned d) const
	{
		return __musa_cg::shfl_pieces(v, [&](unsigned long long p) {
			return __shfl_down_sync(0xffffffffu, p, d, (int)n_);
		});
	}
	template <class T> __MUSA_CG_FN T shfl_up(T v, unsigned d) const
	{
		return __musa_cg::shfl_pieces(v, [&](unsigned long long p) {
			return __shfl_up_sync(0xffffffffu, p, d, (int)n_);
		});
	}
	template <class T> __MUSA_CG_FN T shfl_xor(T v, int m) const
	{
		return __musa_cg::shfl_pieces(v, [&](unsigned long long p) {
			return __shfl_xor_sync(0xffffffffu, p, m, (int)n_);
		});
	}
	__MUSA_CG_FN unsigned ballot(int p) const { return __musa_cg::ballot(p, n_); }
	__MUSA_CG_FN int any(int p) const { return __musa_cg::any(p, n_); }
	__MUSA_CG_FN int all(int p) const { return __musa_cg::all(p, n_); }
};

/* Every thread of the block. */
class thread_block : public thread_group {
public:
	__MUSA_CG_FN thread_block() : thread_group(BLOCK, __musa_cg::block_size(),
						   __musa_cg::block_size(), 0) {}
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

/* N consecutive threads; static size, as tiled_partition<N> makes. The
 * parent type is only a name: every tile of N threads is the same. */
template <unsigned N, class Parent = void> class thread_block_tile;

template <unsigned N> class thread_block_tile<N, void> : public thread_group {
	static_assert(N && !(N & (N - 1)) && N <= 1024, "a tile is a power of two up to the block");

public:
	__MUSA_CG_FN explicit thread_block_tile(unsigned parent_n = __musa_cg::block_size())
		: thread_group(TILE, N, parent_n, 0) {}
	__MUSA_CG_FN static constexpr unsigned size() { return N; }
	__MUSA_CG_FN static constexpr unsigned num_threads() { return N; }
	__MUSA_CG_FN unsigned thread_rank() const { return __musa_cg::block_rank() & (N - 1u); }
	__MUSA_CG_FN void sync() const
	{
		if (N > __MUSA_CG_WARP)
			__syncthreads();
		else
			__syncwarp();
	}
	/* The lanes of the tile whose value equals the caller's (match_any);
	 * all of them if every value is equal, else 0 (match_all). */
	template <class T> __MUSA_CG_FN unsigned match_any(T v) const
	{
		static_assert(N <= 32, "match_any is for tiles of up to 32 threads");
		return __musa_cg::tile_from_bits(
			__match_any_sync(__musa_cg::tile_bits(__musa_cg::tile_first(N), N), v), N);
	}
	template <class T> __MUSA_CG_FN unsigned match_all(T v, int &pred) const
	{
		static_assert(N <= 32, "match_all is for tiles of up to 32 threads");
		return __musa_cg::tile_from_bits(
			__match_all_sync(__musa_cg::tile_bits(__musa_cg::tile_first(N), N), v, &pred), N);
	}
};

template <unsigned N, class Parent> class thread_block_tile : public thread_block_tile<N, void> {
public:
	__MUSA_CG_FN explicit thread_block_tile(unsigned parent_n = __musa_cg::block_size())
		: thread_block_tile<N, void>(parent_n) {}
};

/* The thread itself (this_thread()): a tile of one. */
__MUSA_CG_FN thread_block_tile<1, void> this_thread() { return thread_block_tile<1, void>(); }

template <unsigned N>
__MUSA_CG_FN thread_block_tile<N, thread_block> tiled_partition(const thread_block &)
{
	return thread_block_tile<N, thread_block>(__musa_cg::block_size());
}
template <unsigned N, unsigned M, class P>
__MUSA_CG_FN thread_block_tile<N, thread_block_tile<M, P>>
tiled_partition(const thread_block_tile<M, P> &)
{
	static_assert(N <= M, "a sub-tile is no larger than its tile");
	return thread_block_tile<N, thread_block_tile<M, P>>(M);
}
/* Dynamic tiles: n a power of two, up to the parent's size. */
__MUSA_CG_FN thread_group tiled_partition(const thread_block &, unsigned n)
{
	return thread_group(n);
}
__MUSA_CG_FN thread_group tiled_partition(const thread_group &parent, unsigned n)
{
	return thread_group(n, parent.size());
}

/* The lanes of the caller's 32-lane sub-group that run this code with it,
 * or a subset of them (labeled_partition, binary_partition). Ranks count
 * the group's lanes from the lowest. */
class coalesced_group : public thread_group {
	__MUSA_CG_FN unsigned src_lane(unsigned rank) const
	{
		return __musa_cg::sub_base() + __fns(mask_, 0, (int)rank + 1);
	}

public:
	__MUSA_CG_FN explicit coalesced_group(unsigned mask) : thread_group(COALESCED, 0, 0, mask) {}
	__MUSA_CG_FN void sync() const { __syncwarp(mask_); }
	template <class T> __MUSA_CG_FN T shfl(T v, unsigned rank) const
	{
		int lane = (int)src_lane(rank < size() ? rank : 0u);

		return __musa_cg::shfl_pieces(v, [&](unsigned long long p) {
			return __shfl_sync(mask_, p, lane, (int)__MUSA_CG_WARP);
		});
	}
	template <class T> __MUSA_CG_FN T shfl_up(T v, unsigned d) const
	{
		unsigned r = thread_rank();

		return shfl(v, r >= d ? r - d : r);
	}
	template <class T> __MUSA_CG_FN T shfl_down(T v, unsigned d) const
	{
		unsigned r = thread_rank();

		return shfl(v, r + d < size() ? r + d : r);
	}
	__MUSA_CG_FN unsigned ballot(int p) const
	{
		return __musa_cg::compact(__ballot_sync(mask_, p), mask_);
	}
	__MUSA_CG_FN int any(int p) const { return ballot(p) != 0; }
	__MUSA_CG_FN int all(int p) const { return ballot(p) == (1ull << size()) - 1u; }
	template <class T> __MUSA_CG_FN unsigned match_any(T v) const
	{
		return __musa_cg::compact(__match_any_sync(mask_, v), mask_);
	}
	template <class T> __MUSA_CG_FN unsigned match_all(T v, int &pred) const
	{
		return __musa_cg::compact(__match_all_sync(mask_, v, &pred), mask_);
	}
	__MUSA_CG_FN unsigned get_mask() const { return mask_; }
};

__MUSA_CG_FN coalesced_group coalesced_threads() { return coalesced_group(__activemask()); }

/* The lanes of a group (up to 32) holding the same label as the caller. */
template <class Group, class Label>
__MUSA_CG_FN coalesced_group labeled_partition(const Group &g, Label label)
{
	unsigned bits = __musa_cg::tile_bits(__musa_cg::tile_first(g.size()), g.size());

	return coalesced_group(__match_any_sync(bits, label));
}
__MUSA_CG_FN coalesced_group labeled_partition(const coalesced_group &g, int label)
{
	return coalesced_group(__match_any_sync(g.get_mask(), label));
}
template <class Group> __MUSA_CG_FN coalesced_group binary_partition(const Group &g, bool pred)
{
	return labeled_partition(g, (int)pred);
}

/* Every thread of the launch. */
class grid_group {
public:
	__MUSA_CG_FN bool is_valid() const { return true; }
	__MUSA_CG_FN static unsigned long long block_rank()
	{
		return ((unsigned long long)blockIdx.z * gridDim.y + blockIdx.y) * gridDim.x + blockIdx.x;
	}
	__MUSA_CG_FN static unsigned long long num_blocks()
	{
		return (unsigned long long)gridDim.x * gridDim.y * gridDim.z;
	}
	__MUSA_CG_FN static unsigned long long thread_rank()
	{
		return block_rank() * __musa_cg::block_size() + __musa_cg::block_rank();
	}
	__MUSA_CG_FN static unsigned long long size() { return num_blocks() * __musa_cg::block_size(); }
	__MUSA_CG_FN static unsigned long long num_threads() { return size(); }
	__MUSA_CG_FN static dim3 block_index() { return dim3(blockIdx.x, blockIdx.y, blockIdx.z); }
	__MUSA_CG_FN static dim3 dim_blocks() { return gridDim; }
	__MUSA_CG_FN static dim3 group_dim() { return gridDim; }
	__MUSA_CG_FN static dim3 thread_index()
	{
		return dim3(blockIdx.x * blockDim.x + threadIdx.x, blockIdx.y * blockDim.y + threadIdx.y,
			    blockIdx.z * blockDim.z + threadIdx.z);
	}
	__MUSA_CG_FN static dim3 dim_threads()
	{
		return dim3(gridDim.x * blockDim.x, gridDim.y * blockDim.y, gridDim.z * blockDim.z);
	}
	template <class __musa_T = void> __MUSA_CG_FN void sync() const
	{
		static_assert(sizeof(__musa_T *) == 0,
			      "grid_group::sync(): the software device cannot keep a launch's "
			      "blocks resident together, so there is no grid-wide barrier");
	}
};

__MUSA_CG_FN grid_group this_grid() { return grid_group(); }

__MUSA_CG_FN void sync(const thread_block &g) { g.sync(); }
__MUSA_CG_FN void sync(const thread_group &g) { g.sync(); }
__MUSA_CG_FN void sync(const coalesced_group &g) { g.sync(); }
template <unsigned N, class P> __MUSA_CG_FN void sync(const thread_block_tile<N, P> &g) { g.sync(); }
template <class __musa_T = void> __MUSA_CG_FN void sync(const grid_group &g) { g.sync<__musa_T>(); }

template <class Group> __MUSA_CG_FN auto thread_rank(const Group &g) -> decltype(g.thread_rank())
{
	return g.thread_rank();
}
template <class Group> __MUSA_CG_FN auto group_size(const Group &g) -> decltype(g.num_threads())
{
	return g.num_threads();
}

/* function objects (cooperative_groups/functional.h) */
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

/* reduce (cooperative_groups/reduce.h) */
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
/* A coalesced group has any number of lanes: fold them in rank order. */
template <class T, class Op> __MUSA_CG_FN T reduce(const coalesced_group &g, T v, Op op)
{
	T r = g.shfl(v, 0u);
	unsigned i;

	for (i = 1; i < g.size(); i++)
		r = op(r, g.shfl(v, i));
	return r;
}

/* scans (cooperative_groups/scan.h) */
template <class Group, class T, class Op>
__MUSA_CG_FN T __musa_scan(const Group &g, T v, Op op, bool excl)
{
	if (g.size() > __MUSA_CG_WARP)
		return __musa_cg::scan_wide(v, g.size(), op, excl);
	return __musa_cg::scan_tile(v, g.size(), op, excl);
}
template <class T, class Op>
__MUSA_CG_FN T __musa_scan(const coalesced_group &g, T v, Op op, bool excl)
{
	unsigned o, r = g.thread_rank();
	T u;

	for (o = 1u; o < g.size(); o <<= 1) {
		u = g.shfl_up(v, o);
		if (r >= o)
			v = op(u, v);
	}
	u = g.shfl_up(v, 1u);
	return !excl ? v : r ? u : T{};
}
template <class Group, class T, class Op> __MUSA_CG_FN T inclusive_scan(const Group &g, T v, Op op)
{
	return __musa_scan(g, v, op, false);
}
template <class Group, class T> __MUSA_CG_FN T inclusive_scan(const Group &g, T v)
{
	return __musa_scan(g, v, plus<T>(), false);
}
/* Rank 0 gets T{}, as with CUDA's. */
template <class Group, class T, class Op> __MUSA_CG_FN T exclusive_scan(const Group &g, T v, Op op)
{
	return __musa_scan(g, v, op, true);
}
template <class Group, class T> __MUSA_CG_FN T exclusive_scan(const Group &g, T v)
{
	return __musa_scan(g, v, plus<T>(), true);
}

/* invoke_one (cooperative_groups.h) */
template <class Group, class Fn, class... Args>
__MUSA_CG_FN void invoke_one(const Group &g, Fn &&fn, Args &&...args)
{
	if (g.thread_rank() == 0)
		fn(static_cast<Args &&>(args)...);
}
template <class Group, class Fn, class... Args>
__MUSA_CG_FN auto invoke_one_broadcast(const Group &g, Fn &&fn, Args &&...args)
	-> decltype(fn(static_cast<Args &&>(args)...))
{
	decltype(fn(static_cast<Args &&>(args)...)) r{};

	if (g.thread_rank() == 0)
		r = fn(static_cast<Args &&>(args)...);
	return g.shfl(r, 0);
}

/* memcpy_async (cooperative_groups/memcpy_async.h):
 * The group's threads copy the bytes between them (4-byte words when both
 * ends allow it), so the copy is complete when each returns; wait() and
 * wait_prior() are the group barrier that makes all of it visible. */
template <class Group>
__MUSA_CG_FN void __musa_group_copy(const Group &g, void *dst, const void *src, size_t bytes)
{
	size_t i, n = g.size(), r = g.thread_rank();

	if (!(((uintptr_t)dst | (uintptr_t)src | bytes) & 3u)) {
		for (i = r; i < bytes / 4u; i += n)
			((uint32_t *)dst)[i] = ((const uint32_t *)src)[i];
		return;
	}
	for (i = r; i < bytes; i += n)
		((unsigned char *)dst)[i] = ((const unsigned char *)src)[i];
}
template <class Group, class T>
__MUSA_CG_FN void memcpy_async(const Group &g, T *dst, const T *src, size_t bytes)
{
	__musa_group_copy(g, (void *)dst, (const void *)src, bytes);
}
/* Counts in elements: the shorter of the two is copied. */
template <class Group, class T>
__MUSA_CG_FN void memcpy_async(const Group &g, T *dst, size_t dst_count, const T *src,
			       size_t src_count)
{
	__musa_group_copy(g, (void *)dst, (const void *)src,
			  (dst_count < src_count ? dst_count : src_count) * sizeof(T));
}
template <class Group> __MUSA_CG_FN void wait(const Group &g) { g.sync(); }
template <unsigned Stage, class Group> __MUSA_CG_FN void wait_prior(const Group &g) { g.sync(); }

} /* namespace cooperative_groups */

#undef __MUSA_CG_FN
#endif /* MUSA_COOPERATIVE_GROUPS_H */
