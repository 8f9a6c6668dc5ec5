/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buildtree.c - does this program run from its build tree? (buildtree.h)
 *
 * The marker is a few lines of text, "NAME=VALUE" each, '#' starting a
 * comment; today one name: lessondir, the absolute path of the source
 * tree's lessons (in a VPATH build they are not under the build tree).
 */
#include <config.h>

#include "cli/buildtree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* self_path - the running executable, resolved: /proc/self/exe, else
 * argv0 when it names a path (a program found through PATH has no '/'
 * in argv0 and cannot be placed without /proc).  0, or -1. */
static int self_path(const char *argv0, char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *real;

	if (n > 0 && (size_t)n < size - 1) {
		buf[n] = 0;
		return 0;
	}
	if (argv0 == NULL || strchr(argv0, '/') == NULL)
		return -1;
	real = realpath(argv0, NULL);
	if (real == NULL)
		return -1;
	n = (ssize_t)strlen(real);
	if ((size_t)n >= size) {
		free(real);
		return -1;
	}
	memcpy(buf, real, (size_t)n + 1);
	free(real);
	return 0;
}

/* read_marker - the lesson directory the marker names into bt; 0, or -1
 * when there is no marker or it names none */
static int read_marker(const char *file, struct buildtree *bt)
{
	FILE *f = fopen(file, "r");
	char line[BUILDTREE_PATH_MAX + 32];

	if (f == NULL)
		return -1;
	bt->lessondir[0] = 0;
	while (fgets(line, sizeof line, f)) {
		size_t n = strlen(line);

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (strncmp(line, "lessondir=", 10) == 0 && line[10] == '/' &&
		    n - 10 < sizeof bt->lessondir)
			memcpy(bt->lessondir, line + 10, n - 10 + 1);
	}
	fclose(f);
	return bt->lessondir[0] ? 0 : -1;
}

int buildtree_find(const char *argv0, struct buildtree *bt)
{
	char file[BUILDTREE_PATH_MAX + sizeof BUILDTREE_MARKER + 1];
	char *slash;

	if (self_path(argv0, bt->dir, sizeof bt->dir) != 0)
		return 0;
	slash = strrchr(bt->dir, '/');
	if (slash == NULL)
		return 0;
	if (slash == bt->dir)
		slash++;	/* the executable is in / */
	*slash = 0;
	snprintf(file, sizeof file, "%s/%s", bt->dir, BUILDTREE_MARKER);
	return read_marker(file, bt) == 0;
}
