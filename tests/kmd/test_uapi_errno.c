/* SPDX-License-Identifier: MIT */
/*
 * test_uapi_errno.c - docs/uapi.md's errno table against the driver. Every
 * row of the table ("Errors, ioctl by ioctl") has a case here that
 * provokes its condition, with otherwise valid arguments, and the ioctl
 * must fail with exactly the row's errno; every case here has its row. A
 * row without a case, a case without a row or an errno that differs
 * fails the suite, so the document and the driver cannot drift apart.
 *
 * Linked with the shim's objects (the Makefile's KMD_STATIC_TESTS) for
 * the allocation-failure row of SUBMIT.
 */
#include <stdbool.h>

#include "kmd_test.h"
#include "kmd_alloc_fail.h"

#define ET_DOC TEST_SRC_DIR "/docs/uapi.md"
#define ET_SECTION "## Errors, ioctl by ioctl"
#define ET_DEVICE_MEM (256ull << 20)   /* KT_SWDEV's mem= */
#define ET_BO_SIZE (64u * 1024u)
#define ET_BAD_HANDLE 0x7fffu
#define ET_PAGE_ROUND(n) (((uint64_t)(n) + (uint64_t)t->page - 1) & ~((uint64_t)t->page - 1))

/* One open device fd and objects that the cases name. */
struct et {
	int fd;
	uint64_t page;
	uint32_t bo;            /* ET_BO_SIZE, mapped at va */
	uint64_t va;
	uint32_t up_bo;         /* a userptr BO of one page at host, mapped (identity) */
	uint64_t up_va;
	void *host;
	uint32_t ro_bo;         /* a read-only userptr BO of one page, mapped */
	uint64_t ro_va;
	void *ro_host;
	void *noaccess;         /* a PROT_NONE page */
	uint32_t queue;
	uint32_t so;            /* a syncobj with a signalled fence */
	uint32_t so_empty;      /* a syncobj without a fence */
	uint32_t signal;        /* the signal syncobj of the cases' SUBMITs */
	uint32_t kernels[KT_NKERNELS];
	uint32_t module;
	void *image;            /* tests/kmd/kernels.so */
	size_t code_size;
	uint32_t code_bo;       /* holds image */
};

/* A struct longer than GET_PARAM's, for the door's rule. */
struct et_longer {
	struct drm_musa_get_param g;
	__u64 extra;
};

static void *et_page(struct et *t, int prot)
{
	void *p = mmap(NULL, t->page, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ck_assert_ptr_ne(p, MAP_FAILED);
	return p;
}

static uint32_t et_userptr(struct et *t, void *host, uint32_t flags, uint64_t *va)
{
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)host, .size = t->page,
					 .flags = flags };

	ck_assert_int_eq(kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), 0);
	*va = kt_map(t->fd, u.handle);
	return u.handle;
}

static void et_setup(struct et *t)
{
	uint32_t count = KT_NKERNELS;

	memset(t, 0, sizeof(*t));
	kt_env();
	t->page = (uint64_t)sysconf(_SC_PAGESIZE);
	t->fd = kt_open();
	t->va = kt_bo_va(t->fd, ET_BO_SIZE, &t->bo);
	t->host = et_page(t, PROT_READ | PROT_WRITE);
	t->up_bo = et_userptr(t, t->host, 0, &t->up_va);
	t->ro_host = et_page(t, PROT_READ);
	t->ro_bo = et_userptr(t, t->ro_host, DRM_MUSA_USERPTR_READ_ONLY, &t->ro_va);
	t->noaccess = et_page(t, PROT_NONE);
	t->queue = kt_queue(t->fd);
	t->so = kt_syncobj(t->fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	t->so_empty = kt_syncobj(t->fd, 0);
	t->signal = kt_syncobj(t->fd, 0);
	t->image = kt_read_file(KT_KERNELS, &t->code_size);
	t->code_bo = kt_code_bo(t->fd, t->image, t->code_size);
	ck_assert_int_eq(kt_code_load(t->fd, t->code_bo, t->code_size, t->kernels, &count,
				      &t->module), 0);
}

static void et_teardown(struct et *t)
{
	musa_kmd_close(t->fd);
	free(t->image);
}

static struct drm_musa_packet et_nop(void)
{
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_NOP };

	return p;
}

/* A valid dispatch of vadd with its arguments at the start of t->bo. */
static struct drm_musa_packet et_dispatch(const struct et *t)
{
	return kt_dispatch(t->kernels[KT_VADD], t->va, 32, 1, 1, 1, 1, 1, 1);
}

static struct drm_musa_packet et_sync(const struct et *t, uint32_t type)
{
	struct drm_musa_packet p = { .type = type };

	p.sync.syncobj = t->so;
	return p;
}

static struct drm_musa_packet et_timestamp(uint64_t dst)
{
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_TIMESTAMP };

	p.timestamp.dst = dst;
	return p;
}

/* A valid SUBMIT of one packet to t->queue, signalling t->signal. */
static struct drm_musa_submit et_submit_args(const struct et *t, struct drm_musa_packet *p)
{
	struct drm_musa_submit a = {
		.queue = t->queue, .packets = (uintptr_t)p, .packet_count = 1,
		.packet_size = sizeof(*p), .signal_syncobj = t->signal,
	};

	return a;
}

/* A queue with a ring at the start of t->bo. */
static uint32_t et_ring_queue(struct et *t)
{
	struct drm_musa_queue_create q = {
		.flags = DRM_MUSA_QUEUE_RING, .ring = t->va, .ring_slots = 16,
	};

	ck_assert_int_eq(kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q), 0);
	return q.handle;
}

/* Records one packet, so the fd holds a trace record. */
static void et_trace_one_packet(struct et *t)
{
	struct drm_musa_trace a = { .flags = DRM_MUSA_TRACE_START };
	struct drm_musa_packet p = et_nop();

	ck_assert_int_eq(kt_ioctl(t->fd, DRM_IOCTL_MUSA_TRACE, &a), 0);
	kt_run(t->fd, t->queue, &p, 1);
}

struct et_case {
	const char *ioctl;
	const char *condition;
	int err;
	int (*provoke)(struct et *t);
};

static int c_door_type(struct et *t)
{
	struct drm_musa_get_param g = { 0 };

	return kt_ioctl(t->fd, _IOWR('x', 0x4f, struct drm_musa_get_param), &g);
}

static int c_door_number(struct et *t)
{
	struct drm_musa_get_param g = { 0 };

	return kt_ioctl(t->fd, DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_NUM_IOCTLS,
					 struct drm_musa_get_param), &g);
}

static int c_door_arg(struct et *t)
{
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_GET_PARAM, t->noaccess);
}

static int c_door_longer(struct et *t)
{
	struct et_longer x = { .extra = 1 };

	return kt_ioctl(t->fd, DRM_IOWR(DRM_COMMAND_BASE + DRM_MUSA_GET_PARAM, struct et_longer),
			&x);
}

static int c_dq_flags(struct et *t)
{
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(info), .data = (uintptr_t)&info,
	};

	q.flags = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q);
}

static int c_dq_pad(struct et *t)
{
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(info), .data = (uintptr_t)&info,
	};

	q.pad = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q);
}

static int c_dq_query(struct et *t)
{
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(info), .data = (uintptr_t)&info,
	};

	q.query = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q);
}

static int c_dq_short(struct et *t)
{
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(info), .data = (uintptr_t)&info,
	};

	q.size = sizeof(info) - 8;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q);
}

static int c_dq_data(struct et *t)
{
	struct drm_musa_device_info info;
	struct drm_musa_device_query q = {
		.query = DRM_MUSA_QUERY_DEVICE_INFO, .size = sizeof(info), .data = (uintptr_t)&info,
	};

	q.data = (uintptr_t)t->noaccess;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_DEVICE_QUERY, &q);
}

static int c_gp_param(struct et *t)
{
	struct drm_musa_get_param g = { .param = DRM_MUSA_PARAM_COUNT, .index = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_GET_PARAM, &g);
}

