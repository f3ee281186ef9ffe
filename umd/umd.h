/* SPDX-License-Identifier: MIT */
/*
 * umd.h - private interfaces shared by the files of libmusa (the driver API).
 *
 * libmusa reaches the device only through the transport of transport.c
 * (musa_kmd_open/ioctl/mmap/close of uapi/musa_kmd.h, or libdrm's drmIoctl
 * on a DRM node) with the structs of uapi/musa_drm.h and libdrm's drm.h.
 * kmd-shim errno values cross into MUresult once, in errno.c.
 *
 * Locking order: umd_dev.lock (primary context) -> ctx->lock -> the global
 * allocation table lock / handle registry lock / ctx->hostfn_lock. Nobody
 * waits on the device while holding ctx->lock. The last put of a destroyed
 * stream or event that another call still held takes ctx->lock, so calls
 * drop their references without it. A call holding a context reference
 * never takes umd_dev.lock: destroying or resetting a context waits, under
 * that lock, until no call holds one.
 */
#ifndef UMD_H
#define UMD_H

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "musa.h"
#include "musa_codeobj.h"
#include "uapi/musa_drm.h"

#define UMD_API __attribute__((visibility("default")))

#define UMD_MAX_DEVICES 64

/* Logging (only with MUSA_LOG=debug). */
void umd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One line on stderr whatever MUSA_LOG says: a bad setting of the user. */
void umd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A device fault's report: one line on stderr unless MUSA_LOG is off. */
void umd_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool umd_log_faults(void);
void umd_log_check(void);

/* Intrusive lists. */
struct umd_list {
	struct umd_list *prev, *next;
};

static inline void umd_list_init(struct umd_list *l)
{
	l->prev = l->next = l;
}

static inline void umd_list_add(struct umd_list *head, struct umd_list *n)
{
	n->next = head;
	n->prev = head->prev;
	head->prev->next = n;
	head->prev = n;
}

static inline void umd_list_del(struct umd_list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = n;
}

static inline int umd_list_empty(const struct umd_list *l)
{
	return l->next == l;
}

#define umd_container_of(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

/* Transport (transport.c). */
struct umd_tr_ops;

/* One open device fd and the door its ioctls go through. */
struct umd_tr {
	int fd;
	const struct umd_tr_ops *ops;
};

/* Opens physical device `index`; -errno (-ENODEV past the last one). */
int umd_tr_open(unsigned int index, struct umd_tr *tr);
/* 0 or -errno; retries EINTR/EAGAIN as drmIoctl does. */
int umd_tr_ioctl(const struct umd_tr *tr, unsigned long req, void *arg);
/* CPU mapping of a BO; NULL on failure. */
void *umd_tr_mmap(const struct umd_tr *tr, size_t len, int prot, uint64_t offset);
void umd_tr_close(struct umd_tr *tr);

/* Errors (errno.c). */
/* The one errno -> MUresult translation (err is positive or negative). */
MUresult umd_errno(int err);
/* Sticky error of a device fault kind (enum drm_musa_fault_kind). */
MUresult umd_fault_result(uint32_t kind);

/* Handle registry (handle.c). */
enum umd_htype {
	UMD_H_CTX = 1,
	UMD_H_STREAM,
	UMD_H_EVENT,
	UMD_H_MODULE,
	UMD_H_FUNC,
};

/*
 * The reference count of a counted object (contexts, streams, events,
 * modules): first in its struct. Creation holds one reference, every
 * lookup one more; the last put calls release, which frees the object (a
 * context's wakes the thread destroying it, which frees it). An object of
 * a context holds it in `ctx`: a lookup of the object takes a reference to
 * that context too, and umd_handle_put drops both, so a context is not
 * torn down under a call using one of its objects.
 */
struct umd_object {
	_Atomic unsigned int refs;
	void (*release)(struct umd_object *o);
	struct MUctx_st *ctx;   /* NULL for a context itself */
};

void umd_object_init(struct umd_object *o, void (*release)(struct umd_object *o),
		     struct MUctx_st *ctx);
/* Another reference to an object the caller already holds one of. */
void umd_object_get(struct umd_object *o);
void umd_object_put(struct umd_object *o);

/* Live handles, so a destroyed or foreign handle is refused, not followed. */
int umd_handle_add(const void *h, enum umd_htype type);
/* Removes h: 1 when this call removed it, 0 when it was not there (so of
 * two racing destroys only one goes on). */
int umd_handle_del(const void *h);
/* Whether h is a live handle of that type (for objects that are not
 * counted: graphs, arrays; or a check that follows nothing, such as
 * making a context current). */
