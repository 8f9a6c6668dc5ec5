/* SPDX-License-Identifier: GPL-3.0-or-later */
/* realpeer.c - a real SMTP server, as a peer
 *
 * RFC 5321 (SMTP), RFC 2920 (PIPELINING), RFC 3207 (STARTTLS), RFC 8314
 * (implicit TLS), RFC 4954 (AUTH) with RFC 4616 (PLAIN) and LOGIN,
 * RFC 3030 (BDAT), RFC 2034 and RFC 3463 (enhanced codes).
 *
 * The core client (client_new_opener, core/client.c) decides what smtpref
 * sends by itself: EHLO after the greeting, HELO when EHLO is refused, a
 * new connection and HELO when the server hangs up on EHLO, STARTTLS and
 * EHLO again when TLS is required, and :auth's exchange.  It tracks what
 * the learner sends and checks every reply against the command it
 * answers (RFC 2920 3.1: a client counts replies, it never matches them
 * by text).  This file moves bytes between it and the connection
 * (conn.c), shows every line, explains every reply from the tables, and
 * keeps the reply deadlines.  Anything that ends the session goes
 * through shut(), which says why once.
 */
#include <config.h>

#include "net/realpeer.h"

#include "core/ascii.h"
#include "core/client.h"
#include "core/codec.h"
#include "core/explain.h"
#include "core/outcome.h"
#include "core/ref.h"
#include "core/reply.h"
#include "core/server.h"
#include "net/net.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_MAX 65536		/* what the client composes at once */
#define KW_MAX 64		/* EHLO lines kept */
#define KW_LEN 80
#define SHOWN_MAX (4 * NET_LINE_MAX + 64)	/* a line made printable */
#define UNSOLICITED_MAX 8	/* replies nobody asked for, before giving up */
#define GROUP_MAX 100		/* commands in one pipelined group */
#define CMD_LINE_MAX 510	/* RFC 5321 4.5.3.1.4: 512 with CRLF */
#define TEXT_LINE_MAX 998	/* RFC 5321 4.5.3.1.6: 1000 with CRLF */

static const char redacted[] = "****";

enum state {
	ST_NEW,			/* not started */
	ST_OPEN,		/* the session is going on */
	ST_ENDED,		/* the server said 221 */
	ST_DROPPED,		/* the server ended it otherwise (421, a close) */
	ST_PROTOCOL,		/* the server broke the protocol so badly that
				 * smtpref stopped */
	ST_NETWORK,		/* resolving, connecting, a reset, a close */
	ST_TIMEOUT,		/* a reply did not come in time */
	ST_TLS_FAILED,		/* the handshake, the certificate, or TLS was
				 * required and not possible */
	ST_CLOSED,		/* the learner closed it */
	ST_LAST
};

static const char *const state_names[] = {
	[ST_NEW] = "not opened", [ST_OPEN] = "open",
	[ST_ENDED] = "ended with 221", [ST_DROPPED] = "ended by the server",
	[ST_PROTOCOL] = "stopped: protocol violation",
	[ST_NETWORK] = "network failure", [ST_TIMEOUT] = "timeout",
	[ST_TLS_FAILED] = "TLS failure",
	[ST_CLOSED] = "closed",
};
_Static_assert(sizeof state_names / sizeof state_names[0] == ST_LAST,
    "one name per state");

struct realpeer {
	struct peer peer;
	struct conn *conn;
	struct client *cli;
	struct tx_sink sink;	/* tap(): into the record, then outer */
	struct tx_sink outer;
	struct outcome rec;	/* each step, its reply and its latency */
	enum state state;
	enum explain_level level;
	int timeout_ms, plaintext_auth, greeted;
	long long deadline;	/* for the oldest reply awaited */
	int unsolicited;
	char *out;		/* the client's next bytes */

	/* what the learner's next line is */
	int msg;		/* after 354: the message; "." ends it */
	int told_stuffing;
	unsigned long bdat_left;	/* octets of a BDAT chunk to come */
	int auth334;		/* after 334 to the learner's AUTH */

	/* the EHLO reply's lines, to show what TLS changed */
	char kws[KW_MAX][KW_LEN];
	size_t nkws;
	char old_kws[KW_MAX][KW_LEN];
	size_t nold;
	int diff_pending;
};

#define SELF(p) ((struct realpeer *)(void *)(p))

/* ---- items ------------------------------------------------------------- */

static void emit_timed(struct realpeer *r, enum tx_kind kind,
    const char *label, const char *text, int code, int secret,
    int by_learner, long ms)
{
	struct tx_item it;

	memset(&it, 0, sizeof it);
	it.timed = ms >= 0;
	it.ms = ms >= 0 ? ms : 0;
	it.kind = kind;
	it.tls = (kind == TX_SENT || kind == TX_RECEIVED) && conn_tls_on(r->conn);
	it.code = code;
	it.secret = secret;
	it.by_learner = by_learner;
	it.label = label;
	it.text = text;
	it.len = strlen(text);
	if (r->sink.item)
		r->sink.item(r->sink.ctx, &it);
}

static void emit(struct realpeer *r, enum tx_kind kind, const char *label,
    const char *text, int code, int secret, int by_learner)
{
	emit_timed(r, kind, label, text, code, secret, by_learner, -1);
}

#define say(r, kind, label, ...) tx_emitf(&(r)->sink, kind, label, __VA_ARGS__)
#define note(r, ...) tx_emitf(&(r)->sink, TX_NOTE, NULL, __VA_ARGS__)

/* lines_timed - each line of wire text as an item, made printable; a
 * reply's last line carries its latency ms (-1: none) */
