/* SPDX-License-Identifier: MIT */
/*
 * capture.c - stream capture (muStreamBeginCapture ... muStreamEndCapture):
 * work queued on a capturing stream becomes graph nodes instead of running.
 *
 * A capture sequence owns the graph being built. Each stream taking part
 * (the origin, and streams that joined by waiting on an event recorded in
 * the capture) has a frontier: the nodes the next captured operation
 * depends on. An event recorded in a capturing stream keeps a copy of that
 * stream's frontier; a stream waiting on it adds those nodes to its own
 * frontier, or joins the capture with them. At the end every joined stream
 * must have been joined back: its frontier must be among the ancestors of
 * the origin's frontier (else STREAM_CAPTURE_UNJOINED).
 *
 * A stream or event taking part points at its record (s->capture,
 * e->capture); the records are also listed, all under one lock, for the
 * checks that look at every capture (unsafe calls, the legacy stream's
 * status, the end of a capture). Entry points reach them through the
 * umd_capture_* hooks of umd.h, which return at once (one atomic load)
 * while nothing is being captured; a stream or event going away leaves its
 * capture through them (a stream's departure invalidates the capture).
 * May call: graph.c, handle.c, stream.c.
 */
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "musa_log.h"

struct umd_capture {
	MUgraph graph;               /* NULL once handed out or destroyed */
	MUcontext ctx;
	unsigned long long id;
	MUstreamCaptureMode mode;
	pthread_t thread;            /* the thread that began it */
	struct MUstream_st *origin;
	int invalid;
	int ended;
	unsigned int refs;           /* streams and events referring to it */
};

/* A stream taking part in a capture. */
struct umd_capture_stream {
	struct umd_list link;
	struct MUstream_st *s;
	struct umd_capture *cap;
	struct umd_gedges front;
};

/* An event last recorded in a capturing stream. */
struct umd_capture_event {
	struct umd_list link;
	MUevent e;
	struct umd_capture *cap;
	struct umd_gedges front;
};

static pthread_mutex_t umd_capture_lock = PTHREAD_MUTEX_INITIALIZER;
static struct umd_list umd_capture_streams = { &umd_capture_streams, &umd_capture_streams };
static struct umd_list umd_capture_events = { &umd_capture_events, &umd_capture_events };
static _Atomic unsigned int umd_capture_nstreams;
static _Atomic unsigned int umd_capture_nevents;
static unsigned long long umd_capture_next_id = 1;
static __thread MUstreamCaptureMode umd_capture_thread_mode = MU_STREAM_CAPTURE_MODE_GLOBAL;

static void umd_capture_put(struct umd_capture *cap)
{
	if (--cap->refs)
		return;
	if (cap->graph)
		umd_graph_free(cap->graph);
	free(cap);
}

/* What freeing a stream's or an event's record takes besides the record
 * itself: it leaves its list and the count, its front and its reference on
 * the capture go. Lock held, as for every record below. */
static void umd_capture_record_drop(struct umd_list *link, _Atomic unsigned int *count,
				    struct umd_gedges *front, struct umd_capture *cap)
{
	umd_list_del(link);
	atomic_fetch_sub(count, 1);
	free(front->v);
	umd_capture_put(cap);
}

static void umd_capture_stream_free(struct umd_capture_stream *cs)
{
	cs->s->capture = NULL;
	umd_capture_record_drop(&cs->link, &umd_capture_nstreams, &cs->front, cs->cap);
	free(cs);
}

static void umd_capture_event_free(struct umd_capture_event *ce)
{
	ce->e->capture = NULL;
	umd_capture_record_drop(&ce->link, &umd_capture_nevents, &ce->front, ce->cap);
	free(ce);
}

static MUresult umd_front_set(struct umd_gedges *dst, const MUgraphNode *v, size_t n)
{
	MUgraphNode *nv = NULL;

	if (n) {
		nv = malloc(n * sizeof(*nv));
		if (!nv)
			return MUSA_ERROR_OUT_OF_MEMORY;
		memcpy(nv, v, n * sizeof(*nv));
	}
	free(dst->v);
	dst->v = nv;
	dst->n = dst->cap = n;
	return MUSA_SUCCESS;
}

