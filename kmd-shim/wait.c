/* SPDX-License-Identifier: MIT */
/*
 * wait.c - the hand-offs between the threads of the software device and
 * the threads that wait for it: a wait queue that spins, then yields,
 * then sleeps on a futex, as OpenMP runtimes and CUDA's default
 * scheduling do.
 *
 * A wait queue is a sequence word. Whoever changes the state a waiter
 * waits for (under that state's own lock) bumps the word and wakes the
 * sleepers; a waiter reads the word under the same lock, drops the lock
 * and waits until the word moves. So no wake-up is lost, the lock is not
 * held while waiting, and a spinning waiter reads one shared word.
 *
 * Spinning is a choice made per wait, never a leak: a thread spins only
 * while the device's busy threads (compute units running groups, command
 * processors running packets, threads woken but not yet running, and the
 * spinners themselves) leave an online core free for it, and for at most
 * KMD_SPIN_NS; after that it yields for a while (KMD_YIELD_NS) and then
 * sleeps until woken. A thread that finds no core free sleeps at once.
 * Calls nothing else in the shim.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kmd.h"

/* How long an allowed spinner spins, and then yields, before it sleeps. */
#define KMD_SPIN_NS  50000ll
#define KMD_YIELD_NS 200000ll

/* Threads of the process running device work or spinning for it. */
static atomic_int busy_threads;
static int online_cores;
static pthread_once_t cores_once = PTHREAD_ONCE_INIT;

static void cores_init(void)
{
	cpu_set_t set;
	int n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	if (n <= 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);

		n = c > 0 ? (int)c : 1;
	}
	online_cores = n;
}

static int cores(void)
{
	pthread_once(&cores_once, cores_init);
	return online_cores;
}

void kmd_busy_enter(void)
{
	atomic_fetch_add_explicit(&busy_threads, 1, memory_order_relaxed);
}

void kmd_busy_leave(void)
{
	atomic_fetch_sub_explicit(&busy_threads, 1, memory_order_relaxed);
}

static void kmd_busy_enter_n(int n)
{
	atomic_fetch_add_explicit(&busy_threads, n, memory_order_relaxed);
}

static void kmd_busy_leave_n(int n)
{
	atomic_fetch_sub_explicit(&busy_threads, n, memory_order_relaxed);
}

