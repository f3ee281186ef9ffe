/* SPDX-License-Identifier: MIT */
/*
 * fault.c - device faults: the context status of an fd (the first fault of
 * its work is recorded, kind and address, and the context stays guilty
 * until the fd is closed; CTX_QUERY reports it), and the signal handlers
 * that turn a fault of kernel code into such a record.
 *
 * SIGSEGV, SIGBUS, SIGILL and SIGFPE get one process-wide handler, installed
 * when the first compute unit starts or the copy engine first runs, running
 * on a per-CU-thread alternate stack (a fiber that overflowed its stack has
 * none left). The handler
 * escapes (siglongjmp) to the compute-unit loop only when the signal was
 * raised by the CPU (si_code > 0) on a compute-unit thread that is inside a
 * work-group entry call: all code that runs there was reached from the
 * kernel (its code object, compiler-rt linked into it, and the libraries
 * it calls), so the fault is the kernel's wherever the PC or the address
 * lies. The copy engine's copies and fills escape the same way from a
 * guard (kmd_fault_guard), as registered host pages may vanish under them,
 * and so do the ioctl door's copies from and to user memory
 * (kmd_fault_user_copy).
 * Everything else goes to the handler installed before ours, so host bugs
 * still crash as they would without the shim. The watchdog interrupts a
 * compute-unit thread with a real-time signal that escapes the same way.
 *
 * Calls nothing else of the shim but kmd_log().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "kmd.h"

/* A fault this close to the stack pointer is the stack running out: the
 * access that hits a guard page is a push, a call or a frame slot. */
#define KMD_STACK_SLACK (64u * 1024u)
#define KMD_ALTSTACK_SIZE (256u * 1024u)
/* Real-time signals below SIGRTMIN + 6 are the ones libraries grab first. */
#define KMD_WATCHDOG_SIGNAL (SIGRTMIN + 6)

/* Context status. */

void kmd_fault_record_info(struct kmd_file *f, uint32_t kind, const struct kmd_fault_info *info)
{
	pthread_mutex_lock(&f->fault_lock);
	if (f->fault_kind == DRM_MUSA_FAULT_NONE) {
		f->fault_kind = kind;
		f->fault = *info;
		kmd_ring_fault_all(f, kind);
		kmd_log("fd %d: fault kind %u at 0x%llx (kernel %d, block %d,%d,%d, thread "
			"%d,%d,%d, pc 0x%llx; -1: not known)", f->fd, kind,
			(unsigned long long)info->address,
			info->flags & DRM_MUSA_FAULT_HAS_KERNEL ? (int)info->kernel : -1,
			info->flags & DRM_MUSA_FAULT_HAS_BLOCK ? (int)info->block[0] : -1,
			info->flags & DRM_MUSA_FAULT_HAS_BLOCK ? (int)info->block[1] : -1,
			info->flags & DRM_MUSA_FAULT_HAS_BLOCK ? (int)info->block[2] : -1,
			info->flags & DRM_MUSA_FAULT_HAS_THREAD ? (int)info->thread[0] : -1,
			info->flags & DRM_MUSA_FAULT_HAS_THREAD ? (int)info->thread[1] : -1,
			info->flags & DRM_MUSA_FAULT_HAS_THREAD ? (int)info->thread[2] : -1,
			(unsigned long long)info->pc);
	}
	pthread_mutex_unlock(&f->fault_lock);
}

void kmd_fault_record(struct kmd_file *f, uint32_t kind, uint64_t address)
{
	struct kmd_fault_info info = { .address = address };

	kmd_fault_record_info(f, kind, &info);
}

bool kmd_fault_active(struct kmd_file *f)
{
	bool faulted;

	pthread_mutex_lock(&f->fault_lock);
	faulted = f->fault_kind != DRM_MUSA_FAULT_NONE;
	pthread_mutex_unlock(&f->fault_lock);
	return faulted;
}

int kmd_ioctl_ctx_query(struct kmd_file *f, void *data)
{
	struct drm_musa_ctx_query *a = data;

	if (a->flags || a->pad)
		return -EINVAL;
	pthread_mutex_lock(&f->fault_lock);
	a->fault_kind = f->fault_kind;
	a->fault_address = f->fault.address;
	a->fault_flags = f->fault.flags;
	a->fault_kernel = f->fault.kernel;
	a->fault_pc = f->fault.pc;
	memcpy(a->fault_block, f->fault.block, sizeof(a->fault_block));
	memcpy(a->fault_thread, f->fault.thread, sizeof(a->fault_thread));
	a->status = f->fault_kind ? DRM_MUSA_CTX_STATUS_GUILTY : DRM_MUSA_CTX_STATUS_OK;
	pthread_mutex_unlock(&f->fault_lock);
	return 0;
}

