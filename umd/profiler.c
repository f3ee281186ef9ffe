/* SPDX-License-Identifier: MIT */
/*
 * profiler.c - the timeline (MUSA_TRACE=file: a Chrome / Perfetto JSON
 * trace), the summary (MUSA_PROFILE=1: nsys-stats-like tables on stderr at
 * exit) and muProfilerStart / muProfilerStop, which bracket what both
 * record (MUSA_PROFILE_FROM_START=0: nothing before the first start).
 *
 * The device records what it ran (DRM_MUSA_TRACE, kmd-shim/trace.c):
 * every packet of a context's queues with its start and end on the device
 * clock, and each compute unit's runs of work-groups. This file turns
 * recording on for every context's fd, drains the records into its own
 * store (at a synchronizing call now and then, before a context's fd
 * closes, at muProfilerStop and at exit), names each kernel from the
 * modules of its context, and adds the driver calls that queue or wait
 * for work, timed on the same clock (CLOCK_MONOTONIC) on the host. The
 * file is written at muProfilerStop and at exit, the summary printed at
 * exit.
 *
 * Off, a call pays one load of umd_prof_on (umd_prof_begin).
 * Locks: prof_reg_lock (contexts) is taken before a context's lock (to
 * name kernels) and before prof_lock (the store), which is a leaf.
 * May call: transport.c, module.c (kernel names and variable ranges), libc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "umd.h"

_Atomic int umd_prof_on;

enum prof_kind {
	PROF_API = 1,      /* a driver call, timed on the host */
	PROF_PACKET,       /* a packet the device ran */
	PROF_CU,           /* a compute unit's run of a packet's groups */
};

enum prof_copy_kind { PROF_H2D, PROF_D2H, PROF_D2D, PROF_H2H };

static const char *const prof_copy_names[] = { "H2D", "D2H", "D2D", "H2H" };

struct prof_ev {
	uint8_t kind;          /* enum prof_kind */
	uint8_t copy_kind;     /* COPY packets: enum prof_copy_kind */
	uint32_t ctx;          /* number of the context (prof_ctx_info) */
	uint32_t queue;
	uint32_t cu;
	uint64_t seq;
	uint64_t t0, t1;       /* ns, CLOCK_MONOTONIC */
	uint64_t groups;
	const char *name;      /* API: the call; dispatch: the kernel */
	uint32_t syncobj;      /* API of an event record or wait: the event's point */
	uint64_t point;
	struct drm_musa_packet pkt;
};

/* What the trace needs of a context after it is gone. */
struct prof_ctx_info {
	unsigned int ordinal;
	uint32_t legacy_queue;
	uint64_t va_start, va_size;   /* the device's memory window */
};

/* A live context whose fd records. */
struct prof_ctx {
	MUcontext ctx;
	uint32_t id;
};

/* Kernel names by (context number, kernel handle). */
struct prof_name {
	uint64_t key;          /* 0: empty */
	const char *name;      /* demangled when it could be */
	const char *mangled;   /* as the code object names it */
};

static struct {
	bool trace;            /* MUSA_TRACE names a file */
	bool profile;          /* MUSA_PROFILE=1 */
	bool from_start;       /* MUSA_PROFILE_FROM_START (default 1) */
	char *path;
	pid_t pid;             /* the process that read the settings */
} prof_cfg;

static pthread_mutex_t prof_reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct prof_ctx *prof_ctxs;        /* live, under prof_reg_lock */
static size_t prof_nctxs, prof_ctxs_cap;

static pthread_mutex_t prof_lock = PTHREAD_MUTEX_INITIALIZER;
static struct prof_ev *prof_evs;          /* the store, under prof_lock */
static size_t prof_nevs, prof_evs_cap;
static struct prof_ctx_info *prof_infos;  /* by context number */
static size_t prof_ninfos, prof_infos_cap;
static struct prof_name *prof_names;      /* open addressing */
static size_t prof_nnames, prof_names_cap;
static char **prof_strings;               /* every name kept, for the end */
static size_t prof_nstrings, prof_strings_cap;
static uint64_t prof_dropped;             /* records the device lost */
static bool prof_done;                    /* exit: written, nothing more */
static _Atomic uint64_t prof_last_drain;

/* Drain at a synchronizing call at most this often. */
#define PROF_DRAIN_EVERY_NS 50000000ull
/* Records asked of the device per TRACE call. */
#define PROF_READ_BATCH 1024u

uint64_t umd_prof_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Doubles *cap until n fit; false when there is no memory. */
static bool prof_grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap : 64;
	void *p;

	if (n <= *cap)
		return true;
	while (c < n)
		c *= 2;
	p = realloc(*arr, c * size);
	if (!p)
		return false;
	*arr = p;
	*cap = c;
	return true;
}

/* The store (prof_lock held). */

static void prof_add(const struct prof_ev *ev)
{
	if (prof_done ||
	    !prof_grow((void **)&prof_evs, &prof_evs_cap, prof_nevs + 1, sizeof(*ev))) {
		prof_dropped++;
		return;
	}
	prof_evs[prof_nevs++] = *ev;
}