static int c_gp_index_scalar(struct et *t)
{
	struct drm_musa_get_param g = { .param = DRM_MUSA_PARAM_WARP_SIZE, .index = 1 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_GET_PARAM, &g);
}

static int c_gp_index_past(struct et *t)
{
	struct drm_musa_get_param g = { .param = DRM_MUSA_PARAM_MAX_GRID_DIM, .index = 3 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_GET_PARAM, &g);
}

static int c_bc_flags(struct et *t)
{
	struct drm_musa_bo_create c = { .size = 4096, .flags = 1 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_CREATE, &c);
}

static int c_bc_size0(struct et *t)
{
	struct drm_musa_bo_create c = { .size = 0, .flags = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_CREATE, &c);
}

static int c_bc_too_large(struct et *t)
{
	struct drm_musa_bo_create c = { .size = ET_DEVICE_MEM + 4096, .flags = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_CREATE, &c);
}

static int c_bc_no_room(struct et *t)
{
	struct drm_musa_bo_create c = { .size = ET_DEVICE_MEM / 2, .flags = 0 };

	kt_bo(t->fd, ET_DEVICE_MEM / 2);
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_CREATE, &c);
}

static int c_mo_flags(struct et *t)
{
	struct drm_musa_bo_mmap_offset o = { .handle = t->bo, .flags = 1 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &o);
}

static int c_mo_handle(struct et *t)
{
	struct drm_musa_bo_mmap_offset o = { .handle = ET_BAD_HANDLE, .flags = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &o);
}

static int c_mo_userptr(struct et *t)
{
	struct drm_musa_bo_mmap_offset o = { .handle = t->up_bo, .flags = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_MMAP_OFFSET, &o);
}

static int c_up_flags(struct et *t)
{
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)t->host, .size = t->page, .flags = 2 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_USERPTR, &u);
}

static int c_up_size0(struct et *t)
{
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)t->host, .size = 0, .flags = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_USERPTR, &u);
}

static int c_up_size_page(struct et *t)
{
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)t->host, .size = t->page + 8, .flags = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_USERPTR, &u);
}

static int c_up_align(struct et *t)
{
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)t->host + 8, .size = t->page, .flags = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_USERPTR, &u);
}

static int c_up_wrap(struct et *t)
{
	struct drm_musa_bo_userptr u = { .user_ptr = UINT64_MAX - t->page + 1, .size = 2 * t->page, .flags = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_USERPTR, &u);
}

static int c_up_zero(struct et *t)
{
	struct drm_musa_bo_userptr u = { .user_ptr = 0, .size = t->page, .flags = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_USERPTR, &u);
}

static int c_up_unmapped(struct et *t)
{
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)t->noaccess, .size = t->page, .flags = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_USERPTR, &u);
}

static int c_up_readonly(struct et *t)
{
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)t->ro_host, .size = t->page, .flags = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_USERPTR, &u);
}

static int c_vm_flags(struct et *t)
{
	struct drm_musa_vm_map m = { .handle = t->bo, .flags = 1 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_VM_MAP, &m);
}

static int c_vm_handle(struct et *t)
{
	struct drm_musa_vm_map m = { .handle = ET_BAD_HANDLE, .flags = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_VM_MAP, &m);
}

static int c_vm_full(struct et *t)
{
	uint32_t bo = kt_bo(t->fd, ET_DEVICE_MEM / 2);
	struct drm_musa_vm_map m = { .handle = bo };
	int err = 0;

	/* the window holds twice the memory and 4 GiB: it runs out first */
	for (int i = 0; i < 64 && !err; i++)
		err = kt_ioctl(t->fd, DRM_IOCTL_MUSA_VM_MAP, &m);
	return err;
}

static int c_vu_pad(struct et *t)
{
	struct drm_musa_vm_unmap u = { .handle = t->bo, .va = t->va, .pad = 1 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_VM_UNMAP, &u);
}

static int c_vu_handle(struct et *t)
{
	struct drm_musa_vm_unmap u = { .handle = ET_BAD_HANDLE, .va = t->va, .pad = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_VM_UNMAP, &u);
}

static int c_vu_va0(struct et *t)
{
	struct drm_musa_vm_unmap u = { .handle = t->bo, .va = 0, .pad = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_VM_UNMAP, &u);
}

static int c_vu_other(struct et *t)
{
	struct drm_musa_vm_unmap u = { .handle = t->bo, .va = t->up_va, .pad = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_VM_UNMAP, &u);
}

static int c_cl_flags(struct et *t)
{
	uint32_t kernels[KT_NKERNELS];

	struct drm_musa_code_load l = {
		.bo_handle = t->code_bo, .size = t->code_size, .kernels = (uintptr_t)kernels,
		.kernel_count = KT_NKERNELS,
	};

	l.flags = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_LOAD, &l);
}

static int c_cl_bo(struct et *t)
{
	uint32_t kernels[KT_NKERNELS];

	struct drm_musa_code_load l = {
		.bo_handle = t->code_bo, .size = t->code_size, .kernels = (uintptr_t)kernels,
		.kernel_count = KT_NKERNELS,
	};

	l.bo_handle = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_LOAD, &l);
}

static int c_cl_size0(struct et *t)
{
	uint32_t kernels[KT_NKERNELS];

	struct drm_musa_code_load l = {
		.bo_handle = t->code_bo, .size = t->code_size, .kernels = (uintptr_t)kernels,
		.kernel_count = KT_NKERNELS,
	};

	l.size = 0;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_LOAD, &l);
}

static int c_cl_size_bo(struct et *t)
{
	uint32_t kernels[KT_NKERNELS];

	struct drm_musa_code_load l = {
		.bo_handle = t->code_bo, .size = t->code_size, .kernels = (uintptr_t)kernels,
		.kernel_count = KT_NKERNELS,
	};

	l.size = ET_PAGE_ROUND(t->code_size) + 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_LOAD, &l);
}

static int c_cl_noexec(struct et *t)
{
	uint32_t kernels[KT_NKERNELS];

	struct drm_musa_code_load l = {
		.bo_handle = t->code_bo, .size = t->code_size, .kernels = (uintptr_t)kernels,
		.kernel_count = KT_NKERNELS,
	};

	l.bo_handle = t->bo;
	l.size = 4096;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_LOAD, &l);
}

static int c_cl_kernels(struct et *t)
{
	uint32_t kernels[KT_NKERNELS];

	struct drm_musa_code_load l = {
		.bo_handle = t->code_bo, .size = t->code_size, .kernels = (uintptr_t)kernels,
		.kernel_count = KT_NKERNELS,
	};

	l.kernels = (uintptr_t)t->noaccess;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_LOAD, &l);
}

static int c_cl_userptr(struct et *t)
{
	uint32_t kernels[KT_NKERNELS];
	void *host = mmap(NULL, ET_PAGE_ROUND(t->code_size), PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_musa_bo_userptr u = {
		.user_ptr = (uintptr_t)host, .size = ET_PAGE_ROUND(t->code_size),
	};

	ck_assert_ptr_ne(host, MAP_FAILED);
	memcpy(host, t->image, t->code_size);
	ck_assert_int_eq(kt_ioctl(t->fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), 0);
	ck_assert_int_eq(mprotect(host, u.size, PROT_NONE), 0);
	struct drm_musa_code_load l = {
		.bo_handle = t->code_bo, .size = t->code_size, .kernels = (uintptr_t)kernels,
		.kernel_count = KT_NKERNELS,
	};

	l.bo_handle = u.handle;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_LOAD, &l);
}

static int c_cu_pad(struct et *t)
{
	struct drm_musa_code_unload u = { .module = t->module, .pad = 1 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_UNLOAD, &u);
}

static int c_cu_module(struct et *t)
{
	struct drm_musa_code_unload u = { .module = ET_BAD_HANDLE, .pad = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_UNLOAD, &u);
}

static int c_cg_flags(struct et *t)
{
	static const char var[] = "no_such_variable";
	struct drm_musa_code_global g = {
		.module = t->module, .name = (uintptr_t)var, .name_len = sizeof(var) - 1,
	};

	g.flags = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_GLOBAL, &g);
}

