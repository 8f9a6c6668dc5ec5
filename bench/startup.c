/* SPDX-License-Identifier: GPL-3.0-or-later */
/* startup.c - compare the wall time and peak memory of whole processes
 *
 * Usage: startup BASELINE PROGRAM [ARG...]
 *
 * Runs BASELINE and PROGRAM ARG... alternately (RUNS times each, after a
 * warm-up), with stdout sent to /dev/null, and reports the median wall
 * time of each, their ratio, and each one's peak resident memory.  Both
 * are measured in the same run on the same machine, so the ratio means
 * something where absolute times would not.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "proc.h"

#define RUNS 400

static double run(char *const argv[], long *rss)
{
	return bench_run(argv, rss, 0);
}

int main(int argc, char **argv)
{
	static double tb[RUNS], tp[RUNS];
	char *base[] = { argv[1], NULL };
	long rb = 0, rp = 0;
	int i;

	if (argc < 3) {
		fputs("usage: startup BASELINE PROGRAM [ARG...]\n", stderr);
		return 2;
	}
	for (i = 0; i < 20; i++) {
		run(base, &rb);
		run(argv + 2, &rp);
	}
	rb = rp = 0;
	for (i = 0; i < RUNS; i++) {
		tb[i] = run(base, &rb);
		tp[i] = run(argv + 2, &rp);
	}
	qsort(tb, RUNS, sizeof tb[0], bench_cmp);
	qsort(tp, RUNS, sizeof tp[0], bench_cmp);
	printf("runs:            %d each, alternating\n", RUNS);
	printf("baseline median: %.1f us, peak RSS %ld KiB (%s)\n",
	    tb[RUNS / 2] * 1e6, rb, argv[1]);
	printf("program median:  %.1f us, peak RSS %ld KiB (", tp[RUNS / 2] * 1e6, rp);
	for (i = 2; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : ")\n");
	printf("ratio:           %.2fx time, %.2fx memory\n",
	    tp[RUNS / 2] / tb[RUNS / 2], (double)rp / (double)rb);
	return 0;
}