static const char *prof_keep(const char *s)
{
	char *c = strdup(s);

	if (!c)
		return NULL;
	if (!prof_grow((void **)&prof_strings, &prof_strings_cap, prof_nstrings + 1,
		       sizeof(*prof_strings))) {
		free(c);
		return NULL;
	}
	prof_strings[prof_nstrings++] = c;
	return c;
}

static size_t prof_name_slot(uint64_t key)
{
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (prof_names_cap - 1);

	while (prof_names[i].key && prof_names[i].key != key)
		i = (i + 1) & (prof_names_cap - 1);
	return i;
}

static const char *prof_name_get(uint64_t key)
{
	if (!prof_names_cap)
		return NULL;
	return prof_names[prof_name_slot(key)].name;
}

typedef char *(*prof_demangle_fn)(const char *, char *, size_t *, int *);

/* The C++ runtime's demangler when the program has one loaded. */
static char *prof_demangle(const char *mangled)
{
	static prof_demangle_fn fn;
	static bool looked;
	int status = -1;
	char *d;

	if (!looked) {
		fn = (prof_demangle_fn)dlsym(RTLD_DEFAULT, "__cxa_demangle");
		looked = true;
	}
	if (!fn || strncmp(mangled, "_Z", 2) != 0)
		return NULL;
	d = fn(mangled, NULL, NULL, &status);
	if (status != 0) {
		free(d);
		return NULL;
	}
	return d;
}

/* Remembers the (demangled) name of a context's kernel handle. */
static const char *prof_name_set(uint64_t key, const char *mangled)
{
	const char *old = prof_name_get(key), *kept, *kept_mangled;
	char *d;
	size_t i;

	/* a launch of the same kernel again: no demangling */
	if (old && strcmp(prof_names[prof_name_slot(key)].mangled, mangled) == 0)
		return old;
	d = prof_demangle(mangled);
	if ((prof_nnames + 1) * 2 > prof_names_cap) {
		struct prof_name *o = prof_names;
		size_t ocap = prof_names_cap, ncap = ocap ? ocap * 2 : 256;
		struct prof_name *n = calloc(ncap, sizeof(*n));

		if (!n) {
			free(d);
			return old;
		}
		prof_names = n;
		prof_names_cap = ncap;
		for (size_t j = 0; j < ocap; j++)
			if (o[j].key)
				prof_names[prof_name_slot(o[j].key)] = o[j];
		free(o);
	}
	kept = prof_keep(d ? d : mangled);
	kept_mangled = d && kept ? prof_keep(mangled) : kept;
	free(d);
	if (!kept || !kept_mangled)
		return old;
	i = prof_name_slot(key);
	if (!prof_names[i].key)
		prof_nnames++;
	prof_names[i].key = key;
	prof_names[i].name = kept;
	prof_names[i].mangled = kept_mangled;
	return kept;
}

static uint64_t prof_name_key(uint32_t ctx, uint32_t handle)
{
	return ((uint64_t)ctx + 1) << 32 | handle;
}

/* Draining a context's records. */

/* The name of kernel `handle` of ctx from its modules (ctx->lock taken);
 * NULL when no module of ctx has it. */
static const char *prof_module_kernel(MUcontext ctx, uint32_t handle)
{
	const char *name = NULL;
	struct umd_list *l;

	pthread_mutex_lock(&ctx->lock);
	for (l = ctx->modules.next; l != &ctx->modules && !name; l = l->next) {
		struct MUmod_st *m = umd_container_of(l, struct MUmod_st, link);

		for (uint32_t i = 0; i < m->co.nkernels; i++) {
			if (m->funcs[i].handle == handle) {
				name = m->co.kernels[i].name;
				break;
			}
		}
	}
	pthread_mutex_unlock(&ctx->lock);
	return name;
}

static bool prof_in_window(const struct prof_ctx_info *ci, uint64_t a)
{
	return a >= ci->va_start && a - ci->va_start < ci->va_size;
}

/* Device memory for a copy: the device's window, or a module variable. */
static bool prof_device_side(MUcontext ctx, const struct prof_ctx_info *ci, uint64_t a)
{
	return prof_in_window(ci, a) || umd_module_var_range(ctx, a, 1);
}

/* Turns one device record of ctx into an event (no lock held). */
static void prof_convert(MUcontext ctx, uint32_t id, const struct drm_musa_trace_record *rec,
			 struct prof_ev *ev)
{
	const struct drm_musa_packet *p = &rec->packet;

