/* SPDX-License-Identifier: MIT */
/*
 * stack.kern.c - a hand-written device code object whose kernel records
 * declare stack sizes, for tests/kmd/test_code_stack.c. Record order =
 * kernel handle order in CODE_LOAD:
 *   0 fits   scratch_size MUSA_WG_STACK_SIZE: the most a compute unit gives
 *   1 huge   scratch_size MUSA_WG_STACK_SIZE + 1: refused at SUBMIT
 *   2 old    a version 1 record, which declares no sizes
 * Every entry adds 1 to *out once per group.
 */
#include <stdint.h>

#include "kern_meta.h"

struct count_args {
	uint32_t *out;
};

static int count_group(const struct musa_wg *wg)
{
	const struct count_args *a = wg->launch->kernarg;

	__atomic_add_fetch(a->out, 1, __ATOMIC_RELAXED);
	return MUSA_WG_OK;
}

KERN_EXPORT int kmd_test_stack_fits(const struct musa_wg *wg)
{
	return count_group(wg);
}

KERN_EXPORT int kmd_test_stack_huge(const struct musa_wg *wg)
{
	return count_group(wg);
}

KERN_EXPORT int kmd_test_stack_old(const struct musa_wg *wg)
{
	return count_group(wg);
}

KREC_TYPE(fits, 1, "fits", "kmd_test_stack_fits");
KREC_TYPE(huge, 1, "huge", "kmd_test_stack_huge");

/* A version 1 record: the header ends before private_size. */
struct krec_old_header {
	uint32_t magic, version, record_size, arch, flags, nparams, kernarg_size, kernarg_align,
		static_shared, max_threads, name_len, entry_len;
};

_Static_assert(sizeof(struct krec_old_header) == MUSA_META_KERNEL_V1_SIZE, "version 1 header");

struct krec_old {
	struct krec_old_header k;
	struct musa_meta_param p[1];
	char name_[sizeof("old")];
	char entry_[sizeof("kmd_test_stack_old")];
	char pad_[(8 - (MUSA_META_KERNEL_V1_SIZE + sizeof(struct musa_meta_param) +
			sizeof("old") + sizeof("kmd_test_stack_old")) % 8) % 8];
};

struct stack_records {
	struct krec_fits fits;
	struct krec_huge huge;
	struct krec_old old;
};

_Static_assert(sizeof(struct stack_records) % 8 == 0, "records are 8-byte multiples");

#define STACK_REC(tag, name, entry, private, scratch)                                  \
	{ { MUSA_META_MAGIC, MUSA_META_VERSION, sizeof(struct krec_##tag), 31, 0, 1,    \
	    sizeof(struct count_args), 8, 0, 0, sizeof(name) - 1, sizeof(entry) - 1,     \
	    (private), (scratch) },                                                      \
	  { KPARAM(0, 8, 8) }, name, entry, { 0 } }

__attribute__((section(".musa_meta"), used, aligned(8)))
static const struct stack_records stack_records = {
	STACK_REC(fits, "fits", "kmd_test_stack_fits", 4096, MUSA_WG_STACK_SIZE),
	STACK_REC(huge, "huge", "kmd_test_stack_huge", 4096, MUSA_WG_STACK_SIZE + 1u),
	{ { MUSA_META_MAGIC, MUSA_META_VERSION_1, sizeof(struct krec_old), 31, 0, 1,
	    sizeof(struct count_args), 8, 0, 0, sizeof("old") - 1,
	    sizeof("kmd_test_stack_old") - 1 },
	  { KPARAM(0, 8, 8) }, "old", "kmd_test_stack_old", { 0 } },
};
