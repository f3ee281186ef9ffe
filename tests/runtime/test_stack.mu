/* SPDX-License-Identifier: MIT */
/*
 * test_stack.mu - kernels' stack sizes: musaFuncGetAttributes reports a
 * kernel's private stack as localSizeBytes, and a kernel whose work-group
 * entry needs more stack than a compute unit gives is refused at launch
 * with musaErrorLaunchOutOfResources, leaving the context usable. Each
 * test runs in its own forked process (Check's default).
 */
#include <check.h>
#include <stdlib.h>

#include <musa_runtime.h>

#define OK(call) ck_assert_int_eq((int)(call), (int)musaSuccess)

/* 48 MiB of locals: more than a compute unit's stack */
#define HUGE_BYTES (48u << 20)

__global__ void huge(char *out, int n)
{
	volatile char a[HUGE_BYTES];

	for (unsigned i = 0; i < HUGE_BYTES; i += 4096)
		a[i] = (char)(i + n);
	out[threadIdx.x] = a[((unsigned)n * 4096u) % HUGE_BYTES];
}

__global__ void fill(int *out, int v)
{
	out[blockIdx.x * blockDim.x + threadIdx.x] = v + (int)threadIdx.x;
}

START_TEST(test_local_size_bytes_is_the_private_stack)
{
	struct musaFuncAttributes a;

	OK(musaFuncGetAttributes(&a, huge));
	ck_assert_uint_ge(a.localSizeBytes, HUGE_BYTES);
	OK(musaFuncGetAttributes(&a, fill));
	ck_assert_uint_lt(a.localSizeBytes, 4096);
}
END_TEST

START_TEST(test_launch_needing_more_stack_is_refused_and_context_goes_on)
{
	char *c;
	int *d, h[64];

	OK(musaMalloc((void **)&c, 64));
	OK(musaMalloc((void **)&d, sizeof(h)));
	huge<<<1, 1>>>(c, 3);
	ck_assert_int_eq((int)musaGetLastError(), (int)musaErrorLaunchOutOfResources);
	ck_assert_int_eq((int)musaGetLastError(), (int)musaSuccess);
	OK(musaDeviceSynchronize());
	fill<<<2, 32>>>(d, 100);
	OK(musaGetLastError());
	OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	for (int i = 0; i < 64; i++)
		ck_assert_int_eq(h[i], 100 + i % 32);
	OK(musaFree(c));
	OK(musaFree(d));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stack");
	TCase *tc = tcase_create("stack");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_local_size_bytes_is_the_private_stack);
	tcase_add_test(tc, test_launch_needing_more_stack_is_refused_and_context_goes_on);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
