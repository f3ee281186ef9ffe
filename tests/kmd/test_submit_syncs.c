/* SPDX-License-Identifier: MIT */
/*
 * test_submit_syncs.c - SUBMIT's arrays of wait and signal syncobjs
 * (struct drm_musa_sync, binary and timeline), one validation rule per
 * test, and the zero-extension of the pre-1.1 struct drm_musa_submit.
 */
#include "kmd_test.h"

#include <stddef.h>

static struct drm_musa_packet nop(void)
{
	return (struct drm_musa_packet){ .type = DRM_MUSA_PKT_NOP };
}

static int submit_syncs(int fd, uint32_t q, struct drm_musa_packet *p, uint32_t n,
			struct drm_musa_sync *in, uint32_t nin,
			struct drm_musa_sync *out, uint32_t nout)
{
	struct drm_musa_submit s = {
		.queue = q, .packets = (uintptr_t)p, .packet_count = n, .packet_size = sizeof(*p),
		.in_syncs = (uintptr_t)in, .num_in_syncs = nin,
		.out_syncs = (uintptr_t)out, .num_out_syncs = nout,
	};

	return kt_ioctl(fd, DRM_IOCTL_MUSA_SUBMIT, &s);
}

/* A wait with no WAIT_FOR_SUBMIT and a zero timeout: the kernel's poll. */
static int poll_point(int fd, uint32_t h, uint64_t point)
{
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)&h, .points = (uintptr_t)&point, .count_handles = 1,
	};

	return kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

static int signal_binary(int fd, uint32_t h)
{
	struct drm_syncobj_array a = { .handles = (uintptr_t)&h, .count_handles = 1 };

	return kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a);
}

/* validation: exactly one thing wrong each */

START_TEST(test_submit_in_sync_unknown_flag_is_einval)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), so = kt_syncobj(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	struct drm_musa_packet p = nop();
	struct drm_musa_sync in = { .handle = so, .flags = 1u << 1 };

	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, &in, 1, NULL, 0), EINVAL);
	in.flags = 0;
	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, &in, 1, NULL, 0), 0);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_submit_out_sync_any_flag_is_einval)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), so = kt_syncobj(fd, 0);
	struct drm_musa_packet p = nop();
	struct drm_musa_sync out = { .handle = so, .flags = DRM_MUSA_SYNC_WAIT_FOR_SUBMIT };

	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, NULL, 0, &out, 1), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_submit_in_sync_unknown_handle_is_enoent)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd);
	struct drm_musa_packet p = nop();
	struct drm_musa_sync in = { .handle = 77 };

	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, &in, 1, NULL, 0), ENOENT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_submit_out_sync_unknown_handle_is_enoent)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), so = kt_syncobj(fd, 0);
	struct drm_musa_packet p = nop();
	struct drm_musa_sync out[2] = { { .handle = so }, { .handle = so + 9 } };

	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, NULL, 0, out, 2), ENOENT);
	/* Nothing was attached to the good one either. */
	ck_assert_int_eq(poll_point(fd, so, 0), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_submit_in_syncs_bad_pointer_is_efault)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd);
	struct drm_musa_packet p = nop();

	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, (struct drm_musa_sync *)8, 1, NULL, 0), EFAULT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_submit_out_syncs_bad_pointer_is_efault)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd);
	struct drm_musa_packet p = nop();

	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, NULL, 0, (struct drm_musa_sync *)8, 1), EFAULT);
	musa_kmd_close(fd);
}
END_TEST

/* The array starts in mapped memory and runs into an unmapped page. */
START_TEST(test_submit_sync_array_running_off_a_mapping_is_efault)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), so = kt_syncobj(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	long psz = sysconf(_SC_PAGESIZE);
	struct drm_musa_packet p = nop();
	char *two = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct drm_musa_sync *in;

	ck_assert_ptr_ne(two, MAP_FAILED);
	ck_assert_int_eq(munmap(two + psz, psz), 0);
	in = (struct drm_musa_sync *)(two + psz - sizeof(*in));
	in->handle = so;
	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, in, 1, NULL, 0), 0);
	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, in, 2, NULL, 0), EFAULT);
	munmap(two, psz);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_submit_too_many_syncs_is_einval)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd);
	struct drm_musa_packet p = nop();
	static struct drm_musa_sync many[DRM_MUSA_MAX_SYNCS + 1];

	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, many, DRM_MUSA_MAX_SYNCS + 1, NULL, 0), EINVAL);
	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, NULL, 0, many, DRM_MUSA_MAX_SYNCS + 1), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

