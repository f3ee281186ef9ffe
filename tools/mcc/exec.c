/* SPDX-License-Identifier: MIT */
/*
 * exec.c - running the host compiler for mcc. May call libc only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mcc.h"

int mcc_verbose;
int mcc_dryrun;

static int run(char *const argv[], const char *errpath, const char *inpath);

int mcc_run(char *const argv[])
{
	return run(argv, NULL, NULL);
}

int mcc_run_to(char *const argv[], const char *errpath)
{
	return run(argv, errpath, NULL);
}

int mcc_run_in(char *const argv[], const char *inpath)
{
	return run(argv, NULL, inpath);
}

static int run(char *const argv[], const char *errpath, const char *inpath)
{
	pid_t pid;
	int st, i;

	if (mcc_verbose || mcc_dryrun) {
		fputs(mcc_dryrun ? "#$ " : "", stderr);
		for (i = 0; argv[i]; i++)
			fprintf(stderr, "%s%s", i ? " " : "", argv[i]);
		if (inpath)
			fprintf(stderr, " < %s", inpath);
		fputc('\n', stderr);
	}
	if (mcc_dryrun)
		return 0;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "mcc: error: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (errpath) {
			int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

			if (fd >= 0)
				dup2(fd, 2);
		}
		if (inpath) {
			int fd = open(inpath, O_RDONLY | O_CLOEXEC);

			if (fd < 0 || dup2(fd, 0) < 0)
				_exit(127);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "mcc: error: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}
