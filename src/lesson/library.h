/* SPDX-License-Identifier: GPL-3.0-or-later */
/* library.h - where lessons are found
 *
 * Lessons are NAME.lesson files.  They are looked for, in this order, in
 * each --dir DIR given, in each directory of SMTPREF_LESSON_PATH
 * (colon-separated), and in the built-in directory: SMTPREF_LESSON_DIR
 * when set, else the source tree's lessons when the program runs from its
 * build tree (lesson_set_tree_dir), else $(pkgdatadir)/lessons.  A name
 * found early hides the same name later, so a class can replace a
 * built-in lesson.
 */
#ifndef SMTPREF_LIBRARY_H
#define SMTPREF_LIBRARY_H

#include <stddef.h>

#include "lesson/lesson.h"

#define LESSON_DIRS_MAX 32
#define LESSON_DIR_LEN 1024
#define LESSON_LIST_MAX 1000	/* lessons in all the directories */

struct lesson_path {
	size_t n;
	char dirs[LESSON_DIRS_MAX][LESSON_DIR_LEN];
};

/* lesson_path_init - an empty search path */
void lesson_path_init(struct lesson_path *p);
/* lesson_path_add - one more directory at the end: 0, or -1 (too many
 * directories, or a path too long) */
int lesson_path_add(struct lesson_path *p, const char *dir);
/* lesson_path_defaults - append SMTPREF_LESSON_PATH's directories and the
 * built-in one (after the --dir ones) */
void lesson_path_defaults(struct lesson_path *p);
/* lesson_builtin_dir - SMTPREF_LESSON_DIR, else the directory given to
 * lesson_set_tree_dir, else $(pkgdatadir)/lessons */
const char *lesson_builtin_dir(void);
/* lesson_set_tree_dir - the program runs from its build tree: its
 * built-in lessons are dir (kept, not copied), not the installed ones */
void lesson_set_tree_dir(const char *dir);

/* lesson_find - the file of lesson name: an existing file when name is a
 * path (it holds a '/' or ends in .lesson), else NAME.lesson in the
 * search path, where NAME may also leave out the order prefix
 * ("greeting" for 01-greeting).  0 with file filled, or -1. */
int lesson_find(const struct lesson_path *p, const char *name, char *file,
    size_t size);

/* lesson_read - a lesson file's text (malloc'd, NUL-terminated), at most
 * LESSON_FILE_MAX octets; NULL with err */
char *lesson_read(const char *file, size_t *len, char *err, size_t errsize);

/* lesson_load - read and parse file; NULL with the problems in errs */
struct lesson *lesson_load(const char *file, struct lesson_errors *errs);

/* lesson_each - call fn for every lesson of the path that parses, the
 * first of each name, in the curriculum's order */
void lesson_each(const struct lesson_path *p,
    void (*fn)(void *ctx, const struct lesson *l), void *ctx);

/* lesson_is_file - f names a regular file */
int lesson_is_file(const char *f);

/* Every lesson of a search path, the first of each name, in the
 * curriculum's order (the lessons' Order, then their names). */
struct lesson_entry {
	char name[LESSON_NAME_MAX];
	char file[LESSON_DIR_LEN + LESSON_NAME_MAX + 16];
	struct lesson *l;	/* NULL: it does not parse */
	unsigned order;
};

struct lesson_catalogue {
	struct lesson_entry *e;
	size_t n;
	int truncated;		/* more than LESSON_LIST_MAX lessons */
};

/* lesson_catalogue - 0, or -1 when out of memory */
int lesson_catalogue(const struct lesson_path *p, struct lesson_catalogue *c);
void lesson_catalogue_free(struct lesson_catalogue *c);

#endif
