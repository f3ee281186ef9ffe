/* SPDX-License-Identifier: MIT */
/*
 * test_syncobj.c - the generic SYNCOBJ_* ioctls with the errnos of the
 * Linux drm_syncobj.c: binary and timeline waits, timeouts, WAIT_ALL,
 * WAIT_FOR_SUBMIT, WAIT_AVAILABLE, SIGNAL, RESET, TIMELINE_SIGNAL, QUERY,
 * TRANSFER.
 */
#include <pthread.h>
#include <time.h>

#include "kmd_test.h"

static int wait_binary(int fd, uint32_t *handles, uint32_t n, uint32_t flags, int64_t abs_ns,
		       uint32_t *first)
{
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)handles, .count_handles = n, .flags = flags,
		.timeout_nsec = abs_ns, .first_signaled = ~0u,
	};
	int err = kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);

	if (first)
		*first = w.first_signaled;
	return err;
}

static int signal_one(int fd, uint32_t h)
{
	struct drm_syncobj_array a = { .handles = (uintptr_t)&h, .count_handles = 1 };

	return kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a);
}

static int timeline_signal(int fd, uint32_t h, uint64_t point)
{
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&h, .points = (uintptr_t)&point, .count_handles = 1,
	};

	return kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a);
}

static uint64_t query(int fd, uint32_t h, uint32_t flags)
{
	uint64_t point = ~0ull;
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&h, .points = (uintptr_t)&point, .count_handles = 1,
		.flags = flags,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &a), 0);
	return point;
}

