/* SPDX-License-Identifier: MIT */
/*
 * bo.c - buffer objects of a context: device BOs (BO_CREATE + VM_MAP, with
 * an optional CPU mapping through BO_MMAP_OFFSET) and transient userptr BOs
 * that let the copy engine reach pageable host memory.
 * May call: transport.c.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "umd.h"

static void umd_gem_close(MUcontext ctx, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	umd_tr_ioctl(&ctx->tr, DRM_IOCTL_GEM_CLOSE, &c);
}

int umd_bo_create(MUcontext ctx, uint64_t size, int cpu, struct umd_bo *bo)
{
	struct drm_musa_bo_create c = { .size = size };
	struct drm_musa_vm_map m = { 0 };
	struct drm_musa_bo_mmap_offset o = { 0 };
	int ret;

	bo->cpu = NULL;
	ret = umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_BO_CREATE, &c);
	if (ret)
		return ret;
	bo->handle = c.handle;
	bo->size = size;
	m.handle = c.handle;
	ret = umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_VM_MAP, &m);
	if (ret)
		goto err_close;
	bo->va = m.va;
	if (cpu) {
		o.handle = c.handle;
		ret = umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &o);
		if (ret)
			goto err_unmap;
		bo->cpu = umd_tr_mmap(&ctx->tr, size, PROT_READ | PROT_WRITE, o.offset);
		if (!bo->cpu) {
			ret = -ENOMEM;
			goto err_unmap;
		}
	}
	return 0;

err_unmap:
	{
		struct drm_musa_vm_unmap u = { .handle = c.handle, .va = m.va };

		umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_VM_UNMAP, &u);
	}
err_close:
	umd_gem_close(ctx, c.handle);
	return ret;
}

int umd_bo_userptr(MUcontext ctx, const void *host, size_t len, int read_only,
		   struct umd_bo *bo, uint64_t *dev_addr)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t addr = (uint64_t)(uintptr_t)host;
	uint64_t start = addr & ~(page - 1);
	uint64_t end;
	struct drm_musa_bo_userptr u = { 0 };
	struct drm_musa_vm_map m = { 0 };
	int ret;

	if (!host || len == 0 || addr + len < addr)
		return -EFAULT;
	end = (addr + len + page - 1) & ~(page - 1);
	if (end < addr)
		return -EFAULT;
	u.user_ptr = start;
	u.size = end - start;
	u.flags = read_only ? DRM_MUSA_USERPTR_READ_ONLY : 0;
	ret = umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_BO_USERPTR, &u);
	if (ret)
		return ret;
	m.handle = u.handle;
	ret = umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_VM_MAP, &m);
	if (ret) {
		umd_gem_close(ctx, u.handle);
		return ret;
	}
	bo->handle = u.handle;
	bo->size = u.size;
	bo->va = m.va;
	bo->cpu = NULL;
	*dev_addr = m.va + (addr - start);
	return 0;
}

void umd_bo_destroy(MUcontext ctx, struct umd_bo *bo)
{
	if (!bo->handle)
		return;
	if (bo->cpu)
		munmap(bo->cpu, bo->size);
	if (!ctx->closing) {
		struct drm_musa_vm_unmap u = { .handle = bo->handle, .va = bo->va };

		umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_VM_UNMAP, &u);
		umd_gem_close(ctx, bo->handle);
	}
	bo->handle = 0;
	bo->cpu = NULL;
}
