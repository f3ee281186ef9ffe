/* SPDX-License-Identifier: MIT */
/*
 * shim.h - private declarations of libmusa_drm_shim, the LD_PRELOAD library
 * of drm-shim mode.
 *
 * The shim makes the software devices look like DRM render nodes to code
 * that talks to the kernel directly (libdrm): /dev/dri/renderD(128+i), the
 * sysfs entries libdrm's device enumeration reads, and fds whose ioctl,
 * mmap, fstat and close reach libmusa_kmd. Everything else goes to the next
 * definition of each libc function (dlsym RTLD_NEXT), so a sanitizer
 * runtime preloaded before the shim still sees every call.
 *
 * Files: real.c (next definitions), vfs.c (the virtual tree and path
 * lookup), fd.c (device fds: open, ioctl, mmap, close, dup, fcntl,
 * close_range; each checked by the identity of its file), open.c (open and
 * fopen families), stat.c (stat family, access, readlink, realpath,
 * xattrs),
 * dir.c (opendir family). Only uapi/musa_kmd.h of the driver is used.
 */
#ifndef MUSA_DRM_SHIM_H
#define MUSA_DRM_SHIM_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#define SHIM_EXPORT __attribute__((visibility("default")))

#define SHIM_DRM_MAJOR      226
#define SHIM_RENDER_MINOR0  128
/* Render minors are 128..191: at most 64 render nodes. */
#define SHIM_MAX_DEVICES    64

void shim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Next definitions (real.c). */

/*
 * Compatibility entry points that current headers no longer declare; old
 * binaries (glibc < 2.33) and fortified builds still call them.
 */
int __xstat(int ver, const char *path, struct stat *st);
int __xstat64(int ver, const char *path, struct stat64 *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __lxstat64(int ver, const char *path, struct stat64 *st);
int __fxstat(int ver, int fd, struct stat *st);
int __fxstat64(int ver, int fd, struct stat64 *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags);
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);
char *__realpath_chk(const char *path, char *resolved, size_t resolved_len);

#define SHIM_REAL_SYMBOLS(X)                                                   \
	X(open) X(open64) X(openat) X(openat64) X(__open_2) X(__open64_2)      \
	X(__openat_2) X(__openat64_2) X(fopen) X(fopen64) X(close) X(ioctl)    \
	X(mmap) X(mmap64) X(stat) X(stat64) X(lstat) X(lstat64) X(fstat)       \
	X(fstat64) X(fstatat) X(fstatat64) X(statx) X(access) X(faccessat)     \
	X(euidaccess) X(eaccess) X(readlink) X(readlinkat) X(realpath)         \
	X(__realpath_chk) X(opendir) X(readdir) X(readdir64) X(readdir_r)      \
	X(readdir64_r) X(closedir) X(rewinddir) X(telldir) X(seekdir) X(dirfd) \
	X(getxattr) X(lgetxattr) X(listxattr) X(llistxattr) X(dup) X(dup2)    \
	X(dup3) X(fcntl) X(fcntl64) X(close_range) X(closefrom)

enum shim_real_id {
#define SHIM_REAL_ENUM(n) SHIM_REAL_ID_##n,
	SHIM_REAL_SYMBOLS(SHIM_REAL_ENUM)
#undef SHIM_REAL_ENUM
	SHIM_REAL_COUNT
};

/* The next definition of a libc function after the shim's own. */
void *shim_real(enum shim_real_id id);
#define REAL(fn) ((__typeof__(&fn))shim_real(SHIM_REAL_ID_##fn))

/* The virtual tree (vfs.c). */

enum shim_vtype {
	SHIM_V_DIR,
	SHIM_V_FILE,  /* read-only contents */
	SHIM_V_LINK,  /* symbolic link, target relative to its directory */
	SHIM_V_CHR,   /* a render node */
};

struct shim_vnode {
	char path[96];        /* canonical absolute path */
	enum shim_vtype type;
	char *data;           /* FILE: contents; LINK: target */
	size_t len;
	unsigned int device;  /* CHR: software device index */
	ino_t ino;
};

enum shim_kind {
	SHIM_PASS,  /* not ours: use the caller's path unchanged */
	SHIM_VIRT,  /* a node of the virtual tree */
	SHIM_REAL,  /* our links led to a real path: use real_path */
	SHIM_ERR,   /* ours, and the lookup fails with err */
};

struct shim_lookup {
	enum shim_kind kind;
	const struct shim_vnode *node;
	char *real_path;  /* SHIM_REAL only; shim_lookup_done() frees it */
	int err;
};

/*
 * Resolves an absolute path against the virtual tree, following the tree's
 * links (the last one only when `follow`). Relative paths are never ours.
 */
enum shim_kind shim_lookup(const char *path, bool follow, struct shim_lookup *lk);
/* The path to hand to the real function for SHIM_PASS / SHIM_REAL. */
const char *shim_lookup_path(const struct shim_lookup *lk, const char *path);
void shim_lookup_done(struct shim_lookup *lk);

void shim_vnode_stat(const struct shim_vnode *n, struct stat *st);
int shim_vnode_access(const struct shim_vnode *n, int mode);
/* Calls fn for every entry of a virtual directory, "." and ".." first. */
void shim_vdir_list(const struct shim_vnode *dir,
		    void (*fn)(void *ctx, const char *name, ino_t ino, unsigned char type),
		    void *ctx);
/* Copies a struct stat into a struct statx (mask: STATX_BASIC_STATS). */
void shim_stat_to_statx(const struct stat *st, struct statx *stx);

/*
 * The body of an interposed function that takes a path. A node of the
 * virtual tree is answered by `virtual_answer`, which sees the node as
 * lk.node; a path of ours that does not resolve gives `failed` with the
 * lookup's errno; any other path goes to `real_call`, which passes on
 * `routed_path` (the caller's path, or the real path the tree's links led
 * to). `path` and `follow` are as for shim_lookup(); `type` is the
 * function's return type.
 */
#define SHIM_ROUTE(type, path, follow, failed, virtual_answer, real_call)    \
	do {                                                                \
		struct shim_lookup lk;                                      \
		switch (shim_lookup((path), (follow), &lk)) {               \
		case SHIM_VIRT:                                             \
			return virtual_answer;                              \
		case SHIM_ERR:                                              \
			errno = lk.err;                                     \
			return failed;                                      \
		default: {                                                  \
			const char *routed_path = shim_lookup_path(&lk, (path)); \
			type routed_ret = real_call;                        \
			shim_lookup_done(&lk);                              \
			return routed_ret;                                  \
		}                                                           \
		}                                                           \
	} while (0)

/* Device fds (fd.c). */

/* Opens device `index` as a render node fd; -1 and errno on failure. */
int shim_node_open(unsigned int index, int flags);
/*
 * Device index behind fd, or -1 when fd is not a render node of the shim:
 * a number it handed out (or a duplicate of one) that still names the
 * same file, as an fstat shows.
 */
int shim_fd_device(int fd);
/*
 * Makes a real stat of a device fd (the driver's memfd) look like the
 * node; st of any other fd is left as it is.
 */
void shim_fd_stat_fixup(int fd, struct stat *st);

#endif /* MUSA_DRM_SHIM_H */
