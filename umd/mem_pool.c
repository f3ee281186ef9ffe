/* SPDX-License-Identifier: MIT */
/*
 * mem_pool.c - stream-ordered allocation: memory pools (muMemPoolCreate,
 * muMemPoolDestroy, attributes, muMemPoolTrimTo), the default and current
 * pool of each device, muMemAllocAsync / muMemAllocFromPoolAsync and
 * muMemFreeAsync.
 *
 * A pool's blocks are allocations of the table in memory.c (device memory
 * of the context that allocated them) tagged with the pool. muMemFreeAsync
 * queues a NOP on the stream and remembers the timeline point it signals:
 * the block is reused or released only once that point has passed, so work
 * queued before the free can still use it. Blocks are reused when the
 * request fits (at most twice smaller); idle blocks are released while the
 * pool reserves more than its release threshold, checked on every pool
 * operation (the stream's sync points are not seen here).
 * May call: memory.c, stream.c, copy.c, device.c.
 */
#include <stdlib.h>
#include <string.h>

#include "musa_log.h"
#include "umd.h"

#define UMD_POOL_GRAIN 256u

struct umd_pool_block {
	struct umd_list link;
	MUdeviceptr base;
	size_t size;
	MUcontext ctx;
	int free;          /* freed by muMemFreeAsync */
	uint32_t syncobj;  /* the free's timeline point */
	uint64_t point;
};

struct MUmemPoolHandle_st {
	struct umd_list link;      /* all pools */
	MUdevice dev;
	int is_default;
	int destroyed;             /* handle dead; released once empty */
	MUmemPoolProps props;
	int reuse[3];
	uint64_t threshold;
	uint64_t reserved, reserved_high, used, used_high;
	struct umd_list blocks;
};

static pthread_mutex_t umd_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct umd_list umd_pools = { &umd_pools, &umd_pools };
/* Destroyed pools are kept (not freed) so a stale handle never names a
 * new pool that got its address. */
static struct umd_list umd_pools_dead = { &umd_pools_dead, &umd_pools_dead };
static struct MUmemPoolHandle_st *umd_pool_default[UMD_MAX_DEVICES];
static struct MUmemPoolHandle_st *umd_pool_current[UMD_MAX_DEVICES];

static struct MUmemPoolHandle_st *umd_pool_new(MUdevice dev, const MUmemPoolProps *props)
{
	struct MUmemPoolHandle_st *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->dev = dev;
	if (props)
		p->props = *props;
	p->reuse[0] = p->reuse[1] = p->reuse[2] = 1;
	umd_list_init(&p->blocks);
	umd_list_add(&umd_pools, &p->link);
	return p;
}

/* A live pool handle. Lock held. */
static int umd_pool_valid(const struct MUmemPoolHandle_st *pool)
{
	struct umd_list *l;

	if (!pool)
		return 0;
	for (l = umd_pools.next; l != &umd_pools; l = l->next)
		if (l == &pool->link)
			return !pool->destroyed;
	return 0;
}

/* The default pool of a device, made on first use. Lock held. */
static struct MUmemPoolHandle_st *umd_pool_get_default(MUdevice dev)
{
	if (!umd_pool_default[dev]) {
		MUmemPoolProps props = {
			.allocType = MU_MEM_ALLOCATION_TYPE_PINNED,
			.location = { MU_MEM_LOCATION_TYPE_DEVICE, dev },
		};

		umd_pool_default[dev] = umd_pool_new(dev, &props);
		if (umd_pool_default[dev])
			umd_pool_default[dev]->is_default = 1;
	}
	return umd_pool_default[dev];
}

static void umd_block_drop(struct MUmemPoolHandle_st *pool, struct umd_pool_block *b)
{
	pool->reserved -= b->size;
	if (!b->free)
		pool->used -= b->size;
	umd_list_del(&b->link);
	free(b);
}

