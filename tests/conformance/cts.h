/* SPDX-License-Identifier: MIT */
/*
 * cts.h - the conformance suite's harness (tests/conformance/, musa-cts).
 *
 * One file per API area. A test is written as
 *
 *     CTS_TEST(memory, malloc_zero_size)
 *     {
 *             void *p = (void *)1;
 *             ck_assert_int_eq(musaMalloc(&p, 0), musaSuccess);
 *     }
 *
 * and is known to the runner as "memory/malloc_zero_size"; names must be
 * unique within an area. Tests use Check's ck_assert* macros and run in a
 * forked child each (CK_FORK=no runs them in-process), so a test may leave
 * the process in any state. CTS_SKIP("why") ends a test as skipped (the
 * feature is absent on the implementation under test, e.g. only one
 * device); CTS_REQUIRE_DEVICES(n) skips unless n devices are visible.
 *
 * The same sources build against CUDA: with -DCTS_CUDA the musa and mu
 * names are mapped to CUDA's by the generated cts_cuda_map.h (see
 * docs/conformance.md). Use only names that exist in both APIs in such
 * tests; MUSA-only behaviour goes under #ifndef CTS_CUDA.
 */
#ifndef CTS_H
#define CTS_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#ifdef CTS_CUDA
#include "cts_cuda_map.h"
#else
#include "musa.h"
#include "musa_runtime_api.h"
#endif

/* CTS_LEGACY_API: the deprecated calls and musaDeviceProp fields that CUDA 13
 * removed (musaThreadSynchronize, clockRate ...) are there to test. */
#if !defined(CTS_CUDA) || CUDART_VERSION < 13000
#define CTS_LEGACY_API 1
#else
#define CTS_LEGACY_API 0
#endif

