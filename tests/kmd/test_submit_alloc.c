/* SPDX-License-Identifier: MIT */
/*
 * test_submit_alloc.c - SUBMIT, a ring's take and SYNCOBJ_TIMELINE_SIGNAL
 * when an allocation fails: each call's allocations are counted on a
 * successful run, then the k-th one is made to fail for every k
 * (kmd-shim/alloc.c). A failed call attaches no point, signals nothing,
 * releases no waiter and runs nothing; the same call then succeeds.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "kmd_test.h"
#include "kmd_alloc_fail.h"

#define SA_WORDS 1024u
#define SA_WAIT_NS 10000000000ll

struct sa_env {
	int fd;
	uint32_t queue;
	uint32_t bo;
	uint64_t va;
	volatile uint32_t *mem;      /* the CPU's view of the FILL target */
	uint32_t wait_bin, wait_tl, wait_submit;
};

/* The signal syncobjs of one SUBMIT: fresh ones for every try, so each
 * try makes the same allocations. */
struct sa_signals {
	uint32_t bin;       /* signal_syncobj, point 0 */
	uint32_t tl;        /* out: point 5 */
	uint32_t tl_used;   /* out: point 3, point 1 signalled before */
	uint32_t out_bin;   /* out: point 0 */
	uint32_t packet;    /* a SIGNAL packet's, point 0 */
};

static void sa_timeline_signal(int fd, uint32_t so, uint64_t point)
{
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&so, .points = (uintptr_t)&point, .count_handles = 1,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a), 0);
}

static uint64_t sa_last_submitted(int fd, uint32_t so)
{
	uint64_t point = ~0ull;
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&so, .points = (uintptr_t)&point, .count_handles = 1,
		.flags = DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED,
	};

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &a), 0);
	return point;
}

/* WAIT_FOR_SUBMIT with a timeout in the past: polls once. */
static int sa_poll(int fd, uint32_t so, uint64_t point)
{
	return kt_wait(fd, so, point, -1);
}

static struct sa_env sa_setup(void)
{
	struct sa_env e = { 0 };

	kt_env();
	e.fd = kt_open();
	e.queue = kt_queue(e.fd);
	e.va = kt_bo_va(e.fd, SA_WORDS * 4, &e.bo);
	e.mem = kt_cpu_map(e.fd, e.bo, SA_WORDS * 4);
	e.wait_bin = kt_syncobj(e.fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	e.wait_tl = kt_syncobj(e.fd, 0);
	sa_timeline_signal(e.fd, e.wait_tl, 2);
	e.wait_submit = kt_syncobj(e.fd, 0);
	sa_timeline_signal(e.fd, e.wait_submit, 7);
	return e;
}

static struct sa_signals sa_signals_new(int fd)
{
	struct sa_signals s = {
		.bin = kt_syncobj(fd, 0), .tl = kt_syncobj(fd, 0),
		.tl_used = kt_syncobj(fd, 0), .out_bin = kt_syncobj(fd, 0),
		.packet = kt_syncobj(fd, 0),
	};

