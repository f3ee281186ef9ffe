/* SPDX-License-Identifier: MIT */
/*
 * musa_runtime_api.h - the MUSA runtime API (libmusart), named as CUDA's
 * runtime API with cuda -> musa. The first call initializes the runtime and
 * the device's primary context implicitly. Every call returns a
 * musaError_t and records it as the calling thread's last error
 * (musaGetLastError clears it, musaPeekAtLastError does not). Errors that a
 * device fault raises are sticky: every later call returns them until
 * musaDeviceReset.
 */
#ifndef MUSA_RUNTIME_API_H
#define MUSA_RUNTIME_API_H
/* CUDA's guard names for this header and for the driver types it holds,
 * which ported helpers test (helper_cuda.h's checkCudaErrors needs
 * __DRIVER_TYPES_H__). */
#define __MUSA_RUNTIME_API_H__
#ifndef __DRIVER_TYPES_H__
#define __DRIVER_TYPES_H__
#endif

#include <stddef.h>
#include "musa_vector_types.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define MUSART_VERSION 12000  /* 1000 * major + 10 * minor */
/* Calling convention of host callbacks (CUDA's CUDART_CB): none on Linux. */
#define MUSART_CB
/* C++ default arguments (CUDA's __dv): none in C. */
#if defined(__cplusplus)
#define __MUSA_DV(x) = x
#else
#define __MUSA_DV(x)
#endif

typedef enum musaError {
	musaSuccess = 0,
	musaErrorInvalidValue = 1,
	musaErrorMemoryAllocation = 2,
	musaErrorInitializationError = 3,
	musaErrorMusartUnloading = 4,
	musaErrorProfilerDisabled = 5,
	musaErrorInvalidConfiguration = 9,
	musaErrorInvalidPitchValue = 12,
	musaErrorInvalidSymbol = 13,
	musaErrorInvalidHostPointer = 16,
	musaErrorInvalidDevicePointer = 17,
	musaErrorInvalidTexture = 18,
	musaErrorInvalidTextureBinding = 19,
	musaErrorInvalidChannelDescriptor = 20,
	musaErrorInvalidMemcpyDirection = 21,
	musaErrorInvalidFilterSetting = 26,
	musaErrorInvalidNormSetting = 27,
	musaErrorStubLibrary = 34,
	musaErrorInsufficientDriver = 35,
	musaErrorCallRequiresNewerDriver = 36,
	musaErrorInvalidSurface = 37,
	musaErrorDuplicateVariableName = 43,
	musaErrorDuplicateTextureName = 44,
	musaErrorDuplicateSurfaceName = 45,
	musaErrorDevicesUnavailable = 46,
	musaErrorIncompatibleDriverContext = 49,
	musaErrorMissingConfiguration = 52,
	musaErrorLaunchMaxDepthExceeded = 65,
	musaErrorLaunchFileScopedTex = 66,
	musaErrorLaunchFileScopedSurf = 67,
	musaErrorSyncDepthExceeded = 68,
	musaErrorLaunchPendingCountExceeded = 69,
	musaErrorInvalidDeviceFunction = 98,
	musaErrorNoDevice = 100,
	musaErrorInvalidDevice = 101,
	musaErrorDeviceNotLicensed = 102,
	musaErrorSoftwareValidityNotEstablished = 103,
	musaErrorStartupFailure = 127,
	musaErrorInvalidKernelImage = 200,
	musaErrorDeviceUninitialized = 201,
	musaErrorMapBufferObjectFailed = 205,
	musaErrorUnmapBufferObjectFailed = 206,
	musaErrorArrayIsMapped = 207,
	musaErrorAlreadyMapped = 208,
	musaErrorNoKernelImageForDevice = 209,
	musaErrorAlreadyAcquired = 210,
	musaErrorNotMapped = 211,
	musaErrorNotMappedAsArray = 212,
	musaErrorNotMappedAsPointer = 213,
	musaErrorECCUncorrectable = 214,
	musaErrorUnsupportedLimit = 215,
	musaErrorDeviceAlreadyInUse = 216,
	musaErrorPeerAccessUnsupported = 217,
	musaErrorInvalidPtx = 218,
	musaErrorInvalidGraphicsContext = 219,
	musaErrorJitCompilerNotFound = 221,
	musaErrorInvalidSource = 300,
	musaErrorFileNotFound = 301,
	musaErrorSharedObjectSymbolNotFound = 302,
	musaErrorSharedObjectInitFailed = 303,
	musaErrorOperatingSystem = 304,
	musaErrorInvalidResourceHandle = 400,
	musaErrorIllegalState = 401,
	musaErrorSymbolNotFound = 500,
	musaErrorNotReady = 600,
	musaErrorIllegalAddress = 700,
	musaErrorLaunchOutOfResources = 701,
	musaErrorLaunchTimeout = 702,
	musaErrorLaunchIncompatibleTexturing = 703,
	musaErrorPeerAccessAlreadyEnabled = 704,
	musaErrorPeerAccessNotEnabled = 705,
	musaErrorSetOnActiveProcess = 708,
	musaErrorContextIsDestroyed = 709,
	musaErrorAssert = 710,
	musaErrorTooManyPeers = 711,
	musaErrorHostMemoryAlreadyRegistered = 712,
	musaErrorHostMemoryNotRegistered = 713,
	musaErrorHardwareStackError = 714,
	musaErrorIllegalInstruction = 715,
	musaErrorMisalignedAddress = 716,
	musaErrorInvalidAddressSpace = 717,
	musaErrorInvalidPc = 718,
	musaErrorLaunchFailure = 719,
	musaErrorCooperativeLaunchTooLarge = 720,
	musaErrorNotPermitted = 800,
	musaErrorNotSupported = 801,
	musaErrorSystemNotReady = 802,
	musaErrorSystemDriverMismatch = 803,
	musaErrorCompatNotSupportedOnDevice = 804,
	musaErrorStreamCaptureUnsupported = 900,
	musaErrorStreamCaptureInvalidated = 901,
	musaErrorStreamCaptureMerge = 902,
	musaErrorStreamCaptureUnmatched = 903,
	musaErrorStreamCaptureUnjoined = 904,
	musaErrorStreamCaptureIsolation = 905,
	musaErrorStreamCaptureImplicit = 906,
	musaErrorCapturedEvent = 907,
	musaErrorStreamCaptureWrongThread = 908,
	musaErrorTimeout = 909,
	musaErrorGraphExecUpdateFailure = 910,
	musaErrorUnknown = 999,
	musaErrorApiFailureBase = 10000
} musaError_t;

typedef enum musaMemcpyKind {
	musaMemcpyHostToHost = 0,
	musaMemcpyHostToDevice = 1,
	musaMemcpyDeviceToHost = 2,
	musaMemcpyDeviceToDevice = 3,
	musaMemcpyDefault = 4  /* direction inferred from the pointers */
} musaMemcpyKind;

typedef struct MUstream_st *musaStream_t;
typedef struct MUevent_st *musaEvent_t;

#define musaStreamDefault     0x00
#define musaStreamNonBlocking 0x01
#define musaStreamLegacy      ((musaStream_t)0x1)

#define musaEventDefault       0x00
#define musaEventBlockingSync  0x01
#define musaEventDisableTiming 0x02
#define musaEventInterprocess  0x04

/* The values of musaDevAttrComputeMode (musaDeviceProp.computeMode). */
enum musaComputeMode {
	musaComputeModeDefault = 0,
	musaComputeModeExclusive = 1,
	musaComputeModeProhibited = 2,
	musaComputeModeExclusiveProcess = 3,
};

