/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_client.c - the client state machine: every scenario against the
 * simulated server, hand-made replies from a learner, tracking mode, and
 * hostile replies */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-run.h"
#include "core/client.h"
#include "core/server.h"

#define FINDINGS_MAX 256
#define REPLIES_MAX 512
#define SENDS_MAX 512
#define SENT_MAX (1 << 18)
#define OUT_SIZE 65536

/* ---- findings ------------------------------------------------------------ */

struct finding_rec {
	enum client_finding_kind kind;
	int expected;
	char enh[16];
	char rule[48];
	char text[600];
};

struct findings {
	struct finding_rec f[FINDINGS_MAX];
	int n;
};

static void on_finding(void *ctx, const struct client_finding *f)
{
	struct findings *fs = ctx;
	struct finding_rec *r;

	ck_assert_ptr_nonnull(f->text);
	ck_assert_ptr_nonnull(f->section);
	ck_assert_msg(strncmp(f->section, "RFC ", 4) == 0,
	    "a finding without an RFC section: %s", f->text);
	if (fs->n >= FINDINGS_MAX)
		return;
	r = &fs->f[fs->n++];
	r->kind = f->kind;
	r->expected = f->expected;
	snprintf(r->enh, sizeof r->enh, "%s", f->expected_enh ? f->expected_enh : "");
	snprintf(r->rule, sizeof r->rule, "%s", f->rule ? f->rule : "");
	snprintf(r->text, sizeof r->text, "%s", f->text);
}

static int nkind(const struct findings *fs, enum client_finding_kind k)
{
	int i, n = 0;

	for (i = 0; i < fs->n; i++)
		n += fs->f[i].kind == k;
	return n;
}

static const struct finding_rec *first_kind(const struct findings *fs,
    enum client_finding_kind k)
{
	int i;

	for (i = 0; i < fs->n; i++)
		if (fs->f[i].kind == k)
			return &fs->f[i];
	return NULL;
}

/* dump - the findings, for a failure message */
static const char *dump(const struct findings *fs)
{
	static char buf[8192];
	size_t n = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < fs->n && n < sizeof buf - 700; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "\n  [%d] %s",
		    fs->f[i].kind, fs->f[i].text);
	return buf;
}

/* ---- a client against the simulated server --------------------------------- */

struct got {
	char wire[8192];
	size_t len;
};

struct run {
	struct findings fs;
	struct got q[64];		/* replies not yet handed to the client */
	size_t qh, qn;
	int codes[REPLIES_MAX];		/* every reply, in order */
	char verbs[REPLIES_MAX][16];
	char rules[REPLIES_MAX][48];
	int nreplies;
	char *sent;			/* every byte the client sent */
	size_t sent_len;
	size_t send_off[SENDS_MAX], send_len[SENDS_MAX];
	int send_conn[SENDS_MAX];	/* which connection */
	int nsends;
	int conn;			/* connections made after the first */
	enum client_action last;
};

static void on_server_reply(void *ctx, const struct server_reply *r)
{
	struct run *u = ctx;
	struct got *g;

	if (u->nreplies < REPLIES_MAX) {
		u->codes[u->nreplies] = r->code;
		snprintf(u->verbs[u->nreplies], sizeof u->verbs[0], "%s", r->verb);
		snprintf(u->rules[u->nreplies], sizeof u->rules[0], "%s", r->rule);
		u->nreplies++;
	}
	ck_assert_msg(u->qn < 64 && r->wire_len < sizeof g->wire,
	    "too many replies at once");
	g = &u->q[(u->qh + u->qn++) % 64];
	memcpy(g->wire, r->wire, r->wire_len);
	g->len = r->wire_len;
}

static void record_send(struct run *u, const char *b, size_t len)
{
	ck_assert_msg(u->sent_len + len <= SENT_MAX && u->nsends < SENDS_MAX,
	    "the client sends too much");
	memcpy(u->sent + u->sent_len, b, len);
	u->send_off[u->nsends] = u->sent_len;
	u->send_len[u->nsends] = len;
	u->send_conn[u->nsends++] = u->conn;
	u->sent_len += len;
	u->sent[u->sent_len] = 0;
}

/* drive - run the client on scenario sc against a simulated server of the
 * scenario's persona (or persona p); setup may inject faults */
static struct run *drive(const struct ref_scenario *sc,
    const struct ref_persona *p, void (*setup)(struct server *))
{
	struct run *u = calloc(1, sizeof *u);
	struct server_memory mem;
	struct server_sink ss = { u, on_server_reply, NULL, NULL };
	struct client_sink cs = { &u->fs, on_finding };
	struct client *c;
	struct server *s;
	char *out = malloc(OUT_SIZE);
	int steps;

	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_nonnull(out);
	u->sent = malloc(SENT_MAX + 1);
	ck_assert_ptr_nonnull(u->sent);
	u->sent[0] = 0;
	memset(&mem, 0, sizeof mem);
	if (p == NULL)
		p = ref_persona_find(sc->persona, strlen(sc->persona));
	ck_assert_ptr_nonnull(p);
	c = client_new(sc, &cs);
	ck_assert_ptr_nonnull(c);
	s = server_new(p, &mem, &ss);
	if (setup)
		setup(s);
	server_start(s);
	u->last = CLIENT_WAIT;
	for (steps = 0; steps < 5000; steps++) {
		size_t len;

		while (u->qn > 0) {
			struct got *g = &u->q[u->qh];

			u->qh = (u->qh + 1) % 64;
			u->qn--;
			client_reply(c, g->wire, g->len);
		}
		u->last = client_next(c, out, OUT_SIZE, &len);
		if (u->last == CLIENT_SEND) {
			ck_assert_uint_gt(len, 0);
			record_send(u, out, len);
			if (server_phase(s) != SERVER_CLOSED)
				server_feed(s, out, len);
			continue;
		}
		if (u->last == CLIENT_RECONNECT) {
			server_free(s);
			server_memory_wait(&mem, client_retry_wait(c));
			s = server_new(p, &mem, &ss);
			u->conn++;
			server_start(s);
			continue;
		}
		if (u->last == CLIENT_CLOSE)
			break;
		ck_assert_msg(u->qn == 0 && server_phase(s) == SERVER_CLOSED,
		    "%s: the client waits, but nothing will come", sc->name);
		client_dropped(c);
	}
	ck_assert_msg(u->last == CLIENT_CLOSE, "%s: the session never ended",
	    sc->name);
	ck_assert_int_eq(client_phase(c), CLIENT_DONE);
	client_free(c);
	server_free(s);
	free(out);
	return u;
}

static void run_free(struct run *u)
{
	free(u->sent);
	free(u);
}

static const struct ref_scenario *scenario(const char *name)
{
	const struct ref_scenario *sc = ref_scenario_find(name, strlen(name));

	ck_assert_msg(sc != NULL, "no scenario %s", name);
	return sc;
}

static int delivered(const struct run *u)
{
	int i, n = 0;

	for (i = 0; i < u->nreplies; i++)
		n += strcmp(u->rules[i], "message-accepted") == 0;
	return n;
}

/* reply_to - the code of the nth (0 = first) reply to verb, or 0 */
static int reply_to(const struct run *u, const char *verb, int nth)
{
	int i;

	for (i = 0; i < u->nreplies; i++)
		if (strcmp(u->verbs[i], verb) == 0 && nth-- == 0)
			return u->codes[i];
	return 0;
}

