/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_console.c - the shell's terminal-free part: sessions in both roles,
 * meta-commands, pipelined groups, redaction, transcripts, replay and
 * completion */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check-run.h"
#include "console/console.h"
#include "term/lookup.h"
#include "lesson/lesson.h"
#include "lesson/progress.h"
#include "console/record.h"
#include "core/session.h"
#include "lesson/tutor.h"

#define ITEMS_MAX 4096

/* ---- a sink that keeps every item --------------------------------------- */

struct kept {
	enum tx_kind kind;
	int code, tls, secret, by_learner;
	char label[16];
	char text[1024];
};

struct items {
	struct kept k[ITEMS_MAX];
	int n;
};

static void keep(void *ctx, const struct tx_item *it)
{
	struct items *is = ctx;
	struct kept *k;

	ck_assert_int_lt(is->n, ITEMS_MAX);
	k = &is->k[is->n++];
	k->kind = it->kind;
	k->code = it->code;
	k->tls = it->tls;
	k->secret = it->secret;
	k->by_learner = it->by_learner;
	snprintf(k->label, sizeof k->label, "%s", it->label ? it->label : "");
	snprintf(k->text, sizeof k->text, "%.*s", (int)it->len, it->text);
}

/* codes - the codes of the final lines of the replies received, from
 * index from on, as "220 250 ..." */
static const char *codes(const struct items *is, int from)
{
	static char buf[1024];
	size_t off = 0;
	int i;

	buf[0] = 0;
	for (i = from; i < is->n; i++) {
		const struct kept *k = &is->k[i];

		if (k->kind != TX_RECEIVED || k->text[3] == '-')
			continue;
		off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%d",
		    off ? " " : "", k->code);
	}
	return buf;
}

/* has - whether an item of kind (and label, when not NULL) holds text */
static int has(const struct items *is, enum tx_kind kind, const char *label,
    const char *text)
{
	int i;

	for (i = 0; i < is->n; i++)
		if (is->k[i].kind == kind &&
		    (label == NULL || strcmp(is->k[i].label, label) == 0) &&
		    strstr(is->k[i].text, text))
			return 1;
	return 0;
}

static struct items *items_new(void)
{
	struct items *is = calloc(1, sizeof *is);

	ck_assert_ptr_nonnull(is);
	return is;
}

static struct console *console_with(struct items *is, enum session_role role,
    const char *persona, const char *scenario, enum explain_level level)
{
	struct console_opts o = { .session = { role, NULL, NULL, level, 1 } };
	struct tx_sink sink = { is, keep };
	struct console *c;

	o.lookup = lookup_plain;
	if (persona)
		o.session.persona = ref_persona_find(persona, strlen(persona));
	if (scenario)
		o.session.scenario = ref_scenario_find(scenario, strlen(scenario));
	c = console_new(&o, &sink);
	ck_assert_ptr_nonnull(c);
	console_start(c);
	return c;
}

static int line(struct console *c, const char *s)
{
	return console_line(c, s, strlen(s));
}

/* ---- the client role ----------------------------------------------------- */