/* Adds the nodes of v not already in dst. */
static MUresult umd_front_merge(struct umd_gedges *dst, const MUgraphNode *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		MUresult r = umd_edges_has(dst, v[i]) ? MUSA_SUCCESS : umd_edges_add(dst, v[i]);

		if (r)
			return r;
	}
	return MUSA_SUCCESS;
}

/* Work on the legacy stream while blocking streams of its context capture:
 * their captures become invalid. 1 when there was such a capture. */
static int umd_capture_implicit(const struct MUstream_st *s)
{
	int hit = 0;

	if (!s->legacy)
		return 0;
	for (struct umd_list *l = umd_capture_streams.next; l != &umd_capture_streams;
	     l = l->next) {
		struct umd_capture_stream *cs =
			umd_container_of(l, struct umd_capture_stream, link);

		if (cs->s->ctx == s->ctx && !(cs->s->flags & MU_STREAM_NON_BLOCKING)) {
			cs->cap->invalid = 1;
			hit = 1;
		}
	}
	return hit;
}

/*
 * Decides what happens to an operation on s. Returns 0 (not capturing:
 * proceed), 1 (refused, *r set), or 2 with the lock held and *out the
 * stream's capture state: the caller adds its node and unlocks.
 */
static int umd_capture_enter(struct MUstream_st *s, struct umd_capture_stream **out, MUresult *r)
{
	struct umd_capture_stream *cs;

	if (!atomic_load(&umd_capture_nstreams))
		return 0;
	pthread_mutex_lock(&umd_capture_lock);
	if (umd_capture_implicit(s)) {
		pthread_mutex_unlock(&umd_capture_lock);
		*r = MUSA_ERROR_STREAM_CAPTURE_IMPLICIT;
		return 1;
	}
	cs = s->capture;
	if (!cs) {
		pthread_mutex_unlock(&umd_capture_lock);
		return 0;
	}
	if (cs->cap->invalid) {
		pthread_mutex_unlock(&umd_capture_lock);
		*r = MUSA_ERROR_STREAM_CAPTURE_INVALIDATED;
		return 1;
	}
	*out = cs;
	return 2;
}

/* Adds a node of `type` after the stream's frontier, which becomes that
 * node alone. Lock held. */
static MUresult umd_capture_node(struct umd_capture_stream *cs, MUgraphNodeType type,
				 MUgraphNode *out)
{
	MUresult r = umd_graph_node_new(cs->cap->graph, type, cs->front.v, cs->front.n, out);

	if (r)
		return r;
	r = umd_front_set(&cs->front, out, 1);
	if (r) {
		umd_graph_node_free(*out);
		return r;
	}
	return MUSA_SUCCESS;
}

/* Ends the add: a failure to add invalidates the capture, as in CUDA. */
static int umd_capture_leave(struct umd_capture_stream *cs, MUresult res, MUresult *r)
{
	if (res)
		cs->cap->invalid = 1;
	pthread_mutex_unlock(&umd_capture_lock);
	*r = res;
	return 1;
}

int umd_capture_kernel(struct MUstream_st *s, MUfunction f, const unsigned int grid[3],
		       const unsigned int block[3], unsigned int shared,
		       const void *packed, MUresult *r)
{
	struct umd_capture_stream *cs;
	struct umd_gkernel k = { 0 };
	MUgraphNode n;
	MUresult res;
	int ret = umd_capture_enter(s, &cs, r);

	if (ret != 2)
		return ret;
	res = umd_gkernel_set(&k, f, grid, block, shared, NULL, NULL, packed);
	if (!res) {
		res = umd_capture_node(cs, MU_GRAPH_NODE_TYPE_KERNEL, &n);
		if (res)
			umd_gkernel_clear(&k);
		else
			n->u.k = k;
	}
	return umd_capture_leave(cs, res, r);
}

static MUmemorytype umd_side_type(int side)
{
	return side == UMD_SIDE_DEVICE ? MU_MEMORYTYPE_DEVICE :
	       side == UMD_SIDE_HOST ? MU_MEMORYTYPE_HOST : MU_MEMORYTYPE_UNIFIED;
}

