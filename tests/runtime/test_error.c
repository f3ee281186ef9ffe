/* SPDX-License-Identifier: MIT */
/*
 * test_error.c - error reporting of the runtime: names and descriptions of
 * every code, and the per-thread last error (GetLastError clears,
 * PeekAtLastError does not, success does not overwrite, threads do not
 * see each other's errors).
 */
#include <pthread.h>
#include <string.h>

#include "rt_test.h"

static const musaError_t all_codes[] = {
	musaSuccess, musaErrorInvalidValue, musaErrorMemoryAllocation,
	musaErrorInitializationError, musaErrorMusartUnloading, musaErrorProfilerDisabled,
	musaErrorInvalidConfiguration, musaErrorInvalidPitchValue, musaErrorInvalidSymbol,
	musaErrorInvalidHostPointer, musaErrorInvalidDevicePointer, musaErrorInvalidTexture,
	musaErrorInvalidTextureBinding, musaErrorInvalidChannelDescriptor,
	musaErrorInvalidMemcpyDirection, musaErrorInvalidFilterSetting, musaErrorInvalidNormSetting,
	musaErrorStubLibrary, musaErrorInsufficientDriver, musaErrorCallRequiresNewerDriver,
	musaErrorInvalidSurface, musaErrorDuplicateVariableName, musaErrorDuplicateTextureName,
	musaErrorDuplicateSurfaceName, musaErrorDevicesUnavailable,
	musaErrorIncompatibleDriverContext, musaErrorMissingConfiguration,
	musaErrorLaunchMaxDepthExceeded, musaErrorLaunchFileScopedTex, musaErrorLaunchFileScopedSurf,
	musaErrorSyncDepthExceeded, musaErrorLaunchPendingCountExceeded,
	musaErrorInvalidDeviceFunction, musaErrorNoDevice, musaErrorInvalidDevice,
	musaErrorDeviceNotLicensed, musaErrorSoftwareValidityNotEstablished, musaErrorStartupFailure,
	musaErrorInvalidKernelImage, musaErrorDeviceUninitialized, musaErrorMapBufferObjectFailed,
	musaErrorUnmapBufferObjectFailed, musaErrorArrayIsMapped, musaErrorAlreadyMapped,
	musaErrorNoKernelImageForDevice, musaErrorAlreadyAcquired, musaErrorNotMapped,
	musaErrorNotMappedAsArray, musaErrorNotMappedAsPointer, musaErrorECCUncorrectable,
	musaErrorUnsupportedLimit, musaErrorDeviceAlreadyInUse, musaErrorPeerAccessUnsupported,
	musaErrorInvalidPtx, musaErrorInvalidGraphicsContext, musaErrorJitCompilerNotFound,
	musaErrorInvalidSource, musaErrorFileNotFound, musaErrorSharedObjectSymbolNotFound,
	musaErrorSharedObjectInitFailed, musaErrorOperatingSystem, musaErrorInvalidResourceHandle,
	musaErrorIllegalState, musaErrorSymbolNotFound, musaErrorNotReady, musaErrorIllegalAddress,
	musaErrorLaunchOutOfResources, musaErrorLaunchTimeout, musaErrorLaunchIncompatibleTexturing,
	musaErrorPeerAccessAlreadyEnabled, musaErrorPeerAccessNotEnabled,
	musaErrorSetOnActiveProcess, musaErrorContextIsDestroyed, musaErrorAssert,
	musaErrorTooManyPeers, musaErrorHostMemoryAlreadyRegistered,
	musaErrorHostMemoryNotRegistered, musaErrorHardwareStackError, musaErrorIllegalInstruction,
	musaErrorMisalignedAddress, musaErrorInvalidAddressSpace, musaErrorInvalidPc,
	musaErrorLaunchFailure, musaErrorCooperativeLaunchTooLarge, musaErrorNotPermitted,
	musaErrorNotSupported, musaErrorSystemNotReady, musaErrorSystemDriverMismatch,
	musaErrorCompatNotSupportedOnDevice, musaErrorStreamCaptureUnsupported,
	musaErrorStreamCaptureInvalidated, musaErrorStreamCaptureMerge,
	musaErrorStreamCaptureUnmatched, musaErrorStreamCaptureUnjoined,
	musaErrorStreamCaptureIsolation, musaErrorStreamCaptureImplicit, musaErrorCapturedEvent,
	musaErrorStreamCaptureWrongThread, musaErrorTimeout, musaErrorGraphExecUpdateFailure,
	musaErrorUnknown,
};

START_TEST(test_musaGetErrorName_every_code_has_its_name)
{
	for (size_t i = 0; i < sizeof(all_codes) / sizeof(all_codes[0]); i++) {
		const char *n = musaGetErrorName(all_codes[i]);
		const char *s = musaGetErrorString(all_codes[i]);
		ck_assert_ptr_nonnull(n);
		ck_assert_ptr_nonnull(s);
		ck_assert_msg(strncmp(n, "musa", 4) == 0, "code %d named %s", (int)all_codes[i], n);
		ck_assert_str_ne(s, "unrecognized error code");
		ck_assert_int_gt((int)strlen(s), 0);
	}
	ck_assert_str_eq(musaGetErrorName(musaSuccess), "musaSuccess");
	ck_assert_str_eq(musaGetErrorName(musaErrorInvalidValue), "musaErrorInvalidValue");
	ck_assert_str_eq(musaGetErrorName(musaErrorIllegalAddress), "musaErrorIllegalAddress");
	ck_assert_str_eq(musaGetErrorString(musaSuccess), "no error");
}
END_TEST

