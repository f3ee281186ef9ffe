/* SPDX-License-Identifier: MIT */
/*
 * faults.kern.c - a hand-written code object whose kernels fault on
 * purpose, one per row of DESIGN.md's fault table, for the kmd, umd and
 * runtime fault tests. Every kernel takes the same parameters
 * (struct fault_args). Record order = kernel handle order in CODE_LOAD:
 *   0 poke     *(u32 *)addr = 1 (NULL, a guard gap: SIGSEGV)
 *   1 peek     *out = *(u32 *)addr
 *   2 trap     __builtin_trap (SIGILL)
 *   3 divzero  *out = 7 / zero (SIGFPE)
 *   4 recurse  fibers (barrier kernel) recursing past their stack
 *   5 assert   assert(zero != 0) through compiler-rt's device assert
 *   6 spin     loops until *(u32 *)addr != 0 (the watchdog's case)
 *   7 store    *out = 42 + block index (a kernel that does not fault)
 */
#include <assert.h>
#include <stdint.h>

#include "kern_meta.h"

struct fault_args {
	uint64_t addr;
	uint32_t *out;
	int32_t zero;
	int32_t depth;
};

/* compiler-rt's work-group runner (libmusa_device.a, linked in). */
int __musa_run_wg(const struct musa_wg *wg, void (*thread_fn)(const void *kernarg),
		  unsigned flags) __attribute__((visibility("hidden")));

KERN_EXPORT int fault_poke_wg(const struct musa_wg *wg)
{
	const struct fault_args *a = wg->launch->kernarg;

	*(volatile uint32_t *)(uintptr_t)a->addr = 1;
	return MUSA_WG_OK;
}

KERN_EXPORT int fault_peek_wg(const struct musa_wg *wg)
{
	const struct fault_args *a = wg->launch->kernarg;

	*a->out = *(volatile uint32_t *)(uintptr_t)a->addr;
	return MUSA_WG_OK;
}

KERN_EXPORT int fault_trap_wg(const struct musa_wg *wg)
{
	const struct fault_args *a = wg->launch->kernarg;

	if (a->zero == 0)
		__builtin_trap();
	return MUSA_WG_OK;
}

KERN_EXPORT int fault_divzero_wg(const struct musa_wg *wg)
{
	const struct fault_args *a = wg->launch->kernarg;
	volatile int32_t zero = a->zero;

	*a->out = (uint32_t)(7 / zero);
	return MUSA_WG_OK;
}

/* Not a tail call: the frame stays live after the recursive call. */
static __attribute__((noinline)) int deep(int n)
{
	volatile char frame[512];

	frame[0] = (char)n;
	if (n <= 0)
		return frame[0];
	return deep(n - 1) + frame[0];
}

static void recurse_thread(const void *kernarg)
{
	const struct fault_args *a = kernarg;

	*a->out = (uint32_t)deep(a->depth);
}

KERN_EXPORT int fault_recurse_wg(const struct musa_wg *wg)
{
	return __musa_run_wg(wg, recurse_thread, MUSA_META_F_BARRIER);
}

static void assert_thread(const void *kernarg)
{
	const struct fault_args *a = kernarg;

	assert(a->zero != 0);
}

KERN_EXPORT int fault_assert_wg(const struct musa_wg *wg)
{
	return __musa_run_wg(wg, assert_thread, 0);
}

KERN_EXPORT int fault_spin_wg(const struct musa_wg *wg)
{
	const struct fault_args *a = wg->launch->kernarg;

	while (!*(volatile uint32_t *)(uintptr_t)a->addr)
		;
	return MUSA_WG_OK;
}

KERN_EXPORT int fault_store_wg(const struct musa_wg *wg)
{
	const struct fault_args *a = wg->launch->kernarg;

	a->out[wg->block_idx[0]] = 42 + wg->block_idx[0];
	return MUSA_WG_OK;
}

#define FREC(tag, name, entry, flags) KREC_TYPE(tag, 4, name, entry)
FREC(poke, "poke", "fault_poke_wg", 0);
FREC(peek, "peek", "fault_peek_wg", 0);
FREC(trap, "trap", "fault_trap_wg", 0);
FREC(divzero, "divzero", "fault_divzero_wg", 0);
FREC(recurse, "recurse", "fault_recurse_wg", 0);
FREC(assert, "assert", "fault_assert_wg", 0);
FREC(spin, "spin", "fault_spin_wg", 0);
FREC(store, "store", "fault_store_wg", 0);

struct fault_records {
	struct krec_poke poke;
	struct krec_peek peek;
	struct krec_trap trap;
	struct krec_divzero divzero;
	struct krec_recurse recurse;
	struct krec_assert assert_;
	struct krec_spin spin;
	struct krec_store store;
};

_Static_assert(sizeof(struct fault_records) % 8 == 0, "records are 8-byte multiples");

#define FINIT(tag, name, entry, flags)                                               \
	KREC_INIT(tag, 4, name, entry, sizeof(struct fault_args), 8, flags,          \
		  KPARAM(0, 8, 8), KPARAM(8, 8, 8), KPARAM(16, 4, 4), KPARAM(20, 4, 4))

__attribute__((section(".musa_meta"), used, aligned(8)))
static const struct fault_records fault_records = {
	FINIT(poke, "poke", "fault_poke_wg", 0),
	FINIT(peek, "peek", "fault_peek_wg", 0),
	FINIT(trap, "trap", "fault_trap_wg", 0),
	FINIT(divzero, "divzero", "fault_divzero_wg", 0),
	FINIT(recurse, "recurse", "fault_recurse_wg", MUSA_META_F_BARRIER),
	FINIT(assert, "assert", "fault_assert_wg", 0),
	FINIT(spin, "spin", "fault_spin_wg", 0),
	FINIT(store, "store", "fault_store_wg", 0),
};
