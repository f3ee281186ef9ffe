/* SPDX-License-Identifier: MIT */
/*
 * stream.c - runtime streams. A musaStream_t is the driver's MUstream of
 * the device's primary context; the runtime records which device each
 * belongs to (handles.c). Streams made with the driver API are accepted too:
 * the driver tells their device (muStreamGetDevice) and rejects destroyed
 * or made-up handles. NULL and musaStreamLegacy name the legacy default
 * stream of the current device, musaStreamPerThread the calling thread's
 * per-thread default stream. Host functions and callbacks run on a driver
 * thread in stream order (muLaunchHostFunc / muStreamAddCallback).
 * musaStreamSynchronize and musaStreamQuery are generated in forward.c on
 * rt_stream_enter.
 * Calls the driver's stream functions and device.c.
 */
#include <stdlib.h>

#include "rt.h"

static int rt_stream_is_default(musaStream_t stream)
{
	return !stream || stream == musaStreamLegacy || stream == musaStreamPerThread;
}

/* The device of a stream that is not a default stream, or an error. */
static musaError_t rt_stream_owner(musaStream_t stream, int *dev)
{
	MUdevice d;

	if (rt_handles_find(&rt_streams, stream, dev))
		return musaSuccess;
	/* Not ours: a stream of the driver API (validated by the driver). */
	if (!rt_initialized() || muStreamGetDevice((MUstream)stream, &d) != MUSA_SUCCESS)
		return musaErrorInvalidResourceHandle;
	*dev = (int)d;
	return musaSuccess;
}

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
	if (stream == musaStreamPerThread) {
		*out = MU_STREAM_PER_THREAD;
		return musaSuccess;
	}
	if (rt_stream_owner(stream, &owner) != musaSuccess || owner != dev)
		return musaErrorInvalidResourceHandle;
	*out = (MUstream)stream;
	return musaSuccess;
}

musaError_t rt_cur_enter_stream(musaStream_t stream, int async, int *dev, MUstream *s)
{
	musaError_t e = rt_cur_enter(dev);

	*s = NULL;
	if (e == musaSuccess && async)
		e = rt_stream_resolve(stream, *dev, s);
	return e;
}

musaError_t rt_stream_enter(musaStream_t stream, int *dev, MUstream *mu)
{
	musaError_t e;

	if (rt_stream_is_default(stream)) {
		*dev = rt_current_device();
	} else {
		e = rt_init();
		if (e != musaSuccess)
			return e;
		e = rt_stream_owner(stream, dev);
		if (e != musaSuccess)
			return e;
	}
	e = rt_dev_enter(*dev);
	if (e != musaSuccess)
		return e;
	return rt_stream_resolve(stream, *dev, mu);
}

MUSART_API musaError_t musaStreamCreateWithPriority(musaStream_t *pStream, unsigned int flags,
						    int priority)
{
	MUstream s;
	MUresult r;
	musaError_t e;
	int dev;

	CHECK(!pStream || (flags & ~(unsigned int)(musaStreamDefault | musaStreamNonBlocking)),
	      rt_ret(musaErrorInvalidValue));
	e = rt_cur_enter(&dev);
	if (e != musaSuccess)
		return rt_ret(e);
	r = muStreamCreateWithPriority(&s, flags, priority);
	if (r != MUSA_SUCCESS)
		return rt_ret(rt_dev_result(dev, r));
	if (rt_handles_add(&rt_streams, s, dev) != 0) {
		muStreamDestroy(s);
		return rt_ret(musaErrorMemoryAllocation);
	}
	*pStream = (musaStream_t)s;
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaStreamCreateWithFlags(musaStream_t *pStream, unsigned int flags)
{
	return musaStreamCreateWithPriority(pStream, flags, 0);
}

MUSART_API musaError_t musaStreamCreate(musaStream_t *pStream)
{
	return musaStreamCreateWithPriority(pStream, musaStreamDefault, 0);
}

MUSART_API musaError_t musaDeviceGetStreamPriorityRange(int *leastPriority, int *greatestPriority)
{
	musaError_t e;
	int dev;

	e = rt_cur_enter(&dev);
	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_err(muCtxGetStreamPriorityRange(leastPriority, greatestPriority)));
}

MUSART_API musaError_t musaStreamDestroy(musaStream_t stream)
{
	musaError_t e;
	int dev;

	/* The default streams belong to the context and cannot be destroyed. */
	if (rt_stream_is_default(stream))
		return rt_ret(musaErrorInvalidResourceHandle);
	e = rt_init();
	if (e != musaSuccess)
		return rt_ret(e);
	if (!rt_handles_find(&rt_streams, stream, &dev)) {
		MUdevice d;

		/* A driver-API stream: the driver validates and destroys it. */
		if (muStreamGetDevice((MUstream)stream, &d) != MUSA_SUCCESS)
			return rt_ret(musaErrorInvalidResourceHandle);
		e = rt_dev_enter((int)d);
		if (e != musaSuccess)
			return rt_ret(e);
		return rt_ret(rt_dev_result((int)d, muStreamDestroy((MUstream)stream)));
	}
	e = rt_dev_enter(dev);
	if (e != musaSuccess)
		return rt_ret(e);
	/* Whoever removes it first destroys it; a racing second destroy fails. */
	if (!rt_handles_remove(&rt_streams, stream, NULL))
		return rt_ret(musaErrorInvalidResourceHandle);
	return rt_ret(rt_dev_result(dev, muStreamDestroy((MUstream)stream)));
}

