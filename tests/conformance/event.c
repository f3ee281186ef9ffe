/* SPDX-License-Identifier: MIT */
/*
 * event.c - conformance of the runtime's events: creation flags, record
 * (with flags), query, synchronize, elapsed time and its error cases,
 * destroy of a pending event, and interprocess events (handles, and a
 * second process that waits for and records the same event).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cts.h"
#include "stream_util.h"

CTS_TEST(event, create_flags)
{
	static const unsigned int ok[] = {
		musaEventDefault, musaEventBlockingSync, musaEventDisableTiming,
		musaEventBlockingSync | musaEventDisableTiming,
		musaEventInterprocess | musaEventDisableTiming,
		musaEventInterprocess | musaEventDisableTiming | musaEventBlockingSync,
	};
	musaEvent_t ev;

	for (unsigned int i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CTS_RT_OK(musaEventCreateWithFlags(&ev, ok[i]));
		CTS_RT_OK(musaEventDestroy(ev));
	}
	CTS_RT_OK(musaEventCreate(&ev));
	CTS_RT_OK(musaEventDestroy(ev));
}

CTS_TEST(event, create_bad_args)
{
	musaEvent_t ev;

	CTS_RT(musaEventCreate(NULL), musaErrorInvalidValue);
	CTS_RT(musaEventCreateWithFlags(NULL, 0), musaErrorInvalidValue);
	CTS_RT(musaEventCreateWithFlags(&ev, 0x8), musaErrorInvalidValue);
	CTS_RT(musaEventCreateWithFlags(&ev, 0x100), musaErrorInvalidValue);
	/* Interprocess requires DisableTiming. */
	CTS_RT(musaEventCreateWithFlags(&ev, musaEventInterprocess), musaErrorInvalidValue);
	CTS_RT(musaEventCreateWithFlags(&ev, musaEventInterprocess | musaEventBlockingSync),
	       musaErrorInvalidValue);
	ck_assert_int_eq(musaGetLastError(), musaErrorInvalidValue);
}

CTS_TEST(event, never_recorded)
{
	musaEvent_t ev;

	CTS_RT_OK(musaEventCreate(&ev));
	CTS_RT_OK(musaEventQuery(ev));
	CTS_RT_OK(musaEventSynchronize(ev));
	CTS_RT_OK(musaEventDestroy(ev));
}

CTS_TEST(event, record_query_sync)
{
	struct cts_gate g = { 0 };
	musaStream_t s;
	musaEvent_t ev, bs;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaEventCreate(&ev));
	CTS_RT_OK(musaEventCreateWithFlags(&bs, musaEventBlockingSync));
	CTS_RT_OK(musaLaunchHostFunc(s, cts_gate_fn, &g));
	CTS_RT_OK(musaEventRecord(ev, s));
	CTS_RT_OK(musaEventRecord(bs, s));
	CTS_RT(musaEventQuery(ev), musaErrorNotReady);
	CTS_RT(musaEventQuery(bs), musaErrorNotReady);
	CTS_RT_OK(musaGetLastError());
	cts_gate_open(&g);
	CTS_RT_OK(musaEventSynchronize(bs));
	CTS_RT_OK(musaEventSynchronize(ev));
	CTS_RT_OK(musaEventQuery(ev));
	/* Recording again on the legacy and per-thread streams. */
	CTS_RT_OK(musaEventRecord(ev, 0));
	CTS_RT_OK(musaEventSynchronize(ev));
	CTS_RT_OK(musaEventRecord(ev, musaStreamPerThread));
	CTS_RT_OK(musaEventSynchronize(ev));
	CTS_RT_OK(musaEventDestroy(ev));
	CTS_RT_OK(musaEventDestroy(bs));
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(event, record_with_flags)
{
	musaEvent_t ev;
	musaStream_t s;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaEventCreate(&ev));
	CTS_RT_OK(musaEventRecordWithFlags(ev, s, musaEventRecordDefault));
	CTS_RT_OK(musaEventRecordWithFlags(ev, s, musaEventRecordExternal));
	CTS_RT_OK(musaEventSynchronize(ev));
	CTS_RT(musaEventRecordWithFlags(ev, s, 0x2), musaErrorInvalidValue);
	CTS_RT(musaEventRecordWithFlags(NULL, s, 0), musaErrorInvalidResourceHandle);
	CTS_RT_OK(musaEventDestroy(ev));
	CTS_RT_OK(musaStreamDestroy(s));
	musaGetLastError();
}

