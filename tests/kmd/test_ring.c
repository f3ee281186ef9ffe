/* SPDX-License-Identifier: MIT */
/*
 * test_ring.c - queues with a user-mode ring (DRM_MUSA_QUEUE_RING) and
 * QUEUE_DOORBELL: the create rules, submissions written to the ring and
 * run, the doorbell contract of the `watch` word, bad submissions as
 * faults, a ring that runs away, ordering against SUBMIT, and destroying
 * ioctls that first take what the rings hold.
 */
#include "kmd_test.h"

#define RT_SLOTS 16u
#define RT_BYTES (sizeof(struct drm_musa_ring_header) + RT_SLOTS * sizeof(struct drm_musa_ring_slot))

struct rt_ring {
	int fd;
	uint32_t queue;
	uint32_t bo;
	struct drm_musa_ring_header *hdr;
	struct drm_musa_ring_slot *slots;
};

static int rt_create(int fd, uint64_t ring, uint32_t slots, uint32_t *queue)
{
	struct drm_musa_queue_create q = {
		.flags = DRM_MUSA_QUEUE_RING, .ring = ring, .ring_slots = slots,
	};
	int ret = kt_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &q);

	if (queue)
		*queue = q.handle;
	return ret;
}

static struct rt_ring rt_open(void)
{
	struct rt_ring r = { .fd = kt_open() };
	uint64_t va = kt_bo_va(r.fd, RT_BYTES, &r.bo);

	r.hdr = (struct drm_musa_ring_header *)(uintptr_t)va;
	r.slots = (struct drm_musa_ring_slot *)(r.hdr + 1);
	ck_assert_int_eq(rt_create(r.fd, va, RT_SLOTS, &r.queue), 0);
	return r;
}

static int rt_doorbell(int fd, uint32_t queue)
{
	struct drm_musa_queue_doorbell d = { .queue = queue };

	return kt_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_DOORBELL, &d);
}

/* Writes one submission of n packets; rings the doorbell when the ring is
 * not watched (ring != 0) or never (ring == 0). */
static void rt_write(struct rt_ring *r, const struct drm_musa_packet *p, uint32_t n,
		     uint32_t so, uint64_t point, int ring)
{
	uint64_t w = r->hdr->wptr;

	for (uint32_t i = 0; i < n; i++) {
		struct drm_musa_ring_slot *s = &r->slots[(w + i) % RT_SLOTS];

		memset(s, 0, sizeof(*s));
		s->packet = p[i];
		if (i + 1 == n) {
			s->flags = DRM_MUSA_RING_SLOT_LAST;
			s->signal_syncobj = so;
			s->signal_point = point;
		}
	}
	__atomic_store_n(&r->hdr->wptr, w + n, __ATOMIC_SEQ_CST);
	if (ring && !__atomic_load_n(&r->hdr->watch, __ATOMIC_SEQ_CST))
		ck_assert_int_eq(rt_doorbell(r->fd, r->queue), 0);
}

static struct drm_musa_ctx_query rt_status(int fd)
{
	struct drm_musa_ctx_query q = { 0 };

	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_CTX_QUERY, &q), 0);
	return q;
}

/* Waits (up to 5 s) until no command processor watches the ring. */
static void rt_wait_unwatched(const struct rt_ring *r)
{
	int64_t end = kt_now_ns() + 5000000000ll;

	while (__atomic_load_n(&r->hdr->watch, __ATOMIC_SEQ_CST) && kt_now_ns() < end)
		usleep(1000);
	ck_assert_uint_eq(__atomic_load_n(&r->hdr->watch, __ATOMIC_SEQ_CST), 0);
}

/* QUEUE_CREATE and QUEUE_DOORBELL rules */

