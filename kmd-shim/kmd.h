/* SPDX-License-Identifier: MIT */
/*
 * kmd.h - private declarations shared by the files of the kernel-driver shim.
 *
 * Owns the object model of libmusa_kmd: devices, per-fd files, BOs, VM
 * mappings, syncobjs, fences, queues, jobs, modules and kernels. Nothing
 * outside kmd-shim/ includes this header; the public door is
 * include/uapi/musa_kmd.h.
 *
 * Locking order (outer first): file->lock, then the global syncobj lock
 * (kmd_sync_lock), then device->lock. The CP pool lock (which guards the
 * queues' job lists) and the CU pool lock are leaves; cu.c's start lock is
 * taken under file->lock by SUBMIT and holds only the CU pool lock.
 */
#ifndef KMD_H
#define KMD_H

#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "drm.h"
#include "musa_codeobj.h"
#include "uapi/musa_drm.h"
#include "uapi/musa_kmd.h"

#define KMD_EXPORT __attribute__((visibility("default")))

/* Unmapped gap after every BO in the device window: overruns fault. */
#define KMD_GUARD_BYTES   (64u * 1024u)
#define KMD_VA_ALIGN      (64u * 1024u)
/* Fake mmap offsets start here, as DRM_FILE_PAGE_OFFSET does. */
#define KMD_MMAP_OFFSET_BASE (1ull << 32)

void kmd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The submission path's allocations (alloc.c): malloc, calloc and realloc,
 * which a test can make fail (see alloc.c). */
void *kmd_malloc(size_t size);
void *kmd_calloc(size_t n, size_t size);
void *kmd_realloc(void *p, size_t size);
/* One line on stderr whatever MUSA_LOG says: a bad setting of the user. */
void kmd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* User memory (drm.c) */

/* Fault-safe copies: 0 or -EFAULT, never a crash on a bad user pointer. */
int kmd_copy_from_user(void *dst, uint64_t user_src, size_t n);
int kmd_copy_to_user(uint64_t user_dst, const void *src, size_t n);

/* Handle tables (handle.c) */

struct kmd_handles {
	void **slots;     /* slots[h - 1] */
	uint32_t *link;   /* per free slot: the next free slot + 1, 0 at the end */
	uint32_t cap;
	uint32_t top;     /* slots [0, top) have been handed out at least once */
	uint32_t free_head, free_tail;  /* FIFO of freed slots (+ 1; 0: empty) */
	uint32_t pop_at;  /* kmd_handle_pop: where the downward scan resumes */
};

int kmd_handle_alloc(struct kmd_handles *t, void *obj, uint32_t *handle);
void *kmd_handle_get(const struct kmd_handles *t, uint32_t handle);
void *kmd_handle_remove(struct kmd_handles *t, uint32_t handle);
/* Removes and returns any remaining object (NULL when empty); for teardown. */
void *kmd_handle_pop(struct kmd_handles *t);
void kmd_handles_fini(struct kmd_handles *t);

/* Devices (device.c) */

struct kmd_va_hole {
	uint64_t start;
	uint64_t size;
};

struct kmd_cu_pool;
struct kmd_cp_pool;
struct kmd_ring;

struct kmd_device {
	unsigned int index;
	struct drm_musa_device_info info;  /* memory_used kept below */
	pthread_mutex_t lock;              /* memory_used, VA holes */
	uint64_t memory_used;
	void *window;                      /* reserved PROT_NONE window */
	uint64_t window_size;
	struct kmd_va_hole *holes;         /* free extents, sorted by start */
	uint32_t nholes, holes_cap;
	atomic_uint_fast64_t next_mmap_offset;
	struct kmd_cu_pool *cu;           /* started on the first dispatch */
	struct kmd_cp_pool *cp;           /* started on the first QUEUE_CREATE */
};