static int c_cg_pad(struct et *t)
{
	static const char var[] = "no_such_variable";
	struct drm_musa_code_global g = {
		.module = t->module, .name = (uintptr_t)var, .name_len = sizeof(var) - 1,
	};

	g.pad = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_GLOBAL, &g);
}

static int c_cg_len0(struct et *t)
{
	static const char var[] = "no_such_variable";
	struct drm_musa_code_global g = {
		.module = t->module, .name = (uintptr_t)var, .name_len = sizeof(var) - 1,
	};

	g.name_len = 0;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_GLOBAL, &g);
}

static int c_cg_len_max(struct et *t)
{
	static const char var[] = "no_such_variable";
	struct drm_musa_code_global g = {
		.module = t->module, .name = (uintptr_t)var, .name_len = sizeof(var) - 1,
	};

	g.name_len = DRM_MUSA_MAX_NAME + 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_GLOBAL, &g);
}

static int c_cg_nul(struct et *t)
{
	static const char var[] = "no_such_variable";
	struct drm_musa_code_global g = {
		.module = t->module, .name = (uintptr_t)var, .name_len = sizeof(var) - 1,
	};

	g.name_len = sizeof(var);
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_GLOBAL, &g);
}

static int c_cg_name(struct et *t)
{
	static const char var[] = "no_such_variable";
	struct drm_musa_code_global g = {
		.module = t->module, .name = (uintptr_t)var, .name_len = sizeof(var) - 1,
	};

	g.name = (uintptr_t)t->noaccess;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_GLOBAL, &g);
}

static int c_cg_module(struct et *t)
{
	static const char var[] = "no_such_variable";
	struct drm_musa_code_global g = {
		.module = t->module, .name = (uintptr_t)var, .name_len = sizeof(var) - 1,
	};

	g.module = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_GLOBAL, &g);
}

static int c_cg_var(struct et *t)
{
	static const char var[] = "no_such_variable";
	struct drm_musa_code_global g = {
		.module = t->module, .name = (uintptr_t)var, .name_len = sizeof(var) - 1,
	};

	
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CODE_GLOBAL, &g);
}

static int c_qc_flags(struct et *t)
{
	struct drm_musa_queue_create q = {
		.flags = DRM_MUSA_QUEUE_RING, .ring = t->va, .ring_slots = 16,
	};

	q.flags |= 2;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q);
}

static int c_qc_pad(struct et *t)
{
	struct drm_musa_queue_create q = {
		.flags = DRM_MUSA_QUEUE_RING, .ring = t->va, .ring_slots = 16,
	};

	q.pad = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q);
}

static int c_qc_pad2(struct et *t)
{
	struct drm_musa_queue_create q = {
		.flags = DRM_MUSA_QUEUE_RING, .ring = t->va, .ring_slots = 16,
	};

	q.pad2 = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q);
}

static int c_qc_priority(struct et *t)
{
	struct drm_musa_queue_create q = {
		.flags = DRM_MUSA_QUEUE_RING, .ring = t->va, .ring_slots = 16,
	};

	q.priority = 3;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q);
}

static int c_qc_ring_noflag(struct et *t)
{
	struct drm_musa_queue_create q = {
		.flags = DRM_MUSA_QUEUE_RING, .ring = t->va, .ring_slots = 16,
	};

	q.flags = 0;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q);
}

static int c_qc_ring0(struct et *t)
{
	struct drm_musa_queue_create q = {
		.flags = DRM_MUSA_QUEUE_RING, .ring = t->va, .ring_slots = 16,
	};

	q.ring = 0;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q);
}

static int c_qc_ring_align(struct et *t)
{
	struct drm_musa_queue_create q = {
		.flags = DRM_MUSA_QUEUE_RING, .ring = t->va, .ring_slots = 16,
	};

	q.ring += 8;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q);
}

static int c_qc_slots_pow2(struct et *t)
{
	struct drm_musa_queue_create q = {
		.flags = DRM_MUSA_QUEUE_RING, .ring = t->va, .ring_slots = 16,
	};

	q.ring_slots = 24;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q);
}

static int c_qc_slots_min(struct et *t)
{
	struct drm_musa_queue_create q = {
		.flags = DRM_MUSA_QUEUE_RING, .ring = t->va, .ring_slots = 16,
	};

	q.ring_slots = 8;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q);
}

static int c_qc_slots_max(struct et *t)
{
	struct drm_musa_queue_create q = {
		.flags = DRM_MUSA_QUEUE_RING, .ring = t->va, .ring_slots = 16,
	};

	q.ring_slots = 131072;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q);
}

static int c_qc_ring_bo(struct et *t)
{
	struct drm_musa_queue_create q = {
		.flags = DRM_MUSA_QUEUE_RING, .ring = t->va, .ring_slots = 16,
	};

	q.ring = t->up_va;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q);
}

static int c_qd_pad(struct et *t)
{
	struct drm_musa_queue_destroy d = { .handle = t->queue, .pad = 1 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_DESTROY, &d);
}

static int c_qd_handle(struct et *t)
{
	struct drm_musa_queue_destroy d = { .handle = ET_BAD_HANDLE, .pad = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_DESTROY, &d);
}