START_TEST(test_syncobj_create_rejects_unknown_flag)
{
	int fd = kt_open();
	struct drm_syncobj_create c = { .flags = 2 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &c), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_syncobj_destroy_rejects_unknown_handle_with_einval)
{
	int fd = kt_open();
	struct drm_syncobj_destroy d = { .handle = 77 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_syncobj_destroy_rejects_nonzero_pad)
{
	int fd = kt_open();
	struct drm_syncobj_destroy d = { .handle = kt_syncobj(fd, 0), .pad = 1 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d), EINVAL);
	d.pad = 0;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d), 0);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_syncobj_wait_rejects_unknown_handle_with_enoent)
{
	int fd = kt_open();
	uint32_t h[2] = { kt_syncobj(fd, DRM_SYNCOBJ_CREATE_SIGNALED), 99 };

	ck_assert_int_eq(wait_binary(fd, h, 2, 0, 0, NULL), ENOENT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_syncobj_wait_rejects_unknown_flag)
{
	int fd = kt_open();
	uint32_t h = kt_syncobj(fd, DRM_SYNCOBJ_CREATE_SIGNALED);

	ck_assert_int_eq(wait_binary(fd, &h, 1, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE, 0, NULL),
			 EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_syncobj_wait_rejects_bad_handles_pointer_with_efault)
{
	int fd = kt_open();

	ck_assert_int_eq(wait_binary(fd, (uint32_t *)8, 1, 0, 0, NULL), EFAULT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_syncobj_wait_without_fence_is_einval)
{
	int fd = kt_open();
	uint32_t h = kt_syncobj(fd, 0);

	ck_assert_int_eq(wait_binary(fd, &h, 1, 0, kt_now_ns() + 1000000, NULL), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_syncobj_wait_for_submit_times_out_with_etime)
{
	int fd = kt_open();
	uint32_t h = kt_syncobj(fd, 0);
	int64_t t0 = kt_now_ns();

	ck_assert_int_eq(wait_binary(fd, &h, 1, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
				     t0 + 20000000, NULL), ETIME);
	ck_assert_int_ge(kt_now_ns() - t0, 20000000);
	/* A deadline in the past polls once. */
	ck_assert_int_eq(wait_binary(fd, &h, 1, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, 0, NULL),
			 ETIME);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_syncobj_created_signalled_waits_immediately)
{
	int fd = kt_open();
	uint32_t h = kt_syncobj(fd, DRM_SYNCOBJ_CREATE_SIGNALED), first;

	ck_assert_int_eq(wait_binary(fd, &h, 1, 0, 0, &first), 0);
	ck_assert_uint_eq(first, 0);
	musa_kmd_close(fd);
}
END_TEST

/* drm_syncobj_wait_ioctl(): count_handles == 0 is EINVAL. */
START_TEST(test_syncobj_wait_count_zero_is_einval)
{
	int fd = kt_open();
	struct drm_syncobj_timeline_wait w = { .count_handles = 0 };

	ck_assert_int_eq(wait_binary(fd, NULL, 0, 0, 0, NULL), EINVAL);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_syncobj_signal_then_reset)
{
	int fd = kt_open();
	uint32_t h = kt_syncobj(fd, 0);
	struct drm_syncobj_array a = { .handles = (uintptr_t)&h, .count_handles = 1 };

	ck_assert_int_eq(signal_one(fd, h), 0);
	ck_assert_int_eq(wait_binary(fd, &h, 1, 0, 0, NULL), 0);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_RESET, &a), 0);
	ck_assert_int_eq(wait_binary(fd, &h, 1, 0, 0, NULL), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_syncobj_array_ioctls_reject_pad_count_and_unknown)
{
	int fd = kt_open();
	uint32_t h = kt_syncobj(fd, 0), bad = 1234;
	struct drm_syncobj_array a = { .handles = (uintptr_t)&h, .count_handles = 1, .pad = 1 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a), EINVAL);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_RESET, &a), EINVAL);
	a.pad = 0;
	a.count_handles = 0;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a), EINVAL);
	a.count_handles = 1;
	a.handles = (uintptr_t)&bad;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a), ENOENT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_syncobj_wait_all_needs_every_fence)
{
	int fd = kt_open();
	uint32_t h[2] = { kt_syncobj(fd, 0), kt_syncobj(fd, DRM_SYNCOBJ_CREATE_SIGNALED) }, first;

	ck_assert_int_eq(wait_binary(fd, h, 2, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL |
				     DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
				     kt_now_ns() + 5000000, NULL), ETIME);
	ck_assert_int_eq(wait_binary(fd, h, 2, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
				     kt_now_ns() + 5000000, &first), 0);
	ck_assert_uint_eq(first, 1);
	ck_assert_int_eq(signal_one(fd, h[0]), 0);
	ck_assert_int_eq(wait_binary(fd, h, 2, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, 0, NULL), 0);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_timeline_points_signal_in_order)
{
	int fd = kt_open();
	uint32_t h = kt_syncobj(fd, 0);

	ck_assert_int_eq(timeline_signal(fd, h, 3), 0);
	ck_assert_uint_eq(query(fd, h, 0), 3);
	ck_assert_int_eq(kt_wait(fd, h, 2, 0), 0);
	ck_assert_int_eq(kt_wait(fd, h, 3, 0), 0);
	ck_assert_int_eq(kt_wait(fd, h, 4, 5000000), ETIME);
	ck_assert_int_eq(timeline_signal(fd, h, 5), 0);
	ck_assert_int_eq(kt_wait(fd, h, 4, 0), 0);
	ck_assert_uint_eq(query(fd, h, 0), 5);
	ck_assert_uint_eq(query(fd, h, DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED), 5);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_timeline_wait_unsubmitted_point_without_flag_is_einval)
{
	int fd = kt_open();
	uint32_t h = kt_syncobj(fd, 0);
	uint64_t point = 2;
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)&h, .points = (uintptr_t)&point, .count_handles = 1,
		.timeout_nsec = kt_now_ns() + 1000000,
	};

	ck_assert_int_eq(timeline_signal(fd, h, 1), 0);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w), EINVAL);
	w.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w), ETIME);
	w.flags = 0x80;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w), EINVAL);
	w.flags = 0;
	w.points = 8;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w), EFAULT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_timeline_query_and_signal_reject_bad_args)
{
	int fd = kt_open();
	uint32_t h = kt_syncobj(fd, 0), bad = 55;
	uint64_t point = 0;
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&h, .points = (uintptr_t)&point, .count_handles = 1, .flags = 4,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &a), EINVAL);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a), EINVAL);
	a.flags = 0;
	a.handles = (uintptr_t)&bad;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &a), ENOENT);
	a.handles = (uintptr_t)&h;
	a.points = 16;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &a), EFAULT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_syncobjs_are_private_per_fd)
{
	int a = kt_open(), b = kt_open();
	uint32_t h = kt_syncobj(a, DRM_SYNCOBJ_CREATE_SIGNALED);

	ck_assert_int_eq(wait_binary(b, &h, 1, 0, 0, NULL), ENOENT);
	musa_kmd_close(a);
	musa_kmd_close(b);
}
END_TEST

