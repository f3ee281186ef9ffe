/* SPDX-License-Identifier: MIT */
/*
 * test_fault.c - contained device faults at the ioctl level: each kind of
 * DESIGN.md's fault table ends its dispatch with the recorded kind and
 * address (CTX_QUERY), the completion syncobj still signals, later work of
 * the fd is skipped, other fds are unaffected, and signals not raised by
 * kernel code reach the handler installed before. Kernels: faults.kern.c.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/wait.h>

#include "kmd_test.h"
#include "../common/san.h"

#define FT_KERNELS TEST_BUILD_DIR "/tests/kmd/faults.so"

enum { FK_POKE, FK_PEEK, FK_TRAP, FK_DIVZERO, FK_RECURSE, FK_ASSERT, FK_SPIN, FK_STORE, FK_N };

struct fault_args {
	uint64_t addr;
	uint64_t out;
	int32_t zero;
	int32_t depth;
};

struct ft {
	int fd;
	uint32_t queue;
	uint32_t kernels[FK_N];
	uint32_t args_bo, out_bo;
	uint64_t args_va, out_va;
	struct fault_args *args;
	uint32_t *out;
};

static void ft_open(struct ft *t)
{
	size_t size;
	void *img = kt_read_file(FT_KERNELS, &size);
	uint32_t bo, count = FK_N;

	t->fd = kt_open();
	bo = kt_code_bo(t->fd, img, size);
	free(img);
	ck_assert_int_eq(kt_code_load(t->fd, bo, size, t->kernels, &count, NULL), 0);
	ck_assert_uint_eq(count, FK_N);
	t->queue = kt_queue(t->fd);
	t->args_va = kt_bo_va(t->fd, 4096, &t->args_bo);
	t->args = kt_cpu_map(t->fd, t->args_bo, 4096);
	t->out_va = kt_bo_va(t->fd, 4096, &t->out_bo);
	t->out = kt_cpu_map(t->fd, t->out_bo, 4096);
	memset(t->args, 0, sizeof(*t->args));
	t->args->out = t->out_va;
}

/* Runs kernel k on grid x block and waits: the syncobj signals either way. */
static void ft_run(struct ft *t, int k, uint32_t grid, uint32_t block)
{
	struct drm_musa_packet p = kt_dispatch(t->kernels[k], t->args_va, sizeof(struct fault_args),
					       grid, 1, 1, block, 1, 1);

	kt_run(t->fd, t->queue, &p, 1);
}

static struct drm_musa_ctx_query ft_query(int fd)
{
	struct drm_musa_ctx_query q = { 0 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CTX_QUERY, &q), 0);
	return q;
}

static void ft_expect(int fd, uint32_t kind)
{
	struct drm_musa_ctx_query q = ft_query(fd);

	ck_assert_uint_eq(q.status, DRM_MUSA_CTX_STATUS_GUILTY);
	ck_assert_uint_eq(q.fault_kind, kind);
}

/* Later work of a guilty fd is skipped, but its syncobjs signal. */
static void ft_expect_skipped(struct ft *t)
{
	t->out[0] = 7;
	ft_run(t, FK_STORE, 1, 1);
	ck_assert_uint_eq(t->out[0], 7);
}

/* A fresh fd runs work while the first stays guilty. */
static void ft_expect_other_fd_works(void)
{
	struct ft u;

	ft_open(&u);
	ft_run(&u, FK_STORE, 4, 1);
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(u.out[i], 42u + i);
	ck_assert_uint_eq(ft_query(u.fd).status, DRM_MUSA_CTX_STATUS_OK);
	musa_kmd_close(u.fd);
}

START_TEST(test_fault_null_write_is_illegal_address)
{
	struct ft t;

	kt_env();
	ft_open(&t);
	t.args->addr = 0;
	ft_run(&t, FK_POKE, 1, 1);
	ft_expect(t.fd, DRM_MUSA_FAULT_ILLEGAL_ADDRESS);
	ck_assert_uint_eq(ft_query(t.fd).fault_address, 0);
	ft_expect_skipped(&t);
	ft_expect_other_fd_works();
	musa_kmd_close(t.fd);
}
END_TEST

