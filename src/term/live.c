/* SPDX-License-Identifier: GPL-3.0-or-later */
/* live.c - smtpref listen's output, as text or JSON Lines
 *
 * The text is the shell's layout (the client's lines in bold, replies
 * coloured by class, explanations under them behind a label), with
 * swaks' markers to tell the client's lines (" -> ") from the replies
 * ("<-  "), and every line, wrapped ones included, starting with the
 * session's tag, so that sessions at once can be told apart and grepped.
 */
#include <config.h>

#include "term/live.h"

#include <stdlib.h>
#include <string.h>

#include "net/grade.h"
#include "term/json.h"

#define LABEL_COLS 11		/* "  why      " */

void live_init(struct live_out *o, FILE *out, FILE *err,
    enum render_color_mode mode, int json, int quiet)
{
	memset(o, 0, sizeof *o);
	render_init(&o->r, out, mode);
	o->err = err;
	o->prog = "smtpref listen";
	o->json = json;
	o->quiet = quiet;
}

static const char *const kind_names[] = {
	[TX_SENT] = "sent", [TX_RECEIVED] = "received",
	[TX_EXPLAIN] = "explain", [TX_FINDING] = "finding",
	[TX_HINT] = "hint", [TX_NOTE] = "note", [TX_ERROR] = "error",
	[TX_LESSON] = "lesson",
};
_Static_assert(sizeof kind_names / sizeof kind_names[0] == TX_KIND_LAST,
    "one name per kind");

static void tag(struct live_out *o, unsigned long id)
{
	snprintf(o->tag, sizeof o->tag, "[%lu] ", id);
	o->r.margin = o->tag;
}

static void label(struct live_out *o, const char *text, enum render_style st)
{
	char buf[32];

	snprintf(buf, sizeof buf, "  %-*s", LABEL_COLS - 3, text ? text : "");
	render_text(&o->r, st, buf);
	render_text(&o->r, RENDER_PLAIN, " ");
}

static void json_item(struct live_out *o, unsigned long id,
    const struct tx_item *it)
{
	struct json j;

	json_init(&j, o->r.out);
	json_object_begin(&j, NULL);
	json_int(&j, "session", (long)id);
	json_string(&j, "event", (unsigned)it->kind < TX_KIND_LAST ?
	    kind_names[it->kind] : "?");
	if (it->kind == TX_RECEIVED)
		json_int(&j, "code", it->code);
	if (it->kind == TX_SENT || it->kind == TX_RECEIVED)
		json_bool(&j, "tls", it->tls);
	if (it->label)
		json_string(&j, "label", it->label);
	json_stringn(&j, "text", it->text, it->len);
	json_object_end(&j);
	json_end(&j);
}

void live_item(void *ctx, unsigned long id, const struct tx_item *it)
{
	struct live_out *o = ctx;
	struct render *r = &o->r;
	char *text;
	int indent = 0;

	if (o->quiet)
		return;
	if (o->json) {
		json_item(o, id, it);
		return;
	}
	if ((text = malloc(it->len + 1)) == NULL)
		return;
	memcpy(text, it->text, it->len);
	text[it->len] = 0;
	tag(o, id);
	indent = (int)strlen(o->tag) + LABEL_COLS;
	switch (it->kind) {
	case TX_SENT:
		render_text(r, RENDER_BOLD, it->tls ? " ~> " : " -> ");
		render_text(r, RENDER_BOLD, text);
		break;
	case TX_RECEIVED:
		render_text(r, RENDER_PLAIN, it->tls ? "<~  " : "<-  ");
		render_text(r, render_code_style(it->code), text);
		break;
	case TX_FINDING:
	case TX_ERROR:
		label(o, it->label ? it->label : it->kind == TX_ERROR ? "error" : "!",
		    RENDER_WARN);
		render_wrap(r, RENDER_WARN, text, indent);
		break;
	case TX_HINT:
		label(o, "hint", RENDER_CLASS3);
		render_wrap(r, RENDER_BOLD, text, indent);
		break;
	default:
		label(o, it->label ? it->label : "note", RENDER_LABEL);
		render_wrap(r, RENDER_PLAIN, text, indent);
		break;
	}
	render_newline(r);
	free(text);
}

