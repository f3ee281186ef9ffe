/* SPDX-License-Identifier: MIT */
/*
 * test_sched.c - how the host waits: musaSetDeviceFlags' scheduling values
 * (Auto, Spin, Yield, BlockingSync) and musaEventBlockingSync events. Every
 * value completes launches, copies and waits in order; a blocking wait, and
 * an automatic one, leave an idle process using (almost) no CPU while it
 * waits: spinning is bounded and never outlives a short window.
 */
#include <time.h>

#include "rt_test.h"

static struct rt_kernels_fatbin kernels;

static void setup_kernels(void)
{
	rt_register_test_kernels(&kernels);
}

static const unsigned int sched_values[] = {
	musaDeviceScheduleAuto, musaDeviceScheduleSpin, musaDeviceScheduleYield,
	musaDeviceScheduleBlockingSync,
};

/* Every scheduling value runs a chain of small launches and waits. */
START_TEST(test_each_schedule_value_completes_work_in_order)
{
	enum { N = 64, ROUNDS = 200 };
	unsigned int flags = 0;
	musaStream_t s;
	musaEvent_t e;
	int *d, h[N];

	ck_assert_int_eq(musaSetDeviceFlags(sched_values[_i]), musaSuccess);
	ck_assert_int_eq(musaGetDeviceFlags(&flags), musaSuccess);
	ck_assert_uint_eq(flags & musaDeviceScheduleMask, sched_values[_i]);
	ck_assert_int_eq(musaMalloc((void **)&d, sizeof(h)), musaSuccess);
	ck_assert_int_eq(musaMemset(d, 0, sizeof(h)), musaSuccess);
	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(musaEventCreate(&e), musaSuccess);
	for (int r = 0; r < ROUNDS; r++) {
		ck_assert_int_eq(rt_launch_add_one(d, N, 32, s), musaSuccess);
		if (r % 3 == 0) {
			ck_assert_int_eq(musaStreamSynchronize(s), musaSuccess);
		} else if (r % 3 == 1) {
			ck_assert_int_eq(musaEventRecord(e, s), musaSuccess);
			ck_assert_int_eq(musaEventSynchronize(e), musaSuccess);
			ck_assert_int_eq(musaEventQuery(e), musaSuccess);
		}
	}
	ck_assert_int_eq(musaMemcpy(h, d, sizeof(h), musaMemcpyDeviceToHost), musaSuccess);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(h[i], ROUNDS);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	ck_assert_int_eq(musaEventDestroy(e), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

static double process_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static double wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static void sleep_400ms(void *arg)
{
	struct timespec d = { 0, 400000000 };

	(void)arg;
	nanosleep(&d, NULL);
}

/*
 * The stream is held by a host function that sleeps 400 ms: nothing in the
 * process has work, so the CPU time it uses while the host waits is what
 * the waiting costs. Returns that CPU time.
 */
static double idle_wait_cpu_ms(unsigned int sched, unsigned int event_flags)
{
	musaStream_t s;
	musaEvent_t e;
	double cpu0, t0, cpu;

	ck_assert_int_eq(musaSetDeviceFlags(sched), musaSuccess);
	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(musaEventCreateWithFlags(&e, event_flags), musaSuccess);
	ck_assert_int_eq(musaStreamSynchronize(s), musaSuccess);
	cpu0 = process_cpu_ms();
	t0 = wall_ms();
	ck_assert_int_eq(musaLaunchHostFunc(s, sleep_400ms, NULL), musaSuccess);
	ck_assert_int_eq(musaEventRecord(e, s), musaSuccess);
	ck_assert_int_eq(musaEventQuery(e), musaErrorNotReady);
	ck_assert_int_eq(musaEventSynchronize(e), musaSuccess);
	cpu = process_cpu_ms() - cpu0;
	ck_assert_double_ge(wall_ms() - t0, 390.0);
	ck_assert_int_eq(musaEventDestroy(e), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
	return cpu;
}

START_TEST(test_blocking_sync_idle_wait_uses_no_cpu)
{
	ck_assert_double_lt(idle_wait_cpu_ms(musaDeviceScheduleBlockingSync, musaEventDefault),
			    40.0);
}
END_TEST

/* A blocking event sleeps whatever the device's scheduling value says. */
START_TEST(test_blocking_event_sleeps_under_spin_scheduling)
{
	ck_assert_double_lt(idle_wait_cpu_ms(musaDeviceScheduleSpin, musaEventBlockingSync), 40.0);
}
END_TEST

/* Auto spins only briefly before it sleeps. */
START_TEST(test_auto_idle_wait_spins_only_briefly)
{
	ck_assert_double_lt(idle_wait_cpu_ms(musaDeviceScheduleAuto, musaEventDefault), 40.0);
}
END_TEST

static Suite *sched_suite(void)
{
	Suite *s = suite_create("runtime_sched");
	TCase *tc = tcase_create("sched");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup_kernels, NULL);
	tcase_add_loop_test(tc, test_each_schedule_value_completes_work_in_order, 0,
			    (int)(sizeof(sched_values) / sizeof(sched_values[0])));
	tcase_add_test(tc, test_blocking_sync_idle_wait_uses_no_cpu);
	tcase_add_test(tc, test_blocking_event_sleeps_under_spin_scheduling);
	tcase_add_test(tc, test_auto_idle_wait_spins_only_briefly);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	Suite *suites[] = { sched_suite() };

	return rt_run_suites(suites, 1);
}