int umd_handle_valid(const void *h, enum umd_htype type);
/* A counted object by its handle, with a reference taken unless its count
 * already fell to zero, and one to its context (unless that count fell to
 * zero: the context is being destroyed); NULL when h is not a live handle
 * of that type or either count was zero. A function's reference is one to
 * its module. The caller drops them (umd_stream_put, umd_event_put,
 * umd_module_put, umd_ctx_put). */
void *umd_handle_get(const void *h, enum umd_htype type);
/* Drops a reference umd_handle_get took, and its context's. */
void umd_handle_put(struct umd_object *o);
/* As umd_handle_get for an object of ctx, which the caller holds a
 * reference to: takes one to the object only (the caller's keeps the
 * context); NULL also when the object is of another context. The caller
 * drops it with umd_object_put before it drops ctx. */
void *umd_handle_get_in(const void *h, enum umd_htype type, struct MUctx_st *ctx);

/* Devices (init.c, device.c). */
struct umd_dev {
	unsigned int kmd_index;              /* physical device behind the ordinal */
	struct drm_musa_device_info info;    /* from GET_PARAM at muInit */
	pthread_mutex_t lock;                /* primary context state */
	struct MUctx_st *primary;
	unsigned int primary_refs;
	unsigned int primary_flags;
};

extern struct umd_dev umd_devs[UMD_MAX_DEVICES];
extern int umd_ndevs;

/* MUSA_SUCCESS once muInit succeeded, MUSA_ERROR_NOT_INITIALIZED before. */
MUresult umd_check_init(void);
/* Checks init and the ordinal; *out the device. */
MUresult umd_dev_get(MUdevice dev, struct umd_dev **out);
/* One GET_PARAM key (DRM_MUSA_PARAM_*, at index) on an open fd: 0 and
 * *value, or -errno. */
int umd_dev_param(const struct umd_tr *tr, uint32_t param, uint32_t index, uint64_t *value);
/* The whole device info on an open fd, one GET_PARAM per key: 0 or -errno. */
int umd_dev_query(const struct umd_tr *tr, struct drm_musa_device_info *info);

/* Buffer objects (bo.c). */
struct umd_bo {
	uint32_t handle;
	uint64_t size;
	uint64_t va;      /* device address (VM_MAP) */
	void *cpu;        /* CPU mapping, or NULL */
};

/* BO_CREATE + VM_MAP (+ a CPU mapping when cpu is set). */
int umd_bo_create(MUcontext ctx, uint64_t size, int cpu, struct umd_bo *bo);
/* BO_USERPTR over the page-rounded host range + VM_MAP; *dev_addr is the
 * device address of `host`. */
int umd_bo_userptr(MUcontext ctx, const void *host, size_t len, int read_only,
		   struct umd_bo *bo, uint64_t *dev_addr);
void umd_bo_destroy(MUcontext ctx, struct umd_bo *bo);

/* Contexts (context.c). */
struct umd_stream;

struct umd_kernarg_slot {
	uint32_t syncobj;  /* timeline whose point frees the slot; 0: free */
	uint64_t point;
};

#define UMD_KERNARG_SLOT  4096u
/* The kernel-argument packer of launches and graph kernel nodes (launch.c):
 * kernelParams or extra into buf (UMD_KERNARG_SLOT zeroed bytes). A block
 * over UMD_KERNARG_SLOT: MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES; both forms, a
 * missing parameter, a malformed extra list: MUSA_ERROR_INVALID_VALUE. */
MUresult umd_kernarg_pack(const struct musa_codeobj_kernel *k, void **params, void **extra,
			  unsigned char *buf);
/* Launches in flight per context before the next one waits for a slot. */
#define UMD_KERNARG_SLOTS 1024u
/* How many slots one wait for a busy slot may free at once (launch.c). */
#define UMD_KERNARG_WAIT_AHEAD 128u
/* User-mode rings per context (ring.c) and slots per ring: a burst fills
 * a ring only while the CP is busy; a full ring costs one doorbell. */
#define UMD_RINGS 32u
#define UMD_RING_SLOTS 128u

#define UMD_TIMESTAMP_SLOTS 512u   /* 8-byte timestamp slots per timestamp BO */

struct umd_timestamp_page {
	struct umd_list link;
	struct umd_bo bo;
	uint64_t used[UMD_TIMESTAMP_SLOTS / 64];
};

/*
 * A timeline (syncobj) kept alive after muStreamDestroy or muEventDestroy
 * until all its points are known to have passed (other queues may still
 * wait on it) and no context sync still waits on it: `refs` counts the
 * syncs that took it into their wait list (guarded by ctx->lock). A
 * stream's record is allocated with the stream, so a destroy never fails
 * to keep its timeline; a sync that listed the stream holds the record.
 * A destroyed stream whose work was still running leaves its queue here
 * too: destroying it at once would cut its WAITs short.
 */
