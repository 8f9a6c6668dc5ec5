/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outcome.c - what happened in a session with a real server, and what it
 * comes to: the record of its steps, the tarpitting notes, the verdict
 *
 * RFC 5321 3.1 to 3.3 (the steps of a mail transaction), 4.5.3.2 (how
 * long a client waits at each), RFC 3207 (STARTTLS), RFC 4954 (AUTH).
 */
#include <config.h>

#include "core/outcome.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ascii.h"
#include "core/reply.h"
#include "core/tx.h"

static const char *const step_names[] = {
	[OUTCOME_CONNECT] = "CONNECT", [OUTCOME_EHLO] = "EHLO",
	[OUTCOME_HELO] = "HELO", [OUTCOME_STARTTLS] = "STARTTLS",
	[OUTCOME_AUTH] = "AUTH", [OUTCOME_MAIL] = "MAIL",
	[OUTCOME_RCPT] = "RCPT", [OUTCOME_DATA] = "DATA",
	[OUTCOME_DOT] = "DATA-END", [OUTCOME_QUIT] = "QUIT",
	[OUTCOME_OTHER] = "OTHER",
};
_Static_assert(sizeof step_names / sizeof step_names[0] == OUTCOME_STEP_LAST,
    "one name per step");

const char *outcome_step_str(enum outcome_step s)
{
	return (unsigned)s < OUTCOME_STEP_LAST ? step_names[s] : "?";
}

enum outcome_step outcome_step_of(const char *verb)
{
	size_t i, n = verb ? strlen(verb) : 0;

	for (i = 0; i < OUTCOME_OTHER; i++)
		if (ascii_ieq(verb, n, step_names[i]))
			return (enum outcome_step)i;
	return OUTCOME_OTHER;
}

/* ---- exit statuses ------------------------------------------------------ */

/* swaks' numbers where it has one (21 to 29); 3 keeps its meaning of
 * before (the network failed), 4 and 5 are smtpref's own */
static const struct outcome_status statuses[] = {
	{ OUTCOME_OK, "delivered",
	  "delivered (with --quit-after: every step up to it went through)" },
	{ OUTCOME_FAILED, "failed",
	  "ended otherwise: 421, a protocol violation, a null MX, no QUIT" },
	{ OUTCOME_USAGE, "usage error", "usage error" },
	{ OUTCOME_NO_CONNECTION, "could not connect",
	  "could not connect (name, refused, no answer), or the connection broke" },
	{ OUTCOME_TIMEOUT, "timeout", "a reply (the greeting too) did not come within --timeout" },
	{ OUTCOME_UNSENDABLE, "cannot send",
	  "the message needs 8BITMIME or SMTPUTF8, and the server lacks it" },
	{ OUTCOME_GREETING, "greeting refused", "the greeting was not 220" },
	{ OUTCOME_HELLO, "EHLO refused", "EHLO and HELO were refused" },
	{ OUTCOME_SENDER, "sender refused", "MAIL FROM was refused" },
	{ OUTCOME_RECIPIENTS, "no recipient accepted", "no RCPT TO was accepted" },
	{ OUTCOME_DATA_REFUSED, "DATA refused", "DATA got no 354" },
	{ OUTCOME_MESSAGE_REFUSED, "message refused",
	  "the message was refused after the final dot" },
	{ OUTCOME_AUTH_FAILED, "AUTH failed", "AUTH failed, or was not possible" },
	{ OUTCOME_TLS_FAILED, "TLS failed",
	  "TLS failed: handshake, certificate, or STARTTLS required and not there" },
};

const struct outcome_status *outcome_statuses(size_t *n)
{
	*n = sizeof statuses / sizeof statuses[0];
	return statuses;
}

const char *outcome_status_name(int status)
{
	size_t i;

	for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (statuses[i].status == status)
			return statuses[i].name;
	return "?";
}

static const char *const end_names[] = {
	[OUTCOME_OPEN] = "open", [OUTCOME_ENDED] = "ended with 221",
	[OUTCOME_DROPPED] = "ended by the server",
	[OUTCOME_PROTOCOL] = "stopped: protocol violation",
	[OUTCOME_NETWORK] = "network failure",
	[OUTCOME_TIMED_OUT] = "timeout", [OUTCOME_TLS] = "TLS failure",
	[OUTCOME_CLOSED] = "closed by smtpref",
};
_Static_assert(sizeof end_names / sizeof end_names[0] == OUTCOME_END_LAST,
    "one name per end");

