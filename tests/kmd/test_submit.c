/* SPDX-License-Identifier: MIT */
/*
 * test_submit.c - queues, SUBMIT validation, the copy engine (COPY, FILL,
 * TIMESTAMP), WAIT/SIGNAL packets, CTX_QUERY, CODE_LOAD/UNLOAD and real
 * KERNEL_DISPATCHes of the hand-written code object kernels.kern.c.
 */
#define _GNU_SOURCE  /* F_GET_SEALS */
#include <dirent.h>
#include <elf.h>

#include "kmd_test.h"
#include "musa_codeobj.h"

struct vadd_args {
	uint64_t a, b, c;
	uint32_t n, pad;
};

/* queues */

START_TEST(test_queue_create_rejects_flags_pad_priority)
{
	int fd = kt_open();
	struct drm_musa_queue_create q = { .flags = 1 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q), EINVAL);
	q.flags = 0;
	q.pad = 1;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q), EINVAL);
	q.pad = 0;
	q.priority = 3;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q), EINVAL);
	q.priority = 2;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q), 0);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_queue_destroy_rejects_unknown_handle_and_pad)
{
	int fd = kt_open();
	struct drm_musa_queue_destroy d = { .handle = 3 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_DESTROY, &d), ENOENT);
	d.handle = kt_queue(fd);
	d.pad = 1;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_DESTROY, &d), EINVAL);
	d.pad = 0;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_DESTROY, &d), 0);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_DESTROY, &d), ENOENT);
	musa_kmd_close(fd);
}
END_TEST

/* SUBMIT validation */

START_TEST(test_submit_rejects_bad_header_fields)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd);
	uint64_t va = kt_bo_va(fd, 4096, NULL);
	struct drm_musa_packet p = kt_fill(va, 16, 0, 1);
	struct drm_musa_submit s = {
		.queue = q, .packets = (uintptr_t)&p, .packet_count = 1, .packet_size = sizeof(p),
	};

	s.flags = 1;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_SUBMIT, &s), EINVAL);
	s.flags = 0;
	s.pad = 1;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_SUBMIT, &s), EINVAL);
	s.pad = 0;
	s.packet_size = sizeof(p) - 8;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_SUBMIT, &s), EINVAL);
	s.packet_size = sizeof(p);
	s.packet_count = 0;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_SUBMIT, &s), EINVAL);
	s.packet_count = DRM_MUSA_MAX_PACKETS + 1;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_SUBMIT, &s), EINVAL);
	s.packet_count = 1;
	s.queue = q + 5;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_SUBMIT, &s), ENOENT);
	s.queue = q;
	s.signal_syncobj = 42;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_SUBMIT, &s), ENOENT);
	s.signal_syncobj = 0;
	s.packets = 8;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_SUBMIT, &s), EFAULT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_submit_rejects_bad_packet_type_flags_and_tail)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd);
	uint64_t va = kt_bo_va(fd, 4096, NULL);
	struct drm_musa_packet p = kt_fill(va, 16, 0, 1);

	p.type = DRM_MUSA_PKT_COUNT;
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	p.type = DRM_MUSA_PKT_FILL;
	p.flags = 1;
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	p.flags = 0;
	p.raw[6] = 1;  /* beyond the fill body */
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	p.raw[6] = 0;
	p.fill.elem_size = 3;
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_submit_copy_out_of_bo_range_is_efault_and_runs_nothing)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), h;
	uint64_t va = kt_bo_va(fd, 4096, &h);
	uint8_t *cpu = kt_cpu_map(fd, h, 4096);
	struct drm_musa_packet p[2] = { kt_fill(va, 16, 0xab, 1), kt_copy(va, va + 2048, 4096) };

	memset(cpu, 0, 4096);
	ck_assert_int_eq(kt_submit(fd, q, p, 2, 0, 0), EFAULT);
	/* An address outside every BO. */
	p[1] = kt_copy(va, (uintptr_t)cpu, 16);
	ck_assert_int_eq(kt_submit(fd, q, p, 2, 0, 0), EFAULT);
	p[1] = kt_fill(va + 4090, 8, 0, 1);
	ck_assert_int_eq(kt_submit(fd, q, p, 2, 0, 0), EFAULT);
	/* The valid first packet never ran: validation is all-or-nothing. */
	kt_run(fd, q, &(struct drm_musa_packet){ .type = DRM_MUSA_PKT_NOP }, 1);
	ck_assert_uint_eq(cpu[0], 0);
	munmap(cpu, 4096);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_submit_after_unmap_is_efault)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), h;
	uint64_t va = kt_bo_va(fd, 4096, &h);
	struct drm_musa_vm_unmap u = { .handle = h, .va = va };
	struct drm_musa_packet p = kt_fill(va, 16, 1, 1);

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_VM_UNMAP, &u), 0);
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EFAULT);
	musa_kmd_close(fd);
}
END_TEST

/* copy engine */

