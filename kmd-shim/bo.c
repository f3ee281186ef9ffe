/* SPDX-License-Identifier: MIT */
/*
 * bo.c - buffer objects: memfd-backed device memory and userptr wrappers of
 * host memory, their per-fd handles, fake mmap offsets, GEM_CLOSE and the
 * PRIME export/import of a BO as a real fd.
 *
 * Calls device.c (memory accounting) and vm.c (unmap on close).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmd.h"

static uint64_t page_size(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

void kmd_bo_get(struct kmd_bo *bo)
{
	atomic_fetch_add(&bo->refcount, 1);
}

void kmd_bo_put(struct kmd_bo *bo)
{
	if (!bo || atomic_fetch_sub(&bo->refcount, 1) != 1)
		return;
	if (bo->memfd >= 0) {
		close(bo->memfd);
		kmd_device_mem_uncharge(bo->dev, bo->size);
	}
	free(bo);
}

struct kmd_bo *kmd_bo_lookup(struct kmd_file *f, uint32_t handle)
{
	struct kmd_bo *bo = kmd_handle_get(&f->bos, handle);

	if (bo)
		kmd_bo_get(bo);
	return bo;
}

struct kmd_bo *kmd_bo_find_mmap(struct kmd_file *f, uint64_t off, uint64_t len)
{
	for (uint32_t i = 0; i < f->bos.cap; i++) {
		struct kmd_bo *bo = f->bos.slots[i];

		if (!bo || !bo->mmap_offset || off < bo->mmap_offset)
			continue;
		if (off - bo->mmap_offset < bo->size &&
		    len <= bo->size - (off - bo->mmap_offset)) {
			kmd_bo_get(bo);
			return bo;
		}
	}
	return NULL;
}

static int bo_install(struct kmd_file *f, struct kmd_bo *bo, uint32_t *handle)
{
	int ret;

	pthread_mutex_lock(&f->lock);
	ret = kmd_handle_alloc(&f->bos, bo, handle);
	pthread_mutex_unlock(&f->lock);
	return ret;
}

int kmd_ioctl_bo_create(struct kmd_file *f, void *data)
{
	struct drm_musa_bo_create *a = data;
	uint64_t psz = page_size(), size;
	struct kmd_bo *bo;
	int ret;

	if (a->flags)
		return -EINVAL;
	if (a->size == 0 || a->size > UINT64_MAX - psz)
		return a->size ? -ENOMEM : -EINVAL;
	size = (a->size + psz - 1) & ~(psz - 1);
	if (size > f->dev->info.memory_size || size > (uint64_t)INT64_MAX)
		return -ENOMEM;

	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return -ENOMEM;
	atomic_init(&bo->refcount, 1);
	bo->dev = f->dev;
	bo->size = size;
	bo->memfd = -1;
	ret = kmd_device_mem_charge(f->dev, size);
	if (ret)
		goto err_free;
	bo->memfd = memfd_create("musa-bo", MFD_CLOEXEC);
	if (bo->memfd < 0) {
		ret = -errno;
		goto err_uncharge;
	}
	if (ftruncate(bo->memfd, (off_t)size)) {
		ret = -ENOMEM;
		goto err_close;
	}
	ret = bo_install(f, bo, &a->handle);
	if (ret)
		goto err_close;
	return 0;

err_close:
	close(bo->memfd);
err_uncharge:
	kmd_device_mem_uncharge(f->dev, size);
err_free:
	free(bo);
	return ret;
}

int kmd_ioctl_bo_mmap_offset(struct kmd_file *f, void *data)
{
	struct drm_musa_bo_mmap_offset *a = data;
	struct kmd_bo *bo;
	int ret = 0;

	if (a->flags)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	bo = kmd_handle_get(&f->bos, a->handle);
	if (!bo) {
		ret = -ENOENT;
	} else if (bo->memfd < 0) {
		ret = -EINVAL;  /* a userptr BO is host memory already */
	} else {
		if (!bo->mmap_offset)
			bo->mmap_offset = atomic_fetch_add(&f->dev->next_mmap_offset,
							   bo->size + page_size());
		a->offset = bo->mmap_offset;
	}
	pthread_mutex_unlock(&f->lock);
	return ret;
}

/* Whether [start, end) is covered by mappings that allow `need` ("r", "rw"). */
static bool host_range_mapped(uint64_t start, uint64_t end, bool write)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	char line[512];
	uint64_t cur = start;

	if (!maps)
		return false;
	while (cur < end && fgets(line, sizeof(line), maps)) {
		unsigned long long lo, hi;
		char perms[8];

		if (sscanf(line, "%llx-%llx %7s", &lo, &hi, perms) != 3)
			continue;
		if (hi <= cur)
			continue;
		if (lo > cur)
			break;  /* a hole */
		if (perms[0] != 'r' || (write && perms[1] != 'w'))
			break;
		cur = hi;
	}
	fclose(maps);
	return cur >= end;
}

