/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_outcome.c - the one-line client's core: the record of a session
 * and its verdict (core/outcome.c), and the message it sends
 * (core/message.c) */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-run.h"
#include "core/codec.h"
#include "core/message.h"
#include "core/outcome.h"

/* ---- the record ---------------------------------------------------------- */

static long long clock_ms = 1000;

/* step - a command sent, and its reply (NULL: none) after ms */
static void step(struct outcome *o, enum outcome_step s, const char *line,
    const char *reply, long ms)
{
	ck_assert_int_eq(outcome_sent(o, s, line, line ? strlen(line) : 0, clock_ms), 0);
	clock_ms += ms;
	if (reply)
		ck_assert_ptr_nonnull(outcome_reply(o, reply, strlen(reply),
		    atoi(reply), 0, clock_ms));
}

/* session - a record from a list of steps, ended as end */
static void session(struct outcome *o, enum outcome_end end)
{
	o->end = end;
	o->start_ms = 1;
	o->end_ms = clock_ms;
}

static int verdict_of(const struct outcome *o, enum outcome_step last,
    int starttls, int auth, struct outcome_verdict *v)
{
	struct outcome_goal g = { last, starttls, 0, auth };

	outcome_verdict(o, &g, v);
	return v->status;
}

/* opened - the greeting and EHLO went through */
static void opened(struct outcome *o)
{
	step(o, OUTCOME_CONNECT, NULL, "220 mx.example.org ESMTP\r\n", 3);
	step(o, OUTCOME_EHLO, "EHLO c.example.org", "250-mx\r\n250 PIPELINING\r\n", 1);
}

START_TEST(delivered)
{
	struct outcome o;
	struct outcome_verdict v;

	outcome_init(&o);
	opened(&o);
	step(&o, OUTCOME_MAIL, "MAIL FROM:<a@example.org>", "250 2.1.0 Ok\r\n", 1);
	step(&o, OUTCOME_RCPT, "RCPT TO:<b@example.org>", "250 2.1.5 Ok\r\n", 1);
	step(&o, OUTCOME_DATA, "DATA", "354 go\r\n", 1);
	step(&o, OUTCOME_DOT, NULL, "250 2.0.0 queued\r\n", 7);
	step(&o, OUTCOME_QUIT, "QUIT", "221 bye\r\n", 1);
	session(&o, OUTCOME_ENDED);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_DOT, 0, 0, &v), OUTCOME_OK);
	ck_assert_uint_eq(v.rcpts, 1);
	ck_assert_uint_eq(v.rcpts_ok, 1);
	ck_assert_str_eq(o.e[2].arg, "a@example.org");
	ck_assert_str_eq(o.e[3].arg, "b@example.org");
	ck_assert_str_eq(o.e[1].arg, "c.example.org");
	ck_assert_int_eq(o.e[5].ms, 7);
	outcome_free(&o);
}
END_TEST

/* each refused step has its own status, and the entry that decided */
START_TEST(refused_steps)
{
	static const struct {
		enum outcome_step s;
		const char *line, *reply;
		int status;
	} cases[] = {
		{ OUTCOME_MAIL, "MAIL FROM:<a@x.org>", "550 5.7.1 no\r\n", OUTCOME_SENDER },
		{ OUTCOME_DATA, "DATA", "554 5.5.1 no valid recipients\r\n", OUTCOME_DATA_REFUSED },
		{ OUTCOME_DOT, NULL, "554 5.7.1 spam\r\n", OUTCOME_MESSAGE_REFUSED },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct outcome o;
		struct outcome_verdict v;

		outcome_init(&o);
		opened(&o);
		if (cases[i].s != OUTCOME_MAIL) {
			step(&o, OUTCOME_MAIL, "MAIL FROM:<a@x.org>", "250 ok\r\n", 1);
			step(&o, OUTCOME_RCPT, "RCPT TO:<b@x.org>", "250 ok\r\n", 1);
		}
		if (cases[i].s == OUTCOME_DOT)
			step(&o, OUTCOME_DATA, "DATA", "354 go\r\n", 1);
		step(&o, cases[i].s, cases[i].line, cases[i].reply, 1);
		step(&o, OUTCOME_QUIT, "QUIT", "221 bye\r\n", 1);
		session(&o, OUTCOME_ENDED);
		ck_assert_int_eq(verdict_of(&o, OUTCOME_DOT, 0, 0, &v), cases[i].status);
		ck_assert_int_eq(v.decided, (long)o.n - 2);
		ck_assert_int_eq(v.step, cases[i].s);
		outcome_free(&o);
	}
}
END_TEST

