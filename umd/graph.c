/* SPDX-License-Identifier: MIT */
/*
 * graph.c - graphs (muGraph*): building a DAG of nodes, cloning it,
 * instantiating it into an executable graph and launching that on a stream.
 *
 * Nodes keep private copies of their parameters (a kernel node keeps the
 * packed kernarg block, laid out as the kernel's metadata says). Instantiate
 * clones the graph and puts the clone's nodes into one topological order,
 * child graphs expanded in place; a launch enqueues them in that order on
 * the launch stream through the ordinary entry points (muLaunchKernel,
 * muMemcpy*Async, muMemsetD*Async, the stream's host-function queue,
 * muEventRecord, muStreamWaitEvent), which is a valid serial schedule of the
 * DAG. Launches of one exec are ordered by an internal event when they go
 * to different streams.
 * Graph objects are not thread-safe (as in CUDA), except that an exec may be
 * launched from several threads.
 * May call: stream.c, handle.c, memory.c (allocation table), capture.c,
 * launch.c (the kernel-argument packer).
 */
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "musa_log.h"

MUresult umd_edges_add(struct umd_gedges *e, MUgraphNode n)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 4;
		MUgraphNode *v = realloc(e->v, cap * sizeof(*v));

		if (!v)
			return MUSA_ERROR_OUT_OF_MEMORY;
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n++] = n;
	return MUSA_SUCCESS;
}

int umd_edges_has(const struct umd_gedges *e, MUgraphNode n)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->v[i] == n)
			return 1;
	return 0;
}

static void umd_edges_del(struct umd_gedges *e, MUgraphNode n)
{
	for (size_t i = 0; i < e->n; i++) {
		if (e->v[i] == n) {
			memmove(&e->v[i], &e->v[i + 1], (e->n - i - 1) * sizeof(*e->v));
			e->n--;
			return;
		}
	}
}

/* Adds the edge from -> to (both directions of bookkeeping). */
static MUresult umd_edge_link(MUgraphNode from, MUgraphNode to)
{
	MUresult r = umd_edges_add(&to->deps, from);

	if (r)
		return r;
	r = umd_edges_add(&from->outs, to);
	if (r)
		umd_edges_del(&to->deps, from);
	return r;
}

MUresult umd_graph_new(MUgraph *out)
{
	MUgraph g = calloc(1, sizeof(*g));

	if (!g)
		return MUSA_ERROR_OUT_OF_MEMORY;
	umd_list_init(&g->nodes);
	if (umd_handle_add(g, UMD_H_GRAPH)) {
		free(g);
		return MUSA_ERROR_OUT_OF_MEMORY;
	}
	*out = g;
	return MUSA_SUCCESS;
}

void umd_gkernel_clear(struct umd_gkernel *k)
{
	free(k->args);
	free(k->params);
	k->args = NULL;
	k->params = NULL;
	k->size = 0;
}

static void umd_node_payload_free(MUgraphNode n)
{
	if (n->type == MU_GRAPH_NODE_TYPE_KERNEL)
		umd_gkernel_clear(&n->u.k);
	else if (n->type == MU_GRAPH_NODE_TYPE_GRAPH && n->u.child)
		umd_graph_free(n->u.child);
}

void umd_graph_node_free(MUgraphNode n)
{
	for (size_t i = 0; i < n->deps.n; i++)
		umd_edges_del(&n->deps.v[i]->outs, n);
	for (size_t i = 0; i < n->outs.n; i++)
		umd_edges_del(&n->outs.v[i]->deps, n);
	umd_node_payload_free(n);
	free(n->deps.v);
	free(n->outs.v);
	umd_list_del(&n->link);
	n->graph->count--;
	umd_handle_del(n);
	free(n);
}

void umd_graph_free(MUgraph g)
{
	while (!umd_list_empty(&g->nodes)) {
		MUgraphNode n = umd_container_of(g->nodes.next, struct MUgraphNode_st, link);

		/* Edges inside the graph go with it: drop them without searching. */
		n->deps.n = 0;
		n->outs.n = 0;
		umd_node_payload_free(n);
		free(n->deps.v);
		free(n->outs.v);
		umd_list_del(&n->link);
		umd_handle_del(n);
		free(n);
	}
	umd_handle_del(g);
	free(g);
}

MUresult umd_graph_node_new(MUgraph g, MUgraphNodeType type, const MUgraphNode *deps,
			    size_t ndeps, MUgraphNode *out)
{
	MUgraphNode n = calloc(1, sizeof(*n));
	MUresult r = MUSA_SUCCESS;

	if (!n)
		return MUSA_ERROR_OUT_OF_MEMORY;
	n->graph = g;
	n->type = type;
	umd_list_init(&n->link);
	for (size_t i = 0; i < ndeps && !r; i++)
		r = umd_edge_link(deps[i], n);
	if (!r && umd_handle_add(n, UMD_H_GRAPH_NODE))
		r = MUSA_ERROR_OUT_OF_MEMORY;
	if (r) {
		for (size_t i = 0; i < n->deps.n; i++)
			umd_edges_del(&n->deps.v[i]->outs, n);
		free(n->deps.v);
		free(n);
		return r;
	}
	umd_list_add(&g->nodes, &n->link);
	g->count++;
	*out = n;
	return MUSA_SUCCESS;
}

static MUresult umd_graph_check(MUgraph g)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	return umd_handle_valid(g, UMD_H_GRAPH) ? MUSA_SUCCESS : MUSA_ERROR_INVALID_VALUE;
}

static MUresult umd_node_check(MUgraphNode n)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	return umd_handle_valid(n, UMD_H_GRAPH_NODE) ? MUSA_SUCCESS : MUSA_ERROR_INVALID_VALUE;
}

/* A node of g of the given type (any type when type < 0). */
static MUresult umd_node_typed(MUgraphNode n, int type)
{
	MUresult r = umd_node_check(n);

	if (r)
		return r;
	CHECK(type >= 0 && (int)n->type != type, MUSA_ERROR_INVALID_VALUE);
	return MUSA_SUCCESS;
}

/* Dependencies of a new node: distinct live nodes of g. */
static MUresult umd_deps_check(MUgraph g, const MUgraphNode *deps, size_t n)
{
	CHECK(n && !deps, MUSA_ERROR_INVALID_VALUE);
	for (size_t i = 0; i < n; i++) {
		CHECK(!umd_handle_valid(deps[i], UMD_H_GRAPH_NODE) || deps[i]->graph != g,
		      MUSA_ERROR_INVALID_VALUE);
		for (size_t j = 0; j < i; j++)
			CHECK(deps[j] == deps[i], MUSA_ERROR_INVALID_VALUE);
	}
	return MUSA_SUCCESS;
}

