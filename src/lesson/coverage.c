/* SPDX-License-Identifier: GPL-3.0-or-later */
/* coverage.c - what a learner meets in a curriculum (coverage.h)
 *
 * Each lesson is walked like lesson_check walks it: a new session, the
 * model answers through the real state machine, the gotos they take; then
 * once more for each alt: answer.  The session's hooks see every reply and
 * event; what they see is collected in a "pending" set and handed to the
 * next checked step when its try is over, so a greeting shown after a
 * set: step, or a section cited in a say: step, counts where the learner
 * acts on it.
 */
#include <config.h>

#include "lesson/coverage.h"

#include "core/ascii.h"
#include "core/ref.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define WALKS_MAX 2000		/* walks of one lesson, as lesson_check */
#define ITEM_MAX 96		/* octets of one item with its kind */

static const char *const kind_names[] = {
	[LESSON_COV_CODE] = "code",
	[LESSON_COV_ENHANCED] = "enhanced",
	[LESSON_COV_KEYWORD] = "keyword",
	[LESSON_COV_RULE] = "rule",
	[LESSON_COV_SECTION] = "section",
	[LESSON_COV_CLIENT_CMD] = "client-command",
	[LESSON_COV_SERVER_CMD] = "server-command",
};
_Static_assert(sizeof kind_names / sizeof kind_names[0] == LESSON_COV_LAST,
    "one name per coverage kind");

const char *lesson_cov_kind_str(enum lesson_cov_kind k)
{
	return (unsigned)k < LESSON_COV_LAST ? kind_names[k] : "?";
}

/* ---- sets of strings ---------------------------------------------------- */

struct set {
	char **v;
	size_t n, cap;
	int oom;
};

static int set_find(const struct set *s, const char *item, size_t *at)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(s->v[mid], item);

		if (c == 0) {
			*at = mid;
			return 1;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return 0;
}

static void set_add(struct set *s, const char *item)
{
	size_t at;
	char *copy;

	if (s->oom || set_find(s, item, &at))
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **v = realloc(s->v, cap * sizeof *v);

		if (v == NULL) {
			s->oom = 1;
			return;
		}
		s->v = v;
		s->cap = cap;
	}
	copy = malloc(strlen(item) + 1);
	if (copy == NULL) {
		s->oom = 1;
		return;
	}
	strcpy(copy, item);
	memmove(s->v + at + 1, s->v + at, (s->n - at) * sizeof *s->v);
	s->v[at] = copy;
	s->n++;
}

static void set_clear(struct set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	s->n = 0;
}

static void set_free(struct set *s)
{
	set_clear(s);
	free(s->v);
	s->v = NULL;
	s->cap = 0;
}

/* ---- the measure -------------------------------------------------------- */

struct cov_lesson {
	char name[LESSON_NAME_MAX];
	size_t nsteps;
	unsigned char *checked;	/* send, reply or ask */
	unsigned char *reached;	/* a walk tried it */
	struct set *met;	/* per step: "K item", K the kind's digit */
};

struct lesson_cov {
	struct set all[LESSON_COV_LAST];
	struct cov_lesson *ls;
	size_t nls, capls;
	size_t checked;
	int oom;
};

struct lesson_cov *lesson_cov_new(void)
{
	return calloc(1, sizeof(struct lesson_cov));
}

void lesson_cov_free(struct lesson_cov *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; i < LESSON_COV_LAST; i++)
		set_free(&c->all[i]);
	for (i = 0; i < c->nls; i++) {
		for (j = 0; j < c->ls[i].nsteps; j++)
			set_free(&c->ls[i].met[j]);
		free(c->ls[i].met);
		free(c->ls[i].checked);
		free(c->ls[i].reached);
	}
	free(c->ls);
	free(c);
}

/* item - "K item" for a per-step set */
static void item(char *buf, size_t size, enum lesson_cov_kind k,
    const char *what)
{
	snprintf(buf, size, "%d %s", (int)k, what);
}

/* ---- a walk ------------------------------------------------------------- */

struct walk {
	struct lesson_cov *c;
	struct cov_lesson *cl;
	const struct lesson *l;
	struct set pending;	/* "K item", met since the last checked step */
	struct lesson_obs obs;
};

