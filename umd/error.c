/* SPDX-License-Identifier: MIT */
/*
 * error.c - names and descriptions of every MUresult (muGetErrorName,
 * muGetErrorString). Usable before muInit. May call: lib/log (CHECK).
 */
#include "musa_log.h"
#include "umd.h"

struct umd_err_desc {
	MUresult code;
	const char *name;
	const char *text;
};

#define UMD_ERR(c, t) { c, #c, t }

static const struct umd_err_desc umd_err_table[] = {
	UMD_ERR(MUSA_SUCCESS,
		"no error"),
	UMD_ERR(MUSA_ERROR_INVALID_VALUE,
		"invalid argument"),
	UMD_ERR(MUSA_ERROR_OUT_OF_MEMORY,
		"out of memory"),
	UMD_ERR(MUSA_ERROR_NOT_INITIALIZED,
		"initialization error: muInit has not been called"),
	UMD_ERR(MUSA_ERROR_DEINITIALIZED,
		"driver shutting down"),
	UMD_ERR(MUSA_ERROR_PROFILER_DISABLED,
		"profiler disabled while using external profiling tool"),
	UMD_ERR(MUSA_ERROR_STUB_LIBRARY,
		"MUSA driver is a stub library"),
	UMD_ERR(MUSA_ERROR_DEVICE_UNAVAILABLE,
		"MUSA-capable device(s) is/are busy or unavailable"),
	UMD_ERR(MUSA_ERROR_NO_DEVICE,
		"no MUSA-capable device is detected"),
	UMD_ERR(MUSA_ERROR_INVALID_DEVICE,
		"invalid device ordinal"),
	UMD_ERR(MUSA_ERROR_DEVICE_NOT_LICENSED,
		"device doesn't have valid license"),
	UMD_ERR(MUSA_ERROR_INVALID_IMAGE,
		"device kernel image is invalid"),
	UMD_ERR(MUSA_ERROR_INVALID_CONTEXT,
		"invalid device context"),
	UMD_ERR(MUSA_ERROR_CONTEXT_ALREADY_CURRENT,
		"context already current"),
	UMD_ERR(MUSA_ERROR_MAP_FAILED,
		"mapping of buffer object failed"),
	UMD_ERR(MUSA_ERROR_UNMAP_FAILED,
		"unmapping of buffer object failed"),
	UMD_ERR(MUSA_ERROR_ARRAY_IS_MAPPED,
		"array is mapped"),
	UMD_ERR(MUSA_ERROR_ALREADY_MAPPED,
		"resource already mapped"),
	UMD_ERR(MUSA_ERROR_NO_BINARY_FOR_GPU,
		"no kernel image is available for execution on the device"),
	UMD_ERR(MUSA_ERROR_ALREADY_ACQUIRED,
		"resource already acquired"),
	UMD_ERR(MUSA_ERROR_NOT_MAPPED,
		"resource not mapped"),
	UMD_ERR(MUSA_ERROR_NOT_MAPPED_AS_ARRAY,
		"resource not mapped as array"),
	UMD_ERR(MUSA_ERROR_NOT_MAPPED_AS_POINTER,
		"resource not mapped as pointer"),
	UMD_ERR(MUSA_ERROR_ECC_UNCORRECTABLE,
		"uncorrectable ECC error encountered"),
	UMD_ERR(MUSA_ERROR_UNSUPPORTED_LIMIT,
		"limit is not supported on this architecture"),
	UMD_ERR(MUSA_ERROR_CONTEXT_ALREADY_IN_USE,
		"exclusive-thread device already in use by a different thread"),
	UMD_ERR(MUSA_ERROR_PEER_ACCESS_UNSUPPORTED,
		"peer access is not supported between these two devices"),
	UMD_ERR(MUSA_ERROR_INVALID_PTX,
		"a PTX JIT compilation failed"),
	UMD_ERR(MUSA_ERROR_INVALID_GRAPHICS_CONTEXT,
		"invalid OpenGL or DirectX context"),
	UMD_ERR(MUSA_ERROR_JIT_COMPILER_NOT_FOUND,
		"PTX JIT compiler library not found"),
	UMD_ERR(MUSA_ERROR_INVALID_SOURCE,
		"device kernel image is invalid"),
	UMD_ERR(MUSA_ERROR_FILE_NOT_FOUND,
		"file not found"),
	UMD_ERR(MUSA_ERROR_SHARED_OBJECT_SYMBOL_NOT_FOUND,
		"shared object symbol not found"),
	UMD_ERR(MUSA_ERROR_SHARED_OBJECT_INIT_FAILED,
		"shared object initialization failed"),
	UMD_ERR(MUSA_ERROR_OPERATING_SYSTEM,
		"OS call failed or operation not supported on this OS"),
	UMD_ERR(MUSA_ERROR_INVALID_HANDLE,
		"invalid resource handle"),
	UMD_ERR(MUSA_ERROR_ILLEGAL_STATE,
		"the operation cannot be performed in the present state"),
	UMD_ERR(MUSA_ERROR_NOT_FOUND,
		"named symbol not found"),
	UMD_ERR(MUSA_ERROR_NOT_READY,
		"device not ready"),
	UMD_ERR(MUSA_ERROR_ILLEGAL_ADDRESS,
		"an illegal memory access was encountered"),
	UMD_ERR(MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES,
		"too many resources requested for launch"),
	UMD_ERR(MUSA_ERROR_LAUNCH_TIMEOUT,
		"the launch timed out and was terminated"),
	UMD_ERR(MUSA_ERROR_LAUNCH_INCOMPATIBLE_TEXTURING,
		"launch uses incompatible texturing mode"),
	UMD_ERR(MUSA_ERROR_PEER_ACCESS_ALREADY_ENABLED,
		"peer access is already enabled"),
	UMD_ERR(MUSA_ERROR_PEER_ACCESS_NOT_ENABLED,
		"peer access has not been enabled"),
	UMD_ERR(MUSA_ERROR_PRIMARY_CONTEXT_ACTIVE,
		"cannot set while device is active in this process"),
	UMD_ERR(MUSA_ERROR_CONTEXT_IS_DESTROYED,
		"context is destroyed"),
	UMD_ERR(MUSA_ERROR_ASSERT,
		"device-side assert triggered"),
	UMD_ERR(MUSA_ERROR_TOO_MANY_PEERS,
		"peer mapping resources exhausted"),
	UMD_ERR(MUSA_ERROR_HOST_MEMORY_ALREADY_REGISTERED,
		"part or all of the requested memory range is already mapped"),
	UMD_ERR(MUSA_ERROR_HOST_MEMORY_NOT_REGISTERED,
		"pointer does not correspond to a registered memory region"),
	UMD_ERR(MUSA_ERROR_HARDWARE_STACK_ERROR,
		"hardware stack error"),
	UMD_ERR(MUSA_ERROR_ILLEGAL_INSTRUCTION,
		"an illegal instruction was encountered"),
	UMD_ERR(MUSA_ERROR_MISALIGNED_ADDRESS,
		"misaligned address"),
	UMD_ERR(MUSA_ERROR_INVALID_ADDRESS_SPACE,
		"operation not supported on global/shared address space"),
	UMD_ERR(MUSA_ERROR_INVALID_PC,
		"invalid program counter"),
	UMD_ERR(MUSA_ERROR_LAUNCH_FAILED,
		"unspecified launch failure"),
	UMD_ERR(MUSA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE,
		"too many blocks in cooperative launch"),
	UMD_ERR(MUSA_ERROR_NOT_PERMITTED,
		"operation not permitted"),
	UMD_ERR(MUSA_ERROR_NOT_SUPPORTED,
		"operation not supported"),
	UMD_ERR(MUSA_ERROR_SYSTEM_NOT_READY,
		"system not yet initialized"),
	UMD_ERR(MUSA_ERROR_SYSTEM_DRIVER_MISMATCH,
		"system has unsupported display driver / MUSA driver combination"),
	UMD_ERR(MUSA_ERROR_STREAM_CAPTURE_UNSUPPORTED,
		"operation not permitted when stream is capturing"),
	UMD_ERR(MUSA_ERROR_STREAM_CAPTURE_INVALIDATED,
		"operation failed due to a previous error during capture"),
	UMD_ERR(MUSA_ERROR_STREAM_CAPTURE_MERGE,
		"operation would result in a merge of separate capture sequences"),
	UMD_ERR(MUSA_ERROR_STREAM_CAPTURE_UNMATCHED,
		"capture was not ended in the same stream as it began"),
	UMD_ERR(MUSA_ERROR_STREAM_CAPTURE_UNJOINED,
		"capturing stream has unjoined work"),
	UMD_ERR(MUSA_ERROR_STREAM_CAPTURE_ISOLATION,
		"dependency created on uncaptured work in another stream"),
	UMD_ERR(MUSA_ERROR_STREAM_CAPTURE_IMPLICIT,
		"operation would make the legacy stream depend on a capturing blocking stream"),
	UMD_ERR(MUSA_ERROR_CAPTURED_EVENT,
		"operation not permitted on an event last recorded in a capturing stream"),
	UMD_ERR(MUSA_ERROR_STREAM_CAPTURE_WRONG_THREAD,
		"attempt to terminate a thread-local capture sequence from another thread"),
	UMD_ERR(MUSA_ERROR_TIMEOUT,
		"wait operation timed out"),
	UMD_ERR(MUSA_ERROR_GRAPH_EXEC_UPDATE_FAILURE,
		"the graph update was not performed because it included changes which violated constraints specific to instantiated graph update"),
	UMD_ERR(MUSA_ERROR_UNKNOWN,
		"unknown error"),
};

static const struct umd_err_desc *umd_err_lookup(MUresult error)
{
	for (size_t i = 0; i < sizeof(umd_err_table) / sizeof(umd_err_table[0]); i++)
		if (umd_err_table[i].code == error)
			return &umd_err_table[i];
	return NULL;
}

UMD_API MUresult muGetErrorName(MUresult error, const char **pStr)
{
	const struct umd_err_desc *d;

	CHECK(!pStr, MUSA_ERROR_INVALID_VALUE);
	d = umd_err_lookup(error);
	*pStr = d ? d->name : NULL;
	return d ? MUSA_SUCCESS : MUSA_ERROR_INVALID_VALUE;
}

UMD_API MUresult muGetErrorString(MUresult error, const char **pStr)
{
	const struct umd_err_desc *d;

	CHECK(!pStr, MUSA_ERROR_INVALID_VALUE);
	d = umd_err_lookup(error);
	*pStr = d ? d->text : NULL;
	return d ? MUSA_SUCCESS : MUSA_ERROR_INVALID_VALUE;
}
