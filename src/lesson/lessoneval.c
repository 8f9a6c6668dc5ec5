/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lessoneval.c - what a lesson step makes of the learner's try: the
 * observation, the evaluator, the session that drives the simulated
 * server or client, and the checker that walks a lesson with its model
 * answers
 *
 * The runner and the checker share all of it, so a lesson that passes
 * `smtpref lesson check` behaves in front of a learner exactly as it did
 * for the checker: the same state machine (server.c or client.c), the
 * same faults, the same evaluator.
 *
 * A session keeps a log of what was fed to the current connection (the
 * learner's input and the faults), and the greylist memory as it was when
 * the connection opened, so that it can rebuild the connection as it was
 * before a failed try (lesson_session_undo): the simulated peer is
 * deterministic, so replaying the log gives the same state.
 */
#include <config.h>

#include "lesson/lesson.h"

#include "core/ascii.h"
#include "core/reply.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_BYTES_MAX (1024 * 1024)	/* input kept for undo */
#define LOG_ENTRIES_MAX 4096
#define OUT_MAX 65536			/* one client_next() chunk */
#define RBUF_MAX 65536			/* one reply of the learner */
#define UNITS_MAX 256			/* client commands awaiting replies */

/* ---- names -------------------------------------------------------------- */

static const char *const verdict_names[] = {
	[LESSON_PASSED] = "passed",
	[LESSON_FAILED] = "failed",
	[LESSON_BRANCH] = "branch",
};
_Static_assert(sizeof verdict_names / sizeof verdict_names[0] ==
    LESSON_VERDICT_LAST, "one name per verdict");

const char *lesson_verdict_str(enum lesson_verdict v)
{
	return (unsigned)v < LESSON_VERDICT_LAST ? verdict_names[v] : "?";
}

/* ---- the observation ---------------------------------------------------- */

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

void lesson_obs_clear(struct lesson_obs *o, enum lesson_role role)
{
	memset(o, 0, sizeof *o);
	o->role = role;
}

void lesson_obs_line(struct lesson_obs *o, const char *line, size_t len)
{
	size_t room = sizeof o->input - 1 - o->input_len;

	if (o->lines > 0 && room > 0) {
		o->input[o->input_len++] = '\n';
		room--;
	}
	if (len > room)
		len = room;
	memcpy(o->input + o->input_len, line, len);
	o->input_len += len;
	o->input[o->input_len] = 0;
	o->lines++;
}

static struct lesson_obs_reply *obs_next(struct lesson_obs *o)
{
	struct lesson_obs_reply *r;

	if (o->nreplies >= LESSON_OBS_REPLIES) {
		o->dropped++;
		return NULL;
	}
	r = &o->replies[o->nreplies++];
	memset(r, 0, sizeof *r);
	r->allowed = 1;
	return r;
}

void lesson_obs_reply(struct lesson_obs *o, const struct server_reply *r)
{
	struct lesson_obs_reply *x = obs_next(o);

	if (r->closes)
		o->closed = 1;
	if (x == NULL)
		return;
	x->code = r->code;
	copy(x->enh, sizeof x->enh, r->enh);
	copy(x->verb, sizeof x->verb, r->verb);
	copy(x->rule, sizeof x->rule, r->rule);
	x->expected = r->code;
	copy(x->expected_enh, sizeof x->expected_enh, r->enh);
}

void lesson_obs_learner_reply(struct lesson_obs *o, const char *verb,
    const char *wire, size_t len)
{
	struct lesson_obs_reply *x = obs_next(o);
	struct reply_line rl;
	const char *eol = memchr(wire, '\n', len);
	size_t n = eol ? (size_t)(eol - wire) : len;

	if (x == NULL)
		return;
	if (n > 0 && wire[n - 1] == '\r')
		n--;
	copy(x->verb, sizeof x->verb, verb);
	if (reply_parse_line(wire, n, &rl) == REPLY_OK) {
		x->code = rl.code;
		if (rl.has_enh)
			snprintf(x->enh, sizeof x->enh, "%d.%d.%d", rl.enh.cls,
			    rl.enh.subject, rl.enh.detail);
	}
	x->expected = x->code;
	copy(x->expected_enh, sizeof x->expected_enh, x->enh);
}

void lesson_obs_finding(struct lesson_obs *o, const struct client_finding *f)
{
	struct lesson_obs_reply *x = o->nreplies ? &o->replies[o->nreplies - 1] : NULL;

	if ((unsigned)f->kind < CLIENT_FINDING_LAST)
		o->findings |= 1u << f->kind;
	if (x == NULL)
		return;
	switch (f->kind) {
	case CLIENT_BAD_REPLY:
	case CLIENT_BAD_CODE:
	case CLIENT_BAD_ENHANCED:
		x->allowed = 0;
		if (o->finding[0] == 0)
			copy(o->finding, sizeof o->finding, f->text);
		break;
	case CLIENT_DIFFERS:
		x->expected = f->expected;
		copy(x->expected_enh, sizeof x->expected_enh, f->expected_enh);
		break;
	default:
		break;
	}
}

void lesson_obs_phase(struct lesson_obs *o, const char *phase, int closed)
{
	copy(o->phase, sizeof o->phase, phase);
	if (closed)
		o->closed = 1;
}

/* ---- conditions --------------------------------------------------------- */

static int code_match(const char *pat, int code)
{
	char c[8];
	int i;

	if (code < 100 || code > 999)
		return 0;
	snprintf(c, sizeof c, "%03d", code);
	for (i = 0; i < 3; i++)
		if (pat[i] != 'x' && pat[i] != c[i])
			return 0;
	return 1;
}

/* enh_match - pattern "5.1.x" (or "none") against "5.1.1" (or "") */
static int enh_match(const char *pat, const char *enh)
{
	if (strcmp(pat, "none") == 0)
		return enh[0] == 0;
	if (enh[0] == 0)
		return 0;
	while (*pat && *enh) {
		size_t pn = strcspn(pat, "."), en = strcspn(enh, ".");

		if (!(pn == 1 && pat[0] == 'x') &&
		    (pn != en || memcmp(pat, enh, pn) != 0))
			return 0;
		pat += pn;
		enh += en;
		if (*pat != *enh)
			return 0;
		if (*pat == '.') {
			pat++;
			enh++;
		}
	}
	return *pat == 0 && *enh == 0;
}

static const struct lesson_obs_reply *last_reply(const struct lesson_obs *o)
{
	return o->nreplies ? &o->replies[o->nreplies - 1] : NULL;
}

static int match_lines(const struct lesson_cond *c, const struct lesson_obs *o)
{
	const char *p = o->input, *end = o->input + o->input_len;
	char line[LESSON_OBS_INPUT];

	if (c->re == NULL)
		return 0;
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		memcpy(line, p, n);
		line[n] = 0;
		if (regexec(c->re, line, 0, NULL, 0) == 0)
			return 1;
		if (nl == NULL)
			return 0;
		p = nl + 1;
	}
}

