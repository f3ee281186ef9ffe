/* SPDX-License-Identifier: MIT */
/*
 * test_errors.c - muGetErrorName / muGetErrorString for every MUresult.
 */
#include <string.h>

#include "umd_test.h"

static const MUresult all_codes[] = {
	MUSA_SUCCESS,
	MUSA_ERROR_INVALID_VALUE,
	MUSA_ERROR_OUT_OF_MEMORY,
	MUSA_ERROR_NOT_INITIALIZED,
	MUSA_ERROR_DEINITIALIZED,
	MUSA_ERROR_PROFILER_DISABLED,
	MUSA_ERROR_STUB_LIBRARY,
	MUSA_ERROR_DEVICE_UNAVAILABLE,
	MUSA_ERROR_NO_DEVICE,
	MUSA_ERROR_INVALID_DEVICE,
	MUSA_ERROR_DEVICE_NOT_LICENSED,
	MUSA_ERROR_INVALID_IMAGE,
	MUSA_ERROR_INVALID_CONTEXT,
	MUSA_ERROR_CONTEXT_ALREADY_CURRENT,
	MUSA_ERROR_MAP_FAILED,
	MUSA_ERROR_UNMAP_FAILED,
	MUSA_ERROR_ARRAY_IS_MAPPED,
	MUSA_ERROR_ALREADY_MAPPED,
	MUSA_ERROR_NO_BINARY_FOR_GPU,
	MUSA_ERROR_ALREADY_ACQUIRED,
	MUSA_ERROR_NOT_MAPPED,
	MUSA_ERROR_NOT_MAPPED_AS_ARRAY,
	MUSA_ERROR_NOT_MAPPED_AS_POINTER,
	MUSA_ERROR_ECC_UNCORRECTABLE,
	MUSA_ERROR_UNSUPPORTED_LIMIT,
	MUSA_ERROR_CONTEXT_ALREADY_IN_USE,
	MUSA_ERROR_PEER_ACCESS_UNSUPPORTED,
	MUSA_ERROR_INVALID_PTX,
	MUSA_ERROR_INVALID_GRAPHICS_CONTEXT,
	MUSA_ERROR_JIT_COMPILER_NOT_FOUND,
	MUSA_ERROR_INVALID_SOURCE,
	MUSA_ERROR_FILE_NOT_FOUND,
	MUSA_ERROR_SHARED_OBJECT_SYMBOL_NOT_FOUND,
	MUSA_ERROR_SHARED_OBJECT_INIT_FAILED,
	MUSA_ERROR_OPERATING_SYSTEM,
	MUSA_ERROR_INVALID_HANDLE,
	MUSA_ERROR_ILLEGAL_STATE,
	MUSA_ERROR_NOT_FOUND,
	MUSA_ERROR_NOT_READY,
	MUSA_ERROR_ILLEGAL_ADDRESS,
	MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES,
	MUSA_ERROR_LAUNCH_TIMEOUT,
	MUSA_ERROR_LAUNCH_INCOMPATIBLE_TEXTURING,
	MUSA_ERROR_PEER_ACCESS_ALREADY_ENABLED,
	MUSA_ERROR_PEER_ACCESS_NOT_ENABLED,
	MUSA_ERROR_PRIMARY_CONTEXT_ACTIVE,
	MUSA_ERROR_CONTEXT_IS_DESTROYED,
	MUSA_ERROR_ASSERT,
	MUSA_ERROR_TOO_MANY_PEERS,
	MUSA_ERROR_HOST_MEMORY_ALREADY_REGISTERED,
	MUSA_ERROR_HOST_MEMORY_NOT_REGISTERED,
	MUSA_ERROR_HARDWARE_STACK_ERROR,
	MUSA_ERROR_ILLEGAL_INSTRUCTION,
	MUSA_ERROR_MISALIGNED_ADDRESS,
	MUSA_ERROR_INVALID_ADDRESS_SPACE,
	MUSA_ERROR_INVALID_PC,
	MUSA_ERROR_LAUNCH_FAILED,
	MUSA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE,
	MUSA_ERROR_NOT_PERMITTED,
	MUSA_ERROR_NOT_SUPPORTED,
	MUSA_ERROR_SYSTEM_NOT_READY,
	MUSA_ERROR_SYSTEM_DRIVER_MISMATCH,
	MUSA_ERROR_STREAM_CAPTURE_UNSUPPORTED,
	MUSA_ERROR_STREAM_CAPTURE_INVALIDATED,
	MUSA_ERROR_STREAM_CAPTURE_MERGE,
	MUSA_ERROR_STREAM_CAPTURE_UNMATCHED,
	MUSA_ERROR_STREAM_CAPTURE_UNJOINED,
	MUSA_ERROR_STREAM_CAPTURE_ISOLATION,
	MUSA_ERROR_STREAM_CAPTURE_IMPLICIT,
	MUSA_ERROR_CAPTURED_EVENT,
	MUSA_ERROR_STREAM_CAPTURE_WRONG_THREAD,
	MUSA_ERROR_TIMEOUT,
	MUSA_ERROR_GRAPH_EXEC_UPDATE_FAILURE,
	MUSA_ERROR_UNKNOWN
};

