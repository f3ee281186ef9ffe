/* SPDX-License-Identifier: MIT */
/*
 * test_memcheck.c - the memory checker (MUSA_MEMCHECK=1, musa-memcheck).
 * inputs/memcheck_cases.mu makes one kind of bad access per case; each
 * must be reported once per bad thread with the kernel, the thread and
 * block, the source line and the allocation it was nearest to, and the
 * run must end with an error summary and exit status 1. A clean run
 * reports no error and exits 0; without the checker the same program
 * reports nothing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/run_cmd.h"

#define MCC    TEST_BUILD_DIR "/bin/mcc " TEST_SAN_FLAGS
#define INPUTS TEST_SRC_DIR "/tests/debug/inputs"
#define WORK   TEST_BUILD_DIR "/tests/debug/work-memcheck"
#define PROG   WORK "/memcheck_cases"
#define PROG_NOG WORK "/memcheck_cases_nog"

static char out[1 << 16];
static unsigned long long addr_a, addr_b, addr_ia;

static void build_once(void)
{
	static int built;

	if (!built) {
		ck_assert_int_eq(sh("mkdir -p %s && %s -g %s/memcheck_cases.mu -o %s", WORK, MCC,
				    INPUTS, PROG), 0);
		ck_assert_int_eq(sh("%s -O2 %s/memcheck_cases.mu -o %s", MCC, INPUTS, PROG_NOG),
				 0);
	}
	built = 1;
}

static int count(const char *needle)
{
	return run_cmd_count(out, needle);
}

/* Runs one case; returns its exit status and reads the addresses it printed. */
static int run_case(const char *prog, const char *env, const char *c)
{
	const char *p;
	int rc;

	build_once();
	rc = sh_out(out, sizeof(out), "env %s %s %s 2>&1", env, prog, c);
	p = strstr(out, "a=");
	ck_assert_msg(p && sscanf(p, "a=%llx b=%llx ia=%llx", &addr_a, &addr_b, &addr_ia) == 3,
		      "%s", out);
	return rc;
}

/* out has `line`, with %llx replaced by addr. */
static void has(const char *fmt, unsigned long long addr)
{
	char want[256];

	snprintf(want, sizeof(want), fmt, addr);
	ck_assert_msg(strstr(out, want) != NULL, "missing \"%s\" in:\n%s", want, out);
}

START_TEST(test_memcheck_clean_program_reports_nothing)
{
	ck_assert_int_eq(run_case(PROG, "MUSA_MEMCHECK=1", "clean"), 0);
	ck_assert_msg(count("Invalid") == 0, "%s", out);
	ck_assert_msg(strstr(out, "ERROR SUMMARY: 0 errors") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "sync: no error") != NULL, "%s", out);
	ck_assert_msg(count("warning") == 0, "%s", out);
}
END_TEST

START_TEST(test_memcheck_off_reports_nothing)
{
	ck_assert_int_eq(run_case(PROG, "MUSA_MEMCHECK=0", "overflow"), 0);
	ck_assert_msg(count("=========") == 0, "%s", out);
}
END_TEST

START_TEST(test_memcheck_one_element_overflow)
{
	ck_assert_int_eq(run_case(PROG, "MUSA_MEMCHECK=1", "overflow"), 1);
	ck_assert_msg(count("Invalid __global__ write of size 4 bytes") == 1, "%s", out);
	has("memcheck_cases.mu:10 in store_upto", 0);
	has("by thread (0,0,0) in block (2,0,0) of kernel store_upto", 0);
	has("and is 0 bytes after the nearest allocation at 0x%llx of size 1024 bytes", addr_a);
	has("ERROR SUMMARY: 1 error", 0);
}
END_TEST

START_TEST(test_memcheck_overflow_into_the_next_allocation)
{
	ck_assert_int_eq(run_case(PROG, "MUSA_MEMCHECK=1", "neighbour"), 1);
	ck_assert_msg(count("Invalid __global__ write of size 4 bytes") == 4, "%s", out);
	has("by thread (259,0,0) in block (0,0,0) of kernel store_upto", 0);
	has("and is 12 bytes after the nearest allocation at 0x%llx of size 1024 bytes", addr_a);
	has("ERROR SUMMARY: 4 errors", 0);
}
END_TEST

