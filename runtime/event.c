/* SPDX-License-Identifier: MIT */
/*
 * event.c - runtime events. A musaEvent_t is the driver's MUevent of the
 * primary context of the device that was current at creation; the runtime
 * records the device (handles.c). Events made with the driver API (or
 * opened from another process's handle) are accepted too: the driver
 * validates them and works in the event's own context. musaEventQuery and
 * musaEventSynchronize are generated in forward.c on rt_event_enter.
 * Calls the driver's event functions, device.c and stream.c.
 */
#include <string.h>

#include "rt.h"

#define RT_EVENT_FLAGS (musaEventBlockingSync | musaEventDisableTiming | musaEventInterprocess)

musaError_t rt_event_lookup(musaEvent_t event, int *dev)
{
	MUresult r;
	musaError_t e;

	if (!event)
		return musaErrorInvalidResourceHandle;
	if (rt_handles_find(&rt_events, event, dev))
		return musaSuccess;
	e = rt_init();
	if (e != musaSuccess)
		return e;
	/* Not made by the runtime: ask the driver whether it is a live event
	 * (a query changes nothing). Its device is taken as the current one. */
	r = muEventQuery((MUevent)event);
	if (r == MUSA_ERROR_INVALID_HANDLE)
		return musaErrorInvalidResourceHandle;
	*dev = rt_current_device();
	return musaSuccess;
}

musaError_t rt_event_enter(musaEvent_t event, int *dev)
{
	musaError_t e = rt_event_lookup(event, dev);

	if (e != musaSuccess)
		return e;
	return rt_dev_enter(*dev);
}

/* Hands out a driver event that the runtime created or opened on `dev`
 * (r the driver's result), registered with its device; one that cannot be
 * registered is destroyed. */
static musaError_t rt_event_adopt(MUresult r, MUevent ev, int dev, musaEvent_t *event)
{
	if (r != MUSA_SUCCESS)
		return rt_dev_result(dev, r);
	if (rt_handles_add(&rt_events, ev, dev) != 0) {
		muEventDestroy(ev);
		return musaErrorMemoryAllocation;
	}
	*event = (musaEvent_t)ev;
	return musaSuccess;
}

MUSART_API musaError_t musaEventCreateWithFlags(musaEvent_t *event, unsigned int flags)
{
	MUevent ev;
	MUresult r;
	musaError_t e;
	int dev;

	CHECK(!event || (flags & ~(unsigned int)RT_EVENT_FLAGS), rt_ret(musaErrorInvalidValue));
	/* An interprocess event cannot carry timestamps (as in CUDA). */
	CHECK((flags & musaEventInterprocess) && !(flags & musaEventDisableTiming),
	      rt_ret(musaErrorInvalidValue));
	e = rt_cur_enter(&dev);
	if (e != musaSuccess)
		return rt_ret(e);
	r = muEventCreate(&ev, flags);
	return rt_ret(rt_event_adopt(r, ev, dev, event));
}

MUSART_API musaError_t musaEventCreate(musaEvent_t *event)
{
	return musaEventCreateWithFlags(event, musaEventDefault);
}

static musaError_t rt_event_record(musaEvent_t event, musaStream_t stream, unsigned int flags)
{
	MUstream s;
	int dev;
	musaError_t e;

	CHECK(flags & ~(unsigned int)musaEventRecordExternal, musaErrorInvalidValue);
	e = rt_event_enter(event, &dev);
	if (e != musaSuccess)
		return e;
	e = rt_stream_resolve(stream, dev, &s);
	if (e != musaSuccess)
		return e;
	return rt_dev_result(dev, muEventRecordWithFlags((MUevent)event, s, flags));
}

MUSART_API musaError_t musaEventRecord(musaEvent_t event, musaStream_t stream)
{
	return rt_ret(rt_event_record(event, stream, 0));
}

MUSART_API musaError_t musaEventRecordWithFlags(musaEvent_t event, musaStream_t stream,
						unsigned int flags)
{
	return rt_ret(rt_event_record(event, stream, flags));
}

MUSART_API musaError_t musaEventElapsedTime(float *ms, musaEvent_t start, musaEvent_t end)
{
	int dev, dev_end;
	float v;
	MUresult r;
	musaError_t e;

	CHECK(!ms, rt_ret(musaErrorInvalidValue));
	e = rt_event_lookup(end, &dev_end);
	if (e != musaSuccess)
		return rt_ret(e);
	e = rt_event_enter(start, &dev);
	if (e != musaSuccess)
		return rt_ret(e);
	if (dev != dev_end)
		return rt_ret(musaErrorInvalidResourceHandle);
	/* The driver refuses events of two contexts (INVALID_HANDLE). */
	r = muEventElapsedTime(&v, (MUevent)start, (MUevent)end);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_dev_result(dev, r));
	*ms = v;
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaEventDestroy(musaEvent_t event)
{
	int dev;
	musaError_t e = rt_event_enter(event, &dev);

	if (e != musaSuccess)
		return rt_ret(e);
	/* A runtime event: whoever removes it first destroys it. */
	if (!rt_handles_remove(&rt_events, event, NULL) &&
	    rt_handles_find(&rt_events, event, NULL))
		return rt_ret(musaErrorInvalidResourceHandle);
	return rt_ret(rt_dev_result(dev, muEventDestroy((MUevent)event)));
}

MUSART_API musaError_t musaIpcGetEventHandle(musaIpcEventHandle_t *handle, musaEvent_t event)
{
	int dev;
	musaError_t e;

	CHECK(!handle, rt_ret(musaErrorInvalidValue));
	e = rt_event_enter(event, &dev);
	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muIpcGetEventHandle((MUipcEventHandle *)(void *)handle,
							      (MUevent)event)));
}

MUSART_API musaError_t musaIpcOpenEventHandle(musaEvent_t *event, musaIpcEventHandle_t handle)
{
	MUipcEventHandle h;
	MUevent ev;
	MUresult r;
	musaError_t e;
	int dev;

	CHECK(!event, rt_ret(musaErrorInvalidValue));
	e = rt_cur_enter(&dev);
	if (e != musaSuccess)
		return rt_ret(e);
	memcpy(h.reserved, handle.reserved, sizeof(h.reserved));
	r = muIpcOpenEventHandle(&ev, h);
	return rt_ret(rt_event_adopt(r, ev, dev, event));
}
