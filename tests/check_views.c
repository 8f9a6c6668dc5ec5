/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_views.c - what the front ends show of the core, checked against
 * the core itself: the state diagram holds together, a reply's meaning
 * depends on the code before the class, and every beginner hint and every
 * "may come next" list is walked against the simulated server */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-run.h"
#include "core/explain.h"
#include "core/ref.h"
#include "core/server.h"
#include "core/session.h"

/* require - ck_assert_msg for the walks' inner loops: check records the
 * place of every passing ck_assert (a write each), which cost these
 * walks most of their time; this asks only when the condition fails */
#define require(cond, ...) \
	do { \
		if (!(cond)) \
			ck_abort_msg(__VA_ARGS__); \
	} while (0)

/* ---- the diagram ------------------------------------------------------ */

static char at(size_t row, size_t col)
{
	const char *s;

	if (row >= explain_diagram_rows)
		return ' ';
	s = explain_diagram[row].text;
	return col < strlen(s) ? s[col] : ' ';
}

/* Every vertical line continues into the row above and below it, every
 * '+' joins at least two lines, every horizontal line ends at a '+' or an
 * arrow head: the connectors line up column by column. */
START_TEST(diagram_lines_join)
{
	size_t r, c;
	int phases[SERVER_PHASE_LAST] = { 0 };

	for (r = 0; r < explain_diagram_rows; r++) {
		const char *s = explain_diagram[r].text;

		if (explain_diagram[r].phase >= 0) {
			ck_assert_int_lt(explain_diagram[r].phase, SERVER_PHASE_LAST);
			phases[explain_diagram[r].phase]++;
		}
		ck_assert_msg(strlen(s) <= 43, "row %zu is wider than the TUI's state pane: %s", r, s);
		for (c = 0; s[c]; c++) {
			if (s[c] == '|')
				ck_assert_msg(r > 0 && at(r - 1, c) != ' ' && at(r + 1, c) != ' ',
				    "row %zu column %zu: a line that ends in the air: %s", r, c, s);
			if (s[c] == '+') {
				int n = (r > 0 && strchr("|+", at(r - 1, c)) != NULL) +
				    (strchr("|+", at(r + 1, c)) != NULL) +
				    (c > 0 && strchr("-<+", at(r, c - 1)) != NULL) +
				    (strchr("-+", at(r, c + 1)) != NULL);

				ck_assert_msg(n >= 2, "row %zu column %zu: a corner that joins %d lines: %s",
				    r, c, n, s);
			}
			if (s[c] == '-' && (c + 1 == strlen(s) || s[c + 1] == ' '))
				ck_assert_msg(0, "row %zu column %zu: a line that stops short of a corner: %s",
				    r, c, s);
		}
	}
	/* one box for each phase a session can be seen in */
	ck_assert_int_eq(phases[SERVER_CONNECTED], 1);
	ck_assert_int_eq(phases[SERVER_GREETED], 1);
	ck_assert_int_eq(phases[SERVER_READY], 1);
	ck_assert_int_eq(phases[SERVER_MAIL], 1);
	ck_assert_int_eq(phases[SERVER_RCPT], 1);
	ck_assert_int_eq(phases[SERVER_DATA], 1);
	ck_assert_int_eq(phases[SERVER_CLOSED], 1);
	/* the phases the diagram folds into its boxes land in one */
	for (r = 0; r < SERVER_PHASE_LAST; r++) {
		int box = server_diagram_phase((enum server_phase)r);

		ck_assert_msg(phases[box] == 1, "phase %s has no box", server_phase_str((enum server_phase)r));
	}
}
END_TEST

/* ---- meanings ----------------------------------------------------------- */

START_TEST(meaning_code_before_class)
{
	const struct ref_meaning *m;

	/* a 503 is a sequence error, whatever the command */
	m = ref_meaning_find("RCPT", 503);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(strstr(m->meaning, "sequence error"));
	m = ref_meaning_find("DATA", 503);
	ck_assert_ptr_nonnull(strstr(m->meaning, "sequence error"));
	/* a refused recipient is one, after RCPT only */
	m = ref_meaning_find("RCPT", 550);
	ck_assert_ptr_nonnull(strstr(m->meaning, "recipient is refused"));
	m = ref_meaning_find("MAIL", 550);
	ck_assert_ptr_nonnull(strstr(m->meaning, "sender is refused"));
	/* an unknown command still gets the code's own meaning */
	m = ref_meaning_find(NULL, 502);
	ck_assert_ptr_nonnull(strstr(m->meaning, "does not offer"));
	ck_assert_ptr_null(ref_meaning_find("NOOP", 250));
	ck_assert_ptr_null(ref_meaning_find("RCPT", 999));
}
END_TEST