/* drm_syncobj_find_fence() without WAIT_FOR_SUBMIT: no fence, no enqueue. */
START_TEST(test_submit_wait_on_point_without_fence_is_einval)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), bin = kt_syncobj(fd, 0), tl = kt_syncobj(fd, 0);
	struct drm_musa_packet p = nop();
	struct drm_musa_sync in = { .handle = bin };

	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, &in, 1, NULL, 0), EINVAL);
	in.handle = tl;
	in.point = 3;
	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, &in, 1, NULL, 0), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_submit_nonzero_pad_still_einval_with_syncs)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), so = kt_syncobj(fd, 0);
	struct drm_musa_packet p = nop();
	struct drm_musa_sync out = { .handle = so };
	struct drm_musa_submit s = {
		.queue = q, .packets = (uintptr_t)&p, .packet_count = 1, .packet_size = sizeof(p),
		.out_syncs = (uintptr_t)&out, .num_out_syncs = 1, .pad = 1,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_SUBMIT, &s), EINVAL);
	ck_assert_int_eq(poll_point(fd, so, 0), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

/* behaviour */

START_TEST(test_submit_waits_block_until_signalled_and_signals_follow)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), gate = kt_syncobj(fd, 0), tl = kt_syncobj(fd, 0);
	uint32_t bin = kt_syncobj(fd, 0), h;
	uint64_t va = kt_bo_va(fd, 4096, &h);
	struct drm_musa_packet p = kt_fill(va, 4, 0x5a5a5a5a, 4);
	struct drm_musa_sync in = { .handle = gate, .point = 2,
				    .flags = DRM_MUSA_SYNC_WAIT_FOR_SUBMIT };
	struct drm_musa_sync out[2] = { { .handle = tl, .point = 9 }, { .handle = bin } };
	uint64_t gate_pt = 2;
	struct drm_syncobj_timeline_array sig = {
		.handles = (uintptr_t)&gate, .points = (uintptr_t)&gate_pt, .count_handles = 1,
	};

	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, &in, 1, out, 2), 0);
	/* Signal points are attached at SUBMIT: a plain wait sees them pending. */
	ck_assert_int_eq(poll_point(fd, tl, 9), ETIME);
	ck_assert_int_eq(poll_point(fd, bin, 0), ETIME);
	usleep(20000);
	ck_assert_uint_eq(*(volatile uint32_t *)(uintptr_t)va, 0);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &sig), 0);
	ck_assert_int_eq(kt_wait(fd, tl, 9, 10000000000ll), 0);
	ck_assert_int_eq(kt_wait(fd, bin, 0, 10000000000ll), 0);
	ck_assert_uint_eq(*(volatile uint32_t *)(uintptr_t)va, 0x5a5a5a5a);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_submit_waits_all_in_syncs)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), a = kt_syncobj(fd, 0), b = kt_syncobj(fd, 0);
	uint32_t done = kt_syncobj(fd, 0);
	struct drm_musa_packet p = nop();
	struct drm_musa_sync in[2] = {
		{ .handle = a, .flags = DRM_MUSA_SYNC_WAIT_FOR_SUBMIT },
		{ .handle = b, .flags = DRM_MUSA_SYNC_WAIT_FOR_SUBMIT },
	};
	struct drm_musa_sync out = { .handle = done };

	ck_assert_int_eq(submit_syncs(fd, q, &p, 1, in, 2, &out, 1), 0);
	ck_assert_int_eq(signal_binary(fd, a), 0);
	ck_assert_int_eq(kt_wait(fd, done, 0, 50000000), ETIME);
	ck_assert_int_eq(signal_binary(fd, b), 0);
	ck_assert_int_eq(kt_wait(fd, done, 0, 10000000000ll), 0);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_submit_out_syncs_and_signal_syncobj_together)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), tl = kt_syncobj(fd, 0), other = kt_syncobj(fd, 0);
	struct drm_musa_packet p = nop();
	struct drm_musa_sync out = { .handle = other, .point = 4 };
	struct drm_musa_submit s = {
		.queue = q, .packets = (uintptr_t)&p, .packet_count = 1, .packet_size = sizeof(p),
		.signal_syncobj = tl, .signal_point = 1,
		.out_syncs = (uintptr_t)&out, .num_out_syncs = 1,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_SUBMIT, &s), 0);
	ck_assert_int_eq(kt_wait(fd, tl, 1, 10000000000ll), 0);
	ck_assert_int_eq(kt_wait(fd, other, 4, 10000000000ll), 0);
	musa_kmd_close(fd);
}
END_TEST