/* Whether a freed block's stream has passed its free. Lock held. */
static int umd_block_idle(struct umd_pool_block *b)
{
	if (!b->free)
		return 0;
	if (b->point && umd_point_passed(b->ctx, b->syncobj, b->point) == 0)
		return 0;
	b->point = 0;  /* passed (or the stream's timeline is gone with it) */
	return 1;
}

/* Releases idle blocks while more than keep bytes are reserved. Lock held. */
static void umd_pool_trim(struct MUmemPoolHandle_st *pool, uint64_t keep)
{
	struct umd_list *l, *n;

	for (l = pool->blocks.next; l != &pool->blocks && pool->reserved > keep; l = n) {
		struct umd_pool_block *b = umd_container_of(l, struct umd_pool_block, link);

		n = l->next;
		if (!umd_block_idle(b))
			continue;
		umd_mem_remove(b->base, UMD_MEM_DEVICE);
		umd_block_drop(pool, b);
	}
}

/* Trims every pool to its threshold; frees destroyed pools once empty. Lock held. */
static void umd_pool_reap(void)
{
	struct umd_list *l, *n;

	for (l = umd_pools.next; l != &umd_pools; l = n) {
		struct MUmemPoolHandle_st *p = umd_container_of(l, struct MUmemPoolHandle_st, link);

		n = l->next;
		umd_pool_trim(p, p->destroyed ? 0 : p->threshold);
		if (p->destroyed && umd_list_empty(&p->blocks)) {
			umd_list_del(&p->link);
			umd_list_add(&umd_pools_dead, &p->link);
		}
	}
}

void umd_pool_block_gone(void *pool, MUdeviceptr base)
{
	struct MUmemPoolHandle_st *p = pool;
	struct umd_list *l;

	pthread_mutex_lock(&umd_pool_lock);
	for (l = p->blocks.next; l != &p->blocks; l = l->next) {
		struct umd_pool_block *b = umd_container_of(l, struct umd_pool_block, link);

		if (b->base == base) {
			umd_block_drop(p, b);
			break;
		}
	}
	pthread_mutex_unlock(&umd_pool_lock);
}

void umd_pool_forget_ctx(MUcontext ctx)
{
	struct umd_list *l, *n, *bl, *bn;

	pthread_mutex_lock(&umd_pool_lock);
	for (l = umd_pools.next; l != &umd_pools; l = n) {
		struct MUmemPoolHandle_st *p = umd_container_of(l, struct MUmemPoolHandle_st, link);

		n = l->next;
		for (bl = p->blocks.next; bl != &p->blocks; bl = bn) {
			struct umd_pool_block *b = umd_container_of(bl, struct umd_pool_block, link);

			bn = bl->next;
			if (b->ctx == ctx)
				umd_block_drop(p, b);  /* memory.c releases the allocation */
		}
		if (p->destroyed && umd_list_empty(&p->blocks)) {
			umd_list_del(&p->link);
			umd_list_add(&umd_pools_dead, &p->link);
		}
	}
	pthread_mutex_unlock(&umd_pool_lock);
}