CTS_TEST(event, bad_handles)
{
	musaEvent_t ev;
	float ms;

	CTS_RT(musaEventRecord(NULL, 0), musaErrorInvalidResourceHandle);
	CTS_RT(musaEventQuery(NULL), musaErrorInvalidResourceHandle);
	CTS_RT(musaEventSynchronize(NULL), musaErrorInvalidResourceHandle);
	CTS_RT(musaEventDestroy(NULL), musaErrorInvalidResourceHandle);
	CTS_RT_OK(musaEventCreate(&ev));
	CTS_RT(musaEventElapsedTime(&ms, NULL, ev), musaErrorInvalidResourceHandle);
	CTS_RT(musaEventElapsedTime(&ms, ev, NULL), musaErrorInvalidResourceHandle);
	CTS_RT_OK(musaEventDestroy(ev));
#ifndef CTS_CUDA
	CTS_RT(musaEventRecord(ev, 0), musaErrorInvalidResourceHandle);
	CTS_RT(musaEventQuery(ev), musaErrorInvalidResourceHandle);
	CTS_RT(musaEventSynchronize(ev), musaErrorInvalidResourceHandle);
	CTS_RT(musaEventDestroy(ev), musaErrorInvalidResourceHandle);
	CTS_RT(musaEventQuery((musaEvent_t)&ms), musaErrorInvalidResourceHandle);
#endif
	musaGetLastError();
}

CTS_TEST(event, elapsed_time)
{
	musaEvent_t a, b;
	int *d = NULL;
	float ms = -1.0f;

	CTS_RT_OK(musaEventCreate(&a));
	CTS_RT_OK(musaEventCreate(&b));
	CTS_RT_OK(musaMalloc((void **)&d, 1 << 20));
	CTS_RT_OK(musaEventRecord(a, 0));
	CTS_RT_OK(cts_launch_fill(d, 1, 1 << 18, 0));
	CTS_RT_OK(musaEventRecord(b, 0));
	CTS_RT_OK(musaEventSynchronize(b));
	CTS_RT_OK(musaEventElapsedTime(&ms, a, b));
	ck_assert(ms >= 0.0f);
	CTS_RT_OK(musaEventElapsedTime(&ms, a, a));
	ck_assert(ms == 0.0f);
	CTS_RT(musaEventElapsedTime(NULL, a, b), musaErrorInvalidValue);
	CTS_RT_OK(musaEventDestroy(a));
	CTS_RT_OK(musaEventDestroy(b));
	CTS_RT_OK(musaFree(d));
	musaGetLastError();
}

