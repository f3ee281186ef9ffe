/* SPDX-License-Identifier: MIT */
/*
 * fd.c - render-node fds of drm-shim mode: the fd -> device table, and
 * the close / ioctl / mmap / dup / fcntl / close_range interposers that
 * route such fds to libmusa_kmd.
 *
 * An fd is the driver's own (musa_kmd_open() returns a memfd registered in
 * the driver), so every other syscall on it (poll, reads) stays a real
 * one. A duplicate (dup, dup2, dup3, fcntl F_DUPFD[_CLOEXEC]) is the same
 * open file, so it is announced to the driver as another fd of the same
 * DRM file; the file goes when its last fd closes. Calls
 * musa_kmd_{open,ioctl,mmap,dup,close} and the real libc functions; never
 * holds fd_lock while calling either.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "shim.h"
#include "uapi/musa_kmd.h"

/*
 * An entry says "this number was handed out as a render node whose
 * file is (dev, ino)". The process can close or reuse a number without a
 * call the shim sees (close_range or dup2 as raw syscalls, fclose of an
 * fdopen stream, which closes inside libc), so an entry is believed only
 * after an fstat of the fd shows that identity; a number that names
 * another file loses its entry, here and in the driver.
 */
struct fd_entry {
	dev_t dev;
	ino_t ino;
	unsigned char device;  /* device index + 1, 0 when not ours */
};

static pthread_mutex_t fd_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fd_entry *fd_tab;
static size_t fd_cap;
/* Lets processes that never open a node skip the lock on every call. */
static atomic_int fd_count;

static int fd_enter(int fd, unsigned int index, dev_t dev, ino_t ino)
{
	int err = 0;

	pthread_mutex_lock(&fd_lock);
	if ((size_t)fd >= fd_cap) {
		size_t cap = fd_cap ? fd_cap : 256;
		struct fd_entry *n;

		while (cap <= (size_t)fd)
			cap *= 2;
		n = realloc(fd_tab, cap * sizeof(*n));
		if (!n) {
			err = -ENOMEM;
			goto out;
		}
		memset(n + fd_cap, 0, (cap - fd_cap) * sizeof(*n));
		fd_tab = n;
		fd_cap = cap;
	}
	if (!fd_tab[fd].device)
		atomic_fetch_add(&fd_count, 1);
	fd_tab[fd] = (struct fd_entry){ .dev = dev, .ino = ino, .device = (unsigned char)(index + 1) };
out:
	pthread_mutex_unlock(&fd_lock);
	return err;
}

static bool fd_lookup(int fd, struct fd_entry *e)
{
	bool found = false;

	if (fd < 0 || atomic_load(&fd_count) == 0)
		return false;
	pthread_mutex_lock(&fd_lock);
	if ((size_t)fd < fd_cap && fd_tab[fd].device) {
		*e = fd_tab[fd];
		found = true;
	}
	pthread_mutex_unlock(&fd_lock);
	return found;
}

/* Removes fd's entry if it is still e (another thread may have replaced it). */
static bool fd_clear_if(int fd, const struct fd_entry *e)
{
	bool cleared = false;

	pthread_mutex_lock(&fd_lock);
	if ((size_t)fd < fd_cap && fd_tab[fd].device == e->device && fd_tab[fd].dev == e->dev &&
	    fd_tab[fd].ino == e->ino) {
		fd_tab[fd].device = 0;
		atomic_fetch_sub(&fd_count, 1);
		cleared = true;
	}
	pthread_mutex_unlock(&fd_lock);
	return cleared;
}

/*
 * The device index behind fd, or -1 when fd is not (any more) a render
 * node fd of the shim. `known` is a real fstat of fd the caller already
 * has, or NULL. With `take`, a matching entry is removed (close). Leaves
 * errno alone.
 */
static int fd_check(int fd, const struct stat *known, bool take, struct fd_entry *out)
{
	struct fd_entry e;
	struct stat st;
	int saved, ret;

	if (!fd_lookup(fd, &e))
		return -1;
	saved = errno;
	ret = known ? 0 : REAL(fstat)(fd, &st);
	if (known)
		st = *known;
	/* Still the entry's file; or fstat could not look (ENOMEM): trusted this once. */
	if (ret == 0 ? st.st_dev == e.dev && st.st_ino == e.ino : errno != EBADF) {
		errno = saved;
		if (out)
			*out = e;
		if (take && !fd_clear_if(fd, &e))
			return -1;
		return e.device - 1;
	}
	/*
	 * Closed or reused behind our back. When the number names another
	 * file now, no open can take it meanwhile: tell the driver to drop
	 * its entry (it checks the identity too, and leaves the fd open).
	 * A free number is left to the driver's own check, as a concurrent
	 * open may be registering it right now.
	 */
	if (fd_clear_if(fd, &e)) {
		shim_log("fd %d no longer names renderD%u: forgotten", fd,
			 SHIM_RENDER_MINOR0 + e.device - 1);
		if (ret == 0)
			musa_kmd_close(fd);
	}
	errno = saved;
	return -1;
}

int shim_fd_device(int fd)
{
	return fd_check(fd, NULL, false, NULL);
}

int shim_node_open(unsigned int index, int flags)
{
	struct stat st;
	int fd, err;

	if (flags & O_DIRECTORY) {
		errno = ENOTDIR;
		return -1;
	}
	if ((flags & O_CREAT) && (flags & O_EXCL)) {
		errno = EEXIST;
		return -1;
	}
	fd = musa_kmd_open(index, flags & O_CLOEXEC);
	if (fd < 0)
		return -1;
	err = REAL(fstat)(fd, &st) ? -errno : fd_enter(fd, index, st.st_dev, st.st_ino);
	if (err) {
		musa_kmd_close(fd);
		errno = -err;
		return -1;
	}
	shim_log("renderD%u opened as fd %d", SHIM_RENDER_MINOR0 + index, fd);
	return fd;
}