START_TEST(test_fill_and_copy_packets)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), ha, hb;
	uint64_t a = kt_bo_va(fd, 65536, &ha), b = kt_bo_va(fd, 65536, &hb);
	uint32_t *ca = kt_cpu_map(fd, ha, 65536), *cb = kt_cpu_map(fd, hb, 65536);
	uint16_t *cb16 = (uint16_t *)cb;
	struct drm_musa_packet p[4] = {
		kt_fill(a, 16384, 0xdeadbeef, 4),
		kt_copy(b, a, 32768),
		kt_fill(b + 32768, 16384, 0x1234, 2),
		kt_fill(b + 65536 - 16, 16, 0x7f, 1),
	};

	kt_run(fd, q, p, 4);
	for (int i = 0; i < 16384; i++)
		ck_assert_uint_eq(ca[i], 0xdeadbeefu);
	for (int i = 0; i < 8192; i++)
		ck_assert_uint_eq(cb[i], 0xdeadbeefu);
	for (int i = 16384; i < 32768 - 8; i++)
		ck_assert_uint_eq(cb16[i], 0x1234);
	ck_assert_uint_eq(((uint8_t *)cb)[65535], 0x7f);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_copy_2d_uses_pitches)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), hs, hd;
	uint64_t s = kt_bo_va(fd, 4096, &hs), d = kt_bo_va(fd, 4096, &hd);
	uint8_t *cs = kt_cpu_map(fd, hs, 4096), *cd = kt_cpu_map(fd, hd, 4096);
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_COPY };

	for (int i = 0; i < 4096; i++)
		cs[i] = (uint8_t)i;
	memset(cd, 0, 4096);
	p.copy.src = s;
	p.copy.dst = d;
	p.copy.width = 10;
	p.copy.height = 4;
	p.copy.src_pitch = 100;
	p.copy.dst_pitch = 16;
	kt_run(fd, q, &p, 1);
	for (int r = 0; r < 4; r++) {
		for (int c = 0; c < 16; c++)
			ck_assert_uint_eq(cd[r * 16 + c], c < 10 ? (uint8_t)(r * 100 + c) : 0);
	}
	p.copy.dst_pitch = 5;  /* rows would overlap */
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

/* Copies and fills past the split size run in parts on the CUs: every
 * byte lands, rows keep their pitches, partial elements never appear, and
 * overlapping sides still copy as memmove does (in one part). */
#define SPLIT_BYTES (6u << 20)

START_TEST(test_split_copies_and_fills_move_every_byte)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), hs, hd;
	uint64_t s = kt_bo_va(fd, SPLIT_BYTES, &hs), d = kt_bo_va(fd, SPLIT_BYTES, &hd);
	uint8_t *cs = kt_cpu_map(fd, hs, SPLIT_BYTES), *cd = kt_cpu_map(fd, hd, SPLIT_BYTES);
	const uint64_t rows = 3001, width = 1000, spitch = 1024, dpitch = 2000;
	struct drm_musa_packet p;
	uint64_t bad = 0;

	for (uint32_t i = 0; i < SPLIT_BYTES; i++)
		cs[i] = (uint8_t)(i * 31 + (i >> 12));
	/* 1-D, an odd length */
	memset(cd, 0, SPLIT_BYTES);
	p = kt_copy(d + 1, s + 3, SPLIT_BYTES - 7);
	kt_run(fd, q, &p, 1);
	ck_assert_uint_eq(cd[0], 0);
	ck_assert_int_eq(memcmp(cd + 1, cs + 3, SPLIT_BYTES - 7), 0);
	ck_assert_uint_eq(cd[SPLIT_BYTES - 5], 0);
	/* 2-D, split by rows */
	memset(cd, 0, SPLIT_BYTES);
	p = (struct drm_musa_packet){ .type = DRM_MUSA_PKT_COPY };
	p.copy.src = s;
	p.copy.dst = d;
	p.copy.width = width;
	p.copy.height = rows;
	p.copy.src_pitch = spitch;
	p.copy.dst_pitch = dpitch;
	kt_run(fd, q, &p, 1);
	for (uint64_t r = 0; r < rows; r++)
		bad += memcmp(cd + r * dpitch, cs + r * spitch, width) != 0 || cd[r * dpitch + width];
	ck_assert_uint_eq(bad, 0);
	/* fills of each element size, odd counts */
	p = kt_fill(d, SPLIT_BYTES / 4 - 3, 0x89abcdef, 4);
	kt_run(fd, q, &p, 1);
	for (uint32_t i = 0; i < SPLIT_BYTES / 4 - 3; i++)
		bad += ((uint32_t *)cd)[i] != 0x89abcdefu;
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_ne(((uint32_t *)cd)[SPLIT_BYTES / 4 - 3], 0x89abcdefu);
	p = kt_fill(d + 2, SPLIT_BYTES / 2 - 5, 0x4321, 2);
	kt_run(fd, q, &p, 1);
	for (uint32_t i = 1; i < SPLIT_BYTES / 2 - 4; i++)
		bad += ((uint16_t *)cd)[i] != 0x4321;
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(((uint16_t *)cd)[0], 0xcdef);
	p = kt_fill(d + 1, SPLIT_BYTES - 2, 0x1a7, 1);
	kt_run(fd, q, &p, 1);
	ck_assert_uint_eq(cd[0], 0xef);
	for (uint32_t i = 1; i < SPLIT_BYTES - 1; i++)
		bad += cd[i] != 0xa7;
	ck_assert_uint_eq(bad, 0);
	/* overlapping sides in one BO: as memmove */
	memcpy(cd, cs, SPLIT_BYTES);
	p = kt_copy(d + 4096, d, SPLIT_BYTES - 4096);
	kt_run(fd, q, &p, 1);
	ck_assert_int_eq(memcmp(cd + 4096, cs, SPLIT_BYTES - 4096), 0);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_copy_between_userptr_and_device)
{
	int fd = kt_open();
	size_t psz = (size_t)sysconf(_SC_PAGESIZE);
	uint32_t q = kt_queue(fd);
	uint64_t dev = kt_bo_va(fd, psz, NULL);
	uint8_t *host = mmap(NULL, psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)host, .size = psz };
	struct drm_musa_packet p[2];

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), 0);
	kt_map(fd, u.handle);
	memset(host, 0x5a, psz);
	p[0] = kt_copy(dev, (uintptr_t)host, psz);
	p[1] = kt_copy((uintptr_t)host + 1, dev, psz - 1);
	memset(host, 0x5a, psz);
	kt_run(fd, q, p, 2);
	ck_assert_uint_eq(((uint8_t *)(uintptr_t)dev)[psz - 1], 0x5a);
	ck_assert_uint_eq(host[psz - 1], 0x5a);
	musa_kmd_close(fd);
	munmap(host, psz);
}
END_TEST