/* Parses MUSA_SWDEV once; returns the device or NULL past the last one. */
struct kmd_device *kmd_device_get(unsigned int index);
int kmd_device_mem_charge(struct kmd_device *dev, uint64_t bytes);
void kmd_device_mem_uncharge(struct kmd_device *dev, uint64_t bytes);
/* Window allocator: an address for `size` bytes plus the guard gap. */
int kmd_device_va_alloc(struct kmd_device *dev, uint64_t size, uint64_t *va);
void kmd_device_va_free(struct kmd_device *dev, uint64_t va, uint64_t size);

/* Device-side trace (trace.c) */

/* An fd's trace buffer: records of what the device ran (DRM_MUSA_TRACE). */
struct kmd_trace {
	atomic_bool on;              /* recording; read once per packet */
	pthread_mutex_t lock;        /* the fields below */
	struct drm_musa_trace_record *rec;
	uint64_t count, cap;
	uint64_t dropped;
	uint64_t seq;                /* last packet number handed out */
};

/* The device clock: CLOCK_MONOTONIC ns, as TIMESTAMP packets write it. */
uint64_t kmd_clock_ns(void);
void kmd_trace_init(struct kmd_trace *t);
void kmd_trace_fini(struct kmd_trace *t);

/* Per-fd state (drm.c) */

/* A fault and where it happened, as far as the device knows (the fields
 * of CTX_QUERY; flags: DRM_MUSA_FAULT_HAS_*). */
struct kmd_fault_info {
	uint64_t address;
	uint64_t pc;
	uint32_t flags;
	uint32_t kernel;   /* kernel handle of the dispatch */
	uint32_t block[3];
	uint32_t thread[3];
};

struct kmd_file {
	atomic_int refcount;         /* one per registered fd, one per user */
	int fd;                      /* the fd musa_kmd_open() returned */
	/* The memfd's identity: a registered number is this file only while
	 * the fd it names has this (st_dev, st_ino). */
	uint64_t ident_dev, ident_ino;
	void *pin;                   /* PROT_NONE map of the memfd: keeps the
				      * inode (and so its number) alive */
	struct kmd_device *dev;
	pthread_mutex_t lock;        /* handle tables and VM lists */
	struct kmd_handles bos;
	struct kmd_handles syncobjs;
	struct kmd_handles queues;
	struct kmd_handles modules;
	struct kmd_handles kernels;
	struct kmd_vma **vmas;       /* device-window mappings, sorted by va */
	uint32_t nvmas, vmas_cap;
	struct kmd_vma *userptr_vmas; /* identity mappings (may overlap) */
	/* fault.c: context status */
	pthread_mutex_t fault_lock;
	uint32_t fault_kind;
	struct kmd_fault_info fault;
	struct kmd_ring *rings;      /* rings told of a fault (ring.c), under fault_lock */
	struct kmd_trace trace;      /* trace.c */
};

/* Buffer objects (bo.c) */

struct kmd_bo {
	atomic_int refcount;
	struct kmd_device *dev;
	uint64_t size;          /* page multiple */
	int memfd;              /* -1 for a userptr BO */
	uint64_t userptr;       /* host address of a userptr BO */
	uint32_t flags;         /* KMD_BO_READ_ONLY */
	uint64_t mmap_offset;   /* 0 until BO_MMAP_OFFSET */
};

/*
 * Neither the device nor a mapping may write the BO: a read-only userptr
 * BO, or a BO imported from a PRIME fd of another process that was
 * exported without DRM_RDWR. The copy engine refuses it as a destination
 * (EFAULT) and VM_MAP maps it PROT_READ, so a kernel's store faults.
 */
#define KMD_BO_READ_ONLY DRM_MUSA_USERPTR_READ_ONLY

struct kmd_bo *kmd_bo_lookup(struct kmd_file *f, uint32_t handle); /* +ref; takes f->lock */
void kmd_bo_get(struct kmd_bo *bo);
void kmd_bo_put(struct kmd_bo *bo);
void kmd_bo_release_all(struct kmd_file *f);

