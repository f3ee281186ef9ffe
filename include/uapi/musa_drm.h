/* SPDX-License-Identifier: MIT */
/*
 * musa_drm.h - the kernel-driver interface of the MUSA software device.
 *
 * Every call from the user-mode driver (libmusa) to the device goes through
 * an ioctl on a device fd with one of the structs below, or one of the
 * generic DRM ioctls of libdrm's drm.h (VERSION, GET_CAP, GEM_CLOSE,
 * SYNCOBJ_*). The rules follow the Linux DRM uapi conventions:
 *  - only __u32/__u64 fields, pointers carried as __u64;
 *  - every struct is a multiple of 8 bytes; pad fields must be zero;
 *  - unknown flag bits are rejected with EINVAL;
 *  - a struct may grow at its end: a shorter struct from older userspace is
 *    zero-extended, a longer one's extra bytes must be zero;
 *  - timeouts are absolute CLOCK_MONOTONIC nanoseconds;
 *  - every handle is private to the fd that created it.
 * Error numbers: EINVAL bad pad/flag/argument (also a two-call buffer too
 * small, as i915 and xe queries answer), ENOENT unknown handle, EFAULT bad
 * user pointer, ENOMEM allocation larger than the device can hold, ETIME
 * expired wait. docs/uapi.md has the table of every ioctl's errors.
 */
#ifndef MUSA_DRM_H
#define MUSA_DRM_H

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define MUSA_DRM_DRIVER_NAME "musa"
#define MUSA_DRM_DRIVER_DESC "MUSA software device"
#define MUSA_DRM_VERSION_MAJOR 1
#define MUSA_DRM_VERSION_MINOR 6

#define DRM_MUSA_DEVICE_QUERY   0x00
#define DRM_MUSA_BO_CREATE      0x01
#define DRM_MUSA_BO_MMAP_OFFSET 0x02
#define DRM_MUSA_BO_USERPTR     0x03
#define DRM_MUSA_VM_MAP         0x04
#define DRM_MUSA_VM_UNMAP       0x05
#define DRM_MUSA_CODE_LOAD      0x06
#define DRM_MUSA_CODE_UNLOAD    0x07
#define DRM_MUSA_QUEUE_CREATE   0x08
#define DRM_MUSA_QUEUE_DESTROY  0x09
#define DRM_MUSA_SUBMIT         0x0a
#define DRM_MUSA_CTX_QUERY      0x0b
#define DRM_MUSA_CODE_GLOBAL    0x0c
#define DRM_MUSA_QUEUE_DOORBELL 0x0d
#define DRM_MUSA_TRACE          0x0e
#define DRM_MUSA_GET_PARAM      0x0f
#define DRM_MUSA_NUM_IOCTLS     0x10

/*
 * GET_PARAM (version 1.6): one property of the device per call, as
 * ivpu's DRM_IVPU_PARAM_*: a key a newer device adds does not change what
 * an older caller reads. An unknown param, or an index at or past the
 * key's count (1 for keys without an index), is EINVAL.
 */
enum drm_musa_param {
	DRM_MUSA_PARAM_UAPI_VERSION = 0,          /* (major << 32) | minor */
	DRM_MUSA_PARAM_NAME = 1,                  /* index 0..7: bytes 8*index ..
						   * 8*index + 7 of the NUL-terminated
						   * name, in memory order (memcpy) */
	DRM_MUSA_PARAM_ARCH_MAJOR = 2,
	DRM_MUSA_PARAM_ARCH_MINOR = 3,
	DRM_MUSA_PARAM_COMPUTE_UNITS = 4,
	DRM_MUSA_PARAM_WARP_SIZE = 5,
	DRM_MUSA_PARAM_MAX_THREADS_PER_BLOCK = 6,
	DRM_MUSA_PARAM_MAX_BLOCK_DIM = 7,         /* index 0..2: x, y, z */
	DRM_MUSA_PARAM_MAX_GRID_DIM = 8,          /* index 0..2: x, y, z */
	DRM_MUSA_PARAM_SHARED_MEM_PER_BLOCK = 9,  /* bytes */
	DRM_MUSA_PARAM_CLOCK_RATE_KHZ = 10,
	DRM_MUSA_PARAM_DEVICE_INDEX = 11,
	DRM_MUSA_PARAM_MAX_THREADS_PER_CU = 12,
	DRM_MUSA_PARAM_REGS_PER_BLOCK = 13,
	DRM_MUSA_PARAM_MEMORY_SIZE = 14,          /* bytes */
	DRM_MUSA_PARAM_MEMORY_USED = 15,          /* bytes held by BOs now */
	DRM_MUSA_PARAM_VA_START = 16,             /* device address window */
	DRM_MUSA_PARAM_VA_SIZE = 17,              /* bytes */
	DRM_MUSA_PARAM_ENGINES = 18,              /* DRM_MUSA_ENGINE_* bits */
	DRM_MUSA_PARAM_COUNT
};

