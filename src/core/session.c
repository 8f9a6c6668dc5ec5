/* SPDX-License-Identifier: GPL-3.0-or-later */
/* session.c - a simulated SMTP session for a learner, in either role
 *
 * A thin layer over the core's two machines: it turns the learner's lines
 * into what a client or server would write on the wire (CRLF, dot-stuffing,
 * a pipelined group in one write), and turns what the machines report into
 * tx items in the order a learner should read them: the reply, then why,
 * then what changed, then a hint (data/hints.rec).  It is the peer of the
 * simulated kinds (peer.h); its table is at the end.
 */
#include <config.h>

#include "core/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ascii.h"
#include "core/reply.h"

#define GROUP_MAX 64		/* commands matched to replies in one write */
#define OUT_MAX (1 << 16)	/* what the simulated client writes at once */
#define REPLY_MAX (1 << 16)	/* the learner's reply being assembled */

struct session {
	struct peer peer;		/* first: the interface */
	struct session_opts o;
	struct tx_sink sink;
	struct server_memory mem;	/* outlives each connection */
	struct server *srv;		/* client role */
	struct client *cli;		/* server role */
	struct session_last last;

	/* event explanations, shown after the reply they belong to */
	struct explain_hold held;

	/* a pipelined group: the commands whose replies are awaited */
	char *group[GROUP_MAX];
	size_t ngroup, gnext;

	/* the message being typed after 354 */
	size_t msg_octets;
	int stuffed;

	/* server role: the learner's reply so far */
	struct reply_acc acc;
	char *reply;
	size_t rlen;
	int reply_dropped;	/* the reply outgrew REPLY_MAX */
	char *out;		/* the client's next write */
	int tls;		/* server role: the client is under TLS */
	int closed_note;	/* say the server closed, after the events */

	/* session_wire: a real client's socket */
	void (*wire)(void *ctx, const char *bytes, size_t len);
	void *wire_ctx;
	int fed;		/* a real client's bytes (session_feed): no
				 * notes meant for a learner at the shell */
	/* session_tap: the server's own words, for smtpref listen */
	struct server_sink tap;
	struct server_reader tap_read;
	struct server_memory *shared;	/* session_serve: the greylist */
	int tls_from_start;
	/* session_track: the client is real; its shadow's persona */
	int tracking;
	const struct ref_persona *shadow;
	int feeding;		/* in session_feed: the lines are a real
				 * client's, to be shown */
	size_t msg_lines;	/* lines of the message being read */
};

/* ---- items ----------------------------------------------------------- */

static void item(struct session *s, enum tx_kind kind, const char *label,
    const char *text, size_t len)
{
	tx_emit(&s->sink, kind, label, text, len);
}

/* wire_lines - one item per line of wire text (CRLF or LF separated) */
static void wire_lines(struct session *s, enum tx_kind kind, int code,
    int tls, int by_learner, int secret, const char *p, size_t len)
{
	const char *end = p + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct tx_item it = { .kind = kind, .tls = tls, .code = code,
		    .secret = secret, .by_learner = by_learner, .text = p,
		    .len = n };

		if (n > 0 && p[n - 1] == '\r')
			it.len--;
		if (s->sink.item)
			s->sink.item(s->sink.ctx, &it);
		p = nl ? nl + 1 : end;
	}
}

static void explain_item(void *ctx, enum explain_kind kind, const char *text)
{
	item(ctx, TX_EXPLAIN, explain_kind_str(kind), text, strlen(text));
}

static void group_clear(struct session *s)
{
	size_t i;

	for (i = 0; i < s->ngroup; i++)
		free(s->group[i]);
	s->ngroup = s->gnext = 0;
}

