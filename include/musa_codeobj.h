/* SPDX-License-Identifier: MIT */
/*
 * musa_codeobj.h - the device code object format and the work-group ABI.
 *
 * A device code object is an ELF shared object for the host machine, built
 * by `mcc` from the device pass of a .mu file and linked with
 * libmusa_device.a. It carries:
 *
 *  - a section named ".musa_meta" holding one record per kernel, back to
 *    back, each record 8-byte aligned (zero padding between records is
 *    allowed and skipped):
 *        struct musa_meta_kernel   header (MUSA_META_KERNEL_V1_SIZE bytes
 *                                  of it in a version 1 record)
 *        struct musa_meta_param    params[nparams]
 *        char                      name[name_len + 1]    NUL-terminated
 *        char                      entry[entry_len + 1]  NUL-terminated
 *        zero padding up to record_size (a multiple of 8)
 *  - for every record, a defined function symbol in .dynsym named `entry`,
 *    of type musa_wg_entry_fn: it runs one whole work-group.
 *  - a record with MUSA_META_F_FFI has no work-group entry: `entry` names
 *    the kernel function itself, a plain C function `void k(T0, T1, ...)`
 *    that reads threadIdx & co. from compiler-rt's thread-locals. Each
 *    param then carries a typed kind (MUSA_PARAM_I8 .. STRUCT_F64, never
 *    BYTES), from which the KMD builds a libffi call, and the object must
 *    export compiler-rt's MUSA_FFI_RUNNER (ffi_runner.c), through which the
 *    KMD runs each work-group with the module's own thread loop.
 *  - variable records (magic MUSA_META_VAR_MAGIC) may sit between kernel
 *    records, one per __device__ / __constant__ / __managed__ variable and
 *    per device-runtime variable (printf FIFO, malloc heap):
 *        struct musa_meta_var      header
 *        char                      name[name_len + 1]    NUL-terminated
 *        char                      sym[sym_len + 1]      NUL-terminated
 *        zero padding up to record_size (a multiple of 8)
 *    `sym` names a defined object in .dynsym holding one pointer: the
 *    address of the variable once the object is loaded. A pointer cell
 *    instead of the variable's own symbol lets static, namespaced and
 *    C++-mangled variables be named without exporting them.
 *
 * Readers (the UMD for the API, the KMD before it loads anything) validate
 * every field with libelf through musa_codeobj_parse() (libmusa_codeobj.a).
 * The kernarg block of a launch has the layout of a C struct whose members
 * are the kernel parameters in order: param i lives at params[i].offset.
 */
#ifndef MUSA_CODEOBJ_H
#define MUSA_CODEOBJ_H

#include <stddef.h>
#include <stdint.h>

