/* SPDX-License-Identifier: MIT */
/*
 * event.c - runtime events. A musaEvent_t is the driver's MUevent of the
 * primary context of the device that was current at creation; the runtime
 * records the device (handles.c) so stale handles are rejected. Calls the
 * driver's event functions, device.c and stream.c.
 */
#include "rt.h"

#define RT_EVENT_FLAGS (musaEventBlockingSync | musaEventDisableTiming | musaEventInterprocess)

static musaError_t rt_event_enter(musaEvent_t event, int *dev)
{
	if (!event || !rt_handles_find(&rt_events, event, dev))
		return musaErrorInvalidResourceHandle;
	return rt_dev_enter(*dev);
}

MUSART_API musaError_t musaEventCreateWithFlags(musaEvent_t *event, unsigned int flags)
{
	MUevent ev;
	MUresult r;
	musaError_t e;
	int dev;

	if (!event || (flags & ~(unsigned int)RT_EVENT_FLAGS))
		return rt_ret(musaErrorInvalidValue);
	/* An interprocess event cannot carry timestamps (as in CUDA). */
	if ((flags & musaEventInterprocess) && !(flags & musaEventDisableTiming))
		return rt_ret(musaErrorInvalidValue);
	e = rt_cur_enter(&dev);
	if (e != musaSuccess)
		return rt_ret(e);
	r = muEventCreate(&ev, flags);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_dev_result(dev, r));
	if (rt_handles_add(&rt_events, ev, dev) != 0) {
		muEventDestroy(ev);
		return rt_ret(musaErrorMemoryAllocation);
	}
	*event = (musaEvent_t)ev;
	return musaSuccess;
}

MUSART_API musaError_t musaEventCreate(musaEvent_t *event)
{
	return musaEventCreateWithFlags(event, musaEventDefault);
}

MUSART_API musaError_t musaEventRecord(musaEvent_t event, musaStream_t stream)
{
	MUstream s;
	int dev;
	musaError_t e = rt_event_enter(event, &dev);

	if (e != musaSuccess)
		return rt_ret(e);
	e = rt_stream_resolve(stream, dev, &s);
	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muEventRecord((MUevent)event, s)));
}

MUSART_API musaError_t musaEventQuery(musaEvent_t event)
{
	int dev;
	musaError_t e = rt_event_enter(event, &dev);

	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muEventQuery((MUevent)event)));
}

MUSART_API musaError_t musaEventSynchronize(musaEvent_t event)
{
	int dev;
	musaError_t e = rt_event_enter(event, &dev);

	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muEventSynchronize((MUevent)event)));
}

MUSART_API musaError_t musaEventElapsedTime(float *ms, musaEvent_t start, musaEvent_t end)
{
	int dev, dev_end;
	float v;
	MUresult r;
	musaError_t e;

	if (!ms)
		return rt_ret(musaErrorInvalidValue);
	if (!end || !rt_handles_find(&rt_events, end, &dev_end))
		return rt_ret(musaErrorInvalidResourceHandle);
	e = rt_event_enter(start, &dev);
	if (e != musaSuccess)
		return rt_ret(e);
	if (dev != dev_end)
		return rt_ret(musaErrorInvalidResourceHandle);
	r = muEventElapsedTime(&v, (MUevent)start, (MUevent)end);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_dev_result(dev, r));
	*ms = v;
	return musaSuccess;
}

MUSART_API musaError_t musaEventDestroy(musaEvent_t event)
{
	int dev;
	musaError_t e = rt_event_enter(event, &dev);

	if (e != musaSuccess)
		return rt_ret(e);
	if (!rt_handles_remove(&rt_events, event, NULL))
		return rt_ret(musaErrorInvalidResourceHandle);
	return rt_ret(rt_dev_result(dev, muEventDestroy((MUevent)event)));
}