START_TEST(greeting_and_hello)
{
	struct outcome o;
	struct outcome_verdict v;

	outcome_init(&o);
	step(&o, OUTCOME_CONNECT, NULL, "554 5.7.1 go away\r\n", 1);
	step(&o, OUTCOME_QUIT, "QUIT", "221 bye\r\n", 1);
	session(&o, OUTCOME_ENDED);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_DOT, 0, 0, &v), OUTCOME_GREETING);
	ck_assert_int_eq(v.decided, 0);
	outcome_free(&o);

	/* EHLO refused, HELO accepted: on with HELO (RFC 5321 3.2) */
	outcome_init(&o);
	step(&o, OUTCOME_CONNECT, NULL, "220 old\r\n", 1);
	step(&o, OUTCOME_EHLO, "EHLO c", "500 what\r\n", 1);
	step(&o, OUTCOME_HELO, "HELO c", "250 hi\r\n", 1);
	step(&o, OUTCOME_QUIT, "QUIT", "221 bye\r\n", 1);
	session(&o, OUTCOME_ENDED);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_EHLO, 0, 0, &v), OUTCOME_OK);
	outcome_free(&o);

	/* both refused */
	outcome_init(&o);
	step(&o, OUTCOME_CONNECT, NULL, "220 old\r\n", 1);
	step(&o, OUTCOME_EHLO, "EHLO c", "500 what\r\n", 1);
	step(&o, OUTCOME_HELO, "HELO c", "501 no\r\n", 1);
	step(&o, OUTCOME_QUIT, "QUIT", "221 bye\r\n", 1);
	session(&o, OUTCOME_ENDED);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_DOT, 0, 0, &v), OUTCOME_HELLO);
	outcome_free(&o);

	/* a hang-up on EHLO, then HELO on a new connection */
	outcome_init(&o);
	step(&o, OUTCOME_CONNECT, NULL, "220 old\r\n", 1);
	step(&o, OUTCOME_EHLO, "EHLO c", NULL, 1);
	outcome_unanswered(&o);
	step(&o, OUTCOME_CONNECT, NULL, "220 old\r\n", 1);
	step(&o, OUTCOME_HELO, "HELO c", "250 hi\r\n", 1);
	step(&o, OUTCOME_QUIT, "QUIT", "221 bye\r\n", 1);
	session(&o, OUTCOME_ENDED);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_EHLO, 0, 0, &v), OUTCOME_OK);
	outcome_free(&o);
}
END_TEST

