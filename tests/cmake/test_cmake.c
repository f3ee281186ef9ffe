/* SPDX-License-Identifier: MIT */
/*
 * test_cmake.c - the installed CMake package (tools/cmake, find_package(MUSA)).
 *
 * The build under test is installed with tools/install.sh into a scratch
 * prefix, which is then moved (the package must find itself, not the path it
 * was installed to); tests/cmake/project - the example of docs/porting.md,
 * a static library from a .mu file and a program of a .cpp and a .mu file
 * with include directories and a definition the kernels need - is
 * configured against it, built, and run, and must print PASSED. Once as
 * written, once with MUSA_SEPARABLE_COMPILATION (-rdc=true objects, the
 * library's too, device-linked by mcc at the program's link). A project
 * without languages gets the variables and targets, MUSA_MCC picks mcc, and
 * a request for a version the package does not satisfy fails. Without cmake
 * on the machine the cases say so and pass. docs/porting.md must show the
 * project's CMakeLists.txt as it is.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/run_cmd.h"

#define WORK    TEST_BUILD_DIR "/tests/cmake/work"
#define PROJECT TEST_SRC_DIR "/tests/cmake/project"
#define PREFIX  WORK "/prefix"

static int have_cmake(void)
{
	if (sh("command -v cmake >/dev/null 2>&1") == 0)
		return 1;
	printf("test_cmake: cmake is not installed: skipped\n");
	return 0;
}

/* The Makefile's VERSION, as the build's library names carry it
 * (libmusart.so.1 -> libmusart.so.1.0.0). */
static void build_version(char *ver, size_t n)
{
	char link[PATH_MAX];
	ssize_t len = readlink(TEST_BUILD_DIR "/lib/libmusart.so.1", link, sizeof(link) - 1);
	const char *p;

	ck_assert_msg(len > 0, "cannot read %s/lib/libmusart.so.1", TEST_BUILD_DIR);
	link[len] = 0;
	p = strstr(link, ".so.");
	ck_assert_msg(p != NULL, "unexpected library name %s", link);
	snprintf(ver, n, "%s", p + 4);
}

/* Installs the build into WORK/staging, then moves it to PREFIX. */
static void install_moved(void)
{
	char ver[64];

	build_version(ver, sizeof(ver));
	ck_assert_int_eq(sh("rm -rf '%s' && mkdir -p '%s'", WORK, WORK), 0);
	ck_assert_int_eq(sh("sh '%s/tools/install.sh' '%s' '%s/staging' '%s' >/dev/null",
			    TEST_SRC_DIR, TEST_BUILD_DIR, WORK, ver), 0);
	ck_assert_int_eq(sh("mv '%s/staging' '%s'", WORK, PREFIX), 0);
}

/* Configures, builds and runs the project in WORK/<name>; extra: more -D
 * options. The sanitizer flags of the build under test reach the program,
 * so it can load the (possibly instrumented) libraries. */
static void build_and_run(const char *name, const char *extra)
{
	const char *san = TEST_SAN_FLAGS;

	ck_assert_msg(sh("cmake -S '%s' -B '%s/%s' -DCMAKE_PREFIX_PATH='%s' -DCMAKE_BUILD_TYPE=Release "
			 "-DCMAKE_CXX_FLAGS='%s' -DCMAKE_MUSA_FLAGS='%s' -DCMAKE_EXE_LINKER_FLAGS='%s' %s "
			 ">'%s/%s.log' 2>&1 || { cat '%s/%s.log'; exit 1; }",
			 PROJECT, WORK, name, PREFIX, san, san, san, extra, WORK, name, WORK, name) == 0,
		      "%s: cmake configure failed", name);
	ck_assert_msg(sh("cmake --build '%s/%s' -j2 >>'%s/%s.log' 2>&1 || { cat '%s/%s.log'; exit 1; }",
			 WORK, name, WORK, name, WORK, name) == 0, "%s: build failed", name);
	ck_assert_msg(sh("'%s/%s/example' | tee -a '%s/%s.log' | grep -qx PASSED",
			 WORK, name, WORK, name) == 0, "%s: the program did not print PASSED", name);
}

/* docs/porting.md shows the project's CMakeLists.txt: the first cmake block
 * of its section "CMake" must be that file. */
START_TEST(cmake_doc_example)
{
	ck_assert_int_eq(sh("awk '/^## CMake$/ { s = 1 } s && /^```cmake$/ { c = 1; next } "
			    "c && /^```$/ { exit } c' '%s/docs/porting.md' | diff - '%s/CMakeLists.txt'",
			    TEST_SRC_DIR, PROJECT), 0);
}
END_TEST