static size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* crlf_only - every CR is followed by LF and every LF follows a CR */
static int crlf_only(const char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (b[i] == '\r' && (i + 1 == len || b[i + 1] != '\n'))
			return 0;
		if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r'))
			return 0;
	}
	return 1;
}

/* ---- every scenario ------------------------------------------------------- */

static const struct expect {
	const char *name;
	int delivered;		/* messages the server accepted */
	int reconnects;
} expects[] = {
	{ "all-refused", 0, 0 },
	{ "bdat-chunks", 1, 0 },
	{ "cram-md5", 1, 0 },
	{ "delivery-report", 1, 0 },
	{ "dot-stuffing", 1, 0 },
	{ "ehlo-hangup", 1, 1 },
	{ "greylisted", 1, 1 },
	{ "helo-only", 1, 0 },
	{ "legacy-helo", 1, 0 },
	{ "no-starttls", 0, 0 },
	{ "pipelined", 1, 0 },
	{ "plain", 1, 0 },
	{ "refused-greeting", 0, 0 },
	{ "relay-attempt", 0, 0 },
	{ "several-recipients", 1, 0 },
	{ "starttls-auth", 1, 0 },
};

START_TEST(there_are_scenarios)
{
	ck_assert_uint_ge(ref_scenario_count, 10);
	ck_assert_uint_eq(ref_scenario_count, sizeof expects / sizeof expects[0]);
}
END_TEST

/* Against its own persona a scenario ends with 221, delivers what it
 * should, and the client finds nothing wrong and no difference. */
START_TEST(scenario_runs_clean)
{
	const struct ref_scenario *sc = &ref_scenario_table[_i];
	const struct expect *x = NULL;
	struct run *u;
	size_t i;

	for (i = 0; i < sizeof expects / sizeof expects[0]; i++)
		if (strcmp(expects[i].name, sc->name) == 0)
			x = &expects[i];
	ck_assert_msg(x != NULL, "scenario %s has no expectation here", sc->name);
	u = drive(sc, NULL, NULL);
	ck_assert_msg(u->nreplies > 0 && u->codes[u->nreplies - 1] == 221,
	    "%s: the last reply is %d, not 221", sc->name,
	    u->nreplies ? u->codes[u->nreplies - 1] : 0);
	ck_assert_msg(delivered(u) == x->delivered, "%s: %d messages accepted",
	    sc->name, delivered(u));
	ck_assert_int_eq(u->conn, x->reconnects);
	ck_assert_msg(nkind(&u->fs, CLIENT_DIFFERS) == 0 &&
	    nkind(&u->fs, CLIENT_BAD_REPLY) == 0 &&
	    nkind(&u->fs, CLIENT_BAD_CODE) == 0 &&
	    nkind(&u->fs, CLIENT_BAD_ENHANCED) == 0,
	    "%s: findings against a conforming server:%s", sc->name, dump(&u->fs));
	ck_assert_msg(crlf_only(u->sent, u->sent_len) || strcmp(sc->name, "bdat-chunks") == 0,
	    "%s: a bare CR or LF on the wire", sc->name);
	ck_assert_msg(strstr(u->sent, "QUIT\r\n") != NULL, "%s: no QUIT", sc->name);
	run_free(u);
}
END_TEST

/* Every scenario at every persona: the session ends, and a simulated
 * server's replies are always well formed and allowed. */
START_TEST(scenario_at_every_persona)
{
	const struct ref_persona *p = &ref_persona_table[_i];
	size_t k;

	for (k = 0; k < ref_scenario_count; k++) {
		const struct ref_scenario *sc = &ref_scenario_table[k];
		struct run *u = drive(sc, p, NULL);

		ck_assert_msg(nkind(&u->fs, CLIENT_BAD_REPLY) == 0 &&
		    nkind(&u->fs, CLIENT_BAD_CODE) == 0 &&
		    nkind(&u->fs, CLIENT_BAD_ENHANCED) == 0,
		    "%s at %s:%s", sc->name, p->name, dump(&u->fs));
		ck_assert_msg(crlf_only(u->sent, u->sent_len) ||
		    strstr(u->sent, "BDAT") != NULL,
		    "%s at %s: a bare CR or LF on the wire", sc->name, p->name);
		run_free(u);
	}
}
END_TEST

START_TEST(legacy_server_gets_helo_after_500)
{
	struct run *u = drive(scenario("legacy-helo"), NULL, NULL);
	const char *ehlo = strstr(u->sent, "EHLO client.example.com\r\n");
	const char *helo = strstr(u->sent, "HELO client.example.com\r\n");

	ck_assert_ptr_nonnull(ehlo);
	ck_assert_ptr_nonnull(helo);
	ck_assert(ehlo < helo);
	ck_assert_int_eq(u->codes[1], 500);
	ck_assert_int_eq(u->conn, 0);
	ck_assert_ptr_null(strstr(u->sent, "SIZE="));
	ck_assert_int_ge(nkind(&u->fs, CLIENT_DECISION), 1);
	run_free(u);
}
END_TEST

START_TEST(ehlo_hangup_reconnects_with_helo)
{
	struct run *u = drive(scenario("ehlo-hangup"), NULL, NULL);
	int i, ehlo_conn = -1, helo_conn = -1;

	for (i = 0; i < u->nsends; i++) {
		const char *b = u->sent + u->send_off[i];

		if (strncmp(b, "EHLO ", 5) == 0)
			ehlo_conn = u->send_conn[i];
		if (strncmp(b, "HELO ", 5) == 0)
			helo_conn = u->send_conn[i];
	}
	ck_assert_int_eq(u->conn, 1);
	ck_assert_int_eq(ehlo_conn, 0);
	ck_assert_int_eq(helo_conn, 1);
	ck_assert_int_eq(occurrences(u->sent, "EHLO "), 1);
	ck_assert_int_eq(delivered(u), 1);
	run_free(u);
}
END_TEST

START_TEST(starttls_then_ehlo_again_then_auth)
{
	struct run *u = drive(scenario("starttls-auth"), NULL, NULL);
	const char *tls = strstr(u->sent, "STARTTLS\r\n");
	const char *auth = strstr(u->sent, "AUTH CRAM-MD5\r\n");
	int i;

	ck_assert_ptr_nonnull(tls);
	ck_assert_ptr_nonnull(auth);
	ck_assert_int_eq(occurrences(u->sent, "EHLO laptop.example.org\r\n"), 2);
	ck_assert_int_eq(occurrences(u->sent, "STARTTLS"), 1);
	ck_assert(strstr(tls, "EHLO ") != NULL && strstr(tls, "EHLO ") < auth);
	ck_assert(strstr(u->sent, "MAIL FROM:") > auth);
	ck_assert_int_eq(reply_to(u, "STARTTLS", 0), 220);
	ck_assert_int_eq(reply_to(u, "AUTH", 1), 235);
	ck_assert_int_eq(reply_to(u, "RCPT", 0), 250);
	/* the password never appears, on the wire or in a finding */
	ck_assert_ptr_null(strstr(u->sent, "wonderland"));
	for (i = 0; i < u->fs.n; i++)
		ck_assert_ptr_null(strstr(u->fs.f[i].text, "wonderland"));
	run_free(u);
}
END_TEST