typedef enum musaDeviceAttr {
	musaDevAttrMaxThreadsPerBlock = 1,
	musaDevAttrMaxBlockDimX = 2,
	musaDevAttrMaxBlockDimY = 3,
	musaDevAttrMaxBlockDimZ = 4,
	musaDevAttrMaxGridDimX = 5,
	musaDevAttrMaxGridDimY = 6,
	musaDevAttrMaxGridDimZ = 7,
	musaDevAttrMaxSharedMemoryPerBlock = 8,
	musaDevAttrTotalConstantMemory = 9,
	musaDevAttrWarpSize = 10,
	musaDevAttrMaxPitch = 11,
	musaDevAttrMaxRegistersPerBlock = 12,
	musaDevAttrClockRate = 13,
	musaDevAttrTextureAlignment = 14,
	musaDevAttrGpuOverlap = 15,
	musaDevAttrMultiProcessorCount = 16,
	musaDevAttrKernelExecTimeout = 17,
	musaDevAttrIntegrated = 18,
	musaDevAttrCanMapHostMemory = 19,
	musaDevAttrComputeMode = 20,
	musaDevAttrConcurrentKernels = 31,
	musaDevAttrEccEnabled = 32,
	musaDevAttrPciBusId = 33,
	musaDevAttrPciDeviceId = 34,
	musaDevAttrTccDriver = 35,
	musaDevAttrMemoryClockRate = 36,
	musaDevAttrGlobalMemoryBusWidth = 37,
	musaDevAttrL2CacheSize = 38,
	musaDevAttrMaxThreadsPerMultiProcessor = 39,
	musaDevAttrAsyncEngineCount = 40,
	musaDevAttrUnifiedAddressing = 41,
	musaDevAttrPciDomainId = 50,
	musaDevAttrComputeCapabilityMajor = 75,
	musaDevAttrComputeCapabilityMinor = 76,
	musaDevAttrStreamPrioritiesSupported = 78,
	musaDevAttrGlobalL1CacheSupported = 79,
	musaDevAttrLocalL1CacheSupported = 80,
	musaDevAttrMaxSharedMemoryPerMultiprocessor = 81,
	musaDevAttrMaxRegistersPerMultiprocessor = 82,
	musaDevAttrManagedMemory = 83,
	musaDevAttrIsMultiGpuBoard = 84,
	musaDevAttrMultiGpuBoardGroupID = 85,
	musaDevAttrHostNativeAtomicSupported = 86,
	musaDevAttrPageableMemoryAccess = 88,
	musaDevAttrConcurrentManagedAccess = 89,
	musaDevAttrComputePreemptionSupported = 90,
	musaDevAttrCanUseHostPointerForRegisteredMem = 91,
	musaDevAttrCooperativeLaunch = 95,
	musaDevAttrMaxSharedMemoryPerBlockOptin = 97,
	musaDevAttrMaxBlocksPerMultiprocessor = 106,
	/* The rest of CUDA 12's attributes, with CUDA's values. */
	musaDevAttrMaxTexture1DWidth = 21,
	musaDevAttrMaxTexture2DWidth = 22,
	musaDevAttrMaxTexture2DHeight = 23,
	musaDevAttrMaxTexture3DWidth = 24,
	musaDevAttrMaxTexture3DHeight = 25,
	musaDevAttrMaxTexture3DDepth = 26,
	musaDevAttrMaxTexture2DLayeredWidth = 27,
	musaDevAttrMaxTexture2DLayeredHeight = 28,
	musaDevAttrMaxTexture2DLayeredLayers = 29,
	musaDevAttrSurfaceAlignment = 30,
	musaDevAttrMaxTexture1DLayeredWidth = 42,
	musaDevAttrMaxTexture1DLayeredLayers = 43,
	musaDevAttrMaxTexture2DGatherWidth = 45,
	musaDevAttrMaxTexture2DGatherHeight = 46,
	musaDevAttrMaxTexture3DWidthAlt = 47,
	musaDevAttrMaxTexture3DHeightAlt = 48,
	musaDevAttrMaxTexture3DDepthAlt = 49,
	musaDevAttrTexturePitchAlignment = 51,
	musaDevAttrMaxTextureCubemapWidth = 52,
	musaDevAttrMaxTextureCubemapLayeredWidth = 53,
	musaDevAttrMaxTextureCubemapLayeredLayers = 54,
	musaDevAttrMaxSurface1DWidth = 55,
	musaDevAttrMaxSurface2DWidth = 56,
	musaDevAttrMaxSurface2DHeight = 57,
	musaDevAttrMaxSurface3DWidth = 58,
	musaDevAttrMaxSurface3DHeight = 59,
	musaDevAttrMaxSurface3DDepth = 60,
	musaDevAttrMaxSurface1DLayeredWidth = 61,
	musaDevAttrMaxSurface1DLayeredLayers = 62,
	musaDevAttrMaxSurface2DLayeredWidth = 63,
	musaDevAttrMaxSurface2DLayeredHeight = 64,
	musaDevAttrMaxSurface2DLayeredLayers = 65,
	musaDevAttrMaxSurfaceCubemapWidth = 66,
	musaDevAttrMaxSurfaceCubemapLayeredWidth = 67,
	musaDevAttrMaxSurfaceCubemapLayeredLayers = 68,
	musaDevAttrMaxTexture1DLinearWidth = 69,
	musaDevAttrMaxTexture2DLinearWidth = 70,
	musaDevAttrMaxTexture2DLinearHeight = 71,
	musaDevAttrMaxTexture2DLinearPitch = 72,
	musaDevAttrMaxTexture2DMipmappedWidth = 73,
	musaDevAttrMaxTexture2DMipmappedHeight = 74,
	musaDevAttrMaxTexture1DMipmappedWidth = 77,
	musaDevAttrSingleToDoublePrecisionPerfRatio = 87,
	musaDevAttrCooperativeMultiDeviceLaunch = 96,
	musaDevAttrCanFlushRemoteWrites = 98,
	musaDevAttrHostRegisterSupported = 99,
	musaDevAttrPageableMemoryAccessUsesHostPageTables = 100,
	musaDevAttrDirectManagedMemAccessFromHost = 101,
	musaDevAttrMaxPersistingL2CacheSize = 108,
	musaDevAttrMaxAccessPolicyWindowSize = 109,
	musaDevAttrReservedSharedMemoryPerBlock = 111,
	musaDevAttrSparseMusaArraySupported = 112,
	musaDevAttrHostRegisterReadOnlySupported = 113,
	musaDevAttrTimelineSemaphoreInteropSupported = 114,
	musaDevAttrMemoryPoolsSupported = 115,
	musaDevAttrGPUDirectRDMASupported = 116,
	musaDevAttrGPUDirectRDMAFlushWritesOptions = 117,
	musaDevAttrGPUDirectRDMAWritesOrdering = 118,
	musaDevAttrMemoryPoolSupportedHandleTypes = 119,
	musaDevAttrClusterLaunch = 120,
	musaDevAttrDeferredMappingMusaArraySupported = 121,
	musaDevAttrReserved122 = 122,
	musaDevAttrReserved123 = 123,
	musaDevAttrReserved124 = 124,
	musaDevAttrIpcEventSupport = 125,
	musaDevAttrMemSyncDomainCount = 126,
	musaDevAttrReserved127 = 127,
	musaDevAttrReserved128 = 128,
	musaDevAttrReserved129 = 129,
	musaDevAttrMax
} musaDeviceAttr;

#ifndef MU_UUID_HAS_BEEN_DEFINED
#define MU_UUID_HAS_BEEN_DEFINED
/* 16 bytes that identify a device (CUDA's CUuuid). */
struct MUuuid_st {
	char bytes[16];
};
#endif
typedef struct MUuuid_st musaUUID_t;

/* Device properties: CUDA 12's cudaDeviceProp fields, names and order. */
struct musaDeviceProp {
	char   name[256];
	musaUUID_t uuid;
	char   luid[8];
	unsigned int luidDeviceNodeMask;
	size_t totalGlobalMem;
	size_t sharedMemPerBlock;
	int    regsPerBlock;
	int    warpSize;
	size_t memPitch;
	int    maxThreadsPerBlock;
	int    maxThreadsDim[3];
	int    maxGridSize[3];
	int    clockRate;            /* kHz */
	size_t totalConstMem;
	int    major;
	int    minor;
	size_t textureAlignment;
	size_t texturePitchAlignment;
	int    deviceOverlap;
	int    multiProcessorCount;
	int    kernelExecTimeoutEnabled;
	int    integrated;
	int    canMapHostMemory;
	int    computeMode;
	int    maxTexture1D;
	int    maxTexture1DMipmap;
	int    maxTexture1DLinear;
	int    maxTexture2D[2];
	int    maxTexture2DMipmap[2];
	int    maxTexture2DLinear[3];
	int    maxTexture2DGather[2];
	int    maxTexture3D[3];
	int    maxTexture3DAlt[3];
	int    maxTextureCubemap;
	int    maxTexture1DLayered[2];
	int    maxTexture2DLayered[3];
	int    maxTextureCubemapLayered[2];
	int    maxSurface1D;
	int    maxSurface2D[2];
	int    maxSurface3D[3];
	int    maxSurface1DLayered[2];
	int    maxSurface2DLayered[3];
	int    maxSurfaceCubemap;
	int    maxSurfaceCubemapLayered[2];
	size_t surfaceAlignment;
	int    concurrentKernels;
	int    ECCEnabled;
	int    pciBusID;
	int    pciDeviceID;
	int    pciDomainID;
	int    tccDriver;
	int    asyncEngineCount;
	int    unifiedAddressing;
	int    memoryClockRate;      /* kHz */
	int    memoryBusWidth;       /* bits */
	int    l2CacheSize;
	int    persistingL2CacheMaxSize;
	int    maxThreadsPerMultiProcessor;
	int    streamPrioritiesSupported;
	int    globalL1CacheSupported;
	int    localL1CacheSupported;
	size_t sharedMemPerMultiprocessor;
	int    regsPerMultiprocessor;
	int    managedMemory;
	int    isMultiGpuBoard;
	int    multiGpuBoardGroupID;
	int    hostNativeAtomicSupported;
	int    singleToDoublePrecisionPerfRatio;
	int    pageableMemoryAccess;
	int    concurrentManagedAccess;
	int    computePreemptionSupported;
	int    canUseHostPointerForRegisteredMem;
	int    cooperativeLaunch;
	int    cooperativeMultiDeviceLaunch;
	size_t sharedMemPerBlockOptin;
	int    pageableMemoryAccessUsesHostPageTables;
	int    directManagedMemAccessFromHost;
	int    maxBlocksPerMultiProcessor;
	int    accessPolicyMaxWindowSize;
	size_t reservedSharedMemPerBlock;
	int    hostRegisterSupported;
	int    sparseMusaArraySupported;
	int    hostRegisterReadOnlySupported;
	int    timelineSemaphoreInteropSupported;
	int    memoryPoolsSupported;
	int    gpuDirectRDMASupported;
	unsigned int gpuDirectRDMAFlushWritesOptions;
	int    gpuDirectRDMAWritesOrdering;
	unsigned int memoryPoolSupportedHandleTypes;
	int    deferredMappingMusaArraySupported;
	int    ipcEventSupported;
	int    clusterLaunch;
	int    unifiedFunctionPointers;
	int    reserved2[2];
	int    reserved1[1];
	int    reserved[60];
};
typedef struct musaDeviceProp musaDeviceProp;

/* Errors */
musaError_t musaGetLastError(void);
musaError_t musaPeekAtLastError(void);
/* "unrecognized error code" for a value that is not a musaError_t. */
const char *musaGetErrorName(musaError_t error);
const char *musaGetErrorString(musaError_t error);

/* Version */
musaError_t musaDriverGetVersion(int *driverVersion);
musaError_t musaRuntimeGetVersion(int *runtimeVersion);

/* Device management */
musaError_t musaGetDeviceCount(int *count);
/* An ordinal outside [0, count) -> musaErrorInvalidDevice. */
musaError_t musaSetDevice(int device);
musaError_t musaGetDevice(int *device);
musaError_t musaGetDeviceProperties(struct musaDeviceProp *prop, int device);
musaError_t musaDeviceGetAttribute(int *value, enum musaDeviceAttr attr, int device);
/* Waits for all work on the current device; returns asynchronous errors. */
musaError_t musaDeviceSynchronize(void);
/* Destroys the current device's primary context state and clears sticky errors. */
musaError_t musaDeviceReset(void);
/* Legacy name of musaDeviceSynchronize. */
musaError_t musaThreadSynchronize(void);

/* Device limits, CUDA's values. */
enum musaLimit {
	musaLimitStackSize = 0,        /* bytes of stack per device thread */
	musaLimitPrintfFifoSize = 1,   /* bytes of the device printf FIFO (1 MiB) */
	musaLimitMallocHeapSize = 2,   /* bytes of the device malloc heap (8 MiB) */
	/* Not supported (musaErrorUnsupportedLimit): */
	musaLimitDevRuntimeSyncDepth = 3,
	musaLimitDevRuntimePendingLaunchCount = 4,
	musaLimitMaxL2FetchGranularity = 5,
	musaLimitPersistingL2CacheSize = 6,
};
/* Sizes the printf FIFO / malloc heap of the current device; once a kernel
 * that uses them was loaded (first launch), or for 0 -> musaErrorInvalidValue;
 * musaLimitStackSize: bytes of stack per device thread (default 1024), any
 * value up to 256 KiB (the fiber stacks' size; more -> musaErrorInvalidValue);
 * the other limits of the enum and unknown ones -> musaErrorUnsupportedLimit. */