int umd_capture_copy(struct MUstream_st *s, uint64_t dst, int dside, uint64_t src,
		     int sside, size_t n, MUresult *r)
{
	MUSA_MEMCPY3D p = { 0 };

	p.srcMemoryType = umd_side_type(sside);
	p.dstMemoryType = umd_side_type(dside);
	if (p.srcMemoryType == MU_MEMORYTYPE_HOST)
		p.srcHost = (const void *)(uintptr_t)src;
	else
		p.srcDevice = src;
	if (p.dstMemoryType == MU_MEMORYTYPE_HOST)
		p.dstHost = (void *)(uintptr_t)dst;
	else
		p.dstDevice = dst;
	p.srcPitch = p.dstPitch = n;
	p.srcHeight = p.dstHeight = 1;
	p.WidthInBytes = n;
	p.Height = 1;
	p.Depth = 1;
	return umd_capture_memcpy3d(s, &p, r);
}

/* Adds a node of `type` that holds params (size bytes) as they are: a
 * memset, memcpy or host node. Returns 0 (not capturing) or 1 (*r the
 * result), as the umd_capture_* hooks of umd.h. */
static int umd_capture_params(struct MUstream_st *s, MUgraphNodeType type, const void *params,
			      size_t size, MUresult *r)
{
	struct umd_capture_stream *cs;
	MUgraphNode node;
	MUresult res;
	int ret = umd_capture_enter(s, &cs, r);

	if (ret != 2)
		return ret;
	res = umd_capture_node(cs, type, &node);
	if (!res)
		memcpy(&node->u, params, size);
	return umd_capture_leave(cs, res, r);
}

int umd_capture_memset(struct MUstream_st *s, const MUSA_MEMSET_NODE_PARAMS *p, MUresult *r)
{
	return umd_capture_params(s, MU_GRAPH_NODE_TYPE_MEMSET, p, sizeof(*p), r);
}

int umd_capture_memcpy3d(struct MUstream_st *s, const MUSA_MEMCPY3D *p, MUresult *r)
{
	return umd_capture_params(s, MU_GRAPH_NODE_TYPE_MEMCPY, p, sizeof(*p), r);
}

int umd_capture_fill(struct MUstream_st *s, MUdeviceptr dst, uint32_t value,
		     unsigned int elem, size_t count, MUresult *r)
{
	const MUSA_MEMSET_NODE_PARAMS p = {
		.dst = dst, .pitch = 0, .value = value, .elementSize = elem,
		.width = count, .height = 1,
	};

	return umd_capture_memset(s, &p, r);
}

int umd_capture_host_fn(struct MUstream_st *s, void (*fn)(void *), void *data, MUresult *r)
{
	const MUSA_HOST_NODE_PARAMS p = { .fn = fn, .userData = data };

	return umd_capture_params(s, MU_GRAPH_NODE_TYPE_HOST, &p, sizeof(p), r);
}

int umd_capture_graph(struct MUstream_st *s, MUgraph g, MUresult *r)
{
	struct umd_capture_stream *cs;
	MUgraphNode node;
	MUgraph clone;
	MUresult res;
	int ret = umd_capture_enter(s, &cs, r);

	if (ret != 2)
		return ret;
	res = umd_graph_clone(g, &clone);
	if (!res) {
		res = umd_capture_node(cs, MU_GRAPH_NODE_TYPE_GRAPH, &node);
		if (res)
			umd_graph_free(clone);
		else
			node->u.child = clone;
	}
	return umd_capture_leave(cs, res, r);
}

int umd_capture_event_record(MUevent e, struct MUstream_st *s, MUresult *r)
{
	struct umd_capture_stream *cs;
	struct umd_capture_event *ce;
	MUresult res = MUSA_SUCCESS;

	if (!atomic_load(&umd_capture_nstreams) && !atomic_load(&umd_capture_nevents))
		return 0;
	pthread_mutex_lock(&umd_capture_lock);
	if (umd_capture_implicit(s)) {
		res = MUSA_ERROR_STREAM_CAPTURE_IMPLICIT;
		goto done;
	}
	cs = s->capture;
	ce = e->capture;
	if (!cs) {
		/* Recorded outside any capture: an ordinary event again. */
		if (ce)
			umd_capture_event_free(ce);
		pthread_mutex_unlock(&umd_capture_lock);
		return 0;
	}
	if (cs->cap->invalid) {
		res = MUSA_ERROR_STREAM_CAPTURE_INVALIDATED;
		goto done;
	}
	if (!ce) {
		ce = calloc(1, sizeof(*ce));
		if (!ce) {
			res = MUSA_ERROR_OUT_OF_MEMORY;
			goto done;
		}
		ce->e = e;
		e->capture = ce;
		umd_list_add(&umd_capture_events, &ce->link);
		atomic_fetch_add(&umd_capture_nevents, 1);
	} else {
		umd_capture_put(ce->cap);
	}
	ce->cap = cs->cap;
	cs->cap->refs++;
	res = umd_front_set(&ce->front, cs->front.v, cs->front.n);
	if (res)
		umd_capture_event_free(ce);
done:
	pthread_mutex_unlock(&umd_capture_lock);
	*r = res;
	return 1;
}