/* A pre-1.1 caller: the 40-byte struct, zero-extended by the door. */
START_TEST(test_submit_old_size_struct_is_zero_extended)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), so = kt_syncobj(fd, 0);
	uint64_t va = kt_bo_va(fd, 4096, NULL);
	struct drm_musa_packet p = kt_fill(va, 1, 0x1234, 4);
	struct drm_musa_submit s = {
		.queue = q, .packets = (uintptr_t)&p, .packet_count = 1, .packet_size = sizeof(p),
		.signal_syncobj = so,
	};
	unsigned long old_req = _IOC(_IOC_WRITE, DRM_IOCTL_BASE,
				     DRM_COMMAND_BASE + DRM_MUSA_SUBMIT,
				     offsetof(struct drm_musa_submit, in_syncs));

	ck_assert_uint_eq(offsetof(struct drm_musa_submit, in_syncs), 40);
	ck_assert_uint_eq(sizeof(struct drm_musa_submit), 64);
	/* Garbage past the old end must not be read. */
	s.num_in_syncs = 5;
	s.in_syncs = 8;
	ck_assert_int_eq(kt_ioctl(fd, old_req, &s), 0);
	ck_assert_int_eq(kt_wait(fd, so, 0, 10000000000ll), 0);
	ck_assert_uint_eq(*(volatile uint32_t *)(uintptr_t)va, 0x1234);
	musa_kmd_close(fd);
}
END_TEST

static Suite *submit_syncs_suite(void)
{
	Suite *s = suite_create("kmd_submit_syncs");
	TCase *v = tcase_create("validation");
	TCase *b = tcase_create("behaviour");

	tcase_add_test(v, test_submit_in_sync_unknown_flag_is_einval);
	tcase_add_test(v, test_submit_out_sync_any_flag_is_einval);
	tcase_add_test(v, test_submit_in_sync_unknown_handle_is_enoent);
	tcase_add_test(v, test_submit_out_sync_unknown_handle_is_enoent);
	tcase_add_test(v, test_submit_in_syncs_bad_pointer_is_efault);
	tcase_add_test(v, test_submit_out_syncs_bad_pointer_is_efault);
	tcase_add_test(v, test_submit_sync_array_running_off_a_mapping_is_efault);
	tcase_add_test(v, test_submit_too_many_syncs_is_einval);
	tcase_add_test(v, test_submit_wait_on_point_without_fence_is_einval);
	tcase_add_test(v, test_submit_nonzero_pad_still_einval_with_syncs);
	suite_add_tcase(s, v);

	tcase_add_test(b, test_submit_waits_block_until_signalled_and_signals_follow);
	tcase_add_test(b, test_submit_waits_all_in_syncs);
	tcase_add_test(b, test_submit_out_syncs_and_signal_syncobj_together);
	tcase_add_test(b, test_submit_old_size_struct_is_zero_extended);
	suite_add_tcase(s, b);
	return s;
}

int main(void)
{
	kt_env();
	return kt_run_suite(submit_syncs_suite());
}
