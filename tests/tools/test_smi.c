/* SPDX-License-Identifier: MIT */
/*
 * test_smi.c - musa-smi (tools/smi, docs/smi.md) as a user runs it. Worker
 * processes (smi_worker.mu) that allocated a known amount of device memory
 * and launched a known number of kernels are listed with them while they
 * run, and disappear when they end; a record left by a process that is
 * gone (killed, or a pid now used by another process) is neither listed
 * nor kept; MUSA_SMI=0 keeps a process out, and a bad value of it gets
 * one warning. The device views: the table's properties and the memory
 * the processes hold, -L under MUSA_SWDEV and MUSA_VISIBLE_DEVICES, -q
 * with every attribute of musa.h, the error of no device, and the command
 * line.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "musa_smi.h"
#include "../common/run_cmd.h"

#define SMI    TEST_BUILD_DIR "/bin/musa-smi"
#define WORKER TEST_BUILD_DIR "/tests/tools/smi_worker"
#define MIB    (1024ull * 1024ull)

static char out[1 << 20];

struct worker {
	pid_t pid;
	int in;       /* its stdin: closing it ends the worker */
	FILE *out;    /* its stdout */
};

/* Starts `smi_worker mib kernels` with the settings of env ("NAME=VALUE"
 * strings, NULL-terminated; NULL: none) and waits until it is ready. */