const char *outcome_end_str(enum outcome_end e)
{
	return (unsigned)e < OUTCOME_END_LAST ? end_names[e] : "?";
}

/* ---- the record -------------------------------------------------------- */

void outcome_init(struct outcome *o)
{
	memset(o, 0, sizeof *o);
}

void outcome_free(struct outcome *o)
{
	free(o->e);
	outcome_init(o);
}

/* argument - what is kept of a command's argument: MAIL's and RCPT's
 * address without the brackets, EHLO's name, AUTH's mechanism (never
 * its initial response) */
static void argument(struct outcome_entry *e, const char *line, size_t len)
{
	const char *p, *end, *stop;
	char tmp[OUTCOME_ARG_MAX];

	e->arg[0] = 0;
	if (line == NULL)
		return;
	end = line + len;
	p = memchr(line, ' ', len);
	if (p == NULL)
		return;
	p++;
	if (e->step == OUTCOME_MAIL || e->step == OUTCOME_RCPT) {
		const char *lt = memchr(p, '<', (size_t)(end - p));

		if (lt == NULL)
			return;
		p = lt + 1;
		stop = memchr(p, '>', (size_t)(end - p));
		if (stop == NULL)
			stop = end;
	} else if (e->step == OUTCOME_EHLO || e->step == OUTCOME_HELO ||
	    e->step == OUTCOME_AUTH) {
		stop = memchr(p, ' ', (size_t)(end - p));
		if (stop == NULL)
			stop = end;
	} else
		return;
	tx_printable(p, (size_t)(stop - p), tmp, sizeof tmp);
	snprintf(e->arg, sizeof e->arg, "%s", tmp);
}

int outcome_sent(struct outcome *o, enum outcome_step step, const char *line,
    size_t len, long long now_ms)
{
	struct outcome_entry *e;

	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		struct outcome_entry *n = realloc(o->e, cap * sizeof *n);

		if (n == NULL)
			return -1;
		o->e = n;
		o->cap = cap;
	}
	e = &o->e[o->n++];
	memset(e, 0, sizeof *e);
	e->step = step;
	e->sent_ms = now_ms;
	argument(e, line, len);
	return 0;
}

/* reply_text - the text of each line after its codes, joined by spaces */
static void reply_text(struct outcome_entry *e, const char *wire, size_t len)
{
	size_t pos = 0, o = 0;

	e->text[0] = e->enh[0] = 0;
	while (pos < len && o + 1 < sizeof e->text) {
		const char *p = wire + pos, *lf = memchr(p, '\n', len - pos);
		size_t n = lf ? (size_t)(lf - p) : len - pos;
		struct reply_line l;
		const char *t;
		size_t tn;

		pos += n + 1;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (reply_parse_line(p, n > REPLY_LINE_MAX ? REPLY_LINE_MAX : n,
		    &l) != REPLY_OK)
			continue;
		t = l.has_enh ? l.after_enh : l.text;
		tn = l.has_enh ? l.after_enh_len : l.text_len;
		if (l.has_enh && e->enh[0] == 0)
			snprintf(e->enh, sizeof e->enh, "%d.%d.%d", l.enh.cls,
			    l.enh.subject, l.enh.detail);
		if (tn == 0)
			continue;
		if (o > 0)
			e->text[o++] = ' ';
		e->text[o] = 0;
		tx_printable(t, tn, e->text + o, sizeof e->text - o);
		o += strlen(e->text + o);
	}
	e->text[o] = 0;
}

struct outcome_entry *outcome_reply(struct outcome *o, const char *wire,
    size_t len, int code, int tls, long long now_ms)
{
	struct outcome_entry *e;

	if (o->next >= o->n)
		return NULL;
	e = &o->e[o->next++];
	e->answered = 1;
	e->code = code;
	e->tls = tls;
	e->ms = (long)(now_ms - e->sent_ms);
	if (e->ms < 0)
		e->ms = 0;
	e->slow = e->ms >= OUTCOME_SLOW_MS && outcome_tarpit_note(e->step);
	reply_text(e, wire, len);
	return e;
}

const struct outcome_entry *outcome_awaited(const struct outcome *o)
{
	return o->next < o->n ? &o->e[o->next] : NULL;
}

void outcome_unanswered(struct outcome *o)
{
	o->next = o->n;
}

long outcome_last_answered(const struct outcome *o)
{
	size_t i = o->next;

	while (i > 0 && !o->e[i - 1].answered)
		i--;
	return (long)i - 1;
}

