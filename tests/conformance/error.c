/* SPDX-License-Identifier: MIT */
/*
 * error.c - conformance of error reporting: the per-thread last error
 * (musaGetLastError / musaPeekAtLastError), error names and strings of both
 * APIs, and the version queries.
 */
#include <pthread.h>

#include "cts.h"

CTS_TEST(error, last_error_is_recorded_and_cleared)
{
	int d;

	CTS_RT_OK(musaGetLastError());
	CTS_RT(musaSetDevice(-1), musaErrorInvalidDevice);
	CTS_RT(musaPeekAtLastError(), musaErrorInvalidDevice);
	CTS_RT(musaPeekAtLastError(), musaErrorInvalidDevice);
	/* A successful call does not overwrite it. */
	CTS_RT_OK(musaGetDevice(&d));
	CTS_RT(musaGetLastError(), musaErrorInvalidDevice);
	CTS_RT_OK(musaGetLastError());
	CTS_RT_OK(musaPeekAtLastError());
}

CTS_TEST(error, last_error_keeps_the_latest_failure)
{
	CTS_RT(musaSetDevice(-1), musaErrorInvalidDevice);
	CTS_RT(musaGetDeviceCount(NULL), musaErrorInvalidValue);
	CTS_RT(musaGetLastError(), musaErrorInvalidValue);
	CTS_RT_OK(musaGetLastError());
}

static void *other_thread(void *arg)
{
	*(musaError_t *)arg = musaPeekAtLastError();
	return NULL;
}

CTS_TEST(error, last_error_is_per_thread)
{
	musaError_t seen = musaErrorUnknown;
	pthread_t t;

	CTS_RT(musaSetDevice(-1), musaErrorInvalidDevice);
	ck_assert_int_eq(pthread_create(&t, NULL, other_thread, &seen), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	CTS_RT_OK(seen);
	CTS_RT(musaGetLastError(), musaErrorInvalidDevice);
}

CTS_TEST(error, runtime_names_and_strings)
{
	const char *n = musaGetErrorName(musaErrorInvalidValue);
	const char *s = musaGetErrorString(musaErrorInvalidValue);

	ck_assert_ptr_ne(n, NULL);
	ck_assert_ptr_ne(strstr(n, "ErrorInvalidValue"), NULL);
	ck_assert_ptr_ne(s, NULL);
	ck_assert_uint_gt(strlen(s), 0);
	ck_assert_ptr_ne(strstr(musaGetErrorName(musaSuccess), "Success"), NULL);
	ck_assert_ptr_ne(strstr(musaGetErrorName(musaErrorCooperativeLaunchTooLarge),
				"ErrorCooperativeLaunchTooLarge"), NULL);
	ck_assert_ptr_ne(strstr(musaGetErrorName(musaErrorUnsupportedLimit),
				"ErrorUnsupportedLimit"), NULL);
	/* Not an error code. */
	ck_assert_str_eq(musaGetErrorName((musaError_t)123456), "unrecognized error code");
	ck_assert_str_eq(musaGetErrorString((musaError_t)123456), "unrecognized error code");
}

CTS_TEST(error, driver_names_and_strings)
{
	const char *n = NULL, *s = NULL;

	CTS_DRV_OK(muGetErrorName(MUSA_ERROR_INVALID_VALUE, &n));
	ck_assert_ptr_ne(n, NULL);
	ck_assert_ptr_ne(strstr(n, "_ERROR_INVALID_VALUE"), NULL);
	CTS_DRV_OK(muGetErrorString(MUSA_ERROR_INVALID_VALUE, &s));
	ck_assert_ptr_ne(s, NULL);
	n = "x";
	CTS_DRV(muGetErrorName((MUresult)123456, &n), MUSA_ERROR_INVALID_VALUE);
	ck_assert_ptr_eq(n, NULL);
	CTS_DRV(muGetErrorString((MUresult)123456, &s), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGetErrorName(MUSA_SUCCESS, NULL), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muGetErrorString(MUSA_SUCCESS, NULL), MUSA_ERROR_INVALID_VALUE);
}

CTS_TEST(error, versions)
{
	int dv = 0, rv = 0;

	CTS_RT_OK(musaDriverGetVersion(&dv));
	CTS_RT_OK(musaRuntimeGetVersion(&rv));
	ck_assert_int_ge(dv, 1000);
	ck_assert_int_ge(rv, 1000);
	/* The driver is at least as new as the runtime it serves. */
	ck_assert_int_ge(dv, rv);
	CTS_RT(musaDriverGetVersion(NULL), musaErrorInvalidValue);
	CTS_RT(musaRuntimeGetVersion(NULL), musaErrorInvalidValue);
	dv = 0;
	CTS_DRV_OK(muDriverGetVersion(&dv));
	ck_assert_int_ge(dv, 1000);
	CTS_DRV(muDriverGetVersion(NULL), MUSA_ERROR_INVALID_VALUE);
}