struct umd_zombie {
	struct umd_list link;
	uint32_t syncobj;
	uint64_t point;
	unsigned int refs;
	uint32_t queue;   /* destroyed with the timeline; 0: none */
};

struct MUctx_st {
	struct umd_object obj;       /* first: lookups count the context */
	bool drained;                /* its handle is gone and no call holds it */
	struct umd_dev *dev;
	MUdevice ordinal;
	unsigned int flags;
	int primary;
	int closing;                 /* teardown: the fd is going away, skip ioctls */
	struct umd_tr tr;
	pthread_mutex_t lock;
	_Atomic int sticky;          /* MUresult of a device fault, or 0 */
	struct MUstream_st *legacy;  /* the NULL / MU_STREAM_LEGACY stream */
	struct umd_list streams;     /* user streams */
	struct umd_list events;
	struct umd_list modules;
	struct umd_list chunks;      /* 2 MiB BOs of small allocations */
	struct umd_list timestamp_pages;
	struct umd_list zombies;
	/* hostfn.c: the host-function workers serving the context, those of
	 * destroyed streams still draining included (hostfn_lock; the
	 * workers never take ctx->lock) */
	pthread_mutex_t hostfn_lock;
	struct umd_list hostfn_workers;
	int cache_config;            /* MUfunc_cache preference */
	int shared_mem_config;       /* MUsharedconfig preference */
	struct umd_bo kernarg;
	struct umd_devrt *devrt;     /* printf.c: printf FIFO, malloc heap, limits */
	struct umd_kernarg_slot kslots[UMD_KERNARG_SLOTS];
	unsigned int knext;
	/* The last point a timeline was seen to pass, so that a slot whose
	 * launch is known done is taken without asking the kmd. */
	struct umd_kernarg_slot kpassed;
	/* ring.c: the queues' user-mode rings, and which queue and timeline
	 * each area serves (0: free) */
	struct umd_bo rings;
	bool cus_up;                 /* a dispatch was accepted: the CUs run (ctx->lock) */
	_Atomic uint32_t ring_queue[UMD_RINGS];
	_Atomic uint32_t ring_syncobj[UMD_RINGS];
};

/* User-mode rings (ring.c). */
/* Makes the context's ring BO (none on failure: streams then use SUBMIT). */
void umd_rings_init(MUcontext ctx);
void umd_rings_fini(MUcontext ctx);
/* QUEUE_CREATE for s, with a ring when an area is free; 0 or -errno. */
int umd_ring_queue_create(MUcontext ctx, struct drm_musa_queue_create *qc,
			  struct MUstream_st *s);
/* Records s's timeline as the one its ring's done_point tells. */
void umd_ring_bind_syncobj(MUcontext ctx, const struct MUstream_st *s);
/* Forgets timeline `syncobj` before it is destroyed (its number may then
 * name another stream's timeline). */
void umd_ring_unbind_syncobj(MUcontext ctx, uint32_t syncobj);
/* QUEUE_DESTROY, and its ring area goes back to the context (0: nothing). */
void umd_queue_destroy(MUcontext ctx, uint32_t queue);
/* The ring whose done_point tells where timeline `syncobj` is, or NULL. */
const struct drm_musa_ring_header *umd_ring_of(MUcontext ctx, uint32_t syncobj);
/* True when h (may be NULL) shows point passed. */
bool umd_ring_done(const struct drm_musa_ring_header *h, uint64_t point);
/* True when the context's rings say it has not faulted (false: ask). */
bool umd_ring_fault_free(MUcontext ctx);
/* Notes what a successful SUBMIT of p[0..n) tells (the CUs run). */
void umd_ring_submitted(MUcontext ctx, const struct drm_musa_packet *p, unsigned int n);
/* Writes a submission to s's ring: 0 written, 1 not taken (use SUBMIT),
 * or -errno. ctx->lock held. */
int umd_ring_submit(struct MUstream_st *s, const struct drm_musa_packet *p, unsigned int n,
		    uint32_t syncobj, uint64_t point);

/* Checks init, the current context, and its sticky error; on success
 * *out holds a reference the caller drops with umd_ctx_put. */
MUresult umd_ctx_enter(MUcontext *out);
/* Like umd_ctx_enter but ignores a sticky error. */
MUresult umd_ctx_current(MUcontext *out);
/* What umd_ctx_enter would return, holding nothing (for a call that fails
 * on a bad argument after the context's errors). */
MUresult umd_ctx_ready(void);
/* A named context with a reference taken (NULL: not a live context). */
MUcontext umd_ctx_lookup(MUcontext h);
/* Another reference to a context the caller holds one of. */
void umd_ctx_get(MUcontext ctx);
void umd_ctx_put(MUcontext ctx);
/* Drops the entry's reference to ctx and returns r (an entry point's tail:
 * `return r ? r : umd_ctx_leave(ctx, umd_x_on(ctx, ...));`). */
