/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lessonrun.c - lessons in the interactive front ends
 *
 * A lesson runs inside the console (console_lesson, tutor.c), so the
 * shell and the TUI host it with everything they have: completion, the
 * meta-commands, :state and the diagram.  This file finds lessons for
 * them (the search path of lessoncmd.h), keeps the progress directory,
 * and is smtpref lesson run: the shell, with one lesson, until it is over.
 */
#include <config.h>

#include "cli/lessonrun.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console/console.h"
#include "lesson/lesson.h"
#include "lesson/library.h"
#include "lesson/progress.h"
#include "term/render.h"
#include "term/shell.h"
#include "core/printable.h"

/* What the console's lesson callbacks need; one per program. */
static struct {
	struct lesson_path path;
	char dir[PROGRESS_DIR_MAX];
} lessons;

/* load - lesson name, or NULL with what is wrong in err ('\n' between
 * the problems of a broken file) */
static struct lesson *load(const char *name, char *err, size_t errsize)
{
	char file[4096], line[512];
	struct lesson_errors errs;
	struct lesson *l;
	size_t k, off = 0;

	if (lesson_find(&lessons.path, name, file, sizeof file) != 0) {
		snprintf(err, errsize, "no lesson '%s' (smtpref lesson list shows them)", name);
		return NULL;
	}
	lesson_errors_init(&errs, file);
	l = lesson_load(file, &errs);
	if (l != NULL)
		return l;
	err[0] = 0;
	for (k = 0; k < errs.n && off + 1 < errsize; k++) {
		int n = snprintf(err + off, errsize - off, "%s%s", k ? "\n" : "",
		    lesson_error_format(&errs, k, line, sizeof line));

		if (n < 0 || (size_t)n >= errsize - off)
			break;
		off += (size_t)n;
	}
	return NULL;
}

static struct lesson *open_cb(void *ctx, const char *name, char *err,
    size_t errsize)
{
	(void)ctx;
	return load(name, err, errsize);
}

static void each_cb(void *ctx, void (*fn)(void *fctx, const struct lesson *l),
    void *fctx)
{
	(void)ctx;
	lesson_each(&lessons.path, fn, fctx);
}

int lesson_console_setup(struct console_opts *co, const char *prog,
    const char *name, const struct lesson_path *path)
{
	char err[8192];

	if (path)
		lessons.path = *path;
	else {
		lesson_path_init(&lessons.path);
		lesson_path_defaults(&lessons.path);
	}
	if (progress_dir(lessons.dir, sizeof lessons.dir, 1, err, sizeof err) != 0) {
		fprintf(stderr, "smtpref %s: lesson progress is not kept: %s\n", prog, err);
		lessons.dir[0] = 0;
	}
	co->progress_dir = lessons.dir[0] ? lessons.dir : NULL;
	co->lesson_open = open_cb;
	co->lesson_each = each_cb;
	co->lesson_ctx = NULL;
	if (name == NULL)
		return -1;
	co->lesson = load(name, err, sizeof err);
	/* already running elsewhere: say so here, with a failing status
	 * (the tutor holds the lock itself once it starts) */
	if (co->lesson && lessons.dir[0]) {
		int busy, lock = progress_lock(lessons.dir, co->lesson->name,
		    &busy, err, sizeof err);

		progress_unlock(lock);
		if (lock < 0 && busy) {
			char *safe = printable_dup(err, strlen(err), 0);

			fprintf(stderr, "smtpref %s: %s\n", prog, safe ? safe : err);
			free(safe);
			lesson_free(co->lesson);
			co->lesson = NULL;
			return 1;
		}
	}
	if (co->lesson == NULL) {
		char *p = err, *nl;

		do {
			nl = strchr(p, '\n');
			if (nl)
				*nl = 0;
			fprintf(stderr, "smtpref %s: %s\n", prog, p);
			if (nl)
				p = nl + 1;
		} while (nl);
		return 1;
	}
	return -1;
}

static int usage_error(const char *msg, const char *arg)
{
	char safe[256];

	fprintf(stderr, "smtpref lesson run: %s%s%s\n", msg, arg ? " " : "",
	    arg ? printable_arg(arg, safe, sizeof safe) : "");
	fputs("Try 'smtpref lesson --help' for more information.\n", stderr);
	return 2;
}

int lesson_run_main(int argc, char **argv)
{
	enum { OPT_COLOR = 256 };
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "explain", required_argument, NULL, 'e' },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "colour", optional_argument, NULL, OPT_COLOR },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct lesson_path path;
	struct console_opts co;
	int color = RENDER_COLOR_AUTO;
	int c, st;

	memset(&co, 0, sizeof co);
	co.session.level = EXPLAIN_BRIEF;
	co.session.hints = 1;
	co.lesson_only = 1;
	lesson_path_init(&path);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "d:e:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (lesson_path_add(&path, optarg) != 0)
				return usage_error("too many or too long --dir:", optarg);
			break;
		case 'e':
			if (strcmp(optarg, "full") == 0)
				co.session.level = EXPLAIN_FULL;
			else if (strcmp(optarg, "brief") == 0)
				co.session.level = EXPLAIN_BRIEF;
			else if (strcmp(optarg, "off") == 0)
				co.session.level = EXPLAIN_OFF;
			else
				return usage_error("--explain takes full, brief or off, not", optarg);
			break;
		case OPT_COLOR:
			st = optarg ? render_parse_color(optarg) : RENDER_COLOR_ALWAYS;
			if (st < 0)
				return usage_error("--color takes auto, always or never, not", optarg);
			color = st;
			break;
		case 'n':
			/* kept with the progress, signed into the receipt */
			if (!progress_learner_ok(optarg))
				return usage_error("--name takes one line of at most 80 octets, no control characters and no blanks at its ends, not",
				    optarg);
			co.learner = optarg;
			break;
		case 'h':
			fputs("Usage: smtpref lesson run [--dir DIR] [--explain=LEVEL] [--color[=WHEN]] [--name WHO] NAME\n"
			    "Work through a lesson in the shell; see smtpref lesson --help and\n"
			    "smtpref-lesson(5).  Inside, :hint, :skip, :restart, :state and :help.\n", stdout);
			return 0;
		default:
			return usage_error("unknown option or missing argument:", argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return usage_error("takes one lesson name (smtpref lesson list shows them)", NULL);
	lesson_path_defaults(&path);
	st = lesson_console_setup(&co, "lesson run", argv[optind], &path);
	if (st >= 0)
		return st;
	return shell_run(&co, color, NULL);
}