START_TEST(cram_md5_without_tls)
{
	struct run *u = drive(scenario("cram-md5"), NULL, NULL);

	ck_assert_ptr_nonnull(strstr(u->sent, "AUTH CRAM-MD5\r\n"));
	ck_assert_ptr_null(strstr(u->sent, "STARTTLS"));
	ck_assert_int_eq(reply_to(u, "AUTH", 0), 334);
	ck_assert_int_eq(reply_to(u, "AUTH", 1), 235);
	ck_assert_int_eq(delivered(u), 1);
	run_free(u);
}
END_TEST

/* the message as RFC 1870 counts it: CRLF lines, no stuffing, no dot */
static size_t message_size(const char *body)
{
	size_t n = 2;

	for (; *body; body++)
		n += *body == '\n' ? 2 : 1;
	return n;
}

START_TEST(pipelining_sends_groups_and_declares_the_size)
{
	const struct ref_scenario *sc = scenario("pipelined");
	struct run *u = drive(sc, NULL, NULL);
	char size[64];
	int i, grouped = 0;

	for (i = 0; i < u->nsends; i++) {
		const char *b = u->sent + u->send_off[i];
		size_t lines = 0, k;

		for (k = 0; k < u->send_len[i]; k++)
			lines += b[k] == '\n';
		if (strncmp(b, "MAIL FROM:", 10) == 0) {
			ck_assert_uint_eq(lines, 4);	/* MAIL, 2 RCPT, DATA */
			ck_assert(strstr(b, "\r\nDATA\r\n") == b + u->send_len[i] - 8);
			grouped++;
		}
	}
	ck_assert_int_eq(grouped, 1);
	snprintf(size, sizeof size, "MAIL FROM:<ann@example.com> SIZE=%zu\r\n",
	    message_size(sc->body));
	ck_assert_msg(strstr(u->sent, size) != NULL, "no '%s' in:\n%s", size, u->sent);
	ck_assert_int_eq(delivered(u), 1);
	run_free(u);
}
END_TEST

START_TEST(parameters_follow_the_announced_extensions)
{
	const struct ref_scenario *sc = scenario("delivery-report");
	struct run *u = drive(sc, NULL, NULL);
	char mail[128];

	snprintf(mail, sizeof mail,
	    "MAIL FROM:<ann@example.com> SIZE=%zu BODY=8BITMIME SMTPUTF8 RET=HDRS\r\n",
	    message_size(sc->body));
	ck_assert_msg(strstr(u->sent, mail) != NULL, "no '%s' in:\n%s", mail, u->sent);
	ck_assert_ptr_nonnull(strstr(u->sent,
	    "RCPT TO:<alice@example.org> NOTIFY=SUCCESS,FAILURE\r\n"));
	run_free(u);
}
END_TEST

START_TEST(no_parameters_without_ehlo)
{
	struct ref_scenario sc = *scenario("delivery-report");
	struct run *u;

	sc.options = "size dsn helo-only";
	sc.body = "Subject: ascii\n\nonly";
	u = drive(&sc, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(u->sent, "HELO client.example.com\r\n"));
	ck_assert_ptr_nonnull(strstr(u->sent, "MAIL FROM:<ann@example.com>\r\n"));
	ck_assert_ptr_nonnull(strstr(u->sent, "RCPT TO:<alice@example.org>\r\n"));
	ck_assert_int_eq(delivered(u), 1);
	run_free(u);
}
END_TEST

START_TEST(dot_stuffing_doubles_leading_dots)
{
	struct run *u = drive(scenario("dot-stuffing"), NULL, NULL);

	ck_assert_ptr_nonnull(strstr(u->sent, "\r\n..hidden in plain sight\r\n"));
	ck_assert_ptr_nonnull(strstr(u->sent, "single dot:\r\n..\r\nAnd this"));
	ck_assert_ptr_nonnull(strstr(u->sent, "two:\r\n...\r\nThat is all.\r\n.\r\nQUIT"));
	ck_assert_int_eq(occurrences(u->sent, "\r\n.\r\n"), 1);
	ck_assert_int_eq(delivered(u), 1);
	run_free(u);
}
END_TEST

/* CPython's testQuoteData vector: LF, CR and CRLF all end a line */
START_TEST(line_endings_are_normalised)
{
	struct ref_scenario sc = *scenario("plain");
	struct run *u;

	sc.body = "abc\n.jkl\rfoo\r\n..blue";
	u = drive(&sc, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(u->sent,
	    "DATA\r\nabc\r\n..jkl\r\nfoo\r\n...blue\r\n.\r\n"));
	ck_assert(crlf_only(u->sent, u->sent_len));
	run_free(u);
}
END_TEST

START_TEST(bdat_chunks_are_counted_exactly)
{
	const struct ref_scenario *sc = scenario("bdat-chunks");
	struct run *u = drive(sc, NULL, NULL);
	char data[1024];
	size_t total = 0, expect = message_size(sc->body);
	int i, chunks = 0, lasts = 0;

	for (i = 0; i < u->nsends; i++) {
		const char *b = u->sent + u->send_off[i];
		const char *eol;
		unsigned long n;
		char *end;

		if (strncmp(b, "BDAT ", 5) != 0)
			continue;
		n = strtoul(b + 5, &end, 10);
		eol = strstr(b, "\r\n");
		ck_assert_ptr_nonnull(eol);
		ck_assert_uint_le(n, 40);
		ck_assert_uint_eq(u->send_len[i], (size_t)(eol + 2 - b) + n);
		ck_assert_int_eq(lasts, 0);	/* nothing after LAST */
		if (strncmp(end, " LAST\r\n", 7) == 0)
			lasts++;
		else
			ck_assert(strncmp(end, "\r\n", 2) == 0);
		ck_assert_uint_lt(total + n, sizeof data);
		memcpy(data + total, eol + 2, n);
		total += n;
		chunks++;
	}
	ck_assert_int_ge(chunks, 2);
	ck_assert_int_le(chunks, 3);
	ck_assert_int_eq(lasts, 1);
	ck_assert_uint_eq(total, expect);
	data[total] = 0;
	/* no stuffing with BDAT: the dot stays single */
	ck_assert_ptr_nonnull(strstr(data, "\r\n.A dot here"));
	ck_assert_ptr_null(strstr(u->sent, "DATA\r\n"));
	ck_assert_int_eq(delivered(u), 1);
	run_free(u);
}
END_TEST

START_TEST(refused_recipients_are_skipped)
{
	struct run *u = drive(scenario("several-recipients"), NULL, NULL);

	ck_assert_int_eq(reply_to(u, "RCPT", 0), 250);
	ck_assert_int_eq(reply_to(u, "RCPT", 1), 251);
	ck_assert_int_eq(reply_to(u, "RCPT", 2), 551);
	ck_assert_int_eq(reply_to(u, "RCPT", 3), 550);
	ck_assert_int_eq(reply_to(u, "DATA", 0), 354);
	ck_assert_int_eq(delivered(u), 1);
	ck_assert_int_ge(nkind(&u->fs, CLIENT_DECISION), 2);
	run_free(u);
}
END_TEST

START_TEST(all_refused_means_rset_not_data)
{
	struct run *u = drive(scenario("all-refused"), NULL, NULL);

	ck_assert_ptr_nonnull(strstr(u->sent, "MAIL FROM:<>\r\n"));
	ck_assert_int_eq(reply_to(u, "DATA", 0), 554);
	ck_assert_ptr_nonnull(strstr(u->sent, "RSET\r\nQUIT\r\n"));
	ck_assert_ptr_null(strstr(u->sent, "Undelivered"));
	run_free(u);
}
END_TEST