MUresult umd_ctx_leave(MUcontext ctx, MUresult r);
/* CTX_QUERY: records and returns the sticky error of a fault. */
MUresult umd_ctx_check_fault(MUcontext ctx);
/* Waits for every stream of the context, then checks for a fault. */
MUresult umd_ctx_sync(MUcontext ctx);
/* Retires destroyed streams' and events' timelines (and queues) whose work
 * has passed and that no sync holds. ctx->lock held. */
void umd_ctx_reap_zombies(MUcontext ctx);

/* Memory (memory.c). */
/* Frees every allocation of a context (teardown). */
void umd_mem_release_ctx(MUcontext ctx);

/* The allocation nearest to p for a memory-checker report: one that holds
 * it among those freed and held back (freed = 1), else the live one just
 * below or above it, whichever is nearer; 0, or -1 when there is none. */
struct umd_mem_near {
	uint64_t base;
	size_t size;
	int freed;
};
int umd_mem_nearest(uint64_t p, struct umd_mem_near *out);
/* Code addresses in reports (symbol.c). */

/* A whole file in a malloc'ed buffer, or NULL. */
void *umd_read_file(const char *path, size_t *size);

/* The loaded objects one report looked at: their line tables and, for code
 * objects, kernel tables. */
struct umd_sym_obj {
	char fname[PATH_MAX];
	uintptr_t base;
	int fd;
	struct Elf *elf;
	struct Dwarf *dw;
	void *image;
	size_t size;
	struct musa_codeobj co;
	int have_co;
};

struct umd_sym_cache {
	struct umd_sym_obj o[8];
	int n;
};

void umd_sym_cache_free(struct umd_sym_cache *c);
/* The kernel whose work-group entry holds pc, or NULL. */
const char *umd_sym_kernel(struct umd_sym_cache *c, uint64_t pc);
/* "file:line in function" of the instruction holding pc in buf (1), or
 * what is known without a line table: the address and its symbol (0). */
int umd_sym_where(struct umd_sym_cache *c, uint64_t pc, char *buf, size_t n);

/* The memory checker (memcheck.c, MUSA_MEMCHECK). */
/* Whether MUSA_MEMCHECK is on (read once). */
bool umd_memcheck_on(void);
/* Maps the shadows of the devices' windows and the report buffer (muInit). */
void umd_memcheck_init(void);
/* The red zone each allocation gets before and after it: 0 when off. */
size_t umd_memcheck_redzone(void);
/* Sets the shadow of [p, p + len) to `byte` (0: usable); outside every
 * window or with the checker off, nothing. */
void umd_memcheck_mark(uint64_t p, size_t len, unsigned int byte);
/* A new allocation [base, base + size) in its block [blk, blk + blk_len):
 * the rest of the block is red zone. */
void umd_memcheck_alloc(uint64_t blk, size_t blk_len, uint64_t base, size_t size);
/* Replaces a module's image with its checked build when the checker is on
 * and the image has a recipe; the old image is freed. 1: replaced. */
int umd_memcheck_image(void **image, size_t *size);
/* The address for a checked module's __musa_memcheck cell, 0 when off. */
uint64_t umd_memcheck_state(void);
/* Prints the reports kernels have written since the last call. */
void umd_memcheck_drain(void);
/* A copy or fill `what` of [p, p + n) that leaves the allocation holding p:
 * reported as an error (the call still fails as it would unchecked). */
void umd_memcheck_bad_range(const char *what, uint64_t p, size_t n);
/* Streams (stream.c). */
struct umd_thread;
struct umd_hostfn_worker;
struct umd_capture_stream;
struct umd_capture_event;

struct MUstream_st {
	struct umd_object obj;   /* first: the handle registry counts it */
	struct umd_list link;
	MUcontext ctx;
	unsigned long long id;   /* muStreamGetId: unique in the process */
	unsigned int flags;
	int priority;
	int legacy;
	/* A per-thread default stream (MU_STREAM_PER_THREAD) and the thread
	 * using it (NULL or exited: free for the next thread); ctx->lock. */
	bool per_thread;
	struct umd_thread *owner;
	struct umd_hostfn_worker *hostfn;  /* hostfn.c, made on first use; ctx->lock */
	/* capture.c: its part in a stream capture, or NULL (capture lock) */
	struct umd_capture_stream *capture;
	uint32_t queue;
	uint32_t syncobj;
	uint64_t last;   /* last submitted point; guarded by ctx->lock */
	uint64_t done;   /* a point known to have passed */
	/* The record its timeline goes on after it; once destroyed, the
	 * stream holds it (refs) until its last put, so a call still using
	 * the stream finds its syncobj alive. */
	struct umd_zombie *tl;
	bool destroyed;  /* unlinked: no more submissions; ctx->lock */
	struct drm_musa_ring_header *ring;  /* its queue's ring (ring.c), or NULL */
	uint64_t ring_wptr;                 /* slots written; ctx->lock */
};