START_TEST(cmake_project)
{
	if (!have_cmake())
		return;
	install_moved();
	build_and_run("build", "");
	/* found through CMAKE_PREFIX_PATH, at the prefix it was moved to */
	ck_assert_int_eq(sh("grep -q 'MUSA_DIR:PATH=%s/lib/cmake/MUSA' '%s/build/CMakeCache.txt'",
			    PREFIX, WORK), 0);
}
END_TEST

START_TEST(cmake_separable)
{
	if (!have_cmake())
		return;
	install_moved();
	build_and_run("rdc", "-DMUSA_SEPARABLE_COMPILATION=ON");
	/* the program's link went through mcc, which device-links */
	ck_assert_int_eq(sh("grep -rq 'musa-link.sh' '%s/rdc/CMakeFiles/example.dir'", WORK), 0);
	ck_assert_int_eq(sh("grep -q -- '-rdc=true' '%s/rdc/CMakeFiles/saxpy.dir/build.make'", WORK), 0);
}
END_TEST

/* Writes WORK/<dir>/CMakeLists.txt: a project without languages (the
 * package enables C++ itself) with the given find_package line and checks
 * of what the package promises. */
static void write_probe(const char *dir, const char *find)
{
	ck_assert_int_eq(sh("mkdir -p '%s/%s' && printf '%%s\\n' 'cmake_minimum_required(VERSION 3.21)' "
			    "'project(probe NONE)' '%s' "
			    "'foreach(v MUSA_FOUND MUSA_VERSION MUSA_INCLUDE_DIRS MUSA_LIBRARIES MUSA_MCC_EXECUTABLE)' "
			    "'  if(NOT $''{v})' '    message(FATAL_ERROR \"$''{v} not set\")' '  endif()' 'endforeach()' "
			    "'if(NOT TARGET MUSA::musart OR NOT TARGET MUSA::musa OR NOT COMMAND musa_add_library)' "
			    "'  message(FATAL_ERROR \"targets or functions missing\")' 'endif()' "
			    "'if(NOT EXISTS $''{MUSA_INCLUDE_DIRS}/musa_runtime.h OR NOT EXISTS $''{MUSA_MCC_EXECUTABLE})' "
			    "'  message(FATAL_ERROR \"bad paths\")' 'endif()' "
			    "'message(STATUS \"probe: $''{MUSA_VERSION} $''{MUSA_MCC_EXECUTABLE}\")' "
			    "> '%s/%s/CMakeLists.txt'", WORK, dir, find, WORK, dir), 0);
}

START_TEST(cmake_version)
{
	char ver[64];

	if (!have_cmake())
		return;
	install_moved();
	build_version(ver, sizeof(ver));
	/* the installed version, with the variables and targets */
	write_probe("v1", "find_package(MUSA 1.0 REQUIRED)");
	ck_assert_int_eq(sh("cmake -S '%s/v1' -B '%s/v1/build' -DCMAKE_PREFIX_PATH='%s' >'%s/v1.log' 2>&1 "
			    "|| { cat '%s/v1.log'; exit 1; }", WORK, WORK, PREFIX, WORK, WORK), 0);
	ck_assert_int_eq(sh("grep -q 'probe: %s %s/bin/mcc' '%s/v1.log'", ver, PREFIX, WORK), 0);
	/* MUSA_MCC in the environment names the mcc to use */
	ck_assert_int_eq(sh("MUSA_MCC='%s/bin/mcc' cmake -S '%s/v1' -B '%s/v1/build2' "
			    "-DCMAKE_PREFIX_PATH='%s' >'%s/v1b.log' 2>&1 || { cat '%s/v1b.log'; exit 1; }",
			    TEST_BUILD_DIR, WORK, WORK, PREFIX, WORK, WORK), 0);
	ck_assert_int_eq(sh("grep -q 'probe: %s %s/bin/mcc' '%s/v1b.log'", ver, TEST_BUILD_DIR, WORK), 0);
	/* a major version it is not */
	write_probe("v2", "find_package(MUSA 99.0 REQUIRED)");
	ck_assert_int_ne(sh("cmake -S '%s/v2' -B '%s/v2/build' -DCMAKE_PREFIX_PATH='%s' >'%s/v2.log' 2>&1",
			    WORK, WORK, PREFIX, WORK), 0);
	ck_assert_int_eq(sh("grep -q 'MUSAConfig.cmake, version: %s$' '%s/v2.log'", ver, WORK), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cmake package");
	TCase *tc = tcase_create("find_package(MUSA)");
	SRunner *sr;
	int failed;

	/* configure + build + run, each a few seconds on a loaded machine */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, cmake_doc_example);
	tcase_add_test(tc, cmake_project);
	tcase_add_test(tc, cmake_separable);
	tcase_add_test(tc, cmake_version);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	/* the cases share WORK: one at a time */
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