CTS_TEST(event, elapsed_time_errors)
{
	struct cts_gate g = { 0 };
	musaEvent_t a, b, nt, fresh;
	musaStream_t s;
	float ms;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaEventCreate(&a));
	CTS_RT_OK(musaEventCreate(&b));
	CTS_RT_OK(musaEventCreate(&fresh));
	CTS_RT_OK(musaEventCreateWithFlags(&nt, musaEventDisableTiming));
	CTS_RT_OK(musaEventRecord(a, s));
	CTS_RT_OK(musaEventRecord(nt, s));
	CTS_RT_OK(musaStreamSynchronize(s));
	/* Not recorded. */
	CTS_RT(musaEventElapsedTime(&ms, a, fresh), musaErrorInvalidResourceHandle);
	CTS_RT(musaEventElapsedTime(&ms, fresh, a), musaErrorInvalidResourceHandle);
	/* Timing disabled. */
	CTS_RT(musaEventElapsedTime(&ms, a, nt), musaErrorInvalidResourceHandle);
	CTS_RT(musaEventElapsedTime(&ms, nt, a), musaErrorInvalidResourceHandle);
	/* Not complete. */
	CTS_RT_OK(musaLaunchHostFunc(s, cts_gate_fn, &g));
	CTS_RT_OK(musaEventRecord(b, s));
	CTS_RT(musaEventElapsedTime(&ms, a, b), musaErrorNotReady);
	cts_gate_open(&g);
	CTS_RT_OK(musaEventSynchronize(b));
	CTS_RT_OK(musaEventElapsedTime(&ms, a, b));
	ck_assert(ms >= 0.0f);
	CTS_RT_OK(musaEventDestroy(a));
	CTS_RT_OK(musaEventDestroy(b));
	CTS_RT_OK(musaEventDestroy(nt));
	CTS_RT_OK(musaEventDestroy(fresh));
	CTS_RT_OK(musaStreamDestroy(s));
	musaGetLastError();
}

CTS_TEST(event, two_devices)
{
	musaEvent_t e0, e1;
	musaStream_t s1;
	float ms;

	CTS_REQUIRE_DEVICES(2);
	CTS_RT_OK(musaEventCreate(&e0));
	CTS_RT_OK(musaEventRecord(e0, 0));
	CTS_RT_OK(musaSetDevice(1));
	CTS_RT_OK(musaEventCreate(&e1));
	CTS_RT_OK(musaStreamCreate(&s1));
	CTS_RT_OK(musaEventRecord(e1, s1));
	CTS_RT_OK(musaEventSynchronize(e1));
	CTS_RT_OK(musaEventSynchronize(e0));
	/* Events of two devices cannot be compared. */
	CTS_RT(musaEventElapsedTime(&ms, e0, e1), musaErrorInvalidResourceHandle);
	/* An event cannot be recorded on another device's stream. */
	CTS_RT(musaEventRecord(e0, s1), musaErrorInvalidResourceHandle);
	/* A stream may wait for another device's event. */
	CTS_RT_OK(musaStreamWaitEvent(s1, e0, 0));
	CTS_RT_OK(musaStreamSynchronize(s1));
	CTS_RT_OK(musaEventDestroy(e1));
	CTS_RT_OK(musaStreamDestroy(s1));
	CTS_RT_OK(musaSetDevice(0));
	CTS_RT_OK(musaEventDestroy(e0));
	musaGetLastError();
}

CTS_TEST(event, destroy_pending)
{
	struct cts_gate g = { 0 };
	musaStream_t s;
	musaEvent_t ev;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaEventCreate(&ev));
	CTS_RT_OK(musaLaunchHostFunc(s, cts_gate_fn, &g));
	CTS_RT_OK(musaEventRecord(ev, s));
	CTS_RT_OK(musaEventDestroy(ev));
	cts_gate_open(&g);
	CTS_RT_OK(musaStreamSynchronize(s));
	CTS_RT_OK(musaStreamDestroy(s));
}

CTS_TEST(event, event_outlives_stream)
{
	musaStream_t s;
	musaEvent_t ev;

	CTS_RT_OK(musaStreamCreate(&s));
	CTS_RT_OK(musaEventCreate(&ev));
	CTS_RT_OK(musaEventRecord(ev, s));
	CTS_RT_OK(musaStreamDestroy(s));
	CTS_RT_OK(musaEventSynchronize(ev));
	CTS_RT_OK(musaEventQuery(ev));
	CTS_RT_OK(musaEventDestroy(ev));
}