static int all_allowed(const struct lesson_obs *o)
{
	size_t i;

	if (o->nreplies == 0)
		return 0;
	for (i = 0; i < o->nreplies; i++)
		if (!o->replies[i].allowed)
			return 0;
	return 1;
}

/* same_sender - the learner's answer names the sender the server
 * accepted: spaces, angle brackets, case and a final full stop aside */
static int same_sender(const struct lesson_obs *o)
{
	const char *p = o->input, *end = o->input + o->input_len;
	size_t n = strlen(o->sender);

	if (!o->have_sender)
		return 0;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '.'))
		end--;
	if (end - p >= 2 && *p == '<' && end[-1] == '>') {
		p++;
		end--;
	}
	return (size_t)(end - p) == n && ascii_ieq(p, n, o->sender);
}

static int holds(const struct lesson_cond *c, const struct lesson_obs *o)
{
	const struct lesson_obs_reply *r = last_reply(o);
	size_t i;

	switch (c->kind) {
	case LESSON_C_CODE:
		if (r == NULL)
			return 0;
		for (i = 0; i < c->npats; i++)
			if (code_match(c->pats[i], r->code))
				return 1;
		return 0;
	case LESSON_C_CODES:
		if (o->nreplies != c->npats || o->dropped)
			return 0;
		for (i = 0; i < c->npats; i++)
			if (!code_match(c->pats[i], o->replies[i].code))
				return 0;
		return 1;
	case LESSON_C_ENHANCED:
		return r != NULL && enh_match(c->arg, r->enh);
	case LESSON_C_PHASE:
		return strcmp(o->phase, c->arg) == 0;
	case LESSON_C_RULE:
		return r != NULL && strcmp(r->rule, c->arg) == 0;
	case LESSON_C_COMMAND:
		return r != NULL && ascii_ieq(r->verb, strlen(r->verb), c->arg);
	case LESSON_C_MATCH:
		return match_lines(c, o);
	case LESSON_C_CLOSED:
		return o->closed;
	case LESSON_C_ALLOWED:
		return all_allowed(o);
	case LESSON_C_CONFORMING:
		if (!all_allowed(o))
			return 0;
		for (i = 0; i < o->nreplies; i++)
			if (o->replies[i].expected != o->replies[i].code)
				return 0;
		return 1;
	case LESSON_C_SENDER:
		return same_sender(o);
	case LESSON_C_LAST:
		break;
	}
	return 0;
}

int lesson_cond_holds(const struct lesson_cond *c, const struct lesson_obs *o)
{
	return holds(c, o) != c->negate;
}

/* codes_str - "250 250 550" */
static void codes_str(const struct lesson_obs *o, char *buf, size_t size)
{
	size_t i, n = 0;

	buf[0] = 0;
	for (i = 0; i < o->nreplies && n + 5 < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%03d", i ? " " : "",
		    o->replies[i].code);
}

/* why - one or two sentences for the learner about a check that failed */
static void why(const struct lesson_cond *c, const struct lesson_obs *o,
    char *buf, size_t size)
{
	const struct lesson_obs_reply *r = last_reply(o);
	int server = o->role == LESSON_SERVER;
	const char *who = server ? "Your reply" : "The reply";
	char got[LESSON_OBS_REPLIES * 4 + 1];

	switch (c->kind) {
	case LESSON_C_CODE:
		if (r == NULL)
			snprintf(buf, size, "%s", o->closed ?
			    "There was no reply: the connection was closed." :
			    "There was no reply.");
		else if (server && r->code == 0)
			snprintf(buf, size, "That is not a reply line: a reply starts with a three-digit code.");
		else if (c->negate)
			snprintf(buf, size, "%s was %03d, which is not what this step wants.",
			    who, r->code);
		else
			snprintf(buf, size, "%s was %03d; this step wants %s.", who,
			    r->code, c->arg);
		return;
	case LESSON_C_CODES:
		codes_str(o, got, sizeof got);
		snprintf(buf, size, "The replies were %s; this step wants %s%s.",
		    got[0] ? got : "none", c->negate ? "something other than " : "",
		    c->arg);
		return;
	case LESSON_C_ENHANCED:
		if (r == NULL)
			snprintf(buf, size, "There was no reply.");
		else if (r->enh[0] == 0)
			snprintf(buf, size, "%s had no enhanced status code; this step wants %s.",
			    who, c->arg);
		else
			snprintf(buf, size, "%s had the enhanced code %s; this step wants %s%s.",
			    who, r->enh, c->negate ? "something other than " : "", c->arg);
		return;
	case LESSON_C_PHASE:
		if (server)
			snprintf(buf, size, "The client is now at '%s'; this step wants %s'%s'.",
			    o->phase, c->negate ? "anything but " : "", c->arg);
		else
			snprintf(buf, size, "The session is now in phase '%s'; this step wants %s'%s'.",
			    o->phase, c->negate ? "anything but " : "", c->arg);
		return;
	case LESSON_C_RULE:
		snprintf(buf, size, "The server answered by its rule '%s'; this step wants %s'%s'.",
		    r ? r->rule : "none", c->negate ? "anything but " : "", c->arg);
		return;
	case LESSON_C_COMMAND:
		if (r == NULL || r->verb[0] == 0)
			snprintf(buf, size, "That was not the command this step asks for (%s).",
			    c->arg);
		else if (server)
			snprintf(buf, size, "Your reply answered %s; this step is about %s%s.",
			    r->verb, c->negate ? "anything but " : "", c->arg);
		else
			snprintf(buf, size, "That was %s; this step asks for %s%s.",
			    r->verb, c->negate ? "anything but " : "", c->arg);
		return;
	case LESSON_C_MATCH:
		snprintf(buf, size, "%s", c->negate ?
		    "That is the form this step asks you to avoid." :
		    "That does not have the form this step asks for.");
		return;
	case LESSON_C_CLOSED:
		snprintf(buf, size, "%s", c->negate ? "The connection was closed." :
		    "The connection is still open.");
		return;
	case LESSON_C_ALLOWED:
		if (c->negate)
			snprintf(buf, size, "That reply is one a server may give; this step wants one it may not.");
		else
			snprintf(buf, size, "A server may not reply like that: %s",
			    o->finding[0] ? o->finding : "the reply is not valid.");
		return;
	case LESSON_C_CONFORMING: {
		size_t i;

		if (c->negate) {
			snprintf(buf, size, "That is what a conforming server says; this step wants something else.");
			return;
		}
		if (!all_allowed(o)) {
			snprintf(buf, size, "A server may not reply like that: %s",
			    o->finding[0] ? o->finding : "the reply is not valid.");
			return;
		}
		for (i = 0; i < o->nreplies; i++)
			if (o->replies[i].expected != o->replies[i].code)
				break;
		if (i < o->nreplies && o->replies[i].expected == 0)
			snprintf(buf, size, "A server of this kind would close the connection here, not reply %03d.",
			    o->replies[i].code);
		else if (i < o->nreplies)
			snprintf(buf, size, "A conforming server would answer %03d%s%s here, not %03d.",
			    o->replies[i].expected,
			    o->replies[i].expected_enh[0] ? " " : "",
			    o->replies[i].expected_enh, o->replies[i].code);
		else
			snprintf(buf, size, "That is not what a conforming server would answer.");
		return;
	}
	case LESSON_C_SENDER:
		snprintf(buf, size, "%s", !o->have_sender ?
		    "The server has accepted no MAIL command on this connection yet." :
		    "That is not the address your MAIL FROM gave the server: look at what you sent.");
		return;
	case LESSON_C_LAST:
		break;
	}
	snprintf(buf, size, "That is not it.");
}

