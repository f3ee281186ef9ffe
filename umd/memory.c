/* SPDX-License-Identifier: MIT */
/*
 * memory.c - device memory: muMemAlloc/muMemFree, the allocation table and
 * the queries on it (muMemGetAddressRange, muPointerGetAttribute(s),
 * muMemGetInfo), and the other kinds of memory it records: pinned host
 * memory (muMemHostAlloc, muMemHostRegister: a userptr BO mapped at the host
 * address, so the device pointer is the host pointer) and managed memory
 * (muMemAllocManaged: a device BO, which the host reaches directly since
 * device addresses are host addresses of this process).
 *
 * Allocations under 1 MiB are carved out of 2 MiB BOs in 256-byte granules
 * (a bitmap per chunk), as CUDA's allocator does, so small buffers do not
 * each cost a kmd mapping; larger ones get a BO of their own and with it a
 * guard gap. Every allocation is recorded in one process-wide table sorted
 * by address, which copies consult to tell device from host ranges.
 * May call: bo.c, context.c (umd_ctx_sync), init.c (umd_dev_param: GET_PARAM),
 * array.c and texture.c (their objects die with the context), ipc_broker.c
 * (an exported allocation's export is revoked when it is freed), smi.c
 * (what enters and leaves the table is counted for musa-smi).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "musa_log.h"
#include "tex.h"

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

/* The userptr BO of pinned memory in a context other than its own. */
struct umd_context_bo {
	struct umd_context_bo *next;
	MUcontext ctx;
	struct umd_bo bo;
};

struct umd_alloc {
	MUdeviceptr base;
	size_t size;
	MUcontext ctx;
	struct umd_chunk *chunk;  /* NULL: own BO */
	struct umd_bo bo;         /* own BO (a userptr BO for host memory) */
	unsigned int first, ngran;
	enum umd_mem_kind kind;
	unsigned int flags;
	int host_owned;           /* host memory mmap()ed by muMemHostAlloc */
	size_t host_len;          /* its mapping length */
	void *pool;
	int ipc_fd;               /* PRIME fd exported for IPC, or -1 */
	struct umd_context_bo *context_bos;     /* pinned: BOs in other contexts */
	size_t rz;                /* memory checker: red zone before and after */
	struct umd_alloc *qnext;  /* memory checker: next in the quarantine */
};

static pthread_mutex_t umd_allocs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct umd_alloc **umd_allocs;   /* sorted by base */
static size_t umd_alloc_count, umd_alloc_capacity;

