/* SPDX-License-Identifier: MIT */
/*
 * mem_ipc.c - conformance of IPC memory handles (musaIpc* and muIpc*).
 * The importing side must be a fresh process: the test re-executes this
 * binary (/proc/self/exe) with MEM_IPC_CHILD set in its environment; a
 * constructor of this file then acts as the importer (open the handle,
 * check and rewrite the memory, close it) and exits before main runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cts.h"

#define IPC_N 4096
#define IPC_ENV "MEM_IPC_CHILD"

static void hex_encode(const void *p, size_t n, char *out)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static int hex_decode(const char *s, void *p, size_t n)
{
	unsigned char *b = p;

	if (strlen(s) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		b[i] = (unsigned char)v;
	}
	return 0;
}

/* The importer. Exit status: 0 ok, 10+ the failing step. */
static int ipc_child(const char *mode, const char *hex)
{
	int h[IPC_N];

	if (!strcmp(mode, "rt")) {
		musaIpcMemHandle_t handle;
		int *d = NULL;

		if (hex_decode(hex, &handle, sizeof(handle)))
			return 10;
		if (musaIpcOpenMemHandle((void **)&d, handle, 2) != musaErrorInvalidValue)
			return 11;
		if (musaIpcOpenMemHandle((void **)&d, handle, musaIpcMemLazyEnablePeerAccess) !=
		    musaSuccess)
			return 12;
		if (musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost) != musaSuccess)
			return 13;
		for (int i = 0; i < IPC_N; i++)
			if (h[i] != 0x1234)
				return 14;
		if (musaMemset(d, 0x7f, sizeof(h)) != musaSuccess)
			return 15;
		if (musaIpcCloseMemHandle(d) != musaSuccess)
			return 16;
		if (musaIpcCloseMemHandle(d) != musaErrorInvalidValue)
			return 17;
		return 0;
	}
	if (!strcmp(mode, "drv")) {
		MUipcMemHandle handle;
		MUdevice dev;
		MUcontext ctx;
		MUdeviceptr d, d2;

		if (hex_decode(hex, &handle, sizeof(handle)))
			return 10;
		if (muInit(0) || muDeviceGet(&dev, 0) || muDevicePrimaryCtxRetain(&ctx, dev) ||
		    muCtxSetCurrent(ctx))
			return 11;
		if (muIpcOpenMemHandle(&d, handle, 0) != MUSA_SUCCESS)
			return 12;
		/* A second open of the same handle gives the same pointer. */
		if (muIpcOpenMemHandle(&d2, handle, 0) != MUSA_SUCCESS || d2 != d)
			return 13;
		if (muMemcpyDtoH(h, d, sizeof(h)) != MUSA_SUCCESS || h[IPC_N - 1] != 0x1234)
			return 14;
		if (muMemsetD32(d, 0x55, IPC_N) != MUSA_SUCCESS)
			return 15;
		if (muIpcCloseMemHandle(d) || muIpcCloseMemHandle(d2))
			return 16;
		if (muIpcCloseMemHandle(d) != MUSA_ERROR_INVALID_VALUE)
			return 17;
		return 0;
	}
	if (!strcmp(mode, "bad")) {
		/* A handle that names no live export: refused, nothing written. */
		musaIpcMemHandle_t handle;
		void *d = &handle;
		musaError_t e;

		if (hex_decode(hex, &handle, sizeof(handle)))
			return 10;
		e = musaIpcOpenMemHandle(&d, handle, musaIpcMemLazyEnablePeerAccess);
		if (e == musaSuccess)
			return 20;
		if (e != musaErrorInvalidResourceHandle)
			return 21;
		if (d != &handle)
			return 22;
		return 0;
	}
	if (!strcmp(mode, "exp")) {
		/* Exports a buffer, prints the handle and exits. */
		musaIpcMemHandle_t handle;
		char out[2 * sizeof(handle) + 1];
		void *d = NULL;

		if (musaMalloc(&d, 4096) != musaSuccess ||
		    musaIpcGetMemHandle(&handle, d) != musaSuccess)
			return 10;
		hex_encode(&handle, sizeof(handle), out);
		if (write(1, out, strlen(out)) != (ssize_t)strlen(out))
			return 11;
		return 0;
	}
	return 99;
}