START_TEST(recipients)
{
	struct outcome o;
	struct outcome_verdict v;

	/* one of two: the message goes on */
	outcome_init(&o);
	opened(&o);
	step(&o, OUTCOME_MAIL, "MAIL FROM:<a@x.org>", "250 ok\r\n", 1);
	step(&o, OUTCOME_RCPT, "RCPT TO:<b@x.org>", "550 5.1.1 unknown\r\n", 1);
	step(&o, OUTCOME_RCPT, "RCPT TO:<c@x.org>", "250 ok\r\n", 1);
	step(&o, OUTCOME_DATA, "DATA", "354 go\r\n", 1);
	step(&o, OUTCOME_DOT, NULL, "250 ok\r\n", 1);
	session(&o, OUTCOME_ENDED);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_DOT, 0, 0, &v), OUTCOME_OK);
	ck_assert_uint_eq(v.rcpts, 2);
	ck_assert_uint_eq(v.rcpts_ok, 1);
	outcome_free(&o);

	/* none, pipelined with DATA: no recipient, not DATA, decides */
	outcome_init(&o);
	opened(&o);
	step(&o, OUTCOME_MAIL, "MAIL FROM:<a@x.org>", "250 ok\r\n", 1);
	step(&o, OUTCOME_RCPT, "RCPT TO:<b@x.org>", "550 5.1.1 unknown\r\n", 1);
	step(&o, OUTCOME_RCPT, "RCPT TO:<c@x.org>", "450 4.2.0 later\r\n", 1);
	step(&o, OUTCOME_DATA, "DATA", "554 5.5.1 no valid recipients\r\n", 1);
	session(&o, OUTCOME_ENDED);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_DOT, 0, 0, &v), OUTCOME_RECIPIENTS);
	ck_assert_int_eq(v.decided, 4);
	ck_assert_uint_eq(v.rcpts_ok, 0);
	outcome_free(&o);

	/* pipelined after a refused MAIL: MAIL decides */
	outcome_init(&o);
	opened(&o);
	step(&o, OUTCOME_MAIL, "MAIL FROM:<a@x.org>", "550 5.7.1 no\r\n", 1);
	step(&o, OUTCOME_RCPT, "RCPT TO:<b@x.org>", "503 5.5.1 need MAIL\r\n", 1);
	step(&o, OUTCOME_DATA, "DATA", "503 5.5.1 need RCPT\r\n", 1);
	session(&o, OUTCOME_ENDED);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_DOT, 0, 0, &v), OUTCOME_SENDER);
	outcome_free(&o);
}
END_TEST

START_TEST(tls_and_auth)
{
	struct outcome o;
	struct outcome_verdict v;

	/* STARTTLS required, not offered: the opener said QUIT */
	outcome_init(&o);
	opened(&o);
	step(&o, OUTCOME_QUIT, "QUIT", "221 bye\r\n", 1);
	session(&o, OUTCOME_TLS);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_EHLO, 1, 0, &v), OUTCOME_TLS_FAILED);
	outcome_free(&o);

	/* STARTTLS refused */
	outcome_init(&o);
	opened(&o);
	step(&o, OUTCOME_STARTTLS, "STARTTLS", "454 4.7.0 TLS not available\r\n", 1);
	step(&o, OUTCOME_QUIT, "QUIT", "221 bye\r\n", 1);
	session(&o, OUTCOME_TLS);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_DOT, 1, 0, &v), OUTCOME_TLS_FAILED);
	outcome_free(&o);

	/* AUTH LOGIN, wrong password; the credential is never kept */
	outcome_init(&o);
	opened(&o);
	step(&o, OUTCOME_STARTTLS, "STARTTLS", "220 go\r\n", 1);
	step(&o, OUTCOME_EHLO, "EHLO c", "250-mx\r\n250 AUTH LOGIN\r\n", 1);
	step(&o, OUTCOME_AUTH, "AUTH LOGIN", "334 VXNlcm5hbWU6\r\n", 1);
	step(&o, OUTCOME_AUTH, NULL, "334 UGFzc3dvcmQ6\r\n", 1);
	step(&o, OUTCOME_AUTH, NULL, "535 5.7.8 invalid\r\n", 1);
	step(&o, OUTCOME_QUIT, "QUIT", "221 bye\r\n", 1);
	session(&o, OUTCOME_ENDED);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_DOT, 1, 1, &v), OUTCOME_AUTH_FAILED);
	ck_assert_str_eq(o.e[4].arg, "LOGIN");
	outcome_free(&o);

	outcome_init(&o);
	step(&o, OUTCOME_AUTH, "AUTH PLAIN AGFsaWNlAHNlY3JldA==", "235 ok\r\n", 1);
	ck_assert_str_eq(o.e[0].arg, "PLAIN");
	outcome_free(&o);

	/* --quit-after TLS with TLS from the start: the greeting under TLS */
	outcome_init(&o);
	step(&o, OUTCOME_CONNECT, NULL, NULL, 1);
	outcome_reply(&o, "220 hi\r\n", 8, 220, 1, clock_ms);
	step(&o, OUTCOME_EHLO, "EHLO c", "250 mx\r\n", 1);
	session(&o, OUTCOME_ENDED);
	{
		struct outcome_goal g = { OUTCOME_STARTTLS, 0, 1, 0 };

		outcome_verdict(&o, &g, &v);
		ck_assert_int_eq(v.status, OUTCOME_OK);
		g.implicit_tls = 0;
		o.e[0].tls = 0;
		outcome_verdict(&o, &g, &v);
		ck_assert_int_eq(v.status, OUTCOME_TLS_FAILED);
	}
	outcome_free(&o);
}
END_TEST

