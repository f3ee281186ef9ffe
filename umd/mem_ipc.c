/* SPDX-License-Identifier: MIT */
/*
 * mem_ipc.c - device memory shared between processes: muIpcGetMemHandle,
 * muIpcOpenMemHandle, muIpcCloseMemHandle.
 *
 * The exporter turns the allocation's BO into a PRIME fd (a sealed memfd
 * the kmd-shim recognises from any process), keeps it open as long as the
 * allocation lives, and registers it with its IPC broker (ipc_broker.c),
 * which makes the handle: pid, broker id and a secret of this export.
 * The importer presents the handle to the exporter's broker, gets the fd
 * and the allocation's offset and size through the socket, imports the fd
 * into its context with PRIME_FD_TO_HANDLE and maps the BO into its device
 * window. Freeing the allocation revokes the export (memory.c), so an old
 * handle no longer opens anything. Opening one handle again returns the
 * same pointer (reference-counted); BOs imported once per context are
 * mapped once.
 * May call: memory.c, transport.c, bo.c, ipc_broker.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "musa_log.h"
#include "umd.h"

_Static_assert(sizeof(struct umd_ipc_wire) <= sizeof(MUipcMemHandle), "IPC handle too small");

/* A BO imported into a context and mapped once. */
struct umd_ipc_map {
	struct umd_ipc_map *next;
	MUcontext ctx;
	uint32_t gem;
	struct umd_bo bo;
	unsigned int users;   /* open pointers into it */
};

/* One opened pointer. */
struct umd_ipc_open {
	struct umd_ipc_open *next;
	MUcontext ctx;
	MUdeviceptr dptr;
	struct umd_ipc_map *map;
	unsigned int refs;
};

static pthread_mutex_t umd_ipc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct umd_ipc_map *umd_ipc_maps;
static struct umd_ipc_open *umd_ipc_opens;

UMD_API MUresult muIpcGetMemHandle(MUipcMemHandle *pHandle, MUdeviceptr dptr)
{
	struct umd_ipc_wire w;
	struct umd_mem_info mi;
	uint64_t offset, bo_size;
	uint32_t handle;
	int *ipc_fd, ret;
	MUresult r = umd_ctx_ready();

	if (r)
		return r;
	CHECK(!pHandle || !dptr || umd_mem_lookup(dptr, 0, &mi) || mi.base != dptr ||
	      (mi.kind != UMD_MEM_DEVICE && mi.kind != UMD_MEM_MANAGED), MUSA_ERROR_INVALID_VALUE);
	pthread_mutex_lock(&umd_ipc_lock);
	if (umd_mem_bo_of(dptr, mi.ctx, &handle, &offset, &bo_size, &ipc_fd)) {
		r = MUSA_ERROR_INVALID_VALUE;
		goto out;
	}
	if (*ipc_fd < 0) {
		struct drm_prime_handle ex = {
			.handle = handle, .flags = DRM_CLOEXEC | DRM_RDWR, .fd = -1,
		};

		ret = umd_tr_ioctl(&mi.ctx->tr, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ex);
		if (ret) {
			r = umd_errno(ret);
			goto out;
		}
		*ipc_fd = ex.fd;
	}
	/* The allocation's address of ipc_fd names the export: memory.c
	 * revokes it with that key when the allocation is freed. */
	ret = umd_broker_export(ipc_fd, UMD_IPC_KIND_MEM, *ipc_fd, offset, mi.size, &w);
	if (ret) {
		r = ret == -ENOMEM ? MUSA_ERROR_OUT_OF_MEMORY : MUSA_ERROR_OPERATING_SYSTEM;
		goto out;
	}
	memset(pHandle, 0, sizeof(*pHandle));
	memcpy(pHandle->reserved, &w, sizeof(w));
out:
	pthread_mutex_unlock(&umd_ipc_lock);
	return r;
}

/* The mapping of an imported BO in ctx, made on first need. Lock held. */
static MUresult umd_ipc_map_get(MUcontext ctx, int fd, uint64_t bo_size, struct umd_ipc_map **out)
{
	struct drm_prime_handle im = { .fd = fd };
	struct drm_musa_vm_map m = { 0 };
	struct umd_ipc_map *map;
	int ret;

	ret = umd_tr_ioctl(&ctx->tr, DRM_IOCTL_PRIME_FD_TO_HANDLE, &im);
	CHECK(ret, MUSA_ERROR_INVALID_VALUE);
	for (map = umd_ipc_maps; map; map = map->next) {
		if (map->ctx == ctx && map->gem == im.handle) {
			*out = map;
			return MUSA_SUCCESS;
		}
	}
	map = calloc(1, sizeof(*map));
	if (!map)
		goto err_close;
	m.handle = im.handle;
	ret = umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_VM_MAP, &m);
	if (ret) {
		free(map);
		goto err_close;
	}
	map->ctx = ctx;
	map->gem = im.handle;
	map->bo.handle = im.handle;
	map->bo.size = bo_size;
	map->bo.va = m.va;
	map->next = umd_ipc_maps;
	umd_ipc_maps = map;
	*out = map;
	return MUSA_SUCCESS;

err_close:
	{
		struct drm_gem_close c = { .handle = im.handle };

		umd_tr_ioctl(&ctx->tr, DRM_IOCTL_GEM_CLOSE, &c);
	}
	return MUSA_ERROR_OUT_OF_MEMORY;
}