static void lines_timed(struct realpeer *r, enum tx_kind kind,
    const char *wire, size_t len, int code, int secret, long ms)
{
	size_t pos = 0;
	char shown[SHOWN_MAX];

	while (pos < len) {
		const char *p = wire + pos, *lf = memchr(p, '\n', len - pos);
		size_t n = lf ? (size_t)(lf - p) : len - pos;

		pos += n + 1;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (secret && kind == TX_SENT) {
			/* "AUTH MECH ****", whatever blanks (tabs too)
			 * the line had; an answer to 334: "****" */
			size_t mlen, mech = tx_auth_mech(p, n, &mlen);
			char m[4 * 40 + 1];

			if (mech && tx_auth_response(p, n)) {
				tx_printable(p + mech, mlen < 40 ? mlen : 40, m,
				    sizeof m);
				snprintf(shown, sizeof shown, "AUTH %s %s", m,
				    redacted);
			} else
				snprintf(shown, sizeof shown, "%s", redacted);
		} else
			tx_printable(p, n, shown, sizeof shown);
		emit_timed(r, kind, NULL, shown, code, secret, 0,
		    pos >= len ? ms : -1);
	}
}

static void lines(struct realpeer *r, enum tx_kind kind, const char *wire,
    size_t len, int code, int secret)
{
	lines_timed(r, kind, wire, len, code, secret, -1);
}

/* ---- the record ----------------------------------------------------------- */

/* tap - every item passes here: a finding goes into the record */
static void tap(void *ctx, const struct tx_item *it)
{
	struct realpeer *r = ctx;

	if (it->kind == TX_FINDING) {
		char text[512];

		snprintf(text, sizeof text, "%.*s", (int)it->len, it->text);
		outcome_finding(&r->rec, it->label, text);
	}
	if (r->outer.item)
		r->outer.item(r->outer.ctx, it);
}

/* step_of - what a command line is, for the record */
static enum outcome_step step_of(const char *line, size_t len)
{
	char v[16];
	size_t i;
	enum outcome_step st;

	for (i = 0; i < len && i < sizeof v - 1 && line[i] != ' '; i++)
		v[i] = line[i];
	v[i] = 0;
	if (i < len && line[i] != ' ')
		return OUTCOME_OTHER;
	st = outcome_step_of(v);
	/* the client's names for the greeting and the dot are no verbs */
	return st == OUTCOME_CONNECT || st == OUTCOME_DOT ? OUTCOME_OTHER : st;
}

/* sent - a line that awaits a reply went out: into the record; an
 * answer to AUTH's 334 (a credential) is kept as AUTH, without it */
static void sent(struct realpeer *r, const char *line, size_t len, int answer)
{
	enum outcome_step st = answer ? OUTCOME_AUTH : step_of(line, len);

	if (outcome_sent(&r->rec, st, answer ? NULL : line, answer ? 0 : len,
	    net_now_ms()) != 0)
		say(r, TX_ERROR, NULL, "out of memory: this step is not in the summary");
}

/* sent_bytes - what the client composed: each line awaits a reply (the
 * opener sends commands, and during client_login the answers) */
static void sent_bytes(struct realpeer *r, const char *bytes, size_t len,
    int login)
{
	size_t pos = 0;

	while (pos < len) {
		const char *p = bytes + pos, *lf = memchr(p, '\n', len - pos);
		size_t n = lf ? (size_t)(lf - p) : len - pos;

		pos += n + 1;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		sent(r, p, n, login && !(n >= 5 && ascii_ieq(p, 5, "AUTH ")));
	}
}

/* connected - the connection is there: the greeting is awaited */
static void connected(struct realpeer *r)
{
	const struct conn_opts *o = conn_opts(r->conn);

	r->rec.connected_ms = net_now_ms();
	snprintf(r->rec.host, sizeof r->rec.host, "%s", o->host);
	snprintf(r->rec.address, sizeof r->rec.address, "%s", conn_address(r->conn));
	r->rec.port = o->port;
	outcome_unanswered(&r->rec);
	if (conn_tls_on(r->conn))
		conn_tls_info(r->conn, &r->rec.tls);
	if (outcome_sent(&r->rec, OUTCOME_CONNECT, NULL, 0, r->rec.connected_ms) != 0)
		say(r, TX_ERROR, NULL, "out of memory: this step is not in the summary");
}

/* rec_end - the session ended as st */
static void rec_end(struct realpeer *r, enum state st, const char *why)
{
	static const enum outcome_end ends[] = {
		[ST_NEW] = OUTCOME_OPEN, [ST_OPEN] = OUTCOME_OPEN,
		[ST_ENDED] = OUTCOME_ENDED, [ST_DROPPED] = OUTCOME_DROPPED,
		[ST_PROTOCOL] = OUTCOME_PROTOCOL, [ST_NETWORK] = OUTCOME_NETWORK,
		[ST_TIMEOUT] = OUTCOME_TIMED_OUT, [ST_TLS_FAILED] = OUTCOME_TLS,
		[ST_CLOSED] = OUTCOME_CLOSED,
	};

	outcome_unanswered(&r->rec);
	r->rec.end = ends[st];
	r->rec.end_ms = net_now_ms();
	if (why)
		snprintf(r->rec.why, sizeof r->rec.why, "%s", why);
}

/* shut - the session ends in state st; says why (an error) once */
static void shut(struct realpeer *r, enum state st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void shut(struct realpeer *r, enum state st, const char *fmt, ...)
{
	va_list ap;
	char why[1024] = "";

	if (r->state != ST_OPEN && r->state != ST_NEW)
		return;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof why, fmt, ap);
		va_end(ap);
		tx_emit(&r->sink, TX_ERROR, NULL, why, strlen(why));
	}
	rec_end(r, st, why[0] ? why : NULL);
	if (r->greeted)
		client_dropped(r->cli);
	conn_close(r->conn);
	r->state = st;
	r->msg = r->auth334 = 0;
	r->bdat_left = 0;
	r->deadline = 0;
}

/* verb_words - what a reply awaited answers, in words */
static const char *verb_words(const char *verb, char *buf, size_t size)
{
	if (verb == NULL || verb[0] == 0)
		return "a line";
	if (strcmp(verb, "CONNECT") == 0)
		return "the connection (the greeting)";
	if (strcmp(verb, "DATA-END") == 0)
		return "the final dot";
	snprintf(buf, size, "%s", verb);
	return buf;
}

/* await_more - the deadline of the oldest reply awaited: a whole timeout
 * from the moment it became the oldest */
static void await_more(struct realpeer *r)
{
	if (client_pending(r->cli) == 0)
		r->deadline = 0;
	else if (r->deadline == 0)
		r->deadline = net_now_ms() + r->timeout_ms;
}