START_TEST(test_client_whole_session)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, NULL, NULL, EXPLAIN_FULL);
	const char *cmds[] = { "EHLO client.example", "MAIL FROM:<ann@example.com>",
	    "RCPT TO:<alice@example.org>", "DATA", "Subject: hi", "", "Hello.",
	    ".", "QUIT" };
	size_t i;

	ck_assert_str_eq(console_prompt(c), "smtp> ");
	for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		line(c, cmds[i]);
		if (i == 3)
			ck_assert_str_eq(console_prompt(c), "data> ");
	}
	ck_assert_str_eq(codes(is, 0), "220 250 250 250 354 250 221");
	ck_assert_int_eq(session_mode(session_of(console_peer(c))), SESSION_CLOSED);
	/* explanations: the rule, the code, the enhanced code, the keywords,
	 * the state */
	ck_assert(has(is, TX_EXPLAIN, "why", "RFC 5321"));
	ck_assert(has(is, TX_EXPLAIN, "keyword", "PIPELINING"));
	ck_assert(has(is, TX_EXPLAIN, "keyword", "SIZE 35882577"));
	ck_assert(has(is, TX_EXPLAIN, "enhanced", "2.1.5"));
	ck_assert(has(is, TX_EXPLAIN, "state", "reading the message"));
	/* the message size is counted: "Subject: hi" CRLF, CRLF, "Hello." CRLF */
	ck_assert(has(is, TX_NOTE, "size", "23 octets"));
	ck_assert_int_eq(session_last(session_of(console_peer(c)))->code, 221);
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_client_dot_stuffing)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, NULL, NULL, EXPLAIN_FULL);
	int i;

	line(c, "EHLO client.example");
	line(c, "MAIL FROM:<ann@example.com>");
	line(c, "RCPT TO:<alice@example.org>");
	line(c, "DATA");
	line(c, ".leading dot");
	line(c, "..");
	line(c, ".");
	/* the wire lines: the learner's '.leading dot' went out doubled */
	for (i = 0; i < is->n; i++)
		if (is->k[i].kind == TX_SENT && strstr(is->k[i].text, "leading"))
			ck_assert_str_eq(is->k[i].text, "..leading dot");
	ck_assert(has(is, TX_SENT, NULL, "..."));
	ck_assert(has(is, TX_NOTE, "dot", "dot-stuffing"));
	ck_assert_str_eq(codes(is, 0), "220 250 250 250 354 250");
	/* the server removed the dots: 14 + 4 octets */
	ck_assert(has(is, TX_NOTE, "size", "18 octets"));
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_client_mistakes_get_hints)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, NULL, NULL, EXPLAIN_BRIEF);

	line(c, "MAIL FROM:<ann@example.com>");
	ck_assert_int_eq(session_last(session_of(console_peer(c)))->code, 503);
	ck_assert(has(is, TX_HINT, NULL, "EHLO"));
	line(c, "EHLO client.example");
	line(c, "RCPT TO:<alice@example.org>");
	ck_assert_int_eq(session_last(session_of(console_peer(c)))->code, 503);
	ck_assert(has(is, TX_HINT, NULL, "MAIL comes before RCPT"));
	line(c, "FOO");
	ck_assert_int_eq(session_last(session_of(console_peer(c)))->code, 500);
	ck_assert(has(is, TX_HINT, NULL, ":state"));
	console_free(c);
	/* a strict server refuses a space after the colon */
	is->n = 0;
	c = console_with(is, SESSION_CLIENT, "strict", NULL, EXPLAIN_BRIEF);
	line(c, "EHLO client.example");
	line(c, "MAIL FROM: <ann@example.com>");
	ck_assert_int_eq(session_last(session_of(console_peer(c)))->code, 501);
	ck_assert(has(is, TX_HINT, NULL, "No space after the colon"));
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_client_no_hints_when_off)
{
	struct items *is = items_new();
	struct console_opts o = { .session = { SESSION_CLIENT, NULL, NULL, EXPLAIN_FULL, 0 } };
	struct tx_sink sink = { is, keep };
	struct console *c = console_new(&o, &sink);
	int i;

	console_start(c);
	line(c, "RCPT TO:<alice@example.org>");
	for (i = 0; i < is->n; i++)
		ck_assert_int_ne(is->k[i].kind, TX_HINT);
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_client_auth_is_redacted)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, "submission", NULL, EXPLAIN_FULL);
	int i, secret;

	line(c, "EHLO client.example");
	line(c, "STARTTLS");
	line(c, "EHLO client.example");
	/* alice / wonderland */
	secret = line(c, "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=");
	ck_assert_int_eq(secret, 1);
	ck_assert_int_eq(session_last(session_of(console_peer(c)))->code, 235);
	/* AUTH LOGIN: both answers to 334 are credentials */
	session_restart(session_of(console_peer(c)));
	line(c, "EHLO client.example");
	line(c, "STARTTLS");
	line(c, "EHLO client.example");
	ck_assert_int_eq(line(c, "AUTH LOGIN"), 0);
	ck_assert_int_eq(session_last(session_of(console_peer(c)))->code, 334);
	ck_assert_str_eq(console_prompt(c), "auth> ");
	ck_assert_int_eq(line(c, "YWxpY2U="), 1);
	ck_assert_int_eq(line(c, "d29uZGVybGFuZA=="), 1);
	ck_assert_int_eq(session_last(session_of(console_peer(c)))->code, 235);
	for (i = 0; i < is->n; i++) {
		ck_assert_ptr_null(strstr(is->k[i].text, "AGFsaWNlAHdvbmRlcmxhbmQ="));
		ck_assert_ptr_null(strstr(is->k[i].text, "d29uZGVybGFuZA=="));
		ck_assert_ptr_null(strstr(is->k[i].text, "wonderland"));
	}
	ck_assert(has(is, TX_SENT, NULL, "AUTH PLAIN ***"));
	/* lines under TLS are marked so */
	for (i = 0; i < is->n; i++)
		if (is->k[i].kind == TX_RECEIVED && is->k[i].code == 235)
			ck_assert_int_eq(is->k[i].tls, 1);
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_client_pipeline_group)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, NULL, NULL, EXPLAIN_BRIEF);
	int from, i, notes = 0;

	line(c, "EHLO client.example");
	from = is->n;
	ck_assert_int_eq(line(c, ":pipe"), 0);
	ck_assert_str_eq(console_prompt(c), "pipe> ");
	line(c, "MAIL FROM:<ann@example.com>");
	line(c, "RCPT TO:<alice@example.org>");
	line(c, "RCPT TO:<nobody@example.org>");
	line(c, "DATA");
	ck_assert_int_eq(is->n - from, 1);	/* only the :pipe note so far */
	line(c, "");
	ck_assert_str_eq(codes(is, from), "250 250 550 354");
	/* each reply is preceded by the command it answers, in order */
	for (i = from; i < is->n; i++)
		if (is->k[i].kind == TX_NOTE && strncmp(is->k[i].text, "reply to ", 9) == 0) {
			static const char *const want[] = { "MAIL", "RCPT TO:<alice", "RCPT TO:<nobody", "DATA" };

			ck_assert_int_lt(notes, 4);
			ck_assert_ptr_nonnull(strstr(is->k[i].text, want[notes]));
			notes++;
		}
	ck_assert_int_eq(notes, 4);
	ck_assert_str_eq(console_prompt(c), "data> ");
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_client_paste_is_a_group)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, NULL, NULL, EXPLAIN_OFF);
	const char paste[] = "EHLO client.example\nMAIL FROM:<ann@example.com>\nRCPT TO:<alice@example.org>\n";
	int from = is->n;

	console_paste(c, paste, sizeof paste - 1);
	ck_assert_str_eq(codes(is, from), "250 250 250");
	/* a group of commands sent where PIPELINING was not yet announced
	 * is pointed out */
	ck_assert(has(is, TX_NOTE, "pipeline", "did not announce PIPELINING"));
	ck_assert(has(is, TX_NOTE, "pipeline", "3 commands sent in one write"));
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_client_fault)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, NULL, NULL, EXPLAIN_OFF);
	int from;

	line(c, "EHLO client.example");
	line(c, ":fault RCPT 2 452 4.5.3");
	ck_assert(has(is, TX_NOTE, "fault", "2nd RCPT"));
	from = is->n;
	line(c, "MAIL FROM:<ann@example.com>");
	line(c, "RCPT TO:<alice@example.org>");
	line(c, "RCPT TO:<alice@example.org>");
	ck_assert_str_eq(codes(is, from), "250 250 452");
	ck_assert(has(is, TX_RECEIVED, NULL, "452 4.5.3"));
	/* bad faults are refused with a message */
	from = is->n;
	line(c, ":fault RCPT 250");
	ck_assert(has(is, TX_ERROR, NULL, "not a 4xx or 5xx"));
	line(c, ":fault RCPT x 452");
	ck_assert(has(is, TX_ERROR, NULL, "not a count"));
	line(c, ":fault");
	ck_assert(has(is, TX_ERROR, NULL, "usage: :fault"));
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_client_ctrl_d_sends_quit)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, NULL, NULL, EXPLAIN_OFF);

	line(c, "EHLO client.example");
	console_eof(c);
	ck_assert(console_done(c));
	ck_assert(has(is, TX_SENT, NULL, "QUIT"));
	ck_assert_str_eq(codes(is, 0), "220 250 221");
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_client_ctrl_d_in_message_drops)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, NULL, NULL, EXPLAIN_OFF);

	line(c, "EHLO client.example");
	line(c, "MAIL FROM:<ann@example.com>");
	line(c, "RCPT TO:<alice@example.org>");
	line(c, "DATA");
	console_eof(c);
	/* QUIT would be a line of the message: the connection drops */
	ck_assert(!has(is, TX_SENT, NULL, "QUIT"));
	ck_assert(has(is, TX_NOTE, NULL, "middle of a message"));
	ck_assert_int_eq(session_mode(session_of(console_peer(c))), SESSION_CLOSED);
	console_free(c);
	free(is);
}
END_TEST

