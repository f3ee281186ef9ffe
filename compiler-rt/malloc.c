/* SPDX-License-Identifier: MIT */
/*
 * malloc.c - device malloc / free and C++ new / delete from the context's
 * device heap (layout in musa_codeobj.h), shared by every code object of
 * the context: its address reaches each through the variable record
 * __musa_heap, bound by the UMD after loading, and all allocator state
 * lives in the heap itself, so a block from one kernel can be freed by
 * another module's kernel.
 *
 * Blocks come in power-of-two size classes (32 bytes up, 16-byte header)
 * from a bump pointer and go back to a per-class free list; one spinlock
 * guards the heap. A fiber never yields inside malloc (no barrier there),
 * so the lock holder always runs to the unlock. Exhausted: NULL.
 * Linked only into code objects whose code calls malloc, free, new or
 * delete; the record is kept only with the functions that reference it.
 * Calls nothing.
 */
#include <stddef.h>
#include <stdint.h>

#include "devrt.h"

#define HEAP_MIN_SHIFT 5u        /* smallest block: 32 bytes */
#define HEAP_BLOCK_MAGIC 0x4d48424bu

struct heap_block {
	uint32_t cls;               /* size class: block is 32 << cls bytes */
	uint32_t magic;             /* HEAP_BLOCK_MAGIC while allocated */
	uint64_t next;              /* free list link (heap offset) */
};

DEVRT_HIDDEN struct musa_heap *__musa_heap;

__attribute__((visibility("default"))) void *__musa_var___musa_heap = &__musa_heap;

static const struct __attribute__((aligned(8))) {
	struct musa_meta_var hdr;
	char name[sizeof(MUSA_DEVRT_HEAP_VAR)];
	char sym[sizeof("__musa_var___musa_heap")];
} devrt_heap_record __attribute__((section(".musa_meta"), used, aligned(8))) = {
	{ MUSA_META_VAR_MAGIC, MUSA_META_VERSION, sizeof(devrt_heap_record), 0u,
	  sizeof(void *), sizeof(MUSA_DEVRT_HEAP_VAR) - 1, sizeof("__musa_var___musa_heap") - 1 },
	MUSA_DEVRT_HEAP_VAR,
	"__musa_var___musa_heap",
};

static inline void cpu_relax(void)
{
#if defined(__x86_64__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

static void heap_lock(struct musa_heap *h)
{
	while (__atomic_exchange_n(&h->lock, 1u, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&h->lock, __ATOMIC_RELAXED))
			cpu_relax();
}

static void heap_unlock(struct musa_heap *h)
{
	__atomic_store_n(&h->lock, 0u, __ATOMIC_RELEASE);
}

static struct musa_heap *heap_get(void)
{
	/* Keeps the record in the object exactly when the allocator is kept. */
	__asm__ volatile("" : : "r"(&devrt_heap_record));
	return __musa_heap;
}

DEVRT_HIDDEN void *__musa_malloc(size_t n)
{
	struct musa_heap *h = heap_get();
	struct heap_block *b = NULL;
	uint32_t cls = 0;
	uint64_t bytes;

	if (!h || n > h->size)
		return NULL;
	while (((uint64_t)1 << (cls + HEAP_MIN_SHIFT)) < n + sizeof(*b))
		cls++;
	if (cls >= MUSA_HEAP_CLASSES)
		return NULL;
	bytes = (uint64_t)1 << (cls + HEAP_MIN_SHIFT);
	heap_lock(h);
	if (h->free_list[cls]) {
		b = (struct heap_block *)((char *)h + h->free_list[cls]);
		h->free_list[cls] = b->next;
	} else if (bytes <= h->size - h->top) {
		b = (struct heap_block *)((char *)h + h->top);
		h->top += bytes;
	}
	heap_unlock(h);
	if (!b)
		return NULL;
	b->cls = cls;
	b->magic = HEAP_BLOCK_MAGIC;
	b->next = 0;
	return b + 1;
}

DEVRT_HIDDEN void __musa_free(void *p)
{
	struct musa_heap *h = heap_get();
	struct heap_block *b;

	if (!p || !h)
		return;
	b = (struct heap_block *)p - 1;
	/* Not from this heap, or freed twice: ignore rather than corrupt. */
	if ((char *)b < (char *)h || (uint64_t)((char *)b - (char *)h) >= h->top ||
	    b->magic != HEAP_BLOCK_MAGIC || b->cls >= MUSA_HEAP_CLASSES)
		return;
	b->magic = 0;
	heap_lock(h);
	b->next = h->free_list[b->cls];
	h->free_list[b->cls] = (uint64_t)((char *)b - (char *)h);
	heap_unlock(h);
}

/* C++ operator new / delete (the Itanium ABI names) of device code. */
#define DEVRT_NEW(sym) DEVRT_HIDDEN void *sym(size_t n); \
	DEVRT_HIDDEN void *sym(size_t n) { return __musa_malloc(n); }
#define DEVRT_NEW_NT(sym) DEVRT_HIDDEN void *sym(size_t n, const void *nt); \
	DEVRT_HIDDEN void *sym(size_t n, const void *nt) { (void)nt; return __musa_malloc(n); }
#define DEVRT_DEL(sym) DEVRT_HIDDEN void sym(void *p); \
	DEVRT_HIDDEN void sym(void *p) { __musa_free(p); }
#define DEVRT_DEL_SZ(sym) DEVRT_HIDDEN void sym(void *p, size_t n); \
	DEVRT_HIDDEN void sym(void *p, size_t n) { (void)n; __musa_free(p); }

DEVRT_NEW(_Znwm)
DEVRT_NEW(_Znam)
DEVRT_NEW_NT(_ZnwmRKSt9nothrow_t)
DEVRT_NEW_NT(_ZnamRKSt9nothrow_t)
DEVRT_DEL(_ZdlPv)
DEVRT_DEL(_ZdaPv)
DEVRT_DEL_SZ(_ZdlPvm)
DEVRT_DEL_SZ(_ZdaPvm)
