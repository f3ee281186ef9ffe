/* SPDX-License-Identifier: MIT */
/*
 * fiber_stack.c - the per compute-unit thread pool of fiber stacks.
 *
 * Each stack is its own mapping with a PROT_NONE guard page below it, so a
 * runaway recursion faults instead of scribbling over a neighbour. The pool
 * is thread-local and only grows: a compute-unit thread keeps enough stacks
 * for the largest block it has run and reuses them for every later
 * work-group. The pool is released when the thread exits. May call libc only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "devrt.h"

#define DEVRT_STACK_DEFAULT (256u * 1024u)
#define DEVRT_STACK_MIN     (16u * 1024u)
#define DEVRT_STACK_MAX     (64u * 1024u * 1024u)

struct devrt_pool {
	struct devrt_fiber *fibers;
	unsigned n;         /* fibers with a stack */
	unsigned cap;       /* entries allocated in `fibers` */
	size_t stack_size;  /* usable bytes per stack */
	size_t guard;
	int exit_hooked;
};

static __thread struct devrt_pool devrt_pool;

/* glibc's hook for thread_local destructors; it also keeps this code
 * object loaded until every thread that used it has released its pool. */
extern int __cxa_thread_atexit_impl(void (*fn)(void *), void *obj, void *dso)
	__attribute__((weak));
extern void *__dso_handle;  /* crt.c */

static void pool_release(void *arg)
{
	struct devrt_pool *p = arg;
	unsigned i;

	for (i = 0; i < p->n; i++)
		munmap((char *)p->fibers[i].stack_lo - p->guard,
		       p->fibers[i].stack_size + p->guard);
	free(p->fibers);
	memset(p, 0, sizeof(*p));
}

/* MUSA_FIBER_STACK_SIZE (bytes, optional K/M suffix) overrides the default. */
static size_t pool_stack_size(size_t page)
{
	const char *env = getenv("MUSA_FIBER_STACK_SIZE");
	unsigned long long v;
	char *end;

	if (!env || !*env)
		return DEVRT_STACK_DEFAULT;
	errno = 0;
	v = strtoull(env, &end, 0);
	if (errno || end == env)
		goto bad;
	if (*end == 'k' || *end == 'K')
		v <<= 10, end++;
	else if (*end == 'm' || *end == 'M')
		v <<= 20, end++;
	if (*end || v < DEVRT_STACK_MIN || v > DEVRT_STACK_MAX)
		goto bad;
	return ((size_t)v + page - 1) & ~(page - 1);
bad:
	/* once per code object that reads it: a bad setting is worth a line */
	fprintf(stderr, "musa: warning: MUSA_FIBER_STACK_SIZE: ignoring '%s' (bytes, K or M, "
		"%u to %u)\n", env, (unsigned)DEVRT_STACK_MIN, (unsigned)DEVRT_STACK_MAX);
	return DEVRT_STACK_DEFAULT;
}

struct devrt_fiber *devrt_fibers_get(unsigned n)
{
	struct devrt_pool *p = &devrt_pool;

	if (!p->stack_size) {
		long page = sysconf(_SC_PAGESIZE);

		p->guard = page > 0 ? (size_t)page : 4096;
		p->stack_size = pool_stack_size(p->guard);
	}
	if (n > p->cap) {
		struct devrt_fiber *f = realloc(p->fibers, (size_t)n * sizeof(*f));

		if (!f)
			return NULL;
		memset(f + p->cap, 0, (size_t)(n - p->cap) * sizeof(*f));
		p->fibers = f;
		p->cap = n;
	}
	while (p->n < n) {
		size_t len = p->stack_size + p->guard;
		char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);

		if (m == MAP_FAILED)
			return NULL;
		if (mprotect(m, p->guard, PROT_NONE) != 0) {
			munmap(m, len);
			return NULL;
		}
		p->fibers[p->n].stack_lo = m + p->guard;
		p->fibers[p->n].stack_size = p->stack_size;
		p->n++;
	}
	if (!p->exit_hooked && __cxa_thread_atexit_impl) {
		if (__cxa_thread_atexit_impl(pool_release, p, &__dso_handle) == 0)
			p->exit_hooked = 1;
	}
	return p->fibers;
}
