/* SPDX-License-Identifier: MIT */
/*
 * musa_log.h - the stack's one logger: categories (one per layer), levels,
 * and CHECK(), the argument check that says which condition failed.
 *
 * MUSA_LOG is parsed once per library (docs/environment.md):
 *   unset        each category at MUSA_LOG_ERROR (fault reports only)
 *   debug        every category at MUSA_LOG_DEBUG
 *   debug:A,B    categories A and B at MUSA_LOG_DEBUG, the others at
 *                MUSA_LOG_ERROR (names: kmd, shim, driver, runtime, device)
 *   off, 0       every category off, fault reports too
 * Any other value leaves the default, and musa_log_bad_setting() returns it
 * so that one layer (libmusa, at muInit) can warn about it once.
 *
 * Each library compiles its own copy of musa_log.c with hidden symbols; a
 * file logs under the category MUSA_LOG_SELF, which the build defines per
 * layer.
 */
#ifndef MUSA_LOG_H
#define MUSA_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum musa_log_category {
	MUSA_LOG_KMD,       /* kmd-shim: the kernel driver and software device */
	MUSA_LOG_SHIM,      /* kmd-shim/drm_shim: the LD_PRELOAD DRM node */
	MUSA_LOG_DRIVER,    /* umd: libmusa, the mu* driver API */
	MUSA_LOG_RUNTIME,   /* runtime: libmusart and libmccl, the musa* API */
	MUSA_LOG_DEVICE,    /* compiler-rt: the device-side runtime */
	MUSA_LOG_CATEGORIES
};

enum musa_log_level {
	MUSA_LOG_OFF,       /* nothing */
	MUSA_LOG_ERROR,     /* reports of device faults, as "musa: ..." */
	MUSA_LOG_DEBUG,     /* calls, results and decisions, as "<layer>: ..." */
};

/* Whether a message of category c at level l is written. */
bool musa_log_on(enum musa_log_category c, enum musa_log_level l);

/* One line on stderr when musa_log_on(c, l): the prefix of the level
 * ("musa: " for errors, the category's own for debug), the message, a
 * newline. Lines of different threads do not interleave. */
void musa_log(enum musa_log_category c, enum musa_log_level l, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void musa_log_va(enum musa_log_category c, enum musa_log_level l, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* "musa: warning: " and the message, whatever MUSA_LOG says: a setting of
 * the user that is ignored. */
void musa_log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void musa_log_warn_va(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* The MUSA_LOG value that could not be parsed (cut to 63 characters), or
 * NULL when it was unset or understood. */
const char *musa_log_bad_setting(void);

/* The debug line of a failed CHECK: "check failed: COND in FUNC (FILE:LINE)". */
void musa_log_check_failed(enum musa_log_category c, const char *cond, const char *file,
			   int line, const char *func);

/*
 * Argument check: when cond holds, logs its text (MUSA_LOG=debug for the
 * file's category) and returns err from the calling function.
 */
#define CHECK(cond, err)                                                             \
	do {                                                                         \
		if (cond) {                                                          \
			musa_log_check_failed(MUSA_LOG_SELF, #cond, __FILE__, __LINE__, \
					      __func__);                             \
			return (err);                                                \
		}                                                                    \
	} while (0)

#endif
