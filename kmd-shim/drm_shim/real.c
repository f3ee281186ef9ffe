/* SPDX-License-Identifier: MIT */
/*
 * real.c - the next definitions of the libc functions the shim interposes,
 * and the shim's MUSA_LOG=debug logging.
 *
 * Resolution is lazy and lock-free: an interposed function can run before
 * the shim's constructors (a sanitizer runtime or another library's
 * constructor calls open()), and two threads resolving the same symbol
 * store the same pointer. Calls only dlsym() and getenv().
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

void shim_log(const char *fmt, ...)
{
	static int on = -1;
	int v = __atomic_load_n(&on, __ATOMIC_RELAXED);
	va_list ap;

	if (v < 0) {
		const char *e = getenv("MUSA_LOG");

		v = e && strcmp(e, "debug") == 0;
		__atomic_store_n(&on, v, __ATOMIC_RELAXED);
	}
	if (!v)
		return;
	va_start(ap, fmt);
	fputs("musa_drm_shim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