struct lines {
	char text[8192];
	size_t n;
};

static void keep_line(void *ctx, enum explain_kind kind, const char *text)
{
	struct lines *l = ctx;
	int w = snprintf(l->text + l->n, sizeof l->text - l->n, "%s\n", text);

	(void)kind;
	if (w > 0 && (size_t)w < sizeof l->text - l->n)
		l->n += (size_t)w;
}

/* No keyword shows an empty reference: one no RFC defines names who
 * uses it. */
START_TEST(keywords_name_a_source)
{
	size_t i;

	for (i = 0; i < ref_keyword_count; i++) {
		struct lines l = { "", 0 };
		char line[128];

		snprintf(line, sizeof line, "%s x", ref_keyword_table[i].keyword);
		explain_ehlo_line(line, strlen(line), keep_line, &l);
		explain_ehlo_line(ref_keyword_table[i].keyword,
		    strlen(ref_keyword_table[i].keyword), keep_line, &l);
		ck_assert_msg(strstr(l.text, "()") == NULL, "%s: %s",
		    ref_keyword_table[i].keyword, l.text);
	}
}
END_TEST

/* ---- hints and "may come next", walked against the server ------------- */

static const char *const vocab[] = {
	"EHLO client.example", "EHLO client.example", "HELO client.example", "EHLO", "HELO",
	"STARTTLS", "STARTTLS", "STARTTLS now",
	"AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=", "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=",
	"AUTH PLAIN AGFsaWNlAHdyb25n", "AUTH PLAIN !!!", "AUTH PLAIN", "AUTH XOAUTH2",
	"MAIL FROM:<ann@example.com>", "MAIL FROM:<ann@example.com>", "MAIL FROM:ann@example.com",
	"MAIL FROM: <ann@example.com>", "MAIL FROM:<ann@example.com> SIZE=999999999",
	"MAIL FROM:<ann@example.com> FOO=bar", "MAIL FROM:<ann@example.com> BODY",
	"MAIL FROM:<ann@example.com> =5", "MAIL FROM:<ann@example.com> SIZE=1 SIZE=2",
	"MAIL FROM:<ann@@example.com>", "MAIL TO:<ann@example.com>",
	"MAIL FROM:<\xc3\xa9@example.com>",
	"RCPT TO:<alice@example.org>", "RCPT TO:<alice@example.org>", "RCPT TO:<nobody@example.org>",
	"RCPT TO:<x@example.net>", "RCPT TO:alice@example.org", "RCPT TO:<bob@@example.org>",
	"RCPT FROM:<alice@example.org>", "RCPT TO:<\xc3\xa9@example.org>",
	"DATA", "DATA", "DATA now", "RSET", "RSET all", "QUIT now", "NOOP", "VRFY", "VRFY alice",
	"EXPN", "FOO", "TURN",
};

/* What the walk sends while the server reads a message. */
static const char *const body[] = {
	"Subject: hi", "caf\xc3\xa9 au lait", ".", ".",
};
/* A canonical line for each verb a "may come next" list can hold. */
static const struct {
	const char *verb;
	const char *line;
} probes[] = {
	{ "AUTH", "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=" }, { "BDAT", "BDAT 3 LAST" },
	{ "DATA", "DATA" }, { "EHLO", "EHLO client.example" },
	{ "ETRN", "ETRN example.net" }, { "EXPN", "EXPN staff@lists.example.org" },
	{ "HELO", "HELO client.example" }, { "HELP", "HELP" },
	{ "MAIL", "MAIL FROM:<ann@example.com>" }, { "NOOP", "NOOP" },
	{ "QUIT", "QUIT" }, { "RCPT", "RCPT TO:<alice@example.org>" },
	{ "RSET", "RSET" }, { "STARTTLS", "STARTTLS" }, { "VRFY", "VRFY alice" },
	{ "ATRN", "ATRN example.net" }, { "BURL", "BURL imap://x LAST" },
};

#define WALK_MAX 30

/* progress - a line that takes the session a step further, so that the
 * walk reaches the deep states too (TLS, AUTH, a message) */
