/* SPDX-License-Identifier: MIT */
/*
 * vm.c - the device address space of an fd: VM_MAP / VM_UNMAP of BOs into
 * the device window (or at their own address for userptr BOs), and the
 * range lookup that every address of a submission is checked against.
 *
 * A mapping is refcounted: queued packets hold their ranges, so an unmap
 * while work is in flight takes effect when that work has finished.
 * A mapping lives in the window of the fd's device, not of the device that
 * created the BO: a BO imported from another device's fd (PRIME) is a peer
 * mapping of the same pages at an address of this device.
 * Calls device.c (window allocator) and bo.c (references).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kmd.h"

/* Every kmd_vma is allocated here, inside one of these. */
struct vm_mapping {
	struct kmd_vma vma;
	struct kmd_device *dev;  /* whose window holds vma.va */
};

static struct kmd_device *vma_dev(struct kmd_vma *vma)
{
	return ((struct vm_mapping *)((char *)vma - offsetof(struct vm_mapping, vma)))->dev;
}

void kmd_vma_put(struct kmd_vma *vma)
{
	struct kmd_bo *bo;

	if (!vma || atomic_fetch_sub(&vma->refcount, 1) != 1)
		return;
	bo = vma->bo;
	kmd_module_put(vma->module);
	if (!vma->userptr) {
		/* Back to a reservation, so a stale device pointer faults. */
		void *p = mmap((void *)(uintptr_t)vma->va, vma->size, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);

		if (p != MAP_FAILED)
			kmd_device_va_free(vma_dev(vma), vma->va, vma->size);
		else
			kmd_log("cannot return VA 0x%llx to the window",
				(unsigned long long)vma->va);
	}
	kmd_bo_put(bo);
	free((char *)vma - offsetof(struct vm_mapping, vma));
}

/* Index of the last mapping with va <= addr, or -1. */
static long vma_search(const struct kmd_file *f, uint64_t addr)
{
	long lo = 0, hi = (long)f->nvmas - 1, best = -1;

	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;

		if (f->vmas[mid]->va <= addr) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return best;
}

static bool vma_holds(const struct kmd_vma *v, uint64_t va, uint64_t size)
{
	return va >= v->va && va - v->va <= v->size && size <= v->size - (va - v->va);
}

struct kmd_vma *kmd_vma_find(struct kmd_file *f, uint64_t va, uint64_t size)
{
	long i = vma_search(f, va);
	struct kmd_vma *v;

	if (i >= 0 && vma_holds(f->vmas[i], va, size)) {
		v = f->vmas[i];
		atomic_fetch_add(&v->refcount, 1);
		return v;
	}
	for (v = f->userptr_vmas; v; v = v->next) {
		if (vma_holds(v, va, size)) {
			atomic_fetch_add(&v->refcount, 1);
			return v;
		}
	}
	return NULL;
}