void outcome_finding(struct outcome *o, const char *label, const char *text)
{
	struct outcome_finding *f;

	if (o->nfindings == OUTCOME_FINDINGS_MAX) {
		o->lost_findings++;
		return;
	}
	f = &o->findings[o->nfindings++];
	f->step = outcome_last_answered(o);
	snprintf(f->label, sizeof f->label, "%s", label ? label : "");
	snprintf(f->text, sizeof f->text, "%s", text);
}

long outcome_session_ms(const struct outcome *o, long long now_ms)
{
	if (o->start_ms == 0)
		return 0;
	return (long)((o->end_ms ? o->end_ms : now_ms) - o->start_ms);
}

const char *outcome_tarpit_note(enum outcome_step s)
{
	switch (s) {
	case OUTCOME_CONNECT:
		return "servers often hold back the greeting on purpose (tarpitting): a spam engine that talks before it is caught; RFC 5321 4.5.3.2.1 gives a client 5 minutes for it";
	case OUTCOME_RCPT:
		return "servers often slow down RCPT on purpose (tarpitting), most of all after refused recipients, to make guessing addresses and spamming costly; RFC 5321 4.5.3.2.3 gives a client 5 minutes for it";
	case OUTCOME_DOT:
		return "after the final dot the server may be scanning the message, or tarpitting on purpose; RFC 5321 4.5.3.2.6 gives it 10 minutes, and a client that gives up sooner may deliver twice";
	default:
		return NULL;
	}
}

/* ---- the verdict ----------------------------------------------------------- */

static const struct {
	enum outcome_step step;
	int status;
} step_status[] = {
	{ OUTCOME_CONNECT, OUTCOME_GREETING }, { OUTCOME_EHLO, OUTCOME_HELLO },
	{ OUTCOME_HELO, OUTCOME_HELLO }, { OUTCOME_STARTTLS, OUTCOME_TLS_FAILED },
	{ OUTCOME_AUTH, OUTCOME_AUTH_FAILED }, { OUTCOME_MAIL, OUTCOME_SENDER },
	{ OUTCOME_RCPT, OUTCOME_RECIPIENTS }, { OUTCOME_DATA, OUTCOME_DATA_REFUSED },
	{ OUTCOME_DOT, OUTCOME_MESSAGE_REFUSED },
};

static int status_of(enum outcome_step s)
{
	size_t i;

	for (i = 0; i < sizeof step_status / sizeof step_status[0]; i++)
		if (step_status[i].step == s)
			return step_status[i].status;
	return OUTCOME_FAILED;
}

/* end_status - what a session that broke says, or -1 when it did not */
static int end_status(enum outcome_end e)
{
	switch (e) {
	case OUTCOME_NETWORK: return OUTCOME_NO_CONNECTION;
	case OUTCOME_TIMED_OUT: return OUTCOME_TIMEOUT;
	case OUTCOME_TLS: return OUTCOME_TLS_FAILED;
	case OUTCOME_PROTOCOL: case OUTCOME_DROPPED: return OUTCOME_FAILED;
	default: return -1;
	}
}

#define BIT(s) (1u << (s))

struct walk {
	unsigned reached;	/* the steps that succeeded */
	long hello_failed;	/* an EHLO refused, HELO not (yet) accepted */
	long last_rcpt;
	int status;
	long decided;
	enum outcome_step step;
};

static void fail(struct walk *w, long i, enum outcome_step s, int status)
{
	if (w->status >= 0)
		return;
	w->status = status;
	w->decided = i;
	w->step = s;
}

/* rcpts_done - the recipients are over: none accepted is a failure */
static void rcpts_done(struct walk *w, struct outcome_verdict *v)
{
	if (w->last_rcpt >= 0 && v->rcpts_ok == 0)
		fail(w, w->last_rcpt, OUTCOME_RCPT, OUTCOME_RECIPIENTS);
	if (v->rcpts_ok > 0)
		w->reached |= BIT(OUTCOME_RCPT);
	w->last_rcpt = -1;
}

/* walk_entry - one answered entry of the record */
static void walk_entry(struct walk *w, const struct outcome_entry *e, long i,
    struct outcome_verdict *v)
{
	int d = e->code / 100;

