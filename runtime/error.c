/* SPDX-License-Identifier: MIT */
/*
 * error.c - the runtime's error door: the one MUresult -> musaError_t table,
 * names and descriptions of every musaError_t, and the per-thread last error
 * (musaGetLastError / musaPeekAtLastError). Calls only device.c for sticky
 * errors and the stack's logger (lib/log) for logging.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "musa_log.h"
#include "rt.h"

static __thread musaError_t rt_last_error = musaSuccess;

int rt_log_enabled(void)
{
	return musa_log_on(MUSA_LOG_RUNTIME, MUSA_LOG_DEBUG);
}

void rt_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	musa_log_va(MUSA_LOG_RUNTIME, MUSA_LOG_DEBUG, fmt, ap);
	va_end(ap);
}

static const struct {
	MUresult mu;
	musaError_t rt;
} rt_err_table[] = {
	{ MUSA_SUCCESS, musaSuccess },
	{ MUSA_ERROR_INVALID_VALUE, musaErrorInvalidValue },
	{ MUSA_ERROR_OUT_OF_MEMORY, musaErrorMemoryAllocation },
	{ MUSA_ERROR_NOT_INITIALIZED, musaErrorInitializationError },
	{ MUSA_ERROR_DEINITIALIZED, musaErrorMusartUnloading },
	{ MUSA_ERROR_PROFILER_DISABLED, musaErrorProfilerDisabled },
	{ MUSA_ERROR_STUB_LIBRARY, musaErrorStubLibrary },
	{ MUSA_ERROR_DEVICE_UNAVAILABLE, musaErrorDevicesUnavailable },
	{ MUSA_ERROR_NO_DEVICE, musaErrorNoDevice },
	{ MUSA_ERROR_INVALID_DEVICE, musaErrorInvalidDevice },
	{ MUSA_ERROR_DEVICE_NOT_LICENSED, musaErrorDeviceNotLicensed },
	{ MUSA_ERROR_INVALID_IMAGE, musaErrorInvalidKernelImage },
	{ MUSA_ERROR_INVALID_CONTEXT, musaErrorDeviceUninitialized },
	{ MUSA_ERROR_CONTEXT_ALREADY_CURRENT, musaErrorIllegalState },
	{ MUSA_ERROR_MAP_FAILED, musaErrorMapBufferObjectFailed },
	{ MUSA_ERROR_UNMAP_FAILED, musaErrorUnmapBufferObjectFailed },
	{ MUSA_ERROR_ARRAY_IS_MAPPED, musaErrorArrayIsMapped },
	{ MUSA_ERROR_ALREADY_MAPPED, musaErrorAlreadyMapped },
	{ MUSA_ERROR_NO_BINARY_FOR_GPU, musaErrorNoKernelImageForDevice },
	{ MUSA_ERROR_ALREADY_ACQUIRED, musaErrorAlreadyAcquired },
	{ MUSA_ERROR_NOT_MAPPED, musaErrorNotMapped },
	{ MUSA_ERROR_NOT_MAPPED_AS_ARRAY, musaErrorNotMappedAsArray },
	{ MUSA_ERROR_NOT_MAPPED_AS_POINTER, musaErrorNotMappedAsPointer },
	{ MUSA_ERROR_ECC_UNCORRECTABLE, musaErrorECCUncorrectable },
	{ MUSA_ERROR_UNSUPPORTED_LIMIT, musaErrorUnsupportedLimit },
	{ MUSA_ERROR_CONTEXT_ALREADY_IN_USE, musaErrorDeviceAlreadyInUse },
	{ MUSA_ERROR_PEER_ACCESS_UNSUPPORTED, musaErrorPeerAccessUnsupported },
	{ MUSA_ERROR_INVALID_PTX, musaErrorInvalidPtx },
	{ MUSA_ERROR_INVALID_GRAPHICS_CONTEXT, musaErrorInvalidGraphicsContext },
	{ MUSA_ERROR_JIT_COMPILER_NOT_FOUND, musaErrorJitCompilerNotFound },
	{ MUSA_ERROR_INVALID_SOURCE, musaErrorInvalidSource },
	{ MUSA_ERROR_FILE_NOT_FOUND, musaErrorFileNotFound },
	{ MUSA_ERROR_SHARED_OBJECT_SYMBOL_NOT_FOUND, musaErrorSharedObjectSymbolNotFound },
	{ MUSA_ERROR_SHARED_OBJECT_INIT_FAILED, musaErrorSharedObjectInitFailed },
	{ MUSA_ERROR_OPERATING_SYSTEM, musaErrorOperatingSystem },
	{ MUSA_ERROR_INVALID_HANDLE, musaErrorInvalidResourceHandle },
	{ MUSA_ERROR_ILLEGAL_STATE, musaErrorIllegalState },
	{ MUSA_ERROR_NOT_FOUND, musaErrorSymbolNotFound },
	{ MUSA_ERROR_NOT_READY, musaErrorNotReady },
	{ MUSA_ERROR_ILLEGAL_ADDRESS, musaErrorIllegalAddress },
	{ MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES, musaErrorLaunchOutOfResources },
	{ MUSA_ERROR_LAUNCH_TIMEOUT, musaErrorLaunchTimeout },
	{ MUSA_ERROR_LAUNCH_INCOMPATIBLE_TEXTURING, musaErrorLaunchIncompatibleTexturing },
	{ MUSA_ERROR_PEER_ACCESS_ALREADY_ENABLED, musaErrorPeerAccessAlreadyEnabled },
	{ MUSA_ERROR_PEER_ACCESS_NOT_ENABLED, musaErrorPeerAccessNotEnabled },
	{ MUSA_ERROR_PRIMARY_CONTEXT_ACTIVE, musaErrorSetOnActiveProcess },
	{ MUSA_ERROR_CONTEXT_IS_DESTROYED, musaErrorContextIsDestroyed },
	{ MUSA_ERROR_ASSERT, musaErrorAssert },
	{ MUSA_ERROR_TOO_MANY_PEERS, musaErrorTooManyPeers },
	{ MUSA_ERROR_HOST_MEMORY_ALREADY_REGISTERED, musaErrorHostMemoryAlreadyRegistered },
	{ MUSA_ERROR_HOST_MEMORY_NOT_REGISTERED, musaErrorHostMemoryNotRegistered },
	{ MUSA_ERROR_HARDWARE_STACK_ERROR, musaErrorHardwareStackError },
	{ MUSA_ERROR_ILLEGAL_INSTRUCTION, musaErrorIllegalInstruction },
	{ MUSA_ERROR_MISALIGNED_ADDRESS, musaErrorMisalignedAddress },
	{ MUSA_ERROR_INVALID_ADDRESS_SPACE, musaErrorInvalidAddressSpace },
	{ MUSA_ERROR_INVALID_PC, musaErrorInvalidPc },
	{ MUSA_ERROR_LAUNCH_FAILED, musaErrorLaunchFailure },
	{ MUSA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE, musaErrorCooperativeLaunchTooLarge },
	{ MUSA_ERROR_NOT_PERMITTED, musaErrorNotPermitted },
	{ MUSA_ERROR_NOT_SUPPORTED, musaErrorNotSupported },
	{ MUSA_ERROR_SYSTEM_NOT_READY, musaErrorSystemNotReady },
	{ MUSA_ERROR_SYSTEM_DRIVER_MISMATCH, musaErrorSystemDriverMismatch },
	{ MUSA_ERROR_STREAM_CAPTURE_UNSUPPORTED, musaErrorStreamCaptureUnsupported },
	{ MUSA_ERROR_STREAM_CAPTURE_INVALIDATED, musaErrorStreamCaptureInvalidated },
	{ MUSA_ERROR_STREAM_CAPTURE_MERGE, musaErrorStreamCaptureMerge },
	{ MUSA_ERROR_STREAM_CAPTURE_UNMATCHED, musaErrorStreamCaptureUnmatched },
	{ MUSA_ERROR_STREAM_CAPTURE_UNJOINED, musaErrorStreamCaptureUnjoined },
	{ MUSA_ERROR_STREAM_CAPTURE_ISOLATION, musaErrorStreamCaptureIsolation },
	{ MUSA_ERROR_STREAM_CAPTURE_IMPLICIT, musaErrorStreamCaptureImplicit },
	{ MUSA_ERROR_CAPTURED_EVENT, musaErrorCapturedEvent },
	{ MUSA_ERROR_STREAM_CAPTURE_WRONG_THREAD, musaErrorStreamCaptureWrongThread },
	{ MUSA_ERROR_TIMEOUT, musaErrorTimeout },
	{ MUSA_ERROR_GRAPH_EXEC_UPDATE_FAILURE, musaErrorGraphExecUpdateFailure },
	{ MUSA_ERROR_UNKNOWN, musaErrorUnknown },
};

musaError_t rt_err(MUresult r)
{
	for (size_t i = 0; i < sizeof(rt_err_table) / sizeof(rt_err_table[0]); i++)
		if (rt_err_table[i].mu == r)
			return rt_err_table[i].rt;
	return musaErrorUnknown;
}

/* Faults of device code leave the context unusable until a reset (CUDA's
 * sticky errors). */
