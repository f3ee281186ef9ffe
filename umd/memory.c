/* SPDX-License-Identifier: MIT */
/*
 * memory.c - device memory: muMemAlloc/muMemFree, the allocation table and
 * the queries on it (muMemGetAddressRange, muPointerGetAttribute,
 * muMemGetInfo).
 *
 * Allocations under 1 MiB are carved out of 2 MiB BOs in 256-byte granules
 * (a bitmap per chunk), as CUDA's allocator does, so small buffers do not
 * each cost a kmd mapping; larger ones get a BO of their own and with it a
 * guard gap. Every allocation is recorded in one process-wide table sorted
 * by address, which copies consult to tell device from host ranges.
 * May call: bo.c, context.c (umd_ctx_sync), transport.c (DEVICE_QUERY).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "umd.h"

#define UMD_CHUNK_SIZE   (2u << 20)
#define UMD_SMALL_LIMIT  (1u << 20)
#define UMD_GRANULE      256u
#define UMD_CHUNK_GRANS  (UMD_CHUNK_SIZE / UMD_GRANULE)

struct umd_chunk {
	struct umd_list link;
	struct umd_bo bo;
	unsigned int used;   /* granules in use */
	uint64_t map[UMD_CHUNK_GRANS / 64];
};

struct umd_alloc {
	MUdeviceptr base;
	size_t size;
	MUcontext ctx;
	struct umd_chunk *chunk;  /* NULL: own BO */
	struct umd_bo bo;         /* own BO */
	unsigned int first, ngran;
};

static pthread_mutex_t umd_atab_lock = PTHREAD_MUTEX_INITIALIZER;
static struct umd_alloc **umd_atab;   /* sorted by base */
static size_t umd_atab_n, umd_atab_cap;