static int c_sb_flags(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	a.flags = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_pad(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	a.pad = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_packet_size(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	a.packet_size = 56;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_count0(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	a.packet_count = 0;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_count_max(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	a.packet_count = DRM_MUSA_MAX_PACKETS + 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_in_max(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	a.num_in_syncs = DRM_MUSA_MAX_SYNCS + 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_out_max(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	a.num_out_syncs = DRM_MUSA_MAX_SYNCS + 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_point(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	a.signal_syncobj = 0;
	a.signal_point = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_in_flags(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	sync.flags = 2;
	a.in_syncs = (uintptr_t)&sync;
	a.num_in_syncs = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_out_flags(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	sync.flags = DRM_MUSA_SYNC_WAIT_FOR_SUBMIT;
	a.out_syncs = (uintptr_t)&sync;
	a.num_out_syncs = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_no_fence(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	sync.handle = t->so_empty;
	a.in_syncs = (uintptr_t)&sync;
	a.num_in_syncs = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_queue(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	a.queue = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_signal(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	a.signal_syncobj = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_in_handle(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	sync.handle = ET_BAD_HANDLE;
	a.in_syncs = (uintptr_t)&sync;
	a.num_in_syncs = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_out_handle(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	sync.handle = ET_BAD_HANDLE;
	a.out_syncs = (uintptr_t)&sync;
	a.num_out_syncs = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_packets(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	a.packets = (uintptr_t)t->noaccess;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_in_ptr(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	a.in_syncs = (uintptr_t)t->noaccess;
	a.num_in_syncs = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_out_ptr(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	a.out_syncs = (uintptr_t)t->noaccess;
	a.num_out_syncs = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sb_nomem(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_submit a = et_submit_args(t, &p);
	int err;

	kmd_alloc_fail_at(1);
	err = kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
	kmd_alloc_fail_at(0);
	return err;
}

static int c_pk_type(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.type = DRM_MUSA_PKT_COUNT;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_pk_flags(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.flags = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_pk_tail(struct et *t)
{
	struct drm_musa_packet p = et_nop();
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.raw[6] = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_dp_kernel(struct et *t)
{
	struct drm_musa_packet p = et_dispatch(t);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.dispatch.kernel = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_dp_pad(struct et *t)
{
	struct drm_musa_packet p = et_dispatch(t);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.dispatch.pad = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_dp_grid0(struct et *t)
{
	struct drm_musa_packet p = et_dispatch(t);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.dispatch.grid[1] = 0;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_dp_grid_max(struct et *t)
{
	struct drm_musa_packet p = et_dispatch(t);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.dispatch.grid[2] = 65536;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_dp_block0(struct et *t)
{
	struct drm_musa_packet p = et_dispatch(t);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.dispatch.block[0] = 0;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_dp_block_max(struct et *t)
{
	struct drm_musa_packet p = et_dispatch(t);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.dispatch.block[2] = 65;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_dp_threads(struct et *t)
{
	struct drm_musa_packet p = et_dispatch(t);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.dispatch.block[0] = 64;
	p.dispatch.block[1] = 32;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_dp_shared(struct et *t)
{
	struct drm_musa_packet p = et_dispatch(t);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.dispatch.shared_bytes = 48 * 1024 + 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_dp_kernarg_size(struct et *t)
{
	struct drm_musa_packet p = et_dispatch(t);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.dispatch.kernarg_size = 8;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_dp_kernarg_align(struct et *t)
{
	struct drm_musa_packet p = et_dispatch(t);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.dispatch.kernarg += 4;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_dp_kernarg_range(struct et *t)
{
	struct drm_musa_packet p = et_dispatch(t);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.dispatch.kernarg = t->va + ET_BO_SIZE - 8;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

/* A kernel whose record declares more work-group stack than a compute unit
 * gives (tests/kmd/stack.kern.c, its second record). */
static int c_dp_stack(struct et *t)
{
	size_t size;
	void *img = kt_read_file(TEST_BUILD_DIR "/tests/kmd/stack.so", &size);
	uint32_t kernels[3], count = 3, bo = kt_code_bo(t->fd, img, size);
	struct drm_musa_packet p;
	struct drm_musa_submit a = et_submit_args(t, &p);

	ck_assert_int_eq(kt_code_load(t->fd, bo, size, kernels, &count, NULL), 0);
	free(img);
	p = kt_dispatch(kernels[1], t->va, 8, 1, 1, 1, 1, 1, 1);
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_cp_overflow(struct et *t)
{
	struct drm_musa_packet p = kt_copy(t->va + 4096, t->va, 256);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.copy.dst = UINT64_MAX - 16;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_cp_pitch(struct et *t)
{
	struct drm_musa_packet p = kt_copy(t->va + 4096, t->va, 256);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.copy.height = 2;
	p.copy.src_pitch = 128;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_cp_src(struct et *t)
{
	struct drm_musa_packet p = kt_copy(t->va + 4096, t->va, 256);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.copy.src = t->va + ET_BO_SIZE - 128;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_cp_dst(struct et *t)
{
	struct drm_musa_packet p = kt_copy(t->va + 4096, t->va, 256);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.copy.dst = t->va + ET_BO_SIZE - 128;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_cp_ro(struct et *t)
{
	struct drm_musa_packet p = kt_copy(t->va + 4096, t->va, 256);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.copy.dst = t->ro_va;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_fl_elem(struct et *t)
{
	struct drm_musa_packet p = kt_fill(t->va, 64, 7, 4);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.fill.elem_size = 3;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_fl_align(struct et *t)
{
	struct drm_musa_packet p = kt_fill(t->va, 64, 7, 4);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.fill.dst += 2;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_fl_count(struct et *t)
{
	struct drm_musa_packet p = kt_fill(t->va, 64, 7, 4);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.fill.count = UINT64_MAX / 2;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_fl_range(struct et *t)
{
	struct drm_musa_packet p = kt_fill(t->va, 64, 7, 4);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.fill.dst = t->va + ET_BO_SIZE - 128;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_fl_ro(struct et *t)
{
	struct drm_musa_packet p = kt_fill(t->va, 64, 7, 4);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.fill.dst = t->ro_va;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_wt_pad(struct et *t)
{
	struct drm_musa_packet p = et_sync(t, DRM_MUSA_PKT_WAIT);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.sync.pad = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_wt_handle(struct et *t)
{
	struct drm_musa_packet p = et_sync(t, DRM_MUSA_PKT_WAIT);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.sync.syncobj = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sg_pad(struct et *t)
{
	struct drm_musa_packet p = et_sync(t, DRM_MUSA_PKT_SIGNAL);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.sync.pad = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_sg_handle(struct et *t)
{
	struct drm_musa_packet p = et_sync(t, DRM_MUSA_PKT_SIGNAL);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.sync.syncobj = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_ts_align(struct et *t)
{
	struct drm_musa_packet p = et_timestamp(t->va);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.timestamp.dst += 4;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_ts_range(struct et *t)
{
	struct drm_musa_packet p = et_timestamp(t->va);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.timestamp.dst = t->va + ET_BO_SIZE;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_ts_ro(struct et *t)
{
	struct drm_musa_packet p = et_timestamp(t->va);
	struct drm_musa_sync sync = { .handle = t->so };
	struct drm_musa_submit a = et_submit_args(t, &p);

	(void)sync;
	p.timestamp.dst = t->ro_va;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static int c_cq_flags(struct et *t)
{
	struct drm_musa_ctx_query q = { 0 };

	q.flags = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CTX_QUERY, &q);
}

static int c_cq_pad(struct et *t)
{
	struct drm_musa_ctx_query q = { 0 };

	q.pad = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_CTX_QUERY, &q);
}

static int c_db_pad(struct et *t)
{
	struct drm_musa_queue_doorbell d = { .queue = et_ring_queue(t), .pad = 1 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_DOORBELL, &d);
}

static int c_db_queue(struct et *t)
{
	struct drm_musa_queue_doorbell d = { .queue = ET_BAD_HANDLE, .pad = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_DOORBELL, &d);
}

static int c_db_noring(struct et *t)
{
	struct drm_musa_queue_doorbell d = { .queue = t->queue, .pad = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_QUEUE_DOORBELL, &d);
}

static int c_tr_flags(struct et *t)
{
	struct drm_musa_trace_record rec;
	struct drm_musa_trace a = {
		.record_size = sizeof(rec), .records = (uintptr_t)&rec, .count = 1,
	};

	a.flags = 4;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_TRACE, &a);
}

static int c_tr_both(struct et *t)
{
	struct drm_musa_trace_record rec;
	struct drm_musa_trace a = {
		.record_size = sizeof(rec), .records = (uintptr_t)&rec, .count = 1,
	};

	a.flags = DRM_MUSA_TRACE_START | DRM_MUSA_TRACE_STOP;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_TRACE, &a);
}

static int c_tr_pad(struct et *t)
{
	struct drm_musa_trace_record rec;
	struct drm_musa_trace a = {
		.record_size = sizeof(rec), .records = (uintptr_t)&rec, .count = 1,
	};

	a.pad = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_TRACE, &a);
}

static int c_tr_size(struct et *t)
{
	struct drm_musa_trace_record rec;
	struct drm_musa_trace a = {
		.record_size = sizeof(rec), .records = (uintptr_t)&rec, .count = 1,
	};

	a.record_size = 64;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_TRACE, &a);
}

static int c_tr_records(struct et *t)
{
	struct drm_musa_trace_record rec;
	struct drm_musa_trace a = {
		.record_size = sizeof(rec), .records = (uintptr_t)&rec, .count = 1,
	};

	et_trace_one_packet(t);
	a.records = (uintptr_t)t->noaccess;
	return kt_ioctl(t->fd, DRM_IOCTL_MUSA_TRACE, &a);
}

static int c_ver_name(struct et *t)
{
	struct drm_version v = { .name = t->noaccess, .name_len = 4 };

	return kt_ioctl(t->fd, DRM_IOCTL_VERSION, &v);
}

static int c_cap_kms(struct et *t)
{
	struct drm_get_cap c = { .capability = DRM_CAP_DUMB_BUFFER };

	return kt_ioctl(t->fd, DRM_IOCTL_GET_CAP, &c);
}

static int c_gc_handle(struct et *t)
{
	struct drm_gem_close c = { .handle = ET_BAD_HANDLE };

	return kt_ioctl(t->fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static int c_gc_zero(struct et *t)
{
	struct drm_gem_close c = { .handle = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static int c_ph_flags(struct et *t)
{
	struct drm_prime_handle p = { .handle = t->bo, .flags = DRM_CLOEXEC | 4, .fd = -1 };
	int err = kt_ioctl(t->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);

	if (!err)
		close(p.fd);
	return err;
}

static int c_ph_handle(struct et *t)
{
	struct drm_prime_handle p = { .handle = ET_BAD_HANDLE, .flags = DRM_CLOEXEC, .fd = -1 };
	int err = kt_ioctl(t->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);

	if (!err)
		close(p.fd);
	return err;
}

static int c_ph_userptr(struct et *t)
{
	struct drm_prime_handle p = { .handle = t->up_bo, .flags = DRM_CLOEXEC, .fd = -1 };
	int err = kt_ioctl(t->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);

	if (!err)
		close(p.fd);
	return err;
}

static int c_pf_closed(struct et *t)
{
	struct drm_prime_handle p = { .fd = -1 };
	int err = kt_ioctl(t->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);

	return err;
}

static int c_pf_other(struct et *t)
{
	int pipefd[2];
	struct drm_prime_handle p = { 0 };
	int err;

	ck_assert_int_eq(pipe(pipefd), 0);
	p.fd = pipefd[0];
	err = kt_ioctl(t->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);
	close(pipefd[0]);
	close(pipefd[1]);
	return err;
}

static int c_soc_flags(struct et *t)
{
	struct drm_syncobj_create c = { .flags = 2 };

	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_CREATE, &c);
}

static int c_sod_pad(struct et *t)
{
	struct drm_syncobj_destroy d = { .handle = t->so, .pad = 1 };

	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
}

static int c_sod_handle(struct et *t)
{
	struct drm_syncobj_destroy d = { .handle = ET_BAD_HANDLE, .pad = 0 };

	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
}

static int c_sow_flags(struct et *t)
{
	uint32_t handles[1] = { t->so };
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)handles, .count_handles = 1, .timeout_nsec = kt_now_ns(),
	};

	w.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

static int c_sow_count(struct et *t)
{
	uint32_t handles[1] = { t->so };
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)handles, .count_handles = 1, .timeout_nsec = kt_now_ns(),
	};

	w.count_handles = 0;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

static int c_sow_handles(struct et *t)
{
	uint32_t handles[1] = { t->so };
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)handles, .count_handles = 1, .timeout_nsec = kt_now_ns(),
	};

	w.handles = (uintptr_t)t->noaccess;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

static int c_sow_unknown(struct et *t)
{
	uint32_t handles[1] = { t->so };
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)handles, .count_handles = 1, .timeout_nsec = kt_now_ns(),
	};

	handles[0] = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

static int c_sow_nofence(struct et *t)
{
	uint32_t handles[1] = { t->so };
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)handles, .count_handles = 1, .timeout_nsec = kt_now_ns(),
	};

	handles[0] = t->so_empty;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

static int c_sow_time(struct et *t)
{
	uint32_t handles[1] = { t->so };
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)handles, .count_handles = 1, .timeout_nsec = kt_now_ns(),
	};

	handles[0] = t->so_empty;
	w.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

static int c_sotw_flags(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 0 };
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
		.timeout_nsec = kt_now_ns(),
	};

	w.flags = 1u << 5;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

static int c_sotw_count(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 0 };
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
		.timeout_nsec = kt_now_ns(),
	};

	w.count_handles = 0;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

static int c_sotw_handles(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 0 };
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
		.timeout_nsec = kt_now_ns(),
	};

	w.handles = (uintptr_t)t->noaccess;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

static int c_sotw_points(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 0 };
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
		.timeout_nsec = kt_now_ns(),
	};

	w.points = (uintptr_t)t->noaccess;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

static int c_sotw_unknown(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 0 };
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
		.timeout_nsec = kt_now_ns(),
	};

	handles[0] = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

static int c_sotw_unsubmitted(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 0 };
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
		.timeout_nsec = kt_now_ns(),
	};

	points[0] = 9;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

static int c_sotw_time(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 0 };
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
		.timeout_nsec = kt_now_ns(),
	};

	points[0] = 9;
	w.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

static int c_sor_pad(struct et *t)
{
	uint32_t handles[1] = { t->so };
	struct drm_syncobj_array a = { .handles = (uintptr_t)handles, .count_handles = 1 };

	a.pad = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_RESET, &a);
}

static int c_sor_count(struct et *t)
{
	uint32_t handles[1] = { t->so };
	struct drm_syncobj_array a = { .handles = (uintptr_t)handles, .count_handles = 1 };

	a.count_handles = 0;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_RESET, &a);
}

static int c_sor_handles(struct et *t)
{
	uint32_t handles[1] = { t->so };
	struct drm_syncobj_array a = { .handles = (uintptr_t)handles, .count_handles = 1 };

	a.handles = (uintptr_t)t->noaccess;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_RESET, &a);
}

static int c_sor_unknown(struct et *t)
{
	uint32_t handles[1] = { t->so };
	struct drm_syncobj_array a = { .handles = (uintptr_t)handles, .count_handles = 1 };

	handles[0] = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_RESET, &a);
}

static int c_sos_pad(struct et *t)
{
	uint32_t handles[1] = { t->so };
	struct drm_syncobj_array a = { .handles = (uintptr_t)handles, .count_handles = 1 };

	a.pad = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a);
}

static int c_sos_count(struct et *t)
{
	uint32_t handles[1] = { t->so };
	struct drm_syncobj_array a = { .handles = (uintptr_t)handles, .count_handles = 1 };

	a.count_handles = 0;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a);
}

static int c_sos_handles(struct et *t)
{
	uint32_t handles[1] = { t->so };
	struct drm_syncobj_array a = { .handles = (uintptr_t)handles, .count_handles = 1 };

	a.handles = (uintptr_t)t->noaccess;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a);
}

static int c_sos_unknown(struct et *t)
{
	uint32_t handles[1] = { t->so };
	struct drm_syncobj_array a = { .handles = (uintptr_t)handles, .count_handles = 1 };

	handles[0] = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a);
}

static int c_sots_flags(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 1 };
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
	};

	a.flags = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
}

static int c_sots_count(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 1 };
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
	};

	a.count_handles = 0;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
}

static int c_sots_handles(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 1 };
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
	};

	a.handles = (uintptr_t)t->noaccess;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
}

static int c_sots_unknown(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 1 };
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
	};

	handles[0] = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
}

static int c_sots_points(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 1 };
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
	};

	a.points = (uintptr_t)t->noaccess;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
}

static int c_soq_flags(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 1 };
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
	};

	a.flags = 2;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_QUERY, &a);
}

static int c_soq_count(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 1 };
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
	};

	a.count_handles = 0;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_QUERY, &a);
}

static int c_soq_handles(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 1 };
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
	};

	a.handles = (uintptr_t)t->noaccess;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_QUERY, &a);
}

static int c_soq_unknown(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 1 };
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
	};

	handles[0] = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_QUERY, &a);
}

static int c_soq_points(struct et *t)
{
	uint32_t handles[1] = { t->so };
	uint64_t points[1] = { 1 };
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = 1,
	};

	a.points = (uintptr_t)t->ro_host;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_QUERY, &a);
}

static int c_sox_pad(struct et *t)
{
	struct drm_syncobj_transfer x = { .src_handle = t->so, .dst_handle = t->so_empty };

	x.pad = 1;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &x);
}

static int c_sox_dst(struct et *t)
{
	struct drm_syncobj_transfer x = { .src_handle = t->so, .dst_handle = t->so_empty };

	x.dst_handle = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &x);
}

