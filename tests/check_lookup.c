/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_lookup.c - how terms are classified, and "did you mean" */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check-run.h"
#include "term/lookup.h"

static enum lookup_kind kind(const char *s)
{
	struct lookup_term t;

	lookup_classify(s, &t);
	return t.kind;
}

START_TEST(codes_and_ranges)
{
	struct lookup_term t;

	lookup_classify("553", &t);
	ck_assert_int_eq(t.kind, LOOKUP_CODE);
	ck_assert_int_eq(t.code, 553);
	ck_assert_int_eq(kind("999"), LOOKUP_CODE);	/* found or not later */
	lookup_classify("5XX", &t);
	ck_assert_int_eq(t.kind, LOOKUP_RANGE);
	ck_assert_str_eq(t.pattern, "5xx");
	ck_assert_int_eq(kind("55x"), LOOKUP_RANGE);
	ck_assert_int_eq(kind("x5x"), LOOKUP_RANGE);
	ck_assert_int_eq(kind("xxx"), LOOKUP_WORD);
	ck_assert_int_eq(kind("6xx"), LOOKUP_WORD);
	ck_assert_int_eq(kind("5x9"), LOOKUP_RANGE);
}
END_TEST

START_TEST(enhanced_forms)
{
	struct lookup_term t;

	lookup_classify("5.1.1", &t);
	ck_assert_int_eq(t.kind, LOOKUP_ENH);
	ck_assert_int_eq(t.enh_class, 5);
	ck_assert_int_eq(t.enh_subject, 1);
	ck_assert_int_eq(t.enh_detail, 1);
	lookup_classify("x.7.26", &t);
	ck_assert_int_eq(t.kind, LOOKUP_ENH);
	ck_assert_int_eq(t.enh_class, 0);
	ck_assert_int_eq(t.enh_detail, 26);
	ck_assert_int_eq(kind("5.7.*"), LOOKUP_ENH_SUBJECT);
	ck_assert_int_eq(kind("X.7.X"), LOOKUP_ENH_SUBJECT);
	ck_assert_int_eq(kind("4.X.X"), LOOKUP_ENH_CLASS);
	ck_assert_int_eq(kind("5.*"), LOOKUP_ENH_CLASS);
	ck_assert_int_eq(kind("X.X.X"), LOOKUP_INVALID);
	ck_assert_int_eq(kind("3.1.1"), LOOKUP_INVALID);
	ck_assert_int_eq(kind("5.01.1"), LOOKUP_INVALID);
	ck_assert_int_eq(kind("5.1.1.1"), LOOKUP_INVALID);
	ck_assert_int_eq(kind("5.X.1"), LOOKUP_INVALID);
}
END_TEST

START_TEST(words_and_params)
{
	struct lookup_term t;

	lookup_classify("pipelining", &t);
	ck_assert_int_eq(t.kind, LOOKUP_WORD);
	ck_assert_uint_eq(t.word_len, 10);
	ck_assert_int_eq(kind("MT-PRIORITY"), LOOKUP_WORD);
	lookup_classify("NOTIFY=SUCCESS,DELAY", &t);
	ck_assert_int_eq(t.kind, LOOKUP_PARAM);
	ck_assert_uint_eq(t.word_len, 6);
	ck_assert_str_eq(t.value, "SUCCESS,DELAY");
	lookup_classify("SIZE=", &t);
	ck_assert_int_eq(t.kind, LOOKUP_PARAM);
	ck_assert_str_eq(t.value, "");
	/* an EHLO keyword with '=' seen in the wild is a keyword */
	ck_assert_int_eq(kind("auth=login"), LOOKUP_WORD);
	ck_assert_int_eq(kind("=x"), LOOKUP_INVALID);
	ck_assert_int_eq(kind(""), LOOKUP_INVALID);
	ck_assert_int_eq(kind("hello world"), LOOKUP_INVALID);
}
END_TEST

START_TEST(pasted_lines)
{
	struct lookup_term t;

	lookup_classify("550 5.1.1 <bob@example.org>: Recipient address rejected", &t);
	ck_assert_int_eq(t.kind, LOOKUP_REPLY_LINE);
	ck_assert_int_eq(t.code, 550);
	ck_assert(t.line.has_enh);
	lookup_classify("250-SIZE 10240000", &t);
	ck_assert_int_eq(t.kind, LOOKUP_EHLO_LINE);
	ck_assert_uint_eq(t.ehlo.keyword_len, 4);
	ck_assert_int_eq(kind("250-mail.example.org Hello"), LOOKUP_REPLY_LINE);
	ck_assert_int_eq(kind("250 2.0.0 Ok"), LOOKUP_REPLY_LINE);
	ck_assert_int_eq(kind("250 8bitmime"), LOOKUP_EHLO_LINE);
	ck_assert_int_eq(kind("650 nope"), LOOKUP_INVALID);
	ck_assert_int_eq(kind("250OK"), LOOKUP_WORD);
}
END_TEST

static int suggests(const char *term, const char *want)
{
	char out[5][32];
	size_t n = lookup_suggest(term, out, 5), i;

	for (i = 0; i < n; i++)
		if (!strcmp(out[i], want))
			return 1;
	return 0;
}

START_TEST(did_you_mean)
{
	char out[5][32];

	ck_assert(suggests("559", "550"));
	ck_assert(suggests("PIPELINNG", "PIPELINING"));
	ck_assert(suggests("startls", "STARTTLS"));
	ck_assert(suggests("5.1.11", "5.1.1"));
	ck_assert(suggests("NOTIFI=", "NOTIFY="));
	ck_assert_uint_eq(lookup_suggest("qqqqqqqqqqqqqqqqqqqqqqqq", out, 5), 0);
	ck_assert_uint_le(lookup_suggest("5", out, 3), 3);
	/* a very long term is far from everything and must not overflow */
	{
		char longterm[200];

		memset(longterm, 'A', sizeof longterm - 1);
		longterm[sizeof longterm - 1] = 0;
		ck_assert_uint_eq(lookup_suggest(longterm, out, 5), 0);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lookup");
	TCase *t = tcase_create("classify");

	tcase_add_test(t, codes_and_ranges);
	tcase_add_test(t, enhanced_forms);
	tcase_add_test(t, words_and_params);
	tcase_add_test(t, pasted_lines);
	tcase_add_test(t, did_you_mean);
	suite_add_tcase(s, t);
	return check_run(s);
}