/* Common start of the muGraphAdd*Node calls. */
static MUresult umd_add_begin(MUgraphNode *out, MUgraph g, const MUgraphNode *deps, size_t n)
{
	MUresult r = umd_graph_check(g);

	if (r)
		return r;
	CHECK(!out, MUSA_ERROR_INVALID_VALUE);
	return umd_deps_check(g, deps, n);
}

/* A node type whose parameters the node holds as the caller gave them
 * (memcpy, memset, host): their size and their check. */
struct umd_node_kind {
	MUgraphNodeType type;
	size_t size;
	/* MUSA_SUCCESS or the error for parameters p; ctx is the caller's
	 * context argument, or NULL. */
	MUresult (*check)(const void *p, MUcontext ctx);
};

/* The params of node n of the given type, copied to out (size bytes). */
static MUresult umd_node_params_get(MUgraphNode n, MUgraphNodeType type, void *out, size_t size)
{
	MUresult r = umd_node_typed(n, (int)type);

	if (r)
		return r;
	CHECK(!out, MUSA_ERROR_INVALID_VALUE);
	memcpy(out, &n->u, size);
	return MUSA_SUCCESS;
}

/* Parameters for a node of kind, with the caller's context argument ctx. */
static MUresult umd_node_params_check(const struct umd_node_kind *kind, const void *params,
				      MUcontext ctx)
{
	MUcontext held = NULL;
	MUresult r;

	CHECK(!params, MUSA_ERROR_INVALID_VALUE);
	if (ctx) {
		held = umd_ctx_lookup(ctx);
		CHECK(!held, MUSA_ERROR_INVALID_VALUE);
	}
	r = kind->check(params, ctx);
	if (held)
		umd_ctx_put(held);
	return r;
}

static MUresult umd_add_params_node(const struct umd_node_kind *kind, MUgraphNode *out, MUgraph g,
				    const MUgraphNode *deps, size_t ndeps, const void *params,
				    MUcontext ctx)
{
	MUgraphNode n;
	MUresult r = umd_add_begin(out, g, deps, ndeps);

	if (r)
		return r;
	r = umd_node_params_check(kind, params, ctx);
	if (r)
		return r;
	r = umd_graph_node_new(g, kind->type, deps, ndeps, &n);
	if (r)
		return r;
	memcpy(&n->u, params, kind->size);
	*out = n;
	return MUSA_SUCCESS;
}

static MUresult umd_node_params_set(const struct umd_node_kind *kind, MUgraphNode n,
				    const void *params)
{
	MUresult r = umd_node_typed(n, (int)kind->type);

	if (r)
		return r;
	r = umd_node_params_check(kind, params, NULL);
	if (r)
		return r;
	memcpy(&n->u, params, kind->size);
	return MUSA_SUCCESS;
}

MUresult umd_gkernel_set(struct umd_gkernel *k, MUfunction f, const unsigned int grid[3],
			 const unsigned int block[3], unsigned int shared,
			 void **params, void **extra, const void *packed)
{
	const struct musa_meta_kernel *m;
	const struct drm_musa_device_info *info;
	unsigned char block_args[UMD_KERNARG_SLOT];
	uint64_t threads = 1;
	unsigned char *buf;
	void **ptrs;
	MUresult r;

	CHECK(!f, MUSA_ERROR_INVALID_VALUE);
	CHECK(!umd_handle_valid(f, UMD_H_FUNC), MUSA_ERROR_INVALID_HANDLE);
	m = f->k->meta;
	info = &f->mod->ctx->dev->info;
	for (int i = 0; i < 3; i++) {
		CHECK(!grid[i] || grid[i] > info->max_grid_dim[i], MUSA_ERROR_INVALID_VALUE);
		CHECK(!block[i] || block[i] > info->max_block_dim[i], MUSA_ERROR_INVALID_VALUE);
		threads *= block[i];
	}
	CHECK(threads > info->max_threads_per_block ||
	      (uint64_t)shared + m->static_shared > info->shared_mem_per_block,
	      MUSA_ERROR_INVALID_VALUE);
	if (!packed) {
		memset(block_args, 0, sizeof(block_args));
		r = umd_kernarg_pack(f->k, params, extra, block_args);
		if (r)
			return r;
		packed = block_args;
	}
	buf = calloc(1, m->kernarg_size ? m->kernarg_size : 1);
	ptrs = calloc(m->nparams ? m->nparams : 1, sizeof(*ptrs));
	if (!buf || !ptrs) {
		free(buf);
		free(ptrs);
		return MUSA_ERROR_OUT_OF_MEMORY;
	}
	memcpy(buf, packed, m->kernarg_size);
	for (uint32_t i = 0; i < m->nparams; i++)
		ptrs[i] = buf + f->k->params[i].offset;
	umd_gkernel_clear(k);
	k->f = f;
	memcpy(k->grid, grid, sizeof(k->grid));
	memcpy(k->block, block, sizeof(k->block));
	k->shared = shared;
	k->args = buf;
	k->size = m->kernarg_size;
	k->params = ptrs;
	return MUSA_SUCCESS;
}

static MUresult umd_gkernel_from_params(struct umd_gkernel *k, const MUSA_KERNEL_NODE_PARAMS *p)
{
	const unsigned int grid[3] = { p->gridDimX, p->gridDimY, p->gridDimZ };
	const unsigned int block[3] = { p->blockDimX, p->blockDimY, p->blockDimZ };

	return umd_gkernel_set(k, p->func, grid, block, p->sharedMemBytes, p->kernelParams,
			       p->extra, NULL);
}

static MUresult umd_gkernel_copy(struct umd_gkernel *dst, const struct umd_gkernel *src)
{
	*dst = (struct umd_gkernel){ 0 };
	return umd_gkernel_set(dst, src->f, src->grid, src->block, src->shared, NULL, NULL,
			       src->args);
}

UMD_API MUresult muGraphAddKernelNode(MUgraphNode *phGraphNode, MUgraph hGraph,
				      const MUgraphNode *dependencies, size_t numDependencies,
				      const MUSA_KERNEL_NODE_PARAMS *nodeParams)
{
	struct umd_gkernel k = { 0 };
	MUgraphNode n;
	MUresult r = umd_add_begin(phGraphNode, hGraph, dependencies, numDependencies);

	if (r)
		return r;
	CHECK(!nodeParams, MUSA_ERROR_INVALID_VALUE);
	r = umd_gkernel_from_params(&k, nodeParams);
	if (r)
		return r;
	r = umd_graph_node_new(hGraph, MU_GRAPH_NODE_TYPE_KERNEL, dependencies, numDependencies, &n);
	if (r) {
		umd_gkernel_clear(&k);
		return r;
	}
	n->u.k = k;
	*phGraphNode = n;
	return MUSA_SUCCESS;
}