/* TRANSFER, TIMELINE_SIGNAL without points, QUERY LAST_SUBMITTED */

static int transfer(int fd, uint32_t src, uint64_t sp, uint32_t dst, uint64_t dp, uint32_t flags)
{
	struct drm_syncobj_transfer t = {
		.src_handle = src, .src_point = sp, .dst_handle = dst, .dst_point = dp,
		.flags = flags,
	};

	return kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &t);
}

static int poll_point(int fd, uint32_t h, uint64_t point)
{
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)&h, .points = (uintptr_t)&point, .count_handles = 1,
	};

	return kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

/* A fence that stays pending until `gate` is signalled: a queue waits on it. */
static void pending_point(int fd, uint32_t q, uint32_t gate, uint32_t so, uint64_t point)
{
	struct drm_musa_packet p = { .type = DRM_MUSA_PKT_WAIT };

	p.sync.syncobj = gate;
	ck_assert_int_eq(kt_submit(fd, q, &p, 1, so, point), 0);
}

START_TEST(test_transfer_rejects_nonzero_pad)
{
	int fd = kt_open();
	uint32_t a = kt_syncobj(fd, DRM_SYNCOBJ_CREATE_SIGNALED), b = kt_syncobj(fd, 0);
	struct drm_syncobj_transfer t = { .src_handle = a, .dst_handle = b, .pad = 1 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &t), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_transfer_unknown_handles_are_enoent)
{
	int fd = kt_open();
	uint32_t a = kt_syncobj(fd, DRM_SYNCOBJ_CREATE_SIGNALED);

	ck_assert_int_eq(transfer(fd, a, 0, a + 5, 0, 0), ENOENT);
	ck_assert_int_eq(transfer(fd, a + 5, 0, a, 0, 0), ENOENT);
	ck_assert_int_eq(transfer(fd, a + 5, 0, a, 3, 0), ENOENT);
	musa_kmd_close(fd);
}
END_TEST

/* drm_syncobj_find_fence() without WAIT_FOR_SUBMIT: no fence is EINVAL. */
START_TEST(test_transfer_source_without_fence_is_einval)
{
	int fd = kt_open();
	uint32_t src = kt_syncobj(fd, 0), dst = kt_syncobj(fd, 0);

	ck_assert_int_eq(transfer(fd, src, 0, dst, 0, 0), EINVAL);
	ck_assert_int_eq(timeline_signal(fd, src, 2), 0);
	ck_assert_int_eq(transfer(fd, src, 3, dst, 1, 0), EINVAL);
	ck_assert_int_eq(poll_point(fd, dst, 1), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_transfer_binary_to_timeline_point)
{
	int fd = kt_open();
	uint32_t src = kt_syncobj(fd, DRM_SYNCOBJ_CREATE_SIGNALED), dst = kt_syncobj(fd, 0);

	ck_assert_int_eq(transfer(fd, src, 0, dst, 5, 0), 0);
	ck_assert_int_eq(poll_point(fd, dst, 5), 0);
	ck_assert_uint_eq(query(fd, dst, 0), 5);
	musa_kmd_close(fd);
}
END_TEST

/* The transferred fence follows the source point: pending, then done. */
START_TEST(test_transfer_timeline_point_to_binary_follows_source)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), gate = kt_syncobj(fd, 0), src = kt_syncobj(fd, 0);
	uint32_t dst = kt_syncobj(fd, 0);

	ck_assert_int_eq(timeline_signal(fd, src, 1), 0);
	pending_point(fd, q, gate, src, 2);
	ck_assert_int_eq(transfer(fd, src, 2, dst, 0, 0), 0);
	ck_assert_int_eq(poll_point(fd, dst, 0), ETIME);
	ck_assert_int_eq(signal_one(fd, gate), 0);
	ck_assert_int_eq(kt_wait(fd, dst, 0, 10000000000ll), 0);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_transfer_wait_for_submit_waits_for_the_source_point)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), gate = kt_syncobj(fd, 0), src = kt_syncobj(fd, 0);
	uint32_t dst = kt_syncobj(fd, 0);

	/* The point is already there: WAIT_FOR_SUBMIT returns at once. */
	pending_point(fd, q, gate, src, 4);
	ck_assert_int_eq(transfer(fd, src, 4, dst, 7,
				  DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT), 0);
	ck_assert_int_eq(poll_point(fd, dst, 7), ETIME);
	ck_assert_int_eq(signal_one(fd, gate), 0);
	ck_assert_int_eq(kt_wait(fd, dst, 7, 10000000000ll), 0);
	musa_kmd_close(fd);
}
END_TEST