musaError_t musaDeviceSetLimit(enum musaLimit limit, size_t value);
musaError_t musaDeviceGetLimit(size_t *pValue, enum musaLimit limit);

/* Symbols: __device__, __constant__ and __managed__ variables */
/* `symbol` is the variable itself (its host shadow's address). Unknown ->
 * musaErrorInvalidSymbol; offset + count past the variable ->
 * musaErrorInvalidValue; a kind that cannot reach the variable ->
 * musaErrorInvalidMemcpyDirection. A __managed__ variable's address is its
 * host shadow, which kernels use too. */
#if defined(__cplusplus)
musaError_t musaMemcpyToSymbol(const void *symbol, const void *src, size_t count,
                               size_t offset = 0,
                               enum musaMemcpyKind kind = musaMemcpyHostToDevice);
musaError_t musaMemcpyFromSymbol(void *dst, const void *symbol, size_t count,
                                 size_t offset = 0,
                                 enum musaMemcpyKind kind = musaMemcpyDeviceToHost);
musaError_t musaMemcpyToSymbolAsync(const void *symbol, const void *src, size_t count,
                                    size_t offset = 0,
                                    enum musaMemcpyKind kind = musaMemcpyHostToDevice,
                                    musaStream_t stream = 0);
musaError_t musaMemcpyFromSymbolAsync(void *dst, const void *symbol, size_t count,
                                      size_t offset = 0,
                                      enum musaMemcpyKind kind = musaMemcpyDeviceToHost,
                                      musaStream_t stream = 0);
#else
musaError_t musaMemcpyToSymbol(const void *symbol, const void *src, size_t count,
                               size_t offset, enum musaMemcpyKind kind);
musaError_t musaMemcpyFromSymbol(void *dst, const void *symbol, size_t count,
                                 size_t offset, enum musaMemcpyKind kind);
musaError_t musaMemcpyToSymbolAsync(const void *symbol, const void *src, size_t count,
                                    size_t offset, enum musaMemcpyKind kind,
                                    musaStream_t stream);
musaError_t musaMemcpyFromSymbolAsync(void *dst, const void *symbol, size_t count,
                                      size_t offset, enum musaMemcpyKind kind,
                                      musaStream_t stream);
#endif
musaError_t musaGetSymbolAddress(void **devPtr, const void *symbol);
musaError_t musaGetSymbolSize(size_t *size, const void *symbol);

/* Memory management */
/* size 0 -> musaSuccess with *devPtr = NULL (as CUDA does). */
musaError_t musaMalloc(void **devPtr, size_t size);
/* NULL is a no-op; a pointer not from musaMalloc -> musaErrorInvalidValue. */
musaError_t musaFree(void *devPtr);
musaError_t musaMemGetInfo(size_t *free, size_t *total);
/* A kind outside musaMemcpyKind -> musaErrorInvalidMemcpyDirection; pointers
 * that do not match the kind, or ranges outside an allocation ->
 * musaErrorInvalidValue. */
musaError_t musaMemcpy(void *dst, const void *src, size_t count, enum musaMemcpyKind kind);
musaError_t musaMemcpyAsync(void *dst, const void *src, size_t count,
                            enum musaMemcpyKind kind, musaStream_t stream __MUSA_DV(0));
musaError_t musaMemset(void *devPtr, int value, size_t count);
musaError_t musaMemsetAsync(void *devPtr, int value, size_t count, musaStream_t stream __MUSA_DV(0));

/* Streams */
musaError_t musaStreamCreate(musaStream_t *pStream);
/* flags other than musaStreamDefault / musaStreamNonBlocking -> musaErrorInvalidValue. */
musaError_t musaStreamCreateWithFlags(musaStream_t *pStream, unsigned int flags);
musaError_t musaStreamDestroy(musaStream_t stream);
musaError_t musaStreamSynchronize(musaStream_t stream);
/* musaSuccess when done, musaErrorNotReady while work is pending. */
musaError_t musaStreamQuery(musaStream_t stream);
musaError_t musaStreamWaitEvent(musaStream_t stream, musaEvent_t event, unsigned int flags __MUSA_DV(0));

/* Events */
musaError_t musaEventCreate(musaEvent_t *event);
musaError_t musaEventCreateWithFlags(musaEvent_t *event, unsigned int flags);
musaError_t musaEventRecord(musaEvent_t event, musaStream_t stream __MUSA_DV(0));
musaError_t musaEventQuery(musaEvent_t event);
musaError_t musaEventSynchronize(musaEvent_t event);
musaError_t musaEventElapsedTime(float *ms, musaEvent_t start, musaEvent_t end);
musaError_t musaEventDestroy(musaEvent_t event);

/* Execution */
/* func is the host-side handle of a kernel (its stub's address). A block with
 * more threads or larger dimensions than the device allows, or a zero
 * dimension -> musaErrorInvalidConfiguration; an unregistered func ->
 * musaErrorInvalidDeviceFunction. */
musaError_t musaLaunchKernel(const void *func, dim3 gridDim, dim3 blockDim,
                             void **args, size_t sharedMem, musaStream_t stream);

/* area devices: begin */
/* Device flags (musaSetDeviceFlags), CUDA's values. */
#define musaDeviceScheduleAuto         0x00
#define musaDeviceScheduleSpin         0x01
#define musaDeviceScheduleYield        0x02
#define musaDeviceScheduleBlockingSync 0x04
#define musaDeviceBlockingSync         0x04  /* deprecated name */
#define musaDeviceScheduleMask         0x07
#define musaDeviceMapHost              0x08
#define musaDeviceLmemResizeToMax      0x10
#define musaDeviceSyncMemops           0x80
#define musaDeviceMask                 0xff

/* musaInitDevice flags */
#define musaInitDeviceFlagsAreValid    0x01

enum musaFuncCache {
	musaFuncCachePreferNone = 0,
	musaFuncCachePreferShared = 1,
	musaFuncCachePreferL1 = 2,
	musaFuncCachePreferEqual = 3
};

enum musaSharedMemConfig {
	musaSharedMemBankSizeDefault = 0,
	musaSharedMemBankSizeFourByte = 1,
	musaSharedMemBankSizeEightByte = 2
};

enum musaDeviceP2PAttr {
	musaDevP2PAttrPerformanceRank = 1,
	musaDevP2PAttrAccessSupported = 2,
	musaDevP2PAttrNativeAtomicSupported = 3,
	musaDevP2PAttrMusaArrayAccessSupported = 4
};

enum musaFlushGPUDirectRDMAWritesTarget {
	musaFlushGPUDirectRDMAWritesTargetCurrentDevice = 0
};

enum musaFlushGPUDirectRDMAWritesScope {
	musaFlushGPUDirectRDMAWritesToOwner = 100,
	musaFlushGPUDirectRDMAWritesToAllDevices = 200
};

/* Scheduling flags of the current device's primary context (applied to it
 * at once). A scheduling value other than Auto/Spin/Yield/BlockingSync or
 * unknown bits -> musaErrorInvalidValue. */
musaError_t musaSetDeviceFlags(unsigned int flags);
/* Flags of the current device; musaDeviceMapHost is always reported, as it
 * is always in effect. NULL -> musaErrorInvalidValue. */
musaError_t musaGetDeviceFlags(unsigned int *flags);
/* The device that best matches *prop (compute capability first, then
 * multiprocessors and memory). NULL argument -> musaErrorInvalidValue. */
musaError_t musaChooseDevice(int *device, const struct musaDeviceProp *prop);
/* Legacy names of musaDeviceSetLimit / musaDeviceGetLimit. */
musaError_t musaThreadSetLimit(enum musaLimit limit, size_t value);
musaError_t musaThreadGetLimit(size_t *pValue, enum musaLimit limit);
/* "dddd:bb:dd.f" of a device into pciBusId (len bytes with the NUL).
 * NULL or len <= 0 -> musaErrorInvalidValue; bad device -> InvalidDevice. */
musaError_t musaDeviceGetPCIBusId(char *pciBusId, int len, int device);
/* Device of "dddd:bb:dd.f", "bb:dd.f" or "dddd:bb:dd". NULL ->
 * musaErrorInvalidValue; unknown bus id -> musaErrorInvalidDevice. */
musaError_t musaDeviceGetByPCIBusId(int *device, const char *pciBusId);
/* Preferences of the current device, remembered and reported back (the
 * software device has one cache). Unknown enum -> musaErrorInvalidValue. */
musaError_t musaDeviceSetCacheConfig(enum musaFuncCache cacheConfig);
musaError_t musaDeviceGetCacheConfig(enum musaFuncCache *pCacheConfig);
musaError_t musaDeviceSetSharedMemConfig(enum musaSharedMemConfig config);
musaError_t musaDeviceGetSharedMemConfig(enum musaSharedMemConfig *pConfig);
/* Legacy names of musaDeviceSetCacheConfig / musaDeviceGetCacheConfig. */
musaError_t musaThreadSetCacheConfig(enum musaFuncCache cacheConfig);
musaError_t musaThreadGetCacheConfig(enum musaFuncCache *pCacheConfig);
/* Legacy name of musaDeviceReset. */
musaError_t musaThreadExit(void);
/* Accepted; there is no profiler to start or stop. */
musaError_t musaProfilerStart(void);
musaError_t musaProfilerStop(void);
/* Peer attributes of two different devices (all devices share the host's
 * memory: access and native atomics are supported, rank 0). Same device
 * or a bad ordinal -> musaErrorInvalidDevice; unknown attribute or NULL ->
 * musaErrorInvalidValue. */
musaError_t musaDeviceGetP2PAttribute(int *value, enum musaDeviceP2PAttr attr,
                                      int srcDevice, int dstDevice);
/* The list of devices to try, in order (remembered; a thread starts on
 * device 0 until musaSetDevice). A bad ordinal -> musaErrorInvalidDevice,
 * NULL with len > 0 or len < 0 -> musaErrorInvalidValue. */
musaError_t musaSetValidDevices(int *device_arr, int len);
/* Initializes the device's primary context with deviceFlags (as
 * musaSetDeviceFlags) without making it current. flags other than 0 and
 * musaInitDeviceFlagsAreValid -> musaErrorInvalidValue. */
musaError_t musaInitDevice(int device, unsigned int deviceFlags, unsigned int flags);
/* Device writes are always visible to the host: accepted for the target
 * CurrentDevice and the scopes ToOwner / ToAllDevices, else
 * musaErrorInvalidValue. */
