/* SPDX-License-Identifier: MIT */
/*
 * stream_private.h - interfaces shared by the stream and event files of
 * libmusa (stream.c, event.c, hostfn.c, event_ipc.c) and nothing else.
 */
#ifndef UMD_STREAM_PRIVATE_H
#define UMD_STREAM_PRIVATE_H

#include "umd.h"

/* Drops a reference to an event (umd_handle_get took it). */
void umd_event_put(struct MUevent_st *e);

/* Host functions (hostfn.c). */
/* A host-function job: fn(data), or cb(handle, status, data). */
struct umd_hostfn_call {
	void (*fn)(void *data);
	void (*cb)(MUstream handle, MUresult status, void *data);
	MUstream handle;   /* what cb is given as its stream */
	void *data;
};

/* Queues a call on s in stream order; ctx->lock held. */
MUresult umd_hostfn_queue_locked(struct MUstream_st *s, const struct umd_hostfn_call *c);
/* The stream goes away: its worker (if any) finishes the queued calls and
 * exits by itself; in teardown (ctx->closing) umd_hostfn_ctx_gone stops
 * it. ctx->lock held. */
void umd_hostfn_stream_gone(MUcontext ctx, struct MUstream_st *s);

/* Interprocess events (event_ipc.c). */
/* Makes the shared page of a new MU_EVENT_INTERPROCESS event (e->ipc). */
int umd_event_ipc_create(struct MUevent_st *e);
/* The event is destroyed: its handles no longer open anything. */
void umd_event_ipc_revoke(struct MUevent_st *e);
/* Drops the event's reference to its page (its last put). */
void umd_event_ipc_page_put(struct umd_event_ipc_page *pg);
/* Record on stream s: bumps the record count and queues the completion.
 * ctx->lock held. */
MUresult umd_event_ipc_record_locked(struct MUevent_st *e, struct MUstream_st *s);
/* Query / synchronize / stream wait on an interprocess event. */
MUresult umd_event_ipc_query(struct umd_event_ipc_page *pg);
MUresult umd_event_ipc_sync(MUcontext ctx, struct umd_event_ipc_page *pg);
MUresult umd_event_ipc_stream_wait(struct MUstream_st *s, struct umd_event_ipc_page *pg);

#endif /* UMD_STREAM_PRIVATE_H */