UMD_API MUresult muGraphKernelNodeGetParams(MUgraphNode hNode, MUSA_KERNEL_NODE_PARAMS *nodeParams)
{
	MUresult r = umd_node_typed(hNode, MU_GRAPH_NODE_TYPE_KERNEL);
	const struct umd_gkernel *k;

	if (r)
		return r;
	CHECK(!nodeParams, MUSA_ERROR_INVALID_VALUE);
	k = &hNode->u.k;
	*nodeParams = (MUSA_KERNEL_NODE_PARAMS){
		.func = k->f,
		.gridDimX = k->grid[0], .gridDimY = k->grid[1], .gridDimZ = k->grid[2],
		.blockDimX = k->block[0], .blockDimY = k->block[1], .blockDimZ = k->block[2],
		.sharedMemBytes = k->shared,
		.kernelParams = k->params,
		.extra = NULL,
	};
	return MUSA_SUCCESS;
}

UMD_API MUresult muGraphKernelNodeSetParams(MUgraphNode hNode,
					    const MUSA_KERNEL_NODE_PARAMS *nodeParams)
{
	MUresult r = umd_node_typed(hNode, MU_GRAPH_NODE_TYPE_KERNEL);

	if (r)
		return r;
	CHECK(!nodeParams, MUSA_ERROR_INVALID_VALUE);
	return umd_gkernel_from_params(&hNode->u.k, nodeParams);
}

static int umd_memtype_ok(MUmemorytype t)
{
	return t == MU_MEMORYTYPE_HOST || t == MU_MEMORYTYPE_DEVICE || t == MU_MEMORYTYPE_UNIFIED;
}

static int umd_devptr_ok(MUdeviceptr p)
{
	struct umd_mem_info ai;
	MUcontext ctx;
	int ok;

	if (!umd_mem_lookup(p, 1, &ai))
		return 1;
	if (umd_ctx_current(&ctx))
		return 0;
	ok = umd_module_var_range(ctx, p, 1);
	umd_ctx_put(ctx);
	return ok;
}

static MUresult umd_copy3d_check(const MUSA_MEMCPY3D *p)
{
	size_t rows;

	CHECK(!umd_memtype_ok(p->srcMemoryType) || !umd_memtype_ok(p->dstMemoryType),
	      MUSA_ERROR_INVALID_VALUE);
	CHECK(p->srcLOD || p->dstLOD, MUSA_ERROR_INVALID_VALUE);
	if (!p->WidthInBytes || !p->Height || !p->Depth)
		return MUSA_SUCCESS;   /* nothing to copy */
	CHECK((p->srcMemoryType == MU_MEMORYTYPE_HOST ? !p->srcHost : !p->srcDevice) ||
	      (p->dstMemoryType == MU_MEMORYTYPE_HOST ? !p->dstHost : !p->dstDevice),
	      MUSA_ERROR_INVALID_VALUE);
	/* Device sides start inside an allocation or a module variable. */
	CHECK((p->srcMemoryType == MU_MEMORYTYPE_DEVICE && !umd_devptr_ok(p->srcDevice)) ||
	      (p->dstMemoryType == MU_MEMORYTYPE_DEVICE && !umd_devptr_ok(p->dstDevice)),
	      MUSA_ERROR_INVALID_VALUE);
	rows = p->Height * p->Depth;
	if (rows > 1 || p->srcY || p->srcZ || p->dstY || p->dstZ) {
		CHECK(p->srcPitch < p->srcXInBytes + p->WidthInBytes ||
		      p->dstPitch < p->dstXInBytes + p->WidthInBytes, MUSA_ERROR_INVALID_VALUE);
	}
	if (p->Depth > 1 || p->srcZ || p->dstZ) {
		CHECK(p->srcHeight < p->srcY + p->Height || p->dstHeight < p->dstY + p->Height,
		      MUSA_ERROR_INVALID_VALUE);
	}
	return MUSA_SUCCESS;
}

static MUresult umd_memcpy_params_check(const void *p, MUcontext ctx)
{
	(void)ctx;
	return umd_copy3d_check(p);
}

static const struct umd_node_kind umd_memcpy_node = {
	MU_GRAPH_NODE_TYPE_MEMCPY, sizeof(MUSA_MEMCPY3D), umd_memcpy_params_check
};

/* One row (or a contiguous block) of a copy through the public entry points. */
static MUresult umd_copy_run(const MUSA_MEMCPY3D *p, uint64_t dst, uint64_t src, size_t n,
			     MUstream h)
{
	int dd = p->dstMemoryType == MU_MEMORYTYPE_DEVICE;
	int sd = p->srcMemoryType == MU_MEMORYTYPE_DEVICE;

	if (dd && sd)
		return muMemcpyDtoDAsync(dst, src, n, h);
	if (dd)
		return muMemcpyHtoDAsync(dst, (const void *)(uintptr_t)src, n, h);
	if (sd)
		return muMemcpyDtoHAsync((void *)(uintptr_t)dst, src, n, h);
	return muMemcpyAsync(dst, src, n, h);
}

static MUresult umd_copy3d_run(const MUSA_MEMCPY3D *p, MUstream h)
{
	uint64_t sb = p->srcMemoryType == MU_MEMORYTYPE_HOST ?
		      (uint64_t)(uintptr_t)p->srcHost : p->srcDevice;
	uint64_t db = p->dstMemoryType == MU_MEMORYTYPE_HOST ?
		      (uint64_t)(uintptr_t)p->dstHost : p->dstDevice;
	size_t w = p->WidthInBytes, rows = p->Height * p->Depth;
	MUresult r = MUSA_SUCCESS;

	if (!w || !rows)
		return MUSA_SUCCESS;
	if (rows == 1 || (p->srcPitch == w && p->dstPitch == w && !p->srcXInBytes &&
			  !p->dstXInBytes && (p->Depth == 1 || (p->srcHeight == p->Height &&
								 p->dstHeight == p->Height)))) {
		uint64_t so = p->srcXInBytes + (p->srcY + p->srcZ * p->srcHeight) * p->srcPitch;
		uint64_t dof = p->dstXInBytes + (p->dstY + p->dstZ * p->dstHeight) * p->dstPitch;

		return umd_copy_run(p, db + dof, sb + so, w * rows, h);
	}
	for (size_t z = 0; z < p->Depth && !r; z++) {
		for (size_t y = 0; y < p->Height && !r; y++) {
			uint64_t so = p->srcXInBytes +
				      (p->srcY + y + (p->srcZ + z) * p->srcHeight) * p->srcPitch;
			uint64_t dof = p->dstXInBytes +
				       (p->dstY + y + (p->dstZ + z) * p->dstHeight) * p->dstPitch;

			r = umd_copy_run(p, db + dof, sb + so, w, h);
		}
	}
	return r;
}