/* VM mappings (vm.c) */

struct kmd_vma {
	atomic_int refcount;
	struct kmd_bo *bo;
	uint64_t va;
	uint64_t size;
	bool userptr;
	struct kmd_vma *next;   /* userptr list link */
	struct kmd_module *module; /* module data range (code.c): held until put */
};

/*
 * Finds the mapping of `f` that holds [va, va + size) and takes a reference
 * on it, so the range stays mapped until kmd_vma_put(). f->lock held.
 * Returns NULL when the range is not inside one mapped BO.
 */
struct kmd_vma *kmd_vma_find(struct kmd_file *f, uint64_t va, uint64_t size);
void kmd_vma_put(struct kmd_vma *vma);
/* Drops every mapping of `bo` in `f` (GEM_CLOSE). f->lock held. */
void kmd_vm_unmap_bo(struct kmd_file *f, struct kmd_bo *bo);
void kmd_vm_release_all(struct kmd_file *f);
/* Makes [va, va + size) of a loaded module's writable data addressable by
 * COPY/FILL packets of `f` (an identity mapping holding a module reference);
 * kmd_vm_unmap_module drops them all. f->lock held. */
int kmd_vm_map_module(struct kmd_file *f, struct kmd_module *m, uint64_t va, uint64_t size);
void kmd_vm_unmap_module(struct kmd_file *f, struct kmd_module *m);

/* Syncobjs and fences (syncobj.c) */

struct kmd_fence {
	atomic_int refcount;
	bool signalled;        /* under kmd_sync_lock */
	/* SYNCOBJ_TRANSFER: a fence standing for others, signalled once all
	 * of them are (syncobj.c) */
	struct kmd_fence **deps;
	uint32_t ndeps;
};

struct kmd_fence_point {
	uint64_t point;
	struct kmd_fence *fence;
};

struct kmd_syncobj {
	atomic_int refcount;
	/* all under kmd_sync_lock */
	struct kmd_fence_point *pts; /* attach order */
	uint32_t npts, cap;
	uint32_t reserved;           /* slots of pts kept for reserved attaches */
	uint64_t base;               /* value reached by pruned points */
};

struct kmd_fence *kmd_fence_new(bool signalled);
void kmd_fence_put(struct kmd_fence *fence);
void kmd_fence_signal(struct kmd_fence *fence);
struct kmd_syncobj *kmd_syncobj_lookup(struct kmd_file *f, uint32_t handle); /* +ref, f->lock held */
void kmd_syncobj_put(struct kmd_syncobj *so);
/* Attaches `fence` at `point` (0: replaces the binary fence): 0, or
 * -ENOMEM with nothing changed. */
int kmd_syncobj_attach(struct kmd_syncobj *so, uint64_t point, struct kmd_fence *fence);
/*
 * A submission's two phases: kmd_syncobj_reserve keeps room for one
 * attach (0 or -ENOMEM; nothing else changes), which
 * kmd_syncobj_attach_reserved then uses and cannot fail, or
 * kmd_syncobj_unreserve gives back. The caller holds a reference on `so`
 * from the reserve on.
 */
int kmd_syncobj_reserve(struct kmd_syncobj *so);
void kmd_syncobj_unreserve(struct kmd_syncobj *so);
void kmd_syncobj_attach_reserved(struct kmd_syncobj *so, uint64_t point,
				 struct kmd_fence *fence);
/* A queue blocked on a syncobj point (syncobj.c keeps the parked ones). */
struct kmd_sync_waiter {
	struct kmd_sync_waiter *prev, *next;  /* parked list, under kmd_sync_lock */
	struct kmd_syncobj *so;
	uint64_t point;
	const atomic_bool *stop;   /* true: give up waiting */
	/* Called once, under kmd_sync_lock, when the point is signalled or
	 * *stop is true; may take only leaf locks (the CP pool's). */
	void (*wake)(struct kmd_sync_waiter *w);
};

