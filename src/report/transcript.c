/* SPDX-License-Identifier: GPL-3.0-or-later */
/* transcript.c - SMTP sessions as tools print them, and bare replies
 *
 * Three ways of marking who said what are read:
 *   swaks and smtpref's saved transcripts: " -> " and " ~> " for the
 *     client, "<-  ", "<~  ", "<** ", "<~* " for the server, "=== " notes;
 *   curl -v: "> " for the client, "< " for the server, "* " notes;
 *   openssl s_client, or anything pasted: lines that parse as replies are
 *     the server's (RFC 5321 4.2), lines that start with a command are
 *     the client's.
 * Each reply is matched with the oldest command still waiting for one (so
 * pipelined groups, RFC 2920, are followed), and a refusal becomes a
 * record: a RCPT's for its recipient, a DATA's or the final dot's for
 * every recipient the transaction had; a message accepted after the dot
 * is a delivery for each of them.  Replies with no command at all (a
 * pasted reply or reply block) each become a record of their own.
 */
#include <config.h>

#include "report/reportint.h"

#include <string.h>

#include "core/ascii.h"
#include "core/ref.h"
#include "core/reply.h"

enum { STYLE_PLAIN, STYLE_SWAKS, STYLE_CURL, STYLE_SCLIENT };

static const struct { const char *mark; int client; } swaks[] = {
	{ " -> ", 1 }, { " ~> ", 1 }, { "<-  ", 0 }, { "<~  ", 0 },
	{ "<** ", 0 }, { "<~* ", 0 },
};

static int is_reply(const char *s, size_t n)
{
	return n >= 3 && s[0] >= '2' && s[0] <= '5' &&
	    ascii_is_digit((unsigned char)s[1]) && s[1] <= '5' &&
	    ascii_is_digit((unsigned char)s[2]) &&
	    (n == 3 || s[3] == ' ' || s[3] == '-');
}

static int is_command(const char *s, size_t n)
{
	size_t k;

	for (k = 0; k < n && ascii_is_alpha((unsigned char)s[k]); k++)
		;
	return k >= 4 && (k == n || s[k] == ' ' || s[k] == ':') &&
	    ref_command_find(s, k) != NULL;
}

int report_session_is_line(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof swaks / sizeof swaks[0]; i++)
		if (n > 4 && memcmp(s, swaks[i].mark, 4) == 0)
			return 1;
	if (n > 4 && memcmp(s, "=== ", 4) == 0)
		return 1;
	if (report_starts_ci(s, n, "*   trying ") || report_starts_ci(s, n, "* trying ") ||
	    report_starts_ci(s, n, "* connected to ") || report_starts_ci(s, n, "connected("))
		return 1;
	if (n > 2 && s[1] == ' ' && ((s[0] == '<' && is_reply(s + 2, n - 2)) ||
	    (s[0] == '>' && is_command(s + 2, n - 2))))
		return 1;
	return is_reply(s, n);
}

void report_session_reset(struct report *r)
{
	memset(&r->sess, 0, sizeof r->sess);
}

/* ---------------------------------------------------------------- */
/* Records                                                           */

static void record(struct report *r, const char *addr, const char *command,
    const char *action)
{
	struct session *ss = &r->sess;
	struct rwork w;
	enum report_kind kind = ss->style != STYLE_PLAIN || ss->clients
	    ? REPORT_TRANSCRIPT : REPORT_REPLY;

	if (!r->msg_open) {
		char peer[sizeof r->peer];

		report_set(peer, sizeof peer, r->peer);
		report_msg_begin(r, kind);
		r->msg_line = ss->rline;
		report_set(r->peer, sizeof r->peer, peer);
		report_set(r->software, sizeof r->software, ss->style == STYLE_SWAKS
		    ? "swaks or smtpref" : ss->style == STYLE_CURL ? "curl"
		    : ss->style == STYLE_SCLIENT ? "openssl s_client" : "");
	}
	r->kind = (int)kind;
	report_set(r->sender, sizeof r->sender, ss->from);
	report_rw_init(&w, ss->rline);
	report_set(w.addr, sizeof w.addr, addr);
	report_set(w.command, sizeof w.command, command);
	report_set(w.action, sizeof w.action, action);
	report_set(w.remote, sizeof w.remote, r->peer);
	report_rw_append(&w, ss->reply, ss->rlen);
	w.fielded = 1;
	/* a new record per reply: the same address may be refused twice */
	r->nemitted = 0;
	report_emit(r, &w, NULL);
}