UMD_API MUresult muGraphAddMemcpyNode(MUgraphNode *phGraphNode, MUgraph hGraph,
				      const MUgraphNode *dependencies, size_t numDependencies,
				      const MUSA_MEMCPY3D *copyParams, MUcontext ctx)
{
	return umd_add_params_node(&umd_memcpy_node, phGraphNode, hGraph, dependencies,
				   numDependencies, copyParams, ctx);
}

UMD_API MUresult muGraphMemcpyNodeGetParams(MUgraphNode hNode, MUSA_MEMCPY3D *nodeParams)
{
	return umd_node_params_get(hNode, MU_GRAPH_NODE_TYPE_MEMCPY, nodeParams, sizeof(*nodeParams));
}

UMD_API MUresult muGraphMemcpyNodeSetParams(MUgraphNode hNode, const MUSA_MEMCPY3D *nodeParams)
{
	return umd_node_params_set(&umd_memcpy_node, hNode, nodeParams);
}

static MUresult umd_memset_check(const MUSA_MEMSET_NODE_PARAMS *p, MUcontext ctx)
{
	struct umd_mem_info ai;
	size_t row, span;

	CHECK(p->elementSize != 1 && p->elementSize != 2 && p->elementSize != 4,
	      MUSA_ERROR_INVALID_VALUE);
	CHECK(!p->dst || !p->width || !p->height || p->dst % p->elementSize,
	      MUSA_ERROR_INVALID_VALUE);
	CHECK(p->elementSize < 4 && p->value >> (8 * p->elementSize), MUSA_ERROR_INVALID_VALUE);
	CHECK(p->width > SIZE_MAX / p->elementSize, MUSA_ERROR_INVALID_VALUE);
	row = p->width * p->elementSize;
	if (p->height > 1) {
		CHECK(p->pitch < row || p->pitch % p->elementSize ||
		      p->height - 1 > (SIZE_MAX - row) / p->pitch, MUSA_ERROR_INVALID_VALUE);
		span = (p->height - 1) * p->pitch + row;
	} else {
		span = row;
	}
	if (umd_mem_lookup(p->dst, span, &ai)) {
		MUcontext c = ctx;
		int ok;

		/* Not an allocation: a module variable of the context, or nothing. */
		CHECK(!c && umd_ctx_current(&c), MUSA_ERROR_INVALID_VALUE);
		ok = umd_module_var_range(c, p->dst, span);
		if (!ctx)
			umd_ctx_put(c);
		return ok ? MUSA_SUCCESS : MUSA_ERROR_INVALID_VALUE;
	}
	CHECK(ctx && ai.ctx != ctx, MUSA_ERROR_INVALID_VALUE);
	return MUSA_SUCCESS;
}

static MUresult umd_memset_params_check(const void *p, MUcontext ctx)
{
	return umd_memset_check(p, ctx);
}

static const struct umd_node_kind umd_memset_node = {
	MU_GRAPH_NODE_TYPE_MEMSET, sizeof(MUSA_MEMSET_NODE_PARAMS), umd_memset_params_check
};

static MUresult umd_memset_row(const MUSA_MEMSET_NODE_PARAMS *p, MUdeviceptr dst, size_t n,
			       MUstream h)
{
	switch (p->elementSize) {
	case 1:
		return muMemsetD8Async(dst, (unsigned char)p->value, n, h);
	case 2:
		return muMemsetD16Async(dst, (unsigned short)p->value, n, h);
	default:
		return muMemsetD32Async(dst, p->value, n, h);
	}
}

static MUresult umd_memset_run(const MUSA_MEMSET_NODE_PARAMS *p, MUstream h)
{
	MUresult r = MUSA_SUCCESS;

	if (p->height <= 1 || p->pitch == p->width * p->elementSize)
		return umd_memset_row(p, p->dst, p->width * (p->height ? p->height : 1), h);
	for (size_t y = 0; y < p->height && !r; y++)
		r = umd_memset_row(p, p->dst + y * p->pitch, p->width, h);
	return r;
}

UMD_API MUresult muGraphAddMemsetNode(MUgraphNode *phGraphNode, MUgraph hGraph,
				      const MUgraphNode *dependencies, size_t numDependencies,
				      const MUSA_MEMSET_NODE_PARAMS *memsetParams, MUcontext ctx)
{
	return umd_add_params_node(&umd_memset_node, phGraphNode, hGraph, dependencies,
				   numDependencies, memsetParams, ctx);
}

UMD_API MUresult muGraphMemsetNodeGetParams(MUgraphNode hNode, MUSA_MEMSET_NODE_PARAMS *nodeParams)
{
	return umd_node_params_get(hNode, MU_GRAPH_NODE_TYPE_MEMSET, nodeParams, sizeof(*nodeParams));
}

UMD_API MUresult muGraphMemsetNodeSetParams(MUgraphNode hNode,
					    const MUSA_MEMSET_NODE_PARAMS *nodeParams)
{
	return umd_node_params_set(&umd_memset_node, hNode, nodeParams);
}

static MUresult umd_host_params_check(const void *p, MUcontext ctx)
{
	(void)ctx;
	CHECK(!((const MUSA_HOST_NODE_PARAMS *)p)->fn, MUSA_ERROR_INVALID_VALUE);
	return MUSA_SUCCESS;
}

static const struct umd_node_kind umd_host_node = {
	MU_GRAPH_NODE_TYPE_HOST, sizeof(MUSA_HOST_NODE_PARAMS), umd_host_params_check
};

UMD_API MUresult muGraphAddHostNode(MUgraphNode *phGraphNode, MUgraph hGraph,
				    const MUgraphNode *dependencies, size_t numDependencies,
				    const MUSA_HOST_NODE_PARAMS *nodeParams)
{
	return umd_add_params_node(&umd_host_node, phGraphNode, hGraph, dependencies,
				   numDependencies, nodeParams, NULL);
}