#define DRM_MUSA_PARAM_NAME_WORDS 8

struct drm_musa_get_param {
	__u32 param;  /* in: enum drm_musa_param */
	__u32 index;  /* in: element of a key that has several, else 0 */
	__u64 value;  /* out: the property (a __u32 one zero-extended) */
};

/* DEVICE_QUERY */

#define DRM_MUSA_QUERY_DEVICE_INFO 0

/*
 * The compatibility path of the device properties (GET_PARAM is the one
 * that grows): every field of drm_musa_device_info has a GET_PARAM key.
 * Two-call protocol: call with size == 0 to learn the size of the answer,
 * then with a buffer of that size. A non-zero size smaller than the answer
 * gets EINVAL; a larger one is filled and size is set to what was written.
 */
struct drm_musa_device_query {
	__u32 query;  /* in: DRM_MUSA_QUERY_* */
	__u32 size;   /* in: bytes at data (0: ask the size); out: answer size */
	__u64 data;   /* in: user pointer to the answer buffer */
	__u32 flags;  /* in: must be 0 */
	__u32 pad;    /* must be 0 */
};

struct drm_musa_device_info {
	char  name[64];               /* NUL-terminated marketing name */
	__u32 arch_major;             /* compute capability major (sm_80 -> 8) */
	__u32 arch_minor;             /* compute capability minor (sm_80 -> 0) */
	__u32 compute_units;          /* worker threads that run work-groups */
	__u32 warp_size;              /* threads per warp (32 or 128) */
	__u32 max_threads_per_block;
	__u32 max_block_dim[3];
	__u32 max_grid_dim[3];
	__u32 shared_mem_per_block;   /* bytes */
	__u32 clock_rate_khz;
	__u32 device_index;           /* position among the software devices */
	__u32 max_threads_per_cu;
	__u32 regs_per_block;
	__u64 memory_size;            /* bytes of device memory */
	__u64 memory_used;            /* bytes held by BOs now */
	__u64 va_start;               /* device address window, bytes */
	__u64 va_size;
	__u32 engines;                /* DRM_MUSA_ENGINE_* bits */
	__u32 pad;
};

#define DRM_MUSA_ENGINE_COMPUTE (1u << 0)
#define DRM_MUSA_ENGINE_COPY    (1u << 1)

/* Buffer objects */

struct drm_musa_bo_create {
	__u64 size;    /* in: bytes, > 0; rounded up to the page size */
	__u32 flags;   /* in: must be 0 */
	__u32 handle;  /* out: BO handle */
};

struct drm_musa_bo_mmap_offset {
	__u32 handle;  /* in: BO handle */
	__u32 flags;   /* in: must be 0 */
	__u64 offset;  /* out: offset to pass to mmap() on the device fd */
};

#define DRM_MUSA_USERPTR_READ_ONLY (1u << 0)

/*
 * Wraps host memory of the calling process in a BO. The range must be page
 * aligned and mapped with the needed permissions (EFAULT otherwise). When
 * mapped with VM_MAP the device address equals the host address.
 */
struct drm_musa_bo_userptr {
	__u64 user_ptr; /* in: page-aligned host address */
	__u64 size;     /* in: bytes, page multiple, > 0 */
	__u32 flags;    /* in: DRM_MUSA_USERPTR_* */
	__u32 handle;   /* out: BO handle */
};