/* ---- the evaluator ------------------------------------------------------ */

/* normal - an answer without case, surrounding space, doubled space and
 * a final full stop, into buf */
static void normal(const char *s, size_t n, char *buf, size_t size)
{
	size_t i, k = 0;
	int space = 0;

	for (i = 0; i < n && k + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = k > 0;
			continue;
		}
		if (space && k + 2 < size)
			buf[k++] = ' ';
		space = 0;
		buf[k++] = (char)ascii_lower(c);
	}
	if (k > 0 && buf[k - 1] == '.')
		k--;
	buf[k] = 0;
}

static int answer_ok(const struct lesson_step *st, const struct lesson_obs *o)
{
	char got[512], want[512];
	size_t i;

	normal(o->input, o->input_len, got, sizeof got);
	normal(st->answer.text, strlen(st->answer.text), want, sizeof want);
	if (strcmp(got, want) == 0)
		return 1;
	for (i = 0; i < st->naccepts; i++) {
		normal(st->accepts[i], strlen(st->accepts[i]), want, sizeof want);
		if (strcmp(got, want) == 0)
			return 1;
	}
	return 0;
}

int lesson_eval(const struct lesson *l, size_t i, const struct lesson_obs *o,
    unsigned tries, struct lesson_result *res)
{
	const struct lesson_step *st;
	size_t k;

	if (l == NULL || i >= l->nsteps)
		return -1;
	st = &l->steps[i];
	if (st->kind != LESSON_SEND && st->kind != LESSON_REPLY &&
	    st->kind != LESSON_ASK)
		return -1;
	memset(res, 0, sizeof *res);
	for (k = 0; k < st->nbranches; k++)
		if (lesson_cond_holds(&st->branches[k].cond, o)) {
			res->verdict = LESSON_BRANCH;
			res->next = st->branches[k].target;
			res->line = st->branches[k].cond.line;
			res->branch = k;
			return 0;
		}
	res->verdict = LESSON_PASSED;
	res->next = i + 1;
	if (st->kind == LESSON_ASK && st->nconds == 0) {
		if (!answer_ok(st, o)) {
			res->verdict = LESSON_FAILED;
			res->line = st->answer.line;
			snprintf(res->why, sizeof res->why, "That is not the answer.");
		}
	} else if (st->kind == LESSON_REPLY && !all_allowed(o)) {
		static const struct lesson_cond allowed = { LESSON_C_ALLOWED, 0, 0,
		    "", NULL, 0, NULL };

		res->verdict = LESSON_FAILED;
		res->line = st->line;
		why(&allowed, o, res->why, sizeof res->why);
	} else {
		for (k = 0; k < st->nconds; k++)
			if (!lesson_cond_holds(&st->conds[k], o)) {
				res->verdict = LESSON_FAILED;
				res->line = st->conds[k].line;
				why(&st->conds[k], o, res->why, sizeof res->why);
				break;
			}
	}
	if (res->verdict == LESSON_FAILED) {
		res->next = i;
		for (k = 0; k < st->nhints; k++)
			if (st->hints[k].after <= tries) {
				res->hint = st->hints[k].text;
				res->hint_after = st->hints[k].after;
			}
	}
	return 0;
}

/* ---- the session -------------------------------------------------------- */

enum log_kind { LOG_LINE, LOG_GROUP, LOG_FAULT, LOG_WAIT };

struct log_entry {
	enum log_kind kind;
	size_t off, len;	/* LINE, GROUP: in the log buffer */
	size_t step;		/* FAULT, WAIT: the step; LINE, GROUP: the
				 * step (whose escapes: apply) */
};

struct unit {
	char verb[16];
};

