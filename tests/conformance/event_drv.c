/* SPDX-License-Identifier: MIT */
/*
 * event_drv.c - conformance of the driver API's events: creation flags,
 * record (with flags), query, synchronize, elapsed time errors and
 * interprocess event handles.
 */
#include <stdatomic.h>
#include <string.h>

#include "cts.h"
#include "stream_util.h"

CTS_TEST(event_drv, create_flags)
{
	MUevent ev;

	cts_drv_init();
	CTS_DRV_OK(muEventCreate(&ev, MU_EVENT_DEFAULT));
	CTS_DRV_OK(muEventDestroy(ev));
	CTS_DRV_OK(muEventCreate(&ev, MU_EVENT_BLOCKING_SYNC | MU_EVENT_DISABLE_TIMING));
	CTS_DRV_OK(muEventDestroy(ev));
	CTS_DRV_OK(muEventCreate(&ev, MU_EVENT_INTERPROCESS | MU_EVENT_DISABLE_TIMING));
	CTS_DRV_OK(muEventDestroy(ev));
	CTS_DRV(muEventCreate(NULL, 0), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muEventCreate(&ev, 0x8), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muEventCreate(&ev, MU_EVENT_INTERPROCESS), MUSA_ERROR_INVALID_VALUE);
#ifndef CTS_CUDA
	CTS_DRV(muEventDestroy(ev), MUSA_ERROR_INVALID_HANDLE);
#endif
}

CTS_TEST(event_drv, record_with_flags)
{
	struct cts_gate g = { 0 };
	MUstream s;
	MUevent ev;

	cts_drv_init();
	CTS_DRV_OK(muStreamCreate(&s, 0));
	CTS_DRV_OK(muEventCreate(&ev, MU_EVENT_DEFAULT));
	CTS_DRV_OK(muEventQuery(ev));
	CTS_DRV_OK(muLaunchHostFunc(s, cts_gate_fn, &g));
	CTS_DRV_OK(muEventRecordWithFlags(ev, s, MU_EVENT_RECORD_DEFAULT));
	CTS_DRV(muEventQuery(ev), MUSA_ERROR_NOT_READY);
	cts_gate_open(&g);
	CTS_DRV_OK(muEventSynchronize(ev));
	CTS_DRV_OK(muEventRecordWithFlags(ev, s, MU_EVENT_RECORD_EXTERNAL));
	CTS_DRV_OK(muEventSynchronize(ev));
	CTS_DRV(muEventRecordWithFlags(ev, s, 0x2), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muEventRecordWithFlags(NULL, s, 0), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV_OK(muEventRecord(ev, MU_STREAM_PER_THREAD));
	CTS_DRV_OK(muEventSynchronize(ev));
	CTS_DRV_OK(muEventDestroy(ev));
	CTS_DRV_OK(muStreamDestroy(s));
}

CTS_TEST(event_drv, elapsed_time_errors)
{
	struct cts_gate g = { 0 };
	MUevent a, b, nt, fresh;
	MUstream s;
	float ms;

	cts_drv_init();
	CTS_DRV_OK(muStreamCreate(&s, 0));
	CTS_DRV_OK(muEventCreate(&a, 0));
	CTS_DRV_OK(muEventCreate(&b, 0));
	CTS_DRV_OK(muEventCreate(&fresh, 0));
	CTS_DRV_OK(muEventCreate(&nt, MU_EVENT_DISABLE_TIMING));
	CTS_DRV_OK(muEventRecord(a, s));
	CTS_DRV_OK(muEventRecord(nt, s));
	CTS_DRV_OK(muStreamSynchronize(s));
	CTS_DRV(muEventElapsedTime(NULL, a, a), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV(muEventElapsedTime(&ms, a, fresh), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV(muEventElapsedTime(&ms, a, nt), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV_OK(muLaunchHostFunc(s, cts_gate_fn, &g));
	CTS_DRV_OK(muEventRecord(b, s));
	CTS_DRV(muEventElapsedTime(&ms, a, b), MUSA_ERROR_NOT_READY);
	cts_gate_open(&g);
	CTS_DRV_OK(muEventSynchronize(b));
	CTS_DRV_OK(muEventElapsedTime(&ms, a, b));
	ck_assert(ms >= 0.0f);
	CTS_DRV_OK(muEventDestroy(a));
	CTS_DRV_OK(muEventDestroy(b));
	CTS_DRV_OK(muEventDestroy(nt));
	CTS_DRV_OK(muEventDestroy(fresh));
	CTS_DRV_OK(muStreamDestroy(s));
}

CTS_TEST(event_drv, ipc_handles)
{
	MUipcEventHandle h;
	MUevent plain, ipc;
	MUstream s;

	cts_drv_init();
	CTS_DRV_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	CTS_DRV_OK(muEventCreate(&plain, MU_EVENT_DISABLE_TIMING));
	CTS_DRV_OK(muEventCreate(&ipc, MU_EVENT_INTERPROCESS | MU_EVENT_DISABLE_TIMING));
	CTS_DRV(muIpcGetEventHandle(&h, plain), MUSA_ERROR_INVALID_HANDLE);
	CTS_DRV(muIpcGetEventHandle(NULL, ipc), MUSA_ERROR_INVALID_VALUE);
	CTS_DRV_OK(muIpcGetEventHandle(&h, ipc));
	CTS_DRV(muIpcOpenEventHandle(NULL, h), MUSA_ERROR_INVALID_VALUE);
#ifndef CTS_CUDA
	{
		/* Opened in the same process: the two handles share the state. */
		struct cts_gate g = { 0 };
		MUipcEventHandle bad;
		MUevent o;

		CTS_DRV_OK(muIpcOpenEventHandle(&o, h));
		CTS_DRV_OK(muLaunchHostFunc(s, cts_gate_fn, &g));
		CTS_DRV_OK(muEventRecord(ipc, s));
		CTS_DRV(muEventQuery(o), MUSA_ERROR_NOT_READY);
		cts_gate_open(&g);
		CTS_DRV_OK(muEventSynchronize(o));
		CTS_DRV_OK(muEventQuery(ipc));
		CTS_DRV_OK(muEventDestroy(o));
		memset(&bad, 0, sizeof(bad));
		CTS_DRV(muIpcOpenEventHandle(&o, bad), MUSA_ERROR_INVALID_VALUE);
	}
#endif
	CTS_DRV_OK(muEventDestroy(plain));
	CTS_DRV_OK(muEventDestroy(ipc));
	CTS_DRV_OK(muStreamDestroy(s));
}