static const char *progress(const struct server *s, unsigned long r)
{
	static const char *const auth[] = {
		"AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=", "AUTH PLAIN AGFsaWNlAHdyb25n",
	};

	switch (server_phase(s)) {
	case SERVER_GREETED: return "EHLO client.example";
	case SERVER_READY:
		if (!server_tls_active(s) && r % 6 == 0)
			return "STARTTLS";
		if (!server_authenticated(s) && r % 6 == 1)
			return auth[r / 6 % 2];
		if (r % 6 == 2)
			return "MAIL FROM: <ann@example.com>";
		return r % 6 == 3 ? "MAIL FROM:<ann@example.com> BODY=8BITMIME" :
		    "MAIL FROM:<ann@example.com>";
	case SERVER_MAIL:
		return r % 5 == 0 ? "RCPT TO:<nobody@example.org>" : r % 5 == 1 ?
		    "DATA" : r % 5 == 2 ? "STARTTLS" : "RCPT TO:<alice@example.org>";
	case SERVER_RCPT:
		return r % 4 == 0 ? "DATA now" : r % 4 == 1 ? "BDAT 0" : "DATA";
	default: return NULL;
	}
}

struct walk {
	const struct ref_persona *p;
	const char *lines[WALK_MAX];
	size_t n;
	int code;		/* of the last reply */
	const char *rule;	/* its rule (a string literal of the server) */
	char verb[16];
};

static void walk_reply(void *ctx, const struct server_reply *r)
{
	struct walk *w = ctx;

	w->code = r->code;
	w->rule = r->rule;
	snprintf(w->verb, sizeof w->verb, "%s", r->verb);
}

/* replay - a new connection that gets the walk's first n lines, then
 * line; the code of line's reply (0 when none came), its rule in *rule */
static int replay(const struct walk *w, size_t n, const char *line,
    const char **rule)
{
	struct walk r;
	struct server_memory mem;
	struct server_sink sink = { &r, walk_reply, NULL, NULL };
	struct server *s;
	char buf[600];
	size_t i;

	memset(&r, 0, sizeof r);
	memset(&mem, 0, sizeof mem);
	s = server_new(w->p, &mem, &sink);
	require(s != NULL, "server_new failed");
	server_start(s);
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof buf, "%s\r\n", w->lines[i]);
		server_feed(s, buf, strlen(buf));
	}
	r.code = 0;
	snprintf(buf, sizeof buf, "%s\r\n", line);
	server_feed(s, buf, strlen(buf));
	server_free(s);
	if (rule)
		*rule = r.rule;
	return r.code;
}

/* probe_next - every verb the list offers is taken in this state: not
 * refused as out of sequence, unknown or not offered */