/* Maps a whole BO into the device window; the kernel chooses the address. */
struct drm_musa_vm_map {
	__u32 handle;  /* in: BO handle */
	__u32 flags;   /* in: must be 0 */
	__u64 va;      /* out: device address of the BO's first byte */
};

struct drm_musa_vm_unmap {
	__u32 handle;  /* in: BO handle */
	__u32 pad;     /* must be 0 */
	__u64 va;      /* in: address returned by VM_MAP */
};

/* Code objects */

/*
 * Loads the code object held in the first `size` bytes of a BO. The image is
 * validated (ELF layout and kernel metadata) before anything of it is loaded;
 * a malformed image gets ENOEXEC. Two-call protocol for the kernel handles:
 * with kernel_count smaller than the image's kernel count (e.g. 0) nothing is
 * loaded and kernel_count returns the count. Kernel i corresponds to the i-th
 * record of the image's metadata section.
 */
struct drm_musa_code_load {
	__u32 bo_handle;    /* in: BO holding the image */
	__u32 flags;        /* in: must be 0 */
	__u64 size;         /* in: image size in bytes, <= BO size */
	__u64 kernels;      /* in: user pointer to __u32[kernel_count] (out) */
	__u32 kernel_count; /* in: capacity of kernels; out: kernels in image */
	__u32 module;       /* out: module handle */
};

struct drm_musa_code_unload {
	__u32 module;  /* in: module handle; its kernel handles die with it */
	__u32 pad;     /* must be 0 */
};

/*
 * Looks up a variable of a loaded module by the name of its metadata record
 * (version 1.2). The variable lives in the module's writable data, which
 * CODE_LOAD made device-accessible for COPY and FILL packets of this fd
 * until CODE_UNLOAD. ENOENT: unknown module or name; EINVAL: name_len 0 or
 * over DRM_MUSA_MAX_NAME or holding a NUL, non-zero flags or pad; EFAULT: bad
 * name pointer.
 */
struct drm_musa_code_global {
	__u32 module;    /* in: module handle */
	__u32 name_len;  /* in: bytes at name, no NUL */
	__u64 name;      /* in: user pointer to the variable's name */
	__u64 va;        /* out: device address of the variable */
	__u64 size;      /* out: bytes */
	__u32 flags;     /* in: must be 0 */
	__u32 pad;       /* must be 0 */
};

#define DRM_MUSA_MAX_NAME 4096

/* Queues and submission */

/*
 * A queue with a user-mode ring (version 1.3): the caller submits by
 * writing slots into a ring in one of its own BOs and moving the ring's
 * wptr, without an ioctl, as with the user-mode queues of real GPUs.
 */
#define DRM_MUSA_QUEUE_RING (1u << 0)

struct drm_musa_queue_create {
	__u32 flags;      /* in: 0 or DRM_MUSA_QUEUE_RING */
	__u32 priority;   /* in: 0 (normal) .. 2 (high) */
	__u32 handle;     /* out: queue handle */
	__u32 pad;        /* must be 0 */
	/* since 1.3; a 16-byte struct from older userspace is zero-extended */
	__u64 ring;       /* in, with QUEUE_RING: device address of the ring */
	__u32 ring_slots; /* in, with QUEUE_RING: a power of two in
			   * DRM_MUSA_RING_MIN_SLOTS .. DRM_MUSA_RING_MAX_SLOTS */
	__u32 pad2;       /* must be 0 */
};

struct drm_musa_queue_destroy {
	__u32 handle;  /* in: queue handle; queued work is finished first */
	__u32 pad;     /* must be 0 */
};

enum drm_musa_packet_type {
	DRM_MUSA_PKT_NOP = 0,
	DRM_MUSA_PKT_KERNEL_DISPATCH = 1,
	DRM_MUSA_PKT_COPY = 2,
	DRM_MUSA_PKT_FILL = 3,
	DRM_MUSA_PKT_WAIT = 4,
	DRM_MUSA_PKT_SIGNAL = 5,
	DRM_MUSA_PKT_TIMESTAMP = 6,
	DRM_MUSA_PKT_COUNT
};