UMD_API MUresult muGraphHostNodeGetParams(MUgraphNode hNode, MUSA_HOST_NODE_PARAMS *nodeParams)
{
	return umd_node_params_get(hNode, MU_GRAPH_NODE_TYPE_HOST, nodeParams, sizeof(*nodeParams));
}

UMD_API MUresult muGraphHostNodeSetParams(MUgraphNode hNode,
					    const MUSA_HOST_NODE_PARAMS *nodeParams)
{
	return umd_node_params_set(&umd_host_node, hNode, nodeParams);
}

UMD_API MUresult muGraphAddEmptyNode(MUgraphNode *phGraphNode, MUgraph hGraph,
				     const MUgraphNode *dependencies, size_t numDependencies)
{
	MUresult r = umd_add_begin(phGraphNode, hGraph, dependencies, numDependencies);

	if (r)
		return r;
	return umd_graph_node_new(hGraph, MU_GRAPH_NODE_TYPE_EMPTY, dependencies, numDependencies,
				  phGraphNode);
}

UMD_API MUresult muGraphAddChildGraphNode(MUgraphNode *phGraphNode, MUgraph hGraph,
					  const MUgraphNode *dependencies, size_t numDependencies,
					  MUgraph childGraph)
{
	MUgraph clone;
	MUgraphNode n;
	MUresult r = umd_add_begin(phGraphNode, hGraph, dependencies, numDependencies);

	if (r)
		return r;
	CHECK(!umd_handle_valid(childGraph, UMD_H_GRAPH) || childGraph == hGraph,
	      MUSA_ERROR_INVALID_VALUE);
	r = umd_graph_clone(childGraph, &clone);
	if (r)
		return r;
	r = umd_graph_node_new(hGraph, MU_GRAPH_NODE_TYPE_GRAPH, dependencies, numDependencies, &n);
	if (r) {
		umd_graph_free(clone);
		return r;
	}
	n->u.child = clone;
	*phGraphNode = n;
	return MUSA_SUCCESS;
}

UMD_API MUresult muGraphChildGraphNodeGetGraph(MUgraphNode hNode, MUgraph *phGraph)
{
	return umd_node_params_get(hNode, MU_GRAPH_NODE_TYPE_GRAPH, phGraph, sizeof(*phGraph));
}

static MUresult umd_add_event_node(MUgraphNode *out, MUgraph g, const MUgraphNode *deps,
				   size_t n, MUevent ev, MUgraphNodeType type)
{
	MUgraphNode node;
	MUresult r = umd_add_begin(out, g, deps, n);

	if (r)
		return r;
	CHECK(!umd_handle_valid(ev, UMD_H_EVENT), MUSA_ERROR_INVALID_HANDLE);
	r = umd_graph_node_new(g, type, deps, n, &node);
	if (r)
		return r;
	node->u.ev = ev;
	*out = node;
	return MUSA_SUCCESS;
}

UMD_API MUresult muGraphAddEventRecordNode(MUgraphNode *phGraphNode, MUgraph hGraph,
					   const MUgraphNode *dependencies, size_t numDependencies,
					   MUevent event)
{
	return umd_add_event_node(phGraphNode, hGraph, dependencies, numDependencies, event,
				  MU_GRAPH_NODE_TYPE_EVENT_RECORD);
}

UMD_API MUresult muGraphAddEventWaitNode(MUgraphNode *phGraphNode, MUgraph hGraph,
					 const MUgraphNode *dependencies, size_t numDependencies,
					 MUevent event)
{
	return umd_add_event_node(phGraphNode, hGraph, dependencies, numDependencies, event,
				  MU_GRAPH_NODE_TYPE_WAIT_EVENT);
}

UMD_API MUresult muGraphEventRecordNodeGetEvent(MUgraphNode hNode, MUevent *event_out)
{
	return umd_node_params_get(hNode, MU_GRAPH_NODE_TYPE_EVENT_RECORD, event_out,
				   sizeof(*event_out));
}

UMD_API MUresult muGraphEventWaitNodeGetEvent(MUgraphNode hNode, MUevent *event_out)
{
	return umd_node_params_get(hNode, MU_GRAPH_NODE_TYPE_WAIT_EVENT, event_out,
				   sizeof(*event_out));
}

UMD_API MUresult muGraphCreate(MUgraph *phGraph, unsigned int flags)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!phGraph || flags, MUSA_ERROR_INVALID_VALUE);
	return umd_graph_new(phGraph);
}

UMD_API MUresult muGraphDestroy(MUgraph hGraph)
{
	MUresult r = umd_graph_check(hGraph);

	if (r)
		return r;
	/* still being captured into */
	CHECK(umd_capture_owns(hGraph), MUSA_ERROR_INVALID_VALUE);
	umd_graph_free(hGraph);
	return MUSA_SUCCESS;
}

static MUresult umd_edges_check(MUgraph g, const MUgraphNode *from, const MUgraphNode *to,
				size_t n)
{
	MUresult r = umd_graph_check(g);

	if (r)
		return r;
	CHECK(n && (!from || !to), MUSA_ERROR_INVALID_VALUE);
	for (size_t i = 0; i < n; i++) {
		CHECK(!umd_handle_valid(from[i], UMD_H_GRAPH_NODE) ||
		      !umd_handle_valid(to[i], UMD_H_GRAPH_NODE) ||
		      from[i]->graph != g || to[i]->graph != g || from[i] == to[i],
		      MUSA_ERROR_INVALID_VALUE);
		for (size_t j = 0; j < i; j++)
			CHECK(from[j] == from[i] && to[j] == to[i], MUSA_ERROR_INVALID_VALUE);
	}
	return MUSA_SUCCESS;
}

UMD_API MUresult muGraphAddDependencies(MUgraph hGraph, const MUgraphNode *from,
					const MUgraphNode *to, size_t numDependencies)
{
	MUresult r = umd_edges_check(hGraph, from, to, numDependencies);
	size_t i;

	if (r)
		return r;
	for (i = 0; i < numDependencies; i++)
		CHECK(umd_edges_has(&to[i]->deps, from[i]), MUSA_ERROR_INVALID_VALUE);
	for (i = 0; i < numDependencies && !r; i++)
		r = umd_edge_link(from[i], to[i]);
	if (r) {
		/* Undo the edges added before the failure. */
		for (size_t j = 0; j + 1 < i; j++) {
			umd_edges_del(&to[j]->deps, from[j]);
			umd_edges_del(&from[j]->outs, to[j]);
		}
	}
	return r;
}

