/* SPDX-License-Identifier: MIT */
/*
 * musa.h - the MUSA driver API (libmusa), named as CUDA's driver API with
 * cu -> mu and CU -> MU. Every function returns a MUresult; on bad input it
 * returns the documented error and changes nothing. Functions other than
 * muInit, muDriverGetVersion, muGetErrorName and muGetErrorString return
 * MUSA_ERROR_NOT_INITIALIZED before muInit(0) succeeded.
 */
#ifndef MUSA_H
#define MUSA_H
#define __musa_musa_h__   /* cuda.h's guard name, renamed (ported helpers test it) */

#include <stddef.h>
#include <stdint.h>

#if defined(__cplusplus)
extern "C" {
#endif

#define MUSA_VERSION 12000  /* API version: 1000 * major + 10 * minor */
/* Calling convention of host callbacks (CUDA's CUDA_CB): none on Linux. */
#define MUSA_CB

typedef int MUdevice;
typedef unsigned long long MUdeviceptr;
typedef struct MUctx_st *MUcontext;
typedef struct MUmod_st *MUmodule;
typedef struct MUfunc_st *MUfunction;
typedef struct MUstream_st *MUstream;
typedef struct MUevent_st *MUevent;

typedef enum musaError_enum {
	MUSA_SUCCESS = 0,
	MUSA_ERROR_INVALID_VALUE = 1,
	MUSA_ERROR_OUT_OF_MEMORY = 2,
	MUSA_ERROR_NOT_INITIALIZED = 3,
	MUSA_ERROR_DEINITIALIZED = 4,
	MUSA_ERROR_PROFILER_DISABLED = 5,
	MUSA_ERROR_STUB_LIBRARY = 34,
	MUSA_ERROR_DEVICE_UNAVAILABLE = 46,
	MUSA_ERROR_NO_DEVICE = 100,
	MUSA_ERROR_INVALID_DEVICE = 101,
	MUSA_ERROR_DEVICE_NOT_LICENSED = 102,
	MUSA_ERROR_INVALID_IMAGE = 200,
	MUSA_ERROR_INVALID_CONTEXT = 201,
	MUSA_ERROR_CONTEXT_ALREADY_CURRENT = 202,
	MUSA_ERROR_MAP_FAILED = 205,
	MUSA_ERROR_UNMAP_FAILED = 206,
	MUSA_ERROR_ARRAY_IS_MAPPED = 207,
	MUSA_ERROR_ALREADY_MAPPED = 208,
	MUSA_ERROR_NO_BINARY_FOR_GPU = 209,
	MUSA_ERROR_ALREADY_ACQUIRED = 210,
	MUSA_ERROR_NOT_MAPPED = 211,
	MUSA_ERROR_NOT_MAPPED_AS_ARRAY = 212,
	MUSA_ERROR_NOT_MAPPED_AS_POINTER = 213,
	MUSA_ERROR_ECC_UNCORRECTABLE = 214,
	MUSA_ERROR_UNSUPPORTED_LIMIT = 215,
	MUSA_ERROR_CONTEXT_ALREADY_IN_USE = 216,
	MUSA_ERROR_PEER_ACCESS_UNSUPPORTED = 217,
	MUSA_ERROR_INVALID_PTX = 218,
	MUSA_ERROR_INVALID_GRAPHICS_CONTEXT = 219,
	MUSA_ERROR_JIT_COMPILER_NOT_FOUND = 221,
	MUSA_ERROR_INVALID_SOURCE = 300,
	MUSA_ERROR_FILE_NOT_FOUND = 301,
	MUSA_ERROR_SHARED_OBJECT_SYMBOL_NOT_FOUND = 302,
	MUSA_ERROR_SHARED_OBJECT_INIT_FAILED = 303,
	MUSA_ERROR_OPERATING_SYSTEM = 304,
	MUSA_ERROR_INVALID_HANDLE = 400,
	MUSA_ERROR_ILLEGAL_STATE = 401,
	MUSA_ERROR_NOT_FOUND = 500,
	MUSA_ERROR_NOT_READY = 600,
	MUSA_ERROR_ILLEGAL_ADDRESS = 700,
	MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES = 701,
	MUSA_ERROR_LAUNCH_TIMEOUT = 702,
	MUSA_ERROR_LAUNCH_INCOMPATIBLE_TEXTURING = 703,
	MUSA_ERROR_PEER_ACCESS_ALREADY_ENABLED = 704,
	MUSA_ERROR_PEER_ACCESS_NOT_ENABLED = 705,
	MUSA_ERROR_PRIMARY_CONTEXT_ACTIVE = 708,
	MUSA_ERROR_CONTEXT_IS_DESTROYED = 709,
	MUSA_ERROR_ASSERT = 710,
	MUSA_ERROR_TOO_MANY_PEERS = 711,
	MUSA_ERROR_HOST_MEMORY_ALREADY_REGISTERED = 712,
	MUSA_ERROR_HOST_MEMORY_NOT_REGISTERED = 713,
	MUSA_ERROR_HARDWARE_STACK_ERROR = 714,
	MUSA_ERROR_ILLEGAL_INSTRUCTION = 715,
	MUSA_ERROR_MISALIGNED_ADDRESS = 716,
	MUSA_ERROR_INVALID_ADDRESS_SPACE = 717,
	MUSA_ERROR_INVALID_PC = 718,
	MUSA_ERROR_LAUNCH_FAILED = 719,
	MUSA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE = 720,
	MUSA_ERROR_NOT_PERMITTED = 800,
	MUSA_ERROR_NOT_SUPPORTED = 801,
	MUSA_ERROR_SYSTEM_NOT_READY = 802,
	MUSA_ERROR_SYSTEM_DRIVER_MISMATCH = 803,
	MUSA_ERROR_STREAM_CAPTURE_UNSUPPORTED = 900,
	MUSA_ERROR_STREAM_CAPTURE_INVALIDATED = 901,
	MUSA_ERROR_STREAM_CAPTURE_MERGE = 902,
	MUSA_ERROR_STREAM_CAPTURE_UNMATCHED = 903,
	MUSA_ERROR_STREAM_CAPTURE_UNJOINED = 904,
	MUSA_ERROR_STREAM_CAPTURE_ISOLATION = 905,
	MUSA_ERROR_STREAM_CAPTURE_IMPLICIT = 906,
	MUSA_ERROR_CAPTURED_EVENT = 907,
	MUSA_ERROR_STREAM_CAPTURE_WRONG_THREAD = 908,
	MUSA_ERROR_TIMEOUT = 909,
	MUSA_ERROR_GRAPH_EXEC_UPDATE_FAILURE = 910,
	MUSA_ERROR_UNKNOWN = 999
} MUresult;

typedef enum MUdevice_attribute_enum {
	MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 1,
	MU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X = 2,
	MU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y = 3,
	MU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z = 4,
	MU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X = 5,
	MU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y = 6,
	MU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z = 7,
	MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK = 8,
	MU_DEVICE_ATTRIBUTE_TOTAL_CONSTANT_MEMORY = 9,
	MU_DEVICE_ATTRIBUTE_WARP_SIZE = 10,
	MU_DEVICE_ATTRIBUTE_MAX_PITCH = 11,
	MU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK = 12,
	MU_DEVICE_ATTRIBUTE_CLOCK_RATE = 13,
	MU_DEVICE_ATTRIBUTE_TEXTURE_ALIGNMENT = 14,
	MU_DEVICE_ATTRIBUTE_GPU_OVERLAP = 15,
	MU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16,
	MU_DEVICE_ATTRIBUTE_KERNEL_EXEC_TIMEOUT = 17,
	MU_DEVICE_ATTRIBUTE_INTEGRATED = 18,
	MU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY = 19,
	MU_DEVICE_ATTRIBUTE_COMPUTE_MODE = 20,
	MU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS = 31,
	MU_DEVICE_ATTRIBUTE_ECC_ENABLED = 32,
	MU_DEVICE_ATTRIBUTE_PCI_BUS_ID = 33,
	MU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID = 34,
	MU_DEVICE_ATTRIBUTE_TCC_DRIVER = 35,
	MU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE = 36,
	MU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH = 37,
	MU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE = 38,
	MU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR = 39,
	MU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT = 40,
	MU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING = 41,
	MU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID = 50,
	MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75,
	MU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76,
	MU_DEVICE_ATTRIBUTE_STREAM_PRIORITIES_SUPPORTED = 78,
	MU_DEVICE_ATTRIBUTE_GLOBAL_L1_CACHE_SUPPORTED = 79,
	MU_DEVICE_ATTRIBUTE_LOCAL_L1_CACHE_SUPPORTED = 80,
	MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR = 81,
	MU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_MULTIPROCESSOR = 82,
	MU_DEVICE_ATTRIBUTE_MANAGED_MEMORY = 83,
	MU_DEVICE_ATTRIBUTE_MULTI_GPU_BOARD = 84,
	MU_DEVICE_ATTRIBUTE_MULTI_GPU_BOARD_GROUP_ID = 85,
	MU_DEVICE_ATTRIBUTE_HOST_NATIVE_ATOMIC_SUPPORTED = 86,
	MU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS = 88,
	MU_DEVICE_ATTRIBUTE_CONCURRENT_MANAGED_ACCESS = 89,
	MU_DEVICE_ATTRIBUTE_COMPUTE_PREEMPTION_SUPPORTED = 90,
	MU_DEVICE_ATTRIBUTE_CAN_USE_HOST_POINTER_FOR_REGISTERED_MEM = 91,
	MU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH = 95,
	MU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97,
	MU_DEVICE_ATTRIBUTE_MAX_BLOCKS_PER_MULTIPROCESSOR = 106,
	/* The rest of CUDA 12's attributes, with CUDA's values. */
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_WIDTH = 21,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_WIDTH = 22,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_HEIGHT = 23,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_WIDTH = 24,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_HEIGHT = 25,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_DEPTH = 26,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_WIDTH = 27,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_HEIGHT = 28,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LAYERED_LAYERS = 29,
	MU_DEVICE_ATTRIBUTE_SURFACE_ALIGNMENT = 30,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_LAYERED_WIDTH = 42,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_LAYERED_LAYERS = 43,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_GATHER_WIDTH = 45,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_GATHER_HEIGHT = 46,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_WIDTH_ALTERNATE = 47,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_HEIGHT_ALTERNATE = 48,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE3D_DEPTH_ALTERNATE = 49,
	MU_DEVICE_ATTRIBUTE_TEXTURE_PITCH_ALIGNMENT = 51,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURECUBEMAP_WIDTH = 52,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURECUBEMAP_LAYERED_WIDTH = 53,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURECUBEMAP_LAYERED_LAYERS = 54,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_WIDTH = 55,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_WIDTH = 56,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_HEIGHT = 57,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_WIDTH = 58,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_HEIGHT = 59,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE3D_DEPTH = 60,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_LAYERED_WIDTH = 61,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE1D_LAYERED_LAYERS = 62,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_WIDTH = 63,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_HEIGHT = 64,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACE2D_LAYERED_LAYERS = 65,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACECUBEMAP_WIDTH = 66,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACECUBEMAP_LAYERED_WIDTH = 67,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_SURFACECUBEMAP_LAYERED_LAYERS = 68,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_LINEAR_WIDTH = 69,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_WIDTH = 70,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_HEIGHT = 71,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_LINEAR_PITCH = 72,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_MIPMAPPED_WIDTH = 73,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE2D_MIPMAPPED_HEIGHT = 74,
	MU_DEVICE_ATTRIBUTE_MAXIMUM_TEXTURE1D_MIPMAPPED_WIDTH = 77,
	MU_DEVICE_ATTRIBUTE_SINGLE_TO_DOUBLE_PRECISION_PERF_RATIO = 87,
	MU_DEVICE_ATTRIBUTE_COOPERATIVE_MULTI_DEVICE_LAUNCH = 96,
	MU_DEVICE_ATTRIBUTE_CAN_FLUSH_REMOTE_WRITES = 98,
	MU_DEVICE_ATTRIBUTE_HOST_REGISTER_SUPPORTED = 99,
	MU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS_USES_HOST_PAGE_TABLES = 100,
	MU_DEVICE_ATTRIBUTE_DIRECT_MANAGED_MEM_ACCESS_FROM_HOST = 101,
	MU_DEVICE_ATTRIBUTE_VIRTUAL_MEMORY_MANAGEMENT_SUPPORTED = 102,
	MU_DEVICE_ATTRIBUTE_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR_SUPPORTED = 103,
	MU_DEVICE_ATTRIBUTE_HANDLE_TYPE_WIN32_HANDLE_SUPPORTED = 104,
	MU_DEVICE_ATTRIBUTE_HANDLE_TYPE_WIN32_KMT_HANDLE_SUPPORTED = 105,
	MU_DEVICE_ATTRIBUTE_GENERIC_COMPRESSION_SUPPORTED = 107,
	MU_DEVICE_ATTRIBUTE_MAX_PERSISTING_L2_CACHE_SIZE = 108,
	MU_DEVICE_ATTRIBUTE_MAX_ACCESS_POLICY_WINDOW_SIZE = 109,
	MU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_WITH_MUSA_VMM_SUPPORTED = 110,
	MU_DEVICE_ATTRIBUTE_RESERVED_SHARED_MEMORY_PER_BLOCK = 111,
	MU_DEVICE_ATTRIBUTE_SPARSE_MUSA_ARRAY_SUPPORTED = 112,
	MU_DEVICE_ATTRIBUTE_READ_ONLY_HOST_REGISTER_SUPPORTED = 113,
	MU_DEVICE_ATTRIBUTE_TIMELINE_SEMAPHORE_INTEROP_SUPPORTED = 114,
	MU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED = 115,
	MU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_SUPPORTED = 116,
	MU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_FLUSH_WRITES_OPTIONS = 117,
	MU_DEVICE_ATTRIBUTE_GPU_DIRECT_RDMA_WRITES_ORDERING = 118,
	MU_DEVICE_ATTRIBUTE_MEMPOOL_SUPPORTED_HANDLE_TYPES = 119,
	MU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH = 120,
	MU_DEVICE_ATTRIBUTE_DEFERRED_MAPPING_MUSA_ARRAY_SUPPORTED = 121,
	MU_DEVICE_ATTRIBUTE_CAN_USE_64_BIT_STREAM_MEM_OPS = 122,
	MU_DEVICE_ATTRIBUTE_CAN_USE_STREAM_WAIT_VALUE_NOR = 123,
	MU_DEVICE_ATTRIBUTE_DMA_BUF_SUPPORTED = 124,
	MU_DEVICE_ATTRIBUTE_IPC_EVENT_SUPPORTED = 125,
	MU_DEVICE_ATTRIBUTE_MEM_SYNC_DOMAIN_COUNT = 126,
	MU_DEVICE_ATTRIBUTE_TENSOR_MAP_ACCESS_SUPPORTED = 127,
	MU_DEVICE_ATTRIBUTE_UNIFIED_FUNCTION_POINTERS = 129,
	MU_DEVICE_ATTRIBUTE_MAX
} MUdevice_attribute;

typedef enum MUpointer_attribute_enum {
	MU_POINTER_ATTRIBUTE_CONTEXT = 1,
	MU_POINTER_ATTRIBUTE_MEMORY_TYPE = 2,
	MU_POINTER_ATTRIBUTE_DEVICE_POINTER = 3,
	MU_POINTER_ATTRIBUTE_HOST_POINTER = 4,
	MU_POINTER_ATTRIBUTE_P2P_TOKENS = 5,
	MU_POINTER_ATTRIBUTE_SYNC_MEMOPS = 6,
	MU_POINTER_ATTRIBUTE_BUFFER_ID = 7,
	MU_POINTER_ATTRIBUTE_IS_MANAGED = 8,
	MU_POINTER_ATTRIBUTE_DEVICE_ORDINAL = 9,
	MU_POINTER_ATTRIBUTE_IS_LEGACY_MUSA_IPC_CAPABLE = 10,
	MU_POINTER_ATTRIBUTE_RANGE_START_ADDR = 11,
	MU_POINTER_ATTRIBUTE_RANGE_SIZE = 12,
	MU_POINTER_ATTRIBUTE_MAPPED = 13,
	MU_POINTER_ATTRIBUTE_MEMPOOL_HANDLE = 17
} MUpointer_attribute;

typedef enum MUmemorytype_enum {
	MU_MEMORYTYPE_HOST = 1,
	MU_MEMORYTYPE_DEVICE = 2,
	MU_MEMORYTYPE_ARRAY = 3,
	MU_MEMORYTYPE_UNIFIED = 4
} MUmemorytype;

typedef enum MUfunction_attribute_enum {
	MU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 0,
	MU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES = 1,
	MU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES = 2,
	MU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES = 3,
	MU_FUNC_ATTRIBUTE_NUM_REGS = 4,
	MU_FUNC_ATTRIBUTE_PTX_VERSION = 5,
	MU_FUNC_ATTRIBUTE_BINARY_VERSION = 6,
	MU_FUNC_ATTRIBUTE_CACHE_MODE_CA = 7,
	MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8,
	MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT = 9,
	MU_FUNC_ATTRIBUTE_CLUSTER_SIZE_MUST_BE_SET = 10,
	MU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_WIDTH = 11,
	MU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_HEIGHT = 12,
	MU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_DEPTH = 13,
	MU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED = 14,
	MU_FUNC_ATTRIBUTE_CLUSTER_SCHEDULING_POLICY_PREFERENCE = 15,
	MU_FUNC_ATTRIBUTE_MAX
} MUfunction_attribute;

/* muStreamCreate flags */
#define MU_STREAM_DEFAULT      0x0
#define MU_STREAM_NON_BLOCKING 0x1
/* muEventCreate flags */
#define MU_EVENT_DEFAULT        0x0
#define MU_EVENT_BLOCKING_SYNC  0x1
#define MU_EVENT_DISABLE_TIMING 0x2
#define MU_EVENT_INTERPROCESS   0x4
/* muCtxCreate flags */
#define MU_CTX_SCHED_AUTO          0x00
#define MU_CTX_SCHED_SPIN          0x01
#define MU_CTX_SCHED_YIELD         0x02
#define MU_CTX_SCHED_BLOCKING_SYNC 0x04
#define MU_CTX_SCHED_MASK          0x07
#define MU_CTX_MAP_HOST            0x08
#define MU_CTX_LMEM_RESIZE_TO_MAX  0x10
#define MU_CTX_FLAGS_MASK          0x1f

/* The legacy default stream (implicit synchronization with blocking streams). */
#define MU_STREAM_LEGACY ((MUstream)0x1)

/* muLaunchKernel `extra` keys */
#define MU_LAUNCH_PARAM_END            ((void *)0x00)
#define MU_LAUNCH_PARAM_BUFFER_POINTER ((void *)0x01)
#define MU_LAUNCH_PARAM_BUFFER_SIZE    ((void *)0x02)

/* Errors */
/* Name / description of an error; MUSA_ERROR_INVALID_VALUE for an unknown code
 * (and *pStr set to NULL) or a NULL pStr. */
MUresult muGetErrorName(MUresult error, const char **pStr);
MUresult muGetErrorString(MUresult error, const char **pStr);

/* Initialization and version */
/* flags must be 0 (INVALID_VALUE); NO_DEVICE when no device is present. */
MUresult muInit(unsigned int flags);
MUresult muDriverGetVersion(int *driverVersion);

/* Device management */
MUresult muDeviceGet(MUdevice *device, int ordinal);
MUresult muDeviceGetCount(int *count);
MUresult muDeviceGetName(char *name, int len, MUdevice dev);
MUresult muDeviceGetAttribute(int *pi, MUdevice_attribute attrib, MUdevice dev);
MUresult muDeviceTotalMem(size_t *bytes, MUdevice dev);

/* Primary context */
MUresult muDevicePrimaryCtxRetain(MUcontext *pctx, MUdevice dev);
MUresult muDevicePrimaryCtxRelease(MUdevice dev);
/* Destroys all allocations, streams, modules of the primary context; it stays
 * retained. Clears a fault: new work succeeds afterwards. */
MUresult muDevicePrimaryCtxReset(MUdevice dev);
MUresult muDevicePrimaryCtxGetState(MUdevice dev, unsigned int *flags, int *active);
MUresult muDevicePrimaryCtxSetFlags(MUdevice dev, unsigned int flags);

/* Context management */
MUresult muCtxCreate(MUcontext *pctx, unsigned int flags, MUdevice dev);
MUresult muCtxDestroy(MUcontext ctx);
MUresult muCtxSetCurrent(MUcontext ctx);
MUresult muCtxGetCurrent(MUcontext *pctx);
MUresult muCtxPushCurrent(MUcontext ctx);
MUresult muCtxPopCurrent(MUcontext *pctx);
MUresult muCtxGetDevice(MUdevice *device);
MUresult muCtxGetFlags(unsigned int *flags);
/* Waits for all work of the current context; returns a sticky fault error. */
MUresult muCtxSynchronize(void);

/* Context limits, CUDA's values. */
typedef enum MUlimit_enum {
	MU_LIMIT_STACK_SIZE = 0,        /* bytes of stack per device thread (1024) */
	MU_LIMIT_PRINTF_FIFO_SIZE = 1,  /* bytes of the device printf FIFO (1 MiB) */
	MU_LIMIT_MALLOC_HEAP_SIZE = 2,  /* bytes of the device malloc heap (8 MiB) */
	/* CUDA's other limits; not supported (MUSA_ERROR_UNSUPPORTED_LIMIT). */
	MU_LIMIT_DEV_RUNTIME_SYNC_DEPTH = 3,
	MU_LIMIT_DEV_RUNTIME_PENDING_LAUNCH_COUNT = 4,
	MU_LIMIT_MAX_L2_FETCH_GRANULARITY = 5,
	MU_LIMIT_PERSISTING_L2_CACHE_SIZE = 6,
} MUlimit;

/* Sets a limit of the current context. The printf FIFO and the malloc heap
 * are made when the first module that uses them is loaded; setting their
 * size after that is MUSA_ERROR_INVALID_VALUE, as is 0. The stack size may
 * be anything up to 256 KiB (the fiber stacks' size; more ->
 * MUSA_ERROR_INVALID_VALUE; 0 restores the default). The other limits of
 * the enum and unknown ones: MUSA_ERROR_UNSUPPORTED_LIMIT. */
MUresult muCtxSetLimit(MUlimit limit, size_t value);
/* Reads a limit; unsupported and unknown ones: MUSA_ERROR_UNSUPPORTED_LIMIT. */
MUresult muCtxGetLimit(size_t *pvalue, MUlimit limit);

/* Memory management */
/* bytesize 0 -> INVALID_VALUE; more than the device holds -> OUT_OF_MEMORY. */
MUresult muMemAlloc(MUdeviceptr *dptr, size_t bytesize);
/* dptr must be an address returned by muMemAlloc (INVALID_VALUE otherwise). */
MUresult muMemFree(MUdeviceptr dptr);
MUresult muMemGetInfo(size_t *free, size_t *total);
MUresult muMemGetAddressRange(MUdeviceptr *pbase, size_t *psize, MUdeviceptr dptr);
MUresult muPointerGetAttribute(void *data, MUpointer_attribute attribute, MUdeviceptr ptr);

/* Copies are ordered on the legacy default stream; the synchronous forms
 * return when the copy finished. Ranges outside an allocation, or host
 * ranges that are not readable/writable -> INVALID_VALUE. */
MUresult muMemcpy(MUdeviceptr dst, MUdeviceptr src, size_t ByteCount);
MUresult muMemcpyHtoD(MUdeviceptr dstDevice, const void *srcHost, size_t ByteCount);
MUresult muMemcpyDtoH(void *dstHost, MUdeviceptr srcDevice, size_t ByteCount);
MUresult muMemcpyDtoD(MUdeviceptr dstDevice, MUdeviceptr srcDevice, size_t ByteCount);
MUresult muMemcpyAsync(MUdeviceptr dst, MUdeviceptr src, size_t ByteCount, MUstream hStream);
MUresult muMemcpyHtoDAsync(MUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, MUstream hStream);
MUresult muMemcpyDtoHAsync(void *dstHost, MUdeviceptr srcDevice, size_t ByteCount, MUstream hStream);
MUresult muMemcpyDtoDAsync(MUdeviceptr dstDevice, MUdeviceptr srcDevice, size_t ByteCount, MUstream hStream);
MUresult muMemsetD8(MUdeviceptr dstDevice, unsigned char uc, size_t N);
MUresult muMemsetD16(MUdeviceptr dstDevice, unsigned short us, size_t N);
MUresult muMemsetD32(MUdeviceptr dstDevice, unsigned int ui, size_t N);
MUresult muMemsetD8Async(MUdeviceptr dstDevice, unsigned char uc, size_t N, MUstream hStream);
MUresult muMemsetD16Async(MUdeviceptr dstDevice, unsigned short us, size_t N, MUstream hStream);
MUresult muMemsetD32Async(MUdeviceptr dstDevice, unsigned int ui, size_t N, MUstream hStream);

/* Module management */
/* A malformed image -> INVALID_IMAGE; an image for another arch ->
 * NO_BINARY_FOR_GPU; a missing file -> FILE_NOT_FOUND. */
MUresult muModuleLoad(MUmodule *module, const char *fname);
MUresult muModuleLoadData(MUmodule *module, const void *image);
/* Like muModuleLoadData with the image's size known (used by the runtime). */
MUresult muModuleLoadDataSize(MUmodule *module, const void *image, size_t size);
MUresult muModuleUnload(MUmodule hmod);
/* Unknown name -> NOT_FOUND. */
MUresult muModuleGetFunction(MUfunction *hfunc, MUmodule hmod, const char *name);
/* Device address and size of a module's __device__ / __constant__ variable
 * (either out pointer may be NULL); MUSA_ERROR_NOT_FOUND for an unknown
 * name. For a __managed__ variable it is the pointer cell kernels read the
 * variable's address from (see docs/design.md). */
MUresult muModuleGetGlobal(MUdeviceptr *dptr, size_t *bytes, MUmodule hmod, const char *name);
MUresult muFuncGetAttribute(int *pi, MUfunction_attribute attrib, MUfunction hfunc);
/* Number of kernel parameters, and the offset and size of one of them. */
MUresult muFuncGetParamCount(MUfunction func, size_t *paramCount);
MUresult muFuncGetParamInfo(MUfunction func, size_t paramIndex, size_t *paramOffset, size_t *paramSize);

/* Execution */
/* Zero or too large grid/block dimensions, more threads per block than the
 * device allows, or too much shared memory -> INVALID_VALUE. Exactly one of
 * kernelParams (one pointer per parameter) and extra may be given. */
MUresult muLaunchKernel(MUfunction f,
                        unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ,
                        unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ,
                        unsigned int sharedMemBytes, MUstream hStream,
                        void **kernelParams, void **extra);

/* Streams */
/* Flags other than MU_STREAM_* -> INVALID_VALUE. */
MUresult muStreamCreate(MUstream *phStream, unsigned int Flags);
MUresult muStreamCreateWithPriority(MUstream *phStream, unsigned int flags, int priority);
/* Work already queued still runs; the handle is dead afterwards. */
MUresult muStreamDestroy(MUstream hStream);
MUresult muStreamSynchronize(MUstream hStream);
/* SUCCESS when all work completed, NOT_READY otherwise. */
MUresult muStreamQuery(MUstream hStream);
MUresult muStreamGetFlags(MUstream hStream, unsigned int *flags);
MUresult muStreamWaitEvent(MUstream hStream, MUevent hEvent, unsigned int Flags);

/* Events */
MUresult muEventCreate(MUevent *phEvent, unsigned int Flags);
MUresult muEventRecord(MUevent hEvent, MUstream hStream);
MUresult muEventSynchronize(MUevent hEvent);
/* SUCCESS when the recorded work completed (or never recorded), NOT_READY otherwise. */
MUresult muEventQuery(MUevent hEvent);
/* Milliseconds between two completed events; NOT_READY if one has not
 * completed; INVALID_HANDLE if one was created with DISABLE_TIMING or never
 * recorded. */
MUresult muEventElapsedTime(float *pMilliseconds, MUevent hStart, MUevent hEnd);
MUresult muEventDestroy(MUevent hEvent);

/* Profiler control (CUDA's cudaProfiler.h) */
/* Start / stop what MUSA_TRACE and MUSA_PROFILE record, in every context of
 * the process (docs/environment.md); no effect when neither is set, or when
 * already started / stopped. INVALID_CONTEXT without a current context.
 * muProfilerStop also writes the MUSA_TRACE file as recorded so far. */
MUresult muProfilerStart(void);
MUresult muProfilerStop(void);

/* area devices: begin */
#ifndef MU_UUID_HAS_BEEN_DEFINED
#define MU_UUID_HAS_BEEN_DEFINED
/* 16 bytes that identify a device (CUDA's CUuuid). */
struct MUuuid_st {
	char bytes[16];
};
#endif
typedef struct MUuuid_st MUuuid;

/* Legacy device properties (muDeviceGetProperties). */
typedef struct MUdevprop_st {
	int maxThreadsPerBlock;
	int maxThreadsDim[3];
	int maxGridSize[3];
	int sharedMemPerBlock;
	int totalConstantMemory;
	int SIMDWidth;
	int memPitch;
	int regsPerBlock;
	int clockRate;
	int textureAlign;
} MUdevprop;

/* Cache and shared memory configurations, CUDA's values. */
typedef enum MUfunc_cache_enum {
	MU_FUNC_CACHE_PREFER_NONE = 0x00,
	MU_FUNC_CACHE_PREFER_SHARED = 0x01,
	MU_FUNC_CACHE_PREFER_L1 = 0x02,
	MU_FUNC_CACHE_PREFER_EQUAL = 0x03
} MUfunc_cache;

typedef enum MUsharedconfig_enum {
	MU_SHARED_MEM_CONFIG_DEFAULT_BANK_SIZE = 0x00,
	MU_SHARED_MEM_CONFIG_FOUR_BYTE_BANK_SIZE = 0x01,
	MU_SHARED_MEM_CONFIG_EIGHT_BYTE_BANK_SIZE = 0x02
} MUsharedconfig;

/* "dddd:bb:dd.f" of a device into pciBusId (len bytes with the NUL; len <= 0
 * or a NULL pciBusId -> INVALID_VALUE, a short buffer gets a truncated
 * string). Unknown device -> INVALID_DEVICE. */
MUresult muDeviceGetPCIBusId(char *pciBusId, int len, MUdevice dev);
/* Device of a bus id "dddd:bb:dd.f", "bb:dd.f" or "dddd:bb:dd" (hex, case
 * insensitive); NULL -> INVALID_VALUE; no such device -> INVALID_DEVICE. */
MUresult muDeviceGetByPCIBusId(MUdevice *dev, const char *pciBusId);
/* Deprecated: compute capability; NULL -> INVALID_VALUE. */
MUresult muDeviceComputeCapability(int *major, int *minor, MUdevice dev);
/* Deprecated: legacy properties; NULL -> INVALID_VALUE. */
MUresult muDeviceGetProperties(MUdevprop *prop, MUdevice dev);
/* Device UUID, stable for a device in a process; NULL -> INVALID_VALUE. */
MUresult muDeviceGetUuid(MUuuid *uuid, MUdevice dev);
MUresult muDeviceGetUuid_v2(MUuuid *uuid, MUdevice dev);
/* Windows only in CUDA: here always MUSA_ERROR_NOT_SUPPORTED (after the
 * checks: NULL -> INVALID_VALUE, bad device -> INVALID_DEVICE). */
MUresult muDeviceGetLuid(char *luid, unsigned int *deviceNodeMask, MUdevice dev);

/* Flags of the current context (MU_CTX_* scheduling and LMEM bits; MAP_HOST
 * is always in effect). Bad flags -> INVALID_VALUE; no current context ->
 * INVALID_CONTEXT. */
MUresult muCtxSetFlags(unsigned int flags);
/* API version of a context (NULL: the current one): 3020 as CUDA reports.
 * Destroyed context -> INVALID_CONTEXT; NULL version -> INVALID_VALUE. */
MUresult muCtxGetApiVersion(MUcontext ctx, unsigned int *version);
/* Cache / shared-memory preference of the current context, remembered and
 * returned (the software device has one cache); bad enum -> INVALID_VALUE. */
MUresult muCtxSetCacheConfig(MUfunc_cache config);
MUresult muCtxGetCacheConfig(MUfunc_cache *pconfig);
MUresult muCtxSetSharedMemConfig(MUsharedconfig config);
MUresult muCtxGetSharedMemConfig(MUsharedconfig *pConfig);
/* Accepted (no persisting L2 lines exist); needs a current context. */
MUresult muCtxResetPersistingL2Cache(void);
/* area devices: end */

/* area memory: begin */
/* -- pinned host memory (muMemHostAlloc flags, muMemHostRegister flags) -- */
#define MU_MEMHOSTALLOC_PORTABLE        0x01
#define MU_MEMHOSTALLOC_DEVICEMAP       0x02
#define MU_MEMHOSTALLOC_WRITECOMBINED   0x04
#define MU_MEMHOSTREGISTER_PORTABLE     0x01
#define MU_MEMHOSTREGISTER_DEVICEMAP    0x02
#define MU_MEMHOSTREGISTER_IOMEMORY     0x04
#define MU_MEMHOSTREGISTER_READ_ONLY    0x08
/* muMemAllocManaged flags */
#define MU_MEM_ATTACH_GLOBAL 0x1
#define MU_MEM_ATTACH_HOST   0x2
#define MU_MEM_ATTACH_SINGLE 0x4
/* Device ordinals of muMemPrefetchAsync / muMemAdvise. */
#define MU_DEVICE_CPU     ((MUdevice)-1)
#define MU_DEVICE_INVALID ((MUdevice)-2)

/* Pinned host memory: a userptr BO mapped at the host address, so the
 * device pointer equals the host pointer and every context of the process
 * (any device) can use it. Flags outside MU_MEMHOSTALLOC_* or size 0 ->
 * INVALID_VALUE. */
MUresult muMemHostAlloc(void **pp, size_t bytesize, unsigned int Flags);
MUresult muMemAllocHost(void **pp, size_t bytesize);
/* p must be a pointer muMemHostAlloc/muMemAllocHost returned (INVALID_VALUE). */
MUresult muMemFreeHost(void *p);
/* Pins existing host memory. Flags outside MU_MEMHOSTREGISTER_* or an
 * unmapped range -> INVALID_VALUE; overlapping an already pinned range ->
 * HOST_MEMORY_ALREADY_REGISTERED. */
MUresult muMemHostRegister(void *p, size_t bytesize, unsigned int Flags);
/* p must be the start of a muMemHostRegister range (HOST_MEMORY_NOT_REGISTERED). */
MUresult muMemHostUnregister(void *p);
/* Flags must be 0; p inside pinned memory, else INVALID_VALUE. */
MUresult muMemHostGetDevicePointer(MUdeviceptr *pdptr, void *p, unsigned int Flags);
/* The flags the pinned memory holding p was made with; INVALID_VALUE if none. */
MUresult muMemHostGetFlags(unsigned int *pFlags, void *p);

/* Managed memory: flags MU_MEM_ATTACH_GLOBAL or MU_MEM_ATTACH_HOST, else
 * INVALID_VALUE. The host and kernels of every device reach it directly. */
MUresult muMemAllocManaged(MUdeviceptr *dptr, size_t bytesize, unsigned int flags);

typedef enum MUmem_advise_enum {
	MU_MEM_ADVISE_SET_READ_MOSTLY = 1,
	MU_MEM_ADVISE_UNSET_READ_MOSTLY = 2,
	MU_MEM_ADVISE_SET_PREFERRED_LOCATION = 3,
	MU_MEM_ADVISE_UNSET_PREFERRED_LOCATION = 4,
	MU_MEM_ADVISE_SET_ACCESSED_BY = 5,
	MU_MEM_ADVISE_UNSET_ACCESSED_BY = 6
} MUmem_advise;

/* Hints for managed memory: the range must lie inside one managed
 * allocation and dstDevice be a device ordinal or MU_DEVICE_CPU, else
 * INVALID_VALUE / INVALID_DEVICE; accepted otherwise (memory is shared). */
MUresult muMemPrefetchAsync(MUdeviceptr devPtr, size_t count, MUdevice dstDevice, MUstream hStream);
MUresult muMemAdvise(MUdeviceptr devPtr, size_t count, MUmem_advise advice, MUdevice device);

/* All attributes at once; unknown memory gets "none" values (context NULL,
 * memory type 0, ordinal -2) and MUSA_SUCCESS. */
MUresult muPointerGetAttributes(unsigned int numAttributes, MUpointer_attribute *attributes,
				void **data, MUdeviceptr ptr);

/* -- pitched memory and 2-D copies -- */
typedef struct MUarray_st *MUarray;

typedef struct MUSA_MEMCPY2D_st {
	size_t srcXInBytes;
	size_t srcY;
	MUmemorytype srcMemoryType;
	const void *srcHost;
	MUdeviceptr srcDevice;
	MUarray srcArray;
	size_t srcPitch;
	size_t dstXInBytes;
	size_t dstY;
	MUmemorytype dstMemoryType;
	void *dstHost;
	MUdeviceptr dstDevice;
	MUarray dstArray;
	size_t dstPitch;
	size_t WidthInBytes;
	size_t Height;
} MUSA_MEMCPY2D;

/* Pitch = WidthInBytes rounded up to the texture alignment (512 bytes).
 * ElementSizeBytes other than 4, 8, 16, or a zero width/height ->
 * INVALID_VALUE. */
MUresult muMemAllocPitch(MUdeviceptr *dptr, size_t *pPitch, size_t WidthInBytes,
			 size_t Height, unsigned int ElementSizeBytes);
/* A pitch smaller than WidthInBytes, an unknown memory type, rows outside
 * the memory, or an array region outside the array (X a multiple of the
 * element size) -> INVALID_VALUE; an unknown array -> INVALID_HANDLE. An
 * array side uses the array's own pitch. */
MUresult muMemcpy2D(const MUSA_MEMCPY2D *pCopy);
MUresult muMemcpy2DUnaligned(const MUSA_MEMCPY2D *pCopy);
MUresult muMemcpy2DAsync(const MUSA_MEMCPY2D *pCopy, MUstream hStream);
/* Width is in elements; dstPitch in bytes, at least Width * element size. */
MUresult muMemsetD2D8(MUdeviceptr dstDevice, size_t dstPitch, unsigned char uc, size_t Width, size_t Height);
MUresult muMemsetD2D16(MUdeviceptr dstDevice, size_t dstPitch, unsigned short us, size_t Width, size_t Height);
MUresult muMemsetD2D32(MUdeviceptr dstDevice, size_t dstPitch, unsigned int ui, size_t Width, size_t Height);
MUresult muMemsetD2D8Async(MUdeviceptr dstDevice, size_t dstPitch, unsigned char uc, size_t Width,
			   size_t Height, MUstream hStream);
MUresult muMemsetD2D16Async(MUdeviceptr dstDevice, size_t dstPitch, unsigned short us, size_t Width,
			    size_t Height, MUstream hStream);
MUresult muMemsetD2D32Async(MUdeviceptr dstDevice, size_t dstPitch, unsigned int ui, size_t Width,
			    size_t Height, MUstream hStream);

/* -- peer access -- */
/* *canAccessPeer 1 for two distinct valid devices; INVALID_DEVICE otherwise. */
MUresult muDeviceCanAccessPeer(int *canAccessPeer, MUdevice dev, MUdevice peerDev);
/* Flags must be 0; peer == the current context's device, or an invalid
 * context -> INVALID_DEVICE / INVALID_CONTEXT; twice ->
 * PEER_ACCESS_ALREADY_ENABLED. */
MUresult muCtxEnablePeerAccess(MUcontext peerContext, unsigned int Flags);
/* PEER_ACCESS_NOT_ENABLED when not enabled. */
MUresult muCtxDisablePeerAccess(MUcontext peerContext);
/* Copies between memory of two contexts (any devices), on the current
 * context's legacy stream / hStream. */
MUresult muMemcpyPeer(MUdeviceptr dstDevice, MUcontext dstContext, MUdeviceptr srcDevice,
		      MUcontext srcContext, size_t ByteCount);
MUresult muMemcpyPeerAsync(MUdeviceptr dstDevice, MUcontext dstContext, MUdeviceptr srcDevice,
			   MUcontext srcContext, size_t ByteCount, MUstream hStream);

/* -- stream-ordered allocation -- */
typedef struct MUmemPoolHandle_st *MUmemoryPool;

typedef enum MUmemLocationType_enum {
	MU_MEM_LOCATION_TYPE_INVALID = 0,
	MU_MEM_LOCATION_TYPE_DEVICE = 1
} MUmemLocationType;

typedef enum MUmemAllocationType_enum {
	MU_MEM_ALLOCATION_TYPE_INVALID = 0,
	MU_MEM_ALLOCATION_TYPE_PINNED = 1
} MUmemAllocationType;

typedef enum MUmemAllocationHandleType_enum {
	MU_MEM_HANDLE_TYPE_NONE = 0,
	MU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR = 1
} MUmemAllocationHandleType;

typedef struct MUmemLocation_st {
	MUmemLocationType type;
	int id;
} MUmemLocation;

typedef struct MUmemPoolProps_st {
	MUmemAllocationType allocType;
	MUmemAllocationHandleType handleTypes;
	MUmemLocation location;
	void *win32SecurityAttributes;
	size_t maxSize;
	unsigned short usage;
	unsigned char reserved[54];
} MUmemPoolProps;

typedef enum MUmemPool_attribute_enum {
	MU_MEMPOOL_ATTR_REUSE_FOLLOW_EVENT_DEPENDENCIES = 1,  /* int */
	MU_MEMPOOL_ATTR_REUSE_ALLOW_OPPORTUNISTIC = 2,        /* int */
	MU_MEMPOOL_ATTR_REUSE_ALLOW_INTERNAL_DEPENDENCIES = 3, /* int */
	MU_MEMPOOL_ATTR_RELEASE_THRESHOLD = 4,                /* uint64 */
	MU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT = 5,             /* uint64, read-only */
	MU_MEMPOOL_ATTR_RESERVED_MEM_HIGH = 6,                /* uint64, set to 0 only */
	MU_MEMPOOL_ATTR_USED_MEM_CURRENT = 7,                 /* uint64, read-only */
	MU_MEMPOOL_ATTR_USED_MEM_HIGH = 8                     /* uint64, set to 0 only */
} MUmemPool_attribute;

/* Allocates from the current pool of the stream's device; the memory is
 * usable by work queued after this call. bytesize 0 / NULL -> INVALID_VALUE. */
MUresult muMemAllocAsync(MUdeviceptr *dptr, size_t bytesize, MUstream hStream);
MUresult muMemAllocFromPoolAsync(MUdeviceptr *dptr, size_t bytesize, MUmemoryPool pool,
				 MUstream hStream);
/* Frees in stream order: the block is reused or released only after the
 * stream has reached this point. Not a pool block -> INVALID_VALUE. */
MUresult muMemFreeAsync(MUdeviceptr dptr, MUstream hStream);
MUresult muDeviceGetDefaultMemPool(MUmemoryPool *pool_out, MUdevice dev);
MUresult muDeviceGetMemPool(MUmemoryPool *pool, MUdevice dev);
/* The pool must be one of dev's (INVALID_VALUE otherwise). */
MUresult muDeviceSetMemPool(MUdevice dev, MUmemoryPool pool);
/* allocType PINNED, location DEVICE with a valid ordinal, handleTypes NONE
 * or POSIX_FILE_DESCRIPTOR, else INVALID_VALUE. */
MUresult muMemPoolCreate(MUmemoryPool *pool, const MUmemPoolProps *poolProps);
/* A default pool or an unknown handle -> INVALID_VALUE. Blocks still in use
 * are released when freed. */
MUresult muMemPoolDestroy(MUmemoryPool pool);
MUresult muMemPoolSetAttribute(MUmemoryPool pool, MUmemPool_attribute attr, void *value);
MUresult muMemPoolGetAttribute(MUmemoryPool pool, MUmemPool_attribute attr, void *value);
/* Releases free blocks until at most minBytesToKeep stay reserved. */
MUresult muMemPoolTrimTo(MUmemoryPool pool, size_t minBytesToKeep);

/* -- IPC -- */
#define MU_IPC_HANDLE_SIZE 64
typedef struct MUipcMemHandle_st {
	char reserved[MU_IPC_HANDLE_SIZE];
} MUipcMemHandle;
#define MU_IPC_MEM_LAZY_ENABLE_PEER_ACCESS 0x1

/* dptr must be the start of a device allocation (INVALID_VALUE). The
 * handle stays valid until the allocation is freed. */
MUresult muIpcGetMemHandle(MUipcMemHandle *pHandle, MUdeviceptr dptr);
/* Maps another process's allocation into the current context. Flags other
 * than MU_IPC_MEM_LAZY_ENABLE_PEER_ACCESS or a malformed handle ->
 * INVALID_VALUE; a handle of this process -> INVALID_CONTEXT. */
MUresult muIpcOpenMemHandle(MUdeviceptr *pdptr, MUipcMemHandle handle, unsigned int Flags);
/* dptr must come from muIpcOpenMemHandle (INVALID_VALUE). */
MUresult muIpcCloseMemHandle(MUdeviceptr dptr);
/* area memory: end */

/* area streams-events: begin */
/* Streams and events: priorities, host functions, per-thread default
 * stream, interprocess events. Streams of another context are accepted
 * where CUDA accepts them; destroyed or made-up handles ->
 * MUSA_ERROR_INVALID_HANDLE. */
/* The calling thread's per-thread default stream of the current context (a
 * blocking stream, created on first use; synchronizes with the legacy
 * stream like any blocking stream). */
#define MU_STREAM_PER_THREAD ((MUstream)0x2)
/* muStreamWaitEvent flags */
#define MU_EVENT_WAIT_DEFAULT 0x0
/* muEventRecordWithFlags flags */
#define MU_EVENT_RECORD_DEFAULT  0x0
#define MU_EVENT_RECORD_EXTERNAL 0x1

typedef void (MUSA_CB *MUhostFn)(void *userData);
typedef void (MUSA_CB *MUstreamCallback)(MUstream hStream, MUresult status, void *userData);

/* Least priority 0, greatest -2 (priorities outside are clamped at stream
 * creation). A NULL pointer is skipped. */
MUresult muCtxGetStreamPriorityRange(int *leastPriority, int *greatestPriority);
/* NULL out pointer -> INVALID_VALUE. NULL, MU_STREAM_LEGACY and
 * MU_STREAM_PER_THREAD name the current context's default streams. */
MUresult muStreamGetPriority(MUstream hStream, int *priority);
MUresult muStreamGetCtx(MUstream hStream, MUcontext *pctx);
MUresult muStreamGetDevice(MUstream hStream, MUdevice *device);
/* A process-unique id of the stream. */
MUresult muStreamGetId(MUstream hStream, unsigned long long *streamId);
/* Runs fn(userData) on a driver thread once the work queued before it on
 * the stream is done; later work waits for it to return. fn must not call
 * the API. fn NULL -> INVALID_VALUE. */
MUresult muLaunchHostFunc(MUstream hStream, MUhostFn fn, void *userData);
/* As muLaunchHostFunc; the callback also gets the stream and the context's
 * sticky error (or MUSA_SUCCESS). flags != 0 or callback NULL -> INVALID_VALUE. */
MUresult muStreamAddCallback(MUstream hStream, MUstreamCallback callback, void *userData,
			     unsigned int flags);
/* flags one of MU_MEM_ATTACH_GLOBAL / HOST / SINGLE, dptr non-NULL, else
 * INVALID_VALUE. All memory is visible to all streams here: no effect. */
MUresult muStreamAttachMemAsync(MUstream hStream, MUdeviceptr dptr, size_t length,
				unsigned int flags);
/* flags 0 or MU_EVENT_RECORD_EXTERNAL, else INVALID_VALUE. */
MUresult muEventRecordWithFlags(MUevent hEvent, MUstream hStream, unsigned int flags);

/* Interprocess events: the event must have MU_EVENT_INTERPROCESS and
 * MU_EVENT_DISABLE_TIMING (else INVALID_HANDLE). An opened event can be
 * recorded, queried, synchronized and waited on in either process and sees
 * the records of both; it stays usable while the creating process lives. */
#ifndef MU_IPC_HANDLE_SIZE
#define MU_IPC_HANDLE_SIZE 64
#endif
typedef struct MUipcEventHandle_st {
	char reserved[MU_IPC_HANDLE_SIZE];
} MUipcEventHandle;
/* pHandle NULL -> INVALID_VALUE. */
MUresult muIpcGetEventHandle(MUipcEventHandle *pHandle, MUevent event);
/* phEvent NULL or a malformed handle -> INVALID_VALUE; the creating process
 * gone -> INVALID_HANDLE. The event is made in the current context. */
MUresult muIpcOpenEventHandle(MUevent *phEvent, MUipcEventHandle handle);
/* area streams-events: end */

/* area graphs: begin */
/* Graphs and stream capture. A graph is a DAG of nodes, each holding a
 * private copy of its parameters; an executable graph is made from a graph
 * by muGraphInstantiate and launched on a stream (its nodes run in a
 * topological order, in stream order). Graph, node and exec handles that
 * are NULL, destroyed or of another graph -> MUSA_ERROR_INVALID_VALUE. */
typedef struct MUgraph_st *MUgraph;
typedef struct MUgraphNode_st *MUgraphNode;
typedef struct MUgraphExec_st *MUgraphExec;

typedef enum MUgraphNodeType_enum {
	MU_GRAPH_NODE_TYPE_KERNEL = 0,
	MU_GRAPH_NODE_TYPE_MEMCPY = 1,
	MU_GRAPH_NODE_TYPE_MEMSET = 2,
	MU_GRAPH_NODE_TYPE_HOST = 3,
	MU_GRAPH_NODE_TYPE_GRAPH = 4,
	MU_GRAPH_NODE_TYPE_EMPTY = 5,
	MU_GRAPH_NODE_TYPE_WAIT_EVENT = 6,
	MU_GRAPH_NODE_TYPE_EVENT_RECORD = 7
} MUgraphNodeType;

typedef enum MUstreamCaptureStatus_enum {
	MU_STREAM_CAPTURE_STATUS_NONE = 0,
	MU_STREAM_CAPTURE_STATUS_ACTIVE = 1,
	MU_STREAM_CAPTURE_STATUS_INVALIDATED = 2
} MUstreamCaptureStatus;

typedef enum MUstreamCaptureMode_enum {
	MU_STREAM_CAPTURE_MODE_GLOBAL = 0,
	MU_STREAM_CAPTURE_MODE_THREAD_LOCAL = 1,
	MU_STREAM_CAPTURE_MODE_RELAXED = 2
} MUstreamCaptureMode;

typedef struct MUSA_KERNEL_NODE_PARAMS_st {
	MUfunction func;
	unsigned int gridDimX, gridDimY, gridDimZ;
	unsigned int blockDimX, blockDimY, blockDimZ;
	unsigned int sharedMemBytes;
	void **kernelParams;
	void **extra;
} MUSA_KERNEL_NODE_PARAMS;

typedef struct MUSA_MEMSET_NODE_PARAMS_st {
	MUdeviceptr dst;
	size_t pitch;               /* bytes between rows (height > 1) */
	unsigned int value;
	unsigned int elementSize;   /* 1, 2 or 4 */
	size_t width;               /* elements per row */
	size_t height;
} MUSA_MEMSET_NODE_PARAMS;

typedef struct MUSA_HOST_NODE_PARAMS_st {
	void (*fn)(void *userData);
	void *userData;
} MUSA_HOST_NODE_PARAMS;

/* A 3-D copy (CUDA's CUDA_MEMCPY3D). MU_MEMORYTYPE_HOST uses *Host,
 * DEVICE and UNIFIED use *Device, ARRAY *Array (muMemcpy3D; graph copy
 * nodes take no arrays). */
typedef struct MUSA_MEMCPY3D_st {
	size_t srcXInBytes, srcY, srcZ, srcLOD;
	MUmemorytype srcMemoryType;
	const void *srcHost;
	MUdeviceptr srcDevice;
	struct MUarray_st *srcArray;
	void *reserved0;
	size_t srcPitch, srcHeight;
	size_t dstXInBytes, dstY, dstZ, dstLOD;
	MUmemorytype dstMemoryType;
	void *dstHost;
	MUdeviceptr dstDevice;
	struct MUarray_st *dstArray;
	void *reserved1;
	size_t dstPitch, dstHeight;
	size_t WidthInBytes, Height, Depth;
} MUSA_MEMCPY3D;

/* flags must be 0. */
MUresult muGraphCreate(MUgraph *phGraph, unsigned int flags);
/* Destroys the graph and its nodes; executable graphs made from it stay. */
MUresult muGraphDestroy(MUgraph hGraph);
/* The node-adding calls take dependencies that must be distinct nodes of
 * hGraph (dependencies NULL only with numDependencies 0). */
/* Kernel node: exactly one of kernelParams / extra; zero dims -> INVALID_VALUE. */
MUresult muGraphAddKernelNode(MUgraphNode *phGraphNode, MUgraph hGraph,
                              const MUgraphNode *dependencies, size_t numDependencies,
                              const MUSA_KERNEL_NODE_PARAMS *nodeParams);
MUresult muGraphKernelNodeGetParams(MUgraphNode hNode, MUSA_KERNEL_NODE_PARAMS *nodeParams);
MUresult muGraphKernelNodeSetParams(MUgraphNode hNode, const MUSA_KERNEL_NODE_PARAMS *nodeParams);
/* Copy node; arrays -> INVALID_VALUE. */
MUresult muGraphAddMemcpyNode(MUgraphNode *phGraphNode, MUgraph hGraph,
                              const MUgraphNode *dependencies, size_t numDependencies,
                              const MUSA_MEMCPY3D *copyParams, MUcontext ctx);
MUresult muGraphMemcpyNodeGetParams(MUgraphNode hNode, MUSA_MEMCPY3D *nodeParams);
MUresult muGraphMemcpyNodeSetParams(MUgraphNode hNode, const MUSA_MEMCPY3D *nodeParams);
/* Memset node: elementSize 1/2/4, the range inside one allocation of ctx,
 * pitch >= width * elementSize when height > 1; else INVALID_VALUE. */
MUresult muGraphAddMemsetNode(MUgraphNode *phGraphNode, MUgraph hGraph,
                              const MUgraphNode *dependencies, size_t numDependencies,
                              const MUSA_MEMSET_NODE_PARAMS *memsetParams, MUcontext ctx);
MUresult muGraphMemsetNodeGetParams(MUgraphNode hNode, MUSA_MEMSET_NODE_PARAMS *nodeParams);
MUresult muGraphMemsetNodeSetParams(MUgraphNode hNode, const MUSA_MEMSET_NODE_PARAMS *nodeParams);
/* Host node: fn must not be NULL. It runs in stream order on a driver thread. */
MUresult muGraphAddHostNode(MUgraphNode *phGraphNode, MUgraph hGraph,
                            const MUgraphNode *dependencies, size_t numDependencies,
                            const MUSA_HOST_NODE_PARAMS *nodeParams);
MUresult muGraphHostNodeGetParams(MUgraphNode hNode, MUSA_HOST_NODE_PARAMS *nodeParams);
MUresult muGraphHostNodeSetParams(MUgraphNode hNode, const MUSA_HOST_NODE_PARAMS *nodeParams);
MUresult muGraphAddEmptyNode(MUgraphNode *phGraphNode, MUgraph hGraph,
                             const MUgraphNode *dependencies, size_t numDependencies);
/* Child graph node: embeds a clone of childGraph. */
MUresult muGraphAddChildGraphNode(MUgraphNode *phGraphNode, MUgraph hGraph,
                                  const MUgraphNode *dependencies, size_t numDependencies,
                                  MUgraph childGraph);
/* The embedded clone of a child graph node (owned by the node). */
MUresult muGraphChildGraphNodeGetGraph(MUgraphNode hNode, MUgraph *phGraph);
/* Event nodes: a live event, else (NULL too) INVALID_HANDLE. */
MUresult muGraphAddEventRecordNode(MUgraphNode *phGraphNode, MUgraph hGraph,
                                   const MUgraphNode *dependencies, size_t numDependencies,
                                   MUevent event);
MUresult muGraphAddEventWaitNode(MUgraphNode *phGraphNode, MUgraph hGraph,
                                 const MUgraphNode *dependencies, size_t numDependencies,
                                 MUevent event);
MUresult muGraphEventRecordNodeGetEvent(MUgraphNode hNode, MUevent *event_out);
MUresult muGraphEventWaitNodeGetEvent(MUgraphNode hNode, MUevent *event_out);
/* Edges from[i] -> to[i]; an edge that exists (Add) or does not (Remove),
 * a self edge, or nodes of another graph -> INVALID_VALUE. */
MUresult muGraphAddDependencies(MUgraph hGraph, const MUgraphNode *from,
                                const MUgraphNode *to, size_t numDependencies);
MUresult muGraphRemoveDependencies(MUgraph hGraph, const MUgraphNode *from,
                                   const MUgraphNode *to, size_t numDependencies);
/* Listing: with a NULL array *num gets the count; otherwise up to *num
 * entries are written, the rest of the array NULLed, *num the count written. */
MUresult muGraphGetNodes(MUgraph hGraph, MUgraphNode *nodes, size_t *numNodes);
MUresult muGraphGetRootNodes(MUgraph hGraph, MUgraphNode *rootNodes, size_t *numRootNodes);
MUresult muGraphGetEdges(MUgraph hGraph, MUgraphNode *from, MUgraphNode *to, size_t *numEdges);
MUresult muGraphNodeGetType(MUgraphNode hNode, MUgraphNodeType *type);
MUresult muGraphNodeGetDependencies(MUgraphNode hNode, MUgraphNode *dependencies,
                                    size_t *numDependencies);
MUresult muGraphNodeGetDependentNodes(MUgraphNode hNode, MUgraphNode *dependentNodes,
                                      size_t *numDependentNodes);
/* Removes the node and its edges. */
MUresult muGraphDestroyNode(MUgraphNode hNode);
MUresult muGraphClone(MUgraph *phGraphClone, MUgraph originalGraph);
/* The node of a clone made from hOriginalNode; INVALID_VALUE if none. */
MUresult muGraphNodeFindInClone(MUgraphNode *phNode, MUgraphNode hOriginalNode,
                                MUgraph hClonedGraph);
/* muGraphInstantiateWithFlags flags (CUDA's values). */
#define MUSA_GRAPH_INSTANTIATE_FLAG_AUTO_FREE_ON_LAUNCH 1
#define MUSA_GRAPH_INSTANTIATE_FLAG_UPLOAD              2
#define MUSA_GRAPH_INSTANTIATE_FLAG_DEVICE_LAUNCH       4
#define MUSA_GRAPH_INSTANTIATE_FLAG_USE_NODE_PRIORITY   8
/* Validates and orders the graph; a cycle -> INVALID_VALUE. The flags
 * AUTO_FREE_ON_LAUNCH, UPLOAD and USE_NODE_PRIORITY are accepted (no effect);
 * DEVICE_LAUNCH and unknown bits -> INVALID_VALUE. */
MUresult muGraphInstantiate(MUgraphExec *phGraphExec, MUgraph hGraph, unsigned long long flags);
MUresult muGraphInstantiateWithFlags(MUgraphExec *phGraphExec, MUgraph hGraph,
                                     unsigned long long flags);
/* Enqueues the graph's work on hStream; launches of one exec are ordered.
 * Launched into a capturing stream, the graph is added as a child node. */
MUresult muGraphLaunch(MUgraphExec hGraphExec, MUstream hStream);
MUresult muGraphUpload(MUgraphExec hGraphExec, MUstream hStream);
MUresult muGraphExecDestroy(MUgraphExec hGraphExec);
/* Sets the parameters of the exec's copy of a kernel node of the graph it
 * was made from (same function); the graph itself is unchanged. */
MUresult muGraphExecKernelNodeSetParams(MUgraphExec hGraphExec, MUgraphNode hNode,
                                        const MUSA_KERNEL_NODE_PARAMS *nodeParams);
/* As for kernel nodes: the exec's copy of a memset / copy / host node. */
MUresult muGraphExecMemsetNodeSetParams(MUgraphExec hGraphExec, MUgraphNode hNode,
                                        const MUSA_MEMSET_NODE_PARAMS *memsetParams,
                                        MUcontext ctx);
MUresult muGraphExecMemcpyNodeSetParams(MUgraphExec hGraphExec, MUgraphNode hNode,
                                        const MUSA_MEMCPY3D *copyParams, MUcontext ctx);
MUresult muGraphExecHostNodeSetParams(MUgraphExec hGraphExec, MUgraphNode hNode,
                                      const MUSA_HOST_NODE_PARAMS *nodeParams);

/* Stream capture: work queued on a capturing stream is added to a graph
 * instead of running. The legacy stream cannot capture
 * (STREAM_CAPTURE_UNSUPPORTED); a stream already capturing -> ILLEGAL_STATE;
 * mode outside MUstreamCaptureMode -> INVALID_VALUE. */
MUresult muStreamBeginCapture(MUstream hStream, MUstreamCaptureMode mode);
/* Ends the capture begun on hStream: *phGraph the graph (NULL on error).
 * Not capturing -> ILLEGAL_STATE; begun on another stream ->
 * STREAM_CAPTURE_UNMATCHED; another thread in GLOBAL / THREAD_LOCAL mode ->
 * STREAM_CAPTURE_WRONG_THREAD; invalidated -> STREAM_CAPTURE_INVALIDATED;
 * a forked stream not joined back -> STREAM_CAPTURE_UNJOINED. */
MUresult muStreamEndCapture(MUstream hStream, MUgraph *phGraph);
/* The legacy stream while a blocking stream captures -> STREAM_CAPTURE_IMPLICIT. */
MUresult muStreamIsCapturing(MUstream hStream, MUstreamCaptureStatus *captureStatus);
/* captureStatus_out required; the others optional. *dependencies_out stays
 * valid until the next call on the stream. */
MUresult muStreamGetCaptureInfo(MUstream hStream, MUstreamCaptureStatus *captureStatus_out,
                                unsigned long long *id_out, MUgraph *graph_out,
                                const MUgraphNode **dependencies_out,
                                size_t *numDependencies_out);
/* Swaps the calling thread's capture interaction mode. */
MUresult muThreadExchangeStreamCaptureMode(MUstreamCaptureMode *mode);
/* area graphs: end */

/* area execution: begin */
/* Settable attributes: MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
 * (0 .. the device's per-block optin maximum minus the kernel's static
 * shared memory, else INVALID_VALUE; a launch asking for more dynamic shared
 * memory then fails with INVALID_VALUE) and
 * MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT (-1 .. 100). Others ->
 * INVALID_VALUE; a dead function -> INVALID_HANDLE. */
MUresult muFuncSetAttribute(MUfunction hfunc, MUfunction_attribute attrib, int value);
/* Remembered per function; bad enum -> INVALID_VALUE. */
MUresult muFuncSetCacheConfig(MUfunction hfunc, MUfunc_cache config);
MUresult muFuncSetSharedMemConfig(MUfunction hfunc, MUsharedconfig config);

/* Occupancy flags */
#define MU_OCCUPANCY_DEFAULT                  0x0
#define MU_OCCUPANCY_DISABLE_CACHING_OVERRIDE 0x1

/* Block size -> dynamic shared memory bytes, for muOccupancyMaxPotentialBlockSize. */
typedef size_t (*MUoccupancyB2DSize)(int blockSize);

/* Blocks of blockSize threads with dynamicSMemSize bytes that fit on one
 * multiprocessor at once, limited by threads, blocks and shared memory per
 * multiprocessor (0 when one block does not fit). blockSize <= 0 or above
 * the kernel's limit, NULL numBlocks or bad flags -> INVALID_VALUE. */
MUresult muOccupancyMaxActiveBlocksPerMultiprocessor(int *numBlocks, MUfunction func,
                                                     int blockSize, size_t dynamicSMemSize);
MUresult muOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(int *numBlocks, MUfunction func,
                                                              int blockSize,
                                                              size_t dynamicSMemSize,
                                                              unsigned int flags);
/* The block size (a multiple of the warp size, at most blockSizeLimit when
 * that is non-zero) with the highest occupancy, and the grid size that fills
 * the device with it. The shared memory per block is blockSizeToDynamicSMemSize
 * (blockSize) when given, else dynamicSMemSize. */
MUresult muOccupancyMaxPotentialBlockSize(int *minGridSize, int *blockSize, MUfunction func,
                                          MUoccupancyB2DSize blockSizeToDynamicSMemSize,
                                          size_t dynamicSMemSize, int blockSizeLimit);
MUresult muOccupancyMaxPotentialBlockSizeWithFlags(int *minGridSize, int *blockSize,
                                                   MUfunction func,
                                                   MUoccupancyB2DSize blockSizeToDynamicSMemSize,
                                                   size_t dynamicSMemSize, int blockSizeLimit,
                                                   unsigned int flags);
/* Dynamic shared memory a block may use when numBlocks blocks of blockSize
 * threads are to be resident on one multiprocessor. */
MUresult muOccupancyAvailableDynamicSMemPerBlock(size_t *dynamicSmemSize, MUfunction func,
                                                 int numBlocks, int blockSize);

/* As muLaunchKernel, but every block of the grid must be resident at once
 * (grid <= max active blocks per multiprocessor x multiprocessors), else
 * MUSA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE. */
MUresult muLaunchCooperativeKernel(MUfunction f,
                                   unsigned int gridDimX, unsigned int gridDimY,
                                   unsigned int gridDimZ,
                                   unsigned int blockDimX, unsigned int blockDimY,
                                   unsigned int blockDimZ,
                                   unsigned int sharedMemBytes, MUstream hStream,
                                   void **kernelParams);
/* area execution: end */

/* area textures: begin */
/* Arrays, texture and surface objects (docs/design.md, "Textures and
 * surfaces"). An array is device memory the driver lays out; texture and
 * surface objects are the device addresses of descriptors the driver owns. */
typedef enum MUarray_format_enum {
	MU_AD_FORMAT_UNSIGNED_INT8 = 0x01,
	MU_AD_FORMAT_UNSIGNED_INT16 = 0x02,
	MU_AD_FORMAT_UNSIGNED_INT32 = 0x03,
	MU_AD_FORMAT_SIGNED_INT8 = 0x08,
	MU_AD_FORMAT_SIGNED_INT16 = 0x09,
	MU_AD_FORMAT_SIGNED_INT32 = 0x0a,
	MU_AD_FORMAT_HALF = 0x10,
	MU_AD_FORMAT_FLOAT = 0x20
} MUarray_format;

typedef struct MUSA_ARRAY_DESCRIPTOR_st {
	size_t Width;              /* elements */
	size_t Height;             /* 0: a 1-D array */
	MUarray_format Format;
	unsigned int NumChannels;  /* 1, 2 or 4 */
} MUSA_ARRAY_DESCRIPTOR;

typedef struct MUSA_ARRAY3D_DESCRIPTOR_st {
	size_t Width;
	size_t Height;             /* 0: 1-D */
	size_t Depth;              /* 0: 1-D or 2-D; layers with MUSA_ARRAY3D_LAYERED */
	MUarray_format Format;
	unsigned int NumChannels;
	unsigned int Flags;        /* MUSA_ARRAY3D_* */
} MUSA_ARRAY3D_DESCRIPTOR;

#define MUSA_ARRAY3D_LAYERED        0x01
#define MUSA_ARRAY3D_2DARRAY        0x01
#define MUSA_ARRAY3D_SURFACE_LDST   0x02
#define MUSA_ARRAY3D_CUBEMAP        0x04
#define MUSA_ARRAY3D_TEXTURE_GATHER 0x08

typedef enum MUaddress_mode_enum {
	MU_TR_ADDRESS_MODE_WRAP = 0,
	MU_TR_ADDRESS_MODE_CLAMP = 1,
	MU_TR_ADDRESS_MODE_MIRROR = 2,
	MU_TR_ADDRESS_MODE_BORDER = 3
} MUaddress_mode;

typedef enum MUfilter_mode_enum {
	MU_TR_FILTER_MODE_POINT = 0,
	MU_TR_FILTER_MODE_LINEAR = 1
} MUfilter_mode;

#define MU_TRSF_READ_AS_INTEGER                0x01
#define MU_TRSF_NORMALIZED_COORDINATES         0x02
#define MU_TRSF_SRGB                           0x10
#define MU_TRSF_DISABLE_TRILINEAR_OPTIMIZATION 0x20
#define MU_TRSF_SEAMLESS_CUBEMAP               0x40

typedef enum MUresourcetype_enum {
	MU_RESOURCE_TYPE_ARRAY = 0x00,
	MU_RESOURCE_TYPE_MIPMAPPED_ARRAY = 0x01,
	MU_RESOURCE_TYPE_LINEAR = 0x02,
	MU_RESOURCE_TYPE_PITCH2D = 0x03
} MUresourcetype;

typedef enum MUresourceViewFormat_enum {
	MU_RES_VIEW_FORMAT_NONE = 0x00,
	MU_RES_VIEW_FORMAT_UINT_1X8 = 0x01,
	MU_RES_VIEW_FORMAT_UINT_2X8 = 0x02,
	MU_RES_VIEW_FORMAT_UINT_4X8 = 0x03,
	MU_RES_VIEW_FORMAT_SINT_1X8 = 0x04,
	MU_RES_VIEW_FORMAT_SINT_2X8 = 0x05,
	MU_RES_VIEW_FORMAT_SINT_4X8 = 0x06,
	MU_RES_VIEW_FORMAT_UINT_1X16 = 0x07,
	MU_RES_VIEW_FORMAT_UINT_2X16 = 0x08,
	MU_RES_VIEW_FORMAT_UINT_4X16 = 0x09,
	MU_RES_VIEW_FORMAT_SINT_1X16 = 0x0a,
	MU_RES_VIEW_FORMAT_SINT_2X16 = 0x0b,
	MU_RES_VIEW_FORMAT_SINT_4X16 = 0x0c,
	MU_RES_VIEW_FORMAT_UINT_1X32 = 0x0d,
	MU_RES_VIEW_FORMAT_UINT_2X32 = 0x0e,
	MU_RES_VIEW_FORMAT_UINT_4X32 = 0x0f,
	MU_RES_VIEW_FORMAT_SINT_1X32 = 0x10,
	MU_RES_VIEW_FORMAT_SINT_2X32 = 0x11,
	MU_RES_VIEW_FORMAT_SINT_4X32 = 0x12,
	MU_RES_VIEW_FORMAT_FLOAT_1X16 = 0x13,
	MU_RES_VIEW_FORMAT_FLOAT_2X16 = 0x14,
	MU_RES_VIEW_FORMAT_FLOAT_4X16 = 0x15,
	MU_RES_VIEW_FORMAT_FLOAT_1X32 = 0x16,
	MU_RES_VIEW_FORMAT_FLOAT_2X32 = 0x17,
	MU_RES_VIEW_FORMAT_FLOAT_4X32 = 0x18
} MUresourceViewFormat;

typedef struct MUmipmappedArray_st *MUmipmappedArray;
typedef unsigned long long MUtexObject;
typedef unsigned long long MUsurfObject;

typedef struct MUSA_RESOURCE_DESC_st {
	MUresourcetype resType;
	union {
		struct {
			MUarray hArray;
		} array;
		struct {
			MUmipmappedArray hMipmappedArray;
		} mipmap;
		struct {
			MUdeviceptr devPtr;
			MUarray_format format;
			unsigned int numChannels;
			size_t sizeInBytes;
		} linear;
		struct {
			MUdeviceptr devPtr;
			MUarray_format format;
			unsigned int numChannels;
			size_t width;          /* elements */
			size_t height;
			size_t pitchInBytes;
		} pitch2D;
		struct {
			int reserved[32];
		} reserved;
	} res;
	unsigned int flags;  /* must be 0 */
} MUSA_RESOURCE_DESC;

typedef struct MUSA_TEXTURE_DESC_st {
	MUaddress_mode addressMode[3];
	MUfilter_mode filterMode;
	unsigned int flags;            /* MU_TRSF_* */
	unsigned int maxAnisotropy;
	MUfilter_mode mipmapFilterMode;
	float mipmapLevelBias;
	float minMipmapLevelClamp;
	float maxMipmapLevelClamp;
	float borderColor[4];
	int reserved[12];
} MUSA_TEXTURE_DESC;

typedef struct MUSA_RESOURCE_VIEW_DESC_st {
	MUresourceViewFormat format;
	size_t width;
	size_t height;
	size_t depth;
	unsigned int firstMipmapLevel;
	unsigned int lastMipmapLevel;
	unsigned int firstLayer;
	unsigned int lastLayer;
	unsigned int reserved[16];  /* must be 0 */
} MUSA_RESOURCE_VIEW_DESC;

/* Arrays. NULL pointers, Width 0, an unknown format, a channel count other
 * than 1, 2, 4, sizes past the device's MAXIMUM_TEXTURE* / SURFACE*
 * attributes or flags that do not fit the shape -> INVALID_VALUE. */
MUresult muArrayCreate(MUarray *pHandle, const MUSA_ARRAY_DESCRIPTOR *pAllocateArray);
MUresult muArray3DCreate(MUarray *pHandle, const MUSA_ARRAY3D_DESCRIPTOR *pAllocateArray);
/* A destroyed or unknown array -> INVALID_HANDLE. */
MUresult muArrayDestroy(MUarray hArray);
/* A 3-D or layered array -> INVALID_VALUE (as CUDA). */
MUresult muArrayGetDescriptor(MUSA_ARRAY_DESCRIPTOR *pArrayDescriptor, MUarray hArray);
MUresult muArray3DGetDescriptor(MUSA_ARRAY3D_DESCRIPTOR *pArrayDescriptor, MUarray hArray);

/* 1-D views of an array: an offset in bytes into the array taken row after
 * row; a range past the array -> INVALID_VALUE. */
MUresult muMemcpyHtoA(MUarray dstArray, size_t dstOffset, const void *srcHost, size_t ByteCount);
MUresult muMemcpyAtoH(void *dstHost, MUarray srcArray, size_t srcOffset, size_t ByteCount);
MUresult muMemcpyDtoA(MUarray dstArray, size_t dstOffset, MUdeviceptr srcDevice, size_t ByteCount);
MUresult muMemcpyAtoD(MUdeviceptr dstDevice, MUarray srcArray, size_t srcOffset, size_t ByteCount);
MUresult muMemcpyAtoA(MUarray dstArray, size_t dstOffset, MUarray srcArray, size_t srcOffset,
                      size_t ByteCount);
MUresult muMemcpyHtoAAsync(MUarray dstArray, size_t dstOffset, const void *srcHost,
                           size_t ByteCount, MUstream hStream);
MUresult muMemcpyAtoHAsync(void *dstHost, MUarray srcArray, size_t srcOffset, size_t ByteCount,
                           MUstream hStream);
/* 3-D copies between host, device, unified memory and arrays (an array
 * side uses its own pitch and height; srcZ/dstZ count slices or layers). */
MUresult muMemcpy3D(const MUSA_MEMCPY3D *pCopy);
MUresult muMemcpy3DAsync(const MUSA_MEMCPY3D *pCopy, MUstream hStream);

/* Texture objects: see musaCreateTextureObject for the rules; all errors
 * are INVALID_VALUE (an unknown array: INVALID_HANDLE). */
MUresult muTexObjectCreate(MUtexObject *pTexObject, const MUSA_RESOURCE_DESC *pResDesc,
                           const MUSA_TEXTURE_DESC *pTexDesc,
                           const MUSA_RESOURCE_VIEW_DESC *pResViewDesc);
/* A destroyed or unknown object -> INVALID_VALUE. */
MUresult muTexObjectDestroy(MUtexObject texObject);
MUresult muTexObjectGetResourceDesc(MUSA_RESOURCE_DESC *pResDesc, MUtexObject texObject);
MUresult muTexObjectGetTextureDesc(MUSA_TEXTURE_DESC *pTexDesc, MUtexObject texObject);
MUresult muTexObjectGetResourceViewDesc(MUSA_RESOURCE_VIEW_DESC *pResViewDesc,
                                        MUtexObject texObject);
/* Surface objects: an array made with MUSA_ARRAY3D_SURFACE_LDST. */
MUresult muSurfObjectCreate(MUsurfObject *pSurfObject, const MUSA_RESOURCE_DESC *pResDesc);
MUresult muSurfObjectDestroy(MUsurfObject surfObject);
MUresult muSurfObjectGetResourceDesc(MUSA_RESOURCE_DESC *pResDesc, MUsurfObject surfObject);
/* area textures: end */

#if defined(__cplusplus)
}
#endif

#endif /* MUSA_H */
