/* SPDX-License-Identifier: MIT */
/*
 * test_exit.mu - a process may exit while one of its kernels still runs:
 * the runtime abandons the device work at exit (as CUDA tears its contexts
 * down), so exit() ends the process with the program's status and stdio
 * is flushed. Each test forks a child before the runtime is initialized;
 * the child launches a kernel that never ends and exits, and the parent
 * checks its status and output. A child still alive after the deadline is
 * killed and the test fails (exit waited for the kernel).
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <musa_runtime.h>

#define DEADLINE_S 30

__global__ void spin_forever(volatile int *flag)
{
	while (!*flag)
		;
}

/* The child: buffered output, a kernel that never ends, then exit. */
static void child(int out_fd, int status, int sync_first)
{
	int *flag = NULL;

	dup2(out_fd, 1);
	printf("child output before exit\n");   /* a pipe: fully buffered */
	if (musaMalloc((void **)&flag, sizeof(int)) != musaSuccess ||
	    musaMemset(flag, 0, sizeof(int)) != musaSuccess)
		_exit(90);
	spin_forever<<<1, 1>>>(flag);
	if (musaGetLastError() != musaSuccess)
		_exit(91);
	if (sync_first && musaStreamQuery(0) != musaErrorNotReady)
		_exit(92);
	exit(status);
}

/* Runs child() in a fresh process; returns its wait status and output. */
static int run_child(int status, int sync_first, char *text, size_t cap)
{
	int fds[2], ws = 0;
	pid_t pid;
	size_t got = 0;
	time_t end = time(NULL) + DEADLINE_S;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		child(fds[1], status, sync_first);
	}
	close(fds[1]);
	for (;;) {
		pid_t w = waitpid(pid, &ws, WNOHANG);

		if (w == pid)
			break;
		if (time(NULL) > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &ws, 0);
			close(fds[0]);
			ck_abort_msg("the process did not exit within %d s: exit waited for "
				     "the running kernel", DEADLINE_S);
		}
		usleep(10000);
	}
	for (ssize_t n; got + 1 < cap && (n = read(fds[0], text + got, cap - 1 - got)) > 0;)
		got += (size_t)n;
	text[got] = '\0';
	close(fds[0]);
	return ws;
}

START_TEST(test_exit_with_a_running_kernel_ends_the_process)
{
	char text[256];
	int ws = run_child(3, 0, text, sizeof(text));

	ck_assert(WIFEXITED(ws));
	ck_assert_int_eq(WEXITSTATUS(ws), 3);
	ck_assert_str_eq(text, "child output before exit\n");
}
END_TEST

START_TEST(test_exit_zero_with_a_running_kernel_ends_the_process)
{
	char text[256];
	int ws = run_child(0, 1, text, sizeof(text));

	ck_assert(WIFEXITED(ws));
	ck_assert_int_eq(WEXITSTATUS(ws), 0);
	ck_assert_str_eq(text, "child output before exit\n");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("runtime_exit");
	TCase *tc = tcase_create("exit");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, DEADLINE_S + 30);
	tcase_add_test(tc, test_exit_with_a_running_kernel_ends_the_process);
	tcase_add_test(tc, test_exit_zero_with_a_running_kernel_ends_the_process);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