UMD_API MUresult muGraphRemoveDependencies(MUgraph hGraph, const MUgraphNode *from,
					   const MUgraphNode *to, size_t numDependencies)
{
	MUresult r = umd_edges_check(hGraph, from, to, numDependencies);

	if (r)
		return r;
	for (size_t i = 0; i < numDependencies; i++)
		CHECK(!umd_edges_has(&to[i]->deps, from[i]), MUSA_ERROR_INVALID_VALUE);
	for (size_t i = 0; i < numDependencies; i++) {
		umd_edges_del(&to[i]->deps, from[i]);
		umd_edges_del(&from[i]->outs, to[i]);
	}
	return MUSA_SUCCESS;
}

/* CUDA's listing convention for an array of `total` entries made by get(i). */
static void umd_list_out(MUgraphNode *out, size_t *num, size_t total, MUgraphNode *all)
{
	size_t n;

	if (!out) {
		*num = total;
		return;
	}
	n = *num < total ? *num : total;
	for (size_t i = 0; i < n; i++)
		out[i] = all[i];
	for (size_t i = n; i < *num; i++)
		out[i] = NULL;
	*num = n;
}

/* The nodes of g (roots only when roots is set), malloc'd; NULL with *n 0. */
static MUresult umd_graph_collect(MUgraph g, int roots, MUgraphNode **out, size_t *n)
{
	MUgraphNode *v = malloc((g->count ? g->count : 1) * sizeof(*v));
	size_t k = 0;

	if (!v)
		return MUSA_ERROR_OUT_OF_MEMORY;
	for (struct umd_list *l = g->nodes.next; l != &g->nodes; l = l->next) {
		MUgraphNode nd = umd_container_of(l, struct MUgraphNode_st, link);

		if (!roots || !nd->deps.n)
			v[k++] = nd;
	}
	*out = v;
	*n = k;
	return MUSA_SUCCESS;
}

static MUresult umd_graph_list(MUgraph g, int roots, MUgraphNode *nodes, size_t *num)
{
	MUgraphNode *all;
	size_t total;
	MUresult r = umd_graph_check(g);

	if (r)
		return r;
	CHECK(!num, MUSA_ERROR_INVALID_VALUE);
	r = umd_graph_collect(g, roots, &all, &total);
	if (r)
		return r;
	umd_list_out(nodes, num, total, all);
	free(all);
	return MUSA_SUCCESS;
}

UMD_API MUresult muGraphGetNodes(MUgraph hGraph, MUgraphNode *nodes, size_t *numNodes)
{
	return umd_graph_list(hGraph, 0, nodes, numNodes);
}

UMD_API MUresult muGraphGetRootNodes(MUgraph hGraph, MUgraphNode *rootNodes, size_t *numRootNodes)
{
	return umd_graph_list(hGraph, 1, rootNodes, numRootNodes);
}

UMD_API MUresult muGraphGetEdges(MUgraph hGraph, MUgraphNode *from, MUgraphNode *to,
				 size_t *numEdges)
{
	size_t total = 0, k = 0, cap;
	MUresult r = umd_graph_check(hGraph);

	if (r)
		return r;
	CHECK(!numEdges || (!from) != (!to), MUSA_ERROR_INVALID_VALUE);
	for (struct umd_list *l = hGraph->nodes.next; l != &hGraph->nodes; l = l->next)
		total += umd_container_of(l, struct MUgraphNode_st, link)->outs.n;
	if (!from) {
		*numEdges = total;
		return MUSA_SUCCESS;
	}
	cap = *numEdges;
	for (struct umd_list *l = hGraph->nodes.next; l != &hGraph->nodes && k < cap; l = l->next) {
		MUgraphNode nd = umd_container_of(l, struct MUgraphNode_st, link);

		for (size_t i = 0; i < nd->outs.n && k < cap; i++, k++) {
			from[k] = nd;
			to[k] = nd->outs.v[i];
		}
	}
	for (size_t i = k; i < cap; i++)
		from[i] = to[i] = NULL;
	*numEdges = k;
	return MUSA_SUCCESS;
}

UMD_API MUresult muGraphNodeGetType(MUgraphNode hNode, MUgraphNodeType *type)
{
	MUresult r = umd_node_check(hNode);

	if (r)
		return r;
	CHECK(!type, MUSA_ERROR_INVALID_VALUE);
	*type = hNode->type;
	return MUSA_SUCCESS;
}

UMD_API MUresult muGraphNodeGetDependencies(MUgraphNode hNode, MUgraphNode *dependencies,
					    size_t *numDependencies)
{
	MUresult r = umd_node_check(hNode);

	if (r)
		return r;
	CHECK(!numDependencies, MUSA_ERROR_INVALID_VALUE);
	umd_list_out(dependencies, numDependencies, hNode->deps.n, hNode->deps.v);
	return MUSA_SUCCESS;
}

UMD_API MUresult muGraphNodeGetDependentNodes(MUgraphNode hNode, MUgraphNode *dependentNodes,
					      size_t *numDependentNodes)
{
	MUresult r = umd_node_check(hNode);

	if (r)
		return r;
	CHECK(!numDependentNodes, MUSA_ERROR_INVALID_VALUE);
	umd_list_out(dependentNodes, numDependentNodes, hNode->outs.n, hNode->outs.v);
	return MUSA_SUCCESS;
}

UMD_API MUresult muGraphDestroyNode(MUgraphNode hNode)
{
	MUresult r = umd_node_check(hNode);

	if (r)
		return r;
	/* a capture's frontier may hold it */
	CHECK(umd_capture_owns(hNode->graph), MUSA_ERROR_INVALID_VALUE);
	umd_graph_node_free(hNode);
	return MUSA_SUCCESS;
}

MUresult umd_graph_clone(MUgraph g, MUgraph *out)
{
	MUgraphNode *map;
	MUgraph c;
	size_t i = 0;
	MUresult r;

	map = malloc((g->count ? g->count : 1) * sizeof(*map));
	if (!map)
		return MUSA_ERROR_OUT_OF_MEMORY;
	r = umd_graph_new(&c);
	if (r) {
		free(map);
		return r;
	}
	for (struct umd_list *l = g->nodes.next; l != &g->nodes && !r; l = l->next, i++) {
		MUgraphNode o = umd_container_of(l, struct MUgraphNode_st, link), n;

		o->mark = (unsigned int)i;
		r = umd_graph_node_new(c, o->type, NULL, 0, &n);
		if (r)
			break;
		map[i] = n;
		n->orig = o;
		if (o->type == MU_GRAPH_NODE_TYPE_KERNEL)
			r = umd_gkernel_copy(&n->u.k, &o->u.k);
		else if (o->type == MU_GRAPH_NODE_TYPE_GRAPH)
			r = umd_graph_clone(o->u.child, &n->u.child);
		else
			n->u = o->u;
		if (r)
			n->type = MU_GRAPH_NODE_TYPE_EMPTY;   /* nothing to free */
	}
	for (struct umd_list *l = g->nodes.next; l != &g->nodes && !r; l = l->next) {
		MUgraphNode o = umd_container_of(l, struct MUgraphNode_st, link);

		for (size_t j = 0; j < o->outs.n && !r; j++)
			r = umd_edge_link(map[o->mark], map[o->outs.v[j]->mark]);
	}
	free(map);
	if (r) {
		umd_graph_free(c);
		return r;
	}
	*out = c;
	return MUSA_SUCCESS;
}

