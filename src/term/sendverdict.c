/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sendverdict.c - the one-line test client's verdict, as text or JSON */
#include <config.h>

#include "term/sendverdict.h"

#include <string.h>

#include "term/json.h"

static const struct outcome empty;

static const struct outcome *rec_of(const struct send_verdict *vd)
{
	return vd->rec ? vd->rec : &empty;
}

/* step_words - a step as people say it */
static const char *step_words(enum outcome_step s)
{
	switch (s) {
	case OUTCOME_CONNECT: return "the greeting";
	case OUTCOME_DOT: return "the final dot";
	case OUTCOME_STARTTLS: return "TLS";
	default: return outcome_step_str(s);
	}
}

/* reply - "550 5.1.1 text" of an entry */
static void reply(const struct outcome_entry *e, char *out, size_t size)
{
	snprintf(out, size, "%d%s%s%s%s", e->code, e->enh[0] ? " " : "", e->enh,
	    e->text[0] ? " " : "", e->text);
}

/* deciding - the entry the verdict rests on: the one that failed, or
 * the goal's last step that went through */
static const struct outcome_entry *deciding(const struct send_verdict *vd)
{
	const struct outcome *o = rec_of(vd);
	size_t i;

	if (vd->v.decided >= 0 && (size_t)vd->v.decided < o->n)
		return &o->e[vd->v.decided];
	if (vd->v.status != OUTCOME_OK)
		return NULL;
	for (i = o->n; i-- > 0;) {
		enum outcome_step s = o->e[i].step;

		if (o->e[i].answered && (s == vd->v.step ||
		    (vd->v.step == OUTCOME_EHLO && s == OUTCOME_HELO) ||
		    (vd->v.step == OUTCOME_STARTTLS && s == OUTCOME_CONNECT)))
			return &o->e[i];
	}
	return NULL;
}

/* reason - why the verdict is what it is, in one sentence */
static void reason(const struct send_verdict *vd, char *out, size_t size)
{
	const struct outcome *o = rec_of(vd);
	const struct outcome_entry *e = deciding(vd);
	char r[OUTCOME_TEXT_MAX + 40];

	if (vd->why) {
		snprintf(out, size, "%s", vd->why);
		return;
	}
	if (e && e->answered)
		reply(e, r, sizeof r);
	if (vd->v.status == OUTCOME_OK) {
		if (vd->v.step == OUTCOME_DOT)
			snprintf(out, size, "%s%s", e ? "the server took it: " : "", e ? r : "");
		else
			snprintf(out, size, "stopped after %s, as --quit-after asked%s%s%s",
			    step_words(vd->v.step), e ? " (" : "", e ? r : "", e ? ")" : "");
		return;
	}
	if (vd->v.status == OUTCOME_RECIPIENTS) {
		snprintf(out, size, "the server refused every recipient (%zu)%s%s",
		    vd->v.rcpts, vd->v.rcpts == 1 && e ? ": " : "",
		    vd->v.rcpts == 1 && e ? r : "");
		return;
	}
	if (e && e->answered) {
		snprintf(out, size, "%s%s%s got %s", step_words(e->step),
		    e->arg[0] && e->step != OUTCOME_AUTH ? " " : "",
		    e->arg[0] && e->step != OUTCOME_AUTH ? e->arg : "", r);
		return;
	}
	if (o->why[0])
		snprintf(out, size, "%s", o->why);
	else
		snprintf(out, size, "the session ended before %s", step_words(vd->v.step));
}

static void slowest(const struct outcome *o, const struct outcome_entry **s)
{
	size_t i;

	*s = NULL;
	for (i = 0; i < o->n; i++)
		if (o->e[i].answered && (*s == NULL || o->e[i].ms > (*s)->ms))
			*s = &o->e[i];
}

static void recipients_text(struct render *r, const struct send_verdict *vd)
{
	const struct outcome *o = rec_of(vd);
	char line[OUTCOME_ARG_MAX + OUTCOME_TEXT_MAX + 80], rep[OUTCOME_TEXT_MAX + 40];
	size_t i;

	if (vd->v.rcpts == 0)
		return;
	snprintf(line, sizeof line, "recipients: %zu of %zu accepted", vd->v.rcpts_ok,
	    vd->v.rcpts);
	render_text(r, RENDER_LABEL, "=== ");
	render_wrap(r, RENDER_PLAIN, line, 4);
	render_newline(r);
	for (i = 0; i < o->n; i++) {
		const struct outcome_entry *e = &o->e[i];
		int d = e->code / 100;

		if (e->step != OUTCOME_RCPT)
			continue;
		if (e->answered)
			reply(e, rep, sizeof rep);
		snprintf(line, sizeof line, "    %-9s ", !e->answered ? "no reply" :
		    d == 2 ? "accepted" : d == 4 ? "deferred" : "refused");
		render_text(r, e->answered ? render_code_style(e->code) : RENDER_WARN, line);
		snprintf(line, sizeof line, "%s: %s", e->arg,
		    e->answered ? rep : "the session ended first");
		render_wrap(r, RENDER_PLAIN, line, 14);
		render_newline(r);
	}
}