int umd_capture_wait_event(struct MUstream_st *s, MUevent e, MUresult *r)
{
	struct umd_capture_stream *cs;
	struct umd_capture_event *ce;
	MUresult res = MUSA_SUCCESS;

	if (!atomic_load(&umd_capture_nstreams) && !atomic_load(&umd_capture_nevents))
		return 0;
	pthread_mutex_lock(&umd_capture_lock);
	cs = s->capture;
	ce = e->capture;
	if (!cs && !ce) {
		int implicit = umd_capture_implicit(s);

		pthread_mutex_unlock(&umd_capture_lock);
		if (!implicit)
			return 0;
		*r = MUSA_ERROR_STREAM_CAPTURE_IMPLICIT;
		return 1;
	}
	if (cs && cs->cap->invalid) {
		res = MUSA_ERROR_STREAM_CAPTURE_INVALIDATED;
	} else if (!ce) {
		/* A capturing stream waiting for work outside the capture. */
		res = e->point ? MUSA_ERROR_STREAM_CAPTURE_ISOLATION : MUSA_SUCCESS;
	} else if (ce->cap->ended) {
		res = MUSA_ERROR_CAPTURED_EVENT;
	} else if (ce->cap->invalid) {
		res = MUSA_ERROR_STREAM_CAPTURE_INVALIDATED;
	} else if (cs && cs->cap != ce->cap) {
		res = MUSA_ERROR_STREAM_CAPTURE_MERGE;
	} else if (cs) {
		res = umd_front_merge(&cs->front, ce->front.v, ce->front.n);
	} else if (s->legacy) {
		res = MUSA_ERROR_STREAM_CAPTURE_IMPLICIT;
		ce->cap->invalid = 1;
	} else {
		/* s joins the capture (a fork), starting after the event's nodes. */
		cs = calloc(1, sizeof(*cs));
		if (!cs || umd_front_set(&cs->front, ce->front.v, ce->front.n)) {
			free(cs);
			res = MUSA_ERROR_OUT_OF_MEMORY;
		} else {
			cs->s = s;
			cs->cap = ce->cap;
			cs->cap->refs++;
			s->capture = cs;
			umd_list_add(&umd_capture_streams, &cs->link);
			atomic_fetch_add(&umd_capture_nstreams, 1);
		}
	}
	pthread_mutex_unlock(&umd_capture_lock);
	*r = res;
	return 1;
}

MUresult umd_capture_sync(struct MUstream_st *s)
{
	struct umd_capture_stream *cs;
	MUresult res = MUSA_SUCCESS;

	if (!atomic_load(&umd_capture_nstreams))
		return MUSA_SUCCESS;
	pthread_mutex_lock(&umd_capture_lock);
	if (umd_capture_implicit(s)) {
		res = MUSA_ERROR_STREAM_CAPTURE_IMPLICIT;
	} else {
		cs = s->capture;
		if (cs) {
			cs->cap->invalid = 1;
			res = MUSA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
		}
	}
	pthread_mutex_unlock(&umd_capture_lock);
	return res;
}

MUresult umd_capture_event_check(MUevent e)
{
	MUresult res;

	if (!atomic_load(&umd_capture_nevents))
		return MUSA_SUCCESS;
	pthread_mutex_lock(&umd_capture_lock);
	res = e->capture ? MUSA_ERROR_CAPTURED_EVENT : MUSA_SUCCESS;
	pthread_mutex_unlock(&umd_capture_lock);
	return res;
}

