/* SPDX-License-Identifier: MIT */
/*
 * devrt.h - private interfaces of the device runtime (libmusa_device.a).
 *
 * The runtime is linked statically into every device code object, so all of
 * its symbols are hidden: each code object carries its own copy, and the
 * only mutable state is thread-local to the compute-unit thread that runs a
 * work-group. Nothing here may call into the host libraries (libmusart,
 * libmusa, libmusa_kmd); only libc.
 */
#ifndef MUSA_DEVRT_H
#define MUSA_DEVRT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "musa_codeobj.h"
#include "musa_vector_types.h"

/* MUSA_DEVRT_FORCE_UCONTEXT builds the portable switch on any machine, so
 * it can be tested where the assembly one exists too. */
#if (!defined(__x86_64__) && !defined(__aarch64__)) || defined(MUSA_DEVRT_FORCE_UCONTEXT)
#define DEVRT_UCONTEXT 1
#include <ucontext.h>
#endif

#define DEVRT_HIDDEN __attribute__((visibility("hidden")))

/* Why a fiber stopped running. */
enum devrt_fiber_state {
	DEVRT_RUN = 0,   /* runnable: resume in the next pass */
	DEVRT_BAR,       /* waiting at a block barrier */
	DEVRT_WARP,      /* waiting at a warp operation */
	DEVRT_DONE,      /* returned from the kernel */
};

/* The warp operations a fiber can wait on; the scheduler computes results. */
enum devrt_warp_op {
	DEVRT_WOP_SYNC = 0,
	DEVRT_WOP_BALLOT,
	DEVRT_WOP_ANY,
	DEVRT_WOP_ALL,
	DEVRT_WOP_SHFL_IDX,
	DEVRT_WOP_SHFL_UP,
	DEVRT_WOP_SHFL_DOWN,
	DEVRT_WOP_SHFL_XOR,
	DEVRT_WOP_MATCH_ANY,  /* lanes whose value equals the caller's */
	DEVRT_WOP_MATCH_ALL,  /* the mask if every lane's value is equal, else 0 */
	DEVRT_WOP_REDUCE_ADD, /* 32-bit folds over the lanes (wg.c devrt_reduce_ops) */
	DEVRT_WOP_REDUCE_MIN_U,
	DEVRT_WOP_REDUCE_MIN_S,
	DEVRT_WOP_REDUCE_MAX_U,
	DEVRT_WOP_REDUCE_MAX_S,
	DEVRT_WOP_REDUCE_AND,
	DEVRT_WOP_REDUCE_OR,
	DEVRT_WOP_REDUCE_XOR,
	DEVRT_WOP_COUNT,
};

/* Barrier reductions (__syncthreads_count/_and/_or). */
enum devrt_bar_op {
	DEVRT_BOP_NONE = 0,
	DEVRT_BOP_COUNT,
	DEVRT_BOP_AND,
	DEVRT_BOP_OR,
};

struct devrt_fiber {
	void *sp;             /* saved stack pointer while switched out */
	void *stack_lo;       /* lowest usable byte of the stack (above guard) */
	size_t stack_size;
	void *asan_fake;      /* AddressSanitizer fake-stack handle */
	void *tsan_fiber;     /* ThreadSanitizer fiber, when TSan is present */
	uint3 tid;
	unsigned state;       /* enum devrt_fiber_state */
	unsigned op;          /* enum devrt_warp_op or devrt_bar_op */
	unsigned mask;        /* member mask of a warp op */
	int arg;              /* lane, delta or xor mask of a shuffle */
	int width;            /* shuffle segment width */
	uint64_t val;         /* value or predicate contributed */
	uint64_t result;      /* what the operation returns to this fiber */
#ifdef DEVRT_UCONTEXT
	ucontext_t uc;
#endif
};

/* The work-group being run as fibers on this compute-unit thread. */
struct devrt_group {
	struct devrt_fiber *fibers;
	unsigned n;           /* threads in the group */
	unsigned live;        /* fibers not yet DONE */
	unsigned nwarp;       /* fibers waiting at a warp operation (wg.c) */
	unsigned cur;         /* index of the running fiber */
	unsigned warp_size;
	int aborted;          /* a device assert fired: stop the group */
	void (*thread_fn)(const void *kernarg);
	const void *kernarg;
	void *sched_sp;       /* the scheduler's saved stack pointer */
	const void *sched_stack_lo;   /* for ASan: the scheduler's stack */
	size_t sched_stack_size;
	void *sched_tsan;
#ifdef DEVRT_UCONTEXT
	ucontext_t sched_uc;
#endif
};