	sa_timeline_signal(fd, s.tl_used, 1);
	return s;
}

/* Three waits (binary, timeline, WAIT_FOR_SUBMIT), four signals, a FILL
 * of `value` and a SIGNAL packet. */
static int sa_submit(const struct sa_env *e, const struct sa_signals *s, uint32_t value)
{
	struct drm_musa_sync in[3] = {
		{ .handle = e->wait_bin },
		{ .handle = e->wait_tl, .point = 2 },
		{ .handle = e->wait_submit, .point = 7, .flags = DRM_MUSA_SYNC_WAIT_FOR_SUBMIT },
	};
	struct drm_musa_sync out[3] = {
		{ .handle = s->tl, .point = 5 },
		{ .handle = s->tl_used, .point = 3 },
		{ .handle = s->out_bin },
	};
	struct drm_musa_packet p[2] = {
		kt_fill(e->va, SA_WORDS, value, 4), { .type = DRM_MUSA_PKT_SIGNAL },
	};
	struct drm_musa_submit a = {
		.queue = e->queue, .packets = (uintptr_t)p, .packet_count = 2,
		.packet_size = sizeof(p[0]), .signal_syncobj = s->bin,
		.in_syncs = (uintptr_t)in, .num_in_syncs = 3,
		.out_syncs = (uintptr_t)out, .num_out_syncs = 3,
	};

	p[1].sync.syncobj = s->packet;
	return kt_ioctl(e->fd, DRM_IOCTL_MUSA_SUBMIT, &a);
}

static void sa_assert_nothing_attached(const struct sa_env *e, const struct sa_signals *s)
{
	ck_assert_int_eq(sa_poll(e->fd, s->bin, 0), ETIME);
	ck_assert_int_eq(sa_poll(e->fd, s->out_bin, 0), ETIME);
	ck_assert_int_eq(sa_poll(e->fd, s->packet, 0), ETIME);
	ck_assert_int_eq(sa_poll(e->fd, s->tl, 5), ETIME);
	ck_assert_int_eq(sa_poll(e->fd, s->tl_used, 3), ETIME);
	ck_assert_uint_eq(sa_last_submitted(e->fd, s->tl), 0);
	ck_assert_uint_eq(sa_last_submitted(e->fd, s->tl_used), 1);
}

static void sa_assert_all_signalled(const struct sa_env *e, const struct sa_signals *s)
{
	ck_assert_int_eq(kt_wait(e->fd, s->bin, 0, SA_WAIT_NS), 0);
	ck_assert_int_eq(kt_wait(e->fd, s->out_bin, 0, SA_WAIT_NS), 0);
	ck_assert_int_eq(kt_wait(e->fd, s->packet, 0, SA_WAIT_NS), 0);
	ck_assert_int_eq(kt_wait(e->fd, s->tl, 5, SA_WAIT_NS), 0);
	ck_assert_int_eq(kt_wait(e->fd, s->tl_used, 3, SA_WAIT_NS), 0);
	ck_assert_uint_eq(sa_last_submitted(e->fd, s->tl), 5);
	ck_assert_uint_eq(sa_last_submitted(e->fd, s->tl_used), 3);
}

/* Every word of the FILL target holds `value`. */
static void sa_assert_mem(const struct sa_env *e, uint32_t value)
{
	for (uint32_t i = 0; i < SA_WORDS; i++)
		ck_assert_uint_eq(e->mem[i], value);
}

/* A thread blocked in a WAIT_FOR_SUBMIT wait on one point. */
struct sa_waiter {
	pthread_t thread;
	int fd;
	uint32_t so;
	uint64_t point;
	atomic_int done;
	int ret;
};

static void *sa_waiter_main(void *arg)
{
	struct sa_waiter *w = arg;

	w->ret = kt_wait(w->fd, w->so, w->point, 2 * SA_WAIT_NS);
	atomic_store(&w->done, 1);
	return NULL;
}

static void sa_waiter_start(struct sa_waiter *w, int fd, uint32_t so, uint64_t point)
{
	w->fd = fd;
	w->so = so;
	w->point = point;
	atomic_init(&w->done, 0);
	ck_assert_int_eq(pthread_create(&w->thread, NULL, sa_waiter_main, w), 0);
}

START_TEST(test_submit_alloc_failure_changes_nothing)
{
	struct sa_env e = sa_setup();
	struct drm_musa_packet nop = { .type = DRM_MUSA_PKT_NOP };
	struct sa_signals s = sa_signals_new(e.fd);
	uint64_t count;

	kat_count_start();
	ck_assert_int_eq(sa_submit(&e, &s, 1), 0);
	count = kat_count();
	sa_assert_all_signalled(&e, &s);
	sa_assert_mem(&e, 1);
	/* syncs, packets, job, fence, room in each signal syncobj that has
	 * none (tl_used has some since its point 1), and the SIGNAL packet's
	 * fence and room */
	ck_assert_uint_ge(count, 7 + 3 + 2);

	for (uint64_t k = 1; k <= count; k++) {
		uint32_t value = (uint32_t)k + 1;
		struct sa_waiter w;

		s = sa_signals_new(e.fd);
		sa_waiter_start(&w, e.fd, s.tl, 5);
		kmd_alloc_fail_at(k);
		ck_assert_msg(sa_submit(&e, &s, value) == ENOMEM, "allocation %llu of %llu",
			      (unsigned long long)k, (unsigned long long)count);
		/* the countdown fired inside the SUBMIT */
		ck_assert_uint_eq(kmd_alloc_fail_at(0), 0);
		sa_assert_nothing_attached(&e, &s);
		/* nothing was queued: the queue runs a NOP, the memory is as before */
		kt_run(e.fd, e.queue, &nop, 1);
		sa_assert_mem(&e, value - 1);
		ck_assert_int_eq(atomic_load(&w.done), 0);

		ck_assert_int_eq(sa_submit(&e, &s, value), 0);
		sa_assert_all_signalled(&e, &s);
		sa_assert_mem(&e, value);
		ck_assert_int_eq(pthread_join(w.thread, NULL), 0);
		ck_assert_int_eq(w.ret, 0);
	}
	musa_kmd_close(e.fd);
}
END_TEST

/* The same with the ring's take: the failed batch attaches and runs
 * nothing and is reported as the ring's error. */
#define SA_RING_SLOTS 16u
#define SA_RING_BYTES (sizeof(struct drm_musa_ring_header) + \
		       SA_RING_SLOTS * sizeof(struct drm_musa_ring_slot))