START_TEST(greylisting_then_the_retry_works)
{
	struct run *u = drive(scenario("greylisted"), NULL, NULL);

	ck_assert_int_eq(reply_to(u, "RCPT", 0), 451);
	ck_assert_int_eq(reply_to(u, "RCPT", 1), 250);
	ck_assert_int_eq(u->conn, 1);
	ck_assert_int_eq(delivered(u), 1);
	run_free(u);
}
END_TEST

START_TEST(tls_required_but_not_offered)
{
	struct run *u = drive(scenario("no-starttls"), NULL, NULL);

	ck_assert_ptr_null(strstr(u->sent, "MAIL"));
	ck_assert_ptr_null(strstr(u->sent, "STARTTLS"));
	ck_assert_ptr_nonnull(strstr(u->sent, "QUIT\r\n"));
	ck_assert_int_ge(nkind(&u->fs, CLIENT_DECISION), 1);
	run_free(u);
}
END_TEST

START_TEST(refused_greeting_gets_only_quit)
{
	struct run *u = drive(scenario("refused-greeting"), NULL, NULL);

	ck_assert_int_eq(u->codes[0], 554);
	ck_assert_str_eq(u->sent, "QUIT\r\n");
	run_free(u);
}
END_TEST

START_TEST(login_at_a_server_that_offers_only_login)
{
	struct ref_scenario sc = *scenario("starttls-auth");
	struct run *u;

	sc.persona = "exchange";
	u = drive(&sc, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(u->sent, "AUTH LOGIN\r\n"));
	ck_assert_int_eq(reply_to(u, "AUTH", 2), 235);
	ck_assert_int_eq(delivered(u), 1);
	ck_assert_int_eq(nkind(&u->fs, CLIENT_DIFFERS), 0);
	run_free(u);
}
END_TEST

static void too_many_rcpts(struct server *s)
{
	ck_assert_int_eq(server_fault(s, "RCPT", 2, 452, "4.5.3"), 0);
}

/* RFC 5321 4.5.3.1.10: a 452 for too many recipients sends the rest in
 * another transaction */
START_TEST(too_many_recipients_go_in_another_transaction)
{
	struct ref_scenario sc = *scenario("plain");
	struct run *u;
	const struct finding_rec *f;

	sc.to = "alice@example.org jane.smith@example.org john.smith@example.org";
	u = drive(&sc, NULL, too_many_rcpts);
	ck_assert_int_eq(occurrences(u->sent, "MAIL FROM:"), 2);
	ck_assert_int_eq(occurrences(u->sent, "RCPT TO:<jane.smith@example.org>"), 2);
	ck_assert_int_eq(delivered(u), 2);
	f = first_kind(&u->fs, CLIENT_DIFFERS);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->expected, 250);
	run_free(u);
}
END_TEST

/* ---- hand-made replies: the learner plays the server --------------------- */

struct hand {
	struct findings fs;
	struct client *c;
	char out[OUT_SIZE + 1];
	size_t len;
};

static struct hand *hand_new(const struct ref_scenario *sc)
{
	struct hand *h = calloc(1, sizeof *h);
	struct client_sink cs;

	ck_assert_ptr_nonnull(h);
	cs.ctx = &h->fs;
	cs.finding = on_finding;
	h->c = client_new(sc, &cs);
	ck_assert_ptr_nonnull(h->c);
	return h;
}

static void hand_free(struct hand *h)
{
	client_free(h->c);
	free(h);
}

/* next - what the client does now; its bytes in h->out */
static enum client_action next(struct hand *h)
{
	enum client_action a = client_next(h->c, h->out, OUT_SIZE, &h->len);

	h->out[a == CLIENT_SEND ? h->len : 0] = 0;
	return a;
}

static void rep(struct hand *h, const char *wire)
{
	client_reply(h->c, wire, strlen(wire));
}

/* expect_send - the client sends exactly text */
static void expect_send(struct hand *h, const char *text)
{
	ck_assert_int_eq(next(h), CLIENT_SEND);
	ck_assert_str_eq(h->out, text);
}

/* greet - 220 and a one-line EHLO reply (or the given one) */
static void greet(struct hand *h, const char *ehlo_reply)
{
	rep(h, "220 mx.example.org ESMTP\r\n");
	ck_assert_int_eq(next(h), CLIENT_SEND);
	ck_assert(strncmp(h->out, "EHLO ", 5) == 0);
	rep(h, ehlo_reply ? ehlo_reply : "250 mx.example.org\r\n");
}

START_TEST(learner_accepting_an_unknown_user_differs)
{
	struct hand *h = hand_new(scenario("several-recipients"));
	const struct finding_rec *f;

	greet(h, NULL);
	expect_send(h, "MAIL FROM:<ann@example.com>\r\n");
	rep(h, "250 OK\r\n");
	expect_send(h, "RCPT TO:<alice@example.org>\r\n");
	rep(h, "250 OK\r\n");
	expect_send(h, "RCPT TO:<bob@example.org>\r\n");
	rep(h, "251 User not local; will forward to <bob@example.net>\r\n");
	expect_send(h, "RCPT TO:<erin@example.org>\r\n");
	rep(h, "551 User not local; please try <erin@example.com>\r\n");
	expect_send(h, "RCPT TO:<nobody@example.org>\r\n");
	ck_assert_int_eq(nkind(&h->fs, CLIENT_DIFFERS), 0);
	rep(h, "250 OK\r\n");
	f = first_kind(&h->fs, CLIENT_DIFFERS);
	ck_assert_msg(f != NULL, "no difference found:%s", dump(&h->fs));
	ck_assert_int_eq(f->expected, 550);
	ck_assert_str_eq(f->enh, "5.1.1");
	ck_assert_str_eq(f->rule, "unknown-user");
	/* the client acts on what it got: it goes on with DATA */
	expect_send(h, "DATA\r\n");
	hand_free(h);
}
END_TEST

/* After a difference the two sessions part ways; the client says it once
 * and compares again when both are idle. */
START_TEST(a_difference_is_reported_once)
{
	struct hand *h = hand_new(scenario("plain"));
	const struct finding_rec *f;

	greet(h, NULL);
	expect_send(h, "MAIL FROM:<ann@example.com>\r\n");
	rep(h, "250 OK\r\n");
	expect_send(h, "RCPT TO:<alice@example.org>\r\n");
	rep(h, "550 no such user\r\n");
	f = first_kind(&h->fs, CLIENT_DIFFERS);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->expected, 250);
	expect_send(h, "RSET\r\n");
	rep(h, "250 OK\r\n");
	expect_send(h, "QUIT\r\n");
	rep(h, "250 OK\r\n");		/* wrong again, and compared again */
	ck_assert_int_eq(nkind(&h->fs, CLIENT_DIFFERS), 2);
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_CODE), 1);
	ck_assert_int_eq(next(h), CLIENT_CLOSE);
	hand_free(h);
}
END_TEST