void live_opened(void *ctx, const struct listener_session *s)
{
	struct live_out *o = ctx;
	struct json j;

	if (o->quiet)
		return;
	if (o->json) {
		json_init(&j, o->r.out);
		json_object_begin(&j, NULL);
		json_int(&j, "session", (long)s->id);
		json_string(&j, "event", "open");
		json_string(&j, "peer", s->peer);
		json_string(&j, "local", s->local);
		json_bool(&j, "implicit_tls", s->implicit_tls);
		json_object_end(&j);
		json_end(&j);
		return;
	}
	tag(o, s->id);
	render_text(&o->r, RENDER_LABEL, "=== ");
	render_text(&o->r, RENDER_PLAIN, "a client connects from ");
	render_text(&o->r, RENDER_BOLD, s->peer);
	render_text(&o->r, RENDER_PLAIN, " to ");
	render_text(&o->r, RENDER_PLAIN, s->local);
	if (s->implicit_tls)
		render_text(&o->r, RENDER_PLAIN, " (implicit TLS)");
	render_newline(&o->r);
}

struct verdict {
	struct live_out *o;
	struct json *j;
};

static void json_finding(void *ctx, const struct grade_finding *f)
{
	struct json *j = ctx;

	json_object_begin(j, NULL);
	json_string(j, "finding", f->key);
	json_string(j, "section", f->section);
	json_int(j, "count", (long)f->count);
	json_string(j, "text", f->text);
	if (f->detail[0])
		json_string(j, "detail", f->detail);
	json_object_end(j);
}

static void text_finding(void *ctx, const struct grade_finding *f)
{
	struct live_out *o = ctx;
	struct render *r = &o->r;
	char buf[600];

	render_text(r, RENDER_WARN, "  ");
	render_text(r, RENDER_WARN, f->key);
	render_text(r, RENDER_WARN, ":");
	snprintf(buf, sizeof buf, "%s (%s).%s%s%s", f->text, f->section,
	    f->detail[0] ? " Here: " : "", f->detail, f->detail[0] ? "." : "");
	render_wrap(r, RENDER_PLAIN, buf, (int)strlen(o->tag) + 4);
	if (f->count > 1) {
		snprintf(buf, sizeof buf, "(%lu times)", f->count);
		render_wrap(r, RENDER_PLAIN, buf, (int)strlen(o->tag) + 4);
	}
	render_newline(r);
}

static void json_closed(struct live_out *o, const struct listener_session *s)
{
	struct json j;

	json_init(&j, o->r.out);
	json_object_begin(&j, NULL);
	json_int(&j, "session", (long)s->id);
	json_string(&j, "event", "close");
	json_string(&j, "peer", s->peer);
	json_string(&j, "end", s->end);
	json_int(&j, "commands", (long)s->commands);
	json_int(&j, "messages", (long)s->messages);
	json_int(&j, "kept", (long)s->kept);
	json_bool(&j, "tls", s->tls);
	json_bool(&j, "authenticated", s->authenticated);
	json_array_begin(&j, "findings");
	grade_each(s->grade, json_finding, &j);
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
}

