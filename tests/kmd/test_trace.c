/* SPDX-License-Identifier: MIT */
/*
 * test_trace.c - DRM_MUSA_TRACE, the device's record of what it ran: the
 * argument rules, nothing recorded before START or after STOP, a packet
 * record per packet with its times on the device clock, compute-unit
 * runs that add up to a dispatch's grid inside the dispatch's time, and a
 * WAIT that lasts until its point came.
 */
#include "kmd_test.h"

struct vadd_args {
	uint64_t a, b, c;
	uint32_t n, pad;
};

static int kt_trace(int fd, uint32_t flags, struct drm_musa_trace_record *rec, uint32_t count,
		    struct drm_musa_trace *out)
{
	struct drm_musa_trace t = {
		.flags = flags,
		.record_size = sizeof(*rec),
		.records = (uintptr_t)rec,
		.count = count,
	};
	int err = kt_ioctl(fd, DRM_IOCTL_MUSA_TRACE, &t);

	if (out)
		*out = t;
	return err;
}

START_TEST(test_trace_rejects_bad_flags_pad_and_record_size)
{
	int fd = kt_open();
	struct drm_musa_trace_record rec[2];
	struct drm_musa_trace t = { .flags = 1u << 2 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_TRACE, &t), EINVAL);
	t.flags = DRM_MUSA_TRACE_START | DRM_MUSA_TRACE_STOP;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_TRACE, &t), EINVAL);
	t.flags = 0;
	t.pad = 1;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_TRACE, &t), EINVAL);
	t.pad = 0;
	t.count = 2;
	t.records = (uintptr_t)rec;
	t.record_size = sizeof(rec[0]) - 8;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_TRACE, &t), EINVAL);
	t.record_size = sizeof(rec[0]);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_TRACE, &t), 0);
	ck_assert_uint_eq(t.count, 0);
	ck_assert_uint_eq(t.pending, 0);
	ck_assert_uint_eq(sizeof(struct drm_musa_trace_record), 112);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_trace_records_only_between_start_and_stop)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd);
	uint64_t va = kt_bo_va(fd, 4096, NULL);
	struct drm_musa_packet p = kt_fill(va, 16, 7, 1);
	struct drm_musa_trace_record rec[4];
	struct drm_musa_trace t;
	int64_t before, after;

	kt_run(fd, q, &p, 1);
	ck_assert_int_eq(kt_trace(fd, DRM_MUSA_TRACE_START, rec, 4, &t), 0);
	ck_assert_uint_eq(t.count, 0);
	before = kt_now_ns();
	kt_run(fd, q, &p, 1);
	after = kt_now_ns();
	ck_assert_int_eq(kt_trace(fd, DRM_MUSA_TRACE_STOP, NULL, 0, &t), 0);
	ck_assert_uint_eq(t.pending, 1);
	kt_run(fd, q, &p, 1);
	/* a bad pointer removes nothing */
	ck_assert_int_eq(kt_trace(fd, 0, (void *)(uintptr_t)8, 4, NULL), EFAULT);
	ck_assert_int_eq(kt_trace(fd, 0, rec, 4, &t), 0);
	ck_assert_uint_eq(t.count, 1);
	ck_assert_uint_eq(t.pending, 0);
	ck_assert_uint_eq(t.dropped, 0);
	ck_assert_uint_eq(rec[0].kind, DRM_MUSA_TRACE_PACKET);
	ck_assert_uint_eq(rec[0].queue, q);
	ck_assert_uint_eq(rec[0].seq, 1);
	ck_assert_uint_eq(rec[0].packet.type, DRM_MUSA_PKT_FILL);
	ck_assert_uint_eq(rec[0].packet.fill.count, 16);
	ck_assert_uint_eq(rec[0].pad, 0);
	ck_assert(rec[0].start_ns >= (uint64_t)before && rec[0].start_ns <= rec[0].end_ns &&
		  rec[0].end_ns <= (uint64_t)after);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_trace_compute_unit_runs_add_up_to_the_grid)
{
	enum { N = 64 * 256 };
	int fd = kt_open();
	uint32_t kernels[KT_NKERNELS], q = kt_queue(fd), hk, groups = N / 256;
	uint64_t a = kt_bo_va(fd, N * 4, NULL), b = kt_bo_va(fd, N * 4, NULL);
	uint64_t c = kt_bo_va(fd, N * 4, NULL), kva = kt_bo_va(fd, 4096, &hk);
	struct vadd_args *args = kt_cpu_map(fd, hk, 4096);
	struct drm_musa_trace_record rec[64];
	const struct drm_musa_trace_record *disp = NULL;
	struct drm_musa_packet p;
	struct drm_musa_trace t;
	uint64_t sum = 0;

	kt_load_kernels(fd, kernels);
	args->a = a;
	args->b = b;
	args->c = c;
	args->n = N;
	p = kt_dispatch(kernels[KT_VADD], kva, sizeof(*args), groups, 1, 1, 256, 1, 1);
	ck_assert_int_eq(kt_trace(fd, DRM_MUSA_TRACE_START, NULL, 0, NULL), 0);
	kt_run(fd, q, &p, 1);
	ck_assert_int_eq(kt_trace(fd, 0, rec, 64, &t), 0);
	ck_assert_uint_ge(t.count, 2);
	for (uint32_t i = 0; i < t.count; i++)
		if (rec[i].kind == DRM_MUSA_TRACE_PACKET)
			disp = &rec[i];
	ck_assert_ptr_nonnull(disp);
	ck_assert_uint_eq(disp->packet.type, DRM_MUSA_PKT_KERNEL_DISPATCH);
	ck_assert_uint_eq(disp->packet.dispatch.grid[0], groups);
	for (uint32_t i = 0; i < t.count; i++) {
		if (rec[i].kind != DRM_MUSA_TRACE_CU_RUN)
			continue;
		ck_assert_uint_eq(rec[i].seq, disp->seq);
		ck_assert_uint_eq(rec[i].queue, q);
		ck_assert_uint_lt(rec[i].cu, 2);   /* KT_SWDEV: cus=2 */
		ck_assert_uint_eq(rec[i].packet.dispatch.kernel, kernels[KT_VADD]);
		ck_assert(rec[i].start_ns >= disp->start_ns && rec[i].end_ns <= disp->end_ns &&
			  rec[i].start_ns <= rec[i].end_ns);
		sum += rec[i].groups;
	}
	ck_assert_uint_eq(sum, groups);
	munmap(args, 4096);
	musa_kmd_close(fd);
}
END_TEST