static MUresult umd_pool_alloc_on(MUcontext ctx, struct MUstream_st *st, MUdeviceptr *dptr,
				  size_t size, struct MUmemPoolHandle_st *pool)
{
	struct umd_pool_block *b, *best = NULL;
	struct umd_list *l;
	MUresult r;

	CHECK(!dptr || !size || size > SIZE_MAX - UMD_POOL_GRAIN, MUSA_ERROR_INVALID_VALUE);
	/* graphs: allocation nodes are not captured; refused while capturing */
	r = umd_capture_sync(st);
	if (r)
		return r;
	size = (size + UMD_POOL_GRAIN - 1) & ~(size_t)(UMD_POOL_GRAIN - 1);
	pthread_mutex_lock(&umd_pool_lock);
	if (!pool)
		pool = umd_pool_current[ctx->ordinal] ? umd_pool_current[ctx->ordinal] :
			umd_pool_get_default(ctx->ordinal);
	if (!umd_pool_valid(pool)) {
		r = pool ? MUSA_ERROR_INVALID_VALUE : MUSA_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	if (pool->dev != ctx->ordinal) {
		r = MUSA_ERROR_INVALID_VALUE;
		goto out;
	}
	for (l = pool->blocks.next; l != &pool->blocks; l = l->next) {
		b = umd_container_of(l, struct umd_pool_block, link);
		if (b->ctx == ctx && b->size >= size && b->size / 2 <= size &&
		    (!best || b->size < best->size) && umd_block_idle(b))
			best = b;
	}
	if (best) {
		best->free = 0;
		pool->used += best->size;
		*dptr = best->base;
	} else {
		if (pool->props.maxSize && pool->reserved + size > pool->props.maxSize) {
			umd_pool_trim(pool, pool->props.maxSize - size);
			if (pool->reserved + size > pool->props.maxSize) {
				r = MUSA_ERROR_OUT_OF_MEMORY;
				goto out;
			}
		}
		b = calloc(1, sizeof(*b));
		if (!b) {
			r = MUSA_ERROR_OUT_OF_MEMORY;
			goto out;
		}
		r = umd_mem_alloc_kind(ctx, size, UMD_MEM_DEVICE, 0, pool, &b->base);
		if (r) {
			free(b);
			goto out;
		}
		b->size = size;
		b->ctx = ctx;
		umd_list_add(&pool->blocks, &b->link);
		pool->reserved += size;
		pool->used += size;
		*dptr = b->base;
	}
	if (pool->used > pool->used_high)
		pool->used_high = pool->used;
	if (pool->reserved > pool->reserved_high)
		pool->reserved_high = pool->reserved;
out:
	pthread_mutex_unlock(&umd_pool_lock);
	return r;
}

static MUresult umd_pool_alloc(MUdeviceptr *dptr, size_t size, struct MUmemPoolHandle_st *pool,
			       MUstream h)
{
	struct MUstream_st *st;
	MUcontext ctx;
	MUresult r = umd_op_begin(h, &ctx, &st);

	if (r)
		return r;
	r = umd_pool_alloc_on(ctx, st, dptr, size, pool);
	umd_stream_put(st);
	return r;
}

UMD_API MUresult muMemAllocAsync(MUdeviceptr *dptr, size_t bytesize, MUstream hStream)
{
	return umd_pool_alloc(dptr, bytesize, NULL, hStream);
}

UMD_API MUresult muMemAllocFromPoolAsync(MUdeviceptr *dptr, size_t bytesize, MUmemoryPool pool,
					 MUstream hStream)
{
	if (!pool)
		return umd_check_init() ? umd_check_init() : MUSA_ERROR_INVALID_VALUE;
	return umd_pool_alloc(dptr, bytesize, pool, hStream);
}

static MUresult umd_mem_free_async_on(struct MUstream_st *st, MUdeviceptr dptr)
{
	struct drm_musa_packet nop = { .type = DRM_MUSA_PKT_NOP };
	struct MUmemPoolHandle_st *pool;
	struct umd_pool_block *b = NULL;
	struct umd_mem_info mi;
	struct umd_list *l;
	uint64_t point;
	MUresult r;

	CHECK(!dptr || umd_mem_lookup(dptr, 0, &mi) || !mi.pool || mi.base != dptr,
	      MUSA_ERROR_INVALID_VALUE);
	r = umd_capture_sync(st);  /* graphs: as in umd_pool_alloc */
	if (r)
		return r;
	pool = mi.pool;
	pthread_mutex_lock(&umd_pool_lock);
	for (l = pool->blocks.next; l != &pool->blocks; l = l->next) {
		struct umd_pool_block *x = umd_container_of(l, struct umd_pool_block, link);

		if (x->base == dptr) {
			b = x;
			break;
		}
	}
	if (!b || b->free) {
		pthread_mutex_unlock(&umd_pool_lock);
		return MUSA_ERROR_INVALID_VALUE;
	}
	/* The point after everything queued on the stream so far. */
	r = umd_stream_submit(st, &nop, 1, &point);
	if (!r) {
		b->free = 1;
		b->syncobj = st->syncobj;
		b->point = point;
		pool->used -= b->size;
		umd_pool_reap();
	}
	pthread_mutex_unlock(&umd_pool_lock);
	return r;
}

UMD_API MUresult muMemFreeAsync(MUdeviceptr dptr, MUstream hStream)
{
	struct MUstream_st *st;
	MUcontext ctx;
	MUresult r = umd_op_begin(hStream, &ctx, &st);

	if (r)
		return r;
	r = umd_mem_free_async_on(st, dptr);
	umd_stream_put(st);
	return r;
}

/* The device's default pool, or with current its current one (the default
 * until muDeviceSetMemPool). */
static MUresult umd_dev_pool(MUmemoryPool *pool, MUdevice dev, int current)
{
	struct umd_dev *d;
	MUresult r = umd_dev_get(dev, &d);

	if (r)
		return r;
	CHECK(!pool, MUSA_ERROR_INVALID_VALUE);
	pthread_mutex_lock(&umd_pool_lock);
	*pool = current && umd_pool_current[dev] ? umd_pool_current[dev] :
		umd_pool_get_default(dev);
	pthread_mutex_unlock(&umd_pool_lock);
	return *pool ? MUSA_SUCCESS : MUSA_ERROR_OUT_OF_MEMORY;
}

UMD_API MUresult muDeviceGetDefaultMemPool(MUmemoryPool *pool_out, MUdevice dev)
{
	return umd_dev_pool(pool_out, dev, 0);
}

UMD_API MUresult muDeviceGetMemPool(MUmemoryPool *pool, MUdevice dev)
{
	return umd_dev_pool(pool, dev, 1);
}

UMD_API MUresult muDeviceSetMemPool(MUdevice dev, MUmemoryPool pool)
{
	struct umd_dev *d;
	MUresult r = umd_dev_get(dev, &d);

	if (r)
		return r;
	pthread_mutex_lock(&umd_pool_lock);
	if (!umd_pool_valid(pool) || pool->dev != dev)
		r = MUSA_ERROR_INVALID_VALUE;
	else
		umd_pool_current[dev] = pool;
	pthread_mutex_unlock(&umd_pool_lock);
	return r;
}

UMD_API MUresult muMemPoolCreate(MUmemoryPool *pool, const MUmemPoolProps *poolProps)
{
	struct umd_dev *d;
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!pool || !poolProps || poolProps->allocType != MU_MEM_ALLOCATION_TYPE_PINNED ||
	      poolProps->location.type != MU_MEM_LOCATION_TYPE_DEVICE ||
	      (poolProps->handleTypes != MU_MEM_HANDLE_TYPE_NONE &&
		 poolProps->handleTypes != MU_MEM_HANDLE_TYPE_POSIX_FILE_DESCRIPTOR),
	      MUSA_ERROR_INVALID_VALUE);
	CHECK(umd_dev_get(poolProps->location.id, &d), MUSA_ERROR_INVALID_VALUE);
	pthread_mutex_lock(&umd_pool_lock);
	*pool = umd_pool_new(poolProps->location.id, poolProps);
	pthread_mutex_unlock(&umd_pool_lock);
	return *pool ? MUSA_SUCCESS : MUSA_ERROR_OUT_OF_MEMORY;
}