/* Runs grid[0]*grid[1]*grid[2] work-groups of block[0]*block[1]*block[2] threads. */
struct drm_musa_pkt_dispatch {
	__u32 kernel;        /* kernel handle from CODE_LOAD */
	__u32 shared_bytes;  /* dynamic shared memory per work-group */
	__u32 grid[3];
	__u32 block[3];
	__u64 kernarg;       /* device address of the arguments, inside a BO */
	__u32 kernarg_size;  /* bytes at kernarg, >= the kernel's kernarg size */
	__u32 pad;
};

/*
 * Copies height rows of width bytes; row i starts at src + i * src_pitch and
 * dst + i * dst_pitch. A 1-D copy has height 1. Both ranges must lie inside
 * mapped BOs.
 */
struct drm_musa_pkt_copy {
	__u64 src;
	__u64 dst;
	__u64 width;
	__u64 height;
	__u64 src_pitch;
	__u64 dst_pitch;
};

/* Writes `count` elements of elem_size bytes (1, 2 or 4) holding value. */
struct drm_musa_pkt_fill {
	__u64 dst;
	__u64 count;
	__u32 value;
	__u32 elem_size;
};

/* WAIT blocks the queue until the syncobj reaches point; SIGNAL sets it. */
struct drm_musa_pkt_sync {
	__u32 syncobj;  /* syncobj handle */
	__u32 pad;
	__u64 point;    /* timeline point; 0 for a binary syncobj */
};

/* Writes the CLOCK_MONOTONIC time in ns, as a __u64, to dst. */
struct drm_musa_pkt_timestamp {
	__u64 dst;
};

/* Every packet is 64 bytes: a header and a type-specific body. */
struct drm_musa_packet {
	__u32 type;   /* enum drm_musa_packet_type */
	__u32 flags;  /* must be 0 */
	union {
		struct drm_musa_pkt_dispatch dispatch;
		struct drm_musa_pkt_copy copy;
		struct drm_musa_pkt_fill fill;
		struct drm_musa_pkt_sync sync;
		struct drm_musa_pkt_timestamp timestamp;
		__u64 raw[7];
	};
};

/*
 * The user-mode ring: a struct drm_musa_ring_header followed by ring_slots
 * slots, in a writable BO of the fd mapped at a DRM_MUSA_RING_ALIGN
 * aligned address. The caller writes a submission as consecutive slots,
 * one packet each, the last one flagged DRM_MUSA_RING_SLOT_LAST and
 * naming the syncobj point that signals its completion; then it stores
 * wptr (release), the count of slots ever written. The device takes
 * slots up to wptr, checks every submission as SUBMIT would, and stores
 * rptr once the slots are free again. A submission that breaks a rule
 * (SUBMIT's packet rules, the slot rules below, more than
 * DRM_MUSA_MAX_PACKETS slots) is not run: the context is marked guilty
 * (DRM_MUSA_FAULT_INVALID_PACKET), its point still signals when its
 * syncobj exists, and `error` gets the errno SUBMIT would have returned.
 * A wptr more than ring_slots ahead of rptr stops the ring for good (the
 * same fault, `error` EINVAL).
 *
 * After moving wptr, the caller reads `watch` (both with sequential
 * consistency): 0 means no command processor looks at the ring until a
 * QUEUE_DOORBELL, which the caller then issues. `done_point` is the
 * signal point of the queue's last completed submission (ring or SUBMIT)
 * that named one; a caller may poll it instead of the syncobj. `fault` is
 * set (release) when the fd's context faults, before the fault's job
 * completes, so a caller that saw done_point move past a job also sees a
 * fault recorded before that job ended.
 */
#define DRM_MUSA_RING_ALIGN     64
#define DRM_MUSA_RING_MIN_SLOTS 16
#define DRM_MUSA_RING_MAX_SLOTS 65536