static void worker_start(struct worker *w, char *const *env, unsigned int mib,
			 unsigned int kernels)
{
	char amount[32], count[32], line[256];
	int in[2], outp[2];

	snprintf(amount, sizeof(amount), "%u", mib);
	snprintf(count, sizeof(count), "%u", kernels);
	ck_assert_int_eq(pipe2(in, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(outp, O_CLOEXEC), 0);
	w->pid = fork();
	ck_assert_int_ge(w->pid, 0);
	if (w->pid == 0) {
		if (dup2(in[0], 0) < 0 || dup2(outp[1], 1) < 0)
			_exit(127);
		for (; env && *env; env++)
			putenv(*env);
		execl(WORKER, "smi_worker", amount, count, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	w->in = in[1];
	w->out = fdopen(outp[0], "r");
	ck_assert_ptr_nonnull(w->out);
	ck_assert_msg(fgets(line, sizeof(line), w->out) && strcmp(line, "ready\n") == 0,
		      "worker %d did not get ready", (int)w->pid);
}

/* Ends a worker the polite way; it must exit 0. */
static void worker_stop(struct worker *w)
{
	int st;

	close(w->in);
	fclose(w->out);
	ck_assert_int_eq(waitpid(w->pid, &st, 0), w->pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "worker %d: status %d",
		      (int)w->pid, st);
}

/* Ends a worker so that it cannot remove its record. */
static void worker_kill(struct worker *w)
{
	int st;

	ck_assert_int_eq(kill(w->pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(w->pid, &st, 0), w->pid);
	close(w->in);
	fclose(w->out);
}

static void record_path(char *buf, size_t n, pid_t pid)
{
	snprintf(buf, n, "%s/%s%d", MUSA_SMI_DIR, MUSA_SMI_PREFIX, (int)pid);
}

static int record_exists(pid_t pid)
{
	char path[128];

	record_path(path, sizeof(path), pid);
	return access(path, F_OK) == 0;
}

/* Runs musa-smi with `args` (and an environment prefix); its exit status. */
static int smi(const char *env, const char *args)
{
	return sh_out(out, sizeof(out), "env %s %s %s", env ? env : "", SMI, args);
}

struct row {
	int gpu;
	char name[64];
	unsigned long long mib, kernels;
};

/* The process table's line of pid in out: 1 found, 0 not. */
static int find_row(pid_t pid, struct row *r)
{
	for (const char *l = out; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		int p = 0;
		char gpu[16];

		if (sscanf(l, "| %15s | %d | %63[^|]| %lluMiB | %llu |", gpu, &p, r->name, &r->mib,
			   &r->kernels) == 5 && p == (int)pid) {
			r->gpu = strcmp(gpu, "-") == 0 ? -1 : atoi(gpu);
			r->name[strcspn(r->name, " ")] = '\0';
			return 1;
		}
	}
	return 0;
}

/* The MiB the device table shows in use on GPU gpu, or -1. */
static long long device_used_mib(int gpu)
{
	char key[32];
	const char *l, *m;

	snprintf(key, sizeof(key), "\n| %3d | MUSA Software Device", gpu);
	l = strstr(out, key);
	if (!l)
		return -1;
	m = strstr(l, "MiB / ");
	if (!m || memchr(l + 1, '\n', (size_t)(m - l - 1)))
		return -1;
	while (m > l && m[-1] >= '0' && m[-1] <= '9')
		m--;
	return atoll(m);
}

/* The bytes -q reports as pid's memory on its first line for it: 0 or -1. */
static int query_bytes(pid_t pid, unsigned long long *bytes)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), " : %d\n", (int)pid);
	for (p = strstr(out, key); p; p = strstr(p + 1, key)) {
		const char *l = p;

		while (l > out && l[-1] != '\n')
			l--;
		if (strncmp(l, "        Process ID ", 19) != 0)
			continue;
		p = strstr(p, "Used GPU Memory");
		if (!p || !(p = strchr(p, '(')))
			return -1;
		return sscanf(p, "(%llu bytes)", bytes) == 1 ? 0 : -1;
	}
	return -1;
}

START_TEST(test_workers_are_listed_with_their_memory_and_kernels)
{
	struct worker a, b;
	unsigned long long bytes;
	struct row r;

	worker_start(&a, NULL, 8, 3);
	worker_start(&b, NULL, 24, 5);
	ck_assert(record_exists(a.pid) && record_exists(b.pid));

	ck_assert_msg(smi(NULL, "") == 0, "%s", out);
	ck_assert_msg(find_row(a.pid, &r), "worker %d not listed:\n%s", (int)a.pid, out);
	ck_assert_str_eq(r.name, "smi_worker");
	ck_assert_int_eq(r.gpu, 0);
	ck_assert_msg(r.mib >= 8 && r.kernels == 3, "%llu MiB %llu kernels:\n%s", r.mib,
		      r.kernels, out);
	ck_assert_msg(find_row(b.pid, &r), "worker %d not listed:\n%s", (int)b.pid, out);
	ck_assert_msg(r.mib >= 24 && r.kernels == 5, "%llu MiB %llu kernels:\n%s", r.mib,
		      r.kernels, out);
	ck_assert_msg(device_used_mib(0) >= 32, "%s", out);

	ck_assert_msg(smi(NULL, "-q") == 0, "%s", out);
	ck_assert_msg(query_bytes(a.pid, &bytes) == 0 && bytes >= 8 * MIB, "%s", out);
	ck_assert_msg(query_bytes(b.pid, &bytes) == 0 && bytes >= 24 * MIB, "%s", out);

	worker_stop(&a);
	worker_stop(&b);
	ck_assert(!record_exists(a.pid) && !record_exists(b.pid));
	ck_assert_msg(smi(NULL, "") == 0, "%s", out);
	ck_assert_msg(!find_row(a.pid, &r) && !find_row(b.pid, &r), "%s", out);
}
END_TEST

START_TEST(test_a_process_without_memory_or_kernels_is_listed_on_its_device)
{
	struct worker a;
	struct row r;

	worker_start(&a, NULL, 0, 0);
	ck_assert_msg(smi(NULL, "") == 0, "%s", out);
	ck_assert_msg(find_row(a.pid, &r), "%s", out);
	ck_assert(r.gpu == 0 && r.mib == 0 && r.kernels == 0);
	worker_stop(&a);
}
END_TEST

START_TEST(test_a_killed_process_is_not_listed_and_its_record_goes)
{
	struct worker a;
	struct row r;

	worker_start(&a, NULL, 2, 1);
	worker_kill(&a);
	ck_assert_msg(record_exists(a.pid), "a killed process cannot remove its record");
	ck_assert_msg(smi(NULL, "") == 0, "%s", out);
	ck_assert_msg(!find_row(a.pid, &r), "%s", out);
	ck_assert(!record_exists(a.pid));
}
END_TEST

/* Writes a well-formed record for pid, as a process of it would. */
static void record_write(pid_t pid, uint64_t start_ticks, const char *name)
{
	struct musa_smi_record rec;
	char path[128];
	FILE *f;

	memset(&rec, 0, sizeof(rec));
	rec.magic = MUSA_SMI_MAGIC;
	rec.version = MUSA_SMI_VERSION;
	rec.size = sizeof(rec);
	rec.pid = (int32_t)pid;
	rec.start_ticks = start_ticks;
	rec.start_time = (uint64_t)time(NULL);
	rec.ndevices = 1;
	rec.dev[0].mem_used = 5 * MIB;
	rec.dev[0].launches = 7;
	snprintf(rec.name, sizeof(rec.name), "%s", name);
	record_path(path, sizeof(path), pid);
	f = fopen(path, "wx");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(fwrite(&rec, sizeof(rec), 1, f), 1);
	ck_assert_int_eq(fclose(f), 0);
}

/* This process's start time, as a record holds it. */
static uint64_t own_start_ticks(void)
{
	char buf[1024];
	size_t n;
	FILE *f = fopen("/proc/self/stat", "r");

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return musa_smi_stat_start(buf);
}

START_TEST(test_a_record_of_a_dead_pid_is_not_listed_and_goes)
{
	struct row r;
	pid_t dead;
	int st;

	dead = fork();
	ck_assert_int_ge(dead, 0);
	if (dead == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(dead, &st, 0), dead);
	record_write(dead, 0, "stale-record");
	ck_assert_msg(smi(NULL, "") == 0, "%s", out);
	ck_assert_msg(!find_row(dead, &r) && !strstr(out, "stale-record"), "%s", out);
	ck_assert(!record_exists(dead));
}
END_TEST

START_TEST(test_a_record_of_a_reused_pid_is_not_listed_and_goes)
{
	uint64_t ticks = own_start_ticks();
	pid_t self = getpid();
	char path[128];
	struct row r;

	ck_assert(ticks != 0);
	/* The pid runs, but it is not the process that wrote the record. */
	record_write(self, ticks + 1, "reused-pid");
	ck_assert_msg(smi(NULL, "") == 0, "%s", out);
	ck_assert_msg(!strstr(out, "reused-pid"), "%s", out);
	ck_assert(!record_exists(self));

	/* The same record from this very process is listed as written. */
	record_write(self, ticks, "this-process");
	ck_assert_msg(smi(NULL, "") == 0, "%s", out);
	ck_assert_msg(find_row(self, &r), "%s", out);
	ck_assert_str_eq(r.name, "this-process");
	ck_assert(r.mib == 5 && r.kernels == 7);
	ck_assert(record_exists(self));
	record_path(path, sizeof(path), self);
	ck_assert_int_eq(unlink(path), 0);
}
END_TEST

START_TEST(test_musa_smi_0_keeps_a_process_out)
{
	char *const env[] = { "MUSA_SMI=0", NULL };
	struct worker a;
	struct row r;

	worker_start(&a, env, 1, 1);
	ck_assert(!record_exists(a.pid));
	ck_assert_msg(smi(NULL, "") == 0, "%s", out);
	ck_assert_msg(!find_row(a.pid, &r), "%s", out);
	worker_stop(&a);
}
END_TEST

START_TEST(test_a_bad_musa_smi_warns_once)
{
	const char *w;

	ck_assert_msg(sh_out(out, sizeof(out), "MUSA_SMI=yes %s 0 0 < /dev/null", WORKER) == 0,
		      "%s", out);
	w = strstr(out, "musa: warning: MUSA_SMI:");
	ck_assert_msg(w && !strstr(w + sizeof("musa: warning"), "warning") &&
		      strstr(out, "ready"), "%s", out);
}
END_TEST

START_TEST(test_a_process_is_shown_on_the_device_it_uses)
{
	char *const env[] = { "MUSA_SWDEV=count=2", "MUSA_VISIBLE_DEVICES=1", NULL };
	struct worker a;
	struct row r;

	/* The worker's device 0 is physical device 1, which is GPU 1 here. */
	worker_start(&a, env, 3, 2);
	ck_assert_msg(smi("MUSA_SWDEV=count=2", "") == 0, "%s", out);
	ck_assert_msg(find_row(a.pid, &r), "%s", out);
	ck_assert_msg(r.gpu == 1 && r.mib >= 3 && r.kernels == 2, "%s", out);
	/* A view without that device shows the process without a GPU. */
	ck_assert_msg(smi("MUSA_SWDEV=count=2 MUSA_VISIBLE_DEVICES=0", "") == 0, "%s", out);
	ck_assert_msg(find_row(a.pid, &r) && r.gpu == -1, "%s", out);
	worker_stop(&a);
}
END_TEST

START_TEST(test_list_gpus_follows_swdev_and_visible_devices)
{
	ck_assert_msg(smi("MUSA_SWDEV=count=2,arch=sm_80:mp_21", "-L") == 0, "%s", out);
	ck_assert_msg(strstr(out, "GPU 0: MUSA Software Device sm_80 (UUID: GPU-") &&
		      strstr(out, "GPU 1: MUSA Software Device mp_21 (UUID: GPU-") &&
		      !strstr(out, "GPU 2"), "%s", out);
	ck_assert_msg(smi("MUSA_SWDEV=count=2,arch=sm_80:mp_21 MUSA_VISIBLE_DEVICES=1", "-L") == 0,
		      "%s", out);
	ck_assert_msg(strstr(out, "GPU 0: MUSA Software Device mp_21") && !strstr(out, "GPU 1"),
		      "%s", out);
}
END_TEST

START_TEST(test_the_table_shows_the_device_properties)
{
	ck_assert_msg(smi("MUSA_SWDEV=cus=3,arch=mp_21,mem=1G", "") == 0, "%s", out);
	ck_assert_msg(strstr(out, "| MUSA Software Device mp_21 ") &&
		      strstr(out, "| mp_21 | 2.1  |    3 |  128 |") &&
		      strstr(out, " / 1024MiB |"), "%s", out);
}
END_TEST

START_TEST(test_query_prints_every_attribute_of_musa_h)
{
	static char names[65536];
	char *name, *save = NULL, want[128];

	ck_assert_int_eq(sh_out(names, sizeof(names),
				"sed -n 's/^[[:space:]]*MU_DEVICE_ATTRIBUTE_\\([A-Z0-9_]*\\) = .*/\\1/p' "
				"%s/include/musa.h", TEST_SRC_DIR), 0);
	ck_assert_msg(smi(NULL, "--query") == 0, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "Compute Capability"));
	ck_assert_ptr_nonnull(strstr(names, "WARP_SIZE"));
	for (name = strtok_r(names, "\n", &save); name; name = strtok_r(NULL, "\n", &save)) {
		snprintf(want, sizeof(want), "\n        %s ", name);
		ck_assert_msg(strstr(out, want), "-q does not show %s", name);
	}
	ck_assert_ptr_nonnull(strstr(out, "        WARP_SIZE"));
}
END_TEST

