/* SPDX-License-Identifier: MIT */
/*
 * real.c - the next definitions of the libc functions the shim interposes,
 * and the shim's MUSA_LOG=debug logging (through lib/log, the stack's logger).
 *
 * Resolution is lazy and lock-free: an interposed function can run before
 * the shim's constructors (a sanitizer runtime or another library's
 * constructor calls open()), and two threads resolving the same symbol
 * store the same pointer. Calls only dlsym() and the logger.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "musa_log.h"
#include "shim.h"

static const char *const real_names[SHIM_REAL_COUNT] = {
#define SHIM_REAL_NAME(n) [SHIM_REAL_ID_##n] = #n,
	SHIM_REAL_SYMBOLS(SHIM_REAL_NAME)
#undef SHIM_REAL_NAME
};

static void *real_ptrs[SHIM_REAL_COUNT];

void *shim_real(enum shim_real_id id)
{
	void *p = __atomic_load_n(&real_ptrs[id], __ATOMIC_ACQUIRE);

	if (!p) {
		p = dlsym(RTLD_NEXT, real_names[id]);
		__atomic_store_n(&real_ptrs[id], p, __ATOMIC_RELEASE);
	}
	return p;
}

/* Debug lines under the shim category of the stack's logger
 * (MUSA_LOG=debug or debug:shim). */
void shim_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	musa_log_va(MUSA_LOG_SHIM, MUSA_LOG_DEBUG, fmt, ap);
	va_end(ap);
}
