/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_reply.c - reply line, enhanced code and EHLO line parsing */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check-run.h"
#include "core/reply.h"

static enum reply_status parse(const char *s, struct reply_line *l)
{
	return reply_parse_line(s, strlen(s), l);
}

START_TEST(plain_last_line)
{
	struct reply_line l;

	ck_assert_int_eq(parse("250 OK", &l), REPLY_OK);
	ck_assert_int_eq(l.code, 250);
	ck_assert_int_eq(l.sep, ' ');
	ck_assert_int_eq(l.has_enh, 0);
	ck_assert_uint_eq(l.text_len, 2);
	ck_assert(!strncmp(l.text, "OK", 2));
}
END_TEST

START_TEST(continuation_and_crlf)
{
	struct reply_line l;

	ck_assert_int_eq(parse("250-PIPELINING\r\n", &l), REPLY_OK);
	ck_assert_int_eq(l.sep, '-');
	ck_assert_uint_eq(l.text_len, 10);
}
END_TEST

START_TEST(bare_code)
{
	struct reply_line l;

	ck_assert_int_eq(parse("354", &l), REPLY_OK);
	ck_assert_int_eq(l.code, 354);
	ck_assert_int_eq(l.sep, 0);
	ck_assert_uint_eq(l.text_len, 0);
}
END_TEST

START_TEST(enhanced_code_found)
{
	struct reply_line l;

	ck_assert_int_eq(parse("550 5.1.1 <bob@example.org>: Recipient address rejected", &l), REPLY_OK);
	ck_assert(l.has_enh);
	ck_assert_int_eq(l.enh.cls, 5);
	ck_assert_int_eq(l.enh.subject, 1);
	ck_assert_int_eq(l.enh.detail, 1);
	ck_assert(!strncmp(l.after_enh, "<bob@", 5));
	ck_assert(reply_enh_agrees(l.code, &l.enh));
}
END_TEST

START_TEST(enhanced_three_digit_parts)
{
	struct reply_line l;

	ck_assert_int_eq(parse("550 5.7.26 Unauthenticated", &l), REPLY_OK);
	ck_assert(l.has_enh);
	ck_assert_int_eq(l.enh.detail, 26);
	ck_assert_int_eq(parse("452 4.123.456", &l), REPLY_OK);
	ck_assert(l.has_enh);
	ck_assert_int_eq(l.enh.subject, 123);
	ck_assert_int_eq(l.enh.detail, 456);
}
END_TEST

/* RFC 3463 2: class 2, 4 or 5; 1 to 3 digits; no leading zeros */
START_TEST(not_enhanced_codes)
{
	static const char *bad[] = {
		"550 3.1.1 x", "550 5.01.1 x", "550 5.1.01 x", "550 5.1234.1 x",
		"550 5.1 x", "550 5..1 x", "550 5.1.1x", "550 51.1.1 x", "550 .1.1",
	};
	size_t i;
	struct reply_line l;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_int_eq(parse(bad[i], &l), REPLY_OK);
		ck_assert_msg(!l.has_enh, "%s parsed as enhanced", bad[i]);
	}
}
END_TEST

START_TEST(class_disagreement)
{
	struct reply_line l;

	ck_assert_int_eq(parse("250 5.1.1 odd", &l), REPLY_OK);
	ck_assert(l.has_enh);
	ck_assert(!reply_enh_agrees(l.code, &l.enh));
}
END_TEST

START_TEST(malformed_lines)
{
	struct reply_line l;

	ck_assert_int_eq(parse("", &l), REPLY_ERR_EMPTY);
	ck_assert_int_eq(parse("   ", &l), REPLY_ERR_EMPTY);
	ck_assert_int_eq(parse("25", &l), REPLY_ERR_CODE);
	ck_assert_int_eq(parse("2a0 OK", &l), REPLY_ERR_CODE);
	ck_assert_int_eq(parse(" 250 OK", &l), REPLY_ERR_CODE);
	ck_assert_int_eq(parse("250OK", &l), REPLY_ERR_SEPARATOR);
	ck_assert_int_eq(parse("250_OK", &l), REPLY_ERR_SEPARATOR);
	ck_assert_int_eq(parse("650 x", &l), REPLY_ERR_RANGE);
	ck_assert_int_eq(parse("160 x", &l), REPLY_ERR_RANGE);
	ck_assert_int_eq(parse("260 x", &l), REPLY_ERR_RANGE);
	ck_assert_str_ne(reply_status_str(REPLY_ERR_RANGE), "unknown status");
	ck_assert_str_eq(reply_status_str((enum reply_status)99), "unknown status");
}
END_TEST

START_TEST(long_line_flagged)
{
	char buf[600];
	struct reply_line l;

	memset(buf, 'a', sizeof buf - 1);
	buf[sizeof buf - 1] = 0;
	memcpy(buf, "250 ", 4);
	ck_assert_int_eq(parse(buf, &l), REPLY_OK);
	ck_assert(l.too_long);
	buf[510] = 0;
	ck_assert_int_eq(parse(buf, &l), REPLY_OK);
	ck_assert(!l.too_long);
}
END_TEST