/* Index of the first entry with base > p. Lock held. */
static size_t umd_alloc_table_upper(MUdeviceptr p)
{
	size_t lo = 0, hi = umd_alloc_count;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (umd_allocs[mid]->base <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The allocation holding address p, or NULL. Lock held. */
static struct umd_alloc *umd_alloc_table_lookup(MUdeviceptr p)
{
	size_t i = umd_alloc_table_upper(p);
	struct umd_alloc *a;

	if (!i)
		return NULL;
	a = umd_allocs[i - 1];
	return p - a->base < a->size ? a : NULL;
}

/* Lock held. */
static int umd_alloc_table_insert_locked(struct umd_alloc *a)
{
	size_t i;

	if (umd_alloc_count == umd_alloc_capacity) {
		size_t ncap = umd_alloc_capacity ? umd_alloc_capacity * 2 : 256;
		struct umd_alloc **nt = realloc(umd_allocs, ncap * sizeof(*nt));

		if (!nt)
			return -ENOMEM;
		umd_allocs = nt;
		umd_alloc_capacity = ncap;
	}
	i = umd_alloc_table_upper(a->base);
	memmove(&umd_allocs[i + 1], &umd_allocs[i], (umd_alloc_count - i) * sizeof(*umd_allocs));
	umd_allocs[i] = a;
	umd_alloc_count++;
	umd_smi_mem(a->ctx->ordinal, a->kind, (int64_t)a->size);
	return 0;
}

static int umd_alloc_table_insert(struct umd_alloc *a)
{
	int ret;

	pthread_mutex_lock(&umd_allocs_lock);
	ret = umd_alloc_table_insert_locked(a);
	pthread_mutex_unlock(&umd_allocs_lock);
	return ret;
}

/* Whether any entry overlaps [p, p + len). Lock held. */
static int umd_alloc_table_overlaps(MUdeviceptr p, size_t len)
{
	size_t i = umd_alloc_table_upper(p + len - 1);
	struct umd_alloc *a;

	if (!i)
		return 0;
	a = umd_allocs[i - 1];
	return a->base + a->size > p;
}

int umd_mem_lookup(MUdeviceptr p, size_t len, struct umd_mem_info *out)
{
	struct umd_alloc *a;
	int ret = -1;

	pthread_mutex_lock(&umd_allocs_lock);
	a = umd_alloc_table_lookup(p);
	if (a && len <= a->size - (size_t)(p - a->base)) {
		out->base = a->base;
		out->size = a->size;
		out->ctx = a->ctx;
		out->kind = a->kind;
		out->flags = a->flags;
		out->host_owned = a->host_owned;
		out->pool = a->pool;
		ret = 0;
	}
	pthread_mutex_unlock(&umd_allocs_lock);
	return ret;
}

int umd_mem_host_bo(MUdeviceptr p, size_t len, MUcontext ctx)
{
	struct umd_alloc *a;
	struct umd_context_bo *x;
	uint64_t addr;
	int ret = -1;

	pthread_mutex_lock(&umd_allocs_lock);
	a = umd_alloc_table_lookup(p);
	if (!a || a->kind != UMD_MEM_HOST || len > a->size - (size_t)(p - a->base))
		goto out;
	ret = 0;
	if (a->ctx == ctx)
		goto out;
	for (x = a->context_bos; x; x = x->next)
		if (x->ctx == ctx)
			goto out;
	x = calloc(1, sizeof(*x));
	if (!x || umd_bo_userptr(ctx, (void *)(uintptr_t)a->base, a->size,
				 !!(a->flags & MU_MEMHOSTREGISTER_READ_ONLY), &x->bo, &addr)) {
		free(x);
		ret = -1;
		goto out;
	}
	x->ctx = ctx;
	x->next = a->context_bos;
	a->context_bos = x;
out:
	pthread_mutex_unlock(&umd_allocs_lock);
	return ret;
}

int umd_mem_bo_of(MUdeviceptr base, MUcontext ctx, uint32_t *handle, uint64_t *offset,
		  uint64_t *bo_size, int **ipc_fd)
{
	struct umd_alloc *a;
	int ret = -1;

	pthread_mutex_lock(&umd_allocs_lock);
	a = umd_alloc_table_lookup(base);
	if (a && a->base == base && a->ctx == ctx &&
	    (a->kind == UMD_MEM_DEVICE || a->kind == UMD_MEM_MANAGED)) {
		const struct umd_bo *bo = a->chunk ? &a->chunk->bo : &a->bo;

		*handle = bo->handle;
		*offset = base - bo->va;
		*bo_size = bo->size;
		*ipc_fd = &a->ipc_fd;
		ret = 0;
	}
	pthread_mutex_unlock(&umd_allocs_lock);
	return ret;
}

/* The small-allocation chunks. */

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
	unsigned int n = (unsigned int)((a->size + 2 * a->rz + UMD_GRANULE - 1) / UMD_GRANULE);
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
	umd_memcheck_mark(c->bo.va, UMD_CHUNK_SIZE, MUSA_SHADOW_UNUSED);
	first = 0;
found:
	umd_bits_set(c->map, (unsigned int)first, n, 1);
	c->used += n;
	a->chunk = c;
	a->first = (unsigned int)first;
	a->ngran = n;
	a->base = c->bo.va + (uint64_t)first * UMD_GRANULE + a->rz;
	return 0;
}

/* Gives granules back; an empty chunk returns its BO. ctx->lock held. */
static void umd_small_free(MUcontext ctx, struct umd_alloc *a)
{
	struct umd_chunk *c = a->chunk;

	umd_bits_set(c->map, a->first, a->ngran, 0);
	c->used -= a->ngran;
	umd_memcheck_mark(a->base - a->rz, (size_t)a->ngran * UMD_GRANULE, MUSA_SHADOW_UNUSED);
	if (!c->used) {
		umd_memcheck_mark(c->bo.va, UMD_CHUNK_SIZE, 0);
		umd_list_del(&c->link);
		umd_memcheck_mark(c->bo.va, UMD_CHUNK_SIZE, 0);
		umd_bo_destroy(ctx, &c->bo);
		free(c);
	}
}

/* What every kind needs released besides its BO. */
static void umd_alloc_free_extra(struct umd_alloc *a)
{
	while (a->context_bos) {
		struct umd_context_bo *x = a->context_bos;

		a->context_bos = x->next;
		umd_bo_destroy(x->ctx, &x->bo);
		free(x);
	}
	if (a->ipc_fd >= 0) {
		umd_broker_revoke(&a->ipc_fd, UMD_IPC_KIND_MEM);  /* old handles fail */
		close(a->ipc_fd);
	}
	if (a->host_owned)
		munmap((void *)(uintptr_t)a->base, a->host_len);
	free(a);
}

static void umd_alloc_release(MUcontext ctx, struct umd_alloc *a)
{
	pthread_mutex_lock(&ctx->lock);
	if (a->chunk) {
		umd_small_free(ctx, a);
	} else {
		if (a->rz)
			umd_memcheck_mark(a->bo.va, a->bo.size, 0);
		umd_bo_destroy(ctx, &a->bo);
	}
	pthread_mutex_unlock(&ctx->lock);
	umd_alloc_free_extra(a);
}

/*
 * The memory checker's quarantine: freed allocations keep their memory,
 * poisoned, until UMD_QUARANTINE_BYTES of them are held, so a kernel that
 * uses one after muMemFree reads a freed allocation, not a new one.
 */
#define UMD_QUARANTINE_BYTES (256ull << 20)
static pthread_mutex_t umd_quarantine_lock = PTHREAD_MUTEX_INITIALIZER;
static struct umd_alloc *umd_quarantine_head, **umd_quarantine_tail = &umd_quarantine_head;
static uint64_t umd_quarantine_bytes;

static void umd_alloc_destroy(MUcontext ctx, struct umd_alloc *a)
{
	struct umd_alloc *old = NULL;

	if (!a->rz) {
		umd_alloc_release(ctx, a);
		return;
	}
	umd_memcheck_mark(a->base, a->size, MUSA_SHADOW_FREED);
	pthread_mutex_lock(&umd_quarantine_lock);
	a->qnext = NULL;
	*umd_quarantine_tail = a;
	umd_quarantine_tail = &a->qnext;
	umd_quarantine_bytes += a->size + 2 * a->rz;
	if (umd_quarantine_bytes > UMD_QUARANTINE_BYTES && umd_quarantine_head != a) {
		old = umd_quarantine_head;
		umd_quarantine_head = old->qnext;
		umd_quarantine_bytes -= old->size + 2 * old->rz;
	}
	pthread_mutex_unlock(&umd_quarantine_lock);
	if (old)
		umd_alloc_release(old->ctx, old);
}

/* Releases the quarantined allocations of ctx (teardown). */
static void umd_quarantine_release_ctx(MUcontext ctx)
{
	struct umd_alloc *mine = NULL, **pp;

	pthread_mutex_lock(&umd_quarantine_lock);
	for (pp = &umd_quarantine_head; *pp;) {
		struct umd_alloc *a = *pp;

		if (a->ctx != ctx) {
			pp = &a->qnext;
			continue;
		}
		*pp = a->qnext;
		umd_quarantine_bytes -= a->size + 2 * a->rz;
		a->qnext = mine;
		mine = a;
	}
	umd_quarantine_tail = &umd_quarantine_head;
	while (*umd_quarantine_tail)
		umd_quarantine_tail = &(*umd_quarantine_tail)->qnext;
	pthread_mutex_unlock(&umd_quarantine_lock);
	while (mine) {
		struct umd_alloc *a = mine;

		mine = a->qnext;
		umd_alloc_release(ctx, a);
	}
}

int umd_mem_nearest(uint64_t p, struct umd_mem_near *out)
{
	size_t i;
	int found = 0;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&umd_quarantine_lock);
	for (struct umd_alloc *a = umd_quarantine_head; a; a = a->qnext) {
		if (p - a->base < a->size) {
			out->base = a->base;
			out->size = a->size;
			out->freed = 1;
			found = 1;
		}
	}
	pthread_mutex_unlock(&umd_quarantine_lock);
	if (found)
		return 0;
	pthread_mutex_lock(&umd_allocs_lock);
	i = umd_alloc_table_upper(p);
	/* the entry at or below p, else the one above, whichever is nearer */
	if (i && (i == umd_alloc_count || p - umd_allocs[i - 1]->base < umd_allocs[i - 1]->size ||
		  p - (umd_allocs[i - 1]->base + umd_allocs[i - 1]->size) <=
		  umd_allocs[i]->base - p)) {
		out->base = umd_allocs[i - 1]->base;
		out->size = umd_allocs[i - 1]->size;
		found = 1;
	} else if (i < umd_alloc_count) {
		out->base = umd_allocs[i]->base;
		out->size = umd_allocs[i]->size;
		found = 1;
	}
	pthread_mutex_unlock(&umd_allocs_lock);
	return found ? 0 : -1;
}

