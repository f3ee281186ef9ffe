/* SPDX-License-Identifier: MIT */
/*
 * occupancy.c - the driver's occupancy calculator and cooperative launches.
 *
 * The model of a multiprocessor (one compute unit of the software device):
 * at most MAX_BLOCKS_PER_MULTIPROCESSOR resident blocks, at most
 * max_threads_per_cu threads (a block occupies whole warps), and
 * umd_dev_smem_per_cu() bytes of shared memory shared by the resident
 * blocks' static + dynamic shared memory. The kernels use no registers the
 * model could count. A cooperative launch must fit co-resident under this
 * model on all multiprocessors.
 * May call: device.c, module.c (function attributes), launch.c (muLaunchKernel).
 */
#include "musa_log.h"
#include "umd.h"

#define UMD_BLOCKS_PER_CU 32

static int umd_func_max_threads(MUfunction f)
{
	const struct drm_musa_device_info *info = &f->mod->ctx->dev->info;
	uint32_t lb = f->k->meta->max_threads;

	return (int)(lb && lb < info->max_threads_per_block ? lb : info->max_threads_per_block);
}

/* Resident blocks per CU, without argument checks. */
static int umd_occ(MUfunction f, int block_size, size_t dyn_shared)
{
	const struct umd_dev *d = f->mod->ctx->dev;
	unsigned int warp = d->info.warp_size ? d->info.warp_size : 32;
	unsigned long long threads = ((unsigned long long)block_size + warp - 1) / warp * warp;
	unsigned long long smem = (unsigned long long)dyn_shared + f->k->meta->static_shared;
	unsigned long long n = UMD_BLOCKS_PER_CU, t;

	if (smem > d->info.shared_mem_per_block)
		return 0;
	t = d->info.max_threads_per_cu / threads;
	if (t < n)
		n = t;
	if (smem) {
		t = umd_dev_smem_per_cu(d) / smem;
		if (t < n)
			n = t;
	}
	return (int)n;
}

MUresult umd_occupancy_blocks(MUfunction f, int block_size, size_t dyn_shared, int *out)
{
	CHECK(block_size <= 0 || block_size > umd_func_max_threads(f), MUSA_ERROR_INVALID_VALUE);
	*out = umd_occ(f, block_size, dyn_shared);
	return MUSA_SUCCESS;
}

/* Checks init and takes a reference to f's module (umd_module_put). */
static MUresult umd_occupancy_enter(MUfunction f)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!umd_handle_get(f, UMD_H_FUNC), MUSA_ERROR_INVALID_HANDLE);
	return MUSA_SUCCESS;
}

static MUresult umd_occupancy_max_active_blocks(int *numBlocks, MUfunction func, int blockSize,
					       size_t dynamicSMemSize, unsigned int flags)
{
	if (!numBlocks || (flags & ~(unsigned int)MU_OCCUPANCY_DISABLE_CACHING_OVERRIDE))
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);
	return UMD_RET(umd_occupancy_blocks(func, blockSize, dynamicSMemSize, numBlocks));
}

UMD_API MUresult muOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(int *numBlocks, MUfunction func,
								       int blockSize,
								       size_t dynamicSMemSize,
								       unsigned int flags)
{
	MUresult r = umd_occupancy_enter(func);

	if (r)
		return UMD_RET(r);
	r = umd_occupancy_max_active_blocks(numBlocks, func, blockSize, dynamicSMemSize, flags);
	umd_module_put(func->mod);
	return r;
}

UMD_API MUresult muOccupancyMaxActiveBlocksPerMultiprocessor(int *numBlocks, MUfunction func,
							      int blockSize, size_t dynamicSMemSize)
{
	return muOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(numBlocks, func, blockSize,
								    dynamicSMemSize,
								    MU_OCCUPANCY_DEFAULT);
}

static MUresult umd_occupancy_max_block_size(int *minGridSize, int *blockSize, MUfunction func,
					    MUoccupancyB2DSize blockSizeToDynamicSMemSize,
					    size_t dynamicSMemSize, int blockSizeLimit,
					    unsigned int flags)
{
	const struct umd_dev *d;
	int max, warp, best_bs = 0, best_blocks = 0;
	long long best_occ = 0;

	if (!minGridSize || !blockSize || blockSizeLimit < 0 ||
	    (flags & ~(unsigned int)MU_OCCUPANCY_DISABLE_CACHING_OVERRIDE))
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);
	d = func->mod->ctx->dev;
	warp = d->info.warp_size ? (int)d->info.warp_size : 32;
	max = umd_func_max_threads(func);
	if (blockSizeLimit > 0 && blockSizeLimit < max)
		max = blockSizeLimit;
	/* Largest block size first: among equal occupancies it wins. */
	for (int bs = max; bs > 0; bs = (bs % warp) ? bs - bs % warp : bs - warp) {
		size_t smem = blockSizeToDynamicSMemSize ? blockSizeToDynamicSMemSize(bs) :
				dynamicSMemSize;
		int blocks = umd_occ(func, bs, smem);
		long long occ = (long long)blocks * bs;

		if (occ > best_occ) {
			best_occ = occ;
			best_bs = bs;
			best_blocks = blocks;
		}
	}
	*blockSize = best_bs;
	*minGridSize = best_blocks * (int)d->info.compute_units;
	return UMD_RET(MUSA_SUCCESS);
}