static void meet(struct walk *w, enum lesson_cov_kind k, const char *what)
{
	char buf[ITEM_MAX];

	if (what == NULL || what[0] == 0)
		return;
	item(buf, sizeof buf, k, what);
	set_add(&w->pending, buf);
}

/* meet_command - a verb the simulated tables know (not CONNECT, the
 * greeting, nor DATA-END, the final dot) */
static void meet_command(struct walk *w, enum lesson_cov_kind k,
    const char *verb)
{
	if (verb && verb[0] && ref_command_find(verb, strlen(verb)))
		meet(w, k, verb);
}

/* meet_keywords - the keywords of an EHLO reply: every line after the
 * first, up to its first space */
static void meet_keywords(struct walk *w, const char *wire, size_t len)
{
	const char *p = wire, *end = wire + len;
	int first = 1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), i;
		char kw[40];

		if (!first && n > 4) {
			for (i = 0; i + 4 < n && i < sizeof kw - 1 &&
			    p[4 + i] != ' ' && p[4 + i] != '\r'; i++)
				kw[i] = (char)ascii_upper((unsigned char)p[4 + i]);
			kw[i] = 0;
			meet(w, LESSON_COV_KEYWORD, kw);
		}
		first = 0;
		p = nl ? nl + 1 : end;
	}
}

static void on_reply(void *ctx, const struct server_reply *r)
{
	struct walk *w = ctx;
	char code[8];

	if (strcmp(r->rule, "fault-injected") != 0) {
		snprintf(code, sizeof code, "%03d", r->code);
		meet(w, LESSON_COV_CODE, code);
		meet(w, LESSON_COV_ENHANCED, r->enh);
	}
	meet(w, LESSON_COV_RULE, r->rule);
	meet_command(w, LESSON_COV_CLIENT_CMD, r->verb);
	if (strcmp(r->verb, "EHLO") == 0 && r->code == 250)
		meet_keywords(w, r->wire, r->wire_len);
}

static void on_event(void *ctx, const struct server_event *e)
{
	if (e->kind != SERVER_EV_PHASE)
		meet(ctx, LESSON_COV_RULE, e->rule);
}

/* meet_sections - "RFC 5321 4.5.3.1.10", and the sections listed after
 * it ("RFC 5321 3.4 and 7.4", "RFC 5321 4.1.1, 4.5.2"); "RFC 6647" alone
 * when no section follows */
static void meet_sections(struct walk *w, const char *text)
{
	const char *p = text;

	while (text && (p = strstr(p, "RFC ")) != NULL) {
		char rfc[8], sec[24], buf[48];
		size_t n = 0, k;

		p += 4;
		while (ascii_is_digit((unsigned char)p[n]) && n < sizeof rfc - 1) {
			rfc[n] = p[n];
			n++;
		}
		rfc[n] = 0;
		if (n == 0)
			continue;
		p += n;
		for (k = 0;; k++) {
			const char *q = p;
			size_t m = 0;

			if (k == 0 && *q == ' ')
				q++;
			else if (k > 0 && strncmp(q, ", ", 2) == 0)
				q += 2;
			else if (k > 0 && strncmp(q, " and ", 5) == 0)
				q += 5;
			else if (k > 0 && strncmp(q, "; ", 2) == 0 &&
			    ascii_is_digit((unsigned char)q[2]))
				q += 2;
			else
				break;
			if (!(ascii_is_digit((unsigned char)*q) ||
			    (*q >= 'A' && *q <= 'F' && q[1] == '.')))
				break;
			while (m < sizeof sec - 1 && (ascii_is_digit((unsigned char)q[m]) ||
			    q[m] == '.' || (m == 0 && *q >= 'A' && *q <= 'F')))
				sec[m] = q[m], m++;
			while (m > 0 && sec[m - 1] == '.')
				m--;
			sec[m] = 0;
			if (m == 0)
				break;
			snprintf(buf, sizeof buf, "RFC %s %s", rfc, sec);
			meet(w, LESSON_COV_SECTION, buf);
			p = q + m;
		}
		if (k == 0) {
			snprintf(buf, sizeof buf, "RFC %s", rfc);
			meet(w, LESSON_COV_SECTION, buf);
		}
	}
}