static const MUresult rt_fault_results[] = {
	MUSA_ERROR_ILLEGAL_ADDRESS,
	MUSA_ERROR_MISALIGNED_ADDRESS,
	MUSA_ERROR_ILLEGAL_INSTRUCTION,
	MUSA_ERROR_LAUNCH_FAILED,
	MUSA_ERROR_HARDWARE_STACK_ERROR,
	MUSA_ERROR_ASSERT,
	MUSA_ERROR_LAUNCH_TIMEOUT,
	MUSA_ERROR_INVALID_PC,
	MUSA_ERROR_INVALID_ADDRESS_SPACE,
};

int rt_err_is_fault(MUresult r)
{
	for (size_t i = 0; i < sizeof(rt_fault_results) / sizeof(rt_fault_results[0]); i++)
		if (rt_fault_results[i] == r)
			return 1;
	return 0;
}

musaError_t rt_ret_fn(musaError_t e, const char *fn)
{
	/* CUDA does not let a "still running" answer of a query displace the
	 * last error: it is a status, not a failure. */
	if (e != musaSuccess && e != musaErrorNotReady)
		rt_last_error = e;
	if (rt_log_enabled())
		rt_log("%s -> %d (%s)", fn, (int)e, musaGetErrorName(e));
	return e;
}