START_TEST(test_fault_guard_gap_read_reports_the_address)
{
	struct ft t;
	uint32_t bo;
	uint64_t va;

	kt_env();
	ft_open(&t);
	va = kt_bo_va(t.fd, 4096, &bo);
	t.args->addr = va + 4096;   /* first byte of the guard gap */
	ft_run(&t, FK_PEEK, 1, 1);
	ft_expect(t.fd, DRM_MUSA_FAULT_ILLEGAL_ADDRESS);
	ck_assert_uint_eq(ft_query(t.fd).fault_address, va + 4096);
	ft_expect_skipped(&t);
	musa_kmd_close(t.fd);
}
END_TEST

START_TEST(test_fault_trap_is_illegal_instruction)
{
	struct ft t;

	kt_env();
	ft_open(&t);
	ft_run(&t, FK_TRAP, 1, 1);
	ft_expect(t.fd, DRM_MUSA_FAULT_ILLEGAL_INSTRUCTION);
	ck_assert_uint_ne(ft_query(t.fd).fault_address, 0); /* the PC */
	ft_expect_skipped(&t);
	ft_expect_other_fd_works();
	musa_kmd_close(t.fd);
}
END_TEST

START_TEST(test_fault_integer_divide_by_zero_is_launch_failed)
{
	struct ft t;

	kt_env();
	ft_open(&t);
	t.args->zero = 0;
	ft_run(&t, FK_DIVZERO, 1, 1);
	ft_expect(t.fd, DRM_MUSA_FAULT_LAUNCH_FAILED);
	ft_expect_skipped(&t);
	musa_kmd_close(t.fd);
}
END_TEST

START_TEST(test_fault_fiber_stack_overflow_is_stack_overflow)
{
	struct ft t;

	kt_env();
	ft_open(&t);
	t.args->depth = 1 << 20;    /* 512 MiB of frames: past any fiber stack */
	ft_run(&t, FK_RECURSE, 2, 32);
	ft_expect(t.fd, DRM_MUSA_FAULT_STACK_OVERFLOW);
	ft_expect_skipped(&t);
	musa_kmd_close(t.fd);
	/* The compute units' fiber pools stay usable for other fds. */
	ft_open(&t);
	t.args->depth = 100;
	ft_run(&t, FK_RECURSE, 4, 32);
	ck_assert_uint_eq(ft_query(t.fd).status, DRM_MUSA_CTX_STATUS_OK);
	ck_assert_uint_eq(t.out[0], 100u * 101u / 2u);
	musa_kmd_close(t.fd);
}
END_TEST

START_TEST(test_fault_device_assert_prints_and_is_assert)
{
	struct ft t;
	char path[] = "/tmp/musa-assert-XXXXXX";
	char buf[512] = { 0 };
	int log = mkstemp(path), saved = dup(2);

	ck_assert_int_ge(log, 0);
	unlink(path);
	kt_env();
	ft_open(&t);
	t.args->zero = 0;
	dup2(log, 2);
	ft_run(&t, FK_ASSERT, 2, 4);
	dup2(saved, 2);
	ft_expect(t.fd, DRM_MUSA_FAULT_ASSERT);
	ck_assert_int_gt(pread(log, buf, sizeof(buf) - 1, 0), 0);
	ck_assert_msg(strstr(buf, "faults.kern.c:") && strstr(buf, "assert_thread: block: [") &&
		      strstr(buf, "], thread: [0,0,0] Assertion `a->zero != 0` failed.\n"),
		      "assert message: %s", buf);
	ft_expect_skipped(&t);
	close(log);
	close(saved);
	musa_kmd_close(t.fd);
}
END_TEST

/* Where (uapi 1.5): the kernel handle, the group, the faulting instruction. */
START_TEST(test_fault_query_says_where)
{
	struct ft t;
	struct drm_musa_ctx_query q;
	Dl_info di;

	kt_env();
	ft_open(&t);
	t.args->addr = 0;
	ft_run(&t, FK_POKE, 1, 1);
	q = ft_query(t.fd);
	ck_assert_uint_eq(q.fault_kind, DRM_MUSA_FAULT_ILLEGAL_ADDRESS);
	ck_assert_uint_eq(q.fault_flags & (DRM_MUSA_FAULT_HAS_KERNEL | DRM_MUSA_FAULT_HAS_BLOCK |
					   DRM_MUSA_FAULT_HAS_PC),
			  DRM_MUSA_FAULT_HAS_KERNEL | DRM_MUSA_FAULT_HAS_BLOCK | DRM_MUSA_FAULT_HAS_PC);
	ck_assert_uint_eq(q.fault_kernel, t.kernels[FK_POKE]);
	ck_assert_uint_eq(q.fault_block[0] | q.fault_block[1] | q.fault_block[2], 0);
	/* a hand-written entry that never began a group through compiler-rt:
	 * no thread is made up for it */
	ck_assert_uint_eq(q.fault_flags & DRM_MUSA_FAULT_HAS_THREAD, 0);
	ck_assert_int_ne(dladdr((void *)(uintptr_t)q.fault_pc, &di), 0);
	ck_assert_ptr_nonnull(di.dli_sname);
	ck_assert_str_eq(di.dli_sname, "fault_poke_wg");
	musa_kmd_close(t.fd);
}
END_TEST

