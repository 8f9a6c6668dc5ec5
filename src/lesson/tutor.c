/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tutor.c - a lesson, run inside a console
 *
 * The lesson's engine (lesson.h) drives the simulated peer and judges
 * each try; the tutor turns that into a conversation driven line by
 * line: it enters steps until one waits for the learner, collects the
 * learner's lines into a try, asks the evaluator, and moves on.  The
 * progress and the step's transcript are saved after every step, so a
 * crash or Ctrl-C loses nothing and the next run resumes there.
 */
#include <config.h>

#include "lesson/tutor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lesson/progress.h"

#define GROUP_MAX (16 * 1024)	/* octets of a pipelined group */

struct tutor {
	struct lesson *l;
	struct lesson_session *s;
	struct lesson_obs *obs;
	struct tx_sink out;
	struct tx_sink sink;		/* keep(): the transcript, then out */
	enum explain_level level;
	char dir[PROGRESS_DIR_MAX];	/* "" when progress is not kept */
	struct progress p;
	size_t step;		/* the step waiting for the learner */
	int done;		/* the lesson is over, or was left */
	int typing;		/* the try has lines already (a message) */
	char *group;		/* a pipelined step's lines, '\n' between */
	size_t ngroup;
	int grouping;		/* lines are being collected */
	unsigned tries;		/* wrong tries at this step */
	unsigned hinted;	/* hints shown at this step */
	int tls;		/* the simulated connection is under TLS */
	struct explain_hold held;	/* event explanations, after the reply */
	char *tx;		/* this step's transcript lines */
	size_t ntx, captx;
	char learner[PROGRESS_LEARNER_MAX + 1];	/* "" when not given */
	int lock;		/* the lesson's lock, -1 when not held */
};

/* ---- what the learner sees, and the transcript ----------------------- */

static void tx_append(struct tutor *t, const char *line, size_t n);

/* keep - pass an item on, and keep its line for the step's transcript */
static void keep(void *ctx, const struct tx_item *it)
{
	struct tutor *t = ctx;
	char line[1200];
	size_t n;

	if (t->out.item)
		t->out.item(t->out.ctx, it);
	n = tx_item_line(it, line, sizeof line - 1);
	if (n == 0)
		return;
	line[n++] = '\n';
	tx_append(t, line, n);
}

/* tx_append - n octets more for the step's transcript */
static void tx_append(struct tutor *t, const char *line, size_t n)
{
	if (t->ntx + n > t->captx) {
		size_t cap = (t->captx + n) * 2;
		char *p = realloc(t->tx, cap);

		if (p == NULL)
			return;
		t->tx = p;
		t->captx = cap;
	}
	memcpy(t->tx + t->ntx, line, n);
	t->ntx += n;
}

static void show(struct tutor *t, enum tx_kind kind, int learner, int code,
    const char *label, const char *text, size_t len)
{
	struct tx_item it = { .kind = kind, .tls = t->tls, .code = code,
	    .by_learner = learner, .label = label, .text = text, .len = len };

	keep(t, &it);
}

/* lines - one item per line of wire text */
static void lines(struct tutor *t, enum tx_kind kind, int code,
    const char *p, size_t len)
{
	const char *end = p + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		show(t, kind, 0, code, NULL, p,
		    n > 0 && p[n - 1] == '\r' ? n - 1 : n);
		p = nl ? nl + 1 : end;
	}
}

static void explain_line(void *ctx, enum explain_kind kind, const char *text)
{
	show(ctx, TX_EXPLAIN, 0, 0, explain_kind_str(kind), text, strlen(text));
}

/* narrate - a step's text, one item per line (lesson.h says what a line
 * is); an empty item first, so a step stands apart from what came before */
static void narrate(struct tutor *t, const char *label, const char *text)
{
	if (text == NULL)
		return;
	show(t, TX_LESSON, 0, 0, label, "", 0);
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);

		show(t, TX_LESSON, 0, 0, label, text, n);
		if (nl == NULL)
			break;
		text = nl + 1;
	}
}

/* ---- the lesson's session -------------------------------------------- */

static void on_reply(void *ctx, const struct server_reply *r)
{
	struct tutor *t = ctx;

	lines(t, TX_RECEIVED, r->code, r->wire, r->wire_len);
	explain_reply(r, t->level, explain_line, t);
	explain_hold_flush(&t->held);
	if (strcmp(r->verb, "STARTTLS") == 0 && r->code == 220)
		t->tls = 1;
}