/* drm_syncobj_timeline_signal_ioctl(): a NULL points array means zeros. */
START_TEST(test_timeline_signal_null_points_signals_binary)
{
	int fd = kt_open();
	uint32_t h = kt_syncobj(fd, 0);
	struct drm_syncobj_timeline_array a = { .handles = (uintptr_t)&h, .count_handles = 1 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a), 0);
	ck_assert_int_eq(wait_binary(fd, &h, 1, 0, 0, NULL), 0);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_timeline_signal_bad_points_pointer_is_efault)
{
	int fd = kt_open();
	uint32_t h = kt_syncobj(fd, 0);
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&h, .points = 8, .count_handles = 1,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a), EFAULT);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_query_last_submitted_sees_pending_point)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), gate = kt_syncobj(fd, 0), tl = kt_syncobj(fd, 0);

	ck_assert_int_eq(timeline_signal(fd, tl, 3), 0);
	pending_point(fd, q, gate, tl, 8);
	ck_assert_uint_eq(query(fd, tl, 0), 3);
	ck_assert_uint_eq(query(fd, tl, DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED), 8);
	ck_assert_int_eq(signal_one(fd, gate), 0);
	ck_assert_int_eq(kt_wait(fd, tl, 8, 10000000000ll), 0);
	ck_assert_uint_eq(query(fd, tl, 0), 8);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_timeline_wait_available_returns_on_submission)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), gate = kt_syncobj(fd, 0), tl = kt_syncobj(fd, 0);
	uint64_t point = 2;
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)&tl, .points = (uintptr_t)&point, .count_handles = 1,
		.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w), ETIME);
	pending_point(fd, q, gate, tl, 2);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w), 0);
	ck_assert_int_eq(poll_point(fd, tl, 2), ETIME);
	ck_assert_int_eq(signal_one(fd, gate), 0);
	musa_kmd_close(fd);
}
END_TEST

/* WAIT_ALL reports the first index that was signalled on entry. */
START_TEST(test_wait_all_first_signaled_is_first_ready_on_entry)
{
	int fd = kt_open();
	uint32_t h[2] = { kt_syncobj(fd, 0), kt_syncobj(fd, DRM_SYNCOBJ_CREATE_SIGNALED) };
	uint32_t first = 0;

	ck_assert_int_eq(signal_one(fd, h[0]), 0);
	ck_assert_int_eq(wait_binary(fd, h, 2, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, 0, &first), 0);
	ck_assert_uint_eq(first, 0);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_RESET,
				  &(struct drm_syncobj_array){ .handles = (uintptr_t)h,
							       .count_handles = 1 }), 0);
	ck_assert_int_eq(wait_binary(fd, h, 2, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, 0, &first), 0);
	ck_assert_uint_eq(first, 1);
	musa_kmd_close(fd);
}
END_TEST

/* DRM_MUSA_SYNCOBJ_WAIT_FLAGS_SPIN */

static double thread_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

struct late_signal {
	int fd;
	uint32_t h;
};

static void *signal_later(void *arg)
{
	struct late_signal *l = arg;
	struct timespec d = { 0, 20000000 };

	nanosleep(&d, NULL);
	ck_assert_int_eq(signal_one(l->fd, l->h), 0);
	return NULL;
}

START_TEST(test_spin_wait_is_woken_by_a_signal)
{
	int fd = kt_open();
	struct late_signal l = { fd, kt_syncobj(fd, 0) };
	pthread_t t;
	uint32_t first = 7;

	ck_assert_int_eq(pthread_create(&t, NULL, signal_later, &l), 0);
	ck_assert_int_eq(wait_binary(fd, &l.h, 1, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
				     DRM_MUSA_SYNCOBJ_WAIT_FLAGS_SPIN,
				     kt_now_ns() + 10000000000ll, &first), 0);
	ck_assert_uint_eq(first, 0);
	pthread_join(t, NULL);
	musa_kmd_close(fd);
}
END_TEST