void shim_fd_stat_fixup(int fd, struct stat *st)
{
	int dev = fd_check(fd, st, false, NULL);

	if (dev < 0)
		return;
	st->st_mode = S_IFCHR | 0666;
	st->st_rdev = makedev(SHIM_DRM_MAJOR, SHIM_RENDER_MINOR0 + (unsigned int)dev);
	st->st_size = 0;
	st->st_blocks = 0;
	st->st_dev = makedev(0, 5);
}

SHIM_EXPORT int close(int fd)
{
	/* Leave the table first: the number is free again after the close. */
	if (fd_check(fd, NULL, true, NULL) >= 0)
		return musa_kmd_close(fd);
	return REAL(close)(fd);
}

SHIM_EXPORT int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (shim_fd_device(fd) >= 0)
		return musa_kmd_ioctl(fd, request, arg);
	return REAL(ioctl)(fd, request, arg);
}

SHIM_EXPORT void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	if (shim_fd_device(fd) >= 0)
		return musa_kmd_mmap(addr, length, prot, flags, fd, offset);
	return REAL(mmap)(addr, length, prot, flags, fd, offset);
}

SHIM_EXPORT void *mmap64(void *addr, size_t length, int prot, int flags, int fd, off64_t offset)
{
	if (shim_fd_device(fd) >= 0)
		return musa_kmd_mmap(addr, length, prot, flags, fd, (off_t)offset);
	return REAL(mmap64)(addr, length, prot, flags, fd, offset);
}

/*
 * Finishes a real dup of oldfd that gave newfd (-1: it failed, and there
 * is nothing to do) and returns newfd. newfd is the same open file as
 * oldfd: when oldfd was a render node (`dev` from fd_check() before the
 * dup, `e` its entry), newfd becomes another fd of the same DRM file, in
 * the driver and here; otherwise whatever newfd was registered as before
 * is gone (dup2 and dup3 close it) and loses its entry.
 */
static int dup_done(int oldfd, int newfd, int dev, const struct fd_entry *e)
{
	int saved = errno;

	if (newfd < 0 || newfd == oldfd)
		return newfd;
	if (dev >= 0 && musa_kmd_dup(oldfd, newfd) == 0 &&
	    fd_enter(newfd, (unsigned int)dev, e->dev, e->ino) == 0) {
		shim_log("fd %d is a duplicate of renderD%u fd %d", newfd,
			 SHIM_RENDER_MINOR0 + (unsigned int)dev, oldfd);
	} else {
		fd_check(newfd, NULL, false, NULL);
	}
	errno = saved;
	return newfd;
}

SHIM_EXPORT int dup(int oldfd)
{
	struct fd_entry e;
	int dev = fd_check(oldfd, NULL, false, &e);

	return dup_done(oldfd, REAL(dup)(oldfd), dev, &e);
}

SHIM_EXPORT int dup2(int oldfd, int newfd)
{
	struct fd_entry e;
	int dev = fd_check(oldfd, NULL, false, &e);

	return dup_done(oldfd, REAL(dup2)(oldfd, newfd), dev, &e);
}

SHIM_EXPORT int dup3(int oldfd, int newfd, int flags)
{
	struct fd_entry e;
	int dev = fd_check(oldfd, NULL, false, &e);

	return dup_done(oldfd, REAL(dup3)(oldfd, newfd, flags), dev, &e);
}

/* fcntl and fcntl64 differ only in the real function they reach. */
#define DEFINE_FCNTL(name)                                                      \
	SHIM_EXPORT int name(int fd, int cmd, ...)                              \
	{                                                                       \
		struct fd_entry e;                                              \
		va_list ap;                                                     \
		void *arg;                                                      \
		int dev;                                                        \
									        \
		/* As libc: the argument is read as a word for every cmd. */    \
		va_start(ap, cmd);                                              \
		arg = va_arg(ap, void *);                                       \
		va_end(ap);                                                     \
		if (cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC)                   \
			return REAL(name)(fd, cmd, arg);                        \
		dev = fd_check(fd, NULL, false, &e);                            \
		return dup_done(fd, REAL(name)(fd, cmd, arg), dev, &e);         \
	}

DEFINE_FCNTL(fcntl)
DEFINE_FCNTL(fcntl64)

/*
 * Closes the render-node fds in [first, last] through the driver, so their
 * files are released as by close(); the real call then closes the rest.
 */
static void close_devices(unsigned int first, unsigned int last)
{
	size_t cap;

	if (atomic_load(&fd_count) == 0)
		return;
	pthread_mutex_lock(&fd_lock);
	cap = fd_cap;
	pthread_mutex_unlock(&fd_lock);
	for (size_t fd = first; fd < cap && fd <= last && fd <= INT_MAX; fd++)
		if (fd_check((int)fd, NULL, true, NULL) >= 0)
			musa_kmd_close((int)fd);
}

SHIM_EXPORT int close_range(unsigned int first, unsigned int last, int flags)
{
	/*
	 * CLOSE_RANGE_CLOEXEC closes nothing now; bad flags or an empty
	 * range close nothing either. CLOSE_RANGE_UNSHARE is taken to close
	 * for every thread (it is used in a child about to exec).
	 */
	if ((flags & ~CLOSE_RANGE_UNSHARE) == 0 && first <= last)
		close_devices(first, last);
	return REAL(close_range)(first, last, flags);
}

SHIM_EXPORT void closefrom(int lowfd)
{
	if (lowfd >= 0)
		close_devices((unsigned int)lowfd, INT_MAX);
	REAL(closefrom)(lowfd);
}