	memset(ev, 0, sizeof(*ev));
	ev->kind = rec->kind == DRM_MUSA_TRACE_CU_RUN ? PROF_CU : PROF_PACKET;
	ev->ctx = id;
	ev->queue = rec->queue;
	ev->cu = rec->cu;
	ev->seq = rec->seq;
	ev->t0 = rec->start_ns;
	ev->t1 = rec->end_ns < rec->start_ns ? rec->start_ns : rec->end_ns;
	ev->groups = rec->groups;
	ev->pkt = *p;
	if (p->type == DRM_MUSA_PKT_COPY) {
		struct prof_ctx_info ci;
		bool src, dst;

		pthread_mutex_lock(&prof_lock);
		ci = prof_infos[id];
		pthread_mutex_unlock(&prof_lock);
		src = prof_device_side(ctx, &ci, p->copy.src);
		dst = prof_device_side(ctx, &ci, p->copy.dst);
		ev->copy_kind = src ? (dst ? PROF_D2D : PROF_D2H) : (dst ? PROF_H2D : PROF_H2H);
	}
}

/* Names a dispatch's events; prof_lock held, `module_name` looked up
 * without it when the cache had none. */
static void prof_name_kernel(uint32_t id, struct prof_ev *ev, const char *module_name)
{
	uint64_t key = prof_name_key(id, ev->pkt.dispatch.kernel);

	ev->name = prof_name_get(key);
	if (!ev->name && module_name)
		ev->name = prof_name_set(key, module_name);
}

/* One TRACE call on ctx's fd: up to `room` records into buf (room 0:
 * none), then `flags`. Returns the records read, 0 on error. */
static uint32_t prof_read(MUcontext ctx, struct drm_musa_trace_record *buf, uint32_t room,
			  uint32_t flags, uint64_t *pending)
{
	struct drm_musa_trace t = {
		.flags = flags,
		.record_size = sizeof(*buf),
		.records = (uint64_t)(uintptr_t)buf,
		.count = room,
	};

	*pending = 0;
	if (ctx->closing || umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_TRACE, &t))
		return 0;
	pthread_mutex_lock(&prof_lock);
	prof_dropped += t.dropped;
	pthread_mutex_unlock(&prof_lock);
	*pending = t.pending;
	return t.count;
}

/* Moves what the device recorded for ctx into the store, then applies
 * `flags` (START, STOP or 0) to its recording. prof_reg_lock held. */
static void prof_drain(MUcontext ctx, uint32_t id, uint32_t flags)
{
	struct drm_musa_trace_record *buf = malloc(PROF_READ_BATCH * sizeof(*buf));
	uint64_t pending = 1;
	uint32_t n;

	while (buf && pending && (n = prof_read(ctx, buf, PROF_READ_BATCH, 0, &pending))) {
		for (uint32_t i = 0; i < n; i++) {
			const char *module_name = NULL;
			struct prof_ev ev;

			prof_convert(ctx, id, &buf[i], &ev);
			if (ev.pkt.type == DRM_MUSA_PKT_KERNEL_DISPATCH) {
				pthread_mutex_lock(&prof_lock);
				ev.name = prof_name_get(prof_name_key(id, ev.pkt.dispatch.kernel));
				pthread_mutex_unlock(&prof_lock);
				if (!ev.name)
					module_name = prof_module_kernel(ctx,
									 ev.pkt.dispatch.kernel);
			}
			pthread_mutex_lock(&prof_lock);
			if (ev.pkt.type == DRM_MUSA_PKT_KERNEL_DISPATCH && !ev.name)
				prof_name_kernel(id, &ev, module_name);
			prof_add(&ev);
			pthread_mutex_unlock(&prof_lock);
		}
	}
	free(buf);
	if (flags)
		prof_read(ctx, NULL, 0, flags, &pending);
}

/* Drains every live context; prof_reg_lock held. */
static void prof_drain_all(uint32_t flags)
{
	for (size_t i = 0; i < prof_nctxs; i++)
		prof_drain(prof_ctxs[i].ctx, prof_ctxs[i].id, flags);
	atomic_store(&prof_last_drain, umd_prof_now());
}

/* Contexts. */

void umd_prof_ctx_open(MUcontext ctx)
{
	struct prof_ctx_info ci = {
		.ordinal = (unsigned int)ctx->ordinal,
		.legacy_queue = ctx->legacy ? ctx->legacy->queue : 0,
		.va_start = ctx->dev->info.va_start,
		.va_size = ctx->dev->info.va_size,
	};
	uint32_t id;

	if (!prof_cfg.trace && !prof_cfg.profile)
		return;
	pthread_mutex_lock(&prof_reg_lock);
	pthread_mutex_lock(&prof_lock);
	if (prof_done ||
	    !prof_grow((void **)&prof_infos, &prof_infos_cap, prof_ninfos + 1, sizeof(ci)) ||
	    !prof_grow((void **)&prof_ctxs, &prof_ctxs_cap, prof_nctxs + 1, sizeof(*prof_ctxs))) {
		pthread_mutex_unlock(&prof_lock);
		pthread_mutex_unlock(&prof_reg_lock);
		return;
	}
	id = (uint32_t)prof_ninfos++;
	prof_infos[id] = ci;
	pthread_mutex_unlock(&prof_lock);
	prof_ctxs[prof_nctxs++] = (struct prof_ctx){ ctx, id };
	if (atomic_load(&umd_prof_on)) {
		struct drm_musa_trace t = { .flags = DRM_MUSA_TRACE_START };

		if (umd_tr_ioctl(&ctx->tr, DRM_IOCTL_MUSA_TRACE, &t))
			umd_log("profiler: the device of context %u cannot record", id);
	}
	pthread_mutex_unlock(&prof_reg_lock);
}