static void umd_ipc_map_put(struct umd_ipc_map *map)
{
	struct umd_ipc_map **pp;

	if (map->users)
		return;
	for (pp = &umd_ipc_maps; *pp; pp = &(*pp)->next) {
		if (*pp == map) {
			*pp = map->next;
			break;
		}
	}
	pthread_mutex_lock(&map->ctx->lock);
	umd_bo_destroy(map->ctx, &map->bo);
	pthread_mutex_unlock(&map->ctx->lock);
	free(map);
}

static MUresult umd_ipc_open_on(MUcontext ctx, MUdeviceptr *pdptr, MUipcMemHandle handle,
			       unsigned int Flags)
{
	struct umd_ipc_wire w;
	struct umd_ipc_map *map = NULL;
	struct umd_ipc_open *o;
	uint64_t offset, size;
	struct stat st;
	MUresult r;
	MUdeviceptr dptr;
	int fd;

	CHECK(!pdptr || (Flags & ~(unsigned int)MU_IPC_MEM_LAZY_ENABLE_PEER_ACCESS) ||
	      umd_ipc_wire_check(handle.reserved, sizeof(handle.reserved), UMD_IPC_KIND_MEM, &w),
	      MUSA_ERROR_INVALID_VALUE);
	/* as CUDA: not within one process */
	CHECK(w.pid == (int32_t)getpid(), MUSA_ERROR_INVALID_CONTEXT);
	fd = umd_broker_fetch(&w, &offset, &size);
	explicit_bzero(&w, sizeof(w));
	/* forged, stale, or the exporter is gone */
	CHECK(fd == -ENOENT, MUSA_ERROR_INVALID_HANDLE);
	if (fd < 0)
		return fd == -EMFILE || fd == -ENFILE || fd == -ENOMEM ?
			MUSA_ERROR_OUT_OF_MEMORY : MUSA_ERROR_OPERATING_SYSTEM;
	if (fstat(fd, &st) || st.st_size <= 0 || !size || offset > (uint64_t)st.st_size ||
	    size > (uint64_t)st.st_size - offset) {
		close(fd);
		return MUSA_ERROR_INVALID_HANDLE;
	}
	pthread_mutex_lock(&umd_ipc_lock);
	r = umd_ipc_map_get(ctx, fd, (uint64_t)st.st_size, &map);
	close(fd);
	if (r)
		goto out;
	dptr = map->bo.va + offset;
	for (o = umd_ipc_opens; o; o = o->next) {
		if (o->ctx == ctx && o->dptr == dptr) {
			o->refs++;
			*pdptr = dptr;
			goto out;
		}
	}
	o = calloc(1, sizeof(*o));
	if (!o) {
		r = MUSA_ERROR_OUT_OF_MEMORY;
		goto out_put;
	}
	r = umd_mem_add(ctx, dptr, size, UMD_MEM_IPC, 0, 0, NULL);
	if (r) {
		free(o);
		goto out_put;
	}
	o->ctx = ctx;
	o->dptr = dptr;
	o->map = map;
	o->refs = 1;
	o->next = umd_ipc_opens;
	umd_ipc_opens = o;
	map->users++;
	*pdptr = dptr;
	goto out;
out_put:
	umd_ipc_map_put(map);
out:
	pthread_mutex_unlock(&umd_ipc_lock);
	return r;
}

UMD_API MUresult muIpcOpenMemHandle(MUdeviceptr *pdptr, MUipcMemHandle handle, unsigned int Flags)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_ipc_open_on(ctx, pdptr, handle, Flags));
}

UMD_API MUresult muIpcCloseMemHandle(MUdeviceptr dptr)
{
	struct umd_ipc_open **pp, *o;
	MUresult r = umd_ctx_ready();

	if (r)
		return r;
	pthread_mutex_lock(&umd_ipc_lock);
	for (pp = &umd_ipc_opens; (o = *pp); pp = &o->next)
		if (o->dptr == dptr)
			break;
	if (!o) {
		r = MUSA_ERROR_INVALID_VALUE;
		goto out;
	}
	if (--o->refs)
		goto out;
	*pp = o->next;
	umd_ctx_sync(o->ctx);  /* queued work may still use the mapping */
	umd_mem_remove(dptr, UMD_MEM_IPC);
	o->map->users--;
	umd_ipc_map_put(o->map);
	free(o);
out:
	pthread_mutex_unlock(&umd_ipc_lock);
	return r;
}

void umd_ipc_forget_ctx(MUcontext ctx)
{
	struct umd_ipc_open **op, *o;
	struct umd_ipc_map **mp, *m;

	pthread_mutex_lock(&umd_ipc_lock);
	for (op = &umd_ipc_opens; (o = *op);) {
		if (o->ctx == ctx) {
			*op = o->next;
			free(o);
		} else {
			op = &o->next;
		}
	}
	for (mp = &umd_ipc_maps; (m = *mp);) {
		if (m->ctx == ctx) {
			*mp = m->next;
			free(m);  /* the closing fd drops the mapping */
		} else {
			mp = &m->next;
		}
	}
	pthread_mutex_unlock(&umd_ipc_lock);
}