START_TEST(test_trace_wait_lasts_until_its_point_came)
{
	int fd = kt_open();
	uint32_t q = kt_queue(fd), so = kt_syncobj(fd, 0), done = kt_syncobj(fd, 0);
	struct drm_musa_packet w = { .type = DRM_MUSA_PKT_WAIT };
	struct drm_musa_trace_record rec[4];
	struct drm_musa_trace t;
	struct drm_syncobj_timeline_array sig = {
		.handles = (uintptr_t)&so, .count_handles = 1,
	};
	uint64_t point = 1;
	int64_t signalled;
	struct drm_musa_submit s = {
		.queue = q, .packets = (uintptr_t)&w, .packet_count = 1, .packet_size = sizeof(w),
		.signal_syncobj = done,
	};

	w.sync.syncobj = so;
	w.sync.point = 1;
	ck_assert_int_eq(kt_trace(fd, DRM_MUSA_TRACE_START, NULL, 0, NULL), 0);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_SUBMIT, &s), 0);
	usleep(20000);
	signalled = kt_now_ns();
	sig.points = (uintptr_t)&point;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &sig), 0);
	ck_assert_int_eq(kt_wait(fd, done, 0, 10000000000ll), 0);
	ck_assert_int_eq(kt_trace(fd, 0, rec, 4, &t), 0);
	ck_assert_uint_eq(t.count, 1);
	ck_assert_uint_eq(rec[0].packet.type, DRM_MUSA_PKT_WAIT);
	ck_assert(rec[0].start_ns < (uint64_t)signalled && rec[0].end_ns >= (uint64_t)signalled);
	musa_kmd_close(fd);
}
END_TEST

static Suite *trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("trace");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_trace_rejects_bad_flags_pad_and_record_size);
	tcase_add_test(tc, test_trace_records_only_between_start_and_stop);
	tcase_add_test(tc, test_trace_compute_unit_runs_add_up_to_the_grid);
	tcase_add_test(tc, test_trace_wait_lasts_until_its_point_came);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	kt_env();
	return kt_run_suite(trace_suite());
}