/*
 * Nothing to wait for (the point is signalled, or *w->stop): returns
 * false. Otherwise parks `w` and returns true: w->wake() runs once the
 * point is signalled or *w->stop is true and kmd_sync_kick() is called,
 * possibly before this returns to the caller, which must not touch what
 * the wake-up hands on.
 */
bool kmd_syncobj_park(struct kmd_syncobj *so, uint64_t point, struct kmd_sync_waiter *w);
/* Whether a fence is attached at `point` (0: the binary fence) yet. */
bool kmd_syncobj_has_fence(struct kmd_syncobj *so, uint64_t point);
void kmd_sync_kick(void);
void kmd_syncobj_release_all(struct kmd_file *f);

/* Hand-offs (wait.c) */

/* A wait queue: waiters read a ticket under the lock of the state they
 * wait for, drop the lock and wait until a waker (who changed the state
 * under that lock) moves the word. */
struct kmd_wq {
	_Atomic uint32_t seq;
	atomic_uint sleepers;
	atomic_uint spinners;    /* spinning and not yet claimed by a wake */
};

enum kmd_wait_mode {
	KMD_WAIT_BLOCK,     /* sleep at once */
	KMD_WAIT_ADAPTIVE,  /* spin while a core is free, then yield, then sleep */
};

void kmd_wq_init(struct kmd_wq *q);
uint32_t kmd_wq_ticket(struct kmd_wq *q);
/* Wakes up to n sleepers (INT_MAX: all); spinners see the move anyway. */
void kmd_wq_wake(struct kmd_wq *q, int n);
/* 0 once the word moved from ticket, -ETIME past deadline_ns (absolute
 * CLOCK_MONOTONIC; negative: none). */
int kmd_wq_wait(struct kmd_wq *q, uint32_t ticket, enum kmd_wait_mode mode, int64_t deadline_ns);
/*
 * Spins and yields as a wait would, but never sleeps: true once the word
 * moved or poll(arg) returned true, false when the spinning phases ended
 * (or no core was free to spin on). A command processor lingers on its
 * queue's ring this way, where a doorbell would cost the caller an ioctl.
 */
bool kmd_wq_linger(struct kmd_wq *q, uint32_t ticket, bool (*poll)(void *), void *arg);
/* Brackets device work that keeps a thread on a core (a CU running
 * groups, a CP running packets): spinners give way to it. */
void kmd_busy_enter(void);
void kmd_busy_leave(void);

/* Code objects (code.c) */

struct kmd_module {
	atomic_int refcount;
	void *dl;
	int memfd;              /* kept open: dlopen's name must stay unique */
	/* the name dlopen got: /proc/<pid>/fd/<memfd>, which a debugger or
	 * another tool reading the process's link map can open too, or the
	 * file written for tools that read the mapped file (code.c) */
	char path[PATH_MAX];
	uint32_t nkernels;
	uint32_t *kernel_handles;
	uint32_t nvars;
	struct kmd_var *vars;   /* device variables, from the variable records */
	uint32_t nranges;
	struct kmd_range { uint64_t va, size; } ranges[4]; /* writable data */
	struct kmd_ffi_kernel **ffi; /* per kernel: its libffi call, NULL unless F_FFI */
	musa_wg_where_fn where;      /* MUSA_WG_WHERE_SYM of the object, or NULL */
};

struct kmd_var {
	char *name;
	uint64_t va;
	uint64_t size;
};

struct kmd_kernel {
	struct kmd_module *module;  /* the kernel keeps its module alive */
	musa_wg_entry_fn entry;
	const struct kmd_ffi_kernel *ffi; /* owned by the module; NULL: entry is mcc's */
	uint32_t kernarg_size;
	uint32_t kernarg_align;
	uint32_t static_shared;
	uint32_t max_threads;
	uint32_t flags;
	uint32_t scratch_size;      /* stack its work-group entry needs (musa_codeobj.h) */
};

