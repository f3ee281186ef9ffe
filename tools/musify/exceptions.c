/* SPDX-License-Identifier: MIT */
/*
 * exceptions.c - the one table of names that names.c's rule cannot derive
 * from the headers: macros the compiler predefines rather than a header,
 * nvcc's own names, and CUDA toolkit headers whose content MUSA keeps in
 * headers of other names. docs/porting.md lists this table; a name added
 * to the MUSA headers under its rule-derived name needs no entry here.
 *
 * Flags: EXC_FWD maps the CUDA name to the MUSA one, EXC_REV maps back;
 * EXC_FALLBACK (headers) applies only while the installed headers lack a
 * header of the CUDA name itself (cooperative_groups.h is kept under its
 * CUDA name once it is installed).
 * May call: nothing.
 */
#include "musify.h"

#define FR (EXC_FWD | EXC_REV)
#define HDR_FALLBACK (EXC_HEADER | EXC_FWD | EXC_FALLBACK)

const struct exception musify_exceptions[] = {
	/* predefined by the compiler, not declared in any header */
	{ "__CUDACC__", "__MUSACC__", FR, "defined by mcc for .mu sources" },
	{ "__CUDA_ARCH__", "__MUSA_ARCH__", FR, "defined by mcc's device pass" },
	{ "__NVCC__", "__MUSACC__", EXC_FWD, "nvcc's own macro; mcc's is __MUSACC__" },
	{ "CUDART_CB", "MUSART_CB", FR, "calling convention of host callbacks" },
	/* NVIDIA's nv_ prefix is MUSA's mt_ (Moore Threads) */
	{ "__nv_bfloat16", "__mt_bfloat16", FR, "musa_bf16.h" },
	{ "__nv_bfloat162", "__mt_bfloat162", FR, "musa_bf16.h" },
	{ "nv_bfloat16", "mt_bfloat16", FR, "musa_bf16.h" },
	{ "nv_bfloat162", "mt_bfloat162", FR, "musa_bf16.h" },
	/* NCCL's CUDA names inside its own */
	{ "ncclCommCuDevice", "mcclCommMuDevice", FR, "mccl.h" },
	{ "ncclUnhandledCudaError", "mcclUnhandledMusaError", FR, "mccl.h" },

	/* toolkit headers whose declarations MUSA keeps elsewhere */
	{ "cooperative_groups.h", "musa_cooperative_groups.h", HDR_FALLBACK | EXC_REV,
	  "older installs have only musa_cooperative_groups.h" },
	{ "cooperative_groups/reduce.h", "musa_cooperative_groups.h", HDR_FALLBACK,
	  "cg::reduce lives in musa_cooperative_groups.h" },
	{ "cooperative_groups/memcpy_async.h", "musa_cooperative_groups.h", HDR_FALLBACK,
	  "cg::memcpy_async lives in musa_cooperative_groups.h" },
	{ "vector_types.h", "musa_vector_types.h", HDR_FALLBACK | EXC_REV, "float4, dim3, ..." },
	{ "vector_functions.h", "musa_vector_types.h", HDR_FALLBACK, "make_float4, ..." },
	{ "builtin_types.h", "musa_runtime.h", HDR_FALLBACK, "all built-in types" },
	{ "device_launch_parameters.h", "musa_runtime.h", HDR_FALLBACK,
	  "threadIdx, blockDim, ... (implicit in .mu files)" },
	{ "driver_types.h", "musa_runtime_api.h", HDR_FALLBACK, "musaError_t, musaStream_t, ..." },
	{ "driver_functions.h", "musa_runtime_api.h", HDR_FALLBACK, "make_musaPitchedPtr, ..." },
	{ "device_functions.h", "musa_device_functions.h", HDR_FALLBACK | EXC_REV,
	  "__syncthreads, __shfl_sync, ..." },
	{ "texture_types.h", "musa_runtime_api.h", HDR_FALLBACK, "texture object descriptors" },
	{ "surface_types.h", "musa_runtime_api.h", HDR_FALLBACK, "surface objects" },
	{ "channel_descriptor.h", "musa_runtime.h", HDR_FALLBACK, "musaCreateChannelDesc<T>" },
	{ "texture_fetch_functions.h", "musa_runtime.h", HDR_FALLBACK, "tex1D, tex2D, ..." },
	{ "cuda_texture_types.h", "musa_runtime.h", HDR_FALLBACK, "texture<T>" },
	{ "cuda_surface_types.h", "musa_runtime.h", HDR_FALLBACK, "surface<T>" },
};

const size_t musify_nexceptions = sizeof(musify_exceptions) / sizeof(musify_exceptions[0]);
