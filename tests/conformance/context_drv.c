/* SPDX-License-Identifier: MIT */
/*
 * context_drv.c - conformance of the driver's contexts: creation and
 * destruction, the per-thread context stack, primary contexts, flags,
 * limits, cache and shared-memory preferences, API version, the profiler
 * switches.
 */
#include <pthread.h>
#include <stdlib.h>

#include "cts.h"

CTS_TEST(context_drv, create_push_pop_destroy)
{
	MUcontext a = NULL, b = NULL, cur = (MUcontext)1;
	MUdevice d = -1;

	CTS_DRV_OK(muInit(0));
	CTS_DRV_OK(muCtxGetCurrent(&cur));
	ck_assert_ptr_eq(cur, NULL);
	CTS_DRV_OK(cts_ctx_create(&a, 0, 0));
	CTS_DRV_OK(muCtxGetCurrent(&cur));
	ck_assert_ptr_eq(cur, a);
	CTS_DRV_OK(muCtxGetDevice(&d));
	ck_assert_int_eq(d, 0);
	CTS_DRV_OK(cts_ctx_create(&b, MU_CTX_SCHED_YIELD, 0));
	CTS_DRV_OK(muCtxGetCurrent(&cur));
	ck_assert_ptr_eq(cur, b);
	CTS_DRV_OK(muCtxPopCurrent(&cur));
	ck_assert_ptr_eq(cur, b);
	CTS_DRV_OK(muCtxGetCurrent(&cur));
	ck_assert_ptr_eq(cur, a);
	CTS_DRV_OK(muCtxPushCurrent(b));
	CTS_DRV_OK(muCtxGetCurrent(&cur));
	ck_assert_ptr_eq(cur, b);
	CTS_DRV_OK(muCtxSynchronize());
	CTS_DRV_OK(muCtxDestroy(b));
	CTS_DRV_OK(muCtxSetCurrent(a));
	CTS_DRV_OK(muCtxDestroy(a));
	CTS_DRV(muCtxDestroy(a), MUSA_ERROR_INVALID_CONTEXT);
	CTS_DRV(muCtxPushCurrent(NULL), MUSA_ERROR_INVALID_CONTEXT);
}