START_TEST(test_no_device_is_an_error_that_says_so)
{
	ck_assert_int_eq(smi("MUSA_VISIBLE_DEVICES=", ""), 6);
	ck_assert_msg(strstr(out, "musa-smi: no MUSA device found"), "%s", out);
	ck_assert_int_eq(smi("MUSA_VISIBLE_DEVICES=", "-L"), 6);
}
END_TEST

START_TEST(test_command_line)
{
	ck_assert_int_eq(smi(NULL, "-h"), 0);
	ck_assert_ptr_nonnull(strstr(out, "Usage: musa-smi"));
	ck_assert_int_eq(smi(NULL, "--bogus"), 2);
	ck_assert_ptr_nonnull(strstr(out, "Usage: musa-smi"));
	ck_assert_int_eq(smi(NULL, "extra"), 2);
	ck_assert_int_eq(smi(NULL, "-q -L"), 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("musa-smi");
	TCase *procs = tcase_create("processes");
	TCase *devs = tcase_create("devices");
	SRunner *sr;
	int failed;

	tcase_set_timeout(procs, 120);
	tcase_add_test(procs, test_workers_are_listed_with_their_memory_and_kernels);
	tcase_add_test(procs, test_a_process_without_memory_or_kernels_is_listed_on_its_device);
	tcase_add_test(procs, test_a_killed_process_is_not_listed_and_its_record_goes);
	tcase_add_test(procs, test_a_record_of_a_dead_pid_is_not_listed_and_goes);
	tcase_add_test(procs, test_a_record_of_a_reused_pid_is_not_listed_and_goes);
	tcase_add_test(procs, test_musa_smi_0_keeps_a_process_out);
	tcase_add_test(procs, test_a_bad_musa_smi_warns_once);
	tcase_add_test(procs, test_a_process_is_shown_on_the_device_it_uses);
	suite_add_tcase(s, procs);
	tcase_set_timeout(devs, 120);
	tcase_add_test(devs, test_list_gpus_follows_swdev_and_visible_devices);
	tcase_add_test(devs, test_the_table_shows_the_device_properties);
	tcase_add_test(devs, test_query_prints_every_attribute_of_musa_h);
	tcase_add_test(devs, test_no_device_is_an_error_that_says_so);
	tcase_add_test(devs, test_command_line);
	suite_add_tcase(s, devs);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