START_TEST(test_timestamp_packet_writes_monotonic_ns)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd);
	uint64_t va = kt_bo_va(fd, 4096, NULL);
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_TIMESTAMP };
	int64_t t0 = kt_now_ns();
	uint64_t ts;

	p.timestamp.dst = va + 8;
	kt_run(fd, q, &p, 1);
	ts = *(volatile uint64_t *)(uintptr_t)(va + 8);
	ck_assert_uint_ge(ts, (uint64_t)t0);
	ck_assert_uint_le(ts, (uint64_t)kt_now_ns());
	p.timestamp.dst = va + 4;
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

/* WAIT / SIGNAL packets */

START_TEST(test_wait_packet_blocks_until_signalled)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), h, gate = kt_syncobj(fd, 0), done = kt_syncobj(fd, 0);
	uint64_t va = kt_bo_va(fd, 4096, &h);
	struct drm_musa_packet p[2] = { { .type = DRM_MUSA_PKT_WAIT }, kt_fill(va, 4, 9, 1) };
	struct drm_syncobj_array a = { .handles = (uintptr_t)&gate, .count_handles = 1 };

	p[0].sync.syncobj = gate;
	ck_assert_int_eq(kt_submit(fd, q, p, 2, done, 0), 0);
	ck_assert_int_eq(kt_wait(fd, done, 0, 20000000), ETIME);
	ck_assert_uint_eq(*(volatile uint8_t *)(uintptr_t)va, 0);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a), 0);
	ck_assert_int_eq(kt_wait(fd, done, 0, 10000000000ll), 0);
	ck_assert_uint_eq(*(volatile uint8_t *)(uintptr_t)va, 9);
	musa_kmd_close(fd);
}
END_TEST

/* More queues blocked on WAIT packets than the device has CP threads: the
 * blocked ones hold none, so the queue that signals still runs. */
START_TEST(test_waiting_queues_do_not_block_other_queues)
{
	enum { NQ = 32 };
	int fd = kt_open();
	uint32_t gate = kt_syncobj(fd, 0), tl = kt_syncobj(fd, 0), q[NQ], signaller;
	struct drm_musa_packet w = { .type = DRM_MUSA_PKT_WAIT };
	struct drm_musa_packet sig = { .type = DRM_MUSA_PKT_SIGNAL };

	w.sync.syncobj = gate;
	w.sync.point = 1;
	for (int i = 0; i < NQ; i++) {
		q[i] = kt_queue(fd);
		ck_assert_int_eq(kt_submit(fd, q[i], &w, 1, tl, (uint64_t)i + 1), 0);
	}
	signaller = kt_queue(fd);
	sig.sync.syncobj = gate;
	sig.sync.point = 1;
	ck_assert_int_eq(kt_submit(fd, signaller, &sig, 1, 0, 0), 0);
	ck_assert_int_eq(kt_wait(fd, gate, 1, 10000000000ll), 0);
	ck_assert_int_eq(kt_wait(fd, tl, NQ, 10000000000ll), 0);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_signal_packet_and_timeline_submit_points)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), tl = kt_syncobj(fd, 0), other = kt_syncobj(fd, 0);
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_SIGNAL };

	p.sync.syncobj = other;
	p.sync.point = 7;
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, tl, 1), 0);
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, tl, 2), 0);
	ck_assert_int_eq(kt_wait(fd, tl, 2, 10000000000ll), 0);
	ck_assert_int_eq(kt_wait(fd, other, 7, 0), 0);
	p.sync.pad = 1;
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	p.sync.pad = 0;
	p.sync.syncobj = 99;
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), ENOENT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_close_with_queued_work_drains)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), gate = kt_syncobj(fd, 0);
	uint64_t va = kt_bo_va(fd, 1 << 20, NULL);
	struct drm_musa_packet p[2] = { { .type = DRM_MUSA_PKT_WAIT }, kt_fill(va, 1 << 20, 1, 1) };

	p[0].sync.syncobj = gate;  /* never signalled: close must not hang */
	ck_assert_int_eq(kt_submit(fd, q, p, 2, 0, 0), 0);
	ck_assert_int_eq(musa_kmd_close(fd), 0);
}
END_TEST

/* code objects */