void live_closed(void *ctx, const struct listener_session *s)
{
	struct live_out *o = ctx;
	struct render *r = &o->r;
	size_t n = grade_total(s->grade);
	char buf[400];

	if (o->json) {
		json_closed(o, s);
		return;
	}
	tag(o, s->id);
	render_text(r, RENDER_LABEL, "=== ");
	snprintf(buf, sizeof buf, "%s %s: %s; %lu command%s, %lu message%s accepted",
	    o->quiet ? "the client from" : "closed:", s->peer, s->end,
	    s->commands, s->commands == 1 ? "" : "s", s->messages,
	    s->messages == 1 ? "" : "s");
	render_wrap(r, RENDER_PLAIN, buf, (int)strlen(o->tag) + 4);
	if (s->kept)
		render_wrap(r, RENDER_PLAIN, s->kept == s->messages ?
		    "(all kept)" : "(some kept)", (int)strlen(o->tag) + 4);
	render_newline(r);
	render_text(r, n ? RENDER_WARN : RENDER_CLASS2, "verdict: ");
	if (n == 0)
		render_wrap(r, RENDER_PLAIN, "no findings: the client kept every rule smtpref checks",
		    (int)strlen(o->tag) + 4);
	else {
		snprintf(buf, sizeof buf, "%zu finding%s about the client", n,
		    n == 1 ? "" : "s");
		render_text(r, RENDER_PLAIN, buf);
	}
	render_newline(r);
	grade_each(s->grade, text_finding, o);
}

void live_idle(void *ctx)
{
	struct live_out *o = ctx;

	fflush(o->r.out);
}

void live_note(void *ctx, const char *text)
{
	struct live_out *o = ctx;

	fprintf(o->err, "%s: %s\n", o->prog, text);
	fflush(o->err);
}

static void json_summary(struct live_out *o, const struct listener_stats *st)
{
	struct json j;
	size_t i;

	json_init(&j, o->r.out);
	json_object_begin(&j, NULL);
	json_string(&j, "event", "summary");
	json_int(&j, "sessions", (long)st->sessions);
	json_int(&j, "peak", (long)st->peak);
	json_int(&j, "turned_away", (long)st->turned_away);
	json_int(&j, "messages", (long)st->messages);
	json_int(&j, "kept", (long)st->kept);
	json_int(&j, "lost", (long)st->lost);
	json_int(&j, "graded", (long)st->graded);
	json_object_begin(&j, "findings");
	for (i = 0; i < GRADE_LAST; i++)
		if (st->findings[i])
			json_int(&j, grade_key((enum grade_kind)i), (long)st->findings[i]);
	json_object_end(&j);
	json_object_end(&j);
	json_end(&j);
}

void live_summary(struct live_out *o, const struct listener_stats *st,
    const char *maildir)
{
	struct render *r = &o->r;
	char buf[512];
	size_t i, n;
	int any = 0;

	if (o->json) {
		json_summary(o, st);
		fflush(r->out);
		return;
	}
	r->margin = NULL;
	render_text(r, RENDER_LABEL, "=== ");
	n = (size_t)snprintf(buf, sizeof buf, "stopped after %lu session%s (at most %lu at once), %lu message%s accepted",
	    st->sessions, st->sessions == 1 ? "" : "s", st->peak, st->messages,
	    st->messages == 1 ? "" : "s");
	if (maildir)
		n += (size_t)snprintf(buf + n, sizeof buf - n, " (%lu kept in %s%s)",
		    st->kept, maildir, st->lost ? "; some were LOST: see the errors above" : "");
	if (st->turned_away && n < sizeof buf)
		snprintf(buf + n, sizeof buf - n, "; %lu client%s turned away with 421",
		    st->turned_away, st->turned_away == 1 ? "" : "s");
	render_wrap(r, RENDER_PLAIN, buf, 4);
	render_newline(r);
	render_text(r, RENDER_LABEL, "=== ");
	n = (size_t)snprintf(buf, sizeof buf, "%lu session%s with findings",
	    st->graded, st->graded == 1 ? "" : "s");
	for (i = 0; i < GRADE_LAST && n < sizeof buf - 64; i++)
		if (st->findings[i])
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s %s %lu",
			    any++ ? "," : ":", grade_key((enum grade_kind)i),
			    st->findings[i]);
	render_wrap(r, RENDER_PLAIN, buf, 4);
	render_newline(r);
	fflush(r->out);
}
