/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_report.c - the report reader: the same records whatever the
 * pieces, the newlines or the encoding, the rules that give reasons, and
 * the bounds that hold on bad input */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-run.h"
#include "report/report.h"

/* What a test keeps of each record: a line "address status code reason
 * command rule", and the last by_code. */
struct got {
	char text[8192];
	size_t len;
	int n;
	const char *by_code;
	enum report_kind kind;
};

static void collect(void *ctx, const struct report_msg *m,
    const struct report_rcpt *r)
{
	struct got *g = ctx;
	int k = snprintf(g->text + g->len, sizeof g->text - g->len,
	    "%s %s %d %s %s %s\n", r->address, r->status, r->reply_code,
	    r->reason->reason, r->command[0] ? r->command : "-",
	    report_rule_name(r->rule));

	if (k > 0 && g->len + (size_t)k < sizeof g->text)
		g->len += (size_t)k;
	g->n++;
	g->by_code = r->by_code ? r->by_code->reason : NULL;
	g->kind = m->kind;
}

/* read_in - s given to a reader in pieces of size step (0: at once) */
static const struct report_summary *read_in(struct report **rp, struct got *g,
    const char *s, size_t len, size_t step)
{
	size_t i;

	memset(g, 0, sizeof *g);
	*rp = report_new(collect, g);
	ck_assert_ptr_nonnull(*rp);
	if (step == 0)
		step = len ? len : 1;
	for (i = 0; i < len; i += step)
		report_feed(*rp, s + i, len - i < step ? len - i : step);
	report_end(*rp);
	return report_summary(*rp);
}

static char *slurp(const char *name, size_t *len)
{
	char path[4096];
	const char *top = getenv("top_srcdir");
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof path, "%s/tests/explain/%s", top ? top : ".", name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = 0;
	*len = (size_t)n;
	return buf;
}

static const char *const fixtures[] = {
	"lhost-postfix-02.eml", "lhost-exim-02.eml", "lhost-office365-01.eml",
	"lhost-barracuda-01.eml", "lhost-dragonfly-01.eml", "lhost-sendmail-02.eml",
	"postfix.log", "exim.log", "sendmail.log", "swaks.txt", "curl.txt",
	"sclient.txt", "reply.txt", "diag.txt",
};

/* Any piece size gives the same records: the reader keeps no assumption
 * about where a read ends (one octet, a CR at the end of a piece ...). */
START_TEST(pieces_do_not_matter)
{
	size_t len, steps[] = { 1, 2, 3, 7, 64, 4096 };
	char *s = slurp(fixtures[_i], &len), *whole;
	struct report *rp;
	struct got g;
	size_t k;

	read_in(&rp, &g, s, len, 0);
	report_free(rp);
	ck_assert_int_gt(g.n, 0);
	whole = strdup(g.text);
	for (k = 0; k < sizeof steps / sizeof steps[0]; k++) {
		read_in(&rp, &g, s, len, steps[k]);
		report_free(rp);
		ck_assert_msg(!strcmp(whole, g.text), "%s in pieces of %zu:\n%s\nwhole:\n%s",
		    fixtures[_i], steps[k], g.text, whole);
	}
	free(whole);
	free(s);
}
END_TEST

/* to_newlines - s with each LF made nl (CR, CRLF, or CR CR LF) */
static char *to_newlines(const char *s, size_t len, const char *nl, size_t *out)
{
	char *buf = malloc(len * 3 + 1), *p = buf;
	size_t i;

	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			memcpy(p, nl, strlen(nl));
			p += strlen(nl);
		} else {
			*p++ = s[i];
		}
	}
	*out = (size_t)(p - buf);
	return buf;
}

START_TEST(newlines_do_not_matter)
{
	const char *const nls[] = { "\r", "\r\n", "\r\r\n" };
	size_t len, n, k;
	char *s = slurp("lhost-exim-02.eml", &len), *t, *whole;
	struct report *rp;
	struct got g;

	read_in(&rp, &g, s, len, 0);
	report_free(rp);
	whole = strdup(g.text);
	for (k = 0; k < 3; k++) {
		t = to_newlines(s, len, nls[k], &n);
		read_in(&rp, &g, t, n, 5);
		report_free(rp);
		ck_assert_msg(!strcmp(whole, g.text), "newline %zu:\n%s", k, g.text);
		free(t);
	}
	free(whole);
	free(s);
}
END_TEST