#if defined(__cplusplus)
extern "C" {
#endif

/* Registers a test (called by CTS_TEST's constructor). */
void cts_register(const char *area, const TTest *test);

/* Number of devices the runtime sees (0 when it reports none or fails). */
int cts_device_count(void);

/* Driver-API set-up: muInit(0), then the primary context of device 0
 * retained and made current (asserts success). */
MUcontext cts_drv_init(void);

/* Kernels of cts_kernels.mu, as host stubs (for musaLaunchKernel, graph
 * kernel nodes, musaFuncGetAttributes ...):
 *   fill(int *p, int v, int n)          p[i] = v  for i < n
 *   add(int *p, int v, int n)           p[i] += v for i < n
 *   wait_flag(volatile int *flag, int *out)   spins until *flag != 0 (at most
 *        about 10 s), then *out = 1; *flag must be host memory the device can
 *        read (musaHostAlloc ... Mapped), to test NotReady states.
 * The launch helpers use 256-thread blocks and return musaGetLastError(). */
const void *cts_kernel_fill(void);
const void *cts_kernel_add(void);
const void *cts_kernel_wait_flag(void);
musaError_t cts_launch_fill(int *p, int v, int n, musaStream_t s);
musaError_t cts_launch_add(int *p, int v, int n, musaStream_t s);
musaError_t cts_launch_wait_flag(volatile int *flag, int *out, musaStream_t s);

/* Variables of cts_kernels.mu for the symbol API (symbol.c), as the runtime
 * expects a symbol (the variable itself, i.e. its host shadow's address):
 *   __device__ int cts_symbol_var[CTS_SYMBOL_N];      cts_symbol_dev()
 *   __constant__ int cts_symbol_const[CTS_SYMBOL_N];  cts_symbol_const_dev()
 * cts_launch_symbol_read(out, n, s) runs one block that writes
 * out[i] = cts_symbol_var[i] + cts_symbol_const[i] for i < n (n at most
 * CTS_SYMBOL_N) and returns musaGetLastError(). The module of the driver-API
 * tests holds both variables under these names. */
#define CTS_SYMBOL_N 16
const void *cts_symbol_dev(void);
const void *cts_symbol_const_dev(void);
musaError_t cts_launch_symbol_read(int *out, int n, musaStream_t s);

/* Texture kernels of cts_kernels.mu (texture.c, texture_drv.c). coords and
 * out are device arrays of n float4; a sample i reads the texture t at
 * (x, y, z) of coords[i] (layer: w) through the fetch of `shape`
 * (CTS_TEX_SHAPE_*), as float4, or as int4 whose bits go to out[i] when
 * as_int. cts_launch_surf_inc adds 1 to every float of a w x h surface
 * (layers > 1: of each layer); cts_launch_surf_bounds reads floats at
 * (x bytes, y) of at[i] (int2) with the boundary mode. The legacy reference
 * helpers (not with CUDA, which removed references) read
 * `__device__ texture<float, 1> cts_tex_ref` with tex1Dfetch (w == 0) or
 * `texture<unsigned char, 2, musaReadModeNormalizedFloat> cts_tex_ref2d` at
 * texel centres of a w-wide image. */
#define CTS_TEX_SHAPE_FETCH     0
#define CTS_TEX_SHAPE_1D        1
#define CTS_TEX_SHAPE_2D        2
#define CTS_TEX_SHAPE_3D        3
#define CTS_TEX_SHAPE_1DLAYERED 11
#define CTS_TEX_SHAPE_2DLAYERED 12
musaError_t cts_launch_tex_sample(musaTextureObject_t t, int shape, int as_int,
				  const void *coords, void *out, int n);
musaError_t cts_launch_surf_inc(musaSurfaceObject_t s, int w, int h, int layers);
musaError_t cts_launch_surf_bounds(musaSurfaceObject_t s, const void *at, float *out, int n,
				   int mode);
#ifndef CTS_CUDA
const void *cts_tex_ref_symbol(int two_d);
musaError_t cts_launch_tex_ref_read(float *out, int n, int w);
#endif

/* Path of a file of the build (the code object of driver-API tests), or NULL
 * when the implementation under test has none (such tests CTS_SKIP). The
 * environment variable MUSA_CTS_MODULE overrides the built-in path. The
 * module holds the kernels above under the names "cts_fill", "cts_add" and
 * "cts_wait_flag". */
const char *cts_module_path(void);

/* Starts this program again (/proc/self/exe, argv[0] `name`) in a child
 * process with NAME=VALUE added to its environment and, where in_fd or
 * out_fd is not -1, that descriptor as its stdin or stdout; returns the
 * child's pid (asserts that fork succeeded). Everything that allocates is
 * done before fork: the child of a multi-threaded process may only make
 * async-signal-safe calls until it execs. */
pid_t cts_spawn_self(const char *name, const char *var, const char *value, int in_fd,
                     int out_fd);

/*
 * CUDA 12 signatures on CUDA 13 (docs/conformance.md). Our API has CUDA 12's
 * forms of these functions; CUDA 13 changed them (a memory location for a
 * device ordinal, edge data for graph dependencies, creation parameters for
 * contexts). Tests call them through these helpers, which take our (CUDA 12)
 * arguments and, built against CUDA 13, pass the neutral new ones: a NULL
 * edge-data array (plain edges), no context-creation parameters, and the
 * device (or the host, for musaCpuDeviceId / MU_DEVICE_CPU) as location.
 */
#if defined(CTS_CUDA) && CUDART_VERSION >= 13000
static inline struct cudaMemLocation cts_rt_location(int device)
{
	struct cudaMemLocation l;

	memset(&l, 0, sizeof(l));
	l.type = device == cudaCpuDeviceId ? cudaMemLocationTypeHost : cudaMemLocationTypeDevice;
	l.id = device == cudaCpuDeviceId ? 0 : device;
	return l;
}

static inline CUmemLocation cts_drv_location(CUdevice device)
{
	CUmemLocation l;

	memset(&l, 0, sizeof(l));
	l.type = device == CU_DEVICE_CPU ? CU_MEM_LOCATION_TYPE_HOST : CU_MEM_LOCATION_TYPE_DEVICE;
	l.id = device == CU_DEVICE_CPU ? 0 : device;
	return l;
}
#define CTS_EDGES NULL,
#else
#define CTS_EDGES
#endif

static inline MUresult cts_ctx_create(MUcontext *pctx, unsigned int flags, MUdevice dev)
{
#if defined(CTS_CUDA) && CUDA_VERSION >= 13000
	return cuCtxCreate(pctx, NULL, flags, dev);
#else
	return muCtxCreate(pctx, flags, dev);
#endif
}

static inline musaError_t cts_mem_prefetch_async(const void *p, size_t count, int device,
						  musaStream_t s)
{
#if defined(CTS_CUDA) && CUDART_VERSION >= 13000
	return cudaMemPrefetchAsync(p, count, cts_rt_location(device), 0, s);
#else
	return musaMemPrefetchAsync(p, count, device, s);
#endif
}

static inline musaError_t cts_mem_advise(const void *p, size_t count,
					 enum musaMemoryAdvise advice, int device)
{
#if defined(CTS_CUDA) && CUDART_VERSION >= 13000
	return cudaMemAdvise(p, count, advice, cts_rt_location(device));
#else
	return musaMemAdvise(p, count, advice, device);
#endif
}

static inline MUresult cts_drv_mem_prefetch_async(MUdeviceptr p, size_t count, MUdevice device,
						  MUstream s)
{
#if defined(CTS_CUDA) && CUDA_VERSION >= 13000
	return cuMemPrefetchAsync(p, count, cts_drv_location(device), 0, s);
#else
	return muMemPrefetchAsync(p, count, device, s);
#endif
}

static inline MUresult cts_drv_mem_advise(MUdeviceptr p, size_t count, MUmem_advise advice,
					  MUdevice device)
{
#if defined(CTS_CUDA) && CUDA_VERSION >= 13000
	return cuMemAdvise(p, count, advice, cts_drv_location(device));
#else
	return muMemAdvise(p, count, advice, device);
#endif
}

static inline musaError_t cts_graph_add_dependencies(musaGraph_t g, const musaGraphNode_t *from,
						      const musaGraphNode_t *to, size_t n)
{
	return musaGraphAddDependencies(g, from, to, CTS_EDGES n);
}

static inline musaError_t cts_graph_remove_dependencies(musaGraph_t g,
							 const musaGraphNode_t *from,
							 const musaGraphNode_t *to, size_t n)
{
	return musaGraphRemoveDependencies(g, from, to, CTS_EDGES n);
}

static inline musaError_t cts_graph_get_edges(musaGraph_t g, musaGraphNode_t *from,
					       musaGraphNode_t *to, size_t *n)
{
	return musaGraphGetEdges(g, from, to, CTS_EDGES n);
}

static inline musaError_t cts_graph_node_get_dependencies(musaGraphNode_t node,
							   musaGraphNode_t *deps, size_t *n)
{
	return musaGraphNodeGetDependencies(node, deps, CTS_EDGES n);
}

static inline musaError_t cts_graph_node_get_dependent_nodes(musaGraphNode_t node,
							      musaGraphNode_t *deps, size_t *n)
{
	return musaGraphNodeGetDependentNodes(node, deps, CTS_EDGES n);
}

static inline MUresult cts_drv_graph_add_dependencies(MUgraph g, const MUgraphNode *from,
						     const MUgraphNode *to, size_t n)
{
	return muGraphAddDependencies(g, from, to, CTS_EDGES n);
}

static inline MUresult cts_drv_graph_get_edges(MUgraph g, MUgraphNode *from, MUgraphNode *to,
					      size_t *n)
{
	return muGraphGetEdges(g, from, to, CTS_EDGES n);
}

static inline MUresult cts_drv_graph_node_get_dependencies(MUgraphNode node, MUgraphNode *deps,
							  size_t *n)
{
	return muGraphNodeGetDependencies(node, deps, CTS_EDGES n);
}

static inline MUresult cts_drv_graph_remove_dependencies(MUgraph g, const MUgraphNode *from,
							 const MUgraphNode *to, size_t n)
{
	return muGraphRemoveDependencies(g, from, to, CTS_EDGES n);
}

static inline MUresult cts_drv_graph_node_get_dependent_nodes(MUgraphNode node,
							      MUgraphNode *deps, size_t *n)
{
	return muGraphNodeGetDependentNodes(node, deps, CTS_EDGES n);
}

static inline musaError_t cts_stream_get_capture_info(musaStream_t s,
						       enum musaStreamCaptureStatus *status,
						       unsigned long long *id, musaGraph_t *graph,
						       const musaGraphNode_t **deps, size_t *n)
{
	return musaStreamGetCaptureInfo(s, status, id, graph, deps, CTS_EDGES n);
}

#if defined(__cplusplus)
}
#endif

