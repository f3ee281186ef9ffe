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

static int open_virtual(const struct shim_vnode *n, int flags)
{
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

/* The mode argument is there only when flags ask for one. */
static mode_t open_mode(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

#define OPEN_ROUTE(real_call) \
	SHIM_ROUTE(int, path, !(flags & O_NOFOLLOW), -1, open_virtual(lk.node, flags), real_call)

/*
 * open, open64, openat and openat64: `params` is the parameter list, and
 * `real_args` the arguments for the real function, which is all that
 * differs between them.
 */
#define DEFINE_OPEN(name, params, real_args)              \
	SHIM_EXPORT int name params                       \
	{                                                 \
		va_list ap;                               \
		mode_t mode;                              \
							  \
		va_start(ap, flags);                      \
		mode = open_mode(flags, ap);              \
		va_end(ap);                               \
		OPEN_ROUTE(REAL(name) real_args);         \
	}

DEFINE_OPEN(open, (const char *path, int flags, ...), (routed_path, flags, mode))
DEFINE_OPEN(open64, (const char *path, int flags, ...), (routed_path, flags, mode))
DEFINE_OPEN(openat, (int dirfd, const char *path, int flags, ...), (dirfd, routed_path, flags, mode))
DEFINE_OPEN(openat64, (int dirfd, const char *path, int flags, ...),
	    (dirfd, routed_path, flags, mode))

/* The _FORTIFY_SOURCE entry points: open without a mode argument. */
SHIM_EXPORT int __open_2(const char *path, int flags)
{
	OPEN_ROUTE(REAL(__open_2)(routed_path, flags));
}

SHIM_EXPORT int __open64_2(const char *path, int flags)
{
	OPEN_ROUTE(REAL(__open64_2)(routed_path, flags));
}

SHIM_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	OPEN_ROUTE(REAL(__openat_2)(dirfd, routed_path, flags));
}

SHIM_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	OPEN_ROUTE(REAL(__openat64_2)(dirfd, routed_path, flags));
}

static FILE *fopen_virtual(const struct shim_vnode *n, const char *mode)
{
	bool write = mode[0] != 'r' || strchr(mode, '+');
	FILE *f;
	int fd;

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

SHIM_EXPORT FILE *fopen(const char *path, const char *mode)
{
	SHIM_ROUTE(FILE *, path, true, NULL, fopen_virtual(lk.node, mode),
		   REAL(fopen)(routed_path, mode));
}

SHIM_EXPORT FILE *fopen64(const char *path, const char *mode)
{
	SHIM_ROUTE(FILE *, path, true, NULL, fopen_virtual(lk.node, mode),
		   REAL(fopen64)(routed_path, mode));
}
