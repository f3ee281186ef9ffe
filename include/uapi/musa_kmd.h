/* SPDX-License-Identifier: MIT */
/*
 * musa_kmd.h - the embedded transport of the MUSA kernel-driver shim.
 *
 * libmusa_kmd.so serves the ioctls of musa_drm.h from inside the process.
 * These entry points are the whole door: musa_kmd_open() hands back a
 * real fd (a memfd) registered as device `index`; ioctl, mmap and close
 * behave like ioctl(2), mmap(2) and close(2) on such an fd (-1 and errno on
 * error), and musa_kmd_dup() announces a duplicate of one.
 * A real DRM node is driven the same way through libdrm's drmIoctl().
 *
 * The driver knows an fd by its number and the identity of its memfd: a
 * number the caller closed or reused without musa_kmd_close() is no device
 * fd any more (EBADF), and what its file held is released at the latest on
 * the next musa_kmd_open().
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
/*
 * newfd is a duplicate the caller made of device fd `fd` (dup(2), dup2,
 * dup3, fcntl F_DUPFD): registers it as another fd of the same DRM file,
 * replacing whatever newfd was registered as. 0, or -1 with EBADF when fd
 * is no device fd or newfd does not name fd's file.
 */
int musa_kmd_dup(int fd, int newfd);
/*
 * Closes the fd; everything its DRM file owned is released when the last
 * fd of the file closes. A registered number that names another file now
 * only loses its registration (it stays open): -1 with EBADF.
 */
int musa_kmd_close(int fd);

#if defined(__cplusplus)
}
#endif

#endif /* MUSA_KMD_H */