/* Signal handlers. */

/* Initial-exec: the handler must not call into the TLS allocator. */
static __thread struct kmd_fault_cu *fault_self __attribute__((tls_model("initial-exec")));

/* The copy engine's guard on this thread, while it touches host memory. */
struct fault_guard {
	sigjmp_buf escape;
	volatile sig_atomic_t armed;
	volatile uint64_t address;
};
static __thread struct fault_guard *fault_guard_self __attribute__((tls_model("initial-exec")));

static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
#define NFAULT_SIGNALS (sizeof(fault_signals) / sizeof(fault_signals[0]))

static struct sigaction fault_old[NFAULT_SIGNALS];
static struct sigaction watchdog_old;
static int watchdog_sig;
static pthread_once_t fault_once = PTHREAD_ONCE_INIT;
static pthread_once_t watchdog_once = PTHREAD_ONCE_INIT;
static int fault_install_err;

static uintptr_t uc_sp(const ucontext_t *uc)
{
#if defined(__x86_64__)
	return (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
	return (uintptr_t)uc->uc_mcontext.sp;
#else
	(void)uc;
	return 0;
#endif
}

/* The instruction the signal interrupted: the faulting one for a CPU
 * fault, 0 where the machine is not known. */
static uintptr_t uc_pc(const ucontext_t *uc)
{
#if defined(__x86_64__)
	return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
	return (uintptr_t)uc->uc_mcontext.pc;
#else
	(void)uc;
	return 0;
#endif
}

/* Hands the signal to whoever had it before us. A default action is
 * restored and the signal re-raised, so the process ends as it would
 * have without the shim (a CPU fault re-raises itself on return). */
static void fault_chain(const struct sigaction *old, int sig, siginfo_t *si, void *uc)
{
	if (old->sa_flags & SA_SIGINFO) {
		if (old->sa_sigaction)
			old->sa_sigaction(sig, si, uc);
		return;
	}
	if (old->sa_handler == SIG_IGN && si->si_code <= 0)
		return;
	if (old->sa_handler == SIG_DFL || old->sa_handler == SIG_IGN) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };

		sigemptyset(&dfl.sa_mask);
		sigaction(sig, &dfl, NULL);
		if (si->si_code <= 0)
			raise(sig);
		return;
	}
	old->sa_handler(sig);
}

static bool in_range(uintptr_t v, uintptr_t lo, uintptr_t hi)
{
	return v >= lo && v < hi;
}

static uint32_t fault_kind(int sig, const siginfo_t *si, uintptr_t addr, uintptr_t sp,
			   const struct kmd_dispatch *d)
{
	switch (sig) {
	case SIGBUS:
		return si->si_code == BUS_ADRALN ? DRM_MUSA_FAULT_MISALIGNED
						 : DRM_MUSA_FAULT_ILLEGAL_ADDRESS;
	case SIGILL:
		return DRM_MUSA_FAULT_ILLEGAL_INSTRUCTION;
	case SIGFPE:
		return DRM_MUSA_FAULT_LAUNCH_FAILED;
	default:
		if (in_range(addr, d->window_lo, d->window_hi))
			return DRM_MUSA_FAULT_ILLEGAL_ADDRESS;
		if (sp && addr + KMD_STACK_SLACK >= sp && addr <= sp + KMD_STACK_SLACK)
			return DRM_MUSA_FAULT_STACK_OVERFLOW;
		return DRM_MUSA_FAULT_ILLEGAL_ADDRESS;
	}
}