START_TEST(a_hangup_server_that_answers_differs)
{
	struct hand *h = hand_new(scenario("ehlo-hangup"));
	const struct finding_rec *f;

	greet(h, NULL);
	f = first_kind(&h->fs, CLIENT_DIFFERS);
	ck_assert_msg(f != NULL, "no difference:%s", dump(&h->fs));
	ck_assert_int_eq(f->expected, 0);
	ck_assert_str_eq(f->rule, "ehlo-hangup");
	expect_send(h, "MAIL FROM:<ann@example.com>\r\n");
	hand_free(h);
}
END_TEST

/* A learner's own CRAM-MD5 challenge: the shadow cannot judge the answer */
START_TEST(another_challenge_is_not_a_difference)
{
	struct hand *h = hand_new(scenario("cram-md5"));

	greet(h, "250-mx.example.org\r\n250 AUTH CRAM-MD5\r\n");
	expect_send(h, "AUTH CRAM-MD5\r\n");
	rep(h, "334 PDEyMzQ1QGxlYXJuZXI+\r\n");	/* <12345@learner> */
	ck_assert_int_eq(next(h), CLIENT_SEND);
	ck_assert(strncmp(h->out, "YWxpY2VAZXhhbXBsZS5vcmcg", 24) == 0);
	rep(h, "235 2.7.0 ok\r\n");
	expect_send(h, "MAIL FROM:<alice@example.org>\r\n");
	ck_assert_msg(nkind(&h->fs, CLIENT_DIFFERS) == 0, "%s", dump(&h->fs));
	hand_free(h);
}
END_TEST

START_TEST(mixed_codes_are_a_bad_reply)
{
	struct hand *h = hand_new(scenario("plain"));

	greet(h, NULL);
	expect_send(h, "MAIL FROM:<ann@example.com>\r\n");
	rep(h, "250-a\r\n550 b\r\n");
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_REPLY), 1);
	expect_send(h, "QUIT\r\n");
	hand_free(h);
}
END_TEST

START_TEST(a_354_to_mail_is_a_bad_code)
{
	struct hand *h = hand_new(scenario("plain"));

	greet(h, NULL);
	expect_send(h, "MAIL FROM:<ann@example.com>\r\n");
	rep(h, "354 go ahead\r\n");
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_CODE), 1);
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_REPLY), 0);
	expect_send(h, "QUIT\r\n");
	hand_free(h);
}
END_TEST

START_TEST(an_enhanced_code_of_the_wrong_class)
{
	struct hand *h = hand_new(scenario("plain"));

	greet(h, NULL);
	expect_send(h, "MAIL FROM:<ann@example.com>\r\n");
	rep(h, "550 2.1.0 x\r\n");
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_ENHANCED), 1);
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_CODE), 0);
	hand_free(h);
}
END_TEST

START_TEST(a_missing_or_malformed_enhanced_code)
{
	struct hand *h = hand_new(scenario("plain"));

	greet(h, "250-mx.example.org\r\n250 ENHANCEDSTATUSCODES\r\n");
	expect_send(h, "MAIL FROM:<ann@example.com>\r\n");
	rep(h, "250 OK\r\n");
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_ENHANCED), 1);
	expect_send(h, "RCPT TO:<alice@example.org>\r\n");
	rep(h, "250 2.01.5 OK\r\n");
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_ENHANCED), 2);
	expect_send(h, "DATA\r\n");
	rep(h, "354 go on\r\n");	/* 3xx: no enhanced code */
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_ENHANCED), 2);
	hand_free(h);
}
END_TEST

START_TEST(a_421_stops_the_client)
{
	struct hand *h = hand_new(scenario("plain"));

	greet(h, NULL);
	expect_send(h, "MAIL FROM:<ann@example.com>\r\n");
	rep(h, "421 4.3.2 shutting down\r\n");
	ck_assert_int_eq(next(h), CLIENT_CLOSE);
	ck_assert_int_eq(client_phase(h->c), CLIENT_DONE);
	rep(h, "250 late\r\n");		/* nothing more happens */
	ck_assert_int_eq(next(h), CLIENT_CLOSE);
	hand_free(h);
}
END_TEST

START_TEST(a_554_greeting_gets_quit)
{
	struct hand *h = hand_new(scenario("refused-greeting"));

	rep(h, "554 mx.example.org No SMTP service here\r\n");
	expect_send(h, "QUIT\r\n");
	ck_assert_int_eq(next(h), CLIENT_WAIT);
	rep(h, "221 bye\r\n");
	ck_assert_int_eq(next(h), CLIENT_CLOSE);
	ck_assert_int_eq(nkind(&h->fs, CLIENT_DIFFERS), 0);
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_CODE), 0);
	hand_free(h);
}
END_TEST

START_TEST(ehlo_refused_falls_back_to_helo)
{
	struct hand *h = hand_new(scenario("plain"));

	greet(h, "502 5.5.1 Command not implemented\r\n");
	expect_send(h, "HELO client.example.com\r\n");
	rep(h, "250 mx.example.org\r\n");
	expect_send(h, "MAIL FROM:<ann@example.com>\r\n");
	hand_free(h);
}
END_TEST

START_TEST(ehlo_drop_reconnects)
{
	struct hand *h = hand_new(scenario("plain"));

	rep(h, "220 mx.example.org ESMTP\r\n");
	expect_send(h, "EHLO client.example.com\r\n");
	client_dropped(h->c);
	ck_assert_int_eq(next(h), CLIENT_RECONNECT);
	ck_assert_int_eq(next(h), CLIENT_WAIT);
	rep(h, "220 mx.example.org ESMTP\r\n");
	expect_send(h, "HELO client.example.com\r\n");
	/* the shadow (modern) would have answered 250, not closed */
	ck_assert_int_eq(nkind(&h->fs, CLIENT_DIFFERS), 1);
	hand_free(h);
}
END_TEST

/* security-cases K1: a reply to STARTTLS with more behind it */
START_TEST(bytes_after_the_starttls_reply_are_discarded)
{
	struct hand *h = hand_new(scenario("starttls-auth"));

	greet(h, "250-smtp.example.org\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
	ck_assert(client_offers(h->c, "starttls"));
	ck_assert(!client_offers(h->c, "STARTTLSX"));
	expect_send(h, "STARTTLS\r\n");
	rep(h, "220 Ready to start TLS\r\n250-example.org\r\n250 AUTH LOGIN\r\n");
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_REPLY), 1);
	ck_assert(client_tls(h->c));
	ck_assert(!client_offers(h->c, "AUTH"));
	ck_assert(!client_offers(h->c, "PIPELINING"));
	expect_send(h, "EHLO laptop.example.org\r\n");
	ck_assert_int_eq(next(h), CLIENT_WAIT);
	hand_free(h);
}
END_TEST

/* security-cases K2 and K3 */
START_TEST(starttls_refused_means_quit)
{
	static const char *const answers[] = {
		"454 4.7.0 TLS not available due to temporary reason\r\n",
		"502 5.5.1 Command not implemented\r\n",
		"354 do something else\r\n",
	};
	size_t i;

	for (i = 0; i < sizeof answers / sizeof answers[0]; i++) {
		struct hand *h = hand_new(scenario("starttls-auth"));

		greet(h, "250-smtp.example.org\r\n250 STARTTLS\r\n");
		expect_send(h, "STARTTLS\r\n");
		rep(h, answers[i]);
		expect_send(h, "QUIT\r\n");
		ck_assert(!client_tls(h->c));
		ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_CODE), i == 2);
		hand_free(h);
	}
}
END_TEST