START_TEST(test_code_load_two_call)
{
	int fd = kt_open();
	size_t size;
	void *img = kt_read_file(KT_KERNELS, &size);
	uint32_t bo = kt_code_bo(fd, img, size), count = 0, module = 5, kernels[KT_NKERNELS];

	ck_assert_int_eq(kt_code_load(fd, bo, size, NULL, &count, &module), 0);
	ck_assert_uint_eq(count, KT_NKERNELS);
	ck_assert_uint_eq(module, 0);
	ck_assert_int_eq(kt_code_load(fd, bo, size, kernels, &count, &module), 0);
	ck_assert_uint_ne(module, 0);
	for (int i = 0; i < KT_NKERNELS; i++)
		ck_assert_uint_ne(kernels[i], 0);
	free(img);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_code_load_rejects_bad_args)
{
	int fd = kt_open();
	size_t size;
	void *img = kt_read_file(KT_KERNELS, &size);
	uint32_t bo = kt_code_bo(fd, img, size), count = KT_NKERNELS, kernels[KT_NKERNELS];
	struct drm_musa_code_load l = { .bo_handle = bo, .size = size, .flags = 1,
					.kernels = (uintptr_t)kernels, .kernel_count = count };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CODE_LOAD, &l), EINVAL);
	l.flags = 0;
	l.size = 1 << 30;  /* larger than the BO */
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CODE_LOAD, &l), EINVAL);
	l.size = size;
	l.bo_handle = bo + 50;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CODE_LOAD, &l), ENOENT);
	l.bo_handle = bo;
	l.kernels = 8;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CODE_LOAD, &l), EFAULT);
	free(img);
	musa_kmd_close(fd);
}
END_TEST

static int load_modified_from(const char *path, void (*mod)(uint8_t *img, size_t *size))
{
	int fd = kt_open();
	size_t size;
	uint8_t *img = kt_read_file(path, &size);
	/* room for every kernel: an image that passes is loaded, not sized */
	uint32_t count = 64, kernels[64], bo;
	int err;

	mod(img, &size);
	bo = kt_code_bo(fd, img, size);
	err = kt_code_load(fd, bo, size, kernels, &count, NULL);
	free(img);
	musa_kmd_close(fd);
	return err;
}

static int load_modified(void (*mod)(uint8_t *img, size_t *size))
{
	return load_modified_from(KT_KERNELS, mod);
}

static uint8_t *find_meta_record(uint8_t *img, size_t size, const char *name)
{
	const uint32_t magic = MUSA_META_MAGIC;

	for (size_t off = 0; off + sizeof(struct musa_meta_kernel) <= size; off += 8) {
		struct musa_meta_kernel k;

		if (memcmp(img + off, &magic, 4))
			continue;
		memcpy(&k, img + off, sizeof(k));
		if (k.name_len == strlen(name) &&
		    off + sizeof(k) + k.nparams * sizeof(struct musa_meta_param) + k.name_len < size &&
		    !memcmp(img + off + sizeof(k) + k.nparams * sizeof(struct musa_meta_param), name,
			    k.name_len + 1))
			return img + off;
	}
	ck_abort_msg("record %s not found", name);
	return NULL;
}

static void truncate_half(uint8_t *img, size_t *size)
{
	*size /= 2;
}

static void truncate_section_table(uint8_t *img, size_t *size)
{
	*size -= 64;
}

static void not_elf(uint8_t *img, size_t *size)
{
	img[1] = 'X';
}

static void wrong_machine(uint8_t *img, size_t *size)
{
	img[18] = 0x28;  /* e_machine = EM_ARM */
	img[19] = 0;
}

static void bad_meta_version(uint8_t *img, size_t *size)
{
	struct musa_meta_kernel *k = (void *)find_meta_record(img, *size, "index3d");

	k->version = MUSA_META_VERSION + 1;
}

static void bad_param_offset(uint8_t *img, size_t *size)
{
	struct musa_meta_kernel *k = (void *)find_meta_record(img, *size, "vadd");
	struct musa_meta_param *p = (void *)(k + 1);

	p[3].offset = k->kernarg_size;  /* past the kernarg block */
}

static void bad_param_align(uint8_t *img, size_t *size)
{
	struct musa_meta_kernel *k = (void *)find_meta_record(img, *size, "vadd");
	struct musa_meta_param *p = (void *)(k + 1);

	p[0].align = 3;
}

static void bad_record_size(uint8_t *img, size_t *size)
{
	struct musa_meta_kernel *k = (void *)find_meta_record(img, *size, "fail");

	k->record_size += 4;
}

static void bad_name_len(uint8_t *img, size_t *size)
{
	struct musa_meta_kernel *k = (void *)find_meta_record(img, *size, "dynshared");

	k->name_len -= 1;  /* the NUL is no longer at name_len */
}

static void missing_entry(uint8_t *img, size_t *size)
{
	struct musa_meta_kernel *k = (void *)find_meta_record(img, *size, "vadd");
	char *entry = (char *)(k + 1) + k->nparams * sizeof(struct musa_meta_param) +
		      k->name_len + 1;

	entry[k->entry_len - 1] = 'X';  /* no such symbol */
}

static void mixed_arch(uint8_t *img, size_t *size)
{
	struct musa_meta_kernel *k = (void *)find_meta_record(img, *size, "fail");

	k->arch = 22;
}

/* what the dynamic loader follows (loadcheck.c) */

static Elf64_Phdr *find_phdr(uint8_t *img, uint32_t type, uint32_t flags)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + eh->e_phoff);

	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == type && (ph[i].p_flags & flags) == flags)
			return &ph[i];
	ck_abort_msg("no program header of type %u", type);
	return NULL;
}