struct lesson_session {
	const struct lesson *l;
	struct lesson_hooks h;
	int quiet;		/* rebuilding or resuming: no hooks */
	int replaying;		/* undo's replay: the log is not written */
	enum lesson_role role;
	const struct ref_persona *persona;
	const struct ref_scenario *scenario;
	size_t step;		/* the step entered last */

	struct server_memory mem;	/* the greylist, across connections */
	struct server_memory mem0;	/* ... as the connection found it */
	struct server *srv;		/* client role */
	struct client *cli;		/* server role */
	int cli_done;			/* the client closed the connection */
	struct lesson_obs *obs;		/* the try being observed */

	/* the log of the connection, for undo */
	char *log;
	size_t log_len, log_cap;
	struct log_entry *ent;
	size_t nent, ent_cap;
	int log_full;
	size_t mark_ent, mark_len;	/* where the current try began */

	/* server role: the learner's reply being assembled */
	struct reply_acc acc;
	char rbuf[RBUF_MAX];
	size_t rlen;
	int rtrunc;
	char out[OUT_MAX];		/* client_next's chunk */

	/* server role: what the client's commands are, in order, so that
	 * each reply of the learner is known to answer one of them */
	struct unit units[UNITS_MAX];
	size_t uhead, un;
	int in_message;			/* the client sends its message */
	char tail[5];			/* its last octets, for CRLF.CRLF */
	int auth_next;			/* the next line answers a 334 */
	unsigned long bdat_skip;	/* chunk octets still to come */
	char cline[1024];		/* a command line being assembled */
	size_t clen;
	int sent;			/* the client sent something this turn */
};

static void on_reply(void *ctx, const struct server_reply *r)
{
	struct lesson_session *s = ctx;

	if (s->obs)
		lesson_obs_reply(s->obs, r);
	if (!s->quiet && s->h.reply)
		s->h.reply(s->h.ctx, r);
}

static void on_event(void *ctx, const struct server_event *e)
{
	struct lesson_session *s = ctx;

	if (!s->quiet && s->h.event)
		s->h.event(s->h.ctx, e);
}

static void on_line_done(void *ctx)
{
	struct lesson_session *s = ctx;

	if (!s->quiet && s->h.line_done)
		s->h.line_done(s->h.ctx);
}

static void on_finding(void *ctx, const struct client_finding *f)
{
	struct lesson_session *s = ctx;

	if (s->obs)
		lesson_obs_finding(s->obs, f);
	if (!s->quiet && s->h.finding)
		s->h.finding(s->h.ctx, f);
}

static void connected(struct lesson_session *s, const char *why)
{
	if (!s->quiet && s->h.connected)
		s->h.connected(s->h.ctx, s->role, why);
}

/* -- the units the client sends -- */

static void unit_push(struct lesson_session *s, const char *verb, size_t n)
{
	struct unit *u;
	size_t i;

	if (s->un >= UNITS_MAX)
		return;
	u = &s->units[(s->uhead + s->un++) % UNITS_MAX];
	if (n >= sizeof u->verb)
		n = sizeof u->verb - 1;
	for (i = 0; i < n; i++)
		u->verb[i] = (char)ascii_upper((unsigned char)verb[i]);
	u->verb[n] = 0;
}

static void units_reset(struct lesson_session *s)
{
	s->uhead = s->un = 0;
	s->in_message = 0;
	s->auth_next = 0;
	s->bdat_skip = 0;
	s->clen = 0;
	unit_push(s, "CONNECT", 7);
}

/* client_line - one command line the client sent */
static void client_line(struct lesson_session *s, const char *p, size_t n)
{
	size_t v = 0;

	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	if (s->auth_next) {
		s->auth_next = 0;
		unit_push(s, "AUTH", 4);
		return;
	}
	while (v < n && p[v] != ' ')
		v++;
	if (ascii_ieq(p, v, "BDAT")) {
		unsigned long count = 0;
		size_t i = v + 1;

		while (i < n && ascii_is_digit((unsigned char)p[i]) && count < 100000000ul)
			count = count * 10 + (unsigned long)(p[i++] - '0');
		s->bdat_skip = count;
	}
	unit_push(s, p, v);
}

/* client_bytes - what the client sent: split into units */
static void client_bytes(struct lesson_session *s, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = p[i];

		if (s->bdat_skip > 0) {
			s->bdat_skip--;
			continue;
		}
		if (s->in_message) {
			memmove(s->tail, s->tail + 1, sizeof s->tail - 1);
			s->tail[sizeof s->tail - 1] = c;
			if (memcmp(s->tail, "\r\n.\r\n", 5) == 0) {
				s->in_message = 0;
				unit_push(s, "DATA-END", 8);
			}
			continue;
		}
		if (s->clen < sizeof s->cline)
			s->cline[s->clen++] = c;
		if (c == '\n') {
			client_line(s, s->cline, s->clen);
			s->clen = 0;
		}
	}
}

/* after_reply - the learner's reply to the oldest unit: what it tells
 * about the client's next bytes */
static void after_reply(struct lesson_session *s, const char *verb, int code)
{
	if (strcmp(verb, "DATA") == 0 && code == 354) {
		s->in_message = 1;
		memcpy(s->tail, "\0\0\0\r\n", 5);
	}
	if (strcmp(verb, "AUTH") == 0 && code == 334)
		s->auth_next = 1;
}

/* client_turn - let the client send all it wants to */
static void client_turn(struct lesson_session *s)
{
	int round;

	for (round = 0; round < 10000; round++) {
		size_t len = 0;
		enum client_action a = client_next(s->cli, s->out, sizeof s->out, &len);

		if (a == CLIENT_SEND) {
			s->sent = 1;
			client_bytes(s, s->out, len);
			if (!s->quiet && s->h.client_sent)
				s->h.client_sent(s->h.ctx, s->out, len);
			continue;
		}
		if (a == CLIENT_RECONNECT) {
			s->sent = 1;
			units_reset(s);
			connected(s, "The client connects again.");
			continue;
		}
		if (a == CLIENT_CLOSE) {
			s->cli_done = 1;
			s->sent = 1;
		}
		return;
	}
}

/* -- the log, for undo -- */

static void log_reset(struct lesson_session *s)
{
	s->log_len = 0;
	s->nent = 0;
	s->log_full = 0;
	s->mark_ent = 0;
	s->mark_len = 0;
	s->mem0 = s->mem;
}

