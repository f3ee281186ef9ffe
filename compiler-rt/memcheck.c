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
 *
 * With MUSA_MEMCHECK_MODE_RACE (MUSA_RACECHECK) the same calls check
 * accesses to shared memory for hazards: the static __shared__ variables
 * (thread-locals of the object: its TLS block) and the dynamic shared
 * memory of the group. Each 4-byte word remembers its last write and last
 * read (thread, the group's barrier count, the warp's synchronization
 * count, code address); an access by another thread since the same
 * barrier, not ordered by a synchronization of their common warp, where
 * one of the two writes, is a hazard (RAW, WAR, WAW). The checked build
 * runs every kernel as threads, in an order a GPU might also pick, so a
 * hazard found is a real one; one the order hides is not found.
 */
#define _GNU_SOURCE
#include <link.h>
#include <string.h>

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

static struct musa_memcheck_rec *report(struct musa_memcheck *mc, uint64_t bad, uint64_t a,
					 uint64_t n, unsigned flags, void *pc)
{
	uint64_t i = __atomic_fetch_add(&mc->head, 1, __ATOMIC_RELAXED);
	struct musa_memcheck_rec *r;

	if (i >= mc->cap)
		return NULL;
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
	if (!(flags & MUSA_MEMCHECK_RACE))
		__atomic_store_n(&r->seq, 1u, __ATOMIC_RELEASE);
	return r;
}

/* shared-memory hazards */

struct race_cell {
	uint64_t w_epoch, r_epoch;  /* devrt_sync_epoch of the last write, read */
	uint64_t w_pc, r_pc;
	uint32_t w_tid, r_tid;      /* linear thread index */
	uint32_t w_wep, r_wep;      /* the thread's warp's devrt_warp_epoch then */
};

struct race_area {
	uintptr_t lo, hi;
	struct race_cell *cells;
	size_t ncells;
};

/* This thread's static shared memory (the object's TLS block) and the
 * running group's dynamic shared memory. */
static __thread struct race_area race_static, race_dyn;
static __thread int race_static_looked;
/* Set around the accesses of an atomic (musa_atomic.h): no hazard. */
static __thread int race_in_atomic;

DEVRT_HIDDEN void __musa_memcheck_atomic(int on)
{
	race_in_atomic = on;
}
/* Hazards this thread reported lately, by code address pair: each is
 * reported once per thread, not once per access. */
#define RACE_SEEN 64
static __thread uint64_t race_seen[RACE_SEEN][2];

static int race_tls_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	uintptr_t me = (uintptr_t)&race_tls_cb;
	const ElfW(Phdr) *tls = NULL;
	int mine = 0;

	if (size < offsetof(struct dl_phdr_info, dlpi_tls_data) + sizeof(info->dlpi_tls_data))
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && me - (info->dlpi_addr + ph->p_vaddr) < ph->p_memsz)
			mine = 1;
		if (ph->p_type == PT_TLS)
			tls = ph;
	}
	if (!mine)
		return 0;
	if (tls && info->dlpi_tls_data) {
		struct race_area *a = arg;

		a->lo = (uintptr_t)info->dlpi_tls_data;
		a->hi = a->lo + tls->p_memsz;
	}
	return 1;
}

/* The cell of word address w in area a, growing a's cells to its size. */
static struct race_cell *race_cell_of(struct race_area *a, uintptr_t w)
{
	size_t need = (a->hi - a->lo + 3) / 4, i = (w - a->lo) / 4;

	if (need > a->ncells) {
		struct race_cell *c = realloc(a->cells, need * sizeof(*c));

		if (!c)
			return NULL;
		memset(c + a->ncells, 0, (need - a->ncells) * sizeof(*c));
		a->cells = c;
		a->ncells = need;
	}
	return i < a->ncells ? &a->cells[i] : NULL;
}

