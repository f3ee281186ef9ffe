/* SPDX-License-Identifier: MIT */
/*
 * test_musify.c - the musify converter, run as a user runs it on the
 * inputs of tests/musify/inputs, its output checked byte for byte against
 * tests/musify/expected, with its warnings and exit status.
 *
 * Suites: "tokens" (identifiers renamed and nothing else: strings,
 * comments, raw strings, numbers, longer identifiers; --all-text; the
 * driver API; unmapped names reported with file, line and column; exit
 * statuses), "tree" (a tree with -o and --in-place: file renames and the
 * #include lines naming them, Makefile and CMakeLists.txt with
 * --build-files; --reverse back to CUDA, compiled by nvcc when it is
 * installed), "map" (the map is built from the headers: a new header API
 * is covered without touching musify; --print-map).
 * May call: the built musify, diff, cp, nvcc, through the shell.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/run_cmd.h"

#define MUSIFY   TEST_BUILD_DIR "/bin/musify"
#define INPUTS   TEST_SRC_DIR "/tests/musify/inputs"
#define EXPECTED TEST_SRC_DIR "/tests/musify/expected"

static char work[256];

static void make_work(void)
{
	snprintf(work, sizeof(work), "/tmp/musa-musify-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(work));
}

static void remove_work(void)
{
	if (work[0])
		sh("rm -rf %s", work);
	work[0] = 0;
}

static int exists(const char *rel)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", work, rel);
	return stat(p, &st) == 0;
}

/* Converts INPUTS/name to stdout with the options; the output must equal
 * EXPECTED/expect, and the exit status must be status. */
static void convert_one(const char *opts, const char *name, const char *expect, int status)
{
	ck_assert_int_eq(sh("cd %s && %s %s %s > %s/out 2> %s/err", INPUTS, MUSIFY, opts, name,
			    work, work), status);
	ck_assert_msg(sh("diff -u %s/%s %s/out", EXPECTED, expect, work) == 0,
		      "musify %s %s differs from expected/%s", opts, name, expect);
}

/* tokens */

START_TEST(test_strings_comments_and_literals_untouched)
{
	convert_one("", "text.cu", "text.mu", 0);
}
END_TEST

START_TEST(test_all_text_renames_strings_and_comments)
{
	convert_one("--all-text", "text.cu", "text.alltext.mu", 0);
}
END_TEST

START_TEST(test_driver_api_renamed)
{
	convert_one("", "driver.cu", "driver.mu", 0);
}
END_TEST

START_TEST(test_unmapped_reported_with_file_line_and_status_1)
{
	/* cublas, thrust:: and cudaMallocWrapper are reported once per file;
	 * the user's CUDA_CHECK, cudaCheck, cudaLocal, cudaOther are not. */
	convert_one("", "unmapped.cu", "unmapped.mu", 1);
	ck_assert_int_eq(sh("diff -u %s/unmapped.stderr %s/err", EXPECTED, work), 0);
}
END_TEST

START_TEST(test_quiet_keeps_the_exit_status)
{
	convert_one("-q", "unmapped.cu", "unmapped.mu", 1);
	ck_assert_int_eq(sh("test ! -s %s/err", work), 0);
}
END_TEST

START_TEST(test_usage_errors_exit_2)
{
	ck_assert_int_eq(sh("%s 2>/dev/null", MUSIFY), 2);
	ck_assert_int_eq(sh("%s --no-such-option x.cu 2>/dev/null", MUSIFY), 2);
	ck_assert_int_eq(sh("%s %s/no-such-file.cu 2>/dev/null", MUSIFY, INPUTS), 2);
	/* a directory is converted only with -o or --in-place */
	ck_assert_int_eq(sh("%s %s/tree 2>/dev/null", MUSIFY, INPUTS), 2);
	ck_assert_int_eq(sh("%s -i -o %s/x %s/text.cu 2>/dev/null", MUSIFY, work, INPUTS), 2);
	ck_assert_int_eq(sh("%s --headers %s/none -q %s/text.cu 2>/dev/null", MUSIFY, work, INPUTS), 2);
	ck_assert_int_eq(sh("%s --help > /dev/null", MUSIFY), 0);
	ck_assert_int_eq(sh("%s --version | grep -q '^musify '", MUSIFY), 0);
}
END_TEST

/* tree */

