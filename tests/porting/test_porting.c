/* SPDX-License-Identifier: MIT */
/*
 * test_porting.c - CUDA programs of this project (tests/porting/cuda, in
 * CUDA's names) go through musify and mcc and must pass; the converted
 * tree goes back through `musify --reverse` and must compile with nvcc
 * (compile only, when nvcc is installed).
 *
 * Suites: "port" (convert, build, run each program, the Makefile project
 * built by make after --build-files), "round trip" (MUSA -> CUDA -> nvcc).
 * May call: the built musify and mcc, make, nvcc, through the shell.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/run_cmd.h"

static char tmp[256];

static int exists(const char *rel)
{
	char p[512];
	struct stat s;

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	return stat(p, &s) == 0;
}

/* One conversion of the whole tree for every test of the port suite. */
static void convert_tree(void)
{
	char out[16384];
	int rc;

	snprintf(tmp, sizeof(tmp), "/tmp/musa-porting-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	rc = sh_out(out, sizeof(out), "%s/bin/musify --build-files -o %s/port %s/tests/porting/cuda",
		TEST_BUILD_DIR, tmp, TEST_SRC_DIR);
	ck_assert_msg(rc == 0, "musify exit %d:\n%s", rc, out);
}

static void remove_tree(void)
{
	sh_out(NULL, 0, "rm -rf %s", tmp);
}

/* Builds port/NAME.mu into a program and runs it with ARGS; it must print
 * PASSED. */
static void build_and_run(const char *name, const char *mcc_extra, const char *args)
{
	char out[16384];
	int rc;

	/* A sanitizer build's programs carry its runtime (TEST_SAN_FLAGS). */
	rc = sh_out(out, sizeof(out), "cd %s/port && %s/bin/mcc " TEST_SAN_FLAGS " -O2 %s.mu -o %s %s", tmp, TEST_BUILD_DIR,
		name, name, mcc_extra);
	ck_assert_msg(rc == 0, "mcc %s.mu: exit %d\n%s", name, rc, out);
	rc = sh_out(out, sizeof(out), "cd %s/port && ./%s %s", tmp, name, args);
	ck_assert_msg(rc == 0 && strstr(out, "PASSED"), "%s: exit %d\n%s", name, rc, out);
}

START_TEST(test_port_names_and_files)
{
	char out[4096];

	/* Files: .cu -> .mu, .cuh -> .muh, cuda -> musa in names. */
	ck_assert(exists("port/runtime_api.mu"));
	ck_assert(exists("port/check_musa.h"));
	ck_assert(exists("port/project/kernels_musa.mu"));
	ck_assert(exists("port/project/vec_musa.muh"));
	ck_assert(!exists("port/runtime_api.cu"));
	/* Includes follow the renamed files; identifiers are renamed... */
	ck_assert_int_eq(sh_out(NULL, 0, "grep -q '#include \"check_musa.h\"' %s/port/runtime_api.mu", tmp), 0);
	ck_assert_int_eq(sh_out(NULL, 0, "grep -q '#include \"vec_musa.muh\"' %s/port/project/main.mu", tmp), 0);
	ck_assert_int_eq(sh_out(NULL, 0, "grep -q 'musaEventRecord(e0)' %s/port/runtime_api.mu", tmp), 0);
	ck_assert_int_eq(sh_out(NULL, 0, "grep -q 'muLaunchKernel(saxpy' %s/port/driver_api.mu", tmp), 0);
	ck_assert_int_eq(sh_out(NULL, 0, "grep -q 'MUSA_SUCCESS' %s/port/driver_api.mu", tmp), 0);
	/* ...strings and comments are not, and nothing CUDA-named is left in code. */
	ck_assert_int_eq(sh_out(NULL, 0, "grep -q '\"cudaMalloc failed\"' %s/port/runtime_api.mu", tmp), 0);
	ck_assert_int_eq(sh_out(NULL, 0, "grep -q 'in CUDA.s names' %s/port/runtime_api.mu", tmp), 0);
	ck_assert_int_eq(sh_out(out, sizeof(out), "grep -n 'cudaError_t\\|cuInit\\|__CUDACC__' %s/port/*.mu", tmp), 1);
	/* The Makefile now calls mcc on .mu files. */
	ck_assert_int_eq(sh_out(NULL, 0, "grep -q mcc %s/port/project/Makefile", tmp), 0);
	ck_assert_int_eq(sh_out(NULL, 0, "grep -q 'kernels_musa' %s/port/project/Makefile", tmp), 0);
}
END_TEST

