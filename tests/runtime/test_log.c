/* SPDX-License-Identifier: MIT */
/*
 * test_log.c - MUSA_LOG, the stack's one logger (lib/log/musa_log.h): the
 * program runs itself with "emit" and a MUSA_LOG setting, and the lines of
 * its stderr are counted by the prefix of each layer. The emitting run
 * makes a runtime call fail an argument check, allocates and frees through
 * the runtime (runtime, driver and kmd lines), and makes a driver call fail
 * an argument check.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "musa.h"
#include "musa_runtime.h"

static char tl_out[1 << 20];

static int tl_emit(void)
{
	MUresult (*alloc_pitch)(MUdeviceptr *, size_t *, size_t, size_t, unsigned int);
	void *p = NULL;

	*(void **)&alloc_pitch = dlsym(RTLD_DEFAULT, "muMemAllocPitch");
	if (musaMalloc(NULL, 16) != musaErrorInvalidValue)
		return 1;
	if (musaMalloc(&p, 64) != musaSuccess || musaFree(p) != musaSuccess)
		return 2;
	if (!alloc_pitch || alloc_pitch(NULL, NULL, 16, 16, 4) != MUSA_ERROR_INVALID_VALUE)
		return 3;
	return 0;
}

/* Runs this program's emitting part with MUSA_LOG=setting (NULL: unset);
 * its stderr goes to tl_out. Returns its exit status. */
static int tl_run(const char *setting)
{
	int fds[2], status;
	size_t n = 0;
	ssize_t got;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		if (setting)
			setenv("MUSA_LOG", setting, 1);
		else
			unsetenv("MUSA_LOG");
		execl("/proc/self/exe", "test_log", "emit", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (n < sizeof(tl_out) - 1 && (got = read(fds[0], tl_out + n, sizeof(tl_out) - 1 - n)) > 0)
		n += (size_t)got;
	tl_out[n] = '\0';
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Lines of tl_out that start with prefix. */
static int tl_lines(const char *prefix)
{
	size_t len = strlen(prefix);
	int count = 0;

	for (const char *l = tl_out; *l; ) {
		const char *end = strchr(l, '\n');

		if (strncmp(l, prefix, len) == 0)
			count++;
		if (!end)
			break;
		l = end + 1;
	}
	return count;
}

#define RUNTIME "musart: "
#define DRIVER  "libmusa: "
#define KMD     "musa_kmd: "
#define DEVICE  "musa-device: "
#define SHIM    "musa_drm_shim: "

START_TEST(test_debug_logs_every_layer)
{
	ck_assert_int_eq(tl_run("debug"), 0);
	ck_assert_msg(tl_lines(RUNTIME) > 0, "%s", tl_out);
	ck_assert_msg(tl_lines(DRIVER) > 0, "%s", tl_out);
	ck_assert_msg(tl_lines(KMD) > 0, "%s", tl_out);
	ck_assert_int_eq(tl_lines(SHIM), 0);
	ck_assert_int_eq(tl_lines("musa: warning: "), 0);
}
END_TEST

START_TEST(test_debug_names_the_failed_check)
{
	ck_assert_int_eq(tl_run("debug"), 0);
	ck_assert_msg(strstr(tl_out, RUNTIME "check failed: !devPtr in musaMalloc (") != NULL,
		      "%s", tl_out);
	ck_assert_msg(strstr(tl_out, "runtime/memory.c:") != NULL, "%s", tl_out);
	ck_assert_msg(strstr(tl_out, DRIVER "check failed: !dptr || !pPitch") != NULL, "%s", tl_out);
	ck_assert_msg(strstr(tl_out, "in umd_alloc_pitch_on (umd/mem_2d.c:") != NULL, "%s", tl_out);
	ck_assert_msg(strstr(tl_out, RUNTIME "musaMalloc -> 1 (musaErrorInvalidValue)") != NULL,
		      "%s", tl_out);
}
END_TEST

START_TEST(test_category_filter_keeps_only_the_named_layer)
{
	ck_assert_int_eq(tl_run("debug:runtime"), 0);
	ck_assert_msg(tl_lines(RUNTIME) > 0, "%s", tl_out);
	ck_assert_msg(strstr(tl_out, RUNTIME "check failed: !devPtr") != NULL, "%s", tl_out);
	ck_assert_int_eq(tl_lines(DRIVER), 0);
	ck_assert_int_eq(tl_lines(KMD), 0);
	ck_assert_int_eq(tl_lines(DEVICE), 0);
}
END_TEST

START_TEST(test_category_filter_takes_a_list)
{
	ck_assert_int_eq(tl_run("debug:kmd,driver"), 0);
	ck_assert_int_eq(tl_lines(RUNTIME), 0);
	ck_assert_msg(tl_lines(DRIVER) > 0, "%s", tl_out);
	ck_assert_msg(tl_lines(KMD) > 0, "%s", tl_out);
	ck_assert_msg(strstr(tl_out, DRIVER "check failed: !dptr || !pPitch") != NULL, "%s", tl_out);
}
END_TEST

START_TEST(test_off_and_unset_print_no_debug_lines)
{
	const char *settings[] = { "off", "0", NULL };

	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		ck_assert_int_eq(tl_run(settings[i]), 0);
		ck_assert_msg(tl_out[0] == '\0', "MUSA_LOG=%s: %s", settings[i] ? settings[i] : "",
			      tl_out);
	}
}
END_TEST

START_TEST(test_bad_settings_warn_once_and_log_nothing)
{
	const char *settings[] = { "verbose", "debug:", "debug:runtime,", "debug:gpu",
				   "debug:runtime,,kmd", "debugx" };
	char want[128];

	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		ck_assert_int_eq(tl_run(settings[i]), 0);
		snprintf(want, sizeof(want), "musa: warning: MUSA_LOG: ignoring '%s'", settings[i]);
		ck_assert_msg(strstr(tl_out, want) != NULL, "MUSA_LOG=%s: %s", settings[i], tl_out);
		ck_assert_msg(tl_lines("musa: warning: ") == 1, "MUSA_LOG=%s: %s", settings[i], tl_out);
		ck_assert_msg(tl_lines(RUNTIME) + tl_lines(DRIVER) + tl_lines(KMD) == 0,
			      "MUSA_LOG=%s: %s", settings[i], tl_out);
	}
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s;
	TCase *tc;
	SRunner *sr;
	int failed;

	if (argc > 1 && strcmp(argv[1], "emit") == 0)
		return tl_emit();
	s = suite_create("log");
	tc = tcase_create("categories");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_debug_logs_every_layer);
	tcase_add_test(tc, test_debug_names_the_failed_check);
	tcase_add_test(tc, test_category_filter_keeps_only_the_named_layer);
	tcase_add_test(tc, test_category_filter_takes_a_list);
	tcase_add_test(tc, test_off_and_unset_print_no_debug_lines);
	tcase_add_test(tc, test_bad_settings_warn_once_and_log_nothing);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