static void log_add(struct lesson_session *s, enum log_kind k,
    const char *p, size_t n, size_t step)
{
	struct log_entry *e;

	if (s->log_full || s->replaying)
		return;
	if (s->nent >= LOG_ENTRIES_MAX || s->log_len + n > LOG_BYTES_MAX) {
		s->log_full = 1;
		return;
	}
	if (s->nent == s->ent_cap) {
		size_t cap = s->ent_cap ? s->ent_cap * 2 : 64;
		struct log_entry *ne = realloc(s->ent, cap * sizeof *ne);

		if (ne == NULL) {
			s->log_full = 1;
			return;
		}
		s->ent = ne;
		s->ent_cap = cap;
	}
	if (s->log_len + n > s->log_cap) {
		size_t cap = s->log_cap ? s->log_cap : 4096;
		char *nl;

		while (cap < s->log_len + n)
			cap *= 2;
		nl = realloc(s->log, cap);
		if (nl == NULL) {
			s->log_full = 1;
			return;
		}
		s->log = nl;
		s->log_cap = cap;
	}
	e = &s->ent[s->nent++];
	e->kind = k;
	e->off = s->log_len;
	e->len = n;
	e->step = step;
	if (n)
		memcpy(s->log + s->log_len, p, n);
	s->log_len += n;
}

/* -- connections -- */

static void drop(struct lesson_session *s)
{
	server_free(s->srv);
	s->srv = NULL;
	client_free(s->cli);
	s->cli = NULL;
	s->cli_done = 0;
}

/* open_peer - a new connection in the current role; 0 or -1 (memory) */
static int open_peer(struct lesson_session *s, const char *why)
{
	drop(s);
	if (!s->replaying)
		log_reset(s);
	s->rlen = 0;
	s->rtrunc = 0;
	reply_acc_init(&s->acc);
	if (s->role == LESSON_CLIENT) {
		struct server_sink sink = { s, on_reply, on_event, on_line_done };

		s->srv = server_new(s->persona, &s->mem, &sink);
		if (s->srv == NULL)
			return -1;
		connected(s, why);
		server_start(s->srv);
	} else {
		struct client_sink sink = { s, on_finding };

		s->cli = client_new(s->scenario, &sink);
		if (s->cli == NULL)
			return -1;
		units_reset(s);
		connected(s, why);
		client_turn(s);
	}
	return 0;
}

struct lesson_session *lesson_session_new(const struct lesson *l,
    const struct lesson_hooks *hooks)
{
	struct lesson_session *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->l = l;
	if (hooks)
		s->h = *hooks;
	s->role = l->role;
	s->persona = l->persona;
	s->scenario = l->scenario;
	if (open_peer(s, s->role == LESSON_CLIENT ?
	    "You connect to the simulated server." :
	    "A simulated client connects to you: greet it.") != 0) {
		lesson_session_free(s);
		return NULL;
	}
	return s;
}

void lesson_session_free(struct lesson_session *s)
{
	if (s == NULL)
		return;
	drop(s);
	free(s->log);
	free(s->ent);
	free(s);
}

enum lesson_role lesson_session_role(const struct lesson_session *s)
{
	return s->role;
}

struct server *lesson_session_server(const struct lesson_session *s)
{
	return s->srv;
}

struct client *lesson_session_client(const struct lesson_session *s)
{
	return s->cli;
}

const char *lesson_session_command(const struct lesson_session *s)
{
	return s->role == LESSON_SERVER && s->un > 0 ?
	    s->units[s->uhead % UNITS_MAX].verb : "";
}

static int srv_closed(const struct lesson_session *s)
{
	return s->srv == NULL || server_phase(s->srv) == SERVER_CLOSED;
}

static int apply_fault(struct lesson_session *s, const struct lesson_step *st)
{
	return server_fault(s->srv, st->fault_verb, st->fault_nth,
	    st->fault_code, st->fault_enh);
}