/* ---- what smtpref sends by itself ----------------------------------------- */

/* put - bytes on the wire, and the deadline */
static int put(struct realpeer *r, const char *bytes, size_t len)
{
	if (conn_write(r->conn, bytes, len) != 0) {
		shut(r, ST_NETWORK, "%s", conn_error(r->conn));
		return -1;
	}
	await_more(r);
	return 0;
}

/* pump - send what the client decides, until it waits */
static void pump(struct realpeer *r)
{
	while (r->state == ST_OPEN) {
		size_t len = 0;
		enum client_action a = client_next(r->cli, r->out, OUT_MAX, &len);

		if (a == CLIENT_SEND) {
			lines(r, TX_SENT, r->out, len, 0, client_secret(r->cli));
			if (put(r, r->out, len) != 0)
				return;
			sent_bytes(r, r->out, len, client_phase(r->cli) == CLIENT_AUTH);
		} else if (a == CLIENT_RECONNECT) {
			if (conn_reconnect(r->conn) != 0) {
				shut(r, conn_tls_failed(r->conn) ? ST_TLS_FAILED : ST_NETWORK,
				    "%s", conn_error(r->conn));
				return;
			}
			connected(r);
			r->nkws = 0;
			r->deadline = 0;
			await_more(r);
		} else
			return;
	}
}

/* start_tls - after 220 to STARTTLS: the handshake, and the extensions
 * forgotten (RFC 3207 4.2) */
static void start_tls(struct realpeer *r)
{
	char preview[300];
	size_t injected = 0;

	if (conn_starttls(r->conn, &injected, preview, sizeof preview) != 0) {
		shut(r, ST_TLS_FAILED, "%s", conn_error(r->conn));
		return;
	}
	conn_tls_info(r->conn, &r->rec.tls);
	if (injected > 0)
		say(r, TX_FINDING, "injection",
		    "%zu octets came after the 220 to STARTTLS, before TLS started (\"%s\"). A man in the middle can inject such bytes to be read as answers inside TLS (CVE-2021-22947): smtpref discards them (RFC 3207 5)",
		    injected, preview);
	memcpy(r->old_kws, r->kws, sizeof r->kws);
	r->nold = r->nkws;
	r->nkws = 0;
	r->diff_pending = 1;
	if (client_handed(r->cli))
		note(r, "TLS is on. The server has forgotten everything said before it: send EHLO again, and see how the extensions change (RFC 3207 4.2)");
}

/* ---- EHLO keywords --------------------------------------------------------- */

/* kw_has - list holds an EHLO line with the keyword kw */
static int kw_has(char list[][KW_LEN], size_t n, const char *kw, size_t kwlen)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < kwlen && list[i][j] &&
		    (list[i][j] | 0x20) == (kw[j] | 0x20); j++)
			;
		if (j == kwlen && (list[i][j] == 0 || list[i][j] == ' '))
			return 1;
	}
	return 0;
}

static size_t kw_len(const char *line)
{
	const char *sp = strchr(line, ' ');

	return sp ? (size_t)(sp - line) : strlen(line);
}

/* join_missing - the lines of a not in b, comma separated */
static size_t join_missing(char a[][KW_LEN], size_t na, char b[][KW_LEN],
    size_t nb, char *out, size_t size)
{
	size_t i, n = 0;

	out[0] = 0;
	for (i = 0; i < na; i++)
		if (!kw_has(b, nb, a[i], kw_len(a[i])) &&
		    n + strlen(a[i]) + 3 < size)
			n += (size_t)snprintf(out + n, size - n, "%s%s",
			    n ? ", " : "", a[i]);
	return n;
}

/* show_diff - what TLS changed in the extension list */
static void show_diff(struct realpeer *r)
{
	char added[512], gone[512];
	size_t a = join_missing(r->kws, r->nkws, r->old_kws, r->nold, added, sizeof added);
	size_t g = join_missing(r->old_kws, r->nold, r->kws, r->nkws, gone, sizeof gone);

	if (a == 0 && g == 0)
		note(r, "under TLS the server offers the same extensions as before");
	else
		note(r, "under TLS the extensions changed: new %s; gone %s",
		    a ? added : "none", g ? gone : "none");
	r->diff_pending = 0;
}

static void on_explain(void *ctx, enum explain_kind kind, const char *text)
{
	emit(ctx, TX_EXPLAIN, explain_kind_str(kind), text, 0, 0, 0);
}

/* on_ehlo - keep, and at full explanations explain, each keyword line
 * of an accepted EHLO reply */
static void on_ehlo(struct realpeer *r, const char *wire, size_t len)
{
	size_t pos = 0, k = 0;

	r->nkws = 0;
	while (pos < len) {
		const char *p = wire + pos, *lf = memchr(p, '\n', len - pos);
		size_t n = lf ? (size_t)(lf - p) : len - pos;

		pos += n + 1;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (k++ == 0 || n < 4)
			continue;	/* the first line is the server's name */
		if (r->level == EXPLAIN_FULL)
			explain_ehlo_line(p + 4, n - 4 > NET_LINE_MAX ?
			    NET_LINE_MAX : n - 4, on_explain, r);
		if (r->nkws < KW_MAX)
			tx_printable(p + 4, n - 4, r->kws[r->nkws++], KW_LEN);
	}
	if (r->diff_pending)
		show_diff(r);
}

/* ---- replies ------------------------------------------------------------------ */

/* explain_answer - what the reply means: at brief one line (what it
 * means for the session, else the code), at full the code, the
 * enhanced code and the meaning */
static void explain_answer(struct realpeer *r, const char *verb, int code,
    const char *wire, size_t first)
{
	struct reply_line l;
	char enh[24] = "";
	const char *known = verb && (strcmp(verb, "CONNECT") == 0 ||
	    strcmp(verb, "DATA-END") == 0 || ref_command_find(verb, strlen(verb))) ?
	    verb : NULL;

	if (r->level == EXPLAIN_OFF)
		return;
	if (reply_parse_line(wire, first > NET_LINE_MAX ? NET_LINE_MAX : first,
	    &l) == REPLY_OK && l.has_enh)
		snprintf(enh, sizeof enh, "%d.%d.%d", l.enh.cls, l.enh.subject,
		    l.enh.detail);
	if (r->level == EXPLAIN_BRIEF) {
		if (!explain_meaning(known, code, on_explain, r))
			explain_code(code, NULL, known, on_explain, r);
		return;
	}
	explain_code(code, enh, known, on_explain, r);
	explain_meaning(known, code, on_explain, r);
}