START_TEST(broken_sessions)
{
	struct outcome o;
	struct outcome_verdict v;

	/* never connected */
	outcome_init(&o);
	session(&o, OUTCOME_NETWORK);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_DOT, 0, 0, &v), OUTCOME_NO_CONNECTION);
	outcome_free(&o);

	/* no reply to MAIL in time */
	outcome_init(&o);
	opened(&o);
	step(&o, OUTCOME_MAIL, "MAIL FROM:<a@x.org>", NULL, 1);
	outcome_unanswered(&o);
	session(&o, OUTCOME_TIMED_OUT);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_DOT, 0, 0, &v), OUTCOME_TIMEOUT);
	ck_assert_int_eq(v.step, OUTCOME_MAIL);
	outcome_free(&o);

	/* the server broke the protocol at RCPT */
	outcome_init(&o);
	opened(&o);
	step(&o, OUTCOME_MAIL, "MAIL FROM:<a@x.org>", "250 ok\r\n", 1);
	step(&o, OUTCOME_RCPT, "RCPT TO:<b@x.org>", NULL, 1);
	outcome_unanswered(&o);
	session(&o, OUTCOME_PROTOCOL);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_DOT, 0, 0, &v), OUTCOME_FAILED);
	outcome_free(&o);

	/* --quit-after RCPT: the goal reached, QUIT unanswered is fine */
	outcome_init(&o);
	opened(&o);
	step(&o, OUTCOME_MAIL, "MAIL FROM:<a@x.org>", "250 ok\r\n", 1);
	step(&o, OUTCOME_RCPT, "RCPT TO:<b@x.org>", "250 ok\r\n", 1);
	step(&o, OUTCOME_QUIT, "QUIT", NULL, 1);
	outcome_unanswered(&o);
	session(&o, OUTCOME_NETWORK);
	ck_assert_int_eq(verdict_of(&o, OUTCOME_RCPT, 0, 0, &v), OUTCOME_OK);
	outcome_free(&o);
}
END_TEST

