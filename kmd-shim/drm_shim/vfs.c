/* SPDX-License-Identifier: MIT */
/*
 * vfs.c - the virtual tree of drm-shim mode and path lookup in it.
 *
 * For software device i (minor m = 128 + i) the tree is laid out as the
 * kernel lays out a platform device with a DRM render node, because that is
 * what libdrm's drmGetDevices2() walks:
 *
 *   /dev/dri/renderD<m>                          char 226:m
 *   /sys/dev/char/226:<m> -> ../../devices/platform/musa.<i>/drm/renderD<m>
 *   /sys/devices/platform/musa.<i>/uevent        OF_FULLNAME, OF_COMPATIBLE_*
 *   /sys/devices/platform/musa.<i>/subsystem -> ../../../bus/platform
 *   /sys/devices/platform/musa.<i>/drm/renderD<m>/{dev,uevent,subsystem,device}
 *
 * The shim owns /dev/dri entirely (a real one is hidden): the nodes there
 * are exactly the devices libmusa_kmd serves. The device count is learnt
 * once, on the first lookup that touches the tree, by opening devices until
 * musa_kmd_open() answers ENODEV. Links are resolved during the walk;
 * one that leaves the tree (subsystem -> /sys/bus/platform) turns into a
 * real path for the real function. Calls libmusa_kmd's open/close only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <limits.h>
#include <unistd.h>

#include "shim.h"
#include "uapi/musa_kmd.h"

#define VFS_INO_BASE   0x4d555341u  /* "MUSA": far from small real inodes */
#define VFS_MAX_LINKS  8

static pthread_once_t vfs_once = PTHREAD_ONCE_INIT;
static struct shim_vnode *vnodes;
static size_t nvnodes, vnodes_cap;
static struct timespec vfs_time;

static struct shim_vnode *vfs_add(enum shim_vtype type, const char *path)
{
	struct shim_vnode *n;

	if (nvnodes == vnodes_cap) {
		size_t cap = vnodes_cap ? vnodes_cap * 2 : 32;
		struct shim_vnode *v = realloc(vnodes, cap * sizeof(*v));

		if (!v)
			return NULL;
		vnodes = v;
		vnodes_cap = cap;
	}
	n = &vnodes[nvnodes];
	memset(n, 0, sizeof(*n));
	snprintf(n->path, sizeof(n->path), "%s", path);
	n->type = type;
	n->ino = VFS_INO_BASE + nvnodes;
	nvnodes++;
	return n;
}