static Elf64_Dyn *find_dyn(uint8_t *img, int64_t tag)
{
	Elf64_Phdr *p = find_phdr(img, PT_DYNAMIC, 0);
	Elf64_Dyn *d = (Elf64_Dyn *)(img + p->p_offset);

	for (; d->d_tag != DT_NULL; d++)
		if (d->d_tag == tag)
			return d;
	ck_abort_msg("no dynamic entry %lld", (long long)tag);
	return NULL;
}

/* The file bytes the loader sees at `va`. */
static uint8_t *at_vaddr(uint8_t *img, uint64_t va)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + eh->e_phoff);

	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && va >= ph[i].p_vaddr &&
		    va < ph[i].p_vaddr + ph[i].p_filesz)
			return img + ph[i].p_offset + (va - ph[i].p_vaddr);
	ck_abort_msg("address %#llx not in the file", (unsigned long long)va);
	return NULL;
}

static void dynamic_past_the_file(uint8_t *img, size_t *size)
{
	Elf64_Phdr *p = find_phdr(img, PT_DYNAMIC, 0);

	p->p_offset = *size + 0x10000;
	p->p_vaddr = p->p_paddr = 0x40000000;
}

static void strtab_outside_the_segments(uint8_t *img, size_t *size)
{
	find_dyn(img, DT_STRTAB)->d_un.d_ptr = 0x7fff0000;
}

/* The first relocation writes into the code segment (faults.so has
 * relocations; kernels.so has none). */
static void relocation_into_code(uint8_t *img, size_t *size)
{
	Elf64_Rela *r = (Elf64_Rela *)at_vaddr(img, find_dyn(img, DT_RELA)->d_un.d_ptr);

	r->r_offset = find_phdr(img, PT_LOAD, PF_X)->p_vaddr;
}

/* The first segment (headers, notes) mapped without read access. */
static void unreadable_first_segment(uint8_t *img, size_t *size)
{
	find_phdr(img, PT_LOAD, 0)->p_flags = 0;
}

START_TEST(test_code_load_refuses_unreadable_segment)
{
	ck_assert_int_eq(load_modified(unreadable_first_segment), ENOEXEC);
}
END_TEST

/* Version needs without the version of each symbol (DT_VERSYM becomes a
 * tag the loader ignores, DT_NULL ends the table early otherwise). */
static void verneed_without_versym(uint8_t *img, size_t *size)
{
	find_dyn(img, DT_VERSYM)->d_tag = DT_SYMBOLIC;
}

START_TEST(test_code_load_refuses_version_needs_without_versym)
{
	ck_assert_int_eq(load_modified_from(TEST_BUILD_DIR "/tests/kmd/faults.so",
					    verneed_without_versym), ENOEXEC);
}
END_TEST

START_TEST(test_code_load_refuses_dynamic_outside_the_file)
{
	ck_assert_int_eq(load_modified(dynamic_past_the_file), ENOEXEC);
}
END_TEST

START_TEST(test_code_load_refuses_table_outside_the_segments)
{
	ck_assert_int_eq(load_modified(strtab_outside_the_segments), ENOEXEC);
}
END_TEST

START_TEST(test_code_load_refuses_relocation_into_code)
{
	ck_assert_int_eq(load_modified_from(TEST_BUILD_DIR "/tests/kmd/faults.so",
					    relocation_into_code), ENOEXEC);
}
END_TEST

/* A variable's pointer cell moved off pointer alignment: the cell the
 * driver reads the variable's address from must be a pointer slot. */
static void var_cell_misaligned(uint8_t *img, size_t *size)
{
	const Elf64_Ehdr *eh = (const void *)img;
	const Elf64_Shdr *sh = (const void *)(img + eh->e_shoff);
	int moved = 0;

	for (unsigned int i = 0; i < eh->e_shnum; i++) {
		Elf64_Sym *sym = (void *)(img + sh[i].sh_offset);
		const char *str = (const char *)img + sh[sh[i].sh_link].sh_offset;

		if (sh[i].sh_type != SHT_DYNSYM)
			continue;
		for (size_t j = 0; j < sh[i].sh_size / sizeof(*sym); j++) {
			if (!strncmp(str + sym[j].st_name, "__musa_var_", 11)) {
				sym[j].st_value += 3;
				moved = 1;
			}
		}
	}
	ck_assert(moved);
}

START_TEST(test_code_load_refuses_misaligned_variable_cell)
{
	ck_assert_int_eq(load_modified_from(TEST_BUILD_DIR "/tests/umd/globals.mubin",
					    var_cell_misaligned), ENOEXEC);
}
END_TEST

/* The fd of this process's loaded code object (memfd "musa-code"). */
static int find_code_memfd(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int found = -1;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		char path[300], link[256];
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strncmp(link, "/memfd:musa-code", 16) == 0)
			found = atoi(e->d_name);
	}
	closedir(d);
	ck_assert_int_ge(found, 0);
	return found;
}

