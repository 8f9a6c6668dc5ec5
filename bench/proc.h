/* SPDX-License-Identifier: GPL-3.0-or-later */
/* proc.h - run a whole process and measure it: wall time and peak
 * resident memory (what the bench programs compare, in the same run) */
#ifndef SMTPREF_BENCH_PROC_H
#define SMTPREF_BENCH_PROC_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* bench_run - one process, stdout to /dev/null; its wall time in
 * seconds, and its peak RSS in KiB to *rss when larger.  A process that
 * fails with a status other than ok ends the bench. */
static inline double bench_run(char *const argv[], long *rss, int ok)
{
	struct rusage ru;
	double t0 = bench_now(), t;
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			close(fd);
		}
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		exit(2);
	}
	t = bench_now() - t0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != ok) {
		fprintf(stderr, "bench: %s failed\n", argv[0]);
		exit(2);
	}
	if (ru.ru_maxrss > *rss)
		*rss = ru.ru_maxrss;
	return t;
}

static inline int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#endif