#define NCODES (sizeof(all_codes) / sizeof(all_codes[0]))

START_TEST(test_muGetErrorName_names_every_code_exactly)
{
	const char *s;

	for (size_t i = 0; i < NCODES; i++) {
		MU_OK(muGetErrorName(all_codes[i], &s));
		ck_assert_ptr_nonnull(s);
		ck_assert_msg(strncmp(s, "MUSA_", 5) == 0, "code %d named %s", all_codes[i], s);
	}
	MU_OK(muGetErrorName(MUSA_ERROR_ILLEGAL_ADDRESS, &s));
	ck_assert_str_eq(s, "MUSA_ERROR_ILLEGAL_ADDRESS");
	MU_OK(muGetErrorName(MUSA_SUCCESS, &s));
	ck_assert_str_eq(s, "MUSA_SUCCESS");
}
END_TEST

START_TEST(test_muGetErrorName_names_are_distinct)
{
	const char *a, *b;

	for (size_t i = 0; i < NCODES; i++) {
		for (size_t j = i + 1; j < NCODES; j++) {
			MU_OK(muGetErrorName(all_codes[i], &a));
			MU_OK(muGetErrorName(all_codes[j], &b));
			ck_assert_str_ne(a, b);
		}
	}
}
END_TEST

START_TEST(test_muGetErrorString_describes_every_code)
{
	const char *s;

	for (size_t i = 0; i < NCODES; i++) {
		MU_OK(muGetErrorString(all_codes[i], &s));
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_gt(strlen(s), 0);
	}
	MU_OK(muGetErrorString(MUSA_ERROR_INVALID_VALUE, &s));
	ck_assert_str_eq(s, "invalid argument");
}
END_TEST

START_TEST(test_unknown_code_is_invalid_value_and_null_string)
{
	const char *s = "x";

	ck_assert_int_eq(muGetErrorName((MUresult)12345, &s), MUSA_ERROR_INVALID_VALUE);
	ck_assert_ptr_null(s);
	s = "x";
	ck_assert_int_eq(muGetErrorString((MUresult)6, &s), MUSA_ERROR_INVALID_VALUE);
	ck_assert_ptr_null(s);
}
END_TEST

START_TEST(test_null_out_pointer_is_invalid_value)
{
	ck_assert_int_eq(muGetErrorName(MUSA_SUCCESS, NULL), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(muGetErrorString(MUSA_SUCCESS, NULL), MUSA_ERROR_INVALID_VALUE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_errors");
	TCase *tc = tcase_create("names");

	tcase_add_test(tc, test_muGetErrorName_names_every_code_exactly);
	tcase_add_test(tc, test_muGetErrorName_names_are_distinct);
	tcase_add_test(tc, test_muGetErrorString_describes_every_code);
	tcase_add_test(tc, test_unknown_code_is_invalid_value_and_null_string);
	tcase_add_test(tc, test_null_out_pointer_is_invalid_value);
	suite_add_tcase(s, tc);
	return ut_run(s);
}