/* auth_challenge - what a 334's base64 text says ("Username:") */
static void auth_challenge(struct realpeer *r, const char *text, size_t len)
{
	unsigned char dec[256];
	char shown[1100];
	long n;

	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\r'))
		len--;
	n = codec_b64_decode(text, len, dec, sizeof dec);
	if (n < 0) {
		say(r, TX_FINDING, "bad", "the text of this 334 is not base64, as RFC 4954 4 wants it");
		return;
	}
	tx_printable((const char *)dec, (size_t)n, shown, sizeof shown);
	if (n > 0)
		note(r, "the server's challenge decodes to \"%s\"", shown);
}

/* after_reply - what the reply to verb changes for the learner's input */
static void after_reply(struct realpeer *r, const char *verb, int code,
    const char *wire, size_t len, size_t first)
{
	int handed = client_handed(r->cli);

	if (strcmp(verb, "EHLO") == 0 && code / 100 == 2)
		on_ehlo(r, wire, len);
	else if (strcmp(verb, "HELO") == 0 && code / 100 == 2)
		r->nkws = 0;
	else if (strcmp(verb, "AUTH") == 0) {
		r->auth334 = code == 334 && handed;
		if (code == 334 && first > 4)
			auth_challenge(r, wire + 4, first - 4);
	} else if (strcmp(verb, "DATA") == 0 && code == 354 && handed)
		r->msg = 1;
}

/* on_reply - one complete reply: show, match, check, explain, act */
static void on_reply(struct realpeer *r, const char *wire, size_t len, int code)
{
	const char *lf = memchr(wire, '\n', len), *aw = client_awaits(r->cli);
	size_t first = lf ? (size_t)(lf - wire) : len;
	char verb[16];
	const struct outcome_entry *e = NULL;

	snprintf(verb, sizeof verb, "%s", aw ? aw : "");
	if (first > 0 && wire[first - 1] == '\r')
		first--;
	r->greeted = 1;
	if (aw)
		e = outcome_reply(&r->rec, wire, len, code, conn_tls_on(r->conn),
		    net_now_ms());
	lines_timed(r, TX_RECEIVED, wire, len, code, 0, e ? e->ms : -1);
	if (aw == NULL && ++r->unsolicited > UNSOLICITED_MAX) {
		shut(r, ST_PROTOCOL, "the server keeps sending replies nobody asked for: smtpref stops");
		return;
	}
	r->deadline = 0;
	client_reply(r->cli, wire, len);
	explain_answer(r, aw ? verb : NULL, code, wire, first);
	if (e && e->slow)
		note(r, "%s took %.1f s: %s",
		    e->step == OUTCOME_CONNECT ? "the greeting" :
		    e->step == OUTCOME_DOT ? "the reply to the final dot" :
		    "the reply to RCPT", (double)e->ms / 1000,
		    outcome_tarpit_note(e->step));
	after_reply(r, verb, code, wire, len, first);
	if (code == 221) {
		int tls_failed = client_tls_failed(r->cli);

		client_dropped(r->cli);
		conn_close(r->conn);
		r->state = ST_ENDED;
		if (tls_failed)
			r->state = ST_TLS_FAILED;
		rec_end(r, r->state, NULL);
		return;
	}
	if (code == 421) {
		shut(r, ST_DROPPED, "the server closed the session with 421 (RFC 5321 3.8)");
		return;
	}
	if (client_tls(r->cli) && !conn_tls_on(r->conn))
		start_tls(r);
	if (client_tls_failed(r->cli) && client_pending(r->cli) == 0)
		say(r, TX_ERROR, NULL, "%s does not offer TLS, and it is required: smtpref ends the session rather than go on in clear (an attacker can strip STARTTLS, RFC 3207 6)",
		    conn_opts(r->conn)->host);
	await_more(r);
	pump(r);
}

/* on_eof - the server closed the connection */
static void on_eof(struct realpeer *r)
{
	const char *aw = client_awaits(r->cli);
	char verb[16], buf[32];
	size_t partial, len = 0;
	enum client_action a;

	snprintf(verb, sizeof verb, "%s", aw ? aw : "");
	partial = conn_partial(r->conn);
	if (partial > 0) {
		const char *held = conn_held(r->conn, &len);

		lines(r, TX_RECEIVED, held, len < 4096 ? len : 4096, 0, 0);
		shut(r, ST_NETWORK, "the server closed the connection in the middle of a reply (%zu octets without their end; RFC 5321 3.8: as if it had said 451)",
		    partial);
		return;
	}
	conn_close(r->conn);
	client_dropped(r->cli);
	a = client_next(r->cli, r->out, OUT_MAX, &len);
	if (a == CLIENT_RECONNECT) {
		if (conn_reconnect(r->conn) != 0) {
			shut(r, ST_NETWORK, "%s", conn_error(r->conn));
			return;
		}
		connected(r);
		r->nkws = 0;
		r->deadline = 0;
		await_more(r);
		return;
	}
	if (strcmp(verb, "EHLO") == 0)
		shut(r, ST_NETWORK, "the server closed the connection on EHLO; some old servers do: connect again and use HELO");
	else if (verb[0])
		shut(r, ST_NETWORK, "the server closed the connection while smtpref waited for the reply to %s (RFC 5321 3.8: as if it had said 451)",
		    verb_words(verb, buf, sizeof buf));
	else
		shut(r, ST_NETWORK, "the server closed the connection");
}