/* Contents and link targets live as long as the process: never freed. */
static int vfs_addf(enum shim_vtype type, const char *data, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int vfs_addf(enum shim_vtype type, const char *data, const char *fmt, ...)
{
	char path[sizeof(((struct shim_vnode *)0)->path)];
	struct shim_vnode *n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	n = vfs_add(type, path);
	if (!n)
		return -ENOMEM;
	if (data) {
		n->data = strdup(data);
		if (!n->data) {
			nvnodes--;
			return -ENOMEM;
		}
		n->len = strlen(data);
	}
	return 0;
}

static int vfs_add_device(unsigned int i)
{
	unsigned int m = SHIM_RENDER_MINOR0 + i;
	char dev[32], node_uevent[160], dev_uevent[320], link[96];
	const char *p = "/sys/devices/platform";
	int err = 0;

	snprintf(dev, sizeof(dev), "%d:%u\n", SHIM_DRM_MAJOR, m);
	snprintf(node_uevent, sizeof(node_uevent),
		 "MAJOR=%d\nMINOR=%u\nDEVNAME=dri/renderD%u\nDEVTYPE=drm_minor\n",
		 SHIM_DRM_MAJOR, m, m);
	/* libdrm takes the platform bus id from OF_FULLNAME: one per device. */
	snprintf(dev_uevent, sizeof(dev_uevent),
		 "DRIVER=musa\nOF_NAME=musa\nOF_FULLNAME=/musa@%u\n"
		 "OF_COMPATIBLE_0=mthreads,musa-swdev\nOF_COMPATIBLE_N=1\n"
		 "MODALIAS=of:NmusaT(null)Cmthreads,musa-swdev\n", i);
	snprintf(link, sizeof(link), "../../devices/platform/musa.%u/drm/renderD%u", i, m);

	err |= vfs_addf(SHIM_V_CHR, NULL, "/dev/dri/renderD%u", m);
	if (!err)
		vnodes[nvnodes - 1].device = i;
	err |= vfs_addf(SHIM_V_LINK, link, "/sys/dev/char/%d:%u", SHIM_DRM_MAJOR, m);
	err |= vfs_addf(SHIM_V_DIR, NULL, "%s/musa.%u", p, i);
	err |= vfs_addf(SHIM_V_FILE, dev_uevent, "%s/musa.%u/uevent", p, i);
	err |= vfs_addf(SHIM_V_LINK, "../../../bus/platform", "%s/musa.%u/subsystem", p, i);
	err |= vfs_addf(SHIM_V_DIR, NULL, "%s/musa.%u/drm", p, i);
	err |= vfs_addf(SHIM_V_DIR, NULL, "%s/musa.%u/drm/renderD%u", p, i, m);
	err |= vfs_addf(SHIM_V_FILE, dev, "%s/musa.%u/drm/renderD%u/dev", p, i, m);
	err |= vfs_addf(SHIM_V_FILE, node_uevent, "%s/musa.%u/drm/renderD%u/uevent", p, i, m);
	err |= vfs_addf(SHIM_V_LINK, "../../../../../class/drm",
			"%s/musa.%u/drm/renderD%u/subsystem", p, i, m);
	err |= vfs_addf(SHIM_V_LINK, NULL, "%s/musa.%u/drm/renderD%u/device", p, i, m);
	if (!err) {
		struct shim_vnode *n = &vnodes[nvnodes - 1];

		snprintf(link, sizeof(link), "../../../musa.%u", i);
		n->data = strdup(link);
		n->len = n->data ? strlen(link) : 0;
		err = n->data ? 0 : -ENOMEM;
	}
	return err;
}

static void vfs_init(void)
{
	unsigned int count = 0;

	clock_gettime(CLOCK_REALTIME, &vfs_time);
	/* The devices that exist are the ones the driver lets us open. */
	while (count < SHIM_MAX_DEVICES) {
		int fd = musa_kmd_open(count, O_CLOEXEC);

		if (fd < 0)
			break;
		musa_kmd_close(fd);
		count++;
	}
	if (vfs_addf(SHIM_V_DIR, NULL, "/dev/dri"))
		return;
	for (unsigned int i = 0; i < count; i++) {
		if (vfs_add_device(i)) {
			shim_log("out of memory describing device %u", i);
			break;
		}
	}
	shim_log("%u render node(s) from /dev/dri/renderD%d", count, SHIM_RENDER_MINOR0);
}

static const struct shim_vnode *vfs_find(const char *path)
{
	for (size_t i = 0; i < nvnodes; i++)
		if (strcmp(vnodes[i].path, path) == 0)
			return &vnodes[i];
	return NULL;
}

/*
 * Lexical normalisation of an absolute path into out (PATH_MAX): repeated
 * slashes, "." and ".." are folded. Only paths that enter the tree are
 * looked up this way, and the tree has no real links above it.
 */
static int path_normalize(const char *in, char *out)
{
	size_t o = 0;

	out[0] = '\0';
	while (*in) {
		const char *s, *e;
		size_t len;

		while (*in == '/')
			in++;
		s = in;
		while (*in && *in != '/')
			in++;
		e = in;
		len = (size_t)(e - s);
		if (len == 0 || (len == 1 && s[0] == '.'))
			continue;
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			out[o] = '\0';
			continue;
		}
		if (o + 1 + len + 1 > PATH_MAX)
			return -ENAMETOOLONG;
		out[o++] = '/';
		memcpy(out + o, s, len);
		o += len;
		out[o] = '\0';
	}
	if (o == 0) {
		out[0] = '/';
		out[1] = '\0';
	}
	return 0;
}

static bool has_prefix(const char *p, const char *prefix)
{
	return strncmp(p, prefix, strlen(prefix)) == 0;
}

