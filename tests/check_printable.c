/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_printable.c - the one way text from outside reaches a terminal:
 * nothing a terminal obeys gets through, text stays as it is */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check-run.h"
#include "core/printable.h"

static const char *show(const char *s, size_t n, int flags)
{
	static char out[1024];

	printable_text(s, n, out, sizeof out, flags);
	return out;
}

#define SHOW(lit, flags) show(lit, sizeof lit - 1, flags)

/* a title sequence (OSC 0), a clipboard write (OSC 52), a clear screen,
 * a bell: all shown, none obeyed (issue 14) */
START_TEST(escapes_are_shown_not_obeyed)
{
	ck_assert_str_eq(SHOW("X-\x1b]0;pwned\x07", 0), "X-\\x1b]0;pwned\\x07");
	ck_assert_str_eq(SHOW("\x1b]52;c;aGk=\x07", 0), "\\x1b]52;c;aGk=\\x07");
	ck_assert_str_eq(SHOW("250 ok\x1b[2J\x07", 0), "250 ok\\x1b[2J\\x07");
	ck_assert_str_eq(SHOW("a\x7f" "b", 0), "a\\x7fb");
}
END_TEST

/* a CR would let a later text overwrite the line ("genuine") */
START_TEST(cr_lf_nul_and_tab)
{
	ck_assert_str_eq(SHOW("bad\rgenuine", 0), "bad\\x0dgenuine");
	ck_assert_str_eq(SHOW("a\nb", 0), "a\\x0ab");
	ck_assert_str_eq(SHOW("a\nb", PRINTABLE_KEEP_LF), "a\nb");
	ck_assert_str_eq(SHOW("www.bank.example\0.evil.example", 0),
	    "www.bank.example\\x00.evil.example");
	ck_assert_str_eq(SHOW("AUTH\tPLAIN", 0), "AUTH\\x09PLAIN");
	ck_assert_str_eq(SHOW("AUTH\tPLAIN", PRINTABLE_TAB_SPACE), "AUTH PLAIN");
}
END_TEST

/* C1 controls raw (CSI is 0x9b) and as UTF-8; text that is not UTF-8 */
START_TEST(c1_and_bad_utf8)
{
	ck_assert_str_eq(SHOW("\x9b" "2J", 0), "\\x9b2J");
	ck_assert_str_eq(SHOW("\xc2\x9b" "2J", 0), "\\xc2\\x9b2J");
	ck_assert_str_eq(SHOW("\xc2\x85", 0), "\\xc2\\x85");
	/* overlong ESC, a surrogate, past U+10FFFF, a truncated sequence */
	ck_assert_str_eq(SHOW("\xc0\x9b", 0), "\\xc0\\x9b");
	ck_assert_str_eq(SHOW("\xe0\x80\x9b", 0), "\\xe0\\x80\\x9b");
	ck_assert_str_eq(SHOW("\xed\xa0\x80", 0), "\\xed\\xa0\\x80");
	ck_assert_str_eq(SHOW("\xf4\x90\x80\x80", 0), "\\xf4\\x90\\x80\\x80");
	ck_assert_str_eq(SHOW("\xe2\x82", 0), "\\xe2\\x82");
	ck_assert_str_eq(SHOW("\xff", 0), "\\xff");
}
END_TEST

/* right-to-left override and friends make a line read otherwise */
START_TEST(invisible_direction_marks)
{
	ck_assert_str_eq(SHOW("ok \xe2\x80\xae" "eniuneg", 0),
	    "ok \\xe2\\x80\\xaeeniuneg");
	ck_assert_str_eq(SHOW("\xe2\x81\xa6x", 0), "\\xe2\\x81\\xa6x");
	ck_assert_str_eq(SHOW("\xe2\x80\xa8", 0), "\\xe2\\x80\\xa8");
}
END_TEST