START_TEST(replies_and_latency)
{
	struct outcome o;
	const struct outcome_entry *e;
	static const char multi[] = "550-5.1.1 The account\r\n550-5.1.1 does not\r\n550 5.1.1 exist \x1b[31m\r\n";

	outcome_init(&o);
	ck_assert_int_eq(outcome_sent(&o, OUTCOME_RCPT, "RCPT TO:<b@x.org>", 17, 1000), 0);
	ck_assert_ptr_eq(outcome_awaited(&o), &o.e[0]);
	e = outcome_reply(&o, multi, strlen(multi), 550, 1, 4000);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->enh, "5.1.1");
	ck_assert_str_eq(e->text, "The account does not exist \\x1b[31m");
	ck_assert_int_eq(e->ms, 3000);
	ck_assert_int_eq(e->slow, 1);	/* RCPT: where servers tarpit */
	ck_assert_int_eq(e->tls, 1);
	ck_assert_ptr_null(outcome_awaited(&o));
	ck_assert_ptr_null(outcome_reply(&o, "250 ok\r\n", 8, 250, 0, 5000));
	ck_assert_int_eq(outcome_last_answered(&o), 0);

	/* slow at DATA is no tarpit */
	outcome_sent(&o, OUTCOME_DATA, "DATA", 4, 5000);
	e = outcome_reply(&o, "354 go\r\n", 8, 354, 0, 8000);
	ck_assert_int_eq(e->slow, 0);
	ck_assert_ptr_nonnull(outcome_tarpit_note(OUTCOME_CONNECT));
	ck_assert_ptr_nonnull(outcome_tarpit_note(OUTCOME_DOT));
	ck_assert_ptr_null(outcome_tarpit_note(OUTCOME_DATA));

	outcome_finding(&o, "enhanced", "no enhanced code");
	ck_assert_uint_eq(o.nfindings, 1);
	ck_assert_int_eq(o.findings[0].step, 1);
	outcome_free(&o);
}
END_TEST

START_TEST(status_table)
{
	size_t n, i;
	const struct outcome_status *st = outcome_statuses(&n);

	ck_assert_uint_ge(n, 14);
	for (i = 0; i < n; i++) {
		if (i > 0)
			ck_assert_int_lt(st[i - 1].status, st[i].status);
		ck_assert_str_eq(outcome_status_name(st[i].status), st[i].name);
		ck_assert_uint_le(strlen(st[i].help), 73);	/* --help's lines */
	}
	ck_assert_str_eq(outcome_status_name(OUTCOME_DATA_REFUSED), "DATA refused");
	ck_assert_int_eq(outcome_step_of("data-end"), OUTCOME_DOT);
	ck_assert_int_eq(outcome_step_of("NOOP"), OUTCOME_OTHER);
	ck_assert_str_eq(outcome_step_str(OUTCOME_DOT), "DATA-END");
}
END_TEST

/* ---- the message ---------------------------------------------------------- */

static const char *const to2[] = { "bob@example.org", "eve@example.org" };

static void spec(struct message_spec *s)
{
	memset(s, 0, sizeof *s);
	s->from = "ann@example.org";
	s->to = to2;
	s->nto = 2;
	s->domain = "client.example.org";
	s->date.tm_year = 124;
	s->date.tm_mon = 4;
	s->date.tm_mday = 7;
	s->date.tm_wday = 2;
	s->date.tm_hour = 9;
	s->date.tm_min = 5;
	s->date.tm_sec = 3;
	s->utc_offset_min = -270;
	s->unique = "1715072703.42.cafe";
}

static int has_line(const struct message *m, const char *want)
{
	size_t pos = 0, len;
	const char *l;

	while ((l = message_line(m, &pos, &len)) != NULL)
		if (len == strlen(want) && memcmp(l, want, len) == 0)
			return 1;
	return 0;
}

static void build(const struct message_spec *s, struct message *m)
{
	char err[200];

	ck_assert_msg(message_build(s, m, err, sizeof err) == 0, "%s", err);
}