/* Spinning is bounded: a long spin-flagged wait sleeps after a short
 * spin, and times out with ETIME like any other wait. */
START_TEST(test_spin_wait_sleeps_and_times_out)
{
	int fd = kt_open();
	uint32_t h = kt_syncobj(fd, 0);
	uint64_t point = 1;
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)&h, .points = (uintptr_t)&point, .count_handles = 1,
		.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT | DRM_MUSA_SYNCOBJ_WAIT_FLAGS_SPIN,
	};
	int64_t t0 = kt_now_ns();
	double cpu0 = thread_cpu_ms();

	w.timeout_nsec = t0 + 300000000;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w), ETIME);
	ck_assert_int_ge(kt_now_ns() - t0, 300000000);
	ck_assert_double_lt(thread_cpu_ms() - cpu0, 100.0);
	/* the flag is known to both waits, and nothing else is */
	w.flags = DRM_MUSA_SYNCOBJ_WAIT_FLAGS_SPIN | (1u << 29);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w), EINVAL);
	ck_assert_int_eq(wait_binary(fd, &h, 1, DRM_MUSA_SYNCOBJ_WAIT_FLAGS_SPIN | (1u << 29),
				     0, NULL), EINVAL);
	musa_kmd_close(fd);
}
END_TEST

static Suite *syncobj_suite(void)
{
	Suite *s = suite_create("kmd_syncobj");
	TCase *bin = tcase_create("binary");
	TCase *tl = tcase_create("timeline");

	tcase_add_test(bin, test_syncobj_create_rejects_unknown_flag);
	tcase_add_test(bin, test_syncobj_destroy_rejects_unknown_handle_with_einval);
	tcase_add_test(bin, test_syncobj_destroy_rejects_nonzero_pad);
	tcase_add_test(bin, test_syncobj_wait_rejects_unknown_handle_with_enoent);
	tcase_add_test(bin, test_syncobj_wait_rejects_unknown_flag);
	tcase_add_test(bin, test_syncobj_wait_rejects_bad_handles_pointer_with_efault);
	tcase_add_test(bin, test_syncobj_wait_without_fence_is_einval);
	tcase_add_test(bin, test_syncobj_wait_for_submit_times_out_with_etime);
	tcase_add_test(bin, test_syncobj_created_signalled_waits_immediately);
	tcase_add_test(bin, test_syncobj_wait_count_zero_is_einval);
	tcase_add_test(bin, test_syncobj_signal_then_reset);
	tcase_add_test(bin, test_syncobj_array_ioctls_reject_pad_count_and_unknown);
	tcase_add_test(bin, test_syncobj_wait_all_needs_every_fence);
	tcase_add_test(bin, test_syncobjs_are_private_per_fd);
	suite_add_tcase(s, bin);

	tcase_add_test(tl, test_timeline_points_signal_in_order);
	tcase_add_test(tl, test_timeline_wait_unsubmitted_point_without_flag_is_einval);
	tcase_add_test(tl, test_timeline_query_and_signal_reject_bad_args);
	tcase_add_test(tl, test_transfer_rejects_nonzero_pad);
	tcase_add_test(tl, test_transfer_unknown_handles_are_enoent);
	tcase_add_test(tl, test_transfer_source_without_fence_is_einval);
	tcase_add_test(tl, test_transfer_binary_to_timeline_point);
	tcase_add_test(tl, test_transfer_timeline_point_to_binary_follows_source);
	tcase_add_test(tl, test_transfer_wait_for_submit_waits_for_the_source_point);
	tcase_add_test(tl, test_timeline_signal_null_points_signals_binary);
	tcase_add_test(tl, test_timeline_signal_bad_points_pointer_is_efault);
	tcase_add_test(tl, test_query_last_submitted_sees_pending_point);
	tcase_add_test(tl, test_timeline_wait_available_returns_on_submission);
	tcase_add_test(tl, test_wait_all_first_signaled_is_first_ready_on_entry);
	tcase_add_test(tl, test_spin_wait_is_woken_by_a_signal);
	tcase_add_test(tl, test_spin_wait_sleeps_and_times_out);
	suite_add_tcase(s, tl);
	return s;
}

int main(void)
{
	kt_env();
	return kt_run_suite(syncobj_suite());
}