/* settle - the try at step i is over: what is pending is met there */
static void settle(struct walk *w, size_t i)
{
	struct cov_lesson *cl = w->cl;
	size_t k;

	cl->reached[i] = 1;
	for (k = 0; k < w->pending.n; k++) {
		const char *v = w->pending.v[k];
		int kind = v[0] - '0';

		set_add(&cl->met[i], v);
		if (kind >= 0 && kind < LESSON_COV_LAST)
			set_add(&w->c->all[kind], v + 2);
	}
	set_clear(&w->pending);
}

/* answer - give a at step i; 0, or -1 when the session would not take it */
static int answer(struct walk *w, struct lesson_session *s, size_t i,
    const struct lesson_answer *a)
{
	const struct lesson_step *st = &w->l->steps[i];
	const char *p = a->text, *end = a->text + strlen(a->text);
	int done = 0;
	size_t k;

	lesson_obs_begin(s, &w->obs);
	if (st->kind == LESSON_ASK || (st->kind == LESSON_SEND && st->pipelined))
		done = lesson_session_input_group(s, p, (size_t)(end - p), &w->obs);
	else
		for (;;) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

			done = lesson_session_input(s, p, len, &w->obs);
			if (nl == NULL || done)
				break;
			p = nl + 1;
		}
	if (st->kind == LESSON_REPLY)
		for (k = 0; k < w->obs.nreplies; k++) {
			const struct lesson_obs_reply *r = &w->obs.replies[k];
			char code[8];

			if (r->code == 0)
				continue;
			snprintf(code, sizeof code, "%03d", r->code);
			meet(w, LESSON_COV_CODE, code);
			meet(w, LESSON_COV_ENHANCED, r->enh);
			meet_command(w, LESSON_COV_SERVER_CMD, r->verb);
		}
	return done ? 0 : -1;
}

static int is_checked(enum lesson_step_kind k)
{
	return k == LESSON_SEND || k == LESSON_REPLY || k == LESSON_ASK;
}

/* walk - the lesson from its first step, with alt at step at (once) */
static int walk(struct walk *w, size_t at, const struct lesson_answer *alt,
    struct lesson_errors *errs)
{
	const struct lesson *l = w->l;
	struct lesson_hooks h = { w, on_reply, on_event, NULL, NULL, NULL, NULL };
	struct lesson_session *s;
	size_t i = 0, n = 0, limit = 8 * l->nsteps + 64;
	int used = 0, rc = 0;
	char err[200];

	set_clear(&w->pending);
	s = lesson_session_new(l, &h);
	if (s == NULL) {
		lesson_error_add(errs, 0, "out of memory");
		return -1;
	}
	while (i < l->nsteps && rc == 0) {
		const struct lesson_step *st = &l->steps[i];
		const struct lesson_answer *a = &st->answer;
		struct lesson_result res;

		if (++n > limit) {
			lesson_error_add(errs, st->line, "the answers loop and never reach the end");
			rc = -1;
			break;
		}
		if (lesson_session_enter(s, i, err, sizeof err) != 0) {
			lesson_error_add(errs, st->line, "%s", err);
			rc = -1;
			break;
		}
		if (st->kind == LESSON_SAY || st->kind == LESSON_SUMMARY ||
		    is_checked(st->kind))
			meet_sections(w, st->text);
		if (!is_checked(st->kind)) {
			i = lesson_step_next(l, i);
			continue;
		}
		if (i == at && !used) {
			a = alt;
			used = 1;
		}
		if (answer(w, s, i, a) != 0 ||
		    (lesson_eval(l, i, &w->obs, 1, &res), res.verdict == LESSON_FAILED)) {
			lesson_error_add(errs, a->line,
			    "this answer does not pass its step (smtpref lesson check says why)");
			rc = -1;
			break;
		}
		settle(w, i);
		i = res.next;
	}
	/* what no checked step followed (the summary's sections) counts
	 * for the lesson, at no step */
	for (i = 0; i < w->pending.n; i++) {
		int kind = w->pending.v[i][0] - '0';

		if (kind >= 0 && kind < LESSON_COV_LAST)
			set_add(&w->c->all[kind], w->pending.v[i] + 2);
	}
	set_clear(&w->pending);
	lesson_session_free(s);
	return rc;
}

