/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lessoncmd.c - smtpref lesson list | check | coverage | progress | reset
 * | receipt | verify | run
 *
 * The front end of lessons outside the interactive runner: it finds
 * lesson files in the search path (lessoncmd.h), reports authoring errors
 * as file:line, and reads and writes the progress and receipts.  Errors
 * go to stderr, each naming the problem; the exit status is 0 for
 * success, 1 when a check failed, something was not found or a receipt
 * was rejected, and 2 for a usage error.
 */
#include <config.h>

#include "cli/lessoncmd.h"
#include "cli/lessoncov.h"
#include "lesson/library.h"

#include "term/json.h"
#include "cli/lessonrun.h"
#include "lesson/progress.h"
#include "lesson/receipt.h"

#include "core/printable.h"
#include "lesson/safefile.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define ERR_MAX 512

/* complain - a message to stderr, printf-style, made printable first:
 * it may quote a file name, an argument or a lesson's text
 * (core/printable.h); the format's final newline is kept */
static void complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void complain(const char *fmt, ...)
{
	char msg[2 * ERR_MAX + 512], *safe;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof msg)
		n = (int)sizeof msg - 1;
	if (n > 0 && msg[n - 1] == '\n')
		n--;
	safe = printable_dup(msg, (size_t)n, 0);
	fflush(stdout);
	fprintf(stderr, "%s\n", safe ? safe : "smtpref lesson: out of memory");
	free(safe);
}

/* ---- options ------------------------------------------------------------ */

struct opts {
	struct lesson_path path;
	int json, quiet, strict, all, steps;
	const char *key_file;
	const char *rules;
	const char *transcript;
	const char *output;
	const char *learner;
};

static int usage_error(const char *sub, const char *msg, const char *arg)
{
	complain("smtpref lesson%s%s: %s%s%s\n", sub ? " " : "",
	    sub ? sub : "", msg, arg ? " " : "", arg ? arg : "");
	fputs("Try 'smtpref lesson --help' for more information.\n", stderr);
	return 2;
}

static void usage(FILE *f)
{
	fputs(
"Usage: smtpref lesson list [--dir DIR]... [--json]\n"
"       smtpref lesson run [--dir DIR]... [--explain=LEVEL] [--color[=WHEN]] [--name WHO] NAME\n"
"       smtpref lesson check [--dir DIR]... [--strict] [--quiet] FILE|NAME...\n"
"       smtpref lesson coverage [--dir DIR]... [--json] [--steps] [--rules FILE] [FILE|NAME...]\n"
"       smtpref lesson progress [--dir DIR]... [--json]\n"
"       smtpref lesson reset [NAME]...\n"
"       smtpref lesson receipt [--key-file FILE] [--output FILE] [--name WHO] NAME\n"
"       smtpref lesson verify [--key-file FILE] [--transcript FILE] RECEIPT...\n"
"\n"
"Lessons walk you through SMTP step by step, with the simulated server\n"
"(or client) answering what you type.\n"
"\n"
"  list       the lessons, in order, with their length and whether done\n"
"  run        work through a lesson in the interactive shell; it resumes\n"
"             where you stopped (:hint, :skip, :restart, :state inside;\n"
"             in the shell, :lesson NAME does the same)\n"
"  check      check lesson files: every error as FILE:LINE, and every\n"
"             model answer run through the state machine\n"
"  coverage   what a learner meets in the lessons (all of them, or those\n"
"             named): reply codes, enhanced codes, EHLO keywords, the\n"
"             server's rules, RFC sections, commands; what RFC 5321 has\n"
"             that none reaches; and whether the rules list is taught\n"
"  progress   how far you are in each lesson\n"
"  reset      forget the progress of the lessons named, or of all\n"
"  receipt    print the receipt of a lesson finished without skipping\n"
"  verify     check receipts (made with the same class key)\n"
"\n"
"Options:\n"
"  -d, --dir DIR        look for lessons in DIR first (may be repeated)\n"
"      --json           list, progress, coverage: print JSON\n"
"  -e, --explain=LEVEL  run: full, brief (the default) or off\n"
"      --color[=WHEN]   run: auto (the default), always or never\n"
"  -q, --quiet          check: print only the problems\n"
"      --strict         check: warnings fail too\n"
"      --steps          coverage: also what each step meets\n"
"      --rules FILE     coverage: the rules list to check (default: the\n"
"                       built-in one, when no lesson is named)\n"
"  -k, --key-file FILE  receipt, verify: the class key is in FILE\n"
"  -t, --transcript FILE  verify: the transcript must match the receipt\n"
"  -o, --output FILE    receipt: write it to FILE\n"
"  -n, --name WHO       run, receipt: the learner's name, for the receipt\n"
"  -h, --help           show this help and exit\n"
"\n"
"Lessons are found in --dir DIRs, then SMTPREF_LESSON_PATH (DIR:DIR...),\n"
"then the built-in ones.  Progress is kept in $XDG_STATE_HOME/smtpref\n"
"(default ~/.local/state/smtpref).  The class key for receipts comes from\n"
"--key-file, SMTPREF_CLASS_KEY or SMTPREF_CLASS_KEY_FILE; without one a\n"
"built-in key is used, which only catches accidental edits.  What a\n"
"receipt proves, and what it does not: man 5 smtpref-lesson, RECEIPTS.\n"
"\n"
"Exit status: 0 success; 1 a check failed, a lesson or its progress was\n"
"not found, a receipt was rejected, or a rule of the rules list is not\n"
"taught where it says; 2 usage error.\n"
"\n"
"The format of lesson files: man 5 smtpref-lesson\n", f);
}