/* ---- the server role ----------------------------------------------------- */

START_TEST(test_server_role_session)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_SERVER, NULL, "plain", EXPLAIN_FULL);

	ck_assert_str_eq(console_prompt(c), "reply> ");
	line(c, "220 mx.example.org ESMTP");
	ck_assert(has(is, TX_SENT, NULL, "EHLO "));
	line(c, "250-mx.example.org");
	ck_assert_str_eq(console_prompt(c), "reply+ ");
	line(c, "250 PIPELINING");
	ck_assert(has(is, TX_SENT, NULL, "MAIL FROM:<"));
	line(c, "250 OK");
	line(c, "250 OK");
	ck_assert(has(is, TX_SENT, NULL, "DATA"));
	line(c, "354 go ahead");
	line(c, "250 queued");
	ck_assert(has(is, TX_SENT, NULL, "QUIT"));
	line(c, "221 bye");
	ck_assert_int_eq(session_mode(session_of(console_peer(c))), SESSION_CLOSED);
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_server_role_checks_replies)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_SERVER, NULL, "plain", EXPLAIN_FULL);
	const struct session_last *last;

	/* not a reply at all: refused, typed again */
	line(c, "hello");
	ck_assert(has(is, TX_ERROR, NULL, "not a reply"));
	ck_assert_str_eq(console_prompt(c), "reply> ");
	line(c, "220 mx.example.org ESMTP");
	/* mixed codes in a multi-line reply */
	line(c, "250-mx.example.org");
	line(c, "251 PIPELINING");
	ck_assert(has(is, TX_ERROR, NULL, "same code"));
	line(c, "250 PIPELINING");
	/* a code that RFC 5321 does not allow for MAIL */
	line(c, "354 go on");
	last = session_last(session_of(console_peer(c)));
	ck_assert_int_eq(last->code, 354);
	ck_assert_int_eq(last->allowed, 0);
	ck_assert(has(is, TX_FINDING, NULL, "354"));
	/* 421 ends it: the client gives up */
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_server_role_refusing_greeting)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_SERVER, NULL, "plain", EXPLAIN_FULL);

	line(c, "554 5.7.1 go away");
	/* RFC 5321 3.1: the client should send QUIT */
	ck_assert(has(is, TX_SENT, NULL, "QUIT"));
	line(c, "221 bye");
	ck_assert_int_eq(session_mode(session_of(console_peer(c))), SESSION_CLOSED);
	console_free(c);
	free(is);
}
END_TEST