/* Takes a spinning slot when a core is free for it. */
static bool spin_begin(void)
{
	if (atomic_fetch_add_explicit(&busy_threads, 1, memory_order_relaxed) < cores())
		return true;
	kmd_busy_leave();
	return false;
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

void kmd_wq_init(struct kmd_wq *q)
{
	atomic_init(&q->seq, 0);
	atomic_init(&q->sleepers, 0);
	atomic_init(&q->spinners, 0);
}

uint32_t kmd_wq_ticket(struct kmd_wq *q)
{
	return atomic_load_explicit(&q->seq, memory_order_acquire);
}

static bool moved(struct kmd_wq *q, uint32_t ticket)
{
	return atomic_load_explicit(&q->seq, memory_order_acquire) != ticket;
}

/* Takes up to n unclaimed spinners of q; returns how many. */
static int claim_spinners(struct kmd_wq *q, int n)
{
	unsigned int have = atomic_load(&q->spinners), take;

	do {
		if (!have || n <= 0)
			return 0;
		take = have < (unsigned int)n ? have : (unsigned int)n;
	} while (!atomic_compare_exchange_weak(&q->spinners, &have, have - take));
	return (int)take;
}

/* A spinner stops spinning: it drops itself from the unclaimed count
 * unless a waker already claimed a spinner in its place. */
static void unclaim_self(struct kmd_wq *q)
{
	unsigned int have = atomic_load(&q->spinners);

	while (have && !atomic_compare_exchange_weak(&q->spinners, &have, have - 1))
		;
}

void kmd_wq_wake(struct kmd_wq *q, int n)
{
	long woken;

	/* seq_cst pairs with the sleeper's increment of `sleepers` before
	 * its futex wait re-reads `seq`: one of the two sees the other. */
	atomic_fetch_add(&q->seq, 1);
	/* A spinner takes a piece of work without a wake-up; each one
	 * counts for one wake only (two wakes in a row need two threads). */
	n -= claim_spinners(q, n);
	if (n <= 0 || !atomic_load(&q->sleepers))
		return;
	/* A woken thread is runnable before it runs: it holds a busy slot
	 * from here until it is back from the futex (wq_sleep), so that no
	 * spinner takes the core it needs. */
	kmd_busy_enter_n(n);
	woken = syscall(SYS_futex, &q->seq, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
	kmd_busy_leave_n(n - (woken > 0 ? (int)woken : 0));
}

/*
 * Spins, then yields, until the word moves or poll(arg) (when given,
 * tried every 64 turns) says the caller has work: true then. Only a
 * thread that finds a core free spins; it spins for KMD_SPIN_NS, yields
 * for KMD_YIELD_NS, and stops sooner when the device's threads need the
 * cores it is spinning on. The caller counts as a spinner of q
 * throughout.
 */
static bool spin_loop(struct kmd_wq *q, uint32_t ticket, int64_t deadline_ns,
		      bool (*poll)(void *), void *arg)
{
	int64_t start = mono_ns(), now;
	bool yielding = false;

	for (uint32_t i = 1; !moved(q, ticket); i++) {
		if (yielding)
			sched_yield();
		else
			cpu_relax();
		if (!yielding && (i & 63))
			continue;
		if (poll && poll(arg))
			return true;
		now = mono_ns();
		if ((deadline_ns >= 0 && now >= deadline_ns) ||
		    atomic_load_explicit(&busy_threads, memory_order_relaxed) > cores())
			return false;
		if (!yielding && now - start >= KMD_SPIN_NS) {
			yielding = true;
			start = now;
		} else if (yielding && now - start >= KMD_YIELD_NS) {
			return false;
		}
	}
	return true;
}

/*
 * The spinning and yielding phases of a wait: true once the word moved;
 * false with the caller counted among the sleepers.
 */
static bool wq_spin(struct kmd_wq *q, uint32_t ticket, int64_t deadline_ns)
{
	if (!spin_begin()) {
		atomic_fetch_add(&q->sleepers, 1);
		return false;
	}
	atomic_fetch_add(&q->spinners, 1);
	spin_loop(q, ticket, deadline_ns, NULL, NULL);
	kmd_busy_leave();
	/* A sleeper from here, before it stops counting as a spinner: a
	 * waker that claimed a spinner moved the word before its claim, so
	 * the check below sees that move; one that found no spinner left
	 * finds this thread among the sleepers. */
	atomic_fetch_add(&q->sleepers, 1);
	unclaim_self(q);
	if (moved(q, ticket)) {
		atomic_fetch_sub(&q->sleepers, 1);
		return true;
	}
	return false;
}

bool kmd_wq_linger(struct kmd_wq *q, uint32_t ticket, bool (*poll)(void *), void *arg)
{
	bool hit;

	if (moved(q, ticket) || poll(arg))
		return true;
	if (!spin_begin())
		return false;
	atomic_fetch_add(&q->spinners, 1);
	hit = spin_loop(q, ticket, -1, poll, arg);
	kmd_busy_leave();
	/* A waker that claimed this spinner moved the word first: the
	 * caller sees the move when it looks at what q guards. */
	unclaim_self(q);
	return hit || moved(q, ticket);
}

int kmd_wq_wait(struct kmd_wq *q, uint32_t ticket, enum kmd_wait_mode mode, int64_t deadline_ns)
{
	struct timespec ts;
	int ret = 0;

	if (moved(q, ticket))
		return 0;
	if (mode == KMD_WAIT_ADAPTIVE && wq_spin(q, ticket, deadline_ns))
		return 0;
	if (deadline_ns >= 0) {
		ts.tv_sec = deadline_ns / 1000000000ll;
		ts.tv_nsec = deadline_ns % 1000000000ll;
	}
	if (mode != KMD_WAIT_ADAPTIVE)
		atomic_fetch_add(&q->sleepers, 1);
	while (!moved(q, ticket)) {
		/* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline */
		long r = syscall(SYS_futex, &q->seq, FUTEX_WAIT_BITSET_PRIVATE, ticket,
				 deadline_ns >= 0 ? &ts : NULL, NULL, FUTEX_BITSET_MATCH_ANY);

		if (r == 0) {
			kmd_busy_leave();   /* the slot the waker took for us */
			continue;
		}
		if (errno == ETIMEDOUT) {
			ret = moved(q, ticket) ? 0 : -ETIME;
			break;
		}
	}
	atomic_fetch_sub(&q->sleepers, 1);
	return ret;
}