/* The tables indexed by something other than the context (pools, peer
 * links between two contexts, IPC mappings and texture objects found by
 * address or number, arrays) drop the context's entries first. */
void umd_mem_release_ctx(MUcontext ctx)
{
	size_t j = 0;

	umd_quarantine_release_ctx(ctx);
	umd_pool_forget_ctx(ctx);
	umd_peer_forget_ctx(ctx);
	umd_ipc_forget_ctx(ctx);
	umd_tex_forget_ctx(ctx);
	umd_array_forget_ctx(ctx);

	pthread_mutex_lock(&umd_allocs_lock);
	for (size_t i = 0; i < umd_alloc_count; i++) {
		struct umd_alloc *a = umd_allocs[i];
		struct umd_context_bo **pp = &a->context_bos, *x;

		while ((x = *pp)) {
			if (x->ctx == ctx) {  /* the closing fd drops the BO */
				*pp = x->next;
				free(x);
			} else {
				pp = &x->next;
			}
		}
		if (a->ctx != ctx) {
			umd_allocs[j++] = a;
			continue;
		}
		umd_smi_mem(ctx->ordinal, a->kind, -(int64_t)a->size);
		if (!a->chunk) {
			if (a->rz)
				umd_memcheck_mark(a->bo.va, a->bo.size, 0);
			umd_bo_destroy(ctx, &a->bo);
		}
		umd_alloc_free_extra(a);
	}
	umd_alloc_count = j;
	pthread_mutex_unlock(&umd_allocs_lock);
	while (!umd_list_empty(&ctx->chunks)) {
		struct umd_chunk *c = umd_container_of(ctx->chunks.next, struct umd_chunk, link);

		umd_list_del(&c->link);
		umd_memcheck_mark(c->bo.va, UMD_CHUNK_SIZE, 0);
		umd_bo_destroy(ctx, &c->bo);
		free(c);
	}
}