/* The roots of the tree: anything else never needs the device probe. */
static bool path_may_be_ours(const char *p)
{
	return (has_prefix(p, "/dev/dri") && (p[8] == '\0' || p[8] == '/')) ||
	       has_prefix(p, "/sys/dev/char/226:") ||
	       has_prefix(p, "/sys/devices/platform/musa.");
}

static enum shim_kind lookup_err(struct shim_lookup *lk, int err)
{
	lk->kind = SHIM_ERR;
	lk->err = err;
	return SHIM_ERR;
}

/* Walks the normalised path p (PATH_MAX buffer, rewritten in place). */
static enum shim_kind vfs_walk(char *p, bool follow, struct shim_lookup *lk)
{
	char tmp[PATH_MAX];

	for (int links = 0; links <= VFS_MAX_LINKS; links++) {
		const struct shim_vnode *parent = NULL;
		size_t end = 0;
		bool restarted = false;

		while (p[end] && !restarted) {
			const struct shim_vnode *n;
			size_t e = end + 1;
			bool last;
			char save;

			while (p[e] && p[e] != '/')
				e++;
			save = p[e];
			p[e] = '\0';
			n = vfs_find(p);
			p[e] = save;
			last = save == '\0';
			if (!n) {
				/* A virtual directory holds nothing but its nodes. */
				if (parent)
					return lookup_err(lk, ENOENT);
				end = e;
				continue;
			}
			if (n->type == SHIM_V_LINK && (!last || follow)) {
				int len = snprintf(tmp, sizeof(tmp), "%.*s/%s%s", (int)end, p,
						   n->data, p + e);

				if (len < 0 || (size_t)len >= sizeof(tmp) ||
				    path_normalize(tmp, p))
					return lookup_err(lk, ENAMETOOLONG);
				restarted = true;
				break;
			}
			if (last) {
				lk->kind = SHIM_VIRT;
				lk->node = n;
				return SHIM_VIRT;
			}
			if (n->type != SHIM_V_DIR)
				return lookup_err(lk, ENOTDIR);
			parent = n;
			end = e;
		}
		if (restarted)
			continue;
		if (links == 0) {
			lk->kind = SHIM_PASS;
			return SHIM_PASS;
		}
		lk->real_path = strdup(p);
		if (!lk->real_path)
			return lookup_err(lk, ENOMEM);
		lk->kind = SHIM_REAL;
		return SHIM_REAL;
	}
	return lookup_err(lk, ELOOP);
}

static __attribute__((noinline)) enum shim_kind
lookup_slow(const char *path, bool follow, struct shim_lookup *lk)
{
	size_t len = strlen(path);
	/* "dir/" names the directory a final link points to, or fails. */
	bool slash = len > 1 && path[len - 1] == '/';
	char p[PATH_MAX];
	int saved = errno;
	enum shim_kind kind;

	if (path_normalize(path, p) || !path_may_be_ours(p))
		return SHIM_PASS;
	pthread_once(&vfs_once, vfs_init);
	kind = vfs_walk(p, follow || slash, lk);
	if (slash && kind == SHIM_VIRT && lk->node->type != SHIM_V_DIR) {
		kind = lookup_err(lk, ENOTDIR);
	} else if (slash && kind == SHIM_REAL) {
		char *r = realloc(lk->real_path, strlen(lk->real_path) + 2);

		if (r) {
			strcat(r, "/");
			lk->real_path = r;
		}
	}
	errno = saved;
	return kind;
}

enum shim_kind shim_lookup(const char *path, bool follow, struct shim_lookup *lk)
{
	/* libc declares most path arguments nonnull; keep the NULL check. */
	__asm__("" : "+r"(path));
	lk->kind = SHIM_PASS;
	lk->node = NULL;
	lk->real_path = NULL;
	lk->err = 0;
	if (!path || path[0] != '/')
		return SHIM_PASS;
	/* Cheap filter first: every path of the process comes through here. */
	if (path[1] != '/' && strncmp(path + 1, "dev", 3) != 0 &&
	    strncmp(path + 1, "sys", 3) != 0)
		return SHIM_PASS;
	return lookup_slow(path, follow, lk);
}

const char *shim_lookup_path(const struct shim_lookup *lk, const char *path)
{
	return lk->kind == SHIM_REAL ? lk->real_path : path;
}