static int c_sox_src(struct et *t)
{
	struct drm_syncobj_transfer x = { .src_handle = t->so, .dst_handle = t->so_empty };

	x.src_handle = ET_BAD_HANDLE;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &x);
}

static int c_sox_nofence(struct et *t)
{
	struct drm_syncobj_transfer x = { .src_handle = t->so, .dst_handle = t->so_empty };

	x.src_handle = t->so_empty;
	x.dst_handle = t->so;
	return kt_ioctl(t->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &x);
}

static const struct et_case et_cases[] = {
	{ "any", "ioctl type is not DRM's (`'d'`)", ENOTTY, c_door_type },
	{ "any", "number not in the table", EINVAL, c_door_number },
	{ "any", "argument struct unreadable", EFAULT, c_door_arg },
	{ "any", "struct longer than the driver's, extra bytes not 0", EINVAL, c_door_longer },
	{ "DEVICE_QUERY", "`flags` not 0", EINVAL, c_dq_flags },
	{ "DEVICE_QUERY", "`pad` not 0", EINVAL, c_dq_pad },
	{ "DEVICE_QUERY", "unknown `query`", EINVAL, c_dq_query },
	{ "DEVICE_QUERY", "`size` not 0 and smaller than the answer", EINVAL, c_dq_short },
	{ "DEVICE_QUERY", "`data` not writable", EFAULT, c_dq_data },
	{ "GET_PARAM", "unknown `param`", EINVAL, c_gp_param },
	{ "GET_PARAM", "`index` not 0 on a key without one", EINVAL, c_gp_index_scalar },
	{ "GET_PARAM", "`index` past the key's count", EINVAL, c_gp_index_past },
	{ "BO_CREATE", "`flags` not 0", EINVAL, c_bc_flags },
	{ "BO_CREATE", "`size` 0", EINVAL, c_bc_size0 },
	{ "BO_CREATE", "`size` larger than the device's memory", ENOMEM, c_bc_too_large },
	{ "BO_CREATE", "`size` larger than the memory left", ENOMEM, c_bc_no_room },
	{ "BO_MMAP_OFFSET", "`flags` not 0", EINVAL, c_mo_flags },
	{ "BO_MMAP_OFFSET", "unknown `handle`", ENOENT, c_mo_handle },
	{ "BO_MMAP_OFFSET", "a userptr BO", EINVAL, c_mo_userptr },
	{ "BO_USERPTR", "unknown flag", EINVAL, c_up_flags },
	{ "BO_USERPTR", "`size` 0", EINVAL, c_up_size0 },
	{ "BO_USERPTR", "`size` not a page multiple", EINVAL, c_up_size_page },
	{ "BO_USERPTR", "`user_ptr` not page aligned", EINVAL, c_up_align },
	{ "BO_USERPTR", "range wraps around", EINVAL, c_up_wrap },
	{ "BO_USERPTR", "`user_ptr` 0", EFAULT, c_up_zero },
	{ "BO_USERPTR", "range not mapped readable", EFAULT, c_up_unmapped },
	{ "BO_USERPTR", "range read-only, no `DRM_MUSA_USERPTR_READ_ONLY`", EFAULT, c_up_readonly },
	{ "VM_MAP", "`flags` not 0", EINVAL, c_vm_flags },
	{ "VM_MAP", "unknown `handle`", ENOENT, c_vm_handle },
	{ "VM_MAP", "device address window full", ENOMEM, c_vm_full },
	{ "VM_UNMAP", "`pad` not 0", EINVAL, c_vu_pad },
	{ "VM_UNMAP", "unknown `handle`", ENOENT, c_vu_handle },
	{ "VM_UNMAP", "`va` 0", EINVAL, c_vu_va0 },
	{ "VM_UNMAP", "`va` not a mapping of that BO", EINVAL, c_vu_other },
	{ "CODE_LOAD", "`flags` not 0", EINVAL, c_cl_flags },
	{ "CODE_LOAD", "unknown `bo_handle`", ENOENT, c_cl_bo },
	{ "CODE_LOAD", "`size` 0", EINVAL, c_cl_size0 },
	{ "CODE_LOAD", "`size` larger than the BO", EINVAL, c_cl_size_bo },
	{ "CODE_LOAD", "image malformed or refused", ENOEXEC, c_cl_noexec },
	{ "CODE_LOAD", "`kernels` not writable", EFAULT, c_cl_kernels },
	{ "CODE_LOAD", "image in a userptr BO that is no longer readable", EFAULT, c_cl_userptr },
	{ "CODE_UNLOAD", "`pad` not 0", EINVAL, c_cu_pad },
	{ "CODE_UNLOAD", "unknown `module`", ENOENT, c_cu_module },
	{ "CODE_GLOBAL", "`flags` not 0", EINVAL, c_cg_flags },
	{ "CODE_GLOBAL", "`pad` not 0", EINVAL, c_cg_pad },
	{ "CODE_GLOBAL", "`name_len` 0", EINVAL, c_cg_len0 },
	{ "CODE_GLOBAL", "`name_len` over `DRM_MUSA_MAX_NAME`", EINVAL, c_cg_len_max },
	{ "CODE_GLOBAL", "name holds a NUL", EINVAL, c_cg_nul },
	{ "CODE_GLOBAL", "`name` unreadable", EFAULT, c_cg_name },
	{ "CODE_GLOBAL", "unknown `module`", ENOENT, c_cg_module },
	{ "CODE_GLOBAL", "no variable of that name", ENOENT, c_cg_var },
	{ "QUEUE_CREATE", "unknown flag", EINVAL, c_qc_flags },
	{ "QUEUE_CREATE", "`pad` not 0", EINVAL, c_qc_pad },
	{ "QUEUE_CREATE", "`pad2` not 0", EINVAL, c_qc_pad2 },
	{ "QUEUE_CREATE", "`priority` over 2", EINVAL, c_qc_priority },
	{ "QUEUE_CREATE", "`ring` or `ring_slots` without `DRM_MUSA_QUEUE_RING`", EINVAL, c_qc_ring_noflag },
	{ "QUEUE_CREATE", "`ring` 0", EINVAL, c_qc_ring0 },
	{ "QUEUE_CREATE", "`ring` not 64-byte aligned", EINVAL, c_qc_ring_align },
	{ "QUEUE_CREATE", "`ring_slots` not a power of two", EINVAL, c_qc_slots_pow2 },
	{ "QUEUE_CREATE", "`ring_slots` under 16", EINVAL, c_qc_slots_min },
	{ "QUEUE_CREATE", "`ring_slots` over 65536", EINVAL, c_qc_slots_max },
	{ "QUEUE_CREATE", "ring not inside one writable device BO", EFAULT, c_qc_ring_bo },
	{ "QUEUE_DESTROY", "`pad` not 0", EINVAL, c_qd_pad },
	{ "QUEUE_DESTROY", "unknown `handle`", ENOENT, c_qd_handle },
	{ "SUBMIT", "`flags` not 0", EINVAL, c_sb_flags },
	{ "SUBMIT", "`pad` not 0", EINVAL, c_sb_pad },
	{ "SUBMIT", "`packet_size` not 64", EINVAL, c_sb_packet_size },
	{ "SUBMIT", "`packet_count` 0", EINVAL, c_sb_count0 },
	{ "SUBMIT", "`packet_count` over `DRM_MUSA_MAX_PACKETS`", EINVAL, c_sb_count_max },
	{ "SUBMIT", "`num_in_syncs` over `DRM_MUSA_MAX_SYNCS`", EINVAL, c_sb_in_max },
	{ "SUBMIT", "`num_out_syncs` over `DRM_MUSA_MAX_SYNCS`", EINVAL, c_sb_out_max },
	{ "SUBMIT", "`signal_point` without `signal_syncobj`", EINVAL, c_sb_point },
	{ "SUBMIT", "unknown flag in an `in_syncs` entry", EINVAL, c_sb_in_flags },
	{ "SUBMIT", "`flags` not 0 in an `out_syncs` entry", EINVAL, c_sb_out_flags },
	{ "SUBMIT", "a wait on a point without a fence, no `DRM_MUSA_SYNC_WAIT_FOR_SUBMIT`", EINVAL, c_sb_no_fence },
	{ "SUBMIT", "unknown `queue`", ENOENT, c_sb_queue },
	{ "SUBMIT", "unknown `signal_syncobj`", ENOENT, c_sb_signal },
	{ "SUBMIT", "unknown syncobj in `in_syncs`", ENOENT, c_sb_in_handle },
	{ "SUBMIT", "unknown syncobj in `out_syncs`", ENOENT, c_sb_out_handle },
	{ "SUBMIT", "`packets` unreadable", EFAULT, c_sb_packets },
	{ "SUBMIT", "`in_syncs` unreadable", EFAULT, c_sb_in_ptr },
	{ "SUBMIT", "`out_syncs` unreadable", EFAULT, c_sb_out_ptr },
	{ "SUBMIT", "no memory for the submission", ENOMEM, c_sb_nomem },
	{ "SUBMIT", "packet `type` unknown", EINVAL, c_pk_type },
	{ "SUBMIT", "packet `flags` not 0", EINVAL, c_pk_flags },
	{ "SUBMIT", "packet body's unused tail not 0", EINVAL, c_pk_tail },
	{ "SUBMIT", "KERNEL_DISPATCH: unknown `kernel`", ENOENT, c_dp_kernel },
	{ "SUBMIT", "KERNEL_DISPATCH: `pad` not 0", EINVAL, c_dp_pad },
	{ "SUBMIT", "KERNEL_DISPATCH: a `grid` dimension 0", EINVAL, c_dp_grid0 },
	{ "SUBMIT", "KERNEL_DISPATCH: a `grid` dimension over the device's", EINVAL, c_dp_grid_max },
	{ "SUBMIT", "KERNEL_DISPATCH: a `block` dimension 0", EINVAL, c_dp_block0 },
	{ "SUBMIT", "KERNEL_DISPATCH: a `block` dimension over the device's", EINVAL, c_dp_block_max },
	{ "SUBMIT", "KERNEL_DISPATCH: threads per block over the device's", EINVAL, c_dp_threads },
	{ "SUBMIT", "KERNEL_DISPATCH: shared memory over 48 KiB", EINVAL, c_dp_shared },
	{ "SUBMIT", "KERNEL_DISPATCH: `kernarg_size` below the kernel's", EINVAL, c_dp_kernarg_size },
	{ "SUBMIT", "KERNEL_DISPATCH: `kernarg` misaligned", EINVAL, c_dp_kernarg_align },
	{ "SUBMIT", "KERNEL_DISPATCH: `kernarg` range not inside one mapped BO", EFAULT, c_dp_kernarg_range },
	{ "SUBMIT", "KERNEL_DISPATCH: the kernel declares more work-group stack than a compute unit gives", E2BIG, c_dp_stack },
	{ "SUBMIT", "COPY: extent overflows", EINVAL, c_cp_overflow },
	{ "SUBMIT", "COPY: a pitch below `width` with `height` over 1", EINVAL, c_cp_pitch },
	{ "SUBMIT", "COPY: source not inside one mapped BO", EFAULT, c_cp_src },
	{ "SUBMIT", "COPY: destination not inside one mapped BO", EFAULT, c_cp_dst },
	{ "SUBMIT", "COPY: destination in a read-only BO", EFAULT, c_cp_ro },
	{ "SUBMIT", "FILL: `elem_size` not 1, 2 or 4", EINVAL, c_fl_elem },
	{ "SUBMIT", "FILL: `dst` not aligned to `elem_size`", EINVAL, c_fl_align },
	{ "SUBMIT", "FILL: `count` * `elem_size` overflows", EINVAL, c_fl_count },
	{ "SUBMIT", "FILL: range not inside one mapped BO", EFAULT, c_fl_range },
	{ "SUBMIT", "FILL: destination in a read-only BO", EFAULT, c_fl_ro },
	{ "SUBMIT", "WAIT: `pad` not 0", EINVAL, c_wt_pad },
	{ "SUBMIT", "WAIT: unknown `syncobj`", ENOENT, c_wt_handle },
	{ "SUBMIT", "SIGNAL: `pad` not 0", EINVAL, c_sg_pad },
	{ "SUBMIT", "SIGNAL: unknown `syncobj`", ENOENT, c_sg_handle },
	{ "SUBMIT", "TIMESTAMP: `dst` not 8-byte aligned", EINVAL, c_ts_align },
	{ "SUBMIT", "TIMESTAMP: `dst` not inside a mapped BO", EFAULT, c_ts_range },
	{ "SUBMIT", "TIMESTAMP: `dst` in a read-only BO", EFAULT, c_ts_ro },
	{ "CTX_QUERY", "`flags` not 0", EINVAL, c_cq_flags },
	{ "CTX_QUERY", "`pad` not 0", EINVAL, c_cq_pad },
	{ "QUEUE_DOORBELL", "`pad` not 0", EINVAL, c_db_pad },
	{ "QUEUE_DOORBELL", "unknown `queue`", ENOENT, c_db_queue },
	{ "QUEUE_DOORBELL", "a queue without a ring", EINVAL, c_db_noring },
	{ "TRACE", "unknown flag", EINVAL, c_tr_flags },
	{ "TRACE", "both `DRM_MUSA_TRACE_START` and `DRM_MUSA_TRACE_STOP`", EINVAL, c_tr_both },
	{ "TRACE", "`pad` not 0", EINVAL, c_tr_pad },
	{ "TRACE", "`count` not 0 and `record_size` not the record's", EINVAL, c_tr_size },
	{ "TRACE", "`records` not writable while records are held", EFAULT, c_tr_records },
	{ "VERSION", "`name` not writable, `name_len` not 0", EFAULT, c_ver_name },
	{ "GET_CAP", "capability not served (any KMS one)", EOPNOTSUPP, c_cap_kms },
	{ "GEM_CLOSE", "unknown `handle`", EINVAL, c_gc_handle },
	{ "GEM_CLOSE", "`handle` 0", EINVAL, c_gc_zero },
	{ "PRIME_HANDLE_TO_FD", "unknown flag", EINVAL, c_ph_flags },
	{ "PRIME_HANDLE_TO_FD", "unknown `handle`", ENOENT, c_ph_handle },
	{ "PRIME_HANDLE_TO_FD", "a userptr BO", EINVAL, c_ph_userptr },
	{ "PRIME_FD_TO_HANDLE", "`fd` not open", EBADF, c_pf_closed },
	{ "PRIME_FD_TO_HANDLE", "`fd` not an exported BO (a pipe)", EINVAL, c_pf_other },
	{ "SYNCOBJ_CREATE", "unknown flag", EINVAL, c_soc_flags },
	{ "SYNCOBJ_DESTROY", "`pad` not 0", EINVAL, c_sod_pad },
	{ "SYNCOBJ_DESTROY", "unknown `handle`", EINVAL, c_sod_handle },
	{ "SYNCOBJ_WAIT", "unknown flag", EINVAL, c_sow_flags },
	{ "SYNCOBJ_WAIT", "`count_handles` 0", EINVAL, c_sow_count },
	{ "SYNCOBJ_WAIT", "`handles` unreadable", EFAULT, c_sow_handles },
	{ "SYNCOBJ_WAIT", "unknown handle", ENOENT, c_sow_unknown },
	{ "SYNCOBJ_WAIT", "a syncobj without a fence, no `WAIT_FOR_SUBMIT`", EINVAL, c_sow_nofence },
	{ "SYNCOBJ_WAIT", "timeout passed, not signalled", ETIME, c_sow_time },
	{ "SYNCOBJ_TIMELINE_WAIT", "unknown flag", EINVAL, c_sotw_flags },
	{ "SYNCOBJ_TIMELINE_WAIT", "`count_handles` 0", EINVAL, c_sotw_count },
	{ "SYNCOBJ_TIMELINE_WAIT", "`handles` unreadable", EFAULT, c_sotw_handles },
	{ "SYNCOBJ_TIMELINE_WAIT", "`points` unreadable", EFAULT, c_sotw_points },
	{ "SYNCOBJ_TIMELINE_WAIT", "unknown handle", ENOENT, c_sotw_unknown },
	{ "SYNCOBJ_TIMELINE_WAIT", "a point never submitted, no `WAIT_FOR_SUBMIT` or `WAIT_AVAILABLE`", EINVAL, c_sotw_unsubmitted },
	{ "SYNCOBJ_TIMELINE_WAIT", "timeout passed, not signalled", ETIME, c_sotw_time },
	{ "SYNCOBJ_RESET", "`pad` not 0", EINVAL, c_sor_pad },
	{ "SYNCOBJ_RESET", "`count_handles` 0", EINVAL, c_sor_count },
	{ "SYNCOBJ_RESET", "`handles` unreadable", EFAULT, c_sor_handles },
	{ "SYNCOBJ_RESET", "unknown handle", ENOENT, c_sor_unknown },
	{ "SYNCOBJ_SIGNAL", "`pad` not 0", EINVAL, c_sos_pad },
	{ "SYNCOBJ_SIGNAL", "`count_handles` 0", EINVAL, c_sos_count },
	{ "SYNCOBJ_SIGNAL", "`handles` unreadable", EFAULT, c_sos_handles },
	{ "SYNCOBJ_SIGNAL", "unknown handle", ENOENT, c_sos_unknown },
	{ "SYNCOBJ_TIMELINE_SIGNAL", "`flags` not 0", EINVAL, c_sots_flags },
	{ "SYNCOBJ_TIMELINE_SIGNAL", "`count_handles` 0", EINVAL, c_sots_count },
	{ "SYNCOBJ_TIMELINE_SIGNAL", "`handles` unreadable", EFAULT, c_sots_handles },
	{ "SYNCOBJ_TIMELINE_SIGNAL", "unknown handle", ENOENT, c_sots_unknown },
	{ "SYNCOBJ_TIMELINE_SIGNAL", "`points` unreadable", EFAULT, c_sots_points },
	{ "SYNCOBJ_QUERY", "unknown flag", EINVAL, c_soq_flags },
	{ "SYNCOBJ_QUERY", "`count_handles` 0", EINVAL, c_soq_count },
	{ "SYNCOBJ_QUERY", "`handles` unreadable", EFAULT, c_soq_handles },
	{ "SYNCOBJ_QUERY", "unknown handle", ENOENT, c_soq_unknown },
	{ "SYNCOBJ_QUERY", "`points` not writable", EFAULT, c_soq_points },
	{ "SYNCOBJ_TRANSFER", "`pad` not 0", EINVAL, c_sox_pad },
	{ "SYNCOBJ_TRANSFER", "unknown `dst_handle`", ENOENT, c_sox_dst },
	{ "SYNCOBJ_TRANSFER", "unknown `src_handle`", ENOENT, c_sox_src },
	{ "SYNCOBJ_TRANSFER", "no fence at `src_point`, no `WAIT_FOR_SUBMIT`", EINVAL, c_sox_nofence },
};