int lesson_session_enter(struct lesson_session *s, size_t i, char *err,
    size_t errsize)
{
	const struct lesson_step *st;
	int rc = 0;

	if (errsize)
		err[0] = 0;
	if (i >= s->l->nsteps)
		return 0;
	st = &s->l->steps[i];
	s->step = i;
	switch (st->kind) {
	case LESSON_SET:
		switch (st->set) {
		case LESSON_SET_PERSONA:
			if (s->role != LESSON_CLIENT) {
				snprintf(err, errsize, "set: persona needs the client role");
				return -1;
			}
			s->persona = st->persona;
			rc = open_peer(s, "You connect to a different server.");
			break;
		case LESSON_SET_SCENARIO:
			s->scenario = st->scenario;
			if (s->role == LESSON_SERVER)
				rc = open_peer(s, "A new client connects to you: greet it.");
			break;
		case LESSON_SET_ROLE:
			s->role = st->new_role;
			rc = open_peer(s, s->role == LESSON_CLIENT ?
			    "You are the client now: you connect to the simulated server." :
			    "You are the server now: a simulated client connects to you. Greet it.");
			break;
		case LESSON_SET_CONNECT:
			rc = open_peer(s, s->role == LESSON_CLIENT ?
			    "You open a new connection to the server." :
			    "A new client connects to you: greet it.");
			break;
		case LESSON_SET_LAST:
			break;
		}
		break;
	case LESSON_FAULT:
		if (s->role != LESSON_CLIENT) {
			snprintf(err, errsize, "fault: needs the client role");
			return -1;
		}
		if (srv_closed(s) &&
		    open_peer(s, "The connection was closed; you connect again.") != 0)
			break;
		if (apply_fault(s, st) != 0) {
			snprintf(err, errsize, "the simulated server refuses this fault (too many pending?)");
			return -1;
		}
		log_add(s, LOG_FAULT, NULL, 0, i);
		break;
	case LESSON_WAIT:
		if (s->role != LESSON_CLIENT) {
			snprintf(err, errsize, "wait: needs the client role");
			return -1;
		}
		if (srv_closed(s))	/* no connection: only the clock moves */
			server_memory_wait(&s->mem, st->wait);
		else {
			log_add(s, LOG_WAIT, NULL, 0, i);
			server_wait(s->srv, st->wait);
		}
		break;
	case LESSON_SEND:
		if (s->role != LESSON_CLIENT) {
			snprintf(err, errsize, "send: needs the client role, but the session is in the server role");
			return -1;
		}
		if (srv_closed(s))
			rc = open_peer(s, "The connection was closed; you connect again.");
		break;
	case LESSON_REPLY:
		if (s->role != LESSON_SERVER) {
			snprintf(err, errsize, "reply: needs the server role, but the session is in the client role");
			return -1;
		}
		if (s->cli == NULL || s->cli_done)
			rc = open_peer(s, "A new client connects to you: greet it.");
		break;
	default:
		break;
	}
	if (rc != 0) {
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	return 0;
}

static void obs_state(struct lesson_session *s, struct lesson_obs *o)
{
	if (s->role == LESSON_CLIENT)
		lesson_obs_phase(o, server_phase_key(s->srv ? server_phase(s->srv)
		    : SERVER_CLOSED), srv_closed(s));
	else
		lesson_obs_phase(o, client_phase_key(s->cli ?
		    client_phase(s->cli) : CLIENT_DONE), s->cli == NULL || s->cli_done);
}

void lesson_obs_begin(struct lesson_session *s, struct lesson_obs *o)
{
	lesson_obs_clear(o, s->role);
	s->mark_ent = s->nent;
	s->mark_len = s->log_len;
	s->rlen = 0;
	s->rtrunc = 0;
	reply_acc_init(&s->acc);
	obs_state(s, o);
	o->closed = 0;
	if (s->role == LESSON_CLIENT && s->srv && server_last_sender(s->srv)) {
		copy(o->sender, sizeof o->sender, server_last_sender(s->srv));
		o->have_sender = 1;
	}
}

static int is_ask(const struct lesson_session *s)
{
	return s->step < s->l->nsteps && s->l->steps[s->step].kind == LESSON_ASK;
}

/* feed - client role: bytes to the server as one read */
static int feed(struct lesson_session *s, const char *p, size_t n,
    struct lesson_obs *o)
{
	size_t before = o ? o->nreplies + o->dropped : 0;

	if (srv_closed(s))
		return 1;
	s->obs = o;
	server_feed(s->srv, p, n);
	s->obs = NULL;
	if (o == NULL)
		return 1;
	obs_state(s, o);
	return o->nreplies + o->dropped > before || srv_closed(s);
}

/* unescape - the two characters \n, \r and \\ in line as a bare LF, a
 * bare CR and a backslash, into out (at least len octets); returns the length */
static size_t unescape(const char *line, size_t len, char *out)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (line[i] == '\\' && i + 1 < len &&
		    (line[i + 1] == 'n' || line[i + 1] == 'r' || line[i + 1] == '\\')) {
			i++;
			out[n++] = line[i] == 'n' ? '\n' : line[i] == 'r' ? '\r' : '\\';
		} else
			out[n++] = line[i];
	}
	return n;
}

static int escapes_at(const struct lesson_session *s, size_t step)
{
	return step < s->l->nsteps && s->l->steps[step].kind == LESSON_SEND &&
	    s->l->steps[step].escapes;
}

/* send_line - one line and its CRLF in one read (escapes: see
 * lesson_step.escapes) */
static int send_line(struct lesson_session *s, const char *line, size_t len,
    int escapes, struct lesson_obs *o)
{
	char buf[4096], *p = buf;
	size_t n;
	int done;

	if (len + 2 > sizeof buf && (p = malloc(len + 2)) == NULL)
		return 1;
	n = escapes ? unescape(line, len, p) : (memcpy(p, line, len), len);
	memcpy(p + n, "\r\n", 2);
	done = feed(s, p, n + 2, o);
	if (p != buf)
		free(p);
	return done;
}

/* reply_line - server role: one line of the learner's reply */
static int reply_line(struct lesson_session *s, const char *line, size_t len,
    struct lesson_obs *o)
{
	enum reply_acc_status st = reply_acc_line(&s->acc, line, len);
	char verb[16];
	int code;

	if (s->rlen + len + 2 <= sizeof s->rbuf) {
		memcpy(s->rbuf + s->rlen, line, len);
		memcpy(s->rbuf + s->rlen + len, "\r\n", 2);
		s->rlen += len + 2;
	} else
		s->rtrunc = 1;
	if (st == REPLY_ACC_MORE)
		return 0;
	if (s->cli == NULL || s->cli_done) {
		s->rlen = 0;
		reply_acc_init(&s->acc);
		if (o)
			obs_state(s, o);
		return 1;
	}
	copy(verb, sizeof verb, lesson_session_command(s));
	if (s->un > 0) {
		s->uhead = (s->uhead + 1) % UNITS_MAX;
		s->un--;
	}
	code = s->acc.code;
	if (o)
		lesson_obs_learner_reply(o, verb, s->rbuf, s->rlen);
	s->obs = o;
	s->sent = 0;
	client_reply(s->cli, s->rbuf, s->rlen);
	s->rlen = 0;
	reply_acc_init(&s->acc);
	if (st == REPLY_ACC_DONE)
		after_reply(s, verb, code);
	client_turn(s);
	s->obs = NULL;
	if (o)
		obs_state(s, o);
	return s->sent;
}

/* input - one line, as lesson_session_input, without logging */
static int input(struct lesson_session *s, const char *line, size_t len,
    struct lesson_obs *o)
{
	if (o)
		lesson_obs_line(o, line, len);
	if (is_ask(s))
		return 1;
	if (s->role == LESSON_CLIENT)
		return send_line(s, line, len, escapes_at(s, s->step), o);
	return reply_line(s, line, len, o);
}

int lesson_session_input(struct lesson_session *s, const char *line,
    size_t len, struct lesson_obs *o)
{
	if (!is_ask(s))
		log_add(s, LOG_LINE, line, len, s->step);
	return input(s, line, len, o);
}

