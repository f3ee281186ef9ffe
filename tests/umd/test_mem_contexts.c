/* SPDX-License-Identifier: MIT */
/*
 * test_mem_contexts.c - the memory kinds of memory.c, mem_pool.c and
 * mem_peer.c across contexts and their teardown: pinned memory used by a
 * context other than the one that pinned it, destroying a context that
 * still holds pinned, managed and pool memory, muMemFree of a pool block,
 * a pool destroyed while a block is outstanding, and stream-ordered reuse
 * of a pool block on the stream that freed it.
 */
#include "umd_test.h"

#include <stdlib.h>
#include <string.h>

START_TEST(test_pinned_memory_is_portable_across_contexts)
{
	MUcontext other;
	unsigned int *h;
	MUdeviceptr d;

	MU_OK(muMemHostAlloc((void **)&h, 4096, MU_MEMHOSTALLOC_PORTABLE));
	MU_OK(muCtxCreate(&other, 0, 0));   /* now current */
	MU_OK(muMemAlloc(&d, 4096));
	MU_OK(muMemsetD32(d, 0x77, 1024));
	MU_OK(muMemcpyDtoH(h, d, 4096));
	ck_assert_uint_eq(h[1023], 0x77);
	MU_OK(muMemsetD32((MUdeviceptr)(uintptr_t)h, 0x88, 1024));
	ck_assert_uint_eq(h[0], 0x88);
	MU_OK(muMemFreeHost(h));           /* freed from another context */
	MU_OK(muMemFree(d));
	MU_OK(muCtxDestroy(other));
	MU_OK(muCtxSetCurrent(ut_ctx));
}
END_TEST

START_TEST(test_context_destroy_releases_every_kind)
{
	MUcontext c;
	MUdeviceptr m, p, q;
	MUmemoryPool pool;
	MUmemPoolProps props = {
		.allocType = MU_MEM_ALLOCATION_TYPE_PINNED,
		.location = { MU_MEM_LOCATION_TYPE_DEVICE, 0 },
	};
	void *h;
	char *reg = aligned_alloc(4096, 8192);
	uint64_t used = 1;

	MU_OK(muCtxCreate(&c, 0, 0));
	MU_OK(muMemPoolCreate(&pool, &props));
	MU_OK(muMemAllocHost(&h, 100));
	MU_OK(muMemHostRegister(reg, 8192, 0));
	MU_OK(muMemAllocManaged(&m, 5000, MU_MEM_ATTACH_GLOBAL));
	MU_OK(muMemAllocFromPoolAsync(&p, 3000, pool, NULL));
	MU_OK(muMemAllocAsync(&q, 2 << 20, NULL));
	MU_OK(muMemFreeAsync(q, NULL));
	MU_OK(muCtxDestroy(c));
	MU_OK(muCtxSetCurrent(ut_ctx));
	/* The pool forgot the blocks of the dead context. */
	MU_OK(muMemPoolGetAttribute(pool, MU_MEMPOOL_ATTR_USED_MEM_CURRENT, &used));
	ck_assert_uint_eq(used, 0);
	MU_OK(muMemPoolDestroy(pool));
	/* The registration died with the context: the range can be pinned again. */
	MU_OK(muMemHostRegister(reg, 8192, 0));
	MU_OK(muMemHostUnregister(reg));
	free(reg);
}
END_TEST

START_TEST(test_pool_block_freed_by_memfree_and_late_destroy)
{
	MUmemoryPool pool;
	MUmemPoolProps props = {
		.allocType = MU_MEM_ALLOCATION_TYPE_PINNED,
		.location = { MU_MEM_LOCATION_TYPE_DEVICE, 0 },
	};
	MUdeviceptr a, b;
	uint64_t v;

	MU_OK(muMemPoolCreate(&pool, &props));
	MU_OK(muMemAllocFromPoolAsync(&a, 1 << 20, pool, NULL));
	MU_OK(muMemAllocFromPoolAsync(&b, 512, pool, NULL));
	MU_OK(muMemFree(a));
	MU_OK(muMemPoolGetAttribute(pool, MU_MEMPOOL_ATTR_USED_MEM_CURRENT, &v));
	ck_assert_uint_eq(v, 512);
	MU_OK(muMemPoolGetAttribute(pool, MU_MEMPOOL_ATTR_USED_MEM_HIGH, &v));
	ck_assert_uint_eq(v, (1 << 20) + 512);
	/* Destroyed with b outstanding: the handle dies, b stays usable. */
	MU_OK(muMemPoolDestroy(pool));
	MU_OK(muMemsetD8(b, 1, 512));
	MU_OK(muMemFreeAsync(b, NULL));
	MU_OK(muCtxSynchronize());
	ck_assert_int_eq(muMemPoolTrimTo(pool, 0), MUSA_ERROR_INVALID_VALUE);
}
END_TEST

START_TEST(test_pool_reuses_block_after_free_point)
{
	MUdeviceptr a, b;
	MUmemoryPool def;
	MUstream s;
	uint64_t keep = UINT64_MAX;

	MU_OK(muDeviceGetDefaultMemPool(&def, 0));
	MU_OK(muMemPoolSetAttribute(def, MU_MEMPOOL_ATTR_RELEASE_THRESHOLD, &keep));
	MU_OK(muStreamCreate(&s, 0));
	MU_OK(muMemAllocAsync(&a, 4096, s));
	MU_OK(muMemFreeAsync(a, s));
	MU_OK(muStreamSynchronize(s));
	MU_OK(muMemAllocAsync(&b, 4000, s));
	ck_assert(a == b);   /* the freed block came back */
	MU_OK(muMemFreeAsync(b, s));
	MU_OK(muStreamSynchronize(s));
	MU_OK(muMemPoolTrimTo(def, 0));
	MU_OK(muMemPoolGetAttribute(def, MU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT, &keep));
	ck_assert_uint_eq(keep, 0);
	MU_OK(muStreamDestroy(s));
}
END_TEST

START_TEST(test_get_address_range_of_managed)
{
	MUdeviceptr m, base;
	size_t size;

	MU_OK(muMemAllocManaged(&m, 3 << 20, MU_MEM_ATTACH_GLOBAL));
	MU_OK(muMemGetAddressRange(&base, &size, m + 100));
	ck_assert(base == m);
	ck_assert_uint_eq(size, 3 << 20);
	memset((void *)(uintptr_t)m, 1, 3 << 20);
	MU_OK(muMemFree(m));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_mem_contexts");
	TCase *tc = tcase_create("contexts");

	tcase_add_checked_fixture(tc, ut_setup, ut_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_pinned_memory_is_portable_across_contexts);
	tcase_add_test(tc, test_context_destroy_releases_every_kind);
	tcase_add_test(tc, test_pool_block_freed_by_memfree_and_late_destroy);
	tcase_add_test(tc, test_pool_reuses_block_after_free_point);
	tcase_add_test(tc, test_get_address_range_of_managed);
	suite_add_tcase(s, tc);
	return ut_run(s);
}