/* ---- list and progress -------------------------------------------------- */

struct status {
	int found;		/* a progress file exists */
	int corrupt;
	char err[ERR_MAX];
	struct progress p;
};

static void get_status(const char *dir, const char *name, struct status *st)
{
	memset(st, 0, sizeof *st);
	if (dir == NULL)
		return;
	if (progress_load(dir, name, &st->p, &st->found, st->err,
	    sizeof st->err) != 0)
		st->corrupt = 1;
}

/* status_text - "done", "step 3 of 12", "new", ... */
static void status_text(const struct status *st, const struct lesson *l,
    char *buf, size_t size)
{
	if (st->corrupt)
		snprintf(buf, size, "progress unreadable");
	else if (!st->found)
		snprintf(buf, size, "new");
	else if (st->p.done && st->p.skipped)
		snprintf(buf, size, "done (%lu skipped)", st->p.skipped);
	else if (st->p.done)
		snprintf(buf, size, "done");
	else if (l && st->p.steps != l->nsteps)
		snprintf(buf, size, "changed: starts over");
	else
		snprintf(buf, size, "step %lu of %lu", st->p.step + 1, st->p.steps);
}

/* display width of UTF-8 text, counting each character as one column */
static int width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static void pad(const char *s, int cols)
{
	int w = width(s);

	fputs(s, stdout);
	while (w++ < cols)
		putchar(' ');
}

static const char *state_dir(char *buf, size_t size)
{
	char err[ERR_MAX];

	return progress_dir(buf, size, 0, err, sizeof err) == 0 ? buf : NULL;
}

