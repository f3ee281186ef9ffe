/* SPDX-License-Identifier: MIT */
/*
 * test_mcc.c - the mcc compiler driver and the device runtime.
 *
 * Suites: "mcc programs" builds the self-checking programs of inputs/ with
 * the built mcc and runs them (these need the whole stack); "mcc errors"
 * checks the diagnostics; "device objects" builds inputs/devobj.mu with
 * --device-only and drives its entries directly through the work-group ABI
 * of musa_codeobj.h (dlopen, no driver), checking the metadata, the
 * exports, the thread indices, barriers, warp operations, re-entrancy and
 * the out-of-resources path; "reproducible output" runs the same mcc
 * commands twice and compares what they write byte for byte.
 */
#include <check.h>
#include <dlfcn.h>
#include <elf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "../common/run_cmd.h"
#include "musa_codeobj.h"

/* Programs are built with the sanitizer flags of the build under test, so
 * they can load its (possibly instrumented) libraries. */
#define MCC     TEST_BUILD_DIR "/bin/mcc " TEST_SAN_FLAGS
#define INPUTS  TEST_SRC_DIR "/tests/mcc/inputs"
#ifndef WORK
#define WORK    TEST_BUILD_DIR "/tests/mcc/work"
/* Cases tagged TEST_MCC_SECOND run in test_mcc_programs, beside this
 * program (tools/run-tests.sh runs programs side by side), in its own
 * work folder. */
#define TEST_MCC_INCLUDE NULL
#define TEST_MCC_EXCLUDE TEST_MCC_SECOND
#endif
#define TEST_MCC_SECOND "second-program"
#define DEVOBJ  WORK "/devobj.mubin"

/* `native`: the programs follow MUSA_SWDEV, so the suite also runs on a
 * device of another arch (MUSA_SWDEV=arch=mp_21: warp size 128). */
static void build_and_run(const char *name, const char *src)
{
	ck_assert_int_eq(sh("%s -O2 --offload-arch=native -Wall -Wextra -Werror %s/%s -o %s/%s",
			    MCC, INPUTS, src, WORK, name), 0);
	ck_assert_int_eq(sh("%s/%s", WORK, name), 0);
}

/* programs */

START_TEST(test_grid_1d_vector_add_runs)
{
	build_and_run("grid1d", "grid1d.mu");
}
END_TEST

START_TEST(test_grid_2d_indices_cover_every_element)
{
	build_and_run("grid2d", "grid2d.mu");
}
END_TEST

START_TEST(test_grid_3d_indices_cover_every_element)
{
	build_and_run("grid3d", "grid3d.mu");
}
END_TEST

START_TEST(test_static_shared_and_barriers_reduce_correctly)
{
	build_and_run("shared_barrier", "shared_barrier.mu");
}
END_TEST

/*
 * inputs/<name>.mu built with fission and with --no-fission: both runs
 * pass their host references; every fx_ kernel runs as loops (the fb_
 * ones are refused shapes). `mcc -v`'s fiber lines go to <name>_v.txt.
 */
static void loops_and_fibers(const char *name)
{
	char mu[64];

	snprintf(mu, sizeof(mu), "%s.mu", name);
	build_and_run(name, mu);
	ck_assert_int_eq(sh("%s -O2 --offload-arch=native --no-fission -Wall -Wextra -Werror %s/%s.mu "
			    "-o %s/%s_fibers", MCC, INPUTS, name, WORK, name), 0);
	ck_assert_int_eq(sh("%s/%s_fibers", WORK, name), 0);
	ck_assert_int_eq(sh("%s -v -O2 --offload-arch=native --device-only %s/%s.mu -o %s/%s.mubin "
			    "2>&1 | grep 'runs as fibers' > %s/%s_v.txt; ! grep -q 'kernel fx_' %s/%s_v.txt",
			    MCC, INPUTS, name, WORK, name, WORK, name, WORK, name), 0);
}

/* The same results with barrier kernels compiled as loops between their
 * barriers and with every thread a fiber. */
START_TEST(test_fission_kernels_compute_what_fibers_compute)
{
	loops_and_fibers("fission");
	ck_assert_int_eq(sh("grep -q 'kernel fb_count' %s/fission_v.txt", WORK), 0);
}
END_TEST

/* A loop form that does not compile costs speed, not the build. */
START_TEST(test_fission_that_does_not_compile_falls_back_to_fibers)
{
	ck_assert_int_eq(sh("%s -O2 --offload-arch=native -Wall -Wextra -Werror %s/fission_fallback.mu "
			    "-o %s/fission_fallback 2> %s/fission_fallback.err", MCC, INPUTS, WORK, WORK), 0);
	ck_assert_int_eq(sh("grep -q 'warning: .*fission_fallback.mu: barrier kernels compiled as fibers' "
			    "%s/fission_fallback.err", WORK), 0);
	ck_assert_int_eq(sh("%s/fission_fallback", WORK), 0);
	/* the user's own errors still fail the build, reported once */
	ck_assert_int_ne(sh("printf '__global__ void k(int *p) { int t = threadIdx.x; __syncthreads(); "
			    "p[t] = undeclared_name; }\n' > %s/fission_err.mu && "
			    "%s --device-only %s/fission_err.mu -o %s/fission_err.mubin 2> %s/fission_err.txt",
			    WORK, MCC, WORK, WORK, WORK), 0);
	ck_assert_int_eq(sh("test $(grep -c \"use of undeclared identifier 'undeclared_name'\" %s/fission_err.txt) = 1",
			    WORK), 0);
}
END_TEST

/* Template kernels in anonymous namespaces launched from templates with
 * deduced arguments, local constants as arguments, launches in members of
 * class templates, kernels named only by address, static shared sizes. */
START_TEST(test_front_end_shapes)
{
	build_and_run("frontend", "frontend.mu");
}
END_TEST

START_TEST(test_unnamed_kernel_parameters)
{
	build_and_run("unnamed_param", "unnamed_param.mu");
}
END_TEST

/* k<T, 64><<<...>>> inside host templates: instances from the AST. */
START_TEST(test_template_launches_with_arguments_of_an_enclosing_template)
{
	build_and_run("templates_dep", "templates_dep.mu");
	ck_assert_int_eq(sh("%s --device-only %s/templates_dep.mu -o %s/templates_dep.mubin && "
			    "test $(strings %s/templates_dep.mubin | grep -c '^ops::fill<') = 7 && "
			    "strings %s/templates_dep.mubin | grep -qx 'ops::fill<double, 64u, true>'",
			    MCC, INPUTS, WORK, WORK, WORK), 0);
}
END_TEST