START_TEST(test_musaGetErrorName_unknown_code_is_unrecognized)
{
	ck_assert_str_eq(musaGetErrorName((musaError_t)12345), "unrecognized error code");
	ck_assert_str_eq(musaGetErrorString((musaError_t)12345), "unrecognized error code");
	ck_assert_str_eq(musaGetErrorName((musaError_t)-1), "unrecognized error code");
	ck_assert_str_eq(musaGetErrorString((musaError_t)6), "unrecognized error code");
}
END_TEST

START_TEST(test_musaGetLastError_initially_success)
{
	ck_assert_int_eq(musaGetLastError(), musaSuccess);
	ck_assert_int_eq(musaPeekAtLastError(), musaSuccess);
}
END_TEST

START_TEST(test_musaGetLastError_returns_and_clears)
{
	ck_assert_int_eq(musaMalloc(NULL, 16), musaErrorInvalidValue);
	ck_assert_int_eq(musaGetLastError(), musaErrorInvalidValue);
	ck_assert_int_eq(musaGetLastError(), musaSuccess);
}
END_TEST

START_TEST(test_musaPeekAtLastError_does_not_clear)
{
	ck_assert_int_eq(musaSetDevice(-1), musaErrorInvalidDevice);
	ck_assert_int_eq(musaPeekAtLastError(), musaErrorInvalidDevice);
	ck_assert_int_eq(musaPeekAtLastError(), musaErrorInvalidDevice);
	ck_assert_int_eq(musaGetLastError(), musaErrorInvalidDevice);
	ck_assert_int_eq(musaPeekAtLastError(), musaSuccess);
}
END_TEST

START_TEST(test_musaGetLastError_success_does_not_overwrite)
{
	void *p = NULL;

	ck_assert_int_eq(musaMemcpy(NULL, NULL, 4, (enum musaMemcpyKind)9),
	                 musaErrorInvalidMemcpyDirection);
	ck_assert_int_eq(musaMalloc(&p, 64), musaSuccess);
	ck_assert_int_eq(musaFree(p), musaSuccess);
	ck_assert_int_eq(musaGetLastError(), musaErrorInvalidMemcpyDirection);
}
END_TEST

START_TEST(test_musaGetLastError_latest_failure_wins)
{
	ck_assert_int_eq(musaMalloc(NULL, 16), musaErrorInvalidValue);
	ck_assert_int_eq(musaSetDevice(1 << 20), musaErrorInvalidDevice);
	ck_assert_int_eq(musaGetLastError(), musaErrorInvalidDevice);
}
END_TEST

static void *other_thread(void *arg)
{
	musaError_t *seen = arg;

	seen[0] = musaPeekAtLastError();
	seen[1] = musaStreamDestroy(NULL);
	seen[2] = musaGetLastError();
	return NULL;
}

START_TEST(test_musaGetLastError_is_per_thread)
{
	pthread_t t;
	musaError_t seen[3];

	ck_assert_int_eq(musaMalloc(NULL, 16), musaErrorInvalidValue);
	ck_assert_int_eq(pthread_create(&t, NULL, other_thread, seen), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(seen[0], musaSuccess);
	ck_assert_int_eq(seen[1], musaErrorInvalidResourceHandle);
	ck_assert_int_eq(seen[2], musaErrorInvalidResourceHandle);
	ck_assert_int_eq(musaGetLastError(), musaErrorInvalidValue);
}
END_TEST

START_TEST(test_musaGetLastError_not_ready_is_not_recorded)
{
	struct rt_kernels_fatbin fb;
	musaStream_t s;

	rt_register_test_kernels(&fb);
	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(rt_launch_sleep(300, s), musaSuccess);
	ck_assert_int_eq(musaStreamQuery(s), musaErrorNotReady);
	ck_assert_int_eq(musaGetLastError(), musaSuccess);
	ck_assert_int_eq(musaStreamSynchronize(s), musaSuccess);
	ck_assert_int_eq(musaStreamQuery(s), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
}
END_TEST

START_TEST(test_version_queries)
{
	int v = -1;

	ck_assert_int_eq(musaRuntimeGetVersion(NULL), musaErrorInvalidValue);
	ck_assert_int_eq(musaDriverGetVersion(NULL), musaErrorInvalidValue);
	ck_assert_int_eq(musaRuntimeGetVersion(&v), musaSuccess);
	ck_assert_int_eq(v, MUSART_VERSION);
	v = -1;
	ck_assert_int_eq(musaDriverGetVersion(&v), musaSuccess);
	ck_assert_int_gt(v, 0);
}
END_TEST

static Suite *error_suite(void)
{
	Suite *s = suite_create("runtime_error");
	TCase *tc = tcase_create("names");

	tcase_add_test(tc, test_musaGetErrorName_every_code_has_its_name);
	tcase_add_test(tc, test_musaGetErrorName_unknown_code_is_unrecognized);
	tcase_add_test(tc, test_version_queries);
	suite_add_tcase(s, tc);

	tc = tcase_create("last_error");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_musaGetLastError_initially_success);
	tcase_add_test(tc, test_musaGetLastError_returns_and_clears);
	tcase_add_test(tc, test_musaPeekAtLastError_does_not_clear);
	tcase_add_test(tc, test_musaGetLastError_success_does_not_overwrite);
	tcase_add_test(tc, test_musaGetLastError_latest_failure_wins);
	tcase_add_test(tc, test_musaGetLastError_is_per_thread);
	tcase_add_test(tc, test_musaGetLastError_not_ready_is_not_recorded);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	Suite *suites[] = { error_suite() };

	return rt_run_suites(suites, 1);
}