START_TEST(test_code_memfd_is_sealed)
{
	int fd = kt_open();
	uint32_t kernels[KT_NKERNELS];
	int seals;

	kt_load_kernels(fd, kernels);
	seals = fcntl(find_code_memfd(), F_GET_SEALS);
	ck_assert_int_eq(seals & (F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL),
			 F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
	musa_kmd_close(fd);
}
END_TEST

/* Reopened through /proc (as another process of the user could), the code
 * cannot be written: the open is refused, or (with CAP_DAC_OVERRIDE) the
 * write. */
START_TEST(test_code_memfd_cannot_be_written_through_proc)
{
	int fd = kt_open();
	uint32_t kernels[KT_NKERNELS];
	char path[64];
	int w;

	kt_load_kernels(fd, kernels);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", find_code_memfd());
	w = open(path, O_WRONLY);
	if (w < 0) {
		ck_assert_int_eq(errno, EACCES);
	} else {
		ck_assert_int_eq(write(w, "x", 1), -1);
		ck_assert_int_eq(errno, EPERM);
		close(w);
	}
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_code_memfd_is_owner_read_only)
{
	int fd = kt_open();
	uint32_t kernels[KT_NKERNELS];
	struct stat st;

	kt_load_kernels(fd, kernels);
	ck_assert_int_eq(fstat(find_code_memfd(), &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0400);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_code_load_rejects_malformed_images_with_enoexec)
{
	ck_assert_int_eq(load_modified(truncate_half), ENOEXEC);
	ck_assert_int_eq(load_modified(truncate_section_table), ENOEXEC);
	ck_assert_int_eq(load_modified(not_elf), ENOEXEC);
	ck_assert_int_eq(load_modified(wrong_machine), ENOEXEC);
}
END_TEST

START_TEST(test_code_load_rejects_corrupted_metadata_with_enoexec)
{
	ck_assert_int_eq(load_modified(bad_meta_version), ENOEXEC);
	ck_assert_int_eq(load_modified(bad_param_offset), ENOEXEC);
	ck_assert_int_eq(load_modified(bad_param_align), ENOEXEC);
	ck_assert_int_eq(load_modified(bad_record_size), ENOEXEC);
	ck_assert_int_eq(load_modified(bad_name_len), ENOEXEC);
	ck_assert_int_eq(load_modified(missing_entry), ENOEXEC);
	ck_assert_int_eq(load_modified(mixed_arch), ENOEXEC);
}
END_TEST

START_TEST(test_code_unload_rules)
{
	int fd = kt_open();
	uint32_t kernels[KT_NKERNELS], q = kt_queue(fd);
	uint32_t module = kt_load_kernels(fd, kernels);
	uint64_t va = kt_bo_va(fd, 4096, NULL);
	struct drm_musa_code_unload u = { .module = module + 10 };
	struct drm_musa_packet p = kt_dispatch(kernels[KT_INDEX3D], va, 8, 1, 1, 1, 1, 1, 1);

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CODE_UNLOAD, &u), ENOENT);
	u.module = module;
	u.pad = 1;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CODE_UNLOAD, &u), EINVAL);
	u.pad = 0;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CODE_UNLOAD, &u), 0);
	/* Its kernel handles died with it. */
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), ENOENT);
	musa_kmd_close(fd);
}
END_TEST

/* KERNEL_DISPATCH */

