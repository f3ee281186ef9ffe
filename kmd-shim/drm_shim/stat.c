/* SPDX-License-Identifier: MIT */
/*
 * stat.c - the stat family, access, readlink, realpath and the extended
 * attribute queries for the virtual tree and for render-node fds.
 *
 * A node of the tree is described by vfs.c; a render-node fd is the
 * driver's memfd, so its real fstat is taken and then made to look like
 * the character device (S_IFCHR, st_rdev 226:128+i) that libdrm checks.
 * The pre-2.33 glibc entry points (__xstat ...) share the same code: on
 * LP64 Linux their struct is struct stat. Calls vfs.c, fd.c and the real
 * functions.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "shim.h"

_Static_assert(sizeof(struct stat) == sizeof(struct stat64),
	       "drm-shim supports LP64 Linux only: struct stat must equal struct stat64");

/* A node of the tree: its stat is always there. */
static int stat_virtual(const struct shim_vnode *n, void *st)
{
	shim_vnode_stat(n, st);
	return 0;
}

/* `ret` of a real stat of fd into st, made to look like the node when fd is one. */
static int fd_stat_result(int fd, void *st, int ret)
{
	if (ret == 0)
		shim_fd_stat_fixup(fd, st);
	return ret;
}

static bool empty_path(const char *path, int flags)
{
	__asm__("" : "+r"(path));
	return (flags & AT_EMPTY_PATH) && (!path || !path[0]);
}

/*
 * The stat family for one struct: `suffix` is empty for struct stat and 64
 * for struct stat64, and each entry point reaches its own real function.
 * The do_* functions are what the glibc < 2.33 entry points share.
 */