START_TEST(message_defaults)
{
	struct message_spec s;
	struct message m;
	size_t pos = 0, len, n = 0;

	spec(&s);
	build(&s, &m);
	ck_assert(has_line(&m, "Date: Tue, 07 May 2024 09:05:03 -0430"));
	ck_assert(has_line(&m, "To: bob@example.org, eve@example.org"));
	ck_assert(has_line(&m, "From: ann@example.org"));
	ck_assert(has_line(&m, "Subject: smtpref test Tue, 07 May 2024 09:05:03 -0430"));
	ck_assert(has_line(&m, "Message-ID: <1715072703.42.cafe@client.example.org>"));
	ck_assert(has_line(&m, ""));
	ck_assert_uint_eq(m.added, 5);
	ck_assert_int_eq(m.needs_8bit, 0);
	ck_assert_int_eq(m.needs_utf8, 0);
	ck_assert_ptr_null(strstr(m.text, "MIME-Version"));
	while (message_line(&m, &pos, &len))
		n++;
	ck_assert_uint_eq(n, m.lines);
	ck_assert_uint_eq(m.size, m.len + m.lines);	/* CRLF on the wire */
	message_free(&m);

	/* the null sender */
	s.from = "";
	build(&s, &m);
	ck_assert(has_line(&m, "From: MAILER-DAEMON@client.example.org"));
	message_free(&m);
}
END_TEST

START_TEST(message_headers_and_body)
{
	static const char *const h[] = { "subject: Mine", "X-Test: 1" };
	static const char body[] = "line one\r\n.\nlast";
	struct message_spec s;
	struct message m;

	spec(&s);
	s.headers = h;
	s.nheaders = 2;
	s.body = body;
	s.body_len = strlen(body);
	build(&s, &m);
	ck_assert(has_line(&m, "subject: Mine"));
	ck_assert_ptr_null(strstr(m.text, "smtpref test"));
	ck_assert(has_line(&m, "X-Test: 1"));
	ck_assert_uint_eq(m.added, 4);
	/* the body's lines, CR before LF dropped; the sender stuffs dots */
	ck_assert_ptr_nonnull(strstr(m.text, "\n\nline one\n.\nlast\n"));
	message_free(&m);

	ck_assert_ptr_null(message_header_ok("X-A: b"));
	ck_assert_ptr_nonnull(message_header_ok("no colon"));
	ck_assert_ptr_nonnull(message_header_ok(": empty name"));
	ck_assert_ptr_nonnull(message_header_ok("Sp ace: x"));
	ck_assert_ptr_nonnull(message_header_ok("X-A: b\r\nBcc: smuggled"));
}
END_TEST

START_TEST(message_8bit_and_utf8)
{
	static const char *const h[] = { "Subject: Grüße" };
	static const char *const utf8to[] = { "bjørn@example.org" };
	static const char body[] = "Grüße";
	struct message_spec s;
	struct message m;
	char err[200];

	spec(&s);
	s.body = body;
	s.body_len = strlen(body);
	build(&s, &m);
	ck_assert_int_eq(m.needs_8bit, 1);
	ck_assert_int_eq(m.needs_utf8, 0);
	ck_assert(has_line(&m, "MIME-Version: 1.0"));
	ck_assert(has_line(&m, "Content-Type: text/plain; charset=utf-8"));
	ck_assert(has_line(&m, "Content-Transfer-Encoding: 8bit"));
	message_free(&m);

	spec(&s);
	s.headers = h;
	s.nheaders = 1;
	build(&s, &m);
	ck_assert_int_eq(m.needs_utf8, 1);	/* RFC 6532 */
	ck_assert_int_eq(m.needs_8bit, 0);
	message_free(&m);

	spec(&s);
	s.to = utf8to;
	s.nto = 1;
	build(&s, &m);
	ck_assert_int_eq(m.needs_utf8, 1);	/* RFC 6531 */
	message_free(&m);

	spec(&s);
	s.body = "a\0b";
	s.body_len = 3;
	ck_assert_int_eq(message_build(&s, &m, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "NUL"));
}
END_TEST

