/* SPDX-License-Identifier: MIT */
/*
 * test_kernarg.c - kernel arguments, one rule per case: muLaunchKernel and a
 * graph kernel node (muGraphAddKernelNode, muGraphKernelNodeSetParams) take
 * the same kernelParams or extra forms and refuse the same bad ones with
 * the same error, and a refused node changes nothing.
 */
#include <string.h>

#include "umd_test.h"

#define KERNARG_PATH TEST_BUILD_DIR "/tests/umd/kernarg.so"

struct sum_args { int *out; int a; int b; };
struct wide_args { int *out; struct { int v[1100]; } w; };

static MUmodule tk_mod;
static MUfunction tk_sum, tk_wide;
static MUdeviceptr tk_out;
static int tk_a = 2, tk_b = 3;
static struct wide_args tk_wide_block;
static struct sum_args tk_sum_block;
static size_t tk_wide_size = sizeof(struct wide_args);
static size_t tk_sum_size = sizeof(struct sum_args);
static size_t tk_short_size = sizeof(struct sum_args) - 1;

static void tk_setup(void)
{
	ut_setup();
	MU_OK(muModuleLoad(&tk_mod, KERNARG_PATH));
	MU_OK(muModuleGetFunction(&tk_sum, tk_mod, "sum"));
	MU_OK(muModuleGetFunction(&tk_wide, tk_mod, "wide"));
	MU_OK(muMemAlloc(&tk_out, sizeof(int)));
	MU_OK(muMemsetD32(tk_out, 0, 1));
	tk_sum_block = (struct sum_args){ (int *)(uintptr_t)tk_out, tk_a, tk_b };
	memset(&tk_wide_block, 0, sizeof(tk_wide_block));
	tk_wide_block.out = (int *)(uintptr_t)tk_out;
	tk_wide_block.w.v[1099] = 7;
}

static void tk_teardown(void)
{
	ut_teardown();
}

static MUSA_KERNEL_NODE_PARAMS tk_node(MUfunction f, void **params, void **extra)
{
	return (MUSA_KERNEL_NODE_PARAMS){
		.func = f,
		.gridDimX = 1, .gridDimY = 1, .gridDimZ = 1,
		.blockDimX = 1, .blockDimY = 1, .blockDimZ = 1,
		.kernelParams = params,
		.extra = extra,
	};
}

static size_t tk_count_nodes(MUgraph g)
{
	size_t n = 0;

	MU_OK(muGraphGetNodes(g, NULL, &n));
	return n;
}

/*
 * Launches f with (params, extra), adds it as a graph node and sets it on
 * an existing node: all three give want; a refused node is not added and
 * a refused update leaves the node's arguments as they were.
 */
static void tk_expect_same(MUfunction f, void **params, void **extra, MUresult want)
{
	MUSA_KERNEL_NODE_PARAMS np = tk_node(f, params, extra), got;
	void *good[] = { &tk_out, &tk_a, &tk_b };
	MUSA_KERNEL_NODE_PARAMS ok = tk_node(tk_sum, good, NULL);
	MUgraphNode node, added;
	MUgraph g;

	ck_assert_int_eq(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, NULL, params, extra), want);
	MU_OK(muGraphCreate(&g, 0));
	MU_OK(muGraphAddKernelNode(&node, g, NULL, 0, &ok));
	ck_assert_int_eq(muGraphAddKernelNode(&added, g, NULL, 0, &np), want);
	ck_assert_uint_eq(tk_count_nodes(g), want == MUSA_SUCCESS ? 2 : 1);
	ck_assert_int_eq(muGraphKernelNodeSetParams(node, &np), want);
	if (want != MUSA_SUCCESS) {
		MU_OK(muGraphKernelNodeGetParams(node, &got));
		ck_assert_ptr_eq(got.func, tk_sum);
		ck_assert_int_eq(*(int *)got.kernelParams[1], tk_a);
		ck_assert_int_eq(*(int *)got.kernelParams[2], tk_b);
	}
	MU_OK(muGraphDestroy(g));
	MU_OK(muCtxSynchronize());
}

START_TEST(test_oversized_block_is_out_of_resources_in_both_forms)
{
	void *params[] = { &tk_out, &tk_wide_block.w };
	void *extra[] = { MU_LAUNCH_PARAM_BUFFER_POINTER, &tk_wide_block,
			  MU_LAUNCH_PARAM_BUFFER_SIZE, &tk_wide_size, MU_LAUNCH_PARAM_END };

	tk_expect_same(tk_wide, params, NULL, MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES);
	tk_expect_same(tk_wide, NULL, extra, MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES);
}
END_TEST