static void each_accepted(struct report *r, const char *command,
    const char *action)
{
	struct session *ss = &r->sess;
	int i;

	for (i = 0; i < ss->naccepted; i++)
		record(r, ss->accepted[i], command, action);
	ss->naccepted = 0;
}

/* reply - a whole reply came: what did it answer, and what follows */
static void reply(struct report *r)
{
	struct session *ss = &r->sess;
	struct session_cmd c = { "", "" };
	int code = ss->code;

	ss->reply[ss->rlen] = 0;
	if (ss->count > 0) {
		c = ss->queue[ss->head];
		ss->head = (ss->head + 1) % SESSION_QUEUE;
		ss->count--;
	} else if (ss->in_data) {
		/* curl -v does not show the message or its final dot */
		report_copy(c.verb, sizeof c.verb, "DATA-END", 8);
		ss->in_data = 0;
	} else if (!ss->greeted && (ss->clients || ss->style != STYLE_PLAIN)) {
		report_copy(c.verb, sizeof c.verb, "CONNECT", 7);
	}
	if (!strcmp(c.verb, "CONNECT") || (!c.verb[0] && !ss->greeted))
		ss->greeted = 1;
	if (!c.verb[0] && !ss->clients && ss->style == STYLE_PLAIN) {
		record(r, "", "", "");	/* a reply on its own */
	} else if (!strcmp(c.verb, "RCPT")) {
		if (code < 400 && ss->naccepted < SESSION_ACCEPTED)
			report_copy(ss->accepted[ss->naccepted++], REPORT_ADDR_MAX,
			    c.arg, strlen(c.arg));
		else if (code >= 400)
			record(r, c.arg, "RCPT", "");
	} else if (!strcmp(c.verb, "DATA")) {
		if (code == 354)
			ss->in_data = 1;
		else if (code >= 400)
			each_accepted(r, "DATA", "");
	} else if (!strcmp(c.verb, "DATA-END") || !strcmp(c.verb, "BDAT")) {
		if (code < 400 && (strcmp(c.verb, "BDAT") || strstr(c.arg, "LAST")))
			each_accepted(r, "DATA", "delivered");
		else if (code >= 400)
			each_accepted(r, "DATA", "");
	} else if (!strcmp(c.verb, "MAIL")) {
		ss->naccepted = 0;
		report_set(ss->from, sizeof ss->from, c.arg);
		if (code >= 400)
			record(r, "", "MAIL", "");
	} else if (!strcmp(c.verb, "RSET")) {
		ss->naccepted = 0;
	} else if (!strcmp(c.verb, "EHLO") && (code == 500 || code == 502)) {
		/* an RFC 821 server: the client goes on with HELO */
	} else if (code >= 400) {
		record(r, "", c.verb, "");
	}
	ss->rlen = 0;
	ss->code = 0;
}

/* ---------------------------------------------------------------- */
/* Lines                                                             */

/* push - a command now waits for its reply */
static struct session_cmd *push(struct session *ss, const char *verb, size_t n)
{
	struct session_cmd *c;
	size_t k;

	if (ss->count == SESSION_QUEUE)
		return NULL;
	c = &ss->queue[(ss->head + ss->count) % SESSION_QUEUE];
	ss->count++;
	for (k = 0; k < n && k + 1 < sizeof c->verb; k++)
		c->verb[k] = (char)ascii_upper((unsigned char)verb[k]);
	c->verb[k] = 0;
	c->arg[0] = 0;
	return c;
}