size_t lesson_cov_add(struct lesson_cov *c, const struct lesson *l,
    struct lesson_errors *errs)
{
	size_t before = errs->nerrors, i, k, walks = 0;
	struct cov_lesson *cl;
	struct walk *w;

	if (c->nls == c->capls) {
		size_t cap = c->capls ? c->capls * 2 : 32;
		struct cov_lesson *v = realloc(c->ls, cap * sizeof *v);

		if (v == NULL) {
			lesson_error_add(errs, 0, "out of memory");
			return errs->nerrors - before;
		}
		c->ls = v;
		c->capls = cap;
	}
	cl = &c->ls[c->nls];
	memset(cl, 0, sizeof *cl);
	snprintf(cl->name, sizeof cl->name, "%s", l->name);
	cl->nsteps = l->nsteps;
	cl->checked = calloc(l->nsteps + 1, 1);
	cl->reached = calloc(l->nsteps + 1, 1);
	cl->met = calloc(l->nsteps + 1, sizeof *cl->met);
	w = calloc(1, sizeof *w);
	if (cl->checked == NULL || cl->reached == NULL || cl->met == NULL ||
	    w == NULL) {
		free(cl->checked);
		free(cl->reached);
		free(cl->met);
		free(w);
		lesson_error_add(errs, 0, "out of memory");
		return errs->nerrors - before;
	}
	c->nls++;
	for (i = 0; i < l->nsteps; i++)
		if (is_checked(l->steps[i].kind)) {
			cl->checked[i] = 1;
			c->checked++;
		}
	w->c = c;
	w->cl = cl;
	w->l = l;
	if (walk(w, (size_t)-1, NULL, errs) == 0)
		for (i = 0; i < l->nsteps; i++)
			for (k = 0; k < l->steps[i].nalts && walks < WALKS_MAX; k++, walks++)
				walk(w, i, &l->steps[i].alts[k], errs);
	set_free(&w->pending);
	free(w);
	for (i = 0; i < LESSON_COV_LAST; i++)
		c->oom |= c->all[i].oom;
	for (i = 0; i < l->nsteps; i++)
		c->oom |= cl->met[i].oom;
	if (c->oom)
		lesson_error_add(errs, 0, "out of memory");
	return errs->nerrors - before;
}

/* ---- queries ------------------------------------------------------------ */

size_t lesson_cov_count(const struct lesson_cov *c, enum lesson_cov_kind k)
{
	return (unsigned)k < LESSON_COV_LAST ? c->all[k].n : 0;
}

const char *lesson_cov_item(const struct lesson_cov *c, enum lesson_cov_kind k,
    size_t i)
{
	return (unsigned)k < LESSON_COV_LAST && i < c->all[k].n ?
	    c->all[k].v[i] : NULL;
}

/* in_set - item is in s; a section also when a subsection is */
static int in_set(const struct set *s, enum lesson_cov_kind k,
    const char *what, size_t skip)
{
	size_t at, n = strlen(what);
	char buf[ITEM_MAX];

	if (skip) {
		item(buf, sizeof buf, k, what);
		what = buf;
		n = strlen(buf);
	}
	if (set_find(s, what, &at))
		return 1;
	/* the set is sorted: subsections ("... 4.5.3") follow at */
	return k == LESSON_COV_SECTION && at < s->n &&
	    strncmp(s->v[at], what, n) == 0 && s->v[at][n] == '.';
}

int lesson_cov_met(const struct lesson_cov *c, enum lesson_cov_kind k,
    const char *what)
{
	return (unsigned)k < LESSON_COV_LAST && in_set(&c->all[k], k, what, 0);
}

size_t lesson_cov_lessons(const struct lesson_cov *c)
{
	return c->nls;
}

const char *lesson_cov_name(const struct lesson_cov *c, size_t i)
{
	return i < c->nls ? c->ls[i].name : NULL;
}

size_t lesson_cov_checked(const struct lesson_cov *c)
{
	return c->checked;
}

static const struct cov_lesson *find(const struct lesson_cov *c,
    const char *name, size_t step)
{
	size_t i;

	for (i = 0; i < c->nls; i++)
		if (strcmp(c->ls[i].name, name) == 0)
			return step >= 1 && step <= c->ls[i].nsteps ? &c->ls[i] : NULL;
	return NULL;
}

