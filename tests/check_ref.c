/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_ref.c - invariants of the embedded tables
 *
 * The generator already refuses malformed data; these tests state the
 * promises the rest of the program relies on, by looping over every row.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-run.h"
#include "core/ref.h"

/* each token of a list, as a NUL-terminated string in buf */
#define FOR_EACH_ITEM(list, buf) \
	for (const char *cur_ = (list), *tok_; \
	     next_item(&cur_, &tok_, buf, sizeof buf);)

static int next_item(const char **cur, const char **tok, char *buf, size_t size)
{
	size_t len;

	if (!ref_list_next(cur, tok, &len))
		return 0;
	ck_assert_uint_lt(len, size);
	memcpy(buf, *tok, len);
	buf[len] = 0;
	return 1;
}

START_TEST(codes_sorted_in_range_and_found)
{
	size_t i;

	ck_assert_uint_ge(ref_code_count, 45);
	for (i = 0; i < ref_code_count; i++) {
		const struct ref_code *c = &ref_code_table[i];

		ck_assert_int_ge(c->code, 200);
		ck_assert_int_le(c->code, 559);
		ck_assert_int_le(c->code / 10 % 10, 5);
		if (i > 0)
			ck_assert_int_lt(ref_code_table[i - 1].code, c->code);
		ck_assert_ptr_eq(ref_code_find(c->code), c);
		ck_assert_ptr_nonnull(c->text);
		ck_assert_ptr_nonnull(c->summary);
	}
	ck_assert_ptr_null(ref_code_find(199));
	ck_assert_ptr_null(ref_code_find(599));
}
END_TEST

/* The class row of every code matches its first digit, and its category
 * row its second. */
START_TEST(code_class_matches_first_digit)
{
	size_t i;

	for (i = 0; i < ref_code_count; i++) {
		int code = ref_code_table[i].code;
		const struct ref_class *c = ref_code_class(code);
		const struct ref_class *k = ref_code_category(code);

		ck_assert_ptr_nonnull(c);
		ck_assert_ptr_nonnull(k);
		ck_assert_int_eq(c->digit[0], '0' + code / 100);
		ck_assert_str_eq(c->digit + 1, "xx");
		ck_assert_int_eq(k->digit[1], '0' + code / 10 % 10);
	}
}
END_TEST

START_TEST(code_cross_references_resolve)
{
	size_t i;
	char buf[32];

	for (i = 0; i < ref_code_count; i++) {
		const struct ref_code *c = &ref_code_table[i];

		FOR_EACH_ITEM(c->commands, buf) {
			if (strcmp(buf, "CONNECT") && strcmp(buf, "DATA-END") && strcmp(buf, "ANY"))
				ck_assert_msg(ref_command_find(buf, strlen(buf)) != NULL,
				    "%d: command %s", c->code, buf);
		}
		FOR_EACH_ITEM(c->ext_commands, buf)
			ck_assert_msg(ref_command_find(buf, strlen(buf)) != NULL,
			    "%d: extension command %s", c->code, buf);
		FOR_EACH_ITEM(c->enhanced, buf) {
			int s, d;

			ck_assert_int_eq(sscanf(buf, "X.%d.%d", &s, &d), 2);
			ck_assert_msg(ref_enh_detail(s, d) != NULL, "%d: %s", c->code, buf);
		}
	}
}
END_TEST

/* RFC 5321 4.3.2: the codes each base command may get */
START_TEST(rfc5321_command_reply_pairs)
{
	static const struct { int code; const char *cmds; } pairs[] = {
		{ 220, "CONNECT" }, { 221, "QUIT" }, { 354, "DATA" },
		{ 251, "RCPT" }, { 252, "VRFY" }, { 503, "MAIL RCPT DATA" },
		{ 553, "MAIL RCPT VRFY" }, { 550, "RCPT VRFY EXPN" },
		{ 211, "HELP" }, { 214, "HELP" }, { 555, "MAIL RCPT" },
	};
	size_t i;
	char buf[32];

	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		const struct ref_code *c = ref_code_find(pairs[i].code);

		ck_assert_ptr_nonnull(c);
		FOR_EACH_ITEM(pairs[i].cmds, buf)
			ck_assert_msg(ref_list_has(c->commands, buf, strlen(buf)),
			    "%d lacks %s", pairs[i].code, buf);
	}
}
END_TEST