static void on_event(void *ctx, const struct server_event *e)
{
	struct tutor *t = ctx;

	explain_event(e, t->level, explain_hold_line, &t->held);
}

static void on_line_done(void *ctx)
{
	struct tutor *t = ctx;

	explain_hold_flush(&t->held);
}

static void on_client_sent(void *ctx, const char *bytes, size_t len)
{
	lines(ctx, TX_SENT, 0, bytes, len);
}

static void on_finding(void *ctx, const struct client_finding *f)
{
	struct tutor *t = ctx;

	if (f->kind == CLIENT_DECISION)
		tx_emitf(&t->sink, TX_EXPLAIN, "client", "%s (%s)", f->text, f->section);
	else if (f->kind == CLIENT_DIFFERS && f->expected)
		tx_emitf(&t->sink, TX_FINDING, "expected", "A conforming server would answer %d%s%s: %s (%s)",
		    f->expected, f->expected_enh && *f->expected_enh ? " " : "",
		    f->expected_enh ? f->expected_enh : "", f->text, f->section);
	else
		tx_emitf(&t->sink, TX_FINDING, f->kind == CLIENT_DIFFERS ? "expected" : "check",
		    "%s (%s)", f->text, f->section);
}

static void on_connected(void *ctx, enum lesson_role role, const char *why)
{
	struct tutor *t = ctx;

	t->tls = 0;
	tx_emitf(&t->sink, TX_NOTE, NULL, "A new connection: you are the %s. %s",
	    role == LESSON_CLIENT ? "client" : "server", why ? why : "");
}

static int open_session(struct tutor *t)
{
	struct lesson_hooks h = { t, on_reply, on_event, on_client_sent,
	    on_finding, on_connected, on_line_done };

	lesson_session_free(t->s);
	t->tls = 0;
	t->s = lesson_session_new(t->l, &h);
	return t->s ? 0 : -1;
}

/* ---- progress -------------------------------------------------------- */

/* record_step - the transcript's record of a checked step's end
 * (progress.h: what a receipt is held to) */
static void record_step(struct tutor *t, size_t step, const char *verdict)
{
	char line[96];
	int n = snprintf(line, sizeof line, "=== step %zu of %zu: %s\n",
	    step + 1, t->l->nsteps, verdict);

	if (n > 0 && (size_t)n < sizeof line)
		tx_append(t, line, (size_t)n);
}

/* fresh - a new progress for the lesson, with the learner's name */
static void fresh(struct tutor *t)
{
	progress_init(&t->p, t->l, (long long)time(NULL));
	snprintf(t->p.learner, sizeof t->p.learner, "%s", t->learner);
}

static void save(struct tutor *t)
{
	char err[512];

	if (t->dir[0] == 0) {
		t->ntx = 0;
		return;
	}
	if (t->ntx && progress_transcript_append(t->dir, &t->p, t->tx, t->ntx,
	    err, sizeof err) != 0)
		tx_emitf(&t->out, TX_ERROR, NULL, "%s", err);
	t->ntx = 0;
	if (progress_save(t->dir, &t->p, err, sizeof err) != 0)
		tx_emitf(&t->out, TX_ERROR, NULL, "progress not saved: %s", err);
}

/* ---- the steps ------------------------------------------------------- */

static const struct lesson_step *current(const struct tutor *t)
{
	return t->done || t->step >= t->l->nsteps ? NULL : &t->l->steps[t->step];
}

static void begin_try(struct tutor *t)
{
	lesson_obs_begin(t->s, t->obs);
	t->typing = 0;
	t->grouping = 0;
	t->ngroup = 0;
}

static void finish(struct tutor *t)
{
	progress_finish(&t->p, (long long)time(NULL));
	save(t);
	progress_unlock(t->lock);
	t->lock = -1;
	t->done = 1;
	t->step = t->l->nsteps;
	show(t, TX_LESSON, 0, 0, "done", "", 0);
	if (t->p.skipped == 0 && t->dir[0])
		tx_emitf(&t->sink, TX_LESSON, "done", "Lesson complete. 'smtpref lesson receipt %s' prints a receipt for your teacher.", t->l->name);
	else if (t->p.skipped == 0)
		tx_emitf(&t->sink, TX_LESSON, "done", "Lesson complete.");
	else
		tx_emitf(&t->sink, TX_LESSON, "done", "Lesson complete, with %lu step(s) skipped (no receipt for a skipped lesson).", t->p.skipped);
}