/* Entries of every kind. */

/* A new table entry of size bytes, not yet placed: NULL when out of memory. */
static struct umd_alloc *umd_alloc_new(MUcontext ctx, size_t size, enum umd_mem_kind kind,
				       unsigned int flags)
{
	struct umd_alloc *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->size = size;
	a->ctx = ctx;
	a->kind = kind;
	a->flags = flags;
	a->ipc_fd = -1;
	return a;
}

MUresult umd_mem_alloc_kind(MUcontext ctx, size_t size, enum umd_mem_kind kind,
			    unsigned int flags, void *pool, MUdeviceptr *out)
{
	struct umd_alloc *a;
	int ret;

	if (size > ctx->dev->info.memory_size)
		return MUSA_ERROR_OUT_OF_MEMORY;
	a = umd_alloc_new(ctx, size, kind, flags);
	if (!a)
		return MUSA_ERROR_OUT_OF_MEMORY;
	a->pool = pool;
	a->rz = umd_memcheck_redzone();
	if (size + 2 * a->rz < UMD_SMALL_LIMIT) {
		pthread_mutex_lock(&ctx->lock);
		ret = umd_small_alloc(ctx, a);
		pthread_mutex_unlock(&ctx->lock);
	} else {
		ret = umd_bo_create(ctx, size + 2 * a->rz, 0, &a->bo);
		a->base = a->bo.va + a->rz;
	}
	if (ret) {
		free(a);
		return umd_errno(ret);
	}
	if (a->rz)
		umd_memcheck_alloc(a->base - a->rz, a->chunk ? (size_t)a->ngran * UMD_GRANULE :
				   a->bo.size, a->base, size);
	if (umd_alloc_table_insert(a)) {
		umd_alloc_destroy(ctx, a);
		return MUSA_ERROR_OUT_OF_MEMORY;
	}
	*out = a->base;
	return MUSA_SUCCESS;
}