UMD_API MUresult muGraphClone(MUgraph *phGraphClone, MUgraph originalGraph)
{
	MUresult r = umd_graph_check(originalGraph);

	if (r)
		return r;
	CHECK(!phGraphClone, MUSA_ERROR_INVALID_VALUE);
	return umd_graph_clone(originalGraph, phGraphClone);
}

UMD_API MUresult muGraphNodeFindInClone(MUgraphNode *phNode, MUgraphNode hOriginalNode,
					MUgraph hClonedGraph)
{
	MUresult r = umd_graph_check(hClonedGraph);

	if (r)
		return r;
	CHECK(!phNode || !umd_handle_valid(hOriginalNode, UMD_H_GRAPH_NODE),
	      MUSA_ERROR_INVALID_VALUE);
	for (struct umd_list *l = hClonedGraph->nodes.next; l != &hClonedGraph->nodes; l = l->next) {
		MUgraphNode n = umd_container_of(l, struct MUgraphNode_st, link);

		if (n->orig == hOriginalNode) {
			*phNode = n;
			return MUSA_SUCCESS;
		}
	}
	return MUSA_ERROR_INVALID_VALUE;
}

struct umd_order {
	MUgraphNode *v;
	size_t n, cap;
};

static MUresult umd_order_add(struct umd_order *o, MUgraphNode n)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		MUgraphNode *v = realloc(o->v, cap * sizeof(*v));

		if (!v)
			return MUSA_ERROR_OUT_OF_MEMORY;
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n++] = n;
	return MUSA_SUCCESS;
}

/* Appends g's nodes in a topological order (Kahn), child graphs expanded
 * and empty nodes left out; a cycle -> INVALID_VALUE. */
static MUresult umd_graph_order(MUgraph g, struct umd_order *o, unsigned int depth)
{
	MUgraphNode *queue;
	size_t head = 0, tail = 0;
	MUresult r = MUSA_SUCCESS;

	CHECK(depth > 64, MUSA_ERROR_INVALID_VALUE);
	queue = malloc((g->count ? g->count : 1) * sizeof(*queue));
	if (!queue)
		return MUSA_ERROR_OUT_OF_MEMORY;
	for (struct umd_list *l = g->nodes.next; l != &g->nodes; l = l->next) {
		MUgraphNode n = umd_container_of(l, struct MUgraphNode_st, link);

		n->mark = (unsigned int)n->deps.n;
		if (!n->mark)
			queue[tail++] = n;
	}
	while (head < tail && !r) {
		MUgraphNode n = queue[head++];

		for (size_t i = 0; i < n->outs.n; i++)
			if (--n->outs.v[i]->mark == 0)
				queue[tail++] = n->outs.v[i];
		if (n->type == MU_GRAPH_NODE_TYPE_GRAPH)
			r = umd_graph_order(n->u.child, o, depth + 1);
		else if (n->type != MU_GRAPH_NODE_TYPE_EMPTY)
			r = umd_order_add(o, n);
	}
	if (!r && tail != g->count)
		r = MUSA_ERROR_INVALID_VALUE;   /* a cycle */
	free(queue);
	return r;
}

UMD_API MUresult muGraphInstantiateWithFlags(MUgraphExec *phGraphExec, MUgraph hGraph,
					     unsigned long long flags)
{
	/* Auto-free, upload and node priorities change nothing here; device
	 * launch is not supported. */
	const unsigned long long ok = MUSA_GRAPH_INSTANTIATE_FLAG_AUTO_FREE_ON_LAUNCH |
				      MUSA_GRAPH_INSTANTIATE_FLAG_UPLOAD |
				      MUSA_GRAPH_INSTANTIATE_FLAG_USE_NODE_PRIORITY;
	struct umd_order o = { 0 };
	MUgraphExec x;
	MUresult r = umd_graph_check(hGraph);

	if (r)
		return r;
	CHECK(!phGraphExec || (flags & ~ok), MUSA_ERROR_INVALID_VALUE);
	x = calloc(1, sizeof(*x));
	if (!x)
		return MUSA_ERROR_OUT_OF_MEMORY;
	r = umd_graph_clone(hGraph, &x->g);
	if (r)
		goto err;
	r = umd_graph_order(x->g, &o, 0);
	if (r)
		goto err_graph;
	if (umd_handle_add(x, UMD_H_GRAPH_EXEC)) {
		r = MUSA_ERROR_OUT_OF_MEMORY;
		goto err_graph;
	}
	x->order = o.v;
	x->n = o.n;
	pthread_mutex_init(&x->lock, NULL);
	*phGraphExec = x;
	return MUSA_SUCCESS;

err_graph:
	free(o.v);
	umd_graph_free(x->g);
err:
	free(x);
	return r;
}

UMD_API MUresult muGraphInstantiate(MUgraphExec *phGraphExec, MUgraph hGraph,
				    unsigned long long flags)
{
	return muGraphInstantiateWithFlags(phGraphExec, hGraph, flags);
}

static MUresult umd_exec_check(MUgraphExec x)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	return umd_handle_valid(x, UMD_H_GRAPH_EXEC) ? MUSA_SUCCESS : MUSA_ERROR_INVALID_VALUE;
}

UMD_API MUresult muGraphExecDestroy(MUgraphExec hGraphExec)
{
	MUresult r = umd_exec_check(hGraphExec);

	if (r)
		return r;
	umd_handle_del(hGraphExec);
	pthread_mutex_lock(&hGraphExec->lock);
	if (hGraphExec->done && umd_handle_valid(hGraphExec->done, UMD_H_EVENT))
		muEventDestroy(hGraphExec->done);
	pthread_mutex_unlock(&hGraphExec->lock);
	pthread_mutex_destroy(&hGraphExec->lock);
	umd_graph_free(hGraphExec->g);
	free(hGraphExec->order);
	free(hGraphExec);
	return MUSA_SUCCESS;
}