START_TEST(test_tree_to_output_directory)
{
	ck_assert_int_eq(sh("%s --build-files -o %s/out %s/tree 2> %s/err", MUSIFY, work, INPUTS, work), 1);
	ck_assert_int_eq(sh("diff -ru %s/tree.musa %s/out", EXPECTED, work), 0);
	/* the only unmapped name: the cuBLAS target of the CMakeLists */
	ck_assert_int_eq(sh("grep -qx '%s/tree/CMakeLists.txt:9:67: warning: no MUSA counterpart "
			    "for .CUDA::cublas.' %s/err", INPUTS, work), 0);
	ck_assert_int_eq(sh("grep -c warning: %s/err | grep -qx 1", work), 0);
	/* the input is untouched */
	ck_assert_int_eq(sh("test -f %s/tree/main.cu && test ! -e %s/tree/main.mu", INPUTS, INPUTS), 0);
}
END_TEST

START_TEST(test_tree_in_place)
{
	ck_assert_int_eq(sh("cp -r %s/tree %s/t && %s -q --in-place --build-files %s/t", INPUTS, work,
			    MUSIFY, work), 1);
	ck_assert_int_eq(sh("diff -ru %s/tree.musa %s/t", EXPECTED, work), 0);
	ck_assert(!exists("t/main.cu"));
	ck_assert(!exists("t/helper_cuda.h"));
	ck_assert(exists("t/helper_musa.h"));
}
END_TEST

START_TEST(test_tree_without_build_files_copies_them)
{
	ck_assert_int_eq(sh("%s -q -o %s/out %s/tree", MUSIFY, work, INPUTS), 0);
	ck_assert_int_eq(sh("cmp -s %s/tree/Makefile %s/out/Makefile", INPUTS, work), 0);
	ck_assert_int_eq(sh("cmp -s %s/tree/CMakeLists.txt %s/out/CMakeLists.txt", INPUTS, work), 0);
	ck_assert_int_eq(sh("cmp -s %s/tree.musa/main.mu %s/out/main.mu", EXPECTED, work), 0);
}
END_TEST

START_TEST(test_reverse_gives_cuda_back)
{
	ck_assert_int_eq(sh("%s -q --reverse --build-files -o %s/back %s/tree.musa", MUSIFY, work,
			    EXPECTED), 0);
	ck_assert_int_eq(sh("diff -ru %s/tree.back %s/back", EXPECTED, work), 0);
	/* the sources come back exactly as they were */
	ck_assert_int_eq(sh("cd %s/tree && for f in main.cu kernel.cu foo_cuda.cuh helper_cuda.h "
			    "sub/util.cpp; do cmp -s $f %s/back/$f || exit 1; done", INPUTS, work), 0);
	/* single files: MUSA -> CUDA -> the input */
	ck_assert_int_eq(sh("%s -q -r %s/driver.mu | cmp -s - %s/driver.cu", MUSIFY, EXPECTED, INPUTS), 0);
	ck_assert_int_eq(sh("%s -q -r %s/text.mu | cmp -s - %s/text.cu", MUSIFY, EXPECTED, INPUTS), 0);
}
END_TEST

START_TEST(test_reverse_compiles_with_nvcc)
{
	if (sh("command -v nvcc > /dev/null 2>&1") != 0) {
		printf("musify round trip: nvcc not installed; compile step skipped\n");
		return;
	}
	ck_assert_int_eq(sh("%s -q --reverse -o %s/back %s/tree.musa", MUSIFY, work, EXPECTED), 0);
	ck_assert_int_eq(sh("cd %s/back && nvcc -std=c++17 -arch=sm_80 -c main.cu -o /dev/null && "
			    "nvcc -std=c++17 -I. -c sub/util.cpp -o /dev/null", work), 0);
	ck_assert_int_eq(sh("%s -q -r %s/driver.mu > %s/driver.cu && cd %s && "
			    "nvcc -c driver.cu -o /dev/null", MUSIFY, EXPECTED, work, work), 0);
}
END_TEST

START_TEST(test_colliding_outputs_write_nothing)
{
	ck_assert_int_eq(sh("mkdir -p %s/c && echo 'int a;' > %s/c/a.cu && echo 'int b;' > %s/c/a.mu",
			    work, work, work), 0);
	ck_assert_int_eq(sh("%s -o %s/out %s/c 2>/dev/null", MUSIFY, work, work), 2);
	ck_assert(!exists("out/a.mu"));
	ck_assert_int_eq(sh("%s -i %s/c 2>/dev/null", MUSIFY, work), 2);
	ck_assert(exists("c/a.cu"));
}
END_TEST

/* map */

