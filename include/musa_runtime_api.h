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

#include <stddef.h>
#include "musa_vector_types.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define MUSART_VERSION 12000  /* 1000 * major + 10 * minor */

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
	musaDevAttrMaxBlocksPerMultiprocessor = 106
} musaDeviceAttr;

/* Device properties, with CUDA's field names and meanings. */
struct musaDeviceProp {
	char   name[256];
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
	int    maxTexture1DLinear;
	int    maxTexture2D[2];
	int    maxTexture3D[3];
	int    maxTexture1DLayered[2];
	int    maxTexture2DLayered[3];
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
};
typedef struct musaDeviceProp musaDeviceProp;

/* ---- Errors -------------------------------------------------------------- */
musaError_t musaGetLastError(void);
musaError_t musaPeekAtLastError(void);
/* "unrecognized error code" for a value that is not a musaError_t. */
const char *musaGetErrorName(musaError_t error);
const char *musaGetErrorString(musaError_t error);

/* ---- Version ------------------------------------------------------------- */
musaError_t musaDriverGetVersion(int *driverVersion);
musaError_t musaRuntimeGetVersion(int *runtimeVersion);

/* ---- Device management --------------------------------------------------- */
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
	musaLimitStackSize = 0,        /* not settable: kernel stacks are fibers' */
	musaLimitPrintfFifoSize = 1,   /* bytes of the device printf FIFO (1 MiB) */
	musaLimitMallocHeapSize = 2,   /* bytes of the device malloc heap (8 MiB) */
};
/* Sizes the printf FIFO / malloc heap of the current device; once a kernel
 * that uses them was loaded (first launch), or for 0 -> musaErrorInvalidValue;
 * musaLimitStackSize and unknown limits -> musaErrorUnsupportedLimit. */
musaError_t musaDeviceSetLimit(enum musaLimit limit, size_t value);
musaError_t musaDeviceGetLimit(size_t *pValue, enum musaLimit limit);

/* ---- Symbols: __device__, __constant__ and __managed__ variables ------------ */
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

/* ---- Memory management --------------------------------------------------- */
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
                            enum musaMemcpyKind kind, musaStream_t stream);
musaError_t musaMemset(void *devPtr, int value, size_t count);
musaError_t musaMemsetAsync(void *devPtr, int value, size_t count, musaStream_t stream);

/* ---- Streams ------------------------------------------------------------- */
musaError_t musaStreamCreate(musaStream_t *pStream);
/* flags other than musaStreamDefault / musaStreamNonBlocking -> musaErrorInvalidValue. */
musaError_t musaStreamCreateWithFlags(musaStream_t *pStream, unsigned int flags);
musaError_t musaStreamDestroy(musaStream_t stream);
musaError_t musaStreamSynchronize(musaStream_t stream);
/* musaSuccess when done, musaErrorNotReady while work is pending. */
musaError_t musaStreamQuery(musaStream_t stream);
musaError_t musaStreamWaitEvent(musaStream_t stream, musaEvent_t event, unsigned int flags);

/* ---- Events -------------------------------------------------------------- */
musaError_t musaEventCreate(musaEvent_t *event);
musaError_t musaEventCreateWithFlags(musaEvent_t *event, unsigned int flags);
musaError_t musaEventRecord(musaEvent_t event, musaStream_t stream);
musaError_t musaEventQuery(musaEvent_t event);
musaError_t musaEventSynchronize(musaEvent_t event);
musaError_t musaEventElapsedTime(float *ms, musaEvent_t start, musaEvent_t end);
musaError_t musaEventDestroy(musaEvent_t event);

/* ---- Execution ----------------------------------------------------------- */
/* func is the host-side handle of a kernel (its stub's address). A block with
 * more threads or larger dimensions than the device allows, or a zero
 * dimension -> musaErrorInvalidConfiguration; an unregistered func ->
 * musaErrorInvalidDeviceFunction. */
musaError_t musaLaunchKernel(const void *func, dim3 gridDim, dim3 blockDim,
                             void **args, size_t sharedMem, musaStream_t stream);

/* ---- Registration hooks emitted by mcc (not for direct use) -------------- */

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
