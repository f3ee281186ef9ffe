/* SPDX-License-Identifier: MIT */
/*
 * test_ring.c - the driver API over the queues' user-mode rings: more
 * streams than the context has rings (the rest use SUBMIT), a module
 * unloaded and an event destroyed right after work that names them was
 * written to a busy stream, stream order between ring launches and
 * SUBMITted copies,
 * stream query and sync learning completion from the ring, and a kernel
 * fault seen through the ring's fault word.
 */
#include "umd_test.h"

static MUmodule ut_mod;
static MUfunction ut_spin, ut_poke;

static void setup(void)
{
	ut_setup();
	ut_spin = ut_func(&ut_mod, "spin");
	MU_OK(muModuleGetFunction(&ut_poke, ut_mod, "poke"));
}

static void poke(MUstream s, MUdeviceptr addr, int value)
{
	void *args[] = { &addr, &value };

	MU_OK(muLaunchKernel(ut_poke, 1, 1, 1, 1, 1, 1, 0, s, args, NULL));
}

static void spin(MUstream s, MUdeviceptr flag, int ms, int value)
{
	void *args[] = { &flag, &ms, &value };

	MU_OK(muLaunchKernel(ut_spin, 1, 1, 1, 1, 1, 1, 0, s, args, NULL));
}

/* 48 streams (the context has 32 rings): every one runs its launches in
 * order and syncs, whichever way it submits. */
START_TEST(test_more_streams_than_rings)
{
	enum { NS = 48, PER = 20 };
	MUstream s[NS];
	MUdeviceptr d;
	int host[NS];

	MU_OK(muMemAlloc(&d, NS * sizeof(int)));
	for (int i = 0; i < NS; i++)
		MU_OK(muStreamCreate(&s[i], i % 2 ? MU_STREAM_NON_BLOCKING : MU_STREAM_DEFAULT));
	for (int k = 1; k <= PER; k++)
		for (int i = 0; i < NS; i++)
			poke(s[i], d + (MUdeviceptr)i * sizeof(int), i * 100 + k);
	for (int i = 0; i < NS; i++) {
		MU_OK(muStreamSynchronize(s[i]));
		ck_assert_int_eq(muStreamQuery(s[i]), MUSA_SUCCESS);
	}
	MU_OK(muMemcpyDtoH(host, d, sizeof(host)));
	for (int i = 0; i < NS; i++) {
		ck_assert_int_eq(host[i], i * 100 + PER);
		MU_OK(muStreamDestroy(s[i]));
	}
}
END_TEST

/* Streams destroyed and created again reuse the rings: a new stream's
 * timeline starts from nothing, not from the last owner's. */
START_TEST(test_rings_are_reused_by_new_streams)
{
	MUdeviceptr d;
	int v = 0;

	MU_OK(muMemAlloc(&d, sizeof(int)));
	for (int round = 0; round < 100; round++) {
		MUstream s;

		MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
		if (round % 10 == 0) {
			spin(s, d, 30, round);
			ck_assert_int_eq(muStreamQuery(s), MUSA_ERROR_NOT_READY);
		} else {
			poke(s, d, round);
		}
		MU_OK(muStreamSynchronize(s));
		MU_OK(muMemcpyDtoH(&v, d, sizeof(v)));
		ck_assert_int_eq(v, round);
		MU_OK(muStreamDestroy(s));
	}
}
END_TEST

/* A module unloaded right after a launch on a busy stream: the launch
 * still runs and nothing faults. */
START_TEST(test_unload_after_launch_keeps_the_launch)
{
	MUdeviceptr d;
	MUmodule m;
	MUfunction f;
	MUstream s;
	int v = 0, value = 7;
	void *args[] = { &d, &value };

	MU_OK(muMemAlloc(&d, sizeof(int)));
	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	spin(s, d, 50, 1);   /* the queue is busy: the next launch waits */
	MU_OK(muModuleLoad(&m, KERNELS_PATH));
	MU_OK(muModuleGetFunction(&f, m, "poke"));
	MU_OK(muLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, s, args, NULL));
	MU_OK(muModuleUnload(m));
	MU_OK(muStreamSynchronize(s));
	MU_OK(muMemcpyDtoH(&v, d, sizeof(v)));
	ck_assert_int_eq(v, 7);
	MU_OK(muCtxSynchronize());
	MU_OK(muStreamDestroy(s));
}
END_TEST