void kmd_module_get(struct kmd_module *m);
void kmd_module_put(struct kmd_module *m);
void kmd_code_release_all(struct kmd_file *f);

/* Queues, jobs, command processor (queue.c, cp.c) */

/* What a validated packet holds on to until it has run. */
struct kmd_pkt_res {
	struct kmd_vma *vma[2];
	struct kmd_syncobj *so;
	struct kmd_fence *fence;   /* SIGNAL: its fence, an attach reserved in so */
	struct kmd_module *module;
	musa_wg_entry_fn entry;
	uint32_t static_shared;
	uint32_t flags;                    /* the kernel's MUSA_META_F_* */
	const struct kmd_ffi_kernel *ffi;  /* held through `module` */
};

/* The end of one ring submission inside a job (ring.c): its fence is
 * signalled once packet end - 1 has run, as a SUBMIT's would be. */
struct kmd_job_mark {
	uint32_t end;
	struct kmd_fence *fence;    /* or NULL: a submission that signals nothing */
	uint64_t point;             /* its signal point, for the ring's done_point */
};

struct kmd_job {
	struct kmd_job *next;
	uint32_t count;
	struct drm_musa_packet *pkts;
	struct kmd_pkt_res *res;
	struct kmd_fence *done;     /* signalled after the last packet, or NULL */
	uint64_t done_point;        /* a ring queue's done_point after it, or 0 */
	struct kmd_job_mark *marks; /* ring submissions, in packet order */
	uint32_t nmarks, next_mark;
};

enum kmd_queue_state {
	KMD_QUEUE_IDLE,       /* no job, on no list */
	KMD_QUEUE_READY,      /* on the pool's ready list */
	KMD_QUEUE_RUNNING,    /* a CP thread runs it, or it is parked on a WAIT */
};

/*
 * A hardware queue is data: its jobs and where the CP stopped in them. The
 * device's command-processor pool (cp.c) runs the queues that are ready.
 */
struct kmd_queue {
	struct kmd_file *file;
	struct kmd_cp_pool *cp;
	/* under the pool lock */
	struct kmd_job *head, *tail;   /* jobs not started */
	enum kmd_queue_state state;
	struct kmd_queue *ready_next;
	/* owned by the CP thread running the queue (or its parked waiter) */
	struct kmd_job *cur;           /* job started, NULL between jobs */
	uint32_t pc;                   /* next packet of cur */
	struct kmd_sync_waiter wait;   /* parked on the WAIT at pc */
	atomic_bool dying;             /* destroy: stop blocking on WAIT packets */
	struct kmd_ring *ring;         /* user-mode ring (ring.c), or NULL */
	atomic_uint pushes;            /* jobs queued so far */
	uint32_t handle;               /* its handle in the file's table */
	/* trace.c, owned by the CP thread running the queue: the number of
	 * the recorded packet running (0: not recorded), and when the CP
	 * reached the recorded WAIT at pc (0: none) */
	uint64_t trace_seq;
	uint64_t trace_wait_start;
};

/* User-mode rings (ring.c) */

/* Checks a QUEUE_CREATE's ring fields and maps the ring for q (f->lock
 * held): 0, -EINVAL, -EFAULT (not inside one writable BO of f), -ENOMEM. */
int kmd_ring_create(struct kmd_file *f, struct kmd_queue *q,
		    const struct drm_musa_queue_create *a);
void kmd_ring_destroy(struct kmd_ring *r);   /* f->lock not held */
/* Turns the complete submissions written since the last call into jobs
 * of q, in order (f->lock held; never fails: a bad submission becomes a
 * fault of the context, see musa_drm.h). */
void kmd_ring_take(struct kmd_queue *q);
/* True when the ring holds slots not taken yet (any thread). */
bool kmd_ring_pending(const struct kmd_ring *r);
/* The ring's `watch` word: whether a CP looks at it without a doorbell. */
void kmd_ring_watch(struct kmd_ring *r, bool on);
/* Publishes a completed job's point in the header. */
void kmd_ring_done(struct kmd_ring *r, uint64_t point);
/* Takes what every ring of f holds (f->lock held): an ioctl that destroys
 * an object first lets the submissions written before it hold theirs. */