START_TEST(starttls_offered_after_tls_is_flagged)
{
	struct hand *h = hand_new(scenario("starttls-auth"));

	greet(h, "250-smtp.example.org\r\n250 STARTTLS\r\n");
	expect_send(h, "STARTTLS\r\n");
	rep(h, "220 2.0.0 go\r\n");
	expect_send(h, "EHLO laptop.example.org\r\n");
	rep(h, "250-smtp.example.org\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n");
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_REPLY), 1);
	ck_assert(!client_offers(h->c, "STARTTLS"));
	/* PLAIN inside TLS, with the initial response */
	expect_send(h, "AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHdvbmRlcmxhbmQ=\r\n");
	rep(h, "235 2.7.0 Authentication successful\r\n");
	expect_send(h, "MAIL FROM:<alice@example.org>\r\n");
	ck_assert_int_eq(nkind(&h->fs, CLIENT_DIFFERS), 0);
	hand_free(h);
}
END_TEST

START_TEST(no_plain_password_without_tls)
{
	struct hand *h = hand_new(scenario("cram-md5"));

	greet(h, "250-mx.example.org\r\n250 AUTH PLAIN LOGIN\r\n");
	expect_send(h, "QUIT\r\n");
	ck_assert_int_ge(nkind(&h->fs, CLIENT_DECISION), 1);
	hand_free(h);
}
END_TEST

/* security-cases K5: only mechanisms the client implements */
START_TEST(unknown_mechanisms_are_not_used)
{
	struct hand *h = hand_new(scenario("cram-md5"));

	greet(h, "250-mx.example.org\r\n250 AUTH LOGIN_2 PLAIN-MD5 XOAUTH9\r\n");
	expect_send(h, "MAIL FROM:<alice@example.org>\r\n");
	hand_free(h);
}
END_TEST

START_TEST(a_bad_challenge_is_cancelled)
{
	struct hand *h = hand_new(scenario("cram-md5"));

	greet(h, "250-mx.example.org\r\n250 AUTH CRAM-MD5\r\n");
	expect_send(h, "AUTH CRAM-MD5\r\n");
	rep(h, "334 !!!not base64\r\n");
	expect_send(h, "*\r\n");
	rep(h, "501 5.7.0 cancelled\r\n");
	expect_send(h, "QUIT\r\n");
	hand_free(h);
}
END_TEST

START_TEST(all_refused_without_pipelining_is_rset_then_quit)
{
	struct hand *h = hand_new(scenario("plain"));

	greet(h, NULL);
	expect_send(h, "MAIL FROM:<ann@example.com>\r\n");
	rep(h, "250 OK\r\n");
	expect_send(h, "RCPT TO:<alice@example.org>\r\n");
	rep(h, "550 no\r\n");
	expect_send(h, "RSET\r\n");
	rep(h, "250 OK\r\n");
	expect_send(h, "QUIT\r\n");
	rep(h, "221 bye\r\n");
	ck_assert_int_eq(next(h), CLIENT_CLOSE);
	hand_free(h);
}
END_TEST

/* RFC 2920 3.1: a 354 although every RCPT failed gets a lone dot */
START_TEST(a_354_after_all_refused_gets_a_lone_dot)
{
	struct hand *h = hand_new(scenario("all-refused"));

	greet(h, "250-mx.example.org\r\n250 PIPELINING\r\n");
	expect_send(h, "MAIL FROM:<>\r\nRCPT TO:<erin@example.org>\r\n"
	    "RCPT TO:<nobody@example.org>\r\nDATA\r\n");
	rep(h, "250 OK\r\n");
	ck_assert_int_eq(next(h), CLIENT_WAIT);
	rep(h, "551 moved\r\n");
	rep(h, "550 unknown\r\n");
	ck_assert_int_eq(next(h), CLIENT_WAIT);
	rep(h, "354 go ahead\r\n");
	expect_send(h, ".\r\n");
	rep(h, "250 OK\r\n");
	expect_send(h, "QUIT\r\n");
	hand_free(h);
}
END_TEST

START_TEST(a_temporary_failure_is_retried_once)
{
	struct hand *h = hand_new(scenario("plain"));
	int round;

	for (round = 0; round < 2; round++) {
		greet(h, NULL);
		expect_send(h, "MAIL FROM:<ann@example.com>\r\n");
		rep(h, "451 4.3.0 try later\r\n");
		expect_send(h, "QUIT\r\n");
		rep(h, "221 bye\r\n");
		client_dropped(h->c);	/* the close after 221 changes nothing */
		ck_assert_int_eq(next(h), round == 0 ? CLIENT_RECONNECT : CLIENT_CLOSE);
	}
	ck_assert_int_ge(nkind(&h->fs, CLIENT_DECISION), 3);
	hand_free(h);
}
END_TEST

START_TEST(a_drop_in_a_transaction_closes)
{
	struct hand *h = hand_new(scenario("plain"));

	greet(h, NULL);
	expect_send(h, "MAIL FROM:<ann@example.com>\r\n");
	rep(h, "250 OK\r\n");
	expect_send(h, "RCPT TO:<alice@example.org>\r\n");
	client_dropped(h->c);
	ck_assert_int_eq(next(h), CLIENT_CLOSE);
	ck_assert_int_eq(client_phase(h->c), CLIENT_DONE);
	hand_free(h);
}
END_TEST

START_TEST(a_reply_nobody_asked_for)
{
	struct hand *h = hand_new(scenario("plain"));

	greet(h, NULL);
	rep(h, "250 extra\r\n");	/* before the client sent MAIL */
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_REPLY), 1);
	expect_send(h, "MAIL FROM:<ann@example.com>\r\n");
	hand_free(h);
}
END_TEST

/* ---- hostile replies -------------------------------------------------------- */

START_TEST(a_600_line_reply_is_refused)
{
	struct hand *h = hand_new(scenario("plain"));
	size_t i, n = 0;
	char *big = malloc(600 * 8 + 1);

	rep(h, "220 mx.example.org ESMTP\r\n");
	expect_send(h, "EHLO client.example.com\r\n");
	for (i = 0; i < 600; i++)
		n += (size_t)sprintf(big + n, "250%cx\r\n", i == 599 ? ' ' : '-');
	client_reply(h->c, big, n);
	free(big);
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_REPLY), 1);
	expect_send(h, "QUIT\r\n");
	hand_free(h);
}
END_TEST

START_TEST(a_megabyte_line_is_bounded)
{
	struct hand *h = hand_new(scenario("plain"));
	size_t n = 1 << 20;
	char *big = malloc(n + 8);

	memcpy(big, "220 ", 4);
	memset(big + 4, 'A', n);
	memcpy(big + 4 + n, "\r\n", 2);
	client_reply(h->c, big, n + 6);
	free(big);
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_REPLY), 1);
	expect_send(h, "EHLO client.example.com\r\n");
	hand_free(h);
}
END_TEST

START_TEST(a_bare_lf_reply_is_flagged_but_read)
{
	struct hand *h = hand_new(scenario("plain"));

	rep(h, "220 mx.example.org ESMTP\n");
	ck_assert_int_eq(nkind(&h->fs, CLIENT_BAD_REPLY), 1);
	expect_send(h, "EHLO client.example.com\r\n");
	hand_free(h);
}
END_TEST

#define JUNK(s) { s, sizeof s - 1 }