struct drm_musa_ring_header {
	__u64 wptr;        /* caller: slots written */
	__u64 pad0[7];     /* must stay 0: wptr has its own cache line */
	__u64 rptr;        /* device: slots taken */
	__u64 done_point;  /* device: see above */
	__u32 watch;       /* device: 1 while a CP looks at wptr */
	__s32 error;       /* device: 0, or -errno of the first bad submission */
	__u32 fault;       /* device: the fd's fault kind (enum drm_musa_fault_kind),
			    * as CTX_QUERY would say; 0 while none */
	__u32 pad1;
	__u64 pad2[4];
};

#define DRM_MUSA_RING_SLOT_LAST (1u << 0)

struct drm_musa_ring_slot {
	struct drm_musa_packet packet;
	__u32 flags;           /* DRM_MUSA_RING_SLOT_LAST on a submission's last slot */
	__u32 signal_syncobj;  /* LAST: syncobj handle or 0; otherwise 0 */
	__u64 signal_point;    /* LAST: timeline point (0: binary), 0 without a syncobj */
};

/* Asks the device to look at a ring queue's ring. */
struct drm_musa_queue_doorbell {
	__u32 queue;  /* in: a queue created with DRM_MUSA_QUEUE_RING */
	__u32 pad;    /* must be 0 */
};

/*
 * One syncobj point of a submission's wait or signal list. point 0 names
 * the binary fence of the syncobj; a point > 0 is a timeline point.
 */
struct drm_musa_sync {
	__u32 handle;  /* in: syncobj handle */
	__u32 flags;   /* in: DRM_MUSA_SYNC_* (waits only), 0 for signals */
	__u64 point;   /* in: timeline point, 0 for binary */
};

/*
 * In a wait: the point need not have a fence yet at SUBMIT time (wait
 * before signal); the queue blocks until one is attached and signalled.
 * Without it a wait on a point with no fence is EINVAL, as in the kernel
 * (drm_syncobj_find_fence without WAIT_FOR_SUBMIT).
 */
#define DRM_MUSA_SYNC_WAIT_FOR_SUBMIT (1u << 0)

/*
 * A driver extension to DRM_IOCTL_SYNCOBJ_WAIT and _TIMELINE_WAIT: the
 * caller would rather spin than sleep while a core is free (CUDA's
 * automatic scheduling): the wait spins while the device's busy threads
 * leave an online core free, for at most 50 us, yields for at most
 * 200 us, then sleeps. Without it a wait sleeps at once, as in the kernel.
 */
#define DRM_MUSA_SYNCOBJ_WAIT_FLAGS_SPIN (1u << 30)

/*
 * Appends packets to a queue. First the queue waits for every in_syncs
 * point (as WAIT packets queued before the packets), then the packets run
 * in order; after the last one the syncobj signal_syncobj (if non-zero) is
 * signalled at signal_point (0 for a binary syncobj) and so is every
 * out_syncs point. Signal points are attached at SUBMIT time, so a wait
 * issued after SUBMIT sees them without WAIT_FOR_SUBMIT. Everything is
 * validated before anything is queued. in_syncs .. out_syncs were added in
 * version 1.1: a 40-byte struct from older userspace is zero-extended.
 */
struct drm_musa_submit {
	__u32 queue;          /* in: queue handle */
	__u32 flags;          /* in: must be 0 */
	__u64 packets;        /* in: user pointer to packet_count packets */
	__u32 packet_count;   /* in: 1 .. DRM_MUSA_MAX_PACKETS */
	__u32 packet_size;    /* in: sizeof(struct drm_musa_packet) */
	__u32 signal_syncobj; /* in: syncobj handle or 0 */
	__u32 pad;            /* must be 0 */
	__u64 signal_point;   /* in: timeline point or 0 */
	__u64 in_syncs;       /* in: user pointer to num_in_syncs struct drm_musa_sync */
	__u32 num_in_syncs;   /* in: 0 .. DRM_MUSA_MAX_SYNCS */
	__u32 num_out_syncs;  /* in: 0 .. DRM_MUSA_MAX_SYNCS */
	__u64 out_syncs;      /* in: user pointer to num_out_syncs struct drm_musa_sync */
};

#define DRM_MUSA_MAX_PACKETS 4096
#define DRM_MUSA_MAX_SYNCS   256

/* Context status */