void send_verdict_text(struct render *r, const struct send_verdict *vd, int quiet)
{
	const struct outcome *o = rec_of(vd);
	const struct outcome_entry *slow;
	char why[1200], line[1400];
	int ok = vd->v.status == OUTCOME_OK;

	if (!quiet)
		recipients_text(r, vd);
	reason(vd, why, sizeof why);
	snprintf(line, sizeof line, "%s (exit status %d): %s", ok && vd->v.step != OUTCOME_DOT ?
	    "done" : outcome_status_name(vd->v.status), vd->v.status, why);
	if (ok && vd->v.step == OUTCOME_DOT && vd->v.rcpts_ok < vd->v.rcpts)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    " (for %zu of %zu recipients)", vd->v.rcpts_ok, vd->v.rcpts);
	render_text(r, ok ? RENDER_LABEL : RENDER_WARN, ok ? "=== result: " : "*** result: ");
	render_wrap(r, ok ? RENDER_PLAIN : RENDER_WARN, line, 4);
	render_newline(r);
	if (quiet || o->start_ms == 0)
		return;
	slowest(o, &slow);
	snprintf(line, sizeof line, "session: %ld ms", outcome_session_ms(o, vd->now_ms));
	if (o->connected_ms)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    " with %s (%s) port %u%s%s; connecting %ld ms", o->host,
		    o->address, o->port, vd->mx ? ", an MX of " : "",
		    vd->mx ? vd->mx : "", (long)(o->connected_ms - o->start_ms));
	if (slow)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "; the slowest reply: %s%s%s, +%ld ms", step_words(slow->step),
		    slow->arg[0] && slow->step == OUTCOME_RCPT ? " " : "",
		    slow->arg[0] && slow->step == OUTCOME_RCPT ? slow->arg : "", slow->ms);
	render_text(r, RENDER_LABEL, "=== ");
	render_wrap(r, RENDER_PLAIN, line, 4);
	render_newline(r);
}

/* ---- JSON --------------------------------------------------------------- */

static void str_or_null(struct json *j, const char *key, const char *s)
{
	if (s && *s)
		json_string(j, key, s);
	else
		json_null(j, key);
}

static void entry_json(struct json *j, const struct outcome_entry *e,
    int with_step)
{
	json_object_begin(j, NULL);
	if (with_step)
		json_string(j, "command", outcome_step_str(e->step));
	if (with_step)
		str_or_null(j, "argument", e->arg);
	else
		json_string(j, "address", e->arg);
	json_bool(j, "answered", e->answered);
	if (e->answered) {
		json_int(j, "code", e->code);
		str_or_null(j, "enhanced", e->enh);
		json_string(j, "text", e->text);
		json_int(j, "ms", e->ms);
	} else {
		json_null(j, "code");
		json_null(j, "enhanced");
		json_null(j, "text");
		json_null(j, "ms");
	}
	if (with_step) {
		json_bool(j, "tls", e->tls);
		json_bool(j, "slow", e->slow);
	} else
		json_bool(j, "accepted", e->answered && e->code / 100 == 2);
	json_object_end(j);
}

static void tls_json(struct json *j, const struct outcome_tls *t)
{
	json_object_begin(j, "tls");
	json_bool(j, "on", t->on);
	if (t->on) {
		json_string(j, "protocol", t->protocol);
		json_string(j, "cipher", t->cipher);
		json_bool(j, "verified", t->verified);
		str_or_null(j, "verify_error", t->verify_error);
		str_or_null(j, "subject", t->subject);
		str_or_null(j, "issuer", t->issuer);
	}
	json_object_end(j);
}

static void message_json(struct json *j, const struct message *m)
{
	if (m == NULL || m->text == NULL) {
		json_null(j, "message");
		return;
	}
	json_object_begin(j, "message");
	json_int(j, "size", (long)m->size);
	json_int(j, "lines", (long)m->lines);
	json_int(j, "headers_added", (long)m->added);
	json_bool(j, "8bitmime", m->needs_8bit);
	json_bool(j, "smtputf8", m->needs_utf8);
	json_object_end(j);
}

void send_verdict_json(FILE *out, const struct send_verdict *vd)
{
	const struct outcome *o = rec_of(vd);
	struct json j;
	char why[1200];
	size_t i;

	reason(vd, why, sizeof why);
	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_int(&j, "smtpref_json", 1);
	json_int(&j, "status", vd->v.status);
	json_string(&j, "result", outcome_status_name(vd->v.status));
	json_string(&j, "reason", why);
	if (vd->v.status == OUTCOME_OK)
		json_null(&j, "failed_step");
	else
		json_string(&j, "failed_step", outcome_step_str(vd->v.step));
	json_object_begin(&j, "server");
	str_or_null(&j, "host", o->host);
	str_or_null(&j, "address", o->address);
	if (o->port)
		json_int(&j, "port", (long)o->port);
	else
		json_null(&j, "port");
	str_or_null(&j, "mx_of", vd->mx);
	json_object_end(&j);
	json_string(&j, "end", outcome_end_str(o->end));
	str_or_null(&j, "error", o->why);
	json_int(&j, "session_ms", outcome_session_ms(o, vd->now_ms));
	if (o->connected_ms)
		json_int(&j, "connect_ms", (long)(o->connected_ms - o->start_ms));
	else
		json_null(&j, "connect_ms");
	tls_json(&j, &o->tls);
	json_array_begin(&j, "steps");
	for (i = 0; i < o->n; i++)
		entry_json(&j, &o->e[i], 1);
	json_array_end(&j);
	json_array_begin(&j, "recipients");
	for (i = 0; i < o->n; i++)
		if (o->e[i].step == OUTCOME_RCPT)
			entry_json(&j, &o->e[i], 0);
	json_array_end(&j);
	json_int(&j, "recipients_accepted", (long)vd->v.rcpts_ok);
	json_array_begin(&j, "findings");
	for (i = 0; i < o->nfindings; i++) {
		json_object_begin(&j, NULL);
		if (o->findings[i].step >= 0)
			json_int(&j, "step", o->findings[i].step);
		else
			json_null(&j, "step");
		str_or_null(&j, "label", o->findings[i].label);
		json_string(&j, "text", o->findings[i].text);
		json_object_end(&j);
	}
	json_array_end(&j);
	message_json(&j, vd->msg);
	json_object_end(&j);
	json_end(&j);
}