#define ET_NCASES ((int)(sizeof(et_cases) / sizeof(et_cases[0])))

static const struct { const char *name; int err; } et_errnos[] = {
	{ "E2BIG", E2BIG },
	{ "EINVAL", EINVAL }, { "ENOENT", ENOENT }, { "EFAULT", EFAULT },
	{ "ENOMEM", ENOMEM }, { "ENOTTY", ENOTTY }, { "ENOEXEC", ENOEXEC },
	{ "ENOBUFS", ENOBUFS }, { "ETIME", ETIME }, { "EBADF", EBADF },
	{ "EOPNOTSUPP", EOPNOTSUPP },
};

/* A row of the document's table. */
struct et_row {
	char ioctl[64];
	char condition[256];
	int err;        /* 0: a name not in et_errnos */
	int line;
};

static void et_trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n'))
		s[--n] = '\0';
	memmove(s, s + strspn(s, " "), strlen(s + strspn(s, " ")) + 1);
}

/* "| ioctl | condition | `ERRNO` |" into r; false for another line. */
static bool et_parse_row(const char *line, struct et_row *r)
{
	char buf[512], *cell[3], *p;
	int n = 0;

	if (strncmp(line, "| ", 2) != 0 || snprintf(buf, sizeof(buf), "%s", line + 2) >=
	    (int)sizeof(buf))
		return false;
	for (p = buf; n < 3 && (cell[n] = p); n++) {
		p = strstr(p, " |");
		if (!p)
			return false;
		*p = '\0';
		p += 2;
	}
	for (int i = 0; i < 3; i++)
		et_trim(cell[i]);
	if (strcmp(cell[0], "ioctl") == 0 || cell[0][0] == '-')
		return false;
	snprintf(r->ioctl, sizeof(r->ioctl), "%s", cell[0]);
	snprintf(r->condition, sizeof(r->condition), "%s", cell[1]);
	r->err = 0;
	for (size_t i = 0; i < sizeof(et_errnos) / sizeof(et_errnos[0]); i++) {
		char quoted[32];

		snprintf(quoted, sizeof(quoted), "`%s`", et_errnos[i].name);
		if (strcmp(cell[2], quoted) == 0)
			r->err = et_errnos[i].err;
	}
	return true;
}