void shim_lookup_done(struct shim_lookup *lk)
{
	int saved = errno;

	free(lk->real_path);
	lk->real_path = NULL;
	errno = saved;
}

/* What a node of each type looks like to stat, access and readdir. */
static const struct vnode_type {
	mode_t mode;
	nlink_t nlink;
	int access;  /* the access() modes granted */
	unsigned char dirent_type;
} vnode_types[] = {
	[SHIM_V_DIR]  = { S_IFDIR | 0755, 2, R_OK | X_OK, DT_DIR },
	[SHIM_V_FILE] = { S_IFREG | 0444, 1, R_OK,        DT_REG },
	[SHIM_V_LINK] = { S_IFLNK | 0777, 1, R_OK | X_OK, DT_LNK },
	[SHIM_V_CHR]  = { S_IFCHR | 0666, 1, R_OK | W_OK, DT_CHR },
};

void shim_vnode_stat(const struct shim_vnode *n, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = n->ino;
	st->st_mode = vnode_types[n->type].mode;
	st->st_nlink = vnode_types[n->type].nlink;
	st->st_blksize = 4096;
	st->st_atim = vfs_time;
	st->st_mtim = vfs_time;
	st->st_ctim = vfs_time;
	/* /dev/dri lives on devtmpfs, the rest of the tree on sysfs. */
	st->st_dev = n->type == SHIM_V_CHR || n->path[1] == 'd' ? makedev(0, 5) : makedev(0, 22);
	if (n->type == SHIM_V_FILE)
		st->st_size = 4096;  /* sysfs attributes report a page, whatever they hold */
	else if (n->type == SHIM_V_LINK)
		st->st_size = (off_t)n->len;
	else if (n->type == SHIM_V_CHR)
		st->st_rdev = makedev(SHIM_DRM_MAJOR, SHIM_RENDER_MINOR0 + n->device);
}

int shim_vnode_access(const struct shim_vnode *n, int mode)
{
	if (mode == F_OK)
		return 0;
	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	return (mode & ~vnode_types[n->type].access) ? -EACCES : 0;
}

void shim_vdir_list(const struct shim_vnode *dir,
		    void (*fn)(void *ctx, const char *name, ino_t ino, unsigned char type),
		    void *ctx)
{
	size_t len = strlen(dir->path);

	fn(ctx, ".", dir->ino, DT_DIR);
	fn(ctx, "..", 1, DT_DIR);
	for (size_t i = 0; i < nvnodes; i++) {
		const struct shim_vnode *n = &vnodes[i];

		if (strncmp(n->path, dir->path, len) == 0 && n->path[len] == '/' &&
		    !strchr(n->path + len + 1, '/'))
			fn(ctx, n->path + len + 1, n->ino, vnode_types[n->type].dirent_type);
	}
}

void shim_stat_to_statx(const struct stat *st, struct statx *stx)
{
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS;
	stx->stx_blksize = (__u32)st->st_blksize;
	stx->stx_nlink = (__u32)st->st_nlink;
	stx->stx_uid = st->st_uid;
	stx->stx_gid = st->st_gid;
	stx->stx_mode = (__u16)st->st_mode;
	stx->stx_ino = st->st_ino;
	stx->stx_size = (__u64)st->st_size;
	stx->stx_blocks = (__u64)st->st_blocks;
	stx->stx_atime.tv_sec = st->st_atim.tv_sec;
	stx->stx_atime.tv_nsec = (__u32)st->st_atim.tv_nsec;
	stx->stx_mtime.tv_sec = st->st_mtim.tv_sec;
	stx->stx_mtime.tv_nsec = (__u32)st->st_mtim.tv_nsec;
	stx->stx_ctime.tv_sec = st->st_ctim.tv_sec;
	stx->stx_ctime.tv_nsec = (__u32)st->st_ctim.tv_nsec;
	stx->stx_rdev_major = major(st->st_rdev);
	stx->stx_rdev_minor = minor(st->st_rdev);
	stx->stx_dev_major = major(st->st_dev);
	stx->stx_dev_minor = minor(st->st_dev);
}
