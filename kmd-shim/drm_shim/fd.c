/* SPDX-License-Identifier: MIT */
/*
 * fd.c - render-node fds of drm-shim mode: the fd -> device registry, and
 * the close / ioctl / mmap interposers that route such fds to libmusa_kmd.
 *
 * An fd is the driver's own (musa_kmd_open() returns a memfd registered in
 * the driver), so every other syscall on it (fcntl, poll, dup'ed reads)
 * stays a real one. Calls musa_kmd_{open,ioctl,mmap,close} and the real
 * libc functions; never holds fd_lock while calling either.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>

#include "shim.h"
#include "uapi/musa_kmd.h"

static pthread_mutex_t fd_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char *fd_devs;   /* device index + 1, 0 when not ours */
static size_t fd_cap;
/* Lets processes that never open a node skip the lock on every call. */
static atomic_int fd_count;

static int fd_register(int fd, unsigned int index)
{
	int err = 0;

	pthread_mutex_lock(&fd_lock);
	if ((size_t)fd >= fd_cap) {
		size_t cap = fd_cap ? fd_cap : 256;
		unsigned char *n;

		while (cap <= (size_t)fd)
			cap *= 2;
		n = realloc(fd_devs, cap);
		if (!n) {
			err = -ENOMEM;
			goto out;
		}
		memset(n + fd_cap, 0, cap - fd_cap);
		fd_devs = n;
		fd_cap = cap;
	}
	fd_devs[fd] = (unsigned char)(index + 1);
	atomic_fetch_add(&fd_count, 1);
out:
	pthread_mutex_unlock(&fd_lock);
	return err;
}

static bool fd_unregister(int fd)
{
	bool ours = false;

	if (fd < 0 || atomic_load(&fd_count) == 0)
		return false;
	pthread_mutex_lock(&fd_lock);
	if ((size_t)fd < fd_cap && fd_devs[fd]) {
		fd_devs[fd] = 0;
		atomic_fetch_sub(&fd_count, 1);
		ours = true;
	}
	pthread_mutex_unlock(&fd_lock);
	return ours;
}

int shim_fd_device(int fd)
{
	int dev = -1;

	if (fd < 0 || atomic_load(&fd_count) == 0)
		return -1;
	pthread_mutex_lock(&fd_lock);
	if ((size_t)fd < fd_cap && fd_devs[fd])
		dev = fd_devs[fd] - 1;
	pthread_mutex_unlock(&fd_lock);
	return dev;
}

int shim_node_open(unsigned int index, int flags)
{
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
	err = fd_register(fd, index);
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
	int dev = shim_fd_device(fd);

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
	/* Leave the registry first: the number is free again after the close. */
	if (fd_unregister(fd))
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
