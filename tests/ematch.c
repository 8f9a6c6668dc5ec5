/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ematch - grep -Eq as a service for the end-to-end tests (tests/lib.sh):
 * a test makes hundreds of checks of the form "this file has a line that
 * matches this extended regular expression", and a grep a check costs a
 * process, more than anything else the check does.  One ematch a test
 * answers them all.
 *
 * It reads requests of two lines each, a file's path and a pattern, and
 * answers each with a line: "0" when a line of the file matches the
 * pattern (POSIX extended syntax, with glibc's extensions, as grep -E),
 * "1" when none does, or "2 REASON" when it cannot tell (the file cannot
 * be read, the pattern does not compile).  It ends at the end of its
 * input, or with the test that started it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <locale.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <signal.h>
#include <sys/prctl.h>
#endif

static void chomp(char *line, ssize_t *len)
{
	if (*len > 0 && line[*len - 1] == '\n')
		line[--*len] = '\0';
}

/* 0, 1 or 2 as the protocol says; the reason in why */
static int match_file(const char *path, const char *pattern, char *why, size_t whylen)
{
	regex_t re;
	int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		char msg[200];
		regerror(rc, &re, msg, sizeof msg);
		snprintf(why, whylen, "the pattern does not compile: %s", msg);
		return 2;
	}
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(why, whylen, "%s", strerror(errno));
		regfree(&re);
		return 2;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int found = 1;
	while (found == 1 && (len = getline(&line, &cap, f)) >= 0) {
		chomp(line, &len);
		/* the whole line, NUL bytes and all, as grep reads it */
		regmatch_t span = { .rm_so = 0, .rm_eo = len };
		if (regexec(&re, line, 1, &span, REG_STARTEND) == 0)
			found = 0;
	}
	if (found == 1 && ferror(f)) {
		snprintf(why, whylen, "%s", strerror(errno));
		found = 2;
	}
	free(line);
	fclose(f);
	regfree(&re);
	return found;
}

int main(void)
{
#ifdef __linux__
	/* gone with the test, even when a program it started holds our input */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
	setlocale(LC_ALL, "");
	char *path = NULL, *pattern = NULL;
	size_t pathcap = 0, patcap = 0;
	ssize_t pathlen, patlen;
	while ((pathlen = getline(&path, &pathcap, stdin)) >= 0 &&
	       (patlen = getline(&pattern, &patcap, stdin)) >= 0) {
		chomp(path, &pathlen);
		chomp(pattern, &patlen);
		char why[400] = "";
		int rc = match_file(path, pattern, why, sizeof why);
		if (rc == 2)
			printf("2 %s\n", why);
		else
			printf("%d\n", rc);
		if (fflush(stdout) != 0)
			break;
	}
	free(path);
	free(pattern);
	return 0;
}