/* on_conn - what the connection found */
static int on_conn(void *ctx, enum conn_event ev, const char *wire,
    size_t len, int code)
{
	struct realpeer *r = ctx;
	char shown[200];

	switch (ev) {
	case CONN_REPLY:
		on_reply(r, wire, len, code);
		break;
	case CONN_TOO_LONG:
		tx_printable(wire, len, shown, sizeof shown);
		say(r, TX_RECEIVED, NULL, "%s... (cut: no end of line after %d octets)", shown, NET_LINE_MAX);
		shut(r, ST_PROTOCOL, "a reply line from the server is longer than %d octets (RFC 5321 4.5.3.1.5 allows 512): smtpref stops reading",
		    NET_LINE_MAX);
		break;
	case CONN_TOO_MANY:
		lines(r, TX_RECEIVED, wire, len > 2000 ? 2000 : len, code, 0);
		emit(r, TX_RECEIVED, NULL, "... (more lines not shown)", 0, 0, 0);
		shut(r, ST_PROTOCOL, "a reply from the server goes on for more than %d lines: smtpref stops reading",
		    REPLY_LINES_MAX);
		break;
	case CONN_BAD_LINE:
		lines(r, TX_RECEIVED, wire, len, 0, 0);
		client_reply(r->cli, wire, len);
		shut(r, ST_PROTOCOL, "the server sent a line that is not a reply (\"%s\"; RFC 5321 4.2: three digits from 200 to 559, then a space, a dash or the end): smtpref stops",
		    conn_bad(r->conn));
		break;
	case CONN_MIXED:
		lines(r, TX_RECEIVED, wire, len, code, 0);
		client_reply(r->cli, wire, len);
		shut(r, ST_PROTOCOL, "the lines of one reply carry different codes (RFC 5321 4.2.1: every line must repeat the code): smtpref takes it as a failure and stops");
		break;
	case CONN_EOF:
		on_eof(r);
		break;
	case CONN_FAILED:
		shut(r, ST_NETWORK, "%s", conn_error(r->conn));
		break;
	}
	return r->state != ST_OPEN;
}

/* ---- the learner's lines ------------------------------------------------------ */

/* check_command - a command line must hold no CR, LF or NUL (RFC 5321
 * 2.3.8: that could smuggle a second command in) */
static int check_command(struct realpeer *r, const char *line, size_t len)
{
	if (memchr(line, '\r', len) || memchr(line, '\n', len)) {
		say(r, TX_ERROR, NULL, "not sent: the line holds a CR or LF, which would end the command early and smuggle in another (RFC 5321 2.3.8)");
		return -1;
	}
	if (memchr(line, 0, len)) {
		say(r, TX_ERROR, NULL, "not sent: the line holds a NUL octet (RFC 5321 4.1.1: commands are text)");
		return -1;
	}
	if (len > CMD_LINE_MAX)
		note(r, "this command is %zu octets long; RFC 5321 4.5.3.1.4 allows 512 with CRLF, so the server may refuse it (500)",
		    len + 2);
	return 0;
}

/* wire_line - line and CRLF in one write */
static int wire_line(struct realpeer *r, const char *line, size_t len)
{
	char buf[1024], *w = len + 2 <= sizeof buf ? buf : malloc(len + 2);
	int rc;

	if (w == NULL) {
		say(r, TX_ERROR, NULL, "out of memory");
		return -1;
	}
	memcpy(w, line, len);
	memcpy(w + len, "\r\n", 2);
	rc = put(r, w, len + 2);
	if (w != buf)
		free(w);
	return rc;
}

/* bdat_size - the chunk size of a BDAT line */
static unsigned long bdat_size(const char *line, size_t len)
{
	unsigned long n = 0;
	size_t i = 5;

	while (i < len && i < 15 && ascii_is_digit((unsigned char)line[i]))
		n = n * 10 + (unsigned long)(line[i++] - '0');
	return n;
}

/* send_command - a command line; by_learner: typed, so on the screen */
static int send_command(struct realpeer *r, const char *line, size_t len,
    int by_learner)
{
	int secret;

	if (check_command(r, line, len) != 0)
		return 0;
	if (len >= 8 && ascii_ieq(line, 8, "STARTTLS") && (len == 8 || line[8] == ' ') &&
	    conn_tls_on(r->conn)) {
		say(r, TX_ERROR, NULL, "not sent: TLS is already on, and a client never starts it twice (RFC 3207 4.2)");
		return 0;
	}
	if (by_learner)
		secret = tx_learner_sent(&r->sink, conn_tls_on(r->conn), line, len, 0);
	else {
		secret = tx_auth_response(line, len) != 0;
		lines(r, TX_SENT, line, len, 0, secret);
	}
	if (wire_line(r, line, len) != 0)
		return secret;
	sent(r, line, len, 0);
	client_sent(r->cli, line, len);
	await_more(r);
	if (len >= 5 && ascii_ieq(line, 5, "BDAT "))
		r->bdat_left = bdat_size(line, len);
	return secret;
}

/* text_line - one line of the message's text: dot-stuffed */
static void text_line(struct realpeer *r, const char *line, size_t len)
{
	char *stuffed;
	int dot = len > 0 && line[0] == '.';

	if (len > TEXT_LINE_MAX)
		note(r, "this line is %zu octets long; RFC 5321 4.5.3.1.6 allows 1000 with CRLF, so a server may refuse or split it",
		    len + 2);
	if (dot && !r->told_stuffing) {
		note(r, "a line of the message starts with \".\", so smtpref sends it with one more dot, and the server removes it (dot-stuffing, RFC 5321 4.5.2)");
		r->told_stuffing = 1;
	}
	/* RFC 5321 4.5.2: a line starting with a dot gets one more */
	stuffed = malloc(len + 2);
	if (stuffed == NULL) {
		say(r, TX_ERROR, NULL, "out of memory");
		return;
	}
	stuffed[0] = '.';
	memcpy(stuffed + 1, line, len);
	tx_learner_sent(&r->sink, conn_tls_on(r->conn), stuffed + !dot, len + dot, 0);
	wire_line(r, stuffed + !dot, len + dot);
	free(stuffed);
}

/* send_message_line - one line of the message after 354: "." alone
 * ends it; a CR or CRLF inside it is a line break (RFC 5321 2.3.8: no
 * bare CR on the wire), and every piece is text, a "." too */