void kmd_rings_take_all(struct kmd_file *f);
/* Tells every ring of f that its context faulted (fault_lock held). */
void kmd_ring_fault_all(struct kmd_file *f, uint32_t kind);
/* A submission's checks, shared by SUBMIT and the rings (queue.c; f->lock
 * held): every packet's rules and references. On error the references
 * taken so far stay in job->res for kmd_job_free. */
int kmd_job_validate(struct kmd_file *f, struct kmd_job *job, uint32_t first, uint32_t count);
/* Starts the compute units when packets [first, first + count) hold a
 * dispatch: 0 or -ENOBUFS. */
int kmd_job_start_cus(struct kmd_device *dev, const struct kmd_job *job, uint32_t first,
		      uint32_t count);

struct kmd_cp_packet_ops {
	/* Checks one packet and takes the references it needs (f->lock held). */
	int (*validate)(struct kmd_file *f, const struct drm_musa_packet *p, struct kmd_pkt_res *r);
	void (*run)(struct kmd_queue *q, const struct drm_musa_packet *p, struct kmd_pkt_res *r);
};

extern const struct kmd_cp_packet_ops kmd_cp_packet_ops[DRM_MUSA_PKT_COUNT];

/* Runs packet p of q with the CP's op and records it (q's file records). */
void kmd_trace_packet(struct kmd_queue *q, const struct drm_musa_packet *p,
		      struct kmd_pkt_res *r);
/* A WAIT of q that the CP reached at q->trace_wait_start is over. */
void kmd_trace_wait_done(struct kmd_queue *q, const struct drm_musa_packet *p);

void kmd_pkt_res_release(struct kmd_pkt_res *r);
void kmd_job_free(struct kmd_job *job);
void kmd_queue_release_all(struct kmd_file *f);

/* The device's CP pool, started (or topped up) on demand: 0, or -ENOMEM
 * when not one CP thread runs. Nothing is left half-made on failure. */
int kmd_cp_pool_get(struct kmd_device *dev, struct kmd_cp_pool **out);
/* The wake-up of a queue parked on a WAIT (struct kmd_sync_waiter). */
void kmd_cp_queue_wake(struct kmd_sync_waiter *w);
/* Queues `job` on `q` and makes the queue ready if it was idle. */
void kmd_cp_queue_push(struct kmd_queue *q, struct kmd_job *job);
/* Lets `q` run what it holds (WAITs stop blocking) and waits until it is
 * idle; the caller frees it afterwards. */
void kmd_cp_queue_drain(struct kmd_queue *q);

/* Compute units (cu.c) */

/* A contiguous share of a dispatch's groups, taken first by the compute
 * unit on the matching core (cu.c); its own cache line. */
#define KMD_CU_SHARES 16u
struct kmd_cu_share {
	atomic_uint_fast64_t next;
	uint64_t end;
} __attribute__((aligned(64)));

struct kmd_dispatch {
	musa_wg_entry_fn entry;
	const struct kmd_ffi_kernel *ffi; /* non-NULL: a kernel called through libffi */
	uint32_t range;                 /* the entry takes a run of groups (F_RANGE) */
	struct musa_wg_launch launch;
	uint64_t groups;
	uint32_t nshares;
	/* groups are handed out from the shares alone: no word that every
	 * take writes */
	struct kmd_cu_share share[KMD_CU_SHARES];
	uint64_t finished;              /* under pool lock */
	uint32_t busy;                  /* workers running its groups; pool lock */
	int result;                     /* first fault kind (DRM_MUSA_FAULT_*);
					 * written under the pool lock, read
					 * by workers without it (__atomic) */
	struct kmd_fault_info fault;    /* where that fault happened */
	musa_wg_where_fn where;         /* the code object's, or NULL */
	uintptr_t window_lo, window_hi; /* the device's memory window */
	atomic_bool timed_out;          /* the watchdog fired */
	struct kmd_dispatch *link;      /* pool's active list */
	struct kmd_wq done;             /* moved when the last group ends */
	/* recorded: the queue whose packet (q->trace_seq) this is; each
	 * compute unit's run of its groups is recorded; NULL: not */
	struct kmd_queue *trace;
};