START_TEST(test_memcheck_underflow)
{
	ck_assert_int_eq(run_case(PROG, "MUSA_MEMCHECK=1", "underflow"), 1);
	ck_assert_msg(count("Invalid __global__ read of size 4 bytes") == 2, "%s", out);
	has("memcheck_cases.mu:15 in load_before", 0);
	has("by thread (0,0,0) in block (0,0,0) of kernel load_before", 0);
	has("and is 8 bytes before the nearest allocation at 0x%llx of size 256 bytes", addr_ia);
	has("and is 4 bytes before the nearest allocation at 0x%llx of size 256 bytes", addr_ia);
}
END_TEST

START_TEST(test_memcheck_use_after_free)
{
	ck_assert_int_eq(run_case(PROG, "MUSA_MEMCHECK=1", "uaf"), 1);
	ck_assert_msg(count("Invalid __global__ write of size 4 bytes") == 1, "%s", out);
	has("is 0 bytes inside a freed allocation at 0x%llx of size 1024 bytes", addr_b);
	has("of kernel store_upto", 0);
}
END_TEST

START_TEST(test_memcheck_copy_out_of_bounds)
{
	ck_assert_int_eq(run_case(PROG, "MUSA_MEMCHECK=1", "copy"), 1);
	has("Invalid device range of a copy of 2048 bytes at 0x%llx", addr_a);
	has("starts inside the allocation at 0x%llx of size 1024 bytes and ends 1024 bytes "
	    "past its end", addr_a);
}
END_TEST

START_TEST(test_memcheck_misaligned)
{
	ck_assert_int_eq(run_case(PROG, "MUSA_MEMCHECK=1", "misaligned"), 1);
	has("Invalid __global__ read of size 8 bytes", 0);
	has("Address 0x%llx is misaligned", addr_a + 2);
	has("memcheck_cases.mu:20 in load_wide", 0);
}
END_TEST

/* Line tables come with the checked build: no -g needed. */
START_TEST(test_memcheck_lines_without_g)
{
	ck_assert_int_eq(run_case(PROG_NOG, "MUSA_MEMCHECK=1", "overflow"), 1);
	has("memcheck_cases.mu:10 in store_upto", 0);
}
END_TEST

START_TEST(test_memcheck_launcher)
{
	build_once();
	ck_assert_int_eq(sh_out(out, sizeof(out), "%s/bin/musa-memcheck %s underflow 2>&1",
				TEST_BUILD_DIR, PROG), 1);
	ck_assert_msg(count("Invalid __global__ read") == 2, "%s", out);
	ck_assert_int_eq(sh_out(out, sizeof(out), "%s/bin/musa-memcheck %s clean 2>&1",
				TEST_BUILD_DIR, PROG), 0);
}
END_TEST

START_TEST(test_memcheck_bad_value_warns)
{
	ck_assert_int_eq(run_case(PROG, "MUSA_MEMCHECK=yes", "overflow"), 0);
	ck_assert_msg(count("musa: warning: MUSA_MEMCHECK=yes") == 1, "%s", out);
	ck_assert_msg(count("Invalid") == 0, "%s", out);
}
END_TEST

static Suite *memcheck_suite(void)
{
	Suite *s = suite_create("memcheck");
	TCase *tc = tcase_create("memcheck");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_memcheck_clean_program_reports_nothing);
	tcase_add_test(tc, test_memcheck_off_reports_nothing);
	tcase_add_test(tc, test_memcheck_one_element_overflow);
	tcase_add_test(tc, test_memcheck_overflow_into_the_next_allocation);
	tcase_add_test(tc, test_memcheck_underflow);
	tcase_add_test(tc, test_memcheck_use_after_free);
	tcase_add_test(tc, test_memcheck_copy_out_of_bounds);
	tcase_add_test(tc, test_memcheck_misaligned);
	tcase_add_test(tc, test_memcheck_lines_without_g);
	tcase_add_test(tc, test_memcheck_launcher);
	tcase_add_test(tc, test_memcheck_bad_value_warns);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(memcheck_suite());
	int failed;

	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