MUSART_API musaError_t musaStreamWaitEvent(musaStream_t stream, musaEvent_t event,
                                          unsigned int flags)
{
	MUstream s;
	int dev, edev;
	musaError_t e;

	CHECK(flags != musaEventWaitDefault, rt_ret(musaErrorInvalidValue));
	e = rt_stream_enter(stream, &dev, &s);
	if (e != musaSuccess)
		return rt_ret(e);
	e = rt_event_lookup(event, &edev);
	if (e != musaSuccess)
		return rt_ret(e);
	/* Events of another device are waited for by the driver (on the host
	 * when their contexts differ). */
	return rt_ret(rt_dev_result(dev, muStreamWaitEvent(s, (MUevent)event, 0)));
}

MUSART_API musaError_t musaStreamGetPriority(musaStream_t stream, int *priority)
{
	MUstream s;
	int dev;
	musaError_t e = rt_stream_enter(stream, &dev, &s);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!priority, rt_ret(musaErrorInvalidValue));
	return rt_ret(rt_err(muStreamGetPriority(s, priority)));
}

MUSART_API musaError_t musaStreamGetFlags(musaStream_t stream, unsigned int *flags)
{
	MUstream s;
	int dev;
	musaError_t e = rt_stream_enter(stream, &dev, &s);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!flags, rt_ret(musaErrorInvalidValue));
	return rt_ret(rt_err(muStreamGetFlags(s, flags)));
}

MUSART_API musaError_t musaStreamGetId(musaStream_t stream, unsigned long long *streamId)
{
	MUstream s;
	int dev;
	musaError_t e = rt_stream_enter(stream, &dev, &s);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!streamId, rt_ret(musaErrorInvalidValue));
	return rt_ret(rt_err(muStreamGetId(s, streamId)));
}

MUSART_API musaError_t musaStreamGetDevice(musaStream_t stream, int *device)
{
	MUstream s;
	int dev;
	musaError_t e = rt_stream_enter(stream, &dev, &s);

	if (e != musaSuccess)
		return rt_ret(e);
	CHECK(!device, rt_ret(musaErrorInvalidValue));
	*device = dev;
	return rt_ret(musaSuccess);
}

/* A callback's runtime view: the handle it was given and its user data. */
struct rt_callback {
	musaStreamCallback_t fn;
	musaStream_t stream;
	void *data;
};

static void rt_callback_run(MUstream hStream, MUresult status, void *arg)
{
	struct rt_callback *c = arg;

	(void)hStream;
	c->fn(c->stream, status == MUSA_SUCCESS ? musaSuccess : rt_err(status), c->data);
	free(c);
}

MUSART_API musaError_t musaStreamAddCallback(musaStream_t stream, musaStreamCallback_t callback,
					     void *userData, unsigned int flags)
{
	struct rt_callback *c;
	MUstream s;
	MUresult r;
	int dev;
	musaError_t e;

	CHECK(!callback || flags != 0, rt_ret(musaErrorInvalidValue));
	e = rt_stream_enter(stream, &dev, &s);
	if (e != musaSuccess)
		return rt_ret(e);
	c = malloc(sizeof(*c));
	if (!c)
		return rt_ret(musaErrorMemoryAllocation);
	c->fn = callback;
	c->stream = stream;
	c->data = userData;
	r = muStreamAddCallback(s, rt_callback_run, c, 0);
	if (r != MUSA_SUCCESS) {
		free(c);
		return rt_ret(rt_dev_result(dev, r));
	}
	return rt_ret(musaSuccess);
}

MUSART_API musaError_t musaLaunchHostFunc(musaStream_t stream, musaHostFn_t fn, void *userData)
{
	MUstream s;
	int dev;
	musaError_t e;

	CHECK(!fn, rt_ret(musaErrorInvalidValue));
	e = rt_stream_enter(stream, &dev, &s);
	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muLaunchHostFunc(s, fn, userData)));
}

MUSART_API musaError_t musaStreamAttachMemAsync(musaStream_t stream, void *devPtr, size_t length,
						unsigned int flags)
{
	MUstream s;
	int dev;
	musaError_t e;

	CHECK(flags != musaMemAttachGlobal && flags != musaMemAttachHost &&
	      flags != musaMemAttachSingle, rt_ret(musaErrorInvalidValue));
	CHECK(!devPtr, rt_ret(musaErrorInvalidValue));
	e = rt_stream_enter(stream, &dev, &s);
	if (e != musaSuccess)
		return rt_ret(e);
	return rt_ret(rt_dev_result(dev, muStreamAttachMemAsync(s, (MUdeviceptr)(uintptr_t)devPtr,
								 length, flags)));
}