UMD_API MUresult muOccupancyMaxPotentialBlockSizeWithFlags(int *minGridSize, int *blockSize,
							    MUfunction func,
							    MUoccupancyB2DSize blockSizeToDynamicSMemSize,
							    size_t dynamicSMemSize, int blockSizeLimit,
							    unsigned int flags)
{
	MUresult r = umd_occupancy_enter(func);

	if (r)
		return UMD_RET(r);
	r = umd_occupancy_max_block_size(minGridSize, blockSize, func, blockSizeToDynamicSMemSize,
					 dynamicSMemSize, blockSizeLimit, flags);
	umd_module_put(func->mod);
	return r;
}

UMD_API MUresult muOccupancyMaxPotentialBlockSize(int *minGridSize, int *blockSize, MUfunction func,
						   MUoccupancyB2DSize blockSizeToDynamicSMemSize,
						   size_t dynamicSMemSize, int blockSizeLimit)
{
	return muOccupancyMaxPotentialBlockSizeWithFlags(minGridSize, blockSize, func,
							 blockSizeToDynamicSMemSize,
							 dynamicSMemSize, blockSizeLimit,
							 MU_OCCUPANCY_DEFAULT);
}

static MUresult umd_occupancy_available_shared(size_t *dynamicSmemSize, MUfunction func,
					       int numBlocks, int blockSize)
{
	const struct umd_dev *d;
	struct umd_func_attrs fa;
	unsigned long long per;
	int fit;
	MUresult r;

	if (!dynamicSmemSize || numBlocks <= 0)
		return UMD_RET(MUSA_ERROR_INVALID_VALUE);
	r = umd_occupancy_blocks(func, blockSize, 0, &fit);
	if (r)
		return UMD_RET(r);
	d = func->mod->ctx->dev;
	if (fit < numBlocks) {
		/* Threads or block slots already rule numBlocks out. */
		*dynamicSmemSize = 0;
		return UMD_RET(MUSA_SUCCESS);
	}
	per = umd_dev_smem_per_cu(d) / (unsigned int)numBlocks;
	if (per > d->info.shared_mem_per_block)
		per = d->info.shared_mem_per_block;
	per = per > func->k->meta->static_shared ? per - func->k->meta->static_shared : 0;
	umd_func_attrs_get(func, &fa);
	if (per > (unsigned long long)fa.max_dynamic_shared)
		per = (unsigned long long)fa.max_dynamic_shared;
	*dynamicSmemSize = (size_t)per;
	return UMD_RET(MUSA_SUCCESS);
}

UMD_API MUresult muOccupancyAvailableDynamicSMemPerBlock(size_t *dynamicSmemSize, MUfunction func,
							  int numBlocks, int blockSize)
{
	MUresult r = umd_occupancy_enter(func);

	if (r)
		return UMD_RET(r);
	r = umd_occupancy_available_shared(dynamicSmemSize, func, numBlocks, blockSize);
	umd_module_put(func->mod);
	return r;
}

UMD_API MUresult muLaunchCooperativeKernel(MUfunction f,
					    unsigned int gridDimX, unsigned int gridDimY,
					    unsigned int gridDimZ,
					    unsigned int blockDimX, unsigned int blockDimY,
					    unsigned int blockDimZ,
					    unsigned int sharedMemBytes, MUstream hStream,
					    void **kernelParams)
{
	unsigned long long threads = (unsigned long long)blockDimX * blockDimY * blockDimZ;
	unsigned long long blocks = (unsigned long long)gridDimX * gridDimY * gridDimZ;
	MUcontext ctx;
	int per_cu = 0;
	MUresult r = umd_ctx_enter(&ctx);

	if (r)
		return UMD_RET(r);
	if (!umd_handle_get(f, UMD_H_FUNC))
		return UMD_RET(umd_ctx_leave(ctx, MUSA_ERROR_INVALID_HANDLE));
	if (f->mod->ctx != ctx)
		r = MUSA_ERROR_INVALID_HANDLE;
	/* Malformed configurations get muLaunchKernel's own answer. */
	else if (threads && blocks && threads <= (unsigned long long)umd_func_max_threads(f) &&
		 (uint64_t)sharedMemBytes + f->k->meta->static_shared <=
		 ctx->dev->info.shared_mem_per_block) {
		per_cu = umd_occ(f, (int)threads, sharedMemBytes);
		if (blocks > (unsigned long long)per_cu * ctx->dev->info.compute_units)
			r = MUSA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE;
	}
	umd_module_put(f->mod);
	umd_ctx_put(ctx);
	if (r)
		return UMD_RET(r);
	return muLaunchKernel(f, gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ,
			      sharedMemBytes, hStream, kernelParams, NULL);
}
