/* SPDX-License-Identifier: MIT */
/*
 * musa_kmd.h - the embedded transport of the MUSA kernel-driver shim.
 *
 * libmusa_kmd.so serves the ioctls of musa_drm.h from inside the process.
 * These four entry points are the whole door: musa_kmd_open() hands back a
 * real fd (a memfd) registered as device `index`; the other three behave
 * like ioctl(2), mmap(2) and close(2) on such an fd (-1 and errno on error).
 * A real DRM node is driven the same way through libdrm's drmIoctl().
 */
#ifndef MUSA_KMD_H
#define MUSA_KMD_H

#include <stddef.h>
#include <sys/types.h>

#if defined(__cplusplus)
extern "C" {
#endif

/* Opens software device `index`; returns an fd, or -1 with errno ENODEV
 * when there is no such device. flags: O_CLOEXEC or 0. */
int musa_kmd_open(unsigned int index, int flags);
/* ioctl(2) on an fd from musa_kmd_open(): 0, or -1 with errno set. */
int musa_kmd_ioctl(int fd, unsigned long request, void *arg);
/* mmap(2) of a BO through an offset from DRM_IOCTL_MUSA_BO_MMAP_OFFSET. */
void *musa_kmd_mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
/* Closes the fd and releases everything it owned. */
int musa_kmd_close(int fd);

#if defined(__cplusplus)
}
#endif

#endif /* MUSA_KMD_H */