/* duration - "30 minutes", "2 hours", "90 seconds" */
static void duration(unsigned long secs, char *buf, size_t size)
{
	static const struct { unsigned long n; const char *unit; } units[] = {
		{ 86400, "day" }, { 3600, "hour" }, { 60, "minute" },
	};
	size_t i;

	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (secs >= units[i].n && secs % units[i].n == 0) {
			snprintf(buf, size, "%lu %s%s", secs / units[i].n,
			    units[i].unit, secs == units[i].n ? "" : "s");
			return;
		}
	snprintf(buf, size, "%lu second%s", secs, secs == 1 ? "" : "s");
}

/* advance - enter steps from i until one waits for the learner, or the
 * lesson ends */
static void advance(struct tutor *t, size_t i)
{
	char err[256];

	while (i < t->l->nsteps) {
		const struct lesson_step *st = &t->l->steps[i];
		size_t next = lesson_step_next(t->l, i);

		if (st->kind == LESSON_WAIT) {
			char d[32];

			duration(st->wait, d, sizeof d);
			tx_emitf(&t->sink, TX_NOTE, "clock", "Time passes on the simulated clock: %s.", d);
		}
		if (lesson_session_enter(t->s, i, err, sizeof err) != 0)
			tx_emitf(&t->out, TX_ERROR, NULL, "%s:%u: %s", t->l->file, st->line, err);
		switch (st->kind) {
		case LESSON_SEND:
		case LESSON_REPLY:
		case LESSON_ASK:
			narrate(t, "task", st->text);
			t->step = i;
			t->tries = t->hinted = 0;
			begin_try(t);
			return;
		case LESSON_SAY:
			narrate(t, "say", st->text);
			break;
		case LESSON_SUMMARY:
			narrate(t, "summary", st->text);
			break;
		default:
			break;
		}
		progress_step(&t->p, next, 0, 0);
		save(t);
		i = next;
	}
	finish(t);
}

/* judge - the try is complete: passed, a branch, or try again */
static void judge(struct tutor *t)
{
	struct lesson_result res;
	const struct server *srv = lesson_session_server(t->s);

	t->typing = 0;
	/* explanations wait for the reply they belong to; when the
	 * connection closed without one (a lost reply, a hang-up), no reply
	 * will come: show them now */
	if (srv && server_phase(srv) == SERVER_CLOSED)
		explain_hold_flush(&t->held);
	lesson_eval(t->l, t->step, t->obs, t->tries + 1, &res);
	if (res.verdict != LESSON_FAILED) {
		tx_emitf(&t->sink, TX_NOTE, "lesson", "Right.");
		record_step(t, t->step, "passed");
		progress_step(&t->p, res.next, 1, 0);
		save(t);
		advance(t, res.next);
		return;
	}
	t->tries++;
	t->p.tries++;
	tx_emitf(&t->sink, TX_FINDING, "not yet", "%s", res.why);
	if (res.hint) {
		show(t, TX_HINT, 0, 0, NULL, res.hint, strlen(res.hint));
		t->hinted++;
	}
	lesson_session_undo(t->s);
	begin_try(t);
}

static int is_auth_answer(const struct tutor *t)
{
	const struct server *srv = lesson_session_server(t->s);

	return srv && server_phase(srv) == SERVER_AUTH;
}

static int feed(struct tutor *t, const struct lesson_step *st,
    const char *line, size_t len)
{
	int secret = 0;

	if (st->kind == LESSON_SEND)
		secret = tx_learner_sent(&t->sink, t->tls, line, len,
		    is_auth_answer(t));
	else if (st->kind == LESSON_REPLY) {
		int code = len >= 3 && line[0] >= '2' && line[0] <= '5' ?
		    (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0') : 0;

		show(t, TX_RECEIVED, 1, code, NULL, line, len);
	} else
		tx_emitf(&t->sink, TX_NOTE, "answer", "%.*s", (int)len, line);
	t->typing = 1;
	if (lesson_session_input(t->s, line, len, t->obs))
		judge(t);
	return secret;
}

/* send_group - the collected lines in one write; 1 when one of them
 * held a credential */
static int send_group(struct tutor *t)
{
	const char *g = t->group ? t->group : "", *p = g, *end;
	size_t n = t->ngroup;
	int secret = 0;

	t->grouping = 0;
	if (n > 0)
		n--;		/* the last line's '\n' */
	end = g + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		secret |= tx_learner_sent(&t->sink, t->tls, p, len, 0);
		p = nl ? nl + 1 : end;
	}
	t->ngroup = 0;
	t->typing = 1;
	if (lesson_session_input_group(t->s, g, n, t->obs))
		judge(t);
	return secret;
}