enum drm_musa_fault_kind {
	DRM_MUSA_FAULT_NONE = 0,
	DRM_MUSA_FAULT_ILLEGAL_ADDRESS = 1,  /* access outside mapped BOs */
	DRM_MUSA_FAULT_MISALIGNED = 2,
	DRM_MUSA_FAULT_ILLEGAL_INSTRUCTION = 3,
	DRM_MUSA_FAULT_LAUNCH_FAILED = 4,    /* e.g. integer divide by zero */
	DRM_MUSA_FAULT_STACK_OVERFLOW = 5,
	DRM_MUSA_FAULT_ASSERT = 6,
	DRM_MUSA_FAULT_TIMEOUT = 7,
	DRM_MUSA_FAULT_OUT_OF_RESOURCES = 8, /* the device could not run the work */
	DRM_MUSA_FAULT_INVALID_PACKET = 9,   /* a bad submission on a user-mode ring */
};

#define DRM_MUSA_CTX_STATUS_OK      0
#define DRM_MUSA_CTX_STATUS_GUILTY  1  /* this fd's work faulted */

/* drm_musa_ctx_query.fault_flags: which of the fields after it hold something */
#define DRM_MUSA_FAULT_HAS_KERNEL 0x1u  /* fault_kernel */
#define DRM_MUSA_FAULT_HAS_BLOCK  0x2u  /* fault_block */
#define DRM_MUSA_FAULT_HAS_THREAD 0x4u  /* fault_thread */
#define DRM_MUSA_FAULT_HAS_PC     0x8u  /* fault_pc */

/*
 * Reset status of the fd's context. A faulted context runs no more work.
 * Since version 1.5 the struct is 64 bytes and says where the first fault
 * happened, as far as the device knows: the kernel handle (CODE_LOAD) of
 * the dispatch, the work-group and thread, and the address of the
 * instruction (the faulting one; for an assert, one inside the call that
 * failed; for a watchdog timeout, where the group was stopped). A caller
 * passing the 24-byte struct of earlier versions gets its fields only.
 */
struct drm_musa_ctx_query {
	__u32 flags;          /* in: must be 0 */
	__u32 status;         /* out: DRM_MUSA_CTX_STATUS_* */
	__u64 fault_address;  /* out: faulting address, when known */
	__u32 fault_kind;     /* out: enum drm_musa_fault_kind */
	__u32 pad;            /* must be 0 */
	/* version 1.5 */
	__u32 fault_flags;    /* out: DRM_MUSA_FAULT_HAS_* */
	__u32 fault_kernel;   /* out: kernel handle of the faulting dispatch */
	__u64 fault_pc;       /* out: instruction address */
	__u32 fault_block[3]; /* out: work-group index */
	__u32 fault_thread[3]; /* out: thread index within the group */
};

/* Device-side trace (version 1.4) */

/*
 * What the device ran, for profilers. While recording is on for an fd, the
 * command processor keeps a record of every packet it runs for the fd's
 * queues, and each compute unit a record of every run of work-groups it
 * takes from one of their dispatches (or of the parts of a large copy or
 * fill). Times are the device clock: CLOCK_MONOTONIC ns, the clock of
 * TIMESTAMP packets. The fd holds at most DRM_MUSA_TRACE_MAX_RECORDS
 * records; later ones are counted as dropped until a read makes room.
 *
 * TRACE first moves up to `count` of the oldest records to `records` (they
 * are gone from the device once read), then applies `flags`. A count of 0
 * reads nothing. EINVAL: unknown flag, both START and STOP, non-zero pad,
 * a count > 0 with a record_size other than sizeof(struct
 * drm_musa_trace_record); EFAULT: records not writable (nothing is
 * removed then).
 */
#define DRM_MUSA_TRACE_START (1u << 0)  /* start recording on this fd */
#define DRM_MUSA_TRACE_STOP  (1u << 1)  /* stop recording; held records stay */

#define DRM_MUSA_TRACE_MAX_RECORDS (1u << 20)