/* umd_stream_get: a sticky error of the context does not fail the call. */
#define UMD_STREAM_IGNORE_STICKY 1u

/*
 * The stream a call names, with a reference the caller drops with
 * umd_stream_put. NULL and MU_STREAM_LEGACY name the legacy stream and
 * MU_STREAM_PER_THREAD the calling thread's per-thread default stream
 * (made on first use) of ctx, or of the current context when ctx is NULL;
 * any other handle must be a live stream (of ctx when given): else
 * INVALID_HANDLE. Fails with the context's sticky error unless flags has
 * UMD_STREAM_IGNORE_STICKY. The reference holds the stream's context too
 * (the legacy stream's is only that: it lives as long as its context).
 */
MUresult umd_stream_get(MUcontext ctx, MUstream h, unsigned int flags,
			struct MUstream_st **out);
void umd_stream_put(struct MUstream_st *s);
/* Submits packets on s, preceded by the legacy-stream WAITs; *point gets
 * the timeline point that signals their completion. Takes ctx->lock. */
MUresult umd_stream_submit(struct MUstream_st *s, struct drm_musa_packet *pkts,
			   unsigned int n, uint64_t *point);
/* As umd_stream_submit with ctx->lock already held. */
MUresult umd_stream_submit_locked(struct MUstream_st *s, struct drm_musa_packet *pkts,
				  unsigned int n, uint64_t *point);
/* Waits until syncobj reaches point, watching for a context fault. */
MUresult umd_wait_point(MUcontext ctx, uint32_t syncobj, uint64_t point);
/* As umd_wait_point; `blocking`: sleep whatever the context's flags say
 * (an event created with MU_EVENT_BLOCKING_SYNC). */
MUresult umd_wait_point_as(MUcontext ctx, uint32_t syncobj, uint64_t point, bool blocking);
/* 1 when syncobj reached point, 0 when not, -errno on error. */
int umd_point_passed(MUcontext ctx, uint32_t syncobj, uint64_t point);
/* The point the timeline syncobj has reached, in *value: 0 or -errno. */
int umd_point_value(MUcontext ctx, uint32_t syncobj, uint64_t *value);
MUresult umd_stream_create(MUcontext ctx, unsigned int flags, int priority, int legacy,
			   struct MUstream_st **out);
/* Destroys s (its handle fails from now on) and drops the reference its
 * creation took; context teardown. ctx->lock held. */
void umd_stream_release(MUcontext ctx, struct MUstream_st *s);
int umd_syncobj_create(MUcontext ctx, uint32_t *handle);
void umd_syncobj_destroy(MUcontext ctx, uint32_t handle);

/* Events (event.c). */
struct umd_event_ipc_page;

struct MUevent_st {
	struct umd_object obj;    /* first: the handle registry counts it */
	struct umd_list link;
	MUcontext ctx;
	unsigned int flags;
	uint32_t syncobj;
	uint64_t point;           /* 0: never recorded */
	struct umd_timestamp_page *ts;   /* NULL with MU_EVENT_DISABLE_TIMING */
	unsigned int ts_slot;
	struct umd_event_ipc_page *ipc;  /* MU_EVENT_INTERPROCESS: its shared page */
	/* capture.c: last recorded in a capture, or NULL (capture lock) */
	struct umd_capture_event *capture;
	/* Destroyed: the record of its timeline, held until its last put (as
	 * a stream's tl), or NULL. */
	struct umd_zombie *zombie;
};

/* Destroys e (its handle fails from now on) and drops the reference its
 * creation took. ctx->lock held. */
void umd_event_release(MUcontext ctx, struct MUevent_st *e);

/* Modules (module.c). */
/* The settable attributes of a function. */
struct umd_func_attrs {
	int max_dynamic_shared;   /* MU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES */
	int carveout;             /* MU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT */
	int cache;                /* MUfunc_cache */
	int shared_mem;           /* MUsharedconfig */
};

struct MUfunc_st {
	struct MUmod_st *mod;
	const struct musa_codeobj_kernel *k;
	uint32_t handle;   /* kernel handle of CODE_LOAD */
	struct umd_func_attrs attrs;   /* defaults until set; ctx->lock */
};

struct MUmod_st {
	struct umd_object obj;       /* first: counted; a function's lookup counts it */
	struct umd_list link;
	MUcontext ctx;
	void *image;                 /* private copy; metadata points into it */
	size_t size;
	struct musa_codeobj co;
	uint32_t kmd_module;
	struct MUfunc_st *funcs;
	uint64_t *var_va;            /* device address of co.vars[i] (CODE_GLOBAL) */
};