/* A small bounce in MIME: what the parts hold is read once decoded. */
#define HEAD "From: MAILER-DAEMON@example.net\nSubject: Undelivered Mail\n" \
	"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n" \
	"\tboundary=\"B1\"\n\n--B1\nContent-Type: text/plain\n"

START_TEST(quoted_printable_and_base64)
{
	static const char qp[] = HEAD
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "<bob@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 Us=\n"
	    "er unkn=6Fwn (in reply to RCPT TO command)\n--B1--\n";
	/* "<carol@example.org>: 552 5.2.2 Mailbox full\n", base64 */
	static const char b64[] = HEAD
	    "Content-Transfer-Encoding: base64\n\n"
	    "PGNhcm9sQGV4YW1wbGUub3JnPjogNTUyIDUuMi4yIE1haWxib3gg\n"
	    "ZnVsbAo=\n--B1--\n";
	struct report *rp;
	struct got g;

	read_in(&rp, &g, qp, strlen(qp), 0);
	report_free(rp);
	ck_assert_str_eq(g.text, "bob@example.org 5.1.1 550 userunknown RCPT text\n");
	read_in(&rp, &g, b64, strlen(b64), 3);
	report_free(rp);
	ck_assert_str_eq(g.text, "carol@example.org 5.2.2 552 mailboxfull - text\n");
}
END_TEST

/* The DSN's fields decide; the text part adds the command it shows. */
START_TEST(dsn_fields_and_text)
{
	static const char m[] = HEAD "\n"
	    "<bob@example.org>: host mx.example.org[192.0.2.1] said: 550 Unknown\n"
	    "    user bob@example.org (in reply to end of DATA command)\n\n"
	    "--B1\nContent-Type: message/delivery-status\n\n"
	    "Reporting-MTA: dns; mail.example.net\n\n"
	    "Final-Recipient: rfc822; bob@example.org\nAction: failed\nStatus: 5.0.0\n"
	    "Diagnostic-Code: smtp; 550 Unknown user\n    bob@example.org\n\n--B1--\n";
	struct report *rp;
	struct got g;

	read_in(&rp, &g, m, strlen(m), 0);
	report_free(rp);
	ck_assert_int_eq(g.kind, REPORT_DSN);
	/* an unknown user refused at DATA, after RCPT accepted it: a filter */
	ck_assert_str_eq(g.text, "bob@example.org 5.0.0 550 filtered DATA at-data\n");
	ck_assert_str_eq(g.by_code, "userunknown");
}
END_TEST

/* reason - the record of one reply or line, as a test line */
static const char *reason(const char *s)
{
	static struct got g;
	struct report *rp;

	read_in(&rp, &g, s, strlen(s), 0);
	report_free(rp);
	return g.text;
}

START_TEST(rules)
{
	/* the text wins over the code, and the code is kept */
	ck_assert_str_eq(reason("550 5.2.1 <bob@example.org>... User unknown\n"),
	    " 5.2.1 550 userunknown - text\n");
	/* an X.7.X code with an "unknown user" text: a filter */
	ck_assert_str_eq(reason("550 5.7.1 550 User Unknown: bob@example.org\n"),
	    " 5.7.1 550 filtered - policy-code\n");
	/* the enhanced code alone */
	ck_assert_str_eq(reason("550 5.1.6 gone\n"), " 5.1.6 550 hasmoved - status\n");
	/* the basic code alone (RFC 5321 4.2.2) */
	ck_assert_str_eq(reason("552 Requested mail action aborted\n"),
	    " 5.2.2 552 mailboxfull - reply-code\n");
	/* a DSN of a local program: mailererror, whatever its text says */
	ck_assert_str_eq(reason("Final-Recipient: rfc822; bob@example.org\nAction: failed\n"
	    "Status: 5.1.1\nDiagnostic-Code: x-unix; procmail: No such user\n"),
	    "bob@example.org 5.1.1 0 mailererror - mailer\n");
	/* a final report of a temporary failure: the sender gave up */
	ck_assert_str_eq(reason("Final-Recipient: rfc822; bob@example.org\nAction: failed\n"
	    "Status: 4.4.1\nDiagnostic-Code: smtp; 421 4.4.1 Connection timed out\n"),
	    "bob@example.org 4.4.1 421 expired - expired\n");
	/* nothing at all said why */
	ck_assert_str_eq(reason("Final-Recipient: rfc822; bob@example.org\nAction: failed\n"),
	    "bob@example.org 5.0.0 0 onhold - nothing\n");
}
END_TEST