musaError_t musaDeviceFlushGPUDirectRDMAWrites(enum musaFlushGPUDirectRDMAWritesTarget target,
                                               enum musaFlushGPUDirectRDMAWritesScope scope);
/* area devices: end */

/* area memory: begin */
/* -- pinned host memory -- */
#define musaHostAllocDefault       0x00
#define musaHostAllocPortable      0x01
#define musaHostAllocMapped        0x02
#define musaHostAllocWriteCombined 0x04
#define musaHostRegisterDefault    0x00
#define musaHostRegisterPortable   0x01
#define musaHostRegisterMapped     0x02
#define musaHostRegisterIoMemory   0x04
#define musaHostRegisterReadOnly   0x08
/* -- managed memory -- */
#define musaMemAttachGlobal 0x01
#define musaMemAttachHost   0x02
#define musaMemAttachSingle 0x04
#define musaCpuDeviceId     ((int)-1)
#define musaInvalidDeviceId ((int)-2)
/* -- IPC -- */
#define musaIpcMemLazyEnablePeerAccess 0x01
#define MUSA_IPC_HANDLE_SIZE 64

enum musaMemoryAdvise {
	musaMemAdviseSetReadMostly = 1,
	musaMemAdviseUnsetReadMostly = 2,
	musaMemAdviseSetPreferredLocation = 3,
	musaMemAdviseUnsetPreferredLocation = 4,
	musaMemAdviseSetAccessedBy = 5,
	musaMemAdviseUnsetAccessedBy = 6
};

enum musaMemoryType {
	musaMemoryTypeUnregistered = 0,
	musaMemoryTypeHost = 1,
	musaMemoryTypeDevice = 2,
	musaMemoryTypeManaged = 3
};

struct musaPointerAttributes {
	enum musaMemoryType type;
	int device;
	void *devicePointer;
	void *hostPointer;
};

/* Page-locked host memory (a userptr BO at the host address: the device
 * pointer is the host pointer, usable by kernels and async copies of every
 * device). musaMallocHost / musaHostAlloc with size 0 -> musaSuccess and
 * NULL; unknown flags -> musaErrorInvalidValue. */
musaError_t musaMallocHost(void **ptr, size_t size);
musaError_t musaHostAlloc(void **pHost, size_t size, unsigned int flags);
/* NULL is a no-op; a pointer not from musaMallocHost/musaHostAlloc -> musaErrorInvalidValue. */
musaError_t musaFreeHost(void *ptr);
/* Unknown flags, NULL or size 0 -> musaErrorInvalidValue; overlapping a
 * registered range -> musaErrorHostMemoryAlreadyRegistered. */
musaError_t musaHostRegister(void *ptr, size_t size, unsigned int flags);
/* Not the start of a registered range -> musaErrorHostMemoryNotRegistered. */
musaError_t musaHostUnregister(void *ptr);
/* flags must be 0; pHost must be page-locked memory (musaErrorInvalidValue). */
musaError_t musaHostGetDevicePointer(void **pDevice, void *pHost, unsigned int flags);
musaError_t musaHostGetFlags(unsigned int *pFlags, void *pHost);

/* Managed memory: flags musaMemAttachGlobal or musaMemAttachHost, else
 * musaErrorInvalidValue; size 0 -> musaErrorInvalidValue. */
#if defined(__cplusplus)
musaError_t musaMallocManaged(void **devPtr, size_t size, unsigned int flags = musaMemAttachGlobal);
#else
musaError_t musaMallocManaged(void **devPtr, size_t size, unsigned int flags);
#endif
/* The range must lie in one managed allocation (musaErrorInvalidValue);
 * dstDevice a device or musaCpuDeviceId (musaErrorInvalidDevice). */
musaError_t musaMemPrefetchAsync(const void *devPtr, size_t count, int dstDevice, musaStream_t stream);
musaError_t musaMemAdvise(const void *devPtr, size_t count, enum musaMemoryAdvise advice, int device);

/* Unknown (host) memory: musaSuccess with type musaMemoryTypeUnregistered,
 * device -2 and NULL pointers, as CUDA 11+. */
musaError_t musaPointerGetAttributes(struct musaPointerAttributes *attributes, const void *ptr);

/* -- pitched memory, 2-D and 3-D -- */
/* musaArray_t and the other array, texture and surface types. */
#include "musa_texture_types.h"

struct musaPitchedPtr {
	void *ptr;
	size_t pitch;
	size_t xsize;
	size_t ysize;
};

struct musaExtent {
	size_t width;   /* bytes for linear memory */
	size_t height;
	size_t depth;
};

struct musaPos {
	size_t x;
	size_t y;
	size_t z;
};

struct musaMemcpy3DParms {
	musaArray_t srcArray;
	struct musaPos srcPos;
	struct musaPitchedPtr srcPtr;
	musaArray_t dstArray;
	struct musaPos dstPos;
	struct musaPitchedPtr dstPtr;
	struct musaExtent extent;
	enum musaMemcpyKind kind;
};

static inline struct musaPitchedPtr make_musaPitchedPtr(void *d, size_t p, size_t xsz, size_t ysz)
{
	struct musaPitchedPtr s;

	s.ptr = d;
	s.pitch = p;
	s.xsize = xsz;
	s.ysize = ysz;
	return s;
}

static inline struct musaPos make_musaPos(size_t x, size_t y, size_t z)
{
	struct musaPos p;

	p.x = x;
	p.y = y;
	p.z = z;
	return p;
}

static inline struct musaExtent make_musaExtent(size_t w, size_t h, size_t d)
{
	struct musaExtent e;

	e.width = w;
	e.height = h;
	e.depth = d;
	return e;
}

/* The pitch is width rounded up to the device's texture pitch alignment
 * (musaDeviceProp.texturePitchAlignment, 512 bytes). width or height 0 ->
 * musaSuccess with NULL (as musaMalloc with 0). */
musaError_t musaMallocPitch(void **devPtr, size_t *pitch, size_t width, size_t height);
/* A pitch smaller than width -> musaErrorInvalidPitchValue; pointers that
 * do not match kind or rows outside the memory -> musaErrorInvalidValue;
 * a bad kind -> musaErrorInvalidMemcpyDirection. */
musaError_t musaMemcpy2D(void *dst, size_t dpitch, const void *src, size_t spitch,
                         size_t width, size_t height, enum musaMemcpyKind kind);
musaError_t musaMemcpy2DAsync(void *dst, size_t dpitch, const void *src, size_t spitch,
                              size_t width, size_t height, enum musaMemcpyKind kind,
                              musaStream_t stream __MUSA_DV(0));
/* pitch < width -> musaErrorInvalidPitchValue (height > 1). */
musaError_t musaMemset2D(void *devPtr, size_t pitch, int value, size_t width, size_t height);
musaError_t musaMemset2DAsync(void *devPtr, size_t pitch, int value, size_t width,
                              size_t height, musaStream_t stream __MUSA_DV(0));
musaError_t musaMalloc3D(struct musaPitchedPtr *pitchedDevPtr, struct musaExtent extent);
musaError_t musaMemset3D(struct musaPitchedPtr pitchedDevPtr, int value, struct musaExtent extent);
musaError_t musaMemset3DAsync(struct musaPitchedPtr pitchedDevPtr, int value,
                              struct musaExtent extent, musaStream_t stream __MUSA_DV(0));
/* With an array side, positions and extent count the array's elements
 * (bytes of a pointer side); a side with both an array and a pointer ->
 * musaErrorInvalidValue. */
musaError_t musaMemcpy3D(const struct musaMemcpy3DParms *p);
musaError_t musaMemcpy3DAsync(const struct musaMemcpy3DParms *p, musaStream_t stream __MUSA_DV(0));

/* -- peer access -- */
/* Invalid device -> musaErrorInvalidDevice; *canAccessPeer 0 for device == peerDevice. */
musaError_t musaDeviceCanAccessPeer(int *canAccessPeer, int device, int peerDevice);
/* flags must be 0 (musaErrorInvalidValue); peerDevice == current ->
 * musaErrorInvalidDevice; twice -> musaErrorPeerAccessAlreadyEnabled. */
musaError_t musaDeviceEnablePeerAccess(int peerDevice, unsigned int flags);
/* Not enabled -> musaErrorPeerAccessNotEnabled. */
musaError_t musaDeviceDisablePeerAccess(int peerDevice);
musaError_t musaMemcpyPeer(void *dst, int dstDevice, const void *src, int srcDevice, size_t count);
musaError_t musaMemcpyPeerAsync(void *dst, int dstDevice, const void *src, int srcDevice,
                                size_t count, musaStream_t stream __MUSA_DV(0));

/* -- stream-ordered allocation -- */
typedef struct MUmemPoolHandle_st *musaMemPool_t;

enum musaMemPoolAttr {
	musaMemPoolReuseFollowEventDependencies = 1,
	musaMemPoolReuseAllowOpportunistic = 2,
	musaMemPoolReuseAllowInternalDependencies = 3,
	musaMemPoolAttrReleaseThreshold = 4,
	musaMemPoolAttrReservedMemCurrent = 5,
	musaMemPoolAttrReservedMemHigh = 6,
	musaMemPoolAttrUsedMemCurrent = 7,
	musaMemPoolAttrUsedMemHigh = 8
};

enum musaMemLocationType {
	musaMemLocationTypeInvalid = 0,
	musaMemLocationTypeDevice = 1
};

struct musaMemLocation {
	enum musaMemLocationType type;
	int id;
};

enum musaMemAllocationType {
	musaMemAllocationTypeInvalid = 0,
	musaMemAllocationTypePinned = 1
};

enum musaMemAllocationHandleType {
	musaMemHandleTypeNone = 0,
	musaMemHandleTypePosixFileDescriptor = 1
};

struct musaMemPoolProps {
	enum musaMemAllocationType allocType;
	enum musaMemAllocationHandleType handleTypes;
	struct musaMemLocation location;
	void *win32SecurityAttributes;
	size_t maxSize;
	unsigned short usage;
	unsigned char reserved[54];
};

/* size 0 or NULL devPtr -> musaErrorInvalidValue. The memory may be used by
 * work queued on stream after the call; musaFreeAsync returns it once the
 * stream has reached the free. */
musaError_t musaMallocAsync(void **devPtr, size_t size, musaStream_t hStream);
musaError_t musaMallocFromPoolAsync(void **ptr, size_t size, musaMemPool_t memPool,
                                    musaStream_t stream);