struct sa_ring {
	struct sa_env e;
	uint32_t queue;
	struct drm_musa_ring_header *hdr;
	struct drm_musa_ring_slot *slots;
	uint32_t so_a, so_b;
};

static struct sa_ring sa_ring_open(void)
{
	struct sa_ring r = { .e = sa_setup() };
	uint64_t va = kt_bo_va(r.e.fd, SA_RING_BYTES, NULL);
	struct drm_musa_queue_create q = {
		.flags = DRM_MUSA_QUEUE_RING, .ring = va, .ring_slots = SA_RING_SLOTS,
	};

	ck_assert_int_eq(kt_ioctl(r.e.fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q), 0);
	r.queue = q.handle;
	r.hdr = (struct drm_musa_ring_header *)(uintptr_t)va;
	r.slots = (struct drm_musa_ring_slot *)(r.hdr + 1);
	r.so_a = kt_syncobj(r.e.fd, 0);
	r.so_b = kt_syncobj(r.e.fd, 0);
	return r;
}

/* Two submissions (a FILL signalling so_a point 4, a NOP signalling
 * so_b), written without a doorbell; then the doorbell's errno. */
static int sa_ring_submit(struct sa_ring *r, uint32_t value)
{
	struct drm_musa_ring_slot *s = r->slots;
	struct drm_musa_queue_doorbell d = { .queue = r->queue };

	memset(s, 0, 2 * sizeof(*s));
	s[0].packet = kt_fill(r->e.va, SA_WORDS, value, 4);
	s[0].flags = DRM_MUSA_RING_SLOT_LAST;
	s[0].signal_syncobj = r->so_a;
	s[0].signal_point = 4;
	s[1].packet.type = DRM_MUSA_PKT_NOP;
	s[1].flags = DRM_MUSA_RING_SLOT_LAST;
	s[1].signal_syncobj = r->so_b;
	__atomic_store_n(&r->hdr->wptr, 2, __ATOMIC_SEQ_CST);
	return kt_ioctl(r->e.fd, DRM_IOCTL_MUSA_QUEUE_DOORBELL, &d);
}