static void copy_field(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static const struct peer_ops session_ops;

/* ---- client role: the learner talks to the simulated server ---------- */

static void on_reply(void *ctx, const struct server_reply *r)
{
	struct session *s = ctx;
	const struct ref_hint *hint;

	if (s->gnext < s->ngroup) {
		tx_emitf(&s->sink, TX_NOTE, "pipeline", "reply to %s", s->group[s->gnext]);
		if (++s->gnext == s->ngroup || r->code == 354)
			group_clear(s);	/* after 354 the rest is the message */
	}
	if (s->wire)
		s->wire(s->wire_ctx, r->wire, r->wire_len);
	wire_lines(s, TX_RECEIVED, r->code, server_tls_active(s->srv) &&
	    strcmp(r->verb, "STARTTLS") != 0, 0, 0, r->wire, r->wire_len);
	s->last.code = r->code;
	copy_field(s->last.enh, sizeof s->last.enh, r->enh);
	copy_field(s->last.verb, sizeof s->last.verb, r->verb);
	copy_field(s->last.rule, sizeof s->last.rule, r->rule);
	s->last.allowed = 1;
	s->last.expected = 0;
	explain_reply(r, s->o.level, explain_item, s);
	explain_hold_flush(&s->held);
	if (s->o.hints && s->o.level != EXPLAIN_OFF && r->code >= 400 &&
	    (hint = ref_hint_find(r->rule, r->verb)) != NULL)
		item(s, TX_HINT, NULL, hint->hint, strlen(hint->hint));
	if (r->code == 354 || (s->feeding && strcmp(r->verb, "DATA-END") == 0 &&
	    s->msg_lines > SESSION_MESSAGE_SHOWN + 1)) {
		if (r->code != 354)
			tx_emitf(&s->sink, TX_NOTE, "message", "%zu lines of the message were not shown.",
			    s->msg_lines - SESSION_MESSAGE_SHOWN - 1);
		s->msg_lines = 0;
	}
	if (r->code == 354) {
		s->msg_octets = 0;
		s->stuffed = 0;
		if (s->o.hints && s->o.level != EXPLAIN_OFF && !s->feeding)
			tx_emitf(&s->sink, TX_HINT, NULL, "Now type the message: headers (Subject: ...), an empty line, the body. A line with a single . ends it.");
	}
	if (strcmp(r->verb, "DATA-END") == 0 && s->o.level != EXPLAIN_OFF && !s->fed) {
		const struct ref_persona *p = server_persona(s->srv);

		if (p->size > 0 && server_offers(s->srv, "SIZE"))
			tx_emitf(&s->sink, TX_NOTE, "size", "The message was %zu octets; this server's SIZE limit is %ld.",
			    s->msg_octets, p->size);
		else
			tx_emitf(&s->sink, TX_NOTE, "size", "The message was %zu octets.", s->msg_octets);
	}
	if (r->closes)
		s->closed_note = 1;
	if (s->tap.reply)
		s->tap.reply(s->tap.ctx, r);
}

static void on_event(void *ctx, const struct server_event *e)
{
	struct session *s = ctx;

	if (s->tap.event)
		s->tap.event(s->tap.ctx, e);

	explain_event(e, s->o.level, explain_hold_line, &s->held);
}

/* on_line_done - what the server says of a line after its reply goes
 * with that reply, not the next */
static void on_line_done(void *ctx)
{
	struct session *s = ctx;

	if (s->tap.line_done)
		s->tap.line_done(s->tap.ctx);

	explain_hold_flush(&s->held);
}

/* client_line - a line a real client sent, shown as the learner's lines
 * are: made printable, a credential redacted, a long line cut, and only
 * the first lines of a message */
static void client_line(struct session *s, const char *line, size_t len,
    size_t total)
{
	enum server_phase ph = server_phase(s->srv);
	struct tx_item it = { TX_SENT, server_tls_active(s->srv), 0, 0, 0,
	    NULL, NULL, 0, 0, 0 };
	char shown[4 * 512 + 64];
	size_t keep = len < 512 ? len : 512, used;

	if (s->sink.item == NULL)
		return;
	if (ph == SERVER_DATA && ++s->msg_lines > SESSION_MESSAGE_SHOWN &&
	    !(len == 1 && line[0] == '.'))
		return;
	if (ph == SERVER_AUTH) {
		it.secret = 1;
		keep = 0;
	} else if ((used = tx_auth_response(line, len)) != 0) {
		it.secret = 1;
		keep = used < 64 ? used : 64;
	}
	used = tx_printable(line, keep, shown, sizeof shown - 64);
	it.len = strlen(shown);
	if (it.secret)
		it.len += (size_t)snprintf(shown + it.len, sizeof shown - it.len,
		    "%s", "*** (a credential: not shown)");
	else if (used < total)
		it.len += (size_t)snprintf(shown + it.len, sizeof shown - it.len,
		    " ... (%zu octets in all)", total);
	it.text = shown;
	s->sink.item(s->sink.ctx, &it);
}

static void on_input(void *ctx, const char *line, size_t len, size_t total,
    int crlf)
{
	struct session *s = ctx;

	if (s->tap_read.line)
		s->tap_read.line(s->tap_read.ctx, line, len, total, crlf);
	if (s->feeding)
		client_line(s, line, len, total);
}

static void on_chunk(void *ctx, const char *p, size_t len)
{
	struct session *s = ctx;

	if (s->tap_read.chunk)
		s->tap_read.chunk(s->tap_read.ctx, p, len);
}

/* feed - one write of the client: what the server reads at once */
static void feed(struct session *s, const char *buf, size_t len)
{
	server_feed(s->srv, buf, len);
	explain_hold_flush(&s->held);
	if (s->closed_note && !s->fed) {
		s->closed_note = 0;
		tx_emitf(&s->sink, TX_NOTE, NULL, "The server closed the connection. :restart connects again; :quit leaves.");
	}
}

/* sent_item - the learner's own line, with any credential redacted */
static int sent_item(struct session *s, const char *line, size_t len,
    int in_auth)
{
	return tx_learner_sent(&s->sink, server_tls_active(s->srv), line, len,
	    in_auth);
}

static int client_role_input(struct session *s, const char *line, size_t len)
{
	enum server_phase ph = server_phase(s->srv);
	char *buf;
	int secret;

	if (ph == SERVER_CLOSED) {
		tx_emitf(&s->sink, TX_ERROR, NULL, "the connection is closed; :restart connects again");
		return 0;
	}
	buf = malloc(len + 3);
	if (buf == NULL) {
		tx_emitf(&s->sink, TX_ERROR, NULL, "out of memory");
		return 0;
	}
	if (ph == SERVER_DATA) {
		/* RFC 5321 4.5.2: a line starting with '.' gets one more */
		size_t off = 0;

		if (len > 0 && line[0] == '.' && len != 1) {
			buf[off++] = '.';
			s->stuffed++;
		}
		memcpy(buf + off, line, len);
		memcpy(buf + off + len, "\r\n", 2);
		secret = sent_item(s, buf, off + len, 0);
		if (off)
			tx_emitf(&s->sink, TX_NOTE, "dot", "Your line starts with '.', so it went out as '%.*s' (dot-stuffing, RFC 5321 4.5.2); the server removes the extra dot.",
			    (int)(len + 1 > 60 ? 60 : len + 1), buf);
		if (!(len == 1 && line[0] == '.'))
			s->msg_octets += len + 2;
		feed(s, buf, off + len + 2);
	} else {
		memcpy(buf, line, len);
		memcpy(buf + len, "\r\n", 2);
		secret = sent_item(s, line, len, ph == SERVER_AUTH);
		feed(s, buf, len + 2);
	}
	free(buf);
	return secret;
}

/* ---- server role: the simulated client talks to the learner ----------- */

static void on_finding(void *ctx, const struct client_finding *f)
{
	struct session *s = ctx;
	const char *label = client_finding_label(f->kind);

	if (f->kind == CLIENT_DECISION) {
		if (s->o.level != EXPLAIN_OFF)
			tx_emitf(&s->sink, TX_EXPLAIN, label, "%s (%s)", f->text, f->section);
		return;
	}
	if (f->kind == CLIENT_BAD_CODE || f->kind == CLIENT_BAD_REPLY)
		s->last.allowed = 0;
	if (f->kind == CLIENT_DIFFERS) {
		s->last.expected = f->expected;
		if (f->expected == 0)
			tx_emitf(&s->sink, TX_FINDING, label, "A conforming server would close the connection without a reply: %s (%s)",
			    f->text, f->section);
		else
			tx_emitf(&s->sink, TX_FINDING, label, "A conforming server would answer %d%s%s: %s (%s)",
			    f->expected, f->expected_enh && *f->expected_enh ? " " : "",
			    f->expected_enh ? f->expected_enh : "", f->text, f->section);
		return;
	}
	tx_emitf(&s->sink, TX_FINDING, label, "%s (%s)", f->text, f->section);
}

/* client_turn - show what the client writes until it waits or leaves */
static void client_turn(struct session *s)
{
	for (;;) {
		size_t len = 0;
		enum client_action a = client_next(s->cli, s->out, OUT_MAX, &len);

		if (a == CLIENT_SEND) {
			wire_lines(s, TX_SENT, 0, client_tls(s->cli), 0, 0,
			    s->out, len);
			continue;
		}
		if (a == CLIENT_RECONNECT) {
			tx_emitf(&s->sink, TX_NOTE, NULL, "The connection is gone; the client connects again. Send a new greeting (220 ...).");
			continue;
		}
		if (a == CLIENT_CLOSE && s->tracking)
			tx_emitf(&s->sink, TX_NOTE, NULL, "The session is over.");
		else if (a == CLIENT_CLOSE)
			tx_emitf(&s->sink, TX_NOTE, NULL, "The client is done and has closed the connection. :restart plays it again.");
		return;
	}
}

static int server_role_input(struct session *s, const char *line, size_t len)
{
	enum reply_acc_status st;
	struct reply_line rl;

	if (client_phase(s->cli) == CLIENT_DONE) {
		tx_emitf(&s->sink, TX_ERROR, NULL, "the client has closed the connection; :restart plays it again");
		return 0;
	}
	/* a line that is no reply at all is refused here, so the learner can
	 * type it again; a well-formed but wrong reply goes to the client */
	if (s->rlen == 0 && reply_parse_line(line, len, &rl) != REPLY_OK) {
		tx_emitf(&s->sink, TX_ERROR, NULL, "that is not a reply: a reply starts with a three-digit code, such as 250 OK (RFC 5321 4.2)");
		return 0;
	}
	st = reply_acc_line(&s->acc, line, len);
	if (st == REPLY_ACC_BAD_LINE || st == REPLY_ACC_MIXED_CODES) {
		tx_emitf(&s->sink, TX_ERROR, NULL, "%s: %s; type this line again (RFC 5321 4.2.1)",
		    st == REPLY_ACC_MIXED_CODES ? "every line of a reply carries the same code" : "that is not a reply line",
		    reply_acc_status_str(st));
		/* forget the bad line: the accumulator restarts with what
		 * was good so far */
		reply_acc_init(&s->acc);
		{
			const char *p = s->reply, *end = s->reply + s->rlen;

			while (p < end) {
				const char *nl = memchr(p, '\n', (size_t)(end - p));

				reply_acc_line(&s->acc, p, (size_t)(nl - p - 1));
				p = nl + 1;
			}
		}
		return 0;
	}
	wire_lines(s, TX_RECEIVED, atoi(line), s->tls, 1, 0, line, len);
	if (s->rlen + len + 2 <= REPLY_MAX) {
		memcpy(s->reply + s->rlen, line, len);
		memcpy(s->reply + s->rlen + len, "\r\n", 2);
		s->rlen += len + 2;
	} else
		s->reply_dropped = 1;
	if (st == REPLY_ACC_MORE)
		return 0;
	if (s->reply_dropped)
		tx_emitf(&s->sink, TX_NOTE, NULL, "That reply was too long to keep whole; the client saw its first %d octets.", REPLY_MAX);
	s->last.code = s->acc.code;
	s->last.enh[0] = 0;
	if (s->acc.has_enh)
		snprintf(s->last.enh, sizeof s->last.enh, "%d.%d.%d",
		    s->acc.enh.cls, s->acc.enh.subject, s->acc.enh.detail);
	copy_field(s->last.verb, sizeof s->last.verb, client_phase_verb(client_phase(s->cli)));
	s->last.rule[0] = 0;
	s->last.allowed = 1;
	s->last.expected = 0;
	if (s->o.level != EXPLAIN_OFF)
		explain_code(s->acc.code, s->o.level == EXPLAIN_FULL && s->last.enh[0] ? s->last.enh : NULL,
		    client_awaits(s->cli), explain_item, s);
	if (s->wire)
		s->wire(s->wire_ctx, s->reply, s->rlen);
	/* a 220 to STARTTLS starts TLS for both sides */
	{
		int starttls = client_phase(s->cli) == CLIENT_STARTTLS;

		client_reply(s->cli, s->reply, s->rlen);
		if (starttls && s->acc.code == 220)
			s->tls = 1;
	}
	s->rlen = 0;
	s->reply_dropped = 0;
	reply_acc_init(&s->acc);
	client_turn(s);
	return 0;
}

/* ---- the session ----------------------------------------------------- */

static int connect_machines(struct session *s)
{
	if (s->o.role == SESSION_CLIENT) {
		struct server_sink sink = { s, on_reply, on_event, on_line_done };
		struct server_reader reader = { s, on_input, on_chunk };

		s->srv = server_new(s->o.persona, s->shared ? s->shared : &s->mem,
		    &sink);
		if (s->srv == NULL)
			return -1;
		server_watch(s->srv, &reader);
		return 0;
	} else {
		struct client_sink sink = { s, on_finding };

		/* the learner's reply and the client's writes: server role
		 * only, so that a real client's session stays small */
		if (s->reply == NULL && (s->reply = malloc(REPLY_MAX)) == NULL)
			return -1;
		if (s->out == NULL && (s->out = malloc(OUT_MAX)) == NULL)
			return -1;
		s->cli = s->tracking ? client_new_tracker(s->shadow, &sink) :
		    client_new(s->o.scenario, &sink);
		reply_acc_init(&s->acc);
		s->rlen = 0;
		s->tls = 0;
		return s->cli ? 0 : -1;
	}
}

static void disconnect(struct session *s)
{
	server_free(s->srv);
	client_free(s->cli);
	s->srv = NULL;
	s->cli = NULL;
	group_clear(s);
	s->held.n = 0;
	memset(&s->last, 0, sizeof s->last);
}

struct session *session_new(const struct session_opts *o,
    const struct tx_sink *sink)
{
	struct session *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->o = *o;
	if (s->o.persona == NULL)
		s->o.persona = ref_persona_find("modern", 6);
	if (s->o.scenario == NULL)
		s->o.scenario = ref_scenario_find("plain", 5);
	if (sink)
		s->sink = *sink;
	s->peer.ops = &session_ops;
	explain_hold_init(&s->held, explain_item, s);
	if (connect_machines(s) < 0) {
		session_free(s);
		return NULL;
	}
	return s;
}

void session_free(struct session *s)
{
	if (s == NULL)
		return;
	disconnect(s);
	free(s->reply);
	free(s->out);
	free(s);
}

void session_start(struct session *s)
{
	if (s->srv) {
		if (s->tls_from_start)
			server_tls_from_start(s->srv);
		server_start(s->srv);
		explain_hold_flush(&s->held);
	} else {
		client_turn(s);
		if (s->o.level != EXPLAIN_OFF && s->o.hints)
			tx_emitf(&s->sink, TX_HINT, NULL, "The client has connected and waits for your greeting: type 220 mx.example.org ESMTP (or 554 to refuse it).");
	}
}

void session_restart(struct session *s)
{
	disconnect(s);
	if (connect_machines(s) < 0) {
		tx_emitf(&s->sink, TX_ERROR, NULL, "out of memory");
		return;
	}
	tx_emitf(&s->sink, TX_NOTE, NULL, "A new connection (%s role, %s %s).",
	    s->o.role == SESSION_CLIENT ? "client" : "server",
	    s->o.role == SESSION_CLIENT ? "persona" : "scenario",
	    s->o.role == SESSION_CLIENT ? s->o.persona->name : s->o.scenario->name);
	session_start(s);
}

int session_input(struct session *s, const char *line, size_t len)
{
	if (s->srv == NULL && s->cli == NULL)
		return 0;
	return s->srv ? client_role_input(s, line, len)
	    : server_role_input(s, line, len);
}

int session_pipeline(struct session *s, const char *const *lines,
    const size_t *lens, size_t n)
{
	size_t i, total = 0, off = 0;
	int secret = 0;
	char *buf;

	if (s->srv == NULL) {
		for (i = 0; i < n; i++)
			secret |= session_input(s, lines[i], lens[i]);
		return secret;
	}
	if (server_phase(s->srv) == SERVER_CLOSED) {
		tx_emitf(&s->sink, TX_ERROR, NULL, "the connection is closed; :restart connects again");
		return 0;
	}
	if (server_phase(s->srv) == SERVER_DATA || n == 1) {
		/* inside a message the lines are text, not a group */
		for (i = 0; i < n; i++)
			secret |= session_input(s, lines[i], lens[i]);
		return secret;
	}
	for (i = 0; i < n; i++)
		total += lens[i] + 2;
	buf = malloc(total + 1);
	if (buf == NULL) {
		tx_emitf(&s->sink, TX_ERROR, NULL, "out of memory");
		return 0;
	}
	group_clear(s);
	if (!server_offers(s->srv, "PIPELINING"))
		tx_emitf(&s->sink, TX_NOTE, "pipeline", "This server did not announce PIPELINING, so a client must wait for each reply (RFC 2920 3.1); sending the group anyway.");
	for (i = 0; i < n; i++) {
		secret |= sent_item(s, lines[i], lens[i], 0);
		memcpy(buf + off, lines[i], lens[i]);
		memcpy(buf + off + lens[i], "\r\n", 2);
		off += lens[i] + 2;
		if (s->ngroup < GROUP_MAX) {
			char *copy = malloc(lens[i] + 1);

			if (copy) {
				if (tx_auth_response(lines[i], lens[i]))
					snprintf(copy, lens[i] + 1, "AUTH ...");
				else {
					memcpy(copy, lines[i], lens[i]);
					copy[lens[i]] = 0;
				}
				s->group[s->ngroup++] = copy;
			}
		}
	}
	tx_emitf(&s->sink, TX_NOTE, "pipeline", "%zu commands sent in one write; the replies come back in the same order.", n);
	feed(s, buf, off);
	group_clear(s);
	free(buf);
	return secret;
}

void session_end(struct session *s)
{
	if (s->srv) {
		enum server_phase ph = server_phase(s->srv);

		if (ph == SERVER_CLOSED)
			return;
		if (ph == SERVER_DATA || ph == SERVER_BDAT || ph == SERVER_AUTH) {
			tx_emitf(&s->sink, TX_NOTE, NULL, "Leaving in the middle of %s: the connection drops, and the server forgets the unfinished transaction (RFC 5321 3.8).",
			    ph == SERVER_AUTH ? "an AUTH exchange" : "a message");
			server_eof(s->srv);
			explain_hold_flush(&s->held);
			return;
		}
		tx_emitf(&s->sink, TX_NOTE, NULL, "Leaving: QUIT is sent first, as a polite client does (RFC 5321 4.1.1.10).");
		wire_lines(s, TX_SENT, 0, server_tls_active(s->srv), 0, 0,
		    "QUIT", 4);
		feed(s, "QUIT\r\n", 6);
	} else if (s->cli && client_phase(s->cli) != CLIENT_DONE) {
		tx_emitf(&s->sink, TX_NOTE, NULL, "Leaving: the connection drops without a reply to the client.");
		client_dropped(s->cli);
		client_turn(s);
	}
}

int session_fault(struct session *s, const char *verb, int nth, int code,
    const char *enh)
{
	if (s->srv == NULL)
		return -1;
	return server_fault(s->srv, verb, nth, code, enh);
}

int session_wait(struct session *s, unsigned long seconds)
{
	if (s->srv == NULL || seconds == 0 || seconds > SERVER_WAIT_MAX)
		return -1;
	server_wait(s->srv, seconds);	/* an open connection may time out: 421 */
	explain_hold_flush(&s->held);
	if (s->closed_note) {
		s->closed_note = 0;
		tx_emitf(&s->sink, TX_NOTE, NULL, "The server closed the connection. :restart connects again; :quit leaves.");
	}
	return 0;
}

void session_set_level(struct session *s, enum explain_level level)
{
	s->o.level = level;
}

enum explain_level session_level(const struct session *s)
{
	return s->o.level;
}

enum session_mode session_mode(const struct session *s)
{
	if (s->srv) {
		switch (server_phase(s->srv)) {
		case SERVER_CLOSED: return SESSION_CLOSED;
		case SERVER_DATA: return SESSION_MESSAGE;
		case SERVER_AUTH: return SESSION_AUTH;
		default: return SESSION_COMMAND;
		}
	}
	if (s->cli == NULL || client_phase(s->cli) == CLIENT_DONE)
		return SESSION_CLOSED;
	return s->rlen ? SESSION_REPLY_MORE : SESSION_REPLY;
}

const char *session_mode_str(enum session_mode m)
{
	static const char *const names[] = {
		[SESSION_COMMAND] = "command",
		[SESSION_MESSAGE] = "message",
		[SESSION_AUTH] = "auth",
		[SESSION_REPLY] = "reply",
		[SESSION_REPLY_MORE] = "reply (continued)",
		[SESSION_CLOSED] = "closed",
	};
	_Static_assert(sizeof names / sizeof names[0] == SESSION_MODE_LAST,
	    "one name per mode");

	return (unsigned)m < SESSION_MODE_LAST ? names[m] : "?";
}

enum session_role session_role(const struct session *s)
{
	return s->o.role;
}

const struct session_opts *session_opts(const struct session *s)
{
	return &s->o;
}

const struct session_last *session_last(const struct session *s)
{
	return &s->last;
}

const struct server *session_server(const struct session *s)
{
	return s->srv;
}

const struct client *session_client(const struct session *s)
{
	return s->cli;
}

int session_tls(const struct session *s)
{
	return s->srv ? server_tls_active(s->srv) : s->tls;
}

int session_feed(struct session *s, const char *buf, size_t len)
{
	if (s->srv == NULL)
		return -1;
	s->fed = 1;
	s->feeding = 1;
	feed(s, buf, len);
	s->feeding = 0;
	return server_phase(s->srv) == SERVER_CLOSED ? -1 : 0;
}

void session_wire(struct session *s,
    void (*wire)(void *ctx, const char *bytes, size_t len), void *ctx)
{
	s->wire = wire;
	s->wire_ctx = ctx;
}

int session_serve(struct session *s, struct server_memory *mem, int tls)
{
	if (s->srv == NULL || server_phase(s->srv) != SERVER_CONNECTED)
		return -1;
	s->tls_from_start = tls;
	if (mem == NULL || mem == s->shared)
		return 0;
	s->shared = mem;
	server_free(s->srv);	/* a new one, with the memory shared */
	s->srv = NULL;
	return connect_machines(s);
}

int session_track(struct session *s, const struct ref_persona *p)
{
	if (s->cli == NULL)
		return -1;
	s->tracking = 1;
	s->shadow = p;
	client_free(s->cli);
	s->cli = NULL;
	return connect_machines(s);
}

void session_client_line(struct session *s, const char *line, size_t len)
{
	struct tx_item it = { TX_SENT, s->tls, 0, 0, 0, NULL, NULL, 0, 0, 0 };
	enum client_phase ph;
	char shown[4 * 512 + 64];
	size_t keep = len < 512 ? len : 512, used;

	if (s->cli == NULL || client_done(s->cli))
		return;
	ph = client_phase(s->cli);
	if (ph == CLIENT_AUTH && client_last_code(s->cli) == 334 &&
	    client_pending(s->cli) == 0) {
		it.secret = 1;	/* the answer to a 334 */
		keep = 0;
	} else if ((used = tx_auth_response(line, len)) != 0) {
		it.secret = 1;
		keep = used < 64 ? used : 64;
	}
	if (client_server_phase(s->cli) == SERVER_DATA &&
	    client_pending(s->cli) == 0) {
		if (++s->msg_lines == SESSION_MESSAGE_SHOWN + 1 &&
		    !(len == 1 && line[0] == '.'))
			tx_emitf(&s->sink, TX_NOTE, "message", "The rest of the message is not shown.");
		if (s->msg_lines > SESSION_MESSAGE_SHOWN &&
		    !(len == 1 && line[0] == '.')) {
			client_sent(s->cli, line, len);
			return;
		}
	} else
		s->msg_lines = 0;
	used = tx_printable(line, keep, shown, sizeof shown - 64);
	it.len = strlen(shown);
	if (it.secret)
		it.len += (size_t)snprintf(shown + it.len, sizeof shown - it.len,
		    "%s", "*** (a credential: not shown)");
	else if (used < len)
		it.len += (size_t)snprintf(shown + it.len, sizeof shown - it.len,
		    " ... (%zu octets in all)", len);
	it.text = shown;
	if (s->sink.item)
		s->sink.item(s->sink.ctx, &it);
	client_sent(s->cli, line, len);
}

void session_timeout(struct session *s)
{
	if (s->srv == NULL)
		return;
	server_timeout(s->srv);
	explain_hold_flush(&s->held);
}

void session_shutdown(struct session *s)
{
	if (s->srv == NULL)
		return;
	server_shutdown(s->srv);
	explain_hold_flush(&s->held);
}

void session_tap(struct session *s, const struct server_sink *tap,
    const struct server_reader *read)
{
	memset(&s->tap, 0, sizeof s->tap);
	memset(&s->tap_read, 0, sizeof s->tap_read);
	if (tap)
		s->tap = *tap;
	if (read)
		s->tap_read = *read;
}

struct peer *session_peer(struct session *s)
{
	return &s->peer;
}

/* ---- what the machines say about the session ------------------------- */

/* verb_usable - whether the learner may send cmd to srv now */
static int verb_usable(const struct server *srv, const struct ref_command *cmd)
{
	if (!server_verb_allowed(srv, cmd->verb))
		return 0;
	if (strcmp(cmd->status, "obsolete") == 0 ||
	    strcmp(cmd->status, "vendor") == 0 || strcmp(cmd->status, "lmtp") == 0)
		return 0;
	if (cmd->keyword[0] == 0)
		return 1;
	return server_ehlo_used(srv) == 1 && server_offers(srv, cmd->keyword);
}

/* add_word - append a word to a space-separated list */
static void add_word(char *buf, size_t size, size_t *off, const char *w)
{
	int n = snprintf(buf + *off, size - *off, "%s%s", *off ? " " : "", w);

	if (n > 0 && (size_t)n < size - *off)
		*off += (size_t)n;
}

size_t session_server_next(const struct server *srv, char *buf, size_t size)
{
	enum server_phase ph = server_phase(srv);
	size_t i, off = 0;

	buf[0] = 0;
	if (ph == SERVER_DATA || ph == SERVER_CLOSED || ph == SERVER_AUTH)
		return 0;
	for (i = 0; i < ref_command_count; i++)
		if (verb_usable(srv, &ref_command_table[i]))
			add_word(buf, size, &off, ref_command_table[i].verb);
	return off;
}

size_t session_client_next(const struct client *cl, char *buf, size_t size)
{
	const char *verb = client_awaits(cl);
	size_t i, off = 0;
	char code[8];

	buf[0] = 0;
	if (verb == NULL || client_done(cl))
		return 0;
	for (i = 0; i < ref_code_count; i++) {
		if (!server_reply_allowed(verb, ref_code_table[i].code))
			continue;
		snprintf(code, sizeof code, "%d", ref_code_table[i].code);
		add_word(buf, size, &off, code);
	}
	return off;
}

void session_server_state(const struct server *srv, const struct tx_sink *out,
    const char *you)
{
	int ehlo = server_ehlo_used(srv);
	enum server_phase ph = server_phase(srv);
	char buf[1024];

	if (you)
		tx_emitf(out, TX_EXPLAIN, "state", "%s", you);
	else
		tx_emitf(out, TX_EXPLAIN, "state", "You are the client; the server is the '%s' persona (%s).",
		    server_persona(srv)->name, server_persona(srv)->hostname);
	tx_emitf(out, TX_EXPLAIN, "state", "Session: %s. Greeted with %s; TLS %s; %s.",
	    server_phase_str(ph),
	    ehlo == 1 ? "EHLO" : ehlo == 2 ? "HELO" : "nothing yet",
	    server_tls_active(srv) ? "on" : "off",
	    server_authenticated(srv) ? "authenticated" : "not authenticated");
	if (ehlo == 1)
		tx_emitf(out, TX_EXPLAIN, "state", "Extensions announced: %s", server_keywords(srv));
	if (ph == SERVER_RCPT)
		tx_emitf(out, TX_EXPLAIN, "state", "Recipients accepted so far: %zu", server_rcpt_count(srv));
	if (ph == SERVER_DATA) {
		tx_emitf(out, TX_EXPLAIN, "state", "You are typing the message; a line with a single . ends it.");
		return;
	}
	if (ph == SERVER_CLOSED) {
		tx_emitf(out, TX_EXPLAIN, "state", "Nothing can be sent: :restart connects again.");
		return;
	}
	session_server_next(srv, buf, sizeof buf);
	tx_emitf(out, TX_EXPLAIN, "state", "You may send now: %s", buf[0] ? buf : "(nothing)");
}

void session_client_state(const struct client *cl, int tls,
    const struct tx_sink *out, const char *you)
{
	const char *verb = client_awaits(cl);
	char buf[1024];

	if (you)
		tx_emitf(out, TX_EXPLAIN, "state", "%s", you);
	tx_emitf(out, TX_EXPLAIN, "state", "Client: %s; TLS %s.",
	    client_phase_str(client_phase(cl)), tls ? "on" : "off");
	if (verb == NULL || client_done(cl))
		return;
	session_client_next(cl, buf, sizeof buf);
	tx_emitf(out, TX_EXPLAIN, "state", "Replies a server may give to %s: %s",
	    verb, buf[0] ? buf : "(none)");
}

/* ---- the peer ----------------------------------------------------------- */

#define SELF(p) ((struct session *)(void *)(p))

static void p_start(struct peer *p)
{
	session_start(SELF(p));
}

static int p_line(struct peer *p, const char *line, size_t len)
{
	return session_input(SELF(p), line, len);
}

static int p_group(struct peer *p, const char *const *lines,
    const size_t *lens, size_t n)
{
	return session_pipeline(SELF(p), lines, lens, n);
}

static void p_leave(struct peer *p)
{
	session_end(SELF(p));
}

static void p_close(struct peer *p)
{
	struct session *s = SELF(p);

	if (s->srv && server_phase(s->srv) != SERVER_CLOSED) {
		server_eof(s->srv);
		explain_hold_flush(&s->held);
	} else if (s->cli && client_phase(s->cli) != CLIENT_DONE) {
		client_dropped(s->cli);
		client_turn(s);
	}
}

static void p_free(struct peer *p)
{
	session_free(SELF(p));
}

static enum peer_input p_input(const struct peer *p)
{
	switch (session_mode(SELF(p))) {
	case SESSION_MESSAGE: return PEER_IN_MESSAGE;
	case SESSION_AUTH: return PEER_IN_AUTH;
	case SESSION_REPLY: return PEER_IN_REPLY;
	case SESSION_REPLY_MORE: return PEER_IN_REPLY_MORE;
	case SESSION_CLOSED: return PEER_IN_CLOSED;
	default: return PEER_IN_COMMAND;
	}
}

static enum peer_wait p_waiting(const struct peer *p, char *what, size_t size)
{
	(void)p;
	if (size)
		what[0] = 0;
	return PEER_WAIT_NONE;	/* it answers at once */
}

static int p_phase(const struct peer *p)
{
	const struct session *s = SELF(p);

	if (s->srv)
		return server_diagram_phase(server_phase(s->srv));
	return client_server_phase(s->cli);
}

static size_t p_next(const struct peer *p, char *buf, size_t size)
{
	const struct session *s = SELF(p);

	if (s->srv)
		return session_server_next(s->srv, buf, size);
	return session_client_next(s->cli, buf, size);
}

static void p_state(const struct peer *p, const struct tx_sink *out)
{
	const struct session *s = SELF(p);
	char you[256];

	if (s->srv) {
		session_server_state(s->srv, out, NULL);
		return;
	}
	snprintf(you, sizeof you, "You are the server; the client plays the '%s' scenario.",
	    s->o.scenario->name);
	session_client_state(s->cli, s->tls, out, you);
}

static void p_info(const struct peer *p, struct peer_info *out)
{
	const struct session *s = SELF(p);

	memset(out, 0, sizeof *out);
	out->learner_server = s->o.role == SESSION_SERVER;
	out->other = s->srv ? "server" : "client";
	out->name = s->srv ? s->o.persona->name : s->o.scenario->name;
	out->detail = s->srv ? s->o.persona->hostname : NULL;
}

static int p_offers(const struct peer *p, const char *keyword)
{
	const struct session *s = SELF(p);

	return s->srv ? server_offers(s->srv, keyword) : 0;
}

static const char *p_mechs(const struct peer *p)
{
	const struct session *s = SELF(p);

	return s->srv ? server_persona(s->srv)->auth_mechs : NULL;
}

static const char *p_reply_to(const struct peer *p)
{
	const struct session *s = SELF(p);

	return s->cli ? client_awaits(s->cli) : NULL;
}

static unsigned p_caps(const struct peer *p)
{
	const struct session *s = SELF(p);
	unsigned caps = PEER_CAN_SETUP | PEER_CAN_RESTART;

	if (s->srv)
		caps |= PEER_CAN_FAULT | PEER_CAN_PIPE | PEER_CAN_WAIT;
	return caps;
}

static int p_tls(const struct peer *p)
{
	return session_tls(SELF(p));
}

static void p_set_level(struct peer *p, enum explain_level level)
{
	session_set_level(SELF(p), level);
}

static int p_done(const struct peer *p)
{
	(void)p;
	return 0;
}

static int p_exit_status(const struct peer *p)
{
	(void)p;
	return 0;
}

static void p_restart(struct peer *p)
{
	session_restart(SELF(p));
}

static int p_fault(struct peer *p, const char *verb, int nth, int code,
    const char *enh)
{
	return session_fault(SELF(p), verb, nth, code, enh);
}

static int p_wait_clock(struct peer *p, long seconds)
{
	return seconds > 0 ? session_wait(SELF(p), (unsigned long)seconds) : -1;
}

static const struct peer_ops session_ops = {
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
	.reply_to = p_reply_to,
	.caps = p_caps,
	.tls = p_tls,
	.set_level = p_set_level,
	.done = p_done,
	.exit_status = p_exit_status,
	.restart = p_restart,
	.fault = p_fault,
	.wait_clock = p_wait_clock,
};

struct session *session_of(struct peer *p)
{
	return p && p->ops == &session_ops ? SELF(p) : NULL;
}