/* An assert through compiler-rt names its group, thread and call. */
START_TEST(test_fault_query_says_where_an_assert_failed)
{
	struct ft t;
	struct drm_musa_ctx_query q;
	Dl_info di;
	int saved = dup(2), null = open("/dev/null", O_WRONLY);

	kt_env();
	ft_open(&t);
	t.args->zero = 0;
	dup2(null, 2);
	ft_run(&t, FK_ASSERT, 1, 4);
	dup2(saved, 2);
	q = ft_query(t.fd);
	ck_assert_uint_eq(q.fault_kind, DRM_MUSA_FAULT_ASSERT);
	ck_assert_uint_eq(q.fault_flags, DRM_MUSA_FAULT_HAS_KERNEL | DRM_MUSA_FAULT_HAS_BLOCK |
					 DRM_MUSA_FAULT_HAS_THREAD | DRM_MUSA_FAULT_HAS_PC);
	ck_assert_uint_eq(q.fault_kernel, t.kernels[FK_ASSERT]);
	/* thread 0 fails first: the group's threads run in order */
	ck_assert_uint_eq(q.fault_thread[0] | q.fault_thread[1] | q.fault_thread[2], 0);
	/* inside the code object (assert_thread is static: no name for dladdr) */
	ck_assert_int_ne(dladdr((void *)(uintptr_t)q.fault_pc, &di), 0);
	ck_assert_ptr_nonnull(strstr(di.dli_fname, "/fd/"));
	close(null);
	close(saved);
	musa_kmd_close(t.fd);
}
END_TEST

/* A caller built against 1.4 passes the 24-byte struct: its fields only. */
START_TEST(test_fault_query_old_size)
{
	struct old_query {
		uint32_t flags, status;
		uint64_t fault_address;
		uint32_t fault_kind, pad;
	} q[2];
	struct ft t;

	kt_env();
	ft_open(&t);
	t.args->addr = 0;
	ft_run(&t, FK_POKE, 1, 1);
	memset(q, 0x5a, sizeof(q));
	q[0].flags = q[0].pad = 0;
	ck_assert_int_eq(kt_ioctl(t.fd, DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_CTX_QUERY,
						struct old_query), &q[0]), 0);
	ck_assert_uint_eq(q[0].status, DRM_MUSA_CTX_STATUS_GUILTY);
	ck_assert_uint_eq(q[0].fault_kind, DRM_MUSA_FAULT_ILLEGAL_ADDRESS);
	/* nothing written past the caller's struct */
	ck_assert_uint_eq(q[1].flags, 0x5a5a5a5au);
	musa_kmd_close(t.fd);
}
END_TEST

START_TEST(test_fault_watchdog_ends_an_endless_kernel)
{
	struct ft t;
	int64_t start;

	/* Read when the device's compute units start: this test's process
	 * (Check forks one per test) has not started them yet. */
	setenv("MUSA_WATCHDOG_MS", "200", 1);
	kt_env();
	ft_open(&t);
	t.args->addr = t.out_va + 64;   /* a flag nobody sets */
	start = kt_now_ns();
	ft_run(&t, FK_SPIN, 4, 1);      /* 4 groups on 2 CUs: one wave times out */
	ck_assert_int_lt(kt_now_ns() - start, 5000000000ll);
	ft_expect(t.fd, DRM_MUSA_FAULT_TIMEOUT);
	ft_expect_skipped(&t);
	/* Work that finishes in time is not touched by the watchdog. */
	ft_expect_other_fd_works();
	musa_kmd_close(t.fd);
}
END_TEST