MUresult umd_mem_add(MUcontext ctx, MUdeviceptr base, size_t size, enum umd_mem_kind kind,
		     unsigned int flags, int host_owned, const struct umd_bo *bo)
{
	struct umd_alloc *a = umd_alloc_new(ctx, size, kind, flags);
	long page = sysconf(_SC_PAGESIZE);
	MUresult r;

	if (!a)
		return MUSA_ERROR_OUT_OF_MEMORY;
	a->base = base;
	a->host_owned = host_owned;
	a->host_len = (size + (size_t)page - 1) & ~((size_t)page - 1);
	if (bo)
		a->bo = *bo;
	pthread_mutex_lock(&umd_allocs_lock);
	r = umd_alloc_table_overlaps(base, size) ? MUSA_ERROR_HOST_MEMORY_ALREADY_REGISTERED :
		umd_alloc_table_insert_locked(a) ? MUSA_ERROR_OUT_OF_MEMORY : MUSA_SUCCESS;
	pthread_mutex_unlock(&umd_allocs_lock);
	if (r)
		free(a);
	return r;
}

/* Removes the entry starting at base if its kind is in the mask. */
static struct umd_alloc *umd_alloc_table_remove_kind(MUdeviceptr base, MUcontext ctx,
						      unsigned int kinds)
{
	struct umd_alloc *a = NULL;
	size_t i;

	pthread_mutex_lock(&umd_allocs_lock);
	i = umd_alloc_table_upper(base);
	if (i && umd_allocs[i - 1]->base == base && (!ctx || umd_allocs[i - 1]->ctx == ctx) &&
	    (kinds & (1u << umd_allocs[i - 1]->kind))) {
		a = umd_allocs[i - 1];
		memmove(&umd_allocs[i - 1], &umd_allocs[i],
			(umd_alloc_count - i) * sizeof(*umd_allocs));
		umd_alloc_count--;
		umd_smi_mem(a->ctx->ordinal, a->kind, -(int64_t)a->size);
	}
	pthread_mutex_unlock(&umd_allocs_lock);
	return a;
}

MUresult umd_mem_remove(MUdeviceptr base, enum umd_mem_kind kind)
{
	struct umd_alloc *a = umd_alloc_table_remove_kind(base, NULL, 1u << kind);

	CHECK(!a, MUSA_ERROR_INVALID_VALUE);
	umd_alloc_destroy(a->ctx, a);
	return MUSA_SUCCESS;
}

static MUresult umd_mem_alloc_on(MUcontext ctx, MUdeviceptr *dptr, size_t bytesize)
{
	MUresult r;

	CHECK(!dptr || bytesize == 0, MUSA_ERROR_INVALID_VALUE);
	r = umd_capture_unsafe_call();  /* graphs: not during a global capture */
	if (r)
		return r;
	return umd_mem_alloc_kind(ctx, bytesize, UMD_MEM_DEVICE, 0, NULL, dptr);
}

UMD_API MUresult muMemAlloc(MUdeviceptr *dptr, size_t bytesize)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_mem_alloc_on(ctx, dptr, bytesize));
}

static MUresult umd_mem_free_on(MUcontext ctx, MUdeviceptr dptr)
{
	struct umd_alloc *a;
	MUresult r;

	CHECK(!dptr, MUSA_ERROR_INVALID_VALUE);
	r = umd_capture_unsafe_call();  /* graphs: not during a global capture */
	if (r)
		return r;
	/* Queued work may still use the memory: let it finish, as cuMemFree does. */
	r = umd_ctx_sync(ctx);
	if (r)
		return r;
	a = umd_alloc_table_remove_kind(dptr, ctx, 1u << UMD_MEM_DEVICE | 1u << UMD_MEM_MANAGED);
	CHECK(!a, MUSA_ERROR_INVALID_VALUE);
	if (a->pool)
		umd_pool_block_gone(a->pool, a->base);
	umd_alloc_destroy(ctx, a);
	return MUSA_SUCCESS;
}

UMD_API MUresult muMemFree(MUdeviceptr dptr)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_mem_free_on(ctx, dptr));
}

/* Managed memory. */

static MUresult umd_mem_alloc_managed_on(MUcontext ctx, MUdeviceptr *dptr, size_t bytesize,
					 unsigned int flags)
{
	CHECK(!dptr || bytesize == 0 ||
	      (flags != MU_MEM_ATTACH_GLOBAL && flags != MU_MEM_ATTACH_HOST),
	      MUSA_ERROR_INVALID_VALUE);
	return umd_mem_alloc_kind(ctx, bytesize, UMD_MEM_MANAGED, flags, NULL, dptr);
}