START_TEST(test_dispatch_rejects_unknown_kernel_with_enoent)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd);
	uint64_t va = kt_bo_va(fd, 4096, NULL);
	struct drm_musa_packet p = kt_dispatch(77, va, 8, 1, 1, 1, 1, 1, 1);

	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), ENOENT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_dispatch_rejects_bad_geometry_and_kernarg)
{
	int fd = kt_open();
	uint32_t kernels[KT_NKERNELS], q = kt_queue(fd);
	uint64_t va = kt_bo_va(fd, 4096, NULL);
	uint32_t k;
	struct drm_musa_packet p;

	kt_load_kernels(fd, kernels);
	k = kernels[KT_VADD];
	p = kt_dispatch(k, va, 32, 0, 1, 1, 1, 1, 1);
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	p = kt_dispatch(k, va, 32, 1, 65536, 1, 1, 1, 1);
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	p = kt_dispatch(k, va, 32, 1, 1, 1, 1025, 1, 1);
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	p = kt_dispatch(k, va, 32, 1, 1, 1, 32, 32, 2);  /* 2048 threads */
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	p = kt_dispatch(k, va, 32, 1, 1, 1, 1, 1, 1);
	p.dispatch.shared_bytes = 48 * 1024 + 1;
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	p = kt_dispatch(k, va, 16, 1, 1, 1, 1, 1, 1);  /* smaller than the kernel's block */
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	p = kt_dispatch(k, va + 4, 32, 1, 1, 1, 1, 1, 1);  /* misaligned */
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	p = kt_dispatch(k, va + 4096 - 16, 32, 1, 1, 1, 1, 1, 1);  /* runs off the BO */
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EFAULT);
	p = kt_dispatch(k, 4096, 32, 1, 1, 1, 1, 1, 1);
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EFAULT);
	p = kt_dispatch(k, va, 32, 1, 1, 1, 1, 1, 1);
	p.dispatch.pad = 1;
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, 0, 0), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_dispatch_vadd_computes_sum)
{
	enum { N = 10000 };
	int fd = kt_open();
	uint32_t kernels[KT_NKERNELS], q = kt_queue(fd), hk;
	uint64_t a = kt_bo_va(fd, N * 4, NULL), b = kt_bo_va(fd, N * 4, NULL);
	uint64_t c = kt_bo_va(fd, N * 4, NULL), kva = kt_bo_va(fd, 4096, &hk);
	float *fa = (float *)(uintptr_t)a, *fb = (float *)(uintptr_t)b, *fc = (float *)(uintptr_t)c;
	struct vadd_args *args = kt_cpu_map(fd, hk, 4096);
	struct drm_musa_packet p;

	kt_load_kernels(fd, kernels);
	for (int i = 0; i < N; i++) {
		fa[i] = (float)i;
		fb[i] = (float)(2 * i);
		fc[i] = -1.0f;
	}
	args->a = a;
	args->b = b;
	args->c = c;
	args->n = N;
	p = kt_dispatch(kernels[KT_VADD], kva, sizeof(*args), (N + 255) / 256, 1, 1, 256, 1, 1);
	kt_run(fd, q, &p, 1);
	for (int i = 0; i < N; i++)
		ck_assert_float_eq(fc[i], (float)(3 * i));
	munmap(args, 4096);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_dispatch_multidimensional_grid_covers_every_thread)
{
	const uint32_t g[3] = { 3, 2, 4 }, bl[3] = { 4, 2, 3 };
	const uint32_t total = 3 * 2 * 4 * 4 * 2 * 3;
	int fd = kt_open();
	uint32_t kernels[KT_NKERNELS], q = kt_queue(fd);
	uint64_t out = kt_bo_va(fd, total * 4, NULL), kva = kt_bo_va(fd, 4096, NULL);
	uint32_t *o = (uint32_t *)(uintptr_t)out;
	struct drm_musa_packet p;

	kt_load_kernels(fd, kernels);
	*(uint64_t *)(uintptr_t)kva = out;
	memset(o, 0xff, total * 4);
	p = kt_dispatch(kernels[KT_INDEX3D], kva, 8, g[0], g[1], g[2], bl[0], bl[1], bl[2]);
	kt_run(fd, q, &p, 1);
	for (uint32_t bz = 0; bz < g[2]; bz++)
	for (uint32_t by = 0; by < g[1]; by++)
	for (uint32_t bx = 0; bx < g[0]; bx++)
	for (uint32_t z = 0; z < bl[2]; z++)
	for (uint32_t y = 0; y < bl[1]; y++)
	for (uint32_t x = 0; x < bl[0]; x++) {
		uint32_t blk = (bz * g[1] + by) * g[0] + bx;
		uint32_t t = (z * bl[1] + y) * bl[0] + x;

		ck_assert_uint_eq(o[blk * 24 + t],
				  (bx << 24) | (by << 16) | (bz << 12) | (x << 8) | (y << 4) | z);
	}
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_dispatch_dynamic_shared_memory)
{
	enum { BLOCKS = 8, THREADS = 64 };
	int fd = kt_open();
	uint32_t kernels[KT_NKERNELS], q = kt_queue(fd);
	uint64_t in = kt_bo_va(fd, BLOCKS * THREADS * 4, NULL);
	uint64_t out = kt_bo_va(fd, BLOCKS * THREADS * 4, NULL), kva = kt_bo_va(fd, 4096, NULL);
	uint32_t *i32 = (uint32_t *)(uintptr_t)in, *o32 = (uint32_t *)(uintptr_t)out;
	struct drm_musa_packet p;

	kt_load_kernels(fd, kernels);
	for (int i = 0; i < BLOCKS * THREADS; i++)
		i32[i] = (uint32_t)i;
	((uint64_t *)(uintptr_t)kva)[0] = in;
	((uint64_t *)(uintptr_t)kva)[1] = out;
	p = kt_dispatch(kernels[KT_DYNSHARED], kva, 16, BLOCKS, 1, 1, THREADS, 1, 1);
	p.dispatch.shared_bytes = THREADS * 4;
	kt_run(fd, q, &p, 1);
	for (int b = 0; b < BLOCKS; b++)
		for (int t = 0; t < THREADS; t++)
			ck_assert_uint_eq(o32[b * THREADS + t], (uint32_t)(b * THREADS + THREADS - 1 - t));
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_failed_work_group_marks_context_guilty)
{
	int fd = kt_open();
	uint32_t kernels[KT_NKERNELS], q = kt_queue(fd);
	uint64_t out = kt_bo_va(fd, 4096, NULL), kva = kt_bo_va(fd, 4096, NULL);
	struct drm_musa_ctx_query cq = { 0 };
	struct drm_musa_packet p[2];

	kt_load_kernels(fd, kernels);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CTX_QUERY, &cq), 0);
	ck_assert_uint_eq(cq.status, DRM_MUSA_CTX_STATUS_OK);
	ck_assert_uint_eq(cq.fault_kind, DRM_MUSA_FAULT_NONE);
	*(uint64_t *)(uintptr_t)kva = out;
	p[0] = kt_dispatch(kernels[KT_FAIL], kva, 8, 4, 1, 1, 1, 1, 1);
	kt_run(fd, q, p, 1);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CTX_QUERY, &cq), 0);
	ck_assert_uint_eq(cq.status, DRM_MUSA_CTX_STATUS_GUILTY);
	ck_assert_uint_eq(cq.fault_kind, DRM_MUSA_FAULT_ASSERT);
	/* Later work is skipped, but its completion is still signalled. */
	p[0] = kt_fill(out + 64, 4, 0x33, 1);
	kt_run(fd, q, p, 1);
	ck_assert_uint_eq(*(volatile uint8_t *)(uintptr_t)(out + 64), 0);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_ctx_query_rejects_flags_and_pad)
{
	int fd = kt_open();
	struct drm_musa_ctx_query cq = { .flags = 1 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CTX_QUERY, &cq), EINVAL);
	cq.flags = 0;
	cq.pad = 1;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CTX_QUERY, &cq), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_dispatches_from_two_fds_run_concurrently)
{
	int a = kt_open(), b = kt_open();
	uint32_t ka[KT_NKERNELS], kb[KT_NKERNELS], qa = kt_queue(a), qb = kt_queue(b);
	uint32_t sa = kt_syncobj(a, 0), sb = kt_syncobj(b, 0);
	uint64_t oa = kt_bo_va(a, 1 << 16, NULL), ob = kt_bo_va(b, 1 << 16, NULL);
	uint64_t kva = kt_bo_va(a, 4096, NULL), kvb = kt_bo_va(b, 4096, NULL);
	struct drm_musa_packet pa, pb;

	kt_load_kernels(a, ka);
	kt_load_kernels(b, kb);
	*(uint64_t *)(uintptr_t)kva = oa;
	*(uint64_t *)(uintptr_t)kvb = ob;
	pa = kt_dispatch(ka[KT_INDEX3D], kva, 8, 64, 1, 1, 16, 1, 1);
	pb = kt_dispatch(kb[KT_INDEX3D], kvb, 8, 64, 1, 1, 16, 1, 1);
	ck_assert_int_eq(kt_submit(a, qa, &pa, 1, sa, 0), 0);
	ck_assert_int_eq(kt_submit(b, qb, &pb, 1, sb, 0), 0);
	ck_assert_int_eq(kt_wait(a, sa, 0, 10000000000ll), 0);
	ck_assert_int_eq(kt_wait(b, sb, 0, 10000000000ll), 0);
	ck_assert_uint_eq(((uint32_t *)(uintptr_t)oa)[1023], (63u << 24) | (15u << 8));
	ck_assert_uint_eq(((uint32_t *)(uintptr_t)ob)[1023], (63u << 24) | (15u << 8));
	musa_kmd_close(a);
	musa_kmd_close(b);
}
END_TEST