static void send_message_line(struct realpeer *r, const char *line, size_t len)
{
	size_t pos = 0;

	if (len == 1 && line[0] == '.') {
		r->msg = 0;
		r->told_stuffing = 0;
		tx_learner_sent(&r->sink, conn_tls_on(r->conn), ".", 1, 0);
		if (wire_line(r, ".", 1) == 0) {
			if (outcome_sent(&r->rec, OUTCOME_DOT, NULL, 0, net_now_ms()) != 0)
				say(r, TX_ERROR, NULL, "out of memory: this step is not in the summary");
			client_sent(r->cli, ".", 1);
			await_more(r);
		}
		return;
	}
	while (r->state == ST_OPEN) {
		const char *cr = memchr(line + pos, '\r', len - pos);
		size_t k = cr ? (size_t)(cr - (line + pos)) : len - pos;

		if (cr && (pos + k + 1 == len || line[pos + k + 1] != '\n'))
			note(r, "a lone CR in this line ends a line on the wire: SMTP sends no bare CR (RFC 5321 2.3.8)");
		text_line(r, line + pos, k);
		if (cr == NULL)
			break;
		pos += k + 1 + (pos + k + 1 < len && line[pos + k + 1] == '\n');
		if (pos >= len)
			break;
	}
}

/* send_chunk_line - a line of a BDAT chunk: counted, never stuffed */
static void send_chunk_line(struct realpeer *r, const char *line, size_t len)
{
	unsigned long k = (unsigned long)len + 2;

	if (k > r->bdat_left)
		note(r, "this line (%lu octets with CRLF) is longer than what is left of the BDAT chunk (%lu): the server will read the rest as commands (RFC 3030 2)",
		    k, r->bdat_left);
	r->bdat_left -= k < r->bdat_left ? k : r->bdat_left;
	tx_learner_sent(&r->sink, conn_tls_on(r->conn), line, len, 0);
	if (wire_line(r, line, len) == 0)
		client_sent(r->cli, line, len);
}

/* send_auth_answer - the answer to a 334: shown redacted, except "*" */
static int send_auth_answer(struct realpeer *r, const char *line, size_t len)
{
	int cancel = len == 1 && line[0] == '*';

	if (check_command(r, line, len) != 0)
		return 1;
	r->auth334 = 0;
	tx_learner_sent(&r->sink, conn_tls_on(r->conn), line, len, !cancel);
	if (wire_line(r, line, len) == 0) {
		sent(r, line, len, 1);
		client_sent(r->cli, line, len);
		await_more(r);
	}
	return !cancel;
}

/* ---- the peer ------------------------------------------------------------------ */

static enum peer_input p_input(const struct peer *p);

static void p_process(struct peer *p)
{
	struct realpeer *r = SELF(p);
	char buf[32];

	if (r->state != ST_OPEN)
		return;
	conn_read(r->conn, on_conn, r);
	if (r->state == ST_OPEN && r->deadline && net_now_ms() >= r->deadline) {
		const char *verb = client_awaits(r->cli);

		shut(r, ST_TIMEOUT, "no complete reply to %s within %d s",
		    verb && strcmp(verb, "CONNECT") == 0 ? "the connection (no greeting)" :
		    verb_words(verb, buf, sizeof buf), r->timeout_ms / 1000);
	}
}

static int p_timeout(const struct peer *p)
{
	const struct realpeer *r = SELF(p);
	long long left;

	if (r->state != ST_OPEN || r->deadline == 0)
		return -1;
	left = r->deadline - net_now_ms();
	return left < 0 ? 0 : left > 1000000 ? 1000000 : (int)left;
}

static void p_wait(struct peer *p)
{
	struct realpeer *r = SELF(p);

	while (r->state == ST_OPEN && client_pending(r->cli) > 0 && !r->msg &&
	    r->bdat_left == 0) {
		struct pollfd pfd = { conn_fd(r->conn), POLLIN, 0 };

		if (poll(&pfd, 1, p_timeout(p)) < 0 && errno != EINTR) {
			shut(r, ST_NETWORK, "poll: %s", strerror(errno));
			break;
		}
		p_process(p);
	}
}

static void p_start(struct peer *p)
{
	struct realpeer *r = SELF(p);

	if (r->state != ST_NEW)
		return;
	r->state = ST_OPEN;
	r->rec.start_ms = net_now_ms();
	if (conn_connect(r->conn) != 0) {
		shut(r, conn_tls_failed(r->conn) ? ST_TLS_FAILED : ST_NETWORK,
		    "%s", conn_error(r->conn));
		return;
	}
	connected(r);
	await_more(r);
	/* the greeting, and what the client does by itself after it */
	while (r->state == ST_OPEN && !client_handed(r->cli) &&
	    !client_done(r->cli) && client_pending(r->cli) > 0)
		p_wait(p);
}

static int p_line(struct peer *p, const char *line, size_t len)
{
	struct realpeer *r = SELF(p);

	if (r->state != ST_OPEN) {
		say(r, TX_ERROR, NULL, "not sent: the connection is closed");
		return 0;
	}
	/* what the server sent unasked comes first (security-cases H8) */
	p_process(p);
	if (r->state != ST_OPEN)
		return 0;
	switch (p_input(p)) {
	case PEER_IN_MESSAGE:
		send_message_line(r, line, len);
		return 0;
	case PEER_IN_CHUNK:
		send_chunk_line(r, line, len);
		return 0;
	case PEER_IN_AUTH:
		return send_auth_answer(r, line, len);
	default:
		return send_command(r, line, len, 1);
	}
}

/* groupable - a command RFC 2920 3.1 lets stand anywhere in a group */
static int groupable(const char *line, size_t len)
{
	char v[16];
	size_t i;
	const struct ref_command *c;

	for (i = 0; i < len && i < sizeof v - 1 && line[i] != ' '; i++)
		v[i] = (char)ascii_upper((unsigned char)line[i]);
	v[i] = 0;
	c = ref_command_find(v, i);
	return c && strcmp(c->pipelining, "anywhere") == 0;
}