/* ---- meta-commands ------------------------------------------------------- */

START_TEST(test_meta_commands)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, NULL, NULL, EXPLAIN_FULL);
	size_t i;

	for (i = 0; console_meta_name(i); i++)
		ck_assert_int_gt(strlen(console_meta_name(i)), 2);
	ck_assert_int_ge(i, 14);
	line(c, ":help");
	ck_assert(has(is, TX_EXPLAIN, "help", ":fault"));
	line(c, ":explain 553");
	ck_assert(has(is, TX_EXPLAIN, "ref", "553"));
	line(c, ":explain PIPELINING");
	ck_assert(has(is, TX_EXPLAIN, "ref", "RFC 2920"));
	line(c, ":explain 999");
	ck_assert(has(is, TX_ERROR, NULL, "999"));
	line(c, ":explain brief");
	ck_assert_int_eq(session_level(session_of(console_peer(c))), EXPLAIN_BRIEF);
	line(c, ":state");
	ck_assert(has(is, TX_EXPLAIN, "state", "You may send now: EHLO HELO"));
	line(c, ":diagram");
	ck_assert(has(is, TX_EXPLAIN, "you are", "[ greeted ]"));
	line(c, ":nonsense");
	ck_assert(has(is, TX_ERROR, NULL, "no meta-command ':nonsense'"));
	line(c, ":persona nosuch");
	ck_assert(has(is, TX_ERROR, NULL, "no persona 'nosuch'"));
	line(c, ":persona rfc821");
	ck_assert_str_eq(session_opts(session_of(console_peer(c)))->persona->name, "rfc821");
	line(c, "EHLO client.example");
	ck_assert_int_eq(session_last(session_of(console_peer(c)))->code, 500);
	line(c, ":role server");
	ck_assert_int_eq(session_role(session_of(console_peer(c))), SESSION_SERVER);
	ck_assert_str_eq(console_prompt(c), "reply> ");
	line(c, ":scenario pipelined");
	ck_assert_str_eq(session_opts(session_of(console_peer(c)))->scenario->name, "pipelined");
	line(c, ":role client");
	line(c, ":state");
	ck_assert(has(is, TX_EXPLAIN, "state", "'rfc821' persona"));
	line(c, ":quit");
	ck_assert(console_done(c));
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_meta_inside_message)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, NULL, NULL, EXPLAIN_OFF);

	line(c, "EHLO client.example");
	line(c, "MAIL FROM:<ann@example.com>");
	line(c, "RCPT TO:<alice@example.org>");
	line(c, "DATA");
	/* an unknown ':' line in a message is text; a known one is a command */
	line(c, ":-) smile");
	ck_assert(has(is, TX_SENT, NULL, ":-) smile"));
	line(c, ":state");
	ck_assert(!has(is, TX_SENT, NULL, ":state"));
	line(c, ".");
	ck_assert_int_eq(session_last(session_of(console_peer(c)))->code, 250);
	console_free(c);
	free(is);
}
END_TEST

/* ---- transcripts ---------------------------------------------------------- */