__attribute__((constructor)) static void ipc_child_main(void)
{
	const char *env = getenv(IPC_ENV);
	char mode[8] = "";
	const char *colon;

	if (!env || !(colon = strchr(env, ':')) || (size_t)(colon - env) >= sizeof(mode))
		return;
	memcpy(mode, env, (size_t)(colon - env));
	_exit(ipc_child(mode, colon + 1));
}

static int ipc_wait(pid_t pid);

/* Runs the importer on the handle; returns its exit status. */
static int ipc_run_child(const char *mode, const void *handle, size_t n)
{
	char hex[2 * 64 + 1], env[160];

	hex_encode(handle, n, hex);
	snprintf(env, sizeof(env), "%s:%s", mode, hex);
	return ipc_wait(cts_spawn_self("musa-cts-ipc-child", IPC_ENV, env, -1, -1));
}

/* The exit status of child `pid`. */
static int ipc_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		ck_assert_int_eq(errno, EINTR);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

CTS_TEST(mem_ipc, runtime_cross_process)
{
	musaIpcMemHandle_t handle;
	int *d = NULL, h[IPC_N];

	CTS_RT_OK(musaMalloc((void **)&d, sizeof(h)));
	for (int i = 0; i < IPC_N; i++)
		h[i] = 0x1234;
	CTS_RT_OK(musaMemcpy(d, h, sizeof(h), musaMemcpyHostToDevice));
	CTS_RT_OK(musaIpcGetMemHandle(&handle, d));
	ck_assert_int_eq(ipc_run_child("rt", &handle, sizeof(handle)), 0);
	CTS_RT_OK(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost));
	ck_assert_int_eq(h[0], 0x7f7f7f7f);
	ck_assert_int_eq(h[IPC_N - 1], 0x7f7f7f7f);
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(mem_ipc, runtime_errors)
{
	musaIpcMemHandle_t handle;
	int *d = NULL, *o = NULL, x;

	CTS_RT_OK(musaMalloc((void **)&d, 4096));
	CTS_RT(musaIpcGetMemHandle(NULL, d), musaErrorInvalidValue);
	CTS_RT(musaIpcGetMemHandle(&handle, &x), musaErrorInvalidValue);
	CTS_RT(musaIpcGetMemHandle(&handle, d + 1), musaErrorInvalidValue);
	CTS_RT_OK(musaIpcGetMemHandle(&handle, d));
	/* A handle cannot be opened by the process that made it. */
	CTS_RT(musaIpcOpenMemHandle((void **)&o, handle, musaIpcMemLazyEnablePeerAccess),
	       musaErrorDeviceUninitialized);
	CTS_RT(musaIpcOpenMemHandle(NULL, handle, musaIpcMemLazyEnablePeerAccess),
	       musaErrorInvalidValue);
	CTS_RT(musaIpcCloseMemHandle(d), musaErrorInvalidValue);
	memset(&handle, 0, sizeof(handle));
	CTS_RT(musaIpcOpenMemHandle((void **)&o, handle, musaIpcMemLazyEnablePeerAccess),
	       musaErrorInvalidValue);
	musaGetLastError();
	CTS_RT_OK(musaFree(d));
}

