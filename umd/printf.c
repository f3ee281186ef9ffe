/* SPDX-License-Identifier: MIT */
/*
 * printf.c - the device runtime buffers of a context: the printf FIFO and
 * the malloc heap (one BO each, made when the first module that uses them
 * is loaded), the limits that size them (muCtxSetLimit / muCtxGetLimit),
 * binding a module's __musa_printf_fifo / __musa_heap variables to them,
 * and draining the FIFO to stdout at synchronization points.
 *
 * Kernels (compiler-rt/printf.c) format on the device and append records
 * with an atomic add on the FIFO head; a record past the end is dropped,
 * as CUDA drops output when its FIFO is full. The drain prints complete
 * records in order and stops at one still being written; once everything
 * up to the head is printed it clears the used bytes and resets the head
 * with a compare-and-swap, which fails harmlessly if a kernel appended
 * meanwhile. One process-wide lock serializes drains and buffer creation:
 * both are rare and short, and it never nests inside ctx->lock users.
 * May call: bo.c, copy path (muMemcpyHtoD), module.c, transport.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "musa_log.h"
#include "umd.h"

#define UMD_PRINTF_FIFO_DEFAULT (1u << 20)
#define UMD_STACK_DEFAULT       1024u             /* CUDA's per-thread default */
#define UMD_STACK_MAX           (256u * 1024u)    /* the fiber stacks' size */
#define UMD_MALLOC_HEAP_DEFAULT (8u << 20)

struct umd_devrt {
	size_t limit[3];        /* indexed by MUlimit */
	struct umd_bo fifo;     /* handle 0 until made */
	struct umd_bo heap;
	uint64_t tail;          /* next FIFO byte to print */
};

static pthread_mutex_t umd_devrt_lock = PTHREAD_MUTEX_INITIALIZER;

/* umd_devrt_lock held. */
static struct umd_devrt *umd_devrt_get(MUcontext ctx)
{
	if (!ctx->devrt) {
		ctx->devrt = calloc(1, sizeof(*ctx->devrt));
		if (!ctx->devrt)
			return NULL;
		ctx->devrt->limit[MU_LIMIT_STACK_SIZE] = UMD_STACK_DEFAULT;
		ctx->devrt->limit[MU_LIMIT_PRINTF_FIFO_SIZE] = UMD_PRINTF_FIFO_DEFAULT;
		ctx->devrt->limit[MU_LIMIT_MALLOC_HEAP_SIZE] = UMD_MALLOC_HEAP_DEFAULT;
	}
	return ctx->devrt;
}

/* The buffer of one device-runtime variable; makes it on first use. */
static int umd_devrt_buffer(MUcontext ctx, struct umd_devrt *d, int heap, uint64_t *va)
{
	struct umd_bo *bo = heap ? &d->heap : &d->fifo;
	size_t size = d->limit[heap ? MU_LIMIT_MALLOC_HEAP_SIZE : MU_LIMIT_PRINTF_FIFO_SIZE];
	int ret;

	if (!bo->handle) {
		ret = umd_bo_create(ctx, size, 1, bo);
		if (ret) {
			bo->handle = 0;
			return ret;
		}
		if (heap) {
			struct musa_heap *h = bo->cpu;

			h->size = bo->size;
			h->top = (sizeof(*h) + 63) & ~(uint64_t)63;
		} else {
			struct musa_printf_fifo *f = bo->cpu;

			f->size = bo->size - sizeof(*f);
		}
	}
	*va = bo->va;
	return 0;
}

MUresult umd_devrt_bind(MUcontext ctx, struct MUmod_st *m)
{
	static const char *const names[2] = { MUSA_DEVRT_PRINTF_VAR, MUSA_DEVRT_HEAP_VAR };
	MUresult r = MUSA_SUCCESS;

	for (uint32_t i = 0; i < m->co.nvars && !r; i++) {
		struct umd_devrt *d;
		uint64_t va = 0;
		int heap, ret;

		if (!strcmp(m->co.vars[i].name, MUSA_DEVRT_MEMCHECK_VAR)) {
			/* a checked build: the memory checker's report buffer */
			va = umd_memcheck_state();
			if (m->co.vars[i].meta->size != sizeof(uint64_t))
				return MUSA_ERROR_INVALID_IMAGE;
			r = va ? muMemcpyHtoD(m->var_va[i], &va, sizeof(va)) : MUSA_SUCCESS;
			continue;
		}
		for (heap = 0; heap < 2; heap++)
			if (!strcmp(m->co.vars[i].name, names[heap]))
				break;
		if (heap == 2)
			continue;
		if (m->co.vars[i].meta->size != sizeof(uint64_t))
			return MUSA_ERROR_INVALID_IMAGE;
		pthread_mutex_lock(&umd_devrt_lock);
		d = umd_devrt_get(ctx);
		ret = d ? umd_devrt_buffer(ctx, d, heap, &va) : -ENOMEM;
		pthread_mutex_unlock(&umd_devrt_lock);
		if (ret)
			return umd_errno(ret);
		r = muMemcpyHtoD(m->var_va[i], &va, sizeof(va));
	}
	return r;
}

