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

#include <stddef.h>
#include <stdint.h>

#if defined(__cplusplus)
extern "C" {
#endif

#define MUSA_VERSION 12000  /* API version: 1000 * major + 10 * minor */

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
	MU_DEVICE_ATTRIBUTE_MAX
} MUdevice_attribute;

typedef enum MUpointer_attribute_enum {
	MU_POINTER_ATTRIBUTE_CONTEXT = 1,
	MU_POINTER_ATTRIBUTE_MEMORY_TYPE = 2,
	MU_POINTER_ATTRIBUTE_DEVICE_POINTER = 3,
	MU_POINTER_ATTRIBUTE_HOST_POINTER = 4,
	MU_POINTER_ATTRIBUTE_RANGE_START_ADDR = 11,
	MU_POINTER_ATTRIBUTE_RANGE_SIZE = 12,
	MU_POINTER_ATTRIBUTE_DEVICE_ORDINAL = 9
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

/* ---- Errors -------------------------------------------------------------- */
/* Name / description of an error; MUSA_ERROR_INVALID_VALUE for an unknown code
 * (and *pStr set to NULL) or a NULL pStr. */
MUresult muGetErrorName(MUresult error, const char **pStr);
MUresult muGetErrorString(MUresult error, const char **pStr);

/* ---- Initialization and version ----------------------------------------- */
/* flags must be 0 (INVALID_VALUE); NO_DEVICE when no device is present. */
MUresult muInit(unsigned int flags);
MUresult muDriverGetVersion(int *driverVersion);

/* ---- Device management -------------------------------------------------- */
MUresult muDeviceGet(MUdevice *device, int ordinal);
MUresult muDeviceGetCount(int *count);
MUresult muDeviceGetName(char *name, int len, MUdevice dev);
MUresult muDeviceGetAttribute(int *pi, MUdevice_attribute attrib, MUdevice dev);
MUresult muDeviceTotalMem(size_t *bytes, MUdevice dev);

/* ---- Primary context ---------------------------------------------------- */
MUresult muDevicePrimaryCtxRetain(MUcontext *pctx, MUdevice dev);
MUresult muDevicePrimaryCtxRelease(MUdevice dev);
/* Destroys all allocations, streams, modules of the primary context; it stays
 * retained. Clears a fault: new work succeeds afterwards. */
MUresult muDevicePrimaryCtxReset(MUdevice dev);
MUresult muDevicePrimaryCtxGetState(MUdevice dev, unsigned int *flags, int *active);
MUresult muDevicePrimaryCtxSetFlags(MUdevice dev, unsigned int flags);

/* ---- Context management ------------------------------------------------- */
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
	MU_LIMIT_STACK_SIZE = 0,        /* not settable: kernel stacks are fibers' */
	MU_LIMIT_PRINTF_FIFO_SIZE = 1,  /* bytes of the device printf FIFO (1 MiB) */
	MU_LIMIT_MALLOC_HEAP_SIZE = 2,  /* bytes of the device malloc heap (8 MiB) */
} MUlimit;

/* Sets a limit of the current context. The printf FIFO and the malloc heap
 * are made when the first module that uses them is loaded; setting their
 * size after that is MUSA_ERROR_INVALID_VALUE, as is 0.
 * MU_LIMIT_STACK_SIZE and unknown limits: MUSA_ERROR_UNSUPPORTED_LIMIT. */
MUresult muCtxSetLimit(MUlimit limit, size_t value);
/* Reads a limit; MU_LIMIT_STACK_SIZE and unknown: MUSA_ERROR_UNSUPPORTED_LIMIT. */
MUresult muCtxGetLimit(size_t *pvalue, MUlimit limit);

/* ---- Memory management -------------------------------------------------- */
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

/* ---- Module management -------------------------------------------------- */
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

/* ---- Execution ---------------------------------------------------------- */
/* Zero or too large grid/block dimensions, more threads per block than the
 * device allows, or too much shared memory -> INVALID_VALUE. Exactly one of
 * kernelParams (one pointer per parameter) and extra may be given. */
MUresult muLaunchKernel(MUfunction f,
                        unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ,
                        unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ,
                        unsigned int sharedMemBytes, MUstream hStream,
                        void **kernelParams, void **extra);

/* ---- Streams ------------------------------------------------------------ */
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

/* ---- Events ------------------------------------------------------------- */
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

#if defined(__cplusplus)
}
#endif

#endif /* MUSA_H */
