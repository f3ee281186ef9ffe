/* SPDX-License-Identifier: MIT */
/*
 * log.c - what libmusa says on stderr: debug logging, only with
 * MUSA_LOG=debug (messages, umd_log, and the results of driver calls,
 * umd_trace, UMD_RET); reports of device faults (umd_report), unless
 * MUSA_LOG is off or 0; warnings (umd_warn).
 * May call: libc.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "umd.h"

static int umd_log_on;
static int umd_log_off;  /* MUSA_LOG=off or 0: not even fault reports */
static pthread_once_t umd_log_once = PTHREAD_ONCE_INIT;

static void umd_log_init(void)
{
	const char *v = getenv("MUSA_LOG");

	umd_log_on = v && strcmp(v, "debug") == 0;
	umd_log_off = v && (strcmp(v, "0") == 0 || strcmp(v, "off") == 0);
	if (v && *v && !umd_log_on && !umd_log_off)
		umd_warn("MUSA_LOG: ignoring '%s' (debug, off or 0)", v);
}

bool umd_log_faults(void)
{
	pthread_once(&umd_log_once, umd_log_init);
	return !umd_log_off;
}

void umd_report(const char *fmt, ...)
{
	va_list ap;

	if (!umd_log_faults())
		return;
	va_start(ap, fmt);
	flockfile(stderr);
	fputs("musa: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	va_end(ap);
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