UMD_API MUresult muMemAllocManaged(MUdeviceptr *dptr, size_t bytesize, unsigned int flags)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_mem_alloc_managed_on(ctx, dptr, bytesize, flags));
}

/* Pinned host memory. */

/* Pins [p, p + size) for ctx: a userptr BO mapped at p. */
static MUresult umd_host_pin(MUcontext ctx, void *p, size_t size, unsigned int flags,
			     int read_only, int host_owned)
{
	struct umd_bo bo;
	uint64_t dev_addr;
	MUresult r;
	int ret;

	ret = umd_bo_userptr(ctx, p, size, read_only, &bo, &dev_addr);
	if (ret)
		return ret == -ENOMEM ? MUSA_ERROR_OUT_OF_MEMORY : MUSA_ERROR_INVALID_VALUE;
	r = umd_mem_add(ctx, (MUdeviceptr)(uintptr_t)p, size, UMD_MEM_HOST, flags, host_owned, &bo);
	if (r) {
		pthread_mutex_lock(&ctx->lock);
		umd_bo_destroy(ctx, &bo);
		pthread_mutex_unlock(&ctx->lock);
	}
	return r;
}

static MUresult umd_mem_host_alloc_on(MUcontext ctx, void **pp, size_t bytesize, unsigned int Flags)
{
	MUresult r;
	void *p;

	CHECK(!pp || bytesize == 0 ||
	      (Flags & ~(unsigned int)(MU_MEMHOSTALLOC_PORTABLE | MU_MEMHOSTALLOC_DEVICEMAP |
				       MU_MEMHOSTALLOC_WRITECOMBINED)),
	      MUSA_ERROR_INVALID_VALUE);
	if (bytesize > SIZE_MAX / 2)
		return MUSA_ERROR_OUT_OF_MEMORY;
	p = mmap(NULL, bytesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return MUSA_ERROR_OUT_OF_MEMORY;
	r = umd_host_pin(ctx, p, bytesize, Flags, 0, 1);
	if (r) {
		munmap(p, bytesize);
		return r == MUSA_ERROR_INVALID_VALUE ? MUSA_ERROR_OUT_OF_MEMORY : r;
	}
	*pp = p;
	return MUSA_SUCCESS;
}

UMD_API MUresult muMemHostAlloc(void **pp, size_t bytesize, unsigned int Flags)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_mem_host_alloc_on(ctx, pp, bytesize, Flags));
}

UMD_API MUresult muMemAllocHost(void **pp, size_t bytesize)
{
	return muMemHostAlloc(pp, bytesize, 0);
}

/* Frees pinned memory at p that muMemHostAlloc made (host_owned) or unpins
 * memory that muMemHostRegister pinned (!host_owned); any other pointer
 * gets not_found. */
static MUresult umd_host_release(void *p, int host_owned, MUresult not_found)
{
	struct umd_alloc *a;
	MUresult r = umd_ctx_ready();

	if (r)
		return r;
	CHECK(!p, MUSA_ERROR_INVALID_VALUE);
	a = umd_alloc_table_remove_kind((MUdeviceptr)(uintptr_t)p, NULL, 1u << UMD_MEM_HOST);
	if (a && !a->host_owned != !host_owned) {
		umd_alloc_table_insert(a);  /* the other kind of pinned memory */
		a = NULL;
	}
	if (!a)
		return not_found;
	/* Queued copies may still use the pages. */
	umd_ctx_sync(a->ctx);
	umd_alloc_destroy(a->ctx, a);
	return MUSA_SUCCESS;
}

UMD_API MUresult muMemFreeHost(void *p)
{
	return umd_host_release(p, 1, MUSA_ERROR_INVALID_VALUE);
}