START_TEST(ehlo_lines)
{
	struct reply_ehlo e;

	ck_assert_int_eq(reply_parse_ehlo("SIZE 10240000", 13, &e), 0);
	ck_assert_uint_eq(e.keyword_len, 4);
	ck_assert(!strncmp(e.keyword, "SIZE", 4));
	ck_assert_uint_eq(e.params_len, 8);
	ck_assert_int_eq(reply_parse_ehlo("PIPELINING", 10, &e), 0);
	ck_assert_uint_eq(e.params_len, 0);
	ck_assert_int_eq(reply_parse_ehlo("AUTH=LOGIN PLAIN", 16, &e), 0);
	ck_assert_uint_eq(e.keyword_len, 10);
	ck_assert_int_eq(reply_parse_ehlo("AUTH PLAIN LOGIN CRAM-MD5", 25, &e), 0);
	ck_assert(!strncmp(e.params, "PLAIN LOGIN CRAM-MD5", e.params_len));
	ck_assert_int_eq(reply_parse_ehlo("-BAD", 4, &e), -1);
	ck_assert_int_eq(reply_parse_ehlo("", 0, &e), -1);
	ck_assert_int_eq(reply_parse_ehlo("SIZE \x01", 6, &e), -1);
}
END_TEST

/* feed - add lines to a fresh accumulator; the status of the last one */
static enum reply_acc_status feed(struct reply_acc *a, const char *const *lines)
{
	enum reply_acc_status st = REPLY_ACC_MORE;

	reply_acc_init(a);
	for (; *lines; lines++)
		st = reply_acc_line(a, *lines, strlen(*lines));
	return st;
}

START_TEST(multiline_ehlo_reply)
{
	static const char *const lines[] = { "250-mail.example.org", "250-PIPELINING",
		"250-SIZE 10240000", "250 HELP", NULL };
	struct reply_acc a;

	ck_assert_int_eq(feed(&a, lines), REPLY_ACC_DONE);
	ck_assert_int_eq(a.code, 250);
	ck_assert_uint_eq(a.lines, 4);
	ck_assert_uint_eq(a.warnings, 0);
}
END_TEST

START_TEST(multiline_continues_until_space)
{
	static const char *const lines[] = { "451-4.7.1 Greylisted", "451-4.7.1 try again", NULL };
	struct reply_acc a;

	ck_assert_int_eq(feed(&a, lines), REPLY_ACC_MORE);
	ck_assert(!a.done);
	ck_assert_int_eq(reply_acc_line(&a, "451 4.7.1 later", 15), REPLY_ACC_DONE);
}
END_TEST

START_TEST(multiline_mixed_codes_refused)
{
	static const char *const lines[] = { "250-first", "550 second", NULL };
	struct reply_acc a;

	ck_assert_int_eq(feed(&a, lines), REPLY_ACC_MIXED_CODES);
}
END_TEST

START_TEST(multiline_bad_line_refused)
{
	static const char *const lines[] = { "250-first", "hello", NULL };
	struct reply_acc a;

	ck_assert_int_eq(feed(&a, lines), REPLY_ACC_BAD_LINE);
	ck_assert_int_eq(a.line_status, REPLY_ERR_CODE);
	ck_assert_str_ne(reply_acc_status_str(REPLY_ACC_BAD_LINE), "unknown status");
}
END_TEST

START_TEST(multiline_enhanced_warnings)
{
	static const char *const mixed[] = { "550-5.1.1 a", "550 5.7.1 b", NULL };
	static const char *const partial[] = { "550-5.1.1 a", "550 b", NULL };
	static const char *const cls[] = { "550 4.1.1 a", NULL };
	struct reply_acc a;

	ck_assert_int_eq(feed(&a, mixed), REPLY_ACC_DONE);
	ck_assert(a.warnings & REPLY_WARN_ENH_MIXED);
	ck_assert_int_eq(feed(&a, partial), REPLY_ACC_DONE);
	ck_assert(a.warnings & REPLY_WARN_ENH_PARTIAL);
	ck_assert_int_eq(feed(&a, cls), REPLY_ACC_DONE);
	ck_assert(a.warnings & REPLY_WARN_ENH_CLASS);
}
END_TEST

/* A hostile server sending an endless multi-line reply is cut off. */
START_TEST(multiline_bounded)
{
	struct reply_acc a;
	size_t i;

	reply_acc_init(&a);
	for (i = 0; i < REPLY_LINES_MAX; i++)
		ck_assert_int_eq(reply_acc_line(&a, "250-x", 5), REPLY_ACC_MORE);
	ck_assert_int_eq(reply_acc_line(&a, "250-x", 5), REPLY_ACC_TOO_MANY);
	ck_assert_int_eq(reply_acc_line(&a, "250 x", 5), REPLY_ACC_TOO_MANY);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("reply");
	TCase *t = tcase_create("parse");

	tcase_add_test(t, plain_last_line);
	tcase_add_test(t, continuation_and_crlf);
	tcase_add_test(t, bare_code);
	tcase_add_test(t, enhanced_code_found);
	tcase_add_test(t, enhanced_three_digit_parts);
	tcase_add_test(t, not_enhanced_codes);
	tcase_add_test(t, class_disagreement);
	tcase_add_test(t, malformed_lines);
	tcase_add_test(t, long_line_flagged);
	tcase_add_test(t, ehlo_lines);
	tcase_add_test(t, multiline_ehlo_reply);
	tcase_add_test(t, multiline_continues_until_space);
	tcase_add_test(t, multiline_mixed_codes_refused);
	tcase_add_test(t, multiline_bad_line_refused);
	tcase_add_test(t, multiline_enhanced_warnings);
	tcase_add_test(t, multiline_bounded);
	suite_add_tcase(s, t);
	return check_run(s);
}