START_TEST(enhanced_rows_complete_and_resolve)
{
	size_t i;
	int cls, subj;
	char buf[32];

	for (cls = 2; cls <= 5; cls++)
		if (cls != 3)
			ck_assert_ptr_nonnull(ref_enh_class(cls));
	ck_assert_ptr_null(ref_enh_class(3));
	for (subj = 0; subj <= 7; subj++)
		ck_assert_ptr_nonnull(ref_enh_subject(subj));
	for (i = 0; i < ref_enhanced_count; i++) {
		const struct ref_enhanced *e = &ref_enhanced_table[i];

		if (e->kind == REF_ENH_DETAIL) {
			ck_assert_ptr_nonnull(ref_enh_subject(e->major));
			ck_assert_ptr_eq(ref_enh_detail(e->major, e->minor), e);
			snprintf(buf, sizeof buf, "X.%d.%d", e->major, e->minor);
			ck_assert_str_eq(e->code, buf);
		}
		FOR_EACH_ITEM(e->basic, buf)
			ck_assert_msg(ref_code_find(atoi(buf)) != NULL, "%s: %s", e->code, buf);
	}
	/* the whole IANA registry: X.0.0, X.1.0-X.1.10, ..., X.7.0-X.7.30 */
	ck_assert_ptr_nonnull(ref_enh_detail(1, 10));
	ck_assert_ptr_nonnull(ref_enh_detail(3, 6));
	ck_assert_ptr_nonnull(ref_enh_detail(4, 7));
	ck_assert_ptr_nonnull(ref_enh_detail(5, 6));
	ck_assert_ptr_nonnull(ref_enh_detail(6, 10));
	ck_assert_ptr_nonnull(ref_enh_detail(7, 30));
	ck_assert_ptr_null(ref_enh_detail(7, 31));
}
END_TEST

/* RFC 2034 4: 3xx replies never carry an enhanced code, so no enhanced
 * code has a 3xx basic code. */
START_TEST(no_enhanced_code_pairs_with_3xx)
{
	size_t i;
	char buf[32];

	for (i = 0; i < ref_enhanced_count; i++) {
		const struct ref_enhanced *e = &ref_enhanced_table[i];

		if (e->kind != REF_ENH_DETAIL)
			continue;
		FOR_EACH_ITEM(e->basic, buf) {
			int code = atoi(buf);

			ck_assert_msg(code / 100 != 3, "%s pairs with 3xx %d", e->code, code);
		}
	}
}
END_TEST

START_TEST(keywords_sorted_case_insensitive_and_resolve)
{
	size_t i;
	char buf[64], lower[64];

	ck_assert_uint_ge(ref_keyword_count, 65);
	for (i = 0; i < ref_keyword_count; i++) {
		const struct ref_keyword *k = &ref_keyword_table[i];
		size_t j, len = strlen(k->keyword);

		if (i > 0)
			ck_assert_int_lt(strcmp(ref_keyword_table[i - 1].keyword, k->keyword), 0);
		ck_assert_ptr_eq(ref_keyword_find(k->keyword, len), k);
		ck_assert_uint_lt(len, sizeof lower);
		for (j = 0; j <= len; j++)
			lower[j] = (char)((k->keyword[j] >= 'A' && k->keyword[j] <= 'Z')
			    ? k->keyword[j] + 32 : k->keyword[j]);
		ck_assert_ptr_eq(ref_keyword_find(lower, len), k);
		ck_assert(!strcmp(k->origin, "iana") || !strcmp(k->origin, "wild"));
		FOR_EACH_ITEM(k->enables, buf) {
			if (!strncmp(buf, "verb:", 5))
				ck_assert_ptr_nonnull(ref_command_find(buf + 5, strlen(buf + 5)));
			else if (!strncmp(buf, "param:", 6))
				ck_assert_ptr_nonnull(ref_param_find(buf + 6, strlen(buf + 6), NULL));
			else
				ck_abort_msg("%s: bad enables item %s", k->keyword, buf);
		}
	}
	/* whole tokens only: a prefix is not a keyword (STARTTLSX) */
	ck_assert_ptr_null(ref_keyword_find("STARTTLSX", 9));
	ck_assert_ptr_null(ref_keyword_find("STARTTL", 7));
	ck_assert_ptr_nonnull(ref_keyword_find("STARTTLS and more", 8));
}
END_TEST