static Suite *submit_suite(void)
{
	Suite *s = suite_create("kmd_submit");
	TCase *queue = tcase_create("queue");
	TCase *dma = tcase_create("copy_engine");
	TCase *sync = tcase_create("sync_packets");
	TCase *code = tcase_create("code");
	TCase *disp = tcase_create("dispatch");

	tcase_add_test(queue, test_queue_create_rejects_flags_pad_priority);
	tcase_add_test(queue, test_queue_destroy_rejects_unknown_handle_and_pad);
	tcase_add_test(queue, test_submit_rejects_bad_header_fields);
	tcase_add_test(queue, test_submit_rejects_bad_packet_type_flags_and_tail);
	tcase_add_test(queue, test_submit_copy_out_of_bo_range_is_efault_and_runs_nothing);
	tcase_add_test(queue, test_submit_after_unmap_is_efault);
	tcase_add_test(queue, test_close_with_queued_work_drains);
	suite_add_tcase(s, queue);

	tcase_add_test(dma, test_fill_and_copy_packets);
	tcase_add_test(dma, test_copy_2d_uses_pitches);
	tcase_add_test(dma, test_split_copies_and_fills_move_every_byte);
	tcase_add_test(dma, test_copy_between_userptr_and_device);
	tcase_add_test(dma, test_timestamp_packet_writes_monotonic_ns);
	suite_add_tcase(s, dma);

	tcase_add_test(sync, test_wait_packet_blocks_until_signalled);
	tcase_add_test(sync, test_signal_packet_and_timeline_submit_points);
	tcase_add_test(sync, test_waiting_queues_do_not_block_other_queues);
	suite_add_tcase(s, sync);

	tcase_add_test(code, test_code_load_two_call);
	tcase_add_test(code, test_code_load_rejects_bad_args);
	tcase_add_test(code, test_code_load_rejects_malformed_images_with_enoexec);
	tcase_add_test(code, test_code_load_rejects_corrupted_metadata_with_enoexec);
	tcase_add_test(code, test_code_load_refuses_dynamic_outside_the_file);
	tcase_add_test(code, test_code_load_refuses_unreadable_segment);
	tcase_add_test(code, test_code_load_refuses_version_needs_without_versym);
	tcase_add_test(code, test_code_load_refuses_table_outside_the_segments);
	tcase_add_test(code, test_code_load_refuses_relocation_into_code);
	tcase_add_test(code, test_code_load_refuses_misaligned_variable_cell);
	tcase_add_test(code, test_code_memfd_is_sealed);
	tcase_add_test(code, test_code_memfd_cannot_be_written_through_proc);
	tcase_add_test(code, test_code_memfd_is_owner_read_only);
	tcase_add_test(code, test_code_unload_rules);
	suite_add_tcase(s, code);

	tcase_add_test(disp, test_dispatch_rejects_unknown_kernel_with_enoent);
	tcase_add_test(disp, test_dispatch_rejects_bad_geometry_and_kernarg);
	tcase_add_test(disp, test_dispatch_vadd_computes_sum);
	tcase_add_test(disp, test_dispatch_multidimensional_grid_covers_every_thread);
	tcase_add_test(disp, test_dispatch_dynamic_shared_memory);
	tcase_add_test(disp, test_failed_work_group_marks_context_guilty);
	tcase_add_test(disp, test_ctx_query_rejects_flags_and_pad);
	tcase_add_test(disp, test_dispatches_from_two_fds_run_concurrently);
	suite_add_tcase(s, disp);
	return s;
}

int main(void)
{
	kt_env();
	return kt_run_suite(submit_suite());
}