static void fault_handler(int sig, siginfo_t *si, void *ucv)
{
	struct kmd_fault_cu *t = fault_self;
	const ucontext_t *uc = ucv;

	/* Armed, the thread is inside a work-group entry call: everything it
	 * runs there was reached from kernel code (the code object with
	 * compiler-rt linked in, and the libraries it calls: libc's memset,
	 * vsnprintf, libm), so a fault the CPU raised is the kernel's, wherever
	 * its PC lies. */
	if (t && t->armed && si->si_code > 0) {
		uintptr_t addr = (uintptr_t)si->si_addr;

		t->kind = fault_kind(sig, si, addr, uc_sp(uc), t->d);
		t->address = addr;
		t->pc = uc_pc(uc);
		t->armed = 0;
		siglongjmp(t->escape, 1);
	}
	/* The copy engine reading or writing memory that is gone or read-only
	 * (registered host memory unmapped or mprotect()ed behind its back). */
	if (fault_guard_self && fault_guard_self->armed && si->si_code > 0 &&
	    (sig == SIGSEGV || sig == SIGBUS)) {
		struct fault_guard *g = fault_guard_self;

		g->armed = 0;
		g->address = (uintptr_t)si->si_addr;
		siglongjmp(g->escape, 1);
	}
	for (size_t i = 0; i < NFAULT_SIGNALS; i++)
		if (fault_signals[i] == sig)
			fault_chain(&fault_old[i], sig, si, ucv);
}

/* Escapes only a thread still running the dispatch that timed out: the
 * signal may arrive after the group ended, or during a later one. */
static void watchdog_handler(int sig, siginfo_t *si, void *ucv)
{
	struct kmd_fault_cu *t = fault_self;

	if (t && si->si_code == SI_TKILL && si->si_pid == getpid()) {
		if (t->armed && t->d && atomic_load(&t->d->timed_out)) {
			t->kind = DRM_MUSA_FAULT_TIMEOUT;
			t->address = 0;
			t->pc = uc_pc(ucv);
			t->armed = 0;
			siglongjmp(t->escape, 1);
		}
		return;
	}
	if ((watchdog_old.sa_flags & SA_SIGINFO) || (watchdog_old.sa_handler != SIG_DFL &&
						     watchdog_old.sa_handler != SIG_IGN))
		fault_chain(&watchdog_old, sig, si, ucv);
}

static void fault_sigaction(struct sigaction *sa, void (*fn)(int, siginfo_t *, void *))
{
	memset(sa, 0, sizeof(*sa));
	sa->sa_sigaction = fn;
	sa->sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	/* One handler at a time: an escape must not be interrupted by another. */
	sigemptyset(&sa->sa_mask);
	for (size_t i = 0; i < NFAULT_SIGNALS; i++)
		sigaddset(&sa->sa_mask, fault_signals[i]);
	sigaddset(&sa->sa_mask, KMD_WATCHDOG_SIGNAL);
}

static void fault_install(void)
{
	struct sigaction sa;

	for (size_t i = 0; i < NFAULT_SIGNALS; i++) {
		fault_sigaction(&sa, fault_handler);
		if (sigaction(fault_signals[i], &sa, &fault_old[i])) {
			fault_install_err = -errno;
			return;
		}
	}
}

static void watchdog_install(void)
{
	struct sigaction sa;

	watchdog_sig = KMD_WATCHDOG_SIGNAL;
	fault_sigaction(&sa, watchdog_handler);
	if (sigaction(watchdog_sig, &sa, &watchdog_old)) {
		kmd_log("watchdog: cannot install its signal handler");
		watchdog_sig = 0;
	}
}

int kmd_fault_watchdog_signal(void)
{
	pthread_once(&watchdog_once, watchdog_install);
	return watchdog_sig;
}

static int fault_altstack(void)
{
	stack_t cur, ss;
	void *m;

	/* Keep one that is already there (a sanitizer's) if it is big enough. */
	if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE) &&
	    cur.ss_size >= KMD_ALTSTACK_SIZE)
		return 0;
	m = mmap(NULL, KMD_ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (m == MAP_FAILED)
		return -ENOMEM;
	ss.ss_sp = m;
	ss.ss_size = KMD_ALTSTACK_SIZE;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL)) {
		int err = -errno;

		munmap(m, KMD_ALTSTACK_SIZE);
		return err;
	}
	return 0;
}

int kmd_fault_cu_init(struct kmd_fault_cu *t)
{
	pthread_attr_t attr;
	void *lo = NULL;
	size_t size = 0;
	int ret;

	pthread_once(&fault_once, fault_install);
	if (fault_install_err)
		return fault_install_err;
	ret = fault_altstack();
	if (ret)
		return ret;
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		pthread_attr_getstack(&attr, &lo, &size);
		pthread_attr_destroy(&attr);
	}
	t->stack_lo = (uintptr_t)lo;
	t->stack_hi = (uintptr_t)lo + size;
	t->armed = 0;
	t->d = NULL;
	fault_self = t;
	return 0;
}