/* Not memory of a pool (or freed twice) -> musaErrorInvalidValue. */
musaError_t musaFreeAsync(void *devPtr, musaStream_t hStream);
musaError_t musaDeviceGetDefaultMemPool(musaMemPool_t *memPool, int device);
musaError_t musaDeviceGetMemPool(musaMemPool_t *memPool, int device);
/* memPool must belong to device (musaErrorInvalidValue). */
musaError_t musaDeviceSetMemPool(int device, musaMemPool_t memPool);
/* allocType Pinned and a device location are required (musaErrorInvalidValue). */
musaError_t musaMemPoolCreate(musaMemPool_t *memPool, const struct musaMemPoolProps *poolProps);
/* A default pool or a destroyed one -> musaErrorInvalidValue. */
musaError_t musaMemPoolDestroy(musaMemPool_t memPool);
/* Reuse* take int, the others uint64_t; *Current are read-only and *High
 * can only be reset to 0 (musaErrorInvalidValue). */
musaError_t musaMemPoolSetAttribute(musaMemPool_t memPool, enum musaMemPoolAttr attr, void *value);
musaError_t musaMemPoolGetAttribute(musaMemPool_t memPool, enum musaMemPoolAttr attr, void *value);
musaError_t musaMemPoolTrimTo(musaMemPool_t memPool, size_t minBytesToKeep);

/* -- IPC -- */
typedef struct musaIpcMemHandle_st {
	char reserved[MUSA_IPC_HANDLE_SIZE];
} musaIpcMemHandle_t;

/* devPtr must be the start of a device allocation (musaErrorInvalidValue). */
musaError_t musaIpcGetMemHandle(musaIpcMemHandle_t *handle, void *devPtr);
/* Another process's allocation; a handle of this process ->
 * musaErrorDeviceUninitialized (CUDA's invalid-context error); unknown
 * flags or a malformed handle -> musaErrorInvalidValue. */
musaError_t musaIpcOpenMemHandle(void **devPtr, musaIpcMemHandle_t handle, unsigned int flags);
musaError_t musaIpcCloseMemHandle(void *devPtr);
/* area memory: end */

/* area streams-events: begin */
/* Streams and events. Streams and events made with the driver API are
 * accepted; NULL (where a handle is required), destroyed or made-up
 * handles -> musaErrorInvalidResourceHandle. */
/* The calling thread's per-thread default stream on the current device: a
 * blocking stream made on first use, synchronizing with the legacy stream
 * like any blocking stream. */
#define musaStreamPerThread ((musaStream_t)0x2)
#define musaEventRecordDefault  0x00
#define musaEventRecordExternal 0x01
#define musaEventWaitDefault    0x00
#define musaEventWaitExternal   0x01
#ifndef musaMemAttachGlobal
#define musaMemAttachGlobal 0x01
#define musaMemAttachHost   0x02
#define musaMemAttachSingle 0x04
#endif
#ifndef MUSA_IPC_HANDLE_SIZE
#define MUSA_IPC_HANDLE_SIZE 64
#endif

typedef void (MUSART_CB *musaHostFn_t)(void *userData);
typedef void (MUSART_CB *musaStreamCallback_t)(musaStream_t stream, musaError_t status,
                                               void *userData);
typedef struct musaIpcEventHandle_st {
	char reserved[MUSA_IPC_HANDLE_SIZE];
} musaIpcEventHandle_t;

/* flags as musaStreamCreateWithFlags; priority clamped to
 * [greatest, least] of musaDeviceGetStreamPriorityRange. */
musaError_t musaStreamCreateWithPriority(musaStream_t *pStream, unsigned int flags, int priority);
/* Least 0, greatest -2; a NULL pointer is skipped. */
musaError_t musaDeviceGetStreamPriorityRange(int *leastPriority, int *greatestPriority);
/* NULL out pointer -> musaErrorInvalidValue. */
musaError_t musaStreamGetPriority(musaStream_t hStream, int *priority);
musaError_t musaStreamGetFlags(musaStream_t hStream, unsigned int *flags);
musaError_t musaStreamGetId(musaStream_t hStream, unsigned long long *streamId);
musaError_t musaStreamGetDevice(musaStream_t hStream, int *device);
/* Runs callback(stream, status, userData) on a runtime thread once the
 * work before it on the stream is done; later work waits for it. It must
 * not call the API. flags != 0 or callback NULL -> musaErrorInvalidValue. */
musaError_t musaStreamAddCallback(musaStream_t stream, musaStreamCallback_t callback,
                                  void *userData, unsigned int flags);
/* As musaStreamAddCallback, without status. fn NULL -> musaErrorInvalidValue. */
musaError_t musaLaunchHostFunc(musaStream_t stream, musaHostFn_t fn, void *userData);
/* flags one of musaMemAttachGlobal / Host / Single and devPtr non-NULL,
 * else musaErrorInvalidValue; memory is visible to all streams here. */
#if defined(__cplusplus)
musaError_t musaStreamAttachMemAsync(musaStream_t stream, void *devPtr, size_t length = 0,
                                     unsigned int flags = musaMemAttachSingle);
musaError_t musaEventRecordWithFlags(musaEvent_t event, musaStream_t stream = 0,
                                     unsigned int flags = 0);
#else
musaError_t musaStreamAttachMemAsync(musaStream_t stream, void *devPtr, size_t length,
                                     unsigned int flags);
/* flags 0 or musaEventRecordExternal, else musaErrorInvalidValue. */
musaError_t musaEventRecordWithFlags(musaEvent_t event, musaStream_t stream, unsigned int flags);
#endif
/* The event needs musaEventInterprocess (with DisableTiming), else
 * musaErrorInvalidResourceHandle; handle NULL -> musaErrorInvalidValue. */
musaError_t musaIpcGetEventHandle(musaIpcEventHandle_t *handle, musaEvent_t event);
/* Opens another (or this) process's event in the current device: it can be
 * recorded, queried, synchronized and waited on, and sees the records of
 * both processes. A malformed handle -> musaErrorInvalidValue; the creator
 * gone -> musaErrorInvalidResourceHandle. */
musaError_t musaIpcOpenEventHandle(musaEvent_t *event, musaIpcEventHandle_t handle);

/* Per-thread default stream mode (mcc --default-stream per-thread, or
 * MUSA_API_PER_THREAD_DEFAULT_STREAM defined before the headers): stream 0
 * means musaStreamPerThread, and synchronous copies and memsets are
 * ordered on it. As in CUDA, calls are mapped to _ptsz / _ptds entries. */
musaError_t musaMemcpy_ptds(void *dst, const void *src, size_t count, enum musaMemcpyKind kind);
musaError_t musaMemcpyAsync_ptsz(void *dst, const void *src, size_t count,
                                 enum musaMemcpyKind kind, musaStream_t stream);
musaError_t musaMemset_ptds(void *devPtr, int value, size_t count);
musaError_t musaMemsetAsync_ptsz(void *devPtr, int value, size_t count, musaStream_t stream);
#if defined(__cplusplus)
musaError_t musaMemcpyToSymbol_ptds(const void *symbol, const void *src, size_t count,
                                    size_t offset = 0,
                                    enum musaMemcpyKind kind = musaMemcpyHostToDevice);
musaError_t musaMemcpyFromSymbol_ptds(void *dst, const void *symbol, size_t count,
                                      size_t offset = 0,
                                      enum musaMemcpyKind kind = musaMemcpyDeviceToHost);
musaError_t musaMemcpyToSymbolAsync_ptsz(const void *symbol, const void *src, size_t count,
                                         size_t offset = 0,
                                         enum musaMemcpyKind kind = musaMemcpyHostToDevice,
                                         musaStream_t stream = 0);
musaError_t musaMemcpyFromSymbolAsync_ptsz(void *dst, const void *symbol, size_t count,
                                           size_t offset = 0,
                                           enum musaMemcpyKind kind = musaMemcpyDeviceToHost,
                                           musaStream_t stream = 0);
musaError_t musaStreamAttachMemAsync_ptsz(musaStream_t stream, void *devPtr, size_t length = 0,
                                          unsigned int flags = musaMemAttachSingle);
musaError_t musaEventRecordWithFlags_ptsz(musaEvent_t event, musaStream_t stream = 0,
                                          unsigned int flags = 0);
#else
musaError_t musaMemcpyToSymbol_ptds(const void *symbol, const void *src, size_t count,
                                    size_t offset, enum musaMemcpyKind kind);
musaError_t musaMemcpyFromSymbol_ptds(void *dst, const void *symbol, size_t count,
                                      size_t offset, enum musaMemcpyKind kind);
musaError_t musaMemcpyToSymbolAsync_ptsz(const void *symbol, const void *src, size_t count,
                                         size_t offset, enum musaMemcpyKind kind,
                                         musaStream_t stream);
musaError_t musaMemcpyFromSymbolAsync_ptsz(void *dst, const void *symbol, size_t count,
                                           size_t offset, enum musaMemcpyKind kind,
                                           musaStream_t stream);
musaError_t musaStreamAttachMemAsync_ptsz(musaStream_t stream, void *devPtr, size_t length,
                                          unsigned int flags);
musaError_t musaEventRecordWithFlags_ptsz(musaEvent_t event, musaStream_t stream,
                                          unsigned int flags);
#endif
musaError_t musaLaunchKernel_ptsz(const void *func, dim3 gridDim, dim3 blockDim,
                                  void **args, size_t sharedMem, musaStream_t stream);
musaError_t musaStreamSynchronize_ptsz(musaStream_t stream);
musaError_t musaStreamQuery_ptsz(musaStream_t stream);
musaError_t musaStreamWaitEvent_ptsz(musaStream_t stream, musaEvent_t event, unsigned int flags);
musaError_t musaStreamGetPriority_ptsz(musaStream_t hStream, int *priority);
musaError_t musaStreamGetFlags_ptsz(musaStream_t hStream, unsigned int *flags);
musaError_t musaStreamGetId_ptsz(musaStream_t hStream, unsigned long long *streamId);
musaError_t musaStreamGetDevice_ptsz(musaStream_t hStream, int *device);
musaError_t musaStreamAddCallback_ptsz(musaStream_t stream, musaStreamCallback_t callback,
                                       void *userData, unsigned int flags);
musaError_t musaLaunchHostFunc_ptsz(musaStream_t stream, musaHostFn_t fn, void *userData);
musaError_t musaEventRecord_ptsz(musaEvent_t event, musaStream_t stream);