static void group_add(struct tutor *t, const char *line, size_t len)
{
	char *g;

	if (t->ngroup + len + 2 > GROUP_MAX) {
		tx_emitf(&t->out, TX_ERROR, NULL, "a group holds at most %d octets; an empty line sends it", GROUP_MAX);
		return;
	}
	g = realloc(t->group, t->ngroup + len + 2);
	if (g == NULL) {
		tx_emitf(&t->out, TX_ERROR, NULL, "out of memory");
		return;
	}
	t->group = g;
	memcpy(t->group + t->ngroup, line, len);
	t->group[t->ngroup + len] = '\n';
	t->ngroup += len + 1;
	t->grouping = 1;
}

int tutor_line(struct tutor *t, const char *line, size_t len)
{
	const struct lesson_step *st = current(t);

	if (st == NULL)
		return 0;
	if (st->pipelined && st->kind == LESSON_SEND) {
		/* the lines of a group, until an empty line */
		if (len > 0)
			group_add(t, line, len);
		else if (t->grouping)
			return send_group(t);
		return 0;
	}
	return feed(t, st, line, len);
}

int tutor_group(struct tutor *t, const char *const *l, const size_t *lens,
    size_t n)
{
	const struct lesson_step *st = current(t);
	size_t i;
	int secret = 0;

	if (st && st->pipelined && st->kind == LESSON_SEND) {
		for (i = 0; i < n; i++)
			if (lens[i] > 0)
				group_add(t, l[i], lens[i]);
		return t->grouping ? send_group(t) : 0;
	}
	for (i = 0; i < n && !t->done; i++)
		secret |= tutor_line(t, l[i], lens[i]);
	return secret;
}

/* ---- the lesson's meta-commands -------------------------------------- */

void tutor_hint(struct tutor *t)
{
	const struct lesson_step *st = current(t);
	const struct lesson_hint *best = NULL;
	size_t i;

	if (st == NULL || (st->kind != LESSON_SEND && st->kind != LESSON_REPLY &&
	    st->kind != LESSON_ASK)) {
		tx_emitf(&t->sink, TX_NOTE, "lesson", "No step is waiting for you.");
		return;
	}
	/* the strongest hint the wrong tries so far allow; asked for, the
	 * next one even before a wrong try */
	for (i = 0; i < st->nhints; i++)
		if (st->hints[i].after <= t->tries + 1 || i == t->hinted)
			best = &st->hints[i];
	if (best == NULL) {
		tx_emitf(&t->sink, TX_NOTE, "lesson", "No hint for this step.");
		return;
	}
	show(t, TX_HINT, 0, 0, NULL, best->text, strlen(best->text));
	t->hinted++;
}

int tutor_skip(struct tutor *t)
{
	if (current(t) == NULL)
		return 0;
	if (t->l->skip_forbidden)
		return -1;
	if (t->typing || t->grouping)
		lesson_session_undo(t->s);
	tx_emitf(&t->sink, TX_NOTE, "lesson", "Skipped.");
	record_step(t, t->step, "skipped");
	progress_step(&t->p, t->step + 1, 0, 1);
	save(t);
	advance(t, t->step + 1);
	return 0;
}

void tutor_restart(struct tutor *t)
{
	fresh(t);
	t->done = 0;
	save(t);
	tx_emitf(&t->sink, TX_NOTE, "lesson", "From the start.");
	if (open_session(t) < 0) {
		tx_emitf(&t->out, TX_ERROR, NULL, "out of memory");
		t->done = 1;
		return;
	}
	advance(t, 0);
}

int tutor_cancel(struct tutor *t)
{
	int had = t->grouping;

	t->grouping = 0;
	t->ngroup = 0;
	return had;
}

void tutor_leave(struct tutor *t)
{
	if (t->done)
		return;
	save(t);
	progress_unlock(t->lock);
	t->lock = -1;
	t->done = 1;
	show(t, TX_LESSON, 0, 0, "done", "", 0);
	if (t->dir[0])
		tx_emitf(&t->sink, TX_LESSON, "done", "Your progress is saved: 'smtpref lesson run %s' (or :lesson %s in the shell) goes on from here.", t->l->name, t->l->name);
	else
		tx_emitf(&t->sink, TX_LESSON, "done", "The lesson is left.");
}

