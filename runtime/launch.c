/* SPDX-License-Identifier: MIT */
/*
 * launch.c - kernel launches: the per-thread stack of <<<>>> call
 * configurations that mcc-generated stubs push and pop, and
 * musaLaunchKernel, which checks the configuration against the device's
 * limits before it resolves the kernel and hands it to muLaunchKernel.
 * musaLaunchCooperativeKernel takes the same path to
 * muLaunchCooperativeKernel. Calls device.c, stream.c, register.c and the
 * driver's launch functions.
 */
#include "rt.h"

/* Nested <<<>>> inside launch arguments is rare; this bounds it. */
#define RT_CONFIG_DEPTH 32u

struct rt_call_config {
	dim3 grid;
	dim3 block;
	size_t shared;
	musaStream_t stream;
};

static __thread struct rt_call_config rt_config_stack[RT_CONFIG_DEPTH];
static __thread unsigned int rt_config_top;

MUSART_API unsigned int __musaPushCallConfiguration(dim3 gridDim, dim3 blockDim,
                                                    size_t sharedMem, void *stream)
{
	struct rt_call_config *c;

	if (rt_config_top == RT_CONFIG_DEPTH) {
		rt_ret(musaErrorLaunchMaxDepthExceeded);
		return 1;
	}
	c = &rt_config_stack[rt_config_top++];
	c->grid = gridDim;
	c->block = blockDim;
	c->shared = sharedMem;
	c->stream = (musaStream_t)stream;
	return 0;
}

/* `stream` points to a musaStream_t, as in CUDA's stubs. */
MUSART_API musaError_t __musaPopCallConfiguration(dim3 *gridDim, dim3 *blockDim,
                                                  size_t *sharedMem, void *stream)
{
	const struct rt_call_config *c;

	if (rt_config_top == 0)
		return rt_ret(musaErrorMissingConfiguration);
	c = &rt_config_stack[--rt_config_top];
	if (gridDim)
		*gridDim = c->grid;
	if (blockDim)
		*blockDim = c->block;
	if (sharedMem)
		*sharedMem = c->shared;
	if (stream)
		*(musaStream_t *)stream = c->stream;
	return rt_ret(musaSuccess);
}

static musaError_t rt_check_config(const struct rt_limits *lim, dim3 grid, dim3 block,
                                   size_t shared)
{
	const unsigned int g[3] = { grid.x, grid.y, grid.z };
	const unsigned int b[3] = { block.x, block.y, block.z };
	unsigned long long threads = 1;

	for (int i = 0; i < 3; i++) {
		if (g[i] == 0 || b[i] == 0)
			return musaErrorInvalidConfiguration;
		if (b[i] > (unsigned int)lim->max_block[i] || g[i] > (unsigned int)lim->max_grid[i])
			return musaErrorInvalidConfiguration;
		threads *= b[i];
	}
	if (threads > (unsigned long long)lim->max_threads_per_block)
		return musaErrorInvalidConfiguration;
	if (shared > (size_t)lim->max_shared_per_block)
		return musaErrorInvalidConfiguration;
	return musaSuccess;
}

/* What the kernel itself needs on top of the launch's request. */
static musaError_t rt_check_function(MUfunction f, const struct rt_limits *lim, dim3 block,
                                     size_t shared)
{
	unsigned long long threads = (unsigned long long)block.x * block.y * block.z;
	int static_shared = 0, max_threads = 0;

	if (muFuncGetAttribute(&static_shared, MU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, f) == MUSA_SUCCESS &&
	    static_shared > 0 &&
	    shared + (size_t)static_shared > (size_t)lim->max_shared_per_block)
		return musaErrorInvalidConfiguration;
	/* Beyond __launch_bounds__, as CUDA reports it. */
	if (muFuncGetAttribute(&max_threads, MU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, f) == MUSA_SUCCESS &&
	    max_threads > 0 && threads > (unsigned long long)max_threads)
		return musaErrorLaunchOutOfResources;
	return musaSuccess;
}

static musaError_t rt_launch(const void *func, dim3 grid, dim3 block, void **args,
                             size_t shared, musaStream_t stream, int coop)
{
	struct rt_limits lim;
	MUfunction f;
	MUstream s;
	MUresult r;
	int dev;
	musaError_t e = rt_cur_enter(&dev);

	if (e != musaSuccess)
		return e;
	e = rt_dev_limits(dev, &lim);
	if (e != musaSuccess)
		return e;
	e = rt_check_config(&lim, grid, block, shared);
	if (e != musaSuccess)
		return e;
	e = rt_stream_resolve(stream, dev, &s);
	if (e != musaSuccess)
		return e;
	if (!func)
		return musaErrorInvalidDeviceFunction;
	e = rt_function_get(func, dev, &f);
	if (e != musaSuccess)
		return e;
	e = rt_check_function(f, &lim, block, shared);
	if (e != musaSuccess)
		return e;
	if (coop)
		r = muLaunchCooperativeKernel(f, grid.x, grid.y, grid.z, block.x, block.y,
		                              block.z, (unsigned int)shared, s, args);
	else
		r = muLaunchKernel(f, grid.x, grid.y, grid.z, block.x, block.y, block.z,
		                   (unsigned int)shared, s, args, NULL);
	if (r == MUSA_ERROR_NOT_FOUND)
		return musaErrorInvalidDeviceFunction;
	return rt_dev_result(dev, r);
}

MUSART_API musaError_t musaLaunchKernel(const void *func, dim3 gridDim, dim3 blockDim,
                                        void **args, size_t sharedMem, musaStream_t stream)
{
	return rt_ret(rt_launch(func, gridDim, blockDim, args, sharedMem, stream, 0));
}

MUSART_API musaError_t musaLaunchCooperativeKernel(const void *func, dim3 gridDim, dim3 blockDim,
                                                   void **args, size_t sharedMem,
                                                   musaStream_t stream)
{
	return rt_ret(rt_launch(func, gridDim, blockDim, args, sharedMem, stream, 1));
}