UMD_API MUresult muMemPoolDestroy(MUmemoryPool pool)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	pthread_mutex_lock(&umd_pool_lock);
	if (!umd_pool_valid(pool) || pool->is_default) {
		r = MUSA_ERROR_INVALID_VALUE;
	} else {
		if (umd_pool_current[pool->dev] == pool)
			umd_pool_current[pool->dev] = NULL;
		pool->destroyed = 1;
		umd_pool_reap();
	}
	pthread_mutex_unlock(&umd_pool_lock);
	return r;
}

/* The prologue of the attribute calls: the pool lock held on success. */
static MUresult pool_attr_lock(MUmemoryPool pool, const void *value)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!value, MUSA_ERROR_INVALID_VALUE);
	pthread_mutex_lock(&umd_pool_lock);
	if (!umd_pool_valid(pool)) {
		pthread_mutex_unlock(&umd_pool_lock);
		return MUSA_ERROR_INVALID_VALUE;
	}
	return MUSA_SUCCESS;
}

UMD_API MUresult muMemPoolSetAttribute(MUmemoryPool pool, MUmemPool_attribute attr, void *value)
{
	MUresult r = pool_attr_lock(pool, value);

	if (r)
		return r;
	switch ((int)attr) {
	case MU_MEMPOOL_ATTR_REUSE_FOLLOW_EVENT_DEPENDENCIES:
	case MU_MEMPOOL_ATTR_REUSE_ALLOW_OPPORTUNISTIC:
	case MU_MEMPOOL_ATTR_REUSE_ALLOW_INTERNAL_DEPENDENCIES:
		pool->reuse[attr - 1] = !!*(int *)value;
		break;
	case MU_MEMPOOL_ATTR_RELEASE_THRESHOLD:
		pool->threshold = *(uint64_t *)value;
		break;
	case MU_MEMPOOL_ATTR_RESERVED_MEM_HIGH:
	case MU_MEMPOOL_ATTR_USED_MEM_HIGH:
		/* High watermarks can only be reset to 0, which means "now". */
		if (*(uint64_t *)value) {
			r = MUSA_ERROR_INVALID_VALUE;
			break;
		}
		if (attr == MU_MEMPOOL_ATTR_RESERVED_MEM_HIGH)
			pool->reserved_high = pool->reserved;
		else
			pool->used_high = pool->used;
		break;
	default:
		r = MUSA_ERROR_INVALID_VALUE;
		break;
	}
	pthread_mutex_unlock(&umd_pool_lock);
	return r;
}

