/* SPDX-License-Identifier: GPL-3.0-or-later */
/* library.c - where lessons are found: the search path, and every lesson
 * in it in the curriculum's order */
#include <config.h>

#include "lesson/library.h"

#include "lesson/safefile.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/smtpref"
#endif

#define ERR_MAX 512

/* ---- the search path ---------------------------------------------------- */

void lesson_path_init(struct lesson_path *p)
{
	p->n = 0;
}

int lesson_path_add(struct lesson_path *p, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 0)
		return 0;
	if (p->n >= LESSON_DIRS_MAX || n >= LESSON_DIR_LEN)
		return -1;
	while (n > 1 && dir[n - 1] == '/')
		n--;
	memcpy(p->dirs[p->n], dir, n);
	p->dirs[p->n][n] = 0;
	p->n++;
	return 0;
}

static const char *tree_dir;	/* lesson_set_tree_dir's */

void lesson_set_tree_dir(const char *dir)
{
	tree_dir = dir && *dir ? dir : NULL;
}

const char *lesson_builtin_dir(void)
{
	const char *d = getenv("SMTPREF_LESSON_DIR");

	if (d && *d)
		return d;
	return tree_dir ? tree_dir : PKGDATADIR "/lessons";
}

void lesson_path_defaults(struct lesson_path *p)
{
	const char *s = getenv("SMTPREF_LESSON_PATH");

	while (s && *s) {
		const char *colon = strchr(s, ':');
		size_t n = colon ? (size_t)(colon - s) : strlen(s);
		char dir[LESSON_DIR_LEN];

		if (n > 0 && n < sizeof dir) {
			memcpy(dir, s, n);
			dir[n] = 0;
			lesson_path_add(p, dir);
		}
		s = colon ? colon + 1 : NULL;
	}
	lesson_path_add(p, lesson_builtin_dir());
}

int lesson_is_file(const char *f)
{
	struct stat sb;

	return stat(f, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* short_name - the name without its order prefix: "01-greeting" ->
 * "greeting" */
static const char *short_name(const char *name)
{
	const char *p = name;

	while (*p >= '0' && *p <= '9')
		p++;
	return p > name && (*p == '-' || *p == '_') ? p + 1 : name;
}

int lesson_find(const struct lesson_path *p, const char *name, char *file,
    size_t size)
{
	size_t i, n = strlen(name);
	char ok[LESSON_NAME_MAX];

	if (strchr(name, '/') || (n > 7 && strcmp(name + n - 7, ".lesson") == 0)) {
		if (!lesson_is_file(name) || n >= size)
			return -1;
		memcpy(file, name, n + 1);
		return 0;
	}
	if (lesson_name_from_file(name, ok, sizeof ok) != 0)
		return -1;
	for (i = 0; i < p->n; i++) {
		int w = snprintf(file, size, "%s/%s.lesson", p->dirs[i], name);

		if (w > 0 && (size_t)w < size && lesson_is_file(file))
			return 0;
	}
	/* without the order prefix: the first file whose short name is it */
	for (i = 0; i < p->n; i++) {
		DIR *d = opendir(p->dirs[i]);
		struct dirent *e;
		char best[LESSON_NAME_MAX] = "";

		if (d == NULL)
			continue;
		while ((e = readdir(d)) != NULL) {
			char stem[LESSON_NAME_MAX];
			size_t en = strlen(e->d_name);

			if (en <= 7 || strcmp(e->d_name + en - 7, ".lesson") != 0 ||
			    lesson_name_from_file(e->d_name, stem, sizeof stem) != 0)
				continue;
			if (strcmp(short_name(stem), name) == 0 &&
			    (best[0] == 0 || strcmp(stem, best) < 0))
				memcpy(best, stem, sizeof best);
		}
		closedir(d);
		if (best[0]) {
			int w = snprintf(file, size, "%s/%s.lesson", p->dirs[i], best);

			if (w > 0 && (size_t)w < size)
				return 0;
		}
	}
	return -1;
}

char *lesson_read(const char *file, size_t *len, char *err, size_t errsize)
{
	/* a FIFO or a device is refused at once, a huge file too */
	return safefile_read(file, LESSON_FILE_MAX, len, NULL, err, errsize);
}

struct lesson *lesson_load(const char *file, struct lesson_errors *errs)
{
	char err[ERR_MAX];
	size_t len;
	char *text = lesson_read(file, &len, err, sizeof err);
	struct lesson *l;

	if (text == NULL) {
		/* the message already names the file */
		lesson_error_add(errs, 0, "%s", strchr(err, ':') ? strchr(err, ':') + 2 : err);
		return NULL;
	}
	l = lesson_parse(file, text, len, errs);
	free(text);
	return l;
}

/* ---- every lesson in the search path ------------------------------------ */

static int by_order(const void *a, const void *b)
{
	const struct lesson_entry *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->name, y->name);
}

void lesson_catalogue_free(struct lesson_catalogue *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		lesson_free(c->e[i].l);
	free(c->e);
	c->e = NULL;
	c->n = 0;
}

int lesson_catalogue(const struct lesson_path *p, struct lesson_catalogue *c)
{
	size_t i, j;

	memset(c, 0, sizeof *c);
	c->e = calloc(LESSON_LIST_MAX, sizeof *c->e);
	if (c->e == NULL)
		return -1;
	for (i = 0; i < p->n; i++) {
		DIR *d = opendir(p->dirs[i]);
		struct dirent *de;

		if (d == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			char name[LESSON_NAME_MAX];
			size_t n = strlen(de->d_name);
			struct lesson_entry *e;
			struct lesson_errors errs;
			int dup = 0;

			if (n <= 7 || strcmp(de->d_name + n - 7, ".lesson") != 0 ||
			    lesson_name_from_file(de->d_name, name, sizeof name) != 0)
				continue;
			for (j = 0; j < c->n; j++)
				if (strcmp(c->e[j].name, name) == 0)
					dup = 1;
			if (dup)
				continue;
			if (c->n >= LESSON_LIST_MAX) {
				c->truncated = 1;
				break;
			}
			e = &c->e[c->n];
			snprintf(e->file, sizeof e->file, "%s/%s", p->dirs[i], de->d_name);
			if (!lesson_is_file(e->file))
				continue;
			memcpy(e->name, name, sizeof name);
			lesson_errors_init(&errs, e->file);
			e->l = lesson_load(e->file, &errs);
			e->order = e->l ? e->l->order : 1000;
			c->n++;
		}
		closedir(d);
	}
	qsort(c->e, c->n, sizeof c->e[0], by_order);
	return 0;
}

void lesson_each(const struct lesson_path *p,
    void (*fn)(void *ctx, const struct lesson *l), void *ctx)
{
	struct lesson_catalogue c;
	size_t i;

	if (lesson_catalogue(p, &c) != 0)
		return;
	for (i = 0; i < c.n; i++)
		if (c.e[i].l)
			fn(ctx, c.e[i].l);
	lesson_catalogue_free(&c);
}