/* A sticky error cannot be cleared by reading it: CUDA keeps returning it
 * from GetLastError until the device is reset. */
static musaError_t rt_current_sticky(void)
{
	if (!rt_initialized())
		return musaSuccess;
	return rt_dev_sticky(rt_current_device());
}

MUSART_API musaError_t musaGetLastError(void)
{
	musaError_t e = rt_last_error;

	rt_last_error = musaSuccess;
	if (e == musaSuccess)
		e = rt_current_sticky();
	return e;
}

MUSART_API musaError_t musaPeekAtLastError(void)
{
	musaError_t e = rt_last_error;

	if (e == musaSuccess)
		e = rt_current_sticky();
	return e;
}

static const struct {
	musaError_t code;
	const char *name;
	const char *desc;
} rt_err_text[] = {
#define E(c, d) { c, #c, d }
	E(musaSuccess, "no error"),
	E(musaErrorInvalidValue, "invalid argument"),
	E(musaErrorMemoryAllocation, "out of memory"),
	E(musaErrorInitializationError, "initialization error"),
	E(musaErrorMusartUnloading, "driver shutting down"),
	E(musaErrorProfilerDisabled, "profiler disabled while using external profiling tool"),
	E(musaErrorInvalidConfiguration, "invalid configuration argument"),
	E(musaErrorInvalidPitchValue, "invalid pitch argument"),
	E(musaErrorInvalidSymbol, "invalid device symbol"),
	E(musaErrorInvalidHostPointer, "invalid host pointer"),
	E(musaErrorInvalidDevicePointer, "invalid device pointer"),
	E(musaErrorInvalidTexture, "invalid texture reference"),
	E(musaErrorInvalidTextureBinding, "texture is not bound to a pointer"),
	E(musaErrorInvalidChannelDescriptor, "invalid channel descriptor"),
	E(musaErrorInvalidMemcpyDirection, "invalid copy direction for memcpy"),
	E(musaErrorInvalidFilterSetting, "linear filtering not supported for non-float type"),
	E(musaErrorInvalidNormSetting, "read as normalized float not supported for 32-bit non float type"),
	E(musaErrorStubLibrary, "MUSA driver is a stub library"),
	E(musaErrorInsufficientDriver, "MUSA driver version is insufficient for MUSA runtime version"),
	E(musaErrorCallRequiresNewerDriver, "API call is not supported in the installed MUSA driver"),
	E(musaErrorInvalidSurface, "invalid surface reference"),
	E(musaErrorDuplicateVariableName, "duplicate global variable looked up by string name"),
	E(musaErrorDuplicateTextureName, "duplicate texture looked up by string name"),
	E(musaErrorDuplicateSurfaceName, "duplicate surface looked up by string name"),
	E(musaErrorDevicesUnavailable, "MUSA-capable device(s) is/are busy or unavailable"),
	E(musaErrorIncompatibleDriverContext, "incompatible driver context"),
	E(musaErrorMissingConfiguration, "__global__ function call is not configured"),
	E(musaErrorLaunchMaxDepthExceeded, "launch would exceed maximum depth of nested launches"),
	E(musaErrorLaunchFileScopedTex, "launch failed because kernel uses unsupported, file-scoped textures"),
	E(musaErrorLaunchFileScopedSurf, "launch failed because kernel uses unsupported, file-scoped surfaces"),
	E(musaErrorSyncDepthExceeded, "device synchronization would exceed maximum nesting depth"),
	E(musaErrorLaunchPendingCountExceeded, "launch would exceed the pending launch count limit"),
	E(musaErrorInvalidDeviceFunction, "invalid device function"),
	E(musaErrorNoDevice, "no MUSA-capable device is detected"),
	E(musaErrorInvalidDevice, "invalid device ordinal"),
	E(musaErrorDeviceNotLicensed, "device doesn't have valid license"),
	E(musaErrorSoftwareValidityNotEstablished, "integrity checks failed"),
	E(musaErrorStartupFailure, "startup failure in musart"),
	E(musaErrorInvalidKernelImage, "device kernel image is invalid"),
	E(musaErrorDeviceUninitialized, "invalid device context"),
	E(musaErrorMapBufferObjectFailed, "mapping of buffer object failed"),
	E(musaErrorUnmapBufferObjectFailed, "unmapping of buffer object failed"),
	E(musaErrorArrayIsMapped, "array is mapped"),
	E(musaErrorAlreadyMapped, "resource already mapped"),
	E(musaErrorNoKernelImageForDevice, "no kernel image is available for execution on the device"),
	E(musaErrorAlreadyAcquired, "resource already acquired"),
	E(musaErrorNotMapped, "resource not mapped"),
	E(musaErrorNotMappedAsArray, "resource not mapped as array"),
	E(musaErrorNotMappedAsPointer, "resource not mapped as pointer"),
	E(musaErrorECCUncorrectable, "uncorrectable ECC error encountered"),
	E(musaErrorUnsupportedLimit, "limit is not supported on this architecture"),
	E(musaErrorDeviceAlreadyInUse, "exclusive-thread device already in use by a different thread"),
	E(musaErrorPeerAccessUnsupported, "peer access is not supported between these two devices"),
	E(musaErrorInvalidPtx, "a device kernel image is invalid for this device"),
	E(musaErrorInvalidGraphicsContext, "invalid OpenGL or DirectX context"),
	E(musaErrorJitCompilerNotFound, "device kernel JIT compiler not found"),
	E(musaErrorInvalidSource, "device kernel image is invalid"),
	E(musaErrorFileNotFound, "file not found"),
	E(musaErrorSharedObjectSymbolNotFound, "shared object symbol not found"),
	E(musaErrorSharedObjectInitFailed, "shared object initialization failed"),
	E(musaErrorOperatingSystem, "OS call failed or operation not supported on this OS"),
	E(musaErrorInvalidResourceHandle, "invalid resource handle"),
	E(musaErrorIllegalState, "the operation cannot be performed in the present state"),
	E(musaErrorSymbolNotFound, "named symbol not found"),
	E(musaErrorNotReady, "device not ready"),
	E(musaErrorIllegalAddress, "an illegal memory access was encountered"),
	E(musaErrorLaunchOutOfResources, "too many resources requested for launch"),
	E(musaErrorLaunchTimeout, "the launch timed out and was terminated"),
	E(musaErrorLaunchIncompatibleTexturing, "launch uses incompatible texturing mode"),
	E(musaErrorPeerAccessAlreadyEnabled, "peer access is already enabled"),
	E(musaErrorPeerAccessNotEnabled, "peer access has not been enabled"),
	E(musaErrorSetOnActiveProcess, "cannot set while device is active in this process"),
	E(musaErrorContextIsDestroyed, "context is destroyed"),
	E(musaErrorAssert, "device-side assert triggered"),
	E(musaErrorTooManyPeers, "peer mapping resources exhausted"),
	E(musaErrorHostMemoryAlreadyRegistered, "part or all of the requested memory range is already mapped"),
	E(musaErrorHostMemoryNotRegistered, "pointer does not correspond to a registered memory region"),
	E(musaErrorHardwareStackError, "hardware stack error"),
	E(musaErrorIllegalInstruction, "an illegal instruction was encountered"),
	E(musaErrorMisalignedAddress, "misaligned address"),
	E(musaErrorInvalidAddressSpace, "operation not supported on global/shared address space"),
	E(musaErrorInvalidPc, "invalid program counter"),
	E(musaErrorLaunchFailure, "unspecified launch failure"),
	E(musaErrorCooperativeLaunchTooLarge, "too many blocks in cooperative launch"),
	E(musaErrorNotPermitted, "operation not permitted"),
	E(musaErrorNotSupported, "operation not supported"),
	E(musaErrorSystemNotReady, "system not yet initialized"),
	E(musaErrorSystemDriverMismatch, "system has unsupported display driver / musa driver combination"),
	E(musaErrorCompatNotSupportedOnDevice, "forward compatibility was attempted on non supported HW"),
	E(musaErrorStreamCaptureUnsupported, "operation not permitted when stream is capturing"),
	E(musaErrorStreamCaptureInvalidated, "operation failed due to a previous error during capture"),
	E(musaErrorStreamCaptureMerge, "operation would result in a merge of separate capture sequences"),
	E(musaErrorStreamCaptureUnmatched, "capture was not ended in the same stream as it began"),
	E(musaErrorStreamCaptureUnjoined, "capturing stream has unjoined work"),
	E(musaErrorStreamCaptureIsolation, "dependency created on uncaptured work in another stream"),
	E(musaErrorStreamCaptureImplicit, "operation would make the legacy stream depend on a capturing blocking stream"),
	E(musaErrorCapturedEvent, "operation not permitted on an event last recorded in a capturing stream"),
	E(musaErrorStreamCaptureWrongThread, "attempt to terminate a thread-local capture sequence from another thread"),
	E(musaErrorTimeout, "wait operation timed out"),
	E(musaErrorGraphExecUpdateFailure, "the graph update was not performed because it included changes which violated constraints specific to instantiated graph update"),
	E(musaErrorUnknown, "unknown error"),
	E(musaErrorApiFailureBase, "API failure base"),
#undef E
};

static int rt_err_text_index(musaError_t e)
{
	for (size_t i = 0; i < sizeof(rt_err_text) / sizeof(rt_err_text[0]); i++)
		if (rt_err_text[i].code == e)
			return (int)i;
	return -1;
}

MUSART_API const char *musaGetErrorName(musaError_t error)
{
	int i = rt_err_text_index(error);

	return i < 0 ? "unrecognized error code" : rt_err_text[i].name;
}

MUSART_API const char *musaGetErrorString(musaError_t error)
{
	int i = rt_err_text_index(error);

	return i < 0 ? "unrecognized error code" : rt_err_text[i].desc;
}
