/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_server.c - the simulated server: transcripts, the reply property,
 * reply code coverage, and a random walk through every persona */
#include <config.h>

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-run.h"
#include "core/server.h"
#include "transcript.h"

#define FILES_MAX 256

static char *files[FILES_MAX];
static int nfiles;
static char dir[1024];

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void find_transcripts(void)
{
	const char *top = getenv("top_srcdir");
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof dir, "%s/tests/transcripts", top ? top : ".");
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL && nfiles < FILES_MAX) {
		size_t n = strlen(e->d_name);

		if (n > 2 && strcmp(e->d_name + n - 2, ".t") == 0)
			files[nfiles++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(files, (size_t)nfiles, sizeof files[0], by_name);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = 0;
		*len = (size_t)n;
	}
	return buf;
}

static int run_file(const char *name, struct transcript_stats *st, char *err,
    size_t errsize)
{
	char path[2048];
	size_t len;
	char *text;
	int rc;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	text = slurp(path, &len);
	if (text == NULL) {
		snprintf(err, errsize, "%s: cannot read", path);
		return -1;
	}
	rc = transcript_run(name, text, len, st, err, errsize);
	free(text);
	return rc;
}

START_TEST(transcript_file)
{
	char err[2600];
	struct transcript_stats st;

	memset(&st, 0, sizeof st);
	ck_assert_msg(run_file(files[_i], &st, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(st.violation[0] == 0,
	    "%s: a reply the tables do not allow: %s", files[_i], st.violation);
	ck_assert_msg(st.unknown_rule[0] == 0,
	    "%s: the server used a rule data/rules.rec does not list: %s",
	    files[_i], st.unknown_rule);
}
END_TEST

START_TEST(there_are_transcripts)
{
	ck_assert_msg(nfiles >= 20, "only %d transcripts in %s", nfiles, dir);
}
END_TEST

/* Every reply code from 211 to 556 that RFC 5321 and the implemented
 * extensions define (reply-codes.rec Origin: RFC 5321, 1985 ETRN, 3207
 * STARTTLS, 4954 AUTH, 7504) is reached by some transcript.  Not
 * required: 355 (CHECKPOINT) and 453 (ATRN), whose extensions are not
 * simulated, and the IANA-only codes 422 430 523 524 525 533. */
static const int required[] = {
	211, 214, 220, 221, 235, 250, 251, 252, 253, 334, 354, 421, 432, 450,
	451, 452, 454, 455, 458, 459, 500, 501, 502, 503, 504, 521, 530, 534,
	535, 538, 550, 551, 552, 553, 554, 555, 556
};

START_TEST(every_code_is_reachable)
{
	struct transcript_stats st;
	char err[2600], missing[512] = "", seen[1024] = "";
	size_t i, m = 0, k = 0;
	int f;

	memset(&st, 0, sizeof st);
	for (f = 0; f < nfiles; f++)
		ck_assert_msg(run_file(files[f], &st, err, sizeof err) == 0, "%s", err);
	for (i = 0; i < sizeof required / sizeof required[0]; i++) {
		if (st.codes[required[i]])
			k += (size_t)snprintf(seen + k, sizeof seen - k, " %d", required[i]);
		else
			m += (size_t)snprintf(missing + m, sizeof missing - m, " %d", required[i]);
	}
	printf("reply codes reached by the transcripts:%s\n", seen);
	printf("(%zu replies to %zu reads in %d transcripts)\n", st.replies,
	    st.commands, nfiles);
	ck_assert_msg(m == 0, "never reached:%s", missing);
}
END_TEST

/* ---- the random walk: any sequence, any persona, the property holds ---- */

static const char *const vocab[] = {
	"EHLO client.example", "HELO client.example", "EHLO", "MAIL FROM:<a@example.com>",
	"MAIL FROM:<>", "MAIL FROM:<a@example.com> SIZE=1000", "MAIL FROM:<a@example.com> SIZE=999999999",
	"MAIL FROM:<a@example.com> BODY=8BITMIME", "MAIL FROM:<a@example.com> BODY=BINARYMIME",
	"MAIL FROM:<a@example.com> SMTPUTF8", "MAIL FROM:<a@example.com> RET=HDRS ENVID=x",
	"MAIL FROM:<a@example.com> BY=10;R", "MAIL FROM:<a@example.com> REQUIRETLS",
	"MAIL FROM:<a@example.com> FOO=bar", "MAIL FROM:a@example.com", "MAIL FROM: <a@example.com>",
	"MAIL FROM:<spammer@spam.example>", "RCPT TO:<alice@example.org>", "RCPT TO:<bob@example.org>",
	"RCPT TO:<erin@example.org>", "RCPT TO:<frank@example.org>", "RCPT TO:<grace@example.org>",
	"RCPT TO:<nobody@example.org>", "RCPT TO:<x@null.example>", "RCPT TO:<x@example.com>",
	"RCPT TO:<postmaster>", "RCPT TO:<root@example.org>", "RCPT TO:<alice@example.org> NOTIFY=NEVER",
	"RCPT TO:<alice@example.org> NOTIFY=BOGUS", "DATA", "DATA x", "RSET", "NOOP", "QUIT",
	"VRFY alice", "VRFY smith", "VRFY", "EXPN staff@lists.example.org", "HELP", "HELP MAIL",
	"HELP STATUS", "HELP nothing", "STARTTLS", "AUTH PLAIN", "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=",
	"AUTH LOGIN", "AUTH CRAM-MD5", "AUTH XOAUTH2", "*", "YWxpY2U=", "d29uZGVybGFuZA==", "!!!",
	"ETRN example.net", "ETRN @example.net", "ETRN", "TURN", "SEND FROM:<a@b.example>",
	"XEXCH50 1 2", "BDAT 5", "BDAT 0 LAST", "BDAT x", "FOO", "Subject: hi", "hello there", ".",
	"..dot", "\x01\x02", "MAIL FROM:<\xc3\xa9@example.com> SMTPUTF8", "RCPT TO:<\xc3\xa9@example.org>",
};

/* xorshift - a small deterministic generator, so a failure repeats */
static unsigned long xorshift(unsigned long *st)
{
	unsigned long x = *st;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *st = x;
}

static void walk_reply(void *ctx, const struct server_reply *r)
{
	char *bad = ctx;

	if (!transcript_reply_ok(r) && !bad[0])
		snprintf(bad, 256, "%d to %s (rule %s)", r->code, r->verb, r->rule);
	if (ref_rule_find(r->rule) == NULL && !bad[0])
		snprintf(bad, 256, "rule %s is not in data/rules.rec", r->rule);
	if (r->wire_len < 6 || r->wire[r->wire_len - 2] != '\r' ||
	    r->wire[r->wire_len - 1] != '\n')
		snprintf(bad, 256, "malformed wire reply for %s", r->verb);
	{
		/* RFC 5321 4.5.3.1.5: reply lines of at most 512 octets */
		const char *p = r->wire, *end = r->wire + r->wire_len, *nl;

		for (; p < end; p = nl + 1) {
			nl = memchr(p, '\n', (size_t)(end - p));
			if (nl == NULL || nl - p + 1 > 512) {
				snprintf(bad, 256, "reply line over 512 octets for %s",
				    r->verb);
				break;
			}
		}
	}
}

static void walk_event(void *ctx, const struct server_event *e)
{
	char *bad = ctx;

	if (e->rule && ref_rule_find(e->rule) == NULL && !bad[0])
		snprintf(bad, 256, "event rule %s is not in data/rules.rec", e->rule);
}

START_TEST(random_walk_keeps_the_property)
{
	unsigned long seed = 0x9e3779b97f4a7c15UL;
	size_t p, round;
	char bad[256] = "";
	size_t nv = sizeof vocab / sizeof vocab[0];

	for (p = 0; p < ref_persona_count; p++) {
		for (round = 0; round < 40; round++) {
			struct server_sink sink = { bad, walk_reply, walk_event, NULL };
			struct server *s = server_new(&ref_persona_table[p], NULL, &sink);
			int i;

			ck_assert_ptr_nonnull(s);
			server_start(s);
			for (i = 0; i < 60 && server_phase(s) != SERVER_CLOSED; i++) {
				char line[600];
				const char *v = vocab[xorshift(&seed) % nv];
				int n = snprintf(line, sizeof line, "%s\r\n", v);

				if (xorshift(&seed) % 7 == 0) {	/* two at once */
					const char *w = vocab[xorshift(&seed) % nv];

					n += snprintf(line + n, sizeof line - (size_t)n,
					    "%s\r\n", w);
				}
				server_feed(s, line, (size_t)n);
				ck_assert_msg(bad[0] == 0, "persona %s: %s",
				    ref_persona_table[p].name, bad);
			}
			server_eof(s);
			server_free(s);
		}
	}
}
END_TEST

/* ---- what EHLO announces ------------------------------------------------ */

struct capture {
	char wire[4096];
	size_t len;
	int code;
	int n;
};

static void capture_reply(void *ctx, const struct server_reply *r)
{
	struct capture *c = ctx;

	c->code = r->code;
	c->n++;
	c->len = r->wire_len < sizeof c->wire - 1 ? r->wire_len : sizeof c->wire - 1;
	memcpy(c->wire, r->wire, c->len);
	c->wire[c->len] = 0;
}

/* check_ehlo_lines - the EHLO reply in c lists exactly the keywords of
 * list (minus STARTTLS when tls), in order, SIZE with the persona's limit */
static void check_ehlo_lines(const struct ref_persona *p, const struct capture *c,
    const char *list, int tls)
{
	char kws[1024], *save = NULL, *kw;
	const char *line = strstr(c->wire, "\r\n");

	ck_assert_msg(strncmp(c->wire, "250", 3) == 0, "%s: %s", p->name, c->wire);
	snprintf(kws, sizeof kws, "%s", list);
	for (kw = strtok_r(kws, " ", &save); kw; kw = strtok_r(NULL, " ", &save)) {
		size_t n = strlen(kw);

		if (tls && strcmp(kw, "STARTTLS") == 0)
			continue;
		ck_assert_msg(line != NULL && strncmp(line + 2, "250", 3) == 0 &&
		    strncmp(line + 6, kw, n) == 0 &&
		    (line[6 + n] == '\r' || line[6 + n] == ' '),
		    "%s: %s not where expected in %s", p->name, kw, c->wire);
		if (strcmp(kw, "SIZE") == 0 && p->size >= 0)
			ck_assert_msg(strtol(line + 11, NULL, 10) == p->size,
			    "%s: SIZE %ld expected in %s", p->name, p->size, c->wire);
		line = strstr(line + 2, "\r\n");
	}
	/* nothing more, and the last line is "250 " */
	ck_assert_msg(line != NULL && line[2] == 0, "%s: extra lines in %s",
	    p->name, c->wire);
	ck_assert_msg(c->wire[0] == '2' && (strstr(c->wire, "\r\n250 ") != NULL ||
	    strchr(c->wire, '\n') == c->wire + c->len - 1),
	    "%s: the last line of %s", p->name, c->wire);
	if (tls)
		ck_assert_msg(strstr(c->wire, "STARTTLS") == NULL,
		    "%s: STARTTLS offered inside TLS (RFC 3207 4.2)", p->name);
}

START_TEST(ehlo_lists_the_persona_keywords)
{
	size_t i;

	for (i = 0; i < ref_persona_count; i++) {
		const struct ref_persona *p = &ref_persona_table[i];
		struct capture c;
		struct server_sink sink = { &c, capture_reply, NULL, NULL };
		struct server *s;
		const char *kw;

		if (p->greeting != 220 || strcmp(p->ehlo, "accept") != 0)
			continue;
		memset(&c, 0, sizeof c);
		s = server_new(p, NULL, &sink);
		server_start(s);
		server_feed(s, "EHLO client.example\r\n", 21);
		ck_assert_int_eq(c.n, 2);
		kw = p->keywords ? p->keywords : "";
		check_ehlo_lines(p, &c, kw, 0);
		ck_assert_int_eq(server_offers(s, "starttls"),
		    strstr(kw, "STARTTLS") != NULL);
		if (server_offers(s, "STARTTLS")) {
			server_feed(s, "STARTTLS\r\n", 10);
			ck_assert_int_eq(c.code, 220);
			ck_assert(server_tls_active(s));
			ck_assert_int_eq(server_ehlo_used(s), 0);
			ck_assert(!server_offers(s, "STARTTLS"));
			server_feed(s, "EHLO client.example\r\n", 21);
			check_ehlo_lines(p, &c, p->keywords_tls ? p->keywords_tls :
			    kw, 1);
			ck_assert(!server_offers(s, "STARTTLS"));
		}
		server_free(s);
	}
}
END_TEST

/* HELP for every verb of the tables: one 214 whose lines all fit in 512
 * octets (RFC 5321 4.5.3.1.5) and all carry the enhanced code (RFC 2034 3) */
START_TEST(help_fits_for_every_verb)
{
	struct capture c;
	struct server_sink sink = { &c, capture_reply, NULL, NULL };
	struct server *s = server_new(NULL, NULL, &sink);
	size_t i;

	memset(&c, 0, sizeof c);
	server_start(s);
	server_feed(s, "EHLO client.example\r\n", 21);
	for (i = 0; i < ref_command_count; i++) {
		char line[64];
		const char *p, *nl;
		int n = snprintf(line, sizeof line, "HELP %s\r\n",
		    ref_command_table[i].verb);

		c.n = 0;
		server_feed(s, line, (size_t)n);
		ck_assert_int_eq(c.n, 1);
		ck_assert_int_eq(c.code, 214);
		for (p = c.wire; *p; p = nl + 1) {
			nl = strchr(p, '\n');
			ck_assert_ptr_nonnull(nl);
			ck_assert_msg(nl - p + 1 <= 512, "HELP %s: a line of %d octets",
			    ref_command_table[i].verb, (int)(nl - p + 1));
			ck_assert_msg(strncmp(p + 4, "2.0.0 ", 6) == 0,
			    "HELP %s: no enhanced code on %.20s",
			    ref_command_table[i].verb, p);
		}
	}
	server_free(s);
}
END_TEST

/* RFC 5321 4.5.3.1.8: "The minimum total number of recipients that MUST
 * be buffered is 100"; refusing fewer violates it, so no persona may,
 * except "tiny", shrunk on purpose so that a learner reaches its limits by
 * typing (its explanation says so, and the lessons that use it) */
START_TEST(personas_buffer_100_recipients)
{
	size_t i;

	for (i = 0; i < ref_persona_count; i++)
		ck_assert_msg(ref_persona_table[i].max_rcpt >= 100 ||
		    strcmp(ref_persona_table[i].name, "tiny") == 0,
		    "persona %s: Max-rcpt %ld", ref_persona_table[i].name,
		    ref_persona_table[i].max_rcpt);
}
END_TEST

/* ---- how the input is split into reads does not matter ----------------- */

struct codes {
	int code[64];
	int n;
};

static void codes_reply(void *ctx, const struct server_reply *r)
{
	struct codes *c = ctx;

	if (c->n < 64)
		c->code[c->n++] = r->code;
}

static const char session[] =
    "EHLO client.example\r\nMAIL FROM:<ann@example.com>\r\n"
    "RCPT TO:<alice@example.org>\r\nDATA\r\nSubject: x\r\n\r\n..dot\r\n"
    "x\n.\r\nNOOP\r\n.\r\nMAIL FROM:<ann@example.com>\r\n"
    "RCPT TO:<alice@example.org>\r\nBDAT 7\r\nab\r\n.\r\nBDAT 0 LAST\r\n"
    "QUIT\r\n";

START_TEST(byte_at_a_time_is_the_same)
{
	struct codes whole, bytes;
	struct server_sink sw = { &whole, codes_reply, NULL, NULL };
	struct server_sink sb = { &bytes, codes_reply, NULL, NULL };
	struct server *a = server_new(NULL, NULL, &sw);
	struct server *b = server_new(NULL, NULL, &sb);
	size_t i;
	static const int want[] = { 220, 250, 250, 250, 354, 250, 250, 250,
		250, 250, 221 };

	memset(&whole, 0, sizeof whole);
	memset(&bytes, 0, sizeof bytes);
	server_start(a);
	server_start(b);
	server_feed(a, session, sizeof session - 1);
	for (i = 0; i < sizeof session - 1; i++)
		server_feed(b, session + i, 1);
	ck_assert_int_eq(whole.n, (int)(sizeof want / sizeof want[0]));
	ck_assert_int_eq(bytes.n, whole.n);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		ck_assert_int_eq(whole.code[i], want[i]);
		ck_assert_int_eq(bytes.code[i], want[i]);
	}
	ck_assert_int_eq(server_phase(a), SERVER_CLOSED);
	ck_assert_int_eq(server_phase(b), SERVER_CLOSED);
	server_free(a);
	server_free(b);
}
END_TEST

/* A DATA line longer than the line buffer whose CR ends one read and
 * whose LF starts the next is still a CRLF line: the "." after it ends
 * the message (a lost CR would make the server miss the end of data) */
START_TEST(long_line_crlf_split_across_reads)
{
	struct codes c;
	struct server_sink sink = { &c, codes_reply, NULL, NULL };
	struct server *s = server_new(NULL, NULL, &sink);
	char *big = malloc(20001);

	memset(&c, 0, sizeof c);
	memset(big, 'a', 20000);
	big[20000] = '\r';
	server_start(s);
	server_feed(s, "EHLO a.example\r\nMAIL FROM:<a@example.com>\r\n"
	    "RCPT TO:<alice@example.org>\r\nDATA\r\n", 78);
	ck_assert_int_eq(c.n, 5);
	ck_assert_int_eq(c.code[4], 354);
	server_feed(s, big, 20001);
	server_feed(s, "\n.\r\n", 4);
	ck_assert_int_eq(c.n, 6);
	ck_assert_int_eq(c.code[5], 500);	/* line too long, RFC 5321 4.5.3.1.6 */
	ck_assert_int_eq(server_phase(s), SERVER_READY);
	free(big);
	server_free(s);
}
END_TEST

/* STARTTLS at the very end of a read: what the caller already holds is
 * thrown away through server_discard (issue 14), and the next read is
 * the TLS session's */
static void count_discard(void *ctx, const struct server_event *e)
{
	size_t *n = ctx;

	if (e->kind == SERVER_EV_DISCARD)
		*n += e->bytes;
}

START_TEST(starttls_at_a_read_boundary)
{
	struct codes c;
	size_t discarded = 0;
	struct server_sink sink = { &c, codes_reply, NULL, NULL };
	struct server *s;

	memset(&c, 0, sizeof c);
	sink.event = count_discard;
	sink.ctx = &c;
	s = server_new(NULL, NULL, &sink);
	server_start(s);
	server_feed(s, "EHLO a.example\r\n", 16);
	ck_assert(!server_discarding(s));
	server_feed(s, "STARTTLS\r\n", 10);
	ck_assert_int_eq(c.code[c.n - 1], 220);
	ck_assert(server_discarding(s));
	server_free(s);

	/* the event goes to the same ctx as the replies here: count apart */
	memset(&c, 0, sizeof c);
	sink.ctx = &discarded;
	sink.reply = NULL;
	s = server_new(NULL, NULL, &sink);
	server_start(s);
	server_feed(s, "EHLO a.example\r\nSTARTTLS\r\n", 26);
	ck_assert(server_discarding(s));
	server_discard(s, 35);
	ck_assert_uint_eq(discarded, 35);
	server_feed(s, "EHLO a.example\r\n", 16);
	ck_assert(!server_discarding(s));
	ck_assert(server_tls_active(s));
	ck_assert_int_eq(server_ehlo_used(s), 1);
	server_discard(s, 10);	/* too late: nothing */
	ck_assert_uint_eq(discarded, 35);
	server_free(s);
}
END_TEST

/* ---- bounded input ------------------------------------------------------ */

static void count_reply(void *ctx, const struct server_reply *r)
{
	int *codes = ctx;

	codes[codes[0] + 1] = r->code;
	if (codes[0] < 30)
		codes[0]++;
}

START_TEST(a_megabyte_line_gets_500_then_resyncs)
{
	int codes[32] = { 0 };
	struct server_sink sink = { codes, count_reply, NULL, NULL };
	struct server *s = server_new(NULL, NULL, &sink);
	char *big = malloc(1 << 20);
	size_t i;

	memset(big, 'a', 1 << 20);
	server_start(s);
	for (i = 0; i < 4; i++)
		server_feed(s, big, 1 << 20);
	server_feed(s, "\r\nNOOP\r\n", 8);
	ck_assert_int_eq(codes[0], 3);
	ck_assert_int_eq(codes[1], 220);
	ck_assert_int_eq(codes[2], 500);
	ck_assert_int_eq(codes[3], 250);
	free(big);
	server_free(s);
}
END_TEST

START_TEST(fault_arguments_are_checked)
{
	struct server *s = server_new(NULL, NULL, NULL);

	ck_assert_int_eq(server_fault(s, "RCPT", 3, 452, "4.5.3"), 0);
	ck_assert_int_eq(server_fault(s, "RCPT", 0, 452, ""), -1);
	ck_assert_int_eq(server_fault(s, "RCPT", 1, 250, ""), -1);
	ck_assert_int_eq(server_fault(s, "RCPT", 1, 452, "5.5.3"), -1);
	ck_assert_int_eq(server_fault(s, "RCPT", 1, 452, "4.5"), -1);
	ck_assert_int_eq(server_fault(s, "", 1, 452, NULL), -1);
	server_free(s);
}
END_TEST

START_TEST(allowed_replies_follow_the_tables)
{
	ck_assert(server_reply_allowed("RCPT", 251));
	ck_assert(server_reply_allowed("RCPT", 556));
	ck_assert(!server_reply_allowed("RCPT", 354));
	ck_assert(server_reply_allowed("DATA", 354));
	ck_assert(server_reply_allowed("CONNECT", 554));
	ck_assert(!server_reply_allowed("CONNECT", 250));
	ck_assert(server_reply_allowed("DATA-END", 552));
	ck_assert(server_reply_allowed("QUIT", 500));
	ck_assert(!server_reply_allowed("NOSUCH", 250));
}
END_TEST

START_TEST(legal_verbs_follow_the_phase)
{
	struct server *s = server_new(NULL, NULL, NULL);

	server_start(s);
	ck_assert(server_verb_allowed(s, "EHLO"));
	ck_assert(!server_verb_allowed(s, "MAIL"));
	server_feed(s, "EHLO a.example\r\n", 16);
	ck_assert(server_verb_allowed(s, "MAIL"));
	ck_assert(server_verb_allowed(s, "STARTTLS"));
	ck_assert(!server_verb_allowed(s, "RCPT"));
	ck_assert(!server_verb_allowed(s, "AUTH"));	/* only after TLS */
	server_free(s);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("server");
	TCase *tc = tcase_create("transcripts");

	find_transcripts();
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, there_are_transcripts);
	if (nfiles > 0)
		tcase_add_loop_test(tc, transcript_file, 0, nfiles);
	tcase_add_test(tc, every_code_is_reachable);
	tcase_add_test(tc, random_walk_keeps_the_property);
	tcase_add_test(tc, a_megabyte_line_gets_500_then_resyncs);
	tcase_add_test(tc, fault_arguments_are_checked);
	tcase_add_test(tc, allowed_replies_follow_the_tables);
	tcase_add_test(tc, legal_verbs_follow_the_phase);
	tcase_add_test(tc, ehlo_lists_the_persona_keywords);
	tcase_add_test(tc, personas_buffer_100_recipients);
	tcase_add_test(tc, help_fits_for_every_verb);
	tcase_add_test(tc, byte_at_a_time_is_the_same);
	tcase_add_test(tc, long_line_crlf_split_across_reads);
	tcase_add_test(tc, starttls_at_a_read_boundary);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