/* A header API musify has never seen is mapped from the headers alone. */
START_TEST(test_new_header_api_is_mapped)
{
	ck_assert_int_eq(sh("mkdir -p %s/hdr && printf '%%s\\n' "
			    "'typedef enum musaNewKind_enum { musaNewKindA = 1 } musaNewKind;' "
			    "'#define MUSA_NEW_FLAG 4' "
			    "'musaError_t musaNewThing(musaNewKind k, int flags);' "
			    "'MUresult muNewDriverCall(MUdeviceptr p);' > %s/hdr/musa_newapi.h",
			    work, work), 0);
	ck_assert_int_eq(sh("printf '%%s\\n' '#include <cuda_newapi.h>' "
			    "'int f() { return cudaNewThing(cudaNewKindA, CUDA_NEW_FLAG) + "
			    "cuNewDriverCall(0); }' > %s/new.cu", work), 0);
	ck_assert_int_eq(sh("%s -q --headers %s/hdr %s/new.cu > %s/new.mu", MUSIFY, work, work, work), 0);
	ck_assert_int_eq(sh("grep -qx '#include <musa_newapi.h>' %s/new.mu && grep -qx 'int f() "
			    "{ return musaNewThing(musaNewKindA, MUSA_NEW_FLAG) + muNewDriverCall(0); }' "
			    "%s/new.mu", work, work), 0);
	ck_assert_int_eq(sh("%s --headers %s/hdr --print-map | grep -qx 'cudaNewThing\tmusaNewThing'",
			    MUSIFY, work), 0);
}
END_TEST

START_TEST(test_print_map_both_directions)
{
	ck_assert_int_eq(sh("%s --print-map > %s/map", MUSIFY, work), 0);
	ck_assert_int_eq(sh("grep -qx 'cudaMalloc\tmusaMalloc' %s/map && "
			    "grep -qx 'cuLaunchKernel\tmuLaunchKernel' %s/map && "
			    "grep -qx 'CUDA_SUCCESS\tMUSA_SUCCESS' %s/map && "
			    "grep -qx '__CUDA_ARCH__\t__MUSA_ARCH__' %s/map && "
			    "grep -qx '<cuda_runtime.h>\t<musa_runtime.h>' %s/map",
			    work, work, work, work, work), 0);
	ck_assert_int_eq(sh("%s --reverse --print-map | grep -qx 'musaMalloc\tcudaMalloc'", MUSIFY), 0);
}
END_TEST

/* cooperative_groups.h keeps its name once the headers have it. */
START_TEST(test_cooperative_groups_header)
{
	const char *want = access(TEST_BUILD_DIR "/include/cooperative_groups.h", F_OK) == 0 ?
			   "cooperative_groups.h" : "musa_cooperative_groups.h";

	ck_assert_int_eq(sh("echo '#include <cooperative_groups.h>' > %s/cg.cu && "
			    "%s -q %s/cg.cu | grep -qx '#include <%s>'", work, MUSIFY, work, want), 0);
}
END_TEST

static Suite *musify_suite(void)
{
	Suite *s = suite_create("musify");
	TCase *tokens = tcase_create("tokens"), *tree = tcase_create("tree");
	TCase *map = tcase_create("map");

	tcase_add_checked_fixture(tokens, make_work, remove_work);
	tcase_add_test(tokens, test_strings_comments_and_literals_untouched);
	tcase_add_test(tokens, test_all_text_renames_strings_and_comments);
	tcase_add_test(tokens, test_driver_api_renamed);
	tcase_add_test(tokens, test_unmapped_reported_with_file_line_and_status_1);
	tcase_add_test(tokens, test_quiet_keeps_the_exit_status);
	tcase_add_test(tokens, test_usage_errors_exit_2);
	suite_add_tcase(s, tokens);

	tcase_add_checked_fixture(tree, make_work, remove_work);
	tcase_set_timeout(tree, 120);
	tcase_add_test(tree, test_tree_to_output_directory);
	tcase_add_test(tree, test_tree_in_place);
	tcase_add_test(tree, test_tree_without_build_files_copies_them);
	tcase_add_test(tree, test_reverse_gives_cuda_back);
	tcase_add_test(tree, test_reverse_compiles_with_nvcc);
	tcase_add_test(tree, test_colliding_outputs_write_nothing);
	suite_add_tcase(s, tree);

	tcase_add_checked_fixture(map, make_work, remove_work);
	tcase_add_test(map, test_new_header_api_is_mapped);
	tcase_add_test(map, test_print_map_both_directions);
	tcase_add_test(map, test_cooperative_groups_header);
	suite_add_tcase(s, map);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(musify_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
