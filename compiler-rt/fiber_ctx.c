/* SPDX-License-Identifier: MIT */
/*
 * fiber_ctx.c - building a fresh fiber context.
 *
 * On x86-64 and aarch64 the switch itself is fiber_switch.S; this file lays
 * out the initial frame it pops. Elsewhere both halves use ucontext, which
 * is slower (it saves the signal mask with a system call) but portable.
 * May call libc only.
 */
#include <string.h>

#include "devrt.h"

#if !defined(DEVRT_UCONTEXT)

void devrt_ctx_trampoline(void) DEVRT_HIDDEN;

void *devrt_ctx_make(void *stack_lo, size_t size, void (*fn)(void *), void *arg)
{
	uintptr_t top = ((uintptr_t)stack_lo + size) & ~(uintptr_t)15;
	uint64_t *frame;

#if defined(__x86_64__)
	/* r15 r14 r13 r12 rbx rbp ret, with the trampoline's call 16-aligned */
	frame = (uint64_t *)(top - 72);
	memset(frame, 0, 72);
	frame[2] = (uint64_t)(uintptr_t)arg;  /* r13 */
	frame[3] = (uint64_t)(uintptr_t)fn;   /* r12 */
	frame[6] = (uint64_t)(uintptr_t)devrt_ctx_trampoline;
#else
	/* x19..x28, x29, x30, d8..d15 */
	frame = (uint64_t *)(top - 160);
	memset(frame, 0, 160);
	frame[0] = (uint64_t)(uintptr_t)fn;   /* x19 */
	frame[1] = (uint64_t)(uintptr_t)arg;  /* x20 */
	frame[11] = (uint64_t)(uintptr_t)devrt_ctx_trampoline;  /* x30 */
#endif
	return frame;
}

#else /* DEVRT_UCONTEXT */

/* With ucontext the "stack pointer" handed around is a ucontext_t; a new
 * fiber's lives at the bottom of its own stack with the function to call. */
struct ctx_start {
	ucontext_t uc;
	void (*fn)(void *);
	void *arg;
};

static void ctx_entry(unsigned int hi, unsigned int lo)
{
	struct ctx_start *s = (struct ctx_start *)(((uintptr_t)hi << 16 << 16) | lo);

	s->fn(s->arg);
}

void *devrt_ctx_make(void *stack_lo, size_t size, void (*fn)(void *), void *arg)
{
	struct ctx_start *s = stack_lo;
	uintptr_t p = (uintptr_t)s;
	size_t skip = (sizeof(*s) + 15) & ~(size_t)15;

	if (getcontext(&s->uc) != 0)
		return NULL;
	s->fn = fn;
	s->arg = arg;
	s->uc.uc_stack.ss_sp = (char *)stack_lo + skip;
	s->uc.uc_stack.ss_size = size - skip;
	s->uc.uc_link = NULL;
	makecontext(&s->uc, (void (*)(void))ctx_entry, 2,
		    (unsigned int)(p >> 16 >> 16), (unsigned int)p);
	return &s->uc;
}

void devrt_ctx_switch(void **save, void *load)
{
	ucontext_t here;

	/* `here` stays valid: this frame lives until someone switches back. */
	*save = &here;
	swapcontext(&here, (ucontext_t *)load);
}

#endif
