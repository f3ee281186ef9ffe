/* SPDX-License-Identifier: MIT */
/*
 * test_gdb.c - kernels under gdb (docs/debugging.md). inputs/gdb_kernel.mu
 * is built with mcc -g -O0 and run under gdb in batch mode with
 * MUSA_DEBUG_SERIAL=1: a breakpoint on a kernel source line must stop in
 * the kernel, in grid order (block 0, thread 0, then thread 1), and print
 * a local variable, threadIdx.x and blockIdx.x; the program must run to
 * its end. Code objects are dlopen'ed under /proc/<pid>/fd/N, which gdb
 * can open (under /proc/self/... it read its own fds and hung). Without
 * gdb on the machine that case says so and passes. The same session runs
 * under lldb (lldb-15, a dependency like gdb). inputs/serial_order.mu
 * checks the order MUSA_DEBUG_SERIAL promises without a debugger.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/run_cmd.h"

#define MCC    TEST_BUILD_DIR "/bin/mcc " TEST_SAN_FLAGS
#define INPUTS TEST_SRC_DIR "/tests/debug/inputs"
#define WORK   TEST_BUILD_DIR "/tests/debug/work"

/* The line of `marker` in file, or 0. */
static int line_of(const char *file, const char *marker)
{
	FILE *f = fopen(file, "r");
	char line[512];
	int n = 0, found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		n++;
		found = strstr(line, marker) != NULL;
	}
	fclose(f);
	return found ? n : 0;
}

static int have_gdb(void)
{
	return sh("command -v gdb >/dev/null 2>&1") == 0;
}

START_TEST(test_breakpoint_on_kernel_line_prints_locals_and_indices)
{
	static char out[65536];
	char cmds[1024];
	int line = line_of(INPUTS "/gdb_kernel.mu", "gdb: break here"), rc;
	FILE *f;

	if (!have_gdb()) {
		printf("test_gdb: gdb is not installed; case not run\n");
		return;
	}
	ck_assert_int_gt(line, 0);
	ck_assert_int_eq(sh("mkdir -p %s && %s -g -O0 %s/gdb_kernel.mu -o %s/gdb_kernel",
			    WORK, MCC, INPUTS, WORK), 0);
	snprintf(cmds, sizeof(cmds),
		 "set pagination off\nset confirm off\nset breakpoint pending on\n"
		 "break gdb_kernel.mu:%d\nrun\n"
		 "printf \"first local=%%d tid=%%u bid=%%u\\n\", local, threadIdx.x, blockIdx.x\n"
		 "continue\n"
		 "printf \"second local=%%d tid=%%u bid=%%u\\n\", local, threadIdx.x, blockIdx.x\n"
		 "delete\ncontinue\n", line);
	f = fopen(WORK "/gdb_cmds", "w");
	ck_assert_ptr_nonnull(f);
	fputs(cmds, f);
	fclose(f);
	/* LeakSanitizer cannot run under ptrace: off for a sanitizer build */
	rc = sh_out(out, sizeof(out),
		    "MUSA_DEBUG_SERIAL=1 ASAN_OPTIONS=detect_leaks=0 timeout -s KILL 120 "
		    "gdb -nx -batch -x %s/gdb_cmds %s/gdb_kernel 2>&1", WORK, WORK);
	if (rc != 0 || !strstr(out, "first local=7 tid=0 bid=0") ||
	    !strstr(out, "second local=10 tid=1 bid=0") || !strstr(out, "gdb_kernel: done") ||
	    !strstr(out, "exited normally"))
		ck_abort_msg("gdb session (status %d):\n%s", rc, out);
}
END_TEST

/* The same under lldb (lldb-15 on Debian): code objects are shared
 * objects in the link map, so it resolves the pending breakpoint as gdb
 * does. */
START_TEST(test_lldb_breakpoint_on_kernel_line_prints_locals_and_indices)
{
	static char out[65536];
	char cmds[1024];
	const char *lldb = sh("command -v lldb-15 >/dev/null 2>&1") == 0 ? "lldb-15" :
			   sh("command -v lldb >/dev/null 2>&1") == 0 ? "lldb" : NULL;
	int line = line_of(INPUTS "/gdb_kernel.mu", "gdb: break here"), rc;
	FILE *f;

	if (!lldb) {
		printf("test_gdb: lldb is not installed; case not run\n");
		return;
	}
	ck_assert_int_gt(line, 0);
	ck_assert_int_eq(sh("mkdir -p %s && %s -g -O0 %s/gdb_kernel.mu -o %s/lldb_kernel",
			    WORK, MCC, INPUTS, WORK), 0);
	snprintf(cmds, sizeof(cmds),
		 "breakpoint set --file gdb_kernel.mu --line %d\nrun\n"
		 "frame variable local\nexpression -- threadIdx.x\ncontinue\n"
		 "frame variable local\nexpression -- threadIdx.x\n"
		 "breakpoint delete --force\ncontinue\n", line);
	f = fopen(WORK "/lldb_cmds", "w");
	ck_assert_ptr_nonnull(f);
	fputs(cmds, f);
	fclose(f);
	rc = sh_out(out, sizeof(out),
		    "MUSA_DEBUG_SERIAL=1 ASAN_OPTIONS=detect_leaks=0 timeout -s KILL 120 "
		    "%s --no-lldbinit --batch -s %s/lldb_cmds %s/lldb_kernel 2>&1", lldb, WORK, WORK);
	/* first stop: thread 0 (local = 0 * 3 + 7), then thread 1 */
	if (rc != 0 || !strstr(out, "(int) local = 7") || !strstr(out, "(unsigned int) $0 = 0") ||
	    !strstr(out, "(int) local = 10") || !strstr(out, "(unsigned int) $1 = 1") ||
	    !strstr(out, "gdb_kernel: done") || !strstr(out, "exited with status = 0"))
		ck_abort_msg("lldb session (status %d):\n%s", rc, out);
}
END_TEST

/* The order gdb relies on, without gdb: tickets taken by the threads of
 * six groups come out in order of the global index. */
START_TEST(test_debug_serial_runs_groups_and_threads_in_grid_order)
{
	ck_assert_int_eq(sh("mkdir -p %s && %s -O2 %s/serial_order.mu -o %s/serial_order",
			    WORK, MCC, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("MUSA_DEBUG_SERIAL=1 %s/serial_order", WORK), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("debugging");
	TCase *tc = tcase_create("gdb");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_breakpoint_on_kernel_line_prints_locals_and_indices);
	tcase_add_test(tc, test_lldb_breakpoint_on_kernel_line_prints_locals_and_indices);
	tcase_add_test(tc, test_debug_serial_runs_groups_and_threads_in_grid_order);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