/* Compute unit `cu` ran `groups` groups of d->trace's packet from start
 * to now. */
void kmd_trace_cu_run(const struct kmd_dispatch *d, uint32_t cu, uint64_t start,
		      uint64_t groups);

/* Stack of compute-unit threads and of CP threads (which run groups
 * too): MUSA_WG_STACK_SIZE for the work-group entry and the frames above
 * it (cu.c). */
#define KMD_CU_STACK_SIZE (32u << 20)

/* Whether a compute unit's stack holds what k's work-group entry declares
 * it needs (0), or -E2BIG: SUBMIT refuses such a dispatch. */
int kmd_cu_stack_check(const struct kmd_kernel *k);

/* Runs every work-group of `d` on the device's CUs; returns 0 (a fault
 * ends the rest of the dispatch and is left in d->result and
 * d->fault), or -errno when no CU could start. */
int kmd_cu_run(struct kmd_device *dev, struct kmd_dispatch *d);
/* Starts the device's CUs if they are not running: 0, or -ENOBUFS when no
 * CU thread could start (nothing is kept; a later call tries again). */
int kmd_cu_start(struct kmd_device *dev);

/* Kernels called through libffi (ffi.c) */

/* Builds the libffi call of an F_FFI kernel from its typed params; fn is
 * the kernel, run_wg the object's MUSA_FFI_RUNNER. -ENOEXEC for a kind
 * libffi cannot be given, -ENOMEM. */
int kmd_ffi_kernel_create(const struct musa_codeobj_kernel *k, void *fn, void *run_wg,
			  struct kmd_ffi_kernel **out);
void kmd_ffi_kernel_destroy(struct kmd_ffi_kernel *fk);
/* Before the groups of d->ffi run: points d's entry and kernarg at a
 * per-dispatch call state (returned, free with kmd_ffi_dispatch_end).
 * NULL: no memory. */
void *kmd_ffi_dispatch_begin(struct kmd_dispatch *d);
void kmd_ffi_dispatch_end(void *state);

/* Copy engine (dma.c) */

void kmd_dma_copy(const struct drm_musa_pkt_copy *c);
void kmd_dma_fill(const struct drm_musa_pkt_fill *fl);
/* Range of a 2-D copy side; -EINVAL on overflow or bad pitch. */
int kmd_dma_copy_extent(uint64_t base, uint64_t width, uint64_t height,
			uint64_t pitch, uint64_t *bytes);
/* How many parts a checked COPY or FILL packet runs as on a device of
 * `cus` compute units (1: whole, on the CP thread), and part i of n of it;
 * parts touch disjoint bytes. */
uint64_t kmd_dma_parts(const struct drm_musa_packet *p, uint32_t cus);
void kmd_dma_run_part(const struct drm_musa_packet *p, uint64_t i, uint64_t n);

/* Faults (fault.c) */

void kmd_fault_record(struct kmd_file *f, uint32_t kind, uint64_t address);
/* The same with where the fault happened, as far as the device knows. */
void kmd_fault_record_info(struct kmd_file *f, uint32_t kind, const struct kmd_fault_info *info);
bool kmd_fault_active(struct kmd_file *f);