static struct race_area *race_area_of(uintptr_t p)
{
	if (!race_static_looked) {
		race_static_looked = 1;
		dl_iterate_phdr(race_tls_cb, &race_static);
	}
	if (p - race_static.lo < race_static.hi - race_static.lo)
		return &race_static;
	race_dyn.lo = (uintptr_t)__musa_dyn_shared;
	race_dyn.hi = race_dyn.lo + devrt_cur_dyn_shared_size;
	if (race_dyn.lo && p - race_dyn.lo < race_dyn.hi - race_dyn.lo)
		return &race_dyn;
	return NULL;
}

static void race_report(struct musa_memcheck *mc, uintptr_t w, uint64_t a, uint64_t n,
			unsigned flags, void *pc, uint32_t other, uint64_t other_pc,
			unsigned other_flags)
{
	unsigned slot = (unsigned)(((uintptr_t)pc ^ (other_pc >> 3)) % RACE_SEEN);
	struct musa_memcheck_rec *r;
	uint32_t bx = blockDim.x ? blockDim.x : 1, by = blockDim.y ? blockDim.y : 1;

	if (race_seen[slot][0] == (uint64_t)(uintptr_t)pc && race_seen[slot][1] == other_pc)
		return;
	race_seen[slot][0] = (uint64_t)(uintptr_t)pc;
	race_seen[slot][1] = other_pc;
	r = report(mc, w, a, n, flags | MUSA_MEMCHECK_RACE, pc);
	if (!r)
		return;
	r->other_flags = other_flags;
	r->other_pc = other_pc;
	r->other_thread[0] = other % bx;
	r->other_thread[1] = (other / bx) % by;
	r->other_thread[2] = other / (bx * by);
	__atomic_store_n(&r->seq, 1u, __ATOMIC_RELEASE);
}

/* Whether the earlier access of thread u (its warp then at epoch uwep) is
 * ordered before the running thread t's: a synchronization of their
 * common warp came between. */
static int race_ordered(uint32_t t, uint32_t u, uint32_t uwep)
{
	uint32_t ws = devrt_cur_warp_size;

	return t / ws == u / ws && devrt_warp_epoch[(t / ws) % DEVRT_RACE_WARPS] != uwep;
}

static void race_check(struct musa_memcheck *mc, uint64_t a, uint64_t n, unsigned flags,
		       void *pc)
{
	struct race_area *ar = race_area_of((uintptr_t)a);
	uint64_t cur = devrt_sync_epoch;
	uint32_t t, wep;

	if (!ar || race_in_atomic)
		return;
	t = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
	wep = devrt_warp_epoch[(t / devrt_cur_warp_size) % DEVRT_RACE_WARPS];
	for (uintptr_t w = (uintptr_t)a & ~(uintptr_t)3; w < a + n && w < ar->hi; w += 4) {
		struct race_cell *c = race_cell_of(ar, w);

		if (!c)
			return;
		if (c->w_epoch == cur && c->w_tid != t && !race_ordered(t, c->w_tid, c->w_wep))
			race_report(mc, w, a, n, flags, pc, c->w_tid, c->w_pc, MUSA_MEMCHECK_WRITE);
		else if ((flags & MUSA_MEMCHECK_WRITE) && c->r_epoch == cur && c->r_tid != t &&
			 !race_ordered(t, c->r_tid, c->r_wep))
			race_report(mc, w, a, n, flags, pc, c->r_tid, c->r_pc, 0);
		if (flags & MUSA_MEMCHECK_WRITE) {
			c->w_epoch = cur;
			c->w_tid = t;
			c->w_wep = wep;
			c->w_pc = (uint64_t)(uintptr_t)pc;
		} else {
			c->r_epoch = cur;
			c->r_tid = t;
			c->r_wep = wep;
			c->r_pc = (uint64_t)(uintptr_t)pc;
		}
	}
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
	if (mc->mode & MUSA_MEMCHECK_MODE_RACE)
		race_check(mc, a, n, flags, pc);
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