void umd_capture_forget_stream(struct MUstream_st *s)
{
	struct umd_capture_stream *cs;

	if (!atomic_load(&umd_capture_nstreams))
		return;
	pthread_mutex_lock(&umd_capture_lock);
	cs = s->capture;
	if (cs) {
		cs->cap->invalid = 1;
		if (cs->cap->origin == s)
			cs->cap->origin = NULL;
		umd_capture_stream_free(cs);
	}
	pthread_mutex_unlock(&umd_capture_lock);
}

MUresult umd_capture_unsafe_call(void)
{
	MUresult res = MUSA_SUCCESS;
	pthread_t self = pthread_self();

	if (!atomic_load(&umd_capture_nstreams) ||
	    umd_capture_thread_mode == MU_STREAM_CAPTURE_MODE_RELAXED)
		return MUSA_SUCCESS;
	pthread_mutex_lock(&umd_capture_lock);
	for (struct umd_list *l = umd_capture_streams.next; l != &umd_capture_streams;
	     l = l->next) {
		struct umd_capture *cap = umd_container_of(l, struct umd_capture_stream, link)->cap;
		int mine = pthread_equal(cap->thread, self);

		/* This thread's own non-relaxed captures; in global mode also
		 * global captures of other threads. */
		if (cap->mode == MU_STREAM_CAPTURE_MODE_RELAXED)
			continue;
		if (mine || (umd_capture_thread_mode == MU_STREAM_CAPTURE_MODE_GLOBAL &&
			     cap->mode == MU_STREAM_CAPTURE_MODE_GLOBAL)) {
			cap->invalid = 1;
			res = MUSA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
		}
	}
	pthread_mutex_unlock(&umd_capture_lock);
	return res;
}

int umd_capture_owns(MUgraph g)
{
	int owned = 0;

	if (!atomic_load(&umd_capture_nstreams))
		return 0;
	pthread_mutex_lock(&umd_capture_lock);
	for (struct umd_list *l = umd_capture_streams.next; l != &umd_capture_streams && !owned;
	     l = l->next)
		owned = umd_container_of(l, struct umd_capture_stream, link)->cap->graph == g;
	pthread_mutex_unlock(&umd_capture_lock);
	return owned;
}

void umd_capture_forget_event(MUevent e)
{
	struct umd_capture_event *ce;

	if (!atomic_load(&umd_capture_nevents))
		return;
	pthread_mutex_lock(&umd_capture_lock);
	ce = e->capture;
	if (ce)
		umd_capture_event_free(ce);
	pthread_mutex_unlock(&umd_capture_lock);
}

/* A user stream (not the legacy stream) of any context, whatever its
 * context's sticky error, or the calling thread's per-thread stream of the
 * current context, with a reference (umd_stream_put). */
static MUresult umd_capture_stream_get(MUstream h, struct MUstream_st **out)
{
	return umd_stream_get(NULL, h, h == MU_STREAM_PER_THREAD ? 0 : UMD_STREAM_IGNORE_STICKY,
			      out);
}

static int umd_is_legacy(MUstream h)
{
	return !h || h == MU_STREAM_LEGACY;
}

static MUresult umd_begin_capture_on(struct MUstream_st *s, MUstreamCaptureMode mode)
{
	struct umd_capture *cap;
	struct umd_capture_stream *cs;
	MUresult r;

	CHECK((unsigned int)mode > MU_STREAM_CAPTURE_MODE_RELAXED, MUSA_ERROR_INVALID_VALUE);
	cap = calloc(1, sizeof(*cap));
	cs = calloc(1, sizeof(*cs));
	if (!cap || !cs) {
		r = MUSA_ERROR_OUT_OF_MEMORY;
		goto err;
	}
	r = umd_graph_new(&cap->graph);
	if (r)
		goto err;
	cap->ctx = s->ctx;
	cap->mode = mode;
	cap->thread = pthread_self();
	cap->origin = s;
	cap->refs = 1;
	cs->s = s;
	cs->cap = cap;
	pthread_mutex_lock(&umd_capture_lock);
	if (s->capture) {
		pthread_mutex_unlock(&umd_capture_lock);
		umd_graph_free(cap->graph);
		r = MUSA_ERROR_ILLEGAL_STATE;
		goto err;
	}
	cap->id = umd_capture_next_id++;
	s->capture = cs;
	umd_list_add(&umd_capture_streams, &cs->link);
	atomic_fetch_add(&umd_capture_nstreams, 1);
	pthread_mutex_unlock(&umd_capture_lock);
	return MUSA_SUCCESS;
err:
	free(cap);
	free(cs);
	return r;
}

