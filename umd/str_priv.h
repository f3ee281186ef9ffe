/* SPDX-License-Identifier: MIT */
/*
 * str_priv.h - interfaces shared by the stream and event files of libmusa
 * (stream.c, event.c, hostfn.c, str_ext.c, str_ipc.c) and nothing else.
 *
 * Streams and events carry extra state (stream ids, the per-thread default
 * stream's owner, host-function workers, interprocess pages) in side tables
 * keyed by the object's address, so struct MUstream_st / MUevent_st keep
 * their layout.
 */
#ifndef UMD_STR_PRIV_H
#define UMD_STR_PRIV_H

#include "umd.h"

/* ---- stream lookups (stream.c) --------------------------------------------- */
/* The stream a call names (NULL, MU_STREAM_LEGACY, MU_STREAM_PER_THREAD: the
 * current context's); fails with the context's sticky error. */
MUresult umd_stream_lookup(MUstream h, struct MUstream_st **out);
/* As umd_stream_lookup, ignoring a sticky error (queries of attributes). */
MUresult umd_stream_peek(MUstream h, struct MUstream_st **out);

/* ---- host functions (hostfn.c) -------------------------------------------- */
/* A host-function job: fn(data), or cb(handle, status, data). */
struct umd_hf_call {
	void (*fn)(void *data);
	void (*cb)(MUstream handle, MUresult status, void *data);
	MUstream handle;   /* what cb is given as its stream */
	void *data;
};

/* Queues a call on s in stream order; ctx->lock held. */
MUresult umd_hf_queue_locked(struct MUstream_st *s, const struct umd_hf_call *c);
/* The stream goes away: its worker (if any) finishes the queued calls and
 * exits by itself; in teardown (ctx->closing) it is stopped and joined.
 * ctx->lock held. */
void umd_hf_stream_gone(MUcontext ctx, struct MUstream_st *s);
/* Teardown of a context: stops and joins every worker still serving it.
 * ctx->lock held; workers never take it. */
void umd_hf_ctx_gone(MUcontext ctx);

/* ---- stream side table (str_ext.c) ------------------------------------------ */
/* Unique id of a stream (assigned on first request); 0 when out of memory. */
unsigned long long umd_sx_id(const struct MUstream_st *s);
/* Forgets a stream's side entry (and its per-thread ownership). */
void umd_sx_forget(const struct MUstream_st *s);
/* The calling thread's per-thread default stream of ctx, created on first
 * use. */
MUresult umd_sx_per_thread(MUcontext ctx, struct MUstream_st **out);
/* Whether s is some thread's per-thread default stream (it cannot be
 * destroyed by the user). */
int umd_sx_is_per_thread(const struct MUstream_st *s);
/* A destroyed stream's queue still running work: destroyed once its last
 * point passed (umd_sx_reap) or with the context. ctx->lock held. */
void umd_sx_defer_queue(MUcontext ctx, uint32_t queue, uint32_t syncobj, uint64_t point);
/* Destroys the deferred queues of ctx whose work is done. Takes ctx->lock. */
void umd_sx_reap(MUcontext ctx);
/* Teardown: forgets the deferred queues of ctx (the fd takes them). */
void umd_sx_ctx_gone(MUcontext ctx);

/* ---- interprocess events (str_ipc.c) --------------------------------------- */
/* Shared state of an interprocess event, or NULL for a plain event. */
struct umd_ipc_page;
struct umd_ipc_page *umd_ipc_of(const struct MUevent_st *e);
/* Makes the shared page of a new MU_EVENT_INTERPROCESS event. */
int umd_ipc_create(struct MUevent_st *e);
/* Drops the event's page (event release). */
void umd_ipc_forget(const struct MUevent_st *e);
/* Record on stream s: bumps the record count and queues the completion.
 * ctx->lock held. */
MUresult umd_ipc_record_locked(struct MUevent_st *e, struct MUstream_st *s);
/* Query / synchronize / stream wait on an interprocess event. */
MUresult umd_ipc_query(struct umd_ipc_page *pg);
MUresult umd_ipc_sync(MUcontext ctx, struct umd_ipc_page *pg);
MUresult umd_ipc_stream_wait(struct MUstream_st *s, struct umd_ipc_page *pg);

#endif /* UMD_STR_PRIV_H */