START_TEST(recognises)
{
	static const char *const yes[] = {
		"Diagnostic-Code: smtp; 550 5.1.1 User unknown",
		"May  1 10:00:00 mail postfix/smtp[12]: 4F9D195432: to=<a@b.example>, status=sent",
		"2024-05-01 10:00:01 1rABCD-000ABC-12 ** bob@example.org: Unrouteable address",
		" -> RCPT TO:<bob@example.org>",
		"550-5.7.1 first\n550 5.7.1 second",
	};
	static const char *const no[] = {
		"553", "550 5.1.1 a reply line", "PIPELINING", "5.1.1", "hello world",
		"Subject: hi",
	};
	size_t i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		ck_assert_msg(report_recognises(yes[i], strlen(yes[i])), "%s", yes[i]);
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		ck_assert_msg(!report_recognises(no[i], strlen(no[i])), "%s", no[i]);
}
END_TEST

/* Bad input: the bounds hold and are reported, nothing is read out of
 * bounds (the suite also runs under AddressSanitizer). */
START_TEST(bounds)
{
	size_t n = 3 * REPORT_LINE_MAX + 10, i;
	char *s = malloc(n + 64), *p;
	struct report *rp;
	struct got g;
	const struct report_summary *sum;

	ck_assert_ptr_nonnull(s);
	/* an over-long line is read in pieces and counted */
	memcpy(s, "Subject: x\n\n", 12);
	memset(s + 12, 'a', n - 12);
	strcpy(s + n, "\n<bob@example.org>: 550 5.1.1 User unknown\n");
	sum = read_in(&rp, &g, s, strlen(s), 1000);
	ck_assert_uint_eq(sum->long_lines, 1);
	ck_assert_str_eq(g.text, "bob@example.org 5.1.1 550 userunknown - text\n");
	report_free(rp);
	/* MIME nested deeper than the reader follows */
	p = s = realloc(s, 64 * (REPORT_MIME_DEPTH + 4) + 200);
	ck_assert_ptr_nonnull(s);
	p += sprintf(p, "Subject: deep\nMIME-Version: 1.0\n");
	for (i = 0; i < REPORT_MIME_DEPTH + 3; i++)
		p += sprintf(p, "Content-Type: multipart/mixed; boundary=\"b%zu\"\n\n--b%zu\n", i, i);
	sprintf(p, "Content-Type: text/plain\n\n<bob@example.org>: 550 5.1.1 User unknown\n");
	sum = read_in(&rp, &g, s, strlen(s), 0);
	ck_assert(sum->too_deep);
	report_free(rp);
	free(s);
	/* binary data says what it is */
	sum = read_in(&rp, &g, "%PDF-1.4\n\0\0\0", 12, 0);
	ck_assert_uint_eq(sum->recipients, 0);
	ck_assert_ptr_nonnull(strstr(sum->looks_like, "PDF"));
	report_free(rp);
}
END_TEST

/* More recipients in a bounce's text than are kept: the rest is counted
 * as dropped, the first are still read. */
START_TEST(pending_bound)
{
	size_t size = 64 * (REPORT_PENDING_MAX + 10) + 100, i;
	char *s = malloc(size), *p = s;
	struct report *rp;
	struct got g;
	const struct report_summary *sum;

	ck_assert_ptr_nonnull(s);
	p += sprintf(p, "Subject: Undelivered\n\n");
	for (i = 0; i < REPORT_PENDING_MAX + 10; i++)
		p += sprintf(p, "<u%zu@example.org>: 550 5.1.1 User unknown\n", i);
	sum = read_in(&rp, &g, s, (size_t)(p - s), 0);
	ck_assert_uint_eq(sum->recipients, REPORT_PENDING_MAX);
	ck_assert_uint_eq(sum->dropped, 10);
	report_free(rp);
	free(s);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("reader");

	tcase_add_loop_test(tc, pieces_do_not_matter, 0,
	    (int)(sizeof fixtures / sizeof fixtures[0]));
	tcase_add_test(tc, newlines_do_not_matter);
	tcase_add_test(tc, quoted_printable_and_base64);
	tcase_add_test(tc, dsn_fields_and_text);
	tcase_add_test(tc, rules);
	tcase_add_test(tc, recognises);
	tcase_add_test(tc, bounds);
	tcase_add_test(tc, pending_bound);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