void umd_prof_ctx_close(MUcontext ctx)
{
	if (!prof_cfg.trace && !prof_cfg.profile)
		return;
	pthread_mutex_lock(&prof_reg_lock);
	for (size_t i = 0; i < prof_nctxs; i++) {
		if (prof_ctxs[i].ctx != ctx)
			continue;
		prof_drain(ctx, prof_ctxs[i].id, 0);
		prof_ctxs[i] = prof_ctxs[--prof_nctxs];
		break;
	}
	pthread_mutex_unlock(&prof_reg_lock);
}

/* The context number of ctx, or -1 when it does not record. */
static int64_t prof_ctx_id(MUcontext ctx)
{
	int64_t id = -1;

	pthread_mutex_lock(&prof_reg_lock);
	for (size_t i = 0; i < prof_nctxs; i++)
		if (prof_ctxs[i].ctx == ctx)
			id = prof_ctxs[i].id;
	pthread_mutex_unlock(&prof_reg_lock);
	return id;
}

/* Driver calls. */

static void prof_api_add(const char *name, const struct MUstream_st *s, uint64_t t0,
			 struct prof_ev *ev)
{
	int64_t id;

	if (!prof_cfg.trace || !s)
		return;
	id = prof_ctx_id(s->ctx);
	if (id < 0)
		return;
	ev->kind = PROF_API;
	ev->ctx = (uint32_t)id;
	ev->queue = s->queue;
	ev->t0 = t0;
	ev->t1 = umd_prof_now();
	ev->name = name;
	pthread_mutex_lock(&prof_lock);
	prof_add(ev);
	pthread_mutex_unlock(&prof_lock);
}

void umd_prof_api(const char *name, const struct MUstream_st *s, uint64_t t0)
{
	struct prof_ev ev;

	memset(&ev, 0, sizeof(ev));
	prof_api_add(name, s, t0, &ev);
}

void umd_prof_event(const char *name, const struct MUstream_st *s, uint32_t syncobj,
		    uint64_t point, uint64_t t0)
{
	struct prof_ev ev;

	memset(&ev, 0, sizeof(ev));
	ev.syncobj = syncobj;
	ev.point = point;
	prof_api_add(name, s, t0, &ev);
}

void umd_prof_launch(const struct MUfunc_st *f, const struct MUstream_st *s, uint64_t t0)
{
	int64_t id = prof_ctx_id(s->ctx);
	struct prof_ev ev;

	if (id < 0)
		return;
	memset(&ev, 0, sizeof(ev));
	pthread_mutex_lock(&prof_lock);
	/* the kernel's name for the device's records of this handle */
	ev.pkt.dispatch.kernel = f->handle;
	prof_name_set(prof_name_key((uint32_t)id, f->handle), f->k->name);
	pthread_mutex_unlock(&prof_lock);
	prof_api_add("muLaunchKernel", s, t0, &ev);
}

void umd_prof_sync(const char *name, const struct MUstream_st *s, uint64_t t0)
{
	uint64_t now = umd_prof_now();

	umd_prof_api(name, s, t0);
	/* the device holds a bounded number of records: take them now and then */
	if (now - atomic_load(&prof_last_drain) < PROF_DRAIN_EVERY_NS)
		return;
	atomic_store(&prof_last_drain, now);
	pthread_mutex_lock(&prof_reg_lock);
	for (size_t i = 0; i < prof_nctxs; i++)
		if (prof_ctxs[i].ctx == s->ctx)
			prof_drain(s->ctx, prof_ctxs[i].id, 0);
	pthread_mutex_unlock(&prof_reg_lock);
}

/* The trace file. */

#define PROF_TID_CU_BASE 1500000000u

static unsigned long long prof_stream_tid(const struct prof_ev *ev, bool api)
{
	return (ev->ctx + 1ull) * 1000000ull + ev->queue * 2ull + (api ? 1 : 0);
}

static unsigned long long prof_cu_tid(const struct prof_ev *ev)
{
	return PROF_TID_CU_BASE + prof_infos[ev->ctx].ordinal * 10000ull + ev->cu;
}

/* A microsecond value from ns: exact, three decimals. */
static void prof_us(FILE *f, const char *key, uint64_t ns)
{
	fprintf(f, "\"%s\":%llu.%03llu", key, (unsigned long long)(ns / 1000),
		(unsigned long long)(ns % 1000));
}

static void prof_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* A track used by the trace: its tid and what names it. */
struct prof_track {
	unsigned long long tid;
	const struct prof_ev *ev;   /* an event on it */
	int what;                   /* 0 stream, 1 its API calls, 2 compute unit */
};

