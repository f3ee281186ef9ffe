/* SPDX-License-Identifier: MIT */
/*
 * ffi_runner.c - the one exported door of the device runtime, for kernels
 * that carry only typed metadata (MUSA_META_F_FFI, see musa_codeobj.h).
 *
 * Such a kernel is a plain C function the KMD calls through libffi, one
 * call per thread. threadIdx, blockIdx, the fiber scheduler and the
 * barrier state are hidden thread-locals of the code object's own copy of
 * this runtime, so the KMD cannot run the group itself: it calls this
 * function, looked up in the object with dlsym, with a thread function of
 * its own, and the group runs through wg.c exactly as an mcc entry would
 * run it. A code object pulls this file out of libmusa_device.a by
 * referring to the symbol. Calls wg.c only.
 */
#include "devrt.h"

int __musa_run_wg(const struct musa_wg *wg, void (*thread_fn)(const void *kernarg),
		  unsigned flags) DEVRT_HIDDEN;

int __musa_ffi_run_wg(const struct musa_wg *wg, void (*thread_fn)(const void *kernarg),
		      unsigned flags) __attribute__((visibility("default")));

int __musa_ffi_run_wg(const struct musa_wg *wg, void (*thread_fn)(const void *kernarg),
		      unsigned flags)
{
	/* Only the execution-mode bits mean anything to the runner. */
	return __musa_run_wg(wg, thread_fn, flags & MUSA_META_F_ALL);
}
