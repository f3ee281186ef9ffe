/* SPDX-License-Identifier: MIT */
/*
 * stream.c - runtime streams. A musaStream_t is the driver's MUstream of
 * the device's primary context; the runtime records which device each
 * belongs to (handles.c) so stale handles are rejected. NULL and
 * musaStreamLegacy name the legacy default stream of the current device.
 * Calls the driver's stream functions and device.c.
 */
#include "rt.h"

musaError_t rt_stream_resolve(musaStream_t stream, int dev, MUstream *out)
{
	int owner;

	if (!stream) {
		*out = NULL;
		return musaSuccess;
	}
	if (stream == musaStreamLegacy) {
		*out = MU_STREAM_LEGACY;
		return musaSuccess;
	}
	if (!rt_handles_find(&rt_streams, stream, &owner) || owner != dev)
		return musaErrorInvalidResourceHandle;
	*out = (MUstream)stream;
	return musaSuccess;
}

/* The device whose context a stream operation runs in. */
static musaError_t rt_stream_enter(musaStream_t stream, int *dev, MUstream *mu)
{
	musaError_t e;

	if (!stream || stream == musaStreamLegacy)
		*dev = rt_current_device();
	else if (!rt_handles_find(&rt_streams, stream, dev))
		return musaErrorInvalidResourceHandle;
	e = rt_dev_enter(*dev);
	if (e != musaSuccess)
		return e;
	return rt_stream_resolve(stream, *dev, mu);
}

MUSART_API musaError_t musaStreamCreateWithFlags(musaStream_t *pStream, unsigned int flags)
{
	MUstream s;
	MUresult r;
	musaError_t e;
	int dev;

	if (!pStream || (flags & ~(unsigned int)(musaStreamDefault | musaStreamNonBlocking)))
		return rt_ret(musaErrorInvalidValue);
	e = rt_cur_enter(&dev);
	if (e != musaSuccess)
		return rt_ret(e);
	r = muStreamCreate(&s, flags);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_dev_result(dev, r));
	if (rt_handles_add(&rt_streams, s, dev) != 0) {
		muStreamDestroy(s);
		return rt_ret(musaErrorMemoryAllocation);
	}
	*pStream = (musaStream_t)s;
	return musaSuccess;
}

MUSART_API musaError_t musaStreamCreate(musaStream_t *pStream)
{
	return musaStreamCreateWithFlags(pStream, musaStreamDefault);
}

MUSART_API musaError_t musaStreamDestroy(musaStream_t stream)
{
	musaError_t e;
	int dev;

	/* The default streams belong to the context and cannot be destroyed. */
	if (!stream || stream == musaStreamLegacy)
		return rt_ret(musaErrorInvalidResourceHandle);
	if (!rt_handles_find(&rt_streams, stream, &dev))
		return rt_ret(musaErrorInvalidResourceHandle);
	e = rt_dev_enter(dev);
	if (e != musaSuccess)
		return rt_ret(e);
	/* Whoever removes it first destroys it; a racing second destroy fails. */
	if (!rt_handles_remove(&rt_streams, stream, NULL))
		return rt_ret(musaErrorInvalidResourceHandle);
	return rt_ret(rt_dev_result(dev, muStreamDestroy((MUstream)stream)));
}

MUSART_API musaError_t musaStreamSynchronize(musaStream_t stream)
{
	MUstream s;
	int dev;
	musaError_t e = rt_stream_enter(stream, &dev, &s);

	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muStreamSynchronize(s)));
}

MUSART_API musaError_t musaStreamQuery(musaStream_t stream)
{
	MUstream s;
	int dev;
	musaError_t e = rt_stream_enter(stream, &dev, &s);

	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muStreamQuery(s)));
}

MUSART_API musaError_t musaStreamWaitEvent(musaStream_t stream, musaEvent_t event,
                                          unsigned int flags)
{
	MUstream s;
	int dev, edev;
	musaError_t e;

	if (flags != 0)
		return rt_ret(musaErrorInvalidValue);
	if (!event || !rt_handles_find(&rt_events, event, &edev))
		return rt_ret(musaErrorInvalidResourceHandle);
	e = rt_stream_enter(stream, &dev, &s);
	if (e != musaSuccess)
		return rt_ret(e);
	/* A wait on another device's event would need peer syncobjs, which the
	 * software devices do not share. */
	if (edev != dev)
		return rt_ret(musaErrorInvalidResourceHandle);
	return rt_ret(rt_dev_result(dev, muStreamWaitEvent(s, (MUevent)event, 0)));
}
