/* SPDX-License-Identifier: GPL-3.0-or-later */
/* explain.c - smtpref explain against Debian's libsisimai-perl, on the
 * same mailboxes, in the same run
 *
 * Usage: explain SMTPREF SAMPLE_DIR
 *
 * The bounces of SAMPLE_DIR (*.eml) are put in one mbox, then the mbox
 * is repeated 1, 4, 16, 64 and 256 times.  For each size, smtpref explain
 * --json reads it (median of 3 runs) and, up to 16 times, so does
 * Sisimai (Sisimai->dump, its JSON); stdout goes to /dev/null.  Printed:
 * megabytes and messages per second, the ratio of the two, and each
 * one's peak resident memory, so that whether memory stays flat as the
 * input grows can be seen.  Sisimai being absent skips its half.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"

#define RUNS 3

static const int scales[] = { 1, 4, 16, 64, 256 };
#define SISIMAI_MAX 16		/* Sisimai is slow: the larger sizes are ours */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* append - one message to the mbox: a "From " line first (unless it has
 * one), body lines starting with "From " quoted (mboxrd) */
static void append(FILE *out, const char *path)
{
	FILE *in = fopen(path, "rb");
	char line[65536];
	int first = 1;

	if (in == NULL) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof line, in)) {
		const char *p = line;

		if (first && strncmp(line, "From ", 5) != 0)
			fputs("From MAILER-DAEMON Thu Apr 29 23:34:45 2021\n", out);
		if (!first) {
			while (*p == '>')
				p++;
			if (strncmp(p, "From ", 5) == 0)
				fputc('>', out);
		}
		fputs(line, out);
		first = 0;
	}
	fputc('\n', out);
	fclose(in);
}

/* build - the sample as one mbox in path; the number of messages */
static int build(const char *dir, const char *path)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, full[4096];
	int n = 0, i;
	FILE *out;

	if (d == NULL) {
		perror(dir);
		exit(2);
	}
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if (l > 4 && strcmp(e->d_name + l - 4, ".eml") == 0) {
			names = realloc(names, (size_t)(n + 1) * sizeof *names);
			if (names == NULL || (names[n] = strdup(e->d_name)) == NULL)
				exit(2);
			n++;
		}
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof *names, by_name);
	if ((out = fopen(path, "w")) == NULL) {
		perror(path);
		exit(2);
	}
	for (i = 0; i < n; i++) {
		snprintf(full, sizeof full, "%s/%s", dir, names[i]);
		append(out, full);
		free(names[i]);
	}
	free(names);
	fclose(out);
	return n;
}

/* repeat - src copied times times into dst; its size in octets */
static long repeat(const char *src, const char *dst, int times)
{
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "w");
	static char buf[1 << 16];
	long total = 0;
	size_t k;
	int i;

	if (in == NULL || out == NULL) {
		perror(dst);
		exit(2);
	}
	for (i = 0; i < times; i++) {
		rewind(in);
		while ((k = fread(buf, 1, sizeof buf, in)) > 0) {
			fwrite(buf, 1, k, out);
			total += (long)k;
		}
	}
	fclose(in);
	if (fclose(out) != 0) {
		perror(dst);
		exit(2);
	}
	return total;
}

static double median(char *const argv[], long *rss, int runs)
{
	double t[RUNS];
	int i;

	for (i = 0; i < runs; i++)
		t[i] = bench_run(argv, rss, 0);
	qsort(t, (size_t)runs, sizeof t[0], bench_cmp);
	return t[runs / 2];
}

int main(int argc, char **argv)
{
	char tmpl[] = "/tmp/smtpref-bench.XXXXXX", base[4096], mbox[4096];
	char *ours[] = { argv[1], "explain", "--json", mbox, NULL };
	char *sisimai[] = { "perl", "-MSisimai", "-e",
		"print Sisimai->dump($ARGV[0]), qq(\\n)", mbox, NULL };
	int have_sisimai, msgs, i;
	long first_rss = 0, last_rss = 0;
	size_t k;

	if (argc != 3) {
		fputs("usage: explain SMTPREF SAMPLE_DIR\n", stderr);
		return 2;
	}
	if (mkdtemp(tmpl) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(base, sizeof base, "%s/base.mbox", tmpl);
	snprintf(mbox, sizeof mbox, "%s/bench.mbox", tmpl);
	msgs = build(argv[2], base);
	have_sisimai = system("perl -MSisimai -e 1 >/dev/null 2>&1") == 0;
	printf("sample: %d messages from %s, put in one mbox and repeated\n", msgs, argv[2]);
	if (!have_sisimai)
		puts("libsisimai-perl is not installed (Debian: libsisimai-perl): its half is skipped");
	printf("%6s %9s %9s | %-33s | %-33s | %s\n", "times", "MB", "messages",
	    "smtpref explain: MB/s msg/s RSS", "Sisimai: MB/s msg/s RSS", "ratio");
	for (k = 0; k < sizeof scales / sizeof scales[0]; k++) {
		long size = repeat(base, mbox, scales[k]), ro = 0, rs = 0;
		double mb = (double)size / 1e6, n = (double)msgs * scales[k];
		double to = median(ours, &ro, RUNS), ts = 0;

		if (k == 0)
			first_rss = ro;
		last_rss = ro;
		printf("%6d %9.2f %9.0f | %9.1f %9.0f %8.1f MiB", scales[k], mb, n,
		    mb / to, n / to, ro / 1024.0);
		if (have_sisimai && scales[k] <= SISIMAI_MAX) {
			ts = median(sisimai, &rs, scales[k] == 1 ? RUNS : 1);
			printf(" | %9.2f %9.0f %8.1f MiB | %.0fx faster, %.1fx less memory\n",
			    mb / ts, n / ts, rs / 1024.0, ts / to, (double)rs / (double)ro);
		} else {
			printf(" | %33s |\n", "-");
		}
		fflush(stdout);
	}
	printf("peak memory of smtpref explain from %dx to %dx the input: %.1f to %.1f MiB\n",
	    scales[0], scales[sizeof scales / sizeof scales[0] - 1],
	    first_rss / 1024.0, last_rss / 1024.0);
	for (i = 0; i < 2; i++)
		unlink(i ? mbox : base);
	rmdir(tmpl);
	return 0;
}