static void client_line(struct report *r, const char *s, size_t n)
{
	struct session *ss = &r->sess;
	struct session_cmd *c;
	size_t k, at, len;

	n = report_trim(&s, n);
	ss->clients++;
	if (ss->in_data) {
		/* the message's lines; the lone dot ends it (RFC 5321 4.1.1.4) */
		if (n == 1 && s[0] == '.') {
			ss->in_data = 0;
			push(ss, "DATA-END", 8);
		}
		return;
	}
	for (k = 0; k < n && ascii_is_alpha((unsigned char)s[k]); k++)
		;
	if (k == 0 || (c = push(ss, s, k)) == NULL)
		return;
	if ((!strcmp(c->verb, "MAIL") || !strcmp(c->verb, "RCPT")) &&
	    (len = report_find_address(s + k, n - k, &at)) > 0)
		report_copy(c->arg, sizeof c->arg, s + k + at, len);
	else if (!strcmp(c->verb, "BDAT"))
		report_copy(c->arg, sizeof c->arg, s + k, n - k);
}

static void server_line(struct report *r, const char *s, size_t n)
{
	struct session *ss = &r->sess;
	int code;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!is_reply(s, n))
		return;
	code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	if (ss->rlen > 0 && code != ss->code)
		reply(r);	/* a reply that never ended: take it as it is */
	if (ss->rlen == 0) {
		ss->code = code;
		ss->rline = r->lineno;
	}
	if (ss->rlen > 0 && ss->rlen + 1 < sizeof ss->reply)
		ss->reply[ss->rlen++] = ' ';
	if (ss->rlen + n >= sizeof ss->reply)
		n = sizeof ss->reply - 1 - ss->rlen;
	memcpy(ss->reply + ss->rlen, s, n);
	ss->rlen += n;
	if (n == 3 || s[3] == ' ')
		reply(r);
}

static void note_line(struct report *r, const char *s, size_t n)
{
	const char *p;
	size_t k;

	if ((p = report_find_ci(s, n, "connected to ")) != NULL) {
		p += 13;
		for (k = 0; p + k < s + n && p[k] != ' ' && p[k] != '(' &&
		    p[k] != ':'; k++)
			;
		while (k > 0 && p[k - 1] == '.')
			k--;
		report_copy(r->peer, sizeof r->peer, p, k);
	}
}

void report_session_line(struct report *r, const char *s, size_t n)
{
	struct session *ss = &r->sess;
	size_t i;

	for (i = 0; i < sizeof swaks / sizeof swaks[0]; i++)
		if (n >= 4 && memcmp(s, swaks[i].mark, 4) == 0) {
			ss->style = STYLE_SWAKS;
			if (swaks[i].client)
				client_line(r, s + 4, n - 4);
			else
				server_line(r, s + 4, n - 4);
			return;
		}
	if (n >= 4 && (memcmp(s, "=== ", 4) == 0 || memcmp(s, "*** ", 4) == 0)) {
		ss->style = STYLE_SWAKS;
		note_line(r, s + 4, n - 4);
		return;
	}
	if (n >= 2 && s[1] == ' ' && (s[0] == '<' || s[0] == '>' || s[0] == '*')) {
		ss->style = STYLE_CURL;
		if (s[0] == '<')
			server_line(r, s + 2, n - 2);
		else if (s[0] == '>')
			client_line(r, s + 2, n - 2);
		else
			note_line(r, s + 2, n - 2);
		return;
	}
	/* plain: openssl s_client, or pasted lines */
	if (report_starts_ci(s, n, "connected(")) {
		ss->style = STYLE_SCLIENT;
		return;
	}
	if (is_reply(s, n) && !ss->in_data) {
		server_line(r, s, n);
	} else if (ss->in_data || is_command(s, n)) {
		client_line(r, s, n);
	} else if (ss->rlen > 0) {
		/* a reply continued on a line of its own (wrapped) */
		if (ss->rlen + 1 + n < sizeof ss->reply) {
			ss->reply[ss->rlen++] = ' ';
			memcpy(ss->reply + ss->rlen, s, n);
			ss->rlen += n;
		}
	}
}

void report_session_finish(struct report *r)
{
	if (r->sess.rlen > 0)
		reply(r);
	report_msg_end(r);
}