CTS_TEST(mem_ipc, driver_cross_process)
{
	MUipcMemHandle handle;
	MUdeviceptr d, o;
	unsigned int h[IPC_N];

	cts_drv_init();
	CTS_DRV_OK(muMemAlloc(&d, sizeof(h)));
	CTS_DRV_OK(muMemsetD32(d, 0x1234, IPC_N));
	CTS_DRV_OK(muIpcGetMemHandle(&handle, d));
	CTS_DRV(muIpcOpenMemHandle(&o, handle, 0), MUSA_ERROR_INVALID_CONTEXT);
	CTS_DRV(muIpcGetMemHandle(NULL, d), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muIpcGetMemHandle(&handle, d + 4), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muIpcCloseMemHandle(d), MUSA_ERROR_INVALID_VALUE);
	ck_assert_int_eq(ipc_run_child("drv", &handle, sizeof(handle)), 0);
	CTS_DRV_OK(muMemcpyDtoH(h, d, sizeof(h)));
	ck_assert_uint_eq(h[0], 0x55);
	ck_assert_uint_eq(h[IPC_N - 1], 0x55);
	CTS_DRV_OK(muMemFree(d));
}

/*
 * Where the handle keeps its secret (docs/uapi.md, "IPC handles"): bytes
 * 24..39. A handle with another secret names no export, even with the right
 * pid and broker.
 */
#ifndef CTS_CUDA
#define IPC_SECRET_AT 24
#define IPC_SECRET_LEN 16

CTS_TEST(mem_ipc, forged_secret_is_refused)
{
	musaIpcMemHandle_t handle;
	int *d = NULL;

	CTS_RT_OK(musaMalloc((void **)&d, IPC_N * sizeof(int)));
	CTS_RT_OK(musaMemset(d, 0x11, IPC_N * sizeof(int)));
	CTS_RT_OK(musaIpcGetMemHandle(&handle, d));
	for (int i = 0; i < IPC_SECRET_LEN; i++)
		handle.reserved[IPC_SECRET_AT + i] ^= (char)0xa5;
	ck_assert_int_eq(ipc_run_child("bad", &handle, sizeof(handle)), 0);
	CTS_RT_OK(musaFree(d));
}
#endif

/* After the exported buffer is freed its handle opens nothing, even the
 * new (never exported) buffer that takes the old one's place. */
CTS_TEST(mem_ipc, stale_handle_after_free_is_refused)
{
	musaIpcMemHandle_t handle;
	size_t bytes = 2u << 20;  /* a BO of its own */
	void *a = NULL, *b = NULL;

	CTS_RT_OK(musaMalloc(&a, bytes));
	CTS_RT_OK(musaIpcGetMemHandle(&handle, a));
	CTS_RT_OK(musaFree(a));
	CTS_RT_OK(musaMalloc(&b, bytes));
	CTS_RT_OK(musaMemset(b, 0x22, bytes));
	ck_assert_int_eq(ipc_run_child("bad", &handle, sizeof(handle)), 0);
	CTS_RT_OK(musaFree(b));
}

/* A handle whose exporter has exited opens nothing. */
CTS_TEST(mem_ipc, exited_exporter_handle_is_refused)
{
	musaIpcMemHandle_t handle;
	char hex[2 * sizeof(handle) + 1] = "";
	void *d = &handle;
	size_t got = 0;
	int out[2];
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe(out), 0);
	pid = cts_spawn_self("musa-cts-ipc-child", IPC_ENV, "exp:", -1, out[1]);
	close(out[1]);
	while (got < sizeof(hex) - 1 && (n = read(out[0], hex + got, sizeof(hex) - 1 - got)) > 0)
		got += (size_t)n;
	close(out[0]);
	ck_assert_int_eq(ipc_wait(pid), 0);
	ck_assert_uint_eq(got, sizeof(hex) - 1);
	ck_assert_int_eq(hex_decode(hex, &handle, sizeof(handle)), 0);
	CTS_RT(musaIpcOpenMemHandle(&d, handle, musaIpcMemLazyEnablePeerAccess),
	       musaErrorInvalidResourceHandle);
	ck_assert_ptr_eq(d, &handle);
	musaGetLastError();
}
