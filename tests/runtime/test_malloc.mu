/* SPDX-License-Identifier: MIT */
/*
 * test_malloc.mu - device malloc / free and C++ new / delete: many threads
 * allocate at once from the context's heap and get disjoint memory, blocks
 * outlive their kernel until freed by another kernel, freed memory is
 * reused, an exhausted heap returns NULL, and musaLimitMallocHeapSize sizes
 * the heap (settable only before a kernel using malloc was loaded).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include <musa_runtime.h>

#define OK(call) ck_assert_int_eq((int)(call), (int)musaSuccess)

#define THREADS 256
#define BLOCKS 16
#define N (THREADS * BLOCKS)

struct pt {
	int x, y;
};

/* Each thread allocates, fills with its id and keeps the pointer. */
__global__ void alloc_fill(int **ptrs, int words)
{
	int t = blockIdx.x * blockDim.x + threadIdx.x;
	int *p = (int *)malloc((size_t)words * sizeof(int));

	ptrs[t] = p;
	if (p)
		for (int i = 0; i < words; i++)
			p[i] = t;
}

/* A later kernel checks every block is intact (no overlap), then frees it. */
__global__ void check_free(int **ptrs, int words, int *bad)
{
	int t = blockIdx.x * blockDim.x + threadIdx.x;
	int *p = ptrs[t];

	if (!p) {
		atomicAdd(bad, 1000000);
		return;
	}
	for (int i = 0; i < words; i++)
		if (p[i] != t)
			atomicAdd(bad, 1);
	free(p);
}

__global__ void new_delete(int *out)
{
	int t = threadIdx.x;
	struct pt *p = new struct pt;
	int *arr = new int[8];

	p->x = t;
	p->y = 2 * t;
	for (int i = 0; i < 8; i++)
		arr[i] = p->x + p->y + i;
	out[t] = arr[7];
	delete p;
	delete[] arr;
}

__global__ void alloc_until_null(unsigned long long *count, size_t bytes)
{
	unsigned long long n = 0;

	while (malloc(bytes) != NULL)
		n++;
	*count = n;
}

START_TEST(test_parallel_malloc_blocks_are_disjoint_and_survive)
{
	int **ptrs, *bad, host_bad = -1;
	int *host_ptrs[N];

	OK(musaMalloc((void **)&ptrs, N * sizeof(int *)));
	OK(musaMalloc((void **)&bad, sizeof(int)));
	OK(musaMemset(bad, 0, sizeof(int)));
	alloc_fill<<<BLOCKS, THREADS>>>(ptrs, 16);
	OK(musaDeviceSynchronize());
	OK(musaMemcpy(host_ptrs, ptrs, sizeof(host_ptrs), musaMemcpyDeviceToHost));
	for (int i = 0; i < N; i++)
		ck_assert_ptr_nonnull(host_ptrs[i]);
	check_free<<<BLOCKS, THREADS>>>(ptrs, 16, bad);
	OK(musaDeviceSynchronize());
	OK(musaMemcpy(&host_bad, bad, sizeof(int), musaMemcpyDeviceToHost));
	ck_assert_int_eq(host_bad, 0);
	/* freed blocks come back: the same allocation pattern fits again */
	alloc_fill<<<BLOCKS, THREADS>>>(ptrs, 16);
	check_free<<<BLOCKS, THREADS>>>(ptrs, 16, bad);
	OK(musaDeviceSynchronize());
	OK(musaMemcpy(&host_bad, bad, sizeof(int), musaMemcpyDeviceToHost));
	ck_assert_int_eq(host_bad, 0);
	OK(musaFree(ptrs));
	OK(musaFree(bad));
}
END_TEST

START_TEST(test_new_and_delete_in_device_code)
{
	int *out, host[64];

	OK(musaMalloc((void **)&out, sizeof(host)));
	new_delete<<<1, 64>>>(out);
	OK(musaDeviceSynchronize());
	OK(musaMemcpy(host, out, sizeof(host), musaMemcpyDeviceToHost));
	for (int t = 0; t < 64; t++)
		ck_assert_int_eq(host[t], 3 * t + 7);
	OK(musaFree(out));
}
END_TEST

START_TEST(test_heap_limit_and_exhaustion)
{
	unsigned long long *count, n = 0;
	size_t v = 0;

	OK(musaDeviceGetLimit(&v, musaLimitMallocHeapSize));
	ck_assert_uint_eq(v, 8u << 20);
	OK(musaDeviceSetLimit(musaLimitMallocHeapSize, 1u << 20));
	OK(musaDeviceGetLimit(&v, musaLimitMallocHeapSize));
	ck_assert_uint_eq(v, 1u << 20);
	OK(musaMalloc((void **)&count, sizeof(*count)));
	/* 4 KiB requests take 8 KiB blocks (header + power of two) */
	alloc_until_null<<<1, 1>>>(count, 4096);
	OK(musaDeviceSynchronize());
	OK(musaMemcpy(&n, count, sizeof(n), musaMemcpyDeviceToHost));
	ck_assert_uint_gt(n, (1u << 20) / 8192 - 2);
	ck_assert_uint_le(n, (1u << 20) / 8192);
	/* the heap exists now: its size is fixed */
	ck_assert_int_eq(musaDeviceSetLimit(musaLimitMallocHeapSize, 2u << 20),
			 musaErrorInvalidValue);
	musaGetLastError();
	OK(musaFree(count));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("malloc");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_parallel_malloc_blocks_are_disjoint_and_survive);
	tcase_add_test(tc, test_new_and_delete_in_device_code);
	tcase_add_test(tc, test_heap_limit_and_exhaustion);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
