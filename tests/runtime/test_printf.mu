/* SPDX-License-Identifier: MIT */
/*
 * test_printf.mu - device printf: the text kernels print reaches stdout at
 * synchronization points, in order, with every format; a full FIFO drops
 * records silently; musaLimitPrintfFifoSize sizes the FIFO and can only be
 * set before a kernel using printf was loaded. Each test redirects stdout
 * into a file and reads back what the device wrote there.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <musa_runtime.h>

#define OK(call) ck_assert_int_eq((int)(call), (int)musaSuccess)

__global__ void hello(int tag, double d, const char *s)
{
	if (threadIdx.x == 0)
		printf("block %d tag=%d d=%.3f s=%s hex=%x ll=%lld c=%c\n", blockIdx.x, tag, d, s,
		       255u, -1234567890123ll, 'Q');
}

__global__ void plain(void)
{
	printf("plain line\n");   /* C compilers turn this into puts() */
	putchar('!');
	putchar('\n');
}

__global__ void many(int n)
{
	int i = blockIdx.x * blockDim.x + threadIdx.x;

	if (i < n)
		printf("line %06d\n", i);
}

/* Points stdout at a fresh temporary file; returns the old stdout fd. */
static int capture_begin(FILE **tmp)
{
	int saved;

	fflush(stdout);
	saved = dup(1);
	*tmp = tmpfile();
	ck_assert_ptr_nonnull(*tmp);
	ck_assert_int_ge(dup2(fileno(*tmp), 1), 0);
	return saved;
}