/* The group being run by this thread as fibers, NULL in loop mode. */
extern __thread struct devrt_group *devrt_cur_group DEVRT_HIDDEN;
/* Set while a group runs in loop mode, so an assert can leave the loop. */
extern __thread void *devrt_loop_jmp DEVRT_HIDDEN;

/* The kernel-visible indices (musa_device_pass.h declares them too). */
extern __thread uint3 threadIdx DEVRT_HIDDEN;
extern __thread uint3 blockIdx DEVRT_HIDDEN;
extern __thread dim3 blockDim DEVRT_HIDDEN;
extern __thread dim3 gridDim DEVRT_HIDDEN;

/* A return address inside the entry of the running kernel (wg.c), which
 * names the kernel in memory-checker reports. */
extern __thread void *devrt_entry_pc DEVRT_HIDDEN;

/* The failed assert of the running group (sync.c), kept for the fault
 * report (devrt_wg_where); `set` is cleared when a group begins. */
struct devrt_assert_at {
	int set;
	uint3 thread, block;
	void *pc;
};
extern __thread struct devrt_assert_at devrt_assert_at DEVRT_HIDDEN;

/* Orders of the running group's threads, for the race checker
 * (memcheck.c): devrt_sync_epoch counts groups begun (high 32 bits) and the
 * group's barriers (low 32); devrt_warp_epoch[w] counts the warp
 * synchronizations of warp w (w modulo DEVRT_RACE_WARPS). */
#define DEVRT_RACE_WARPS 64
extern __thread uint64_t devrt_sync_epoch DEVRT_HIDDEN;
extern __thread uint32_t devrt_warp_epoch[DEVRT_RACE_WARPS] DEVRT_HIDDEN;
extern __thread uint32_t devrt_cur_warp_size DEVRT_HIDDEN;
extern __thread uint32_t devrt_cur_dyn_shared_size DEVRT_HIDDEN;

/* Dynamic shared memory of the running group. */
extern __thread void *__musa_dyn_shared DEVRT_HIDDEN;

/* fiber_stack.c: pooled, guard-paged stacks */
/* Makes sure `n` fibers with stacks exist; returns the array or NULL. */
struct devrt_fiber *devrt_fibers_get(unsigned n) DEVRT_HIDDEN;

/* fiber_switch.S / fiber_ctx.c: the context switch */
/* Saves the callee-saved state on the current stack, stores the stack
 * pointer in *save and continues on the stack `load` (made by
 * devrt_ctx_make or saved by an earlier switch). */
void devrt_ctx_switch(void **save, void *load) DEVRT_HIDDEN;
/* Prepares a new context that calls fn(arg) on the given stack; fn must
 * never return. Returns the stack pointer to pass to devrt_ctx_switch. */
void *devrt_ctx_make(void *stack_lo, size_t size, void (*fn)(void *), void *arg) DEVRT_HIDDEN;

/* wg.c: the scheduler */
/* Suspends the running fiber until the scheduler releases it. */
void devrt_fiber_wait(struct devrt_group *g, unsigned state) DEVRT_HIDDEN;
/* Logs to stderr when MUSA_LOG=debug. */
void devrt_log(const char *fmt, ...) DEVRT_HIDDEN __attribute__((format(printf, 1, 2)));
/* The 32-bit folds of __reduce_*_sync, indexed from DEVRT_WOP_REDUCE_ADD. */
extern uint32_t (*const devrt_reduce_ops[])(uint32_t, uint32_t) DEVRT_HIDDEN;

/* wsite.c: warp operations of kernels run as loops */
struct __musa_wsite;
/* The site whose call the running thread loop makes; NULL: none. */
extern __thread struct __musa_wsite *devrt_wsite_cur DEVRT_HIDDEN;
/* The call `op` at the current site: a deposit, or the result for its thread. */
uint64_t devrt_wsite_op(struct __musa_wsite *s, unsigned op, unsigned mask, uint64_t val,
			int arg, int width) DEVRT_HIDDEN;

#endif /* MUSA_DEVRT_H */
