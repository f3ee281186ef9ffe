/* SPDX-License-Identifier: MIT */
/*
 * kmd_alloc_fail.h - the shim's allocation-failure injection
 * (kmd-shim/alloc.c), for the suites that link the shim's objects
 * statically (the Makefile's KMD_STATIC_TESTS); libmusa_kmd.so does not
 * export it.
 */
#ifndef KMD_ALLOC_FAIL_H
#define KMD_ALLOC_FAIL_H

#include <stdint.h>

/* The nth allocation of the submission path from now fails (0: none);
 * returns how many the previous setting still had to go. */
uint64_t kmd_alloc_fail_at(uint64_t nth);

/* Arms a countdown no call reaches; kat_count() then says how many
 * allocations were made since. */
#define KAT_COUNT_ARM (1ull << 40)

static inline void kat_count_start(void)
{
	kmd_alloc_fail_at(KAT_COUNT_ARM);
}

static inline uint64_t kat_count(void)
{
	return KAT_COUNT_ARM - kmd_alloc_fail_at(0);
}

#endif /* KMD_ALLOC_FAIL_H */
