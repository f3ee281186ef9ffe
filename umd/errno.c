/* SPDX-License-Identifier: MIT */
/*
 * errno.c - the one translation of kmd errno values (and device fault kinds)
 * into MUresult. Every ioctl result crosses into the driver API here.
 * May call: nothing but libc.
 */
#include <errno.h>

#include "umd.h"

struct umd_errno_map {
	int err;
	MUresult res;
};

static const struct umd_errno_map umd_errno_table[] = {
	{ EINVAL,    MUSA_ERROR_INVALID_VALUE },
	{ EFAULT,    MUSA_ERROR_INVALID_VALUE },
	{ ENOENT,    MUSA_ERROR_INVALID_HANDLE },
	{ ENOMEM,    MUSA_ERROR_OUT_OF_MEMORY },
	{ ENOSPC,    MUSA_ERROR_OUT_OF_MEMORY },
	{ ENOEXEC,   MUSA_ERROR_INVALID_IMAGE },
	{ ENODEV,    MUSA_ERROR_NO_DEVICE },
	{ ENXIO,     MUSA_ERROR_NO_DEVICE },
	{ ETIME,     MUSA_ERROR_TIMEOUT },
	{ ETIMEDOUT, MUSA_ERROR_TIMEOUT },
	{ EBUSY,     MUSA_ERROR_NOT_READY },
	{ EPERM,     MUSA_ERROR_NOT_PERMITTED },
	{ EACCES,    MUSA_ERROR_NOT_PERMITTED },
	{ ENOTTY,    MUSA_ERROR_NOT_SUPPORTED },
	{ EOPNOTSUPP, MUSA_ERROR_NOT_SUPPORTED },
	{ ENOBUFS,   MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES },  /* SUBMIT: no CU could start */
	{ E2BIG,     MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES },  /* SUBMIT: kernel's stack > a CU's */
	{ ECANCELED, MUSA_ERROR_LAUNCH_FAILED },
	{ EIO,       MUSA_ERROR_LAUNCH_FAILED },
	{ EMFILE,    MUSA_ERROR_OPERATING_SYSTEM },
	{ ENFILE,    MUSA_ERROR_OPERATING_SYSTEM },
};

MUresult umd_errno(int err)
{
	if (err < 0)
		err = -err;
	if (err == 0)
		return MUSA_SUCCESS;
	for (size_t i = 0; i < sizeof(umd_errno_table) / sizeof(umd_errno_table[0]); i++)
		if (umd_errno_table[i].err == err)
			return umd_errno_table[i].res;
	return MUSA_ERROR_UNKNOWN;
}

static const MUresult umd_fault_table[] = {
	[DRM_MUSA_FAULT_NONE]                = MUSA_ERROR_LAUNCH_FAILED,
	[DRM_MUSA_FAULT_ILLEGAL_ADDRESS]     = MUSA_ERROR_ILLEGAL_ADDRESS,
	[DRM_MUSA_FAULT_MISALIGNED]          = MUSA_ERROR_MISALIGNED_ADDRESS,
	[DRM_MUSA_FAULT_ILLEGAL_INSTRUCTION] = MUSA_ERROR_ILLEGAL_INSTRUCTION,
	[DRM_MUSA_FAULT_LAUNCH_FAILED]       = MUSA_ERROR_LAUNCH_FAILED,
	[DRM_MUSA_FAULT_STACK_OVERFLOW]      = MUSA_ERROR_HARDWARE_STACK_ERROR,
	[DRM_MUSA_FAULT_ASSERT]              = MUSA_ERROR_ASSERT,
	[DRM_MUSA_FAULT_TIMEOUT]             = MUSA_ERROR_LAUNCH_TIMEOUT,
	[DRM_MUSA_FAULT_OUT_OF_RESOURCES]    = MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES,
	[DRM_MUSA_FAULT_INVALID_PACKET]      = MUSA_ERROR_LAUNCH_FAILED,
};

/* A guilty context with an unknown kind still must not look healthy. */
MUresult umd_fault_result(uint32_t kind)
{
	if (kind >= sizeof(umd_fault_table) / sizeof(umd_fault_table[0]))
		return MUSA_ERROR_LAUNCH_FAILED;
	return umd_fault_table[kind];
}