/* group - several lines in one read (client role) */
static int group(struct lesson_session *s, const char *lines, size_t len,
    int escapes, struct lesson_obs *o)
{
	char *buf;
	size_t i, n = 0, start = 0;
	int done;

	if (s->role != LESSON_CLIENT) {
		int r = 0;

		for (i = 0; i <= len; i++)
			if (i == len || lines[i] == '\n') {
				if (o)
					lesson_obs_line(o, lines + start, i - start);
				r = reply_line(s, lines + start, i - start, o);
				start = i + 1;
			}
		return r;
	}
	buf = malloc(2 * len + 2);
	if (buf == NULL)
		return 1;
	for (i = 0; i <= len; i++)
		if (i == len || lines[i] == '\n') {
			if (o)
				lesson_obs_line(o, lines + start, i - start);
			if (escapes)
				n += unescape(lines + start, i - start, buf + n);
			else {
				memcpy(buf + n, lines + start, i - start);
				n += i - start;
			}
			memcpy(buf + n, "\r\n", 2);
			n += 2;
			start = i + 1;
		}
	done = feed(s, buf, n, o);
	free(buf);
	return done;
}

int lesson_session_input_group(struct lesson_session *s, const char *lines,
    size_t len, struct lesson_obs *o)
{
	if (is_ask(s))
		return input(s, lines, len, o);
	log_add(s, LOG_GROUP, lines, len, s->step);
	return group(s, lines, len, escapes_at(s, s->step), o);
}

int lesson_session_undo(struct lesson_session *s)
{
	size_t i, nent;

	if (s->log_full)
		return -1;
	nent = s->mark_ent;
	s->nent = nent;
	s->log_len = s->mark_len;
	s->mem = s->mem0;
	s->quiet = s->replaying = 1;
	if (open_peer(s, "") != 0) {
		s->quiet = s->replaying = 0;
		return -1;
	}
	for (i = 0; i < nent; i++) {
		const struct log_entry *e = &s->ent[i];

		switch (e->kind) {
		case LOG_LINE:
			/* the role cannot have changed: that opens a new
			 * connection, and a new log */
			if (s->role == LESSON_CLIENT)
				send_line(s, s->log + e->off, e->len,
				    escapes_at(s, e->step), NULL);
			else
				reply_line(s, s->log + e->off, e->len, NULL);
			break;
		case LOG_GROUP:
			group(s, s->log + e->off, e->len, escapes_at(s, e->step), NULL);
			break;
		case LOG_FAULT:
			if (s->srv)
				apply_fault(s, &s->l->steps[e->step]);
			break;
		case LOG_WAIT:
			if (s->srv)
				server_wait(s->srv, s->l->steps[e->step].wait);
			break;
		}
	}
	s->quiet = s->replaying = 0;
	s->rlen = 0;
	reply_acc_init(&s->acc);
	return 0;
}

/* ---- the checker -------------------------------------------------------- */

#define WALKS_MAX 2000		/* walks of one lesson: model, alts, wrongs */

enum mode { M_MODEL, M_ALT, M_WRONG };

struct run {
	const struct lesson *l;
	struct lesson_errors *errs;
	unsigned char *visited;	/* a walk reached the step */
	unsigned *taken;	/* bits: the step's gotos some walk took */
	struct lesson_obs obs;
	size_t walks;
};

static const char *answer_name(enum mode m, int model)
{
	if (model)
		return "the model answer";
	return m == M_ALT ? "this alt: answer" : "this wrong: answer";
}

/* first_code - "250" or "no reply" for a message */
static void first_code(const struct lesson_obs *o, char *buf, size_t size)
{
	if (o->nreplies)
		snprintf(buf, size, "%03d", o->replies[o->nreplies - 1].code);
	else
		snprintf(buf, size, "no reply");
}

/* try_answer - give answer a at step i: 0, or -1 with the error reported */
static int try_answer(struct run *r, struct lesson_session *s, size_t i,
    const struct lesson_answer *a, const char *what)
{
	const struct lesson_step *st = &r->l->steps[i];
	struct lesson_obs *o = &r->obs;
	const char *p = a->text, *end = a->text + strlen(a->text);
	int done = 0;
	unsigned n = 0;
	char got[16];

	lesson_obs_begin(s, o);
	if (st->kind == LESSON_ASK || (st->kind == LESSON_SEND && st->pipelined))
		done = lesson_session_input_group(s, p, (size_t)(end - p), o);
	else
		for (;;) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

			n++;
			done = lesson_session_input(s, p, len, o);
			if (nl == NULL)
				break;
			p = nl + 1;
			if (done) {
				first_code(o, got, sizeof got);
				lesson_error_add(r->errs, a->line,
				    "%s is complete after its line %u (it got %s): the lines after it would start another try; put them in the next step, or say pipelined: yes",
				    what, n, got);
				return -1;
			}
		}
	if (!done) {
		if (st->kind == LESSON_SEND)
			lesson_error_add(r->errs, a->line,
			    "%s gets no reply: the server waits for more (it is in phase '%s')",
			    what, o->phase);
		else
			lesson_error_add(r->errs, a->line,
			    "%s does not finish a reply the client acts on: the client still waits (at '%s')",
			    what, o->phase);
		return -1;
	}
	return 0;
}

/* drive - walk session s from step 0 with the model answers, except at
 * step at, where answer alt is given instead (the first time), to the
 * end of the lesson; or, when stop is a step, until that step is reached
 * (it is not entered).  Returns 1 when stop was reached, 0 at the end,
 * -1 after an error (reported in r->errs). */
