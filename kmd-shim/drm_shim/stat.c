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

/* True when the path was ours and *ret (0 or -1 with errno) is the answer. */
static bool stat_route(const char *path, bool follow, struct stat *st, struct shim_lookup *lk,
		       int *ret)
{
	switch (shim_lookup(path, follow, lk)) {
	case SHIM_VIRT:
		shim_vnode_stat(lk->node, st);
		*ret = 0;
		return true;
	case SHIM_ERR:
		errno = lk->err;
		*ret = -1;
		return true;
	default:
		return false;
	}
}

#define STAT_BODY(follow, st, real_call)                              \
	do {                                                          \
		struct shim_lookup lk;                                \
		int ret;                                              \
		if (stat_route(path, (follow), (struct stat *)(st), &lk, &ret)) \
			return ret;                                   \
		ret = real_call;                                      \
		shim_lookup_done(&lk);                                \
		return ret;                                           \
	} while (0)

static int do_stat(const char *path, struct stat *st)
{
	STAT_BODY(true, st, REAL(stat)(shim_lookup_path(&lk, path), st));
}

static int do_lstat(const char *path, struct stat *st)
{
	STAT_BODY(false, st, REAL(lstat)(shim_lookup_path(&lk, path), st));
}

static int do_fstat(int fd, struct stat *st)
{
	int ret = REAL(fstat)(fd, st);

	if (ret == 0)
		shim_fd_stat_fixup(fd, st);
	return ret;
}

static bool empty_path(const char *path, int flags)
{
	__asm__("" : "+r"(path));
	return (flags & AT_EMPTY_PATH) && (!path || !path[0]);
}

static int do_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	if (empty_path(path, flags)) {
		int ret = REAL(fstatat)(dirfd, path, st, flags);

		if (ret == 0)
			shim_fd_stat_fixup(dirfd, st);
		return ret;
	}
	STAT_BODY(!(flags & AT_SYMLINK_NOFOLLOW), st,
		  REAL(fstatat)(dirfd, shim_lookup_path(&lk, path), st, flags));
}

SHIM_EXPORT int stat(const char *path, struct stat *st)
{
	return do_stat(path, st);
}

SHIM_EXPORT int stat64(const char *path, struct stat64 *st)
{
	STAT_BODY(true, st, REAL(stat64)(shim_lookup_path(&lk, path), st));
}

SHIM_EXPORT int lstat(const char *path, struct stat *st)
{
	return do_lstat(path, st);
}

SHIM_EXPORT int lstat64(const char *path, struct stat64 *st)
{
	STAT_BODY(false, st, REAL(lstat64)(shim_lookup_path(&lk, path), st));
}

SHIM_EXPORT int fstat(int fd, struct stat *st)
{
	return do_fstat(fd, st);
}

SHIM_EXPORT int fstat64(int fd, struct stat64 *st)
{
	int ret = REAL(fstat64)(fd, st);

	if (ret == 0)
		shim_fd_stat_fixup(fd, (struct stat *)st);
	return ret;
}

SHIM_EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return do_fstatat(dirfd, path, st, flags);
}

SHIM_EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	if (empty_path(path, flags)) {
		int ret = REAL(fstatat64)(dirfd, path, st, flags);

		if (ret == 0)
			shim_fd_stat_fixup(dirfd, (struct stat *)st);
		return ret;
	}
	STAT_BODY(!(flags & AT_SYMLINK_NOFOLLOW), st,
		  REAL(fstatat64)(dirfd, shim_lookup_path(&lk, path), st, flags));
}

SHIM_EXPORT int statx(int dirfd, const char *path, int flags, unsigned int mask,
		      struct statx *stx)
{
	struct shim_lookup lk;
	struct stat st;
	int ret;

	if (empty_path(path, flags)) {
		if (shim_fd_device(dirfd) < 0)
			return REAL(statx)(dirfd, path, flags, mask, stx);
		ret = do_fstat(dirfd, &st);
		if (ret == 0)
			shim_stat_to_statx(&st, stx);
		return ret;
	}
	if (stat_route(path, !(flags & AT_SYMLINK_NOFOLLOW), &st, &lk, &ret)) {
		if (ret == 0)
			shim_stat_to_statx(&st, stx);
		return ret;
	}
	ret = REAL(statx)(dirfd, shim_lookup_path(&lk, path), flags, mask, stx);
	shim_lookup_done(&lk);
	return ret;
}

/* ---- glibc < 2.33 entry points -------------------------------------------- */

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

/* ---- access ------------------------------------------------------------------- */

static bool access_route(const char *path, int mode, bool follow, struct shim_lookup *lk,
			 int *ret)
{
	int err;

	switch (shim_lookup(path, follow, lk)) {
	case SHIM_VIRT:
		err = shim_vnode_access(lk->node, mode);
		*ret = err ? -1 : 0;
		if (err)
			errno = -err;
		return true;
	case SHIM_ERR:
		errno = lk->err;
		*ret = -1;
		return true;
	default:
		return false;
	}
}

#define ACCESS_BODY(follow, real_call)                                \
	do {                                                          \
		struct shim_lookup lk;                                \
		int ret;                                              \
		if (access_route(path, mode, (follow), &lk, &ret))    \
			return ret;                                   \
		ret = real_call;                                      \
		shim_lookup_done(&lk);                                \
		return ret;                                           \
	} while (0)

SHIM_EXPORT int access(const char *path, int mode)
{
	ACCESS_BODY(true, REAL(access)(shim_lookup_path(&lk, path), mode));
}