START_TEST(test_ring_create_rules)
{
	int fd = kt_open();
	uint32_t h, uh, q;
	uint64_t va = kt_bo_va(fd, 1 << 20, &h);
	void *host = aligned_alloc(4096, 1 << 20);
	struct drm_musa_bo_userptr u = { .user_ptr = (uintptr_t)host, .size = 1 << 20 };
	struct drm_musa_queue_create c = { .ring = va, .ring_slots = 16 };

	/* ring fields without the flag, unknown flags, pad2 */
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &c), EINVAL);
	c.flags = DRM_MUSA_QUEUE_RING << 1;
	c.ring = 0;
	c.ring_slots = 0;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &c), EINVAL);
	c.flags = DRM_MUSA_QUEUE_RING;
	c.ring = va;
	c.ring_slots = 16;
	c.pad2 = 1;
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_QUEUE_CREATE, &c), EINVAL);
	/* no ring, misaligned, slot counts */
	ck_assert_int_eq(rt_create(fd, 0, 16, NULL), EINVAL);
	ck_assert_int_eq(rt_create(fd, va + 8, 16, NULL), EINVAL);
	ck_assert_int_eq(rt_create(fd, va, 24, NULL), EINVAL);
	ck_assert_int_eq(rt_create(fd, va, DRM_MUSA_RING_MIN_SLOTS / 2, NULL), EINVAL);
	ck_assert_int_eq(rt_create(fd, va, DRM_MUSA_RING_MAX_SLOTS * 2, NULL), EINVAL);
	/* outside every BO, running off the BO, in a userptr BO */
	ck_assert_int_eq(rt_create(fd, 64, 16, NULL), EFAULT);
	ck_assert_int_eq(rt_create(fd, va + (1 << 20) - 128, 16, NULL), EFAULT);
	ck_assert_int_eq(kt_ioctl(fd, DRM_IOCTL_MUSA_BO_USERPTR, &u), 0);
	uh = u.handle;
	ck_assert_int_eq(rt_create(fd, kt_map(fd, uh), 16, NULL), EFAULT);
	/* the largest ring that fits */
	ck_assert_int_eq(rt_create(fd, va, 4096, &q), 0);
	ck_assert_uint_ne(q, 0);
	musa_kmd_close(fd);
	free(host);
}
END_TEST

START_TEST(test_doorbell_rules)
{
	struct rt_ring r = rt_open();
	struct drm_musa_queue_doorbell d = { .queue = r.queue, .pad = 1 };

	ck_assert_int_eq(kt_ioctl(r.fd, DRM_IOCTL_MUSA_QUEUE_DOORBELL, &d), EINVAL);
	ck_assert_int_eq(rt_doorbell(r.fd, 999), ENOENT);
	ck_assert_int_eq(rt_doorbell(r.fd, kt_queue(r.fd)), EINVAL);   /* no ring */
	ck_assert_int_eq(rt_doorbell(r.fd, r.queue), 0);               /* nothing new */
	musa_kmd_close(r.fd);
}
END_TEST

/* running what the ring holds */

START_TEST(test_ring_submissions_run_in_order_and_signal)
{
	struct rt_ring r = rt_open();
	uint32_t tl = kt_syncobj(r.fd, 0);
	uint64_t va = kt_bo_va(r.fd, 4096, NULL);
	volatile uint8_t *b = (volatile uint8_t *)(uintptr_t)va;

	/* more submissions than slots: the ring wraps */
	for (uint32_t i = 1; i <= 3 * RT_SLOTS; i++) {
		struct drm_musa_packet p[2] = { kt_fill(va, 64, i, 1), kt_fill(va + 64, 1, i, 1) };

		while (r.hdr->wptr + 2 - __atomic_load_n(&r.hdr->rptr, __ATOMIC_ACQUIRE) > RT_SLOTS)
			ck_assert_int_eq(rt_doorbell(r.fd, r.queue), 0);
		rt_write(&r, p, 2, tl, i, 1);
	}
	ck_assert_int_eq(kt_wait(r.fd, tl, 3 * RT_SLOTS, 10000000000ll), 0);
	ck_assert_uint_eq(b[0], 3 * RT_SLOTS);
	ck_assert_uint_eq(b[63], 3 * RT_SLOTS);
	ck_assert_uint_eq(b[64], 3 * RT_SLOTS);
	ck_assert_uint_eq(__atomic_load_n(&r.hdr->done_point, __ATOMIC_ACQUIRE), 3 * RT_SLOTS);
	ck_assert_uint_eq(__atomic_load_n(&r.hdr->rptr, __ATOMIC_ACQUIRE), 6 * RT_SLOTS);
	ck_assert_int_eq(r.hdr->error, 0);
	ck_assert_uint_eq(r.hdr->fault, 0);
	ck_assert_uint_eq(rt_status(r.fd).status, DRM_MUSA_CTX_STATUS_OK);
	musa_kmd_close(r.fd);
}
END_TEST