#define STAT_FAMILY(suffix)                                                          \
	static int do_stat##suffix(const char *path, struct stat##suffix *st)       \
	{                                                                           \
		SHIM_ROUTE(int, path, true, -1, stat_virtual(lk.node, st),          \
			   REAL(stat##suffix)(routed_path, st));                    \
	}                                                                           \
	static int do_lstat##suffix(const char *path, struct stat##suffix *st)      \
	{                                                                           \
		SHIM_ROUTE(int, path, false, -1, stat_virtual(lk.node, st),         \
			   REAL(lstat##suffix)(routed_path, st));                   \
	}                                                                           \
	static int do_fstat##suffix(int fd, struct stat##suffix *st)                \
	{                                                                           \
		return fd_stat_result(fd, st, REAL(fstat##suffix)(fd, st));         \
	}                                                                           \
	static int do_fstatat##suffix(int dirfd, const char *path,                  \
				      struct stat##suffix *st, int flags)           \
	{                                                                           \
		if (empty_path(path, flags))                                        \
			return fd_stat_result(dirfd, st,                            \
					      REAL(fstatat##suffix)(dirfd, path, st, flags)); \
		SHIM_ROUTE(int, path, !(flags & AT_SYMLINK_NOFOLLOW), -1,           \
			   stat_virtual(lk.node, st),                               \
			   REAL(fstatat##suffix)(dirfd, routed_path, st, flags));   \
	}                                                                           \
	SHIM_EXPORT int stat##suffix(const char *path, struct stat##suffix *st)     \
	{                                                                           \
		return do_stat##suffix(path, st);                                   \
	}                                                                           \
	SHIM_EXPORT int lstat##suffix(const char *path, struct stat##suffix *st)    \
	{                                                                           \
		return do_lstat##suffix(path, st);                                  \
	}                                                                           \
	SHIM_EXPORT int fstat##suffix(int fd, struct stat##suffix *st)              \
	{                                                                           \
		return do_fstat##suffix(fd, st);                                    \
	}                                                                           \
	SHIM_EXPORT int fstatat##suffix(int dirfd, const char *path,                \
					struct stat##suffix *st, int flags)         \
	{                                                                           \
		return do_fstatat##suffix(dirfd, path, st, flags);                  \
	}

STAT_FAMILY()
STAT_FAMILY(64)

static int statx_virtual(const struct shim_vnode *n, struct statx *stx)
{
	struct stat st;

	shim_vnode_stat(n, &st);
	shim_stat_to_statx(&st, stx);
	return 0;
}

SHIM_EXPORT int statx(int dirfd, const char *path, int flags, unsigned int mask,
		      struct statx *stx)
{
	if (empty_path(path, flags)) {
		struct stat st;
		int ret;

		if (shim_fd_device(dirfd) < 0)
			return REAL(statx)(dirfd, path, flags, mask, stx);
		ret = do_fstat(dirfd, &st);
		if (ret == 0)
			shim_stat_to_statx(&st, stx);
		return ret;
	}
	SHIM_ROUTE(int, path, !(flags & AT_SYMLINK_NOFOLLOW), -1, statx_virtual(lk.node, stx),
		   REAL(statx)(dirfd, routed_path, flags, mask, stx));
}

/* The glibc < 2.33 entry points: `ver` is the struct's layout, one on LP64. */

SHIM_EXPORT int __xstat(int ver, const char *path, struct stat *st)
{
	(void)ver;
	return do_stat(path, st);
}

SHIM_EXPORT int __xstat64(int ver, const char *path, struct stat64 *st)
{
	(void)ver;
	return do_stat(path, (struct stat *)st);
}

SHIM_EXPORT int __lxstat(int ver, const char *path, struct stat *st)
{
	(void)ver;
	return do_lstat(path, st);
}

SHIM_EXPORT int __lxstat64(int ver, const char *path, struct stat64 *st)
{
	(void)ver;
	return do_lstat(path, (struct stat *)st);
}

SHIM_EXPORT int __fxstat(int ver, int fd, struct stat *st)
{
	(void)ver;
	return do_fstat(fd, st);
}

SHIM_EXPORT int __fxstat64(int ver, int fd, struct stat64 *st)
{
	(void)ver;
	return do_fstat(fd, (struct stat *)st);
}

SHIM_EXPORT int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags)
{
	(void)ver;
	return do_fstatat(dirfd, path, st, flags);
}

SHIM_EXPORT int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags)
{
	(void)ver;
	return do_fstatat(dirfd, path, (struct stat *)st, flags);
}

static int access_virtual(const struct shim_vnode *n, int mode)
{
	int err = shim_vnode_access(n, mode);

	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

/* access, euidaccess and eaccess differ only in the real function they reach. */
#define DEFINE_ACCESS(name)                                                       \
	SHIM_EXPORT int name(const char *path, int mode)                          \
	{                                                                         \
		SHIM_ROUTE(int, path, true, -1, access_virtual(lk.node, mode),    \
			   REAL(name)(routed_path, mode));                        \
	}

DEFINE_ACCESS(access)
DEFINE_ACCESS(euidaccess)
DEFINE_ACCESS(eaccess)

SHIM_EXPORT int faccessat(int dirfd, const char *path, int mode, int flags)
{
	SHIM_ROUTE(int, path, !(flags & AT_SYMLINK_NOFOLLOW), -1, access_virtual(lk.node, mode),
		   REAL(faccessat)(dirfd, routed_path, mode, flags));
}

static ssize_t readlink_virtual(const struct shim_vnode *n, char *buf, size_t size)
{
	size_t len;

	if (n->type != SHIM_V_LINK) {
		errno = EINVAL;
		return -1;
	}
	len = n->len < size ? n->len : size;
	memcpy(buf, n->data, len);
	return (ssize_t)len;
}

SHIM_EXPORT ssize_t readlink(const char *path, char *buf, size_t size)
{
	SHIM_ROUTE(ssize_t, path, false, -1, readlink_virtual(lk.node, buf, size),
		   REAL(readlink)(routed_path, buf, size));
}

SHIM_EXPORT ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	SHIM_ROUTE(ssize_t, path, false, -1, readlink_virtual(lk.node, buf, size),
		   REAL(readlinkat)(dirfd, routed_path, buf, size));
}

/* The walk already resolved every link: the node's path is the answer. */
static char *realpath_virtual(const struct shim_vnode *n, char *resolved, size_t resolved_len)
{
	if (!resolved)
		return strdup(n->path);
	if (strlen(n->path) >= resolved_len) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return strcpy(resolved, n->path);
}

SHIM_EXPORT char *realpath(const char *path, char *resolved)
{
	SHIM_ROUTE(char *, path, true, NULL, realpath_virtual(lk.node, resolved, PATH_MAX),
		   REAL(realpath)(routed_path, resolved));
}

SHIM_EXPORT char *__realpath_chk(const char *path, char *resolved, size_t resolved_len)
{
	SHIM_ROUTE(char *, path, true, NULL, realpath_virtual(lk.node, resolved, resolved_len),
		   REAL(__realpath_chk)(routed_path, resolved, resolved_len));
}

/*
 * The tree carries no extended attributes; "ls -l" asks for security
 * labels and ACLs, and must hear "no attribute" (or an empty list), not
 * "no file".
 */
static ssize_t getxattr_virtual(void)
{
	errno = ENODATA;
	return -1;
}

SHIM_EXPORT ssize_t getxattr(const char *path, const char *name, void *value, size_t size)
{
	SHIM_ROUTE(ssize_t, path, true, -1, getxattr_virtual(),
		   REAL(getxattr)(routed_path, name, value, size));
}

SHIM_EXPORT ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	SHIM_ROUTE(ssize_t, path, false, -1, getxattr_virtual(),
		   REAL(lgetxattr)(routed_path, name, value, size));
}

SHIM_EXPORT ssize_t listxattr(const char *path, char *list, size_t size)
{
	SHIM_ROUTE(ssize_t, path, true, -1, 0, REAL(listxattr)(routed_path, list, size));
}

SHIM_EXPORT ssize_t llistxattr(const char *path, char *list, size_t size)
{
	SHIM_ROUTE(ssize_t, path, false, -1, 0, REAL(llistxattr)(routed_path, list, size));
}