START_TEST(test_ring_take_alloc_failure_attaches_nothing)
{
	uint64_t count;

	{
		struct sa_ring r = sa_ring_open();

		kat_count_start();
		ck_assert_int_eq(sa_ring_submit(&r, 1), 0);
		count = kat_count();
		ck_assert_int_eq(kt_wait(r.e.fd, r.so_a, 4, SA_WAIT_NS), 0);
		ck_assert_int_eq(kt_wait(r.e.fd, r.so_b, 0, SA_WAIT_NS), 0);
		sa_assert_mem(&r.e, 1);
		ck_assert_int_eq(r.hdr->error, 0);
		/* job, packets, resources, marks, syncobjs, and a fence and a
		 * slot per submission */
		ck_assert_uint_ge(count, 5 + 2 * 2);
		musa_kmd_close(r.e.fd);
	}
	for (uint64_t k = 1; k <= count; k++) {
		struct sa_ring r = sa_ring_open();
		struct drm_musa_ctx_query cq = { 0 };

		kmd_alloc_fail_at(k);
		ck_assert_int_eq(sa_ring_submit(&r, 2), 0);
		ck_assert_uint_eq(kmd_alloc_fail_at(0), 0);
		/* the batch was taken and dropped whole */
		ck_assert_uint_eq(__atomic_load_n(&r.hdr->rptr, __ATOMIC_ACQUIRE), 2);
		ck_assert_int_eq(r.hdr->error, -ENOMEM);
		ck_assert_int_eq(kt_ioctl(r.e.fd, DRM_IOCTL_MUSA_CTX_QUERY, &cq), 0);
		ck_assert_uint_eq(cq.fault_kind, DRM_MUSA_FAULT_OUT_OF_RESOURCES);
		ck_assert_uint_eq(sa_last_submitted(r.e.fd, r.so_a), 0);
		ck_assert_int_eq(sa_poll(r.e.fd, r.so_a, 4), ETIME);
		ck_assert_int_eq(sa_poll(r.e.fd, r.so_b, 0), ETIME);
		sa_assert_mem(&r.e, 0);
		musa_kmd_close(r.e.fd);
	}
}
END_TEST

/* TIMELINE_SIGNAL of several syncobjs attaches all points or none. */
START_TEST(test_timeline_signal_alloc_failure_attaches_nothing)
{
	struct sa_env e = sa_setup();
	uint64_t count;

	for (uint64_t k = 0;; k++) {
		uint32_t so[3] = { kt_syncobj(e.fd, 0), kt_syncobj(e.fd, 0), kt_syncobj(e.fd, 0) };
		uint64_t points[3] = { 3, 0, 9 };
		struct drm_syncobj_timeline_array a = {
			.handles = (uintptr_t)so, .points = (uintptr_t)points, .count_handles = 3,
		};

		if (k == 0) {
			kat_count_start();
			ck_assert_int_eq(kt_ioctl(e.fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a), 0);
			count = kat_count();
			/* the fence, and a slot in each syncobj */
			ck_assert_uint_ge(count, 1 + 3);
			continue;
		}
		if (k > count)
			break;
		kmd_alloc_fail_at(k);
		ck_assert_int_eq(kt_ioctl(e.fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a), ENOMEM);
		ck_assert_uint_eq(kmd_alloc_fail_at(0), 0);
		for (int i = 0; i < 3; i++) {
			ck_assert_uint_eq(sa_last_submitted(e.fd, so[i]), 0);
			ck_assert_int_eq(sa_poll(e.fd, so[i], points[i]), ETIME);
		}
		ck_assert_int_eq(kt_ioctl(e.fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &a), 0);
		for (int i = 0; i < 3; i++)
			ck_assert_int_eq(sa_poll(e.fd, so[i], points[i]), 0);
	}
	musa_kmd_close(e.fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kmd_submit_alloc");
	TCase *tc = tcase_create("transactional");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_submit_alloc_failure_changes_nothing);
	tcase_add_test(tc, test_ring_take_alloc_failure_attaches_nothing);
	tcase_add_test(tc, test_timeline_signal_alloc_failure_attaches_nothing);
	suite_add_tcase(s, tc);
	return kt_run_suite(s);
}