static void probe_next(const struct walk *w, const struct server *srv)
{
	char next[1024], *tok, *save = NULL;
	const char *rule = NULL;

	session_server_next(srv, next, sizeof next);
	for (tok = strtok_r(next, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		size_t i;
		int code;

		for (i = 0; i < sizeof probes / sizeof probes[0]; i++)
			if (strcmp(probes[i].verb, tok) == 0)
				break;
		require(i < sizeof probes / sizeof probes[0], "no probe for %s", tok);
		code = replay(w, w->n, probes[i].line, &rule);
		require(code != 500 && code != 502 && code != 503,
		    "%s, after %zu lines: %s is offered as next, but \"%s\" gets %d (%s)",
		    w->p->name, w->n, tok, probes[i].line, code, rule ? rule : "");
	}
}

START_TEST(hints_and_next_hold)
{
	unsigned long seed = 0x2545f4914f6cdd1dUL;
	unsigned char shown[512] = { 0 };
	size_t p, round, i;

	ck_assert_uint_lt(ref_hint_count, sizeof shown);
	for (p = 0; p < ref_persona_count; p++)
		for (round = 0; round < 40; round++) {
			struct walk w;
			struct server_memory mem;
			struct server_sink sink = { &w, walk_reply, NULL, NULL };
			struct server *s;

			memset(&w, 0, sizeof w);
			memset(&mem, 0, sizeof mem);
			w.p = &ref_persona_table[p];
			s = server_new(w.p, &mem, &sink);
			server_start(s);
			if (w.code >= 400 && ref_hint_find(w.rule, "CONNECT"))
				shown[ref_hint_find(w.rule, "CONNECT") - ref_hint_table] = 1;
			while (w.n < WALK_MAX && server_phase(s) != SERVER_CLOSED) {
				const char *line;
				const struct ref_hint *h;
				char buf[600];

				if (server_phase(s) != SERVER_DATA && server_phase(s) != SERVER_AUTH)
					probe_next(&w, s);
				seed ^= seed << 13;
				seed ^= seed >> 7;
				seed ^= seed << 17;
				line = seed % 2 ? progress(s, seed >> 8) : NULL;
				if (line == NULL)
					line = vocab[(seed >> 4) % (sizeof vocab / sizeof vocab[0])];
				if (server_phase(s) == SERVER_DATA)
					line = body[seed % (sizeof body / sizeof body[0])];
				if (server_phase(s) == SERVER_AUTH)
					line = "*";
				snprintf(buf, sizeof buf, "%s\r\n", line);
				w.code = 0;
				server_feed(s, buf, strlen(buf));
				h = w.code >= 400 ? ref_hint_find(w.rule, w.verb) : NULL;
				if (h && h->try_line) {
					const char *rule = NULL;
					int code = replay(&w, w.n, h->try_line, &rule);

					/* the mistake is fixed: the line is taken,
					 * or refused by a policy of the server's (a
					 * greylist, VRFY turned off), not for its
					 * form (500, 501), its place (503) or the
					 * same rule */
					require(code >= 200 && code != 500 &&
					    code != 501 && code != 503 &&
					    strcmp(rule, w.rule) != 0,
					    "%s: after %zu lines (%s%s%s), \"%s\" got %d (%s) and the hint says \"%s\", which gets %d (%s)",
					    w.p->name, w.n, w.n > 0 ? w.lines[0] : "", w.n > 1 ? ", " : "",
					    w.n > 1 ? w.lines[w.n - 1] : "", line, w.code, w.rule, h->try_line,
					    code, rule ? rule : "no reply");
				}
				if (h)
					shown[h - ref_hint_table] = 1;
				w.lines[w.n++] = line;
			}
			server_free(s);
		}
	{
		char missing[2048] = "";
		size_t off = 0;

		for (i = 0; i < ref_hint_count; i++) {
			const struct ref_hint *h = &ref_hint_table[i];
			int n;

			if (shown[i])
				continue;
			n = snprintf(missing + off, sizeof missing - off, " %s%s%s",
			    h->rule, h->verb ? "/" : "", h->verb ? h->verb : "");
			if (n > 0 && (size_t)n < sizeof missing - off)
				off += (size_t)n;
		}
		ck_assert_msg(off == 0, "the walk never showed the hints for%s: give it lines that do",
		    missing);
	}
}
END_TEST

/* ---- what the issue found, each kept fixed ------------------------------ */

struct last {
	char reason[600];
	char rule[48];
	char verb[16];
	int code;
};

static void last_reply(void *ctx, const struct server_reply *r)
{
	struct last *l = ctx;

	l->code = r->code;
	snprintf(l->reason, sizeof l->reason, "%s", r->reason);
	snprintf(l->rule, sizeof l->rule, "%s", r->rule);
	snprintf(l->verb, sizeof l->verb, "%s", r->verb);
}

static void feed(struct server *s, const char *line)
{
	char buf[600];

	snprintf(buf, sizeof buf, "%s\r\n", line);
	server_feed(s, buf, strlen(buf));
}

START_TEST(mistakes_get_fitting_words)
{
	struct last l;
	struct server_sink sink = { &l, last_reply, NULL, NULL };
	struct server *s = server_new(NULL, NULL, &sink);
	const struct ref_hint *h;

	server_start(s);
	/* a bare EHLO is told about EHLO, not about VRFY */
	feed(s, "EHLO");
	ck_assert_int_eq(l.code, 501);
	ck_assert_ptr_nonnull(strstr(l.reason, "EHLO needs an argument"));
	ck_assert_ptr_null(strstr(l.reason, "VRFY"));
	h = ref_hint_find(l.rule, l.verb);
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_null(strstr(h->hint, "VRFY"));
	feed(s, "VRFY");
	ck_assert_ptr_nonnull(strstr(l.reason, "VRFY needs an argument"));
	feed(s, "EHLO client.example");
	feed(s, "MAIL FROM:<ann@example.com>");
	/* angle brackets typed: the hint is about the address, not them */
	feed(s, "RCPT TO:<bob@@example.org>");
	ck_assert_int_eq(l.code, 501);
	h = ref_hint_find(l.rule, l.verb);
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_null(strstr(h->hint, "angle brackets"));
	/* without them: the hint says to write them */
	feed(s, "RCPT TO:bob@example.org");
	h = ref_hint_find(l.rule, l.verb);
	ck_assert_ptr_nonnull(strstr(h->hint, "angle brackets"));
	server_free(s);
	/* a greeting is never 500 or 501: no command line was read */
	ck_assert(!server_reply_allowed("CONNECT", 500));
	ck_assert(!server_reply_allowed("CONNECT", 501));
	ck_assert(server_reply_allowed("CONNECT", 554));
	ck_assert(server_reply_allowed("MAIL", 501));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("views");
	TCase *t = tcase_create("views");

	tcase_set_timeout(t, 60);
	tcase_add_test(t, diagram_lines_join);
	tcase_add_test(t, meaning_code_before_class);
	tcase_add_test(t, keywords_name_a_source);
	tcase_add_test(t, hints_and_next_hold);
	tcase_add_test(t, mistakes_get_fitting_words);
	suite_add_tcase(s, t);
	return check_run(s);
}