static int vma_insert(struct kmd_file *f, struct kmd_vma *v)
{
	long i;

	if (v->userptr) {
		v->next = f->userptr_vmas;
		f->userptr_vmas = v;
		return 0;
	}
	if (f->nvmas == f->vmas_cap) {
		uint32_t cap = f->vmas_cap ? f->vmas_cap * 2 : 16;
		struct kmd_vma **n = realloc(f->vmas, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		f->vmas = n;
		f->vmas_cap = cap;
	}
	i = vma_search(f, v->va) + 1;
	memmove(&f->vmas[i + 1], &f->vmas[i], (f->nvmas - (uint32_t)i) * sizeof(f->vmas[0]));
	f->vmas[i] = v;
	f->nvmas++;
	return 0;
}

/* Unlinks the mapping of `bo` at `va` (any va when va == 0). */
static struct kmd_vma *vma_unlink(struct kmd_file *f, struct kmd_bo *bo, uint64_t va)
{
	struct kmd_vma **pp;

	for (uint32_t i = 0; i < f->nvmas; i++) {
		struct kmd_vma *v = f->vmas[i];

		if (v->bo == bo && (!va || v->va == va)) {
			memmove(&f->vmas[i], &f->vmas[i + 1], (f->nvmas - i - 1) * sizeof(v));
			f->nvmas--;
			return v;
		}
	}
	for (pp = &f->userptr_vmas; *pp; pp = &(*pp)->next) {
		struct kmd_vma *v = *pp;

		if (v->bo == bo && (!va || v->va == va)) {
			*pp = v->next;
			return v;
		}
	}
	return NULL;
}

int kmd_ioctl_vm_map(struct kmd_file *f, void *data)
{
	struct drm_musa_vm_map *a = data;
	struct vm_mapping *m;
	struct kmd_bo *bo;
	struct kmd_vma *v;
	int ret;

	if (a->flags)
		return -EINVAL;
	bo = kmd_bo_lookup(f, a->handle);
	if (!bo)
		return -ENOENT;

	m = calloc(1, sizeof(*m));
	if (!m) {
		ret = -ENOMEM;
		goto err_put;
	}
	m->dev = f->dev;
	v = &m->vma;
	atomic_init(&v->refcount, 1);
	v->bo = bo;
	v->size = bo->size;
	if (bo->memfd < 0) {
		v->userptr = true;
		v->va = bo->userptr;
	} else {
		void *p;

		ret = kmd_device_va_alloc(f->dev, bo->size, &v->va);
		if (ret)
			goto err_free;
		p = mmap((void *)(uintptr_t)v->va, bo->size,
			 (bo->flags & KMD_BO_READ_ONLY) ? PROT_READ : PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, bo->memfd, 0);
		if (p == MAP_FAILED) {
			ret = -ENOMEM;
			kmd_device_va_free(f->dev, v->va, bo->size);
			goto err_free;
		}
	}
	pthread_mutex_lock(&f->lock);
	ret = vma_insert(f, v);
	pthread_mutex_unlock(&f->lock);
	if (ret) {
		kmd_vma_put(v);  /* undoes the mapping and drops the BO */
		return ret;
	}
	a->va = v->va;
	return 0;

err_free:
	free(m);
err_put:
	kmd_bo_put(bo);
	return ret;
}

int kmd_ioctl_vm_unmap(struct kmd_file *f, void *data)
{
	struct drm_musa_vm_unmap *a = data;
	struct kmd_bo *bo;
	struct kmd_vma *v = NULL;
	int ret = 0;

	if (a->pad)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	kmd_rings_take_all(f);   /* what the rings hold was written before */
	bo = kmd_handle_get(&f->bos, a->handle);
	if (!bo)
		ret = -ENOENT;
	else if (a->va == 0 || !(v = vma_unlink(f, bo, a->va)))
		ret = -EINVAL;
	pthread_mutex_unlock(&f->lock);
	kmd_vma_put(v);
	return ret;
}

void kmd_vm_unmap_bo(struct kmd_file *f, struct kmd_bo *bo)
{
	struct kmd_vma *v;

	while ((v = vma_unlink(f, bo, 0)))
		kmd_vma_put(v);
}

int kmd_vm_map_module(struct kmd_file *f, struct kmd_module *m, uint64_t va, uint64_t size)
{
	struct vm_mapping *mp = calloc(1, sizeof(*mp));
	struct kmd_bo *bo = calloc(1, sizeof(*bo));

	if (!mp || !bo) {
		free(mp);
		free(bo);
		return -ENOMEM;
	}
	/* A userptr-like BO of no fd: nothing to close, the pages are the module's. */
	atomic_init(&bo->refcount, 1);
	bo->memfd = -1;
	bo->userptr = va;
	bo->size = size;
	mp->dev = f->dev;
	atomic_init(&mp->vma.refcount, 1);
	mp->vma.bo = bo;
	mp->vma.va = va;
	mp->vma.size = size;
	mp->vma.userptr = true;
	kmd_module_get(m);
	mp->vma.module = m;
	return vma_insert(f, &mp->vma);  /* userptr list: cannot fail */
}

void kmd_vm_unmap_module(struct kmd_file *f, struct kmd_module *m)
{
	struct kmd_vma **pp = &f->userptr_vmas;

	while (*pp) {
		struct kmd_vma *v = *pp;

		if (v->module == m) {
			*pp = v->next;
			kmd_vma_put(v);
		} else {
			pp = &v->next;
		}
	}
}

void kmd_vm_release_all(struct kmd_file *f)
{
	struct kmd_vma *v;

	while (f->nvmas) {
		v = f->vmas[--f->nvmas];
		kmd_vma_put(v);
	}
	while ((v = f->userptr_vmas)) {
		f->userptr_vmas = v->next;
		kmd_vma_put(v);
	}
}
