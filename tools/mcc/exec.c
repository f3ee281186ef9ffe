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

int mcc_run(char *const argv[])
{
	return mcc_run_to(argv, NULL);
}

int mcc_run_to(char *const argv[], const char *errpath)
{
	pid_t pid;
	int st, i;

	if (mcc_verbose || mcc_dryrun) {
		fputs(mcc_dryrun ? "#$ " : "", stderr);
		for (i = 0; argv[i]; i++)
			fprintf(stderr, "%s%s", i ? " " : "", argv[i]);
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