UMD_API MUresult muStreamBeginCapture(MUstream hStream, MUstreamCaptureMode mode)
{
	struct MUstream_st *s;
	MUresult r;

	if (umd_is_legacy(hStream)) {
		r = umd_ctx_ready();
		return r ? r : MUSA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
	}
	r = umd_capture_stream_get(hStream, &s);
	if (r)
		return r;
	r = umd_begin_capture_on(s, mode);
	umd_stream_put(s);
	return r;
}

/* Whether every other stream of the capture was joined back: its frontier
 * lies among the origin's frontier and that frontier's ancestors. 1 yes,
 * 0 no, -1 out of memory. */
static int umd_capture_joined(struct umd_capture *cap, struct umd_capture_stream *origin)
{
	MUgraph g = cap->graph;
	MUgraphNode *stack;
	size_t top = 0;
	int ok = 1;

	stack = malloc((g->count ? g->count : 1) * sizeof(*stack));
	if (!stack)
		return -1;
	for (struct umd_list *l = g->nodes.next; l != &g->nodes; l = l->next)
		umd_container_of(l, struct MUgraphNode_st, link)->mark = 0;
	/* Each node is pushed once (marked when pushed). */
	for (size_t i = 0; i < origin->front.n; i++) {
		if (!origin->front.v[i]->mark) {
			origin->front.v[i]->mark = 1;
			stack[top++] = origin->front.v[i];
		}
	}
	while (top) {
		MUgraphNode n = stack[--top];

		for (size_t i = 0; i < n->deps.n; i++) {
			if (!n->deps.v[i]->mark) {
				n->deps.v[i]->mark = 1;
				stack[top++] = n->deps.v[i];
			}
		}
	}
	free(stack);
	for (struct umd_list *l = umd_capture_streams.next; l != &umd_capture_streams && ok;
	     l = l->next) {
		struct umd_capture_stream *cs =
			umd_container_of(l, struct umd_capture_stream, link);

		if (cs->cap != cap || cs == origin)
			continue;
		for (size_t i = 0; i < cs->front.n && ok; i++)
			ok = cs->front.v[i]->mark;
	}
	return ok;
}

static MUresult umd_end_capture_on(struct MUstream_st *s, MUgraph *phGraph)
{
	struct umd_capture *cap;
	struct umd_capture_stream *cs;
	struct umd_list *l, *next;
	MUresult r = MUSA_SUCCESS;

	CHECK(!phGraph, MUSA_ERROR_INVALID_VALUE);
	pthread_mutex_lock(&umd_capture_lock);
	cs = s->capture;
	if (!cs) {
		r = MUSA_ERROR_ILLEGAL_STATE;
		goto out;
	}
	cap = cs->cap;
	if (cap->mode != MU_STREAM_CAPTURE_MODE_RELAXED &&
	    !pthread_equal(cap->thread, pthread_self())) {
		r = MUSA_ERROR_STREAM_CAPTURE_WRONG_THREAD;
		goto out;
	}
	if (cap->origin != s) {
		r = MUSA_ERROR_STREAM_CAPTURE_UNMATCHED;
		goto out;
	}
	if (cap->invalid) {
		r = MUSA_ERROR_STREAM_CAPTURE_INVALIDATED;
	} else {
		int joined = umd_capture_joined(cap, cs);

		if (joined < 0)
			r = MUSA_ERROR_OUT_OF_MEMORY;
		else if (!joined)
			r = MUSA_ERROR_STREAM_CAPTURE_UNJOINED;
	}
	cap->ended = 1;
	if (!r) {
		*phGraph = cap->graph;
		cap->graph = NULL;
	} else {
		*phGraph = NULL;
	}
	/* Every stream of the capture leaves it. */
	cap->refs++;
	for (l = umd_capture_streams.next; l != &umd_capture_streams; l = next) {
		struct umd_capture_stream *c = umd_container_of(l, struct umd_capture_stream, link);

		next = l->next;
		if (c->cap == cap)
			umd_capture_stream_free(c);
	}
	umd_capture_put(cap);
out:
	pthread_mutex_unlock(&umd_capture_lock);
	return r;
}