struct prof_tracks {
	struct prof_track *t;
	size_t n, cap;
};

static void prof_track_note(struct prof_tracks *tr, unsigned long long tid,
			    const struct prof_ev *ev, int what)
{
	for (size_t i = tr->n; i > 0; i--)
		if (tr->t[i - 1].tid == tid)
			return;
	if (prof_grow((void **)&tr->t, &tr->cap, tr->n + 1, sizeof(*tr->t)))
		tr->t[tr->n++] = (struct prof_track){ tid, ev, what };
}

/* A key for (context, syncobj, point), for matching signals and waits. */
struct prof_sync_key {
	uint32_t ctx, syncobj;
	uint64_t point;
	size_t ev;
};

static int prof_sync_cmp(const void *a, const void *b)
{
	const struct prof_sync_key *x = a, *y = b;

	if (x->ctx != y->ctx)
		return x->ctx < y->ctx ? -1 : 1;
	if (x->syncobj != y->syncobj)
		return x->syncobj < y->syncobj ? -1 : 1;
	if (x->point != y->point)
		return x->point < y->point ? -1 : 1;
	return 0;
}

static const struct prof_sync_key *prof_sync_find(const struct prof_sync_key *keys, size_t n,
						  uint32_t ctx, uint32_t syncobj, uint64_t point)
{
	struct prof_sync_key k = { ctx, syncobj, point, 0 };

	return n ? bsearch(&k, keys, n, sizeof(k), prof_sync_cmp) : NULL;
}

/* Sorted keys of the SIGNAL packets (what) or of the event records of the
 * API (!what); NULL when there is no memory or none. */
static struct prof_sync_key *prof_sync_keys(bool signals, size_t *n)
{
	struct prof_sync_key *k = NULL;
	size_t cap = 0;

	*n = 0;
	for (size_t i = 0; i < prof_nevs; i++) {
		const struct prof_ev *ev = &prof_evs[i];
		struct prof_sync_key key = { ev->ctx, 0, 0, i };

		if (signals && ev->kind == PROF_PACKET && ev->pkt.type == DRM_MUSA_PKT_SIGNAL) {
			key.syncobj = ev->pkt.sync.syncobj;
			key.point = ev->pkt.sync.point;
		} else if (!signals && ev->kind == PROF_API && ev->syncobj &&
			   strcmp(ev->name, "muEventRecord") == 0) {
			key.syncobj = ev->syncobj;
			key.point = ev->point;
		} else {
			continue;
		}
		if (!prof_grow((void **)&k, &cap, *n + 1, sizeof(*k)))
			break;
		k[(*n)++] = key;
	}
	if (*n)
		qsort(k, *n, sizeof(*k), prof_sync_cmp);
	return k;
}

static const char *prof_packet_name(const struct prof_ev *ev, char *buf, size_t len,
				    const struct prof_sync_key *records, size_t nrecords)
{
	const struct drm_musa_packet *p = &ev->pkt;
	bool event = false;

	switch (p->type) {
	case DRM_MUSA_PKT_KERNEL_DISPATCH:
		if (ev->name)
			return ev->name;
		snprintf(buf, len, "kernel %u", p->dispatch.kernel);
		return buf;
	case DRM_MUSA_PKT_COPY:
		snprintf(buf, len, "memcpy %s", prof_copy_names[ev->copy_kind]);
		return buf;
	case DRM_MUSA_PKT_FILL:
		return "memset";
	case DRM_MUSA_PKT_SIGNAL:
	case DRM_MUSA_PKT_WAIT:
		event = prof_sync_find(records, nrecords, ev->ctx, p->sync.syncobj,
				       p->sync.point) != NULL;
		if (p->type == DRM_MUSA_PKT_SIGNAL)
			return event ? "event record" : "signal";
		return event ? "wait event" : "wait";
	default:
		return NULL;   /* NOP, TIMESTAMP: not shown */
	}
}

static void prof_write_args(FILE *f, const struct prof_ev *ev)
{
	const struct drm_musa_packet *p = &ev->pkt;

	fprintf(f, ",\"args\":{\"seq\":%llu", (unsigned long long)ev->seq);
	switch (p->type) {
	case DRM_MUSA_PKT_KERNEL_DISPATCH:
		fprintf(f, ",\"grid\":[%u,%u,%u],\"block\":[%u,%u,%u],\"shared_bytes\":%u,"
			"\"kernel_handle\":%u", p->dispatch.grid[0], p->dispatch.grid[1],
			p->dispatch.grid[2], p->dispatch.block[0], p->dispatch.block[1],
			p->dispatch.block[2], p->dispatch.shared_bytes, p->dispatch.kernel);
		break;
	case DRM_MUSA_PKT_COPY:
		fprintf(f, ",\"bytes\":%llu,\"kind\":\"%s\"",
			(unsigned long long)(p->copy.width * p->copy.height),
			prof_copy_names[ev->copy_kind]);
		break;
	case DRM_MUSA_PKT_FILL:
		fprintf(f, ",\"bytes\":%llu,\"value\":%u,\"element_size\":%u",
			(unsigned long long)(p->fill.count * p->fill.elem_size), p->fill.value,
			p->fill.elem_size);
		break;
	case DRM_MUSA_PKT_SIGNAL:
	case DRM_MUSA_PKT_WAIT:
		fprintf(f, ",\"syncobj\":%u,\"point\":%llu", p->sync.syncobj,
			(unsigned long long)p->sync.point);
		break;
	default:
		break;
	}
	if (ev->kind == PROF_CU)
		fprintf(f, ",\"groups\":%llu", (unsigned long long)ev->groups);
	fputc('}', f);
}

