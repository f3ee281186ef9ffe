/* SPDX-License-Identifier: MIT */
/*
 * rt.h - private interfaces shared by the files of libmusart.
 *
 * libmusart sits on the public driver API of musa.h and nothing else: no
 * uapi header, no ioctl. Each public entry point does its work in a helper
 * returning musaError_t and hands the result to rt_ret(), which records
 * failures as the calling thread's last error.
 */
#ifndef RT_H
#define RT_H

#include <pthread.h>
#include <stdint.h>

#include "musa.h"
#include "musa_log.h"
#include "musa_runtime_api.h"

#define MUSART_API __attribute__((visibility("default")))

/* Logging (MUSA_LOG=debug or debug:runtime; lib/log/musa_log.h) */
void rt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Whether MUSA_LOG=debug is set (read once), so that callers skip building
 * a message on the common path. */
int rt_log_enabled(void);

/* Errors (error.c) */
/* The one MUresult -> musaError_t translation. */
musaError_t rt_err(MUresult r);
/* Records a failure as the thread's last error; returns e unchanged. With
 * MUSA_LOG=debug it traces the calling API function's name and result. */
musaError_t rt_ret_fn(musaError_t e, const char *fn);
#define rt_ret(e) rt_ret_fn((e), __func__)
/* Whether a driver result is a device fault that makes the device's errors sticky. */
int rt_err_is_fault(MUresult r);

/* Initialization (init.c) */
/* Initializes the driver once per process; returns the cached outcome. */
musaError_t rt_init(void);
/* Whether rt_init() already succeeded; never initializes. */
/* The process is exiting (exit() or a return from main has begun). */
int rt_process_exiting(void);
int rt_initialized(void);
/* Number of devices; valid after rt_init() succeeded. */
int rt_device_count(void);

/* Devices and primary contexts (device.c) */
/* Device limits the launch path validates against (cached per device). */
struct rt_limits {
	int max_threads_per_block;
	int max_block[3];
	int max_grid[3];
	int max_shared_per_block;
	int arch;  /* major * 10 + minor */
};

/* The calling thread's current device (0 until musaSetDevice). */
int rt_current_device(void);
/* Initializes the runtime, retains the device's primary context and makes it
 * current on this thread. Returns the device's sticky error, if any. */
musaError_t rt_dev_enter(int dev);
/* Initializes the runtime and checks a device ordinal (musaErrorInvalidDevice). */
musaError_t rt_dev_valid(int dev);
/* rt_dev_enter() for the calling thread's current device; *dev receives it. */
musaError_t rt_cur_enter(int *dev);
/* Translates a driver result for work on `dev`, making a fault sticky. */
musaError_t rt_dev_result(int dev, MUresult r);
/* Generation of the device's primary context: bumped by musaDeviceReset, so
 * caches of modules and functions know when they went stale. */
unsigned int rt_dev_generation(int dev);
musaError_t rt_dev_limits(int dev, struct rt_limits *out);
/* The sticky error of a device (musaSuccess if none). */
musaError_t rt_dev_sticky(int dev);

/* Handle registries (handles.c) */
/* Streams and events the runtime created, with their device, so that a stale
 * or foreign handle is rejected before it reaches the driver. */
struct rt_handle_set;
extern struct rt_handle_set rt_streams;
extern struct rt_handle_set rt_events;

int rt_handles_add(struct rt_handle_set *set, const void *h, int dev);
/* 1 and *dev when h is registered; 0 otherwise. */
int rt_handles_find(struct rt_handle_set *set, const void *h, int *dev);
/* Removes h; 1 when it was registered. */
int rt_handles_remove(struct rt_handle_set *set, const void *h, int *dev);
/* Forgets every handle of a device (its context was reset). */
void rt_handles_drop_device(struct rt_handle_set *set, int dev);

/* Streams (stream.c) */
/* Resolves a runtime stream for work on `dev`: NULL and musaStreamLegacy are
 * the legacy default stream, others must be live streams of `dev`. */
musaError_t rt_stream_resolve(musaStream_t stream, int dev, MUstream *out);
/* rt_cur_enter() for a call that may be async (copies, sets): with async, *s
 * is the stream resolved on the current device, else NULL. */