struct drm_musa_trace {
	__u32 flags;        /* in: 0, DRM_MUSA_TRACE_START or DRM_MUSA_TRACE_STOP */
	__u32 record_size;  /* in: sizeof(struct drm_musa_trace_record) */
	__u64 records;      /* in: user pointer to count records (written) */
	__u32 count;        /* in: room at records; out: records written */
	__u32 pad;          /* must be 0 */
	__u64 pending;      /* out: records still held after this read */
	__u64 dropped;      /* out: records lost to a full buffer since the last TRACE */
};

enum drm_musa_trace_kind {
	/* A packet of `queue` ran from start_ns to end_ns (a WAIT: from when
	 * the command processor reached it until its point came). */
	DRM_MUSA_TRACE_PACKET = 1,
	/* Compute unit `cu` ran `groups` work-groups of packet `seq` of
	 * `queue` (a dispatch, or a copy or fill split into parts) from
	 * start_ns to end_ns, without running other packets' groups between. */
	DRM_MUSA_TRACE_CU_RUN = 2,
};

struct drm_musa_trace_record {
	__u32 kind;        /* enum drm_musa_trace_kind */
	__u32 queue;       /* queue handle */
	__u64 seq;         /* the packet's number among the fd's recorded packets, from 1 */
	__u64 start_ns;    /* device clock */
	__u64 end_ns;      /* device clock, >= start_ns */
	__u32 cu;          /* CU_RUN: compute unit, 0 .. compute_units - 1; else 0 */
	__u32 pad;         /* 0 */
	__u64 groups;      /* CU_RUN: work-groups run; else 0 */
	struct drm_musa_packet packet; /* PACKET: the packet as run; CU_RUN: its packet too */
};

#define DRM_IOCTL_MUSA_DEVICE_QUERY   DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_DEVICE_QUERY, struct drm_musa_device_query)
#define DRM_IOCTL_MUSA_BO_CREATE      DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_BO_CREATE, struct drm_musa_bo_create)
#define DRM_IOCTL_MUSA_BO_MMAP_OFFSET DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_BO_MMAP_OFFSET, struct drm_musa_bo_mmap_offset)
#define DRM_IOCTL_MUSA_BO_USERPTR     DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_BO_USERPTR, struct drm_musa_bo_userptr)
#define DRM_IOCTL_MUSA_VM_MAP         DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_VM_MAP, struct drm_musa_vm_map)
#define DRM_IOCTL_MUSA_VM_UNMAP       DRM_IOW(DRM_COMMAND_BASE + DRM_MUSA_VM_UNMAP, struct drm_musa_vm_unmap)
#define DRM_IOCTL_MUSA_CODE_LOAD      DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_CODE_LOAD, struct drm_musa_code_load)
#define DRM_IOCTL_MUSA_CODE_UNLOAD    DRM_IOW(DRM_COMMAND_BASE + DRM_MUSA_CODE_UNLOAD, struct drm_musa_code_unload)
#define DRM_IOCTL_MUSA_QUEUE_CREATE   DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_QUEUE_CREATE, struct drm_musa_queue_create)
#define DRM_IOCTL_MUSA_QUEUE_DESTROY  DRM_IOW(DRM_COMMAND_BASE + DRM_MUSA_QUEUE_DESTROY, struct drm_musa_queue_destroy)
#define DRM_IOCTL_MUSA_SUBMIT         DRM_IOW(DRM_COMMAND_BASE + DRM_MUSA_SUBMIT, struct drm_musa_submit)
#define DRM_IOCTL_MUSA_CTX_QUERY      DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_CTX_QUERY, struct drm_musa_ctx_query)
#define DRM_IOCTL_MUSA_CODE_GLOBAL    DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_CODE_GLOBAL, struct drm_musa_code_global)
#define DRM_IOCTL_MUSA_QUEUE_DOORBELL DRM_IOW(DRM_COMMAND_BASE + DRM_MUSA_QUEUE_DOORBELL, struct drm_musa_queue_doorbell)
#define DRM_IOCTL_MUSA_TRACE          DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_TRACE, struct drm_musa_trace)
#define DRM_IOCTL_MUSA_GET_PARAM      DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_GET_PARAM, struct drm_musa_get_param)

#if defined(__cplusplus)
}
#endif

#endif /* MUSA_DRM_H */