/* Restores stdout; returns what was written (malloc'd, NUL-terminated). */
static char *capture_end(FILE *tmp, int saved)
{
	long n;
	char *text;

	fflush(stdout);
	ck_assert_int_ge(dup2(saved, 1), 0);
	close(saved);
	n = ftell(tmp) >= 0 ? (fseek(tmp, 0, SEEK_END), ftell(tmp)) : 0;
	rewind(tmp);
	text = (char *)calloc(1, (size_t)n + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq((long)fread(text, 1, (size_t)n, tmp), n);
	fclose(tmp);
	return text;
}

START_TEST(test_printf_formats_flushed_at_synchronize)
{
	FILE *tmp;
	int saved = capture_begin(&tmp);
	char *out, expect[256], *s;
	int found = 0;

	OK(musaMalloc((void **)&s, 8));
	OK(musaMemcpy(s, "dev", 4, musaMemcpyHostToDevice));
	hello<<<3, 32>>>(42, 3.14159, s);
	OK(musaGetLastError());
	OK(musaDeviceSynchronize());
	out = capture_end(tmp, saved);
	/* blocks may run in any order, each line exactly once */
	for (int b = 0; b < 3; b++) {
		snprintf(expect, sizeof(expect),
			 "block %d tag=42 d=3.142 s=dev hex=ff ll=-1234567890123 c=Q\n", b);
		ck_assert_msg(strstr(out, expect) != NULL, "missing: %s in:\n%s", expect, out);
		found += (int)strlen(expect);
	}
	ck_assert_int_eq((int)strlen(out), found);
	free(out);
	OK(musaFree(s));
}
END_TEST

START_TEST(test_printf_nothing_before_sync_and_order_kept)
{
	FILE *tmp;
	int saved = capture_begin(&tmp);
	char *out;
	musaStream_t st;
	musaEvent_t ev;

	OK(musaStreamCreate(&st));
	OK(musaEventCreate(&ev));
	plain<<<1, 1, 0, st>>>();
	OK(musaEventRecord(ev, st));
	OK(musaEventSynchronize(ev));
	many<<<1, 1, 0, st>>>(1);
	OK(musaStreamSynchronize(st));
	out = capture_end(tmp, saved);
	ck_assert_str_eq(out, "plain line\n!\nline 000000\n");
	free(out);
	OK(musaStreamDestroy(st));
	OK(musaEventDestroy(ev));
}
END_TEST

START_TEST(test_printf_every_record_of_a_big_grid)
{
	FILE *tmp;
	int saved = capture_begin(&tmp);
	char *out, line[32];
	const int n = 2000;

	many<<<(n + 127) / 128, 128>>>(n);
	OK(musaDeviceSynchronize());
	/* a second round reuses the drained FIFO */
	many<<<(n + 127) / 128, 128>>>(n);
	OK(musaDeviceSynchronize());
	out = capture_end(tmp, saved);
	ck_assert_int_eq((int)strlen(out), 2 * n * 12);
	for (int i = 0; i < n; i += 97) {
		const char *p;

		snprintf(line, sizeof(line), "line %06d\n", i);
		p = strstr(out, line);
		ck_assert_ptr_nonnull(p);
		ck_assert_ptr_nonnull(strstr(p + 1, line));
	}
	free(out);
}
END_TEST

START_TEST(test_printf_fifo_limit_drops_overflow)
{
	FILE *tmp;
	int saved;
	size_t v = 0;
	char *out;
	const size_t fifo = 4096;

	OK(musaDeviceGetLimit(&v, musaLimitPrintfFifoSize));
	ck_assert_uint_eq(v, 1u << 20);
	OK(musaDeviceSetLimit(musaLimitPrintfFifoSize, fifo));
	OK(musaDeviceGetLimit(&v, musaLimitPrintfFifoSize));
	ck_assert_uint_eq(v, fifo);
	saved = capture_begin(&tmp);
	many<<<8, 128>>>(1024);     /* 1024 records of 24 bytes: most are dropped */
	OK(musaDeviceSynchronize());
	out = capture_end(tmp, saved);
	/* only whole lines, at most what fits in the FIFO */
	ck_assert_int_gt((int)strlen(out), 0);
	ck_assert_int_le((int)strlen(out), (int)(fifo / 24 * 12));
	ck_assert_int_eq((int)strlen(out) % 12, 0);
	free(out);
	/* the kernel is loaded: the FIFO can no longer change */
	ck_assert_int_eq(musaDeviceSetLimit(musaLimitPrintfFifoSize, 8192), musaErrorInvalidValue);
	ck_assert_int_eq(musaGetLastError(), musaErrorInvalidValue);
	/* and after the drain there is room again */
	saved = capture_begin(&tmp);
	many<<<1, 4>>>(4);
	OK(musaDeviceSynchronize());
	out = capture_end(tmp, saved);
	ck_assert_str_eq(out, "line 000000\nline 000001\nline 000002\nline 000003\n");
	free(out);
}
END_TEST

START_TEST(test_limit_errors)
{
	size_t v = 0;

	ck_assert_int_eq(musaDeviceSetLimit(musaLimitPrintfFifoSize, 0), musaErrorInvalidValue);
	ck_assert_int_eq(musaDeviceSetLimit(musaLimitStackSize, 4096), musaSuccess);
	ck_assert_int_eq(musaDeviceGetLimit(&v, musaLimitStackSize), musaSuccess);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(musaDeviceSetLimit(musaLimitStackSize, 1u << 30), musaErrorInvalidValue);
	ck_assert_int_eq(musaDeviceSetLimit(musaLimitDevRuntimeSyncDepth, 4), musaErrorUnsupportedLimit);
	ck_assert_int_eq(musaDeviceGetLimit(&v, (enum musaLimit)77), musaErrorUnsupportedLimit);
	ck_assert_int_eq(musaDeviceGetLimit(NULL, musaLimitMallocHeapSize), musaErrorInvalidValue);
	musaGetLastError();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("printf");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_printf_formats_flushed_at_synchronize);
	tcase_add_test(tc, test_printf_nothing_before_sync_and_order_kept);
	tcase_add_test(tc, test_printf_every_record_of_a_big_grid);
	tcase_add_test(tc, test_printf_fifo_limit_drops_overflow);
	tcase_add_test(tc, test_limit_errors);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
