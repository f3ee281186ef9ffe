/* SPDX-License-Identifier: MIT */
/*
 * init.c - implicit initialization of the runtime: the first call of any
 * API that needs the driver runs muInit once per process and counts the
 * devices; the outcome is cached and returned by every later call. Also the
 * version queries. Calls only the driver API (muInit, muDeviceGetCount,
 * muDriverGetVersion).
 *
 * Process exit: an exit handler registered at initialization marks the
 * process as leaving. Exit handlers registered while the program runs are
 * called before the program's destructors (glibc runs the main program's
 * fini array after them), so the destructors mcc generates see the mark
 * and abandon device work instead of waiting for it, as CUDA tears its
 * contexts down at exit: a kernel still running cannot hold the process.
 */
#include <stdlib.h>

#include "rt.h"

static pthread_once_t rt_init_once = PTHREAD_ONCE_INIT;
static musaError_t rt_init_result = musaErrorInitializationError;
static int rt_ndev;
static int rt_init_ok;
static int rt_exiting;

static void rt_at_exit(void)
{
	__atomic_store_n(&rt_exiting, 1, __ATOMIC_RELEASE);
}

int rt_process_exiting(void)
{
	return __atomic_load_n(&rt_exiting, __ATOMIC_ACQUIRE);
}

static void rt_init_run(void)
{
	MUresult r = muInit(0);

	if (r == MUSA_SUCCESS)
		r = muDeviceGetCount(&rt_ndev);
	if (r == MUSA_SUCCESS && rt_ndev <= 0)
		r = MUSA_ERROR_NO_DEVICE;
	switch (r) {
	case MUSA_SUCCESS:
		rt_init_result = musaSuccess;
		break;
	case MUSA_ERROR_NO_DEVICE:
		rt_init_result = musaErrorNoDevice;
		break;
	default:
		rt_init_result = musaErrorInitializationError;
		break;
	}
	if (rt_init_result != musaSuccess)
		rt_ndev = 0;
	if (atexit(rt_at_exit))
		rt_log("init: no exit handler: exit will wait for running kernels");
	rt_log("init: driver result %d, %d device(s)", (int)r, rt_ndev);
	__atomic_store_n(&rt_init_ok, rt_init_result == musaSuccess, __ATOMIC_RELEASE);
}

musaError_t rt_init(void)
{
	pthread_once(&rt_init_once, rt_init_run);
	return rt_init_result;
}

int rt_initialized(void)
{
	return __atomic_load_n(&rt_init_ok, __ATOMIC_ACQUIRE);
}

int rt_device_count(void)
{
	return rt_ndev;
}

MUSART_API musaError_t musaDriverGetVersion(int *driverVersion)
{
	int v = 0;

	CHECK(!driverVersion, rt_ret(musaErrorInvalidValue));
	/* CUDA reports 0 rather than failing when no driver answers. */
	if (muDriverGetVersion(&v) != MUSA_SUCCESS)
		v = 0;
	*driverVersion = v;
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaRuntimeGetVersion(int *runtimeVersion)
{
	CHECK(!runtimeVersion, rt_ret(musaErrorInvalidValue));
	*runtimeVersion = MUSART_VERSION;
	return rt_ret(musaSuccess);
}