/* An unwatched ring is not looked at until its doorbell rings. */
START_TEST(test_unwatched_ring_waits_for_its_doorbell)
{
	struct rt_ring r = rt_open();
	uint32_t tl = kt_syncobj(r.fd, 0);
	uint64_t va = kt_bo_va(r.fd, 4096, NULL);
	struct drm_musa_packet p = kt_fill(va, 1, 5, 1);

	rt_write(&r, &p, 1, tl, 1, 1);
	ck_assert_int_eq(kt_wait(r.fd, tl, 1, 10000000000ll), 0);
	rt_wait_unwatched(&r);
	p = kt_fill(va, 1, 6, 1);
	rt_write(&r, &p, 1, tl, 2, 0);
	ck_assert_int_eq(kt_wait(r.fd, tl, 2, 50000000), ETIME);
	ck_assert_uint_eq(*(volatile uint8_t *)(uintptr_t)va, 5);
	ck_assert_int_eq(rt_doorbell(r.fd, r.queue), 0);
	ck_assert_int_eq(kt_wait(r.fd, tl, 2, 10000000000ll), 0);
	ck_assert_uint_eq(*(volatile uint8_t *)(uintptr_t)va, 6);
	musa_kmd_close(r.fd);
}
END_TEST

/* SUBMIT on a ring queue runs after what the ring already holds. */
START_TEST(test_submit_follows_the_ring)
{
	struct rt_ring r = rt_open();
	uint32_t tl = kt_syncobj(r.fd, 0), gate = kt_syncobj(r.fd, 0);
	uint64_t va = kt_bo_va(r.fd, 4096, NULL);
	struct drm_musa_packet w = { .type = DRM_MUSA_PKT_WAIT }, p = kt_fill(va, 1, 1, 1);
	struct drm_syncobj_array a = { .handles = (uintptr_t)&gate, .count_handles = 1 };

	/* the ring: wait for the gate, then write 1; SUBMIT: write 2 */
	w.sync.syncobj = gate;
	rt_wait_unwatched(&r);
	{
		struct drm_musa_packet two[2] = { w, p };

		rt_write(&r, two, 2, tl, 1, 0);   /* no doorbell: SUBMIT takes it */
	}
	p = kt_fill(va, 1, 2, 1);
	ck_assert_int_eq(kt_submit(r.fd, r.queue, &p, 1, tl, 2), 0);
	ck_assert_int_eq(kt_wait(r.fd, tl, 1, 30000000), ETIME);
	ck_assert_int_eq(kt_ioctl(r.fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a), 0);
	ck_assert_int_eq(kt_wait(r.fd, tl, 2, 10000000000ll), 0);
	ck_assert_uint_eq(*(volatile uint8_t *)(uintptr_t)va, 2);
	ck_assert_uint_eq(__atomic_load_n(&r.hdr->done_point, __ATOMIC_ACQUIRE), 2);
	musa_kmd_close(r.fd);
}
END_TEST

/* Destroying a syncobj a submission in the ring names: the destroy takes
 * the ring first, so the submission holds its syncobj and runs. */
