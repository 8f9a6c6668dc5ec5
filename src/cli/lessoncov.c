/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lessoncov.c - smtpref lesson coverage [--json] [--steps] [--rules FILE]
 * [FILE...]
 *
 * Runs every lesson's answers through the state machine (lesson/coverage.h)
 * and reports what the learner meets: reply codes (against RFC 5321's
 * list), enhanced codes, EHLO keywords (against those the simulated server
 * announces), the server's rules, the RFC sections the narration cites
 * (against RFC 5321's sections 2 to 7), and the commands of both roles;
 * then holds the rules list to it.  Errors go to stderr as file:line.
 */
#include <config.h>

#include "cli/lessoncov.h"

#include "lesson/coverage.h"
#include "term/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRAP 78

/* ---- the lessons -------------------------------------------------------- */

static void print_errors(const struct lesson_errors *errs)
{
	char line[512];
	size_t i;

	for (i = 0; i < errs->n; i++)
		if (!errs->e[i].warning)
			fprintf(stderr, "%s\n", lesson_error_format(errs, i, line, sizeof line));
	if (errs->dropped)
		fprintf(stderr, "%s: %zu more problems not shown\n", errs->file,
		    errs->dropped);
}

/* measure - add one lesson file; 0, or 1 after an error (printed) */
static int measure(struct lesson_cov *c, const char *file)
{
	struct lesson_errors *errs = malloc(sizeof *errs);
	struct lesson *l;
	int bad;

	if (errs == NULL) {
		fputs("smtpref lesson coverage: out of memory\n", stderr);
		return 1;
	}
	lesson_errors_init(errs, file);
	l = lesson_load(file, errs);
	if (l)
		lesson_cov_add(c, l, errs);
	bad = l == NULL || errs->nerrors > 0;
	print_errors(errs);
	lesson_free(l);
	free(errs);
	return bad;
}

static int measure_all(struct lesson_cov *c, const struct lesson_cov_opts *o,
    int argc, char **argv)
{
	int i, bad = 0;

	if (argc > 0) {
		for (i = 0; i < argc; i++) {
			char file[LESSON_DIR_LEN + LESSON_NAME_MAX + 16];

			if (lesson_is_file(argv[i]) ||
			    lesson_find(o->path, argv[i], file, sizeof file) != 0)
				snprintf(file, sizeof file, "%s", argv[i]);
			bad |= measure(c, file);
		}
		return bad;
	}
	{
		struct lesson_catalogue cat;
		size_t k;

		if (lesson_catalogue(o->path, &cat) != 0) {
			fputs("smtpref lesson coverage: out of memory\n", stderr);
			return 1;
		}
		if (cat.n == 0) {
			fputs("smtpref lesson coverage: no lessons found\n", stderr);
			bad = 1;
		}
		for (k = 0; k < cat.n; k++)
			bad |= measure(c, cat.e[k].file);
		lesson_catalogue_free(&cat);
	}
	return bad;
}

/* ---- the rules list ----------------------------------------------------- */

struct checklist {
	char file[LESSON_DIR_LEN + 32];
	int have;		/* a rules list was read */
	int bad;		/* it could not be read or parsed */
	struct lesson_rules r;
	unsigned char *taught;
	size_t missing;
};

static void check_rules(struct checklist *k, const struct lesson_cov *c,
    const struct lesson_cov_opts *o, int argc)
{
	struct lesson_errors *errs;
	char err[512];
	char *text;
	size_t len;

	if (o->rules)
		snprintf(k->file, sizeof k->file, "%s", o->rules);
	else if (argc == 0)
		snprintf(k->file, sizeof k->file, "%s/rfc-rules.rec", lesson_builtin_dir());
	else
		return;
	if (!o->rules && !lesson_is_file(k->file))
		return;		/* a class without a rules list */
	k->have = 1;
	text = lesson_read(k->file, &len, err, sizeof err);
	errs = malloc(sizeof *errs);
	if (text == NULL || errs == NULL) {
		fprintf(stderr, "smtpref lesson coverage: %s\n",
		    text ? "out of memory" : err);
		free(text);
		free(errs);
		k->bad = 1;
		return;
	}
	lesson_errors_init(errs, k->file);
	if (lesson_rules_parse(k->file, text, len, &k->r, errs) != 0)
		k->bad = 1;
	else if ((k->taught = calloc(k->r.n + 1, 1)) == NULL)
		k->bad = 1;
	else
		k->missing = lesson_rules_check(&k->r, c, errs, k->taught);
	print_errors(errs);
	free(errs);
	free(text);
}

/* ---- text output -------------------------------------------------------- */

struct wrap {
	int col;
	char pend[160];		/* the item step_item holds back, to know
				 * whether a ';' follows it */
};

static void word(struct wrap *w, const char *s)
{
	int n = (int)strlen(s);

	if (w->col > 2 && w->col + 1 + n > WRAP) {
		fputs("\n  ", stdout);
		w->col = 2;
	} else if (w->col > 2) {
		putchar(' ');
		w->col++;
	}
	fputs(s, stdout);
	w->col += n;
}

/* list - "  label: a b c", wrapped; "none" when empty */
static void list_begin(struct wrap *w, const char *label)
{
	printf("  %s:", label);
	w->col = 3 + (int)strlen(label);
}

static void list_end(struct wrap *w, int n)
{
	if (n == 0)
		word(w, "none");
	putchar('\n');
}

static void met_list(const struct lesson_cov *c, enum lesson_cov_kind k)
{
	struct wrap w;
	size_t i, n = lesson_cov_count(c, k);

	list_begin(&w, "met");
	for (i = 0; i < n; i++)
		word(&w, lesson_cov_item(c, k, i));
	list_end(&w, (int)n);
}

/* missing - the reference items not met; the count of those met */
static size_t missing(const struct lesson_cov *c, enum lesson_cov_kind k,
    const char *const *ref, const char *prefix, struct wrap *w, int print)
{
	size_t i, met = 0, miss = 0;
	char buf[64];

	if (print)
		list_begin(w, "missing");
	for (i = 0; ref[i]; i++) {
		snprintf(buf, sizeof buf, "%s%s", prefix, ref[i]);
		if (lesson_cov_met(c, k, buf))
			met++;
		else if (print) {
			word(w, buf);
			miss++;
		}
	}
	if (print)
		list_end(w, (int)miss);
	return met;
}

struct kwref {
	const char *v[256];
	size_t n;
};

static void add_kw(void *ctx, const char *kw)
{
	struct kwref *k = ctx;

	if (k->n < sizeof k->v / sizeof k->v[0] - 1)
		k->v[k->n++] = kw;
	k->v[k->n] = NULL;
}

static size_t count(const char *const *ref)
{
	size_t n = 0;

	while (ref[n])
		n++;
	return n;
}

/* step_item - "code 250; rule mail": each item but the last with a ';' */
static void step_item(void *ctx, enum lesson_cov_kind k, const char *item)
{
	struct wrap *w = ctx;

	if (w->pend[0]) {
		strcat(w->pend, ";");
		word(w, w->pend);
	}
	snprintf(w->pend, sizeof w->pend - 1, "%s %s", lesson_cov_kind_str(k),
	    item);
}

static void json_step_item(void *ctx, enum lesson_cov_kind k, const char *item)
{
	struct json *j = ctx;
	char buf[160];

	snprintf(buf, sizeof buf, "%s %s", lesson_cov_kind_str(k), item);
	json_string(j, NULL, buf);
}

/* each_step - every checked step reached, of every lesson measured */
static void each_step(const struct lesson_cov *c, struct json *j)
{
	size_t i, s;

	for (i = 0; i < lesson_cov_lessons(c); i++) {
		const char *name = lesson_cov_name(c, i);

		for (s = 1; lesson_cov_step(c, name, s) >= 0; s++) {
			struct wrap w;
			char head[LESSON_NAME_MAX + 32];

			if (lesson_cov_step(c, name, s) != 1)
				continue;
			if (j) {
				json_object_begin(j, NULL);
				json_string(j, "lesson", name);
				json_int(j, "step", (long)s);
				json_array_begin(j, "met");
				lesson_cov_step_each(c, name, s, json_step_item, j);
				json_array_end(j);
				json_object_end(j);
				continue;
			}
			snprintf(head, sizeof head, "%s %zu", name, s);
			list_begin(&w, head);
			w.pend[0] = 0;
			lesson_cov_step_each(c, name, s, step_item, &w);
			if (w.pend[0])
				word(&w, w.pend);
			putchar('\n');
		}
	}
}

static void report_text(const struct lesson_cov *c, const struct checklist *k,
    const struct lesson_cov_opts *o)
{
	struct wrap w;
	struct kwref kw = { { NULL }, 0 };
	size_t n;

	lesson_cov_keyword_each(add_kw, &kw);
	printf("%zu lessons, %zu steps where the learner acts\n",
	    lesson_cov_lessons(c), lesson_cov_checked(c));
	n = missing(c, LESSON_COV_CODE, lesson_cov_rfc5321_codes, "", &w, 0);
	printf("Reply codes: %zu met; RFC 5321's: %zu of %zu\n",
	    lesson_cov_count(c, LESSON_COV_CODE), n,
	    count(lesson_cov_rfc5321_codes));
	met_list(c, LESSON_COV_CODE);
	missing(c, LESSON_COV_CODE, lesson_cov_rfc5321_codes, "", &w, 1);
	printf("Enhanced status codes: %zu met\n", lesson_cov_count(c, LESSON_COV_ENHANCED));
	met_list(c, LESSON_COV_ENHANCED);
	n = missing(c, LESSON_COV_KEYWORD, kw.v, "", &w, 0);
	printf("EHLO keywords: %zu met; of those the simulated server announces, %zu of %zu\n",
	    lesson_cov_count(c, LESSON_COV_KEYWORD), n, kw.n);
	met_list(c, LESSON_COV_KEYWORD);
	missing(c, LESSON_COV_KEYWORD, kw.v, "", &w, 1);
	printf("Server rules: %zu met\n", lesson_cov_count(c, LESSON_COV_RULE));
	met_list(c, LESSON_COV_RULE);
	n = missing(c, LESSON_COV_SECTION, lesson_cov_rfc5321_sections, "RFC 5321 ", &w, 0);
	printf("RFC sections cited: %zu; of RFC 5321's sections 2 to 7, %zu of %zu\n",
	    lesson_cov_count(c, LESSON_COV_SECTION), n,
	    count(lesson_cov_rfc5321_sections));
	met_list(c, LESSON_COV_SECTION);
	missing(c, LESSON_COV_SECTION, lesson_cov_rfc5321_sections, "RFC 5321 ", &w, 1);
	n = missing(c, LESSON_COV_CLIENT_CMD, lesson_cov_rfc5321_commands, "", &w, 0);
	printf("Commands the learner sends (client role): %zu; RFC 5321's: %zu of %zu\n",
	    lesson_cov_count(c, LESSON_COV_CLIENT_CMD), n,
	    count(lesson_cov_rfc5321_commands));
	met_list(c, LESSON_COV_CLIENT_CMD);
	missing(c, LESSON_COV_CLIENT_CMD, lesson_cov_rfc5321_commands, "", &w, 1);
	n = missing(c, LESSON_COV_SERVER_CMD, lesson_cov_rfc5321_commands, "", &w, 0);
	printf("Commands the learner answers (server role): %zu; RFC 5321's: %zu of %zu\n",
	    lesson_cov_count(c, LESSON_COV_SERVER_CMD), n,
	    count(lesson_cov_rfc5321_commands));
	met_list(c, LESSON_COV_SERVER_CMD);
	missing(c, LESSON_COV_SERVER_CMD, lesson_cov_rfc5321_commands, "", &w, 1);
	if (k->have && !k->bad) {
		size_t i, miss = 0;

		printf("Rules list %s: %zu rules, %zu taught\n", k->file, k->r.n,
		    k->r.n - k->missing);
		list_begin(&w, "not taught");
		for (i = 0; i < k->r.n; i++)
			if (!k->taught[i]) {
				word(&w, k->r.v[i].id);
				miss++;
			}
		list_end(&w, (int)miss);
	} else if (k->have)
		printf("Rules list %s: unreadable (see above)\n", k->file);
	if (o->steps) {
		printf("What each step meets:\n");
		each_step(c, NULL);
	}
}

/* ---- JSON output -------------------------------------------------------- */

static void json_met(struct json *j, const struct lesson_cov *c,
    enum lesson_cov_kind k)
{
	size_t i;

	json_array_begin(j, "met");
	for (i = 0; i < lesson_cov_count(c, k); i++)
		json_string(j, NULL, lesson_cov_item(c, k, i));
	json_array_end(j);
}

static void json_missing(struct json *j, const struct lesson_cov *c,
    enum lesson_cov_kind k, const char *const *ref, const char *prefix)
{
	size_t i;
	char buf[64];

	json_array_begin(j, "missing");
	for (i = 0; ref[i]; i++) {
		snprintf(buf, sizeof buf, "%s%s", prefix, ref[i]);
		if (!lesson_cov_met(c, k, buf))
			json_string(j, NULL, buf);
	}
	json_array_end(j);
}

static void json_group(struct json *j, const char *key,
    const struct lesson_cov *c, enum lesson_cov_kind k,
    const char *const *ref, const char *prefix)
{
	json_object_begin(j, key);
	json_met(j, c, k);
	if (ref)
		json_missing(j, c, k, ref, prefix);
	json_object_end(j);
}

static void report_json(const struct lesson_cov *c, const struct checklist *k,
    const struct lesson_cov_opts *o)
{
	struct json j;
	struct kwref kw = { { NULL }, 0 };

	lesson_cov_keyword_each(add_kw, &kw);
	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_int(&j, "lessons", (long)lesson_cov_lessons(c));
	json_int(&j, "checked_steps", (long)lesson_cov_checked(c));
	json_group(&j, "codes", c, LESSON_COV_CODE, lesson_cov_rfc5321_codes, "");
	json_group(&j, "enhanced", c, LESSON_COV_ENHANCED, NULL, "");
	json_group(&j, "keywords", c, LESSON_COV_KEYWORD, kw.v, "");
	json_group(&j, "rules", c, LESSON_COV_RULE, NULL, "");
	json_group(&j, "sections", c, LESSON_COV_SECTION,
	    lesson_cov_rfc5321_sections, "RFC 5321 ");
	json_object_begin(&j, "commands");
	json_group(&j, "client", c, LESSON_COV_CLIENT_CMD,
	    lesson_cov_rfc5321_commands, "");
	json_group(&j, "server", c, LESSON_COV_SERVER_CMD,
	    lesson_cov_rfc5321_commands, "");
	json_object_end(&j);
	if (k->have && !k->bad) {
		size_t i;

		json_object_begin(&j, "checklist");
		json_string(&j, "file", k->file);
		json_int(&j, "rules", (long)k->r.n);
		json_int(&j, "taught", (long)(k->r.n - k->missing));
		json_array_begin(&j, "missing");
		for (i = 0; i < k->r.n; i++)
			if (!k->taught[i])
				json_string(&j, NULL, k->r.v[i].id);
		json_array_end(&j);
		json_object_end(&j);
	} else
		json_null(&j, "checklist");
	if (o->steps) {
		json_array_begin(&j, "steps");
		each_step(c, &j);
		json_array_end(&j);
	}
	json_object_end(&j);
	json_end(&j);
}

int lesson_coverage_cmd(const struct lesson_cov_opts *o, int argc, char **argv)
{
	struct lesson_cov *c = lesson_cov_new();
	struct checklist k;
	int bad;

	memset(&k, 0, sizeof k);
	if (c == NULL) {
		fputs("smtpref lesson coverage: out of memory\n", stderr);
		return 1;
	}
	bad = measure_all(c, o, argc, argv);
	check_rules(&k, c, o, argc);
	if (o->json)
		report_json(c, &k, o);
	else
		report_text(c, &k, o);
	bad |= k.bad || k.missing > 0;
	lesson_rules_free(&k.r);
	free(k.taught);
	lesson_cov_free(c);
	return bad;
}
