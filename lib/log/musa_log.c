/* SPDX-License-Identifier: MIT */
/*
 * musa_log.c - the logger of musa_log.h: MUSA_LOG parsed once into a level
 * per category, and the lines written to stderr.
 * Calls only libc.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "musa_log.h"

static const char *const musa_log_names[MUSA_LOG_CATEGORIES] = {
	[MUSA_LOG_KMD] = "kmd",
	[MUSA_LOG_SHIM] = "shim",
	[MUSA_LOG_DRIVER] = "driver",
	[MUSA_LOG_RUNTIME] = "runtime",
	[MUSA_LOG_DEVICE] = "device",
};

/* Debug lines name their layer the way its library is known. */
static const char *const musa_log_prefixes[MUSA_LOG_CATEGORIES] = {
	[MUSA_LOG_KMD] = "musa_kmd: ",
	[MUSA_LOG_SHIM] = "musa_drm_shim: ",
	[MUSA_LOG_DRIVER] = "libmusa: ",
	[MUSA_LOG_RUNTIME] = "musart: ",
	[MUSA_LOG_DEVICE] = "musa-device: ",
};

static enum musa_log_level musa_log_levels[MUSA_LOG_CATEGORIES];
static char musa_log_bad[64];
static pthread_once_t musa_log_once = PTHREAD_ONCE_INIT;

/* The category named by the n characters at s, or -1. */
static int musa_log_category_named(const char *s, size_t n)
{
	for (int c = 0; c < MUSA_LOG_CATEGORIES; c++)
		if (strlen(musa_log_names[c]) == n && strncmp(s, musa_log_names[c], n) == 0)
			return c;
	return -1;
}

/* "debug:" followed by category names separated by commas: the set of
 * categories in *mask; false when a name is empty or unknown. */
static bool musa_log_parse_list(const char *list, unsigned int *mask)
{
	*mask = 0;
	for (;;) {
		size_t n = strcspn(list, ",");
		int c = musa_log_category_named(list, n);

		if (c < 0)
			return false;
		*mask |= 1u << c;
		if (!list[n])
			return true;
		list += n + 1;
	}
}

static void musa_log_set_all(enum musa_log_level l)
{
	for (int c = 0; c < MUSA_LOG_CATEGORIES; c++)
		musa_log_levels[c] = l;
}

static void musa_log_init(void)
{
	const char *v = getenv("MUSA_LOG");
	unsigned int mask;

	musa_log_set_all(MUSA_LOG_ERROR);
	if (!v || !*v)
		return;
	if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0) {
		musa_log_set_all(MUSA_LOG_OFF);
	} else if (strcmp(v, "debug") == 0) {
		musa_log_set_all(MUSA_LOG_DEBUG);
	} else if (strncmp(v, "debug:", 6) == 0 && musa_log_parse_list(v + 6, &mask)) {
		for (int c = 0; c < MUSA_LOG_CATEGORIES; c++)
			if (mask & (1u << c))
				musa_log_levels[c] = MUSA_LOG_DEBUG;
	} else {
		snprintf(musa_log_bad, sizeof(musa_log_bad), "%s", v);
	}
}

bool musa_log_on(enum musa_log_category c, enum musa_log_level l)
{
	pthread_once(&musa_log_once, musa_log_init);
	return (unsigned int)c < MUSA_LOG_CATEGORIES && l != MUSA_LOG_OFF &&
	       musa_log_levels[c] >= l;
}

const char *musa_log_bad_setting(void)
{
	pthread_once(&musa_log_once, musa_log_init);
	return musa_log_bad[0] ? musa_log_bad : NULL;
}

void musa_log_va(enum musa_log_category c, enum musa_log_level l, const char *fmt, va_list ap)
{
	if (!musa_log_on(c, l))
		return;
	flockfile(stderr);
	fputs(l == MUSA_LOG_ERROR ? "musa: " : musa_log_prefixes[c], stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void musa_log(enum musa_log_category c, enum musa_log_level l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	musa_log_va(c, l, fmt, ap);
	va_end(ap);
}

void musa_log_warn_va(const char *fmt, va_list ap)
{
	flockfile(stderr);
	fputs("musa: warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void musa_log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	musa_log_warn_va(fmt, ap);
	va_end(ap);
}

void musa_log_check_failed(enum musa_log_category c, const char *cond, const char *file,
			   int line, const char *func)
{
	musa_log(c, MUSA_LOG_DEBUG, "check failed: %s in %s (%s:%d)", cond, func, file, line);
}