START_TEST(test_destroy_takes_the_rings_first)
{
	struct rt_ring r = rt_open();
	uint32_t tl = kt_syncobj(r.fd, 0), other = kt_syncobj(r.fd, 0);
	struct drm_musa_packet s = { .type = DRM_MUSA_PKT_SIGNAL };
	struct drm_syncobj_destroy d = { .handle = other };

	rt_wait_unwatched(&r);
	s.sync.syncobj = other;
	s.sync.point = 1;
	rt_write(&r, &s, 1, tl, 1, 0);
	ck_assert_int_eq(kt_ioctl(r.fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d), 0);
	ck_assert_int_eq(kt_wait(r.fd, tl, 1, 10000000000ll), 0);
	ck_assert_uint_eq(rt_status(r.fd).status, DRM_MUSA_CTX_STATUS_OK);
	ck_assert_int_eq(r.hdr->error, 0);
	musa_kmd_close(r.fd);
}
END_TEST

/* Closing the fd runs what the ring holds, as for SUBMITted work. */
START_TEST(test_queue_destroy_runs_the_ring)
{
	struct rt_ring r = rt_open();
	uint64_t va = kt_bo_va(r.fd, 4096, NULL);
	struct drm_musa_packet p = kt_fill(va, 1, 7, 1);
	struct drm_musa_queue_destroy d = { .handle = r.queue };

	rt_wait_unwatched(&r);
	rt_write(&r, &p, 1, 0, 0, 0);
	ck_assert_int_eq(kt_ioctl(r.fd, DRM_IOCTL_MUSA_QUEUE_DESTROY, &d), 0);
	ck_assert_uint_eq(*(volatile uint8_t *)(uintptr_t)va, 7);
	musa_kmd_close(r.fd);
}
END_TEST

/* bad submissions */

/* A bad submission does not run, faults the context, tells the errno, and
 * still signals its point. */
static void rt_expect_refused(void (*spoil)(struct drm_musa_ring_slot *s, uint64_t va),
			      int err)
{
	struct rt_ring r = rt_open();
	uint32_t tl = kt_syncobj(r.fd, 0);
	uint64_t va = kt_bo_va(r.fd, 4096, NULL);
	struct drm_musa_packet p = kt_fill(va, 1, 3, 1);
	uint64_t w = r.hdr->wptr;
	struct drm_musa_ctx_query st;

	rt_write(&r, &p, 1, tl, 1, 0);
	spoil(&r.slots[w % RT_SLOTS], va);
	ck_assert_int_eq(rt_doorbell(r.fd, r.queue), 0);
	ck_assert_int_eq(kt_wait(r.fd, tl, 1, 10000000000ll), 0);
	ck_assert_uint_eq(*(volatile uint8_t *)(uintptr_t)va, 0);
	ck_assert_int_eq(__atomic_load_n(&r.hdr->error, __ATOMIC_ACQUIRE), -err);
	ck_assert_uint_eq(__atomic_load_n(&r.hdr->fault, __ATOMIC_ACQUIRE),
			  DRM_MUSA_FAULT_INVALID_PACKET);
	st = rt_status(r.fd);
	ck_assert_uint_eq(st.status, DRM_MUSA_CTX_STATUS_GUILTY);
	ck_assert_uint_eq(st.fault_kind, DRM_MUSA_FAULT_INVALID_PACKET);
	musa_kmd_close(r.fd);
}

static void spoil_type(struct drm_musa_ring_slot *s, uint64_t va)
{
	(void)va;
	s->packet.type = DRM_MUSA_PKT_COUNT;
}

static void spoil_slot_flags(struct drm_musa_ring_slot *s, uint64_t va)
{
	(void)va;
	s->flags |= 2;
}

static void spoil_range(struct drm_musa_ring_slot *s, uint64_t va)
{
	s->packet.fill.dst = va + 4096;
}