/* Sanitizer hooks, present only in sanitizer runs. */
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size)
	__attribute__((weak));
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
				     size_t *size_old) __attribute__((weak));
void __asan_unpoison_memory_region(const volatile void *addr, size_t size)
	__attribute__((weak));

/* siglongjmp without a saved mask leaves the handled signal blocked (saving
 * the mask at every group would cost a syscall): unblock them after an
 * escape. */
static void fault_unblock(void)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < NFAULT_SIGNALS; i++)
		sigaddset(&set, fault_signals[i]);
	sigaddset(&set, KMD_WATCHDOG_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

void kmd_fault_cu_landed(struct kmd_fault_cu *t)
{
	volatile char here;

	fault_unblock();
	/* The escape may have left a fiber stack: tell AddressSanitizer we are
	 * back on the thread's own stack, and drop the poison of the frames
	 * the jump skipped. */
	if (__sanitizer_start_switch_fiber && __sanitizer_finish_switch_fiber && t->stack_hi) {
		__sanitizer_start_switch_fiber(NULL, (const void *)t->stack_lo,
					       t->stack_hi - t->stack_lo);
		__sanitizer_finish_switch_fiber(NULL, NULL, NULL);
	}
	if (__asan_unpoison_memory_region && t->stack_hi &&
	    in_range((uintptr_t)&here, t->stack_lo, t->stack_hi))
		__asan_unpoison_memory_region((const void *)t->stack_lo,
					      (uintptr_t)&here - t->stack_lo);
	kmd_log("compute unit escaped a work-group: fault kind %u at 0x%llx", t->kind,
		(unsigned long long)t->address);
}

/* Guarded host-memory access. */

int kmd_fault_guard(void (*fn)(const void *arg), const void *arg, uint64_t *address)
{
	struct fault_guard g;

	pthread_once(&fault_once, fault_install);
	if (fault_install_err) {
		fn(arg);
		return 0;
	}
	if (sigsetjmp(g.escape, 0)) {
		fault_guard_self = NULL;
		fault_unblock();
		*address = g.address;
		kmd_log("guarded host access: fault at 0x%llx", (unsigned long long)g.address);
		return -EFAULT;
	}
	g.address = 0;
	atomic_signal_fence(memory_order_seq_cst);
	g.armed = 1;
	fault_guard_self = &g;
	atomic_signal_fence(memory_order_seq_cst);
	fn(arg);
	atomic_signal_fence(memory_order_seq_cst);
	g.armed = 0;
	fault_guard_self = NULL;
	return 0;
}

/* User copies. */

struct user_copy {
	unsigned char *dst;
	const unsigned char *src;
	size_t n;
};

/*
 * A plain copy loop, kept out of the sanitizers' reach: the user side may
 * be any address, and a fault there is the answer (EFAULT), not a report.
 * The empty asm keeps the compiler from turning the loop into a call to
 * the (intercepted) memcpy.
 */
__attribute__((no_sanitize("address", "thread", "undefined")))
static void user_copy_body(const void *arg)
{
	const struct user_copy *c = arg;
	size_t i = 0;

	for (; i + sizeof(uint64_t) <= c->n; i += sizeof(uint64_t)) {
		uint64_t w;

		__builtin_memcpy(&w, c->src + i, sizeof(w));
		__builtin_memcpy(c->dst + i, &w, sizeof(w));
		__asm__ volatile("" ::: "memory");
	}
	for (; i < c->n; i++) {
		c->dst[i] = c->src[i];
		__asm__ volatile("" ::: "memory");
	}
}

/*
 * copy_from_user/copy_to_user as the kernel does them: a plain copy that
 * an access fault turns into EFAULT (the kernel's exception tables; here
 * the guard's escape). No system call on the way, where
 * process_vm_readv/writev cost one each. -ENOSYS when the fault handler
 * could not be installed: the caller then copies another way.
 */
int kmd_fault_user_copy(void *dst, const void *src, size_t n)
{
	struct user_copy c = { dst, src, n };
	uint64_t address;

	pthread_once(&fault_once, fault_install);
	if (fault_install_err)
		return -ENOSYS;
	return kmd_fault_guard(user_copy_body, &c, &address) ? -EFAULT : 0;
}