START_TEST(commands_resolve)
{
	size_t i;
	char buf[32];

	for (i = 0; i < ref_command_count; i++) {
		const struct ref_command *c = &ref_command_table[i];
		const char *lists[] = { c->success, c->intermediate, c->errors };
		size_t l;

		ck_assert_ptr_eq(ref_command_find(c->verb, strlen(c->verb)), c);
		if (*c->keyword)
			ck_assert_msg(ref_keyword_find(c->keyword, strlen(c->keyword)) != NULL,
			    "%s: keyword %s", c->verb, c->keyword);
		for (l = 0; l < 3; l++)
			FOR_EACH_ITEM(lists[l], buf)
				ck_assert_msg(ref_code_find(atoi(buf)) != NULL, "%s: %s", c->verb, buf);
	}
	/* RFC 5321 4.5.1: the minimum implementation */
	{
		const char *req[] = { "EHLO", "HELO", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT", "VRFY" };

		for (i = 0; i < sizeof req / sizeof req[0]; i++) {
			const struct ref_command *c = ref_command_find(req[i], strlen(req[i]));

			ck_assert_ptr_nonnull(c);
			ck_assert_str_eq(c->status, "required");
		}
	}
	ck_assert_ptr_nonnull(ref_command_find("mail", 4));
}
END_TEST

START_TEST(params_resolve)
{
	size_t i, n;
	char buf[32];

	for (i = 0; i < ref_param_count; i++) {
		const struct ref_param *p = &ref_param_table[i];

		ck_assert_ptr_nonnull(ref_param_find(p->param, strlen(p->param), NULL));
		FOR_EACH_ITEM(p->keyword, buf)
			ck_assert_msg(ref_keyword_find(buf, strlen(buf)) != NULL, "%s: %s", p->param, buf);
		FOR_EACH_ITEM(p->commands, buf)
			ck_assert_ptr_nonnull(ref_command_find(buf, strlen(buf)));
		FOR_EACH_ITEM(p->errors, buf)
			ck_assert_ptr_nonnull(ref_code_find(atoi(buf)));
	}
	ck_assert_ptr_nonnull(ref_param_find("smtputf8", 8, &n));
	ck_assert_uint_eq(n, 2);
	ck_assert_ptr_null(ref_param_find("NOSUCH", 6, &n));
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(list_helpers)
{
	const char *cur = "  250 251  252", *tok;
	size_t len, n = 0;

	while (ref_list_next(&cur, &tok, &len))
		n++;
	ck_assert_uint_eq(n, 3);
	ck_assert(ref_list_has("250 251 252", "251", 3));
	ck_assert(!ref_list_has("250 251 252", "25", 2));
	ck_assert(!ref_list_has("", "250", 3));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ref");
	TCase *t = tcase_create("tables");

	tcase_add_test(t, codes_sorted_in_range_and_found);
	tcase_add_test(t, code_class_matches_first_digit);
	tcase_add_test(t, code_cross_references_resolve);
	tcase_add_test(t, rfc5321_command_reply_pairs);
	tcase_add_test(t, enhanced_rows_complete_and_resolve);
	tcase_add_test(t, no_enhanced_code_pairs_with_3xx);
	tcase_add_test(t, keywords_sorted_case_insensitive_and_resolve);
	tcase_add_test(t, commands_resolve);
	tcase_add_test(t, params_resolve);
	tcase_add_test(t, list_helpers);
	suite_add_tcase(s, t);
	return check_run(s);
}