UMD_API MUresult muMemPoolGetAttribute(MUmemoryPool pool, MUmemPool_attribute attr, void *value)
{
	MUresult r = pool_attr_lock(pool, value);

	if (r)
		return r;
	umd_pool_reap();
	switch ((int)attr) {
	case MU_MEMPOOL_ATTR_REUSE_FOLLOW_EVENT_DEPENDENCIES:
	case MU_MEMPOOL_ATTR_REUSE_ALLOW_OPPORTUNISTIC:
	case MU_MEMPOOL_ATTR_REUSE_ALLOW_INTERNAL_DEPENDENCIES:
		*(int *)value = pool->reuse[attr - 1];
		break;
	case MU_MEMPOOL_ATTR_RELEASE_THRESHOLD:
		*(uint64_t *)value = pool->threshold;
		break;
	case MU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT:
		*(uint64_t *)value = pool->reserved;
		break;
	case MU_MEMPOOL_ATTR_RESERVED_MEM_HIGH:
		*(uint64_t *)value = pool->reserved_high;
		break;
	case MU_MEMPOOL_ATTR_USED_MEM_CURRENT:
		*(uint64_t *)value = pool->used;
		break;
	case MU_MEMPOOL_ATTR_USED_MEM_HIGH:
		*(uint64_t *)value = pool->used_high;
		break;
	default:
		r = MUSA_ERROR_INVALID_VALUE;
		break;
	}
	pthread_mutex_unlock(&umd_pool_lock);
	return r;
}

UMD_API MUresult muMemPoolTrimTo(MUmemoryPool pool, size_t minBytesToKeep)
{
	MUresult r = umd_check_init();

	if (r)
		return r;
	pthread_mutex_lock(&umd_pool_lock);
	if (!umd_pool_valid(pool))
		r = MUSA_ERROR_INVALID_VALUE;
	else
		umd_pool_trim(pool, minBytesToKeep);
	pthread_mutex_unlock(&umd_pool_lock);
	return r;
}
