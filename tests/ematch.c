/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ematch - grep -Eq and cmp -s as a service for the end-to-end tests
 * (tests/lib.sh, tests/tmux-lib.sh): a test makes hundreds of checks of
 * the form "this file has a line that matches this extended regular
 * expression", and a grep a check costs a process, more than anything
 * else the check does.  One ematch a test answers them all.
 *
 * It reads requests of three lines each, and answers each with a line:
 *   match FILE PATTERN  "0" when a line of FILE matches PATTERN (POSIX
 *                       extended syntax, with glibc's extensions, as
 *                       grep -E), "1" when none does
 *   same FILE1 FILE2    "0" when the two files hold the same bytes, "1"
 *                       when they differ
 * or "2 REASON" when it cannot tell (a file cannot be read, the pattern
 * does not compile, the request is not one of these).  It ends at the
 * end of its input, or with the test that started it.
 */
#include <config.h>

#include <errno.h>
#include <locale.h>
#include <regex.h>
#include <stdbool.h>
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

/* 0, 1 or 2 as the protocol says; the reason in why */
static int same_files(const char *a, const char *b, char *why, size_t whylen)
{
	FILE *fa = fopen(a, "rb");
	FILE *fb = fa != NULL ? fopen(b, "rb") : NULL;
	if (fb == NULL) {
		snprintf(why, whylen, "%s: %s", fa == NULL ? a : b, strerror(errno));
		if (fa != NULL)
			fclose(fa);
		return 2;
	}
	int rc = 0;
	for (;;) {
		char ba[4096], bb[4096];
		size_t na = fread(ba, 1, sizeof ba, fa);
		size_t nb = fread(bb, 1, sizeof bb, fb);
		if (na != nb || memcmp(ba, bb, na) != 0) {
			rc = 1;
			break;
		}
		if (na < sizeof ba)
			break;
	}
	if (rc == 0 && (ferror(fa) || ferror(fb))) {
		snprintf(why, whylen, "cannot read %s or %s", a, b);
		rc = 2;
	}
	fclose(fa);
	fclose(fb);
	return rc;
}

/* the line read into *buf, without its newline; false at the end */
static bool next_line(char **buf, size_t *cap)
{
	ssize_t len = getline(buf, cap, stdin);
	if (len < 0)
		return false;
	chomp(*buf, &len);
	return true;
}

int main(void)
{
#ifdef __linux__
	/* gone with the test, even when a program it started holds our input */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
	setlocale(LC_ALL, "");
	char *verb = NULL, *one = NULL, *two = NULL;
	size_t verbcap = 0, onecap = 0, twocap = 0;
	while (next_line(&verb, &verbcap) && next_line(&one, &onecap) &&
	       next_line(&two, &twocap)) {
		char why[600] = "";
		int rc = 2;
		if (strcmp(verb, "match") == 0)
			rc = match_file(one, two, why, sizeof why);
		else if (strcmp(verb, "same") == 0)
			rc = same_files(one, two, why, sizeof why);
		else
			snprintf(why, sizeof why, "no such request: %.60s", verb);
		if (rc == 2)
			printf("2 %s\n", why);
		else
			printf("%d\n", rc);
		if (fflush(stdout) != 0)
			break;
	}
	free(verb);
	free(one);
	free(two);
	return 0;
}
