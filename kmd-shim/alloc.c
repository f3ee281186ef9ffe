/* SPDX-License-Identifier: MIT */
/*
 * alloc.c - the allocations of the submission path (SUBMIT, the rings'
 * take, fences and syncobj slots), and a failure injection for them that
 * only tests reach.
 *
 * The injection is a countdown: while it is non-zero every allocation
 * made here counts it down, and the one that takes it to zero fails as
 * if the heap were exhausted. While it is zero (always, outside the
 * tests) an allocation costs one predictable branch more than the libc
 * call.
 *
 * Tests reach the countdown through kmd_alloc_fail_at(), which no
 * installed header declares and libmusa_kmd.so does not export (the shim
 * is built with hidden visibility; only the door of musa_kmd.h is
 * exported): a test declares it itself (tests/kmd/kmd_alloc_fail.h) and
 * links the shim's objects statically (the Makefile's rule for
 * tests/kmd/test_submit_alloc). A program using the library cannot name
 * it, so it cannot set the countdown by accident.
 *
 * Calls nothing else of the shim.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "kmd.h"

/* Allocations left until one fails; 0: none fails. */
static _Atomic uint64_t alloc_fail_countdown;

/* Only while the countdown is armed: whether this allocation fails. */
static bool __attribute__((noinline)) alloc_fail_now(void)
{
	uint64_t left = atomic_load(&alloc_fail_countdown);

	while (left && !atomic_compare_exchange_weak(&alloc_fail_countdown, &left, left - 1))
		;
	return left == 1;
}

static inline bool alloc_fails(void)
{
	if (__builtin_expect(atomic_load_explicit(&alloc_fail_countdown,
						  memory_order_relaxed) == 0, 1))
		return false;
	return alloc_fail_now();
}

void *kmd_malloc(size_t size)
{
	return alloc_fails() ? NULL : malloc(size);
}

void *kmd_calloc(size_t n, size_t size)
{
	return alloc_fails() ? NULL : calloc(n, size);
}

void *kmd_realloc(void *p, size_t size)
{
	return alloc_fails() ? NULL : realloc(p, size);
}

/*
 * Test-only: the nth allocation from now fails (1: the next one; 0:
 * none). Returns how many allocations the previous setting still had to
 * go (0 when it was off or has fired), so a test that armed a large n
 * learns how many allocations a call made.
 */
uint64_t kmd_alloc_fail_at(uint64_t nth);
uint64_t kmd_alloc_fail_at(uint64_t nth)
{
	return atomic_exchange(&alloc_fail_countdown, nth);
}