#if defined(MUSA_API_PER_THREAD_DEFAULT_STREAM)
#define musaMemcpy                musaMemcpy_ptds
#define musaMemcpyAsync           musaMemcpyAsync_ptsz
#define musaMemset                musaMemset_ptds
#define musaMemsetAsync           musaMemsetAsync_ptsz
#define musaMemcpyToSymbol        musaMemcpyToSymbol_ptds
#define musaMemcpyFromSymbol      musaMemcpyFromSymbol_ptds
#define musaMemcpyToSymbolAsync   musaMemcpyToSymbolAsync_ptsz
#define musaMemcpyFromSymbolAsync musaMemcpyFromSymbolAsync_ptsz
#define musaLaunchKernel          musaLaunchKernel_ptsz
#define musaStreamSynchronize     musaStreamSynchronize_ptsz
#define musaStreamQuery           musaStreamQuery_ptsz
#define musaStreamWaitEvent       musaStreamWaitEvent_ptsz
#define musaStreamGetPriority     musaStreamGetPriority_ptsz
#define musaStreamGetFlags        musaStreamGetFlags_ptsz
#define musaStreamGetId           musaStreamGetId_ptsz
#define musaStreamGetDevice       musaStreamGetDevice_ptsz
#define musaStreamAddCallback     musaStreamAddCallback_ptsz
#define musaStreamAttachMemAsync  musaStreamAttachMemAsync_ptsz
#define musaLaunchHostFunc        musaLaunchHostFunc_ptsz
#define musaEventRecord           musaEventRecord_ptsz
#define musaEventRecordWithFlags  musaEventRecordWithFlags_ptsz
#endif
/* area streams-events: end */

/* area graphs: begin */
/* Graphs and stream capture (see muGraph* in musa.h). A musaGraph_t,
 * musaGraphNode_t and musaGraphExec_t are the driver's handles. NULL,
 * destroyed or foreign graph / node / exec handles -> musaErrorInvalidValue. */
typedef struct MUgraph_st *musaGraph_t;
typedef struct MUgraphNode_st *musaGraphNode_t;
typedef struct MUgraphExec_st *musaGraphExec_t;
/* musaHostFn_t: see the streams area above. */

enum musaGraphNodeType {
	musaGraphNodeTypeKernel = 0x00,
	musaGraphNodeTypeMemcpy = 0x01,
	musaGraphNodeTypeMemset = 0x02,
	musaGraphNodeTypeHost = 0x03,
	musaGraphNodeTypeGraph = 0x04,
	musaGraphNodeTypeEmpty = 0x05,
	musaGraphNodeTypeWaitEvent = 0x06,
	musaGraphNodeTypeEventRecord = 0x07,
	musaGraphNodeTypeCount
};

enum musaStreamCaptureStatus {
	musaStreamCaptureStatusNone = 0,
	musaStreamCaptureStatusActive = 1,
	musaStreamCaptureStatusInvalidated = 2
};

enum musaStreamCaptureMode {
	musaStreamCaptureModeGlobal = 0,
	musaStreamCaptureModeThreadLocal = 1,
	musaStreamCaptureModeRelaxed = 2
};

/* func is a kernel's host stub, as for musaLaunchKernel. */
struct musaKernelNodeParams {
	void *func;
	dim3 gridDim;
	dim3 blockDim;
	unsigned int sharedMemBytes;
	void **kernelParams;
	void **extra;
};

struct musaMemsetParams {
	void *dst;
	size_t pitch;
	unsigned int value;
	unsigned int elementSize;   /* 1, 2 or 4 */
	size_t width;               /* elements per row */
	size_t height;
};

struct musaHostNodeParams {
	musaHostFn_t fn;
	void *userData;
};

/* flags must be 0. */
musaError_t musaGraphCreate(musaGraph_t *pGraph, unsigned int flags);
musaError_t musaGraphDestroy(musaGraph_t graph);
/* Node-adding calls: pDependencies must hold numDependencies distinct nodes
 * of graph. An unregistered kernel -> musaErrorInvalidDeviceFunction; a bad
 * launch configuration -> musaErrorInvalidValue. */
musaError_t musaGraphAddKernelNode(musaGraphNode_t *pGraphNode, musaGraph_t graph,
                                   const musaGraphNode_t *pDependencies, size_t numDependencies,
                                   const struct musaKernelNodeParams *pNodeParams);
musaError_t musaGraphKernelNodeGetParams(musaGraphNode_t node, struct musaKernelNodeParams *pNodeParams);
musaError_t musaGraphKernelNodeSetParams(musaGraphNode_t node,
                                         const struct musaKernelNodeParams *pNodeParams);
/* Arrays are not supported; a kind outside musaMemcpyKind ->
 * musaErrorInvalidMemcpyDirection. */
musaError_t musaGraphAddMemcpyNode(musaGraphNode_t *pGraphNode, musaGraph_t graph,
                                   const musaGraphNode_t *pDependencies, size_t numDependencies,
                                   const struct musaMemcpy3DParms *pCopyParams);
musaError_t musaGraphAddMemcpyNode1D(musaGraphNode_t *pGraphNode, musaGraph_t graph,
                                     const musaGraphNode_t *pDependencies, size_t numDependencies,
                                     void *dst, const void *src, size_t count,
                                     enum musaMemcpyKind kind);
/* The range must lie in one allocation; elementSize 1, 2 or 4. */
musaError_t musaGraphAddMemsetNode(musaGraphNode_t *pGraphNode, musaGraph_t graph,
                                   const musaGraphNode_t *pDependencies, size_t numDependencies,
                                   const struct musaMemsetParams *pMemsetParams);
musaError_t musaGraphMemsetNodeGetParams(musaGraphNode_t node, struct musaMemsetParams *pNodeParams);
musaError_t musaGraphMemsetNodeSetParams(musaGraphNode_t node,
                                         const struct musaMemsetParams *pNodeParams);
/* fn must not be NULL; it runs in stream order on a runtime thread. */
musaError_t musaGraphAddHostNode(musaGraphNode_t *pGraphNode, musaGraph_t graph,
                                 const musaGraphNode_t *pDependencies, size_t numDependencies,
                                 const struct musaHostNodeParams *pNodeParams);
musaError_t musaGraphHostNodeGetParams(musaGraphNode_t node, struct musaHostNodeParams *pNodeParams);
musaError_t musaGraphHostNodeSetParams(musaGraphNode_t node,
                                       const struct musaHostNodeParams *pNodeParams);
musaError_t musaGraphAddEmptyNode(musaGraphNode_t *pGraphNode, musaGraph_t graph,
                                  const musaGraphNode_t *pDependencies, size_t numDependencies);
/* Embeds a clone of childGraph. */
musaError_t musaGraphAddChildGraphNode(musaGraphNode_t *pGraphNode, musaGraph_t graph,
                                       const musaGraphNode_t *pDependencies, size_t numDependencies,
                                       musaGraph_t childGraph);
musaError_t musaGraphChildGraphNodeGetGraph(musaGraphNode_t node, musaGraph_t *pGraph);
/* A destroyed or unknown event -> musaErrorInvalidResourceHandle. */
musaError_t musaGraphAddEventRecordNode(musaGraphNode_t *pGraphNode, musaGraph_t graph,
                                        const musaGraphNode_t *pDependencies, size_t numDependencies,
                                        musaEvent_t event);
musaError_t musaGraphAddEventWaitNode(musaGraphNode_t *pGraphNode, musaGraph_t graph,
                                      const musaGraphNode_t *pDependencies, size_t numDependencies,
                                      musaEvent_t event);
musaError_t musaGraphEventRecordNodeGetEvent(musaGraphNode_t node, musaEvent_t *event_out);
musaError_t musaGraphEventWaitNodeGetEvent(musaGraphNode_t node, musaEvent_t *event_out);
/* An existing (Add) or missing (Remove) edge, a self edge or nodes of
 * another graph -> musaErrorInvalidValue. */
musaError_t musaGraphAddDependencies(musaGraph_t graph, const musaGraphNode_t *from,
                                     const musaGraphNode_t *to, size_t numDependencies);
musaError_t musaGraphRemoveDependencies(musaGraph_t graph, const musaGraphNode_t *from,
                                        const musaGraphNode_t *to, size_t numDependencies);
/* With a NULL array *num gets the count; otherwise up to *num entries are
 * written (the rest NULLed) and *num is the number written. */
musaError_t musaGraphGetNodes(musaGraph_t graph, musaGraphNode_t *nodes, size_t *numNodes);
musaError_t musaGraphGetRootNodes(musaGraph_t graph, musaGraphNode_t *pRootNodes,
                                  size_t *pNumRootNodes);
musaError_t musaGraphGetEdges(musaGraph_t graph, musaGraphNode_t *from, musaGraphNode_t *to,
                              size_t *numEdges);
musaError_t musaGraphNodeGetType(musaGraphNode_t node, enum musaGraphNodeType *pType);
musaError_t musaGraphNodeGetDependencies(musaGraphNode_t node, musaGraphNode_t *pDependencies,
                                         size_t *pNumDependencies);
musaError_t musaGraphNodeGetDependentNodes(musaGraphNode_t node, musaGraphNode_t *pDependentNodes,
                                           size_t *pNumDependentNodes);
musaError_t musaGraphDestroyNode(musaGraphNode_t node);
musaError_t musaGraphClone(musaGraph_t *pGraphClone, musaGraph_t originalGraph);
musaError_t musaGraphNodeFindInClone(musaGraphNode_t *pNode, musaGraphNode_t originalNode,
                                     musaGraph_t clonedGraph);
/* Instantiate flags (CUDA's values); all but DeviceLaunch are accepted and
 * change nothing. */
#define musaGraphInstantiateFlagAutoFreeOnLaunch 1
#define musaGraphInstantiateFlagUpload           2
#define musaGraphInstantiateFlagDeviceLaunch     4
#define musaGraphInstantiateFlagUseNodePriority  8
/* A cycle, DeviceLaunch or unknown flags -> musaErrorInvalidValue. */
musaError_t musaGraphInstantiate(musaGraphExec_t *pGraphExec, musaGraph_t graph,
                                 unsigned long long flags __MUSA_DV(0));
musaError_t musaGraphInstantiateWithFlags(musaGraphExec_t *pGraphExec, musaGraph_t graph,
                                          unsigned long long flags __MUSA_DV(0));
/* Launches of one exec are ordered; into a capturing stream the graph
 * becomes a child graph node of the capture. */
musaError_t musaGraphLaunch(musaGraphExec_t graphExec, musaStream_t stream);
musaError_t musaGraphUpload(musaGraphExec_t graphExec, musaStream_t stream);
musaError_t musaGraphExecDestroy(musaGraphExec_t graphExec);
musaError_t musaGraphExecKernelNodeSetParams(musaGraphExec_t hGraphExec, musaGraphNode_t node,
                                             const struct musaKernelNodeParams *pNodeParams);