/* What a compute-unit thread shares with the fault handlers of fault.c. */
struct kmd_fault_cu {
	sigjmp_buf escape;               /* set around each work-group entry call */
	volatile sig_atomic_t armed;     /* kernel code of `d` is running */
	struct kmd_dispatch *volatile d;
	uintptr_t stack_lo, stack_hi;    /* the thread's own stack */
	uint32_t kind;                   /* out: DRM_MUSA_FAULT_* of the escape */
	uint64_t address;                /* out: fault address, or the PC */
	uint64_t pc;                     /* out: the instruction, 0 if not known */
};

/* Installs the handlers (once per process) and this thread's alternate
 * signal stack; 0 or -errno. */
int kmd_fault_cu_init(struct kmd_fault_cu *t);
/* After an escape landed: unblocks the signals and resets sanitizer state. */
void kmd_fault_cu_landed(struct kmd_fault_cu *t);
/* Runs fn(arg), which touches memory the shim does not own (registered
 * host pages the process may unmap or protect at any time): 0, or -EFAULT
 * with the faulting address when a SIGSEGV/SIGBUS ended it. */
int kmd_fault_guard(void (*fn)(const void *arg), const void *arg, uint64_t *address);
int kmd_fault_user_copy(void *dst, const void *src, size_t n);
/* The signal the watchdog interrupts a compute-unit thread with; installs
 * its handler on first use. */
int kmd_fault_watchdog_signal(void);

/* Ioctl handlers */

typedef int (*kmd_ioctl_fn)(struct kmd_file *f, void *data);

int kmd_ioctl_version(struct kmd_file *f, void *data);
int kmd_ioctl_get_cap(struct kmd_file *f, void *data);
int kmd_ioctl_gem_close(struct kmd_file *f, void *data);
int kmd_ioctl_prime_handle_to_fd(struct kmd_file *f, void *data);
int kmd_ioctl_prime_fd_to_handle(struct kmd_file *f, void *data);
int kmd_ioctl_syncobj_create(struct kmd_file *f, void *data);
int kmd_ioctl_syncobj_destroy(struct kmd_file *f, void *data);
int kmd_ioctl_syncobj_wait(struct kmd_file *f, void *data);
int kmd_ioctl_syncobj_timeline_wait(struct kmd_file *f, void *data);
int kmd_ioctl_syncobj_reset(struct kmd_file *f, void *data);
int kmd_ioctl_syncobj_signal(struct kmd_file *f, void *data);
int kmd_ioctl_syncobj_timeline_signal(struct kmd_file *f, void *data);
int kmd_ioctl_syncobj_query(struct kmd_file *f, void *data);
int kmd_ioctl_syncobj_transfer(struct kmd_file *f, void *data);
int kmd_ioctl_device_query(struct kmd_file *f, void *data);
int kmd_ioctl_get_param(struct kmd_file *f, void *data);
int kmd_ioctl_bo_create(struct kmd_file *f, void *data);
int kmd_ioctl_bo_mmap_offset(struct kmd_file *f, void *data);
int kmd_ioctl_bo_userptr(struct kmd_file *f, void *data);
int kmd_ioctl_vm_map(struct kmd_file *f, void *data);
int kmd_ioctl_vm_unmap(struct kmd_file *f, void *data);
int kmd_ioctl_code_load(struct kmd_file *f, void *data);
int kmd_ioctl_code_unload(struct kmd_file *f, void *data);
int kmd_ioctl_queue_create(struct kmd_file *f, void *data);
int kmd_ioctl_queue_destroy(struct kmd_file *f, void *data);
int kmd_ioctl_submit(struct kmd_file *f, void *data);
int kmd_ioctl_queue_doorbell(struct kmd_file *f, void *data);
int kmd_ioctl_ctx_query(struct kmd_file *f, void *data);
int kmd_ioctl_code_global(struct kmd_file *f, void *data);
int kmd_ioctl_trace(struct kmd_file *f, void *data);

/* BO lookup for musa_kmd_mmap: the BO whose fake range holds [off, off+len). */
struct kmd_bo *kmd_bo_find_mmap(struct kmd_file *f, uint64_t off, uint64_t len);

#endif /* KMD_H */