	if (e->step != OUTCOME_RCPT)
		rcpts_done(w, v);
	if (w->hello_failed >= 0 && e->step != OUTCOME_HELO &&
	    e->step != OUTCOME_EHLO && e->step != OUTCOME_CONNECT)
		fail(w, w->hello_failed, OUTCOME_EHLO, OUTCOME_HELLO);
	switch (e->step) {
	case OUTCOME_CONNECT:
		if (d != 2)
			fail(w, i, e->step, OUTCOME_GREETING);
		w->reached |= BIT(OUTCOME_CONNECT);
		if (e->tls)	/* implicit TLS */
			w->reached |= BIT(OUTCOME_STARTTLS);
		break;
	case OUTCOME_EHLO:
	case OUTCOME_HELO:
		if (d == 2) {
			w->reached |= BIT(OUTCOME_EHLO);
			w->hello_failed = -1;
		} else if (e->step == OUTCOME_EHLO && d == 5)
			w->hello_failed = i;	/* HELO may come */
		else
			fail(w, i, OUTCOME_EHLO, OUTCOME_HELLO);
		break;
	case OUTCOME_STARTTLS:
		if (e->code == 220)
			w->reached |= BIT(OUTCOME_STARTTLS);
		else
			fail(w, i, e->step, OUTCOME_TLS_FAILED);
		break;
	case OUTCOME_AUTH:
		if (e->code == 235)
			w->reached |= BIT(OUTCOME_AUTH);
		else if (e->code != 334)
			fail(w, i, e->step, OUTCOME_AUTH_FAILED);
		break;
	case OUTCOME_RCPT:
		v->rcpts++;
		v->rcpts_ok += d == 2;
		w->last_rcpt = i;
		break;
	case OUTCOME_MAIL:
	case OUTCOME_DOT:
		if (d == 2)
			w->reached |= BIT(e->step);
		else
			fail(w, i, e->step, status_of(e->step));
		break;
	case OUTCOME_DATA:
		if (e->code == 354)
			w->reached |= BIT(OUTCOME_DATA);
		else
			fail(w, i, e->step, OUTCOME_DATA_REFUSED);
		break;
	default:
		break;
	}
}

/* reconnected - a CONNECT follows entry i: it was left behind on
 * purpose (a hang-up on EHLO, and HELO on a new connection) */
static int reconnected(const struct outcome *o, size_t i)
{
	for (i++; i < o->n; i++)
		if (o->e[i].step == OUTCOME_CONNECT)
			return 1;
	return 0;
}

void outcome_verdict(const struct outcome *o, const struct outcome_goal *g,
    struct outcome_verdict *v)
{
	static const enum outcome_step chain[] = {
		OUTCOME_CONNECT, OUTCOME_STARTTLS, OUTCOME_EHLO, OUTCOME_AUTH,
		OUTCOME_MAIL, OUTCOME_RCPT, OUTCOME_DATA, OUTCOME_DOT
	};
	struct walk w = { 0, -1, -1, -1, -1, OUTCOME_CONNECT };
	int es = end_status(o->end);
	enum outcome_step broke = OUTCOME_STEP_LAST;
	size_t i;

	memset(v, 0, sizeof *v);
	for (i = 0; i < o->n && w.status < 0; i++) {
		const struct outcome_entry *e = &o->e[i];

		if (!e->answered) {
			if (reconnected(o, i))
				continue;
			/* no reply: the session broke here (QUIT's reply
			 * does not matter) */
			if (e->step != OUTCOME_QUIT && es >= 0)
				fail(&w, (long)i, e->step, es);
			broke = e->step;
			break;
		}
		walk_entry(&w, e, (long)i, v);
	}
	/* the recipients and EHLO are judged when what follows them came
	 * (or nothing more was awaited) */
	if (broke != OUTCOME_RCPT)
		rcpts_done(&w, v);
	if (w.hello_failed >= 0 && broke != OUTCOME_HELO)
		fail(&w, w.hello_failed, OUTCOME_EHLO, OUTCOME_HELLO);
	/* the goal: each step of the chain up to it, STARTTLS and AUTH when
	 * asked for */
	for (i = 0; i < sizeof chain / sizeof chain[0] && w.status < 0; i++) {
		enum outcome_step s = chain[i];

		if ((s == OUTCOME_STARTTLS && !g->starttls && !g->implicit_tls &&
		    g->last != OUTCOME_STARTTLS) || (s == OUTCOME_AUTH && !g->auth))
			continue;
		if (!(w.reached & BIT(s)))
			fail(&w, -1, s, es >= 0 ? es : status_of(s));
		if (s == g->last)
			break;
	}
	if (w.status < 0 && o->end == OUTCOME_TLS)
		fail(&w, -1, OUTCOME_STARTTLS, OUTCOME_TLS_FAILED);
	v->status = w.status < 0 ? OUTCOME_OK : w.status;
	v->decided = w.status < 0 ? -1 : w.decided;
	v->step = w.status < 0 ? g->last : w.step;
}