/* text is kept: ASCII and well-formed UTF-8, also at the edges */
START_TEST(text_is_kept)
{
	ck_assert_str_eq(SHOW("250 2.0.0 Ok: queued", 0), "250 2.0.0 Ok: queued");
	ck_assert_str_eq(SHOW("Grüße, 日本, \xf0\x9f\x93\xa7", 0),
	    "Grüße, 日本, \xf0\x9f\x93\xa7");
	ck_assert_str_eq(SHOW("\xc2\xa0\xc2\xbf", 0), "\xc2\xa0\xc2\xbf");
	ck_assert_str_eq(SHOW("\xef\xbf\xbd\xf4\x8f\xbf\xbf", 0),
	    "\xef\xbf\xbd\xf4\x8f\xbf\xbf");
	ck_assert_str_eq(SHOW("a\\x1b", 0), "a\\x1b");
}
END_TEST

/* whatever the octets, the output is safe and a second pass keeps it */
START_TEST(output_is_safe_and_idempotent)
{
	char in[64], out[257], again[257];
	size_t i, w;
	unsigned seed = 14;

	/* one assertion per round: check records every one it makes */
	for (i = 0; i < 20000; i++) {
		size_t n = (size_t)(rand_r(&seed) % sizeof in), k;
		int ok;

		for (k = 0; k < n; k++)
			in[k] = (char)(rand_r(&seed) & 0xff);
		ok = printable_text(in, n, out, sizeof out, 0) == n &&
		    printable_bad(out, strlen(out), 0, &w) == strlen(out);
		for (k = 0; out[k]; k++)
			ok &= (unsigned char)out[k] >= 0x20 && out[k] != 0x7f;
		printable_text(out, strlen(out), again, sizeof again, 0);
		ok &= strcmp(out, again) == 0;
		if (!ok)
			ck_abort_msg("round %zu: %zu octets escaped to '%s', again '%s'",
			    i, n, out, again);
	}
}
END_TEST

/* a full buffer never cuts an escape or a character in half */
START_TEST(bounded_output)
{
	char out[8];
	const char *s = "ab\x1b" "cd";

	ck_assert_uint_eq(printable_text(s, 5, out, 7, 0), 3);
	ck_assert_str_eq(out, "ab\\x1b");
	ck_assert_uint_eq(printable_text("abcd\xc3\xa9", 6, out, 6, 0), 4);
	ck_assert_str_eq(out, "abcd");
	ck_assert_uint_eq(printable_text("x", 1, out, 1, 0), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(arguments_and_copies)
{
	char buf[16];
	char *d = printable_dup("a\x1b[0m", 5, 0);

	ck_assert_str_eq(printable_arg("\x1b]0;x\x07", buf, sizeof buf),
	    "\\x1b]0;x\\x07");
	ck_assert_str_eq(printable_arg("0123456789abcdefghij", buf, sizeof buf),
	    "0123456789ab...");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d, "a\\x1b[0m");
	free(d);
}
END_TEST

START_TEST(first_bad_octet)
{
	size_t w;

	ck_assert_uint_eq(printable_bad("title\rgenuine", 13, 0, &w), 5);
	ck_assert_uint_eq(w, 1);
	ck_assert_uint_eq(printable_bad("a\xc2\x9b", 3, 0, &w), 1);
	ck_assert_uint_eq(w, 2);
	ck_assert_uint_eq(printable_bad("fine", 4, 0, &w), 4);
	ck_assert_uint_eq(w, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("printable");
	TCase *tc = tcase_create("printable");

	tcase_add_test(tc, escapes_are_shown_not_obeyed);
	tcase_add_test(tc, cr_lf_nul_and_tab);
	tcase_add_test(tc, c1_and_bad_utf8);
	tcase_add_test(tc, invisible_direction_marks);
	tcase_add_test(tc, text_is_kept);
	tcase_add_test(tc, output_is_safe_and_idempotent);
	tcase_add_test(tc, bounded_output);
	tcase_add_test(tc, arguments_and_copies);
	tcase_add_test(tc, first_bad_octet);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