musaError_t rt_cur_enter_stream(musaStream_t stream, int async, int *dev, MUstream *s);
/* The stream a _ptsz entry point means: NULL is the per-thread default
 * stream (str_ptsz.c). */
musaStream_t rt_per_thread_stream(musaStream_t s);

/* Registration (register.c) */
/* The driver function behind a registered host stub on `dev`, loading the
 * fat binary's module for the device on first use. */
musaError_t rt_function_get(const void *host_fun, int dev, MUfunction *out);
/* A registered variable on a device (register.c): its device address and
 * size, loading its fat binary's module on first use. The host shadow of a
 * __managed__ variable is its address. Unknown: musaErrorInvalidSymbol. */
struct rt_symbol {
	MUdeviceptr addr;
	size_t size;
	int managed;
};
musaError_t rt_symbol_get(const void *symbol, int dev, struct rt_symbol *out);
/* Drops the cached modules and functions of a device after a reset. */
void rt_register_forget_device(int dev);

/* Retains the device's primary context (once per process) without making
 * it current; *out the context. */
musaError_t rt_dev_retain(int dev, MUcontext *out);
/* Device flags as musaSetDeviceFlags checks them; musaErrorInvalidValue
 * for unknown bits or a bad scheduling value (dev_mgmt.c). */
musaError_t rt_dev_flags_check(unsigned int flags);

/* memory.c: checks a copy's pointers against its kind (musaMemcpyDefault
 * is resolved) and gives the driver memory type of each side: HOST,
 * DEVICE, or UNIFIED for pinned and managed memory. */
musaError_t rt_mem_sides(const void *dst, const void *src, enum musaMemcpyKind *kind,
                         MUmemorytype *dtype, MUmemorytype *stype);
/* memory.c: musaMalloc (pitch NULL: width bytes) and musaMallocPitch
 * (pitch given: height rows of width bytes) on the current device, once the
 * caller checked its pointers; nothing (NULL) when width or height is 0. */
musaError_t rt_mem_alloc(void **devPtr, size_t *pitch, size_t width, size_t height);
/* memory.c: the driver's copy of `kind` (musaMemcpyHostToHost: the unified
 * copy, which takes any side), synchronous or on `stream` (async). */
MUresult rt_mem_copy_driver(void *dst, const void *src, size_t count, enum musaMemcpyKind kind,
                            MUstream stream, int async);
/* Whether p is device or managed memory (of any device). */
int rt_mem_is_device(const void *p);

/* The device of an event (runtime-made, or a live driver event: then the
 * current device); NULL, destroyed or made-up -> InvalidResourceHandle. */
musaError_t rt_event_lookup(musaEvent_t event, int *dev);
/* rt_event_lookup() and rt_dev_enter() of the event's device (event.c). */
musaError_t rt_event_enter(musaEvent_t event, int *dev);
/* The device whose context a stream operation runs in, entered, and the
 * driver stream (stream.c): the runtime initialized first, then the
 * stream's owner device, or the current device for the default streams. */
musaError_t rt_stream_enter(musaStream_t stream, int *dev, MUstream *mu);
/* The device and driver stream of a graph launch or a capture call
 * (graph.c): the default streams on the current device, others by the
 * registry of runtime streams. */
musaError_t rt_graph_stream_enter(musaStream_t stream, int *dev, MUstream *out);

/* array.c: a channel descriptor as a driver format and channel count
 * (musaErrorInvalidChannelDescriptor when no array may have it), and back. */
musaError_t rt_channel_to_format(const struct musaChannelFormatDesc *d, MUarray_format *format,
                                 unsigned int *channels);
void rt_format_to_channel(MUarray_format format, unsigned int channels,
                          struct musaChannelFormatDesc *d);
/* array.c: musaMemcpy3D(Async) with an array side. */
musaError_t rt_array_copy3d(const struct musaMemcpy3DParms *p, musaStream_t stream, int async);
/* texture.c: runtime descriptions as the driver's (channel descriptors that
 * no array may have: musaErrorInvalidChannelDescriptor). */
musaError_t rt_res_to_driver(const struct musaResourceDesc *in, MUSA_RESOURCE_DESC *out);
musaError_t rt_tex_to_driver(const struct musaTextureDesc *in, MUSA_TEXTURE_DESC *out);

#endif /* RT_H */