/* Destroys m (its handle and its functions' fail from now on) and drops
 * the reference its load took; its code goes with the last put. ctx->lock
 * held. */
void umd_module_release(MUcontext ctx, struct MUmod_st *m);
/* Drops a reference to a module (umd_handle_get of it or of a function). */
void umd_module_put(struct MUmod_st *m);
/* Whether [p, p + n) lies inside one variable of a module of ctx: such a
 * range is device memory for copies and fills. Takes ctx->lock. */
int umd_module_var_range(MUcontext ctx, uint64_t p, size_t n);
/* A module variable of the current context holding p, described as an
 * allocation of device memory (pointer queries treat variables as device
 * memory); 0 or -1. */
struct umd_mem_info;
int umd_module_var_alloc(uint64_t p, struct umd_mem_info *out);

/* Timeline and profile (profiler.c). */
/* Recording now (MUSA_TRACE or MUSA_PROFILE, between muProfilerStart and
 * muProfilerStop): the calls below have something to do. */
extern _Atomic int umd_prof_on;
/* The host's reading of the device clock (CLOCK_MONOTONIC ns). */
uint64_t umd_prof_now(void);

/* A call's start time when recording, else 0 (one load when off). */
static inline uint64_t umd_prof_begin(void)
{
	return atomic_load_explicit(&umd_prof_on, memory_order_relaxed) ? umd_prof_now() : 0;
}

/* muInit: reads MUSA_TRACE, MUSA_PROFILE, MUSA_PROFILE_FROM_START. */
void umd_prof_init(void);
/* A context's fd opened (its legacy stream made) / is about to close:
 * its recording starts / what it recorded is taken. No lock held. */
void umd_prof_ctx_open(MUcontext ctx);
void umd_prof_ctx_close(MUcontext ctx);
/* A driver call on s from t0 (umd_prof_begin) to now; no lock held. */
void umd_prof_api(const char *name, const struct MUstream_st *s, uint64_t t0);
/* As umd_prof_api for a launch of f (names its kernel's records). */
void umd_prof_launch(const struct MUfunc_st *f, const struct MUstream_st *s, uint64_t t0);
/* As umd_prof_api for an event record or wait of (syncobj, point). */
void umd_prof_event(const char *name, const struct MUstream_st *s, uint32_t syncobj,
		    uint64_t point, uint64_t t0);
/* As umd_prof_api for a call that waited for s's work; takes the
 * device's records now and then. */
void umd_prof_sync(const char *name, const struct MUstream_st *s, uint64_t t0);

/* Device runtime buffers (printf.c). */
/* Points the module's printf FIFO and malloc heap variables, when it has
 * them, at the context's buffers (made on first need). */
MUresult umd_devrt_bind(MUcontext ctx, struct MUmod_st *m);
/* Prints the device printf records written so far, in order. */
void umd_printf_drain(MUcontext ctx);
/* Teardown: drains the FIFO and frees the buffers. ctx->lock held. */
void umd_devrt_release(MUcontext ctx);

/* Traces a driver call's result with MUSA_LOG=debug (log.c); returns r. */
MUresult umd_trace(const char *fn, MUresult r);
#define UMD_RET(r) umd_trace(__func__, (r))

/* PCI location the software device reports: domain 0, bus = physical index. */
unsigned int umd_dev_pci_bus(const struct umd_dev *d);
/* Shared memory of one multiprocessor, for occupancy (device.c). */
unsigned int umd_dev_smem_per_cu(const struct umd_dev *d);

/* Kinds of entries of the allocation table (memory.c). */
enum umd_mem_kind {
	UMD_MEM_DEVICE = 0,   /* muMemAlloc / pools: device memory of ctx */
	UMD_MEM_HOST,         /* pinned host memory (userptr BO on ctx) */
	UMD_MEM_MANAGED,      /* muMemAllocManaged: device BO, host-accessible */
	UMD_MEM_IPC,          /* a mapping of another process's allocation */
};

/* What the allocation table knows about one entry. */
struct umd_mem_info {
	MUdeviceptr base;
	size_t size;
	MUcontext ctx;
	enum umd_mem_kind kind;
	unsigned int flags;   /* host: MU_MEMHOSTALLOC_* / REGISTER flags; managed: attach */
	int host_owned;       /* host: memory allocated by muMemHostAlloc */
	void *pool;           /* mem_pool.c: the pool of a stream-ordered block */
};

/* Looks [p, p + len) up in the allocation table; 0 or -1. */
int umd_mem_lookup(MUdeviceptr p, size_t len, struct umd_mem_info *out);
/* Adds an entry of the given kind; the memory and BO are described by bo
 * (handle 0: none); host_owned memory is freed with free() on removal. */
