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
 * allocation table lock / handle registry lock. Nobody waits on the device
 * while holding ctx->lock.
 */
#ifndef UMD_H
#define UMD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "musa.h"
#include "musa_codeobj.h"
#include "uapi/musa_drm.h"

#define UMD_API __attribute__((visibility("default")))

#define UMD_MAX_DEVICES 64

/* ---- logging (only with MUSA_LOG=debug) ---------------------------------- */
void umd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- intrusive lists ----------------------------------------------------- */
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

/* ---- transport (transport.c) ---------------------------------------------- */
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

/* ---- errors (errno.c) ------------------------------------------------------ */
/* The one errno -> MUresult translation (err is positive or negative). */
MUresult umd_errno(int err);
/* Sticky error of a device fault kind (enum drm_musa_fault_kind). */
MUresult umd_fault_result(uint32_t kind);

/* ---- handle registry (handle.c) --------------------------------------------- */
enum umd_htype {
	UMD_H_CTX = 1,
	UMD_H_STREAM,
	UMD_H_EVENT,
	UMD_H_MODULE,
	UMD_H_FUNC,
};

/* Live handles, so a destroyed or foreign handle is refused, not followed. */
int umd_handle_add(const void *h, enum umd_htype type);
void umd_handle_del(const void *h);
int umd_handle_valid(const void *h, enum umd_htype type);