static int p_group(struct peer *p, const char *const *ls, const size_t *lens,
    size_t n)
{
	struct realpeer *r = SELF(p);
	size_t i, total = 0, off = 0;
	int secret = 0;
	char *buf;

	if (r->state != ST_OPEN || n == 0)
		return 0;
	if (p_input(p) != PEER_IN_COMMAND || n > GROUP_MAX ||
	    !client_offers(r->cli, "PIPELINING")) {
		say(r, TX_ERROR, NULL, "not sent: a group of commands needs PIPELINING from the server, no message or exchange going on, and at most %d commands (RFC 2920)",
		    GROUP_MAX);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (check_command(r, ls[i], lens[i]) != 0)
			return 0;
		if (i + 1 < n && !groupable(ls[i], lens[i])) {
			say(r, TX_ERROR, NULL, "not sent: %.*s may only be the last command of a group (RFC 2920 3.1)",
			    (int)(lens[i] < 16 ? lens[i] : 16), ls[i]);
			return 0;
		}
		total += lens[i] + 2;
	}
	buf = malloc(total);
	if (buf == NULL) {
		say(r, TX_ERROR, NULL, "out of memory");
		return 0;
	}
	for (i = 0; i < n; i++) {
		memcpy(buf + off, ls[i], lens[i]);
		memcpy(buf + off + lens[i], "\r\n", 2);
		off += lens[i] + 2;
	}
	note(r, "the server offers PIPELINING: these %zu commands go in one write, and the replies come back in the same order (RFC 2920 3.1)", n);
	for (i = 0; i < n; i++)
		secret |= tx_learner_sent(&r->sink, conn_tls_on(r->conn), ls[i], lens[i], 0);
	if (put(r, buf, total) == 0)
		for (i = 0; i < n; i++) {
			sent(r, ls[i], lens[i], 0);
			client_sent(r->cli, ls[i], lens[i]);
			if (lens[i] >= 5 && ascii_ieq(ls[i], 5, "BDAT "))
				r->bdat_left = bdat_size(ls[i], lens[i]);
		}
	await_more(r);
	free(buf);
	return secret;
}

static void p_leave(struct peer *p)
{
	struct realpeer *r = SELF(p);

	if (r->state != ST_OPEN)
		return;
	p_wait(p);
	if (r->state != ST_OPEN)
		return;
	if (p_input(p) == PEER_IN_COMMAND) {
		note(r, "Leaving: QUIT is sent first, as a polite client does (RFC 5321 4.1.1.10).");
		send_command(r, "QUIT", 4, 0);
		p_wait(p);
		return;
	}
	note(r, "Leaving in the middle of a message or an AUTH exchange: the connection is closed and the server drops what was unfinished (RFC 5321 3.8).");
	shut(r, ST_CLOSED, NULL);
}

static void p_close(struct peer *p)
{
	shut(SELF(p), ST_CLOSED, NULL);
}

static void p_free(struct peer *p)
{
	struct realpeer *r = SELF(p);

	conn_free(r->conn);
	client_free(r->cli);
	outcome_free(&r->rec);
	free(r->out);
	free(r);
}

static enum peer_input p_input(const struct peer *p)
{
	const struct realpeer *r = SELF(p);

	if (r->state != ST_OPEN)
		return PEER_IN_CLOSED;
	if (r->msg)
		return PEER_IN_MESSAGE;
	if (r->bdat_left > 0)
		return PEER_IN_CHUNK;
	if (r->auth334 && client_pending(r->cli) == 0)
		return PEER_IN_AUTH;
	return PEER_IN_COMMAND;
}

static enum peer_wait p_waiting(const struct peer *p, char *what, size_t size)
{
	const struct realpeer *r = SELF(p);
	const char *verb = client_awaits(r->cli);

	if (r->state != ST_OPEN || verb == NULL || client_pending(r->cli) == 0)
		return PEER_WAIT_NONE;
	if (strcmp(verb, "DATA") == 0) {
		snprintf(what, size, "354");
		return PEER_WAIT_354;
	}
	if (strcmp(verb, "CONNECT") == 0)
		snprintf(what, size, "the greeting");
	else if (strcmp(verb, "DATA-END") == 0)
		snprintf(what, size, "the reply to the final dot");
	else
		snprintf(what, size, "the reply to %s", verb[0] ? verb : "a line");
	return PEER_WAIT_REPLY;
}

static int p_phase(const struct peer *p)
{
	const struct realpeer *r = SELF(p);

	if (!r->greeted)
		return SERVER_CONNECTED;
	return r->state == ST_OPEN ? client_server_phase(r->cli) : SERVER_CLOSED;
}

static int offers_cb(void *ctx, const char *keyword)
{
	return client_offers(((struct realpeer *)ctx)->cli, keyword);
}

static size_t p_next(const struct peer *p, char *buf, size_t size)
{
	const struct realpeer *r = SELF(p);

	buf[0] = 0;
	if (p_input(p) != PEER_IN_COMMAND)
		return 0;
	return ref_commands_next(server_phase_key((enum server_phase)p_phase(p)),
	    offers_cb, (void *)r, buf, size);
}

static void p_state(const struct peer *p, const struct tx_sink *out)
{
	const struct realpeer *r = SELF(p);
	char buf[1024];

	tx_emitf(out, TX_EXPLAIN, "state", "You are the client of the real server %s; the connection is %s.",
	    conn_opts(r->conn)->host, state_names[r->state]);
	tx_emitf(out, TX_EXPLAIN, "state", "Session: %s. Client: %s; TLS %s; replies awaited: %zu.",
	    server_phase_str((enum server_phase)p_phase(p)),
	    client_phase_str(client_phase(r->cli)), conn_tls_on(r->conn) ? "on" : "off",
	    client_pending(r->cli));
	if (p_input(p) == PEER_IN_MESSAGE)
		tx_emitf(out, TX_EXPLAIN, "state", "You are typing the message; a line with a single . ends it.");
	else if (r->state == ST_OPEN) {
		p_next(p, buf, sizeof buf);
		tx_emitf(out, TX_EXPLAIN, "state", "A client may send now: %s", buf[0] ? buf : "(nothing)");
	}
}

static void p_info(const struct peer *p, struct peer_info *out)
{
	memset(out, 0, sizeof *out);
	out->other = "real server";
	out->name = conn_opts(SELF(p)->conn)->host;
}