static void prof_write_slice(FILE *f, bool *first, const char *name, const char *cat,
			     unsigned long long tid, const struct prof_ev *ev)
{
	fprintf(f, "%s\n{\"ph\":\"X\",\"name\":", *first ? "" : ",");
	*first = false;
	prof_json_str(f, name);
	fprintf(f, ",\"cat\":\"%s\",\"pid\":%d,\"tid\":%llu,", cat, (int)prof_cfg.pid, tid);
	prof_us(f, "ts", ev->t0);
	fputc(',', f);
	prof_us(f, "dur", ev->t1 - ev->t0);
}

/* An arrow from the signal's slice to the wait's, both bound by time. */
static void prof_write_flow(FILE *f, bool *first, unsigned long long id,
			    const struct prof_ev *sig, const struct prof_ev *wait)
{
	uint64_t e = wait->t1 > wait->t0 ? wait->t1 - 1 : wait->t0;
	uint64_t s = sig->t0 + (sig->t1 - sig->t0) / 2;

	/* the waiter may resume before the signalling CP stamps its end */
	if (s > e)
		s = e > sig->t0 ? e : sig->t0;

	fprintf(f, "%s\n{\"ph\":\"s\",\"id\":%llu,\"name\":\"event\",\"cat\":\"sync\","
		"\"pid\":%d,\"tid\":%llu,", *first ? "" : ",", id, (int)prof_cfg.pid,
		prof_stream_tid(sig, false));
	*first = false;
	prof_us(f, "ts", s);
	fprintf(f, "},\n{\"ph\":\"f\",\"bp\":\"e\",\"id\":%llu,\"name\":\"event\",\"cat\":\"sync\","
		"\"pid\":%d,\"tid\":%llu,", id, (int)prof_cfg.pid, prof_stream_tid(wait, false));
	prof_us(f, "ts", e);
	fputc('}', f);
}

static void prof_write_meta(FILE *f, const struct prof_tracks *tr)
{
	fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%d,\"args\":{\"name\":",
		(int)prof_cfg.pid);
	prof_json_str(f, program_invocation_short_name);
	fprintf(f, "}}");
	for (size_t i = 0; i < tr->n; i++) {
		const struct prof_track *t = &tr->t[i];
		const struct prof_ev *ev = t->ev;
		char name[96];

		if (t->what == 2)
			snprintf(name, sizeof(name), "CU %u (device %u)", ev->cu,
				 prof_infos[ev->ctx].ordinal);
		else
			snprintf(name, sizeof(name), "stream %u (ctx %u%s)%s", ev->queue, ev->ctx,
				 ev->queue == prof_infos[ev->ctx].legacy_queue ? ", default" : "",
				 t->what == 1 ? " API" : "");
		fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%d,\"tid\":%llu,"
			"\"args\":{\"name\":\"%s\"}}", (int)prof_cfg.pid, t->tid, name);
		fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":%d,"
			"\"tid\":%llu,\"args\":{\"sort_index\":%llu}}", (int)prof_cfg.pid, t->tid,
			t->tid);
	}
}