/* Kernels defined in the user's headers (quoted, and through -I). */
START_TEST(test_kernels_defined_in_included_headers)
{
	ck_assert_int_eq(sh("%s -O2 --offload-arch=native -Wall -Wextra -Werror -I%s/inc %s/hdr_main.mu -o %s/hdr_main",
			    MCC, INPUTS, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("%s/hdr_main", WORK), 0);
	/* mcc's own errors in a header name the header, its line and column */
	ck_assert_int_ne(sh("printf '#include <hdr_bad.cuh>\\nint main(void) { return 0; }\\n' > %s/hdr_bad.mu && "
			    "%s -I%s/inc -c %s/hdr_bad.mu -o %s/hdr_bad.o 2> %s/hdr_bad.txt",
			    WORK, MCC, INPUTS, WORK, WORK, WORK), 0);
	ck_assert_int_eq(sh("grep -q 'inc/hdr_bad.cuh:3:47: error' %s/hdr_bad.txt", WORK), 0);
}
END_TEST

START_TEST(test_atomic_add_int_unsigned_float_count_every_thread)
{
	build_and_run("atomics", "atomics.mu");
}
END_TEST

START_TEST(test_device_functions_and_hidden_barrier)
{
	build_and_run("devfunc", "devfunc.mu");
}
END_TEST

START_TEST(test_kernels_in_namespaces_launch_by_qualified_name)
{
	build_and_run("namespace", "namespace.mu");
}
END_TEST

START_TEST(test_plain_c_source_with_kernels)
{
	build_and_run("plain_c", "plain_c.c");
}
END_TEST

START_TEST(test_launch_with_spaces_shmem_and_stream)
{
	build_and_run("launch_spaces", "launch_spaces.mu");
}
END_TEST

START_TEST(test_struct_and_double_params_are_packed_as_declared)
{
	build_and_run("struct_double", "struct_double.mu");
}
END_TEST

START_TEST(test_compile_separately_then_link)
{
	ck_assert_int_eq(sh("%s --offload-arch=native -c %s/sep_kernel.mu -o %s/sep_kernel.o", MCC, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("%s --offload-arch=native -c %s/sep_main.mu -o %s/sep_main.o", MCC, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("%s %s/sep_kernel.o %s/sep_main.o -o %s/sep", MCC, WORK, WORK, WORK), 0);
	ck_assert_int_eq(sh("%s/sep", WORK), 0);
}
END_TEST

START_TEST(test_loop_mode_inlines_bodies_and_keeps_indices_for_device_functions)
{
	build_and_run("loop_inline", "loop_inline.mu");
}
END_TEST

START_TEST(test_loop_mode_rows_of_groups_and_first_thread_keep_results)
{
	build_and_run("loop_rows", "loop_rows.mu");
}
END_TEST

START_TEST(test_shared_variables_bound_once_keep_their_meaning)
{
	build_and_run("shared_bind", "shared_bind.mu");
}
END_TEST

START_TEST(test_cooperative_groups_only_kernels_run_as_fibers)
{
	build_and_run("cg_fibers", "cg_fibers.mu");
}
END_TEST

START_TEST(test_dynamic_shared_memory_aliases_one_buffer_sized_at_launch)
{
	build_and_run("dynshared", "dynshared.mu");
}
END_TEST

/* The device pass compiles the host code too; its static objects must not
 * be constructed again when the code object loads. */
START_TEST(test_host_static_object_is_constructed_once)
{
	unsetenv("MCC_TEST_CTOR_COUNT");
	build_and_run("host_static", "host_static.mu");
}
END_TEST

START_TEST(test_template_kernels_get_one_instance_per_launched_argument_list)
{
	build_and_run("templates", "templates.mu");
}
END_TEST

/* -dc / -rdc=true: device functions and variables of one file used from
 * another, device-linked into one code object at the final link. */
START_TEST(test_relocatable_device_code_is_device_linked_into_one_object)
{
	ck_assert_int_eq(sh("%s --offload-arch=native -dc %s/rdc_lib.mu -o %s/rdc_lib.o", MCC, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("%s --offload-arch=native -rdc=true -c %s/rdc_main.mu -o %s/rdc_main.o",
			    MCC, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("%s %s/rdc_main.o %s/rdc_lib.o -o %s/rdc", MCC, WORK, WORK, WORK), 0);
	ck_assert_int_eq(sh("%s/rdc", WORK), 0);
	/* the library's object in a static library (CMake's musa_add_library):
	 * the device link reads the archive's members */
	ck_assert_int_eq(sh("rm -f %s/librdc.a && ar rcs %s/librdc.a %s/rdc_lib.o", WORK, WORK, WORK), 0);
	ck_assert_int_eq(sh("%s %s/rdc_main.o %s/librdc.a -o %s/rdc_ar", MCC, WORK, WORK, WORK), 0);
	ck_assert_int_eq(sh("%s/rdc_ar", WORK), 0);
	/* one command, two archs: one linked image per arch */
	ck_assert_int_eq(sh("%s -rdc=true --offload-arch=mp_31,mp_21 %s/rdc_lib.mu %s/rdc_main.mu -o %s/rdc2",
			    MCC, INPUTS, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("MUSA_SWDEV=arch=mp_31 %s/rdc2", WORK), 0);
	ck_assert_int_eq(sh("MUSA_SWDEV=arch=mp_21 %s/rdc2", WORK), 0);
}
END_TEST

/* Without -rdc a call into another file's device code cannot link. */
START_TEST(test_cross_file_device_call_without_rdc_fails_to_compile)
{
	ck_assert_int_ne(sh("%s -c %s/rdc_main.mu -o %s/nordc.o 2>/dev/null", MCC, INPUTS, WORK), 0);
}
END_TEST

/* nvcc-style options reach the host compiler; .cu and -x cu are MUSA. */
START_TEST(test_nvcc_style_options_and_cu_input)
{
	ck_assert_int_eq(sh("cp %s/grid1d.mu %s/grid1d_copy.cu", INPUTS, WORK), 0);
	ck_assert_int_eq(sh("%s --offload-arch=native -O2 -g -std=c++17 -DUNUSED_MACRO=1 -I%s -Xcompiler -Wall,-Wextra "
			    "%s/grid1d_copy.cu -o %s/grid1d_cu", MCC, INPUTS, WORK, WORK), 0);
	ck_assert_int_eq(sh("%s/grid1d_cu", WORK), 0);
	ck_assert_int_eq(sh("%s --offload-arch=native -x cu -c %s/grid1d.mu -o %s/grid1d_x.o && %s %s/grid1d_x.o -o %s/grid1d_x",
			    MCC, INPUTS, WORK, MCC, WORK, WORK), 0);
	ck_assert_int_eq(sh("%s/grid1d_x", WORK), 0);
}
END_TEST

/* One image per arch; each reports its own warpSize and __MUSA_ARCH__. */
START_TEST(test_one_image_per_offload_arch_with_its_warp_size)
{
	ck_assert_int_eq(sh("%s -O2 --offload-arch=mp_31 --offload-arch=mp_21,mp_22 %s/arch.mu -o %s/arch_all",
			    MCC, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("MUSA_SWDEV=arch=mp_31 %s/arch_all", WORK), 0);
	ck_assert_int_eq(sh("MUSA_SWDEV=arch=mp_21 %s/arch_all", WORK), 0);
	ck_assert_int_eq(sh("MUSA_SWDEV=cus=2,arch=mp_22 %s/arch_all", WORK), 0);
}
END_TEST

START_TEST(test_program_without_an_image_for_the_device_fails_with_no_kernel_image)
{
	ck_assert_int_eq(sh("%s -O2 --offload-arch=mp_21 %s/arch.mu -o %s/arch21", MCC, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("MUSA_SWDEV= %s/arch21 noimage", WORK), 0);
	ck_assert_int_eq(sh("MUSA_SWDEV=arch=mp_21 %s/arch21", WORK), 0);
}
END_TEST

START_TEST(test_offload_arch_native_is_the_arch_of_device_0)
{
	ck_assert_int_eq(sh("MUSA_SWDEV=arch=mp_22 %s -O2 --offload-arch=native %s/arch.mu -o %s/arch_native",
			    MCC, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("MUSA_SWDEV=arch=mp_22 %s/arch_native", WORK), 0);
	ck_assert_int_eq(sh("MUSA_SWDEV=arch=mp_31 %s/arch_native noimage", WORK), 0);
}
END_TEST

START_TEST(test_kernel_specifiers_and_spaced_chevrons)
{
	build_and_run("specifiers", "specifiers.mu");
}
END_TEST

/* __shared__ (static and extern), __constant__ and __device__ in any
 * position among the specifiers, in loop mode, fission and fibers. */
START_TEST(test_shared_anywhere_among_the_specifiers)
{
	build_and_run("shared_specifiers", "shared_specifiers.mu");
	ck_assert_int_eq(sh("%s -O2 --offload-arch=native --no-fission -Wall -Wextra -Werror "
			    "%s/shared_specifiers.mu -o %s/shared_specifiers_fibers", MCC, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("%s/shared_specifiers_fibers", WORK), 0);
	/* barrier_kernel takes fission, warp_kernel keeps its fibers */
	ck_assert_int_eq(sh("%s -v -O2 --device-only %s/shared_specifiers.mu -o %s/shared_specifiers.mubin "
			    "2> %s/shared_specifiers.v && ! grep -q 'barrier_kernel runs as fibers' "
			    "%s/shared_specifiers.v && grep -q 'warp_kernel runs as fibers' %s/shared_specifiers.v",
			    MCC, INPUTS, WORK, WORK, WORK, WORK), 0);
}
END_TEST

/* Launches inside #define bodies (the kernel a macro parameter, a template
 * instance, one that depends on a host template), kernels and
 * configurations that are macros; lines after the macros stay right. */
START_TEST(test_launches_in_macro_bodies)
{
	build_and_run("macro_launch", "macro_launch.mu");
}
END_TEST

START_TEST(test_texture_references_are_device_variables)
{
	build_and_run("texref", "texref.mu");
}
END_TEST

/* nvcc's command line */

#define ARCH_CC INPUTS "/arch_cc.mu"

/* -arch=sm_70 in its spellings: __MUSA_ARCH__ 700, runs on the sm_80 default. */
START_TEST(test_arch_sm70_image_runs_on_the_default_sm80_device)
{
	static const char *const forms[] = {
		"-arch=sm_70", "-arch sm_70", "--gpu-architecture=sm_70", "--gpu-architecture sm_70",
		"-arch=compute_70", "--offload-arch=sm_70",
	};

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		ck_assert_msg(sh("%s %s -DWANT_ARCH=700 %s -o %s/arch70 && MUSA_SWDEV= %s/arch70",
				 MCC, forms[i], ARCH_CC, WORK, WORK) == 0, "%s", forms[i]);
	}
	/* an sm_80 device shows major 8 minor 0, a newer image does not run on sm_70 */
	ck_assert_int_eq(sh("%s -arch=sm_80 %s/arch.mu -o %s/arch80 && MUSA_SWDEV=arch=sm_70 %s/arch80 noimage",
			    MCC, INPUTS, WORK, WORK), 0);
}
END_TEST

/* nvcc archs older than sm_50 build sm_50, newer than sm_80 sm_80, with one note. */
START_TEST(test_old_and_new_nvcc_archs_map_to_the_table_with_a_note)
{
	ck_assert_int_eq(sh("%s -arch=sm_35 -arch=sm_35 -DWANT_ARCH=-500 %s -o %s/arch35 2> %s/arch35.err && %s/arch35",
			    MCC, ARCH_CC, WORK, WORK, WORK), 0);
	ck_assert_int_eq(sh("test $(grep -c '^mcc: note: sm_35 is older than the oldest arch here; building sm_50$' "
			    "%s/arch35.err) = 1", WORK), 0);
	ck_assert_int_eq(sh("%s -arch=sm_13 -gencode arch=compute_90a,code=sm_90a -DWANT_ARCH=800 %s -o %s/arch90 "
			    "2> %s/arch90.err && %s/arch90", MCC, ARCH_CC, WORK, WORK, WORK), 0);
	ck_assert_int_eq(sh("grep -q 'note: sm_90a is newer than the newest arch here; building sm_80' %s/arch90.err",
			    WORK), 0);
	/* -Wno-deprecated-gpu-targets silences them, as it does nvcc's warning */
	ck_assert_int_eq(sh("%s -Wno-deprecated-gpu-targets -arch=sm_20 --dryrun %s -o %s/x 2>&1 | "
			    "grep -c 'note:' | grep -qx 0", MCC, ARCH_CC, WORK), 0);
	ck_assert_int_ne(sh("%s -arch=sm_51 -c %s -o %s/x.o 2>/dev/null", MCC, ARCH_CC, WORK), 0);
}
END_TEST

/* The images -gencode, -code and -arch=all ask for: one device pass each. */
static void expect_images(const char *opts, const char *archs)
{
	char want[256];

	snprintf(want, sizeof(want), "%s", archs);
	/* --dryrun parses too (the front end decides what runs) */
	ck_assert_msg(sh("test \"$(%s --dryrun -DWANT_ARCH=0 %s -c %s -o %s/x.o 2>&1 | grep -o -- '-D__MUSA_ARCH__=[0-9]*' | "
			 "cut -d= -f2 | sort -n | tr '\\n' ' ')\" = \"%s\"", MCC, opts, ARCH_CC, WORK, want) == 0,
		      "%s: want %s", opts, archs);
}

START_TEST(test_gencode_code_and_arch_lists_choose_the_images)
{
	expect_images("-gencode arch=compute_60,code=sm_60 -gencode=arch=compute_75,code=[sm_75,compute_75]",
		      "600 750 ");
	expect_images("-gencode arch=compute_70,code=\\\"sm_70,compute_72\\\"", "700 720 ");
	expect_images("--generate-code arch=compute_52,code=compute_52", "520 ");
	expect_images("-arch=compute_70 -code=sm_70,sm_75", "700 750 ");
	expect_images("-arch=sm_61 -gencode arch=compute_80,code=sm_80", "610 800 ");
	expect_images("--offload-arch=mp_31,mp_21", "210 310 ");
	expect_images("", "800 ");
	expect_images("-arch=all-major", "210 310 500 600 700 800 ");
	expect_images("-arch=all", "210 220 310 500 520 530 600 610 620 700 720 750 800 ");
	/* the picked image: 75 on the default sm_80, 60 on an sm_70 device */
	ck_assert_int_eq(sh("%s -gencode arch=compute_60,code=sm_60 -gencode arch=compute_75,code=sm_75 "
			    "-DWANT_ARCH=750 %s -o %s/gen75 && MUSA_SWDEV= %s/gen75", MCC, ARCH_CC, WORK, WORK), 0);
	ck_assert_int_eq(sh("%s -gencode arch=compute_60,code=sm_60 -gencode arch=compute_75,code=sm_75 "
			    "-DWANT_ARCH=-600 %s -o %s/gen60 && MUSA_SWDEV=arch=sm_70 %s/gen60", MCC, ARCH_CC, WORK,
			    WORK), 0);
	ck_assert_int_ne(sh("%s -gencode sm_70 -c %s -o %s/x.o 2>/dev/null", MCC, ARCH_CC, WORK), 0);
}
END_TEST

/* mcc's table, the device's and the code-object format's agree: every arch
 * mcc lists exists on the device with its capability and warp size, and
 * its image (built by -arch=all) runs there with that __MUSA_ARCH__. */
START_TEST(test_arch_tables_of_mcc_and_the_device_agree)
{
	ck_assert_int_eq(sh("%s -O1 -arch=all %s/arch.mu -o %s/arch_every", MCC, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("n=0; %s --list-archs > %s/archs.txt && while read name cc warp musa_arch; do "
			    "n=$((n+1)); got=$(MUSA_SWDEV=arch=$name %s/arch_every print) || exit 1; "
			    "test \"$got\" = \"MUSA Software Device $name $cc $warp\" || { echo \"$name: $got\"; exit 1; }; "
			    "done < %s/archs.txt; test $n = 13", MCC, WORK, WORK, WORK), 0);
	/* one older image of the same warp size serves every newer device */
	ck_assert_int_eq(sh("%s -O1 -arch=sm_50 -DWANT_ARCH=-500 %s -o %s/arch50 && for a in sm_50 sm_53 sm_62 sm_75 sm_80; "
			    "do MUSA_SWDEV=arch=$a %s/arch50 || exit 1; done", MCC, ARCH_CC, WORK, WORK), 0);
	ck_assert_int_eq(sh("%s -O1 -arch=sm_50 %s/arch.mu -o %s/arch50n && MUSA_SWDEV=arch=mp_31 %s/arch50n noimage",
			    MCC, INPUTS, WORK, WORK), 0);
}
END_TEST

START_TEST(test_version_banner_is_nvcc_shaped)
{
	ck_assert_int_eq(sh("%s --version > %s/version.txt && head -1 %s/version.txt | grep -qx 'mcc: MUSA compiler driver' "
			    "&& grep -Eq '^MUSA compilation tools, release [0-9]+\\.[0-9]+, V[0-9]+\\.[0-9]+\\.[0-9]+$' %s/version.txt "
			    "&& grep -q '^mcc version ' %s/version.txt && %s -V | grep -q release", MCC, WORK, WORK, WORK, WORK,
			    MCC), 0);
}
END_TEST

/* nvcc -M: the make rule on stdout; -MD: the rule next to the object. */
START_TEST(test_make_dependencies)
{
	ck_assert_int_eq(sh("cd %s && %s -M -I%s/inc %s/hdr_main.mu > deps_m.txt && "
			    "grep -q '^hdr_main.o:' deps_m.txt && grep -q 'hdr_kernels.muh' deps_m.txt && "
			    "grep -q 'check.h' deps_m.txt && grep -q 'musa_runtime.h' deps_m.txt && test ! -e hdr_main.o",
			    WORK, MCC, INPUTS, INPUTS), 0);
	/* -MM leaves out system headers, MUSA's among them */
	ck_assert_int_eq(sh("cd %s && %s -MM -I%s/inc %s/hdr_main.mu -MT custom.o -MF deps_mm.txt && "
			    "grep -q '^custom.o:' deps_mm.txt && grep -q 'hdr_kernels.muh' deps_mm.txt && "
			    "! grep -q 'musa_runtime.h' deps_mm.txt", WORK, MCC, INPUTS, INPUTS), 0);
	/* -MD -MP with the compile: obj.d beside obj, a phony rule per header */
	ck_assert_int_eq(sh("cd %s && rm -f md_obj.d && %s -MD -MP -c -I%s/inc %s/hdr_main.mu -o md_obj.o && "
			    "test -s md_obj.o && grep -q '^md_obj.o:' md_obj.d && grep -q '^.*check.h:$' md_obj.d",
			    WORK, MCC, INPUTS, INPUTS), 0);
	ck_assert_int_eq(sh("cd %s && %s -MMD -MF mmd.dep --generate-dependency-targets -I%s/inc %s/hdr_main.mu -o md_prog && "
			    "./md_prog && grep -q 'hdr_kernels.muh' mmd.dep && ! grep -q 'musa_runtime.h' mmd.dep",
			    WORK, MCC, INPUTS, INPUTS), 0);
}
END_TEST

/* -ccbin picks the host compiler for every pass: a name, a path or a directory. */
START_TEST(test_ccbin_picks_the_host_compiler)
{
	ck_assert_int_eq(sh("%s -ccbin g++ %s/grid1d.mu -o %s/ccbin1 && %s/ccbin1", MCC, INPUTS, WORK, WORK), 0);
	ck_assert_int_eq(sh("%s --compiler-bindir=$(dirname $(command -v g++)) %s/grid1d.mu -o %s/ccbin2 && %s/ccbin2",
			    MCC, INPUTS, WORK, WORK), 0);
	/* the partner compiler for C; clang's spelling of -lineinfo */
	ck_assert_int_eq(sh("%s -ccbin /opt/x/clang++-17 -lineinfo --dryrun %s/plain_c.c %s/grid1d.mu -o %s/x "
			    "> %s/ccbin.txt 2>&1 && grep -q '^#\\$ /opt/x/clang-17 ' %s/ccbin.txt && "
			    "grep -q '^#\\$ /opt/x/clang++-17 .*-gline-tables-only' %s/ccbin.txt",
			    MCC, INPUTS, INPUTS, WORK, WORK, WORK, WORK), 0);
	ck_assert_int_eq(sh("%s -ccbin gcc-12 --version | grep -q 'host compilers gcc-12 / g++-12'", MCC), 0);
}
END_TEST

/* The options every CUDA Makefile passes: mapped, or ignored with one note. */
START_TEST(test_nvcc_makefile_options_build_and_run)
{
	ck_assert_int_eq(sh("%s -O3 -use_fast_math -lineinfo --expt-relaxed-constexpr --extended-lambda "
			    "--expt-extended-lambda -Xcompiler=-Wall --compiler-options -Wextra,-Wno-unused "
			    "-Wno-deprecated-gpu-targets -Wno-deprecated-declarations -std c++17 -m64 "
			    "-Xcudafe --diag_suppress=177 --diag-suppress=550 -t 4 --threads=2 --keep-dir %s "
			    "-cudart shared --resource-usage -maxrregcount=32 -Werror cross-execution-space-call "
			    "-Xptxas -v -Xptxas=-O3 --ptxas-options=-v -Xlinker --as-needed --linker-options=-O1 "
			    "-gencode arch=compute_70,code=sm_70 %s/grid1d.mu -o %s/nvccopts 2> %s/nvccopts.err && %s/nvccopts",
			    MCC, WORK, INPUTS, WORK, WORK, WORK), 0);
	ck_assert_int_eq(sh("test $(grep -c 'mcc: note: -Xptxas has no meaning on this device' %s/nvccopts.err) = 1 && "
			    "grep -q 'note: -Xcudafe has no meaning' %s/nvccopts.err && "
			    "! grep -q 'expt-relaxed-constexpr' %s/nvccopts.err", WORK, WORK, WORK), 0);
	/* -G: device debug at -O0; --run runs what it linked; -E preprocesses */
	ck_assert_int_eq(sh("%s -G -g %s/grid1d.mu -o %s/devdebug && %s/devdebug", MCC, INPUTS, WORK, WORK), 0);
	ck_assert_int_eq(sh("%s --run %s/grid1d.mu -o %s/runme > %s/run.out", MCC, INPUTS, WORK, WORK), 0);
	ck_assert_int_eq(sh("%s -E %s/grid1d.mu | grep -q musaMalloc", MCC, INPUTS), 0);
	ck_assert_int_eq(sh("printf -- '-O2 -arch=sm_75\\n\"-DWANT_ARCH=750\"\\n' > %s/opts.txt && "
			    "%s --options-file %s/opts.txt %s -o %s/optsfile && %s/optsfile", WORK, MCC, WORK, ARCH_CC,
			    WORK, WORK), 0);
	/* --fmad / --prec-div / -use_fast_math reach the device pass only */
	ck_assert_int_eq(sh("%s --dryrun -use_fast_math --fmad=false %s/grid1d.mu -o %s/x 2>&1 | "
			    "grep 'dev.cpp' | grep -q 'ffp-contract=off' && %s --dryrun -use_fast_math %s/grid1d.mu -o %s/x 2>&1 | "
			    "grep 'host.cpp' | grep -vq 'fast'", MCC, INPUTS, WORK, MCC, INPUTS, WORK), 0);
}
END_TEST

/* -dlink: the device link alone; the host linker links the program. */
START_TEST(test_dlink_object_links_with_the_host_compiler)
{
	ck_assert_int_eq(sh("%s -dc %s/rdc_lib.mu -o %s/dl_lib.o && %s -dc %s/rdc_main.mu -o %s/dl_main.o && "
			    "%s -dlink %s/dl_lib.o %s/dl_main.o -o %s/dl_link.o && "
			    "g++ %s %s/dl_main.o %s/dl_lib.o %s/dl_link.o -o %s/dl_prog -L%s/lib -Wl,-rpath,%s/lib -lmusart && "
			    "%s/dl_prog", MCC, INPUTS, WORK, MCC, INPUTS, WORK, MCC, WORK, WORK, WORK,
			    TEST_SAN_FLAGS, WORK, WORK, WORK, WORK, TEST_BUILD_DIR, TEST_BUILD_DIR, WORK), 0);
}
END_TEST

/* reproducible output */

#define REPRO WORK "/repro"

/*
 * Runs one shell command (mcc's invocations, relative to the output
 * directory) twice, in REPRO/<name>/a and REPRO/<name>/b, from empty
 * directories, then compares each of `files` between the two byte for
 * byte (cmp names the first difference).
 */
static void expect_same_bytes_twice(const char *name, const char *cmd, const char *files)
{
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(sh("rm -rf %s/%s/%c && mkdir -p %s/%s/%c && cd %s/%s/%c && %s",
				    REPRO, name, 'a' + i, REPRO, name, 'a' + i, REPRO, name, 'a' + i, cmd), 0);
	ck_assert_msg(sh("cd %s/%s && for f in %s; do cmp a/$f b/$f || exit 1; done", REPRO, name, files) == 0,
		      "%s: the outputs of two runs differ", name);
}

/* Host objects (one with template instances found by compiling), the
 * --device-only code object and a program of two .mu files. */
START_TEST(test_same_command_writes_the_same_objects)
{
	expect_same_bytes_twice("plain",
				MCC " -c " INPUTS "/grid1d.mu -o grid1d.o && "
				MCC " -c " INPUTS "/templates_dep.mu -o templates_dep.o && "
				MCC " --device-only " INPUTS "/grid1d.mu -o grid1d.mubin && "
				MCC " " INPUTS "/sep_kernel.mu " INPUTS "/sep_main.mu -o prog",
				"grid1d.o templates_dep.o grid1d.mubin prog");
}
END_TEST

/* With debug information: mcc's temporary directory must not show. The
 * build directory is the compiler's to record (DW_AT_comp_dir), as for any
 * gcc build, and the usual prefix map takes it out; mcc's tags ignore it. */
START_TEST(test_same_command_with_debug_information_writes_the_same_objects)
{
	expect_same_bytes_twice("debug",
				MCC " -g -lineinfo -ffile-prefix-map=$PWD=. -c " INPUTS "/grid1d.mu -o grid1d.o && "
				MCC " -g -G -ffile-prefix-map=$PWD=. --device-only " INPUTS "/grid1d.mu -o grid1d.mubin && "
				MCC " -g -G -ffile-prefix-map=$PWD=. " INPUTS "/grid1d.mu -o prog",
				"grid1d.o grid1d.mubin prog");
}
END_TEST

/* -rdc objects, the -dlink object (code objects and stub) and the program. */
START_TEST(test_same_command_with_relocatable_device_code_writes_the_same_objects)
{
	expect_same_bytes_twice("rdc",
				MCC " --offload-arch=mp_31,sm_80 -dc " INPUTS "/rdc_lib.mu -o rdc_lib.o && "
				MCC " --offload-arch=mp_31,sm_80 -dc " INPUTS "/rdc_main.mu -o rdc_main.o && "
				MCC " -dlink rdc_lib.o rdc_main.o -o rdc_dlink.o && "
				MCC " rdc_main.o rdc_lib.o -o prog",
				"rdc_lib.o rdc_main.o rdc_dlink.o prog");
}
END_TEST

/* diagnostics */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* A failed assert names the kernel as declared, in every execution mode,
 * never the body function mcc generates for it. */
START_TEST(test_device_assert_names_the_kernel)
{
	char *err;

	ck_assert_int_eq(sh("%s -O2 --offload-arch=native %s/assert_name.mu -o %s/assert_name",
			    MCC, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("%s/assert_name 2>%s/assert_name.err", WORK, WORK), 0);
	err = slurp(WORK "/assert_name.err");
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, "assert_name.mu:12: void plain_kernel(int*, int): block: [0,0,0]"),
		      "stderr was: %s", err);
	ck_assert_msg(strstr(err, "assert_name.mu:23: void barrier_kernel(int*, int): block: [0,0,0]"),
		      "stderr was: %s", err);
	ck_assert_msg(strstr(err, "assert_name.mu:30: void outer::scoped_kernel(float*): block:"),
		      "stderr was: %s", err);
	ck_assert_msg(strstr(err, "assert_name.mu:36: void templ_kernel(T*) [with T = int]: block:"),
		      "stderr was: %s", err);
	ck_assert_msg(!strstr(err, "__musa"), "stderr was: %s", err);
	free(err);
}
END_TEST

static void expect_error_at(const char *input, const char *where)
{
	char *err;

	ck_assert_int_ne(sh("%s -c %s/%s -o %s/bad.o 2>%s/bad.err", MCC, INPUTS, input, WORK, WORK), 0);
	err = slurp(WORK "/bad.err");
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, where) != NULL, "diagnostic was: %s", err);
	free(err);
}

START_TEST(test_overloaded_kernels_are_an_error_with_file_and_line)
{
	expect_error_at("overload.mu", "overload.mu:6:17: error: overloaded __global__");
}
END_TEST

START_TEST(test_host_function_called_from_a_kernel_is_an_error)
{
	expect_error_at("hostcall_bad.mu", "hostcall_bad.mu:8:19: error: no matching function for call to 'host_only'");
	expect_error_at("hostcall_bad.mu", "call to __host__ function from __global__ function");
}
END_TEST

START_TEST(test_host_variable_used_in_a_kernel_is_an_error)
{
	char *err;

	expect_error_at("hostvar_bad.mu", "hostvar_bad.mu:10:27: error: host variable 'table' is used in device code");
	err = slurp(WORK "/bad.err");
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(!strstr(err, "'scale'"), "diagnostic was: %s", err);
	free(err);
}
END_TEST

START_TEST(test_unknown_offload_arch_is_rejected)
{
	ck_assert_int_ne(sh("%s --offload-arch=mp_99 --device-only %s/devobj.mu -o %s/x.mubin 2>/dev/null",
			    MCC, INPUTS, WORK), 0);
}
END_TEST

START_TEST(test_unknown_and_unsupported_options_are_errors)
{
	ck_assert_int_eq(sh("%s -bogus -c %s/grid1d.mu -o %s/x.o 2>&1 | grep -q \"unknown option '-bogus'\"",
			    MCC, INPUTS, WORK), 0);
	ck_assert_int_ne(sh("%s -bogus -c %s/grid1d.mu -o %s/x.o 2>/dev/null", MCC, INPUTS, WORK), 0);
	ck_assert_int_ne(sh("%s -ptx %s/grid1d.mu 2>/dev/null", MCC, INPUTS), 0);
	ck_assert_int_eq(sh("%s --cubin %s/grid1d.mu 2>&1 | grep -q 'no PTX, cubin'", MCC, INPUTS), 0);
	/* forwarded to the host compiler when asked, as nvcc does */
	ck_assert_int_eq(sh("%s -forward-unknown-to-host-compiler -fno-common-bogus-flag-but-f --dryrun -c %s/grid1d.mu "
			    "-o %s/x.o 2>/dev/null", MCC, INPUTS, WORK), 0);
}
END_TEST

START_TEST(test_missing_input_is_an_error)
{
	ck_assert_int_ne(sh("%s -c %s/no_such_file.mu -o %s/x.o 2>/dev/null", MCC, INPUTS, WORK), 0);
}
END_TEST

/* device objects */

static int devobj_rc = -1;

struct meta_view {
	const struct musa_meta_kernel *k;
	const struct musa_meta_param *p;
	const char *name, *entry;
};

/* Reads the .musa_meta records of an ELF64 file already in memory. */
static int read_meta(const char *img, size_t size, struct meta_view *out, int max)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	const Elf64_Shdr *sh;
	const char *names;
	int i, n = 0;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_type != ET_DYN)
		return -1;
	sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	names = img + sh[eh->e_shstrndx].sh_offset;
	for (i = 0; i < eh->e_shnum; i++) {
		const char *p, *end;

		if (strcmp(names + sh[i].sh_name, MUSA_META_SECTION) != 0)
			continue;
		p = img + sh[i].sh_offset;
		end = p + sh[i].sh_size;
		while (p + sizeof(struct musa_meta_kernel) <= end && n < max) {
			const struct musa_meta_kernel *k = (const void *)p;

			if (k->magic == 0) {
				p += 8;
				continue;
			}
			if (k->magic == MUSA_META_VAR_MAGIC) {   /* a variable's record */
				const struct musa_meta_var *v = (const void *)p;

				if (!v->record_size || v->record_size % 8)
					return -1;
				p += v->record_size;
				continue;
			}
			if (k->magic != MUSA_META_MAGIC || k->record_size % 8 || !k->record_size)
				return -1;
			out[n].k = k;
			out[n].p = (const void *)(k + 1);
			out[n].name = (const char *)(out[n].p + k->nparams);
			out[n].entry = out[n].name + k->name_len + 1;
			n++;
			p += k->record_size;
		}
	}
	return n;
}

static const struct meta_view *find_meta(const struct meta_view *m, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(m[i].name, name))
			return &m[i];
	return NULL;
}

/*
 * The stack sizes of stack.mu's kernels: a local array of 400,000 bytes is
 * in its kernel's private size, a small kernel needs little more than the
 * margin, a variable carried across a barrier holds 1024 entries (loop
 * fission) and a variable-length array makes the use unbounded.
 */
START_TEST(test_device_pass_records_stack_sizes)
{
	struct meta_view m[8];
	const struct meta_view *big, *small, *carried, *vla;
	struct stat st;
	char *img;
	int n;

	ck_assert_int_eq(sh("%s --device-only %s/stack.mu -o %s/stack.mubin", MCC, INPUTS, WORK), 0);
	ck_assert_int_eq(stat(WORK "/stack.mubin", &st), 0);
	img = slurp(WORK "/stack.mubin");
	ck_assert_ptr_nonnull(img);
	n = read_meta(img, (size_t)st.st_size, m, 8);
	ck_assert_int_eq(n, 4);
	big = find_meta(m, n, "big");
	small = find_meta(m, n, "small");
	carried = find_meta(m, n, "carried");
	vla = find_meta(m, n, "vla");
	ck_assert(big && small && carried && vla);
	ck_assert_uint_ge(big->k->private_size, 400000);
	ck_assert_uint_ge(big->k->scratch_size, big->k->private_size + MUSA_META_STACK_MARGIN);
	ck_assert_uint_eq(big->k->flags & MUSA_META_F_STACK_DYNAMIC, 0);
	ck_assert_uint_lt(small->k->private_size, 1024);
	ck_assert_uint_ge(small->k->scratch_size, MUSA_META_STACK_MARGIN);
	ck_assert_uint_lt(small->k->scratch_size, MUSA_META_STACK_MARGIN + 4096);
	ck_assert_uint_eq(small->k->flags & MUSA_META_F_STACK_DYNAMIC, 0);
	ck_assert_uint_eq(carried->k->flags, MUSA_META_F_BARRIER | MUSA_META_F_RANGE);
	ck_assert_uint_ge(carried->k->private_size, 1024 * sizeof(int));
	ck_assert_uint_ne(vla->k->flags & MUSA_META_F_STACK_DYNAMIC, 0);
	free(img);
}
END_TEST

START_TEST(test_device_only_writes_an_elf_with_kernel_records)
{
	struct meta_view m[8];
	const struct meta_view *mixed, *rot, *warp, *lin;
	char *img;
	struct stat st;
	int n;

	ck_assert_int_eq(devobj_rc, 0);
	ck_assert_int_eq(stat(DEVOBJ, &st), 0);
	img = slurp(DEVOBJ);
	ck_assert_ptr_nonnull(img);
	n = read_meta(img, (size_t)st.st_size, m, 8);
	ck_assert_int_eq(n, 4);
	lin = find_meta(m, n, "lin");
	rot = find_meta(m, n, "rotate");
	warp = find_meta(m, n, "warp");
	mixed = find_meta(m, n, "mixed");
	ck_assert(lin && rot && warp && mixed);
	ck_assert_uint_eq(lin->k->arch, 80);   /* the default arch, sm_80 */
	ck_assert_uint_eq(lin->k->version, MUSA_META_VERSION);
	/* a loop-mode kernel: no fibers, its entry takes runs of groups */
	ck_assert_uint_eq(lin->k->flags, MUSA_META_F_RANGE);
	/* a barrier kernel compiled as loops between its barriers */
	ck_assert_uint_eq(rot->k->flags, MUSA_META_F_BARRIER | MUSA_META_F_RANGE);
	ck_assert(warp->k->flags & (MUSA_META_F_BARRIER | MUSA_META_F_WARP));
	/* struct Pair { char; double; } then int * then double, C layout */
	ck_assert_uint_eq(mixed->k->nparams, 3);
	ck_assert_uint_eq(mixed->p[0].offset, 0);
	ck_assert_uint_eq(mixed->p[0].size, 16);
	ck_assert_uint_eq(mixed->p[0].align, 8);
	ck_assert_uint_eq(mixed->p[1].offset, 16);
	ck_assert_uint_eq(mixed->p[1].size, 8);
	ck_assert_uint_eq(mixed->p[2].offset, 24);
	ck_assert_uint_eq(mixed->k->kernarg_size, 32);
	ck_assert_uint_eq(mixed->k->kernarg_align, 8);
	ck_assert_uint_eq(mixed->k->name_len, strlen("mixed"));
	ck_assert_uint_eq(mixed->k->entry_len, strlen(mixed->entry));
	free(img);
}
END_TEST

/* Which barrier kernels fission takes (a loop entry over runs of groups)
 * and which keep their fibers; -v says why. */
/* The parse decides which headers mcc puts in: a launch in a header's
 * macro, device variables and a barrier function in a header, a quoted
 * #include inside a header put in (found next to that header), a guarded
 * header included twice. The barrier function's caller runs as loops. */
START_TEST(test_headers_with_launch_macros_variables_and_barrier_functions)
{
	struct meta_view m[4];
	const struct meta_view *v;
	struct stat st;
	char *img;
	int n;

	ck_assert_int_eq(sh("%s -O2 -Wall -Wextra -Werror -I%s/inc %s/hdr_more.mu -o %s/hdr_more",
			    MCC, INPUTS, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("%s/hdr_more", WORK), 0);
	ck_assert_int_eq(sh("%s --device-only -O2 -I%s/inc %s/hdr_more.mu -o %s/hdr_more.mubin",
			    MCC, INPUTS, INPUTS, WORK), 0);
	ck_assert_int_eq(stat(WORK "/hdr_more.mubin", &st), 0);
	img = slurp(WORK "/hdr_more.mubin");
	ck_assert_ptr_nonnull(img);
	n = read_meta(img, (size_t)st.st_size, m, 4);
	ck_assert_int_eq(n, 1);
	v = find_meta(m, n, "hdr_sum");
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(v->k->flags, MUSA_META_F_BARRIER | MUSA_META_F_RANGE);
	free(img);
}
END_TEST

START_TEST(test_fission_plan_is_recorded_in_the_kernel_records)
{
	static const char *const loops[] = {
		"fx_matmul", "fx_reduce", "fx_carried", "fx_scan", "fx_branches", "fx_jumps",
		"fx_cube", "fx_tsum<32>", "fx_tsum<16>", "fx_devfunc", "fx_dynamic", "fx_single", "fx_cg",
		"fx_uniform_counter", "fx_private_read", "fx_loop_private", "fx_param_private",
		"fx_early_return",
	};
	static const char *const fibers[] = { "fb_per_thread_loop", "fb_count" };
	struct meta_view m[24];
	char *img;
	struct stat st;
	size_t i;
	int n;

	ck_assert_int_eq(sh("%s --device-only -O2 %s/fission.mu -o %s/fission.mubin", MCC, INPUTS, WORK), 0);
	ck_assert_int_eq(stat(WORK "/fission.mubin", &st), 0);
	img = slurp(WORK "/fission.mubin");
	ck_assert_ptr_nonnull(img);
	n = read_meta(img, (size_t)st.st_size, m, 24);
	ck_assert_int_eq(n, 20);
	for (i = 0; i < sizeof(loops) / sizeof(loops[0]); i++) {
		const struct meta_view *v = find_meta(m, n, loops[i]);

		ck_assert_msg(v != NULL, "%s", loops[i]);
		ck_assert_msg(v->k->flags == (MUSA_META_F_BARRIER | MUSA_META_F_RANGE), "%s: %#x",
			      loops[i], v->k->flags);
	}
	for (i = 0; i < sizeof(fibers) / sizeof(fibers[0]); i++) {
		const struct meta_view *v = find_meta(m, n, fibers[i]);

		ck_assert_msg(v != NULL, "%s", fibers[i]);
		ck_assert_msg(!(v->k->flags & MUSA_META_F_RANGE) && (v->k->flags & MUSA_META_F_BARRIER),
			      "%s: %#x", fibers[i], v->k->flags);
	}
	free(img);
	/* the reasons, with file and line */
	ck_assert_int_eq(sh("%s -v --device-only %s/fission.mu -o %s/fission.mubin 2>&1 | "
			    "grep -q 'fission.mu:[0-9]*: kernel fb_count runs as fibers: no barrier or warp call that mcc splits at'",
			    MCC, INPUTS, WORK), 0);
	ck_assert_int_eq(sh("%s --no-fission --device-only %s/fission.mu -o %s/fission.mubin", MCC, INPUTS, WORK), 0);
	img = slurp(WORK "/fission.mubin");
	ck_assert_ptr_nonnull(img);
	ck_assert_int_eq(stat(WORK "/fission.mubin", &st), 0);
	n = read_meta(img, (size_t)st.st_size, m, 24);
	ck_assert_int_eq(n, 20);
	ck_assert(!(find_meta(m, n, "fx_matmul")->k->flags & MUSA_META_F_RANGE));
	free(img);
}
END_TEST

/* Calls of __device__ functions that hold barriers are inlined: the
 * kernels run as loops between the barriers, compute what their fibers
 * compute, and a call that cannot be inlined says why. */
START_TEST(test_barrier_function_calls_are_inlined_for_fission)
{
	loops_and_fibers("inline");
	ck_assert_int_eq(sh("grep -q \"inline.mu:[0-9]*: kernel fb_inl_hidden runs as fibers: a call of "
			    "scaled_sum, which uses barriers, cannot be inlined: a variable of the caller would "
			    "hide the file-scope 'g_scale' it uses\" %s/inline_v.txt", WORK), 0);
}
END_TEST

/* Warp operations run as loops too: each warp call's operands are
 * deposited by a loop of their own, conditions around them are kept per
 * thread. Checked against host models at warp sizes 32 and 128, with and
 * without fission; the shapes left to fibers say why. */
START_TEST(test_warp_operations_run_as_loops)
{
	const char *mode[2] = { "", "--no-fission" };

	for (int m = 0; m < 2; m++) {
		ck_assert_int_eq(sh("%s -O2 --offload-arch=sm_80,mp_21 %s -Wall -Wextra -Werror %s/warp.mu "
				    "-o %s/warp", MCC, mode[m], INPUTS, WORK), 0);
		ck_assert_int_eq(sh("%s/warp | grep -q 'warp size 32'", WORK), 0);
		ck_assert_int_eq(sh("MUSA_SWDEV=arch=mp_21 %s/warp | grep -q 'warp size 128'", WORK), 0);
	}
	ck_assert_int_eq(sh("%s -v --device-only %s/warp.mu -o %s/warp.mubin 2>&1 | "
			    "grep 'runs as fibers' > %s/warp_v.txt; ! grep -q 'kernel fx_' %s/warp_v.txt",
			    MCC, INPUTS, WORK, WORK, WORK), 0);
	ck_assert_int_eq(sh("grep -q 'kernel fb_warp_while runs as fibers: a warp operation in a "
			    "condition' %s/warp_v.txt && grep -q 'kernel fb_warp_two runs as fibers: two "
			    "warp operations in one statement' %s/warp_v.txt && grep -q 'kernel "
			    "fb_warp_divloop runs as fibers: a barrier loop whose condition may differ' "
			    "%s/warp_v.txt", WORK, WORK, WORK), 0);
}
END_TEST

/*
 * Builds inputs/NAME.mu with and without fission for warp sizes 32 and
 * 128 and runs it at both (its output holds ok32, then ok128); `mcc -v`
 * must keep no fx_ kernel as fibers and give kernel fb its reason.
 */
static void check_loop_input(const char *name, const char *ok32, const char *ok128, const char *fb,
			     const char *reason)
{
	const char *mode[2] = { "", "--no-fission" };

	for (int m = 0; m < 2; m++) {
		ck_assert_int_eq(sh("%s -O2 --offload-arch=sm_80,mp_21 %s -Wall -Wextra -Werror %s/%s.mu "
				    "-o %s/%s", MCC, mode[m], INPUTS, name, WORK, name), 0);
		ck_assert_int_eq(sh("%s/%s | grep -q '%s'", WORK, name, ok32), 0);
		ck_assert_int_eq(sh("MUSA_SWDEV=arch=mp_21 %s/%s | grep -q '%s'", WORK, name, ok128), 0);
	}
	ck_assert_int_eq(sh("%s -v --device-only %s/%s.mu -o %s/%s.mubin 2>&1 | "
			    "grep 'runs as fibers' > %s/%s_v.txt; ! grep -q 'kernel fx_' %s/%s_v.txt",
			    MCC, INPUTS, name, WORK, name, WORK, name, WORK, name), 0);
	ck_assert_int_eq(sh("grep -q 'kernel %s runs as fibers: %s' %s/%s_v.txt", fb, reason, WORK, name),
			 0);
}

/* Cooperative-groups tiles of up to 32 threads: their sync() is a warp
 * barrier, their collectives (shuffles of any width, votes, cg::reduce,
 * the scans) warp calls whose operations are replayed. Host models, warp
 * sizes 32 and 128, with and without fission. */
START_TEST(test_tiles_run_as_loops)
{
	check_loop_input("tiles", "warp size 32", "warp size 128", "fb_tile_dynamic",
			 "no barrier or warp call");
}
END_TEST

/* Values that differ between threads through macros, device functions,
 * references, pointers and control (front.cpp's divergence analysis):
 * checked against host models; a pure device function or a macro of
 * uniform values can bound a barrier loop. */
START_TEST(test_uniformity_from_the_ast)
{
	check_loop_input("uniform", "uniform: ok", "uniform: ok", "fb_count_from_tid",
			 "a barrier loop whose condition may differ");
}
END_TEST

START_TEST(test_device_object_exports_only_entries)
{
	char line[512];
	FILE *p;
	int entries = 0;

	ck_assert_int_eq(devobj_rc, 0);
	p = popen("nm -D --defined-only " DEVOBJ, "r");
	ck_assert_ptr_nonnull(p);
	while (fgets(line, sizeof(line), p)) {
		char *sym = strrchr(line, ' ');

		ck_assert_ptr_nonnull(sym);
		sym++;
		sym[strcspn(sym, "\n")] = 0;
		/* and compiler-rt's answer to where a faulting group stood */
		if (!strcmp(sym, MUSA_WG_WHERE_SYM))
			continue;
		ck_assert_msg(!strncmp(sym, "__musa_entry_", 13), "unexpected export %s", sym);
		entries++;
	}
	pclose(p);
	ck_assert_int_eq(entries, 4);
}
END_TEST

static void *devobj_open(void)
{
	void *h;

	ck_assert_int_eq(devobj_rc, 0);
	h = dlopen(DEVOBJ, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(h != NULL, "dlopen: %s", dlerror());
	return h;
}

static musa_wg_entry_fn devobj_entry(void *h, const char *kernel)
{
	static struct meta_view m[8];
	static char *img;
	static size_t size;
	struct stat st;
	const struct meta_view *v;
	musa_wg_entry_fn fn;
	int n;

	if (!img) {
		ck_assert_int_eq(stat(DEVOBJ, &st), 0);
		img = slurp(DEVOBJ);
		size = (size_t)st.st_size;
	}
	n = read_meta(img, size, m, 8);
	v = find_meta(m, n, kernel);
	ck_assert_ptr_nonnull(v);
	fn = (musa_wg_entry_fn)dlsym(h, v->entry);
	ck_assert_ptr_nonnull(fn);
	return fn;
}

/* Runs every work-group of a dispatch on the calling thread. */
static int dispatch(musa_wg_entry_fn fn, const struct musa_wg_launch *l)
{
	unsigned x, y, z;

	for (z = 0; z < l->grid[2]; z++)
		for (y = 0; y < l->grid[1]; y++)
			for (x = 0; x < l->grid[0]; x++) {
				struct musa_wg wg = { l, {x, y, z}, 0, NULL };
				int rc = fn(&wg);

				if (rc != MUSA_WG_OK)
					return rc;
			}
	return MUSA_WG_OK;
}

START_TEST(test_loop_mode_sets_3d_thread_and_block_indices)
{
	void *h = devobj_open();
	musa_wg_entry_fn fn = devobj_entry(h, "lin");
	enum { BT = 4 * 2 * 2, NB = 2 * 3 * 2 };
	static int out[BT * NB];
	struct { int *out; } ka = { out };
	struct musa_wg_launch l = { {2, 3, 2}, {4, 2, 2}, 0, 32, &ka };
	int b, t;

	memset(out, 0xff, sizeof(out));
	ck_assert_int_eq(dispatch(fn, &l), MUSA_WG_OK);
	for (b = 0; b < NB; b++)
		for (t = 0; t < BT; t++)
			ck_assert_int_eq(out[b * BT + t], b * 1000 + t);
	dlclose(h);
}
END_TEST

START_TEST(test_barrier_kernel_sees_all_writes_of_1024_threads)
{
	void *h = devobj_open();
	musa_wg_entry_fn fn = devobj_entry(h, "rotate");
	static int out[1024];
	struct { int *out; } ka = { out };
	struct musa_wg_launch l = { {1, 1, 1}, {1024, 1, 1}, 0, 32, &ka };
	int t, round;

	for (round = 0; round < 3; round++) {   /* stacks are reused */
		memset(out, 0xff, sizeof(out));
		ck_assert_int_eq(dispatch(fn, &l), MUSA_WG_OK);
		for (t = 0; t < 1024; t++)
			ck_assert_int_eq(out[t], (t + 1) % 1024);
	}
	dlclose(h);
}
END_TEST

START_TEST(test_warp_shuffle_and_ballot)
{
	void *h = devobj_open();
	musa_wg_entry_fn fn = devobj_entry(h, "warp");
	static int out[64];
	struct { int *out; } ka = { out };
	struct musa_wg_launch l = { {1, 1, 1}, {64, 1, 1}, 0, 32, &ka };
	int t;

	ck_assert_int_eq(dispatch(fn, &l), MUSA_WG_OK);
	for (t = 0; t < 64; t++) {
		int lane = t % 32, want = (lane < 31 ? (t + 1) * 10 : t * 10) + (t - lane) * 7;

		ck_assert_int_eq(out[t], want);
	}
	dlclose(h);
}
END_TEST

START_TEST(test_struct_param_is_read_from_its_kernarg_offset)
{
	void *h = devobj_open();
	musa_wg_entry_fn fn = devobj_entry(h, "mixed");
	static int out[8];
	struct Pair { char c; double d; };
	struct { struct Pair p; int *out; double d; } ka = { {3, 1.5}, out, 2.0 };
	struct musa_wg_launch l = { {1, 1, 1}, {8, 1, 1}, 0, 32, &ka };
	int t;

	ck_assert_int_eq(dispatch(fn, &l), MUSA_WG_OK);
	for (t = 0; t < 8; t++)
		ck_assert_int_eq(out[t], 8);
	dlclose(h);
}
END_TEST

struct cu_arg {
	musa_wg_entry_fn fn;
	int out[256];
	int ok;
};

static void *cu_thread(void *p)
{
	struct cu_arg *a = p;
	struct { int *out; } ka = { a->out };
	struct musa_wg_launch l = { {1, 1, 1}, {256, 1, 1}, 0, 32, &ka };
	int i, t;

	a->ok = 1;
	for (i = 0; i < 50 && a->ok; i++) {
		memset(a->out, 0xff, sizeof(a->out));
		if (dispatch(a->fn, &l) != MUSA_WG_OK)
			a->ok = 0;
		for (t = 0; t < 256; t++)
			if (a->out[t] != (t + 1) % 256)
				a->ok = 0;
	}
	return NULL;
}

START_TEST(test_fiber_groups_run_concurrently_on_many_threads)
{
	void *h = devobj_open();
	static struct cu_arg args[4];
	pthread_t th[4];
	int i;

	for (i = 0; i < 4; i++) {
		args[i].fn = devobj_entry(h, "rotate");
		ck_assert_int_eq(pthread_create(&th[i], NULL, cu_thread, &args[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		ck_assert_int_eq(args[i].ok, 1);
	}
	dlclose(h);
}
END_TEST

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
START_TEST(test_run_wg_reports_out_of_resources_when_stacks_cannot_be_mapped)
{
	void *h = devobj_open();
	musa_wg_entry_fn fn = devobj_entry(h, "warp");   /* warp operations: fibers */
	static int out[1024];
	struct { int *out; } ka = { out };
	struct musa_wg_launch l = { {1, 1, 1}, {1024, 1, 1}, 0, 32, &ka };
	struct musa_wg wg = { &l, {0, 0, 0}, 0, NULL };
	struct rlimit rl;
	unsigned long pages = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%lu", &pages), 1);
	fclose(f);
	/* 1024 fibers need 256 MiB of stacks; allow 32 MiB more than now */
	rl.rlim_cur = rl.rlim_max = pages * 4096ul + (32ul << 20);
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &rl), 0);
	ck_assert_int_eq(fn(&wg), MUSA_WG_OUT_OF_RESOURCES);
	dlclose(h);
}
END_TEST
#endif

static Suite *programs_suite(void)
{
	Suite *s = suite_create("mcc programs");
	TCase *tc = tcase_create("run");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_grid_1d_vector_add_runs);
	tcase_add_test(tc, test_grid_2d_indices_cover_every_element);
	tcase_add_test(tc, test_grid_3d_indices_cover_every_element);
	tcase_add_test(tc, test_static_shared_and_barriers_reduce_correctly);
	tcase_add_test(tc, test_fission_kernels_compute_what_fibers_compute);
	tcase_add_test(tc, test_kernels_defined_in_included_headers);
	tcase_add_test(tc, test_headers_with_launch_macros_variables_and_barrier_functions);
	tcase_add_test(tc, test_front_end_shapes);
	tcase_add_test(tc, test_unnamed_kernel_parameters);
	tcase_add_test(tc, test_template_launches_with_arguments_of_an_enclosing_template);
	tcase_add_test(tc, test_fission_that_does_not_compile_falls_back_to_fibers);
	tcase_add_test(tc, test_atomic_add_int_unsigned_float_count_every_thread);
	tcase_add_test(tc, test_device_functions_and_hidden_barrier);
	tcase_add_test(tc, test_kernels_in_namespaces_launch_by_qualified_name);
	tcase_add_test(tc, test_plain_c_source_with_kernels);
	tcase_add_test(tc, test_launch_with_spaces_shmem_and_stream);
	tcase_add_test(tc, test_struct_and_double_params_are_packed_as_declared);
	tcase_add_test(tc, test_compile_separately_then_link);
	tcase_add_test(tc, test_loop_mode_inlines_bodies_and_keeps_indices_for_device_functions);
	tcase_add_test(tc, test_loop_mode_rows_of_groups_and_first_thread_keep_results);
	tcase_add_test(tc, test_shared_variables_bound_once_keep_their_meaning);
	tcase_add_test(tc, test_cooperative_groups_only_kernels_run_as_fibers);
	suite_add_tcase(s, tc);

	tc = tcase_create("run, second program");
	tcase_set_tags(tc, TEST_MCC_SECOND);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_dynamic_shared_memory_aliases_one_buffer_sized_at_launch);
	tcase_add_test(tc, test_host_static_object_is_constructed_once);
	tcase_add_test(tc, test_template_kernels_get_one_instance_per_launched_argument_list);
	tcase_add_test(tc, test_relocatable_device_code_is_device_linked_into_one_object);
	tcase_add_test(tc, test_cross_file_device_call_without_rdc_fails_to_compile);
	tcase_add_test(tc, test_nvcc_style_options_and_cu_input);
	tcase_add_test(tc, test_one_image_per_offload_arch_with_its_warp_size);
	tcase_add_test(tc, test_program_without_an_image_for_the_device_fails_with_no_kernel_image);
	tcase_add_test(tc, test_offload_arch_native_is_the_arch_of_device_0);
	tcase_add_test(tc, test_kernel_specifiers_and_spaced_chevrons);
	tcase_add_test(tc, test_shared_anywhere_among_the_specifiers);
	tcase_add_test(tc, test_launches_in_macro_bodies);
	tcase_add_test(tc, test_texture_references_are_device_variables);
	tcase_add_test(tc, test_arch_sm70_image_runs_on_the_default_sm80_device);
	tcase_add_test(tc, test_old_and_new_nvcc_archs_map_to_the_table_with_a_note);
	tcase_add_test(tc, test_gencode_code_and_arch_lists_choose_the_images);
	tcase_add_test(tc, test_arch_tables_of_mcc_and_the_device_agree);
	tcase_add_test(tc, test_version_banner_is_nvcc_shaped);
	tcase_add_test(tc, test_make_dependencies);
	tcase_add_test(tc, test_ccbin_picks_the_host_compiler);
	tcase_add_test(tc, test_nvcc_makefile_options_build_and_run);
	tcase_add_test(tc, test_dlink_object_links_with_the_host_compiler);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *repro_suite(void)
{
	Suite *s = suite_create("reproducible output");
	TCase *tc = tcase_create("twice");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_same_command_writes_the_same_objects);
	tcase_add_test(tc, test_same_command_with_debug_information_writes_the_same_objects);
	tcase_add_test(tc, test_same_command_with_relocatable_device_code_writes_the_same_objects);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *errors_suite(void)
{
	Suite *s = suite_create("mcc errors");
	TCase *tc = tcase_create("diagnostics");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_device_assert_names_the_kernel);
	tcase_add_test(tc, test_overloaded_kernels_are_an_error_with_file_and_line);
	tcase_add_test(tc, test_host_function_called_from_a_kernel_is_an_error);
	tcase_add_test(tc, test_host_variable_used_in_a_kernel_is_an_error);
	tcase_add_test(tc, test_unknown_offload_arch_is_rejected);
	tcase_add_test(tc, test_missing_input_is_an_error);
	tcase_add_test(tc, test_unknown_and_unsupported_options_are_errors);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *devobj_suite(void)
{
	Suite *s = suite_create("device objects");
	TCase *tc = tcase_create("entries");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_device_only_writes_an_elf_with_kernel_records);
	tcase_add_test(tc, test_device_pass_records_stack_sizes);
	tcase_add_test(tc, test_device_object_exports_only_entries);
	tcase_add_test(tc, test_fission_plan_is_recorded_in_the_kernel_records);
	tcase_add_test(tc, test_barrier_function_calls_are_inlined_for_fission);
	tcase_add_test(tc, test_warp_operations_run_as_loops);
	tcase_add_test(tc, test_tiles_run_as_loops);
	tcase_add_test(tc, test_uniformity_from_the_ast);
	tcase_add_test(tc, test_loop_mode_sets_3d_thread_and_block_indices);
	tcase_add_test(tc, test_barrier_kernel_sees_all_writes_of_1024_threads);
	tcase_add_test(tc, test_warp_shuffle_and_ballot);
	tcase_add_test(tc, test_struct_param_is_read_from_its_kernarg_offset);
	tcase_add_test(tc, test_fiber_groups_run_concurrently_on_many_threads);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
	/* the sanitizer runtimes' shadow memory cannot live under RLIMIT_AS */
	tcase_add_test(tc, test_run_wg_reports_out_of_resources_when_stacks_cannot_be_mapped);
#endif
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	if (sh("mkdir -p %s", WORK) != 0)
		return 1;
	devobj_rc = sh("%s --device-only %s/devobj.mu -o %s", MCC, INPUTS, DEVOBJ);
	sr = srunner_create(devobj_suite());
	srunner_add_suite(sr, errors_suite());
	srunner_add_suite(sr, programs_suite());
	srunner_add_suite(sr, repro_suite());
	srunner_run_tagged(sr, NULL, NULL, TEST_MCC_INCLUDE, TEST_MCC_EXCLUDE, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