/* Index of the first entry with base > p. Lock held. */
static size_t umd_atab_upper(MUdeviceptr p)
{
	size_t lo = 0, hi = umd_atab_n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (umd_atab[mid]->base <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The allocation holding address p, or NULL. Lock held. */
static struct umd_alloc *umd_atab_lookup(MUdeviceptr p)
{
	size_t i = umd_atab_upper(p);
	struct umd_alloc *a;

	if (!i)
		return NULL;
	a = umd_atab[i - 1];
	return p - a->base < a->size ? a : NULL;
}

static int umd_atab_insert(struct umd_alloc *a)
{
	size_t i;

	pthread_mutex_lock(&umd_atab_lock);
	if (umd_atab_n == umd_atab_cap) {
		size_t ncap = umd_atab_cap ? umd_atab_cap * 2 : 256;
		struct umd_alloc **nt = realloc(umd_atab, ncap * sizeof(*nt));

		if (!nt) {
			pthread_mutex_unlock(&umd_atab_lock);
			return -ENOMEM;
		}
		umd_atab = nt;
		umd_atab_cap = ncap;
	}
	i = umd_atab_upper(a->base);
	memmove(&umd_atab[i + 1], &umd_atab[i], (umd_atab_n - i) * sizeof(*umd_atab));
	umd_atab[i] = a;
	umd_atab_n++;
	pthread_mutex_unlock(&umd_atab_lock);
	return 0;
}

/* Removes the allocation starting exactly at base (of ctx); NULL if none. */
static struct umd_alloc *umd_atab_remove(MUdeviceptr base, MUcontext ctx)
{
	struct umd_alloc *a = NULL;
	size_t i;

	pthread_mutex_lock(&umd_atab_lock);
	i = umd_atab_upper(base);
	if (i && umd_atab[i - 1]->base == base && (!ctx || umd_atab[i - 1]->ctx == ctx)) {
		a = umd_atab[i - 1];
		memmove(&umd_atab[i - 1], &umd_atab[i], (umd_atab_n - i) * sizeof(*umd_atab));
		umd_atab_n--;
	}
	pthread_mutex_unlock(&umd_atab_lock);
	return a;
}

int umd_alloc_find(MUdeviceptr p, size_t len, struct umd_alloc_info *out)
{
	struct umd_alloc *a;
	int ret = -1;

	pthread_mutex_lock(&umd_atab_lock);
	a = umd_atab_lookup(p);
	if (a && len <= a->size - (size_t)(p - a->base)) {
		out->base = a->base;
		out->size = a->size;
		out->ctx = a->ctx;
		ret = 0;
	}
	pthread_mutex_unlock(&umd_atab_lock);
	return ret;
}

/* ---- the small-allocation chunks ------------------------------------------ */

static int umd_bit(const uint64_t *map, unsigned int i)
{
	return (int)((map[i / 64] >> (i % 64)) & 1);
}

static void umd_bits_set(uint64_t *map, unsigned int first, unsigned int n, int on)
{
	for (unsigned int i = first; i < first + n; i++) {
		if (on)
			map[i / 64] |= 1ull << (i % 64);
		else
			map[i / 64] &= ~(1ull << (i % 64));
	}
}

/* First fit of n free granules; -1 if none. */
static int umd_chunk_fit(const struct umd_chunk *c, unsigned int n)
{
	unsigned int run = 0;

	if (UMD_CHUNK_GRANS - c->used < n)
		return -1;
	for (unsigned int i = 0; i < UMD_CHUNK_GRANS; i++) {
		if (!(i % 64) && c->map[i / 64] == ~0ull) {
			run = 0;
			i += 63;
			continue;
		}
		run = umd_bit(c->map, i) ? 0 : run + 1;
		if (run == n)
			return (int)(i + 1 - n);
	}
	return -1;
}

/* Carves a small allocation out of a chunk; ctx->lock held. */
static int umd_small_alloc(MUcontext ctx, struct umd_alloc *a)
{
	unsigned int n = (unsigned int)((a->size + UMD_GRANULE - 1) / UMD_GRANULE);
	struct umd_chunk *c;
	struct umd_list *l;
	int first, ret;

	for (l = ctx->chunks.next; l != &ctx->chunks; l = l->next) {
		c = umd_container_of(l, struct umd_chunk, link);
		first = umd_chunk_fit(c, n);
		if (first >= 0)
			goto found;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	ret = umd_bo_create(ctx, UMD_CHUNK_SIZE, 0, &c->bo);
	if (ret) {
		free(c);
		return ret;
	}
	umd_list_add(&ctx->chunks, &c->link);
	first = 0;
found:
	umd_bits_set(c->map, (unsigned int)first, n, 1);
	c->used += n;
	a->chunk = c;
	a->first = (unsigned int)first;
	a->ngran = n;
	a->base = c->bo.va + (uint64_t)first * UMD_GRANULE;
	return 0;
}

/* Gives granules back; an empty chunk returns its BO. ctx->lock held. */
static void umd_small_free(MUcontext ctx, struct umd_alloc *a)
{
	struct umd_chunk *c = a->chunk;

	umd_bits_set(c->map, a->first, a->ngran, 0);
	c->used -= a->ngran;
	if (!c->used) {
		umd_list_del(&c->link);
		umd_bo_destroy(ctx, &c->bo);
		free(c);
	}
}

static void umd_alloc_destroy(MUcontext ctx, struct umd_alloc *a)
{
	pthread_mutex_lock(&ctx->lock);
	if (a->chunk)
		umd_small_free(ctx, a);
	else
		umd_bo_destroy(ctx, &a->bo);
	pthread_mutex_unlock(&ctx->lock);
	free(a);
}

void umd_mem_release_ctx(MUcontext ctx)
{
	size_t j = 0;

	pthread_mutex_lock(&umd_atab_lock);
	for (size_t i = 0; i < umd_atab_n; i++) {
		struct umd_alloc *a = umd_atab[i];

		if (a->ctx != ctx) {
			umd_atab[j++] = a;
			continue;
		}
		if (!a->chunk)
			umd_bo_destroy(ctx, &a->bo);
		free(a);
	}
	umd_atab_n = j;
	pthread_mutex_unlock(&umd_atab_lock);
	while (!umd_list_empty(&ctx->chunks)) {
		struct umd_chunk *c = umd_container_of(ctx->chunks.next, struct umd_chunk, link);

		umd_list_del(&c->link);
		umd_bo_destroy(ctx, &c->bo);
		free(c);
	}
}

/* ---- API --------------------------------------------------------------------- */

UMD_API MUresult muMemAlloc(MUdeviceptr *dptr, size_t bytesize)
{
	struct umd_alloc *a;
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);
	int ret;

	if (r)
		return r;
	if (!dptr || bytesize == 0)
		return MUSA_ERROR_INVALID_VALUE;
	if (bytesize > ctx->dev->info.memory_size)
		return MUSA_ERROR_OUT_OF_MEMORY;
	a = calloc(1, sizeof(*a));
	if (!a)
		return MUSA_ERROR_OUT_OF_MEMORY;
	a->size = bytesize;
	a->ctx = ctx;
	if (bytesize < UMD_SMALL_LIMIT) {
		pthread_mutex_lock(&ctx->lock);
		ret = umd_small_alloc(ctx, a);
		pthread_mutex_unlock(&ctx->lock);
	} else {
		ret = umd_bo_create(ctx, bytesize, 0, &a->bo);
		a->base = a->bo.va;
	}
	if (ret) {
		free(a);
		return umd_errno(ret);
	}
	if (umd_atab_insert(a)) {
		umd_alloc_destroy(ctx, a);
		return MUSA_ERROR_OUT_OF_MEMORY;
	}
	*dptr = a->base;
	return MUSA_SUCCESS;
}

UMD_API MUresult muMemFree(MUdeviceptr dptr)
{
	struct umd_alloc *a;
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	if (r)
		return r;
	if (!dptr)
		return MUSA_ERROR_INVALID_VALUE;
	/* Queued work may still use the memory: let it finish, as cuMemFree does. */
	r = umd_ctx_sync(ctx);
	if (r)
		return r;
	a = umd_atab_remove(dptr, ctx);
	if (!a)
		return MUSA_ERROR_INVALID_VALUE;
	umd_alloc_destroy(ctx, a);
	return MUSA_SUCCESS;
}

UMD_API MUresult muMemGetInfo(size_t *free_bytes, size_t *total)
{
	struct drm_musa_device_info info;
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);
	int ret;

	if (r)
		return r;
	if (!free_bytes || !total)
		return MUSA_ERROR_INVALID_VALUE;
	ret = umd_dev_query(&ctx->tr, &info);
	if (ret)
		return umd_errno(ret);
	*total = (size_t)info.memory_size;
	*free_bytes = info.memory_used < info.memory_size ?
		(size_t)(info.memory_size - info.memory_used) : 0;
	return MUSA_SUCCESS;
}

UMD_API MUresult muMemGetAddressRange(MUdeviceptr *pbase, size_t *psize, MUdeviceptr dptr)
{
	struct umd_alloc_info ai;
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	if (r)
		return r;
	if ((umd_alloc_find(dptr, 0, &ai) || ai.ctx != ctx) && umd_module_var_alloc(dptr, &ai))
		return MUSA_ERROR_NOT_FOUND;
	if (pbase)
		*pbase = ai.base;
	if (psize)
		*psize = ai.size;
	return MUSA_SUCCESS;
}

UMD_API MUresult muPointerGetAttribute(void *data, MUpointer_attribute attribute, MUdeviceptr ptr)
{
	struct umd_alloc_info ai;
	MUresult r = umd_check_init();

	if (r)
		return r;
	if (!data)
		return MUSA_ERROR_INVALID_VALUE;
	if (umd_alloc_find(ptr, 0, &ai) && umd_module_var_alloc(ptr, &ai))
		return MUSA_ERROR_INVALID_VALUE;
	switch (attribute) {
	case MU_POINTER_ATTRIBUTE_CONTEXT:
		*(MUcontext *)data = ai.ctx;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_MEMORY_TYPE:
		*(unsigned int *)data = MU_MEMORYTYPE_DEVICE;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_DEVICE_POINTER:
		*(MUdeviceptr *)data = ptr;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_RANGE_START_ADDR:
		*(MUdeviceptr *)data = ai.base;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_RANGE_SIZE:
		*(size_t *)data = ai.size;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_DEVICE_ORDINAL:
		*(int *)data = ai.ctx->ordinal;
		return MUSA_SUCCESS;
	default:
		/* Device memory has no host pointer; other attributes are unknown. */
		return MUSA_ERROR_INVALID_VALUE;
	}
}
