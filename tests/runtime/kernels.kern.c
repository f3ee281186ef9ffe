/* SPDX-License-Identifier: MIT */
/*
 * kernels.kern.c - a hand-written device code object for the runtime tests
 * (no mcc): metadata records in ".musa_meta" as include/musa_codeobj.h lays
 * them out, and one work-group entry per kernel that loops over the
 * group's threads.
 *   add_one(int *p, unsigned n)  p[i] += 1 for every global thread i < n
 *   poke(int *p)                 thread 0 of block 0 stores 1 to *p
 *   sleep_ms(unsigned ms)        block 0 sleeps ms milliseconds
 *   assert_fail(void)            every work-group reports a failed device assert
 */
#include <stdint.h>
#include <time.h>

#include "musa_codeobj.h"

#define EXPORT __attribute__((visibility("default")))

#define KERNEL_RECORD(var, kname, kentry, np)                                   \
	struct var##_record {                                                   \
		struct musa_meta_kernel k;                                      \
		struct musa_meta_param p[np];                                   \
		char name[sizeof(kname)];                                       \
		char entry[sizeof(kentry)];                                     \
	} __attribute__((aligned(8)));                                          \
	__attribute__((section(MUSA_META_SECTION), used, aligned(8)))           \
	static const struct var##_record var

#define KERNEL_HEADER(var, kname, kentry, np, ksize, kalign)                    \
	.k = {                                                                  \
		.magic = MUSA_META_MAGIC, .version = MUSA_META_VERSION,         \
		.record_size = sizeof(struct var##_record), .arch = 31,         \
		.flags = 0, .nparams = np, .kernarg_size = ksize,               \
		.kernarg_align = kalign, .static_shared = 0, .max_threads = 0,  \
		.name_len = sizeof(kname) - 1, .entry_len = sizeof(kentry) - 1, \
	},                                                                      \
	.name = kname, .entry = kentry

KERNEL_RECORD(rec_add_one, "add_one", "add_one_entry", 2) = {
	KERNEL_HEADER(rec_add_one, "add_one", "add_one_entry", 2, 16, 8),
	.p = { { 0, 8, 8, MUSA_PARAM_BYTES }, { 8, 4, 4, MUSA_PARAM_BYTES } },
};

KERNEL_RECORD(rec_poke, "poke", "poke_entry", 1) = {
	KERNEL_HEADER(rec_poke, "poke", "poke_entry", 1, 8, 8),
	.p = { { 0, 8, 8, MUSA_PARAM_BYTES } },
};

KERNEL_RECORD(rec_sleep_ms, "sleep_ms", "sleep_ms_entry", 1) = {
	KERNEL_HEADER(rec_sleep_ms, "sleep_ms", "sleep_ms_entry", 1, 4, 4),
	.p = { { 0, 4, 4, MUSA_PARAM_BYTES } },
};

KERNEL_RECORD(rec_assert_fail, "assert_fail", "assert_fail_entry", 0) = {
	KERNEL_HEADER(rec_assert_fail, "assert_fail", "assert_fail_entry", 0, 0, 1),
};

struct add_one_args {
	int *p;
	unsigned int n;
};

EXPORT int add_one_entry(const struct musa_wg *wg)
{
	const struct musa_wg_launch *l = wg->launch;
	const struct add_one_args *a = l->kernarg;
	uint64_t bx = l->block[0], by = l->block[1], bz = l->block[2];
	uint64_t block_linear = wg->block_idx[0] +
		(uint64_t)l->grid[0] * (wg->block_idx[1] + (uint64_t)l->grid[1] * wg->block_idx[2]);
	uint64_t threads = bx * by * bz;

	for (uint64_t t = 0; t < threads; t++) {
		uint64_t i = block_linear * threads + t;
		if (i < a->n)
			a->p[i] += 1;
	}
	return MUSA_WG_OK;
}

EXPORT int poke_entry(const struct musa_wg *wg)
{
	int *const *p = wg->launch->kernarg;

	if (wg->block_idx[0] == 0 && wg->block_idx[1] == 0 && wg->block_idx[2] == 0)
		*(volatile int *)*p = 1;
	return MUSA_WG_OK;
}

EXPORT int sleep_ms_entry(const struct musa_wg *wg)
{
	const unsigned int *ms = wg->launch->kernarg;
	struct timespec ts = { .tv_sec = *ms / 1000, .tv_nsec = (long)(*ms % 1000) * 1000000L };

	if (wg->block_idx[0] == 0 && wg->block_idx[1] == 0 && wg->block_idx[2] == 0)
		nanosleep(&ts, NULL);
	return MUSA_WG_OK;
}

EXPORT int assert_fail_entry(const struct musa_wg *wg)
{
	(void)wg;
	return MUSA_WG_ASSERT;
}