static int p_offers(const struct peer *p, const char *keyword)
{
	return client_offers(SELF(p)->cli, keyword);
}

static const char *p_mechs(const struct peer *p)
{
	return client_mechs(SELF(p)->cli);
}

static unsigned p_caps(const struct peer *p)
{
	(void)p;
	return PEER_CAN_LOGIN | PEER_CAN_STARTTLS | PEER_CAN_PIPE | PEER_LIVE;
}

static int p_tls(const struct peer *p)
{
	return conn_tls_on(SELF(p)->conn);
}

static void p_set_level(struct peer *p, enum explain_level level)
{
	SELF(p)->level = level;
}

static int p_fd(const struct peer *p)
{
	const struct realpeer *r = SELF(p);

	return r->state == ST_OPEN ? conn_fd(r->conn) : -1;
}

static int p_exit_status(const struct peer *p)
{
	switch (SELF(p)->state) {
	case ST_ENDED: return OUTCOME_OK;
	case ST_NETWORK: return OUTCOME_NO_CONNECTION;
	case ST_TIMEOUT: return OUTCOME_TIMEOUT;
	case ST_TLS_FAILED: return OUTCOME_TLS_FAILED;
	default: return OUTCOME_FAILED;
	}
}

static int p_login(struct peer *p, const char *mech, const char *user,
    const char *password, int insist)
{
	struct realpeer *r = SELF(p);
	int plain = ascii_ieq(mech, strlen(mech), "PLAIN");

	if (r->state != ST_OPEN) {
		say(r, TX_ERROR, NULL, "not sent: the connection is closed");
		return -1;
	}
	if (p_input(p) != PEER_IN_COMMAND || client_pending(r->cli) > 0) {
		say(r, TX_ERROR, NULL, "not sent: finish the command, message or exchange going on first");
		return -1;
	}
	if (!conn_tls_on(r->conn) && !r->plaintext_auth && !insist) {
		say(r, TX_ERROR, NULL, "not sent: TLS is not on, and AUTH %s would send the password almost in clear for anyone on the path to read (RFC 4954 4, 14). Start TLS first (:starttls), or send it anyway with :auth!",
		    plain ? "PLAIN" : "LOGIN");
		return -1;
	}
	if (!conn_tls_on(r->conn))
		say(r, TX_FINDING, "insecure", "sending credentials without TLS, as insisted: anyone on the path can decode them");
	if (!client_offers(r->cli, "AUTH"))
		note(r, "the server did not announce AUTH in its EHLO reply; sending it anyway");
	else if (!ref_list_has_ci(client_mechs(r->cli), plain ? "PLAIN" : "LOGIN", 5))
		note(r, "the server's AUTH line does not list %s; sending it anyway", plain ? "PLAIN" : "LOGIN");
	note(r, plain ? "AUTH PLAIN carries, in base64, NUL, the user name, NUL and the password (RFC 4616 2): smtpref shows it as ****" :
	    "AUTH LOGIN asks for the user name, then the password, each in base64: smtpref shows the password as ****");
	if (client_login(r->cli, plain ? "PLAIN" : "LOGIN", user, password) != 0) {
		say(r, TX_ERROR, NULL, "not sent: the user name or the password is too long");
		return -1;
	}
	pump(r);
	return 0;
}

static int p_starttls(struct peer *p)
{
	struct realpeer *r = SELF(p);

	if (r->state != ST_OPEN)
		return -1;
	if (conn_tls_on(r->conn)) {
		say(r, TX_ERROR, NULL, "TLS is already on, and a client never starts it twice (RFC 3207 4.2)");
		return -1;
	}
	send_command(r, "STARTTLS", 8, 0);
	return 0;
}

static const struct peer_ops realpeer_ops = {
	.start = p_start,
	.line = p_line,
	.group = p_group,
	.leave = p_leave,
	.close = p_close,
	.free = p_free,
	.input = p_input,
	.waiting = p_waiting,
	.phase = p_phase,
	.next = p_next,
	.state = p_state,
	.info = p_info,
	.offers = p_offers,
	.mechs = p_mechs,
	.caps = p_caps,
	.tls = p_tls,
	.set_level = p_set_level,
	.fd = p_fd,
	.timeout = p_timeout,
	.process = p_process,
	.wait = p_wait,
	.exit_status = p_exit_status,
	.login = p_login,
	.starttls = p_starttls,
};

/* on_finding - what the tracking client says of a reply */
static void on_finding(void *ctx, const struct client_finding *f)
{
	struct realpeer *r = ctx;

	say(r, f->kind == CLIENT_DECISION ? TX_EXPLAIN : TX_FINDING,
	    client_finding_label(f->kind), "%s (%s)", f->text, f->section);
}

struct peer *realpeer_new(const struct conn_opts *o, const struct tx_sink *sink)
{
	struct realpeer *r = calloc(1, sizeof *r);
	struct client_sink cs;

	if (r == NULL)
		return NULL;
	r->peer.ops = &realpeer_ops;
	if (sink)
		r->outer = *sink;
	r->sink.ctx = r;
	r->sink.item = tap;
	outcome_init(&r->rec);
	r->level = EXPLAIN_FULL;
	r->plaintext_auth = o->plaintext_auth;
	r->conn = conn_new(o, &r->sink);
	r->out = malloc(OUT_MAX);
	cs.ctx = r;
	cs.finding = on_finding;
	if (r->conn)
		r->cli = client_new_opener(conn_opts(r->conn)->helo, !o->no_ehlo,
		    o->tls == CONN_TLS_STARTTLS ? CLIENT_STARTTLS_REQUIRED :
		    o->tls == CONN_TLS_OPTIONAL ? CLIENT_STARTTLS_IF_OFFERED :
		    CLIENT_STARTTLS_NO, &cs);
	if (r->conn == NULL || r->out == NULL || r->cli == NULL) {
		p_free(&r->peer);
		return NULL;
	}
	r->timeout_ms = conn_opts(r->conn)->timeout_ms;
	return &r->peer;
}

const struct outcome *realpeer_outcome(const struct peer *p)
{
	const struct realpeer *r = SELF(p);

	return &r->rec;
}
