/* SPDX-License-Identifier: MIT */
/*
 * memcheck.c - the checks of a code object built for the memory checker
 * (MUSA_MEMCHECK; the UMD builds it from the recipe mcc stores, module.c).
 *
 * That build is compiled with the compiler's AddressSanitizer pass in its
 * out-of-line kernel form (-fsanitize=kernel-address, a call for every
 * access, no stack or global instrumentation), so every load and store of
 * the kernel calls one of the __asan_* functions below. They check the
 * bytes against the shadow of the device window the address falls in (the
 * UMD poisons the red zones around allocations, freed allocations and
 * allocator space nobody holds) and append a record for a bad one, with the
 * running thread's indices; the UMD prints the records at synchronization
 * points. Addresses outside every device window (the stack, __shared__
 * variables, registered host memory) are not checked. Nothing stops the
 * kernel: the access goes ahead as it would without the checker, which
 * faults only where the device would.
 */
#include "devrt.h"

/* Set by the UMD through the variable record below. */
DEVRT_HIDDEN struct musa_memcheck *__musa_memcheck;

__attribute__((visibility("default"))) void *__musa_var___musa_memcheck = &__musa_memcheck;

static const struct __attribute__((aligned(8))) {
	struct musa_meta_var hdr;
	char name[sizeof(MUSA_DEVRT_MEMCHECK_VAR)];
	char sym[sizeof("__musa_var___musa_memcheck")];
} devrt_memcheck_record __attribute__((section(".musa_meta"), used, aligned(8))) = {
	{ MUSA_META_VAR_MAGIC, MUSA_META_VERSION, sizeof(devrt_memcheck_record), 0u,
	  sizeof(void *), sizeof(MUSA_DEVRT_MEMCHECK_VAR) - 1,
	  sizeof("__musa_var___musa_memcheck") - 1 },
	MUSA_DEVRT_MEMCHECK_VAR,
	"__musa_var___musa_memcheck",
};

/* The first bad byte of [a, a + n) in window w, or 0 when all are good. */
static uint64_t first_bad(const struct musa_memcheck_window *w, uint64_t a, uint64_t n)
{
	const unsigned char *shadow = (const unsigned char *)(uintptr_t)w->shadow;
	uint64_t end = a + n, lim = w->base + w->size;

	if (end > lim)
		end = lim;
	while (a < end) {
		uint64_t off = a - w->base, in = off & 7;
		uint64_t stop = a + (8 - in) < end ? a + (8 - in) : end;
		unsigned s = __atomic_load_n(&shadow[off >> 3], __ATOMIC_RELAXED);

		if (s) {
			if (s >= 8 || in >= s)
				return a;
			if (in + (stop - a) > s)
				return a + (s - in);
		}
		a = stop;
	}
	return 0;
}

static void report(struct musa_memcheck *mc, uint64_t bad, uint64_t a, uint64_t n,
		   unsigned flags, void *pc)
{
	uint64_t i = __atomic_fetch_add(&mc->head, 1, __ATOMIC_RELAXED);
	struct musa_memcheck_rec *r;

	if (i >= mc->cap)
		return;
	r = &mc->rec[i];
	r->addr = bad;
	r->access = a;
	r->pc = (uint64_t)(uintptr_t)pc;
	r->entry_pc = (uint64_t)(uintptr_t)devrt_entry_pc;
	r->size = (uint32_t)n;
	r->flags = flags;
	r->block[0] = blockIdx.x;
	r->block[1] = blockIdx.y;
	r->block[2] = blockIdx.z;
	r->thread[0] = threadIdx.x;
	r->thread[1] = threadIdx.y;
	r->thread[2] = threadIdx.z;
	__atomic_store_n(&r->seq, 1u, __ATOMIC_RELEASE);
}

/*
 * A misaligned access is one a GPU would refuse: a 2- or 4-byte access off
 * its size, an 8- or 16-byte one off 4 (the compiler joins neighbouring
 * 4-byte fields into one wider access, so a stricter rule would blame
 * correct code).
 */
static int misaligned(uint64_t a, uint64_t n)
{
	if (n == 2 || n == 4)
		return (a & (n - 1)) != 0;
	if (n == 8 || n == 16)
		return (a & 3) != 0;
	return 0;
}

static void check(uint64_t a, uint64_t n, unsigned flags, void *pc)
{
	struct musa_memcheck *mc = __musa_memcheck;
	uint32_t i;

	/* Keeps the record in the object exactly when the checks are kept. */
	__asm__ volatile("" : : "r"(&devrt_memcheck_record));
	if (!mc || !n)
		return;
	for (i = 0; i < mc->nwindows && i < MUSA_MEMCHECK_WINDOWS; i++) {
		const struct musa_memcheck_window *w = &mc->win[i];
		uint64_t bad;

		if (a - w->base >= w->size)
			continue;
		if (misaligned(a, n)) {
			report(mc, a, a, n, flags | MUSA_MEMCHECK_MISALIGN, pc);
			return;
		}
		bad = first_bad(w, a, n);
		if (bad)
			report(mc, bad, a, n, flags, pc);
		return;
	}
}

#define DEVRT_CHECK_FN(sz)                                                          \
	DEVRT_HIDDEN void __asan_load##sz##_noabort(uintptr_t a)                    \
	{                                                                           \
		check(a, sz, 0, __builtin_return_address(0));                       \
	}                                                                           \
	DEVRT_HIDDEN void __asan_store##sz##_noabort(uintptr_t a)                   \
	{                                                                           \
		check(a, sz, MUSA_MEMCHECK_WRITE, __builtin_return_address(0));     \
	}
DEVRT_CHECK_FN(1)
DEVRT_CHECK_FN(2)
DEVRT_CHECK_FN(4)
DEVRT_CHECK_FN(8)
DEVRT_CHECK_FN(16)

DEVRT_HIDDEN void __asan_loadN_noabort(uintptr_t a, size_t n)
{
	check(a, n, 0, __builtin_return_address(0));
}

DEVRT_HIDDEN void __asan_storeN_noabort(uintptr_t a, size_t n)
{
	check(a, n, MUSA_MEMCHECK_WRITE, __builtin_return_address(0));
}

/* What the pass calls where it cannot tell the size class. */
DEVRT_HIDDEN void __asan_load_n_noabort(uintptr_t a, size_t n)
	__attribute__((alias("__asan_loadN_noabort")));
DEVRT_HIDDEN void __asan_store_n_noabort(uintptr_t a, size_t n)
	__attribute__((alias("__asan_storeN_noabort")));

/* The pass's hook before a call that does not return (longjmp): nothing. */
DEVRT_HIDDEN void __asan_handle_no_return(void)
{
}

/* Memory functions the pass routes here (clang's kernel form). */
DEVRT_HIDDEN void *__asan_memcpy(void *d, const void *s, size_t n)
{
	check((uintptr_t)s, n, 0, __builtin_return_address(0));
	check((uintptr_t)d, n, MUSA_MEMCHECK_WRITE, __builtin_return_address(0));
	return __builtin_memcpy(d, s, n);
}

DEVRT_HIDDEN void *__asan_memmove(void *d, const void *s, size_t n)
{
	check((uintptr_t)s, n, 0, __builtin_return_address(0));
	check((uintptr_t)d, n, MUSA_MEMCHECK_WRITE, __builtin_return_address(0));
	return __builtin_memmove(d, s, n);
}

DEVRT_HIDDEN void *__asan_memset(void *d, int c, size_t n)
{
	check((uintptr_t)d, n, MUSA_MEMCHECK_WRITE, __builtin_return_address(0));
	return __builtin_memset(d, c, n);
}