CTS_TEST(context_drv, create_bad_arguments)
{
	MUcontext c;
	int n;

	CTS_DRV_OK(muInit(0));
	CTS_DRV_OK(muDeviceGetCount(&n));
	CTS_DRV(cts_ctx_create(NULL, 0, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(cts_ctx_create(&c, 0x3, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(cts_ctx_create(&c, 0x400000, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(cts_ctx_create(&c, 0, n), MUSA_ERROR_INVALID_DEVICE);
}

CTS_TEST(context_drv, no_current_context)
{
	unsigned int f;
	MUdevice d;

	CTS_DRV_OK(muInit(0));
	CTS_DRV(muCtxGetDevice(&d), MUSA_ERROR_INVALID_CONTEXT);
	CTS_DRV(muCtxGetFlags(&f), MUSA_ERROR_INVALID_CONTEXT);
	CTS_DRV(muCtxSynchronize(), MUSA_ERROR_INVALID_CONTEXT);
	CTS_DRV(muCtxSetFlags(0), MUSA_ERROR_INVALID_CONTEXT);
	CTS_DRV(muCtxSetCacheConfig(MU_FUNC_CACHE_PREFER_L1), MUSA_ERROR_INVALID_CONTEXT);
	CTS_DRV(muCtxResetPersistingL2Cache(), MUSA_ERROR_INVALID_CONTEXT);
	CTS_DRV(muCtxGetDevice(NULL), MUSA_ERROR_INVALID_VALUE);
}

CTS_TEST(context_drv, primary_context)
{
	MUcontext p1 = NULL, p2 = NULL;
	unsigned int flags = 99;
	int active = -1;

	CTS_DRV_OK(muInit(0));
	CTS_DRV_OK(muDevicePrimaryCtxGetState(0, &flags, &active));
	ck_assert_int_eq(active, 0);
	CTS_DRV_OK(muDevicePrimaryCtxSetFlags(0, MU_CTX_SCHED_SPIN));
	CTS_DRV_OK(muDevicePrimaryCtxRetain(&p1, 0));
	CTS_DRV_OK(muDevicePrimaryCtxRetain(&p2, 0));
	ck_assert_ptr_eq(p1, p2);
	CTS_DRV_OK(muDevicePrimaryCtxGetState(0, &flags, &active));
	ck_assert_int_eq(active, 1);
	ck_assert_uint_eq(flags & MU_CTX_SCHED_MASK, MU_CTX_SCHED_SPIN);
	CTS_DRV_OK(muCtxSetCurrent(p1));
	CTS_DRV_OK(muCtxGetFlags(&flags));
	ck_assert_uint_eq(flags & MU_CTX_SCHED_MASK, MU_CTX_SCHED_SPIN);
	CTS_DRV_OK(muDevicePrimaryCtxReset(0));
	CTS_DRV_OK(muDevicePrimaryCtxRelease(0));
	CTS_DRV_OK(muDevicePrimaryCtxRelease(0));
	CTS_DRV(muDevicePrimaryCtxGetState(0, NULL, &active), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDevicePrimaryCtxGetState(1000, &flags, &active), MUSA_ERROR_INVALID_DEVICE);
	CTS_DRV(muDevicePrimaryCtxRetain(NULL, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muDevicePrimaryCtxRetain(&p1, 1000), MUSA_ERROR_INVALID_DEVICE);
	CTS_DRV(muDevicePrimaryCtxSetFlags(0, 0x3), MUSA_ERROR_INVALID_VALUE);
}

CTS_TEST(context_drv, set_flags)
{
	unsigned int f = 0;

	cts_drv_init();
	CTS_DRV_OK(muCtxSetFlags(MU_CTX_SCHED_BLOCKING_SYNC));
	CTS_DRV_OK(muCtxGetFlags(&f));
	ck_assert_uint_eq(f & MU_CTX_SCHED_MASK, MU_CTX_SCHED_BLOCKING_SYNC);
	CTS_DRV_OK(muCtxSetFlags(MU_CTX_SCHED_AUTO));
	CTS_DRV_OK(muCtxGetFlags(&f));
	ck_assert_uint_eq(f & MU_CTX_SCHED_MASK, MU_CTX_SCHED_AUTO);
	CTS_DRV(muCtxSetFlags(0x3), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muCtxSetFlags(0x1000000), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muCtxGetFlags(NULL), MUSA_ERROR_INVALID_VALUE);
}

CTS_TEST(context_drv, api_version)
{
	unsigned int v = 0, w = 0;
	MUcontext ctx = cts_drv_init(), own = NULL;

	CTS_DRV_OK(muCtxGetApiVersion(ctx, &v));
	ck_assert_uint_ge(v, 3000);
	CTS_DRV_OK(muCtxGetApiVersion(NULL, &w));
	ck_assert_uint_eq(v, w);
	CTS_DRV(muCtxGetApiVersion(ctx, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(cts_ctx_create(&own, 0, 0));
	CTS_DRV_OK(muCtxDestroy(own));
	CTS_DRV(muCtxGetApiVersion(own, &v), MUSA_ERROR_INVALID_CONTEXT);
}

CTS_TEST(context_drv, cache_and_shared_mem_config)
{
	MUfunc_cache c = MU_FUNC_CACHE_PREFER_EQUAL;
	MUsharedconfig s;

	cts_drv_init();
	CTS_DRV_OK(muCtxGetCacheConfig(&c));
	CTS_DRV_OK(muCtxSetCacheConfig(MU_FUNC_CACHE_PREFER_SHARED));
	CTS_DRV_OK(muCtxGetCacheConfig(&c));
#ifndef CTS_CUDA
	ck_assert_int_eq(c, MU_FUNC_CACHE_PREFER_SHARED);
#endif
	CTS_DRV(muCtxSetCacheConfig((MUfunc_cache)7), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muCtxGetCacheConfig(NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muCtxSetSharedMemConfig(MU_SHARED_MEM_CONFIG_FOUR_BYTE_BANK_SIZE));
	CTS_DRV_OK(muCtxGetSharedMemConfig(&s));
#ifndef CTS_CUDA
	ck_assert_int_eq(s, MU_SHARED_MEM_CONFIG_FOUR_BYTE_BANK_SIZE);
#endif
	CTS_DRV(muCtxSetSharedMemConfig((MUsharedconfig)9), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muCtxGetSharedMemConfig(NULL), MUSA_ERROR_INVALID_VALUE);
}

CTS_TEST(context_drv, config_is_per_context)
{
	MUcontext other = NULL;
	MUfunc_cache c;

	cts_drv_init();
	CTS_DRV_OK(muCtxSetCacheConfig(MU_FUNC_CACHE_PREFER_L1));
	CTS_DRV_OK(cts_ctx_create(&other, 0, 0));
	CTS_DRV_OK(muCtxGetCacheConfig(&c));
	ck_assert_int_eq(c, MU_FUNC_CACHE_PREFER_NONE);
	CTS_DRV_OK(muCtxDestroy(other));
}

CTS_TEST(context_drv, reset_persisting_l2)
{
	cts_drv_init();
	CTS_DRV_OK(muCtxResetPersistingL2Cache());
}

CTS_TEST(context_drv, limits)
{
	size_t v = 0;

	cts_drv_init();
	CTS_DRV_OK(muCtxGetLimit(&v, MU_LIMIT_PRINTF_FIFO_SIZE));
	ck_assert_uint_gt(v, 0);
	CTS_DRV_OK(muCtxGetLimit(&v, MU_LIMIT_MALLOC_HEAP_SIZE));
	ck_assert_uint_gt(v, 0);
	CTS_DRV(muCtxGetLimit(&v, (MUlimit)0x7f), MUSA_ERROR_UNSUPPORTED_LIMIT);
	CTS_DRV(muCtxSetLimit((MUlimit)0x7f, 1), MUSA_ERROR_UNSUPPORTED_LIMIT);
}

static void *thread_sees_no_context(void *arg)
{
	MUcontext c = (MUcontext)1;

	*(int *)arg = muCtxGetCurrent(&c) == MUSA_SUCCESS && c == NULL;
	return NULL;
}

CTS_TEST(context_drv, current_context_is_per_thread)
{
	pthread_t t;
	int ok = 0;

	cts_drv_init();
	ck_assert_int_eq(pthread_create(&t, NULL, thread_sees_no_context, &ok), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(ok, 1);
}

CTS_TEST(context_drv, profiler_start_stop)
{
	MUcontext c = NULL;

	CTS_DRV_OK(muInit(0));
	CTS_DRV(muProfilerStart(), MUSA_ERROR_INVALID_CONTEXT);
	CTS_DRV(muProfilerStop(), MUSA_ERROR_INVALID_CONTEXT);
	CTS_DRV_OK(cts_ctx_create(&c, 0, 0));
	/* with or without a profiler recording, and again when already so */
	CTS_DRV_OK(muProfilerStart());
	CTS_DRV_OK(muProfilerStart());
	CTS_DRV_OK(muProfilerStop());
	CTS_DRV_OK(muProfilerStop());
	CTS_DRV_OK(muCtxDestroy(c));
}