MUresult umd_mem_add(MUcontext ctx, MUdeviceptr base, size_t size, enum umd_mem_kind kind,
		     unsigned int flags, int host_owned, const struct umd_bo *bo);
/* Device memory of a kind: muMemAlloc's allocator; *out the address. */
MUresult umd_mem_alloc_kind(MUcontext ctx, size_t size, enum umd_mem_kind kind,
			    unsigned int flags, void *pool, MUdeviceptr *out);
/* Removes the entry starting at base (of `kind`; any ctx) and releases it
 * without waiting for the device: the caller knows it is idle. */
MUresult umd_mem_remove(MUdeviceptr base, enum umd_mem_kind kind);
/* Makes pinned memory holding [p, p + len) reachable by ctx's copy engine
 * (a userptr BO of its own in that context, kept until the memory is
 * freed); 0, or -1 when p is not pinned memory or the BO cannot be made. */
int umd_mem_host_bo(MUdeviceptr p, size_t len, MUcontext ctx);
/* The BO behind a device allocation starting at base: handle, offset of base
 * in it, BO size; and a slot for the PRIME fd exported for IPC. */
int umd_mem_bo_of(MUdeviceptr base, MUcontext ctx, uint32_t *handle, uint64_t *offset,
		  uint64_t *bo_size, int **ipc_fd);

/* copy.c: one side of a copy or fill. */
enum umd_side {
	UMD_SIDE_ANY,     /* unified: device if in the allocation table */
	UMD_SIDE_DEVICE,
	UMD_SIDE_HOST,
};

struct umd_range {
	uint64_t addr;     /* device address to put in the packet */
	struct umd_bo bo;  /* transient userptr BO, handle 0 if none */
};

MUresult umd_range_get(MUcontext ctx, uint64_t p, size_t n, enum umd_side side,
		       int read_only, struct umd_range *out);
void umd_range_put(MUcontext ctx, struct umd_range *r);
/* Enters the current context and resolves the stream an operation runs on;
 * the caller drops the stream (umd_stream_put), which holds the context. */
MUresult umd_op_begin(MUstream h, MUcontext *ctx, struct MUstream_st **st);
/* Submits packets on st; waits when sync or a transient BO is in use, then
 * releases the ranges. */
MUresult umd_op_finish(MUcontext ctx, struct MUstream_st *st, struct drm_musa_packet *p,
		       unsigned int n, int sync, struct umd_range *r, unsigned int nr);

/* mem_peer.c: forgets the peer links of a context being destroyed. */
void umd_peer_forget_ctx(MUcontext ctx);
/*
 * IPC exports (ipc_broker.c).
 * What an IPC handle (MUipcMemHandle, MUipcEventHandle: 64 opaque bytes)
 * holds: the kind's magic, the layout version, the exporter's pid and
 * broker id, and the export's secret; every other byte is zero.
 */
#define UMD_IPC_SECRET_LEN 16
#define UMD_IPC_WIRE_VERSION 2
#define UMD_IPC_KIND_MEM   0x4d435049u  /* "IPCM" */
#define UMD_IPC_KIND_EVENT 0x45435049u  /* "IPCE" */

struct umd_ipc_wire {
	uint32_t magic;     /* UMD_IPC_KIND_* */
	uint32_t version;   /* UMD_IPC_WIRE_VERSION */
	int32_t pid;        /* exporter */
	uint32_t pad;       /* 0 */
	uint64_t broker;    /* exporter's broker id (random, never 0) */
	uint8_t secret[UMD_IPC_SECRET_LEN];
};

/*
 * Exports the open file `fd` (the broker keeps its own copy) as the object
 * `key` of `kind`, with the offset and size the importer is to use, and
 * fills the handle. Exporting the same key again gives the same handle.
 * 0 or -errno.
 */
int umd_broker_export(const void *key, uint32_t kind, int fd, uint64_t offset, uint64_t size,
		      struct umd_ipc_wire *w);
/* Ends the export of `key`: later opens of its handles fail. */
void umd_broker_revoke(const void *key, uint32_t kind);
/* Reads a handle's bytes: 0, or -EINVAL when it is not a handle of `kind`. */
int umd_ipc_wire_check(const void *reserved, size_t len, uint32_t kind,
		       struct umd_ipc_wire *w);
/*
 * Asks the exporter for the export a handle names: a new open file
 * (O_CLOEXEC) and the export's offset and size, -ENOENT when the handle
 * names no live export of a process of this user, or another -errno.
 */
int umd_broker_fetch(const struct umd_ipc_wire *w, uint64_t *offset, uint64_t *size);