START_TEST(garbage_never_crashes)
{
	static const struct {
		const char *s;
		size_t len;
	} junk[] = {
		JUNK(""), JUNK("\r\n"), JUNK("25 OK\r\n"), JUNK("2500 OK\r\n"),
		JUNK("abc\r\n"), JUNK("250OK\r\n"), JUNK("650 x\r\n"),
		JUNK("099 x\r\n"), JUNK("2a0 x\r\n"), JUNK("250-a\r\n"),
		JUNK("250 \0x\r\n"), JUNK("250 ok\r"), JUNK("\x80\xff\r\n"),
		JUNK("250-a\r\n250-b\r\n"), JUNK("334 \r\n"), JUNK("221 x\r\n"),
	};
	size_t i, j;

	for (i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		struct hand *h = hand_new(scenario(i % 2 ? "pipelined" : "starttls-auth"));
		int steps;

		for (steps = 0; steps < 40; steps++) {
			enum client_action a = next(h);

			if (a == CLIENT_CLOSE)
				break;
			if (a == CLIENT_RECONNECT)
				continue;
			/* the junk, then a plausible reply, in turn */
			j = (i + (size_t)steps) % (sizeof junk / sizeof junk[0]);
			if (steps % 2)
				client_reply(h->c, junk[j].s, junk[j].len);
			else
				rep(h, steps == 0 ? "220 x\r\n" : "250 ok\r\n");
		}
		ck_assert_int_ge(h->fs.n, 1);
		hand_free(h);
	}
}
END_TEST

/* xorshift - a small deterministic generator, so a failure repeats */
static unsigned long xorshift(unsigned long *st)
{
	unsigned long x = *st;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *st = x;
}

/* Any scenario, any sequence of replies (good, bad, or none): the client
 * stays bounded, sends only CRLF lines outside message data, and ends. */
START_TEST(random_replies_keep_the_client_bounded)
{
	static const char *const vocab[] = {
		"220 mx.example.org ESMTP\r\n", "250 OK\r\n", "250 2.1.0 OK\r\n",
		"250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10\r\n250-CHUNKING\r\n250-AUTH PLAIN LOGIN CRAM-MD5\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250 STARTTLS\r\n",
		"250-mx.example.org\r\n250-PIPELINING\r\n250 CHUNKING\r\n",
		"251 forward\r\n", "354 go\r\n", "334 \r\n", "334 VXNlcm5hbWU6\r\n",
		"334 PDEyMzQ1QGxlYXJuZXI+\r\n", "235 ok\r\n", "220 go\r\n", "221 bye\r\n",
		"421 bye\r\n", "451 later\r\n", "452 4.5.3 too many\r\n", "454 no tls\r\n",
		"500 what\r\n", "502 no\r\n", "503 order\r\n", "535 no\r\n", "550 no\r\n",
		"552 big\r\n", "554 no\r\n", "250-a\r\n550 b\r\n", "25 x\r\n", "250 ok\n",
		"250 ok\r\n250 more\r\n", "", "250-never ends\r\n", "550 2.1.0 x\r\n",
	};
	size_t nv = sizeof vocab / sizeof vocab[0], sci;
	unsigned long seed = 0x2545f4914f6cdd1dUL;
	static char out[OUT_SIZE];

	for (sci = 0; sci < ref_scenario_count; sci++) {
		int round;

		for (round = 0; round < 30; round++) {
			struct client *c = client_new(&ref_scenario_table[sci], NULL);
			int steps, closed = 0, quit = 0, starttls = 0;

			ck_assert_ptr_nonnull(c);
			for (steps = 0; steps < 300 && !closed; steps++) {
				size_t len;
				enum client_action a = client_next(c, out, sizeof out, &len);
				unsigned long r = xorshift(&seed);

				if (a == CLIENT_CLOSE)
					closed = 1;
				else if (a == CLIENT_RECONNECT)
					quit = starttls = 0;
				else if (a == CLIENT_SEND) {
					ck_assert_uint_le(len, sizeof out);
					/* nothing after QUIT; STARTTLS once; no
					 * plaintext password outside TLS */
					ck_assert(!quit);
					quit = len >= 6 && strncmp(out, "QUIT\r\n", 6) == 0;
					if (len >= 10 && strncmp(out, "STARTTLS\r\n", 10) == 0)
						ck_assert(!starttls++);
					if (strncmp(out, "AUTH PLAIN", 10) == 0 ||
					    strncmp(out, "AUTH LOGIN", 10) == 0)
						ck_assert(client_tls(c));
				} else if (r % 23 == 0)
					client_dropped(c);
				else {
					const char *v = vocab[r % nv];

					client_reply(c, v, strlen(v));
				}
			}
			client_free(c);
		}
	}
}
END_TEST

/* ---- tracking mode -------------------------------------------------------- */

static void sent(struct client *c, const char *line)
{
	client_sent(c, line, strlen(line));
}

static void reply_s(struct client *c, const char *wire)
{
	client_reply(c, wire, strlen(wire));
}

START_TEST(tracking_follows_a_session)
{
	struct findings fs;
	struct client_sink cs = { &fs, on_finding };
	struct client *c = client_new(NULL, &cs);
	char out[64];
	size_t len;

	memset(&fs, 0, sizeof fs);
	ck_assert_int_eq(client_phase(c), CLIENT_GREETING);
	reply_s(c, "220 mx.example.org ESMTP\r\n");
	sent(c, "EHLO me.example");
	ck_assert_int_eq(client_phase(c), CLIENT_EHLO);
	reply_s(c, "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 1000\r\n"
	    "250-ENHANCEDSTATUSCODES\r\n250 STARTTLS\r\n");
	ck_assert(client_offers(c, "PIPELINING"));
	ck_assert(client_offers(c, "size"));
	ck_assert(!client_offers(c, "PIPE"));
	sent(c, "MAIL FROM:<a@example.com>");
	reply_s(c, "250 2.1.0 OK\r\n");
	ck_assert_int_eq(client_phase(c), CLIENT_MAIL);
	/* a pipelined group: replies matched in order */
	sent(c, "RCPT TO:<alice@example.org>");
	sent(c, "RCPT TO:<nobody@example.org>");
	sent(c, "DATA");
	ck_assert_int_eq(client_phase(c), CLIENT_DATA);
	reply_s(c, "250 2.1.5 OK\r\n");
	reply_s(c, "550 5.1.1 unknown\r\n");
	reply_s(c, "354 go ahead\r\n");
	/* the message lines are not commands */
	sent(c, "Subject: hello");
	sent(c, "");
	sent(c, "QUIT is just a word here");
	ck_assert_int_eq(client_phase(c), CLIENT_DATA);
	sent(c, ".");
	ck_assert_int_eq(client_phase(c), CLIENT_MESSAGE);
	reply_s(c, "250 2.0.0 queued\r\n");
	ck_assert_int_eq(client_next(c, out, sizeof out, &len), CLIENT_WAIT);
	sent(c, "QUIT");
	ck_assert_int_eq(client_phase(c), CLIENT_QUIT);
	reply_s(c, "221 2.0.0 bye\r\n");
	ck_assert_int_eq(client_phase(c), CLIENT_DONE);
	ck_assert_int_eq(client_next(c, out, sizeof out, &len), CLIENT_CLOSE);
	ck_assert_msg(fs.n == 0, "findings in a clean session:%s", dump(&fs));
	client_free(c);
}
END_TEST