START_TEST(test_both_forms_at_once_are_invalid)
{
	void *params[] = { &tk_out, &tk_a, &tk_b };
	void *extra[] = { MU_LAUNCH_PARAM_BUFFER_POINTER, &tk_sum_block,
			  MU_LAUNCH_PARAM_BUFFER_SIZE, &tk_sum_size, MU_LAUNCH_PARAM_END };

	tk_expect_same(tk_sum, params, extra, MUSA_ERROR_INVALID_VALUE);
}
END_TEST

START_TEST(test_missing_parameter_pointer_is_invalid)
{
	void *holes[] = { &tk_out, NULL, &tk_b };

	tk_expect_same(tk_sum, holes, NULL, MUSA_ERROR_INVALID_VALUE);
}
END_TEST

START_TEST(test_no_arguments_for_a_kernel_with_parameters_is_invalid)
{
	tk_expect_same(tk_sum, NULL, NULL, MUSA_ERROR_INVALID_VALUE);
}
END_TEST

START_TEST(test_extra_with_unknown_key_is_invalid)
{
	void *extra[] = { (void *)0x7, &tk_sum_block, MU_LAUNCH_PARAM_END };

	tk_expect_same(tk_sum, NULL, extra, MUSA_ERROR_INVALID_VALUE);
}
END_TEST

START_TEST(test_extra_without_size_is_invalid)
{
	void *extra[] = { MU_LAUNCH_PARAM_BUFFER_POINTER, &tk_sum_block, MU_LAUNCH_PARAM_END };

	tk_expect_same(tk_sum, NULL, extra, MUSA_ERROR_INVALID_VALUE);
}
END_TEST

START_TEST(test_extra_without_pointer_is_invalid)
{
	void *extra[] = { MU_LAUNCH_PARAM_BUFFER_SIZE, &tk_sum_size, MU_LAUNCH_PARAM_END };

	tk_expect_same(tk_sum, NULL, extra, MUSA_ERROR_INVALID_VALUE);
}
END_TEST

START_TEST(test_extra_buffer_shorter_than_block_is_invalid)
{
	void *extra[] = { MU_LAUNCH_PARAM_BUFFER_POINTER, &tk_sum_block,
			  MU_LAUNCH_PARAM_BUFFER_SIZE, &tk_short_size, MU_LAUNCH_PARAM_END };

	tk_expect_same(tk_sum, NULL, extra, MUSA_ERROR_INVALID_VALUE);
}
END_TEST

/* The two forms pack the same block: a launch and a graph node given
 * extra compute what kernelParams would. */
START_TEST(test_extra_form_runs_in_launch_and_graph)
{
	void *extra[] = { MU_LAUNCH_PARAM_BUFFER_POINTER, &tk_sum_block,
			  MU_LAUNCH_PARAM_BUFFER_SIZE, &tk_sum_size, MU_LAUNCH_PARAM_END };
	MUSA_KERNEL_NODE_PARAMS np = tk_node(tk_sum, NULL, extra);
	MUgraphExec exec;
	MUgraphNode node;
	MUgraph g;
	int v = 0;

	tk_expect_same(tk_sum, NULL, extra, MUSA_SUCCESS);
	MU_OK(muMemcpyDtoH(&v, tk_out, sizeof(v)));
	ck_assert_int_eq(v, tk_a + tk_b);

	MU_OK(muMemsetD32(tk_out, 0, 1));
	tk_sum_block.a = 40;
	MU_OK(muGraphCreate(&g, 0));
	MU_OK(muGraphAddKernelNode(&node, g, NULL, 0, &np));
	tk_sum_block.a = 0;  /* the node keeps its own copy */
	MU_OK(muGraphInstantiate(&exec, g, 0));
	MU_OK(muGraphLaunch(exec, NULL));
	MU_OK(muCtxSynchronize());
	MU_OK(muMemcpyDtoH(&v, tk_out, sizeof(v)));
	ck_assert_int_eq(v, 40 + tk_b);
	MU_OK(muGraphExecDestroy(exec));
	MU_OK(muGraphDestroy(g));
}
END_TEST

static Suite *kernarg_suite(void)
{
	Suite *s = suite_create("kernarg");
	TCase *tc = tcase_create("pack");

	tcase_add_checked_fixture(tc, tk_setup, tk_teardown);
	tcase_add_test(tc, test_oversized_block_is_out_of_resources_in_both_forms);
	tcase_add_test(tc, test_both_forms_at_once_are_invalid);
	tcase_add_test(tc, test_missing_parameter_pointer_is_invalid);
	tcase_add_test(tc, test_no_arguments_for_a_kernel_with_parameters_is_invalid);
	tcase_add_test(tc, test_extra_with_unknown_key_is_invalid);
	tcase_add_test(tc, test_extra_without_size_is_invalid);
	tcase_add_test(tc, test_extra_without_pointer_is_invalid);
	tcase_add_test(tc, test_extra_buffer_shorter_than_block_is_invalid);
	tcase_add_test(tc, test_extra_form_runs_in_launch_and_graph);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_run(kernarg_suite());
}
