/* SPDX-License-Identifier: MIT */
/*
 * dir.c - directory streams of the virtual tree (/dev/dri and the sysfs
 * directories libdrm lists).
 *
 * A virtual directory is snapshotted at opendir() into a shim-owned stream
 * handed out as a DIR *. The stream pointers are kept in a list so the
 * readdir family can tell them from real ones without touching a real
 * DIR's memory. Calls vfs.c and the real functions.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

_Static_assert(sizeof(struct dirent) == sizeof(struct dirent64),
	       "drm-shim supports LP64 Linux only: struct dirent must equal struct dirent64");

struct shim_dir {
	struct shim_dir *next;
	struct dirent *ents;
	size_t n, cap, pos;
};

static pthread_mutex_t dir_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shim_dir *dirs;
/* Lets processes that never list a virtual directory skip the lock. */
static atomic_int ndirs;

static void dir_add_entry(void *ctx, const char *name, ino_t ino, unsigned char type)
{
	struct shim_dir *d = ctx;
	struct dirent *e;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct dirent *n = realloc(d->ents, cap * sizeof(*n));

		if (!n)
			return;  /* a shorter listing beats none */
		d->ents = n;
		d->cap = cap;
	}
	e = &d->ents[d->n];
	memset(e, 0, sizeof(*e));
	e->d_ino = ino;
	e->d_off = (off_t)(d->n + 1);
	e->d_reclen = sizeof(*e);
	e->d_type = type;
	snprintf(e->d_name, sizeof(e->d_name), "%s", name);
	d->n++;
}

/* The stream behind p when it is one of ours, else NULL. */
static struct shim_dir *dir_find(DIR *p)
{
	struct shim_dir *d;

	if (atomic_load(&ndirs) == 0)
		return NULL;
	pthread_mutex_lock(&dir_lock);
	for (d = dirs; d && (DIR *)d != p; d = d->next)
		;
	pthread_mutex_unlock(&dir_lock);
	return d;
}

static DIR *dir_open_virtual(const struct shim_vnode *n)
{
	struct shim_dir *d;

	if (n->type != SHIM_V_DIR) {
		errno = ENOTDIR;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	shim_vdir_list(n, dir_add_entry, d);
	pthread_mutex_lock(&dir_lock);
	d->next = dirs;
	dirs = d;
	atomic_fetch_add(&ndirs, 1);
	pthread_mutex_unlock(&dir_lock);
	return (DIR *)d;
}

SHIM_EXPORT DIR *opendir(const char *path)
{
	SHIM_ROUTE(DIR *, path, true, NULL, dir_open_virtual(lk.node), REAL(opendir)(routed_path));
}

SHIM_EXPORT int closedir(DIR *p)
{
	struct shim_dir *d = dir_find(p), **pp;

	if (!d)
		return REAL(closedir)(p);
	pthread_mutex_lock(&dir_lock);
	for (pp = &dirs; *pp; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			atomic_fetch_sub(&ndirs, 1);
			break;
		}
	}
	pthread_mutex_unlock(&dir_lock);
	free(d->ents);
	free(d);
	return 0;
}

/* The stream's next entry, or NULL at its end. */
static struct dirent *dir_next(struct shim_dir *d)
{
	return d->pos < d->n ? &d->ents[d->pos++] : NULL;
}

SHIM_EXPORT struct dirent *readdir(DIR *p)
{
	struct shim_dir *d = dir_find(p);

	if (!d)
		return REAL(readdir)(p);
	return dir_next(d);
}

SHIM_EXPORT struct dirent64 *readdir64(DIR *p)
{
	struct shim_dir *d = dir_find(p);

	if (!d)
		return REAL(readdir64)(p);
	return (struct dirent64 *)dir_next(d);
}

/* readdir_r of a virtual stream: the next entry copied into *entry. */
static int dir_next_r(struct shim_dir *d, struct dirent *entry, struct dirent **result)
{
	struct dirent *e = dir_next(d);

	if (e)
		*entry = *e;
	*result = e ? entry : NULL;
	return 0;
}

/* readdir_r is deprecated in the headers; its type is spelled out here. */
typedef int readdir_r_fn(DIR *, struct dirent *, struct dirent **);
typedef int readdir64_r_fn(DIR *, struct dirent64 *, struct dirent64 **);

SHIM_EXPORT int readdir_r(DIR *p, struct dirent *entry, struct dirent **result)
{
	struct shim_dir *d = dir_find(p);

	if (!d)
		return ((readdir_r_fn *)shim_real(SHIM_REAL_ID_readdir_r))(p, entry, result);
	return dir_next_r(d, entry, result);
}

SHIM_EXPORT int readdir64_r(DIR *p, struct dirent64 *entry, struct dirent64 **result)
{
	struct shim_dir *d = dir_find(p);

	if (!d)
		return ((readdir64_r_fn *)shim_real(SHIM_REAL_ID_readdir64_r))(p, entry, result);
	return dir_next_r(d, (struct dirent *)entry, (struct dirent **)result);
}

SHIM_EXPORT void rewinddir(DIR *p)
{
	struct shim_dir *d = dir_find(p);

	if (!d) {
		REAL(rewinddir)(p);
		return;
	}
	d->pos = 0;
}

SHIM_EXPORT long telldir(DIR *p)
{
	struct shim_dir *d = dir_find(p);

	if (!d)
		return REAL(telldir)(p);
	return (long)d->pos;
}

SHIM_EXPORT void seekdir(DIR *p, long pos)
{
	struct shim_dir *d = dir_find(p);

	if (!d) {
		REAL(seekdir)(p, pos);
		return;
	}
	if (pos >= 0 && (size_t)pos <= d->n)
		d->pos = (size_t)pos;
}

/* There is no real directory behind a virtual stream to give an fd of. */
SHIM_EXPORT int dirfd(DIR *p)
{
	if (!dir_find(p))
		return REAL(dirfd)(p);
	errno = ENOTSUP;
	return -1;
}
