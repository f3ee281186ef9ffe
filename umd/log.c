/* SPDX-License-Identifier: MIT */
/*
 * log.c - debug logging of libmusa, to stderr and only with MUSA_LOG=debug:
 * messages (umd_log) and the results of driver calls (umd_trace, UMD_RET).
 * May call: libc.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "umd.h"

static int umd_log_on;
static pthread_once_t umd_log_once = PTHREAD_ONCE_INIT;

static void umd_log_init(void)
{
	const char *v = getenv("MUSA_LOG");

	umd_log_on = v && strcmp(v, "debug") == 0;
	if (v && *v && !umd_log_on && strcmp(v, "0") != 0 && strcmp(v, "off") != 0)
		umd_warn("MUSA_LOG: ignoring '%s' (debug, off or 0)", v);
}

void umd_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("musa: warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* MUSA_LOG is checked (and a bad value reported) when the driver starts,
 * not at the first message. */
void umd_log_check(void)
{
	pthread_once(&umd_log_once, umd_log_init);
}

void umd_log(const char *fmt, ...)
{
	va_list ap;

	pthread_once(&umd_log_once, umd_log_init);
	if (!umd_log_on)
		return;
	va_start(ap, fmt);
	fputs("libmusa: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

MUresult umd_trace(const char *fn, MUresult r)
{
	pthread_once(&umd_log_once, umd_log_init);
	if (umd_log_on)
		fprintf(stderr, "libmusa: %s -> %d\n", fn, (int)r);
	return r;
}
