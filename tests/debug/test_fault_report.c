/* SPDX-License-Identifier: MIT */
/*
 * test_fault_report.c - the line libmusa prints when a kernel faults
 * (docs/debugging.md, "Fault reports"). inputs/fault_cases.mu faults in
 * one way per case; the report must name the kernel, what happened, the
 * block, the thread where the device knows it, and the source line when
 * the program was built with -g. MUSA_LOG=off silences it. Tools that read
 * code by the mapped file (valgrind, perf) get code objects as files
 * (under valgrind, or with MUSA_CODE_DIR) and so name kernel lines too.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/run_cmd.h"

#define MCC    TEST_BUILD_DIR "/bin/mcc " TEST_SAN_FLAGS
#define INPUTS TEST_SRC_DIR "/tests/debug/inputs"
#define WORK   TEST_BUILD_DIR "/tests/debug/work-fault-report"
#define PROG   WORK "/fault_cases"
#define PROG_NOG WORK "/fault_cases_nog"

static char out[1 << 16];

static int run_case(const char *prog, const char *env, const char *c)
{
	return sh_out(out, sizeof(out), "env %s %s %s 2>&1", env, prog, c);
}

static int count(const char *needle)
{
	return run_cmd_count(out, needle);
}

static void has(const char *want)
{
	ck_assert_msg(strstr(out, want) != NULL, "missing \"%s\" in:\n%s", want, out);
}

START_TEST(test_fault_report_null_store_in_a_loop_kernel)
{
	ck_assert_int_eq(run_case(PROG, "", "null"), 0);
	ck_assert_msg(count("musa: kernel ") == 1, "%s", out);
	has("musa: kernel store_null faulted: an illegal memory access was encountered "
	    "(address 0xb4), block (1,0,0), thread not known");
	has("fault_cases.mu:10 in store_null");
	has("sync: an illegal memory access was encountered");
}
END_TEST

START_TEST(test_fault_report_names_the_thread_when_it_is_kept)
{
	ck_assert_int_eq(run_case(PROG, "", "null_method"), 0);
	has("musa: kernel store_null_method faulted: an illegal memory access was "
	    "encountered (address 0xb4), block (1,0,0), thread (13,0,0), at ");
	has("fault_cases.mu:23 in store_null_method");
}
END_TEST

/* The checker's build runs every kernel as threads: the thread is known. */
START_TEST(test_fault_report_under_the_memory_checker_names_the_thread)
{
	run_case(PROG, "MUSA_MEMCHECK=1", "null");
	has("musa: kernel store_null faulted: an illegal memory access was encountered "
	    "(address 0xb4), block (1,0,0), thread (13,0,0), at ");
	has("fault_cases.mu:10 in store_null");
}
END_TEST

START_TEST(test_fault_report_in_a_barrier_kernel)
{
	ck_assert_int_eq(run_case(PROG, "", "barrier"), 0);
	has("musa: kernel store_null_barrier faulted: an illegal memory access was "
	    "encountered (address 0xc8), block (1,0,0)");
	has("fault_cases.mu:33 in store_null_barrier");
}
END_TEST

START_TEST(test_fault_report_of_an_assert)
{
	ck_assert_int_eq(run_case(PROG, "", "assert"), 0);
	/* the device's own message, then the report */
	has("block: [1,0,0], thread: [5,0,0] Assertion `v[i] >= 0` failed.");
	has("musa: kernel check_positive faulted: device-side assert triggered, block "
	    "(1,0,0), thread (5,0,0), at ");
	has("fault_cases.mu:39 in check_positive");
	has("sync: device-side assert triggered");
}
END_TEST

START_TEST(test_fault_report_of_a_trap)
{
	ck_assert_int_eq(run_case(PROG, "", "trap"), 0);
	has("musa: kernel trap_at faulted: an illegal instruction was encountered, "
	    "block (1,0,0)");
	has("fault_cases.mu:46 in trap_at");
	has("sync: an illegal instruction was encountered");
}
END_TEST

START_TEST(test_fault_report_without_g_says_how_to_get_the_line)
{
	ck_assert_int_eq(run_case(PROG_NOG, "", "null"), 0);
	has("musa: kernel store_null faulted: an illegal memory access was encountered "
	    "(address 0xb4), block (1,0,0)");
	has("(mcc -g adds the source line)");
}
END_TEST

START_TEST(test_fault_report_off)
{
	ck_assert_int_eq(run_case(PROG, "MUSA_LOG=off", "null"), 0);
	ck_assert_msg(count("musa:") == 0, "%s", out);
	has("sync: an illegal memory access was encountered");
}
END_TEST

START_TEST(test_fault_report_clean_run_says_nothing)
{
	ck_assert_int_eq(run_case(PROG, "", "clean"), 0);
	ck_assert_msg(count("musa:") == 0, "%s", out);
	has("sync: no error");
}
END_TEST

/* valgrind names the kernel's line in its own report of the bad store. */
START_TEST(test_fault_report_valgrind_names_kernel_lines)
{
	if (sh("command -v valgrind >/dev/null") != 0 || TEST_SAN_FLAGS[0]) {
		fprintf(stderr, "skipped: needs valgrind and a build without sanitizers\n");
		return;
	}
	sh_out(out, sizeof(out), "valgrind %s null 2>&1", PROG);
	has("Invalid write of size 4");
	has("store_null (fault_cases.mu:10)");
}
END_TEST

/* MUSA_CODE_DIR keeps each loaded code object as a file there. */
START_TEST(test_fault_report_code_dir_keeps_files)
{
	ck_assert_int_eq(sh("rm -rf %s/code && mkdir -p %s/code", WORK, WORK), 0);
	ck_assert_int_eq(run_case(PROG, "MUSA_CODE_DIR=" WORK "/code", "clean"), 0);
	has("sync: no error");
	ck_assert_int_eq(sh("for f in %s/code/musa-code-*.so; do head -c4 \"$f\" | "
			    "grep -q ELF || exit 1; done", WORK), 0);
	ck_assert_int_eq(sh("ls %s/code/musa-code-*.so >/dev/null 2>&1", WORK), 0);
}
END_TEST

static Suite *fault_report_suite(void)
{
	Suite *s = suite_create("fault-report");
	TCase *tc = tcase_create("fault-report");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_fault_report_null_store_in_a_loop_kernel);
	tcase_add_test(tc, test_fault_report_names_the_thread_when_it_is_kept);
	tcase_add_test(tc, test_fault_report_under_the_memory_checker_names_the_thread);
	tcase_add_test(tc, test_fault_report_in_a_barrier_kernel);
	tcase_add_test(tc, test_fault_report_of_an_assert);
	tcase_add_test(tc, test_fault_report_of_a_trap);
	tcase_add_test(tc, test_fault_report_without_g_says_how_to_get_the_line);
	tcase_add_test(tc, test_fault_report_off);
	tcase_add_test(tc, test_fault_report_clean_run_says_nothing);
	suite_add_tcase(s, tc);
	tc = tcase_create("tools");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_fault_report_valgrind_names_kernel_lines);
	tcase_add_test(tc, test_fault_report_code_dir_keeps_files);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	/* built once, before the cases fork */
	if (sh("mkdir -p %s && %s -g %s/fault_cases.mu -o %s", WORK, MCC, INPUTS, PROG) ||
	    sh("%s -O2 %s/fault_cases.mu -o %s", MCC, INPUTS, PROG_NOG)) {
		fprintf(stderr, "test_fault_report: cannot build %s/fault_cases.mu\n", INPUTS);
		return 1;
	}
	sr = srunner_create(fault_report_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