/* Writes the store as a trace file; prof_lock held. */
static void prof_write_trace(void)
{
	struct prof_sync_key *signals, *records;
	struct prof_tracks tr = { 0 };
	size_t nsignals, nrecords;
	unsigned long long flow = 0;
	bool first = true;
	FILE *f;

	f = fopen(prof_cfg.path, "w");
	if (!f) {
		umd_warn("MUSA_TRACE: cannot write '%s': %s", prof_cfg.path, strerror(errno));
		return;
	}
	signals = prof_sync_keys(true, &nsignals);
	records = prof_sync_keys(false, &nrecords);
	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"clock\":\"CLOCK_MONOTONIC\",", f);
	fprintf(f, "\"dropped_records\":%llu},\"traceEvents\":[", (unsigned long long)prof_dropped);
	for (size_t i = 0; i < prof_nevs; i++) {
		const struct prof_ev *ev = &prof_evs[i];
		const struct prof_sync_key *sig;
		unsigned long long tid;
		const char *name;
		char buf[64];

		if (ev->kind == PROF_API) {
			tid = prof_stream_tid(ev, true);
			prof_track_note(&tr, tid, ev, 1);
			prof_write_slice(f, &first, ev->name, "api", tid, ev);
			if (ev->pkt.dispatch.kernel) {
				uint64_t key = prof_name_key(ev->ctx, ev->pkt.dispatch.kernel);
				const char *k = prof_name_get(key);

				fputs(",\"args\":{\"kernel\":", f);
				prof_json_str(f, k ? k : "?");
				fputs("}}", f);
			} else if (ev->syncobj) {
				fprintf(f, ",\"args\":{\"syncobj\":%u,\"point\":%llu}}",
					ev->syncobj, (unsigned long long)ev->point);
			} else {
				fputc('}', f);
			}
			continue;
		}
		name = prof_packet_name(ev, buf, sizeof(buf), records, nrecords);
		if (!name)
			continue;
		if (ev->kind == PROF_CU) {
			tid = prof_cu_tid(ev);
			prof_track_note(&tr, tid, ev, 2);
			prof_write_slice(f, &first, name, "compute unit", tid, ev);
		} else {
			tid = prof_stream_tid(ev, false);
			prof_track_note(&tr, tid, ev, 0);
			prof_write_slice(f, &first, name,
					 ev->pkt.type == DRM_MUSA_PKT_KERNEL_DISPATCH ? "kernel" :
					 ev->pkt.type == DRM_MUSA_PKT_COPY ? "memcpy" :
					 ev->pkt.type == DRM_MUSA_PKT_FILL ? "memset" : "sync",
					 tid, ev);
		}
		prof_write_args(f, ev);
		fputc('}', f);
		if (ev->kind != PROF_PACKET || ev->pkt.type != DRM_MUSA_PKT_WAIT)
			continue;
		sig = prof_sync_find(signals, nsignals, ev->ctx, ev->pkt.sync.syncobj,
				     ev->pkt.sync.point);
		if (sig)
			prof_write_flow(f, &first, ++flow, &prof_evs[sig->ev], ev);
	}
	if (!first)
		prof_write_meta(f, &tr);
	fputs("\n]}\n", f);
	if (fclose(f))
		umd_warn("MUSA_TRACE: cannot write '%s': %s", prof_cfg.path, strerror(errno));
	free(tr.t);
	free(signals);
	free(records);
}

/* The summary. */

struct prof_row {
	const char *name;
	uint64_t total, count, min, max;
};

static int prof_row_cmp(const void *a, const void *b)
{
	const struct prof_row *x = a, *y = b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void prof_print_table(const char *title, struct prof_row *rows, size_t n)
{
	uint64_t all = 0;

	for (size_t i = 0; i < n; i++)
		all += rows[i].total;
	if (n)
		qsort(rows, n, sizeof(*rows), prof_row_cmp);
	fprintf(stderr, "\n%s:\n\n", title);
	fprintf(stderr, " Time (%%)  Total Time (ns)  Instances      Avg (ns)    Min (ns)"
		"    Max (ns)  Name\n");
	fprintf(stderr, " --------  ---------------  ---------  ------------  ----------"
		"  ----------  ----\n");
	if (!n)
		fprintf(stderr, "  (none)\n");
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, " %8.1f  %15llu  %9llu  %12.1f  %10llu  %10llu  %s\n",
			all ? 100.0 * (double)rows[i].total / (double)all : 0.0,
			(unsigned long long)rows[i].total, (unsigned long long)rows[i].count,
			(double)rows[i].total / (double)rows[i].count,
			(unsigned long long)rows[i].min, (unsigned long long)rows[i].max,
			rows[i].name);
}

static void prof_row_add(struct prof_row **rows, size_t *n, size_t *cap, const char *name,
			 uint64_t ns)
{
	struct prof_row *r = NULL;

	for (size_t i = 0; i < *n && !r; i++)
		if (strcmp((*rows)[i].name, name) == 0)
			r = &(*rows)[i];
	if (!r) {
		if (!prof_grow((void **)rows, cap, *n + 1, sizeof(**rows)))
			return;
		r = &(*rows)[(*n)++];
		*r = (struct prof_row){ name, 0, 0, UINT64_MAX, 0 };
	}
	r->total += ns;
	r->count++;
	if (ns < r->min)
		r->min = ns;
	if (ns > r->max)
		r->max = ns;
}