static MUresult umd_mem_host_register_on(MUcontext ctx, void *p, size_t bytesize,
					 unsigned int Flags)
{
	struct umd_mem_info mi;
	MUresult r;

	CHECK(!p || bytesize == 0 || (uintptr_t)p + bytesize < (uintptr_t)p ||
	      (Flags & ~(unsigned int)(MU_MEMHOSTREGISTER_PORTABLE | MU_MEMHOSTREGISTER_DEVICEMAP |
				       MU_MEMHOSTREGISTER_IOMEMORY | MU_MEMHOSTREGISTER_READ_ONLY)),
	      MUSA_ERROR_INVALID_VALUE);
	/* device memory is not host memory */
	CHECK(!umd_mem_lookup((MUdeviceptr)(uintptr_t)p, 1, &mi) && mi.kind != UMD_MEM_HOST,
	      MUSA_ERROR_INVALID_VALUE);
	pthread_mutex_lock(&umd_allocs_lock);
	r = umd_alloc_table_overlaps((MUdeviceptr)(uintptr_t)p, bytesize) ?
		MUSA_ERROR_HOST_MEMORY_ALREADY_REGISTERED : MUSA_SUCCESS;
	pthread_mutex_unlock(&umd_allocs_lock);
	if (r)
		return r;
	return umd_host_pin(ctx, p, bytesize, Flags,
			    !!(Flags & MU_MEMHOSTREGISTER_READ_ONLY), 0);
}

UMD_API MUresult muMemHostRegister(void *p, size_t bytesize, unsigned int Flags)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_mem_host_register_on(ctx, p, bytesize, Flags));
}

UMD_API MUresult muMemHostUnregister(void *p)
{
	return umd_host_release(p, 0, MUSA_ERROR_HOST_MEMORY_NOT_REGISTERED);
}

UMD_API MUresult muMemHostGetDevicePointer(MUdeviceptr *pdptr, void *p, unsigned int Flags)
{
	struct umd_mem_info mi;
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!pdptr || !p || Flags, MUSA_ERROR_INVALID_VALUE);
	CHECK(umd_mem_lookup((MUdeviceptr)(uintptr_t)p, 1, &mi) || mi.kind != UMD_MEM_HOST,
	      MUSA_ERROR_INVALID_VALUE);
	*pdptr = (MUdeviceptr)(uintptr_t)p;  /* userptr BOs are mapped at their address */
	return MUSA_SUCCESS;
}

UMD_API MUresult muMemHostGetFlags(unsigned int *pFlags, void *p)
{
	struct umd_mem_info mi;
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!pFlags || !p, MUSA_ERROR_INVALID_VALUE);
	CHECK(umd_mem_lookup((MUdeviceptr)(uintptr_t)p, 1, &mi) || mi.kind != UMD_MEM_HOST,
	      MUSA_ERROR_INVALID_VALUE);
	*pFlags = mi.flags;
	return MUSA_SUCCESS;
}

static MUresult umd_mem_get_info_on(MUcontext ctx, size_t *free_bytes, size_t *total)
{
	uint64_t size, used;
	int ret;

	CHECK(!free_bytes || !total, MUSA_ERROR_INVALID_VALUE);
	ret = umd_dev_param(&ctx->tr, DRM_MUSA_PARAM_MEMORY_SIZE, 0, &size);
	if (!ret)
		ret = umd_dev_param(&ctx->tr, DRM_MUSA_PARAM_MEMORY_USED, 0, &used);
	if (ret)
		return umd_errno(ret);
	*total = (size_t)size;
	*free_bytes = used < size ? (size_t)(size - used) : 0;
	return MUSA_SUCCESS;
}

UMD_API MUresult muMemGetInfo(size_t *free_bytes, size_t *total)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_mem_get_info_on(ctx, free_bytes, total));
}

static MUresult umd_mem_address_range_on(MUcontext ctx, MUdeviceptr *pbase, size_t *psize,
					 MUdeviceptr dptr)
{
	struct umd_mem_info ai;

	if ((umd_mem_lookup(dptr, 0, &ai) || ai.ctx != ctx) && umd_module_var_alloc(dptr, &ai))
		return MUSA_ERROR_NOT_FOUND;
	if (pbase)
		*pbase = ai.base;
	if (psize)
		*psize = ai.size;
	return MUSA_SUCCESS;
}

UMD_API MUresult muMemGetAddressRange(MUdeviceptr *pbase, size_t *psize, MUdeviceptr dptr)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_mem_address_range_on(ctx, pbase, psize, dptr));
}

