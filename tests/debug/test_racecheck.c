/* SPDX-License-Identifier: MIT */
/*
 * test_racecheck.c - the shared-memory race checker (MUSA_RACECHECK=1,
 * musa-memcheck --tool racecheck). inputs/racecheck_cases.mu: a kernel
 * that reads a neighbour's word with no barrier (a read-after-write and a
 * write-after-read hazard, each reported once with both lines, threads and
 * the kernel), every thread writing one word of dynamic shared memory (a
 * write-after-write hazard), and correct kernels (a barrier between, shared
 * atomics, a warp reduction ordered by __syncwarp) that report nothing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/run_cmd.h"

#define MCC    TEST_BUILD_DIR "/bin/mcc " TEST_SAN_FLAGS
#define INPUTS TEST_SRC_DIR "/tests/debug/inputs"
#define WORK   TEST_BUILD_DIR "/tests/debug/work-racecheck"
#define PROG   WORK "/racecheck_cases"

static char out[1 << 16];

static int run_case(const char *env, const char *c)
{
	return sh_out(out, sizeof(out), "env %s %s %s 2>&1", env, PROG, c);
}

static int count(const char *needle)
{
	return run_cmd_count(out, needle);
}

static void has(const char *want)
{
	ck_assert_msg(strstr(out, want) != NULL, "missing \"%s\" in:\n%s", want, out);
}

START_TEST(test_racecheck_read_of_a_neighbour_without_barrier)
{
	ck_assert_int_eq(run_case("MUSA_RACECHECK=1", "shift"), 1);
	ck_assert_msg(count("Error: Race reported between") == 2, "%s", out);
	has("Race reported between Write access at ");
	has("racecheck_cases.mu:10 in shift_no_sync\n=========     and Read access at ");
	has("racecheck_cases.mu:11 in shift_no_sync [4 bytes]");
	has("Read-after-write hazard on shared memory at 0x");
	has("threads (0,0,0) then (63,0,0) of block (0,0,0) of kernel shift_no_sync");
	has("Write-after-read hazard on shared memory at 0x");
	has("threads (0,0,0) then (1,0,0) of block (0,0,0) of kernel shift_no_sync");
	has("RACECHECK SUMMARY: 2 hazards displayed");
	/* the memory checker is not on: no memory summary */
	ck_assert_msg(count("ERROR SUMMARY") == 0, "%s", out);
	has("sync: no error");
}
END_TEST

START_TEST(test_racecheck_dynamic_shared_memory)
{
	ck_assert_int_eq(run_case("MUSA_RACECHECK=1", "dyn"), 1);
	ck_assert_msg(count("Error: Race reported between") == 1, "%s", out);
	has("Write-after-write hazard on shared memory at 0x");
	has("racecheck_cases.mu:55 in dyn_overwrite [4 bytes]");
	has("RACECHECK SUMMARY: 1 hazard displayed");
}
END_TEST

START_TEST(test_racecheck_correct_kernels_report_nothing)
{
	ck_assert_int_eq(run_case("MUSA_RACECHECK=1", "clean"), 0);
	ck_assert_msg(count("Race reported") == 0, "%s", out);
	has("RACECHECK SUMMARY: 0 hazards displayed");
	has("sync: no error");
}
END_TEST

START_TEST(test_racecheck_off_reports_nothing)
{
	ck_assert_int_eq(run_case("MUSA_RACECHECK=0", "shift"), 0);
	ck_assert_msg(count("=========") == 0, "%s", out);
}
END_TEST

START_TEST(test_racecheck_with_the_memory_checker)
{
	ck_assert_int_eq(run_case("MUSA_RACECHECK=1 MUSA_MEMCHECK=1", "shift"), 1);
	has("RACECHECK SUMMARY: 2 hazards displayed");
	has("ERROR SUMMARY: 0 errors");
}
END_TEST

START_TEST(test_racecheck_launcher)
{
	ck_assert_int_eq(sh_out(out, sizeof(out), "%s/bin/musa-memcheck --tool racecheck %s shift "
				"2>&1", TEST_BUILD_DIR, PROG), 1);
	has("RACECHECK SUMMARY: 2 hazards displayed");
	ck_assert_int_eq(sh_out(out, sizeof(out), "%s/bin/musa-memcheck --tool racecheck %s clean "
				"2>&1", TEST_BUILD_DIR, PROG), 0);
	ck_assert_int_eq(sh_out(out, sizeof(out), "%s/bin/musa-memcheck --tool nonsense %s clean "
				"2>&1", TEST_BUILD_DIR, PROG), 2);
	has("unknown tool 'nonsense'");
}
END_TEST

START_TEST(test_racecheck_bad_value_warns)
{
	ck_assert_int_eq(run_case("MUSA_RACECHECK=yes", "shift"), 0);
	ck_assert_msg(count("musa: warning: MUSA_RACECHECK=yes") == 1, "%s", out);
	ck_assert_msg(count("Race reported") == 0, "%s", out);
}
END_TEST

static Suite *racecheck_suite(void)
{
	Suite *s = suite_create("racecheck");
	TCase *tc = tcase_create("racecheck");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_racecheck_read_of_a_neighbour_without_barrier);
	tcase_add_test(tc, test_racecheck_dynamic_shared_memory);
	tcase_add_test(tc, test_racecheck_correct_kernels_report_nothing);
	tcase_add_test(tc, test_racecheck_off_reports_nothing);
	tcase_add_test(tc, test_racecheck_with_the_memory_checker);
	tcase_add_test(tc, test_racecheck_launcher);
	tcase_add_test(tc, test_racecheck_bad_value_warns);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	/* built once, before the cases fork */
	if (sh("mkdir -p %s && %s -g %s/racecheck_cases.mu -o %s", WORK, MCC, INPUTS, PROG)) {
		fprintf(stderr, "test_racecheck: cannot build %s/racecheck_cases.mu\n", INPUTS);
		return 1;
	}
	sr = srunner_create(racecheck_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