#define CTS_TEST(area, name)                                                      \
	static void cts_##area##_##name##_fn(int _i CK_ATTRIBUTE_UNUSED);            \
	static const TTest cts_##area##_##name##_tt = {                               \
		#area "/" #name, cts_##area##_##name##_fn, __FILE__, __LINE__ };      \
	__attribute__((constructor)) static void cts_##area##_##name##_reg(void)     \
	{                                                                             \
		cts_register(#area, &cts_##area##_##name##_tt);                        \
	}                                                                             \
	static void cts_##area##_##name##_fn(int _i CK_ATTRIBUTE_UNUSED)

/* Ends the test as skipped; the runner counts it apart from failures. */
#define CTS_SKIP_PREFIX "SKIP: "
#define CTS_SKIP(...) ck_abort_msg(CTS_SKIP_PREFIX __VA_ARGS__)

#define CTS_REQUIRE_DEVICES(n)                                                    \
	do {                                                                          \
		if (cts_device_count() < (n))                                         \
			CTS_SKIP("needs %d devices, %d visible", (n), cts_device_count()); \
	} while (0)

/* Asserts an exact runtime / driver result, printing both names. */
#define CTS_RT(call, expect)                                                      \
	do {                                                                          \
		int cts_r_ = (int)(call), cts_e_ = (int)(expect);                     \
		ck_assert_msg(cts_r_ == cts_e_, "%s returned %d (%s), expected %d (%s)", \
			      #call, cts_r_, musaGetErrorName((musaError_t)cts_r_),    \
			      cts_e_, musaGetErrorName((musaError_t)cts_e_));          \
	} while (0)

#define CTS_DRV(call, expect)                                                     \
	do {                                                                          \
		const char *cts_n1_ = "?", *cts_n2_ = "?";                            \
		int cts_r_ = (int)(call), cts_e_ = (int)(expect);                     \
		muGetErrorName((MUresult)cts_r_, &cts_n1_);                            \
		muGetErrorName((MUresult)cts_e_, &cts_n2_);                            \
		ck_assert_msg(cts_r_ == cts_e_, "%s returned %d (%s), expected %d (%s)", \
			      #call, cts_r_, cts_n1_ ? cts_n1_ : "?", cts_e_,          \
			      cts_n2_ ? cts_n2_ : "?");                                \
	} while (0)

#define CTS_RT_OK(call)  CTS_RT(call, musaSuccess)
#define CTS_DRV_OK(call) CTS_DRV(call, MUSA_SUCCESS)

#endif /* CTS_H */
