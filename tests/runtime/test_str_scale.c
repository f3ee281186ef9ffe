/* SPDX-License-Identifier: MIT */
/*
 * test_str_scale.c - streams and events in large numbers, and running out
 * of threads: tens of thousands of live streams cost no thread each, event
 * creation and destruction do not slow down with the number of live
 * objects, and a launch that finds no compute unit able to start fails on
 * its own without poisoning the context.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "rt_test.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RT_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define RT_SANITIZED 1
#endif
#endif

#define N_STREAMS 40000
#define N_EVENTS  400000
/* Threads the stack may add beyond those running after the first launch
 * (its CP and CU pools), whatever the number of streams. */
#define THREAD_SLACK 4

static struct rt_kernels_fatbin kernels;

static void setup_kernels(void)
{
	rt_register_test_kernels(&kernels);
}

static int thread_count(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* One launch of add_one on `s` and its result. */
static void launch_and_check(int *d, musaStream_t s)
{
	int h = -1;

	ck_assert_int_eq(musaMemsetAsync(d, 0, sizeof(int), s), musaSuccess);
	ck_assert_int_eq(rt_launch_add_one(d, 1, 1, s), musaSuccess);
	ck_assert_int_eq(musaMemcpyAsync(&h, d, sizeof(int), musaMemcpyDeviceToHost, s),
			 musaSuccess);
	ck_assert_int_eq(musaStreamSynchronize(s), musaSuccess);
	ck_assert_int_eq(h, 1);
}

START_TEST(test_many_streams_bounded_threads)
{
	musaStream_t *s = calloc(N_STREAMS, sizeof(*s));
	int *d, base;

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(musaMalloc((void **)&d, sizeof(int)), musaSuccess);
	ck_assert_int_eq(rt_launch_add_one(d, 1, 1, 0), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	base = thread_count();
	for (int i = 0; i < N_STREAMS; i++) {
		ck_assert_msg(musaStreamCreate(&s[i]) == musaSuccess, "stream %d not created", i);
		if (i % 1000 == 999)
			ck_assert_msg(thread_count() <= base + THREAD_SLACK,
				      "%d threads with %d streams (%d before)", thread_count(),
				      i + 1, base);
	}
	launch_and_check(d, s[0]);
	launch_and_check(d, s[N_STREAMS / 2]);
	launch_and_check(d, s[N_STREAMS - 1]);
	ck_assert_int_le(thread_count(), base + THREAD_SLACK);
	for (int i = 0; i < N_STREAMS; i++)
		ck_assert_int_eq(musaStreamDestroy(s[i]), musaSuccess);
	ck_assert_int_eq(musaFree(d), musaSuccess);
	free(s);
}
END_TEST

/* Before handle tables and slot lists were O(1), destroying this many
 * took minutes (each destroy walked the live ones). */
START_TEST(test_many_events_create_destroy)
{
	musaEvent_t *e = calloc(N_EVENTS, sizeof(*e));
	musaStream_t s;

	ck_assert_ptr_nonnull(e);
	for (int i = 0; i < N_EVENTS; i++)
		ck_assert_msg(musaEventCreate(&e[i]) == musaSuccess, "event %d not created", i);
	ck_assert_int_eq(musaStreamCreate(&s), musaSuccess);
	ck_assert_int_eq(musaEventRecord(e[N_EVENTS - 1], s), musaSuccess);
	ck_assert_int_eq(musaEventSynchronize(e[N_EVENTS - 1]), musaSuccess);
	for (int i = 0; i < N_EVENTS; i++)
		ck_assert_int_eq(musaEventDestroy(e[i]), musaSuccess);
	ck_assert_int_eq(musaStreamDestroy(s), musaSuccess);
	free(e);
}
END_TEST

static unsigned long long vm_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long long pages = 0;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%llu", &pages), 1);
	fclose(f);
	return pages * (unsigned long long)sysconf(_SC_PAGESIZE);
}

/*
 * The first launch starts the compute units. With the address space
 * limited so that no CU thread gets its stack, that launch fails with
 * LaunchOutOfResources; nothing is sticky, and once the limit is lifted
 * the next launch starts the CUs and runs.
 */
START_TEST(test_cu_start_failure_not_sticky)
{
	struct rlimit old, tight;
	int *d, h = -1;

#ifdef RT_SANITIZED
	return;  /* a sanitizer's allocator needs address space of its own */
#endif
	ck_assert_int_eq(musaMalloc((void **)&d, sizeof(int)), musaSuccess);
	ck_assert_int_eq(musaMemset(d, 0, sizeof(int)), musaSuccess);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	ck_assert_int_eq(getrlimit(RLIMIT_AS, &old), 0);
	tight = old;
	tight.rlim_cur = vm_bytes() + (16ull << 20);
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &tight), 0);
	ck_assert_int_eq(rt_launch_add_one(d, 1, 1, 0), musaErrorLaunchOutOfResources);
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &old), 0);
	ck_assert_int_eq(musaGetLastError(), musaErrorLaunchOutOfResources);
	ck_assert_int_eq(musaDeviceSynchronize(), musaSuccess);
	ck_assert_int_eq(musaGetLastError(), musaSuccess);
	ck_assert_int_eq(rt_launch_add_one(d, 1, 1, 0), musaSuccess);
	ck_assert_int_eq(musaMemcpy(&h, d, sizeof(int), musaMemcpyDeviceToHost), musaSuccess);
	ck_assert_int_eq(h, 1);
	ck_assert_int_eq(musaFree(d), musaSuccess);
}
END_TEST

static Suite *scale_suite(void)
{
	Suite *s = suite_create("runtime_str_scale");
	TCase *tc = tcase_create("scale");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup_kernels, NULL);
	tcase_add_test(tc, test_many_streams_bounded_threads);
	tcase_add_test(tc, test_many_events_create_destroy);
	tcase_add_test(tc, test_cu_start_failure_not_sticky);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	Suite *suites[] = { scale_suite() };

	return rt_run_suites(suites, 1);
}