/* mem_ipc.c: forgets the IPC mappings of a context being destroyed. */
void umd_ipc_forget_ctx(MUcontext ctx);
/* mem_pool.c: the pools of a context being destroyed. */
void umd_pool_forget_ctx(MUcontext ctx);
/* mem_pool.c: a block of the pool was freed by muMemFree. */
void umd_pool_block_gone(void *pool, MUdeviceptr base);
/* Queues fn(data) on stream s in stream order: it runs on a worker thread of
 * the stream (never the caller's) once the work queued before it is done,
 * and work queued after it waits until it returned. Takes ctx->lock. */
MUresult umd_stream_host_fn(struct MUstream_st *s, void (*fn)(void *), void *data);
/* Teardown of a context: stops and joins every host-function worker still
 * serving it (hostfn.c). ctx->lock held; workers never take it. */
void umd_hostfn_ctx_gone(MUcontext ctx);
/* Handle registry types of graphs, nodes and executable graphs (graph.c). */
#define UMD_H_GRAPH      ((enum umd_htype)100)
#define UMD_H_GRAPH_NODE ((enum umd_htype)101)
#define UMD_H_GRAPH_EXEC ((enum umd_htype)102)

/* Stream capture hooks (capture.c), called by the entry points that queue
 * work. Each returns 0 when the call should proceed as usual, or 1 when the
 * capture took it over (or refused it) and *r is the call's result. Work
 * on the legacy stream while a blocking stream of the context captures is
 * refused (STREAM_CAPTURE_IMPLICIT) and invalidates that capture. */
int umd_capture_kernel(struct MUstream_st *s, MUfunction f, const unsigned int grid[3],
		       const unsigned int block[3], unsigned int shared,
		       const void *packed, MUresult *r);
int umd_capture_copy(struct MUstream_st *s, uint64_t dst, int dside, uint64_t src,
		     int sside, size_t n, MUresult *r);
int umd_capture_fill(struct MUstream_st *s, MUdeviceptr dst, uint32_t value,
		     unsigned int elem, size_t count, MUresult *r);
int umd_capture_host_fn(struct MUstream_st *s, void (*fn)(void *), void *data, MUresult *r);
/* General forms for pitched / 3-D copies and 2-D fills (arrays unsupported;
 * host sides as MU_MEMORYTYPE_HOST, unified as UNIFIED). */
int umd_capture_memcpy3d(struct MUstream_st *s, const MUSA_MEMCPY3D *p, MUresult *r);
int umd_capture_memset(struct MUstream_st *s, const MUSA_MEMSET_NODE_PARAMS *p, MUresult *r);
int umd_capture_event_record(MUevent e, struct MUstream_st *s, MUresult *r);
int umd_capture_wait_event(struct MUstream_st *s, MUevent e, MUresult *r);
/* Stream synchronize / query: a capturing stream -> STREAM_CAPTURE_UNSUPPORTED
 * (the capture is invalidated); 0 to proceed. */
MUresult umd_capture_sync(struct MUstream_st *s);
/* MUSA_ERROR_CAPTURED_EVENT when e was last recorded in a capture, else 0. */
MUresult umd_capture_event_check(MUevent e);
/* A stream or event is going away: forget its capture state. */
void umd_capture_forget_stream(struct MUstream_st *s);
void umd_capture_forget_event(MUevent e);
/* For "potentially unsafe" calls (allocation, context synchronize, ...)
 * while captures are in progress, as the calling thread's capture mode
 * (muThreadExchangeStreamCaptureMode) decides: GLOBAL refuses while this
 * thread has a non-relaxed capture or any thread a GLOBAL one,
 * THREAD_LOCAL only for this thread's non-relaxed captures, RELAXED never.
 * Refused: STREAM_CAPTURE_UNSUPPORTED, and those captures are invalidated. */
MUresult umd_capture_unsafe_call(void);
/* The function's settable attributes (module.c). Takes ctx->lock. */
void umd_func_attrs_get(MUfunction f, struct umd_func_attrs *out);

/* Resident blocks of f per multiprocessor (occupancy.c); 0 or INVALID_VALUE. */
MUresult umd_occupancy_blocks(MUfunction f, int block_size, size_t dyn_shared, int *out);
/* Musa-smi's record of this process (smi.c, include/musa_smi.h). */
/* Creates the record once the devices are known (muInit); without it, or
 * with MUSA_SMI=0, the counters below do nothing. */
void umd_smi_publish(void);
/* An allocation of `kind` entered (delta > 0) or left (delta < 0) the
 * allocation table; device and managed memory count. */
void umd_smi_mem(MUdevice ordinal, enum umd_mem_kind kind, int64_t delta);
/* A kernel launch was submitted on device `ordinal`. */
void umd_smi_launch(MUdevice ordinal);

#endif /* UMD_H */