UMD_API MUresult muStreamEndCapture(MUstream hStream, MUgraph *phGraph)
{
	struct MUstream_st *s;
	MUresult r;

	if (umd_is_legacy(hStream)) {
		r = umd_ctx_ready();
		if (r)
			return r;
		return phGraph ? MUSA_ERROR_ILLEGAL_STATE : MUSA_ERROR_INVALID_VALUE;
	}
	r = umd_capture_stream_get(hStream, &s);
	if (r)
		return r;
	r = umd_end_capture_on(s, phGraph);
	umd_stream_put(s);
	return r;
}

/* The legacy stream's capture status: IMPLICIT while a blocking stream of
 * the current context captures. */
static MUresult umd_capture_legacy_status(MUstreamCaptureStatus *st)
{
	MUcontext ctx;
	MUresult r = umd_ctx_enter(&ctx);
	int hit = 0;

	if (r)
		return r;
	/* The context is only compared from here on. */
	umd_ctx_put(ctx);
	CHECK(!st, MUSA_ERROR_INVALID_VALUE);
	pthread_mutex_lock(&umd_capture_lock);
	for (struct umd_list *l = umd_capture_streams.next; l != &umd_capture_streams;
	     l = l->next) {
		struct umd_capture_stream *cs =
			umd_container_of(l, struct umd_capture_stream, link);

		if (cs->s->ctx == ctx && !(cs->s->flags & MU_STREAM_NON_BLOCKING))
			hit = 1;
	}
	pthread_mutex_unlock(&umd_capture_lock);
	if (hit)
		return MUSA_ERROR_STREAM_CAPTURE_IMPLICIT;
	*st = MU_STREAM_CAPTURE_STATUS_NONE;
	return MUSA_SUCCESS;
}

UMD_API MUresult muStreamGetCaptureInfo(MUstream hStream, MUstreamCaptureStatus *captureStatus_out,
					unsigned long long *id_out, MUgraph *graph_out,
					const MUgraphNode **dependencies_out,
					size_t *numDependencies_out)
{
	struct umd_capture_stream *cs;
	struct MUstream_st *s;
	MUresult r;

	if (umd_is_legacy(hStream))
		return umd_capture_legacy_status(captureStatus_out);
	r = umd_capture_stream_get(hStream, &s);
	if (r)
		return r;
	if (!captureStatus_out) {
		umd_stream_put(s);
		return MUSA_ERROR_INVALID_VALUE;
	}
	pthread_mutex_lock(&umd_capture_lock);
	cs = s->capture;
	if (!cs) {
		*captureStatus_out = MU_STREAM_CAPTURE_STATUS_NONE;
	} else {
		*captureStatus_out = cs->cap->invalid ? MU_STREAM_CAPTURE_STATUS_INVALIDATED :
				     MU_STREAM_CAPTURE_STATUS_ACTIVE;
		if (id_out)
			*id_out = cs->cap->id;
		if (graph_out)
			*graph_out = cs->cap->graph;
		if (dependencies_out)
			*dependencies_out = cs->front.v;
		if (numDependencies_out)
			*numDependencies_out = cs->front.n;
	}
	pthread_mutex_unlock(&umd_capture_lock);
	umd_stream_put(s);
	return MUSA_SUCCESS;
}

UMD_API MUresult muStreamIsCapturing(MUstream hStream, MUstreamCaptureStatus *captureStatus)
{
	return muStreamGetCaptureInfo(hStream, captureStatus, NULL, NULL, NULL, NULL);
}

UMD_API MUresult muThreadExchangeStreamCaptureMode(MUstreamCaptureMode *mode)
{
	MUstreamCaptureMode old;
	MUresult r = umd_check_init();

	if (r)
		return r;
	CHECK(!mode || (unsigned int)*mode > MU_STREAM_CAPTURE_MODE_RELAXED,
	      MUSA_ERROR_INVALID_VALUE);
	old = umd_capture_thread_mode;
	umd_capture_thread_mode = *mode;
	*mode = old;
	return MUSA_SUCCESS;
}