/* Prints complete records from d->tail on; umd_devrt_lock held. */
static void umd_fifo_drain(struct umd_devrt *d)
{
	struct musa_printf_fifo *f = d->fifo.cpu;
	unsigned char *data = (unsigned char *)(f + 1);
	uint64_t h = __atomic_load_n(&f->head, __ATOMIC_ACQUIRE);
	uint64_t lim = h < f->size ? h : f->size, pos = d->tail;
	int printed = 0;

	while (pos + sizeof(struct musa_printf_rec) <= lim) {
		struct musa_printf_rec *rec = (struct musa_printf_rec *)(data + pos);
		uint32_t st = __atomic_load_n(&rec->state, __ATOMIC_ACQUIRE);

		if (st == MUSA_PRINTF_END) {
			pos = lim;
			break;
		}
		if (st != MUSA_PRINTF_READY || rec->len < sizeof(*rec) || rec->len % 8 ||
		    rec->len > lim - pos)
			break;  /* still being written */
		fwrite(rec + 1, 1, strnlen((const char *)(rec + 1), rec->len - sizeof(*rec)), stdout);
		printed = 1;
		pos += rec->len;
	}
	if (printed)
		fflush(stdout);
	d->tail = pos;
	if (pos < lim)
		return;
	/* Everything reserved below h is printed: start over at 0. */
	memset(data, 0, lim);
	if (__atomic_compare_exchange_n(&f->head, &h, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		d->tail = 0;
}

void umd_printf_drain(MUcontext ctx)
{
	umd_memcheck_drain();  /* the memory checker's reports show there too */
	if (!ctx->devrt)
		return;
	pthread_mutex_lock(&umd_devrt_lock);
	if (ctx->devrt->fifo.handle)
		umd_fifo_drain(ctx->devrt);
	pthread_mutex_unlock(&umd_devrt_lock);
}

void umd_devrt_release(MUcontext ctx)
{
	struct umd_devrt *d = ctx->devrt;

	if (!d)
		return;
	pthread_mutex_lock(&umd_devrt_lock);
	if (d->fifo.handle) {
		if (!atomic_load(&ctx->sticky))
			umd_fifo_drain(d);
		umd_bo_destroy(ctx, &d->fifo);
	}
	if (d->heap.handle)
		umd_bo_destroy(ctx, &d->heap);
	ctx->devrt = NULL;
	pthread_mutex_unlock(&umd_devrt_lock);
	free(d);
}

static MUresult umd_ctx_set_limit_on(MUcontext ctx, MUlimit limit, size_t value)
{
	struct umd_devrt *d;
	MUresult r = MUSA_SUCCESS;

	if (limit != MU_LIMIT_STACK_SIZE && limit != MU_LIMIT_PRINTF_FIFO_SIZE &&
	    limit != MU_LIMIT_MALLOC_HEAP_SIZE)
		return MUSA_ERROR_UNSUPPORTED_LIMIT;
	CHECK(limit == MU_LIMIT_STACK_SIZE ? value > UMD_STACK_MAX
					    : value == 0 || value > ctx->dev->info.memory_size,
	      MUSA_ERROR_INVALID_VALUE);
	pthread_mutex_lock(&umd_devrt_lock);
	d = umd_devrt_get(ctx);
	if (!d) {
		r = MUSA_ERROR_OUT_OF_MEMORY;
	} else if (limit == MU_LIMIT_STACK_SIZE) {
		/* Kernels run on fiber or compute-unit stacks of UMD_STACK_MAX
		 * bytes at least, so any size up to it holds as asked; 0 is
		 * the default again. */
		d->limit[limit] = value ? value : UMD_STACK_DEFAULT;
	} else if ((limit == MU_LIMIT_PRINTF_FIFO_SIZE ? d->fifo : d->heap).handle) {
		/* CUDA: not after a kernel using printf / malloc was launched */
		r = MUSA_ERROR_INVALID_VALUE;
	} else if (limit == MU_LIMIT_PRINTF_FIFO_SIZE && value < 2 * sizeof(struct musa_printf_fifo)) {
		r = MUSA_ERROR_INVALID_VALUE;
	} else if (limit == MU_LIMIT_MALLOC_HEAP_SIZE && value < 2 * sizeof(struct musa_heap)) {
		r = MUSA_ERROR_INVALID_VALUE;
	} else {
		d->limit[limit] = value;
	}
	pthread_mutex_unlock(&umd_devrt_lock);
	return r;
}

UMD_API MUresult muCtxSetLimit(MUlimit limit, size_t value)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_ctx_set_limit_on(ctx, limit, value));
}

static MUresult umd_ctx_get_limit_on(MUcontext ctx, size_t *pvalue, MUlimit limit)
{
	struct umd_devrt *d;

	CHECK(!pvalue, MUSA_ERROR_INVALID_VALUE);
	if (limit != MU_LIMIT_STACK_SIZE && limit != MU_LIMIT_PRINTF_FIFO_SIZE &&
	    limit != MU_LIMIT_MALLOC_HEAP_SIZE)
		return MUSA_ERROR_UNSUPPORTED_LIMIT;
	pthread_mutex_lock(&umd_devrt_lock);
	d = umd_devrt_get(ctx);
	if (d)
		*pvalue = d->limit[limit];
	pthread_mutex_unlock(&umd_devrt_lock);
	return d ? MUSA_SUCCESS : MUSA_ERROR_OUT_OF_MEMORY;
}

UMD_API MUresult muCtxGetLimit(size_t *pvalue, MUlimit limit)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);

	return r ? r : umd_ctx_leave(ctx, umd_ctx_get_limit_on(ctx, pvalue, limit));
}