/* ---- devices (init.c, device.c) ----------------------------------------- */
struct umd_dev {
	unsigned int kmd_index;              /* physical device behind the ordinal */
	struct drm_musa_device_info info;    /* from DEVICE_QUERY at muInit */
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
/* DEVICE_QUERY on an open fd. */
int umd_dev_query(const struct umd_tr *tr, struct drm_musa_device_info *info);

/* ---- buffer objects (bo.c) ------------------------------------------------- */
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

/* ---- contexts (context.c) -------------------------------------------------- */
struct umd_stream;

struct umd_kernarg_slot {
	uint32_t syncobj;  /* timeline whose point frees the slot; 0: free */
	uint64_t point;
};

#define UMD_KERNARG_SLOT  4096u
#define UMD_KERNARG_SLOTS 256u

#define UMD_TS_SLOTS 512u   /* 8-byte timestamp slots per timestamp BO */

struct umd_ts_page {
	struct umd_list link;
	struct umd_bo bo;
	uint64_t used[UMD_TS_SLOTS / 64];
};

/* A stream's timeline kept alive after muStreamDestroy until all its points
 * are known to have passed (other queues may still wait on it). */
struct umd_zombie {
	struct umd_list link;
	uint32_t syncobj;
	uint64_t point;
};

struct MUctx_st {
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
	struct umd_list ts_pages;
	struct umd_list zombies;
	struct umd_bo kernarg;
	struct umd_devrt *devrt;     /* printf.c: printf FIFO, malloc heap, limits */
	struct umd_kernarg_slot kslots[UMD_KERNARG_SLOTS];
	unsigned int knext;
};

/* Checks init, the current context, and its sticky error. */
MUresult umd_ctx_enter(MUcontext *out);
/* Like umd_ctx_enter but ignores a sticky error. */
MUresult umd_ctx_current(MUcontext *out);
/* CTX_QUERY: records and returns the sticky error of a fault. */
MUresult umd_ctx_check_fault(MUcontext ctx);
/* Waits for every stream of the context, then checks for a fault. */
MUresult umd_ctx_sync(MUcontext ctx);

/* ---- memory (memory.c) ----------------------------------------------------- */
struct umd_alloc_info {
	MUdeviceptr base;
	size_t size;
	MUcontext ctx;
};

/* Finds the allocation holding [p, p + len); 0, or -1 when there is none. */
int umd_alloc_find(MUdeviceptr p, size_t len, struct umd_alloc_info *out);
/* Frees every allocation of a context (teardown). */
void umd_mem_release_ctx(MUcontext ctx);

/* ---- streams (stream.c) ---------------------------------------------------- */
struct MUstream_st {
	struct umd_list link;
	MUcontext ctx;
	unsigned int flags;
	int priority;
	int legacy;
	uint32_t queue;
	uint32_t syncobj;
	uint64_t last;   /* last submitted point; guarded by ctx->lock */
	uint64_t done;   /* a point known to have passed */
};

/* Resolves NULL / MU_STREAM_LEGACY / a handle of ctx. */
MUresult umd_stream_resolve(MUcontext ctx, MUstream h, struct MUstream_st **out);
/* Submits packets on s, preceded by the legacy-stream WAITs; *point gets
 * the timeline point that signals their completion. Takes ctx->lock. */
MUresult umd_stream_submit(struct MUstream_st *s, struct drm_musa_packet *pkts,
			   unsigned int n, uint64_t *point);
/* As umd_stream_submit with ctx->lock already held. */
MUresult umd_stream_submit_locked(struct MUstream_st *s, struct drm_musa_packet *pkts,
				  unsigned int n, uint64_t *point);
/* Waits until syncobj reaches point, watching for a context fault. */
MUresult umd_wait_point(MUcontext ctx, uint32_t syncobj, uint64_t point);
/* 1 when syncobj reached point, 0 when not, -errno on error. */
int umd_point_passed(MUcontext ctx, uint32_t syncobj, uint64_t point);
MUresult umd_stream_create(MUcontext ctx, unsigned int flags, int priority, int legacy,
			   struct MUstream_st **out);
void umd_stream_release(MUcontext ctx, struct MUstream_st *s);
int umd_syncobj_create(MUcontext ctx, uint32_t *handle);
void umd_syncobj_destroy(MUcontext ctx, uint32_t handle);

/* ---- events (event.c) ------------------------------------------------------ */
struct MUevent_st {
	struct umd_list link;
	MUcontext ctx;
	unsigned int flags;
	uint32_t syncobj;
	uint64_t point;           /* 0: never recorded */
	struct umd_ts_page *ts;   /* NULL with MU_EVENT_DISABLE_TIMING */
	unsigned int ts_slot;
};

void umd_event_release(MUcontext ctx, struct MUevent_st *e);

/* ---- modules (module.c) ---------------------------------------------------- */
struct MUfunc_st {
	struct MUmod_st *mod;
	const struct musa_codeobj_kernel *k;
	uint32_t handle;   /* kernel handle of CODE_LOAD */
};

struct MUmod_st {
	struct umd_list link;
	MUcontext ctx;
	void *image;                 /* private copy; metadata points into it */
	size_t size;
	struct musa_codeobj co;
	uint32_t kmd_module;
	struct MUfunc_st *funcs;
	uint64_t *var_va;            /* device address of co.vars[i] (CODE_GLOBAL) */
};

void umd_module_release(MUcontext ctx, struct MUmod_st *m);
/* Whether [p, p + n) lies inside one variable of a module of ctx: such a
 * range is device memory for copies and fills. Takes ctx->lock. */
int umd_module_var_range(MUcontext ctx, uint64_t p, size_t n);
/* A module variable of the current context holding p, described as an
 * allocation (pointer queries treat variables as device memory); 0 or -1. */
struct umd_alloc_info;
int umd_module_var_alloc(uint64_t p, struct umd_alloc_info *out);

/* ---- device runtime buffers (printf.c) ------------------------------------- */
/* Points the module's printf FIFO and malloc heap variables, when it has
 * them, at the context's buffers (made on first need). */
MUresult umd_devrt_bind(MUcontext ctx, struct MUmod_st *m);
/* Prints the device printf records written so far, in order. */
void umd_printf_drain(MUcontext ctx);
/* Teardown: drains the FIFO and frees the buffers. ctx->lock held. */
void umd_devrt_release(MUcontext ctx);

#endif /* UMD_H */