/* Events made with the driver API work in runtime calls. */
CTS_TEST(event, driver_event_in_runtime)
{
	MUevent de;

	CTS_RT_OK(musaFree(0));
	cts_drv_init();
	CTS_DRV_OK(muEventCreate(&de, MU_EVENT_DEFAULT));
	CTS_RT_OK(musaEventRecord((musaEvent_t)de, 0));
	CTS_RT_OK(musaEventSynchronize((musaEvent_t)de));
	CTS_RT_OK(musaEventQuery((musaEvent_t)de));
	CTS_RT_OK(musaStreamWaitEvent(0, (musaEvent_t)de, 0));
	CTS_RT_OK(musaEventDestroy((musaEvent_t)de));
#ifndef CTS_CUDA
	CTS_DRV(muEventQuery(de), MUSA_ERROR_INVALID_HANDLE);
	CTS_RT(musaEventQuery((musaEvent_t)de), musaErrorInvalidResourceHandle);
#endif
	musaGetLastError();
}

/* interprocess events */

CTS_TEST(event, ipc_handle_errors)
{
	musaIpcEventHandle_t h;
	musaEvent_t plain, timed, ipc;

	CTS_RT_OK(musaEventCreateWithFlags(&plain, musaEventDisableTiming));
	CTS_RT_OK(musaEventCreate(&timed));
	CTS_RT_OK(musaEventCreateWithFlags(&ipc, musaEventInterprocess | musaEventDisableTiming));
	CTS_RT(musaIpcGetEventHandle(&h, plain), musaErrorInvalidResourceHandle);
	CTS_RT(musaIpcGetEventHandle(&h, timed), musaErrorInvalidResourceHandle);
	CTS_RT(musaIpcGetEventHandle(NULL, ipc), musaErrorInvalidValue);
	CTS_RT(musaIpcGetEventHandle(&h, NULL), musaErrorInvalidResourceHandle);
	CTS_RT_OK(musaIpcGetEventHandle(&h, ipc));
	CTS_RT(musaIpcOpenEventHandle(NULL, h), musaErrorInvalidValue);
#ifndef CTS_CUDA
	{
		musaIpcEventHandle_t bad;
		musaEvent_t o;

		memset(&bad, 0x5a, sizeof(bad));
		CTS_RT(musaIpcOpenEventHandle(&o, bad), musaErrorInvalidValue);
	}
#endif
	CTS_RT_OK(musaEventDestroy(plain));
	CTS_RT_OK(musaEventDestroy(timed));
	CTS_RT_OK(musaEventDestroy(ipc));
	musaGetLastError();
}

CTS_TEST(event, ipc_record_query_local)
{
	struct cts_gate g = { 0 };
	musaEvent_t ipc;
	musaStream_t s, t;
	struct cts_log log = { 0 };
	struct cts_log_entry e = { &log, 1 };
	float ms;

	CTS_RT_OK(musaStreamCreateWithFlags(&s, musaStreamNonBlocking));
	CTS_RT_OK(musaStreamCreateWithFlags(&t, musaStreamNonBlocking));
	CTS_RT_OK(musaEventCreateWithFlags(&ipc, musaEventInterprocess | musaEventDisableTiming));
	CTS_RT_OK(musaEventQuery(ipc));
	CTS_RT_OK(musaLaunchHostFunc(s, cts_gate_fn, &g));
	CTS_RT_OK(musaEventRecord(ipc, s));
	CTS_RT(musaEventQuery(ipc), musaErrorNotReady);
	CTS_RT_OK(musaStreamWaitEvent(t, ipc, 0));
	CTS_RT_OK(musaLaunchHostFunc(t, cts_log_fn, &e));
	cts_sleep_ms(30);
	ck_assert_int_eq(atomic_load(&log.n), 0);
	cts_gate_open(&g);
	CTS_RT_OK(musaEventSynchronize(ipc));
	CTS_RT_OK(musaStreamSynchronize(t));
	ck_assert_int_eq(atomic_load(&log.n), 1);
	CTS_RT(musaEventElapsedTime(&ms, ipc, ipc), musaErrorInvalidResourceHandle);
	CTS_RT_OK(musaEventDestroy(ipc));
	CTS_RT_OK(musaStreamDestroy(s));
	CTS_RT_OK(musaStreamDestroy(t));
	musaGetLastError();
}