static void spoil_kernel(struct drm_musa_ring_slot *s, uint64_t va)
{
	s->packet = kt_dispatch(77, va, 0, 1, 1, 1, 1, 1, 1);
}

START_TEST(test_bad_packet_type_is_refused)
{
	rt_expect_refused(spoil_type, EINVAL);
}
END_TEST

START_TEST(test_bad_slot_flags_are_refused)
{
	rt_expect_refused(spoil_slot_flags, EINVAL);
}
END_TEST

START_TEST(test_range_outside_the_bos_is_refused)
{
	rt_expect_refused(spoil_range, EFAULT);
}
END_TEST

START_TEST(test_unknown_kernel_is_refused)
{
	rt_expect_refused(spoil_kernel, ENOENT);
}
END_TEST

/* Signal fields on a slot that is not a submission's last. */
START_TEST(test_signal_on_an_inner_slot_is_refused)
{
	struct rt_ring r = rt_open();
	uint32_t tl = kt_syncobj(r.fd, 0);
	uint64_t va = kt_bo_va(r.fd, 4096, NULL);
	struct drm_musa_packet p[2] = { kt_fill(va, 1, 1, 1), kt_fill(va + 1, 1, 1, 1) };
	uint64_t w = r.hdr->wptr;

	rt_write(&r, p, 2, tl, 1, 0);
	r.slots[w % RT_SLOTS].signal_syncobj = tl;
	r.slots[w % RT_SLOTS].signal_point = 1;
	ck_assert_int_eq(rt_doorbell(r.fd, r.queue), 0);
	ck_assert_int_eq(kt_wait(r.fd, tl, 1, 10000000000ll), 0);
	ck_assert_uint_eq(*(volatile uint8_t *)(uintptr_t)va, 0);
	ck_assert_uint_eq(*(volatile uint8_t *)(uintptr_t)(va + 1), 0);
	ck_assert_int_eq(r.hdr->error, -EINVAL);
	musa_kmd_close(r.fd);
}
END_TEST

/* A wptr more than the ring's size ahead stops the ring for good. */
START_TEST(test_runaway_wptr_stops_the_ring)
{
	struct rt_ring r = rt_open();
	uint32_t tl = kt_syncobj(r.fd, 0);
	uint64_t va = kt_bo_va(r.fd, 4096, NULL);
	struct drm_musa_packet p = kt_fill(va, 1, 4, 1);

	__atomic_store_n(&r.hdr->wptr, RT_SLOTS + 1, __ATOMIC_SEQ_CST);
	ck_assert_int_eq(rt_doorbell(r.fd, r.queue), 0);
	ck_assert_int_eq(r.hdr->error, -EINVAL);
	ck_assert_uint_eq(rt_status(r.fd).fault_kind, DRM_MUSA_FAULT_INVALID_PACKET);
	/* a sane wptr afterwards is not looked at */
	__atomic_store_n(&r.hdr->wptr, 0, __ATOMIC_SEQ_CST);
	rt_write(&r, &p, 1, tl, 1, 0);
	ck_assert_int_eq(rt_doorbell(r.fd, r.queue), 0);
	ck_assert_int_eq(kt_wait(r.fd, tl, 1, 50000000), ETIME);
	ck_assert_uint_eq(*(volatile uint8_t *)(uintptr_t)va, 0);
	/* and the fd still closes */
	musa_kmd_close(r.fd);
}
END_TEST

/* A submission longer than the ring can never end: the ring stops. */
START_TEST(test_submission_without_end_stops_the_ring)
{
	struct rt_ring r = rt_open();

	for (uint32_t i = 0; i < RT_SLOTS; i++)
		memset(&r.slots[i], 0, sizeof(r.slots[i]));   /* NOPs, none LAST */
	__atomic_store_n(&r.hdr->wptr, RT_SLOTS / 2, __ATOMIC_SEQ_CST);
	ck_assert_int_eq(rt_doorbell(r.fd, r.queue), 0);
	ck_assert_int_eq(r.hdr->error, 0);             /* not complete yet */
	ck_assert_uint_eq(r.hdr->rptr, 0);
	__atomic_store_n(&r.hdr->wptr, RT_SLOTS, __ATOMIC_SEQ_CST);
	ck_assert_int_eq(rt_doorbell(r.fd, r.queue), 0);
	ck_assert_int_eq(r.hdr->error, -EINVAL);
	musa_kmd_close(r.fd);
}
END_TEST

