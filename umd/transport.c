/* SPDX-License-Identifier: MIT */
/*
 * transport.c - the one door from libmusa to a device.
 *
 * Owns opening a device fd and issuing every ioctl/mmap/close on it. The
 * default door is the embedded kmd shim (musa_kmd_* of uapi/musa_kmd.h);
 * when MUSA_DRM_NODE names a DRM node, that node is device 0 and requests go
 * through libdrm's drmIoctl and the plain syscalls. The choice is made once
 * per fd, as a table of function pointers. May call: libdrm, libc, musa_kmd_*.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "uapi/musa_kmd.h"
#include "umd.h"

struct umd_tr_ops {
	int (*ioctl)(int fd, unsigned long req, void *arg);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd, off_t off);
	int (*close)(int fd);
};

static int umd_kmd_ioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = musa_kmd_ioctl(fd, req, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret;
}

static const struct umd_tr_ops umd_tr_embedded = {
	.ioctl = umd_kmd_ioctl,
	.mmap = musa_kmd_mmap,
	.close = musa_kmd_close,
};

static const struct umd_tr_ops umd_tr_drm = {
	.ioctl = drmIoctl,
	.mmap = mmap,
	.close = close,
};

int umd_tr_open(unsigned int index, struct umd_tr *tr)
{
	const char *node = getenv("MUSA_DRM_NODE");
	int fd;

	if (node && *node) {
		if (index > 0)
			return -ENODEV;
		fd = open(node, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return errno == ENOENT ? -ENODEV : -errno;
		tr->fd = fd;
		tr->ops = &umd_tr_drm;
		return 0;
	}
	fd = musa_kmd_open(index, O_CLOEXEC);
	if (fd < 0)
		return errno ? -errno : -ENODEV;
	tr->fd = fd;
	tr->ops = &umd_tr_embedded;
	return 0;
}

int umd_tr_ioctl(const struct umd_tr *tr, unsigned long req, void *arg)
{
	if (tr->ops->ioctl(tr->fd, req, arg) == 0)
		return 0;
	return errno ? -errno : -EIO;
}

void *umd_tr_mmap(const struct umd_tr *tr, size_t len, int prot, uint64_t offset)
{
	void *p = tr->ops->mmap(NULL, len, prot, MAP_SHARED, tr->fd, (off_t)offset);

	return p == MAP_FAILED ? NULL : p;
}

void umd_tr_close(struct umd_tr *tr)
{
	if (tr->fd >= 0)
		tr->ops->close(tr->fd);
	tr->fd = -1;
}