#ifndef CTS_CUDA
/*
 * The second process: musa-cts re-executed with CTS_IPC_EVENT_CHILD set to
 * the handle in hex. It opens the event, checks it is pending, waits for
 * the parent's record, then records it itself behind a host function that
 * waits for a byte on stdin, telling the parent on stdout.
 */
static char cts_ipc_in_byte;

static void cts_ipc_read_stdin(void *arg)
{
	(void)arg;
	if (read(0, &cts_ipc_in_byte, 1) != 1)
		cts_ipc_in_byte = 0;
}

static int cts_ipc_child(const char *hex)
{
	musaIpcEventHandle_t h;
	musaEvent_t ev;
	musaStream_t s;

	memset(&h, 0, sizeof(h));
	for (size_t i = 0; i < sizeof(h.reserved) && hex[2 * i] && hex[2 * i + 1]; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return 10;
		h.reserved[i] = (char)b;
	}
	if (musaIpcOpenEventHandle(&ev, h) != musaSuccess)
		return 11;
	if (musaEventQuery(ev) != musaErrorNotReady)
		return 12;
	if (write(1, "O", 1) != 1)
		return 13;
	if (musaEventSynchronize(ev) != musaSuccess)
		return 14;
	if (musaEventQuery(ev) != musaSuccess)
		return 15;
	if (musaStreamCreate(&s) != musaSuccess)
		return 16;
	if (musaLaunchHostFunc(s, cts_ipc_read_stdin, NULL) != musaSuccess)
		return 17;
	if (musaEventRecord(ev, s) != musaSuccess)
		return 18;
	if (write(1, "R", 1) != 1)
		return 19;
	if (musaStreamSynchronize(s) != musaSuccess || cts_ipc_in_byte != 'G')
		return 20;
	if (musaEventDestroy(ev) != musaSuccess)
		return 21;
	return 0;
}

__attribute__((constructor)) static void cts_ipc_child_entry(void)
{
	const char *hex = getenv("CTS_IPC_EVENT_CHILD");

	if (hex)
		_exit(cts_ipc_child(hex));
}

CTS_TEST(event, ipc_two_processes)
{
	struct cts_gate g = { 0 };
	musaIpcEventHandle_t h;
	musaEvent_t ev;
	musaStream_t s;
	char hex[2 * sizeof(h.reserved) + 1], c = 0;
	int to_child[2], from_child[2], status = -1;
	pid_t pid;

	CTS_RT_OK(musaStreamCreateWithFlags(&s, musaStreamNonBlocking));
	CTS_RT_OK(musaEventCreateWithFlags(&ev, musaEventInterprocess | musaEventDisableTiming));
	CTS_RT_OK(musaLaunchHostFunc(s, cts_gate_fn, &g));
	CTS_RT_OK(musaEventRecord(ev, s));
	CTS_RT_OK(musaIpcGetEventHandle(&h, ev));
	for (size_t i = 0; i < sizeof(h.reserved); i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)h.reserved[i]);
	ck_assert_int_eq(pipe(to_child), 0);
	ck_assert_int_eq(pipe(from_child), 0);
	pid = cts_spawn_self("musa-cts", "CTS_IPC_EVENT_CHILD", hex, to_child[0], from_child[1]);
	close(to_child[0]);
	close(from_child[1]);
	/* The child saw the event pending; let the parent's record complete. */
	ck_assert_int_eq(read(from_child[0], &c, 1), 1);
	ck_assert_int_eq(c, 'O');
	cts_sleep_ms(20);
	cts_gate_open(&g);
	/* The child's own record is pending until it gets a byte. */
	ck_assert_int_eq(read(from_child[0], &c, 1), 1);
	ck_assert_int_eq(c, 'R');
	CTS_RT(musaEventQuery(ev), musaErrorNotReady);
	ck_assert_int_eq(write(to_child[1], "G", 1), 1);
	CTS_RT_OK(musaEventSynchronize(ev));
	CTS_RT_OK(musaEventQuery(ev));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	close(to_child[1]);
	close(from_child[0]);
	CTS_RT_OK(musaEventDestroy(ev));
	CTS_RT_OK(musaStreamDestroy(s));
}