static MUresult umd_node_run(MUgraphNode n, struct MUstream_st *s, MUstream h)
{
	const struct umd_gkernel *k;

	switch (n->type) {
	case MU_GRAPH_NODE_TYPE_KERNEL:
		k = &n->u.k;
		return muLaunchKernel(k->f, k->grid[0], k->grid[1], k->grid[2], k->block[0],
				      k->block[1], k->block[2], k->shared, h, k->params, NULL);
	case MU_GRAPH_NODE_TYPE_MEMCPY:
		return umd_copy3d_run(&n->u.c, h);
	case MU_GRAPH_NODE_TYPE_MEMSET:
		return umd_memset_run(&n->u.s, h);
	case MU_GRAPH_NODE_TYPE_HOST:
		return umd_stream_host_fn(s, n->u.h.fn, n->u.h.userData);
	case MU_GRAPH_NODE_TYPE_EVENT_RECORD:
		return muEventRecord(n->u.ev, h);
	case MU_GRAPH_NODE_TYPE_WAIT_EVENT:
		return muStreamWaitEvent(h, n->u.ev, 0);
	default:
		return MUSA_SUCCESS;
	}
}

UMD_API MUresult muGraphLaunch(MUgraphExec hGraphExec, MUstream hStream)
{
	struct MUstream_st *s;
	MUcontext ctx;
	MUresult r = umd_exec_check(hGraphExec);
	MUgraphExec x = hGraphExec;

	if (r)
		return r;
	r = umd_op_begin(hStream, &ctx, &s);
	if (r)
		return r;
	if (umd_capture_graph(s, x->g, &r)) {
		umd_stream_put(s);
		return r;
	}
	pthread_mutex_lock(&x->lock);
	if (x->done && !umd_handle_valid(x->done, UMD_H_EVENT))
		x->done = NULL;   /* its context went away */
	if (x->done && x->done->ctx != ctx) {
		/* Launched in another context before: wait on the host, and
		 * use an event of this context from now on. */
		r = muEventSynchronize(x->done);
		muEventDestroy(x->done);
		x->done = NULL;
	}
	/* The previous launch went to another stream: wait for it. */
	if (!r && x->done && x->last != hStream)
		r = muStreamWaitEvent(hStream, x->done, 0);
	for (size_t i = 0; i < x->n && !r; i++)
		r = umd_node_run(x->order[i], s, hStream);
	if (!r && !x->done && muEventCreate(&x->done, MU_EVENT_DISABLE_TIMING))
		x->done = NULL;
	if (!r && x->done) {
		r = muEventRecord(x->done, hStream);
		x->last = hStream;
	}
	pthread_mutex_unlock(&x->lock);
	umd_stream_put(s);
	return r;
}

UMD_API MUresult muGraphUpload(MUgraphExec hGraphExec, MUstream hStream)
{
	struct MUstream_st *s;
	MUcontext ctx;
	MUresult r = umd_exec_check(hGraphExec);

	if (r)
		return r;
	/* Nothing to place ahead of time: nodes are enqueued at launch. */
	r = umd_op_begin(hStream, &ctx, &s);
	if (!r)
		umd_stream_put(s);
	return r;
}

UMD_API MUresult muGraphExecKernelNodeSetParams(MUgraphExec hGraphExec, MUgraphNode hNode,
						const MUSA_KERNEL_NODE_PARAMS *nodeParams)
{
	MUresult r = umd_exec_check(hGraphExec);

	if (r)
		return r;
	r = umd_node_typed(hNode, MU_GRAPH_NODE_TYPE_KERNEL);
	if (r)
		return r;
	CHECK(!nodeParams, MUSA_ERROR_INVALID_VALUE);
	pthread_mutex_lock(&hGraphExec->lock);
	r = MUSA_ERROR_INVALID_VALUE;
	for (size_t i = 0; i < hGraphExec->n; i++) {
		MUgraphNode n = hGraphExec->order[i];

		if (n->orig != hNode)
			continue;
		/* The function may change only within its context. */
		if (nodeParams->func && umd_handle_valid(nodeParams->func, UMD_H_FUNC) &&
		    umd_handle_valid(n->u.k.f, UMD_H_FUNC) &&
		    nodeParams->func->mod->ctx != n->u.k.f->mod->ctx)
			break;
		r = umd_gkernel_from_params(&n->u.k, nodeParams);
		break;
	}
	pthread_mutex_unlock(&hGraphExec->lock);
	return r;
}

/* The exec's copy of node orig of the graph it was made from; NULL if none
 * or of another type. hGraphExec->lock held. */
static MUgraphNode umd_exec_find(MUgraphExec x, MUgraphNode orig, MUgraphNodeType type)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->order[i]->orig == orig)
			return x->order[i]->type == type ? x->order[i] : NULL;
	return NULL;
}

/* The parameters of the exec's copy of node orig, a node of kind. */
static MUresult umd_exec_params_set(const struct umd_node_kind *kind, MUgraphExec x,
				    MUgraphNode orig, const void *params, MUcontext ctx)
{
	MUgraphNode n;
	MUresult r = umd_exec_check(x);

	if (r)
		return r;
	r = umd_node_typed(orig, (int)kind->type);
	if (r)
		return r;
	r = umd_node_params_check(kind, params, ctx);
	if (r)
		return r;
	pthread_mutex_lock(&x->lock);
	n = umd_exec_find(x, orig, kind->type);
	if (n)
		memcpy(&n->u, params, kind->size);
	pthread_mutex_unlock(&x->lock);
	return n ? MUSA_SUCCESS : MUSA_ERROR_INVALID_VALUE;
}

UMD_API MUresult muGraphExecMemsetNodeSetParams(MUgraphExec hGraphExec, MUgraphNode hNode,
						const MUSA_MEMSET_NODE_PARAMS *memsetParams,
						MUcontext ctx)
{
	return umd_exec_params_set(&umd_memset_node, hGraphExec, hNode, memsetParams, ctx);
}

UMD_API MUresult muGraphExecMemcpyNodeSetParams(MUgraphExec hGraphExec, MUgraphNode hNode,
						const MUSA_MEMCPY3D *copyParams, MUcontext ctx)
{
	return umd_exec_params_set(&umd_memcpy_node, hGraphExec, hNode, copyParams, ctx);
}

UMD_API MUresult muGraphExecHostNodeSetParams(MUgraphExec hGraphExec, MUgraphNode hNode,
					      const MUSA_HOST_NODE_PARAMS *nodeParams)
{
	return umd_exec_params_set(&umd_host_node, hGraphExec, hNode, nodeParams, NULL);
}
