/* SPDX-License-Identifier: MIT */
/*
 * run_cmd.h - shell commands for the suites that drive the built tools
 * (mcc, musify, cmake, make) as a user does: sh() runs one with the test's
 * own output, sh_out() captures what it prints. One status convention for
 * all: the exit status, 128 + the signal when killed, -1 when the command
 * could not run (or did not fit the buffer).
 * May call: system(), popen(), through the shell.
 */
#ifndef TESTS_COMMON_RUN_CMD_H
#define TESTS_COMMON_RUN_CMD_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define RUN_CMD_MAX 8192

static inline int run_cmd_status(int st)
{
	if (st == -1)
		return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* Formats a command into cmd; 0, or -1 when it does not fit (a cut command
 * would run something else). */
static inline int run_cmd_format(char *cmd, size_t n, const char *fmt, va_list ap)
{
	int len = vsnprintf(cmd, n, fmt, ap);

	return len < 0 || (size_t)len >= n ? -1 : 0;
}

static inline int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int sh_out(char *out, size_t outn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Runs a shell command built from fmt; its output goes to the test's. */
static inline int sh(const char *fmt, ...)
{
	char cmd[RUN_CMD_MAX];
	va_list ap;
	int bad;

	va_start(ap, fmt);
	bad = run_cmd_format(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return bad ? -1 : run_cmd_status(system(cmd));
}

/* Runs a shell command built from fmt with stdout and stderr captured: the
 * first outn - 1 bytes into out (NUL-terminated) when out is given, the
 * rest read and dropped, so the command never dies of a closed pipe. */
static inline int sh_out(char *out, size_t outn, const char *fmt, ...)
{
	char cmd[RUN_CMD_MAX], sink[4096];
	size_t n = 0;
	va_list ap;
	FILE *p;
	int bad;

	va_start(ap, fmt);
	bad = run_cmd_format(cmd, sizeof(cmd) - sizeof(" 2>&1"), fmt, ap);
	va_end(ap);
	if (bad)
		return -1;
	strcat(cmd, " 2>&1");
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (out && outn) {
		n = fread(out, 1, outn - 1, p);
		out[n] = 0;
	}
	while (fread(sink, 1, sizeof(sink), p) > 0)
		;
	return run_cmd_status(pclose(p));
}

/* How many times needle occurs in what a command printed. */
static inline int run_cmd_count(const char *out, const char *needle)
{
	int n = 0;

	for (const char *p = out; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

#endif /* TESTS_COMMON_RUN_CMD_H */