/* The exec's copy of a memset / copy / host node (node of the graph the exec
 * was made from, of that type, else musaErrorInvalidValue). */
musaError_t musaGraphExecMemsetNodeSetParams(musaGraphExec_t hGraphExec, musaGraphNode_t node,
                                             const struct musaMemsetParams *pNodeParams);
musaError_t musaGraphExecMemcpyNodeSetParams(musaGraphExec_t hGraphExec, musaGraphNode_t node,
                                             const struct musaMemcpy3DParms *pNodeParams);
musaError_t musaGraphExecMemcpyNodeSetParams1D(musaGraphExec_t hGraphExec, musaGraphNode_t node,
                                               void *dst, const void *src, size_t count,
                                               enum musaMemcpyKind kind);
musaError_t musaGraphExecHostNodeSetParams(musaGraphExec_t hGraphExec, musaGraphNode_t node,
                                           const struct musaHostNodeParams *pNodeParams);
/* Copy node parameters; the kind reported is the one the pointers imply
 * (musaMemcpyDefault for unified sides). */
musaError_t musaGraphMemcpyNodeGetParams(musaGraphNode_t node, struct musaMemcpy3DParms *pNodeParams);
musaError_t musaGraphMemcpyNodeSetParams(musaGraphNode_t node,
                                         const struct musaMemcpy3DParms *pNodeParams);
musaError_t musaGraphMemcpyNodeSetParams1D(musaGraphNode_t node, void *dst, const void *src,
                                           size_t count, enum musaMemcpyKind kind);

/* Stream capture. The legacy stream (0) cannot capture ->
 * musaErrorStreamCaptureUnsupported; a stream already capturing ->
 * musaErrorIllegalState; a bad mode -> musaErrorInvalidValue. While a
 * stream captures: synchronizing or querying it ->
 * musaErrorStreamCaptureUnsupported (and the capture is invalidated); work
 * on the legacy stream while a blocking stream captures ->
 * musaErrorStreamCaptureImplicit (same); querying or synchronizing an event
 * last recorded in a capture -> musaErrorCapturedEvent. */
musaError_t musaStreamBeginCapture(musaStream_t stream, enum musaStreamCaptureMode mode);
/* Not capturing -> musaErrorIllegalState; begun on another stream ->
 * musaErrorStreamCaptureUnmatched; another thread (modes Global and
 * ThreadLocal) -> musaErrorStreamCaptureWrongThread; invalidated ->
 * musaErrorStreamCaptureInvalidated; a forked stream not joined back ->
 * musaErrorStreamCaptureUnjoined. *pGraph is NULL on failure. */
musaError_t musaStreamEndCapture(musaStream_t stream, musaGraph_t *pGraph);
musaError_t musaStreamIsCapturing(musaStream_t stream, enum musaStreamCaptureStatus *pCaptureStatus);
/* CUDA 12 form: captureStatus_out required, the rest optional. */
musaError_t musaStreamGetCaptureInfo(musaStream_t stream,
                                     enum musaStreamCaptureStatus *captureStatus_out,
                                     unsigned long long *id_out __MUSA_DV(0),
                                     musaGraph_t *graph_out __MUSA_DV(0),
                                     const musaGraphNode_t **dependencies_out __MUSA_DV(0),
                                     size_t *numDependencies_out __MUSA_DV(0));
musaError_t musaThreadExchangeStreamCaptureMode(enum musaStreamCaptureMode *mode);

/* Per-thread default stream entries (stream 0 is musaStreamPerThread). */
musaError_t musaGraphLaunch_ptsz(musaGraphExec_t graphExec, musaStream_t stream);
musaError_t musaGraphUpload_ptsz(musaGraphExec_t graphExec, musaStream_t stream);
musaError_t musaStreamBeginCapture_ptsz(musaStream_t stream, enum musaStreamCaptureMode mode);
musaError_t musaStreamEndCapture_ptsz(musaStream_t stream, musaGraph_t *pGraph);
musaError_t musaStreamIsCapturing_ptsz(musaStream_t stream,
                                       enum musaStreamCaptureStatus *pCaptureStatus);
musaError_t musaStreamGetCaptureInfo_ptsz(musaStream_t stream,
                                          enum musaStreamCaptureStatus *captureStatus_out,
                                          unsigned long long *id_out __MUSA_DV(0),
                                     musaGraph_t *graph_out __MUSA_DV(0),
                                          const musaGraphNode_t **dependencies_out __MUSA_DV(0),
                                          size_t *numDependencies_out __MUSA_DV(0));
#if defined(MUSA_API_PER_THREAD_DEFAULT_STREAM)
#define musaGraphLaunch          musaGraphLaunch_ptsz
#define musaGraphUpload          musaGraphUpload_ptsz
#define musaStreamBeginCapture   musaStreamBeginCapture_ptsz
#define musaStreamEndCapture     musaStreamEndCapture_ptsz
#define musaStreamIsCapturing    musaStreamIsCapturing_ptsz
#define musaStreamGetCaptureInfo musaStreamGetCaptureInfo_ptsz
#endif
/* area graphs: end */

/* area execution: begin */
/* Function attributes, CUDA's fields. */
struct musaFuncAttributes {
	size_t sharedSizeBytes;     /* static __shared__ bytes */
	size_t constSizeBytes;
	size_t localSizeBytes;
	int maxThreadsPerBlock;     /* the device's, or __launch_bounds__ */
	int numRegs;
	int ptxVersion;             /* major * 10 + minor of the code's arch */
	int binaryVersion;
	int cacheModeCA;
	int maxDynamicSharedSizeBytes;
	int preferredShmemCarveout;
	int clusterDimMustBeSet;
	int requiredClusterWidth;
	int requiredClusterHeight;
	int requiredClusterDepth;
	int clusterSchedulingPolicyPreference;
	int nonPortableClusterSizeAllowed;
	int reserved[16];
};

enum musaFuncAttribute {
	musaFuncAttributeMaxDynamicSharedMemorySize = 8,
	musaFuncAttributePreferredSharedMemoryCarveout = 9,
	musaFuncAttributeClusterDimMustBeSet = 10,
	musaFuncAttributeRequiredClusterWidth = 11,
	musaFuncAttributeRequiredClusterHeight = 12,
	musaFuncAttributeRequiredClusterDepth = 13,
	musaFuncAttributeNonPortableClusterSizeAllowed = 14,
	musaFuncAttributeClusterSchedulingPolicyPreference = 15,
	musaFuncAttributeMax
};

enum musaSharedCarveout {
	musaSharedmemCarveoutDefault = -1,
	musaSharedmemCarveoutMaxShared = 100,
	musaSharedmemCarveoutMaxL1 = 0
};

#define musaOccupancyDefault                0x00
#define musaOccupancyDisableCachingOverride 0x01

/* Attributes of a kernel on the current device. NULL attr ->
 * musaErrorInvalidValue; unregistered func -> musaErrorInvalidDeviceFunction. */
musaError_t musaFuncGetAttributes(struct musaFuncAttributes *attr, const void *func);
/* musaFuncAttributeMaxDynamicSharedMemorySize: 0 .. sharedMemPerBlockOptin
 * minus the kernel's static shared memory (else musaErrorInvalidValue); a
 * launch asking for more dynamic shared memory than this fails with
 * musaErrorInvalidValue. musaFuncAttributePreferredSharedMemoryCarveout:
 * -1 .. 100. Other attributes -> musaErrorInvalidValue. */
musaError_t musaFuncSetAttribute(const void *func, enum musaFuncAttribute attr, int value);
/* Remembered per kernel and device; unknown enum -> musaErrorInvalidValue. */
musaError_t musaFuncSetCacheConfig(const void *func, enum musaFuncCache cacheConfig);
musaError_t musaFuncSetSharedMemConfig(const void *func, enum musaSharedMemConfig config);
/* Resident blocks per multiprocessor (limits: threads, blocks and shared
 * memory per multiprocessor). blockSize <= 0 or above the kernel's limit,
 * NULL numBlocks or unknown flags -> musaErrorInvalidValue. */
musaError_t musaOccupancyMaxActiveBlocksPerMultiprocessor(int *numBlocks, const void *func,
                                                          int blockSize,
                                                          size_t dynamicSMemSize);
musaError_t musaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(int *numBlocks,
                                                                   const void *func,
                                                                   int blockSize,
                                                                   size_t dynamicSMemSize,
                                                                   unsigned int flags);
/* Dynamic shared memory per block that lets numBlocks blocks of blockSize
 * threads be resident on one multiprocessor. */
musaError_t musaOccupancyAvailableDynamicSMemPerBlock(size_t *dynamicSmemSize, const void *func,
                                                      int numBlocks, int blockSize);
/* As musaLaunchKernel, but all blocks must be resident at once, else
 * musaErrorCooperativeLaunchTooLarge. */
musaError_t musaLaunchCooperativeKernel(const void *func, dim3 gridDim, dim3 blockDim,
                                        void **args, size_t sharedMem, musaStream_t stream);
/* area execution: end */

/* area textures: begin */
/* Arrays, texture and surface objects, legacy texture references
 * (docs/design.md, "Textures and surfaces"). The types are those of
 * musa_texture_types.h. __MUSA_DV(x) is a C++ default argument. */
#if defined(__cplusplus)
#define __MUSA_DV(x) = x
#else
#define __MUSA_DV(x)
#endif

/* A descriptor of x, y, z, w bits of kind f (never checked here). */
struct musaChannelFormatDesc musaCreateChannelDesc(int x, int y, int z, int w,
                                                   enum musaChannelFormatKind f);
/* 1-D (height 0) or 2-D array. Channels of 8, 16 or 32 bits (16 or 32 for
 * float), 1, 2 or 4 of them, all the same size, else
 * musaErrorInvalidChannelDescriptor; NULL pointers, width 0, sizes past the
 * device's limits or flags that do not fit the shape -> musaErrorInvalidValue. */
musaError_t musaMallocArray(musaArray_t *array, const struct musaChannelFormatDesc *desc,
                            size_t width, size_t height __MUSA_DV(0), unsigned int flags __MUSA_DV(0));
/* extent in elements: (w, 0, 0) 1-D, (w, h, 0) 2-D, (w, h, d) 3-D; with
 * musaArrayLayered, depth counts layers of a 1-D (h 0) or 2-D array. */