/* ---- the tutor ------------------------------------------------------- */

struct tutor *tutor_new(struct lesson *l, const struct tutor_opts *o,
    const struct tx_sink *sink)
{
	struct tutor *t = calloc(1, sizeof *t);

	if (t == NULL) {
		lesson_free(l);
		return NULL;
	}
	t->l = l;
	t->level = o ? o->level : EXPLAIN_BRIEF;
	t->lock = -1;
	if (o && o->progress_dir)
		snprintf(t->dir, sizeof t->dir, "%s", o->progress_dir);
	if (o && o->learner && progress_learner_ok(o->learner))
		snprintf(t->learner, sizeof t->learner, "%s", o->learner);
	if (sink)
		t->out = *sink;
	t->sink.ctx = t;
	t->sink.item = keep;
	explain_hold_init(&t->held, explain_line, t);
	t->obs = malloc(sizeof *t->obs);
	if (t->obs == NULL) {
		tutor_free(t);
		return NULL;
	}
	return t;
}

void tutor_free(struct tutor *t)
{
	if (t == NULL)
		return;
	progress_unlock(t->lock);
	lesson_session_free(t->s);
	lesson_free(t->l);
	free(t->obs);
	free(t->group);
	free(t->tx);
	free(t);
}

void tutor_start(struct tutor *t)
{
	size_t i = 0;
	int found = 0, busy;
	char err[512];

	/* one run of a lesson at a time: two would each overwrite what
	 * the other saves, and the transcript a receipt needs is lost */
	if (t->dir[0] && (t->lock = progress_lock(t->dir, t->l->name, &busy,
	    err, sizeof err)) < 0) {
		tx_emitf(&t->out, TX_ERROR, NULL, "%s", err);
		if (busy) {
			t->done = 1;
			return;
		}
	}
	if (t->dir[0] && progress_load(t->dir, t->l->name, &t->p, &found, err,
	    sizeof err) != 0) {
		tx_emitf(&t->out, TX_ERROR, NULL, "%s; starting afresh", err);
		found = 0;
	}
	if (found && !t->p.done && t->p.steps == t->l->nsteps && t->p.step > 0 &&
	    t->p.step < t->l->nsteps) {
		i = t->p.step;
		if (t->learner[0])
			snprintf(t->p.learner, sizeof t->p.learner, "%s", t->learner);
	} else
		fresh(t);
	show(t, TX_LESSON, 0, 0, "title", t->l->title, strlen(t->l->title));
	if (open_session(t) < 0) {
		tx_emitf(&t->out, TX_ERROR, NULL, "out of memory");
		t->done = 1;
		return;
	}
	if (i > 0) {
		tx_emitf(&t->sink, TX_NOTE, "lesson", "Resuming where you stopped (step %zu of %zu).", i + 1, t->l->nsteps);
		lesson_session_resume(t->s, i);
	}
	save(t);
	advance(t, i);
}

int tutor_done(const struct tutor *t)
{
	return t->done;
}

enum tutor_wants tutor_wants(const struct tutor *t)
{
	const struct lesson_step *st = current(t);
	const struct server *srv;

	if (st == NULL)
		return TUTOR_NOTHING;
	if (st->kind == LESSON_ASK)
		return TUTOR_ANSWER;
	if (st->kind == LESSON_REPLY)
		return TUTOR_REPLY;
	if (st->pipelined && st->kind == LESSON_SEND)
		return TUTOR_GROUP;
	srv = lesson_session_server(t->s);
	if (srv && server_phase(srv) == SERVER_DATA)
		return TUTOR_MESSAGE;
	if (srv && server_phase(srv) == SERVER_AUTH)
		return TUTOR_AUTH;
	return TUTOR_COMMAND;
}

const struct lesson *tutor_lesson(const struct tutor *t)
{
	return t->l;
}

size_t tutor_step(const struct tutor *t)
{
	return t->step;
}

const struct server *tutor_server(const struct tutor *t)
{
	return t->s ? lesson_session_server(t->s) : NULL;
}

const struct client *tutor_client(const struct tutor *t)
{
	return t->s ? lesson_session_client(t->s) : NULL;
}

int tutor_tls(const struct tutor *t)
{
	return t->tls;
}

void tutor_set_level(struct tutor *t, enum explain_level level)
{
	t->level = level;
}