#if defined(__cplusplus)
extern "C" {
#endif

#define MUSA_META_SECTION ".musa_meta"
#define MUSA_META_MAGIC   0x4e4b554du /* "MUKN" little-endian */
#define MUSA_META_VERSION 2u
/* Kernel records of version 1 end their header at private_size: they
 * declare no stack sizes (see MUSA_META_SCRATCH_DEFAULT). Variable records
 * are the same in both versions. */
#define MUSA_META_VERSION_1 1u
#define MUSA_META_KERNEL_V1_SIZE 48u

/* musa_meta_kernel.flags */
#define MUSA_META_F_BARRIER 0x1u  /* uses __syncthreads(): run threads as fibers */
#define MUSA_META_F_WARP    0x2u  /* uses warp operations: run threads as fibers */
#define MUSA_META_F_ALL     0x3u  /* the flags that choose fibers over a loop */
#define MUSA_META_F_FFI     0x4u  /* `entry` is the kernel function: call it via libffi */
#define MUSA_META_F_RANGE   0x8u  /* the entry runs wg->count groups in a row */
#define MUSA_META_F_STACK_DYNAMIC 0x10u /* stack use not bounded at compile time
					   (alloca, variable-length arrays): the
					   sizes are what the fixed frames need */
#define MUSA_META_F_KNOWN_V1 0xfu  /* every flag a version 1 record may carry */
#define MUSA_META_F_KNOWN   0x1fu  /* every flag a valid record may carry */

/*
 * Stack sizes of a kernel (musa_meta_kernel.private_size, scratch_size),
 * measured by mcc from the compiler's stack-usage report of the device
 * pass (-fstack-usage):
 *  - private_size: bytes of stack the kernel's own code keeps while one
 *    thread runs: the frames of the kernel function and of mcc's per-thread
 *    function or group loop, without the entry. For a kernel compiled as
 *    loops this is the loop's frame, whose arrays of carried variables
 *    hold one entry per thread of the group (loop fission).
 *  - scratch_size: bytes of stack the work-group entry needs on the
 *    compute-unit thread that calls it: the entry's frame, private_size,
 *    and MUSA_META_STACK_MARGIN for what the report cannot see (calls
 *    through pointers, libm, compiler-rt, device functions not inlined).
 * A record of version 1 counts as private_size 0 and scratch_size
 * MUSA_META_SCRATCH_DEFAULT, which every compute unit gives; mcc writes the
 * same into a record it does not measure (the memory checker's rebuild).
 * Readers take the sizes from struct musa_codeobj_kernel, which holds them
 * for both versions.
 */
#define MUSA_META_STACK_MARGIN   (64u * 1024u)
#define MUSA_META_SCRATCH_DEFAULT (4u * 1024u * 1024u)

/* The symbol an FFI code object exports (compiler-rt/ffi_runner.c):
 * int __musa_ffi_run_wg(const struct musa_wg *wg,
 *                       void (*thread_fn)(const void *kernarg), unsigned flags)
 * runs one work-group with thread_fn per thread, as fibers when flags has
 * MUSA_META_F_ALL bits, else as a loop. */
#define MUSA_FFI_RUNNER "__musa_ffi_run_wg"

/*
 * musa_meta_param.kind: how a driver without the entry would pass it.
 * Scalars and PTR must have their natural size and alignment. The STRUCT
 * kinds are C aggregates passed by value, described by size and align; the
 * members' class decides the calling convention, so it is part of the
 * kind: STRUCT holds integers/pointers only, STRUCT_F32 only floats
 * (align >= 4), STRUCT_F64 only doubles (align 8); size is a multiple of
 * align, and align <= 8 (float4-like 16-byte alignment is refused).
 * Aggregates mixing integer and floating members cannot be described;
 * such kernels need an mcc entry.
 */
#define MUSA_PARAM_BYTES      0u   /* opaque bytes (only with an entry) */
#define MUSA_PARAM_I8         1u
#define MUSA_PARAM_I16        2u
#define MUSA_PARAM_I32        3u
#define MUSA_PARAM_I64        4u
#define MUSA_PARAM_U8         5u
#define MUSA_PARAM_U16        6u
#define MUSA_PARAM_U32        7u
#define MUSA_PARAM_U64        8u
#define MUSA_PARAM_F32        9u
#define MUSA_PARAM_F64        10u
#define MUSA_PARAM_PTR        11u  /* a device pointer */
#define MUSA_PARAM_STRUCT     12u  /* aggregate of integers / pointers */
#define MUSA_PARAM_STRUCT_F32 13u  /* aggregate of floats */
#define MUSA_PARAM_STRUCT_F64 14u  /* aggregate of doubles */
#define MUSA_PARAM_KINDS      15u  /* number of kinds */

struct musa_meta_param {
	uint32_t offset;  /* byte offset in the kernarg block */
	uint32_t size;    /* bytes */
	uint32_t align;   /* power of two */
	uint32_t kind;    /* MUSA_PARAM_* */
};

struct musa_meta_kernel {
	uint32_t magic;          /* MUSA_META_MAGIC */
	uint32_t version;        /* MUSA_META_VERSION */
	uint32_t record_size;    /* bytes of the whole record, multiple of 8 */
	uint32_t arch;           /* target arch as major*10+minor, e.g. 80 (see below) */
	uint32_t flags;          /* MUSA_META_F_* */
	uint32_t nparams;
	uint32_t kernarg_size;   /* bytes of the kernarg block */
	uint32_t kernarg_align;  /* alignment of the kernarg block */
	uint32_t static_shared;  /* bytes of static __shared__ (0: unknown) */
	uint32_t max_threads;    /* __launch_bounds__ limit, 0: none */
	uint32_t name_len;       /* strlen(name) */
	uint32_t entry_len;      /* strlen(entry) */
	/* since version 2 (see "Stack sizes" above) */
	uint32_t private_size;   /* bytes of stack one thread's code keeps */
	uint32_t scratch_size;   /* bytes of stack the work-group entry needs */
};

#define MUSA_META_VAR_MAGIC 0x5241564du /* "MVAR" little-endian */

/* musa_meta_var.flags */
#define MUSA_META_VAR_CONSTANT 0x1u  /* __constant__ */
#define MUSA_META_VAR_MANAGED  0x2u  /* __managed__: the variable is a pointer
					cell the runtime binds to the host shadow */
#define MUSA_META_VAR_ALL      0x3u

struct musa_meta_var {
	uint32_t magic;        /* MUSA_META_VAR_MAGIC */
	uint32_t version;      /* MUSA_META_VERSION */
	uint32_t record_size;  /* bytes of the whole record, multiple of 8 */
	uint32_t flags;        /* MUSA_META_VAR_* */
	uint64_t size;         /* bytes of the variable, > 0 */
	uint32_t name_len;     /* strlen(name) */
	uint32_t sym_len;      /* strlen(sym) */
};

/* One variable as read from a validated image. */
struct musa_codeobj_var {
	const struct musa_meta_var *meta;
	const char *name;
	const char *sym;
};

/* One kernel as read from a validated image. */
struct musa_codeobj_kernel {
	/* the header; a version 1 header ends before private_size */
	const struct musa_meta_kernel *meta;
	const struct musa_meta_param *params;
	const char *name;
	const char *entry;
	/* from a version 2 record, or the defaults for version 1 */
	uint32_t private_size;
	uint32_t scratch_size;
};

struct musa_codeobj {
	uint32_t arch;       /* arch of the records (all agree); 0 if no kernels */
	uint32_t nkernels;
	struct musa_codeobj_kernel *kernels;  /* malloc'd; points into the image */
	uint32_t nvars;
	struct musa_codeobj_var *vars;        /* malloc'd; points into the image */
};

/*
 * Validates `image` (size bytes) and fills `out`. Returns 0, or -ENOEXEC for
 * a malformed image, -ENOMEM. The image must stay alive while `out` is used.
 * Free with musa_codeobj_free().
 */
int musa_codeobj_parse(const void *image, size_t size, struct musa_codeobj *out);
void musa_codeobj_free(struct musa_codeobj *co);

/*
 * Archs. musa_meta_kernel.arch is the compute capability major*10+minor:
 * MUSA's mp_21, mp_22, mp_31 are 21, 22, 31; the CUDA-compatible sm_50 ..
 * sm_80 are 50 .. 80. Every known arch has its own capability, so the two
 * families cannot collide (a test checks the table for duplicates).
 */
/* Lanes per warp of code built for `arch`; 0 for an arch this format does
 * not know. */
uint32_t musa_codeobj_arch_warp(uint32_t arch);
/* Whether code built for image_arch runs on a device of dev_arch whose warps
 * have dev_warp lanes: the same arch, or (as CUDA's forward compatibility
 * for PTX) a known arch of the same warp size and no higher capability. */
int musa_codeobj_arch_runs_on(uint32_t image_arch, uint32_t dev_arch, uint32_t dev_warp);
/* The i-th known arch (capability order), 0 past the end. */
uint32_t musa_codeobj_arch_at(uint32_t i);

/* The work-group ABI between a compute unit and a code object. */

/* Shared by all work-groups of one dispatch. */
struct musa_wg_launch {
	uint32_t grid[3];
	uint32_t block[3];
	uint32_t dyn_shared_size;  /* bytes of dynamic shared memory */
	uint32_t warp_size;
	const void *kernarg;       /* the kernarg block (device address) */
};

/* One work-group, as handed to the entry by a compute-unit thread. */
struct musa_wg {
	const struct musa_wg_launch *launch;
	uint32_t block_idx[3];
	/* With MUSA_META_F_RANGE: how many groups to run, from block_idx on in
	 * linear order (x fastest); 0 means 1. Otherwise 0. */
	uint32_t count;
	void *dyn_shared;          /* dyn_shared_size bytes, private to the group(s) */
};

/*
 * The stack a compute unit gives a work-group entry: an entry call starts
 * with at least this many bytes of stack below it. A dispatch of a kernel
 * whose scratch_size is larger is refused before it runs (the KMD's SUBMIT
 * with E2BIG, muLaunchKernel with MUSA_ERROR_LAUNCH_OUT_OF_RESOURCES).
 */
#define MUSA_WG_STACK_SIZE (31u * 1024u * 1024u)

/* musa_wg_entry_fn return values */
#define MUSA_WG_OK               0
#define MUSA_WG_OUT_OF_RESOURCES 1  /* e.g. no memory for fiber stacks */
#define MUSA_WG_ASSERT           2  /* a device assert failed */

/* Runs every thread of one work-group to completion. */
typedef int (*musa_wg_entry_fn)(const struct musa_wg *wg);

/*
 * Where a work-group stood when its entry call ended in a fault (the
 * compute unit escaped from a signal, or the watchdog stopped it) or
 * returned MUSA_WG_ASSERT. An object may export a function of type
 * musa_wg_where_fn named MUSA_WG_WHERE_SYM (compiler-rt's wg.c does); the
 * compute unit calls it on the thread that ran wg, right after the entry
 * call ended, and puts what it learns in the fault report (CTX_QUERY). A
 * field is set only when its flag is: a kernel compiled as loops keeps its
 * thread index out of memory, so only its block may be known.
 */
#define MUSA_WG_WHERE_SYM    "__musa_wg_where"
#define MUSA_WG_WHERE_BLOCK  0x1u  /* block holds the group's index */
#define MUSA_WG_WHERE_THREAD 0x2u  /* thread holds the thread's index */
#define MUSA_WG_WHERE_PC     0x4u  /* pc: an address inside the failed assert's call */

struct musa_wg_where {
	uint32_t flags;
	uint32_t block[3];
	uint32_t thread[3];
	uint32_t pad;
	uint64_t pc;
};

typedef void (*musa_wg_where_fn)(const struct musa_wg *wg, struct musa_wg_where *out);

/* Device runtime buffers shared by a context's modules. */

/*
 * A code object whose kernels call printf or malloc links compiler-rt's
 * printf.o / malloc.o, which bring a variable record named below: a pointer
 * the UMD sets, right after loading, to the context's FIFO or heap (a BO
 * each, sized by MU_LIMIT_PRINTF_FIFO_SIZE / MU_LIMIT_MALLOC_HEAP_SIZE).
 */
#define MUSA_DEVRT_PRINTF_VAR "__musa_printf_fifo"
#define MUSA_DEVRT_HEAP_VAR   "__musa_heap"

/* The printf FIFO: this header, then records from data offset 0. */
struct musa_printf_fifo {
	uint64_t size;     /* bytes of data after the header */
	uint64_t head;     /* atomic: next free data byte; past size: dropped */
	uint64_t pad[6];
};

/* One record: the header, then the formatted text, NUL-terminated. */
struct musa_printf_rec {
	uint32_t len;      /* bytes of the record with its header, multiple of 8 */
	uint32_t state;    /* atomic, MUSA_PRINTF_* */
};

#define MUSA_PRINTF_BUSY  0u  /* reserved, being written */
#define MUSA_PRINTF_READY 1u  /* text complete */
#define MUSA_PRINTF_END   2u  /* the FIFO overflowed here: the rest is dropped */

/* The malloc heap: this header, then blocks from `top` on. */
#define MUSA_HEAP_CLASSES 40
struct musa_heap {
	uint64_t size;     /* bytes of the whole heap, header included */
	uint64_t top;      /* offset of the first never-used byte */
	uint32_t lock;     /* spinlock of the allocator */
	uint32_t pad;
	uint64_t free_list[MUSA_HEAP_CLASSES]; /* per size class: first free block, 0: none */
};

/* The memory checker (MUSA_MEMCHECK, docs/debugging.md). */

/*
 * mcc stores in every code object a section named below: how to build the
 * object again with each load and store checked (the device source in the
 * fiber form, the files it needs and the compiler command). Under
 * MUSA_MEMCHECK the UMD builds that variant in a directory of its own and
 * loads it instead. The section is a run of NUL-terminated strings:
 * MUSA_MEMCHECK_MAGIC, the file count, then per file its name, its length
 * in bytes, the bytes and a NUL; then the argument count and the arguments,
 * in which MUSA_MEMCHECK_DIR stands for the directory. The command writes
 * MUSA_MEMCHECK_DIR "/" MUSA_MEMCHECK_OUT.
 */
#define MUSA_MEMCHECK_SECTION ".musa_memcheck"
#define MUSA_MEMCHECK_MAGIC   "MUSAMCK1"
#define MUSA_MEMCHECK_DIR     "@DIR@"
#define MUSA_MEMCHECK_OUT     "code.so"
/* The pointer cell of a checked code object, bound like the printf FIFO. */
#define MUSA_DEVRT_MEMCHECK_VAR "__musa_memcheck"

/*
 * Shadow bytes, one per 8 bytes of a device window (ASan's encoding): 0 the
 * 8 bytes may be used, 1..7 only that many first bytes, anything from
 * MUSA_SHADOW_REDZONE up none.
 */
#define MUSA_SHADOW_REDZONE 0xfau   /* around an allocation */
#define MUSA_SHADOW_FREED   0xfdu   /* freed, held back from reuse */
#define MUSA_SHADOW_UNUSED  0xfeu   /* allocator space not handed out */

#define MUSA_MEMCHECK_WINDOWS 64

/* musa_memcheck_rec.flags (WRITE also in other_flags) */
#define MUSA_MEMCHECK_WRITE     0x1u
#define MUSA_MEMCHECK_MISALIGN  0x2u
/* A shared-memory hazard (MUSA_RACECHECK): this access and an earlier one
 * of another thread (other_*) to the same word with no barrier between
 * them (nor a warp synchronization, for two threads of one warp), one of
 * them a write. */
#define MUSA_MEMCHECK_RACE      0x4u

/* musa_memcheck.mode */
#define MUSA_MEMCHECK_MODE_RACE 0x1u  /* check __shared__ accesses for hazards */

/* One bad access, written by the checked code object. */
struct musa_memcheck_rec {
	uint64_t addr;         /* first bad byte (the access's address if misaligned) */
	uint64_t access;       /* address of the access */
	uint64_t pc;           /* return address of the check: in the access's code */
	uint64_t entry_pc;     /* a return address inside the kernel's entry */
	uint32_t size;         /* bytes accessed */
	uint32_t flags;        /* MUSA_MEMCHECK_* */
	uint32_t block[3];
	uint32_t thread[3];
	uint32_t seq;          /* atomic: 0 while written, then 1 */
	uint32_t other_flags;  /* RACE: the earlier access's MUSA_MEMCHECK_WRITE */
	uint64_t other_pc;     /* RACE: return address of the earlier access's check */
	uint32_t other_thread[3];
	uint32_t pad;
};

/* Per device window: where it is and its shadow. */
struct musa_memcheck_window {
	uint64_t base, size;
	uint64_t shadow;       /* address of size / 8 shadow bytes */
};

/* The state a checked code object reports into (host memory the UMD pins). */
struct musa_memcheck {
	uint32_t nwindows;     /* windows whose memory is checked */
	uint32_t mode;         /* MUSA_MEMCHECK_MODE_* */
	uint64_t cap;          /* records in rec[] */
	uint64_t head;         /* atomic: records reported; past cap: dropped */
	uint64_t pad2[5];
	struct musa_memcheck_window win[MUSA_MEMCHECK_WINDOWS];
	struct musa_memcheck_rec rec[];
};

#if defined(__cplusplus)
}
#endif

#endif /* MUSA_CODEOBJ_H */
