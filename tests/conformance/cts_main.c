/* SPDX-License-Identifier: MIT */
/*
 * cts_main.c - musa-cts, the conformance suite's runner.
 *
 *   musa-cts [--list] [--run PATTERN]... [--verbose]
 *
 * --list prints every test as "area/name"; --run selects tests whose name
 * matches a shell pattern (fnmatch) or contains PATTERN; several --run
 * options add up; no --run runs everything. Each test runs in a forked child
 * (Check's fork mode; CK_FORK=no runs them in-process). Exit status: 0 when
 * every selected test passed or skipped and at least one passed, 77 when
 * all were skipped or none was selected, 98 when one failed.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cts.h"

#define CTS_EXIT_PASS 0
#define CTS_EXIT_SKIP 77
#define CTS_EXIT_FAIL 98

struct cts_entry {
	const char *area;
	const TTest *test;
};

static struct cts_entry *cts_tests;
static size_t cts_ntests, cts_cap;

void cts_register(const char *area, const TTest *test)
{
	if (cts_ntests == cts_cap) {
		size_t cap = cts_cap ? 2 * cts_cap : 256;
		struct cts_entry *n = realloc(cts_tests, cap * sizeof(*n));

		if (!n) {
			fprintf(stderr, "musa-cts: out of memory registering %s\n", test->name);
			exit(CTS_EXIT_FAIL);
		}
		cts_tests = n;
		cts_cap = cap;
	}
	cts_tests[cts_ntests].area = area;
	cts_tests[cts_ntests].test = test;
	cts_ntests++;
}

static int cts_cmp(const void *a, const void *b)
{
	const struct cts_entry *x = a, *y = b;

	return strcmp(x->test->name, y->test->name);
}

int cts_device_count(void)
{
	int n = 0;

	if (musaGetDeviceCount(&n) != musaSuccess)
		n = 0;
	musaGetLastError();
	return n;
}

MUcontext cts_drv_init(void)
{
	MUdevice dev;
	MUcontext ctx = NULL;

	CTS_DRV_OK(muInit(0));
	CTS_DRV_OK(muDeviceGet(&dev, 0));
	CTS_DRV_OK(muDevicePrimaryCtxRetain(&ctx, dev));
	CTS_DRV_OK(muCtxSetCurrent(ctx));
	return ctx;
}

pid_t cts_spawn_self(const char *name, const char *var, const char *value, int in_fd,
                     int out_fd)
{
	extern char **environ;
	size_t n = 0, i, k = 0, vlen = strlen(var);
	char **envp, *entry;
	pid_t pid;

	while (environ[n])
		n++;
	envp = calloc(n + 2, sizeof(*envp));
	entry = malloc(vlen + strlen(value) + 2);
	ck_assert(envp && entry);
	sprintf(entry, "%s=%s", var, value);
	for (i = 0; i < n; i++)  /* an inherited NAME= gives way to the new one */
		if (strncmp(environ[i], var, vlen) || environ[i][vlen] != '=')
			envp[k++] = environ[i];
	envp[k] = entry;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *argv[] = { (char *)name, NULL };

		if ((in_fd >= 0 && dup2(in_fd, 0) < 0) || (out_fd >= 0 && dup2(out_fd, 1) < 0))
			_exit(127);
		execve("/proc/self/exe", argv, envp);
		_exit(127);
	}
	free(entry);
	free(envp);
	return pid;
}

const char *cts_module_path(void)
{
	const char *env = getenv("MUSA_CTS_MODULE");

	if (env && *env)
		return env;
#ifdef CTS_MODULE_PATH
	return CTS_MODULE_PATH;
#else
	return NULL;
#endif
}

static int cts_selected(const char *name, char **pats, int npats)
{
	if (npats == 0)
		return 1;
	for (int i = 0; i < npats; i++)
		if (fnmatch(pats[i], name, 0) == 0 || strstr(name, pats[i]))
			return 1;
	return 0;
}

static void cts_usage(FILE *f)
{
	fprintf(f, "usage: musa-cts [--list] [--run PATTERN]... [--verbose]\n"
		   "exit status: 0 pass, 77 all skipped, 98 a test failed\n");
}

int main(int argc, char **argv)
{
	char **pats = calloc((size_t)argc, sizeof(*pats));
	int npats = 0, list = 0, verbose = 0;
	int passed = 0, skipped = 0, failed = 0, nsel = 0;
	size_t skip_len = strlen(CTS_SKIP_PREFIX);

	if (!pats)
		return CTS_EXIT_FAIL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--list") == 0) {
			list = 1;
		} else if (strcmp(argv[i], "--run") == 0 && i + 1 < argc) {
			pats[npats++] = argv[++i];
		} else if (strncmp(argv[i], "--run=", 6) == 0) {
			pats[npats++] = argv[i] + 6;
		} else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
			verbose = 1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cts_usage(stdout);
			free(pats);
			return CTS_EXIT_PASS;
		} else {
			cts_usage(stderr);
			free(pats);
			return CTS_EXIT_FAIL;
		}
	}
	if (cts_ntests)
		qsort(cts_tests, cts_ntests, sizeof(*cts_tests), cts_cmp);
	if (list) {
		for (size_t i = 0; i < cts_ntests; i++)
			if (cts_selected(cts_tests[i].test->name, pats, npats))
				printf("%s\n", cts_tests[i].test->name);
		free(pats);
		return CTS_EXIT_PASS;
	}

	/* One Check suite, one test case per area, in name order. */
	Suite *s = suite_create("musa-cts");
	TCase *tc = NULL;
	const char *cur = NULL;

	for (size_t i = 0; i < cts_ntests; i++) {
		if (!cts_selected(cts_tests[i].test->name, pats, npats))
			continue;
		if (!cur || strcmp(cur, cts_tests[i].area) != 0) {
			cur = cts_tests[i].area;
			tc = tcase_create(cur);
			tcase_set_timeout(tc, 60);
			suite_add_tcase(s, tc);
		}
		tcase_add_test(tc, cts_tests[i].test);
		nsel++;
	}
	free(pats);
	if (nsel == 0) {
		fprintf(stderr, "musa-cts: no test selected\n");
		return CTS_EXIT_SKIP;
	}

	SRunner *sr = srunner_create(s);

	srunner_run_all(sr, CK_SILENT);

	TestResult **res = srunner_results(sr);
	int n = srunner_ntests_run(sr);

	for (int i = 0; i < n; i++) {
		const char *msg = tr_msg(res[i]);
		const char *name = tr_tcname(res[i]);

		if (tr_rtype(res[i]) == CK_PASS) {
			passed++;
			if (verbose)
				printf("PASS  %s:%d (%s)\n", tr_lfile(res[i]), tr_lno(res[i]), name);
		} else if (msg && strncmp(msg, CTS_SKIP_PREFIX, skip_len) == 0) {
			skipped++;
			printf("SKIP  %s:%d: %s\n", tr_lfile(res[i]), tr_lno(res[i]), msg + skip_len);
		} else {
			failed++;
			printf("FAIL  %s:%d: %s\n", tr_lfile(res[i]), tr_lno(res[i]),
			       msg ? msg : "(no message)");
		}
	}
	free(res);
	srunner_free(sr);
	printf("musa-cts: %d passed, %d skipped, %d failed (of %d)\n", passed, skipped, failed, n);
	if (failed)
		return CTS_EXIT_FAIL;
	return passed ? CTS_EXIT_PASS : CTS_EXIT_SKIP;
}