/* The rows of the table section of docs/uapi.md. */
static struct et_row *et_doc_rows(int *count)
{
	FILE *fp = fopen(ET_DOC, "r");
	struct et_row *rows = calloc(512, sizeof(*rows));
	char line[1024];
	bool in = false;
	int n = 0, lineno = 0;

	ck_assert_msg(fp != NULL, "cannot open %s", ET_DOC);
	ck_assert_ptr_nonnull(rows);
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		if (strncmp(line, "## ", 3) == 0)
			in = strncmp(line, ET_SECTION, strlen(ET_SECTION)) == 0;
		if (in && n < 512 && et_parse_row(line, &rows[n])) {
			rows[n].line = lineno;
			n++;
		}
	}
	fclose(fp);
	ck_assert_msg(n > 0, "%s has no section \"%s\" with a table", ET_DOC, ET_SECTION);
	*count = n;
	return rows;
}

static const struct et_case *et_case_find(const char *ioctl, const char *condition)
{
	for (int i = 0; i < ET_NCASES; i++)
		if (strcmp(et_cases[i].ioctl, ioctl) == 0 &&
		    strcmp(et_cases[i].condition, condition) == 0)
			return &et_cases[i];
	return NULL;
}

START_TEST(test_every_documented_row_has_a_case)
{
	int n;
	struct et_row *rows = et_doc_rows(&n);

	for (int i = 0; i < n; i++) {
		const struct et_case *c = et_case_find(rows[i].ioctl, rows[i].condition);

		ck_assert_msg(rows[i].err != 0, "uapi.md:%d: unknown errno", rows[i].line);
		ck_assert_msg(c != NULL, "uapi.md:%d: %s \"%s\" has no case in this test",
			      rows[i].line, rows[i].ioctl, rows[i].condition);
		ck_assert_msg(c->err == rows[i].err, "uapi.md:%d: %s \"%s\": the document says "
			      "errno %d, the case %d", rows[i].line, rows[i].ioctl,
			      rows[i].condition, rows[i].err, c->err);
		for (int j = 0; j < i; j++)
			ck_assert_msg(strcmp(rows[j].ioctl, rows[i].ioctl) ||
				      strcmp(rows[j].condition, rows[i].condition),
				      "uapi.md:%d repeats line %d", rows[i].line, rows[j].line);
	}
	free(rows);
}
END_TEST