int kmd_ioctl_bo_userptr(struct kmd_file *f, void *data)
{
	struct drm_musa_bo_userptr *a = data;
	uint64_t psz = page_size();
	struct kmd_bo *bo;
	int ret;

	if (a->flags & ~DRM_MUSA_USERPTR_READ_ONLY)
		return -EINVAL;
	if (a->size == 0 || (a->size & (psz - 1)) || (a->user_ptr & (psz - 1)) ||
	    a->user_ptr + a->size < a->user_ptr)
		return -EINVAL;
	if (a->user_ptr == 0 ||
	    !host_range_mapped(a->user_ptr, a->user_ptr + a->size,
			       !(a->flags & DRM_MUSA_USERPTR_READ_ONLY)))
		return -EFAULT;

	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return -ENOMEM;
	atomic_init(&bo->refcount, 1);
	bo->dev = f->dev;
	bo->size = a->size;
	bo->memfd = -1;
	bo->userptr = a->user_ptr;
	bo->flags = a->flags;
	ret = bo_install(f, bo, &a->handle);
	if (ret)
		free(bo);
	return ret;
}

int kmd_ioctl_gem_close(struct kmd_file *f, void *data)
{
	struct drm_gem_close *a = data;
	struct kmd_bo *bo;

	if (a->pad)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	bo = kmd_handle_remove(&f->bos, a->handle);
	if (bo)
		kmd_vm_unmap_bo(f, bo);
	pthread_mutex_unlock(&f->lock);
	if (!bo)
		return -EINVAL;
	kmd_bo_put(bo);
	return 0;
}

void kmd_bo_release_all(struct kmd_file *f)
{
	struct kmd_bo *bo;

	while ((bo = kmd_handle_pop(&f->bos)))
		kmd_bo_put(bo);
}

/* ---- PRIME: a device BO is its memfd, so export is a dup of it ---------------- */

int kmd_ioctl_prime_handle_to_fd(struct kmd_file *f, void *data)
{
	struct drm_prime_handle *a = data;
	struct kmd_bo *bo;
	int fd;

	if (a->flags & ~(uint32_t)(DRM_CLOEXEC | DRM_RDWR))
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	bo = kmd_bo_lookup(f, a->handle);
	pthread_mutex_unlock(&f->lock);
	if (!bo)
		return -ENOENT;
	if (bo->memfd < 0) {
		kmd_bo_put(bo);
		return -EINVAL;
	}
	fd = fcntl(bo->memfd, (a->flags & DRM_CLOEXEC) ? F_DUPFD_CLOEXEC : F_DUPFD, 0);
	kmd_bo_put(bo);
	if (fd < 0)
		return -errno;
	a->fd = fd;
	return 0;
}

/*
 * Import: the same inode as a BO of this fd gives that BO's handle (as the
 * kernel does); any other shareable memfd becomes a new BO of this device.
 * Imported memory is charged to the importing device.
 */
int kmd_ioctl_prime_fd_to_handle(struct kmd_file *f, void *data)
{
	struct drm_prime_handle *a = data;
	struct stat st, bst;
	struct kmd_bo *bo;
	uint64_t psz = page_size();
	int ret;

	if (a->flags)
		return -EINVAL;
	if (fstat(a->fd, &st))
		return -EBADF;
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || ((uint64_t)st.st_size & (psz - 1)))
		return -EINVAL;

	pthread_mutex_lock(&f->lock);
	for (uint32_t i = 0; i < f->bos.cap; i++) {
		bo = f->bos.slots[i];
		if (bo && bo->memfd >= 0 && !fstat(bo->memfd, &bst) &&
		    bst.st_dev == st.st_dev && bst.st_ino == st.st_ino) {
			a->handle = i + 1;
			pthread_mutex_unlock(&f->lock);
			return 0;
		}
	}
	pthread_mutex_unlock(&f->lock);

	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return -ENOMEM;
	atomic_init(&bo->refcount, 1);
	bo->dev = f->dev;
	bo->size = (uint64_t)st.st_size;
	ret = kmd_device_mem_charge(f->dev, bo->size);
	if (ret)
		goto err_free;
	bo->memfd = fcntl(a->fd, F_DUPFD_CLOEXEC, 0);
	if (bo->memfd < 0) {
		ret = -errno;
		goto err_uncharge;
	}
	ret = bo_install(f, bo, &a->handle);
	if (ret)
		goto err_close;
	return 0;

err_close:
	close(bo->memfd);
err_uncharge:
	kmd_device_mem_uncharge(f->dev, bo->size);
err_free:
	free(bo);
	return ret;
}