SHIM_EXPORT int euidaccess(const char *path, int mode)
{
	ACCESS_BODY(true, REAL(euidaccess)(shim_lookup_path(&lk, path), mode));
}

SHIM_EXPORT int eaccess(const char *path, int mode)
{
	ACCESS_BODY(true, REAL(eaccess)(shim_lookup_path(&lk, path), mode));
}

SHIM_EXPORT int faccessat(int dirfd, const char *path, int mode, int flags)
{
	ACCESS_BODY(!(flags & AT_SYMLINK_NOFOLLOW),
		    REAL(faccessat)(dirfd, shim_lookup_path(&lk, path), mode, flags));
}

/* ---- links ---------------------------------------------------------------------- */

static bool readlink_route(const char *path, char *buf, size_t size, struct shim_lookup *lk,
			   ssize_t *ret)
{
	size_t n;

	switch (shim_lookup(path, false, lk)) {
	case SHIM_VIRT:
		if (lk->node->type != SHIM_V_LINK) {
			errno = EINVAL;
			*ret = -1;
			return true;
		}
		n = lk->node->len < size ? lk->node->len : size;
		memcpy(buf, lk->node->data, n);
		*ret = (ssize_t)n;
		return true;
	case SHIM_ERR:
		errno = lk->err;
		*ret = -1;
		return true;
	default:
		return false;
	}
}

SHIM_EXPORT ssize_t readlink(const char *path, char *buf, size_t size)
{
	struct shim_lookup lk;
	ssize_t ret;

	if (readlink_route(path, buf, size, &lk, &ret))
		return ret;
	ret = REAL(readlink)(shim_lookup_path(&lk, path), buf, size);
	shim_lookup_done(&lk);
	return ret;
}

SHIM_EXPORT ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	struct shim_lookup lk;
	ssize_t ret;

	if (readlink_route(path, buf, size, &lk, &ret))
		return ret;
	ret = REAL(readlinkat)(dirfd, shim_lookup_path(&lk, path), buf, size);
	shim_lookup_done(&lk);
	return ret;
}

/* The walk already resolved every link: the node's path is the answer. */
static bool realpath_route(const char *path, char *resolved, size_t resolved_len,
			   struct shim_lookup *lk, char **ret)
{
	switch (shim_lookup(path, true, lk)) {
	case SHIM_VIRT:
		if (!resolved) {
			*ret = strdup(lk->node->path);
			return true;
		}
		if (strlen(lk->node->path) >= resolved_len) {
			errno = ENAMETOOLONG;
			*ret = NULL;
			return true;
		}
		strcpy(resolved, lk->node->path);
		*ret = resolved;
		return true;
	case SHIM_ERR:
		errno = lk->err;
		*ret = NULL;
		return true;
	default:
		return false;
	}
}

SHIM_EXPORT char *realpath(const char *path, char *resolved)
{
	struct shim_lookup lk;
	char *ret;

	if (realpath_route(path, resolved, PATH_MAX, &lk, &ret))
		return ret;
	ret = REAL(realpath)(shim_lookup_path(&lk, path), resolved);
	shim_lookup_done(&lk);
	return ret;
}

SHIM_EXPORT char *__realpath_chk(const char *path, char *resolved, size_t resolved_len)
{
	struct shim_lookup lk;
	char *ret;

	if (realpath_route(path, resolved, resolved_len, &lk, &ret))
		return ret;
	ret = REAL(__realpath_chk)(shim_lookup_path(&lk, path), resolved, resolved_len);
	shim_lookup_done(&lk);
	return ret;
}

/* ---- extended attributes ----------------------------------------------------- */

/*
 * The tree carries none; "ls -l" asks for security labels and ACLs, and
 * must hear "no attribute", not "no file".
 */
static bool xattr_route(const char *path, bool follow, struct shim_lookup *lk, ssize_t *ret,
			int virt_errno)
{
	switch (shim_lookup(path, follow, lk)) {
	case SHIM_VIRT:
		if (virt_errno)
			errno = virt_errno;
		*ret = virt_errno ? -1 : 0;
		return true;
	case SHIM_ERR:
		errno = lk->err;
		*ret = -1;
		return true;
	default:
		return false;
	}
}

#define XATTR_BODY(follow, virt_errno, real_call)                          \
	do {                                                               \
		struct shim_lookup lk;                                     \
		ssize_t ret;                                               \
		if (xattr_route(path, (follow), &lk, &ret, (virt_errno)))  \
			return ret;                                        \
		ret = real_call;                                           \
		shim_lookup_done(&lk);                                     \
		return ret;                                                \
	} while (0)

SHIM_EXPORT ssize_t getxattr(const char *path, const char *name, void *value, size_t size)
{
	XATTR_BODY(true, ENODATA, REAL(getxattr)(shim_lookup_path(&lk, path), name, value, size));
}

SHIM_EXPORT ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	XATTR_BODY(false, ENODATA, REAL(lgetxattr)(shim_lookup_path(&lk, path), name, value, size));
}

SHIM_EXPORT ssize_t listxattr(const char *path, char *list, size_t size)
{
	XATTR_BODY(true, 0, REAL(listxattr)(shim_lookup_path(&lk, path), list, size));
}

SHIM_EXPORT ssize_t llistxattr(const char *path, char *list, size_t size)
{
	XATTR_BODY(false, 0, REAL(llistxattr)(shim_lookup_path(&lk, path), list, size));
}