START_TEST(test_every_case_is_documented)
{
	int n;
	struct et_row *rows = et_doc_rows(&n);

	for (int i = 0; i < ET_NCASES; i++) {
		bool found = false;

		for (int j = 0; j < n && !found; j++)
			found = strcmp(rows[j].ioctl, et_cases[i].ioctl) == 0 &&
				strcmp(rows[j].condition, et_cases[i].condition) == 0;
		ck_assert_msg(found, "%s \"%s\" is not in the table of %s", et_cases[i].ioctl,
			      et_cases[i].condition, ET_DOC);
	}
	free(rows);
}
END_TEST

/* Case _i on a fresh fd: exactly its errno. */
START_TEST(test_case_gives_its_errno)
{
	const struct et_case *c = &et_cases[_i];
	struct et t;
	int err;

	et_setup(&t);
	err = c->provoke(&t);
	ck_assert_msg(err == c->err, "%s \"%s\": errno %d (%s), documented %d (%s)", c->ioctl,
		      c->condition, err, strerror(err), c->err, strerror(c->err));
	et_teardown(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kmd_uapi_errno");
	TCase *doc = tcase_create("document");
	TCase *cases = tcase_create("cases");

	tcase_add_test(doc, test_every_documented_row_has_a_case);
	tcase_add_test(doc, test_every_case_is_documented);
	tcase_add_loop_test(cases, test_case_gives_its_errno, 0, ET_NCASES);
	tcase_set_timeout(cases, 60);
	suite_add_tcase(s, doc);
	suite_add_tcase(s, cases);
	return kt_run_suite(s);
}