static char *tmpname(const char *tag)
{
	static char buf[256];

	snprintf(buf, sizeof buf, "%s/check-console-%ld-%s",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid(), tag);
	return buf;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[65536];
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

START_TEST(test_save_swaks_markers)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, "submission", NULL, EXPLAIN_FULL);
	char cmd[512], *path = tmpname("save"), *text;

	line(c, "EHLO client.example");
	line(c, "STARTTLS");
	line(c, "EHLO client.example");
	line(c, "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=");
	line(c, "QUIT");
	snprintf(cmd, sizeof cmd, ":save %s", path);
	line(c, cmd);
	text = slurp(path);
	ck_assert_ptr_nonnull(strstr(text, "<-  220 "));
	ck_assert_ptr_nonnull(strstr(text, " -> EHLO client.example\n"));
	ck_assert_ptr_nonnull(strstr(text, " -> STARTTLS\n<-  220 "));
	ck_assert_ptr_nonnull(strstr(text, " ~> EHLO client.example\n<~  250-"));
	ck_assert_ptr_nonnull(strstr(text, " ~> AUTH PLAIN ***"));
	ck_assert_ptr_nonnull(strstr(text, "<~  221 "));
	/* the password is nowhere, and explanations are not transcript */
	ck_assert_ptr_null(strstr(text, "AGFsaWNlAHdvbmRlcmxhbmQ="));
	ck_assert_ptr_null(strstr(text, "RFC 5321 4.1.1.1"));
	unlink(path);
	/* a save that cannot be written says why */
	line(c, ":save /nonexistent-dir/x");
	ck_assert(has(is, TX_ERROR, NULL, "/nonexistent-dir/x"));
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_replay)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, NULL, NULL, EXPLAIN_FULL);
	char cmd[512], *path = tmpname("replay");
	FILE *f = fopen(path, "w");
	int from;

	ck_assert_ptr_nonnull(f);
	fputs("<-  220 mx.test ESMTP\n -> EHLO me.example\n<-  250-mx.test\n<-  250 SIZE 1000\n"
	    " -> MAIL FROM:<a@b.example>\n<-  250 2.1.0 OK\n -> RCPT TO:<c@d.example>\n"
	    "<-  550 5.1.1 no such user\n -> QUIT\n<-  221 bye\n", f);
	fclose(f);
	from = is->n;
	snprintf(cmd, sizeof cmd, ":replay %s", path);
	line(c, cmd);
	/* not a terminal: the whole transcript at once, explained */
	ck_assert_str_eq(codes(is, from), "220 250 250 550 221");
	ck_assert(has(is, TX_EXPLAIN, "keyword", "SIZE 1000"));
	ck_assert(has(is, TX_EXPLAIN, "enhanced", "5.1.1"));
	ck_assert(has(is, TX_NOTE, "replay", "End of the transcript"));
	/* a reply a server may not give to RCPT is pointed out */
	f = fopen(path, "w");
	fputs("<-  220 mx.test\n -> HELO me.example\n<-  250 mx.test\n -> RCPT TO:<x@y.example>\n<-  354 what\n", f);
	fclose(f);
	line(c, cmd);
	ck_assert(has(is, TX_FINDING, "code", "354"));
	/* a file that is not a transcript: file:line */
	f = fopen(path, "w");
	fputs("<-  220 mx.test\nthis is not one\n", f);
	fclose(f);
	line(c, cmd);
	snprintf(cmd, sizeof cmd, "%s:2: not a transcript line", path);
	ck_assert(has(is, TX_ERROR, NULL, cmd));
	unlink(path);
	line(c, ":replay /nonexistent-file");
	ck_assert(has(is, TX_ERROR, NULL, "/nonexistent-file: No such file"));
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_replay_steps_when_interactive)
{
	struct items *is = items_new();
	struct console_opts o = { .session = { SESSION_CLIENT, NULL, NULL, EXPLAIN_OFF, 1 }, .interactive = 1 };
	struct tx_sink sink = { is, keep };
	struct console *c = console_new(&o, &sink);
	char cmd[512], *path = tmpname("step");
	FILE *f = fopen(path, "w");
	int from;

	console_start(c);
	fputs("<-  220 mx.test\n -> NOOP\n<-  250 OK\n -> QUIT\n<-  221 bye\n", f);
	fclose(f);
	from = is->n;
	snprintf(cmd, sizeof cmd, ":replay %s", path);
	line(c, cmd);
	ck_assert_str_eq(console_prompt(c), "replay> ");
	ck_assert_str_eq(codes(is, from), "220");
	line(c, "");
	ck_assert_str_eq(codes(is, from), "220 250");
	line(c, "q");
	ck_assert_str_eq(console_prompt(c), "smtp> ");
	unlink(path);
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_record_bounded_and_atomic)
{
	struct record *r = record_new();
	struct tx_item it = { .kind = TX_SENT };
	static char big[1 << 20];
	char err[512], *path = tmpname("big");
	int i;

	memset(big, 'x', sizeof big);
	it.text = big;
	it.len = sizeof big;
	for (i = 0; i < 20; i++)
		record_add(r, &it);
	/* 16 MiB at most: 15 lines of 1 MiB are kept */
	ck_assert_uint_eq(record_count(r), 15);
	ck_assert_int_eq(record_save(r, path, err, sizeof err), 0);
	ck_assert_int_eq(access(path, F_OK), 0);
	unlink(path);
	ck_assert_int_eq(record_save(r, "/nonexistent-dir/t", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/t"));
	record_free(r);
}
END_TEST

/* ---- completion ----------------------------------------------------------- */

struct cands {
	char c[512][64];
	int n;
};

static void add_cand(void *ctx, const char *s)
{
	struct cands *k = ctx;

	if (k->n < 512)
		snprintf(k->c[k->n++], 64, "%s", s);
}

static struct cands *complete(struct console *c, const char *line, size_t start,
    int *flags)
{
	static struct cands k;

	k.n = 0;
	*flags = console_complete(c, line, start, strlen(line), add_cand, &k);
	return &k;
}

static int cand(const struct cands *k, const char *s)
{
	int i;

	for (i = 0; i < k->n; i++)
		if (strcmp(k->c[i], s) == 0)
			return 1;
	return 0;
}

START_TEST(test_completion)
{
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, NULL, NULL, EXPLAIN_OFF);
	struct cands *k;
	int flags;

	k = complete(c, "EH", 0, &flags);
	ck_assert_int_eq(k->n, 1);
	ck_assert_str_eq(k->c[0], "EHLO");
	ck_assert(flags & CONSOLE_COMPLETE_SPACE);
	k = complete(c, "ma", 0, &flags);	/* any case */
	ck_assert(cand(k, "MAIL"));
	k = complete(c, "MAIL F", 5, &flags);
	ck_assert(cand(k, "FROM:<"));
	ck_assert(!(flags & CONSOLE_COMPLETE_SPACE));
	k = complete(c, "MAIL FROM:<al", 11, &flags);
	ck_assert(cand(k, "alice@example.org>"));
	k = complete(c, "RCPT TO:<er", 9, &flags);
	ck_assert(cand(k, "erin@example.org>"));
	/* parameters: only those the EHLO reply announced */
	k = complete(c, "MAIL FROM:<a@example.org> ", 26, &flags);
	ck_assert_int_eq(k->n, 0);
	line(c, "EHLO client.example");
	k = complete(c, "MAIL FROM:<a@example.org> ", 26, &flags);
	ck_assert(cand(k, "SIZE="));
	ck_assert(cand(k, "BODY="));
	ck_assert(cand(k, "SMTPUTF8"));
	ck_assert(!cand(k, "NOTIFY="));
	k = complete(c, "RCPT TO:<alice@example.org> N", 28, &flags);
	ck_assert(cand(k, "NOTIFY="));
	/* meta-commands and their arguments */
	k = complete(c, ":ex", 0, &flags);
	ck_assert_int_eq(k->n, 1);
	ck_assert_str_eq(k->c[0], ":explain");
	k = complete(c, ":explain PIPE", 9, &flags);
	ck_assert(cand(k, "PIPELINING"));
	k = complete(c, ":explain 55", 9, &flags);
	ck_assert(cand(k, "553"));
	k = complete(c, ":persona gr", 9, &flags);
	ck_assert(cand(k, "greylist"));
	k = complete(c, ":save /tm", 6, &flags);
	ck_assert(flags & CONSOLE_COMPLETE_FILES);
	/* the server role: codes a server may give to what the client sent */
	line(c, ":role server");
	k = complete(c, "2", 0, &flags);
	ck_assert(cand(k, "220"));
	ck_assert(!cand(k, "250"));
	console_free(c);
	free(is);
}
END_TEST


/* ---- lessons hosted by the console ------------------------------------- */

static const char lesson_text[] =
    "title: A test lesson\n"
    "minutes: 5\n"
    "role: client\n"
    "persona: modern\n"
    "skip: allowed\n"
    "\n"
    "say: Welcome.\n"
    "\n"
    "ask: Which code starts the greeting?\n"
    "answer: 220\n"
    "hint: The first number you saw.\n"
    "hint 3: Type 220.\n"
    "\n"
    "send: Greet the server with EHLO.\n"
    "expect: code 250\n"
    "expect: phase ready\n"
    "answer: EHLO client.example.com\n"
    "hint: EHLO, a space, your name.\n"
    "\n"
    "send: Log in with AUTH PLAIN and an initial response.\n"
    "expect: command AUTH\n"
    "answer: AUTH PLAIN AGFubgpzZWNyZXQ=\n"
    "\n"
    "send: Send these three as one group: MAIL FROM:<ann@example.com>, RCPT TO:<alice@example.org>, DATA.\n"
    "pipelined: yes\n"
    "expect: codes 250 250 354\n"
    "answer:\n"
    "  MAIL FROM:<ann@example.com>\n"
    "  RCPT TO:<alice@example.org>\n"
    "  DATA\n"
    "\n"
    "summary: Done.\n";

static struct lesson *test_lesson(void)
{
	struct lesson_errors errs;
	struct lesson *l;

	lesson_errors_init(&errs, "test.lesson");
	l = lesson_parse("test.lesson", lesson_text, sizeof lesson_text - 1, &errs);
	ck_assert_msg(l != NULL, "the test lesson parses (%zu errors)", errs.n);
	return l;
}

/* lesson_console - a console that runs the test lesson, its progress in
 * dir (NULL: not kept) */
static struct console *lesson_console(struct items *is, const char *dir,
    int only)
{
	struct console_opts o = { .session = { SESSION_CLIENT, NULL, NULL, EXPLAIN_BRIEF, 1 } };
	struct tx_sink sink = { is, keep };
	struct console *c;

	o.progress_dir = dir;
	o.lesson_only = only;
	o.lesson = test_lesson();
	c = console_new(&o, &sink);
	ck_assert_ptr_nonnull(c);
	console_start(c);
	return c;
}

static int count(const struct items *is, enum tx_kind kind, const char *label,
    const char *text)
{
	int i, n = 0;

	for (i = 0; i < is->n; i++)
		if (is->k[i].kind == kind &&
		    (label == NULL || strcmp(is->k[i].label, label) == 0) &&
		    strstr(is->k[i].text, text))
			n++;
	return n;
}

START_TEST(test_lesson_in_console)
{
	struct items *is = items_new();
	struct console *c = lesson_console(is, NULL, 1);
	struct peer_info pi;

	/* the title, the narration and the first task, then a question */
	ck_assert(console_caps(c) & PEER_GUIDED);
	ck_assert(has(is, TX_LESSON, "title", "A test lesson"));
	ck_assert(has(is, TX_LESSON, "say", "Welcome."));
	ck_assert(has(is, TX_LESSON, "task", "Which code"));
	ck_assert_str_eq(console_prompt(c), "answer> ");
	ck_assert_str_eq(codes(is, 0), "220");	/* the lesson's server greeted */
	/* a wrong answer: why, and the first hint; :hint a stronger one */
	line(c, "250");
	ck_assert(has(is, TX_FINDING, "not yet", ""));
	ck_assert(has(is, TX_HINT, NULL, "The first number"));
	line(c, ":hint");
	ck_assert(has(is, TX_HINT, NULL, "Type 220."));
	line(c, "220");
	ck_assert(has(is, TX_NOTE, "lesson", "Right."));
	ck_assert_str_eq(console_prompt(c), "smtp> ");
	console_info(c, &pi);
	ck_assert_uint_eq(pi.step, 2);
	/* the shell's meta-commands follow the lesson's session */
	line(c, ":state");
	ck_assert(has(is, TX_EXPLAIN, "state", "step 3 of 6"));
	ck_assert_int_eq(console_phase(c), SERVER_GREETED);
	/* ... and those that would change its set-up are refused */
	is->n = 0;
	line(c, ":persona rfc821");
	line(c, ":fault RCPT 452");
	ck_assert_int_eq(count(is, TX_ERROR, NULL, "not for a lesson"), 2);
	ck_assert_int_eq(console_phase(c), SERVER_GREETED);
	line(c, "EHLO client.example.com");
	ck_assert(has(is, TX_EXPLAIN, NULL, "250"));
	ck_assert_int_eq(console_phase(c), SERVER_READY);
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_lesson_completion_and_credentials)
{
	struct items *is = items_new();
	struct console *c = lesson_console(is, NULL, 1);
	struct cands *k;
	int flags, i;

	line(c, "220");
	/* completion works inside the lesson, from its server's EHLO */
	k = complete(c, "EH", 0, &flags);
	ck_assert(cand(k, "EHLO"));
	line(c, "EHLO client.example.com");
	k = complete(c, "MAIL FROM:<a@example.org> ", 26, &flags);
	ck_assert(cand(k, "SIZE="));
	/* an AUTH initial response is a credential: redacted, and the front
	 * end is told to keep it out of the history */
	ck_assert_int_eq(line(c, "AUTH PLAIN AGFubgpzZWNyZXQ="), 1);
	for (i = 0; i < is->n; i++)
		ck_assert_msg(strstr(is->k[i].text, "AGFubgpzZWNyZXQ") == NULL,
		    "the credential is never shown: %s", is->k[i].text);
	ck_assert(has(is, TX_SENT, NULL, "AUTH PLAIN ***"));
	/* a pipelined step: lines collected until an empty line */
	ck_assert_str_eq(console_prompt(c), "pipe> ");
	line(c, "MAIL FROM:<ann@example.com>");
	line(c, "RCPT TO:<alice@example.org>");
	line(c, "DATA");
	ck_assert_str_eq(codes(is, 0), "220 250 502");	/* nothing sent yet */
	line(c, "");
	ck_assert_str_eq(codes(is, 0), "220 250 502 250 250 354");
	ck_assert(has(is, TX_LESSON, "summary", "Done."));
	ck_assert(has(is, TX_LESSON, "done", "Lesson complete"));
	/* smtpref lesson run: the console is done when the lesson is */
	ck_assert(console_done(c));
	ck_assert(!(console_caps(c) & PEER_GUIDED));
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_lesson_from_shell_and_back)
{
	struct items *is = items_new();
	struct console *c = lesson_console(is, NULL, 0);

	/* started with --lesson: the shell's own session waits */
	ck_assert_str_eq(codes(is, 0), "220");
	ck_assert(console_caps(c) & PEER_GUIDED);
	line(c, ":skip");
	ck_assert(has(is, TX_NOTE, "lesson", "Skipped."));
	ck_assert_str_eq(console_prompt(c), "smtp> ");
	line(c, ":lesson stop");
	ck_assert(has(is, TX_LESSON, "done", "The lesson is left"));
	ck_assert(!(console_caps(c) & PEER_GUIDED));
	ck_assert(!console_done(c));
	/* the shell's own session starts now, with its own greeting */
	ck_assert_str_eq(codes(is, 0), "220 220");
	line(c, "EHLO client.example");
	ck_assert_int_eq(session_mode(session_of(console_peer(c))), SESSION_COMMAND);
	ck_assert_int_eq(console_phase(c), SERVER_READY);
	/* lesson meta-commands outside a lesson, and :lesson with no
	 * lessons to find, are refused with a reason */
	is->n = 0;
	line(c, ":hint");
	line(c, ":lesson 01-greeting");
	ck_assert(has(is, TX_ERROR, NULL, ":hint works in a lesson"));
	ck_assert(has(is, TX_ERROR, NULL, "lessons are not available"));
	console_free(c);
	free(is);
}
END_TEST

START_TEST(test_lesson_progress_resumes)
{
	struct items *is = items_new();
	char dir[] = "/tmp/check_console.XXXXXX";
	struct console *c;
	struct progress p;
	char err[512];
	int found;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	c = lesson_console(is, dir, 1);
	line(c, "220");
	line(c, "EHLO client.example.com");
	/* progress is on disk after every step: nothing is lost if the
	 * program dies here */
	ck_assert_int_eq(progress_load(dir, "test", &p, &found, err, sizeof err), 0);
	ck_assert(found);
	ck_assert_uint_eq(p.step, 3);
	ck_assert_uint_eq(p.passed, 2);
	ck_assert_uint_gt(p.transcript, 0);
	console_free(c);	/* gone without a word */

	is->n = 0;
	c = lesson_console(is, dir, 1);
	ck_assert(has(is, TX_NOTE, "lesson", "Resuming where you stopped (step 4"));
	ck_assert(!has(is, TX_LESSON, "task", "Which code"));
	ck_assert(has(is, TX_LESSON, "task", "AUTH PLAIN"));
	/* the resumed session is where the model answers leave it: ready */
	ck_assert_int_eq(console_phase(c), SERVER_READY);
	console_eof(c);
	ck_assert(has(is, TX_LESSON, "done", "Your progress is saved"));
	ck_assert(console_done(c));
	console_free(c);
	ck_assert_int_eq(progress_reset(dir, "test", err, sizeof err), 1);
	/* the lock file stays: a run may hold it while another resets */
	snprintf(err, sizeof err, "%s/test.lock", dir);
	ck_assert_int_eq(unlink(err), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	free(is);
}
END_TEST

/* Issue 14: servers split AUTH's words at tabs too, so a credential
 * after a tab is one: redacted on screen, kept out of the history (the
 * line's return value) and out of a saved transcript, also in a :pipe
 * group */
START_TEST(test_tab_separated_auth_is_a_credential)
{
	static const char *const lines[] = {
		"AUTH\tPLAIN\tAGFsaWNlAHdvbmRlcmxhbmQ=",
		"AUTH PLAIN\tAGFsaWNlAHdvbmRlcmxhbmQ=",
		"AUTH\tPLAIN AGFsaWNlAHdvbmRlcmxhbmQ=",
		" auth  plain \t AGFsaWNlAHdvbmRlcmxhbmQ=",
	};
	struct items *is = items_new();
	struct console *c = console_with(is, SESSION_CLIENT, "submission", NULL, EXPLAIN_FULL);
	char cmd[600], *path = tmpname("tabauth"), *text;
	size_t k;
	int i;

	line(c, "EHLO client.example");
	line(c, "STARTTLS");
	line(c, "EHLO client.example");
	for (k = 0; k < sizeof lines / sizeof lines[0]; k++)
		ck_assert_msg(line(c, lines[k]) == 1, "not a credential: %s", lines[k]);
	ck_assert_int_eq(line(c, "AUTH\tPLAIN"), 0);	/* no response in it */
	line(c, "*");
	line(c, ":pipe");
	ck_assert_int_eq(line(c, "AUTH PLAIN\tAGFsaWNlAHdvbmRlcmxhbmQ="), 1);
	line(c, "");
	for (i = 0; i < is->n; i++)
		ck_assert_msg(strstr(is->k[i].text, "AGFsaWNlAHdvbmRlcmxhbmQ=") == NULL,
		    "the credential is shown: %s", is->k[i].text);
	ck_assert(has(is, TX_SENT, NULL, "AUTH PLAIN ***"));
	snprintf(cmd, sizeof cmd, ":save %s", path);
	line(c, cmd);
	text = slurp(path);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_null(strstr(text, "AGFsaWNlAHdvbmRlcmxhbmQ="));
	unlink(path);
	console_free(c);
	free(is);
}
END_TEST

static Suite *console_suite(void)
{
	Suite *s = suite_create("console");
	TCase *t = tcase_create("client");

	tcase_add_test(t, test_client_whole_session);
	tcase_add_test(t, test_client_dot_stuffing);
	tcase_add_test(t, test_client_mistakes_get_hints);
	tcase_add_test(t, test_client_no_hints_when_off);
	tcase_add_test(t, test_client_auth_is_redacted);
	tcase_add_test(t, test_client_pipeline_group);
	tcase_add_test(t, test_client_paste_is_a_group);
	tcase_add_test(t, test_client_fault);
	tcase_add_test(t, test_client_ctrl_d_sends_quit);
	tcase_add_test(t, test_client_ctrl_d_in_message_drops);
	suite_add_tcase(s, t);
	t = tcase_create("server");
	tcase_add_test(t, test_server_role_session);
	tcase_add_test(t, test_server_role_checks_replies);
	tcase_add_test(t, test_server_role_refusing_greeting);
	suite_add_tcase(s, t);
	t = tcase_create("meta");
	tcase_add_test(t, test_meta_commands);
	tcase_add_test(t, test_meta_inside_message);
	tcase_add_test(t, test_completion);
	suite_add_tcase(s, t);
	t = tcase_create("transcript");
	tcase_add_test(t, test_save_swaks_markers);
	tcase_add_test(t, test_replay);
	tcase_add_test(t, test_replay_steps_when_interactive);
	tcase_add_test(t, test_record_bounded_and_atomic);
	tcase_add_test(t, test_tab_separated_auth_is_a_credential);
	suite_add_tcase(s, t);
	t = tcase_create("lesson");
	tcase_add_test(t, test_lesson_in_console);
	tcase_add_test(t, test_lesson_completion_and_credentials);
	tcase_add_test(t, test_lesson_from_shell_and_back);
	tcase_add_test(t, test_lesson_progress_resumes);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(console_suite());
}