/*
 * Security of event handles. A probe child opens the handle in its
 * environment ("ok:<hex>" or "bad:<hex>"): "ok" expects an event it can
 * query, "bad" the refusal of a handle that names no live export.
 */
#define IPC_PROBE_ENV "CTS_IPC_EVENT_PROBE"

static int cts_ipc_probe(const char *arg)
{
	musaIpcEventHandle_t h;
	musaEvent_t ev = NULL;
	musaError_t e;
	int ok = !strncmp(arg, "ok:", 3);

	if (!ok && strncmp(arg, "bad:", 4))
		return 10;
	arg += ok ? 3 : 4;
	if (strlen(arg) != 2 * sizeof(h.reserved))
		return 11;
	for (size_t i = 0; i < sizeof(h.reserved); i++) {
		unsigned int b;

		if (sscanf(arg + 2 * i, "%2x", &b) != 1)
			return 12;
		h.reserved[i] = (char)b;
	}
	e = musaIpcOpenEventHandle(&ev, h);
	if (!ok)
		return e == musaErrorInvalidResourceHandle && !ev ? 0 : e == musaSuccess ? 20 : 21;
	if (e != musaSuccess)
		return 22;
	if (musaEventQuery(ev) != musaSuccess || musaEventDestroy(ev) != musaSuccess)
		return 23;
	return 0;
}

__attribute__((constructor)) static void cts_ipc_probe_entry(void)
{
	const char *arg = getenv(IPC_PROBE_ENV);

	if (arg)
		_exit(cts_ipc_probe(arg));
}

static int cts_ipc_probe_run(const char *expect, const musaIpcEventHandle_t *h)
{
	char arg[8 + 2 * sizeof(h->reserved) + 1];
	size_t n = (size_t)snprintf(arg, sizeof(arg), "%s:", expect);
	int status = -1;
	pid_t pid;

	for (size_t i = 0; i < sizeof(h->reserved); i++)
		snprintf(arg + n + 2 * i, 3, "%02x", (unsigned char)h->reserved[i]);
	pid = cts_spawn_self("musa-cts-ipc-probe", IPC_PROBE_ENV, arg, -1, -1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* A handle with another secret (bytes 24..39, docs/uapi.md) opens nothing. */
CTS_TEST(event, ipc_forged_secret_is_refused)
{
	musaIpcEventHandle_t h;
	musaEvent_t ev;

	CTS_RT_OK(musaEventCreateWithFlags(&ev, musaEventInterprocess | musaEventDisableTiming));
	CTS_RT_OK(musaIpcGetEventHandle(&h, ev));
	for (int i = 24; i < 40; i++)
		h.reserved[i] ^= (char)0x3c;
	ck_assert_int_eq(cts_ipc_probe_run("bad", &h), 0);
	CTS_RT_OK(musaEventDestroy(ev));
}

/* The handle of a destroyed event opens nothing, not even the event made
 * (and exported) after it. */
CTS_TEST(event, ipc_stale_handle_is_refused)
{
	musaIpcEventHandle_t old, cur;
	musaEvent_t ev;

	CTS_RT_OK(musaEventCreateWithFlags(&ev, musaEventInterprocess | musaEventDisableTiming));
	CTS_RT_OK(musaIpcGetEventHandle(&old, ev));
	CTS_RT_OK(musaEventDestroy(ev));
	CTS_RT_OK(musaEventCreateWithFlags(&ev, musaEventInterprocess | musaEventDisableTiming));
	CTS_RT_OK(musaIpcGetEventHandle(&cur, ev));
	ck_assert_int_eq(cts_ipc_probe_run("bad", &old), 0);
	CTS_RT_OK(musaEventDestroy(ev));
}
#endif