/* Prints the summary on stderr; prof_lock held. */
static void prof_print_summary(void)
{
	static const char *const copy_rows[] = {
		"[MUSA memcpy H2D]", "[MUSA memcpy D2H]", "[MUSA memcpy D2D]", "[MUSA memcpy H2H]",
	};
	struct prof_row *kernels = NULL, *mem = NULL;
	size_t nk = 0, ck = 0, nm = 0, cm = 0;
	char buf[32];

	for (size_t i = 0; i < prof_nevs; i++) {
		const struct prof_ev *ev = &prof_evs[i];
		uint64_t ns = ev->t1 - ev->t0;

		if (ev->kind != PROF_PACKET)
			continue;
		if (ev->pkt.type == DRM_MUSA_PKT_KERNEL_DISPATCH) {
			const char *name = ev->name;

			if (!name) {
				snprintf(buf, sizeof(buf), "kernel %u", ev->pkt.dispatch.kernel);
				name = prof_keep(buf);
			}
			if (name)
				prof_row_add(&kernels, &nk, &ck, name, ns);
		} else if (ev->pkt.type == DRM_MUSA_PKT_COPY) {
			prof_row_add(&mem, &nm, &cm, copy_rows[ev->copy_kind], ns);
		} else if (ev->pkt.type == DRM_MUSA_PKT_FILL) {
			prof_row_add(&mem, &nm, &cm, "[MUSA memset]", ns);
		}
	}
	fprintf(stderr, "\nmusa: profile of %s (pid %d), device time (MUSA_PROFILE=1)\n",
		program_invocation_short_name, (int)prof_cfg.pid);
	prof_print_table("MUSA kernels (musa_gpu_kern_sum)", kernels, nk);
	prof_print_table("MUSA copies and fills (musa_gpu_mem_time_sum)", mem, nm);
	if (prof_dropped)
		fprintf(stderr, "\n%llu records were lost: the device's trace buffer was full\n",
			(unsigned long long)prof_dropped);
	fputc('\n', stderr);
	free(kernels);
	free(mem);
}

/* Settings, start and stop, exit. */

/* "0" or "1"; anything else keeps `def` with a warning. */
static bool prof_bool(const char *name, bool def)
{
	const char *v = getenv(name);

	if (!v || !*v)
		return def;
	if (strcmp(v, "0") == 0 || strcmp(v, "1") == 0)
		return v[0] == '1';
	umd_warn("%s: ignoring '%s' (0 or 1)", name, v);
	return def;
}

/* MUSA_TRACE's path, with each %p replaced by the process id. */
static char *prof_path(const char *v)
{
	size_t len = strlen(v) + 1;
	char pid[16], *out, *o;

	for (const char *s = v; (s = strstr(s, "%p")); s += 2)
		len += sizeof(pid);
	out = malloc(len);
	if (!out)
		return NULL;
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	for (o = out; *v; v++) {
		if (v[0] == '%' && v[1] == 'p') {
			o = stpcpy(o, pid);
			v++;
		} else {
			*o++ = *v;
		}
	}
	*o = 0;
	return out;
}

static void prof_at_exit(void)
{
	/* a child forked from a recording process leaves the file alone */
	if (getpid() != prof_cfg.pid)
		return;
	atomic_store(&umd_prof_on, 0);
	pthread_mutex_lock(&prof_reg_lock);
	prof_drain_all(0);
	pthread_mutex_lock(&prof_lock);
	if (prof_cfg.trace)
		prof_write_trace();
	if (prof_cfg.profile)
		prof_print_summary();
	prof_done = true;
	pthread_mutex_unlock(&prof_lock);
	pthread_mutex_unlock(&prof_reg_lock);
}

void umd_prof_init(void)
{
	const char *trace = getenv("MUSA_TRACE");

	prof_cfg.pid = getpid();
	prof_cfg.profile = prof_bool("MUSA_PROFILE", false);
	prof_cfg.from_start = prof_bool("MUSA_PROFILE_FROM_START", true);
	if (trace && *trace) {
		prof_cfg.path = prof_path(trace);
		prof_cfg.trace = prof_cfg.path != NULL;
	}
	if (!prof_cfg.trace && !prof_cfg.profile)
		return;
	if (atexit(prof_at_exit)) {
		umd_warn("MUSA_TRACE/MUSA_PROFILE: no exit handler, nothing will be written");
		prof_cfg.trace = prof_cfg.profile = false;
		return;
	}
	atomic_store(&prof_last_drain, umd_prof_now());
	atomic_store(&umd_prof_on, prof_cfg.from_start);
}

/* muProfilerStart (on) and muProfilerStop (!on): collection starts or
 * stops once, and a stop writes the trace collected so far. */
static MUresult prof_switch(int on)
{
	MUcontext ctx;
	MUresult r = umd_ctx_current(&ctx);

	if (r)
		return r;
	umd_ctx_put(ctx);  /* only its presence is checked */
	if (!prof_cfg.trace && !prof_cfg.profile)
		return MUSA_SUCCESS;
	pthread_mutex_lock(&prof_reg_lock);
	if (!atomic_load(&umd_prof_on) != !on) {
		atomic_store(&umd_prof_on, on);
		prof_drain_all(on ? DRM_MUSA_TRACE_START : DRM_MUSA_TRACE_STOP);
		if (!on) {
			pthread_mutex_lock(&prof_lock);
			if (prof_cfg.trace && !prof_done)
				prof_write_trace();
			pthread_mutex_unlock(&prof_lock);
		}
	}
	pthread_mutex_unlock(&prof_reg_lock);
	return MUSA_SUCCESS;
}

UMD_API MUresult muProfilerStart(void)
{
	return prof_switch(1);
}

UMD_API MUresult muProfilerStop(void)
{
	return prof_switch(0);
}