int lesson_cov_step(const struct lesson_cov *c, const char *name, size_t step)
{
	const struct cov_lesson *cl = find(c, name, step);

	if (cl == NULL)
		return -1;
	return cl->checked[step - 1] && cl->reached[step - 1];
}

int lesson_cov_step_met(const struct lesson_cov *c, const char *name,
    size_t step, enum lesson_cov_kind k, const char *what)
{
	const struct cov_lesson *cl = find(c, name, step);

	return cl && (unsigned)k < LESSON_COV_LAST &&
	    in_set(&cl->met[step - 1], k, what, 1);
}

void lesson_cov_step_each(const struct lesson_cov *c, const char *name,
    size_t step, void (*fn)(void *ctx, enum lesson_cov_kind k,
    const char *item), void *ctx)
{
	const struct cov_lesson *cl = find(c, name, step);
	size_t i;

	if (cl == NULL)
		return;
	for (i = 0; i < cl->met[step - 1].n; i++) {
		const char *v = cl->met[step - 1].v[i];

		fn(ctx, (enum lesson_cov_kind)(v[0] - '0'), v + 2);
	}
}

/* ---- the references ----------------------------------------------------- */

const char *const lesson_cov_rfc5321_codes[] = {
	"211", "214", "220", "221", "250", "251", "252", "354", "421", "450",
	"451", "452", "455", "500", "501", "502", "503", "504", "550", "551",
	"552", "553", "554", "555", NULL
};

const char *const lesson_cov_rfc5321_commands[] = {
	"EHLO", "HELO", "MAIL", "RCPT", "DATA", "RSET", "VRFY", "EXPN",
	"HELP", "NOOP", "QUIT", NULL
};

/* RFC 5321's sections 2 to 7, from its table of contents */
const char *const lesson_cov_rfc5321_sections[] = {
	"2.1", "2.2.1", "2.2.2", "2.2.3", "2.3.1", "2.3.2", "2.3.3", "2.3.4",
	"2.3.5", "2.3.6", "2.3.7", "2.3.8", "2.3.9", "2.3.10", "2.3.11",
	"2.4", "3.1", "3.2", "3.3", "3.4", "3.5.1", "3.5.2", "3.5.3",
	"3.5.4", "3.6.1", "3.6.2", "3.6.3", "3.7.1", "3.7.2", "3.7.3",
	"3.7.4", "3.7.5", "3.8", "3.9.1", "3.9.2", "4.1.1.1", "4.1.1.2",
	"4.1.1.3", "4.1.1.4", "4.1.1.5", "4.1.1.6", "4.1.1.7", "4.1.1.8",
	"4.1.1.9", "4.1.1.10", "4.1.1.11", "4.1.2", "4.1.3", "4.1.4",
	"4.1.5", "4.2.1", "4.2.2", "4.2.3", "4.2.4", "4.2.5", "4.3.1",
	"4.3.2", "4.4", "4.5.1", "4.5.2", "4.5.3.1.1", "4.5.3.1.2",
	"4.5.3.1.3", "4.5.3.1.4", "4.5.3.1.5", "4.5.3.1.6", "4.5.3.1.7",
	"4.5.3.1.8", "4.5.3.1.9", "4.5.3.1.10", "4.5.3.2.1", "4.5.3.2.2",
	"4.5.3.2.3", "4.5.3.2.4", "4.5.3.2.5", "4.5.3.2.6", "4.5.3.2.7",
	"4.5.4.1", "4.5.4.2", "4.5.5", "5.1", "5.2", "6.1", "6.2", "6.3",
	"6.4", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "7.7", "7.8", "7.9",
	NULL
};

void lesson_cov_keyword_each(void (*fn)(void *ctx, const char *kw), void *ctx)
{
	size_t i, j;

	for (i = 0; i < ref_keyword_count; i++) {
		const char *kw = ref_keyword_table[i].keyword;

		for (j = 0; j < ref_persona_count; j++) {
			const struct ref_persona *p = &ref_persona_table[j];

			if (ref_list_has(p->keywords, kw, strlen(kw)) ||
			    (p->keywords_tls &&
			    ref_list_has(p->keywords_tls, kw, strlen(kw)))) {
				fn(ctx, kw);
				break;
			}
		}
	}
}