static int drive(struct run *r, struct lesson_session *s, size_t at,
    const struct lesson_answer *alt, enum mode mode, size_t stop)
{
	const struct lesson *l = r->l;
	size_t i = 0, n = 0, limit = 8 * l->nsteps + 64;
	int used = 0;
	char err[200];

	while (i < l->nsteps) {
		const struct lesson_step *st = &l->steps[i];
		const struct lesson_answer *a = &st->answer;
		struct lesson_result res;
		int model = 1;

		if (i == stop)
			return 1;
		if (++n > limit) {
			lesson_error_add(r->errs, st->line,
			    "the answers go round in a loop through this step and never reach the end of the lesson");
			return -1;
		}
		if (lesson_session_enter(s, i, err, sizeof err) != 0) {
			lesson_error_add(r->errs, st->line, "%s", err);
			return -1;
		}
		if (r->visited && (mode != M_WRONG || i != at))
			r->visited[i] = 1;
		if (st->kind != LESSON_SEND && st->kind != LESSON_REPLY &&
		    st->kind != LESSON_ASK) {
			i = lesson_step_next(l, i);
			continue;
		}
		if (i == at && !used) {
			a = alt;
			used = 1;
			model = 0;
		}
		if (try_answer(r, s, i, a, answer_name(mode, model)) != 0)
			return -1;
		lesson_eval(l, i, &r->obs, 1, &res);
		if (mode == M_WRONG && !model) {
			if (res.verdict != LESSON_FAILED) {
				lesson_error_add(r->errs, a->line,
				    "this wrong: answer is not refused: the step %s it",
				    res.verdict == LESSON_PASSED ? "passes" : "branches on");
				return -1;
			}
			/* after the undo, the model answer still works */
			if (lesson_session_undo(s) != 0) {
				lesson_error_add(r->errs, a->line,
				    "the session is too long to undo this wrong answer");
				return -1;
			}
			if (try_answer(r, s, i, &st->answer, "the model answer") != 0)
				return -1;
			lesson_eval(l, i, &r->obs, 2, &res);
			if (res.verdict == LESSON_FAILED) {
				lesson_error_add(r->errs, st->answer.line,
				    "after the wrong: answer on line %u is undone, the model answer fails: %s",
				    a->line, res.why);
				return -1;
			}
			return 0;
		}
		if (res.verdict == LESSON_FAILED) {
			lesson_error_add(r->errs, a->line,
			    "%s does not pass: %s (the check on line %u)",
			    answer_name(mode, model), res.why, res.line);
			return -1;
		}
		if (r->taken && res.verdict == LESSON_BRANCH && res.branch < 32)
			r->taken[i] |= 1u << res.branch;
		i = res.next;
	}
	return 0;
}

/* walk - drive a new session through the whole lesson */
static int walk(struct run *r, size_t at, const struct lesson_answer *alt,
    enum mode mode)
{
	struct lesson_session *s;
	int rc;

	r->walks++;
	s = lesson_session_new(r->l, NULL);
	if (s == NULL) {
		lesson_error_add(r->errs, 0, "out of memory");
		return -1;
	}
	rc = drive(r, s, at, alt, mode, (size_t)-1);
	lesson_session_free(s);
	return rc < 0 ? -1 : 0;
}

/* restart - the session as lesson_session_new made it */
static int restart(struct lesson_session *s)
{
	memset(&s->mem, 0, sizeof s->mem);
	s->role = s->l->role;
	s->persona = s->l->persona;
	s->scenario = s->l->scenario;
	s->step = 0;
	return open_peer(s, "");
}

int lesson_session_resume(struct lesson_session *s, size_t step)
{
	const struct lesson *l = s->l;
	struct run *r;
	size_t j, k;
	int rc = -1;

	if (step == 0 || step >= l->nsteps)
		return 0;
	r = calloc(1, sizeof *r);
	if (r == NULL)
		return -1;
	r->l = l;
	r->errs = malloc(sizeof *r->errs);
	if (r->errs == NULL) {
		free(r);
		return -1;
	}
	lesson_errors_init(r->errs, l->file);
	s->quiet = 1;
	if (restart(s) == 0 && drive(r, s, (size_t)-1, NULL, M_MODEL, step) == 1)
		rc = 0;
	/* a step on a branch: the alt: answers may lead there */
	for (j = 0; rc != 0 && j < l->nsteps && r->walks < WALKS_MAX; j++)
		for (k = 0; rc != 0 && k < l->steps[j].nalts; k++) {
			r->walks++;
			if (restart(s) == 0 &&
			    drive(r, s, j, &l->steps[j].alts[k], M_ALT, step) == 1)
				rc = 0;
		}
	if (rc != 0)
		restart(s);
	s->quiet = 0;
	free(r->errs);
	free(r);
	return rc;
}

size_t lesson_check(const struct lesson *l, struct lesson_errors *errs)
{
	struct run *r;
	size_t before = errs->nerrors, i, k;

	r = calloc(1, sizeof *r);
	if (r)
		r->visited = calloc(l->nsteps + 1, 1);
	if (r)
		r->taken = calloc(l->nsteps + 1, sizeof *r->taken);
	if (r == NULL || r->visited == NULL || r->taken == NULL) {
		if (r) {
			free(r->visited);
			free(r->taken);
		}
		free(r);
		lesson_error_add(errs, 0, "out of memory");
		return errs->nerrors - before;
	}
	r->l = l;
	r->errs = errs;
	if (walk(r, (size_t)-1, NULL, M_MODEL) == 0) {
		for (i = 0; i < l->nsteps; i++) {
			const struct lesson_step *st = &l->steps[i];

			for (k = 0; k < st->nalts && r->walks < WALKS_MAX; k++)
				walk(r, i, &st->alts[k], M_ALT);
			for (k = 0; k < st->nwrongs && r->walks < WALKS_MAX; k++)
				walk(r, i, &st->wrongs[k], M_WRONG);
		}
		if (r->walks >= WALKS_MAX)
			lesson_warning_add(errs, 0, "only the first %d answers were tried",
			    WALKS_MAX);
		/* what no answer proves */
		for (i = 0; i < l->nsteps; i++) {
			const struct lesson_step *st = &l->steps[i];

			if (!r->visited[i] && st->kind != LESSON_LABEL)
				lesson_warning_add(errs, st->line,
				    "no answer in this lesson leads to this %s step, so the checker could not try it (add an alt: that takes the goto to it)",
				    lesson_step_kind_str(st->kind));
			for (k = 0; k < st->nbranches && k < 32; k++)
				if (r->visited[i] && !(r->taken[i] & (1u << k)))
					lesson_warning_add(errs, st->branches[k].cond.line,
					    "no answer takes this goto (add an alt: that does, so the checker tries that path)");
		}
	}
	free(r->visited);
	free(r->taken);
	free(r);
	return errs->nerrors - before;
}
