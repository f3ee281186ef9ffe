/* SPDX-License-Identifier: MIT */
/*
 * fiber_switch.S - the fiber context switch of the device runtime.
 *
 * devrt_ctx_switch(void **save, void *load) pushes the callee-saved
 * registers of the psABI on the current stack, stores the stack pointer in
 * *save, loads `load` as the new stack pointer and pops the registers that
 * were pushed there, returning into the other context. A fresh context is
 * built by devrt_ctx_make (fiber_ctx.c) so that the first switch "returns"
 * into devrt_ctx_trampoline, which calls fn(arg) from the registers.
 * Calls nothing. Other architectures use ucontext (fiber_ctx.c).
 */
#if defined(MUSA_DEVRT_FORCE_UCONTEXT)
	/* the ucontext switch of fiber_ctx.c is used instead */
#elif defined(__x86_64__)
	.text
	.globl	devrt_ctx_switch
	.hidden	devrt_ctx_switch
	.type	devrt_ctx_switch, @function
	.p2align 4
devrt_ctx_switch:
	.cfi_startproc
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.cfi_endproc
	.size	devrt_ctx_switch, .-devrt_ctx_switch

	/* Entered by the first switch into a context: r12 = fn, r13 = arg. */
	.globl	devrt_ctx_trampoline
	.hidden	devrt_ctx_trampoline
	.type	devrt_ctx_trampoline, @function
	.p2align 4
devrt_ctx_trampoline:
	.cfi_startproc
	.cfi_undefined rip
	movq	%r13, %rdi
	callq	*%r12
	ud2
	.cfi_endproc
	.size	devrt_ctx_trampoline, .-devrt_ctx_trampoline

#elif defined(__aarch64__)
	.text
	.globl	devrt_ctx_switch
	.hidden	devrt_ctx_switch
	.type	devrt_ctx_switch, %function
	.p2align 4
devrt_ctx_switch:
	sub	sp, sp, #160
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	mov	x2, sp
	str	x2, [x0]
	mov	sp, x1
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
	add	sp, sp, #160
	ret
	.size	devrt_ctx_switch, .-devrt_ctx_switch

	/* Entered by the first switch into a context: x19 = fn, x20 = arg. */
	.globl	devrt_ctx_trampoline
	.hidden	devrt_ctx_trampoline
	.type	devrt_ctx_trampoline, %function
	.p2align 4
devrt_ctx_trampoline:
	mov	x0, x20
	blr	x19
	brk	#0
	.size	devrt_ctx_trampoline, .-devrt_ctx_trampoline
#endif

#if defined(__linux__) && defined(__ELF__)
	.section .note.GNU-stack, "", %progbits
#endif