/* One attribute of the memory p lies in (mi), or of a module variable. */
static MUresult umd_ptr_attr(void *data, MUpointer_attribute attribute, MUdeviceptr ptr,
			     const struct umd_mem_info *mi)
{
	int host = mi->kind == UMD_MEM_HOST;

	switch ((int)attribute) {
	case MU_POINTER_ATTRIBUTE_CONTEXT:
		*(MUcontext *)data = mi->ctx;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_MEMORY_TYPE:
		*(unsigned int *)data = host ? MU_MEMORYTYPE_HOST : MU_MEMORYTYPE_DEVICE;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_DEVICE_POINTER:
		*(MUdeviceptr *)data = ptr;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_HOST_POINTER:
		/* Device memory has no host pointer; pinned and managed memory do. */
		CHECK(mi->kind != UMD_MEM_HOST && mi->kind != UMD_MEM_MANAGED,
		      MUSA_ERROR_INVALID_VALUE);
		*(void **)data = (void *)(uintptr_t)ptr;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_SYNC_MEMOPS:
		*(int *)data = 1;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_BUFFER_ID:
		*(unsigned long long *)data = mi->base;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_IS_MANAGED:
		*(int *)data = mi->kind == UMD_MEM_MANAGED;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_RANGE_START_ADDR:
		*(MUdeviceptr *)data = mi->base;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_RANGE_SIZE:
		*(size_t *)data = mi->size;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_DEVICE_ORDINAL:
		*(int *)data = mi->ctx->ordinal;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_MAPPED:
		*(int *)data = 1;
		return MUSA_SUCCESS;
	case MU_POINTER_ATTRIBUTE_MEMPOOL_HANDLE:
		*(void **)data = mi->pool;
		return MUSA_SUCCESS;
	default:
		return MUSA_ERROR_INVALID_VALUE;
	}
}

/* The table entry or module variable holding ptr; 0 or -1. */
static int umd_ptr_find(MUdeviceptr ptr, struct umd_mem_info *mi)
{
	if (!umd_mem_lookup(ptr, 0, mi))
		return 0;
	return umd_module_var_alloc(ptr, mi);
}

UMD_API MUresult muPointerGetAttribute(void *data, MUpointer_attribute attribute, MUdeviceptr ptr)
{
	struct umd_mem_info mi;
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!data, MUSA_ERROR_INVALID_VALUE);
	CHECK(umd_ptr_find(ptr, &mi), MUSA_ERROR_INVALID_VALUE);
	return umd_ptr_attr(data, attribute, ptr, &mi);
}

/* Unknown memory gets each attribute's "not ours" value, as cuPointerGetAttributes. */
UMD_API MUresult muPointerGetAttributes(unsigned int numAttributes,
					MUpointer_attribute *attributes, void **data,
					MUdeviceptr ptr)
{
	struct umd_mem_info mi;
	MUresult r = umd_check_init();
	int known;

	if (r)
		return r;
	CHECK(!numAttributes || !attributes || !data, MUSA_ERROR_INVALID_VALUE);
	for (unsigned int i = 0; i < numAttributes; i++) {
		int a = (int)attributes[i];

		CHECK(!data[i] || a < (int)MU_POINTER_ATTRIBUTE_CONTEXT ||
		      a > (int)MU_POINTER_ATTRIBUTE_MEMPOOL_HANDLE,
		      MUSA_ERROR_INVALID_VALUE);
	}
	known = !umd_ptr_find(ptr, &mi);
	for (unsigned int i = 0; i < numAttributes; i++) {
		void *d = data[i];

		if (known && !umd_ptr_attr(d, attributes[i], ptr, &mi))
			continue;
		switch ((int)attributes[i]) {
		case MU_POINTER_ATTRIBUTE_CONTEXT:
		case MU_POINTER_ATTRIBUTE_HOST_POINTER:
		case MU_POINTER_ATTRIBUTE_MEMPOOL_HANDLE:
			*(void **)d = NULL;
			break;
		case MU_POINTER_ATTRIBUTE_MEMORY_TYPE:
		case MU_POINTER_ATTRIBUTE_IS_MANAGED:
		case MU_POINTER_ATTRIBUTE_MAPPED:
		case MU_POINTER_ATTRIBUTE_SYNC_MEMOPS:
			*(int *)d = 0;
			break;
		case MU_POINTER_ATTRIBUTE_DEVICE_ORDINAL:
			*(int *)d = -2;
			break;
		case MU_POINTER_ATTRIBUTE_RANGE_SIZE:
			*(size_t *)d = 0;
			break;
		default:
			*(unsigned long long *)d = 0;
			break;
		}
	}
	return MUSA_SUCCESS;
}