START_TEST(test_port_runtime_api) { build_and_run("runtime_api", "", ""); }
END_TEST

START_TEST(test_port_warp_cg) { build_and_run("warp_cg", "", ""); }
END_TEST

START_TEST(test_port_textures) { build_and_run("textures", "", ""); }
END_TEST

START_TEST(test_port_textures_legacy) { build_and_run("textures_legacy", "", ""); }
END_TEST

START_TEST(test_port_driver_api)
{
	char out[8192];
	int rc = sh_out(out, sizeof(out), "cd %s/port && %s/bin/mcc --device-only saxpy_kernel.mu -o saxpy.mubin",
		    tmp, TEST_BUILD_DIR);

	ck_assert_msg(rc == 0, "mcc --device-only: %s", out);
	build_and_run("driver_api", "-lmusa", "saxpy.mubin");
}
END_TEST

START_TEST(test_port_makefile_project)
{
	char out[16384];
	/* The Makefile's own compiler variable (NVCC, now MCC) takes the
	 * sanitizer flags of a sanitizer build. */
	int rc = sh_out(out, sizeof(out), "PATH=%s/bin:$PATH make -C %s/port/project MCC='mcc " TEST_SAN_FLAGS "'",
			TEST_BUILD_DIR, tmp);

	ck_assert_msg(rc == 0, "make: exit %d\n%s", rc, out);
	rc = sh_out(out, sizeof(out), "%s/port/project/vecsum", tmp);
	ck_assert_msg(rc == 0 && strstr(out, "PASSED"), "vecsum: exit %d\n%s", rc, out);
}
END_TEST

/* MUSA -> CUDA gives back sources nvcc compiles. textures_legacy.cu uses
 * texture references, which CUDA 12 removed, so nvcc cannot take it. */
START_TEST(test_round_trip_nvcc)
{
	static const char *const files[] = {
		"runtime_api.cu", "driver_api.cu", "saxpy_kernel.cu", "warp_cg.cu", "textures.cu",
		"project/main.cu", "project/kernels_cuda.cu",
	};
	char out[16384];
	int rc;

	rc = sh_out(out, sizeof(out), "%s/bin/musify --reverse --build-files -o %s/back %s/port",
		TEST_BUILD_DIR, tmp, tmp);
	ck_assert_msg(rc == 0, "musify --reverse: exit %d\n%s", rc, out);
	ck_assert(exists("back/runtime_api.cu"));
	ck_assert(exists("back/check_cuda.h"));
	ck_assert(exists("back/project/vec_cuda.cuh"));
	ck_assert_int_eq(sh_out(NULL, 0, "grep -q 'cudaEventRecord(e0)' %s/back/runtime_api.cu", tmp), 0);
	ck_assert_int_eq(sh_out(NULL, 0, "grep -q 'nvcc' %s/back/project/Makefile", tmp), 0);
	if (sh_out(NULL, 0, "command -v nvcc") != 0) {
		printf("round trip: nvcc not installed; compile step skipped\n");
		return;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		rc = sh_out(out, sizeof(out), "cd %s/back && nvcc -std=c++17 -arch=sm_80 -c %s -o /dev/null",
			tmp, files[i]);
		ck_assert_msg(rc == 0, "nvcc -c %s: exit %d\n%s", files[i], rc, out);
	}
}
END_TEST

static Suite *porting_suite(void)
{
	Suite *s = suite_create("porting");
	TCase *port = tcase_create("port"), *back = tcase_create("round trip");

	tcase_add_unchecked_fixture(port, convert_tree, NULL);
	tcase_set_timeout(port, 300);
	tcase_add_test(port, test_port_names_and_files);
	tcase_add_test(port, test_port_runtime_api);
	tcase_add_test(port, test_port_driver_api);
	tcase_add_test(port, test_port_warp_cg);
	tcase_add_test(port, test_port_textures);
	tcase_add_test(port, test_port_textures_legacy);
	tcase_add_test(port, test_port_makefile_project);
	suite_add_tcase(s, port);
	tcase_add_unchecked_fixture(back, NULL, remove_tree);
	tcase_set_timeout(back, 300);
	tcase_add_test(back, test_round_trip_nvcc);
	suite_add_tcase(s, back);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(porting_suite());
	int failed;

	/* One process: the converted tree is shared by every test. */
	srunner_set_fork_status(r, CK_NOFORK);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