/* An event recorded on a busy stream and destroyed at once. */
START_TEST(test_event_destroyed_with_record_in_the_ring)
{
	MUdeviceptr d;
	MUstream s;
	MUevent e;

	MU_OK(muMemAlloc(&d, sizeof(int)));
	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	spin(s, d, 30, 1);
	MU_OK(muEventCreate(&e, 0));
	MU_OK(muEventRecord(e, s));
	MU_OK(muEventDestroy(e));
	poke(s, d, 2);
	MU_OK(muStreamSynchronize(s));
	MU_OK(muCtxSynchronize());
	MU_OK(muStreamDestroy(s));
}
END_TEST

/* Ring launches and SUBMITted copies of one stream keep their order. */
START_TEST(test_copies_keep_their_place_among_launches)
{
	enum { N = 200 };
	MUdeviceptr d, out;
	MUstream s;
	int host[N];

	MU_OK(muMemAlloc(&d, sizeof(int)));
	MU_OK(muMemAlloc(&out, N * sizeof(int)));
	MU_OK(muStreamCreate(&s, MU_STREAM_NON_BLOCKING));
	for (int i = 0; i < N; i++) {
		poke(s, d, i);
		MU_OK(muMemcpyDtoDAsync(out + (MUdeviceptr)i * sizeof(int), d, sizeof(int), s));
	}
	MU_OK(muStreamSynchronize(s));
	MU_OK(muMemcpyDtoH(host, out, sizeof(host)));
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(host[i], i);
	MU_OK(muStreamDestroy(s));
}
END_TEST

/* A kernel fault on one stream is seen by a sync of another, idle one. */
START_TEST(test_fault_seen_from_another_stream)
{
	MUstream a, b;

	MU_OK(muStreamCreate(&a, MU_STREAM_NON_BLOCKING));
	MU_OK(muStreamCreate(&b, MU_STREAM_NON_BLOCKING));
	poke(a, 16, 1);   /* no allocation there */
	ck_assert_int_eq(muStreamSynchronize(a), MUSA_ERROR_ILLEGAL_ADDRESS);
	ck_assert_int_eq(muStreamSynchronize(b), MUSA_ERROR_ILLEGAL_ADDRESS);
	ck_assert_int_eq(muCtxSynchronize(), MUSA_ERROR_ILLEGAL_ADDRESS);
}
END_TEST

/* A burst longer than a ring and than the kernarg slots, then one sync. */
START_TEST(test_burst_longer_than_the_ring)
{
	MUdeviceptr d;
	int v = 0;

	MU_OK(muMemAlloc(&d, sizeof(int)));
	for (int i = 1; i <= 5000; i++)
		poke(NULL, d, i);
	MU_OK(muCtxSynchronize());
	MU_OK(muMemcpyDtoH(&v, d, sizeof(v)));
	ck_assert_int_eq(v, 5000);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("umd_ring");
	TCase *tc = tcase_create("ring");

	tcase_add_checked_fixture(tc, setup, ut_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_more_streams_than_rings);
	tcase_add_test(tc, test_rings_are_reused_by_new_streams);
	tcase_add_test(tc, test_unload_after_launch_keeps_the_launch);
	tcase_add_test(tc, test_event_destroyed_with_record_in_the_ring);
	tcase_add_test(tc, test_copies_keep_their_place_among_launches);
	tcase_add_test(tc, test_fault_seen_from_another_stream);
	tcase_add_test(tc, test_burst_longer_than_the_ring);
	suite_add_tcase(s, tc);
	return ut_run(s);
}