/* A kernel fault of the fd shows in the `fault` word of every ring. */
START_TEST(test_fault_word_follows_the_context)
{
	struct rt_ring r = rt_open(), r2;
	uint32_t kernels[KT_NKERNELS], tl = kt_syncobj(r.fd, 0);
	uint64_t va = kt_bo_va(r.fd, 4096, NULL);
	uint64_t ring2 = kt_bo_va(r.fd, RT_BYTES, NULL);
	struct drm_musa_packet p;

	r2 = r;
	r2.hdr = (struct drm_musa_ring_header *)(uintptr_t)ring2;
	r2.slots = (struct drm_musa_ring_slot *)(r2.hdr + 1);
	ck_assert_int_eq(rt_create(r.fd, ring2, RT_SLOTS, &r2.queue), 0);
	kt_load_kernels(r.fd, kernels);
	/* the fail kernel's argument: where its good blocks write */
	*(volatile uint64_t *)(uintptr_t)va = va + 512;
	p = kt_dispatch(kernels[KT_FAIL], va, 8, 4, 1, 1, 1, 1, 1);
	rt_write(&r, &p, 1, tl, 1, 1);
	ck_assert_int_eq(kt_wait(r.fd, tl, 1, 10000000000ll), 0);
	ck_assert_uint_eq(rt_status(r.fd).status, DRM_MUSA_CTX_STATUS_GUILTY);
	ck_assert_uint_eq(__atomic_load_n(&r.hdr->fault, __ATOMIC_ACQUIRE), DRM_MUSA_FAULT_ASSERT);
	ck_assert_uint_eq(__atomic_load_n(&r2.hdr->fault, __ATOMIC_ACQUIRE),
			  __atomic_load_n(&r.hdr->fault, __ATOMIC_ACQUIRE));
	ck_assert_int_eq(r.hdr->error, 0);
	musa_kmd_close(r.fd);
}
END_TEST

static Suite *ring_suite(void)
{
	Suite *s = suite_create("kmd_ring");
	TCase *v = tcase_create("rules");
	TCase *b = tcase_create("behaviour");
	TCase *e = tcase_create("bad submissions");

	tcase_add_test(v, test_ring_create_rules);
	tcase_add_test(v, test_doorbell_rules);
	suite_add_tcase(s, v);

	tcase_add_test(b, test_ring_submissions_run_in_order_and_signal);
	tcase_add_test(b, test_unwatched_ring_waits_for_its_doorbell);
	tcase_add_test(b, test_submit_follows_the_ring);
	tcase_add_test(b, test_destroy_takes_the_rings_first);
	tcase_add_test(b, test_queue_destroy_runs_the_ring);
	suite_add_tcase(s, b);

	tcase_add_test(e, test_bad_packet_type_is_refused);
	tcase_add_test(e, test_bad_slot_flags_are_refused);
	tcase_add_test(e, test_range_outside_the_bos_is_refused);
	tcase_add_test(e, test_unknown_kernel_is_refused);
	tcase_add_test(e, test_signal_on_an_inner_slot_is_refused);
	tcase_add_test(e, test_runaway_wptr_stops_the_ring);
	tcase_add_test(e, test_submission_without_end_stops_the_ring);
	tcase_add_test(e, test_fault_word_follows_the_context);
	suite_add_tcase(s, e);
	return s;
}

int main(void)
{
	kt_env();
	return kt_run_suite(ring_suite());
}
