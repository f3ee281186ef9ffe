/* SPDX-License-Identifier: MIT */
/*
 * open.c - the open and fopen families for paths of the virtual tree.
 *
 * A render node opens its software device (fd.c); a sysfs attribute opens
 * as a memfd (open) or an fmemopen stream (fopen) holding
 * its contents; a path the tree's links lead out of the tree, and every
 * path that is not ours, goes to the real function. Calls vfs.c, fd.c and
 * the real functions.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shim.h"

static int open_file(const struct shim_vnode *n, int flags)
{
	int fd;

	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)) {
		errno = EACCES;
		return -1;
	}
	fd = memfd_create("musa-sysfs", (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
	if (fd < 0)
		return -1;
	if (write(fd, n->data, n->len) != (ssize_t)n->len || lseek(fd, 0, SEEK_SET) != 0) {
		int err = errno ? errno : EIO;

		REAL(close)(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static int open_virtual(const struct shim_lookup *lk, int flags)
{
	const struct shim_vnode *n = lk->node;

	if (lk->kind == SHIM_ERR) {
		errno = lk->err;
		return -1;
	}
	if ((flags & O_CREAT) && (flags & O_EXCL)) {
		errno = EEXIST;
		return -1;
	}
	switch (n->type) {
	case SHIM_V_CHR:
		return shim_node_open(n->device, flags);
	case SHIM_V_FILE:
		if (flags & O_DIRECTORY) {
			errno = ENOTDIR;
			return -1;
		}
		return open_file(n, flags);
	case SHIM_V_LINK:  /* only reached with O_NOFOLLOW */
		errno = ELOOP;
		return -1;
	case SHIM_V_DIR:
		/* A directory fd would need a real directory behind it. */
		errno = (flags & O_ACCMODE) != O_RDONLY ? EISDIR : EOPNOTSUPP;
		return -1;
	}
	errno = ENOENT;
	return -1;
}

/*
 * True when the path was ours and *fd is the answer; otherwise the caller
 * calls the real function on shim_lookup_path() and then shim_lookup_done().
 */
static bool open_route(const char *path, int flags, struct shim_lookup *lk, int *fd)
{
	enum shim_kind k = shim_lookup(path, !(flags & O_NOFOLLOW), lk);

	if (k == SHIM_PASS || k == SHIM_REAL)
		return false;
	*fd = open_virtual(lk, flags);
	return true;
}

static mode_t open_mode(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

#define OPEN_BODY(real_call)                                      \
	do {                                                      \
		struct shim_lookup lk;                            \
		int fd;                                           \
		if (open_route(path, flags, &lk, &fd))            \
			return fd;                                \
		fd = real_call;                                   \
		shim_lookup_done(&lk);                            \
		return fd;                                        \
	} while (0)

SHIM_EXPORT int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	OPEN_BODY(REAL(open)(shim_lookup_path(&lk, path), flags, mode));
}

SHIM_EXPORT int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	OPEN_BODY(REAL(open64)(shim_lookup_path(&lk, path), flags, mode));
}

SHIM_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	OPEN_BODY(REAL(openat)(dirfd, shim_lookup_path(&lk, path), flags, mode));
}

SHIM_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	OPEN_BODY(REAL(openat64)(dirfd, shim_lookup_path(&lk, path), flags, mode));
}

/* The _FORTIFY_SOURCE entry points: open without a mode argument. */
SHIM_EXPORT int __open_2(const char *path, int flags)
{
	OPEN_BODY(REAL(__open_2)(shim_lookup_path(&lk, path), flags));
}

SHIM_EXPORT int __open64_2(const char *path, int flags)
{
	OPEN_BODY(REAL(__open64_2)(shim_lookup_path(&lk, path), flags));
}

SHIM_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	OPEN_BODY(REAL(__openat_2)(dirfd, shim_lookup_path(&lk, path), flags));
}

SHIM_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	OPEN_BODY(REAL(__openat64_2)(dirfd, shim_lookup_path(&lk, path), flags));
}

/* ---- stdio ------------------------------------------------------------------ */

static FILE *fopen_virtual(const struct shim_lookup *lk, const char *mode)
{
	const struct shim_vnode *n = lk->node;
	bool write = mode[0] != 'r' || strchr(mode, '+');
	FILE *f;
	int fd;

	if (lk->kind == SHIM_ERR) {
		errno = lk->err;
		return NULL;
	}
	switch (n->type) {
	case SHIM_V_FILE:
		if (write) {
			errno = EACCES;
			return NULL;
		}
		/* The contents live as long as the process; the stream only reads. */
		return fmemopen(n->data, n->len, "r");
	case SHIM_V_CHR:
		fd = shim_node_open(n->device, (write ? O_RDWR : O_RDONLY) |
					       (strchr(mode, 'e') ? O_CLOEXEC : 0));
		if (fd < 0)
			return NULL;
		f = fdopen(fd, mode);
		if (!f) {
			int err = errno;

			close(fd);
			errno = err;
		}
		return f;
	case SHIM_V_DIR:
	case SHIM_V_LINK:
		errno = EISDIR;
		return NULL;
	}
	errno = ENOENT;
	return NULL;
}

#define FOPEN_BODY(real_fn)                                                     \
	do {                                                                    \
		struct shim_lookup lk;                                          \
		FILE *f;                                                        \
		enum shim_kind k = shim_lookup(path, true, &lk);                \
		if (k == SHIM_VIRT || k == SHIM_ERR)                            \
			return fopen_virtual(&lk, mode);                        \
		f = REAL(real_fn)(shim_lookup_path(&lk, path), mode);           \
		shim_lookup_done(&lk);                                          \
		return f;                                                       \
	} while (0)

SHIM_EXPORT FILE *fopen(const char *path, const char *mode)
{
	FOPEN_BODY(fopen);
}

SHIM_EXPORT FILE *fopen64(const char *path, const char *mode)
{
	FOPEN_BODY(fopen64);
}