musaError_t musaMalloc3DArray(musaArray_t *array, const struct musaChannelFormatDesc *desc,
                              struct musaExtent extent, unsigned int flags __MUSA_DV(0));
/* NULL -> musaSuccess; a destroyed or unknown array ->
 * musaErrorInvalidResourceHandle. Waits for the device's queued work. */
musaError_t musaFreeArray(musaArray_t array);
/* Each output may be NULL. */
musaError_t musaArrayGetInfo(struct musaChannelFormatDesc *desc, struct musaExtent *extent,
                             unsigned int *flags, musaArray_t array);
musaError_t musaGetChannelDesc(struct musaChannelFormatDesc *desc, musaArray_const_t array);

/* Copies to and from arrays: offsets and widths in bytes (wOffset a
 * multiple of the element size), rows in elements; a region outside the
 * array or a pitch below the width -> musaErrorInvalidValue /
 * musaErrorInvalidPitchValue. */
musaError_t musaMemcpy2DToArray(musaArray_t dst, size_t wOffset, size_t hOffset, const void *src,
                                size_t spitch, size_t width, size_t height,
                                enum musaMemcpyKind kind);
musaError_t musaMemcpy2DFromArray(void *dst, size_t dpitch, musaArray_const_t src, size_t wOffset,
                                  size_t hOffset, size_t width, size_t height,
                                  enum musaMemcpyKind kind);
musaError_t musaMemcpy2DArrayToArray(musaArray_t dst, size_t wOffsetDst, size_t hOffsetDst,
                                     musaArray_const_t src, size_t wOffsetSrc, size_t hOffsetSrc,
                                     size_t width, size_t height,
                                     enum musaMemcpyKind kind __MUSA_DV(musaMemcpyDeviceToDevice));
musaError_t musaMemcpy2DToArrayAsync(musaArray_t dst, size_t wOffset, size_t hOffset,
                                     const void *src, size_t spitch, size_t width, size_t height,
                                     enum musaMemcpyKind kind, musaStream_t stream __MUSA_DV(0));
musaError_t musaMemcpy2DFromArrayAsync(void *dst, size_t dpitch, musaArray_const_t src,
                                       size_t wOffset, size_t hOffset, size_t width,
                                       size_t height, enum musaMemcpyKind kind,
                                       musaStream_t stream __MUSA_DV(0));
/* Deprecated: count bytes from (wOffset, hOffset) on, row after row. */
musaError_t musaMemcpyToArray(musaArray_t dst, size_t wOffset, size_t hOffset, const void *src,
                              size_t count, enum musaMemcpyKind kind);
musaError_t musaMemcpyFromArray(void *dst, musaArray_const_t src, size_t wOffset, size_t hOffset,
                                size_t count, enum musaMemcpyKind kind);
musaError_t musaMemcpyArrayToArray(musaArray_t dst, size_t wOffsetDst, size_t hOffsetDst,
                                   musaArray_const_t src, size_t wOffsetSrc, size_t hOffsetSrc,
                                   size_t count,
                                   enum musaMemcpyKind kind __MUSA_DV(musaMemcpyDeviceToDevice));
musaError_t musaMemcpyToArrayAsync(musaArray_t dst, size_t wOffset, size_t hOffset,
                                   const void *src, size_t count, enum musaMemcpyKind kind,
                                   musaStream_t stream __MUSA_DV(0));
musaError_t musaMemcpyFromArrayAsync(void *dst, musaArray_const_t src, size_t wOffset,
                                     size_t hOffset, size_t count, enum musaMemcpyKind kind,
                                     musaStream_t stream __MUSA_DV(0));

/* Texture objects. NULL pTexObject or pResDesc, a bad resource (NULL or
 * unknown array, NULL pointer, zero sizes, bad channel descriptor, linear or
 * pitch-2D memory not aligned to textureAlignment, a pitch not a multiple of
 * texturePitchAlignment), bad modes, or linear filtering of integers read
 * as integers -> musaErrorInvalidValue (a bad channel descriptor of linear
 * or pitch-2D memory: musaErrorInvalidChannelDescriptor). pTexDesc NULL is
 * the all-zero description. */
musaError_t musaCreateTextureObject(musaTextureObject_t *pTexObject,
                                    const struct musaResourceDesc *pResDesc,
                                    const struct musaTextureDesc *pTexDesc,
                                    const struct musaResourceViewDesc *pResViewDesc);
/* 0 -> musaSuccess; destroyed or unknown -> musaErrorInvalidValue. */
musaError_t musaDestroyTextureObject(musaTextureObject_t texObject);
musaError_t musaGetTextureObjectResourceDesc(struct musaResourceDesc *pResDesc,
                                             musaTextureObject_t texObject);
musaError_t musaGetTextureObjectTextureDesc(struct musaTextureDesc *pTexDesc,
                                            musaTextureObject_t texObject);
musaError_t musaGetTextureObjectResourceViewDesc(struct musaResourceViewDesc *pResViewDesc,
                                                 musaTextureObject_t texObject);
/* Surface objects: an array resource made with musaArraySurfaceLoadStore,
 * else musaErrorInvalidValue. */
musaError_t musaCreateSurfaceObject(musaSurfaceObject_t *pSurfObject,
                                    const struct musaResourceDesc *pResDesc);
musaError_t musaDestroySurfaceObject(musaSurfaceObject_t surfObject);
musaError_t musaGetSurfaceObjectResourceDesc(struct musaResourceDesc *pResDesc,
                                             musaSurfaceObject_t surfObject);

/* Legacy texture references (removed from CUDA 12; built on texture
 * objects): texref is a `texture<>` variable, i.e. its host shadow, which
 * must be a registered __device__ variable. Binding creates a texture
 * object from the reference's attributes and desc, stores it in the shadow
 * and copies the shadow to the device copy; *offset (may be NULL) is 0, as
 * no alignment is imposed. A NULL texref or devPtr -> musaErrorInvalidValue;
 * a reference that is no registered variable -> musaErrorInvalidTexture. */
musaError_t musaBindTexture(size_t *offset, const struct textureReference *texref,
                            const void *devPtr, const struct musaChannelFormatDesc *desc,
                            size_t size __MUSA_DV(~(size_t)0 >> 32));
musaError_t musaBindTexture2D(size_t *offset, const struct textureReference *texref,
                              const void *devPtr, const struct musaChannelFormatDesc *desc,
                              size_t width, size_t height, size_t pitch);
musaError_t musaBindTextureToArray(const struct textureReference *texref, musaArray_const_t array,
                                   const struct musaChannelFormatDesc *desc);
/* Destroys the bound object (unbound: musaSuccess). */
musaError_t musaUnbindTexture(const struct textureReference *texref);
musaError_t musaGetTextureAlignmentOffset(size_t *offset, const struct textureReference *texref);
/* area textures: end */

/* Registration hooks emitted by mcc (not for direct use) */

#define MUSA_FATBIN_MAGIC   0x4642554du /* "MUBF" */
#define MUSA_FATBIN_VERSION 1u

/* One device code object of a fat binary, for one arch (major*10+minor). */
struct __musaFatImage {
	unsigned int arch;
	unsigned int pad;
	const void *data;
	unsigned long long size;
};

struct __musaFatBinaryWrapper {
	unsigned int magic;    /* MUSA_FATBIN_MAGIC */
	unsigned int version;  /* MUSA_FATBIN_VERSION */
	const struct __musaFatImage *images;
	unsigned long long count;
};

void **__musaRegisterFatBinary(void *fatCubin);
void __musaRegisterFatBinaryEnd(void **fatCubinHandle);
void __musaUnregisterFatBinary(void **fatCubinHandle);
void __musaRegisterFunction(void **fatCubinHandle, const char *hostFun, char *deviceFun,
                            const char *deviceName, int thread_limit, uint3 *tid,
                            uint3 *bid, dim3 *bDim, dim3 *gDim, int *wSize);
void __musaRegisterVar(void **fatCubinHandle, char *hostVar, char *deviceAddress,
                       const char *deviceName, int ext, size_t size, int constant,
                       int global);
/* A __managed__ variable: hostVarPtrAddress is the variable (the shadow is
 * its storage, shared with kernels). */
void __musaRegisterManagedVar(void **fatCubinHandle, void **hostVarPtrAddress,
                              char *deviceAddress, const char *deviceName, int ext,
                              size_t size, int constant, int global);
unsigned int __musaPushCallConfiguration(dim3 gridDim, dim3 blockDim,
                                         size_t sharedMem, void *stream);
musaError_t __musaPopCallConfiguration(dim3 *gridDim, dim3 *blockDim,
                                       size_t *sharedMem, void *stream);

#if defined(__cplusplus)
}

/* As CUDA's C++ API: a symbol is passed as the variable itself. */
template <class T>
static inline musaError_t musaMemcpyToSymbol(const T &symbol, const void *src, size_t count,
                                             size_t offset = 0,
                                             enum musaMemcpyKind kind = musaMemcpyHostToDevice)
{
	return musaMemcpyToSymbol((const void *)&symbol, src, count, offset, kind);
}
template <class T>
static inline musaError_t musaMemcpyFromSymbol(void *dst, const T &symbol, size_t count,
                                               size_t offset = 0,
                                               enum musaMemcpyKind kind = musaMemcpyDeviceToHost)
{
	return musaMemcpyFromSymbol(dst, (const void *)&symbol, count, offset, kind);
}
template <class T>
static inline musaError_t musaMemcpyToSymbolAsync(const T &symbol, const void *src,
                                                  size_t count, size_t offset = 0,
                                                  enum musaMemcpyKind kind = musaMemcpyHostToDevice,
                                                  musaStream_t stream = 0)
{
	return musaMemcpyToSymbolAsync((const void *)&symbol, src, count, offset, kind, stream);
}
template <class T>
static inline musaError_t musaMemcpyFromSymbolAsync(void *dst, const T &symbol, size_t count,
                                                    size_t offset = 0,
                                                    enum musaMemcpyKind kind = musaMemcpyDeviceToHost,
                                                    musaStream_t stream = 0)
{
	return musaMemcpyFromSymbolAsync(dst, (const void *)&symbol, count, offset, kind, stream);
}
template <class T>
static inline musaError_t musaGetSymbolAddress(void **devPtr, const T &symbol)
{
	return musaGetSymbolAddress(devPtr, (const void *)&symbol);
}
template <class T>
static inline musaError_t musaGetSymbolSize(size_t *size, const T &symbol)
{
	return musaGetSymbolSize(size, (const void *)&symbol);
}
#endif

#endif /* MUSA_RUNTIME_API_H */
