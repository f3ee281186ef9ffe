/* SPDX-License-Identifier: MIT */
/*
 * test_environment.c - the settings of docs/environment.md. A bad value
 * of each variable gets exactly one `musa: warning: NAME:` line on stderr
 * and the program still runs on a device (MUSA_SWDEV=mem=100T used to
 * leave no device at all); a run with good values prints no warning; and
 * every variable a getenv of the stack's sources names is in the table of
 * docs/environment.md.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/run_cmd.h"

#define MCC    TEST_BUILD_DIR "/bin/mcc " TEST_SAN_FLAGS
#define INPUTS TEST_SRC_DIR "/tests/debug/inputs"
#define WORK   TEST_BUILD_DIR "/tests/debug/work-env"
#define PROG   WORK "/serial_order"

static char out[65536];

static void build_once(void)
{
	static int built;

	if (!built)
		ck_assert_int_eq(sh("mkdir -p %s && %s -O2 %s/serial_order.mu -o %s", WORK, MCC,
				    INPUTS, PROG), 0);
	built = 1;
}

/* How many times `needle` occurs in out. */
static int count(const char *needle)
{
	return run_cmd_count(out, needle);
}

/* Runs the program with `env` set; it must pass, warning once about
 * `name` (NULL: no warning at all). */
static void run_with(const char *env, const char *name)
{
	char want[128];

	build_once();
	/* the program checks the order only under MUSA_DEBUG_SERIAL=1 */
	ck_assert_msg(sh_out(out, sizeof(out), "env MUSA_DEBUG_SERIAL=1 %s %s 2>&1", env, PROG) == 0,
		      "%s: %s", env, out);
	ck_assert_msg(strstr(out, "serial_order: in order") != NULL, "%s: %s", env, out);
	if (!name) {
		ck_assert_msg(count("warning") == 0, "%s: %s", env, out);
		return;
	}
	snprintf(want, sizeof(want), "musa: warning: %s:", name);
	ck_assert_msg(count(want) == 1 && count("warning") == 1, "%s: %s", env, out);
}

START_TEST(test_good_settings_print_no_warning)
{
	run_with("MUSA_SWDEV=count=2,cus=2,mem=64M,arch=sm_80:mp_21 MUSA_LOG=off "
		 "MUSA_WATCHDOG_MS=60000 MUSA_LAUNCH_BLOCKING=0", NULL);
}
END_TEST

START_TEST(test_memory_beyond_the_address_space_falls_back_with_a_warning)
{
	run_with("MUSA_SWDEV=mem=100T", "MUSA_SWDEV");
}
END_TEST

START_TEST(test_bad_swdev_keys_are_ignored_with_a_warning)
{
	run_with("MUSA_SWDEV=cus=0", "MUSA_SWDEV");
	run_with("MUSA_SWDEV=arch=sm_99", "MUSA_SWDEV");
	run_with("MUSA_SWDEV=bogus", "MUSA_SWDEV");
}
END_TEST

START_TEST(test_bad_values_of_the_other_settings_warn)
{
	run_with("MUSA_WATCHDOG_MS=soon", "MUSA_WATCHDOG_MS");
	run_with("MUSA_LAUNCH_BLOCKING=yes", "MUSA_LAUNCH_BLOCKING");
	run_with("MUSA_LOG=verbose", "MUSA_LOG");
	run_with("MUSA_VISIBLE_DEVICES=0,9", "MUSA_VISIBLE_DEVICES");
}
END_TEST

START_TEST(test_every_variable_read_is_in_the_table)
{
	char *name, *save = NULL;

	ck_assert_int_eq(sh_out(out, sizeof(out),
				"cd %s && grep -rhoE 'getenv\\(\"[A-Z_0-9]+\"\\)' kmd-shim umd runtime "
				"compiler-rt tools/mcc | sed 's/getenv(\"//; s/\")//' | sort -u",
				TEST_SRC_DIR), 0);
	ck_assert_ptr_nonnull(strstr(out, "MUSA_SWDEV"));
	for (name = strtok_r(out, "\n", &save); name; name = strtok_r(NULL, "\n", &save))
		ck_assert_msg(sh("grep -q '`%s`' %s/docs/environment.md", name, TEST_SRC_DIR) == 0,
			      "%s is read but not in docs/environment.md", name);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("environment");
	TCase *tc = tcase_create("settings");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_good_settings_print_no_warning);
	tcase_add_test(tc, test_memory_beyond_the_address_space_falls_back_with_a_warning);
	tcase_add_test(tc, test_bad_swdev_keys_are_ignored_with_a_warning);
	tcase_add_test(tc, test_bad_values_of_the_other_settings_warn);
	tcase_add_test(tc, test_every_variable_read_is_in_the_table);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