START_TEST(message_attachments)
{
	unsigned char bin[200], dec[200];
	struct message_attachment a[2] = {
		{ "report.PDF", bin, sizeof bin },
		{ "naïve \"x\".txt", (const unsigned char *)"hi", 2 },
	};
	struct message_spec s;
	struct message m;
	size_t i, pos = 0, len, off = 0;
	const char *l;
	int in_b64 = 0, parts = 0;

	for (i = 0; i < sizeof bin; i++)
		bin[i] = (unsigned char)(i * 7);
	spec(&s);
	s.attach = a;
	s.nattach = 2;
	build(&s, &m);
	ck_assert(has_line(&m, "Content-Type: multipart/mixed; boundary=\"=_smtpref_1715072703.42.cafe\""));
	ck_assert(has_line(&m, "Content-Type: application/pdf; name=\"report.PDF\""));
	ck_assert(has_line(&m, "Content-Disposition: attachment; filename*=UTF-8''na%C3%AFve%20%22x%22.txt"));
	ck_assert(has_line(&m, "--=_smtpref_1715072703.42.cafe--"));
	ck_assert_int_eq(m.needs_8bit, 0);
	/* the first attachment decodes to its bytes, in lines of 76 */
	while ((l = message_line(&m, &pos, &len)) != NULL) {
		if (len > 2 && l[0] == '-' && l[1] == '-') {
			if (in_b64)
				break;
			parts++;
			continue;
		}
		if (parts == 2 && len == 0) {
			in_b64 = 1;
			continue;
		}
		if (in_b64) {
			long k;

			ck_assert_uint_le(len, 76);
			k = codec_b64_decode(l, len, dec + off, sizeof dec - off);
			ck_assert_int_ge(k, 0);
			off += (size_t)k;
		}
	}
	ck_assert_uint_eq(off, sizeof bin);
	ck_assert_int_eq(memcmp(dec, bin, sizeof bin), 0);
	message_free(&m);

	ck_assert_str_eq(message_type("x.csv"), "text/csv");
	ck_assert_str_eq(message_type("x.JPG"), "image/jpeg");
	ck_assert_str_eq(message_type("noext"), "application/octet-stream");
	ck_assert_str_eq(message_type(".bashrc"), "application/octet-stream");
}
END_TEST

START_TEST(message_raw_and_folding)
{
	static const char raw[] = "Subject: as is\r\nX: 1\r\n\r\nbody\r\n";
	const char *many[12];
	char addr[12][40];
	struct message_spec s;
	struct message m;
	size_t i, pos = 0, len;
	const char *l;

	spec(&s);
	s.raw = raw;
	s.raw_len = strlen(raw);
	build(&s, &m);
	ck_assert_str_eq(m.text, "Subject: as is\nX: 1\n\nbody\n");
	ck_assert_uint_eq(m.added, 0);
	message_free(&m);

	for (i = 0; i < 12; i++) {
		snprintf(addr[i], sizeof addr[i], "recipient%02zu@example.org", i);
		many[i] = addr[i];
	}
	spec(&s);
	s.to = many;
	s.nto = 12;
	build(&s, &m);
	while ((l = message_line(&m, &pos, &len)) != NULL && len > 0)
		ck_assert_uint_le(len, 78);	/* RFC 5322 2.1.1 */
	ck_assert_ptr_nonnull(strstr(m.text, "@example.org,\n recipient"));
	ck_assert_ptr_nonnull(strstr(m.text, "recipient11@example.org\n"));
	message_free(&m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("outcome");
	TCase *t = tcase_create("record");
	TCase *msg = tcase_create("message");

	tcase_add_test(t, delivered);
	tcase_add_test(t, refused_steps);
	tcase_add_test(t, greeting_and_hello);
	tcase_add_test(t, recipients);
	tcase_add_test(t, tls_and_auth);
	tcase_add_test(t, broken_sessions);
	tcase_add_test(t, replies_and_latency);
	tcase_add_test(t, status_table);
	tcase_add_test(msg, message_defaults);
	tcase_add_test(msg, message_headers_and_body);
	tcase_add_test(msg, message_8bit_and_utf8);
	tcase_add_test(msg, message_attachments);
	tcase_add_test(msg, message_raw_and_folding);
	suite_add_tcase(s, t);
	suite_add_tcase(s, msg);
	return check_run(s);
}
