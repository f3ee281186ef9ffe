/* SPDX-License-Identifier: MIT */
/*
 * log.c - what libmusa says on stderr, through the stack's logger
 * (lib/log/musa_log.h) under the driver category: debug logging, only with
 * MUSA_LOG=debug or debug:driver (messages, umd_log, and the results of
 * driver calls, umd_trace, UMD_RET); reports of device faults (umd_report),
 * unless MUSA_LOG is off or 0; warnings (umd_warn).
 * May call: lib/log (the logger), libc.
 */
#include <pthread.h>
#include <stdarg.h>

#include "musa_log.h"
#include "umd.h"

bool umd_log_faults(void)
{
	return musa_log_on(MUSA_LOG_DRIVER, MUSA_LOG_ERROR);
}

void umd_report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	musa_log_va(MUSA_LOG_DRIVER, MUSA_LOG_ERROR, fmt, ap);
	va_end(ap);
}

void umd_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	musa_log_warn_va(fmt, ap);
	va_end(ap);
}

static pthread_once_t umd_log_check_once = PTHREAD_ONCE_INIT;

static void umd_log_check_setting(void)
{
	const char *bad = musa_log_bad_setting();

	if (bad)
		umd_warn("MUSA_LOG: ignoring '%s' (debug, debug:CATEGORY,..., off or 0)", bad);
}

/* MUSA_LOG is checked (and a bad value reported, once) when the driver
 * starts, not at the first message. */
void umd_log_check(void)
{
	pthread_once(&umd_log_check_once, umd_log_check_setting);
}

void umd_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	musa_log_va(MUSA_LOG_DRIVER, MUSA_LOG_DEBUG, fmt, ap);
	va_end(ap);
}

MUresult umd_trace(const char *fn, MUresult r)
{
	musa_log(MUSA_LOG_DRIVER, MUSA_LOG_DEBUG, "%s -> %d", fn, (int)r);
	return r;
}