START_TEST(test_fault_ctx_query_ok_before_any_fault)
{
	struct ft t;

	kt_env();
	ft_open(&t);
	ft_run(&t, FK_STORE, 2, 1);
	ck_assert_uint_eq(ft_query(t.fd).status, DRM_MUSA_CTX_STATUS_OK);
	ck_assert_uint_eq(ft_query(t.fd).fault_kind, DRM_MUSA_FAULT_NONE);
	ck_assert_uint_eq(t.out[1], 43);
	musa_kmd_close(t.fd);
}
END_TEST

START_TEST(test_fault_second_device_unaffected)
{
	struct ft t;
	int fd1;

	kt_env();
	fd1 = musa_kmd_open(1, O_CLOEXEC);
	ck_assert_int_ge(fd1, 0);
	ft_open(&t);
	ft_run(&t, FK_TRAP, 1, 1);
	ft_expect(t.fd, DRM_MUSA_FAULT_ILLEGAL_INSTRUCTION);
	ck_assert_uint_eq(ft_query(fd1).status, DRM_MUSA_CTX_STATUS_OK);
	musa_kmd_close(fd1);
	musa_kmd_close(t.fd);
}
END_TEST

/* signals that are not the kernel's */

static volatile sig_atomic_t host_handler_ran;
/* An address no host mapping holds, behind a volatile the compiler cannot see through. */
static volatile uintptr_t host_bad_address = 16;
static sigjmp_buf host_jb;

static void host_handler(int sig, siginfo_t *si, void *uc)
{
	host_handler_ran++;
	siglongjmp(host_jb, 1);
}

START_TEST(test_fault_host_sigsegv_reaches_previous_handler)
{
	struct sigaction sa = { .sa_sigaction = host_handler, .sa_flags = SA_SIGINFO };
	struct ft t;

	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGSEGV, &sa, NULL), 0);
	kt_env();
	ft_open(&t);
	ft_run(&t, FK_STORE, 1, 1);      /* the compute units (and handlers) exist now */
	if (!sigsetjmp(host_jb, 1))
		raise(SIGSEGV);
	ck_assert_int_eq(host_handler_ran, 1);
	if (!sigsetjmp(host_jb, 1))
		*(volatile int *)host_bad_address = 1;   /* a host bug, not a kernel's */
	ck_assert_int_eq(host_handler_ran, 2);
	/* A kernel fault is still the device's. */
	t.args->addr = 0;
	ft_run(&t, FK_POKE, 1, 1);
	ft_expect(t.fd, DRM_MUSA_FAULT_ILLEGAL_ADDRESS);
	ck_assert_int_eq(host_handler_ran, 2);
	musa_kmd_close(t.fd);
}
END_TEST

START_TEST(test_fault_host_bug_still_kills_with_default_action)
{
	pid_t pid = fork();
	int status = 0;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct ft t;

		signal(SIGSEGV, SIG_DFL);
		kt_env();
		ft_open(&t);
		ft_run(&t, FK_STORE, 1, 1);
		*(volatile int *)host_bad_address = 1;
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGSEGV);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kmd_fault");
	TCase *tc = tcase_create("kinds");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fault_null_write_is_illegal_address);
	tcase_add_test(tc, test_fault_guard_gap_read_reports_the_address);
	tcase_add_test(tc, test_fault_trap_is_illegal_instruction);
	tcase_add_test(tc, test_fault_integer_divide_by_zero_is_launch_failed);
	if (!UNDER_TSAN)
		tcase_add_test(tc, test_fault_fiber_stack_overflow_is_stack_overflow);
	tcase_add_test(tc, test_fault_device_assert_prints_and_is_assert);
	tcase_add_test(tc, test_fault_query_says_where);
	tcase_add_test(tc, test_fault_query_says_where_an_assert_failed);
	tcase_add_test(tc, test_fault_query_old_size);
	if (!UNDER_TSAN)
		tcase_add_test(tc, test_fault_watchdog_ends_an_endless_kernel);
	tcase_add_test(tc, test_fault_ctx_query_ok_before_any_fault);
	tcase_add_test(tc, test_fault_second_device_unaffected);
	suite_add_tcase(s, tc);
	tc = tcase_create("host_signals");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fault_host_sigsegv_reaches_previous_handler);
	tcase_add_test(tc, test_fault_host_bug_still_kills_with_default_action);
	suite_add_tcase(s, tc);
	return kt_run_suite(s);
}
