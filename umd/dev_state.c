/* SPDX-License-Identifier: MIT */
/*
 * dev_state.c - small per-object state of the driver that has no field in
 * its object: the cache / shared-memory preferences of contexts and the
 * settable attributes of functions (maximum dynamic shared memory, shared
 * memory carveout, cache and bank configuration). Kept in two short tables
 * under one lock; entries exist only for objects whose state was set, and
 * the owners drop them when the object dies (context.c, module.c).
 * May call: libc only.
 */
#include <errno.h>
#include <stdlib.h>

#include "umd.h"

struct umd_ctx_cfg {
	MUcontext ctx;
	int cache;
	int shmem;
};

struct umd_fattr_ent {
	MUfunction f;
	struct umd_fattr a;
};

static pthread_mutex_t umd_state_lock = PTHREAD_MUTEX_INITIALIZER;
static struct umd_ctx_cfg *umd_ctx_cfgs;
static size_t umd_nctx_cfgs, umd_ctx_cfgs_cap;
static struct umd_fattr_ent *umd_fattrs;
static size_t umd_nfattrs, umd_fattrs_cap;
static _Atomic size_t umd_nfattrs_pub;   /* lock-free "is the table empty" */

static int umd_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* ---- contexts ---------------------------------------------------------------- */

void umd_ctx_cfg_get(MUcontext ctx, int *cache, int *shmem)
{
	*cache = MU_FUNC_CACHE_PREFER_NONE;
	*shmem = MU_SHARED_MEM_CONFIG_DEFAULT_BANK_SIZE;
	pthread_mutex_lock(&umd_state_lock);
	for (size_t i = 0; i < umd_nctx_cfgs; i++) {
		if (umd_ctx_cfgs[i].ctx == ctx) {
			*cache = umd_ctx_cfgs[i].cache;
			*shmem = umd_ctx_cfgs[i].shmem;
			break;
		}
	}
	pthread_mutex_unlock(&umd_state_lock);
}

void umd_ctx_cfg_set(MUcontext ctx, int cache, int shmem)
{
	struct umd_ctx_cfg *c = NULL;

	pthread_mutex_lock(&umd_state_lock);
	for (size_t i = 0; i < umd_nctx_cfgs; i++)
		if (umd_ctx_cfgs[i].ctx == ctx)
			c = &umd_ctx_cfgs[i];
	if (!c) {
		if (umd_grow((void **)&umd_ctx_cfgs, &umd_ctx_cfgs_cap, umd_nctx_cfgs,
			     sizeof(*umd_ctx_cfgs))) {
			/* Losing a preference changes nothing the device does. */
			pthread_mutex_unlock(&umd_state_lock);
			return;
		}
		c = &umd_ctx_cfgs[umd_nctx_cfgs++];
		c->ctx = ctx;
		c->cache = MU_FUNC_CACHE_PREFER_NONE;
		c->shmem = MU_SHARED_MEM_CONFIG_DEFAULT_BANK_SIZE;
	}
	if (cache >= 0)
		c->cache = cache;
	if (shmem >= 0)
		c->shmem = shmem;
	pthread_mutex_unlock(&umd_state_lock);
}

void umd_ctx_cfg_forget(MUcontext ctx)
{
	pthread_mutex_lock(&umd_state_lock);
	for (size_t i = 0; i < umd_nctx_cfgs; i++) {
		if (umd_ctx_cfgs[i].ctx == ctx) {
			umd_ctx_cfgs[i] = umd_ctx_cfgs[--umd_nctx_cfgs];
			break;
		}
	}
	pthread_mutex_unlock(&umd_state_lock);
}

/* ---- functions ---------------------------------------------------------------- */

int umd_fattr_default_max_dyn(MUfunction f)
{
	const struct drm_musa_device_info *info = &f->mod->ctx->dev->info;
	uint32_t st = f->k->meta->static_shared;

	return st >= info->shared_mem_per_block ? 0 : (int)(info->shared_mem_per_block - st);
}

void umd_fattr_get(MUfunction f, struct umd_fattr *out)
{
	out->max_dyn_shared = umd_fattr_default_max_dyn(f);
	out->carveout = -1;
	out->cache = MU_FUNC_CACHE_PREFER_NONE;
	out->shmem = MU_SHARED_MEM_CONFIG_DEFAULT_BANK_SIZE;
	if (!atomic_load(&umd_nfattrs_pub))
		return;
	pthread_mutex_lock(&umd_state_lock);
	for (size_t i = 0; i < umd_nfattrs; i++) {
		if (umd_fattrs[i].f == f) {
			*out = umd_fattrs[i].a;
			break;
		}
	}
	pthread_mutex_unlock(&umd_state_lock);
}

int umd_fattr_set(MUfunction f, const struct umd_fattr *a)
{
	int ret = 0;

	pthread_mutex_lock(&umd_state_lock);
	for (size_t i = 0; i < umd_nfattrs; i++) {
		if (umd_fattrs[i].f == f) {
			umd_fattrs[i].a = *a;
			goto out;
		}
	}
	ret = umd_grow((void **)&umd_fattrs, &umd_fattrs_cap, umd_nfattrs, sizeof(*umd_fattrs));
	if (ret)
		goto out;
	umd_fattrs[umd_nfattrs].f = f;
	umd_fattrs[umd_nfattrs].a = *a;
	umd_nfattrs++;
	atomic_store(&umd_nfattrs_pub, umd_nfattrs);
out:
	pthread_mutex_unlock(&umd_state_lock);
	return ret;
}

void umd_fattr_forget_module(MUmodule m)
{
	if (!atomic_load(&umd_nfattrs_pub))
		return;
	pthread_mutex_lock(&umd_state_lock);
	for (size_t i = 0; i < umd_nfattrs;) {
		if (umd_fattrs[i].f->mod == m)
			umd_fattrs[i] = umd_fattrs[--umd_nfattrs];
		else
			i++;
	}
	atomic_store(&umd_nfattrs_pub, umd_nfattrs);
	pthread_mutex_unlock(&umd_state_lock);
}