static int cmd_list(struct opts *o)
{
	struct lesson_catalogue c;
	char dirbuf[PROGRESS_DIR_MAX];
	const char *dir = state_dir(dirbuf, sizeof dirbuf);
	size_t i;
	int namew = 4, titlew = 5;

	if (lesson_catalogue(&o->path, &c) != 0) {
		fputs("smtpref lesson list: out of memory\n", stderr);
		return 1;
	}
	if (c.n == 0 && !o->json) {
		complain("smtpref lesson list: no lessons found (looked in %s%s)\n",
		    o->path.n ? o->path.dirs[0] : "nothing", o->path.n > 1 ? " and more" : "");
		lesson_catalogue_free(&c);
		return 1;
	}
	if (o->json) {
		struct json j;

		json_init(&j, stdout);
		json_array_begin(&j, NULL);
		for (i = 0; i < c.n; i++) {
			struct lesson_entry *e = &c.e[i];
			struct status st;
			char s[64];

			get_status(dir, e->name, &st);
			status_text(&st, e->l, s, sizeof s);
			json_object_begin(&j, NULL);
			json_string(&j, "name", e->name);
			json_string(&j, "file", e->file);
			if (e->l) {
				json_string(&j, "title", e->l->title);
				json_string(&j, "part", e->l->part);
				json_int(&j, "minutes", (long)e->l->minutes);
				json_int(&j, "order", (long)e->l->order);
				json_string(&j, "role", lesson_role_str(e->l->role));
				json_int(&j, "steps", (long)e->l->nsteps);
			} else
				json_string(&j, "error", "the lesson does not parse: run smtpref lesson check");
			json_string(&j, "status", s);
			json_bool(&j, "done", st.found && !st.corrupt && st.p.done);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_end(&j);
		lesson_catalogue_free(&c);
		return 0;
	}
	for (i = 0; i < c.n; i++) {
		int w = width(c.e[i].name);

		if (w > namew)
			namew = w;
		if (c.e[i].l && (w = width(c.e[i].l->title)) > titlew)
			titlew = w;
	}
	if (titlew > 50)
		titlew = 50;
	for (i = 0; i < c.n; i++) {
		struct lesson_entry *e = &c.e[i];
		struct status st;
		char s[64], min[16];
		const char *part = e->l ? e->l->part : NULL;

		/* a heading where the part changes; "==" can never start a
		 * lesson's name, so "cut -d' ' -f1" still lists only names */
		if (part && (i == 0 || c.e[i - 1].l == NULL ||
		    c.e[i - 1].l->part == NULL ||
		    strcmp(c.e[i - 1].l->part, part) != 0))
			printf("%s== %s ==\n", i > 0 ? "\n" : "", part);
		else if (!part && i > 0 && c.e[i - 1].l && c.e[i - 1].l->part)
			printf("\n== Other lessons ==\n");
		get_status(dir, e->name, &st);
		status_text(&st, e->l, s, sizeof s);
		pad(e->name, namew + 2);
		if (e->l) {
			pad(e->l->title, titlew + 2);
			snprintf(min, sizeof min, "%3u min", e->l->minutes);
			pad(min, 9);
		} else {
			pad("(broken: smtpref lesson check shows why)", titlew + 2);
			pad("", 9);
		}
		printf("%s\n", s);
	}
	if (c.truncated)
		complain("smtpref lesson list: only the first %d lessons are shown\n",
		    LESSON_LIST_MAX);
	lesson_catalogue_free(&c);
	return 0;
}

struct orphans {
	struct lesson_catalogue *c;
	char names[64][LESSON_NAME_MAX];
	size_t n;
};

static void orphan(void *ctx, const char *name)
{
	struct orphans *o = ctx;
	size_t i;

	for (i = 0; i < o->c->n; i++)
		if (strcmp(o->c->e[i].name, name) == 0)
			return;
	if (o->n < sizeof o->names / sizeof o->names[0])
		snprintf(o->names[o->n++], LESSON_NAME_MAX, "%s", name);
}

static void progress_line(const char *name, const struct lesson *l,
    const struct status *st, int namew)
{
	char date[32];

	pad(name, namew + 2);
	if (st->corrupt) {
		char why[ERR_MAX];

		printf("unreadable progress (%s); 'smtpref lesson reset %s' starts it over\n",
		    printable_arg(st->err, why, sizeof why), name);
		return;
	}
	if (!st->found) {
		puts("not started");
		return;
	}
	if (st->p.done) {
		receipt_date(st->p.finished, date, sizeof date);
		printf("done %.10s: %lu steps passed, %s\n", date, st->p.passed,
		    st->p.skipped ? "some skipped" : "none skipped");
		return;
	}
	if (l && st->p.steps != l->nsteps)
		printf("step %lu of %lu, but the lesson changed since: it will start over\n",
		    st->p.step + 1, st->p.steps);
	else
		printf("step %lu of %lu (%lu passed, %lu skipped)\n", st->p.step + 1,
		    st->p.steps, st->p.passed, st->p.skipped);
}

static int cmd_progress(struct opts *o)
{
	struct lesson_catalogue c;
	char dirbuf[PROGRESS_DIR_MAX];
	const char *dir = state_dir(dirbuf, sizeof dirbuf);
	struct orphans *orph;
	size_t i, done = 0;
	int namew = 6;

	if (lesson_catalogue(&o->path, &c) != 0 || (orph = calloc(1, sizeof *orph)) == NULL) {
		lesson_catalogue_free(&c);
		fputs("smtpref lesson progress: out of memory\n", stderr);
		return 1;
	}
	orph->c = &c;
	if (dir)
		progress_each(dir, orphan, orph);
	for (i = 0; i < c.n; i++)
		if (width(c.e[i].name) > namew)
			namew = width(c.e[i].name);
	if (o->json) {
		struct json j;

		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_string(&j, "state_dir", dir);
		json_array_begin(&j, "lessons");
		for (i = 0; i < c.n + orph->n; i++) {
			const char *name = i < c.n ? c.e[i].name : orph->names[i - c.n];
			struct status st;

			get_status(dir, name, &st);
			json_object_begin(&j, NULL);
			json_string(&j, "name", name);
			json_bool(&j, "found", i < c.n);
			json_bool(&j, "started", st.found);
			if (st.corrupt)
				json_string(&j, "error", st.err);
			else if (st.found) {
				json_bool(&j, "done", st.p.done);
				json_int(&j, "step", (long)st.p.step);
				json_int(&j, "steps", (long)st.p.steps);
				json_int(&j, "passed", (long)st.p.passed);
				json_int(&j, "skipped", (long)st.p.skipped);
				if (st.p.done) {
					char date[32];

					receipt_date(st.p.finished, date, sizeof date);
					json_string(&j, "finished", date);
				}
			}
			json_object_end(&j);
		}
		json_array_end(&j);
		json_object_end(&j);
		json_end(&j);
	} else {
		for (i = 0; i < c.n; i++) {
			struct status st;

			get_status(dir, c.e[i].name, &st);
			progress_line(c.e[i].name, c.e[i].l, &st, namew);
			if (st.found && !st.corrupt && st.p.done)
				done++;
		}
		for (i = 0; i < orph->n; i++) {
			struct status st;

			get_status(dir, orph->names[i], &st);
			fputs("(no such lesson now) ", stdout);
			progress_line(orph->names[i], NULL, &st, namew);
		}
		printf("\n%zu of %zu lessons done.", done, c.n);
		if (dir)
			printf(" Progress is kept in %s.", dir);
		putchar('\n');
	}
	free(orph);
	lesson_catalogue_free(&c);
	return 0;
}

/* ---- check -------------------------------------------------------------- */

static void print_errors(const struct lesson_errors *errs)
{
	char line[ERR_MAX];
	size_t i;

	for (i = 0; i < errs->n; i++)
		complain("%s\n", lesson_error_format(errs, i, line, sizeof line));
	if (errs->dropped)
		complain("%s: %zu more problems not shown\n", errs->file,
		    errs->dropped);
}

static int cmd_check(struct opts *o, int argc, char **argv)
{
	int i, failed = 0;

	if (argc == 0)
		return usage_error("check", "which lesson files?", NULL);
	for (i = 0; i < argc; i++) {
		char file[LESSON_DIR_LEN + LESSON_NAME_MAX + 16];
		struct lesson_errors *errs = malloc(sizeof *errs);
		struct lesson *l;
		size_t warnings = 0, k;

		if (errs == NULL) {
			fputs("smtpref lesson check: out of memory\n", stderr);
			return 1;
		}
		if (!lesson_is_file(argv[i]) && lesson_find(&o->path, argv[i], file, sizeof file) == 0)
			;
		else
			snprintf(file, sizeof file, "%s", argv[i]);
		lesson_errors_init(errs, file);
		l = lesson_load(file, errs);
		if (l)
			lesson_check(l, errs);
		for (k = 0; k < errs->n; k++)
			warnings += errs->e[k].warning != 0;
		print_errors(errs);
		if (l == NULL || errs->nerrors > 0 || (o->strict && warnings > 0))
			failed = 1;
		else if (!o->quiet)
			printf("%s: ok: %zu steps, %zu checked, %u minutes, %s role%s\n",
			    file, l->nsteps, l->nchecked, l->minutes,
			    lesson_role_str(l->role), warnings ? " (see the warnings)" : "");
		lesson_free(l);
		free(errs);
	}
	return failed;
}

/* ---- reset -------------------------------------------------------------- */

struct names {
	char (*v)[LESSON_NAME_MAX];
	size_t n, cap;
};

static void collect(void *ctx, const char *name)
{
	struct names *ns = ctx;
	char ok[LESSON_NAME_MAX];

	if (ns->n < ns->cap && lesson_name_from_file(name, ok, sizeof ok) == 0)
		memcpy(ns->v[ns->n++], ok, sizeof ok);
}

/* canonical_name - the lesson's name for what the user typed: a lesson
 * found in the path, else the name itself (its progress may outlive
 * it); -1 when it cannot be a name */
static int canonical_name(const struct opts *o, const char *arg, char *name,
    size_t size)
{
	char file[LESSON_DIR_LEN + LESSON_NAME_MAX + 16];

	if (lesson_find(&o->path, arg, file, sizeof file) == 0)
		return lesson_name_from_file(file, name, size);
	if (strchr(arg, '/'))
		return -1;	/* a path, but not to a lesson */
	return lesson_name_from_file(arg, name, size);
}

/* reset_one - progress_reset, but not under a run of the lesson */
static int reset_one(const char *dir, const char *name, char *err,
    size_t errsize)
{
	int busy, lock = progress_lock(dir, name, &busy, err, errsize), r;

	if (lock < 0 && busy)
		return -1;
	r = progress_reset(dir, name, err, errsize);
	progress_unlock(lock);
	return r;
}

static int cmd_reset(struct opts *o, int argc, char **argv)
{
	char dir[PROGRESS_DIR_MAX], err[ERR_MAX];
	int i, rc = 0;

	if (progress_dir(dir, sizeof dir, 0, err, sizeof err) != 0) {
		complain("smtpref lesson reset: %s\n", err);
		return 1;
	}
	if (argc == 0) {
		struct names ns = { NULL, 0, LESSON_LIST_MAX };
		size_t k, n = 0;

		ns.v = calloc(ns.cap, sizeof *ns.v);
		if (ns.v == NULL) {
			fputs("smtpref lesson reset: out of memory\n", stderr);
			return 1;
		}
		if (progress_each(dir, collect, &ns) != 0) {
			complain("smtpref lesson reset: cannot read %s: %s\n", dir,
			    strerror(errno));
			free(ns.v);
			return 1;
		}
		for (k = 0; k < ns.n; k++) {
			int r = reset_one(dir, ns.v[k], err, sizeof err);

			if (r < 0) {
				complain("smtpref lesson reset: %s\n", err);
				rc = 1;
			} else if (r > 0)
				n++;
		}
		free(ns.v);
		if (!o->quiet)
			printf(n ? "The progress of %zu lesson%s was reset.\n" :
			    "There was no progress to reset.\n", n, n == 1 ? "" : "s");
		return rc;
	}
	for (i = 0; i < argc; i++) {
		char name[LESSON_NAME_MAX], file[LESSON_DIR_LEN + LESSON_NAME_MAX + 16];
		int r;

		if (canonical_name(o, argv[i], name, sizeof name) != 0) {
			complain("smtpref lesson reset: '%s' is not the name of a lesson\n",
			    argv[i]);
			rc = 1;
			continue;
		}
		r = reset_one(dir, name, err, sizeof err);
		if (r < 0) {
			complain("smtpref lesson reset: %s\n", err);
			rc = 1;
		} else if (r > 0) {
			if (!o->quiet)
				printf("%s: reset; it starts from the beginning next time\n", name);
		} else if (lesson_find(&o->path, argv[i], file, sizeof file) == 0) {
			if (!o->quiet)
				printf("%s: nothing to reset (not started)\n", name);
		} else {
			complain("smtpref lesson reset: no lesson and no progress named '%s'\n",
			    argv[i]);
			rc = 1;
		}
	}
	return rc;
}

/* ---- receipts ----------------------------------------------------------- */

/* the_lesson - lesson name as found in the path, or NULL */
static struct lesson *the_lesson(const struct opts *o, const char *name)
{
	char file[LESSON_DIR_LEN + LESSON_NAME_MAX + 16];
	struct lesson_errors *errs;
	struct lesson *l = NULL;

	if (lesson_find(&o->path, name, file, sizeof file) != 0 ||
	    (errs = malloc(sizeof *errs)) == NULL)
		return NULL;
	lesson_errors_init(errs, file);
	l = lesson_load(file, errs);
	free(errs);
	return l;
}

/* steps_hold - the transcript records every checked step the receipt
 * claims (progress.h); checked against the lesson when it is found */
static int steps_hold(const struct opts *o, const char *name,
    const char *text, size_t len, unsigned long claimed, char *err,
    size_t errsize)
{
	struct lesson *l = the_lesson(o, name);
	int rc = progress_steps_check(text, len, claimed, l, err, errsize);

	lesson_free(l);
	return rc;
}

static int make_receipt(struct opts *o, const char *dir, const char *name);

static int cmd_receipt(struct opts *o, int argc, char **argv)
{
	char dir[PROGRESS_DIR_MAX], err[ERR_MAX], name[LESSON_NAME_MAX];
	int lock, busy, rc;

	if (argc != 1)
		return usage_error("receipt", "needs the name of one lesson", NULL);
	if (canonical_name(o, argv[0], name, sizeof name) != 0) {
		complain("smtpref lesson receipt: '%s' is not the name of a lesson\n",
		    argv[0]);
		return 1;
	}
	if (progress_dir(dir, sizeof dir, 0, err, sizeof err) != 0) {
		complain("smtpref lesson receipt: %s\n", err);
		return 1;
	}
	/* not while a run of the lesson is writing its progress */
	lock = progress_lock(dir, name, &busy, err, sizeof err);
	if (lock < 0 && busy) {
		complain("smtpref lesson receipt: %s\n", err);
		return 1;
	}
	rc = make_receipt(o, dir, name);
	progress_unlock(lock);
	return rc;
}

static int make_receipt(struct opts *o, const char *dir, const char *name)
{
	char err[ERR_MAX], text[RECEIPT_MAX];
	struct progress p;
	struct receipt r;
	struct receipt_key k;
	char *tr;
	size_t trlen, n;
	int found;

	if (progress_load(dir, name, &p, &found, err, sizeof err) != 0) {
		complain("smtpref lesson receipt: %s\n", err);
		return 1;
	}
	if (!found) {
		complain("smtpref lesson receipt: %s has not been started\n", name);
		return 1;
	}
	if (!p.done) {
		complain("smtpref lesson receipt: %s is not finished (step %lu of %lu): finish it first\n",
		    name, p.step + 1, p.steps);
		return 1;
	}
	if (p.skipped) {
		complain("smtpref lesson receipt: %lu step%s of %s %s skipped, so there is no receipt; 'smtpref lesson reset %s' and do it again without :skip\n",
		    p.skipped, p.skipped == 1 ? "" : "s", name,
		    p.skipped == 1 ? "was" : "were", name);
		return 1;
	}
	if (p.transcript_lost) {
		complain("smtpref lesson receipt: the transcript of %s was damaged, so there is no receipt\n",
		    name);
		return 1;
	}
	if (progress_transcript_read(dir, &p, &tr, &trlen, err, sizeof err) != 0) {
		complain("smtpref lesson receipt: %s\n", err);
		return 1;
	}
	/* the progress file says how many steps passed; the transcript
	 * must say so too, step by step (three edited lines of a progress
	 * file once made a receipt for a lesson done to its first step) */
	if (steps_hold(o, name, tr, trlen, p.passed, err, sizeof err) != 0) {
		free(tr);
		complain("smtpref lesson receipt: the transcript of %s does not bear out its progress file: %s; no receipt ('smtpref lesson reset %s' and do it again)\n",
		    name, err, name);
		return 1;
	}
	memset(&r, 0, sizeof r);
	snprintf(r.lesson, sizeof r.lesson, "%s", p.lesson);
	snprintf(r.title, sizeof r.title, "%s", p.title);
	snprintf(r.learner, sizeof r.learner, "%s", o->learner ? o->learner :
	    p.learner);
	receipt_date(p.finished, r.finished, sizeof r.finished);
	r.steps = p.passed;
	r.skipped = 0;
	if (receipt_digest(tr, trlen, r.transcript) != 0) {
		free(tr);
		fputs("smtpref lesson receipt: cannot compute the digest (built without OpenSSL?)\n", stderr);
		return 1;
	}
	free(tr);
	if (receipt_key_load(&k, o->key_file, err, sizeof err) != 0) {
		complain("smtpref lesson receipt: %s\n", err);
		return 1;
	}
	n = receipt_make(&r, &k, text, sizeof text, err, sizeof err);
	if (n == 0) {
		complain("smtpref lesson receipt: %s\n", err);
		return 1;
	}
	if (o->output) {
		/* a new file renamed into place: never written through a
		 * symbolic link planted at the name */
		if (safefile_write(o->output, text, n, 0666, err, sizeof err) != 0) {
			complain("smtpref lesson receipt: %s\n", err);
			return 1;
		}
	} else if (fwrite(text, 1, n, stdout) != n || fflush(stdout) != 0) {
		complain("smtpref lesson receipt: writing stdout: %s\n", strerror(errno));
		return 1;
	}
	if (k.is_default)
		fputs("smtpref lesson receipt: note: signed with the built-in key, which anyone can use; with your teacher's class key (SMTPREF_CLASS_KEY) only those who hold it can make one (man 5 smtpref-lesson, RECEIPTS)\n",
		    stderr);
	return 0;
}

/* slurp - a small regular file (or stdin for "-"), at most max octets */
static char *slurp(const char *file, size_t max, size_t *len, char *err,
    size_t errsize)
{
	char *buf;
	size_t n;

	if (strcmp(file, "-") != 0)
		return safefile_read(file, max, len, NULL, err, errsize);
	buf = malloc(max + 2);
	if (buf == NULL) {
		snprintf(err, errsize, "%s: out of memory", file);
		return NULL;
	}
	n = fread(buf, 1, max + 1, stdin);
	if (ferror(stdin)) {
		snprintf(err, errsize, "%s: %s", file, strerror(errno));
		free(buf);
		return NULL;
	}
	if (n > max) {
		snprintf(err, errsize, "%s: larger than %zu octets", file, max);
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

static int cmd_verify(struct opts *o, int argc, char **argv)
{
	struct receipt_key k;
	char err[ERR_MAX];
	int i, rc = 0;

	if (argc == 0)
		return usage_error("verify", "which receipts?", NULL);
	if (o->transcript && argc != 1)
		return usage_error("verify", "--transcript goes with one receipt", NULL);
	if (receipt_key_load(&k, o->key_file, err, sizeof err) != 0) {
		complain("smtpref lesson verify: %s\n", err);
		return 1;
	}
	for (i = 0; i < argc; i++) {
		struct receipt r;
		char file[256], title[4 * sizeof r.title], who[4 * sizeof r.learner];
		size_t len;
		char *text = slurp(argv[i], RECEIPT_MAX, &len, err, sizeof err);

		if (text == NULL) {
			complain("smtpref lesson verify: %s\n", err);
			rc = 1;
			continue;
		}
		if (receipt_verify(argv[i], text, len, &k, &r, err, sizeof err) != 0) {
			complain("smtpref lesson verify: %s\n", err);
			free(text);
			rc = 1;
			continue;
		}
		free(text);
		if (o->transcript) {
			size_t tlen;
			char *t = slurp(o->transcript, PROGRESS_TRANSCRIPT_MAX, &tlen,
			    err, sizeof err);
			char d[65];

			if (t == NULL) {
				complain("smtpref lesson verify: %s\n", err);
				return 1;
			}
			if (receipt_digest(t, tlen, d) != 0 || strcmp(d, r.transcript) != 0) {
				free(t);
				complain("smtpref lesson verify: %s: the transcript %s is not the one this receipt was made from: rejected\n",
				    argv[i], o->transcript);
				return 1;
			}
			if (steps_hold(o, r.lesson, t, tlen, r.steps, err,
			    sizeof err) != 0) {
				free(t);
				complain("smtpref lesson verify: %s: the transcript %s does not bear out the receipt: %s; rejected\n",
				    argv[i], o->transcript, err);
				return 1;
			}
			free(t);
		}
		printf("%s: genuine: lesson %s (%s)%s%s, finished %s, %lu steps, %s%s\n",
		    printable_arg(argv[i], file, sizeof file), r.lesson,
		    printable_arg(r.title, title, sizeof title),
		    r.learner[0] ? ", by " : "",
		    printable_arg(r.learner, who, sizeof who), r.finished, r.steps,
		    r.skipped ? "some skipped" : "none skipped",
		    o->transcript ? ", the transcript records every step" : "");
	}
	if (rc == 0 && k.is_default)
		fputs("smtpref lesson verify: note: checked with the built-in key, which anyone can use: it proves only that the receipt was not edited by accident\n",
		    stderr);
	return rc;
}

/* ---- the dispatcher ----------------------------------------------------- */

enum sub {
	S_LIST, S_CHECK, S_COVERAGE, S_PROGRESS, S_RESET, S_RECEIPT, S_VERIFY,
	S_LAST
};

static const char *const subs[] = {
	"list", "check", "coverage", "progress", "reset", "receipt", "verify",
};
_Static_assert(sizeof subs / sizeof subs[0] == S_LAST, "one name per subcommand");

enum { OPT_JSON = 256, OPT_STRICT, OPT_STEPS, OPT_RULES };

/* set_option - the value of option c into o; 0, or a usage error's
 * status */
static int set_option(struct opts *o, int c, const char *sub)
{
	switch (c) {
	case 'd':
		if (lesson_path_add(&o->path, optarg) != 0)
			return usage_error(sub, "too many --dir, or too long:", optarg);
		break;
	case OPT_JSON:
		o->json = 1;
		break;
	case 'q':
		o->quiet = 1;
		break;
	case OPT_STRICT:
		o->strict = 1;
		break;
	case OPT_STEPS:
		o->steps = 1;
		break;
	case OPT_RULES:
		o->rules = optarg;
		break;
	case 'k':
		o->key_file = optarg;
		break;
	case 't':
		o->transcript = optarg;
		break;
	case 'o':
		o->output = optarg;
		break;
	case 'n':
		if (!progress_learner_ok(optarg))
			return usage_error(sub, "--name takes one line of at most 80 octets, no control characters and no blanks at its ends, not",
			    optarg);
		o->learner = optarg;
		break;
	default:
		break;
	}
	return 0;
}

int lesson_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "steps", no_argument, NULL, OPT_STEPS },
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "key-file", required_argument, NULL, 'k' },
		{ "transcript", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	/* which options each subcommand takes */
	static const char *const takes[] = {
		[S_LIST] = "dj",
		[S_CHECK] = "dqs",
		[S_COVERAGE] = "djSR",
		[S_PROGRESS] = "dj",
		[S_RESET] = "dq",
		[S_RECEIPT] = "dkon",
		[S_VERIFY] = "dkt",
	};
	struct opts *o;
	const char *sub;
	size_t s;
	int c, rc;

	if (argc < 2)
		return usage_error(NULL, "what should I do? (list, run, check, coverage, progress, reset, receipt or verify)", NULL);
	sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 ||
	    strcmp(sub, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(sub, "run") == 0)
		return lesson_run_main(argc - 1, argv + 1);
	for (s = 0; s < S_LAST; s++)
		if (strcmp(sub, subs[s]) == 0)
			break;
	if (s == S_LAST)
		return usage_error(NULL, "unknown subcommand", sub);
	o = calloc(1, sizeof *o);
	if (o == NULL) {
		fputs("smtpref lesson: out of memory\n", stderr);
		return 1;
	}
	lesson_path_init(&o->path);
	argc--;
	argv++;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:qk:t:o:n:h", longopts, NULL)) != -1) {
		char letter = c == OPT_JSON ? 'j' : c == OPT_STRICT ? 's' :
		    c == OPT_STEPS ? 'S' : c == OPT_RULES ? 'R' : (char)c;

		if (c == 'h') {
			usage(stdout);
			free(o);
			return 0;
		}
		if (c == '?' || c == ':') {
			const char *bad = argv[optind - 1];

			free(o);
			return usage_error(sub, c == ':' ? "this option needs a value:" :
			    "unknown option", bad);
		}
		if (strchr(takes[s], letter) == NULL) {
			free(o);
			return usage_error(sub, "this subcommand does not take", argv[optind - 1]);
		}
		if ((rc = set_option(o, c, sub)) != 0) {
			free(o);
			return rc;
		}
	}
	lesson_path_defaults(&o->path);
	argc -= optind;
	argv += optind;
	switch ((enum sub)s) {
	case S_LIST:
	case S_PROGRESS:
		if (argc > 0) {
			free(o);
			return usage_error(sub, "unexpected argument", argv[0]);
		}
		rc = s == S_LIST ? cmd_list(o) : cmd_progress(o);
		break;
	case S_CHECK:
		rc = cmd_check(o, argc, argv);
		break;
	case S_COVERAGE: {
		struct lesson_cov_opts co = { &o->path, o->json, o->steps, o->rules };

		rc = lesson_coverage_cmd(&co, argc, argv);
		break;
	}
	case S_RESET:
		rc = cmd_reset(o, argc, argv);
		break;
	case S_RECEIPT:
		rc = cmd_receipt(o, argc, argv);
		break;
	case S_VERIFY:
		rc = cmd_verify(o, argc, argv);
		break;
	default:
		rc = 2;
		break;
	}
	free(o);
	return rc;
}