START_TEST(tracking_flags_a_wrong_code)
{
	struct findings fs;
	struct client_sink cs = { &fs, on_finding };
	struct client *c = client_new(NULL, &cs);

	memset(&fs, 0, sizeof fs);
	reply_s(c, "220 mx.example.org ESMTP\r\n");
	sent(c, "HELO me.example");
	reply_s(c, "250 mx.example.org\r\n");
	sent(c, "MAIL FROM:<a@example.com>");
	sent(c, "RCPT TO:<b@example.org>");
	reply_s(c, "250 OK\r\n");
	reply_s(c, "354 what\r\n");
	ck_assert_int_eq(nkind(&fs, CLIENT_BAD_CODE), 1);
	reply_s(c, "250 nobody asked\r\n");
	ck_assert_int_eq(nkind(&fs, CLIENT_BAD_REPLY), 1);
	client_free(c);
}
END_TEST

START_TEST(tracking_starttls_and_auth)
{
	struct findings fs;
	struct client_sink cs = { &fs, on_finding };
	struct client *c = client_new(NULL, &cs);

	memset(&fs, 0, sizeof fs);
	reply_s(c, "220 mx.example.org ESMTP\r\n");
	sent(c, "EHLO me.example");
	reply_s(c, "250-mx.example.org\r\n250 STARTTLS\r\n");
	sent(c, "STARTTLS");
	ck_assert_int_eq(client_phase(c), CLIENT_STARTTLS);
	reply_s(c, "220 go ahead\r\n");
	ck_assert(client_tls(c));
	ck_assert(!client_offers(c, "STARTTLS"));
	sent(c, "EHLO me.example");
	reply_s(c, "250-mx.example.org\r\n250 AUTH LOGIN\r\n");
	sent(c, "AUTH LOGIN");
	reply_s(c, "334 VXNlcm5hbWU6\r\n");
	sent(c, "YWxpY2U=");
	ck_assert_int_eq(client_phase(c), CLIENT_AUTH);
	reply_s(c, "334 UGFzc3dvcmQ6\r\n");
	sent(c, "d29uZGVybGFuZA==");
	reply_s(c, "235 Authentication successful\r\n");
	sent(c, "BDAT 5 LAST");
	sent(c, "abc");
	ck_assert_int_eq(client_phase(c), CLIENT_BDAT);
	reply_s(c, "250 OK\r\n");
	sent(c, "NOOP");
	ck_assert_int_eq(client_phase(c), CLIENT_OTHER);
	reply_s(c, "250 OK\r\n");
	ck_assert_msg(fs.n == 0, "findings:%s", dump(&fs));
	client_free(c);
}
END_TEST

START_TEST(tracking_a_421_at_any_time)
{
	struct client *c = client_new(NULL, NULL);

	reply_s(c, "220 mx.example.org ESMTP\r\n");
	reply_s(c, "421 4.4.2 timeout\r\n");
	ck_assert_int_eq(client_phase(c), CLIENT_DONE);
	client_free(c);
}
END_TEST

START_TEST(phase_names)
{
	int p;

	for (p = 0; p < CLIENT_PHASE_LAST; p++)
		ck_assert_str_ne(client_phase_str((enum client_phase)p), "?");
	ck_assert_str_eq(client_phase_str(CLIENT_PHASE_LAST), "?");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("client");
	TCase *tc = tcase_create("scenarios");
	TCase *th = tcase_create("hand-made replies");
	TCase *tt = tcase_create("tracking");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, there_are_scenarios);
	tcase_add_loop_test(tc, scenario_runs_clean, 0, (int)ref_scenario_count);
	tcase_add_loop_test(tc, scenario_at_every_persona, 0, (int)ref_persona_count);
	tcase_add_test(tc, legacy_server_gets_helo_after_500);
	tcase_add_test(tc, ehlo_hangup_reconnects_with_helo);
	tcase_add_test(tc, starttls_then_ehlo_again_then_auth);
	tcase_add_test(tc, cram_md5_without_tls);
	tcase_add_test(tc, pipelining_sends_groups_and_declares_the_size);
	tcase_add_test(tc, parameters_follow_the_announced_extensions);
	tcase_add_test(tc, no_parameters_without_ehlo);
	tcase_add_test(tc, dot_stuffing_doubles_leading_dots);
	tcase_add_test(tc, line_endings_are_normalised);
	tcase_add_test(tc, bdat_chunks_are_counted_exactly);
	tcase_add_test(tc, refused_recipients_are_skipped);
	tcase_add_test(tc, all_refused_means_rset_not_data);
	tcase_add_test(tc, greylisting_then_the_retry_works);
	tcase_add_test(tc, tls_required_but_not_offered);
	tcase_add_test(tc, refused_greeting_gets_only_quit);
	tcase_add_test(tc, login_at_a_server_that_offers_only_login);
	tcase_add_test(tc, too_many_recipients_go_in_another_transaction);
	suite_add_tcase(s, tc);

	tcase_add_test(th, learner_accepting_an_unknown_user_differs);
	tcase_add_test(th, a_difference_is_reported_once);
	tcase_add_test(th, a_hangup_server_that_answers_differs);
	tcase_add_test(th, another_challenge_is_not_a_difference);
	tcase_add_test(th, mixed_codes_are_a_bad_reply);
	tcase_add_test(th, a_354_to_mail_is_a_bad_code);
	tcase_add_test(th, an_enhanced_code_of_the_wrong_class);
	tcase_add_test(th, a_missing_or_malformed_enhanced_code);
	tcase_add_test(th, a_421_stops_the_client);
	tcase_add_test(th, a_554_greeting_gets_quit);
	tcase_add_test(th, ehlo_refused_falls_back_to_helo);
	tcase_add_test(th, ehlo_drop_reconnects);
	tcase_add_test(th, bytes_after_the_starttls_reply_are_discarded);
	tcase_add_test(th, starttls_refused_means_quit);
	tcase_add_test(th, starttls_offered_after_tls_is_flagged);
	tcase_add_test(th, no_plain_password_without_tls);
	tcase_add_test(th, unknown_mechanisms_are_not_used);
	tcase_add_test(th, a_bad_challenge_is_cancelled);
	tcase_add_test(th, all_refused_without_pipelining_is_rset_then_quit);
	tcase_add_test(th, a_354_after_all_refused_gets_a_lone_dot);
	tcase_add_test(th, a_temporary_failure_is_retried_once);
	tcase_add_test(th, a_drop_in_a_transaction_closes);
	tcase_add_test(th, a_reply_nobody_asked_for);
	tcase_add_test(th, a_600_line_reply_is_refused);
	tcase_add_test(th, a_megabyte_line_is_bounded);
	tcase_add_test(th, a_bare_lf_reply_is_flagged_but_read);
	tcase_add_test(th, garbage_never_crashes);
	tcase_add_test(th, random_replies_keep_the_client_bounded);
	suite_add_tcase(s, th);

	tcase_add_test(tt, tracking_follows_a_session);
	tcase_add_test(tt, tracking_flags_a_wrong_code);
	tcase_add_test(tt, tracking_starttls_and_auth);
	tcase_add_test(tt, tracking_a_421_at_any_time);
	tcase_add_test(tt, phase_names);
	suite_add_tcase(s, tt);
	return s;
}

int main(void)
{
	return check_run(suite());
}
